//! Schedule risks the tool detects by itself (spec, "Derived facts").
//!
//! - [`RiskKind::StartsBeforeProvider`]: for a dependency, the consumer's
//!   planned start (a milestone's: the working day after its date) is on or
//!   before the provider's planned or forecast finish;
//! - [`RiskKind::NegativeFloat`]: one per item with total float < 0;
//! - [`RiskKind::NegativeDeadlineSlack`]: one per item with deadline slack < 0;
//! - [`RiskKind::CriticalProviderAtRisk`]: a critical item that is blocked or
//!   at risk and has at least one consumer;
//! - [`RiskKind::OverdueDecision`]: an open decision whose `needed_by` is
//!   before the as-of date;
//! - [`RiskKind::MissingReport`]: a scheduled report date on or before the
//!   as-of date (and the program end) that no non-draft report dated on or
//!   before the as-of date covers (see [`scheduled_reports`]);
//! - [`RiskKind::DependencyReviewFlag`]: a dependency review row of the as-of
//!   report that says the contract changed or the provider is off track.
//!
//! The list is sorted (kind, items, decision, date, message) and has no duplicates.

use jiff::civil::Date;

use super::schedule::Passes;
use super::{DetectedRisk, Plan, RiskKind, State};
use crate::model::calendar::{date_of_day, day_number};
use crate::model::{DecisionStatus, ItemKind, Program, Status};

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

/// Plural-aware "N working day(s)".
fn working_days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} working day")
    } else {
        format!("{n} working days")
    }
}

pub(super) fn detect(program: &Program, plan: &Plan, state: &State, passes: &Passes) -> Vec<DetectedRisk> {
    let cal = &program.meta.calendar;
    let id = |i: usize| program.items[i].id.clone();
    let date = |w| cal.date(w);
    let mut out = Vec::new();
    let mut risk = |kind, items: Vec<String>, message: String| DetectedRisk {
        kind,
        items,
        decision: None,
        date: None,
        message,
    };

    for (c, consumer) in program.items.iter().enumerate() {
        let planned = plan.items[c];
        let milestone = consumer.kind == ItemKind::Milestone;
        // The uniform rule: a milestone's internal start is the day after its date.
        let start = planned.finish - planned.duration + 1;
        for &p in &consumer.depends_on {
            let provider_planned = plan.items[p].finish;
            let provider_forecast = passes.forecast_finish[p];
            let mut reasons = Vec::new();
            if start <= provider_planned {
                reasons.push(format!("is planned to finish {}", date(provider_planned)));
            }
            if start <= provider_forecast && provider_forecast != provider_planned {
                reasons.push(format!("is forecast to finish {}", date(provider_forecast)));
            }
            if reasons.is_empty() {
                continue;
            }
            let what = if milestone {
                format!("{} is dated {}", consumer.id, date(planned.finish))
            } else {
                format!("{} is planned to start {}", consumer.id, date(planned.start))
            };
            let message = format!("{what}, but its provider {} {}", program.items[p].id, reasons.join(" and "));
            out.push(risk(RiskKind::StartsBeforeProvider, vec![id(p), id(c)], message));
        }
    }

    let end = program.meta.end;
    for (i, item) in program.items.iter().enumerate() {
        let float = passes.total_float[i];
        if float < 0 {
            let message = format!(
                "{} has {} of float: the program end {end} is at risk through it",
                item.id,
                working_days(float)
            );
            out.push(risk(RiskKind::NegativeFloat, vec![id(i)], message));
        }
        let slack = passes.deadline_slack[i];
        if slack < 0 {
            let deadline = if item.kind == ItemKind::Milestone { "date" } else { "due date" };
            let message = format!(
                "{} is forecast to finish {}, {} after its {deadline} {}",
                item.id,
                date(passes.forecast_finish[i]),
                working_days(-slack),
                date(plan.items[i].due)
            );
            out.push(risk(RiskKind::NegativeDeadlineSlack, vec![id(i)], message));
        }
        let status = state.items[i].status;
        let consumers = plan.consumers[i].len();
        if passes.critical[i] && matches!(status, Status::Blocked | Status::AtRisk) && consumers > 0 {
            let message = format!(
                "{} is {} on the critical path, and {} {} on it",
                item.id,
                status.label(),
                consumers,
                if consumers == 1 { "item depends" } else { "items depend" }
            );
            out.push(risk(RiskKind::CriticalProviderAtRisk, vec![id(i)], message));
        }
    }

    for decision in &program.decisions {
        if let (DecisionStatus::Open, Some(needed_by)) = (decision.status, decision.needed_by)
            && needed_by < state.as_of
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
            out.push(risk(RiskKind::DependencyReviewFlag, vec![id(row.from), id(row.to)], message));
        }
    }

    out.sort();
    out.dedup();
    out
}
