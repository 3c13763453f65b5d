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
pub mod signing;
mod spill;
pub mod stat_cache;
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
pub use validate::policy_digest;
pub use write::{Drift, WriteSummary, compare, write, write_build};

use std::collections::BTreeSet;

use pipeline::{Rendering, produced_texts, render_case, run, with_html_pages, with_word_documents};

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
    let (repository, case_id) = open_case(root, case, options)?;
    let known_kinds = document_kinds(&repository);
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
    let (repository, case_id) = open_case(root, case, options)?;
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
    let (repository, case_id) = open_case(root, case, options)?;
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

/// Where a template comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplateSource {
    /// The name documents refer to it by.
    pub name: String,
    /// The user's file, when the user has one of this name.
    pub user_file: Option<PathBuf>,
    /// Whether candor has a built-in template of this name.
    pub built_in: bool,
}

/// Every template a repository can use: built-in, the user's, and which
/// user templates replace a built-in.
pub fn templates(root: &Path, options: Options) -> Result<Vec<TemplateSource>, Error> {
    let repository = load::open(&[root.to_path_buf()], options.limits)?;
    let mut sources: Vec<TemplateSource> = render::BUILTIN_TEMPLATES
        .iter()
        .map(|(name, _)| TemplateSource {
            name: (*name).to_owned(),
            user_file: None,
            built_in: true,
        })
        .collect();
    for template in &repository.templates {
        match sources.iter_mut().find(|s| s.name == template.name) {
            Some(source) => source.user_file = Some(template.file.clone()),
            None => sources.push(TemplateSource {
                name: template.name.clone(),
                user_file: Some(template.file.clone()),
                built_in: false,
            }),
        }
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(sources)
}

/// Copies the built-in template `name` into the repository's `templates/`
/// folder, to be customised there. Refuses to overwrite a file.
pub fn eject_template(root: &Path, name: &str) -> Result<PathBuf, Error> {
    let Some((_, text)) = render::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = render::BUILTIN_TEMPLATES.iter().map(|(n, _)| *n).collect();
        return Err(Error::Usage(format!(
            "no built-in template `{name}`; the built-in templates are: {}",
            known.join(", ")
        )));
    };
    let root = load::find_root(root).unwrap_or_else(|| root.to_path_buf());
    let folder = root.join("templates");
    let target = folder.join(name);
    if target.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; remove it first to eject the built-in again",
            target.display()
        )));
    }
    std::fs::create_dir_all(&folder).map_err(|source| Error::Io {
        path: folder.clone(),
        source,
    })?;
    std::fs::write(&target, text).map_err(|source| Error::Io {
        path: target.clone(),
        source,
    })?;
    Ok(target)
}

/// Writes `cases/<id>.yaml` in the repository at `root`: a skeleton of a
/// case with every section and a placeholder for every value to write.
/// Refuses an invalid id, and never overwrites a file.
pub fn new_case(root: &Path, id: &str) -> Result<PathBuf, Error> {
    let id = model::Id::parse(id).map_err(Error::Usage)?;
    // Outside any repository, the folder given becomes one.
    let root = load::find_root(root).unwrap_or_else(|| root.to_path_buf());
    let folder = root.join("cases");
    let target = folder.join(format!("{id}.yaml"));
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&folder).map_err(io_error(&folder))?;
    let text = scaffold::case_skeleton(&id, scaffold::today());
    // `create_new`, so a case written meanwhile is never replaced.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    match written {
        Ok(()) => Ok(target),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Usage(
            format!("{} already exists; choose another id", target.display()),
        )),
        Err(source) => Err(io_error(&target)(source)),
    }
}

/// A sign-off `candor approve` recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    /// The approval file written.
    pub file: PathBuf,
    /// The signature written beside it, when signed.
    pub signature: Option<PathBuf>,
    /// Who signed off: the principal of the signing key, or `--by`.
    pub signer: String,
    /// The digest of the content approved.
    pub digest: String,
    /// The roles whose sign-off the case still lacks.
    pub still_missing: Vec<String>,
}

/// Who signs off: named (`--by`), signing with a key (`--key`), or both.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signer<'a> {
    /// How they wish to be named; with a key, the principal when absent.
    pub by: Option<&'a str>,
    /// The SSH key to sign with: a private key file, or a public key whose
    /// private half ssh-agent or a hardware key holds.
    pub key: Option<&'a Path>,
}

/// Records that `signer` signs off on `case` (an id or a case file) in
/// `role`: renders the case's documents and writes the digests of them and
/// of everything that decided them to `cases/<name>.approvals/<role>.yaml`,
/// replacing an earlier sign-off of that role; with a key, signs that
/// file's bytes into `<role>.sig` beside it. A case with errors is not
/// signed off: the outcome says why and nothing is written.
pub fn approve(
    root: &Path,
    case: &str,
    role: &str,
    signer: Signer<'_>,
    options: Options,
) -> Result<(Outcome, Option<Approved>), Error> {
    let by = signer.by.map(str::trim).filter(|by| !by.is_empty());
    if by.is_none() && signer.key.is_none() {
        return Err(Error::Usage(
            "say who signs off with --by, such as --by \"Jane Doe <jane@example.com>\", or \
             sign with --key PATH"
                .to_owned(),
        ));
    }
    if by.is_some_and(|by| by.chars().any(char::is_control)) {
        return Err(Error::Usage(
            "--by may not hold control characters".to_owned(),
        ));
    }
    let (repository, case_id) = open_case(root, case, options)?;
    let approvals = &repository.settings.value.approvals;
    let roles: Vec<&str> = approvals.required.iter().map(|r| r.as_str()).collect();
    if !roles.contains(&role) {
        let hint = if roles.is_empty() {
            "candor.yaml requires no sign-off; list the roles under `approvals: required:`"
                .to_owned()
        } else {
            match diagnostic::did_you_mean(role, roles.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the roles are: {}", roles.join(", ")),
            }
        };
        return Err(Error::Usage(format!(
            "`{role}` is not a role candor.yaml requires to sign off; {hint}"
        )));
    }
    match (&approvals.signers, signer.key) {
        (Some(signers), None) => {
            return Err(Error::Usage(format!(
                "candor.yaml requires signed sign-offs (`approvals.signers: {}`): sign with \
                 --key PATH, a key listed there",
                signers.value
            )));
        }
        (None, Some(_)) => {
            return Err(Error::Usage(
                "--key needs `approvals.signers` in candor.yaml: the allowed signers file \
                 that says whose key it is and what they may sign"
                    .to_owned(),
            ));
        }
        _ => {}
    }
    let checked = validate::validate(&repository);
    let (renderer, template_diagnostics) = render::Renderer::new(&repository.templates);
    let mut outcome = Outcome {
        root: repository.root.clone(),
        ..Outcome::default()
    };
    let found = checked.cases.iter().find(|c| c.case.id.as_str() == case_id);
    outcome.diagnostics = checked
        .diagnostics
        .iter()
        .chain(&template_diagnostics)
        .filter(|d| {
            found.is_none_or(|c| d.file.as_deref() == Some(c.file))
                || d.is_error()
                || d.code == Code::ApprovalPolicyChanged
        })
        .cloned()
        .collect();
    // What is wrong with a sign-off (the one being replaced, or another
    // that does not count) is for `check` to say; it does not stop this one.
    outcome.diagnostics.retain(|d| !is_sign_off_error(d.code));
    let Some(found) = found.filter(|_| !outcome.has_errors()) else {
        return Ok((outcome, None));
    };
    match *found.case.status {
        model::Status::Draft => {
            return Err(Error::Usage(format!(
                "`{case_id}` is a draft; set `status: review` when it is ready for sign-off"
            )));
        }
        model::Status::Withdrawn => {
            return Err(Error::Usage(format!(
                "`{case_id}` is withdrawn; there is nothing to sign off"
            )));
        }
        _ => {}
    }
    let key = match signer.key {
        Some(path) => Some(signing_key(&repository, path, role)?),
        None => None,
    };
    let identity = match &key {
        Some(key) => validate::Identity::signed(&key.principal, &key.fingerprint),
        None => validate::Identity::named(by.unwrap_or_default()),
    };
    let counted = || {
        found
            .sign_offs
            .iter()
            .filter(|s| !s.under_other_policy && s.loaded.value.role.as_str() != role)
    };
    if let Some(other) = counted().find(|s| s.identity.same_as(&identity)) {
        return Err(Error::Usage(format!(
            "{} already signed off on `{case_id}` as `{}`; one person, or one key, cannot \
             fill two roles",
            identity.shown, other.loaded.value.role.value
        )));
    }
    // Rendering may still find errors: a template failing, a leak.
    let rendered = render_case(
        &checked,
        &renderer,
        found,
        &|kind| kind.produced_for(found.case),
        false,
    );
    outcome.diagnostics.extend(rendered.diagnostics);
    repository.attach_source_lines(&mut outcome.diagnostics);
    diagnostic::sort(&mut outcome.diagnostics);
    if outcome.has_errors() {
        return Ok((outcome, None));
    }
    let texts = produced_texts(&checked, &renderer, found, &rendered.documents);
    let record = approval::Record::of(&checked, found, &texts);
    let file = load::approvals_folder(found.file).join(format!("{role}.yaml"));
    let signer_name = match &key {
        Some(key) => key.principal.clone(),
        None => by.unwrap_or_default().to_owned(),
    };
    let policy = validate::policy_digest(approvals);
    let text = record.approval_file(&approval::Header {
        case_id: &case_id,
        role,
        by: by.unwrap_or(&signer_name),
        principal: key.as_ref().map(|k| k.principal.as_str()),
        at: &model::Timestamp::now(),
        policy: &policy,
    });
    let signature_file = file.with_extension("sig");
    let signature = match &key {
        Some(key) => Some(sign_approval(key, text.as_bytes())?),
        None => None,
    };
    atomic::write_atomically(&file, text.as_bytes())?;
    match &signature {
        Some(armored) => atomic::write_atomically(&signature_file, armored.as_bytes())?,
        None => match std::fs::remove_file(&signature_file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Io {
                    path: signature_file,
                    source,
                });
            }
        },
    }
    let approved_roles: BTreeSet<String> = counted()
        .filter(|s| approval::Record::recorded_in(&s.loaded.value) == record)
        .map(|s| s.loaded.value.role.to_string())
        .chain(std::iter::once(role.to_owned()))
        .collect();
    let still_missing = roles
        .iter()
        .filter(|r| !approved_roles.contains(**r))
        .map(|r| (*r).to_owned())
        .collect();
    Ok((
        outcome,
        Some(Approved {
            file,
            signature: signature.map(|_| signature_file),
            signer: signer_name,
            digest: record.digest(),
            still_missing,
        }),
    ))
}

/// Whether `code` says a sign-off does not count for reasons of its own.
fn is_sign_off_error(code: Code) -> bool {
    matches!(
        code,
        Code::SignatureMissing
            | Code::SignatureInvalid
            | Code::SignerUnknown
            | Code::SignerNotAuthorised
            | Code::SameApprover
    )
}

/// The key a sign-off is signed with, and whose it is.
struct SigningKey<'a> {
    path: &'a Path,
    principal: String,
    fingerprint: String,
    signers: signing::AllowedSigners,
}

/// The key at `path`, with the principal its allowed signers entry gives it
/// that may sign as `role`; a usage error when there is none.
fn signing_key<'a>(
    repository: &Repository,
    path: &'a Path,
    role: &str,
) -> Result<SigningKey<'a>, Error> {
    let public = signing::public_key_of(path).map_err(|e| Error::Usage(e.0))?;
    let fingerprint = public.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    let text = repository
        .allowed_signers
        .as_ref()
        .map_or("", |loaded| loaded.value.as_str());
    let (signers, _) = signing::AllowedSigners::parse(text);
    let mut principals: Vec<String> = Vec::new();
    for entry in signers.entries_for(&public) {
        for principal in entry.literal_principals() {
            if !principals.iter().any(|p| p == principal) {
                principals.push(principal.to_owned());
            }
        }
    }
    let approvals = &repository.settings.value.approvals;
    let signers_file = approvals
        .signers
        .as_ref()
        .map_or_else(String::new, |s| s.value.clone());
    if principals.is_empty() {
        return Err(Error::Usage(format!(
            "the key {fingerprint} ({}) is not in the allowed signers file {signers_file}; \
             add it there, under its owner's address, in a reviewed change",
            path.display()
        )));
    }
    let Some(principal) = principals
        .iter()
        .find(|p| validate::may_sign(approvals, role, p))
    else {
        return Err(Error::Usage(format!(
            "the key {fingerprint} belongs to {}, who may not sign as `{role}`: \
             `approvals.roles.{role}` in candor.yaml does not list them",
            principals.join(", ")
        )));
    };
    Ok(SigningKey {
        path,
        principal: principal.clone(),
        fingerprint,
        signers,
    })
}

/// Signs `message` with `key`, and checks the signature as `candor check`
/// will, so a key that signs as someone else is caught now.
fn sign_approval(key: &SigningKey<'_>, message: &[u8]) -> Result<String, Error> {
    let armored = signing::sign(key.path, message).map_err(|e| Error::Usage(e.0))?;
    match signing::verify(message, &armored, &key.principal, &key.signers) {
        Ok(verified) if verified.fingerprint == key.fingerprint => Ok(armored),
        _ => Err(Error::Usage(format!(
            "the signature made with {} does not verify as {}'s; is it the key that \
             allowed signers lists?",
            key.path.display(),
            key.principal
        ))),
    }
}

/// The ids of the document kinds a repository renders.
fn document_kinds(repository: &Repository) -> Vec<String> {
    let mut kinds: Vec<String> = model::DocumentKind::built_in()
        .iter()
        .map(|k| k.id.to_string())
        .collect();
    for kind in &repository.settings.value.documents {
        if !kinds.contains(&kind.id.to_string()) {
            kinds.push(kind.id.to_string());
        }
    }
    kinds
}

/// Reads the repository holding `case` (a case id, or the path of a case
/// file) and returns it with the case's id. A case that does not exist is
/// a usage error; one that exists but does not load is left to its
/// diagnostics, with an empty id.
fn open_case(root: &Path, case: &str, options: Options) -> Result<(Repository, String), Error> {
    let as_path = Path::new(case);
    let looks_like_path = case.ends_with(".yaml") || case.ends_with(".yml") || case.contains('/');
    if looks_like_path {
        if !as_path.is_file() {
            return Err(Error::Usage(format!("no case file at `{case}`")));
        }
        let repository = load::open(&[as_path.to_path_buf()], options.limits)?;
        let case_id = repository
            .cases
            .first()
            .map(|loaded| loaded.value.id.to_string())
            .unwrap_or_default();
        return Ok((repository, case_id));
    }
    let repository = load::open(&[root.to_path_buf()], options.limits)?;
    let known: Vec<&str> = repository
        .cases
        .iter()
        .map(|c| c.value.id.as_str())
        .collect();
    if known.contains(&case) {
        return Ok((repository, case.to_owned()));
    }
    if repository.diagnostics.iter().any(Diagnostic::is_error) {
        return Ok((repository, String::new()));
    }
    let hint = match diagnostic::did_you_mean(case, known.iter().copied()) {
        Some(near) => format!("; did you mean `{near}`?"),
        None if known.is_empty() => " (this repository has no cases)".to_owned(),
        None => format!("; the cases are: {}", known.join(", ")),
    };
    Err(Error::Usage(format!("no case has the id `{case}`{hint}")))
}
