//! Checks of what a report declares against what the schedule computes.
//!
//! A report's overall RAG is typed by its author; the schedule is computed.
//! When a report says green or amber but the computed schedule shows a
//! problem the RAG does not admit, the report page says so and the build
//! warns. The problems looked at:
//!
//! - negative float on the critical path (the end date, or a dated milestone,
//!   cannot be met as forecast);
//! - an overdue milestone: its planned date is before the report date and it
//!   is not done;
//! - a blocked provider on the critical path (a critical item that is blocked
//!   and that other items depend on).
//!
//! A red report never disagrees: red already admits every problem.

use super::Snapshot;
use crate::model::{ItemKind, Program, Rag, Status};

/// "1 working day" / "3 working days".
fn working_days(n: i64) -> String {
    let n = n.unsigned_abs();
    format!("{n} working day{}", if n == 1 { "" } else { "s" })
}

/// Why the computed schedule disagrees with the report's declared green or
/// amber, one reason per sentence fragment (empty when it agrees, when the
/// report says red, or when the snapshot is not as of a report). Reasons come
/// in a fixed order: float, overdue milestones, blocked providers.
pub fn rag_disagreements(program: &Program, snap: &Snapshot) -> Vec<String> {
    if !matches!(snap.status, Some(Rag::Green | Rag::Amber)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let open_critical = || {
        snap.items
            .iter()
            .enumerate()
            .filter(|(_, s)| s.critical && s.status != Status::Done)
    };

    if let Some(min) = open_critical().map(|(_, s)| s.total_float).min()
        && min < 0
    {
        let mut reason = format!(
            "the critical path has negative float ({min} working day{})",
            if min == -1 { "" } else { "s" }
        );
        if snap.end_slack < 0 {
            reason.push_str(&format!(
                ": the forecast end {} is {} after the committed end {}",
                snap.forecast_end,
                working_days(snap.end_slack),
                program.meta.end
            ));
        }
        out.push(reason);
    }

    for (item, s) in program.items.iter().zip(&snap.items) {
        if item.kind == ItemKind::Milestone
            && s.status != Status::Done
            && s.planned_finish < snap.as_of
        {
            out.push(format!(
                "milestone {} ({}) was planned for {} and is not done",
                item.id, item.name, s.planned_finish
            ));
        }
    }

    for (ix, s) in open_critical() {
        if s.status != Status::Blocked {
            continue;
        }
        let consumers = program
            .items
            .iter()
            .filter(|c| c.depends_on.contains(&ix))
            .count();
        if consumers > 0 {
            out.push(format!(
                "{} is blocked on the critical path, and {} {} on it",
                program.items[ix].id,
                consumers,
                if consumers == 1 {
                    "item depends"
                } else {
                    "items depend"
                }
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::*;

    #[test]
    fn green_with_a_late_end_disagrees() {
        // a (5 days) -> b (5 days) must end Jan 15; a is reported 3 days late.
        let p = Kit::new(d(2027, 1, 4), d(2027, 1, 15))
            .teams(&["t"])
            .dur("a", "t", &[], 5)
            .dur("b", "t", &["a"], 5)
            .report(d(2027, 1, 6), vec![("a", upd().forecast(d(2027, 1, 13)))])
            .build();
        let (_, snap) = run(&p);
        assert_eq!(
            rag_disagreements(&p, &snap),
            [
                "the critical path has negative float (-3 working days): the forecast end \
              2027-01-20 is 3 working days after the committed end 2027-01-15"
            ]
        );
    }

    #[test]
    fn red_never_disagrees_and_a_healthy_green_agrees() {
        let late = Kit::new(d(2027, 1, 4), d(2027, 1, 15))
            .teams(&["t"])
            .dur("a", "t", &[], 5)
            .dur("b", "t", &["a"], 5)
            .report(d(2027, 1, 6), vec![("a", upd().forecast(d(2027, 1, 13)))])
            .rag(Rag::Red)
            .build();
        assert!(rag_disagreements(&late, &run(&late).1).is_empty());
        let fine = Kit::new(d(2027, 1, 4), d(2027, 1, 29))
            .teams(&["t"])
            .dur("a", "t", &[], 5)
            .report(d(2027, 1, 6), vec![("a", upd().status(Status::OnTrack))])
            .build();
        assert!(rag_disagreements(&fine, &run(&fine).1).is_empty());
        // No report: nothing declared, nothing to disagree with.
        let none = Kit::new(d(2027, 1, 4), d(2027, 1, 15))
            .teams(&["t"])
            .dur("a", "t", &[], 20)
            .build();
        assert!(rag_disagreements(&none, &run(&none).1).is_empty());
    }

    #[test]
    fn overdue_milestones_and_blocked_critical_providers() {
        // a (Jan 4-8) -> b (Jan 11-15) is the whole program; m, dated Jan 5,
        // waits for nothing and is not done on Jan 6.
        let p = Kit::new(d(2027, 1, 4), d(2027, 1, 15))
            .teams(&["t"])
            .dur("a", "t", &[], 5)
            .dur("b", "t", &["a"], 5)
            .milestone("m", Some(d(2027, 1, 5)), &[])
            .report(d(2027, 1, 6), vec![("a", upd().status(Status::Blocked))])
            .rag(Rag::Amber)
            .build();
        let (_, snap) = run(&p);
        let a = &snap.items[ix(&p, "a")];
        assert!(a.critical && a.status == Status::Blocked, "{a:?}");
        let reasons = rag_disagreements(&p, &snap);
        assert!(
            reasons.contains(
                &"milestone m (Item m) was planned for 2027-01-05 and is not done".into()
            ),
            "{reasons:?}"
        );
        assert!(
            reasons.contains(&"a is blocked on the critical path, and 1 item depends on it".into()),
            "{reasons:?}"
        );
    }
}
