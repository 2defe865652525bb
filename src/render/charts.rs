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
use crate::analysis::register::register_risks;
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

/// What stands for a chart's `<svg>` while its page's template renders: a
/// `U+FDD0` noncharacter, a number drawn at random once per process, the
/// chart's slot, and the noncharacter again. Content cannot forge it (it
/// would need the number), and it never reaches the output, which stays
/// deterministic.
const MARK: char = '\u{FDD0}';

fn mark(slot: usize) -> String {
    use std::hash::BuildHasher;
    static NONCE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let nonce = NONCE.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0u8));
    format!("{MARK}{nonce:016x}-{slot}{MARK}")
}

impl PageCharts {
    /// Moves every chart's `<svg>` out, leaving a short mark in its place,
    /// and returns them for [`PageCharts::splice`]. A template then copies
    /// a few bytes instead of the drawing: the whole-program diagram of a
    /// big program is over 100 MB, and the template's context and its output
    /// would each hold another copy.
    pub fn take_svgs(&mut self) -> Vec<(String, String)> {
        [
            &mut self.gantt,
            &mut self.team_map,
            &mut self.heatmap,
            &mut self.trend,
            &mut self.dependencies,
        ]
        .into_iter()
        .enumerate()
        .filter_map(|(slot, chart)| {
            let chart = chart.as_mut()?;
            let mark = mark(slot);
            Some((mark.clone(), std::mem::replace(&mut chart.svg_html, mark)))
        })
        .collect()
    }

    /// Puts the `<svg>`s taken by [`PageCharts::take_svgs`] back wherever
    /// the template wrote their marks (anywhere, any number of times), in one
    /// pass over `html`.
    pub fn splice(html: String, svgs: &[(String, String)]) -> String {
        if !html.contains(MARK) {
            return html;
        }
        let mut out = String::with_capacity(
            html.len() + svgs.iter().map(|(_, svg)| svg.len()).sum::<usize>(),
        );
        let mut rest = html.as_str();
        while let Some(at) = rest.find(MARK) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            match svgs
                .iter()
                .find(|(mark, _)| rest.starts_with(mark.as_str()))
            {
                Some((mark, svg)) => {
                    out.push_str(svg);
                    rest = &rest[mark.len()..];
                }
                None => {
                    out.push(MARK);
                    rest = &rest[MARK.len_utf8()..];
                }
            }
        }
        out.push_str(rest);
        out
    }

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

/// Above this many items the dependencies page draws the team roll-up (who
/// waits on whom) instead of every item: past a few thousand boxes one
/// diagram is unreadable on any screen or paper (50,000 items draw a 65 MB
/// SVG), and laying it out is the costliest step of the build. Each team's
/// page still draws its items with their direct providers and consumers, and
/// each deliverable's page its chain.
pub const FULL_DIAGRAM_MAX_ITEMS: usize = 2_500;

/// The dependencies page's diagram: every item, or past `max_items` the
/// team roll-up.
fn dependencies_charts(data: &SiteData, prefix: &str, max_items: usize, out: &mut PageCharts) {
    let (p, cur) = (data.program, data.current);
    if p.items.len() > max_items {
        out.insert("team_map", dag::team_map_chart(p, cur, prefix).into());
    } else {
        out.insert(
            "dependencies",
            dag::dependency_chart(p, &data.plan.consumers, cur, Focus::All, prefix).into(),
        );
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
                heatmap::heatmap_chart(&register_risks(p, &cur.register), prefix).into(),
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
            dependencies_charts(data, prefix, FULL_DIAGRAM_MAX_ITEMS, &mut out)
        }
        Subject::Risks => {
            out.insert(
                "heatmap",
                heatmap::heatmap_chart(&register_risks(p, &cur.register), prefix).into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(svg: &str) -> Option<ChartView> {
        Some(ChartView {
            svg_html: svg.to_string(),
            summary: "s".into(),
        })
    }

    /// The drawings leave the charts for the template and come back where
    /// (and as often as) the template wrote their marks; text that only
    /// looks like a mark stays as it was.
    #[test]
    fn svgs_are_spliced_back_where_the_template_put_them() {
        let mut charts = PageCharts {
            gantt: chart("<svg>G</svg>"),
            dependencies: chart("<svg>D&amp;</svg>"),
            ..PageCharts::default()
        };
        let svgs = charts.take_svgs();
        assert_eq!(svgs.len(), 2);
        let (g, d) = (
            charts.gantt.as_ref().unwrap().svg_html.clone(),
            charts.dependencies.as_ref().unwrap().svg_html.clone(),
        );
        assert!(g.len() < 40 && !g.contains("svg") && g != d, "{g:?} {d:?}");
        let forged = format!("{MARK}0000000000000000-0{MARK} {MARK}chart-4{MARK}");
        let html = format!("<p>{forged}</p>{d}<div>{g}</div>{d}");
        assert_eq!(
            PageCharts::splice(html, &svgs),
            format!("<p>{forged}</p><svg>D&amp;</svg><div><svg>G</svg></div><svg>D&amp;</svg>")
        );
        assert_eq!(PageCharts::splice("plain".into(), &svgs), "plain");
    }
}
