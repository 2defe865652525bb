//! Milestone trend analysis (MTA) geometry: report date on x, each milestone's
//! forecast date on y, one line per milestone, and the diagonal where
//! "forecast = report date" (a point on or below it means the milestone is
//! reached). Plain numbers only; `render::svg::trend` draws them.
//!
//! The y range fits the forecasts drawn (it starts at the earliest one, not
//! at the first report date) and reaches up to the last report date, so the
//! diagonal shows where it crosses the data; it is clipped to the plot. Both
//! ranges widen when they are degenerate (no report, one report, one date).
//! At most [`MAX_LINES`] milestones are drawn, chosen by their latest slip; the
//! others are listed in a note under the legend.

use jiff::civil::Date;

use crate::analysis::Snapshot;
use crate::layout::geom::{Anchor, Label, Point, Rect};
use crate::layout::text::{text_width, truncate_to_width, unique_truncations};
use crate::model::calendar::{date_of_day, day_number};
use crate::model::{ItemIx, ItemKind, Program};

/// The most milestone lines drawn in one chart.
pub const MAX_LINES: usize = 12;
/// Font size of tick labels and end labels.
pub const TICK_FONT: f64 = 11.0;
/// Font size of the legend, the axis titles and notes.
pub const LEGEND_FONT: f64 = 12.0;
/// Width used when the caller's width is not a usable number.
pub const DEFAULT_WIDTH: f64 = 720.0;

const PLOT_TOP: f64 = 30.0;
const PLOT_HEIGHT: f64 = 300.0;
/// Inner padding between the plot frame and the data range.
const PAD: f64 = 12.0;
/// Minimum vertical distance between y tick labels.
const Y_TICK_GAP: f64 = 22.0;
/// Minimum horizontal gap between x tick labels.
const X_LABEL_GAP: f64 = 8.0;
/// Vertical distance between stacked end labels.
const END_LABEL_STEP: f64 = 13.0;
const END_LABEL_MAX: f64 = 150.0;
const LEGEND_ROW: f64 = 20.0;
/// Calendar days added on each side of a degenerate (zero-length) range.
const DEGENERATE_PAD_DAYS: i64 = 7;

/// A linear map from day numbers to pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Day numbers (see [`day_number`]) of the domain ends.
    pub d0: f64,
    pub d1: f64,
    /// Pixel positions of the domain ends.
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    pub fn at_day(&self, day: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < 1e-9 {
            (self.p0 + self.p1) / 2.0
        } else {
            self.p0 + (day - self.d0) / span * (self.p1 - self.p0)
        }
    }
    pub fn at(&self, d: Date) -> f64 {
        self.at_day(day_number(d) as f64)
    }
}

/// One tick of an axis: `pos` is x (x axis) or y (y axis).
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub date: Date,
    pub pos: f64,
    pub label: Label,
}

/// The shape of a line's point markers, so lines differ by more than colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerShape {
    Circle,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Cross,
}

impl MarkerShape {
    const ALL: [MarkerShape; 6] = [
        MarkerShape::Circle,
        MarkerShape::Square,
        MarkerShape::Diamond,
        MarkerShape::TriangleUp,
        MarkerShape::TriangleDown,
        MarkerShape::Cross,
    ];
    /// The shape of series `k`.
    pub fn of_series(k: usize) -> MarkerShape {
        MarkerShape::ALL[k % MarkerShape::ALL.len()]
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerShape::Circle => "circle",
            MarkerShape::Square => "square",
            MarkerShape::Diamond => "diamond",
            MarkerShape::TriangleUp => "triangle-up",
            MarkerShape::TriangleDown => "triangle-down",
            MarkerShape::Cross => "cross",
        }
    }
}

/// One report's forecast for one milestone.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendPoint {
    pub report: Date,
    pub forecast: Date,
    pub x: f64,
    pub y: f64,
    /// The forecast is on or before the report date (on or below the diagonal).
    pub reached: bool,
    /// Working days the forecast is later than the plan (as of that report).
    pub slip: i64,
}

/// One milestone's line.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendLine {
    pub item: ItemIx,
    /// Style index (0-based, < [`MAX_LINES`]): colour class, dash and marker.
    pub series: usize,
    pub shape: MarkerShape,
    /// One per report, in date order.
    pub points: Vec<TrendPoint>,
    /// The milestone id, right of the last point.
    pub end_label: Label,
    /// From the last point to the end label, when the label had to move away.
    pub leader: Option<(Point, Point)>,
    /// Working days between the first and the last report's forecasts.
    pub drift: i64,
}

/// What a legend entry stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendKey {
    Diagonal,
    Series(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub key: LegendKey,
    /// The sample line runs from `sample.0` to `sample.1`; its marker sits in the middle.
    pub sample: (Point, Point),
    pub label: Label,
    /// For a series, the milestone.
    pub item: Option<ItemIx>,
}

/// The whole milestone trend chart.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendLayout {
    pub width: f64,
    pub height: f64,
    /// The plot frame.
    pub plot: Rect,
    pub x_scale: Scale,
    pub y_scale: Scale,
    pub x_domain: (Date, Date),
    pub y_domain: (Date, Date),
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    pub x_title: Label,
    pub y_title: Label,
    /// Forecast = report date, across the x domain.
    pub diagonal: (Point, Point),
    /// Drawn lines, in series order (latest forecast first, then id).
    pub lines: Vec<TrendLine>,
    pub legend: Vec<LegendEntry>,
    /// Milestones not drawn (beyond [`MAX_LINES`]), largest latest slip first.
    pub hidden: Vec<ItemIx>,
    /// A note under the legend (the milestones not drawn), if any.
    pub note: Option<Label>,
    /// A message in the plot when there is nothing to draw.
    pub empty_message: Option<Label>,
    /// Reports (snapshots) used.
    pub reports: usize,
    /// Milestones in the program.
    pub milestones: usize,
}

impl TrendLayout {
    pub fn x_of(&self, d: Date) -> f64 {
        self.x_scale.at(d)
    }
    pub fn y_of(&self, d: Date) -> f64 {
        self.y_scale.at(d)
    }
}

/// Facts about one milestone across the given reports (all milestones, drawn
/// or not), for summaries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneTrend {
    pub item: ItemIx,
    pub first: Date,
    pub last: Date,
    /// Working days from the first to the last forecast (positive: slipped).
    pub drift: i64,
    /// The latest report's slip against the plan, in working days.
    pub slip: i64,
    /// The latest forecast is on or before the latest report date.
    pub reached: bool,
}

/// The snapshots sorted by date (stable), whatever order they came in.
fn sorted_snaps(snaps: &[Snapshot]) -> Vec<&Snapshot> {
    let mut v: Vec<&Snapshot> = snaps.iter().collect();
    v.sort_by_key(|s| s.as_of);
    v
}

/// Every milestone of the program with its trend over `snaps`, in id order.
/// Empty when there are no snapshots.
pub fn milestone_trends(program: &Program, snaps: &[Snapshot]) -> Vec<MilestoneTrend> {
    trends_of(program, &sorted_snaps(snaps))
}

fn trends_of(program: &Program, snaps: &[&Snapshot]) -> Vec<MilestoneTrend> {
    let (Some(first), Some(last)) = (snaps.first(), snaps.last()) else {
        return Vec::new();
    };
    let cal = &program.meta.calendar;
    program
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind == ItemKind::Milestone)
        .filter_map(|(m, _)| {
            let a = first.items.get(m)?;
            let b = last.items.get(m)?;
            Some(MilestoneTrend {
                item: m,
                first: a.forecast_finish,
                last: b.forecast_finish,
                drift: cal.on_or_before(b.forecast_finish) - cal.on_or_before(a.forecast_finish),
                slip: b.slip.into(),
                reached: b.forecast_finish <= last.as_of,
            })
        })
        .collect()
}

/// `d` plus `n` calendar days, saturating at the ends of the date range.
fn add_days(d: Date, n: i64) -> Date {
    let limit = if n < 0 { Date::MIN } else { Date::MAX };
    jiff::Span::new()
        .try_days(n)
        .ok()
        .and_then(|s| d.checked_add(s).ok())
        .unwrap_or(limit)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_abbr(d: Date) -> &'static str {
    MONTHS[(d.month() as usize).clamp(1, 12) - 1]
}

/// "Jan 15", or "Jan 15, 2027" when `with_year`.
pub fn short_date(d: Date, with_year: bool) -> String {
    if with_year {
        format!("{} {}, {}", month_abbr(d), d.day(), d.year())
    } else {
        format!("{} {}", month_abbr(d), d.day())
    }
}

/// A tick spacing for the date axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Days(i64),
    Months(i32),
    Years(i32),
}

const STEPS: [Step; 20] = [
    Step::Days(1),
    Step::Days(7),
    Step::Days(14),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(200),
    Step::Years(500),
    Step::Years(1000),
    Step::Years(2000),
    Step::Years(5000),
    Step::Years(10000),
];

/// More ticks than this are never considered.
const MAX_TICKS: i64 = 400;

/// Tick dates of `step` within `[d0, d1]`, or None when there would be too many.
fn step_ticks(step: Step, d0: Date, d1: Date) -> Option<Vec<Date>> {
    let (n0, n1) = (day_number(d0), day_number(d1));
    match step {
        Step::Days(k) => {
            if (n1 - n0) / k > MAX_TICKS {
                return None;
            }
            // Day numbers count from a Monday, so multiples of 7 are Mondays.
            let first = n0 + (k - n0.rem_euclid(k)) % k;
            Some(
                (0..)
                    .map(|i| first + i * k)
                    .take_while(|&n| n <= n1)
                    .map(date_of_day)
                    .collect(),
            )
        }
        Step::Months(k) => {
            let idx = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month()) - 1;
            let (i0, i1) = (idx(d0), idx(d1));
            if (i1 - i0) / i64::from(k) > MAX_TICKS {
                return None;
            }
            let k = i64::from(k);
            let mut out = Vec::new();
            let mut i = i0 + (k - i0.rem_euclid(k)) % k;
            while i <= i1 {
                let (y, m) = (i.div_euclid(12), i.rem_euclid(12) + 1);
                if let Ok(d) = Date::new(y as i16, m as i8, 1)
                    && d >= d0
                    && d <= d1
                {
                    out.push(d);
                }
                i += k;
            }
            Some(out)
        }
        Step::Years(k) => {
            let (y0, y1) = (i32::from(d0.year()), i32::from(d1.year()));
            if (y1 - y0) / k > MAX_TICKS as i32 {
                return None;
            }
            let mut out = Vec::new();
            let mut y = y0 + (k - y0.rem_euclid(k)) % k;
            while y <= y1 {
                if let Ok(d) = Date::new(y as i16, 1, 1)
                    && d >= d0
                    && d <= d1
                {
                    out.push(d);
                }
                y += k;
            }
            Some(out)
        }
    }
}

fn tick_label_text(step: Step, d: Date, prev: Option<Date>) -> String {
    let new_year = prev.is_none_or(|p| p.year() != d.year());
    match step {
        Step::Days(_) => short_date(d, new_year),
        Step::Months(_) => {
            if new_year || d.month() == 1 {
                format!("{} {}", month_abbr(d), d.year())
            } else {
                month_abbr(d).to_string()
            }
        }
        Step::Years(_) => d.year().to_string(),
    }
}

/// Y ticks: the finest calendar step whose ticks are at least [`Y_TICK_GAP`] apart.
fn y_ticks(scale: &Scale, d0: Date, d1: Date, label_x: f64) -> Vec<Tick> {
    for step in STEPS {
        let Some(dates) = step_ticks(step, d0, d1) else {
            continue;
        };
        let pos: Vec<f64> = dates.iter().map(|&d| scale.at(d)).collect();
        let fits = pos.windows(2).all(|w| (w[0] - w[1]).abs() >= Y_TICK_GAP);
        if !fits {
            continue;
        }
        let mut prev = None;
        return dates
            .iter()
            .zip(pos)
            .map(|(&d, y)| {
                let text = tick_label_text(step, d, prev);
                prev = Some(d);
                Tick {
                    date: d,
                    pos: y,
                    label: Label::anchored(
                        text,
                        label_x,
                        y + TICK_FONT * 0.35,
                        TICK_FONT,
                        Anchor::End,
                    ),
                }
            })
            .collect();
    }
    Vec::new()
}

/// X ticks at report dates: every k-th report for the smallest k whose labels
/// don't overlap and stay inside `[0, width]`.
fn x_ticks(scale: &Scale, dates: &[Date], baseline: f64, width: f64) -> Vec<Tick> {
    let n = dates.len();
    let build = |k: usize| -> Vec<Tick> {
        let mut prev: Option<Date> = None;
        dates
            .iter()
            .step_by(k)
            .map(|&d| {
                let text = short_date(d, prev.is_none_or(|p| p.year() != d.year()));
                prev = Some(d);
                let x = scale.at(d);
                let mut label = Label::anchored(text, x, baseline, TICK_FONT, Anchor::Middle);
                let b = label.bbox();
                if b.left < 2.0 {
                    label.x += 2.0 - b.left;
                } else if b.right > width - 2.0 {
                    label.x -= b.right - (width - 2.0);
                }
                Tick {
                    date: d,
                    pos: x,
                    label,
                }
            })
            .collect()
    };
    for k in 1..=n.max(1) {
        let ticks = build(k);
        let ok = ticks.windows(2).all(|w| {
            let (a, b) = (w[0].label.bbox(), w[1].label.bbox());
            a.right + X_LABEL_GAP <= b.left
        });
        if ok {
            return ticks;
        }
    }
    Vec::new()
}

/// The y range for report dates `x` and the `forecasts` drawn: from the
/// earliest forecast (the first report date when there is none) up to the
/// latest forecast or the last report date, whichever is later.
fn y_range(x: (Date, Date), forecasts: impl Iterator<Item = Date>) -> (Date, Date) {
    let (mut lo, mut hi): (Option<Date>, Date) = (None, x.1);
    for f in forecasts {
        lo = Some(lo.map_or(f, |l| l.min(f)));
        hi = hi.max(f);
    }
    (lo.unwrap_or(x.0).min(hi), hi)
}

/// `[lo, hi]`, widened by [`DEGENERATE_PAD_DAYS`] on each side when empty.
fn widen(lo: Date, hi: Date) -> (Date, Date) {
    if lo >= hi {
        (
            add_days(lo, -DEGENERATE_PAD_DAYS),
            add_days(lo, DEGENERATE_PAD_DAYS),
        )
    } else {
        (lo, hi)
    }
}

/// Lays out the milestone trend chart for `snaps` (one snapshot per report up
/// to the report shown; sorted by date here if they are not) at about `width`
/// pixels (grown when too narrow for the labels).
pub fn layout_trend(program: &Program, snaps: &[Snapshot], width: f64) -> TrendLayout {
    let mut width = if width.is_finite() && width > 0.0 {
        width.clamp(320.0, 4000.0)
    } else {
        DEFAULT_WIDTH
    };
    let snaps = sorted_snaps(snaps);
    let milestones: Vec<ItemIx> = program
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| it.kind == ItemKind::Milestone)
        .map(|(i, _)| i)
        .collect();

    // Choose the lines: largest latest slip first (then largest drift, then id).
    let trends = trends_of(program, &snaps);
    let mut ranked: Vec<&MilestoneTrend> = trends.iter().collect();
    ranked.sort_by(|a, b| {
        b.slip
            .cmp(&a.slip)
            .then(b.drift.cmp(&a.drift))
            .then_with(|| program.items[a.item].id.cmp(&program.items[b.item].id))
    });
    let hidden: Vec<ItemIx> = ranked.iter().skip(MAX_LINES).map(|t| t.item).collect();
    let mut shown: Vec<&MilestoneTrend> = ranked.into_iter().take(MAX_LINES).collect();
    // Series 0 is the top line (the latest forecast), so the legend reads top-down like the end labels.
    shown.sort_by(|a, b| {
        b.last
            .cmp(&a.last)
            .then_with(|| program.items[a.item].id.cmp(&program.items[b.item].id))
    });

    // Domains.
    let report_dates: Vec<Date> = {
        let mut v: Vec<Date> = snaps.iter().map(|s| s.as_of).collect();
        v.dedup();
        v
    };
    let (x0, x1) = match (report_dates.first(), report_dates.last()) {
        (Some(&a), Some(&b)) => widen(a, b),
        _ => widen(program.meta.start, program.meta.start),
    };
    let (y0, y1) = y_range(
        (x0, x1),
        shown
            .iter()
            .flat_map(|t| snaps.iter().filter_map(move |s| s.items.get(t.item)))
            .map(|it| it.forecast_finish),
    );
    let (mut y0, mut y1) = (y0, y1);
    if snaps.is_empty() {
        y0 = y0.min(program.meta.start.min(program.meta.end));
        y1 = y1.max(program.meta.start.max(program.meta.end));
    }
    let (y0, y1) = widen(y0, y1);

    let plot_top = PLOT_TOP;
    let plot_bottom = plot_top + PLOT_HEIGHT;
    let y_scale = Scale {
        d0: day_number(y0) as f64,
        d1: day_number(y1) as f64,
        p0: plot_bottom - PAD,
        p1: plot_top + PAD,
    };

    // Y ticks decide the left margin; end labels decide the right one.
    let mut y_ticks = y_ticks(&y_scale, y0, y1, 0.0);
    let y_label_w = y_ticks
        .iter()
        .map(|t| t.label.bbox().width())
        .fold(0.0, f64::max);
    let left = (y_label_w + 14.0).max(48.0);
    for t in &mut y_ticks {
        t.label.x = left - 6.0;
    }
    // Cut to fit, but never into two equal labels.
    let end_texts: Vec<String> = unique_truncations(
        &shown
            .iter()
            .map(|t| program.items[t.item].id.as_str())
            .collect::<Vec<_>>(),
        TICK_FONT,
        END_LABEL_MAX,
    );
    let end_w = end_texts
        .iter()
        .map(|s| text_width(s, TICK_FONT))
        .fold(0.0, f64::max);
    // 10% slack: fonts differ from the estimate.
    let right_margin = (end_w * 1.1 + 20.0).max(16.0);
    width = width.max(left + 120.0 + right_margin);
    let plot = Rect {
        left,
        top: plot_top,
        right: width - right_margin,
        bottom: plot_bottom,
    };
    let x_scale = Scale {
        d0: day_number(x0) as f64,
        d1: day_number(x1) as f64,
        p0: plot.left + PAD,
        p1: plot.right - PAD,
    };

    let x_ticks = x_ticks(&x_scale, &report_dates, plot.bottom + 16.0, width);
    let x_title = Label::anchored(
        "Report date →",
        plot.right,
        plot.bottom + 34.0,
        LEGEND_FONT,
        Anchor::End,
    );
    let y_title = Label::anchored(
        "↑ Forecast date",
        4.0,
        plot.top - 12.0,
        LEGEND_FONT,
        Anchor::Start,
    );

    // The diagonal over the dates both axes show (a point when they share none).
    let (d0, d1) = (x0.max(y0), x1.min(y1));
    let d0 = d0.min(d1);
    let diagonal = (
        Point {
            x: x_scale.at(d0),
            y: y_scale.at(d0.max(y0)),
        },
        Point {
            x: x_scale.at(d1),
            y: y_scale.at(d1.max(y0)),
        },
    );

    // Lines.
    let mut lines: Vec<TrendLine> = shown
        .iter()
        .enumerate()
        .map(|(series, t)| {
            let points: Vec<TrendPoint> = snaps
                .iter()
                .filter_map(|s| {
                    let it = s.items.get(t.item)?;
                    Some(TrendPoint {
                        report: s.as_of,
                        forecast: it.forecast_finish,
                        x: x_scale.at(s.as_of),
                        y: y_scale.at(it.forecast_finish),
                        reached: it.forecast_finish <= s.as_of,
                        slip: it.slip.into(),
                    })
                })
                .collect();
            let last = points
                .last()
                .map(|p| Point { x: p.x, y: p.y })
                .unwrap_or(Point {
                    x: plot.right,
                    y: plot.top,
                });
            TrendLine {
                item: t.item,
                series,
                shape: MarkerShape::of_series(series),
                points,
                end_label: Label::anchored(
                    end_texts[series].clone(),
                    plot.right + 8.0,
                    last.y,
                    TICK_FONT,
                    Anchor::Start,
                ),
                leader: None,
                drift: t.drift,
            }
        })
        .collect();
    place_end_labels(&mut lines, &plot);

    // Legend: the diagonal, then one entry per line; then the note.
    let mut legend = Vec::new();
    let mut cursor = Point {
        x: 8.0,
        y: plot.bottom + 58.0,
    };
    let max_text = width - 16.0 - 46.0;
    let mut push =
        |key: LegendKey, item: Option<ItemIx>, text: String, legend: &mut Vec<LegendEntry>| {
            let text = truncate_to_width(&text, LEGEND_FONT, max_text);
            let w = 30.0 + text_width(&text, LEGEND_FONT) + 16.0;
            if cursor.x > 8.0 && cursor.x + w > width - 8.0 {
                cursor.x = 8.0;
                cursor.y += LEGEND_ROW;
            }
            let mid = cursor.y - LEGEND_FONT * 0.35;
            legend.push(LegendEntry {
                key,
                sample: (
                    Point {
                        x: cursor.x,
                        y: mid,
                    },
                    Point {
                        x: cursor.x + 24.0,
                        y: mid,
                    },
                ),
                label: Label::anchored(text, cursor.x + 30.0, cursor.y, LEGEND_FONT, Anchor::Start),
                item,
            });
            cursor.x += w;
        };
    push(
        LegendKey::Diagonal,
        None,
        "forecast = report date (on or below: reached)".to_string(),
        &mut legend,
    );
    for line in &lines {
        let it = &program.items[line.item];
        let last = line.points.last().map(|p| p.forecast);
        let name = if it.name.is_empty() || it.name == it.id {
            String::new()
        } else {
            format!(": {}", it.name)
        };
        let now = last
            .map(|d| {
                format!(
                    ", now {} ({})",
                    short_date(d, true),
                    drift_phrase(line.drift)
                )
            })
            .unwrap_or_default();
        let text = format!("{}{name}{now}", it.id);
        push(
            LegendKey::Series(line.series),
            Some(line.item),
            text,
            &mut legend,
        );
    }
    let mut bottom = cursor.y + 10.0;
    let note = (!hidden.is_empty()).then(|| {
        let names: Vec<&str> = hidden
            .iter()
            .map(|&m| program.items[m].id.as_str())
            .collect();
        let text = format!(
            "+{} more milestone{} not drawn (smaller slip): {}",
            hidden.len(),
            if hidden.len() == 1 { "" } else { "s" },
            names.join(", ")
        );
        let y = cursor.y + LEGEND_ROW + 2.0;
        bottom = y + 10.0;
        Label::anchored(
            truncate_to_width(&text, LEGEND_FONT, width - 16.0),
            8.0,
            y,
            LEGEND_FONT,
            Anchor::Start,
        )
    });
    let empty_message = if milestones.is_empty() {
        Some("No milestones in the plan")
    } else if snaps.is_empty() {
        Some("No reports yet")
    } else {
        None
    }
    .map(|t| {
        Label::anchored(
            t,
            (plot.left + plot.right) / 2.0,
            (plot.top + plot.bottom) / 2.0,
            LEGEND_FONT,
            Anchor::Middle,
        )
    });

    TrendLayout {
        width,
        height: bottom,
        plot,
        x_scale,
        y_scale,
        x_domain: (x0, x1),
        y_domain: (y0, y1),
        x_ticks,
        y_ticks,
        x_title,
        y_title,
        diagonal,
        lines,
        legend,
        hidden,
        note,
        empty_message,
        reports: snaps.len(),
        milestones: milestones.len(),
    }
}

/// "held its date", "slipped 1 working day", "3 working days earlier".
pub fn drift_phrase(drift: i64) -> String {
    let days = |n: i64| format!("{n} working day{}", if n == 1 { "" } else { "s" });
    match drift {
        0 => "held its date".to_string(),
        d if d > 0 => format!("slipped {}", days(d)),
        d => format!("{} earlier", days(d.saturating_neg())),
    }
}

/// Moves end labels apart vertically (keeping their order) so none overlap,
/// staying within the plot's height where possible; adds leaders for moved labels.
fn place_end_labels(lines: &mut [TrendLine], plot: &Rect) {
    let want: Vec<f64> = lines
        .iter()
        .map(|l| l.points.last().map(|p| p.y).unwrap_or(plot.top))
        .collect();
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| want[a].total_cmp(&want[b]).then(a.cmp(&b)));
    let mut ys: Vec<f64> = order.iter().map(|&i| want[i]).collect();
    let (lo, hi) = (plot.top + 4.0, plot.bottom - 4.0);
    for k in 0..ys.len() {
        ys[k] = ys[k].max(lo);
        if k > 0 {
            ys[k] = ys[k].max(ys[k - 1] + END_LABEL_STEP);
        }
    }
    for k in (0..ys.len()).rev() {
        let cap = if k + 1 < ys.len() {
            ys[k + 1] - END_LABEL_STEP
        } else {
            hi
        };
        ys[k] = ys[k].min(cap);
    }
    for (k, &i) in order.iter().enumerate() {
        let line = &mut lines[i];
        line.end_label.y = ys[k] + TICK_FONT * 0.35;
        if let Some(p) = line.points.last()
            && (ys[k] - p.y).abs() > 1.5
        {
            line.leader = Some((
                Point {
                    x: p.x + 5.0,
                    y: p.y,
                },
                Point {
                    x: line.end_label.x - 2.0,
                    y: ys[k],
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {

    use jiff::civil::date;

    use super::*;
    use crate::site::Analyzed;

    fn example() -> Analyzed {
        crate::testing::example()
    }

    fn milestone(a: &Analyzed, id: &str) -> ItemIx {
        a.program.item_index(id).expect(id)
    }

    fn assert_no_label_overlap(l: &TrendLayout) {
        let mut labels: Vec<&Label> = Vec::new();
        labels.extend(l.x_ticks.iter().map(|t| &t.label));
        labels.extend(l.y_ticks.iter().map(|t| &t.label));
        labels.extend(l.lines.iter().map(|t| &t.end_label));
        labels.extend(l.legend.iter().map(|e| &e.label));
        labels.extend(l.note.iter());
        labels.push(&l.x_title);
        labels.push(&l.y_title);
        let frame = Rect {
            left: 0.0,
            top: 0.0,
            right: l.width,
            bottom: l.height,
        };
        for (i, a) in labels.iter().enumerate() {
            assert!(frame.contains(&a.bbox()), "{a:?} outside {frame:?}");
            for b in &labels[i + 1..] {
                assert!(!a.bbox().overlaps(&b.bbox()), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn points_sit_at_their_report_and_forecast_dates() {
        let a = example();
        let l = layout_trend(&a.program, &a.reports, 720.0);
        assert_eq!(l.reports, a.reports.len());
        assert_eq!(
            l.x_domain,
            (a.reports[0].as_of, a.reports.last().unwrap().as_of)
        );
        // The x domain maps to the plot's inner edges.
        assert!((l.x_of(l.x_domain.0) - (l.plot.left + PAD)).abs() < 1e-9);
        assert!((l.x_of(l.x_domain.1) - (l.plot.right - PAD)).abs() < 1e-9);
        assert!((l.y_of(l.y_domain.0) - (l.plot.bottom - PAD)).abs() < 1e-9);
        assert!((l.y_of(l.y_domain.1) - (l.plot.top + PAD)).abs() < 1e-9);
        // A date halfway through the x domain is halfway across.
        let (d0, d1) = (day_number(l.x_domain.0), day_number(l.x_domain.1));
        let mid = date_of_day((d0 + d1) / 2);
        let expect = (l.plot.left + PAD + l.plot.right - PAD) / 2.0;
        assert!(
            (l.x_of(mid) - expect).abs() < 1.0 + (l.plot.right - l.plot.left) / (d1 - d0) as f64
        );

        let m = milestone(&a, "mobile-launch");
        let line = l
            .lines
            .iter()
            .find(|x| x.item == m)
            .expect("mobile-launch drawn");
        assert_eq!(line.points.len(), a.reports.len());
        for (p, s) in line.points.iter().zip(&a.reports) {
            assert_eq!(p.report, s.as_of);
            assert_eq!(p.forecast, s.items[m].forecast_finish);
            assert!((p.x - l.x_of(s.as_of)).abs() < 1e-9);
            assert!((p.y - l.y_of(s.items[m].forecast_finish)).abs() < 1e-9);
        }
        // The Feb 12 report moved mobile-launch to May 19.
        let feb12 = line
            .points
            .iter()
            .find(|p| p.report == date(2027, 2, 12))
            .unwrap();
        assert_eq!(feb12.forecast, date(2027, 5, 19));
    }

    /// The y axis starts at the earliest forecast drawn, not months before it
    /// at the first report date, and still reaches the last report date.
    #[test]
    fn the_y_axis_fits_the_forecasts() {
        let (r0, r1) = (date(2027, 1, 15), date(2027, 4, 9));
        let fs = [date(2027, 6, 1), date(2027, 7, 6), date(2027, 5, 20)];
        assert_eq!(
            y_range((r0, r1), fs.into_iter()),
            (date(2027, 5, 20), date(2027, 7, 6))
        );
        // A forecast before the first report extends the axis down to it.
        let early = [date(2027, 1, 2), date(2027, 2, 1)];
        assert_eq!(y_range((r0, r1), early.into_iter()), (date(2027, 1, 2), r1));
        // No forecasts: the report dates.
        assert_eq!(y_range((r0, r1), std::iter::empty()), (r0, r1));
        let a = example();
        let l = layout_trend(&a.program, &a.reports, 720.0);
        let earliest = l
            .lines
            .iter()
            .flat_map(|x| x.points.iter().map(|p| p.forecast))
            .min()
            .unwrap();
        assert_eq!(l.y_domain.0, earliest.min(l.y_domain.1));
    }

    #[test]
    fn mobile_launch_rises_and_the_diagonal_runs_corner_to_corner() {
        let a = example();
        let l = layout_trend(&a.program, &a.reports, 720.0);
        let m = milestone(&a, "mobile-launch");
        let line = l.lines.iter().find(|x| x.item == m).unwrap();
        let (first, last) = (line.points.first().unwrap(), line.points.last().unwrap());
        assert!(last.forecast > first.forecast);
        assert!(last.y < first.y, "a later forecast is drawn higher");
        assert!(line.drift > 0);
        assert!(!last.reached);

        let (p, q) = l.diagonal;
        let d0 = l.x_domain.0.max(l.y_domain.0).min(l.x_domain.1);
        assert!((p.x - l.x_of(d0)).abs() < 1e-9);
        assert!((p.y - l.y_of(d0.max(l.y_domain.0))).abs() < 1e-9);
        assert!((q.x - l.x_of(l.x_domain.1)).abs() < 1e-9);
        assert!((q.y - l.y_of(l.x_domain.1.max(l.y_domain.0))).abs() < 1e-9);
        // The y domain reaches the last report, so the diagonal ends inside the plot.
        assert!(l.y_domain.1 >= l.x_domain.1);
        for pt in [p, q] {
            assert!(pt.y >= l.plot.top && pt.y <= l.plot.bottom);
        }
        // Every milestone forecast is still ahead of the last report: above the diagonal.
        for line in &l.lines {
            let last = line.points.last().unwrap();
            assert!(last.y < l.y_of(last.report));
        }
        assert_no_label_overlap(&l);
    }

    #[test]
    fn ticks_are_ordered_and_labels_do_not_overlap_at_any_width() {
        let a = example();
        for w in [200.0, 320.0, 480.0, 720.0, 1200.0, f64::NAN, -5.0] {
            let l = layout_trend(&a.program, &a.reports, w);
            assert!(l.x_ticks.len() >= 2, "{w}");
            assert!(l.y_ticks.len() >= 2, "{w}");
            for t in l.x_ticks.windows(2) {
                assert!(t[0].pos < t[1].pos);
            }
            for t in l.y_ticks.windows(2) {
                assert!(t[0].pos > t[1].pos, "later dates are higher");
                assert!(t[0].pos - t[1].pos >= Y_TICK_GAP);
            }
            for t in &l.x_ticks {
                assert!(
                    a.reports.iter().any(|s| s.as_of == t.date),
                    "x ticks are report dates"
                );
            }
            assert_no_label_overlap(&l);
        }
    }

    #[test]
    fn zero_and_one_report_give_degenerate_but_valid_ranges() {
        let a = example();
        let l = layout_trend(&a.program, &[], 720.0);
        assert!(l.lines.iter().all(|x| x.points.is_empty()));
        assert!(l.empty_message.is_some());
        assert!(l.x_domain.0 < l.x_domain.1 && l.y_domain.0 < l.y_domain.1);
        assert_no_label_overlap(&l);

        let l = layout_trend(&a.program, &a.reports[..1], 720.0);
        assert!(l.x_domain.0 < l.x_domain.1);
        let only = a.reports[0].as_of;
        assert!((l.x_of(only) - (l.plot.left + l.plot.right) / 2.0).abs() < 1.0);
        assert_eq!(l.x_ticks.len(), 1);
        assert!(l.lines.iter().all(|x| x.points.len() == 1 && x.drift == 0));
        assert_no_label_overlap(&l);
    }

    #[test]
    fn many_milestones_are_capped_by_latest_slip() {
        let a = example();
        let mut program = a.program.clone();
        let mut snaps = a.reports.clone();
        let template = milestone(&a, "mobile-launch");
        for k in 0..30 {
            let mut it = program.items[template].clone();
            it.id = format!("zz-extra-{k:02}");
            program.items.push(it);
            for s in &mut snaps {
                let mut row = s.items[template].clone();
                row.slip = crate::analysis::days32(k);
                row.forecast_finish = add_days(s.as_of, 30 + k * 3);
                s.items.push(row);
            }
        }
        let l = layout_trend(&program, &snaps, 720.0);
        assert_eq!(l.lines.len(), MAX_LINES);
        assert_eq!(l.milestones, 33);
        assert_eq!(l.hidden.len(), 33 - MAX_LINES);
        // The largest slips are drawn.
        let drawn: Vec<&str> = l
            .lines
            .iter()
            .map(|x| program.items[x.item].id.as_str())
            .collect();
        assert!(
            drawn.contains(&"zz-extra-29") && !drawn.contains(&"zz-extra-00"),
            "{drawn:?}"
        );
        assert!(
            l.note
                .as_ref()
                .unwrap()
                .text
                .starts_with("+21 more milestones")
        );
        let series: Vec<usize> = l.lines.iter().map(|x| x.series).collect();
        assert_eq!(series, (0..MAX_LINES).collect::<Vec<_>>());
        assert_no_label_overlap(&l);
    }

    #[test]
    fn dates_far_apart_and_unsorted_snapshots_do_not_break_the_layout() {
        let a = example();
        let mut snaps = a.reports.clone();
        let m = milestone(&a, "mobile-launch");
        snaps[1].items[m].forecast_finish = date(2999, 12, 31);
        snaps[2].as_of = date(1901, 1, 1);
        snaps.reverse();
        let l = layout_trend(&a.program, &snaps, 720.0);
        assert!(l.x_domain.0 == date(1901, 1, 1) && l.y_domain.1 == date(2999, 12, 31));
        for line in &l.lines {
            for w in line.points.windows(2) {
                assert!(w[0].report <= w[1].report);
            }
            for p in &line.points {
                assert!(p.x.is_finite() && p.y.is_finite());
                assert!(
                    p.x >= l.plot.left
                        && p.x <= l.plot.right
                        && p.y >= l.plot.top
                        && p.y <= l.plot.bottom
                );
            }
        }
        assert!(l.y_ticks.len() >= 2);
        assert_no_label_overlap(&l);

        // Extremes of the date range.
        let mut snaps = a.reports[..2].to_vec();
        snaps[0].as_of = Date::MIN;
        snaps[1].items[m].forecast_finish = Date::MAX;
        let l = layout_trend(&a.program, &snaps, 720.0);
        assert!(
            l.lines
                .iter()
                .all(|x| x.points.iter().all(|p| p.y.is_finite()))
        );
        assert_no_label_overlap(&l);
    }

    #[test]
    fn no_milestones_is_an_empty_chart() {
        let a = example();
        let mut program = a.program.clone();
        for it in &mut program.items {
            it.kind = ItemKind::Deliverable;
        }
        let l = layout_trend(&program, &a.reports, 720.0);
        assert!(l.lines.is_empty() && l.milestones == 0);
        assert_eq!(
            l.empty_message.as_ref().unwrap().text,
            "No milestones in the plan"
        );
        assert_no_label_overlap(&l);
    }

    #[test]
    fn drift_phrases() {
        assert_eq!(drift_phrase(0), "held its date");
        assert_eq!(drift_phrase(1), "slipped 1 working day");
        assert_eq!(drift_phrase(-3), "3 working days earlier");
        assert_eq!(
            drift_phrase(i64::MIN),
            format!("{} working days earlier", i64::MAX)
        );
    }

    #[test]
    fn month_and_year_steps_label_the_year_once() {
        let t = step_ticks(Step::Months(1), date(2026, 11, 20), date(2027, 3, 2)).unwrap();
        assert_eq!(
            t,
            vec![
                date(2026, 12, 1),
                date(2027, 1, 1),
                date(2027, 2, 1),
                date(2027, 3, 1)
            ]
        );
        let labels: Vec<String> = t
            .iter()
            .enumerate()
            .map(|(i, &d)| tick_label_text(Step::Months(1), d, i.checked_sub(1).map(|j| t[j])))
            .collect();
        assert_eq!(labels, ["Dec 2026", "Jan 2027", "Feb", "Mar"]);
        let w = step_ticks(Step::Days(7), date(2027, 1, 1), date(2027, 1, 20)).unwrap();
        assert_eq!(
            w,
            vec![date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)]
        );
        assert!(step_ticks(Step::Days(1), Date::MIN, Date::MAX).is_none());
        let y = step_ticks(Step::Years(5000), Date::MIN, Date::MAX).unwrap();
        assert_eq!(y, vec![date(-5000, 1, 1), date(0, 1, 1), date(5000, 1, 1)]);
    }
}
