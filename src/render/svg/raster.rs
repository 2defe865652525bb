//! Rasterising a chart's SVG to PNG (for e-mail, where mail clients drop
//! SVG): resvg draws the `<svg>` at one pixel per user unit on white. No
//! stylesheet is involved: the chart must carry its colours itself (the
//! Gantt chart drawn with `gantt::Paint::Inline` writes a `style` attribute
//! on every element). Text is drawn with the one font embedded in the binary
//! (DejaVu Sans, `assets/fonts/`) and never a system font: the same chart
//! gives the same pixels on every machine. External images are never loaded.
//!
//! This module owns the SVG libraries' part of the e-mail; it must not build
//! messages or choose which chart to send (that is `render::email`).

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// The fonts every PNG is drawn with: DejaVu Sans (regular and bold), then
/// Droid Sans Fallback for CJK (the same bytes the labels are measured with).
pub use crate::layout::text::{BOLD_FONT, FALLBACK_FAMILY, FALLBACK_FONT, FONT, FONT_FAMILY};

/// Why a chart could not be rasterised.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RasterError(pub String);

/// A PNG image and its size in pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The font database: [`FONT`] only, standing in for every generic family.
fn font_db() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        db.load_font_data(BOLD_FONT.to_vec());
        db.load_font_data(FALLBACK_FONT.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Rasterises `svg` (a chart of `width` × `height` user units whose root has
/// `width="100%"`, painted by its own attributes) at one pixel per unit on
/// white. External images are never loaded.
pub fn rasterize(svg: &str, width: f64, height: f64) -> Result<Png, RasterError> {
    let (w, h) = (width.ceil(), height.ceil());
    if !(w >= 1.0 && h >= 1.0 && w <= 16384.0 && h <= 16384.0) {
        return Err(RasterError(format!("the chart is {width} × {height}")));
    }
    let (w, h) = (w as u32, h as u32);
    // Give the root element the chart's size in place of `width="100%"`.
    let root_end = svg.find('>').unwrap_or(svg.len());
    let sized = match svg[..root_end].find(" width=\"100%\"") {
        Some(at) => format!(
            "{} width=\"{w}\" height=\"{h}\"{}",
            &svg[..at],
            &svg[at + " width=\"100%\"".len()..]
        ),
        None => svg.to_string(),
    };
    let opt = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: font_db(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&sized, &opt).map_err(|e| RasterError(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| RasterError(format!("cannot allocate {w} × {h} pixels")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform =
        tiny_skia::Transform::from_scale(w as f32 / size.width(), h as f32 / size.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let bytes = pixmap
        .encode_png()
        .map_err(|e| RasterError(e.to_string()))?;
    Ok(Png {
        bytes,
        width: w,
        height: h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::{Weight, weighted_width};

    /// The advance width of `text` at 12 px as resvg lays it out for the
    /// PNG (with kerning), and whether every glyph was found in a font.
    fn drawn_width(text: &str, weight: Weight) -> (f64, bool) {
        let escaped = crate::render::theme::escape_html(text);
        let bold = match weight {
            Weight::Bold => " font-weight=\"bold\"",
            Weight::Regular => "",
        };
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2000\" height=\"40\">\
             <text x=\"10\" y=\"30\" font-size=\"12\"{bold}>{escaped}</text></svg>"
        );
        let opt = usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            fontdb: font_db(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&svg, &opt).expect("the test SVG parses");
        let text = tree
            .root()
            .children()
            .iter()
            .find_map(|n| match n {
                usvg::Node::Text(t) => Some(t),
                _ => None,
            })
            .expect("a text node");
        let all_found = text
            .layouted()
            .iter()
            .flat_map(|span| &span.positioned_glyphs)
            .all(|g| g.id.0 != 0);
        (f64::from(text.bounding_box().width()), all_found)
    }

    /// Label widths (layout::text) agree with what the rasteriser draws,
    /// in regular and in bold, within 3 % for ASCII (symbols included), accented Latin (precomposed
    /// and with combining marks), Greek, Cyrillic and CJK, and every one of
    /// those characters is drawn from a font, not as a missing-glyph box.
    /// The old per-class estimate was 28-40 % narrow for `@%#+<`, 32 % wide
    /// for combining accents and drew CJK as boxes (0.6 em each).
    #[test]
    fn label_widths_match_the_rasteriser() {
        let samples = [
            "Payments API v2 (beta) ready",
            "data-migration-complete-eu",
            "@%#+<>&*=~^$",
            "MMMM WWWW iiii llll 0123456789",
            "Thiết kế DB đơn hàng và API",
            "Tie\u{0302}\u{0301}t ke\u{0302}\u{0301} DB đo\u{031B}n ha\u{0300}ng",
            "Équipe Qualité — déploiement à Zürich, Łódź, São Paulo",
            "Ωμέγα ομάδα · Команда Платежи",
            "支付系统迁移完成",
            "決済チームのリリース判定",
            "결제 플랫폼 출시",
            "CN: 数据迁移 (EU) — 완료",
        ];
        for s in samples {
            for weight in [Weight::Regular, Weight::Bold] {
                let (drawn, all_found) = drawn_width(s, weight);
                let measured = weighted_width(s, 12.0, weight);
                assert!(all_found, "{s:?} is drawn with a missing-glyph box");
                let off = (measured - drawn).abs() / drawn;
                assert!(
                    off <= 0.03,
                    "{s:?} ({weight:?}): measured {measured:.1} px, drawn {drawn:.1} px ({:.1} % off)",
                    off * 100.0
                );
            }
        }
        // Bold is drawn from the bold font, wider than regular.
        let (regular, _) = drawn_width("Payments API v2", Weight::Regular);
        let (bold, _) = drawn_width("Payments API v2", Weight::Bold);
        assert!(bold > regular * 1.05, "bold {bold} vs regular {regular}");
    }
}
