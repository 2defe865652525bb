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
        cache: Default::default(),
    };
    let only = std::env::var("ONLY").ok();
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
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let t = Instant::now();
        for s in &subjects {
            std::hint::black_box(charts_for(&data, *s, "../../"));
        }
        println!("charts {name} ({}): {:?}", subjects.len(), t.elapsed());
    }
    let t = Instant::now();
    for i in 0..a.program.items.len() {
        std::hint::black_box(tpm_site::layout::dag::layout_dependencies(
            &a.program,
            &a.plan.consumers,
            &a.current,
            tpm_site::layout::dag::Focus::Item(i),
        ));
    }
    println!("item layouts only: {:?}", t.elapsed());
    if only.is_some() {
        return;
    }
    let theme = tpm_site::render::theme::Theme::load("default", None).unwrap();
    let t = Instant::now();
    let pages = tpm_site::render::html::render_pages(&data, &theme).unwrap();
    println!("render_pages ({}): {:?}", pages.len(), t.elapsed());
    let t = Instant::now();
    let ex = tpm_site::render::exports::exports(&data);
    println!("exports ({}): {:?}", ex.len(), t.elapsed());
    let t = Instant::now();
    let j = tpm_site::render::json::program_json(&a.program, &a.current);
    println!("program.json ({}): {:?}", j.len(), t.elapsed());
    let t = Instant::now();
    let files = tpm_site::site::render_site(&a, None).unwrap();
    println!("render_site ({} files): {:?}", files.len(), t.elapsed());
    let t = Instant::now();
    tpm_site::site::guards::check(&files, &a.program).unwrap();
    println!("guards: {:?}", t.elapsed());
    guard_parts(&files, &a.program);
}

#[allow(dead_code)]
fn guard_parts(files: &[tpm_site::render::OutputFile], p: &tpm_site::model::Program) {
    let t = Instant::now();
    let n = tpm_site::site::guards::stakeholder_addresses(files, p).len();
    println!("  addresses ({n}): {:?}", t.elapsed());
    let t = Instant::now();
    let n = tpm_site::site::guards::internal_text(files, p).len();
    println!("  internal ({n}): {:?}", t.elapsed());
    let t = Instant::now();
    let n = tpm_site::site::guards::broken_links(files, p.meta.site.base_url.as_deref()).len();
    println!("  links ({n}): {:?}", t.elapsed());
}
