//! Drawing charts as SVG from `layout` geometry. Every chart (Gantt charts,
//! dependency diagrams, the team map, heat map, trend and sparklines) goes
//! through the one streaming writer [`xml::Xml`], which escapes text and
//! attribute values. Charts use CSS
//! classes, not inline colours, so themes, dark mode and print can restyle
//! them; they carry a responsive `viewBox`, `<title>` tooltips and links,
//! and no JavaScript. [`raster`] turns a chart into a PNG for e-mail.
//!
//! The SVG libraries (resvg and usvg) belong here: nothing
//! outside this module should use them. This module draws and describes what `layout`
//! placed; it must not place anything itself, and it knows nothing of pages
//! or templates (`render::charts` chooses a page's charts).

pub mod dag;
pub mod gantt;
pub mod gantt_text;
pub mod heatmap;
pub mod raster;
pub mod sparkline;
pub mod trend;
pub mod xml;

use crate::layout::geom::Label;
use xml::Xml;

/// Opens a `<text>` for `label` (size, weight, anchor, position) with its
/// text written; the caller closes it (after a `<title>`, if any). The
/// trend and the heat map draw their labels with it; the Gantt chart has its
/// own, which paints inline for the e-mail's PNG.
pub(crate) fn open_text(x: &mut Xml, label: &Label, class: &str) {
    x.open("text")
        .attr("class", class)
        .num("font-size", label.size);
    if label.bold {
        x.attr("font-weight", "bold");
    }
    x.attr("text-anchor", label.anchor.as_str())
        .num("x", label.x)
        .num("y", label.y)
        .text(&label.text);
}

/// [`open_text`], closed.
pub(crate) fn text(x: &mut Xml, label: &Label, class: &str) {
    open_text(x, label, class);
    x.close();
}

/// A chart ready to embed in a page: an `<svg>` element (no XML prolog).
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The `<svg>` element.
    pub svg: String,
    /// A one-paragraph description in words, for screen readers and e-mail.
    pub summary: String,
    pub width: f64,
    pub height: f64,
    /// The smallest font size in the chart, in user units: with the width,
    /// it sets the narrowest the chart may be drawn and stay legible.
    pub min_font: f64,
}

/// The smallest chart text a reader should get, in CSS pixels.
pub const MIN_TEXT_PX: f64 = 10.0;

/// The narrowest a chart `width` user units wide whose smallest text is
/// `min_font` units can be drawn with no text below [`MIN_TEXT_PX`], in
/// CSS pixels (rounded up).
pub fn readable_width(width: f64, min_font: f64) -> f64 {
    if min_font <= 0.0 || !width.is_finite() {
        return width.max(0.0).ceil();
    }
    (width * (MIN_TEXT_PX / min_font).max(0.0)).ceil()
}

impl Chart {
    /// The `<svg>` for a web page. Every chart is drawn with `width="100%"`
    /// and `role="img"` (what the e-mail's rasteriser expects); on a page:
    ///
    /// - `width` becomes [`readable_width`] in pixels. The stylesheet lets a
    ///   chart grow to its box but never shrink below that, so on a narrow
    ///   screen it scrolls sideways inside its own box at a legible size
    ///   (the dependency diagrams may shrink to fit on wide screens, with a
    ///   full-size switch: see `charts.css`).
    /// - A chart that holds links is `role="group"`, not `role="img"`: an
    ///   image's children are presentational, so links inside it would be
    ///   unnamed tab stops for keyboard and screen-reader users. As a group,
    ///   named by its `<title>` and described by its `<desc>` (and the
    ///   figure's caption), its links keep their names (their `<title>`,
    ///   which also states the status) and stay where sighted readers click
    ///   them. A chart without links stays `role="img"`.
    pub fn page_svg(&self) -> String {
        let root_end = self.svg.find('>').unwrap_or(self.svg.len());
        let (root, rest) = self.svg.split_at(root_end);
        let mut root = root.replacen(
            " width=\"100%\"",
            &format!(
                " width=\"{}\"",
                num(readable_width(self.width, self.min_font))
            ),
            1,
        );
        if rest.contains("<a ") {
            root = root.replacen(" role=\"img\"", " role=\"group\"", 1);
        }
        root + rest
    }
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
///
/// Charts print tens of thousands of numbers, so this avoids the float
/// formatter: the value is rounded to hundredths once and printed as an
/// integer and two digits (the same text as `format!("{:.2}")` trimmed).
pub fn num(v: f64) -> String {
    let mut s = String::with_capacity(12);
    xml::write_num(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::{Chart, readable_width};

    #[test]
    fn readable_width_keeps_the_smallest_text_at_ten_pixels() {
        assert_eq!(readable_width(1120.0, 10.0), 1120.0);
        assert_eq!(readable_width(2458.13, 11.0), 2235.0);
        assert_eq!(readable_width(720.0, 12.0), 600.0);
        assert_eq!(readable_width(100.0, 0.0), 100.0);
    }

    #[test]
    fn page_svg_sizes_the_root_and_groups_charts_with_links() {
        let chart = |svg: &str| Chart {
            svg: svg.to_string(),
            summary: String::new(),
            width: 1100.0,
            height: 50.0,
            min_font: 11.0,
        };
        let linked = chart(
            r#"<svg role="img" viewBox="0 0 1100 50" width="100%"><title>t</title><a href="x"><text width="100%">a</text></a></svg>"#,
        );
        assert_eq!(
            linked.page_svg(),
            r#"<svg role="group" viewBox="0 0 1100 50" width="1000"><title>t</title><a href="x"><text width="100%">a</text></a></svg>"#
        );
        let plain = chart(r#"<svg role="img" width="100%"><title>t</title></svg>"#);
        assert_eq!(
            plain.page_svg(),
            r#"<svg role="img" width="1000"><title>t</title></svg>"#
        );
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(super::num(1.0), "1");
        assert_eq!(super::num(1.256), "1.26");
        assert_eq!(super::num(-0.001), "0");
        assert_eq!(super::num(12.5), "12.5");
        assert_eq!(super::num(-3.05), "-3.05");
        assert_eq!(super::num(0.1), "0.1");
        assert_eq!(super::num(1e20), "100000000000000000000");
    }

    /// The fast path prints exactly what the float formatter would.
    #[test]
    fn numbers_match_the_float_formatter() {
        let reference = |v: f64| {
            let r = (v * 100.0).round() / 100.0;
            let r = if r == 0.0 { 0.0 } else { r };
            let s = format!("{r:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for k in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let scale = [1.0, 100.0, 10_000.0, 1e7][(k % 4) as usize];
            let v = ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * scale;
            assert_eq!(super::num(v), reference(v), "{v}");
            let q = (v * 100.0).round() / 100.0 + 0.005; // exact ties
            assert_eq!(super::num(q), reference(q), "{q}");
        }
    }

    #[test]
    fn charts_hold_only_xml_characters() {
        assert_eq!(
            super::xml_chars("<t>a\u{0}b\u{7}\tc\u{ffff}</t>".into()),
            "<t>ab\tc</t>"
        );
    }
}
