//! `tpm-site new DIR`: a new program repository, ready to build and publish;
//! `tpm-site new report`: the next report, scaffolded from the current state.
//!
//! It writes the example program (the same content as this repository's
//! `content/`, embedded in the binary), a README, a `.gitignore` and the CI
//! files of the chosen host (`--ci`): GitHub Actions workflows that build the
//! site on push, deploy it to GitHub Pages and post the plan impact on pull
//! requests, or a `.gitlab-ci.yml` doing the same on GitLab. The CI files
//! install tpm-site from its release archives pinned to this binary's version
//! (the scaffold's `0.0.0-scaffold` placeholder). It never overwrites
//! anything: the folder must be new or empty.

use std::fs;
use std::path::{Path, PathBuf};

use std::io::Write;

use clap::{Args, Subcommand, ValueEnum};

use super::{ContentArg, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, print_diagnostics};
use crate::diagnostics::Diagnostics;
use crate::render::next_report::{next_report, next_report_date};

/// The placeholder in the scaffold's CI files and README that becomes this
/// binary's version, so a new repository installs the tpm-site that wrote it.
pub const VERSION_PLACEHOLDER: &str = "0.0.0-scaffold";

/// The scaffold's README, before its `PUBLISHING` line is replaced with the
/// chosen host's paragraph.
const README: &str = include_str!("../../scaffold/README.md");

/// The CI files for each host (`--ci`): (relative path, text, with the
/// version placeholder).
pub const GITHUB_CI: &[(&str, &str)] = &[
    (
        ".github/workflows/pages.yml",
        include_str!("../../scaffold/.github/workflows/pages.yml"),
    ),
    (
        ".github/workflows/plan-impact.yml",
        include_str!("../../scaffold/.github/workflows/plan-impact.yml"),
    ),
];
pub const GITLAB_CI: &[(&str, &str)] = &[(
    ".gitlab-ci.yml",
    include_str!("../../scaffold/gitlab/gitlab-ci.yml"),
)];

/// Where a new program's CI runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Ci {
    /// GitHub Actions: GitHub Pages and the plan impact on pull requests.
    #[default]
    Github,
    /// GitLab CI/CD: GitLab Pages, code quality and the plan impact on merge requests.
    Gitlab,
}

impl Ci {
    fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Ci::Github => GITHUB_CI,
            Ci::Gitlab => GITLAB_CI,
        }
    }
    fn publishing(self) -> &'static str {
        match self {
            Ci::Github => include_str!("../../scaffold/github/publish.md"),
            Ci::Gitlab => include_str!("../../scaffold/gitlab/publish.md"),
        }
    }
}

/// A scaffold text with the version placeholder replaced by this version.
pub fn pin_version(text: &str) -> String {
    text.replace(VERSION_PLACEHOLDER, env!("CARGO_PKG_VERSION"))
}

/// The files of a new program repository besides the README and the CI
/// files: (relative path, text).
pub const SCAFFOLD: &[(&str, &str)] = &[
    (".gitignore", include_str!("../../scaffold/gitignore")),
    (
        "content/decisions.yaml",
        include_str!("../../content/decisions.yaml"),
    ),
    (
        "content/deliverables/identity.yaml",
        include_str!("../../content/deliverables/identity.yaml"),
    ),
    (
        "content/deliverables/mobile.yaml",
        include_str!("../../content/deliverables/mobile.yaml"),
    ),
    (
        "content/deliverables/platform.yaml",
        include_str!("../../content/deliverables/platform.yaml"),
    ),
    (
        "content/deliverables/security.yaml",
        include_str!("../../content/deliverables/security.yaml"),
    ),
    (
        "content/deliverables/sre.yaml",
        include_str!("../../content/deliverables/sre.yaml"),
    ),
    (
        "content/deliverables/web.yaml",
        include_str!("../../content/deliverables/web.yaml"),
    ),
    (
        "content/milestones.yaml",
        include_str!("../../content/milestones.yaml"),
    ),
    (
        "content/pages/communication-plan.md",
        include_str!("../../content/pages/communication-plan.md"),
    ),
    (
        "content/program.yaml",
        include_str!("../../content/program.yaml"),
    ),
    (
        "content/reports/2027-01-15.md",
        include_str!("../../content/reports/2027-01-15.md"),
    ),
    (
        "content/reports/2027-01-29.md",
        include_str!("../../content/reports/2027-01-29.md"),
    ),
    (
        "content/reports/2027-02-12.md",
        include_str!("../../content/reports/2027-02-12.md"),
    ),
    (
        "content/reports/2027-02-26.md",
        include_str!("../../content/reports/2027-02-26.md"),
    ),
    (
        "content/reports/2027-03-12.md",
        include_str!("../../content/reports/2027-03-12.md"),
    ),
    (
        "content/reports/2027-03-26.md",
        include_str!("../../content/reports/2027-03-26.md"),
    ),
    (
        "content/reports/2027-04-09.md",
        include_str!("../../content/reports/2027-04-09.md"),
    ),
    (
        "content/risks.yaml",
        include_str!("../../content/risks.yaml"),
    ),
    (
        "content/stakeholders.yaml",
        include_str!("../../content/stakeholders.yaml"),
    ),
    (
        "content/teams.yaml",
        include_str!("../../content/teams.yaml"),
    ),
];

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: Option<NewWhat>,
    /// The folder to create for a new program (it must not exist, or be empty).
    #[arg(value_name = "DIR", required = true)]
    pub dir: Option<PathBuf>,
    /// Where the new program's CI runs: `github` writes GitHub Actions
    /// workflows (GitHub Pages), `gitlab` a `.gitlab-ci.yml` (GitLab Pages).
    #[arg(long, value_enum, default_value_t = Ci::Github)]
    pub ci: Ci,
}

#[derive(Debug, Subcommand)]
pub enum NewWhat {
    /// Write the next report, pre-filled from the current state (never overwrites).
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// The report date (default: the next date of the cadence after the newest report).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date_arg)]
    pub date: Option<jiff::civil::Date>,
}

pub fn run(args: &NewArgs) -> i32 {
    match (&args.what, &args.dir) {
        (Some(NewWhat::Report(r)), _) => new_report(r),
        (None, Some(dir)) => new_program(dir, args.ci),
        (None, None) => {
            eprintln!("error: give a folder (`tpm-site new DIR`) or `tpm-site new report`");
            EXIT_USAGE
        }
    }
}

/// `tpm-site new report`.
fn new_report(args: &ReportArgs) -> i32 {
    let dir = &args.content.content;
    let mut diags = Diagnostics::new();
    let analyzed = match crate::site::analyze_dir(dir, None, false, &mut diags) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print_diagnostics(diags, dir);
            eprintln!("error: fix the content errors first; no report was written");
            return EXIT_CONTENT;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let date = args
        .date
        .unwrap_or_else(|| next_report_date(&analyzed.program));
    let state = crate::analysis::state_as_of(&analyzed.program, date);
    let snap = crate::analysis::analyze(&analyzed.program, &analyzed.plan, &state);
    let text = next_report(&analyzed.program, &snap, date);
    let path = dir.join("reports").join(format!("{date}.md"));
    if let Some(parent) = path.parent()
        && let Err(e) = fs::create_dir_all(parent)
    {
        eprintln!("error: cannot create `{}`: {e}", parent.display());
        return EXIT_USAGE;
    }
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            if let Err(e) = f.write_all(text.as_bytes()) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return EXIT_USAGE;
            }
            println!(
                "Wrote {} (a draft: fill in the TODOs, then remove `draft: true`)",
                path.display()
            );
            EXIT_OK
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: `{}` already exists; nothing was written (pass --date for another date)",
                path.display()
            );
            EXIT_USAGE
        }
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            EXIT_USAGE
        }
    }
}

/// `tpm-site new DIR`.
fn new_program(dir: &Path, ci: Ci) -> i32 {
    match scaffold(dir, ci) {
        Ok(n) => {
            println!(
                "Created a new program in {dir}/ ({n} files). Next: cd {dir} && tpm-site build",
                dir = dir.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

/// Writes the scaffold into `dir`, which must not exist or be empty, with
/// the CI files for `ci`; returns how many files it wrote.
pub fn scaffold(dir: &Path, ci: Ci) -> Result<usize, String> {
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(format!(
                "`{}` is not empty: choose a new folder",
                dir.display()
            ));
        }
    } else if dir.exists() {
        return Err(format!("`{}` exists and is not a folder", dir.display()));
    }
    let readme = pin_version(&README.replace("PUBLISHING\n", ci.publishing()));
    let files = std::iter::once(("README.md", readme))
        .chain(SCAFFOLD.iter().map(|(rel, text)| (*rel, text.to_string())))
        .chain(
            ci.files()
                .iter()
                .map(|(rel, text)| (*rel, pin_version(text))),
        );
    let mut n = 0;
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_files_install_through_the_action_of_this_repository() {
        // The action's `owner/name` is the crate's repository, in one place.
        let repo = env!("CARGO_PKG_REPOSITORY")
            .strip_prefix("https://github.com/")
            .expect("a GitHub repository");
        let uses = format!("uses: {repo}@v{VERSION_PLACEHOLDER}");
        for (rel, text) in GITHUB_CI {
            assert!(text.contains(&uses), "{rel} installs through {uses}");
        }
        let releases = format!("\"https://github.com/{repo}/releases/download\"");
        assert!(GITLAB_CI[0].1.contains(&releases), "{releases}");
        assert!(README.contains("PUBLISHING\n"));
    }
}
