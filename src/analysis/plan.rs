//! The planned schedule: dependency order, cycle errors and planned dates.
//!
//! Planned dates follow the spec's date forms (dates were already snapped to
//! working days by the resolver; this module works in [`WorkDay`] ordinals):
//!
//! | given            | planned start                 | planned finish          |
//! |------------------|-------------------------------|-------------------------|
//! | start + due      | start                         | due                     |
//! | start + duration | start                         | start + duration - 1    |
//! | due + duration   | due - (duration - 1)          | due                     |
//! | due only         | derived                       | due                     |
//! | duration only    | derived                       | derived + duration - 1  |
//!
//! A derived start is the later of the program start and the working day after
//! every provider's *planned* finish (also after a milestone provider's date).
//! When all three fields are given the resolver has checked they agree, and
//! start + due is used. Forms the resolver never produces are still given
//! dates so analysis can go on: `start` alone and nothing at all both mean a
//! one-day deliverable (at `start`, or at the derived start).
//!
//! A milestone with a `date` is planned on it; without one it happens when its
//! last provider is planned to finish (the program start if it has none).

use super::{Plan, PlannedItem, graph, teams};
use crate::diagnostics::Diagnostics;
use crate::model::{ItemIx, PlanSpec, Program};

/// Orders the items, reports dependency cycles, and computes planned dates.
///
/// Returns `None` when there is a cycle (the errors are in `diags`). Errors in
/// planned dates (a derived start after `due`) are reported but still yield a
/// plan, so later stages can go on; the build fails on the errors anyway.
pub fn plan(program: &Program, diags: &mut Diagnostics) -> Option<Plan> {
    let consumers = graph::consumers(program);
    let Some(order) = graph::topo_order(program, &consumers) else {
        graph::report_cycles(program, diags);
        return None;
    };
    let items = planned_items(program, &order, diags);
    let teams = teams::team_facts(program, &order, &consumers);
    Some(Plan {
        order,
        consumers,
        items,
        teams,
    })
}

fn planned_items(program: &Program, order: &[ItemIx], diags: &mut Diagnostics) -> Vec<PlannedItem> {
    let cal = &program.meta.calendar;
    let program_start = cal.on_or_after(program.meta.start);
    let placeholder = PlannedItem {
        start: 0,
        finish: 0,
        duration: 0,
        due: 0,
    };
    let mut planned = vec![placeholder; program.items.len()];
    for &i in order {
        let item = &program.items[i];
        // The provider with the latest planned finish (smallest id on ties:
        // providers are sorted, and only a strictly later finish replaces).
        let mut pusher: Option<ItemIx> = None;
        for &p in &item.depends_on {
            if pusher.is_none_or(|q| planned[p].finish > planned[q].finish) {
                pusher = Some(p);
            }
        }
        let after_providers = pusher.map(|p| planned[p].finish + 1);
        let derived_start = after_providers.map_or(program_start, |s| s.max(program_start));
        let (start, finish) = match item.plan {
            PlanSpec::Deliverable { start, due, duration } => {
                let start = start.map(|d| cal.on_or_after(d));
                let due = due.map(|d| cal.on_or_before(d));
                let duration = duration.map(|d| d.max(1));
                match (start, due, duration) {
                    (Some(s), Some(f), _) => {
                        if f < s {
                            diags
                                .error(
                                    &item.loc,
                                    format!(
                                        "`{}` is due {} but starts {}, after it is due",
                                        item.id,
                                        cal.date(f),
                                        cal.date(s)
                                    ),
                                )
                                .with_hint("move `due` on or after `start` (both count working days only)");
                            (f, f)
                        } else {
                            (s, f)
                        }
                    }
                    (Some(s), None, Some(d)) => (s, s + d - 1),
                    (None, Some(f), Some(d)) => (f - (d - 1), f),
                    (None, Some(f), None) => {
                        if derived_start > f {
                            let message = match pusher {
                                Some(p) if after_providers == Some(derived_start) => format!(
                                    "`{}` cannot start before {} (after its provider `{}` finishes on {}) but is due {}",
                                    item.id,
                                    cal.date(derived_start),
                                    program.items[p].id,
                                    cal.date(planned[p].finish),
                                    cal.date(f)
                                ),
                                _ => format!(
                                    "`{}` cannot start before the program start {} but is due {}",
                                    item.id,
                                    cal.date(derived_start),
                                    cal.date(f)
                                ),
                            };
                            diags
                                .error(&item.loc, message)
                                .with_hint("move `due` later or remove the dependency");
                            (f, f)
                        } else {
                            (derived_start, f)
                        }
                    }
                    (None, None, Some(d)) => (derived_start, derived_start + d - 1),
                    (Some(s), None, None) => (s, s),
                    (None, None, None) => (derived_start, derived_start),
                }
            }
            PlanSpec::Milestone { date } => {
                let at = match date {
                    Some(d) => cal.on_or_before(d),
                    None => pusher.map_or(program_start, |p| planned[p].finish),
                };
                (at, at)
            }
        };
        let duration = if matches!(item.plan, PlanSpec::Milestone { .. }) { 0 } else { finish - start + 1 };
        planned[i] = PlannedItem {
            start,
            finish,
            duration,
            due: finish,
        };
    }
    planned
}
