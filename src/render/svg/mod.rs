//! Drawing charts as SVG from `layout` geometry, with the `svg` crate (which
//! escapes text and attribute values). Charts use CSS classes, not inline
//! colours, so themes, dark mode and print can restyle them; they carry a
//! responsive `viewBox`, `<title>` tooltips and links, and no JavaScript.

pub mod dag;
pub mod gantt;
pub mod heatmap;
pub mod trend;

/// A chart ready to embed in a page: an `<svg>` element (no XML prolog).
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The `<svg>` element.
    pub svg: String,
    /// A one-paragraph description in words, for screen readers and e-mail.
    pub summary: String,
    pub width: f64,
    pub height: f64,
}

/// Drops the characters XML 1.0 does not allow (C0 controls other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF) from a finished chart, so
/// it stays well-formed whatever text the content holds (a name with a NUL).
pub fn xml_chars(svg: String) -> String {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if svg.contains(bad) {
        svg.replace(bad, "")
    } else {
        svg
    }
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros.
pub fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(super::num(1.0), "1");
        assert_eq!(super::num(1.256), "1.26");
        assert_eq!(super::num(-0.001), "0");
        assert_eq!(super::num(12.5), "12.5");
    }

    #[test]
    fn charts_hold_only_xml_characters() {
        assert_eq!(
            super::xml_chars("<t>a\u{0}b\u{7}\tc\u{ffff}</t>".into()),
            "<t>ab\tc</t>"
        );
    }
}
