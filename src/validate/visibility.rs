//! What a public document says must stand on public ground: a public action
//! whose justifying findings, or principles, are all internal would appear
//! in public with no reason given.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Id, Visibility};

use super::CheckedCase;

pub(super) fn check(checked: &CheckedCase<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let case = checked.case;
    let public_findings: BTreeSet<&Id> = case
        .findings
        .iter()
        .filter(|f| f.visibility == Visibility::Public)
        .map(|f| &f.id.value)
        .collect();
    let public_principles: BTreeSet<&Id> = checked
        .principles
        .iter()
        .filter(|p| p.visibility == Visibility::Public)
        .map(|p| &p.id.value)
        .collect();
    for (index, action) in case.actions.iter().enumerate() {
        if action.visibility != Visibility::Public {
            continue;
        }
        // References that resolve to nothing are reported on their own; do
        // not also call the action unjustified because of them.
        let known_findings: BTreeSet<&Id> = case.findings.iter().map(|f| &f.id.value).collect();
        let known_principles: BTreeSet<&Id> =
            checked.principles.iter().map(|p| &p.id.value).collect();
        let dangling = action
            .findings
            .iter()
            .any(|f| !known_findings.contains(&f.value))
            || action
                .principles
                .iter()
                .any(|p| !known_principles.contains(&p.value));
        if dangling {
            continue;
        }
        let mut missing = Vec::new();
        if !action.findings.is_empty()
            && !action
                .findings
                .iter()
                .any(|f| public_findings.contains(&f.value))
        {
            missing.push("findings");
        }
        if !action.principles.is_empty()
            && !action
                .principles
                .iter()
                .any(|p| public_principles.contains(&p.value))
        {
            missing.push("principles");
        }
        for departure in &action.departs_from {
            if !public_principles.contains(&departure.principle.value) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnjustifiedInPublic,
                        format!(
                            "public action `{}` departs from internal principle `{}`: \
                             public documents could not say it is an exception",
                            action.id.value, departure.principle.value
                        ),
                    )
                    .in_file(checked.file)
                    .at(departure.pos)
                    .with_path(format!("actions[{index}].departs_from"))
                    .with_id(action.id.as_str())
                    .with_help("make the principle public, or the action internal"),
                );
            }
        }
        if !missing.is_empty() {
            let what = missing.join(" and ");
            diagnostics.push(
                Diagnostic::new(
                    Code::UnjustifiedInPublic,
                    format!(
                        "public action `{}` is justified only by internal {what}: \
                         public documents would state it without a reason",
                        action.id.value
                    ),
                )
                .in_file(checked.file)
                .at(action.id.pos)
                .with_path(format!("actions[{index}]"))
                .with_id(action.id.as_str())
                .with_help(format!(
                    "make one of its {what} public, or make the action internal"
                )),
            );
        }
    }
}
