//! Diagnostics: what candor found wrong, as data first and text last.
//!
//! Every problem the library finds becomes a [`Diagnostic`] carrying a stable
//! [`Code`], a severity, a message and, wherever the problem comes from a file,
//! the file, line, column, the item's path and id, and the source line itself.
//! The CLI decides how to show them; the library never prints.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The content is wrong; nothing is written and the run exits 1.
    Error,
    /// Worth fixing, but the documents can still be produced.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, $severity:ident; )+) => {
        /// The stable code of a diagnostic. Scripts and CI match on these names;
        /// they never change meaning once published.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code's stable name, as printed and as found in JSON output.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)+ }
            }

            /// The severity a diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)+ }
            }

            /// One line saying what the code means.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => concat!($($doc),+).trim_ascii(),)+ }
            }
        }
    };
}

codes! {
    /// A repository with no case files: nothing would be checked or built.
    NoCases = "no-cases", Error;
    /// A file could not be read as text: it is not valid UTF-8.
    NotUtf8 = "not-utf8", Error;
    /// A file is larger than the configured maximum size.
    FileTooLarge = "file-too-large", Error;
    /// A file is empty, or holds only comments.
    EmptyFile = "empty-file", Error;
    /// A file is not well-formed YAML.
    YamlSyntax = "yaml-syntax", Error;
    /// A file exhausted the parse budget (nesting, aliases or size of the parsed tree).
    ParseBudget = "parse-budget", Error;
    /// The same key appears twice in one mapping.
    DuplicateKey = "duplicate-key", Error;
    /// A field the case model does not know.
    UnknownField = "unknown-field", Error;
    /// A required field is missing.
    MissingField = "missing-field", Error;
    /// A value has the wrong type or is not one of the allowed values.
    InvalidValue = "invalid-value", Error;
    /// A date that does not exist or is not written as YYYY, YYYY-MM or YYYY-MM-DD.
    InvalidDate = "invalid-date", Error;
    /// An id that is not a lowercase slug (letters, digits and single hyphens).
    InvalidId = "invalid-id", Error;
    /// Two items of the same kind share an id.
    DuplicateId = "duplicate-id", Error;
    /// A reference names an item that does not exist.
    UnresolvedReference = "unresolved-reference", Error;
    /// An action cites no principle that justifies it.
    ActionWithoutPrinciple = "action-without-principle", Error;
    /// An action cites no finding that justifies it.
    ActionWithoutFinding = "action-without-finding", Error;
    /// An action departs from a principle without saying why.
    DepartureWithoutReason = "departure-without-reason", Error;
    /// A declined demand without the reason it was refused.
    DeclinedWithoutReason = "declined-without-reason", Error;
    /// A finding cites no source and states no evidence.
    FindingWithoutBasis = "finding-without-basis", Error;
    /// Something the review did not examine names no principle that excluded it.
    ExclusionWithoutPrinciple = "exclusion-without-principle", Error;
    /// An acknowledgement does not name the source it thanks.
    AcknowledgementWithoutSource = "acknowledgement-without-source", Error;
    /// A public action whose justifying findings or principles are all internal.
    UnjustifiedInPublic = "unjustified-in-public", Error;
    /// Dates out of order: a review before what prompted it, an action before the review, an event after publication.
    DateOrder = "date-order", Error;
    /// A principle no action or review exclusion cites.
    UnusedPrinciple = "unused-principle", Warning;
    /// A finding no action cites (undetermined findings excepted).
    UnusedFinding = "unused-finding", Warning;
    /// A source no finding or acknowledgement cites.
    UnusedSource = "unused-source", Warning;
    /// A case file's name differs from the case's id.
    FileNameMismatch = "file-name-mismatch", Warning;
    /// A document kind whose template does not exist.
    UnknownTemplate = "unknown-template", Error;
    /// A template that does not compile.
    TemplateSyntax = "template-syntax", Error;
    /// A template that failed while rendering a case.
    TemplateRender = "template-render", Error;
    /// A regulatory notice lacks an element the law requires.
    RegulatoryElementMissing = "regulatory-element-missing", Error;
    /// A regulatory notice dated after its deadline, with no reason for the delay.
    LateNotification = "late-notification", Error;
    /// A document longer than its kind allows.
    TooLong = "too-long", Error;
    /// A document leaves out an item its kind must cover.
    Coverage = "coverage", Error;
    /// Internal text found in a public document.
    Leak = "leak", Error;
    /// A document quotes words that are not among the case's approved quotes.
    UnapprovedQuote = "unapproved-quote", Error;
    /// Rendered markdown with a structural problem, such as a skipped heading level.
    MarkdownStructure = "markdown-structure", Warning;
    /// A value that still says `TODO`, as `candor new` leaves them, to be replaced by the real text.
    Placeholder = "placeholder", Error;
    /// A role signing off that `approvals.required` in `candor.yaml` does not name.
    UnknownRole = "unknown-role", Error;
    /// An approval file that does not belong where it is: another case, or another role than its file name.
    ApprovalMisplaced = "approval-misplaced", Error;
    /// One person signing off in two roles of the same case.
    SameApprover = "same-approver", Error;
    /// A sign-off given on content that has changed since: it no longer counts.
    ApprovalVoid = "approval-void", Warning;
    /// A sign-off given under another sign-off policy (`approvals` in `candor.yaml`) than the one in force: it no longer counts.
    ApprovalPolicyChanged = "approval-policy-changed", Warning;
    /// A sign-off without its signature (`ROLE.sig`) where `approvals.signers` requires one.
    SignatureMissing = "signature-missing", Error;
    /// A signature that does not verify: the approval file or the signature was altered.
    SignatureInvalid = "signature-invalid", Error;
    /// A sign-off signed with a key the allowed signers file does not list for its principal.
    SignerUnknown = "signer-unknown", Error;
    /// A sign-off by a principal `approvals.roles` does not let sign in that role.
    SignerNotAuthorised = "signer-not-authorised", Error;
    /// A case marked approved or published that lacks a valid sign-off a role must give.
    NotApproved = "not-approved", Error;
    /// A case asked to be published that may not be yet: not approved, or under embargo.
    NotPublishable = "not-publishable", Error;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem, located as precisely as candor can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file the problem is in, if it is in a file.
    #[serde(serialize_with = "lossy_path")]
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<u32>,
    /// 1-based column in `file`, counted in characters.
    pub column: Option<u32>,
    /// The path of the item in its file, such as `actions[1].findings[0]`.
    pub path: Option<String>,
    /// The id of the item concerned.
    pub id: Option<String>,
    /// How to fix it, when candor can tell.
    pub help: Option<String>,
    /// The source line the problem is on, as written.
    pub source_line: Option<String>,
}

/// A path as text even when it is not valid UTF-8, so a diagnostic about
/// a strangely named file is never lost.
fn lossy_path<S: serde::Serializer>(
    path: &Option<PathBuf>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match path {
        Some(path) => serializer.serialize_some(&path.to_string_lossy()),
        None => serializer.serialize_none(),
    }
}

impl Diagnostic {
    /// A diagnostic with the code's own severity and no location yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            file: None,
            line: None,
            column: None,
            path: None,
            id: None,
            help: None,
            source_line: None,
        }
    }

    /// Places the diagnostic in a file.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }

    /// Places the diagnostic at a line and column of its file.
    pub fn at(mut self, pos: crate::model::Pos) -> Self {
        if pos.line > 0 {
            self.line = Some(pos.line);
            self.column = Some(pos.column.max(1));
        }
        self
    }

    /// Names the item's path in its file.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Names the item concerned.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Adds advice on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The order diagnostics are reported in: by file, then position, then code,
/// so output is the same however the files were listed.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// The closest of `candidates` to `wanted`, if one is close enough to be a
/// plausible misspelling.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(wanted, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= limit || candidate.starts_with(wanted) || wanted.starts_with(candidate)
        })
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_id() {
        let ids = ["azure-storage-nl", "ai-services"];
        assert_eq!(
            did_you_mean("azure-storage-n", ids),
            Some("azure-storage-nl")
        );
        assert_eq!(did_you_mean("ai-service", ids), Some("ai-services"));
        assert_eq!(did_you_mean("unrelated-thing", ids), None);
    }

    #[test]
    fn every_code_is_documented_and_unique() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(Code::ALL.iter().all(|c| !c.explanation().is_empty()));
    }
}
