//! `tpm-site check`: the build's pipeline (load, analyse, render, the
//! publishing guards) with nothing written; reports every problem.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::{ContentArg, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, plural};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::site::{self, BuildError, BuildOptions, OutputMode};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print problems: `text` for people, `json` for tools, `github`
    /// for GitHub Actions annotations on the pull request's diff, `gitlab`
    /// for GitLab code quality (Code Climate JSON, shown on the merge request).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
    Gitlab,
}

pub fn run(args: &CheckArgs) -> i32 {
    let dir = &args.content.content;
    let mut diags = Diagnostics::new();
    // The build's own pipeline, rendering and guarding every page but
    // writing none: check stops on exactly what build stops on.
    let opts = BuildOptions {
        content: dir.clone(),
        output: PathBuf::new(),
        base_url: None,
        as_of: None,
        include_drafts: false,
        source_commit: None,
    };
    let result = site::run(&opts, OutputMode::None, &mut diags);
    let mut list = diags.into_sorted();
    // What the publishing guards found, for tools: one file-less error each.
    if let Err(BuildError::Guard(g)) = &result
        && args.format != Format::Text
    {
        list.extend(g.problems.iter().map(|p| Diagnostic {
            severity: Severity::Error,
            file: Arc::from(""),
            line: 0,
            col: 0,
            message: p.clone(),
            hint: Some("remove it from the content: the site must not publish it".into()),
        }));
    }
    let errors = list
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = list.len() - errors;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    match args.format {
        Format::Text => {
            // Buffered, like `print_diagnostics`.
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            for d in &list {
                let _ = writeln!(err, "{}", d.display(dir));
            }
            let _ = err.flush();
        }
        Format::Json => println!("{}", to_json(&list, dir, errors, warnings)),
        Format::Gitlab => println!("{}", gitlab_code_quality(&list, dir)),
        Format::Github => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for d in &list {
                let _ = writeln!(out, "{}", github_annotation(d, dir));
            }
            let _ = out.flush();
        }
    }
    match result {
        Ok(summary) if !failed => {
            if args.format == Format::Text {
                let p = &summary.program;
                println!(
                    "{}: {} items, {} teams, {} reports; forecast end {} (committed {}); {}",
                    p.name,
                    p.items,
                    p.teams,
                    p.reports,
                    p.forecast_end,
                    p.committed_end,
                    plural(warnings, "warning")
                );
            }
            EXIT_OK
        }
        Ok(_) | Err(BuildError::Content) => {
            if args.format == Format::Text {
                eprintln!(
                    "error: {} and {} in {}",
                    plural(errors, "error"),
                    plural(warnings, "warning"),
                    dir.display()
                );
            }
            EXIT_CONTENT
        }
        Err(e @ BuildError::Guard(_)) => {
            if args.format == Format::Text {
                eprintln!("error: {e}");
            }
            EXIT_CONTENT
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

/// The path shown for a diagnostic: under the content folder as given.
fn shown_path(d: &Diagnostic, dir: &Path) -> String {
    if d.file.is_empty() {
        dir.display().to_string()
    } else {
        dir.join(&*d.file).display().to_string()
    }
}

fn to_json(list: &[Diagnostic], dir: &Path, errors: usize, warnings: usize) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity,
                "file": shown_path(d, dir),
                "line": d.line,
                "col": d.col,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    serde_json::json!({ "errors": errors, "warnings": warnings, "diagnostics": items }).to_string()
}

/// GitLab code quality: a Code Climate JSON array with the fields GitLab
/// reads (`description`, `check_name`, `fingerprint`, `severity`,
/// `location.path`, `location.lines.begin`). The fingerprint hashes the
/// path, the message and how many times that pair came before, not the line,
/// so a problem that only moves is the same problem on the merge request.
pub fn gitlab_code_quality(list: &[Diagnostic], dir: &Path) -> String {
    let mut seen: std::collections::HashMap<(String, &str), usize> =
        std::collections::HashMap::new();
    let issues: Vec<serde_json::Value> = list
        .iter()
        .map(|d| {
            let path = shown_path(d, dir);
            let n = seen.entry((path.clone(), &d.message)).or_insert(0);
            let key = format!("{path}\n{}\n{n}", d.message);
            *n += 1;
            let digest = ring::digest::digest(&ring::digest::SHA256, key.as_bytes());
            let fingerprint: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
            let (check_name, severity) = match d.severity {
                Severity::Error => ("tpm-site/error", "major"),
                Severity::Warning => ("tpm-site/warning", "minor"),
            };
            let mut description = d.message.clone();
            if let Some(h) = &d.hint {
                description.push_str(" (help: ");
                description.push_str(h);
                description.push(')');
            }
            serde_json::json!({
                "type": "issue",
                "description": description,
                "check_name": check_name,
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint,
                "severity": severity,
                "location": { "path": path, "lines": { "begin": d.line.max(1) } },
            })
        })
        .collect();
    serde_json::Value::Array(issues).to_string()
}

/// `::error file=…,line=…,col=…::message` with GitHub's escaping.
pub fn github_annotation(d: &Diagnostic, dir: &Path) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn prop(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let mut props = format!("file={}", prop(&shown_path(d, dir)));
    if d.line > 0 {
        props.push_str(&format!(",line={},col={}", d.line, d.col.max(1)));
    }
    format!("::{level} {props},title=tpm-site::{}", data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(severity: Severity, file: &str, line: u32, message: &str) -> Diagnostic {
        Diagnostic {
            severity,
            file: Arc::from(file),
            line,
            col: 1,
            message: message.into(),
            hint: Some("do this".into()),
        }
    }

    #[test]
    fn gitlab_code_quality_has_the_fields_gitlab_requires() {
        let list = [
            diag(Severity::Error, "risks.yaml", 3, "`probability` is 9"),
            diag(Severity::Warning, "notes.txt", 0, "stray file"),
            // The same message twice in one file: two issues, two fingerprints.
            diag(Severity::Error, "risks.yaml", 7, "`probability` is 9"),
        ];
        let out: serde_json::Value =
            serde_json::from_str(&gitlab_code_quality(&list, Path::new("content"))).unwrap();
        let issues = out.as_array().expect("a JSON array of issues");
        assert_eq!(issues.len(), 3);
        let mut fingerprints = std::collections::HashSet::new();
        for i in issues {
            for field in ["description", "check_name", "fingerprint", "severity"] {
                assert!(
                    i[field].as_str().is_some_and(|s| !s.is_empty()),
                    "{field} in {i}"
                );
            }
            assert!(
                ["info", "minor", "major", "critical", "blocker"]
                    .contains(&i["severity"].as_str().unwrap())
            );
            assert!(
                i["location"]["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("content/")
            );
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string());
        }
        assert_eq!(fingerprints.len(), 3, "fingerprints are unique");
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[1]["severity"], "minor");
        assert_eq!(issues[0]["location"]["path"], "content/risks.yaml");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 3);
        assert_eq!(
            issues[1]["location"]["lines"]["begin"], 1,
            "no line: line 1"
        );
        assert_eq!(
            issues[0]["description"],
            "`probability` is 9 (help: do this)"
        );
        // A problem that only moves keeps its fingerprint.
        let moved = [diag(
            Severity::Error,
            "risks.yaml",
            30,
            "`probability` is 9",
        )];
        let moved: serde_json::Value =
            serde_json::from_str(&gitlab_code_quality(&moved, Path::new("content"))).unwrap();
        assert_eq!(moved[0]["fingerprint"], issues[0]["fingerprint"]);
        assert_eq!(gitlab_code_quality(&[], Path::new("content")), "[]");
    }

    #[test]
    fn github_annotations_escape_newlines_and_property_separators() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: Arc::from("deliverables/a,b.yaml"),
            line: 3,
            col: 5,
            message: "100% wrong: x".into(),
            hint: Some("fix it".into()),
        };
        assert_eq!(
            github_annotation(&d, Path::new("content")),
            "::error file=content/deliverables/a%2Cb.yaml,line=3,col=5,title=tpm-site::100%25 wrong: x%0Ahelp: fix it"
        );
    }
}
