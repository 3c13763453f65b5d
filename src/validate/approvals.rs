//! Sign-offs, as recorded: each approval file belongs to its case and to a
//! role `candor.yaml` requires, and no one signs off in two roles. Whether
//! a sign-off still holds depends on the rendered documents: see
//! [`crate::approval`].

use std::collections::BTreeMap;

use super::CheckedCase;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::Repository;
use crate::model::Id;

/// Checks the approval files beside `case` against the `roles` required.
pub(super) fn check(
    repository: &Repository,
    case: &CheckedCase<'_>,
    roles: &[&Id],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(approvals) = repository.approvals.get(case.file) else {
        return;
    };
    let case_id = case.case.id.as_str();
    let mut signers: BTreeMap<String, &str> = BTreeMap::new();
    for loaded in approvals {
        let approval = &loaded.value;
        let file = loaded.file.as_path();
        if approval.case.value != case.case.id.value {
            diagnostics.push(
                Diagnostic::new(
                    Code::ApprovalMisplaced,
                    format!(
                        "this approval is of the case `{}`, but it is filed beside the case `{case_id}`",
                        approval.case.value
                    ),
                )
                .in_file(file)
                .at(approval.case.pos)
                .with_path("case")
                .with_id(case_id)
                .with_help(format!(
                    "move it beside the case it approves, or approve `{case_id}` with `candor approve {case_id}`"
                )),
            );
            continue;
        }
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != approval.role.as_str() {
            diagnostics.push(
                Diagnostic::new(
                    Code::ApprovalMisplaced,
                    format!(
                        "the file is named `{stem}` but records the role `{}`",
                        approval.role.value
                    ),
                )
                .in_file(file)
                .at(approval.role.pos)
                .with_path("role")
                .with_id(case_id)
                .with_help(format!("rename the file to {}.yaml", approval.role.value)),
            );
        }
        if !roles.iter().any(|role| **role == approval.role.value) {
            let help = if roles.is_empty() {
                "candor.yaml requires no sign-off: list the roles under `approvals.required`"
                    .to_owned()
            } else {
                let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                match did_you_mean(approval.role.as_str(), names.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the roles candor.yaml requires are: {}", names.join(", ")),
                }
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::UnknownRole,
                    format!(
                        "`{}` is not a role candor.yaml requires to sign off",
                        approval.role.value
                    ),
                )
                .in_file(file)
                .at(approval.role.pos)
                .with_path("role")
                .with_id(case_id)
                .with_help(help),
            );
        }
        let signer = identity(&approval.by);
        match signers.get(&signer) {
            Some(other_role) if *other_role != approval.role.as_str() => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::SameApprover,
                        format!(
                            "{} signs off as both `{other_role}` and `{}`; one person cannot fill two roles",
                            approval.by.value.trim(),
                            approval.role.value
                        ),
                    )
                    .in_file(file)
                    .at(approval.by.pos)
                    .with_path("by")
                    .with_id(case_id)
                    .with_help(format!(
                        "ask someone else to sign off as `{}`",
                        approval.role.value
                    )),
                );
            }
            Some(_) => {}
            None => {
                signers.insert(signer, approval.role.as_str());
            }
        }
    }
}

/// Who `by` names, for telling whether two sign-offs are by one person:
/// the address in `Name <address>` when there is one, otherwise the name;
/// case and spacing do not count.
pub(crate) fn identity(by: &str) -> String {
    let by = by.trim();
    let address = by
        .rfind('<')
        .and_then(|open| by[open + 1..].strip_suffix('>'))
        .filter(|address| !address.trim().is_empty());
    address
        .unwrap_or(by)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::identity;

    #[test]
    fn one_person_is_one_identity() {
        assert_eq!(identity("Jane Doe"), identity("  jane   DOE "));
        assert_eq!(
            identity("Jane Doe <jane@example.com>"),
            identity("J. Doe <Jane@Example.com>")
        );
        assert_ne!(identity("Jane Doe"), identity("John Doe"));
    }
}
