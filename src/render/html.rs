//! The HTML site: every page, rendered through the theme.
//!
//! [`render_pages`] returns the pages plus the stylesheets (`assets/`): it
//! writes nothing. Every link is relative and names `index.html` explicitly,
//! so the site works from `file://` and under a GitHub Pages project URL;
//! `base_url` is only used for `<link rel="canonical">` (and the 404 page,
//! which is served from any depth). Pages contain no JavaScript, and a
//! Content-Security-Policy forbids it anyway.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::charts::{PageCharts, Subject, charts_for};
use super::theme::Theme;
use super::views::{self, Layout, LayoutSpec, Links};
use super::{OutputFile, SiteData};

/// A page could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The template failed (e.g. an overridden template uses a field that does not exist).
    #[error("cannot render {path} with theme template {template}: {message}")]
    Template {
        path: String,
        template: String,
        message: String,
    },
}

/// Every page of the site plus its assets.
///
/// Every page is one job ([`page_jobs`]), and all jobs run in one parallel pass, the
/// costliest first (the whole-program diagram), so no page waits for another
/// kind of page to finish.
pub fn render_pages(data: &SiteData, theme: &Theme) -> Result<Vec<OutputFile>, RenderError> {
    let out = std::sync::Mutex::new(Vec::new());
    render_pages_each(data, theme, |f| {
        out.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        Ok::<(), RenderError>(())
    })?;
    let mut out = out.into_inner().unwrap_or_else(|e| e.into_inner());
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Renders every page and stylesheet like [`render_pages`], but hands each
/// file to `sink` as soon as it is made, on the thread that made it, and
/// keeps nothing: memory does not grow with the size of the site. The
/// newest report's page is rendered once and handed over twice (under its
/// date and `reports/latest/`). The first error of `sink` or of a page stops
/// the pass.
pub fn render_pages_each<E, F>(data: &SiteData, theme: &Theme, sink: F) -> Result<(), E>
where
    E: From<RenderError> + Send,
    F: Fn(OutputFile) -> Result<(), E> + Sync,
{
    let r = Renderer {
        data,
        theme,
        extra_css: theme.extra_stylesheets(),
    };
    let latest = views::index_path(views::LATEST_DIR);
    let latest_report = data
        .current
        .report
        .filter(|&i| i < data.program.reports.len());
    let jobs: Vec<Job> = page_jobs(data)
        .into_iter()
        .filter(|(path, _)| *path != latest)
        .map(|(_, job)| job.0)
        .collect();
    for asset in r.assets() {
        sink(asset)?;
    }
    jobs.into_par_iter().try_for_each(|job| {
        let Some(file) = r.render_job(job) else {
            return Ok(());
        };
        let file = file?;
        if matches!(job, Job::Report(i) if Some(i) == latest_report) {
            sink(OutputFile {
                path: latest.clone(),
                bytes: file.bytes.clone(),
            })?;
        }
        sink(file)
    })
}

/// One page of the site, to render on its own ([`render_page`]).
#[derive(Clone, Copy, Debug)]
pub struct PageJob(Job);

/// Every page of the site with its output path, without rendering any:
/// `serve` renders each page when it is first asked for. The newest report
/// is listed twice, under its date and under `reports/latest/`.
pub fn page_jobs(data: &SiteData) -> Vec<(String, PageJob)> {
    let p = data.program;
    let mut out: Vec<(String, PageJob)> = Vec::new();
    let mut push = |path: String, job: Job| out.push((path, PageJob(job)));
    // The costliest page (the whole-program diagram) first, so a parallel
    // pass starts it early.
    for top in [
        Top::Dependencies,
        Top::Dashboard,
        Top::Charter,
        Top::Teams,
        Top::Risks,
        Top::Decisions,
        Top::Archive,
    ] {
        push(views::index_path(top.dir()), Job::Top(top));
    }
    for (i, r) in p.reports.iter().enumerate() {
        push(
            views::index_path(&views::report_dir(r.date)),
            Job::Report(i),
        );
    }
    if let Some(i) = data.current.report.filter(|&i| i < p.reports.len()) {
        push(views::index_path(views::LATEST_DIR), Job::Report(i));
    }
    for (ix, t) in p.teams.iter().enumerate() {
        push(views::index_path(&views::team_dir(&t.id)), Job::Team(ix));
    }
    for (ix, it) in p.items.iter().enumerate() {
        push(views::index_path(&views::item_dir(it)), Job::Item(ix));
    }
    for (i, pg) in p.pages.iter().enumerate() {
        push(views::index_path(&views::page_dir(&pg.slug)), Job::Free(i));
    }
    push("404.html".to_string(), Job::NotFound);
    out
}

/// Renders one page (`None`: it has no page after all, e.g. an item whose
/// view cannot be built).
pub fn render_page(
    data: &SiteData,
    theme: &Theme,
    job: PageJob,
) -> Option<Result<OutputFile, RenderError>> {
    Renderer {
        data,
        theme,
        extra_css: theme.extra_stylesheets(),
    }
    .render_job(job.0)
}

/// The stylesheets: the theme's and the generated team colours.
pub fn assets(data: &SiteData, theme: &Theme) -> Vec<OutputFile> {
    Renderer {
        data,
        theme,
        extra_css: Vec::new(),
    }
    .assets()
}

/// A top-level page.
#[derive(Clone, Copy, Debug)]
enum Top {
    Dashboard,
    Charter,
    Dependencies,
    Teams,
    Risks,
    Decisions,
    Archive,
}

impl Top {
    /// The page's folder.
    fn dir(self) -> &'static str {
        match self {
            Top::Dashboard => "",
            Top::Charter => "charter",
            Top::Dependencies => "dependencies",
            Top::Teams => "teams",
            Top::Risks => "risks",
            Top::Decisions => "decisions",
            Top::Archive => "reports",
        }
    }
}

/// One page to render.
#[derive(Clone, Copy, Debug)]
enum Job {
    Top(Top),
    Team(usize),
    Report(usize),
    Item(usize),
    Free(usize),
    NotFound,
}

/// What a page is and where it goes.
struct Page<'p> {
    path: String,
    template: &'p str,
    title: String,
    kind: &'p str,
    section: Option<String>,
    /// Which snapshot the page shows: `None` is the current one, `Some(i)` report `i`'s.
    report: Option<usize>,
    /// What the page is about (chooses its charts).
    subject: Subject,
}

#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    layout: &'a Layout,
    page: &'a T,
    charts: &'a PageCharts,
}

struct Renderer<'a, 'd> {
    data: &'a SiteData<'d>,
    theme: &'a Theme,
    extra_css: Vec<String>,
}

type Rendered = Option<Result<OutputFile, RenderError>>;

impl Renderer<'_, '_> {
    /// Renders one page (`None`: the job has no page, e.g. an unknown index).
    fn render_job(&self, job: Job) -> Rendered {
        match job {
            Job::Top(top) => self.top(top),
            Job::Team(ix) => self.team(ix),
            Job::Report(i) => self.report(i),
            Job::Item(ix) => self.item(ix),
            Job::Free(i) => self.free_page(i),
            Job::NotFound => Some(self.not_found()),
        }
    }

    /// Renders one page; `view` holds its data, built for the page's [`Links`].
    fn render_one<T: Serialize>(
        &self,
        p: Page,
        links: &Links,
        view: &T,
    ) -> Result<OutputFile, RenderError> {
        let (as_of, as_of_report) = match p.report.and_then(|i| self.data.reports.get(i)) {
            Some(snap) => (snap.as_of, p.report),
            None => (self.data.current.as_of, self.data.current.report),
        };
        let layout = views::layout(
            self.data.program,
            links,
            &LayoutSpec {
                path: &p.path,
                title: &p.title,
                kind: p.kind,
                section: p.section.as_deref(),
                as_of,
                as_of_report,
                extra_css: &self.extra_css,
            },
        );
        let fail = |message: String| RenderError::Template {
            path: p.path.clone(),
            template: self.theme.source_of(p.template).to_string(),
            message,
        };
        let mut charts = charts_for(self.data, p.subject, links.root());
        let svgs = charts.take_svgs();
        let ctx = Context::from_serialize(&PageContext {
            layout: &layout,
            page: view,
            charts: &charts,
        })
        .map_err(|e| fail(e.to_string()))?;
        let html = self
            .theme
            .render(p.template, &ctx)
            .map_err(|e| fail(super::theme::tera_message(&e)))?;
        drop(ctx);
        let html = PageCharts::splice(html, &svgs);
        Ok(OutputFile {
            path: p.path,
            bytes: html.into_bytes(),
        })
    }

    /// A top-level `index.html`, with a view built for its depth.
    fn top(&self, top: Top) -> Rendered {
        let d = self.data;
        let dir = top.dir();
        let (template, title, kind) = match top {
            Top::Dashboard => ("dashboard.html", "Dashboard", "dashboard"),
            Top::Charter => ("charter.html", "Charter", "charter"),
            Top::Dependencies => ("dependencies.html", "Dependency map", "dependencies"),
            Top::Teams => ("teams.html", "Teams", "teams"),
            Top::Risks => ("risks.html", "Risk register", "risks"),
            Top::Decisions => ("decisions.html", "Decisions", "decisions"),
            Top::Archive => ("reports.html", "Reports", "reports"),
        };
        let path = views::index_path(dir);
        let links = Links::from_path(&path);
        let subject = match top {
            Top::Dashboard => Subject::Dashboard,
            Top::Dependencies => Subject::Dependencies,
            Top::Risks => Subject::Risks,
            _ => Subject::Other,
        };
        let page = Page {
            path,
            template,
            title: title.to_string(),
            kind,
            section: Some(dir.to_string()),
            report: None,
            subject,
        };
        Some(match top {
            Top::Dashboard => self.render_one(page, &links, &views::dashboard(d, &links)),
            Top::Charter => self.render_one(page, &links, &views::charter(d, &links)),
            Top::Dependencies => self.render_one(page, &links, &views::dependencies(d, &links)),
            Top::Teams => self.render_one(page, &links, &views::teams(d, &links)),
            Top::Risks => self.render_one(page, &links, &views::risks(d, &links)),
            Top::Decisions => self.render_one(page, &links, &views::decisions(d, &links)),
            Top::Archive => self.render_one(page, &links, &views::archive(d, &links)),
        })
    }

    fn team(&self, ix: usize) -> Rendered {
        let d = self.data;
        let t = d.program.teams.get(ix)?;
        let path = views::index_path(&views::team_dir(&t.id));
        let links = Links::from_path(&path);
        let v = views::team(d, &links, ix)?;
        let page = Page {
            path,
            template: "team.html",
            title: t.name.clone(),
            kind: "team",
            section: Some("teams".into()),
            report: None,
            subject: Subject::Team(ix),
        };
        Some(self.render_one(page, &links, &v))
    }

    fn report(&self, i: usize) -> Rendered {
        let d = self.data;
        let r = d.program.reports.get(i)?;
        let path = views::index_path(&views::report_dir(r.date));
        let links = Links::from_path(&path);
        let v = views::report(d, &links, i)?;
        let page = Page {
            path,
            template: "report.html",
            title: format!("Report of {}", r.date),
            kind: "report",
            section: Some("reports".into()),
            report: Some(i),
            subject: Subject::Report(i),
        };
        Some(self.render_one(page, &links, &v))
    }

    fn item(&self, ix: usize) -> Rendered {
        let d = self.data;
        let it = d.program.items.get(ix)?;
        let path = views::index_path(&views::item_dir(it));
        let links = Links::from_path(&path);
        let v = views::item(d, &links, ix)?;
        let kind = if v.row.item.milestone {
            "milestone"
        } else {
            "deliverable"
        };
        let page = Page {
            path,
            template: "item.html",
            title: it.name.clone(),
            kind,
            section: Some("dependencies".into()),
            report: None,
            subject: Subject::Item(ix),
        };
        Some(self.render_one(page, &links, &v))
    }

    fn free_page(&self, i: usize) -> Rendered {
        let d = self.data;
        let p = d.program.pages.get(i)?;
        let dir = views::page_dir(&p.slug);
        let path = views::index_path(&dir);
        let links = Links::from_path(&path);
        let v = views::page(d.program, i)?;
        let page = Page {
            path,
            template: "page.html",
            title: p.title.clone(),
            kind: "page",
            section: Some(dir),
            report: None,
            subject: Subject::Other,
        };
        Some(self.render_one(page, &links, &v))
    }

    /// `404.html` is served at any depth, so its links are absolute when `base_url` is known.
    fn not_found(&self) -> Result<OutputFile, RenderError> {
        let links = match self.data.program.meta.site.base_url.as_deref() {
            Some(b) if b.starts_with("https://") || b.starts_with("http://") => {
                Links::with_root(if b.ends_with('/') {
                    b.to_string()
                } else {
                    format!("{b}/")
                })
            }
            _ => Links::from_path("404.html"),
        };
        let page = Page {
            path: "404.html".into(),
            template: "404.html",
            title: "Page not found".into(),
            kind: "not-found",
            section: None,
            report: None,
            subject: Subject::Other,
        };
        self.render_one(page, &links, &serde_json::Map::new())
    }

    fn assets(&self) -> Vec<OutputFile> {
        let mut out: Vec<OutputFile> = self
            .theme
            .assets()
            .filter(|(name, _)| *name != "teams.css")
            .map(|(name, bytes)| OutputFile {
                path: format!("assets/{name}"),
                bytes: bytes.to_vec(),
            })
            .collect();
        out.push(OutputFile {
            path: "assets/teams.css".into(),
            bytes: views::teams_css(self.data.program).into_bytes(),
        });
        out
    }
}

/// `reports/latest/index.html`: a byte-for-byte copy of the page of the
/// newest report as of the site's date. It sits at the same depth as the
/// dated pages, so the relative links work unchanged, and its canonical
/// link (when `base_url` is known) names the dated page.
#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use scraper::{Html, Selector};

    use super::*;
    use crate::diagnostics::Diagnostics;
    use crate::site::{self, Analyzed};

    /// Every hostile string a content author could write, in one.
    const EVIL: &str = r#"<script>alert(1)</script> "><img onerror=x> Tom & Jerry"#;

    /// Markdown with raw HTML, a `javascript:` link and an ampersand.
    const EVIL_MD: &str = "Body <script>alert(1)</script> and \"><img onerror=x> and Tom & Jerry.\n\n[click](javascript:alert(1)) <b onclick=\"x\">bold</b>\n";

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }

    fn indent(md: &str) -> String {
        md.lines().map(|l| format!("    {l}\n")).collect()
    }

    /// A small program with every content string set to [`EVIL`].
    fn evil_content(root: &Path, with_late_report: bool) {
        let e = format!("'{EVIL}'");
        write(
            root,
            "program.yaml",
            &format!(
                "name: {e}\nobjective: {e}\nsuccess_criteria: [{e}]\nstart: 2027-01-04\nend: 2027-03-31\n\
             reports: {{ cadence: 2w, first: 2027-01-15 }}\n\
             communication:\n  - {{ name: {e}, every: 1w, audience: {e}, owner: {e} }}\n\
             key_risks: [r1]\nsite:\n  title: {e}\n  base_url: https://example.org/repo/\n"
            ),
        );
        write(
            root,
            "teams.yaml",
            &format!(
                "- {{ id: alpha, name: {e}, lead: {e}, color: \"#112233\" }}\n- {{ id: beta, name: {e}, lead: {e} }}\n"
            ),
        );
        write(
            root,
            "deliverables/all.yaml",
            &format!(
                "- id: d1\n  name: {e}\n  owner: alpha\n  start: 2027-01-04\n  duration: 5d\n  contract: {e}\n  description: |\n{}\
             - id: d2\n  name: {e}\n  owner: beta\n  depends_on: [m1]\n  due: 2027-02-26\n",
                indent(EVIL_MD)
            ),
        );
        write(
            root,
            "milestones.yaml",
            &format!("- {{ id: m1, name: {e}, date: 2027-01-20, depends_on: [d1] }}\n"),
        );
        write(
            root,
            "risks.yaml",
            &format!(
                "- {{ id: r1, title: {e}, probability: 4, impact: 4, owner: {e}, affects: [d1, d2], mitigation: {e}, status: open, review_by: 2027-01-10 }}\n\
             - {{ id: r2, title: {e}, probability: 1, impact: 2, owner: alpha, affects: [d2], mitigation: {e}, status: mitigating }}\n"
            ),
        );
        write(
            root,
            "decisions.yaml",
            &format!(
                "- {{ id: q1, title: {e}, risk: r1, options: [{e}, other], recommendation: {e}, decider: {e}, needed_by: 2027-01-20, status: open }}\n\
             - {{ id: q2, title: {e}, options: [{e}], recommendation: {e}, decider: {e}, needed_by: 2027-01-20, status: decided, outcome: {e}, decided_on: 2027-01-14 }}\n"
            ),
        );
        write(
            root,
            "reports/2027-01-15.md",
            &format!(
                "---\ndate: 2027-01-15\nstatus: amber\nsummary: {e}\nupdates:\n  d1: {{ status: at_risk, progress: 50, forecast: 2027-01-13, note: {e} }}\n\
             dependencies:\n  - {{ from: d1, to: m1, provider_on_track: false, contract_changed: true, consumer_ready: false, note: {e} }}\n\
             decisions: [q1, q2]\n---\n{EVIL_MD}"
            ),
        );
        if with_late_report {
            write(
                root,
                "reports/2027-02-12.md",
                &format!(
                    "---\ndate: 2027-02-12\nstatus: red\nsummary: {e}\nupdates:\n  d1: {{ status: done, progress: 100, note: {e} }}\n  d2: {{ status: blocked, forecast: 2027-03-12 }}\ndecisions: [q1]\n\
                     risks:\n  r1: {{ status: closed, note: {e} }}\n  r2: {{ probability: 5, impact: 5 }}\n---\n{EVIL_MD}"
                ),
            );
        }
        write(
            root,
            "pages/evil.md",
            &format!("---\ntitle: {e}\n---\n{EVIL_MD}"),
        );
    }

    fn analyze(root: &Path) -> Analyzed {
        let mut diags = Diagnostics::new();
        let a = site::analyze_dir(root, None, false, &mut diags).expect("content loads");
        let shown: Vec<String> = diags.iter().map(|d| d.display(root).to_string()).collect();
        a.unwrap_or_else(|| panic!("content has errors:\n{}", shown.join("\n")))
    }

    fn render(a: &Analyzed, theme: &Theme) -> Vec<OutputFile> {
        render_at(a, theme, None)
    }

    fn render_at(a: &Analyzed, theme: &Theme, commit: Option<&str>) -> Vec<OutputFile> {
        let data = SiteData {
            program: &a.program,
            plan: &a.plan,
            current: &a.current,
            reports: &a.reports,
            scheduled: &a.scheduled,
            source_commit: commit.map(str::to_string),
            cache: Default::default(),
        };
        render_pages(&data, theme).expect("render")
    }

    /// Past [`super::super::charts::FULL_DIAGRAM_MAX_ITEMS`] items the
    /// dependencies page draws the team roll-up and says why; below, every
    /// item.
    #[test]
    fn a_huge_program_gets_the_team_roll_up_on_its_dependencies_page() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut a = analyze(&root);
        let theme = Theme::builtin().expect("theme");
        let dependencies_page = |a: &Analyzed| {
            let data = a.site_data();
            let (_, job) = page_jobs(&data)
                .into_iter()
                .find(|(path, _)| path == "dependencies/index.html")
                .expect("a dependencies page");
            let f = render_page(&data, &theme, job)
                .expect("rendered")
                .expect("no error");
            String::from_utf8(f.bytes).expect("utf-8")
        };
        let small = dependencies_page(&a);
        assert!(small.contains("id=\"chart-dependencies\""), "{small}");
        assert!(!small.contains("id=\"chart-team-map\""));
        let template = a.program.items.len() - 1;
        let grow = |a: &mut Analyzed, to: usize| {
            while a.program.items.len() <= to {
                let mut item = a.program.items[template].clone();
                item.id = format!("zz-generated-{}", a.program.items.len());
                item.depends_on = vec![template];
                a.program.items.push(item);
                a.plan.items.push(a.plan.items[template]);
                a.plan.consumers.push(Vec::new());
                a.current.items.push(a.current.items[template].clone());
            }
        };
        // Past a readable size: the team map first, then every item.
        grow(&mut a, super::super::charts::READABLE_DIAGRAM_MAX_ITEMS);
        let mid = dependencies_page(&a);
        let (teams_at, items_at) = (
            mid.find("id=\"chart-team-map\"").expect("a team map"),
            mid.find("id=\"chart-dependencies\"")
                .expect("the item diagram"),
        );
        assert!(teams_at < items_at, "the team map leads");
        let limit = super::super::charts::FULL_DIAGRAM_MAX_ITEMS;
        grow(&mut a, limit);
        let huge = dependencies_page(&a);
        assert!(huge.contains("id=\"chart-team-map\""), "no team roll-up");
        assert!(
            !huge.contains("id=\"chart-dependencies\""),
            "a full diagram"
        );
        assert!(
            huge.contains(&format!(
                "{} items are too many for one readable diagram",
                limit + 1
            )),
            "no word on why"
        );
        assert!(
            huge.contains("zz-generated-"),
            "the table still lists every item"
        );
    }

    fn page_of(files: &[OutputFile], path: &str) -> String {
        let f = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        String::from_utf8(f.bytes.clone()).expect("utf-8")
    }

    fn evil_site() -> Vec<OutputFile> {
        let dir = tempfile::tempdir().expect("tempdir");
        evil_content(dir.path(), true);
        render(&analyze(dir.path()), &Theme::builtin().expect("theme"))
    }

    fn html_pages(files: &[OutputFile]) -> Vec<(&str, String)> {
        files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| {
                (
                    f.path.as_str(),
                    String::from_utf8(f.bytes.clone()).expect("utf-8"),
                )
            })
            .collect()
    }

    fn sel(s: &str) -> Selector {
        Selector::parse(s).expect("selector")
    }

    #[test]
    fn writes_every_page() {
        let files = evil_site();
        let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for p in [
            "index.html",
            "charter/index.html",
            "dependencies/index.html",
            "teams/index.html",
            "teams/alpha/index.html",
            "teams/beta/index.html",
            "risks/index.html",
            "decisions/index.html",
            "reports/index.html",
            "reports/2027-01-15/index.html",
            "reports/2027-02-12/index.html",
            "reports/latest/index.html",
            "deliverables/d1/index.html",
            "deliverables/d2/index.html",
            "milestones/m1/index.html",
            "pages/evil/index.html",
            "404.html",
            "assets/style.css",
            "assets/teams.css",
        ] {
            assert!(paths.contains(p), "missing {p}; have {paths:?}");
        }
    }

    #[test]
    fn content_strings_are_escaped_everywhere() {
        let files = evil_site();
        for (path, html) in html_pages(&files) {
            let lower = html.to_ascii_lowercase();
            assert!(!lower.contains("<script"), "{path} contains a script tag");
            assert!(!lower.contains("<img"), "{path} contains an injected img");
            assert!(
                !lower.contains("javascript:"),
                "{path} contains a javascript: URL"
            );
            assert!(!html.contains(EVIL), "{path} contains the raw string");
            assert!(
                !html.contains("& "),
                "{path} contains an unescaped ampersand"
            );
            let doc = Html::parse_document(&html);
            for el in doc.select(&sel("*")) {
                for (name, _) in el.value().attrs() {
                    assert!(
                        !name.starts_with("on"),
                        "{path}: event handler attribute {name}"
                    );
                }
            }
        }
        // The hostile strings are shown, escaped, where content appears.
        let dashboard = &html_pages(&files)
            .into_iter()
            .find(|(p, _)| *p == "index.html")
            .expect("dashboard")
            .1;
        assert!(
            dashboard.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{dashboard}"
        );
        assert!(dashboard.contains("Tom &amp; Jerry"));
    }

    #[test]
    fn markdown_bodies_are_rendered_safely() {
        let files = evil_site();
        let pages = html_pages(&files);
        for p in [
            "pages/evil/index.html",
            "reports/2027-01-15/index.html",
            "deliverables/d1/index.html",
        ] {
            let html = &pages.iter().find(|(x, _)| *x == p).expect("page").1;
            assert!(
                html.contains("Tom &amp; Jerry."),
                "{p}: Markdown body missing"
            );
            assert!(html.contains("&lt;b onclick="), "{p}: raw HTML not escaped");
            assert!(
                html.contains("<a href=\"#\">click</a>"),
                "{p}: javascript: link not neutralised"
            );
        }
    }

    #[test]
    fn pages_are_accessible_and_script_free() {
        let files = evil_site();
        for (path, html) in html_pages(&files) {
            assert!(html.starts_with("<!doctype html>"), "{path}");
            assert!(html.contains("<html lang=\"en\">"), "{path}");
            assert!(html.contains("<meta charset=\"utf-8\">"), "{path}");
            assert!(html.contains("name=\"viewport\""), "{path}");
            assert!(
                html.contains("content=\"default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'\""),
                "{path}: CSP missing"
            );
            assert!(!html.contains(" style=\""), "{path}: inline style");
            let doc = Html::parse_document(&html);
            assert!(
                doc.errors.is_empty(),
                "{path}: HTML5 parse errors {:?}",
                doc.errors
            );
            assert_eq!(doc.select(&sel("h1")).count(), 1, "{path}: exactly one h1");
            for landmark in ["header", "nav", "main", "footer"] {
                assert!(
                    doc.select(&sel(landmark)).next().is_some(),
                    "{path}: no <{landmark}>"
                );
            }
            assert_eq!(doc.select(&sel("script")).count(), 0, "{path}");
            for th in doc.select(&sel("th")) {
                assert!(
                    th.value().attr("scope").is_some(),
                    "{path}: <th> without scope"
                );
            }
            let footer = doc
                .select(&sel("footer"))
                .next()
                .map(|f| f.text().collect::<String>())
                .unwrap_or_default();
            assert!(
                footer.contains("as of 20"),
                "{path}: footer lacks the as-of date: {footer}"
            );
        }
    }

    #[test]
    fn relative_links_match_the_depth() {
        let files = evil_site();
        let pages = html_pages(&files);
        let check = |path: &str, prefix: &str| {
            let html = &pages.iter().find(|(p, _)| *p == path).expect(path).1;
            let doc = Html::parse_document(html);
            let css: Vec<&str> = doc
                .select(&sel("link[rel=stylesheet]"))
                .filter_map(|l| l.value().attr("href"))
                .collect();
            assert_eq!(
                css,
                vec![
                    format!("{prefix}assets/style.css"),
                    format!("{prefix}assets/charts.css"),
                    format!("{prefix}assets/teams.css")
                ],
                "{path}"
            );
            let home = doc
                .select(&sel("nav a"))
                .next()
                .and_then(|a| a.value().attr("href"))
                .expect("nav link");
            assert_eq!(home, format!("{prefix}index.html"), "{path}");
        };
        check("index.html", "");
        check("charter/index.html", "../");
        check("reports/index.html", "../");
        check("reports/2027-01-15/index.html", "../../");
        check("deliverables/d1/index.html", "../../");
        check("teams/alpha/index.html", "../../");
        check("pages/evil/index.html", "../../");
        // The 404 page is served from any depth: absolute links from base_url.
        check("404.html", "https://example.org/repo/");
    }

    #[test]
    fn internal_links_resolve() {
        let files = evil_site();
        let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for (path, html) in html_pages(&files) {
            if path == "404.html" {
                continue;
            }
            let doc = Html::parse_document(&html);
            let mut ids: BTreeSet<String> = BTreeSet::new();
            for el in doc.select(&sel("[id]")) {
                ids.extend(el.value().attr("id").map(str::to_string));
            }
            for el in doc.select(&sel("a[href], link[href]")) {
                let href = el.value().attr("href").unwrap_or_default();
                // `data:,` is the empty favicon of base.html (no request).
                if href.starts_with("https://")
                    || href == "#"
                    || href.starts_with("#main")
                    || href == "data:,"
                {
                    continue;
                }
                let file = href.split('#').next().unwrap_or_default();
                // Exports are rendered beside the pages (tests/site_links.rs
                // resolves them on a whole build).
                if file.ends_with("deliverables.csv") {
                    continue;
                }
                assert!(
                    file.is_empty() || file.ends_with(".html") || file.ends_with(".css"),
                    "{path}: {href} does not name a file"
                );
                if file.is_empty() {
                    let frag = href.trim_start_matches('#');
                    assert!(ids.contains(frag), "{path}: #{frag} does not exist");
                    continue;
                }
                let target = resolve(path, file);
                assert!(
                    paths.contains(target.as_str()),
                    "{path}: {href} -> {target} does not exist"
                );
            }
        }
    }

    /// `base` is a page path; `href` is relative to its folder.
    fn resolve(base: &str, href: &str) -> String {
        let mut parts: Vec<&str> = base.split('/').collect();
        parts.pop();
        for seg in href.split('/') {
            match seg {
                ".." => {
                    parts.pop();
                }
                "." | "" => {}
                s => parts.push(s),
            }
        }
        parts.join("/")
    }

    #[test]
    fn canonical_uses_base_url() {
        let files = evil_site();
        let pages = html_pages(&files);
        let get = |p: &str| {
            pages
                .iter()
                .find(|(x, _)| *x == p)
                .map(|(_, h)| h.clone())
                .unwrap_or_default()
        };
        assert!(
            get("index.html")
                .contains("<link rel=\"canonical\" href=\"https://example.org/repo/\">")
        );
        assert!(
            get("reports/2027-01-15/index.html")
                .contains("href=\"https://example.org/repo/reports/2027-01-15/\"")
        );
        assert!(!get("404.html").contains("rel=\"canonical\""));
    }

    #[test]
    fn a_report_page_never_changes_when_later_reports_arrive() {
        let before = tempfile::tempdir().expect("tempdir");
        evil_content(before.path(), false);
        let after = tempfile::tempdir().expect("tempdir");
        evil_content(after.path(), true);
        let theme = Theme::builtin().expect("theme");
        let page = |files: Vec<OutputFile>| {
            files
                .into_iter()
                .find(|f| f.path == "reports/2027-01-15/index.html")
                .expect("report page")
                .bytes
        };
        let a = page(render(&analyze(before.path()), &theme));
        let b = page(render(&analyze(after.path()), &theme));
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        // The page has every computed section, so the comparison covers them:
        // the later report closes r1 and re-scores r2, decides nothing, and
        // moves d1 and d2; none of it may leak into the earlier page.
        let html = String::from_utf8_lossy(&b).to_string();
        let doc = Html::parse_document(&html);
        for id in [
            "sec-since",
            "sec-next",
            "sec-decisions",
            "sec-risks",
            "sec-review",
        ] {
            assert!(
                doc.select(&sel(&format!("#{id}"))).next().is_some(),
                "no #{id}"
            );
        }
        let risks: String = doc
            .select(&sel("section[aria-labelledby=sec-risks] tbody"))
            .flat_map(|t| t.text())
            .collect();
        assert!(risks.contains("16") && risks.contains("Open"), "{risks}");
        assert!(
            !risks.contains("Closed") && !risks.contains("25"),
            "{risks}"
        );
    }

    #[test]
    fn overdue_decisions_are_judged_as_of_the_report() {
        // q3 was needed by Jan 10 and decided only on Feb 1: overdue on the
        // Jan 15 report, decided on the Feb 12 one.
        let dir = tempfile::tempdir().expect("tempdir");
        evil_content(dir.path(), true);
        let path = dir.path().join("decisions.yaml");
        let mut yaml = std::fs::read_to_string(&path).expect("decisions");
        yaml.push_str(
            "- { id: q3, title: Late call, options: [a, b], recommendation: a, decider: CTO, \
             needed_by: 2027-01-10, status: decided, outcome: a, decided_on: 2027-02-01 }\n",
        );
        std::fs::write(&path, yaml).expect("write");
        let files = render(&analyze(dir.path()), &Theme::builtin().expect("theme"));
        let detected = |path: &str| -> String {
            let doc = Html::parse_document(&page_of(&files, path));
            doc.select(&sel(
                "#sec-detected ~ .table-scroll tr.kind-overdue_decision",
            ))
            .flat_map(|tr| tr.text())
            .collect()
        };
        assert!(
            detected("reports/2027-01-15/index.html").contains("Late call"),
            "overdue as of Jan 15"
        );
        assert!(!detected("reports/2027-02-12/index.html").contains("Late call"));
        assert!(!detected("index.html").contains("Late call"));
    }

    #[test]
    fn the_latest_report_is_a_copy_of_the_newest() {
        let files = evil_site();
        let latest = page_of(&files, "reports/latest/index.html");
        assert_eq!(latest, page_of(&files, "reports/2027-02-12/index.html"));
        assert!(
            latest.contains(
                "<link rel=\"canonical\" href=\"https://example.org/repo/reports/2027-02-12/\">"
            ),
            "canonical names the dated page"
        );
    }

    #[test]
    fn report_pages_show_the_data_date_and_the_source_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        evil_content(dir.path(), true);
        let a = analyze(dir.path());
        let theme = Theme::builtin().expect("theme");
        let with = page_of(
            &render_at(&a, &theme, Some("abc1234")),
            "reports/2027-01-15/index.html",
        );
        let doc = Html::parse_document(&with);
        let prov: String = doc
            .select(&sel(".provenance"))
            .flat_map(|p| p.text())
            .collect();
        assert_eq!(prov, "Data as of 2027-01-15 · source commit abc1234");
        let without = page_of(&render(&a, &theme), "reports/2027-01-15/index.html");
        assert!(!without.contains("source commit"));
        assert!(without.contains("Data as of <time datetime=\"2027-01-15\">"));
    }

    #[test]
    fn a_report_says_what_changed_and_what_is_needed() {
        let files = evil_site();
        let html = page_of(&files, "reports/2027-02-12/index.html");
        let doc = Html::parse_document(&html);
        let since: Vec<String> = doc
            .select(&sel("#sec-since ~ ul.changes > li"))
            .map(|li| li.text().collect::<String>())
            .collect();
        // d1 went from at risk to done; d2 became blocked; r1 closed; r2 re-scored.
        assert!(
            since
                .iter()
                .any(|l| l.contains("went from") && l.contains("Done")),
            "{since:?}"
        );
        assert!(since.iter().any(|l| l.contains("Blocked")), "{since:?}");
        assert!(since.iter().any(|l| l.contains("closed")), "{since:?}");
        assert!(
            since.iter().any(|l| l.contains("re-scored from 2 to 25")),
            "{since:?}"
        );
        // q1 was needed by 2027-01-20 and is still open: overdue, and it stands out.
        let asks: Vec<String> = doc
            .select(&sel("table.asks tr.is-overdue"))
            .map(|tr| tr.text().collect::<String>())
            .collect();
        assert_eq!(asks.len(), 1, "{asks:?}");
        assert!(asks[0].contains("Overdue by 23 days"), "{asks:?}");
        assert!(
            asks[0].contains("28 days"),
            "open since the report of 2027-01-15"
        );
        // Closed risks are not among the top risks.
        let top: String = doc
            .select(&sel("section[aria-labelledby=sec-risks] tbody"))
            .flat_map(|t| t.text())
            .collect();
        assert!(top.contains("25") && !top.contains("Closed"), "{top}");
    }

    #[test]
    fn item_pages_show_the_forecast_trend() {
        let files = evil_site();
        let html = page_of(&files, "deliverables/d2/index.html");
        let doc = Html::parse_document(&html);
        let rows: Vec<String> = doc
            .select(&sel("table.forecast-trend tbody tr"))
            .map(|tr| tr.text().collect::<String>())
            .collect();
        assert_eq!(rows.len(), 3, "plan and two reports: {rows:?}");
        assert!(rows[0].trim().starts_with("Plan"), "{rows:?}");
        assert!(rows[2].contains("2027-03-12"), "{rows:?}");
        let svg = doc
            .select(&sel("figure.sparkline-figure svg.sparkline"))
            .next()
            .expect("sparkline");
        assert_eq!(svg.value().attr("aria-hidden"), Some("true"));
        assert_eq!(doc.select(&sel("svg.sparkline circle")).count(), 3);
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(evil_site(), evil_site());
    }

    #[test]
    fn a_theme_override_replaces_the_embedded_template() {
        let content = tempfile::tempdir().expect("tempdir");
        evil_content(content.path(), true);
        let theme_dir = tempfile::tempdir().expect("tempdir");
        write(
            theme_dir.path(),
            "page.html",
            "{% extends \"base.html\" %}{% block content %}<h1>Custom: {{ page.title }}</h1>{% endblock content %}",
        );
        let theme = Theme::load("default", Some(theme_dir.path())).expect("theme");
        let files = render(&analyze(content.path()), &theme);
        let page = files
            .iter()
            .find(|f| f.path == "pages/evil/index.html")
            .expect("page");
        let html = String::from_utf8_lossy(&page.bytes);
        assert!(html.contains("<h1>Custom: &lt;script&gt;"), "{html}");
    }

    #[test]
    fn a_template_error_names_the_page_and_template() {
        let content = tempfile::tempdir().expect("tempdir");
        evil_content(content.path(), true);
        let theme_dir = tempfile::tempdir().expect("tempdir");
        write(
            theme_dir.path(),
            "page.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.nope }}{% endblock content %}",
        );
        let theme = Theme::load("default", Some(theme_dir.path())).expect("theme compiles");
        let a = analyze(content.path());
        let data = SiteData {
            program: &a.program,
            plan: &a.plan,
            current: &a.current,
            reports: &a.reports,
            scheduled: &a.scheduled,
            source_commit: None,
            cache: Default::default(),
        };
        let err = render_pages(&data, &theme)
            .expect_err("must fail")
            .to_string();
        assert!(err.contains("pages/evil/index.html"), "{err}");
        assert!(err.contains("page.html"), "{err}");
    }

    #[test]
    fn team_colours_become_classes() {
        let files = evil_site();
        let css = files
            .iter()
            .find(|f| f.path == "assets/teams.css")
            .expect("teams.css");
        let css = String::from_utf8_lossy(&css.bytes);
        assert!(css.contains(".team-alpha { --team: #112233; }"), "{css}");
        assert!(css.contains(".team-beta { --team: #"), "{css}");
    }

    #[test]
    fn a_minimal_program_renders() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "program.yaml",
            "name: Tiny\nobjective: Ship it\nstart: 2027-01-04\nend: 2027-02-26\n",
        );
        write(
            dir.path(),
            "teams.yaml",
            "- { id: solo, name: Solo, lead: Ann }\n",
        );
        write(
            dir.path(),
            "deliverables/x.yaml",
            "- { id: only, name: Only thing, owner: solo, duration: 5d }\n",
        );
        let files = render(&analyze(dir.path()), &Theme::builtin().expect("theme"));
        let index = files
            .iter()
            .find(|f| f.path == "index.html")
            .expect("dashboard");
        let html = String::from_utf8_lossy(&index.bytes);
        assert!(html.contains("No report yet"), "{html}");
        assert!(html.contains("id=\"chart-gantt\""));
        assert!(
            html.contains("class=\"chart gantt\""),
            "the Gantt SVG is embedded"
        );
        assert!(!html.contains("rel=\"canonical\""));
        let not_found = files.iter().find(|f| f.path == "404.html").expect("404");
        assert!(String::from_utf8_lossy(&not_found.bytes).contains("href=\"assets/style.css\""));
    }

    #[test]
    fn dashboard_shows_the_essentials() {
        let files = evil_site();
        let html = String::from_utf8_lossy(
            &files
                .iter()
                .find(|f| f.path == "index.html")
                .expect("index")
                .bytes,
        )
        .to_string();
        assert!(html.contains("rag-red"), "latest RAG is red");
        assert!(html.contains("■</span> Red"), "RAG has a word and a shape");
        assert!(html.contains("Overdue by"), "overdue decision flagged");
        assert!(html.contains("<section class=\"chart\" id=\"chart-gantt\""));
        assert!(
            html.contains("<figcaption class=\"chart-summary\">"),
            "chart summary in words"
        );
        assert!(
            html.contains("deliverables and 1 milestone"),
            "chart summary"
        );
        let decisions = String::from_utf8_lossy(
            &files
                .iter()
                .find(|f| f.path == "decisions/index.html")
                .expect("decisions")
                .bytes,
        )
        .to_string();
        let open_at = decisions.find("id=\"decision-q1\"").expect("q1");
        let decided_at = decisions.find("id=\"decision-q2\"").expect("q2");
        assert!(open_at < decided_at, "open decisions come first");
    }

    #[test]
    fn archive_shows_missing_reports() {
        let files = evil_site();
        let html = String::from_utf8_lossy(
            &files
                .iter()
                .find(|f| f.path == "reports/index.html")
                .expect("archive")
                .bytes,
        )
        .to_string();
        let table = &html[html.find("<table class=\"archive\"").expect("table")..];
        let newest = table.find("2027-02-12").expect("newest");
        let missing = table.find("2027-01-29").expect("missing date listed");
        let oldest = table.find("2027-01-15").expect("oldest");
        assert!(newest < missing && missing < oldest, "newest first");
        assert!(table.contains("Missing"));
        // The RAG trend strip: one cell per report or missing date, oldest
        // first, each with a letter (colour is never the only signal).
        let doc = Html::parse_document(&html);
        let cells: Vec<String> = doc
            .select(&sel("ol.rag-strip > li"))
            .map(|li| li.text().collect::<String>())
            .collect();
        assert_eq!(cells.len(), 3, "{cells:?}");
        assert!(
            cells[0].contains('A') && cells[0].contains("2027-01-15"),
            "{cells:?}"
        );
        assert!(
            cells[1].contains("2027-01-29") && cells[1].contains("no report"),
            "{cells:?}"
        );
        assert!(
            cells[2].contains('R') && cells[2].contains("2027-02-12"),
            "{cells:?}"
        );
        let links: Vec<&str> = doc
            .select(&sel("ol.rag-strip a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(
            links,
            [
                "../reports/2027-01-15/index.html",
                "../reports/2027-02-12/index.html"
            ],
            "the missing date has no link"
        );
        assert!(
            doc.select(&sel("ol.rag-strip li.is-missing")).count() == 1,
            "the missing report is shown in place"
        );
    }
}
