//! Layered (Sugiyama) layout of directed graphs, as plain numbers, and the
//! program's two diagrams built on it.
//!
//! - `layered`: the generic core. [`layout_layered`] takes boxes with sizes
//!   and edges between them and returns coordinates and routed edges; it
//!   knows nothing about items or teams.
//! - `items`: the item dependency diagram ([`layout_dependencies`]: every
//!   item, or a [`Focus`] neighbourhood).
//! - `teams`: the team map ([`layout_team_map`]: teams as nodes, who waits
//!   on whom).
//!
//! This file holds the core's input and output types, shared by all three,
//! and re-exports every public name, so `layout::dag::X` paths do not depend
//! on the split. Like all of `layout`, nothing here draws (`render::svg::dag`
//! does) or computes a schedule fact (those come from
//! [`crate::analysis::Snapshot`]): geometry as plain numbers only.

mod items;
mod layered;
mod teams;

pub use items::{
    Focus, ITEM_BOX_HEIGHT, ITEM_FOCUS_PER_SIDE, ITEM_FONT, ITEM_LABEL_MAX, MILESTONE_HEIGHT,
    MILESTONE_LABEL_MAX, chain_sizes, focus_items, item_label, item_size, layout_dependencies,
    status_mark,
};
pub use layered::{count_chain_crossings, count_crossings, layout_layered};
pub use teams::{
    TEAM_FONT, TEAM_MAP_TOP, TEAM_SMALL_FONT, TeamLink, TeamMapLayout, TeamMapNode,
    layout_team_map, team_dependencies,
};

// ---------------------------------------------------------------- public types

/// One box to place: `width` × `height` in drawing units (before any
/// rotation: `width` is always horizontal). `key` is the caller's identifier,
/// carried through to [`PlacedNode::key`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeSpec {
    pub key: usize,
    pub width: f64,
    pub height: f64,
}

/// Which way edges (and time) flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    LeftToRight,
    TopToBottom,
}

/// How nodes are assigned to layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layering {
    /// Every node one layer after its latest provider (sources on layer 0).
    LongestPath,
    /// Longest path, then network simplex: minimal total edge length.
    NetworkSimplex,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DagOptions {
    pub direction: Direction,
    pub layering: Layering,
    /// Space between two nodes of a layer.
    pub node_gap: f64,
    /// Space between two long edges passing through a layer.
    pub edge_gap: f64,
    /// Minimum space between two layers (more where edges are steep).
    pub layer_gap: f64,
    /// Space around the drawing.
    pub margin: f64,
    /// Upper bound on crossing-reduction sweeps per pass; lowered
    /// automatically for large graphs.
    pub max_sweeps: usize,
}

impl Default for DagOptions {
    fn default() -> Self {
        DagOptions {
            direction: Direction::LeftToRight,
            layering: Layering::NetworkSimplex,
            node_gap: 14.0,
            edge_gap: 6.0,
            layer_gap: 40.0,
            margin: 8.0,
            max_sweeps: 48,
        }
    }
}

/// A placed node: its box is centred on (`x`, `y`).
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedNode {
    pub key: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Layer index (0 = first along the flow).
    pub layer: usize,
    /// Position inside the layer, counting dummy slots.
    pub order: usize,
}

/// A routed edge, parallel to the input edges.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedEdge {
    pub from: usize,
    pub to: usize,
    /// Laid out against the flow to break a cycle.
    pub reversed: bool,
    /// Polyline from the boundary of `from`'s box to the boundary of `to`'s
    /// box. Empty for self-loops and invalid edges.
    pub points: Vec<(f64, f64)>,
    /// The (layer, position) slots the edge passes through, source first in
    /// flow order (for a reversed edge: `to` first); dummy slots in between.
    pub slots: Vec<(usize, usize)>,
}

/// The result of [`layout_layered`].
#[derive(Clone, Debug, PartialEq)]
pub struct DagLayout {
    /// Parallel to the input nodes.
    pub nodes: Vec<PlacedNode>,
    /// Parallel to the input edges.
    pub edges: Vec<PlacedEdge>,
    pub layers: usize,
    /// Dummy nodes inserted on long edges.
    pub dummies: usize,
    pub width: f64,
    pub height: f64,
    pub direction: Direction,
}

// ---------------------------------------------------------------- test fixtures

/// Fixtures shared by the tests of `layered`, `items` and `teams` (and by
/// `render::svg::dag`'s, which grow the example with `many_teams`).
#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::ItemKind;

    /// A small deterministic pseudo-random generator (xorshift).
    pub(super) struct Rng(pub(super) u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub(super) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    pub(super) fn assert_geometry(l: &DagLayout, opts: &DagOptions) {
        let lr = l.direction == Direction::LeftToRight;
        // No two nodes of a layer overlap (along the layer, with the gap).
        let mut by_layer: BTreeMap<usize, Vec<&PlacedNode>> = BTreeMap::new();
        for nd in &l.nodes {
            by_layer.entry(nd.layer).or_default().push(nd);
        }
        for nodes in by_layer.values_mut() {
            nodes.sort_by_key(|nd| nd.order);
            for w in nodes.windows(2) {
                let (a, b) = (w[0], w[1]);
                let (ea, eb, ca, cb) = if lr {
                    (a.height, b.height, a.y, b.y)
                } else {
                    (a.width, b.width, a.x, b.x)
                };
                assert!(
                    cb - eb / 2.0 >= ca + ea / 2.0 + opts.node_gap * 0.5 - 1e-6,
                    "overlap: {a:?} {b:?}"
                );
            }
        }
        // All boxes inside the drawing.
        for nd in &l.nodes {
            assert!(nd.x - nd.width / 2.0 >= -1e-6 && nd.x + nd.width / 2.0 <= l.width + 1e-6);
            assert!(nd.y - nd.height / 2.0 >= -1e-6 && nd.y + nd.height / 2.0 <= l.height + 1e-6);
        }
        // Every edge starts on its source's boundary and ends on its target's.
        let on_boundary = |nd: &PlacedNode, pt: (f64, f64)| {
            let (dx, dy) = ((pt.0 - nd.x).abs(), (pt.1 - nd.y).abs());
            let (hw, hh) = (nd.width / 2.0, nd.height / 2.0);
            (dx <= hw + 1e-6 && dy <= hh + 1e-6)
                && ((dx - hw).abs() < 1e-6 || (dy - hh).abs() < 1e-6)
        };
        for e in &l.edges {
            if e.from == e.to {
                continue;
            }
            assert!(on_boundary(&l.nodes[e.from], e.points[0]), "{e:?}");
            assert!(
                on_boundary(&l.nodes[e.to], *e.points.last().unwrap()),
                "{e:?}"
            );
            // Monotone along the flow (against it when reversed).
            for w in e.points.windows(2) {
                let (a, b) = if lr {
                    (w[0].0, w[1].0)
                } else {
                    (w[0].1, w[1].1)
                };
                if e.reversed {
                    assert!(b <= a + 1e-6);
                } else {
                    assert!(b >= a - 1e-6);
                }
            }
        }
    }

    pub(super) fn example() -> crate::site::Analyzed {
        crate::testing::example()
    }

    /// The example program grown to `teams` teams, each new team owning a
    /// chain of deliverables that depend on earlier teams' work.
    pub(crate) fn many_teams(teams: usize) -> crate::site::Analyzed {
        let mut a = example();
        let base_items = a.program.items.len();
        let mut rng = Rng(7);
        let first_new = a.program.teams.len();
        for k in first_new..teams {
            let mut team = a.program.teams[k % first_new].clone();
            team.id = format!("team-{k:03}");
            team.name = format!("Generated team {k}");
            a.program.teams.push(team);
            let mut facts = a.current.teams[k % first_new].clone();
            facts.blocking_power = rng.below(teams);
            facts.deliverables.clear();
            for j in 0..3 {
                let mut item = a.program.items[0].clone();
                item.kind = ItemKind::Deliverable;
                item.id = format!("gen-{k:03}-{j}");
                item.owner = Some(k);
                let prev = a.program.items.len() - 1;
                item.depends_on = if j > 0 {
                    vec![prev]
                } else {
                    vec![rng.below(prev + 1)]
                };
                if rng.below(2) == 0 {
                    item.depends_on.push(rng.below(base_items));
                }
                item.depends_on.sort_unstable();
                item.depends_on.dedup();
                facts.deliverables.push(a.program.items.len());
                a.program.items.push(item);
                a.current.items.push(a.current.items[0].clone());
            }
            std::sync::Arc::make_mut(&mut a.current.teams).push(facts);
        }
        a
    }
}
