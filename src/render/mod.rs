//! Rendering: turns the program and its analysis into bytes (HTML pages via
//! tera themes, Markdown via pulldown-cmark, `program.json`).
//!
//! Everything here is pure: it returns [`OutputFile`]s and never writes to
//! disk (that is `site`'s job). Every string from content is escaped: by tera's
//! autoescape in templates, by [`markdown`] for Markdown, by serde for JSON.
//! Stakeholders are never read here.

pub mod charts;
pub mod email;
pub mod exports;
pub mod html;
pub mod impact;
pub mod json;
pub mod markdown;
pub mod next_report;
pub mod svg;
pub mod theme;
pub mod views;

pub struct SiteData<'a> {
    pub program: &'a crate::model::Program,
    pub plan: &'a crate::analysis::Plan,
    /// The program as of the newest report (or --as-of): dashboard, charter, team, deliverable, risk, decision pages.
    pub current: &'a crate::analysis::Snapshot,
    /// Parallel to program.reports: the program as of each report.
    pub reports: &'a [crate::analysis::Snapshot],
    /// Every scheduled report date with the index of the report that covers it (None: missing).
    pub scheduled: &'a [(jiff::civil::Date, Option<usize>)],
    /// `--source-commit`, shown on every report page; `None`: each report
    /// page shows the last commit of its own file (`Report::commit`).
    pub source_commit: Option<String>,
    /// Facts every page of the current snapshot shares, computed once on
    /// first use (`Default::default()` when building a `SiteData`).
    pub cache: views::ViewCache,
}

/// One file of the site, relative to the output root (`/`-separated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// "3 errors", "1 warning": a count with its noun (plural by adding `s`).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
