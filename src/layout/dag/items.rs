//! The item dependency diagram: one node per item (every item, a team's
//! items with their direct neighbours, or the chain through one item: see
//! [`Focus`]), one edge per dependency, laid out by the layered core. It
//! owns which items show, in what order, and the size of their shapes; it
//! draws nothing (`render::svg::dag` does) and computes no schedule facts
//! (forecast starts, critical items and the critical path are read from the
//! [`Snapshot`]).

use std::collections::HashSet;

use super::layered::layout_layered;
use super::{DagLayout, DagOptions, NodeSpec};
use crate::analysis::Snapshot;
use crate::layout::text::{Weight, truncate_to_width, weighted_width};
use crate::model::{ItemIx, ItemKind, Program, Status, TeamIx};

/// Font size of item labels in the dependency diagram.
pub const ITEM_FONT: f64 = 11.0;
/// Widest label of a deliverable box (longer names are cut with an ellipsis).
pub const ITEM_LABEL_MAX: f64 = 180.0;
/// Widest label inside a milestone diamond.
pub const MILESTONE_LABEL_MAX: f64 = 120.0;
/// Height of a deliverable box.
pub const ITEM_BOX_HEIGHT: f64 = 24.0;
/// Height of a milestone diamond.
pub const MILESTONE_HEIGHT: f64 = 36.0;

/// Which part of the program a dependency diagram shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Every item.
    All,
    /// A team's items plus their direct providers and consumers.
    Team(TeamIx),
    /// An item with everything upstream and downstream of it.
    Item(ItemIx),
}

/// The mark that opens an item's label and tells its status without colour
/// (the diagram's legend names each one).
pub fn status_mark(status: Status) -> &'static str {
    match status {
        Status::NotStarted => "○",
        Status::OnTrack => "▶",
        Status::AtRisk => "⚠",
        Status::Blocked => "✕",
        Status::Done => "✓",
    }
}

/// The label drawn for an item: its status mark and its name, the name cut
/// to fit its shape.
pub fn item_label(program: &Program, status: Status, item: ItemIx) -> String {
    let it = &program.items[item];
    let max = match it.kind {
        ItemKind::Deliverable => ITEM_LABEL_MAX,
        ItemKind::Milestone => MILESTONE_LABEL_MAX,
    };
    format!(
        "{} {}",
        status_mark(status),
        truncate_to_width(it.name.trim(), ITEM_FONT, max)
    )
}

/// The size of an item's shape: a box around the label, or for a milestone a
/// diamond wide enough to hold its label.
/// `bold` labels (critical items) are measured in the bold font.
pub fn item_size(kind: ItemKind, label: &str, bold: bool) -> (f64, f64) {
    let weight = if bold { Weight::Bold } else { Weight::Regular };
    let tw = weighted_width(label, ITEM_FONT, weight);
    match kind {
        ItemKind::Deliverable => ((tw + 16.0).max(40.0), ITEM_BOX_HEIGHT),
        // A diamond of half-width a and half-height b holds a w × h text box
        // when w/2a + h/2b <= 1.
        ItemKind::Milestone => {
            let b = MILESTONE_HEIGHT / 2.0;
            let half_text_h = ITEM_FONT * 0.6;
            let a = (tw / 2.0 + 4.0) / (1.0 - half_text_h / b);
            ((2.0 * a).max(MILESTONE_HEIGHT), MILESTONE_HEIGHT)
        }
    }
}

/// The items a diagram with this focus shows, in the order they are laid out
/// (by owner team, milestones last, then forecast start, then id).
/// `consumers` are the direct consumers of every item ([`crate::analysis::Plan::consumers`]).
///
/// An item focus costs only what it shows (no pass over the whole program),
/// so drawing every deliverable page stays linear in the program's size.
pub fn focus_items(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    snap: &Snapshot,
    focus: Focus,
) -> Vec<ItemIx> {
    let n = program.items.len();
    let mut items: Vec<ItemIx> = match focus {
        Focus::All => (0..n).collect(),
        Focus::Team(t) => {
            let mut keep = vec![false; n];
            for (i, item) in program.items.iter().enumerate() {
                if item.owner == Some(t) {
                    keep[i] = true;
                    for &p in &item.depends_on {
                        keep[p] = true;
                    }
                    for &c in consumers.get(i).map_or(&[][..], Vec::as_slice) {
                        keep[c] = true;
                    }
                }
            }
            (0..n).filter(|&i| keep[i]).collect()
        }
        Focus::Item(i) if i < n => item_chain(program, consumers, snap, i),
        Focus::Item(_) => Vec::new(),
    };
    // The starting order of the crossing reduction (geometry, not a list a
    // reader reads): teams by id, milestones last, as the layout was tuned.
    items.sort_by_key(|&i| {
        let start = snap.items.get(i).map(|s| s.forecast_start);
        let owner = program.items[i].owner.and_then(|t| program.teams.get(t));
        (owner.is_none(), owner.map(|t| t.id.as_str()), start, i)
    });
    items
}

/// The chain through item `i`, upstream and downstream, level by level while
/// it fits the page: a whole chain in a small program, the nearest levels in
/// a large one. The direct neighbours always show (critical ones first when
/// there are more than [`ITEM_FOCUS_PER_SIDE`]).
fn item_chain(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    snap: &Snapshot,
    i: ItemIx,
) -> Vec<ItemIx> {
    let mut keep: HashSet<ItemIx> = HashSet::from([i]);
    for up in [true, false] {
        let mut frontier = vec![i];
        let mut budget = ITEM_FOCUS_PER_SIDE;
        while !frontier.is_empty() && budget > 0 {
            let mut level: Vec<ItemIx> = Vec::new();
            for &v in &frontier {
                let next: &[ItemIx] = if up {
                    &program.items[v].depends_on
                } else {
                    consumers.get(v).map_or(&[][..], Vec::as_slice)
                };
                level.extend(next.iter().copied().filter(|w| !keep.contains(w)));
            }
            level.sort_unstable();
            level.dedup();
            if level.len() > budget {
                if frontier.len() > 1 || frontier[0] != i {
                    break;
                }
                level.sort_by_key(|&w| (!snap.items.get(w).is_some_and(|s| s.critical), w));
                level.truncate(budget);
            }
            budget -= level.len();
            keep.extend(level.iter().copied());
            frontier = level;
        }
    }
    keep.into_iter().collect()
}

/// At most this many items on each side of a deliverable page's chain.
pub const ITEM_FOCUS_PER_SIDE: usize = 20;

/// How many items are upstream and downstream of `i`, each counted up to
/// `cap` (a count of `cap` means "at least"): the cap keeps the cost of one
/// page bounded in a program of tens of thousands of items.
pub fn chain_sizes(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    i: ItemIx,
    cap: usize,
) -> (usize, usize) {
    let mut sizes = [0, 0];
    for (k, up) in [true, false].into_iter().enumerate() {
        let mut seen: HashSet<ItemIx> = HashSet::from([i]);
        let mut stack = vec![i];
        'walk: while let Some(v) = stack.pop() {
            let next: &[ItemIx] = if up {
                &program.items[v].depends_on
            } else {
                consumers.get(v).map_or(&[][..], Vec::as_slice)
            };
            for &w in next {
                if seen.insert(w) {
                    sizes[k] += 1;
                    if sizes[k] >= cap {
                        break 'walk;
                    }
                    stack.push(w);
                }
            }
        }
    }
    (sizes[0], sizes[1])
}

/// The layered dependency diagram of the focused items: one node per item
/// (`key` = its [`ItemIx`]), one edge per dependency, provider → consumer.
pub fn layout_dependencies(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    snap: &Snapshot,
    focus: Focus,
) -> DagLayout {
    let items = focus_items(program, consumers, snap, focus);
    // Position of each shown item, found by binary search (no per-call
    // array the size of the program).
    let mut index: Vec<(ItemIx, usize)> = items.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    index.sort_unstable();
    let pos = |i: ItemIx| {
        index
            .binary_search_by_key(&i, |&(x, _)| x)
            .ok()
            .map(|at| index[at].1)
    };
    let on_path: HashSet<ItemIx> = snap.critical_path.iter().copied().collect();
    let nodes: Vec<NodeSpec> = items
        .iter()
        .map(|&i| {
            let label = item_label(program, snap.items[i].status, i);
            let bold = on_path.contains(&i);
            let (width, height) = item_size(program.items[i].kind, &label, bold);
            NodeSpec {
                key: i,
                width,
                height,
            }
        })
        .collect();
    let mut edges = Vec::new();
    for (kc, &c) in items.iter().enumerate() {
        for &p in &program.items[c].depends_on {
            if let Some(kp) = pos(p) {
                edges.push((kp, kc));
            }
        }
    }
    layout_layered(&nodes, &edges, &DagOptions::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::dag::tests::{assert_geometry, example};

    /// Chain sizes count every item upstream and downstream, up to the cap.
    #[test]
    fn chain_sizes_count_the_transitive_chain_up_to_a_cap() {
        let a = example();
        let p = &a.program;
        let end = a.current.critical_path[a.current.critical_path.len() - 1];
        // Brute force: everything the last critical item transitively depends on.
        let mut up = std::collections::BTreeSet::new();
        let mut stack = vec![end];
        while let Some(v) = stack.pop() {
            for &w in &p.items[v].depends_on {
                if up.insert(w) {
                    stack.push(w);
                }
            }
        }
        assert!(up.len() > 3);
        let (u, _) = chain_sizes(p, &a.plan.consumers, end, usize::MAX);
        assert_eq!(u, up.len());
        let (u, _) = chain_sizes(p, &a.plan.consumers, end, 3);
        assert_eq!(u, 3, "capped");
    }

    #[test]
    fn example_program_layouts() {
        let a = example();
        let l = layout_dependencies(&a.program, &a.plan.consumers, &a.current, Focus::All);
        assert_eq!(l.nodes.len(), a.program.items.len());
        let deps: usize = a.program.items.iter().map(|i| i.depends_on.len()).sum();
        assert_eq!(l.edges.len(), deps);
        assert_geometry(&l, &DagOptions::default());
        // Edges go provider → consumer, forward in time.
        for e in &l.edges {
            assert!(l.nodes[e.to].layer > l.nodes[e.from].layer);
            let (p, c) = (l.nodes[e.from].key, l.nodes[e.to].key);
            assert!(a.program.items[c].depends_on.contains(&p));
        }
        // Item focus: exactly the chain through the item.
        let mid = a.current.critical_path[a.current.critical_path.len() / 2];
        let l = layout_dependencies(&a.program, &a.plan.consumers, &a.current, Focus::Item(mid));
        assert!(l.nodes.iter().any(|n| n.key == mid));
        for &k in &a.current.critical_path {
            assert!(
                l.nodes.iter().any(|n| n.key == k),
                "critical item {k} missing"
            );
        }
        // Team focus: its items and their direct neighbours.
        let team = a.program.items[mid].owner.unwrap_or(0);
        let l = layout_dependencies(&a.program, &a.plan.consumers, &a.current, Focus::Team(team));
        let shown: HashSet<usize> = l.nodes.iter().map(|n| n.key).collect();
        for (i, item) in a.program.items.iter().enumerate() {
            if item.owner == Some(team) {
                assert!(shown.contains(&i));
                assert!(item.depends_on.iter().all(|p| shown.contains(p)));
            }
        }
        assert!(shown.len() < a.program.items.len());
    }
}
