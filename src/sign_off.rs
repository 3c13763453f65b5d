//! Signing off on a case: `candor approve`.
//!
//! A sign-off is given on the documents as they are rendered now: the case
//! is checked and rendered, and the digests of the documents and of
//! everything that decided them ([`approval::Record`]) are written to
//! `cases/<name>.approvals/<role>.yaml`. With a key, that file's bytes are
//! signed into `<role>.sig` beside it, and the signature checked as
//! `candor check` will check it. What may sign, and as which role, is
//! `candor.yaml`'s to say; a request it does not allow is a usage error,
//! and nothing is written.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::approval;
use crate::atomic;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::error::Error;
use crate::load::{self, Repository};
use crate::model::{self, Approvals};
use crate::outcome::{Options, Outcome};
use crate::pipeline::{produced_texts, render_case};
use crate::render;
use crate::signing;
use crate::validate::{self, Checked, CheckedCase, Identity, SignOff};

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
    let by = named(signer)?;
    let (repository, case_id) = load::open_case(root, case, options.limits)?;
    let approvals = &repository.settings.value.approvals;
    let roles = required_roles(approvals, role)?;
    keyed_as_required(approvals, signer.key)?;
    let checked = validate::validate(&repository);
    let (renderer, template_diagnostics) = render::Renderer::new(&repository.templates);
    let found = checked.cases.iter().find(|c| c.case.id.as_str() == case_id);
    let mut outcome = checked_outcome(&repository, &checked, found, &template_diagnostics);
    let Some(found) = found.filter(|_| !outcome.has_errors()) else {
        return Ok((outcome, None));
    };
    ready_for_sign_off(found, &case_id)?;
    let key = match signer.key {
        Some(path) => Some(signing_key(&repository, path, role)?),
        None => None,
    };
    let identity = match &key {
        Some(key) => Identity::signed(&key.principal, &key.fingerprint),
        None => Identity::named(by.unwrap_or_default()),
    };
    if let Some(other) = counted_in_other_roles(found, role).find(|s| s.identity.same_as(&identity))
    {
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
    let signer_name = match &key {
        Some(key) => key.principal.clone(),
        None => by.unwrap_or_default().to_owned(),
    };
    let text = record.approval_file(&approval::Header {
        case_id: &case_id,
        role,
        by: by.unwrap_or(&signer_name),
        principal: key.as_ref().map(|k| k.principal.as_str()),
        at: &model::Timestamp::now(),
        policy: &validate::policy_digest(approvals),
    });
    let signature = match &key {
        Some(key) => Some(sign_approval(key, text.as_bytes())?),
        None => None,
    };
    let file = load::approvals_folder(found.file).join(format!("{role}.yaml"));
    let signature_file = write_sign_off(&file, &text, signature.as_deref())?;
    let still_missing = still_missing(&roles, found, role, &record);
    Ok((
        outcome,
        Some(Approved {
            file,
            signature: signature_file,
            signer: signer_name,
            digest: record.digest(),
            still_missing,
        }),
    ))
}

/// The name `signer` gives with `--by`, trimmed; `None` when they give
/// only a key. A usage error when they give neither, or a name no file
/// could hold.
fn named<'a>(signer: Signer<'a>) -> Result<Option<&'a str>, Error> {
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
    Ok(by)
}

/// The roles `approvals` requires, when `role` is one of them; a usage
/// error naming the nearest, or all of them, when it is not.
fn required_roles<'s>(approvals: &'s Approvals, role: &str) -> Result<Vec<&'s str>, Error> {
    let roles: Vec<&str> = approvals.required.iter().map(|r| r.as_str()).collect();
    if roles.contains(&role) {
        return Ok(roles);
    }
    let hint = if roles.is_empty() {
        "candor.yaml requires no sign-off; list the roles under `approvals: required:`".to_owned()
    } else {
        match diagnostic::did_you_mean(role, roles.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the roles are: {}", roles.join(", ")),
        }
    };
    Err(Error::Usage(format!(
        "`{role}` is not a role candor.yaml requires to sign off; {hint}"
    )))
}

/// A usage error unless a `key` is given exactly when `approvals` names
/// an allowed signers file: signed sign-offs are required then, and
/// cannot be checked otherwise.
fn keyed_as_required(approvals: &Approvals, key: Option<&Path>) -> Result<(), Error> {
    match (&approvals.signers, key) {
        (Some(signers), None) => Err(Error::Usage(format!(
            "candor.yaml requires signed sign-offs (`approvals.signers: {}`): sign with \
             --key PATH, a key listed there",
            signers.value
        ))),
        (None, Some(_)) => Err(Error::Usage(
            "--key needs `approvals.signers` in candor.yaml: the allowed signers file \
             that says whose key it is and what they may sign"
                .to_owned(),
        )),
        _ => Ok(()),
    }
}

/// The outcome of checking the repository for a sign-off on `found`: its
/// own diagnostics, every error, and a changed policy. What is wrong with
/// a sign-off (the one being replaced, or another that does not count) is
/// for `check` to say; it does not stop this one.
fn checked_outcome(
    repository: &Repository,
    checked: &Checked<'_>,
    found: Option<&CheckedCase<'_>>,
    template_diagnostics: &[Diagnostic],
) -> Outcome {
    let diagnostics = checked
        .diagnostics
        .iter()
        .chain(template_diagnostics)
        .filter(|d| {
            found.is_none_or(|c| d.file.as_deref() == Some(c.file))
                || d.is_error()
                || d.code == Code::ApprovalPolicyChanged
        })
        .filter(|d| !is_sign_off_error(d.code))
        .cloned()
        .collect();
    Outcome {
        root: repository.root.clone(),
        diagnostics,
        ..Outcome::default()
    }
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

/// A usage error when `case`'s status says it is not for signing off.
fn ready_for_sign_off(case: &CheckedCase<'_>, case_id: &str) -> Result<(), Error> {
    match *case.case.status {
        model::Status::Draft => Err(Error::Usage(format!(
            "`{case_id}` is a draft; set `status: review` when it is ready for sign-off"
        ))),
        model::Status::Withdrawn => Err(Error::Usage(format!(
            "`{case_id}` is withdrawn; there is nothing to sign off"
        ))),
        _ => Ok(()),
    }
}

/// The sign-offs of `case` that count, in roles other than `role`.
fn counted_in_other_roles<'c, 'r>(
    case: &'c CheckedCase<'r>,
    role: &'c str,
) -> impl Iterator<Item = &'c SignOff<'r>> {
    case.sign_offs
        .iter()
        .filter(move |s| !s.under_other_policy && s.loaded.value.role.as_str() != role)
}

/// The roles of `roles` still to sign off on `case` once `role` has, on
/// the content `record` holds: a sign-off in another role counts only if
/// it was given on the same content.
fn still_missing(
    roles: &[&str],
    case: &CheckedCase<'_>,
    role: &str,
    record: &approval::Record,
) -> Vec<String> {
    let approved: BTreeSet<&str> = counted_in_other_roles(case, role)
        .filter(|s| approval::Record::recorded_in(&s.loaded.value) == *record)
        .map(|s| s.loaded.value.role.as_str())
        .chain(std::iter::once(role))
        .collect();
    roles
        .iter()
        .filter(|r| !approved.contains(**r))
        .map(|r| (*r).to_owned())
        .collect()
}

/// Writes the approval `text` to `file` and, when signed, its `signature`
/// beside it; an unsigned sign-off removes the signature of the one it
/// replaces, which would no longer verify. The signature's file, when
/// written.
fn write_sign_off(
    file: &Path,
    text: &str,
    signature: Option<&str>,
) -> Result<Option<PathBuf>, Error> {
    let signature_file = file.with_extension("sig");
    atomic::write_atomically(file, text.as_bytes())?;
    match signature {
        Some(armored) => {
            atomic::write_atomically(&signature_file, armored.as_bytes())?;
            Ok(Some(signature_file))
        }
        None => match std::fs::remove_file(&signature_file) {
            Ok(()) => Ok(None),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Io {
                path: signature_file,
                source,
            }),
        },
    }
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
