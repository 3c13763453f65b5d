//! Markdown structure: what a reader would trip over, whoever wrote the
//! template.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::line_of;
use crate::diagnostic::{Code, Diagnostic};
use crate::outcome::Document;

/// Structural problems in one rendered document, found as its markdown
/// events go by.
pub(super) struct Structure<'d> {
    document: &'d Document,
    diagnostics: Vec<Diagnostic>,
    previous_level: Option<HeadingLevel>,
    references: Vec<(String, usize)>,
    definitions: Vec<String>,
    heading_start: Option<usize>,
    heading_has_text: bool,
}

impl<'d> Structure<'d> {
    pub(super) fn new(document: &'d Document) -> Structure<'d> {
        Structure {
            document,
            diagnostics: Vec::new(),
            previous_level: None,
            references: Vec::new(),
            definitions: Vec::new(),
            heading_start: None,
            heading_has_text: false,
        }
    }

    fn report(&mut self, offset: usize, message: String) {
        let line = line_of(&self.document.text, offset);
        self.diagnostics.push(
            Diagnostic::new(
                Code::MarkdownStructure,
                format!("{}, line {line}: {message}", self.document.path.display()),
            )
            .in_file(&self.document.case_file)
            .with_id(&self.document.case_id),
        );
    }

    pub(super) fn event(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                if let Some(previous) = self.previous_level
                    && (level as usize) > (previous as usize) + 1
                {
                    self.report(
                        range.start,
                        format!("heading jumps from {previous} to {level}"),
                    );
                }
                if self.previous_level.is_none() && level != HeadingLevel::H1 {
                    self.report(range.start, format!("the first heading is {level}, not h1"));
                }
                self.previous_level = Some(level);
                self.heading_start = Some(range.start);
                self.heading_has_text = false;
            }
            Event::Text(text) if self.heading_start.is_some() => {
                self.heading_has_text |= !text.trim().is_empty();
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = self.heading_start.take()
                    && !self.heading_has_text
                {
                    self.report(start, "a heading is empty".to_owned());
                }
            }
            Event::FootnoteReference(label) => {
                self.references.push((label.to_string(), range.start));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.definitions.push(label.to_string());
            }
            _ => {}
        }
    }

    /// What was found, once every event has gone by.
    pub(super) fn finish(mut self) -> Vec<Diagnostic> {
        let references = std::mem::take(&mut self.references);
        let definitions = std::mem::take(&mut self.definitions);
        for (label, offset) in &references {
            if !definitions.contains(label) {
                self.report(*offset, format!("footnote [^{label}] has no definition"));
            }
        }
        for label in &definitions {
            if !references.iter().any(|(r, _)| r == label) {
                let offset = self
                    .document
                    .text
                    .find(&format!("[^{label}]:"))
                    .unwrap_or(0);
                self.report(
                    offset,
                    format!("footnote [^{label}] is defined but never cited"),
                );
            }
        }
        self.diagnostics
    }
}
