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
//! Every scan is linear in the size of the output, whatever the number of
//! addresses or internal lines: addresses are looked for only around the
//! spellings of `@`, internal lines with one automaton, and the HTML
//! scanner reads each page once.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rayon::prelude::*;
use std::borrow::Cow;
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
    /// How far from its `@` an address can reach in the page: the longest
    /// address with every character spelled as the longest entity.
    reach: usize,
    needles: Vec<(String, &'p str)>,
    /// All internal lines in one automaton: a page's text is read once
    /// however many lines there are.
    needle_finder: Option<aho_corasick::AhoCorasick>,
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
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::default().hash_one((page, id))
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
        let reach = emails.iter().map(|(e, _)| e.len()).max().unwrap_or(0) * MAX_ENTITY;
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
        // Only fails past limits (millions of patterns) no content reaches;
        // the lines are then searched one by one.
        let needle_finder = (!needles.is_empty())
            .then(|| aho_corasick::AhoCorasick::new(needles.iter().map(|(n, _)| n)).ok())
            .flatten();
        Guard {
            emails,
            finders,
            reach,
            needles,
            needle_finder,
            base_url: program.meta.site.base_url.as_deref(),
            found: Mutex::new(Found::default()),
        }
    }

    /// Only the link check (for tests of it alone).
    fn links_only(base_url: Option<&'p str>) -> Self {
        Guard {
            emails: Vec::new(),
            finders: Vec::new(),
            reach: 0,
            needles: Vec::new(),
            needle_finder: None,
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
            let html = utf8(&f.bytes);
            let scan = scan_html(&html);
            ids.extend(scan.ids.iter().map(|id| id_hash(&f.path, id)));
            // A page repeats most of its links (navigation, team names).
            let mut seen = HashSet::with_capacity(scan.links.len());
            for link in &scan.links {
                if !seen.insert(&**link) {
                    continue;
                }
                match resolve_link(&f.path, link, self.base_url) {
                    Ok(Some(t)) => {
                        targets.entry(t).or_insert_with(|| link.to_string());
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

    /// The stakeholder addresses in `f`. An address holds an `@`, so only
    /// the text around each spelling of `@` is decoded and searched: a page
    /// is read once with a SIMD byte search, whatever the number of
    /// stakeholders.
    fn addresses_in(&self, f: &OutputFile) -> Vec<String> {
        if self.emails.is_empty() {
            return Vec::new();
        }
        let mut hit = vec![false; self.emails.len()];
        for window in at_windows(&f.bytes, self.reach) {
            let text = plain_lower(&f.bytes[window]);
            for (hit, finder) in hit.iter_mut().zip(&self.finders) {
                *hit = *hit || finder.find(text.as_bytes()).is_some();
            }
        }
        self.emails
            .iter()
            .zip(hit)
            .filter(|(_, hit)| *hit)
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
        let mut hit = vec![false; self.needles.len()];
        match &self.needle_finder {
            Some(ac) => {
                for m in ac.find_overlapping_iter(&text) {
                    hit[m.pattern().as_usize()] = true;
                }
            }
            None => {
                for (hit, (needle, _)) in hit.iter_mut().zip(&self.needles) {
                    *hit = text.contains(needle.as_str());
                }
            }
        }
        self.needles
            .iter()
            .zip(hit)
            .filter(|(_, hit)| *hit)
            .map(|((needle, source), _)| {
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

/// The longest entity [`decode_entities`] reads (`&`, name, `;`).
const MAX_ENTITY: usize = 12;

/// The byte ranges of `bytes` within `reach` of a spelling of `@` (the
/// character, a numeric entity, `&commat;` or `%40`), merged and in order.
fn at_windows(bytes: &[u8], reach: usize) -> Vec<std::ops::Range<usize>> {
    let mut windows: Vec<std::ops::Range<usize>> = Vec::new();
    for at in memchr::memchr3_iter(b'@', b'&', b'%', bytes) {
        let is_at = match bytes[at] {
            b'@' => true,
            b'%' => bytes[at + 1..].starts_with(b"40"),
            _ => entity_is_at(&bytes[at..bytes.len().min(at + MAX_ENTITY)]),
        };
        if !is_at {
            continue;
        }
        let (start, end) = (at.saturating_sub(reach), bytes.len().min(at + reach + 1));
        match windows.last_mut() {
            Some(last) if last.end >= start => last.end = end,
            _ => windows.push(start..end),
        }
    }
    windows
}

/// Whether `entity` (from its `&`) spells `@`.
fn entity_is_at(entity: &[u8]) -> bool {
    let Some(end) = memchr::memchr(b';', entity) else {
        return false;
    };
    let name = &entity[1..end];
    if name.eq_ignore_ascii_case(b"commat") {
        return true;
    }
    let Some(num) = name.strip_prefix(b"#") else {
        return false;
    };
    let num = std::str::from_utf8(num).unwrap_or("");
    let value = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => num.parse().ok(),
    };
    value == Some(u32::from(b'@'))
}

/// Text as lowercase with every entity decoded and `%40` written `@`.
fn plain_lower(bytes: &[u8]) -> String {
    // Addresses are compared in ASCII lowercase.
    let lower = bytes.to_ascii_lowercase();
    let text = String::from_utf8(lower)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
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
    let stripped = strip_tags(s);
    let once = decode_entities(&stripped);
    // Tags come back only where the page held `&lt;`.
    let restripped;
    let twice = if once.contains('<') {
        restripped = strip_tags(&once);
        decode_entities(&restripped)
    } else {
        decode_entities(&once)
    };
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
    let mut rest = s;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        out.push_str(&rest[..lt]);
        match memchr::memchr(b'>', &rest.as_bytes()[lt..]) {
            Some(gt) => {
                out.push('\n');
                rest = &rest[lt + gt + 1..];
            }
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the entities tpm-site's escapers produce, and numeric ones.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.as_bytes()[..tail.len().min(MAX_ENTITY)]
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
    Cow::Owned(out)
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
struct Scan<'a> {
    links: Vec<Cow<'a, str>>,
    ids: Vec<Cow<'a, str>>,
}

/// Reads the tags of an HTML page once: link targets and element ids.
fn scan_html(html: &str) -> Scan<'_> {
    let b = html.as_bytes();
    let mut scan = Scan {
        links: Vec::new(),
        ids: Vec::new(),
    };
    let mut i = 0;
    while i < b.len() {
        match memchr::memchr(b'<', &b[i..]) {
            Some(lt) => i += lt,
            None => break,
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
            let name = &b[name_start..i];
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
                let end = memchr::memchr(q, &b[start..]).map_or(b.len(), |p| start + p);
                i = (end + 1).min(b.len());
                &html[start..end]
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[start..i]
            };
            let is = |a: &[u8]| name.eq_ignore_ascii_case(a);
            if is(b"href") || is(b"src") || is(b"xlink:href") {
                scan.links.push(decode_entities(value));
            } else if is(b"id") {
                scan.ids.push(decode_entities(value));
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

    /// The example program, analysed.
    fn example() -> crate::site::Analyzed {
        crate::testing::example()
    }

    /// An address hidden behind entities or percent-encoding is still found;
    /// one with an apostrophe is found in its escaped form.
    #[test]
    fn stakeholder_addresses_are_found_however_they_are_spelled() {
        let mut a = example();
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

    /// Only the text around a spelling of `@` is searched: windows cover
    /// every spelling, reach as far as asked, merge when they overlap, and
    /// entities that are not `@` open none.
    #[test]
    fn addresses_are_looked_for_around_each_at() {
        let page = b"aaaa@bbbb cccc&#64;dddd ee&#x40;ff gg%40hh ii&commat;jj &amp;&#65;%41 x";
        let at = |needle: &[u8]| memchr::memmem::find(page, needle).unwrap();
        let windows = at_windows(page, 2);
        let starts: Vec<usize> = windows.iter().map(|w| w.start).collect();
        assert_eq!(
            starts,
            [
                at(b"@") - 2,
                at(b"&#64;") - 2,
                at(b"&#x40;") - 2,
                at(b"%40") - 2,
                at(b"&commat;") - 2
            ]
        );
        assert!(windows.iter().all(|w| w.len() == 5), "{windows:?}");
        // Overlapping windows merge; none reaches past the page.
        assert_eq!(
            at_windows(b"a@b@c", 3),
            vec![std::ops::Range { start: 0, end: 5 }]
        );
        assert!(at_windows(b"&amp;&#65;&#x41;%41&commat", 3).is_empty());
    }

    /// An address written with an entity for every character, far from
    /// other text, is still found among many stakeholders; a page with many
    /// internal lines reports exactly the ones it holds.
    #[test]
    fn many_addresses_and_internal_lines_are_searched_in_one_pass() {
        let mut a = example();
        let template = a.program.stakeholders[0].clone();
        for k in 0..60 {
            let mut s = template.clone();
            s.email = format!("person{k}@example.org");
            a.program.stakeholders.push(s);
        }
        let encoded: String = "person42@example.org"
            .chars()
            .map(|c| format!("&#{};", c as u32))
            .collect();
        let page = format!(
            "<p>{}</p><p>{encoded}</p><p>person7&#64;example.org</p>",
            "x".repeat(5000)
        );
        let found = stakeholder_addresses(&[file("index.html", &page)], &a.program);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found.iter().any(|f| f.contains("person42@example.org")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|f| f.contains("person7@example.org")),
            "{found:?}"
        );

        for k in 0..80 {
            a.program.reports[0].body.push_str(&format!(
                "\n<!-- internal -->\nSecret line number {k} here\n<!-- /internal -->\n"
            ));
        }
        let page = "<p>Secret line number 12 here</p><p>Secret <em>line number 13 here</em></p>\
                    <p>Secret line number 79 here</p>";
        let found = internal_text(&[file("index.html", page)], &a.program);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("\"Secret line number 12 here\""),
            "{found:?}"
        );
        assert!(
            found[1].contains("\"Secret line number 79 here\""),
            "{found:?}"
        );
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
