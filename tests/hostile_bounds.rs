//! Bounds on hostile input: each case writes a hostile content folder into a
//! temporary folder and runs the real binary (`tpm-site check`, or `build`)
//! under `/usr/bin/time -v` (Debian package `time`, installed by `.ci/run`).
//! Each must end in under 2 s of wall-clock time and 200 MB of peak resident
//! memory, with the expected exit code and a clear message.
//!
//! The binary is the debug build `cargo test` makes; its dependencies are
//! optimised (`[profile.dev.package."*"]` in Cargo.toml). The cases run one
//! after the other in one test, so they do not compete for the two cores.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const MAX_SECONDS: f64 = 2.0;
const MAX_RSS_KB: u64 = 200 * 1024;

const PROGRAM: &str = "name: Hostile\nobjective: Survive.\nstart: 2027-01-04\nend: 2028-12-29\n";
const TEAMS: &str = "- id: t\n  name: T\n  lead: L\n";
const ONE_DELIVERABLE: &str = "- id: a\n  name: A\n  owner: t\n  duration: 5d\n";
const REPORT_HEAD: &str = "---\ndate: 2027-01-15\nstatus: green\nsummary: s\n---\n";

struct Case {
    name: &'static str,
    /// `check` or `build`.
    command: &'static str,
    /// Files over the base folder (program, teams, one deliverable).
    files: Vec<(&'static str, Vec<u8>)>,
    exit: i32,
    /// Printed on stderr (or stdout for a successful check).
    expect: &'static str,
}

fn alias_bomb() -> Vec<u8> {
    let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 10].join(", ");
        let _ = writeln!(s, "{}: &{} [{refs}]", w[1], w[1]);
    }
    s.into_bytes()
}

/// `a0: &a0 [x]`, then `aN: &aN [*aN-1]` in block style: `n` levels deep
/// once the aliases are replayed.
fn alias_chain(n: usize) -> Vec<u8> {
    let mut s = String::from("a0: &a0\n  - x\n");
    for i in 1..n {
        let _ = writeln!(s, "a{i}: &a{i}\n  - *a{}", i - 1);
    }
    s.into_bytes()
}

fn repeat(unit: &str, n: usize, tail: &str) -> Vec<u8> {
    let mut s = unit.repeat(n);
    s.push_str(tail);
    s.into_bytes()
}

fn cases() -> Vec<Case> {
    let items_100k: String = (0..100_000)
        .map(|i| format!("- id: d{i}\n  name: D {i}\n  owner: t\n  duration: 3d\n"))
        .collect();
    let deps_100k = format!(
        "- id: a\n  name: A\n  owner: t\n  duration: 5d\n  depends_on: [{}]\n",
        (0..100_000)
            .map(|i| format!("x{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let criteria_100k = format!(
        "{PROGRAM}success_criteria:\n{}",
        (0..100_000)
            .map(|i| format!("  - criterion {i}\n"))
            .collect::<String>()
    );
    let cycle_10k: String = (0..10_000)
        .map(|i| {
            format!(
                "- id: c{i}\n  name: C {i}\n  owner: t\n  duration: 1d\n  depends_on: [c{}]\n",
                (i + 1) % 10_000
            )
        })
        .collect();
    let big_line = "All work and no play makes a dull program. ".repeat(2) + "\n";
    let fifty_mb = 50 * 1024 * 1024 / big_line.len();
    let deep_markdown = format!(
        "{REPORT_HEAD}{}x\n\n{}y\n\n{}\n\n{}z{}\n",
        ">".repeat(100_000),
        "- ".repeat(100_000),
        "[".repeat(100_000),
        "*".repeat(100_000),
        "*".repeat(100_000)
    );
    vec![
        Case {
            name: "alias bomb (10^10 expansions)",
            command: "check",
            files: vec![("deliverables/a.yaml", alias_bomb())],
            exit: 1,
            expect: "the YAML expands to too much data",
        },
        Case {
            name: "100k-deep flow nesting",
            command: "check",
            files: vec![("deliverables/a.yaml", repeat("[", 100_000, ""))],
            exit: 1,
            expect: "the YAML is nested too deeply",
        },
        Case {
            name: "100k-deep block nesting",
            command: "check",
            files: vec![("risks.yaml", repeat("- ", 100_000, "x\n"))],
            exit: 1,
            expect: "the YAML is nested too deeply",
        },
        Case {
            // A shallow text that expands to 40 levels: it overflowed the
            // stack of the debug build before every level got stack as it
            // needs it (content/yaml.rs `with_stack`).
            name: "40-anchor block-style alias chain",
            command: "check",
            files: vec![("risks.yaml", alias_chain(40))],
            exit: 1,
            expect: "risks.yaml must be a YAML list",
        },
        Case {
            name: "100k-deep mapping nesting in front matter",
            command: "check",
            files: vec![(
                "reports/2027-01-15.md",
                [
                    b"---\n".as_slice(),
                    &repeat("{a: ", 100_000, "\n---\nbody\n"),
                ]
                .concat(),
            )],
            exit: 1,
            expect: "the YAML is nested too deeply",
        },
        Case {
            name: "100k-deep Markdown nesting (build)",
            command: "build",
            files: vec![("reports/2027-01-15.md", deep_markdown.into_bytes())],
            exit: 0,
            expect: "Built ",
        },
        Case {
            name: "50 MB report",
            command: "check",
            files: vec![(
                "reports/2027-01-15.md",
                [
                    REPORT_HEAD.as_bytes(),
                    &big_line.repeat(fifty_mb).into_bytes(),
                ]
                .concat(),
            )],
            exit: 1,
            expect: "more than the 16 MiB a content file may be",
        },
        Case {
            name: "50 MB YAML file",
            command: "check",
            files: vec![(
                "deliverables/a.yaml",
                repeat("- x\n", 50 * 1024 * 1024 / 4, ""),
            )],
            exit: 1,
            expect: "more than the 16 MiB a content file may be",
        },
        Case {
            name: "100k-item list of deliverables in one file",
            command: "check",
            files: vec![("deliverables/a.yaml", items_100k.into_bytes())],
            exit: 1,
            expect: "the YAML file holds too many values",
        },
        Case {
            name: "100k-item depends_on list of unknown ids",
            command: "check",
            files: vec![("deliverables/a.yaml", deps_100k.into_bytes())],
            exit: 1,
            expect: "`a` depends on unknown item `x99999`",
        },
        Case {
            name: "100k-item success_criteria list",
            command: "check",
            files: vec![("program.yaml", criteria_100k.into_bytes())],
            exit: 0,
            expect: "Hostile: 1 items",
        },
        Case {
            name: "dependency cycle of 10k items",
            command: "check",
            files: vec![("deliverables/a.yaml", cycle_10k.into_bytes())],
            exit: 1,
            expect: "dependency cycle: c0 -> c1 -> c2",
        },
    ]
}

/// `Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23` in seconds.
fn elapsed_seconds(report: &str) -> Option<f64> {
    let line = report
        .lines()
        .find(|l| l.contains("Elapsed (wall clock)"))?;
    let value = line.rsplit(": ").next()?.trim();
    let mut seconds = 0.0;
    for part in value.split(':') {
        seconds = seconds * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(seconds)
}

/// `Maximum resident set size (kbytes): 12345`.
fn max_rss_kb(report: &str) -> Option<u64> {
    let line = report
        .lines()
        .find(|l| l.contains("Maximum resident set size"))?;
    line.rsplit(": ").next()?.trim().parse().ok()
}

fn write(root: &Path, files: &[(&str, Vec<u8>)]) {
    let base = [
        ("program.yaml", PROGRAM.as_bytes().to_vec()),
        ("teams.yaml", TEAMS.as_bytes().to_vec()),
        ("deliverables/a.yaml", ONE_DELIVERABLE.as_bytes().to_vec()),
    ];
    for (path, bytes) in base.iter().chain(files) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn hostile_inputs_end_fast_and_small_with_a_clear_outcome() {
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "/usr/bin/time is missing: install the Debian package `time` (.ci/run does)"
    );
    let mut failures = Vec::new();
    let mut table = String::from("case | exit | wall s | max RSS MB\n");
    for case in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        write(&content, &case.files);
        let mut cmd = Command::new(time);
        cmd.arg("-v")
            .arg(env!("CARGO_BIN_EXE_tpm-site"))
            .arg(case.command)
            .arg("--content")
            .arg(&content);
        if case.command == "build" {
            cmd.arg("--output").arg(tmp.path().join("public"));
            cmd.args(["--source-commit", "abc1234"]);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let (Some(seconds), Some(rss)) = (elapsed_seconds(&stderr), max_rss_kb(&stderr)) else {
            failures.push(format!(
                "{}: no /usr/bin/time report in {stderr:.2000}",
                case.name
            ));
            continue;
        };
        // `time -v` reports the child's exit status as its own.
        let code = out.status.code().unwrap_or(-1);
        let _ = writeln!(
            table,
            "{} | {code} | {seconds:.2} | {:.1}",
            case.name,
            rss as f64 / 1024.0
        );
        if code != case.exit {
            failures.push(format!(
                "{}: exit {code}, expected {}\n{:.1500}",
                case.name, case.exit, stderr
            ));
        }
        if !stderr.contains(case.expect) && !stdout.contains(case.expect) {
            failures.push(format!(
                "{}: expected `{}` in the output\n{:.1500}{:.500}",
                case.name, case.expect, stderr, stdout
            ));
        }
        if seconds >= MAX_SECONDS {
            failures.push(format!(
                "{}: took {seconds:.2} s (limit {MAX_SECONDS} s)",
                case.name
            ));
        }
        if rss >= MAX_RSS_KB {
            failures.push(format!(
                "{}: peak RSS {:.1} MB (limit 200 MB)",
                case.name,
                rss as f64 / 1024.0
            ));
        }
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}\n\n{table}", failures.join("\n\n"));
}

#[test]
fn time_reports_are_parsed() {
    let report = "\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50\n\tMaximum resident set size (kbytes): 20480\n";
    assert_eq!(elapsed_seconds(report), Some(62.5));
    assert_eq!(max_rss_kb(report), Some(20480));
    assert_eq!(
        elapsed_seconds("Elapsed (wall clock) time (h:mm:ss or m:ss): 1:00:01"),
        Some(3601.0)
    );
}
