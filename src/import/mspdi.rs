//! MS Project XML (MSPDI, what "Save As > XML" writes), read with roxmltree.
//!
//! Carried over: the project's name, start, finish and status date; the
//! project calendar's working weekdays and its non-working exceptions (as
//! holidays); tasks with their outline (a summary task is the group its
//! tasks are written under, never a deliverable), milestones, durations
//! (`PT40H0M0S` over the project's minutes per day), start-pinning
//! constraints (Must Start On, Start No Earlier Than) and the start of a task
//! with no predecessor that MS Project did not start with the project
//! (manually scheduled or levelled), `Deadline` as the due date (without one
//! the due date is the planned finish tpm-site computes), percent complete,
//! and predecessor links with their type and lag (`LinkLag` in tenths of a
//! minute). The owner team is the first assigned resource or a text field
//! (`Options::team_field`), else the summary task.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use roxmltree::Node;

use super::{Dep, Diagnostics, Format, LinkType, Loc, Options, Plan, Pos, Task};
use crate::model::Status;

/// The field ids MS Project gives its text fields Text1..Text30.
fn text_field_id(name: &str) -> Option<u32> {
    let n: u32 = name
        .to_ascii_lowercase()
        .strip_prefix("text")?
        .parse()
        .ok()?;
    match n {
        1..=3 => Some(188_743_731 + (n - 1) * 3),
        4 => Some(188_743_740),
        5 => Some(188_743_743),
        6 => Some(188_743_746),
        7..=10 => Some(188_743_747 + (n - 7)),
        11..=30 => Some(188_743_997 + (n - 11)),
        _ => None,
    }
}

fn child<'a>(n: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of<'a>(n: Node<'a, 'a>, name: &str) -> Option<&'a str> {
    child(n, name)
        .and_then(|c| c.text())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn children<'a>(n: Node<'a, 'a>, name: &'a str) -> impl Iterator<Item = Node<'a, 'a>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// `2027-01-04T08:00:00` -> 2027-01-04.
fn date_of(s: &str) -> Option<Date> {
    crate::model::fields::parse_date(s.get(..10)?).ok()
}

/// `PT40H0M0S` (or `P1DT2H`) in minutes.
fn minutes_of(s: &str) -> Option<f64> {
    let s = s.strip_prefix('P')?;
    let (days, time) = match s.split_once('T') {
        Some((d, t)) => (d, t),
        None => (s, ""),
    };
    let mut total = 0.0;
    let mut num = String::new();
    for (part, in_time) in [(days, false), (time, true)] {
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                continue;
            }
            let v: f64 = num.parse().ok()?;
            num.clear();
            total += match (c, in_time) {
                ('D', false) => v * 24.0 * 60.0,
                ('H', true) => v * 60.0,
                ('M', true) => v,
                ('S', true) => v / 60.0,
                _ => return None,
            };
        }
    }
    num.is_empty().then_some(total)
}

pub fn read(
    source: &Arc<str>,
    bytes: &[u8],
    opts: &Options,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let mut plan = Plan::new(source, Format::Mspdi);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32
                + 1;
            diags
                .error(&plan.loc(line, 1), "malformed XML: the file is not UTF-8")
                .with_hint("save the project again as XML (MS Project writes UTF-8)");
            return None;
        }
    };
    let opt = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 20_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, opt) {
        Ok(d) => d,
        Err(e) => {
            let p = e.pos();
            diags
                .error(&plan.loc(p.row, p.col), format!("malformed XML: {e}"))
                .with_hint("save the project again from MS Project as XML");
            return None;
        }
    };
    // Line starts, so a node's position is a binary search (roxmltree's
    // `text_pos_at` scans from the top of the file each time).
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    let at = |n: Node| {
        let offset = n.range().start;
        let line = line_starts.partition_point(|&s| s <= offset).max(1);
        let col = text[line_starts[line - 1]..offset].chars().count() + 1;
        Loc {
            file: source.clone(),
            pos: Pos {
                line: line as u32,
                col: col as u32,
            },
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "Project" {
        diags
            .error(
                &at(root),
                format!(
                    "not an MS Project XML file: the root element is <{}>, not <Project>",
                    root.tag_name().name()
                ),
            )
            .with_hint("in MS Project: File > Save As > XML Format (*.xml)");
        return None;
    }
    plan.name = text_of(root, "Title").or(text_of(root, "Name")).map(|s| {
        s.strip_suffix(".xml")
            .or(s.strip_suffix(".mpp"))
            .unwrap_or(s)
            .to_string()
    });
    plan.start = text_of(root, "StartDate").and_then(date_of);
    plan.end = text_of(root, "FinishDate").and_then(date_of);
    plan.status_date = text_of(root, "StatusDate").and_then(date_of);
    let minutes_per_day: f64 = text_of(root, "MinutesPerDay")
        .and_then(|s| s.parse().ok())
        .filter(|&m: &f64| m > 0.0)
        .unwrap_or(480.0);

    // The project calendar.
    let cal_uid = text_of(root, "CalendarUID");
    if let Some(cals) = child(root, "Calendars") {
        let all: Vec<Node> = children(cals, "Calendar").collect();
        let cal = all
            .iter()
            .find(|c| text_of(**c, "UID") == cal_uid && cal_uid.is_some())
            .or_else(|| {
                all.iter()
                    .find(|c| text_of(**c, "IsBaseCalendar") == Some("1"))
            })
            .copied();
        if let Some(cal) = cal {
            read_calendar(&mut plan, cal, &at, diags);
            plan.notes.push(format!(
                "calendar `{}`",
                text_of(cal, "Name").unwrap_or("Standard")
            ));
        }
    }

    // Resources and assignments (the owner team when chosen or present).
    let mut resources: HashMap<&str, &str> = HashMap::new();
    if let Some(rs) = child(root, "Resources") {
        for r in children(rs, "Resource") {
            if let (Some(uid), Some(name)) = (text_of(r, "UID"), text_of(r, "Name")) {
                resources.insert(uid, name);
            }
        }
    }
    let mut assigned: HashMap<&str, Vec<&str>> = HashMap::new();
    if let Some(asg) = child(root, "Assignments") {
        for a in children(asg, "Assignment") {
            if let (Some(t), Some(r)) = (text_of(a, "TaskUID"), text_of(a, "ResourceUID"))
                && let Some(name) = resources.get(r)
            {
                assigned.entry(t).or_default().push(name);
            }
        }
    }
    // The text field chosen for the team.
    let mut team_field: Option<u32> = None;
    let use_resource = match opts.team_field.as_deref() {
        None => !assigned.is_empty(),
        Some(f) if f.eq_ignore_ascii_case("resource") => true,
        Some(f) => {
            let mut id = text_field_id(f);
            if let Some(defs) = child(root, "ExtendedAttributes") {
                for d in children(defs, "ExtendedAttribute") {
                    let named = text_of(d, "Alias")
                        .into_iter()
                        .chain(text_of(d, "FieldName"))
                        .any(|n| n.eq_ignore_ascii_case(f));
                    if named {
                        id = text_of(d, "FieldID").and_then(|s| s.parse().ok()).or(id);
                    }
                }
            }
            match id {
                Some(id) => team_field = Some(id),
                None => {
                    diags
                        .error(&at(root), format!("--team-field `{f}` is neither `resource`, a text field (Text1..Text30) nor the alias of one"))
                        .with_hint("e.g. --team-field Text1, or the name the project gives that field");
                    return None;
                }
            }
            false
        }
    };
    plan.notes.push(match (use_resource, team_field) {
        (true, _) => "owner team: the first assigned resource (else the summary task)".into(),
        (_, Some(_)) => format!(
            "owner team: the text field `{}` (else the summary task)",
            opts.team_field.as_deref().unwrap_or("")
        ),
        _ => "owner team: the summary task (no resources assigned)".into(),
    });

    let Some(tasks_el) = child(root, "Tasks") else {
        diags
            .error(&at(root), "the project has no <Tasks>")
            .with_hint("save a project with tasks as XML");
        return None;
    };
    // Pass 1: tasks, the outline, and which UIDs are summary tasks.
    let mut by_uid: HashMap<&str, usize> = HashMap::new();
    let mut summary_uids: HashMap<&str, Loc> = HashMap::new();
    let mut outline: Vec<(i64, String)> = Vec::new();
    let mut links: Vec<(usize, Vec<Node>)> = Vec::new();
    let mut summaries = 0;
    for t in children(tasks_el, "Task") {
        let uid = text_of(t, "UID").unwrap_or("");
        let loc = at(t);
        if text_of(t, "IsNull") == Some("1") {
            continue;
        }
        let level: i64 = text_of(t, "OutlineLevel")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let name = text_of(t, "Name").unwrap_or("").to_string();
        if level == 0 || uid == "0" {
            if plan.name.is_none() && !name.is_empty() {
                plan.name = Some(name);
            }
            continue;
        }
        while outline.last().is_some_and(|(l, _)| *l >= level) {
            outline.pop();
        }
        if text_of(t, "Summary") == Some("1") {
            summary_uids.insert(uid, loc.clone());
            if child(t, "PredecessorLink").is_some() {
                diags
                    .warning(&loc, format!("the links of summary task `{name}` are not carried over: tpm-site links deliverables"))
                    .with_hint("link the first or last task of the summary instead");
            }
            outline.push((level, name));
            summaries += 1;
            continue;
        }
        if text_of(t, "Active") == Some("0") {
            diags.warning(&loc, format!("inactive task `{name}` is not carried over"));
            continue;
        }
        let mut task = Task {
            name: if name.is_empty() {
                format!("Task {uid}")
            } else {
                name
            },
            group: outline.last().map(|(_, n)| n.clone()),
            milestone: text_of(t, "Milestone") == Some("1"),
            loc: loc.clone(),
            ..Task::default()
        };
        // The team.
        if use_resource {
            if let Some(names) = assigned.get(uid) {
                task.team = Some(names[0].to_string());
                if names.len() > 1 {
                    diags.warning(
                        &loc,
                        format!("`{}`: only the first resource, `{}`, is the owner team; not carried over: {}", task.name, names[0], names[1..].join(", ")),
                    );
                }
            }
        } else if let Some(fid) = team_field {
            task.team = children(t, "ExtendedAttribute")
                .find(|e| text_of(*e, "FieldID").and_then(|s| s.parse::<u32>().ok()) == Some(fid))
                .and_then(|e| text_of(e, "Value"))
                .map(str::to_string);
        }
        // Duration.
        if let Some(d) = child(t, "Duration") {
            let s = d.text().unwrap_or("").trim();
            match minutes_of(s) {
                Some(m) => {
                    let exact = m / minutes_per_day;
                    let days = exact.ceil() as i64;
                    if (days as f64 - exact).abs() > 1e-6 {
                        diags.warning(&at(d), format!("`{}`: a duration of {exact:.2} working days is rounded up to {days}d", task.name));
                    }
                    if days > 100_000 {
                        diags.error(
                            &at(d),
                            format!(
                                "`{}`: a duration of {days} working days is more than 100,000",
                                task.name
                            ),
                        );
                    } else {
                        task.duration = Some(days);
                    }
                }
                None => {
                    diags
                        .error(&at(d), format!("unparseable duration `{s}`"))
                        .with_hint("MSPDI durations look like PT40H0M0S");
                }
            }
            if let Some(f) = text_of(t, "DurationFormat").and_then(|s| s.parse::<u32>().ok())
                && matches!(f, 4 | 6 | 8 | 10 | 12 | 36 | 38 | 40 | 42 | 44)
            {
                diags.warning(
                    &at(d),
                    format!(
                        "`{}`: an elapsed duration is read as working days",
                        task.name
                    ),
                );
            }
        }
        let dated = |name: &str, diags: &mut Diagnostics| -> Option<Date> {
            let n = child(t, name)?;
            let s = n.text().unwrap_or("").trim();
            match date_of(s) {
                Some(d) => Some(d),
                None => {
                    diags
                        .error(&at(n), format!("unparseable date `{s}` in <{name}>"))
                        .with_hint("MSPDI dates look like 2027-01-04T08:00:00");
                    None
                }
            }
        };
        let start = dated("Start", diags);
        let finish = dated("Finish", diags);
        let constraint_date = dated("ConstraintDate", diags);
        let deadline = dated("Deadline", diags);
        let has_preds = child(t, "PredecessorLink").is_some();
        let constraint = text_of(t, "ConstraintType")
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0);
        match constraint {
            0 => {}
            2 | 4 => task.start = constraint_date.or(start),
            _ => {
                let what = [
                    "As Soon As Possible",
                    "As Late As Possible",
                    "Must Start On",
                    "Must Finish On",
                    "Start No Earlier Than",
                    "Start No Later Than",
                    "Finish No Earlier Than",
                    "Finish No Later Than",
                ]
                .get(constraint as usize)
                .copied()
                .unwrap_or("unknown");
                diags
                    .warning(&loc, format!("`{}`: the constraint \"{what}\" is not carried over: only constraints that pin a start are", task.name))
                    .with_hint("a deadline is carried over as the due date");
            }
        }
        // A task with no predecessor starts with the project, unless MS
        // Project scheduled it later (manually, or by levelling).
        if task.start.is_none() && !has_preds && start.is_some() && start != plan.start {
            task.start = start;
        }
        if task.milestone {
            task.due = deadline
                .or(task.start)
                .or(if has_preds { None } else { finish });
            task.duration = Some(0);
        } else if let Some(d) = deadline {
            task.due = Some(d);
            if task.start.is_some() {
                diags.warning(&loc, format!("`{}`: with a pinned start and a deadline, the duration is not carried over (start to deadline)", task.name));
                task.duration = None;
            }
        }
        let _ = finish;
        if let Some(p) = child(t, "PercentComplete") {
            let s = p.text().unwrap_or("").trim();
            match s.parse::<u8>() {
                Ok(v) if v <= 100 => {
                    if v > 0 {
                        task.progress = Some(v);
                        task.status = Some(if v == 100 {
                            Status::Done
                        } else {
                            Status::OnTrack
                        });
                        task.status_loc = Some(at(p));
                    }
                }
                _ => {
                    diags.error(
                        &at(p),
                        format!("PercentComplete `{s}` is not a number from 0 to 100"),
                    );
                }
            }
        }
        if !uid.is_empty() {
            by_uid.insert(uid, plan.tasks.len());
        }
        links.push((plan.tasks.len(), children(t, "PredecessorLink").collect()));
        plan.tasks.push(task);
    }
    // Pass 2: links.
    for (t, preds) in links {
        for l in preds {
            let loc = at(l);
            let Some(uid) = text_of(l, "PredecessorUID") else {
                diags.error(&loc, "a <PredecessorLink> without <PredecessorUID>");
                continue;
            };
            if text_of(l, "CrossProject") == Some("1") {
                diags.warning(&loc, "a link to another project is not carried over");
                continue;
            }
            let on = match by_uid.get(uid) {
                Some(&on) => on,
                None if summary_uids.contains_key(uid) => {
                    diags
                        .warning(
                            &loc,
                            format!(
                                "`{}`: the link to summary task UID {uid} is not carried over",
                                plan.tasks[t].name
                            ),
                        )
                        .with_hint("link a task of the summary instead");
                    continue;
                }
                None => {
                    diags
                        .error(&loc, format!("unknown predecessor UID {uid}"))
                        .with_hint(
                            "every PredecessorUID must be the UID of a task of this project",
                        );
                    continue;
                }
            };
            let link = match text_of(l, "Type").unwrap_or("1") {
                "0" => LinkType::FinishToFinish,
                "1" => LinkType::FinishToStart,
                "2" => LinkType::StartToFinish,
                "3" => LinkType::StartToStart,
                other => {
                    diags
                        .error(&loc, format!("unknown link type `{other}`"))
                        .with_hint("MSPDI link types: 0 FF, 1 FS, 2 SF, 3 SS");
                    continue;
                }
            };
            let raw_lag: f64 = match text_of(l, "LinkLag").map(str::parse::<f64>) {
                None => 0.0,
                Some(Ok(v)) => v,
                Some(Err(_)) => {
                    diags.error(
                        &loc,
                        "unparseable <LinkLag>: it is a whole number of tenths of a minute",
                    );
                    continue;
                }
            };
            let format = text_of(l, "LagFormat")
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(7);
            let lag = if matches!(format, 19 | 20) {
                diags.warning(
                    &loc,
                    format!(
                        "`{}`: a lag in percent is not carried over",
                        plan.tasks[t].name
                    ),
                );
                0
            } else {
                if matches!(format, 4 | 6 | 8 | 10 | 12) {
                    diags.warning(
                        &loc,
                        format!(
                            "`{}`: an elapsed lag is read as working days",
                            plan.tasks[t].name
                        ),
                    );
                }
                let exact = raw_lag / (10.0 * minutes_per_day);
                let days = exact.round() as i64;
                if (days as f64 - exact).abs() > 1e-6 {
                    diags.warning(
                        &loc,
                        format!(
                            "`{}`: a lag of {exact:.2} working days is rounded to {days}d",
                            plan.tasks[t].name
                        ),
                    );
                }
                days
            };
            plan.tasks[t].deps.push(Dep { on, link, lag, loc });
        }
    }
    if plan.tasks.is_empty() {
        diags.error(
            &at(tasks_el),
            "the project has no tasks (only summary tasks)",
        );
        return None;
    }
    plan.notes.push(format!(
        "{} tasks under {summaries} summary tasks; {} minutes per day",
        plan.tasks.len(),
        minutes_per_day
    ));
    Some(plan)
}

fn read_calendar(plan: &mut Plan, cal: Node, at: &dyn Fn(Node) -> Loc, diags: &mut Diagnostics) {
    let mut exceptions: Vec<(Node, Option<Date>, Option<Date>, bool)> = Vec::new();
    if let Some(wds) = child(cal, "WeekDays") {
        for wd in children(wds, "WeekDay") {
            let working = text_of(wd, "DayWorking") == Some("1");
            match text_of(wd, "DayType").and_then(|s| s.parse::<usize>().ok()) {
                // 1 = Sunday .. 7 = Saturday; tpm-site counts from Monday.
                Some(d @ 1..=7) => plan.workdays[(d + 5) % 7] = working,
                // 0: an exception (the format before MS Project 2007).
                Some(0) => {
                    let tp = child(wd, "TimePeriod");
                    let from = tp.and_then(|p| text_of(p, "FromDate")).and_then(date_of);
                    let to = tp.and_then(|p| text_of(p, "ToDate")).and_then(date_of);
                    exceptions.push((wd, from, to, working));
                }
                _ => {}
            }
        }
    }
    if let Some(ex) = child(cal, "Exceptions") {
        for e in children(ex, "Exception") {
            let tp = child(e, "TimePeriod");
            let from = tp.and_then(|p| text_of(p, "FromDate")).and_then(date_of);
            let to = tp.and_then(|p| text_of(p, "ToDate")).and_then(date_of);
            let working = text_of(e, "DayWorking") == Some("1");
            exceptions.push((e, from, to, working));
        }
    }
    if plan.workdays == [false; 7] {
        diags.warning(
            &at(cal),
            "the calendar has no working weekday: Mon-Fri is used",
        );
        plan.workdays = [true, true, true, true, true, false, false];
    }
    for (node, from, to, working) in exceptions {
        let (Some(from), Some(to)) = (from, to.or(from)) else {
            diags.warning(
                &at(node),
                "a calendar exception without dates is not carried over",
            );
            continue;
        };
        if working {
            diags
                .warning(&at(node), format!("a working exception ({from} to {to}) is not carried over: tpm-site's calendar has working weekdays and holidays only"))
                .with_hint("the days stay non-working");
            continue;
        }
        let mut d = from;
        let mut n = 0;
        while d <= to && n < 3660 {
            if plan.workdays[d.weekday().to_monday_zero_offset() as usize] {
                plan.holidays.push(d);
            }
            n += 1;
            match d.tomorrow() {
                Ok(x) => d = x,
                Err(_) => break,
            }
        }
        if d <= to {
            diags.warning(
                &at(node),
                format!("a non-working exception of more than ten years is cut at {d}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_text_fields() {
        assert_eq!(minutes_of("PT40H0M0S"), Some(2400.0));
        assert_eq!(minutes_of("PT0H0M0S"), Some(0.0));
        assert_eq!(minutes_of("P1DT2H"), Some(1560.0));
        assert_eq!(minutes_of("40 hours"), None);
        assert_eq!(text_field_id("Text1"), Some(188_743_731));
        assert_eq!(text_field_id("text2"), Some(188_743_734));
        assert_eq!(text_field_id("Text10"), Some(188_743_750));
        assert_eq!(text_field_id("Text11"), Some(188_743_997));
        assert_eq!(text_field_id("Text31"), None);
    }
}
