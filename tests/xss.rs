//! The escaping corpus: every payload of `tests/xss/payloads.txt` goes into
//! every text field and Markdown body of a content folder, the real binary
//! builds it, and the whole output is parsed: HTML pages with html5ever
//! (scraper), inline SVG charts and the XML files with roxmltree (and the HTML
//! inside the Atom feed with html5ever again). No script-capable construct may
//! appear, and every page carries a Content-Security-Policy.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// The payloads, one per line, plus a few that a text file cannot hold well.
fn payloads() -> Vec<String> {
    let text = std::fs::read_to_string(common::root().join("tests/xss/payloads.txt")).unwrap();
    let mut list: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    list.extend(
        [
            "nul\u{0}<script>alert(1)</script>",
            "line\u{2028}sep\u{2029}<svg onload=alert(1)>",
            "bell\u{7}\u{1b}[31m<img src=x onerror=alert(1)>",
            "cr\rlf\n\"><script>alert(1)</script>",
            "bom\u{feff}<script>",
            "\u{85}next-line</text><script>alert(1)</script>",
        ]
        .map(str::to_string),
    );
    list
}

/// Payload groups, each field gets one group per build.
const GROUPS: usize = 16;

/// The text for field `field` in build `build`: a group of payloads joined by
/// spaces (plain fields) or blank lines (Markdown bodies).
fn text(all: &[String], build: usize, field: usize, markdown: bool) -> String {
    let group = (build + field) % GROUPS;
    let items: Vec<&str> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| i % GROUPS == group)
        .map(|(_, p)| p.as_str())
        .collect();
    if markdown {
        items.join("\n\n")
    } else {
        items.join(" ").replace(['\n', '\r'], " ")
    }
}

/// YAML double-quoted scalar (JSON strings are YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A quoted text without control characters (stakeholders' names and roles,
/// which never reach the site, must be printable for e-mail headers).
fn plain(quoted: &str) -> String {
    let s: String = serde_json::from_str(quoted).unwrap();
    q(&s.replace(|c: char| c.is_control(), " "))
}

/// A content folder whose every text field is hostile. Ids, dates and enums
/// stay valid so that it builds.
fn write_content(dir: &Path, all: &[String], build: usize) {
    let mut n = 0;
    let mut t = |md: bool| {
        n += 1;
        q(&text(all, build, n, md))
    };
    let files: Vec<(&str, String)> = vec![
        (
            "program.yaml",
            format!(
                "name: {}\nobjective: {}\nsuccess_criteria: [{}, {}]\nstart: 2027-03-01\nend: 2027-04-30\n\
                 reports: {{ cadence: 2w, first: 2027-03-05 }}\n\
                 communication:\n  - {{ name: {}, every: {}, audience: {}, owner: {} }}\n\
                 key_risks: [slip]\nsite: {{ title: {}, base_url: https://example.org/x/ }}\n",
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false)
            ),
        ),
        (
            "teams.yaml",
            format!(
                "- id: core\n  name: {}\n  lead: {}\n  color: \"#3b82f6\"\n- id: web\n  name: {}\n  lead: {}\n",
                t(false),
                t(false),
                t(false),
                t(false)
            ),
        ),
        (
            "deliverables/core.yaml",
            format!(
                "- id: api\n  name: {}\n  owner: core\n  start: 2027-03-01\n  due: 2027-03-05\n  contract: {}\n  description: {}\n\
                 - id: sdk\n  name: {}\n  owner: core\n  depends_on: [api]\n  duration: 5d\n  contract: {}\n  description: {}\n\
                 - id: site\n  name: {}\n  owner: web\n  depends_on: [sdk]\n  duration: 3d\n  description: {}\n",
                t(false),
                t(false),
                t(true),
                t(false),
                t(false),
                t(true),
                t(false),
                t(true)
            ),
        ),
        (
            "milestones.yaml",
            format!(
                "- id: launch\n  name: {}\n  date: 2027-03-22\n  depends_on: [site]\n  description: {}\n",
                t(false),
                t(true)
            ),
        ),
        (
            "risks.yaml",
            format!(
                "- id: slip\n  title: {}\n  probability: 3\n  impact: 4\n  owner: core\n  affects: [api, launch]\n  mitigation: {}\n  review_by: 2027-03-10\n\
                 - id: people\n  title: {}\n  probability: 2\n  impact: 2\n  owner: {}\n  mitigation: {}\n  status: mitigating\n",
                t(false),
                t(false),
                t(false),
                t(false),
                t(false)
            ),
        ),
        (
            "decisions.yaml",
            format!(
                "- id: scope\n  title: {}\n  risk: slip\n  options: [{}, {}]\n  recommendation: {}\n  decider: {}\n  needed_by: 2027-03-12\n\
                 - id: done\n  title: {}\n  options: [{}]\n  decider: {}\n  status: decided\n  outcome: {}\n  decided_on: 2027-03-04\n",
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false),
                t(false)
            ),
        ),
        (
            "stakeholders.yaml",
            format!(
                "- name: {}\n  email: dana@stakeholders.example\n  role: {}\n",
                plain(&t(false)),
                plain(&t(false))
            ),
        ),
        (
            "reports/2027-03-05.md",
            format!(
                "---\ndate: 2027-03-05\nstatus: amber\nsummary: {}\nupdates:\n  api: {{ status: at_risk, progress: 80, forecast: 2027-03-09, note: {} }}\n  \
                 launch: {{ status: on_track, note: {} }}\n\
                 dependencies:\n  - {{ from: api, to: sdk, provider_on_track: false, contract_changed: true, consumer_ready: true, note: {} }}\n\
                 decisions: [scope]\nrisks:\n  slip: {{ status: mitigating, probability: 4, note: {} }}\n---\n",
                t(false),
                t(false),
                t(false),
                t(false),
                t(false)
            ),
        ),
        (
            "reports/2027-03-19.md",
            format!(
                "---\ndate: 2027-03-19\nstatus: red\nsummary: {}\nupdates:\n  api: {{ status: done, progress: 100, forecast: 2027-03-10, note: {} }}\n  \
                 sdk: {{ status: blocked, progress: 10, note: {} }}\ndecisions: [scope, done]\n---\n",
                t(false),
                t(false),
                t(false)
            ),
        ),
        ("pages/plan.md", format!("---\ntitle: {}\n---\n", t(false))),
    ];
    for (path, mut body) in files {
        if path.ends_with(".md") {
            // The Markdown body after the front matter.
            body.push_str(&text(all, build, 100 + path.len(), true));
            body.push('\n');
        }
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
}

const FORBIDDEN: &[&str] = &[
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
    "template",
    "noscript",
    "portal",
    "animate",
    "set",
    "handler",
];

fn dangerous(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")
}

/// Problems with one parsed HTML document or fragment.
fn check_html(doc: &scraper::Html, what: &str, problems: &mut Vec<String>) {
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name().to_ascii_lowercase();
        if FORBIDDEN.contains(&name.as_str()) {
            problems.push(format!("{what}: <{name}> element"));
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("{what}: <{name} {attr}=…> event handler"));
            }
            let url_attr = matches!(
                attr.as_str(),
                "href"
                    | "src"
                    | "xlink:href"
                    | "action"
                    | "formaction"
                    | "srcset"
                    | "poster"
                    | "data"
            );
            let favicon = name == "link" && attr == "href" && value == "data:,";
            if url_attr && !favicon && dangerous(value) {
                problems.push(format!("{what}: <{name} {attr}={value:?}>"));
            }
        }
    }
}

/// Problems with one XML document (SVG chart, feed, sitemap).
fn check_xml(text: &str, what: &str, problems: &mut Vec<String>) {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, opts) {
        Ok(d) => d,
        Err(e) => {
            problems.push(format!("{what}: not well-formed XML: {e}"));
            return;
        }
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name().to_ascii_lowercase();
        if FORBIDDEN.contains(&name.as_str()) {
            problems.push(format!("{what}: <{name}> element"));
        }
        for a in node.attributes() {
            let attr = a.name().to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("{what}: {attr} attribute"));
            }
            if matches!(attr.as_str(), "href" | "src") && dangerous(a.value()) {
                problems.push(format!("{what}: {attr}={:?}", a.value()));
            }
        }
        // Feeds carry HTML as text: it is HTML again for a feed reader.
        if node.attribute("type") == Some("html")
            && let Some(html) = node.text()
        {
            let frag = scraper::Html::parse_fragment(html);
            check_html(&frag, &format!("{what} <{name} type=html>"), problems);
        }
    }
}

/// Every inline `<svg>…</svg>` of a page.
fn inline_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        out.push(&rest[start..start + len + 6]);
        rest = &rest[start + len + 6..];
    }
    out
}

fn check_site(out: &Path, problems: &mut Vec<String>) -> (usize, usize) {
    let (mut pages, mut svgs) = (0, 0);
    for (rel, bytes) in common::snapshot_tree(out) {
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") {
            pages += 1;
            let doc = scraper::Html::parse_document(&text);
            check_html(&doc, &rel, problems);
            let sel =
                scraper::Selector::parse("meta[http-equiv=\"Content-Security-Policy\"]").unwrap();
            let csp: Vec<_> = doc
                .select(&sel)
                .filter_map(|m| m.value().attr("content"))
                .collect();
            match csp.as_slice() {
                [c] if c.contains("default-src 'none'") && !c.contains("unsafe") => {}
                other => problems.push(format!("{rel}: Content-Security-Policy is {other:?}")),
            }
            // The CSP must come before anything the page could inject.
            let head_start = text.find("<head>").unwrap_or(0);
            let csp_at = text.find("Content-Security-Policy").unwrap_or(usize::MAX);
            if text[head_start..csp_at.min(text.len())].contains("<title") {
                problems.push(format!("{rel}: the CSP comes after the title"));
            }
            for (i, svg) in inline_svgs(&text).into_iter().enumerate() {
                svgs += 1;
                check_xml(svg, &format!("{rel} svg #{i}"), problems);
            }
        } else if rel.ends_with(".svg") || rel.ends_with(".xml") {
            svgs += 1;
            check_xml(&text, &rel, problems);
        }
    }
    (pages, svgs)
}

#[test]
fn payloads_in_every_field_never_become_markup() {
    let all = payloads();
    assert!(all.len() >= 100, "{} payloads", all.len());
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut summary = String::new();
    for build in 0..GROUPS {
        let content = tmp.path().join(format!("b{build}/content"));
        let out = tmp.path().join(format!("b{build}/public"));
        write_content(&content, &all, build);
        let run = Command::new(env!("CARGO_BIN_EXE_tpm-site"))
            .args(["build", "--source-commit", "abc1234", "--content"])
            .arg(&content)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "build {build} failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let (pages, svgs) = check_site(&out, &mut problems);
        assert!(pages > 10 && svgs > 0, "{pages} pages, {svgs} SVG/XML");
        // The payloads are shown as text, not dropped.
        let shown = common::snapshot_tree(&out)
            .iter()
            .filter(|(p, b)| p.ends_with(".html") && String::from_utf8_lossy(b).contains("&lt;"))
            .count();
        assert!(
            shown * 2 > pages,
            "build {build}: payloads shown on {shown} of {pages} pages"
        );
        let _ = writeln!(
            summary,
            "build {build}: {pages} pages, {svgs} SVG/XML documents"
        );
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!("{summary}");
}

#[test]
fn each_payload_alone_through_markdown() {
    for p in payloads() {
        for md in [
            p.clone(),
            format!("Text before\n\n{p}\n\nafter"),
            format!("- {p}"),
        ] {
            let html = tpm_site::render::markdown::to_html(&md);
            let mut problems = Vec::new();
            check_html(
                &scraper::Html::parse_fragment(&html),
                &format!("{p:?}"),
                &mut problems,
            );
            assert!(problems.is_empty(), "{problems:?}\n{html}");
            assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
        }
    }
}
