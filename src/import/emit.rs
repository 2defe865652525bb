//! A resolved plan as the text of content files: `program.yaml`,
//! `teams.yaml`, one `deliverables/<group>.yaml` per summary task, section or
//! team, `milestones.yaml`, and the status as a first report. Every file
//! starts with the [`MARK`] comment, so a later `import --force` knows it may
//! replace it. Dates on non-working days are moved as the content format
//! moves them, with a warning located in the source.

use std::collections::HashMap;
use std::fmt::Write;

use jiff::civil::Date;

use super::{Diagnostics, LinkType, MARK, Resolved, Task, text};
use crate::model::{Calendar, Status};

/// The program's dates as chosen (the caller decides between the source's,
/// the flags and the plan's extremes).
#[derive(Clone, Copy, Debug)]
pub struct ProgramDates {
    pub start: Date,
    pub end: Date,
    /// The date of the status report, when there is one to write.
    pub as_of: Option<Date>,
}

/// The content files, by path relative to the content folder, in the order
/// they are written.
#[derive(Clone, Debug, Default)]
pub struct Emitted {
    pub files: Vec<(String, String)>,
    pub teams: usize,
    pub deliverables: usize,
    pub milestones: usize,
    pub groups: usize,
    /// The report's path, when status was carried over.
    pub report: Option<String>,
    /// The program's start and end as written: moved to working days.
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// Whether a file's text starts with the mark import puts on what it writes
/// (on its first line, or the second after a front matter's `---`).
pub fn is_import_written(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    text.lines().take(2).any(|l| l.starts_with(MARK))
}

/// A YAML scalar: plain when it cannot be misread, else double-quoted (JSON
/// string syntax, which YAML reads the same).
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.len() <= 200
        && s.chars().next().is_some_and(|c| c.is_alphanumeric())
        && s.chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == ')' || c == '.')
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')' | '/' | '&' | '+')
        })
        && !s.contains("  ")
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
        && !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && !looks_like_date(s);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn looks_like_date(s: &str) -> bool {
    s.len() >= 8 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.as_bytes()[4] == b'-'
}

fn header(r: &Resolved) -> String {
    format!(
        "{MARK} from {} ({}). `tpm-site import --force` replaces this file; delete this line to keep your edits.\n",
        r.plan.source,
        r.plan.format.name()
    )
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The key a task's team is known by, and the group (file) it goes to.
fn team_key(t: &Task) -> &str {
    t.team
        .as_deref()
        .or(t.group.as_deref())
        .unwrap_or("unassigned")
}

fn group_key(t: &Task) -> &str {
    t.group
        .as_deref()
        .or(t.team.as_deref())
        .unwrap_or("deliverables")
}

/// Writes the plan as content files.
pub fn emit(r: &Resolved, dates: &ProgramDates, diags: &mut Diagnostics) -> Emitted {
    let plan = &r.plan;
    let cal = Calendar::new(plan.workdays, plan.holidays.iter().copied());
    let head = header(r);
    let mut out = Emitted::default();
    // As the content format reads them: a start on the first working day
    // on or after it, an end on the last working day on or before it.
    let start = cal.date(cal.on_or_after(dates.start));
    let end = cal.date(cal.on_or_before(dates.end)).max(start);
    out.start = Some(start);
    out.end = Some(end);

    // program.yaml
    let mut p = head.clone();
    let name = plan.name.clone().unwrap_or_else(|| {
        let stem = plan
            .source
            .rsplit_once('.')
            .map_or(&*plan.source, |(s, _)| s);
        stem.to_string()
    });
    let _ = writeln!(p, "name: {}", scalar(&name));
    let _ = writeln!(
        p,
        "objective: {}",
        scalar(&format!(
            "Imported from {}: say what the program achieves, by when.",
            plan.source
        ))
    );
    let _ = writeln!(p, "start: {start}");
    let _ = writeln!(p, "end: {end}");
    let _ = writeln!(p, "calendar:");
    if plan.workdays == [true; 7] {
        let _ = writeln!(p, "  workdays: all");
    } else {
        let days: Vec<&str> = (0..7)
            .filter(|&k| plan.workdays[k])
            .map(|k| DAYS[k])
            .collect();
        let _ = writeln!(p, "  workdays: [{}]", days.join(", "));
    }
    if !plan.holidays.is_empty() {
        let mut h = plan.holidays.clone();
        h.sort();
        h.dedup();
        let list: Vec<String> = h.iter().map(Date::to_string).collect();
        let _ = writeln!(p, "  holidays: [{}]", list.join(", "));
    }
    out.files.push(("program.yaml".into(), p));

    // teams.yaml
    let mut teams: Vec<(String, String)> = Vec::new();
    let mut team_ids: HashMap<&str, String> = HashMap::new();
    for t in plan.tasks.iter().filter(|t| !is_milestone(t)) {
        let key = team_key(t);
        if team_ids.contains_key(key) {
            continue;
        }
        let id = text::slug(key);
        team_ids.insert(key, id.clone());
        if !teams.iter().any(|(i, _)| *i == id) {
            teams.push((id, key.to_string()));
        }
    }
    let mut ty = head.clone();
    if teams.is_empty() {
        ty.push_str("[]\n");
    }
    for (id, name) in &teams {
        let _ = writeln!(ty, "- id: {id}\n  name: {}", scalar(name));
    }
    out.teams = teams.len();
    out.files.push(("teams.yaml".into(), ty));

    // deliverables/<group>.yaml
    let mut groups: Vec<(String, String)> = Vec::new();
    let mut group_text: HashMap<String, String> = HashMap::new();
    let mut milestones = String::new();
    for (k, t) in plan.tasks.iter().enumerate() {
        let mut e = String::new();
        let _ = writeln!(e, "# {}:{}", plan.source, t.loc.pos.line);
        let _ = writeln!(e, "- id: {}", r.ids[k]);
        let _ = writeln!(e, "  name: {}", scalar(&t.name));
        if is_milestone(t) {
            if let Some(d) = t.due.or(t.start) {
                let _ = writeln!(e, "  date: {}", snap_back(&cal, d, t, "date", diags));
            }
            write_deps(&mut e, r, t);
            milestones.push_str(&e);
            out.milestones += 1;
            continue;
        }
        let _ = writeln!(e, "  owner: {}", team_ids[team_key(t)]);
        if let Some(p) = &t.dri {
            let _ = writeln!(e, "  dri: {}", scalar(p));
        }
        write_dates(&mut e, &cal, t, diags);
        write_deps(&mut e, r, t);
        let g = group_key(t);
        let file = format!("deliverables/{}.yaml", text::slug(g));
        if !group_text.contains_key(&file) {
            groups.push((file.clone(), g.to_string()));
            group_text.insert(file.clone(), String::new());
        }
        if let Some(s) = group_text.get_mut(&file) {
            s.push_str(&e);
        }
        out.deliverables += 1;
    }
    out.groups = groups.len();
    if groups.is_empty() {
        // The content format wants at least one deliverables file.
        out.files.push((
            "deliverables/deliverables.yaml".into(),
            format!("{head}[]\n"),
        ));
    }
    for (file, name) in groups {
        let body = group_text.remove(&file).unwrap_or_default();
        out.files
            .push((file, format!("{head}# {}\n{body}", name.replace('\n', " "))));
    }
    if out.milestones > 0 {
        out.files
            .push(("milestones.yaml".into(), format!("{head}{milestones}")));
    }

    // The status as a first report.
    let with_status: Vec<usize> = (0..plan.tasks.len())
        .filter(|&k| {
            let t = &plan.tasks[k];
            t.status.is_some() || t.progress.is_some()
        })
        .collect();
    if !with_status.is_empty() {
        match dates.as_of {
            None => {
                for &k in &with_status {
                    let t = &plan.tasks[k];
                    diags
                        .warning(
                            t.status_loc.as_ref().unwrap_or(&t.loc),
                            format!(
                                "the status of `{}` is not carried over: the source has no status date",
                                r.ids[k]
                            ),
                        )
                        .with_hint("give --as-of DATE to write the status as a first report of that date");
                }
            }
            Some(as_of) if as_of < start => {
                let t = &plan.tasks[with_status[0]];
                diags
                    .warning(
                        t.status_loc.as_ref().unwrap_or(&t.loc),
                        format!(
                            "the status of {} tasks is not carried over: the status date {as_of} is before the program start {}",
                            with_status.len(),
                            start
                        ),
                    )
                    .with_hint("give --as-of a date on or after the program start");
            }
            Some(as_of) => {
                let (path, text) = report(r, &with_status, as_of, &head);
                out.report = Some(path.clone());
                out.files.push((path, text));
            }
        }
    }
    out
}

fn is_milestone(t: &Task) -> bool {
    t.milestone || t.duration == Some(0)
}

fn snap_forward(cal: &Calendar, d: Date, t: &Task, what: &str, diags: &mut Diagnostics) -> Date {
    if cal.is_working(d) {
        return d;
    }
    let moved = cal.date(cal.on_or_after(d));
    diags.warning(
        &t.loc,
        format!(
            "`{}`: {what} {d} is not a working day ({}): moved to {moved}",
            t.name,
            format!("{:?}", d.weekday()).to_lowercase()
        ),
    );
    moved
}

fn snap_back(cal: &Calendar, d: Date, t: &Task, what: &str, diags: &mut Diagnostics) -> Date {
    if cal.is_working(d) {
        return d;
    }
    let moved = cal.date(cal.on_or_before(d));
    diags.warning(
        &t.loc,
        format!(
            "`{}`: {what} {d} is not a working day ({}): moved back to {moved}",
            t.name,
            format!("{:?}", d.weekday()).to_lowercase()
        ),
    );
    moved
}

/// Two of start, due and duration, as the content format takes them.
fn write_dates(e: &mut String, cal: &Calendar, t: &Task, diags: &mut Diagnostics) {
    let start = t.start.map(|d| snap_forward(cal, d, t, "start", diags));
    let due = t.due.map(|d| snap_back(cal, d, t, "due date", diags));
    let duration = t.duration.filter(|&d| d > 0);
    match (start, due, duration) {
        (Some(s), due, Some(d)) => {
            let _ = writeln!(e, "  start: {s}\n  duration: {d}d");
            if let Some(due) = due {
                let finish = cal.date(cal.on_or_after(s) + d - 1);
                if finish != due {
                    diags.warning(
                        &t.loc,
                        format!(
                            "`{}`: the due date {due} is not carried over: start {s} and duration {d}d finish on {finish}",
                            t.name
                        ),
                    );
                }
            }
        }
        (Some(s), Some(due), None) if due >= s => {
            let _ = writeln!(e, "  start: {s}\n  due: {due}");
        }
        (None, Some(due), Some(d)) => {
            let _ = writeln!(e, "  due: {due}\n  duration: {d}d");
        }
        (None, None, Some(d)) => {
            let _ = writeln!(e, "  duration: {d}d");
        }
        (None, Some(due), None) => {
            let _ = writeln!(e, "  due: {due}");
        }
        (Some(s), due, None) => {
            diags
                .warning(
                    &t.loc,
                    format!(
                        "`{}` has a start but {}: imported as one working day",
                        t.name,
                        if due.is_some() {
                            "its finish is before it"
                        } else {
                            "no finish or duration"
                        }
                    ),
                )
                .with_hint("give it a due date or a duration in the source");
            let _ = writeln!(e, "  start: {s}\n  duration: 1d");
        }
        (None, None, None) => {
            diags
                .warning(
                    &t.loc,
                    format!(
                        "`{}` has no dates and no duration: imported as one working day",
                        t.name
                    ),
                )
                .with_hint("give it a due date or a duration in the source");
            let _ = writeln!(e, "  duration: 1d");
        }
    }
}

fn write_deps(e: &mut String, r: &Resolved, t: &Task) {
    if t.deps.is_empty() {
        return;
    }
    let _ = writeln!(e, "  depends_on:");
    for d in &t.deps {
        let id = &r.ids[d.on];
        if d.link == LinkType::FinishToStart && d.lag == 0 {
            let _ = writeln!(e, "    - {id}");
        } else {
            let _ = write!(e, "    - {{id: {id}");
            if d.link != LinkType::FinishToStart {
                let _ = write!(e, ", type: {}", d.link.as_str());
            }
            if d.lag != 0 {
                let _ = write!(e, ", lag: {}d", d.lag);
            }
            let _ = writeln!(e, "}}");
        }
    }
}

fn report(r: &Resolved, with_status: &[usize], as_of: Date, head: &str) -> (String, String) {
    let plan = &r.plan;
    let statuses = with_status.iter().filter_map(|&k| plan.tasks[k].status);
    let rag = statuses.fold("green", |rag, s| match (rag, s) {
        (_, Status::Blocked) | ("red", _) => "red",
        (_, Status::AtRisk) | ("amber", _) => "amber",
        _ => rag,
    });
    let mut s = String::from("---\n");
    s.push_str(head);
    let _ = writeln!(s, "date: {as_of}");
    let _ = writeln!(s, "status: {rag}");
    let _ = writeln!(
        s,
        "summary: {}",
        scalar(&format!(
            "Imported from {}: the status and percent complete as of {as_of}.",
            plan.source
        ))
    );
    let _ = writeln!(s, "updates:");
    for &k in with_status {
        let t = &plan.tasks[k];
        let mut fields = Vec::new();
        let status = t.status.or(match t.progress {
            Some(100) => Some(Status::Done),
            Some(0) | None => None,
            Some(_) => Some(Status::OnTrack),
        });
        if let Some(st) = status {
            fields.push(format!("status: {}", st.as_str()));
        }
        if let Some(p) = t.progress {
            fields.push(format!("progress: {p}"));
        }
        if let Some(f) = t.forecast {
            fields.push(format!("forecast: {f}"));
        }
        if fields.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  {}: {{{}}}", r.ids[k], fields.join(", "));
    }
    s.push_str("---\n");
    let _ = writeln!(
        s,
        "The plan was imported from `{}` by `tpm-site import`; this report carries its status as of {as_of}.",
        plan.source
    );
    (format!("reports/{as_of}.md"), s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_yaml_reads_them_back_as_text() {
        assert_eq!(
            scalar("Backend - Thiết kế DB menu"),
            "Backend - Thiết kế DB menu"
        );
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2027-01-04"), "\"2027-01-04\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("x # y"), "\"x # y\"");
        assert_eq!(scalar("- item"), "\"- item\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert!(is_import_written(&format!("{MARK} from x\nname: a\n")));
        assert!(is_import_written(&format!(
            "---\n{MARK} from x\ndate: 2027-01-01\n"
        )));
        assert!(!is_import_written("name: a\n"));
    }
}
