//! The risk register and the decisions as of a date, so that a report page
//! shows them as they stood then (a later edit never rewrites an old report).
//!
//! Risks: `risks.yaml` gives each risk's definition and its assessment when it
//! was raised; reports re-score, mitigate or close risks through their `risks`
//! patches (a tpm-site extension, merged like `updates`). Decisions: a decision
//! counts as decided from its `decided_on` date.

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Decision, DecisionStatus, Program, Risk, RiskStatus, RiskUpdate};

/// A risk as of one date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RiskState {
    /// Raised on or before the date.
    pub in_register: bool,
    pub status: RiskStatus,
    pub probability: u8,
    pub impact: u8,
    /// The newest note from a report patch.
    pub note: Option<String>,
}

/// A risk score's band: the one rule every page, chart and export uses.
///
/// Scores run from 1 to 25 (probability × impact, each 1..5): high from
/// [`RiskBand::HIGH_MIN`] (15) up, medium from [`RiskBand::MEDIUM_MIN`] (6) up,
/// low below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    Low,
    Medium,
    High,
}

impl RiskBand {
    /// Scores from this up are high.
    pub const HIGH_MIN: u32 = 15;
    /// Scores from this up (below [`RiskBand::HIGH_MIN`]) are medium; below it, low.
    pub const MEDIUM_MIN: u32 = 6;

    pub fn of(score: u32) -> RiskBand {
        if score >= Self::HIGH_MIN {
            RiskBand::High
        } else if score >= Self::MEDIUM_MIN {
            RiskBand::Medium
        } else {
            RiskBand::Low
        }
    }

    /// `high`, `medium` or `low` (as in program.json).
    pub fn as_str(self) -> &'static str {
        match self {
            RiskBand::High => "high",
            RiskBand::Medium => "medium",
            RiskBand::Low => "low",
        }
    }
}

impl RiskState {
    /// The assessment `risks.yaml` gives (not in the register yet: the
    /// caller decides from `raised`).
    pub fn assessed(r: &Risk) -> RiskState {
        RiskState {
            in_register: false,
            status: r.status,
            probability: r.probability,
            impact: r.impact,
            note: None,
        }
    }
    /// A report's patch: each field given replaces the one before, and a
    /// patched risk is in the register.
    pub fn apply(&mut self, u: &RiskUpdate) {
        self.in_register = true;
        if let Some(v) = u.status {
            self.status = v;
        }
        if let Some(v) = u.probability {
            self.probability = v;
        }
        if let Some(v) = u.impact {
            self.impact = v;
        }
        if u.note.is_some() {
            self.note = u.note.clone();
        }
    }
    pub fn score(&self) -> u8 {
        self.probability * self.impact
    }
    pub fn band(&self) -> RiskBand {
        RiskBand::of(u32::from(self.score()))
    }
    /// Open or being mitigated (not closed, not already occurred).
    pub fn is_active(&self) -> bool {
        self.in_register && matches!(self.status, RiskStatus::Open | RiskStatus::Mitigating)
    }
}

/// Every risk (parallel to `program.risks`) as of `as_of`, with the patches of
/// reports `..upto` (exclusive end index into `program.reports`).
pub fn risks_as_of(program: &Program, upto: usize, as_of: Date) -> Vec<RiskState> {
    let mut out: Vec<RiskState> = program
        .risks
        .iter()
        .map(|r| RiskState {
            in_register: r.raised.is_none_or(|d| d <= as_of),
            ..RiskState::assessed(r)
        })
        .collect();
    for report in &program.reports[..upto.min(program.reports.len())] {
        for u in &report.risk_updates {
            out[u.risk].apply(u);
        }
    }
    out
}

/// The register as of `as_of` as risks (patched values), leaving out those
/// not raised yet: what charts and tables of that date show.
pub fn register_as_of(program: &Program, upto: usize, as_of: Date) -> Vec<Risk> {
    register_risks(program, &risks_as_of(program, upto, as_of))
}

/// A snapshot's register (`Snapshot::register`) as risks with the patched
/// values, leaving out those not in the register yet.
pub fn register_risks(program: &Program, register: &[RiskState]) -> Vec<Risk> {
    program
        .risks
        .iter()
        .zip(register)
        .filter(|(_, s)| s.in_register)
        .map(|(r, s)| Risk {
            status: s.status,
            probability: s.probability,
            impact: s.impact,
            ..r.clone()
        })
        .collect()
}

/// Where a decision stands on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionState {
    /// Open and past `needed_by`.
    Overdue,
    Open,
    Decided,
}

/// A decision as of a date: its state and, when overdue, by how many
/// calendar days (`needed_by` is a calendar date).
///
/// A decision is *on the table* from the first report that names it in its
/// `decisions` list, or from the day it is overdue (an overdue decision no
/// report escalated is the one most worth seeing). The open and overdue
/// counts on every page and in program.json count the decisions on the
/// table; a later report never changes what an earlier page counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionFact {
    pub state: DecisionState,
    /// Calendar days past `needed_by` (0 unless overdue).
    pub days_overdue: i64,
    /// Named by a report dated on or before the date.
    pub escalated: bool,
}

impl DecisionFact {
    /// On the table and not decided (overdue ones included).
    pub fn is_open(&self) -> bool {
        match self.state {
            DecisionState::Overdue => true,
            DecisionState::Open => self.escalated,
            DecisionState::Decided => false,
        }
    }
    /// Not decided and past `needed_by` (escalated or not).
    pub fn is_overdue(&self) -> bool {
        self.state == DecisionState::Overdue
    }
}

/// Where `d` stands on `as_of` ([`decision_state`] and the days overdue),
/// counted as escalated or not.
pub fn decision_fact(d: &Decision, as_of: Date, escalated: bool) -> DecisionFact {
    let state = decision_state(d, as_of);
    let days_overdue = match (state, d.needed_by) {
        (DecisionState::Overdue, Some(by)) => {
            by.until(as_of).map_or(0, |s| i64::from(s.get_days()))
        }
        _ => 0,
    };
    DecisionFact {
        state,
        days_overdue,
        escalated,
    }
}

/// A decision's state on `as_of`: decided from its `decided_on` date on (a
/// decided decision without a date counts as decided all along).
pub fn decision_state(d: &Decision, as_of: Date) -> DecisionState {
    let decided = d.status == DecisionStatus::Decided && d.decided_on.is_none_or(|on| on <= as_of);
    if decided {
        DecisionState::Decided
    } else if d.needed_by.is_some_and(|by| by < as_of) {
        DecisionState::Overdue
    } else {
        DecisionState::Open
    }
}

/// The date of the first report among `..upto` that put the decision in front
/// of stakeholders (how long it has been open is counted from there).
pub fn first_escalated(program: &Program, decision: usize, upto: usize) -> Option<Date> {
    program.reports[..upto.min(program.reports.len())]
        .iter()
        .find(|r| r.decisions.contains(&decision))
        .map(|r| r.date)
}
