//! `tpm-site email` against a real SMTP server: aiosmtpd (tests/smtp_server.py),
//! started by each test on a free loopback port, writing what it receives
//! to a folder.
//!
//! The server runs on the Python named by `TPM_SITE_TEST_PYTHON`, by default
//! the venv `.ci/run` creates: `target/smtp-venv/bin/python` (with
//! `aiosmtpd==1.4.6`). Without it these tests FAIL, they never skip. To set
//! it up by hand:
//!
//! ```sh
//! python3 -m venv target/smtp-venv && target/smtp-venv/bin/pip install aiosmtpd==1.4.6
//! ```
//!
//! The STARTTLS and implicit TLS tests make a throwaway CA and server
//! certificate with the `openssl` command.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use mail_parser::{MessageParser, MimeHeaders};
use tempfile::TempDir;
use tpm_site::layout::gantt::GanttOptions;
use tpm_site::model::BaseUrl;
use tpm_site::render::email::{self as mail, EmailError, Recipient};
use tpm_site::render::svg::gantt::gantt_chart;
use tpm_site::render::theme::Theme;

const SUBJECT: &str = "[Identity Platform Migration] Biweekly report 2027-04-09 — RED";
const LINK: &str = "https://example.github.io/identity-migration/reports/2027-04-09/";
const STAKEHOLDERS: [&str; 5] = [
    "dana@example.com",
    "marcus@example.com",
    "elena@example.com",
    "tomas@example.com",
    "grace@example.com",
];

// ---------------------------------------------------------------- helpers

fn python() -> PathBuf {
    let py = std::env::var_os("TPM_SITE_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("target/smtp-venv/bin/python"));
    let ok = Command::new(&py)
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "the e-mail tests need Python with aiosmtpd at {} (or set TPM_SITE_TEST_PYTHON). \
         Run .ci/run, or: python3 -m venv target/smtp-venv && target/smtp-venv/bin/pip install aiosmtpd==1.4.6",
        py.display()
    );
    py
}

/// A running aiosmtpd; stopped (stdin closed, then killed) when dropped.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
    maildir: PathBuf,
}

impl Server {
    fn start(maildir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(python())
            .arg(common::root().join("tests/smtp_server.py"))
            .arg("--maildir")
            .arg(maildir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: {line:?}"));
        Server {
            stdin: child.stdin.take(),
            child,
            port,
            maildir: maildir.to_path_buf(),
        }
    }

    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    fn messages(&self) -> Vec<Received> {
        received(&self.maildir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Received {
    raw: Vec<u8>,
    rcpt_tos: Vec<String>,
    mail_from: String,
    tls: bool,
    auth: serde_json::Value,
}

fn received(maildir: &Path) -> Vec<Received> {
    let mut out = Vec::new();
    for n in 1.. {
        let eml = maildir.join(format!("{n}.eml"));
        let meta = maildir.join(format!("{n}.json"));
        if !eml.exists() || !meta.exists() {
            break;
        }
        let v: serde_json::Value = serde_json::from_slice(&fs::read(&meta).unwrap()).unwrap();
        out.push(Received {
            raw: fs::read(&eml).unwrap(),
            rcpt_tos: v["rcpt_tos"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect(),
            mail_from: v["mail_from"].as_str().unwrap().to_string(),
            tls: v["tls"].as_bool().unwrap(),
            auth: v["auth"].clone(),
        });
    }
    out
}

/// A scratch repository: a copy of the example content (the ledger goes to
/// `<tmp>/.tpm-site/sent.json`, never into this repository).
fn repo() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("content"), &tmp.path().join("content"));
    tmp
}

fn ledger_path(repo: &TempDir) -> PathBuf {
    repo.path().join(".tpm-site/sent.json")
}

fn ledger_sent(repo: &TempDir) -> Vec<String> {
    match fs::read(ledger_path(repo)) {
        Ok(b) => {
            let v: serde_json::Value = serde_json::from_slice(&b).unwrap_or_default();
            v["sent"]
                .as_array()
                .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        }
        Err(_) => Vec::new(),
    }
}

/// `tpm-site email …` in `repo`, with no TPM_SITE_* settings inherited.
fn email_cmd(repo: &TempDir, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tpm-site"));
    cmd.current_dir(repo.path()).arg("email").args(args);
    for var in [
        "TPM_SITE_SMTP_URL",
        "TPM_SITE_SMTP_USER",
        "TPM_SITE_SMTP_PASSWORD",
        "TPM_SITE_MAIL_FROM",
        "TPM_SITE_SMTP_CA_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("TPM_SITE_MAIL_FROM", "Program Office <reports@example.org>");
    cmd
}

fn run(mut cmd: Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// `tpm-site email --insecure` against a plain loopback server.
fn send_plain(repo: &TempDir, server: &Server, extra: &[&str]) -> (i32, String, String) {
    let url = server.url("smtp");
    let mut args = vec!["--insecure", "--smtp-url", url.as_str()];
    args.extend_from_slice(extra);
    run(email_cmd(repo, &args))
}

fn no_addresses(out: &str) {
    for a in STAKEHOLDERS {
        assert!(
            !out.contains(a),
            "an address leaked into the output:\n{out}"
        );
        let local = a.split('@').next().unwrap();
        assert!(
            !out.contains(&format!("{local}@")),
            "an address leaked into the output:\n{out}"
        );
    }
}

fn recipients(msgs: &[Received]) -> Vec<String> {
    let mut r: Vec<String> = msgs.iter().flat_map(|m| m.rcpt_tos.clone()).collect();
    r.sort();
    r
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// The size of the Gantt chart on the report page of 2027-04-09.
fn chart_size() -> (u32, u32) {
    let a = common::analyze(&common::root().join("content"));
    let snap = a.reports.last().unwrap();
    let chart = gantt_chart(
        &a.program,
        snap,
        &GanttOptions {
            as_of: snap.as_of,
            team: None,
            max_rows: 60,
            link_prefix: "https://example.github.io/identity-migration/".into(),
        },
    );
    (chart.width.ceil() as u32, chart.height.ceil() as u32)
}

/// Checks one received or written message completely; returns its text part.
fn check_message(raw: &[u8], to: &str, (w, h): (u32, u32)) -> String {
    let msg = MessageParser::default()
        .parse(raw)
        .expect("the message parses as MIME");
    assert_eq!(msg.subject(), Some(SUBJECT));
    let to_list: Vec<&str> = msg
        .to()
        .expect("a To header")
        .iter()
        .filter_map(|a| a.address())
        .collect();
    assert_eq!(to_list, vec![to], "exactly the one recipient in To");
    assert!(msg.bcc().is_none() && msg.header_raw("Cc").is_none());
    assert_eq!(
        msg.from().and_then(|f| f.first()).and_then(|f| f.address()),
        Some("reports@example.org")
    );
    assert!(
        msg.is_content_type("multipart", "alternative"),
        "top level is multipart/alternative"
    );

    let text = msg.body_text(0).expect("a text part").into_owned();
    let html = msg.body_html(0).expect("an HTML part").into_owned();
    for body in [&text, &html] {
        assert!(body.contains(LINK), "the absolute report link:\n{body}");
        assert!(body.contains("Auth API v2 done Mar 29"), "the summary");
        assert!(body.contains("Top changes since the report of 2027-03-26"));
        assert!(body.contains("Decisions needed from you"));
    }
    let lower = html.to_lowercase();
    for banned in ["<script", "<svg", "<style", "javascript:", "<link"] {
        assert!(!lower.contains(banned), "HTML must not contain {banned}");
    }
    assert!(html.contains(&format!("href=\"{LINK}\"")));

    let pngs: Vec<_> = msg
        .attachments()
        .filter(|p| p.is_content_type("image", "png"))
        .collect();
    assert_eq!(pngs.len(), 1, "one PNG");
    let cid = pngs[0].content_id().expect("the PNG has a Content-ID");
    assert!(
        html.contains(&format!("src=\"cid:{cid}\"")),
        "the HTML shows the PNG inline (cid:{cid})"
    );
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(pngs[0].contents()).expect("the PNG decodes");
    assert_eq!(
        (pixmap.width(), pixmap.height()),
        (w, h),
        "the PNG has the chart's size"
    );
    // Not blank: the chart is drawn (dark text and coloured bars on white).
    let dark = pixmap
        .pixels()
        .iter()
        .filter(|p| p.red() < 100 && p.green() < 100 && p.blue() < 100)
        .count();
    assert!(dark > 5_000, "the chart has ink ({dark} dark pixels)");
    text
}

// ---------------------------------------------------------------- tests

#[test]
fn delivers_the_latest_report_to_every_stakeholder_exactly_once() {
    let repo = repo();
    let maildir = repo.path().join("mail");
    let server = Server::start(&maildir, &[]);
    let (code, out, err) = send_plain(&repo, &server, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    no_addresses(&out);
    no_addresses(&err);
    assert!(
        out.contains("Report 2027-04-09: 5 sent, 0 skipped (already sent), 0 failed"),
        "{out}"
    );
    assert_eq!(
        out.matches(" sent      ").count(),
        5,
        "a line per message:\n{out}"
    );

    let msgs = server.messages();
    assert_eq!(msgs.len(), 5);
    assert_eq!(recipients(&msgs), sorted(&STAKEHOLDERS));
    let size = chart_size();
    for m in &msgs {
        assert_eq!(m.rcpt_tos.len(), 1, "one message per stakeholder");
        assert_eq!(m.mail_from, "reports@example.org");
        let text = check_message(&m.raw, &m.rcpt_tos[0], size);
        // Personal decisions: Dana is the VP Engineering, who decides the
        // overdue cutover strategy; Marcus (CISO) has nothing to decide.
        let mine = text
            .split("Decisions needed from you")
            .nth(1)
            .unwrap()
            .split("Other open decisions")
            .next()
            .unwrap();
        match m.rcpt_tos[0].as_str() {
            "dana@example.com" => {
                assert!(text.starts_with("Hello Dana,"), "{text}");
                assert!(
                    mine.contains("Run the web and partner cutover in parallel with the mobile launch (OVERDUE, needed by 2027-04-02)"),
                    "{text}"
                );
            }
            "marcus@example.com" => assert!(mine.contains("None this time."), "{text}"),
            "elena@example.com" => {
                assert!(mine.contains("Include IdP-initiated SAML"), "{text}")
            }
            _ => {}
        }
    }

    // The ledger: one hash per message, no addresses.
    let ledger = fs::read_to_string(ledger_path(&repo)).unwrap();
    assert_eq!(ledger_sent(&repo).len(), 5);
    assert!(
        !ledger.contains('@') && !ledger.contains("dana"),
        "{ledger}"
    );

    // A second run sends nothing.
    let (code, out, err) = send_plain(&repo, &server, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("Report 2027-04-09: 0 sent, 5 skipped (already sent), 0 failed"),
        "{out}"
    );
    assert_eq!(server.messages().len(), 5, "nothing was sent twice");

    // The site never publishes the ledger.
    let public = repo.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_tpm-site"))
        .current_dir(repo.path())
        .args(["build", "--output"])
        .arg(&public)
        .status()
        .unwrap();
    assert!(status.success());
    let hashes = ledger_sent(&repo);
    for (path, bytes) in common::snapshot_tree(&public) {
        assert!(!path.contains("sent"), "{path}");
        let text = String::from_utf8_lossy(&bytes);
        for h in &hashes {
            assert!(!text.contains(h.as_str()), "{path} holds a ledger hash");
        }
    }
}

#[test]
fn a_run_killed_after_one_message_sends_only_the_rest_next_time() {
    let repo = repo();
    let hung = Server::start(&repo.path().join("mail-1"), &["--mode", "hang-after-first"]);
    let url = hung.url("smtp");
    let mut cmd = email_cmd(
        &repo,
        &["--insecure", "--smtp-url", &url, "--timeout", "120"],
    );
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first message is delivered and in the ledger; the run
    // then hangs on the second one. Kill it there.
    let deadline = Instant::now() + Duration::from_secs(120);
    while ledger_sent(&repo).is_empty() {
        assert!(
            Instant::now() < deadline,
            "the first message never got through"
        );
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let first = hung.messages();
    assert_eq!(first.len(), 1);
    assert_eq!(ledger_sent(&repo).len(), 1);

    let healthy = Server::start(&repo.path().join("mail-2"), &[]);
    let (code, out, err) = send_plain(&repo, &healthy, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("Report 2027-04-09: 4 sent, 1 skipped (already sent), 0 failed"),
        "{out}"
    );
    let rest = healthy.messages();
    assert_eq!(rest.len(), 4);
    let mut all = recipients(&first);
    all.extend(recipients(&rest));
    all.sort();
    assert_eq!(all, sorted(&STAKEHOLDERS), "everyone exactly once");
    assert_eq!(ledger_sent(&repo).len(), 5);
}

#[test]
fn a_server_that_goes_away_after_the_first_message_fails_the_run_and_a_rerun_sends_the_rest() {
    let repo = repo();
    let flaky = Server::start(
        &repo.path().join("mail-1"),
        &["--mode", "close-after-first"],
    );
    let (code, out, err) = send_plain(&repo, &flaky, &[]);
    assert_eq!(code, 3, "non-zero when a send failed:\n{out}\n{err}");
    assert!(
        out.contains("Report 2027-04-09: 1 sent, 0 skipped (already sent), 4 failed"),
        "{out}"
    );
    assert!(
        out.contains("the connection to the SMTP server failed"),
        "{out}"
    );
    assert!(
        err.contains(
            "4 messages of 5 not sent (Marcus Oyelaran, Elena Rossi, Tomás Herrera, Grace Liu)"
        ),
        "{err}"
    );
    no_addresses(&out);
    no_addresses(&err);
    let first = flaky.messages();
    assert_eq!(first.len(), 1);

    let healthy = Server::start(&repo.path().join("mail-2"), &[]);
    let (code, out, err) = send_plain(&repo, &healthy, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("4 sent, 1 skipped (already sent), 0 failed"),
        "{out}"
    );
    let mut all = recipients(&first);
    all.extend(recipients(&healthy.messages()));
    all.sort();
    assert_eq!(all, sorted(&STAKEHOLDERS));
}

#[test]
fn a_message_whose_delivery_cannot_be_confirmed_is_never_sent_twice_unless_asked() {
    let repo = repo();
    let server = Server::start(&repo.path().join("mail-1"), &["--mode", "drop-first-reply"]);
    let (code, out, err) = send_plain(&repo, &server, &[]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(out.contains("it may have arrived"), "{out}");
    assert!(
        out.contains("4 sent, 0 skipped (already sent), 1 failed"),
        "{out}"
    );
    // The server did store it: the client just never heard back.
    assert_eq!(server.messages().len(), 5);
    let unconfirmed = server.messages()[0].rcpt_tos.clone();

    let healthy = Server::start(&repo.path().join("mail-2"), &[]);
    let (code, out, err) = send_plain(&repo, &healthy, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("0 sent, 4 skipped (already sent), 0 failed, 1 unconfirmed (not sent again)"),
        "{out}"
    );
    assert!(out.contains("--resend-unconfirmed"), "{out}");
    assert!(healthy.messages().is_empty(), "never twice by default");

    let (code, out, err) = send_plain(&repo, &healthy, &["--resend-unconfirmed"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("1 sent, 4 skipped (already sent), 0 failed"),
        "{out}"
    );
    assert_eq!(recipients(&healthy.messages()), unconfirmed);
    assert_eq!(ledger_sent(&repo).len(), 5);
}

#[test]
fn a_refused_recipient_is_named_in_a_clear_error_and_sent_on_the_next_run() {
    let repo = repo();
    let server = Server::start(
        &repo.path().join("mail-1"),
        &["--refuse-rcpt", "grace@example.com"],
    );
    let (code, out, err) = send_plain(&repo, &server, &[]);
    assert_eq!(code, 3, "{out}\n{err}");
    let line = out
        .lines()
        .find(|l| l.contains("FAILED"))
        .unwrap_or_else(|| panic!("a failure line:\n{out}"));
    assert!(
        line.contains("Grace Liu") && line.contains("the server refused the recipient Grace Liu"),
        "{line}"
    );
    assert!(
        line.contains("550") && line.contains("Recipient address rejected"),
        "{line}"
    );
    assert!(
        line.contains("[address]"),
        "the server's copy of the address is hidden: {line}"
    );
    no_addresses(&out);
    no_addresses(&err);
    assert!(
        out.contains("4 sent, 0 skipped (already sent), 1 failed"),
        "{out}"
    );
    assert!(err.contains("1 message of 5 not sent (Grace Liu)"), "{err}");
    assert_eq!(server.messages().len(), 4);
    assert!(!recipients(&server.messages()).contains(&"grace@example.com".to_string()));

    let healthy = Server::start(&repo.path().join("mail-2"), &[]);
    let (code, out, _) = send_plain(&repo, &healthy, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 sent, 4 skipped (already sent), 0 failed"),
        "{out}"
    );
    assert_eq!(recipients(&healthy.messages()), vec!["grace@example.com"]);
}

/// A throwaway CA and a server certificate for 127.0.0.1 signed by it.
fn test_ca(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .current_dir(dir)
            .args(args)
            .output()
            .expect("the openssl command");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=tpm-site test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(&ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(&csr);
    fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "leaf.pem",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("leaf.pem"),
        dir.join("leaf.key"),
    )
}

fn tls_run(implicit: bool) {
    let repo = repo();
    let certs = repo.path().join("certs");
    fs::create_dir_all(&certs).unwrap();
    let (ca, cert, key) = test_ca(&certs);
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let mut args = vec![
        "--tls-cert",
        cert,
        "--tls-key",
        key,
        "--auth",
        "mailer:s3cret-Pa55",
    ];
    if implicit {
        args.push("--implicit-tls");
    }
    let server = Server::start(&repo.path().join("mail"), &args);
    let url = server.url(if implicit { "smtps" } else { "smtp" });

    // Not trusted without the test CA: nothing is sent.
    let mut cmd = email_cmd(&repo, &[]);
    cmd.env("TPM_SITE_SMTP_URL", &url)
        .env("TPM_SITE_SMTP_USER", "mailer")
        .env("TPM_SITE_SMTP_PASSWORD", "s3cret-Pa55");
    let (code, out, err) = run(cmd);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(
        out.to_lowercase().contains("certificate") || out.contains("UnknownIssuer"),
        "{out}"
    );
    assert!(server.messages().is_empty());
    assert!(ledger_sent(&repo).is_empty());

    // Trusting it: everything goes out over TLS, authenticated.
    let mut cmd = email_cmd(&repo, &[]);
    cmd.env("TPM_SITE_SMTP_URL", &url)
        .env("TPM_SITE_SMTP_USER", "mailer")
        .env("TPM_SITE_SMTP_PASSWORD", "s3cret-Pa55")
        .env("TPM_SITE_SMTP_CA_FILE", &ca);
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("5 sent, 0 skipped (already sent), 0 failed"),
        "{out}"
    );
    for text in [&out, &err] {
        assert!(
            !text.contains("s3cret-Pa55"),
            "the password leaked:\n{text}"
        );
    }
    let msgs = server.messages();
    assert_eq!(msgs.len(), 5);
    assert!(msgs.iter().all(|m| m.tls), "every message went over TLS");
    assert!(
        msgs.iter().all(|m| m.auth.as_str() == Some("mailer")),
        "authenticated"
    );
    check_message(&msgs[0].raw, &msgs[0].rcpt_tos[0], chart_size());
}

#[test]
fn starttls_with_a_test_ca_works_and_an_untrusted_certificate_is_refused() {
    tls_run(false);
}

#[test]
fn implicit_tls_with_a_test_ca_works() {
    tls_run(true);
}

#[test]
fn plain_smtp_needs_insecure_and_a_loopback_address() {
    let repo = repo();
    let server = Server::start(&repo.path().join("mail"), &[]);
    // Plain server, no --insecure: STARTTLS is required and not offered.
    let url = server.url("smtp");
    let (code, out, err) = run(email_cmd(&repo, &["--smtp-url", &url]));
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(out.contains("does not offer STARTTLS"), "{out}");
    assert!(
        out.contains("not attempted"),
        "the run stops at a dead connection:\n{out}"
    );
    assert!(server.messages().is_empty());
    assert!(ledger_sent(&repo).is_empty());
    // --insecure to anything but loopback is refused before connecting.
    let (code, _, err) = run(email_cmd(
        &repo,
        &["--insecure", "--smtp-url", "smtp://mail.example.org:25"],
    ));
    assert_eq!(code, 2);
    assert!(err.contains("only to a loopback address"), "{err}");
    // A password in the URL is refused, and not repeated.
    let (code, out, err) = run(email_cmd(
        &repo,
        &["--smtp-url", "smtps://me:hunter2@mail.example.org"],
    ));
    assert_eq!(code, 2);
    assert!(err.contains("TPM_SITE_SMTP_PASSWORD"), "{err}");
    assert!(!err.contains("hunter2") && !out.contains("hunter2"));
}

#[test]
fn header_injection_in_a_stakeholder_name_is_neutralised() {
    // 1. Through the content: stakeholders.yaml refuses control characters,
    //    and nothing is sent.
    let repo = repo();
    let file = repo.path().join("content/stakeholders.yaml");
    let mut yaml = fs::read_to_string(&file).unwrap();
    yaml.push_str(
        "- name: \"Eve\\r\\nBcc: x@evil.example\"\n  email: eve@example.com\n  role: Observer\n",
    );
    fs::write(&file, &yaml).unwrap();
    let server = Server::start(&repo.path().join("mail-1"), &[]);
    let (code, out, err) = send_plain(&repo, &server, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("control characters"), "{err}");
    assert!(server.messages().is_empty());

    // 2. The e-mail layer's own defence, below the content checks.
    let a = common::analyze(&common::root().join("content"));
    let data = a.site_data();
    let prepared = mail::prepare(
        &data,
        a.program.reports.len() - 1,
        &BaseUrl::parse("https://example.github.io/identity-migration/").unwrap(),
    )
    .unwrap();
    let from: lettre::message::Mailbox = "reports@example.org".parse().unwrap();
    let theme = Theme::builtin().unwrap();
    for evil in [
        "Eve\r\nBcc: x@evil.example",
        "Eve\nBcc: x@evil.example",
        "Eve\rBcc: x@evil.example",
        "Eve\u{85}Bcc: x@evil.example",
    ] {
        let r = mail::message(
            &prepared,
            &theme,
            Recipient {
                name: evil,
                role: "",
                address: "eve@example.com",
            },
            &from,
            SystemTime::now(),
            "<t@example.org>",
        );
        assert!(
            matches!(r, Err(EmailError::Header(_))),
            "{evil:?} must be refused"
        );
    }
    let mut evil = prepared.clone();
    evil.subject = "Report\r\nBcc: x@evil.example".into();
    let r = mail::message(
        &evil,
        &theme,
        Recipient {
            name: "Eve",
            role: "",
            address: "eve@example.com",
        },
        &from,
        SystemTime::now(),
        "<t@example.org>",
    );
    assert!(matches!(r, Err(EmailError::Header(_))));

    // 3. A name that is hostile without control characters goes through
    //    the wire as one encoded display name: one recipient, no Bcc.
    let repo = repo_with_stakeholders(
        "- name: 'Eve \"Bcc: x@evil.example\", <y@evil.example>; =?utf-8?q?x?='\n  email: eve@example.com\n  role: Observer\n",
    );
    let server = Server::start(&repo.path().join("mail-2"), &[]);
    let (code, out, err) = send_plain(&repo, &server, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].rcpt_tos, vec!["eve@example.com"]);
    let msg = MessageParser::default().parse(&msgs[0].raw).unwrap();
    let to: Vec<_> = msg.to().unwrap().iter().collect();
    assert_eq!(to.len(), 1, "one To address");
    assert_eq!(to[0].address(), Some("eve@example.com"));
    assert_eq!(
        to[0].name(),
        Some("Eve \"Bcc: x@evil.example\", <y@evil.example>; =?utf-8?q?x?=")
    );
    assert!(msg.bcc().is_none() && msg.header_raw("Cc").is_none());
}

fn repo_with_stakeholders(yaml: &str) -> TempDir {
    let repo = repo();
    fs::write(repo.path().join("content/stakeholders.yaml"), yaml).unwrap();
    repo
}

/// Markup in the content that the top strip quotes (a decision's title, a
/// team's name) reaches the HTML part as text, escaped by the template.
#[test]
fn strip_words_from_the_content_are_escaped_in_the_html_part() {
    let repo = repo();
    let content = repo.path().join("content");
    let edit = |file: &str, from: &str, to: &str| {
        let path = content.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "decisions.yaml",
        "title: Run the web and partner cutover in parallel with the mobile launch",
        "title: 'Cutover <img src=x onerror=alert(1)> & launch'",
    );
    edit(
        "teams.yaml",
        "name: Platform Data Team",
        "name: 'Platform <b>Data</b> Team'",
    );
    let (code, out, err) = run(email_cmd(&repo, &["--dry-run", "outbox"]));
    assert_eq!(code, 0, "{out}\n{err}");
    let file = fs::read_dir(repo.path().join("outbox"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let raw = fs::read(file).unwrap();
    let msg = MessageParser::default().parse(&raw).expect("MIME");
    let html = msg.body_html(0).expect("an HTML part").into_owned();
    let strip = &html[html.find(">Why<").expect("the strip")..html.find("</table>").unwrap()];
    assert!(
        strip.contains("<strong>Cutover &lt;img src=x onerror=alert(1)&gt; &amp; launch</strong>"),
        "{strip}"
    );
    assert!(
        strip.contains("Platform &lt;b&gt;Data&lt;/b&gt; Team"),
        "{strip}"
    );
    assert!(!html.contains("<img src=x") && !html.contains("<b>Data"));
}

#[test]
fn dry_run_writes_one_parsable_eml_per_recipient_and_sends_nothing() {
    let repo = repo();
    let out_dir = repo.path().join("outbox");
    let (code, out, err) = run(email_cmd(&repo, &["--dry-run", "outbox"]));
    assert_eq!(code, 0, "{out}\n{err}");
    no_addresses(&out);
    assert!(out.contains("Dry run: wrote 5 messages"), "{out}");
    assert!(
        !ledger_path(&repo).exists(),
        "a dry run does not touch the ledger"
    );
    let mut files: Vec<PathBuf> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let size = chart_size();
    let mut tos = BTreeSet::new();
    let mut pngs = BTreeSet::new();
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        // 2027-04-09-<16 hex digits>.eml: no address, no name.
        let hash = name
            .strip_prefix("2027-04-09-")
            .and_then(|r| r.strip_suffix(".eml"))
            .unwrap_or_else(|| panic!("{name}"));
        assert!(
            hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
        let raw = fs::read(f).unwrap();
        let msg = MessageParser::default().parse(&raw).expect("MIME");
        let to = msg
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_string();
        check_message(&raw, &to, size);
        let png = msg
            .attachments()
            .find(|p| p.is_content_type("image", "png"))
            .unwrap()
            .contents()
            .to_vec();
        pngs.insert(png);
        tos.insert(to);
    }
    assert_eq!(tos.into_iter().collect::<Vec<_>>(), sorted(&STAKEHOLDERS));
    assert_eq!(pngs.len(), 1, "the same PNG bytes for everyone");

    // --to and --report pick recipients and reports.
    let (code, out, err) = run(email_cmd(
        &repo,
        &[
            "--dry-run",
            "one",
            "--to",
            "GRACE@example.com",
            "--report",
            "2027-01-29",
        ],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let files: Vec<PathBuf> = fs::read_dir(repo.path().join("one"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let raw = fs::read(&files[0]).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        msg.subject(),
        Some("[Identity Platform Migration] Biweekly report 2027-01-29 — AMBER")
    );
    assert_eq!(
        msg.to().unwrap().first().unwrap().address(),
        Some("grace@example.com")
    );
    let (code, _, err) = run(email_cmd(
        &repo,
        &["--dry-run", "x", "--to", "stranger@example.net"],
    ));
    assert_eq!(code, 2);
    assert!(
        err.contains("not a stakeholder") && !err.contains("stranger"),
        "{err}"
    );
    let (code, _, err) = run(email_cmd(
        &repo,
        &["--dry-run", "x", "--report", "2027-01-30"],
    ));
    assert_eq!(code, 2);
    assert!(err.contains("no published report of 2027-01-30"), "{err}");
}

/// The HTML part is the theme's `email.html`: a site's override of it
/// (`themes/default/email.html` next to the content folder) is what
/// stakeholders get, autoescaped like the pages, and a broken override stops
/// the run before anything is written.
#[test]
fn the_html_part_is_the_overridable_email_template() {
    let repo = repo();
    let themes = repo.path().join("themes/default");
    fs::create_dir_all(&themes).unwrap();
    fs::write(
        themes.join("email.html"),
        "<p class=\"custom\">Custom {{ program_name }} for {{ first_name }}: {{ rag_label }}</p>\n\
         <ul>{% for c in changes %}<li>{{ c }}</li>{% endfor %}</ul>\n\
         <img src=\"cid:{{ cid }}\">",
    )
    .unwrap();
    // Markup in the content reaches the HTML escaped.
    let program = repo.path().join("content/program.yaml");
    let yaml = fs::read_to_string(&program).unwrap();
    fs::write(
        &program,
        yaml.replacen(
            "Identity Platform Migration",
            "Identity <b>Platform</b> & Migration",
            1,
        ),
    )
    .unwrap();
    let (code, out, err) = run(email_cmd(&repo, &["--dry-run", "outbox"]));
    assert_eq!(code, 0, "{out}\n{err}");
    let file = fs::read_dir(repo.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let raw = fs::read(file).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    let html = msg.body_html(0).unwrap().into_owned();
    assert!(
        html.starts_with(
            "<p class=\"custom\">Custom Identity &lt;b&gt;Platform&lt;/b&gt; &amp; Migration for "
        ),
        "{html}"
    );
    assert!(html.contains(": RED</p>"), "{html}");
    assert!(!html.contains("<b>"), "content is escaped: {html}");
    // The plain-text part is not the template's.
    assert!(msg.body_text(0).unwrap().contains("Read the full report: "));

    fs::write(themes.join("email.html"), "{% if %}").unwrap();
    let (code, out, err) = run(email_cmd(&repo, &["--dry-run", "broken"]));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("email.html"), "{err}");
    assert!(!repo.path().join("broken").exists());
}

/// In the HTML part the chart gets a column as wide as the PNG (CSS), so a
/// reading pane that has the room shows it at its own size instead of
/// shrinking its 11-12 px labels to the text column's 688 px; the width
/// attribute (what Outlook, which ignores CSS, goes by) stays at 688, and
/// the text stays in its 720 px column.
#[test]
fn the_chart_is_shown_at_its_own_width_where_the_client_allows() {
    let a = common::analyze(&common::root().join("content"));
    let data = a.site_data();
    let m = mail::prepare(
        &data,
        a.program.reports.len() - 1,
        &BaseUrl::parse("https://example.org/").unwrap(),
    )
    .unwrap();
    let theme = Theme::builtin().unwrap();
    let b = mail::bodies(&m, &theme, "Dana Reyes", "VP Engineering").unwrap();
    let doc = scraper::Html::parse_document(&b.html);
    let img = doc
        .select(&scraper::Selector::parse("img[src^='cid:']").unwrap())
        .next()
        .expect("the chart");
    assert_eq!(img.value().attr("width"), Some("688"));
    assert!(
        m.png.width > 688,
        "the example's chart is wider than the text"
    );
    let column = img
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|e| e.value().name() == "div")
        .expect("the chart's column");
    let style = column.value().attr("style").unwrap();
    assert!(
        style.contains(&format!("max-width:{}px", m.png.width)),
        "{style}"
    );
    let text_columns = doc
        .select(&scraper::Selector::parse("body > div").unwrap())
        .filter(|d| {
            d.value()
                .attr("style")
                .is_some_and(|s| s.contains("max-width:720px"))
        })
        .count();
    assert_eq!(text_columns, 2, "the text before and after the chart");
    let summary: String = column.text().collect();
    assert!(
        summary.contains(&m.chart_summary),
        "the summary goes with the chart"
    );
}

#[test]
fn the_png_is_the_same_on_every_run() {
    let a = common::analyze(&common::root().join("content"));
    let data = a.site_data();
    let i = a.program.reports.len() - 1;
    let one = mail::prepare(&data, i, &BaseUrl::parse("https://example.org/").unwrap()).unwrap();
    let two = mail::prepare(&data, i, &BaseUrl::parse("https://example.org/").unwrap()).unwrap();
    assert_eq!(one.png, two.png);
    assert_eq!((one.png.width, one.png.height), chart_size());
}

#[test]
fn no_base_url_is_an_error() {
    let repo = repo();
    let file = repo.path().join("content/program.yaml");
    let yaml = fs::read_to_string(&file).unwrap();
    let without: String = yaml
        .lines()
        .filter(|l| !l.trim_start().starts_with("base_url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&file, without).unwrap();
    let (code, out, err) = run(email_cmd(&repo, &["--dry-run", "outbox"]));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("no base URL") && err.contains("--base-url"),
        "{err}"
    );
    // --base-url supplies it.
    let (code, out, err) = run(email_cmd(
        &repo,
        &[
            "--dry-run",
            "outbox",
            "--base-url",
            "https://pages.example.org/p",
        ],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let f = fs::read_dir(repo.path().join("outbox"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let raw = fs::read(f).unwrap();
    let msg = MessageParser::default().parse(&raw).unwrap();
    assert!(
        msg.body_text(0)
            .unwrap()
            .contains("https://pages.example.org/p/reports/2027-04-09/")
    );
}

#[test]
fn the_message_leads_with_the_pages_top_strip_and_its_ranked_changes() {
    let a = common::analyze(&common::root().join("content"));
    let data = a.site_data();
    let i = a.program.reports.len() - 1;
    let m = mail::prepare(&data, i, &BaseUrl::parse("https://example.org/p/").unwrap()).unwrap();
    let labels: Vec<&str> = m.strip.iter().map(|l| l.label).collect();
    assert_eq!(labels, ["State", "Why", "Path", "Slip", "You owe"]);
    let line = |label: &str| m.strip.iter().find(|l| l.label == label).unwrap();
    // The same words as the report page's strip (tests/report_page.rs).
    assert_eq!(
        line("Slip").text,
        "Of 6 working days of slip since the plan's end (2027-06-25), 6 came from Platform Data Team."
    );
    assert!(
        line("Why").text.ends_with(
            "itself pushed by Identity schema v5 migration (Platform Data Team, 6 working days late of its own)."
        ),
        "{}",
        line("Why").text
    );
    assert!(
        line("You owe").text.starts_with(
            "Run the web and partner cutover in parallel with the mobile launch — VP Engineering, 7 days overdue (needed by 2027-04-02)."
        ),
        "{}",
        line("You owe").text
    );
    assert_eq!(
        line("State").text,
        "Red · Forecast 6 working days late at Internal beta (employees on v2, web) · end \
         2027-07-06, 3 working days after the committed 2027-06-30"
    );
    // The strip's links are absolute and land on the decision.
    let owed = &line("You owe").paragraphs[0][0];
    assert!(owed.strong, "{owed:?}");
    assert!(
        owed.href
            .as_deref()
            .is_some_and(|h| h.starts_with("https://example.org/p/decisions/index.html#decision-")),
        "{owed:?}"
    );
    // The changes are ranked as on the page: the end date first, routine
    // status changes counted on one last line.
    assert!(m.changes[0].starts_with("Forecast end"), "{:?}", m.changes);

    let theme = Theme::builtin().unwrap();
    let b = mail::bodies(&m, &theme, "Dana Reyes", "VP Engineering").unwrap();
    let why = b.text.find("Why: ").expect("the strip in the text part");
    let summary = b.text.find("Auth API v2 done Mar 29").unwrap();
    let changes = b.text.find("Top changes since").unwrap();
    assert!(
        why < summary && summary < changes,
        "the strip leads:\n{}",
        b.text
    );
    let why = b.html.find(">Why<").expect("the strip in the HTML part");
    assert!(why < b.html.find("Top changes since").unwrap());
    assert!(b.html.contains("6 came from Platform Data Team"));
    // The HTML part writes them as links, the title in bold.
    let link = format!(
        "<a href=\"{}\" style=\"color:#0b57d0;\"><strong>{}</strong></a> — VP Engineering, 7 days overdue",
        owed.href.as_deref().unwrap().replace('&', "&amp;"),
        owed.text
    );
    assert!(b.html.contains(&link), "{link} in:\n{}", b.html);

    // An earlier report with routine transitions counts them on one line.
    let early = a
        .program
        .reports
        .iter()
        .position(|r| r.date.to_string() == "2027-02-12")
        .unwrap();
    let m = mail::prepare(
        &data,
        early,
        &BaseUrl::parse("https://example.org/p/").unwrap(),
    )
    .unwrap();
    let last = m.changes.last().unwrap();
    assert!(
        last.contains("routine status change") && last.ends_with("finished without a slip)."),
        "{:?}",
        m.changes
    );
    assert!(
        !m.changes
            .iter()
            .any(|c| c.contains("Token signing service went from")),
        "routine changes are not spelled out: {:?}",
        m.changes
    );
}

#[test]
fn own_messages_keep_their_example_address_and_say_nothing_was_sent() {
    let repo = repo();
    // A real send without a sender: tpm-site's own example stays readable,
    // and nothing was sent at all (not "nothing more").
    let mut cmd = email_cmd(&repo, &["--insecure", "--smtp-url", "smtp://127.0.0.1:9"]);
    cmd.env_remove("TPM_SITE_MAIL_FROM");
    let (code, out, err) = run(cmd);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("`Program reports <reports@example.org>`"),
        "{err}"
    );
    assert!(err.contains("; nothing was sent"), "{err}");
    assert!(!err.contains("nothing more"), "{err}");
    assert!(!err.contains("[address]"), "{err}");
}

#[test]
fn a_dry_run_says_which_sender_it_uses() {
    let repo = repo();
    let (code, out, err) = run(email_cmd(&repo, &["--dry-run", "outbox"]));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("From: Program Office <reports@example.org>\n"),
        "{out}"
    );
    let mut cmd = email_cmd(&repo, &["--dry-run", "outbox2"]);
    cmd.env_remove("TPM_SITE_MAIL_FROM");
    let (code, out, err) = run(cmd);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains(
            "tpm-site@example.invalid> (a placeholder: no --from or TPM_SITE_MAIL_FROM was given"
        ),
        "{out}"
    );
}
