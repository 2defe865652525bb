//! Typed reading of YAML nodes, with a diagnostic for every mistake.
//!
//! [`Fields`] wraps one YAML mapping: it reports unknown keys (with a "did you
//! mean" hint) and hands out each known key's value; the free functions turn a
//! value into text, an id, a date, a number in range, and so on. Each returns
//! `None` after recording an error, so resolution continues and every problem
//! of a file is reported in one run.

use std::sync::Arc;

use jiff::civil::Date;

use crate::content::yaml::{Node, Pos, Value};
use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::model::{Link, LinkType, Loc};

/// Context for one file: its name, and the diagnostics list.
pub struct Ctx<'d> {
    pub file: Arc<str>,
    pub diags: &'d mut Diagnostics,
}

impl Ctx<'_> {
    pub fn loc(&self, pos: Pos) -> Loc {
        Loc {
            file: self.file.clone(),
            pos,
        }
    }

    pub fn error(&mut self, node: &Node, message: impl Into<String>, hint: impl Into<String>) {
        let loc = self.loc(node.pos);
        self.diags.error(&loc, message).with_hint(hint);
    }

    pub fn warning(&mut self, node: &Node, message: impl Into<String>, hint: impl Into<String>) {
        let loc = self.loc(node.pos);
        self.diags.warning(&loc, message).with_hint(hint);
    }
}

/// The entries of one YAML mapping, checked against the keys it may have.
pub struct Fields<'n> {
    pub node: &'n Node,
    entries: Vec<(&'n str, &'n Node)>,
    /// What the mapping describes, for messages: "deliverable `auth-api-v2`".
    pub what: String,
}

impl<'n> Fields<'n> {
    /// Reads a mapping; errors (and returns None) if `node` is not one.
    /// Unknown keys are reported with a hint naming the closest known key.
    pub fn new(ctx: &mut Ctx, node: &'n Node, what: &str, known: &[&str]) -> Option<Fields<'n>> {
        let Value::Map(map) = &node.value else {
            ctx.error(
                node,
                format!(
                    "{what} must be a mapping of `key: value` lines, not {}",
                    node.value.kind()
                ),
                format!(
                    "write it as `{}: ...` and the other fields, one per line",
                    known.first().copied().unwrap_or("key")
                ),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (k, v) in map {
            let Value::Str(key) = &k.value else {
                ctx.error(
                    k,
                    format!("keys in {what} must be field names, not {}", k.value.kind()),
                    format!("known fields: {}", known.join(", ")),
                );
                continue;
            };
            if known.contains(&key.as_str()) {
                entries.push((key.as_str(), v));
            } else {
                let hint = match did_you_mean(key, known.iter().copied()) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!("known fields: {}", known.join(", ")),
                };
                ctx.error(k, format!("unknown field `{key}` in {what}"), hint);
            }
        }
        Some(Fields {
            node,
            entries,
            what: what.to_string(),
        })
    }

    /// The same fields, described as `what` in later messages.
    pub fn named(self, what: String) -> Fields<'n> {
        Fields { what, ..self }
    }

    /// The value of `key`, if present and not null.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .filter(|v| v.value != Value::Null)
    }

    /// Whether `key` was written (even as null).
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| *k == key)
    }

    /// The value of a required key; reports it missing otherwise.
    pub fn require(&self, ctx: &mut Ctx, key: &str, example: &str) -> Option<&'n Node> {
        let v = self.get(key);
        if v.is_none() {
            ctx.error(
                self.node,
                format!("{} is missing the required field `{key}`", self.what),
                format!("add `{key}: {example}`"),
            );
        }
        v
    }
}

/// Plain text. Numbers and booleans are accepted as their written form.
pub fn text(ctx: &mut Ctx, node: &Node, field: &str) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => {
            ctx.error(
                node,
                format!("`{field}` must be text, not {}", other.kind()),
                "quote the text: `\"...\"`",
            );
            None
        }
    }
}

/// Whether `s` is a valid id: `^[a-z0-9][a-z0-9-]{0,63}$`.
pub fn is_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// A suggested id for an invalid one: lowercase, dashes for other characters.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out = if out.is_empty() { "item" } else { out };
    out.chars().take(64).collect()
}

/// An id (a lowercase slug). Ids become URL path segments, so nothing else passes.
pub fn id(ctx: &mut Ctx, node: &Node, field: &str) -> Option<String> {
    let s = match &node.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) if *i >= 0 => i.to_string(),
        other => {
            ctx.error(
                node,
                format!(
                    "`{field}` must be an id (a lowercase slug), not {}",
                    other.kind()
                ),
                "ids look like `auth-api-v2`",
            );
            return None;
        }
    };
    if is_id(&s) {
        Some(s)
    } else {
        ctx.error(
            node,
            format!("`{s}` is not a valid id: use 1 to 64 lowercase letters, digits and dashes, starting with a letter or digit"),
            format!("ids become URL path segments; try `{}`", slugify(&s)),
        );
        None
    }
}

/// A list of ids (a single id is accepted as a list of one).
pub fn id_list(ctx: &mut Ctx, node: &Node, field: &str) -> Vec<(String, Node)> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| id(ctx, n, field).map(|s| (s, n.clone())))
            .collect(),
        Value::Null => Vec::new(),
        _ => id(ctx, node, field)
            .map(|s| vec![(s, node.clone())])
            .unwrap_or_default(),
    }
}

/// A list of text values (a single text is accepted as a list of one).
pub fn text_list(ctx: &mut Ctx, node: &Node, field: &str) -> Vec<String> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| text(ctx, n, field)).collect(),
        Value::Null => Vec::new(),
        _ => text(ctx, node, field).into_iter().collect(),
    }
}

/// An ISO `YYYY-MM-DD` date that exists.
pub fn date(ctx: &mut Ctx, node: &Node, field: &str) -> Option<Date> {
    let Value::Str(s) = &node.value else {
        ctx.error(
            node,
            format!(
                "`{field}` must be a date like 2027-03-15, not {}",
                node.value.kind()
            ),
            "write dates as YYYY-MM-DD",
        );
        return None;
    };
    match parse_date(s) {
        Ok(d) => Some(d),
        Err((message, hint)) => {
            ctx.error(node, format!("`{field}`: {message}"), hint);
            None
        }
    }
}

/// Parses `YYYY-MM-DD`, explaining what is wrong otherwise.
pub fn parse_date(s: &str) -> Result<Date, (String, String)> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err((
            format!("`{s}` is not a date in the form YYYY-MM-DD"),
            "write dates as YYYY-MM-DD, e.g. 2027-03-15".into(),
        ));
    }
    let year: i16 = s[0..4].parse().unwrap_or(0);
    let month: i8 = s[5..7].parse().unwrap_or(0);
    let day: i8 = s[8..10].parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err((
            format!("{s} does not exist: there is no month {month}"),
            "months run from 01 to 12".into(),
        ));
    }
    match Date::new(year, month, day) {
        Ok(d) => Ok(d),
        Err(_) => {
            let last = jiff::civil::Date::new(year, month, 1)
                .map(|d| d.days_in_month())
                .unwrap_or(31);
            Err((
                format!("{s} does not exist"),
                format!("{}-{:02} has {last} days", year, month),
            ))
        }
    }
}

/// An integer within `lo..=hi`.
pub fn int_in(ctx: &mut Ctx, node: &Node, field: &str, lo: i64, hi: i64) -> Option<i64> {
    let v = match &node.value {
        Value::Int(i) => *i,
        Value::Float(f) if f.fract() == 0.0 => *f as i64,
        Value::Str(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().unwrap_or(0),
        other => {
            ctx.error(
                node,
                format!(
                    "`{field}` must be a whole number from {lo} to {hi}, not {}",
                    other.kind()
                ),
                format!("write e.g. `{field}: {hi}`"),
            );
            return None;
        }
    };
    if (lo..=hi).contains(&v) {
        Some(v)
    } else {
        ctx.error(
            node,
            format!("`{field}` is {v}, out of range: it must be from {lo} to {hi}"),
            format!("use a value from {lo} to {hi}"),
        );
        None
    }
}

/// `true` or `false`.
pub fn boolean(ctx: &mut Ctx, node: &Node, field: &str) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        other => {
            ctx.error(
                node,
                format!("`{field}` must be true or false, not {}", other.kind()),
                format!("write `{field}: true` or `{field}: false`"),
            );
            None
        }
    }
}

/// One of a fixed set of words.
pub fn one_of<T: Copy>(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    choices: &[(&str, T)],
) -> Option<T> {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let Value::Str(s) = &node.value else {
        ctx.error(
            node,
            format!(
                "`{field}` must be one of {}, not {}",
                names.join(" | "),
                node.value.kind()
            ),
            format!("write e.g. `{field}: {}`", names[0]),
        );
        return None;
    };
    if let Some((_, v)) = choices.iter().find(|(n, _)| *n == s.as_str()) {
        return Some(*v);
    }
    let hint = match did_you_mean(
        &s.to_lowercase().replace([' ', '-'], "_"),
        names.iter().copied(),
    ) {
        Some(m) => format!("did you mean `{m}`?"),
        None => format!("use one of {}", names.join(", ")),
    };
    ctx.error(
        node,
        format!(
            "`{field}` is `{s}`, which is not one of {}",
            names.join(" | ")
        ),
        hint,
    );
    None
}

/// A duration: `10d` (working days) or `3w` (weeks of working days), in working days.
pub fn duration(ctx: &mut Ctx, node: &Node, field: &str, week_len: i64) -> Option<i64> {
    let s = match &node.value {
        Value::Str(s) => s.trim().to_string(),
        Value::Int(i) => {
            ctx.error(
                node,
                format!("`{field}: {i}` has no unit"),
                format!("write `{i}d` for working days or `{i}w` for weeks"),
            );
            return None;
        }
        other => {
            ctx.error(
                node,
                format!(
                    "`{field}` must be a duration like `10d` or `3w`, not {}",
                    other.kind()
                ),
                "write N followed by d (working days) or w (weeks)",
            );
            return None;
        }
    };
    match parse_duration(&s, week_len) {
        Some(d) => Some(d),
        None => {
            ctx.error(
                node,
                format!("`{field}` is `{s}`, not a duration"),
                "write N followed by d (working days) or w (weeks), e.g. `10d` or `3w`",
            );
            None
        }
    }
}

/// `10d` -> 10, `3w` -> 3 * week_len. At most 100,000 working days.
pub fn parse_duration(s: &str, week_len: i64) -> Option<i64> {
    let last = s.chars().last()?;
    let (num, unit) = s.split_at(s.len() - last.len_utf8());
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) || num.len() > 6 {
        return None;
    }
    let n: i64 = num.parse().ok()?;
    let days = match unit {
        "d" => n,
        "w" => n * week_len,
        _ => return None,
    };
    (days <= 100_000).then_some(days)
}

/// A lag: `3d`, `+3d`, `-2d` (a lead), `1w`, in working days (at most
/// 100,000 either way).
pub fn parse_lag(s: &str, week_len: i64) -> Option<i64> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    parse_duration(rest, week_len).map(|d| sign * d)
}

/// The entries of `depends_on`: plain ids (finish-to-start, no lag) or
/// mappings `{id, type, lag}`. Each comes with the node to locate it.
pub fn dependency_list(ctx: &mut Ctx, node: &Node, week_len: i64) -> Vec<(String, Node, Link)> {
    let one = |ctx: &mut Ctx, n: &Node| -> Option<(String, Node, Link)> {
        if !matches!(n.value, Value::Map(_)) {
            return id(ctx, n, "depends_on").map(|s| (s, n.clone(), Link::default()));
        }
        let m = Fields::new(ctx, n, "a dependency", DEPENDENCY_FIELDS)?;
        let id_node = m.require(ctx, "id", "api")?;
        let provider = id(ctx, id_node, "id")?;
        let kind = match m.get("type") {
            None => Some(LinkType::default()),
            Some(t) => link_type(ctx, t),
        };
        let lag = match m.get("lag") {
            None => Some(0),
            Some(l) => lag(ctx, l, week_len),
        };
        Some((
            provider,
            id_node.clone(),
            Link {
                kind: kind?,
                lag: lag?,
            },
        ))
    };
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| one(ctx, n)).collect(),
        Value::Null => Vec::new(),
        _ => one(ctx, node).into_iter().collect(),
    }
}

/// The keys of a dependency written as a mapping.
pub const DEPENDENCY_FIELDS: &[&str] = &["id", "type", "lag"];

/// A dependency's `type`: a written name or its abbreviation.
fn link_type(ctx: &mut Ctx, node: &Node) -> Option<LinkType> {
    let names: Vec<&str> = LinkType::ALL.iter().map(|(n, _, _)| *n).collect();
    let written = match &node.value {
        Value::Str(s) => s.as_str(),
        other => {
            ctx.error(
                node,
                format!(
                    "a dependency's `type` must be one of {}, not {}",
                    names.join(" | "),
                    other.kind()
                ),
                "write e.g. `type: start-to-start` (or FS, SS, FF, SF)",
            );
            return None;
        }
    };
    if let Some(t) = LinkType::parse(written) {
        return Some(t);
    }
    let hint = match did_you_mean(
        &written.to_lowercase().replace([' ', '_'], "-"),
        names.iter().copied(),
    ) {
        Some(m) => format!("did you mean `{m}`?"),
        None => format!("use one of {} (or FS, SS, FF, SF)", names.join(", ")),
    };
    ctx.error(
        node,
        format!(
            "a dependency's `type` is `{written}`, which is not one of {}",
            names.join(" | ")
        ),
        hint,
    );
    None
}

/// A dependency's `lag`: working days, negative for a lead.
fn lag(ctx: &mut Ctx, node: &Node, week_len: i64) -> Option<i64> {
    let written = match &node.value {
        Value::Str(s) => s.trim().to_string(),
        Value::Int(i) => {
            ctx.error(
                node,
                format!("a dependency's `lag: {i}` has no unit"),
                format!("write `lag: {i}d` for working days"),
            );
            return None;
        }
        other => {
            ctx.error(
                node,
                format!(
                    "a dependency's `lag` must be working days like `3d` or `-2d`, not {}",
                    other.kind()
                ),
                "write N followed by d (working days), with a minus for a lead: `3d`, `-2d`",
            );
            return None;
        }
    };
    let parsed = parse_lag(&written, week_len);
    if parsed.is_none() {
        ctx.error(
            node,
            format!("a dependency's `lag` is `{written}`, not a number of working days"),
            "write N followed by d (working days), with a minus for a lead: `3d`, `-2d`",
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_safe_slugs() {
        assert!(is_id("auth-api-v2"));
        assert!(is_id("0"));
        assert!(!is_id("-a"));
        assert!(!is_id("Auth"));
        assert!(!is_id("../etc"));
        assert!(!is_id("a/b"));
        assert!(!is_id(&"a".repeat(65)));
        assert_eq!(slugify("../Auth API v2"), "auth-api-v2");
    }

    #[test]
    fn dates_must_exist_and_say_why_not() {
        assert_eq!(
            parse_date("2027-03-15").unwrap(),
            jiff::civil::date(2027, 3, 15)
        );
        let (m, h) = parse_date("2027-02-30").unwrap_err();
        assert_eq!(m, "2027-02-30 does not exist");
        assert_eq!(h, "2027-02 has 28 days");
        assert!(
            parse_date("2027-13-01")
                .unwrap_err()
                .0
                .contains("no month 13")
        );
        assert!(
            parse_date("15/03/2027")
                .unwrap_err()
                .0
                .contains("YYYY-MM-DD")
        );
    }

    #[test]
    fn durations_in_days_and_weeks() {
        assert_eq!(parse_duration("10d", 5), Some(10));
        assert_eq!(parse_duration("3w", 5), Some(15));
        assert_eq!(parse_duration("3w", 7), Some(21));
        assert_eq!(parse_duration("0d", 5), Some(0));
        assert_eq!(parse_duration("d", 5), None);
        assert_eq!(parse_duration("10", 5), None);
        assert_eq!(parse_duration("-1d", 5), None);
        assert_eq!(parse_duration("9999999d", 5), None);
    }

    #[test]
    fn lags_are_signed_working_days() {
        assert_eq!(parse_lag("3d", 5), Some(3));
        assert_eq!(parse_lag("+3d", 5), Some(3));
        assert_eq!(parse_lag("-2d", 5), Some(-2));
        assert_eq!(parse_lag("-1w", 5), Some(-5));
        assert_eq!(parse_lag("0d", 5), Some(0));
        assert_eq!(parse_lag("--2d", 5), None);
        assert_eq!(parse_lag("-", 5), None);
        assert_eq!(parse_lag("2", 5), None);
        assert_eq!(parse_lag("3é", 5), None);
        assert_eq!(parse_lag("-é", 5), None);
    }

    #[test]
    fn link_labels_round_trip() {
        for (label, kind, lag) in [
            ("FS", LinkType::FinishToStart, 0),
            ("SS+3d", LinkType::StartToStart, 3),
            ("FF-2d", LinkType::FinishToFinish, -2),
            ("SF+1d", LinkType::StartToFinish, 1),
        ] {
            let link = Link { kind, lag };
            assert_eq!(link.label(), label);
            assert_eq!(Link::parse_label(label), Some(link));
        }
        assert_eq!(
            Link::parse_label("start-to-start+3d"),
            Some(Link {
                kind: LinkType::StartToStart,
                lag: 3
            })
        );
        assert_eq!(
            Link::parse_label("ss"),
            Some(Link {
                kind: LinkType::StartToStart,
                lag: 0
            })
        );
        assert_eq!(Link::parse_label("XY+3d"), None);
        let ss = Link {
            kind: LinkType::StartToStart,
            lag: 3,
        };
        assert_eq!(ss.token("sdk"), "sdk:SS+3d");
        assert_eq!(Link::parse_token("sdk:SS+3d"), Some(("sdk", ss)));
        assert_eq!(Link::default().token("api"), "api");
        assert_eq!(Link::parse_token("api"), Some(("api", Link::default())));
        assert_eq!(Link::parse_token("api:XX"), None);
        assert_eq!(Link::parse_label("SS3"), None);
        assert_eq!(Link::parse_label("Sé+1d"), None);
        assert_eq!(Link::parse_label("é"), None);
    }
}
