//! Build script: records the commit tpm-site is built from, for `--version`.
//!
//! It sets `TPM_SITE_COMMIT` to the short commit hash, from (in order) the
//! `.cargo_vcs_info.json` that `cargo package` writes into a published crate,
//! `git rev-parse` when building from a git checkout, or `unknown`. It reads
//! only those and never the clock, so the same source gives the same binary.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&dir);
    let commit = from_vcs_info(dir)
        .or_else(|| from_git(dir))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=TPM_SITE_COMMIT={commit}");
}

/// A published crate: `{"git": {"sha1": "…"}, "path_in_vcs": ""}`.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let path = dir.join(".cargo_vcs_info.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).ok()?;
    // The one field needed, without a JSON parser in the build: the first
    // string after `"sha1"` (cargo writes it as a 40-digit hex string).
    let after = &text[text.find("\"sha1\"")? + 6..];
    let start = after.find('"')? + 1;
    let end = start + after[start..].find('"')?;
    short(&after[start..end])
}

/// A git checkout: HEAD's commit; rerun when HEAD or the branch moves.
fn from_git(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let sha = git(&["rev-parse", "--verify", "HEAD"])?;
    for path in [
        git(&["rev-parse", "--git-path", "HEAD"]),
        git(&["rev-parse", "--git-path", "packed-refs"]),
        git(&["symbolic-ref", "-q", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r])),
    ]
    .into_iter()
    .flatten()
    {
        println!("cargo:rerun-if-changed={}", dir.join(path).display());
    }
    short(&sha)
}

fn short(sha: &str) -> Option<String> {
    let sha = sha.trim();
    (sha.len() >= 12 && sha.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| sha[..12].to_ascii_lowercase())
}
