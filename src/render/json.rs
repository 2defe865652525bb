//! `program.json`: the stable machine-readable export, field for field as the
//! spec defines it (more fields may be added, none renamed). Lists are sorted
//! by id unless the spec says otherwise. Stakeholders never appear here.

use serde::Serialize;

use crate::analysis::register::{DecisionFact, DecisionState, RiskBand};
use crate::analysis::story::{Charge, Story};
use crate::analysis::{DetectedRisk, Snapshot};
use crate::model::{ItemIx, ItemKind, LinkType, Program, Rag, RiskStatus, Status, TeamIx};

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
    /// The director's read (`analysis::story`); absent without a story.
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<StoryOut<'a>>,
}

#[derive(Serialize)]
struct ChainOut<'a> {
    item: &'a str,
    team: Option<&'a str>,
    forecast_finish: String,
    slip: i64,
    own_delay: i64,
}

#[derive(Serialize)]
struct PathDeltaOut<'a> {
    now: Vec<&'a str>,
    was: Vec<&'a str>,
    changed: bool,
    joined: Vec<&'a str>,
    left: Vec<&'a str>,
    float_before: i64,
    float_after: i64,
}

#[derive(Serialize)]
struct ItemChargeOut<'a> {
    item: &'a str,
    team: Option<&'a str>,
    days: i64,
}

#[derive(Serialize)]
struct TeamChargeOut<'a> {
    team: Option<&'a str>,
    days: i64,
}

#[derive(Serialize)]
struct AttributionOut<'a> {
    plan_end: String,
    total: i64,
    unattributed: i64,
    by_team: Vec<TeamChargeOut<'a>>,
    by_item: Vec<ItemChargeOut<'a>>,
    period: i64,
    period_charges: Vec<ItemChargeOut<'a>>,
}

#[derive(Serialize)]
struct OwedOut<'a> {
    id: &'a str,
    title: &'a str,
    decider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    needed_by: Option<String>,
    overdue: bool,
    days_overdue: i64,
}

#[derive(Serialize)]
struct StoryOut<'a> {
    previous_end: String,
    end: String,
    end_moved: i64,
    driving_chain: Vec<ChainOut<'a>>,
    critical_path_delta: PathDeltaOut<'a>,
    attribution: AttributionOut<'a>,
    decisions_owed: Vec<OwedOut<'a>>,
}

fn story_out<'a>(program: &'a Program, s: &'a Story) -> StoryOut<'a> {
    let item = |i: ItemIx| program.items[i].id.as_str();
    let team = |t: Option<TeamIx>| t.map(|t| program.teams[t].id.as_str());
    let items = |v: &[ItemIx]| v.iter().map(|&i| item(i)).collect::<Vec<_>>();
    let charges = |v: &[Charge]| {
        v.iter()
            .map(|c| ItemChargeOut {
                item: item(c.item),
                team: team(c.team),
                days: c.days,
            })
            .collect::<Vec<_>>()
    };
    let a = &s.attribution;
    StoryOut {
        previous_end: s.previous_end.to_string(),
        end: s.end.to_string(),
        end_moved: s.end_moved,
        driving_chain: s
            .chain
            .iter()
            .map(|l| ChainOut {
                item: item(l.item),
                team: team(l.team),
                forecast_finish: l.forecast_finish.to_string(),
                slip: l.slip,
                own_delay: l.own_delay,
            })
            .collect(),
        critical_path_delta: PathDeltaOut {
            now: items(&s.path.now),
            was: items(&s.path.was),
            changed: s.path.changed,
            joined: items(&s.path.joined),
            left: items(&s.path.left),
            float_before: s.path.float_before,
            float_after: s.path.float_after,
        },
        attribution: AttributionOut {
            plan_end: a.plan_end.to_string(),
            total: a.total,
            unattributed: a.unattributed,
            by_team: a
                .by_team
                .iter()
                .map(|c| TeamChargeOut {
                    team: team(c.team),
                    days: c.days,
                })
                .collect(),
            by_item: charges(&a.by_item),
            period: a.period,
            period_charges: charges(&a.period_charges),
        },
        decisions_owed: s
            .decisions
            .iter()
            .filter_map(|o| {
                let d = program.decisions.get(o.decision)?;
                Some(OwedOut {
                    id: &d.id,
                    title: &d.title,
                    decider: &d.decider,
                    needed_by: o.needed_by.map(|n| n.to_string()),
                    overdue: o.overdue,
                    days_overdue: o.days_overdue,
                })
            })
            .collect(),
    }
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
    /// The person directly responsible, when named (additive: absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    dri: Option<&'a str>,
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
            dri: item.dri.as_deref(),
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
        story: snap.story.as_deref().map(|s| story_out(program, s)),
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
