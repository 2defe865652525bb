//! Tables: CSV (the `csv` crate), XLSX (calamine, the first sheet) and Jira's
//! CSV export, read into rows of text cells with their line and column, then
//! into tasks through one header map of case-insensitive synonyms.

use std::collections::HashMap;
use std::sync::Arc;

use super::text::{self, parse_date, parse_duration, parse_percent, parse_status};
use super::{Dep, Diagnostics, Format, LinkType, Loc, Plan, Task};
use crate::diagnostics::did_you_mean;

/// How a table is read.
#[derive(Clone, Copy, Debug, Default)]
pub struct TableOptions {
    /// Jira's CSV export: `Issue key`, `Summary`, `Component/s`,
    /// `Status Category`, `Inward/Outward issue link (Blocks)`.
    pub jira: bool,
}

/// One row: its line (CSV) or row number (XLSX) and its cells.
struct Row {
    line: u32,
    cells: Vec<String>,
}

/// What a column means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Field {
    Id,
    Name,
    Kind,
    Team,
    Group,
    DependsOn,
    /// Jira `Outward issue link (Blocks)`: the issues that depend on this one.
    Blocks,
    Start,
    Due,
    Duration,
    /// Jira's `Original Estimate`, in seconds.
    EstimateSeconds,
    Status,
    StatusCategory,
    Progress,
    Person,
    Forecast,
    /// A column tpm-site computes itself (from its own `deliverables.csv`).
    Computed,
}

/// The header synonyms, compared after [`normalize`].
const SYNONYMS: &[(Field, &[&str])] = &[
    (
        Field::Id,
        &[
            "id",
            "key",
            "task id",
            "uid",
            "unique id",
            "issue key",
            "wbs",
            "#",
        ],
    ),
    (
        Field::Name,
        &[
            "deliverable",
            "deliverable name",
            "task",
            "task name",
            "name",
            "summary",
            "title",
            "item",
        ],
    ),
    (Field::Kind, &["kind", "type", "issue type", "milestone"]),
    (
        Field::Team,
        &[
            "owner",
            "team",
            "owner team",
            "owning team",
            "team name",
            "component",
            "components",
            "component/s",
            "custom field (team)",
            "squad",
        ],
    ),
    (
        Field::Group,
        &[
            "group",
            "section",
            "phase",
            "workstream",
            "stream",
            "epic",
            "summary task",
        ],
    ),
    (
        Field::DependsOn,
        &[
            "depends on",
            "predecessors",
            "predecessor",
            "blocked by",
            "is blocked by",
            "dependencies",
            "dependency",
            "after",
            "inward issue link (blocks)",
        ],
    ),
    (Field::Blocks, &["blocks", "outward issue link (blocks)"]),
    (
        Field::Start,
        &[
            "start",
            "start date",
            "planned start",
            "begin",
            "custom field (start date)",
        ],
    ),
    (
        Field::Due,
        &[
            "deadline",
            "due",
            "due date",
            "finish",
            "finish date",
            "end",
            "end date",
            "planned finish",
            "target date",
        ],
    ),
    (
        Field::Duration,
        &["duration", "days", "length", "working days"],
    ),
    (Field::EstimateSeconds, &["original estimate"]),
    (Field::Status, &["status", "state"]),
    (Field::StatusCategory, &["status category"]),
    (
        Field::Progress,
        &[
            "% complete",
            "percent complete",
            "progress",
            "% done",
            "pct complete",
            "complete",
            "percent",
        ],
    ),
    (
        Field::Person,
        &[
            "dri",
            "assignee",
            "owner person",
            "owner-person",
            "responsible",
            "person",
            "assigned to",
            "resource names",
        ],
    ),
    (
        Field::Forecast,
        &["forecast", "forecast finish", "expected finish"],
    ),
    (
        Field::Computed,
        &[
            "forecast start",
            "late start",
            "late finish",
            "total float",
            "deadline slack",
            "critical",
            "slack",
            "total slack",
        ],
    ),
];

/// A header cell as compared: lowercase, `_` as a space, spaces collapsed,
/// trailing `:` and `*` dropped.
fn normalize(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
    let h: String = h.chars().map(|c| if c == '_' { ' ' } else { c }).collect();
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([':', '*'])
        .trim()
        .to_string()
}

fn field_of(h: &str) -> Option<Field> {
    let n = normalize(h);
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(f, _)| *f)
}

/// A spreadsheet's column letter for a 0-based index (`A`, `Z`, `AA`).
fn column_letter(mut k: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (k % 26) as u8);
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Reads CSV (comma, semicolon or tab separated, detected from the first line).
pub fn read_csv(
    source: &Arc<str>,
    bytes: &[u8],
    opts: TableOptions,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let format = if opts.jira { Format::Jira } else { Format::Csv };
    let plan = Plan::new(source, format);
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or(b"");
    let count = |c: u8| first_line.iter().filter(|&&b| b == c).count();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&c| (count(c), c == b','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line()) as u32;
                let mut cells = Vec::with_capacity(record.len());
                for (k, field) in record.iter().enumerate() {
                    match std::str::from_utf8(field) {
                        Ok(s) => cells.push(s.to_string()),
                        Err(e) => {
                            diags
                                .error(
                                    &plan.loc(line, k as u32 + 1),
                                    format!(
                                        "malformed CSV: column {} is not UTF-8 text (byte {} of the cell)",
                                        column_letter(k),
                                        e.valid_up_to() + 1
                                    ),
                                )
                                .with_hint("save the file as CSV UTF-8");
                            return None;
                        }
                    }
                }
                rows.push(Row { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) as u32;
                diags
                    .error(&plan.loc(line, 1), format!("malformed CSV: {e}"))
                    .with_hint("export the sheet again as CSV");
                return None;
            }
        }
    }
    // An opening quote that is never closed swallows the rest of the file
    // into one cell: the csv crate accepts that, a spreadsheet never writes it.
    if bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        let line = rows.last().map_or(1, |r| r.line);
        diags
            .error(
                &plan.loc(line, 1),
                "malformed CSV: a quoted cell that starts on this line is never closed",
            )
            .with_hint("close the quote (a quote inside a quoted cell is written twice: \"\")");
        return None;
    }
    read_rows(plan, rows, opts, diags)
}

/// Reads the first sheet of an XLSX workbook.
pub fn read_xlsx(source: &Arc<str>, bytes: &[u8], diags: &mut Diagnostics) -> Option<Plan> {
    use calamine::{Data, Reader, Xlsx};
    let mut plan = Plan::new(source, Format::Xlsx);
    let file_loc = plan.loc(0, 0);
    let mut book: Xlsx<_> = match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            diags
                .error(&file_loc, format!("not a readable XLSX workbook: {e}"))
                .with_hint("save the sheet as an Excel workbook (.xlsx), or export it as CSV");
            return None;
        }
    };
    let names = book.sheet_names();
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            diags.error(&file_loc, format!("the first sheet cannot be read: {e}"));
            return None;
        }
        None => {
            diags.error(&file_loc, "the workbook has no sheet");
            return None;
        }
    };
    if let Some(first) = names.first() {
        plan.notes.push(format!("sheet `{first}`"));
    }
    if names.len() > 1 {
        diags
            .warning(
                &file_loc,
                format!(
                    "only the first sheet, `{}`, is read; not carried over: {}",
                    names[0],
                    names[1..]
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_hint("put the plan on the first sheet");
    }
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (r, cells) in range.rows().enumerate() {
        let mut out = vec![String::new(); col0 as usize];
        for c in cells {
            out.push(match c {
                Data::Empty => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Int(i) => i.to_string(),
                Data::Float(f) => {
                    if f.fract() == 0.0 && f.abs() < 1e15 {
                        format!("{}", *f as i64)
                    } else {
                        f.to_string()
                    }
                }
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) if d.is_datetime() => {
                    let (y, m, d, ..) = d.to_ymd_hms_milli();
                    format!("{y:04}-{m:02}-{d:02}")
                }
                Data::DateTime(d) => format!("{}d", d.as_f64()),
                Data::Error(e) => format!("#{e:?}"),
            });
        }
        rows.push(Row {
            line: row0 + r as u32 + 1,
            cells: out,
        });
    }
    read_rows(plan, rows, TableOptions::default(), diags)
}

/// The columns of a header row: each field with the column indices that
/// hold it (Jira repeats `Component/s` and the link columns).
struct Header {
    line: u32,
    columns: HashMap<Field, Vec<usize>>,
    names: Vec<String>,
}

impl Header {
    fn cells<'r>(&self, row: &'r Row, f: Field) -> impl Iterator<Item = (usize, &'r str)> {
        self.columns
            .get(&f)
            .into_iter()
            .flatten()
            .filter_map(|&k| row.cells.get(k).map(|c| (k, c.trim())))
            .filter(|(_, c)| !c.is_empty())
    }

    fn first<'r>(&self, row: &'r Row, f: Field) -> Option<(usize, &'r str)> {
        self.cells(row, f).next()
    }
}

/// Finds the header: the first of the first 20 rows with a name column.
fn find_header(
    plan: &Plan,
    rows: &[Row],
    opts: TableOptions,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let found = rows.iter().take(20).position(|r| {
        r.cells.iter().any(|c| field_of(c) == Some(Field::Name))
            && (!opts.jira || r.cells.iter().any(|c| normalize(c) == "issue key"))
    });
    if found.is_none() {
        let line = rows.first().map_or(1, |r| r.line);
        let wanted = if opts.jira {
            "Jira's export has `Issue key` and `Summary` columns: export with \"Export CSV (all fields)\""
        } else {
            "name a column `Deliverable`, `Task` or `Name` (and optionally `Owner`, `Depends on`, `Start`, `Due`, `Duration`, `Status`, `% complete`)"
        };
        diags
            .error(
                &plan.loc(line, 1),
                "no recognisable header: no row in the first 20 names the task column",
            )
            .with_hint(wanted);
    }
    found
}

fn read_rows(
    mut plan: Plan,
    rows: Vec<Row>,
    opts: TableOptions,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let h = find_header(&plan, &rows, opts, diags)?;
    let header_row = &rows[h];
    let mut header = Header {
        line: header_row.line,
        columns: HashMap::new(),
        names: header_row.cells.clone(),
    };
    for (k, cell) in header_row.cells.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        let mut field = field_of(cell);
        let n = normalize(cell);
        if opts.jira {
            // Jira: `Status Category` is the status; `Status` is the workflow's
            // own word; `Issue id` is internal (links name keys).
            field = match n.as_str() {
                "status" => Some(Field::Status),
                "issue id" | "parent id" => None,
                _ => field,
            };
        }
        match field {
            Some(Field::Computed) => {
                diags.warning(
                    &plan.loc(header.line, k as u32 + 1),
                    format!(
                        "column {} `{}` is not carried over: tpm-site computes it from the plan",
                        column_letter(k),
                        cell.trim()
                    ),
                );
            }
            Some(f) => header.columns.entry(f).or_default().push(k),
            None => {
                diags
                    .warning(
                        &plan.loc(header.line, k as u32 + 1),
                        format!(
                            "column {} `{}` is not carried over: tpm-site has no field for it",
                            column_letter(k),
                            cell.trim()
                        ),
                    )
                    .with_hint("recognised columns: id, deliverable/task/name, kind, owner/team, group/section, depends on/predecessors/blocked by, start, deadline/due/finish, duration, status, % complete, DRI/assignee, forecast");
            }
        }
    }
    // Jira has both: the category is the status, the workflow status is not
    // carried over (the category says the same in three words).
    if header.columns.contains_key(&Field::StatusCategory) {
        if let Some(cols) = header.columns.remove(&Field::Status) {
            for k in cols {
                diags.warning(
                    &plan.loc(header.line, k as u32 + 1),
                    format!(
                        "column {} `{}` is not carried over: the status comes from `Status Category`",
                        column_letter(k),
                        header.names[k].trim()
                    ),
                );
            }
        }
        let cols = header
            .columns
            .remove(&Field::StatusCategory)
            .unwrap_or_default();
        header.columns.insert(Field::Status, cols);
    }
    plan.notes
        .push(format!("header on line {}: {}", header.line, {
            let mut fields: Vec<String> = header
                .columns
                .iter()
                .flat_map(|(f, ks)| ks.iter().map(move |&k| (k, *f)))
                .map(|(k, f)| format!("{} = {f:?}", header.names[k].trim()))
                .collect();
            fields.sort();
            fields.dedup();
            fields.join(", ")
        }));
    let week_len = 5;
    // Pass 1: the tasks, their keys and raw dependency cells.
    let mut raw_deps: Vec<Vec<(usize, String, bool)>> = Vec::new();
    for row in &rows[h + 1..] {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = |k: usize| plan.loc(row.line, k as u32 + 1);
        let Some((_, name)) = header.first(row, Field::Name) else {
            let k = row
                .cells
                .iter()
                .position(|c| !c.trim().is_empty())
                .unwrap_or(0);
            diags
                .warning(&at(k), "row not carried over: it has no name")
                .with_hint("give every task a name");
            continue;
        };
        let mut task = Task {
            name: strip_formula_guard(name).to_string(),
            loc: plan.loc(row.line, 1),
            ..Task::default()
        };
        if let Some((_, id)) = header.first(row, Field::Id) {
            task.source_id = Some(strip_formula_guard(id).to_string());
        }
        if let Some((_, kind)) = header.first(row, Field::Kind) {
            let k = kind.to_ascii_lowercase();
            task.milestone = matches!(k.as_str(), "milestone" | "yes" | "true" | "y" | "1");
        }
        let teams: Vec<&str> = header.cells(row, Field::Team).map(|(_, c)| c).collect();
        if let Some(first) = teams.first() {
            task.team = Some(strip_formula_guard(first).to_string());
            if teams.len() > 1 {
                let k = header.columns[&Field::Team][1];
                diags.warning(
                    &at(k),
                    format!(
                        "only the first team, `{first}`, owns `{}`; not carried over: {}",
                        task.name,
                        teams[1..].join(", ")
                    ),
                );
            }
        }
        if let Some((_, g)) = header.first(row, Field::Group) {
            task.group = Some(strip_formula_guard(g).to_string());
        }
        let date_of = |f: Field, diags: &mut Diagnostics| {
            header.first(row, f).and_then(|(k, c)| match parse_date(c) {
                Ok(d) => Some(d),
                Err(m) => {
                    diags.error(&at(k), m);
                    None
                }
            })
        };
        task.start = date_of(Field::Start, diags);
        task.due = date_of(Field::Due, diags);
        task.forecast = date_of(Field::Forecast, diags);
        if let Some((k, c)) = header.first(row, Field::Duration) {
            match parse_duration(c, week_len, 8.0) {
                Ok(d) => {
                    if let Some(note) = d.rounded {
                        diags.warning(&at(k), note);
                    }
                    task.duration = Some(d.days);
                }
                Err(m) => {
                    diags.error(&at(k), m);
                }
            }
        } else if let Some((k, c)) = header.first(row, Field::EstimateSeconds) {
            match c.parse::<u64>() {
                Ok(secs) => {
                    let days = secs.div_ceil(8 * 3600) as i64;
                    if secs % (8 * 3600) != 0 {
                        diags.warning(
                            &at(k),
                            format!("estimate of {secs} s is not whole 8-hour days: rounded up to {days}d"),
                        );
                    }
                    task.duration = Some(days.max(1));
                }
                Err(_) => {
                    diags.error(&at(k), format!("`{c}` is not an estimate in seconds"));
                }
            }
        }
        if let Some((k, c)) = header.first(row, Field::Status) {
            match parse_status(c) {
                Some(s) => {
                    task.status = Some(s);
                    task.status_loc = Some(at(k));
                }
                None => {
                    diags
                        .warning(
                            &at(k),
                            format!(
                                "status `{c}` is not carried over: not a status tpm-site knows"
                            ),
                        )
                        .with_hint(
                            "use not started, on track (in progress), at risk, blocked or done",
                        );
                }
            }
        }
        if let Some((k, c)) = header.first(row, Field::Progress) {
            match parse_percent(c) {
                Ok(p) => {
                    task.progress = Some(p);
                    task.status_loc.get_or_insert_with(|| at(k));
                }
                Err(m) => {
                    diags.error(&at(k), m);
                }
            }
        }
        if let Some((_, person)) = header.first(row, Field::Person) {
            let person = strip_formula_guard(person).trim();
            if !person.is_empty() {
                task.dri = Some(person.to_string());
            }
        }
        let mut deps = Vec::new();
        for (k, cell) in header.cells(row, Field::DependsOn) {
            deps.push((k, cell.to_string(), false));
        }
        for (k, cell) in header.cells(row, Field::Blocks) {
            deps.push((k, cell.to_string(), true));
        }
        raw_deps.push(deps);
        plan.tasks.push(task);
    }
    // Pass 2: dependencies, by id, name, slug or row number.
    let lookup = Lookup::new(&plan.tasks);
    let mut reversed: Vec<(usize, Dep)> = Vec::new();
    for (t, deps) in raw_deps.into_iter().enumerate() {
        let line = plan.tasks[t].loc.pos.line;
        for (k, cell, blocks) in deps {
            let loc = plan.loc(line, k as u32 + 1);
            for (on, link, lag) in parse_refs(&cell, &lookup, &loc, week_len, diags) {
                let dep = Dep {
                    on,
                    link,
                    lag,
                    loc: loc.clone(),
                };
                if blocks {
                    // `A blocks B`: B depends on A.
                    reversed.push((on, Dep { on: t, ..dep }));
                } else {
                    plan.tasks[t].deps.push(dep);
                }
            }
        }
    }
    for (t, dep) in reversed {
        if !plan.tasks[t].deps.iter().any(|d| d.on == dep.on) {
            plan.tasks[t].deps.push(dep);
        }
    }
    if plan.tasks.is_empty() {
        diags
            .error(
                &plan.loc(header.line, 1),
                "the table has a header but no tasks",
            )
            .with_hint("one row per deliverable under the header");
        return None;
    }
    plan.notes.push(format!("{} rows", plan.tasks.len()));
    Some(plan)
}

/// tpm-site's own CSV export guards text cells that start with `=`, `+`,
/// `-`, `@` with a leading `'` (against formula injection): undo it.
fn strip_formula_guard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// How a table's cells name a task: its id, name (any case), slug, or row
/// number (MS Project's CSV names predecessors by row).
struct Lookup {
    keys: HashMap<String, usize>,
    names: Vec<String>,
}

impl Lookup {
    fn new(tasks: &[Task]) -> Lookup {
        let mut keys = HashMap::new();
        let mut names = Vec::new();
        // Later kinds of key never shadow earlier ones: ids first.
        for (t, task) in tasks.iter().enumerate() {
            if let Some(id) = &task.source_id {
                keys.entry(id.to_lowercase()).or_insert(t);
                names.push(id.clone());
            }
        }
        for (t, task) in tasks.iter().enumerate() {
            keys.entry(task.name.to_lowercase()).or_insert(t);
            keys.entry(text::slug(&task.name)).or_insert(t);
            names.push(task.name.clone());
        }
        Lookup { keys, names }
    }

    fn get(&self, s: &str) -> Option<usize> {
        let s = strip_formula_guard(s.trim());
        self.keys.get(&s.to_lowercase()).copied()
    }
}

/// A reference with an optional MS Project link suffix: `3FS+2 days`,
/// `api SS-1d`, `db FF`.
fn with_link(piece: &str, lookup: &Lookup, week_len: i64) -> Option<(usize, LinkType, i64)> {
    if let Some(t) = lookup.get(piece) {
        return Some((t, LinkType::FinishToStart, 0));
    }
    let upper = piece.to_ascii_uppercase();
    for (i, _) in upper.match_indices(['F', 'S']) {
        let Some(link) = upper.get(i..i + 2).and_then(LinkType::from_abbrev) else {
            continue;
        };
        let rest = piece[i + 2..].trim();
        let lag = if rest.is_empty() {
            0
        } else {
            let (sign, n) = match rest.as_bytes()[0] {
                b'+' => (1, &rest[1..]),
                b'-' => (-1, &rest[1..]),
                _ => continue,
            };
            sign * parse_duration(n.trim(), week_len, 8.0).ok()?.days
        };
        // `3FS+2d` (MS Project), `api SS`, or tpm-site's own `api:SS+3d`.
        if let Some(t) = lookup.get(piece[..i].trim_end().trim_end_matches(':')) {
            return Some((t, link, lag));
        }
    }
    None
}

/// The tasks a dependency cell names: pieces split at `,` and `;`, each a
/// reference (with an optional link suffix), or else words split at spaces.
fn parse_refs(
    cell: &str,
    lookup: &Lookup,
    loc: &Loc,
    week_len: i64,
    diags: &mut Diagnostics,
) -> Vec<(usize, LinkType, i64)> {
    let mut out = Vec::new();
    for (_, piece) in text::split_list(cell) {
        if let Some(r) = with_link(piece, lookup, week_len) {
            out.push(r);
            continue;
        }
        let words = text::split_words(piece, 0);
        let found: Vec<_> = words
            .iter()
            .map(|(_, w)| with_link(w, lookup, week_len))
            .collect();
        if words.len() > 1 && found.iter().all(Option::is_some) {
            out.extend(found.into_iter().flatten());
            continue;
        }
        let d = diags.error(loc, format!("unknown predecessor `{piece}`"));
        match did_you_mean(piece, lookup.names.iter().map(String::as_str)) {
            Some(m) => d.with_hint(format!("did you mean `{m}`?")),
            None => d.with_hint("name a task of this table by its id or its name"),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_synonyms_in_any_case() {
        assert_eq!(field_of("Depends On"), Some(Field::DependsOn));
        assert_eq!(field_of("depends_on"), Some(Field::DependsOn));
        assert_eq!(field_of(" % Complete "), Some(Field::Progress));
        assert_eq!(field_of("Blocked by:"), Some(Field::DependsOn));
        assert_eq!(field_of("planned_finish"), Some(Field::Due));
        assert_eq!(field_of("DRI"), Some(Field::Person));
        assert_eq!(field_of("Colour"), None);
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }
}
