//! View models: everything a template shows, computed and pre-formatted in Rust.
//!
//! Templates only loop, test and print. Every field here is either text from
//! content (which tera's autoescape escapes) or a value from a fixed set (CSS
//! class names, labels, icons, relative links built from validated ids and
//! dates). The one exception is a field whose name ends in `_html`: Markdown
//! already turned into safe HTML by [`markdown::to_html`]. Those are the only
//! values a template may print with `| safe`.
//!
//! Links are relative (`../../index.html`) so the site works from `file://`
//! and under a GitHub Pages project URL; [`Links`] knows how deep a page is.

use std::borrow::Cow;

use jiff::civil::Date;
use serde::Serialize;

use super::{SiteData, markdown};
use crate::analysis::changes::{self, Changes, Side};
use crate::analysis::checks::rag_disagreements;
use crate::analysis::register::{
    DecisionState, RiskBand, RiskState, decision_fact, decision_state,
};
use crate::analysis::{self, DetectedRisk, ItemSchedule, RiskKind, Snapshot};
use crate::model::{
    Decision, Item, ItemIx, ItemKind, Program, Rag, Report, Risk, RiskStatus, Status, TeamIx,
};

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

/// A yes/no answer from a dependency review row.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Flag {
    pub text: &'static str,
    /// `ok`, `bad` or `unknown`.
    pub class: &'static str,
    pub icon: &'static str,
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

/// A dependency review answer, where `good` is the reassuring value.
fn flag(value: Option<bool>, good: bool) -> Flag {
    match value {
        None => Flag {
            text: "Not reviewed",
            class: "unknown",
            icon: "–",
        },
        Some(v) => {
            let text = if v { "Yes" } else { "No" };
            if v == good {
                Flag {
                    text,
                    class: "ok",
                    icon: "✓",
                }
            } else {
                Flag {
                    text,
                    class: "bad",
                    icon: "✕",
                }
            }
        }
    }
}

fn opt_date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// `assets/teams.css`: one colour class per team (`.team-<id> { --team: #rrggbb; }`).
/// Ids and colours are validated by `model`; anything else is skipped here too,
/// so nothing from content can break out of the stylesheet.
pub fn teams_css(program: &Program) -> String {
    let mut css = String::from("/* Team colours, generated by tpm-site. */\n");
    for t in &program.teams {
        if is_slug(&t.id) && is_hex_color(&t.color) {
            css.push_str(&format!(".team-{} {{ --team: {}; }}\n", t.id, t.color));
        }
    }
    css
}

// ---------------------------------------------------------------------------
// Layout (shared by every page)
// ---------------------------------------------------------------------------

/// One entry of the site navigation.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NavLink {
    pub text: String,
    pub href: String,
    pub current: bool,
}

/// What `base.html` needs: titles, navigation, stylesheets, footer.
#[derive(Clone, Debug, Serialize)]
pub struct Layout {
    pub site_title: String,
    /// The page's own title (its `<h1>` text).
    pub title: String,
    /// `<title>`: page title and site title.
    pub head_title: String,
    pub root: String,
    pub home: String,
    pub stylesheets: Vec<String>,
    /// Absolute URL of this page, only when `base_url` is set.
    pub canonical: Option<String>,
    pub nav: Vec<NavLink>,
    /// The date the page shows the program as of (never the wall clock).
    pub as_of: String,
    /// The report the page is as of, if any.
    pub as_of_report: Option<Link>,
    /// `page-<kind>` on `<body>`.
    pub body_class: String,
}

/// The top-level sections: (navigation text, folder).
pub const SECTIONS: [(&str, &str); 7] = [
    ("Dashboard", ""),
    ("Charter", "charter"),
    ("Dependencies", "dependencies"),
    ("Teams", "teams"),
    ("Risks", "risks"),
    ("Decisions", "decisions"),
    ("Reports", "reports"),
];

/// The inputs of [`layout`] besides the program.
pub struct LayoutSpec<'a> {
    /// Output path of the page, e.g. `reports/2027-01-29/index.html`.
    pub path: &'a str,
    pub title: &'a str,
    /// `dashboard`, `report`, ... (for `page-<kind>`).
    pub kind: &'a str,
    /// The navigation folder to mark as current (`""`: the dashboard).
    pub section: Option<&'a str>,
    pub as_of: Date,
    pub as_of_report: Option<usize>,
    /// Extra stylesheets of the theme (file names under `assets/`).
    pub extra_css: &'a [String],
}

pub fn layout(program: &Program, links: &Links, spec: &LayoutSpec) -> Layout {
    let site_title = program.meta.site.title.clone();
    let head_title = if spec.title == site_title {
        site_title.clone()
    } else {
        format!("{} · {}", spec.title, site_title)
    };
    let mut nav: Vec<NavLink> = SECTIONS
        .iter()
        .map(|(text, dir)| NavLink {
            text: text.to_string(),
            href: links.dir(dir),
            current: spec.section == Some(*dir),
        })
        .collect();
    for p in &program.pages {
        let dir = page_dir(&p.slug);
        nav.push(NavLink {
            text: p.title.clone(),
            href: links.dir(&dir),
            current: spec.section == Some(dir.as_str()),
        });
    }
    let mut stylesheets = vec![links.file("assets/style.css")];
    stylesheets.extend(
        spec.extra_css
            .iter()
            .map(|c| links.file(&format!("assets/{c}"))),
    );
    stylesheets.push(links.file("assets/teams.css"));
    Layout {
        site_title,
        title: spec.title.to_string(),
        head_title,
        root: links.root().to_string(),
        home: links.dir(""),
        stylesheets,
        canonical: canonical(program, spec.path),
        nav,
        as_of: spec.as_of.to_string(),
        as_of_report: spec
            .as_of_report
            .and_then(|i| program.reports.get(i))
            .map(|r| Link {
                text: format!("Report of {}", r.date),
                href: links.dir(&report_dir(r.date)),
            }),
        body_class: format!("page-{}", spec.kind),
    }
}

/// `base_url` + the page's folder, for `<link rel="canonical">`.
fn canonical(program: &Program, path: &str) -> Option<String> {
    let base = program.meta.site.base_url.as_deref()?;
    if !(base.starts_with("https://") || base.starts_with("http://")) || path == "404.html" {
        return None;
    }
    let dir = path.strip_suffix("index.html").unwrap_or(path);
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    Some(format!("{base}{dir}"))
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
    facts: Cow<'a, SnapFacts>,
    /// Item index by id (detected risks name items by id).
    item_ids: &'a foldhash::HashMap<Box<str>, ItemIx>,
}

/// What the pages of one snapshot share: its risk register, its detected
/// risks and which risks the risks page lists.
#[derive(Clone, Debug, Default)]
pub struct SnapFacts {
    /// The risk register as of the snapshot, parallel to `program.risks`.
    register: std::sync::Arc<Vec<RiskState>>,
    /// The snapshot's detected risks, with overdue decisions judged as of its date.
    detected: Vec<std::sync::Arc<DetectedRisk>>,
    /// Whether the risks page (as of the current snapshot) lists each risk.
    listed: Vec<bool>,
}

/// [`SnapFacts`] of the current snapshot, computed once for the thousands of
/// pages that show it (per page, they would make a build quadratic).
#[derive(Debug, Default)]
pub struct ViewCache {
    current: std::sync::OnceLock<SnapFacts>,
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

impl SnapFacts {
    fn of(data: &SiteData, snap: &Snapshot) -> SnapFacts {
        let register = std::sync::Arc::clone(&snap.register);
        let listed = if std::ptr::eq(snap, data.current) {
            register.iter().map(|r| r.in_register).collect()
        } else {
            // The current snapshot's facts, computed once per build.
            data.cache
                .current
                .get_or_init(|| SnapFacts::of(data, data.current))
                .listed
                .clone()
        };
        SnapFacts {
            register,
            detected: snap.detected_risks.clone(),
            listed,
        }
    }
}

impl<'a> Viewer<'a> {
    pub fn new(data: &'a SiteData<'a>, snap: &'a Snapshot, links: &'a Links) -> Viewer<'a> {
        let facts = if std::ptr::eq(snap, data.current) {
            Cow::Borrowed(
                data.cache
                    .current
                    .get_or_init(|| SnapFacts::of(data, data.current)),
            )
        } else {
            Cow::Owned(SnapFacts::of(data, snap))
        };
        let item_ids = data.cache.item_ids(data.program);
        Viewer {
            program: data.program,
            snap,
            links,
            facts,
            item_ids,
        }
    }

    /// The risk register as of the snapshot, parallel to `program.risks`.
    pub fn register(&self) -> &[RiskState] {
        &self.facts.register
    }

    /// The risk's entry on the risks page; the page itself for a risk it
    /// does not list (raised after the site's date, seen from a later report
    /// built with `--as-of`).
    pub fn risk_href(&self, r: &Risk) -> String {
        let listed = self
            .program
            .risk_index(&r.id)
            .and_then(|i| self.facts.listed.get(i))
            .is_none_or(|&l| l);
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
            .and_then(|i| self.facts.register.get(i))
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
        let mut kinds: Vec<RiskKind> = self.facts.detected.iter().map(|d| d.kind).collect();
        kinds.sort_by_key(|&k| (risk_kind_rank(k), k));
        kinds.dedup();
        kinds
            .into_iter()
            .map(|k| self.detected_group(k, limit, entries))
            .collect()
    }

    fn detected_group(&self, kind: RiskKind, limit: usize, entries: bool) -> DetectedGroup {
        let risks: Vec<&DetectedRisk> = self
            .facts
            .detected
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
// Page views
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
    /// "3 working days late", "on the committed end date", ...
    pub verdict: String,
    /// `early`, `on-time` or `late`.
    pub class: &'static str,
}

pub fn schedule_view(program: &Program, snap: &Snapshot) -> ScheduleView {
    let l = snap.lateness;
    // The program is as late as its latest commitment (analysis'
    // `Lateness`): a dated milestone its providers miss makes it late even
    // when the end still has buffer.
    let (verdict, class) = match l.milestone {
        Some((ix, d)) if d > l.end => {
            let name = program.items.get(ix).map_or("", |i| i.name.as_str());
            let date = snap.items.get(ix).map(|s| s.planned_finish);
            (
                format!(
                    "{} late: milestone {name} misses its date{}",
                    working_days(d),
                    date.map(|d| format!(" {d}")).unwrap_or_default()
                ),
                "late",
            )
        }
        _ => (end_verdict(snap.end_slack), end_class(snap.end_slack)),
    };
    ScheduleView {
        start: program.meta.start.to_string(),
        committed_end: program.meta.end.to_string(),
        forecast_end: snap.forecast_end.to_string(),
        // Later than committed is positive, like a slip and a lateness.
        end_slack: slip(-snap.end_slack),
        verdict,
        class,
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

/// How many deliverables have a status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusCount {
    pub status: Badge,
    pub count: usize,
}

fn status_counts(program: &Program, snap: &Snapshot) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|&(_, st)| StatusCount {
            status: status_badge(st),
            count: program
                .items
                .iter()
                .zip(&snap.items)
                .filter(|(i, s)| i.kind == ItemKind::Deliverable && s.status == st)
                .count(),
        })
        .collect()
}

/// The overall RAG and summary of the report a snapshot is as of.
#[derive(Clone, Debug, Serialize)]
pub struct Headline {
    pub rag: Badge,
    pub summary: Option<String>,
    pub report: Option<Link>,
    pub date: Option<String>,
}

fn headline(program: &Program, snap: &Snapshot, links: &Links) -> Headline {
    let report = snap.report.and_then(|i| program.reports.get(i));
    Headline {
        rag: snap.status.map_or_else(no_rag_badge, rag_badge),
        summary: report.and_then(|r| non_empty(&r.summary)),
        report: report.map(|r| Link {
            text: format!("Report of {}", r.date),
            href: links.dir(&report_dir(r.date)),
        }),
        date: report.map(|r| r.date.to_string()),
    }
}

/// How many things each kind of detected risk names on the dashboard.
const DASHBOARD_TARGETS: usize = 6;
/// How many things each group of detected risks names on a report page (the
/// risks page lists them all).
const REPORT_TARGETS: usize = 24;
/// How many risks the dashboard and a report list (highest score first).
const TOP_RISKS: usize = 5;

#[derive(Clone, Debug, Serialize)]
pub struct DashboardView {
    pub name: String,
    pub objective: String,
    pub headline: Headline,
    pub schedule: ScheduleView,
    pub counts: Vec<StatusCount>,
    pub deliverables: usize,
    pub critical_path: Vec<ItemRow>,
    /// Why there is no critical path, when there is none.
    pub no_critical_path: String,
    pub milestones: Vec<ItemRow>,
    pub top_risks: Vec<RiskRow>,
    pub open_decisions: Vec<DecisionView>,
    pub overdue_decisions: usize,
    pub detected: Vec<DetectedGroup>,
    pub chart_summary: String,
    pub next_report: Option<String>,
}

pub fn dashboard(data: &SiteData, links: &Links) -> DashboardView {
    let (program, snap) = (data.program, data.current);
    let v = Viewer::new(data, snap, links);
    // The decisions on the table and not decided (analysis' one rule).
    let open: Vec<&Decision> = program
        .decisions
        .iter()
        .zip(&snap.decisions)
        .filter(|(_, f)| f.is_open())
        .map(|(d, _)| d)
        .collect();
    let open_decisions = v.decisions(open, snap.as_of);
    let mut top_risks = v.risk_rows(program.risks.iter().filter(|r| v.risk_active(r)));
    top_risks.truncate(TOP_RISKS);
    DashboardView {
        name: program.meta.name.clone(),
        objective: program.meta.objective.clone(),
        headline: headline(program, snap, links),
        schedule: schedule_view(program, snap),
        counts: status_counts(program, snap),
        deliverables: program
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Deliverable)
            .count(),
        critical_path: v.item_rows(snap.critical_path.iter().copied()),
        no_critical_path: no_critical_path(program, snap),
        milestones: v.item_rows(milestones_by_date(program, snap)),
        top_risks,
        overdue_decisions: open_decisions.iter().filter(|d| d.overdue).count(),
        open_decisions,
        detected: v.detected_groups(DASHBOARD_TARGETS, false),
        chart_summary: v.chart_summary(),
        next_report: data
            .scheduled
            .iter()
            .map(|(d, _)| *d)
            .find(|d| *d > snap.as_of)
            .map(|d| d.to_string()),
    }
}

fn milestones_by_date(program: &Program, snap: &Snapshot) -> Vec<ItemIx> {
    let mut ms: Vec<ItemIx> = (0..program.items.len())
        .filter(|&ix| program.items[ix].kind == ItemKind::Milestone)
        .collect();
    ms.sort_by_key(|&ix| (snap.items.get(ix).map(|s| s.planned_finish), ix));
    ms
}

#[derive(Clone, Debug, Serialize)]
pub struct CharterView {
    pub name: String,
    pub objective: String,
    pub success_criteria: Vec<String>,
    pub teams: Vec<TeamSummary>,
    pub schedule: ScheduleView,
    pub milestones: Vec<ItemRow>,
    pub key_risks: Vec<RiskRow>,
    pub communication: Vec<crate::model::Communication>,
    pub cadence: String,
    pub first_report: Option<String>,
    /// "Mon, Tue, Wed, Thu, Fri" or "every day".
    pub workdays: String,
    pub holidays: Vec<String>,
}

pub fn charter(data: &SiteData, links: &Links) -> CharterView {
    let (program, snap) = (data.program, data.current);
    let v = Viewer::new(data, snap, links);
    let meta = &program.meta;
    let key: Vec<&Risk> = meta
        .key_risks
        .iter()
        .filter_map(|&k| program.risks.get(k))
        .collect();
    CharterView {
        name: meta.name.clone(),
        objective: meta.objective.clone(),
        success_criteria: meta.success_criteria.clone(),
        teams: v.team_summaries(),
        schedule: schedule_view(program, snap),
        milestones: v.item_rows(milestones_by_date(program, snap)),
        key_risks: v.risk_rows(key),
        communication: meta.communication.clone(),
        cadence: meta.cadence.text.clone(),
        first_report: opt_date(meta.cadence.first),
        workdays: workdays_text(meta.calendar.workdays()),
        holidays: meta.holidays.iter().map(|d| d.to_string()).collect(),
    }
}

fn workdays_text(w: [bool; 7]) -> String {
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    if w.iter().all(|&b| b) {
        return "Every day".to_string();
    }
    NAMES
        .iter()
        .zip(w)
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Clone, Debug, Serialize)]
pub struct DependenciesView {
    pub rows: Vec<ItemRow>,
    pub negative_float: usize,
    pub negative_slack: usize,
    pub critical: usize,
    pub min_float: Days,
}

pub fn dependencies(data: &SiteData, links: &Links) -> DependenciesView {
    let v = Viewer::new(data, data.current, links);
    let rows = v.item_rows(v.timeline(&data.plan.order));
    DependenciesView {
        negative_float: rows.iter().filter(|r| r.float.value < 0).count(),
        negative_slack: rows.iter().filter(|r| r.slack.value < 0).count(),
        critical: rows.iter().filter(|r| r.critical).count(),
        min_float: days(data.current.min_float),
        rows,
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TeamsView {
    pub teams: Vec<TeamSummary>,
}

pub fn teams(data: &SiteData, links: &Links) -> TeamsView {
    TeamsView {
        teams: Viewer::new(data, data.current, links).team_summaries(),
    }
}

/// One dependency of a team on another: our item waits for theirs.
#[derive(Clone, Debug, Serialize)]
pub struct WaitEdge {
    pub ours: ItemRef,
    pub theirs: ItemRef,
    pub theirs_status: Badge,
    pub theirs_forecast: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct WaitGroup {
    pub team: TeamRef,
    pub edges: Vec<WaitEdge>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TeamView {
    pub summary: TeamSummary,
    pub items: Vec<ItemRow>,
    pub waits_on: Vec<WaitGroup>,
    pub risks: Vec<RiskRow>,
}

pub fn team(data: &SiteData, links: &Links, ix: TeamIx) -> Option<TeamView> {
    let v = Viewer::new(data, data.current, links);
    let summary = v.team_summary(ix)?;
    let owned: Vec<ItemIx> = match data.current.teams.get(ix) {
        Some(f) => f.deliverables.clone(),
        None => (0..data.program.items.len())
            .filter(|&i| data.program.items[i].owner == Some(ix))
            .collect(),
    };
    let waits = data
        .current
        .teams
        .get(ix)
        .map(|f| f.waits_on.clone())
        .unwrap_or_default();
    Some(TeamView {
        waits_on: waits
            .iter()
            .filter_map(|&t| wait_group(&v, &owned, t))
            .collect(),
        items: v.item_rows(owned.iter().copied()),
        risks: v.risk_rows(
            data.program
                .risks
                .iter()
                .filter(|r| r.owner_team == Some(ix)),
        ),
        summary,
    })
}

/// Our items' direct providers (looking through milestones) owned by `other`.
fn wait_group(v: &Viewer, owned: &[ItemIx], other: TeamIx) -> Option<WaitGroup> {
    let mut edges = Vec::new();
    for &ours in owned {
        for theirs in providers_through_milestones(v.program, ours) {
            if v.program.items.get(theirs).and_then(|i| i.owner) != Some(other) {
                continue;
            }
            let (Some(o), Some(t), Some(s)) = (
                v.item_ref(ours),
                v.item_ref(theirs),
                v.snap.items.get(theirs),
            ) else {
                continue;
            };
            edges.push(WaitEdge {
                ours: o,
                theirs: t,
                theirs_status: status_badge(s.status),
                theirs_forecast: s.forecast_finish.to_string(),
            });
        }
    }
    Some(WaitGroup {
        team: v.team_ref(other)?,
        edges,
    })
}

/// The providers of `ix`, with milestones replaced by their own providers (recursively).
fn providers_through_milestones(program: &Program, ix: ItemIx) -> Vec<ItemIx> {
    let mut out = Vec::new();
    let mut seen = vec![false; program.items.len()];
    let mut stack: Vec<ItemIx> = program
        .items
        .get(ix)
        .map(|i| i.depends_on.clone())
        .unwrap_or_default();
    while let Some(p) = stack.pop() {
        match seen.get_mut(p) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        match program.items.get(p) {
            Some(item) if item.kind == ItemKind::Milestone => {
                stack.extend(item.depends_on.iter().copied())
            }
            Some(_) => out.push(p),
            None => {}
        }
    }
    out.sort_unstable();
    out
}

#[derive(Clone, Debug, Serialize)]
pub struct RisksView {
    pub risks: Vec<RiskRow>,
    pub live: usize,
    pub detected: Vec<DetectedGroup>,
}

/// The register as of the current snapshot: status and scores after every
/// report patch up to it; risks raised later are not shown.
pub fn risks(data: &SiteData, links: &Links) -> RisksView {
    let v = Viewer::new(data, data.current, links);
    let risks = v.risk_rows(&data.program.risks);
    RisksView {
        live: risks.iter().filter(|r| r.active).count(),
        risks,
        detected: v.detected_groups(usize::MAX, true),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct DecisionsView {
    pub open: Vec<DecisionView>,
    pub decided: Vec<DecisionView>,
    pub overdue: usize,
}

pub fn decisions(data: &SiteData, links: &Links) -> DecisionsView {
    let v = Viewer::new(data, data.current, links);
    let (decided, open): (Vec<DecisionView>, Vec<DecisionView>) = v
        .decisions(&data.program.decisions, data.current.as_of)
        .into_iter()
        .partition(|d| d.decided);
    DecisionsView {
        overdue: open.iter().filter(|d| d.overdue).count(),
        open,
        decided,
    }
}

/// A row of the report archive: a report, or a scheduled date without one.
#[derive(Clone, Debug, Serialize)]
pub struct ArchiveRow {
    pub date: String,
    pub href: Option<String>,
    pub rag: Option<Badge>,
    pub summary: Option<String>,
    pub missing: bool,
    pub latest: bool,
}

/// One cell of the archive's RAG trend strip: a report (its RAG as a colour,
/// a letter and a shape) or a missing scheduled report.
#[derive(Clone, Debug, Serialize)]
pub struct StripCell {
    pub date: String,
    pub href: Option<String>,
    /// `G`, `A`, `R`, or `–` for a missing report.
    pub letter: &'static str,
    pub icon: &'static str,
    pub class: &'static str,
    /// "2027-01-15: Green", "2027-01-29: no report".
    pub label: String,
    /// "Green", "no report".
    pub word: &'static str,
    pub missing: bool,
    pub latest: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ArchiveView {
    pub rows: Vec<ArchiveRow>,
    /// Oldest first.
    pub strip: Vec<StripCell>,
    /// The newest report as of the site's date (`reports/latest/`).
    pub latest: Option<Link>,
    pub reports: usize,
    pub missing: usize,
    pub next_report: Option<String>,
    pub cadence: String,
}

pub fn archive(data: &SiteData, links: &Links) -> ArchiveView {
    let program = data.program;
    let as_of = data.current.as_of;
    let newest = program
        .reports
        .iter()
        .filter(|r| r.date <= as_of)
        .map(|r| r.date)
        .max();
    let mut rows: Vec<(Date, ArchiveRow)> = program
        .reports
        .iter()
        .map(|r| {
            (
                r.date,
                ArchiveRow {
                    date: r.date.to_string(),
                    href: Some(links.dir(&report_dir(r.date))),
                    rag: Some(rag_badge(r.status)),
                    summary: non_empty(&r.summary),
                    missing: false,
                    latest: Some(r.date) == newest,
                },
            )
        })
        .collect();
    for &(date, covered) in data.scheduled {
        if covered.is_none() && date <= as_of {
            rows.push((
                date,
                ArchiveRow {
                    date: date.to_string(),
                    href: None,
                    rag: None,
                    summary: None,
                    missing: true,
                    latest: false,
                },
            ));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.missing.cmp(&b.1.missing)));
    let missing = rows.iter().filter(|(_, r)| r.missing).count();
    let strip = rows
        .iter()
        .rev()
        .map(|(_, r)| {
            let (letter, icon, class, word) = match r.rag {
                Some(b) => (
                    match b.key {
                        "green" => "G",
                        "amber" => "A",
                        _ => "R",
                    },
                    b.icon,
                    b.class,
                    b.label,
                ),
                None => ("–", "✕", "rag-missing", "no report"),
            };
            StripCell {
                date: r.date.clone(),
                href: r.href.clone(),
                letter,
                icon,
                class,
                label: format!("{}: {word}", r.date),
                word,
                missing: r.missing,
                latest: r.latest,
            }
        })
        .collect();
    ArchiveView {
        strip,
        latest: data
            .current
            .report
            .and_then(|i| program.reports.get(i))
            .map(|r| Link {
                text: format!("Report of {}", r.date),
                href: links.dir(LATEST_DIR),
            }),
        reports: program.reports.len(),
        missing,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        next_report: data
            .scheduled
            .iter()
            .map(|(d, _)| *d)
            .find(|d| *d > as_of)
            .map(|d| d.to_string()),
        cadence: program.meta.cadence.text.clone(),
    }
}

/// A row of a report's dependency review.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewRow {
    pub from: ItemRef,
    pub to: ItemRef,
    pub provider_on_track: Flag,
    pub contract_changed: Flag,
    pub consumer_ready: Flag,
    pub note: Option<String>,
    pub flagged: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportView {
    pub program_name: String,
    pub date: String,
    /// A draft (shown by `serve` only; `build` never renders drafts).
    pub draft: bool,
    pub headline: Headline,
    pub period_from: String,
    pub period_to: String,
    pub previous: Option<Link>,
    /// The date the page's data is as of (the report's date).
    pub data_date: String,
    /// The commit the content was built from, when known.
    pub source_commit: Option<String>,
    /// Why the computed schedule contradicts the declared green or amber (empty: it agrees).
    pub disagreements: Vec<String>,
    pub since: SinceView,
    pub body_html: String,
    pub next: NextView,
    pub reviews: Vec<ReviewRow>,
    /// Cross-team dependencies on an at-risk or blocked provider that no row reviews.
    pub review_gaps: Vec<ReviewGap>,
    /// The report's `decisions` plus every decision raised before and still open.
    pub decisions: Vec<DecisionView>,
    pub decisions_open: usize,
    pub decisions_overdue: usize,
    /// The earliest `needed_by` of the open decisions.
    pub next_needed_by: Option<String>,
    /// The highest-scoring open or mitigating risks as of the report.
    pub top_risks: Vec<RiskRow>,
    pub risks_active: usize,
    /// Items updated, in flight, finished in the period or forecast late.
    pub rows: Vec<ItemRow>,
    pub updated: usize,
    /// Deliverables and milestones in the whole program.
    pub items_total: usize,
    pub schedule: ScheduleView,
    pub chart_summary: String,
    pub detected: Vec<DetectedGroup>,
}

/// The page of report `i`, built only from data up to the report: its own
/// snapshot (and the previous report's, for the changes), the risk register
/// with the patches of reports `..=i`, and decisions as of its date. Later
/// reports never change it.
pub fn report(data: &SiteData, links: &Links, i: usize) -> Option<ReportView> {
    let program = data.program;
    let r = program.reports.get(i)?;
    let snap = data.reports.get(i)?;
    let v = Viewer::new(data, snap, links);
    let prev = i.checked_sub(1).and_then(|p| program.reports.get(p));
    // The status table holds what a reader of this report needs, not the
    // whole program (which the team pages and deliverables.csv carry): the
    // items updated in this report, in flight, finished in its period or
    // forecast to miss a deadline. Bounded by the program's concurrency, so a
    // report page stays the same size however long the program runs.
    let mut updated = vec![false; program.items.len()];
    for u in &r.updates {
        if let Some(x) = updated.get_mut(u.item) {
            *x = true;
        }
    }
    let period_from = prev.map_or(program.meta.start, |p| p.date);
    let shown = |ix: ItemIx| {
        snap.items.get(ix).is_some_and(|s| {
            let done = s.status == Status::Done;
            updated[ix]
                || (!done && (s.forecast_start <= snap.as_of || s.deadline_slack < 0))
                || (done && s.forecast_finish > period_from && s.forecast_finish <= r.date)
        })
    };
    let timeline: Vec<ItemIx> = v
        .timeline(&data.plan.order)
        .into_iter()
        .filter(|&ix| shown(ix))
        .collect();
    let mut rows = Vec::with_capacity(timeline.len());
    for ix in timeline {
        if let Some(mut row) = v.item_row(ix) {
            row.updated = updated[ix];
            rows.push(row);
        }
    }
    let known = raised_decisions(program, i);
    let needed: Vec<&Decision> = program
        .decisions
        .iter()
        .enumerate()
        .filter(|(ix, d)| {
            // This report's decisions, and those on the table and open
            // (analysis' `DecisionFact::is_open`: escalated before, or overdue).
            r.decisions.contains(ix)
                || match decision_state(d, r.date) {
                    DecisionState::Overdue => true,
                    DecisionState::Open => known.contains(ix),
                    DecisionState::Decided => false,
                }
        })
        .map(|(_, d)| d)
        .collect();
    let decisions = v.decisions(needed, r.date);
    let open: Vec<&DecisionView> = decisions.iter().filter(|d| !d.decided).collect();
    let mut top_risks = v.risk_rows(program.risks.iter().filter(|x| v.risk_active(x)));
    let risks_active = top_risks.len();
    top_risks.truncate(TOP_RISKS);
    Some(ReportView {
        program_name: program.meta.name.clone(),
        date: r.date.to_string(),
        draft: r.draft,
        headline: Headline {
            rag: rag_badge(r.status),
            summary: non_empty(&r.summary),
            report: None,
            date: Some(r.date.to_string()),
        },
        period_from: period_from.to_string(),
        period_to: r.date.to_string(),
        previous: prev.map(|p| Link {
            text: format!("Report of {}", p.date),
            href: links.dir(&report_dir(p.date)),
        }),
        data_date: snap.as_of.to_string(),
        // An explicit --source-commit names the whole build; otherwise the
        // report shows the last commit of its own file (permanent).
        source_commit: data.source_commit.clone().or_else(|| r.commit.clone()),
        disagreements: rag_disagreements(program, snap),
        since: since_view(data, &v, i),
        body_html: markdown::to_html(&r.body),
        next: next_view(&v, &known, r.date),
        reviews: review_rows(&v, r),
        review_gaps: review_gaps(&v, r),
        decisions_open: open.len(),
        decisions_overdue: open.iter().filter(|d| d.overdue).count(),
        next_needed_by: open.iter().filter_map(|d| d.needed_by.clone()).min(),
        decisions,
        top_risks,
        risks_active,
        updated: updated.iter().filter(|&&x| x).count(),
        items_total: program.items.len(),
        rows,
        schedule: schedule_view(program, snap),
        chart_summary: v.chart_summary(),
        detected: v.detected_groups(REPORT_TARGETS, false),
    })
}

/// Decisions put in front of stakeholders by reports `..=i`, in first-raised order.
fn raised_decisions(program: &Program, i: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for r in &program.reports[..(i + 1).min(program.reports.len())] {
        for &d in &r.decisions {
            if !out.contains(&d) {
                out.push(d);
            }
        }
    }
    out
}

/// The program as planned, before any report: the baseline the first report
/// is compared with.
pub fn plan_snapshot(program: &Program, plan: &analysis::Plan) -> Snapshot {
    analysis::analyze(program, plan, &analysis::plan_state(program))
}

// ---------------------------------------------------------------------------
// "Since the last report"
// ---------------------------------------------------------------------------

/// One piece of a sentence: plain text, emphasised text, a link or a badge.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub href: Option<String>,
    pub badge: Option<Badge>,
    pub strong: bool,
}

impl Part {
    fn text(text: impl Into<String>) -> Part {
        Part {
            text: text.into(),
            href: None,
            badge: None,
            strong: false,
        }
    }
    fn strong(text: impl Into<String>) -> Part {
        Part {
            strong: true,
            ..Part::text(text)
        }
    }
    fn link(l: Link) -> Part {
        Part {
            href: Some(l.href),
            ..Part::text(l.text)
        }
    }
    fn badge(b: Badge) -> Part {
        Part {
            badge: Some(b),
            ..Part::text(b.label)
        }
    }
}

/// One line of "Since the last report". `tone` (`bad`, `good`, `neutral`)
/// picks the colour and `icon`; the words say the same.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ChangeLine {
    pub tone: &'static str,
    pub icon: &'static str,
    pub parts: Vec<Part>,
}

fn line(tone: &'static str, parts: Vec<Part>) -> ChangeLine {
    let icon = match tone {
        "bad" => "▼",
        "good" => "▲",
        _ => "•",
    };
    ChangeLine { tone, icon, parts }
}

/// Worse is lower: `bad`, better is higher: `good`.
fn tone_of(delta: i64) -> &'static str {
    match delta {
        d if d < 0 => "bad",
        d if d > 0 => "good",
        _ => "neutral",
    }
}

/// The changes of one kind.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeGroup {
    /// `end`, `status`, `slips`, `path`, `milestones`, `risks`, `decisions`.
    pub key: &'static str,
    pub title: &'static str,
    pub lines: Vec<ChangeLine>,
    /// Further entries, too many to spell out one per line.
    pub more: Vec<Link>,
    pub more_label: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SinceView {
    /// "the report of 2027-01-29" or "the plan".
    pub against: String,
    pub against_href: Option<String>,
    /// Nothing changed at all.
    pub empty: bool,
    pub groups: Vec<ChangeGroup>,
}

/// How many slips are spelled out, one per line; the rest are listed compactly.
const SLIP_LINES: usize = 8;

/// The changes from report `i - 1` (for the first report: the plan) to report `i`.
pub fn report_changes(data: &SiteData, i: usize) -> Option<Changes> {
    let program = data.program;
    let after = data.reports.get(i)?;
    let report = program.reports.get(i)?;
    let baseline;
    let (before, escalated): (&Snapshot, &[usize]) = match i.checked_sub(1) {
        Some(p) => (data.reports.get(p)?, &program.reports.get(p)?.decisions),
        None => {
            baseline = plan_snapshot(program, data.plan);
            (&baseline, &[])
        }
    };
    let (risks_before, risks_after) = (&before.register, &after.register);
    Some(changes::changes(
        program,
        &Side {
            snap: before,
            risks: risks_before,
            escalated,
        },
        &Side {
            snap: after,
            risks: risks_after,
            escalated: &report.decisions,
        },
    ))
}

fn since_view(data: &SiteData, v: &Viewer, i: usize) -> SinceView {
    let program = data.program;
    let (against, against_href) = match i.checked_sub(1).and_then(|p| program.reports.get(p)) {
        Some(p) => (
            format!("the report of {}", p.date),
            Some(v.links.dir(&report_dir(p.date))),
        ),
        None => ("the plan".to_string(), None),
    };
    let Some(c) = report_changes(data, i) else {
        return SinceView {
            against,
            against_href,
            empty: true,
            groups: Vec::new(),
        };
    };
    if c.is_empty() {
        return SinceView {
            against,
            against_href,
            empty: true,
            groups: Vec::new(),
        };
    }
    let groups = [
        end_group(v, &c),
        status_group(v, &c),
        slip_group(v, &c, &data.plan.order),
        path_group(v, &c),
        milestone_group(v, &c),
        risk_group(v, &c),
        decision_group(v, &c),
    ]
    .into_iter()
    .filter(|g| !g.lines.is_empty())
    .collect();
    SinceView {
        against,
        against_href,
        empty: false,
        groups,
    }
}

fn group(key: &'static str, title: &'static str, lines: Vec<ChangeLine>) -> ChangeGroup {
    ChangeGroup {
        key,
        title,
        lines,
        more: Vec::new(),
        more_label: None,
    }
}

impl Viewer<'_> {
    fn item_part(&self, ix: ItemIx) -> Part {
        match self.item_ref(ix) {
            Some(r) => Part::link(Link {
                text: r.name,
                href: r.href,
            }),
            None => Part::text("?"),
        }
    }

    fn risk_part(&self, ix: usize) -> Part {
        match self.program.risks.get(ix) {
            Some(r) => Part::link(Link {
                text: r.title.clone(),
                href: self.risk_href(r),
            }),
            None => Part::text("?"),
        }
    }

    fn decision_part(&self, ix: usize) -> Part {
        match self.program.decisions.get(ix) {
            Some(d) => Part::link(Link {
                text: d.title.clone(),
                href: format!("{}#decision-{}", self.links.dir("decisions"), d.id),
            }),
            None => Part::text("?"),
        }
    }

    /// Item links separated by commas.
    fn item_list_parts(&self, ixs: &[ItemIx]) -> Vec<Part> {
        let mut out = Vec::new();
        for (k, &ix) in ixs.iter().enumerate() {
            if k > 0 {
                out.push(Part::text(", "));
            }
            out.push(self.item_part(ix));
        }
        out
    }
}

fn end_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let end = v.program.meta.end;
    let (before, after) = (c.end_slack_before, c.end_slack_after);
    let fe_after = c
        .forecast_end_after
        .map(|d| d.to_string())
        .unwrap_or_default();
    let fe_before = c
        .forecast_end_before
        .map(|d| d.to_string())
        .unwrap_or_default();
    let mut lines = Vec::new();
    if before != after || c.forecast_end_before != c.forecast_end_after {
        let delta = after - before;
        let moved = match delta {
            0 => "unchanged".to_string(),
            d if d < 0 => format!("{} lost", working_days(d)),
            d => format!("{} gained", working_days(d)),
        };
        lines.push(line(
            tone_of(delta),
            vec![
                Part::text("Forecast end "),
                Part::strong(fe_after),
                Part::text(format!(
                    ", {}; it was {fe_before}, {}. Float to the committed end {end}: {} → {} working days ({moved}).",
                    end_verdict(after),
                    end_verdict(before),
                    days(before).text,
                    days(after).text,
                )),
            ],
        ));
    } else {
        lines.push(line(
            "neutral",
            vec![
                Part::text("Forecast end unchanged: "),
                Part::strong(fe_after),
                Part::text(format!(", {}.", end_verdict(after))),
            ],
        ));
    }
    group("end", "End date", lines)
}

/// How bad a status is, for the direction of a flip.
fn status_rank(s: Status) -> i64 {
    match s {
        Status::Done => 0,
        Status::OnTrack | Status::NotStarted => 1,
        Status::AtRisk => 2,
        Status::Blocked => 3,
    }
}

fn status_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut flips: Vec<_> = c.status_flips.iter().collect();
    let delta = |f: &changes::StatusFlip| status_rank(f.from) - status_rank(f.to);
    // Worse first, then better, then sideways; by id within each.
    flips.sort_by_key(|f| (delta(f).signum() != -1, delta(f).signum() != 1, f.item));
    let lines = flips
        .into_iter()
        .map(|f| {
            line(
                tone_of(delta(f)),
                vec![
                    v.item_part(f.item),
                    Part::text(" went from "),
                    Part::badge(status_badge(f.from)),
                    Part::text(" to "),
                    Part::badge(status_badge(f.to)),
                ],
            )
        })
        .collect();
    group("status", "Status changes", lines)
}

/// Forecast moves: first where they start (nothing upstream moved it the
/// same way), later ones before earlier ones, largest first; then milestones;
/// then everything else in dependency order, so a chain reads from its cause
/// to its end. Slips name the provider that pushed them (from [`changes`]);
/// gains name the provider they follow.
fn slip_group(v: &Viewer, c: &Changes, order: &[ItemIx]) -> ChangeGroup {
    let mut rank = vec![usize::MAX; v.program.items.len()];
    for (pos, &ix) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(ix) {
            *r = pos;
        }
    }
    let moved = |ix: ItemIx| c.slips.iter().find(|s| s.item == ix).map(|s| s.days);
    // The provider an item moved with: the cause of a slip, or for a gain the
    // provider driving it that gained too.
    let cause = |s: &changes::Slip| -> Option<(ItemIx, i64)> {
        s.cause.or_else(|| {
            let p = v.snap.items.get(s.item)?.pushed_by()?;
            let d = moved(p)?;
            (s.days < 0 && d < 0).then_some((p, d))
        })
    };
    let mut slips: Vec<&changes::Slip> = c.slips.iter().collect();
    slips.sort_by_key(|s| {
        let derived = cause(s).is_some();
        let milestone = v
            .program
            .items
            .get(s.item)
            .is_some_and(|i| i.kind == ItemKind::Milestone);
        let rank = rank.get(s.item).copied().unwrap_or(usize::MAX);
        if derived {
            (1 + u8::from(!milestone), false, 0, rank)
        } else {
            (0, s.days <= 0, -s.days.abs(), rank)
        }
    });
    let mut lines = Vec::new();
    let mut more = Vec::new();
    for s in slips {
        if lines.len() >= SLIP_LINES {
            if let Some(r) = v.item_ref(s.item) {
                more.push(Link {
                    text: format!("{} ({})", r.name, slip(s.days).text),
                    href: r.href,
                });
            }
            continue;
        }
        let mut parts = vec![v.item_part(s.item)];
        match s.days {
            d if d > 0 => {
                parts.push(Part::text(" slipped "));
                parts.push(Part::strong(working_days(d)));
            }
            d if d < 0 => {
                parts.push(Part::text(" moved "));
                parts.push(Part::strong(format!("{} earlier", working_days(d))));
            }
            _ => parts.push(Part::text(" moved within the same working day")),
        }
        parts.push(Part::text(format!(
            " (forecast finish {} → {})",
            s.from, s.to
        )));
        if let Some((p, d)) = cause(s) {
            parts.push(Part::text(if s.days > 0 {
                ", pushed by "
            } else {
                ", following "
            }));
            parts.push(v.item_part(p));
            parts.push(Part::text(format!(
                " ({} working day{})",
                slip(d).text,
                if d.abs() == 1 { "" } else { "s" }
            )));
        }
        lines.push(line(tone_of(-s.days), parts));
    }
    let more_label =
        (!more.is_empty()).then(|| format!("Also moved ({} more, working days):", more.len()));
    ChangeGroup {
        more,
        more_label,
        ..group("slips", "Forecast slips", lines)
    }
}

fn path_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    if !c.joined_critical_path.is_empty() {
        let mut parts = vec![Part::text("Joined the critical path: ")];
        parts.extend(v.item_list_parts(&c.joined_critical_path));
        lines.push(line("bad", parts));
    }
    if !c.left_critical_path.is_empty() {
        let mut parts = vec![Part::text("Left the critical path: ")];
        parts.extend(v.item_list_parts(&c.left_critical_path));
        lines.push(line("neutral", parts));
    }
    let path = &v.snap.critical_path;
    if c.critical_path_changed
        && let (Some(&first), Some(&last)) = (path.first(), path.last())
    {
        let finish = v
            .snap
            .items
            .get(last)
            .map(|s| s.forecast_finish.to_string())
            .unwrap_or_default();
        lines.push(line(
            "neutral",
            vec![
                Part::text(format!(
                    "The critical path now has {} from ",
                    plural(path.len(), "item", "items")
                )),
                v.item_part(first),
                Part::text(" to "),
                v.item_part(last),
                Part::text(format!(", finishing {finish}.")),
            ],
        ));
    }
    group("path", "Critical path", lines)
}

fn milestone_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    for &m in &c.milestones_met {
        let when = v
            .snap
            .items
            .get(m)
            .map(|s| s.forecast_finish.to_string())
            .unwrap_or_default();
        lines.push(line(
            "good",
            vec![v.item_part(m), Part::text(" met, "), Part::strong(when)],
        ));
    }
    for &m in &c.milestones_missed {
        let Some(s) = v.snap.items.get(m) else {
            continue;
        };
        lines.push(line(
            "bad",
            vec![
                v.item_part(m),
                Part::text(" missed its planned date "),
                Part::strong(s.planned_finish.to_string()),
                Part::text(format!("; now forecast {}", s.forecast_finish)),
            ],
        ));
    }
    group("milestones", "Milestones", lines)
}

fn risk_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    for &r in &c.risks_opened {
        let score = v.register().get(r).map_or(0, |s| s.score());
        lines.push(line(
            "bad",
            vec![
                v.risk_part(r),
                Part::text(" opened, score "),
                Part::strong(score.to_string()),
                Part::text(format!(" ({})", risk_level(score).label)),
            ],
        ));
    }
    for &r in &c.risks_closed {
        let occurred = v
            .register()
            .get(r)
            .is_some_and(|s| s.status == RiskStatus::Occurred);
        let mut parts = vec![v.risk_part(r)];
        if occurred {
            parts.push(Part::text(" "));
            parts.push(Part::strong("occurred"));
        } else {
            parts.push(Part::text(" "));
            parts.push(Part::strong("closed"));
        }
        if let Some(note) = v
            .register()
            .get(r)
            .and_then(|s| s.note.as_deref())
            .and_then(non_empty)
        {
            parts.push(Part::text(format!(": {note}")));
        }
        lines.push(line(if occurred { "bad" } else { "good" }, parts));
    }
    for rc in &c.risks_rescored {
        lines.push(line(
            tone_of(i64::from(rc.from_score) - i64::from(rc.to_score)),
            vec![
                v.risk_part(rc.risk),
                Part::text(" re-scored from "),
                Part::text(rc.from_score.to_string()),
                Part::text(" to "),
                Part::strong(rc.to_score.to_string()),
                Part::text(format!(" ({})", risk_level(rc.to_score).label)),
            ],
        ));
    }
    group("risks", "Risks", lines)
}

fn decision_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    for &d in &c.decisions_made {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let mut parts = vec![v.decision_part(d), Part::text(" "), Part::strong("decided")];
        if let Some(on) = dec.decided_on {
            parts.push(Part::text(format!(" on {on}")));
        }
        parts.push(Part::text(format!(" by {}", dec.decider)));
        if let Some(outcome) = non_empty(&dec.outcome) {
            parts.push(Part::text(format!(": {outcome}")));
        }
        lines.push(line("good", parts));
    }
    for &d in &c.decisions_escalated {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let mut parts = vec![
            Part::text("New: "),
            v.decision_part(d),
            Part::text(", for "),
            Part::strong(dec.decider.clone()),
        ];
        if let Some(by) = dec.needed_by {
            parts.push(Part::text(format!(" by {by}")));
        }
        lines.push(line("neutral", parts));
    }
    for &d in &c.decisions_gone_overdue {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let mut parts = vec![
            v.decision_part(d),
            Part::text(" is "),
            Part::strong("overdue"),
        ];
        if let Some(by) = dec.needed_by {
            parts.push(Part::text(format!(": needed by {by}")));
        }
        parts.push(Part::text(format!(", decider {}", dec.decider)));
        lines.push(line("bad", parts));
    }
    group("decisions", "Decisions", lines)
}

// ---------------------------------------------------------------------------
// "Next two weeks"
// ---------------------------------------------------------------------------

/// One thing due in the two weeks after a report.
#[derive(Clone, Debug, Serialize)]
pub struct NextEntry {
    pub date: String,
    /// `Starts`, `Finishes`, `Milestone`, `Decision due`.
    pub what: &'static str,
    /// `start`, `finish`, `milestone`, `decision`.
    pub kind: &'static str,
    pub subject: Link,
    pub milestone: bool,
    pub critical: bool,
    pub owner: Option<TeamRef>,
    pub detail: Option<String>,
    /// Later than planned.
    pub late: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct NextView {
    pub from: String,
    pub to: String,
    pub entries: Vec<NextEntry>,
}

/// Days after a report that "Next two weeks" covers.
const NEXT_DAYS: i64 = 14;

/// Items forecast to start or finish, milestones due (planned or forecast)
/// and decisions due in `(date, date + 14 days]`, as of the snapshot.
/// Decisions count once a report up to this one has raised them (`known`).
fn next_view(v: &Viewer, known: &[usize], date: Date) -> NextView {
    let until = date
        .checked_add(jiff::Span::new().days(NEXT_DAYS))
        .unwrap_or(date);
    let inside = |d: Date| d > date && d <= until;
    let mut entries: Vec<(Date, u8, NextEntry)> = Vec::new();
    for (ix, (item, s)) in v.program.items.iter().zip(&v.snap.items).enumerate() {
        if s.status == Status::Done {
            continue;
        }
        let Some(r) = v.item_ref(ix) else { continue };
        let subject = Link {
            text: r.name.clone(),
            href: r.href.clone(),
        };
        let owner = item.owner.and_then(|t| v.team_ref(t));
        let late = s.forecast_finish > s.planned_finish;
        let planned = |what: &str, planned: Date, forecast: Date| {
            (planned != forecast).then(|| format!("{what} {planned}"))
        };
        match item.kind {
            ItemKind::Milestone => {
                if inside(s.forecast_finish) || inside(s.planned_finish) {
                    entries.push((
                        s.forecast_finish,
                        0,
                        NextEntry {
                            date: s.forecast_finish.to_string(),
                            what: "Milestone",
                            kind: "milestone",
                            subject,
                            milestone: true,
                            critical: r.critical,
                            owner,
                            detail: planned("planned for", s.planned_finish, s.forecast_finish),
                            late,
                        },
                    ));
                }
            }
            ItemKind::Deliverable => {
                if inside(s.forecast_finish) {
                    entries.push((
                        s.forecast_finish,
                        1,
                        NextEntry {
                            date: s.forecast_finish.to_string(),
                            what: "Finishes",
                            kind: "finish",
                            subject: subject.clone(),
                            milestone: false,
                            critical: r.critical,
                            owner: owner.clone(),
                            detail: planned("planned", s.planned_finish, s.forecast_finish),
                            late,
                        },
                    ));
                }
                if inside(s.forecast_start) {
                    entries.push((
                        s.forecast_start,
                        2,
                        NextEntry {
                            date: s.forecast_start.to_string(),
                            what: "Starts",
                            kind: "start",
                            subject,
                            milestone: false,
                            critical: r.critical,
                            owner,
                            detail: planned("planned", s.planned_start, s.forecast_start),
                            late: s.forecast_start > s.planned_start,
                        },
                    ));
                }
            }
        }
    }
    for &d in known {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let Some(by) = dec.needed_by else { continue };
        if inside(by) && decision_state(dec, date) != DecisionState::Decided {
            entries.push((
                by,
                3,
                NextEntry {
                    date: by.to_string(),
                    what: "Decision due",
                    kind: "decision",
                    subject: Link {
                        text: dec.title.clone(),
                        href: format!("{}#decision-{}", v.links.dir("decisions"), dec.id),
                    },
                    milestone: false,
                    critical: false,
                    owner: None,
                    detail: Some(format!("decider: {}", dec.decider)),
                    late: false,
                },
            ));
        }
    }
    entries.sort_by(|a, b| (a.0, a.1, &a.2.subject.text).cmp(&(b.0, b.1, &b.2.subject.text)));
    NextView {
        from: date.to_string(),
        to: until.to_string(),
        entries: entries.into_iter().map(|(_, _, e)| e).collect(),
    }
}

// ---------------------------------------------------------------------------
// Dependency review gaps
// ---------------------------------------------------------------------------

/// A cross-team dependency on an at-risk or blocked provider that the
/// report's dependency review does not cover.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewGap {
    pub provider: ItemRef,
    pub provider_team: Option<TeamRef>,
    pub status: Badge,
    pub consumer: ItemRef,
    pub consumer_team: Option<TeamRef>,
    /// Milestones between them, if the dependency goes through any.
    pub via: Vec<ItemRef>,
}

/// Every deliverable provider that is at risk or blocked as of the report,
/// with each not-done deliverable of another team that depends on it
/// (directly or through milestones), where no review row of the report names
/// the provider (or a milestone in between) as `from` and the consumer (or a
/// milestone in between) as `to`.
fn review_gaps(v: &Viewer, r: &Report) -> Vec<ReviewGap> {
    let program = v.program;
    let mut out = Vec::new();
    for (c, consumer) in program.items.iter().enumerate() {
        let Some(c_team) = consumer.owner else {
            continue;
        };
        if v.snap.items.get(c).is_none_or(|s| s.status == Status::Done) {
            continue;
        }
        for (p, via) in providers_with_route(program, c) {
            let (Some(provider), Some(ps)) = (program.items.get(p), v.snap.items.get(p)) else {
                continue;
            };
            if provider.owner.is_none_or(|t| t == c_team)
                || !matches!(ps.status, Status::AtRisk | Status::Blocked)
            {
                continue;
            }
            let reviewed = r.dependencies.iter().any(|row| {
                (row.from == p || via.contains(&row.from)) && (row.to == c || via.contains(&row.to))
            });
            if reviewed {
                continue;
            }
            let (Some(pr), Some(cr)) = (v.item_ref(p), v.item_ref(c)) else {
                continue;
            };
            out.push(ReviewGap {
                provider: pr,
                provider_team: provider.owner.and_then(|t| v.team_ref(t)),
                status: status_badge(ps.status),
                consumer: cr,
                consumer_team: v.team_ref(c_team),
                via: v.item_refs(&via),
            });
        }
    }
    out.sort_by(|a, b| (&a.provider.id, &a.consumer.id).cmp(&(&b.provider.id, &b.consumer.id)));
    out
}

/// The deliverable providers of `ix`, looking through milestones, each with
/// the milestones on the way (the first route found, in id order).
fn providers_with_route(program: &Program, ix: ItemIx) -> Vec<(ItemIx, Vec<ItemIx>)> {
    let mut out: Vec<(ItemIx, Vec<ItemIx>)> = Vec::new();
    let mut seen = vec![false; program.items.len()];
    let mut stack: Vec<(ItemIx, Vec<ItemIx>)> = program
        .items
        .get(ix)
        .map(|i| {
            i.depends_on
                .iter()
                .rev()
                .map(|&p| (p, Vec::new()))
                .collect()
        })
        .unwrap_or_default();
    while let Some((p, via)) = stack.pop() {
        match seen.get_mut(p) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        match program.items.get(p) {
            Some(item) if item.kind == ItemKind::Milestone => {
                for &q in item.depends_on.iter().rev() {
                    let mut route = via.clone();
                    route.push(p);
                    stack.push((q, route));
                }
            }
            Some(_) => out.push((p, via)),
            None => {}
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

fn review_rows(v: &Viewer, r: &Report) -> Vec<ReviewRow> {
    r.dependencies
        .iter()
        .filter_map(|d| {
            Some(ReviewRow {
                from: v.item_ref(d.from)?,
                to: v.item_ref(d.to)?,
                provider_on_track: flag(d.provider_on_track, true),
                contract_changed: flag(d.contract_changed, false),
                consumer_ready: flag(d.consumer_ready, true),
                note: non_empty(&d.note),
                flagged: d.provider_on_track == Some(false) || d.contract_changed == Some(true),
            })
        })
        .collect()
}

/// One report's update of an item.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryRow {
    pub report: Link,
    pub status: Option<Badge>,
    pub progress: Option<u8>,
    pub forecast: Option<String>,
    pub note: Option<String>,
}

/// A provider or consumer of an item, with its state.
#[derive(Clone, Debug, Serialize)]
pub struct Neighbour {
    pub item: ItemRef,
    pub owner: Option<TeamRef>,
    pub status: Badge,
    pub forecast_finish: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    pub row: ItemRow,
    pub contract: Option<String>,
    pub description_html: String,
    pub providers: Vec<Neighbour>,
    pub consumers: Vec<Neighbour>,
    pub risks: Vec<RiskRow>,
    pub history: Vec<HistoryRow>,
    pub trend: ForecastTrend,
}

pub fn item(data: &SiteData, links: &Links, ix: ItemIx) -> Option<ItemView> {
    let program = data.program;
    let it = program.items.get(ix)?;
    let v = Viewer::new(data, data.current, links);
    let consumers = data.plan.consumers.get(ix).cloned().unwrap_or_default();
    Some(ItemView {
        row: v.item_row(ix)?,
        contract: it.contract.as_deref().and_then(non_empty),
        description_html: markdown::to_html(&it.description),
        providers: neighbours(&v, &it.depends_on),
        consumers: neighbours(&v, &consumers),
        risks: v.risk_rows(
            data.cache
                .risks_of(program, ix)
                .iter()
                .map(|&k| &program.risks[k]),
        ),
        history: history(program, data.cache.updates_of(program, ix), links),
        trend: forecast_trend(data, links, ix),
    })
}

fn neighbours(v: &Viewer, ixs: &[ItemIx]) -> Vec<Neighbour> {
    ixs.iter()
        .filter_map(|&ix| {
            let s = v.snap.items.get(ix)?;
            Some(Neighbour {
                item: v.item_ref(ix)?,
                owner: v.program.items.get(ix)?.owner.and_then(|t| v.team_ref(t)),
                status: status_badge(s.status),
                forecast_finish: s.forecast_finish.to_string(),
            })
        })
        .collect()
}

/// Every report's update of the item (`updates`: `(report, update)`
/// indexes, oldest first), newest first.
fn history(program: &Program, updates: &[(usize, usize)], links: &Links) -> Vec<HistoryRow> {
    let mut rows: Vec<HistoryRow> = updates
        .iter()
        .filter_map(|&(k, u)| {
            let r = program.reports.get(k)?;
            let u = r.updates.get(u)?;
            Some(HistoryRow {
                report: Link {
                    text: r.date.to_string(),
                    href: links.dir(&report_dir(r.date)),
                },
                status: u.status.map(status_badge),
                progress: u.progress,
                forecast: opt_date(u.forecast),
                note: u.note.as_deref().and_then(non_empty),
            })
        })
        .collect();
    rows.reverse();
    rows
}

#[derive(Clone, Debug, Serialize)]
pub struct PageView {
    pub title: String,
    pub body_html: String,
}

pub fn page(program: &Program, i: usize) -> Option<PageView> {
    let p = program.pages.get(i)?;
    Some(PageView {
        title: p.title.clone(),
        body_html: markdown::to_html(&p.body),
    })
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

    #[test]
    fn sparkline_is_escaped_and_styled_by_classes() {
        let svg = sparkline(&[0, 2, 5, 3], r#"a <b> & "c""#);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(svg.contains("a &lt;b&gt; &amp;"), "{svg}");
        assert!(!svg.contains("<b>") && !svg.contains("style="), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains("spark-dot spark-last is-late"), "{svg}");
        // Later is lower: the 5-day point is at the bottom.
        assert!(svg.contains("points=\"4,4 "), "{svg}");
        assert!(sparkline(&[0, 0], "flat").contains("spark-line"));
    }

    #[test]
    fn change_lines_carry_a_tone_an_icon_and_words() {
        assert_eq!(tone_of(-2), "bad");
        assert_eq!(tone_of(3), "good");
        assert_eq!(tone_of(0), "neutral");
        let l = line("bad", vec![Part::text("x slipped")]);
        assert_eq!((l.icon, l.tone), ("▼", "bad"));
        assert_eq!(line("good", Vec::new()).icon, "▲");
        let b = Part::badge(status_badge(Status::Blocked));
        assert_eq!(b.text, "Blocked");
        assert!(Part::strong("x").strong);
        assert_eq!(status_rank(Status::Blocked), 3);
        assert!(status_rank(Status::Done) < status_rank(Status::OnTrack));
    }

    #[test]
    fn forecast_trend_in_words() {
        let row = |label: &str, finish: &str, change: Option<i64>, s: i64| TrendRow {
            label: label.into(),
            href: None,
            status: None,
            forecast_finish: finish.into(),
            change: change.map(slip),
            slip: slip(s),
            pushed_by: None,
        };
        assert_eq!(
            trend_summary(
                &[
                    row("Plan", "2027-02-19", None, 0),
                    row("2027-01-15", "2027-02-19", Some(0), 0),
                    row("2027-01-29", "2027-02-23", Some(2), 2),
                ],
                2,
                1
            ),
            "Planned to finish 2027-02-19; forecast 2027-02-23 as of 2027-01-29, \
             2 working days later than planned. The forecast moved in 1 of 2 reports."
        );
        assert_eq!(
            trend_summary(&[row("Plan", "2027-02-19", None, 0)], 0, 0),
            "Planned to finish 2027-02-19; no report has a forecast yet."
        );
    }

    #[test]
    fn workdays_in_words() {
        assert_eq!(
            workdays_text([true, true, true, true, true, false, false]),
            "Mon, Tue, Wed, Thu, Fri"
        );
        assert_eq!(workdays_text([true; 7]), "Every day");
    }
}

// ---------------------------------------------------------------------------
// Forecast trend of one item
// ---------------------------------------------------------------------------

/// The item's forecast finish as planned, then as of one report.
#[derive(Clone, Debug, Serialize)]
pub struct TrendRow {
    /// `Plan`, or the report's date.
    pub label: String,
    pub href: Option<String>,
    pub status: Option<Badge>,
    pub forecast_finish: String,
    /// Working days moved since the previous row (none for the plan).
    pub change: Option<Days>,
    /// Working days later than planned.
    pub slip: Days,
    pub pushed_by: Option<ItemRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ForecastTrend {
    /// The plan, then every report up to the site's date, oldest first.
    pub rows: Vec<TrendRow>,
    /// The slip per report as a small inline SVG (built with the `svg`
    /// crate, which escapes text); empty when there is no report yet.
    pub sparkline_html: String,
    /// The trend in words.
    pub summary: String,
}

fn forecast_trend(data: &SiteData, links: &Links, ix: ItemIx) -> ForecastTrend {
    let program = data.program;
    let cal = &program.meta.calendar;
    let wd = |from: Date, to: Date| cal.on_or_before(to) - cal.on_or_before(from);
    let upto = data.current.report.map_or(0, |r| r + 1);
    let Some(planned) = data.current.items.get(ix).map(|s| s.planned_finish) else {
        return ForecastTrend {
            rows: Vec::new(),
            sparkline_html: String::new(),
            summary: String::new(),
        };
    };
    // One cheap point per report first; rows (strings, links) only for the
    // turning points, so years of reports cost little per item.
    let mut points: Vec<(usize, &ItemSchedule, i64)> = Vec::with_capacity(upto);
    let mut slips: Vec<i64> = vec![0];
    let mut prev = planned;
    for (k, snap) in data.reports.iter().enumerate().take(upto) {
        let Some(s) = snap.items.get(ix) else {
            continue;
        };
        points.push((k, s, wd(prev, s.forecast_finish)));
        slips.push(i64::from(s.slip));
        prev = s.forecast_finish;
    }
    let last = points.len().saturating_sub(1);
    let mut rows = vec![TrendRow {
        label: "Plan".to_string(),
        href: None,
        status: None,
        forecast_finish: planned.to_string(),
        change: None,
        slip: slip(0),
        pushed_by: None,
    }];
    let mut moves = 0;
    let mut before: Option<(Status, Option<ItemIx>)> = None;
    for (n, &(k, s, change)) in points.iter().enumerate() {
        let key = (s.status, s.pushed_by());
        if change != 0 {
            moves += 1;
        }
        if n == 0 || n == last || change != 0 || before != Some(key) {
            let date = program.reports.get(k).map(|r| r.date).unwrap_or(planned);
            // Item links as of that report (its critical flags).
            let v = Viewer {
                program,
                snap: &data.reports[k],
                links,
                facts: Cow::Owned(SnapFacts::default()),
                item_ids: data.cache.item_ids(program),
            };
            rows.push(TrendRow {
                label: date.to_string(),
                href: Some(links.dir(&report_dir(date))),
                status: Some(status_badge(s.status)),
                forecast_finish: s.forecast_finish.to_string(),
                change: Some(slip(change)),
                slip: slip(s.slip.into()),
                pushed_by: s.pushed_by().and_then(|p| v.item_ref(p)),
            });
        }
        before = Some(key);
    }
    let summary = trend_summary(&rows, points.len(), moves);
    let sparkline_html = if points.is_empty() {
        String::new()
    } else {
        sparkline(&slips, &summary)
    };
    ForecastTrend {
        rows,
        sparkline_html,
        summary,
    }
}

/// The trend in words: `rows` are the plan row and the shown report rows,
/// the last one the latest report; `reports` and `moves` count every report.
fn trend_summary(rows: &[TrendRow], reports: usize, moves: usize) -> String {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return String::new();
    };
    if rows.len() < 2 {
        return format!(
            "Planned to finish {}; no report has a forecast yet.",
            first.forecast_finish
        );
    }
    let verdict = match last.slip.value {
        0 => "on plan".to_string(),
        s if s > 0 => format!("{} later than planned", working_days(s)),
        s => format!("{} earlier than planned", working_days(s)),
    };
    format!(
        "Planned to finish {}; forecast {} as of {}, {verdict}. The forecast moved in {} of {}.",
        first.forecast_finish,
        last.forecast_finish,
        last.label,
        moves,
        plural(reports, "report", "reports"),
    )
}

/// A small line chart of working days of slip per report (the plan first, at
/// zero), with a zero line; later is drawn lower, like a slip. Classes only,
/// no inline styles; the page prints the summary next to it, so the chart is
/// hidden from screen readers and shows the summary as its tooltip.
fn sparkline(values: &[i64], summary: &str) -> String {
    use ::svg::Document;
    use ::svg::node::element::{Circle, Line, Polyline, Title};

    const W: f64 = 160.0;
    const H: f64 = 36.0;
    const PAD: f64 = 4.0;
    let lo = values.iter().copied().min().unwrap_or(0).min(0);
    let hi = values.iter().copied().max().unwrap_or(0).max(0);
    let span = (hi - lo).max(1) as f64;
    let n = values.len();
    let x = |k: usize| {
        if n <= 1 {
            W / 2.0
        } else {
            PAD + (W - 2.0 * PAD) * k as f64 / (n - 1) as f64
        }
    };
    // Higher slip is lower on the chart.
    let y = |v: i64| PAD + (H - 2.0 * PAD) * (v - lo) as f64 / span;
    let num = super::svg::num;
    // A long series keeps its turning points only (the ends and every value
    // that differs from a neighbour): flat runs draw the same, and the
    // chart stays small after years of reports.
    let keep = |k: usize| {
        n <= 16 || k == 0 || k + 1 == n || values[k] != values[k - 1] || values[k] != values[k + 1]
    };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .filter(|&(k, _)| keep(k))
        .map(|(k, &v)| format!("{},{}", num(x(k)), num(y(v))))
        .collect();
    let mut doc = Document::new()
        .set("viewBox", format!("0 0 {} {}", num(W), num(H)))
        .set("width", num(W))
        .set("height", num(H))
        .set("class", "sparkline")
        // The summary is printed next to it; the title is the tooltip.
        .set("aria-hidden", "true")
        .add(Title::new(summary))
        .add(
            Line::new()
                .set("x1", num(PAD))
                .set("x2", num(W - PAD))
                .set("y1", num(y(0)))
                .set("y2", num(y(0)))
                .set("class", "spark-zero"),
        )
        .add(
            Polyline::new()
                .set("points", points.join(" "))
                .set("class", "spark-line"),
        );
    for (k, &v) in values.iter().enumerate().filter(|&(k, _)| keep(k)) {
        let class = match (k + 1 == n, v > 0) {
            (true, true) => "spark-dot spark-last is-late",
            (true, false) => "spark-dot spark-last",
            (false, true) => "spark-dot is-late",
            (false, false) => "spark-dot",
        };
        doc = doc.add(
            Circle::new()
                .set("cx", num(x(k)))
                .set("cy", num(y(v)))
                .set("r", if k + 1 == n { 3 } else { 2 })
                .set("class", class),
        );
    }
    doc.to_string()
}
