//! candor turns one structured case file into every document that explains
//! a decision: a memo to employees, a public statement, and more, all citing
//! the same principles, findings and actions in the same words.
//!
//! The library holds every rule and never prints. Data flows one way:
//!
//! ```text
//! load → validate → project (per audience) → render → lint → write
//! ```
//!
//! [`check`], [`build`] and [`render_one`] run that pipeline; [`write`]
//! puts a build's documents on disk. [`build_incremental`] renders only what
//! changed since the last build's [`manifest`], and [`write_build`] writes
//! it; [`build_streaming`] does the same writing each case's documents as
//! it finishes, into a staging folder [`write_build`] moves into place. Cases are loaded, checked and rendered in parallel; the outcome is
//! the same, byte for byte, as doing them one after the other.
//!
//! [`diff_against`] renders a case as it is and as it was at a git
//! revision ([`history`]) and compares each document word by word
//! ([`redline`]).

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod approval;
mod atomic;
pub mod calendar;
pub mod confine;
pub mod diagnostic;
pub mod diff;
mod error;
pub mod history;
pub mod incremental;
pub mod lint;
pub mod load;
pub mod manifest;
mod manifest_index;
pub mod model;
mod open_folder;
mod outcome;
mod pipeline;
pub mod project;
pub mod redline;
pub mod render;
pub mod scaffold;
pub mod schema;
mod sign_off;
pub mod signing;
mod spill;
pub mod stat_cache;
mod template_sources;
pub mod trace;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};

pub use diagnostic::{Code, Diagnostic, Severity};
pub use diff::{
    DiffOutcome, DocumentDiff, DocumentStatus, SignOff, diff_against, diff_since_approval,
    diff_with_files, word_redlines,
};
pub use error::Error;
pub use incremental::{Build, Progress, Stage, build_fresh, build_incremental, build_streaming};
pub use load::{Limits, Repository};
pub use outcome::{Document, HeldBack, Options, Outcome, Review};
pub use scaffold::new_case;
pub use sign_off::{Approved, Signer, approve};
pub use template_sources::{TemplateSource, eject_template, templates};
pub use validate::policy_digest;
pub use write::{Drift, WriteSummary, compare, write, write_build};

use std::collections::BTreeSet;

use pipeline::{Rendering, run, with_html_pages, with_word_documents};

/// Validates the repository `paths` point into and renders every document
/// in memory, reporting everything found. Writes nothing.
pub fn check(paths: &[PathBuf], options: Options) -> Result<Outcome, Error> {
    build(paths, options)
}

/// Like [`check`], but keeps no document: each is counted and dropped as
/// its case finishes, so that memory is bounded by the cases in flight,
/// not by the repository. The outcome holds every diagnostic and no
/// document; the tally says how many cases and documents there were
/// (markdown documents: no page or Word document is made).
pub fn check_and_count(paths: &[PathBuf], options: Options) -> Result<(Outcome, Tally), Error> {
    let repository = load::open(paths, options.limits)?;
    let tally = std::sync::Mutex::new(Tally::default());
    let count = |finished: pipeline::Finished| {
        let documents = finished.documents.len();
        if documents > 0
            && let Ok(mut tally) = tally.lock()
        {
            tally.cases += 1;
            tally.documents += documents;
        }
    };
    let run = pipeline::run_with(
        &repository,
        pipeline::Scope {
            only: None,
            skip: &BTreeSet::new(),
            kinds: &std::collections::BTreeMap::new(),
            progress: &|_| {},
            rendering: Rendering::of(options),
            sink: Some(&count),
        },
    );
    let tally = tally.into_inner().unwrap_or_default();
    Ok((run.outcome, tally))
}

/// How many cases had documents rendered, and how many documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases with at least one document.
    pub cases: usize,
    /// Documents.
    pub documents: usize,
}

/// Renders every case × document kind of the repository `paths` point into.
/// When anything is wrong the outcome holds the diagnostics and no
/// documents.
pub fn build(paths: &[PathBuf], options: Options) -> Result<Outcome, Error> {
    let repository = load::open(paths, options.limits)?;
    let mut outcome = run(&repository, None, Rendering::of(options)).0;
    if options.html {
        outcome.documents = with_html_pages(outcome.documents);
    }
    if options.docx {
        outcome.documents = with_word_documents(outcome.documents);
    }
    Ok(outcome)
}

/// Renders one document of one case. `case` is a case id, or the path of a
/// case file; `kind` is a document kind's id. An unknown case or kind is a
/// usage error.
pub fn render_one(root: &Path, case: &str, kind: &str, options: Options) -> Result<Outcome, Error> {
    let (repository, case_id) = load::open_case(root, case, options.limits)?;
    let known_kinds = validate::document_kind_ids(&repository.settings.value);
    if !known_kinds.iter().any(|k| k == kind) {
        let hint = match diagnostic::did_you_mean(kind, known_kinds.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the document kinds are: {}", known_kinds.join(", ")),
        };
        return Err(Error::Usage(format!("no document kind `{kind}`; {hint}")));
    }
    Ok(run(&repository, Some((&case_id, Some(kind))), Rendering::Marked).0)
}

/// The trace of one case: its principle → finding → action matrix and the
/// documents citing each item. `case` is a case id or a case file. The
/// trace is absent when the case has errors; the outcome says why.
pub fn trace(
    root: &Path,
    case: &str,
    options: Options,
) -> Result<(Outcome, Option<trace::Trace>), Error> {
    let (repository, case_id) = load::open_case(root, case, options.limits)?;
    Ok(run(&repository, Some((&case_id, None)), Rendering::Marked))
}

/// Exactly what `kind`'s template receives for `case`: the projected view,
/// as JSON. Absent when the case has errors; the outcome says why.
pub fn context(
    root: &Path,
    case: &str,
    kind: &str,
    options: Options,
) -> Result<(Outcome, Option<serde_json::Value>), Error> {
    let (repository, case_id) = load::open_case(root, case, options.limits)?;
    let checked = validate::validate(&repository);
    let Some(document_kind) = checked.documents.iter().find(|k| k.id.as_str() == kind) else {
        let known: Vec<&str> = checked.documents.iter().map(|k| k.id.as_str()).collect();
        return Err(Error::Usage(format!(
            "no document kind `{kind}`; the document kinds are: {}",
            known.join(", ")
        )));
    };
    let mut outcome = Outcome {
        root: repository.root.clone(),
        documents: Vec::new(),
        diagnostics: checked.diagnostics.clone(),
        held_back: Vec::new(),
        unsigned_sign_offs: 0,
        reviews: Vec::new(),
    };
    let case = checked
        .cases
        .iter()
        .find(|c| c.case.id.as_str() == case_id)
        .filter(|c| {
            !outcome
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.file.as_deref() == Some(c.file))
        });
    let view = case.map(|case| project::project(&checked, case, document_kind));
    let json = match view {
        Some(view) => Some(serde_json::to_value(&view).map_err(|e| Error::Usage(e.to_string()))?),
        None => None,
    };
    if json.is_none() && !outcome.has_errors() {
        outcome.diagnostics.clear();
    }
    Ok((outcome, json))
}
