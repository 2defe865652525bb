//! Gantt chart geometry: where the time axis, shading, markers, team bands,
//! rows, bars, dependency arrows and the legend go, as plain numbers.
//!
//! [`layout_gantt`] maps a [`Snapshot`] onto a fixed-width canvas
//! ([`WIDTH`]; the SVG scales it through its `viewBox`):
//!
//! - **Columns.** A name column, a status column (icon and words), then the
//!   plot. Labels are measured with [`text_width`] and truncated to their
//!   column, so they are never clipped by the canvas and never overlap.
//! - **Time.** The domain covers every bar shown and the as-of date, plus
//!   for the program chart its start, committed end and forecast end (a team
//!   chart spans the team's own work). Day numbers map linearly to x. Days are inclusive: a bar over
//!   `start..=finish` spans from the start day's left edge to the finish day's
//!   right edge. A milestone's diamond is centred on the right edge of its
//!   day (the moment it is met). The as-of line sits on the right edge of the
//!   as-of day ("status at close of business"), from `opts.as_of` only.
//! - **Axis.** The finest of days, weeks, months and quarters whose tick
//!   labels fit without overlapping ([`choose_scale`]); beyond that, quarters
//!   with year labels every 1, 2, 5, 10, ... years. Non-working days and
//!   holidays are shaded on the day and week scales.
//! - **Rows.** Grouped in bands: milestones first (the dates directors ask
//!   about), then one band per team in team order; within a band by forecast
//!   start, then id. With more items in scope than `max_rows` and no team
//!   selected, the chart rolls up: one summary row per team plus that team's
//!   critical items (at most [`ROLLUP_CRITICAL_PER_TEAM`]) and the most
//!   urgent milestones (at most [`ROLLUP_MILESTONES`]).
//! - **Arrows.** Elbows between rows shown, from the provider's finish (right
//!   edge) or, for start-to-start and start-to-finish links, its start (left
//!   edge), to the consumer's start (left edge) or, for finish-to-finish and
//!   start-to-finish, its finish (right edge). A finish-to-start arrow's
//!   vertical leg is placed in a free column of the gap between the two bars when there is one; else
//!   the arrow drops to the row boundary next to the consumer and runs back
//!   along it. At most [`MAX_ARROWS`] ([`MAX_ARROWS_ROLLUP`] rolled up) are
//!   drawn, critical first; collision checks look at no more than
//!   [`ROUTE_SCAN_ROWS`] rows, so the layout is linear in the program size.
//!
//! Everything is deterministic: no hash maps, no clock. This module writes
//! no SVG and no summary in words: [`GanttLayout::scope`] holds the items
//! `render::svg::gantt_text` describes.

use jiff::civil::Date;

use crate::analysis::{ItemSchedule, Snapshot};
use crate::layout::geom::{Anchor, Label};
use crate::layout::text::{
    Weight, text_width, truncate_to_width, truncate_weighted, weighted_width,
};
use crate::model::calendar::{date_of_day, day_number};
use crate::model::{ItemIx, ItemKind, Link, LinkType, Program, Status, TeamIx};

/// Canvas width (the `viewBox` width).
pub const WIDTH: f64 = 1120.0;
/// Left edge of the name column.
pub const NAME_X: f64 = 12.0;
/// Width of the name column: wide enough for most names in full (about 45
/// characters); a longer one is cut, and the row's tooltip gives it whole.
pub const NAME_W: f64 = 312.0;
/// Left edge of the status column.
pub const STATUS_X: f64 = 332.0;
/// Width of the status column.
pub const STATUS_W: f64 = 96.0;
/// Left edge of the plot.
pub const PLOT_X0: f64 = 436.0;
/// Right edge of the plot.
pub const PLOT_X1: f64 = WIDTH - 12.0;
/// Gutter inside the plot on both sides, so bars never touch its edges.
const PAD: f64 = 8.0;
/// Height of an item row.
pub const ROW_H: f64 = 24.0;
/// Height of a team band's header.
pub const BAND_H: f64 = 22.0;
/// Forecast bar: offset from the row top and height.
const BAR_Y: f64 = 4.0;
const BAR_H: f64 = 12.0;
/// Planned (baseline) ghost: offset from the row top and height. The
/// forecast bar overlaps its top 2px, so it reads as "sitting over it".
const GHOST_Y: f64 = 14.0;
const GHOST_H: f64 = 5.0;
/// Half-diagonal of a milestone diamond.
pub const DIAMOND_R: f64 = 7.0;
const GHOST_DIAMOND_R: f64 = 4.5;
/// Font sizes (the renderer sets them, the layout measures with them).
pub const FONT_LABEL: f64 = 12.0;
pub const FONT_SMALL: f64 = 11.0;
pub const FONT_AXIS: f64 = 10.0;
/// Minimum space between two labels on one line.
const LABEL_GAP: f64 = 6.0;
/// Marker label lanes above the axis.
const LANE_H: f64 = 13.0;
const TOP: f64 = 4.0;
/// Arrows: horizontal stub out of / into a bar, and the minimum stub.
const STUB: f64 = 6.0;
const MIN_STUB: f64 = 4.0;
/// Clearance kept around bars when routing arrows.
const CLEAR: f64 = 2.0;

/// Default number of rows before the program chart rolls up.
pub const DEFAULT_MAX_ROWS: usize = 60;
/// Arrow caps (critical arrows are kept first).
pub const MAX_ARROWS: usize = 600;
pub const MAX_ARROWS_ROLLUP: usize = 150;
/// Rolled up: critical items listed per team, and milestones listed.
pub const ROLLUP_CRITICAL_PER_TEAM: usize = 8;
pub const ROLLUP_MILESTONES: usize = 12;
/// Arrow routing looks at no more intermediate rows than this.
pub const ROUTE_SCAN_ROWS: usize = 64;
/// The time domain never reaches further than this many days beyond the
/// program's own dates and the as-of date; bars beyond it are clipped.
const OUTLIER_DAYS: i64 = 3 * 366;

/// What to chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GanttOptions {
    /// The report date: where the as-of line goes.
    pub as_of: Date,
    /// A team page: all of the team's items (and the milestones they feed).
    pub team: Option<TeamIx>,
    /// Above this many items in scope, the program chart rolls up per team.
    pub max_rows: usize,
    /// Relative prefix from the page to the site root, e.g. `"../../"`.
    pub link_prefix: String,
}

impl GanttOptions {
    /// The program chart as of `as_of`, 60 rows before roll-up, links from the site root.
    pub fn new(as_of: Date) -> GanttOptions {
        GanttOptions {
            as_of,
            team: None,
            max_rows: DEFAULT_MAX_ROWS,
            link_prefix: String::new(),
        }
    }
}

/// A horizontal extent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub x0: f64,
    pub x1: f64,
}

/// The time scale of the axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scale {
    Days,
    Weeks,
    Months,
    Quarters,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Days => "days",
            Scale::Weeks => "weeks",
            Scale::Months => "months",
            Scale::Quarters => "quarters",
        }
    }
}

/// A gridline, with its label if it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: Option<Label>,
}

/// The time axis: two tiers of labels (e.g. months over weeks) and gridlines.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub scale: Scale,
    /// Labels only every this many years (quarters scale on very long spans);
    /// 0 when the minor tier has its own labels.
    pub year_stride: i32,
    /// The first day shown and the day after the last (day numbers).
    pub first_day: i64,
    pub end_day: i64,
    pub px_per_day: f64,
    /// Top of the axis (where major gridlines start) and its bottom (where rows start).
    pub y0: f64,
    pub y1: f64,
    /// Fine ticks (days, Mondays, month or quarter starts).
    pub minor: Vec<Tick>,
    /// Coarse ticks (month starts, or year starts).
    pub major: Vec<Tick>,
    /// Column headings over the name and status columns.
    pub headings: Vec<Label>,
}

/// Shaded non-working days (day and week scales only).
#[derive(Clone, Debug, PartialEq)]
pub struct Shade {
    pub x0: f64,
    pub x1: f64,
    /// A holiday rather than a non-working weekday.
    pub holiday: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    Start,
    CommittedEnd,
    ForecastEnd,
    AsOf,
}

impl MarkerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::Start => "start",
            MarkerKind::CommittedEnd => "end",
            MarkerKind::ForecastEnd => "forecast",
            MarkerKind::AsOf => "asof",
        }
    }
}

/// A vertical line across the plot with a label above the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub x: f64,
    pub y0: f64,
    pub y1: f64,
    pub label: Label,
    /// The forecast end is after the committed end.
    pub late: bool,
}

/// A group of rows: a team (with its colour) or the milestones.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub team: Option<TeamIx>,
    /// `#rrggbb` (validated), for the colour strip.
    pub color: Option<String>,
    pub y: f64,
    /// Header plus rows.
    pub height: f64,
    pub header_height: f64,
    /// The band's name in its header (None when a summary row carries it).
    pub label: Option<Label>,
}

/// What a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Item(ItemIx),
    /// A rolled-up team: the span of its items.
    Team(TeamIx),
}

/// One row: label, status, bars, link and tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    pub milestone: bool,
    pub y: f64,
    pub height: f64,
    pub label: Label,
    pub status_label: Label,
    /// Top-left of the status swatch (10×10).
    pub icon_x: f64,
    pub icon_y: f64,
    pub bar_y: f64,
    pub bar_h: f64,
    pub ghost_y: f64,
    pub ghost_h: f64,
    /// Vertical centre of the bar (arrows attach here).
    pub cy: f64,
    /// Planned (baseline): a bar, or for a milestone the ghost diamond's extent.
    pub planned: Span,
    /// Forecast: a bar, or for a milestone the diamond's extent.
    pub forecast: Span,
    /// The progress fill runs from `forecast.x0` to here.
    pub progress_x: f64,
    /// Milestone diamonds: forecast and planned centres.
    pub diamond_cx: Option<f64>,
    pub planned_cx: Option<f64>,
    pub status: Status,
    pub progress: u8,
    pub critical: bool,
    /// The due date's right edge, when the forecast finish is later than it.
    pub deadline_x: Option<f64>,
    /// The bar runs past the left / right end of the time domain.
    pub clipped_start: bool,
    pub clipped_end: bool,
    pub href: String,
    pub tooltip: String,
}

impl Row {
    /// Everything drawn in the plot for this row (for arrow routing).
    fn hull(&self) -> (f64, f64) {
        let mut lo = self.forecast.x0.min(self.planned.x0);
        let mut hi = self.forecast.x1.max(self.planned.x1);
        if let Some(d) = self.deadline_x {
            lo = lo.min(d - 4.0);
            hi = hi.max(d + 4.0);
        }
        (lo, hi)
    }
}

/// A dependency arrow.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub from: ItemIx,
    pub to: ItemIx,
    /// The dependency's type and lag: which ends the arrow joins.
    pub link: Link,
    /// Row indices of the provider and the consumer.
    pub from_row: usize,
    pub to_row: usize,
    /// Polyline from the provider's finish (right edge; its start, the left
    /// edge, for SS and SF) to the consumer's start (left edge; its finish,
    /// the right edge, for FF and SF).
    pub points: Vec<(f64, f64)>,
    /// Both ends are critical.
    pub critical: bool,
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendKind {
    Status(Status),
    Planned,
    Progress,
    Milestone,
    Critical,
    Deadline,
    AsOf,
    Dependency,
    CriticalDependency,
    NonWorking,
}

/// A legend entry: a 14×10 swatch at (x, y) and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub kind: LegendKind,
    pub x: f64,
    pub y: f64,
    pub label: Label,
}

/// The whole chart as plain numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct GanttLayout {
    pub width: f64,
    pub height: f64,
    /// The items in scope, in index order: the team's deliverables then the
    /// milestones they feed, or every item (shown or rolled up). The chart's
    /// summary in words (`render::svg::gantt_text`) counts these.
    pub scope: Vec<ItemIx>,
    pub rolled_up: bool,
    /// The plot: x from `plot_x0` to `plot_x1`, rows from `rows_y0` to `rows_y1`.
    pub plot_x0: f64,
    pub plot_x1: f64,
    pub rows_y0: f64,
    pub rows_y1: f64,
    pub axis: Axis,
    pub shading: Vec<Shade>,
    pub markers: Vec<Marker>,
    pub bands: Vec<Band>,
    pub rows: Vec<Row>,
    pub arrows: Vec<Arrow>,
    /// Dependencies between rows shown that were not drawn (cap).
    pub arrows_omitted: usize,
    pub legend: Vec<LegendEntry>,
    /// Shown when there are no rows.
    pub empty: Option<Label>,
}

impl GanttLayout {
    /// Every label of the chart (for overlap checks).
    pub fn labels(&self) -> Vec<&Label> {
        let mut out: Vec<&Label> = Vec::new();
        out.extend(self.axis.headings.iter());
        out.extend(self.axis.minor.iter().filter_map(|t| t.label.as_ref()));
        out.extend(self.axis.major.iter().filter_map(|t| t.label.as_ref()));
        out.extend(self.markers.iter().map(|m| &m.label));
        out.extend(self.bands.iter().filter_map(|b| b.label.as_ref()));
        for r in &self.rows {
            out.push(&r.label);
            out.push(&r.status_label);
        }
        out.extend(self.legend.iter().map(|e| &e.label));
        out.extend(self.empty.iter());
        out
    }
}

// ---------------------------------------------------------------------------
// Time mapping and the axis

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Day numbers of the dates jiff can represent with room to spare.
fn min_day() -> i64 {
    day_number(jiff::civil::date(2, 1, 1))
}
fn max_day() -> i64 {
    day_number(jiff::civil::date(9998, 1, 1))
}

/// Linear day → x.
#[derive(Clone, Copy, Debug)]
struct TimeMap {
    d0: i64,
    d1: i64,
    x0: f64,
    ppd: f64,
}

impl TimeMap {
    /// Left edge of day `d`, clamped to the plot.
    fn left(&self, d: i64) -> f64 {
        self.raw(d).clamp(PLOT_X0, PLOT_X1)
    }
    /// Right edge of day `d`, clamped to the plot.
    fn right(&self, d: i64) -> f64 {
        self.raw(d.saturating_add(1)).clamp(PLOT_X0, PLOT_X1)
    }
    fn raw(&self, d: i64) -> f64 {
        self.x0 + (d.saturating_sub(self.d0)) as f64 * self.ppd
    }
    fn contains_edge(&self, d: i64) -> bool {
        d >= self.d0 && d <= self.d1
    }
}

fn ymd(day: i64) -> (i32, i8, i8) {
    let d = date_of_day(day);
    (i32::from(d.year()), d.month(), d.day())
}

fn first_of_month(y: i32, m: i8) -> i64 {
    let y = y.clamp(-9999, 9999) as i16;
    jiff::civil::Date::new(y, m.clamp(1, 12), 1)
        .map(day_number)
        .unwrap_or_else(|_| if y < 0 { min_day() } else { max_day() })
}

/// The start of the period (of `scale`) containing `day`.
fn floor_period(day: i64, scale: Scale) -> i64 {
    match scale {
        Scale::Days => day,
        // Day numbers count from a Monday.
        Scale::Weeks => day.div_euclid(7) * 7,
        Scale::Months => {
            let (y, m, _) = ymd(day);
            first_of_month(y, m)
        }
        Scale::Quarters => {
            let (y, m, _) = ymd(day);
            first_of_month(y, (m - 1) / 3 * 3 + 1)
        }
    }
}

/// The start of the period after the one containing `day`.
fn next_period(day: i64, scale: Scale) -> i64 {
    match scale {
        Scale::Days => day + 1,
        Scale::Weeks => day.div_euclid(7) * 7 + 7,
        Scale::Months | Scale::Quarters => {
            let (y, m, _) = ymd(day);
            let q = if scale == Scale::Months { 1 } else { 3 };
            let m0 = (m - 1) / q * q + q; // months since January, of the next period
            if m0 >= 12 {
                first_of_month(y + 1, m0 - 11)
            } else {
                first_of_month(y, m0 + 1)
            }
        }
    }
}

fn year_start(y: i32) -> i64 {
    first_of_month(y, 1)
}

/// Shortest period of a scale in days, and its widest minor label.
fn minor_need(scale: Scale) -> (f64, f64) {
    let widest = |labels: &mut dyn Iterator<Item = String>| {
        labels
            .map(|s| text_width(&s, FONT_AXIS))
            .fold(0.0, f64::max)
    };
    match scale {
        Scale::Days => (1.0, widest(&mut (1..=31).map(|d| d.to_string()))),
        Scale::Weeks => (7.0, widest(&mut (1..=31).map(|d| d.to_string()))),
        Scale::Months => (28.0, widest(&mut MONTHS.iter().map(|m| m.to_string()))),
        Scale::Quarters => (90.0, widest(&mut (1..=4).map(|q| format!("Q{q}")))),
    }
}

/// Whether minor labels of `scale` fit at `ppd` pixels per day.
fn minor_fits(scale: Scale, ppd: f64) -> bool {
    let (days, w) = minor_need(scale);
    days * ppd >= w + LABEL_GAP + if scale == Scale::Days { 0.0 } else { 3.0 }
}

/// Width of the plot between its gutters.
pub fn plot_width() -> f64 {
    PLOT_X1 - PLOT_X0 - 2.0 * PAD
}

/// The axis scale for the days `lo..=hi` on a plot `plot_w` wide, and the
/// domain snapped to whole periods of it (`first_day`, `end_day` exclusive):
/// the finest scale whose labels fit. Quarters are the last resort (with
/// year labels thinned out when even quarter labels do not fit).
pub fn choose_scale(lo: i64, hi: i64, plot_w: f64) -> (Scale, i64, i64) {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    for scale in [Scale::Days, Scale::Weeks, Scale::Months] {
        let (a, b) = snap_domain(lo, hi, scale);
        if minor_fits(scale, plot_w / (b - a).max(1) as f64) {
            return (scale, a, b);
        }
    }
    let (a, b) = snap_domain(lo, hi, Scale::Quarters);
    (Scale::Quarters, a, b)
}

/// `lo..=hi` widened by a day each side and snapped to whole periods.
fn snap_domain(lo: i64, hi: i64, scale: Scale) -> (i64, i64) {
    let a = floor_period(lo - 1, scale);
    let b = next_period(hi + 1, scale);
    (a, b.max(a + 1))
}

/// The axis for the domain of `map` at `scale`, its top at `header_y`.
fn build_axis(scale: Scale, map: &TimeMap, header_y: f64) -> Axis {
    let (d0, d1, ppd) = (map.d0, map.d1, map.ppd);
    let y0 = header_y;
    let major_y = y0 + 12.0;
    let minor_y = major_y + 14.0;
    let y1 = minor_y + 6.0;
    let fits = minor_fits(scale, ppd);

    // Minor ticks.
    let mut minor = Vec::new();
    let mut year_stride = 0;
    if fits {
        let mut t = d0;
        while t < d1 {
            let (_, m, d) = ymd(t);
            let text = match scale {
                Scale::Days | Scale::Weeks => d.to_string(),
                Scale::Months => MONTHS[(m - 1) as usize].to_string(),
                Scale::Quarters => format!("Q{}", (m - 1) / 3 + 1),
            };
            let x = map.raw(t);
            let mut label = Label::new(text, x + 3.0, minor_y, FONT_AXIS);
            if scale == Scale::Days {
                label.anchor = Anchor::Middle;
                label.x = x + ppd / 2.0;
            }
            let label = (label.bbox().right <= PLOT_X1).then_some(label);
            minor.push(Tick { x, label });
            t = next_period(t, scale).max(t + 1);
        }
    } else {
        // Very long spans: quarter gridlines (when not too dense), year labels every `stride`.
        let w = weighted_width("-0000", FONT_AXIS, Weight::Bold) + LABEL_GAP + 3.0;
        year_stride = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
            .into_iter()
            .find(|s| f64::from(*s) * 365.0 * ppd >= w)
            .unwrap_or(10000);
        if 90.0 * ppd >= 6.0 {
            let mut t = d0;
            while t < d1 {
                minor.push(Tick {
                    x: map.raw(t),
                    label: None,
                });
                t = next_period(t, Scale::Quarters).max(t + 1);
            }
        }
    }

    // Major ticks: months over days and weeks, years over months and quarters.
    // (day, text, whether it is a period boundary rather than a context label)
    let mut candidates: Vec<(i64, String, bool)> = Vec::new();
    let (y_first, ..) = ymd(d0);
    if !fits {
        let mut y = y_first.div_euclid(year_stride) * year_stride;
        loop {
            let t = year_start(y);
            if t >= d1 || y > 9999 {
                break;
            }
            if t >= d0 {
                candidates.push((t, y.to_string(), true));
            }
            y += year_stride;
        }
    } else {
        let months = matches!(scale, Scale::Days | Scale::Weeks);
        let mut t = d0;
        while t < d1 {
            let (y, m, _) = ymd(t);
            let boundary = if months {
                first_of_month(y, m) == t
            } else {
                year_start(y) == t
            };
            let text = if months {
                format!("{} {}", MONTHS[(m - 1) as usize], y)
            } else {
                y.to_string()
            };
            candidates.push((t, text, boundary));
            t = if months {
                next_period(t, Scale::Months).max(t + 1)
            } else {
                year_start(y + 1).max(t + 1)
            };
        }
    }
    let mut major: Vec<Tick> = Vec::new();
    let mut last_right = f64::NEG_INFINITY;
    for (i, (t, text, boundary)) in candidates.iter().enumerate() {
        let x = map.raw(*t);
        let mut label = Label::new(text.clone(), x + 3.0, major_y, FONT_AXIS);
        label.bold = true;
        let b = label.bbox();
        let (l, r) = (b.left, b.right);
        let mut keep = r <= PLOT_X1 && l >= last_right + LABEL_GAP;
        if keep
            && !boundary
            && let Some((t2, ..)) = candidates.get(i + 1)
        {
            // A context label (the domain starts mid-period) yields to the next one.
            keep = r + LABEL_GAP <= map.raw(*t2) + 3.0;
        }
        if keep {
            last_right = r;
        }
        if *boundary || keep {
            major.push(Tick {
                x,
                label: keep.then_some(label),
            });
        }
    }

    let mut heading_name = Label::new("Item", NAME_X, minor_y, FONT_AXIS);
    heading_name.bold = true;
    let mut heading_status = Label::new("Status", STATUS_X, minor_y, FONT_AXIS);
    heading_status.bold = true;
    Axis {
        scale,
        year_stride,
        first_day: d0,
        end_day: d1,
        px_per_day: ppd,
        y0,
        y1,
        minor,
        major,
        headings: vec![heading_name, heading_status],
    }
}

/// Non-working days and holidays as merged spans (day and week scales only).
fn shading(program: &Program, axis: &Axis, map: &TimeMap) -> Vec<Shade> {
    let mut out: Vec<Shade> = Vec::new();
    if !matches!(axis.scale, Scale::Days | Scale::Weeks) || axis.year_stride != 0 {
        return out;
    }
    let cal = &program.meta.calendar;
    let mut prev: Option<(i64, bool)> = None;
    for day in axis.first_day..axis.end_day {
        let date = date_of_day(day);
        if cal.is_working(date) {
            continue;
        }
        let holiday = cal.is_holiday(date);
        let (x0, x1) = (map.raw(day), map.raw(day + 1));
        match (prev, out.last_mut()) {
            (Some((p, h)), Some(last)) if p + 1 == day && h == holiday => last.x1 = x1,
            _ => out.push(Shade { x0, x1, holiday }),
        }
        prev = Some((day, holiday));
    }
    out
}

// ---------------------------------------------------------------------------
// Rows

/// `s` trimmed, control characters made spaces: they are not allowed in
/// XML; everything else is escaped by the renderer.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn valid_color(c: &str) -> Option<String> {
    let b = c.as_bytes();
    (b.len() == 7 && b[0] == b'#' && b[1..].iter().all(u8::is_ascii_hexdigit))
        .then(|| c.to_ascii_lowercase())
}

/// `n` and the noun: "1 item", "2 items".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "1 working day", "-3 working days".
pub fn days_text(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} working day")
    } else {
        format!("{n} working days")
    }
}

/// Status severity for "worst status" (higher is worse).
fn severity(s: Status) -> u8 {
    match s {
        Status::Done => 0,
        Status::NotStarted => 1,
        Status::OnTrack => 2,
        Status::AtRisk => 3,
        Status::Blocked => 4,
    }
}

struct Ctx<'a> {
    program: &'a Program,
    map: TimeMap,
    prefix: &'a str,
}

impl Ctx<'_> {
    fn team_name(&self, t: Option<TeamIx>) -> String {
        t.and_then(|t| self.program.teams.get(t))
            .map(|t| clean(&t.name))
            .unwrap_or_default()
    }

    /// Bar extent for inclusive days `a..=b`, with clip flags.
    fn bar(&self, a: Date, b: Date) -> (Span, bool, bool) {
        let (a, b) = (day_number(a), day_number(b));
        let (a, b) = (a.min(b), a.max(b));
        let x0 = self.map.left(a);
        let mut x1 = self.map.right(b);
        if x1 - x0 < 1.0 {
            // Keep even an off-scale bar visible as a sliver at the edge.
            x1 = (x0 + 1.0).min(PLOT_X1);
        }
        let x0 = x0.min(x1 - 1.0);
        (Span { x0, x1 }, a < self.map.d0, b >= self.map.d1)
    }

    fn item_row(&self, ix: ItemIx, s: &ItemSchedule, y: f64, indent: f64) -> Row {
        let item = &self.program.items[ix];
        let milestone = item.kind == ItemKind::Milestone;
        let name = clean(&item.name);
        let name = if name.is_empty() {
            item.id.clone()
        } else {
            name
        };
        let mut label = Label::new(
            truncate_to_width(&name, FONT_LABEL, NAME_W - indent - 4.0),
            NAME_X + indent,
            y + 15.0,
            FONT_LABEL,
        );
        label.bold = s.critical;
        if label.bold && label.width() > NAME_W - indent - 4.0 {
            label.text = truncate_weighted(&name, FONT_LABEL, NAME_W - indent - 4.0, Weight::Bold);
        }
        let status_label = Label::new(s.status.label(), STATUS_X + 15.0, y + 15.0, FONT_SMALL);
        let cy = y + BAR_Y + BAR_H / 2.0;
        let (planned, forecast, diamond_cx, planned_cx, clipped_start, clipped_end);
        if milestone {
            let fd = day_number(s.forecast_finish);
            let pd = day_number(s.planned_finish);
            let cx = self.map.right(fd);
            let pcx = self.map.right(pd);
            forecast = Span {
                x0: cx - DIAMOND_R,
                x1: cx + DIAMOND_R,
            };
            planned = Span {
                x0: pcx - GHOST_DIAMOND_R,
                x1: pcx + GHOST_DIAMOND_R,
            };
            diamond_cx = Some(cx);
            planned_cx = Some(pcx);
            clipped_start = fd < self.map.d0;
            clipped_end = fd >= self.map.d1;
        } else {
            let (f, cs, ce) = self.bar(s.forecast_start, s.forecast_finish);
            let (p, _, _) = self.bar(s.planned_start, s.planned_finish);
            forecast = f;
            planned = p;
            diamond_cx = None;
            planned_cx = None;
            clipped_start = cs;
            clipped_end = ce;
        }
        let progress = if s.status == Status::Done {
            100
        } else {
            s.progress.min(100)
        };
        let progress_x = if milestone {
            forecast.x0
        } else {
            forecast.x0 + (forecast.x1 - forecast.x0) * f64::from(progress) / 100.0
        };
        let late = s.forecast_finish > s.planned_finish;
        let deadline_x = late.then(|| self.map.right(day_number(s.planned_finish)));
        let kind_dir = if milestone {
            "milestones"
        } else {
            "deliverables"
        };
        let href = format!("{}{}/{}/index.html", self.prefix, kind_dir, item.id);

        let mut tip = if milestone {
            format!(
                "{name} — milestone; planned {}; forecast {}",
                s.planned_finish, s.forecast_finish
            )
        } else {
            format!(
                "{name} — {}; planned {} → {}; forecast {} → {}",
                self.team_name(item.owner),
                s.planned_start,
                s.planned_finish,
                s.forecast_start,
                s.forecast_finish
            )
        };
        tip.push_str(&format!(
            "; float {}; status {}",
            s.total_float,
            s.status.label()
        ));
        if !milestone {
            tip.push_str(&format!("; {progress}% complete"));
        }
        if s.is_late() {
            tip.push_str(&format!(
                "; misses its due date {} by {}",
                s.planned_finish,
                days_text(s.days_late())
            ));
        } else if s.deadline_slack < 0 {
            tip.push_str(&format!(
                "; finished {} after its due date {}",
                days_text(-i64::from(s.deadline_slack)),
                s.planned_finish
            ));
        }
        if let Some(p) = s.pushed_by().and_then(|p| self.program.items.get(p)) {
            tip.push_str(&format!("; pushed by {}", p.id));
        }
        if s.critical {
            tip.push_str("; critical");
        }
        Row {
            kind: RowKind::Item(ix),
            milestone,
            y,
            height: ROW_H,
            label,
            status_label,
            icon_x: STATUS_X,
            icon_y: y + 6.0,
            bar_y: y + BAR_Y,
            bar_h: BAR_H,
            ghost_y: y + GHOST_Y,
            ghost_h: GHOST_H,
            cy,
            planned,
            forecast,
            progress_x,
            diamond_cx,
            planned_cx,
            status: s.status,
            progress,
            critical: s.critical,
            deadline_x,
            clipped_start,
            clipped_end,
            href,
            tooltip: tip,
        }
    }

    fn team_row(&self, t: TeamIx, agg: &TeamAgg, y: f64, more_critical: usize) -> Row {
        let team = &self.program.teams[t];
        let name = clean(&team.name);
        let name = if name.is_empty() {
            team.id.clone()
        } else {
            name
        };
        let mut label = Label::new(String::new(), NAME_X, y + 15.0, FONT_LABEL);
        label.bold = true;
        label.text = truncate_weighted(&name, FONT_LABEL, NAME_W - 4.0, Weight::Bold);
        let status_label = Label::new(agg.status.label(), STATUS_X + 15.0, y + 15.0, FONT_SMALL);
        let (forecast, cs, ce) = self.bar(date_of_day(agg.f0), date_of_day(agg.f1));
        let (planned, _, _) = self.bar(date_of_day(agg.p0), date_of_day(agg.p1));
        let progress = agg.progress();
        let progress_x = forecast.x0 + (forecast.x1 - forecast.x0) * f64::from(progress) / 100.0;
        let deadline_x = (agg.f1 > agg.p1).then(|| self.map.right(agg.p1));
        let mut tip = format!(
            "{name} — {}; planned {} → {}; forecast {} → {}; status {}; {progress}% complete",
            plural(agg.count, "item", "items"),
            date_of_day(agg.p0),
            date_of_day(agg.p1),
            date_of_day(agg.f0),
            date_of_day(agg.f1),
            agg.status.label(),
        );
        if agg.late > 0 {
            tip.push_str(&format!(
                "; {} past due",
                plural(agg.late, "open item", "open items")
            ));
        }
        if agg.critical > 0 {
            tip.push_str(&format!("; {} critical", agg.critical));
        }
        if more_critical > 0 {
            tip.push_str(&format!("; {more_critical} more critical on the team page"));
        }
        tip.push_str("; the team page shows every item");
        Row {
            kind: RowKind::Team(t),
            milestone: false,
            y,
            height: ROW_H,
            label,
            status_label,
            icon_x: STATUS_X,
            icon_y: y + 6.0,
            bar_y: y + BAR_Y,
            bar_h: BAR_H,
            ghost_y: y + GHOST_Y,
            ghost_h: GHOST_H,
            cy: y + BAR_Y + BAR_H / 2.0,
            planned,
            forecast,
            progress_x,
            diamond_cx: None,
            planned_cx: None,
            status: agg.status,
            progress,
            critical: agg.critical > 0,
            deadline_x,
            clipped_start: cs,
            clipped_end: ce,
            href: format!("{}teams/{}/index.html", self.prefix, team.id),
            tooltip: tip,
        }
    }
}

/// A team's items folded into one summary bar.
#[derive(Clone, Debug)]
struct TeamAgg {
    count: usize,
    f0: i64,
    f1: i64,
    p0: i64,
    p1: i64,
    status: Status,
    any: [bool; 5],
    weight: i64,
    weighted: i64,
    late: usize,
    critical: usize,
}

impl TeamAgg {
    fn new() -> TeamAgg {
        TeamAgg {
            count: 0,
            f0: i64::MAX,
            f1: i64::MIN,
            p0: i64::MAX,
            p1: i64::MIN,
            status: Status::Done,
            any: [false; 5],
            weight: 0,
            weighted: 0,
            late: 0,
            critical: 0,
        }
    }
    fn add(&mut self, s: &ItemSchedule) {
        self.count += 1;
        self.f0 = self.f0.min(day_number(s.forecast_start));
        self.f1 = self.f1.max(day_number(s.forecast_finish));
        self.p0 = self.p0.min(day_number(s.planned_start));
        self.p1 = self.p1.max(day_number(s.planned_finish));
        self.any[severity(s.status) as usize] = true;
        let w = i64::from(s.duration).clamp(1, 100_000);
        let p = if s.status == Status::Done {
            100
        } else {
            i64::from(s.progress.min(100))
        };
        self.weight += w;
        self.weighted += w * p;
        if s.is_late() {
            self.late += 1;
        }
        if s.critical {
            self.critical += 1;
        }
    }
    fn finish(&mut self) {
        let [done, not_started, on_track, at_risk, blocked] = self.any;
        self.status = if blocked {
            Status::Blocked
        } else if at_risk {
            Status::AtRisk
        } else if on_track || (done && not_started) {
            Status::OnTrack
        } else if not_started {
            Status::NotStarted
        } else {
            Status::Done
        };
    }
    fn progress(&self) -> u8 {
        if self.weight == 0 {
            0
        } else {
            (self.weighted / self.weight).clamp(0, 100) as u8
        }
    }
}

/// A group of rows before placement.
enum Group {
    Milestones(Vec<ItemIx>),
    Team {
        team: TeamIx,
        items: Vec<ItemIx>,
    },
    RolledTeam {
        team: TeamIx,
        agg: Box<TeamAgg>,
        critical: Vec<ItemIx>,
        more: usize,
    },
}

// ---------------------------------------------------------------------------
// The layout

/// Lays out the Gantt chart of `snap` (the whole program, or `opts.team`).
pub fn layout_gantt(program: &Program, snap: &Snapshot, opts: &GanttOptions) -> GanttLayout {
    let n = program.items.len().min(snap.items.len());
    let sched = |ix: ItemIx| snap.items.get(ix);
    let team = opts.team;
    let team_valid = team.is_some_and(|t| t < program.teams.len());

    // Items in scope.
    let mut scope: Vec<ItemIx> = Vec::new();
    if let Some(t) = team {
        let items = &program.items[..n];
        scope.extend(
            (0..n).filter(|&ix| {
                items[ix].owner == Some(t) && items[ix].kind == ItemKind::Deliverable
            }),
        );
        // Then the milestones they feed.
        scope.extend((0..n).filter(|&ix| {
            items[ix].kind == ItemKind::Milestone
                && items[ix]
                    .depends_on
                    .iter()
                    .any(|&p| items.get(p).is_some_and(|p| p.owner == Some(t)))
        }));
    } else {
        scope.extend(0..n);
    }
    let rolled_up = team.is_none() && scope.len() > opts.max_rows;

    // Groups of rows.
    let by_start = |a: &ItemIx, b: &ItemIx| {
        let (sa, sb) = (&snap.items[*a], &snap.items[*b]);
        (sa.forecast_start, sa.forecast_finish, &program.items[*a].id).cmp(&(
            sb.forecast_start,
            sb.forecast_finish,
            &program.items[*b].id,
        ))
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut milestones: Vec<ItemIx> = scope
        .iter()
        .copied()
        .filter(|&i| {
            program.items[i].kind == ItemKind::Milestone
                || program.items[i]
                    .owner
                    .is_none_or(|t| t >= program.teams.len())
        })
        .collect();
    if rolled_up {
        // The most urgent milestones: critical, open, latest against their date, soonest.
        milestones.retain(|&i| program.items[i].kind == ItemKind::Milestone);
        milestones.sort_by(|a, b| {
            let (sa, sb) = (&snap.items[*a], &snap.items[*b]);
            let (da, db) = (sa.status == Status::Done, sb.status == Status::Done);
            (
                !sa.critical,
                da,
                sa.deadline_slack,
                sa.forecast_finish,
                &program.items[*a].id,
            )
                .cmp(&(
                    !sb.critical,
                    db,
                    sb.deadline_slack,
                    sb.forecast_finish,
                    &program.items[*b].id,
                ))
        });
        milestones.truncate(ROLLUP_MILESTONES);
    }
    milestones.sort_by(by_start);
    if !milestones.is_empty() {
        groups.push(Group::Milestones(milestones));
    }
    if rolled_up {
        let mut aggs: Vec<TeamAgg> = (0..program.teams.len()).map(|_| TeamAgg::new()).collect();
        let mut crit: Vec<Vec<ItemIx>> = vec![Vec::new(); program.teams.len()];
        let mut on_path = vec![false; n];
        for &p in &snap.critical_path {
            if p < n {
                on_path[p] = true;
            }
        }
        for &ix in &scope {
            let item = &program.items[ix];
            let Some(t) = item.owner.filter(|&t| t < aggs.len()) else {
                continue;
            };
            if item.kind != ItemKind::Deliverable {
                continue;
            }
            let s = &snap.items[ix];
            aggs[t].add(s);
            if s.critical || on_path[ix] {
                crit[t].push(ix);
            }
        }
        for (t, (mut agg, mut critical)) in aggs.into_iter().zip(crit).enumerate() {
            if agg.count == 0 {
                continue;
            }
            agg.finish();
            critical.sort_by(|a, b| {
                (!on_path[*a], snap.items[*a].total_float)
                    .cmp(&(!on_path[*b], snap.items[*b].total_float))
                    .then_with(|| by_start(a, b))
            });
            let more = critical.len().saturating_sub(ROLLUP_CRITICAL_PER_TEAM);
            critical.truncate(ROLLUP_CRITICAL_PER_TEAM);
            critical.sort_by(by_start);
            groups.push(Group::RolledTeam {
                team: t,
                agg: Box::new(agg),
                critical,
                more,
            });
        }
    } else {
        let mut per_team: Vec<Vec<ItemIx>> = vec![Vec::new(); program.teams.len()];
        for &ix in &scope {
            let item = &program.items[ix];
            if item.kind == ItemKind::Deliverable
                && let Some(t) = item.owner.filter(|&t| t < per_team.len())
            {
                per_team[t].push(ix);
            }
        }
        for (t, mut items) in per_team.into_iter().enumerate() {
            if items.is_empty() {
                continue;
            }
            items.sort_by(by_start);
            groups.push(Group::Team { team: t, items });
        }
        // A team page puts its own team first.
        if let Some(t) = team {
            groups.sort_by_key(|g| match g {
                Group::Team { team: gt, .. } if *gt == t => 0,
                Group::Team { .. } => 1,
                _ => 2,
            });
        }
    }

    // The time domain: every bar shown and the as-of date; for the program
    // chart also the program's start, committed end and forecast end (a team
    // chart spans its own work, so it stays legible; program markers show
    // when they fall inside). Outliers are clipped relative to the program.
    let as_of = day_number(opts.as_of);
    let (anchor_lo, anchor_hi) = (
        day_number(program.meta.start).min(as_of),
        day_number(program.meta.end).max(as_of),
    );
    let (mut lo, mut hi) = if team.is_some() && !groups.is_empty() {
        (as_of, as_of)
    } else {
        (anchor_lo, anchor_hi.max(day_number(snap.forecast_end)))
    };
    for g in &groups {
        let (items, extra) = match g {
            Group::Milestones(items) | Group::Team { items, .. } => (items, None),
            Group::RolledTeam { agg, critical, .. } => {
                (critical, Some((agg.f0.min(agg.p0), agg.f1.max(agg.p1))))
            }
        };
        for s in items.iter().filter_map(|&i| sched(i)) {
            lo = lo
                .min(day_number(s.planned_start))
                .min(day_number(s.forecast_start));
            hi = hi
                .max(day_number(s.planned_finish))
                .max(day_number(s.forecast_finish));
        }
        if let Some((a, b)) = extra {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    let lo = lo.max(anchor_lo - OUTLIER_DAYS).max(min_day());
    let hi = hi.min(anchor_hi + OUTLIER_DAYS).min(max_day()).max(lo);

    // Markers and their label lanes above the axis.
    let fe_late = snap.forecast_end > program.meta.end;
    let mut marker_specs = vec![
        (
            MarkerKind::Start,
            day_number(program.meta.start),
            false,
            format!("start {}", program.meta.start),
        ),
        (
            MarkerKind::CommittedEnd,
            day_number(program.meta.end) + 1,
            false,
            format!("committed end {}", program.meta.end),
        ),
        (
            MarkerKind::ForecastEnd,
            day_number(snap.forecast_end) + 1,
            fe_late,
            format!("forecast end {}", snap.forecast_end),
        ),
        (
            MarkerKind::AsOf,
            day_number(opts.as_of) + 1,
            false,
            format!("as of {}", opts.as_of),
        ),
    ];
    if n == 0 {
        marker_specs.retain(|m| m.0 != MarkerKind::ForecastEnd);
    }

    // The time map, then marker labels in lanes, then the axis under them.
    let (scale, d0, d1) = choose_scale(lo, hi, plot_width());
    let map = TimeMap {
        d0,
        d1,
        x0: PLOT_X0 + PAD,
        ppd: plot_width() / (d1 - d0).max(1) as f64,
    };
    // Each label goes right of its line (or left of it) in a lane above the
    // axis, so that no two labels overlap and no marker's line (which runs
    // from its own lane down to the rows) crosses another marker's label.
    // With at most four markers, every assignment is tried: fewest lanes
    // first, then lowest lanes, then labels right of their lines.
    let mut specs: Vec<_> = marker_specs
        .into_iter()
        .filter(|m| map.contains_edge(m.1))
        .map(|(k, d, late, text)| {
            let mut label = Label::new(text, 0.0, 0.0, FONT_AXIS);
            label.bold = k == MarkerKind::AsOf || late;
            (map.raw(d), k, late, label)
        })
        .collect();
    specs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let lanes_for =
        assign_marker_lanes(&specs.iter().map(|s| (s.0, s.3.width())).collect::<Vec<_>>());
    let placed: Vec<(MarkerKind, f64, bool, Label, usize)> = specs
        .into_iter()
        .zip(lanes_for)
        .map(|((x, kind, late, mut label), (left, lane))| {
            label.x = left;
            (kind, x, late, label, lane)
        })
        .collect();
    let lanes = placed.iter().map(|p| p.4 + 1).max().unwrap_or(1) as f64;
    let header_y = TOP + lanes * LANE_H;
    let axis = build_axis(scale, &map, header_y);
    let rows_y0 = axis.y1;

    let ctx = Ctx {
        program,
        map,
        prefix: &opts.link_prefix,
    };

    // Place bands and rows.
    let mut bands: Vec<Band> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut y = rows_y0;
    for g in &groups {
        match g {
            Group::Milestones(items) | Group::Team { items, .. } => {
                let t = match g {
                    Group::Team { team, .. } => Some(*team),
                    _ => None,
                };
                let name = match t {
                    Some(t) => {
                        let n = clean(&program.teams[t].name);
                        if n.is_empty() {
                            program.teams[t].id.clone()
                        } else {
                            n
                        }
                    }
                    None => "Milestones".to_string(),
                };
                let mut label = Label::new(String::new(), NAME_X, y + 15.0, FONT_LABEL);
                label.bold = true;
                label.text =
                    truncate_weighted(&name, FONT_LABEL, WIDTH - NAME_X - 8.0, Weight::Bold);
                let band_y = y;
                y += BAND_H;
                for &ix in items {
                    if let Some(s) = sched(ix) {
                        rows.push(ctx.item_row(ix, s, y, 12.0));
                        y += ROW_H;
                    }
                }
                bands.push(Band {
                    team: t,
                    color: t.and_then(|t| valid_color(&program.teams[t].color)),
                    y: band_y,
                    height: y - band_y,
                    header_height: BAND_H,
                    label: Some(label),
                });
            }
            Group::RolledTeam {
                team: t,
                agg,
                critical,
                more,
            } => {
                let band_y = y;
                rows.push(ctx.team_row(*t, agg, y, *more));
                y += ROW_H;
                for &ix in critical {
                    if let Some(s) = sched(ix) {
                        rows.push(ctx.item_row(ix, s, y, 12.0));
                        y += ROW_H;
                    }
                }
                bands.push(Band {
                    team: Some(*t),
                    color: valid_color(&program.teams[*t].color),
                    y: band_y,
                    height: y - band_y,
                    header_height: ROW_H,
                    label: None,
                });
            }
        }
    }
    let empty = rows.is_empty().then(|| {
        let text = if team.is_some() && !team_valid {
            "No such team."
        } else if team.is_some() {
            "This team has no deliverables."
        } else {
            "No deliverables or milestones yet."
        };
        let l = Label::new(text, PLOT_X0 + PAD, y + 22.0, FONT_LABEL);
        y += 36.0;
        l
    });
    let rows_y1 = y;

    let markers: Vec<Marker> = placed
        .into_iter()
        .map(|(kind, x, late, mut label, lane)| {
            label.y = TOP + LANE_H * (lane as f64 + 1.0) - 3.0;
            Marker {
                kind,
                x,
                y0: label.y + 3.0,
                y1: rows_y1,
                label,
                late,
            }
        })
        .collect();

    let (arrows, arrows_omitted) = arrows(program, snap, &rows, rolled_up);
    let shading = shading(program, &axis, &map);
    let (legend, legend_bottom) = legend(rows_y1 + 14.0, !shading.is_empty());

    GanttLayout {
        width: WIDTH,
        height: (legend_bottom + 8.0).ceil(),
        scope,
        rolled_up,
        plot_x0: PLOT_X0,
        plot_x1: PLOT_X1,
        rows_y0,
        rows_y1,
        axis,
        shading,
        markers,
        bands,
        rows,
        arrows,
        arrows_omitted,
        legend,
        empty,
    }
}

/// Label placement for vertical markers at `(x, label width)`, sorted by x:
/// `(label left, lane)` for each. See [`layout_gantt`].
fn assign_marker_lanes(markers: &[(f64, f64)]) -> Vec<(f64, usize)> {
    let n = markers.len();
    if n == 0 {
        return Vec::new();
    }
    // Options per marker: (left, is_left_side), clamped inside the canvas.
    let options: Vec<Vec<(f64, bool)>> = markers
        .iter()
        .map(|&(x, w)| {
            let mut o = Vec::new();
            if x + 3.0 + w <= WIDTH - 2.0 {
                o.push((x + 3.0, false));
            }
            if x - 3.0 - w >= 2.0 {
                o.push((x - 3.0 - w, true));
            }
            if o.is_empty() {
                o.push(((WIDTH - 2.0 - w).max(2.0), true));
            }
            o
        })
        .collect();
    let ok = |i: usize, (li, ai): (f64, usize), j: usize, (lj, aj): (f64, usize), strict: bool| {
        let (xi, wi) = markers[i];
        let (xj, wj) = markers[j];
        if ai == aj {
            li + wi + LABEL_GAP <= lj || lj + wj + LABEL_GAP <= li
        } else if !strict {
            true
        } else if ai < aj {
            xi < lj - 2.0 || xi > lj + wj + 2.0
        } else {
            xj < li - 2.0 || xj > li + wi + 2.0
        }
    };
    // Depth-first over (option, lane) per marker; keep the best complete assignment.
    type Key = (usize, usize, usize);
    let mut best: Option<(Key, Vec<(f64, usize)>)> = None;
    for strict in [true, false] {
        let mut stack: Vec<(usize, usize)> = Vec::new(); // (option index, lane) per marker
        let mut chosen: Vec<(f64, usize, bool)> = Vec::new();
        let total = |i: usize| options[i].len() * n;
        let mut next = 0usize; // candidate index for the current depth
        loop {
            let depth = chosen.len();
            if depth == n {
                let key = (
                    chosen.iter().map(|c| c.1).max().unwrap_or(0),
                    chosen.iter().map(|c| c.1).sum(),
                    chosen.iter().filter(|c| c.2).count(),
                );
                if best.as_ref().is_none_or(|(k, _)| key < *k) {
                    best = Some((key, chosen.iter().map(|c| (c.0, c.1)).collect()));
                }
            } else if next < total(depth) {
                let (oi, lane) = (next % options[depth].len(), next / options[depth].len());
                next += 1;
                let (left, is_left) = options[depth][oi];
                if (0..depth)
                    .all(|j| ok(depth, (left, lane), j, (chosen[j].0, chosen[j].1), strict))
                {
                    stack.push((oi, next));
                    chosen.push((left, lane, is_left));
                    next = 0;
                }
                continue;
            }
            // Backtrack.
            match stack.pop() {
                Some((_, resume)) => {
                    chosen.pop();
                    next = resume;
                }
                None => break,
            }
        }
        if best.is_some() {
            break;
        }
    }
    best.map(|(_, v)| v).unwrap_or_else(|| {
        options
            .iter()
            .enumerate()
            .map(|(i, o)| (o[0].0, i))
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Arrows

/// The x in `lo..=hi` whose vertical line crosses the fewest rows' bars
/// among `range` (closest to `lo` on ties), and how many it crosses.
fn best_x(rows: &[Row], range: std::ops::RangeInclusive<usize>, lo: f64, hi: f64) -> (f64, usize) {
    if lo > hi || range.is_empty() {
        return (lo, 0);
    }
    let (a, b) = (
        *range.start(),
        (*range.end()).min(rows.len().saturating_sub(1)),
    );
    let scan: Vec<usize> = if b + 1 - a <= ROUTE_SCAN_ROWS {
        (a..=b).collect()
    } else {
        // Only the rows nearest both ends: bounded work per arrow.
        let half = ROUTE_SCAN_ROWS / 2;
        (a..a + half).chain(b + 1 - half..=b).collect()
    };
    // Sweep over interval edges: +1 entering a bar's hull, -1 leaving it.
    let mut events: Vec<(f64, i32)> = Vec::new();
    let mut count: i64 = 0;
    for r in scan.into_iter().filter_map(|r| rows.get(r)) {
        let (h0, h1) = r.hull();
        let (h0, h1) = (h0 - CLEAR, h1 + CLEAR);
        if h1 < lo || h0 > hi {
            continue;
        }
        if h0 <= lo {
            count += 1;
        } else {
            events.push((h0, 1));
        }
        events.push((h1, -1));
    }
    events.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
    let (mut best, mut best_count) = (lo, count);
    for (x, delta) in events {
        if x > hi || best_count == 0 {
            break;
        }
        count += i64::from(delta);
        // Just past a closing edge is free of that bar.
        if delta < 0 && count < best_count && x <= hi {
            best = x;
            best_count = count;
        }
    }
    (best, best_count.max(0) as usize)
}

/// An elbow from row `p`'s right edge to row `c`'s left edge (a
/// finish-to-start link); [`route_link`] for the other types.
fn route(rows: &[Row], p: usize, c: usize) -> Vec<(f64, f64)> {
    let (rp, rc) = (&rows[p], &rows[c]);
    let (x1, yp) = (rp.forecast.x1, rp.cy);
    let (x0, yc) = (rc.forecast.x0, rc.cy);
    let down = c > p;
    // A vertical leg from the provider's bar down (or up) to the consumer's
    // passes the provider's row and those between, but only the consumer's
    // bar half, where nothing lies left of the consumer's bar.
    let legs = if down {
        p..=c.saturating_sub(1)
    } else {
        c + 1..=p
    };
    // 1. The consumer starts right of the provider: one vertical leg in the
    //    gap, at the column that crosses the fewest bars.
    if x0 - x1 >= 2.0 * MIN_STUB {
        let lo = x1 + STUB.min((x0 - x1) / 2.0);
        let (xv, _) = best_x(rows, legs, lo, x0 - MIN_STUB);
        return vec![(x1, yp), (xv, yp), (xv, yc), (x0, yc)];
    }
    // 2. It starts at or before the provider's end: out to the right, along
    //    the row boundary next to the consumer, and into it from the left.
    let gap_y = if down { rc.y } else { rc.y + rc.height };
    let (xa, _) = best_x(rows, legs, x1 + STUB, (x1 + 4.0 * STUB).min(PLOT_X1 + PAD));
    let xb = (x0 - STUB).max(PLOT_X0 + 1.0).min(x0);
    vec![
        (x1, yp),
        (xa, yp),
        (xa, gap_y),
        (xb, gap_y),
        (xb, yc),
        (x0, yc),
    ]
}

/// An elbow for any link type: out of the provider's start (left edge,
/// leaving leftwards) for SS and SF or its finish (right edge, rightwards)
/// for FS and FF, into the consumer's start (left edge, from the left) for
/// FS and SS or its finish (right edge, from the right) for FF and SF.
fn route_link(rows: &[Row], p: usize, c: usize, kind: LinkType) -> Vec<(f64, f64)> {
    let (rp, rc) = (&rows[p], &rows[c]);
    let (yp, yc) = (rp.cy, rc.cy);
    let clamp = |x: f64| x.clamp(PLOT_X0 + 1.0, PLOT_X1 + PAD);
    match kind {
        LinkType::FinishToStart => route(rows, p, c),
        LinkType::StartToStart => {
            // Both left edges: one vertical leg left of both.
            let (xp, xc) = (rp.forecast.x0, rc.forecast.x0);
            let xv = clamp(xp.min(xc) - STUB).min(xp).min(xc);
            vec![(xp, yp), (xv, yp), (xv, yc), (xc, yc)]
        }
        LinkType::FinishToFinish => {
            // Both right edges: one vertical leg right of both.
            let (xp, xc) = (rp.forecast.x1, rc.forecast.x1);
            let xv = clamp(xp.max(xc) + STUB).max(xp).max(xc);
            vec![(xp, yp), (xv, yp), (xv, yc), (xc, yc)]
        }
        LinkType::StartToFinish => {
            let (xp, xc) = (rp.forecast.x0, rc.forecast.x1);
            if xp - xc >= 2.0 * MIN_STUB {
                // The consumer ends left of the provider's start: a leg in the gap.
                let xv = (xc + xp) / 2.0;
                vec![(xp, yp), (xv, yp), (xv, yc), (xc, yc)]
            } else {
                // Out to the left, along the row boundary next to the
                // consumer, and into its right edge from the right.
                let gap_y = if c > p { rc.y } else { rc.y + rc.height };
                let xa = clamp(xp - STUB).min(xp);
                let xb = clamp(xc + STUB).max(xc);
                vec![
                    (xp, yp),
                    (xa, yp),
                    (xa, gap_y),
                    (xb, gap_y),
                    (xb, yc),
                    (xc, yc),
                ]
            }
        }
    }
}

fn arrows(
    program: &Program,
    snap: &Snapshot,
    rows: &[Row],
    rolled_up: bool,
) -> (Vec<Arrow>, usize) {
    let n = program.items.len();
    let mut row_of: Vec<Option<usize>> = vec![None; n];
    for (r, row) in rows.iter().enumerate() {
        if let RowKind::Item(ix) = row.kind
            && ix < n
        {
            row_of[ix] = Some(r);
        }
    }
    let critical = |ix: ItemIx| snap.items.get(ix).is_some_and(|s| s.critical);
    let mut edges: Vec<(bool, usize, usize, ItemIx, ItemIx)> = Vec::new();
    for (c_row, row) in rows.iter().enumerate() {
        let RowKind::Item(c) = row.kind else { continue };
        for &p in &program.items[c].depends_on {
            if let Some(p_row) = row_of.get(p).copied().flatten() {
                edges.push((critical(p) && critical(c), c_row, p_row, p, c));
            }
        }
    }
    let cap = if rolled_up {
        MAX_ARROWS_ROLLUP
    } else {
        MAX_ARROWS
    };
    edges.sort_by_key(|&(crit, c_row, p_row, ..)| (!crit, c_row, p_row));
    let omitted = edges.len().saturating_sub(cap);
    edges.truncate(cap);
    // Draw order: plain arrows first, critical ones on top.
    edges.sort_by_key(|&(crit, c_row, p_row, ..)| (crit, c_row, p_row));
    let arrows = edges
        .into_iter()
        .map(|(crit, c_row, p_row, p, c)| {
            let link = program.items[c].link_to(p);
            Arrow {
                from: p,
                to: c,
                link,
                from_row: p_row,
                to_row: c_row,
                points: route_link(rows, p_row, c_row, link.kind),
                critical: crit,
            }
        })
        .collect();
    (arrows, omitted)
}

// ---------------------------------------------------------------------------
// Legend and words

fn legend(top: f64, shaded: bool) -> (Vec<LegendEntry>, f64) {
    let mut kinds: Vec<(LegendKind, &str)> = Status::ALL
        .iter()
        .map(|&(_, s)| (LegendKind::Status(s), s.label()))
        .collect();
    kinds.extend([
        (LegendKind::Planned, "planned (baseline)"),
        (LegendKind::Progress, "progress"),
        (LegendKind::Milestone, "milestone"),
        (LegendKind::Critical, "critical"),
        (LegendKind::Deadline, "due date missed"),
        (LegendKind::Dependency, "dependency"),
        (LegendKind::CriticalDependency, "critical dependency"),
        (LegendKind::AsOf, "as-of date"),
    ]);
    if shaded {
        kinds.push((LegendKind::NonWorking, "non-working day"));
    }
    let line_h = 18.0;
    let (mut x, mut y) = (NAME_X, top);
    let mut out = Vec::new();
    for (kind, text) in kinds {
        let w = 14.0 + 5.0 + text_width(text, FONT_SMALL);
        if x + w > WIDTH - 8.0 && x > NAME_X {
            x = NAME_X;
            y += line_h;
        }
        out.push(LegendEntry {
            kind,
            x,
            y,
            label: Label::new(text, x + 19.0, y + 9.0, FONT_SMALL),
        });
        x += w + 16.0;
    }
    (out, y + line_h)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use jiff::civil::date;

    use super::*;
    use crate::analysis::TeamFacts;
    use crate::content::yaml::Pos;
    use crate::diagnostics::Diagnostics;
    use crate::model::*;

    // ----- fixtures ------------------------------------------------------

    fn loc() -> Loc {
        Loc {
            file: Arc::from("test.yaml"),
            pos: Pos { line: 1, col: 1 },
        }
    }

    /// Writes a content folder from `(path, text)` pairs and analyses it.
    pub(crate) fn analyzed(files: &[(&str, &str)]) -> (tempfile::TempDir, crate::site::Analyzed) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let mut diags = Diagnostics::new();
        let a = crate::site::analyze_dir(dir.path(), None, false, &mut diags)
            .expect("load")
            .unwrap_or_else(|| panic!("content errors: {:?}", diags.iter().collect::<Vec<_>>()));
        (dir, a)
    }

    /// A three-team program: a slipping chain, a milestone, a report on 2027-03-05.
    pub(crate) fn tiny() -> (tempfile::TempDir, crate::site::Analyzed) {
        analyzed(&[
            (
                "program.yaml",
                "name: Tiny\nobjective: Ship.\nstart: 2027-03-01\nend: 2027-03-31\n",
            ),
            (
                "teams.yaml",
                "- id: core\n  name: Core Team\n  lead: A\n  color: \"#3b82f6\"\n\
                 - id: web\n  name: Web Team\n  lead: B\n  color: \"#8b5cf6\"\n",
            ),
            (
                "deliverables/core.yaml",
                "- id: api\n  name: API\n  owner: core\n  start: 2027-03-01\n  due: 2027-03-05\n\
                 - id: sdk\n  name: SDK\n  owner: core\n  depends_on: [api]\n  duration: 5d\n",
            ),
            (
                "deliverables/web.yaml",
                "- id: site\n  name: Site\n  owner: web\n  depends_on: [sdk]\n  duration: 3d\n\
                 - id: docs\n  name: Docs\n  owner: web\n  start: 2027-03-01\n  duration: 2d\n",
            ),
            (
                "milestones.yaml",
                "- id: launch\n  name: Launch\n  date: 2027-03-22\n  depends_on: [site]\n",
            ),
            (
                "reports/2027-03-05.md",
                "---\ndate: 2027-03-05\nstatus: amber\nsummary: API slips.\nupdates:\n  \
                 api: { status: at_risk, progress: 80, forecast: 2027-03-09 }\n  \
                 docs: { status: done, progress: 100 }\n---\nBody.\n",
            ),
        ])
    }

    /// One item of a hand-built program.
    pub(crate) struct Spec {
        pub id: String,
        pub team: Option<usize>,
        pub deps: Vec<usize>,
        pub planned: (Date, Date),
        pub forecast: (Date, Date),
        pub status: Status,
        pub critical: bool,
    }

    pub(crate) fn spec(
        id: &str,
        team: usize,
        planned: (Date, Date),
        forecast: (Date, Date),
    ) -> Spec {
        Spec {
            id: id.to_string(),
            team: Some(team),
            deps: Vec::new(),
            planned,
            forecast,
            status: Status::OnTrack,
            critical: false,
        }
    }

    /// A program and snapshot built by hand, without analysis (for shapes the
    /// analysis would never produce, and for size). Specs must be sorted by id.
    pub(crate) fn hand_built(
        start: Date,
        end: Date,
        teams: usize,
        specs: Vec<Spec>,
    ) -> (Program, Snapshot) {
        let cal = Calendar::default();
        let items: Vec<Item> = specs
            .iter()
            .map(|s| Item {
                dri: None,
                id: s.id.clone(),
                kind: if s.team.is_some() {
                    ItemKind::Deliverable
                } else {
                    ItemKind::Milestone
                },
                name: format!("Item {}", s.id),
                owner: s.team,
                depends_on: s.deps.clone(),
                links: Vec::new(),
                depends_on_locs: Vec::new(),
                plan: PlanSpec::Deliverable {
                    start: Some(s.planned.0),
                    due: Some(s.planned.1),
                    duration: None,
                },
                contract: None,
                description: String::new(),
                loc: loc(),
            })
            .collect();
        let sched: Vec<ItemSchedule> = specs
            .iter()
            .map(|s| {
                let slack = crate::analysis::days32(
                    cal.on_or_before(s.planned.1) - cal.on_or_before(s.forecast.1),
                );
                ItemSchedule {
                    planned_start: s.planned.0,
                    planned_finish: s.planned.1,
                    forecast_start: s.forecast.0,
                    forecast_finish: s.forecast.1,
                    late_start: s.forecast.0,
                    late_finish: s.forecast.1,
                    duration: crate::analysis::days32(
                        (day_number(s.planned.1) - day_number(s.planned.0) + 1).max(0),
                    ),
                    total_float: if s.critical { 0 } else { 5 },
                    deadline_slack: slack,
                    critical: s.critical,
                    status: s.status,
                    progress: 40,
                    note: None,
                    pushed_by_ix: None,
                    slip: -slack,
                }
            })
            .collect();
        let forecast_end = sched
            .iter()
            .map(|s| s.forecast_finish)
            .max()
            .unwrap_or(start);
        let program = Program {
            meta: Meta {
                name: "Hand built".into(),
                objective: String::new(),
                success_criteria: Vec::new(),
                start,
                end,
                calendar: cal,
                holidays: Vec::new(),
                cadence: Cadence {
                    days: 14,
                    text: "2w".into(),
                    first: None,
                },
                communication: Vec::new(),
                key_risks: Vec::new(),
                site: SiteSettings {
                    title: "Hand built".into(),
                    base_url: None,
                    theme: "default".into(),
                    cname: None,
                    public: false,
                },
                loc: loc(),
            },
            teams: (0..teams)
                .map(|t| Team {
                    id: format!("team-{t:04}"),
                    name: format!("Team {t}"),
                    lead: "Lead".into(),
                    color: "#10b981".into(),
                    loc: loc(),
                })
                .collect(),
            items,
            risks: Vec::new(),
            decisions: Vec::new(),
            reports: Vec::new(),
            pages: Vec::new(),
            stakeholders: Vec::new(),
        };
        let snap = Snapshot {
            as_of: start,
            status: None,
            report: None,
            items: sched,
            forecast_end,
            min_float: 0,
            end_slack: 0,
            lateness: Default::default(),
            late_items: 0,
            register: Default::default(),
            decisions: Vec::new(),
            critical_path: Vec::new(),
            teams: (0..teams)
                .map(|_| TeamFacts {
                    deliverables: Vec::new(),
                    blocking_power: 0,
                    blocks: Vec::new(),
                    waits_on: Vec::new(),
                })
                .collect::<Vec<_>>()
                .into(),
            detected_risks: Vec::new(),
            own_delays: Vec::new(),
            driving_chain: Vec::new(),
            story: None,
        };
        (program, snap)
    }

    fn day(base: Date, n: i64) -> Date {
        date_of_day(day_number(base) + n)
    }

    /// `n` items over `teams` teams, each depending on the previous item of its team.
    pub(crate) fn many(n: usize, teams: usize) -> (Program, Snapshot) {
        let start = date(2027, 1, 4);
        let specs: Vec<Spec> = (0..n)
            .map(|i| {
                let s = day(start, (i as i64 * 7) % 700);
                let f = day(s, 3 + (i as i64 % 20));
                let mut x = spec(
                    &format!("item-{i:06}"),
                    i % teams,
                    (s, f),
                    (s, day(f, (i % 3) as i64)),
                );
                if i >= teams {
                    x.deps = vec![i - teams];
                }
                x.critical = i % 97 == 0;
                x.status = Status::ALL[i % 5].1;
                x
            })
            .collect();
        hand_built(start, date(2029, 1, 5), teams, specs)
    }

    fn example() -> crate::site::Analyzed {
        crate::testing::example()
    }

    // ----- checks --------------------------------------------------------

    fn assert_rows_disjoint(l: &GanttLayout) {
        for w in l.rows.windows(2) {
            assert!(
                w[0].y + w[0].height <= w[1].y + 1e-9,
                "rows overlap: {} and {}",
                w[0].label.text,
                w[1].label.text
            );
        }
        for r in &l.rows {
            assert!(r.y >= l.rows_y0 && r.y + r.height <= l.rows_y1 + 1e-9);
            assert!(r.bar_y >= r.y && r.bar_y + r.bar_h <= r.y + r.height);
            assert!(r.ghost_y + r.ghost_h <= r.y + r.height);
        }
        for w in l.bands.windows(2) {
            assert!(w[0].y + w[0].height <= w[1].y + 1e-9);
        }
    }

    fn assert_labels_disjoint(l: &GanttLayout) {
        let labels = l.labels();
        let boxes: Vec<_> = labels.iter().map(|x| (x.bbox(), &x.text)).collect();
        for (i, (b, t)) in boxes.iter().enumerate() {
            assert!(
                b.left >= 0.0 && b.right <= l.width,
                "label {t:?} leaves the canvas: {}..{}",
                b.left,
                b.right
            );
            assert!(
                b.top >= 0.0 && b.bottom <= l.height,
                "label {t:?} leaves the canvas vertically"
            );
            for (c, u) in &boxes[i + 1..] {
                assert!(!b.overlaps(c), "labels overlap: {t:?} and {u:?}");
            }
        }
        // Marker lines cross no other marker's label.
        for m in &l.markers {
            for o in &l.markers {
                if m.kind != o.kind {
                    let b = o.label.bbox();
                    assert!(
                        !(m.x > b.left && m.x < b.right && m.y0 < b.top),
                        "{:?} line crosses {:?} label: {:#?}",
                        m.kind,
                        o.kind,
                        l.markers
                    );
                }
            }
        }
    }

    fn assert_arrows_on_edges(l: &GanttLayout) {
        for a in &l.arrows {
            let (p, c) = (&l.rows[a.from_row], &l.rows[a.to_row]);
            assert_eq!(p.kind, RowKind::Item(a.from));
            assert_eq!(c.kind, RowKind::Item(a.to));
            let first = a.points[0];
            let last = *a.points.last().expect("points");
            let from_x = if a.link.kind.from_provider_start() {
                p.forecast.x0
            } else {
                p.forecast.x1
            };
            let to_x = if a.link.kind.to_consumer_finish() {
                c.forecast.x1
            } else {
                c.forecast.x0
            };
            assert_eq!(
                first,
                (from_x, p.cy),
                "arrow {}→{} starts off the provider's edge",
                a.from,
                a.to
            );
            assert_eq!(
                last,
                (to_x, c.cy),
                "arrow {}→{} ends off the consumer's edge",
                a.from,
                a.to
            );
            for w in a.points.windows(2) {
                assert!(
                    w[0].0 == w[1].0 || w[0].1 == w[1].1,
                    "not an elbow: {:?}",
                    a.points
                );
            }
            assert!(
                a.points
                    .iter()
                    .all(|&(x, _)| x >= l.plot_x0 && x <= l.plot_x1 + PAD)
            );
        }
    }

    fn assert_sane(l: &GanttLayout) {
        assert_rows_disjoint(l);
        assert_labels_disjoint(l);
        assert_arrows_on_edges(l);
        for r in &l.rows {
            for v in [
                r.forecast.x0,
                r.forecast.x1,
                r.planned.x0,
                r.planned.x1,
                r.progress_x,
            ] {
                assert!(v.is_finite());
            }
            assert!(r.forecast.x0 <= r.forecast.x1 && r.planned.x0 <= r.planned.x1);
            assert!(r.progress_x >= r.forecast.x0 - 1e-9 && r.progress_x <= r.forecast.x1 + 1e-9);
        }
        assert!(l.height.is_finite() && l.height > 0.0);
    }

    fn row_of<'a>(l: &'a GanttLayout, p: &Program, id: &str) -> &'a Row {
        let ix = p.item_index(id).expect("item");
        l.rows
            .iter()
            .find(|r| r.kind == RowKind::Item(ix))
            .expect("row")
    }

    // ----- tests ---------------------------------------------------------

    #[test]
    fn tiny_program_geometry() {
        let (_dir, a) = tiny();
        let (p, s) = (&a.program, &a.current);
        let l = layout_gantt(p, s, &GanttOptions::new(s.as_of));
        assert_sane(&l);
        assert!(!l.rolled_up);
        assert_eq!(l.axis.scale, Scale::Days);
        // Milestones band first, then the teams in order.
        let names: Vec<_> = l
            .bands
            .iter()
            .filter_map(|b| b.label.as_ref().map(|x| x.text.as_str()))
            .collect();
        assert_eq!(names, ["Milestones", "Core Team", "Web Team"]);
        assert_eq!(l.bands[1].color.as_deref(), Some("#3b82f6"));
        assert_eq!(l.rows.len(), 5);
        // Inclusive days: api is forecast Mon 03-01..Tue 03-09, 9 calendar days.
        let api = row_of(&l, p, "api");
        let ppd = l.axis.px_per_day;
        assert!((api.forecast.x1 - api.forecast.x0 - 9.0 * ppd).abs() < 1e-6);
        assert!((api.planned.x1 - api.planned.x0 - 5.0 * ppd).abs() < 1e-6);
        // Late against its due (03-05): the deadline marker sits at the end of the due day.
        assert_eq!(api.deadline_x, Some(api.planned.x1));
        assert_eq!(api.status, Status::AtRisk);
        assert!(
            (api.progress_x - (api.forecast.x0 + 0.8 * (api.forecast.x1 - api.forecast.x0))).abs()
                < 1e-6
        );
        // Docs is done and on time: no deadline marker, full progress.
        let docs = row_of(&l, p, "docs");
        assert_eq!(docs.deadline_x, None);
        assert_eq!(docs.progress_x, docs.forecast.x1);
        // The milestone is a diamond centred on the end of its day.
        let launch = row_of(&l, p, "launch");
        assert!(launch.milestone);
        let cx = launch.diamond_cx.expect("diamond");
        assert_eq!(launch.forecast.x0, cx - DIAMOND_R);
        assert_eq!(launch.href, "milestones/launch/index.html");
        assert_eq!(api.href, "deliverables/api/index.html");
        // Finish-to-start arrows: api→sdk, sdk→site, site→launch.
        assert_eq!(l.arrows.len(), 3);
        assert_eq!(
            api.tooltip,
            "API — Core Team; planned 2027-03-01 → 2027-03-05; forecast 2027-03-01 → 2027-03-09; \
             float 8; status at risk; 80% complete; misses its due date 2027-03-05 by 2 working days"
        );
    }

    #[test]
    fn as_of_line_sits_at_the_end_of_the_as_of_day() {
        let (_dir, a) = tiny();
        let (p, s) = (&a.program, &a.current);
        for as_of in [date(2027, 3, 5), date(2027, 3, 10), date(2027, 3, 1)] {
            let l = layout_gantt(p, s, &GanttOptions::new(as_of));
            let m = l
                .markers
                .iter()
                .find(|m| m.kind == MarkerKind::AsOf)
                .expect("as-of marker");
            let expected = PLOT_X0
                + PAD
                + (day_number(as_of) + 1 - l.axis.first_day) as f64 * l.axis.px_per_day;
            assert!(
                (m.x - expected).abs() < 1e-9,
                "{as_of}: {} vs {expected}",
                m.x
            );
            assert_eq!(m.y1, l.rows_y1);
            assert!(m.label.text.contains(&as_of.to_string()));
        }
        // On the report date, the line meets the end of api's planned bar (due 03-05).
        let l = layout_gantt(p, s, &GanttOptions::new(date(2027, 3, 5)));
        let m = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::AsOf)
            .expect("as-of marker");
        assert!((m.x - row_of(&l, p, "api").planned.x1).abs() < 1e-9);
        // Program start sits on the left edge of the start day, the committed end on the right edge of the end day.
        let start = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::Start)
            .expect("start");
        assert!((start.x - row_of(&l, p, "api").forecast.x0).abs() < 1e-9);
        let end = l
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::CommittedEnd)
            .expect("end");
        assert!((end.x - start.x - 31.0 * l.axis.px_per_day).abs() < 1e-9);
    }

    #[test]
    fn axis_scale_switches_at_the_right_spans() {
        let w = plot_width();
        let base = day_number(date(2027, 1, 4));
        let scale = |span: i64| choose_scale(base, base + span - 1, w).0;
        assert_eq!(scale(1), Scale::Days);
        assert_eq!(scale(14), Scale::Days);
        assert_eq!(scale(30), Scale::Days);
        assert_eq!(scale(45), Scale::Weeks);
        assert_eq!(scale(180), Scale::Weeks);
        assert_eq!(scale(300), Scale::Months);
        assert_eq!(scale(540), Scale::Months);
        assert_eq!(scale(800), Scale::Quarters);
        assert_eq!(scale(2500), Scale::Quarters);
        // Never finer as the span grows, and each switch happens exactly where
        // the finer scale's labels stop fitting.
        let mut prev = Scale::Days;
        for span in 1..4000 {
            let (s, a, b) = choose_scale(base, base + span - 1, w);
            assert!(s >= prev, "span {span}: {s:?} after {prev:?}");
            if s > prev {
                let finer = [Scale::Days, Scale::Weeks, Scale::Months][s as usize - 1];
                let (fa, fb) = snap_domain(base, base + span - 1, finer);
                assert!(!minor_fits(finer, w / (fb - fa) as f64), "span {span}");
                assert!(minor_fits(s, w / (b - a) as f64) || s == Scale::Quarters);
            }
            prev = s;
        }
        // Very long spans thin year labels out.
        let (program, mut snap) = hand_built(date(2027, 1, 4), date(2047, 1, 4), 1, Vec::new());
        snap.forecast_end = date(2027, 1, 4);
        let l = layout_gantt(&program, &snap, &GanttOptions::new(date(2030, 1, 1)));
        assert_eq!(l.axis.scale, Scale::Quarters);
        assert!(l.axis.year_stride >= 2, "{}", l.axis.year_stride);
        assert_labels_disjoint(&l);
    }

    #[test]
    fn labels_never_overlap_at_any_span() {
        for (years, months) in [
            (0, 1),
            (0, 2),
            (0, 5),
            (0, 8),
            (1, 0),
            (1, 9),
            (2, 6),
            (4, 0),
            (9, 0),
            (30, 0),
            (200, 0),
        ] {
            let start = date(2027, 1, 4);
            let end = start
                .checked_add(jiff::Span::new().years(years).months(months))
                .expect("date");
            let specs = vec![spec("a", 0, (start, day(start, 2)), (start, day(start, 4)))];
            let (p, s) = hand_built(start, end, 1, specs);
            let l = layout_gantt(&p, &s, &GanttOptions::new(day(start, 3)));
            assert_sane(&l);
            assert!(
                l.axis.minor.iter().any(|t| t.label.is_some())
                    || l.axis.major.iter().any(|t| t.label.is_some())
            );
        }
    }

    /// The name column holds every name of the example in full (the longest,
    /// 41 characters, in bold when critical); none is cut with an ellipsis.
    #[test]
    fn example_names_are_shown_in_full() {
        let a = example();
        let l = layout_gantt(&a.program, &a.current, &GanttOptions::new(a.current.as_of));
        let mut rows = 0;
        for r in &l.rows {
            if let RowKind::Item(i) = r.kind {
                rows += 1;
                assert_eq!(r.label.text, a.program.items[i].name.trim(), "cut");
            }
        }
        assert_eq!(rows, a.program.items.len());
    }

    #[test]
    fn shading_marks_weekends_and_holidays_on_fine_scales_only() {
        let (_dir, a) = tiny();
        let l = layout_gantt(&a.program, &a.current, &GanttOptions::new(a.current.as_of));
        // March 2027 has weekends on 6-7, 13-14, 20-21, 27-28, plus the padding days.
        assert!(l.shading.len() >= 4);
        let ppd = l.axis.px_per_day;
        assert!(
            l.shading
                .iter()
                .all(|s| ((s.x1 - s.x0) / ppd).round() as i64 % 7 != 0)
        );
        assert!(
            l.shading
                .iter()
                .any(|s| ((s.x1 - s.x0) / ppd - 2.0).abs() < 1e-6)
        );
        let (p, s) = hand_built(date(2027, 1, 4), date(2029, 1, 4), 1, Vec::new());
        let l = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 6, 1)));
        assert!(l.shading.is_empty());
    }

    #[test]
    fn example_program_is_laid_out_cleanly() {
        let a = example();
        for report in a.reports.iter().chain(std::iter::once(&a.current)) {
            let l = layout_gantt(&a.program, report, &GanttOptions::new(report.as_of));
            assert_sane(&l);
            assert!(!l.arrows.is_empty());
            assert!(l.arrows.iter().any(|x| x.critical));
        }
        for t in 0..a.program.teams.len() {
            let mut o = GanttOptions::new(a.current.as_of);
            o.team = Some(t);
            o.link_prefix = "../../".into();
            let l = layout_gantt(&a.program, &a.current, &o);
            assert_sane(&l);
            assert!(l.rows.iter().all(|r| r.href.starts_with("../../")));
        }
    }

    #[test]
    fn arrows_join_the_ends_each_link_type_names() {
        // a (days 0-4) and c (days 2-6, overlapping it) with every link type.
        let s0 = date(2027, 3, 1);
        for (kind, from_start, to_finish) in [
            (LinkType::FinishToStart, false, false),
            (LinkType::StartToStart, true, false),
            (LinkType::FinishToFinish, false, true),
            (LinkType::StartToFinish, true, true),
        ] {
            let mut c = spec("c", 0, (day(s0, 2), day(s0, 6)), (day(s0, 2), day(s0, 6)));
            c.deps = vec![0];
            let specs = vec![spec("a", 0, (s0, day(s0, 4)), (s0, day(s0, 4))), c];
            let (mut p, s) = hand_built(s0, day(s0, 30), 1, specs);
            let cx = p.item_index("c").unwrap();
            p.items[cx].links = vec![Link { kind, lag: 2 }];
            let l = layout_gantt(&p, &s, &GanttOptions::new(s0));
            assert_sane(&l);
            assert_eq!(l.arrows.len(), 1);
            let arrow = &l.arrows[0];
            assert_eq!(arrow.link, Link { kind, lag: 2 });
            let (a_row, c_row) = (row_of(&l, &p, "a"), row_of(&l, &p, "c"));
            let first = arrow.points[0];
            let n = arrow.points.len();
            let (before_last, last) = (arrow.points[n - 2], arrow.points[n - 1]);
            let a_edge = if from_start {
                a_row.forecast.x0
            } else {
                a_row.forecast.x1
            };
            let c_edge = if to_finish {
                c_row.forecast.x1
            } else {
                c_row.forecast.x0
            };
            assert_eq!(first.0, a_edge, "{kind:?} leaves the provider's edge");
            assert_eq!(last.0, c_edge, "{kind:?} enters the consumer's edge");
            // It leaves outwards (left from a start, right from a finish)
            // and enters from outside (from the left into a start, from the
            // right into a finish), so the arrowhead points into the bar.
            let out = arrow.points[1].0 - first.0;
            assert!(
                if from_start { out < 0.0 } else { out > 0.0 },
                "{kind:?}: {:?}",
                arrow.points
            );
            let inward = last.0 - before_last.0;
            assert!(
                if to_finish {
                    inward < 0.0
                } else {
                    inward > 0.0
                },
                "{kind:?}: {:?}",
                arrow.points
            );
        }
    }

    #[test]
    fn arrows_avoid_bars_when_there_is_room() {
        // a (days 0-4) → c (days 20-24); b (days 2-11) sits between them.
        let s0 = date(2027, 3, 1);
        let mut c = spec(
            "c",
            0,
            (day(s0, 21), day(s0, 25)),
            (day(s0, 21), day(s0, 25)),
        );
        c.deps = vec![0];
        let specs = vec![
            spec("a", 0, (s0, day(s0, 4)), (s0, day(s0, 4))),
            spec("b", 0, (day(s0, 2), day(s0, 11)), (day(s0, 2), day(s0, 11))),
            c,
        ];
        let (p, s) = hand_built(s0, day(s0, 30), 1, specs);
        let l = layout_gantt(&p, &s, &GanttOptions::new(s0));
        assert_sane(&l);
        assert_eq!(l.arrows.len(), 1);
        let arrow = &l.arrows[0];
        assert_eq!(arrow.points.len(), 4);
        let xv = arrow.points[1].0;
        let b = row_of(&l, &p, "b");
        assert!(
            xv > b.forecast.x1.max(b.planned.x1),
            "the leg cuts through b: {xv} vs {}",
            b.forecast.x1
        );
        assert!(xv < row_of(&l, &p, "c").forecast.x0);
    }

    #[test]
    fn back_to_back_work_gets_an_s_shaped_arrow() {
        let s0 = date(2027, 3, 1); // a Monday
        let mut b = spec("b", 0, (day(s0, 1), day(s0, 3)), (day(s0, 1), day(s0, 3)));
        b.deps = vec![0];
        let specs = vec![spec("a", 0, (s0, s0), (s0, s0)), b];
        let (p, s) = hand_built(s0, day(s0, 120), 1, specs);
        let l = layout_gantt(&p, &s, &GanttOptions::new(s0));
        assert_sane(&l);
        let arrow = &l.arrows[0];
        assert_eq!(arrow.points.len(), 6);
        // It runs back along the boundary above the consumer's row.
        let c = row_of(&l, &p, "b");
        assert_eq!(arrow.points[2].1, c.y);
    }

    #[test]
    fn roll_up_kicks_in_above_max_rows() {
        let (p, s) = many(60, 3);
        let l = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 6, 1)));
        assert!(!l.rolled_up);
        assert_eq!(l.rows.len(), 60);
        let (p, s) = many(61, 3);
        let l = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 6, 1)));
        assert!(l.rolled_up);
        assert_sane(&l);
        let teams: Vec<_> = l
            .rows
            .iter()
            .filter(|r| matches!(r.kind, RowKind::Team(_)))
            .collect();
        assert_eq!(teams.len(), 3);
        assert!(teams[0].href.ends_with("teams/team-0000/index.html"));
        // The summary bar spans the team's forecast dates.
        let first = (0..61)
            .filter(|i| i % 3 == 0)
            .map(|i| s.items[i].forecast_start)
            .min()
            .expect("items");
        let last = (0..61)
            .filter(|i| i % 3 == 0)
            .map(|i| s.items[i].forecast_finish)
            .max()
            .expect("items");
        let l2 = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 6, 1)));
        let team0 = &l2
            .rows
            .iter()
            .find(|r| r.kind == RowKind::Team(0))
            .expect("team row");
        let m = TimeMap {
            d0: l2.axis.first_day,
            d1: l2.axis.end_day,
            x0: PLOT_X0 + PAD,
            ppd: l2.axis.px_per_day,
        };
        assert!((team0.forecast.x0 - m.left(day_number(first))).abs() < 1e-9);
        assert!((team0.forecast.x1 - m.right(day_number(last))).abs() < 1e-9);
        // Worst status over the team's items (all five statuses occur).
        assert_eq!(team0.status, Status::Blocked);
        // Critical items are listed under their team.
        let crit: Vec<_> = l
            .rows
            .iter()
            .filter(|r| matches!(r.kind, RowKind::Item(_)))
            .collect();
        assert!(!crit.is_empty() && crit.iter().all(|r| r.critical));
        // A team page is never rolled up: every item of the team.
        let mut o = GanttOptions::new(date(2027, 6, 1));
        o.team = Some(1);
        let l = layout_gantt(&p, &s, &o);
        assert!(!l.rolled_up);
        assert_eq!(l.rows.len(), (0..61).filter(|i| i % 3 == 1).count());
        assert_sane(&l);
        // max_rows is an option.
        let mut o = GanttOptions::new(date(2027, 6, 1));
        o.max_rows = 100;
        assert!(!layout_gantt(&p, &s, &o).rolled_up);
    }

    #[test]
    fn large_programs_stay_bounded_and_fast() {
        let (p, s) = many(50_000, 500);
        let t = std::time::Instant::now();
        let l = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 9, 1)));
        let elapsed = t.elapsed();
        assert!(l.rolled_up);
        assert!(l.arrows.len() <= MAX_ARROWS_ROLLUP);
        assert!(l.rows.len() <= 500 * (1 + ROLLUP_CRITICAL_PER_TEAM) + ROLLUP_MILESTONES);
        assert_rows_disjoint(&l);
        assert_arrows_on_edges(&l);
        assert!(elapsed.as_secs_f64() < 5.0, "{elapsed:?}");
        // A huge team page: every item, arrows capped.
        let (p, s) = many(20_000, 2);
        let mut o = GanttOptions::new(date(2027, 9, 1));
        o.team = Some(0);
        let t = std::time::Instant::now();
        let l = layout_gantt(&p, &s, &o);
        assert!(t.elapsed().as_secs_f64() < 5.0);
        assert_eq!(l.rows.len(), 10_000);
        assert!(l.arrows.len() <= MAX_ARROWS);
        assert!(l.arrows_omitted > 0);
        assert_arrows_on_edges(&l);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        // No items at all.
        let (p, s) = hand_built(date(2027, 1, 4), date(2027, 6, 30), 2, Vec::new());
        let l = layout_gantt(&p, &s, &GanttOptions::new(date(2027, 2, 1)));
        assert!(l.rows.is_empty() && l.empty.is_some());
        assert_labels_disjoint(&l);
        assert!(l.scope.is_empty());
        // No teams, start == end, as-of far away, max_rows 0.
        let (p, s) = hand_built(date(2027, 1, 4), date(2027, 1, 4), 0, Vec::new());
        let mut o = GanttOptions::new(date(2031, 1, 1));
        o.max_rows = 0;
        assert_labels_disjoint(&layout_gantt(&p, &s, &o));
        // A team index out of range.
        o.team = Some(7);
        assert!(layout_gantt(&p, &s, &o).empty.is_some());
        // Single-day items, items centuries outside the program, reversed dates,
        // extreme dates, an owner that does not exist.
        let s0 = date(2027, 3, 1);
        let mut bad_owner = spec("e", 0, (s0, s0), (s0, s0));
        bad_owner.team = Some(99);
        let specs = vec![
            spec("a", 0, (s0, s0), (s0, s0)),
            spec(
                "b",
                0,
                (date(1900, 1, 1), date(1900, 1, 2)),
                (date(2200, 1, 1), date(2300, 1, 1)),
            ),
            spec("c", 1, (day(s0, 9), s0), (day(s0, 9), s0)),
            spec(
                "d",
                1,
                (date(-9999, 1, 1), date(9999, 12, 31)),
                (date(9999, 12, 31), date(9999, 12, 31)),
            ),
            bad_owner,
        ];
        let (p, s) = hand_built(s0, day(s0, 30), 2, specs);
        let l = layout_gantt(&p, &s, &GanttOptions::new(s0));
        assert_sane(&l);
        let b = row_of(&l, &p, "b");
        assert!(b.clipped_end && !b.clipped_start);
        assert!(b.forecast.x1 <= PLOT_X1 && b.forecast.x0 >= PLOT_X0);
        let single = row_of(&l, &p, "a");
        assert!(
            (single.forecast.x1 - single.forecast.x0 - l.axis.px_per_day.max(1.0)).abs() < 1e-9
        );
        // A snapshot shorter than the program.
        let mut s2 = s.clone();
        s2.items.truncate(2);
        s2.critical_path = vec![4, 1000];
        assert_sane(&layout_gantt(&p, &s2, &GanttOptions::new(s0)));
    }

    #[test]
    fn layout_is_deterministic() {
        let a = example();
        let o = GanttOptions::new(a.current.as_of);
        assert_eq!(
            layout_gantt(&a.program, &a.current, &o),
            layout_gantt(&a.program, &a.current, &o)
        );
        let (p, s) = many(3000, 40);
        assert_eq!(layout_gantt(&p, &s, &o), layout_gantt(&p, &s, &o));
    }

    #[test]
    fn team_colours_are_validated_and_control_characters_dropped() {
        assert_eq!(valid_color("#A0b1C2").as_deref(), Some("#a0b1c2"));
        assert_eq!(valid_color("red"), None);
        assert_eq!(valid_color("#12345g"), None);
        assert_eq!(valid_color("#123\"/>"), None);
        assert_eq!(clean("a\u{1}b\u{7f}\n"), "a b");
    }
}
