//! `tpm-site diff`: how a plan change moves the schedule (base vs head).

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{Args, ValueEnum};

use super::{EXIT_CONTENT, EXIT_OK, EXIT_USAGE, print_diagnostics};
use crate::analysis::impact::{Version, compare};
use crate::diagnostics::Diagnostics;
use crate::render::impact::{Flavour, render};
use crate::site::{Analyzed, analyze_dir};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("base_side").required(true).args(["base", "base_ref"])))]
pub struct DiffArgs {
    /// The changed content folder (head).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// The content folder before the change.
    #[arg(long, value_name = "DIR")]
    pub base: Option<PathBuf>,
    /// A git revision: the content folder as it is in that commit (e.g. origin/main).
    #[arg(long, value_name = "GIT_REF")]
    pub base_ref: Option<String>,
    /// `text` for a terminal, `markdown` for a pull-request comment.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when the condition holds after the change.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any item with negative total float.
    NegativeFloat,
}

fn load(dir: &Path, what: &str) -> Result<Analyzed, i32> {
    let mut diags = Diagnostics::new();
    match analyze_dir(dir, None, false, &mut diags) {
        Ok(Some(a)) => Ok(a),
        Ok(None) => {
            print_diagnostics(diags, dir);
            eprintln!("error: the {what} content has errors");
            Err(EXIT_CONTENT)
        }
        Err(e) => {
            eprintln!("error: {what}: {e}");
            Err(EXIT_USAGE)
        }
    }
}

/// Writes the content folder as it is at `rev` into `into` (via `git show`).
fn checkout_content(content: &Path, rev: &str, into: &Path) -> Result<(), String> {
    let git = |args: &[&str], dir: &Path| -> Result<Vec<u8>, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    };
    let prefix = String::from_utf8_lossy(&git(&["rev-parse", "--show-prefix"], content)?)
        .trim()
        .to_string();
    let listing = git(
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            "--full-tree",
            rev,
            "--",
            &prefix,
        ],
        content,
    )?;
    let toplevel = String::from_utf8_lossy(&git(&["rev-parse", "--show-toplevel"], content)?)
        .trim()
        .to_string();
    let mut n = 0;
    for name in listing.split(|b| *b == 0).filter(|s| !s.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let Some(rel) = name.strip_prefix(&prefix) else {
            continue;
        };
        if rel.split('/').any(|s| s == ".." || s.is_empty()) {
            continue;
        }
        let bytes = git(&["show", &format!("{rev}:{name}")], Path::new(&toplevel))?;
        let path = into.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        n += 1;
    }
    if n == 0 {
        return Err(format!("{rev} has no files under `{prefix}`"));
    }
    Ok(())
}

pub fn run(args: &DiffArgs) -> i32 {
    let tmp;
    let base_dir = match (&args.base, &args.base_ref) {
        (Some(dir), _) => dir.clone(),
        (None, Some(rev)) => {
            tmp = match tempfile::Builder::new().prefix("tpm-site-diff-").tempdir() {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_USAGE;
                }
            };
            if let Err(e) = checkout_content(&args.content, rev, tmp.path()) {
                eprintln!("error: cannot read the content at `{rev}`: {e}");
                return EXIT_USAGE;
            }
            tmp.path().to_path_buf()
        }
        (None, None) => unreachable!("clap requires --base or --base-ref"),
    };
    let base = match load(&base_dir, "base") {
        Ok(a) => a,
        Err(code) => return code,
    };
    let head = match load(&args.content, "head") {
        Ok(a) => a,
        Err(code) => return code,
    };
    let impact = compare(
        &Version {
            program: &base.program,
            snap: &base.current,
        },
        &Version {
            program: &head.program,
            snap: &head.current,
        },
    );
    let flavour = match args.format {
        DiffFormat::Text => Flavour::Text,
        DiffFormat::Markdown => Flavour::Markdown,
    };
    print!("{}", render(&impact, flavour));
    match args.fail_on {
        Some(FailOn::NegativeFloat) if impact.has_negative_float => {
            eprintln!(
                "error: items have negative float after this change (--fail-on negative-float)"
            );
            EXIT_CONTENT
        }
        _ => EXIT_OK,
    }
}
