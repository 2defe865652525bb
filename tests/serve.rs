//! `tpm-site serve` end to end, on a free loopback port: pages are served,
//! a content change is served within seconds, a broken file shows the overlay
//! over the last good page, traversal and foreign hosts are refused, and a
//! draft is visible in serve but never in build.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
    /// How many "rebuilt in" lines the server printed.
    rebuilds: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(content: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tpm-site"))
        .args(["serve", "--port", "0", "--content"])
        .arg(content)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let line = lines.next().expect("serve printed its URL").unwrap();
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    let rebuilds = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(1));
    let counter = rebuilds.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.starts_with("rebuilt in ") {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    });
    Server {
        child,
        port,
        rebuilds,
    }
}

/// A raw HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (
        status,
        text.split_once("\r\n\r\n")
            .map(|(h, _)| format!("{h}\r\n\r\n"))
            .unwrap_or_default()
            + &body,
    )
}

fn local(port: u16, path: &str) -> (u16, String) {
    get(port, path, &format!("127.0.0.1:{port}"))
}

fn wait_for(mut f: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serve_live_reloads_shows_overlay_and_refuses_attacks() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    std::fs::write(
        content.join("reports/2027-02-12.md"),
        "---\ndate: 2027-02-12\nstatus: red\nsummary: Draft summary XYZZY.\ndraft: true\n---\nDraft body.\n",
    )
    .unwrap();
    let server = start(&content);
    let port = server.port;

    let (status, page) = local(port, "/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Spec Example"));
    assert!(
        page.contains("/__tpm_site/live.js"),
        "live script injected in serve"
    );
    assert!(
        !page
            .to_ascii_lowercase()
            .contains("access-control-allow-origin"),
        "no CORS header"
    );
    let (status, _) = local(port, "/__tpm_site/live.js");
    assert_eq!(status, 200);

    // The draft is visible in serve, with a banner.
    let (status, draft) = local(port, "/reports/2027-02-12/");
    assert_eq!(status, 200);
    assert!(
        draft.contains("XYZZY") && draft.contains("DRAFT"),
        "{draft}"
    );

    // Missing pages get the site's 404.
    let (status, body) = local(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "{body}");

    // Traversal and foreign hosts.
    for bad in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/reports/..%2f..%2fprogram.yaml",
        "/.tpm-site",
    ] {
        let (status, body) = local(port, bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(
            !body.contains("name: Spec Example"),
            "{bad} leaked a content file"
        );
    }
    let (status, _) = get(port, "/", "evil.example");
    assert_eq!(status, 403);

    // A change is served within seconds.
    let program = content.join("program.yaml");
    let text = std::fs::read_to_string(&program).unwrap();
    std::fs::write(
        &program,
        text.replace("name: Spec Example", "name: Renamed Program"),
    )
    .unwrap();
    wait_for(
        || local(port, "/").1.contains("Renamed Program"),
        "the rename to be served",
    );

    // Breaking a file keeps the last good page and shows the overlay with file and line.
    let deliverables = content.join("deliverables/all.yaml");
    let good = std::fs::read_to_string(&deliverables).unwrap();
    std::fs::write(
        &deliverables,
        good.replacen("owner: identity", "owner: identiy", 1),
    )
    .unwrap();
    wait_for(
        || local(port, "/").1.contains("tpm-site-overlay"),
        "the error overlay",
    );
    let (status, page) = local(port, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("Renamed Program"),
        "last good build still served"
    );
    assert!(
        page.contains("deliverables/all.yaml:8:10") && page.contains("identiy"),
        "{page}"
    );

    // Fixing it clears the overlay.
    std::fs::write(&deliverables, good).unwrap();
    wait_for(
        || !local(port, "/").1.contains("tpm-site-overlay"),
        "the overlay to clear",
    );

    // Build never publishes the draft.
    let out = tmp.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_tpm-site"))
        .arg("build")
        .arg("--content")
        .arg(&content)
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!out.join("reports/2027-02-12").exists());
    for (path, bytes) in common::snapshot_tree(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("XYZZY"),
            "draft leaked into {path}"
        );
    }
}

/// The server rebuilds once per change, never on its own (its own reads of
/// the content must not count as changes), and serves the edited page.
#[test]
fn serve_rebuilds_once_per_change_and_never_when_idle() {
    use std::sync::atomic::Ordering::SeqCst;
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::fixture("valid/spec-example/content"), &content);
    let server = start(&content);
    let (status, _) = local(server.port, "/");
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(server.rebuilds.load(SeqCst), 1, "rebuilt while idle");
    let program = content.join("program.yaml");
    let text = std::fs::read_to_string(&program).unwrap();
    std::fs::write(&program, text.replacen("name: ", "name: Renamed ", 1)).unwrap();
    let start = std::time::Instant::now();
    while server.rebuilds.load(SeqCst) < 2 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        server.rebuilds.load(SeqCst),
        2,
        "one rebuild after the edit"
    );
    let (_, page) = local(server.port, "/");
    assert!(page.contains("Renamed"), "the edit is served");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(server.rebuilds.load(SeqCst), 2, "rebuilt again while idle");
}

/// serve's in-memory build reports the warnings `check` and `build` print
/// (the report warnings included): one pipeline for every command.
#[test]
fn serve_shows_the_warnings_check_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    common::copy_dir(&common::root().join("content"), &content);
    let f = content.join("reports/2027-04-09.md");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replacen("status: red", "status: amber", 1)).unwrap();
    std::fs::remove_file(content.join("reports/2027-02-26.md")).unwrap();
    let (_, _, warnings) = tpm_site::site::serve::build_in_memory(&content).expect("builds");
    let served: Vec<String> = warnings.iter().map(|d| d.message.clone()).collect();
    let checked: Vec<String> = common::diagnostics(&content)
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(served, checked);
    assert!(
        served
            .iter()
            .any(|m| m.contains("the report of 2027-04-09 says amber")),
        "{served:?}"
    );
    assert!(
        served
            .iter()
            .any(|m| m.contains("no report for the scheduled report date 2027-02-26")),
        "{served:?}"
    );
}
