//! Draws a [`GanttLayout`] as SVG, titled and described by
//! [`super::gantt_text`]. It must not place anything: every position and
//! label comes from the layout.
//!
//! Colours come from CSS classes (`themes/default/charts.css`, the `gantt`
//! block); the only colour written inline is a team's validated `#rrggbb`
//! on its band strip. Status reads without colour too: solid for on track,
//! hatched for at risk, cross-hatched for blocked, outline for not started,
//! a check glyph for done, and the status in words in its own column.
//! Critical bars carry a thicker outline and a bold label; critical arrows
//! are thicker. Every row is a link with a `<title>` tooltip. Text goes
//! through the streaming writer [`super::xml::Xml`], which escapes it (a
//! report's chart can hold thousands of rows).

use super::Chart;
use super::gantt_text::{GanttText, describe};
use super::xml::{Xml, write_num};
use crate::analysis::Snapshot;
use crate::layout::gantt::{
    GanttLayout, GanttOptions, LegendEntry, LegendKind, Row, RowKind, layout_gantt,
};
use crate::layout::geom::{Anchor, Label};
use crate::model::{Program, Status};

/// How a chart is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paint {
    /// By CSS classes only (`charts.css`): pages, where themes, dark mode
    /// and print restyle the chart.
    Classes,
    /// Also by a `style` attribute on every element, written here from the
    /// light palette of `charts.css`: the PNG for e-mail, which no stylesheet
    /// reaches, so the chart looks the same whatever a theme's CSS says.
    Inline,
}

/// The Gantt chart of `snap` with its summary in words, coloured by classes.
pub fn gantt_chart(program: &Program, snap: &Snapshot, opts: &GanttOptions) -> Chart {
    gantt_chart_painted(program, snap, opts, Paint::Classes)
}

/// The Gantt chart of `snap` with its summary in words, coloured by `paint`.
pub fn gantt_chart_painted(
    program: &Program,
    snap: &Snapshot,
    opts: &GanttOptions,
    paint: Paint,
) -> Chart {
    let layout = layout_gantt(program, snap, opts);
    let text = describe(program, snap, opts, &layout);
    Chart {
        svg: render_gantt_painted(&layout, &text, paint),
        summary: text.summary,
        width: layout.width,
        height: layout.height,
        min_font: crate::layout::gantt::FONT_AXIS,
    }
}

/// The `<svg>` element for `layout`, titled and described by `words`,
/// coloured by classes.
pub fn render_gantt(layout: &GanttLayout, words: &GanttText) -> String {
    render_gantt_painted(layout, words, Paint::Classes)
}

/// The `<svg>` element for `layout`, titled and described by `words`,
/// coloured by `paint`.
pub fn render_gantt_painted(layout: &GanttLayout, words: &GanttText, paint: Paint) -> String {
    let mut x = Pen {
        x: Xml::with_capacity(4096 + 1200 * layout.rows.len() + 120 * layout.arrows.len()),
        paint,
        critical: false,
        done: false,
        late: false,
    };
    x.open("svg")
        .attr("class", "chart gantt")
        .attr("role", "img")
        .view_box(layout.width, layout.height)
        .attr("width", "100%")
        .attr("xmlns", "http://www.w3.org/2000/svg");
    x.leaf("title", &words.title);
    x.leaf("desc", &words.summary);
    defs(&mut x);

    // Background layers: shading, gridlines, bands.
    x.open("g").attr("class", "gantt-back");
    for s in &layout.shading {
        let class = if s.holiday {
            "gantt-shade gantt-holiday"
        } else {
            "gantt-shade"
        };
        rect(
            &mut x,
            s.x0,
            layout.rows_y0,
            s.x1 - s.x0,
            layout.rows_y1 - layout.rows_y0,
            class,
            None,
        );
    }
    for b in &layout.bands {
        let class = if b.team.is_some() {
            "gantt-band"
        } else {
            "gantt-band gantt-band-milestones"
        };
        rect(&mut x, 0.0, b.y, layout.width, b.header_height, class, None);
        rect(
            &mut x,
            0.0,
            b.y,
            6.0,
            b.height,
            "gantt-band-strip",
            b.color.as_deref(),
        );
        if let Some(l) = &b.label {
            text(&mut x, l, "gantt-band-label");
        }
        // A rule under each band, across the chart.
        hline(&mut x, 0.0, layout.width, b.y + b.height, "gantt-band-rule");
    }
    let minor_top = layout.axis.y0 + 14.0;
    for t in &layout.axis.minor {
        vline(&mut x, t.x, minor_top, layout.rows_y1, "gantt-grid");
    }
    for t in &layout.axis.major {
        vline(
            &mut x,
            t.x,
            layout.axis.y0,
            layout.rows_y1,
            "gantt-grid gantt-grid-major",
        );
    }
    hline(&mut x, 0.0, layout.width, layout.rows_y0, "gantt-axis-rule");
    x.close();

    // The axis labels and column headings.
    x.open("g").attr("class", "gantt-axis");
    for l in &layout.axis.headings {
        text(&mut x, l, "gantt-heading");
    }
    for t in &layout.axis.major {
        if let Some(l) = &t.label {
            text(&mut x, l, "gantt-axis-label gantt-axis-major");
        }
    }
    for t in &layout.axis.minor {
        if let Some(l) = &t.label {
            text(&mut x, l, "gantt-axis-label");
        }
    }
    x.close();

    // Dependency arrows under the bars.
    x.open("g").attr("class", "gantt-arrows");
    for a in &layout.arrows {
        let (class, head) = if a.critical {
            (
                "gantt-arrow gantt-arrow-critical",
                "url(#gantt-arrowhead-critical)",
            )
        } else {
            ("gantt-arrow", "url(#gantt-arrowhead)")
        };
        let el = x
            .open("polyline")
            .attr("class", class)
            .attr("fill", "none")
            .attr("marker-end", head)
            .attr_with("points", |p| points(p, &a.points));
        // A link other than plain finish-to-start says which (SS+3d).
        if !a.link.is_plain() {
            el.attr("data-link", &a.link.label());
        }
        x.paint(class, Shape::Other);
        x.close();
    }
    x.close();

    // Rows.
    x.open("g").attr("class", "gantt-rows");
    for r in &layout.rows {
        row(&mut x, r, layout.width);
    }
    if let Some(l) = &layout.empty {
        text(&mut x, l, "gantt-empty");
    }
    x.close();

    // Markers on top of the bars, labels above the axis.
    x.open("g").attr("class", "gantt-markers");
    for m in &layout.markers {
        let mut class = format!("gantt-marker gantt-marker-{}", m.kind.as_str());
        if m.late {
            class.push_str(" gantt-marker-late");
        }
        vline(&mut x, m.x, m.y0, m.y1, &class);
        // A late marker's label is painted as late too.
        x.late = m.late;
        text(
            &mut x,
            &m.label,
            &format!("gantt-marker-label gantt-marker-label-{}", m.kind.as_str()),
        );
        x.late = false;
    }
    x.close();

    x.open("g").attr("class", "gantt-legend");
    for e in &layout.legend {
        legend_entry(&mut x, e);
    }
    x.close();
    x.x.finish()
}

// Every element's attributes are written in alphabetical order, as the `svg`
// crate (which drew the charts before the streaming writer) printed them. In
// `Paint::Inline`, a `style` attribute follows them.

/// The writer of one chart: the XML, how it is painted, and what the
/// element being written is inside of (what `charts.css` matches through
/// ancestors and siblings).
struct Pen {
    x: Xml,
    paint: Paint,
    /// Inside a critical row (or the legend's critical sample).
    critical: bool,
    /// Inside a done row.
    done: bool,
    /// The label of a late marker.
    late: bool,
}

impl std::ops::Deref for Pen {
    type Target = Xml;
    fn deref(&self) -> &Xml {
        &self.x
    }
}

impl std::ops::DerefMut for Pen {
    fn deref_mut(&mut self) -> &mut Xml {
        &mut self.x
    }
}

/// What kind of element is painted: text takes the text colour first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    /// A shape with a `fill` attribute of its own (a team's strip colour).
    Filled,
    Other,
}

impl Pen {
    /// In `Paint::Inline`, the `style` attribute of the element just opened
    /// with `class`: the light palette of the `gantt` block of `charts.css`.
    fn paint(&mut self, class: &str, shape: Shape) {
        if self.paint == Paint::Inline {
            let style = inline_style(class, shape, self.critical, self.done, self.late);
            if !style.is_empty() {
                self.x.attr("style", &style);
            }
        }
    }
}

const TEXT: &str = "#1b1f24";
const MUTED: &str = "#57606a";
const BORDER: &str = "#d8dee4";
const BORDER_STRONG: &str = "#afb8c1";
const SURFACE_2: &str = "#f1f3f6";
const LATE: &str = "#b91c1c";
const AS_OF: &str = "#1d4ed8";

/// The declarations `charts.css` gives an element of `class` in the light
/// screen theme, as one `style` value. The rules are applied in the order
/// of their CSS specificity, then of the stylesheet, so a later one wins as
/// it does there; `tests::inline_palette_matches_charts_css` keeps the
/// colours in step with the stylesheet.
fn inline_style(class: &str, shape: Shape, critical: bool, done: bool, late: bool) -> String {
    let has = |c: &str| class.split(' ').any(|t| t == c);
    let mut decls: Vec<(&'static str, &'static str)> = Vec::new();
    let mut set = |property: &'static str, value: &'static str| match decls
        .iter_mut()
        .find(|d| d.0 == property)
    {
        Some(d) => d.1 = value,
        None => decls.push((property, value)),
    };
    // `.gantt text`
    if shape == Shape::Text {
        set("fill", TEXT);
    }
    // `.gantt .class`, in the stylesheet's order.
    if has("gantt-heading")
        || has("gantt-axis-label")
        || has("gantt-legend-label")
        || has("gantt-empty")
    {
        set("fill", MUTED);
    }
    if has("gantt-axis-major") {
        set("fill", TEXT);
    }
    if has("gantt-empty") {
        set("font-style", "italic");
    }
    if has("gantt-grid") {
        set("stroke", BORDER);
        set("stroke-width", "1");
    }
    if has("gantt-grid-major") {
        set("stroke", BORDER_STRONG);
    }
    if has("gantt-axis-rule") {
        set("stroke", BORDER_STRONG);
        set("stroke-width", "1");
    }
    if has("gantt-shade") || has("gantt-band") {
        set("fill", SURFACE_2);
    }
    if has("gantt-band-rule") {
        set("stroke", BORDER);
        set("stroke-width", "1");
    }
    if has("gantt-band-label") || has("gantt-status-label") {
        set("fill", TEXT);
    }
    if has("gantt-hit") {
        set("fill", "none");
        set("stroke", "none");
    }
    if has("gantt-bar") {
        set("stroke-width", "1");
    }
    if has("gantt-check") {
        set("stroke", "#fff");
        set("stroke-width", "1.8");
        set("stroke-linecap", "round");
        set("stroke-linejoin", "round");
        set("fill", "none");
    }
    if has("gantt-progress") {
        set("fill", "#0f172a");
    }
    if has("gantt-ghost") {
        set("fill", "#7c8799");
        set("stroke", "none");
    }
    if has("gantt-ghost-milestone") {
        set("fill", "none");
        set("stroke", "#7c8799");
        set("stroke-width", "1.5");
    }
    if has("gantt-summary-bar") {
        set("stroke-width", "1.5");
    }
    if has("gantt-clip") {
        set("stroke", TEXT);
        set("stroke-width", "1.5");
        set("fill", "none");
    }
    if has("gantt-label-critical") {
        set("font-weight", "700");
    }
    if has("gantt-deadline-line") {
        set("stroke", LATE);
        set("stroke-width", "2");
    }
    if has("gantt-deadline-flag") {
        set("fill", LATE);
    }
    if has("gantt-arrow") {
        set("stroke", MUTED);
        set("stroke-width", "1.1");
        set("fill", "none");
        set("stroke-linejoin", "round");
    }
    if has("gantt-arrowhead") {
        set("fill", MUTED);
    }
    if has("gantt-arrow-critical") {
        set("stroke", LATE);
        set("stroke-width", "2");
    }
    if has("gantt-arrowhead-critical") {
        set("fill", LATE);
    }
    if has("gantt-marker") {
        set("stroke", MUTED);
        set("stroke-width", "1.25");
        set("stroke-dasharray", "4 3");
    }
    if has("gantt-marker-forecast") {
        set("stroke-dasharray", "1.5 2.5");
        set("stroke-width", "1.5");
    }
    if has("gantt-marker-late") {
        set("stroke", LATE);
    }
    if has("gantt-marker-asof") {
        set("stroke", AS_OF);
        set("stroke-width", "2");
        set("stroke-dasharray", "none");
    }
    if has("gantt-marker-label") {
        set("fill", MUTED);
    }
    if has("gantt-marker-label-asof") {
        set("fill", AS_OF);
    }
    // Two classes, or a class and its context.
    if has("gantt-shade") && has("gantt-holiday") {
        set("fill", "#fdecc8");
    }
    if has("gantt-band-strip") && shape != Shape::Filled {
        set("fill", BORDER_STRONG);
    }
    if has("gantt-bar") {
        if has("gantt-on-track") {
            set("fill", "#15803d");
            set("stroke", "#14532d");
        } else if has("gantt-at-risk") {
            set("fill", "url(#gantt-pat-at-risk)");
            set("stroke", "#b45309");
        } else if has("gantt-blocked") {
            set("fill", "url(#gantt-pat-blocked)");
            set("stroke", LATE);
        } else if has("gantt-not-started") {
            set("fill", "#fff");
            set("stroke", "#475569");
            set("stroke-width", "1.25");
        } else if has("gantt-done") {
            set("fill", "#475569");
            set("stroke", "#334155");
        }
    }
    if has("gantt-pat-bg") {
        if has("gantt-at-risk") {
            set("fill", "#fef3c7");
        } else if has("gantt-blocked") {
            set("fill", "#fee2e2");
        }
    }
    if has("gantt-pat-line") {
        if has("gantt-at-risk") {
            set("stroke", "#b45309");
            set("stroke-width", "2");
        } else if has("gantt-blocked") {
            set("stroke", LATE);
            set("stroke-width", "1.6");
        }
    }
    if done && has("gantt-deadline") {
        set("opacity", "0.5");
    }
    if late && has("gantt-marker-label") {
        set("fill", LATE);
    }
    // `.gantt .gantt-critical .gantt-bar:not(.gantt-swatch)`
    if critical && has("gantt-bar") && !has("gantt-swatch") {
        set("stroke", TEXT);
        set("stroke-width", "2.5");
    }
    let mut out = String::new();
    for (k, (property, value)) in decls.iter().enumerate() {
        if k > 0 {
            out.push(';');
        }
        out.push_str(property);
        out.push(':');
        out.push_str(value);
    }
    out
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

fn defs(x: &mut Pen) {
    x.open("defs");
    for (id, blocked) in [("gantt-pat-at-risk", false), ("gantt-pat-blocked", true)] {
        let status = if blocked {
            "gantt-blocked"
        } else {
            "gantt-at-risk"
        };
        x.open("pattern")
            .attr("height", "6")
            .attr("id", id)
            .attr("patternTransform", "rotate(45)")
            .attr("patternUnits", "userSpaceOnUse")
            .attr("width", "6");
        rect(
            x,
            0.0,
            0.0,
            6.0,
            6.0,
            &format!("gantt-pat-bg {status}"),
            None,
        );
        let line_class = format!("gantt-pat-line {status}");
        line(x, 1.5, 0.0, 1.5, 6.0, &line_class);
        if blocked {
            line(x, 0.0, 1.5, 6.0, 1.5, &line_class);
        }
        x.close();
    }
    for (id, class) in [
        ("gantt-arrowhead", "gantt-arrowhead"),
        (
            "gantt-arrowhead-critical",
            "gantt-arrowhead gantt-arrowhead-critical",
        ),
    ] {
        x.open("marker")
            .attr("id", id)
            .attr("markerHeight", "7")
            .attr("markerUnits", "userSpaceOnUse")
            .attr("markerWidth", "7")
            .attr("orient", "auto")
            .attr("refX", "10")
            .attr("refY", "5")
            .attr("viewBox", "0 0 10 10");
        x.open("path")
            .attr("class", class)
            .attr("d", "M0,0 L10,5 L0,10 z");
        x.paint(class, Shape::Other);
        x.close();
        x.close();
    }
    x.close();
}

/// `x,y x,y ...`
fn points(out: &mut String, pts: &[(f64, f64)]) {
    for (k, &(px, py)) in pts.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        write_num(out, px);
        out.push(',');
        write_num(out, py);
    }
}

/// A rectangle with an optional `fill`.
fn rect(x: &mut Pen, rx: f64, ry: f64, w: f64, h: f64, class: &str, fill: Option<&str>) {
    rect_with(x, rx, ry, w, h, class, fill, None);
    x.close();
}

/// A rectangle left open, with an optional `fill` and corner radius.
#[allow(clippy::too_many_arguments)]
fn rect_with(
    x: &mut Pen,
    rx: f64,
    ry: f64,
    w: f64,
    h: f64,
    class: &str,
    fill: Option<&str>,
    corner: Option<&'static str>,
) {
    x.open("rect").attr("class", class);
    if let Some(f) = fill {
        x.attr("fill", f);
    }
    x.num("height", h.max(0.0));
    if let Some(c) = corner {
        x.attr("rx", c);
    }
    x.num("width", w.max(0.0)).num("x", rx).num("y", ry);
    x.paint(
        class,
        if fill.is_some() {
            Shape::Filled
        } else {
            Shape::Other
        },
    );
}

fn line(x: &mut Pen, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
    x.open("line")
        .attr("class", class)
        .num("x1", x1)
        .num("x2", x2)
        .num("y1", y1)
        .num("y2", y2);
    x.paint(class, Shape::Other);
    x.close();
}

fn vline(x: &mut Pen, at: f64, y0: f64, y1: f64, class: &str) {
    line(x, at, y0, at, y1, class);
}

fn hline(x: &mut Pen, x0: f64, x1: f64, y: f64, class: &str) {
    line(x, x0, y, x1, y, class);
}

/// A `<text>` element with its content on the same line.
fn text(x: &mut Pen, l: &Label, class: &str) {
    x.open("text").attr("class", class).num("font-size", l.size);
    if l.bold {
        x.attr("font-weight", "bold");
    }
    if l.anchor != Anchor::Start {
        x.attr("text-anchor", l.anchor.as_str());
    }
    x.num("x", l.x).num("y", l.y);
    x.paint(class, Shape::Text);
    x.text(&l.text).close();
}

fn diamond(x: &mut Pen, cx: f64, cy: f64, r: f64, class: &str, fill: Option<&str>) {
    x.open("polygon").attr("class", class);
    if let Some(f) = fill {
        x.attr("fill", f);
    }
    x.attr_with("points", |p| {
        points(p, &[(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)])
    });
    x.paint(class, Shape::Other);
    x.close();
}

/// A path with `fill="none"` (check marks, chevrons).
fn open_path(x: &mut Pen, class: &str, d: impl FnOnce(&mut String)) {
    x.open("path")
        .attr("class", class)
        .attr_with("d", d)
        .attr("fill", "none");
    x.paint(class, Shape::Other);
    x.close();
}

/// A check mark in a box whose top-left is (x, y) and height `h`.
fn check(x: &mut Pen, cx: f64, cy: f64, h: f64) {
    let s = h / 10.0;
    open_path(x, "gantt-check", |d| {
        d.push('M');
        points(d, &[(cx + 2.0 * s, cy + 5.0 * s)]);
        d.push_str(" l");
        points(d, &[(2.5 * s, 2.5 * s)]);
        d.push_str(" l");
        points(d, &[(4.0 * s, -5.5 * s)]);
    });
}

/// A status swatch: the bar's fill, pattern and (for done) the check glyph.
fn swatch(x: &mut Pen, sx: f64, sy: f64, w: f64, h: f64, s: Status) {
    x.open("g");
    rect(
        x,
        sx,
        sy,
        w,
        h,
        &format!("gantt-bar gantt-swatch {}", status_class(s)),
        status_pattern(s),
    );
    if s == Status::Done {
        check(x, sx + (w - h) / 2.0, sy, h);
    }
    x.close();
}

fn row(x: &mut Pen, r: &Row, width: f64) {
    x.critical = r.critical;
    x.done = r.status == Status::Done;
    row_elements(x, r, width);
    x.critical = false;
    x.done = false;
}

fn row_elements(x: &mut Pen, r: &Row, width: f64) {
    x.open("a").attr_with("class", |class| {
        class.push_str("gantt-row ");
        class.push_str(status_class(r.status));
        if r.critical {
            class.push_str(" gantt-critical");
        }
        if matches!(r.kind, RowKind::Team(_)) {
            class.push_str(" gantt-summary");
        }
        if r.milestone {
            class.push_str(" gantt-is-milestone");
        }
    });
    x.attr("href", &r.href);
    x.leaf("title", &r.tooltip);
    // The whole row is the hover and click target.
    x.open("rect")
        .attr("class", "gantt-hit")
        .attr("fill", "none")
        .num("height", r.height.max(0.0))
        .attr("pointer-events", "all")
        .num("width", width.max(0.0))
        .num("x", 0.0)
        .num("y", r.y);
    x.paint("gantt-hit", Shape::Other);
    x.close();
    let label_class = if r.critical {
        "gantt-label gantt-label-critical"
    } else {
        "gantt-label"
    };
    text(x, &r.label, label_class);
    swatch(x, r.icon_x, r.icon_y, 10.0, 10.0, r.status);
    text(x, &r.status_label, "gantt-status-label");

    let sc = status_class(r.status);
    if let (Some(cx), Some(pcx)) = (r.diamond_cx, r.planned_cx) {
        let pr = (r.planned.x1 - r.planned.x0) / 2.0;
        let fr = (r.forecast.x1 - r.forecast.x0) / 2.0;
        diamond(x, pcx, r.cy, pr, "gantt-ghost gantt-ghost-milestone", None);
        diamond(
            x,
            cx,
            r.cy,
            fr,
            &format!("gantt-bar gantt-milestone {sc}"),
            status_pattern(r.status),
        );
        if r.status == Status::Done {
            check(x, cx - 5.0, r.cy - 5.0, 10.0);
        }
    } else {
        rect_with(
            x,
            r.planned.x0,
            r.ghost_y,
            r.planned.x1 - r.planned.x0,
            r.ghost_h,
            "gantt-ghost",
            None,
            Some("1"),
        );
        x.close();
        let bar_class = if matches!(r.kind, RowKind::Team(_)) {
            format!("gantt-bar gantt-summary-bar {sc}")
        } else {
            format!("gantt-bar {sc}")
        };
        rect_with(
            x,
            r.forecast.x0,
            r.bar_y,
            r.forecast.x1 - r.forecast.x0,
            r.bar_h,
            &bar_class,
            status_pattern(r.status),
            Some("2"),
        );
        x.close();
        if r.status != Status::Done && r.progress_x > r.forecast.x0 + 0.5 {
            rect(
                x,
                r.forecast.x0,
                r.bar_y + 4.0,
                r.progress_x - r.forecast.x0,
                r.bar_h - 8.0,
                "gantt-progress",
                None,
            );
        }
        if r.status == Status::Done && r.forecast.x1 - r.forecast.x0 >= 14.0 {
            check(x, r.forecast.x1 - 12.0, r.bar_y + 1.0, r.bar_h - 2.0);
        }
    }
    if r.clipped_start {
        chevron(x, r.forecast.x0 - 2.0, r.cy, -1.0);
    }
    if r.clipped_end {
        chevron(x, r.forecast.x1 + 2.0, r.cy, 1.0);
    }
    if let Some(dx) = r.deadline_x {
        deadline(x, dx, r.bar_y, r.bar_h);
    }
    x.close();
}

/// A "continues" chevron pointing left (`dir` -1) or right (+1).
fn chevron(x: &mut Pen, cx: f64, cy: f64, dir: f64) {
    open_path(x, "gantt-clip", |d| {
        d.push('M');
        points(d, &[(cx, cy - 4.0)]);
        d.push_str(" l");
        write_num(d, 4.0 * dir);
        d.push_str(",4 l");
        write_num(d, -4.0 * dir);
        d.push_str(",4");
    });
}

/// The missed due date: a flag over a line across the bar.
fn deadline(x: &mut Pen, dx: f64, bar_y: f64, bar_h: f64) {
    x.open("g").attr("class", "gantt-deadline");
    x.paint("gantt-deadline", Shape::Other);
    vline(
        x,
        dx,
        bar_y - 3.0,
        bar_y + bar_h + 3.0,
        "gantt-deadline-line",
    );
    x.open("path")
        .attr("class", "gantt-deadline-flag")
        .attr_with("d", |d| {
            d.push('M');
            points(d, &[(dx - 3.5, bar_y - 4.0)]);
            d.push_str(" h7 l-3.5,4 z");
        });
    x.paint("gantt-deadline-flag", Shape::Other);
    x.close();
    x.close();
}

fn legend_entry(x: &mut Pen, e: &LegendEntry) {
    let (ex, ey) = (e.x, e.y);
    x.open("g").attr("class", "gantt-legend-entry");
    match e.kind {
        LegendKind::Status(s) => swatch(x, ex, ey, 14.0, 10.0, s),
        LegendKind::Planned => rect(x, ex, ey + 3.0, 14.0, 5.0, "gantt-ghost", None),
        LegendKind::Progress => {
            rect(x, ex, ey, 14.0, 10.0, "gantt-bar gantt-not-started", None);
            rect(x, ex, ey + 3.0, 9.0, 4.0, "gantt-progress", None);
        }
        LegendKind::Milestone => diamond(
            x,
            ex + 7.0,
            ey + 5.0,
            6.0,
            "gantt-bar gantt-milestone gantt-on-track",
            None,
        ),
        LegendKind::Critical => {
            x.open("g").attr("class", "gantt-critical");
            x.critical = true;
            rect(
                x,
                ex + 1.0,
                ey + 1.0,
                12.0,
                8.0,
                "gantt-bar gantt-not-started",
                None,
            );
            x.critical = false;
            x.close();
        }
        LegendKind::Deadline => deadline(x, ex + 7.0, ey + 2.0, 7.0),
        LegendKind::Dependency | LegendKind::CriticalDependency => {
            let crit = e.kind == LegendKind::CriticalDependency;
            let class = if crit {
                "gantt-arrow gantt-arrow-critical"
            } else {
                "gantt-arrow"
            };
            x.open("polyline")
                .attr("class", class)
                .attr("fill", "none")
                .attr_with("points", |p| {
                    points(
                        p,
                        &[(ex, ey + 1.0), (ex + 4.0, ey + 1.0), (ex + 4.0, ey + 8.0)],
                    )
                });
            x.paint(class, Shape::Other);
            x.close();
            x.open("polyline")
                .attr("class", class)
                .attr("fill", "none")
                .attr(
                    "marker-end",
                    if crit {
                        "url(#gantt-arrowhead-critical)"
                    } else {
                        "url(#gantt-arrowhead)"
                    },
                )
                .attr_with("points", |p| {
                    points(p, &[(ex + 4.0, ey + 8.0), (ex + 14.0, ey + 8.0)])
                });
            x.paint(class, Shape::Other);
            x.close();
        }
        LegendKind::AsOf => vline(
            x,
            ex + 7.0,
            ey - 2.0,
            ey + 12.0,
            "gantt-marker gantt-marker-asof",
        ),
        LegendKind::NonWorking => rect(x, ex, ey - 2.0, 14.0, 14.0, "gantt-shade", None),
    }
    text(x, &e.label, "gantt-legend-label");
    x.close();
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::layout::gantt::tests::{analyzed, hand_built, many, spec, tiny};
    use crate::layout::gantt::{GanttLayout, MarkerKind};
    use crate::render::svg::num;

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
        let text = GanttText {
            title: "Chart".into(),
            summary: "Summary.".into(),
        };
        let svg = render_gantt(l, &text);
        let doc = parse_and_render(&svg);
        assert_css_only(&doc);
        svg
    }

    /// The pixel at (x, y) of a PNG.
    fn pixel(png: &super::super::raster::Png, x: f64, y: f64) -> (u8, u8, u8) {
        let map = resvg::tiny_skia::Pixmap::decode_png(&png.bytes).expect("decodes");
        let p = map
            .pixel(x.round() as u32, y.round() as u32)
            .expect("inside")
            .demultiply();
        (p.red(), p.green(), p.blue())
    }

    /// Painted inline, the chart carries its colours itself: rasterised
    /// with no stylesheet at all, a bar is its status's colour, the as-of
    /// line is blue and a critical bar has the dark outline; painted by
    /// classes, the same pixels are black (SVG's default fill), and the page
    /// chart is unchanged by the option.
    #[test]
    fn inline_paint_colours_the_png_without_a_stylesheet() {
        use super::super::raster::rasterize;
        let a = crate::testing::example();
        let snap = a.reports.last().expect("a report");
        let o = GanttOptions::new(snap.as_of);
        let l = layout_gantt(&a.program, snap, &o);
        let text = describe(&a.program, snap, &o, &l);
        let inline = render_gantt_painted(&l, &text, Paint::Inline);
        let classes = render_gantt_painted(&l, &text, Paint::Classes);
        assert_eq!(classes, render_gantt(&l, &text));
        assert_eq!(classes, gantt_chart(&a.program, snap, &o).svg);
        parse_and_render(&inline);
        let png = rasterize(&inline, l.width, l.height).expect("rasterises");
        let bare = rasterize(&classes, l.width, l.height).expect("rasterises");
        let mut seen = 0;
        for r in l.rows.iter().filter(|r| r.diamond_cx.is_none()) {
            let (x0, x1) = (r.forecast.x0, r.forecast.x1);
            if x1 - x0 < 30.0 || r.clipped_start || r.clipped_end {
                continue;
            }
            // Inside the bar, between its outline and the progress bar.
            let at = (x0 + (x1 - x0) * 0.75, r.bar_y + 2.5);
            let want = match r.status {
                Status::OnTrack => (0x15, 0x80, 0x3d),
                Status::Done => (0x47, 0x55, 0x69),
                Status::NotStarted => (0xff, 0xff, 0xff),
                _ => continue,
            };
            // Not under a deadline flag or a marker line.
            if r.deadline_x.is_some_and(|d| (d - at.0).abs() < 6.0)
                || l.markers.iter().any(|m| (m.x - at.0).abs() < 4.0)
            {
                continue;
            }
            let got = pixel(&png, at.0, at.1);
            let near = |a: u8, b: u8| a.abs_diff(b) <= 12;
            assert!(
                near(got.0, want.0) && near(got.1, want.1) && near(got.2, want.2),
                "{} ({:?}) at {at:?}: {got:?}, want {want:?}",
                r.label.text,
                r.status
            );
            if r.status == Status::OnTrack {
                assert_eq!(
                    pixel(&bare, at.0, at.1),
                    (0, 0, 0),
                    "no stylesheet, no colour"
                );
            }
            // The outline: dark for critical work, the status's edge otherwise.
            let edge = pixel(&png, at.0, r.bar_y + 0.2);
            if r.critical {
                assert!(edge.0 < 0x40 && edge.1 < 0x40, "{}: {edge:?}", r.label.text);
            }
            seen += 1;
        }
        assert!(seen >= 5, "bars checked: {seen}");
        let asof = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::AsOf)
            .expect("an as-of line");
        let (r, g, b) = pixel(&png, asof.x, (asof.y0 + asof.y1) / 2.0);
        assert!(b > 150 && r < 100 && g < 130, "as-of line {:?}", (r, g, b));
    }

    /// Every colour the inline palette writes is one the light screen part of
    /// `charts.css`'s Gantt block uses, so the PNG and the page agree.
    #[test]
    fn inline_palette_matches_charts_css() {
        let css = include_str!("../../../themes/default/charts.css");
        let block = &css[css.find("/* gantt:begin */").expect("gantt block")
            ..css.find("/* gantt:end */").expect("gantt block end")];
        let light = &block[..block.find("@media").unwrap_or(block.len())];
        let a = crate::testing::example();
        let snap = a.reports.last().expect("a report");
        let o = GanttOptions::new(snap.as_of);
        let l = layout_gantt(&a.program, snap, &o);
        let svg = render_gantt_painted(&l, &describe(&a.program, snap, &o, &l), Paint::Inline);
        let doc = parse_and_render(&svg);
        let mut colours = std::collections::BTreeSet::new();
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(style) = n.attribute("style") {
                for decl in style.split(';') {
                    let (_, v) = decl.split_once(':').expect("property:value");
                    if v.starts_with('#') {
                        colours.insert(v.to_string());
                    }
                }
            }
        }
        assert!(colours.len() >= 12, "{colours:?}");
        for c in &colours {
            assert!(light.contains(c.as_str()), "{c} is not in charts.css");
        }
    }

    #[test]
    fn tiny_fixture_snapshot() {
        let (_dir, a) = tiny();
        let (p, s) = (&a.program, &a.current);
        let mut o = GanttOptions::new(s.as_of);
        o.link_prefix = "../".into();
        let chart = gantt_chart(p, s, &o);
        let l = layout_gantt(p, s, &o);
        let text = describe(p, s, &o, &l);
        assert_eq!(chart.svg, render_gantt(&l, &text));
        assert_eq!(chart.summary, text.summary);
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
        assert_eq!(kids[1].text(), Some(text.summary.as_str()));
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
