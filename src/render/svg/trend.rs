//! The milestone trend chart (MTA) as SVG, drawn from
//! [`layout::trend`](crate::layout::trend) geometry, with a summary in words.
//!
//! Lines differ by colour class (`trend-s0` … `trend-s11`), marker shape and,
//! from the seventh line on, a dash pattern; every line is also labelled with
//! its milestone id and listed in the legend, so colour is never the only cue.

use super::xml::{Xml, write_num};
use crate::analysis::Snapshot;
use crate::layout::geom::Point;
use crate::layout::trend::{
    LegendKey, MarkerShape, MilestoneTrend, TrendLayout, TrendPoint, drift_phrase, layout_trend,
    milestone_trends,
};
use crate::model::{Item, Program};
use crate::render::svg::{Chart, num, open_text, text};
use crate::render::views::item_dir;

/// The width the chart is laid out at (the SVG scales with its `viewBox`).
pub const WIDTH: f64 = 720.0;
/// Marker "radius".
const MARKER: f64 = 4.0;
/// Clauses listed per group in the summary before "and N more".
const SUMMARY_LIST: usize = 5;

/// The milestone trend chart for `snaps` (one snapshot per report up to the
/// report shown, in date order). Milestone names link to
/// `{link_prefix}milestones/<id>/index.html`.
pub fn trend_chart(program: &Program, snaps: &[Snapshot], link_prefix: &str) -> Chart {
    let layout = layout_trend(program, snaps, WIDTH);
    let trends = milestone_trends(program, snaps);
    let summary = trend_summary(program, &trends, &layout);
    let svg = draw(program, &layout, link_prefix, &summary);
    Chart {
        svg: super::xml_chars(svg),
        summary,
        width: layout.width,
        height: layout.height,
        min_font: crate::layout::trend::TICK_FONT,
    }
}

/// Lines with at most this many points draw every point.
const ALL_POINTS_UP_TO: usize = 16;

/// Which points of a line to draw: all of a short line; of a longer one, the
/// ends and every point whose forecast or "reached" differs from a neighbour's.
fn turning_points(points: &[TrendPoint]) -> Vec<bool> {
    if points.len() <= ALL_POINTS_UP_TO {
        return vec![true; points.len()];
    }
    let same = |a: &TrendPoint, b: &TrendPoint| a.forecast == b.forecast && a.reached == b.reached;
    (0..points.len())
        .map(|k| {
            k == 0
                || k + 1 == points.len()
                || !same(&points[k - 1], &points[k])
                || !same(&points[k], &points[k + 1])
        })
        .collect()
}

/// The milestone's page (the site's own path for it, see [`item_dir`]).
fn item_href(link_prefix: &str, item: &Item) -> String {
    format!("{link_prefix}{}/index.html", item_dir(item))
}

/// Opens a `<line>` from `a` to `b` (`fill="none"` when `unfilled`); the
/// caller closes it.
fn open_line(x: &mut Xml, a: Point, b: Point, class: &str, unfilled: bool) {
    x.open("line").attr("class", class);
    if unfilled {
        x.attr("fill", "none");
    }
    x.num("x1", a.x)
        .num("x2", b.x)
        .num("y1", a.y)
        .num("y2", b.y);
}

fn line(x: &mut Xml, a: Point, b: Point, class: &str) {
    open_line(x, a, b, class, false);
    x.close();
}

/// Path data of a marker of `shape` centred on `(x, y)`.
pub fn marker_path(shape: MarkerShape, x: f64, y: f64, r: f64) -> String {
    let (xs, ys) = (num(x), num(y));
    match shape {
        MarkerShape::Circle => format!(
            "M{} {ys}a{} {} 0 1 0 {} 0a{} {} 0 1 0 {} 0Z",
            num(x - r),
            num(r),
            num(r),
            num(2.0 * r),
            num(r),
            num(r),
            num(-2.0 * r)
        ),
        MarkerShape::Square => {
            let s = r * 0.9;
            format!(
                "M{} {}h{}v{}h{}Z",
                num(x - s),
                num(y - s),
                num(2.0 * s),
                num(2.0 * s),
                num(-2.0 * s)
            )
        }
        MarkerShape::Diamond => {
            let d = r * 1.3;
            format!(
                "M{xs} {}L{} {ys}L{xs} {}L{} {ys}Z",
                num(y - d),
                num(x + d),
                num(y + d),
                num(x - d)
            )
        }
        MarkerShape::TriangleUp => format!(
            "M{xs} {}L{} {}L{} {}Z",
            num(y - r * 1.25),
            num(x + r * 1.15),
            num(y + r * 0.85),
            num(x - r * 1.15),
            num(y + r * 0.85)
        ),
        MarkerShape::TriangleDown => format!(
            "M{xs} {}L{} {}L{} {}Z",
            num(y + r * 1.25),
            num(x + r * 1.15),
            num(y - r * 0.85),
            num(x - r * 1.15),
            num(y - r * 0.85)
        ),
        MarkerShape::Cross => format!(
            "M{} {}L{} {}M{} {}L{} {}",
            num(x - r),
            num(y - r),
            num(x + r),
            num(y + r),
            num(x + r),
            num(y - r),
            num(x - r),
            num(y + r)
        ),
    }
}

/// Opens a marker `<path>`; the caller closes it (after a `<title>`, if any).
fn open_marker(x: &mut Xml, shape: MarkerShape, p: Point, reached: bool) {
    x.open("path")
        .attr_with("class", |c| {
            c.push_str("trend-marker trend-marker-");
            c.push_str(shape.as_str());
            if reached {
                c.push_str(" trend-reached");
            }
        })
        .attr("d", &marker_path(shape, p.x, p.y, MARKER));
}

fn vs_plan(slip: i64) -> String {
    let days = |n: i64| format!("{n} working day{}", if n == 1 { "" } else { "s" });
    match slip {
        0 => "on plan".to_string(),
        s if s > 0 => format!("{} behind plan", days(s)),
        s => format!("{} ahead of plan", days(s.saturating_neg())),
    }
}

fn draw(program: &Program, l: &TrendLayout, link_prefix: &str, summary: &str) -> String {
    let points: usize = l.lines.iter().map(|t| t.points.len()).sum();
    let mut x = Xml::with_capacity(8192 + 400 * points);
    x.open("svg")
        .attr("class", "trend")
        .attr("role", "img")
        .view_box(l.width, l.height)
        .attr("width", "100%")
        .attr("xmlns", "http://www.w3.org/2000/svg");
    x.leaf(
        "title",
        "Milestone trend: forecast date of each milestone, report by report",
    );
    x.leaf("desc", summary);

    let p = l.plot;
    x.open("rect")
        .attr("class", "trend-frame")
        .attr("fill", "none")
        .num("height", p.height())
        .num("width", p.width())
        .num("x", p.left)
        .num("y", p.top)
        .close();

    x.open("g").attr("class", "trend-grid");
    for t in &l.y_ticks {
        line(
            &mut x,
            Point {
                x: p.left,
                y: t.pos,
            },
            Point {
                x: p.right,
                y: t.pos,
            },
            "trend-gridline",
        );
    }
    for t in &l.x_ticks {
        line(
            &mut x,
            Point { x: t.pos, y: p.top },
            Point {
                x: t.pos,
                y: p.bottom,
            },
            "trend-gridline",
        );
    }
    x.close();

    x.open("g").attr("class", "trend-axis");
    for t in &l.y_ticks {
        text(&mut x, &t.label, "trend-tick");
    }
    for t in &l.x_ticks {
        line(
            &mut x,
            Point {
                x: t.pos,
                y: p.bottom,
            },
            Point {
                x: t.pos,
                y: p.bottom + 4.0,
            },
            "trend-tickmark",
        );
        text(&mut x, &t.label, "trend-tick");
    }
    text(&mut x, &l.x_title, "trend-axis-title");
    text(&mut x, &l.y_title, "trend-axis-title");
    x.close();

    open_line(&mut x, l.diagonal.0, l.diagonal.1, "trend-diagonal", true);
    x.leaf(
        "title",
        "Forecast = report date: a point on or below this line means the milestone is reached",
    );
    x.close();

    for tl in &l.lines {
        let it = &program.items[tl.item];
        x.open("g").attr_with("class", |c| {
            c.push_str("trend-series trend-s");
            c.push_str(&tl.series.to_string());
        });
        // A long line (years of reports) keeps only its turning points: the
        // ends, and the points where the forecast or "reached" changes.
        // Interior points of a flat run are collinear, so the drawing is the
        // same; the chart stays small however many reports there are.
        let keep = turning_points(&tl.points);
        let kept = || {
            tl.points
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(q, _)| q)
        };
        if kept().nth(1).is_some() {
            x.open("polyline")
                .attr("class", "trend-line")
                .attr("fill", "none")
                .attr_with("points", |pts| {
                    for (k, q) in kept().enumerate() {
                        if k > 0 {
                            pts.push(' ');
                        }
                        write_num(pts, q.x);
                        pts.push(',');
                        write_num(pts, q.y);
                    }
                });
            x.leaf(
                "title",
                &format!("{} ({}): {}", it.name, it.id, drift_phrase(tl.drift)),
            );
            x.close();
        }
        for q in kept() {
            let reached = if q.reached { "; reached" } else { "" };
            let tip = format!(
                "{} ({})\nReport {}: forecast {} ({}){reached}",
                it.name,
                it.id,
                q.report,
                q.forecast,
                vs_plan(q.slip)
            );
            open_marker(&mut x, tl.shape, Point { x: q.x, y: q.y }, q.reached);
            x.leaf("title", &tip);
            x.close();
        }
        if let Some((a, b)) = tl.leader {
            line(&mut x, a, b, "trend-leader");
        }
        x.open("a").attr("href", &item_href(link_prefix, it));
        open_text(&mut x, &tl.end_label, "trend-end-label");
        x.leaf("title", &format!("{} ({})", it.name, it.id));
        x.close();
        x.close();
        x.close();
    }

    x.open("g").attr("class", "trend-legend");
    for e in &l.legend {
        let (a, b) = e.sample;
        let mid = Point {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        match e.key {
            LegendKey::Diagonal => {
                x.open("g").attr("class", "trend-legend-entry");
                line(&mut x, a, b, "trend-diagonal");
                text(&mut x, &e.label, "trend-legend-label");
                x.close();
            }
            LegendKey::Series(k) => {
                x.open("g").attr("class", "trend-legend-entry");
                x.open("g").attr_with("class", |c| {
                    c.push_str("trend-series trend-s");
                    c.push_str(&k.to_string());
                });
                line(&mut x, a, b, "trend-line");
                open_marker(&mut x, MarkerShape::of_series(k), mid, false);
                x.close();
                x.close();
                match e.item.and_then(|m| program.items.get(m)) {
                    Some(it) => {
                        x.open("a").attr("href", &item_href(link_prefix, it));
                        text(&mut x, &e.label, "trend-legend-label");
                        x.close();
                    }
                    None => text(&mut x, &e.label, "trend-legend-label"),
                }
                x.close();
            }
        }
    }
    if let Some(note) = &l.note {
        text(&mut x, note, "trend-note");
    }
    x.close();
    if let Some(m) = &l.empty_message {
        text(&mut x, m, "trend-empty");
    }
    x.finish()
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The chart in words: which milestones slipped, moved earlier or held, for
/// screen readers and e-mail.
pub fn trend_summary(program: &Program, trends: &[MilestoneTrend], l: &TrendLayout) -> String {
    let id = |t: &MilestoneTrend| {
        program
            .items
            .get(t.item)
            .map(|i| i.id.clone())
            .unwrap_or_default()
    };
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if l.milestones == 0 {
        return "No milestones in the plan, so there is no milestone trend.".to_string();
    }
    if l.reports == 0 || trends.is_empty() {
        return format!(
            "No reports yet, so there is no trend for the {} in the plan.",
            plural(l.milestones, "milestone", "milestones")
        );
    }
    let now = |t: &MilestoneTrend| {
        if t.reached {
            format!("reached {}", t.last)
        } else {
            format!("now {}", t.last)
        }
    };
    if l.reports == 1 {
        let mut sorted: Vec<&MilestoneTrend> = trends.iter().collect();
        sorted.sort_by(|a, b| a.last.cmp(&b.last).then_with(|| id(a).cmp(&id(b))));
        let mut parts: Vec<String> = sorted
            .iter()
            .take(SUMMARY_LIST)
            .map(|t| format!("{} {}", id(t), t.last))
            .collect();
        if sorted.len() > SUMMARY_LIST {
            parts.push(format!("{} more", sorted.len() - SUMMARY_LIST));
        }
        return format!(
            "One report so far, so no trend yet. Forecasts: {}.",
            and_list(&parts)
        );
    }

    let mut slipped: Vec<&MilestoneTrend> = trends.iter().filter(|t| t.drift > 0).collect();
    slipped.sort_by(|a, b| b.drift.cmp(&a.drift).then_with(|| id(a).cmp(&id(b))));
    let mut earlier: Vec<&MilestoneTrend> = trends.iter().filter(|t| t.drift < 0).collect();
    earlier.sort_by(|a, b| a.drift.cmp(&b.drift).then_with(|| id(a).cmp(&id(b))));
    let held: Vec<&MilestoneTrend> = trends.iter().filter(|t| t.drift == 0).collect();

    let mut clauses: Vec<String> = Vec::new();
    let over = format!(" over {} reports", l.reports);
    let mut first = true;
    for group in [&slipped, &earlier] {
        for t in group.iter().take(SUMMARY_LIST) {
            let span = if first { over.as_str() } else { "" };
            first = false;
            clauses.push(format!(
                "{} {}{span} ({})",
                id(t),
                drift_phrase(t.drift),
                now(t)
            ));
        }
        if group.len() > SUMMARY_LIST {
            let verb = if group[0].drift > 0 {
                "slipped"
            } else {
                "moved earlier"
            };
            clauses.push(format!("{} more {verb}", group.len() - SUMMARY_LIST));
        }
    }
    if !held.is_empty() {
        let mut names: Vec<String> = held
            .iter()
            .take(SUMMARY_LIST)
            .map(|t| {
                if t.reached {
                    format!("{} (reached)", id(t))
                } else {
                    id(t)
                }
            })
            .collect();
        if held.len() > SUMMARY_LIST {
            names.push(format!("{} more", held.len() - SUMMARY_LIST));
        }
        let verb = if held.len() == 1 {
            "held its date"
        } else {
            "held their dates"
        };
        let span = if first { over.as_str() } else { "" };
        clauses.push(format!("{} {verb}{span}", and_list(&names)));
    }
    let mut out = clauses.join("; ");
    out.push('.');
    if !l.hidden.is_empty() {
        out.push_str(&format!(
            " The chart draws the {} milestones with the largest slip against plan; {} more are listed under it.",
            l.lines.len(),
            l.hidden.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::model::ItemKind;
    use crate::site::Analyzed;

    /// A long line keeps its ends and the points around each change; a short
    /// one keeps every point.
    #[test]
    fn long_lines_keep_their_turning_points() {
        let day = |d: i8| jiff::civil::date(2027, 1, 1) + jiff::Span::new().days(i64::from(d));
        let point = |k: usize, f: i8| TrendPoint {
            report: day(0),
            forecast: day(f),
            x: k as f64,
            y: f64::from(f),
            reached: false,
            slip: i64::from(f),
        };
        // 40 reports: flat at 0, a slip to 5 at report 20, flat again.
        let pts: Vec<TrendPoint> = (0..40)
            .map(|k| point(k, if k < 20 { 0 } else { 5 }))
            .collect();
        let keep = turning_points(&pts);
        let kept: Vec<usize> = (0..40).filter(|&k| keep[k]).collect();
        assert_eq!(kept, [0, 19, 20, 39]);
        let short: Vec<TrendPoint> = (0..10).map(|k| point(k, 0)).collect();
        assert!(turning_points(&short).iter().all(|&k| k));
    }

    fn example() -> Analyzed {
        crate::testing::example()
    }

    fn renders(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("{e}: {svg}"))
    }

    #[test]
    fn example_chart_parses_renders_and_summarises() {
        let a = example();
        let c = trend_chart(&a.program, &a.reports, "../");
        let tree = renders(&c.svg);
        assert!(tree.size().width() > 0.0);
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some("100%"));
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute("viewBox"),
            Some(format!("0 0 {} {}", num(c.width), num(c.height)).as_str())
        );
        let kids: Vec<&str> = root
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(&kids[..2], ["title", "desc"]);
        // One polyline per milestone, one marker per report on each.
        let lines = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .count();
        assert_eq!(lines, 3);
        let markers = doc
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.starts_with("trend-marker"))
            })
            .filter(|n| {
                n.ancestors()
                    .all(|a| a.attribute("class") != Some("trend-legend"))
            })
            .count();
        assert_eq!(markers, 3 * a.reports.len());
        assert!(
            c.svg
                .contains(r#"href="../milestones/mobile-launch/index.html""#)
        );
        // No inline colours.
        for n in doc.descendants().filter(|n| n.is_element()) {
            for attr in ["fill", "stroke", "style"] {
                assert!(
                    n.attribute(attr).is_none_or(|v| v == "none"),
                    "{attr} on {:?}",
                    n.tag_name()
                );
            }
        }
        assert!(c.summary.contains("mobile-launch slipped"), "{}", c.summary);
        assert!(c.summary.contains("over 7 reports"), "{}", c.summary);
        assert_eq!(
            c,
            trend_chart(&a.program, &a.reports, "../"),
            "deterministic"
        );
    }

    #[test]
    fn mobile_launch_line_rises_across_reports() {
        let a = example();
        let c = trend_chart(&a.program, &a.reports, "");
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let line = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .find(|n| {
                n.children().any(|t| {
                    t.has_tag_name("title")
                        && t.text().is_some_and(|s| s.contains("(mobile-launch)"))
                })
            })
            .expect("mobile-launch line");
        let ys: Vec<f64> = line
            .attribute("points")
            .unwrap()
            .split(' ')
            .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
            .collect();
        assert_eq!(ys.len(), a.reports.len());
        assert!(
            ys.last().unwrap() < ys.first().unwrap(),
            "a later forecast is higher on the chart: {ys:?}"
        );
    }

    #[test]
    fn summaries_for_each_situation() {
        let a = example();
        let one = trend_chart(&a.program, &a.reports[..1], "");
        assert!(
            one.summary.starts_with("One report so far"),
            "{}",
            one.summary
        );
        renders(&one.svg);
        let none = trend_chart(&a.program, &[], "");
        assert!(
            none.summary.starts_with("No reports yet"),
            "{}",
            none.summary
        );
        renders(&none.svg);

        let mut program = a.program.clone();
        for it in &mut program.items {
            it.kind = ItemKind::Deliverable;
        }
        let c = trend_chart(&program, &a.reports, "");
        assert!(c.summary.starts_with("No milestones"), "{}", c.summary);
        renders(&c.svg);

        // Two reports where internal-beta keeps its date and mobile-launch slips.
        let mut snaps = a.reports[..2].to_vec();
        let ib = a.program.item_index("internal-beta").unwrap();
        let ml = a.program.item_index("mobile-launch").unwrap();
        snaps[1].items[ib].forecast_finish = snaps[0].items[ib].forecast_finish;
        snaps[1].items[ml].forecast_finish = jiff::civil::date(2027, 5, 26);
        snaps[0].items[ml].forecast_finish = jiff::civil::date(2027, 5, 12);
        let c = trend_chart(&a.program, &snaps, "");
        assert!(
            c.summary.starts_with(
                "mobile-launch slipped 10 working days over 2 reports (now 2027-05-26)"
            ),
            "{}",
            c.summary
        );
        assert!(
            c.summary.contains("internal-beta held its date"),
            "{}",
            c.summary
        );
    }

    #[test]
    fn hostile_strings_are_escaped() {
        let a = example();
        let mut program = a.program.clone();
        let m = program.item_index("mobile-launch").unwrap();
        let evil = r#"<b>"Q&A"</b> </text><script>alert(1)</script>"#;
        program.items[m].name = evil.to_string();
        program.items[m].id = r#"x"><script>&"#.to_string();
        let c = trend_chart(&program, &a.reports, r#"a"b&<"#);
        assert!(!c.svg.contains("<script"), "{}", c.svg);
        assert!(!c.svg.contains("<b>"));
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        assert!(
            doc.descendants()
                .all(|n| !n.has_tag_name("script") && !n.has_tag_name("b"))
        );
        let tips: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(
            tips.iter().any(|t| t.contains(evil)),
            "names survive as text"
        );
        assert!(
            doc.descendants()
                .any(|n| n.attribute("href") == Some(r#"a"b&<milestones/x"><script>&/index.html"#))
        );
        renders(&c.svg);
    }

    #[test]
    fn many_milestones_render_and_mention_the_rest() {
        let a = example();
        let mut program = a.program.clone();
        let mut snaps = a.reports.clone();
        let template = program.item_index("mobile-launch").unwrap();
        for k in 0..20 {
            let mut it = program.items[template].clone();
            it.id = format!("m-{k:02}");
            program.items.push(it);
            for s in &mut snaps {
                let mut row = s.items[template].clone();
                row.slip = k;
                s.items.push(row);
            }
        }
        let c = trend_chart(&program, &snaps, "");
        renders(&c.svg);
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name("polyline"))
                .count(),
            12
        );
        assert!(c.summary.contains("11 more are listed"), "{}", c.summary);
        assert!(c.svg.contains("+11 more milestones not drawn"));
    }

    #[test]
    fn markers_are_centred_on_their_point_and_about_their_size() {
        for k in 0..6 {
            let shape = MarkerShape::of_series(k);
            let d = marker_path(shape, 50.0, 40.0, 4.0);
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 80"><path d="{d}" stroke="black" fill="none"/></svg>"#
            );
            let b = renders(&svg).root().abs_bounding_box();
            let (cx, cy) = ((b.left() + b.right()) / 2.0, (b.top() + b.bottom()) / 2.0);
            assert!((cx - 50.0).abs() < 0.6, "{shape:?} {b:?}");
            assert!((cy - 40.0).abs() < 1.2, "{shape:?} {b:?}");
            assert!(b.width() >= 6.0 && b.width() <= 11.0, "{shape:?} {b:?}");
            assert!(b.height() >= 6.0 && b.height() <= 11.0, "{shape:?} {b:?}");
        }
    }
}
