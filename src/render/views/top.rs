//! The top strip of the dashboard and of every report page: the director's
//! read in a few short lines (overall state, why late, the critical-path
//! delta, whose slip it is, the decisions owed). It words the facts of
//! `crate::analysis::story` (told once per snapshot) and computes none.

use serde::Serialize;

use super::report::Part;
use super::{Badge, Link, Viewer, no_rag_badge, plural, rag_badge, schedule_view, working_days};
use crate::analysis::Snapshot;
use crate::analysis::story::{ChainLink, Story};
use crate::model::{ItemIx, ItemKind, TeamIx};

/// How many decisions the strip names; the rest are counted and linked.
const OWED_SHOWN: usize = 3;
/// How many teams the attribution names; the rest are summed.
const TEAMS_SHOWN: usize = 4;
/// Recommendations longer than this (in characters) are cut with "…".
const RECOMMENDATION_CHARS: usize = 90;

/// One decision owed, named.
#[derive(Clone, Debug, Serialize)]
pub struct OwedView {
    pub title: String,
    pub href: String,
    pub decider: String,
    /// "3 days overdue (needed by 2027-04-02)" or "needed by 2027-04-16".
    pub when: String,
    pub overdue: bool,
    pub recommendation: Option<String>,
}

/// The strip.
#[derive(Clone, Debug, Serialize)]
pub struct TopStrip {
    pub rag: Badge,
    /// `late`, `on-time` or `early` (the end card's classes).
    pub end_class: &'static str,
    /// How late the program is, as every headline says it ("6 working
    /// days late", "on the committed end date").
    pub verdict: String,
    pub forecast_end: String,
    pub committed_end: String,
    /// The milestone the verdict counts from, when one is later against its
    /// date than the end is against the committed end (analysis'
    /// `Lateness`): the strip names it and says where the end stands, so
    /// "6 working days late" beside an end 3 days after the committed one
    /// reads as two facts, not two answers.
    pub late_at: Option<LateAt>,
    /// Why late: the end's move and the driving chain.
    pub why: Vec<Part>,
    /// The critical path now against the previous report, and the float.
    pub path: Vec<Part>,
    /// Whose slip it is, by team.
    pub slip: Vec<Part>,
    pub decisions: Vec<OwedView>,
    /// Decisions owed beyond those named.
    pub decisions_more: usize,
    pub decisions_href: String,
}

/// See [`TopStrip::late_at`].
#[derive(Clone, Debug, Serialize)]
pub struct LateAt {
    pub milestone: String,
    pub href: String,
    /// The end against the committed end, before its date: "3 working
    /// days after the committed", "on the committed".
    pub end_relation: String,
}

fn late_at(v: &Viewer, snap: &Snapshot) -> Option<LateAt> {
    let l = snap.lateness;
    let (ix, _) = l.milestone.filter(|&(_, days)| days > l.end)?;
    let item = v.item_ref(ix)?;
    let end_relation = match snap.end_slack {
        0 => "on the committed".to_string(),
        s if s < 0 => format!("{} after the committed", working_days(-s)),
        s => format!("{} before the committed", working_days(s)),
    };
    Some(LateAt {
        milestone: item.name,
        href: item.href,
        end_relation,
    })
}

/// The strip of `snap` (which must carry its story), or `None` without one.
pub fn top_strip(v: &Viewer, snap: &Snapshot) -> Option<TopStrip> {
    let story = snap.story.as_deref()?;
    let program = v.program;
    let schedule = schedule_view(program, snap);
    let owed: Vec<OwedView> = story
        .decisions
        .iter()
        .take(OWED_SHOWN)
        .filter_map(|o| {
            let d = program.decisions.get(o.decision)?;
            let when = match (o.overdue, d.needed_by) {
                (true, Some(by)) => format!(
                    "{} overdue (needed by {by})",
                    plural(o.days_overdue.unsigned_abs() as usize, "day", "days")
                ),
                (_, Some(by)) => format!("needed by {by}"),
                (_, None) => "no date set".to_string(),
            };
            Some(OwedView {
                title: d.title.clone(),
                href: format!("{}#decision-{}", v.links.dir("decisions"), d.id),
                decider: d.decider.clone(),
                when,
                overdue: o.overdue,
                recommendation: cut(d.recommendation.trim(), RECOMMENDATION_CHARS),
            })
        })
        .collect();
    Some(TopStrip {
        rag: snap.status.map_or_else(no_rag_badge, rag_badge),
        end_class: schedule.class,
        verdict: schedule.verdict,
        forecast_end: snap.forecast_end.to_string(),
        committed_end: program.meta.end.to_string(),
        late_at: late_at(v, snap),
        why: why(v, story),
        path: path(v, story),
        slip: slip(v, story),
        decisions_more: story.decisions.len().saturating_sub(owed.len()),
        decisions: owed,
        decisions_href: v.links.dir("decisions"),
    })
}

/// `s` up to `max` characters, cut at a word with "…"; `None` when empty.
fn cut(s: &str, max: usize) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.chars().count() <= max {
        return Some(s.to_string());
    }
    let head: String = s.chars().take(max).collect();
    let head = head.rsplit_once(' ').map_or(head.as_str(), |(h, _)| h);
    Some(format!("{}…", head.trim_end_matches([',', ';', ':', '.'])))
}

impl Viewer<'_> {
    fn team_name(&self, team: Option<TeamIx>) -> String {
        match team.and_then(|t| self.program.teams.get(t)) {
            Some(t) => t.name.clone(),
            None => "milestones".to_string(),
        }
    }

    /// "Item (Team)" or, with an own delay, "Item (Team, +2 of its own)".
    fn link_parts(&self, l: &ChainLink) -> Vec<Part> {
        let mut out = vec![self.strip_item(l.item)];
        let milestone = self
            .program
            .items
            .get(l.item)
            .is_some_and(|i| i.kind == ItemKind::Milestone);
        let who = if milestone {
            "milestone".to_string()
        } else {
            self.team_name(l.team)
        };
        out.push(Part::text(if l.own_delay > 0 {
            format!(" ({who}, {} late of its own)", working_days(l.own_delay))
        } else {
            format!(" ({who})")
        }));
        out
    }

    fn strip_item(&self, ix: ItemIx) -> Part {
        match self.item_ref(ix) {
            Some(r) => Part::link(Link {
                text: r.name,
                href: r.href,
            }),
            None => Part::text("?"),
        }
    }
}

/// "The end date moved +3 working days to 2027-07-06, driven by A (T),
/// which waits on B (T), itself pushed by C (U, 3 working days late of its
/// own)." Long chains keep the first two links and the root.
fn why(v: &Viewer, story: &Story) -> Vec<Part> {
    let mut parts = vec![match story.end_moved {
        0 => Part::text("The end date holds at "),
        d if d > 0 => Part::text(format!("The end date moved +{} to ", working_days(d))),
        d => Part::text(format!(
            "The end date moved {} earlier to ",
            working_days(d)
        )),
    }];
    parts.push(Part::strong(story.end.to_string()));
    // The end item itself is worth naming only when it is a deliverable.
    let ends_in_milestone = story.chain.first().is_some_and(|l| {
        v.program
            .items
            .get(l.item)
            .is_some_and(|i| i.kind == ItemKind::Milestone)
    });
    let drivers: &[ChainLink] = if ends_in_milestone && story.chain.len() > 1 {
        &story.chain[1..]
    } else {
        &story.chain
    };
    let late = drivers.first().is_some_and(|l| l.slip > 0);
    if !late {
        parts.push(Part::text(match drivers.first() {
            Some(_) => ", on plan: nothing upstream pushes it.",
            None => ".",
        }));
        return parts;
    }
    let shown: Vec<Option<&ChainLink>> = if drivers.len() > 3 {
        vec![Some(&drivers[0]), Some(&drivers[1]), None, drivers.last()]
    } else {
        drivers.iter().map(Some).collect()
    };
    for (k, l) in shown.iter().enumerate() {
        match l {
            Some(l) => {
                parts.push(Part::text(match k {
                    0 => ", driven by ",
                    1 => ", which waits on ",
                    _ => ", itself pushed by ",
                }));
                parts.extend(v.link_parts(l));
            }
            None => parts.push(Part::text(format!(
                ", through {}",
                plural(drivers.len() - 3, "more item", "more items")
            ))),
        }
    }
    parts.push(Part::text("."));
    parts
}

/// "Critical path changed: now A → … → Z (12 items); joined: X; left: W.
/// Float to the end fell from 2 to −3 working days."
fn path(v: &Viewer, story: &Story) -> Vec<Part> {
    let p = &story.path;
    let mut parts = Vec::new();
    let ends = |path: &[ItemIx], parts: &mut Vec<Part>| match path {
        [] => parts.push(Part::text("none")),
        [only] => parts.push(v.strip_item(*only)),
        [first, .., last] => {
            parts.push(v.strip_item(*first));
            parts.push(Part::text(if path.len() > 2 {
                " → … → "
            } else {
                " → "
            }));
            parts.push(v.strip_item(*last));
            parts.push(Part::text(format!(" ({} items)", path.len())));
        }
    };
    if p.changed {
        parts.push(Part::strong("Critical path changed"));
        parts.push(Part::text(": now "));
        ends(&p.now, &mut parts);
        parts.push(Part::text("; was "));
        ends(&p.was, &mut parts);
        for (label, list) in [("; joined: ", &p.joined), ("; left: ", &p.left)] {
            if list.is_empty() {
                continue;
            }
            parts.push(Part::text(label));
            for (k, &ix) in list.iter().take(3).enumerate() {
                if k > 0 {
                    parts.push(Part::text(", "));
                }
                parts.push(v.strip_item(ix));
            }
            if list.len() > 3 {
                parts.push(Part::text(format!(" and {} more", list.len() - 3)));
            }
        }
        parts.push(Part::text(". "));
    } else {
        parts.push(Part::text("Critical path unchanged: "));
        ends(&p.now, &mut parts);
        parts.push(Part::text(". "));
    }
    let (b, a) = (p.float_before, p.float_after);
    let unit = if a.abs() == 1 {
        "working day"
    } else {
        "working days"
    };
    parts.push(Part::text(match a.cmp(&b) {
        std::cmp::Ordering::Less => format!("Float to the end fell from {b} to {a} {unit}."),
        std::cmp::Ordering::Greater => format!("Float to the end rose from {b} to {a} {unit}."),
        std::cmp::Ordering::Equal => format!("Float to the end stays at {a} {unit}."),
    }));
    parts
}

/// "Of 6 working days of slip since the plan's end (2027-06-28), 4 came from
/// Platform Data, 2 from Identity."
fn slip(v: &Viewer, story: &Story) -> Vec<Part> {
    let a = &story.attribution;
    let plan_end = a.plan_end.to_string();
    if a.total == 0 && a.by_team.is_empty() {
        return vec![Part::text(format!(
            "No slip: the end is where the plan put it ({plan_end})."
        ))];
    }
    let mut parts = vec![Part::text(if a.total >= 0 {
        "Of "
    } else {
        "Of a gain of "
    })];
    parts.push(Part::strong(working_days(a.total)));
    parts.push(Part::text(format!(
        " {}since the plan's end ({plan_end})",
        if a.total >= 0 { "of slip " } else { "" }
    )));
    let mut clauses: Vec<String> = a
        .by_team
        .iter()
        .take(TEAMS_SHOWN)
        .map(|c| {
            let who = v.team_name(c.team);
            if c.days >= 0 {
                format!("{} came from {who}", c.days)
            } else {
                format!("{who} won back {}", -c.days)
            }
        })
        .collect();
    let rest: i64 = a.by_team.iter().skip(TEAMS_SHOWN).map(|c| c.days).sum();
    let others = a.by_team.len().saturating_sub(TEAMS_SHOWN);
    if others > 0 {
        clauses.push(format!(
            "{rest} from {}",
            plural(others, "other team", "other teams")
        ));
    }
    if a.unattributed != 0 {
        clauses.push(format!("{} not traced to one item's delay", a.unattributed));
    }
    if clauses.is_empty() {
        parts.push(Part::text("."));
    } else {
        parts.push(Part::text(format!(", {}.", clauses.join(", "))));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_recommendations_are_cut_at_a_word() {
        assert_eq!(cut("", 10), None);
        assert_eq!(cut("Freeze now", 10).as_deref(), Some("Freeze now"));
        assert_eq!(
            cut("Freeze the schema now, then migrate", 24).as_deref(),
            Some("Freeze the schema now…")
        );
    }
}
