//! Text measurement for layout: a deterministic estimate of rendered text
//! width, so labels can be placed without overlapping and without a font
//! engine. Widths are for a sans-serif font (DejaVu Sans / system UI fonts),
//! erring on the wide side.

/// Approximate advance width of `text` at `font_size` pixels.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    let em: f64 = text.chars().map(char_em).sum();
    em * font_size
}

/// Advance of one character in ems (DejaVu Sans-like metrics, rounded up).
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
        'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '[' | ']' | '-' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' => 0.92,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.64,
        c if c.is_ascii() => 0.6,
        // CJK and other wide scripts.
        c if ('\u{1100}'..='\u{115F}').contains(&c)
            || ('\u{2E80}'..='\u{A4CF}').contains(&c)
            || ('\u{AC00}'..='\u{D7A3}').contains(&c)
            || ('\u{F900}'..='\u{FAFF}').contains(&c)
            || ('\u{FF00}'..='\u{FF60}').contains(&c) =>
        {
            1.0
        }
        _ => 0.66,
    }
}

/// `text` cut to fit `max_width` at `font_size`, with an ellipsis when cut.
pub fn truncate_to_width(text: &str, font_size: f64, max_width: f64) -> String {
    if text_width(text, font_size) <= max_width {
        return text.to_string();
    }
    let budget = max_width - text_width("…", font_size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = char_em(c) * font_size;
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

#[cfg(test)]
mod tests {
    use super::*;

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
