//! One broken content folder per kind of mistake. Each starts from the valid
//! spec-example fixture, changes one file, and asserts the diagnostic's file,
//! line and message (and that the folder does not analyse).

mod common;

use std::fs;
use std::path::Path;

use tpm_site::diagnostics::{Diagnostic, Severity};

const DELIVERABLES: &str = "- id: db-schema-migration
  name: DB schema migration
  owner: platform
  start: 2027-01-04
  duration: 10d
- id: auth-api-v2
  name: User Auth API v2
  owner: identity
  depends_on: [db-schema-migration]
  duration: 2w
- id: mobile-app-update
  name: Mobile app update
  owner: mobile
  depends_on: [auth-api-v2]
  due: 2027-02-19
- id: web-login
  name: Web login
  owner: identity
  depends_on: [auth-api-v2]
  start: 2027-02-08
  due: 2027-02-12
";

/// The valid fixture with `files` replaced (relative path, bytes).
fn broken(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("valid/spec-example/content"), tmp.path());
    for (path, bytes) in files {
        let p = tmp.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    tmp
}

fn deliverables_with(from: &str, to: &str) -> String {
    assert!(DELIVERABLES.contains(from), "{from}");
    DELIVERABLES.replacen(from, to, 1)
}

/// Asserts that `dir` fails with an error at `file:line` whose message contains `text`.
#[track_caller]
fn expect_error(dir: &Path, file: &str, line: u32, text: &str) -> Diagnostic {
    let diags = common::diagnostics(dir);
    let mut ignored = Vec::new();
    let found = diags.iter().find(|d| {
        d.severity == Severity::Error
            && &*d.file == file
            && d.line == line
            && d.message.contains(text)
    });
    match found {
        Some(d) => {
            let mut diags2 = tpm_site::diagnostics::Diagnostics::new();
            let analysed = tpm_site::site::analyze_dir(dir, None, false, &mut diags2).unwrap();
            assert!(analysed.is_none(), "a folder with errors must not analyse");
            d.clone()
        }
        None => {
            ignored.extend(diags.iter().map(|d| d.display(Path::new("")).to_string()));
            panic!(
                "expected an error at {file}:{line} containing {text:?}; got:\n{}",
                ignored.join("\n")
            )
        }
    }
}

#[test]
fn dangling_reference_names_the_item_and_suggests_the_id() {
    let d = deliverables_with(
        "depends_on: [db-schema-migration]",
        "depends_on: [db-schema-migraton]",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        9,
        "`auth-api-v2` depends on unknown item `db-schema-migraton`",
    );
    assert_eq!(e.col, 16);
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean `db-schema-migration`?")
    );
}

#[test]
fn duplicate_id_across_deliverables_and_milestones() {
    let dir = broken(&[(
        "milestones.yaml",
        b"- id: web-login\n  name: Clash\n  date: 2027-02-19\n",
    )]);
    let e = expect_error(dir.path(), "milestones.yaml", 1, "duplicate id `web-login`");
    assert!(
        e.message.contains("deliverables/all.yaml:17"),
        "{}",
        e.message
    );
}

#[test]
fn cycle_names_every_item_on_it() {
    let d = deliverables_with(
        "  start: 2027-01-04\n  duration: 10d",
        "  depends_on: [mobile-app-update]\n  duration: 10d",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(dir.path(), "deliverables/all.yaml", 6, "cycle");
    for id in ["auth-api-v2", "db-schema-migration", "mobile-app-update"] {
        assert!(e.message.contains(id), "{id} in {}", e.message);
    }
    assert!(!e.message.contains("web-login"), "{}", e.message);
}

#[test]
fn impossible_date() {
    let d = deliverables_with("due: 2027-02-19", "due: 2027-02-30");
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        15,
        "2027-02-30 does not exist",
    );
    assert_eq!(e.hint.as_deref(), Some("2027-02 has 28 days"));
}

#[test]
fn due_before_start() {
    let d = deliverables_with(
        "  start: 2027-02-08\n  due: 2027-02-12",
        "  start: 2027-02-12\n  due: 2027-02-08",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    expect_error(
        dir.path(),
        "deliverables/all.yaml",
        21,
        "`web-login` is due 2027-02-08, before it starts (2027-02-12)",
    );
}

#[test]
fn derived_start_after_due_names_the_provider() {
    let d = deliverables_with("due: 2027-02-19", "due: 2027-01-25");
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(dir.path(), "deliverables/all.yaml", 11, "mobile-app-update");
    assert!(
        e.message.contains("auth-api-v2"),
        "names the provider: {}",
        e.message
    );
}

#[test]
fn progress_out_of_range_in_front_matter_uses_whole_file_lines() {
    let report = "---\ndate: 2027-02-12\nstatus: amber\nsummary: Late.\nupdates:\n  auth-api-v2: { status: on_track, progress: 160 }\n---\nBody\n";
    let dir = broken(&[("reports/2027-02-12.md", report.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "reports/2027-02-12.md",
        6,
        "`progress` is 160, out of range",
    );
    assert_eq!(e.col, 46);
}

#[test]
fn unknown_team_suggests_the_closest() {
    let d = deliverables_with(
        "owner: identity\n  depends_on: [db",
        "owner: identiy\n  depends_on: [db",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        8,
        "owned by unknown team `identiy`",
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `identity`?"));
}

#[test]
fn unknown_field_suggests_the_known_one() {
    let d = deliverables_with(
        "  depends_on: [auth-api-v2]\n  due",
        "  dependson: [auth-api-v2]\n  due",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        14,
        "unknown field `dependson`",
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `depends_on`?"));
}

#[test]
fn status_typo_in_report() {
    let report = "---\ndate: 2027-02-12\nstatus: amber\nsummary: x\nupdates:\n  auth-api-v2:\n    status: on-track\n---\n";
    let dir = broken(&[("reports/2027-02-12.md", report.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "reports/2027-02-12.md",
        7,
        "`status` is `on-track`",
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `on_track`?"));
}

#[test]
fn non_utf8_points_at_the_line() {
    let dir = broken(&[(
        "teams.yaml",
        b"- id: identity\n  name: Identity\n  lead: Jos\xe9\n",
    )]);
    let e = expect_error(dir.path(), "teams.yaml", 3, "not valid UTF-8");
    assert_eq!(e.col, 12);
}

#[test]
fn alias_bomb_is_stopped() {
    let mut bomb = String::from("- id: r\n  title: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for w in names.windows(2) {
        let (p, n) = (w[0], w[1]);
        bomb.push_str(&format!(
            "  {n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    let dir = broken(&[("risks.yaml", bomb.as_bytes())]);
    let diags = common::diagnostics(dir.path());
    let e = diags
        .iter()
        .find(|d| &*d.file == "risks.yaml")
        .expect("an error in risks.yaml");
    assert!(e.message.contains("too much data"), "{e:?}");
    assert!(e.line >= 2, "{e:?}");
}

#[test]
fn deep_nesting_is_stopped() {
    let deep = format!("- id: r\n  title: {}\n", "[".repeat(10_000));
    let dir = broken(&[("risks.yaml", deep.as_bytes())]);
    expect_error(dir.path(), "risks.yaml", 2, "nested too deeply");
}

#[test]
fn unclosed_front_matter() {
    let dir = broken(&[(
        "reports/2027-02-12.md",
        b"---\ndate: 2027-02-12\nstatus: red\n\n# Body\n",
    )]);
    let e = expect_error(
        dir.path(),
        "reports/2027-02-12.md",
        1,
        "front matter is never closed",
    );
    assert!(e.hint.unwrap().contains("---"));
}

#[test]
fn traversal_id_is_refused() {
    let d = deliverables_with("- id: web-login", "- id: ../../etc/passwd");
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        16,
        "`../../etc/passwd` is not a valid id",
    );
    assert!(e.hint.unwrap().contains("etc-passwd"));
}

#[test]
fn duplicate_keys_are_errors() {
    let d = deliverables_with(
        "  due: 2027-02-19\n",
        "  due: 2027-02-19\n  due: 2027-02-26\n",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    expect_error(
        dir.path(),
        "deliverables/all.yaml",
        16,
        "duplicate key `due`",
    );
}

#[test]
fn tabs_get_a_clear_message() {
    let dir = broken(&[("teams.yaml", b"- id: identity\n\tname: Identity\n")]);
    let e = expect_error(dir.path(), "teams.yaml", 2, "invalid YAML");
    assert!(e.hint.unwrap().contains("spaces"));
    // No cascade: references to teams in the broken file are not reported as unknown.
    let errors = common::diagnostics(dir.path())
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(errors, 1);
}

#[test]
fn start_due_and_duration_that_disagree() {
    let d = deliverables_with(
        "  start: 2027-02-08\n  due: 2027-02-12",
        "  start: 2027-02-08\n  due: 2027-02-12\n  duration: 4d",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    expect_error(
        dir.path(),
        "deliverables/all.yaml",
        22,
        "which disagree: start to due is 5 working days",
    );
}

#[test]
fn value_out_of_range_in_risks() {
    let dir = broken(&[(
        "risks.yaml",
        b"- id: r1\n  title: T\n  probability: 7\n  impact: 2\n",
    )]);
    expect_error(
        dir.path(),
        "risks.yaml",
        3,
        "`probability` is 7, out of range: it must be from 1 to 5",
    );
}

#[test]
fn missing_program_yaml() {
    let dir = broken(&[]);
    fs::remove_file(dir.path().join("program.yaml")).unwrap();
    let diags = common::diagnostics(dir.path());
    assert!(
        diags
            .iter()
            .any(|d| &*d.file == "program.yaml" && d.message.contains("program.yaml is missing")),
        "{diags:?}"
    );
}

#[test]
fn every_problem_is_reported_in_one_run_sorted() {
    let d = deliverables_with(
        "owner: identity\n  depends_on: [db",
        "owner: identiy\n  depends_on: [db",
    )
    .replacen("due: 2027-02-19", "due: 2027-02-30", 1);
    let report = "---\ndate: 2027-02-12\nstatus: purple\nsummary: x\n---\n";
    let dir = broken(&[
        ("deliverables/all.yaml", d.as_bytes()),
        ("reports/2027-02-12.md", report.as_bytes()),
    ]);
    let diags = common::diagnostics(dir.path());
    let errors: Vec<(String, u32)> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.file.to_string(), d.line))
        .collect();
    assert_eq!(
        errors,
        [
            ("deliverables/all.yaml".to_string(), 8),
            ("deliverables/all.yaml".to_string(), 15),
            ("reports/2027-02-12.md".to_string(), 3)
        ]
    );
}

#[test]
fn questionable_content_gives_warnings_not_errors() {
    // A start on a Saturday moves to Monday; an update for a done item.
    let d = deliverables_with("  start: 2027-02-08\n", "  start: 2027-02-06\n");
    let report = "---\ndate: 2027-02-12\nstatus: amber\nsummary: x\nupdates:\n  db-schema-migration: { progress: 100 }\n---\n";
    let dir = broken(&[
        ("deliverables/all.yaml", d.as_bytes()),
        ("reports/2027-02-12.md", report.as_bytes()),
    ]);
    let a = common::analyze(dir.path());
    let diags = common::diagnostics(dir.path());
    let warnings: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    assert!(
        warnings.iter().any(|w| &*w.file == "deliverables/all.yaml"
            && w.line == 20
            && w.message.contains("2027-02-06 is a Saturday")
            && w.message.contains("Monday 2027-02-08")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| &*w.file == "reports/2027-02-12.md"
            && w.line == 6
            && w.message.contains("already reported done")),
        "{warnings:?}"
    );
    let web = a.program.item_index("web-login").unwrap();
    assert_eq!(
        a.current.items[web].planned_start,
        jiff::civil::date(2027, 2, 8)
    );
}

#[test]
fn unknown_files_and_symlinks_are_warned_about_and_not_followed() {
    let dir = broken(&[
        ("notes.txt", b"hello"),
        ("deliverables/extra.yml", b"- id: x\n"),
    ]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.yaml"),
        "- id: leaked\n  name: L\n  owner: identity\n  duration: 1d\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("deliverables/linked.yaml"),
    )
    .unwrap();
    let a = common::analyze(dir.path());
    assert!(
        a.program.item_index("leaked").is_none(),
        "symlinks are not followed"
    );
    let diags = common::diagnostics(dir.path());
    for (file, text) in [
        ("notes.txt", "file ignored"),
        ("deliverables/extra.yml", "file ignored"),
        ("deliverables/linked.yaml", "symbolic link ignored"),
    ] {
        assert!(
            diags.iter().any(|d| d.severity == Severity::Warning
                && &*d.file == file
                && d.message.contains(text)),
            "{file}: {diags:?}"
        );
    }
}

#[test]
fn a_report_dated_other_than_its_file_name_is_an_error() {
    let report = "---\ndate: 2027-02-11\nstatus: amber\nsummary: x\n---\n";
    let dir = broken(&[("reports/2027-02-12.md", report.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "reports/2027-02-12.md",
        2,
        "the report is dated 2027-02-11, but its file is named for 2027-02-12",
    );
    assert_eq!(
        e.hint.as_deref(),
        Some(
            "set `date: 2027-02-12`, or rename the file to `2027-02-11.md` if 2027-02-11 is the report's date"
        )
    );
    // A file name that is not a date is free.
    let dir = broken(&[("reports/kickoff.md", report.as_bytes())]);
    assert!(
        common::diagnostics(dir.path())
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{}",
        common::render(common::diagnostics(dir.path()))
    );
}

#[test]
fn a_report_dated_before_the_program_starts_is_an_error() {
    // A year off, as a typo makes it: both the name and the start disagree.
    let report = "---\ndate: 2026-03-26\nstatus: green\nsummary: x\n---\n";
    let dir = broken(&[("reports/2027-03-26.md", report.as_bytes())]);
    expect_error(
        dir.path(),
        "reports/2027-03-26.md",
        2,
        "the report is dated 2026-03-26, but its file is named for 2027-03-26",
    );
    let e = expect_error(
        dir.path(),
        "reports/2027-03-26.md",
        2,
        "the report is dated 2026-03-26, before the program starts on 2027-01-04",
    );
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("check the year"))
    );
}

#[test]
fn bad_link_type_suggests_the_name() {
    let d = deliverables_with(
        "depends_on: [db-schema-migration]",
        "depends_on:\n    - { id: db-schema-migration, type: start_to_start }",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        10,
        "a dependency's `type` is `start_to_start`, which is not one of",
    );
    assert_eq!(e.col, 40);
    assert_eq!(e.hint.as_deref(), Some("did you mean `start-to-start`?"));
}

#[test]
fn bad_lag_says_how_to_write_one() {
    let d = deliverables_with(
        "depends_on: [db-schema-migration]",
        "depends_on:\n    - id: db-schema-migration\n      type: SS\n      lag: 3 days",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        12,
        "a dependency's `lag` is `3 days`, not a number of working days",
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("write N followed by d (working days), with a minus for a lead: `3d`, `-2d`")
    );
}

#[test]
fn lag_without_unit_is_an_error() {
    let d = deliverables_with(
        "depends_on: [db-schema-migration]",
        "depends_on: [{ id: db-schema-migration, lag: 2 }]",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        9,
        "a dependency's `lag: 2` has no unit",
    );
    assert_eq!(e.hint.as_deref(), Some("write `lag: 2d` for working days"));
}

#[test]
fn unknown_key_in_a_dependency_suggests_the_known_one() {
    let d = deliverables_with(
        "depends_on: [db-schema-migration]",
        "depends_on:\n    - id: db-schema-migration\n      typ: FF",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        11,
        "unknown field `typ` in a dependency",
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `type`?"));
}

#[test]
fn a_dependency_mapping_needs_an_id() {
    let d = deliverables_with(
        "depends_on: [db-schema-migration]",
        "depends_on:\n    - { type: FF, lag: 1d }",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(
        dir.path(),
        "deliverables/all.yaml",
        10,
        "a dependency is missing the required field `id`",
    );
    assert_eq!(e.hint.as_deref(), Some("add `id: api`"));
}

#[test]
fn a_cycle_through_any_link_type_is_a_cycle() {
    let d = deliverables_with(
        "  start: 2027-01-04\n  duration: 10d",
        "  depends_on: [{ id: mobile-app-update, type: start-to-start, lag: -5d }]\n  duration: 10d",
    );
    let dir = broken(&[("deliverables/all.yaml", d.as_bytes())]);
    let e = expect_error(dir.path(), "deliverables/all.yaml", 6, "cycle");
    for id in ["auth-api-v2", "db-schema-migration", "mobile-app-update"] {
        assert!(e.message.contains(id), "{id} in {}", e.message);
    }
}
