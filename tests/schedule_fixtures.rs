//! The schedule engine on whole content folders: a hand-computed fixture, the
//! PSPLIB benchmark instances (critical-path length stated in each file) and a
//! real team's plan with a known answer.

mod common;

use std::fs;

use common::{json_item as item, program_json as json_of};
use serde_json::Value;

/// Expected values worked out by hand in tests/fixtures/valid/spec-example
/// (Mon-Fri, holiday 2027-01-18, end 2027-03-12, as of the 2027-01-29 report).
#[test]
fn spec_example_matches_the_hand_computed_schedule() {
    let j = json_of(&common::fixture("valid/spec-example/content"));
    let p = &j["program"];
    assert_eq!(p["start"], "2027-01-04");
    assert_eq!(p["end"], "2027-03-12");
    assert_eq!(p["as_of"], "2027-01-29");
    assert_eq!(p["status"], "amber");
    assert_eq!(p["forecast_end"], "2027-02-23");

    // id, planned start/finish, forecast start/finish, late start/finish, float, slack, critical
    let expected = [
        (
            "auth-api-v2",
            "2027-01-19",
            "2027-02-01",
            "2027-01-21",
            "2027-02-03",
            "2027-02-09",
            "2027-02-22",
            13,
            -2,
            true,
        ),
        (
            "db-schema-migration",
            "2027-01-04",
            "2027-01-15",
            "2027-01-06",
            "2027-01-20",
            "2027-01-26",
            "2027-02-08",
            13,
            -2,
            false,
        ),
        (
            "mobile-app-update",
            "2027-02-02",
            "2027-02-19",
            "2027-02-04",
            "2027-02-23",
            "2027-02-23",
            "2027-03-12",
            13,
            -2,
            true,
        ),
        (
            "mobile-launch",
            "2027-02-19",
            "2027-02-19",
            "2027-02-23",
            "2027-02-23",
            "2027-03-12",
            "2027-03-12",
            13,
            -2,
            true,
        ),
        (
            "web-login",
            "2027-02-08",
            "2027-02-12",
            "2027-02-08",
            "2027-02-12",
            "2027-03-08",
            "2027-03-12",
            20,
            0,
            false,
        ),
    ];
    let ids: Vec<&str> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        expected.iter().map(|e| e.0).collect::<Vec<_>>(),
        "items sorted by id"
    );
    for (id, ps, pf, fs_, ff, ls, lf, float, slack, critical) in expected {
        let i = item(&j, id);
        assert_eq!(
            (
                &i["planned_start"],
                &i["planned_finish"],
                &i["forecast_start"],
                &i["forecast_finish"]
            ),
            (
                &Value::from(ps),
                &Value::from(pf),
                &Value::from(fs_),
                &Value::from(ff)
            ),
            "{id} planned/forecast"
        );
        assert_eq!(
            (&i["late_start"], &i["late_finish"]),
            (&Value::from(ls), &Value::from(lf)),
            "{id} late"
        );
        assert_eq!(i["total_float"], float, "{id} float");
        assert_eq!(i["deadline_slack"], slack, "{id} slack");
        assert_eq!(i["critical"], critical, "{id} critical");
    }
    assert_eq!(item(&j, "db-schema-migration")["status"], "done");
    assert_eq!(item(&j, "auth-api-v2")["progress"], 10);
    assert_eq!(item(&j, "mobile-launch")["kind"], "milestone");
    assert_eq!(item(&j, "mobile-launch")["owner"], Value::Null);
    assert_eq!(
        j["critical_path"],
        serde_json::json!(["auth-api-v2", "mobile-app-update", "mobile-launch"]),
        "finished work (db-schema-migration, done) is never critical"
    );
    let teams = j["teams"].as_array().unwrap();
    let team = |id: &str| teams.iter().find(|t| t["id"] == id).unwrap().clone();
    assert_eq!(team("platform")["blocking_power"], 2);
    assert_eq!(team("identity")["blocking_power"], 1);
    assert_eq!(team("mobile")["blocking_power"], 0);
    assert_eq!(
        team("identity")["waits_on"],
        serde_json::json!(["platform"])
    );
    assert_eq!(team("mobile")["waits_on"], serde_json::json!(["identity"]));
    assert_eq!(
        team("identity")["deliverables"],
        serde_json::json!(["auth-api-v2", "web-login"])
    );
    let slack_risks: Vec<&Value> = j["detected_risks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "negative_deadline_slack")
        .collect();
    // Four items miss their due dates, but db-schema-migration is done: it
    // finished late (history), which is no forward-looking risk.
    assert_eq!(slack_risks.len(), 3, "{:#?}", j["detected_risks"]);
    assert!(
        slack_risks
            .iter()
            .all(|r| r["items"] != serde_json::json!(["db-schema-migration"])),
        "{slack_risks:#?}"
    );
    assert_eq!(item(&j, "db-schema-migration")["deadline_slack"], -2);
    assert_eq!(
        j["reports"][1],
        serde_json::json!({"date": "2027-01-29", "status": "amber", "summary": "Schema migration finished two days late; Auth API v2 follows.", "url": "reports/2027-01-29/"})
    );
}

/// `MPM-Time` from a PSPLIB `.sm` file: the precedence-only critical-path length.
fn mpm_time(sm: &str) -> i64 {
    let lines: Vec<&str> = sm.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("MPM-Time"))
        .expect("MPM-Time header");
    lines[at + 1]
        .split_whitespace()
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn psplib_instances_reproduce_their_critical_path_length() {
    let cases = common::root().join("tests/data/cases");
    let mut checked = 0;
    for entry in fs::read_dir(&cases).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(instance) = name.strip_prefix("psplib-") else {
            continue;
        };
        let sm =
            fs::read_to_string(common::root().join(format!("tests/data/psplib/{instance}.sm")))
                .unwrap();
        let a = common::analyze(&cases.join(&name).join("content"));
        let start = a.program.meta.start;
        let span = (a.current.forecast_end - start).get_days() as i64 + 1;
        assert_eq!(span, mpm_time(&sm), "{name}: forecast_end - start + 1");
        assert_eq!(
            a.current.min_float, 0,
            "{name}: the end is set for zero minimum float"
        );
        let path = &a.current.critical_path;
        assert!(!path.is_empty(), "{name}: a critical path");
        let last = *path.last().unwrap();
        assert_eq!(
            a.current.items[last].forecast_finish, a.current.forecast_end,
            "{name}: path ends at the forecast end"
        );
        for w in path.windows(2) {
            assert!(
                a.program.items[w[1]].depends_on.contains(&w[0]),
                "{name}: path follows dependencies"
            );
            assert!(a.current.items[w[0]].critical && a.current.items[w[1]].critical);
        }
        checked += 1;
    }
    assert_eq!(checked, 20, "all 20 PSPLIB instances");
}

/// The oracle in tests/data/cases/bpc-pos-gantt/SOURCE.md.
#[test]
fn bpc_pos_plan_matches_its_oracle() {
    let j = json_of(&common::root().join("tests/data/cases/bpc-pos-gantt/content"));
    assert_eq!(j["program"]["forecast_end"], "2025-04-15");
    assert_eq!(j["critical_path"], serde_json::json!(["g1", "g2", "g7"]));
    let items = j["items"].as_array().unwrap();
    let min = items
        .iter()
        .map(|i| i["total_float"].as_i64().unwrap())
        .min()
        .unwrap();
    assert_eq!(min, 11);
    assert_eq!(items.iter().filter(|i| i["critical"] == true).count(), 6);
    for t in j["teams"].as_array().unwrap() {
        let expected = if t["id"] == "backend" { 3 } else { 0 };
        assert_eq!(t["blocking_power"], expected, "{}", t["id"]);
    }
}

/// tests/fixtures/valid/done-late: `p` finished three working days late and
/// has the lowest float (3, bounded by `q`, which reported done on time), but
/// finished work is never critical: the critical path is the open chain `r`
/// (float 6), and the dashboard, the report page and program.json agree.
/// Worked out by hand (Mon-Fri; end 2027-01-29 is working day 20): p finished
/// day 5; q's late start is day 9 (r, 10 days, late start day 11), so p's
/// late finish is day 8 and its float 3; r finishes day 14 (2027-01-21).
#[test]
fn a_done_item_that_finished_late_is_history_not_the_critical_path() {
    let content = common::fixture("valid/done-late/content");
    let j = json_of(&content);
    assert_eq!(
        (
            item(&j, "p")["total_float"].clone(),
            item(&j, "p")["critical"].clone()
        ),
        (Value::from(3), Value::from(false)),
        "the lowest float, but done"
    );
    assert_eq!(item(&j, "p")["deadline_slack"], -3, "it finished late");
    for (id, critical) in [("q", false), ("r", true), ("s", false)] {
        assert_eq!(item(&j, id)["critical"], critical, "{id}");
    }
    assert_eq!(j["program"]["min_float"], 6, "the minimum over open items");
    assert_eq!(j["critical_path"], serde_json::json!(["r"]));
    assert_eq!(j["program"]["forecast_end"], "2027-01-21");
    // Finished work is no forward-looking risk.
    assert_eq!(j["detected_risks"], serde_json::json!([]));
    assert_eq!(j["program"]["lateness"]["late_items"], 0);

    // The pages say the same.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build_into(&content, &out, None);
    let doc = scraper::Html::parse_document(&fs::read_to_string(out.join("index.html")).unwrap());
    let steps: Vec<String> = doc
        .select(&scraper::Selector::parse("ol.path li .path-name").unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(steps, ["Open follow-up"], "the dashboard's critical path");
    let report = fs::read_to_string(out.join("reports/2027-01-08/index.html")).unwrap();
    assert!(!report.contains("No critical path"));
    let items = fs::read_to_string(out.join("dependencies/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&items);
    let critical_rows: Vec<String> = doc
        .select(&scraper::Selector::parse("tr.is-critical").unwrap())
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(
        !critical_rows.is_empty() && critical_rows.iter().all(|r| r.contains("Open follow-up")),
        "{critical_rows:?}"
    );
}

/// When every item is done there is no critical item and no critical path,
/// and the dashboard says why instead of "no deliverables yet".
#[test]
fn when_everything_is_done_there_is_no_critical_path() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::fixture("valid/done-late/content"), &content);
    fs::write(
        content.join("reports/2027-01-22.md"),
        "---\ndate: 2027-01-22\nstatus: green\nsummary: All done.\nupdates:\n  r: { status: done, forecast: 2027-01-21 }\n  s: { status: done, forecast: 2027-01-08 }\n---\nDone.\n",
    )
    .unwrap();
    let j = json_of(&content);
    assert_eq!(j["critical_path"], serde_json::json!([]));
    assert!(
        j["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["critical"] == false),
        "{j:#?}"
    );
    let out = tmp.path().join("public");
    common::build_into(&content, &out, None);
    let dash = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        dash.contains("No critical path: every deliverable and milestone is done."),
        "dashboard"
    );
    assert!(!dash.contains("no deliverables yet"));
}

/// Every link type with positive and negative lags, milestones on both ends
/// and a holiday in a lag window, worked out by hand in
/// tests/fixtures/valid/link-types (Mon-Fri, holiday Mon 2027-01-25, end
/// 2027-02-26; as of the 2027-01-06 report, where `web` is forecast to
/// finish Tue 01-19 instead of Fri 01-15). The rules and the same examples
/// are in docs/content-format.md, "Link types and lags".
#[test]
fn link_types_and_lags_match_the_hand_computed_schedule() {
    let j = json_of(&common::fixture("valid/link-types/content"));
    // id, forecast start, forecast finish (= planned unless said otherwise).
    let expected = [
        ("api", "2027-01-04", "2027-01-08"),
        // Planned to Fri 01-15; the report stretches it to Tue 01-19.
        ("web", "2027-01-13", "2027-01-19"),
        ("fs0", "2027-01-11", "2027-01-13"),
        ("fs-pos", "2027-01-13", "2027-01-15"),
        ("fs-neg", "2027-01-07", "2027-01-11"),
        ("ss0", "2027-01-04", "2027-01-06"),
        ("ss-pos", "2027-01-07", "2027-01-11"),
        // Two days before web's start, which did not move.
        ("ss-neg", "2027-01-11", "2027-01-13"),
        ("ff0", "2027-01-06", "2027-01-08"),
        ("ff-pos", "2027-01-08", "2027-01-12"),
        ("ff-neg", "2027-01-05", "2027-01-07"),
        ("sf-pos", "2027-01-06", "2027-01-08"),
        // Finishes by the day before web starts, minus one: Mon 01-11.
        ("sf-neg", "2027-01-07", "2027-01-11"),
        // Planned Thu 01-14 .. Fri 01-15; finishes with web's forecast.
        ("after-web", "2027-01-18", "2027-01-19"),
        // A milestone provider: SS starts the working day after it, FF+1d
        // finishes a working day after it.
        ("after-gate", "2027-01-11", "2027-01-12"),
        ("after-gate-ff", "2027-01-08", "2027-01-11"),
        ("late", "2027-01-18", "2027-01-22"),
        // Fri 01-22, then Tue 26 and Wed 27 are the lag (Mon 25 is a holiday).
        ("hol-fs", "2027-01-28", "2027-02-01"),
        ("gate", "2027-01-08", "2027-01-08"),
        // Milestone consumers: FS on the finish day, SS/SF on the start day.
        ("m-fs", "2027-01-08", "2027-01-08"),
        ("m-ss", "2027-01-04", "2027-01-04"),
        ("m-ss-lag", "2027-01-06", "2027-01-06"),
        ("m-sf", "2027-01-04", "2027-01-04"),
        ("m-ff", "2027-01-07", "2027-01-07"),
    ];
    for (id, start, finish) in expected {
        let it = item(&j, id);
        assert_eq!(
            (
                it["forecast_start"].as_str(),
                it["forecast_finish"].as_str()
            ),
            (Some(start), Some(finish)),
            "{id}"
        );
        if id != "web" && id != "after-web" {
            assert_eq!(
                (it["planned_start"].as_str(), it["planned_finish"].as_str()),
                (Some(start), Some(finish)),
                "{id} planned"
            );
        }
    }
    let after_web = item(&j, "after-web");
    assert_eq!(after_web["planned_start"], "2027-01-14");
    assert_eq!(after_web["planned_finish"], "2027-01-15");
    assert_eq!(after_web["deadline_slack"], -2);

    // Floats (working days to the end, Fri 02-26, skipping the holiday).
    // api is held by fs-pos (its finish + 3 <= fs-pos' late start 02-24)
    // and by ss-pos (its start + 3 <= 02-24): min(29, 33) = 29.
    // web: its FF consumer after-web bounds its (stretched) finish: 27.
    for (id, float, late_finish) in [
        ("api", 29, "2027-02-19"),
        ("fs-pos", 29, "2027-02-26"),
        ("ss-pos", 33, "2027-02-26"),
        ("ss0", 36, "2027-02-26"),
        ("web", 27, "2027-02-26"),
        ("after-web", 27, "2027-02-26"),
        ("late", 19, "2027-02-19"),
        ("hol-fs", 19, "2027-02-26"),
    ] {
        let it = item(&j, id);
        assert_eq!(it["total_float"], float, "{id} float");
        assert_eq!(it["late_finish"], late_finish, "{id} late finish");
    }
    assert_eq!(j["program"]["forecast_end"], "2027-02-01");
    assert_eq!(j["program"]["min_float"], 19);
    assert_eq!(j["critical_path"], serde_json::json!(["late", "hol-fs"]));

    // program.json carries the links that are not plain.
    assert_eq!(
        item(&j, "ss-pos")["links"],
        serde_json::json!([{ "id": "api", "type": "start-to-start", "lag": 3 }])
    );
    assert_eq!(
        item(&j, "hol-fs")["links"],
        serde_json::json!([{ "id": "late", "type": "finish-to-start", "lag": 2 }])
    );
    assert!(item(&j, "fs0").get("links").is_none());

    // Starting before the provider finishes is what SS, FF and SF links
    // mean: the only dependency risk is after-web, which web's slip now
    // pushes past its plan.
    let dependency_risks: Vec<&Value> = j["detected_risks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "starts_before_provider")
        .collect();
    assert_eq!(dependency_risks.len(), 1, "{dependency_risks:?}");
    assert_eq!(
        dependency_risks[0]["items"],
        serde_json::json!(["web", "after-web"])
    );
    assert_eq!(
        dependency_risks[0]["message"],
        "after-web is planned to finish 2027-01-15, but its FF link to provider web asks for 2027-01-19 or later by the forecast"
    );
}

/// The charts name the links: the Gantt arrow of a link that is not plain
/// carries its label, the dependency diagram writes it on the edge, and
/// deliverables.csv writes `id:LABEL` tokens that read back to the links.
#[test]
fn charts_and_exports_name_the_link_types() {
    let out = tempfile::tempdir().unwrap();
    common::build_into(
        &common::fixture("valid/link-types/content"),
        out.path(),
        None,
    );
    let home = fs::read_to_string(out.path().join("index.html")).unwrap();
    for label in ["SS+3d", "FS-2d", "FF+2d", "SF-1d"] {
        assert!(home.contains(&format!("data-link=\"{label}\"")), "{label}");
    }
    assert!(
        !home.contains("data-link=\"FS\""),
        "a plain link is not labelled"
    );
    let deps = fs::read_to_string(out.path().join("dependencies/index.html")).unwrap();
    assert!(
        deps.contains(">SS+3d</text>"),
        "the diagram labels the edge"
    );
    assert!(
        deps.contains("API → SS +3d (SS+3d)"),
        "and its title says it"
    );

    let csv = fs::read_to_string(out.path().join("deliverables.csv")).unwrap();
    let a = common::analyze(&common::fixture("valid/link-types/content"));
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    for row in rows.records() {
        let cells = row.unwrap();
        let line = cells.iter().collect::<Vec<_>>().join(",");
        let item = &a.program.items[a.program.item_index(&cells[0]).unwrap()];
        let read: Vec<(String, tpm_site::model::Link)> = cells[4]
            .split_whitespace()
            .map(|t| {
                let (id, link) = tpm_site::model::Link::parse_token(t).expect(t);
                (id.to_string(), link)
            })
            .collect();
        let want: Vec<(String, tpm_site::model::Link)> = item
            .depends_on
            .iter()
            .zip(&item.links)
            .map(|(&p, &l)| (a.program.items[p].id.clone(), l))
            .collect();
        assert_eq!(read, want, "{line}");
    }
    assert!(csv.contains(",api:SS+3d,"), "{csv}");
}
