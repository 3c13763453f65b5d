//! Sign-offs, as recorded: each approval file belongs to its case and to a
//! role `candor.yaml` requires, was given under the sign-off policy in
//! force, is signed by a key allowed to sign in its role once
//! `approvals.signers` is set, and no one signs off in two roles. Whether
//! a sign-off still holds depends on the rendered documents: see
//! [`crate::approval`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use super::CheckedCase;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::{Loaded, Repository, Signature};
use crate::model::{Approval, Approvals, Id, Pos};
use crate::signing::{self, AllowedSigners, Failure, Verified};

/// A sign-off that passed every check of its own: it counts if the
/// content it records is still the content.
#[derive(Debug, Clone)]
pub struct SignOff<'r> {
    /// The approval file.
    pub loaded: &'r Loaded<Approval>,
    /// Who gave it, as they are named: the principal of a signed sign-off,
    /// else the `by` text.
    pub signer: String,
    /// Who gave it, for telling whether two sign-offs are by one person.
    pub identity: Identity,
    /// Whether it was given under another sign-off policy than the one in
    /// force, so it no longer counts.
    pub under_other_policy: bool,
}

/// What the sign-off rules need from `candor.yaml`, worked out once.
pub(crate) struct Policy<'a> {
    /// The roles required.
    pub(crate) roles: Vec<&'a Id>,
    /// The digest of the policy now: see [`policy_digest`].
    pub(crate) digest: String,
    /// The allowed signers, when `approvals.signers` is set; empty when it
    /// is set but could not be read, so nothing signed counts.
    pub(crate) signers: Option<AllowedSigners>,
    /// What checking each signature found, by approval file: every
    /// signature of the repository, checked in parallel up front.
    verdicts: BTreeMap<&'a Path, Result<Verified, Failure>>,
    /// `approvals` itself.
    pub(crate) approvals: &'a Approvals,
}

/// The digest of a sign-off policy: the roles required, the allowed
/// signers file named, and who may sign in each role. Order does not count;
/// any other change does, so a sign-off given under one policy does not
/// carry over to a weaker one.
pub fn policy_digest(approvals: &Approvals) -> String {
    let mut required: Vec<&str> = approvals.required.iter().map(|r| r.as_str()).collect();
    required.sort_unstable();
    required.dedup();
    let mut text = String::from("candor sign-off policy\n");
    for role in required {
        let _ = writeln!(text, "required {role}");
    }
    if let Some(signers) = &approvals.signers {
        let _ = writeln!(text, "signers {}", signers.value);
    }
    for (role, principals) in &approvals.roles {
        let mut names: Vec<String> = principals
            .value
            .iter()
            .map(|p| p.value.trim().to_lowercase())
            .collect();
        names.sort_unstable();
        names.dedup();
        let _ = writeln!(text, "role {role} {}", names.join(" "));
    }
    crate::manifest::digest(text.as_bytes())
}

impl<'a> Policy<'a> {
    /// The policy of `repository`, reporting what is wrong with it: an
    /// allowed signers line candor cannot use, a role with no list of
    /// signers, a list for a role not required.
    pub(crate) fn of(repository: &'a Repository, diagnostics: &mut Vec<Diagnostic>) -> Policy<'a> {
        let approvals = &repository.settings.value.approvals;
        let settings_file = repository.settings.file.as_path();
        let signers = approvals.signers.as_ref().map(|_| {
            let Some(loaded) = &repository.allowed_signers else {
                return AllowedSigners::default();
            };
            let (signers, bad) = AllowedSigners::parse(&loaded.value);
            for line in bad {
                diagnostics.push(
                    Diagnostic::new(Code::InvalidValue, line.message)
                        .in_file(&loaded.file)
                        .at(Pos {
                            line: line.line,
                            column: 1,
                        })
                        .with_help(
                            "write `principal[,principal…] [namespaces=\"candor\"] KEY`, \
                             as `ssh-keygen -Y verify` reads it",
                        ),
                );
            }
            signers
        });
        if let Some(named) = &approvals.signers {
            for role in &approvals.required {
                if !approvals.roles.contains_key(role.as_str()) {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::MissingField,
                            format!(
                                "`approvals.signers` is set, but `approvals.roles` does not say \
                                 who may sign as `{}`",
                                role.value
                            ),
                        )
                        .in_file(settings_file)
                        .at(named.pos)
                        .with_path("approvals.roles")
                        .with_help(format!(
                            "list the principals who may sign as `{}`, such as \
                             `roles: {{{}: [jane@example.com]}}`",
                            role.value, role.value
                        )),
                    );
                }
            }
        }
        let roles: Vec<&Id> = approvals.required.iter().map(|r| &r.value).collect();
        for (role, principals) in &approvals.roles {
            if !roles.iter().any(|r| r.as_str() == role) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownRole,
                        format!("`approvals.roles` lists `{role}`, which is not a required role"),
                    )
                    .in_file(settings_file)
                    .at(principals.pos)
                    .with_path(format!("approvals.roles.{role}"))
                    .with_help("add it to `approvals.required`, or remove its list"),
                );
            }
        }
        let verdicts = signers
            .as_ref()
            .map(|signers| verify_all(repository, signers))
            .unwrap_or_default();
        Policy {
            roles,
            digest: policy_digest(approvals),
            signers,
            verdicts,
            approvals,
        }
    }

    /// Whether `principal` may sign as `role`.
    fn authorises(&self, role: &str, principal: &str) -> bool {
        may_sign(self.approvals, role, principal)
    }
}

/// Checks the signature of every approval file that has one and names a
/// principal, in parallel.
fn verify_all<'a>(
    repository: &'a Repository,
    signers: &AllowedSigners,
) -> BTreeMap<&'a Path, Result<Verified, Failure>> {
    let signed: Vec<(&Path, &str, &Signature)> = repository
        .approvals
        .values()
        .flatten()
        .filter_map(|loaded| {
            let principal = loaded.value.principal.as_ref()?;
            let signature = repository.signatures.get(&loaded.file)?;
            Some((loaded.file.as_path(), principal.value.as_str(), signature))
        })
        .collect();
    signed
        .into_par_iter()
        .map(|(file, principal, signature)| {
            let verdict =
                signing::verify(&signature.message, &signature.armored, principal, signers);
            (file, verdict)
        })
        .collect()
}

/// Whether `approvals.roles` lets `principal` sign as `role`; case and
/// surrounding spaces do not count.
pub(crate) fn may_sign(approvals: &Approvals, role: &str, principal: &str) -> bool {
    let principal = principal.trim().to_lowercase();
    approvals.roles.get(role).is_some_and(|listed| {
        listed
            .value
            .iter()
            .any(|p| p.value.trim().to_lowercase() == principal)
    })
}

/// Checks the approval files beside `case` against `policy`, and returns
/// the sign-offs that may count.
pub(super) fn check<'r>(
    repository: &'r Repository,
    case: &CheckedCase<'_>,
    policy: &Policy<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SignOff<'r>> {
    let Some(approvals) = repository.approvals.get(case.file) else {
        return Vec::new();
    };
    let case_id = case.case.id.as_str();
    let mut sign_offs: Vec<SignOff<'r>> = Vec::new();
    // Who signed which role, and with which key.
    let mut seen: Vec<(Identity, &str)> = Vec::new();
    for loaded in approvals {
        let approval = &loaded.value;
        let file = loaded.file.as_path();
        let located = |diagnostic: Diagnostic, pos: Pos, path: &str| {
            diagnostic
                .in_file(file)
                .at(pos)
                .with_path(path)
                .with_id(case_id)
        };
        if let Some((diagnostic, pos, path)) = misplaced(approval, file, case_id) {
            diagnostics.push(located(diagnostic, pos, path));
            continue;
        }
        let role = approval.role.as_str();
        if approval.policy.as_ref().map(|p| p.value.as_str()) != Some(policy.digest.as_str()) {
            diagnostics.push(policy_changed(approval, case_id).in_file(file));
            sign_offs.push(SignOff {
                loaded,
                signer: approval.by.value.trim().to_owned(),
                identity: Identity::named(&approval.by.value),
                under_other_policy: true,
            });
            continue;
        }
        if !policy.roles.iter().any(|r| r.as_str() == role) {
            diagnostics.push(located(
                unknown_role(approval, &policy.roles),
                approval.role.pos,
                "role",
            ));
            continue;
        }
        let identity = match &policy.signers {
            None => Identity::named(&approval.by.value),
            Some(signers) => match signed_identity(repository, loaded, signers, policy, case_id) {
                Ok(identity) => identity,
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    continue;
                }
            },
        };
        if let Some((_, other_role)) = seen.iter().find(|(other, _)| other.same_as(&identity)) {
            let (pos, path) = match &approval.principal {
                Some(principal) if policy.signers.is_some() => (principal.pos, "principal"),
                _ => (approval.by.pos, "by"),
            };
            diagnostics.push(located(
                Diagnostic::new(
                    Code::SameApprover,
                    format!(
                        "{} signs off as both `{other_role}` and `{role}`; one person, or one \
                         key, cannot fill two roles",
                        identity.shown
                    ),
                )
                .with_help(format!("ask someone else to sign off as `{role}`")),
                pos,
                path,
            ));
            continue;
        }
        sign_offs.push(SignOff {
            loaded,
            signer: identity.shown.clone(),
            identity: identity.clone(),
            under_other_policy: false,
        });
        seen.push((identity, role));
    }
    sign_offs
}

/// Why `approval`, in `file` beside the case `case_id`, is not where it
/// belongs: it is of another case, or named for another role.
fn misplaced(
    approval: &Approval,
    file: &std::path::Path,
    case_id: &str,
) -> Option<(Diagnostic, Pos, &'static str)> {
    if approval.case.as_str() != case_id {
        return Some((
            Diagnostic::new(
                Code::ApprovalMisplaced,
                format!(
                    "this approval is of the case `{}`, but it is filed beside the case `{case_id}`",
                    approval.case.value
                ),
            )
            .with_help(format!(
                "move it beside the case it approves, or approve `{case_id}` with `candor approve {case_id}`"
            )),
            approval.case.pos,
            "case",
        ));
    }
    let role = approval.role.as_str();
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    (stem != role).then(|| {
        (
            Diagnostic::new(
                Code::ApprovalMisplaced,
                format!("the file is named `{stem}` but records the role `{role}`"),
            )
            .with_help(format!("rename the file to {role}.yaml")),
            approval.role.pos,
            "role",
        )
    })
}

fn policy_changed(approval: &Approval, case_id: &str) -> Diagnostic {
    let role = approval.role.as_str();
    let (pos, path, why) = match &approval.policy {
        Some(recorded) => (
            recorded.pos,
            "policy",
            "the sign-off policy (`approvals` in candor.yaml) has changed since it was given",
        ),
        None => (
            approval.role.pos,
            "role",
            "it records no sign-off policy: it was written by an earlier candor",
        ),
    };
    Diagnostic::new(
        Code::ApprovalPolicyChanged,
        format!(
            "the {role} sign-off on `{case_id}` ({}, {}) no longer counts: {why}",
            approval.by.value.trim(),
            approval.at.value
        ),
    )
    .at(pos)
    .with_path(path)
    .with_id(case_id)
    .with_help(format!(
        "if the change to `approvals` is meant, sign off again under it with \
         `candor approve {case_id} --role ROLE`; until then the case is not published"
    ))
}

fn unknown_role(approval: &Approval, roles: &[&Id]) -> Diagnostic {
    let help = if roles.is_empty() {
        "candor.yaml requires no sign-off: list the roles under `approvals.required`".to_owned()
    } else {
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        match did_you_mean(approval.role.as_str(), names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the roles candor.yaml requires are: {}", names.join(", ")),
        }
    };
    Diagnostic::new(
        Code::UnknownRole,
        format!(
            "`{}` is not a role candor.yaml requires to sign off",
            approval.role.value
        ),
    )
    .with_help(help)
}

/// Who signed `loaded`, once its signature checks out against `signers`
/// and its principal may sign in its role; else the error saying why not.
fn signed_identity(
    repository: &Repository,
    loaded: &Loaded<Approval>,
    signers: &AllowedSigners,
    policy: &Policy<'_>,
    case_id: &str,
) -> Result<Identity, Diagnostic> {
    let approval = &loaded.value;
    let role = approval.role.as_str();
    let located = |code: Code, message: String, pos: Pos, path: &str, help: String| {
        let diagnostic = Diagnostic::new(code, message)
            .in_file(&loaded.file)
            .at(pos)
            .with_id(case_id)
            .with_help(help);
        if path.is_empty() {
            diagnostic
        } else {
            diagnostic.with_path(path)
        }
    };
    let sign_again = format!("sign off with `candor approve {case_id} --role {role} --key PATH`");
    let Some(signature) = repository.signatures.get(&loaded.file) else {
        return Err(located(
            Code::SignatureMissing,
            format!(
                "the {role} sign-off on `{case_id}` is not signed, and `approvals.signers` is \
                 set: it does not count"
            ),
            approval.role.pos,
            "role",
            format!("{sign_again}; a sign-off is signed in {role}.sig beside it"),
        ));
    };
    let Some(principal) = &approval.principal else {
        return Err(located(
            Code::SignerUnknown,
            "the sign-off names no `principal`, so no allowed signer can be its author".to_owned(),
            approval.by.pos,
            "by",
            sign_again,
        ));
    };
    let verdict = policy
        .verdicts
        .get(loaded.file.as_path())
        .cloned()
        .unwrap_or_else(|| {
            signing::verify(
                &signature.message,
                &signature.armored,
                &principal.value,
                signers,
            )
        });
    match verdict {
        Err(Failure::Invalid(why)) => Err(located(
            Code::SignatureInvalid,
            format!(
                "the signature in {} does not verify: {why}; the approval file or its \
                 signature was altered",
                file_name(&signature.file)
            ),
            Pos { line: 1, column: 1 },
            "",
            format!(
                "compare the file with the one signed off in review; if the sign-off is \
                 genuine, {sign_again}"
            ),
        )),
        Err(Failure::UnknownSigner {
            fingerprint,
            listed,
        }) => {
            let message = if listed {
                format!(
                    "the key that signed it ({fingerprint}) is in allowed signers, but not for `{}`",
                    principal.value
                )
            } else {
                format!("the key that signed it ({fingerprint}) is not in allowed signers")
            };
            Err(located(
                Code::SignerUnknown,
                message,
                principal.pos,
                "principal",
                "add the signer's public key to the allowed signers file, under their \
                 principal, in a reviewed change"
                    .to_owned(),
            ))
        }
        Ok(verified) if !policy.authorises(role, &principal.value) => Err(located(
            Code::SignerNotAuthorised,
            format!(
                "{} may not sign as `{role}`: `approvals.roles.{role}` does not list them",
                principal.value
            ),
            principal.pos,
            "principal",
            format!(
                "ask someone `approvals.roles.{role}` lists to sign off (key {})",
                verified.fingerprint
            ),
        )),
        Ok(verified) => Ok(Identity::signed(&principal.value, &verified.fingerprint)),
    }
}

fn file_name(file: &std::path::Path) -> String {
    file.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Who a sign-off is by, for telling whether two are by one person: the
/// addresses and names it gives, and the key that signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    addresses: Vec<String>,
    names: Vec<String>,
    key: Option<String>,
    /// As shown in messages.
    pub shown: String,
}

impl Identity {
    /// The signer of a signed sign-off: its principal and its key.
    pub fn signed(principal: &str, fingerprint: &str) -> Identity {
        Identity {
            addresses: vec![principal.trim().to_lowercase()],
            names: Vec::new(),
            key: Some(fingerprint.to_owned()),
            shown: principal.trim().to_owned(),
        }
    }

    /// Who `by` names: `Name <address>`, a bare address, or a name. Case
    /// and spacing do not count.
    pub fn named(by: &str) -> Identity {
        let by = by.trim();
        let tidy = |text: &str| {
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let bracketed = by.rfind('<').and_then(|open| {
            let address = by[open + 1..].strip_suffix('>')?.trim();
            (!address.is_empty()).then(|| (tidy(&by[..open]), tidy(address)))
        });
        let (name, address) = match bracketed {
            Some((name, address)) => (name, Some(address)),
            None if by.contains('@') && !by.contains(char::is_whitespace) => {
                (String::new(), Some(tidy(by)))
            }
            None => (tidy(by), None),
        };
        Identity {
            addresses: address.into_iter().collect(),
            names: Some(name).filter(|n| !n.is_empty()).into_iter().collect(),
            key: None,
            shown: by.to_owned(),
        }
    }

    /// Whether the two are one person: the same address, the same name,
    /// or the same key, however the rest is written.
    pub fn same_as(&self, other: &Identity) -> bool {
        let shared = |a: &[String], b: &[String]| a.iter().any(|x| b.contains(x));
        shared(&self.addresses, &other.addresses)
            || shared(&self.names, &other.names)
            || (self.key.is_some() && self.key == other.key)
    }
}

#[cfg(test)]
mod tests {
    use super::Identity;

    fn same(a: &str, b: &str) -> bool {
        Identity::named(a).same_as(&Identity::named(b))
    }

    #[test]
    fn one_person_is_one_identity_however_spelt() {
        assert!(same("Jane Doe", "  jane   DOE "));
        assert!(same(
            "Jane Doe <jane@example.com>",
            "J. Doe <Jane@Example.com>"
        ));
        assert!(same("Jane Doe <jane@example.com>", "Jane Doe"));
        assert!(same("Jane Doe <jane@example.com>", "jane@example.com"));
        assert!(!same("Jane Doe", "John Doe"));
        assert!(!same(
            "Jane Doe <jane@example.com>",
            "Sam Lee <sam@example.com>"
        ));
    }
}
