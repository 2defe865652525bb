//! `tpm-site email`, orchestrated: choose the report, the recipients and the
//! messages ([`crate::render::email`]), then either write them as `.eml`
//! files (`--dry-run`) or send them over SMTP, exactly once per recipient,
//! with the [`Ledger`].
//!
//! **The ledger** (`.tpm-site/sent.json` next to the content folder, i.e. in
//! the repository root; `--ledger FILE` to move it) records, for every message
//! sent, SHA-256 of `"<report date>\n<lowercase address>"` as hex: never an
//! address. It is rewritten atomically (temporary file, fsync, rename) after
//! every single send, so a run that dies after k of N messages leaves k
//! entries and the next run sends only the rest. It lives outside the content
//! folder, and `build` only ever reads the content folder, so it is never
//! published; CI commits it back to the repository. A lock file next to it
//! (`sent.json.lock`, held with an OS lock that dies with the process) keeps
//! two runs from sending at the same time.
//!
//! There is one moment where "sent or not" cannot be known: after the message
//! body went to the server and before its reply arrived. Just before the
//! body is sent the hash is recorded as *unconfirmed*; the server's 250 turns
//! it into *sent*, a refusal removes it. A run that dies in between (or loses
//! the connection there) leaves it unconfirmed, and later runs skip it with a
//! warning rather than risk a second copy; `--resend-unconfirmed` sends those
//! again. Everywhere else the state is exact.
//!
//! Logs never show an address or a secret: a recipient is shown by name and
//! the first 8 hex digits of their ledger hash, and server replies are shown
//! with anything that looks like an address replaced by `[address]`.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use jiff::civil::Date;
use lettre::Address;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use serde::{Deserialize, Serialize};

use super::Analyzed;
use crate::diagnostics::Diagnostics;
use crate::model::SmtpUrl;
use crate::render::email::{self as mail, EmailError, Recipient, ReportMail};
use crate::render::theme::Theme;

/// A secret from the environment: never printed, not even by `Debug`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: String) -> Secret {
        Secret(s)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Which report to mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportChoice {
    Latest,
    Date(Date),
}

/// How to reach the SMTP server (flags, else environment; the password only
/// from the environment).
#[derive(Clone, Debug, Default)]
pub struct SmtpSettings {
    /// `smtp://host[:port]` (STARTTLS, default port 587) or
    /// `smtps://host[:port]` (implicit TLS, default port 465), parsed where
    /// it entered (the flag or the environment).
    pub url: Option<SmtpUrl>,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// `address` or `Name <address>`; without a name the program's name is used.
    pub from: Option<String>,
    /// Extra CA certificates (PEM) to trust besides the system's.
    pub ca_file: Option<PathBuf>,
    /// Allow plain SMTP (`smtp://` without STARTTLS), only to a loopback address.
    pub insecure: bool,
    pub timeout: Duration,
}

/// What `tpm-site email` should do.
#[derive(Clone, Debug)]
pub struct EmailOptions {
    pub content: PathBuf,
    pub report: ReportChoice,
    /// Overrides `site.base_url` (parsed where it entered, on the command line).
    pub base_url: Option<crate::model::BaseUrl>,
    /// Write one `.eml` per recipient into this folder and send nothing.
    pub dry_run: Option<PathBuf>,
    /// Only these stakeholders (by address, any case); empty: everyone.
    pub to: Vec<String>,
    /// Default: [`default_ledger_path`].
    pub ledger: Option<PathBuf>,
    pub resend_unconfirmed: bool,
    pub smtp: SmtpSettings,
}

/// Why `tpm-site email` stopped before sending anything.
#[derive(Debug, thiserror::Error)]
pub enum EmailRunError {
    /// Content problems: the diagnostics say which.
    #[error("the content has errors")]
    Content,
    #[error(transparent)]
    Load(#[from] crate::content::LoadError),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Mail(#[from] EmailError),
    #[error("theme: {0}")]
    Theme(#[from] crate::render::theme::ThemeError),
    #[error("ledger {}: {msg}", path.display())]
    Ledger { path: PathBuf, msg: String },
    #[error("{0}")]
    Io(String),
    /// A problem that stopped the run after some messages went out.
    #[error("{why}; stopped after {} sent, nothing more was sent", crate::render::plural(*sent, "message"))]
    Stopped { sent: usize, why: String },
}

impl EmailRunError {
    /// Whether the message is tpm-site's own words only (no server reply,
    /// no content): it is printed as is, not scrubbed of addresses, so the
    /// tool's own examples (`Program reports <reports@example.org>`) stay.
    pub fn is_own_words(&self) -> bool {
        matches!(self, EmailRunError::Usage(_))
    }

    /// Whether some messages were sent before the run stopped.
    pub fn after_sending(&self) -> bool {
        matches!(self, EmailRunError::Stopped { .. })
    }
}

/// `e`, as stopping the run after `sent` messages went out (unchanged when
/// none did: then nothing was sent at all).
fn stopped_after(sent: usize, e: EmailRunError) -> EmailRunError {
    if sent == 0 {
        e
    } else {
        EmailRunError::Stopped {
            sent,
            why: e.to_string(),
        }
    }
}

fn usage<T>(msg: impl Into<String>) -> Result<T, EmailRunError> {
    Err(EmailRunError::Usage(msg.into()))
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmailSummary {
    pub report: Option<Date>,
    pub recipients: usize,
    pub sent: usize,
    /// Already in the ledger as sent.
    pub skipped: usize,
    /// In the ledger as unconfirmed, not re-sent.
    pub unconfirmed: usize,
    pub failed: usize,
    /// Who was not sent to (names, never addresses).
    pub failed_names: Vec<String>,
    /// `.eml` files written by a dry run.
    pub written: usize,
}

/// The ledger's default place: `.tpm-site/sent.json` in the folder that holds
/// the content folder (the repository root).
pub fn default_ledger_path(content: &Path) -> PathBuf {
    let abs = absolute(content);
    abs.parent()
        .map(|p| p.join(".tpm-site").join("sent.json"))
        .unwrap_or_else(|| PathBuf::from(".tpm-site/sent.json"))
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Resolve `..` and symlinks where the path exists, so "inside" checks hold.
    fs::canonicalize(&abs).unwrap_or(abs)
}

/// Whether `path` (which may not exist yet) is inside `dir`.
fn is_inside(path: &Path, dir: &Path) -> bool {
    let dir = absolute(dir);
    let mut p = absolute(path);
    // Canonicalize the nearest existing ancestor.
    let mut tail = Vec::new();
    while !p.exists() {
        match (p.file_name().map(|f| f.to_os_string()), p.parent()) {
            (Some(f), Some(parent)) => {
                tail.push(f);
                p = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut p = fs::canonicalize(&p).unwrap_or(p);
    for f in tail.into_iter().rev() {
        p.push(f);
    }
    p.starts_with(&dir)
}

/// The ledger key of one message: hex SHA-256 of `"<date>\n<address>"`, the
/// address trimmed and lowercased.
pub fn ledger_key(date: Date, address: &str) -> String {
    let input = format!("{date}\n{}", address.trim().to_lowercase());
    let digest = ring::digest::digest(&ring::digest::SHA256, input.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the ledger knows about one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerState {
    New,
    Sent,
    /// The body went out but the server's answer never came.
    Unconfirmed,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct LedgerFile {
    about: String,
    version: u32,
    sent: BTreeSet<String>,
    #[serde(default)]
    unconfirmed: BTreeSet<String>,
}

const LEDGER_ABOUT: &str = "tpm-site email ledger: hex SHA-256 of \"<report date>\\n<lowercase address>\" for every report e-mail sent (no addresses). Commit this file; never publish it.";

/// The record of messages sent: see the module documentation.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    file: LedgerFile,
    /// Held for the ledger's lifetime; the OS releases it when the process dies.
    _lock: File,
}

impl Ledger {
    /// Opens (or starts) the ledger at `path` and takes its lock.
    pub fn open(path: &Path) -> Result<Ledger, EmailRunError> {
        let err = |msg: String| EmailRunError::Ledger {
            path: path.to_path_buf(),
            msg,
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| err(format!("cannot create its folder: {e}")))?;
        let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
        lock_name.push(".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(lock_name))
            .map_err(|e| err(format!("cannot open its lock file: {e}")))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(err(
                    "another `tpm-site email` run is using it; wait for it to finish".into(),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(err(format!("cannot lock it: {e}"))),
        }
        let file = match fs::read(path) {
            Ok(bytes) => serde_json::from_slice::<LedgerFile>(&bytes).map_err(|e| {
                err(format!(
                    "it is not a tpm-site ledger ({e}); fix or remove it, it is never overwritten"
                ))
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => LedgerFile::default(),
            Err(e) => return Err(err(format!("cannot read it: {e}"))),
        };
        if file.version > 1 {
            return Err(err(format!(
                "it has format version {}, newer than this tpm-site understands",
                file.version
            )));
        }
        Ok(Ledger {
            path: path.to_path_buf(),
            file,
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn state(&self, key: &str) -> LedgerState {
        if self.file.sent.contains(key) {
            LedgerState::Sent
        } else if self.file.unconfirmed.contains(key) {
            LedgerState::Unconfirmed
        } else {
            LedgerState::New
        }
    }

    /// Records that the body of `key` is about to go out.
    pub fn mark_unconfirmed(&mut self, key: &str) -> io::Result<()> {
        self.file.unconfirmed.insert(key.to_string());
        self.save()
    }

    /// Records that the server accepted `key`.
    pub fn mark_sent(&mut self, key: &str) -> io::Result<()> {
        self.file.unconfirmed.remove(key);
        self.file.sent.insert(key.to_string());
        self.save()
    }

    /// Records that `key` was certainly not delivered.
    pub fn forget(&mut self, key: &str) -> io::Result<()> {
        if self.file.unconfirmed.remove(key) {
            self.save()
        } else {
            Ok(())
        }
    }

    /// Writes the ledger atomically: a temporary file in the same folder,
    /// flushed to disk, renamed over the old one.
    fn save(&self) -> io::Result<()> {
        let file = LedgerFile {
            about: LEDGER_ABOUT.to_string(),
            version: 1,
            sent: self.file.sent.clone(),
            unconfirmed: self.file.unconfirmed.clone(),
        };
        let mut json = serde_json::to_vec_pretty(&file).map_err(io::Error::other)?;
        json.push(b'\n');
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::Builder::new()
            .prefix(".sent-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(&json)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Replaces anything that looks like an e-mail address in `s` (a server
/// reply, an error) with `[address]`.
pub fn redact(s: &str) -> String {
    let is_sep = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\'' | '[' | ']'
            )
    };
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            out.push_str("[address]");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in s.chars() {
        if is_sep(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// One recipient of this run.
struct Target {
    name: String,
    role: String,
    address: String,
    key: String,
}

impl Target {
    /// `Dana Whitfield · 3f2a9c1b`: how logs name a recipient.
    fn label(&self) -> String {
        format!("{} · {}", self.name.trim(), &self.key[..8])
    }
}

/// Runs `tpm-site email`. Progress lines go to `out`; `diags` collects
/// content problems. `Err` means nothing was sent.
pub fn run(
    opts: &EmailOptions,
    diags: &mut Diagnostics,
    out: &mut dyn Write,
) -> Result<EmailSummary, EmailRunError> {
    let Some(mut analyzed) = super::analyze_dir(&opts.content, None, false, diags)? else {
        return Err(EmailRunError::Content);
    };
    if diags.has_errors() {
        return Err(EmailRunError::Content);
    }
    if let Some(url) = &opts.base_url {
        analyzed.program.meta.site.base_url = Some(url.clone());
    }
    let a = &analyzed;
    let program = &a.program;
    let index = match opts.report {
        ReportChoice::Latest => match program.reports.len().checked_sub(1) {
            Some(i) => i,
            None => return usage("the content has no published report to e-mail"),
        },
        ReportChoice::Date(d) => match program.reports.iter().position(|r| r.date == d) {
            Some(i) => i,
            None => {
                let dates: Vec<String> =
                    program.reports.iter().map(|r| r.date.to_string()).collect();
                return usage(format!(
                    "there is no published report of {d}; reports: {}",
                    if dates.is_empty() {
                        "none".to_string()
                    } else {
                        dates.join(", ")
                    }
                ));
            }
        },
    };
    let date = program.reports[index].date;
    let base_url = program
        .meta
        .site
        .base_url
        .clone()
        .ok_or(EmailError::NoBaseUrl)?;
    let targets = targets(a, date, &opts.to)?;
    let mut summary = EmailSummary {
        report: Some(date),
        recipients: targets.len(),
        ..EmailSummary::default()
    };
    if targets.is_empty() {
        let _ = writeln!(
            out,
            "No stakeholders in stakeholders.yaml: nothing to send for the report of {date}."
        );
        return Ok(summary);
    }
    let ledger_path = opts
        .ledger
        .clone()
        .unwrap_or_else(|| default_ledger_path(&opts.content));
    if opts.dry_run.is_none() && is_inside(&ledger_path, &opts.content) {
        return usage(format!(
            "the ledger {} must not be inside the content folder",
            ledger_path.display()
        ));
    }
    let (from, placeholder) = sender(&opts.smtp, &program.meta.name, opts.dry_run.is_some())?;
    let theme =
        super::load_theme(a, Some(&super::theme_root(&opts.content))).map_err(|e| match e {
            super::BuildError::Theme(t) => EmailRunError::Theme(t),
            other => EmailRunError::Io(other.to_string()),
        })?;
    let data = a.site_data();
    let prepared = mail::prepare(&data, index, &base_url)?;
    let total = targets.len();
    let _ = writeln!(
        out,
        "Report {date} ({}): {} for {}; chart {} × {} px.",
        prepared.rag.as_str().to_uppercase(),
        if opts.dry_run.is_some() {
            "writing messages"
        } else {
            "sending"
        },
        crate::render::plural(total, "recipient"),
        prepared.png.width,
        prepared.png.height,
    );

    if let Some(dir) = &opts.dry_run {
        if is_inside(dir, &opts.content) {
            return usage(format!(
                "--dry-run {} is inside the content folder; choose another folder",
                dir.display()
            ));
        }
        let _ = writeln!(
            out,
            "From: {}{}",
            from,
            if placeholder {
                " (a placeholder: no --from or TPM_SITE_MAIL_FROM was given; a real send needs one)"
            } else {
                ""
            }
        );
        fs::create_dir_all(dir)
            .map_err(|e| EmailRunError::Io(format!("cannot create {}: {e}", dir.display())))?;
        for (k, t) in targets.iter().enumerate() {
            let bytes = build(&prepared, &theme, t, &from)?;
            let path = dir.join(format!("{date}-{}.eml", &t.key[..16]));
            fs::write(&path, bytes)
                .map_err(|e| EmailRunError::Io(format!("cannot write {}: {e}", path.display())))?;
            summary.written += 1;
            let _ = writeln!(
                out,
                "[{}/{total}] written   {} -> {}",
                k + 1,
                t.label(),
                path.display()
            );
        }
        let _ = writeln!(
            out,
            "Dry run: wrote {} into {}; nothing was sent.",
            crate::render::plural(summary.written, "message"),
            dir.display()
        );
        return Ok(summary);
    }

    let endpoint = Endpoint::from_settings(&opts.smtp)?;
    let mut smtp = Smtp::new(endpoint, &opts.smtp)?;
    let mut ledger = Ledger::open(&ledger_path)?;
    let password = opts.smtp.password.as_ref().map(|p| p.0.as_str());
    let clean = |s: &str| {
        let s = redact(s);
        match password {
            Some(p) if !p.is_empty() => s.replace(p, "***"),
            _ => s,
        }
    };
    let mut stopped: Option<String> = None;
    for (k, t) in targets.iter().enumerate() {
        let n = format!("[{}/{total}]", k + 1);
        match ledger.state(&t.key) {
            LedgerState::Sent => {
                summary.skipped += 1;
                let _ = writeln!(out, "{n} skipped   {} (already sent)", t.label());
                continue;
            }
            LedgerState::Unconfirmed if !opts.resend_unconfirmed => {
                summary.unconfirmed += 1;
                let _ = writeln!(
                    out,
                    "{n} skipped   {} (unconfirmed: a previous run lost the connection while delivering it; \
                     not sent again, pass --resend-unconfirmed to send it again)",
                    t.label()
                );
                continue;
            }
            _ => {}
        }
        if let Some(why) = &stopped {
            summary.failed += 1;
            summary.failed_names.push(t.name.trim().to_string());
            let _ = writeln!(out, "{n} FAILED    {}: not attempted: {why}", t.label());
            continue;
        }
        let sent = summary.sent;
        let bytes = build(&prepared, &theme, t, &from).map_err(|e| stopped_after(sent, e))?;
        let to: Address =
            t.address.trim().parse().map_err(|_| {
                stopped_after(sent, EmailError::Address("recipient's address").into())
            })?;
        match smtp.send(from.email.clone(), to, &bytes, &t.key, &mut ledger) {
            Ok(()) => {
                summary.sent += 1;
                let _ = writeln!(out, "{n} sent      {}", t.label());
            }
            Err(SendError::Refused { stage, reply }) => {
                summary.failed += 1;
                summary.failed_names.push(t.name.trim().to_string());
                let what = match stage {
                    Stage::Sender => "the sender address".to_string(),
                    Stage::Recipient => format!("the recipient {}", t.name.trim()),
                    Stage::Data | Stage::Body => format!("the message to {}", t.name.trim()),
                };
                let _ = writeln!(
                    out,
                    "{n} FAILED    {}: the server refused {what}: {}",
                    t.label(),
                    clean(&reply)
                );
            }
            Err(SendError::Unknown(e)) => {
                summary.failed += 1;
                summary.failed_names.push(t.name.trim().to_string());
                let _ = writeln!(
                    out,
                    "{n} FAILED    {}: the connection failed while the message was being delivered ({}); \
                     it may have arrived, so it is recorded as unconfirmed and not sent again",
                    t.label(),
                    clean(&e)
                );
            }
            Err(SendError::Connection(e)) => {
                summary.failed += 1;
                summary.failed_names.push(t.name.trim().to_string());
                let why = format!("the connection to the SMTP server failed: {}", clean(&e));
                let _ = writeln!(out, "{n} FAILED    {}: {why}", t.label());
                stopped = Some(why);
            }
            Err(SendError::Ledger(e)) => {
                return Err(stopped_after(
                    summary.sent,
                    EmailRunError::Ledger {
                        path: ledger.path().to_path_buf(),
                        msg: format!("cannot write it ({e}), so that nothing is sent twice"),
                    },
                ));
            }
        }
    }
    smtp.quit();
    let mut line = format!(
        "Report {date}: {} sent, {} skipped (already sent), {} failed",
        summary.sent, summary.skipped, summary.failed
    );
    if summary.unconfirmed > 0 {
        line.push_str(&format!(
            ", {} unconfirmed (not sent again)",
            summary.unconfirmed
        ));
    }
    let _ = writeln!(out, "{line}. Ledger: {}", ledger.path().display());
    Ok(summary)
}

/// The recipients: every stakeholder (or those `--to` names), one per
/// address (case-insensitive), in file order.
fn targets(a: &Analyzed, date: Date, to: &[String]) -> Result<Vec<Target>, EmailRunError> {
    let stakeholders = &a.program.stakeholders;
    let norm = |s: &str| s.trim().to_lowercase();
    for (k, wanted) in to.iter().enumerate() {
        if !stakeholders.iter().any(|s| norm(&s.email) == norm(wanted)) {
            return usage(format!(
                "--to: the {} address given is not a stakeholder in stakeholders.yaml",
                ordinal(k + 1)
            ));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in stakeholders {
        let address = norm(&s.email);
        if !to.is_empty() && !to.iter().any(|w| norm(w) == address) {
            continue;
        }
        if !seen.insert(address.clone()) {
            continue;
        }
        out.push(Target {
            name: s.name.clone(),
            role: s.role.clone(),
            key: ledger_key(date, &address),
            address: s.email.trim().to_string(),
        });
    }
    Ok(out)
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The `From` mailbox: `--from` / `TPM_SITE_MAIL_FROM`, named after the
/// program when it has no name. A dry run without one uses a placeholder
/// (the `bool`: true), which it says.
fn sender(
    s: &SmtpSettings,
    program_name: &str,
    dry_run: bool,
) -> Result<(Mailbox, bool), EmailRunError> {
    let (raw, placeholder) = match &s.from {
        Some(f) if !f.trim().is_empty() => (f.trim().to_string(), false),
        _ if dry_run => ("tpm-site@example.invalid".to_string(), true),
        _ => {
            return usage(
                "no sender: pass --from ADDRESS or set TPM_SITE_MAIL_FROM (e.g. `Program reports <reports@example.org>`)",
            );
        }
    };
    mail::header_safe("sender", &raw)?;
    let mut mb: Mailbox = raw.parse().map_err(|_| {
        EmailRunError::Usage(
            "--from / TPM_SITE_MAIL_FROM is not an address (write `reports@example.org` or `Name <reports@example.org>`)"
                .to_string(),
        )
    })?;
    if mb.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        mb.name = Some(program_name.trim().to_string());
    }
    Ok((mb, placeholder))
}

/// The message for `t`, formatted.
fn build(
    prepared: &ReportMail,
    theme: &Theme,
    t: &Target,
    from: &Mailbox,
) -> Result<Vec<u8>, EmailRunError> {
    let domain = from.email.domain();
    let message_id = format!("<tpm-site.{}.{}@{domain}>", prepared.date, &t.key[..24]);
    let message = mail::message(
        prepared,
        theme,
        Recipient {
            name: &t.name,
            role: &t.role,
            address: &t.address,
        },
        from,
        SystemTime::now(),
        &message_id,
    )?;
    Ok(message.formatted())
}

/// How the connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://`: plain, then STARTTLS, which must succeed.
    StartTls,
    /// `smtp://` with `--insecure`, loopback only.
    Plain,
}

/// The server to reach and how: an [`SmtpUrl`] with `--insecure` applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl Endpoint {
    /// The server to reach: the URL parsed where it entered, with
    /// `--insecure` turning `smtp://` into plain SMTP (loopback only).
    pub fn new(url: &SmtpUrl, insecure: bool) -> Result<Endpoint, String> {
        let security = match (url.implicit_tls(), insecure) {
            (true, _) => Security::Implicit,
            (false, false) => Security::StartTls,
            (false, true) => Security::Plain,
        };
        if security == Security::Plain && !url.is_loopback() {
            return Err(
                "--insecure allows plain SMTP only to a loopback address (127.0.0.1, ::1 or localhost); use smtps:// or smtp:// with STARTTLS".to_string(),
            );
        }
        Ok(Endpoint {
            host: url.host().to_string(),
            port: url.port(),
            security,
        })
    }

    fn from_settings(s: &SmtpSettings) -> Result<Endpoint, EmailRunError> {
        let Some(url) = &s.url else {
            return usage(
                "no SMTP server: pass --smtp-url or set TPM_SITE_SMTP_URL (smtps://host:465 or smtp://host:587), or use --dry-run DIR",
            );
        };
        Endpoint::new(url, s.insecure).map_err(EmailRunError::Usage)
    }

    /// The addresses to connect to (loopback ones only for plain SMTP).
    fn addrs(&self) -> Result<Vec<SocketAddr>, String> {
        let all: Vec<SocketAddr> = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve the SMTP host: {e}"))?
            .collect();
        let addrs: Vec<SocketAddr> = if self.security == Security::Plain {
            all.into_iter().filter(|a| a.ip().is_loopback()).collect()
        } else {
            all
        };
        if addrs.is_empty() {
            return Err("the SMTP host has no usable address".to_string());
        }
        Ok(addrs)
    }
}

/// Where a send failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Sender,
    Recipient,
    Data,
    Body,
}

#[derive(Debug)]
enum SendError {
    /// The server answered with an error: certainly not delivered.
    Refused { stage: Stage, reply: String },
    /// Lost while the body was in flight: maybe delivered (unconfirmed).
    Unknown(String),
    /// No usable connection (connect, TLS, AUTH): stop the run.
    Connection(String),
    /// The ledger could not be written: stop the run.
    Ledger(io::Error),
}

/// An SMTP session, reused across messages and re-opened when it breaks.
struct Smtp {
    endpoint: Endpoint,
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    conn: Option<SmtpConnection>,
}

impl Smtp {
    fn new(endpoint: Endpoint, s: &SmtpSettings) -> Result<Smtp, EmailRunError> {
        let credentials = match (&s.user, &s.password) {
            (Some(u), Some(p)) if !u.is_empty() => Some(Credentials::new(u.clone(), p.0.clone())),
            (Some(u), None) if !u.is_empty() => {
                return usage("TPM_SITE_SMTP_USER is set but TPM_SITE_SMTP_PASSWORD is not");
            }
            (_, Some(p)) if !p.0.is_empty() => {
                return usage("TPM_SITE_SMTP_PASSWORD is set but TPM_SITE_SMTP_USER is not");
            }
            _ => None,
        };
        let tls = if endpoint.security == Security::Plain {
            None
        } else {
            let mut b = TlsParameters::builder(endpoint.host.clone());
            if let Some(ca) = &s.ca_file {
                let pem = fs::read(ca).map_err(|e| {
                    EmailRunError::Usage(format!("cannot read the CA file {}: {e}", ca.display()))
                })?;
                let cert = Certificate::from_pem(&pem).map_err(|e| {
                    EmailRunError::Usage(format!("the CA file {} is not PEM: {e}", ca.display()))
                })?;
                b = b.add_root_certificate(cert);
            }
            Some(
                b.build_rustls()
                    .map_err(|e| EmailRunError::Usage(format!("TLS setup: {e}")))?,
            )
        };
        Ok(Smtp {
            endpoint,
            tls,
            credentials,
            hello: ClientId::default(),
            timeout: s.timeout,
            conn: None,
        })
    }

    /// Opens a session: connect, TLS (implicit or STARTTLS), AUTH.
    fn connect(&self) -> Result<SmtpConnection, String> {
        let addrs = self.endpoint.addrs()?;
        let implicit = match self.endpoint.security {
            Security::Implicit => self.tls.as_ref(),
            _ => None,
        };
        let mut conn =
            SmtpConnection::connect(&addrs[..], Some(self.timeout), &self.hello, implicit, None)
                .map_err(|e| e.to_string())?;
        if self.endpoint.security == Security::StartTls {
            if !conn.server_info().supports_feature(Extension::StartTls) {
                conn.abort();
                return Err(
                    "the server does not offer STARTTLS, and TLS is required (use smtps:// for implicit TLS; plain SMTP needs --insecure and a loopback server)"
                        .to_string(),
                );
            }
            if let Some(tls) = &self.tls {
                conn.starttls(tls, &self.hello).map_err(|e| e.to_string())?;
            }
        }
        if self.endpoint.security != Security::Plain && !conn.is_encrypted() {
            conn.abort();
            return Err("the connection is not encrypted".to_string());
        }
        if let Some(c) = &self.credentials
            && let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], c)
        {
            conn.abort();
            return Err(format!("authentication failed: {e}"));
        }
        Ok(conn)
    }

    /// Sends one message, keeping the ledger exact (see the module docs).
    fn send(
        &mut self,
        from: Address,
        to: Address,
        body: &[u8],
        key: &str,
        ledger: &mut Ledger,
    ) -> Result<(), SendError> {
        // A reused session may have been closed by the server meanwhile:
        // retry once on a fresh one when MAIL fails without an SMTP reply.
        let reused = self.conn.is_some();
        match self.try_send(from.clone(), to.clone(), body, key, ledger) {
            Err(SendError::Connection(_)) if reused => {
                self.drop_conn();
                self.try_send(from, to, body, key, ledger)
            }
            other => other,
        }
    }

    fn try_send(
        &mut self,
        from: Address,
        to: Address,
        body: &[u8],
        key: &str,
        ledger: &mut Ledger,
    ) -> Result<(), SendError> {
        if self.conn.is_none() {
            self.conn = Some(self.connect().map_err(SendError::Connection)?);
        }
        let result = self.transaction(from, to, body, key, ledger);
        if result.is_err() {
            self.drop_conn();
        }
        result
    }

    fn transaction(
        &mut self,
        from: Address,
        to: Address,
        body: &[u8],
        key: &str,
        ledger: &mut Ledger,
    ) -> Result<(), SendError> {
        let Some(conn) = self.conn.as_mut() else {
            return Err(SendError::Connection("not connected".to_string()));
        };
        // An SMTP reply (4xx/5xx) means "certainly not delivered"; anything
        // else is the connection failing.
        let refused = |stage: Stage, e: lettre::transport::smtp::Error| {
            // 421: the server is closing the session, not judging the message.
            let closing = e.status().is_some_and(|c| c.to_string() == "421");
            if (e.is_transient() || e.is_permanent()) && !closing {
                SendError::Refused {
                    stage,
                    reply: e.to_string(),
                }
            } else {
                SendError::Connection(e.to_string())
            }
        };
        let mut params = Vec::new();
        if !body.is_ascii() {
            if !conn.server_info().supports_feature(Extension::EightBitMime) {
                return Err(SendError::Refused {
                    stage: Stage::Data,
                    reply: "the message is not 7-bit and the server does not support 8BITMIME"
                        .to_string(),
                });
            }
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        conn.command(Mail::new(Some(from), params))
            .map_err(|e| refused(Stage::Sender, e))?;
        conn.command(Rcpt::new(to, Vec::new()))
            .map_err(|e| refused(Stage::Recipient, e))?;
        conn.command(Data).map_err(|e| refused(Stage::Data, e))?;
        ledger.mark_unconfirmed(key).map_err(SendError::Ledger)?;
        match conn.message(body) {
            Ok(_) => ledger.mark_sent(key).map_err(SendError::Ledger),
            Err(e) if e.is_transient() || e.is_permanent() => {
                ledger.forget(key).map_err(SendError::Ledger)?;
                Err(SendError::Refused {
                    stage: Stage::Body,
                    reply: e.to_string(),
                })
            }
            Err(e) => Err(SendError::Unknown(e.to_string())),
        }
    }

    fn drop_conn(&mut self) {
        if let Some(mut c) = self.conn.take() {
            c.abort();
        }
    }

    fn quit(&mut self) {
        if let Some(mut c) = self.conn.take() {
            let _ = c.quit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(url: &str, insecure: bool) -> Result<Endpoint, String> {
        Endpoint::new(&SmtpUrl::parse(url).unwrap(), insecure)
    }

    #[test]
    fn urls_become_endpoints() {
        let e = endpoint("smtps://mail.example.org", false).unwrap();
        assert_eq!(
            (e.host.as_str(), e.port, e.security),
            ("mail.example.org", 465, Security::Implicit)
        );
        let e = endpoint("smtp://mail.example.org:2525/", false).unwrap();
        assert_eq!((e.port, e.security), (2525, Security::StartTls));
        let e = endpoint("smtp://[::1]:25", true).unwrap();
        assert_eq!((e.host.as_str(), e.security), ("::1", Security::Plain));
        let e = endpoint("smtp://localhost:25", true).unwrap();
        assert_eq!(e.security, Security::Plain);
        // --insecure never weakens implicit TLS.
        let e = endpoint("smtps://mail.example.org", true).unwrap();
        assert_eq!(e.security, Security::Implicit);
    }

    #[test]
    fn plain_smtp_only_to_loopback() {
        let err = endpoint("smtp://mail.example.org:25", true).unwrap_err();
        assert!(err.contains("loopback"), "{err}");
        let err = endpoint("smtp://10.0.0.1:25", true).unwrap_err();
        assert!(err.contains("loopback"), "{err}");
        assert!(endpoint("smtp://127.0.0.1:25", true).is_ok());
    }

    #[test]
    fn keys_hash_date_and_lowercase_address() {
        let d: Date = "2027-01-29".parse().unwrap();
        let k = ledger_key(d, " Dana@Example.com ");
        assert_eq!(k, ledger_key(d, "dana@example.com"));
        assert_eq!(k.len(), 64);
        assert!(!k.contains("dana"));
        assert_ne!(
            k,
            ledger_key("2027-02-12".parse().unwrap(), "dana@example.com")
        );
    }

    #[test]
    fn redaction_hides_addresses() {
        assert_eq!(
            redact("permanent error (550): 5.1.1 <grace@example.com>: Recipient address rejected"),
            "permanent error (550): 5.1.1 <[address]>: Recipient address rejected"
        );
        assert_eq!(redact("to grace@example.com, ok"), "to [address], ok");
    }

    #[test]
    fn the_ledger_survives_reopening_and_locks_out_a_second_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".tpm-site/sent.json");
        let d: Date = "2027-04-09".parse().unwrap();
        let (a, b) = (
            ledger_key(d, "a@example.com"),
            ledger_key(d, "b@example.com"),
        );
        {
            let mut l = Ledger::open(&path).unwrap();
            assert_eq!(l.state(&a), LedgerState::New);
            assert!(matches!(
                Ledger::open(&path),
                Err(EmailRunError::Ledger { .. })
            ));
            l.mark_unconfirmed(&a).unwrap();
            assert_eq!(l.state(&a), LedgerState::Unconfirmed);
            l.mark_sent(&a).unwrap();
            l.mark_unconfirmed(&b).unwrap();
        }
        let mut l = Ledger::open(&path).unwrap();
        assert_eq!(l.state(&a), LedgerState::Sent);
        assert_eq!(l.state(&b), LedgerState::Unconfirmed);
        l.forget(&b).unwrap();
        assert_eq!(l.state(&b), LedgerState::New);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(&a) && !text.contains('@'), "{text}");
        let mut names: Vec<String> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["sent.json", "sent.json.lock"],
            "no temporary files left"
        );
    }

    #[test]
    fn a_foreign_ledger_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sent.json");
        fs::write(&path, "not json").unwrap();
        assert!(matches!(
            Ledger::open(&path),
            Err(EmailRunError::Ledger { .. })
        ));
        assert_eq!(fs::read_to_string(&path).unwrap(), "not json");
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let s = SmtpSettings {
            password: Some(Secret::new("hunter2".into())),
            ..SmtpSettings::default()
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
