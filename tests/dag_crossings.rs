//! Layout quality: edge crossings of our layered layout against Graphviz
//! `dot` on the same graphs — the example program, and a 1,000-node
//! synthetic program graph shaped like `../shared/bench/gen.py`'s (built here
//! by a small deterministic generator, so the test needs no files outside the
//! repository).
//!
//! # Method
//!
//! Both layouts are measured the same way, from their geometry:
//!
//! 1. the graph is written as DOT (`rankdir=LR`, nodes and edges in the same
//!    order as we lay them out) and `dot -Tplain` lays it out;
//! 2. ranks are the distinct x coordinates of node centres (in a left-to-right
//!    layered drawing every node of a rank shares its centre line);
//! 3. an edge spanning several ranks gets a dummy slot on each rank in
//!    between, at the y where its route crosses that rank's centre line (dot:
//!    its B-spline, flattened; ours: its polyline);
//! 4. each rank's nodes and dummy slots are ordered by y, and crossings are
//!    counted between consecutive ranks with
//!    [`count_chain_crossings`] — exact, segments sharing an end don't cross.
//!
//! Each layout is counted over its own layering (dot's network simplex ranks,
//! ours), as drawn. The same reconstruction applied to our layout must give
//! exactly our internal count, which checks the method. `dot` must be
//! installed (`apt-get install graphviz`): without it these tests fail.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use tpm_site::layout::dag::{
    DagLayout, DagOptions, Focus, NodeSpec, count_chain_crossings, count_crossings,
    layout_dependencies, layout_layered,
};

/// A route as a polyline.
type Polyline = Vec<(f64, f64)>;

/// Node centres and edge routes of a left-to-right drawing.
struct Drawing {
    /// By node index.
    centres: Vec<(f64, f64)>,
    /// (tail, head, route as a polyline).
    edges: Vec<(usize, usize, Polyline)>,
}

/// Steps 2–4 of the method: edge chains of (rank, position) slots.
fn chains_of(d: &Drawing) -> Vec<Vec<(usize, usize)>> {
    let key = |x: f64| (x * 100.0).round() as i64;
    let mut ranks: Vec<i64> = d.centres.iter().map(|c| key(c.0)).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let rank_of = |x: f64| ranks.binary_search(&key(x)).expect("a rank");
    // Slots per rank: (y, id); ids are nodes (index) or dummies (n + k).
    let n = d.centres.len();
    let mut per_rank: Vec<Vec<(f64, usize)>> = vec![Vec::new(); ranks.len()];
    for (v, c) in d.centres.iter().enumerate() {
        per_rank[rank_of(c.0)].push((c.1, v));
    }
    let mut next_id = n;
    let mut chain_ids: Vec<Vec<(usize, usize)>> = Vec::new();
    for (t, h, route) in &d.edges {
        let (rt, rh) = (rank_of(d.centres[*t].0), rank_of(d.centres[*h].0));
        let (lo, hi, a, b) = if rt <= rh {
            (rt, rh, *t, *h)
        } else {
            (rh, rt, *h, *t)
        };
        let mut chain = vec![(lo, a)];
        for (r, list) in per_rank.iter_mut().enumerate().take(hi).skip(lo + 1) {
            let x = ranks[r] as f64 / 100.0;
            let y = y_at(route, x).unwrap_or_else(|| panic!("edge {t}→{h} never reaches rank {r}"));
            list.push((y, next_id));
            chain.push((r, next_id));
            next_id += 1;
        }
        chain.push((hi, b));
        chain_ids.push(chain);
    }
    let mut slot = vec![0usize; next_id];
    for list in per_rank.iter_mut() {
        list.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
        for (i, &(_, id)) in list.iter().enumerate() {
            slot[id] = i;
        }
    }
    chain_ids
        .into_iter()
        .map(|c| c.into_iter().map(|(r, id)| (r, slot[id])).collect())
        .collect()
}

/// Where a polyline crosses the vertical line at `x`.
fn y_at(poly: &[(f64, f64)], x: f64) -> Option<f64> {
    for w in poly.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.0 - x) * (b.0 - x) <= 0.0 {
            if (b.0 - a.0).abs() < 1e-9 {
                return Some(a.1);
            }
            return Some(a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
        }
    }
    None
}

/// Our drawing, from the layout's own geometry.
fn our_drawing(l: &DagLayout) -> Drawing {
    Drawing {
        centres: l.nodes.iter().map(|n| (n.x, n.y)).collect(),
        edges: l
            .edges
            .iter()
            .map(|e| (e.from, e.to, e.points.clone()))
            .collect(),
    }
}

/// A piecewise cubic Bézier (dot's control points) as a polyline.
fn flatten(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = vec![pts[0]];
    let mut i = 0;
    while i + 3 < pts.len() {
        let (p0, p1, p2, p3) = (pts[i], pts[i + 1], pts[i + 2], pts[i + 3]);
        for s in 1..=32 {
            let t = s as f64 / 32.0;
            let u = 1.0 - t;
            let b = |a: f64, b: f64, c: f64, d: f64| {
                u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
            };
            out.push((b(p0.0, p1.0, p2.0, p3.0), b(p0.1, p1.1, p2.1, p3.1)));
        }
        i += 3;
    }
    out
}

/// Step 1: dot's drawing of the graph (nodes named `n<index>`).
fn dot_drawing(n: usize, edges: &[(usize, usize)]) -> Drawing {
    let mut src = String::from("digraph g {\n  rankdir=LR;\n  node [shape=box];\n");
    for v in 0..n {
        src.push_str(&format!("  n{v};\n"));
    }
    for &(a, b) in edges {
        src.push_str(&format!("  n{a} -> n{b};\n"));
    }
    src.push_str("}\n");
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is needed for this test (apt-get install graphviz)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(src.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("dot runs");
    assert!(out.status.success(), "dot failed");
    let plain = String::from_utf8(out.stdout).expect("UTF-8");
    let mut centres = vec![(f64::NAN, f64::NAN); n];
    let mut routes: HashMap<(usize, usize), Vec<Polyline>> = HashMap::new();
    let index = |name: &str| {
        name.trim_start_matches('n')
            .parse::<usize>()
            .expect("a node name")
    };
    for line in plain.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.first() {
            Some(&"node") => centres[index(w[1])] = (w[2].parse().unwrap(), w[3].parse().unwrap()),
            Some(&"edge") => {
                let k: usize = w[3].parse().unwrap();
                let pts: Vec<(f64, f64)> = (0..k)
                    .map(|j| (w[4 + 2 * j].parse().unwrap(), w[5 + 2 * j].parse().unwrap()))
                    .collect();
                routes
                    .entry((index(w[1]), index(w[2])))
                    .or_default()
                    .push(flatten(&pts));
            }
            _ => {}
        }
    }
    assert!(
        centres.iter().all(|c| c.0.is_finite()),
        "dot placed every node"
    );
    // dot emits edges grouped differently; match them back by endpoints.
    let edges = edges
        .iter()
        .map(|&(a, b)| {
            let route = routes
                .get_mut(&(a, b))
                .and_then(|r| r.pop())
                .expect("dot routed every edge");
            (a, b, route)
        })
        .collect();
    Drawing { centres, edges }
}

/// Lays out with our layout and dot, checks the method on ours, returns
/// (ours, dot's) crossings.
fn compare(layout: &DagLayout, name: &str) -> (usize, usize) {
    let ours = count_crossings(layout);
    let rebuilt = count_chain_crossings(&chains_of(&our_drawing(layout)));
    assert_eq!(
        rebuilt, ours,
        "{name}: the geometric method reproduces our own count"
    );
    let edges: Vec<(usize, usize)> = layout.edges.iter().map(|e| (e.from, e.to)).collect();
    let dot = count_chain_crossings(&chains_of(&dot_drawing(layout.nodes.len(), &edges)));
    println!("{name}: ours {ours} crossings, dot {dot}");
    (ours, dot)
}

#[test]
fn example_program_has_no_more_crossings_than_dot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut diags = tpm_site::diagnostics::Diagnostics::new();
    let a = tpm_site::site::analyze_dir(&dir, None, false, &mut diags)
        .expect("loads")
        .expect("analyzes");
    let layout = layout_dependencies(&a.program, &a.plan.consumers, &a.current, Focus::All);
    assert_eq!(layout.nodes.len(), 31);
    let (ours, dot) = compare(&layout, "example program");
    assert!(ours <= dot, "ours {ours} > dot {dot}");
}

/// xorshift64: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

struct SynItem {
    team: usize,
    stream: usize,
    start: i64,
    due: i64,
}

/// A program graph like gen.py's size M: 40 teams, 1,000 deliverables in
/// chained work streams, 10 shared hubs, 20 milestones (providers finishing
/// just before, consumers starting just after), and cross-team edges to
/// recent deliverables until there are 1.5 edges per node. Every edge runs
/// from an earlier finish to a later start, so the graph is acyclic.
/// Returns the node count (deliverables, then milestones) and the edges.
fn synthetic_program(seed: u64) -> (usize, Vec<(usize, usize)>) {
    let mut rng = Rng(seed);
    let (deliverables, teams) = (1000usize, 40usize);
    let mut items: Vec<SynItem> = Vec::new();
    let mut deps: Vec<Vec<usize>> = Vec::new();
    let mut heads = Vec::new();
    let mut stream = 0;
    while items.len() < deliverables {
        let team = rng.below(teams);
        let len = (5 + rng.below(11)).min(deliverables - items.len());
        let mut t = rng.below(250) as i64;
        for j in 0..len {
            t += rng.below(6) as i64;
            let dur = 5 + rng.below(20) as i64;
            if j == 0 {
                heads.push(items.len());
                deps.push(Vec::new());
            } else {
                deps.push(vec![items.len() - 1]);
            }
            items.push(SynItem {
                team,
                stream,
                start: t,
                due: t + dur,
            });
            t += dur + 1;
        }
        stream += 1;
    }
    heads.sort_by_key(|&i| items[i].start);
    let hubs: Vec<usize> = heads.iter().take(30).step_by(3).copied().collect();
    // Milestones.
    let horizon = items.iter().map(|i| i.due).max().unwrap_or(0);
    let milestones = deliverables / 50;
    let mut ms_deps: Vec<Vec<usize>> = Vec::new();
    for m in 0..milestones {
        let date = if m + 1 == milestones {
            horizon + 1
        } else {
            30 + rng.below((horizon - 60) as usize) as i64
        };
        let cands: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].due < date && items[i].due >= date - 40)
            .collect();
        let mut provs = Vec::new();
        for _ in 0..2 + rng.below(4) {
            if !cands.is_empty() {
                let p = cands[rng.below(cands.len())];
                if !provs.contains(&p) {
                    provs.push(p);
                }
            }
        }
        ms_deps.push(provs);
        let later: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].start > date && items[i].start <= date + 40)
            .collect();
        for _ in 0..1 + rng.below(3) {
            if !later.is_empty() {
                let c = later[rng.below(later.len())];
                let mid = deliverables + m;
                if !deps[c].contains(&mid) {
                    deps[c].push(mid);
                }
            }
        }
    }
    // Cross edges.
    let nodes = deliverables + milestones;
    let mut have: usize =
        deps.iter().map(Vec::len).sum::<usize>() + ms_deps.iter().map(Vec::len).sum::<usize>();
    let target = nodes * 3 / 2;
    let mut tries = 0;
    while have < target && tries < target * 20 {
        tries += 1;
        let c = rng.below(items.len());
        let s = items[c].start;
        let u = rng.below(10);
        let p = if u < 2 {
            // Same team, another stream, recent.
            let mut same: Vec<usize> = (0..items.len())
                .filter(|&i| {
                    items[i].team == items[c].team
                        && items[i].stream != items[c].stream
                        && items[i].due < s
                })
                .collect();
            same.sort_by_key(|&i| std::cmp::Reverse(items[i].due));
            same.truncate(8);
            (!same.is_empty()).then(|| same[rng.below(same.len())])
        } else if u < 4 {
            let elig: Vec<usize> = hubs
                .iter()
                .copied()
                .filter(|&h| items[h].due < s && items[h].team != items[c].team)
                .collect();
            (!elig.is_empty()).then(|| elig[rng.below(elig.len())])
        } else {
            let recent: Vec<usize> = (0..items.len())
                .filter(|&i| {
                    items[i].due < s && items[i].due >= s - 60 && items[i].team != items[c].team
                })
                .collect();
            (!recent.is_empty()).then(|| recent[rng.below(recent.len())])
        };
        if let Some(p) = p
            && !deps[c].contains(&p)
            && rng.chance(0.9)
        {
            deps[c].push(p);
            have += 1;
        }
    }
    let mut edges = Vec::new();
    for (c, ds) in deps.iter().enumerate() {
        for &p in ds {
            edges.push((p, c));
        }
    }
    for (m, ps) in ms_deps.iter().enumerate() {
        for &p in ps {
            edges.push((p, deliverables + m));
        }
    }
    (nodes, edges)
}

#[test]
fn synthetic_1000_node_graph_has_no_more_crossings_than_dot() {
    let (n, edges) = synthetic_program(1);
    assert_eq!(n, 1020);
    let per_node = edges.len() as f64 / n as f64;
    assert!((1.3..=1.6).contains(&per_node), "{per_node} edges per node");
    let nodes: Vec<NodeSpec> = (0..n)
        .map(|i| NodeSpec {
            key: i,
            width: 60.0 + (i * 37 % 120) as f64,
            height: 24.0,
        })
        .collect();
    let layout = layout_layered(&nodes, &edges, &DagOptions::default());
    assert!(layout.edges.iter().all(|e| !e.reversed), "acyclic input");
    let (ours, dot) = compare(&layout, "synthetic 1,000-node graph");
    assert!(ours <= dot, "ours {ours} > dot {dot}");
}
