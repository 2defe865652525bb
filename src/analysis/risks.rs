//! Schedule risks the tool detects by itself (spec, "Derived facts").
//!
//! - [`RiskKind::StartsBeforeProvider`]: for a dependency whose provider and
//!   consumer are both open, the consumer's planned dates break its link to
//!   the provider's planned dates, or to its forecast dates where the end of
//!   the provider the link hangs on moved (a plain link: the consumer's
//!   planned start, a milestone's the working day after its date, is on or
//!   before the provider's planned or forecast finish). A start-to-start
//!   consumer starting before its provider finishes breaks nothing;
//! - [`RiskKind::NegativeFloat`]: one per open item with total float < 0;
//! - [`RiskKind::NegativeDeadlineSlack`]: one per open item with deadline
//!   slack < 0;
//!
//! Finished (`done`) work is history, never a forward-looking risk: it is
//! never critical and never named by the kinds above.
//! - [`RiskKind::CriticalProviderAtRisk`]: a critical item that is blocked or
//!   at risk and has at least one consumer;
//! - [`RiskKind::OverdueDecision`]: a decision still open on the as-of date
//!   (see [`decision_state`]) whose `needed_by` is before it;
//! - [`RiskKind::MissingReport`]: a scheduled report date on or before the
//!   as-of date (and the program end) that no non-draft report dated on or
//!   before the as-of date covers (see [`scheduled_reports`]);
//! - [`RiskKind::DependencyReviewFlag`]: a dependency review row of the as-of
//!   report that says the contract changed or the provider is off track.
//!
//! The list is sorted (kind, items, decision, date, message) and has no duplicates.

use std::fmt::{self, Write};

use jiff::civil::Date;

use super::dates::{DateTable, Iso};
use super::register::{DecisionState, decision_state};
use super::schedule::Passes;
use super::{DetectedRisk, Plan, RiskKind, State};
use crate::model::calendar::{date_of_day, day_number};
use crate::model::{ItemKind, Program, Status};

/// Every scheduled report date with the index in `program.reports` of the
/// report that covers it, if any.
///
/// Scheduled dates are `cadence.first + k * cadence.days` calendar days for
/// k = 0, 1, ... up to the program end (none when `first` is not given). A
/// scheduled date `s` is covered by the first non-draft report dated in the
/// window `s - days/2 <= date < s + days/2 + days%2` (integer division). The
/// windows of consecutive dates tile the calendar, so every report lies in
/// exactly one window: with the default 2w cadence, a report from 7 days
/// before to 6 days after the scheduled date counts for it.
pub fn scheduled_reports(program: &Program) -> Vec<(Date, Option<usize>)> {
    let cadence = &program.meta.cadence;
    let (Some(first), days) = (cadence.first, cadence.days) else {
        return Vec::new();
    };
    if days <= 0 {
        return Vec::new();
    }
    let reports = &program.reports;
    let end = day_number(program.meta.end);
    let (before, after) = (days / 2, days / 2 + days % 2);
    let mut out = Vec::new();
    let mut next = 0; // first report not before the current window
    let mut s = day_number(first);
    while s <= end {
        while next < reports.len() && day_number(reports[next].date) < s - before {
            next += 1;
        }
        let covering = reports[next..]
            .iter()
            .take_while(|r| day_number(r.date) < s + after)
            .position(|r| !r.draft)
            .map(|k| next + k);
        out.push((date_of_day(s), covering));
        s += days;
    }
    out
}

/// "N working day(s)", plural-aware.
struct WorkingDays(i64);

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        write!(f, "{n} working day{}", if n.abs() == 1 { "" } else { "s" })
    }
}

pub(super) fn detect(
    program: &Program,
    plan: &Plan,
    state: &State,
    passes: &Passes,
    table: &DateTable,
) -> Vec<DetectedRisk> {
    let id = |i: usize| program.items[i].id.clone();
    let date = |w| Iso(table.date(w));
    let mut out = Vec::new();
    let risk = |kind, items: Vec<String>, message: String| DetectedRisk {
        kind,
        items,
        decision: None,
        date: None,
        message,
    };

    // Each kind is emitted in its sorted order (items are sorted by id, and
    // consumer lists by index), so the final sort only checks the order.
    // The loops read the compact per-item arrays and touch `program.items`
    // only to write a message.
    // Finished work carries no forward-looking risk: a done item is never
    // the item at risk, and a done provider no longer threatens its consumers
    // (where it finished late, the consumers' forecasts already moved).
    let done = |i: usize| state.items[i].status == Status::Done;
    for p in 0..program.items.len() {
        if done(p) {
            continue;
        }
        let pp = plan.items[p];
        let provider_planned = (pp.finish - pp.duration + 1, pp.finish);
        let provider_forecast = (passes.forecast_start[p], passes.forecast_finish[p]);
        for k in plan.consumer_lists.span(p) {
            let c = plan.consumer_lists.at(k);
            if done(c) {
                continue;
            }
            let e = plan.consumer_edges[k];
            let planned = plan.items[c];
            // The uniform rule: a milestone's internal start is the day after its date.
            let start = planned.finish - planned.duration + 1;
            let by_plan = e.bound(provider_planned.0, provider_planned.1);
            let by_forecast = e.bound(provider_forecast.0, provider_forecast.1);
            let early_for_plan = start < by_plan;
            // The forecast counts when the end of the provider the link
            // hangs on moved.
            let moved = if e.from_start {
                provider_forecast.0 != provider_planned.0
            } else {
                provider_forecast.1 != provider_planned.1
            };
            let early_for_forecast = start < by_forecast && moved;
            if !early_for_plan && !early_for_forecast {
                continue;
            }
            let (provider, consumer) = (&program.items[p], &program.items[c]);
            let link = consumer.link_to(p);
            let mut message = String::with_capacity(120);
            if consumer.kind == ItemKind::Milestone {
                let _ = write!(message, "{} is dated {}", consumer.id, date(planned.finish));
            } else if link.kind.to_consumer_finish() {
                let _ = write!(
                    message,
                    "{} is planned to finish {}",
                    consumer.id,
                    date(planned.finish)
                );
            } else {
                let _ = write!(
                    message,
                    "{} is planned to start {}",
                    consumer.id,
                    date(planned.start)
                );
            }
            if link.is_plain() {
                let _ = write!(message, ", but its provider {}", provider.id);
                if early_for_plan {
                    let _ = write!(
                        message,
                        " is planned to finish {}",
                        date(provider_planned.1)
                    );
                }
                if early_for_plan && early_for_forecast {
                    message.push_str(" and");
                }
                if early_for_forecast {
                    let _ = write!(
                        message,
                        " is forecast to finish {}",
                        date(provider_forecast.1)
                    );
                }
            } else {
                // What the link asks of the consumer, in its own terms.
                let asked = |bound: i64| {
                    if consumer.kind == ItemKind::Milestone {
                        date(bound - 1)
                    } else if link.kind.to_consumer_finish() {
                        date(bound + planned.duration - 1)
                    } else {
                        date(bound)
                    }
                };
                let _ = write!(
                    message,
                    ", but its {} link to provider {} asks for",
                    link.label(),
                    provider.id
                );
                if early_for_plan {
                    let _ = write!(message, " {} or later by the plan", asked(by_plan));
                }
                if early_for_plan && early_for_forecast {
                    message.push_str(" and");
                }
                if early_for_forecast {
                    let _ = write!(message, " {} or later by the forecast", asked(by_forecast));
                }
            }
            out.push(risk(
                RiskKind::StartsBeforeProvider,
                vec![id(p), id(c)],
                message,
            ));
        }
    }

    let end = program.meta.end;
    for (i, &float) in passes.total_float.iter().enumerate() {
        if float < 0 && !done(i) {
            let item = &program.items[i];
            let message = format!(
                "{} has {} of float: the program end {} is at risk through it",
                item.id,
                WorkingDays(float),
                Iso(end)
            );
            out.push(risk(RiskKind::NegativeFloat, vec![id(i)], message));
        }
    }
    for (i, &slack) in passes.deadline_slack.iter().enumerate() {
        if slack < 0 && !done(i) {
            let item = &program.items[i];
            let deadline = if item.kind == ItemKind::Milestone {
                "date"
            } else {
                "due date"
            };
            let message = format!(
                "{} is forecast to finish {}, {} after its {deadline} {}",
                item.id,
                date(passes.forecast_finish[i]),
                WorkingDays(-slack),
                date(plan.items[i].due)
            );
            out.push(risk(RiskKind::NegativeDeadlineSlack, vec![id(i)], message));
        }
    }
    for (i, &critical) in passes.critical.iter().enumerate() {
        let status = state.items[i].status;
        let consumers = plan.consumer_lists.len_of(i);
        if critical && matches!(status, Status::Blocked | Status::AtRisk) && consumers > 0 {
            let item = &program.items[i];
            let message = format!(
                "{} is {} on the critical path, and {} {} on it",
                item.id,
                status.label(),
                consumers,
                if consumers == 1 {
                    "item depends"
                } else {
                    "items depend"
                }
            );
            out.push(risk(RiskKind::CriticalProviderAtRisk, vec![id(i)], message));
        }
    }

    // Judged as of the state's date: a decision decided later (or marked
    // decided in decisions.yaml after the fact) was still overdue then.
    for decision in &program.decisions {
        if let (DecisionState::Overdue, Some(needed_by)) =
            (decision_state(decision, state.as_of), decision.needed_by)
        {
            out.push(DetectedRisk {
                kind: RiskKind::OverdueDecision,
                items: Vec::new(),
                decision: Some(decision.id.clone()),
                date: Some(needed_by),
                message: format!(
                    "decision {} ({}) was needed by {needed_by} and is still open",
                    decision.id, decision.title
                ),
            });
        }
    }

    for (scheduled, covering) in scheduled_reports(program) {
        if scheduled > state.as_of {
            break;
        }
        let reported = covering.is_some_and(|k| program.reports[k].date <= state.as_of);
        if !reported {
            out.push(DetectedRisk {
                kind: RiskKind::MissingReport,
                items: Vec::new(),
                decision: None,
                date: Some(scheduled),
                message: format!("no report for the scheduled report date {scheduled}"),
            });
        }
    }

    if let Some(report) = state.report.and_then(|k| program.reports.get(k)) {
        for row in &report.dependencies {
            let mut flags = Vec::new();
            if row.contract_changed == Some(true) {
                flags.push("the contract changed");
            }
            if row.provider_on_track == Some(false) {
                flags.push("the provider is off track");
            }
            if flags.is_empty() {
                continue;
            }
            let mut message = format!(
                "dependency review of {}: {} -> {}: {}",
                report.date,
                program.items[row.from].id,
                program.items[row.to].id,
                flags.join(" and ")
            );
            let note = row.note.trim();
            if !note.is_empty() {
                message.push_str(&format!(" ({note})"));
            }
            out.push(risk(
                RiskKind::DependencyReviewFlag,
                vec![id(row.from), id(row.to)],
                message,
            ));
        }
    }

    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;
    use crate::analysis::{Snapshot, analyze, plan, state_as_of};
    use crate::diagnostics::Diagnostics;
    use crate::model::DecisionStatus;

    fn of_kind(snap: &Snapshot, kind: RiskKind) -> Vec<(Vec<String>, String)> {
        snap.detected_risks
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| (r.items.clone(), r.message.clone()))
            .collect()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn consumers_planned_before_their_provider_finishes() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .dur("p", "t", &[], 5)
            .deliverable("c", "t", &["p"], Some(d(2027, 1, 7)), None, Some(2))
            .deliverable("c2", "t", &["p"], Some(d(2027, 1, 11)), None, Some(2))
            .milestone("ms", Some(d(2027, 1, 7)), &["p"])
            .dur("q", "t", &[], 5)
            .milestone("ok-ms", Some(d(2027, 1, 8)), &["q"])
            .dur("ok", "t", &["q"], 1)
            .report(d(2027, 1, 6), vec![("p", upd().forecast(d(2027, 1, 12)))])
            .build();
        let (_, snap) = run(&p);
        assert_eq!(
            of_kind(&snap, RiskKind::StartsBeforeProvider),
            [
                (
                    strings(&["p", "c"]),
                    "c is planned to start 2027-01-07, but its provider p is planned to finish 2027-01-08 \
                     and is forecast to finish 2027-01-12"
                        .to_string()
                ),
                (
                    strings(&["p", "c2"]),
                    "c2 is planned to start 2027-01-11, but its provider p is forecast to finish 2027-01-12".into()
                ),
                (
                    strings(&["p", "ms"]),
                    "ms is dated 2027-01-07, but its provider p is planned to finish 2027-01-08 \
                     and is forecast to finish 2027-01-12"
                        .into()
                ),
            ]
        );
        // Deadline slack: p by 2 days, the milestone by 3 (its date).
        let slack = of_kind(&snap, RiskKind::NegativeDeadlineSlack);
        assert!(
            slack.contains(&(
                strings(&["p"]),
                "p is forecast to finish 2027-01-12, 2 working days after its due date 2027-01-08"
                    .into()
            ))
        );
        assert!(slack.contains(&(
            strings(&["ms"]),
            "ms is forecast to finish 2027-01-12, 3 working days after its date 2027-01-07".into()
        )));
        assert!(!slack.iter().any(|(items, _)| items == &strings(&["ok-ms"])));
        assert!(
            snap.detected_risks.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
    }

    #[test]
    fn negative_float_names_the_program_end() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 1, 8))
            .teams(&["t"])
            .dur("a", "t", &[], 3)
            .dur("b", "t", &["a"], 4)
            .dur("c", "t", &[], 1)
            .build();
        let (_, snap) = run(&p);
        assert_eq!(
            of_kind(&snap, RiskKind::NegativeFloat),
            [
                (
                    strings(&["a"]),
                    "a has -2 working days of float: the program end 2027-01-08 is at risk through it".into()
                ),
                (
                    strings(&["b"]),
                    "b has -2 working days of float: the program end 2027-01-08 is at risk through it".into()
                ),
            ]
        );
    }

    #[test]
    fn a_blocked_or_at_risk_critical_provider() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 1, 15))
            .teams(&["t"])
            .dur("a", "t", &[], 5)
            .dur("b", "t", &["a"], 5)
            .dur("c", "t", &[], 2)
            .dur("e", "t", &["c"], 1)
            .report(
                d(2027, 1, 5),
                vec![
                    ("a", upd().status(Status::Blocked)),
                    ("b", upd().status(Status::AtRisk)),
                    ("c", upd().status(Status::AtRisk)),
                ],
            )
            .build();
        let (_, snap) = run(&p);
        // b is critical but provides nothing; c provides but is not critical.
        assert_eq!(
            of_kind(&snap, RiskKind::CriticalProviderAtRisk),
            [(
                strings(&["a"]),
                "a is blocked on the critical path, and 1 item depends on it".into()
            )]
        );
    }

    #[test]
    fn open_decisions_past_needed_by() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .decision("d1", DecisionStatus::Open, Some(d(2027, 1, 5)))
            .decision("d2", DecisionStatus::Decided, Some(d(2027, 1, 1)))
            .decision("d3", DecisionStatus::Open, Some(d(2027, 1, 6)))
            .decision("d4", DecisionStatus::Open, None)
            .report(d(2027, 1, 6), vec![])
            .build();
        let (_, snap) = run(&p);
        let overdue: Vec<_> = snap
            .detected_risks
            .iter()
            .filter(|r| r.kind == RiskKind::OverdueDecision)
            .collect();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].decision.as_deref(), Some("d1"));
        assert_eq!(overdue[0].date, Some(d(2027, 1, 5)));
        assert_eq!(
            overdue[0].message,
            "decision d1 (Decide d1) was needed by 2027-01-05 and is still open"
        );
    }

    fn cadence_program() -> Program {
        Kit::new(d(2027, 1, 4), d(2027, 3, 5))
            .cadence(14, d(2027, 1, 8))
            .report(d(2027, 1, 8), vec![])
            .report(d(2027, 1, 25), vec![])
            .report(d(2027, 2, 5), vec![])
            .draft()
            .report(d(2027, 2, 19), vec![])
            .build()
    }

    fn missing(p: &Program, as_of: jiff::civil::Date) -> Vec<jiff::civil::Date> {
        let mut diags = Diagnostics::new();
        let plan = plan(p, &mut diags).unwrap();
        let snap = analyze(p, &plan, &state_as_of(p, as_of));
        snap.detected_risks
            .iter()
            .filter(|r| r.kind == RiskKind::MissingReport)
            .map(|r| r.date.unwrap())
            .collect()
    }

    #[test]
    fn scheduled_reports_and_the_reports_that_cover_them() {
        let p = cadence_program();
        assert_eq!(
            scheduled_reports(&p),
            [
                (d(2027, 1, 8), Some(0)),
                (d(2027, 1, 22), Some(1)),
                // Only a draft near Feb 5th.
                (d(2027, 2, 5), None),
                (d(2027, 2, 19), Some(3)),
                (d(2027, 3, 5), None),
            ]
        );
        // Windows: [s - 7, s + 7) with a 14-day cadence.
        let edge = Kit::new(d(2027, 1, 4), d(2027, 1, 31))
            .cadence(14, d(2027, 1, 8))
            .report(d(2027, 1, 1), vec![])
            .report(d(2027, 1, 15), vec![])
            .build();
        assert_eq!(
            scheduled_reports(&edge),
            [(d(2027, 1, 8), Some(0)), (d(2027, 1, 22), Some(1))]
        );
        // Odd cadence: [s - 3, s + 4) with 7 days.
        let odd = Kit::new(d(2027, 1, 4), d(2027, 1, 20))
            .cadence(7, d(2027, 1, 8))
            .report(d(2027, 1, 11), vec![])
            .report(d(2027, 1, 12), vec![])
            .build();
        assert_eq!(
            scheduled_reports(&odd),
            [(d(2027, 1, 8), Some(0)), (d(2027, 1, 15), Some(1))]
        );
        // No first date: nothing is scheduled.
        assert!(scheduled_reports(&Kit::new(d(2027, 1, 4), d(2027, 3, 5)).build()).is_empty());
    }

    #[test]
    fn missing_reports_as_of_a_date() {
        let p = cadence_program();
        let (_, snap) = run(&p);
        assert_eq!(snap.as_of, d(2027, 2, 19));
        assert_eq!(
            of_kind(&snap, RiskKind::MissingReport),
            [(
                vec![],
                "no report for the scheduled report date 2027-02-05".into()
            )]
        );
        // On Jan 23rd the report of Jan 25th was not written yet.
        assert_eq!(missing(&p, d(2027, 1, 23)), [d(2027, 1, 22)]);
        assert_eq!(missing(&p, d(2027, 1, 21)), []);
        // Past the end date nothing more is scheduled.
        assert_eq!(missing(&p, d(2027, 12, 31)), [d(2027, 2, 5), d(2027, 3, 5)]);
    }

    #[test]
    fn dependency_review_rows_of_the_as_of_report() {
        let p = Kit::new(d(2027, 1, 4), d(2027, 3, 31))
            .teams(&["t"])
            .dur("a", "t", &[], 1)
            .dur("b", "t", &["a"], 1)
            .dur("c", "t", &["a"], 1)
            .dur("e", "t", &["a"], 1)
            .report(d(2027, 1, 6), vec![])
            .review("a", "e", Some(false), None, "")
            .report(d(2027, 1, 8), vec![])
            .review("a", "b", Some(false), None, "Needs the 4-day buffer")
            .review("a", "c", Some(true), Some(true), "")
            .review("a", "e", Some(true), Some(false), "fine")
            .build();
        let (_, snap) = run(&p);
        assert_eq!(
            of_kind(&snap, RiskKind::DependencyReviewFlag),
            [
                (
                    strings(&["a", "b"]),
                    "dependency review of 2027-01-08: a -> b: the provider is off track (Needs the 4-day buffer)".into()
                ),
                (strings(&["a", "c"]), "dependency review of 2027-01-08: a -> c: the contract changed".into()),
            ]
        );
        let mut diags = Diagnostics::new();
        let plan = plan(&p, &mut diags).unwrap();
        let first = analyze(&p, &plan, &state_as_of(&p, d(2027, 1, 7)));
        assert_eq!(
            of_kind(&first, RiskKind::DependencyReviewFlag),
            [(
                strings(&["a", "e"]),
                "dependency review of 2027-01-06: a -> e: the provider is off track".into()
            )]
        );
    }
}
