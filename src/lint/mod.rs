//! Checks on rendered documents: what the templates actually produced.
//!
//! Validation proves the case coherent; lint proves each document faithful
//! to it: it covers what its kind must cover, quotes only approved words,
//! carries no internal text if it is public, and is well-formed markdown.
//! A user's own template is held to the same rules as the built-in ones.

mod coverage;
mod leaks;
#[cfg(test)]
pub(crate) use leaks::normalise;
mod markdown;
mod quotes;

use std::cell::OnceCell;

use pulldown_cmark::{Event, Options, Parser};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Audience, DocumentKind};
use crate::outcome::Document;
use crate::project::View;
use crate::validate::CheckedCase;

/// The markdown extensions candor's documents use, set in one place.
pub fn parser_options() -> Options {
    Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// What lint prepares once for one case and uses for each of its
/// documents: the search for its internal texts, built at its first public
/// document.
pub struct CaseLint<'c> {
    case: &'c CheckedCase<'c>,
    leaks: OnceCell<leaks::Search<'c>>,
}

impl<'c> CaseLint<'c> {
    /// Nothing is built until a document needs it.
    pub fn new(case: &'c CheckedCase<'c>) -> CaseLint<'c> {
        CaseLint {
            case,
            leaks: OnceCell::new(),
        }
    }
}

/// Every check on one rendered document of the case, rendered from `view`.
/// The document is parsed once; the structure and quote checks read the
/// same events.
pub fn lint(
    document: &Document,
    kind: &DocumentKind,
    prepared: &CaseLint<'_>,
    view: &View,
) -> Vec<Diagnostic> {
    let case = prepared.case;
    let mut structure = document
        .path
        .extension()
        .is_some_and(|e| e == "md")
        .then(|| markdown::Structure::new(document));
    let mut quotes = quotes::Quotes::new(document, view);
    let mut holds_raw_html = false;
    for (event, range) in Parser::new_ext(&document.text, parser_options()).into_offset_iter() {
        holds_raw_html |= matches!(event, Event::Html(_) | Event::InlineHtml(_));
        if let Some(structure) = structure.as_mut() {
            structure.event(&event, &range);
        }
        quotes.event(&event, &range);
    }
    let mut diagnostics = structure
        .map(markdown::Structure::finish)
        .unwrap_or_default();
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
    diagnostics.extend(quotes.finish());
    if document.audience == Audience::Public {
        let search = prepared.leaks.get_or_init(|| leaks::Search::new(case));
        diagnostics.extend(search.check(document, case, holds_raw_html));
    }
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
    let mut folded = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}
