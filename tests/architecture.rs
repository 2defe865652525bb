//! The pipeline's stages show in the tree: no module's non-test code imports
//! from a later stage. The order is diagnostics (shared by all) → content →
//! model → import → analysis → layout → render → site → commands; `lib.rs` and
//! `main.rs` sit on top. Test code (`#[cfg(test)] mod …`) may use any stage.

use std::fs;
use std::path::{Path, PathBuf};

const STAGES: [&str; 9] = [
    "diagnostics",
    "content",
    "model",
    "import",
    "analysis",
    "layout",
    "render",
    "site",
    "commands",
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// `text` without its test code: every `#[cfg(test)]` item (a module to its
/// closing brace, or a one-line `mod x;`) and line comments.
fn non_test_code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            // Skip the next item: count braces until they balance.
            let mut depth = 0i64;
            let mut opened = false;
            for l in lines.by_ref() {
                let code = l.split("//").next().unwrap_or("");
                depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
                opened |= code.contains('{');
                if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The stages `code` names as `crate::<stage>`.
fn stages_used(code: &str) -> Vec<usize> {
    let mut used = Vec::new();
    for (k, stage) in STAGES.iter().enumerate() {
        let needle = format!("crate::{stage}");
        let found = code.match_indices(&needle).any(|(i, _)| {
            let after = code[i + needle.len()..].chars().next();
            !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        if found {
            used.push(k);
        }
    }
    used
}

#[test]
fn no_stage_imports_from_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut files_checked = 0;
    for (k, stage) in STAGES.iter().enumerate() {
        let mut files = Vec::new();
        rust_files(&src.join(stage), &mut files);
        rust_files(&src.join(format!("{stage}.rs")), &mut files);
        assert!(!files.is_empty(), "no source for stage {stage}");
        for f in files {
            files_checked += 1;
            let code = non_test_code(&fs::read_to_string(&f).unwrap());
            for used in stages_used(&code) {
                if used > k {
                    problems.push(format!(
                        "{} ({stage}) imports crate::{} (a later stage)",
                        f.strip_prefix(&src).unwrap().display(),
                        STAGES[used]
                    ));
                }
            }
        }
    }
    assert!(files_checked > 30, "{files_checked}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself: it finds a later-stage import, ignores test modules
/// and comments, and tells `crate::site` from `crate::sites`.
#[test]
fn the_checker_sees_imports_and_skips_test_code() {
    let code = "use crate::model::Loc;\nuse crate::render::x; // crate::site\n#[cfg(test)]\nmod tests {\n    use crate::commands;\n    fn f() { if true { } }\n}\nfn g() {}\n";
    let kept = non_test_code(code);
    assert!(
        kept.contains("fn g()") && !kept.contains("commands"),
        "{kept}"
    );
    assert_eq!(stages_used(&kept), [2, 6]);
    assert_eq!(stages_used("crate::sites::x"), Vec::<usize>::new());
    assert_eq!(
        non_test_code("#[cfg(test)]\nmod testkit;\nuse crate::site;\n").trim(),
        "use crate::site;"
    );
}

/// Where each crate built for one job may be used: `(crate, allowed path
/// prefixes under src/)`. resvg/usvg rasterise only in `render/svg`,
/// petgraph lives only in `analysis`, skrifa reads the fonts only in
/// `layout/text.rs`, tera only in the theme and page
/// renderer.
const CONFINED: [(&str, &[&str]); 5] = [
    ("skrifa", &["layout/text.rs"]),
    ("resvg", &["render/svg/"]),
    ("usvg", &["render/svg/"]),
    ("petgraph", &["analysis/"]),
    ("tera", &["render/theme.rs", "render/html.rs"]),
];

/// Whether `code` names the external crate `name` (`name::…`, `::name::…`,
/// `use name;`), not a module of the same name reached through `crate::`,
/// `super::` or `self::` (`crate::render::svg::num` is not the `svg` crate).
fn names_crate(code: &str, name: &str) -> bool {
    let needle = format!("{name}::");
    code.match_indices(&needle).any(|(i, _)| {
        let before = code[..i].trim_end_matches("::");
        let prev = before.chars().next_back();
        let absolute =
            code[..i].ends_with("::") && !prev.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let bare =
            !code[..i].ends_with("::") && !prev.is_some_and(|c| c.is_alphanumeric() || c == '_');
        absolute || bare
    })
}

#[test]
fn single_purpose_crates_stay_in_their_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let code = non_test_code(&fs::read_to_string(f).unwrap());
        for (name, allowed) in CONFINED {
            if names_crate(&code, name) && !allowed.iter().any(|a| rel.starts_with(a)) {
                problems.push(format!(
                    "{rel} uses the {name} crate (allowed only in {allowed:?})"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_crate_check_tells_crates_from_modules() {
    assert!(names_crate("use svg::node::element::Line;", "svg"));
    assert!(names_crate("    use ::svg::Document;", "svg"));
    assert!(names_crate("let g = petgraph::Graph::new();", "petgraph"));
    assert!(!names_crate("use crate::render::svg::num;", "svg"));
    assert!(!names_crate("super::svg::xml::escape(x)", "svg"));
    assert!(!names_crate("let my_svg::x;", "svg"));
}

/// One escaper per kind of markup: HTML through tera's (autoescaping in the
/// templates, `render::theme::escape_html` for the little HTML written
/// outside one), SVG and XML through the streaming writer
/// `render/svg/xml.rs`, the one markup writer of the charts. No other
/// non-test code spells an escape of its own, and no SVG-building crate is
/// a dependency beside the writer.
#[test]
fn one_escaper_and_one_markup_writer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "render/svg/xml.rs" {
            continue;
        }
        let code = non_test_code(&fs::read_to_string(f).unwrap());
        for entity in [
            "\"&amp;\"",
            "\"&lt;\"",
            "\"&quot;\"",
            "\"&#39;\"",
            "\"&apos;\"",
        ] {
            if code.contains(entity) {
                problems.push(format!("{rel} escapes by hand ({entity})"));
            }
        }
    }
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|d| d.split("\n[").next())
        .unwrap_or("");
    for line in deps.lines() {
        let name = line.split('=').next().unwrap_or("").trim();
        if name == "svg" {
            problems.push("Cargo.toml depends on the svg crate".to_string());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// README's dependency list names every direct dependency (normal, target
/// and dev) of `Cargo.toml`, so each one has its reason written down.
#[test]
fn every_dependency_is_named_in_the_readme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let list = readme
        .split("Dependencies and why")
        .nth(1)
        .expect("README has its dependency list")
        .split("\n## ")
        .next()
        .unwrap();
    let mut missing = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line.ends_with("dependencies]");
            continue;
        }
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if in_deps && !name.is_empty() && !name.starts_with('#') && !list.contains(name) {
            missing.push(name.to_string());
        }
    }
    assert!(missing.is_empty(), "README does not name: {missing:?}");
}
