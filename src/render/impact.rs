//! `tpm-site diff` output: the plan-change impact as plain text for a
//! terminal, or as Markdown for a pull-request comment.

use std::fmt::Write;

use crate::analysis::impact::{Impact, Moved};

/// Output flavour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    Text,
    Markdown,
}

fn days(n: i64) -> String {
    let unit = if n.abs() == 1 {
        "working day"
    } else {
        "working days"
    };
    if n > 0 {
        format!("+{n} {unit}")
    } else {
        format!("{n} {unit}")
    }
}

/// Markdown-escapes text from content (ids are slugs, but be safe).
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// Renders the impact.
pub fn render(i: &Impact, flavour: Flavour) -> String {
    let mut o = String::new();
    let m = flavour == Flavour::Markdown;
    // Code spans take text literally: only backticks need care.
    let code = |s: &str| {
        if m {
            format!("`{}`", s.replace('`', "'"))
        } else {
            s.to_string()
        }
    };
    let list = |o: &mut String, title: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        if m {
            let _ = writeln!(o, "\n**{title}**\n");
            for it in items {
                let _ = writeln!(o, "- {it}");
            }
        } else {
            let _ = writeln!(o, "\n{title}:");
            for it in items {
                let _ = writeln!(o, "  - {it}");
            }
        }
    };
    if m {
        let _ = writeln!(o, "### Schedule impact of this change\n");
        let _ = writeln!(o, "| | before | after |\n|---|---|---|");
        let _ = writeln!(
            o,
            "| Forecast end | {} | {} |",
            i.forecast_end_before, i.forecast_end_after
        );
        let _ = writeln!(
            o,
            "| Committed end | {} | {} |",
            i.committed_end_before, i.committed_end_after
        );
    } else {
        let _ = writeln!(
            o,
            "Forecast end: {} -> {}",
            i.forecast_end_before, i.forecast_end_after
        );
        if i.committed_end_before != i.committed_end_after {
            let _ = writeln!(
                o,
                "Committed end: {} -> {}",
                i.committed_end_before, i.committed_end_after
            );
        }
    }
    let moved = match i.end_moved_by {
        0 => "The forecast end does not move.".to_string(),
        n if n > 0 => format!("The forecast end moves later by {}.", days(n)),
        n => format!(
            "The forecast end moves earlier by {}.",
            days(-n).trim_start_matches('+')
        ),
    };
    let _ = writeln!(o, "{}{moved}", if m { "\n" } else { "" });
    let ids = |v: &[String]| v.iter().map(|s| code(s)).collect::<Vec<_>>();
    list(
        &mut o,
        "Joins the critical path",
        ids(&i.joined_critical_path),
    );
    list(
        &mut o,
        "Leaves the critical path",
        ids(&i.left_critical_path),
    );
    let moved_list = |v: &[Moved], what: &str| {
        v.iter()
            .map(|x| format!("{}: {what} {} -> {}", code(&x.id), x.before, x.after))
            .collect::<Vec<_>>()
    };
    list(
        &mut o,
        "Float turned negative (the committed end is at risk)",
        moved_list(&i.newly_negative_float, "float"),
    );
    list(
        &mut o,
        "Deadlines newly missed",
        moved_list(&i.newly_missed_deadlines, "slack"),
    );
    list(&mut o, "Items added", ids(&i.items_added));
    list(&mut o, "Items removed", ids(&i.items_removed));
    let edges: Vec<String> = i
        .team_edges
        .iter()
        .map(|e| {
            let mut s = format!(
                "{} -> {}: {} -> {} dependencies",
                md_if(&e.provider, m),
                md_if(&e.consumer, m),
                e.before,
                e.after
            );
            for a in &e.added {
                let _ = write!(s, "; added {}", code(a));
            }
            for r in &e.removed {
                let _ = write!(s, "; removed {}", code(r));
            }
            s
        })
        .collect();
    list(&mut o, "Dependencies between teams", edges);
    let links: Vec<String> = i
        .links_changed
        .iter()
        .map(|l| {
            format!(
                "{} -> {}: {} -> {}",
                code(&l.provider),
                code(&l.consumer),
                l.before,
                l.after
            )
        })
        .collect();
    list(&mut o, "Dependency links changed (type or lag)", links);
    if i.joined_critical_path.is_empty()
        && i.left_critical_path.is_empty()
        && i.newly_negative_float.is_empty()
        && i.newly_missed_deadlines.is_empty()
        && i.team_edges.is_empty()
        && i.links_changed.is_empty()
        && i.items_added.is_empty()
        && i.items_removed.is_empty()
    {
        let _ = writeln!(
            o,
            "{}No item changes its critical-path membership, float sign or deadline.",
            if m { "\n" } else { "" }
        );
    }
    o
}

fn md_if(s: &str, markdown: bool) -> String {
    if markdown { md(s) } else { s.to_string() }
}
