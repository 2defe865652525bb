//! Text measurement for layout: the advance width of a label in the fonts
//! the charts are drawn with, so labels can be placed without overlapping.
//! Widths come from the metrics of the fonts vendored in `assets/fonts/`
//! (DejaVu Sans and DejaVu Sans Bold, then Droid Sans Fallback for Chinese,
//! Japanese and Korean),
//! read with `skrifa` (the font reader resvg already uses): the PNG chart is
//! drawn with exactly these fonts, and DejaVu Sans is wider than the system
//! fonts browsers pick (Segoe UI, San Francisco, Roboto, Arial), so a label
//! that fits here fits there. Kerning is ignored (it only narrows text).
//!
//! This module owns the font bytes (the rasteriser in `render::svg::raster`
//! draws with the same constants); it must not draw or know about charts.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans 2.37, the charts' font (see `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold 2.37, for bold labels (same licence).
pub const BOLD_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name of [`FONT`] and [`BOLD_FONT`].
pub const FONT_FAMILY: &str = "DejaVu Sans";
/// Droid Sans Fallback, for the CJK characters DejaVu Sans does not have
/// (see `assets/fonts/LICENSE-DroidSansFallback.txt`).
pub const FALLBACK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallback.ttf");
/// The family name of [`FALLBACK_FONT`].
pub const FALLBACK_FAMILY: &str = "Droid Sans Fallback";

/// The weight a label is drawn in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Weight {
    #[default]
    Regular,
    Bold,
}

/// Characters below this keep their advance, once looked up, in [`CACHE`].
const CACHE_END: usize = 0x3000;
/// A [`CACHE`] slot not looked up yet (not the bits of any advance).
const UNSET: u32 = u32::MAX;
/// The advances (f32 bits, in ems) of the common scripts' characters per
/// weight, filled as they are first met, so a build pays only for the
/// characters it uses.
static CACHE: [[AtomicU32; CACHE_END]; 2] =
    [const { [const { AtomicU32::new(UNSET) }; CACHE_END] }; 2];

/// One font's character map and advances, and its units per em.
type Face = (Charmap<'static>, GlyphMetrics<'static>, f32);

/// The fonts, per weight: DejaVu Sans of that weight, then the fallback
/// (which has one weight; the rasteriser draws bold CJK with it too).
struct Metrics {
    fonts: [[Face; 2]; 2],
}

impl Metrics {
    fn get() -> &'static Metrics {
        static METRICS: OnceLock<Metrics> = OnceLock::new();
        METRICS.get_or_init(|| {
            let font = |bytes: &'static [u8]| {
                let f = FontRef::new(bytes).expect("a vendored font parses");
                let m = f.glyph_metrics(Size::unscaled(), LocationRef::default());
                let upem = f32::from(
                    f.metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em
                        .max(1),
                );
                (f.charmap(), m, upem)
            };
            Metrics {
                fonts: [
                    [font(FONT), font(FALLBACK_FONT)],
                    [font(BOLD_FONT), font(FALLBACK_FONT)],
                ],
            }
        })
    }

    /// The advance of `c` in ems from the first font that has it. A
    /// character neither font has is measured as a browser draws it from a
    /// system font: an emoji 1.25 em (colour emoji fonts are wider than an
    /// em), an East Asian wide character 1 em, anything else as the
    /// rasteriser's missing-glyph box (0.6 em).
    fn lookup(&self, c: char, weight: Weight) -> f32 {
        for (charmap, metrics, upem) in &self.fonts[weight as usize] {
            if let Some(w) = charmap.map(c).and_then(|g| metrics.advance_width(g)) {
                return w / upem;
            }
        }
        if is_emoji(c) {
            1.25
        } else if is_wide(c) {
            1.0
        } else {
            0.6
        }
    }

    fn em(&self, c: char, weight: Weight) -> f64 {
        let w = match CACHE[weight as usize].get(c as usize) {
            Some(slot) => match slot.load(Ordering::Relaxed) {
                UNSET => {
                    let w = self.lookup(c, weight);
                    slot.store(w.to_bits(), Ordering::Relaxed);
                    w
                }
                bits => f32::from_bits(bits),
            },
            None => self.lookup(c, weight),
        };
        f64::from(w)
    }
}

/// East Asian wide characters (Hangul Jamo, CJK, Hangul syllables, full-width forms).
fn is_wide(c: char) -> bool {
    ('\u{1100}'..='\u{115F}').contains(&c)
        || ('\u{2E80}'..='\u{A4CF}').contains(&c)
        || ('\u{AC00}'..='\u{D7A3}').contains(&c)
        || ('\u{F900}'..='\u{FAFF}').contains(&c)
        || ('\u{FF00}'..='\u{FF60}').contains(&c)
        || ('\u{20000}'..='\u{3FFFD}').contains(&c)
}

/// Emoji and pictographs (the planes' emoji blocks).
fn is_emoji(c: char) -> bool {
    ('\u{1F000}'..='\u{1FAFF}').contains(&c)
}

/// Advance width of `text` at `font_size` pixels in the charts' regular font.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    weighted_width(text, font_size, Weight::Regular)
}

/// Advance width of `text` at `font_size` pixels in `weight`.
pub fn weighted_width(text: &str, font_size: f64, weight: Weight) -> f64 {
    let m = Metrics::get();
    let em: f64 = text.chars().map(|c| m.em(c, weight)).sum();
    em * font_size
}

/// `text` cut to fit `max_width` at `font_size`, with an ellipsis when cut.
pub fn truncate_to_width(text: &str, font_size: f64, max_width: f64) -> String {
    truncate_weighted(text, font_size, max_width, Weight::Regular)
}

/// [`truncate_to_width`] for text drawn in `weight`.
pub fn truncate_weighted(text: &str, font_size: f64, max_width: f64, weight: Weight) -> String {
    if weighted_width(text, font_size, weight) <= max_width {
        return text.to_string();
    }
    let m = Metrics::get();
    let budget = max_width - weighted_width("…", font_size, weight);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = m.em(c, weight) * font_size;
        if w + cw > budget {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Each of `texts` cut to `max_width` like [`truncate_to_width`], except that
/// texts whose cut forms would coincide keep their ends instead ("data-mig…-eu"
/// and "data-mig…-us", not "data-migration-…" twice): the ellipsis moves
/// inwards until the group's labels differ (or the texts do not fit at all).
/// Linear in the number of texts apart from groups of equal cuts.
pub fn unique_truncations(texts: &[&str], font_size: f64, max_width: f64) -> Vec<String> {
    let mut out: Vec<String> = texts
        .iter()
        .map(|t| truncate_to_width(t, font_size, max_width))
        .collect();
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    for (k, label) in out.iter().enumerate() {
        groups.entry(label.clone()).or_default().push(k);
    }
    for (_, group) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
        let longest = group
            .iter()
            .map(|&k| texts[k].chars().count())
            .max()
            .unwrap_or(0);
        // At least three characters of the end, so it reads as a word.
        for tail in 3.min(longest.saturating_sub(1)).max(1)..longest {
            let cut: Vec<String> = group
                .iter()
                .map(|&k| {
                    let chars: Vec<char> = texts[k].chars().collect();
                    if text_width(texts[k], font_size) <= max_width || tail >= chars.len() {
                        return texts[k].to_string();
                    }
                    let end: String = chars[chars.len() - tail..].iter().collect();
                    let head: String = chars[..chars.len() - tail].iter().collect();
                    let room = max_width - text_width(&end, font_size);
                    let mut h = truncate_to_width(&head, font_size, room.max(0.0));
                    if !h.ends_with('…') {
                        h.push('…');
                    }
                    h + &end
                })
                .collect();
            let distinct: std::collections::BTreeSet<&String> = cut.iter().collect();
            if distinct.len() == cut.len() {
                for (&k, c) in group.iter().zip(cut) {
                    out[k] = c;
                }
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncations_that_would_coincide_keep_their_ends() {
        let ids = [
            "data-migration-complete-eu",
            "data-migration-complete-us",
            "launch",
        ];
        let max = text_width("data-migration-com", 11.0);
        let plain: Vec<String> = ids
            .iter()
            .map(|t| truncate_to_width(t, 11.0, max))
            .collect();
        assert_eq!(plain[0], plain[1], "the case this guards against");
        let out = unique_truncations(&ids, 11.0, max);
        assert_ne!(out[0], out[1]);
        assert!(
            out[0].ends_with("-eu") && out[1].ends_with("-us"),
            "{out:?}"
        );
        assert!(out[0].contains('…'));
        assert_eq!(out[2], "launch");
        for o in &out {
            assert!(text_width(o, 11.0) <= max + 1e-9, "{o}");
        }
    }

    #[test]
    fn characters_no_font_has_are_not_measured_narrow() {
        let launch = text_width("Launch", 10.0);
        // An emoji is wider than an em in every colour emoji font.
        assert!(
            (text_width("🚀 Launch", 10.0) - launch - text_width(" ", 10.0) - 12.5).abs() < 1e-9
        );
        // CJK is drawn from the fallback font at one em.
        assert_eq!(text_width("漢字", 10.0), 20.0);
        // Combining marks add nothing to the letter they sit on.
        assert_eq!(text_width("e\u{0301}", 10.0), text_width("e", 10.0));
    }

    #[test]
    fn wider_text_measures_wider_and_truncation_fits() {
        assert!(text_width("WWWW", 12.0) > text_width("iiii", 12.0));
        assert_eq!(text_width("", 12.0), 0.0);
        let t = truncate_to_width("Backend - Thiết kế DB đơn hàng và API", 12.0, 80.0);
        assert!(t.ends_with('…'), "{t}");
        assert!(text_width(&t, 12.0) <= 80.0, "{t}");
        assert_eq!(truncate_to_width("short", 12.0, 200.0), "short");
    }
}
