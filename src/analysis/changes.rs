//! "Since the last report": what changed between two snapshots, computed, not
//! typed. Status flips, forecast slips with their upstream cause, critical
//! path changes, the change in float to the program end, milestones met or
//! missed, risks opened, closed or re-scored, and decisions made, newly
//! escalated or gone overdue.

use jiff::civil::Date;
use serde::Serialize;

use super::Snapshot;
use super::register::{DecisionState, RiskState, decision_state};
use crate::model::{ItemIx, ItemKind, Program, Status};

/// One item whose status changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusFlip {
    pub item: ItemIx,
    pub from: Status,
    pub to: Status,
}

/// One item whose forecast finish moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Slip {
    pub item: ItemIx,
    pub from: Date,
    pub to: Date,
    /// Working days, positive when later.
    pub days: i64,
    /// The provider that pushed it, and by how many working days that
    /// provider moved (the end its link hangs on: its start for SS and SF
    /// links, else its finish).
    pub cause: Option<(ItemIx, i64)>,
}

/// A risk that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RiskChange {
    pub risk: usize,
    pub from_score: u8,
    pub to_score: u8,
}

/// Everything that changed between `before` and `after`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub status_flips: Vec<StatusFlip>,
    /// Sorted by the size of the move (largest slip first), then id.
    pub slips: Vec<Slip>,
    pub joined_critical_path: Vec<ItemIx>,
    pub left_critical_path: Vec<ItemIx>,
    pub critical_path_changed: bool,
    /// Working days between the forecast end and the committed end, before and after
    /// (negative: late).
    pub end_slack_before: i64,
    pub end_slack_after: i64,
    pub forecast_end_before: Option<Date>,
    pub forecast_end_after: Option<Date>,
    pub milestones_met: Vec<ItemIx>,
    pub milestones_missed: Vec<ItemIx>,
    pub risks_opened: Vec<usize>,
    pub risks_closed: Vec<usize>,
    pub risks_rescored: Vec<RiskChange>,
    pub decisions_made: Vec<usize>,
    pub decisions_escalated: Vec<usize>,
    pub decisions_gone_overdue: Vec<usize>,
}

impl Changes {
    /// Whether nothing at all changed.
    pub fn is_empty(&self) -> bool {
        self.status_flips.is_empty()
            && self.slips.is_empty()
            && self.joined_critical_path.is_empty()
            && self.left_critical_path.is_empty()
            && self.end_slack_before == self.end_slack_after
            && self.milestones_met.is_empty()
            && self.milestones_missed.is_empty()
            && self.risks_opened.is_empty()
            && self.risks_closed.is_empty()
            && self.risks_rescored.is_empty()
            && self.decisions_made.is_empty()
            && self.decisions_escalated.is_empty()
            && self.decisions_gone_overdue.is_empty()
    }
}

/// The two sides of a comparison: a snapshot, its risk register, and the
/// decisions put in front of stakeholders (by the report it belongs to).
pub struct Side<'a> {
    pub snap: &'a Snapshot,
    pub risks: &'a [RiskState],
    pub escalated: &'a [usize],
}

/// What changed from `before` (the previous report, or the plan) to `after`.
pub fn changes(program: &Program, before: &Side, after: &Side) -> Changes {
    let cal = &program.meta.calendar;
    let (b, a) = (before.snap, after.snap);
    let wd = |from: Date, to: Date| cal.on_or_before(to) - cal.on_or_before(from);
    let mut out = Changes {
        end_slack_before: b.end_slack,
        end_slack_after: a.end_slack,
        forecast_end_before: Some(b.forecast_end),
        forecast_end_after: Some(a.forecast_end),
        ..Changes::default()
    };
    for (ix, (x, y)) in b.items.iter().zip(&a.items).enumerate() {
        if x.status != y.status {
            out.status_flips.push(StatusFlip {
                item: ix,
                from: x.status,
                to: y.status,
            });
        }
        if x.forecast_finish != y.forecast_finish {
            let days = wd(x.forecast_finish, y.forecast_finish);
            let cause = y.pushed_by().and_then(|p| {
                // The end of the provider its link hangs on (its start for
                // SS and SF).
                let moved = if program.items[ix].link_to(p).kind.from_provider_start() {
                    wd(b.items[p].forecast_start, a.items[p].forecast_start)
                } else {
                    wd(b.items[p].forecast_finish, a.items[p].forecast_finish)
                };
                (moved > 0 && days > 0).then_some((p, moved))
            });
            out.slips.push(Slip {
                item: ix,
                from: x.forecast_finish,
                to: y.forecast_finish,
                days,
                cause,
            });
        }
        if program.items[ix].kind == ItemKind::Milestone {
            if y.status == Status::Done && x.status != Status::Done {
                out.milestones_met.push(ix);
            } else if y.status != Status::Done
                && y.planned_finish > b.as_of
                && y.planned_finish <= a.as_of
            {
                out.milestones_missed.push(ix);
            }
        }
    }
    out.slips
        .sort_by(|p, q| q.days.cmp(&p.days).then(p.item.cmp(&q.item)));
    let on_path = |s: &Snapshot| {
        let mut v = s.critical_path.clone();
        v.sort_unstable();
        v
    };
    let (pb, pa) = (on_path(b), on_path(a));
    out.joined_critical_path = pa
        .iter()
        .copied()
        .filter(|i| pb.binary_search(i).is_err())
        .collect();
    out.left_critical_path = pb
        .iter()
        .copied()
        .filter(|i| pa.binary_search(i).is_err())
        .collect();
    out.critical_path_changed = b.critical_path != a.critical_path;

    for (ix, (x, y)) in before.risks.iter().zip(after.risks).enumerate() {
        match (x.is_active(), y.is_active()) {
            (false, true) => out.risks_opened.push(ix),
            (true, false) => out.risks_closed.push(ix),
            (true, true) if x.score() != y.score() => out.risks_rescored.push(RiskChange {
                risk: ix,
                from_score: x.score(),
                to_score: y.score(),
            }),
            _ => {}
        }
    }
    for (ix, d) in program.decisions.iter().enumerate() {
        let (sb, sa) = (decision_state(d, b.as_of), decision_state(d, a.as_of));
        if sa == DecisionState::Decided && sb != DecisionState::Decided {
            out.decisions_made.push(ix);
        }
        if sa == DecisionState::Overdue && sb != DecisionState::Overdue {
            out.decisions_gone_overdue.push(ix);
        }
    }
    out.decisions_escalated = after
        .escalated
        .iter()
        .copied()
        .filter(|d| !before.escalated.contains(d))
        .collect();
    out.decisions_escalated.sort_unstable();
    out
}
