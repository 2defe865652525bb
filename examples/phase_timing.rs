//! Times each build phase on a content folder (used while optimising):
//! `cargo run --release --example phase_timing -- DIR`.
use std::time::Instant;

use tpm_site::diagnostics::Diagnostics;
use tpm_site::render::SiteData;
use tpm_site::render::charts::{Subject, charts_for};

fn main() {
    let dir = std::env::args().nth(1).expect("content dir");
    let t = Instant::now();
    let a = tpm_site::site::analyze_dir(
        std::path::Path::new(&dir),
        None,
        false,
        &mut Diagnostics::new(),
    )
    .unwrap()
    .unwrap();
    println!("load+analyze: {:?}", t.elapsed());
    let data = SiteData {
        program: &a.program,
        plan: &a.plan,
        current: &a.current,
        reports: &a.reports,
        scheduled: &a.scheduled,
        source_commit: None,
    };
    for (name, subjects) in [
        ("dashboard", vec![Subject::Dashboard]),
        ("dependencies", vec![Subject::Dependencies]),
        (
            "teams",
            (0..a.program.teams.len()).map(Subject::Team).collect(),
        ),
        (
            "items",
            (0..a.program.items.len()).map(Subject::Item).collect(),
        ),
        (
            "reports",
            (0..a.program.reports.len())
                .map(Subject::Report)
                .collect::<Vec<_>>(),
        ),
    ] {
        let t = Instant::now();
        for s in &subjects {
            std::hint::black_box(charts_for(&data, *s, "../../"));
        }
        println!("charts {name} ({}): {:?}", subjects.len(), t.elapsed());
    }
    let t = Instant::now();
    let files = tpm_site::site::render_site(&a, None).unwrap();
    println!("render_site ({} files): {:?}", files.len(), t.elapsed());
}
