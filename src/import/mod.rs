//! Importing a plan that lives elsewhere (a spreadsheet, MS Project XML, a
//! Jira export, a Mermaid gantt) as a content folder.
//!
//! Two steps, one way: a reader per source format turns the bytes into an
//! intermediate [`Plan`] (tasks, groups, links with their type and lag,
//! status, each with the [`Loc`] it came from, every problem a located
//! diagnostic), and [`emit`] turns a checked plan into the text of the content
//! files. This stage owns the source formats and the content syntax it writes;
//! it does no IO (the bytes come in, the files' text goes out: `site::import`
//! reads the source, checks what this writes with the build's own pipeline and
//! writes it) and computes no schedule facts (the program end that comes from
//! the plan is the engine's, asked for by `site::import`).

mod emit;
mod mermaid;
mod mspdi;
mod resolve;
mod table;
mod text;

use std::sync::Arc;

use jiff::civil::Date;

pub use crate::diagnostics::{Diagnostics, Loc, Pos};
use crate::model::Status;
pub use emit::{Emitted, ProgramDates, emit, is_import_written};
pub use table::TableOptions;

/// The comment line that marks a file import wrote (and `--force` may replace).
pub const MARK: &str = "# Written by tpm-site import";

/// A source format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Mspdi,
    Jira,
    Mermaid,
}

impl Format {
    pub const ALL: [(&'static str, Format); 5] = [
        ("csv", Format::Csv),
        ("xlsx", Format::Xlsx),
        ("mspdi", Format::Mspdi),
        ("jira", Format::Jira),
        ("mermaid", Format::Mermaid),
    ];

    pub fn name(self) -> &'static str {
        Format::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| n)
    }

    /// The format a file name and its first bytes point to: `.xlsx`, `.xml`
    /// (MS Project), `.md`/`.mmd`/`.mermaid`, and `.csv` (a Jira export when
    /// its header has `Issue key`).
    pub fn infer(file_name: &str, bytes: &[u8]) -> Option<Format> {
        let lower = file_name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "xml" | "mspdi" => Some(Format::Mspdi),
            "md" | "mmd" | "mermaid" | "markdown" => Some(Format::Mermaid),
            "csv" | "tsv" | "txt" => {
                let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
                let first = head.lines().next().unwrap_or("").to_ascii_lowercase();
                if first.contains("issue key") {
                    Some(Format::Jira)
                } else {
                    Some(Format::Csv)
                }
            }
            _ => None,
        }
    }
}

/// What the caller chose besides the source.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// MS Project: the owner team comes from this field: `resource` (the
    /// first assigned resource) or a text field (`Text1`..`Text30`, or its
    /// alias). Without it: the resource when tasks have one.
    pub team_field: Option<String>,
}

/// How a consumer's dates hang on a provider's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkType {
    FinishToStart,
    StartToStart,
    FinishToFinish,
    StartToFinish,
}

impl LinkType {
    /// The spelling in `depends_on`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkType::FinishToStart => "finish-to-start",
            LinkType::StartToStart => "start-to-start",
            LinkType::FinishToFinish => "finish-to-finish",
            LinkType::StartToFinish => "start-to-finish",
        }
    }

    /// `FS`, `SS`, `FF`, `SF` (MS Project's abbreviations), any case.
    pub fn from_abbrev(s: &str) -> Option<LinkType> {
        match s.to_ascii_uppercase().as_str() {
            "FS" => Some(LinkType::FinishToStart),
            "SS" => Some(LinkType::StartToStart),
            "FF" => Some(LinkType::FinishToFinish),
            "SF" => Some(LinkType::StartToFinish),
            _ => None,
        }
    }
}

/// One link: the task depends on `on` (an index into [`Plan::tasks`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dep {
    pub on: usize,
    pub link: LinkType,
    /// Working days; negative is a lead.
    pub lag: i64,
    pub loc: Loc,
}

/// One task of the source, as read.
#[derive(Clone, Debug, Default)]
pub struct Task {
    /// An id the source gives (a Mermaid id, an `id` column): kept when it is
    /// a valid slug, otherwise the id is made from the name.
    pub source_id: Option<String>,
    pub name: String,
    /// The summary task, section or group it belongs to.
    pub group: Option<String>,
    /// The owner team, as the source names it.
    pub team: Option<String>,
    /// The person directly responsible (a DRI or assignee column), written
    /// as the deliverable's `dri:`.
    pub dri: Option<String>,
    pub milestone: bool,
    pub start: Option<Date>,
    pub due: Option<Date>,
    /// Working days.
    pub duration: Option<i64>,
    pub deps: Vec<Dep>,
    pub status: Option<Status>,
    /// 0..=100.
    pub progress: Option<u8>,
    /// A reported expected finish (a status report's `forecast`).
    pub forecast: Option<Date>,
    /// Where status or progress were read (for "not carried over" warnings).
    pub status_loc: Option<Loc>,
    pub loc: Loc,
}

/// A source read into tasks: what every reader produces.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The source file's name, as locations show it.
    pub source: Arc<str>,
    pub format: Format,
    pub name: Option<String>,
    /// The program start and end the source states, if any.
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// The date the source's status and percent complete are as of.
    pub status_date: Option<Date>,
    /// Working weekdays, Monday first.
    pub workdays: [bool; 7],
    pub holidays: Vec<Date>,
    pub tasks: Vec<Task>,
    /// What the reader saw, one line each, for the summary.
    pub notes: Vec<String>,
}

impl Plan {
    fn new(source: &Arc<str>, format: Format) -> Plan {
        Plan {
            source: source.clone(),
            format,
            name: None,
            start: None,
            end: None,
            status_date: None,
            workdays: [true, true, true, true, true, false, false],
            holidays: Vec::new(),
            tasks: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn loc(&self, line: u32, col: u32) -> Loc {
        Loc {
            file: self.source.clone(),
            pos: Pos { line, col },
        }
    }
}

/// Reads `bytes` (the file `source`) as `format` into a checked plan: every
/// link resolves, no cycle, ids assigned. `None` when errors (in `diags`,
/// located in the source) stop it; warnings say what was not carried over.
pub fn read(
    source: &str,
    bytes: &[u8],
    format: Format,
    opts: &Options,
    diags: &mut Diagnostics,
) -> Option<Resolved> {
    let source: Arc<str> = source.into();
    let errors_before = diags.error_count();
    let plan = match format {
        Format::Csv => table::read_csv(&source, bytes, TableOptions::default(), diags),
        Format::Jira => table::read_csv(&source, bytes, TableOptions { jira: true }, diags),
        Format::Xlsx => table::read_xlsx(&source, bytes, diags),
        Format::Mspdi => mspdi::read(&source, bytes, opts, diags),
        Format::Mermaid => mermaid::read(&source, bytes, diags),
    }?;
    let resolved = resolve::resolve(plan, diags);
    (diags.error_count() == errors_before).then_some(resolved)
}

pub use resolve::Resolved;
