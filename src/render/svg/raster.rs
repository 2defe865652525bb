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

/// The font every PNG is drawn with (DejaVu Sans 2.37, see
/// `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// The family name of [`FONT`].
pub const FONT_FAMILY: &str = "DejaVu Sans";

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
