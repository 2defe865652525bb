//! The report pages of the example program, built for real: what changed
//! since the last report (computed), the next two weeks, the decisions and
//! risks as of the report, the declared-vs-computed check, `reports/latest/`,
//! the archive's trend strip and permanence (a new report never changes an
//! earlier page).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use tpm_site::diagnostics::{Diagnostic, Diagnostics, Severity};
use tpm_site::site::{self, BuildOptions};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Builds `content` into a fresh folder; returns it with the diagnostics.
fn build_with(
    content: &Path,
    source_commit: Option<&str>,
) -> (tempfile::TempDir, PathBuf, Vec<Diagnostic>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let mut diags = Diagnostics::new();
    let opts = BuildOptions {
        content: content.to_path_buf(),
        output: out.clone(),
        base_url: None,
        as_of: None,
        include_drafts: false,
        source_commit: source_commit.map(str::to_string),
    };
    site::build(&opts, &mut diags)
        .unwrap_or_else(|e| panic!("{e}: {}", common::render(diags.clone().into_sorted())));
    (tmp, out, diags.into_sorted())
}

/// The example content, copied (so it is not in a git repository and
/// reports can be removed).
fn example_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("content"), &tmp.path().join("content"));
    tmp
}

fn example() -> (tempfile::TempDir, PathBuf, Vec<Diagnostic>) {
    let src = example_copy();
    let (tmp, out, diags) = build_with(&src.path().join("content"), Some("abc1234"));
    drop(src);
    (tmp, out, diags)
}

fn page(out: &Path, rel: &str) -> Html {
    let text = fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn report(out: &Path, date: &str) -> Html {
    page(out, &format!("reports/{date}/index.html"))
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every "Since the last report" line, as text.
fn since(doc: &Html) -> Vec<String> {
    doc.select(&sel("section.since li.change"))
        .map(text)
        .collect()
}

/// The lines of one group (`slips`, `status`, `risks`, `decisions`, ...).
fn since_group(doc: &Html, key: &str) -> Vec<String> {
    doc.select(&sel(&format!("section.since ul.changes-{key} > li")))
        .map(text)
        .collect()
}

/// The hrefs of the links in the line that contains `needle`.
fn links_in_line(doc: &Html, needle: &str) -> Vec<String> {
    doc.select(&sel("section.since li.change"))
        .find(|li| text(*li).contains(needle))
        .map(|li| {
            li.select(&sel("a"))
                .filter_map(|a| a.value().attr("href").map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Rows of the "next two weeks" table: (date, what, subject).
fn next_rows(doc: &Html) -> Vec<(String, String, String)> {
    doc.select(&sel("table.next tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr.select(&sel("td, th")).map(text).collect();
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

#[test]
fn the_2027_02_12_report_says_what_changed_and_why() {
    let (_tmp, out, _) = example();
    let doc = report(&out, "2027-02-12");

    // The header: program, date, period, RAG in words, data date, commit.
    let head = text(doc.select(&sel("main header.page-head")).next().unwrap());
    assert!(head.contains("Identity Platform Migration"), "{head}");
    assert!(head.contains("Report of 2027-02-12"), "{head}");
    assert!(head.contains("Covers 2027-01-29 to 2027-02-12"), "{head}");
    assert!(
        head.contains("Data as of 2027-02-12 · source commit abc1234"),
        "{head}"
    );
    let rag = text(doc.select(&sel(".status-card .rag-big")).next().unwrap());
    assert_eq!(rag, "■ Red");

    // The schema migration slipped, in working days, with no upstream cause...
    let slips = since_group(&doc, "slips");
    assert!(
        slips[0].starts_with(
            "▼ Identity schema v5 migration slipped 3 working days (forecast finish 2027-02-23 → 2027-02-26)"
        ),
        "{slips:?}"
    );
    assert!(
        links_in_line(&doc, "Identity schema v5 migration slipped")
            .iter()
            .any(|h| h.ends_with("deliverables/db-schema-migration/index.html"))
    );
    // ... and pushed Auth API v2 by as much.
    let pushed = slips
        .iter()
        .find(|l| l.starts_with("▼ User Auth API v2 slipped"))
        .expect("auth-api-v2 slipped");
    assert!(
        pushed.contains("3 working days")
            && pushed.contains("pushed by Identity schema v5 migration (+3 working days)"),
        "{pushed}"
    );
    let cause_links = links_in_line(&doc, "User Auth API v2 slipped");
    assert!(
        cause_links
            .iter()
            .any(|h| h.ends_with("deliverables/db-schema-migration/index.html")),
        "the cause is linked: {cause_links:?}"
    );

    // The end moved from 1 day early to 2 days late.
    let end = since_group(&doc, "end");
    assert!(
        end[0].contains("Forecast end 2027-07-02, 2 working days late")
            && end[0].contains("+1 → -2 working days (3 working days lost)"),
        "{end:?}"
    );
    // Status flips, worse first.
    let status = since_group(&doc, "status");
    assert!(
        status[0].contains("User Auth API v2 went from ○ Not started to ▲ At risk"),
        "{status:?}"
    );
    // Finishing without a slip is routine: collapsed under one counted line.
    assert!(
        !status.iter().any(|l| l.contains("Token signing service")),
        "{status:?}"
    );
    let routine: Vec<String> = doc
        .select(&sel("section.since details.changes-routine li.change"))
        .map(text)
        .collect();
    assert!(
        routine
            .iter()
            .any(|l| l.contains("Token signing service went from ○ Not started to ✓ Done")),
        "{routine:?}"
    );
    let summary = text(
        doc.select(&sel("section.since details.changes-routine > summary"))
            .next()
            .unwrap(),
    );
    assert_eq!(
        summary,
        format!(
            "{} routine status change{} (work started on track, or finished without a slip)",
            routine.len(),
            if routine.len() == 1 { "" } else { "s" }
        )
    );
    // The HSM risk closed in this report.
    let risks = since_group(&doc, "risks");
    assert!(
        risks.iter().any(|l| l.contains(
            "HSM hardware for signing keys arrives after the token service needs it closed"
        )),
        "{risks:?}"
    );
    assert!(
        links_in_line(&doc, "HSM hardware")
            .iter()
            .any(|h| h == "../../risks/index.html#risk-hsm-provisioning-delay")
    );

    // Next two weeks: the contract freeze is due, the migration's new date.
    let next = next_rows(&doc);
    assert!(
        next.contains(&(
            "2027-02-19".into(),
            "Decision due".into(),
            "Freeze Auth API v2 contract before mobile integration".into()
        )),
        "{next:?}"
    );
    assert!(
        next.iter().any(|(d, w, s)| d == "2027-02-26"
            && w == "Finishes"
            && s.starts_with("Identity schema v5 migration")
            && s.contains("Late")),
        "{next:?}"
    );
    assert!(
        next.iter()
            .all(|(d, _, _)| d.as_str() > "2027-02-12" && d.as_str() <= "2027-02-26"),
        "{next:?}"
    );

    // Decisions: the contract freeze, open 14 days since it was raised.
    let asks: Vec<String> = doc.select(&sel("table.asks tbody tr")).map(text).collect();
    assert_eq!(asks.len(), 1, "{asks:?}");
    assert!(
        asks[0].contains("VP Engineering")
            && asks[0].contains("2027-02-19")
            && asks[0].contains("14 days"),
        "{asks:?}"
    );

    // Top risks as of the report: re-scored contract-churn (4 × 4) first, the
    // closed HSM risk and the not-yet-raised long-tail risk absent.
    let top: Vec<String> = doc
        .select(&sel("section[aria-labelledby=sec-risks] tbody tr"))
        .map(text)
        .collect();
    assert_eq!(top.len(), 5, "{top:?}");
    assert!(
        top[0].contains("contract-churn") && top[0].contains("16"),
        "{top:?}"
    );
    assert!(top.iter().all(|r| !r.contains("hsm-provisioning-delay")));
    assert!(top.iter().all(|r| !r.contains("legacy-client-long-tail")));

    // Red admits the late end: no declared-vs-computed callout.
    assert!(
        doc.select(&sel("section.callout-disagree"))
            .next()
            .is_none()
    );
    // Unreviewed cross-team dependencies on the at-risk Auth API v2.
    let gaps: Vec<String> = doc.select(&sel(".review-gaps li")).map(text).collect();
    assert!(
        gaps.iter()
            .any(|g| g.starts_with("Partner API OAuth migration")
                && g.contains("depends on User Auth API v2")
                && g.contains("At risk")),
        "{gaps:?}"
    );
}

#[test]
fn the_2027_04_09_report_has_the_overdue_decision_and_what_is_next() {
    let (_tmp, out, _) = example();
    let doc = report(&out, "2027-04-09");
    let decisions = since_group(&doc, "decisions");
    assert!(
        decisions.iter().any(|l| l.contains(
            "Run the web and partner cutover in parallel with the mobile launch is overdue: needed by 2027-04-02"
        )),
        "{decisions:?}"
    );
    assert!(
        decisions
            .iter()
            .any(|l| l.starts_with("• New: Force-upgrade mobile app versions")),
        "{decisions:?}"
    );
    // The overdue decision stands out in the decisions table.
    let overdue: Vec<String> = doc
        .select(&sel("table.asks tr.is-overdue"))
        .map(text)
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert!(
        overdue[0].contains("Run the web and partner cutover")
            && overdue[0].contains("Overdue by 7 days")
            && overdue[0].contains("14 days"),
        "{overdue:?}"
    );
    let card = text(doc.select(&sel(".ask-card")).next().unwrap());
    assert!(
        card.contains("3 open") && card.contains("1 overdue"),
        "{card}"
    );

    let all = since(&doc);
    assert!(
        all.iter().any(|l| l.contains(
            "Partner integrations and old app versions still call legacy auth at shutdown opened, score 12"
        )),
        "{all:?}"
    );
    assert!(
        all.iter().any(|l| l.contains(
            "Login outage during the production traffic cutover re-scored from 15 to 10"
        )),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|l| l.contains("Forecast end unchanged: 2027-07-06, 3 working days late")),
        "{all:?}"
    );

    let next = next_rows(&doc);
    for (date, what, subject) in [
        ("2027-04-12", "Finishes", "Auth SDK v2 (iOS, Android, JS)"),
        ("2027-04-13", "Starts", "Mobile app update to Auth SDK v2"),
        (
            "2027-04-23",
            "Decision due",
            "Include IdP-initiated SAML in the v2 launch scope",
        ),
    ] {
        assert!(
            next.iter()
                .any(|(d, w, s)| d == date && w == what && s.starts_with(subject)),
            "{date} {what} {subject}: {next:?}"
        );
    }
    // A cross-team edge on the at-risk SDK that no row reviews.
    let gaps: Vec<String> = doc.select(&sel(".review-gaps li")).map(text).collect();
    assert!(
        gaps.iter().any(|g| g.starts_with("Biometric login on v2")
            && g.contains("depends on Auth SDK v2")),
        "{gaps:?}"
    );
    assert!(
        gaps.iter().all(|g| !g.starts_with("Mobile app update")),
        "reviewed edges are not listed: {gaps:?}"
    );
    // The example's reports say red where the schedule is late: no
    // declared-vs-computed callout (see the next test for one).
    assert!(
        doc.select(&sel("section.callout-disagree"))
            .next()
            .is_none()
    );
}

#[test]
fn every_kind_of_story_beat_shows_up_in_its_report() {
    let (_tmp, out, _) = example();
    // The contract freeze was decided on Feb 17, in the period of the Feb 26 report.
    let feb26 = report(&out, "2027-02-26");
    let decided = since_group(&feb26, "decisions");
    assert!(
        decided.iter().any(|l| l.contains(
            "Freeze Auth API v2 contract before mobile integration decided on 2027-02-17 by VP Engineering"
        )),
        "{decided:?}"
    );
    // Red admits the problems: no callout. Green with float: no callout.
    assert!(
        feb26
            .select(&sel("section.callout-disagree"))
            .next()
            .is_none()
    );
    let jan15 = report(&out, "2027-01-15");
    assert!(
        jan15
            .select(&sel("section.callout-disagree"))
            .next()
            .is_none()
    );
    let first = text(
        jan15
            .select(&sel("section.since .section-note"))
            .next()
            .unwrap(),
    );
    assert!(first.contains("compared with the plan"), "{first}");
    // The recovery: the migration is done and the end comes back 4 days.
    let mar12 = report(&out, "2027-03-12");
    let end = since_group(&mar12, "end");
    assert!(end[0].contains("4 working days gained"), "{end:?}");
    assert!(
        since_group(&mar12, "risks")
            .iter()
            .any(|l| l.contains("Online schema v5 migration takes longer than rehearsed occurred")),
    );
    // Decided later, but undecided as of Jan 15: still open on that page.
    let asks: Vec<String> = jan15
        .select(&sel("table.asks tbody tr"))
        .map(text)
        .collect();
    assert_eq!(asks.len(), 1, "{asks:?}");
    assert!(
        asks[0].contains("Where token signing keys live for launch") && asks[0].contains("new")
    );
}

#[test]
fn the_build_warns_when_green_or_amber_contradicts_the_schedule() {
    // The example says red wherever its schedule is late: no warning.
    let (_tmp, _out, diags) = example();
    let disagree = |diags: &[Diagnostic]| -> Vec<String> {
        diags
            .iter()
            .filter(|d| {
                d.severity == Severity::Warning && d.message.contains("computed schedule disagrees")
            })
            .map(|d| d.file.to_string())
            .collect()
    };
    assert_eq!(disagree(&diags), Vec::<String>::new());
    // Two of its late reports said amber instead: each is warned about, at
    // its front matter, and its page says so.
    let src = example_copy();
    let content = src.path().join("content");
    for date in ["2027-02-12", "2027-04-09"] {
        let f = content.join(format!("reports/{date}.md"));
        let text = fs::read_to_string(&f).unwrap();
        fs::write(&f, text.replacen("status: red", "status: amber", 1)).unwrap();
    }
    let (_tmp, out, diags) = build_with(&content, None);
    assert_eq!(
        disagree(&diags),
        ["reports/2027-02-12.md", "reports/2027-04-09.md"],
        "amber with negative float, never the red or the green one"
    );
    let w = diags
        .iter()
        .find(|d| d.message.contains("computed schedule disagrees"))
        .unwrap();
    assert_eq!(w.line, 2, "at the front matter");
    assert!(
        w.message.contains("says amber")
            && w.message
                .contains("the critical path has negative float (-2 working days)"),
        "{}",
        w.message
    );
    // Amber with negative float: the page says so plainly.
    let doc = page(&out, "reports/2027-02-12/index.html");
    let callout = text(
        doc.select(&sel("section.callout-disagree"))
            .next()
            .expect("declared-vs-computed callout"),
    );
    assert!(callout.contains("This report says Amber"), "{callout}");
    assert!(
        callout.contains("the critical path has negative float (-2 working days)"),
        "{callout}"
    );
    let doc = page(&out, "reports/2027-04-09/index.html");
    assert!(
        doc.select(&sel("section.callout-disagree"))
            .next()
            .is_some()
    );
}

#[test]
fn the_latest_report_is_the_newest_one() {
    let (_tmp, out, _) = example();
    let latest = fs::read(out.join("reports/latest/index.html")).unwrap();
    let newest = fs::read(out.join("reports/2027-04-09/index.html")).unwrap();
    assert_eq!(latest, newest);
    let archive = page(&out, "reports/index.html");
    let link = archive
        .select(&sel("main a.button-link"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap();
    assert_eq!(link, "../reports/latest/index.html");
}

#[test]
fn the_archive_has_a_trend_strip_and_shows_missing_reports() {
    let src = example_copy();
    let content = src.path().join("content");
    fs::remove_file(content.join("reports/2027-03-12.md")).unwrap();
    let (_tmp, out, diags) = build_with(&content, None);
    let missing: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| {
            d.message
                .contains("no report for the scheduled report date")
        })
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(&*missing[0].file, "program.yaml");
    assert!(missing[0].message.contains("2027-03-12"));

    let archive = page(&out, "reports/index.html");
    let cells: Vec<String> = archive
        .select(&sel("ol.rag-strip > li"))
        .map(text)
        .collect();
    assert_eq!(
        cells,
        [
            "●G2027-01-15: Green",
            "▲A2027-01-29: Amber",
            "■R2027-02-12: Red",
            "■R2027-02-26: Red",
            "✕–2027-03-12: no report",
            "■R2027-03-26: Red",
            "■R2027-04-09: Red",
        ],
        "one cell per report, oldest first, the missing one in place"
    );
    assert_eq!(
        archive
            .select(&sel("ol.rag-strip > li.is-missing a"))
            .count(),
        0,
        "a missing report has nothing to link to"
    );
}

#[test]
fn a_new_report_leaves_every_earlier_report_page_byte_identical() {
    let before = example_copy();
    let content = before.path().join("content");
    let mut reports: Vec<PathBuf> = fs::read_dir(content.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    reports.sort();
    let last = reports.pop().unwrap();
    fs::remove_file(&last).unwrap();
    let (_a, without, _) = build_with(&content, Some("abc1234"));
    let after = example_copy();
    let (_b, with, _) = build_with(&after.path().join("content"), Some("abc1234"));
    assert!(!without.join("reports/2027-04-09/index.html").exists());
    let mut compared = 0;
    for r in &reports {
        let date = r.file_stem().unwrap().to_string_lossy();
        let rel = format!("reports/{date}/index.html");
        let a = fs::read(without.join(&rel)).unwrap();
        let b = fs::read(with.join(&rel)).unwrap();
        assert!(a == b, "{rel} changed when a later report arrived");
        compared += 1;
    }
    assert_eq!(compared, 6);
    // The latest page moved on to the new report.
    assert_eq!(
        fs::read(without.join("reports/latest/index.html")).unwrap(),
        fs::read(without.join("reports/2027-03-26/index.html")).unwrap()
    );
}

#[test]
fn report_pages_are_accessible_and_print_without_navigation() {
    let (_tmp, out, _) = example();
    for date in ["2027-01-15", "2027-02-12", "2027-04-09"] {
        let doc = report(&out, date);
        assert_eq!(doc.select(&sel("h1")).count(), 1);
        for landmark in ["header", "nav", "main", "footer"] {
            assert!(
                doc.select(&sel(landmark)).next().is_some(),
                "{date}: {landmark}"
            );
        }
        for th in doc.select(&sel("th")) {
            assert!(
                th.value().attr("scope").is_some(),
                "{date}: <th> without scope"
            );
        }
        // Every section is labelled by a heading that exists.
        for s in doc.select(&sel("section[aria-labelledby]")) {
            let id = s.value().attr("aria-labelledby").unwrap();
            assert!(
                doc.select(&sel(&format!("#{id}"))).next().is_some(),
                "{date}: #{id}"
            );
        }
        // Tone is never colour alone: every change line has an icon and words.
        for li in doc.select(&sel("li.change")) {
            assert!(li.select(&sel(".icon")).next().is_some());
            assert!(text(li).chars().filter(|c| c.is_alphabetic()).count() > 5);
        }
    }
    let css = fs::read_to_string(out.join("assets/style.css")).unwrap();
    let print = &css[css.rfind("@media print").unwrap()..];
    assert!(print.contains(".site-nav") && print.contains("display: none"));
    assert!(print.contains(".chart svg") && print.contains("max-width: 100%"));
}

#[test]
fn the_source_commit_comes_from_git_or_the_flag() {
    // From the flag (the copies are not in a repository).
    let (_tmp, out, _) = example();
    let doc = report(&out, "2027-01-15");
    let commit = doc.select(&sel(".provenance code.commit")).next().map(text);
    assert_eq!(commit.as_deref(), Some("abc1234"));
    // Not a repository and no flag: no commit.
    let src = example_copy();
    let (_t, out, _) = build_with(&src.path().join("content"), None);
    let doc = report(&out, "2027-01-15");
    assert!(doc.select(&sel(".provenance code.commit")).next().is_none());
    // From git: each report shows the last commit of its own file, so a
    // later commit never changes an earlier report's page.
    let repo = example_copy();
    let git = |args: &[&str]| -> String {
        let o = std::process::Command::new("git")
            .arg("-C")
            .arg(repo.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    let first = git(&["rev-parse", "--short", "HEAD"]);
    let latest = repo.path().join("content/reports/2027-04-09.md");
    let source = std::fs::read_to_string(&latest).unwrap();
    std::fs::write(&latest, source.replacen("---\n", "---\n# edited\n", 1)).unwrap();
    git(&["commit", "-q", "-am", "second"]);
    let second = git(&["rev-parse", "--short", "HEAD"]);
    assert_ne!(first, second);
    let (_t, out, _) = build_with(&repo.path().join("content"), None);
    let commit_of = |date: &str| {
        report(&out, date)
            .select(&sel(".provenance code.commit"))
            .next()
            .map(text)
    };
    assert_eq!(commit_of("2027-01-15"), Some(first));
    assert_eq!(commit_of("2027-04-09"), Some(second));
}

#[test]
fn the_source_commit_flag_is_checked_and_shown() {
    let src = example_copy();
    let content = src.path().join("content");
    let out = src.path().join("public");
    assert_cmd::Command::cargo_bin("tpm-site")
        .unwrap()
        .args(["build", "--source-commit", "deadbee", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&out)
        .assert()
        .success();
    let doc = report(&out, "2027-04-09");
    let commit = doc.select(&sel(".provenance code.commit")).next().map(text);
    assert_eq!(commit.as_deref(), Some("deadbee"));
    assert_cmd::Command::cargo_bin("tpm-site")
        .unwrap()
        .args(["build", "--source-commit", "<b>", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(src.path().join("other"))
        .assert()
        .code(2);
}

/// The status table of a report holds what its readers need (every item the
/// report updates, everything in flight or forecast late) and leaves out
/// work that has not started and is on time, so a report page stays the
/// same size however large the program grows.
#[test]
fn the_status_table_holds_the_period_not_the_whole_program() {
    let src = example_copy();
    let content = src.path().join("content");
    let a = site::analyze_dir(&content, None, false, &mut Diagnostics::new())
        .expect("loads")
        .expect("analyzes");
    let (_tmp, out, _) = build_with(&content, None);
    let program = &a.program;
    let k = 0;
    let r = &program.reports[k];
    let snap = &a.reports[k];
    let doc = report(&out, &r.date.to_string());
    let shown: Vec<String> = doc
        .select(&sel("#sec-status ~ .table-scroll tbody tr th a, section[aria-labelledby=sec-status] tbody tr th a"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_end_matches("/index.html").rsplit('/').next().unwrap().to_string())
        .collect();
    assert!(!shown.is_empty(), "the table has rows");
    assert!(
        shown.len() < program.items.len(),
        "{} of {}",
        shown.len(),
        program.items.len()
    );
    for u in &r.updates {
        let id = &program.items[u.item].id;
        assert!(
            shown.contains(id),
            "{id} is updated in the report but not in its table"
        );
    }
    let mut absent = 0;
    for (ix, s) in snap.items.iter().enumerate() {
        let id = &program.items[ix].id;
        let idle = s.status == tpm_site::model::Status::NotStarted
            && s.forecast_start > snap.as_of
            && s.deadline_slack >= 0
            && !r.updates.iter().any(|u| u.item == ix);
        if idle {
            absent += 1;
            assert!(!shown.contains(id), "{id} has not started and is on time");
        }
        if s.status != tpm_site::model::Status::Done && s.forecast_start <= snap.as_of {
            assert!(shown.contains(id), "{id} is in flight but not in the table");
        }
    }
    assert!(absent > 0, "the first report has work that has not started");
}

/// The text of the first element matching `css`.
fn first_text(doc: &Html, css: &str) -> String {
    text(
        doc.select(&sel(css))
            .next()
            .unwrap_or_else(|| panic!("no {css}")),
    )
}

#[test]
fn the_top_strip_says_why_late_whose_slip_it_is_and_what_is_owed() {
    let (_tmp, out, _) = example();
    let doc = report(&out, "2027-04-09");
    // Above everything but the page's title: the first section of main.
    let first = doc.select(&sel("main section")).next().unwrap();
    assert!(first.value().classes().any(|c| c == "top-strip"));
    assert_eq!(
        first_text(&doc, ".top-strip .ts-state"),
        "■ Red Forecast 6 working days late at Internal beta (employees on v2, web) · end 2027-07-06, \
         3 working days after the committed 2027-06-30"
    );
    assert_eq!(
        first_text(&doc, ".top-strip .ts-why"),
        "The end date holds at 2027-07-06, driven by Legacy auth service decommission \
         (Site Reliability Engineering), which waits on Production traffic cutover to v2 \
         (Site Reliability Engineering), through 5 more items, itself pushed by Identity \
         schema v5 migration (Platform Data Team, 6 working days late of its own)."
    );
    assert_eq!(
        first_text(&doc, ".top-strip .ts-path"),
        "Critical path changed: now Auth SDK v2 (iOS, Android, JS) → … → Legacy auth \
         switched off (7 items); was User Auth API v2 → … → Legacy auth switched off \
         (8 items); left: User Auth API v2. Float to the end stays at -3 working days."
    );
    assert_eq!(
        first_text(&doc, ".top-strip .ts-slip"),
        "Of 6 working days of slip since the plan's end (2027-06-25), 6 came from \
         Platform Data Team."
    );
    let owed: Vec<String> = doc
        .select(&sel(".top-strip .ts-owed li"))
        .map(text)
        .collect();
    assert_eq!(owed.len(), 3, "{owed:?}");
    assert!(
        owed[0].starts_with(
            "Run the web and partner cutover in parallel with the mobile launch — VP \
             Engineering, ⚠ 7 days overdue (needed by 2027-04-02)Recommended: Parallel cutover"
        ),
        "{owed:?}"
    );
    assert!(owed[1].contains("— Director of Product, needed by 2027-04-23"));
    let href = doc
        .select(&sel(".top-strip .ts-owed li a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap();
    assert!(
        href.starts_with("../../decisions/index.html#decision-"),
        "{href}"
    );
    let anchor = href.rsplit_once('#').unwrap().1;
    let decisions = page(&out, "decisions/index.html");
    assert!(
        decisions
            .select(&sel(&format!("#{anchor}")))
            .next()
            .is_some(),
        "the link lands on the decision"
    );

    // A report where the end moved says so, with the cause's own delay.
    let doc = report(&out, "2027-02-12");
    let why = first_text(&doc, ".top-strip .ts-why");
    assert!(
        why.starts_with("The end date moved +3 working days to 2027-07-02, driven by")
            && why.ends_with(
                "Identity schema v5 migration (Platform Data Team, 5 working days late of its own)."
            ),
        "{why}"
    );
    assert_eq!(
        first_text(&doc, ".top-strip .ts-path"),
        "Critical path unchanged: Identity schema v5 migration → … → Legacy auth switched \
         off (9 items). Float to the end fell from 1 to -2 working days."
    );

    // The dashboard leads with the same strip, as of the newest report.
    let dash = page(&out, "index.html");
    let first = dash.select(&sel("main section")).next().unwrap();
    assert!(first.value().classes().any(|c| c == "top-strip"));
    let newest = report(&out, "2027-04-09");
    for part in [".ts-state", ".ts-why", ".ts-path", ".ts-slip", ".ts-owed"] {
        let css = format!(".top-strip {part}");
        assert_eq!(first_text(&dash, &css), first_text(&newest, &css), "{part}");
    }
}
#[test]
fn status_reason_acknowledges_the_disagreement_for_its_report_only() {
    // Both late reports say amber; one gives `status_reason:`.
    let src = example_copy();
    let content = src.path().join("content");
    for (date, reason) in [
        (
            "2027-02-12",
            Some("Cutover rehearsal recovers the two days"),
        ),
        ("2027-04-09", None),
    ] {
        let f = content.join(format!("reports/{date}.md"));
        let mut text = fs::read_to_string(&f)
            .unwrap()
            .replacen("status: red", "status: amber", 1);
        if let Some(reason) = reason {
            text = text.replacen(
                "status: amber",
                &format!("status: amber\nstatus_reason: \"{reason}\""),
                1,
            );
        }
        fs::write(&f, text).unwrap();
    }
    let (_tmp, out, diags) = build_with(&content, None);
    let warned: Vec<String> = diags
        .iter()
        .filter(|d| d.message.contains("computed schedule disagrees"))
        .map(|d| d.file.to_string())
        .collect();
    assert_eq!(
        warned,
        ["reports/2027-04-09.md"],
        "only the unacknowledged one"
    );
    let hint = diags
        .iter()
        .find(|d| d.message.contains("computed schedule disagrees"))
        .and_then(|d| d.hint.clone())
        .unwrap();
    assert!(hint.contains("status_reason"), "{hint}");
    // The acknowledged page still shows the computed facts, and the reason.
    let doc = page(&out, "reports/2027-02-12/index.html");
    let callout = text(
        doc.select(&sel("section.callout-disagree"))
            .next()
            .expect("the facts stay on the page"),
    );
    assert!(
        callout.contains("Why Amber stands: Cutover rehearsal recovers the two days"),
        "{callout}"
    );
    let doc = page(&out, "reports/2027-04-09/index.html");
    assert!(doc.select(&sel("p.status-reason")).next().is_none());
}

/// Issue 16's hidden slip: the last milestone is on a fixed date, the work
/// feeding it slipped past it, and the program end still has buffer. The end
/// card of the dashboard and of the report says late (the lateness fact),
/// names the missed milestones and never says "early".
#[test]
fn the_end_card_says_late_and_names_missed_milestones_when_the_end_has_buffer() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("content");
    fs::create_dir_all(c.join("deliverables")).unwrap();
    fs::create_dir_all(c.join("reports")).unwrap();
    fs::write(
        c.join("program.yaml"),
        "name: P\nobjective: O\nstart: 2027-01-04\nend: 2027-06-30\nreports:\n  cadence: 2w\n  first: 2027-01-15\n",
    )
    .unwrap();
    fs::write(c.join("teams.yaml"), "- { id: a, name: A }\n").unwrap();
    fs::write(
        c.join("deliverables/a.yaml"),
        "- { id: build, name: Build, owner: a, start: 2027-01-04, duration: 4w }\n\
         - { id: docs, name: Docs, owner: a, start: 2027-01-04, duration: 2w }\n",
    )
    .unwrap();
    fs::write(
        c.join("milestones.yaml"),
        "- { id: beta, name: Beta, date: 2027-02-05, depends_on: [docs] }\n\
         - { id: launch, name: Launch, date: 2027-02-12, depends_on: [build, beta] }\n",
    )
    .unwrap();
    // Build slips 15 working days past Launch; Docs misses Beta by 2.
    fs::write(
        c.join("reports/2027-01-15.md"),
        "---\ndate: 2027-01-15\nstatus: amber\nstatus_reason: \"x\"\nsummary: s\nupdates:\n  build: { status: at_risk, forecast: 2027-03-05 }\n  docs: { status: at_risk, forecast: 2027-02-09 }\n---\n",
    )
    .unwrap();
    let (_tmp, out, _) = build_with(&c, None);
    for rel in ["index.html", "reports/2027-01-15/index.html"] {
        let doc = page(&out, rel);
        let card = text(doc.select(&sel("article.end-card")).next().unwrap());
        assert!(
            card.contains("Forecast 15 working days late"),
            "{rel}: {card}"
        );
        assert!(
            card.contains(
                "Milestones Launch misses its date 2027-02-12 by 15 working days; Beta misses its date 2027-02-05 by 2 working days; the forecast end 2027-03-05 is within the committed end 2027-06-30."
            ),
            "{rel}: {card}"
        );
        assert!(!card.contains("early"), "{rel}: {card}");
        assert!(
            doc.select(&sel("article.end-card.end-late"))
                .next()
                .is_some(),
            "{rel}"
        );
    }
}

/// Every page lists teams in teams.yaml's order (not by id): the teams page
/// and the Gantt chart's team bands. The example's teams.yaml lists
/// identity, platform, mobile, web, sre, security (ids not sorted).
#[test]
fn teams_are_listed_in_teams_yaml_order() {
    let (_tmp, out, _) = example();
    let want = [
        "Identity Team",
        "Platform Data Team",
        "Mobile Apps Team",
        "Web & Partner Integrations",
        "Site Reliability Engineering",
        "Security Engineering",
    ];
    let doc = page(&out, "teams/index.html");
    let rows: Vec<String> = doc
        .select(&sel("table tbody tr th[scope=row]"))
        .map(text)
        .collect();
    assert_eq!(rows, want, "teams page");
    let doc = page(&out, "index.html");
    let bands: Vec<String> = doc
        .select(&sel(".gantt-band-label"))
        .map(text)
        .filter(|t| t != "Milestones")
        .collect();
    assert_eq!(bands, want, "Gantt team bands");
}
