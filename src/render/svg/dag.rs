//! Dependency diagrams as SVG, drawn from [`crate::layout::dag`] geometry:
//! the layered item diagram ([`dependency_chart`]) and the team map
//! ([`team_map_chart`]).
//!
//! Items are boxes (milestones diamonds) filled with a tint of their team's
//! colour, with a legend; the critical path is drawn thicker, darker and in
//! bold, so it reads without colour. Every node links to its page and carries
//! a `<title>` tooltip. Text goes through an escaping writer: the streaming
//! [`super::xml::Xml`], for the item diagrams (drawn on every deliverable
//! page) and the team map alike; attribute values from content are limited
//! to validated ids and colours.
//! The item diagrams hold geometry and text only: their nodes name their
//! team's class (`team-<id>`, coloured by `assets/teams.css`) and the `dag-*`
//! classes carry the rest of the styling (`charts.css`), which keeps the
//! diagram on every deliverable page small. The team map and the legends
//! keep presentation attributes as a readable default.

use std::collections::HashSet;

use super::xml::{Xml, write_num};
use super::{Chart, num};
use crate::analysis::Snapshot;
use crate::layout::dag::{
    DagLayout, Focus, ITEM_FONT, TEAM_FONT, TEAM_SMALL_FONT, TeamMapLayout, chain_sizes,
    item_label, layout_dependencies, layout_team_map, status_mark, team_dependencies,
};
use crate::layout::text::{text_width, truncate_to_width};
use crate::model::{ItemIx, ItemKind, Program, Status};

const LEGEND_FONT: f64 = 11.0;
const LEGEND_ROW: f64 = 20.0;
const EDGE_COLOR: &str = "#94a3b8";
const CRITICAL_COLOR: &str = "#b91c1c";
const TEXT_COLOR: &str = "#0f172a";
const MILESTONE_FILL: &str = "#fef3c7";
const MILESTONE_STROKE: &str = "#b45309";
const NEUTRAL: &str = "#64748b";
/// Chains longer than this are summarised as "at least" this many items.
const CHAIN_COUNT_CAP: usize = 200;

/// A link target inside the site: `prefix` + a path built from validated ids.
/// Quotes and angle brackets cannot come from ids; the prefix is the caller's,
/// and the writer escapes attribute values anyway.
fn href(prefix: &str, path: &str) -> String {
    format!("{prefix}{path}")
}

/// An SVG path through `points`: straight along runs inside a layer, smooth
/// S-curves (horizontal tangents) across the gaps between layers.
fn edge_path(points: &[(f64, f64)], left_to_right: bool) -> String {
    let mut d = String::with_capacity(16 + 40 * points.len());
    let pair = |d: &mut String, sep: &str, x: f64, y: f64| {
        d.push_str(sep);
        write_num(d, x);
        d.push(',');
        write_num(d, y);
    };
    for (k, &(x, y)) in points.iter().enumerate() {
        if k == 0 {
            pair(&mut d, "M", x, y);
            continue;
        }
        let (px, py) = points[k - 1];
        let straight = if left_to_right {
            (py - y).abs() < 0.01
        } else {
            (px - x).abs() < 0.01
        };
        if straight {
            pair(&mut d, " L", x, y);
        } else if left_to_right {
            let mx = (px + x) / 2.0;
            pair(&mut d, " C", mx, py);
            pair(&mut d, " ", mx, y);
            pair(&mut d, " ", x, y);
        } else {
            let my = (py + y) / 2.0;
            pair(&mut d, " C", px, my);
            pair(&mut d, " ", x, my);
            pair(&mut d, " ", x, y);
        }
    }
    d
}

/// A diamond of the given box as polygon points.
fn diamond(cx: f64, cy: f64, w: f64, h: f64) -> String {
    format!(
        "{},{} {},{} {},{} {},{}",
        num(cx - w / 2.0),
        num(cy),
        num(cx),
        num(cy - h / 2.0),
        num(cx + w / 2.0),
        num(cy),
        num(cx),
        num(cy + h / 2.0)
    )
}

/// A legend swatch.
enum Swatch {
    /// A team's box in its colour.
    Team(String),
    Milestone,
    Critical,
    /// A status mark (text), as drawn before item labels.
    Mark(&'static str),
}

/// One legend entry: a swatch and a label.
struct LegendEntry {
    swatch: Swatch,
    label: String,
}

/// Writes legend entries in rows no wider than `max_width`, as a group
/// `class`; returns the legend's height.
fn write_legend(x: &mut Xml, entries: &[LegendEntry], max_width: f64, class: &'static str) -> f64 {
    x.open("g").attr("class", class);
    let (placed, height) = legend_layout(entries, max_width);
    for (entry, (label, at, y)) in entries.iter().zip(placed) {
        x.open("g")
            .attr("class", "dag-legend-entry")
            .attr_with("transform", |t| translate(t, at, y));
        x.open("g");
        match &entry.swatch {
            Swatch::Team(color) => {
                x.open("rect")
                    .attr("class", "dag-swatch")
                    .attr("fill", color)
                    .attr("fill-opacity", "0.22")
                    .attr("height", "12")
                    .attr("rx", "3")
                    .attr("stroke", color)
                    .attr("stroke-width", "1.5")
                    .attr("width", "14")
                    .attr("x", "1")
                    .attr("y", "1")
                    .close();
            }
            Swatch::Milestone => {
                x.open("polygon")
                    .attr("class", "dag-milestone-shape")
                    .attr("fill", MILESTONE_FILL)
                    .attr("points", &diamond(8.0, 7.0, 14.0, 12.0))
                    .attr("stroke", MILESTONE_STROKE)
                    .attr("stroke-width", "1.5")
                    .close();
            }
            Swatch::Mark(mark) => {
                x.open("text")
                    .attr("class", "dag-legend-mark")
                    .attr("fill", TEXT_COLOR)
                    .num("font-size", LEGEND_FONT)
                    .attr("x", "2")
                    .attr("y", "11")
                    .text(mark)
                    .close();
            }
            Swatch::Critical => {
                x.open("path")
                    .attr("class", "dag-edge dag-edge-critical")
                    .attr("d", "M0,7 L16,7")
                    .attr("stroke", CRITICAL_COLOR)
                    .attr("stroke-width", "3")
                    .close();
            }
        }
        x.close();
        x.open("text")
            .attr("class", "dag-legend-label")
            .attr("fill", TEXT_COLOR)
            .num("font-size", LEGEND_FONT)
            .attr("x", "20")
            .attr("y", "11")
            .text(&label)
            .close();
        x.close();
    }
    x.close();
    height
}

/// `translate(x,y)`.
fn translate(out: &mut String, x: f64, y: f64) {
    out.push_str("translate(");
    write_num(out, x);
    out.push(',');
    write_num(out, y);
    out.push(')');
}

/// Opens the `<svg>` element of a diagram with its title and description.
fn open_document(x: &mut Xml, width: f64, height: f64, class: &str, title: &str, summary: &str) {
    x.open("svg")
        .attr_with("class", |c| {
            c.push_str(class);
            c.push_str(width_class(width));
        })
        .attr(
            "font-family",
            "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
        )
        .attr("role", "img")
        .view_box(width, height)
        .attr("width", "100%")
        .attr("xmlns", "http://www.w3.org/2000/svg");
    x.leaf("title", title);
    x.leaf("desc", summary);
}

/// Writes an arrowhead `<marker>`.
fn write_arrow_marker(x: &mut Xml, id: &str, color: &str, class: &str, size: f64) {
    x.open("marker")
        .attr("id", id)
        .num("markerHeight", size)
        .attr("markerUnits", "userSpaceOnUse")
        .num("markerWidth", size)
        .attr("orient", "auto-start-reverse")
        .attr("refX", "10")
        .attr("refY", "5")
        .attr("viewBox", "0 0 10 10");
    x.open("path")
        .attr("class", class)
        .attr("d", "M0,1 L10,5 L0,9 z")
        .attr("fill", color)
        .close();
    x.close();
}

/// A size class for wide drawings, so the stylesheet can give them a minimum
/// width (text stays at least about 0.6 of its design size).
fn width_class(width: f64) -> &'static str {
    match width {
        w if w <= 1100.0 => "",
        w if w <= 1500.0 => " dag-w1",
        w if w <= 2930.0 => " dag-w2",
        w if w <= 5870.0 => " dag-w3",
        _ => " dag-w4",
    }
}

/// Words for a number of things: "1 item", "3 items".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The teams the critical path runs through, in order, e.g.
/// "platform → identity → mobile".
fn critical_teams(program: &Program, path: &[ItemIx]) -> String {
    let mut teams: Vec<&str> = Vec::new();
    for &i in path {
        if let Some(t) = program.items.get(i).and_then(|it| it.owner) {
            let id = program.teams[t].id.as_str();
            if teams.last() != Some(&id) {
                teams.push(id);
            }
        }
    }
    teams.join(" → ")
}

fn tooltip(program: &Program, snap: &Snapshot, i: ItemIx, on_path: bool) -> String {
    let it = &program.items[i];
    let mut lines = vec![format!("{} ({})", it.name.trim(), it.id)];
    let s = snap.items.get(i);
    match it.kind {
        ItemKind::Deliverable => {
            if let Some(t) = it.owner {
                lines.push(format!("Team: {}", program.teams[t].name));
            }
            if let Some(s) = s {
                lines.push(format!(
                    "Status: {}, {}% done",
                    s.status.label(),
                    s.progress
                ));
                lines.push(format!(
                    "Planned: {} – {}",
                    s.planned_start, s.planned_finish
                ));
                lines.push(format!(
                    "Forecast: {} – {}",
                    s.forecast_start, s.forecast_finish
                ));
            }
        }
        ItemKind::Milestone => {
            lines.push("Milestone".to_string());
            if let Some(s) = s {
                lines.push(format!("Planned: {}", s.planned_finish));
                lines.push(format!("Forecast: {}", s.forecast_finish));
            }
        }
    }
    if let Some(s) = s {
        lines.push(format!("Float: {} working days", s.total_float));
    }
    if on_path {
        lines.push("On the critical path".to_string());
    }
    lines.join("\n")
}

/// The layered dependency diagram of `focus`, with a legend and a summary.
/// Links are `{link_prefix}deliverables/<id>/index.html` (milestones:
/// `milestones/<id>/index.html`).
pub fn dependency_chart(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    snap: &Snapshot,
    focus: Focus,
    link_prefix: &str,
) -> Chart {
    let known = match focus {
        Focus::All => true,
        Focus::Team(t) => t < program.teams.len(),
        Focus::Item(i) => i < program.items.len(),
    };
    if !known {
        let summary = "No items to show.".to_string();
        let mut x = Xml::with_capacity(512);
        open_document(
            &mut x,
            480.0,
            40.0,
            "dag dag-deps",
            "Dependency diagram",
            &summary,
        );
        x.open("text")
            .attr("class", "dag-label")
            .attr("fill", TEXT_COLOR)
            .num("font-size", ITEM_FONT)
            .attr("x", "8")
            .attr("y", "24")
            .text(&summary)
            .close();
        return Chart {
            svg: x.finish(),
            summary,
            width: 480.0,
            height: 40.0,
            min_font: ITEM_FONT,
        };
    }
    let layout = layout_dependencies(program, consumers, snap, focus);
    draw_dependencies(program, consumers, snap, focus, &layout, link_prefix)
}

fn focus_suffix(focus: Focus) -> String {
    match focus {
        Focus::All => "all".to_string(),
        Focus::Team(t) => format!("team-{t}"),
        Focus::Item(i) => format!("item-{i}"),
    }
}

fn draw_dependencies(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    snap: &Snapshot,
    focus: Focus,
    layout: &DagLayout,
    prefix: &str,
) -> Chart {
    let lr = layout.direction == crate::layout::dag::Direction::LeftToRight;
    let on_path: HashSet<ItemIx> = snap.critical_path.iter().copied().collect();
    let path_edges: HashSet<(ItemIx, ItemIx)> = snap
        .critical_path
        .windows(2)
        .map(|w| (w[0], w[1]))
        .collect();
    let focus_team = match focus {
        Focus::Team(t) => Some(t),
        _ => None,
    };
    let in_focus = |i: ItemIx| match focus {
        Focus::Team(t) => program.items[i].owner == Some(t),
        _ => true,
    };
    let suffix = focus_suffix(focus);
    let arrow = format!("dag-arrow-{suffix}");
    let arrow_crit = format!("dag-arrow-crit-{suffix}");

    // Legend: the teams in view, milestones, the critical path.
    let mut teams_in_view: Vec<usize> = layout
        .nodes
        .iter()
        .filter_map(|n| program.items[n.key].owner)
        .collect();
    teams_in_view.sort_unstable();
    teams_in_view.dedup();
    let mut entries: Vec<LegendEntry> = teams_in_view
        .iter()
        .map(|&t| LegendEntry {
            swatch: Swatch::Team(program.teams[t].color.clone()),
            label: program.teams[t].name.trim().to_string(),
        })
        .collect();
    if layout
        .nodes
        .iter()
        .any(|n| program.items[n.key].kind == ItemKind::Milestone)
    {
        entries.push(LegendEntry {
            swatch: Swatch::Milestone,
            label: "Milestone".to_string(),
        });
    }
    if layout.nodes.iter().any(|n| on_path.contains(&n.key)) {
        entries.push(LegendEntry {
            swatch: Swatch::Critical,
            label: "Critical path".to_string(),
        });
    }
    // Status marks, in the order of `Status`, for the statuses shown.
    let mut shown = [false; 5];
    for n in &layout.nodes {
        shown[snap.items[n.key].status as usize] = true;
    }
    for status in [
        Status::NotStarted,
        Status::OnTrack,
        Status::AtRisk,
        Status::Blocked,
        Status::Done,
    ] {
        if shown[status as usize] {
            entries.push(LegendEntry {
                swatch: Swatch::Mark(status_mark(status)),
                label: status.label().to_string(),
            });
        }
    }
    let legend_width = layout.width.max(480.0);
    let legend_h = legend_layout(&entries, legend_width).1;

    let summary = dependency_summary(program, consumers, snap, focus, layout);
    let title = match focus {
        Focus::All => format!("Dependency diagram: {}", program.meta.name.trim()),
        Focus::Team(t) => format!("Dependencies of {}", program.teams[t].name.trim()),
        Focus::Item(i) => format!(
            "Upstream and downstream of {}",
            program.items[i].name.trim()
        ),
    };
    let width = legend_width.max(layout.width);
    let height = legend_h + layout.height;
    let mut x = Xml::with_capacity(2048 + 900 * layout.nodes.len() + 400 * layout.edges.len());
    open_document(&mut x, width, height, "dag dag-deps", &title, &summary);
    x.open("defs");
    write_arrow_marker(&mut x, &arrow, EDGE_COLOR, "dag-arrowhead", 7.0);
    write_arrow_marker(
        &mut x,
        &arrow_crit,
        CRITICAL_COLOR,
        "dag-arrowhead dag-arrowhead-critical",
        9.0,
    );
    x.close();
    write_legend(&mut x, &entries, legend_width, "dag-legend");
    x.open("g")
        .attr("class", "dag-body")
        .attr_with("transform", |t| translate(t, 0.0, legend_h));

    // Edges first, nodes over them.
    x.open("g").attr("class", "dag-edges");
    for e in &layout.edges {
        if e.points.len() < 2 {
            continue;
        }
        let (p, c) = (layout.nodes[e.from].key, layout.nodes[e.to].key);
        let critical = path_edges.contains(&(p, c));
        let context = focus_team.is_some() && !in_focus(p) && !in_focus(c);
        let marker = if critical { &arrow_crit } else { &arrow };
        x.open("path")
            .attr_with("class", |k| {
                k.push_str("dag-edge");
                if critical {
                    k.push_str(" dag-edge-critical");
                }
                if context {
                    k.push_str(" dag-context");
                }
            })
            .attr("d", &edge_path(&e.points, lr))
            .attr_with("marker-end", |m| {
                m.push_str("url(#");
                m.push_str(marker);
                m.push(')');
            });
        // A link other than plain finish-to-start is named on the edge
        // (SS+3d) and in its title.
        let link = program.items[c].link_to(p);
        let label = (!link.is_plain()).then(|| link.label());
        x.open("title")
            .text(program.items[p].name.trim())
            .text(" → ")
            .text(program.items[c].name.trim());
        if let Some(l) = &label {
            x.text(" (").text(l).text(")");
        }
        x.close();
        x.close();
        if let Some(l) = &label {
            let (mx, my) = e.points[e.points.len() / 2];
            x.open("text")
                .attr("class", "dag-edge-label")
                .attr_with("x", |v| v.push_str(&format!("{mx:.1}")))
                .attr_with("y", |v| v.push_str(&format!("{:.1}", my - 3.0)))
                .attr("text-anchor", "middle")
                .attr("font-size", "10")
                .text(l)
                .close();
        }
    }
    x.close();

    x.open("g").attr("class", "dag-nodes");
    for n in &layout.nodes {
        let i = n.key;
        let item = &program.items[i];
        let critical = on_path.contains(&i);
        let status = snap.items.get(i).map_or(Status::NotStarted, |s| s.status);
        let focused = focus == Focus::Item(i);
        x.open("a")
            .attr_with("class", |k| {
                k.push_str(match item.kind {
                    ItemKind::Deliverable => "dag-node dag-deliverable",
                    ItemKind::Milestone => "dag-node dag-milestone",
                });
                k.push_str(" dag-status-");
                k.push_str(&status.as_str().replace('_', "-"));
                if critical {
                    k.push_str(" dag-critical");
                }
                if !in_focus(i) {
                    k.push_str(" dag-context");
                }
                if focused {
                    k.push_str(" dag-focus");
                }
                if let Some(t) = item.owner {
                    k.push_str(" team-");
                    k.push_str(&program.teams[t].id);
                }
            })
            .attr_with("href", |h| {
                h.push_str(prefix);
                h.push_str(match item.kind {
                    ItemKind::Deliverable => "deliverables/",
                    ItemKind::Milestone => "milestones/",
                });
                h.push_str(&item.id);
                h.push_str("/index.html");
            });
        x.leaf("title", &tooltip(program, snap, i, critical));
        if focused {
            x.open("rect")
                .attr("class", "dag-focus-ring")
                .attr("fill", "none")
                .num("height", n.height + 8.0)
                .attr("rx", "6")
                .attr("stroke", TEXT_COLOR)
                .attr("stroke-dasharray", "4 3")
                .attr("stroke-width", "1.5")
                .num("width", n.width + 8.0)
                .num("x", n.x - n.width / 2.0 - 4.0)
                .num("y", n.y - n.height / 2.0 - 4.0)
                .close();
        }
        match item.kind {
            ItemKind::Deliverable => {
                x.open("rect")
                    .attr("class", "dag-shape")
                    .num("height", n.height)
                    .attr("rx", "4")
                    .num("width", n.width)
                    .num("x", n.x - n.width / 2.0)
                    .num("y", n.y - n.height / 2.0)
                    .close();
            }
            ItemKind::Milestone => {
                x.open("polygon")
                    .attr("class", "dag-shape")
                    .attr("points", &diamond(n.x, n.y, n.width, n.height))
                    .close();
            }
        }
        x.open("text")
            .attr("class", "dag-label")
            .num("x", n.x)
            .num("y", n.y + ITEM_FONT * 0.35)
            .text(&item_label(program, snap.items[i].status, i))
            .close();
        x.close();
    }
    x.close();
    Chart {
        svg: x.finish(),
        summary,
        width,
        height,
        min_font: ITEM_FONT.min(LEGEND_FONT),
    }
}

/// Where each legend entry goes, in rows no wider than `max_width`: the
/// truncated label and the entry's origin; and the legend's height.
fn legend_layout(entries: &[LegendEntry], max_width: f64) -> (Vec<(String, f64, f64)>, f64) {
    let (mut at, mut y) = (8.0, 6.0);
    let mut placed = Vec::with_capacity(entries.len());
    for entry in entries {
        let label = truncate_to_width(&entry.label, LEGEND_FONT, 220.0);
        let w = 20.0 + text_width(&label, LEGEND_FONT) + 16.0;
        if at > 8.0 && at + w > max_width {
            at = 8.0;
            y += LEGEND_ROW;
        }
        placed.push((label, at, y));
        at += w;
    }
    (placed, y + LEGEND_ROW + 4.0)
}

fn dependency_summary(
    program: &Program,
    consumers: &[Vec<ItemIx>],
    snap: &Snapshot,
    focus: Focus,
    layout: &DagLayout,
) -> String {
    let n = layout.nodes.len();
    if n == 0 {
        return "No items to show.".to_string();
    }
    let milestones = layout
        .nodes
        .iter()
        .filter(|nd| program.items[nd.key].kind == ItemKind::Milestone)
        .count();
    let shape = format!(
        "{} and {} in {}",
        count(n, "item", "items"),
        count(layout.edges.len(), "dependency", "dependencies"),
        count(layout.layers, "layer", "layers")
    );
    let kinds = format!(
        "{}, {}",
        count(n - milestones, "deliverable", "deliverables"),
        count(milestones, "milestone", "milestones")
    );
    let path = &snap.critical_path;
    let path_text = if path.is_empty() {
        "there is no critical path".to_string()
    } else {
        let teams = critical_teams(program, path);
        let end = path
            .last()
            .and_then(|&i| snap.items.get(i))
            .map(|s| s.forecast_finish.to_string())
            .unwrap_or_default();
        if teams.is_empty() {
            format!(
                "the critical path ({}) ends {end}",
                count(path.len(), "item", "items")
            )
        } else {
            format!(
                "the critical path runs {teams} ({}, ending {end})",
                count(path.len(), "item", "items")
            )
        }
    };
    match focus {
        Focus::All => format!("{shape} ({kinds}); {path_text}."),
        Focus::Team(t) => {
            let own = layout
                .nodes
                .iter()
                .filter(|nd| program.items[nd.key].owner == Some(t))
                .count();
            let on_path = layout
                .nodes
                .iter()
                .filter(|nd| path.contains(&nd.key))
                .count();
            format!(
                "{}: {} and {} they depend on or that depend on them; {shape}; {} on the critical path.",
                program.teams[t].name.trim(),
                count(own, "item of its own", "items of its own"),
                count(n - own, "connected item", "connected items"),
                count(on_path, "shown item is", "shown items are")
            )
        }
        Focus::Item(i) => {
            let (up, down) = chain_sizes(program, consumers, i, CHAIN_COUNT_CAP);
            let at_least = |k: usize, one: &str, many: &str| {
                if k >= CHAIN_COUNT_CAP {
                    format!("at least {}", count(k, one, many))
                } else {
                    count(k, one, many)
                }
            };
            let float = snap.items.get(i).map(|s| s.total_float);
            let crit = if path.contains(&i) {
                "it is on the critical path".to_string()
            } else {
                match float {
                    Some(f) => format!(
                        "it has {} of float",
                        count(f.max(0) as usize, "working day", "working days")
                    ),
                    None => "it is not on the critical path".to_string(),
                }
            };
            let shown = if n < 1 + up + down {
                format!("; the diagram shows the nearest {}", n - 1)
            } else {
                String::new()
            };
            format!(
                "{}: {} upstream and {} downstream{shown}; {shape}; {crit}.",
                program.items[i].name.trim(),
                at_least(up, "item", "items"),
                at_least(down, "item", "items")
            )
        }
    }
}

/// The team map: teams as nodes (emphasis by blocking power), links labelled
/// with the number of dependencies each way. Team nodes link to
/// `{link_prefix}teams/<id>/index.html`; the "other teams" group to the team index.
pub fn team_map_chart(program: &Program, snap: &Snapshot, link_prefix: &str) -> Chart {
    let map = layout_team_map(program, snap);
    draw_team_map(program, snap, &map, link_prefix)
}

fn draw_team_map(program: &Program, snap: &Snapshot, map: &TeamMapLayout, prefix: &str) -> Chart {
    let lr = map.layout.direction == crate::layout::dag::Direction::LeftToRight;
    let layout = &map.layout;
    let max_weight = map
        .links
        .iter()
        .map(|l| l.a_to_b + l.b_to_a)
        .max()
        .unwrap_or(1)
        .max(1);
    let name = |k: usize| -> String {
        let tn = &map.teams[k];
        match tn.team {
            Some(t) => program.teams[t].name.trim().to_string(),
            None => tn.label.clone(),
        }
    };
    let summary = team_map_summary(program, snap, map);
    let width = layout.width.max(240.0);
    let mut x = Xml::with_capacity(2048 + 900 * (map.links.len() + map.teams.len()));
    open_document(
        &mut x,
        width,
        layout.height,
        "dag dag-teams",
        &format!("Team dependency map: {}", program.meta.name.trim()),
        &summary,
    );
    x.open("defs");
    write_arrow_marker(&mut x, "dag-team-arrow", EDGE_COLOR, "dag-arrowhead", 12.0);
    x.close();

    // The words of each drawn link, shared by its path and its label.
    let words: Vec<Option<String>> = map
        .links
        .iter()
        .map(|link| {
            if link.points.len() < 2 {
                return None;
            }
            let mut words = Vec::new();
            if link.a_to_b > 0 {
                words.push(format!(
                    "{} depends on {}: {}",
                    name(link.b),
                    name(link.a),
                    count(link.a_to_b, "dependency", "dependencies")
                ));
            }
            if link.b_to_a > 0 {
                words.push(format!(
                    "{} depends on {}: {}",
                    name(link.a),
                    name(link.b),
                    count(link.b_to_a, "dependency", "dependencies")
                ));
            }
            Some(words.join("\n"))
        })
        .collect();

    x.open("g").attr("class", "dag-links");
    for (link, words) in map.links.iter().zip(&words) {
        let Some(words) = words else { continue };
        let total = link.a_to_b + link.b_to_a;
        let width = 1.0 + 3.0 * (total as f64 / max_weight as f64).sqrt();
        x.open("path")
            .attr("class", "dag-link")
            .attr("d", &edge_path(&link.points, lr))
            .attr("fill", "none");
        if link.a_to_b > 0 {
            x.attr("marker-end", "url(#dag-team-arrow)");
        }
        if link.b_to_a > 0 {
            x.attr("marker-start", "url(#dag-team-arrow)");
        }
        x.attr("stroke", EDGE_COLOR).num("stroke-width", width);
        x.leaf("title", words);
        x.close();
    }
    x.close();

    x.open("g").attr("class", "dag-link-labels");
    for (link, words) in map.links.iter().zip(&words) {
        let Some(words) = words else { continue };
        let ln = &layout.nodes[link.label_node];
        x.open("g").attr("class", "dag-link-label");
        x.leaf("title", words);
        x.open("rect")
            .attr("class", "dag-link-label-bg")
            .attr("fill", "#ffffff")
            .num("height", ln.height)
            .attr("rx", "3")
            .attr("stroke", EDGE_COLOR)
            .attr("stroke-width", "0.8")
            .num("width", ln.width)
            .num("x", ln.x - ln.width / 2.0)
            .num("y", ln.y - ln.height / 2.0)
            .close();
        x.open("text")
            .attr("class", "dag-link-text")
            .attr("fill", TEXT_COLOR)
            .num("font-size", TEAM_SMALL_FONT)
            .attr("text-anchor", "middle")
            .num("x", ln.x)
            .num("y", ln.y + TEAM_SMALL_FONT * 0.35);
        own_line_text(&mut x, &link.label);
        x.close();
        x.close();
    }
    x.close();

    x.open("g").attr("class", "dag-nodes");
    for tn in &map.teams {
        let n = &layout.nodes[tn.node];
        let (color, link) = match tn.team {
            Some(t) => (
                program.teams[t].color.as_str(),
                href(prefix, &format!("teams/{}/index.html", program.teams[t].id)),
            ),
            None => (NEUTRAL, href(prefix, "teams/index.html")),
        };
        let tip = match tn.team {
            Some(t) => {
                let facts = snap.teams.get(t);
                let mut lines = vec![program.teams[t].name.trim().to_string()];
                lines.push(format!(
                    "Blocks {}",
                    count(tn.blocking_power, "other team", "other teams")
                ));
                if let Some(f) = facts {
                    lines.push(format!(
                        "Owns {}",
                        count(f.deliverables.len(), "deliverable", "deliverables")
                    ));
                    lines.push(format!(
                        "Waits on {}",
                        count(f.waits_on.len(), "team", "teams")
                    ));
                }
                lines.join("\n")
            }
            None => {
                let names: Vec<&str> = tn
                    .members
                    .iter()
                    .take(12)
                    .map(|&t| program.teams[t].id.as_str())
                    .collect();
                let more = tn.members.len().saturating_sub(names.len());
                let mut s = format!("{}: {}", tn.label, names.join(", "));
                if more > 0 {
                    s.push_str(&format!(" and {more} more"));
                }
                s
            }
        };
        let stroke = [1.2, 2.0, 3.0, 4.0][usize::from(tn.emphasis.min(3))];
        let top = n.y - n.height / 2.0;
        x.open("a")
            .attr_with("class", |c| {
                c.push_str("dag-team dag-team-e");
                c.push_str(&tn.emphasis.to_string());
                if tn.team.is_none() {
                    c.push_str(" dag-team-other");
                }
            })
            .attr("href", &link);
        x.leaf("title", &tip);
        x.open("rect")
            .attr("class", "dag-shape")
            .attr("fill", color)
            .attr("fill-opacity", "0.22")
            .num("height", n.height)
            .attr("rx", "6")
            .attr("stroke", color)
            .num("stroke-width", stroke)
            .num("width", n.width)
            .num("x", n.x - n.width / 2.0)
            .num("y", top)
            .close();
        x.open("text")
            .attr("class", "dag-label")
            .attr("fill", TEXT_COLOR)
            .num("font-size", TEAM_FONT)
            .attr(
                "font-weight",
                if tn.emphasis >= 2 { "bold" } else { "normal" },
            )
            .attr("text-anchor", "middle")
            .num("x", n.x)
            .num("y", n.y - 2.0);
        own_line_text(&mut x, &tn.label);
        x.close();
        x.open("text")
            .attr("class", "dag-sublabel")
            .attr("fill", TEXT_COLOR)
            .num("font-size", TEAM_SMALL_FONT)
            .attr("text-anchor", "middle")
            .num("x", n.x)
            .num("y", n.y + TEAM_SMALL_FONT + 1.0);
        own_line_text(&mut x, &tn.sublabel);
        x.close();
        x.close();
    }
    x.close();
    Chart {
        svg: super::xml_chars(x.finish()),
        summary,
        width,
        height: layout.height,
        min_font: TEAM_SMALL_FONT,
    }
}

/// The text of a team map `<text>` on a line of its own, as the team map has
/// always printed it (the whitespace around it does not render).
fn own_line_text(x: &mut Xml, text: &str) {
    x.text("\n").text(text).text("\n");
}

fn team_map_summary(program: &Program, snap: &Snapshot, map: &TeamMapLayout) -> String {
    let t = program.teams.len();
    if t == 0 {
        return "No teams.".to_string();
    }
    let deps = team_dependencies(program);
    let total: usize = deps.values().sum();
    let mut parts = vec![format!(
        "{} with {} between them",
        count(t, "team", "teams"),
        count(total, "cross-team dependency", "cross-team dependencies")
    )];
    if let Some(other) = map.teams.iter().find(|tn| tn.team.is_none()) {
        parts.push(format!(
            "the map shows the {} that block the most others and groups the other {}",
            map.teams.len() - 1,
            other.members.len()
        ));
    }
    let top = (0..t).max_by_key(|&x| {
        (
            snap.teams.get(x).map_or(0, |f| f.blocking_power),
            std::cmp::Reverse(x),
        )
    });
    if let Some(top) = top {
        let bp = snap.teams.get(top).map_or(0, |f| f.blocking_power);
        if bp > 0 {
            parts.push(format!(
                "{} blocks the most teams ({bp})",
                program.teams[top].name.trim()
            ));
        }
    }
    if let Some((&(a, b), &n)) = deps
        .iter()
        .max_by_key(|&(&(a, b), &n)| (n, std::cmp::Reverse((a, b))))
    {
        parts.push(format!(
            "the strongest link is {} → {} ({})",
            program.teams[a].id,
            program.teams[b].id,
            count(n, "dependency", "dependencies")
        ));
    }
    if map.hidden_links > 0 {
        parts.push(format!(
            "{} ({}) are not drawn",
            count(map.hidden_links, "weaker link", "weaker links"),
            count(map.hidden_dependencies, "dependency", "dependencies")
        ));
    }
    let mut s = parts.join("; ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Analyzed;

    fn example() -> Analyzed {
        crate::testing::example()
    }

    fn renders(svg: &str) {
        roxmltree::Document::parse(svg).expect("well-formed XML");
        let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).expect("usvg renders it");
        assert!(tree.size().width() > 0.0);
    }

    #[test]
    fn dependency_diagram_parses_renders_and_links_every_item() {
        let a = example();
        let chart = dependency_chart(&a.program, &a.plan.consumers, &a.current, Focus::All, "../");
        renders(&chart.svg);
        let doc = roxmltree::Document::parse(&chart.svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("100%"));
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").is_some());
        let links: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("a"))
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert_eq!(links.len(), a.program.items.len());
        for item in &a.program.items {
            let want = match item.kind {
                ItemKind::Deliverable => format!("../deliverables/{}/index.html", item.id),
                ItemKind::Milestone => format!("../milestones/{}/index.html", item.id),
            };
            assert!(links.contains(&want.as_str()), "{want}");
        }
        // Milestones are diamonds, critical items emphasised, edges have arrowheads.
        let milestones = a
            .program
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Milestone)
            .count();
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name("polygon"))
                .count(),
            milestones + 1
        );
        let critical_edges = doc
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.contains("dag-edge-critical"))
            })
            .count();
        assert!(critical_edges >= a.current.critical_path.len().saturating_sub(1));
        assert!(
            doc.descendants()
                .filter(|n| n.has_tag_name("path")
                    && n.attribute("class")
                        .is_some_and(|c| c.starts_with("dag-edge")))
                .filter(|n| n.attribute("d").is_some_and(|d| d.len() > 10))
                .all(|n| n.attribute("marker-end").is_some())
        );
        // Team colours in the legend, team classes on the nodes, and a
        // legend entry per team.
        for team in &a.program.teams {
            assert!(
                chart.svg.contains(&format!("fill=\"{}\"", team.color)),
                "{}",
                team.id
            );
            let class = format!("team-{}", team.id);
            let owned = a
                .program
                .items
                .iter()
                .filter(|i| i.owner.is_some_and(|t| a.program.teams[t].id == team.id));
            let node_classes: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("a"))
                .filter_map(|n| n.attribute("class"))
                .filter(|c| c.split(' ').any(|k| k == class))
                .collect();
            assert_eq!(node_classes.len(), owned.count(), "{}", team.id);
            assert!(
                chart
                    .svg
                    .contains(&team.name.replace('&', "&amp;").replace('\'', "&apos;"))
            );
        }
        assert!(
            chart.summary.contains("the critical path runs"),
            "{}",
            chart.summary
        );
        assert!(chart.summary.starts_with("31 items"), "{}", chart.summary);
    }

    #[test]
    fn focused_diagrams_and_team_map_render() {
        let a = example();
        for t in 0..a.program.teams.len() {
            let c = dependency_chart(
                &a.program,
                &a.plan.consumers,
                &a.current,
                Focus::Team(t),
                "",
            );
            renders(&c.svg);
            assert!(c.summary.contains(a.program.teams[t].name.trim()));
        }
        for i in 0..a.program.items.len() {
            let c = dependency_chart(
                &a.program,
                &a.plan.consumers,
                &a.current,
                Focus::Item(i),
                "../../",
            );
            renders(&c.svg);
            assert!(c.svg.contains("dag-focus"));
        }
        let none = dependency_chart(
            &a.program,
            &a.plan.consumers,
            &a.current,
            Focus::Item(usize::MAX),
            "",
        );
        renders(&none.svg);
        assert_eq!(none.summary, "No items to show.");
        let m = team_map_chart(&a.program, &a.current, "");
        renders(&m.svg);
        let doc = roxmltree::Document::parse(&m.svg).unwrap();
        let hrefs: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .collect();
        for team in &a.program.teams {
            assert!(hrefs.contains(&format!("teams/{}/index.html", team.id).as_str()));
        }
        assert!(m.summary.contains("blocks the most teams"), "{}", m.summary);
        assert!(m.summary.starts_with("6 teams"), "{}", m.summary);
    }

    #[test]
    fn team_map_of_many_teams_renders_with_a_group() {
        let a = crate::layout::dag::tests::many_teams(40);
        let m = team_map_chart(&a.program, &a.current, "../");
        renders(&m.svg);
        assert!(m.svg.contains("28 other teams"), "{}", m.summary);
        assert!(m.svg.contains("href=\"../teams/index.html\""));
        assert!(m.summary.contains("groups the other 28"), "{}", m.summary);
    }

    #[test]
    fn hostile_names_are_escaped() {
        let mut a = example();
        let evil = "</text><script>alert(1)</script> & \"quotes\" 'single' <b>";
        for item in a.program.items.iter_mut() {
            item.name = evil.to_string();
        }
        for team in a.program.teams.iter_mut() {
            team.name = evil.to_string();
        }
        a.program.meta.name = evil.to_string();
        for chart in [
            dependency_chart(
                &a.program,
                &a.plan.consumers,
                &a.current,
                Focus::All,
                "\"><script>x</script>",
            ),
            dependency_chart(
                &a.program,
                &a.plan.consumers,
                &a.current,
                Focus::Item(0),
                "",
            ),
            team_map_chart(&a.program, &a.current, ""),
        ] {
            assert!(!chart.svg.contains("<script"), "unescaped markup");
            assert!(!chart.svg.contains("<b>"));
            renders(&chart.svg);
            let doc = roxmltree::Document::parse(&chart.svg).unwrap();
            // The text survives intact, as text.
            assert!(
                doc.descendants()
                    .any(|n| n.text().is_some_and(|t| t.contains("</text><script>")))
            );
            assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
        }
    }

    #[test]
    fn edge_paths_are_smooth_between_layers() {
        let d = edge_path(&[(0.0, 0.0), (10.0, 0.0), (50.0, 40.0), (60.0, 40.0)], true);
        assert_eq!(d, "M0,0 L10,0 C30,0 30,40 50,40 L60,40");
    }
}
