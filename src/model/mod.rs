//! The resolved program: typed, validated, with every reference turned into an
//! index. No IO happens here.
//!
//! [`resolve`] takes the [`crate::content::Content`] that was read from disk (YAML
//! trees with positions) and produces a [`Program`], collecting every problem it
//! finds as a [`Diagnostic`] (unknown fields, bad dates, dangling or duplicate
//! ids, values out of range, ...). Dates are snapped to the working-day calendar
//! here. Graph questions (cycles, derived dates) belong to `analysis`.

pub mod base_url;
pub mod calendar;
pub mod fields;
mod resolve;

pub use base_url::{BaseUrl, BaseUrlError};

use jiff::civil::Date;
use serde::Serialize;

pub use calendar::{Calendar, WorkDay};
pub use resolve::{ResolveOptions, resolve};

pub use crate::diagnostics::Loc;

/// Index of an item (deliverable or milestone) in [`Program::items`].
pub type ItemIx = usize;
/// Index of a team in [`Program::teams`].
pub type TeamIx = usize;

/// A whole program as of its plan, with every report.
#[derive(Clone, Debug)]
pub struct Program {
    pub meta: Meta,
    /// Sorted by id.
    pub teams: Vec<Team>,
    /// Deliverables and milestones, sorted by id (they share one id space).
    pub items: Vec<Item>,
    /// Sorted by id.
    pub risks: Vec<Risk>,
    /// Sorted by id.
    pub decisions: Vec<Decision>,
    /// Published reports sorted by date (drafts included only when asked for).
    pub reports: Vec<Report>,
    /// Free pages sorted by slug.
    pub pages: Vec<Page>,
    /// PRIVATE: never rendered, never exported.
    pub stakeholders: Vec<Stakeholder>,
}

impl Program {
    pub fn item_index(&self, id: &str) -> Option<ItemIx> {
        self.items.binary_search_by(|i| i.id.as_str().cmp(id)).ok()
    }
    pub fn team_index(&self, id: &str) -> Option<TeamIx> {
        self.teams.binary_search_by(|t| t.id.as_str().cmp(id)).ok()
    }
    pub fn risk_index(&self, id: &str) -> Option<usize> {
        self.risks.binary_search_by(|r| r.id.as_str().cmp(id)).ok()
    }
    pub fn decision_index(&self, id: &str) -> Option<usize> {
        self.decisions
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
    }
}

/// `program.yaml`.
#[derive(Clone, Debug)]
pub struct Meta {
    pub name: String,
    pub objective: String,
    pub success_criteria: Vec<String>,
    /// The first working day on or after the given start.
    pub start: Date,
    /// The committed end: the last working day on or before the given end.
    pub end: Date,
    pub calendar: Calendar,
    /// The holidays as written (for display).
    pub holidays: Vec<Date>,
    pub cadence: Cadence,
    pub communication: Vec<Communication>,
    pub key_risks: Vec<usize>,
    pub site: SiteSettings,
    pub loc: Loc,
}

/// The report cadence: a report every `days` calendar days from `first`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cadence {
    pub days: i64,
    /// As written, e.g. `2w`.
    pub text: String,
    pub first: Option<Date>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Communication {
    pub name: String,
    pub every: String,
    pub audience: String,
    pub owner: String,
}

#[derive(Clone, Debug)]
pub struct SiteSettings {
    pub title: String,
    /// The published address, checked where it entered (see [`BaseUrl`]).
    pub base_url: Option<BaseUrl>,
    pub theme: String,
    /// Custom domain for GitHub Pages (`CNAME`), when configured.
    pub cname: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub lead: String,
    /// `#rrggbb`, validated (safe to place in CSS).
    pub color: String,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Deliverable,
    Milestone,
}

/// How an item's planned dates were written. Dates are already snapped to
/// working days (starts forward, finishes back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanSpec {
    Deliverable {
        start: Option<Date>,
        due: Option<Date>,
        /// Working days, >= 1.
        duration: Option<i64>,
    },
    /// A milestone's `date` (None: it happens when its providers finish).
    Milestone { date: Option<Date> },
}

/// A deliverable or a milestone: one node of the dependency graph.
#[derive(Clone, Debug)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    pub name: String,
    /// Owner team (deliverables always have one; milestones none).
    pub owner: Option<TeamIx>,
    /// Providers, sorted and unique.
    pub depends_on: Vec<ItemIx>,
    /// Where each `depends_on` entry is written, parallel to the source list.
    pub depends_on_locs: Vec<(ItemIx, Loc)>,
    pub plan: PlanSpec,
    pub contract: Option<String>,
    /// Markdown.
    pub description: String,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    OnTrack,
    AtRisk,
    Blocked,
    Done,
}

impl Status {
    pub const ALL: [(&'static str, Status); 5] = [
        ("not_started", Status::NotStarted),
        ("on_track", Status::OnTrack),
        ("at_risk", Status::AtRisk),
        ("blocked", Status::Blocked),
        ("done", Status::Done),
    ];
    pub fn as_str(self) -> &'static str {
        Status::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }
    /// Words for readers: "not started", "on track", ...
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::Blocked => "blocked",
            Status::Done => "done",
        }
    }
}

/// Overall red/amber/green.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub const ALL: [(&'static str, Rag); 3] = [
        ("green", Rag::Green),
        ("amber", Rag::Amber),
        ("red", Rag::Red),
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    Mitigating,
    Closed,
    Occurred,
}

impl RiskStatus {
    pub const ALL: [(&'static str, RiskStatus); 4] = [
        ("open", RiskStatus::Open),
        ("mitigating", RiskStatus::Mitigating),
        ("closed", RiskStatus::Closed),
        ("occurred", RiskStatus::Occurred),
    ];
    pub fn as_str(self) -> &'static str {
        RiskStatus::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }
}

#[derive(Clone, Debug)]
pub struct Risk {
    pub id: String,
    pub title: String,
    pub probability: u8,
    pub impact: u8,
    /// A team id or a person's name, as written.
    pub owner: String,
    /// The owner as a team, when it names one.
    pub owner_team: Option<TeamIx>,
    pub affects: Vec<ItemIx>,
    pub mitigation: String,
    pub status: RiskStatus,
    pub review_by: Option<Date>,
    /// When the risk was raised (tpm-site extension); before it, the risk is
    /// not in the register. `None`: from the program start.
    pub raised: Option<Date>,
    pub loc: Loc,
}

impl Risk {
    pub fn score(&self) -> u8 {
        self.probability * self.impact
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    Open,
    Decided,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub id: String,
    pub title: String,
    pub risk: Option<usize>,
    pub options: Vec<String>,
    pub recommendation: String,
    pub decider: String,
    pub needed_by: Option<Date>,
    pub status: DecisionStatus,
    pub outcome: String,
    pub decided_on: Option<Date>,
    pub loc: Loc,
}

/// One item's patch in a report's `updates`.
#[derive(Clone, Debug)]
pub struct Update {
    pub item: ItemIx,
    pub status: Option<Status>,
    pub progress: Option<u8>,
    /// Snapped to the last working day on or before the written date.
    pub forecast: Option<Date>,
    pub note: Option<String>,
    pub loc: Loc,
}

/// One row of a report's dependency review.
#[derive(Clone, Debug)]
pub struct DependencyReview {
    pub from: ItemIx,
    pub to: ItemIx,
    pub provider_on_track: Option<bool>,
    pub contract_changed: Option<bool>,
    pub consumer_ready: Option<bool>,
    pub note: String,
    pub loc: Loc,
}

/// One risk's patch in a report's `risks` (tpm-site extension): re-scoring,
/// mitigating or closing a risk as of the report's date.
#[derive(Clone, Debug)]
pub struct RiskUpdate {
    pub risk: usize,
    pub status: Option<RiskStatus>,
    pub probability: Option<u8>,
    pub impact: Option<u8>,
    pub note: Option<String>,
    pub loc: Loc,
}

/// A biweekly report: front matter plus a Markdown body.
#[derive(Clone, Debug)]
pub struct Report {
    pub date: Date,
    pub status: Rag,
    pub summary: String,
    /// Sorted by item.
    pub updates: Vec<Update>,
    pub dependencies: Vec<DependencyReview>,
    pub decisions: Vec<usize>,
    /// Sorted by risk.
    pub risk_updates: Vec<RiskUpdate>,
    pub draft: bool,
    /// Markdown.
    pub body: String,
    /// The line where the body starts (1-based, whole file).
    pub body_line: u32,
    /// The last commit that changed this report's file, when the content is
    /// in a git repository (filled in by `site`; the report page shows it, so
    /// later commits never change an earlier report's page).
    pub commit: Option<String>,
    pub loc: Loc,
}

/// A free page under `pages/`.
#[derive(Clone, Debug)]
pub struct Page {
    /// The file stem, a valid id.
    pub slug: String,
    pub title: String,
    pub body: String,
    pub loc: Loc,
}

/// A report recipient. PRIVATE: nothing in render or site may read this.
#[derive(Clone, Debug)]
pub struct Stakeholder {
    pub name: String,
    pub email: String,
    pub role: String,
    pub teams: Vec<TeamIx>,
    pub loc: Loc,
}
