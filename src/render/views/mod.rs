//! View models: everything a template shows, computed and pre-formatted in Rust.
//!
//! Templates only loop, test and print. Every field here is either text from
//! content (which tera's autoescape escapes) or a value from a fixed set (CSS
//! class names, labels, icons, relative links built from validated ids and
//! dates). The one exception is a field whose name ends in `_html`: Markdown
//! already turned into safe HTML by
//! [`markdown::to_html`](super::markdown::to_html). Those are the only
//! values a template may print with `| safe`.
//!
//! Links are relative (`../../index.html`) so the site works from `file://`
//! and under a GitHub Pages project URL; [`Links`] knows how deep a page is.
//!
//! One file per page or page family: `dashboard.rs`, `charter.rs`,
//! `dependencies.rs`, `team.rs` (the teams list and a team's page),
//! `risks.rs`, `decisions.rs`, `reports.rs` (the archive), `report.rs` (one
//! report, with "Since the last report", "Next two weeks" and its dependency
//! review), `item.rs` (a deliverable's or milestone's page with its forecast
//! trend), `page.rs` (free pages) and `base.rs` (what `base.html` needs on
//! every page). This file holds what several pages share: paths and
//! [`Links`], the small views and badges, the row views, the schedule and
//! headline summaries, and [`Viewer`], which builds rows from one snapshot.
//! Views format the facts `crate::analysis` computed (dates, float, slack,
//! lateness, the register, decision states, detected risks); they compute no
//! schedule facts.

use jiff::civil::Date;
use serde::Serialize;

use super::SiteData;
use crate::analysis::register::{DecisionState, RiskBand, RiskState, decision_fact};
use crate::analysis::{DetectedRisk, ItemSchedule, RiskKind, Snapshot};
use crate::model::{
    Decision, Item, ItemIx, ItemKind, Program, Rag, Risk, RiskStatus, Status, TeamIx,
};

mod base;
mod charter;
mod dashboard;
mod decisions;
mod dependencies;
mod item;
mod page;
mod report;
mod reports;
mod risks;
mod team;
mod top;

pub use base::{Layout, LayoutSpec, NavLink, SECTIONS, layout, teams_css};
pub use charter::{CharterView, charter};
pub use dashboard::{DashboardView, StatusCount, dashboard};
pub use decisions::{DecisionsView, decisions};
pub use dependencies::{DependenciesView, dependencies};
pub use item::{ForecastTrend, HistoryRow, ItemView, Neighbour, TrendRow, item};
pub use page::{PageView, page};
pub use report::{
    ChangeGroup, ChangeLine, Flag, NextEntry, NextView, Part, ReportView, ReviewGap, ReviewRow,
    SinceView, plan_snapshot, report, report_changes, since,
};
pub use reports::{ArchiveRow, ArchiveView, StripCell, archive};
pub use risks::{RisksView, risks};
pub use team::{TeamView, TeamsView, WaitEdge, WaitGroup, team, teams};
pub use top::{OwedView, TopStrip, top_strip};

// ---------------------------------------------------------------------------
// Paths and links
// ---------------------------------------------------------------------------

/// The folder (no trailing `/`) of a deliverable's or milestone's page.
pub fn item_dir(item: &Item) -> String {
    match item.kind {
        ItemKind::Deliverable => format!("deliverables/{}", item.id),
        ItemKind::Milestone => format!("milestones/{}", item.id),
    }
}

/// The folder of a team's page.
pub fn team_dir(id: &str) -> String {
    format!("teams/{id}")
}

/// The folder of a report's page.
pub fn report_dir(date: Date) -> String {
    format!("reports/{date}")
}

/// The folder holding a copy of the newest report's page (same depth as a
/// dated report, so its relative links work unchanged).
pub const LATEST_DIR: &str = "reports/latest";

/// The folder of a free page.
pub fn page_dir(slug: &str) -> String {
    format!("pages/{slug}")
}

/// The output path of the `index.html` in `dir` (`""` is the site root).
pub fn index_path(dir: &str) -> String {
    if dir.is_empty() {
        "index.html".to_string()
    } else {
        format!("{dir}/index.html")
    }
}

/// Relative links from one page back to the rest of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Links {
    root: String,
}

impl Links {
    /// Links from a page at `path` (relative to the output root, `/`-separated).
    pub fn from_path(path: &str) -> Links {
        Links {
            root: "../".repeat(path.matches('/').count()),
        }
    }

    /// Links that start with a fixed prefix (the 404 page uses the absolute
    /// `base_url`, since it is served from any depth).
    pub fn with_root(root: impl Into<String>) -> Links {
        Links { root: root.into() }
    }

    /// The prefix that leads to the site root: `""`, `"../"`, `"../../"`, ...
    pub fn root(&self) -> &str {
        &self.root
    }

    /// A link to a file given relative to the site root.
    pub fn file(&self, target: &str) -> String {
        format!("{}{}", self.root, target)
    }

    /// A link to the `index.html` of a folder given relative to the site root.
    pub fn dir(&self, dir: &str) -> String {
        self.file(&index_path(dir))
    }
}

// ---------------------------------------------------------------------------
// Small shared views
// ---------------------------------------------------------------------------

/// A text with a link.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub href: String,
}

/// A labelled state: status, RAG, risk level, ... `class` and `icon` come from
/// a fixed set; the label makes sure colour is never the only signal.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Badge {
    pub key: &'static str,
    pub label: &'static str,
    /// A shape or symbol, shown next to the label (hidden from screen readers).
    pub icon: &'static str,
    pub class: &'static str,
}

/// A signed number of working days, ready to print.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Days {
    pub value: i64,
    /// `+3`, `0`, `-2`.
    pub text: String,
    /// `good`, `zero` or `bad`.
    pub class: &'static str,
    /// Worth a warning: negative float or slack, a positive slip.
    pub bad: bool,
}

/// A link to a deliverable or milestone.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ItemRef {
    pub id: String,
    pub name: String,
    pub href: String,
    pub milestone: bool,
    pub critical: bool,
}

/// A link to a team, with its colour class (`team-<id>`, defined in `assets/teams.css`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TeamRef {
    pub id: String,
    pub name: String,
    pub href: String,
    pub class: String,
}

/// Float or slack: negative is bad.
pub fn days(value: i64) -> Days {
    signed(value, value < 0)
}

/// A slip: later than planned (positive) is bad.
pub fn slip(value: i64) -> Days {
    signed(value, value > 0)
}

fn signed(value: i64, bad: bool) -> Days {
    let text = if value > 0 {
        format!("+{value}")
    } else {
        value.to_string()
    };
    let class = match (value, bad) {
        (0, _) => "zero",
        (_, true) => "bad",
        _ => "good",
    };
    Days {
        value,
        text,
        class,
        bad,
    }
}

/// "1 working day" / "3 working days".
pub fn working_days(n: i64) -> String {
    let n = n.unsigned_abs();
    if n == 1 {
        "1 working day".to_string()
    } else {
        format!("{n} working days")
    }
}

/// How the forecast end compares with the committed end, in words.
pub fn end_verdict(end_slack: i64) -> String {
    match end_slack {
        0 => "on the committed end date".to_string(),
        s if s > 0 => format!("{} early", working_days(s)),
        s => format!("{} late", working_days(s)),
    }
}

/// CSS class for [`end_verdict`]: `early`, `on-time` or `late`.
pub fn end_class(end_slack: i64) -> &'static str {
    match end_slack {
        0 => "on-time",
        s if s > 0 => "early",
        _ => "late",
    }
}

pub fn status_badge(s: Status) -> Badge {
    let (label, icon, class) = match s {
        Status::NotStarted => ("Not started", "○", "status-not-started"),
        Status::OnTrack => ("On track", "●", "status-on-track"),
        Status::AtRisk => ("At risk", "▲", "status-at-risk"),
        Status::Blocked => ("Blocked", "■", "status-blocked"),
        Status::Done => ("Done", "✓", "status-done"),
    };
    Badge {
        key: s.as_str(),
        label,
        icon,
        class,
    }
}

pub fn rag_badge(r: Rag) -> Badge {
    let (label, icon, class) = match r {
        Rag::Green => ("Green", "●", "rag-green"),
        Rag::Amber => ("Amber", "▲", "rag-amber"),
        Rag::Red => ("Red", "■", "rag-red"),
    };
    Badge {
        key: r.as_str(),
        label,
        icon,
        class,
    }
}

/// The badge shown when there is no report yet.
pub fn no_rag_badge() -> Badge {
    Badge {
        key: "none",
        label: "No report yet",
        icon: "–",
        class: "rag-none",
    }
}

pub fn risk_status_badge(s: RiskStatus) -> Badge {
    let (label, icon, class) = match s {
        RiskStatus::Open => ("Open", "○", "rstatus-open"),
        RiskStatus::Mitigating => ("Mitigating", "◐", "rstatus-mitigating"),
        RiskStatus::Closed => ("Closed", "✓", "rstatus-closed"),
        RiskStatus::Occurred => ("Occurred", "✕", "rstatus-occurred"),
    };
    Badge {
        key: s.as_str(),
        label,
        icon,
        class,
    }
}

/// Severity of a risk score (1..25).
pub fn risk_level(score: u8) -> Badge {
    match RiskBand::of(u32::from(score)) {
        RiskBand::High => Badge {
            key: "high",
            label: "High",
            icon: "▲",
            class: "level-high",
        },
        RiskBand::Medium => Badge {
            key: "medium",
            label: "Medium",
            icon: "◆",
            class: "level-medium",
        },
        RiskBand::Low => Badge {
            key: "low",
            label: "Low",
            icon: "▽",
            class: "level-low",
        },
    }
}

pub fn decision_badge(decided: bool) -> Badge {
    if decided {
        Badge {
            key: "decided",
            label: "Decided",
            icon: "✓",
            class: "dstatus-decided",
        }
    } else {
        Badge {
            key: "open",
            label: "Open",
            icon: "?",
            class: "dstatus-open",
        }
    }
}

/// A reader's name for a kind of detected schedule risk.
pub fn risk_kind_label(k: RiskKind) -> &'static str {
    match k {
        RiskKind::StartsBeforeProvider => "Planned to start before a provider finishes",
        RiskKind::NegativeFloat => "Negative float: the end date is at risk",
        RiskKind::NegativeDeadlineSlack => "Forecast past its deadline",
        RiskKind::CriticalProviderAtRisk => "Critical path item at risk or blocked",
        RiskKind::OverdueDecision => "Overdue decision",
        RiskKind::MissingReport => "Missing report",
        RiskKind::DependencyReviewFlag => "Flagged in a dependency review",
    }
}

/// Most serious first: what threatens the end date, then what needs action.
fn risk_kind_rank(k: RiskKind) -> u8 {
    match k {
        RiskKind::NegativeFloat => 0,
        RiskKind::CriticalProviderAtRisk => 1,
        RiskKind::OverdueDecision => 2,
        RiskKind::DependencyReviewFlag => 3,
        RiskKind::MissingReport => 4,
        RiskKind::NegativeDeadlineSlack => 5,
        RiskKind::StartsBeforeProvider => 6,
    }
}

fn opt_date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

// ---------------------------------------------------------------------------
// Row views
// ---------------------------------------------------------------------------

/// One deliverable or milestone with its derived dates: a row of the
/// dependency map, a team's list, a report's status table, an item page.
#[derive(Clone, Debug, Serialize)]
pub struct ItemRow {
    pub item: ItemRef,
    /// `Deliverable` or `Milestone`.
    pub kind: &'static str,
    pub owner: Option<TeamRef>,
    pub depends_on: Vec<ItemRef>,
    pub planned_start: String,
    pub planned_finish: String,
    pub forecast_start: String,
    pub forecast_finish: String,
    pub late_start: String,
    pub late_finish: String,
    pub duration: i64,
    pub float: Days,
    pub slack: Days,
    pub slip: Days,
    pub critical: bool,
    /// The forecast finish is after the deadline.
    pub late: bool,
    /// "Misses its deadline" / "Finished after its deadline", when late.
    pub late_label: Option<&'static str>,
    pub status: Badge,
    pub progress: u8,
    pub note: Option<String>,
    pub pushed_by: Option<ItemRef>,
    /// Updated by the report whose page shows this row.
    pub updated: bool,
    /// `is-critical`, `is-late`, `is-done` (space-separated).
    pub row_class: String,
}

/// A risk of the register.
#[derive(Clone, Debug, Serialize)]
pub struct RiskRow {
    pub id: String,
    pub anchor: String,
    pub href: String,
    pub title: String,
    pub probability: u8,
    pub impact: u8,
    pub score: u8,
    pub level: Badge,
    pub owner: String,
    pub owner_team: Option<TeamRef>,
    pub affects: Vec<ItemRef>,
    pub mitigation: Option<String>,
    pub status: Badge,
    pub review_by: Option<String>,
    /// An open or mitigating risk past its review date.
    pub review_overdue: bool,
    pub key: bool,
    /// Open or mitigating (as of the page's date).
    pub active: bool,
    /// The newest note from a report's `risks` patch (up to the page's report).
    pub note: Option<String>,
}

/// A decision (escalation).
#[derive(Clone, Debug, Serialize)]
pub struct DecisionView {
    pub id: String,
    pub anchor: String,
    pub href: String,
    pub title: String,
    pub status: Badge,
    pub decided: bool,
    /// Open and past `needed_by`.
    pub overdue: bool,
    /// Calendar days past `needed_by` (0 when not overdue).
    pub overdue_days: i64,
    pub decider: String,
    pub needed_by: Option<String>,
    pub options: Vec<OptionView>,
    pub recommendation: Option<String>,
    pub outcome: Option<String>,
    pub decided_on: Option<String>,
    pub risk: Option<Link>,
    /// Reports that put it in front of stakeholders.
    pub raised_in: Vec<Link>,
    /// The first of them.
    pub first_raised: Option<String>,
    /// Calendar days from `first_raised` to the page's date, while undecided.
    pub days_open: Option<i64>,
}

/// One option of a decision.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OptionView {
    pub text: String,
    pub recommended: bool,
}

/// Marks the recommended option: the one equal to the recommendation, or else
/// the only one that starts with it ("Freeze now" for "Freeze now and defer ...").
fn option_views(options: &[String], recommendation: &str) -> Vec<OptionView> {
    let norm = |s: &str| s.trim().to_lowercase();
    let rec = norm(recommendation);
    let exact = options.iter().position(|o| norm(o) == rec);
    let prefixed: Vec<usize> = options
        .iter()
        .enumerate()
        .filter(|(_, o)| !rec.is_empty() && norm(o).starts_with(&rec))
        .map(|(i, _)| i)
        .collect();
    let pick = exact.or(match prefixed.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    options
        .iter()
        .enumerate()
        .map(|(i, o)| OptionView {
            text: o.clone(),
            recommended: Some(i) == pick,
        })
        .collect()
}

/// A schedule risk the tool found.
#[derive(Clone, Debug, Serialize)]
pub struct DetectedView {
    pub kind: &'static str,
    pub label: &'static str,
    pub message: String,
    pub items: Vec<ItemRef>,
    pub decision: Option<Link>,
    pub date: Option<String>,
}

/// What a detected risk links to, as a key for counting distinct targets.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum TargetKey {
    Item(ItemIx),
    Decision(usize),
    Reports,
}

/// Detected risks of one kind.
#[derive(Clone, Debug, Serialize)]
pub struct DetectedGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub entries: Vec<DetectedView>,
    /// What they are about (items, decisions, report dates), each once.
    pub targets: Vec<Link>,
    /// How many targets were left out of `targets`.
    pub more: usize,
}

/// A team with its facts.
#[derive(Clone, Debug, Serialize)]
pub struct TeamSummary {
    pub team: TeamRef,
    pub lead: String,
    pub color: String,
    pub owns: usize,
    pub waits_on: Vec<TeamRef>,
    pub blocking_power: usize,
    pub blocks: Vec<TeamRef>,
}

/// Builds the shared views of one snapshot, from one page's position.
///
/// Everything is as of the snapshot: the risk register with the `risks`
/// patches of the reports up to the snapshot's report, decisions as of its
/// date. A report page built through its own snapshot therefore never changes
/// when later reports arrive.
pub struct Viewer<'a> {
    pub program: &'a Program,
    pub snap: &'a Snapshot,
    pub links: &'a Links,
    /// The site's current snapshot: the risks page lists its register.
    current: &'a Snapshot,
    /// Item index by id (detected risks name items by id).
    item_ids: &'a foldhash::HashMap<Box<str>, ItemIx>,
}

/// What every page of a build shares, computed once on first use (per page,
/// it would make a build quadratic).
#[derive(Debug, Default)]
pub struct ViewCache {
    /// Per item, every `(report, update)` that updates it, oldest first.
    updates: std::sync::OnceLock<Vec<Vec<(usize, usize)>>>,
    /// Per item, the risks that affect it, in register order.
    risks: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// Item index by id.
    item_ids: std::sync::OnceLock<foldhash::HashMap<Box<str>, ItemIx>>,
    /// Nanoseconds spent on charts, summed over threads.
    chart_nanos: std::sync::atomic::AtomicU64,
}

impl ViewCache {
    /// Adds time spent on charts.
    pub fn add_chart_time(&self, d: std::time::Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.chart_nanos
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
    }

    /// Item index by id, built once per build.
    fn item_ids(&self, program: &Program) -> &foldhash::HashMap<Box<str>, ItemIx> {
        self.item_ids.get_or_init(|| {
            program
                .items
                .iter()
                .enumerate()
                .map(|(ix, item)| (item.id.as_str().into(), ix))
                .collect()
        })
    }

    /// The time spent on charts so far, summed over threads.
    pub fn chart_time(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.chart_nanos.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Per item, every `(report, update)` that updates it, oldest first.
    fn updates_of<'c>(&'c self, program: &Program, ix: ItemIx) -> &'c [(usize, usize)] {
        let all = self.updates.get_or_init(|| {
            let mut all = vec![Vec::new(); program.items.len()];
            for (k, r) in program.reports.iter().enumerate() {
                for (u, up) in r.updates.iter().enumerate() {
                    if let Some(list) = all.get_mut(up.item) {
                        list.push((k, u));
                    }
                }
            }
            all
        });
        all.get(ix).map_or(&[], Vec::as_slice)
    }

    /// Per item, the risks that affect it, in register order.
    fn risks_of<'c>(&'c self, program: &Program, ix: ItemIx) -> &'c [usize] {
        let all = self.risks.get_or_init(|| {
            let mut all = vec![Vec::new(); program.items.len()];
            for (k, r) in program.risks.iter().enumerate() {
                for &i in &r.affects {
                    if let Some(list) = all.get_mut(i)
                        && list.last() != Some(&k)
                    {
                        list.push(k);
                    }
                }
            }
            all
        });
        all.get(ix).map_or(&[], Vec::as_slice)
    }
}

impl<'a> Viewer<'a> {
    pub fn new(data: &'a SiteData<'a>, snap: &'a Snapshot, links: &'a Links) -> Viewer<'a> {
        let item_ids = data.cache.item_ids(data.program);
        Viewer {
            program: data.program,
            snap,
            links,
            current: data.current,
            item_ids,
        }
    }

    /// The risk register as of the snapshot, parallel to `program.risks`.
    pub fn register(&self) -> &[RiskState] {
        &self.snap.register
    }

    /// The risk's entry on the risks page; the page itself for a risk it
    /// does not list (raised after the site's date, seen from a later report
    /// built with `--as-of`).
    pub fn risk_href(&self, r: &Risk) -> String {
        let listed = self
            .program
            .risk_index(&r.id)
            .and_then(|i| self.current.register.get(i))
            .is_none_or(|s| s.in_register);
        if listed {
            format!("{}#risk-{}", self.links.dir("risks"), r.id)
        } else {
            self.links.dir("risks")
        }
    }

    /// The risk's state in the register of this snapshot.
    pub fn risk_state(&self, r: &Risk) -> Option<&RiskState> {
        self.program
            .risk_index(&r.id)
            .and_then(|i| self.snap.register.get(i))
    }

    /// Raised on or before the snapshot's date (or by one of its reports).
    pub fn in_register(&self, r: &Risk) -> bool {
        self.risk_state(r).is_none_or(|s| s.in_register)
    }

    /// Open or mitigating as of the snapshot.
    pub fn risk_active(&self, r: &Risk) -> bool {
        self.risk_state(r).map_or(
            matches!(r.status, RiskStatus::Open | RiskStatus::Mitigating),
            RiskState::is_active,
        )
    }

    pub fn item_ref(&self, ix: ItemIx) -> Option<ItemRef> {
        Some(self.ref_of(ix, self.program.items.get(ix)?))
    }

    fn ref_of(&self, ix: ItemIx, item: &Item) -> ItemRef {
        ItemRef {
            id: item.id.clone(),
            name: item.name.clone(),
            href: self.links.dir(&item_dir(item)),
            milestone: item.kind == ItemKind::Milestone,
            critical: self.snap.items.get(ix).is_some_and(|s| s.critical),
        }
    }

    pub fn item_refs(&self, ixs: &[ItemIx]) -> Vec<ItemRef> {
        ixs.iter().filter_map(|&ix| self.item_ref(ix)).collect()
    }

    /// Items named by id (detected risks carry ids).
    fn item_refs_by_id(&self, ids: &[String]) -> Vec<ItemRef> {
        ids.iter()
            .filter_map(|id| self.program.item_index(id))
            .filter_map(|ix| self.item_ref(ix))
            .collect()
    }

    pub fn team_ref(&self, ix: TeamIx) -> Option<TeamRef> {
        let t = self.program.teams.get(ix)?;
        Some(TeamRef {
            id: t.id.clone(),
            name: t.name.clone(),
            href: self.links.dir(&team_dir(&t.id)),
            class: format!("team-{}", t.id),
        })
    }

    pub fn team_refs(&self, ixs: &[TeamIx]) -> Vec<TeamRef> {
        ixs.iter().filter_map(|&ix| self.team_ref(ix)).collect()
    }

    pub fn item_row(&self, ix: ItemIx) -> Option<ItemRow> {
        let item = self.program.items.get(ix)?;
        let s = self.snap.items.get(ix)?;
        Some(self.row_of(ix, item, s))
    }

    fn row_of(&self, ix: ItemIx, item: &Item, s: &ItemSchedule) -> ItemRow {
        let late = s.deadline_slack < 0;
        let done = s.status == Status::Done;
        let classes = [
            (s.critical, "is-critical"),
            (late, "is-late"),
            (done, "is-done"),
        ];
        ItemRow {
            item: self.ref_of(ix, item),
            kind: match item.kind {
                ItemKind::Deliverable => "Deliverable",
                ItemKind::Milestone => "Milestone",
            },
            owner: item.owner.and_then(|t| self.team_ref(t)),
            depends_on: self.item_refs(&item.depends_on),
            planned_start: s.planned_start.to_string(),
            planned_finish: s.planned_finish.to_string(),
            forecast_start: s.forecast_start.to_string(),
            forecast_finish: s.forecast_finish.to_string(),
            late_start: s.late_start.to_string(),
            late_finish: s.late_finish.to_string(),
            duration: s.duration.into(),
            float: days(s.total_float.into()),
            slack: days(s.deadline_slack.into()),
            slip: slip(s.slip.into()),
            critical: s.critical,
            late,
            late_label: late.then_some(if done {
                "Finished after its deadline"
            } else {
                "Misses its deadline"
            }),
            status: status_badge(s.status),
            progress: s.progress.min(100),
            note: s.note.as_deref().map(String::as_str).and_then(non_empty),
            pushed_by: s.pushed_by().and_then(|p| self.item_ref(p)),
            updated: false,
            row_class: classes
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// Rows for the given items, in that order.
    pub fn item_rows(&self, ixs: impl IntoIterator<Item = ItemIx>) -> Vec<ItemRow> {
        ixs.into_iter().filter_map(|ix| self.item_row(ix)).collect()
    }

    /// A risk as it stands in this snapshot's register (status and score
    /// after the report patches up to the snapshot).
    pub fn risk_row(&self, r: &Risk) -> RiskRow {
        let anchor = format!("risk-{}", r.id);
        let (status, probability, impact, note) = match self.risk_state(r) {
            Some(s) => (s.status, s.probability, s.impact, s.note.clone()),
            None => (r.status, r.probability, r.impact, None),
        };
        let score = probability * impact;
        let live = matches!(status, RiskStatus::Open | RiskStatus::Mitigating);
        RiskRow {
            id: r.id.clone(),
            href: self.risk_href(r),
            anchor,
            title: r.title.clone(),
            probability,
            impact,
            score,
            level: risk_level(score),
            owner: r.owner.clone(),
            owner_team: r.owner_team.and_then(|t| self.team_ref(t)),
            affects: self.item_refs(&r.affects),
            mitigation: non_empty(&r.mitigation),
            status: risk_status_badge(status),
            active: live,
            note: note.as_deref().and_then(non_empty),
            review_by: opt_date(r.review_by),
            review_overdue: live && r.review_by.is_some_and(|d| d < self.snap.as_of),
            key: self
                .program
                .meta
                .key_risks
                .iter()
                .any(|&k| self.program.risks.get(k).is_some_and(|kr| kr.id == r.id)),
        }
    }

    /// Risks in this snapshot's register (raised by then): open or mitigating
    /// ones first, each part by score (highest first), then id.
    pub fn risk_rows<'r>(&self, risks: impl IntoIterator<Item = &'r Risk>) -> Vec<RiskRow> {
        let mut rows: Vec<RiskRow> = risks
            .into_iter()
            .filter(|r| self.in_register(r))
            .map(|r| self.risk_row(r))
            .collect();
        rows.sort_by(|a, b| (!a.active, b.score, &a.id).cmp(&(!b.active, a.score, &b.id)));
        rows
    }

    /// A decision as known on `date` (a report page shows it as of the report).
    pub fn decision(&self, d: &Decision, date: Date) -> DecisionView {
        // The state and days overdue by analysis' rule (whether it is on the
        // table does not change either; the callers chose which to show).
        let fact = decision_fact(d, date, true);
        let decided = fact.state == DecisionState::Decided;
        let overdue = fact.state == DecisionState::Overdue;
        let overdue_days = fact.days_overdue;
        let raised_in = self.raised_in(d, date);
        let first_raised = raised_in.first().map(|l| l.text.clone());
        let days_open = if decided {
            None
        } else {
            first_raised
                .as_deref()
                .and_then(|t| t.parse::<Date>().ok())
                .map(|first| calendar_days(first, date))
        };
        let anchor = format!("decision-{}", d.id);
        DecisionView {
            id: d.id.clone(),
            href: format!("{}#{anchor}", self.links.dir("decisions")),
            anchor,
            title: d.title.clone(),
            status: decision_badge(decided),
            decided,
            overdue,
            overdue_days,
            decider: d.decider.clone(),
            needed_by: opt_date(d.needed_by),
            options: option_views(&d.options, &d.recommendation),
            recommendation: non_empty(&d.recommendation),
            outcome: if decided { non_empty(&d.outcome) } else { None },
            decided_on: if decided {
                opt_date(d.decided_on)
            } else {
                None
            },
            // Only a risk in the register as of the page (the risks page
            // has no entry for one raised later).
            risk: d
                .risk
                .and_then(|r| self.program.risks.get(r))
                .filter(|r| self.in_register(r))
                .map(|r| Link {
                    text: r.title.clone(),
                    href: self.risk_href(r),
                }),
            raised_in,
            first_raised,
            days_open,
        }
    }

    /// Reports (up to `date`) that listed the decision.
    fn raised_in(&self, d: &Decision, date: Date) -> Vec<Link> {
        let Some(dix) = self.program.decision_index(&d.id) else {
            return Vec::new();
        };
        self.program
            .reports
            .iter()
            .filter(|r| r.date <= date && r.decisions.contains(&dix))
            .map(|r| Link {
                text: r.date.to_string(),
                href: self.links.dir(&report_dir(r.date)),
            })
            .collect()
    }

    /// Open decisions first (by needed-by date, then id), then decided ones (newest first).
    pub fn decisions<'d>(
        &self,
        ds: impl IntoIterator<Item = &'d Decision>,
        date: Date,
    ) -> Vec<DecisionView> {
        let mut v: Vec<DecisionView> = ds.into_iter().map(|d| self.decision(d, date)).collect();
        v.sort_by(|a, b| {
            a.decided.cmp(&b.decided).then_with(|| {
                if a.decided {
                    b.decided_on
                        .cmp(&a.decided_on)
                        .then_with(|| a.id.cmp(&b.id))
                } else {
                    // Dated before undated.
                    (a.needed_by.is_none(), &a.needed_by, &a.id).cmp(&(
                        b.needed_by.is_none(),
                        &b.needed_by,
                        &b.id,
                    ))
                }
            })
        });
        v
    }

    pub fn detected(&self, d: &DetectedRisk) -> DetectedView {
        DetectedView {
            kind: d.kind.as_str(),
            label: risk_kind_label(d.kind),
            message: d.message.clone(),
            items: self.item_refs_by_id(&d.items),
            decision: d
                .decision
                .as_deref()
                .and_then(|id| self.program.decision_index(id))
                .and_then(|i| self.program.decisions.get(i))
                .map(|dec| Link {
                    text: dec.title.clone(),
                    href: format!("{}#decision-{}", self.links.dir("decisions"), dec.id),
                }),
            date: opt_date(d.date),
        }
    }

    /// Detected risks grouped by kind, most serious kind first; each group
    /// names at most `limit` of the things it is about. Only the risks page
    /// lists every entry (`entries`); summaries leave them out.
    pub fn detected_groups(&self, limit: usize, entries: bool) -> Vec<DetectedGroup> {
        let mut kinds: Vec<RiskKind> = self.snap.detected_risks.iter().map(|d| d.kind).collect();
        kinds.sort_by_key(|&k| (risk_kind_rank(k), k));
        kinds.dedup();
        kinds
            .into_iter()
            .map(|k| self.detected_group(k, limit, entries))
            .collect()
    }

    fn detected_group(&self, kind: RiskKind, limit: usize, entries: bool) -> DetectedGroup {
        let risks: Vec<&DetectedRisk> = self
            .snap
            .detected_risks
            .iter()
            .map(|d| &**d)
            .filter(|d| d.kind == kind)
            .collect();
        // Distinct targets are counted on cheap keys; links are built only
        // for the `limit` shown (a report of a large program has thousands).
        let mut targets: Vec<Link> = Vec::new();
        let mut seen: std::collections::HashSet<TargetKey> = Default::default();
        let mut keys = Vec::new();
        let mut distinct = 0;
        for d in &risks {
            keys.clear();
            self.target_keys(d, &mut keys);
            for &(key, date) in &keys {
                if seen.insert(key) {
                    distinct += 1;
                    if targets.len() < limit {
                        targets.extend(self.target_link(key, date));
                    }
                }
            }
        }
        let more = distinct - targets.len();
        DetectedGroup {
            kind: kind.as_str(),
            label: risk_kind_label(kind),
            count: risks.len(),
            entries: if entries {
                risks.iter().map(|d| self.detected(d)).collect()
            } else {
                Vec::new()
            },
            targets,
            more,
        }
    }

    /// What a detected risk is about: the item at risk (for a dependency, the
    /// consumer), the decision, or the missing report's date (every missing
    /// report links to the archive, so they count as one target).
    fn target_keys(&self, d: &DetectedRisk, out: &mut Vec<(TargetKey, Option<Date>)>) {
        let ids: &[String] = match d.kind {
            RiskKind::StartsBeforeProvider | RiskKind::DependencyReviewFlag => {
                d.items.last().map(std::slice::from_ref).unwrap_or(&[])
            }
            _ => &d.items,
        };
        out.extend(
            ids.iter()
                .filter_map(|id| self.item_ids.get(id.as_str()).copied())
                .map(|ix| (TargetKey::Item(ix), None)),
        );
        out.extend(
            d.decision
                .as_deref()
                .and_then(|id| self.program.decision_index(id))
                .map(|i| (TargetKey::Decision(i), None)),
        );
        if let (RiskKind::MissingReport, Some(date)) = (d.kind, d.date) {
            out.push((TargetKey::Reports, Some(date)));
        }
    }

    fn target_link(&self, key: TargetKey, date: Option<Date>) -> Option<Link> {
        match key {
            TargetKey::Item(ix) => self.item_ref(ix).map(|i| Link {
                text: i.name,
                href: i.href,
            }),
            TargetKey::Decision(i) => self.program.decisions.get(i).map(|dec| Link {
                text: dec.title.clone(),
                href: format!("{}#decision-{}", self.links.dir("decisions"), dec.id),
            }),
            TargetKey::Reports => Some(Link {
                text: date.map(|d| d.to_string()).unwrap_or_default(),
                href: self.links.dir("reports"),
            }),
        }
    }

    pub fn team_summary(&self, ix: TeamIx) -> Option<TeamSummary> {
        let t = self.program.teams.get(ix)?;
        let facts = self.snap.teams.get(ix);
        Some(TeamSummary {
            team: self.team_ref(ix)?,
            lead: t.lead.clone(),
            color: t.color.clone(),
            owns: facts.map_or(0, |f| f.deliverables.len()),
            waits_on: facts
                .map(|f| self.team_refs(&f.waits_on))
                .unwrap_or_default(),
            blocking_power: facts.map_or(0, |f| f.blocking_power),
            blocks: facts.map(|f| self.team_refs(&f.blocks)).unwrap_or_default(),
        })
    }

    pub fn team_summaries(&self) -> Vec<TeamSummary> {
        (0..self.program.teams.len())
            .filter_map(|ix| self.team_summary(ix))
            .collect()
    }

    /// Every item as a timeline: by forecast start, ties in dependency order.
    /// Providers always come before their consumers, since a consumer's
    /// forecast start is after each provider's forecast finish.
    pub fn timeline(&self, order: &[ItemIx]) -> Vec<ItemIx> {
        let n = self.program.items.len();
        let mut rank = vec![usize::MAX; n];
        for (pos, &ix) in order.iter().enumerate() {
            if let Some(r) = rank.get_mut(ix) {
                *r = (*r).min(pos);
            }
        }
        let mut ixs: Vec<ItemIx> = (0..n).collect();
        ixs.sort_by_key(|&ix| {
            (
                self.snap.items.get(ix).map(|s| s.forecast_start),
                rank[ix],
                ix,
            )
        });
        ixs
    }

    /// The one-paragraph text that stands in for the Gantt chart.
    pub fn chart_summary(&self) -> String {
        let count = |k: ItemKind| self.program.items.iter().filter(|i| i.kind == k).count();
        let (nd, nm) = (count(ItemKind::Deliverable), count(ItemKind::Milestone));
        let late = self.snap.late_items;
        let path_end = self
            .snap
            .critical_path
            .last()
            .and_then(|&ix| self.snap.items.get(ix))
            .map_or(self.snap.forecast_end, |s| s.forecast_finish);
        format!(
            "{} and {}; {} forecast to miss {} deadline; the critical path ends {}.",
            plural(nd, "deliverable", "deliverables"),
            plural(nm, "milestone", "milestones"),
            late,
            if late == 1 { "its" } else { "their" },
            path_end
        )
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
fn calendar_days(from: Date, to: Date) -> i64 {
    to.since(from).map_or(0, |span| span.get_days().into())
}

// ---------------------------------------------------------------------------
// Summaries shared by several pages
// ---------------------------------------------------------------------------

/// Forecast end against committed end.
#[derive(Clone, Debug, Serialize)]
pub struct ScheduleView {
    pub start: String,
    pub committed_end: String,
    pub forecast_end: String,
    /// Working days the forecast end is after the committed end (positive:
    /// later, as for a slip).
    pub end_slack: Days,
    /// How late the program is (analysis' `Lateness`): "6 working days
    /// late", "4 working days early", "on the committed end date".
    pub verdict: String,
    /// Why, when a dated milestone makes the program later than its end
    /// does: "Internal beta misses its date 2027-04-23 by 6 working days;
    /// the end is 3 working days late."
    pub reason: Option<String>,
    /// `early`, `on-time` or `late`, for [`ScheduleView::verdict`].
    pub class: &'static str,
    /// The forecast end against the committed end alone: "3 working days
    /// late" (the charter's end date line).
    pub end_verdict: String,
    /// `early`, `on-time` or `late`, for [`ScheduleView::end_verdict`].
    pub end_class: &'static str,
}

pub fn schedule_view(program: &Program, snap: &Snapshot) -> ScheduleView {
    let l = snap.lateness;
    let (end_text, end_cls) = (end_verdict(snap.end_slack), end_class(snap.end_slack));
    // The program is as late as its latest commitment (analysis'
    // `Lateness`): a dated milestone its providers miss makes it late even
    // when the end still has buffer.
    let (verdict, reason, class) = match l.milestone {
        Some((ix, d)) if d > l.end => {
            let name = program.items.get(ix).map_or("", |i| i.name.as_str());
            let date = snap
                .items
                .get(ix)
                .map(|s| format!(" {}", s.planned_finish))
                .unwrap_or_default();
            let end = if l.end > 0 {
                format!("the end is {end_text}")
            } else {
                format!("the end is forecast {end_text}")
            };
            (
                format!("{} late", working_days(d)),
                Some(format!(
                    "Milestone {name} misses its date{date} by {}; {end}.",
                    working_days(d)
                )),
                "late",
            )
        }
        _ => (end_text.clone(), None, end_cls),
    };
    ScheduleView {
        start: program.meta.start.to_string(),
        committed_end: program.meta.end.to_string(),
        forecast_end: snap.forecast_end.to_string(),
        // Later than committed is positive, like a slip and a lateness.
        end_slack: slip(-snap.end_slack),
        verdict,
        reason,
        class,
        end_verdict: end_text,
        end_class: end_cls,
    }
}

/// Why a snapshot has no critical path, in words (empty when it has one).
pub fn no_critical_path(program: &Program, snap: &Snapshot) -> String {
    if !snap.critical_path.is_empty() {
        String::new()
    } else if program.items.is_empty() {
        "No critical path: the program has no deliverables yet.".into()
    } else if snap.items.iter().all(|s| s.status == Status::Done) {
        "No critical path: every deliverable and milestone is done.".into()
    } else {
        format!(
            "No critical path: no chain of open work leads to the forecast end {}; finished work sets it.",
            snap.forecast_end
        )
    }
}

/// The overall RAG and summary of the report a snapshot is as of.
#[derive(Clone, Debug, Serialize)]
pub struct Headline {
    pub rag: Badge,
    pub summary: Option<String>,
    pub report: Option<Link>,
    pub date: Option<String>,
}

/// How many risks the dashboard and a report list (highest score first).
const TOP_RISKS: usize = 5;

fn milestones_by_date(program: &Program, snap: &Snapshot) -> Vec<ItemIx> {
    let mut ms: Vec<ItemIx> = (0..program.items.len())
        .filter(|&ix| program.items[ix].kind == ItemKind::Milestone)
        .collect();
    ms.sort_by_key(|&ix| (snap.items.get(ix).map(|s| s.planned_finish), ix));
    ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_at_each_depth() {
        assert_eq!(Links::from_path("index.html").dir(""), "index.html");
        assert_eq!(
            Links::from_path("charter/index.html").dir(""),
            "../index.html"
        );
        assert_eq!(
            Links::from_path("reports/2027-01-29/index.html").dir(""),
            "../../index.html"
        );
        assert_eq!(
            Links::from_path("reports/2027-01-29/index.html").file("assets/style.css"),
            "../../assets/style.css"
        );
        assert_eq!(
            Links::from_path("teams/index.html").dir("teams/web"),
            "../teams/web/index.html"
        );
    }

    #[test]
    fn signed_days() {
        assert_eq!(days(3).text, "+3");
        assert_eq!(days(0).text, "0");
        assert_eq!(days(-2).text, "-2");
        assert!(days(-2).bad);
        assert_eq!(days(-2).class, "bad");
        assert!(slip(2).bad);
        assert_eq!(slip(-1).class, "good");
        assert_eq!(end_verdict(-1), "1 working day late");
        assert_eq!(end_verdict(4), "4 working days early");
        assert_eq!(end_verdict(0), "on the committed end date");
    }

    #[test]
    fn recommended_option() {
        let opts = vec![
            "Freeze now and defer SSO".to_string(),
            "Keep it open".to_string(),
        ];
        let v = option_views(&opts, "Freeze now");
        assert!(v[0].recommended && !v[1].recommended);
        assert!(option_views(&opts, "").iter().all(|o| !o.recommended));
        let twins = vec!["Ship A".to_string(), "Ship A later".to_string()];
        assert!(option_views(&twins, "Ship A")[0].recommended);
        assert!(option_views(&twins, "Ship").iter().all(|o| !o.recommended));
    }

    #[test]
    fn risk_levels() {
        assert_eq!(risk_level(15).key, "high");
        assert_eq!(risk_level(12).key, "medium");
        assert_eq!(risk_level(4).key, "low");
    }
}
