//! `program.json`: the stable machine-readable export, field for field as the
//! spec defines it (more fields may be added, none renamed). Lists are sorted
//! by id unless the spec says otherwise. Stakeholders never appear here.

use serde::Serialize;

use crate::analysis::register::{DecisionFact, DecisionState, RiskBand};
use crate::analysis::{DetectedRisk, Snapshot};
use crate::model::{ItemKind, LinkType, Program, Rag, RiskStatus, Status};

#[derive(Serialize)]
struct Export<'a> {
    program: ProgramOut<'a>,
    items: Vec<ItemOut<'a>>,
    critical_path: Vec<&'a str>,
    teams: Vec<TeamOut<'a>>,
    detected_risks: Vec<RiskOut<'a>>,
    /// The risk register as of the date (risks raised by then), by id.
    risks: Vec<RegisterOut<'a>>,
    /// Every decision as of the date, by id.
    decisions: Vec<DecisionOut<'a>>,
    reports: Vec<ReportOut<'a>>,
}

#[derive(Serialize)]
struct LatenessOut<'a> {
    /// Working days the program is late (0: nothing committed is late).
    days: i64,
    /// Working days the forecast end is after the committed end (0: not late).
    end: i64,
    /// The open milestone most late against its date, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    milestone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    milestone_days: Option<i64>,
    /// Open items forecast to finish after their own due date.
    late_items: usize,
}

#[derive(Serialize)]
struct RegisterOut<'a> {
    id: &'a str,
    title: &'a str,
    probability: u8,
    impact: u8,
    score: u8,
    band: RiskBand,
    status: RiskStatus,
}

#[derive(Serialize)]
struct DecisionOut<'a> {
    id: &'a str,
    title: &'a str,
    decider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    needed_by: Option<String>,
    state: DecisionState,
    /// Calendar days past `needed_by` (0 unless overdue).
    days_overdue: i64,
    /// Named by a report up to the date (an open decision counts once it
    /// is escalated or overdue).
    escalated: bool,
}

#[derive(Serialize)]
struct DecisionCounts {
    /// On the table (named by a report up to the date, or overdue) and not
    /// decided as of the date, overdue ones included.
    open: usize,
    /// Not decided and past `needed_by`.
    overdue: usize,
    /// Decided as of the date.
    decided: usize,
}

#[derive(Serialize)]
struct ProgramOut<'a> {
    name: &'a str,
    start: String,
    end: String,
    forecast_end: String,
    as_of: String,
    status: Option<Rag>,
    min_float: i64,
    lateness: LatenessOut<'a>,
    decisions: DecisionCounts,
}

#[derive(Serialize)]
struct ItemOut<'a> {
    id: &'a str,
    kind: ItemKind,
    name: &'a str,
    owner: Option<&'a str>,
    depends_on: Vec<&'a str>,
    /// The dependencies that are not plain finish-to-start without lag.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<LinkOut<'a>>,
    planned_start: String,
    planned_finish: String,
    forecast_start: String,
    forecast_finish: String,
    late_start: String,
    late_finish: String,
    duration: i64,
    total_float: i64,
    deadline_slack: i64,
    critical: bool,
    status: Status,
    progress: u8,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: LinkType,
    lag: i64,
}

#[derive(Serialize)]
struct TeamOut<'a> {
    id: &'a str,
    name: &'a str,
    deliverables: Vec<&'a str>,
    blocking_power: usize,
    waits_on: Vec<&'a str>,
}

#[derive(Serialize)]
struct RiskOut<'a> {
    kind: &'static str,
    items: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    message: &'a str,
}

#[derive(Serialize)]
struct ReportOut<'a> {
    date: String,
    status: Rag,
    summary: &'a str,
    url: String,
}

/// `program.json` for the program as of `snap`, listing the reports up to it.
pub fn program_json(program: &Program, snap: &Snapshot) -> Vec<u8> {
    let items = program
        .items
        .iter()
        .zip(&snap.items)
        .map(|(item, s)| ItemOut {
            id: &item.id,
            kind: item.kind,
            name: &item.name,
            owner: item.owner.map(|t| program.teams[t].id.as_str()),
            depends_on: item
                .depends_on
                .iter()
                .map(|&d| program.items[d].id.as_str())
                .collect(),
            links: item
                .depends_on
                .iter()
                .zip(&item.links)
                .filter(|(_, l)| !l.is_plain())
                .map(|(&d, l)| LinkOut {
                    id: program.items[d].id.as_str(),
                    kind: l.kind,
                    lag: l.lag,
                })
                .collect(),
            planned_start: s.planned_start.to_string(),
            planned_finish: s.planned_finish.to_string(),
            forecast_start: s.forecast_start.to_string(),
            forecast_finish: s.forecast_finish.to_string(),
            late_start: s.late_start.to_string(),
            late_finish: s.late_finish.to_string(),
            duration: s.duration.into(),
            total_float: s.total_float.into(),
            deadline_slack: s.deadline_slack.into(),
            critical: s.critical,
            status: s.status,
            progress: s.progress,
        })
        .collect();
    let teams = program
        .teams
        .iter()
        .zip(snap.teams.iter())
        .map(|(t, f)| TeamOut {
            id: &t.id,
            name: &t.name,
            deliverables: f
                .deliverables
                .iter()
                .map(|&i| program.items[i].id.as_str())
                .collect(),
            blocking_power: f.blocking_power,
            waits_on: f
                .waits_on
                .iter()
                .map(|&w| program.teams[w].id.as_str())
                .collect(),
        })
        .collect();
    let detected_risks = snap.detected_risks.iter().map(|r| risk_out(r)).collect();
    let upto = snap.report.map_or(0, |r| r + 1);
    let reports = program.reports[..upto.min(program.reports.len())]
        .iter()
        .map(|r| ReportOut {
            date: r.date.to_string(),
            status: r.status,
            summary: &r.summary,
            url: format!("reports/{}/", r.date),
        })
        .collect();
    let mut risks: Vec<RegisterOut> = program
        .risks
        .iter()
        .zip(snap.register.iter())
        .filter(|(_, s)| s.in_register)
        .map(|(r, s)| RegisterOut {
            id: &r.id,
            title: &r.title,
            probability: s.probability,
            impact: s.impact,
            score: s.score(),
            band: s.band(),
            status: s.status,
        })
        .collect();
    risks.sort_by(|a, b| a.id.cmp(b.id));
    let mut decisions: Vec<DecisionOut> = program
        .decisions
        .iter()
        .zip(&snap.decisions)
        .map(|(d, f)| DecisionOut {
            id: &d.id,
            title: &d.title,
            decider: &d.decider,
            needed_by: d.needed_by.map(|n| n.to_string()),
            state: f.state,
            days_overdue: f.days_overdue,
            escalated: f.escalated,
        })
        .collect();
    decisions.sort_by(|a, b| a.id.cmp(b.id));
    let count = |f: fn(&DecisionFact) -> bool| snap.decisions.iter().filter(|d| f(d)).count();
    let decision_counts = DecisionCounts {
        open: count(DecisionFact::is_open),
        overdue: count(DecisionFact::is_overdue),
        decided: count(|d| d.state == DecisionState::Decided),
    };
    let l = &snap.lateness;
    let lateness = LatenessOut {
        days: l.days,
        end: l.end,
        milestone: l.milestone.map(|(i, _)| program.items[i].id.as_str()),
        milestone_days: l.milestone.map(|(_, d)| d),
        late_items: snap.late_items,
    };
    let export = Export {
        program: ProgramOut {
            name: &program.meta.name,
            start: program.meta.start.to_string(),
            end: program.meta.end.to_string(),
            forecast_end: snap.forecast_end.to_string(),
            as_of: snap.as_of.to_string(),
            status: snap.status,
            min_float: snap.min_float,
            lateness,
            decisions: decision_counts,
        },
        items,
        critical_path: snap
            .critical_path
            .iter()
            .map(|&i| program.items[i].id.as_str())
            .collect(),
        teams,
        detected_risks,
        risks,
        decisions,
        reports,
    };
    let mut out = serde_json::to_vec_pretty(&export).unwrap_or_default();
    out.push(b'\n');
    out
}

fn risk_out(r: &DetectedRisk) -> RiskOut<'_> {
    RiskOut {
        kind: r.kind.as_str(),
        items: &r.items,
        decision: r.decision.as_deref(),
        date: r.date.map(|d| d.to_string()),
        message: &r.message,
    }
}
