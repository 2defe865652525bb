//! The one place that knows the YAML crate (serde-saphyr).
//!
//! It parses a YAML document into a [`Node`] tree in which every value carries
//! its line and column in the whole file, so every later diagnostic can point at
//! the exact line. Budgets bound alias expansion, nesting depth and size;
//! duplicate keys are errors. Nothing here knows the content format.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};

pub use crate::diagnostics::Pos;

/// A YAML value with the position where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// The shape of a YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys keep their positions; order is the file's order.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A short noun for messages: "a list", "a mapping", "text".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax or budget error, with its position when known.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
    /// The source line the parser stopped at, and the nearest non-blank
    /// line above it (for [`explain_at`]); empty when unknown.
    pub line: String,
    pub above: String,
}

/// Limits on hostile YAML: nesting, aliases, events and size.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 64;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    // An alias bomb stops after 100,000 replayed events (the crate's default,
    // 1,000,000, takes seconds in a debug build); no content file needs more.
    options.alias_limits.max_total_replayed_events = 100_000;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.strict_booleans = true;
    options.with_snippet = false;
    options
}

/// Stack left before a nesting level runs on a new stack segment: more than
/// the deepest single level takes (tens of KiB in an unoptimised build).
const RED_ZONE: usize = 256 << 10;
/// The size of each new segment: room for many levels at a time.
const STACK_SEGMENT: usize = 4 << 20;

/// Runs one level of a recursion over the YAML tree, on a fresh stack
/// segment (allocated on the heap by `stacker`) when the current stack is
/// nearly used up. The parser and [`Value`]'s deserializer recurse once per
/// nesting level, replayed aliases included, and an unoptimised build needs
/// tens of KiB per level: without this, 40 levels overflow the 2 MiB stack
/// of a test, rayon or tokio thread. With it, depth is bounded by the
/// budget (64 levels) alone, in every build profile and on every thread.
fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, f)
}

/// Parses one YAML document. `line_offset` is added to every line so that
/// front matter reports positions in whole-file coordinates.
pub fn parse(text: &str, line_offset: u32) -> Result<Node, ParseError> {
    with_stack(|| parse_here(text, line_offset))
}

fn parse_here(text: &str, line_offset: u32) -> Result<Node, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(Node {
            pos: Pos {
                line: 1 + line_offset,
                col: 1,
            },
            value: Value::Null,
        });
    }
    match serde_saphyr::from_str_with_options::<SpannedNode>(text, options()) {
        Ok(node) => {
            let mut node = node.0;
            if line_offset > 0 {
                shift(&mut node, line_offset);
            }
            Ok(node)
        }
        Err(err) => {
            let message = clean_message(&err.without_snippet().to_string());
            if message.contains("tab") {
                // Point at the first line indented with a tab, not where the scanner noticed.
                if let Some((i, line)) = text.lines().enumerate().find(|(_, l)| {
                    l.chars()
                        .take_while(|c| c.is_whitespace())
                        .any(|c| c == '\t')
                }) {
                    let col = line.chars().position(|c| c == '\t').unwrap_or(0);
                    return Err(ParseError {
                        pos: Pos {
                            line: i as u32 + 1 + line_offset,
                            col: col as u32 + 1,
                        },
                        message,
                        line: line.to_string(),
                        above: String::new(),
                    });
                }
            }
            let at = err.location().map(|l| l.line() as usize);
            let pos = err
                .location()
                .map(|l| Pos {
                    line: l.line() as u32 + line_offset,
                    col: l.column() as u32,
                })
                .unwrap_or(Pos {
                    line: 1 + line_offset,
                    col: 1,
                });
            let lines: Vec<&str> = text.lines().collect();
            let (line, above) = match at {
                Some(n) if n >= 1 && n <= lines.len() => (
                    lines[n - 1].to_string(),
                    lines[..n - 1]
                        .iter()
                        .rev()
                        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                        .map_or(String::new(), |l| l.to_string()),
                ),
                _ => (String::new(), String::new()),
            };
            Err(ParseError {
                pos,
                message,
                line,
                above,
            })
        }
    }
}

fn shift(node: &mut Node, by: u32) {
    node.pos.line += by;
    with_stack(|| match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, by);
            shift(v, by);
        }),
        _ => {}
    })
}

/// Drops the crate's own "at line X column Y" suffix: our diagnostics carry the position.
fn clean_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let cut = first.find(" at line ").unwrap_or(first.len());
    first[..cut].trim_end_matches(':').trim().to_string()
}

struct SpannedNode(Node);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // One nesting level: the next one may start on a new stack segment.
        let spanned = with_stack(|| Spanned::<Value>::deserialize(d))?;
        let loc = spanned.referenced;
        Ok(SpannedNode(Node {
            pos: Pos {
                line: loc.line() as u32,
                col: loc.column() as u32,
            },
            value: spanned.value,
        }))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .or(Ok(Value::Float(v as f64)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(SpannedNode(node)) = seq.next_element::<SpannedNode>()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((SpannedNode(k), SpannedNode(v))) =
            map.next_entry::<SpannedNode, SpannedNode>()?
        {
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

/// What a parse error most likely is, in our words: (message, fix, the
/// parser's wording as a detail line). The mistakes people commonly make are
/// recognised from the parser's message and the line it stopped at: a `:`
/// or `,` inside an unquoted text, a line indented more or less than the
/// fields beside it, a list item at the wrong indent, a missing `- `, a tab.
/// Anything else keeps the parser's wording with a generic fix.
pub fn explain_at(err: &ParseError) -> (String, Option<String>, Option<String>) {
    let raw = err.message.as_str();
    let detail = Some(format!("the YAML parser says: {raw}"));
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let line = err.line.trim_end();
    let body = line.trim_start();
    let above = err.above.trim_end();
    // `key: rest` of a block mapping line (after any `- `).
    let field = |l: &str| -> Option<(String, String)> {
        let l = l.trim_start().trim_start_matches("- ").trim_start();
        let (k, v) = l.split_once(": ")?;
        let k = k.trim();
        (!k.is_empty() && !k.contains([' ', '{', '[', '"', '\'']))
            .then(|| (k.to_string(), v.trim().to_string()))
    };
    // The column the fields of the item above start at.
    let field_col = |l: &str| {
        let n = indent(l);
        if l.trim_start().starts_with("- ") {
            n + 2
        } else {
            n
        }
    };
    let own = |message: String, hint: String| (message, Some(hint), detail.clone());
    let spaces = |n: usize| format!("{n} space{}", if n == 1 { "" } else { "s" });

    // Duplicates and the hostile-input limits have their own words already.
    if raw.starts_with("duplicate mapping key")
        || raw.contains("budget breached")
        || raw.contains("recursion limit")
        || raw.contains("alias") && raw.contains("limit")
    {
        let (message, hint) = explain(raw);
        return (message, hint, None);
    }
    if raw.contains("found a tab") || raw.contains("tabs") {
        return own(
            "a tab indents this line, and YAML allows only spaces for indentation".into(),
            "replace the tab with spaces (two per level, lined up with the lines above)".into(),
        );
    }
    if raw.contains("mapping values are not allowed") {
        if let Some((key, value)) = field(line)
            && (value.contains(": ") || value.ends_with(':'))
        {
            return own(
                format!(
                    "the text of `{key}` holds a `: `, so YAML reads it as the start of another field"
                ),
                format!(
                    "put the text in double quotes: `{key}: \"{}\"`",
                    value.replace('"', "\\\"")
                ),
            );
        }
        if !above.is_empty() && indent(line) > field_col(above) {
            return own(
                format!(
                    "this line is indented more than the line above it ({}, not {})",
                    spaces(indent(line)),
                    field_col(above)
                ),
                format!(
                    "line it up with the other fields of the same item: {} before `{}`",
                    spaces(field_col(above)),
                    body.split(':').next().unwrap_or(body)
                ),
            );
        }
    }
    if raw.contains("flow mapping") || raw.contains("flow sequence") {
        return own(
            "a text inside `{ ... }` or `[ ... ]` holds a `:` or `,`, which YAML reads as the end of the value".into(),
            "put the text in double quotes, e.g. `note: \"waiting on CDC: escalated, to VP\"`".into(),
        );
    }
    if raw.contains("did not find expected '-' indicator") {
        if body.starts_with("- ") || body == "-" {
            return own(
                "this list item is indented differently from the items above it".into(),
                "start every `- ` of the same list in the same column".into(),
            );
        }
        if indent(line) == 0 {
            return own(
                "this line starts a new item of the list without `- `".into(),
                format!(
                    "begin each item with `- ` (write `- {body}`) and indent its other fields by two spaces"
                ),
            );
        }
        if !above.is_empty() && indent(line) < field_col(above) {
            return own(
                format!(
                    "this line is indented less than the fields of its item ({}, not {})",
                    spaces(indent(line)),
                    field_col(above)
                ),
                format!(
                    "line it up with the other fields of the same item: {}",
                    spaces(field_col(above))
                ),
            );
        }
    }
    if raw.contains("did not find expected key") && (body.starts_with("- ") || body == "-") {
        return own(
            "a list item (`- `) is indented under the item above, where a field was expected".into(),
            "move the `- ` left to the column of the other items of the list; if it lists a field's values, write the field's name on the line above (e.g. `depends_on:`)".into(),
        );
    }
    let (message, hint) = explain(raw);
    (message, hint, None)
}

/// Turns the YAML crate's message into ours, with a hint where we know the fix.
pub fn explain(raw: &str) -> (String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest)
            .trim();
        return (
            format!("duplicate key `{key}`: a key may appear only once in a mapping"),
            Some("remove one of the two entries, or merge them".into()),
        );
    }
    if raw.contains("budget breached: Depth") {
        return (
            "the YAML is nested too deeply".into(),
            Some("content files need only a few levels of nesting".into()),
        );
    }
    if raw.contains("budget breached: Nodes")
        || raw.contains("budget breached: Events")
        || raw.contains("budget breached: TotalScalarBytes")
    {
        return (
            "the YAML file holds too many values (more than 250,000)".into(),
            Some("split it into several files (deliverables/ takes one file per team)".into()),
        );
    }
    if raw.contains("budget breached") || raw.contains("alias") && raw.contains("limit") {
        return (
            "the YAML expands to too much data (aliases or size beyond the limits)".into(),
            Some(
                "write the values out instead of repeating them through anchors and aliases".into(),
            ),
        );
    }
    if raw.contains("recursion limit") || raw.contains("depth") {
        return (
            "the YAML is nested too deeply".into(),
            Some("content files need only a few levels of nesting".into()),
        );
    }
    if raw.contains("tab") {
        return (
            format!("invalid YAML: {raw}"),
            Some("indent with spaces: YAML does not allow tabs for indentation".into()),
        );
    }
    (
        format!("invalid YAML: {raw}"),
        Some("check the indentation and quoting around this line".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, ParseError> {
        parse(text, 0)
    }

    #[test]
    fn values_keep_their_positions_and_yaml_1_1_booleans_stay_text() {
        let n = p("- id: a\n  depends_on: [b, c]\n  progress: 60\n  date: 2027-01-02\n  ok: no\n")
            .unwrap();
        let Value::Seq(items) = &n.value else {
            panic!("{n:?}")
        };
        let Value::Map(entries) = &items[0].value else {
            panic!()
        };
        let (k, v) = &entries[1];
        assert_eq!(k.value, Value::Str("depends_on".into()));
        assert_eq!(k.pos, Pos { line: 2, col: 3 });
        let Value::Seq(deps) = &v.value else { panic!() };
        assert_eq!(deps[1].pos, Pos { line: 2, col: 19 });
        assert_eq!(entries[2].1.value, Value::Int(60));
        assert_eq!(entries[3].1.value, Value::Str("2027-01-02".into()));
        assert_eq!(entries[4].1.value, Value::Str("no".into()));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let e = p("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.pos.line, 3);
        let (msg, hint) = explain(&e.message);
        assert_eq!(
            msg,
            "duplicate key `a`: a key may appear only once in a mapping"
        );
        assert!(hint.is_some());
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_bounded() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .windows(2)
            .map(|w| (w[0], w[1]))
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let e = p(&bomb).unwrap_err();
        assert!(explain(&e.message).0.contains("too much data"), "{e:?}");
        let deep = "[".repeat(100_000);
        let e = p(&deep).unwrap_err();
        assert_eq!(
            explain(&e.message).0,
            "the YAML is nested too deeply",
            "{e:?}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_on_a_small_stack() {
        // A test thread has a 2 MiB stack; run on a smaller one still.
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                for text in [
                    format!("{}x\n", "- ".repeat(5_000)),
                    "[".repeat(5_000),
                    format!("{}1\n", "{a: ".repeat(5_000)),
                    (0..200)
                        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                        .collect(),
                ] {
                    let e = p(&text).unwrap_err();
                    assert_eq!(
                        explain(&e.message).0,
                        "the YAML is nested too deeply",
                        "{e:?}"
                    );
                }
                // Forty levels parse on this small stack, and come back whole.
                let n = p(&format!("{}x{}", "[".repeat(40), "]".repeat(40))).unwrap();
                assert_eq!(seq_depth(&n), 40);
            })
            .unwrap();
        handle.join().unwrap();
    }

    /// How many lists are nested at the first element of each.
    fn seq_depth(n: &Node) -> usize {
        let mut depth = 0;
        let mut node = n;
        while let Value::Seq(items) = &node.value {
            depth += 1;
            node = &items[0];
        }
        depth
    }

    /// A chain of 40 anchors in block style, each a list holding an alias of
    /// the one before: a shallow text that expands to 40 levels. It used to
    /// overflow the stack of a debug build (the guard that moved deep texts
    /// to a big-stack thread looked at the text's own nesting only); every
    /// level now gets stack as it needs it, here on a 256 KiB thread.
    #[test]
    fn a_block_style_alias_chain_parses_on_a_small_stack() {
        let mut text = String::from("a0: &a0\n  - x\n");
        for i in 1..40 {
            text.push_str(&format!("a{i}: &a{i}\n  - *a{}\n", i - 1));
        }
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let n = p(&text).unwrap();
                let Value::Map(entries) = &n.value else {
                    panic!("{n:?}")
                };
                assert_eq!(entries.len(), 40);
                assert_eq!(seq_depth(&entries[39].1), 40);
                // Past the budget, the same chain is refused, not a crash.
                let mut deeper = text.clone();
                for i in 40..80 {
                    deeper.push_str(&format!("a{i}: &a{i}\n  - *a{}\n", i - 1));
                }
                let e = p(&deeper).unwrap_err();
                assert_eq!(
                    explain(&e.message).0,
                    "the YAML is nested too deeply",
                    "{e:?}"
                );
            })
            .unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn small_aliases_still_work() {
        let n = p("a: &x [1]\nb: *x\n").unwrap();
        let Value::Map(entries) = n.value else {
            panic!()
        };
        for (_, v) in &entries {
            let Value::Seq(items) = &v.value else {
                panic!("{v:?}")
            };
            assert_eq!(items.len(), 1);
            assert_eq!(items[0].value, Value::Int(1));
        }
    }

    #[test]
    fn syntax_errors_are_shifted_by_the_front_matter_offset() {
        let e = parse("x: 1\ny: [\n", 3).unwrap_err();
        assert!(e.pos.line >= 5, "{e:?}");
        let n = parse("x: 1\n", 3).unwrap();
        assert_eq!(n.pos.line, 4);
    }

    #[test]
    fn tabs_get_a_hint() {
        let e = p("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(explain(&e.message).1.unwrap().contains("spaces"));
    }
}
