//! Which charts each page shows, and their views for templates.
//!
//! Dashboard: the current Gantt, the team dependency map, the risk heat map and
//! the milestone trend. Dependencies page: the full diagram. Team pages: the
//! team's Gantt and its neighbourhood in the diagram. Deliverable pages: the
//! item's upstream and downstream chain. Report pages: the Gantt as of that
//! report (as-of line at the report date) and the trend up to it. Risks page:
//! the heat map. Every chart comes with its summary in words.
//!
//! A chart is a table entry. [`ChartKind`] lists every chart a page can show
//! and [`ChartKind::name`] the field templates read it by (`charts.gantt`);
//! [`ChartKind::draw`] says, one line per chart and subject, which pages
//! draw it and from what. [`PageCharts`] is a table keyed by the kind, and everything that
//! walks the charts of a page ([`PageCharts::take_svgs`], the template
//! context) walks [`ChartKind::ALL`]. Adding a chart is therefore a variant,
//! its name, and its line in `draw`, plus the chart's own files: its geometry
//! in `layout`, its drawing in `render::svg`, and the template section and
//! styles that show it.
//!
//! This module chooses and collects charts; it does no geometry and no
//! drawing (that is `layout` and `render::svg`), and it never decides how a
//! template shows a chart.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::SiteData;
use super::svg::{Chart, dag, gantt, heatmap, trend};
use crate::analysis::Snapshot;
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
            svg_html: c.page_svg(),
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

/// Every chart a page can show. A page shows each kind at most once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartKind {
    /// The schedule: the program's, a team's, or the program's as of a report.
    Gantt,
    /// Who waits on whom: the team roll-up of the dependency diagram.
    TeamMap,
    /// The risk heat map.
    Heatmap,
    /// The milestone trend over the reports.
    Trend,
    /// The dependency diagram: every item, a team's neighbourhood, or an item's chain.
    Dependencies,
}

impl ChartKind {
    /// Every kind, in the order pages draw them (also their slot in [`PageCharts`]).
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Gantt,
        ChartKind::TeamMap,
        ChartKind::Heatmap,
        ChartKind::Trend,
        ChartKind::Dependencies,
    ];

    /// The field templates read the chart by: `charts.<name>`.
    pub const fn name(self) -> &'static str {
        match self {
            ChartKind::Gantt => "gantt",
            ChartKind::TeamMap => "team_map",
            ChartKind::Heatmap => "heatmap",
            ChartKind::Trend => "trend",
            ChartKind::Dependencies => "dependencies",
        }
    }

    /// This kind's chart on a page about `subject`, or `None` when such pages
    /// don't show it: one line per chart and the subjects that draw it (a
    /// chart drawn differently for different subjects has a line for each).
    fn draw(self, data: &SiteData, subject: Subject, prefix: &str) -> Option<Chart> {
        use ChartKind as K;
        use Subject as S;
        let (p, cur, reports) = (data.program, data.current, data.reports);
        let gantt = |snap: &Snapshot, team: Option<TeamIx>| {
            let opts = GanttOptions {
                as_of: snap.as_of,
                team,
                max_rows: 60,
                link_prefix: prefix.to_string(),
            };
            gantt::gantt_chart(p, snap, &opts)
        };
        let diagram =
            |focus: Focus| dag::dependency_chart(p, &data.plan.consumers, cur, focus, prefix);
        // The dependencies page leads with the team roll-up past a readable
        // number of items, and draws only that past the full diagram's limit.
        let lead_with_teams = p.items.len() > READABLE_DIAGRAM_MAX_ITEMS;
        let roll_up = p.items.len() > FULL_DIAGRAM_MAX_ITEMS;
        // The reports up to the current one.
        let upto = cur.report.map_or(0, |r| r + 1).min(reports.len());
        let chart = match (self, subject) {
            (K::Gantt, S::Dashboard) => gantt(cur, None),
            (K::Gantt, S::Team(t)) => gantt(cur, Some(t)),
            (K::Gantt, S::Report(i)) => gantt(reports.get(i)?, None),
            (K::TeamMap, S::Dashboard) => dag::team_map_chart(p, cur, prefix),
            (K::TeamMap, S::Dependencies) if lead_with_teams => dag::team_map_chart(p, cur, prefix),
            (K::Heatmap, S::Dashboard | S::Risks) => {
                heatmap::heatmap_chart(&register_risks(p, &cur.register), prefix)
            }
            (K::Trend, S::Dashboard) if upto > 0 => trend::trend_chart(p, &reports[..upto], prefix),
            (K::Trend, S::Report(i)) if i < reports.len() => {
                trend::trend_chart(p, &reports[..=i], prefix)
            }
            (K::Dependencies, S::Dependencies) if !roll_up => diagram(Focus::All),
            (K::Dependencies, S::Team(t)) => diagram(Focus::Team(t)),
            (K::Dependencies, S::Item(i)) => diagram(Focus::Item(i)),
            _ => return None,
        };
        Some(chart)
    }
}

/// The charts of one page, by kind (absent ones are `None`). Templates see
/// one field per kind, named by [`ChartKind::name`], `null` when absent, so
/// they can test them (`{% if charts.gantt %}`).
#[derive(Clone, Debug, Default)]
pub struct PageCharts {
    charts: [Option<ChartView>; ChartKind::ALL.len()],
}

impl Serialize for PageCharts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PageCharts", ChartKind::ALL.len())?;
        for kind in ChartKind::ALL {
            s.serialize_field(kind.name(), &self.get(kind))?;
        }
        s.end()
    }
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
        ChartKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let chart = self.charts[kind as usize].as_mut()?;
                let mark = mark(kind as usize);
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

    /// The chart of `kind`, if the page shows one.
    pub fn get(&self, kind: ChartKind) -> Option<&ChartView> {
        self.charts[kind as usize].as_ref()
    }

    /// Sets the chart of `kind`.
    pub fn set(&mut self, kind: ChartKind, chart: ChartView) {
        self.charts[kind as usize] = Some(chart);
    }
}

/// Above this many items one diagram of every item is unreadable even at full
/// size (boxes thousands of pixels apart, edges crossing the screen many
/// times), so the dependencies page leads with the team map (who waits on
/// whom) and draws the item diagram after it, for those who zoom in.
pub const READABLE_DIAGRAM_MAX_ITEMS: usize = 150;

/// Above this many items the dependencies page draws the team roll-up (who
/// waits on whom) instead of every item: past a few thousand boxes one
/// diagram is unreadable on any screen or paper (50,000 items draw a 65 MB
/// SVG), and laying it out is the costliest step of the build. Each team's
/// page still draws its items with their direct providers and consumers, and
/// each deliverable's page its chain.
pub const FULL_DIAGRAM_MAX_ITEMS: usize = 2_500;

/// The charts of one page.
pub fn charts_for(data: &SiteData, subject: Subject, prefix: &str) -> PageCharts {
    let started = std::time::Instant::now();
    let charts = draw_charts(data, subject, prefix);
    data.cache.add_chart_time(started.elapsed());
    charts
}

fn draw_charts(data: &SiteData, subject: Subject, prefix: &str) -> PageCharts {
    let mut out = PageCharts::default();
    for kind in ChartKind::ALL {
        if let Some(chart) = kind.draw(data, subject, prefix) {
            out.set(kind, chart.into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(svg: &str) -> ChartView {
        ChartView {
            svg_html: svg.to_string(),
            summary: "s".into(),
        }
    }

    /// The kinds are their own slots, and each has its own name.
    #[test]
    fn every_kind_has_its_slot_and_name() {
        for (slot, kind) in ChartKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, slot);
        }
        let names: std::collections::BTreeSet<&str> =
            ChartKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), ChartKind::ALL.len());
    }

    /// Templates see one field per kind, in kind order, `null` when absent
    /// (what the former struct with five `Option` fields serialized to).
    #[test]
    fn templates_see_one_field_per_kind() {
        let mut charts = PageCharts::default();
        charts.set(ChartKind::Heatmap, chart("<svg>H</svg>"));
        assert_eq!(
            serde_json::to_string(&charts).unwrap(),
            r#"{"gantt":null,"team_map":null,"heatmap":{"svg_html":"<svg>H</svg>","summary":"s"},"trend":null,"dependencies":null}"#
        );
    }

    /// The drawings leave the charts for the template and come back where
    /// (and as often as) the template wrote their marks; text that only
    /// looks like a mark stays as it was.
    #[test]
    fn svgs_are_spliced_back_where_the_template_put_them() {
        let mut charts = PageCharts::default();
        charts.set(ChartKind::Gantt, chart("<svg>G</svg>"));
        charts.set(ChartKind::Dependencies, chart("<svg>D&amp;</svg>"));
        let svgs = charts.take_svgs();
        assert_eq!(svgs.len(), 2);
        let svg_of = |kind| charts.get(kind).unwrap().svg_html.clone();
        let (g, d) = (svg_of(ChartKind::Gantt), svg_of(ChartKind::Dependencies));
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
