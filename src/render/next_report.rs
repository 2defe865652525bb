//! The next report, scaffolded from the current state: the date from the
//! cadence, the previous RAG, an `updates` row for every item in flight or due
//! within the next period, `dependencies` review rows for the cross-team edges
//! whose provider finishes within the next two periods, the open decisions,
//! and a body template. Pure: returns the file's text.
//!
//! An `updates` row carries over only what was *reported* (the last reported
//! status, progress and forecast). The computed forecast finish is written as
//! a comment, never as a value: a reported forecast is a floor, so a computed
//! date copied into a report would stop the item moving in when its provider
//! finishes early.

use std::fmt::Write;

use jiff::civil::Date;
use jiff::{Span, ToSpan};

use crate::analysis::register::{DecisionState, decision_state};
use crate::analysis::{Snapshot, State};
use crate::model::{Program, Rag, Status};

/// The first scheduled report date after the newest report (or after the
/// program start when there is none).
pub fn next_report_date(program: &Program) -> Date {
    let cadence = program.meta.cadence.days.max(1);
    let after = program.reports.last().map(|r| r.date);
    let mut d = program.meta.cadence.first.unwrap_or_else(|| {
        program
            .meta
            .start
            .checked_add(Span::new().days(cadence))
            .unwrap_or(program.meta.start)
    });
    if let Some(after) = after
        && d <= after
    {
        let gap = i64::from((after - d).get_days());
        let steps = gap / cadence + 1;
        d = d
            .checked_add(Span::new().days(steps * cadence))
            .unwrap_or(d);
    }
    d
}

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// The text of `reports/<date>.md` for the report after `state` (the merged
/// reports so far) and `snap` (its analysis).
pub fn next_report(program: &Program, state: &State, snap: &Snapshot, date: Date) -> String {
    let cadence = program.meta.cadence.days.max(1);
    let horizon = date.checked_add(cadence.days()).unwrap_or(date);
    let review_horizon = date.checked_add((2 * cadence).days()).unwrap_or(date);
    let status = program.reports.last().map_or(Rag::Green, |r| r.status);
    let mut o = String::new();
    let _ = writeln!(o, "---");
    let _ = writeln!(o, "date: {date}");
    let _ = writeln!(
        o,
        "status: {}                 # the previous report's RAG: green | amber | red",
        status.as_str()
    );
    let _ = writeln!(
        o,
        "summary: {}",
        q("TODO: one sentence on the state of the program")
    );
    let _ = writeln!(
        o,
        "draft: true                   # remove this line (or set false) to publish"
    );
    let open_items: Vec<usize> = program
        .items
        .iter()
        .enumerate()
        .filter(|(ix, _)| {
            let s = &snap.items[*ix];
            s.status != Status::Done
                && (matches!(s.status, Status::OnTrack | Status::AtRisk | Status::Blocked)
                    || s.forecast_start <= horizon
                    || s.forecast_finish <= horizon)
        })
        .map(|(ix, _)| ix)
        .collect();
    if !open_items.is_empty() {
        let _ = writeln!(
            o,
            "updates:                      # in flight or due by {horizon}: as last reported (computed dates are comments; give a forecast only if the team commits to one)"
        );
        for ix in open_items {
            let s = &snap.items[ix];
            let reported = state.items.get(ix);
            let mut fields = vec![
                format!("status: {}", s.status.as_str()),
                format!("progress: {}", s.progress),
            ];
            if let Some(f) = reported.and_then(|r| r.forecast) {
                fields.push(format!("forecast: {f}"));
            }
            let mut comment = format!("computed finish {}", s.forecast_finish);
            if let Some(dri) = &program.items[ix].dri {
                let _ = write!(comment, "; DRI {}", dri.replace(['\n', '\r'], " "));
            }
            let _ = writeln!(
                o,
                "  {}: {{ {} }}   # {comment}",
                program.items[ix].id,
                fields.join(", "),
            );
        }
    }
    let mut reviews = Vec::new();
    for (cix, consumer) in program.items.iter().enumerate() {
        for &pix in &consumer.depends_on {
            let provider = &program.items[pix];
            let cross = matches!((provider.owner, consumer.owner), (Some(a), Some(b)) if a != b);
            let ps = &snap.items[pix];
            if cross
                && ps.status != Status::Done
                && ps.forecast_finish <= review_horizon
                && snap.items[cix].status != Status::Done
            {
                reviews.push((provider.id.as_str(), consumer.id.as_str(), ps.status));
            }
        }
    }
    if !reviews.is_empty() {
        let _ = writeln!(
            o,
            "dependencies:                 # cross-team edges whose provider finishes by {review_horizon}"
        );
        for (from, to, st) in reviews {
            let on_track = !matches!(st, Status::AtRisk | Status::Blocked);
            let _ = writeln!(
                o,
                "  - {{ from: {from}, to: {to}, provider_on_track: {on_track}, contract_changed: false, consumer_ready: true, note: {} }}",
                q("TODO")
            );
        }
    }
    let open: Vec<&str> = program
        .decisions
        .iter()
        .filter(|d| decision_state(d, date) != DecisionState::Decided)
        .map(|d| d.id.as_str())
        .collect();
    if !open.is_empty() {
        let _ = writeln!(o, "decisions: [{}]", open.join(", "));
    }
    let _ = writeln!(o, "---");
    o.push_str("## Highlights\n\n- TODO\n\n## Lowlights\n\n- TODO\n\n## Next two weeks\n\n- TODO\n\n## Asks\n\n- TODO\n");
    o
}
