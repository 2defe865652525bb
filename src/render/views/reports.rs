//! The report archive: every report and every missed scheduled report,
//! newest first, and the RAG trend strip. Which scheduled dates a report
//! covers comes with the site data (`SiteData::scheduled`); this page lists
//! and formats them and computes no schedule facts.

use jiff::civil::Date;
use serde::Serialize;

use super::{Badge, LATEST_DIR, Link, Links, non_empty, rag_badge, report_dir};
use crate::render::SiteData;

/// A row of the report archive: a report, or a scheduled date without one.
#[derive(Clone, Debug, Serialize)]
pub struct ArchiveRow {
    pub date: String,
    pub href: Option<String>,
    pub rag: Option<Badge>,
    pub summary: Option<String>,
    pub missing: bool,
    pub latest: bool,
}

/// One cell of the archive's RAG trend strip: a report (its RAG as a colour,
/// a letter and a shape) or a missing scheduled report.
#[derive(Clone, Debug, Serialize)]
pub struct StripCell {
    pub date: String,
    pub href: Option<String>,
    /// `G`, `A`, `R`, or `–` for a missing report.
    pub letter: &'static str,
    pub icon: &'static str,
    pub class: &'static str,
    /// "2027-01-15: Green", "2027-01-29: no report".
    pub label: String,
    /// "Green", "no report".
    pub word: &'static str,
    pub missing: bool,
    pub latest: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ArchiveView {
    pub rows: Vec<ArchiveRow>,
    /// Oldest first.
    pub strip: Vec<StripCell>,
    /// The newest report as of the site's date (`reports/latest/`).
    pub latest: Option<Link>,
    pub reports: usize,
    pub missing: usize,
    pub next_report: Option<String>,
    pub cadence: String,
}

pub fn archive(data: &SiteData, links: &Links) -> ArchiveView {
    let program = data.program;
    let as_of = data.current.as_of;
    let newest = program
        .reports
        .iter()
        .filter(|r| r.date <= as_of)
        .map(|r| r.date)
        .max();
    let mut rows: Vec<(Date, ArchiveRow)> = program
        .reports
        .iter()
        .map(|r| {
            (
                r.date,
                ArchiveRow {
                    date: r.date.to_string(),
                    href: Some(links.dir(&report_dir(r.date))),
                    rag: Some(rag_badge(r.status)),
                    summary: non_empty(&r.summary),
                    missing: false,
                    latest: Some(r.date) == newest,
                },
            )
        })
        .collect();
    for &(date, covered) in data.scheduled {
        if covered.is_none() && date <= as_of {
            rows.push((
                date,
                ArchiveRow {
                    date: date.to_string(),
                    href: None,
                    rag: None,
                    summary: None,
                    missing: true,
                    latest: false,
                },
            ));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.missing.cmp(&b.1.missing)));
    let missing = rows.iter().filter(|(_, r)| r.missing).count();
    let strip = rows
        .iter()
        .rev()
        .map(|(_, r)| {
            let (letter, icon, class, word) = match r.rag {
                Some(b) => (
                    match b.key {
                        "green" => "G",
                        "amber" => "A",
                        _ => "R",
                    },
                    b.icon,
                    b.class,
                    b.label,
                ),
                None => ("–", "✕", "rag-missing", "no report"),
            };
            StripCell {
                date: r.date.clone(),
                href: r.href.clone(),
                letter,
                icon,
                class,
                label: format!("{}: {word}", r.date),
                word,
                missing: r.missing,
                latest: r.latest,
            }
        })
        .collect();
    ArchiveView {
        strip,
        latest: data
            .current
            .report
            .and_then(|i| program.reports.get(i))
            .map(|r| Link {
                text: format!("Report of {}", r.date),
                href: links.dir(LATEST_DIR),
            }),
        reports: program.reports.len(),
        missing,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        next_report: data
            .scheduled
            .iter()
            .map(|(d, _)| *d)
            .find(|d| *d > as_of)
            .map(|d| d.to_string()),
        cadence: program.meta.cadence.text.clone(),
    }
}
