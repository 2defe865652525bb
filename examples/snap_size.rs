use tpm_site::diagnostics::Diagnostics;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut d = Diagnostics::default();
    let a = tpm_site::site::analyze_dir(std::path::Path::new(&dir), None, false, &mut d)
        .unwrap()
        .unwrap();
    let mut notes = 0usize;
    let mut note_bytes = 0usize;
    let mut risks = 0usize;
    let mut risk_bytes = 0usize;
    let mut teams = 0usize;
    let mut cp = 0;
    for s in &a.reports {
        for it in &s.items {
            if let Some(n) = &it.note {
                notes += 1;
                note_bytes += n.len();
            }
        }
        for r in &s.detected_risks {
            risks += 1;
            risk_bytes += r.message.len()
                + r.items.iter().map(|x| x.len() + 24).sum::<usize>()
                + std::mem::size_of_val(r);
        }
        for t in &s.teams {
            teams += t.deliverables.len() * 8
                + t.blocks.len() * 8
                + t.waits_on.len() * 8
                + std::mem::size_of_val(t);
        }
        cp += s.critical_path.len();
    }
    let n: usize = a.reports.iter().map(|s| s.items.len()).sum();
    println!(
        "item-snaps {n} x {} B = {} MB",
        std::mem::size_of::<tpm_site::analysis::ItemSchedule>(),
        n * std::mem::size_of::<tpm_site::analysis::ItemSchedule>() >> 20
    );
    println!(
        "notes {notes} {} MB; risks {risks} {} MB; teams {} MB; cp {cp}",
        note_bytes >> 20,
        risk_bytes >> 20,
        teams >> 20
    );
}
