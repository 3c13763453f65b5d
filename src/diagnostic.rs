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
    /// A file in the output folder that is not what the build would write there (`build --check`): stale, missing or left over.
    StaleOutput = "stale-output", Error;
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
    let wanted_chars: Vec<char> = wanted.chars().collect();
    let limit = (wanted_chars.len() / 3).clamp(1, MOST_EDITS);
    let pieces = pieces(wanted, limit + 1);
    let mut rows = Rows::default();
    let mut candidate_chars = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates.into_iter().take(MOST_CANDIDATES) {
        let same_start = candidate.as_bytes().first() == wanted.as_bytes().first();
        let distance =
            if same_start && (candidate.starts_with(wanted) || wanted.starts_with(candidate)) {
                // One holds the other: the distance is what the longer adds.
                candidate.chars().count().abs_diff(wanted_chars.len())
            } else {
                // Within `limit` edits, one of `limit + 1` pieces of what is
                // wanted is left whole, and moved by `limit` places at most: a
                // candidate holding none of them there is too far.
                if !holds_a_piece(wanted, &pieces, candidate, limit) {
                    continue;
                }
                // Beyond the limit, or beyond the best so far, is no better.
                let bound = best.map_or(limit, |(d, _)| d.min(limit));
                let near = if wanted.is_ascii() && candidate.is_ascii() {
                    rows.bounded_edit_distance(wanted.as_bytes(), candidate.as_bytes(), bound)
                } else {
                    candidate_chars.clear();
                    candidate_chars.extend(candidate.chars());
                    rows.bounded_edit_distance(&wanted_chars, &candidate_chars, bound)
                };
                match near {
                    Some(distance) => distance,
                    None => continue,
                }
            };
        if best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Whether `candidate` holds one of `pieces` of `wanted` within `shift`
/// places of where `wanted` has it; with no pieces, it may.
fn holds_a_piece(wanted: &str, pieces: &[&str], candidate: &str, shift: usize) -> bool {
    if pieces.is_empty() {
        return true;
    }
    if !(wanted.is_ascii() && candidate.is_ascii()) {
        // Places in bytes are not places in characters: anywhere will do.
        return pieces.iter().any(|piece| candidate.contains(piece));
    }
    let candidate = candidate.as_bytes();
    let mut start = 0;
    pieces.iter().any(|piece| {
        let piece_start = start;
        start += piece.len();
        let piece = piece.as_bytes();
        let first = piece_start.saturating_sub(shift);
        let last = (piece_start + shift).min(candidate.len().saturating_sub(piece.len()));
        // The first byte decides almost every place, without a call.
        let Some(&lead) = piece.first() else {
            return true;
        };
        (first..=last).any(|at| {
            candidate.get(at) == Some(&lead) && candidate.get(at..at + piece.len()) == Some(piece)
        })
    })
}

/// `text` cut into `count` pieces of nearly equal length, in order; none
/// when it has fewer characters than that.
fn pieces(text: &str, count: usize) -> Vec<&str> {
    let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    if count == 0 || starts.len() < count {
        return Vec::new();
    }
    (0..count)
        .map(|i| {
            let from = starts[i * starts.len() / count];
            let to = starts
                .get((i + 1) * starts.len() / count)
                .copied()
                .unwrap_or(text.len());
            &text[from..to]
        })
        .collect()
}

/// "Did you mean" for the unknown references of one file: the first
/// [`MOST_SUGGESTIONS`] are weighed, the rest go without, so that a file of
/// thousands of unknown references is still checked at once.
#[derive(Debug)]
pub struct Suggestions {
    left: usize,
}

impl Suggestions {
    /// A fresh allowance, for one file.
    pub fn for_one_file() -> Self {
        Suggestions {
            left: MOST_SUGGESTIONS,
        }
    }

    /// [`did_you_mean`], while the allowance lasts.
    pub fn did_you_mean<'a>(
        &mut self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        self.left = self.left.checked_sub(1)?;
        did_you_mean(wanted, candidates)
    }
}

/// The most suggestions weighed for one file. A file with more unknown
/// references than this was not mistyped one id at a time.
const MOST_SUGGESTIONS: usize = 200;

/// The most edits a suggestion may be away: typing slips, not other words.
const MOST_EDITS: usize = 3;

/// The most candidates one suggestion weighs, so that a file of thousands
/// of unknown references against thousands of ids is still checked at once.
const MOST_CANDIDATES: usize = 5_000;

/// Room for [`Rows::bounded_edit_distance`], kept from one candidate to
/// the next.
#[derive(Default)]
struct Rows {
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The Levenshtein distance between `a` and `b`, if it is at most
    /// `bound`. Only the diagonal band `bound` wide is computed, each row
    /// fenced by a cell worth more than `bound` on either side, and the
    /// work stops at the first row where every path costs more: for two
    /// unrelated ids, a few rows of a few cells.
    fn bounded_edit_distance<T: PartialEq>(
        &mut self,
        a: &[T],
        b: &[T],
        bound: usize,
    ) -> Option<usize> {
        if a.len().abs_diff(b.len()) > bound {
            return None;
        }
        let beyond = bound + 1;
        for row in [&mut self.previous, &mut self.current] {
            if row.len() < b.len() + 2 {
                row.resize(b.len() + 2, beyond);
            }
        }
        // Row 0, as far as row 1 reads it.
        for j in 0..=beyond.min(b.len()) {
            self.previous[j] = j.min(beyond);
        }
        self.previous[(beyond + 1).min(b.len() + 1)] = beyond;
        for (i, ca) in a.iter().enumerate() {
            let row = i + 1;
            let from = row.saturating_sub(bound).max(1);
            let to = (row + bound).min(b.len());
            self.current[from - 1] = if from == 1 { row.min(beyond) } else { beyond };
            let mut smallest = self.current[from - 1];
            for j in from..=to {
                let substitution = self.previous[j - 1] + usize::from(*ca != b[j - 1]);
                let cost = substitution
                    .min(self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(beyond);
                self.current[j] = cost;
                smallest = smallest.min(cost);
            }
            // The next row reads one cell further right.
            self.current[to + 1] = beyond;
            if smallest > bound {
                return None;
            }
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        Some(self.previous[b.len()]).filter(|distance| *distance <= bound)
    }
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
    fn bounded_distances_agree_with_the_whole_computation() {
        fn whole(a: &str, b: &str) -> usize {
            let b: Vec<char> = b.chars().collect();
            let mut previous: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.chars().enumerate() {
                let mut current = vec![i + 1; b.len() + 1];
                for (j, cb) in b.iter().enumerate() {
                    current[j + 1] = (previous[j] + usize::from(ca != *cb))
                        .min(previous[j + 1] + 1)
                        .min(current[j] + 1);
                }
                previous = current;
            }
            previous[b.len()]
        }
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "azure-storage-nl",
            "azure-storge-nl",
            "ünïcode",
            "unicode",
        ];
        // One set of rows for every pair, as a suggestion reuses them.
        let mut rows = Rows::default();
        for a in words.iter().chain(words.iter().rev()) {
            for b in words {
                let expected = whole(a, b);
                for bound in 0..6 {
                    let a_chars: Vec<char> = a.chars().collect();
                    let b_chars: Vec<char> = b.chars().collect();
                    assert_eq!(
                        rows.bounded_edit_distance(&a_chars, &b_chars, bound),
                        (expected <= bound).then_some(expected),
                        "{a:?} {b:?} within {bound}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_piece_filter_loses_no_suggestion() {
        // Every way of making up to three edits to a word, checked against
        // the filtered search: what is near is still found.
        let wanted = "azure-storage-nl";
        let edits = ["", "x", "xy", "xyz"];
        for at in 0..=wanted.len() {
            for insert in edits {
                for removed in 0..=3.min(wanted.len() - at) {
                    let near = format!("{}{insert}{}", &wanted[..at], &wanted[at + removed..]);
                    if near == wanted || near.is_empty() {
                        continue;
                    }
                    let changes = insert.len().max(removed);
                    let found = did_you_mean(wanted, [near.as_str()]);
                    assert_eq!(found.is_some(), changes <= 3, "{near}");
                }
            }
        }
        assert_eq!(pieces("abcdefgh", 4), ["ab", "cd", "ef", "gh"]);
        assert_eq!(pieces("ab", 4), Vec::<&str>::new());
    }

    #[test]
    fn a_suggestion_is_a_few_edits_away_at_most() {
        let far = "abcdefghijklmnopqrstuvwxyz-0123456789";
        let four_off = "abcdXfghiXklmnoXqrstuXwxyz-0123456789";
        assert_eq!(did_you_mean(far, [four_off]), None);
        let three_off = "abcdXfghiXklmnoXqrstuvwxyz-0123456789";
        assert_eq!(did_you_mean(far, [three_off]), Some(three_off));
        // The nearest wins, and of two as near, the first by name.
        assert_eq!(did_you_mean("abcd", ["abce", "abcf", "abxx"]), Some("abce"));
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
