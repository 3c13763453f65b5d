//! HTML: a standalone, print-friendly page per document.
//!
//! The markdown is parsed with pulldown-cmark (options from
//! [`crate::lint::parser_options`]), footnotes get working back-links, and
//! the result is sanitised with ammonia before it is wrapped in the page,
//! so nothing in a case or a template can become active content.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

/// The stylesheet every page carries: readable on screen, clean on paper.
const STYLE: &str = "\
body{margin:0;background:#fff;color:#1b1b1b;font:17px/1.55 Georgia,'Times New Roman',serif}\
main{max-width:42rem;margin:3rem auto;padding:0 1.25rem}\
h1,h2,h3{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.25}\
h1{font-size:1.7rem;margin:0 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .5rem}\
blockquote{margin:1.25rem 0;padding:.25rem 1rem;border-left:3px solid #999;color:#333}\
a{color:#0b57a4}sup{line-height:0}\
.footnotes{margin-top:2.5rem;border-top:1px solid #ccc;font-size:.9rem}\
.footnote{display:flex;gap:.5rem;margin:.5rem 0}.footnote p{margin:0}\
.footnote-label{min-width:1.5rem}\
@media print{body{font-size:11pt}main{margin:0;max-width:none}a{color:inherit}\
.footnote-backref{display:none}h2{break-after:avoid}li,blockquote{break-inside:avoid}}";

/// The document's markdown as a complete HTML page.
pub fn page(markdown: &str) -> String {
    let body = sanitise(&to_html(markdown));
    let title = title_of(markdown);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape_text(&title)
    )
}

/// The document's markdown as sanitised HTML to place inside another page,
/// such as the preview `candor serve` shows.
pub fn fragment(markdown: &str) -> String {
    sanitise(&to_html(markdown))
}

/// The HTML of a page's body, to read what the page shows, as the leak
/// search does. Sanitising removes active content and changes no text a
/// reader sees in pulldown-cmark's own output, which escapes every text it
/// writes; so markdown that holds no raw HTML of its own is not sanitised
/// here, which is most of the cost of a page.
pub fn body_to_read(markdown: &str, holds_raw_html: bool) -> String {
    let body = to_html(markdown);
    if holds_raw_html {
        sanitise(&body)
    } else {
        body
    }
}

/// Markdown to HTML, with footnote references and definitions that link to
/// each other.
fn to_html(markdown: &str) -> String {
    let mut references: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_footnotes = false;
    let mut open_definition: Option<String> = None;
    let mut events = Vec::new();
    for event in Parser::new_ext(markdown, crate::lint::parser_options()) {
        match event {
            Event::FootnoteReference(label) => {
                let count = references.entry(label.to_string()).or_insert(0);
                *count += 1;
                let label = escape_attribute(&label);
                events.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-ref\" id=\"fnref-{label}-{count}\">\
                     <a href=\"#fn-{label}\">{label}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                if !in_footnotes {
                    in_footnotes = true;
                    events.push(Event::Html(CowStr::from("<section class=\"footnotes\">\n")));
                }
                let label = escape_attribute(&label);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"fn-{label}\">\
                     <span class=\"footnote-label\">{label}.</span><div>"
                ))));
                open_definition = Some(label);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(label) = open_definition.take() {
                    events.push(Event::Html(CowStr::from(format!("\u{0}{label}\u{0}"))));
                }
                events.push(Event::Html(CowStr::from("</div></div>\n")));
            }
            other => events.push(other),
        }
    }
    if in_footnotes {
        events.push(Event::Html(CowStr::from("</section>\n")));
    }
    // Back-links go to the first reference, and only where there is one.
    let events = events.into_iter().map(|event| match event {
        Event::Html(html) if html.starts_with('\u{0}') => {
            let label = html.trim_matches('\u{0}');
            if references.contains_key(label) {
                Event::Html(CowStr::from(format!(
                    " <a href=\"#fnref-{label}-1\" class=\"footnote-backref\" \
                     aria-label=\"Back to the reference\">↩</a>"
                )))
            } else {
                Event::Html(CowStr::from(""))
            }
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Removes anything active: scripts, event handlers, `javascript:` links,
/// styles and frames, keeping the document's structure and footnote ids.
fn sanitise(html: &str) -> String {
    // The rules are the same for every page: made once, not per page.
    static RULES: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut rules = ammonia::Builder::default();
        rules
            .add_generic_attributes(["id", "class", "aria-label"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect());
        rules
    });
    RULES.clean(html).to_string()
}

/// The text of the first heading, for the page's title.
fn title_of(markdown: &str) -> String {
    let mut title = String::new();
    let mut in_heading = false;
    for event in Parser::new_ext(markdown, crate::lint::parser_options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(text) | Event::Code(text) if in_heading => title.push_str(&text),
            _ => {}
        }
    }
    title
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_attribute(text: &str) -> String {
    escape_text(text)
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::{Event, Parser, page, sanitise, to_html};
    use crate::lint::normalise;
    use proptest::prelude::*;

    #[test]
    fn footnotes_link_both_ways() {
        let html = page("# T\n\nA claim.[^1]\n\n[^1]: The Guardian, 6 August 2025.\n");
        assert!(html.contains("id=\"fnref-1-1\""), "{html}");
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
        assert!(html.contains("href=\"#fnref-1-1\""), "{html}");
        assert!(html.contains("<title>T</title>"), "{html}");
    }

    #[test]
    fn nothing_active_survives() {
        let html = page(
            "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    /// Markdown made of the pieces whose HTML differs most: emphasis,
    /// links and autolinks, footnotes, tables, code, entities, breaks; a
    /// `<` only in an autolink, so no raw HTML.
    fn markdown_without_html() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("word"),
            Just("É"),
            Just(" "),
            Just("\n"),
            Just("\n\n"),
            Just("# "),
            Just("- "),
            Just("1. "),
            Just("> "),
            Just("*"),
            Just("_"),
            Just("`"),
            Just("~~"),
            Just("\\"),
            Just("[x](https://example.org/a?b=1&c=2)"),
            Just("<https://example.org/a?b=1&c=2>"),
            Just("<someone@example.org>"),
            Just("[y](javascript:alert)"),
            Just("![alt](pic.png)"),
            Just("[^1]"),
            Just("\n\n[^1]: A note."),
            Just("| a | b |\n|---|---|\n| c | d |\n"),
            Just("    code\n"),
            Just("&amp;"),
            Just("&#73;"),
            Just("&nbsp;"),
            Just("&"),
            Just("\""),
            Just("'"),
            Just(">"),
            Just("\u{a0}"),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn sanitising_html_without_raw_html_changes_no_text_a_reader_sees(
            markdown in markdown_without_html()
        ) {
            // As the leak search decides it: by what the parser found.
            let raw_html = Parser::new_ext(&markdown, crate::lint::parser_options())
                .any(|event| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
            prop_assume!(!raw_html);
            let html = to_html(&markdown);
            prop_assert_eq!(normalise(&sanitise(&html)), normalise(&html));
        }
    }
}
