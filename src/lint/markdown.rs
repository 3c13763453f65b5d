//! Markdown structure: what a reader would trip over, whoever wrote the
//! template.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use super::{line_of, parser_options};
use crate::diagnostic::{Code, Diagnostic};
use crate::outcome::Document;

/// Structural problems in one rendered document.
pub(super) fn check(document: &Document) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut report = |offset: usize, message: String| {
        let line = line_of(&document.text, offset);
        diagnostics.push(
            Diagnostic::new(
                Code::MarkdownStructure,
                format!("{}, line {line}: {message}", document.path.display()),
            )
            .in_file(&document.case_file)
            .with_id(&document.case_id),
        );
    };
    let mut previous_level: Option<HeadingLevel> = None;
    let mut references: Vec<(String, usize)> = Vec::new();
    let mut definitions: Vec<String> = Vec::new();
    let mut heading_start: Option<usize> = None;
    let mut heading_has_text = false;
    for (event, range) in Parser::new_ext(&document.text, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some(previous) = previous_level
                    && (level as usize) > (previous as usize) + 1
                {
                    report(
                        range.start,
                        format!("heading jumps from {previous} to {level}"),
                    );
                }
                if previous_level.is_none() && level != HeadingLevel::H1 {
                    report(range.start, format!("the first heading is {level}, not h1"));
                }
                previous_level = Some(level);
                heading_start = Some(range.start);
                heading_has_text = false;
            }
            Event::Text(text) if heading_start.is_some() => {
                heading_has_text |= !text.trim().is_empty();
            }
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                if let Some(start) = heading_start.take()
                    && !heading_has_text
                {
                    report(start, "a heading is empty".to_owned());
                }
            }
            Event::FootnoteReference(label) => references.push((label.to_string(), range.start)),
            Event::Start(Tag::FootnoteDefinition(label)) => definitions.push(label.to_string()),
            _ => {}
        }
    }
    for (label, offset) in &references {
        if !definitions.contains(label) {
            report(*offset, format!("footnote [^{label}] has no definition"));
        }
    }
    for label in &definitions {
        if !references.iter().any(|(r, _)| r == label) {
            let offset = document.text.find(&format!("[^{label}]:")).unwrap_or(0);
            report(
                offset,
                format!("footnote [^{label}] is defined but never cited"),
            );
        }
    }
    diagnostics
}
