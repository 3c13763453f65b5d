//! Validation: every rule about what makes a repository coherent.
//!
//! Rules are grouped by family, one file each. Every rule reports through a
//! [`Diagnostic`] with its own [`Code`](crate::diagnostic::Code), located at
//! the item it concerns; all problems are reported in one run.

mod approvals;
mod blanks;
mod dates;
mod placeholders;
mod references;
mod regulatory;
mod traceability;
mod visibility;

pub(crate) use approvals::may_sign;
pub use approvals::{Identity, SignOff, policy_digest};

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Suggestions};
use crate::load::Repository;
use crate::model::{Case, DocumentKind, Id, Person, Principle, PrincipleEntry, Spanned};

/// A repository that has been through every rule, with the principles each
/// case cites resolved. Cases with errors are kept, marked, so a check can
/// report on all of them while a build renders none.
#[derive(Debug)]
pub struct Checked<'r> {
    /// What was read.
    pub repository: &'r Repository,
    /// Every case, in file order.
    pub cases: Vec<CheckedCase<'r>>,
    /// The document kinds: the built-in ones, updated and extended by
    /// `candor.yaml`.
    pub documents: Vec<DocumentKind>,
    /// Everything found, loading included, in report order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked<'_> {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The person with id `id`, from `candor.yaml`.
    pub fn person(&self, id: &Id) -> Option<&Person> {
        self.repository
            .settings
            .value
            .people
            .iter()
            .find(|p| p.id.value == *id)
    }
}

/// One case with what it cites resolved.
#[derive(Debug)]
pub struct CheckedCase<'r> {
    /// The case file.
    pub file: &'r Path,
    /// The case as written.
    pub case: &'r Case,
    /// The principles the case lists, in its order, library entries replaced
    /// by the library's own wording. Unresolved entries are left out.
    pub principles: Vec<&'r Principle>,
    /// The earlier case this one updates, when it names one that exists.
    pub earlier: Option<&'r Case>,
    /// The sign-offs beside the case that may count, in file order: in
    /// place, of a required role, signed as the policy requires, each by
    /// another person. Whether each still holds depends on the content.
    pub sign_offs: Vec<SignOff<'r>>,
}

/// What a case's references may name outside the case itself.
pub(crate) struct Known<'a> {
    pub(crate) people: &'a IdIndex<'a>,
    pub(crate) organisations: &'a IdIndex<'a>,
    pub(crate) kinds: &'a [&'a Id],
    pub(crate) cases: &'a BTreeMap<&'a Id, &'a Case>,
}

/// Runs every rule over `repository`.
pub fn validate(repository: &Repository) -> Checked<'_> {
    let mut diagnostics = repository.diagnostics.clone();
    placeholders::check(repository, &mut diagnostics);
    let settings_file = repository.settings.file.as_path();
    let settings = &repository.settings.value;

    let mut people = IdIndex::new("person");
    for (index, person) in settings.people.iter().enumerate() {
        people.insert(
            &person.id,
            settings_file,
            format!("people[{index}]"),
            &mut diagnostics,
        );
    }

    let mut organisations = IdIndex::new("organisation");
    for (index, organisation) in settings.organisations.iter().enumerate() {
        organisations.insert(
            &organisation.id,
            settings_file,
            format!("organisations[{index}]"),
            &mut diagnostics,
        );
    }

    let mut kinds = IdIndex::new("document kind");
    for (index, kind) in settings.documents.iter().enumerate() {
        kinds.insert(
            &kind.id,
            settings_file,
            format!("documents[{index}]"),
            &mut diagnostics,
        );
    }
    let documents = document_kinds(settings);

    let mut roles = IdIndex::new("role");
    for (index, role) in settings.approvals.required.iter().enumerate() {
        roles.insert(
            role,
            settings_file,
            format!("approvals.required[{index}]"),
            &mut diagnostics,
        );
    }
    let policy = approvals::Policy::of(repository, &mut diagnostics);

    let mut library: BTreeMap<&Id, &Principle> = BTreeMap::new();
    let mut library_index = IdIndex::new("principle");
    for loaded in &repository.principles {
        let principle = &loaded.value;
        library_index.insert(
            &principle.id,
            &loaded.file,
            "id".to_owned(),
            &mut diagnostics,
        );
        library.entry(&principle.id.value).or_insert(principle);
        expect_file_named(&loaded.file, &principle.id, "principle", &mut diagnostics);
    }

    let by_id: BTreeMap<&Id, &Case> = repository
        .earlier_cases
        .iter()
        .chain(&repository.cases)
        .map(|loaded| (&loaded.value.id.value, &loaded.value))
        .collect();
    let kind_ids: Vec<&Id> = documents.iter().map(|k| &k.id.value).collect();
    let known = Known {
        people: &people,
        organisations: &organisations,
        kinds: &kind_ids,
        cases: &by_id,
    };
    let rules = CaseRules {
        repository,
        library: &library,
        by_id: &by_id,
        known: &known,
        documents: &documents,
        policy: &policy,
    };
    // Each case is checked on its own, on every core; only duplicate ids
    // look across cases. Diagnostics are gathered in case order, as if
    // the cases were checked one after the other.
    let per_case: Vec<(CheckedCase<'_>, Vec<Diagnostic>)> = repository
        .cases
        .par_iter()
        .map(|loaded| {
            let mut found = Vec::new();
            let checked = check_case(&rules, loaded, &mut found);
            (checked, found)
        })
        .collect();
    let mut case_index = IdIndex::new("case");
    let mut cases = Vec::with_capacity(per_case.len());
    for (checked, found) in per_case {
        case_index.insert(
            &checked.case.id,
            checked.file,
            "id".to_owned(),
            &mut diagnostics,
        );
        diagnostics.extend(found);
        cases.push(checked);
    }

    repository.attach_source_lines(&mut diagnostics);
    crate::diagnostic::sort(&mut diagnostics);
    Checked {
        repository,
        cases,
        documents,
        diagnostics,
    }
}

/// What every case is checked against.
struct CaseRules<'a, 'r> {
    repository: &'r Repository,
    library: &'a BTreeMap<&'r Id, &'r Principle>,
    by_id: &'a BTreeMap<&'r Id, &'r Case>,
    known: &'a Known<'a>,
    documents: &'a [DocumentKind],
    policy: &'a approvals::Policy<'a>,
}

/// Checks one case on its own: everything but whether its id is taken.
fn check_case<'r>(
    rules: &CaseRules<'_, 'r>,
    loaded: &'r crate::load::Loaded<Case>,
    diagnostics: &mut Vec<Diagnostic>,
) -> CheckedCase<'r> {
    let case = &loaded.value;
    let file = loaded.file.as_path();
    expect_file_named(file, &case.id, "case", diagnostics);
    let mut suggestions = Suggestions::for_one_file();
    let principles = resolve_principles(case, file, rules.library, &mut suggestions, diagnostics);
    let earlier = case
        .updates
        .as_ref()
        .filter(|id| id.value != case.id.value)
        .and_then(|id| rules.by_id.get(&id.value).copied());
    let mut checked = CheckedCase {
        file,
        case,
        principles,
        earlier,
        sign_offs: Vec::new(),
    };
    references::check(&checked, rules.known, &mut suggestions, diagnostics);
    blanks::check(&checked, diagnostics);
    traceability::check(&checked, diagnostics);
    visibility::check(&checked, diagnostics);
    dates::check(&checked, diagnostics);
    checked.sign_offs = approvals::check(rules.repository, &checked, rules.policy, diagnostics);
    regulatory::check(
        &checked,
        rules.documents.iter().filter(|k| k.produced_for(case)),
        diagnostics,
    );
    checked
}

/// The document kinds of a repository with `settings`: the built-in ones,
/// updated and extended by `candor.yaml`. A kind redefined there keeps what
/// it does not restate.
pub fn document_kinds(settings: &crate::model::Settings) -> Vec<DocumentKind> {
    let mut documents = DocumentKind::built_in();
    for kind in &settings.documents {
        match documents.iter_mut().find(|k| k.id.value == kind.id.value) {
            Some(existing) => {
                let built_in = existing.clone();
                *existing = kind.clone();
                existing.covers = existing.covers.take().or(built_in.covers);
                existing.every_case = existing.every_case.or(built_in.every_case);
                existing.regulation = existing.regulation.or(built_in.regulation);
                existing.max_length = existing.max_length.or(built_in.max_length);
            }
            None => documents.push(kind.clone()),
        }
    }
    documents
}

/// The ids of the document kinds a repository with `settings` renders,
/// in the order [`document_kinds`] gives them.
pub(crate) fn document_kind_ids(settings: &crate::model::Settings) -> Vec<String> {
    document_kinds(settings)
        .iter()
        .map(|kind| kind.id.value.to_string())
        .collect()
}

/// The rules of `kind`'s regulation applied to `case`, for a document of
/// that kind requested explicitly from a case that does not produce it.
pub fn regulatory_diagnostics(case: &CheckedCase<'_>, kind: &DocumentKind) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    regulatory::check(case, [kind], &mut diagnostics);
    diagnostics
}

/// Replaces library references by the library's principles; reports those
/// that name no principle.
fn resolve_principles<'r>(
    case: &'r Case,
    file: &Path,
    library: &BTreeMap<&Id, &'r Principle>,
    suggestions: &mut Suggestions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'r Principle> {
    let mut resolved = Vec::new();
    for (index, entry) in case.principles.iter().enumerate() {
        match &entry.value {
            PrincipleEntry::Inline(principle) => resolved.push(&**principle),
            PrincipleEntry::Library(id) => match library.get(id) {
                Some(principle) => resolved.push(*principle),
                None => diagnostics.push(unresolved(
                    "principle",
                    id,
                    entry.pos,
                    file,
                    format!("principles[{index}]"),
                    nearest_or(
                        suggestions.did_you_mean(id.as_str(), library.keys().map(|id| id.as_str())),
                        "define it in principles/ or inline in the case",
                    ),
                )),
            },
        }
    }
    resolved
}

/// A reference that names nothing, with `help` on what to do.
fn unresolved(
    kind: &str,
    id: &Id,
    pos: crate::model::Pos,
    file: &Path,
    path: String,
    help: String,
) -> Diagnostic {
    Diagnostic::new(
        Code::UnresolvedReference,
        format!("no {kind} has the id `{id}`"),
    )
    .in_file(file)
    .at(pos)
    .with_path(path)
    .with_id(id.as_str())
    .with_help(help)
}

/// The help for an unresolved reference: the nearest id when there is
/// one, else what to do.
fn nearest_or(near: Option<&str>, otherwise: &str) -> String {
    match near {
        Some(near) => format!("did you mean `{near}`?"),
        None => otherwise.to_owned(),
    }
}

fn expect_file_named(file: &Path, id: &Spanned<Id>, kind: &str, diagnostics: &mut Vec<Diagnostic>) {
    let stem = file.file_stem().map(|s| s.to_string_lossy());
    if stem.as_deref() != Some(id.as_str()) {
        diagnostics.push(
            Diagnostic::new(
                Code::FileNameMismatch,
                format!("the {kind} `{}` is in a file named differently", id.value),
            )
            .in_file(file)
            .at(id.pos)
            .with_path("id")
            .with_id(id.as_str())
            .with_help(format!("rename the file to `{}.yaml`", id.value)),
        );
    }
}

/// The ids of one kind of item, for finding duplicates and resolving
/// references.
#[derive(Debug)]
pub(crate) struct IdIndex<'a> {
    kind: &'static str,
    ids: BTreeMap<&'a str, ()>,
}

impl<'a> IdIndex<'a> {
    fn new(kind: &'static str) -> Self {
        IdIndex {
            kind,
            ids: BTreeMap::new(),
        }
    }

    /// Records an id, reporting it if it was seen before.
    fn insert(
        &mut self,
        id: &'a Spanned<Id>,
        file: &Path,
        path: String,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if self.ids.insert(id.as_str(), ()).is_some() {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("another {} already has the id `{}`", self.kind, id.value),
                )
                .in_file(file)
                .at(id.pos)
                .with_path(path)
                .with_id(id.as_str())
                .with_help(format!("give each {} its own id", self.kind)),
            );
        }
    }

    fn contains(&self, id: &Id) -> bool {
        self.ids.contains_key(id.as_str())
    }

    fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.ids.keys().copied()
    }
}
