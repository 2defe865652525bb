//! The e-mail a stakeholder receives for one report (pure: nothing here does
//! IO or reads `stakeholders.yaml`; the caller passes one recipient's name,
//! role and address).
//!
//! One message per recipient: `multipart/alternative` with a plain-text part
//! and a `multipart/related` HTML part (inline CSS only: no `<style>`, no
//! script, no SVG, since mail clients such as Gmail drop them) whose Gantt
//! chart is a PNG attached inline and referenced by `cid:`. The subject reads
//! `[Program] Biweekly report 2027-01-29 — AMBER`.
//!
//! The HTML part is the theme's `email.html` template, autoescaped like
//! every page and overridable like the other theme templates; the plain-text
//! part is written here.
//!
//! The PNG is rasterised by [`super::svg::raster`] from the report's Gantt
//! chart drawn with [`gantt::Paint::Inline`] (the chart writes its colours,
//! the light palette of `charts.css`, on its own elements, so no stylesheet
//! is involved) and the one font embedded in the binary: the same report
//! gives the same pixels on every machine. This module uses no SVG library
//! itself.
//!
//! Header safety: the recipient's name and the subject are refused when they
//! contain a line break or any other control character ([`EmailError::Header`]),
//! in addition to `stakeholders.yaml` validation; lettre encodes the rest
//! (RFC 2047), so a name can never add a header or a recipient.

use std::fmt::Write as _;
use std::time::SystemTime;

use jiff::civil::Date;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use serde::Serialize;

use super::SiteData;
use super::svg::gantt;
pub use super::svg::raster::Png;
use super::svg::raster::rasterize;
use super::theme::{EMAIL_TEMPLATE, Theme};
use super::views::{Links, Part, Viewer, report_dir, since, top_strip};
use crate::analysis::Snapshot;
use crate::analysis::register::DecisionState;
use crate::layout::gantt::GanttOptions;
use crate::model::{BaseUrl, Program, Rag};

/// At most this many changes are spelled out; the rest are counted.
pub const TOP_CHANGES: usize = 8;

/// Why a message could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error(
        "the {0} contains a line break or another control character; it cannot go into a mail header"
    )]
    Header(&'static str),
    #[error("the {0} is not a valid e-mail address")]
    Address(&'static str),
    #[error(
        "no base URL: set `site.base_url` in program.yaml or pass --base-url, so the message can link to the report"
    )]
    NoBaseUrl,
    /// The theme's `email.html` failed to render (e.g. an override uses a
    /// field that does not exist); tera's message names the template.
    #[error("{0}")]
    Template(String),
    #[error("rasterising the Gantt chart: {0}")]
    Raster(String),
    #[error("building the message: {0}")]
    Build(#[from] lettre::error::Error),
}

/// One open decision as of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionLine {
    pub title: String,
    pub decider: String,
    pub needed_by: Option<Date>,
    pub overdue: bool,
    pub recommendation: String,
}

impl DecisionLine {
    /// Whether `name` or `role` is this decision's decider (trimmed, any case).
    pub fn is_for(&self, name: &str, role: &str) -> bool {
        let norm = |s: &str| s.trim().to_lowercase();
        let decider = norm(&self.decider);
        !decider.is_empty() && (decider == norm(name) || decider == norm(role))
    }
}

/// Everything about one report that is the same for every recipient.
#[derive(Clone, Debug)]
pub struct ReportMail {
    pub program_name: String,
    pub date: Date,
    pub rag: Rag,
    pub subject: String,
    pub summary: String,
    /// The absolute address of the report page: `{base_url}reports/<date>/`.
    pub url: String,
    /// What the changes are counted from: "the report of 2027-01-15" or "the plan".
    pub against: String,
    /// The report page's top strip, line by line: the message leads with it.
    pub strip: Vec<StripLine>,
    /// The most important changes, in words, ranked as the report page's
    /// "Since the last report" (at most [`TOP_CHANGES`]), then one line
    /// counting the routine status changes.
    pub changes: Vec<String>,
    /// How many further changes the report page lists.
    pub more_changes: usize,
    /// Decisions open as of the report date that reports up to it escalated.
    pub decisions: Vec<DecisionLine>,
    /// The Gantt chart's summary in words (the image's alt text).
    pub chart_summary: String,
    /// The report's Gantt chart as a PNG of the chart's size.
    pub png: Png,
    /// The `Content-ID` of the PNG (without angle brackets).
    pub cid: String,
}

/// One recipient, as the message needs them.
#[derive(Clone, Copy, Debug)]
pub struct Recipient<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub address: &'a str,
}

/// The text and HTML bodies for one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bodies {
    pub text: String,
    pub html: String,
}

/// `[Program] Biweekly report 2027-01-29 — AMBER`.
pub fn subject(program_name: &str, date: Date, rag: Rag) -> String {
    format!(
        "[{}] Biweekly report {date} — {}",
        program_name.trim(),
        rag.as_str().to_uppercase()
    )
}

/// The absolute address of a report page: `{base_url}reports/<date>/`.
pub fn report_url(base_url: &BaseUrl, date: Date) -> String {
    base_url.join(&format!("{}/", report_dir(date)))
}

/// Refuses a value with a line break or other control character for a header.
pub fn header_safe(what: &'static str, value: &str) -> Result<(), EmailError> {
    if value
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        Err(EmailError::Header(what))
    } else {
        Ok(())
    }
}

/// Everything about report `i` (an index into `data.program.reports`) that is
/// the same for every recipient, including the PNG.
pub fn prepare(data: &SiteData, i: usize, base_url: &BaseUrl) -> Result<ReportMail, EmailError> {
    let program = data.program;
    let report = &program.reports[i];
    let snap = &data.reports[i];
    let url = report_url(base_url, report.date);
    let subject = subject(&program.meta.name, report.date, report.status);
    header_safe("subject", &subject)?;
    let against = match i.checked_sub(1).and_then(|p| program.reports.get(p)) {
        Some(p) => format!("the report of {}", p.date),
        None => "the plan".to_string(),
    };
    let links = Links::with_root(base_url.as_str());
    let (all, routine) = ranked_changes(data, &links, i);
    let strip = strip_lines(data, &links, snap);
    let more_changes = all.len().saturating_sub(TOP_CHANGES);
    let mut changes: Vec<String> = all.into_iter().take(TOP_CHANGES).collect();
    changes.extend(routine);
    let decisions = open_decisions(program, snap);
    let chart = gantt::gantt_chart_painted(
        program,
        snap,
        &GanttOptions {
            as_of: snap.as_of,
            team: None,
            max_rows: 60,
            link_prefix: base_url.as_str().to_string(),
        },
        gantt::Paint::Inline,
    );
    let png =
        rasterize(&chart.svg, chart.width, chart.height).map_err(|e| EmailError::Raster(e.0))?;
    Ok(ReportMail {
        program_name: program.meta.name.trim().to_string(),
        date: report.date,
        rag: report.status,
        subject,
        summary: report.summary.trim().to_string(),
        url,
        against,
        strip,
        changes,
        more_changes,
        decisions,
        chart_summary: chart.summary,
        png,
        cid: format!("gantt-{}@tpm-site", report.date),
    })
}

/// The decisions open on the table as of the report (analysis'
/// `DecisionFact::is_open`: escalated by a report so far, or overdue),
/// overdue first, then by `needed_by`, then by id: the same decisions the
/// report page counts.
fn open_decisions(program: &Program, snap: &Snapshot) -> Vec<DecisionLine> {
    let mut out: Vec<(DecisionState, Option<Date>, &str, DecisionLine)> = snap
        .decisions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_open())
        .filter_map(|(ix, f)| {
            let d = program.decisions.get(ix)?;
            Some((
                f.state,
                d.needed_by,
                d.id.as_str(),
                DecisionLine {
                    title: d.title.trim().to_string(),
                    decider: d.decider.trim().to_string(),
                    needed_by: d.needed_by,
                    overdue: f.is_overdue(),
                    recommendation: d.recommendation.trim().to_string(),
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1.is_none(), a.1, a.2).cmp(&(b.0, b.1.is_none(), b.1, b.2)));
    out.into_iter().map(|x| x.3).collect()
}

/// The plain-text and HTML bodies of `mail` for one recipient: greeting,
/// summary, link, top changes, the decisions needed from them (decider matches
/// their role or name) and the other open decisions, the chart.
/// The HTML is the theme's `email.html` (see [`EMAIL_TEMPLATE`]).
pub fn bodies(
    mail: &ReportMail,
    theme: &Theme,
    name: &str,
    role: &str,
) -> Result<Bodies, EmailError> {
    let (mine, others): (Vec<&DecisionLine>, Vec<&DecisionLine>) =
        mail.decisions.iter().partition(|d| d.is_for(name, role));
    Ok(Bodies {
        text: text_body(mail, name, role, &mine, &others),
        html: html_body(theme, mail, name, role, &mine, &others)?,
    })
}

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn needed(d: &DecisionLine) -> String {
    match (d.overdue, d.needed_by) {
        (true, Some(by)) => format!("OVERDUE, needed by {by}"),
        (true, None) => "OVERDUE".to_string(),
        (false, Some(by)) => format!("needed by {by}"),
        (false, None) => "no date set".to_string(),
    }
}

fn text_body(
    m: &ReportMail,
    name: &str,
    role: &str,
    mine: &[&DecisionLine],
    others: &[&DecisionLine],
) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "Hello {},", first_name(name));
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "{} — biweekly report {}: {}",
        m.program_name,
        m.date,
        m.rag.as_str().to_uppercase()
    );
    let _ = writeln!(t);
    if !m.strip.is_empty() {
        for l in &m.strip {
            let _ = writeln!(t, "{}: {}", l.label, l.text);
        }
        let _ = writeln!(t);
    }
    if !m.summary.is_empty() {
        let _ = writeln!(t, "{}", m.summary);
        let _ = writeln!(t);
    }
    let _ = writeln!(t, "Read the full report: {}", m.url);
    let _ = writeln!(t);
    let _ = writeln!(t, "Top changes since {}", m.against);
    for c in &m.changes {
        let _ = writeln!(t, "- {c}");
    }
    if m.more_changes > 0 {
        let _ = writeln!(t, "- and {} more on the report page.", m.more_changes);
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "Decisions needed from you");
    if mine.is_empty() {
        let _ = writeln!(t, "- None this time.");
    }
    for d in mine {
        let _ = writeln!(t, "- {} ({})", d.title, needed(d));
        if !d.recommendation.is_empty() {
            let _ = writeln!(t, "  Recommendation: {}", d.recommendation);
        }
    }
    if !others.is_empty() {
        let _ = writeln!(t);
        let _ = writeln!(t, "Other open decisions");
        for d in others {
            let _ = writeln!(t, "- {} ({}; decider: {})", d.title, needed(d), d.decider);
        }
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "Schedule: {}", m.chart_summary);
    let _ = writeln!(
        t,
        "(The HTML version of this message shows the Gantt chart as an image.)"
    );
    let _ = writeln!(t);
    let _ = writeln!(t, "-- ");
    let who = if role.trim().is_empty() {
        name.trim().to_string()
    } else {
        format!("{}, {}", name.trim(), role.trim())
    };
    let _ = writeln!(
        t,
        "You receive this report as a stakeholder of {} ({who}).",
        m.program_name
    );
    t
}

/// One decision as the e-mail template shows it.
#[derive(Serialize)]
struct DecisionView<'a> {
    title: &'a str,
    /// "OVERDUE, needed by 2027-02-01", "needed by …", "no date set".
    needed: String,
    overdue: bool,
    recommendation: &'a str,
    decider: &'a str,
}

/// What `email.html` is given for one recipient.
#[derive(Serialize)]
struct HtmlView<'a> {
    subject: &'a str,
    first_name: &'a str,
    /// The recipient's name and role, trimmed (the role may be empty).
    name: &'a str,
    role: &'a str,
    program_name: &'a str,
    date: String,
    /// `green`, `amber` or `red`.
    rag: &'static str,
    /// `GREEN`, `AMBER` or `RED`.
    rag_label: String,
    summary: &'a str,
    url: &'a str,
    against: &'a str,
    changes: &'a [String],
    more_changes: usize,
    mine: Vec<DecisionView<'a>>,
    others: Vec<DecisionView<'a>>,
    cid: &'a str,
    chart_summary: &'a str,
    /// The PNG's width in pixels.
    png_width: u32,
    /// The top strip, as on the report page.
    strip: Vec<StripView<'a>>,
}

/// One line of the top strip for the template: its paragraphs of parts
/// (text, absolute link, emphasis), escaped by the template.
#[derive(Serialize)]
struct StripView<'a> {
    label: &'static str,
    paragraphs: &'a [Vec<Part>],
}

fn decision_views<'a>(ds: &[&'a DecisionLine]) -> Vec<DecisionView<'a>> {
    ds.iter()
        .map(|d| DecisionView {
            title: &d.title,
            needed: needed(d),
            overdue: d.overdue,
            recommendation: &d.recommendation,
            decider: &d.decider,
        })
        .collect()
}

/// The HTML part: the theme's `email.html`, autoescaped like every page.
fn html_body(
    theme: &Theme,
    m: &ReportMail,
    name: &str,
    role: &str,
    mine: &[&DecisionLine],
    others: &[&DecisionLine],
) -> Result<String, EmailError> {
    let view = HtmlView {
        subject: &m.subject,
        first_name: first_name(name),
        name: name.trim(),
        role: role.trim(),
        program_name: &m.program_name,
        date: m.date.to_string(),
        rag: m.rag.as_str(),
        rag_label: m.rag.as_str().to_uppercase(),
        summary: &m.summary,
        url: &m.url,
        against: &m.against,
        changes: &m.changes,
        more_changes: m.more_changes,
        mine: decision_views(mine),
        others: decision_views(others),
        cid: &m.cid,
        chart_summary: &m.chart_summary,
        png_width: m.png.width,
        strip: m
            .strip
            .iter()
            .map(|l| StripView {
                label: l.label,
                paragraphs: &l.paragraphs,
            })
            .collect(),
    };
    theme
        .render_view(EMAIL_TEMPLATE, &view)
        .map_err(EmailError::Template)
}

/// The whole message for one recipient: `From`, `To`, subject, date, a
/// stable `Message-ID`, and the text, HTML and inline PNG parts.
pub fn message(
    mail: &ReportMail,
    theme: &Theme,
    to: Recipient,
    from: &Mailbox,
    date: SystemTime,
    message_id: &str,
) -> Result<Message, EmailError> {
    header_safe("recipient's name", to.name)?;
    header_safe("subject", &mail.subject)?;
    header_safe("message id", message_id)?;
    if let Some(n) = &from.name {
        header_safe("sender's name", n)?;
    }
    let address: lettre::Address = to
        .address
        .trim()
        .parse()
        .map_err(|_| EmailError::Address("recipient's address"))?;
    let to_box = Mailbox::new(Some(to.name.trim().to_string()), address);
    let b = bodies(mail, theme, to.name, to.role)?;
    let png = ContentType::parse("image/png").map_err(|e| EmailError::Raster(e.to_string()))?;
    let related = MultiPart::related()
        .singlepart(SinglePart::html(b.html))
        .singlepart(
            Attachment::new_inline_with_name(mail.cid.clone(), format!("gantt-{}.png", mail.date))
                .body(mail.png.bytes.clone(), png),
        );
    let body = MultiPart::alternative()
        .singlepart(SinglePart::plain(b.text))
        .multipart(related);
    Ok(Message::builder()
        .from(from.clone())
        .to(to_box)
        .subject(mail.subject.clone())
        .date(date)
        .message_id(Some(message_id.to_string()))
        .user_agent(format!("tpm-site {}", env!("CARGO_PKG_VERSION")))
        .multipart(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_names_program_date_and_rag() {
        let d: Date = "2027-01-29".parse().unwrap();
        assert_eq!(
            subject("Identity Platform Migration", d, Rag::Amber),
            "[Identity Platform Migration] Biweekly report 2027-01-29 — AMBER"
        );
    }

    #[test]
    fn report_urls_are_absolute() {
        let d: Date = "2027-01-29".parse().unwrap();
        for base in ["https://example.org/p", "https://example.org/p/"] {
            assert_eq!(
                report_url(&BaseUrl::parse(base).unwrap(), d),
                "https://example.org/p/reports/2027-01-29/"
            );
        }
    }

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        assert!(header_safe("name", "Eve\r\nBcc: x@evil.example").is_err());
        assert!(header_safe("name", "Eve\nBcc: x@evil.example").is_err());
        assert!(header_safe("name", "Eve\u{2028}Bcc").is_err());
        assert!(header_safe("name", "Tomás Herrera").is_ok());
    }

    #[test]
    fn deciders_match_role_or_name_in_any_case() {
        let d = DecisionLine {
            title: "t".into(),
            decider: " vp engineering ".into(),
            needed_by: None,
            overdue: false,
            recommendation: String::new(),
        };
        assert!(d.is_for("Dana Whitfield", "VP Engineering"));
        assert!(!d.is_for("Dana Whitfield", "CISO"));
        let e = DecisionLine {
            decider: "Dana Whitfield".into(),
            ..d.clone()
        };
        assert!(e.is_for("dana whitfield", ""));
        let empty = DecisionLine {
            decider: String::new(),
            ..d
        };
        assert!(!empty.is_for("", ""));
    }
}

// ---------------------------------------------------------------------------
// The director's read (issue 14): the report page's top strip and its
// "Since the last report", ranked the same way, as lines of a message.
// ---------------------------------------------------------------------------

/// One line of the top strip: a label and its words, as text (for the
/// plain-text part) and as paragraphs of the page's own parts, with links
/// made absolute, that the theme's `email.html` writes (autoescaped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StripLine {
    /// `State`, `Why`, `Path`, `Slip`, `You owe`.
    pub label: &'static str,
    pub text: String,
    pub paragraphs: Vec<Vec<Part>>,
}

fn parts_text(parts: &[Part]) -> String {
    parts.iter().map(|p| p.text.as_str()).collect()
}

fn plain(text: impl Into<String>) -> Part {
    Part {
        text: text.into(),
        href: None,
        badge: None,
        strong: false,
    }
}

/// The report's top strip ([`top_strip`]) as lines; empty without a story.
fn strip_lines(data: &SiteData, links: &Links, snap: &Snapshot) -> Vec<StripLine> {
    let v = Viewer::new(data, snap, links);
    let Some(t) = top_strip(&v, snap) else {
        return Vec::new();
    };
    // As the page's strip says it (components.html `top_strip`).
    let mut state = vec![plain(format!("{} · Forecast {}", t.rag.label, t.verdict))];
    let relation = match &t.late_at {
        Some(at) => {
            state.push(plain(" at "));
            state.push(Part {
                text: at.milestone.clone(),
                href: Some(at.href.clone()),
                badge: None,
                strong: false,
            });
            at.end_relation.as_str()
        }
        None => "committed",
    };
    state.push(plain(format!(
        " · end {}, {relation} {}",
        t.forecast_end, t.committed_end
    )));
    let mut out = vec![StripLine {
        label: "State",
        text: parts_text(&state),
        paragraphs: vec![state],
    }];
    for (label, parts) in [("Why", &t.why), ("Path", &t.path), ("Slip", &t.slip)] {
        out.push(StripLine {
            label,
            text: parts_text(parts),
            paragraphs: vec![parts.clone()],
        });
    }
    let mut text = Vec::new();
    let mut paragraphs = Vec::new();
    for d in &t.decisions {
        let rec = d
            .recommendation
            .as_deref()
            .map(|r| format!(" Recommended: {r}"))
            .unwrap_or_default();
        text.push(format!("{} — {}, {}.{rec}", d.title, d.decider, d.when));
        paragraphs.push(vec![
            Part {
                text: d.title.clone(),
                href: Some(d.href.clone()),
                badge: None,
                strong: true,
            },
            plain(format!(" — {}, {}.{rec}", d.decider, d.when)),
        ]);
    }
    if t.decisions_more > 0 {
        let more = format!("{} more decisions owed.", t.decisions_more);
        paragraphs.push(vec![plain(more.clone())]);
        text.push(more);
    }
    if text.is_empty() {
        text.push("No decision is waiting.".to_string());
        paragraphs.push(vec![plain("No decision is waiting.")]);
    }
    out.push(StripLine {
        label: "You owe",
        text: text.join(" | "),
        paragraphs,
    });
    out
}

/// "Since the last report" in words, ranked as the report page ranks it
/// (the end, the path, slips, risks, decisions, milestones, statuses), the
/// routine status changes counted on one last line.
fn ranked_changes(data: &SiteData, links: &Links, i: usize) -> (Vec<String>, Option<String>) {
    let Some(view) = since(data, links, i) else {
        return (Vec::new(), None);
    };
    let out: Vec<String> = view
        .groups
        .iter()
        .flat_map(|g| g.lines.iter().map(|l| parts_text(&l.parts)))
        .collect();
    (out, view.routine_label.map(|l| format!("{l}.")))
}
