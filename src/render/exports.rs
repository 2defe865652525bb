//! Machine-readable exports next to the HTML pages: `feed.xml` (Atom),
//! `milestones.ics` (iCalendar), `deliverables.csv` and `sitemap.xml`.
//!
//! Like the rest of `render`, everything here is pure and deterministic: the
//! same content gives the same bytes. No wall clock is read; every timestamp
//! comes from a report date or the as-of date, at 00:00:00 UTC.
//!
//! Every string from content is made safe for its format:
//! - XML (feed, sitemap): characters XML 1.0 forbids are dropped, the rest is
//!   escaped by `atom_syndication` (quick-xml) or by [`super::svg::xml::escape`];
//! - iCalendar: control characters are dropped and line breaks normalised,
//!   then the `icalendar` crate escapes `\ ; , newline` and folds lines at 75
//!   octets (on character boundaries) with CRLF line ends;
//! - CSV: the `csv` crate quotes, and text cells that a spreadsheet would read
//!   as a formula get a leading `'`.
//!
//! `chrono` appears only here, as the date type those two crates take.

use std::borrow::Cow;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use icalendar::{Calendar, Component, EventLike, Property};
use jiff::civil::Date;

use super::{OutputFile, SiteData, markdown, views};
use crate::model::{BaseUrl, ItemKind, Program};

/// The files of [`feed`], [`milestones_ics`] and [`deliverables_csv`], in
/// that order. `feed.xml` is left out when the program has no `base_url`.
///
/// `sitemap.xml` is not here: it needs the list of rendered pages, see
/// [`sitemap`].
pub fn exports(data: &SiteData) -> Vec<OutputFile> {
    let mut out = Vec::with_capacity(3);
    out.extend(feed(data));
    out.push(milestones_ics(data));
    out.push(deliverables_csv(data));
    out
}

// ---------------------------------------------------------------------------
// feed.xml
// ---------------------------------------------------------------------------

/// `feed.xml`: an Atom feed (RFC 4287) of the published (non-draft) reports,
/// newest first.
///
/// Returns `None` when the program has no `base_url`: Atom ids and links must
/// be absolute IRIs, and a relative URL would make every reader's copy of the
/// feed point somewhere else. Each entry's id is its report page's absolute
/// URL (`{base_url}reports/<date>/`), which never changes once published.
/// `updated` is the newest report's date (the program start when there is
/// none), never the time of the build.
pub fn feed(data: &SiteData) -> Option<OutputFile> {
    let program = data.program;
    let base = base_url(program)?;
    let mut reports: Vec<_> = program.reports.iter().filter(|r| !r.draft).collect();
    // Newest first; the sort is stable, so equal dates (impossible after
    // resolve, but harmless) keep their order.
    reports.sort_by_key(|r| std::cmp::Reverse(r.date));

    let entries = reports
        .iter()
        .map(|r| {
            let url = format!("{base}{}/", views::report_dir(r.date));
            let when = midnight_utc(r.date);
            let title = format!("Report {} — {}", r.date, views::rag_badge(r.status).label);
            Entry {
                title: Text::plain(title),
                id: url.clone(),
                updated: when,
                published: Some(when),
                links: vec![Link {
                    href: url.clone(),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Default::default()
                }],
                summary: (!r.summary.trim().is_empty()).then(|| Text::plain(xml_text(&r.summary))),
                content: Some(Content {
                    // The body's relative links resolve as they do on the page.
                    base: Some(url),
                    value: Some(xml_text(&markdown::to_html(&r.body)).into_owned()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();

    let title = if program.meta.site.title.trim().is_empty() {
        &program.meta.name
    } else {
        &program.meta.site.title
    };
    let feed = Feed {
        title: Text::plain(xml_text(title)),
        id: base.clone(),
        updated: midnight_utc(reports.first().map_or(program.meta.start, |r| r.date)),
        // Atom requires an author on the feed when entries have none.
        authors: vec![Person {
            name: xml_text(&program.meta.name).into_owned(),
            ..Default::default()
        }],
        generator: Some(Generator {
            value: "tpm-site".into(),
            ..Default::default()
        }),
        links: vec![
            Link {
                href: base.clone(),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
            Link {
                href: format!("{base}feed.xml"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
        ],
        entries,
        ..Default::default()
    };
    let config = atom_syndication::WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    // Writing to a Vec cannot fail on IO; quick-xml has nothing else to refuse
    // once the text is XML-safe. Should it ever fail, no feed beats a panic.
    let mut bytes = feed.write_with_config(Vec::new(), config).ok()?;
    bytes.push(b'\n');
    Some(OutputFile {
        path: "feed.xml".into(),
        bytes,
    })
}

// ---------------------------------------------------------------------------
// milestones.ics
// ---------------------------------------------------------------------------

/// `milestones.ics`: an RFC 5545 calendar with one all-day event per
/// milestone, on its forecast date as of `data.current`.
///
/// `DTSTART;VALUE=DATE` is the forecast and `DTEND;VALUE=DATE` the day after
/// (the end of an all-day event is exclusive). The UID is
/// `<milestone-id>@<host of base_url>` (`@tpm-site` without a base_url), so a
/// calendar that subscribed moves the event when the forecast moves instead of
/// adding a new one. `DTSTAMP` is the as-of date at 00:00:00Z, so the file only
/// changes when the data does.
pub fn milestones_ics(data: &SiteData) -> OutputFile {
    let program = data.program;
    let base = base_url(program);
    let host = program
        .meta
        .site
        .base_url
        .as_ref()
        .map_or_else(|| "tpm-site".to_string(), |b| b.host().to_string());
    let stamp = utc_midnight(data.current.as_of);

    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new("PRODID", "-//tpm-site//EN"));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    let title = if program.meta.site.title.trim().is_empty() {
        &program.meta.name
    } else {
        &program.meta.site.title
    };
    cal.name(&ical_text(&format!("{title}: milestones")));

    for (item, s) in program.items.iter().zip(&data.current.items) {
        if item.kind != ItemKind::Milestone {
            continue;
        }
        // Dates outside chrono's range cannot occur (jiff's are narrower),
        // but an unrepresentable one is skipped rather than panicking.
        let Some(start) = naive_date(s.forecast_finish) else {
            continue;
        };
        let Some(end) = start.succ_opt() else {
            continue;
        };
        let description = format!(
            "Planned: {}\nForecast: {}\nStatus: {}\nSlip: {}",
            s.planned_finish,
            s.forecast_finish,
            s.status.label(),
            slip_words(s.slip.into()),
        );
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@{host}", ical_text(&item.id)))
            .summary(&ical_text(&item.name))
            .description(&ical_text(&description))
            .starts(start)
            .ends(end)
            .add_property("TRANSP", "TRANSPARENT");
        if let Some(stamp) = stamp {
            event.timestamp(stamp);
        }
        if let Some(base) = &base {
            event.url(&format!("{base}{}/", views::item_dir(item)));
        }
        cal.push(event.done());
    }
    OutputFile {
        path: "milestones.ics".into(),
        bytes: cal.to_string().into_bytes(),
    }
}

/// "+3 working days", "0 working days", "-1 working day".
fn slip_words(slip: i64) -> String {
    let unit = if slip.unsigned_abs() == 1 {
        "working day"
    } else {
        "working days"
    };
    format!("{} {unit}", views::slip(slip).text)
}

/// Text for an iCalendar TEXT value before the crate escapes it: CR LF and
/// lone CR become LF (escaped as `\n`), and the other control characters,
/// which RFC 5545 does not allow in TEXT, are dropped (tab is kept).
fn ical_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

// ---------------------------------------------------------------------------
// deliverables.csv
// ---------------------------------------------------------------------------

/// The header row of `deliverables.csv`.
pub const CSV_HEADER: [&str; 17] = [
    "id",
    "kind",
    "name",
    "owner",
    "depends_on",
    "planned_start",
    "planned_finish",
    "forecast_start",
    "forecast_finish",
    "late_start",
    "late_finish",
    "total_float",
    "deadline_slack",
    "critical",
    "status",
    "progress",
    "dri",
];

/// `deliverables.csv`: one row per item (deliverables and milestones) of the
/// current snapshot, in id order, RFC 4180 (CRLF line ends, quoted as needed).
///
/// `owner` is the team id, `dri` the person named by `dri:` (last, so the
/// earlier columns keep their places), `depends_on` the providers joined by a space, each
/// its id, or `id:LABEL` when the link is not plain finish-to-start
/// ([`crate::model::Link::token`]: `sdk:SS+3d`, `docs:FF-1d`),
/// `status` the YAML spelling (`on_track`). Text cells starting with `=`, `+`,
/// `-`, `@`, tab or CR get a leading `'` so spreadsheets show them as text
/// instead of running them as formulas (CSV injection). The numeric columns
/// (`total_float`, `deadline_slack`, `progress`) are written by us as plain
/// integers and left alone, so `-3` stays a number.
pub fn deliverables_csv(data: &SiteData) -> OutputFile {
    OutputFile {
        path: "deliverables.csv".into(),
        // Writing to a Vec cannot fail.
        bytes: csv_bytes(data).unwrap_or_default(),
    }
}

fn csv_bytes(data: &SiteData) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let program = data.program;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for (item, s) in program.items.iter().zip(&data.current.items) {
        let kind = match item.kind {
            ItemKind::Deliverable => "deliverable",
            ItemKind::Milestone => "milestone",
        };
        let owner = item
            .owner
            .and_then(|t| program.teams.get(t))
            .map_or("", |t| t.id.as_str());
        let depends_on = item
            .depends_on
            .iter()
            .enumerate()
            .filter_map(|(k, &d)| Some((program.items.get(d)?, item.links.get(k).copied())))
            .map(|(d, link)| link.unwrap_or_default().token(&d.id))
            .collect::<Vec<_>>()
            .join(" ");
        let record: [Cow<str>; 17] = [
            csv_text(&item.id),
            kind.into(),
            csv_text(&item.name),
            csv_text(owner),
            csv_text(&depends_on),
            s.planned_start.to_string().into(),
            s.planned_finish.to_string().into(),
            s.forecast_start.to_string().into(),
            s.forecast_finish.to_string().into(),
            s.late_start.to_string().into(),
            s.late_finish.to_string().into(),
            s.total_float.to_string().into(),
            s.deadline_slack.to_string().into(),
            if s.critical { "true" } else { "false" }.into(),
            s.status.as_str().into(),
            s.progress.to_string().into(),
            csv_text(item.dri.as_deref().unwrap_or("")),
        ];
        w.write_record(record.iter().map(|c| c.as_bytes()))?;
    }
    Ok(w.into_inner().map_err(|e| e.into_error())?)
}

/// A text cell, neutralised against formula injection.
fn csv_text(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

// ---------------------------------------------------------------------------
// sitemap.xml
// ---------------------------------------------------------------------------

/// `sitemap.xml` (sitemaps.org 0.9) listing the HTML pages in `pages` (paths
/// relative to the output root, as in [`OutputFile::path`]) under `base_url`.
///
/// Only `.html` paths are listed, sorted and without duplicates; `404.html`
/// is left out. `…/index.html` becomes its folder URL (`…/`). Path segments
/// are percent-encoded where RFC 3986 requires it and the URL is XML-escaped.
/// Report pages (`reports/<date>/index.html`) get `<lastmod>` = the report
/// date, since a report page never changes after it; other pages get none.
///
/// Call it only when the program has a `base_url`: a sitemap needs absolute
/// URLs.
pub fn sitemap(base_url: &BaseUrl, pages: &[String]) -> OutputFile {
    let base = base_url.as_str();
    let mut urls: Vec<(String, Option<Date>)> = pages
        .iter()
        .map(|p| p.trim_start_matches('/'))
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .map(|p| {
            let dir = if p == "index.html" {
                Some("")
            } else {
                p.strip_suffix("/index.html")
            };
            let rel = match dir {
                Some("") => String::new(),
                Some(d) => format!("{}/", encode_path(d)),
                None => encode_path(p),
            };
            let lastmod = dir
                .and_then(|d| d.strip_prefix("reports/"))
                .and_then(|d| d.parse::<Date>().ok());
            (format!("{base}{rel}"), lastmod)
        })
        .collect();
    urls.sort();
    urls.dedup_by(|a, b| a.0 == b.0);

    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in &urls {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&super::svg::xml::escape(&xml_text(loc)));
        xml.push_str("</loc>\n");
        if let Some(d) = lastmod {
            xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

/// Percent-encodes each `/`-separated segment of a relative path: controls,
/// space, non-ASCII and the characters RFC 3986 does not allow in a segment.
fn encode_path(path: &str) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'[')
        .add(b'\\')
        .add(b']')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    path.split('/')
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// The program's `base_url`, only when it is an absolute http(s) URL, always
/// ending with `/`.
fn base_url(program: &Program) -> Option<String> {
    program
        .meta
        .site
        .base_url
        .as_ref()
        .map(|b| b.as_str().to_string())
}

/// Drops the characters XML 1.0 does not allow (most C0 controls, U+FFFE,
/// U+FFFF) and turns CR LF and lone CR into LF (as an XML parser would).
fn xml_text(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if s.chars().all(allowed) {
        return Cow::Borrowed(s);
    }
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
}

fn naive_date(d: Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(
        i32::from(d.year()),
        u32::try_from(d.month()).ok()?,
        u32::try_from(d.day()).ok()?,
    )
}

fn utc_midnight(d: Date) -> Option<chrono::DateTime<chrono::Utc>> {
    Some(naive_date(d)?.and_hms_opt(0, 0, 0)?.and_utc())
}

/// A date at 00:00:00Z, as the feed's date type.
fn midnight_utc(d: Date) -> FixedDateTime {
    utc_midnight(d)
        .map(|t| t.fixed_offset())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_urls() {
        let host = |u: &str| BaseUrl::parse(u).unwrap().host().to_string();
        assert_eq!(host("https://example.github.io/repo/"), "example.github.io");
        assert_eq!(host("http://Example.ORG:8080/x/"), "example.org");
        assert_eq!(host("http://[::1]:8080/"), "[::1]");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_text(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["plain", "a=b", "", "'quoted"] {
            assert_eq!(csv_text(ok), ok);
        }
    }

    #[test]
    fn xml_text_drops_forbidden_characters() {
        assert_eq!(xml_text("a\u{0}b\u{b}c\u{fffe}d"), "abcd");
        assert_eq!(xml_text("a\r\nb\rc"), "a\nb\nc");
        assert!(matches!(xml_text("fine 😀 <&>"), Cow::Borrowed(_)));
    }

    #[test]
    fn ical_text_normalises_line_breaks() {
        assert_eq!(ical_text("a\r\nb\rc\u{7}d\te"), "a\nb\ncd\te");
    }

    #[test]
    fn slip_in_words() {
        assert_eq!(slip_words(3), "+3 working days");
        assert_eq!(slip_words(-1), "-1 working day");
        assert_eq!(slip_words(0), "0 working days");
    }

    #[test]
    fn sitemap_paths_and_escaping() {
        let pages: Vec<String> = [
            "index.html",
            "reports/2027-01-15/index.html",
            "404.html",
            "pages/a b&c/index.html",
            "deliverables.csv",
            "index.html",
            "teams.html",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let xml =
            String::from_utf8(sitemap(&BaseUrl::parse("https://x.org/r").unwrap(), &pages).bytes)
                .unwrap();
        assert!(xml.contains("<loc>https://x.org/r/</loc>"), "{xml}");
        assert!(
            xml.contains(
                "<loc>https://x.org/r/reports/2027-01-15/</loc>\n    <lastmod>2027-01-15</lastmod>"
            ),
            "{xml}"
        );
        assert!(
            xml.contains("<loc>https://x.org/r/pages/a%20b&amp;c/</loc>"),
            "{xml}"
        );
        assert!(
            xml.contains("<loc>https://x.org/r/teams.html</loc>"),
            "{xml}"
        );
        assert!(!xml.contains("404"), "{xml}");
        assert!(!xml.contains(".csv"), "{xml}");
        assert_eq!(xml.matches("<url>").count(), 4, "{xml}");
    }
}
