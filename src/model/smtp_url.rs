//! The SMTP server's address: one type, parsed once where the value enters
//! (`email --smtp-url` or `TPM_SITE_SMTP_URL`) on the `url` crate, with one
//! rule set and one error message, like [`BaseUrl`](super::BaseUrl) for the
//! site's address. The e-mail run takes an [`SmtpUrl`] and never parses
//! again. The message never repeats the URL: it could hold a password. It
//! must not do IO (resolving the host is the sender's job).

use std::fmt;

/// `smtps://host[:port]` (implicit TLS, port 465 by default) or
/// `smtp://host[:port]` (STARTTLS, or plain with `--insecure`; port 587 by
/// default), with no user name, password, path, query or fragment.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    host: String,
    port: u16,
    implicit_tls: bool,
}

/// Why an SMTP URL was refused: the one message every entry point shows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the SMTP URL must look like smtps://host:465 or smtp://host:587 ({why})")]
pub struct SmtpUrlError {
    pub why: &'static str,
}

impl SmtpUrl {
    /// Parses an SMTP URL (surrounding spaces and one trailing `/` are ignored).
    pub fn parse(input: &str) -> Result<SmtpUrl, SmtpUrlError> {
        let fail = |why| SmtpUrlError { why };
        let u = input.trim();
        if u.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(fail("no spaces"));
        }
        let url = url::Url::parse(u).map_err(|e| {
            fail(match e {
                url::ParseError::RelativeUrlWithoutBase => "the scheme is neither smtp nor smtps",
                url::ParseError::InvalidPort => "the port is not a number from 1 to 65535",
                _ => "the host is missing or not valid",
            })
        })?;
        let implicit_tls = match url.scheme() {
            "smtps" => true,
            "smtp" => false,
            _ => return Err(fail("the scheme is neither smtp nor smtps")),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(fail(
                "without a user or password: set TPM_SITE_SMTP_USER and TPM_SITE_SMTP_PASSWORD instead",
            ));
        }
        if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
            return Err(fail("no path, query or fragment"));
        }
        let host = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_ascii_lowercase(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(fail("the host is missing or not valid")),
        };
        if host.contains(['%', '[', ']']) {
            return Err(fail("the host is missing or not valid"));
        }
        let port = match url.port() {
            Some(0) => return Err(fail("the port is not a number from 1 to 65535")),
            Some(p) => p,
            None if implicit_tls => 465,
            None => 587,
        };
        Ok(SmtpUrl {
            host,
            port,
            implicit_tls,
        })
    }

    /// The host name or IP address (an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtps://` (TLS from the first byte) rather than `smtp://`.
    pub fn implicit_tls(&self) -> bool {
        self.implicit_tls
    }

    /// Whether the host is a loopback address (or `localhost`).
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

impl fmt::Display for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.implicit_tls { "smtps" } else { "smtp" };
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({self})")
    }
}

impl std::str::FromStr for SmtpUrl {
    type Err = SmtpUrlError;
    fn from_str(s: &str) -> Result<SmtpUrl, SmtpUrlError> {
        SmtpUrl::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms refused, with the rule that decides; tests/cli.rs checks
    /// that `--smtp-url` and `TPM_SITE_SMTP_URL` refuse them alike.
    pub(crate) const REJECTED: &[(&str, &str)] = &[
        ("mail.example.org:465", "neither smtp nor smtps"),
        ("https://mail.example.org", "neither smtp nor smtps"),
        ("", "neither smtp nor smtps"),
        ("smtps://", "host is missing"),
        ("smtp://:25", "host is missing"),
        (
            "smtps://me:hunter2@mail.example.org",
            "without a user or password",
        ),
        ("smtps://me@mail.example.org", "without a user or password"),
        (
            "smtp://mail.example.org/inbox",
            "no path, query or fragment",
        ),
        ("smtp://mail.example.org?x=1", "no path, query or fragment"),
        ("smtp://mail.example.org#x", "no path, query or fragment"),
        ("smtp://mail.example.org:0", "port is not a number"),
        ("smtp://mail.example.org:70000", "port is not a number"),
        ("smtp://mail.example.org:x", "port is not a number"),
        ("smtp://mail example.org", "no spaces"),
        ("smtp://[::1", "host is missing or not valid"),
        ("smtp://mail%2eexample.org", "host is missing or not valid"),
    ];

    /// Accepted forms and what they mean: (input, host, port, implicit TLS).
    pub(crate) const ACCEPTED: &[(&str, &str, u16, bool)] = &[
        ("smtps://mail.example.org", "mail.example.org", 465, true),
        ("smtp://mail.example.org", "mail.example.org", 587, false),
        (
            "SMTP://Mail.Example.ORG:2525/",
            "mail.example.org",
            2525,
            false,
        ),
        (
            " smtps://mail.example.org:465 ",
            "mail.example.org",
            465,
            true,
        ),
        ("smtp://127.0.0.1:25", "127.0.0.1", 25, false),
        ("smtp://[::1]:25", "::1", 25, false),
        ("smtp://localhost:1025", "localhost", 1025, false),
    ];

    #[test]
    fn one_rule_set() {
        for (input, why) in REJECTED {
            let e = SmtpUrl::parse(input).expect_err(input);
            assert!(e.why.contains(why), "{input:?}: {}", e.why);
            let text = e.to_string();
            assert!(text.starts_with("the SMTP URL must look like"), "{text}");
            assert!(!text.contains("hunter2"), "the message repeats a password");
        }
        for &(input, host, port, tls) in ACCEPTED {
            let u = SmtpUrl::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!((u.host(), u.port(), u.implicit_tls()), (host, port, tls));
            // What it prints parses back to itself.
            assert_eq!(SmtpUrl::parse(&u.to_string()).unwrap(), u, "{u}");
        }
    }

    #[test]
    fn loopback_hosts() {
        for (url, loopback) in [
            ("smtp://127.0.0.1", true),
            ("smtp://[::1]", true),
            ("smtp://LOCALHOST", true),
            ("smtp://127.8.9.1", true),
            ("smtp://mail.example.org", false),
            ("smtp://10.0.0.1", false),
        ] {
            assert_eq!(
                SmtpUrl::parse(url).unwrap().is_loopback(),
                loopback,
                "{url}"
            );
        }
    }
}
