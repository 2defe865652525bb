//! Schedule analysis: pure functions from a resolved [`Program`](crate::model::Program) to the derived
//! facts of the spec ("Derived facts"): planned dates, forecasts with slip
//! propagation, late dates, total float, deadline slack, critical items and the
//! critical path, per-team blocking power and waits_on, and detected schedule
//! risks.
//!
//! This is the only module that uses petgraph. It does no IO and renders
//! nothing. Day arithmetic is done in working-day ordinals ([`WorkDay`]) of the
//! program calendar; dates appear only at the edges.
//!
//! The flow is: [`plan()`] once per program (dependency order, cycles, planned
//! dates), then [`states`] (the merged report updates as of every report,
//! computed incrementally), then [`analyze`] for any one state.

pub mod changes;
pub mod checks;
mod dates;
mod graph;
pub mod impact;
mod plan;
pub mod register;
mod risks;
mod schedule;
mod state;
mod teams;
#[cfg(test)]
mod testkit;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{ItemIx, Rag, Status, TeamIx, WorkDay};

pub use plan::plan;
pub use risks::scheduled_reports;
pub use schedule::analyze;
pub use state::{StateIter, plan_state, state_as_of, states};

/// The planned schedule: dependency order and planned dates. Independent of reports.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Every item, providers before consumers.
    pub order: Vec<ItemIx>,
    /// Direct consumers of each item, sorted.
    pub consumers: Vec<Vec<ItemIx>>,
    /// Parallel to `Program::items`.
    pub items: Vec<PlannedItem>,
    /// Per-team facts (they depend only on the graph and ownership), parallel
    /// to `Program::teams`; [`analyze`] copies them into every snapshot.
    pub teams: std::sync::Arc<Vec<TeamFacts>>,
    /// Every item's providers in one flat list: a compact copy of
    /// `Item::depends_on` that keeps the passes' memory reads local.
    pub(crate) providers: graph::Adjacency,
    /// The same for `consumers`.
    pub(crate) consumer_lists: graph::Adjacency,
    /// Every dependency's link as the passes use it, parallel to the flat
    /// list of `providers` (the consumer's view).
    pub(crate) provider_edges: Vec<Edge>,
    /// The same links parallel to the flat list of `consumer_lists` (the
    /// provider's view).
    pub(crate) consumer_edges: Vec<Edge>,
}

/// One dependency compiled for the passes, in working-day ordinals with the
/// internal convention of [`schedule`] (a milestone's internal start is the
/// working day after its date): the consumer's internal start must be at
/// least the provider's internal start (`from_start`) or finish, plus
/// `shift`. A link that bounds the consumer's finish (FF, SF) is turned
/// into a bound on its start through the consumer's planned duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Edge {
    pub shift: i64,
    pub from_start: bool,
}

impl Edge {
    /// The edge of `link` from a provider to a consumer of `duration`
    /// working days (0: a milestone); see docs/content-format.md, "Link
    /// types and lags".
    pub(crate) fn new(
        link: crate::model::Link,
        provider_milestone: bool,
        consumer_milestone: bool,
        duration: i64,
    ) -> Edge {
        use crate::model::LinkType;
        let from_start = link.kind.from_provider_start();
        // The instant rules (start = beginning of the start day, finish = end
        // of the finish day) as offsets between internal ordinals.
        let mut offset = match link.kind {
            LinkType::FinishToStart => 1,
            LinkType::StartToStart | LinkType::FinishToFinish => 0,
            LinkType::StartToFinish => -1,
        } + link.lag;
        // A milestone tied to a deliverable's start falls on that day, not
        // the evening before.
        if consumer_milestone && !provider_milestone && from_start {
            offset += 1;
        }
        if link.kind.to_consumer_finish() {
            offset -= duration - 1;
        }
        Edge {
            shift: offset,
            from_start,
        }
    }

    /// The earliest internal start this edge allows the consumer, given the
    /// provider's internal start and finish.
    #[inline]
    pub(crate) fn bound(self, start: WorkDay, finish: WorkDay) -> WorkDay {
        (if self.from_start { start } else { finish }) + self.shift
    }
}

/// An item's planned dates as working-day ordinals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedItem {
    /// For a milestone, `start == finish` (its date).
    pub start: WorkDay,
    pub finish: WorkDay,
    /// Working days; 0 for milestones.
    pub duration: i64,
    /// The deadline `deadline_slack` is measured against: the planned finish
    /// (a deliverable's `due`, or start + duration - 1; a milestone's date).
    pub due: WorkDay,
}

/// The state of every item as of one date: the merged report updates.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub as_of: Date,
    /// Index into `Program::reports` of the newest report included, if any.
    pub report: Option<usize>,
    pub items: Vec<ItemState>,
    /// The risk register as of the date, parallel to `Program::risks`.
    pub risks: std::sync::Arc<Vec<register::RiskState>>,
    /// Per decision: whether a report up to the date put it in front of
    /// stakeholders (its `decisions` list named it).
    pub escalated: Vec<bool>,
}

/// One item's merged updates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemState {
    pub status: Status,
    pub progress: u8,
    /// The reported forecast (snapped), if any report gave one.
    pub forecast: Option<Date>,
    pub note: Option<Note>,
    /// Date of the newest report that updated this item.
    pub updated: Option<Date>,
}

impl Default for ItemState {
    fn default() -> Self {
        ItemState {
            status: Status::NotStarted,
            progress: 0,
            forecast: None,
            note: None,
            updated: None,
        }
    }
}

/// Every derived fact of the program as of one state.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub as_of: Date,
    /// The overall RAG of the as-of report, if there is one.
    pub status: Option<Rag>,
    pub report: Option<usize>,
    /// Parallel to `Program::items`.
    pub items: Vec<ItemSchedule>,
    /// Latest forecast finish over all items (the program start if there are none).
    pub forecast_end: Date,
    /// Minimum total float over open (not done) items (0 when none is open).
    pub min_float: i64,
    /// `program.end - forecast_end` in working days (negative: late).
    pub end_slack: i64,
    /// How late the program is: the one lateness every headline, caption
    /// and export states.
    pub lateness: Lateness,
    /// Open items forecast to finish after their own due date (a milestone:
    /// its date), i.e. [`ItemSchedule::is_late`]: the one "late" count.
    pub late_items: usize,
    pub critical_path: Vec<ItemIx>,
    /// Parallel to `Program::teams`.
    pub teams: std::sync::Arc<Vec<TeamFacts>>,
    /// The risk register as of the date (the reports' patches merged, risks
    /// not raised yet marked out of the register), parallel to
    /// `Program::risks`. Its score and band are the ones every page shows.
    pub register: std::sync::Arc<Vec<register::RiskState>>,
    /// Each decision's state as of the date, parallel to `Program::decisions`.
    pub decisions: Vec<register::DecisionFact>,
    /// Sorted by kind, then items, then message. Shared: a risk that a
    /// report's snapshot finds again, unchanged, is the same allocation as
    /// in the previous report's ([`share_risks`]).
    pub detected_risks: Vec<std::sync::Arc<DetectedRisk>>,
}

/// One item's derived dates and flags. Every report keeps one of these per
/// item (years of reports of tens of thousands of items), so the counts are
/// `i32` (working days: the whole calendar range fits many times over), the
/// note a shared thin pointer and the item index 4 bytes (see
/// [`ItemSchedule::pushed_by`]): 56 bytes in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemSchedule {
    pub planned_start: Date,
    pub planned_finish: Date,
    pub forecast_start: Date,
    pub forecast_finish: Date,
    pub late_start: Date,
    pub late_finish: Date,
    /// Working days; 0 for milestones.
    pub duration: i32,
    pub total_float: i32,
    pub deadline_slack: i32,
    pub critical: bool,
    pub status: Status,
    pub progress: u8,
    pub note: Option<Note>,
    /// The provider whose link drives this item's forecast later than
    /// planned (for a plain link: whose forecast finish drives its forecast
    /// start; smallest id on ties), if any: the "pushed by" cause, stored as
    /// index + 1. [`ItemSchedule::pushed_by_link`] adds the link. Read it with [`ItemSchedule::pushed_by`].
    pub pushed_by_ix: Option<std::num::NonZeroU32>,
    /// Working days the forecast finish is later than the planned finish.
    pub slip: i32,
}

/// How late the program is as of a snapshot, in working days (positive:
/// late). The program is as late as the later of its end and its dated
/// milestones: a milestone whose providers now miss its date is late by that
/// many working days whatever the program end's float.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Lateness {
    /// Working days the forecast end is after the committed end (0 when on
    /// time or early).
    pub end: i64,
    /// The open milestone most late against its date (smallest id on ties)
    /// and by how many working days, when one is late.
    pub milestone: Option<(ItemIx, i64)>,
    /// The larger of the two: 0 means nothing the program committed to is late.
    pub days: i64,
}

impl Lateness {
    /// The lateness of a schedule: `end_slack` is `program.end -
    /// forecast_end`; `items` pairs each item's kind (true: milestone) with
    /// its schedule.
    pub fn of<'a>(
        end_slack: i64,
        items: impl Iterator<Item = (bool, &'a ItemSchedule)>,
    ) -> Lateness {
        let end = (-end_slack).max(0);
        let mut milestone: Option<(ItemIx, i64)> = None;
        for (ix, (is_milestone, s)) in items.enumerate() {
            let late = s.days_late();
            if is_milestone && late > 0 && milestone.is_none_or(|(_, d)| late > d) {
                milestone = Some((ix, late));
            }
        }
        let days = end.max(milestone.map_or(0, |(_, d)| d));
        Lateness {
            end,
            milestone,
            days,
        }
    }
}

impl ItemSchedule {
    /// Open and forecast to finish after its own due date (a milestone: its
    /// date). Finished work is never late in this sense: its lateness is
    /// history, shown by its slip.
    pub fn is_late(&self) -> bool {
        self.deadline_slack < 0 && self.status != Status::Done
    }

    /// Working days an open item is forecast to finish after its due date
    /// (0 when it is not [late](ItemSchedule::is_late)).
    pub fn days_late(&self) -> i64 {
        if self.is_late() {
            -i64::from(self.deadline_slack)
        } else {
            0
        }
    }

    /// The item that pushes this one later than planned, if any.
    pub fn pushed_by(&self) -> Option<ItemIx> {
        self.pushed_by_ix.map(|i| i.get() as ItemIx - 1)
    }

    /// The driving dependency: the provider that pushes this item later
    /// than planned and the link through which it does (`item` is this
    /// schedule's item). A plain link is finish-to-start without lag.
    pub fn pushed_by_link(
        &self,
        item: &crate::model::Item,
    ) -> Option<(ItemIx, crate::model::Link)> {
        self.pushed_by().map(|p| (p, item.link_to(p)))
    }

    /// The stored form of [`ItemSchedule::pushed_by`] (`None` past
    /// `u32::MAX - 1` items, far beyond what a program can hold).
    pub fn pushed_by_ix(ix: Option<ItemIx>) -> Option<std::num::NonZeroU32> {
        ix.and_then(|i| u32::try_from(i + 1).ok())
            .and_then(std::num::NonZeroU32::new)
    }
}

// Every report keeps one row per item: a bigger row is felt at 50,000 items
// and 260 reports (13 million rows). Grow it only on purpose.
const _: () = assert!(std::mem::size_of::<ItemSchedule>() <= 56);

/// An item's status note, shared by every state and snapshot that carries it.
pub type Note = std::sync::Arc<String>;

/// A count of working days as stored in an [`ItemSchedule`] (saturating: no
/// calendar a program can have comes near the bounds).
pub fn days32(d: i64) -> i32 {
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

/// Per-team facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamFacts {
    /// Deliverables owned, sorted by id.
    pub deliverables: Vec<ItemIx>,
    /// How many OTHER teams own an item that transitively depends on this team's items.
    pub blocking_power: usize,
    /// Those teams, sorted by id.
    pub blocks: Vec<TeamIx>,
    /// Teams owning a direct provider (through milestones) of one of this team's items; sorted, self excluded.
    pub waits_on: Vec<TeamIx>,
}

/// The kinds of schedule risk the tool detects by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    /// A consumer is planned earlier than its link to its provider allows,
    /// by the provider's planned or forecast dates (a plain link: it starts
    /// before the provider's planned or forecast finish).
    StartsBeforeProvider,
    NegativeFloat,
    NegativeDeadlineSlack,
    /// A blocked or at-risk provider on the critical path.
    CriticalProviderAtRisk,
    OverdueDecision,
    MissingReport,
    /// A dependency review row says the contract changed or the provider is off track.
    DependencyReviewFlag,
}

impl RiskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::StartsBeforeProvider => "starts_before_provider",
            RiskKind::NegativeFloat => "negative_float",
            RiskKind::NegativeDeadlineSlack => "negative_deadline_slack",
            RiskKind::CriticalProviderAtRisk => "critical_provider_at_risk",
            RiskKind::OverdueDecision => "overdue_decision",
            RiskKind::MissingReport => "missing_report",
            RiskKind::DependencyReviewFlag => "dependency_review_flag",
        }
    }
}

/// A schedule risk found by analysis.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DetectedRisk {
    pub kind: RiskKind,
    /// Item ids involved: for a dependency (starts before provider, review
    /// flag) the provider then the consumer; otherwise the one item.
    pub items: Vec<String>,
    /// Decision id, for overdue decisions.
    pub decision: Option<String>,
    /// Scheduled report date, for missing reports.
    pub date: Option<Date>,
    pub message: String,
}

/// Makes every detected risk of `snap` that `prev` also has (equal in every
/// field) share `prev`'s allocation: years of reports find mostly the same
/// risks again, and the snapshots of every report stay in memory. Both lists
/// are sorted, so this is one merge walk.
pub fn share_risks(prev: &Snapshot, snap: &mut Snapshot) {
    let mut old = prev.detected_risks.iter().peekable();
    for r in &mut snap.detected_risks {
        let new: &DetectedRisk = r;
        while old.next_if(|o| &***o < new).is_some() {}
        if let Some(&o) = old.peek()
            && **o == *new
        {
            *r = std::sync::Arc::clone(o);
        }
    }
}
