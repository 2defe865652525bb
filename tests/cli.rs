//! The real binary: build the example, refuse dangerous outputs, keep the old
//! site on failure, and produce byte-identical output twice.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn tpm() -> Command {
    Command::cargo_bin("tpm-site").unwrap()
}

fn build(content: &Path, output: &Path) -> assert_cmd::assert::Assert {
    tpm()
        .arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(output)
        .assert()
}

#[test]
fn builds_the_example_program_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let assert = build(&common::root().join("content"), &out).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("Built ") && stdout.contains("index.html"),
        "{stdout}"
    );
    for page in [
        "index.html",
        "program.json",
        "charter/index.html",
        "dependencies/index.html",
        "risks/index.html",
        "decisions/index.html",
        "reports/index.html",
        "reports/2027-04-09/index.html",
        "teams/index.html",
        "deliverables/auth-api-v2/index.html",
        "pages/communication-plan/index.html",
        ".nojekyll",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    // Nothing private leaves the machine.
    let stakeholders =
        fs::read_to_string(common::root().join("content/stakeholders.yaml")).unwrap();
    let emails: Vec<&str> = stakeholders
        .split_whitespace()
        .filter(|w| w.contains('@'))
        .collect();
    assert!(!emails.is_empty());
    for (path, bytes) in common::snapshot_tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for e in &emails {
            assert!(!text.contains(e), "{e} leaked into {path}");
        }
    }
}

#[test]
fn runs_from_the_repo_root_with_no_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("content"), &tmp.path().join("content"));
    tpm()
        .current_dir(tmp.path())
        .arg("build")
        .assert()
        .success();
    assert!(tmp.path().join("public/index.html").is_file());
    assert!(tmp.path().join("public/.tpm-site").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&common::root().join("content"), &a).success();
    build(&common::root().join("content"), &b).success();
    let (ta, tb) = (common::snapshot_tree(&a), common::snapshot_tree(&b));
    assert!(ta.len() > 50, "{} files", ta.len());
    assert_eq!(ta.len(), tb.len());
    for ((pa, ba), (pb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

/// A copy of the example content built once into `public/` beside it,
/// with that first output's files.
fn built_example() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    Vec<(String, Vec<u8>)>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let out = tmp.path().join("public");
    build(&content, &out).success();
    let before = common::snapshot_tree(&out);
    (tmp, content, out, before)
}

#[test]
fn a_failing_build_leaves_the_previous_output_intact() {
    let (tmp, content, out, before) = built_example();
    // Break a deliverable: unknown dependency.
    let path = content.join("deliverables/identity.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("depends_on: [", "depends_on: [no-such-item, ", 1),
    )
    .unwrap();
    let assert = build(&content, &out).code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("deliverables/identity.yaml:")
            && stderr.contains("unknown item `no-such-item`"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        common::snapshot_tree(&out),
        before,
        "previous output must be byte-identical"
    );
    let leftovers = common::names_in(tmp.path());
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary folders left: {leftovers:?}"
    );
}

#[test]
fn dangerous_outputs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("site/content");
    common::copy_dir(&common::root().join("content"), &content);
    let foreign = tmp.path().join("docs");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("keep.txt"), "mine").unwrap();
    for bad in [
        content.clone(),
        content.join("public"),
        tmp.path().join("site"),
        Path::new("/").to_path_buf(),
        foreign.clone(),
    ] {
        let assert = build(&content, &bad).code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains("refusing to write"),
            "{}: {stderr}",
            bad.display()
        );
    }
    assert_eq!(
        fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "mine"
    );
    // The current folder and the home folder.
    tpm()
        .current_dir(tmp.path().join("site"))
        .args(["build", "--output", "."])
        .assert()
        .code(2);
    let home = tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    tpm()
        .current_dir(tmp.path().join("site"))
        .env("HOME", &home)
        .args(["build", "--output"])
        .arg(&home)
        .assert()
        .code(2);
    assert_eq!(fs::read_dir(&home).unwrap().count(), 0);
}

#[test]
fn check_reports_errors_with_exit_code_1_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    tpm()
        .arg("check")
        .arg("--content")
        .arg(&content)
        .assert()
        .success();
    fs::write(
        content.join("risks.yaml"),
        "- id: r1\n  title: T\n  probability: 9\n  impact: 2\n",
    )
    .unwrap();
    let assert = tpm().current_dir(tmp.path()).arg("check").assert().code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.starts_with("content/risks.yaml:3:16: error: `probability` is 9, out of range"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n  help: use a value from 1 to 5"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "check writes nothing"
    );
}

#[test]
fn usage_errors_exit_2_and_help_explains() {
    tpm()
        .args(["build", "--as-of", "2027-02-30"])
        .assert()
        .code(2);
    tpm().args(["frobnicate"]).assert().code(2);
    let assert = tpm().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        help.contains("Exit codes") && help.contains("build") && help.contains("check"),
        "{help}"
    );
    tpm()
        .args(["build", "--content", "/no/such/folder", "--output"])
        .arg(tempfile::tempdir().unwrap().path().join("o"))
        .assert()
        .code(2);
}

#[test]
fn as_of_builds_the_program_at_an_earlier_date() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    tpm()
        .arg("build")
        .arg("--content")
        .arg(common::root().join("content"))
        .arg("--output")
        .arg(&out)
        .args(["--as-of", "2027-02-12"])
        .assert()
        .success();
    let j: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("program.json")).unwrap()).unwrap();
    assert_eq!(j["program"]["as_of"], "2027-02-12");
    assert_eq!(
        j["reports"].as_array().unwrap().last().unwrap()["date"],
        "2027-02-12"
    );
}

#[test]
fn new_scaffolds_a_repo_that_builds_as_is_with_a_valid_pages_workflow() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-program");
    tpm().arg("new").arg(&dir).assert().success();
    tpm().current_dir(&dir).arg("build").assert().success();
    assert!(dir.join("public/index.html").is_file());
    // Content equals this repository's example, file for file.
    let ours = common::snapshot_tree(&common::root().join("content"));
    assert_eq!(
        common::snapshot_tree(&dir.join("content")),
        ours,
        "scaffold lists every example file"
    );
    // The workflow is valid YAML with the jobs GitHub Pages needs.
    let wf = fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    let root = tpm_site::content::yaml::parse(&wf, 0).expect("workflow parses as YAML");
    let text = format!("{root:?}");
    for needle in [
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "pages: write",
        "id-token",
    ] {
        let key = needle.split(':').next().unwrap();
        assert!(text.contains(key), "{needle} in workflow");
    }
    assert!(wf.contains("tpm-site build --base-url"), "{wf}");
    let pr = fs::read_to_string(dir.join(".github/workflows/plan-impact.yml")).unwrap();
    tpm_site::content::yaml::parse(&pr, 0).expect("PR workflow parses as YAML");
    assert!(
        pr.contains("pull_request") && pr.contains("tpm-site diff --base-ref"),
        "{pr}"
    );
    // The e-mail lock is never committed (it is never unlinked: that races).
    let ignore = fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(
        ignore.lines().any(|l| l == "/.tpm-site/sent.json.lock"),
        "{ignore}"
    );
    // Both install through the action pinned to this version: no toolchain.
    let pinned = format!("uses: tpm-site/tpm-site@v{}\n", env!("CARGO_PKG_VERSION"));
    for text in [&wf, &pr] {
        assert!(text.contains(&pinned), "{pinned} in {text}");
        assert!(!text.contains("cargo install") && !text.contains("rust-toolchain"));
        assert!(!text.contains("0.0.0-scaffold"));
    }
    assert!(!dir.join(".gitlab-ci.yml").exists());
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("GitHub Pages") && !readme.contains("PUBLISHING"));
    // Never overwrites.
    let assert = tpm().arg("new").arg(&dir).assert().code(2);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("not empty"));
}

/// `new DIR --blank`: a minimal program with every field explained, that
/// passes `check --deny-warnings` and builds; `git init` is run when the
/// folder is not inside a repository; the closing message says how to
/// install tpm-site and build.
#[test]
fn new_blank_scaffolds_a_minimal_program_that_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("blank-program");
    let out = tpm().args(["new", "--blank"]).arg(&dir).assert().success();
    let said = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for needle in [
        "GitHub releases",
        "GitHub Action",
        "cargo binstall tpm-site",
        "cargo install --locked tpm-site",
        "tpm-site build",
    ] {
        assert!(said.contains(needle), "{needle}: {said}");
    }
    let names: Vec<String> = common::snapshot_tree(&dir.join("content"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "deliverables/core.yaml",
            "milestones.yaml",
            "program.yaml",
            "teams.yaml"
        ]
    );
    let program = fs::read_to_string(dir.join("content/program.yaml")).unwrap();
    assert!(program.contains("public: false") && program.contains("# Private by default"));
    let a = common::analyze(&dir.join("content"));
    assert_eq!(a.program.teams.len(), 1);
    assert_eq!(
        a.program
            .items
            .iter()
            .filter(|i| i.kind == tpm_site::model::ItemKind::Deliverable)
            .count(),
        2
    );
    assert_eq!(a.program.items.len(), 3);
    assert!(a.program.reports.is_empty());
    assert!(a.program.items.iter().any(|i| i.dri.is_some()));
    tpm()
        .current_dir(&dir)
        .args(["check", "--deny-warnings"])
        .assert()
        .success();
    tpm().current_dir(&dir).arg("build").assert().success();
    assert!(dir.join("public/index.html").is_file());
    assert!(dir.join(".github/workflows/pages.yml").is_file());
    // --blank only chooses the content: it combines with --ci gitlab.
    let gl = tmp.path().join("blank-gitlab");
    tpm()
        .args(["new", "--blank", "--ci", "gitlab"])
        .arg(&gl)
        .assert()
        .success();
    assert!(gl.join(".gitlab-ci.yml").is_file() && !gl.join(".github").exists());
    assert_eq!(
        common::snapshot_tree(&gl.join("content")),
        common::snapshot_tree(&dir.join("content"))
    );
    let git = std::process::Command::new("git").arg("--version").output();
    if git.is_ok_and(|o| o.status.success()) {
        assert!(dir.join(".git").is_dir(), "git init ran: {said}");
        assert!(said.contains("a git repository was initialised"), "{said}");
        // Inside a repository already: no nested repository.
        let inner = dir.join("nested");
        tpm().arg("new").arg(&inner).assert().success();
        assert!(!inner.join(".git").exists());
    }
}

#[test]
fn new_with_gitlab_ci_writes_a_pipeline_that_builds_as_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-program");
    tpm()
        .args(["new", "--ci", "gitlab"])
        .arg(&dir)
        .assert()
        .success();
    tpm().current_dir(&dir).arg("build").assert().success();
    assert!(dir.join("public/index.html").is_file());
    assert!(!dir.join(".github").exists(), "no GitHub workflows");
    let ci = fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    let root = tpm_site::content::yaml::parse(&ci, 0).expect(".gitlab-ci.yml parses as YAML");
    let text = format!("{root:?}");
    for key in ["pages", "codequality", "expose_as", "merge_request_event"] {
        assert!(text.contains(key), "{key} in .gitlab-ci.yml");
    }
    assert!(ci.contains("tpm-site check --format gitlab > gl-code-quality-report.json"));
    assert!(ci.contains(&format!(
        "TPM_SITE_VERSION: \"{}\"\n",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(ci.contains("/merge_requests/$CI_MERGE_REQUEST_IID/notes"));
    assert!(!ci.contains("0.0.0-scaffold") && !ci.contains("cargo install"));
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("GitLab Pages") && !readme.contains("GitHub Pages"));
}

#[test]
fn check_formats_for_tools_and_github() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    fs::write(
        content.join("risks.yaml"),
        "- id: r1\n  title: T\n  probability: 9\n  impact: 2\n",
    )
    .unwrap();
    let out = tpm()
        .current_dir(tmp.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1);
    let j: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(j["errors"], 1);
    assert_eq!(j["diagnostics"][0]["file"], "content/risks.yaml");
    assert_eq!(j["diagnostics"][0]["line"], 3);
    assert_eq!(j["diagnostics"][0]["col"], 16);
    let out = tpm()
        .current_dir(tmp.path())
        .args(["check", "--format", "github"])
        .assert()
        .code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.starts_with(
            "::error file=content/risks.yaml,line=3,col=16,title=tpm-site::`probability` is 9"
        ),
        "{stdout}"
    );
    // GitLab code quality: the Code Climate fields GitLab reads.
    let out = tpm()
        .current_dir(tmp.path())
        .args(["check", "--format", "gitlab"])
        .assert()
        .code(1);
    let j: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let issue = &j.as_array().expect("an array of issues")[0];
    assert!(
        issue["description"]
            .as_str()
            .unwrap()
            .starts_with("`probability` is 9"),
        "{issue}"
    );
    assert_eq!(issue["check_name"], "tpm-site/error");
    assert_eq!(issue["severity"], "major");
    assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 64);
    assert_eq!(issue["location"]["path"], "content/risks.yaml");
    assert_eq!(issue["location"]["lines"]["begin"], 3);
    // Warnings pass unless denied.
    fs::write(content.join("risks.yaml"), "").unwrap();
    fs::write(content.join("notes.txt"), "stray").unwrap();
    tpm()
        .current_dir(tmp.path())
        .arg("check")
        .assert()
        .success();
    tpm()
        .current_dir(tmp.path())
        .args(["check", "--deny-warnings"])
        .assert()
        .code(1);
}

#[test]
fn new_report_scaffolds_the_next_report_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("content"), &tmp.path().join("content"));
    let out = tpm()
        .current_dir(tmp.path())
        .args(["new", "report"])
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout).contains("content/reports/2027-04-23.md")
    );
    let text = fs::read_to_string(tmp.path().join("content/reports/2027-04-23.md")).unwrap();
    // The previous RAG, in-flight items with their last state, reviews of
    // cross-team edges due soon, and the open decisions.
    assert!(text.contains("status: red"), "{text}");
    assert!(
        text.contains("  auth-sdk-v2: { status: at_risk, progress: 75, forecast: 2027-04-12 }"),
        "{text}"
    );
    assert!(
        text.contains("  mobile-app-update: { status: on_track"),
        "{text}"
    );
    assert!(
        !text.contains("  db-schema-migration:"),
        "done items are not listed: {text}"
    );
    assert!(
        text.contains("{ from: auth-sdk-v2, to: mobile-app-update, provider_on_track: false"),
        "{text}"
    );
    assert!(
        !text.contains("to: mobile-launch,"),
        "milestones are not team edges: {text}"
    );
    assert!(
        text.contains("decisions: [cutover-strategy, force-upgrade, sso-scope]"),
        "{text}"
    );
    for section in [
        "## Highlights",
        "## Lowlights",
        "## Next two weeks",
        "## Asks",
    ] {
        assert!(text.contains(section), "{section}");
    }
    tpm()
        .current_dir(tmp.path())
        .args(["check", "--deny-warnings"])
        .assert()
        .success();
    // It is a draft: serve shows it, build does not publish it.
    tpm()
        .current_dir(tmp.path())
        .arg("build")
        .assert()
        .success();
    assert!(!tmp.path().join("public/reports/2027-04-23").exists());
    // Never overwrites.
    let again = tpm()
        .current_dir(tmp.path())
        .args(["new", "report"])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&again.get_output().stderr).contains("already exists"));
    tpm()
        .current_dir(tmp.path())
        .args(["new", "report", "--date", "2027-05-07"])
        .assert()
        .success();
}

/// `--timings` names every phase of the build with its time, and the CPU time
/// of the charts (what bench/run.sh reads).
#[test]
fn timings_name_every_phase() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let assert = tpm()
        .arg("build")
        .arg("--timings")
        .arg("--content")
        .arg(common::root().join("content"))
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Timings: "))
        .unwrap_or_else(|| panic!("no Timings line in {stdout}"));
    let mut names = Vec::new();
    for part in line["Timings: ".len()..]
        .split(" (charts: ")
        .next()
        .unwrap()
        .split(", ")
    {
        let (name, secs) = part.split_once(' ').unwrap();
        let secs: f64 = secs.trim_end_matches(" s").parse().unwrap();
        assert!(secs >= 0.0, "{part}");
        names.push(name.to_string());
    }
    assert_eq!(names, ["load", "analyze", "render", "check", "write"]);
    let charts: f64 = line
        .split(" (charts: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no chart time in {line}"));
    assert!(charts > 0.0, "the example draws charts: {line}");
}

/// A page that fails to render half-way through the build (a theme template
/// that reads a missing field) stops the build with the page and template
/// named; the pages already written to the staging folder are removed and
/// the previous site stays byte-identical.
#[test]
fn a_page_failing_mid_build_leaves_the_previous_site_and_no_leftovers() {
    let (tmp, content, out, before) = built_example();
    let theme = tmp.path().join("themes/default");
    fs::create_dir_all(&theme).unwrap();
    fs::write(
        theme.join("item.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.no_such_field.deeper }}{% endblock content %}",
    )
    .unwrap();
    let assert = build(&content, &out).failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("item.html"), "{stderr}");
    assert!(
        stderr.contains("deliverables/"),
        "the page is named: {stderr}"
    );
    assert!(
        common::snapshot_tree(&out) == before,
        "the previous site changed"
    );
    assert_eq!(
        common::names_in(tmp.path()),
        ["content", "public", "themes"]
    );
}

/// The diagnostic lines a command printed on stderr (`path:line:col: level:`
/// and their `help:` lines), without its closing summary.
fn diagnostic_lines(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        // A diagnostic starts with its path; the closing summary with "error: ".
        .filter(|l| !l.starts_with("error: "))
        .map(str::to_string)
        .collect()
}

/// `check` prints exactly the diagnostics `build` prints, on the example,
/// on every valid fixture, on the example with a scheduled report missing
/// and with a report whose amber the schedule contradicts, and on a folder
/// with errors: one pipeline, one set of warnings.
#[test]
fn check_prints_exactly_the_diagnostics_build_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let mut folders = vec![
        common::root().join("content"),
        common::fixture("valid/spec-example/content"),
        common::fixture("valid/report-sequence/content"),
    ];
    let missing = tmp.path().join("missing-report");
    common::copy_dir(&common::root().join("content"), &missing);
    fs::remove_file(missing.join("reports/2027-02-26.md")).unwrap();
    let amber = tmp.path().join("amber");
    common::copy_dir(&common::root().join("content"), &amber);
    let f = amber.join("reports/2027-04-09.md");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, text.replacen("status: red", "status: amber", 1)).unwrap();
    let broken = tmp.path().join("broken");
    common::copy_dir(&common::root().join("content"), &broken);
    let f = broken.join("risks.yaml");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, text.replacen("probability: 3", "probability: 9", 1)).unwrap();
    folders.extend([missing, amber, broken]);
    let mut warned = 0;
    for dir in &folders {
        let check = tpm()
            .args(["check", "--content"])
            .arg(dir)
            .output()
            .unwrap();
        let out = tmp.path().join("site");
        let build = tpm()
            .args(["build", "--content"])
            .arg(dir)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        let (c, b) = (
            diagnostic_lines(&check.stderr),
            diagnostic_lines(&build.stderr),
        );
        assert_eq!(c, b, "{}", dir.display());
        assert_eq!(
            check.status.code(),
            build.status.code(),
            "{}",
            dir.display()
        );
        warned += c.iter().filter(|l| l.contains(": warning: ")).count();
        if dir.ends_with("missing-report") {
            assert!(
                c.iter()
                    .any(|l| l.contains("no report for the scheduled report date 2027-02-26")),
                "{c:?}"
            );
        }
        if dir.ends_with("amber") {
            assert!(
                c.iter().any(|l| l
                    .contains("2027-04-09.md:2:1: warning: the report of 2027-04-09 says amber")),
                "{c:?}"
            );
        }
        if dir.ends_with("broken") {
            assert_eq!(check.status.code(), Some(1));
            assert!(
                c.iter()
                    .any(|l| l.contains("risks.yaml") && l.contains(": error: ")),
                "{c:?}"
            );
        }
    }
    assert!(warned >= 2, "the folders have warnings to compare");
}

/// Checks that `build --as-of D` is the build of `src` without the reports
/// dated after D, byte for byte, for the report dates whose index `pick`
/// accepts; returns how many dates were checked.
fn as_of_is_the_content_without_later_reports(src: &Path, pick: impl Fn(usize) -> bool) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(src, &content);
    let mut dates: Vec<String> = fs::read_dir(content.join("reports"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".md")
                .to_string()
        })
        .collect();
    dates.sort();
    assert!(dates.len() >= 5);
    let mut checked = 0;
    for (k, date) in dates.iter().enumerate().filter(|(k, _)| pick(*k)) {
        let as_of = tmp.path().join(format!("as-of-{date}"));
        tpm()
            .args(["build", "--source-commit", "abc1234", "--content"])
            .arg(&content)
            .arg("--output")
            .arg(&as_of)
            .args(["--as-of", date])
            .assert()
            .success();
        let cut = tmp.path().join(format!("cut-{date}"));
        common::copy_dir(&content, &cut);
        for later in &dates[k + 1..] {
            fs::remove_file(cut.join(format!("reports/{later}.md"))).unwrap();
        }
        let cut_out = tmp.path().join(format!("cut-out-{date}"));
        tpm()
            .args(["build", "--source-commit", "abc1234", "--content"])
            .arg(&cut)
            .arg("--output")
            .arg(&cut_out)
            .assert()
            .success();
        let (a, b) = (
            common::snapshot_tree(&as_of),
            common::snapshot_tree(&cut_out),
        );
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b), "as of {date}: the same files");
        for ((name, x), (_, y)) in a.iter().zip(&b) {
            assert!(x == y, "as of {date}: {name} differs");
        }
        for later in &dates[k + 1..] {
            assert!(
                !as_of.join(format!("reports/{later}")).exists(),
                "{later} after {date}"
            );
        }
        for dir in [as_of, cut, cut_out] {
            fs::remove_dir_all(dir).unwrap();
        }
        checked += 1;
    }
    checked
}

/// `build --as-of D` is the build of the content without the reports dated
/// after D, byte for byte, for every report date of the example.
#[test]
fn build_as_of_a_report_date_is_the_content_without_later_reports() {
    let n = as_of_is_the_content_without_later_reports(&common::root().join("content"), |_| true);
    assert_eq!(n, 7);
}

/// The same on a generated size-M program (52 reports, 1,000 deliverables),
/// sampled: the first report and every thirteenth (a build of M takes
/// seconds in a debug build).
#[test]
fn build_as_of_on_a_generated_m_program_is_the_content_without_later_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let content = common::generated("M", tmp.path());
    let n = as_of_is_the_content_without_later_reports(&content, |k| k % 13 == 0 && k < 50);
    assert_eq!(n, 4);
}

/// Issue 16's early-finish case: a provider slipped, `new report` drafted the
/// next report, the author published it as drafted, then the provider
/// finished early. Its consumer moves in (2027-04-23 to 2027-04-16): the
/// draft carried over what was reported and left computed dates as comments,
/// never as forecasts that would have held the consumer at 2027-04-23.
#[test]
fn new_report_carries_over_what_was_reported_so_an_early_finish_moves_consumers_in() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("content");
    fs::create_dir_all(c.join("deliverables")).unwrap();
    fs::create_dir_all(c.join("reports")).unwrap();
    fs::write(
        c.join("program.yaml"),
        "name: P\nobjective: O\nstart: 2027-03-15\nend: 2027-06-30\nreports:\n  cadence: 2w\n  first: 2027-03-26\n",
    )
    .unwrap();
    fs::write(
        c.join("teams.yaml"),
        "- { id: a, name: A }\n- { id: b, name: B }\n",
    )
    .unwrap();
    fs::write(
        c.join("deliverables/all.yaml"),
        "- { id: provider, name: Provider, owner: a, dri: Ann Lee, start: 2027-03-15, duration: 3w }\n\
         - { id: consumer, name: Consumer, owner: b, depends_on: [provider], duration: 1w }\n",
    )
    .unwrap();
    // The provider slips two weeks: the consumer is computed to 2027-04-23.
    fs::write(
        c.join("reports/2027-03-26.md"),
        "---\ndate: 2027-03-26\nstatus: amber\nsummary: s\nupdates:\n  provider: { status: at_risk, progress: 30, forecast: 2027-04-16 }\n---\n",
    )
    .unwrap();
    let consumer_finish = |dir: &Path| {
        let a = common::analyze(dir);
        a.current.items[a.program.item_index("consumer").unwrap()].forecast_finish
    };
    assert_eq!(consumer_finish(&c), jiff::civil::date(2027, 4, 23));

    tpm()
        .args(["new", "report", "--content"])
        .arg(&c)
        .assert()
        .success();
    let draft = fs::read_to_string(c.join("reports/2027-04-09.md")).unwrap();
    // What was reported is carried over; the computed date is a comment.
    assert!(
        draft.contains(
            "  provider: { status: at_risk, progress: 30, forecast: 2027-04-16 }   # computed finish 2027-04-16; DRI Ann Lee"
        ),
        "{draft}"
    );
    assert!(
        draft.contains(
            "  consumer: { status: not_started, progress: 0 }   # computed finish 2027-04-23"
        ),
        "{draft}"
    );
    // The author fills in only what changed (the provider finished a week
    // early) and publishes; the consumer's line stays as drafted.
    let published = draft.replace("draft: true", "draft: false").replace(
        "provider: { status: at_risk, progress: 30, forecast: 2027-04-16 }",
        "provider: { status: done, progress: 100, forecast: 2027-04-09 }",
    );
    assert_ne!(published, draft);
    fs::write(c.join("reports/2027-04-09.md"), published).unwrap();
    assert_eq!(
        consumer_finish(&c),
        jiff::civil::date(2027, 4, 16),
        "the consumer moves in with its provider"
    );
}

/// `diff --base .` and every `--content DIR` given the repository root (a
/// folder with `content/` and no program.yaml) ask whether DIR/content was
/// meant and stop, instead of warning about every file and missing program.yaml.
#[test]
fn a_folder_holding_content_but_no_program_yaml_suggests_its_content_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    common::copy_dir(&common::root().join("content"), &root.join("content"));
    let want = format!(
        "holds a `content/` folder but no program.yaml: did you mean `{}`?",
        root.join("content").display()
    );
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "diff".into(),
            "--base".into(),
            root.clone().into(),
            "--content".into(),
            root.join("content").into(),
        ],
        vec!["check".into(), "--content".into(), root.clone().into()],
        vec![
            "build".into(),
            "--content".into(),
            root.clone().into(),
            "--output".into(),
            tmp.path().join("out").into(),
        ],
        vec![
            "new".into(),
            "report".into(),
            "--content".into(),
            root.clone().into(),
        ],
    ];
    for args in runs {
        let out = tpm().args(&args).assert().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(&want), "{args:?}: {err}");
        assert!(
            !err.contains("file ignored") && !err.contains("program.yaml is missing"),
            "{err}"
        );
    }
    assert!(!tmp.path().join("out").exists());
    assert!(!root.join("reports").exists());
}

/// One rule set for base URLs at every entry point: program.yaml
/// `site.base_url` (check, exit 1, located), `build --base-url` and `email
/// --base-url` (exit 2, nothing written), with the same words; accepted
/// forms come out normalised in the canonical link and the sitemap.
#[test]
fn base_urls_are_checked_alike_at_every_entry_point() {
    const REJECTED: &[(&str, &str)] = &[
        ("https://", "has no valid host"),
        ("https://x.example/a?b=1#c/", "must not contain a query"),
        ("https://x.example/a b/", "contains spaces"),
        ("javascript:alert(1)", "must start with https://"),
        ("https://user:pw@x.example/", "must not contain a user name"),
    ];
    const ACCEPTED: &[(&str, &str)] = &[
        ("https://org.github.io/repo", "https://org.github.io/repo/"),
        (
            "HTTPS://Org.GitHub.io:443/repo/",
            "https://org.github.io/repo/",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let program = fs::read_to_string(content.join("program.yaml")).unwrap();
    let line = program
        .lines()
        .find(|l| l.trim_start().starts_with("base_url:"))
        .expect("the example sets base_url")
        .to_string();
    let set = |url: &str| {
        let indent = &line[..line.len() - line.trim_start().len()];
        // Public, so that the accepted forms are also checked in the sitemap
        // (a private site, the default, writes none).
        let yaml = program
            .replace(&line, &format!("{indent}base_url: '{url}'"))
            .replace("public: false", "public: true");
        fs::write(content.join("program.yaml"), yaml).unwrap();
    };
    let out = tmp.path().join("public");
    for (url, why) in REJECTED {
        let words = format!("the base URL `{url}` {why}");
        // --base-url on build and email.
        for cmd in ["build", "email"] {
            let a = tpm()
                .arg(cmd)
                .arg("--content")
                .arg(&content)
                .args(if cmd == "build" {
                    vec!["--output".to_string(), out.display().to_string()]
                } else {
                    vec![
                        "--dry-run".to_string(),
                        tmp.path().join("outbox").display().to_string(),
                    ]
                })
                .arg("--base-url")
                .arg(url)
                .env("TPM_SITE_MAIL_FROM", "reports@example.org")
                .assert()
                .code(2);
            let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            assert!(err.contains(&words), "{cmd} --base-url {url}: {err}");
            assert!(!out.exists() && !tmp.path().join("outbox").exists());
        }
        // site.base_url in program.yaml.
        set(url);
        let a = tpm()
            .arg("check")
            .arg("--content")
            .arg(&content)
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("program.yaml:"), "{url}: {err}");
        assert!(err.contains(&words), "program.yaml {url}: {err}");
    }
    for (url, want) in ACCEPTED {
        set(url);
        build(&content, &out).success();
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            index.contains(&format!("<link rel=\"canonical\" href=\"{want}\">")),
            "{url}"
        );
        let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
        assert!(
            sitemap.contains(&format!("<loc>{want}charter/</loc>")),
            "{url}: {sitemap}"
        );
        // The flag overrides program.yaml, normalised alike.
        set("https://x.example/");
        tpm()
            .arg("build")
            .arg("--content")
            .arg(&content)
            .arg("--output")
            .arg(&out)
            .arg("--base-url")
            .arg(url)
            .assert()
            .success();
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            index.contains(&format!("href=\"{want}\"")),
            "--base-url {url}"
        );
    }
}

/// The SMTP URL is parsed once where it enters, `email --smtp-url` or
/// `TPM_SITE_SMTP_URL`, with one rule set and one message that names the
/// source and never repeats the URL (it could hold a password).
#[test]
fn smtp_urls_are_checked_alike_at_every_entry_point() {
    const REJECTED: &[(&str, &str)] = &[
        (
            "https://mail.example.org",
            "the scheme is neither smtp nor smtps",
        ),
        (
            "smtps://me:hunter2@mail.example.org",
            "without a user or password",
        ),
        (
            "smtp://mail.example.org/hunter2",
            "no path, query or fragment",
        ),
        ("smtp://mail.example.org:70000", "the port is not a number"),
        ("smtps://", "the host is missing"),
    ];
    const ACCEPTED: &[&str] = &[
        "smtps://mail.example.org",
        "SMTP://Mail.Example.org:2525/",
        "smtp://[::1]:25",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let outbox = tmp.path().join("outbox");
    let email = |url: &str, via_env: bool| {
        let mut cmd = tpm();
        cmd.arg("email")
            .arg("--content")
            .arg(common::root().join("content"))
            .arg("--dry-run")
            .arg(&outbox)
            .env("TPM_SITE_MAIL_FROM", "reports@example.org")
            .env_remove("TPM_SITE_SMTP_URL");
        if via_env {
            cmd.env("TPM_SITE_SMTP_URL", url);
        } else {
            cmd.arg("--smtp-url").arg(url);
        }
        cmd.assert()
    };
    for (url, why) in REJECTED {
        for (via_env, source) in [(false, "--smtp-url"), (true, "TPM_SITE_SMTP_URL")] {
            let a = email(url, via_env).code(2);
            let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            assert!(
                err.contains(&format!("{source}: the SMTP URL must look like smtps://host:465 or smtp://host:587 ({why}")),
                "{source} {url}: {err}"
            );
            assert!(!err.contains("hunter2"), "{source} repeats the URL: {err}");
            assert!(!outbox.exists(), "{source} {url}: wrote the outbox");
        }
    }
    for url in ACCEPTED {
        for via_env in [false, true] {
            email(url, via_env).success();
            assert!(outbox.read_dir().unwrap().next().is_some(), "{url}");
            fs::remove_dir_all(&outbox).unwrap();
        }
    }
    // The flag wins over the environment: a bad variable under a good flag is not read.
    tpm()
        .args(["email", "--dry-run"])
        .arg(&outbox)
        .arg("--content")
        .arg(common::root().join("content"))
        .args(["--smtp-url", "smtps://mail.example.org"])
        .env("TPM_SITE_MAIL_FROM", "reports@example.org")
        .env("TPM_SITE_SMTP_URL", "nonsense")
        .assert()
        .success();
}

#[test]
fn readme_workflow_snippets_install_like_the_scaffold() {
    let readme = fs::read_to_string(common::root().join("README.md")).unwrap();
    let pinned = format!("uses: tpm-site/tpm-site@v{}", env!("CARGO_PKG_VERSION"));
    let mut with_steps = 0;
    for block in readme.split("```yaml\n").skip(1) {
        let block = block.split("```").next().unwrap();
        assert!(
            !block.contains("cargo install") && !block.contains("rust-toolchain"),
            "a README workflow builds tpm-site from source:\n{block}"
        );
        if block.contains("steps:") || block.contains("- uses:") {
            with_steps += 1;
            assert!(block.contains(&pinned), "{pinned} in:\n{block}");
        }
    }
    assert!(with_steps >= 2, "the action example and the e-mail job");
}
