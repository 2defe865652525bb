//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use tpm_site::diagnostics::{Diagnostic, Diagnostics};
use tpm_site::site::{self, Analyzed};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Loads and analyses a content folder; panics with the diagnostics on errors.
pub fn analyze(content: &Path) -> Analyzed {
    let mut diags = Diagnostics::new();
    match site::analyze_dir(content, None, false, &mut diags) {
        Ok(Some(a)) => a,
        other => panic!(
            "{} did not analyse: {:?}\n{}",
            content.display(),
            other.err(),
            render(diags.into_sorted())
        ),
    }
}

/// Loads a content folder and returns every diagnostic, sorted.
pub fn diagnostics(content: &Path) -> Vec<Diagnostic> {
    let mut diags = Diagnostics::new();
    let _ = site::analyze_dir(content, None, false, &mut diags);
    diags.into_sorted()
}

pub fn render(list: Vec<Diagnostic>) -> String {
    list.iter()
        .map(|d| d.display(Path::new("content")).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The names of the entries directly in `dir`, sorted (what a build left
/// beside its output).
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file below `dir` with its bytes, sorted by relative path.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, fs::read(entry.path()).unwrap()));
        }
    }
    out
}

/// A synthetic program from the peer harness's generator
/// (`../shared/bench/gen.py --size SIZE --seed 1`), written to `dir`; returns
/// its content folder. Fails (never skips) when python3 or the generator is
/// missing.
pub fn generated(size: &str, dir: &Path) -> PathBuf {
    let script = root().join("../shared/bench/gen.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--size", size, "--seed", "1", "--out"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    assert!(status.success(), "{} failed", script.display());
    dir.join("content")
}

/// Builds `content` into `out` (`--source-commit` as given); panics with the
/// diagnostics when the build fails.
pub fn build_into(content: &Path, out: &Path, source_commit: Option<&str>) {
    let mut diags = Diagnostics::new();
    let opts = site::BuildOptions {
        content: content.to_path_buf(),
        output: out.to_path_buf(),
        base_url: None,
        as_of: None,
        include_drafts: false,
        source_commit: source_commit.map(str::to_string),
    };
    site::build(&opts, &mut diags)
        .unwrap_or_else(|e| panic!("{e}: {}", render(diags.into_sorted())));
}

/// The program.json export of `content` as of its newest report, parsed.
pub fn program_json(content: &Path) -> serde_json::Value {
    let a = analyze(content);
    serde_json::from_slice(&tpm_site::render::json::program_json(
        &a.program, &a.current,
    ))
    .expect("program.json parses")
}

/// The item `id` in a parsed program.json.
pub fn json_item<'a>(j: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    j["items"]
        .as_array()
        .expect("program.json has items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in program.json"))
}
