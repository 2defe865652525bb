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
    fn wider_text_measures_wider_and_truncation_fits() {
        assert!(text_width("WWWW", 12.0) > text_width("iiii", 12.0));
        assert_eq!(text_width("", 12.0), 0.0);
        let t = truncate_to_width("Backend - Thiết kế DB đơn hàng và API", 12.0, 80.0);
        assert!(t.ends_with('…'), "{t}");
        assert!(text_width(&t, 12.0) <= 80.0, "{t}");
        assert_eq!(truncate_to_width("short", 12.0, 200.0), "short");
    }
}
