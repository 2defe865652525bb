//! Where the memory of the report snapshots goes: run with a content folder
//! (`cargo run --release --example snap_size -- /tmp/tpm-site-bench/L/content`).
//! Shared allocations (notes, team facts, risks found again) count once.

use std::collections::HashSet;
use std::sync::Arc;

use tpm_site::analysis::{DetectedRisk, ItemSchedule, TeamFacts};
use tpm_site::diagnostics::Diagnostics;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: snap_size CONTENT_DIR");
    let mut d = Diagnostics::default();
    let a = tpm_site::site::analyze_dir(std::path::Path::new(&dir), None, false, &mut d)
        .expect("loads")
        .expect("analyses");
    let (mut notes, mut risks, mut teams) = (HashSet::new(), HashSet::new(), HashSet::new());
    let (mut note_bytes, mut risk_bytes, mut risk_refs, mut team_bytes) = (0, 0, 0, 0);
    for s in &a.reports {
        for n in s.items.iter().filter_map(|it| it.note.as_ref()) {
            if notes.insert(Arc::as_ptr(n) as *const u8 as usize) {
                note_bytes += n.len();
            }
        }
        for r in &s.detected_risks {
            risk_refs += 1;
            if risks.insert(Arc::as_ptr(r) as usize) {
                risk_bytes += size_of::<DetectedRisk>()
                    + r.message.len()
                    + r.items.iter().map(|x| x.len() + 24).sum::<usize>();
            }
        }
        if teams.insert(Arc::as_ptr(&s.teams) as usize) {
            team_bytes += s
                .teams
                .iter()
                .map(|t| {
                    size_of::<TeamFacts>()
                        + 8 * (t.deliverables.len() + t.blocks.len() + t.waits_on.len())
                })
                .sum::<usize>();
        }
    }
    let n: usize = a.reports.iter().map(|s| s.items.len()).sum();
    let mb = |b: usize| b >> 20;
    println!(
        "{} reports; item schedules: {n} x {} B = {} MB",
        a.reports.len(),
        size_of::<ItemSchedule>(),
        mb(n * size_of::<ItemSchedule>())
    );
    println!("notes: {} distinct, {} MB", notes.len(), mb(note_bytes));
    println!(
        "detected risks: {risk_refs} in all, {} distinct allocations, {} MB",
        risks.len(),
        mb(risk_bytes + 8 * risk_refs)
    );
    println!(
        "team facts: {} distinct, {} MB",
        teams.len(),
        mb(team_bytes)
    );
}
