//! One source of truth: every figure a page shows is the one program.json
//! states for the same date. The risk band of every probability × impact
//! pair is the same on the heat map, the register table, the report pages
//! and program.json; each report page's lateness, late count and decision
//! counts equal those of `program.json` as of that report, on the example and
//! on a generated size-M program; so do the top strip's figures (the end's
//! move, the cause, the float, the slip by team, the decisions owed) and
//! program.json's `story`.

mod common;

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};
use serde_json::Value;
use tpm_site::diagnostics::Diagnostics;
use tpm_site::site;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// program.json as `build --as-of date` writes it (the same analysis and
/// export, without writing the pages).
fn program_json_as_of(content: &Path, date: &str) -> Value {
    let mut diags = Diagnostics::new();
    let a = site::analyze_dir(content, Some(date.parse().unwrap()), false, &mut diags)
        .unwrap()
        .expect("analyses");
    serde_json::from_slice(&tpm_site::render::json::program_json(
        &a.program, &a.current,
    ))
    .unwrap()
}

fn text(e: scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn band_of(p: u8, i: u8) -> &'static str {
    // The rule stated in docs/content-format.md: high from 15, medium from 6.
    match p * i {
        s if s >= 15 => "high",
        s if s >= 6 => "medium",
        _ => "low",
    }
}

#[test]
fn every_probability_impact_pair_has_one_band_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    let mut risks = String::new();
    for p in 1..=5u8 {
        for i in 1..=5u8 {
            risks.push_str(&format!(
                "- id: r{p}x{i}\n  title: Risk {p} by {i}\n  probability: {p}\n  impact: {i}\n  owner: identity\n"
            ));
        }
    }
    fs::write(content.join("risks.yaml"), risks).unwrap();
    let out = tmp.path().join("public");
    common::build_into(&content, &out, Some("abc1234"));

    let json: Value = serde_json::from_slice(&fs::read(out.join("program.json")).unwrap()).unwrap();
    let listed = json["risks"].as_array().unwrap();
    assert_eq!(listed.len(), 25);
    let risks_page =
        Html::parse_document(&fs::read_to_string(out.join("risks/index.html")).unwrap());
    let tips: Vec<String> = risks_page
        .select(&sel("svg.heatmap title"))
        .map(|t| t.text().collect())
        .collect();
    for p in 1..=5u8 {
        for i in 1..=5u8 {
            let (id, band, score) = (format!("r{p}x{i}"), band_of(p, i), p * i);
            let j = listed.iter().find(|r| r["id"] == id.as_str()).unwrap();
            assert_eq!(
                (j["score"].as_u64(), j["band"].as_str()),
                (Some(score.into()), Some(band)),
                "{id} in program.json"
            );
            // The register table: the row's level class and badge.
            let row = risks_page
                .select(&sel(&format!("tr#risk-{id}")))
                .next()
                .unwrap_or_else(|| panic!("{id} row"));
            let class = row.value().attr("class").unwrap_or("");
            assert!(
                class.contains(&format!("level-{band}")),
                "{id}: table says {class}, rule says {band}"
            );
            // The heat map: the cell's tip and the risk's own tip.
            let cell = format!("Probability {p} × impact {i} = score {score} ({band})");
            assert!(
                tips.iter().any(|t| t.starts_with(&cell)),
                "{id}: heat map cell {cell}"
            );
            let own = format!(
                "{id}: Risk {p} by {i}\nProbability {p} × impact {i} = score {score} ({band})"
            );
            assert!(
                tips.iter().any(|t| t.starts_with(&own)),
                "{id}: heat map risk {own}"
            );
        }
    }
    // Report pages list the top risks with the same band.
    for entry in fs::read_dir(out.join("reports")).unwrap() {
        let page = entry.unwrap().path().join("index.html");
        let Ok(html) = fs::read_to_string(&page) else {
            continue;
        };
        let doc = Html::parse_document(&html);
        let mut seen = 0;
        for row in doc.select(&sel("tr[class*=level-]")) {
            let Some(id) = row.select(&sel(".id")).next().map(text) else {
                continue;
            };
            let (p, i) = id[1..].split_once('x').unwrap();
            let band = band_of(p.parse().unwrap(), i.parse().unwrap());
            let class = row.value().attr("class").unwrap();
            assert!(
                class.contains(&format!("level-{band}")),
                "{}: {id} is {class}",
                page.display()
            );
            seen += 1;
        }
        assert!(seen > 0, "{} lists risks", page.display());
    }
}

/// The figures one report page shows, read from the page.
#[derive(Debug, PartialEq)]
struct PageFigures {
    /// From the end card's verdict: working days late (0: on time or early).
    days_late: i64,
    /// The end card's "Forecast vs committed": working days after the committed end.
    end_late: i64,
    /// The Gantt chart's caption: "N late against their due dates".
    late_items: i64,
    /// The decisions card: open and overdue.
    open_decisions: i64,
    overdue_decisions: i64,
}

fn first_number(s: &str) -> Option<i64> {
    let digits: String = s
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn page_figures(doc: &Html) -> PageFigures {
    let verdict = text(
        doc.select(&sel(".end-card .verdict strong"))
            .next()
            .expect("verdict"),
    );
    let days_late = if verdict.contains(" late") {
        first_number(&verdict).expect("a number of days")
    } else {
        0
    };
    let diff = doc
        .select(&sel(".end-card .facts div"))
        .find(|d| d.select(&sel("dt")).next().map(text).as_deref() == Some("Forecast vs committed"))
        .and_then(|d| d.select(&sel("dd")).next().map(text))
        .expect("the end card's forecast against the committed end");
    let signed = diff.replace('\u{2212}', "-");
    let end = signed
        .split_whitespace()
        .find_map(|w| w.trim_start_matches('+').parse::<i64>().ok())
        .unwrap_or_else(|| panic!("a signed number in {diff:?}"));
    let caption: String = doc
        .select(&sel("svg.gantt desc"))
        .next()
        .map(|d| d.text().collect())
        .expect("the Gantt caption");
    let late_items = caption
        .split("; ")
        .find(|p| p.contains("late against"))
        .and_then(first_number)
        .expect("a late count");
    let (open_decisions, overdue_decisions) = match doc.select(&sel(".ask-card .ask-count")).next()
    {
        Some(c) => {
            let t = text(c);
            let open = first_number(&t).unwrap_or(0);
            let overdue = t
                .split('·')
                .find(|p| p.contains("overdue"))
                .and_then(first_number)
                .unwrap_or(0);
            (open, overdue)
        }
        // The dashboard: one card per open decision under "Open decisions".
        None => {
            let section = doc
                .select(&sel("section[aria-labelledby=sec-decisions]"))
                .next()
                .expect("the decisions section");
            let open = section.select(&sel("article.decision")).count() as i64;
            let heading = text(section.select(&sel("h2")).next().unwrap());
            let overdue = if heading.contains("overdue") {
                first_number(&heading).unwrap_or(0)
            } else {
                0
            };
            (open, overdue)
        }
    };
    PageFigures {
        days_late,
        end_late: end.max(0),
        late_items,
        open_decisions,
        overdue_decisions,
    }
}

fn json_figures(j: &Value) -> PageFigures {
    let p = &j["program"];
    PageFigures {
        days_late: p["lateness"]["days"].as_i64().unwrap(),
        end_late: p["lateness"]["end"].as_i64().unwrap(),
        late_items: p["lateness"]["late_items"].as_i64().unwrap(),
        open_decisions: p["decisions"]["open"].as_i64().unwrap(),
        overdue_decisions: p["decisions"]["overdue"].as_i64().unwrap(),
    }
}

/// Checks the report pages of `content` (every `step`-th one, and the
/// newest) against program.json as of each; returns how many were checked.
fn report_pages_agree_with_program_json(content: &Path, step: usize) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build_into(content, &out, Some("abc1234"));
    let mut dates: Vec<String> = fs::read_dir(out.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == 10 && n.starts_with('2'))
        .collect();
    dates.sort();
    let newest = dates.len() - 1;
    let mut checked = 0;
    for (k, date) in dates.iter().enumerate() {
        if k % step != 0 && k != newest {
            continue;
        }
        let doc = Html::parse_document(
            &fs::read_to_string(out.join(format!("reports/{date}/index.html"))).unwrap(),
        );
        let json = program_json_as_of(content, date);
        assert_eq!(json["program"]["as_of"], date.as_str());
        assert_eq!(
            page_figures(&doc),
            json_figures(&json),
            "report {date} of {}",
            content.display()
        );
        strip_agrees_with_json(&doc, &json, date);
        one_figure_per_term(&doc, date);
        checked += 1;
    }
    // The dashboard is the newest report's figures.
    let dash = Html::parse_document(&fs::read_to_string(out.join("index.html")).unwrap());
    let json: Value = serde_json::from_slice(&fs::read(out.join("program.json")).unwrap()).unwrap();
    assert_eq!(page_figures(&dash), json_figures(&json), "the dashboard");
    strip_agrees_with_json(&dash, &json, "the dashboard");
    one_figure_per_term(&dash, "the dashboard");
    checked
}

/// A term names one figure in a page's summary: every `<dt>` that appears
/// more than once in the top strip and the cards has the same `<dd>` each
/// time. (The end card once called the forecast end
/// against the committed end "Slip", while the strip's "Slip" counted from
/// the plan's end: "6 working days" and "+3 working days" under one word.)
fn one_figure_per_term(doc: &Html, what: &str) {
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut terms = 0;
    for dt in doc.select(&sel(".top-strip dl dt, .cards dl dt")) {
        let Some(dd) = dt
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "dd")
        else {
            continue;
        };
        terms += 1;
        let (term, figure) = (text(dt), text(dd));
        if let Some(before) = seen.insert(term.clone(), figure.clone()) {
            assert_eq!(
                before, figure,
                "{what}: \"{term}\" names two different figures"
            );
        }
    }
    assert!(terms >= 6, "{what}: only {terms} terms found");
}

/// Signed numbers in `s`, in order ("-3", "+2", "4"; a minus sign too).
fn numbers(s: &str) -> Vec<i64> {
    s.replace('\u{2212}', "-")
        .split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+'))
        .filter_map(|w| w.trim_start_matches('+').parse::<i64>().ok())
        .collect()
}

/// The top strip's figures are program.json's `story`: the end and its
/// move, the root cause's own delay and link, the float before and after,
/// the slip total and each team's share, the decisions owed.
fn strip_agrees_with_json(doc: &Html, json: &Value, what: &str) {
    let story = &json["story"];
    assert!(story.is_object(), "{what}: program.json has the story");
    let strip = doc
        .select(&sel(".top-strip"))
        .next()
        .unwrap_or_else(|| panic!("{what}: the top strip"));
    let part = |css: &str| text(strip.select(&sel(css)).next().unwrap());
    let int = |v: &Value| v.as_i64().unwrap();

    // Why: the end, its move, the cause.
    let why_el = strip.select(&sel(".ts-why")).next().unwrap();
    let why = text(why_el);
    let end = text(why_el.select(&sel("strong")).next().unwrap());
    assert_eq!(end, story["end"].as_str().unwrap(), "{what}: {why}");
    let moved = int(&story["end_moved"]);
    let said = if why.starts_with("The end date holds") {
        0
    } else if why.contains(" earlier to ") {
        -numbers(&why)[0].abs()
    } else {
        numbers(&why)[0]
    };
    assert_eq!(said, moved, "{what}: {why}");
    let chain = story["driving_chain"].as_array().unwrap();
    if why.contains("driven by") {
        let root = chain.last().unwrap();
        let last_href = why_el
            .select(&sel("a"))
            .last()
            .and_then(|a| a.value().attr("href"))
            .unwrap();
        assert!(
            last_href.contains(&format!("/{}/", root["item"].as_str().unwrap())),
            "{what}: the cause is the chain's root: {last_href}"
        );
        let own = int(&root["own_delay"]);
        if own > 0 {
            assert!(
                why.contains(&format!(
                    "{own} working day{} late of its own).",
                    if own == 1 { "" } else { "s" }
                )),
                "{what}: {why}"
            );
        }
    }

    // State: the lateness, and the milestone it counts from when that one
    // is later than the end, with the end's own lateness beside it.
    let lateness = &json["program"]["lateness"];
    let verdict_el = strip.select(&sel(".ts-verdict")).next().unwrap();
    let verdict = text(verdict_el);
    let days = int(&lateness["days"]);
    if days > 0 {
        assert_eq!(numbers(&verdict)[0], days, "{what}: {verdict}");
    }
    let end_days = int(&lateness["end"]);
    let committed = part(".ts-committed");
    match lateness["milestone_days"].as_i64() {
        Some(m) if m > end_days => {
            let id = lateness["milestone"].as_str().unwrap();
            let href = verdict_el
                .select(&sel("a"))
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_else(|| panic!("{what}: the milestone is named: {verdict}"));
            assert!(href.contains(&format!("/{id}/")), "{what}: {href}");
            let said = if committed.contains(" after the committed") {
                numbers(&committed)[0]
            } else {
                0
            };
            assert_eq!(said, end_days, "{what}: {committed}");
        }
        _ => assert!(
            verdict_el.select(&sel("a")).next().is_none() && committed.contains(", committed "),
            "{what}: {verdict} {committed}"
        ),
    }

    // Path: the float to the end before and after.
    let path = part(".ts-path");
    let delta = &story["critical_path_delta"];
    let float = path.split("Float to the end").nth(1).unwrap();
    let (b, a) = (int(&delta["float_before"]), int(&delta["float_after"]));
    let expect = if a == b { vec![a] } else { vec![b, a] };
    assert_eq!(numbers(float), expect, "{what}: {path}");
    assert_eq!(
        path.starts_with("Critical path changed"),
        delta["changed"].as_bool().unwrap(),
        "{what}: {path}"
    );

    // Slip: the total and each team's share, in order.
    let slip = part(".ts-slip");
    let att = &story["attribution"];
    let by_team = att["by_team"].as_array().unwrap();
    if slip.starts_with("No slip") {
        assert_eq!(int(&att["total"]), 0, "{what}");
        assert!(by_team.is_empty(), "{what}");
    } else {
        let nums = numbers(slip.split(" since the plan's end").next().unwrap());
        assert_eq!(nums, [int(&att["total"]).abs()], "{what}: {slip}");
        let shares: Vec<i64> = slip
            .split(", ")
            .skip(1)
            .filter(|c| c.contains(" came from ") || c.contains(" won back "))
            .map(|c| {
                let n = numbers(c)[0];
                if c.contains(" won back ") { -n } else { n }
            })
            .collect();
        let json_shares: Vec<i64> = by_team.iter().take(4).map(|c| int(&c["days"])).collect();
        assert_eq!(shares, json_shares, "{what}: {slip}");
    }

    // You owe: the first decisions by title and decider, the rest counted.
    let owed = story["decisions_owed"].as_array().unwrap();
    let lis: Vec<String> = strip.select(&sel(".ts-owed li")).map(text).collect();
    assert_eq!(lis.len(), owed.len().min(3), "{what}: {lis:?}");
    for (li, o) in lis.iter().zip(owed) {
        let head = format!(
            "{} — {}, ",
            o["title"].as_str().unwrap(),
            o["decider"].as_str().unwrap()
        );
        assert!(li.starts_with(&head), "{what}: {li:?} vs {head:?}");
        if o["overdue"].as_bool().unwrap() {
            let days = int(&o["days_overdue"]);
            assert!(
                li.contains(&format!("{days} day")) && li.contains("overdue"),
                "{what}: {li}"
            );
        }
    }
    let more = strip.select(&sel(".ts-more")).next().map(text);
    match owed.len().checked_sub(3).filter(|&n| n > 0) {
        Some(n) => assert!(
            more.as_deref()
                .is_some_and(|m| m.starts_with(&format!("{n} more decision"))),
            "{what}: {more:?}"
        ),
        None => assert!(more.is_none(), "{what}: {more:?}"),
    }
}

#[test]
fn example_report_pages_agree_with_program_json() {
    let n = report_pages_agree_with_program_json(&common::root().join("content"), 1);
    assert_eq!(n, 7);
}

#[test]
fn generated_m_report_pages_agree_with_program_json() {
    let tmp = tempfile::tempdir().unwrap();
    let content = common::generated("M", tmp.path());
    // 52 reports: every fourth one and the newest.
    let n = report_pages_agree_with_program_json(&content, 4);
    assert!(n >= 13, "{n}");
}

/// Finished work carries no forward-looking risk: in no report's snapshot of
/// the example or of a generated size-M program does a negative-float,
/// negative-slack, starts-before-provider or critical-provider risk name a
/// done item as the item at risk (for a dependency: the consumer, and the
/// provider too), and no done item is critical.
#[test]
fn no_forward_looking_risk_names_finished_work() {
    use tpm_site::analysis::RiskKind;
    use tpm_site::model::Status;
    let tmp = tempfile::tempdir().unwrap();
    let m = common::generated("M", tmp.path());
    let mut done_seen = 0;
    for content in [common::root().join("content"), m] {
        let a = common::analyze(&content);
        for snap in a.reports.iter().chain([&a.current]) {
            let done = |id: &str| {
                let ix = a.program.items.iter().position(|i| i.id == id).unwrap();
                snap.items[ix].status == Status::Done
            };
            for r in &snap.detected_risks {
                let at_risk: &[String] = match r.kind {
                    RiskKind::NegativeFloat
                    | RiskKind::NegativeDeadlineSlack
                    | RiskKind::CriticalProviderAtRisk
                    | RiskKind::StartsBeforeProvider => &r.items,
                    _ => &[],
                };
                for id in at_risk {
                    assert!(
                        !done(id),
                        "{} as of {}: {}",
                        content.display(),
                        snap.as_of,
                        r.message
                    );
                }
            }
            for s in &snap.items {
                if s.status == Status::Done {
                    done_seen += 1;
                    assert!(!s.critical, "a done item is critical as of {}", snap.as_of);
                }
            }
        }
    }
    assert!(
        done_seen > 1000,
        "the programs have finished work to check: {done_seen}"
    );
}
