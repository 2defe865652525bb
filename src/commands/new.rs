//! `tpm-site new DIR`: a new program repository, ready to build and publish.
//!
//! It writes the example program (the same content as this repository's
//! `content/`, embedded in the binary), a README, a `.gitignore` and a GitHub
//! Actions workflow that builds the site on push and deploys it to GitHub
//! Pages. It never overwrites anything: the folder must be new or empty.

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{EXIT_OK, EXIT_USAGE};

/// The files of a new program repository: (relative path, text).
pub const SCAFFOLD: &[(&str, &str)] = &[
    ("README.md", include_str!("../../scaffold/README.md")),
    (".gitignore", include_str!("../../scaffold/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("../../scaffold/.github/workflows/pages.yml"),
    ),
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
pub struct NewArgs {
    /// The folder to create (it must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn run(args: &NewArgs) -> i32 {
    match scaffold(&args.dir) {
        Ok(n) => {
            println!(
                "Created a new program in {dir}/ ({n} files). Next: cd {dir} && tpm-site build",
                dir = args.dir.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

/// Writes the scaffold into `dir`, which must not exist or be empty.
pub fn scaffold(dir: &Path) -> Result<usize, String> {
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
    for (rel, text) in SCAFFOLD {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(SCAFFOLD.len())
}
