//! The command line: argument definitions and one thin file per command.
//!
//! Exit codes (documented in `--help` and the README): 0 success, 1 content
//! errors (or warnings with `--deny-warnings`), 2 usage or I/O errors.

pub mod build;
pub mod check;
pub mod diff;
pub mod email;
pub mod new;
pub mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::diagnostics::{Diagnostics, Severity};

/// `tpm-site --version`: the crate's version and the commit it was built
/// from (`build.rs`: git, or the published crate's `.cargo_vcs_info.json`,
/// or `unknown`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("TPM_SITE_COMMIT"),
    ")"
);

pub const EXIT_OK: i32 = 0;
pub const EXIT_CONTENT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "tpm-site",
    version = VERSION,
    about = "Turn a program's plain-text plan (YAML + Markdown in content/) into a static website of biweekly stakeholder reports.",
    long_about = "Turn a program's plain-text plan (YAML + Markdown in content/) into a static website of biweekly stakeholder reports.\n\nThe content folder holds program.yaml, teams.yaml, deliverables/*.yaml, and optionally milestones.yaml, risks.yaml, decisions.yaml, reports/*.md and pages/*.md. tpm-site computes the schedule (forecasts, float, critical path) as of every report and writes an HTML site plus program.json.",
    after_help = "Exit codes: 0 success, 1 content errors, 2 usage or I/O errors.\n\nExamples:\n  tpm-site build                    build content/ into public/\n  tpm-site check                    validate content/ and write nothing\n  tpm-site build --as-of 2027-03-12 the site as of an earlier date"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from the content folder into the output folder.
    Build(build::BuildArgs),
    /// Run the build without writing (load, analyse, render, publishing guards); report every problem.
    Check(check::CheckArgs),
    /// Show how a plan change moves the schedule (base content vs this content).
    Diff(diff::DiffArgs),
    /// Preview the site on http://127.0.0.1:1111/, rebuilt and reloaded on every change (drafts shown).
    Serve(serve::ServeArgs),
    /// Create a new program repository (example content, README, GitHub or GitLab CI and Pages).
    New(new::NewArgs),
    /// E-mail a report's link, summary and Gantt chart to every stakeholder, exactly once.
    Email(email::EmailArgs),
}

/// `--content DIR`, shared by every command.
#[derive(Debug, Args, Clone)]
pub struct ContentArg {
    /// The content folder to read.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
}

/// A date argument in `YYYY-MM-DD` form.
pub fn parse_date_arg(s: &str) -> Result<jiff::civil::Date, String> {
    crate::model::fields::parse_date(s).map_err(|(m, h)| format!("{m} ({h})"))
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::New(args) => new::run(&args),
        Command::Email(args) => email::run(&args),
    }
}

/// Prints diagnostics to stderr, sorted, and returns (errors, warnings).
pub fn print_diagnostics(diags: Diagnostics, content: &Path) -> (usize, usize) {
    let list = diags.into_sorted();
    // Buffered: stderr is unbuffered, and 100,000 problems written piece by
    // piece cost seconds of system calls.
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let (mut e, mut w) = (0, 0);
    for d in &list {
        match d.severity {
            Severity::Error => e += 1,
            Severity::Warning => w += 1,
        }
        let _ = writeln!(err, "{}", d.display(content));
    }
    let _ = err.flush();
    (e, w)
}

pub use crate::render::plural;
