//! The risks page: the risk register as of the current snapshot and every
//! detected schedule risk. Register states and detected risks come from
//! `crate::analysis`; this page sorts and formats them and computes no
//! facts of its own.

use serde::Serialize;

use super::{DetectedGroup, Links, RiskRow, Viewer};
use crate::render::SiteData;

#[derive(Clone, Debug, Serialize)]
pub struct RisksView {
    pub risks: Vec<RiskRow>,
    pub live: usize,
    pub detected: Vec<DetectedGroup>,
}

/// The register as of the current snapshot: status and scores after every
/// report patch up to it; risks raised later are not shown.
pub fn risks(data: &SiteData, links: &Links) -> RisksView {
    let v = Viewer::new(data, data.current, links);
    let risks = v.risk_rows(&data.program.risks);
    RisksView {
        live: risks.iter().filter(|r| r.active).count(),
        risks,
        detected: v.detected_groups(usize::MAX, true),
    }
}
