//! Documents quote only approved words. Every block quote in a document
//! must open with the exact text of one of the case's approved quotes that
//! the document's audience may see; the attribution line after it is free.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{fold_whitespace, line_of, parser_options};
use crate::diagnostic::{Code, Diagnostic};
use crate::outcome::Document;
use crate::project::View;

pub(super) fn check(document: &Document, view: &View) -> Vec<Diagnostic> {
    let approved: Vec<String> = view
        .quotes
        .iter()
        .map(|q| fold_whitespace(&q.text))
        .collect();
    let mut diagnostics = Vec::new();
    let mut depth = 0usize;
    // The first line of the current block quote, while it is being read.
    let mut current: Option<(String, usize, bool)> = None;
    for (event, range) in Parser::new_ext(&document.text, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                depth += 1;
                if depth == 1 {
                    current = Some((String::new(), range.start, false));
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((text, start, _)) = current.take()
                {
                    let quoted =
                        fold_whitespace(text.trim().trim_matches(|c| {
                            matches!(c, '“' | '”' | '"' | '‘' | '’' | '«' | '»')
                        }));
                    if !quoted.is_empty() && !approved.contains(&quoted) {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::UnapprovedQuote,
                                format!(
                                    "{}, line {}: quotes words that are not an approved quote: “{}”",
                                    document.path.display(),
                                    line_of(&document.text, start),
                                    shorten(&quoted)
                                ),
                            )
                            .in_file(&document.case_file)
                            .with_id(&document.case_id)
                            .with_help(
                                "add the quote, exactly as approved, under `quotes` in the case, \
                                 and print it from there",
                            ),
                        );
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                if let Some((_, _, done)) = current.as_mut() {
                    *done = true;
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((quoted, _, false)) = current.as_mut() {
                    quoted.push_str(&text);
                }
            }
            _ => {}
        }
    }
    diagnostics
}

fn shorten(text: &str) -> String {
    let mut words = text.split_whitespace();
    let first: Vec<&str> = words.by_ref().take(12).collect();
    let mut short = first.join(" ");
    if words.next().is_some() {
        short.push('…');
    }
    short
}
