//! The published address of the site: one type, parsed once where the value
//! enters (program.yaml `site.base_url`, `build --base-url`, `email
//! --base-url`), with one rule set and one error message. Everything
//! downstream (canonical links, the feed, the calendar, the sitemap, the
//! e-mail's report link, the link guard) takes a [`BaseUrl`] and never
//! checks again. It must not do IO or know where the value came from.

use std::fmt;

/// An absolute `http`/`https` URL with a host and no user name, password,
/// query or fragment, normalised by the `url` crate (lower-case host, no
/// default port) and always ending with `/`, so `{base}reports/…` is a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(url::Url);

/// Why a base URL was refused: the one message every entry point shows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the base URL `{input}` {why}; write the site's published address, e.g. https://org.github.io/repo/"
)]
pub struct BaseUrlError {
    pub input: String,
    pub why: &'static str,
}

impl BaseUrl {
    /// Parses and normalises a base URL (surrounding spaces are ignored).
    pub fn parse(input: &str) -> Result<BaseUrl, BaseUrlError> {
        let fail = |why| BaseUrlError {
            input: input.to_string(),
            why,
        };
        let u = input.trim();
        if u.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
        }) {
            return Err(fail("contains spaces, quotes or angle brackets"));
        }
        let scheme_ok = u
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            || u.get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"));
        if !scheme_ok {
            return Err(fail("must start with https:// or http://"));
        }
        // The WHATWG parser reads `https:///x/` as host `x`: refuse it here.
        let after_scheme = &u[u.find("://").map_or(0, |i| i + 3)..];
        if after_scheme.is_empty() || after_scheme.starts_with(['/', '\\']) {
            return Err(fail("has no valid host"));
        }
        let mut url = url::Url::parse(u).map_err(|_| fail("has no valid host"))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(fail("has no valid host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(fail("must not contain a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() || u.contains(['?', '#']) {
            return Err(fail("must not contain a query (`?`) or fragment (`#`)"));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(BaseUrl(url))
    }

    /// The URL, ending with `/`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host name (for the calendar's UIDs).
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    /// `self` + `path` (a site-relative path without a leading `/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.as_str())
    }
}

/// The URL as text, for the code that only reads it (`Option::as_deref`).
impl std::ops::Deref for BaseUrl {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = BaseUrlError;
    fn from_str(s: &str) -> Result<BaseUrl, BaseUrlError> {
        BaseUrl::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms refused and accepted, with the rule that decides; every
    /// entry point (program.yaml, `build --base-url`, `email --base-url`)
    /// goes through this one parser (tests/cli.rs checks each).
    pub(crate) const REJECTED: &[(&str, &str)] = &[
        ("https://", "has no valid host"),
        ("http://", "has no valid host"),
        ("https:///repo/", "has no valid host"),
        ("https://x.example/a?b=1#c/", "must not contain a query"),
        ("https://x.example/?", "must not contain a query"),
        ("https://x.example/#", "must not contain a query"),
        ("https://x.example/a b/", "contains spaces"),
        ("https://x.example/\"><script>", "contains spaces"),
        ("javascript:alert(1)", "must start with https://"),
        ("ftp://x.example/", "must start with https://"),
        ("x.example/repo/", "must start with https://"),
        ("", "must start with https://"),
        ("https://user:pw@x.example/", "must not contain a user name"),
    ];

    pub(crate) const ACCEPTED: &[(&str, &str)] = &[
        ("https://org.github.io/repo/", "https://org.github.io/repo/"),
        ("https://org.github.io/repo", "https://org.github.io/repo/"),
        (" https://x.example ", "https://x.example/"),
        ("HTTP://X.Example:80/a/b", "http://x.example/a/b/"),
        ("https://x.example:8443/", "https://x.example:8443/"),
    ];

    #[test]
    fn one_rule_set() {
        for (input, why) in REJECTED {
            let e = BaseUrl::parse(input).expect_err(input);
            assert!(e.why.contains(why), "{input}: {}", e.why);
            assert!(e.to_string().contains(&format!("`{input}`")), "{e}");
        }
        for (input, want) in ACCEPTED {
            let u = BaseUrl::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(u.as_str(), *want);
            assert_eq!(u.join("reports/"), format!("{want}reports/"));
        }
    }
}
