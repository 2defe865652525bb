//! The decisions page: open decisions first, then decided ones, as of the
//! current snapshot. Whether a decision is open, decided or overdue is
//! `crate::analysis`' rule; this page only splits and formats the list.

use serde::Serialize;

use super::{DecisionView, Links, Viewer};
use crate::render::SiteData;

#[derive(Clone, Debug, Serialize)]
pub struct DecisionsView {
    pub open: Vec<DecisionView>,
    pub decided: Vec<DecisionView>,
    pub overdue: usize,
}

pub fn decisions(data: &SiteData, links: &Links) -> DecisionsView {
    let v = Viewer::new(data, data.current, links);
    let (decided, open): (Vec<DecisionView>, Vec<DecisionView>) = v
        .decisions(&data.program.decisions, data.current.as_of)
        .into_iter()
        .partition(|d| d.decided);
    DecisionsView {
        overdue: open.iter().filter(|d| d.overdue).count(),
        open,
        decided,
    }
}
