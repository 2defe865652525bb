//! Times the dependency-diagram layout on a content folder.
//!
//!     cargo run --release --example dag_layout -- CONTENT_DIR [--vs-dot] [--svg OUT_DIR]
//!     cargo run --release --example dag_layout -- --plain FILE
//!
//! Prints the graph size, the layout time (median of 5 runs), layers, dummy
//! nodes and crossings. With `--vs-dot`, also writes the same graph as DOT
//! (rankdir=LR, same node and edge order), times `dot -Tplain` on it and
//! counts dot's crossings the way `tests/dag_crossings.rs` does: ranks from the
//! node centres, dummy positions where each edge spline passes a rank's
//! centre line, the same counting function. With `--svg OUT_DIR`, writes the
//! full diagram and the team map as `deps.svg` and `teams.svg` (and an HTML
//! page showing both with their summaries) for a look. `--plain FILE` counts
//! the crossings of any `dot -Tplain` output (say, of gen.py's
//! `deps-flat.dot`) the same way.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use tpm_site::layout::dag::{Focus, count_chain_crossings, count_crossings, layout_dependencies};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--plain") {
        let file = args.get(1).expect("--plain FILE");
        let plain = std::fs::read_to_string(file).expect("read the -Tplain output");
        let chains = plain_chains(&plain);
        println!(
            "{file}: {} edges, {} crossings",
            chains.len(),
            count_chain_crossings(&chains)
        );
        return;
    }
    let Some(dir) = args.first().filter(|a| !a.starts_with("--")) else {
        eprintln!("usage: dag_layout CONTENT_DIR [--vs-dot]");
        std::process::exit(2);
    };
    let vs_dot = args.iter().any(|a| a == "--vs-dot");
    let svg_dir = args
        .iter()
        .position(|a| a == "--svg")
        .and_then(|k| args.get(k + 1));
    let mut diags = tpm_site::diagnostics::Diagnostics::new();
    let t0 = Instant::now();
    let a = tpm_site::site::analyze_dir(Path::new(dir), None, false, &mut diags)
        .expect("content loads")
        .expect("content analyzes");
    let load = t0.elapsed();
    let edges: usize = a.program.items.iter().map(|i| i.depends_on.len()).sum();
    println!(
        "{} items, {} dependencies (loaded and analyzed in {:.1} ms)",
        a.program.items.len(),
        edges,
        load.as_secs_f64() * 1e3
    );
    let mut times = Vec::new();
    let mut layout = None;
    for _ in 0..5 {
        let t = Instant::now();
        let l = layout_dependencies(&a.program, &a.plan.consumers, &a.current, Focus::All);
        times.push(t.elapsed().as_secs_f64());
        layout = Some(l);
    }
    times.sort_by(f64::total_cmp);
    let l = layout.unwrap();
    let mut chart_times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let chart = tpm_site::render::svg::dag::dependency_chart(
            &a.program,
            &a.plan.consumers,
            &a.current,
            Focus::All,
            "",
        );
        chart_times.push((t.elapsed().as_secs_f64(), chart.svg.len()));
    }
    chart_times.sort_by(|x, y| x.0.total_cmp(&y.0));
    println!(
        "layout: {:.1} ms (median of 5; min {:.1}); {} layers, {} dummy nodes, {} crossings, {:.0} × {:.0}",
        times[2] * 1e3,
        times[0] * 1e3,
        l.layers,
        l.dummies,
        count_crossings(&l),
        l.width,
        l.height
    );
    println!(
        "layout and SVG: {:.1} ms (median of 3), {} bytes of SVG",
        chart_times[1].0 * 1e3,
        chart_times[1].1
    );
    if let Some(out) = svg_dir {
        write_svgs(&a, Path::new(out));
    }
    if !vs_dot {
        return;
    }
    let mut dot = String::from("digraph deps {\n  rankdir=LR;\n  node [shape=box];\n");
    for n in &l.nodes {
        dot.push_str(&format!("  \"{}\";\n", a.program.items[n.key].id));
    }
    for e in &l.edges {
        let (p, c) = (l.nodes[e.from].key, l.nodes[e.to].key);
        dot.push_str(&format!(
            "  \"{}\" -> \"{}\";\n",
            a.program.items[p].id, a.program.items[c].id
        ));
    }
    dot.push_str("}\n");
    let path = std::env::temp_dir().join("dag_layout_example.dot");
    std::fs::write(&path, &dot).expect("write DOT");
    let t = Instant::now();
    let out = Command::new("dot")
        .arg("-Tplain")
        .arg(&path)
        .output()
        .expect("run dot");
    let dt = t.elapsed();
    assert!(out.status.success(), "dot failed");
    let plain = String::from_utf8_lossy(&out.stdout);
    let chains = plain_chains(&plain);
    println!(
        "dot -Tplain: {:.1} ms; {} crossings (same counting); DOT written to {}",
        dt.as_secs_f64() * 1e3,
        count_chain_crossings(&chains),
        path.display()
    );
}

/// Splits a `-Tplain` line into words, keeping quoted strings whole.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// dot's layering and order as edge chains of (rank, position) slots (see the
/// module comment).
fn plain_chains(plain: &str) -> Vec<Vec<(usize, usize)>> {
    let mut node_x = std::collections::HashMap::new();
    let mut node_y = std::collections::HashMap::new();
    type Spline = (String, String, Vec<(f64, f64)>);
    let mut splines: Vec<Spline> = Vec::new();
    for line in plain.lines() {
        let w = words(line);
        match w.first().map(String::as_str) {
            Some("node") => {
                node_x.insert(w[1].clone(), w[2].parse::<f64>().unwrap());
                node_y.insert(w[1].clone(), w[3].parse::<f64>().unwrap());
            }
            Some("edge") => {
                let n: usize = w[3].parse().unwrap();
                let pts = (0..n)
                    .map(|k| (w[4 + 2 * k].parse().unwrap(), w[5 + 2 * k].parse().unwrap()))
                    .collect();
                splines.push((w[1].clone(), w[2].clone(), pts));
            }
            _ => {}
        }
    }
    let key = |x: f64| (x * 1000.0).round() as i64;
    let mut ranks: Vec<i64> = node_x.values().map(|&x| key(x)).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let rank_of = |x: f64| ranks.binary_search(&key(x)).unwrap();
    // Per rank: (y, slot id); slot ids: nodes by name, dummies by (edge, rank).
    let mut per_rank: Vec<Vec<(f64, String)>> = vec![Vec::new(); ranks.len()];
    for (name, &x) in &node_x {
        per_rank[rank_of(x)].push((node_y[name], format!("n:{name}")));
    }
    let mut chain_ids: Vec<Vec<(usize, String)>> = Vec::new();
    for (ei, (t, h, pts)) in splines.iter().enumerate() {
        let (rt, rh) = (rank_of(node_x[t]), rank_of(node_x[h]));
        let (lo, hi, lo_name, hi_name) = if rt <= rh {
            (rt, rh, t, h)
        } else {
            (rh, rt, h, t)
        };
        let poly = bezier_polyline(pts);
        let mut chain = vec![(lo, format!("n:{lo_name}"))];
        for r in lo + 1..hi {
            let x = ranks[r] as f64 / 1000.0;
            let y = y_at(&poly, x).unwrap_or((node_y[t] + node_y[h]) / 2.0);
            let id = format!("d:{ei}:{r}");
            per_rank[r].push((y, id.clone()));
            chain.push((r, id));
        }
        chain.push((hi, format!("n:{hi_name}")));
        chain_ids.push(chain);
    }
    let mut slot = std::collections::HashMap::new();
    for list in per_rank.iter_mut() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (i, (_, id)) in list.iter().enumerate() {
            slot.insert(id.clone(), i);
        }
    }
    chain_ids
        .into_iter()
        .map(|c| c.into_iter().map(|(r, id)| (r, slot[&id])).collect())
        .collect()
}

/// A piecewise cubic Bézier (dot's spline control points) as a polyline.
fn bezier_polyline(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = vec![pts[0]];
    let mut i = 0;
    while i + 3 < pts.len() {
        let (p0, p1, p2, p3) = (pts[i], pts[i + 1], pts[i + 2], pts[i + 3]);
        for s in 1..=16 {
            let t = s as f64 / 16.0;
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

/// Where a polyline first crosses the vertical line at `x`.
fn y_at(poly: &[(f64, f64)], x: f64) -> Option<f64> {
    for w in poly.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.0 - x) * (b.0 - x) <= 0.0 && a.0 != b.0 {
            return Some(a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
        }
    }
    None
}

/// Writes the charts of the whole program for a visual check.
fn write_svgs(a: &tpm_site::site::Analyzed, out: &Path) {
    use tpm_site::render::svg::dag::{dependency_chart, team_map_chart};
    std::fs::create_dir_all(out).expect("create the output folder");
    let deps = dependency_chart(&a.program, &a.plan.consumers, &a.current, Focus::All, "");
    let teams = team_map_chart(&a.program, &a.current, "");
    std::fs::write(out.join("deps.svg"), &deps.svg).expect("write deps.svg");
    std::fs::write(out.join("teams.svg"), &teams.svg).expect("write teams.svg");
    let mut html =
        String::from("<!doctype html><meta charset=utf-8><body style='font-family:sans-serif'>");
    for (title, c) in [("Dependencies", &deps), ("Teams", &teams)] {
        html.push_str(&format!(
            "<h2>{title}</h2><p>{}</p>{}",
            escape(&c.summary),
            c.svg
        ));
    }
    // An item to focus on: the first on the critical path, else the
    // deliverable with the most direct dependencies.
    let busiest = (0..a.program.items.len())
        .filter(|&i| a.program.items[i].owner.is_some())
        .max_by_key(|&i| a.program.items[i].depends_on.len());
    if let Some(first) = a.current.critical_path.first().copied().or(busiest) {
        let c = dependency_chart(
            &a.program,
            &a.plan.consumers,
            &a.current,
            Focus::Item(first),
            "",
        );
        html.push_str(&format!(
            "<h2>Item</h2><p>{}</p>{}",
            escape(&c.summary),
            c.svg
        ));
        if let Some(t) = a.program.items[first].owner {
            let c = dependency_chart(
                &a.program,
                &a.plan.consumers,
                &a.current,
                Focus::Team(t),
                "",
            );
            html.push_str(&format!(
                "<h2>Team</h2><p>{}</p>{}",
                escape(&c.summary),
                c.svg
            ));
        }
    }
    std::fs::write(out.join("index.html"), html).expect("write index.html");
    println!("wrote {}", out.display());
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
