//! Builds killed at many points of their run (SIGKILL, no clean-up) and a
//! reader that looks at the output while builds replace it: the output's
//! name always holds a whole site, the old one or the new one, never none
//! (the swap is one `renameat2(RENAME_EXCHANGE)` on Linux, see
//! `site/output.rs`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn build(content: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tpm-site"));
    cmd.arg("build")
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A whole site: the marker and the dashboard.
fn whole(out: &Path) -> bool {
    out.join(".tpm-site").is_file() && out.join("index.html").is_file()
}

#[test]
fn a_build_killed_at_any_point_leaves_a_whole_site_under_the_output_name() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let out = tmp.path().join("public");
    let start = Instant::now();
    assert!(build(&content, &out).status().unwrap().success());
    let full = start.elapsed().max(Duration::from_millis(20));
    assert!(whole(&out));
    // Kill points spread over a whole build, from its first instant to past
    // its end (where the swap happens).
    let points = 40u32;
    for k in 0..points {
        let mut child = build(&content, &out).spawn().unwrap();
        std::thread::sleep(full * k * 6 / 5 / points);
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            out.is_dir() && whole(&out),
            "no whole site under the output's name after a kill at {k}/{points} of a build"
        );
    }
    // The next build cleans up what the killed ones left.
    assert!(build(&content, &out).status().unwrap().success());
    let mut left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".public.tpm-site-spare", "content", "public"]);
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
#[test]
fn a_reader_never_finds_the_output_missing_while_builds_replace_it() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let out = tmp.path().join("public");
    assert!(build(&content, &out).status().unwrap().success());
    let stop = Arc::new(AtomicBool::new(false));
    let (looks, misses) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (stop, looks, misses, index) = (
            stop.clone(),
            looks.clone(),
            misses.clone(),
            out.join("index.html"),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                looks.fetch_add(1, Ordering::Relaxed);
                if std::fs::metadata(&index).is_err() {
                    misses.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    for _ in 0..15 {
        assert!(build(&content, &out).status().unwrap().success());
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert!(looks.load(Ordering::Relaxed) > 1000);
    assert_eq!(
        misses.load(Ordering::Relaxed),
        0,
        "the output's index.html was missing during a swap"
    );
}
