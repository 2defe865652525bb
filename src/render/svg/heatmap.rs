//! The risk heat map: a 5×5 grid of probability (y, 5 at the top) by impact
//! (x), cells shaded by score band, and every risk that is not closed placed in
//! its cell as a link to its entry on the risks page. Closed risks are left
//! off the map (the summary and the legend say how many). Occurred risks stay
//! on it, marked with `*`.
//!
//! [`layout_heatmap`] computes the geometry (plain numbers, tested for
//! overlaps); [`heatmap_chart`] draws it. Score bands show as a CSS class
//! (`score-high`, `score-med`, `score-low`), as the score printed in every
//! cell, and in the legend, so colour is never the only cue.

use ::svg::Document;
use ::svg::node::Node;
use ::svg::node::Text as TextNode;
use ::svg::node::element::{Anchor as Link, Description, Element, Group, Rectangle, Title};

use crate::layout::text::{text_width, truncate_to_width};
use crate::layout::trend::{Anchor, Label, Rect};
use crate::model::{Risk, RiskStatus};
use crate::render::svg::{Chart, num};

pub use crate::analysis::register::RiskBand as Band;
/// Scores from this up are high (the analysis' one band rule).
pub const HIGH_MIN: u32 = Band::HIGH_MIN;
/// Scores from this up (below [`HIGH_MIN`]) are medium; below it, low.
pub const MEDIUM_MIN: u32 = Band::MEDIUM_MIN;

const ID_FONT: f64 = 12.0;
const SCORE_FONT: f64 = 10.0;
const AXIS_FONT: f64 = 12.0;
const PAD_X: f64 = 6.0;
/// Height of a cell's score row.
const SCORE_ROW: f64 = 16.0;
const LINE_H: f64 = 15.0;
const CELL_H: f64 = 82.0;
const CELL_W_MIN: f64 = 110.0;
const CELL_W_MAX: f64 = 180.0;
/// Horizontal gap between ids on one line.
const ID_GAP: f64 = 9.0;
const LEFT: f64 = 40.0;
const TOP: f64 = 26.0;
const RIGHT: f64 = 10.0;
/// Ids tried per cell before the rest go into "+N more".
const MAX_TRY: usize = 200;

/// The largest score a 5×5 grid can have below `limit` (12 below 15, 5 below 6).
pub fn max_score_below(limit: u32) -> u32 {
    (1..=5u32)
        .flat_map(|p| (1..=5u32).map(move |i| p * i))
        .filter(|&s| s < limit)
        .max()
        .unwrap_or(0)
}

/// The CSS class of a band: `score-high`, `score-med`, `score-low`.
pub fn band_class(b: Band) -> &'static str {
    match b {
        Band::High => "score-high",
        Band::Medium => "score-med",
        Band::Low => "score-low",
    }
}

/// Probability and impact clamped to the grid (1..=5), and their product.
pub fn grid_position(r: &Risk) -> (u8, u8, u32) {
    let p = r.probability.clamp(1, 5);
    let i = r.impact.clamp(1, 5);
    (p, i, u32::from(p) * u32::from(i))
}

/// A risk's id placed in its cell.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedRisk {
    /// Index into the risks the chart was given.
    pub risk: usize,
    pub label: Label,
}

/// The "+N more" label of a crowded cell, and the risks it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct More {
    pub label: Label,
    pub risks: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeatCell {
    pub probability: u8,
    pub impact: u8,
    pub score: u32,
    pub band: Band,
    pub rect: Rect,
    pub score_label: Label,
    /// In id order.
    pub risks: Vec<PlacedRisk>,
    pub more: Option<More>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// A swatch for a band; None for a text-only note.
    pub swatch: Option<(Band, Rect)>,
    pub label: Label,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapLayout {
    pub width: f64,
    pub height: f64,
    pub grid: Rect,
    /// 25 cells, top row (probability 5) first, impact 1 to 5 within a row.
    pub cells: Vec<HeatCell>,
    /// Impact 1..=5 under the grid.
    pub x_ticks: Vec<Label>,
    /// Probability 5..=1 left of the grid.
    pub y_ticks: Vec<Label>,
    pub x_title: Label,
    pub y_title: Label,
    pub legend: Vec<LegendItem>,
    /// Risks on the map (not closed), by index into the risks given.
    pub shown: Vec<usize>,
    /// Closed risks, left off the map.
    pub closed: Vec<usize>,
}

/// The text shown for a risk in its cell: its id, with `*` when it occurred.
fn risk_text(r: &Risk) -> String {
    if r.status == RiskStatus::Occurred {
        format!("{}*", r.id)
    } else {
        r.id.clone()
    }
}

/// Greedy line filling: the line and x offset of each width, and the line count.
fn flow(widths: &[f64], inner_w: f64) -> (Vec<(usize, f64)>, usize) {
    let mut out = Vec::with_capacity(widths.len());
    let (mut line, mut x) = (0usize, 0.0f64);
    for &w in widths {
        if x > 0.0 && x + w > inner_w + 1e-9 {
            line += 1;
            x = 0.0;
        }
        out.push((line, x));
        x += w + ID_GAP;
    }
    (out, if widths.is_empty() { 0 } else { line + 1 })
}

/// Places the ids of `risks` (index, text) in `cell`, with "+N more" when they
/// don't all fit.
fn place_in_cell(risks: &[(usize, String)], cell: Rect) -> (Vec<PlacedRisk>, Option<More>) {
    let inner_w = (cell.right - cell.left) - 2.0 * PAD_X;
    let max_lines = (((cell.bottom - cell.top) - SCORE_ROW - 4.0) / LINE_H)
        .floor()
        .max(1.0) as usize;
    let texts: Vec<String> = risks
        .iter()
        .map(|(_, t)| truncate_to_width(t, ID_FONT, inner_w))
        .collect();
    let widths: Vec<f64> = texts.iter().map(|t| text_width(t, ID_FONT)).collect();
    let baseline =
        |line: usize| cell.top + SCORE_ROW + (line as f64) * LINE_H + ID_FONT * 0.8 + 1.0;
    let label = |pos: (usize, f64), text: String| {
        Label::new(
            cell.left + PAD_X + pos.1,
            baseline(pos.0),
            text,
            Anchor::Start,
            ID_FONT,
        )
    };

    let (pos, lines) = flow(&widths, inner_w);
    if lines <= max_lines {
        let placed = risks
            .iter()
            .zip(texts)
            .zip(pos)
            .map(|(((r, _), t), p)| PlacedRisk {
                risk: *r,
                label: label(p, t),
            })
            .collect();
        return (placed, None);
    }
    let n = risks.len();
    for k in (0..n.min(MAX_TRY)).rev() {
        let more_text = format!("+{} more", n - k);
        let mut ws = widths[..k].to_vec();
        ws.push(text_width(&more_text, ID_FONT));
        let (pos, lines) = flow(&ws, inner_w);
        if lines <= max_lines || k == 0 {
            let placed = risks[..k]
                .iter()
                .zip(texts[..k].iter().cloned())
                .zip(pos.iter().copied())
                .map(|(((r, _), t), p)| PlacedRisk {
                    risk: *r,
                    label: label(p, t),
                })
                .collect();
            let more = More {
                label: label(pos[k], more_text),
                risks: risks[k..].iter().map(|(r, _)| *r).collect(),
            };
            return (placed, Some(more));
        }
    }
    (Vec::new(), None)
}

/// The heat map's geometry.
pub fn layout_heatmap(risks: &[Risk]) -> HeatmapLayout {
    let shown: Vec<usize> = (0..risks.len())
        .filter(|&i| risks[i].status != RiskStatus::Closed)
        .collect();
    let closed: Vec<usize> = (0..risks.len())
        .filter(|&i| risks[i].status == RiskStatus::Closed)
        .collect();
    let widest = shown
        .iter()
        .map(|&i| text_width(&risk_text(&risks[i]), ID_FONT))
        .fold(0.0, f64::max);
    let cell_w = (widest + 2.0 * PAD_X + 1.0).clamp(CELL_W_MIN, CELL_W_MAX);
    let grid = Rect {
        left: LEFT,
        top: TOP,
        right: LEFT + 5.0 * cell_w,
        bottom: TOP + 5.0 * CELL_H,
    };
    let width = grid.right + RIGHT;

    let mut cells = Vec::with_capacity(25);
    for row in 0..5u8 {
        let probability = 5 - row;
        for col in 0..5u8 {
            let impact = col + 1;
            let score = u32::from(probability) * u32::from(impact);
            let rect = Rect {
                left: grid.left + f64::from(col) * cell_w,
                top: grid.top + f64::from(row) * CELL_H,
                right: grid.left + f64::from(col + 1) * cell_w,
                bottom: grid.top + f64::from(row + 1) * CELL_H,
            };
            let mut here: Vec<(usize, String)> = shown
                .iter()
                .filter(|&&i| {
                    let (p, im, _) = grid_position(&risks[i]);
                    p == probability && im == impact
                })
                .map(|&i| (i, risk_text(&risks[i])))
                .collect();
            here.sort_by(|a, b| risks[a.0].id.cmp(&risks[b.0].id).then(a.0.cmp(&b.0)));
            let (risks, more) = place_in_cell(&here, rect);
            cells.push(HeatCell {
                probability,
                impact,
                score,
                band: Band::of(score),
                rect,
                score_label: Label::new(
                    rect.left + PAD_X,
                    rect.top + SCORE_FONT + 2.0,
                    score.to_string(),
                    Anchor::Start,
                    SCORE_FONT,
                ),
                risks,
                more,
            });
        }
    }

    let x_ticks = (1..=5u8)
        .map(|i| {
            let x = grid.left + (f64::from(i) - 0.5) * cell_w;
            Label::new(
                x,
                grid.bottom + 16.0,
                i.to_string(),
                Anchor::Middle,
                AXIS_FONT,
            )
        })
        .collect();
    let y_ticks = (0..5u8)
        .map(|row| {
            let y = grid.top + (f64::from(row) + 0.5) * CELL_H + AXIS_FONT * 0.35;
            Label::new(
                grid.left - 10.0,
                y,
                (5 - row).to_string(),
                Anchor::End,
                AXIS_FONT,
            )
        })
        .collect();
    let x_title = Label::new(
        (grid.left + grid.right) / 2.0,
        grid.bottom + 34.0,
        "Impact (1 low – 5 severe) →",
        Anchor::Middle,
        AXIS_FONT,
    );
    let y_title = Label::new(
        4.0,
        grid.top - 10.0,
        "↑ Probability (1 rare – 5 almost certain)",
        Anchor::Start,
        AXIS_FONT,
    );

    // Legend: the three bands, then notes, flowing left to right.
    let mut legend = Vec::new();
    let mut x = 8.0;
    let mut y = grid.bottom + 60.0;
    let mut push = |swatch: Option<Band>, text: String, legend: &mut Vec<LegendItem>| {
        let text = truncate_to_width(&text, AXIS_FONT, width - 40.0);
        let sw = if swatch.is_some() { 20.0 } else { 0.0 };
        let w = sw + text_width(&text, AXIS_FONT) + 18.0;
        if x > 8.0 && x + w > width - 8.0 {
            x = 8.0;
            y += 20.0;
        }
        let swatch = swatch.map(|b| {
            (
                b,
                Rect {
                    left: x,
                    top: y - 11.0,
                    right: x + 14.0,
                    bottom: y + 3.0,
                },
            )
        });
        legend.push(LegendItem {
            swatch,
            label: Label::new(x + sw, y, text, Anchor::Start, AXIS_FONT),
        });
        x += w;
    };
    push(
        Some(Band::High),
        format!("High: score {HIGH_MIN}–25"),
        &mut legend,
    );
    push(
        Some(Band::Medium),
        format!("Medium: {MEDIUM_MIN}–{}", max_score_below(HIGH_MIN)),
        &mut legend,
    );
    push(
        Some(Band::Low),
        format!("Low: 1–{}", max_score_below(MEDIUM_MIN)),
        &mut legend,
    );
    if shown
        .iter()
        .any(|&i| risks[i].status == RiskStatus::Occurred)
    {
        push(None, "* occurred (now an issue)".to_string(), &mut legend);
    }
    if !closed.is_empty() {
        let n = closed.len();
        let text = if n == 1 {
            "1 closed risk not shown".to_string()
        } else {
            format!("{n} closed risks not shown")
        };
        push(None, text, &mut legend);
    }
    if shown.is_empty() {
        push(None, "No open risks".to_string(), &mut legend);
    }

    HeatmapLayout {
        width,
        height: y + 12.0,
        grid,
        cells,
        x_ticks,
        y_ticks,
        x_title,
        y_title,
        legend,
        shown,
        closed,
    }
}

fn text(label: &Label, class: &str) -> Element {
    let mut e = Element::new("text");
    e.assign("x", num(label.x));
    e.assign("y", num(label.y));
    e.assign("font-size", num(label.font_size));
    e.assign("text-anchor", label.anchor.as_str());
    e.assign("class", class);
    e.append(TextNode::new(label.text.clone()));
    e
}

fn rect(r: &Rect, class: &str) -> Rectangle {
    Rectangle::new()
        .set("x", num(r.left))
        .set("y", num(r.top))
        .set("width", num(r.right - r.left))
        .set("height", num(r.bottom - r.top))
        .set("class", class)
}

fn status_word(s: RiskStatus) -> &'static str {
    match s {
        RiskStatus::Open => "open",
        RiskStatus::Mitigating => "mitigating",
        RiskStatus::Closed => "closed",
        RiskStatus::Occurred => "occurred",
    }
}

fn risk_tip(r: &Risk) -> String {
    let (p, i, s) = grid_position(r);
    format!(
        "{}: {}\nProbability {p} × impact {i} = score {s} ({}); {}",
        r.id,
        r.title,
        Band::of(s).as_str(),
        status_word(r.status)
    )
}

/// The risk heat map. Risk ids link to `{link_prefix}risks/index.html#risk-<id>`.
pub fn heatmap_chart(risks: &[Risk], link_prefix: &str) -> Chart {
    let l = layout_heatmap(risks);
    let summary = heatmap_summary(risks, &l);
    let risks_page = format!("{link_prefix}risks/index.html");
    let mut doc = Document::new()
        .set("viewBox", format!("0 0 {} {}", num(l.width), num(l.height)))
        .set("width", "100%")
        .set("role", "img")
        .set("class", "heatmap")
        .add(Title::new("Risk heat map: probability by impact"))
        .add(Description::new().add(TextNode::new(summary.clone())));

    let mut grid = Group::new().set("class", "heatmap-grid");
    for c in &l.cells {
        let mut g = Group::new();
        let mut class = format!("heatmap-cell {}", band_class(c.band));
        if c.risks.is_empty() && c.more.is_none() {
            class.push_str(" heatmap-cell-empty");
        }
        let count = c.risks.len() + c.more.as_ref().map_or(0, |m| m.risks.len());
        let tip = format!(
            "Probability {} × impact {} = score {} ({}): {}",
            c.probability,
            c.impact,
            c.score,
            c.band.as_str(),
            match count {
                0 => "no risks".to_string(),
                1 => "1 risk".to_string(),
                n => format!("{n} risks"),
            }
        );
        g.append(
            rect(&c.rect, &class)
                .set("fill", "none")
                .add(Title::new(tip)),
        );
        g.append(text(
            &c.score_label,
            &format!("heatmap-score {}", band_class(c.band)),
        ));
        for pr in &c.risks {
            let r = &risks[pr.risk];
            let mut class = "heatmap-risk".to_string();
            if r.status == RiskStatus::Occurred {
                class.push_str(" heatmap-risk-occurred");
            }
            let mut t = text(&pr.label, &class);
            t.append(Title::new(risk_tip(r)));
            g.append(
                Link::new()
                    .set("href", format!("{risks_page}#risk-{}", r.id))
                    .add(t),
            );
        }
        if let Some(m) = &c.more {
            let ids: Vec<&str> = m
                .risks
                .iter()
                .take(20)
                .map(|&i| risks[i].id.as_str())
                .collect();
            let rest = if m.risks.len() > 20 {
                format!(" and {} more", m.risks.len() - 20)
            } else {
                String::new()
            };
            let mut t = text(&m.label, "heatmap-more");
            t.append(Title::new(format!("Also here: {}{rest}", ids.join(", "))));
            g.append(Link::new().set("href", risks_page.clone()).add(t));
        }
        grid.append(g);
    }
    doc.append(grid);

    let mut axes = Group::new().set("class", "heatmap-axis");
    for t in l.x_ticks.iter().chain(&l.y_ticks) {
        axes.append(text(t, "heatmap-tick"));
    }
    axes.append(text(&l.x_title, "heatmap-axis-title"));
    axes.append(text(&l.y_title, "heatmap-axis-title"));
    doc.append(axes);

    let mut legend = Group::new().set("class", "heatmap-legend");
    for item in &l.legend {
        if let Some((band, r)) = &item.swatch {
            legend.append(
                rect(r, &format!("heatmap-cell {}", band_class(*band))).set("fill", "none"),
            );
        }
        legend.append(text(&item.label, "heatmap-legend-label"));
    }
    doc.append(legend);

    Chart {
        svg: super::xml_chars(doc.to_string()),
        summary,
        width: l.width,
        height: l.height,
    }
}

/// The heat map in words, e.g. "7 risks on the map: 1 high (score ≥ 15), 6
/// medium (6–12), none low; highest: schema-migration-overrun (15, occurred).
/// 1 closed risk not shown."
pub fn heatmap_summary(risks: &[Risk], l: &HeatmapLayout) -> String {
    let closed = match l.closed.len() {
        0 => String::new(),
        1 => " 1 closed risk not shown.".to_string(),
        n => format!(" {n} closed risks not shown."),
    };
    if l.shown.is_empty() {
        let head = if risks.is_empty() {
            "No risks recorded."
        } else {
            "No open risks."
        };
        return format!("{head}{closed}");
    }
    let score = |i: usize| grid_position(&risks[i]).2;
    let count = |b: Band| l.shown.iter().filter(|&&i| Band::of(score(i)) == b).count();
    let n = l.shown.len();
    let num_or_none = |k: usize| {
        if k == 0 {
            "none".to_string()
        } else {
            k.to_string()
        }
    };
    let top = l.shown.iter().map(|&i| score(i)).max().unwrap_or(0);
    let mut best: Vec<usize> = l
        .shown
        .iter()
        .copied()
        .filter(|&i| score(i) == top)
        .collect();
    best.sort_by(|&a, &b| risks[a].id.cmp(&risks[b].id));
    let occurred = |i: usize| risks[i].status == RiskStatus::Occurred;
    let highest = match best.as_slice() {
        [one] => format!(
            "{} ({top}{})",
            risks[*one].id,
            if occurred(*one) { ", occurred" } else { "" }
        ),
        _ => {
            let mut names: Vec<String> = best
                .iter()
                .take(3)
                .map(|&i| {
                    let id = &risks[i].id;
                    if occurred(i) {
                        format!("{id} (occurred)")
                    } else {
                        id.clone()
                    }
                })
                .collect();
            if best.len() > 3 {
                names.push(format!("{} more", best.len() - 3));
            }
            let (last, init) = names
                .split_last()
                .map(|(l, i)| (l.clone(), i.join(", ")))
                .unwrap_or_default();
            format!("{init} and {last} ({top})")
        }
    };
    format!(
        "{n} risk{} on the map: {} high (score ≥ {HIGH_MIN}), {} medium ({MEDIUM_MIN}–{}), {} low; highest: {highest}.{closed}",
        if n == 1 { "" } else { "s" },
        num_or_none(count(Band::High)),
        num_or_none(count(Band::Medium)),
        max_score_below(HIGH_MIN),
        num_or_none(count(Band::Low)),
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::site::Analyzed;

    /// The register after every report of the example.
    fn now(a: &Analyzed) -> Vec<Risk> {
        crate::analysis::register::register_as_of(
            &a.program,
            a.program.reports.len(),
            a.current.as_of,
        )
    }

    fn example() -> Analyzed {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        crate::site::analyze_dir(
            dir.as_path(),
            None,
            false,
            &mut crate::diagnostics::Diagnostics::new(),
        )
        .expect("load")
        .expect("example program analyzes")
    }

    fn renders(svg: &str) {
        usvg::Tree::from_str(svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("{e}: {svg}"));
    }

    /// Every label of the layout, inside the chart and overlapping none other;
    /// ids and "+N more" inside their cells.
    fn assert_clean(l: &HeatmapLayout) {
        let frame = Rect {
            left: 0.0,
            top: 0.0,
            right: l.width,
            bottom: l.height,
        };
        let mut labels: Vec<&Label> = Vec::new();
        for c in &l.cells {
            let mut in_cell: Vec<&Label> = vec![&c.score_label];
            in_cell.extend(c.risks.iter().map(|r| &r.label));
            in_cell.extend(c.more.iter().map(|m| &m.label));
            for lab in &in_cell {
                assert!(c.rect.contains(&lab.bbox()), "{lab:?} outside {:?}", c.rect);
            }
            labels.extend(in_cell);
        }
        labels.extend(l.x_ticks.iter().chain(&l.y_ticks));
        labels.push(&l.x_title);
        labels.push(&l.y_title);
        labels.extend(l.legend.iter().map(|i| &i.label));
        for (i, a) in labels.iter().enumerate() {
            assert!(frame.contains(&a.bbox()), "{a:?} outside {frame:?}");
            for b in &labels[i + 1..] {
                assert!(!a.bbox().overlaps(&b.bbox()), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn example_places_risks_in_their_cells() {
        let a = example();
        let l = layout_heatmap(&now(&a));
        assert_eq!(l.cells.len(), 25);
        // Probability 5 on the top row, impact 1 in the left column.
        assert_eq!((l.cells[0].probability, l.cells[0].impact), (5, 1));
        assert_eq!((l.cells[24].probability, l.cells[24].impact), (1, 5));
        assert!(
            l.cells[0].rect.top < l.cells[24].rect.top
                && l.cells[0].rect.left < l.cells[24].rect.left
        );
        for c in &l.cells {
            assert_eq!(c.score, u32::from(c.probability) * u32::from(c.impact));
            for pr in &c.risks {
                let r = &now(&a)[pr.risk];
                assert_eq!(
                    (r.probability, r.impact),
                    (c.probability, c.impact),
                    "{}",
                    r.id
                );
            }
        }
        // Two risks share probability 3 × impact 4 (app-store-review-delay) … and 4 × 3.
        let cell = |p: u8, i: u8| {
            l.cells
                .iter()
                .find(|c| c.probability == p && c.impact == i)
                .unwrap()
        };
        let ids = |c: &HeatCell| -> Vec<String> {
            c.risks.iter().map(|r| now(&a)[r.risk].id.clone()).collect()
        };
        assert_eq!(ids(cell(3, 4)), ["app-store-review-delay"]);
        assert_eq!(
            ids(cell(4, 3)),
            ["legacy-client-long-tail"],
            "the closed HSM risk is left off"
        );
        assert_eq!(ids(cell(2, 4)), ["contract-churn", "pen-test-findings"]);
        assert_eq!(cell(3, 5).risks[0].label.text, "schema-migration-overrun*");
        assert_eq!(l.closed.len(), 1);
        assert_eq!(l.shown.len(), a.program.risks.len() - 1);
        assert_clean(&l);
    }

    #[test]
    fn example_chart_parses_renders_and_links() {
        let a = example();
        let c = heatmap_chart(&now(&a), "../");
        renders(&c.svg);
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("100%"));
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").is_some());
        let kids: Vec<&str> = root
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(&kids[..2], ["title", "desc"]);
        let hrefs: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert!(hrefs.contains(&"../risks/index.html#risk-contract-churn"));
        assert!(!hrefs.iter().any(|h| h.contains("hsm-provisioning-delay")));
        assert_eq!(hrefs.len(), 7);
        let cells = doc
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.contains("heatmap-cell score-high"))
            })
            .count();
        assert!(cells >= 4, "high cells plus the legend swatch");
        for n in doc.descendants().filter(|n| n.is_element()) {
            for attr in ["stroke", "style"] {
                assert!(n.attribute(attr).is_none(), "no inline colours");
            }
            assert!(n.attribute("fill").is_none_or(|v| v == "none"));
        }
        let tips: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(tips.iter().any(
            |t| t.starts_with("contract-churn: Auth API contract changes")
                && t.contains("score 8 (medium)")
        ));
        assert_eq!(
            c.summary,
            "7 risks on the map: 1 high (score ≥ 15), 6 medium (6–12), none low; \
             highest: schema-migration-overrun (15, occurred). 1 closed risk not shown."
        );
        assert_eq!(c, heatmap_chart(&now(&a), "../"), "deterministic");
    }

    #[test]
    fn crowded_cells_wrap_then_say_how_many_more() {
        let a = example();
        let mut program = a.program.clone();
        let template = program.risks[0].clone();
        program.risks.clear();
        for k in 0..40 {
            let mut r = template.clone();
            r.id = format!("risk-{k:02}");
            r.status = RiskStatus::Open;
            (r.probability, r.impact) = (5, 5);
            program.risks.push(r);
        }
        // Five short ids share another cell: they wrap onto several lines.
        for k in 0..5 {
            let mut r = template.clone();
            r.id = format!("wrap-{k}-with-a-longer-name");
            (r.probability, r.impact) = (1, 1);
            program.risks.push(r);
        }
        // Short ids share a line.
        for id in ["r1", "r2", "r3"] {
            let mut r = template.clone();
            r.id = id.to_string();
            (r.probability, r.impact) = (2, 2);
            program.risks.push(r);
        }
        let l = layout_heatmap(&program.risks);
        assert_clean(&l);
        let short = l
            .cells
            .iter()
            .find(|c| c.probability == 2 && c.impact == 2)
            .unwrap();
        assert_eq!(short.risks.len(), 3);
        assert!(short.risks.windows(2).all(|w| w[0].label.y == w[1].label.y
            && w[0].label.bbox().right + ID_GAP <= w[1].label.bbox().left + 1e-9));
        let full = l
            .cells
            .iter()
            .find(|c| c.probability == 5 && c.impact == 5)
            .unwrap();
        let more = full.more.as_ref().expect("+N more");
        assert_eq!(full.risks.len() + more.risks.len(), 40);
        assert_eq!(more.label.text, format!("+{} more", more.risks.len()));
        let wrapped = l
            .cells
            .iter()
            .find(|c| c.probability == 1 && c.impact == 1)
            .unwrap();
        let lines: std::collections::BTreeSet<i64> =
            wrapped.risks.iter().map(|r| r.label.y as i64).collect();
        assert!(lines.len() > 1 || wrapped.more.is_some());
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert!(
            c.summary.starts_with("48 risks on the map: 40 high"),
            "{}",
            c.summary
        );
        assert!(
            c.summary
                .contains("highest: risk-00, risk-01, risk-02 and 37 more (25)"),
            "{}",
            c.summary
        );
    }

    #[test]
    fn no_risks_and_all_closed() {
        let a = example();
        let mut program = a.program.clone();
        program.risks.clear();
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert_eq!(c.summary, "No risks recorded.");
        assert_clean(&layout_heatmap(&program.risks));

        let mut program = a.program.clone();
        for r in &mut program.risks {
            r.status = RiskStatus::Closed;
        }
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert_eq!(c.summary, "No open risks. 8 closed risks not shown.");
        assert!(!c.svg.contains("#risk-"));
    }

    #[test]
    fn out_of_range_values_and_long_ids_do_not_panic() {
        let a = example();
        let mut program = a.program.clone();
        program.risks[0].probability = 0;
        program.risks[0].impact = 255;
        program.risks[1].probability = 255;
        program.risks[1].impact = 255;
        program.risks[2].id = "x".repeat(500);
        program.risks[2].status = RiskStatus::Open;
        let l = layout_heatmap(&program.risks);
        assert_clean(&l);
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert!(c.summary.contains("(25)"), "{}", c.summary);
    }

    #[test]
    fn hostile_strings_are_escaped() {
        let a = example();
        let mut program = a.program.clone();
        let evil = r#"<b>"Q&A"</b> </text><script>alert(1)</script>"#;
        program.risks[0].title = evil.to_string();
        program.risks[0].id = r#"</text><script>&"'"#.to_string();
        (program.risks[0].probability, program.risks[0].impact) = (5, 5);
        let c = heatmap_chart(&program.risks, r#"x"&<"#);
        assert!(
            !c.svg.contains("<script") && !c.svg.contains("<b>"),
            "{}",
            c.svg
        );
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        assert!(
            doc.descendants()
                .all(|n| !n.has_tag_name("script") && !n.has_tag_name("b"))
        );
        assert!(
            doc.descendants()
                .filter(|n| n.has_tag_name("title"))
                .any(|n| n.text().is_some_and(|t| t.contains(evil)))
        );
        assert!(doc.descendants().any(
            |n| n.attribute("href") == Some(r#"x"&<risks/index.html#risk-</text><script>&"'"#)
        ));
        assert!(
            c.summary.contains("</text><script>"),
            "the summary is plain text; HTML escapes it"
        );
        renders(&c.svg);
    }

    #[test]
    fn bands() {
        assert_eq!(Band::of(25), Band::High);
        assert_eq!(Band::of(15), Band::High);
        assert_eq!(Band::of(12), Band::Medium);
        assert_eq!(Band::of(6), Band::Medium);
        assert_eq!(Band::of(5), Band::Low);
        assert_eq!(Band::of(1), Band::Low);
    }
}
