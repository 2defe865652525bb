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
pub mod smtp_url;

pub use base_url::{BaseUrl, BaseUrlError};
pub use smtp_url::{SmtpUrl, SmtpUrlError};

use jiff::civil::Date;
use serde::Serialize;

pub use calendar::{Calendar, WorkDay};
pub use resolve::{KNOWN_FIELDS, ResolveOptions, resolve};

pub use crate::diagnostics::Loc;

/// Index of an item (deliverable or milestone) in [`Program::items`].
pub type ItemIx = usize;
/// Index of a team in [`Program::teams`].
pub type TeamIx = usize;

/// A whole program as of its plan, with every report.
#[derive(Clone, Debug)]
pub struct Program {
    pub meta: Meta,
    /// In the order teams.yaml lists them (every page lists teams so).
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
    /// The team with this id (a scan: teams are listed in file order, and
    /// a program has few of them).
    pub fn team_index(&self, id: &str) -> Option<TeamIx> {
        self.teams.iter().position(|t| t.id == id)
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
    /// `site.public: true`: search engines may index the site (pages carry
    /// no `noindex`, a sitemap is written). False by default: a program's
    /// plan is internal.
    pub public: bool,
}

impl SiteSettings {
    /// Whether the site is served at the root of its domain (a custom
    /// domain, or a base URL whose path is `/`, as an organisation's or a
    /// user's GitHub Pages site is): only there is a `robots.txt` read.
    pub fn at_domain_root(&self) -> bool {
        self.cname.is_some()
            || self.base_url.as_deref().is_some_and(|u| {
                let rest = u.split_once("://").map_or(u, |(_, r)| r);
                rest.find('/').is_none_or(|i| &rest[i..] == "/")
            })
    }
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
    /// The person directly responsible (`dri:`), as written; optional.
    pub dri: Option<String>,
    /// Providers, sorted and unique.
    pub depends_on: Vec<ItemIx>,
    /// How this item is tied to each provider, parallel to `depends_on`
    /// (a plain id is [`Link::default`]: finish-to-start, no lag).
    pub links: Vec<Link>,
    /// Where each `depends_on` entry is written, parallel to the source list.
    pub depends_on_locs: Vec<(ItemIx, Loc)>,
    pub plan: PlanSpec,
    pub contract: Option<String>,
    /// Markdown.
    pub description: String,
    pub loc: Loc,
}

impl Item {
    /// The link to provider `p` (the default when `p` is not a provider).
    pub fn link_to(&self, p: ItemIx) -> Link {
        self.depends_on
            .binary_search(&p)
            .ok()
            .and_then(|k| self.links.get(k).copied())
            .unwrap_or_default()
    }
}

/// Which ends of the provider and the consumer a dependency ties together
/// (the four link types of MS Project and most schedulers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkType {
    /// The consumer starts after the provider finishes (the default).
    #[default]
    FinishToStart,
    /// The consumer starts no earlier than the provider starts.
    StartToStart,
    /// The consumer finishes no earlier than the provider finishes.
    FinishToFinish,
    /// The consumer finishes no earlier than the provider starts.
    StartToFinish,
}

impl LinkType {
    /// Every type with its written name and abbreviation.
    pub const ALL: [(&'static str, &'static str, LinkType); 4] = [
        ("finish-to-start", "FS", LinkType::FinishToStart),
        ("start-to-start", "SS", LinkType::StartToStart),
        ("finish-to-finish", "FF", LinkType::FinishToFinish),
        ("start-to-finish", "SF", LinkType::StartToFinish),
    ];

    /// The written name, e.g. `start-to-start`.
    pub fn as_str(self) -> &'static str {
        LinkType::ALL
            .iter()
            .find(|(_, _, t)| *t == self)
            .map_or("", |(n, _, _)| n)
    }

    /// The abbreviation, e.g. `SS`.
    pub fn abbrev(self) -> &'static str {
        LinkType::ALL
            .iter()
            .find(|(_, _, t)| *t == self)
            .map_or("", |(_, a, _)| a)
    }

    /// Reads a written name or an abbreviation (`FS`, `ss`, ...).
    pub fn parse(s: &str) -> Option<LinkType> {
        LinkType::ALL
            .iter()
            .find(|(n, a, _)| *n == s || a.eq_ignore_ascii_case(s))
            .map(|(_, _, t)| *t)
    }

    /// Whether the link hangs on the provider's start (SS, SF) rather than
    /// its finish (FS, FF).
    pub fn from_provider_start(self) -> bool {
        matches!(self, LinkType::StartToStart | LinkType::StartToFinish)
    }

    /// Whether the link bounds the consumer's finish (FF, SF) rather than
    /// its start (FS, SS).
    pub fn to_consumer_finish(self) -> bool {
        matches!(self, LinkType::FinishToFinish | LinkType::StartToFinish)
    }
}

/// One dependency's type and lag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link {
    pub kind: LinkType,
    /// Working days; negative is a lead.
    pub lag: i64,
}

impl Link {
    /// Finish-to-start without lag: what a plain id in `depends_on` means.
    pub fn is_plain(self) -> bool {
        self == Link::default()
    }

    /// A short label: `FS`, `SS+3d`, `FF-2d`.
    pub fn label(self) -> String {
        match self.lag {
            0 => self.kind.abbrev().to_string(),
            l => format!("{}{l:+}d", self.kind.abbrev()),
        }
    }

    /// How a dependency is written in one token (deliverables.csv): the
    /// provider id alone for a plain link, else `id:LABEL` (`sdk:SS+3d`).
    pub fn token(self, provider: &str) -> String {
        if self.is_plain() {
            provider.to_string()
        } else {
            format!("{provider}:{}", self.label())
        }
    }

    /// Reads a [`Link::token`]: `(provider id, link)`.
    pub fn parse_token(s: &str) -> Option<(&str, Link)> {
        match s.split_once(':') {
            None => Some((s, Link::default())),
            Some((id, label)) => Link::parse_label(label).map(|l| (id, l)),
        }
    }

    /// Reads a [`Link::label`]: a type abbreviation or name, then an
    /// optional signed lag in working days (`SS`, `SS+3d`, `FF-2d`).
    pub fn parse_label(s: &str) -> Option<Link> {
        LinkType::ALL.iter().find_map(|&(name, abbrev, kind)| {
            let rest = if let Some(rest) = s.strip_prefix(name) {
                rest
            } else if s.get(..2).is_some_and(|a| a.eq_ignore_ascii_case(abbrev)) {
                &s[2..]
            } else {
                return None;
            };
            let lag = if rest.is_empty() {
                0
            } else {
                fields::parse_lag(rest, 5)?
            };
            Some(Link { kind, lag })
        })
    }
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
    /// `status_reason:` why the declared status stands although the computed
    /// schedule disagrees; it is shown on the report page and acknowledges
    /// (silences) the declared-vs-computed warning for this report.
    pub status_reason: Option<String>,
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
