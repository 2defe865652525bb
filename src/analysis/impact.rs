//! Plan-change impact: how a change to the plan moves the schedule, comparing
//! two programs (base and head) item by item, matched by id. Pure.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use super::Snapshot;
use crate::model::{ItemKind, Program};

/// One side of the comparison.
pub struct Version<'a> {
    pub program: &'a Program,
    pub snap: &'a Snapshot,
}

/// An item's float or slack before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub id: String,
    pub before: i64,
    pub after: i64,
}

/// Dependencies between two teams (provider team, consumer team), as counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TeamEdge {
    pub provider: String,
    pub consumer: String,
    pub before: usize,
    pub after: usize,
    /// The item edges that appeared (`provider-item -> consumer-item`).
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// A dependency present before and after whose link type or lag changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkChange {
    pub provider: String,
    pub consumer: String,
    /// [`crate::model::Link::label`]s: `FS`, `SS+3d`.
    pub before: String,
    pub after: String,
}

/// Everything `tpm-site diff` reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Impact {
    pub forecast_end_before: Date,
    pub forecast_end_after: Date,
    pub committed_end_before: Date,
    pub committed_end_after: Date,
    /// Working days of the head calendar from the base forecast end to the head's (positive: later).
    pub end_moved_by: i64,
    pub joined_critical_path: Vec<String>,
    pub left_critical_path: Vec<String>,
    /// Items whose total float is negative now and was not (or that are new with negative float).
    pub newly_negative_float: Vec<Moved>,
    /// Items whose deadline slack is negative now and was not.
    pub newly_missed_deadlines: Vec<Moved>,
    pub items_added: Vec<String>,
    pub items_removed: Vec<String>,
    /// Team pairs whose cross-team dependencies changed.
    pub team_edges: Vec<TeamEdge>,
    /// Dependencies kept whose link type or lag changed, by consumer then provider id.
    pub links_changed: Vec<LinkChange>,
    /// Any item with negative float after the change.
    pub has_negative_float: bool,
}

/// Item-level cross-team edges, looking through milestones to the deliverables behind them.
fn team_edges(p: &Program) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for item in &p.items {
        let Some(consumer_team) = item.owner else {
            continue;
        };
        let mut stack: Vec<usize> = item.depends_on.clone();
        let mut seen = BTreeSet::new();
        while let Some(prov) = stack.pop() {
            if !seen.insert(prov) {
                continue;
            }
            let pi = &p.items[prov];
            match (pi.kind, pi.owner) {
                (ItemKind::Milestone, _) => stack.extend(pi.depends_on.iter().copied()),
                (_, Some(t)) if t != consumer_team => {
                    out.entry((p.teams[t].id.clone(), p.teams[consumer_team].id.clone()))
                        .or_default()
                        .insert(format!("{} -> {}", pi.id, item.id));
                }
                _ => {}
            }
        }
    }
    out
}

/// The dependencies in both programs (matched by ids) whose link differs.
fn links_changed(base: &Program, head: &Program) -> Vec<LinkChange> {
    let mut out = Vec::new();
    for item in &head.items {
        let Some(b) = base.item_index(&item.id).map(|b| &base.items[b]) else {
            continue;
        };
        let mut pairs: Vec<(&str, crate::model::Link, crate::model::Link)> = Vec::new();
        for &p in &item.depends_on {
            let pid = head.items[p].id.as_str();
            let Some(bp) = base.item_index(pid) else {
                continue;
            };
            if !b.depends_on.contains(&bp) {
                continue;
            }
            let (was, now) = (b.link_to(bp), item.link_to(p));
            if was != now {
                pairs.push((pid, was, now));
            }
        }
        pairs.sort_by(|x, y| x.0.cmp(y.0));
        out.extend(pairs.into_iter().map(|(pid, was, now)| LinkChange {
            provider: pid.to_string(),
            consumer: item.id.clone(),
            before: was.label(),
            after: now.label(),
        }));
    }
    out
}

/// Compares the base and head versions of a program.
pub fn compare(base: &Version, head: &Version) -> Impact {
    let cal = &head.program.meta.calendar;
    let find = |v: &Version, id: &str| v.program.item_index(id);
    let path = |v: &Version| -> BTreeSet<String> {
        v.snap
            .critical_path
            .iter()
            .map(|&i| v.program.items[i].id.clone())
            .collect()
    };
    let (pb, ph) = (path(base), path(head));
    let mut newly_negative_float = Vec::new();
    let mut newly_missed_deadlines = Vec::new();
    let mut items_added = Vec::new();
    for (ix, item) in head.program.items.iter().enumerate() {
        let after = &head.snap.items[ix];
        let before = find(base, &item.id).map(|b| &base.snap.items[b]);
        if before.is_none() {
            items_added.push(item.id.clone());
        }
        if after.total_float < 0 && before.is_none_or(|b| b.total_float >= 0) {
            newly_negative_float.push(Moved {
                id: item.id.clone(),
                before: before.map_or(0, |b| i64::from(b.total_float)),
                after: after.total_float.into(),
            });
        }
        if after.deadline_slack < 0 && before.is_none_or(|b| b.deadline_slack >= 0) {
            newly_missed_deadlines.push(Moved {
                id: item.id.clone(),
                before: before.map_or(0, |b| i64::from(b.deadline_slack)),
                after: after.deadline_slack.into(),
            });
        }
    }
    let items_removed = base
        .program
        .items
        .iter()
        .filter(|i| find(head, &i.id).is_none())
        .map(|i| i.id.clone())
        .collect();
    let (eb, eh) = (team_edges(base.program), team_edges(head.program));
    let keys: BTreeSet<&(String, String)> = eb.keys().chain(eh.keys()).collect();
    let empty = BTreeSet::new();
    let team_edges = keys
        .into_iter()
        .filter_map(|k| {
            let (b, h) = (eb.get(k).unwrap_or(&empty), eh.get(k).unwrap_or(&empty));
            let added: Vec<String> = h.difference(b).cloned().collect();
            let removed: Vec<String> = b.difference(h).cloned().collect();
            (!added.is_empty() || !removed.is_empty()).then(|| TeamEdge {
                provider: k.0.clone(),
                consumer: k.1.clone(),
                before: b.len(),
                after: h.len(),
                added,
                removed,
            })
        })
        .collect();
    Impact {
        forecast_end_before: base.snap.forecast_end,
        forecast_end_after: head.snap.forecast_end,
        committed_end_before: base.program.meta.end,
        committed_end_after: head.program.meta.end,
        end_moved_by: cal.on_or_before(head.snap.forecast_end)
            - cal.on_or_before(base.snap.forecast_end),
        joined_critical_path: ph.difference(&pb).cloned().collect(),
        left_critical_path: pb.difference(&ph).cloned().collect(),
        newly_negative_float,
        newly_missed_deadlines,
        items_added,
        items_removed,
        team_edges,
        links_changed: links_changed(base.program, head.program),
        has_negative_float: head.snap.items.iter().any(|i| i.total_float < 0),
    }
}
