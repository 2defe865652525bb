//! `tpm-site diff` on fixture pairs: a slip upstream, a new dependency, a
//! removed one; markdown output; `--base-ref` through git; `--fail-on`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cmd;

/// The spec-example with mobile-app-update written as a duration (same plan).
fn base_into(dir: &Path) -> PathBuf {
    let content = dir.join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    edit(&content, "  due: 2027-02-19\n", "  duration: 14d\n");
    content
}

fn edit(content: &Path, from: &str, to: &str) {
    let p = content.join("deliverables/all.yaml");
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

fn diff(base: &Path, head: &Path, extra: &[&str]) -> (i32, String) {
    let out = Cmd::cargo_bin("tpm-site")
        .unwrap()
        .arg("diff")
        .arg("--base")
        .arg(base)
        .arg("--content")
        .arg(head)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn an_upstream_slip_moves_the_end_and_turns_float_negative() {
    let (b, h) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (base, head) = (base_into(b.path()), base_into(h.path()));
    edit(&head, "  duration: 2w\n", "  duration: 6w\n");
    let (code, out) = diff(&base, &head, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Forecast end: 2027-02-23 -> 2027-03-23"),
        "{out}"
    );
    assert!(
        out.contains("The forecast end moves later by +20 working days."),
        "{out}"
    );
    let section = out.split("Float turned negative").nth(1).expect(&out);
    for id in [
        "auth-api-v2",
        "db-schema-migration",
        "mobile-app-update",
        "mobile-launch",
    ] {
        assert!(
            section.contains(&format!("{id}: float 13 -> -7")),
            "{id}: {out}"
        );
    }
    let (code, _) = diff(&base, &head, &["--fail-on", "negative-float"]);
    assert_eq!(code, 1);
    let (code, _) = diff(&base, &base, &["--fail-on", "negative-float"]);
    assert_eq!(code, 0);
}

#[test]
fn a_new_cross_team_dependency_is_listed() {
    let (b, h) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (base, head) = (base_into(b.path()), base_into(h.path()));
    edit(
        &head,
        "  depends_on: [auth-api-v2]\n  start: 2027-02-08",
        "  depends_on: [auth-api-v2, db-schema-migration]\n  start: 2027-02-08",
    );
    let (_, out) = diff(&base, &head, &[]);
    assert!(
        out.contains(
            "platform -> identity: 1 -> 2 dependencies; added db-schema-migration -> web-login"
        ),
        "{out}"
    );
    assert!(out.contains("The forecast end does not move."), "{out}");
}

#[test]
fn a_removed_dependency_is_listed_in_markdown() {
    let (b, h) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (base, head) = (base_into(b.path()), base_into(h.path()));
    edit(
        &head,
        "  depends_on: [auth-api-v2]\n  duration: 14d",
        "  duration: 14d",
    );
    let (_, out) = diff(&base, &head, &["--format", "markdown"]);
    assert!(
        out.starts_with("### Schedule impact of this change"),
        "{out}"
    );
    assert!(out.contains("| Forecast end | 2027-02-23 |"), "{out}");
    assert!(
        out.contains(
            "- identity -> mobile: 1 -> 0 dependencies; removed `auth-api-v2 -> mobile-app-update`"
        ),
        "{out}"
    );
    assert!(out.contains("**Leaves the critical path**"), "{out}");
}

#[test]
fn base_ref_reads_the_content_from_git() {
    let repo = tempfile::tempdir().unwrap();
    let content = base_into(repo.path());
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .arg("-C")
            .arg(repo.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    edit(&content, "  duration: 2w\n", "  duration: 6w\n");
    let out = Cmd::cargo_bin("tpm-site")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "--base-ref", "HEAD"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Forecast end: 2027-02-23 -> 2027-03-23"),
        "{stdout}"
    );
    let out = Cmd::cargo_bin("tpm-site")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "--base-ref", "no-such-ref"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_changed_link_type_or_lag_is_a_change() {
    let (b, h) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (base, head) = (base_into(b.path()), base_into(h.path()));
    edit(
        &head,
        "  depends_on: [auth-api-v2]\n  duration: 14d",
        "  depends_on: [{ id: auth-api-v2, type: start-to-start, lag: 3d }]\n  duration: 14d",
    );
    let (code, out) = diff(&base, &head, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("Dependency links changed (type or lag):\n  - auth-api-v2 -> mobile-app-update: FS -> SS+3d"),
        "{out}"
    );
    // Starting three days after the API starts instead of after it ends
    // pulls the end in.
    assert!(out.contains("The forecast end moves earlier by"), "{out}");
    assert!(!out.contains("Dependencies between teams"), "{out}");

    // Only the lag changes: still a change, listed the same way.
    let h2 = tempfile::tempdir().unwrap();
    let head2 = base_into(h2.path());
    edit(
        &head2,
        "  depends_on: [auth-api-v2]\n  duration: 14d",
        "  depends_on: [{ id: auth-api-v2, lag: -2d }]\n  duration: 14d",
    );
    let (_, out) = diff(&base, &head2, &["--format", "markdown"]);
    assert!(
        out.contains("- `auth-api-v2` -> `mobile-app-update`: FS -> FS-2d"),
        "{out}"
    );
}
