//! The dependency map page: every item as a timeline row with its float,
//! deadline slack and critical flag, and the counts above the table. Float,
//! slack and the critical path are facts `crate::analysis` computed; this
//! page only counts and formats them.

use serde::Serialize;

use super::{Days, ItemRow, Links, Viewer, days};
use crate::render::SiteData;

#[derive(Clone, Debug, Serialize)]
pub struct DependenciesView {
    pub rows: Vec<ItemRow>,
    pub negative_float: usize,
    pub negative_slack: usize,
    pub critical: usize,
    pub min_float: Days,
}

pub fn dependencies(data: &SiteData, links: &Links) -> DependenciesView {
    let v = Viewer::new(data, data.current, links);
    let rows = v.item_rows(v.timeline(&data.plan.order));
    DependenciesView {
        negative_float: rows.iter().filter(|r| r.float.value < 0).count(),
        negative_slack: rows.iter().filter(|r| r.slack.value < 0).count(),
        critical: rows.iter().filter(|r| r.critical).count(),
        min_float: days(data.current.min_float),
        rows,
    }
}
