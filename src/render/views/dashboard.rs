//! The dashboard (the site's front page): the headline RAG, the schedule
//! against the committed end, status counts, the critical path, milestones,
//! top risks, open decisions and detected risks, as of the current snapshot.
//! It formats facts `crate::analysis` computed (critical path, lateness,
//! decision states, detected risks) and computes no schedule facts.

use serde::Serialize;

use super::{
    Badge, DecisionView, DetectedGroup, Headline, ItemRow, Link, Links, RiskRow, ScheduleView,
    TOP_RISKS, Viewer, milestones_by_date, no_critical_path, no_rag_badge, non_empty, rag_badge,
    report_dir, schedule_view, status_badge,
};
use crate::analysis::Snapshot;
use crate::model::{Decision, ItemKind, Program, Status};
use crate::render::SiteData;

/// How many deliverables have a status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusCount {
    pub status: Badge,
    pub count: usize,
}

fn status_counts(program: &Program, snap: &Snapshot) -> Vec<StatusCount> {
    Status::ALL
        .iter()
        .map(|&(_, st)| StatusCount {
            status: status_badge(st),
            count: program
                .items
                .iter()
                .zip(&snap.items)
                .filter(|(i, s)| i.kind == ItemKind::Deliverable && s.status == st)
                .count(),
        })
        .collect()
}

fn headline(program: &Program, snap: &Snapshot, links: &Links) -> Headline {
    let report = snap.report.and_then(|i| program.reports.get(i));
    Headline {
        rag: snap.status.map_or_else(no_rag_badge, rag_badge),
        summary: report.and_then(|r| non_empty(&r.summary)),
        report: report.map(|r| Link {
            text: format!("Report of {}", r.date),
            href: links.dir(&report_dir(r.date)),
        }),
        date: report.map(|r| r.date.to_string()),
    }
}

/// How many things each kind of detected risk names on the dashboard.
const DASHBOARD_TARGETS: usize = 6;

#[derive(Clone, Debug, Serialize)]
pub struct DashboardView {
    pub name: String,
    pub objective: String,
    pub headline: Headline,
    /// The director's read, above everything else.
    pub top: Option<super::TopStrip>,
    pub schedule: ScheduleView,
    pub counts: Vec<StatusCount>,
    pub deliverables: usize,
    pub critical_path: Vec<ItemRow>,
    /// Why there is no critical path, when there is none.
    pub no_critical_path: String,
    pub milestones: Vec<ItemRow>,
    pub top_risks: Vec<RiskRow>,
    pub open_decisions: Vec<DecisionView>,
    pub overdue_decisions: usize,
    pub detected: Vec<DetectedGroup>,
    pub chart_summary: String,
    pub next_report: Option<String>,
}

pub fn dashboard(data: &SiteData, links: &Links) -> DashboardView {
    let (program, snap) = (data.program, data.current);
    let v = Viewer::new(data, snap, links);
    // The decisions on the table and not decided (analysis' one rule).
    let open: Vec<&Decision> = program
        .decisions
        .iter()
        .zip(&snap.decisions)
        .filter(|(_, f)| f.is_open())
        .map(|(d, _)| d)
        .collect();
    let open_decisions = v.decisions(open, snap.as_of);
    let mut top_risks = v.risk_rows(program.risks.iter().filter(|r| v.risk_active(r)));
    top_risks.truncate(TOP_RISKS);
    DashboardView {
        name: program.meta.name.clone(),
        objective: program.meta.objective.clone(),
        headline: headline(program, snap, links),
        top: super::top_strip(&v, snap),
        schedule: schedule_view(program, snap),
        counts: status_counts(program, snap),
        deliverables: program
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Deliverable)
            .count(),
        critical_path: v.item_rows(snap.critical_path.iter().copied()),
        no_critical_path: no_critical_path(program, snap),
        milestones: v.item_rows(milestones_by_date(program, snap)),
        top_risks,
        overdue_decisions: open_decisions.iter().filter(|d| d.overdue).count(),
        open_decisions,
        detected: v.detected_groups(DASHBOARD_TARGETS, false),
        chart_summary: v.chart_summary(),
        next_report: data
            .scheduled
            .iter()
            .map(|(d, _)| *d)
            .find(|d| *d > snap.as_of)
            .map(|d| d.to_string()),
    }
}
