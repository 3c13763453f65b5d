//! Documents quote only approved words. Every block quote in a document
//! must open with the exact text of one of the case's approved quotes that
//! the document's audience may see; the attribution line after it is free.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{fold_whitespace, line_of};
use crate::diagnostic::{Code, Diagnostic};
use crate::outcome::Document;
use crate::project::View;

/// The block quotes of one rendered document, checked as its markdown
/// events go by.
pub(super) struct Quotes<'d> {
    document: &'d Document,
    view: &'d View<'d>,
    /// The approved quotes, white space folded, once a block quote needs
    /// them.
    approved: Option<Vec<String>>,
    diagnostics: Vec<Diagnostic>,
    depth: usize,
    /// The first line of the current block quote, while it is being read:
    /// its text, where it starts, and whether the line has ended.
    current: Option<(String, usize, bool)>,
}

impl<'d> Quotes<'d> {
    pub(super) fn new(document: &'d Document, view: &'d View<'d>) -> Quotes<'d> {
        Quotes {
            document,
            view,
            approved: None,
            diagnostics: Vec::new(),
            depth: 0,
            current: None,
        }
    }

    pub(super) fn event(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                self.depth += 1;
                if self.depth == 1 {
                    self.current = Some((String::new(), range.start, false));
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0
                    && let Some((text, start, _)) = self.current.take()
                {
                    self.quoted(&text, start);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                if let Some((_, _, done)) = self.current.as_mut() {
                    *done = true;
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((quoted, _, false)) = self.current.as_mut() {
                    quoted.push_str(text);
                }
            }
            _ => {}
        }
    }

    /// Checks the opening line `text` of the block quote at byte `start`.
    fn quoted(&mut self, text: &str, start: usize) {
        let quoted = fold_whitespace(
            text.trim()
                .trim_matches(|c| matches!(c, '“' | '”' | '"' | '‘' | '’' | '«' | '»')),
        );
        if quoted.is_empty() {
            return;
        }
        let view = self.view;
        let approved = self.approved.get_or_insert_with(|| {
            view.quotes
                .iter()
                .map(|q| fold_whitespace(q.text))
                .collect()
        });
        if approved.contains(&quoted) {
            return;
        }
        self.diagnostics.push(
            Diagnostic::new(
                Code::UnapprovedQuote,
                format!(
                    "{}, line {}: quotes words that are not an approved quote: “{}”",
                    self.document.path.display(),
                    line_of(&self.document.text, start),
                    shorten(&quoted)
                ),
            )
            .in_file(&self.document.case_file)
            .with_id(&self.document.case_id)
            .with_help(
                "add the quote, exactly as approved, under `quotes` in the case, \
                 and print it from there",
            ),
        );
    }

    pub(super) fn finish(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
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
