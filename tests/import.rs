//! `tpm-site import`: each source format gives a content folder whose
//! schedule (program.json) is known by hand; the real Mermaid plan gives the
//! hand conversion's schedule; tpm-site's own deliverables.csv comes back as
//! the same schedule; bad sources get located errors; `--force` replaces
//! only what import wrote.
//!
//! Fixtures are in tests/fixtures/import/ (written by hand for these tests;
//! the Mermaid case is the real plan in tests/data/cases/bpc-pos-gantt).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::json_item as item;
use serde_json::Value;
use tpm_site::diagnostics::{Diagnostics, Severity};
use tpm_site::render::json::program_json;
use tpm_site::site::import::{ImportError, ImportOutcome, ImportRequest, run};

fn request(source: &Path, content: &Path) -> ImportRequest {
    ImportRequest {
        source: source.to_path_buf(),
        format: None,
        content: content.to_path_buf(),
        start: None,
        end: None,
        as_of: None,
        dry_run: false,
        force: false,
        options: Default::default(),
    }
}

fn fixture(name: &str) -> PathBuf {
    common::fixture("import").join(name)
}

fn date(s: &str) -> jiff::civil::Date {
    s.parse().unwrap()
}

/// Imports into a fresh folder; returns it, the outcome and the diagnostics.
fn import(
    source: &Path,
    tweak: impl FnOnce(&mut ImportRequest),
) -> (
    tempfile::TempDir,
    Result<ImportOutcome, ImportError>,
    Vec<String>,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut req = request(source, &dir.path().join("content"));
    tweak(&mut req);
    let mut diags = Diagnostics::new();
    let r = run(&req, &mut diags);
    let list = diags
        .into_sorted()
        .iter()
        .map(|d| d.display(Path::new("")).to_string())
        .collect();
    (dir, r, list)
}

/// program.json of a folder import wrote, which passes the checks with no error.
fn json_of(content: &Path) -> Value {
    let errors: Vec<_> = common::diagnostics(content)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{}", common::render(errors));
    common::program_json(content)
}

/// (id, planned start, planned finish, forecast start, forecast finish, total float, status, progress)
type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    i64,
    &'a str,
    i64,
);

/// The schedule of the checkout plan that checkout.csv and checkout.xlsx
/// both hold (as of 2027-01-13; checkout-page has no dates of its own, its
/// start is derived from its providers).
const CHECKOUT: [Row<'static>; 4] = [
    (
        "payments-api",
        "2027-01-04",
        "2027-01-08",
        "2027-01-04",
        "2027-01-08",
        0,
        "done",
        100,
    ),
    (
        "ledger-schema",
        "2027-01-04",
        "2027-01-06",
        "2027-01-04",
        "2027-01-06",
        2,
        "on_track",
        50,
    ),
    (
        "checkout-page",
        "2027-01-11",
        "2027-01-18",
        "2027-01-11",
        "2027-01-18",
        0,
        "on_track",
        20,
    ),
    (
        "launch",
        "2027-01-18",
        "2027-01-18",
        "2027-01-18",
        "2027-01-18",
        0,
        "not_started",
        0,
    ),
];

fn assert_items(j: &Value, rows: &[Row]) {
    for &(id, ps, pf, fs, ff, float, status, progress) in rows {
        let i = item(j, id);
        let got = (
            i["planned_start"].as_str().unwrap(),
            i["planned_finish"].as_str().unwrap(),
            i["forecast_start"].as_str().unwrap(),
            i["forecast_finish"].as_str().unwrap(),
            i["total_float"].as_i64().unwrap(),
            i["status"].as_str().unwrap(),
            i["progress"].as_i64().unwrap(),
        );
        assert_eq!(got, (ps, pf, fs, ff, float, status, progress), "{id}");
    }
}

fn critical(j: &Value) -> Vec<&str> {
    j["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["critical"] == true)
        .map(|i| i["id"].as_str().unwrap())
        .collect()
}

/// The schedule facts compared between two programs: every item's dates,
/// floats, slack and criticality, the forecast end and the critical path.
fn schedule(j: &Value) -> Value {
    let items: Vec<Value> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let mut m = serde_json::Map::new();
            for k in [
                "id",
                "kind",
                "depends_on",
                "planned_start",
                "planned_finish",
                "forecast_start",
                "forecast_finish",
                "late_start",
                "late_finish",
                "duration",
                "total_float",
                "deadline_slack",
                "critical",
                "status",
                "progress",
            ] {
                m.insert(k.into(), i[k].clone());
            }
            Value::Object(m)
        })
        .collect();
    serde_json::json!({
        "start": j["program"]["start"],
        "end": j["program"]["end"],
        "forecast_end": j["program"]["forecast_end"],
        "min_float": j["program"]["min_float"],
        "critical_path": j["critical_path"],
        "items": items,
    })
}

#[test]
fn the_real_mermaid_plan_gives_the_hand_conversions_schedule() {
    let case = common::root().join("tests/data/cases/bpc-pos-gantt");
    let (dir, r, warnings) = import(&case.join("source/gantt.md"), |r| {
        r.end = Some(date("2025-04-30"));
    });
    let out = r.unwrap();
    let imported = json_of(&dir.path().join("content"));
    let hand = json_of(&case.join("content"));
    assert_eq!(schedule(&imported), schedule(&hand));
    assert_eq!(
        imported["critical_path"],
        serde_json::json!(["g1", "g2", "g7"])
    );
    // Two Sunday starts moved, as the hand conversion moved them, each located.
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("gantt.md:8:5: warning:")
                && w.contains("2024-12-22 is not a working day")),
        "{warnings:#?}"
    );
    assert!(warnings.iter().any(|w| w.starts_with("gantt.md:71:5:")));
    // The `active` tags cannot become a report without a status date: said, located.
    assert!(warnings.iter().any(
        |w| w.starts_with("gantt.md:8:55:") && w.contains("status of `a1` is not carried over")
    ));
    assert!(
        out.summary
            .iter()
            .any(|l| l.contains("end 2025-04-30 (--end)")),
        "{:?}",
        out.summary
    );
    assert!(
        out.summary
            .iter()
            .any(|l| l.contains("start 2024-12-23 (the earliest date in the source)")),
        "{:?}",
        out.summary
    );
}

#[test]
fn mermaid_fixture_sections_after_milestone_tags_and_an_excluded_date() {
    let (dir, r, warnings) = import(&fixture("checkout.md"), |r| {
        r.as_of = Some(date("2027-01-13"));
    });
    let out = r.unwrap();
    let content = dir.path().join("content");
    let j = json_of(&content);
    assert_eq!(j["program"]["start"], "2027-01-04");
    // No end in the source: the latest planned finish, with the excluded Monday skipped.
    assert_eq!(j["program"]["end"], "2027-01-19");
    assert_eq!(j["program"]["as_of"], "2027-01-13");
    assert_items(
        &j,
        &[
            (
                "api",
                "2027-01-04",
                "2027-01-08",
                "2027-01-04",
                "2027-01-08",
                0,
                "done",
                100,
            ),
            (
                "db",
                "2027-01-04",
                "2027-01-06",
                "2027-01-04",
                "2027-01-06",
                2,
                "not_started",
                0,
            ),
            (
                "web",
                "2027-01-11",
                "2027-01-19",
                "2027-01-11",
                "2027-01-19",
                0,
                "on_track",
                0,
            ),
            (
                "launch",
                "2027-01-19",
                "2027-01-19",
                "2027-01-19",
                "2027-01-19",
                0,
                "not_started",
                0,
            ),
        ],
    );
    assert_eq!(item(&j, "launch")["kind"], "milestone");
    assert_eq!(
        item(&j, "web")["depends_on"],
        serde_json::json!(["api", "db"])
    );
    assert_eq!(critical(&j), ["launch", "web"]);
    assert_eq!(j["critical_path"], serde_json::json!(["web", "launch"]));
    // Sections are the files and the teams.
    assert!(content.join("deliverables/platform.yaml").is_file());
    assert!(content.join("deliverables/web.yaml").is_file());
    assert_eq!(
        out.written
            .iter()
            .filter(|f| f.starts_with("reports/"))
            .count(),
        1
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("checkout.md:12:36: warning: `crit`")),
        "{warnings:#?}"
    );
}

#[test]
fn csv_fixture_with_header_synonyms_names_as_dependencies_and_percent_complete() {
    let (dir, r, warnings) = import(&fixture("checkout.csv"), |r| {
        r.as_of = Some(date("2027-01-13"));
    });
    r.unwrap();
    let j = json_of(&dir.path().join("content"));
    assert_items(&j, &CHECKOUT);
    assert_eq!(critical(&j), ["checkout-page", "launch"]);
    // What has no field is said, at its row and column.
    let expected = "checkout.csv:1:10: warning: column J `Notes` is not carried over";
    assert!(
        warnings.iter().any(|w| w.starts_with(expected)),
        "{expected}\n{warnings:#?}"
    );
    // The DRI column becomes each deliverable's `dri:` (issue 16's person
    // per deliverable), with no warning.
    assert!(
        !warnings.iter().any(|w| w.contains("DRI `")),
        "{warnings:#?}"
    );
    assert_eq!(item(&j, "payments-api")["dri"], "Ana Lima");
    assert_eq!(item(&j, "checkout-page")["dri"], "Bo Chen");
}

#[test]
fn jira_export_keys_components_blocks_links_and_status_categories() {
    let (dir, r, warnings) = import(&fixture("checkout-jira.csv"), |r| {
        r.as_of = Some(date("2027-01-13"));
    });
    assert_eq!(r.unwrap().format, Some(tpm_site::import::Format::Jira));
    let j = json_of(&dir.path().join("content"));
    assert_items(
        &j,
        &[
            (
                "chk-1",
                "2027-01-04",
                "2027-01-08",
                "2027-01-04",
                "2027-01-08",
                0,
                "done",
                100,
            ),
            (
                "chk-2",
                "2027-01-04",
                "2027-01-06",
                "2027-01-04",
                "2027-01-06",
                2,
                "on_track",
                0,
            ),
            (
                "chk-3",
                "2027-01-11",
                "2027-01-18",
                "2027-01-11",
                "2027-01-18",
                0,
                "on_track",
                0,
            ),
            (
                "chk-4",
                "2027-01-19",
                "2027-01-19",
                "2027-01-19",
                "2027-01-19",
                0,
                "not_started",
                0,
            ),
        ],
    );
    // "CHK-1 blocks CHK-3" (outward) and "CHK-3 is blocked by CHK-2" (inward).
    assert_eq!(
        item(&j, "chk-3")["depends_on"],
        serde_json::json!(["chk-1", "chk-2"])
    );
    assert_eq!(
        item(&j, "chk-4")["depends_on"],
        serde_json::json!(["chk-3"])
    );
    assert_eq!(critical(&j), ["chk-3", "chk-4"]);
    for expected in [
        "checkout-jira.csv:1:5: warning: column E `Status` is not carried over",
        "checkout-jira.csv:3:8: warning: only the first team, `Platform`",
        "checkout-jira.csv:5:1: warning: `Launch` has no dates and no duration",
    ] {
        assert!(
            warnings.iter().any(|w| w.starts_with(expected)),
            "{expected}\n{warnings:#?}"
        );
    }
}

#[test]
fn mspdi_fixture_outline_calendar_exception_constraints_deadline_and_links() {
    let (dir, r, warnings) = import(&fixture("checkout.xml"), |_| {});
    let out = r.unwrap();
    let content = dir.path().join("content");
    let j = json_of(&content);
    assert_eq!(j["program"]["start"], "2027-01-04");
    assert_eq!(j["program"]["end"], "2027-01-29");
    // StatusDate: the percent complete is a first report of that date.
    assert_eq!(j["program"]["as_of"], "2027-01-13");
    assert_items(
        &j,
        &[
            (
                "payments-api",
                "2027-01-04",
                "2027-01-08",
                "2027-01-04",
                "2027-01-08",
                8,
                "done",
                100,
            ),
            // Start No Earlier Than pins the start.
            (
                "ledger-schema",
                "2027-01-05",
                "2027-01-07",
                "2027-01-05",
                "2027-01-07",
                9,
                "on_track",
                50,
            ),
            // The Deadline is the due date.
            (
                "security-review",
                "2027-01-21",
                "2027-01-22",
                "2027-01-21",
                "2027-01-22",
                5,
                "not_started",
                0,
            ),
            // Six days over the MLK Day exception (Monday 18th).
            (
                "checkout-page",
                "2027-01-11",
                "2027-01-19",
                "2027-01-11",
                "2027-01-19",
                8,
                "not_started",
                0,
            ),
            (
                "launch",
                "2027-01-19",
                "2027-01-19",
                "2027-01-19",
                "2027-01-19",
                8,
                "not_started",
                0,
            ),
            // Every link type with a positive and a negative lag, on the
            // support tasks: training Mon 01-04..Wed 01-06, FAQ Mon 01-04..Tue 01-05.
            (
                "support-training",
                "2027-01-04",
                "2027-01-06",
                "2027-01-04",
                "2027-01-06",
                13,
                "not_started",
                0,
            ),
            (
                "support-faq",
                "2027-01-04",
                "2027-01-05",
                "2027-01-04",
                "2027-01-05",
                15,
                "not_started",
                0,
            ),
            // SS+2 on training: starts Wed 01-06; FF-1 on FAQ (finish >= Mon 01-04) does not bind.
            (
                "help-centre-articles",
                "2027-01-06",
                "2027-01-07",
                "2027-01-06",
                "2027-01-07",
                15,
                "not_started",
                0,
            ),
            // SF+3 on training: finishes by the day before Thu 01-07; FS-1 on FAQ: starts Tue 01-05.
            (
                "store-listing",
                "2027-01-05",
                "2027-01-06",
                "2027-01-05",
                "2027-01-06",
                16,
                "not_started",
                0,
            ),
            // SS-1 on training (not before the program start); FF+2 on FAQ: finishes Thu 01-07.
            (
                "release-notes",
                "2027-01-06",
                "2027-01-07",
                "2027-01-06",
                "2027-01-07",
                15,
                "not_started",
                0,
            ),
            // SF-1 on FAQ does not bind; FS+2 on training: Thu 01-07 + 2 working days = Mon 01-11.
            (
                "status-page",
                "2027-01-11",
                "2027-01-11",
                "2027-01-11",
                "2027-01-11",
                13,
                "not_started",
                0,
            ),
        ],
    );
    assert_eq!(critical(&j), ["security-review"]);
    assert_eq!(j["critical_path"], serde_json::json!(["security-review"]));
    assert_eq!(
        item(&j, "status-page")["links"],
        serde_json::json!([
            {"id": "support-faq", "type": "start-to-finish", "lag": -1},
            {"id": "support-training", "type": "finish-to-start", "lag": 2}
        ])
    );
    let program = fs::read_to_string(content.join("program.yaml")).unwrap();
    assert!(program.contains("holidays: [2027-01-18]"), "{program}");
    // Summary tasks are the groups, never deliverables.
    assert!(
        j["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != "platform")
    );
    let support = fs::read_to_string(content.join("deliverables/support.yaml")).unwrap();
    for link in [
        "{id: support-training, type: start-to-start, lag: 2d}",
        "{id: support-faq, type: finish-to-finish, lag: -1d}",
        "{id: support-training, type: start-to-finish, lag: 3d}",
        "{id: support-faq, lag: -1d}",
    ] {
        assert!(support.contains(link), "{link}\n{support}");
    }
    assert!(
        out.summary
            .iter()
            .any(|l| l.contains("end 2027-01-29 (the source's project finish)"))
    );
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// tpm-site's own deliverables.csv, imported back with the program's dates,
/// gives the same schedule (with the status and forecasts of the as-of report).
#[test]
fn deliverables_csv_imports_back_to_the_same_schedule() {
    for (case, as_of) in [
        (
            common::root().join("tests/data/cases/bpc-pos-gantt/content"),
            None,
        ),
        (
            common::fixture("valid/done-late/content"),
            Some("2027-01-08"),
        ),
    ] {
        let a = common::analyze(&case);
        let data = a.site_data();
        let csv = tpm_site::render::exports::deliverables_csv(&data);
        let original: Value =
            serde_json::from_slice(&program_json(&a.program, &a.current)).unwrap();
        let src = tempfile::tempdir().unwrap();
        let path = src.path().join("deliverables.csv");
        fs::write(&path, &csv.bytes).unwrap();
        let (dir, r, _) = import(&path, |r| {
            r.start = Some(a.program.meta.start);
            r.end = Some(a.program.meta.end);
            r.as_of = as_of.map(date);
        });
        r.unwrap();
        let back = json_of(&dir.path().join("content"));
        let mut want = schedule(&original);
        let mut got = schedule(&back);
        // The round trip carries dates, not how they were written: compare
        // the facts, not the derived-or-given distinction.
        want["items"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|i| {
                i.as_object_mut()
                    .unwrap()
                    .remove("depends_on")
                    .map(|_| ())
                    .unwrap_or(())
            });
        got["items"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .for_each(|i| {
                i.as_object_mut()
                    .unwrap()
                    .remove("depends_on")
                    .map(|_| ())
                    .unwrap_or(())
            });
        assert_eq!(got, want, "{}", case.display());
        for (x, y) in original["items"]
            .as_array()
            .unwrap()
            .iter()
            .zip(back["items"].as_array().unwrap())
        {
            assert_eq!(x["depends_on"], y["depends_on"]);
            assert_eq!(x["owner"], y["owner"]);
        }
    }
}

fn errors_of(name: &str, text: &str, tweak: impl FnOnce(&mut ImportRequest)) -> Vec<String> {
    let src = tempfile::tempdir().unwrap();
    let path = src.path().join(name);
    fs::write(&path, text).unwrap();
    let (dir, r, list) = import(&path, tweak);
    assert!(matches!(r, Err(ImportError::Source)), "{name}: {r:?}");
    assert!(!dir.path().join("content").exists(), "nothing is written");
    list.into_iter()
        .filter(|l| l.contains(": error: "))
        .collect()
}

#[test]
fn bad_sources_get_located_errors_and_nothing_is_written() {
    let cases: [(&str, &str, &str); 9] = [
        (
            "plan.csv",
            "Task,Predecessors\nAPI,\nWeb,Mobile app\n",
            "plan.csv:3:2: error: unknown predecessor `Mobile app`",
        ),
        (
            "plan.csv",
            "Task,Depends on,Duration\nA,C,1d\nB,A,1d\nC,B,1d\n",
            "error: dependency cycle: ",
        ),
        (
            "plan.csv",
            "Task,Start,Duration\nA,2027-02-30,1d\n",
            "plan.csv:2:2: error: `2027-02-30` is not a date that exists",
        ),
        (
            "plan.csv",
            "Task,Duration\nA,a fortnight\n",
            "plan.csv:2:2: error: `a fortnight` is not a duration",
        ),
        (
            "plan.csv",
            "Task,Duration\nA,\"1d\nB,2d\n",
            "plan.csv:2:1: error: malformed CSV: a quoted cell that starts on this line is never closed",
        ),
        (
            "plan.csv",
            "Colour,Weight\nred,3\n",
            "plan.csv:1:1: error: no recognisable header",
        ),
        (
            "plan.xml",
            "<Project xmlns=\"http://schemas.microsoft.com/project\">\n  <Tasks>\n    <Task><UID>1</UID></Tusk>\n",
            "plan.xml:3:",
        ),
        (
            "plan.xml",
            "<Project><StartDate>2027-01-04T08:00:00</StartDate><Tasks>\n<Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel><Duration>PT8H0M0S</Duration>\n<PredecessorLink><PredecessorUID>9</PredecessorUID></PredecessorLink></Task></Tasks></Project>\n",
            "plan.xml:3:1: error: unknown predecessor UID 9",
        ),
        (
            "plan.md",
            "```mermaid\ngantt\n    dateFormat YYYY-MM-DD\n    A :a, 2027-01-04, 3d\n    B :b, after x, 2 weeks-ish\n```\n",
            "plan.md:5:17: error: unknown predecessor `x`",
        ),
    ];
    for (name, text, expected) in cases {
        let errors = errors_of(name, text, |_| {});
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{name}: want {expected}\n{errors:#?}"
        );
    }
    // The cycle names every task on it, at the link that closes it.
    let errors = errors_of(
        "plan.csv",
        "Task,Depends on,Duration\nA,C,1d\nB,A,1d\nC,B,1d\n",
        |_| {},
    );
    assert!(
        errors.iter().any(|e| e.starts_with("plan.csv:")
            && e.contains("a (line 2)")
            && e.contains("b (line 3)")
            && e.contains("c (line 4)")),
        "{errors:#?}"
    );
    // Mermaid: the bad duration on the same line is its own error.
    let errors = errors_of(
        "plan.md",
        "```mermaid\ngantt\n    A :a, 2027-01-04, 3d\n    B :b, after a, soon\n```\n",
        |_| {},
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("plan.md:4:20: error: `soon` is neither a date nor a duration")),
        "{errors:#?}"
    );
}

#[test]
fn reimport_is_refused_without_force_and_force_replaces_only_what_import_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let mut req = request(&fixture("checkout.md"), &content);
    req.as_of = Some(date("2027-01-13"));
    run(&req, &mut Diagnostics::new()).unwrap();
    // Hand-written files beside the imported ones.
    fs::write(
        content.join("risks.yaml"),
        "- id: r1\n  title: Card network certification slips\n  probability: 2\n  impact: 3\n",
    )
    .unwrap();
    let report = content.join("reports/2027-01-13.md");
    let edited = fs::read_to_string(&report)
        .unwrap()
        .replace("status: green", "status: amber");
    fs::write(&report, &edited).unwrap();
    let web = content.join("deliverables/web.yaml");
    fs::write(
        content.join("deliverables/extra.yaml"),
        "- id: docs\n  name: Docs\n  owner: web\n  duration: 2d\n",
    )
    .unwrap();

    // Without --force: refused, nothing touched.
    let before = fs::read_to_string(&web).unwrap();
    fs::write(&web, before.replace("6d", "7d")).unwrap();
    let r = run(&req, &mut Diagnostics::new());
    assert!(
        matches!(&r, Err(ImportError::Usage(m)) if m.contains("--force")),
        "{r:?}"
    );
    assert!(fs::read_to_string(&web).unwrap().contains("7d"));

    // --force: the imported files are replaced, the rest kept, and said so.
    req.force = true;
    let out = run(&req, &mut Diagnostics::new()).unwrap();
    assert!(
        out.replaced.contains(&"deliverables/web.yaml".to_string()),
        "{out:?}"
    );
    assert_eq!(out.kept, ["reports/2027-01-13.md"]);
    assert!(fs::read_to_string(&web).unwrap().contains("6d"));
    assert_eq!(fs::read_to_string(&report).unwrap(), edited);
    assert!(content.join("risks.yaml").is_file());
    assert!(content.join("deliverables/extra.yaml").is_file());

    // A hand-written file where import would write: refused, nothing written.
    let mine = "- id: mine\n  name: Mine\n  owner: web\n  duration: 2d\n";
    fs::write(&web, mine).unwrap();
    let r = run(&req, &mut Diagnostics::new());
    assert!(
        matches!(&r, Err(ImportError::Usage(m)) if m.contains("deliverables/web.yaml")),
        "{r:?}"
    );
    assert_eq!(fs::read_to_string(&web).unwrap(), mine);

    // --dry-run writes nothing, even into a new folder.
    let dry = dir.path().join("dry");
    let mut req = request(&fixture("checkout.md"), &dry);
    req.dry_run = true;
    let out = run(&req, &mut Diagnostics::new()).unwrap();
    assert!(!dry.exists());
    assert!(out.files.iter().any(|(p, t)| p == "deliverables/web.yaml"
        && !t.contains("after")
        && t.contains("- id: web")));
}

#[test]
fn the_command_prints_the_summary_and_exits_1_on_a_bad_source() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let out = assert_cmd::Command::cargo_bin("tpm-site")
        .unwrap()
        .args(["import", "--dry-run", "--content"])
        .arg(&content)
        .arg(fixture("checkout.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Read checkout.xml as mspdi"), "{stdout}");
    assert!(stdout.contains("Dry run: nothing written"), "{stdout}");
    assert!(!content.exists());
    let bad = dir.path().join("bad.csv");
    fs::write(&bad, "Colour\nred\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("tpm-site")
        .unwrap()
        .args(["import", "--content"])
        .arg(&content)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.csv:1:1: error: no recognisable header")
    );
}

/// The workbook is made by tests/fixtures/import/make_xlsx.py (inline
/// strings, Excel date cells, number cells, a second sheet).
#[test]
fn xlsx_fixture_first_sheet_with_date_cells_and_percent_fractions() {
    let (dir, r, warnings) = import(&fixture("checkout.xlsx"), |r| {
        r.as_of = Some(date("2027-01-13"));
    });
    assert_eq!(r.unwrap().format, Some(tpm_site::import::Format::Xlsx));
    let j = json_of(&dir.path().join("content"));
    assert_items(&j, &CHECKOUT);
    assert_eq!(critical(&j), ["checkout-page", "launch"]);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("checkout.xlsx: warning: only the first sheet, `Plan`")),
        "{warnings:#?}"
    );
}
