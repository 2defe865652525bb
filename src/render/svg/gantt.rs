//! Draws a [`GanttLayout`] as SVG.
//!
//! Colours come from CSS classes (`themes/default/charts.css`, the `gantt`
//! block); the only colour written inline is a team's validated `#rrggbb`
//! on its band strip. Status reads without colour too: solid for on track,
//! hatched for at risk, cross-hatched for blocked, outline for not started,
//! a check glyph for done, and the status in words in its own column.
//! Critical bars carry a thicker outline and a bold label; critical arrows
//! are thicker. Every row is a link with a `<title>` tooltip. Text goes
//! through the `svg` crate, which escapes it.

use svg::node::Text as TextNode;
use svg::node::element::{
    Anchor as Link, Definitions, Description, Element, Group, Line, Marker, Path, Pattern, Polygon,
    Polyline, Rectangle, Title,
};
use svg::{Document, Node};

use super::{Chart, num};
use crate::analysis::Snapshot;
use crate::layout::gantt::{
    Anchor, GanttLayout, GanttOptions, Label, LegendEntry, LegendKind, Row, RowKind, layout_gantt,
};
use crate::model::{Program, Status};

/// The Gantt chart of `snap` with its summary in words.
pub fn gantt_chart(program: &Program, snap: &Snapshot, opts: &GanttOptions) -> Chart {
    let layout = layout_gantt(program, snap, opts);
    Chart {
        svg: super::xml_chars(render_gantt(&layout)),
        summary: layout.summary.clone(),
        width: layout.width,
        height: layout.height,
    }
}

/// The `<svg>` element for `layout`.
pub fn render_gantt(layout: &GanttLayout) -> String {
    let mut doc = Document::new()
        .set(
            "viewBox",
            format!("0 0 {} {}", num(layout.width), num(layout.height)),
        )
        .set("width", "100%")
        .set("class", "chart gantt")
        .set("role", "img")
        .add(Title::new(layout.title.as_str()))
        .add(Description::new().add(TextNode::new(layout.summary.as_str())))
        .add(defs());

    // Background layers: shading, gridlines, bands.
    let mut back = Group::new().set("class", "gantt-back");
    for s in &layout.shading {
        let class = if s.holiday {
            "gantt-shade gantt-holiday"
        } else {
            "gantt-shade"
        };
        back = back.add(rect(
            s.x0,
            layout.rows_y0,
            s.x1 - s.x0,
            layout.rows_y1 - layout.rows_y0,
            class,
        ));
    }
    for b in &layout.bands {
        let class = if b.team.is_some() {
            "gantt-band"
        } else {
            "gantt-band gantt-band-milestones"
        };
        back = back.add(rect(0.0, b.y, layout.width, b.header_height, class));
        let strip = rect(0.0, b.y, 6.0, b.height, "gantt-band-strip");
        back = back.add(match &b.color {
            Some(c) => strip.set("fill", c.as_str()),
            None => strip,
        });
        if let Some(l) = &b.label {
            back = back.add(text(l, "gantt-band-label"));
        }
        // A rule under each band, across the chart.
        back = back.add(hline(0.0, layout.width, b.y + b.height, "gantt-band-rule"));
    }
    let minor_top = layout.axis.y0 + 14.0;
    for t in &layout.axis.minor {
        back = back.add(vline(t.x, minor_top, layout.rows_y1, "gantt-grid"));
    }
    for t in &layout.axis.major {
        back = back.add(vline(
            t.x,
            layout.axis.y0,
            layout.rows_y1,
            "gantt-grid gantt-grid-major",
        ));
    }
    back = back.add(hline(0.0, layout.width, layout.rows_y0, "gantt-axis-rule"));
    doc = doc.add(back);

    // The axis labels and column headings.
    let mut axis = Group::new().set("class", "gantt-axis");
    for l in &layout.axis.headings {
        axis = axis.add(text(l, "gantt-heading"));
    }
    for t in &layout.axis.major {
        if let Some(l) = &t.label {
            axis = axis.add(text(l, "gantt-axis-label gantt-axis-major"));
        }
    }
    for t in &layout.axis.minor {
        if let Some(l) = &t.label {
            axis = axis.add(text(l, "gantt-axis-label"));
        }
    }
    doc = doc.add(axis);

    // Dependency arrows under the bars.
    let mut arrows = Group::new().set("class", "gantt-arrows");
    for a in &layout.arrows {
        let points: Vec<String> = a
            .points
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let (class, head) = if a.critical {
            (
                "gantt-arrow gantt-arrow-critical",
                "url(#gantt-arrowhead-critical)",
            )
        } else {
            ("gantt-arrow", "url(#gantt-arrowhead)")
        };
        arrows = arrows.add(
            Polyline::new()
                .set("points", points.join(" "))
                .set("class", class)
                .set("fill", "none")
                .set("marker-end", head),
        );
    }
    doc = doc.add(arrows);

    // Rows.
    let mut rows = Group::new().set("class", "gantt-rows");
    for r in &layout.rows {
        rows = rows.add(row(r, layout.width));
    }
    if let Some(l) = &layout.empty {
        rows = rows.add(text(l, "gantt-empty"));
    }
    doc = doc.add(rows);

    // Markers on top of the bars, labels above the axis.
    let mut markers = Group::new().set("class", "gantt-markers");
    for m in &layout.markers {
        let mut class = format!("gantt-marker gantt-marker-{}", m.kind.as_str());
        if m.late {
            class.push_str(" gantt-marker-late");
        }
        markers = markers.add(vline(m.x, m.y0, m.y1, &class)).add(text(
            &m.label,
            &format!("gantt-marker-label gantt-marker-label-{}", m.kind.as_str()),
        ));
    }
    doc = doc.add(markers);

    let mut legend = Group::new().set("class", "gantt-legend");
    for e in &layout.legend {
        legend = legend.add(legend_entry(e));
    }
    doc = doc.add(legend);
    doc.to_string()
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::NotStarted => "gantt-not-started",
        Status::OnTrack => "gantt-on-track",
        Status::AtRisk => "gantt-at-risk",
        Status::Blocked => "gantt-blocked",
        Status::Done => "gantt-done",
    }
}

/// The pattern fill of a status, if it has one (also set in CSS; the
/// attribute keeps the pattern when the stylesheet is missing).
fn status_pattern(s: Status) -> Option<&'static str> {
    match s {
        Status::AtRisk => Some("url(#gantt-pat-at-risk)"),
        Status::Blocked => Some("url(#gantt-pat-blocked)"),
        _ => None,
    }
}

fn with_status_fill<T: svg::Node>(mut node: T, s: Status) -> T {
    if let Some(p) = status_pattern(s) {
        node.assign("fill", p);
    }
    node
}

fn defs() -> Definitions {
    let hatch = Pattern::new()
        .set("id", "gantt-pat-at-risk")
        .set("patternUnits", "userSpaceOnUse")
        .set("width", 6)
        .set("height", 6)
        .set("patternTransform", "rotate(45)")
        .add(rect(0.0, 0.0, 6.0, 6.0, "gantt-pat-bg gantt-at-risk"))
        .add(
            Line::new()
                .set("x1", 1.5)
                .set("y1", 0)
                .set("x2", 1.5)
                .set("y2", 6)
                .set("class", "gantt-pat-line gantt-at-risk"),
        );
    let cross = Pattern::new()
        .set("id", "gantt-pat-blocked")
        .set("patternUnits", "userSpaceOnUse")
        .set("width", 6)
        .set("height", 6)
        .set("patternTransform", "rotate(45)")
        .add(rect(0.0, 0.0, 6.0, 6.0, "gantt-pat-bg gantt-blocked"))
        .add(
            Line::new()
                .set("x1", 1.5)
                .set("y1", 0)
                .set("x2", 1.5)
                .set("y2", 6)
                .set("class", "gantt-pat-line gantt-blocked"),
        )
        .add(
            Line::new()
                .set("x1", 0)
                .set("y1", 1.5)
                .set("x2", 6)
                .set("y2", 1.5)
                .set("class", "gantt-pat-line gantt-blocked"),
        );
    let head = |id: &str, class: &str| {
        Marker::new()
            .set("id", id)
            .set("viewBox", "0 0 10 10")
            .set("refX", 10)
            .set("refY", 5)
            .set("markerWidth", 7)
            .set("markerHeight", 7)
            .set("markerUnits", "userSpaceOnUse")
            .set("orient", "auto")
            .add(
                Path::new()
                    .set("d", "M0,0 L10,5 L0,10 z")
                    .set("class", class),
            )
    };
    Definitions::new()
        .add(hatch)
        .add(cross)
        .add(head("gantt-arrowhead", "gantt-arrowhead"))
        .add(head(
            "gantt-arrowhead-critical",
            "gantt-arrowhead gantt-arrowhead-critical",
        ))
}

fn rect(x: f64, y: f64, w: f64, h: f64, class: &str) -> Rectangle {
    Rectangle::new()
        .set("x", num(x))
        .set("y", num(y))
        .set("width", num(w.max(0.0)))
        .set("height", num(h.max(0.0)))
        .set("class", class)
}

fn vline(x: f64, y0: f64, y1: f64, class: &str) -> Line {
    Line::new()
        .set("x1", num(x))
        .set("y1", num(y0))
        .set("x2", num(x))
        .set("y2", num(y1))
        .set("class", class)
}

fn hline(x0: f64, x1: f64, y: f64, class: &str) -> Line {
    Line::new()
        .set("x1", num(x0))
        .set("y1", num(y))
        .set("x2", num(x1))
        .set("y2", num(y))
        .set("class", class)
}

/// A `<text>` element. (The `svg` crate's own `Text` wraps its content in
/// newlines; a plain element keeps it exact. Content is escaped either way.)
fn text(l: &Label, class: &str) -> Element {
    let mut t = Element::new("text");
    t.assign("x", num(l.x));
    t.assign("y", num(l.y));
    t.assign("font-size", num(l.size));
    t.assign("class", class);
    match l.anchor {
        Anchor::Start => {}
        Anchor::Middle => t.assign("text-anchor", "middle"),
        Anchor::End => t.assign("text-anchor", "end"),
    }
    if l.bold {
        t.assign("font-weight", "bold");
    }
    t.append(TextNode::new(l.text.as_str()));
    t
}

fn diamond(cx: f64, cy: f64, r: f64, class: &str) -> Polygon {
    Polygon::new()
        .set(
            "points",
            format!(
                "{},{} {},{} {},{} {},{}",
                num(cx),
                num(cy - r),
                num(cx + r),
                num(cy),
                num(cx),
                num(cy + r),
                num(cx - r),
                num(cy)
            ),
        )
        .set("class", class)
}

/// A check mark in a box whose top-left is (x, y) and height `h`.
fn check(x: f64, y: f64, h: f64) -> Path {
    let s = h / 10.0;
    Path::new()
        .set(
            "d",
            format!(
                "M{},{} l{},{} l{},{}",
                num(x + 2.0 * s),
                num(y + 5.0 * s),
                num(2.5 * s),
                num(2.5 * s),
                num(4.0 * s),
                num(-5.5 * s)
            ),
        )
        .set("class", "gantt-check")
        .set("fill", "none")
}

/// A status swatch: the bar's fill, pattern and (for done) the check glyph.
fn swatch(x: f64, y: f64, w: f64, h: f64, s: Status) -> Group {
    let mut g = Group::new().add(with_status_fill(
        rect(
            x,
            y,
            w,
            h,
            &format!("gantt-bar gantt-swatch {}", status_class(s)),
        ),
        s,
    ));
    if s == Status::Done {
        g = g.add(check(x + (w - h) / 2.0, y, h));
    }
    g
}

fn row(r: &Row, width: f64) -> Link {
    let mut class = format!("gantt-row {}", status_class(r.status));
    if r.critical {
        class.push_str(" gantt-critical");
    }
    if matches!(r.kind, RowKind::Team(_)) {
        class.push_str(" gantt-summary");
    }
    if r.milestone {
        class.push_str(" gantt-is-milestone");
    }
    let mut a = Link::new()
        .set("href", r.href.as_str())
        .set("class", class)
        .add(Title::new(r.tooltip.as_str()))
        // The whole row is the hover and click target.
        .add(
            rect(0.0, r.y, width, r.height, "gantt-hit")
                .set("fill", "none")
                .set("pointer-events", "all"),
        );
    let label_class = if r.critical {
        "gantt-label gantt-label-critical"
    } else {
        "gantt-label"
    };
    a = a
        .add(text(&r.label, label_class))
        .add(swatch(r.icon_x, r.icon_y, 10.0, 10.0, r.status))
        .add(text(&r.status_label, "gantt-status-label"));

    let sc = status_class(r.status);
    if let (Some(cx), Some(pcx)) = (r.diamond_cx, r.planned_cx) {
        let pr = (r.planned.x1 - r.planned.x0) / 2.0;
        let fr = (r.forecast.x1 - r.forecast.x0) / 2.0;
        a = a.add(diamond(pcx, r.cy, pr, "gantt-ghost gantt-ghost-milestone"));
        a = a.add(with_status_fill(
            diamond(cx, r.cy, fr, &format!("gantt-bar gantt-milestone {sc}")),
            r.status,
        ));
        if r.status == Status::Done {
            a = a.add(check(cx - 5.0, r.cy - 5.0, 10.0));
        }
    } else {
        a = a.add(
            rect(
                r.planned.x0,
                r.ghost_y,
                r.planned.x1 - r.planned.x0,
                r.ghost_h,
                "gantt-ghost",
            )
            .set("rx", 1),
        );
        let bar_class = if matches!(r.kind, RowKind::Team(_)) {
            format!("gantt-bar gantt-summary-bar {sc}")
        } else {
            format!("gantt-bar {sc}")
        };
        a = a.add(with_status_fill(
            rect(
                r.forecast.x0,
                r.bar_y,
                r.forecast.x1 - r.forecast.x0,
                r.bar_h,
                &bar_class,
            )
            .set("rx", 2),
            r.status,
        ));
        if r.status != Status::Done && r.progress_x > r.forecast.x0 + 0.5 {
            a = a.add(rect(
                r.forecast.x0,
                r.bar_y + 4.0,
                r.progress_x - r.forecast.x0,
                r.bar_h - 8.0,
                "gantt-progress",
            ));
        }
        if r.status == Status::Done && r.forecast.x1 - r.forecast.x0 >= 14.0 {
            a = a.add(check(r.forecast.x1 - 12.0, r.bar_y + 1.0, r.bar_h - 2.0));
        }
    }
    if r.clipped_start {
        let (x, y) = (r.forecast.x0, r.cy);
        a = a.add(chevron(x - 2.0, y, -1.0));
    }
    if r.clipped_end {
        let (x, y) = (r.forecast.x1, r.cy);
        a = a.add(chevron(x + 2.0, y, 1.0));
    }
    if let Some(dx) = r.deadline_x {
        a = a.add(deadline(dx, r.bar_y, r.bar_h));
    }
    a
}

/// A "continues" chevron pointing left (`dir` -1) or right (+1).
fn chevron(x: f64, y: f64, dir: f64) -> Path {
    Path::new()
        .set(
            "d",
            format!(
                "M{},{} l{},4 l{},4",
                num(x),
                num(y - 4.0),
                num(4.0 * dir),
                num(-4.0 * dir)
            ),
        )
        .set("class", "gantt-clip")
        .set("fill", "none")
}

/// The missed due date: a flag over a line across the bar.
fn deadline(x: f64, bar_y: f64, bar_h: f64) -> Group {
    Group::new()
        .set("class", "gantt-deadline")
        .add(vline(
            x,
            bar_y - 3.0,
            bar_y + bar_h + 3.0,
            "gantt-deadline-line",
        ))
        .add(
            Path::new()
                .set(
                    "d",
                    format!("M{},{} h7 l-3.5,4 z", num(x - 3.5), num(bar_y - 4.0)),
                )
                .set("class", "gantt-deadline-flag"),
        )
}

fn legend_entry(e: &LegendEntry) -> Group {
    let (x, y) = (e.x, e.y);
    let mut g = Group::new().set("class", "gantt-legend-entry");
    g = match e.kind {
        LegendKind::Status(s) => g.add(swatch(x, y, 14.0, 10.0, s)),
        LegendKind::Planned => g.add(rect(x, y + 3.0, 14.0, 5.0, "gantt-ghost")),
        LegendKind::Progress => g
            .add(rect(x, y, 14.0, 10.0, "gantt-bar gantt-not-started"))
            .add(rect(x, y + 3.0, 9.0, 4.0, "gantt-progress")),
        LegendKind::Milestone => g.add(diamond(
            x + 7.0,
            y + 5.0,
            6.0,
            "gantt-bar gantt-milestone gantt-on-track",
        )),
        LegendKind::Critical => g.add(Group::new().set("class", "gantt-critical").add(rect(
            x + 1.0,
            y + 1.0,
            12.0,
            8.0,
            "gantt-bar gantt-not-started",
        ))),
        LegendKind::Deadline => g.add(deadline(x + 7.0, y + 2.0, 7.0)),
        LegendKind::Dependency | LegendKind::CriticalDependency => {
            let crit = e.kind == LegendKind::CriticalDependency;
            g.add(
                Polyline::new()
                    .set(
                        "points",
                        format!(
                            "{},{} {},{} {},{}",
                            num(x),
                            num(y + 1.0),
                            num(x + 4.0),
                            num(y + 1.0),
                            num(x + 4.0),
                            num(y + 8.0)
                        ),
                    )
                    .set(
                        "class",
                        if crit {
                            "gantt-arrow gantt-arrow-critical"
                        } else {
                            "gantt-arrow"
                        },
                    )
                    .set("fill", "none"),
            )
            .add(
                Polyline::new()
                    .set(
                        "points",
                        format!(
                            "{},{} {},{}",
                            num(x + 4.0),
                            num(y + 8.0),
                            num(x + 14.0),
                            num(y + 8.0)
                        ),
                    )
                    .set(
                        "class",
                        if crit {
                            "gantt-arrow gantt-arrow-critical"
                        } else {
                            "gantt-arrow"
                        },
                    )
                    .set("fill", "none")
                    .set(
                        "marker-end",
                        if crit {
                            "url(#gantt-arrowhead-critical)"
                        } else {
                            "url(#gantt-arrowhead)"
                        },
                    ),
            )
        }
        LegendKind::AsOf => g.add(vline(
            x + 7.0,
            y - 2.0,
            y + 12.0,
            "gantt-marker gantt-marker-asof",
        )),
        LegendKind::NonWorking => g.add(rect(x, y - 2.0, 14.0, 14.0, "gantt-shade")),
    };
    g.add(text(&e.label, "gantt-legend-label"))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::layout::gantt::tests::{analyzed, hand_built, many, spec, tiny};
    use crate::layout::gantt::{GanttLayout, MarkerKind};

    fn parse_and_render(svg: &str) -> roxmltree::Document<'_> {
        usvg::Tree::from_str(svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("usvg: {e}\n{svg}"));
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("xml: {e}"))
    }

    fn class_has(n: &roxmltree::Node, c: &str) -> bool {
        n.attribute("class")
            .is_some_and(|v| v.split(' ').any(|x| x == c))
    }

    /// No inline colours: fills are `none`, a pattern, or a team strip's colour; no strokes or styles.
    fn assert_css_only(doc: &roxmltree::Document) {
        for n in doc.descendants().filter(|n| n.is_element()) {
            assert!(
                n.attribute("style").is_none(),
                "inline style on {:?}",
                n.tag_name()
            );
            assert!(
                n.attribute("stroke").is_none(),
                "inline stroke on {:?}",
                n.tag_name()
            );
            assert!(n.attribute("color").is_none());
            if let Some(f) = n.attribute("fill") {
                let ok = f == "none"
                    || f.starts_with("url(#gantt-")
                    || class_has(&n, "gantt-band-strip");
                assert!(ok, "inline fill {f} on {:?}", n.attribute("class"));
            }
            assert!(n.tag_name().name() != "script");
        }
    }

    fn render(l: &GanttLayout) -> String {
        let svg = render_gantt(l);
        let doc = parse_and_render(&svg);
        assert_css_only(&doc);
        svg
    }

    #[test]
    fn tiny_fixture_snapshot() {
        let (_dir, a) = tiny();
        let (p, s) = (&a.program, &a.current);
        let mut o = GanttOptions::new(s.as_of);
        o.link_prefix = "../".into();
        let chart = gantt_chart(p, s, &o);
        let l = layout_gantt(p, s, &o);
        assert_eq!(chart.svg, render_gantt(&l));
        assert_eq!(chart.summary, l.summary);
        assert_eq!((chart.width, chart.height), (l.width, l.height));
        let doc = parse_and_render(&chart.svg);
        assert_css_only(&doc);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.attribute("viewBox"),
            Some(format!("0 0 1120 {}", num(l.height)).as_str())
        );
        assert_eq!(root.attribute("width"), Some("100%"));
        assert_eq!(root.attribute("class"), Some("chart gantt"));
        assert_eq!(root.attribute("role"), Some("img"));
        let kids: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert_eq!(kids[0].tag_name().name(), "title");
        assert_eq!(kids[0].text(), Some("Tiny: schedule as of 2027-03-05"));
        assert_eq!(kids[1].tag_name().name(), "desc");
        assert_eq!(kids[1].text(), Some(l.summary.as_str()));
        // Patterns and arrowheads.
        for id in [
            "gantt-pat-at-risk",
            "gantt-pat-blocked",
            "gantt-arrowhead",
            "gantt-arrowhead-critical",
        ] {
            assert!(
                doc.descendants().any(|n| n.attribute("id") == Some(id)),
                "{id}"
            );
        }
        // One link per row, each with a tooltip first.
        let links: Vec<_> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "a")
            .collect();
        assert_eq!(links.len(), 5);
        let hrefs: Vec<_> = links.iter().filter_map(|n| n.attribute("href")).collect();
        assert_eq!(
            hrefs,
            [
                "../milestones/launch/index.html",
                "../deliverables/api/index.html",
                "../deliverables/sdk/index.html",
                "../deliverables/docs/index.html",
                "../deliverables/site/index.html",
            ]
        );
        let api = links[1];
        assert!(class_has(&api, "gantt-at-risk"));
        let title = api.children().find(|n| n.is_element()).expect("title");
        assert_eq!(title.tag_name().name(), "title");
        assert!(
            title
                .text()
                .expect("text")
                .starts_with("API — Core Team; planned 2027-03-01 → 2027-03-05")
        );
        // The at-risk bar is hatched, labelled in words, and carries its deadline flag.
        let bar = api
            .descendants()
            .find(|n| class_has(n, "gantt-bar") && !class_has(n, "gantt-swatch"))
            .expect("bar");
        assert_eq!(bar.attribute("fill"), Some("url(#gantt-pat-at-risk)"));
        assert!(
            api.descendants()
                .any(|n| class_has(&n, "gantt-status-label") && n.text() == Some("at risk"))
        );
        assert!(api.descendants().any(|n| class_has(&n, "gantt-deadline")));
        assert!(api.descendants().any(|n| class_has(&n, "gantt-progress")));
        assert!(api.descendants().any(|n| class_has(&n, "gantt-ghost")));
        // Done shows a check; not started is an outline; the milestone is a diamond.
        let docs = links[3];
        assert!(class_has(&docs, "gantt-done"));
        assert!(docs.descendants().any(|n| class_has(&n, "gantt-check")));
        assert!(class_has(&links[2], "gantt-not-started"));
        assert!(
            links[0]
                .descendants()
                .any(|n| n.tag_name().name() == "polygon" && class_has(&n, "gantt-milestone"))
        );
        // Arrows with arrowheads.
        let arrows: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.tag_name().name() == "polyline"
                    && n.ancestors().any(|a| class_has(&a, "gantt-arrows"))
            })
            .collect();
        assert_eq!(arrows.len(), 3);
        assert!(arrows.iter().all(|a| {
            a.attribute("marker-end")
                .is_some_and(|m| m.starts_with("url(#gantt-arrowhead"))
        }));
        // Markers: start, committed end, forecast end, as-of.
        let asof = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::AsOf)
            .expect("as-of");
        let line = doc
            .descendants()
            .find(|n| class_has(n, "gantt-marker-asof") && n.tag_name().name() == "line")
            .expect("as-of line");
        assert_eq!(line.attribute("x1"), Some(num(asof.x).as_str()));
        assert!(
            doc.descendants()
                .any(|n| n.text() == Some("as of 2027-03-05"))
        );
        // Team bands with their colour; the legend.
        let strips: Vec<_> = doc
            .descendants()
            .filter(|n| class_has(n, "gantt-band-strip"))
            .collect();
        assert_eq!(strips.len(), 3);
        assert_eq!(strips[1].attribute("fill"), Some("#3b82f6"));
        assert!(strips[0].attribute("fill").is_none());
        let legend: Vec<_> = doc
            .descendants()
            .filter(|n| class_has(n, "gantt-legend-label"))
            .filter_map(|n| n.text())
            .collect();
        for want in [
            "on track",
            "at risk",
            "blocked",
            "not started",
            "done",
            "milestone",
            "critical",
            "dependency",
        ] {
            assert!(legend.contains(&want), "legend lacks {want}");
        }
        // Day scale: non-working days are shaded.
        assert!(doc.descendants().any(|n| class_has(&n, "gantt-shade")));
    }

    #[test]
    fn hostile_strings_are_escaped() {
        let evil = r#"A & B <c> "q" 'x' </text><script>alert(1)</script>"#;
        let yaml_evil = evil.replace('"', "\\\"");
        let (_dir, a) = analyzed(&[
            (
                "program.yaml",
                &format!(
                    "name: \"{yaml_evil}\"\nobjective: x\nstart: 2027-03-01\nend: 2027-03-31\n"
                ),
            ),
            (
                "teams.yaml",
                &format!("- id: core\n  name: \"{yaml_evil}\"\n  lead: A\n"),
            ),
            (
                "deliverables/core.yaml",
                &format!(
                    "- id: api\n  name: \"{yaml_evil}\"\n  owner: core\n  start: 2027-03-01\n  due: 2027-03-05\n\
                     - id: bell\n  name: \"ring\\x07bell\"\n  owner: core\n  depends_on: [api]\n  duration: 2d\n"
                ),
            ),
        ]);
        for team in [None, Some(0)] {
            let mut o = GanttOptions::new(date(2027, 3, 2));
            o.team = team;
            o.link_prefix = "\"><script>x</script>".into();
            let chart = gantt_chart(&a.program, &a.current, &o);
            assert!(!chart.svg.contains("<script"), "{}", chart.svg);
            assert!(!chart.svg.contains("<c>"));
            let doc = parse_and_render(&chart.svg);
            assert_css_only(&doc);
            // The text survives intact for readers.
            let tip = doc
                .descendants()
                .filter(|n| n.tag_name().name() == "title")
                .filter_map(|n| n.text())
                .find(|t| t.contains("alert(1)"))
                .expect("tooltip");
            assert!(tip.starts_with(evil), "{tip}");
            assert!(
                doc.descendants()
                    .any(|n| n.text().is_some_and(|t| t.contains("ring bell")))
            );
            assert!(chart.summary.contains("A & B <c>"));
        }
    }

    #[test]
    fn every_chart_parses_and_renders() {
        // The example program: program chart as of each report, and every team page.
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut diags = crate::diagnostics::Diagnostics::new();
        let a = crate::site::analyze_dir(&content, None, false, &mut diags)
            .expect("load")
            .expect("ok");
        for snap in a.reports.iter().chain(std::iter::once(&a.current)) {
            render(&layout_gantt(
                &a.program,
                snap,
                &GanttOptions::new(snap.as_of),
            ));
        }
        for t in 0..a.program.teams.len() {
            let mut o = GanttOptions::new(a.current.as_of);
            o.team = Some(t);
            render(&layout_gantt(&a.program, &a.current, &o));
        }
        // Rolled up, empty, and degenerate programs.
        let (p, s) = many(200, 7);
        let l = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 5, 1)));
        assert!(l.rolled_up);
        let svg = render(&l);
        assert!(svg.contains("gantt-summary-bar"));
        let (p, s) = hand_built(date(2027, 1, 4), date(2027, 1, 4), 0, Vec::new());
        let svg = render(&layout_gantt(&p, &s, &GanttOptions::new(date(2027, 1, 4))));
        assert!(svg.contains("No deliverables or milestones yet."));
        let s0 = date(2027, 3, 1);
        let specs = vec![
            spec("a", 0, (s0, s0), (s0, s0)),
            spec(
                "b",
                0,
                (date(1900, 1, 1), date(1900, 1, 2)),
                (date(2200, 1, 1), date(2300, 1, 1)),
            ),
        ];
        let (p, s) = hand_built(s0, s0, 1, specs);
        let svg = render(&layout_gantt(&p, &s, &GanttOptions::new(s0)));
        assert!(svg.contains("gantt-clip"));
    }

    #[test]
    fn every_status_reads_without_colour() {
        let s0 = date(2027, 3, 1);
        let specs: Vec<_> = Status::ALL
            .iter()
            .enumerate()
            .map(|(i, (name, st))| {
                let mut x = spec(
                    &format!("s{i}-{}", name.replace('_', "-")),
                    0,
                    (s0, date(2027, 3, 10)),
                    (s0, date(2027, 3, 10)),
                );
                x.status = *st;
                x.critical = i == 1;
                x
            })
            .collect();
        let (p, s) = hand_built(s0, date(2027, 4, 30), 1, specs);
        let svg = render(&layout_gantt(&p, &s, &GanttOptions::new(s0)));
        let doc = roxmltree::Document::parse(&svg).expect("xml");
        let rows: Vec<_> = doc
            .descendants()
            .filter(|n| class_has(n, "gantt-row"))
            .collect();
        assert_eq!(rows.len(), 5);
        for (row, (_, st)) in rows.iter().zip(Status::ALL) {
            assert!(class_has(row, status_class(st)));
            // Words in the status column.
            assert!(
                row.descendants()
                    .any(|n| class_has(&n, "gantt-status-label") && n.text() == Some(st.label()))
            );
            let bar = row
                .descendants()
                .find(|n| class_has(n, "gantt-bar") && !class_has(n, "gantt-swatch"))
                .expect("bar");
            // Patterns for at risk and blocked, a check for done.
            assert_eq!(bar.attribute("fill"), status_pattern(st));
            assert_eq!(
                row.descendants().any(|n| class_has(&n, "gantt-check")),
                st == Status::Done
            );
        }
        assert!(class_has(&rows[1], "gantt-critical"));
        assert!(
            rows[1]
                .descendants()
                .any(|n| class_has(&n, "gantt-label-critical"))
        );
    }

    #[test]
    fn rendering_is_deterministic() {
        let (p, s) = many(500, 9);
        let o = GanttOptions::new(date(2027, 6, 1));
        assert_eq!(gantt_chart(&p, &s, &o), gantt_chart(&p, &s, &o));
    }
}
