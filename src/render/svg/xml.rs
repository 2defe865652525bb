//! The streaming SVG writer every chart is drawn with (some thousands per
//! build).
//!
//! A tree of elements, each with a hash map of owned attribute strings (the
//! `svg` crate, which drew the charts before), cost most of the time of the
//! dependency diagram on every deliverable page. [`Xml`] writes the markup
//! straight into one `String`, and it is the one place that escapes chart
//! text: every attribute value
//! and text goes through [`Xml::attr`] or [`Xml::text`], which escape
//! `& < > " '` and drop characters XML cannot carry (C0 controls other than
//! tab and newlines, U+FFFE and U+FFFF), so content strings cannot break out
//! of an attribute or inject markup. Element and attribute names are
//! `&'static str`: they never come from content.

use std::fmt::Write as _;

/// An SVG document being written. Elements are opened with [`Xml::open`],
/// given attributes, then children or text, and closed with [`Xml::close`]
/// (an element without children is written as `<tag .../>`). Child
/// elements start on a new line, and so does the closing tag after them;
/// text stays on its element's line (the layout the `svg` crate printed,
/// kept so the charts stayed byte for byte the same when they moved here).
#[derive(Debug, Default)]
pub struct Xml {
    buf: String,
    stack: Vec<&'static str>,
    /// The start tag of the innermost element is not closed yet (`>` pending).
    pending: bool,
    /// The last thing written into the innermost element was text.
    after_text: bool,
}

impl Xml {
    pub fn with_capacity(bytes: usize) -> Xml {
        Xml {
            buf: String::with_capacity(bytes),
            ..Xml::default()
        }
    }

    fn end_start_tag(&mut self) {
        if self.pending {
            self.buf.push('>');
            self.pending = false;
        }
    }

    /// Opens `<tag`; attributes follow.
    pub fn open(&mut self, tag: &'static str) -> &mut Xml {
        self.end_start_tag();
        if !self.stack.is_empty() {
            self.buf.push('\n');
        }
        self.after_text = false;
        self.buf.push('<');
        self.buf.push_str(tag);
        self.stack.push(tag);
        self.pending = true;
        self
    }

    /// An attribute of the element just opened; the value is escaped.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Xml {
        debug_assert!(self.pending, "attribute {name} after the start tag");
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        escape_into(&mut self.buf, value, true);
        self.buf.push('"');
        self
    }

    /// A numeric attribute, printed like [`super::num`].
    pub fn num(&mut self, name: &'static str, value: f64) -> &mut Xml {
        debug_assert!(self.pending, "attribute {name} after the start tag");
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        write_num(&mut self.buf, value);
        self.buf.push('"');
        self
    }

    /// An attribute whose value is written by `f` into a scratch string and
    /// then escaped (for values assembled from parts, like path data).
    pub fn attr_with(&mut self, name: &'static str, f: impl FnOnce(&mut String)) -> &mut Xml {
        let mut v = String::new();
        f(&mut v);
        self.attr(name, &v)
    }

    /// `viewBox="0 0 width height"`, the numbers as [`super::num`] prints them.
    pub fn view_box(&mut self, width: f64, height: f64) -> &mut Xml {
        self.attr_with("viewBox", |v| {
            v.push_str("0 0 ");
            write_num(v, width);
            v.push(' ');
            write_num(v, height);
        })
    }

    /// Text content of the current element; escaped.
    pub fn text(&mut self, text: &str) -> &mut Xml {
        self.end_start_tag();
        escape_into(&mut self.buf, text, false);
        self.after_text = true;
        self
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) -> &mut Xml {
        if let Some(tag) = self.stack.pop() {
            if self.pending {
                self.buf.push_str("/>");
                self.pending = false;
            } else {
                // A closing tag after child elements goes on its own line.
                if !self.after_text {
                    self.buf.push('\n');
                }
                self.buf.push_str("</");
                self.buf.push_str(tag);
                self.buf.push('>');
            }
            self.after_text = false;
        }
        self
    }

    /// An element holding only `text`: `<tag>text</tag>`.
    pub fn leaf(&mut self, tag: &'static str, text: &str) -> &mut Xml {
        self.open(tag).text(text).close()
    }

    /// Closes every open element and returns the document.
    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.close();
        }
        self.buf
    }
}

/// Appends `v` as [`super::num`] prints it.
pub fn write_num(out: &mut String, v: f64) {
    let h = (v * 100.0).round();
    if !h.is_finite() || h.abs() >= 1e15 {
        let s = format!("{:.2}", h / 100.0);
        out.push_str(s.trim_end_matches('0').trim_end_matches('.'));
        return;
    }
    let h = h as i64;
    if h == 0 {
        out.push('0');
        return;
    }
    let a = h.unsigned_abs();
    let (int, frac) = (a / 100, a % 100);
    if h < 0 {
        out.push('-');
    }
    let _ = write!(out, "{int}");
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if frac % 10 != 0 {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

/// Whether XML 1.0 can carry `c` at all.
/// `s` escaped for XML text and attribute values (`& < > " '`), without the
/// characters XML cannot carry.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, true);
    out
}

/// Bytes [`escape_into`] must look at: markup characters, C0 controls and
/// the lead byte of U+FFFE/U+FFFF (`EF BF BE`/`EF BF BF`).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b, 0x09 | 0x0a | 0x0d);
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[0xef] = true;
    t
};

/// Appends `s` escaped (quotes too in an `attribute`), without the
/// characters XML cannot carry. A byte scan: every special character is
/// ASCII but the non-characters, whose UTF-8 starts with `EF BF`.
fn escape_into(out: &mut String, s: &str, attribute: bool) {
    let b = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if !SPECIAL[b[i] as usize] {
            i += 1;
            continue;
        }
        let (replacement, len) = match b[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            b'\'' if attribute => ("&apos;", 1),
            b'"' | b'\'' => {
                i += 1;
                continue;
            }
            0xef if b.get(i + 1) == Some(&0xbf) && matches!(b.get(i + 2), Some(0xbe | 0xbf)) => {
                ("", 3)
            }
            0xef => {
                i += 1;
                continue;
            }
            _ => ("", 1), // a C0 control
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan escapes exactly as a character-by-character reference
    /// does, on text mixing markup, controls, non-characters and other
    /// multi-byte characters (some starting with the same `EF` byte).
    #[test]
    fn the_byte_scan_matches_a_character_reference() {
        fn reference(s: &str, attribute: bool) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' if attribute => out.push_str("&quot;"),
                    '\'' if attribute => out.push_str("&apos;"),
                    c if (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                        || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
                    c => out.push(c),
                }
            }
            out
        }
        let alphabet = [
            'a', ' ', '&', '<', '>', '"', '\'', '\0', '\t', '\n', '\r', '\u{1f}', '\u{7f}', 'é',
            '→', '\u{fffe}', '\u{ffff}', '\u{fffd}', '\u{feff}', '\u{f000}', '😀',
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(x % 12) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            for attribute in [false, true] {
                let mut out = String::new();
                escape_into(&mut out, &s, attribute);
                assert_eq!(out, reference(&s, attribute), "{s:?}");
            }
        }
    }

    #[test]
    fn nests_escapes_and_self_closes() {
        let mut x = Xml::default();
        x.open("svg").attr("class", "a\"b' <c> & d");
        x.open("g").num("x", 1.256).num("y", -0.001).close();
        x.open("text")
            .text("Tom & Jerry <script>\u{0}\u{7}\u{ffff}")
            .close();
        let s = x.finish();
        assert_eq!(
            s,
            "<svg class=\"a&quot;b&apos; &lt;c&gt; &amp; d\">\n<g x=\"1.26\" y=\"0\"/>\n<text>Tom &amp; Jerry &lt;script&gt;</text>\n</svg>"
        );
        roxmltree::Document::parse(&s).expect("well-formed");
    }

    #[test]
    fn numbers_match_num() {
        for v in [
            0.0, 1.0, -3.05, 12.5, 0.1, 1e20, -1e20, 123.456, -0.004, 0.005,
        ] {
            let mut s = String::new();
            write_num(&mut s, v);
            assert_eq!(s, super::super::num(v), "{v}");
        }
    }

    #[test]
    fn hostile_text_stays_text() {
        let evil = r#""><script>alert(1)</script><a href='javascript:x'>"#;
        let mut x = Xml::default();
        x.open("svg").attr("xmlns", "http://www.w3.org/2000/svg");
        x.open("a").attr("href", evil).attr("class", evil);
        x.leaf("title", evil);
        let s = x.finish();
        let doc = roxmltree::Document::parse(&s).expect("well-formed");
        let a = doc.descendants().find(|n| n.has_tag_name("a")).unwrap();
        assert_eq!(a.attribute("href"), Some(evil));
        assert_eq!(
            doc.descendants()
                .find(|n| n.has_tag_name("title"))
                .and_then(|n| n.text()),
            Some(evil)
        );
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    }
}
