//! The Gantt chart in words: its title (the SVG `<title>`) and its summary
//! (the SVG `<desc>` and the page's text with the chart), e.g. "Tiny, as of
//! 2027-03-05: 4 deliverables and 1 milestone; 1 done; 2 late against their
//! due dates; …; most late: API 2 working days late, …" (items by name).
//!
//! This module owns that prose, from the snapshot and the items the layout
//! put in scope; it must not place anything (that is
//! [`crate::layout::gantt`]) or draw (that is [`super::gantt`]).

use crate::analysis::Snapshot;
use crate::layout::gantt::{GanttLayout, GanttOptions, RowKind, clean, days_text, plural};
use crate::model::{ItemIx, ItemKind, Program, Status};

/// A Gantt chart's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GanttText {
    /// For the SVG `<title>`: "Program: schedule as of 2027-03-05".
    pub title: String,
    /// One paragraph (the SVG `<desc>` and the page's text summary).
    pub summary: String,
}

/// The chart's title and its summary: one paragraph counting the items in
/// scope, what is done and late, where the forecast end stands against the
/// committed end (or a team's last forecast finish), the three latest
/// items, and whether the chart rolls up.
pub fn describe(
    program: &Program,
    snap: &Snapshot,
    opts: &GanttOptions,
    layout: &GanttLayout,
) -> GanttText {
    let scope = layout.scope.as_slice();
    let who = match opts.team.and_then(|t| program.teams.get(t)) {
        Some(t) => clean(&t.name),
        None => clean(&program.meta.name),
    };
    let title = format!("{who}: schedule as of {}", opts.as_of);
    let s = |ix: ItemIx| &snap.items[ix];
    let deliverables = scope
        .iter()
        .filter(|&&i| program.items[i].kind == ItemKind::Deliverable)
        .count();
    let milestones = scope.len() - deliverables;
    let done = scope
        .iter()
        .filter(|&&i| s(i).status == Status::Done)
        .count();
    let mut late: Vec<ItemIx> = scope.iter().copied().filter(|&i| s(i).is_late()).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut counts = plural(deliverables, "deliverable", "deliverables");
    if milestones > 0 {
        counts.push_str(&format!(
            " and {}",
            plural(milestones, "milestone", "milestones")
        ));
    }
    parts.push(format!("{who}, as of {}: {counts}", opts.as_of));
    if scope.is_empty() {
        return GanttText {
            title,
            summary: format!("{}; nothing scheduled yet.", parts.join("; ")),
        };
    }
    parts.push(format!("{done} done"));
    parts.push(format!(
        "{} late against {}",
        late.len(),
        if late.len() == 1 {
            "its due date"
        } else {
            "their due dates"
        }
    ));
    if opts.team.is_none() {
        let slack = snap.end_slack;
        parts.push(match slack.cmp(&0) {
            std::cmp::Ordering::Less => format!(
                "forecast end {}, {} after the committed end {}",
                snap.forecast_end,
                days_text(-slack),
                program.meta.end
            ),
            std::cmp::Ordering::Equal => {
                format!("forecast end {}, on the committed end", snap.forecast_end)
            }
            std::cmp::Ordering::Greater => format!(
                "forecast end {}, {} before the committed end {}",
                snap.forecast_end,
                days_text(slack),
                program.meta.end
            ),
        });
        if let Some(&last) = snap.critical_path.last()
            && let (Some(item), Some(ls)) = (program.items.get(last), snap.items.get(last))
        {
            parts.push(format!(
                "critical path ends {} ({})",
                ls.forecast_finish,
                item.name.trim()
            ));
        }
    } else {
        let finish = scope.iter().map(|&i| s(i).forecast_finish).max();
        if let Some(f) = finish {
            parts.push(format!("last forecast finish {f}"));
        }
        let crit = scope.iter().filter(|&&i| s(i).critical).count();
        if crit > 0 {
            parts.push(format!("{crit} critical"));
        }
    }
    late.sort_by(|a, b| {
        (s(*a).deadline_slack, &program.items[*a].id)
            .cmp(&(s(*b).deadline_slack, &program.items[*b].id))
    });
    if !late.is_empty() {
        let worst: Vec<String> = late
            .iter()
            .take(3)
            .map(|&i| {
                format!(
                    "{} {} late",
                    program.items[i].name.trim(),
                    days_text(s(i).days_late())
                )
            })
            .collect();
        parts.push(format!("most late: {}", worst.join(", ")));
    }
    let mut text = parts.join("; ");
    text.push('.');
    if layout.rolled_up {
        // One summary row per team rolled up.
        let teams = layout
            .rows
            .iter()
            .filter(|r| matches!(r.kind, RowKind::Team(_)))
            .count();
        text.push_str(&format!(
            " The chart rolls up to one bar per team ({}) with each team's critical items; team pages show every item.",
            plural(teams, "team", "teams")
        ));
    }
    GanttText {
        title,
        summary: text,
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::layout::gantt::layout_gantt;
    use crate::layout::gantt::tests::{hand_built, many, tiny};

    #[test]
    fn summary_names_counts_and_worst_slips() {
        let (_dir, a) = tiny();
        let o = GanttOptions::new(a.current.as_of);
        let l = layout_gantt(&a.program, &a.current, &o);
        let text = describe(&a.program, &a.current, &o, &l);
        let s = &text.summary;
        assert!(
            s.starts_with("Tiny, as of 2027-03-05: 4 deliverables and 1 milestone; 1 done;"),
            "{s}"
        );
        assert!(s.contains("late against"), "{s}");
        // Named as readers know them, not by id.
        assert!(s.contains("most late: API 2 working days late"), "{s}");
        assert!(s.contains("critical path ends"), "{s}");
        assert!(!s.contains('\n'));
        assert_eq!(text.title, "Tiny: schedule as of 2027-03-05");
    }

    /// A team chart counts the team's deliverables and the milestones they
    /// feed, and ends with the team's last forecast finish.
    #[test]
    fn a_team_summary_counts_the_team_only() {
        let (_dir, a) = tiny();
        let mut o = GanttOptions::new(a.current.as_of);
        o.team = Some(0);
        let l = layout_gantt(&a.program, &a.current, &o);
        let text = describe(&a.program, &a.current, &o, &l);
        let team = &a.program.teams[0].name;
        assert!(
            text.summary
                .starts_with(&format!("{team}, as of 2027-03-05: ")),
            "{}",
            text.summary
        );
        assert!(
            text.summary.contains("last forecast finish"),
            "{}",
            text.summary
        );
        assert!(!text.summary.contains("committed end"), "{}", text.summary);
        assert_eq!(text.title, format!("{team}: schedule as of 2027-03-05"));
    }

    #[test]
    fn a_rolled_up_summary_says_so_and_how_many_teams() {
        let (p, s) = many(61, 3);
        let o = GanttOptions::new(date(2027, 6, 1));
        let l = layout_gantt(&p, &s, &o);
        assert!(l.rolled_up);
        let text = describe(&p, &s, &o, &l);
        assert!(
            text.summary
                .ends_with(" The chart rolls up to one bar per team (3 teams) with each team's critical items; team pages show every item."),
            "{}",
            text.summary
        );
    }

    #[test]
    fn an_empty_program_has_nothing_scheduled() {
        let (p, s) = hand_built(date(2027, 1, 4), date(2027, 6, 30), 2, Vec::new());
        let o = GanttOptions::new(date(2027, 2, 1));
        let text = describe(&p, &s, &o, &layout_gantt(&p, &s, &o));
        assert!(
            text.summary
                .ends_with(": 0 deliverables; nothing scheduled yet."),
            "{}",
            text.summary
        );
    }
}
