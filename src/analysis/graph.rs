//! The dependency graph of items: consumer lists, a deterministic topological
//! order, and cycle reports.
//!
//! Edges go provider -> consumer (from [`Item::depends_on`]). The order is
//! Kahn's algorithm with a min-heap, so among items that are ready the smallest
//! index (= smallest id, items are sorted by id) comes first. Strongly connected
//! components are only computed when Kahn's algorithm cannot order every item,
//! so an acyclic program never pays for them.
//!
//! petgraph's `tarjan_scc` is recursive (one stack frame per node on the DFS
//! path), which overflows the stack on long dependency chains; its iterative
//! `kosaraju_scc` has the same O(items + edges) cost and is used instead.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::diagnostics::Diagnostics;
use crate::model::{Item, ItemIx, Program};

/// Direct consumers of every item, each list sorted by index.
pub(super) fn consumers(program: &Program) -> Vec<Vec<ItemIx>> {
    let mut out = vec![Vec::new(); program.items.len()];
    // Visiting consumers in increasing index order keeps every list sorted.
    for (c, item) in program.items.iter().enumerate() {
        for &p in &item.depends_on {
            out[p].push(c);
        }
    }
    out
}

/// Lists of item indices for every item, stored flat: the list of item `i`
/// is `list[start[i]..start[i + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Adjacency {
    start: Vec<u32>,
    list: Vec<u32>,
}

impl Adjacency {
    /// The providers (`depends_on`) of every item.
    pub(super) fn providers(program: &Program) -> Adjacency {
        let mut adj = Adjacency {
            start: Vec::with_capacity(program.items.len() + 1),
            list: Vec::new(),
        };
        adj.start.push(0);
        for item in &program.items {
            adj.list.extend(item.depends_on.iter().map(|&p| p as u32));
            adj.start.push(adj.list.len() as u32);
        }
        adj
    }

    /// The same lists as `lists`.
    pub(super) fn from_lists(lists: &[Vec<ItemIx>]) -> Adjacency {
        let mut adj = Adjacency {
            start: Vec::with_capacity(lists.len() + 1),
            list: Vec::with_capacity(lists.iter().map(Vec::len).sum()),
        };
        adj.start.push(0);
        for l in lists {
            adj.list.extend(l.iter().map(|&p| p as u32));
            adj.start.push(adj.list.len() as u32);
        }
        adj
    }

    /// The number of entries in all lists.
    pub(super) fn len_total(&self) -> usize {
        self.list.len()
    }

    /// The number of entries in the list of item `i`.
    pub(super) fn len_of(&self, i: ItemIx) -> usize {
        (self.start[i + 1] - self.start[i]) as usize
    }

    /// Where the list of item `i` lies in the flat list (the same indices
    /// address a parallel array, e.g. [`super::Plan`]'s link edges).
    pub(super) fn span(&self, i: ItemIx) -> std::ops::Range<usize> {
        self.start[i] as usize..self.start[i + 1] as usize
    }

    /// The entry at flat index `k` (see [`Adjacency::span`]).
    pub(super) fn at(&self, k: usize) -> ItemIx {
        self.list[k] as ItemIx
    }
}

/// Every item, providers before consumers, smallest index first among the
/// ready ones; `None` when the graph has a cycle.
pub(super) fn topo_order(program: &Program, consumers: &[Vec<ItemIx>]) -> Option<Vec<ItemIx>> {
    let n = program.items.len();
    let mut indegree: Vec<usize> = program.items.iter().map(|i| i.depends_on.len()).collect();
    let mut ready: BinaryHeap<Reverse<ItemIx>> =
        (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        for &c in &consumers[i] {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                ready.push(Reverse(c));
            }
        }
    }
    (order.len() == n).then_some(order)
}

/// The petgraph view of the dependencies: node `k` is item `k`, edges provider -> consumer.
pub(super) fn digraph(program: &Program) -> DiGraph<(), ()> {
    let edges: usize = program.items.iter().map(|i| i.depends_on.len()).sum();
    let mut g = DiGraph::with_capacity(program.items.len(), edges);
    for _ in &program.items {
        g.add_node(());
    }
    for (c, item) in program.items.iter().enumerate() {
        for &p in &item.depends_on {
            g.add_edge(NodeIndex::new(p), NodeIndex::new(c), ());
        }
    }
    g
}

/// One dependency cycle found in the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Cycle {
    /// Every item of the strongly connected component, sorted.
    pub members: Vec<ItemIx>,
    /// One actual cycle through the smallest member, in `depends_on` direction:
    /// `path[k]` depends on `path[k + 1]`, and the last element is the first again.
    pub path: Vec<ItemIx>,
}

/// Every strongly connected component with more than one item or a self-loop,
/// sorted by smallest member.
pub(super) fn cycles(program: &Program) -> Vec<Cycle> {
    let n = program.items.len();
    let g = digraph(program);
    const NONE: usize = usize::MAX;
    let mut component = vec![NONE; n];
    let mut found = Vec::new();
    for scc in kosaraju_scc(&g) {
        let mut members: Vec<ItemIx> = scc.iter().map(|v| v.index()).collect();
        members.sort_unstable();
        let first = members[0];
        let self_loop = members.len() == 1
            && program.items[first]
                .depends_on
                .binary_search(&first)
                .is_ok();
        if members.len() > 1 || self_loop {
            found.push(members);
        }
    }
    found.sort_unstable_by_key(|members| members[0]);
    for (k, members) in found.iter().enumerate() {
        for &m in members {
            component[m] = k;
        }
    }
    found
        .iter()
        .enumerate()
        .map(|(k, members)| Cycle {
            path: cycle_through(&program.items, &component, k, members[0]),
            members: members.clone(),
        })
        .collect()
}

/// The shortest cycle through `start` inside component `k`, found by a
/// breadth-first search along `depends_on` edges (linear in the component).
fn cycle_through(items: &[Item], component: &[usize], k: usize, start: ItemIx) -> Vec<ItemIx> {
    let mut parent: HashMap<ItemIx, ItemIx> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        if items[u].depends_on.binary_search(&start).is_ok() {
            let mut path = vec![start];
            let mut v = u;
            while v != start {
                path.push(v);
                v = parent[&v];
            }
            // `path` is start, u, parent(u), ...: reverse all but the first to
            // get start -> ... -> u in depends_on direction, then close it.
            path[1..].reverse();
            path.push(start);
            return path;
        }
        for &p in &items[u].depends_on {
            if component[p] == k && p != start && !parent.contains_key(&p) {
                parent.insert(p, u);
                queue.push_back(p);
            }
        }
    }
    unreachable!("every member of a strongly connected component lies on a cycle")
}

/// Reports every dependency cycle as one error at the smallest-id item in it.
pub(super) fn report_cycles(program: &Program, diags: &mut Diagnostics) {
    let id = |i: ItemIx| program.items[i].id.as_str();
    for cycle in cycles(program) {
        let names: Vec<&str> = cycle.path.iter().map(|&i| id(i)).collect();
        let on_path: HashSet<ItemIx> = cycle.path.iter().copied().collect();
        let others: Vec<&str> = cycle
            .members
            .iter()
            .filter(|m| !on_path.contains(m))
            .map(|&m| id(m))
            .collect();
        let mut message = format!("dependency cycle: {}", names.join(" -> "));
        message.push_str(if cycle.path.len() == 2 {
            " (it depends on itself"
        } else {
            " (each depends on the next"
        });
        if !others.is_empty() {
            message.push_str(&format!("; also involved: {}", others.join(", ")));
        }
        message.push(')');
        diags
            .error(&program.items[cycle.members[0]].loc, message)
            .with_hint("remove one of these depends_on entries");
    }
}
