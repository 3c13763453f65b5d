//! What running the pipeline asks for and gives back: the options, the
//! rendered documents, and everything found.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::load::Limits;
use crate::model::Audience;

/// One rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The case it renders.
    pub case_id: String,
    /// The case file.
    pub case_file: PathBuf,
    /// The document kind.
    pub kind: String,
    /// Who it is for.
    pub audience: Audience,
    /// Where it goes under the output folder: `<case>/<kind>.md`.
    pub path: PathBuf,
    /// The markdown.
    pub text: String,
    /// The ids of the items the document cited.
    pub cited: std::collections::BTreeSet<String>,
    /// The organisation speaking, as the document names it.
    pub organisation: String,
    /// What the banner the document opens with says, in a word (`DRAFT`,
    /// `WITHDRAWN`); absent when it has none.
    pub mark: Option<&'static str>,
    /// The file's bytes, for a file that is not text, such as a Word
    /// document; `text` is then empty.
    pub binary: Option<Vec<u8>>,
}

impl Document {
    /// The bytes of the file: the text, or the binary content.
    pub fn bytes(&self) -> &[u8] {
        self.binary.as_deref().unwrap_or(self.text.as_bytes())
    }
}

/// How to run the pipeline.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Limits on what candor reads.
    pub limits: Limits,
    /// Also produce a standalone HTML page beside every markdown document.
    pub html: bool,
    /// Also produce a Word document beside every markdown document.
    pub docx: bool,
    /// Render only the cases that may go out now: approved or published,
    /// every sign-off holding, no embargo pending. Other cases are held
    /// back; a case file named explicitly that may not go out is an error.
    /// Only public document kinds are rendered, unless `include_internal`.
    pub publish: bool,
    /// With `publish`, render the internal document kinds too: a publish
    /// folder is for the public, so they are left out unless asked for.
    pub include_internal: bool,
}

/// The outcome of running the pipeline: documents and everything found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The repository's root folder.
    pub root: PathBuf,
    /// The rendered documents, ordered by case and kind. Empty when any
    /// error was found, so nothing half-right is ever written.
    pub documents: Vec<Document>,
    /// Every diagnostic, in report order.
    pub diagnostics: Vec<Diagnostic>,
    /// The cases a publishing build left out, and why.
    pub held_back: Vec<HeldBack>,
    /// How many sign-offs count without a signature: those of a repository
    /// whose `candor.yaml` sets no `approvals.signers`.
    pub unsigned_sign_offs: usize,
    /// Where each case rendered with its sign-offs stands in review, in
    /// case order.
    pub reviews: Vec<Review>,
}

/// Where a case stands in review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The case's id.
    pub case_id: String,
    /// In words: `draft · awaiting legal and communications`, `approved`, …
    pub state: String,
    /// Whether every required role has signed off on the content as it is.
    pub signed_off: bool,
    /// Whether any sign-off was given: there is something to compare with.
    pub has_sign_off: bool,
}

/// A case a publishing build did not render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    /// The case's id.
    pub case_id: String,
    /// The case file.
    pub case_file: PathBuf,
    /// Why, in words: `in review`, `under embargo until …`.
    pub reason: String,
}

impl Outcome {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
