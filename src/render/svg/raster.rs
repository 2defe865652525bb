//! Rasterising a chart's SVG to PNG (for e-mail, where mail clients drop
//! SVG): resvg draws the very `<svg>` a page shows, at one pixel per user
//! unit on white. The SVG is styled by CSS classes, so a theme's stylesheet
//! is handed to usvg, reduced to what usvg's CSS engine understands (see
//! [`raster_stylesheet`]), and text is drawn with the one font embedded in
//! the binary (DejaVu Sans, `assets/fonts/`) and never a system font: the same
//! chart gives the same pixels on every machine. External images are never
//! loaded.
//!
//! This module owns the SVG libraries' part of the e-mail; it must not build
//! messages or choose which chart to send (that is `render::email`).

use std::fmt::Write as _;
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

/// A negated simple selector of the theme CSS, which usvg's CSS engine
/// (simplecss) cannot match: `:not(.class)` or `:not([attribute])`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Negation {
    Class(String),
    Attr(String),
}

impl Negation {
    /// The class that [`mark_negations`] gives every element the negation matches.
    pub fn marker(&self) -> String {
        match self {
            Negation::Class(c) => format!("tpm-not-{c}"),
            Negation::Attr(a) => format!("tpm-no-{a}"),
        }
    }

    fn parse(inner: &str) -> Option<Negation> {
        let ident = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if let Some(c) = inner.strip_prefix('.').filter(|c| ident(c)) {
            Some(Negation::Class(c.to_string()))
        } else {
            inner
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .filter(|a| ident(a))
                .map(|a| Negation::Attr(a.to_string()))
        }
    }
}

/// The Gantt rules of `charts.css` reduced to what usvg's CSS engine
/// understands: only the `/* gantt:begin */` … `/* gantt:end */` block, no
/// `@media` blocks (the PNG is the light, screen version), every
/// `var(--x, fallback)` replaced by its fallback, no selectors that need
/// interaction (`:hover`, `:focus`, ...), and `:not(.c)` / `:not([a])`
/// rewritten to a marker class (see [`mark_negations`]). Returns the
/// stylesheet and the negations it uses.
pub fn raster_stylesheet(css: &str) -> (String, Vec<Negation>) {
    let block = match (css.find("/* gantt:begin */"), css.find("/* gantt:end */")) {
        (Some(a), Some(b)) if a < b => &css[a..b],
        _ => css,
    };
    let block = strip_comments(block);
    let mut out = String::new();
    let mut negations: Vec<Negation> = Vec::new();
    let mut rest = block.as_str();
    while let Some(open) = rest.find('{') {
        let prelude = rest[..open].trim();
        let Some(close) = matching_brace(rest, open) else {
            break;
        };
        let body = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if prelude.starts_with('@') {
            continue;
        }
        let decls = resolve_vars(body);
        if decls.is_empty() {
            continue;
        }
        let selectors: Vec<String> = prelude
            .split(',')
            .filter_map(|sel| rewrite_selector(sel.trim(), &mut negations))
            .collect();
        if !selectors.is_empty() {
            let _ = writeln!(out, "{} {{ {decls} }}", selectors.join(", "));
        }
    }
    (out, negations)
}

/// `sel` with each `:not(...)` replaced by its marker class; `None` when it
/// keeps another pseudo-class or negates something else.
fn rewrite_selector(sel: &str, negations: &mut Vec<Negation>) -> Option<String> {
    let mut out = String::new();
    let mut rest = sel;
    while let Some(at) = rest.find(":not(") {
        let close = at + rest[at..].find(')')?;
        let neg = Negation::parse(&rest[at + 5..close])?;
        out.push_str(&rest[..at]);
        out.push('.');
        out.push_str(&neg.marker());
        if !negations.contains(&neg) {
            negations.push(neg);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (!out.is_empty() && !out.contains(':')).then_some(out)
}

/// `svg` with the marker class of every negation added to each start tag the
/// negation matches (a tag without that class, or without that attribute),
/// so the rewritten selectors of [`raster_stylesheet`] match what the
/// original `:not()` selectors match. Text, comments and end tags are copied
/// unchanged.
pub fn mark_negations(svg: &str, negations: &[Negation]) -> String {
    if negations.is_empty() {
        return svg.to_string();
    }
    let mut out = String::with_capacity(svg.len() + svg.len() / 4);
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let verbatim_until = if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(rest.len(), |e| e + 3))
        } else if rest.starts_with("<![CDATA[") {
            Some(rest.find("]]>").map_or(rest.len(), |e| e + 3))
        } else if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            Some(rest.find('>').map_or(rest.len(), |e| e + 1))
        } else {
            None
        };
        if let Some(end) = verbatim_until {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let mut quote = None;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            break;
        };
        out.push_str(&mark_tag(&rest[..=end], negations));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// One start tag (`<name a="v" ...>` or `.../>`) with the marker classes added.
fn mark_tag(tag: &str, negations: &[Negation]) -> String {
    let closing = if tag.ends_with("/>") { "/>" } else { ">" };
    let inner = &tag[1..tag.len() - closing.len()];
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let (name, mut rest) = inner.split_at(name_end);
    let mut attrs: Vec<(&str, char, &str)> = Vec::new();
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            return tag.to_string();
        };
        let Some(len) = after[1..].find(q) else {
            return tag.to_string();
        };
        attrs.push((key, q, &after[1..1 + len]));
        rest = &after[len + 2..];
    }
    if !rest.trim().is_empty() {
        return tag.to_string();
    }
    let classes: Vec<&str> = attrs
        .iter()
        .find(|a| a.0 == "class")
        .map(|a| a.2.split_whitespace().collect())
        .unwrap_or_default();
    let extra: Vec<String> = negations
        .iter()
        .filter(|n| match n {
            Negation::Class(c) => !classes.contains(&c.as_str()),
            Negation::Attr(a) => !attrs.iter().any(|x| x.0 == a),
        })
        .map(Negation::marker)
        .collect();
    if extra.is_empty() {
        return tag.to_string();
    }
    let mut out = format!("<{name}");
    let mut had_class = false;
    for (key, q, value) in &attrs {
        if *key == "class" {
            had_class = true;
            let _ = write!(out, " class={q}{value} {}{q}", extra.join(" "));
        } else {
            let _ = write!(out, " {key}={q}{value}{q}");
        }
    }
    if !had_class {
        let _ = write!(out, " class=\"{}\"", extra.join(" "));
    }
    out.push_str(closing);
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(a) = rest.find("/*") {
        out.push_str(&rest[..a]);
        match rest[a + 2..].find("*/") {
            Some(b) => rest = &rest[a + 2 + b + 2..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The index of the `}` closing the `{` at `open`.
fn matching_brace(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Declarations with `var(--x, fallback)` replaced by the fallback; a
/// declaration using `var()` without a fallback is dropped.
fn resolve_vars(body: &str) -> String {
    let mut out = Vec::new();
    for decl in body.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut d = decl.to_string();
        let mut ok = true;
        while let Some(at) = d.find("var(") {
            let open = at + 3;
            let mut depth = 0usize;
            let mut close = None;
            for (i, c) in d[open..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = Some(open + i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let Some(close) = close else {
                ok = false;
                break;
            };
            let inner = &d[open + 1..close];
            let Some((_, fallback)) = inner.split_once(',') else {
                ok = false;
                break;
            };
            d = format!("{}{}{}", &d[..at], fallback.trim(), &d[close + 1..]);
        }
        if ok {
            out.push(d);
        }
    }
    if out.is_empty() {
        String::new()
    } else {
        format!("{};", out.join("; "))
    }
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
/// `width="100%"`) at one pixel per unit on white, styled by the Gantt block
/// of `css` (see [`raster_stylesheet`]). External images are never loaded.
pub fn rasterize(svg: &str, width: f64, height: f64, css: &str) -> Result<Png, RasterError> {
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
    let (stylesheet, negations) = raster_stylesheet(css);
    let sized = mark_negations(&sized, &negations);
    let opt = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: font_db(),
        style_sheet: Some(stylesheet),
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

    #[test]
    fn stylesheet_keeps_what_usvg_understands() {
        let css = "x { color: red }\n/* gantt:begin */\n/* c */\n.gantt text { fill: var(--text, #1b1f24); }\n\
                   .gantt .a:hover .b { fill: red; }\n.gantt .s:not([fill]) { fill: var(--b, #afb8c1); }\n\
                   .gantt .c .bar:not(.sw) { stroke-width: 2.5; }\n\
                   .gantt .p, .gantt .q:focus { stroke: #000; stroke-width: 2; }\n\
                   @media (prefers-color-scheme: dark) { .gantt .p { stroke: #fff; } }\n/* gantt:end */";
        let (out, negs) = raster_stylesheet(css);
        assert_eq!(
            out,
            ".gantt text { fill: #1b1f24; }\n\
             .gantt .s.tpm-no-fill { fill: #afb8c1; }\n\
             .gantt .c .bar.tpm-not-sw { stroke-width: 2.5; }\n\
             .gantt .p { stroke: #000; stroke-width: 2; }\n"
        );
        assert_eq!(
            negs,
            vec![Negation::Attr("fill".into()), Negation::Class("sw".into())]
        );
        let svg = r##"<svg class="chart"><!-- <a> --><rect class="s" fill="#3b82f6"/><rect class="s"/><g><text>a &lt; b</text></g><rect class='bar sw'/></svg>"##;
        assert_eq!(
            mark_negations(svg, &negs),
            r##"<svg class="chart tpm-no-fill tpm-not-sw"><!-- <a> --><rect class="s tpm-not-sw" fill="#3b82f6"/><rect class="s tpm-no-fill tpm-not-sw"/><g class="tpm-no-fill tpm-not-sw"><text class="tpm-no-fill tpm-not-sw">a &lt; b</text></g><rect class='bar sw tpm-no-fill'/></svg>"##
        );
    }
}
