//! Markdown to safe HTML.
//!
//! CommonMark plus tables, footnotes, task lists and strikethrough, with ids on
//! headings. Raw HTML in the source is escaped and shown as text, never
//! rendered; link and image URLs keep only http, https, mailto and relative
//! targets (anything else becomes `#`). The output is therefore safe to embed
//! without further escaping. Text between `<!-- internal -->` and
//! `<!-- /internal -->` is the author's private notes: it is left out
//! ([`split_internal`]), and `site::guards` checks that none of it leaked.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a link or image URL may appear in the output.
pub fn is_safe_url(url: &str) -> bool {
    let u: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match u.find(':') {
        None => true,
        Some(colon) => {
            // A colon after the first `/`, `?` or `#` is part of a relative path.
            let first_sep = u.find(['/', '?', '#']).unwrap_or(usize::MAX);
            if first_sep < colon {
                return true;
            }
            let scheme = &u[..colon];
            matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

/// A heading id: lowercase words joined by `-`, unique within the document.
fn slug(text: &str, used: &mut HashMap<String, usize>) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !s.ends_with('-') && !s.is_empty()
        {
            s.push('-');
        }
    }
    let base = s.trim_end_matches('-').to_string();
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{}", *n - 1)
    }
}

/// Which marker an HTML comment at `text[at..]` is: `Some((true, len))` for
/// `<!-- internal -->`, `Some((false, len))` for `<!-- /internal -->` (any case,
/// any spacing inside the comment); `len` is the comment's length in bytes.
/// Only the first 64 bytes after `<!--` are looked at, so every call is O(1).
fn internal_marker(text: &str, at: usize) -> Option<(bool, usize)> {
    let rest = text[at..].strip_prefix("<!--")?.as_bytes();
    let window = &rest[..rest.len().min(64)];
    let close = window.windows(3).position(|w| w == b"-->")?;
    let inner = std::str::from_utf8(&window[..close]).ok()?.trim();
    let (opens, word) = match inner.strip_prefix('/') {
        Some(w) => (false, w.trim_start()),
        None => (true, inner),
    };
    word.eq_ignore_ascii_case("internal")
        .then_some((opens, 4 + close + 3))
}

/// Splits Markdown into the published text and the internal parts: everything
/// from a `<!-- internal -->` marker to the next `<!-- /internal -->` (markers
/// included) is internal; an unclosed marker makes the rest of the text
/// internal. A removed part that spanned lines leaves a line break, so the
/// blocks around it stay apart. Linear in the length of the text.
pub fn split_internal(md: &str) -> (std::borrow::Cow<'_, str>, Vec<&str>) {
    if !md.contains("<!--") {
        return (md.into(), Vec::new());
    }
    let mut public = String::with_capacity(md.len());
    let mut internal = Vec::new();
    let mut kept_from = 0usize; // start of the public text not yet copied
    let mut open: Option<(usize, usize)> = None; // (marker start, text start)
    let mut search = 0usize;
    while let Some(found) = md[search..].find("<!--") {
        let at = search + found;
        match internal_marker(md, at) {
            Some((true, len)) if open.is_none() => {
                public.push_str(&md[kept_from..at]);
                open = Some((at, at + len));
                search = at + len;
            }
            Some((false, len)) if open.is_some() => {
                let (start, text_start) = open.take().unwrap_or_default();
                internal.push(&md[text_start..at]);
                if md[start..at + len].contains('\n') {
                    public.push('\n');
                }
                kept_from = at + len;
                search = kept_from;
            }
            _ => search = at + 4,
        }
    }
    match open {
        Some((_, text_start)) => internal.push(&md[text_start..]),
        None => public.push_str(&md[kept_from..]),
    }
    (public.into(), internal)
}

/// Renders Markdown to safe HTML. Internal parts (see [`split_internal`]) are
/// left out.
pub fn to_html(md: &str) -> String {
    let (public, _) = split_internal(md);
    render(&public)
}

/// Renders Markdown (internal parts included) to safe HTML.
pub fn render(md: &str) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut used = HashMap::new();
    let mut heading_start: Option<usize> = None;
    // Tables: cells get classes instead of inline styles (the CSP forbids
    // them), and header cells get `scope="col"`.
    let mut aligns: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut col = 0usize;
    for ev in Parser::new_ext(md, options()) {
        let ev = match ev {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Table(a)) => {
                aligns = a;
                // In a box of its own that scrolls sideways on a narrow
                // screen, never the page.
                Event::Html("<div class=\"table-wrap\"><table>".into())
            }
            Event::End(TagEnd::Table) => Event::Html("</tbody></table></div>\n".into()),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                col = 0;
                Event::Html("<thead><tr>".into())
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                Event::Html("</tr></thead><tbody>\n".into())
            }
            Event::Start(Tag::TableRow) => {
                col = 0;
                Event::Html("<tr>".into())
            }
            Event::End(TagEnd::TableRow) => Event::Html("</tr>\n".into()),
            Event::Start(Tag::TableCell) => {
                let class = match aligns.get(col) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                col += 1;
                let tag = if in_head {
                    format!("<th scope=\"col\"{class}>")
                } else {
                    format!("<td{class}>")
                };
                Event::Html(tag.into())
            }
            Event::End(TagEnd::TableCell) => {
                Event::Html(if in_head { "</th>" } else { "</td>" }.into())
            }
            Event::TaskListMarker(done) => Event::Html(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"not done\"> "
                }
                .into(),
            ),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe(dest_url),
                title,
                id,
            }),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading_start = Some(events.len());
                // Author-given `{#id}` attributes are kept only when they are plain slugs.
                let id = id.filter(|i| {
                    i.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                });
                Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes: Vec::new(),
                    attrs: {
                        let _ = (classes, attrs);
                        Vec::new()
                    },
                })
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let text: String = events[start + 1..]
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        let new_id = match id.take() {
                            Some(given) => {
                                used.entry(given.to_string()).or_insert(1);
                                given
                            }
                            None => CowStr::from(slug(&text, &mut used)),
                        };
                        *id = Some(new_id);
                    }
                }
                Event::End(TagEnd::Heading(demote(level)))
            }
            other => other,
        };
        events.push(ev);
    }
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Headings inside a page start at `<h2>`: the page owns its `<h1>`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

fn safe(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) {
        url
    } else {
        CowStr::from("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = to_html("Hello <script>alert(1)</script>\n\n<div onclick=x>hi</div>\n");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<div"), "{out}");
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
    }

    #[test]
    fn only_safe_url_schemes_survive() {
        let out = to_html(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](data:text/html,x) ![i](vbscript:x) [d](https://ok.example/) [e](mailto:a@b.c) [f](../rel/x.html) [g](#anchor) [h](java\tscript:x)",
        );
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(!out.contains("vbscript"), "{out}");
        for ok in [
            "https://ok.example/",
            "mailto:a@b.c",
            "../rel/x.html",
            "#anchor",
        ] {
            assert!(out.contains(&format!("href=\"{ok}\"")), "{ok} in {out}");
        }
        assert!(is_safe_url("docs/a:b"));
        assert!(!is_safe_url(" javascript:x"));
    }

    #[test]
    fn gfm_extensions_and_heading_ids() {
        let out = to_html(
            "# Highlights\n\n## Next two weeks\n\n## Highlights\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\nText[^1]\n\n[^1]: A note.\n",
        );
        assert!(
            out.contains("<h2 id=\"highlights\">Highlights</h2>"),
            "{out}"
        );
        assert!(out.contains("<h2 id=\"next-two-weeks\">"), "{out}");
        assert!(out.contains("<h2 id=\"highlights-1\">"), "{out}");
        assert!(
            out.contains("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">a</th>"),
            "{out}"
        );
        assert!(out.contains("<td>1</td>"), "{out}");
        assert!(
            out.contains("type=\"checkbox\" disabled checked aria-label=\"done\""),
            "{out}"
        );
        assert!(out.contains("footnote-definition"), "{out}");
    }

    #[test]
    fn aligned_table_cells_use_classes_not_inline_styles() {
        let out = to_html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(!out.contains("style="), "{out}");
        assert!(out.contains("<th scope=\"col\" class=\"align-left\">a</th><th scope=\"col\" class=\"align-right\">b</th>"), "{out}");
        assert!(out.contains("<td class=\"align-right\">2</td>"), "{out}");
        let doc = scraper::Html::parse_fragment(&out);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    }

    #[test]
    fn internal_parts_are_left_out() {
        let md = "Public one.\n\n<!-- internal -->\nSecret **plan**.\n<!-- /internal -->\n\nPublic two <!--INTERNAL-->inline secret<!-- / internal --> end.\n\n<!-- a comment -->\n";
        let (public, internal) = split_internal(md);
        assert_eq!(internal, ["\nSecret **plan**.\n", "inline secret"]);
        assert!(!public.contains("ecret"), "{public}");
        let out = to_html(md);
        assert!(out.contains("<p>Public one.</p>"), "{out}");
        assert!(out.contains("Public two  end."), "{out}");
        assert!(!out.contains("ecret") && !out.contains("internal"), "{out}");
        assert!(out.contains("&lt;!-- a comment --&gt;"), "{out}");
        // An unclosed marker hides the rest; a stray closing marker is shown.
        let (public, internal) = split_internal("a\n<!-- internal -->\nb\n");
        assert_eq!((public.as_ref(), internal), ("a\n", vec!["\nb\n"]));
        let (public, internal) = split_internal("a <!-- /internal --> <!-- -->");
        assert_eq!(public, "a <!-- /internal --> <!-- -->");
        assert!(internal.is_empty());
        assert_eq!(split_internal("<!--").0, "<!--");
    }

    #[test]
    fn attribute_breaks_in_urls_and_titles_are_escaped() {
        let out = to_html("[x](https://a.example/\"onmouseover=alert(1) \"t\\\"itle\")");
        assert!(!out.contains("\"onmouseover"), "{out}");
    }
}
