//! Which charts each page shows, and their views for templates.
//!
//! Dashboard: the current Gantt, the team dependency map, the risk heat map and
//! the milestone trend. Dependencies page: the full diagram. Team pages: the
//! team's Gantt and its neighbourhood in the diagram. Deliverable pages: the
//! item's upstream and downstream chain. Report pages: the Gantt as of that
//! report (as-of line at the report date) and the trend up to it. Risks page:
//! the heat map. Every chart comes with its summary in words.

use serde::Serialize;

use super::SiteData;
use super::svg::{Chart, dag, gantt, heatmap, trend};
use crate::analysis::register::register_as_of;
use crate::layout::dag::Focus;
use crate::layout::gantt::GanttOptions;
use crate::model::{ItemIx, TeamIx};

/// A chart for a template: the `<svg>` (built by the `svg` crate, which
/// escapes every string) and its summary (escaped by the template).
#[derive(Clone, Debug, Serialize)]
pub struct ChartView {
    pub svg_html: String,
    pub summary: String,
}

impl From<Chart> for ChartView {
    fn from(c: Chart) -> ChartView {
        ChartView {
            svg_html: c.svg,
            summary: c.summary,
        }
    }
}

/// What a page is about, for choosing its charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Dashboard,
    Dependencies,
    Risks,
    Team(TeamIx),
    Item(ItemIx),
    Report(usize),
    Other,
}

/// The charts of one page (absent ones are `None`, so templates can test them).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PageCharts {
    pub gantt: Option<ChartView>,
    pub team_map: Option<ChartView>,
    pub heatmap: Option<ChartView>,
    pub trend: Option<ChartView>,
    pub dependencies: Option<ChartView>,
}

impl PageCharts {
    fn insert(&mut self, name: &str, chart: ChartView) {
        let slot = match name {
            "gantt" => &mut self.gantt,
            "team_map" => &mut self.team_map,
            "heatmap" => &mut self.heatmap,
            "trend" => &mut self.trend,
            _ => &mut self.dependencies,
        };
        *slot = Some(chart);
    }
}

/// The charts of one page.
pub fn charts_for(data: &SiteData, subject: Subject, prefix: &str) -> PageCharts {
    let started = std::time::Instant::now();
    let charts = draw_charts(data, subject, prefix);
    data.cache.add_chart_time(started.elapsed());
    charts
}

fn draw_charts(data: &SiteData, subject: Subject, prefix: &str) -> PageCharts {
    let p = data.program;
    let cur = data.current;
    let upto = cur.report.map_or(0, |r| r + 1);
    let mut out = PageCharts::default();
    let gantt_opts = |as_of, team| GanttOptions {
        as_of,
        team,
        max_rows: 60,
        link_prefix: prefix.to_string(),
    };
    match subject {
        Subject::Dashboard => {
            out.insert(
                "gantt",
                gantt::gantt_chart(p, cur, &gantt_opts(cur.as_of, None)).into(),
            );
            out.insert("team_map", dag::team_map_chart(p, cur, prefix).into());
            out.insert(
                "heatmap",
                heatmap::heatmap_chart(&register_as_of(p, upto, cur.as_of), prefix).into(),
            );
            if upto > 0 {
                out.insert(
                    "trend",
                    trend::trend_chart(p, &data.reports[..upto.min(data.reports.len())], prefix)
                        .into(),
                );
            }
        }
        Subject::Dependencies => {
            out.insert(
                "dependencies",
                dag::dependency_chart(p, &data.plan.consumers, cur, Focus::All, prefix).into(),
            );
        }
        Subject::Risks => {
            out.insert(
                "heatmap",
                heatmap::heatmap_chart(&register_as_of(p, upto, cur.as_of), prefix).into(),
            );
        }
        Subject::Team(t) => {
            out.insert(
                "gantt",
                gantt::gantt_chart(p, cur, &gantt_opts(cur.as_of, Some(t))).into(),
            );
            out.insert(
                "dependencies",
                dag::dependency_chart(p, &data.plan.consumers, cur, Focus::Team(t), prefix).into(),
            );
        }
        Subject::Item(i) => {
            out.insert(
                "dependencies",
                dag::dependency_chart(p, &data.plan.consumers, cur, Focus::Item(i), prefix).into(),
            );
        }
        Subject::Report(i) => {
            if let Some(snap) = data.reports.get(i) {
                out.insert(
                    "gantt",
                    gantt::gantt_chart(p, snap, &gantt_opts(snap.as_of, None)).into(),
                );
                out.insert(
                    "trend",
                    trend::trend_chart(p, &data.reports[..=i], prefix).into(),
                );
            }
        }
        Subject::Other => {}
    }
    out
}
