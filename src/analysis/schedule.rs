//! Forecast and late dates, float, critical items and the critical path.
//!
//! All arithmetic is in working-day ordinals. Internally every item has a
//! duration `d` (0 for milestones), a finish `F` and a start `F - d + 1`, so a
//! milestone's internal start is the working day *after* its date. With that
//! one rule, "a consumer starts the working day after its provider finishes"
//! holds for deliverables and milestones alike:
//!
//! - a milestone consumer's forecast is never before its providers' finish
//!   (it may fall on the same day), and a consumer of a milestone starts the
//!   working day after it;
//! - in the backward pass, `late_finish = min(end, min over consumers of
//!   (internal late_start - 1))`, so a provider of a milestone may finish on
//!   the milestone's own late date.
//!
//! Milestones are reported with start dates equal to their finish date.

use super::{ItemSchedule, Plan, Snapshot, State, risks};
use crate::model::{ItemIx, ItemKind, Program, Status, WorkDay};

/// Every derived fact of the program as of `state`.
///
/// `plan` must come from [`super::plan`] on the same program; `state` from
/// [`super::states`] or [`super::state_as_of`] on it.
pub fn analyze(program: &Program, plan: &Plan, state: &State) -> Snapshot {
    let cal = &program.meta.calendar;
    let passes = Passes::compute(program, plan, state);
    let critical_path = critical_path(program, plan, &passes);
    let items = (0..program.items.len())
        .map(|i| {
            let planned = plan.items[i];
            let st = &state.items[i];
            let milestone = program.items[i].kind == ItemKind::Milestone;
            let ff = passes.forecast_finish[i];
            let lf = passes.late_finish[i];
            let (forecast_start, late_start) = if milestone {
                (ff, lf)
            } else {
                (passes.forecast_start[i], lf - planned.duration + 1)
            };
            ItemSchedule {
                planned_start: cal.date(planned.start),
                planned_finish: cal.date(planned.finish),
                forecast_start: cal.date(forecast_start),
                forecast_finish: cal.date(ff),
                late_start: cal.date(late_start),
                late_finish: cal.date(lf),
                duration: planned.duration,
                total_float: passes.total_float[i],
                deadline_slack: passes.deadline_slack[i],
                critical: passes.critical[i],
                status: st.status,
                progress: st.progress,
                note: st.note.clone(),
                pushed_by: passes.pushed_by[i],
                slip: ff - planned.finish,
            }
        })
        .collect();
    let detected_risks = risks::detect(program, plan, state, &passes);
    Snapshot {
        as_of: state.as_of,
        status: state.report.and_then(|k| program.reports.get(k)).map(|r| r.status),
        report: state.report,
        items,
        forecast_end: cal.date(passes.forecast_end),
        min_float: passes.min_float,
        end_slack: passes.end - passes.forecast_end,
        critical_path,
        teams: plan.teams.clone(),
        detected_risks,
    }
}

/// The results of the forward and backward passes, as ordinals.
pub(super) struct Passes {
    /// Forecast finish (a milestone's forecast date).
    pub forecast_finish: Vec<WorkDay>,
    /// Internal forecast start: a deliverable's forecast start, a milestone's
    /// forecast date + 1.
    pub forecast_start: Vec<WorkDay>,
    pub late_finish: Vec<WorkDay>,
    pub total_float: Vec<i64>,
    pub deadline_slack: Vec<i64>,
    pub critical: Vec<bool>,
    pub pushed_by: Vec<Option<ItemIx>>,
    /// The program end (last working day on or before `meta.end`).
    pub end: WorkDay,
    /// Latest forecast finish (the program start when there are no items).
    pub forecast_end: WorkDay,
    /// Minimum total float (0 when there are no items).
    pub min_float: i64,
}

impl Passes {
    pub(super) fn compute(program: &Program, plan: &Plan, state: &State) -> Passes {
        let cal = &program.meta.calendar;
        let n = program.items.len();
        let mut ff = vec![0; n];
        let mut fs = vec![0; n];
        let mut pushed_by = vec![None; n];

        // Forward pass.
        for &i in &plan.order {
            let item = &program.items[i];
            let planned = plan.items[i];
            let st = &state.items[i];
            let reported = st.forecast.map(|d| cal.on_or_before(d));
            let done = st.status == Status::Done;
            // The provider with the latest forecast finish, smallest id on ties.
            let mut driver: Option<ItemIx> = None;
            for &p in &item.depends_on {
                if driver.is_none_or(|q| ff[p] > ff[q]) {
                    driver = Some(p);
                }
            }
            let latest = driver.map(|p| ff[p]);
            match item.kind {
                ItemKind::Deliverable => {
                    let d = planned.duration;
                    if done {
                        ff[i] = reported.unwrap_or(planned.finish);
                        fs[i] = ff[i] - d + 1;
                    } else {
                        let mut start = planned.start;
                        if let Some(l) = latest
                            && l + 1 > start
                        {
                            start = l + 1;
                            pushed_by[i] = driver;
                        }
                        fs[i] = start;
                        ff[i] = reported.map_or(start + d - 1, |r| r.max(start + d - 1));
                    }
                }
                ItemKind::Milestone => {
                    if done {
                        ff[i] = reported.unwrap_or(planned.finish);
                    } else {
                        let mut at = planned.finish;
                        if let Some(l) = latest
                            && l > at
                        {
                            at = l;
                            pushed_by[i] = driver;
                        }
                        if let Some(r) = reported
                            && r > at
                        {
                            at = r;
                            pushed_by[i] = None;
                        }
                        ff[i] = at;
                    }
                    fs[i] = ff[i] + 1;
                }
            }
        }

        // Backward pass.
        let end = cal.on_or_before(program.meta.end);
        let mut lf = vec![0; n];
        for &i in plan.order.iter().rev() {
            let mut late = end;
            for &c in &plan.consumers[i] {
                let late_start = lf[c] - plan.items[c].duration + 1;
                late = late.min(late_start - 1);
            }
            lf[i] = late;
        }

        let total_float: Vec<i64> = (0..n).map(|i| lf[i] - ff[i]).collect();
        let deadline_slack = (0..n).map(|i| plan.items[i].due - ff[i]).collect();
        let min_float = total_float.iter().copied().min().unwrap_or(0);
        let critical = total_float.iter().map(|&f| f == min_float).collect();
        let forecast_end = ff
            .iter()
            .copied()
            .max()
            .unwrap_or_else(|| cal.on_or_after(program.meta.start));
        Passes {
            forecast_finish: ff,
            forecast_start: fs,
            late_finish: lf,
            total_float,
            deadline_slack,
            critical,
            pushed_by,
            end,
            forecast_end,
            min_float,
        }
    }
}

/// The critical path (see the spec's "Derived facts"): a chain of critical
/// items, each depending on and *driven* by the previous one (its internal
/// forecast start is the working day after the previous forecast finish),
/// from a critical item no critical provider drives to an item finishing on
/// the forecast end. The smallest start id wins, then the smallest consumer id
/// at each step, among the choices from which an end item is still reachable.
/// After an end item the chain goes on through driven critical consumers that
/// are end items themselves (milestones on the same date).
fn critical_path(program: &Program, plan: &Plan, passes: &Passes) -> Vec<ItemIx> {
    let n = program.items.len();
    let critical = &passes.critical;
    let is_end = |i: ItemIx| critical[i] && passes.forecast_finish[i] == passes.forecast_end;
    let drives = |p: ItemIx, c: ItemIx| {
        critical[p] && critical[c] && passes.forecast_start[c] == passes.forecast_finish[p] + 1
    };
    // reaches[i]: a driven chain of critical items leads from i to an end item.
    let mut reaches = vec![false; n];
    for &i in plan.order.iter().rev() {
        reaches[i] = critical[i] && (is_end(i) || plan.consumers[i].iter().any(|&c| reaches[c] && drives(i, c)));
    }
    let driven: Vec<bool> = (0..n)
        .map(|c| program.items[c].depends_on.iter().any(|&p| drives(p, c)))
        .collect();
    let Some(start) = (0..n).find(|&i| reaches[i] && !driven[i]) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut cur = start;
    loop {
        let next = plan.consumers[cur].iter().copied().find(|&c| {
            drives(cur, c) && if is_end(cur) { is_end(c) } else { reaches[c] }
        });
        match next {
            Some(c) => {
                path.push(c);
                cur = c;
            }
            None => break,
        }
    }
    path
}
