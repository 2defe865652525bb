//! The charter page: the program's objective, success criteria, teams,
//! schedule, milestones, key risks, communication plan, report cadence and
//! working calendar. It formats content and facts `crate::analysis`
//! computed; it computes no schedule facts.

use serde::Serialize;

use super::{
    ItemRow, Links, RiskRow, ScheduleView, TeamSummary, Viewer, milestones_by_date, opt_date,
    schedule_view,
};
use crate::model::Risk;
use crate::render::SiteData;

#[derive(Clone, Debug, Serialize)]
pub struct CharterView {
    pub name: String,
    pub objective: String,
    pub success_criteria: Vec<String>,
    pub teams: Vec<TeamSummary>,
    pub schedule: ScheduleView,
    pub milestones: Vec<ItemRow>,
    pub key_risks: Vec<RiskRow>,
    pub communication: Vec<crate::model::Communication>,
    pub cadence: String,
    pub first_report: Option<String>,
    /// "Mon, Tue, Wed, Thu, Fri" or "every day".
    pub workdays: String,
    pub holidays: Vec<String>,
}

pub fn charter(data: &SiteData, links: &Links) -> CharterView {
    let (program, snap) = (data.program, data.current);
    let v = Viewer::new(data, snap, links);
    let meta = &program.meta;
    let key: Vec<&Risk> = meta
        .key_risks
        .iter()
        .filter_map(|&k| program.risks.get(k))
        .collect();
    CharterView {
        name: meta.name.clone(),
        objective: meta.objective.clone(),
        success_criteria: meta.success_criteria.clone(),
        teams: v.team_summaries(),
        schedule: schedule_view(program, snap),
        milestones: v.item_rows(milestones_by_date(program, snap)),
        key_risks: v.risk_rows(key),
        communication: meta.communication.clone(),
        cadence: meta.cadence.text.clone(),
        first_report: opt_date(meta.cadence.first),
        workdays: workdays_text(meta.calendar.workdays()),
        holidays: meta.holidays.iter().map(|d| d.to_string()).collect(),
    }
}

fn workdays_text(w: [bool; 7]) -> String {
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    if w.iter().all(|&b| b) {
        return "Every day".to_string();
    }
    NAMES
        .iter()
        .zip(w)
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdays_in_words() {
        assert_eq!(
            workdays_text([true, true, true, true, true, false, false]),
            "Mon, Tue, Wed, Thu, Fri"
        );
        assert_eq!(workdays_text([true; 7]), "Every day");
    }
}
