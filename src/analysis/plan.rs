//! The planned schedule: dependency order, cycle errors and planned dates.
//!
//! Planned dates follow the spec's date forms (dates were already snapped to
//! working days by the resolver; this module works in [`WorkDay`](crate::model::WorkDay) ordinals):
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
//! every provider's *planned* finish (also after a milestone provider's date);
//! for other link types, the earliest start each link allows on the
//! providers' planned dates (with `due` alone, only the FS and SS links
//! derive the start: the finish is given).
//! When all three fields are given the resolver has checked they agree, and
//! start + due is used. Forms the resolver never produces are still given
//! dates so analysis can go on: `start` alone and nothing at all both mean a
//! one-day deliverable (at `start`, or at the derived start).
//!
//! A milestone with a `date` is planned on it; without one it happens when its
//! last provider is planned to finish (with link types: on the latest date its
//! links allow; the program start if it has none).

use super::{Edge, Plan, PlannedItem, graph, teams};
use crate::diagnostics::Diagnostics;
use crate::model::{ItemIx, ItemKind, Link, PlanSpec, Program};

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
    let providers = graph::Adjacency::providers(program);
    let (items, provider_edges) = planned_items(program, &order, &providers, diags);
    let consumer_lists = graph::Adjacency::from_lists(&consumers);
    // The consumer's view of the same edges: consumer lists were built by
    // visiting consumers in index order, so this visit fills them in order.
    let mut consumer_edges = vec![
        Edge {
            shift: 0,
            from_start: false
        };
        provider_edges.len()
    ];
    let mut next: Vec<usize> = (0..program.items.len())
        .map(|i| consumer_lists.span(i).start)
        .collect();
    for c in 0..program.items.len() {
        for k in providers.span(c) {
            let p = providers.at(k);
            consumer_edges[next[p]] = provider_edges[k];
            next[p] += 1;
        }
    }
    let teams = teams::team_facts(program, &order, &consumers);
    Some(Plan {
        order,
        consumer_lists,
        consumers,
        items,
        teams: teams.into(),
        providers,
        provider_edges,
        consumer_edges,
    })
}

/// The planned dates of every item, and every dependency's [`Edge`] parallel
/// to the flat list of `providers`.
fn planned_items(
    program: &Program,
    order: &[ItemIx],
    providers: &graph::Adjacency,
    diags: &mut Diagnostics,
) -> (Vec<PlannedItem>, Vec<Edge>) {
    let cal = &program.meta.calendar;
    let program_start = cal.on_or_after(program.meta.start);
    let placeholder = PlannedItem {
        start: 0,
        finish: 0,
        duration: 0,
        due: 0,
    };
    let mut planned = vec![placeholder; program.items.len()];
    let mut edges = vec![
        Edge {
            shift: 0,
            from_start: false
        };
        providers.len_total()
    ];
    let milestone = |i: ItemIx| program.items[i].kind == ItemKind::Milestone;
    for &i in order {
        let item = &program.items[i];
        let is_milestone = milestone(i);
        let span = providers.span(i);
        let link = |k: usize| item.links.get(k - span.start).copied().unwrap_or_default();
        // The earliest internal start the links allow, given this item's
        // duration (None: only the links on its start count), and the
        // provider that sets it (smallest id on ties: providers are sorted,
        // and only a strictly later bound replaces).
        let bound = |duration: Option<i64>| {
            let mut best: Option<(ItemIx, i64, Link)> = None;
            for k in span.clone() {
                let p = providers.at(k);
                let l = link(k);
                if duration.is_none() && l.kind.to_consumer_finish() {
                    continue;
                }
                let e = Edge::new(l, milestone(p), is_milestone, duration.unwrap_or(1));
                let pp = planned[p];
                let b = e.bound(pp.finish - pp.duration + 1, pp.finish);
                if best.is_none_or(|(_, x, _)| b > x) {
                    best = Some((p, b, l));
                }
            }
            best
        };
        let (start, finish) = match item.plan {
            PlanSpec::Deliverable {
                start,
                due,
                duration,
            } => {
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
                                .with_hint(
                                    "move `due` on or after `start` (both count working days only)",
                                );
                            (f, f)
                        } else {
                            (s, f)
                        }
                    }
                    (Some(s), None, Some(d)) => (s, s + d - 1),
                    (None, Some(f), Some(d)) => (f - (d - 1), f),
                    (None, Some(f), None) => {
                        let pusher = bound(None);
                        let derived_start =
                            pusher.map_or(program_start, |(_, b, _)| b.max(program_start));
                        if derived_start > f {
                            let message = match pusher {
                                Some((p, b, l)) if b == derived_start && l.is_plain() => format!(
                                    "`{}` cannot start before {} (after its provider `{}` finishes on {}) but is due {}",
                                    item.id,
                                    cal.date(derived_start),
                                    program.items[p].id,
                                    cal.date(planned[p].finish),
                                    cal.date(f)
                                ),
                                Some((p, b, l)) if b == derived_start => format!(
                                    "`{}` cannot start before {} (its {} link to `{}`) but is due {}",
                                    item.id,
                                    cal.date(derived_start),
                                    l.label(),
                                    program.items[p].id,
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
                    (None, None, Some(d)) => {
                        let s =
                            bound(Some(d)).map_or(program_start, |(_, b, _)| b.max(program_start));
                        (s, s + d - 1)
                    }
                    (Some(s), None, None) => (s, s),
                    (None, None, None) => {
                        let s =
                            bound(Some(1)).map_or(program_start, |(_, b, _)| b.max(program_start));
                        (s, s)
                    }
                }
            }
            PlanSpec::Milestone { date } => {
                let at = match date {
                    Some(d) => cal.on_or_before(d),
                    // The internal start is the working day after the date.
                    None => bound(Some(0)).map_or(program_start, |(_, b, _)| b - 1),
                };
                (at, at)
            }
        };
        let duration = if is_milestone { 0 } else { finish - start + 1 };
        planned[i] = PlannedItem {
            start,
            finish,
            duration,
            due: finish,
        };
        for k in span.clone() {
            edges[k] = Edge::new(link(k), milestone(providers.at(k)), is_milestone, duration);
        }
    }
    (planned, edges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;
    use crate::diagnostics::Severity;

    /// (start, finish, duration) of an item, as dates.
    fn dates(p: &Program, plan: &Plan, id: &str) -> (jiff::civil::Date, jiff::civil::Date, i64) {
        let it = plan.items[ix(p, id)];
        let cal = &p.meta.calendar;
        assert_eq!(it.due, it.finish, "{id}: due is the planned finish");
        (cal.date(it.start), cal.date(it.finish), it.duration)
    }

    #[test]
    fn every_date_form_gives_the_spec_dates() {
        // 2027-01-04 is a Monday; Mon-Fri calendar.
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .deliverable(
                "a-start-due",
                "t",
                &[],
                Some(d(2027, 1, 5)),
                Some(d(2027, 1, 7)),
                None,
            )
            .deliverable("b-start-dur", "t", &[], Some(d(2027, 1, 6)), None, Some(5))
            .deliverable("c-due-dur", "t", &[], None, Some(d(2027, 1, 15)), Some(3))
            .deliverable("e-dur-only", "t", &["a-start-due"], None, None, Some(2))
            .deliverable(
                "f-due-only",
                "t",
                &["b-start-dur", "c-due-dur"],
                None,
                Some(d(2027, 1, 22)),
                None,
            )
            .dur("g-no-deps", "t", &[], 1)
            .deliverable(
                "h-all-three",
                "t",
                &[],
                Some(d(2027, 1, 4)),
                Some(d(2027, 1, 8)),
                Some(5),
            )
            .dur("i-after-milestone", "t", &["n-undated"], 1)
            .milestone("m-dated", Some(d(2027, 1, 20)), &["a-start-due"])
            .milestone("n-undated", None, &["b-start-dur", "e-dur-only"])
            .milestone("o-lonely", None, &[])
            .build();
        let plan = plan_ok(&p);
        // start + due: inclusive, 3 working days.
        assert_eq!(
            dates(&p, &plan, "a-start-due"),
            (d(2027, 1, 5), d(2027, 1, 7), 3)
        );
        // start + duration: Wed..Tue over a weekend.
        assert_eq!(
            dates(&p, &plan, "b-start-dur"),
            (d(2027, 1, 6), d(2027, 1, 12), 5)
        );
        // due + duration: start = due - (duration - 1).
        assert_eq!(
            dates(&p, &plan, "c-due-dur"),
            (d(2027, 1, 13), d(2027, 1, 15), 3)
        );
        // duration only: the working day after the provider (Fri), over the weekend.
        assert_eq!(
            dates(&p, &plan, "e-dur-only"),
            (d(2027, 1, 8), d(2027, 1, 11), 2)
        );
        // due only: after the later provider (c, Fri 15th) -> Mon 18th; 5 days to Fri 22nd.
        assert_eq!(
            dates(&p, &plan, "f-due-only"),
            (d(2027, 1, 18), d(2027, 1, 22), 5)
        );
        // duration only without providers: the program start.
        assert_eq!(
            dates(&p, &plan, "g-no-deps"),
            (d(2027, 1, 4), d(2027, 1, 4), 1)
        );
        assert_eq!(
            dates(&p, &plan, "h-all-three"),
            (d(2027, 1, 4), d(2027, 1, 8), 5)
        );
        // A milestone keeps its date; an undated one happens when its last provider finishes.
        assert_eq!(
            dates(&p, &plan, "m-dated"),
            (d(2027, 1, 20), d(2027, 1, 20), 0)
        );
        assert_eq!(
            dates(&p, &plan, "n-undated"),
            (d(2027, 1, 12), d(2027, 1, 12), 0)
        );
        assert_eq!(
            dates(&p, &plan, "o-lonely"),
            (d(2027, 1, 4), d(2027, 1, 4), 0)
        );
        // A consumer of a milestone starts the working day after it.
        assert_eq!(
            dates(&p, &plan, "i-after-milestone"),
            (d(2027, 1, 13), d(2027, 1, 13), 1)
        );
    }

    #[test]
    fn derived_dates_skip_weekends_and_holidays() {
        // Mon 2027-01-18 is a holiday.
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .holidays(&[d(2027, 1, 18)])
            .teams(&["t"])
            .deliverable("a", "t", &[], Some(d(2027, 1, 11)), None, Some(4))
            .dur("b", "t", &["a"], 3)
            .deliverable("c", "t", &["a"], None, Some(d(2027, 1, 19)), None)
            .deliverable("e", "t", &[], None, Some(d(2027, 1, 20)), Some(3))
            .build();
        let plan = plan_ok(&p);
        assert_eq!(dates(&p, &plan, "a"), (d(2027, 1, 11), d(2027, 1, 14), 4));
        // Fri 15, (weekend, holiday), Tue 19, Wed 20.
        assert_eq!(dates(&p, &plan, "b"), (d(2027, 1, 15), d(2027, 1, 20), 3));
        // Fri 15 and Tue 19: 2 working days.
        assert_eq!(dates(&p, &plan, "c"), (d(2027, 1, 15), d(2027, 1, 19), 2));
        // Wed 20 back over the holiday: Tue 19, Fri 15.
        assert_eq!(dates(&p, &plan, "e"), (d(2027, 1, 15), d(2027, 1, 20), 3));
    }

    #[test]
    fn a_derived_start_after_due_is_an_error_naming_the_provider() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .dur("p0", "t", &[], 5)
            .dur("p2", "t", &[], 10)
            .dur("p1", "t", &[], 10)
            .deliverable(
                "x",
                "t",
                &["p0", "p2", "p1"],
                None,
                Some(d(2027, 1, 12)),
                None,
            )
            .dur("y", "t", &["x"], 1)
            .build();
        let mut diags = Diagnostics::new();
        let plan = plan(&p, &mut diags).expect("no cycle: a plan is still made");
        let all: Vec<_> = diags.into_sorted();
        assert_eq!(all.len(), 1);
        let e = &all[0];
        assert_eq!(e.severity, Severity::Error);
        assert_eq!(&*e.file, "deliverables/test.yaml");
        assert_eq!(e.line, 4, "at x's own line");
        // p1 and p2 both finish on Fri 15th: the smaller id is named.
        assert_eq!(
            e.message,
            "`x` cannot start before 2027-01-18 (after its provider `p1` finishes on 2027-01-15) but is due 2027-01-12"
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("move `due` later or remove the dependency")
        );
        // Analysis goes on with a one-day item on its due date.
        assert_eq!(dates(&p, &plan, "x"), (d(2027, 1, 12), d(2027, 1, 12), 1));
        assert_eq!(dates(&p, &plan, "y"), (d(2027, 1, 13), d(2027, 1, 13), 1));
    }

    #[test]
    fn a_due_before_the_program_start_names_the_program_start() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .deliverable("x", "t", &[], None, Some(d(2026, 12, 31)), None)
            .build();
        let mut diags = Diagnostics::new();
        plan(&p, &mut diags).expect("a plan");
        let all = diags.into_sorted();
        assert_eq!(
            all[0].message,
            "`x` cannot start before the program start 2027-01-04 but is due 2026-12-31"
        );
    }

    #[test]
    fn a_due_before_an_explicit_start_is_an_error() {
        // Sat start snaps to Mon 11th, Sun due to Fri 8th.
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .deliverable(
                "x",
                "t",
                &[],
                Some(d(2027, 1, 9)),
                Some(d(2027, 1, 10)),
                None,
            )
            .build();
        let mut diags = Diagnostics::new();
        let plan = plan(&p, &mut diags).expect("a plan");
        let all = diags.into_sorted();
        assert_eq!(all.len(), 1);
        assert_eq!(
            all[0].message,
            "`x` is due 2027-01-08 but starts 2027-01-11, after it is due"
        );
        assert_eq!(dates(&p, &plan, "x"), (d(2027, 1, 8), d(2027, 1, 8), 1));
    }

    #[test]
    fn cycles_are_reported_once_per_component_naming_every_item() {
        // a -> b -> c -> a is the shortest cycle through a; d is in the same
        // component (c -> d -> b) but not on it. s depends on itself. z only
        // depends on the cycle.
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .dur("c", "t", &["a", "d"], 1)
            .dur("z", "t", &["a"], 1)
            .dur("b", "t", &["c"], 1)
            .dur("a", "t", &["b"], 1)
            .dur("d", "t", &["b"], 1)
            .dur("s", "t", &["s"], 1)
            .dur("ok", "t", &[], 1)
            .build();
        let mut diags = Diagnostics::new();
        assert!(plan(&p, &mut diags).is_none());
        let all = diags.into_sorted();
        let shown: Vec<(u32, &str)> = all.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(
            shown,
            [
                (
                    4,
                    "dependency cycle: a -> b -> c -> a (each depends on the next; also involved: d)"
                ),
                (6, "dependency cycle: s -> s (it depends on itself)"),
            ]
        );
        assert!(all.iter().all(|e| e.severity == Severity::Error
            && e.hint.as_deref() == Some("remove one of these depends_on entries")));
    }

    #[test]
    fn a_two_item_cycle_points_at_the_smaller_id() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .dur("web", "t", &["api"], 1)
            .dur("api", "t", &["web"], 1)
            .build();
        let mut diags = Diagnostics::new();
        assert!(plan(&p, &mut diags).is_none());
        let all = diags.into_sorted();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].line, 2);
        assert_eq!(
            all[0].message,
            "dependency cycle: api -> web -> api (each depends on the next)"
        );
    }

    #[test]
    fn the_order_is_topological_and_smallest_id_first() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .dur("a", "t", &["c"], 1)
            .dur("b", "t", &[], 1)
            .dur("c", "t", &[], 1)
            .dur("d", "t", &["a", "b"], 1)
            .build();
        let plan = plan_ok(&p);
        assert_eq!(ids(&p, &plan.order), ["b", "c", "a", "d"]);
        assert_eq!(plan.consumers[ix(&p, "a")], [ix(&p, "d")]);
        assert_eq!(plan.consumers[ix(&p, "c")], [ix(&p, "a")]);
    }

    #[test]
    fn long_chains_and_long_cycles_do_not_overflow_the_stack() {
        let n = 60_000;
        let name = |k: usize| format!("i{k:06}");
        let mut kit = Kit::new(d(2027, 1, 4), d(2300, 1, 1)).teams(&["t"]);
        for k in 0..n {
            let dep = if k == 0 { name(n - 1) } else { name(k - 1) };
            kit = kit.dur(&name(k), "t", &[&dep], 1);
        }
        let p = kit.build();
        let mut diags = Diagnostics::new();
        assert!(plan(&p, &mut diags).is_none());
        let all = diags.into_sorted();
        assert_eq!(all.len(), 1);
        assert!(
            all[0]
                .message
                .starts_with("dependency cycle: i000000 -> i059999 -> i059998 -> ")
        );
        assert!(
            all[0]
                .message
                .contains("-> i000001 -> i000000 (each depends on the next)")
        );

        // The same chain without the closing edge plans and analyses.
        let mut kit = Kit::new(d(2027, 1, 4), d(2300, 1, 1)).teams(&["t"]);
        for k in 0..n {
            let deps: Vec<String> = if k == 0 { vec![] } else { vec![name(k - 1)] };
            let deps: Vec<&str> = deps.iter().map(|s| s.as_str()).collect();
            kit = kit.dur(&name(k), "t", &deps, 1);
        }
        let p = kit.build();
        let (plan, snap) = run(&p);
        assert_eq!(plan.items[n - 1].finish - plan.items[0].start + 1, n as i64);
        assert_eq!(snap.critical_path.len(), n);
    }
}
