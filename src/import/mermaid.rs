//! Mermaid `gantt` charts (in a Markdown file's ```` ```mermaid ```` block,
//! or a bare `.mmd` file): `title`, `dateFormat`, `excludes` (weekends,
//! weekdays, dates), `inclusiveEndDates`, `section`s, and task lines
//! `Name :tags, id, start, end` with `after` (one or more ids), fixed dates,
//! durations, and the `done`/`active`/`crit`/`milestone` tags.
//!
//! Mermaid's rules as tpm-site reads them: a task without a start follows
//! the task before it; `after a b` waits for the later of `a` and `b`; an
//! end date is exclusive (the task ends the day before) unless
//! `inclusiveEndDates`; with `excludes weekends` a duration counts working
//! days (Mon-Fri), without it every day.

use std::collections::HashMap;
use std::sync::Arc;

use super::text::{parse_date, parse_duration, split_words};
use super::{Dep, Diagnostics, Format, LinkType, Loc, Plan, Task};
use crate::diagnostics::did_you_mean;
use crate::model::Status;

/// A task's start as written: a date, `after` ids, or the task before.
enum Start {
    Date(jiff::civil::Date),
    After(Vec<(String, u32)>),
    Previous,
}

pub fn read(source: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Option<Plan> {
    let mut plan = Plan::new(source, Format::Mermaid);
    let Ok(text) = std::str::from_utf8(bytes) else {
        let line = bytes[..std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
            + 1;
        diags
            .error(&plan.loc(line, 1), "the file is not UTF-8 text")
            .with_hint("save it as UTF-8");
        return None;
    };
    let lines: Vec<&str> = text.lines().collect();
    // The gantt block: inside a ```mermaid fence, or the file itself.
    let mut body: Option<(usize, usize)> = None;
    let mut k = 0;
    let mut fences = 0;
    while k < lines.len() {
        let l = lines[k].trim();
        if l.starts_with("```") && l[3..].trim().eq_ignore_ascii_case("mermaid") {
            let end = (k + 1..lines.len())
                .find(|&j| lines[j].trim().starts_with("```"))
                .unwrap_or(lines.len());
            let first = (k + 1..end).find(|&j| {
                let t = lines[j].trim();
                !t.is_empty() && !t.starts_with("%%")
            });
            if first.is_some_and(|j| lines[j].trim() == "gantt") {
                fences += 1;
                if body.is_none() {
                    body = Some((k + 1, end));
                } else {
                    diags.warning(
                        &plan.loc(k as u32 + 1, 1),
                        "a second gantt chart is not carried over: import reads the first",
                    );
                }
            }
            k = end + 1;
            continue;
        }
        k += 1;
    }
    if fences == 0 {
        let first = lines.iter().position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("%%")
        });
        if first.is_some_and(|j| lines[j].trim() == "gantt") {
            body = Some((0, lines.len()));
        }
    }
    let Some((from, to)) = body else {
        diags
            .error(&plan.loc(1, 1), "no Mermaid gantt chart found")
            .with_hint("the file should hold a ```mermaid block whose first line is `gantt`");
        return None;
    };
    let mut excludes_weekends = false;
    let mut workdays = [true; 7];
    let mut inclusive = false;
    let mut section: Option<String> = None;
    let mut sections = 0;
    // (task, start, end text and its column, line)
    let mut pending: Vec<(Start, Option<(String, u32)>)> = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (j, raw) in lines.iter().enumerate().take(to).skip(from) {
        let line_no = j as u32 + 1;
        let indent = raw.len() - raw.trim_start().len();
        let l = raw.trim();
        let src = plan.source.clone();
        let at = |col: usize| Loc {
            file: src.clone(),
            pos: super::Pos {
                line: line_no,
                col: col as u32 + 1,
            },
        };
        if l.is_empty() || l.starts_with("%%") || l == "gantt" {
            continue;
        }
        let (word, rest) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
        let rest = rest.trim();
        match word {
            "title" => {
                plan.name = Some(rest.to_string());
                continue;
            }
            "dateFormat" => {
                if rest != "YYYY-MM-DD" {
                    diags.warning(
                        &at(indent),
                        format!("dateFormat `{rest}`: dates are read in ISO and the usual spreadsheet forms, not by this pattern"),
                    );
                }
                continue;
            }
            "excludes" => {
                for (off, w) in split_words(&rest.replace(',', " "), 0) {
                    let lw = w.to_ascii_lowercase();
                    if lw == "weekends" {
                        excludes_weekends = true;
                        workdays[5] = false;
                        workdays[6] = false;
                    } else if let Some(k) = [
                        "monday",
                        "tuesday",
                        "wednesday",
                        "thursday",
                        "friday",
                        "saturday",
                        "sunday",
                    ]
                    .iter()
                    .position(|d| *d == lw)
                    {
                        workdays[k] = false;
                    } else {
                        match parse_date(w) {
                            Ok(d) => plan.holidays.push(d),
                            Err(m) => {
                                diags.error(&at(indent + word.len() + 1 + off), m);
                            }
                        }
                    }
                }
                continue;
            }
            "inclusiveEndDates" => {
                inclusive = true;
                continue;
            }
            "section" => {
                section = Some(rest.to_string());
                sections += 1;
                continue;
            }
            "axisFormat" | "tickInterval" | "todayMarker" | "weekday" | "displayMode"
            | "topAxis" | "accTitle" | "accTitle:" | "accDescr" | "accDescr:" | "click"
            | "weekend" => {
                diags.warning(
                    &at(indent),
                    format!(
                        "`{word}` is not carried over: it only changes how Mermaid draws the chart"
                    ),
                );
                continue;
            }
            _ => {}
        }
        let Some(colon) = l.find(':') else {
            diags
                .warning(
                    &at(indent),
                    format!(
                        "line not carried over: `{l}` is not a task (`Name :id, start, duration`)"
                    ),
                )
                .with_hint("a task line is its name, a colon, then its id, start and duration");
            continue;
        };
        let name = l[..colon].trim().to_string();
        let meta_col = indent + colon + 1;
        let mut items: Vec<(usize, &str)> = Vec::new();
        let meta = &l[colon + 1..];
        let mut off = 0;
        for piece in meta.split(',') {
            let lead = piece.len() - piece.trim_start().len();
            items.push((meta_col + off + lead, piece.trim()));
            off += piece.len() + 1;
        }
        let mut task = Task {
            name,
            group: section.clone(),
            loc: at(indent),
            ..Task::default()
        };
        while let Some(&(col, tag)) = items.first() {
            match tag {
                "done" => {
                    task.status = Some(Status::Done);
                    task.progress = Some(100);
                    task.status_loc = Some(at(col));
                }
                "active" => {
                    task.status = Some(Status::OnTrack);
                    task.status_loc = Some(at(col));
                }
                "crit" => {
                    diags.warning(
                        &at(col),
                        format!("`crit` on `{}` is not carried over: tpm-site computes the critical path", task.name),
                    );
                }
                "milestone" => task.milestone = true,
                _ => break,
            }
            items.remove(0);
        }
        let (id, start, end) = match items.as_slice() {
            [end] => (None, None, Some(*end)),
            [start, end] => (None, Some(*start), Some(*end)),
            [id, start, end] => (Some(*id), Some(*start), Some(*end)),
            _ => {
                diags
                    .error(&at(meta_col), format!("`{}` has {} fields after its tags; Mermaid takes 1 to 3 (id, start, end)", task.name, items.len()))
                    .with_hint("write `Name :id, 2027-03-01, 5d` or `Name :id, after other, 5d`");
                continue;
            }
        };
        if let Some((col, id)) = id {
            if id.is_empty() {
                diags.error(&at(col), "an empty task id");
            } else if let Some(&other) = ids.get(id) {
                diags.error(
                    &at(col),
                    format!(
                        "task id `{id}` is used twice (first on line {})",
                        plan.tasks[other].loc.pos.line
                    ),
                );
            } else {
                ids.insert(id.to_string(), plan.tasks.len());
                task.source_id = Some(id.to_string());
            }
        }
        let start = match start {
            None => Start::Previous,
            Some((col, s)) => {
                if let Some(after) = s.strip_prefix("after ") {
                    Start::After(
                        split_words(after, col + 6)
                            .into_iter()
                            .map(|(c, w)| (w.to_string(), c as u32 + 1))
                            .collect(),
                    )
                } else {
                    match parse_date(s) {
                        Ok(d) => Start::Date(d),
                        Err(m) => {
                            diags
                                .error(&at(col), m)
                                .with_hint("a start is a date in the dateFormat, or `after <id>`");
                            Start::Previous
                        }
                    }
                }
            }
        };
        if let Some((col, e)) = end {
            if let Some(until) = e.strip_prefix("until ") {
                diags
                    .warning(
                        &at(col),
                        format!(
                            "`until {until}` is not carried over: `{}` gets one working day",
                            task.name
                        ),
                    )
                    .with_hint("give it a duration, e.g. `5d`");
                task.duration = Some(1);
            } else if let Ok(d) = parse_date(e) {
                // An end date is exclusive unless inclusiveEndDates.
                task.due = if inclusive {
                    Some(d)
                } else {
                    d.yesterday().ok()
                };
            } else {
                match parse_duration(e, 7, 24.0) {
                    Ok(d) => {
                        if let Some(note) = d.rounded {
                            diags.warning(&at(col), note);
                        }
                        task.duration = Some(d.days);
                    }
                    Err(_) => {
                        diags
                            .error(&at(col), format!("`{e}` is neither a date nor a duration"))
                            .with_hint("write a duration like `5d` or `2w`, or an end date");
                    }
                }
            }
        }
        if let Start::Date(d) = start {
            task.start = Some(d);
        }
        pending.push((start, None));
        plan.tasks.push(task);
    }
    // Links, now that every id is known.
    for (t, (start, _)) in pending.iter().enumerate() {
        let line = plan.tasks[t].loc.pos.line;
        match start {
            Start::Date(_) => {}
            Start::Previous => {
                if t == 0 {
                    diags
                        .error(
                            &plan.tasks[t].loc,
                            format!(
                                "`{}` has no start and no task before it",
                                plan.tasks[t].name
                            ),
                        )
                        .with_hint("give the first task a start date");
                } else {
                    let loc = plan.tasks[t].loc.clone();
                    plan.tasks[t].deps.push(Dep {
                        on: t - 1,
                        link: LinkType::FinishToStart,
                        lag: 0,
                        loc,
                    });
                }
            }
            Start::After(list) => {
                let mut deps = Vec::new();
                for (id, col) in list {
                    let loc = Loc {
                        file: plan.source.clone(),
                        pos: super::Pos { line, col: *col },
                    };
                    match ids.get(id.as_str()) {
                        Some(&on) => deps.push(Dep {
                            on,
                            link: LinkType::FinishToStart,
                            lag: 0,
                            loc,
                        }),
                        None => {
                            let d = diags.error(&loc, format!("unknown predecessor `{id}`"));
                            match did_you_mean(id, ids.keys().map(String::as_str)) {
                                Some(m) => d.with_hint(format!("did you mean `{m}`?")),
                                None => d.with_hint("`after` names task ids given as the first field after the tags"),
                            };
                        }
                    }
                }
                plan.tasks[t].deps = deps;
            }
        }
    }
    if plan.tasks.is_empty() {
        diags.error(
            &plan.loc(from as u32 + 1, 1),
            "the gantt chart has no tasks",
        );
        return None;
    }
    plan.workdays = workdays;
    if workdays == [false; 7] {
        diags.error(
            &plan.loc(from as u32 + 1, 1),
            "`excludes` leaves no working day in the week",
        );
        return None;
    }
    plan.notes.push(format!(
        "{} tasks in {sections} sections; {}",
        plan.tasks.len(),
        if excludes_weekends {
            "weekends excluded (Mon-Fri working days)"
        } else {
            "every day a working day"
        }
    ));
    Some(plan)
}
