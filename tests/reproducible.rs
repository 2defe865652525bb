//! Reproducible output: the real binary builds the example program again and
//! again — twice the same way, from a copy whose files were created in reverse
//! order (so directory order and timestamps differ), under TZ=UTC and
//! TZ=Pacific/Kiritimati (UTC+14, a different calendar day for most of the
//! world), and under LANG=C and LANG=de_DE.UTF-8 — and every output file must
//! be byte-identical.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies `from` to `to`, creating files and folders in reverse name order.
fn copy_reversed(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.file_name()));
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_reversed(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            // A different modification time for each file, too.
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

/// Builds `content` into `out` with the given environment.
fn build(content: &Path, out: &Path, env: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tpm-site"));
    cmd.arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(out)
        .env_remove("TZ")
        .env_remove("LC_ALL")
        .env_remove("LANG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let run = cmd.output().unwrap();
    assert!(
        run.status.success(),
        "build with {env:?} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    common::snapshot_tree(out)
}

fn assert_same(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: different files");
    for ((path, x), (_, y)) in a.iter().zip(b) {
        if x != y {
            let at = x
                .iter()
                .zip(y)
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            let from = at.saturating_sub(80);
            panic!(
                "{what}: {path} differs at byte {at}:\n{}\n---\n{}",
                String::from_utf8_lossy(&x[from..(at + 80).min(x.len())]),
                String::from_utf8_lossy(&y[from..(at + 80).min(y.len())])
            );
        }
    }
}

#[test]
fn output_is_byte_identical_across_builds_orders_zones_and_locales() {
    let tmp = tempfile::tempdir().unwrap();
    // A copy outside any git repository: no commit id depends on the checkout.
    let content = tmp.path().join("a/content");
    common::copy_dir(&common::root().join("content"), &content);
    let reversed = tmp.path().join("b/content");
    copy_reversed(&common::root().join("content"), &reversed);
    let out = |n: &str| -> PathBuf { tmp.path().join(format!("out-{n}")) };

    let first = build(&content, &out("1"), &[("TZ", "UTC"), ("LANG", "C")]);
    assert!(first.len() > 20, "{} files", first.len());
    let again = build(&content, &out("2"), &[("TZ", "UTC"), ("LANG", "C")]);
    assert_same(&first, &again, "a second build");
    let rebuilt = build(&content, &out("1"), &[("TZ", "UTC"), ("LANG", "C")]);
    assert_same(&first, &rebuilt, "a rebuild over the previous output");
    let rev = build(&reversed, &out("3"), &[("TZ", "UTC"), ("LANG", "C")]);
    assert_same(&first, &rev, "content copied in reverse creation order");
    let kiritimati = build(
        &content,
        &out("4"),
        &[("TZ", "Pacific/Kiritimati"), ("LANG", "C")],
    );
    assert_same(&first, &kiritimati, "TZ=Pacific/Kiritimati");
    let german = build(
        &content,
        &out("5"),
        &[
            ("TZ", "UTC"),
            ("LANG", "de_DE.UTF-8"),
            ("LC_ALL", "de_DE.UTF-8"),
        ],
    );
    assert_same(&first, &german, "LANG=de_DE.UTF-8");
}
