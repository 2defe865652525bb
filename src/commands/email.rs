//! `tpm-site email`: e-mail the link to a report, with its summary, changes,
//! decisions and Gantt chart, to every stakeholder, exactly once.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{ContentArg, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, print_diagnostics};
use crate::diagnostics::Diagnostics;
use crate::model::SmtpUrl;
use crate::site::email::{self, EmailOptions, EmailRunError, ReportChoice, Secret, SmtpSettings};

/// Some messages could not be sent (the others were, and are in the ledger).
pub const EXIT_SEND_FAILED: i32 = 3;

#[derive(Debug, Args)]
#[command(
    after_help = "SMTP settings come from the flags or, when a flag is absent, from the environment:\n  TPM_SITE_SMTP_URL       smtps://host:465 (implicit TLS) or smtp://host:587 (STARTTLS, required)\n  TPM_SITE_SMTP_USER      user name for AUTH (optional)\n  TPM_SITE_SMTP_PASSWORD  password for AUTH (environment only; never printed)\n  TPM_SITE_MAIL_FROM      sender, `reports@example.org` or `Name <reports@example.org>`\n  TPM_SITE_SMTP_CA_FILE   extra CA certificates (PEM) to trust\n\nThe ledger (default .tpm-site/sent.json next to the content folder) holds a SHA-256 hash per message sent, never an address; commit it, never publish it. A rerun sends only what is not in it.\n\nExit codes: 0 every message sent or already sent, 1 content errors, 2 usage, configuration or I/O errors (nothing sent), 3 some messages were not sent."
)]
pub struct EmailArgs {
    #[command(flatten)]
    pub content: ContentArg,
    /// The report to send: its date (YYYY-MM-DD) or `latest`.
    #[arg(long, value_name = "DATE|latest", default_value = "latest", value_parser = parse_report)]
    pub report: ReportChoice,
    /// Write one .eml file per recipient into DIR and send nothing (the ledger is not used).
    #[arg(long, value_name = "DIR")]
    pub dry_run: Option<PathBuf>,
    /// Only these stakeholders (their addresses in stakeholders.yaml).
    #[arg(long, value_name = "ADDRESS", num_args = 1..)]
    pub to: Vec<String>,
    /// Allow plain SMTP without TLS (smtp:// URL), only to a loopback address.
    #[arg(long)]
    pub insecure: bool,
    /// The published site's address (overrides site.base_url), for the report link.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<crate::model::BaseUrl>,
    /// SMTP server [env: TPM_SITE_SMTP_URL].
    #[arg(long, value_name = "URL")]
    pub smtp_url: Option<String>,
    /// SMTP user name [env: TPM_SITE_SMTP_USER]; the password comes from TPM_SITE_SMTP_PASSWORD only.
    #[arg(long, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// The sender [env: TPM_SITE_MAIL_FROM].
    #[arg(long, value_name = "ADDRESS")]
    pub from: Option<String>,
    /// Extra CA certificates to trust, PEM [env: TPM_SITE_SMTP_CA_FILE].
    #[arg(long, value_name = "FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// The ledger of messages sent (default: .tpm-site/sent.json next to the content folder).
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// Send again the messages a previous run may or may not have delivered (unconfirmed in the ledger).
    #[arg(long)]
    pub resend_unconfirmed: bool,
    /// Seconds to wait for the SMTP server on each step.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

fn parse_report(s: &str) -> Result<ReportChoice, String> {
    if s.eq_ignore_ascii_case("latest") {
        Ok(ReportChoice::Latest)
    } else {
        super::parse_date_arg(s).map(ReportChoice::Date)
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The SMTP URL from `--smtp-url`, else `TPM_SITE_SMTP_URL`, parsed here,
/// where it enters. The error names where the value came from, never the
/// value (it could hold a password); clap's own error would repeat it.
fn smtp_url(args: &EmailArgs) -> Result<Option<SmtpUrl>, String> {
    let (value, source) = match (&args.smtp_url, env("TPM_SITE_SMTP_URL")) {
        (Some(flag), _) => (flag.clone(), "--smtp-url"),
        (None, Some(var)) => (var, "TPM_SITE_SMTP_URL"),
        (None, None) => return Ok(None),
    };
    SmtpUrl::parse(&value)
        .map(Some)
        .map_err(|e| format!("{source}: {e}"))
}

pub fn run(args: &EmailArgs) -> i32 {
    let url = match smtp_url(args) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("error: {e}; nothing was sent");
            return EXIT_USAGE;
        }
    };
    let opts = EmailOptions {
        content: args.content.content.clone(),
        report: args.report,
        base_url: args.base_url.clone(),
        dry_run: args.dry_run.clone(),
        to: args.to.clone(),
        ledger: args.ledger.clone(),
        resend_unconfirmed: args.resend_unconfirmed,
        smtp: SmtpSettings {
            url,
            user: args.smtp_user.clone().or_else(|| env("TPM_SITE_SMTP_USER")),
            password: std::env::var("TPM_SITE_SMTP_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty())
                .map(Secret::new),
            from: args.from.clone().or_else(|| env("TPM_SITE_MAIL_FROM")),
            ca_file: args
                .smtp_ca_file
                .clone()
                .or_else(|| env("TPM_SITE_SMTP_CA_FILE").map(PathBuf::from)),
            insecure: args.insecure,
            timeout: Duration::from_secs(args.timeout.max(1)),
        },
    };
    let mut diags = Diagnostics::new();
    let stdout = std::io::stdout();
    let result = email::run(&opts, &mut diags, &mut stdout.lock());
    let (errors, _) = print_diagnostics(diags, &opts.content);
    match result {
        Ok(summary) if summary.failed > 0 => {
            eprintln!(
                "error: {} of {} not sent ({}); run again to send the rest",
                super::plural(summary.failed, "message"),
                summary.recipients,
                summary.failed_names.join(", ")
            );
            EXIT_SEND_FAILED
        }
        Ok(_) => EXIT_OK,
        Err(EmailRunError::Content) => {
            eprintln!(
                "error: {}; nothing was sent",
                super::plural(errors.max(1), "content error")
            );
            EXIT_CONTENT
        }
        Err(e) => {
            // tpm-site's own words are printed as they are (its examples
            // name example addresses); anything else is scrubbed.
            let text = if e.is_own_words() {
                e.to_string()
            } else {
                email::redact(&e.to_string())
            };
            if e.after_sending() {
                eprintln!("error: {text}");
            } else {
                eprintln!("error: {text}; nothing was sent");
            }
            EXIT_USAGE
        }
    }
}
