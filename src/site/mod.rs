//! Orchestration: a build is a list of steps (load, resolve, plan, analyze,
//! render, write), each feeding the next. Render, the guards' scan and the
//! write to the staging folder run as one pass, page by page, so no step
//! holds the whole site; the swap at the end is all or nothing. This module
//! owns the order of the steps and the build options; [`output`] is the one
//! place that writes files.

pub mod email;
pub mod guards;
pub mod import;
pub mod output;
pub mod serve;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::analysis::{self, Plan, Snapshot};
use crate::content;
use crate::diagnostics::Diagnostics;
use crate::model::{self, Program, ResolveOptions};
use crate::render::{self, OutputFile, SiteData};

/// What to build from where.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// Overrides `site.base_url` (parsed where it entered, on the command line).
    pub base_url: Option<crate::model::BaseUrl>,
    /// "Today": defaults to the newest report's date.
    pub as_of: Option<Date>,
    /// Keep draft reports (serve only).
    pub include_drafts: bool,
    /// The commit shown on every report page; `None`: each report page shows
    /// the last commit that changed its own file ([`fill_report_commits`]),
    /// or none outside a git repository.
    pub source_commit: Option<String>,
}

/// A loaded, analysed program: everything render needs.
pub struct Analyzed {
    pub program: Program,
    pub plan: Plan,
    /// As of the newest report or `--as-of`.
    pub current: Snapshot,
    /// Parallel to `program.reports`.
    pub reports: Vec<Snapshot>,
    pub scheduled: Vec<(Date, Option<usize>)>,
    /// The commit the content comes from, shown on report pages (set by [`build`]).
    pub source_commit: Option<String>,
}

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content problems: the diagnostics say which.
    #[error("the content has errors")]
    Content,
    #[error(transparent)]
    Load(#[from] content::LoadError),
    #[error(transparent)]
    Output(#[from] output::OutputError),
    #[error("theme: {0}")]
    Theme(#[from] render::theme::ThemeError),
    #[error("render: {0}")]
    Render(#[from] render::html::RenderError),
    /// The publishing guards found a leak or a broken link: nothing was written.
    #[error(transparent)]
    Guard(#[from] guards::GuardError),
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Time per step: load (read and parse files), analyze (resolve, plan,
    /// every report's snapshot), render (layout, charts, pages, exports),
    /// check (the publishing guards), write (staging and swap; the guards
    /// run while it writes, so "check" and "write" overlap).
    pub phases: Vec<(&'static str, Duration)>,
    /// CPU time spent laying out and drawing charts during render, summed
    /// over the threads that render pages in parallel.
    pub charts_cpu: Duration,
    /// The program in a line's worth of facts (what `check` reports).
    pub program: ProgramSummary,
}

/// What a build says of the program it built.
#[derive(Debug)]
pub struct ProgramSummary {
    pub name: String,
    pub items: usize,
    pub teams: usize,
    pub reports: usize,
    pub forecast_end: Date,
    pub committed_end: Date,
}

/// Loads, resolves and analyses `content_dir`. Diagnostics are appended to
/// `diags`; `Ok(None)` means content errors stopped it.
pub fn analyze_dir(
    content_dir: &Path,
    as_of: Option<Date>,
    include_drafts: bool,
    diags: &mut Diagnostics,
) -> Result<Option<Analyzed>, content::LoadError> {
    let loaded = content::load(content_dir, diags)?;
    Ok(analyze_content(&loaded, as_of, include_drafts, diags))
}

/// Resolves and analyses content already read (from disk or from memory, see
/// [`content::memory`]). `None` means content errors stopped it.
pub fn analyze_content(
    loaded: &content::Content,
    as_of: Option<Date>,
    include_drafts: bool,
    diags: &mut Diagnostics,
) -> Option<Analyzed> {
    let program = model::resolve(loaded, ResolveOptions { include_drafts }, diags)?;
    analyze_program(program, as_of, diags)
}

/// Plans a resolved program and analyses it as of every report and as of
/// `as_of` (or the newest report), then adds the warnings about the reports
/// as a whole ([`report_warnings`]). `None` means content errors stopped it.
///
/// `as_of` means exactly "the content with the reports dated after it left
/// out": every page, export and warning of the site then agrees on which
/// reports exist. Every command goes through here, so `check`, `serve`,
/// `email` and `diff` see the facts and warnings that `build` does.
pub fn analyze_program(
    mut program: Program,
    as_of: Option<Date>,
    diags: &mut Diagnostics,
) -> Option<Analyzed> {
    if let Some(date) = as_of {
        // Reports are sorted by date.
        let keep = program.reports.partition_point(|r| r.date <= date);
        program.reports.truncate(keep);
    }
    let plan = analysis::plan(&program, diags)?;
    if diags.has_errors() {
        return None;
    }
    // Each report's snapshot is independent of the others: the states come
    // from one running merge, a few at a time (so they never all sit in
    // memory), and are analysed on every core.
    let mut reports: Vec<Snapshot> = Vec::with_capacity(program.reports.len());
    let mut states = analysis::StateIter::new(&program);
    let batch = 2 * rayon::current_num_threads().max(1);
    loop {
        let chunk: Vec<analysis::State> = states.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        let first = reports.len();
        reports.par_extend(
            chunk
                .par_iter()
                .map(|s| analysis::analyze(&program, &plan, s)),
        );
        // Risks found again, unchanged, share the previous report's copy.
        for k in first.max(1)..reports.len() {
            let (before, after) = reports.split_at_mut(k);
            analysis::share_risks(&before[k - 1], &mut after[0]);
        }
    }
    // The director's read: each report against the one before, in one pass.
    let planned = analysis::analyze(&program, &plan, &analysis::plan_state(&program));
    analysis::story::tell_all(&program, &planned, &mut reports);
    let current = match as_of {
        Some(date) => {
            let mut snap =
                analysis::analyze(&program, &plan, &analysis::state_as_of(&program, date));
            analysis::story::tell_as_of(&program, &planned, &reports, &mut snap);
            snap
        }
        // The newest non-draft report is the current state (drafts only appear in serve).
        None => match reports
            .iter()
            .zip(&program.reports)
            .rev()
            .find(|(_, r)| !r.draft)
        {
            Some((last, _)) => last.clone(),
            None => {
                let mut snap = analysis::analyze(
                    &program,
                    &plan,
                    &analysis::state_as_of(&program, program.meta.start),
                );
                analysis::story::tell_as_of(&program, &planned, &reports, &mut snap);
                snap
            }
        },
    };
    let scheduled = analysis::scheduled_reports(&program);
    let analyzed = Analyzed {
        program,
        plan,
        current,
        reports,
        scheduled,
        source_commit: None,
    };
    report_warnings(&analyzed, diags);
    Some(analyzed)
}

/// Renders every file of the site in memory (nothing is written; [`build`]
/// streams them to disk instead).
pub fn render_site(a: &Analyzed, theme_root: Option<&Path>) -> Result<Vec<OutputFile>, BuildError> {
    let theme = load_theme(a, theme_root)?;
    let data = a.site_data();
    let mut files = render::html::render_pages(&data, &theme)?;
    let pages: Vec<String> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| f.path.clone())
        .collect();
    files.extend(other_files(&data, &pages));
    files.sort_by(|x, y| x.path.cmp(&y.path));
    Ok(files)
}

/// The site's theme: the embedded default with the files of
/// `<theme_root>/<name>/` laid over it.
pub fn load_theme(
    a: &Analyzed,
    theme_root: Option<&Path>,
) -> Result<render::theme::Theme, BuildError> {
    let theme_dir = theme_root.map(|r| r.join(&a.program.meta.site.theme));
    Ok(render::theme::Theme::load(
        &a.program.meta.site.theme,
        theme_dir.as_deref(),
    )?)
}

impl Analyzed {
    /// What the renderers read.
    pub fn site_data(&self) -> SiteData<'_> {
        SiteData {
            program: &self.program,
            plan: &self.plan,
            current: &self.current,
            reports: &self.reports,
            scheduled: &self.scheduled,
            source_commit: self.source_commit.clone(),
            cache: Default::default(),
        }
    }
}

/// Every file besides the pages and stylesheets: the exports (feed,
/// calendar, CSV; the sitemap of `pages` when `base_url` is known and the
/// site is public), `program.json`, `.nojekyll`, `CNAME`, and a `robots.txt`
/// that disallows crawling when the site is private and served at a domain
/// root.
pub fn other_files(data: &SiteData, pages: &[String]) -> Vec<OutputFile> {
    let program = data.program;
    let site = &program.meta.site;
    let mut files = render::exports::exports(data);
    if site.public
        && let Some(base) = &site.base_url
    {
        files.push(render::exports::sitemap(base, pages));
    }
    if !site.public && site.at_domain_root() {
        files.push(OutputFile {
            path: "robots.txt".into(),
            bytes: b"# This site is private (program.yaml: site.public is not true).\nUser-agent: *\nDisallow: /\n".to_vec(),
        });
    }
    files.push(OutputFile {
        path: "program.json".into(),
        bytes: render::json::program_json(program, data.current),
    });
    files.push(OutputFile {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    });
    if let Some(cname) = &program.meta.site.cname {
        files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{cname}\n").into_bytes(),
        });
    }
    files
}

/// The folder holding site themes: `themes/` next to the content folder.
pub fn theme_root(content_dir: &Path) -> PathBuf {
    let abs = if content_dir.is_absolute() {
        content_dir.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_default()
            .join(content_dir)
    };
    abs.parent()
        .map(|p| p.join("themes"))
        .unwrap_or_else(|| PathBuf::from("themes"))
}

/// Where the pipeline's pages go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputMode {
    /// Staged beside `BuildOptions::output` and swapped in when every page
    /// was written and the guards found nothing (`build`).
    Disk,
    /// Rendered and scanned by the guards, then dropped (`check`): every
    /// problem `build` would stop on, nothing written.
    None,
}

/// The whole build: analyse, render, write atomically.
pub fn build(opts: &BuildOptions, diags: &mut Diagnostics) -> Result<BuildSummary, BuildError> {
    run(opts, OutputMode::Disk, diags)
}

/// The pipeline, load → resolve → analyse (with the report warnings) →
/// render → guards → write, with the pages going where `mode` says. `build`
/// and `check` are this with [`OutputMode::Disk`] and [`OutputMode::None`],
/// so `check` stops on everything `build` stops on (a theme error, a leak
/// the guards find) and prints the same diagnostics.
pub fn run(
    opts: &BuildOptions,
    mode: OutputMode,
    diags: &mut Diagnostics,
) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    // Refuse a dangerous target before doing any work.
    if mode == OutputMode::Disk {
        output::check_target(&opts.output, &opts.content)?;
    }
    let mut phases = Vec::new();
    let mut lap = Instant::now();
    let mut step = |name: &'static str, phases: &mut Vec<(&'static str, Duration)>| {
        phases.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let loaded = content::load(&opts.content, diags)?;
    step("load", &mut phases);
    let resolve = ResolveOptions {
        include_drafts: opts.include_drafts,
    };
    let program = model::resolve(&loaded, resolve, diags);
    // The parsed files are done with: their memory goes to the snapshots.
    drop(loaded);
    let Some(mut analyzed) = program.and_then(|p| analyze_program(p, opts.as_of, diags)) else {
        return Err(BuildError::Content);
    };
    step("analyze", &mut phases);
    if let Some(url) = &opts.base_url {
        analyzed.program.meta.site.base_url = Some(url.clone());
    }
    analyzed.source_commit = opts.source_commit.as_deref().and_then(clean_commit);
    fill_report_commits(&mut analyzed.program, &opts.content);
    let theme = load_theme(&analyzed, Some(&theme_root(&opts.content)))?;
    let data = analyzed.site_data();
    // One pass renders each page, runs the guards' scan over it and writes
    // it beside the output, then lets it go: the site is never held in
    // memory. The new site replaces the old one only when every page was
    // written and the guards found nothing.
    let staged = match mode {
        OutputMode::Disk => Some(output::begin(&opts.output, &opts.content)?),
        OutputMode::None => None,
    };
    let guard = guards::Guard::new(&analyzed.program);
    let pages = Mutex::new(Vec::new());
    let files = AtomicUsize::new(0);
    let cpu = |started: Instant, total: &AtomicU64| {
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        total.fetch_add(nanos, Ordering::Relaxed);
    };
    let (check_nanos, write_nanos) = (AtomicU64::new(0), AtomicU64::new(0));
    let emit = |file: OutputFile| -> Result<(), BuildError> {
        let t = Instant::now();
        guard.scan(&file);
        cpu(t, &check_nanos);
        let t = Instant::now();
        if let Some(staged) = &staged {
            staged.write(&file)?;
        }
        cpu(t, &write_nanos);
        files.fetch_add(1, Ordering::Relaxed);
        if file.path.ends_with(".html") {
            pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(file.path);
        }
        Ok(())
    };
    let written = render::html::render_pages_each(&data, &theme, emit).and_then(|()| {
        let mut pages = std::mem::take(&mut *pages.lock().unwrap_or_else(|e| e.into_inner()));
        pages.sort();
        let n = pages.len();
        other_files(&data, &pages).into_iter().try_for_each(&emit)?;
        Ok(n)
    });
    step("render", &mut phases);
    let t = Instant::now();
    let checked = guard.finish();
    let check_time = Duration::from_nanos(check_nanos.into_inner()) + t.elapsed();
    let page_count = match (written, checked) {
        (Ok(n), Ok(())) => n,
        (Err(e), _) => {
            if let Some(staged) = staged {
                staged.discard();
            }
            return Err(e);
        }
        (Ok(_), Err(e)) => {
            if let Some(staged) = staged {
                staged.discard();
            }
            return Err(e.into());
        }
    };
    let t = Instant::now();
    if let Some(staged) = staged {
        staged.commit()?;
    }
    // Checking and writing happen within rendering, on every core: "check"
    // is the guards' CPU time plus the link check at the end, "write" the
    // writes' CPU time plus the swap.
    phases.push(("check", check_time));
    phases.push((
        "write",
        Duration::from_nanos(write_nanos.into_inner()) + t.elapsed(),
    ));
    Ok(BuildSummary {
        phases,
        pages: page_count,
        files: files.into_inner(),
        elapsed: started.elapsed(),
        charts_cpu: data.cache.chart_time(),
        program: ProgramSummary {
            name: analyzed.program.meta.name.clone(),
            items: analyzed.program.items.len(),
            teams: analyzed.program.teams.len(),
            reports: analyzed.program.reports.len(),
            forecast_end: analyzed.current.forecast_end,
            committed_end: analyzed.program.meta.end,
        },
    })
}

/// Warnings about the reports as a whole: a report whose declared green or
/// amber the computed schedule contradicts (at the report's front matter), and
/// every scheduled report date up to the as-of date that no report covers (at
/// `program.yaml`).
fn report_warnings(a: &Analyzed, diags: &mut Diagnostics) {
    let program = &a.program;
    for (report, snap) in program.reports.iter().zip(&a.reports) {
        let reasons = analysis::checks::rag_disagreements(program, snap);
        // `status_reason:` acknowledges the disagreement for this report.
        if !reasons.is_empty() && report.status_reason.is_none() {
            diags
                .warning(
                    &report.loc,
                    format!(
                        "the report of {} says {}, but the computed schedule disagrees: {}",
                        report.date,
                        report.status.as_str(),
                        reasons.join("; ")
                    ),
                )
                .with_hint(
                    "say red, or keep the status and give the reason in the front matter: `status_reason: \"...\"` (shown on the report page)",
                );
        }
    }
    for &(date, covered) in &a.scheduled {
        if covered.is_none() && date <= a.current.as_of {
            diags
                .warning(
                    &program.meta.loc,
                    format!(
                        "no report for the scheduled report date {date} (a report every {})",
                        program.meta.cadence.text
                    ),
                )
                .with_hint(format!(
                    "add reports/{date}.md, or change `reports` in program.yaml"
                ));
        }
    }
}

/// A source commit as shown on report pages: 1 to 64 ASCII letters, digits
/// and `.`, `_`, `-`, `+`, `/` (a commit id, `abc1234-dirty`, a tag).
pub fn clean_commit(s: &str) -> Option<String> {
    let s = s.trim();
    let ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+' | b'/');
    (!s.is_empty() && s.len() <= 64 && s.bytes().all(ok)).then(|| s.to_string())
}

/// Sets each report's `commit` to the last commit that changed its file, with
/// one `git log` over `reports/` (nothing when git or the repository is missing).
fn fill_report_commits(program: &mut Program, content: &Path) {
    if program.reports.is_empty() {
        return;
    }
    let Ok(out) = std::process::Command::new("git")
        .arg("-C")
        .arg(content)
        .args([
            "log",
            "--format=%x00%h",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            "reports",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return;
    };
    if !out.status.success() {
        return;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut last: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut commit: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix('\0') {
            commit = clean_commit(h);
        } else if !line.is_empty()
            && let Some(c) = &commit
        {
            last.entry(line).or_insert_with(|| c.clone());
        }
    }
    for r in &mut program.reports {
        r.commit = last.get(&*r.loc.file).cloned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Every report keeps its snapshot: a detected risk found again,
    /// unchanged, is the previous report's allocation, and the team facts
    /// are one for all.
    #[test]
    fn report_snapshots_share_what_did_not_change() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let a = analyze_dir(&dir, None, false, &mut Diagnostics::new())
            .unwrap()
            .expect("the example analyses");
        let mut shared = 0;
        for w in a.reports.windows(2) {
            let (prev, snap) = (&w[0], &w[1]);
            assert!(Arc::ptr_eq(&prev.teams, &snap.teams));
            for r in &snap.detected_risks {
                if let Some(o) = prev.detected_risks.iter().find(|o| **o == *r) {
                    assert!(Arc::ptr_eq(o, r), "{r:?} is a copy");
                    shared += 1;
                }
            }
        }
        assert!(shared > 0, "the example has risks that persist");
    }
}
