//! The machine-readable exports (`feed.xml`, `milestones.ics`,
//! `deliverables.csv`, `sitemap.xml`), each read back with a parser made for
//! its format: atom_syndication, the icalendar crate's parser, csv and
//! roxmltree.

mod common;

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use icalendar::{Component, DatePerhapsTime};
use tpm_site::diagnostics::Diagnostics;
use tpm_site::model::ItemKind;
use tpm_site::render::exports::{CSV_HEADER, exports, sitemap};
use tpm_site::render::{OutputFile, markdown};
use tpm_site::site::{self, Analyzed};

fn analyze(content: &Path) -> Analyzed {
    let mut diags = Diagnostics::new();
    match site::analyze_dir(content, None, false, &mut diags) {
        Ok(Some(a)) => a,
        other => panic!(
            "{} did not analyse: {:?}\n{}",
            content.display(),
            other.err(),
            common::render(diags.into_sorted())
        ),
    }
}

fn example() -> Analyzed {
    analyze(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content")
            .as_path(),
    )
}

fn get<'a>(files: &'a [OutputFile], path: &str) -> &'a OutputFile {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", paths(files)))
}

fn paths(files: &[OutputFile]) -> Vec<&str> {
    files.iter().map(|f| f.path.as_str()).collect()
}

fn text(f: &OutputFile) -> &str {
    std::str::from_utf8(&f.bytes).expect("UTF-8")
}

fn naive(d: jiff::civil::Date) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year().into(), d.month() as u32, d.day() as u32).unwrap()
}

fn base(a: &Analyzed) -> String {
    a.program
        .meta
        .site
        .base_url
        .clone()
        .expect("base_url")
        .to_string()
}

// ---------------------------------------------------------------------------
// feed.xml
// ---------------------------------------------------------------------------

fn check_feed(a: &Analyzed, files: &[OutputFile]) -> atom_syndication::Feed {
    let base = base(a);
    let feed = atom_syndication::Feed::read_from(&get(files, "feed.xml").bytes[..])
        .expect("feed.xml parses as Atom");
    assert_eq!(feed.id, base);
    assert_eq!(feed.title.value, a.program.meta.site.title);
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel == "alternate" && l.href == base)
    );
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel == "self" && l.href == format!("{base}feed.xml"))
    );
    assert!(!feed.authors.is_empty(), "Atom needs an author");

    let mut published: Vec<_> = a.program.reports.iter().filter(|r| !r.draft).collect();
    published.reverse();
    assert!(!published.is_empty());
    assert_eq!(feed.entries.len(), published.len());
    assert_eq!(
        feed.updated.to_rfc3339(),
        format!("{}T00:00:00+00:00", published[0].date),
        "feed updated = newest report date, never the clock"
    );
    for (e, r) in feed.entries.iter().zip(&published) {
        let url = format!("{base}reports/{}/", r.date);
        assert_eq!(e.id, url);
        assert_eq!(e.links.len(), 1);
        assert_eq!(e.links[0].href, url);
        assert_eq!(e.links[0].rel, "alternate");
        let rag = match r.status.as_str() {
            "green" => "Green",
            "amber" => "Amber",
            _ => "Red",
        };
        assert_eq!(e.title.value, format!("Report {} — {rag}", r.date));
        assert_eq!(e.updated.to_rfc3339(), format!("{}T00:00:00+00:00", r.date));
        assert_eq!(
            e.summary.as_ref().map(|s| s.value.as_str()),
            Some(r.summary.as_str())
        );
        let content = e.content.as_ref().expect("content");
        assert_eq!(content.content_type.as_deref(), Some("html"));
        assert_eq!(content.base.as_deref(), Some(url.as_str()));
        // Characters XML 1.0 forbids (here: U+000B, U+000C) are dropped.
        let html: String = markdown::to_html(&r.body)
            .chars()
            .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n'))
            .collect();
        assert_eq!(content.value.as_deref(), Some(html.as_str()));
    }
    feed
}

#[test]
fn feed_is_atom_with_absolute_stable_ids_newest_first() {
    let a = example();
    let files = exports(&a.site_data());
    let feed = check_feed(&a, &files);
    let dates: Vec<_> = feed.entries.iter().map(|e| e.updated).collect();
    assert!(dates.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(feed.entries.iter().all(|e| e.id.starts_with("https://")));
}

#[test]
fn feed_is_omitted_without_base_url() {
    let mut a = example();
    a.program.meta.site.base_url = None;
    let files = exports(&a.site_data());
    assert_eq!(paths(&files), ["milestones.ics", "deliverables.csv"]);
    // The calendar falls back to a fixed UID domain.
    let ics = text(get(&files, "milestones.ics"));
    assert!(ics.contains("@tpm-site\r\n"), "{ics}");
    assert!(!ics.contains("URL:"), "{ics}");
}

#[test]
fn drafts_are_not_in_the_feed() {
    let mut a = example();
    let last = a.program.reports.len() - 1;
    a.program.reports[last].draft = true;
    let files = exports(&a.site_data());
    let feed = atom_syndication::Feed::read_from(&get(&files, "feed.xml").bytes[..]).unwrap();
    assert_eq!(feed.entries.len(), a.program.reports.len() - 1);
    let newest = a.program.reports[last - 1].date;
    assert_eq!(
        feed.updated.to_rfc3339(),
        format!("{newest}T00:00:00+00:00")
    );
}

// ---------------------------------------------------------------------------
// milestones.ics
// ---------------------------------------------------------------------------

/// Content lines end with CRLF, with no bare CR or LF, and are at most 75
/// octets long (RFC 5545 §3.1).
fn check_ics_lines(ics: &str) {
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let bytes = ics.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at byte {i}");
        }
        if b == b'\r' {
            assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at byte {i}");
        }
    }
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "control character in {line:?}"
        );
    }
}

fn parse_ics(ics: &str) -> icalendar::Calendar {
    icalendar::parser::read_calendar(&icalendar::parser::unfold(ics))
        .expect("milestones.ics parses")
        .into()
}

fn check_ics(a: &Analyzed, files: &[OutputFile], host: &str) -> icalendar::Calendar {
    let ics = text(get(files, "milestones.ics"));
    check_ics_lines(ics);
    let cal = parse_ics(ics);
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
    assert_eq!(cal.property_value("PRODID"), Some("-//tpm-site//EN"));

    let milestones: Vec<_> = a
        .program
        .items
        .iter()
        .zip(&a.current.items)
        .filter(|(i, _)| i.kind == ItemKind::Milestone)
        .collect();
    assert!(!milestones.is_empty());
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), milestones.len());
    let stamp = format!("{}T000000Z", a.current.as_of).replace('-', "");
    for (e, (item, s)) in events.iter().zip(&milestones) {
        assert_eq!(e.get_uid(), Some(format!("{}@{host}", item.id).as_str()));
        assert_eq!(e.get_summary(), Some(item.name.as_str()));
        let start = naive(s.forecast_finish);
        assert_eq!(e.get_start(), Some(DatePerhapsTime::Date(start)));
        assert_eq!(
            e.get_end(),
            Some(DatePerhapsTime::Date(start.succ_opt().unwrap())),
            "DTEND = DTSTART + 1 day"
        );
        assert_eq!(e.property_value("DTSTAMP"), Some(stamp.as_str()));
        let desc = e.get_description().expect("description");
        assert!(
            desc.contains(&format!("Planned: {}", s.planned_finish)),
            "{desc}"
        );
        assert!(
            desc.contains(&format!("Forecast: {}", s.forecast_finish)),
            "{desc}"
        );
        assert!(
            desc.contains(&format!("Status: {}", s.status.label())),
            "{desc}"
        );
        assert!(desc.contains("Slip: "), "{desc}");
    }
    // Dates are all-day dates, never date-times.
    let unfolded = icalendar::parser::unfold(ics);
    assert_eq!(
        unfolded.matches("DTSTART;VALUE=DATE:").count(),
        milestones.len()
    );
    assert_eq!(
        unfolded.matches("DTEND;VALUE=DATE:").count(),
        milestones.len()
    );
    cal
}

#[test]
fn milestones_ics_is_rfc5545_on_forecast_dates() {
    let a = example();
    let files = exports(&a.site_data());
    check_ics(&a, &files, "example.github.io");
    // A slipped milestone shows its forecast, not its plan.
    assert!(
        a.program
            .items
            .iter()
            .zip(&a.current.items)
            .any(|(i, s)| i.kind == ItemKind::Milestone && s.forecast_finish != s.planned_finish),
        "the example should have a slipped milestone"
    );
}

// ---------------------------------------------------------------------------
// deliverables.csv
// ---------------------------------------------------------------------------

fn read_csv(f: &OutputFile) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(&f.bytes[..]);
    let headers = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

fn check_csv(a: &Analyzed, files: &[OutputFile]) -> Vec<Vec<String>> {
    let f = get(files, "deliverables.csv");
    let (headers, rows) = read_csv(f);
    assert_eq!(headers, CSV_HEADER);
    assert_eq!(
        CSV_HEADER.join(","),
        "id,kind,name,owner,depends_on,planned_start,planned_finish,forecast_start,\
         forecast_finish,late_start,late_finish,total_float,deadline_slack,critical,status,progress,dri"
    );
    assert!(text(f).starts_with(&format!("{}\r\n", CSV_HEADER.join(","))));
    assert_eq!(rows.len(), a.program.items.len());
    for ((row, item), s) in rows.iter().zip(&a.program.items).zip(&a.current.items) {
        assert_eq!(row.len(), 17);
        assert_eq!(row[16], item.dri.as_deref().unwrap_or(""));
        assert_eq!(row[0], item.id);
        assert_eq!(
            row[1],
            match item.kind {
                ItemKind::Deliverable => "deliverable",
                ItemKind::Milestone => "milestone",
            }
        );
        let deps: Vec<_> = item
            .depends_on
            .iter()
            .map(|&d| a.program.items[d].id.as_str())
            .collect();
        assert_eq!(row[4], deps.join(" "));
        assert_eq!(row[8], s.forecast_finish.to_string());
        assert_eq!(row[11].parse::<i32>().unwrap(), s.total_float);
        assert_eq!(row[12].parse::<i32>().unwrap(), s.deadline_slack);
        assert_eq!(row[13], s.critical.to_string());
        assert_eq!(row[14], s.status.as_str());
        assert_eq!(row[15].parse::<u8>().unwrap(), s.progress);
    }
    rows
}

#[test]
fn deliverables_csv_has_a_row_per_item() {
    let a = example();
    let files = exports(&a.site_data());
    let rows = check_csv(&a, &files);
    for (row, item) in rows.iter().zip(&a.program.items) {
        assert_eq!(row[2], item.name);
    }
    // Negative numbers stay numbers (no formula guard on numeric columns).
    assert!(
        rows.iter()
            .any(|r| r[11].starts_with('-') || r[12].starts_with('-')),
        "the example should have negative float or slack"
    );
}

// ---------------------------------------------------------------------------
// sitemap.xml
// ---------------------------------------------------------------------------

#[test]
fn sitemap_lists_every_page_under_base_url() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let a = example();
    let base = base(&a);
    let files = site::render_site(&a, Some(&site::theme_root(&content))).expect("renders");
    let pages: Vec<String> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| f.path.clone())
        .collect();
    let map = sitemap(&tpm_site::model::BaseUrl::parse(&base).unwrap(), &pages);
    assert_eq!(map.path, "sitemap.xml");
    let xml = text(&map);
    let doc = roxmltree::Document::parse(xml).expect("sitemap parses");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(
        locs.len(),
        pages.iter().filter(|p| *p != "404.html").count()
    );
    for loc in &locs {
        assert!(loc.starts_with(&base), "{loc}");
        assert!(!loc.ends_with("index.html"), "{loc}");
    }
    assert!(
        locs.contains(&base.as_str()),
        "the home page is the base URL"
    );
    for r in &a.program.reports {
        let url = format!("{base}reports/{}/", r.date);
        let node = doc
            .descendants()
            .find(|n| n.has_tag_name("loc") && n.text() == Some(url.as_str()))
            .unwrap_or_else(|| panic!("{url} missing"));
        let lastmod = node
            .next_sibling_element()
            .filter(|n| n.has_tag_name("lastmod"))
            .and_then(|n| n.text());
        assert_eq!(lastmod, Some(r.date.to_string().as_str()));
    }
    // Deterministic: the order of the input does not matter.
    let mut reversed = pages.clone();
    reversed.reverse();
    assert_eq!(
        sitemap(&tpm_site::model::BaseUrl::parse(&base).unwrap(), &reversed),
        map
    );
}

// ---------------------------------------------------------------------------
// Hostile content and determinism
// ---------------------------------------------------------------------------

const HOSTILE: &str = r#"</title><script>x</script> & "q", =1+1"#;
/// Long, with emoji across the 75-octet fold points, a newline, `; , \` and
/// quotes. Written into YAML with `{:?}`, whose escapes YAML reads back.
const LONG: &str = "Mobile 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀 update;\nsecond line, \
                    with \\ backslash and \"quotes\" — ünïcødé 🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀";

/// The spec example, copied to a temp folder, with names and report text that
/// try to break every format.
fn hostile() -> (tempfile::TempDir, Analyzed) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    let edit = |rel: &str, from: &str, to: &str| {
        let path = content.join(rel);
        let s = fs::read_to_string(&path).unwrap();
        assert!(s.contains(from), "{rel} has no {from:?}");
        fs::write(&path, s.replacen(from, to, 1)).unwrap();
    };
    // YAML single quotes: only `'` needs doubling, and there is none.
    edit(
        "milestones.yaml",
        "name: Mobile app launch",
        &format!("name: '{HOSTILE}'"),
    );
    edit(
        "deliverables/all.yaml",
        "name: Web login",
        r#"name: '=HYPERLINK("x")'"#,
    );
    // Long, with emoji on the fold boundaries, newlines, ; , \ and quotes.
    edit(
        "deliverables/all.yaml",
        "name: Mobile app update",
        &format!("name: {LONG:?}"),
    );
    // A second milestone with the long name, so the calendar folds it.
    let milestones = content.join("milestones.yaml");
    let mut m = fs::read_to_string(&milestones).unwrap();
    m.push_str(&format!(
        "- id: web-launch\n  name: {LONG:?}\n  depends_on: [web-login]\n"
    ));
    fs::write(&milestones, m).unwrap();
    edit(
        "reports/2027-01-29.md",
        "summary: Schema migration finished two days late; Auth API v2 follows.",
        &format!("summary: '{HOSTILE} ]]> 😀'"),
    );
    edit(
        "reports/2027-01-29.md",
        "The migration is done.",
        "The migration is done. <script>alert(1)</script> ]]> & <b>bold</b> \u{b}\u{c} [x](javascript:alert(1))",
    );
    let a = analyze(&content);
    (dir, a)
}

#[test]
fn hostile_strings_survive_every_format() {
    let (_dir, a) = hostile();
    let d = a.site_data();
    let files = exports(&d);
    let host = "example.github.io";

    // Atom: parses, and the text comes back exactly.
    let feed = check_feed(&a, &files);
    let e = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with("/reports/2027-01-29/"))
        .unwrap();
    assert_eq!(
        e.summary.as_ref().unwrap().value,
        format!("{HOSTILE} ]]> 😀")
    );
    let body = &e.content.as_ref().unwrap().value.as_deref().unwrap();
    assert!(!body.contains("<script>"), "{body}");
    assert!(!body.contains("javascript:"), "{body}");
    let raw = text(get(&files, "feed.xml"));
    assert!(!raw.contains("<script>"), "{raw}");
    assert!(!raw.contains("</title><"), "{raw}");

    // iCalendar: parses, unescapes to the original name, lines stay short.
    let cal = check_ics(&a, &files, host);
    let launch = cal
        .events()
        .find(|e| e.get_uid() == Some("mobile-launch@example.github.io"))
        .unwrap();
    assert_eq!(launch.get_summary(), Some(HOSTILE));
    let long = cal
        .events()
        .find(|e| e.get_uid() == Some("web-launch@example.github.io"))
        .unwrap();
    assert_eq!(long.get_summary(), Some(LONG));
    assert!(
        text(get(&files, "milestones.ics")).contains("\r\n "),
        "the long name is folded"
    );
    let unfolded = icalendar::parser::unfold(text(get(&files, "milestones.ics")));
    assert!(
        unfolded.contains(r#"SUMMARY:</title><script>x</script> & "q"\, =1+1"#),
        "commas are escaped: {unfolded}"
    );

    // CSV: formulas are neutralised, quotes, commas and newlines round-trip.
    let rows = check_csv(&a, &files);
    let name = |id: &str| {
        rows.iter()
            .find(|r| r[0] == id)
            .map(|r| r[2].clone())
            .unwrap()
    };
    assert_eq!(name("web-login"), r#"'=HYPERLINK("x")"#);
    assert_eq!(name("mobile-launch"), HOSTILE);
    let update = a.program.items[a.program.item_index("mobile-app-update").unwrap()]
        .name
        .clone();
    assert!(update.contains('\n') && update.contains('"') && update.contains(','));
    assert_eq!(name("mobile-app-update"), update);
    for row in &rows {
        for cell in &row[..5] {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unguarded cell {cell:?}"
            );
        }
    }
}

#[test]
fn exports_are_deterministic() {
    let a = example();
    let first = exports(&a.site_data());
    let again = exports(&example().site_data());
    assert_eq!(first, again);
    assert_eq!(
        paths(&first),
        ["feed.xml", "milestones.ics", "deliverables.csv"]
    );
}
