//! The slip sparkline of a deliverable's page: working days of slip per
//! report as a small inline SVG, written by the streaming writer
//! [`super::xml::Xml`] (which escapes every string). It draws numbers it is given; it computes no schedule fact.

/// A small line chart of working days of slip per report (the plan first, at
/// zero), with a zero line; later is drawn lower, like a slip. Classes only,
/// no inline styles; the page prints the summary next to it, so the chart is
/// hidden from screen readers and shows the summary as its tooltip.
pub fn sparkline(values: &[i64], summary: &str) -> String {
    const W: f64 = 160.0;
    const H: f64 = 36.0;
    const PAD: f64 = 4.0;
    let lo = values.iter().copied().min().unwrap_or(0).min(0);
    let hi = values.iter().copied().max().unwrap_or(0).max(0);
    let span = (hi - lo).max(1) as f64;
    let n = values.len();
    let x = |k: usize| {
        if n <= 1 {
            W / 2.0
        } else {
            PAD + (W - 2.0 * PAD) * k as f64 / (n - 1) as f64
        }
    };
    // Higher slip is lower on the chart.
    let y = |v: i64| PAD + (H - 2.0 * PAD) * (v - lo) as f64 / span;
    // A long series keeps its turning points only (the ends and every value
    // that differs from a neighbour): flat runs draw the same, and the
    // chart stays small after years of reports.
    let keep = |k: usize| {
        n <= 16 || k == 0 || k + 1 == n || values[k] != values[k - 1] || values[k] != values[k + 1]
    };
    let mut doc = super::xml::Xml::with_capacity(512 + 64 * n.min(64));
    doc.open("svg")
        // The summary is printed next to it; the title is the tooltip.
        .attr("aria-hidden", "true")
        .attr("class", "sparkline")
        .num("height", H)
        .view_box(W, H)
        .num("width", W)
        .attr("xmlns", "http://www.w3.org/2000/svg");
    doc.leaf("title", summary);
    doc.open("line")
        .attr("class", "spark-zero")
        .num("x1", PAD)
        .num("x2", W - PAD)
        .num("y1", y(0))
        .num("y2", y(0))
        .close();
    doc.open("polyline")
        .attr("class", "spark-line")
        .attr_with("points", |pts| {
            for (j, (k, &v)) in values
                .iter()
                .enumerate()
                .filter(|&(k, _)| keep(k))
                .enumerate()
            {
                if j > 0 {
                    pts.push(' ');
                }
                super::xml::write_num(pts, x(k));
                pts.push(',');
                super::xml::write_num(pts, y(v));
            }
        })
        .close();
    for (k, &v) in values.iter().enumerate().filter(|&(k, _)| keep(k)) {
        let class = match (k + 1 == n, v > 0) {
            (true, true) => "spark-dot spark-last is-late",
            (true, false) => "spark-dot spark-last",
            (false, true) => "spark-dot is-late",
            (false, false) => "spark-dot",
        };
        doc.open("circle")
            .attr("class", class)
            .num("cx", x(k))
            .num("cy", y(v))
            .attr("r", if k + 1 == n { "3" } else { "2" })
            .close();
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_is_escaped_and_styled_by_classes() {
        let svg = sparkline(&[0, 2, 5, 3], r#"a <b> & "c""#);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(svg.contains("a &lt;b&gt; &amp;"), "{svg}");
        assert!(!svg.contains("<b>") && !svg.contains("style="), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains("spark-dot spark-last is-late"), "{svg}");
        // Later is lower: the 5-day point is at the bottom.
        assert!(svg.contains("points=\"4,4 "), "{svg}");
        assert!(sparkline(&[0, 0], "flat").contains("spark-line"));
    }
}
