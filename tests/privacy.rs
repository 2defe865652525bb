//! Private by default: every page asks search engines not to index it and
//! no sitemap is written, unless `site.public: true`; a site served at a
//! domain root also gets a `robots.txt` that disallows crawling.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

const ROBOTS_META: &str = r#"<meta name="robots" content="noindex, nofollow">"#;

/// The example with its `site:` block replaced; built; returns the output.
fn built_with_site(site: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let program = fs::read_to_string(content.join("program.yaml")).unwrap();
    let at = program
        .find("\nsite:")
        .expect("the example has a site block");
    fs::write(
        content.join("program.yaml"),
        format!("{}\nsite:\n{site}", &program[..at]),
    )
    .unwrap();
    let out = tmp.path().join("public");
    common::build_into(&content, &out, None);
    (tmp, out)
}

fn html_pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().display().to_string(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn by_default_every_page_is_noindex_and_there_is_no_sitemap() {
    let (_tmp, out) =
        built_with_site("  base_url: https://example.github.io/identity-migration/\n");
    let pages = html_pages(&out);
    assert!(pages.len() > 40, "{}", pages.len());
    for (path, html) in &pages {
        assert!(html.contains(ROBOTS_META), "{path}");
    }
    assert!(!out.join("sitemap.xml").exists());
    // Served under a path (a project Pages site): a robots.txt there is never read.
    assert!(!out.join("robots.txt").exists());
}

#[test]
fn a_private_site_at_a_domain_root_disallows_crawling() {
    for site in [
        "  base_url: https://status.example.com/\n  cname: status.example.com\n",
        "  base_url: https://example-org.github.io/\n",
    ] {
        let (_tmp, out) = built_with_site(site);
        let robots =
            fs::read_to_string(out.join("robots.txt")).unwrap_or_else(|e| panic!("{site}: {e}"));
        assert!(robots.contains("User-agent: *\nDisallow: /\n"), "{robots}");
        assert!(!out.join("sitemap.xml").exists());
    }
}

#[test]
fn a_public_site_is_indexed_as_before() {
    let (_tmp, out) = built_with_site(
        "  base_url: https://status.example.com/\n  cname: status.example.com\n  public: true\n",
    );
    for (path, html) in html_pages(&out) {
        assert!(!html.contains(r#"name="robots""#), "{path}");
    }
    assert!(out.join("sitemap.xml").is_file());
    assert!(!out.join("robots.txt").exists());
}
