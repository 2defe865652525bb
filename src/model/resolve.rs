//! From YAML trees to a [`Program`]: every field checked, every id resolved.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use super::fields::{self, Ctx, Fields};
use super::*;
use crate::content::yaml::{Node, Value};
use crate::content::{Content, MarkdownFile, YamlFile};
use crate::diagnostics::{Diagnostics, did_you_mean};

/// How to resolve.
#[derive(Clone, Copy, Debug, Default)]
pub struct ResolveOptions {
    /// Keep `draft: true` reports (serve shows them; build never does).
    pub include_drafts: bool,
}

const PROGRAM_FIELDS: &[&str] = &[
    "name",
    "objective",
    "success_criteria",
    "start",
    "end",
    "calendar",
    "reports",
    "communication",
    "key_risks",
    "site",
];
const CALENDAR_FIELDS: &[&str] = &["workdays", "holidays"];
const CADENCE_FIELDS: &[&str] = &["cadence", "first"];
const COMMUNICATION_FIELDS: &[&str] = &["name", "every", "audience", "owner"];
const SITE_FIELDS: &[&str] = &["title", "base_url", "theme", "cname", "public"];
const TEAM_FIELDS: &[&str] = &["id", "name", "lead", "color"];
const DELIVERABLE_FIELDS: &[&str] = &[
    "id",
    "name",
    "owner",
    "dri",
    "depends_on",
    "start",
    "due",
    "duration",
    "contract",
    "description",
];
const MILESTONE_FIELDS: &[&str] = &["id", "name", "date", "depends_on", "description"];
const RISK_FIELDS: &[&str] = &[
    "id",
    "title",
    "probability",
    "impact",
    "owner",
    "affects",
    "mitigation",
    "status",
    "review_by",
    "raised",
];
const DECISION_FIELDS: &[&str] = &[
    "id",
    "title",
    "risk",
    "options",
    "recommendation",
    "decider",
    "needed_by",
    "status",
    "outcome",
    "decided_on",
];
const REPORT_FIELDS: &[&str] = &[
    "date",
    "status",
    "summary",
    "updates",
    "dependencies",
    "decisions",
    "risks",
    "draft",
    "status_reason",
];
const RISK_UPDATE_FIELDS: &[&str] = &["status", "probability", "impact", "note"];
const UPDATE_FIELDS: &[&str] = &["status", "progress", "forecast", "note"];
const REVIEW_FIELDS: &[&str] = &[
    "from",
    "to",
    "provider_on_track",
    "contract_changed",
    "consumer_ready",
    "note",
];
const PAGE_FIELDS: &[&str] = &["title"];
const STAKEHOLDER_FIELDS: &[&str] = &["name", "email", "role", "teams"];

/// Every field the loader accepts, by where it is written: the first word is
/// the heading of its section in docs/content-format.md (a test checks that
/// the section documents every field).
pub const KNOWN_FIELDS: &[(&str, &[&str])] = &[
    ("program.yaml", PROGRAM_FIELDS),
    ("program.yaml calendar", CALENDAR_FIELDS),
    ("program.yaml reports", CADENCE_FIELDS),
    ("program.yaml communication", COMMUNICATION_FIELDS),
    ("program.yaml site", SITE_FIELDS),
    ("teams.yaml", TEAM_FIELDS),
    ("deliverables/*.yaml", DELIVERABLE_FIELDS),
    ("milestones.yaml", MILESTONE_FIELDS),
    ("risks.yaml", RISK_FIELDS),
    ("decisions.yaml", DECISION_FIELDS),
    ("reports/*.md", REPORT_FIELDS),
    ("reports/*.md updates", UPDATE_FIELDS),
    ("reports/*.md dependencies", REVIEW_FIELDS),
    ("reports/*.md risks", RISK_UPDATE_FIELDS),
    ("pages/*.md", PAGE_FIELDS),
    ("stakeholders.yaml", STAKEHOLDER_FIELDS),
];

/// Which referenced files exist but could not be parsed: references into them
/// are not reported as unknown, since the parse error already says what to fix.
#[derive(Clone, Copy, Default)]
struct Unreadable {
    items: bool,
    risks: bool,
    decisions: bool,
    teams: bool,
}

/// A stable, readable palette for teams without a colour.
const PALETTE: &[&str] = &[
    "#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d",
    "#9333ea", "#ea580c", "#0d9488", "#4f46e5",
];

/// Resolves loaded content into a program. Returns `None` only when there is
/// nothing to build on (no readable `program.yaml`); otherwise a program is
/// returned even when errors were recorded, so later stages can add theirs.
pub fn resolve(
    content: &Content,
    opts: ResolveOptions,
    diags: &mut Diagnostics,
) -> Option<Program> {
    let program_file = match &content.program {
        Some(f) => f,
        None => {
            let file: Arc<str> = "program.yaml".into();
            if !diags.iter().any(|d| d.file == file) {
                diags
                    .file_error(&file, "program.yaml is missing: every content folder needs one")
                    .with_hint("create program.yaml with name, objective, start and end (run `tpm-site new DIR` for an example)");
            }
            return None;
        }
    };
    let meta = resolve_meta(program_file, diags)?;
    let cal = meta.calendar.clone();

    let teams = resolve_teams(
        content.teams.as_ref(),
        content.is_unreadable("teams.yaml"),
        diags,
    );
    let team_ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
    let team_index: HashMap<&str, TeamIx> = team_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();

    // Items: deliverables and milestones share one id space.
    let mut drafts: Vec<DraftItem> = Vec::new();
    if content.deliverables.is_empty() && !content.saw_deliverables_dir {
        diags
            .file_error(&"deliverables".into(), "no deliverables: the folder deliverables/ with at least one .yaml file is required")
            .with_hint("create deliverables/<team>.yaml holding a list of deliverables");
    } else if content.deliverables.is_empty() && !content.any_unreadable_in("deliverables") {
        // (A file that exists but could not be parsed has its own error.)
        diags
            .file_error(&"deliverables".into(), "deliverables/ holds no .yaml file")
            .with_hint("add deliverables/<team>.yaml holding a list of deliverables");
    }
    for f in &content.deliverables {
        read_items(f, ItemKind::Deliverable, &cal, &meta, diags, &mut drafts);
    }
    if let Some(f) = &content.milestones {
        read_items(f, ItemKind::Milestone, &cal, &meta, diags, &mut drafts);
    }
    drafts.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.loc.cmp(&b.loc)));
    let mut unique: Vec<DraftItem> = Vec::with_capacity(drafts.len());
    for d in drafts {
        if let Some(prev) = unique.last().filter(|p| p.id == d.id) {
            diags
                .error(
                    &d.loc,
                    format!(
                        "duplicate id `{}`: already used at {}:{}",
                        d.id, prev.loc.file, prev.loc.pos.line
                    ),
                )
                .with_hint(
                    "deliverable and milestone ids must be unique across all files; rename one",
                );
            continue;
        }
        unique.push(d);
    }
    let item_ids: Vec<&str> = unique.iter().map(|d| d.id.as_str()).collect();
    let item_index: HashMap<&str, ItemIx> = item_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();

    let unreadable = Unreadable {
        items: content.any_unreadable_in("deliverables")
            || content.is_unreadable("milestones.yaml"),
        risks: content.is_unreadable("risks.yaml"),
        decisions: content.is_unreadable("decisions.yaml"),
        teams: content.is_unreadable("teams.yaml"),
    };
    let items_unreadable = unreadable.items;
    let mut items = Vec::with_capacity(unique.len());
    // Items with a `depends_on` entry naming no item: a review row of their
    // edges is not warned about (the error on the entry says what to fix).
    let mut dangling = vec![false; unique.len()];
    for (ix, d) in unique.iter().enumerate() {
        let owner = match &d.owner {
            Some((o, node)) => match team_index.get(o.as_str()) {
                Some(&t) => Some(t),
                None if unreadable.teams => None,
                None => {
                    let loc = Loc {
                        file: d.loc.file.clone(),
                        pos: node.pos,
                    };
                    let hint = suggest(o, &team_ids, "teams.yaml");
                    diags
                        .error(&loc, format!("`{}` is owned by unknown team `{o}`", d.id))
                        .with_hint(hint);
                    None
                }
            },
            None => None,
        };
        let mut depends_on = Vec::with_capacity(d.depends_on.len());
        let mut depends_on_locs = Vec::with_capacity(d.depends_on.len());
        let mut links = Vec::with_capacity(d.depends_on.len());
        for (dep, node, link) in &d.depends_on {
            let loc = Loc {
                file: d.loc.file.clone(),
                pos: node.pos,
            };
            match item_index.get(dep.as_str()) {
                Some(&ix) => {
                    if dep == &d.id {
                        diags
                            .error(&loc, format!("`{}` depends on itself", d.id))
                            .with_hint("remove it from its own depends_on");
                        continue;
                    }
                    if depends_on.contains(&ix) {
                        diags
                            .warning(
                                &loc,
                                format!("`{}` lists `{dep}` twice in depends_on", d.id),
                            )
                            .with_hint("remove the repeated entry");
                        continue;
                    }
                    depends_on.push(ix);
                    depends_on_locs.push((ix, loc));
                    links.push((ix, *link));
                }
                None if items_unreadable => dangling[ix] = true,
                None => {
                    dangling[ix] = true;
                    let hint = suggest(
                        dep,
                        &item_ids,
                        "a deliverables/*.yaml file or milestones.yaml",
                    );
                    diags
                        .error(&loc, format!("`{}` depends on unknown item `{dep}`", d.id))
                        .with_hint(hint);
                }
            }
        }
        depends_on.sort_unstable();
        links.sort_unstable_by_key(|&(ix, _)| ix);
        let links = links.into_iter().map(|(_, l)| l).collect();
        items.push(Item {
            id: d.id.clone(),
            kind: d.kind,
            name: d.name.clone(),
            owner,
            dri: d.dri.clone(),
            depends_on,
            links,
            depends_on_locs,
            plan: d.plan,
            contract: d.contract.clone(),
            description: d.description.clone(),
            loc: d.loc.clone(),
        });
    }

    let mut program = Program {
        meta,
        teams,
        items,
        risks: Vec::new(),
        decisions: Vec::new(),
        reports: Vec::new(),
        pages: Vec::new(),
        stakeholders: Vec::new(),
    };
    program.risks = resolve_risks(content.risks.as_ref(), &program, unreadable, diags);
    program.decisions = resolve_decisions(content.decisions.as_ref(), &program, unreadable, diags);
    resolve_key_risks(program_file, &mut program, unreadable, diags);
    program.reports = resolve_reports(
        &content.reports,
        &program,
        opts,
        unreadable,
        &dangling,
        diags,
    );
    program.pages = resolve_pages(&content.pages, diags);
    program.stakeholders =
        resolve_stakeholders(content.stakeholders.as_ref(), &program, unreadable, diags);
    Some(program)
}

/// "did you mean `x`?" or where the known ids live.
fn suggest(word: &str, known: &[&str], place: &str) -> String {
    match did_you_mean(word, known.iter().copied()) {
        Some(m) => format!("did you mean `{m}`?"),
        None => format!("no such id is defined; define `{word}` in {place}, or fix the spelling"),
    }
}

fn resolve_meta(f: &YamlFile, diags: &mut Diagnostics) -> Option<Meta> {
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let m = Fields::new(&mut ctx, &f.root, "program.yaml", PROGRAM_FIELDS)?;
    let name = m
        .require(&mut ctx, "name", "Identity Platform Migration")
        .and_then(|n| fields::text(&mut ctx, n, "name"));
    let objective = m
        .require(&mut ctx, "objective", "what the program achieves, by when")
        .and_then(|n| fields::text(&mut ctx, n, "objective"));
    let success_criteria = m
        .get("success_criteria")
        .map(|n| fields::text_list(&mut ctx, n, "success_criteria"))
        .unwrap_or_default();
    let start = m
        .require(&mut ctx, "start", "2027-01-04")
        .and_then(|n| fields::date(&mut ctx, n, "start"));
    let end = m
        .require(&mut ctx, "end", "2027-06-30")
        .and_then(|n| fields::date(&mut ctx, n, "end"));

    // Calendar.
    let mut workdays = [true, true, true, true, true, false, false];
    let mut holidays = Vec::new();
    if let Some(c) = m.get("calendar")
        && let Some(cf) = Fields::new(&mut ctx, c, "`calendar`", CALENDAR_FIELDS)
    {
        if let Some(w) = cf.get("workdays")
            && let Some(parsed) = parse_workdays(&mut ctx, w)
        {
            workdays = parsed;
        }
        if let Some(h) = cf.get("holidays") {
            let list: Vec<&Node> = match &h.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![h],
            };
            for n in list {
                if let Some(d) = fields::date(&mut ctx, n, "holidays") {
                    holidays.push(d);
                }
            }
        }
    }
    holidays.sort();
    holidays.dedup();
    let calendar = Calendar::new(workdays, holidays.iter().copied());

    // Cadence.
    let mut cadence = Cadence {
        days: 14,
        text: "2w".into(),
        first: None,
    };
    if let Some(r) = m.get("reports")
        && let Some(rf) = Fields::new(&mut ctx, r, "`reports`", CADENCE_FIELDS)
    {
        if let Some(c) = rf.get("cadence") {
            match fields::text(&mut ctx, c, "cadence")
                .map(|s| (fields::parse_duration(s.trim(), 7), s))
            {
                Some((Some(days), s)) if days > 0 => {
                    cadence = Cadence {
                        days,
                        text: s.trim().to_string(),
                        first: None,
                    }
                }
                Some((_, s)) => ctx.error(
                    c,
                    format!("report `cadence` is `{s}`, not a positive duration"),
                    "write e.g. `2w` (every two weeks) or `7d`",
                ),
                None => {}
            }
        }
        cadence.first = rf
            .get("first")
            .and_then(|n| fields::date(&mut ctx, n, "first"));
    }

    let mut communication = Vec::new();
    if let Some(c) = m.get("communication") {
        match &c.value {
            Value::Seq(rows) => {
                for row in rows {
                    let Some(rf) =
                        Fields::new(&mut ctx, row, "a `communication` row", COMMUNICATION_FIELDS)
                    else {
                        continue;
                    };
                    let get = |ctx: &mut Ctx, k: &str| {
                        rf.get(k)
                            .and_then(|n| fields::text(ctx, n, k))
                            .unwrap_or_default()
                    };
                    let name = rf
                        .require(&mut ctx, "name", "Weekly program sync")
                        .and_then(|n| fields::text(&mut ctx, n, "name"));
                    communication.push(Communication {
                        name: name.unwrap_or_default(),
                        every: get(&mut ctx, "every"),
                        audience: get(&mut ctx, "audience"),
                        owner: get(&mut ctx, "owner"),
                    });
                }
            }
            _ => ctx.error(
                c,
                "`communication` must be a list of rows",
                "write `- { name: ..., every: 1w, audience: ..., owner: ... }`",
            ),
        }
    }

    // Site.
    let mut title = None;
    let mut base_url = None;
    let mut theme = "default".to_string();
    let mut cname = None;
    let mut public = false;
    if let Some(s) = m.get("site")
        && let Some(sf) = Fields::new(&mut ctx, s, "`site`", SITE_FIELDS)
    {
        title = sf
            .get("title")
            .and_then(|n| fields::text(&mut ctx, n, "title"));
        if let Some(n) = sf.get("base_url")
            && let Some(u) = fields::text(&mut ctx, n, "base_url")
        {
            match BaseUrl::parse(&u) {
                Ok(u) => base_url = Some(u),
                Err(e) => ctx.error(
                    n,
                    format!("`site.base_url`: {e}"),
                    "or leave `base_url` out: the site works without it, with relative links",
                ),
            }
        }
        if let Some(n) = sf.get("theme")
            && let Some(t) = fields::id(&mut ctx, n, "theme")
        {
            theme = t;
        }
        if let Some(n) = sf.get("cname")
            && let Some(c) = fields::text(&mut ctx, n, "cname")
        {
            if is_hostname(&c) {
                cname = Some(c);
            } else {
                ctx.error(
                    n,
                    format!("`cname` is `{c}`, not a host name"),
                    "write the bare domain, e.g. `status.example.com`",
                );
            }
        }
        public = sf
            .get("public")
            .and_then(|n| fields::boolean(&mut ctx, n, "public"))
            .unwrap_or(false);
    }

    let (name, objective, start, end) = (name?, objective?, start?, end?);
    let start_w = calendar.on_or_after(start);
    let end_w = calendar.on_or_before(end);
    if end_w < start_w {
        let n = m.get("end").unwrap_or(&f.root);
        ctx.error(
            n,
            format!("program `end` {end} is before its `start` {start}"),
            "the committed end must come after the start",
        );
        return None;
    }
    Some(Meta {
        site: SiteSettings {
            title: title.unwrap_or_else(|| name.clone()),
            base_url,
            theme,
            cname,
            public,
        },
        name,
        objective,
        success_criteria,
        start: calendar.date(start_w),
        end: calendar.date(end_w),
        calendar,
        holidays,
        cadence,
        communication,
        key_risks: Vec::new(),
        loc: ctx.loc(f.root.pos),
    })
}

fn parse_workdays(ctx: &mut Ctx, node: &Node) -> Option<[bool; 7]> {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    match &node.value {
        Value::Str(s) if s == "all" => Some([true; 7]),
        Value::Seq(list) => {
            let mut w = [false; 7];
            for n in list {
                let name = match &n.value {
                    Value::Str(s) => s.to_lowercase(),
                    _ => String::new(),
                };
                let short: String = name.chars().take(3).collect();
                match DAYS.iter().position(|d| *d == short) {
                    Some(i) if name.len() == 3 || name.starts_with(DAYS[i]) => w[i] = true,
                    _ => ctx.error(
                        n,
                        format!("`{}` is not a weekday", fields_display(n)),
                        "use mon, tue, wed, thu, fri, sat, sun",
                    ),
                }
            }
            if w.iter().any(|x| *x) {
                Some(w)
            } else {
                ctx.error(
                    node,
                    "`workdays` names no working day",
                    "list at least one of mon..sun, or write `workdays: all`",
                );
                None
            }
        }
        _ => {
            ctx.error(
                node,
                "`workdays` must be a list of weekdays or `all`",
                "write `workdays: [mon, tue, wed, thu, fri]` or `workdays: all`",
            );
            None
        }
    }
}

fn fields_display(n: &Node) -> String {
    match &n.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        other => other.kind().to_string(),
    }
}

fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
        })
}

/// Top-level list of mappings, or an error explaining the expected shape.
fn list_of<'n>(ctx: &mut Ctx, root: &'n Node, what: &str, example: &str) -> &'n [Node] {
    match &root.value {
        Value::Seq(items) => items,
        Value::Null => &[],
        _ => {
            ctx.error(
                root,
                format!(
                    "{what} must be a YAML list (lines starting with `- `), not {}",
                    root.value.kind()
                ),
                format!("write it as a list: `{example}`"),
            );
            &[]
        }
    }
}

fn resolve_teams(f: Option<&YamlFile>, unreadable: bool, diags: &mut Diagnostics) -> Vec<Team> {
    let Some(f) = f else {
        if unreadable {
            return Vec::new();
        }
        diags
            .file_error(&"teams.yaml".into(), "teams.yaml is missing: every content folder needs one")
            .with_hint("create teams.yaml with a list of `- { id: identity, name: Identity Team, lead: ... }`");
        return Vec::new();
    };
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let mut teams: Vec<Team> = Vec::new();
    for node in list_of(&mut ctx, &f.root, "teams.yaml", "- id: identity") {
        let Some(m) = Fields::new(&mut ctx, node, "a team", TEAM_FIELDS) else {
            continue;
        };
        let Some(id) = m
            .require(&mut ctx, "id", "identity")
            .and_then(|n| fields::id(&mut ctx, n, "id"))
        else {
            continue;
        };
        let what = format!("team `{id}`");
        let m = m.named(what);
        let name = m
            .get("name")
            .and_then(|n| fields::text(&mut ctx, n, "name"))
            .unwrap_or_else(|| id.clone());
        let lead = m
            .get("lead")
            .and_then(|n| fields::text(&mut ctx, n, "lead"))
            .unwrap_or_default();
        let color = match m.get("color") {
            Some(n) => match fields::text(&mut ctx, n, "color").map(|c| (normalize_color(&c), c)) {
                Some((Some(c), _)) => Some(c),
                Some((None, c)) => {
                    ctx.error(
                        n,
                        format!("`color` is `{c}`, not a hex colour"),
                        "write e.g. `color: \"#3b82f6\"` (quoted: # starts a comment)",
                    );
                    None
                }
                None => None,
            },
            None => None,
        };
        let color = color
            .unwrap_or_else(|| PALETTE[(fnv(&id) % PALETTE.len() as u64) as usize].to_string());
        teams.push(Team {
            id,
            name,
            lead,
            color,
            loc: ctx.loc(node.pos),
        });
    }
    // Teams stay in the order teams.yaml lists them: every page shows them so.
    let mut seen: HashMap<String, Loc> = HashMap::with_capacity(teams.len());
    teams.retain(|t| match seen.get(&t.id) {
        Some(first) => {
            diags
                .error(
                    &t.loc,
                    format!(
                        "duplicate team id `{}`: already used at {}:{}",
                        t.id, first.file, first.pos.line
                    ),
                )
                .with_hint("each team needs its own id; rename one");
            false
        }
        None => {
            seen.insert(t.id.clone(), t.loc.clone());
            true
        }
    });
    teams
}

/// Removes repeated ids (sorted input), reporting each repeat.
fn dedup_by_id<T>(
    list: &mut Vec<T>,
    key: impl Fn(&T) -> (&String, &Loc),
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut keep = vec![true; list.len()];
    for i in 1..list.len() {
        let (a, aloc) = key(&list[i - 1]);
        let (b, bloc) = key(&list[i]);
        if a == b {
            keep[i] = false;
            diags
                .error(
                    bloc,
                    format!(
                        "duplicate {what} id `{b}`: already used at {}:{}",
                        aloc.file, aloc.pos.line
                    ),
                )
                .with_hint(format!("each {what} needs its own id; rename one"));
        }
    }
    let mut it = keep.iter();
    list.retain(|_| *it.next().unwrap_or(&true));
}

/// `#abc` / `#aabbcc` (any case) -> `#aabbcc`.
fn normalize_color(c: &str) -> Option<String> {
    let hex = c.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        3 => Some(format!(
            "#{}",
            hex.chars()
                .flat_map(|ch| [ch, ch])
                .collect::<String>()
                .to_lowercase()
        )),
        6 => Some(format!("#{}", hex.to_lowercase())),
        _ => None,
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// An item before ids are resolved.
struct DraftItem {
    id: String,
    kind: ItemKind,
    name: String,
    owner: Option<(String, Node)>,
    dri: Option<String>,
    depends_on: Vec<(String, Node, Link)>,
    plan: PlanSpec,
    contract: Option<String>,
    description: String,
    loc: Loc,
}

fn read_items(
    f: &YamlFile,
    kind: ItemKind,
    cal: &Calendar,
    meta: &Meta,
    diags: &mut Diagnostics,
    out: &mut Vec<DraftItem>,
) {
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let (what, known, example) = match kind {
        ItemKind::Deliverable => ("a deliverable", DELIVERABLE_FIELDS, "- id: auth-api-v2"),
        ItemKind::Milestone => ("a milestone", MILESTONE_FIELDS, "- id: mobile-launch"),
    };
    let file_what = format!("{}", f.file);
    for node in list_of(&mut ctx, &f.root, &file_what, example) {
        let Some(m) = Fields::new(&mut ctx, node, what, known) else {
            continue;
        };
        let Some(id) = m
            .require(&mut ctx, "id", "auth-api-v2")
            .and_then(|n| fields::id(&mut ctx, n, "id"))
        else {
            continue;
        };
        let kind_word = if kind == ItemKind::Deliverable {
            "deliverable"
        } else {
            "milestone"
        };
        let m = m.named(format!("{kind_word} `{id}`"));
        let name = m
            .require(&mut ctx, "name", "User Auth API v2")
            .and_then(|n| fields::text(&mut ctx, n, "name"))
            .unwrap_or_else(|| id.clone());
        let depends_on = m
            .get("depends_on")
            .map(|n| fields::dependency_list(&mut ctx, n, cal.week_len()))
            .unwrap_or_default();
        let description = m
            .get("description")
            .and_then(|n| fields::text(&mut ctx, n, "description"))
            .unwrap_or_default();
        let dri = m
            .get("dri")
            .and_then(|n| fields::text(&mut ctx, n, "dri"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let loc = ctx.loc(node.pos);
        let (owner, plan, contract) = match kind {
            ItemKind::Deliverable => {
                let owner = m
                    .require(&mut ctx, "owner", "identity")
                    .and_then(|n| fields::id(&mut ctx, n, "owner").map(|o| (o, n.clone())));
                let contract = m
                    .get("contract")
                    .and_then(|n| fields::text(&mut ctx, n, "contract"));
                (
                    owner,
                    deliverable_plan(&mut ctx, &m, &id, cal, meta),
                    contract,
                )
            }
            ItemKind::Milestone => {
                let date = m.get("date").and_then(|n| {
                    let d = fields::date(&mut ctx, n, "date")?;
                    Some(snap_finish(&mut ctx, n, &id, "date", d, cal))
                });
                (None, PlanSpec::Milestone { date }, None)
            }
        };
        out.push(DraftItem {
            id,
            kind,
            name,
            owner,
            dri,
            depends_on,
            plan,
            contract,
            description,
            loc,
        });
    }
}

/// Reads start/due/duration and checks which combinations are allowed.
fn deliverable_plan(ctx: &mut Ctx, m: &Fields, id: &str, cal: &Calendar, meta: &Meta) -> PlanSpec {
    let start_node = m.get("start");
    let due_node = m.get("due");
    let start = start_node.and_then(|n| {
        let d = fields::date(ctx, n, "start")?;
        if d < meta.start {
            ctx.warning(
                n,
                format!(
                    "`{id}` starts {d}, before the program starts ({})",
                    meta.start
                ),
                "move the start on or after the program start, or move the program start",
            );
        }
        Some(snap_start(ctx, n, id, d, cal))
    });
    let due = due_node.and_then(|n| {
        let d = fields::date(ctx, n, "due")?;
        Some(snap_finish(ctx, n, id, "due", d, cal))
    });
    let duration = m.get("duration").and_then(|n| {
        let d = fields::duration(ctx, n, "duration", cal.week_len())?;
        if d == 0 {
            ctx.error(
                n,
                format!("`{id}` has duration 0d: only milestones have no duration"),
                "give it at least `1d`, or make it a milestone in milestones.yaml",
            );
            return None;
        }
        Some(d)
    });
    let written = [
        start_node.is_some(),
        due_node.is_some(),
        m.get("duration").is_some(),
    ];
    match written {
        [false, false, false] => ctx.error(
            m.node,
            format!("deliverable `{id}` has no dates: give `due` or `duration`"),
            "add `duration: 10d` (start derived from its dependencies) or `due: YYYY-MM-DD`",
        ),
        [true, false, false] => ctx.error(
            m.node,
            format!("deliverable `{id}` has a `start` but no `due` or `duration`"),
            "add `due: YYYY-MM-DD` or `duration: 10d`",
        ),
        _ => {}
    }
    if let (Some(s), Some(d)) = (start, due) {
        let (sw, dw) = (cal.on_or_after(s), cal.on_or_before(d));
        if dw < sw {
            ctx.error(
                due_node.unwrap_or(m.node),
                format!("`{id}` is due {d}, before it starts ({s})"),
                "move `due` after `start`, or fix the start",
            );
            return PlanSpec::Deliverable {
                start,
                due: None,
                duration: Some(1),
            };
        }
        if let Some(n) = duration {
            let span = dw - sw + 1;
            if span != n {
                ctx.error(
                    m.get("duration").unwrap_or(m.node),
                    format!("`{id}` gives start {s}, due {d} and duration {n}d, which disagree: start to due is {span} working days"),
                    "give only two of `start`, `due` and `duration`",
                );
            }
        }
    }
    PlanSpec::Deliverable {
        start,
        due,
        duration,
    }
}

fn weekday_name(d: Date) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][super::calendar::weekday_index(d.weekday())]
}

fn why_not_working(d: Date, cal: &Calendar) -> String {
    if cal.is_holiday(d) {
        format!("{d} is a holiday")
    } else {
        format!("{d} is a {}, not a working day", weekday_name(d))
    }
}

/// A start on a non-working day moves to the next working day, with a warning.
fn snap_start(ctx: &mut Ctx, n: &Node, id: &str, d: Date, cal: &Calendar) -> Date {
    if cal.is_working(d) {
        return d;
    }
    let to = cal.date(cal.on_or_after(d));
    ctx.warning(
        n,
        format!(
            "`{id}` start: {}; it moves to {} {to}",
            why_not_working(d, cal),
            weekday_name(to)
        ),
        "write a working day to silence this warning",
    );
    to
}

/// A finish on a non-working day moves to the previous working day, with a warning.
fn snap_finish(ctx: &mut Ctx, n: &Node, id: &str, field: &str, d: Date, cal: &Calendar) -> Date {
    if cal.is_working(d) {
        return d;
    }
    let to = cal.date(cal.on_or_before(d));
    ctx.warning(
        n,
        format!(
            "`{id}` {field}: {}; it moves back to {} {to}",
            why_not_working(d, cal),
            weekday_name(to)
        ),
        "write a working day to silence this warning",
    );
    to
}

fn item_ref(
    ctx: &mut Ctx,
    program: &Program,
    unreadable: Unreadable,
    node: &Node,
    field: &str,
    whose: &str,
) -> Option<ItemIx> {
    let id = fields::id(ctx, node, field)?;
    match program.item_index(&id) {
        Some(ix) => Some(ix),
        None if unreadable.items => None,
        None => {
            let ids: Vec<&str> = program.items.iter().map(|i| i.id.as_str()).collect();
            let hint = suggest(&id, &ids, "a deliverables/*.yaml file or milestones.yaml");
            ctx.error(node, format!("{whose} names unknown item `{id}`"), hint);
            None
        }
    }
}

fn resolve_risks(
    f: Option<&YamlFile>,
    program: &Program,
    unreadable: Unreadable,
    diags: &mut Diagnostics,
) -> Vec<Risk> {
    let Some(f) = f else { return Vec::new() };
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let mut risks = Vec::new();
    for node in list_of(&mut ctx, &f.root, "risks.yaml", "- id: contract-churn") {
        let Some(m) = Fields::new(&mut ctx, node, "a risk", RISK_FIELDS) else {
            continue;
        };
        let Some(id) = m
            .require(&mut ctx, "id", "contract-churn")
            .and_then(|n| fields::id(&mut ctx, n, "id"))
        else {
            continue;
        };
        let m = m.named(format!("risk `{id}`"));
        let title = m
            .require(&mut ctx, "title", "what could go wrong")
            .and_then(|n| fields::text(&mut ctx, n, "title"))
            .unwrap_or_default();
        let probability = m
            .require(&mut ctx, "probability", "3")
            .and_then(|n| fields::int_in(&mut ctx, n, "probability", 1, 5));
        let impact = m
            .require(&mut ctx, "impact", "4")
            .and_then(|n| fields::int_in(&mut ctx, n, "impact", 1, 5));
        let owner = m
            .get("owner")
            .and_then(|n| fields::text(&mut ctx, n, "owner"))
            .unwrap_or_default();
        let owner_team = program.team_index(&owner);
        let affects = match m.get("affects") {
            Some(n) => {
                let list: Vec<&Node> = match &n.value {
                    Value::Seq(items) => items.iter().collect(),
                    _ => vec![n],
                };
                let mut v: Vec<ItemIx> = list
                    .into_iter()
                    .filter_map(|x| {
                        item_ref(
                            &mut ctx,
                            program,
                            unreadable,
                            x,
                            "affects",
                            &format!("risk `{id}`"),
                        )
                    })
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            }
            None => Vec::new(),
        };
        let mitigation = m
            .get("mitigation")
            .and_then(|n| fields::text(&mut ctx, n, "mitigation"))
            .unwrap_or_default();
        let status = m
            .get("status")
            .and_then(|n| fields::one_of(&mut ctx, n, "status", &RiskStatus::ALL))
            .unwrap_or(RiskStatus::Open);
        let review_by = m
            .get("review_by")
            .and_then(|n| fields::date(&mut ctx, n, "review_by"));
        let raised = m
            .get("raised")
            .and_then(|n| fields::date(&mut ctx, n, "raised"));
        let (Some(probability), Some(impact)) = (probability, impact) else {
            continue;
        };
        risks.push(Risk {
            id,
            title,
            probability: probability as u8,
            impact: impact as u8,
            owner,
            owner_team,
            affects,
            mitigation,
            status,
            review_by,
            raised,
            loc: ctx.loc(node.pos),
        });
    }
    risks.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.loc.cmp(&b.loc)));
    dedup_by_id(&mut risks, |r| (&r.id, &r.loc), "risk", diags);
    risks
}

fn resolve_decisions(
    f: Option<&YamlFile>,
    program: &Program,
    unreadable: Unreadable,
    diags: &mut Diagnostics,
) -> Vec<Decision> {
    let Some(f) = f else { return Vec::new() };
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let risk_ids: Vec<&str> = program.risks.iter().map(|r| r.id.as_str()).collect();
    let mut out = Vec::new();
    for node in list_of(&mut ctx, &f.root, "decisions.yaml", "- id: freeze-contract") {
        let Some(m) = Fields::new(&mut ctx, node, "a decision", DECISION_FIELDS) else {
            continue;
        };
        let Some(id) = m
            .require(&mut ctx, "id", "freeze-contract")
            .and_then(|n| fields::id(&mut ctx, n, "id"))
        else {
            continue;
        };
        let m = m.named(format!("decision `{id}`"));
        let title = m
            .require(&mut ctx, "title", "the question to decide")
            .and_then(|n| fields::text(&mut ctx, n, "title"))
            .unwrap_or_default();
        let risk = m.get("risk").and_then(|n| {
            let r = fields::id(&mut ctx, n, "risk")?;
            match program.risk_index(&r) {
                Some(ix) => Some(ix),
                None if unreadable.risks => None,
                None => {
                    let hint = suggest(&r, &risk_ids, "risks.yaml");
                    ctx.error(n, format!("decision `{id}` names unknown risk `{r}`"), hint);
                    None
                }
            }
        });
        let options = m
            .get("options")
            .map(|n| fields::text_list(&mut ctx, n, "options"))
            .unwrap_or_default();
        let recommendation = m
            .get("recommendation")
            .and_then(|n| fields::text(&mut ctx, n, "recommendation"))
            .unwrap_or_default();
        let decider = m
            .get("decider")
            .and_then(|n| fields::text(&mut ctx, n, "decider"))
            .unwrap_or_default();
        let needed_by = m
            .get("needed_by")
            .and_then(|n| fields::date(&mut ctx, n, "needed_by"));
        let status = m
            .get("status")
            .and_then(|n| {
                fields::one_of(
                    &mut ctx,
                    n,
                    "status",
                    &[
                        ("open", DecisionStatus::Open),
                        ("decided", DecisionStatus::Decided),
                    ],
                )
            })
            .unwrap_or(DecisionStatus::Open);
        let outcome = m
            .get("outcome")
            .and_then(|n| fields::text(&mut ctx, n, "outcome"))
            .unwrap_or_default();
        let decided_on = m
            .get("decided_on")
            .and_then(|n| fields::date(&mut ctx, n, "decided_on"));
        if status == DecisionStatus::Decided && decided_on.is_none() {
            ctx.warning(
                node,
                format!("decision `{id}` is decided but has no `decided_on` date"),
                "add `decided_on: YYYY-MM-DD` so reports can show when it was made",
            );
        }
        if status == DecisionStatus::Open && decided_on.is_some() {
            ctx.warning(
                node,
                format!("decision `{id}` is open but has a `decided_on` date"),
                "set `status: decided`, or remove `decided_on`",
            );
        }
        out.push(Decision {
            id,
            title,
            risk,
            options,
            recommendation,
            decider,
            needed_by,
            status,
            outcome,
            decided_on,
            loc: ctx.loc(node.pos),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.loc.cmp(&b.loc)));
    dedup_by_id(&mut out, |d| (&d.id, &d.loc), "decision", diags);
    out
}

fn resolve_key_risks(
    f: &YamlFile,
    program: &mut Program,
    unreadable: Unreadable,
    diags: &mut Diagnostics,
) {
    let Value::Map(entries) = &f.root.value else {
        return;
    };
    let Some((_, node)) = entries
        .iter()
        .find(|(k, _)| k.value == Value::Str("key_risks".into()))
    else {
        return;
    };
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let risk_ids: Vec<&str> = program.risks.iter().map(|r| r.id.as_str()).collect();
    let mut key = Vec::new();
    for (r, n) in fields::id_list(&mut ctx, node, "key_risks") {
        match program.risk_index(&r) {
            Some(ix) if !key.contains(&ix) => key.push(ix),
            Some(_) => {}
            None if unreadable.risks => {}
            None => {
                let hint = suggest(&r, &risk_ids, "risks.yaml");
                ctx.error(&n, format!("`key_risks` names unknown risk `{r}`"), hint);
            }
        }
    }
    program.meta.key_risks = key;
}

fn resolve_reports(
    files: &[MarkdownFile],
    program: &Program,
    opts: ResolveOptions,
    unreadable: Unreadable,
    dangling: &[bool],
    diags: &mut Diagnostics,
) -> Vec<Report> {
    let cal = &program.meta.calendar;
    let mut reports: Vec<Report> = Vec::new();
    for f in files {
        let mut ctx = Ctx {
            file: f.file.clone(),
            diags,
        };
        let Some(m) = Fields::new(&mut ctx, &f.front, "the report front matter", REPORT_FIELDS)
        else {
            continue;
        };
        let date_node = m.require(&mut ctx, "date", "2027-01-29");
        let date = date_node.and_then(|n| fields::date(&mut ctx, n, "date"));
        if let (Some(n), Some(d)) = (date_node, date) {
            check_report_date(&mut ctx, n, d, program.meta.start);
        }
        let status = m
            .require(&mut ctx, "status", "amber")
            .and_then(|n| fields::one_of(&mut ctx, n, "status", &Rag::ALL));
        let summary = m
            .require(
                &mut ctx,
                "summary",
                "one sentence on the state of the program",
            )
            .and_then(|n| fields::text(&mut ctx, n, "summary"));
        let draft = m
            .get("draft")
            .and_then(|n| fields::boolean(&mut ctx, n, "draft"))
            .unwrap_or(false);
        let status_reason = m
            .get("status_reason")
            .and_then(|n| fields::text(&mut ctx, n, "status_reason"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let mut updates = Vec::new();
        if let Some(u) = m.get("updates") {
            match &u.value {
                Value::Map(entries) => {
                    for (k, v) in entries {
                        let Some(item) = item_ref(&mut ctx, program, unreadable, k, "updates", "an update") else { continue };
                        let what = format!("the update of `{}`", program.items[item].id);
                        let Some(uf) = Fields::new(&mut ctx, v, &what, UPDATE_FIELDS) else { continue };
                        let status = uf.get("status").and_then(|n| fields::one_of(&mut ctx, n, "status", &Status::ALL));
                        let progress = uf.get("progress").and_then(|n| fields::int_in(&mut ctx, n, "progress", 0, 100)).map(|p| p as u8);
                        let forecast = uf.get("forecast").and_then(|n| fields::date(&mut ctx, n, "forecast")).map(|d| cal.date(cal.on_or_before(d)));
                        let note = uf.get("note").and_then(|n| fields::text(&mut ctx, n, "note"));
                        updates.push(Update { item, status, progress, forecast, note, loc: ctx.loc(k.pos) });
                    }
                }
                _ => ctx.error(u, "`updates` must map item ids to their status", "write `updates:` then lines like `  auth-api-v2: { status: on_track, progress: 10 }`"),
            }
        }
        updates.sort_by_key(|u| u.item);
        let mut dependencies = Vec::new();
        if let Some(d) = m.get("dependencies") {
            match &d.value {
                Value::Seq(rows) => {
                    for row in rows {
                        let Some(rf) = Fields::new(&mut ctx, row, "a dependency review row", REVIEW_FIELDS) else { continue };
                        let from = rf.require(&mut ctx, "from", "db-schema-migration").and_then(|n| item_ref(&mut ctx, program, unreadable, n, "from", "a dependency review row"));
                        let to = rf.require(&mut ctx, "to", "auth-api-v2").and_then(|n| item_ref(&mut ctx, program, unreadable, n, "to", "a dependency review row"));
                        let flag = |ctx: &mut Ctx, k: &str| rf.get(k).and_then(|n| fields::boolean(ctx, n, k));
                        let provider_on_track = flag(&mut ctx, "provider_on_track");
                        let contract_changed = flag(&mut ctx, "contract_changed");
                        let consumer_ready = flag(&mut ctx, "consumer_ready");
                        let note = rf.get("note").and_then(|n| fields::text(&mut ctx, n, "note")).unwrap_or_default();
                        let (Some(from), Some(to)) = (from, to) else { continue };
                        if !program.items[to].depends_on.contains(&from) && !dangling[to] {
                            ctx.warning(
                                row,
                                format!("reviewed edge `{}` -> `{}` is not a dependency: `{}` does not depend on `{}`", program.items[from].id, program.items[to].id, program.items[to].id, program.items[from].id),
                                "check the ids, or add the dependency to the deliverable",
                            );
                        }
                        dependencies.push(DependencyReview { from, to, provider_on_track, contract_changed, consumer_ready, note, loc: ctx.loc(row.pos) });
                    }
                }
                _ => ctx.error(d, "`dependencies` must be a list of review rows", "write `- { from: provider-id, to: consumer-id, provider_on_track: true, ... }`"),
            }
        }
        let mut decisions = Vec::new();
        if let Some(d) = m.get("decisions") {
            let ids: Vec<&str> = program.decisions.iter().map(|x| x.id.as_str()).collect();
            for (id, n) in fields::id_list(&mut ctx, d, "decisions") {
                match program.decision_index(&id) {
                    Some(ix) if !decisions.contains(&ix) => decisions.push(ix),
                    Some(_) => {}
                    None if unreadable.decisions => {}
                    None => {
                        let hint = suggest(&id, &ids, "decisions.yaml");
                        ctx.error(
                            &n,
                            format!("the report names unknown decision `{id}`"),
                            hint,
                        );
                    }
                }
            }
        }
        let mut risk_updates = Vec::new();
        if let Some(r) = m.get("risks") {
            match &r.value {
                Value::Map(entries) => {
                    let ids: Vec<&str> = program.risks.iter().map(|x| x.id.as_str()).collect();
                    for (k, v) in entries {
                        let Some(id) = fields::id(&mut ctx, k, "risks") else { continue };
                        let Some(risk) = program.risk_index(&id) else {
                            if !unreadable.risks {
                                let hint = suggest(&id, &ids, "risks.yaml");
                                ctx.error(k, format!("the report updates unknown risk `{id}`"), hint);
                            }
                            continue;
                        };
                        let what = format!("the update of risk `{id}`");
                        let Some(rf) = Fields::new(&mut ctx, v, &what, RISK_UPDATE_FIELDS) else { continue };
                        let status = rf.get("status").and_then(|n| fields::one_of(&mut ctx, n, "status", &RiskStatus::ALL));
                        let probability = rf.get("probability").and_then(|n| fields::int_in(&mut ctx, n, "probability", 1, 5)).map(|p| p as u8);
                        let impact = rf.get("impact").and_then(|n| fields::int_in(&mut ctx, n, "impact", 1, 5)).map(|p| p as u8);
                        let note = rf.get("note").and_then(|n| fields::text(&mut ctx, n, "note"));
                        risk_updates.push(RiskUpdate { risk, status, probability, impact, note, loc: ctx.loc(k.pos) });
                    }
                }
                _ => ctx.error(r, "`risks` must map risk ids to their new state", "write `risks:` then lines like `  contract-churn: { status: mitigating, probability: 2 }`"),
            }
        }
        risk_updates.sort_by_key(|u| u.risk);
        let (Some(date), Some(status), Some(summary)) = (date, status, summary) else {
            continue;
        };
        if draft && !opts.include_drafts {
            continue;
        }
        reports.push(Report {
            date,
            status,
            summary,
            updates,
            dependencies,
            decisions,
            risk_updates,
            draft,
            status_reason,
            body: f.body.clone(),
            body_line: f.body_line,
            commit: None,
            loc: ctx.loc(f.front.pos),
        });
    }
    reports.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.loc.cmp(&b.loc)));
    let mut keep = vec![true; reports.len()];
    for i in 1..reports.len() {
        if reports[i].date == reports[i - 1].date {
            keep[i] = false;
            let prev = &reports[i - 1].loc;
            diags
                .error(
                    &reports[i].loc,
                    format!(
                        "two reports are dated {}: this one and {}",
                        reports[i].date, prev.file
                    ),
                )
                .with_hint("each report needs its own date; merge them or fix the date");
        }
    }
    let mut it = keep.iter();
    reports.retain(|_| *it.next().unwrap_or(&true));
    warn_report_gaps(&reports, &program.meta.cadence, diags);
    warn_updates_after_done(&reports, program, diags);
    reports
}

/// A report more than two periods of the cadence after the previous one is
/// questionable (a mistyped date, or reports missed): warn at the later one.
fn warn_report_gaps(reports: &[Report], cadence: &crate::model::Cadence, diags: &mut Diagnostics) {
    let period = cadence.days.max(1);
    for pair in reports.windows(2) {
        let (prev, next) = (&pair[0], &pair[1]);
        let gap = i64::from((next.date - prev.date).get_days());
        if gap > 2 * period {
            diags
                .warning(
                    &next.loc,
                    format!(
                        "the report of {} comes {gap} days after the previous one ({}), more than two periods of the cadence ({})",
                        next.date, prev.date, cadence.text
                    ),
                )
                .with_hint(format!(
                    "check the date; if reports were missed, add them (e.g. `tpm-site new report --date {}`) or change `reports.cadence` in program.yaml",
                    prev.date
                        .checked_add(jiff::Span::new().days(period))
                        .unwrap_or(prev.date)
                ));
        }
    }
}

/// A report's date must be the one its file is named for (when the name is
/// a date, as `tpm-site new report` writes it) and not before the program
/// starts: a mis-dated report would be published in the wrong place, and a
/// report from before the start would silently become the first.
fn check_report_date(ctx: &mut Ctx, n: &Node, date: Date, start: Date) {
    let file = ctx.file.clone();
    let named = std::path::Path::new(&*file)
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.parse::<Date>().ok());
    if let Some(named) = named
        && named != date
    {
        ctx.error(
            n,
            format!("the report is dated {date}, but its file is named for {named}"),
            format!(
                "set `date: {named}`, or rename the file to `{date}.md` if {date} is the report's date"
            ),
        );
    }
    if date < start {
        ctx.error(
            n,
            format!("the report is dated {date}, before the program starts on {start}"),
            "check the year: a report's date is the day its status is as of".to_string(),
        );
    }
}

/// An update for an item already reported `done` is questionable: warn.
fn warn_updates_after_done(reports: &[Report], program: &Program, diags: &mut Diagnostics) {
    let mut done_since: HashMap<ItemIx, Date> = HashMap::new();
    for r in reports {
        for u in &r.updates {
            if let Some(since) = done_since.get(&u.item) {
                let reopened = u.status.is_some_and(|s| s != Status::Done);
                let msg = if reopened {
                    format!(
                        "`{}` was reported done on {since} and is now {}",
                        program.items[u.item].id,
                        u.status.map(Status::as_str).unwrap_or("")
                    )
                } else {
                    format!(
                        "update for `{}`, which was already reported done on {since}",
                        program.items[u.item].id
                    )
                };
                diags
                    .warning(&u.loc, msg)
                    .with_hint("remove the update, or say in the note why a finished item changed");
                if reopened {
                    done_since.remove(&u.item);
                }
            } else if u.status == Some(Status::Done) {
                done_since.insert(u.item, r.date);
            }
        }
    }
}

fn resolve_pages(files: &[MarkdownFile], diags: &mut Diagnostics) -> Vec<Page> {
    let mut pages = Vec::new();
    for f in files {
        let mut ctx = Ctx {
            file: f.file.clone(),
            diags,
        };
        let stem = f
            .file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_string();
        if !fields::is_id(&stem) {
            ctx.diags
                .file_error(
                    &f.file,
                    format!(
                        "page file name `{stem}` is not a valid id (it becomes the page's URL)"
                    ),
                )
                .with_hint(format!(
                    "rename the file to `{}.md`",
                    fields::slugify(&stem)
                ));
            continue;
        }
        let title = match Fields::new(&mut ctx, &f.front, "the page front matter", PAGE_FIELDS) {
            Some(m) => m
                .require(&mut ctx, "title", "Communication plan")
                .and_then(|n| fields::text(&mut ctx, n, "title")),
            None => None,
        };
        let Some(title) = title else { continue };
        pages.push(Page {
            slug: stem,
            title,
            body: f.body.clone(),
            loc: ctx.loc(f.front.pos),
        });
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    pages
}

fn resolve_stakeholders(
    f: Option<&YamlFile>,
    program: &Program,
    unreadable: Unreadable,
    diags: &mut Diagnostics,
) -> Vec<Stakeholder> {
    let Some(f) = f else { return Vec::new() };
    let mut ctx = Ctx {
        file: f.file.clone(),
        diags,
    };
    let team_ids: Vec<&str> = program.teams.iter().map(|t| t.id.as_str()).collect();
    let mut out = Vec::new();
    for node in list_of(
        &mut ctx,
        &f.root,
        "stakeholders.yaml",
        "- name: Dana Whitfield",
    ) {
        let Some(m) = Fields::new(&mut ctx, node, "a stakeholder", STAKEHOLDER_FIELDS) else {
            continue;
        };
        let name = m
            .require(&mut ctx, "name", "Dana Whitfield")
            .and_then(|n| fields::text(&mut ctx, n, "name"));
        let email = m
            .require(&mut ctx, "email", "dana@example.com")
            .and_then(|n| {
                let e = fields::text(&mut ctx, n, "email")?;
                if is_email(&e) {
                    Some(e)
                } else {
                    ctx.error(
                        n,
                        format!("`{e}` is not an e-mail address"),
                        "write a plain address like `dana@example.com`",
                    );
                    None
                }
            });
        let role = m
            .get("role")
            .and_then(|n| fields::text(&mut ctx, n, "role"))
            .unwrap_or_default();
        let mut teams = Vec::new();
        if let Some(n) = m.get("teams") {
            for (t, tn) in fields::id_list(&mut ctx, n, "teams") {
                match program.team_index(&t) {
                    Some(ix) => teams.push(ix),
                    None if unreadable.teams => {}
                    None => {
                        let hint = suggest(&t, &team_ids, "teams.yaml");
                        ctx.error(&tn, format!("stakeholder names unknown team `{t}`"), hint);
                    }
                }
            }
        }
        if let (Some(name), Some(email)) = (name, email) {
            if name.chars().any(char::is_control) {
                ctx.error(
                    node,
                    "a stakeholder name contains control characters",
                    "write the name on one line",
                );
                continue;
            }
            out.push(Stakeholder {
                name,
                email,
                role,
                teams,
                loc: ctx.loc(node.pos),
            });
        }
    }
    out
}

fn is_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !e.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')')
        })
        && is_hostname(domain)
}
