//! `tpm-site import`'s orchestration and its one writer: read the source,
//! let `import` turn it into content files, choose the program's dates (the
//! flags', else the source's, else the plan's extremes, the latest finish
//! computed by the schedule engine itself), check the files with the build's
//! own pipeline in memory, then write them, refusing to write over anything
//! import did not write.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::content;
use crate::diagnostics::Diagnostics;
use crate::import::{self, Emitted, Format, ProgramDates, Resolved};

/// What the command asked for.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    pub source: PathBuf,
    pub format: Option<Format>,
    pub content: PathBuf,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub as_of: Option<Date>,
    pub dry_run: bool,
    pub force: bool,
    pub options: import::Options,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub format: Option<Format>,
    /// What was read and which dates were used, one line each.
    pub summary: Vec<String>,
    /// The files, by path under the content folder, with their text.
    pub files: Vec<(String, String)>,
    /// Files written new, replaced (import had written them), removed (an
    /// earlier import wrote them and this one does not), and kept (a report
    /// is never replaced).
    pub written: Vec<String>,
    pub replaced: Vec<String>,
    pub removed: Vec<String>,
    pub kept: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Problems in the source (or in what it would give): in the diagnostics.
    #[error("the source has errors")]
    Source,
    /// The files import wrote did not pass the content checks.
    #[error("the imported content does not pass `tpm-site check`")]
    Content(Diagnostics),
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Runs an import. Diagnostics about the source (located in it: `diags`'
/// files are the source's file name) are appended to `diags`.
pub fn run(req: &ImportRequest, diags: &mut Diagnostics) -> Result<ImportOutcome, ImportError> {
    let bytes = fs::read(&req.source).map_err(io(&req.source))?;
    let name = req
        .source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| req.source.display().to_string());
    let format = match req.format.or_else(|| Format::infer(&name, &bytes)) {
        Some(f) => f,
        None => {
            return Err(ImportError::Usage(format!(
                "cannot tell the format of {name} from its extension: give --format csv|xlsx|mspdi|jira|mermaid"
            )));
        }
    };
    // Refuse before any work when the folder has content and --force is not given.
    if !req.force && !req.dry_run && has_files(&req.content) {
        return Err(ImportError::Usage(format!(
            "{} already has files: import writes a new content folder (give --force to replace the files an earlier import wrote; nothing else is touched)",
            req.content.display()
        )));
    }
    let mut out = import_bytes(&name, &bytes, format, req, diags)?;
    if !req.dry_run {
        write(&req.content, req.force, &mut out)?;
    }
    Ok(out)
}

/// Reads, emits and checks (no IO): what `run` writes and `--dry-run` shows.
pub fn import_bytes(
    name: &str,
    bytes: &[u8],
    format: Format,
    req: &ImportRequest,
    diags: &mut Diagnostics,
) -> Result<ImportOutcome, ImportError> {
    let resolved =
        import::read(name, bytes, format, &req.options, diags).ok_or(ImportError::Source)?;
    let plan = &resolved.plan;
    let mut summary = vec![format!(
        "Read {name} as {}: {}",
        format.name(),
        plan.notes.join("; ")
    )];
    let earliest = plan
        .tasks
        .iter()
        .flat_map(|t| [t.start, t.due])
        .flatten()
        .min();
    let (start, start_why) = match (req.start, plan.start, earliest) {
        (Some(d), ..) => (d, "--start"),
        (None, Some(d), _) => (d, "the source's project start"),
        (None, None, Some(d)) => (d, "the earliest date in the source"),
        (None, None, None) => {
            diags
                .error(
                    &import::Loc {
                        file: plan.source.clone(),
                        pos: import::Pos::default(),
                    },
                    "the source has no date to start the program from",
                )
                .with_hint("give --start DATE");
            return Err(ImportError::Source);
        }
    };
    let as_of = req.as_of.or(plan.status_date);
    // The end: the flag's, the source's, or the plan's latest finish or
    // deadline, which the schedule engine computes from a first emission.
    let (end, end_why) = match (req.end, plan.end) {
        (Some(d), _) => (d, "--end".to_string()),
        (None, Some(d)) => (d, "the source's project finish".to_string()),
        (None, None) => {
            let latest = plan
                .tasks
                .iter()
                .flat_map(|t| [t.start, t.due])
                .flatten()
                .max()
                .unwrap_or(start)
                .max(start);
            let draft = ProgramDates {
                start,
                end: latest,
                as_of: None,
            };
            let files = import::emit(&resolved, &draft, &mut Diagnostics::new()).files;
            let mut check = Diagnostics::new();
            let finish = latest_planned_finish(&files, &mut check);
            match finish {
                Some(f) => (
                    f.max(latest),
                    "the latest planned finish or deadline: the source gives none".to_string(),
                ),
                None => {
                    // The check below reports why.
                    (latest, "the latest date in the source".to_string())
                }
            }
        }
    };
    if end < start {
        return Err(ImportError::Usage(format!(
            "the program end {end} is before its start {start}: give --start and --end"
        )));
    }
    let dates = ProgramDates { start, end, as_of };
    let emitted = import::emit(&resolved, &dates, diags);
    let (start, end) = (emitted.start.unwrap_or(start), emitted.end.unwrap_or(end));
    summary.push(format!(
        "Program start {start} ({start_why}); end {end} ({end_why})."
    ));
    summary.push(counts(&emitted, &resolved));
    if let Some(report) = &emitted.report {
        summary.push(format!(
            "Status and percent complete as of {} go to {report}{}.",
            as_of.map(|d| d.to_string()).unwrap_or_default(),
            if req.as_of.is_some() {
                " (--as-of)"
            } else {
                " (the source's status date)"
            }
        ));
    }
    // Check what would be written with the build's own pipeline.
    let mut check = Diagnostics::new();
    let files = bytes_of(&emitted.files);
    let loaded = content::memory::load_files(&files, &mut check);
    let analyzed = super::analyze_content(&loaded, None, false, &mut check);
    if analyzed.is_none() || check.has_errors() {
        return Err(ImportError::Content(check));
    }
    Ok(ImportOutcome {
        format: Some(format),
        summary,
        files: emitted.files,
        ..ImportOutcome::default()
    })
}

fn counts(e: &Emitted, r: &Resolved) -> String {
    let links: usize = r.plan.tasks.iter().map(|t| t.deps.len()).sum();
    format!(
        "{} deliverables in {} files, {} milestones, {} teams, {} dependencies.",
        e.deliverables, e.groups, e.milestones, e.teams, links
    )
}

fn bytes_of(files: &[(String, String)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(p, t)| (p.clone(), t.as_bytes().to_vec()))
        .collect()
}

/// The latest planned finish of the content `files` (the engine's plan).
fn latest_planned_finish(files: &[(String, String)], diags: &mut Diagnostics) -> Option<Date> {
    let loaded = content::memory::load_files(&bytes_of(files), diags);
    let program = crate::model::resolve(&loaded, Default::default(), diags)?;
    let plan = crate::analysis::plan(&program, diags)?;
    let cal = &program.meta.calendar;
    plan.items
        .iter()
        .map(|i| cal.date(i.finish.max(i.due)))
        .max()
}

fn has_files(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// Whether `rel` is a file `--force` never replaces: reports, risks,
/// decisions, pages, stakeholders.
fn never_replaced(rel: &str) -> bool {
    rel.starts_with("reports/")
        || rel.starts_with("pages/")
        || matches!(rel, "risks.yaml" | "decisions.yaml" | "stakeholders.yaml")
}

/// The one writer: new files are written, files an earlier import wrote are
/// replaced (with `force`), a hand-written file in the way stops the whole
/// import before anything is written, a report that exists is kept, and
/// deliverable files an earlier import wrote that this one does not are removed.
fn write(dir: &Path, force: bool, out: &mut ImportOutcome) -> Result<(), ImportError> {
    let mut blocked = Vec::new();
    let mut plan: Vec<(usize, bool)> = Vec::new();
    for (k, (rel, _)) in out.files.iter().enumerate() {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(existing) => {
                let ours = import::is_import_written(&String::from_utf8_lossy(&existing));
                if never_replaced(rel) {
                    out.kept.push(rel.clone());
                } else if force && ours {
                    plan.push((k, true));
                } else {
                    blocked.push(rel.clone());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.push((k, false)),
            Err(e) => return Err(io(&path)(e)),
        }
    }
    if !blocked.is_empty() {
        return Err(ImportError::Usage(format!(
            "not replacing {} in {}: {} not written by tpm-site import; move {} away or merge by hand (nothing was written)",
            blocked.join(", "),
            dir.display(),
            if blocked.len() == 1 {
                "it was"
            } else {
                "they were"
            },
            if blocked.len() == 1 { "it" } else { "them" },
        )));
    }
    // Files an earlier import wrote and this one does not (a renamed group).
    let mut stale = Vec::new();
    if force {
        let wanted: std::collections::HashSet<&str> =
            out.files.iter().map(|(p, _)| p.as_str()).collect();
        let mut candidates = vec!["milestones.yaml".to_string()];
        if let Ok(rd) = fs::read_dir(dir.join("deliverables")) {
            for e in rd.flatten() {
                candidates.push(format!("deliverables/{}", e.file_name().to_string_lossy()));
            }
        }
        candidates.sort();
        for rel in candidates {
            if wanted.contains(rel.as_str()) {
                continue;
            }
            let path = dir.join(&rel);
            if let Ok(t) = fs::read_to_string(&path)
                && import::is_import_written(&t)
            {
                stale.push((rel, path));
            }
        }
    }
    for (k, replacing) in plan {
        let (rel, text) = &out.files[k];
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // Written beside and renamed over, so a crash never leaves half a file.
        let tmp = path.with_extension("tpm-site-import.tmp");
        fs::write(&tmp, text).map_err(io(&tmp))?;
        fs::rename(&tmp, &path).map_err(io(&path))?;
        if replacing {
            out.replaced.push(rel.clone());
        } else {
            out.written.push(rel.clone());
        }
    }
    for (rel, path) in stale {
        fs::remove_file(&path).map_err(io(&path))?;
        out.removed.push(rel);
    }
    Ok(())
}
