//! `tpm-site check`: the build's pipeline (load, analyse, render, the
//! publishing guards) with nothing written; reports every problem.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::{ContentArg, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, plural};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::site::{self, BuildError, BuildOptions, OutputMode};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print problems: `text` for people, `json` for tools, `github`
    /// for GitHub Actions annotations on the pull request's diff.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
}

pub fn run(args: &CheckArgs) -> i32 {
    let dir = &args.content.content;
    let mut diags = Diagnostics::new();
    // The build's own pipeline, rendering and guarding every page but
    // writing none: check stops on exactly what build stops on.
    let opts = BuildOptions {
        content: dir.clone(),
        output: PathBuf::new(),
        base_url: None,
        as_of: None,
        include_drafts: false,
        source_commit: None,
    };
    let result = site::run(&opts, OutputMode::None, &mut diags);
    let mut list = diags.into_sorted();
    // What the publishing guards found, for tools: one file-less error each.
    if let Err(BuildError::Guard(g)) = &result
        && args.format != Format::Text
    {
        list.extend(g.problems.iter().map(|p| Diagnostic {
            severity: Severity::Error,
            file: Arc::from(""),
            line: 0,
            col: 0,
            message: p.clone(),
            hint: Some("remove it from the content: the site must not publish it".into()),
            detail: None,
        }));
    }
    let errors = list
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = list.len() - errors;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    match args.format {
        Format::Text => {
            // Buffered, like `print_diagnostics`.
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            for d in &list {
                let _ = writeln!(err, "{}", d.display(dir));
            }
            let _ = err.flush();
        }
        Format::Json => println!("{}", to_json(&list, dir, errors, warnings)),
        Format::Github => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for d in &list {
                let _ = writeln!(out, "{}", github_annotation(d, dir));
            }
            let _ = out.flush();
        }
    }
    match result {
        Ok(summary) if !failed => {
            if args.format == Format::Text {
                let p = &summary.program;
                println!(
                    "{}: {} items, {} teams, {} reports; forecast end {} (committed {}); {}",
                    p.name,
                    p.items,
                    p.teams,
                    p.reports,
                    p.forecast_end,
                    p.committed_end,
                    plural(warnings, "warning")
                );
            }
            EXIT_OK
        }
        Ok(_) | Err(BuildError::Content) => {
            if args.format == Format::Text {
                eprintln!(
                    "error: {} and {} in {}",
                    plural(errors, "error"),
                    plural(warnings, "warning"),
                    dir.display()
                );
            }
            EXIT_CONTENT
        }
        Err(e @ BuildError::Guard(_)) => {
            if args.format == Format::Text {
                eprintln!("error: {e}");
            }
            EXIT_CONTENT
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

/// The path shown for a diagnostic: under the content folder as given.
fn shown_path(d: &Diagnostic, dir: &Path) -> String {
    if d.file.is_empty() {
        dir.display().to_string()
    } else {
        dir.join(&*d.file).display().to_string()
    }
}

fn to_json(list: &[Diagnostic], dir: &Path, errors: usize, warnings: usize) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity,
                "file": shown_path(d, dir),
                "line": d.line,
                "col": d.col,
                "message": d.message,
                "hint": d.hint,
                "detail": d.detail,
            })
        })
        .collect();
    serde_json::json!({ "errors": errors, "warnings": warnings, "diagnostics": items }).to_string()
}

/// `::error file=…,line=…,col=…::message` with GitHub's escaping.
pub fn github_annotation(d: &Diagnostic, dir: &Path) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn prop(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let mut props = format!("file={}", prop(&shown_path(d, dir)));
    if d.line > 0 {
        props.push_str(&format!(",line={},col={}", d.line, d.col.max(1)));
    }
    format!("::{level} {props},title=tpm-site::{}", data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_escape_newlines_and_property_separators() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: Arc::from("deliverables/a,b.yaml"),
            line: 3,
            col: 5,
            message: "100% wrong: x".into(),
            hint: Some("fix it".into()),
            detail: None,
        };
        assert_eq!(
            github_annotation(&d, Path::new("content")),
            "::error file=content/deliverables/a%2Cb.yaml,line=3,col=5,title=tpm-site::100%25 wrong: x%0Ahelp: fix it"
        );
    }
}
