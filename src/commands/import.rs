//! `tpm-site import SOURCE`: a content folder from a plan in another tool's
//! format. Parses the arguments, runs `site::import`, prints its summary,
//! the warnings located in the source, and what was (or would be) written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE, parse_date_arg, print_diagnostics};
use crate::diagnostics::Diagnostics;
use crate::import::{self, Format};
use crate::site::import::{ImportError, ImportRequest, run as run_import};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The plan to import: a .csv, .xlsx, MS Project .xml, Jira CSV export, or a Markdown/.mmd file with a Mermaid gantt.
    pub source: PathBuf,
    /// The source's format (default: from the file's extension; a CSV with an `Issue key` column is a Jira export).
    #[arg(long, value_enum)]
    pub format: Option<SourceFormat>,
    /// The content folder to write.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// The program start (default: the source's, else its earliest date).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub start: Option<jiff::civil::Date>,
    /// The program's committed end (default: the source's, else the latest planned finish or deadline).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub end: Option<jiff::civil::Date>,
    /// The date the source's status and percent complete are as of (default: MS Project's StatusDate); they become a first report of that date.
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<jiff::civil::Date>,
    /// MS Project: the owner team is `resource` (the first assigned resource) or a text field (`Text1`.. or its alias).
    #[arg(long, value_name = "FIELD")]
    pub team_field: Option<String>,
    /// Print the files that would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace the files an earlier import wrote (never reports, risks, decisions, pages or hand-written files).
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SourceFormat {
    Csv,
    Xlsx,
    Mspdi,
    Jira,
    Mermaid,
}

impl From<SourceFormat> for Format {
    fn from(f: SourceFormat) -> Format {
        match f {
            SourceFormat::Csv => Format::Csv,
            SourceFormat::Xlsx => Format::Xlsx,
            SourceFormat::Mspdi => Format::Mspdi,
            SourceFormat::Jira => Format::Jira,
            SourceFormat::Mermaid => Format::Mermaid,
        }
    }
}

pub fn run(args: &ImportArgs) -> i32 {
    let req = ImportRequest {
        source: args.source.clone(),
        format: args.format.map(Format::from),
        content: args.content.clone(),
        start: args.start,
        end: args.end,
        as_of: args.as_of,
        dry_run: args.dry_run,
        force: args.force,
        options: import::Options {
            team_field: args.team_field.clone(),
        },
    };
    let mut diags = Diagnostics::new();
    let result = run_import(&req, &mut diags);
    // Source locations are shown beside the source.
    let source_dir = args.source.parent().unwrap_or(Path::new("")).to_path_buf();
    let (errors, warnings) = print_diagnostics(diags, &source_dir);
    let mut out = std::io::stdout().lock();
    match result {
        Ok(o) => {
            for line in &o.summary {
                let _ = writeln!(out, "{line}");
            }
            if warnings > 0 {
                let _ = writeln!(
                    out,
                    "{warnings} warning{} above: what was not carried over, or changed on the way.",
                    if warnings == 1 { "" } else { "s" }
                );
            }
            if args.dry_run {
                let _ = writeln!(
                    out,
                    "Dry run: nothing written. The files for {}:",
                    args.content.display()
                );
                for (path, text) in &o.files {
                    let _ = writeln!(
                        out,
                        "\n=== {} ===\n{text}",
                        args.content.join(path).display()
                    );
                }
            } else {
                let list = |what: &str, files: &[String], out: &mut std::io::StdoutLock| {
                    let shown = if files.len() > 12 {
                        format!(
                            "{} files ({}, ..., {})",
                            files.len(),
                            files[..10].join(", "),
                            files[files.len() - 1]
                        )
                    } else {
                        files.join(", ")
                    };
                    if !files.is_empty() {
                        let _ = writeln!(out, "{what} {}: {shown}", args.content.display());
                    }
                };
                list("Wrote in", &o.written, &mut out);
                list(
                    "Replaced (an earlier import wrote them) in",
                    &o.replaced,
                    &mut out,
                );
                list(
                    "Removed (an earlier import wrote them; this source has none) from",
                    &o.removed,
                    &mut out,
                );
                list("Kept (reports are never replaced) in", &o.kept, &mut out);
                let _ = writeln!(
                    out,
                    "Next: tpm-site check --content {}",
                    args.content.display()
                );
            }
            EXIT_OK
        }
        Err(ImportError::Source) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: {errors} problem{} in {}: nothing written",
                if errors == 1 { "" } else { "s" },
                args.source.display()
            );
            EXIT_CONTENT
        }
        Err(ImportError::Content(check)) => {
            print_diagnostics(check, &args.content);
            let _ = writeln!(
                std::io::stderr(),
                "error: the content imported from {} does not pass the checks above (a bug in import, or a plan tpm-site cannot schedule): nothing written",
                args.source.display()
            );
            EXIT_CONTENT
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            EXIT_USAGE
        }
    }
}
