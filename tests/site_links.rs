//! Every generated page parses as HTML5 without errors, and every internal
//! link, stylesheet and image resolves to a file (and anchor) of the site.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use scraper::{Html, Selector};

/// Resolves `href` relative to the page at `page` (both relative to the site root).
fn resolve(page: &Path, href: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in page
        .parent()
        .unwrap_or(Path::new(""))
        .join(href)
        .components()
    {
        match c {
            Component::ParentDir => {
                assert!(out.pop(), "{href} from {} escapes the site", page.display())
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    if href.ends_with('/') || href.is_empty() {
        out.push("index.html");
    }
    out
}

fn check_site(site: &Path) -> usize {
    let files = common::snapshot_tree(site);
    let paths: HashSet<PathBuf> = files.iter().map(|(p, _)| PathBuf::from(p)).collect();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut pages = Vec::new();
    let any_id = Selector::parse("[id]").unwrap();
    for (p, bytes) in &files {
        if !p.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{p} is not UTF-8"));
        let doc = Html::parse_document(&text);
        assert!(
            doc.errors.is_empty(),
            "{p}: HTML5 parse errors: {:?}",
            doc.errors
        );
        assert!(
            text.starts_with("<!doctype html>") || text.starts_with("<!DOCTYPE html>"),
            "{p}: doctype"
        );
        ids.insert(
            PathBuf::from(p),
            doc.select(&any_id)
                .filter_map(|e| e.value().attr("id").map(String::from))
                .collect(),
        );
        pages.push((PathBuf::from(p), doc));
    }
    let linked = Selector::parse("a[href], link[href], img[src]").unwrap();
    let mut checked = 0;
    for (page, doc) in &pages {
        for el in doc.select(&linked) {
            let target = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
                || target.starts_with("data:")
            {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "{}: root-relative link {target} breaks under a project URL",
                page.display()
            );
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let file = if path.is_empty() {
                page.clone()
            } else {
                resolve(page, path)
            };
            assert!(
                paths.contains(&file),
                "{}: broken link {target} -> {}",
                page.display(),
                file.display()
            );
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let anchors = ids
                    .get(&file)
                    .unwrap_or_else(|| panic!("{target}: anchor into a non-page"));
                assert!(
                    anchors.contains(f),
                    "{}: missing anchor {target}",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    checked
}

fn build(content: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build_into(content, &out, None);
    (tmp, out)
}

#[test]
fn example_site_is_valid_html5_with_no_broken_links() {
    let (_tmp, out) = build(&common::root().join("content"));
    let checked = check_site(&out);
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn real_plans_build_into_valid_sites() {
    for case in ["bpc-pos-gantt", "psplib-j1201_1"] {
        let (_tmp, out) = build(
            &common::root()
                .join("tests/data/cases")
                .join(case)
                .join("content"),
        );
        assert!(check_site(&out) > 50, "{case}");
    }
}
