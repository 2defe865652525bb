//! The team map: teams as nodes (the [`TEAM_MAP_TOP`] with the most blocking
//! power, the rest grouped), links labelled with how many item dependencies
//! run each way ("who waits on whom"), laid out by the layered core. It owns
//! which teams and links show and the size of their boxes; it draws nothing
//! (`render::svg::dag` does) and computes no schedule facts (blocking power
//! and owned deliverables are read from the [`Snapshot`]).

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::layered::layout_layered;
use super::{DagLayout, DagOptions, NodeSpec};
use crate::analysis::Snapshot;
use crate::layout::text::{Weight, text_width, truncate_to_width, weighted_width};
use crate::model::{ItemIx, Program, TeamIx};

/// Teams shown one by one in the team map; the rest are grouped.
pub const TEAM_MAP_TOP: usize = 12;
/// Font size of team names in the team map.
pub const TEAM_FONT: f64 = 12.0;
/// Font size of the second line of a team node and of link labels.
pub const TEAM_SMALL_FONT: f64 = 10.0;

/// A node of the team map: one team, or the group of the remaining teams.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamMapNode {
    /// `None` for the "other teams" group.
    pub team: Option<TeamIx>,
    /// The teams this node stands for, sorted.
    pub members: Vec<TeamIx>,
    /// The team's blocking power (for the group: the largest among members).
    pub blocking_power: usize,
    /// 0 (blocks nobody) to 3 (blocks the most teams).
    pub emphasis: u8,
    /// First line: the team name, cut to fit.
    pub label: String,
    /// Second line, e.g. "blocks 4 teams".
    pub sublabel: String,
    /// Index into `layout.nodes`.
    pub node: usize,
}

/// A link between two team nodes, drawn as one path through its label.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamLink {
    /// Team-node indices (into [`TeamMapLayout::teams`]); the path runs from `a` to `b`.
    pub a: usize,
    pub b: usize,
    /// Dependencies of `b`'s items on `a`'s items (through milestones).
    pub a_to_b: usize,
    /// Dependencies of `a`'s items on `b`'s items.
    pub b_to_a: usize,
    /// The label, e.g. "→3 ←2".
    pub label: String,
    /// Index into `layout.nodes` of the label's box.
    pub label_node: usize,
    /// From the boundary of `a`'s box, through the label box, to `b`'s.
    pub points: Vec<(f64, f64)>,
}

/// The team-level dependency map.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamMapLayout {
    /// Team nodes first (parallel to `teams`), then one label node per link.
    pub layout: DagLayout,
    pub teams: Vec<TeamMapNode>,
    pub links: Vec<TeamLink>,
    /// Weaker links left out to keep the map readable, and the dependencies they carry.
    pub hidden_links: usize,
    pub hidden_dependencies: usize,
}

/// For each item, its effective providers: direct providers owned by a team,
/// with milestone providers replaced by their own effective providers.
fn effective_providers(program: &Program) -> Vec<Vec<ItemIx>> {
    fn expand(
        program: &Program,
        m: ItemIx,
        memo: &mut HashMap<ItemIx, Vec<ItemIx>>,
        busy: &mut HashSet<ItemIx>,
    ) -> Vec<ItemIx> {
        if let Some(v) = memo.get(&m) {
            return v.clone();
        }
        if !busy.insert(m) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for &p in &program.items[m].depends_on {
            if program.items[p].owner.is_some() {
                out.push(p);
            } else {
                out.extend(expand(program, p, memo, busy));
            }
        }
        out.sort_unstable();
        out.dedup();
        busy.remove(&m);
        memo.insert(m, out.clone());
        out
    }
    let mut memo = HashMap::new();
    let mut busy = HashSet::new();
    program
        .items
        .iter()
        .map(|item| {
            let mut out = Vec::new();
            for &p in &item.depends_on {
                if program.items[p].owner.is_some() {
                    out.push(p);
                } else {
                    out.extend(expand(program, p, &mut memo, &mut busy));
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect()
}

/// Dependencies between teams: `(provider team, consumer team) → count` of
/// item dependencies (through milestones), other teams only.
pub fn team_dependencies(program: &Program) -> BTreeMap<(TeamIx, TeamIx), usize> {
    let eff = effective_providers(program);
    let mut out = BTreeMap::new();
    for (c, provs) in eff.iter().enumerate() {
        let Some(b) = program.items[c].owner else {
            continue;
        };
        for &p in provs {
            if let Some(a) = program.items[p].owner
                && a != b
            {
                *out.entry((a, b)).or_insert(0) += 1;
            }
        }
    }
    out
}

/// A team node's second line: the item dependencies that cross its border,
/// outgoing (other teams' items waiting on its items) then incoming.
pub fn team_sublabel(out: usize, inn: usize) -> String {
    match (out, inn) {
        (0, 0) => "no cross-team dependencies".to_string(),
        _ => format!("{out} wait on it · waits on {inn}"),
    }
}

/// A vertex sequence with few backward arcs (Eades–Lin–Smyth greedy
/// feedback arc set, weighted). Returns each vertex's place in the sequence.
fn feedback_order(n: usize, arcs: &[(usize, usize, usize)]) -> Vec<usize> {
    let mut alive = vec![true; n];
    let mut left: Vec<usize> = Vec::new();
    let mut right: Vec<usize> = Vec::new();
    let mut remaining = n;
    let degree = |alive: &[bool], v: usize| {
        let (mut inw, mut outw) = (0i64, 0i64);
        for &(a, b, w) in arcs {
            if a == v && alive[b] && b != v {
                outw += w as i64;
            }
            if b == v && alive[a] && a != v {
                inw += w as i64;
            }
        }
        (inw, outw)
    };
    while remaining > 0 {
        let mut changed = true;
        while changed {
            changed = false;
            for v in 0..n {
                if !alive[v] {
                    continue;
                }
                let (inw, outw) = degree(&alive, v);
                if outw == 0 {
                    right.push(v);
                    alive[v] = false;
                    remaining -= 1;
                    changed = true;
                } else if inw == 0 {
                    left.push(v);
                    alive[v] = false;
                    remaining -= 1;
                    changed = true;
                }
            }
        }
        if remaining == 0 {
            break;
        }
        let v = (0..n)
            .filter(|&v| alive[v])
            .max_by_key(|&v| {
                let (inw, outw) = degree(&alive, v);
                (outw - inw, Reverse(v))
            })
            .unwrap();
        left.push(v);
        alive[v] = false;
        remaining -= 1;
    }
    left.extend(right.into_iter().rev());
    let mut place = vec![0; n];
    for (k, &v) in left.iter().enumerate() {
        place[v] = k;
    }
    place
}

/// The team map: teams as nodes (the [`TEAM_MAP_TOP`] with the most blocking
/// power, the rest grouped as "other teams"), links labelled with the number
/// of item dependencies each way, weaker links dropped beyond about two per
/// node (each node keeps its strongest link).
pub fn layout_team_map(program: &Program, snap: &Snapshot) -> TeamMapLayout {
    let t = program.teams.len();
    let bp = |team: TeamIx| snap.teams.get(team).map_or(0, |f| f.blocking_power);
    let owned = |team: TeamIx| snap.teams.get(team).map_or(0, |f| f.deliverables.len());
    let mut ranked: Vec<TeamIx> = (0..t).collect();
    ranked.sort_by_key(|&x| (Reverse(bp(x)), Reverse(owned(x)), x));
    let shown: Vec<TeamIx> = if t > TEAM_MAP_TOP + 1 {
        ranked[..TEAM_MAP_TOP].to_vec()
    } else {
        ranked.clone()
    };
    let grouped: Vec<TeamIx> = {
        let mut g: Vec<TeamIx> = ranked[shown.len()..].to_vec();
        g.sort_unstable();
        g
    };
    let mut node_of = vec![usize::MAX; t];
    for (k, &team) in shown.iter().enumerate() {
        node_of[team] = k;
    }
    let other_node = (!grouped.is_empty()).then_some(shown.len());
    for &team in &grouped {
        node_of[team] = shown.len();
    }
    let n_team_nodes = shown.len() + usize::from(other_node.is_some());
    let max_bp = (0..t).map(bp).max().unwrap_or(0);
    let emphasis = |b: usize| -> u8 {
        if max_bp == 0 || b == 0 {
            0
        } else {
            (3 * b).div_ceil(max_bp).clamp(1, 3) as u8
        }
    };
    let deps = team_dependencies(program);
    // Item dependencies across teams, per team: how many of other teams'
    // items wait on this team's items (out) and how many of its items wait on
    // other teams' (in). Unlike the number of teams blocked, which in a large
    // program is nearly every team for every team, these tell teams apart.
    let (mut out_deps, mut in_deps) = (vec![0usize; t], vec![0usize; t]);
    for (&(a, b), &count) in &deps {
        out_deps[a] += count;
        in_deps[b] += count;
    }
    let mut teams: Vec<TeamMapNode> = shown
        .iter()
        .enumerate()
        .map(|(k, &team)| {
            let b = bp(team);
            TeamMapNode {
                team: Some(team),
                members: vec![team],
                blocking_power: b,
                emphasis: emphasis(b),
                label: truncate_to_width(program.teams[team].name.trim(), TEAM_FONT, 200.0),
                sublabel: team_sublabel(out_deps[team], in_deps[team]),
                node: k,
            }
        })
        .collect();
    if let Some(k) = other_node {
        let b = grouped.iter().map(|&x| bp(x)).max().unwrap_or(0);
        teams.push(TeamMapNode {
            team: None,
            members: grouped.clone(),
            blocking_power: b,
            emphasis: 0,
            label: format!("{} other teams", grouped.len()),
            sublabel: format!("each blocks at most {b}"),
            node: k,
        });
    }

    // Links between nodes, both directions merged.
    let mut pair: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    for (&(a, b), &count) in &deps {
        let (na, nb) = (node_of[a], node_of[b]);
        if na == nb {
            continue;
        }
        let key = (na.min(nb), na.max(nb));
        let e = pair.entry(key).or_insert((0, 0));
        if na < nb {
            e.0 += count;
        } else {
            e.1 += count;
        }
    }
    let mut all: Vec<((usize, usize), (usize, usize))> = pair.into_iter().collect();
    all.sort_by_key(|&((a, b), (f, r))| (Reverse(f + r), a, b));
    let budget = (2 * n_team_nodes).max(16);
    let mut keep = vec![false; all.len()];
    let mut has_link = vec![false; n_team_nodes];
    for (k, &((a, b), _)) in all.iter().enumerate() {
        if k < budget || !has_link[a] || !has_link[b] {
            keep[k] = true;
            has_link[a] = true;
            has_link[b] = true;
        }
    }
    let hidden_links = keep.iter().filter(|k| !**k).count();
    let hidden_dependencies = all
        .iter()
        .zip(&keep)
        .filter(|(_, k)| !**k)
        .map(|(&(_, (f, r)), _)| f + r)
        .sum();
    let kept: Vec<((usize, usize), (usize, usize))> = all
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(l, _)| l)
        .collect();

    // Orient every link along a sequence with few backward dependencies.
    let mut arcs = Vec::new();
    for &((a, b), (f, r)) in &kept {
        if f > 0 {
            arcs.push((a, b, f));
        }
        if r > 0 {
            arcs.push((b, a, r));
        }
    }
    let place = feedback_order(n_team_nodes, &arcs);

    let mut nodes: Vec<NodeSpec> = teams
        .iter()
        .map(|tn| {
            // render::svg::dag draws the name bold from emphasis 2.
            let weight = if tn.emphasis >= 2 {
                Weight::Bold
            } else {
                Weight::Regular
            };
            let w = weighted_width(&tn.label, TEAM_FONT, weight)
                .max(text_width(&tn.sublabel, TEAM_SMALL_FONT))
                + 20.0;
            NodeSpec {
                key: tn.node,
                width: w,
                height: 34.0 + 4.0 * f64::from(tn.emphasis),
            }
        })
        .collect();
    let mut edges = Vec::new();
    let mut links = Vec::new();
    for &((x, y), (fxy, fyx)) in &kept {
        let (a, b, a_to_b, b_to_a) = if place[x] <= place[y] {
            (x, y, fxy, fyx)
        } else {
            (y, x, fyx, fxy)
        };
        let label = match (a_to_b, b_to_a) {
            (f, 0) => format!("{f}"),
            (0, r) => format!("{r}"),
            (f, r) => format!("→{f} ←{r}"),
        };
        let label_node = nodes.len();
        nodes.push(NodeSpec {
            key: label_node,
            width: text_width(&label, TEAM_SMALL_FONT) + 8.0,
            height: TEAM_SMALL_FONT + 6.0,
        });
        edges.push((a, label_node));
        edges.push((label_node, b));
        links.push(TeamLink {
            a,
            b,
            a_to_b,
            b_to_a,
            label,
            label_node,
            points: Vec::new(),
        });
    }
    let opts = DagOptions {
        node_gap: 16.0,
        layer_gap: 28.0,
        ..DagOptions::default()
    };
    let layout = layout_layered(&nodes, &edges, &opts);
    for (k, link) in links.iter_mut().enumerate() {
        let first = &layout.edges[2 * k].points;
        let second = &layout.edges[2 * k + 1].points;
        link.points = first.iter().chain(second).copied().collect();
    }
    TeamMapLayout {
        layout,
        teams,
        links,
        hidden_links,
        hidden_dependencies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::dag::tests::{assert_geometry, example, many_teams};

    #[test]
    fn example_team_map() {
        let a = example();
        let m = layout_team_map(&a.program, &a.current);
        assert_eq!(m.teams.len(), a.program.teams.len());
        let deps = team_dependencies(&a.program);
        let total: usize = deps.values().sum();
        let drawn: usize = m.links.iter().map(|l| l.a_to_b + l.b_to_a).sum();
        assert_eq!(drawn + m.hidden_dependencies, total);
        for link in &m.links {
            let (na, nb) = (
                &m.layout.nodes[m.teams[link.a].node],
                &m.layout.nodes[m.teams[link.b].node],
            );
            let first = link.points[0];
            let last = *link.points.last().unwrap();
            assert!((first.0 - na.x).abs() <= na.width / 2.0 + 1e-6);
            assert!((last.0 - nb.x).abs() <= nb.width / 2.0 + 1e-6);
        }
        let top = m.teams.iter().max_by_key(|t| t.blocking_power).unwrap();
        assert_eq!(top.emphasis, 3);
        assert_geometry(
            &m.layout,
            &DagOptions {
                node_gap: 16.0,
                ..DagOptions::default()
            },
        );
    }

    /// Each team's second line counts the item dependencies crossing its
    /// border each way, so teams that block the same number of teams still
    /// read differently.
    #[test]
    fn team_labels_count_cross_team_dependencies_each_way() {
        let a = example();
        let m = layout_team_map(&a.program, &a.current);
        let deps = team_dependencies(&a.program);
        for tn in &m.teams {
            let t = tn.team.unwrap();
            let out: usize = deps
                .iter()
                .filter(|((x, _), _)| *x == t)
                .map(|(_, c)| c)
                .sum();
            let inn: usize = deps
                .iter()
                .filter(|((_, y), _)| *y == t)
                .map(|(_, c)| c)
                .sum();
            assert_eq!(tn.sublabel, team_sublabel(out, inn), "{}", tn.label);
        }
        let labels: std::collections::BTreeSet<&str> =
            m.teams.iter().map(|t| t.sublabel.as_str()).collect();
        assert!(labels.len() > 1, "{labels:?}");
        assert_eq!(team_sublabel(48, 8), "48 wait on it · waits on 8");
        assert_eq!(team_sublabel(0, 0), "no cross-team dependencies");
    }

    #[test]
    fn feedback_order_follows_the_heavier_direction() {
        let place = feedback_order(3, &[(0, 1, 5), (1, 2, 5), (2, 0, 1)]);
        assert!(place[0] < place[1] && place[1] < place[2]);
        let place = feedback_order(2, &[(0, 1, 1), (1, 0, 4)]);
        assert!(place[1] < place[0]);
    }

    #[test]
    fn team_map_groups_many_teams_and_keeps_links_few() {
        let a = many_teams(40);
        let m = layout_team_map(&a.program, &a.current);
        assert_eq!(m.teams.len(), TEAM_MAP_TOP + 1);
        let other = m.teams.last().unwrap();
        assert!(other.team.is_none());
        assert_eq!(other.members.len(), 40 - TEAM_MAP_TOP);
        // The shown teams block at least as many teams as any grouped one.
        let weakest = m.teams[..TEAM_MAP_TOP]
            .iter()
            .map(|t| t.blocking_power)
            .min()
            .unwrap();
        assert!(
            other
                .members
                .iter()
                .all(|&t| a.current.teams[t].blocking_power <= weakest)
        );
        // Few enough links to read, every node keeping its strongest one, and
        // nothing lost from the count.
        assert!(m.links.len() <= (2 * m.teams.len()).max(16) + m.teams.len());
        let total: usize = team_dependencies(&a.program)
            .iter()
            .filter(|&(&(x, y), _)| {
                let node = |t: TeamIx| m.teams.iter().position(|n| n.members.contains(&t)).unwrap();
                node(x) != node(y)
            })
            .map(|(_, &c)| c)
            .sum();
        let drawn: usize = m.links.iter().map(|l| l.a_to_b + l.b_to_a).sum();
        assert_eq!(drawn + m.hidden_dependencies, total);
        assert_geometry(
            &m.layout,
            &DagOptions {
                node_gap: 16.0,
                ..DagOptions::default()
            },
        );
    }
}
