//! The teams list and one team's page: its deliverables, the teams it waits
//! on (edge by edge, looking through milestones) and the risks it owns.
//! Which teams wait on or block which is a fact `crate::analysis` computed;
//! this file lists the item edges behind it and formats them, and computes
//! no schedule facts.

use serde::Serialize;

use super::{Badge, ItemRef, ItemRow, Links, RiskRow, TeamRef, TeamSummary, Viewer, status_badge};
use crate::model::{ItemIx, ItemKind, Program, TeamIx};
use crate::render::SiteData;

#[derive(Clone, Debug, Serialize)]
pub struct TeamsView {
    pub teams: Vec<TeamSummary>,
}

pub fn teams(data: &SiteData, links: &Links) -> TeamsView {
    TeamsView {
        teams: Viewer::new(data, data.current, links).team_summaries(),
    }
}

/// One dependency of a team on another: our item waits for theirs.
#[derive(Clone, Debug, Serialize)]
pub struct WaitEdge {
    pub ours: ItemRef,
    pub theirs: ItemRef,
    pub theirs_status: Badge,
    pub theirs_forecast: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct WaitGroup {
    pub team: TeamRef,
    pub edges: Vec<WaitEdge>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TeamView {
    pub summary: TeamSummary,
    pub items: Vec<ItemRow>,
    pub waits_on: Vec<WaitGroup>,
    pub risks: Vec<RiskRow>,
}

pub fn team(data: &SiteData, links: &Links, ix: TeamIx) -> Option<TeamView> {
    let v = Viewer::new(data, data.current, links);
    let summary = v.team_summary(ix)?;
    let owned: Vec<ItemIx> = match data.current.teams.get(ix) {
        Some(f) => f.deliverables.clone(),
        None => (0..data.program.items.len())
            .filter(|&i| data.program.items[i].owner == Some(ix))
            .collect(),
    };
    let waits = data
        .current
        .teams
        .get(ix)
        .map(|f| f.waits_on.clone())
        .unwrap_or_default();
    Some(TeamView {
        waits_on: waits
            .iter()
            .filter_map(|&t| wait_group(&v, &owned, t))
            .collect(),
        items: v.item_rows(owned.iter().copied()),
        risks: v.risk_rows(
            data.program
                .risks
                .iter()
                .filter(|r| r.owner_team == Some(ix)),
        ),
        summary,
    })
}

/// Our items' direct providers (looking through milestones) owned by `other`.
fn wait_group(v: &Viewer, owned: &[ItemIx], other: TeamIx) -> Option<WaitGroup> {
    let mut edges = Vec::new();
    for &ours in owned {
        for theirs in providers_through_milestones(v.program, ours) {
            if v.program.items.get(theirs).and_then(|i| i.owner) != Some(other) {
                continue;
            }
            let (Some(o), Some(t), Some(s)) = (
                v.item_ref(ours),
                v.item_ref(theirs),
                v.snap.items.get(theirs),
            ) else {
                continue;
            };
            edges.push(WaitEdge {
                ours: o,
                theirs: t,
                theirs_status: status_badge(s.status),
                theirs_forecast: s.forecast_finish.to_string(),
            });
        }
    }
    Some(WaitGroup {
        team: v.team_ref(other)?,
        edges,
    })
}

/// The providers of `ix`, with milestones replaced by their own providers (recursively).
fn providers_through_milestones(program: &Program, ix: ItemIx) -> Vec<ItemIx> {
    let mut out = Vec::new();
    let mut seen = vec![false; program.items.len()];
    let mut stack: Vec<ItemIx> = program
        .items
        .get(ix)
        .map(|i| i.depends_on.clone())
        .unwrap_or_default();
    while let Some(p) = stack.pop() {
        match seen.get_mut(p) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        match program.items.get(p) {
            Some(item) if item.kind == ItemKind::Milestone => {
                stack.extend(item.depends_on.iter().copied())
            }
            Some(_) => out.push(p),
            None => {}
        }
    }
    out.sort_unstable();
    out
}
