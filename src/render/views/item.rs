//! A deliverable's or milestone's page: its row, contract, description,
//! providers and consumers, the risks that affect it, every report's update
//! of it and its forecast trend (a table and a sparkline of the slip per
//! report). Forecasts, slips and who pushed whom are facts `crate::analysis`
//! computed per snapshot; this file picks the turning points and formats
//! them, and computes no schedule facts.

use jiff::civil::Date;
use serde::Serialize;

use super::{
    Badge, Days, ItemRef, ItemRow, Link, Links, RiskRow, TeamRef, Viewer, non_empty, opt_date,
    plural, report_dir, slip, status_badge, working_days,
};
use crate::analysis::ItemSchedule;
use crate::model::{ItemIx, Program, Status};
use crate::render::{SiteData, markdown};

/// One report's update of an item.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryRow {
    pub report: Link,
    pub status: Option<Badge>,
    pub progress: Option<u8>,
    pub forecast: Option<String>,
    pub note: Option<String>,
}

/// A provider or consumer of an item, with its state.
#[derive(Clone, Debug, Serialize)]
pub struct Neighbour {
    pub item: ItemRef,
    pub owner: Option<TeamRef>,
    pub status: Badge,
    pub forecast_finish: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    pub row: ItemRow,
    pub contract: Option<String>,
    pub description_html: String,
    pub providers: Vec<Neighbour>,
    pub consumers: Vec<Neighbour>,
    pub risks: Vec<RiskRow>,
    pub history: Vec<HistoryRow>,
    pub trend: ForecastTrend,
}

pub fn item(data: &SiteData, links: &Links, ix: ItemIx) -> Option<ItemView> {
    let program = data.program;
    let it = program.items.get(ix)?;
    let v = Viewer::new(data, data.current, links);
    let consumers = data.plan.consumers.get(ix).cloned().unwrap_or_default();
    Some(ItemView {
        row: v.item_row(ix)?,
        contract: it.contract.as_deref().and_then(non_empty),
        description_html: markdown::to_html(&it.description),
        providers: neighbours(&v, &it.depends_on),
        consumers: neighbours(&v, &consumers),
        risks: v.risk_rows(
            data.cache
                .risks_of(program, ix)
                .iter()
                .map(|&k| &program.risks[k]),
        ),
        history: history(program, data.cache.updates_of(program, ix), links),
        trend: forecast_trend(data, links, ix),
    })
}

fn neighbours(v: &Viewer, ixs: &[ItemIx]) -> Vec<Neighbour> {
    ixs.iter()
        .filter_map(|&ix| {
            let s = v.snap.items.get(ix)?;
            Some(Neighbour {
                item: v.item_ref(ix)?,
                owner: v.program.items.get(ix)?.owner.and_then(|t| v.team_ref(t)),
                status: status_badge(s.status),
                forecast_finish: s.forecast_finish.to_string(),
            })
        })
        .collect()
}

/// Every report's update of the item (`updates`: `(report, update)`
/// indexes, oldest first), newest first.
fn history(program: &Program, updates: &[(usize, usize)], links: &Links) -> Vec<HistoryRow> {
    let mut rows: Vec<HistoryRow> = updates
        .iter()
        .filter_map(|&(k, u)| {
            let r = program.reports.get(k)?;
            let u = r.updates.get(u)?;
            Some(HistoryRow {
                report: Link {
                    text: r.date.to_string(),
                    href: links.dir(&report_dir(r.date)),
                },
                status: u.status.map(status_badge),
                progress: u.progress,
                forecast: opt_date(u.forecast),
                note: u.note.as_deref().and_then(non_empty),
            })
        })
        .collect();
    rows.reverse();
    rows
}

// ---------------------------------------------------------------------------
// Forecast trend of one item
// ---------------------------------------------------------------------------

/// The item's forecast finish as planned, then as of one report.
#[derive(Clone, Debug, Serialize)]
pub struct TrendRow {
    /// `Plan`, or the report's date.
    pub label: String,
    pub href: Option<String>,
    pub status: Option<Badge>,
    pub forecast_finish: String,
    /// Working days moved since the previous row (none for the plan).
    pub change: Option<Days>,
    /// Working days later than planned.
    pub slip: Days,
    pub pushed_by: Option<ItemRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ForecastTrend {
    /// The plan, then every report up to the site's date, oldest first.
    pub rows: Vec<TrendRow>,
    /// The slip per report as a small inline SVG (written by the
    /// streaming SVG writer, which escapes text); empty when there is no report yet.
    pub sparkline_html: String,
    /// The trend in words.
    pub summary: String,
}

fn forecast_trend(data: &SiteData, links: &Links, ix: ItemIx) -> ForecastTrend {
    let program = data.program;
    let cal = &program.meta.calendar;
    let wd = |from: Date, to: Date| cal.on_or_before(to) - cal.on_or_before(from);
    let upto = data.current.report.map_or(0, |r| r + 1);
    let Some(planned) = data.current.items.get(ix).map(|s| s.planned_finish) else {
        return ForecastTrend {
            rows: Vec::new(),
            sparkline_html: String::new(),
            summary: String::new(),
        };
    };
    // One cheap point per report first; rows (strings, links) only for the
    // turning points, so years of reports cost little per item.
    let mut points: Vec<(usize, &ItemSchedule, i64)> = Vec::with_capacity(upto);
    let mut slips: Vec<i64> = vec![0];
    let mut prev = planned;
    for (k, snap) in data.reports.iter().enumerate().take(upto) {
        let Some(s) = snap.items.get(ix) else {
            continue;
        };
        points.push((k, s, wd(prev, s.forecast_finish)));
        slips.push(i64::from(s.slip));
        prev = s.forecast_finish;
    }
    let last = points.len().saturating_sub(1);
    let mut rows = vec![TrendRow {
        label: "Plan".to_string(),
        href: None,
        status: None,
        forecast_finish: planned.to_string(),
        change: None,
        slip: slip(0),
        pushed_by: None,
    }];
    let mut moves = 0;
    let mut before: Option<(Status, Option<ItemIx>)> = None;
    for (n, &(k, s, change)) in points.iter().enumerate() {
        let key = (s.status, s.pushed_by());
        if change != 0 {
            moves += 1;
        }
        if n == 0 || n == last || change != 0 || before != Some(key) {
            let date = program.reports.get(k).map(|r| r.date).unwrap_or(planned);
            // Item links as of that report (its critical flags).
            let v = Viewer {
                program,
                snap: &data.reports[k],
                links,
                current: data.current,
                item_ids: data.cache.item_ids(program),
            };
            rows.push(TrendRow {
                label: date.to_string(),
                href: Some(links.dir(&report_dir(date))),
                status: Some(status_badge(s.status)),
                forecast_finish: s.forecast_finish.to_string(),
                change: Some(slip(change)),
                slip: slip(s.slip.into()),
                pushed_by: s.pushed_by().and_then(|p| v.item_ref(p)),
            });
        }
        before = Some(key);
    }
    let summary = trend_summary(&rows, points.len(), moves);
    let sparkline_html = if points.is_empty() {
        String::new()
    } else {
        crate::render::svg::sparkline::sparkline(&slips, &summary)
    };
    ForecastTrend {
        rows,
        sparkline_html,
        summary,
    }
}

/// The trend in words: `rows` are the plan row and the shown report rows,
/// the last one the latest report; `reports` and `moves` count every report.
fn trend_summary(rows: &[TrendRow], reports: usize, moves: usize) -> String {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return String::new();
    };
    if rows.len() < 2 {
        return format!(
            "Planned to finish {}; no report has a forecast yet.",
            first.forecast_finish
        );
    }
    let verdict = match last.slip.value {
        0 => "on plan".to_string(),
        s if s > 0 => format!("{} later than planned", working_days(s)),
        s => format!("{} earlier than planned", working_days(s)),
    };
    format!(
        "Planned to finish {}; forecast {} as of {}, {verdict}. The forecast moved in {} of {}.",
        first.forecast_finish,
        last.forecast_finish,
        last.label,
        moves,
        plural(reports, "report", "reports"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_trend_in_words() {
        let row = |label: &str, finish: &str, change: Option<i64>, s: i64| TrendRow {
            label: label.into(),
            href: None,
            status: None,
            forecast_finish: finish.into(),
            change: change.map(slip),
            slip: slip(s),
            pushed_by: None,
        };
        assert_eq!(
            trend_summary(
                &[
                    row("Plan", "2027-02-19", None, 0),
                    row("2027-01-15", "2027-02-19", Some(0), 0),
                    row("2027-01-29", "2027-02-23", Some(2), 2),
                ],
                2,
                1
            ),
            "Planned to finish 2027-02-19; forecast 2027-02-23 as of 2027-01-29, \
             2 working days later than planned. The forecast moved in 1 of 2 reports."
        );
        assert_eq!(
            trend_summary(&[row("Plan", "2027-02-19", None, 0)], 0, 0),
            "Planned to finish 2027-02-19; no report has a forecast yet."
        );
    }
}
