//! The fuzz entry points, shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`
//! include this file) and by `tests/fuzz_regressions.rs`, which replays every
//! saved input through the same functions. Each entry point takes raw bytes; a
//! panic (or a failed assertion) is a finding. Nothing here touches the disk.
#![allow(dead_code)]

use std::sync::Arc;

use arbitrary::{Arbitrary, Unstructured};
use tpm_site::content::{self, frontmatter, memory, yaml};
use tpm_site::diagnostics::Diagnostics;
use tpm_site::render::markdown;
use tpm_site::site;

/// Every target: its name (the folder under `fuzz/fuzz_targets/` and
/// `tests/fuzz-regressions/`) and its entry point.
pub type Target = (&'static str, fn(&[u8]));

/// Every target.
pub const TARGETS: &[Target] = &[
    ("frontmatter", frontmatter),
    ("yaml_loaders", yaml_loaders),
    ("markdown", markdown),
    ("whole_build", whole_build),
    ("importers", importers),
];

/// `tpm-site import` on any bytes: the first byte picks the format (CSV, Jira
/// CSV, MS Project XML, Mermaid, XLSX), the rest is the source. Never a
/// panic; every diagnostic points into the source.
pub fn importers(data: &[u8]) {
    use tpm_site::import::Format;
    use tpm_site::site::import::{ImportRequest, import_bytes};
    let Some((&pick, source)) = data.split_first() else {
        return;
    };
    let (name, format) = match pick % 5 {
        0 => ("plan.csv", Format::Csv),
        1 => ("jira.csv", Format::Jira),
        2 => ("plan.xml", Format::Mspdi),
        3 => ("plan.md", Format::Mermaid),
        _ => ("plan.xlsx", Format::Xlsx),
    };
    let req = ImportRequest {
        source: name.into(),
        format: Some(format),
        content: "content".into(),
        start: None,
        end: None,
        as_of: Some(jiff::civil::date(2027, 1, 13)),
        dry_run: true,
        force: false,
        options: Default::default(),
    };
    let mut diags = tpm_site::diagnostics::Diagnostics::new();
    let _ = import_bytes(name, source, format, &req, &mut diags);
    for d in diags.iter() {
        assert_eq!(&*d.file, name, "{d:?}");
    }
}

/// `content::frontmatter::split`, then the front matter through the YAML parser.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(split) = frontmatter::split(text) else {
        return;
    };
    let base = text.as_ptr() as usize;
    let within = |s: &str| {
        let at = s.as_ptr() as usize;
        at >= base && at + s.len() <= base + text.len()
    };
    assert!(
        within(split.front) && within(split.body),
        "split outside the text"
    );
    let body_at = split.body.as_ptr() as usize - base;
    assert!(split.front.len() < body_at || split.body.is_empty());
    assert_eq!(split.front_line, 2);
    if !split.body.is_empty() {
        let lines_before = text[..body_at].bytes().filter(|&b| b == b'\n').count() as u32;
        assert_eq!(split.body_line, lines_before + 1, "body line number");
    }
    if let Ok(node) = yaml::parse(split.front, split.front_line - 1) {
        assert!(node.pos.line >= split.front_line || node.pos.line == 0);
    }
}

/// A small valid program: every file the YAML loaders read.
pub const BASE: &[(&str, &str)] = &[
    (
        "program.yaml",
        "name: Tiny\nobjective: Ship.\nsuccess_criteria: [Shipped]\nstart: 2027-03-01\nend: 2027-04-30\n\
         calendar: { workdays: [mon, tue, wed, thu, fri], holidays: [2027-03-17] }\n\
         reports: { cadence: 2w, first: 2027-03-05 }\n\
         communication:\n  - { name: Sync, every: 1w, audience: Leads, owner: TPM }\n\
         key_risks: [slip]\nsite: { title: Tiny, base_url: https://example.org/tiny/, theme: default }\n",
    ),
    (
        "teams.yaml",
        "- id: core\n  name: Core Team\n  lead: A\n  color: \"#3b82f6\"\n\
         - id: web\n  name: Web Team\n  lead: B\n",
    ),
    (
        "deliverables/core.yaml",
        "- id: api\n  name: API\n  owner: core\n  start: 2027-03-01\n  due: 2027-03-05\n  contract: v1\n  description: The *API*.\n\
         - id: sdk\n  name: SDK\n  owner: core\n  depends_on: [api]\n  duration: 5d\n",
    ),
    (
        "deliverables/web.yaml",
        "- id: site\n  name: Site\n  owner: web\n  depends_on: [sdk]\n  duration: 3d\n",
    ),
    (
        "milestones.yaml",
        "- id: launch\n  name: Launch\n  date: 2027-03-22\n  depends_on: [site]\n",
    ),
    (
        "risks.yaml",
        "- id: slip\n  title: API slips\n  probability: 3\n  impact: 4\n  owner: core\n  affects: [api]\n  mitigation: Buffer.\n  status: open\n  review_by: 2027-03-10\n",
    ),
    (
        "decisions.yaml",
        "- id: scope\n  title: Cut scope?\n  risk: slip\n  options: [Yes, No]\n  recommendation: \"Yes\"\n  decider: VP\n  needed_by: 2027-03-12\n  status: open\n",
    ),
    (
        "stakeholders.yaml",
        "- name: Dana\n  email: dana@example.com\n  role: VP\n  teams: [core]\n",
    ),
    (
        "reports/2027-03-05.md",
        "---\ndate: 2027-03-05\nstatus: amber\nsummary: API slips.\nupdates:\n  \
         api: { status: at_risk, progress: 80, forecast: 2027-03-09, note: Late }\n\
         dependencies:\n  - { from: api, to: sdk, provider_on_track: false, contract_changed: false, consumer_ready: true, note: Wait }\n\
         decisions: [scope]\nrisks:\n  slip: { status: mitigating, probability: 4 }\n---\n## Highlights\n\nBody.\n",
    ),
    ("pages/plan.md", "---\ntitle: Plan\n---\n## Plan\n\nText.\n"),
];

/// One YAML loader: the first byte picks a file of [`BASE`], the rest replaces
/// it; the folder is then loaded, resolved and analysed in memory.
pub fn yaml_loaders(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let pick = pick as usize % BASE.len();
    let rel: Arc<str> = BASE[pick].0.into();
    let mut diags = Diagnostics::new();
    // The parser alone, with a line offset as front matter uses.
    if let Some(text) = content::decode(&rel, rest.to_vec(), &mut diags) {
        let _ = yaml::parse(&text, 3);
    }
    let files: Vec<(String, Vec<u8>)> = BASE
        .iter()
        .enumerate()
        .map(|(i, (p, t))| {
            let bytes = if i == pick {
                rest.to_vec()
            } else {
                t.as_bytes().to_vec()
            };
            (p.to_string(), bytes)
        })
        .collect();
    analyze_files(&files);
}

/// Loads and analyses `files`; checks every diagnostic points into a file.
fn analyze_files(files: &[(String, Vec<u8>)]) -> Option<site::Analyzed> {
    let mut diags = Diagnostics::new();
    let loaded = memory::load_files(files, &mut diags);
    let analyzed = site::analyze_content(&loaded, None, false, &mut diags);
    let list = diags.into_sorted();
    for d in &list {
        let _ = d.display(std::path::Path::new("content")).to_string();
    }
    analyzed
}

/// `render::markdown::to_html`: the output never holds a script-capable construct.
pub fn markdown(data: &[u8]) {
    let md = String::from_utf8_lossy(data);
    let html = markdown::to_html(&md);
    assert_safe_html(&html, true);
    let (_, internal) = markdown::split_internal(&md);
    let _ = internal;
}

/// Element names that must never appear in output.
pub const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "object",
    "embed",
    "foreignobject",
    "frame",
    "frameset",
    "applet",
    "base",
    "form",
    "meta",
    "link",
    "style",
    "svg",
    "math",
    "template",
    "noscript",
    "portal",
];

/// Whether a URL attribute value could run script or load inline content.
pub fn dangerous_url(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")
}

/// Parses `html` (a fragment when `fragment`) with html5ever and asserts: no
/// forbidden element, no `on*` attribute, no `style` attribute, no dangerous URL.
pub fn assert_safe_html(html: &str, fragment: bool) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a <script in {html}");
    let doc = if fragment {
        scraper::Html::parse_fragment(html)
    } else {
        scraper::Html::parse_document(html)
    };
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name().to_ascii_lowercase();
        // Pages have their own head and inline SVG charts; Markdown has neither.
        if fragment || !matches!(name.as_str(), "meta" | "link" | "svg") {
            assert!(
                !FORBIDDEN_ELEMENTS.contains(&name.as_str()),
                "<{name}> in {html}"
            );
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "attribute {attr} in {html}");
            if fragment {
                assert!(attr != "style", "style attribute in {html}");
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "xlink:href" | "action" | "formaction" | "srcset" | "poster"
            ) && !(name == "link" && attr == "href" && value == "data:,")
            {
                assert!(!dangerous_url(value), "{attr}={value:?} in {html}");
            }
        }
    }
}

// ----- whole builds from generated content folders -----

/// A short text: mostly words, sometimes anything, sometimes hostile.
#[derive(Arbitrary, Debug)]
pub enum Text {
    Word(u8),
    Words(u8, u8, u8),
    Raw(String),
    Hostile(u8),
}

const WORDS: &[&str] = &[
    "API",
    "migration",
    "schema",
    "on track",
    "Q3",
    "Ünïcödé",
    "日本語",
    "a & b",
    "x < y",
    "\"quoted\"",
    "it's",
    "#hash",
    "- dash",
    "> quote",
    "**bold**",
    "`code`",
    "[link](x)",
    "50%",
    "#3b82f6",
    "",
    " ",
    "null",
    "yes",
    "2027-03-05",
    "10d",
    "{a: b}",
    "[1, 2]",
    "|",
];

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "'><svg onload=alert(1)>",
    "</text><script>alert(1)</script>",
    "</title></svg><script>x</script>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "![i](data:image/svg+xml,<svg onload=alert(1)>)",
    "</style><script>x</script>",
    "&lt;script&gt;",
    "<!-- internal -->secret<!-- /internal -->",
    "]]><script>x</script>",
    "\u{202e}evil\u{200b}",
    "{{ 7*7 }}{% raw %}",
    "<a href=\"javascript:x\">x</a>",
];

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Word(i) => WORDS[*i as usize % WORDS.len()].to_string(),
            Text::Words(a, b, c) => [a, b, c]
                .iter()
                .map(|i| WORDS[**i as usize % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" "),
            Text::Raw(s) => s.chars().take(200).collect(),
            Text::Hostile(i) => HOSTILE[*i as usize % HOSTILE.len()].to_string(),
        }
    }
    /// As a YAML double-quoted scalar (JSON strings are YAML).
    fn yaml(&self) -> String {
        serde_json::to_string(&self.get()).unwrap_or_else(|_| "\"\"".into())
    }
}

#[derive(Arbitrary, Debug)]
pub struct GenTeam {
    name: Text,
    lead: Text,
    color: Option<u32>,
}

#[derive(Arbitrary, Debug)]
pub struct GenItem {
    milestone: bool,
    name: Text,
    owner: u8,
    deps: Vec<u8>,
    start: Option<u8>,
    due: Option<u8>,
    duration: Option<u8>,
    contract: Option<Text>,
    description: Option<Text>,
}

#[derive(Arbitrary, Debug)]
pub struct GenRisk {
    title: Text,
    probability: u8,
    impact: u8,
    owner: Option<u8>,
    affects: Vec<u8>,
    mitigation: Option<Text>,
    status: u8,
    review_by: Option<u8>,
    raised: Option<u8>,
}

#[derive(Arbitrary, Debug)]
pub struct GenDecision {
    title: Text,
    risk: Option<u8>,
    options: Vec<Text>,
    recommendation: Option<Text>,
    decider: Option<Text>,
    needed_by: Option<u8>,
    decided: bool,
    outcome: Option<Text>,
    decided_on: Option<u8>,
}

#[derive(Arbitrary, Debug)]
pub struct GenUpdate {
    item: u8,
    status: Option<u8>,
    progress: Option<u8>,
    forecast: Option<u8>,
    note: Option<Text>,
}

/// A dependency review row: from, to, provider on track, contract changed, note.
type GenReview = (u8, u8, Option<bool>, Option<bool>, Option<Text>);
/// A risk update: risk, status, probability, note.
type GenRiskUpdate = (u8, Option<u8>, Option<u8>, Option<Text>);

#[derive(Arbitrary, Debug)]
pub struct GenReport {
    day: u8,
    status: u8,
    summary: Text,
    updates: Vec<GenUpdate>,
    reviews: Vec<GenReview>,
    decisions: Vec<u8>,
    risks: Vec<GenRiskUpdate>,
    draft: bool,
    body: Vec<Text>,
}

/// A whole content folder, generated from fuzz bytes.
#[derive(Arbitrary, Debug)]
pub struct GenProgram {
    name: Text,
    objective: Text,
    criteria: Vec<Text>,
    start: u8,
    length: u8,
    workdays: u8,
    holidays: Vec<u8>,
    cadence: u8,
    first: Option<u8>,
    communication: Vec<(Text, Text, Text)>,
    key_risks: Vec<u8>,
    teams: Vec<GenTeam>,
    items: Vec<GenItem>,
    risks: Vec<GenRisk>,
    decisions: Vec<GenDecision>,
    reports: Vec<GenReport>,
    pages: Vec<(Text, Vec<Text>)>,
    stakeholders: Vec<(Text, u8)>,
}

fn date(day: u8) -> String {
    let d = jiff::civil::date(2027, 1, 4)
        .checked_add(jiff::Span::new().days(i64::from(day) * 2))
        .expect("in range");
    d.to_string()
}

/// 1 to 5, and now and then out of range.
fn score(x: u8) -> u8 {
    if x >= 250 { x % 7 } else { 1 + x % 5 }
}

fn list<T>(v: &[T], max: usize) -> &[T] {
    &v[..v.len().min(max)]
}

impl GenProgram {
    /// The content folder as `(path, bytes)`.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let teams = list(&self.teams, 6);
        let items = list(&self.items, 30);
        let risks = list(&self.risks, 6);
        let decisions = list(&self.decisions, 6);
        let team_id = |i: u8| format!("t{}", i as usize % teams.len().max(1));
        let item_id = |i: u8| {
            let n = i as usize % items.len().max(1);
            if items.get(n).is_some_and(|it| it.milestone) {
                format!("m{n}")
            } else {
                format!("d{n}")
            }
        };
        let risk_id = |i: u8| format!("r{}", i as usize % risks.len().max(1));
        let decision_id = |i: u8| format!("x{}", i as usize % decisions.len().max(1));
        let ids = |v: &[u8], f: &dyn Fn(u8) -> String| {
            format!(
                "[{}]",
                list(v, 6)
                    .iter()
                    .map(|&i| f(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };

        // program.yaml
        let mut p = format!(
            "name: {}\nobjective: {}\nstart: {}\nend: {}\n",
            self.name.yaml(),
            self.objective.yaml(),
            date(self.start % 32),
            date((self.start % 32).saturating_add(self.length % 120)),
        );
        if !self.criteria.is_empty() {
            p.push_str("success_criteria:\n");
            for c in list(&self.criteria, 4) {
                p.push_str(&format!("  - {}\n", c.yaml()));
            }
        }
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let workdays: Vec<&str> = days
            .iter()
            .enumerate()
            .filter(|(i, _)| self.workdays & (1 << i) != 0)
            .map(|(_, d)| *d)
            .collect();
        p.push_str(&format!(
            "calendar:\n  workdays: {}\n  holidays: [{}]\n",
            if self.workdays & 0x80 != 0 {
                "all".to_string()
            } else if workdays.is_empty() {
                "[mon]".to_string()
            } else {
                format!("[{}]", workdays.join(", "))
            },
            list(&self.holidays, 5)
                .iter()
                .map(|&d| date(d))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        p.push_str(&format!(
            "reports:\n  cadence: {}d\n",
            1 + self.cadence % 28
        ));
        if let Some(f) = self.first {
            p.push_str(&format!("  first: {}\n", date(f % 64)));
        }
        if !self.communication.is_empty() {
            p.push_str("communication:\n");
            for (n, a, o) in list(&self.communication, 3) {
                p.push_str(&format!(
                    "  - {{ name: {}, every: 2w, audience: {}, owner: {} }}\n",
                    n.yaml(),
                    a.yaml(),
                    o.yaml()
                ));
            }
        }
        if !risks.is_empty() && !self.key_risks.is_empty() {
            p.push_str(&format!("key_risks: {}\n", ids(&self.key_risks, &risk_id)));
        }
        p.push_str("site:\n  base_url: https://example.org/p/\n");
        files.push(("program.yaml".to_string(), p.into_bytes()));

        // teams.yaml
        let mut t = String::new();
        for (i, team) in teams.iter().enumerate() {
            t.push_str(&format!(
                "- id: t{i}\n  name: {}\n  lead: {}\n",
                team.name.yaml(),
                team.lead.yaml()
            ));
            if let Some(c) = team.color {
                t.push_str(&format!("  color: \"#{:06x}\"\n", c & 0xff_ffff));
            }
        }
        files.push((
            "teams.yaml".to_string(),
            if t.is_empty() { "[]\n".into() } else { t }.into_bytes(),
        ));

        // deliverables/*.yaml and milestones.yaml
        let mut d = [String::new(), String::new()];
        let mut m = String::new();
        for (i, it) in items.iter().enumerate() {
            let mut s = if it.milestone {
                format!("- id: m{i}\n  name: {}\n", it.name.yaml())
            } else {
                format!(
                    "- id: d{i}\n  name: {}\n  owner: {}\n",
                    it.name.yaml(),
                    team_id(it.owner)
                )
            };
            if !it.deps.is_empty() {
                s.push_str(&format!("  depends_on: {}\n", ids(&it.deps, &item_id)));
            }
            if it.milestone {
                if let Some(x) = it.due {
                    s.push_str(&format!("  date: {}\n", date(x % 96)));
                }
            } else {
                if let Some(x) = it.start {
                    s.push_str(&format!("  start: {}\n", date(x % 96)));
                }
                if let Some(x) = it.due {
                    s.push_str(&format!("  due: {}\n", date(x % 96)));
                }
                if let Some(x) = it.duration {
                    s.push_str(&format!(
                        "  duration: {}{}\n",
                        x % 40,
                        if x & 0x80 != 0 { "w" } else { "d" }
                    ));
                }
                if let Some(c) = &it.contract {
                    s.push_str(&format!("  contract: {}\n", c.yaml()));
                }
            }
            if let Some(c) = &it.description {
                s.push_str(&format!("  description: {}\n", c.yaml()));
            }
            if it.milestone {
                m.push_str(&s);
            } else {
                d[i % 2].push_str(&s);
            }
        }
        for (i, text) in d.iter().enumerate() {
            if !text.is_empty() || i == 0 {
                let text = if text.is_empty() { "[]\n" } else { text };
                files.push((format!("deliverables/f{i}.yaml"), text.as_bytes().to_vec()));
            }
        }
        if !m.is_empty() {
            files.push(("milestones.yaml".to_string(), m.into_bytes()));
        }

        // risks.yaml
        let statuses = ["open", "mitigating", "closed", "occurred"];
        let mut r = String::new();
        for (i, risk) in risks.iter().enumerate() {
            r.push_str(&format!(
                "- id: r{i}\n  title: {}\n  probability: {}\n  impact: {}\n  status: {}\n",
                risk.title.yaml(),
                score(risk.probability),
                score(risk.impact),
                statuses[risk.status as usize % 4]
            ));
            if let Some(o) = risk.owner {
                r.push_str(&format!("  owner: {}\n", team_id(o)));
            }
            if !items.is_empty() && !risk.affects.is_empty() {
                r.push_str(&format!("  affects: {}\n", ids(&risk.affects, &item_id)));
            }
            if let Some(x) = &risk.mitigation {
                r.push_str(&format!("  mitigation: {}\n", x.yaml()));
            }
            if let Some(x) = risk.review_by {
                r.push_str(&format!("  review_by: {}\n", date(x % 96)));
            }
            if let Some(x) = risk.raised {
                r.push_str(&format!("  raised: {}\n", date(x % 96)));
            }
        }
        if !r.is_empty() {
            files.push(("risks.yaml".to_string(), r.into_bytes()));
        }

        // decisions.yaml
        let mut x = String::new();
        for (i, dec) in decisions.iter().enumerate() {
            x.push_str(&format!(
                "- id: x{i}\n  title: {}\n  status: {}\n",
                dec.title.yaml(),
                if dec.decided { "decided" } else { "open" }
            ));
            if let (Some(k), false) = (dec.risk, risks.is_empty()) {
                x.push_str(&format!("  risk: {}\n", risk_id(k)));
            }
            if !dec.options.is_empty() {
                x.push_str("  options:\n");
                for o in list(&dec.options, 3) {
                    x.push_str(&format!("    - {}\n", o.yaml()));
                }
            }
            for (key, v) in [
                ("recommendation", &dec.recommendation),
                ("decider", &dec.decider),
                ("outcome", &dec.outcome),
            ] {
                if let Some(v) = v {
                    x.push_str(&format!("  {key}: {}\n", v.yaml()));
                }
            }
            if let Some(v) = dec.needed_by {
                x.push_str(&format!("  needed_by: {}\n", date(v % 96)));
            }
            if let Some(v) = dec.decided_on {
                x.push_str(&format!("  decided_on: {}\n", date(v % 96)));
            }
        }
        if !x.is_empty() {
            files.push(("decisions.yaml".to_string(), x.into_bytes()));
        }

        // reports/*.md
        let rags = ["green", "amber", "red"];
        let item_statuses = ["not_started", "on_track", "at_risk", "blocked", "done"];
        for rep in list(&self.reports, 8) {
            let mut s = format!(
                "---\ndate: {}\nstatus: {}\nsummary: {}\n",
                date(rep.day % 96),
                rags[rep.status as usize % 3],
                rep.summary.yaml()
            );
            if !items.is_empty() && !rep.updates.is_empty() {
                s.push_str("updates:\n");
                let mut seen = std::collections::BTreeSet::new();
                for u in list(&rep.updates, 8) {
                    let id = item_id(u.item);
                    if !seen.insert(id.clone()) {
                        continue;
                    }
                    let mut fields = Vec::new();
                    if let Some(v) = u.status {
                        fields.push(format!("status: {}", item_statuses[v as usize % 5]));
                    }
                    if let Some(v) = u.progress {
                        fields.push(format!("progress: {}", v % 110));
                    }
                    if let Some(v) = u.forecast {
                        fields.push(format!("forecast: {}", date(v % 96)));
                    }
                    if let Some(v) = &u.note {
                        fields.push(format!("note: {}", v.yaml()));
                    }
                    s.push_str(&format!("  {id}: {{ {} }}\n", fields.join(", ")));
                }
            }
            if !items.is_empty() && !rep.reviews.is_empty() {
                s.push_str("dependencies:\n");
                for (from, to, a, b, note) in list(&rep.reviews, 4) {
                    s.push_str(&format!(
                        "  - {{ from: {}, to: {}",
                        item_id(*from),
                        item_id(*to)
                    ));
                    if let Some(a) = a {
                        s.push_str(&format!(", provider_on_track: {a}"));
                    }
                    if let Some(b) = b {
                        s.push_str(&format!(", contract_changed: {b}"));
                    }
                    if let Some(n) = note {
                        s.push_str(&format!(", note: {}", n.yaml()));
                    }
                    s.push_str(" }\n");
                }
            }
            if !decisions.is_empty() && !rep.decisions.is_empty() {
                let mut v: Vec<String> = list(&rep.decisions, 4)
                    .iter()
                    .map(|&i| decision_id(i))
                    .collect();
                v.sort();
                v.dedup();
                s.push_str(&format!("decisions: [{}]\n", v.join(", ")));
            }
            if !risks.is_empty() && !rep.risks.is_empty() {
                s.push_str("risks:\n");
                let mut seen = std::collections::BTreeSet::new();
                for (k, st, prob, note) in list(&rep.risks, 4) {
                    let id = risk_id(*k);
                    if !seen.insert(id.clone()) {
                        continue;
                    }
                    let mut fields = Vec::new();
                    if let Some(v) = st {
                        fields.push(format!("status: {}", statuses[*v as usize % 4]));
                    }
                    if let Some(v) = prob {
                        fields.push(format!("probability: {}", score(*v)));
                    }
                    if let Some(v) = note {
                        fields.push(format!("note: {}", v.yaml()));
                    }
                    s.push_str(&format!("  {id}: {{ {} }}\n", fields.join(", ")));
                }
            }
            if rep.draft {
                s.push_str("draft: true\n");
            }
            s.push_str("---\n");
            for b in list(&rep.body, 8) {
                s.push_str(&b.get());
                s.push('\n');
            }
            files.push((format!("reports/{}.md", date(rep.day % 96)), s.into_bytes()));
        }

        // pages/*.md
        for (i, (title, body)) in list(&self.pages, 3).iter().enumerate() {
            let mut s = format!("---\ntitle: {}\n---\n", title.yaml());
            for b in list(body, 8) {
                s.push_str(&b.get());
                s.push('\n');
            }
            files.push((format!("pages/p{i}.md"), s.into_bytes()));
        }

        // stakeholders.yaml
        if !self.stakeholders.is_empty() && !teams.is_empty() {
            let mut s = String::new();
            for (i, (name, team)) in list(&self.stakeholders, 3).iter().enumerate() {
                s.push_str(&format!(
                    "- name: {}\n  email: person{i}@stakeholders.example\n  teams: [{}]\n",
                    name.yaml(),
                    team_id(*team)
                ));
            }
            files.push(("stakeholders.yaml".to_string(), s.into_bytes()));
        }
        files
    }
}

/// A whole build from a generated content folder: load, resolve, analyse,
/// render every file in memory and run the publishing guards. Every HTML page
/// must be free of script-capable constructs.
pub fn whole_build(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(spec) = GenProgram::arbitrary(&mut u) else {
        return;
    };
    build_files(&spec.files());
}

/// Like [`whole_build`]; whether the generated folder got as far as rendering.
pub fn whole_build_rendered(data: &[u8]) -> bool {
    let mut u = Unstructured::new(data);
    GenProgram::arbitrary(&mut u).is_ok_and(|spec| build_files(&spec.files()))
}

/// Renders `files` like `build` does, without writing; whether it rendered.
pub fn build_files(files: &[(String, Vec<u8>)]) -> bool {
    let Some(analyzed) = analyze_files(files) else {
        return false;
    };
    let Ok(out) = site::render_site(&analyzed, None) else {
        return false;
    };
    let _ = site::guards::check(&out, &analyzed.program);
    for f in &out {
        if f.path.ends_with(".html") {
            let text = std::str::from_utf8(&f.bytes).expect("HTML is UTF-8");
            assert_safe_html(text, false);
        }
    }
    true
}
