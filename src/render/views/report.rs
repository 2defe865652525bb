//! One report's page, built only from data up to the report: its status
//! table, "Since the last report" (the changes against the previous report
//! or the plan), "Next two weeks", the dependency review and its gaps,
//! decisions and top risks. The changes are computed by
//! `crate::analysis::changes` and every schedule fact by `crate::analysis`;
//! this file picks what the page shows and puts it into words, and computes
//! no schedule facts.

use jiff::civil::Date;
use serde::Serialize;

use super::{
    Badge, DecisionView, DetectedGroup, Headline, ItemRef, ItemRow, Link, Links, RiskRow,
    ScheduleView, TOP_RISKS, TeamRef, Viewer, days, end_verdict, non_empty, plural, rag_badge,
    report_dir, risk_level, schedule_view, slip, status_badge, working_days,
};
use crate::analysis::changes::{self, Changes, Side};
use crate::analysis::checks::rag_disagreements;
use crate::analysis::register::DecisionFact;
use crate::analysis::{self, Snapshot};
use crate::model::{Decision, ItemIx, ItemKind, Program, Report, RiskStatus, Status};
use crate::render::{SiteData, markdown};

/// How many things each group of detected risks names on a report page (the
/// risks page lists them all).
const REPORT_TARGETS: usize = 24;

/// A yes/no answer from a dependency review row.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Flag {
    pub text: &'static str,
    /// `ok`, `bad` or `unknown`.
    pub class: &'static str,
    pub icon: &'static str,
}

/// A dependency review answer, where `good` is the reassuring value.
fn flag(value: Option<bool>, good: bool) -> Flag {
    match value {
        None => Flag {
            text: "Not reviewed",
            class: "unknown",
            icon: "–",
        },
        Some(v) => {
            let text = if v { "Yes" } else { "No" };
            if v == good {
                Flag {
                    text,
                    class: "ok",
                    icon: "✓",
                }
            } else {
                Flag {
                    text,
                    class: "bad",
                    icon: "✕",
                }
            }
        }
    }
}

/// A row of a report's dependency review.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewRow {
    pub from: ItemRef,
    pub to: ItemRef,
    pub provider_on_track: Flag,
    pub contract_changed: Flag,
    pub consumer_ready: Flag,
    pub note: Option<String>,
    pub flagged: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportView {
    pub program_name: String,
    pub date: String,
    /// A draft (shown by `serve` only; `build` never renders drafts).
    pub draft: bool,
    pub headline: Headline,
    /// The director's read, above everything else.
    pub top: Option<super::TopStrip>,
    pub period_from: String,
    pub period_to: String,
    pub previous: Option<Link>,
    /// The date the page's data is as of (the report's date).
    pub data_date: String,
    /// The commit the content was built from, when known.
    pub source_commit: Option<String>,
    /// Why the computed schedule contradicts the declared green or amber (empty: it agrees).
    pub disagreements: Vec<String>,
    pub since: SinceView,
    pub body_html: String,
    pub next: NextView,
    pub reviews: Vec<ReviewRow>,
    /// Cross-team dependencies on an at-risk or blocked provider that no row reviews.
    pub review_gaps: Vec<ReviewGap>,
    /// The report's `decisions` plus every decision raised before and still open.
    pub decisions: Vec<DecisionView>,
    pub decisions_open: usize,
    pub decisions_overdue: usize,
    /// The earliest `needed_by` of the open decisions.
    pub next_needed_by: Option<String>,
    /// The highest-scoring open or mitigating risks as of the report.
    pub top_risks: Vec<RiskRow>,
    pub risks_active: usize,
    /// Items updated, in flight, finished in the period or forecast late.
    pub rows: Vec<ItemRow>,
    pub updated: usize,
    /// Deliverables and milestones in the whole program.
    pub items_total: usize,
    pub schedule: ScheduleView,
    pub chart_summary: String,
    pub detected: Vec<DetectedGroup>,
}

/// The page of report `i`, built only from data up to the report: its own
/// snapshot (and the previous report's, for the changes), the risk register
/// with the patches of reports `..=i`, and decisions as of its date. Later
/// reports never change it.
pub fn report(data: &SiteData, links: &Links, i: usize) -> Option<ReportView> {
    let program = data.program;
    let r = program.reports.get(i)?;
    let snap = data.reports.get(i)?;
    let v = Viewer::new(data, snap, links);
    let prev = i.checked_sub(1).and_then(|p| program.reports.get(p));
    // The status table holds what a reader of this report needs, not the
    // whole program (which the team pages and deliverables.csv carry): the
    // items updated in this report, in flight, finished in its period or
    // forecast to miss a deadline. Bounded by the program's concurrency, so a
    // report page stays the same size however long the program runs.
    let mut updated = vec![false; program.items.len()];
    for u in &r.updates {
        if let Some(x) = updated.get_mut(u.item) {
            *x = true;
        }
    }
    let period_from = prev.map_or(program.meta.start, |p| p.date);
    let shown = |ix: ItemIx| {
        snap.items.get(ix).is_some_and(|s| {
            let done = s.status == Status::Done;
            updated[ix]
                || (!done && (s.forecast_start <= snap.as_of || s.deadline_slack < 0))
                || (done && s.forecast_finish > period_from && s.forecast_finish <= r.date)
        })
    };
    let timeline: Vec<ItemIx> = v
        .timeline(&data.plan.order)
        .into_iter()
        .filter(|&ix| shown(ix))
        .collect();
    let mut rows = Vec::with_capacity(timeline.len());
    for ix in timeline {
        if let Some(mut row) = v.item_row(ix) {
            row.updated = updated[ix];
            rows.push(row);
        }
    }
    // This report's decisions, and those on the table and open as of it
    // (analysis' `DecisionFact::is_open`: escalated before, or overdue).
    let needed: Vec<&Decision> = program
        .decisions
        .iter()
        .zip(&snap.decisions)
        .enumerate()
        .filter(|(ix, (_, f))| r.decisions.contains(ix) || f.is_open())
        .map(|(_, (d, _))| d)
        .collect();
    let decisions = v.decisions(needed, r.date);
    let open: Vec<&DecisionView> = decisions.iter().filter(|d| !d.decided).collect();
    let mut top_risks = v.risk_rows(program.risks.iter().filter(|x| v.risk_active(x)));
    let risks_active = top_risks.len();
    top_risks.truncate(TOP_RISKS);
    Some(ReportView {
        program_name: program.meta.name.clone(),
        date: r.date.to_string(),
        draft: r.draft,
        headline: Headline {
            rag: rag_badge(r.status),
            summary: non_empty(&r.summary),
            report: None,
            date: Some(r.date.to_string()),
        },
        top: super::top_strip(&v, snap),
        period_from: period_from.to_string(),
        period_to: r.date.to_string(),
        previous: prev.map(|p| Link {
            text: format!("Report of {}", p.date),
            href: links.dir(&report_dir(p.date)),
        }),
        data_date: snap.as_of.to_string(),
        // An explicit --source-commit names the whole build; otherwise the
        // report shows the last commit of its own file (permanent).
        source_commit: data.source_commit.clone().or_else(|| r.commit.clone()),
        disagreements: rag_disagreements(program, snap),
        since: since_view(data, &v, i),
        body_html: markdown::to_html(&r.body),
        next: next_view(&v, &snap.decisions, r.date),
        reviews: review_rows(&v, r),
        review_gaps: review_gaps(&v, r),
        decisions_open: open.len(),
        decisions_overdue: open.iter().filter(|d| d.overdue).count(),
        next_needed_by: open.iter().filter_map(|d| d.needed_by.clone()).min(),
        decisions,
        top_risks,
        risks_active,
        updated: updated.iter().filter(|&&x| x).count(),
        items_total: program.items.len(),
        rows,
        schedule: schedule_view(program, snap),
        chart_summary: v.chart_summary(),
        detected: v.detected_groups(REPORT_TARGETS, false),
    })
}

/// The program as planned, before any report: the baseline the first report
/// is compared with.
pub fn plan_snapshot(program: &Program, plan: &analysis::Plan) -> Snapshot {
    analysis::analyze(program, plan, &analysis::plan_state(program))
}

// ---------------------------------------------------------------------------
// "Since the last report"
// ---------------------------------------------------------------------------

/// One piece of a sentence: plain text, emphasised text, a link or a badge.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub href: Option<String>,
    pub badge: Option<Badge>,
    pub strong: bool,
}

impl Part {
    pub(super) fn text(text: impl Into<String>) -> Part {
        Part {
            text: text.into(),
            href: None,
            badge: None,
            strong: false,
        }
    }
    pub(super) fn strong(text: impl Into<String>) -> Part {
        Part {
            strong: true,
            ..Part::text(text)
        }
    }
    pub(super) fn link(l: Link) -> Part {
        Part {
            href: Some(l.href),
            ..Part::text(l.text)
        }
    }
    pub(super) fn badge(b: Badge) -> Part {
        Part {
            badge: Some(b),
            ..Part::text(b.label)
        }
    }
}

/// One line of "Since the last report". `tone` (`bad`, `good`, `neutral`)
/// picks the colour and `icon`; the words say the same.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ChangeLine {
    pub tone: &'static str,
    pub icon: &'static str,
    pub parts: Vec<Part>,
}

fn line(tone: &'static str, parts: Vec<Part>) -> ChangeLine {
    let icon = match tone {
        "bad" => "▼",
        "good" => "▲",
        _ => "•",
    };
    ChangeLine { tone, icon, parts }
}

/// Worse is lower: `bad`, better is higher: `good`.
fn tone_of(delta: i64) -> &'static str {
    match delta {
        d if d < 0 => "bad",
        d if d > 0 => "good",
        _ => "neutral",
    }
}

/// The changes of one kind.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeGroup {
    /// `end`, `status`, `slips`, `path`, `milestones`, `risks`, `decisions`.
    pub key: &'static str,
    pub title: &'static str,
    pub lines: Vec<ChangeLine>,
    /// Further entries, too many to spell out one per line.
    pub more: Vec<Link>,
    pub more_label: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SinceView {
    /// "the report of 2027-01-29" or "the plan".
    pub against: String,
    pub against_href: Option<String>,
    /// Nothing changed at all.
    pub empty: bool,
    /// Ranked by consequence: the end date, the critical path, slips, risks,
    /// decisions (overdue first), milestones, then status changes that are
    /// not routine.
    pub groups: Vec<ChangeGroup>,
    /// The routine status changes (analysis' `StatusFlip::routine`),
    /// collapsed under one counted line.
    pub routine: Vec<ChangeLine>,
    /// "12 routine status changes (work started on track, or finished
    /// without a slip)", when there are any.
    pub routine_label: Option<String>,
}

/// How many slips are spelled out, one per line; the rest are listed compactly.
const SLIP_LINES: usize = 8;

/// The changes from report `i - 1` (for the first report: the plan) to report `i`.
pub fn report_changes(data: &SiteData, i: usize) -> Option<Changes> {
    let program = data.program;
    let after = data.reports.get(i)?;
    let report = program.reports.get(i)?;
    let baseline;
    let (before, escalated): (&Snapshot, &[usize]) = match i.checked_sub(1) {
        Some(p) => (data.reports.get(p)?, &program.reports.get(p)?.decisions),
        None => {
            baseline = plan_snapshot(program, data.plan);
            (&baseline, &[])
        }
    };
    let (risks_before, risks_after) = (&before.register, &after.register);
    Some(changes::changes(
        program,
        &Side {
            snap: before,
            risks: risks_before,
            escalated,
        },
        &Side {
            snap: after,
            risks: risks_after,
            escalated: &report.decisions,
        },
    ))
}

/// "Since the last report" of report `i`, ranked by consequence, with links
/// from `links` (the e-mail's are absolute).
pub fn since(data: &SiteData, links: &Links, i: usize) -> Option<SinceView> {
    let snap = data.reports.get(i)?;
    let v = Viewer::new(data, snap, links);
    Some(since_view(data, &v, i))
}

fn since_view(data: &SiteData, v: &Viewer, i: usize) -> SinceView {
    let program = data.program;
    let (against, against_href) = match i.checked_sub(1).and_then(|p| program.reports.get(p)) {
        Some(p) => (
            format!("the report of {}", p.date),
            Some(v.links.dir(&report_dir(p.date))),
        ),
        None => ("the plan".to_string(), None),
    };
    let Some(c) = report_changes(data, i) else {
        return SinceView {
            against,
            against_href,
            empty: true,
            groups: Vec::new(),
            routine: Vec::new(),
            routine_label: None,
        };
    };
    if c.is_empty() {
        return SinceView {
            against,
            against_href,
            empty: true,
            groups: Vec::new(),
            routine: Vec::new(),
            routine_label: None,
        };
    }
    // Ranked by consequence: what moves the end first, routine last.
    let groups = [
        end_group(v, &c),
        path_group(v, &c),
        slip_group(v, &c, &data.plan.order),
        risk_group(v, &c),
        decision_group(v, &c),
        milestone_group(v, &c),
        status_group(v, &c, false),
    ]
    .into_iter()
    .filter(|g| !g.lines.is_empty())
    .collect();
    let routine = status_group(v, &c, true).lines;
    let routine_label = (!routine.is_empty()).then(|| {
        format!(
            "{} (work started on track, or finished without a slip)",
            plural(
                routine.len(),
                "routine status change",
                "routine status changes"
            )
        )
    });
    SinceView {
        against,
        against_href,
        empty: false,
        groups,
        routine,
        routine_label,
    }
}

fn group(key: &'static str, title: &'static str, lines: Vec<ChangeLine>) -> ChangeGroup {
    ChangeGroup {
        key,
        title,
        lines,
        more: Vec::new(),
        more_label: None,
    }
}

impl Viewer<'_> {
    fn item_part(&self, ix: ItemIx) -> Part {
        match self.item_ref(ix) {
            Some(r) => Part::link(Link {
                text: r.name,
                href: r.href,
            }),
            None => Part::text("?"),
        }
    }

    fn risk_part(&self, ix: usize) -> Part {
        match self.program.risks.get(ix) {
            Some(r) => Part::link(Link {
                text: r.title.clone(),
                href: self.risk_href(r),
            }),
            None => Part::text("?"),
        }
    }

    fn decision_part(&self, ix: usize) -> Part {
        match self.program.decisions.get(ix) {
            Some(d) => Part::link(Link {
                text: d.title.clone(),
                href: format!("{}#decision-{}", self.links.dir("decisions"), d.id),
            }),
            None => Part::text("?"),
        }
    }

    /// Item links separated by commas.
    fn item_list_parts(&self, ixs: &[ItemIx]) -> Vec<Part> {
        let mut out = Vec::new();
        for (k, &ix) in ixs.iter().enumerate() {
            if k > 0 {
                out.push(Part::text(", "));
            }
            out.push(self.item_part(ix));
        }
        out
    }
}

fn end_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let end = v.program.meta.end;
    let (before, after) = (c.end_slack_before, c.end_slack_after);
    let fe_after = c
        .forecast_end_after
        .map(|d| d.to_string())
        .unwrap_or_default();
    let fe_before = c
        .forecast_end_before
        .map(|d| d.to_string())
        .unwrap_or_default();
    let mut lines = Vec::new();
    if before != after || c.forecast_end_before != c.forecast_end_after {
        let delta = after - before;
        let moved = match delta {
            0 => "unchanged".to_string(),
            d if d < 0 => format!("{} lost", working_days(d)),
            d => format!("{} gained", working_days(d)),
        };
        lines.push(line(
            tone_of(delta),
            vec![
                Part::text("Forecast end "),
                Part::strong(fe_after),
                Part::text(format!(
                    ", {}; it was {fe_before}, {}. Float to the committed end {end}: {} → {} working days ({moved}).",
                    end_verdict(after),
                    end_verdict(before),
                    days(before).text,
                    days(after).text,
                )),
            ],
        ));
    } else {
        lines.push(line(
            "neutral",
            vec![
                Part::text("Forecast end unchanged: "),
                Part::strong(fe_after),
                Part::text(format!(", {}.", end_verdict(after))),
            ],
        ));
    }
    group("end", "End date", lines)
}

/// How bad a status is, for the direction of a flip.
fn status_rank(s: Status) -> i64 {
    match s {
        Status::Done => 0,
        Status::OnTrack | Status::NotStarted => 1,
        Status::AtRisk => 2,
        Status::Blocked => 3,
    }
}

/// The status changes that are routine (`routine`) or not.
fn status_group(v: &Viewer, c: &Changes, routine: bool) -> ChangeGroup {
    let mut flips: Vec<_> = c
        .status_flips
        .iter()
        .filter(|f| f.routine == routine)
        .collect();
    let delta = |f: &changes::StatusFlip| status_rank(f.from) - status_rank(f.to);
    // Worse first, then better, then sideways; by id within each.
    flips.sort_by_key(|f| (delta(f).signum() != -1, delta(f).signum() != 1, f.item));
    let lines = flips
        .into_iter()
        .map(|f| {
            line(
                tone_of(delta(f)),
                vec![
                    v.item_part(f.item),
                    Part::text(" went from "),
                    Part::badge(status_badge(f.from)),
                    Part::text(" to "),
                    Part::badge(status_badge(f.to)),
                ],
            )
        })
        .collect();
    group("status", "Status changes", lines)
}

/// Forecast moves: first where they start (nothing upstream moved it the
/// same way), later ones before earlier ones, largest first; then milestones;
/// then everything else in dependency order, so a chain reads from its cause
/// to its end. Slips name the provider that pushed them (from [`changes`]);
/// gains name the provider they follow.
fn slip_group(v: &Viewer, c: &Changes, order: &[ItemIx]) -> ChangeGroup {
    let mut rank = vec![usize::MAX; v.program.items.len()];
    for (pos, &ix) in order.iter().enumerate() {
        if let Some(r) = rank.get_mut(ix) {
            *r = pos;
        }
    }
    let moved = |ix: ItemIx| c.slips.iter().find(|s| s.item == ix).map(|s| s.days);
    // The provider an item moved with: the cause of a slip, or for a gain the
    // provider driving it that gained too.
    let cause = |s: &changes::Slip| -> Option<(ItemIx, i64)> {
        s.cause.or_else(|| {
            let p = v.snap.items.get(s.item)?.pushed_by()?;
            let d = moved(p)?;
            (s.days < 0 && d < 0).then_some((p, d))
        })
    };
    let mut slips: Vec<&changes::Slip> = c.slips.iter().collect();
    slips.sort_by_key(|s| {
        let derived = cause(s).is_some();
        let milestone = v
            .program
            .items
            .get(s.item)
            .is_some_and(|i| i.kind == ItemKind::Milestone);
        let rank = rank.get(s.item).copied().unwrap_or(usize::MAX);
        if derived {
            (1 + u8::from(!milestone), false, 0, rank)
        } else {
            (0, s.days <= 0, -s.days.abs(), rank)
        }
    });
    let mut lines = Vec::new();
    let mut more = Vec::new();
    for s in slips {
        if lines.len() >= SLIP_LINES {
            if let Some(r) = v.item_ref(s.item) {
                more.push(Link {
                    text: format!("{} ({})", r.name, slip(s.days).text),
                    href: r.href,
                });
            }
            continue;
        }
        let mut parts = vec![v.item_part(s.item)];
        match s.days {
            d if d > 0 => {
                parts.push(Part::text(" slipped "));
                parts.push(Part::strong(working_days(d)));
            }
            d if d < 0 => {
                parts.push(Part::text(" moved "));
                parts.push(Part::strong(format!("{} earlier", working_days(d))));
            }
            _ => parts.push(Part::text(" moved within the same working day")),
        }
        parts.push(Part::text(format!(
            " (forecast finish {} → {})",
            s.from, s.to
        )));
        if let Some((p, d)) = cause(s) {
            parts.push(Part::text(if s.days > 0 {
                ", pushed by "
            } else {
                ", following "
            }));
            parts.push(v.item_part(p));
            parts.push(Part::text(format!(
                " ({} working day{})",
                slip(d).text,
                if d.abs() == 1 { "" } else { "s" }
            )));
        }
        lines.push(line(tone_of(-s.days), parts));
    }
    let more_label =
        (!more.is_empty()).then(|| format!("Also moved ({} more, working days):", more.len()));
    ChangeGroup {
        more,
        more_label,
        ..group("slips", "Forecast slips", lines)
    }
}

fn path_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    if !c.joined_critical_path.is_empty() {
        let mut parts = vec![Part::text("Joined the critical path: ")];
        parts.extend(v.item_list_parts(&c.joined_critical_path));
        lines.push(line("bad", parts));
    }
    if !c.left_critical_path.is_empty() {
        let mut parts = vec![Part::text("Left the critical path: ")];
        parts.extend(v.item_list_parts(&c.left_critical_path));
        lines.push(line("neutral", parts));
    }
    let path = &v.snap.critical_path;
    if c.critical_path_changed
        && let (Some(&first), Some(&last)) = (path.first(), path.last())
    {
        let finish = v
            .snap
            .items
            .get(last)
            .map(|s| s.forecast_finish.to_string())
            .unwrap_or_default();
        lines.push(line(
            "neutral",
            vec![
                Part::text(format!(
                    "The critical path now has {} from ",
                    plural(path.len(), "item", "items")
                )),
                v.item_part(first),
                Part::text(" to "),
                v.item_part(last),
                Part::text(format!(", finishing {finish}.")),
            ],
        ));
    }
    group("path", "Critical path", lines)
}

fn milestone_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    for &m in &c.milestones_met {
        let when = v
            .snap
            .items
            .get(m)
            .map(|s| s.forecast_finish.to_string())
            .unwrap_or_default();
        lines.push(line(
            "good",
            vec![v.item_part(m), Part::text(" met, "), Part::strong(when)],
        ));
    }
    for &m in &c.milestones_missed {
        let Some(s) = v.snap.items.get(m) else {
            continue;
        };
        lines.push(line(
            "bad",
            vec![
                v.item_part(m),
                Part::text(" missed its planned date "),
                Part::strong(s.planned_finish.to_string()),
                Part::text(format!("; now forecast {}", s.forecast_finish)),
            ],
        ));
    }
    group("milestones", "Milestones", lines)
}

fn risk_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    for &r in &c.risks_opened {
        let score = v.register().get(r).map_or(0, |s| s.score());
        lines.push(line(
            "bad",
            vec![
                v.risk_part(r),
                Part::text(" opened, score "),
                Part::strong(score.to_string()),
                Part::text(format!(" ({})", risk_level(score).label)),
            ],
        ));
    }
    for &r in &c.risks_closed {
        let occurred = v
            .register()
            .get(r)
            .is_some_and(|s| s.status == RiskStatus::Occurred);
        let mut parts = vec![v.risk_part(r)];
        if occurred {
            parts.push(Part::text(" "));
            parts.push(Part::strong("occurred"));
        } else {
            parts.push(Part::text(" "));
            parts.push(Part::strong("closed"));
        }
        if let Some(note) = v
            .register()
            .get(r)
            .and_then(|s| s.note.as_deref())
            .and_then(non_empty)
        {
            parts.push(Part::text(format!(": {note}")));
        }
        lines.push(line(if occurred { "bad" } else { "good" }, parts));
    }
    for rc in &c.risks_rescored {
        lines.push(line(
            tone_of(i64::from(rc.from_score) - i64::from(rc.to_score)),
            vec![
                v.risk_part(rc.risk),
                Part::text(" re-scored from "),
                Part::text(rc.from_score.to_string()),
                Part::text(" to "),
                Part::strong(rc.to_score.to_string()),
                Part::text(format!(" ({})", risk_level(rc.to_score).label)),
            ],
        ));
    }
    group("risks", "Risks", lines)
}

fn decision_group(v: &Viewer, c: &Changes) -> ChangeGroup {
    let mut lines = Vec::new();
    for &d in &c.decisions_gone_overdue {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let mut parts = vec![
            v.decision_part(d),
            Part::text(" is "),
            Part::strong("overdue"),
        ];
        if let Some(by) = dec.needed_by {
            parts.push(Part::text(format!(": needed by {by}")));
        }
        parts.push(Part::text(format!(", decider {}", dec.decider)));
        lines.push(line("bad", parts));
    }
    for &d in &c.decisions_escalated {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let mut parts = vec![
            Part::text("New: "),
            v.decision_part(d),
            Part::text(", for "),
            Part::strong(dec.decider.clone()),
        ];
        if let Some(by) = dec.needed_by {
            parts.push(Part::text(format!(" by {by}")));
        }
        lines.push(line("neutral", parts));
    }
    for &d in &c.decisions_made {
        let Some(dec) = v.program.decisions.get(d) else {
            continue;
        };
        let mut parts = vec![v.decision_part(d), Part::text(" "), Part::strong("decided")];
        if let Some(on) = dec.decided_on {
            parts.push(Part::text(format!(" on {on}")));
        }
        parts.push(Part::text(format!(" by {}", dec.decider)));
        if let Some(outcome) = non_empty(&dec.outcome) {
            parts.push(Part::text(format!(": {outcome}")));
        }
        lines.push(line("good", parts));
    }
    group("decisions", "Decisions", lines)
}

// ---------------------------------------------------------------------------
// "Next two weeks"
// ---------------------------------------------------------------------------

/// One thing due in the two weeks after a report.
#[derive(Clone, Debug, Serialize)]
pub struct NextEntry {
    pub date: String,
    /// `Starts`, `Finishes`, `Milestone`, `Decision due`.
    pub what: &'static str,
    /// `start`, `finish`, `milestone`, `decision`.
    pub kind: &'static str,
    pub subject: Link,
    pub milestone: bool,
    pub critical: bool,
    pub owner: Option<TeamRef>,
    pub detail: Option<String>,
    /// Later than planned.
    pub late: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct NextView {
    pub from: String,
    pub to: String,
    pub entries: Vec<NextEntry>,
}

/// Days after a report that "Next two weeks" covers.
const NEXT_DAYS: i64 = 14;

/// Items forecast to start or finish, milestones due (planned or forecast)
/// and decisions due in `(date, date + 14 days]`, as of the snapshot.
/// Decisions count once they are on the table and open (`decisions`: the
/// snapshot's facts, parallel to `program.decisions`).
fn next_view(v: &Viewer, decisions: &[DecisionFact], date: Date) -> NextView {
    let until = date
        .checked_add(jiff::Span::new().days(NEXT_DAYS))
        .unwrap_or(date);
    let inside = |d: Date| d > date && d <= until;
    let mut entries: Vec<(Date, u8, NextEntry)> = Vec::new();
    for (ix, (item, s)) in v.program.items.iter().zip(&v.snap.items).enumerate() {
        if s.status == Status::Done {
            continue;
        }
        let Some(r) = v.item_ref(ix) else { continue };
        let subject = Link {
            text: r.name.clone(),
            href: r.href.clone(),
        };
        let owner = item.owner.and_then(|t| v.team_ref(t));
        let late = s.forecast_finish > s.planned_finish;
        let planned = |what: &str, planned: Date, forecast: Date| {
            (planned != forecast).then(|| format!("{what} {planned}"))
        };
        match item.kind {
            ItemKind::Milestone => {
                if inside(s.forecast_finish) || inside(s.planned_finish) {
                    entries.push((
                        s.forecast_finish,
                        0,
                        NextEntry {
                            date: s.forecast_finish.to_string(),
                            what: "Milestone",
                            kind: "milestone",
                            subject,
                            milestone: true,
                            critical: r.critical,
                            owner,
                            detail: planned("planned for", s.planned_finish, s.forecast_finish),
                            late,
                        },
                    ));
                }
            }
            ItemKind::Deliverable => {
                if inside(s.forecast_finish) {
                    entries.push((
                        s.forecast_finish,
                        1,
                        NextEntry {
                            date: s.forecast_finish.to_string(),
                            what: "Finishes",
                            kind: "finish",
                            subject: subject.clone(),
                            milestone: false,
                            critical: r.critical,
                            owner: owner.clone(),
                            detail: planned("planned", s.planned_finish, s.forecast_finish),
                            late,
                        },
                    ));
                }
                if inside(s.forecast_start) {
                    entries.push((
                        s.forecast_start,
                        2,
                        NextEntry {
                            date: s.forecast_start.to_string(),
                            what: "Starts",
                            kind: "start",
                            subject,
                            milestone: false,
                            critical: r.critical,
                            owner,
                            detail: planned("planned", s.planned_start, s.forecast_start),
                            late: s.forecast_start > s.planned_start,
                        },
                    ));
                }
            }
        }
    }
    for (dec, fact) in v.program.decisions.iter().zip(decisions) {
        let Some(by) = dec.needed_by else { continue };
        if inside(by) && fact.is_open() {
            entries.push((
                by,
                3,
                NextEntry {
                    date: by.to_string(),
                    what: "Decision due",
                    kind: "decision",
                    subject: Link {
                        text: dec.title.clone(),
                        href: format!("{}#decision-{}", v.links.dir("decisions"), dec.id),
                    },
                    milestone: false,
                    critical: false,
                    owner: None,
                    detail: Some(format!("decider: {}", dec.decider)),
                    late: false,
                },
            ));
        }
    }
    entries.sort_by(|a, b| (a.0, a.1, &a.2.subject.text).cmp(&(b.0, b.1, &b.2.subject.text)));
    NextView {
        from: date.to_string(),
        to: until.to_string(),
        entries: entries.into_iter().map(|(_, _, e)| e).collect(),
    }
}

// ---------------------------------------------------------------------------
// Dependency review gaps
// ---------------------------------------------------------------------------

/// A cross-team dependency on an at-risk or blocked provider that the
/// report's dependency review does not cover.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewGap {
    pub provider: ItemRef,
    pub provider_team: Option<TeamRef>,
    pub status: Badge,
    pub consumer: ItemRef,
    pub consumer_team: Option<TeamRef>,
    /// Milestones between them, if the dependency goes through any.
    pub via: Vec<ItemRef>,
}

/// Every deliverable provider that is at risk or blocked as of the report,
/// with each not-done deliverable of another team that depends on it
/// (directly or through milestones), where no review row of the report names
/// the provider (or a milestone in between) as `from` and the consumer (or a
/// milestone in between) as `to`.
fn review_gaps(v: &Viewer, r: &Report) -> Vec<ReviewGap> {
    let program = v.program;
    let mut out = Vec::new();
    for (c, consumer) in program.items.iter().enumerate() {
        let Some(c_team) = consumer.owner else {
            continue;
        };
        if v.snap.items.get(c).is_none_or(|s| s.status == Status::Done) {
            continue;
        }
        for (p, via) in providers_with_route(program, c) {
            let (Some(provider), Some(ps)) = (program.items.get(p), v.snap.items.get(p)) else {
                continue;
            };
            if provider.owner.is_none_or(|t| t == c_team)
                || !matches!(ps.status, Status::AtRisk | Status::Blocked)
            {
                continue;
            }
            let reviewed = r.dependencies.iter().any(|row| {
                (row.from == p || via.contains(&row.from)) && (row.to == c || via.contains(&row.to))
            });
            if reviewed {
                continue;
            }
            let (Some(pr), Some(cr)) = (v.item_ref(p), v.item_ref(c)) else {
                continue;
            };
            out.push(ReviewGap {
                provider: pr,
                provider_team: provider.owner.and_then(|t| v.team_ref(t)),
                status: status_badge(ps.status),
                consumer: cr,
                consumer_team: v.team_ref(c_team),
                via: v.item_refs(&via),
            });
        }
    }
    out.sort_by(|a, b| (&a.provider.id, &a.consumer.id).cmp(&(&b.provider.id, &b.consumer.id)));
    out
}

/// The deliverable providers of `ix`, looking through milestones, each with
/// the milestones on the way (the first route found, in id order).
fn providers_with_route(program: &Program, ix: ItemIx) -> Vec<(ItemIx, Vec<ItemIx>)> {
    let mut out: Vec<(ItemIx, Vec<ItemIx>)> = Vec::new();
    let mut seen = vec![false; program.items.len()];
    let mut stack: Vec<(ItemIx, Vec<ItemIx>)> = program
        .items
        .get(ix)
        .map(|i| {
            i.depends_on
                .iter()
                .rev()
                .map(|&p| (p, Vec::new()))
                .collect()
        })
        .unwrap_or_default();
    while let Some((p, via)) = stack.pop() {
        match seen.get_mut(p) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        match program.items.get(p) {
            Some(item) if item.kind == ItemKind::Milestone => {
                for &q in item.depends_on.iter().rev() {
                    let mut route = via.clone();
                    route.push(p);
                    stack.push((q, route));
                }
            }
            Some(_) => out.push((p, via)),
            None => {}
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

fn review_rows(v: &Viewer, r: &Report) -> Vec<ReviewRow> {
    r.dependencies
        .iter()
        .filter_map(|d| {
            Some(ReviewRow {
                from: v.item_ref(d.from)?,
                to: v.item_ref(d.to)?,
                provider_on_track: flag(d.provider_on_track, true),
                contract_changed: flag(d.contract_changed, false),
                consumer_ready: flag(d.consumer_ready, true),
                note: non_empty(&d.note),
                flagged: d.provider_on_track == Some(false) || d.contract_changed == Some(true),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_lines_carry_a_tone_an_icon_and_words() {
        assert_eq!(tone_of(-2), "bad");
        assert_eq!(tone_of(3), "good");
        assert_eq!(tone_of(0), "neutral");
        let l = line("bad", vec![Part::text("x slipped")]);
        assert_eq!((l.icon, l.tone), ("▼", "bad"));
        assert_eq!(line("good", Vec::new()).icon, "▲");
        let b = Part::badge(status_badge(Status::Blocked));
        assert_eq!(b.text, "Blocked");
        assert!(Part::strong("x").strong);
        assert_eq!(status_rank(Status::Blocked), 3);
        assert!(status_rank(Status::Done) < status_rank(Status::OnTrack));
    }
}
