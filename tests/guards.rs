//! The publishing guards, through the real binary: a leak or a broken link
//! fails `build` with exit 1 and a clear message, and the previous output
//! stays byte-identical. Internal notes are left out of a good build.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn build(content: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tpm-site"))
        .args(["build", "--source-commit", "abc1234", "--content"])
        .arg(content)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// Appends `text` to the body of the report of 2027-01-29.
fn append_to_report(content: &Path, text: &str) {
    let p = content.join("reports/2027-01-29.md");
    let mut body = std::fs::read_to_string(&p).unwrap();
    body.push_str(text);
    std::fs::write(p, body).unwrap();
}

/// Builds a good site, breaks the content with `edit`, and checks the build
/// fails with `expect` while the site stays as it was.
fn refused(edit: impl Fn(&Path), expect: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let out = tmp.path().join("public");
    let first = build(&content, &out);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = common::snapshot_tree(&out);
    edit(&content);
    let run = build(&content, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("publishing guards stopped the build"),
        "{stderr}"
    );
    assert!(stderr.contains(expect), "expected `{expect}` in:\n{stderr}");
    assert!(
        common::snapshot_tree(&out) == before,
        "the previous output changed"
    );
    // `check` runs the same pipeline without writing: it refuses the same
    // content with the same message (also as JSON for tools).
    let check = Command::new(env!("CARGO_BIN_EXE_tpm-site"))
        .args(["check", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    let check_err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{check_err}");
    assert!(
        check_err.contains(expect),
        "check: expected `{expect}` in:\n{check_err}"
    );
    let json = Command::new(env!("CARGO_BIN_EXE_tpm-site"))
        .args(["check", "--format", "json", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "error"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| expect.contains(m) || m.contains(expect))),
        "{j}"
    );
    // The pages were written beside the output as they were rendered: the
    // refused site is gone, nothing is left next to the output.
    assert_eq!(
        common::names_in(tmp.path()),
        ["content", "public"],
        "leftovers beside the output"
    );
}

#[test]
fn a_stakeholder_address_in_a_report_fails_the_build() {
    refused(
        |c| {
            append_to_report(
                c,
                "\nQuestions: write to [Dana](mailto:Dana@Example.com).\n",
            )
        },
        "reports/2027-01-29/index.html: contains the address of stakeholder Dana Whitfield (dana@example.com)",
    );
}

#[test]
fn a_stakeholder_address_in_a_plain_field_fails_the_build() {
    refused(
        |c| {
            let p = c.join("risks.yaml");
            let text = std::fs::read_to_string(&p).unwrap().replacen(
                "owner: Sofia Marquez",
                "owner: grace@example.com",
                1,
            );
            std::fs::write(p, text).unwrap();
        },
        "risks/index.html: contains the address of stakeholder Grace Liu",
    );
}

#[test]
fn internal_text_copied_into_a_published_field_fails_the_build() {
    refused(
        |c| {
            append_to_report(
                c,
                "\n<!-- internal -->\nThe DBA contractor is not working out.\n<!-- /internal -->\n",
            );
            let p = c.join("reports/2027-01-29.md");
            let text = std::fs::read_to_string(&p).unwrap().replacen(
                "summary: Schema migration",
                "summary: The DBA contractor is not working out. Schema migration",
                1,
            );
            std::fs::write(p, text).unwrap();
        },
        "contains text marked internal in reports/2027-01-29.md: \"The DBA contractor is not working out.\"",
    );
}

#[test]
fn a_broken_relative_link_fails_the_build() {
    refused(
        |c| append_to_report(c, "\nSee [the plan](../../pages/no-such-page/).\n"),
        "reports/2027-01-29/index.html: broken link `../../pages/no-such-page/`: the site has no `pages/no-such-page/index.html`",
    );
}

#[test]
fn a_broken_anchor_fails_the_build() {
    refused(
        |c| append_to_report(c, "\nSee [the asks](#no-such-heading) and [ok](#asks).\n"),
        "broken link `#no-such-heading`: `reports/2027-01-29/index.html` has no element with id `no-such-heading`",
    );
}

#[test]
fn internal_notes_are_left_out_and_good_links_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    append_to_report(
        &content,
        "\n<!-- internal -->\nKenji's contractor question stays between us.\n<!-- /internal -->\n\n\
         Back to [the plan](../../pages/communication-plan/#escalation-path), the \
         [asks](#asks) and <!-- Internal -->a private aside<!--/internal--> the end.\n",
    );
    let out = tmp.path().join("public");
    let run = build(&content, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for (path, bytes) in common::snapshot_tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("contractor question"),
            "{path} leaks internal text"
        );
        assert!(
            !text.contains("private aside"),
            "{path} leaks internal text"
        );
        assert!(!text.contains("internal --"), "{path} shows a marker");
    }
    let page = std::fs::read_to_string(out.join("reports/2027-01-29/index.html")).unwrap();
    assert!(
        page.contains("the end."),
        "the text after the markers is kept"
    );
}
