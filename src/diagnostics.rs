//! Problems found in content, collected rather than thrown.
//!
//! Every stage pushes [`Diagnostic`]s into one [`Diagnostics`] list so a single
//! run reports all of them, sorted by file and position, as
//! `path:line:col: error: message` with an optional `help:` line. This module
//! formats; it never decides what is wrong. It is the first stage: it
//! imports from no other module of the crate, and every stage may use it
//! (with [`Loc`] and [`Pos`], the places diagnostics point at).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

/// A position in a file: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Where something is written: a file (relative to the content folder) and a position.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the content folder (`deliverables/identity.yaml`); empty
    /// for problems that belong to no file.
    pub file: Arc<str>,
    /// 1-based; 0 when the problem is about the whole file.
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub hint: Option<String>,
    /// A secondary line for the curious (the YAML parser's own wording).
    pub detail: Option<String>,
}

impl Diagnostic {
    /// The same diagnostic with a `help:` line.
    pub fn with_hint(&mut self, hint: impl Into<String>) -> &mut Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic with a `detail:` line.
    pub fn with_detail(&mut self, detail: impl Into<String>) -> &mut Diagnostic {
        self.detail = Some(detail.into());
        self
    }

    /// Renders `content/x.yaml:3:5: error: message` (+ `  help: hint`), with
    /// the file shown under `root` (the content folder as the user gave it).
    pub fn display<'a>(&'a self, root: &'a Path) -> impl fmt::Display + 'a {
        DisplayDiagnostic { d: self, root }
    }
}

struct DisplayDiagnostic<'a> {
    d: &'a Diagnostic,
    root: &'a Path,
}

impl fmt::Display for DisplayDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.d;
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if d.file.is_empty() {
            write!(f, "{}: {sev}: {}", self.root.display(), d.message)?;
        } else {
            let path = self.root.join(&*d.file);
            if d.line > 0 {
                write!(
                    f,
                    "{}:{}:{}: {sev}: {}",
                    path.display(),
                    d.line,
                    d.col.max(1),
                    d.message
                )?;
            } else {
                write!(f, "{}: {sev}: {}", path.display(), d.message)?;
            }
        }
        if let Some(hint) = &d.hint {
            write!(f, "\n  help: {hint}")?;
        }
        if let Some(detail) = &d.detail {
            write!(f, "\n  detail: {detail}")?;
        }
        Ok(())
    }
}

/// The list every stage appends to.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Records an error at `loc` and returns it so a hint can be added.
    pub fn error(&mut self, loc: &Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.push_at(Severity::Error, loc.file.clone(), loc.pos, message.into())
    }

    /// Records a warning at `loc`.
    pub fn warning(&mut self, loc: &Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.push_at(Severity::Warning, loc.file.clone(), loc.pos, message.into())
    }

    /// Records a problem about a whole file (no line).
    pub fn file_error(&mut self, file: &Arc<str>, message: impl Into<String>) -> &mut Diagnostic {
        self.push_at(
            Severity::Error,
            file.clone(),
            Pos::default(),
            message.into(),
        )
    }

    /// Records a warning about a whole file (no line).
    pub fn file_warning(&mut self, file: &Arc<str>, message: impl Into<String>) -> &mut Diagnostic {
        self.push_at(
            Severity::Warning,
            file.clone(),
            Pos::default(),
            message.into(),
        )
    }

    fn push_at(
        &mut self,
        severity: Severity,
        file: Arc<str>,
        pos: Pos,
        message: String,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            severity,
            file,
            line: pos.line,
            col: pos.col,
            message,
            hint: None,
            detail: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, line, column, then severity and message; exact duplicates dropped.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.col, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to be
/// a plausible typo ("did you mean ...?").
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + 1;
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_but_not_strangers() {
        let fields = [
            "id",
            "name",
            "owner",
            "depends_on",
            "start",
            "due",
            "duration",
        ];
        assert_eq!(did_you_mean("dependson", fields), Some("depends_on"));
        assert_eq!(did_you_mean("duo", fields), Some("due"));
        assert_eq!(did_you_mean("colour", fields), None);
    }

    #[test]
    fn diagnostics_sort_by_file_then_position_and_render_whole_file_coordinates() {
        let mut d = Diagnostics::new();
        let b: Arc<str> = "reports/2027-01-29.md".into();
        let a: Arc<str> = "deliverables/a.yaml".into();
        d.error(
            &Loc {
                file: b.clone(),
                pos: Pos { line: 4, col: 3 },
            },
            "late",
        );
        d.warning(
            &Loc {
                file: a.clone(),
                pos: Pos { line: 9, col: 1 },
            },
            "odd",
        )
        .with_hint("fix it");
        d.error(
            &Loc {
                file: a.clone(),
                pos: Pos { line: 2, col: 5 },
            },
            "bad",
        );
        assert_eq!(d.error_count(), 2);
        let rendered: Vec<String> = d
            .into_sorted()
            .iter()
            .map(|x| x.display(Path::new("content")).to_string())
            .collect();
        assert_eq!(
            rendered,
            [
                "content/deliverables/a.yaml:2:5: error: bad",
                "content/deliverables/a.yaml:9:1: warning: odd\n  help: fix it",
                "content/reports/2027-01-29.md:4:3: error: late",
            ]
        );
    }
}
