//! Checks on rendered documents: what the templates actually produced.
//!
//! Validation proves the case coherent; lint proves each document faithful
//! to it: it covers what its kind must cover, quotes only approved words,
//! carries no internal text if it is public, and is well-formed markdown.
//! A user's own template is held to the same rules as the built-in ones.

mod coverage;
mod leaks;
mod markdown;
mod quotes;

use pulldown_cmark::Options;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::DocumentKind;
use crate::outcome::Document;
use crate::project::View;
use crate::validate::CheckedCase;

/// The markdown extensions candor's documents use, set in one place.
pub fn parser_options() -> Options {
    Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Every check on one rendered document of `case`, rendered from `view`.
pub fn lint(
    document: &Document,
    kind: &DocumentKind,
    case: &CheckedCase<'_>,
    view: &View,
) -> Vec<Diagnostic> {
    let mut diagnostics = if document.path.extension().is_some_and(|e| e == "md") {
        markdown::check(document)
    } else {
        Vec::new()
    };
    if let Some(limit) = kind.max_length {
        let length = document.text.trim_end().chars().count();
        if length > limit {
            diagnostics.push(
                Diagnostic::new(
                    Code::TooLong,
                    format!(
                        "{} is {length} characters long, more than the {limit} allowed",
                        document.path.display()
                    ),
                )
                .in_file(&document.case_file)
                .with_id(&document.case_id)
                .with_help(format!(
                    "shorten the case text the {} template prints, or raise `max_length` for the kind",
                    kind.id.value
                )),
            );
        }
    }
    diagnostics.extend(coverage::check(document, kind, case, view));
    diagnostics.extend(quotes::check(document, view));
    diagnostics.extend(leaks::check(document, case));
    diagnostics
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

/// Text with every run of white space folded to one space, for comparing
/// case text with rendered text.
fn fold_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
