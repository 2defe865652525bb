//! Draws the risk heat map (geometry from [`crate::layout::heatmap`]) as SVG
//! with the streaming writer [`Xml`], and says it in words. Every risk on the map is a
//! link to its entry on the risks page with a `<title>` tooltip; a crowded
//! cell's "+N more" links to the risks page and names the rest. Score bands
//! show as a CSS class (`score-high`, `score-med`, `score-low`), as the score
//! printed in every cell, and in the legend, so colour is never the only cue.
//!
//! This module owns the drawing and the summary prose; it must not place
//! anything (every position and label comes from the layout) or decide a
//! score's band (that is the analysis' rule).

use super::xml::Xml;
use crate::layout::geom::Rect;
use crate::layout::heatmap::{
    Band, HIGH_MIN, HeatmapLayout, MEDIUM_MIN, grid_position, layout_heatmap, max_score_below,
};
use crate::model::{Risk, RiskStatus};
use crate::render::svg::{Chart, open_text, text};

/// The CSS class of a band: `score-high`, `score-med`, `score-low`.
pub fn band_class(b: Band) -> &'static str {
    match b {
        Band::High => "score-high",
        Band::Medium => "score-med",
        Band::Low => "score-low",
    }
}

/// Opens a `<rect>` for `r` (`fill="none"`: the class colours it); the
/// caller closes it.
fn open_rect(x: &mut Xml, r: &Rect, class: &str) {
    x.open("rect")
        .attr("class", class)
        .attr("fill", "none")
        .num("height", r.height())
        .num("width", r.width())
        .num("x", r.left)
        .num("y", r.top);
}

fn status_word(s: RiskStatus) -> &'static str {
    match s {
        RiskStatus::Open => "open",
        RiskStatus::Mitigating => "mitigating",
        RiskStatus::Closed => "closed",
        RiskStatus::Occurred => "occurred",
    }
}

fn risk_tip(r: &Risk) -> String {
    let (p, i, s) = grid_position(r);
    format!(
        "{}: {}\nProbability {p} × impact {i} = score {s} ({}); {}",
        r.id,
        r.title,
        Band::of(s).as_str(),
        status_word(r.status)
    )
}

/// The risk heat map. Risk ids link to `{link_prefix}risks/index.html#risk-<id>`.
pub fn heatmap_chart(risks: &[Risk], link_prefix: &str) -> Chart {
    let l = layout_heatmap(risks);
    let summary = heatmap_summary(risks, &l);
    let risks_page = format!("{link_prefix}risks/index.html");
    let mut x = Xml::with_capacity(4096 + 600 * l.cells.len());
    x.open("svg")
        .attr("class", "heatmap")
        .attr("role", "img")
        .view_box(l.width, l.height)
        .attr("width", "100%")
        .attr("xmlns", "http://www.w3.org/2000/svg");
    x.leaf("title", "Risk heat map: probability by impact");
    x.leaf("desc", &summary);

    x.open("g").attr("class", "heatmap-grid");
    for c in &l.cells {
        x.open("g");
        let mut class = format!("heatmap-cell {}", band_class(c.band));
        if c.risks.is_empty() && c.more.is_none() {
            class.push_str(" heatmap-cell-empty");
        }
        let count = c.risks.len() + c.more.as_ref().map_or(0, |m| m.risks.len());
        let tip = format!(
            "Probability {} × impact {} = score {} ({}): {}",
            c.probability,
            c.impact,
            c.score,
            c.band.as_str(),
            match count {
                0 => "no risks".to_string(),
                1 => "1 risk".to_string(),
                n => format!("{n} risks"),
            }
        );
        open_rect(&mut x, &c.rect, &class);
        x.leaf("title", &tip);
        x.close();
        text(
            &mut x,
            &c.score_label,
            &format!("heatmap-score {}", band_class(c.band)),
        );
        for pr in &c.risks {
            let r = &risks[pr.risk];
            let mut class = "heatmap-risk".to_string();
            if r.status == RiskStatus::Occurred {
                class.push_str(" heatmap-risk-occurred");
            }
            x.open("a").attr_with("href", |h| {
                h.push_str(&risks_page);
                h.push_str("#risk-");
                h.push_str(&r.id);
            });
            open_text(&mut x, &pr.label, &class);
            x.leaf("title", &risk_tip(r));
            x.close();
            x.close();
        }
        if let Some(m) = &c.more {
            let ids: Vec<&str> = m
                .risks
                .iter()
                .take(20)
                .map(|&i| risks[i].id.as_str())
                .collect();
            let rest = if m.risks.len() > 20 {
                format!(" and {} more", m.risks.len() - 20)
            } else {
                String::new()
            };
            x.open("a").attr("href", &risks_page);
            open_text(&mut x, &m.label, "heatmap-more");
            x.leaf("title", &format!("Also here: {}{rest}", ids.join(", ")));
            x.close();
            x.close();
        }
        x.close();
    }
    x.close();

    x.open("g").attr("class", "heatmap-axis");
    for t in l.x_ticks.iter().chain(&l.y_ticks) {
        text(&mut x, t, "heatmap-tick");
    }
    text(&mut x, &l.x_title, "heatmap-axis-title");
    text(&mut x, &l.y_title, "heatmap-axis-title");
    x.close();

    x.open("g").attr("class", "heatmap-legend");
    for item in &l.legend {
        if let Some((band, r)) = &item.swatch {
            open_rect(&mut x, r, &format!("heatmap-cell {}", band_class(*band)));
            x.close();
        }
        text(&mut x, &item.label, "heatmap-legend-label");
    }
    x.close();

    Chart {
        svg: super::xml_chars(x.finish()),
        summary,
        width: l.width,
        height: l.height,
        min_font: crate::layout::heatmap::MIN_FONT,
    }
}

/// The heat map in words, e.g. "7 risks on the map: 1 high (score ≥ 15), 6
/// medium (6–12), none low; highest: schema-migration-overrun (15, occurred).
/// 1 closed risk not shown."
pub fn heatmap_summary(risks: &[Risk], l: &HeatmapLayout) -> String {
    let closed = match l.closed.len() {
        0 => String::new(),
        1 => " 1 closed risk not shown.".to_string(),
        n => format!(" {n} closed risks not shown."),
    };
    if l.shown.is_empty() {
        let head = if risks.is_empty() {
            "No risks recorded."
        } else {
            "No open risks."
        };
        return format!("{head}{closed}");
    }
    let score = |i: usize| grid_position(&risks[i]).2;
    let count = |b: Band| l.shown.iter().filter(|&&i| Band::of(score(i)) == b).count();
    let n = l.shown.len();
    let num_or_none = |k: usize| {
        if k == 0 {
            "none".to_string()
        } else {
            k.to_string()
        }
    };
    let top = l.shown.iter().map(|&i| score(i)).max().unwrap_or(0);
    let mut best: Vec<usize> = l
        .shown
        .iter()
        .copied()
        .filter(|&i| score(i) == top)
        .collect();
    best.sort_by(|&a, &b| risks[a].id.cmp(&risks[b].id));
    let occurred = |i: usize| risks[i].status == RiskStatus::Occurred;
    let highest = match best.as_slice() {
        [one] => format!(
            "{} ({top}{})",
            risks[*one].id,
            if occurred(*one) { ", occurred" } else { "" }
        ),
        _ => {
            let mut names: Vec<String> = best
                .iter()
                .take(3)
                .map(|&i| {
                    let id = &risks[i].id;
                    if occurred(i) {
                        format!("{id} (occurred)")
                    } else {
                        id.clone()
                    }
                })
                .collect();
            if best.len() > 3 {
                names.push(format!("{} more", best.len() - 3));
            }
            let (last, init) = names
                .split_last()
                .map(|(l, i)| (l.clone(), i.join(", ")))
                .unwrap_or_default();
            format!("{init} and {last} ({top})")
        }
    };
    format!(
        "{n} risk{} on the map: {} high (score ≥ {HIGH_MIN}), {} medium ({MEDIUM_MIN}–{}), {} low; highest: {highest}.{closed}",
        if n == 1 { "" } else { "s" },
        num_or_none(count(Band::High)),
        num_or_none(count(Band::Medium)),
        max_score_below(HIGH_MIN),
        num_or_none(count(Band::Low)),
    )
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::heatmap::tests::{assert_clean, crowded, example, now};

    fn renders(svg: &str) {
        usvg::Tree::from_str(svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("{e}: {svg}"));
    }

    #[test]
    fn example_chart_parses_renders_and_links() {
        let a = example();
        let c = heatmap_chart(&now(&a), "../");
        renders(&c.svg);
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("100%"));
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").is_some());
        let kids: Vec<&str> = root
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(&kids[..2], ["title", "desc"]);
        let hrefs: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .collect();
        assert!(hrefs.contains(&"../risks/index.html#risk-contract-churn"));
        assert!(!hrefs.iter().any(|h| h.contains("hsm-provisioning-delay")));
        assert_eq!(hrefs.len(), 7);
        let cells = doc
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.contains("heatmap-cell score-high"))
            })
            .count();
        assert!(cells >= 4, "high cells plus the legend swatch");
        for n in doc.descendants().filter(|n| n.is_element()) {
            for attr in ["stroke", "style"] {
                assert!(n.attribute(attr).is_none(), "no inline colours");
            }
            assert!(n.attribute("fill").is_none_or(|v| v == "none"));
        }
        let tips: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert!(tips.iter().any(
            |t| t.starts_with("contract-churn: Auth API contract changes")
                && t.contains("score 8 (medium)")
        ));
        assert_eq!(
            c.summary,
            "7 risks on the map: 1 high (score ≥ 15), 6 medium (6–12), none low; \
             highest: schema-migration-overrun (15, occurred). 1 closed risk not shown."
        );
        assert_eq!(c, heatmap_chart(&now(&a), "../"), "deterministic");
    }

    #[test]
    fn crowded_cells_say_how_many_in_words() {
        let risks = crowded(&example());
        let c = heatmap_chart(&risks, "");
        renders(&c.svg);
        assert!(
            c.summary.starts_with("48 risks on the map: 40 high"),
            "{}",
            c.summary
        );
        assert!(
            c.summary
                .contains("highest: risk-00, risk-01, risk-02 and 37 more (25)"),
            "{}",
            c.summary
        );
    }

    #[test]
    fn no_risks_and_all_closed() {
        let a = example();
        let mut program = a.program.clone();
        program.risks.clear();
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert_eq!(c.summary, "No risks recorded.");
        assert_clean(&layout_heatmap(&program.risks));

        let mut program = a.program.clone();
        for r in &mut program.risks {
            r.status = RiskStatus::Closed;
        }
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert_eq!(c.summary, "No open risks. 8 closed risks not shown.");
        assert!(!c.svg.contains("#risk-"));
    }

    #[test]
    fn out_of_range_values_and_long_ids_do_not_panic() {
        let a = example();
        let mut program = a.program.clone();
        program.risks[0].probability = 0;
        program.risks[0].impact = 255;
        program.risks[1].probability = 255;
        program.risks[1].impact = 255;
        program.risks[2].id = "x".repeat(500);
        program.risks[2].status = RiskStatus::Open;
        let l = layout_heatmap(&program.risks);
        assert_clean(&l);
        let c = heatmap_chart(&program.risks, "");
        renders(&c.svg);
        assert!(c.summary.contains("(25)"), "{}", c.summary);
    }

    #[test]
    fn hostile_strings_are_escaped() {
        let a = example();
        let mut program = a.program.clone();
        let evil = r#"<b>"Q&A"</b> </text><script>alert(1)</script>"#;
        program.risks[0].title = evil.to_string();
        program.risks[0].id = r#"</text><script>&"'"#.to_string();
        (program.risks[0].probability, program.risks[0].impact) = (5, 5);
        let c = heatmap_chart(&program.risks, r#"x"&<"#);
        assert!(
            !c.svg.contains("<script") && !c.svg.contains("<b>"),
            "{}",
            c.svg
        );
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        assert!(
            doc.descendants()
                .all(|n| !n.has_tag_name("script") && !n.has_tag_name("b"))
        );
        assert!(
            doc.descendants()
                .filter(|n| n.has_tag_name("title"))
                .any(|n| n.text().is_some_and(|t| t.contains(evil)))
        );
        assert!(doc.descendants().any(
            |n| n.attribute("href") == Some(r#"x"&<risks/index.html#risk-</text><script>&"'"#)
        ));
        assert!(
            c.summary.contains("</text><script>"),
            "the summary is plain text; HTML escapes it"
        );
        renders(&c.svg);
    }
}
