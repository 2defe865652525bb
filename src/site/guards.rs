//! Publishing guards: a scan of every rendered file before the new site
//! replaces the old one ([`Guard::scan`] reads each page as the build writes
//! it to the staging folder, [`Guard::finish`] checks the links once all are
//! seen). A build whose output would publish something it must not, or whose
//! pages link to nothing, fails here and the previous output stays as it was.
//!
//! - **Stakeholder addresses**: no output file may contain the address of a
//!   stakeholder from `stakeholders.yaml` (in any case, also written with
//!   HTML entities or `%40`).
//! - **Internal text**: Markdown between `<!-- internal -->` and
//!   `<!-- /internal -->` is left out of every page (see
//!   [`markdown::split_internal`]); the guard checks that no line of it (12
//!   characters or more, as rendered text) appears in any output file.
//! - **Links**: every site-relative link (`href`, `src`, `xlink:href` in an
//!   HTML page, relative or starting with `/` or with the site's `base_url`)
//!   must name a file of the site, and its `#fragment` an `id` on that page.
//!
//! Every scan is linear in the size of the output per address or internal
//! line; the HTML scanner reads each page once.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::model::Program;
use crate::render::OutputFile;
use crate::render::markdown;

/// Internal lines shorter than this are not looked for (too likely to appear
/// by chance, e.g. "On track").
pub const MIN_INTERNAL_CHARS: usize = 12;
/// At most this many problems are listed.
const MAX_LISTED: usize = 20;

/// What the guards found: one line per problem.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct GuardError {
    pub problems: Vec<String>,
}

impl GuardError {
    fn message(&self) -> String {
        let mut s = format!(
            "the publishing guards stopped the build ({} problem{}); nothing was written:",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        );
        for p in self.problems.iter().take(MAX_LISTED) {
            s.push_str("\n  - ");
            s.push_str(p);
        }
        if self.problems.len() > MAX_LISTED {
            s.push_str(&format!(
                "\n  - ... and {} more",
                self.problems.len() - MAX_LISTED
            ));
        }
        s
    }
}

/// Runs every guard over the rendered `files` of `program`.
pub fn check(files: &[OutputFile], program: &Program) -> Result<(), GuardError> {
    let guard = Guard::new(program);
    files.par_iter().for_each(|f| guard.scan(f));
    guard.finish()
}

/// The guards as a scanner of one file at a time, so a build can check each
/// page as it is rendered and written instead of holding the whole site:
/// [`Guard::scan`] (from any thread) reads a file and keeps only what the
/// link check needs later (the site's paths, element ids as hashes, and each
/// distinct link target once); [`Guard::finish`] resolves the links and says
/// whether the site may be published.
pub struct Guard<'p> {
    emails: Vec<(String, &'p str)>,
    /// One searcher per address (SIMD substring search, built once).
    finders: Vec<memchr::memmem::Finder<'static>>,
    decode_all: bool,
    needles: Vec<(String, &'p str)>,
    base_url: Option<&'p str>,
    found: Mutex<Found>,
}

/// What the scans found so far.
#[derive(Default)]
struct Found {
    addresses: Vec<String>,
    internal: Vec<String>,
    links: Vec<String>,
    /// Every file of the site.
    paths: HashSet<String>,
    /// `(page, id)` of every element id, hashed.
    ids: HashSet<u64>,
    /// Each distinct link target with its first page (by path) and link text,
    /// and how many pages use it.
    targets: HashMap<Target, Use>,
}

/// Where a site-relative link points, resolved against its page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Target {
    /// The file, or (`dir_ok`) the file or else the folder's `index.html`.
    path: String,
    dir_ok: bool,
    fragment: Option<String>,
}

struct Use {
    page: String,
    link: String,
    pages: u32,
}

fn id_hash(page: &str, id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one((page, id))
}

impl<'p> Guard<'p> {
    /// Prepares the guards of `program`: its stakeholder addresses and the
    /// lines of its internal text.
    pub fn new(program: &'p Program) -> Self {
        let emails: Vec<(String, &str)> = program
            .stakeholders
            .iter()
            .map(|s| (s.email.trim().to_ascii_lowercase(), s.name.as_str()))
            .filter(|(e, _)| !e.is_empty())
            .collect();
        let decode_all = emails
            .iter()
            .any(|(e, _)| e.contains(['&', '\'', '<', '>', '"', ' ']));
        let mut needles: Vec<(String, &str)> = Vec::new();
        let mut seen = HashSet::new();
        for (file, part) in internal_parts(program) {
            for line in visible_text(&markdown::render(part)).lines() {
                if line.chars().count() >= MIN_INTERNAL_CHARS
                    && line.chars().any(char::is_alphanumeric)
                    && seen.insert(line.to_string())
                {
                    needles.push((line.to_string(), file));
                }
            }
        }
        let finders = emails
            .iter()
            .map(|(e, _)| memchr::memmem::Finder::new(e.as_bytes()).into_owned())
            .collect();
        Guard {
            emails,
            finders,
            decode_all,
            needles,
            base_url: program.meta.site.base_url.as_deref(),
            found: Mutex::new(Found::default()),
        }
    }

    /// Only the link check (for tests of it alone).
    fn links_only(base_url: Option<&'p str>) -> Self {
        Guard {
            emails: Vec::new(),
            finders: Vec::new(),
            decode_all: false,
            needles: Vec::new(),
            base_url,
            found: Mutex::new(Found::default()),
        }
    }

    /// Scans one output file (any thread, any order).
    pub fn scan(&self, f: &OutputFile) {
        let addresses = self.addresses_in(f);
        let internal = self.internal_in(f);
        let mut ids = Vec::new();
        let mut targets: HashMap<Target, String> = HashMap::new();
        let mut links = Vec::new();
        if f.path.ends_with(".html") {
            let scan = scan_html(&utf8(&f.bytes));
            ids.extend(scan.ids.iter().map(|id| id_hash(&f.path, id)));
            for link in scan.links {
                match resolve_link(&f.path, &link, self.base_url) {
                    Ok(Some(t)) => {
                        targets.entry(t).or_insert(link);
                    }
                    Ok(None) => {}
                    Err(why) => links.push(format!("{}: broken link `{link}`: {why}", f.path)),
                }
            }
        }
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found.addresses.extend(addresses);
        found.internal.extend(internal);
        found.links.extend(links);
        found.paths.insert(f.path.clone());
        found.ids.extend(ids);
        for (t, link) in targets {
            match found.targets.get_mut(&t) {
                Some(u) => {
                    u.pages += 1;
                    if f.path < u.page {
                        u.page = f.path.clone();
                        u.link = link;
                    }
                }
                None => {
                    found.targets.insert(
                        t,
                        Use {
                            page: f.path.clone(),
                            link,
                            pages: 1,
                        },
                    );
                }
            }
        }
    }

    fn addresses_in(&self, f: &OutputFile) -> Vec<String> {
        if self.emails.is_empty() {
            return Vec::new();
        }
        let text = plain_lower(&f.bytes, self.decode_all);
        self.emails
            .iter()
            .zip(&self.finders)
            .filter(|(_, finder)| finder.find(text.as_bytes()).is_some())
            .map(|((email, name), _)| {
                format!(
                    "{}: contains the address of stakeholder {name} ({email}); stakeholders.yaml is private: remove the address from the content",
                    f.path
                )
            })
            .collect()
    }

    fn internal_in(&self, f: &OutputFile) -> Vec<String> {
        if self.needles.is_empty() {
            return Vec::new();
        }
        let text = visible_text(&utf8(&f.bytes));
        self.needles
            .iter()
            .filter(|(needle, _)| text.contains(needle.as_str()))
            .map(|(needle, source)| {
                format!(
                    "{}: contains text marked internal in {source}: \"{needle}\"",
                    f.path
                )
            })
            .collect()
    }

    /// Checks every link target against the files and ids seen: `Ok` when
    /// nothing stops the site from being published. Problems are sorted.
    pub fn finish(self) -> Result<(), GuardError> {
        let found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let problems = found.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(GuardError { problems })
        }
    }
}

impl Found {
    fn problems(mut self) -> Vec<String> {
        let mut broken: Vec<String> = self
            .targets
            .iter()
            .filter_map(|(t, u)| {
                let why = self.check_target(t)?;
                let more = match u.pages {
                    1 => String::new(),
                    2 => " (and on 1 other page)".to_string(),
                    n => format!(" (and on {} other pages)", n - 1),
                };
                Some(format!("{}: broken link `{}`: {why}{more}", u.page, u.link))
            })
            .collect();
        broken.append(&mut self.links);
        self.addresses.sort();
        self.internal.sort();
        broken.sort();
        let mut all = self.addresses;
        all.append(&mut self.internal);
        all.append(&mut broken);
        all
    }

    /// Why `t` is broken, or `None` when it is fine.
    fn check_target(&self, t: &Target) -> Option<String> {
        let file = if self.paths.contains(&t.path) || !t.dir_ok {
            t.path.clone()
        } else {
            format!("{}/index.html", t.path)
        };
        if !self.paths.contains(&file) {
            let shown = if t.dir_ok { &t.path } else { &file };
            return Some(format!("the site has no `{shown}`"));
        }
        let f = t.fragment.as_deref()?;
        (file.ends_with(".html") && !self.ids.contains(&id_hash(&file, f)))
            .then(|| format!("`{file}` has no element with id `{f}`"))
    }
}

/// A file as text: borrowed when it is UTF-8 (every page tpm-site renders),
/// which is checked faster than a lossy conversion checks it.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Every output file as lowercase text with `@` written plainly.
/// `decode_all`: decode every entity (some address holds `&` or `'`, which
/// the escapers write as entities); otherwise only numeric ones and `@`'s
/// spellings can hide an address, and a page without them is searched as is.
fn plain_lower(bytes: &[u8], decode_all: bool) -> String {
    // Addresses are compared in ASCII lowercase: cheap on megabytes of output.
    let lower = bytes.to_ascii_lowercase();
    let text = String::from_utf8(lower)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let hidden = if decode_all {
        memchr::memchr2(b'&', b'%', text.as_bytes()).is_some()
    } else {
        memchr::memmem::find(text.as_bytes(), b"&#").is_some()
            || memchr::memmem::find(text.as_bytes(), b"%40").is_some()
            || memchr::memmem::find(text.as_bytes(), b"&commat;").is_some()
    };
    if !hidden {
        return text;
    }
    decode_entities(&text)
        .replace("%40", "@")
        .replace("&commat;", "@")
}

/// Stakeholder addresses that appear in the output.
pub fn stakeholder_addresses(files: &[OutputFile], program: &Program) -> Vec<String> {
    let guard = Guard::new(program);
    files.iter().flat_map(|f| guard.addresses_in(f)).collect()
}

/// Text with tags replaced by line breaks, entities decoded (twice: an Atom
/// feed holds escaped HTML), and spaces collapsed on each line.
fn visible_text(s: &str) -> String {
    let once = decode_entities(&strip_tags(s));
    let twice = decode_entities(&strip_tags(&once));
    let mut out = String::with_capacity(twice.len());
    for line in twice.lines() {
        let mut first = true;
        for word in line.split_whitespace() {
            if !first {
                out.push(' ');
            }
            out.push_str(word);
            first = false;
        }
        out.push('\n');
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes the entities tpm-site's escapers produce, and numeric ones.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.as_bytes()[..tail.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Internal Markdown parts of the program, with where each comes from.
fn internal_parts(program: &Program) -> Vec<(&str, &str)> {
    let mut parts = Vec::new();
    let sources = program
        .reports
        .iter()
        .map(|r| (&*r.loc.file, r.body.as_str()))
        .chain(
            program
                .pages
                .iter()
                .map(|p| (&*p.loc.file, p.body.as_str())),
        )
        .chain(
            program
                .items
                .iter()
                .map(|i| (&*i.loc.file, i.description.as_str())),
        );
    for (file, md) in sources {
        for part in markdown::split_internal(md).1 {
            parts.push((file, part));
        }
    }
    parts
}

/// Lines of internal text that appear in the output.
pub fn internal_text(files: &[OutputFile], program: &Program) -> Vec<String> {
    let guard = Guard::new(program);
    files.iter().flat_map(|f| guard.internal_in(f)).collect()
}

/// One `href`/`src`/`xlink:href` value and the ids of an HTML page.
struct Scan {
    links: Vec<String>,
    ids: HashSet<String>,
}

/// Reads the tags of an HTML page once: link targets and element ids.
fn scan_html(html: &str) -> Scan {
    let b = html.as_bytes();
    let mut scan = Scan {
        links: Vec::new(),
        ids: HashSet::new(),
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if b[i..].starts_with(b"<!--") {
            i = match html[i + 4..].find("-->") {
                Some(end) => i + 4 + end + 3,
                None => b.len(),
            };
            continue;
        }
        i += 1;
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        // The tag name.
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        // Attributes until `>`.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let name_start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= b.len() || b[i] != b'=' {
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let start = i + 1;
                let end = b[start..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| start + p);
                i = (end + 1).min(b.len());
                &html[start..end]
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[start..i]
            };
            match name.as_str() {
                "href" | "src" | "xlink:href" => scan.links.push(decode_entities(value)),
                "id" => {
                    scan.ids.insert(decode_entities(value));
                }
                _ => {}
            }
        }
    }
    scan
}

/// `dir/` + a relative path, with `.` and `..` resolved; `None` above the root.
fn join(page: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').collect();
        p.pop(); // the page's own file name
        p
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Site-relative links whose file or `#fragment` does not exist, sorted;
/// a target broken on several pages is listed once, at the first page.
pub fn broken_links(files: &[OutputFile], base_url: Option<&str>) -> Vec<String> {
    let guard = Guard::links_only(base_url);
    files.par_iter().for_each(|f| guard.scan(f));
    let found = guard.found.into_inner().unwrap_or_else(|e| e.into_inner());
    found.problems()
}

/// Where `link` on `page` points: `Ok(None)` for a link outside the site
/// (another scheme or host) or to nothing, `Err` when it cannot point into
/// the site at all.
fn resolve_link(page: &str, link: &str, base_url: Option<&str>) -> Result<Option<Target>, String> {
    let mut link = link.trim();
    if let Some(rest) = base_url.and_then(|b| link.strip_prefix(b)) {
        link = rest;
        if link.is_empty() || !link.starts_with('/') {
            // `base_url` ends with `/`: what follows is relative to the root.
            return resolve_link("index.html", &format!("/{link}"), None);
        }
    }
    let is_external = link.starts_with("//")
        || link
            .find(':')
            .is_some_and(|colon| !link[..colon].contains(['/', '?', '#']));
    if is_external || link.is_empty() {
        return Ok(None);
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let fragment = fragment.filter(|f| !f.is_empty()).map(|f| {
        percent_encoding::percent_decode_str(f)
            .decode_utf8_lossy()
            .into_owned()
    });
    if path.is_empty() {
        return Ok(Some(Target {
            path: page.to_string(),
            dir_ok: false,
            fragment,
        }));
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let Some(joined) = join(page, &decoded) else {
        return Err("it points above the site's root".into());
    };
    Ok(Some(if joined.is_empty() || decoded.ends_with('/') {
        Target {
            path: format!(
                "{}{}index.html",
                joined,
                if joined.is_empty() { "" } else { "/" }
            ),
            dir_ok: false,
            fragment,
        }
    } else {
        Target {
            path: joined,
            dir_ok: true,
            fragment,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn relative_links_and_anchors_are_checked() {
        let files = [
            file(
                "index.html",
                "<a href=\"teams/\">t</a><a href=\"#top\" id=\"top\">x</a><a href='style.css'>s</a>\
                 <a href=\"https://x.example/\">e</a><a href=\"mailto:a@b.c\">m</a><a href=\"#\">h</a>\
                 <!-- <a href=\"gone/\"> --><a href=\"teams/a/#sec\">a</a><a href=\"https://site.example/p/teams/\">abs</a>",
            ),
            file("style.css", ""),
            file(
                "teams/index.html",
                "<a href=\"../index.html#top\">up</a><a href=\"a\">a</a>",
            ),
            file(
                "teams/a/index.html",
                "<h2 id=\"sec\">S</h2><img src=\"../../logo.png\">",
            ),
        ];
        let problems = broken_links(&files, Some("https://site.example/p/"));
        assert_eq!(
            problems,
            ["teams/a/index.html: broken link `../../logo.png`: the site has no `logo.png`"]
        );
        let bad = [
            file(
                "a/index.html",
                "<a href=\"../b/\">b</a><a href=\"#nope\">n</a><a href=\"../../../x\">x</a><a href=\"/c/\">c</a>\
                 <a href=\"https://site.example/p/zzz/\">z</a>",
            ),
            file("b/index.html", ""),
        ];
        let problems = broken_links(&bad, Some("https://site.example/p/"));
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(
            problems[0].contains("has no element with id `nope`"),
            "{problems:#?}"
        );
        assert!(
            problems[1].contains("above the site's root"),
            "{problems:#?}"
        );
        assert!(problems[2].contains("no `c/index.html`"), "{problems:#?}");
        assert!(problems[3].contains("no `zzz/index.html`"), "{problems:#?}");
    }

    /// A target broken on many pages is listed once, at the first page by
    /// path, with how many others use it; the list is the same whatever
    /// order the pages are scanned in.
    #[test]
    fn a_broken_target_is_listed_once_in_a_stable_order() {
        let mut files: Vec<OutputFile> = (0..40)
            .map(|i| {
                file(
                    &format!("p{i:02}/index.html"),
                    "<a href=\"../gone/\">x</a><a href=\"../p00/#nope\">y</a>",
                )
            })
            .collect();
        let first = broken_links(&files, None);
        assert_eq!(
            first,
            [
                "p00/index.html: broken link `../gone/`: the site has no `gone/index.html` (and on 39 other pages)",
                "p00/index.html: broken link `../p00/#nope`: `p00/index.html` has no element with id `nope` (and on 39 other pages)",
            ]
        );
        files.reverse();
        assert_eq!(broken_links(&files, None), first);
    }

    /// Unclosed attributes and comments end the scan instead of looping, and
    /// the garbage is reported as broken links (time bounds are
    /// left to the harnesses: tests/hostile_bounds.rs and bench/).
    #[test]
    fn the_scanner_survives_hostile_pages() {
        let page = "<a href=\"".repeat(200_000) + &"<!--".repeat(200_000) + "<";
        let problems = broken_links(&[file("index.html", &page)], None);
        // At most one finding per tag, each a broken link.
        assert!(!problems.is_empty() && problems.len() <= 200_000);
        assert!(problems.iter().all(|p| p.contains("broken link")));
    }

    /// An address hidden behind entities or percent-encoding is still found;
    /// one with an apostrophe is found in its escaped form.
    #[test]
    fn stakeholder_addresses_are_found_however_they_are_spelled() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut a = crate::site::analyze_dir(
            &dir,
            None,
            false,
            &mut crate::diagnostics::Diagnostics::new(),
        )
        .unwrap()
        .expect("example analyzes");
        let email = a.program.stakeholders[0].email.clone();
        let (local, domain) = email.split_once('@').unwrap();
        let spellings = [
            format!("<p>{local}&#64;{domain}</p>"),
            format!("<p>{local}&#x40;{domain}</p>"),
            format!("<a href=\"mailto:{local}%40{domain}\">x</a>"),
            format!("<p>{}&commat;{domain}</p>", local.to_uppercase()),
            format!("<p>{email}</p>"),
        ];
        for page in &spellings {
            let found = stakeholder_addresses(&[file("index.html", page)], &a.program);
            assert_eq!(found.len(), 1, "{page}: {found:?}");
        }
        let clean =
            stakeholder_addresses(&[file("index.html", "<p>a&amp;b &#65;</p>")], &a.program);
        assert!(clean.is_empty(), "{clean:?}");
        a.program.stakeholders[0].email = format!("o'{email}");
        let page = format!("<p>o&apos;{email}</p>");
        let found = stakeholder_addresses(&[file("index.html", &page)], &a.program);
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn entities_and_visible_text() {
        assert_eq!(
            decode_entities("a&amp;b&lt;&#64;&#x40;&bogus;&"),
            "a&b<@@&bogus;&"
        );
        assert_eq!(
            visible_text(
                "<p>Secret   <strong>plan</strong></p>&lt;p&gt;Hidden &amp;lt;x&lt;/p&gt;"
            ),
            "\nSecret\nplan\n\n\nHidden <x\n"
        );
    }
}
