//! Risk heat map geometry: a 5×5 grid of probability (y, 5 at the top) by
//! impact (x), as plain numbers and the label strings being measured. Every
//! cell's rectangle and score label; the id of every risk that is not closed
//! placed in its cell (in id order, wrapping onto lines, and "+N more" when
//! the cell is full); the axis ticks and titles; and the legend (the three
//! bands, then notes), flowing left to right. Closed risks are left off the
//! map ([`HeatmapLayout::closed`] says which); occurred risks stay on it,
//! their id marked with `*`.
//!
//! A score's band is the analysis' one rule ([`Band`], that is
//! [`crate::analysis::register::RiskBand`]); this module only places it. It
//! must not draw: no SVG, no CSS classes, links or tooltips (that is
//! `render::svg::heatmap`), and no summary in words.

use crate::layout::geom::{Anchor, Label, Rect};
use crate::layout::text::{text_width, truncate_to_width};
use crate::model::{Risk, RiskStatus};

/// A score's band (the analysis' one rule).
pub use crate::analysis::register::RiskBand as Band;
/// Scores from this up are high (the analysis' one band rule).
pub const HIGH_MIN: u32 = Band::HIGH_MIN;
/// Scores from this up (below [`HIGH_MIN`]) are medium; below it, low.
pub const MEDIUM_MIN: u32 = Band::MEDIUM_MIN;

const ID_FONT: f64 = 12.0;
const SCORE_FONT: f64 = 10.0;
/// The smallest text on the map (for the page's readable width).
pub const MIN_FONT: f64 = SCORE_FONT;
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
    let inner_w = cell.width() - 2.0 * PAD_X;
    let max_lines = ((cell.height() - SCORE_ROW - 4.0) / LINE_H)
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
        Label::anchored(
            text,
            cell.left + PAD_X + pos.1,
            baseline(pos.0),
            ID_FONT,
            Anchor::Start,
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
                score_label: Label::anchored(
                    score.to_string(),
                    rect.left + PAD_X,
                    rect.top + SCORE_FONT + 2.0,
                    SCORE_FONT,
                    Anchor::Start,
                ),
                risks,
                more,
            });
        }
    }

    let x_ticks = (1..=5u8)
        .map(|i| {
            let x = grid.left + (f64::from(i) - 0.5) * cell_w;
            Label::anchored(
                i.to_string(),
                x,
                grid.bottom + 16.0,
                AXIS_FONT,
                Anchor::Middle,
            )
        })
        .collect();
    let y_ticks = (0..5u8)
        .map(|row| {
            let y = grid.top + (f64::from(row) + 0.5) * CELL_H + AXIS_FONT * 0.35;
            Label::anchored(
                (5 - row).to_string(),
                grid.left - 10.0,
                y,
                AXIS_FONT,
                Anchor::End,
            )
        })
        .collect();
    let x_title = Label::anchored(
        "Impact (1 low – 5 severe) →",
        (grid.left + grid.right) / 2.0,
        grid.bottom + 34.0,
        AXIS_FONT,
        Anchor::Middle,
    );
    let y_title = Label::anchored(
        "↑ Probability (1 rare – 5 almost certain)",
        4.0,
        grid.top - 10.0,
        AXIS_FONT,
        Anchor::Start,
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
            label: Label::anchored(text, x + sw, y, AXIS_FONT, Anchor::Start),
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
#[cfg(test)]
pub(crate) mod tests {

    use super::*;
    use crate::site::Analyzed;

    /// The register after every report of the example.
    pub(crate) fn now(a: &Analyzed) -> Vec<Risk> {
        crate::analysis::register::register_as_of(
            &a.program,
            a.program.reports.len(),
            a.current.as_of,
        )
    }

    pub(crate) fn example() -> Analyzed {
        crate::testing::example()
    }

    /// Every label of the layout, inside the chart and overlapping none other;
    /// ids and "+N more" inside their cells.
    pub(crate) fn assert_clean(l: &HeatmapLayout) {
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

    /// 40 risks in one cell, five longer ids in another (they wrap), three
    /// short ones in a third (they share a line).
    pub(crate) fn crowded(a: &Analyzed) -> Vec<Risk> {
        let template = a.program.risks[0].clone();
        let mut risks = Vec::new();
        for k in 0..40 {
            let mut r = template.clone();
            r.id = format!("risk-{k:02}");
            r.status = RiskStatus::Open;
            (r.probability, r.impact) = (5, 5);
            risks.push(r);
        }
        // Five short ids share another cell: they wrap onto several lines.
        for k in 0..5 {
            let mut r = template.clone();
            r.id = format!("wrap-{k}-with-a-longer-name");
            (r.probability, r.impact) = (1, 1);
            risks.push(r);
        }
        // Short ids share a line.
        for id in ["r1", "r2", "r3"] {
            let mut r = template.clone();
            r.id = id.to_string();
            (r.probability, r.impact) = (2, 2);
            risks.push(r);
        }
        risks
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
    fn crowded_cells_wrap_then_say_how_many_more() {
        let l = layout_heatmap(&crowded(&example()));
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
    }

    #[test]
    fn out_of_range_values_and_long_ids_stay_in_the_grid() {
        let mut risks = example().program.risks;
        risks[0].probability = 0;
        risks[0].impact = 255;
        risks[1].probability = 255;
        risks[1].impact = 255;
        risks[2].id = "x".repeat(500);
        risks[2].status = RiskStatus::Open;
        assert_eq!(grid_position(&risks[0]), (1, 5, 5));
        assert_eq!(grid_position(&risks[1]), (5, 5, 25));
        assert_clean(&layout_heatmap(&risks));
    }

    #[test]
    fn legend_names_the_band_ranges() {
        let l = layout_heatmap(&[]);
        let texts: Vec<&str> = l.legend.iter().map(|i| i.label.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "High: score 15–25",
                "Medium: 6–12",
                "Low: 1–5",
                "No open risks"
            ]
        );
        assert_eq!(max_score_below(HIGH_MIN), 12);
        assert_eq!(max_score_below(MEDIUM_MIN), 5);
        assert_clean(&l);
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
