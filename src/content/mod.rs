//! Reading the content folder: which files exist, their text, their YAML trees
//! and front matter, all with positions.
//!
//! [`load`] walks `content/` without following symlinks, reads every file of
//! the format (see the spec's folder layout), checks UTF-8, splits front
//! matter from Markdown bodies and parses YAML via [`yaml`]. Problems become
//! diagnostics; only an unreadable content folder is an `Err`. This module
//! knows file names and syntax, not meaning: that is `model`'s job.

pub mod frontmatter;
pub mod memory;
pub mod yaml;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::diagnostics::Loc;
use yaml::{Node, Pos};

/// Files larger than this are refused (a content file is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A parsed YAML file.
#[derive(Clone, Debug)]
pub struct YamlFile {
    /// Path relative to the content folder, `/`-separated.
    pub file: Arc<str>,
    pub root: Node,
}

/// A Markdown file with YAML front matter.
#[derive(Clone, Debug)]
pub struct MarkdownFile {
    pub file: Arc<str>,
    /// The front matter (Null when empty).
    pub front: Node,
    /// The Markdown after the closing `---`, LF line endings.
    pub body: String,
    /// 1-based line of the body's first line in the whole file.
    pub body_line: u32,
}

/// Everything read from a content folder, before any meaning is given to it.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub program: Option<YamlFile>,
    pub teams: Option<YamlFile>,
    /// Sorted by file name.
    pub deliverables: Vec<YamlFile>,
    pub milestones: Option<YamlFile>,
    pub risks: Option<YamlFile>,
    pub decisions: Option<YamlFile>,
    pub reports: Vec<MarkdownFile>,
    pub pages: Vec<MarkdownFile>,
    /// PRIVATE: recipients' addresses.
    pub stakeholders: Option<YamlFile>,
    /// Whether the folder `deliverables/` exists.
    pub saw_deliverables_dir: bool,
    /// Files that exist but could not be read or parsed. References into them
    /// are not reported as unknown (the file's own error says what to fix).
    pub unreadable: Vec<Arc<str>>,
}

impl Content {
    /// Parses one file's text as the `kind` its place says, keeping it, or
    /// recording it as unreadable after its parse errors were reported.
    fn add(&mut self, kind: Kind, rel: Arc<str>, text: &str, diags: &mut Diagnostics) {
        let parsed = parse_file(kind, &rel, text, diags);
        self.store(kind, rel, parsed);
    }

    /// Keeps one parsed file (`None`: its parse errors were reported).
    fn store(&mut self, kind: Kind, rel: Arc<str>, parsed: Option<Parsed>) {
        let file = match parsed {
            None => {
                self.unreadable.push(rel);
                return;
            }
            Some(Parsed::Markdown(md)) => {
                if kind == Kind::Report {
                    self.reports.push(md);
                } else {
                    self.pages.push(md);
                }
                return;
            }
            Some(Parsed::Yaml(file)) => file,
        };
        match kind {
            Kind::Program => self.program = Some(file),
            Kind::Teams => self.teams = Some(file),
            Kind::Deliverables => self.deliverables.push(file),
            Kind::Milestones => self.milestones = Some(file),
            Kind::Risks => self.risks = Some(file),
            Kind::Decisions => self.decisions = Some(file),
            Kind::Stakeholders => self.stakeholders = Some(file),
            Kind::Report | Kind::Page => {}
        }
    }

    /// Whether `file` (relative path) exists but could not be parsed.
    pub fn is_unreadable(&self, file: &str) -> bool {
        self.unreadable.iter().any(|f| &**f == file)
    }

    /// Whether any file under `dir/` could not be parsed.
    pub fn any_unreadable_in(&self, dir: &str) -> bool {
        self.unreadable
            .iter()
            .any(|f| f.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
    }
}

/// One file, parsed as what its place says.
enum Parsed {
    Yaml(YamlFile),
    Markdown(MarkdownFile),
}

fn parse_file(kind: Kind, rel: &Arc<str>, text: &str, diags: &mut Diagnostics) -> Option<Parsed> {
    if matches!(kind, Kind::Report | Kind::Page) {
        parse_markdown(rel, text, diags).map(Parsed::Markdown)
    } else {
        parse_yaml(rel, text, diags).map(Parsed::Yaml)
    }
}

/// Why a content folder could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("content folder `{0}` does not exist")]
    Missing(PathBuf),
    #[error("`{0}` is not a folder")]
    NotADir(PathBuf),
    /// A folder with a `content/` folder and no `program.yaml`: most likely
    /// the repository root given instead of its content folder.
    #[error(
        "`{dir}` holds a `content/` folder but no program.yaml: did you mean `{}`?",
        dir.join("content").display()
    )]
    ContentInside { dir: PathBuf },
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a file under `content/` is, by its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Program,
    Teams,
    Deliverables,
    Milestones,
    Risks,
    Decisions,
    Report,
    Page,
    Stakeholders,
}

fn classify(rel: &str) -> Option<Kind> {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", rel),
    };
    match (dir, name) {
        ("", "program.yaml") => Some(Kind::Program),
        ("", "teams.yaml") => Some(Kind::Teams),
        ("", "milestones.yaml") => Some(Kind::Milestones),
        ("", "risks.yaml") => Some(Kind::Risks),
        ("", "decisions.yaml") => Some(Kind::Decisions),
        ("", "stakeholders.yaml") => Some(Kind::Stakeholders),
        ("deliverables", n) if n.ends_with(".yaml") => Some(Kind::Deliverables),
        ("reports", n) if n.ends_with(".md") => Some(Kind::Report),
        ("pages", n) if n.ends_with(".md") => Some(Kind::Page),
        _ => None,
    }
}

/// Content up to this many bytes is parsed on every core by [`load`]; more
/// is parsed on one thread: the files of a big program parsed in parallel
/// end up spread over every thread's heap and raise the build's memory peak
/// (about 100 MB at 50,000 items, 33 MB of content), where a few hundred
/// milliseconds matter less than memory.
pub const PARALLEL_LOAD_MAX_BYTES: u64 = 16 << 20;

/// How [`load_with`] parses the files it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Threads {
    One,
    Every,
    /// Every core up to [`PARALLEL_LOAD_MAX_BYTES`] of content, else one.
    BySize,
}

/// Reads and parses every content file under `dir`, in the order of the
/// folder walk: on every core, unless the content is larger than
/// [`PARALLEL_LOAD_MAX_BYTES`]. A build uses this.
pub fn load(dir: &Path, diags: &mut Diagnostics) -> Result<Content, LoadError> {
    load_with(dir, diags, Threads::BySize)
}

/// [`load`] on one thread, whatever the size.
pub fn load_sequential(dir: &Path, diags: &mut Diagnostics) -> Result<Content, LoadError> {
    load_with(dir, diags, Threads::One)
}

/// [`load`], with the files read and parsed on every core whatever the size
/// (for `serve`, where a rebuild's latency counts). The files and their
/// diagnostics keep the walk's order, so the result is the same as
/// [`load_sequential`]'s.
pub fn load_parallel(dir: &Path, diags: &mut Diagnostics) -> Result<Content, LoadError> {
    load_with(dir, diags, Threads::Every)
}

impl Threads {
    /// Whether content of `bytes` bytes is parsed on every core.
    fn parallel_for(self, bytes: u64) -> bool {
        match self {
            Threads::One => false,
            Threads::Every => true,
            Threads::BySize => bytes <= PARALLEL_LOAD_MAX_BYTES,
        }
    }
}

fn load_with(dir: &Path, diags: &mut Diagnostics, threads: Threads) -> Result<Content, LoadError> {
    let meta = std::fs::symlink_metadata(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::Missing(dir.to_path_buf()),
        _ => LoadError::Io {
            path: dir.to_path_buf(),
            source: e,
        },
    })?;
    if !std::fs::metadata(dir)
        .map(|m| m.is_dir())
        .unwrap_or(meta.is_dir())
    {
        return Err(LoadError::NotADir(dir.to_path_buf()));
    }
    if dir.join("content").is_dir() && !dir.join("program.yaml").exists() {
        return Err(LoadError::ContentInside {
            dir: dir.to_path_buf(),
        });
    }
    let mut content = Content::default();
    let mut files: Vec<(Kind, Arc<str>, PathBuf)> = Vec::new();
    let mut total_bytes = 0u64;
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                let rel = relative(dir, &path);
                diags.file_error(&rel, format!("cannot read: {err}"));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative(dir, entry.path());
        let ft = entry.file_type();
        if ft.is_symlink() {
            diags
                .file_warning(&rel, "symbolic link ignored: links are not followed")
                .with_hint("copy the file into the content folder instead of linking to it");
            continue;
        }
        if ft.is_dir() {
            if entry.depth() == 1 && rel.as_ref() == "deliverables" {
                content.saw_deliverables_dir = true;
            }
            if entry.depth() == 1 && matches!(rel.as_ref(), "deliverables" | "reports" | "pages") {
                continue;
            }
            if entry.depth() == 1 {
                diags
                    .file_warning(&rel, "folder ignored: not part of the content format")
                    .with_hint("content folders are deliverables/, reports/ and pages/");
            }
            continue;
        }
        let Some(kind) = classify(&rel) else {
            // Only report files directly under known places, not every nested file.
            let hint = if rel.ends_with(".yml") {
                "tpm-site reads `.yaml` files: rename it to end in `.yaml`".to_string()
            } else {
                "see the content format: program.yaml, teams.yaml, deliverables/*.yaml, milestones.yaml, risks.yaml, decisions.yaml, reports/*.md, pages/*.md, stakeholders.yaml".to_string()
            };
            diags
                .file_warning(&rel, "file ignored: not part of the content format")
                .with_hint(hint);
            continue;
        };
        if threads == Threads::BySize {
            total_bytes += entry.metadata().map_or(0, |m| m.len());
        }
        files.push((kind, rel, entry.into_path()));
    }
    let parallel = threads.parallel_for(total_bytes);
    let parse = |(kind, rel, path): &(Kind, Arc<str>, PathBuf)| {
        let mut d = Diagnostics::new();
        let parsed =
            read_text(path, rel, &mut d).and_then(|text| parse_file(*kind, rel, &text, &mut d));
        (parsed, d)
    };
    let parsed: Vec<(Option<Parsed>, Diagnostics)> = if parallel {
        files.par_iter().map(parse).collect()
    } else {
        files.iter().map(parse).collect()
    };
    for ((kind, rel, _), (parsed, d)) in files.into_iter().zip(parsed) {
        diags.extend(d);
        content.store(kind, rel, parsed);
    }
    Ok(content)
}

/// `dir/a/b.yaml` -> `a/b.yaml` (always `/`-separated).
fn relative(dir: &Path, path: &Path) -> Arc<str> {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/").into()
}

/// Reads a file as UTF-8 text with LF line endings and no BOM.
fn read_text(path: &Path, rel: &Arc<str>, diags: &mut Diagnostics) -> Option<String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        diags
            .file_error(
                rel,
                format!(
                    "file is {} MiB, more than the {} MiB a content file may be",
                    size >> 20,
                    MAX_FILE_BYTES >> 20
                ),
            )
            .with_hint("split it into several files, or remove what does not belong in it");
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.file_error(rel, format!("cannot read file: {e}"));
            return None;
        }
    };
    decode(rel, bytes, diags)
}

/// UTF-8 check (pointing at the first bad byte), BOM and CRLF removal.
pub fn decode(rel: &Arc<str>, bytes: Vec<u8>, diags: &mut Diagnostics) -> Option<String> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32;
            let col = 1 + at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
            diags
                .error(
                    &Loc {
                        file: rel.clone(),
                        pos: Pos {
                            line,
                            col: col as u32,
                        },
                    },
                    format!("file is not valid UTF-8 (byte 0x{:02x})", bytes[at]),
                )
                .with_hint("save the file as UTF-8");
            return None;
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Some(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Parses a YAML file, turning syntax errors into diagnostics.
pub fn parse_yaml(rel: &Arc<str>, text: &str, diags: &mut Diagnostics) -> Option<YamlFile> {
    match yaml::parse(text, 0) {
        Ok(root) => Some(YamlFile {
            file: rel.clone(),
            root,
        }),
        Err(err) => {
            report_yaml_error(rel, err, diags);
            None
        }
    }
}

/// Splits and parses a Markdown file's front matter.
pub fn parse_markdown(rel: &Arc<str>, text: &str, diags: &mut Diagnostics) -> Option<MarkdownFile> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(err) => {
            diags
                .error(
                    &Loc {
                        file: rel.clone(),
                        pos: Pos {
                            line: err.line,
                            col: 1,
                        },
                    },
                    err.message,
                )
                .with_hint(err.hint);
            return None;
        }
    };
    let front = match yaml::parse(split.front, split.front_line - 1) {
        Ok(n) => n,
        Err(err) => {
            report_yaml_error(rel, err, diags);
            return None;
        }
    };
    Some(MarkdownFile {
        file: rel.clone(),
        front,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

fn report_yaml_error(rel: &Arc<str>, err: yaml::ParseError, diags: &mut Diagnostics) {
    let loc = Loc {
        file: rel.clone(),
        pos: err.pos,
    };
    let (message, hint, detail) = yaml::explain_at(&err);
    let d = diags.error(&loc, message);
    d.hint = hint;
    d.detail = detail;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files are parsed on every core but kept, with their diagnostics, in
    /// the order of the folder walk: the same folder always loads the same.
    #[test]
    fn files_and_diagnostics_keep_the_walk_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("deliverables");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(dir.path().join("program.yaml"), "name: P\n").unwrap();
        let mut want = Vec::new();
        for k in 0..40 {
            let name = format!("f{k:02}.yaml");
            // Every third file is broken YAML; the rest parse.
            let text = if k % 3 == 0 { "a: [\n" } else { "a: 1\n" };
            std::fs::write(d.join(&name), text).unwrap();
            if k % 3 == 0 {
                want.push(format!("deliverables/{name}"));
            }
        }
        for threads in [
            Threads::Every,
            Threads::One,
            Threads::BySize,
            Threads::Every,
        ] {
            let mut diags = Diagnostics::new();
            let content = load_with(dir.path(), &mut diags, threads).unwrap();
            let files: Vec<&str> = content.deliverables.iter().map(|f| &*f.file).collect();
            let mut sorted = files.clone();
            sorted.sort_unstable();
            assert_eq!(files, sorted);
            assert_eq!(files.len(), 40 - want.len());
            let errs: Vec<String> = diags.iter().map(|d| d.file.to_string()).collect();
            assert_eq!(errs, want);
            let unreadable: Vec<&str> = content.unreadable.iter().map(|f| &**f).collect();
            assert_eq!(unreadable, want);
        }
    }

    /// A build parses small content on every core and large content (where
    /// memory matters more) on one thread.
    #[test]
    fn content_size_decides_the_threads() {
        assert!(Threads::BySize.parallel_for(1 << 20));
        assert!(Threads::BySize.parallel_for(PARALLEL_LOAD_MAX_BYTES));
        assert!(!Threads::BySize.parallel_for(PARALLEL_LOAD_MAX_BYTES + 1));
        assert!(Threads::Every.parallel_for(u64::MAX));
        assert!(!Threads::One.parallel_for(0));
    }
}
