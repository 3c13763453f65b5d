//! Every action is justified: it cites at least one principle and one finding.

use crate::diagnostic::{Code, Diagnostic};

use super::CheckedCase;

pub(super) fn check(checked: &CheckedCase<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for (index, action) in checked.case.actions.iter().enumerate() {
        let located = |code, message: String, help: &str| {
            Diagnostic::new(code, message)
                .in_file(checked.file)
                .at(action.id.pos)
                .with_path(format!("actions[{index}]"))
                .with_id(action.id.as_str())
                .with_help(help)
        };
        if action.principles.is_empty() {
            diagnostics.push(located(
                Code::ActionWithoutPrinciple,
                format!("action `{}` cites no principle", action.id.value),
                "add the principles that justify it under `principles`",
            ));
        }
        if action.findings.is_empty() {
            diagnostics.push(located(
                Code::ActionWithoutFinding,
                format!("action `{}` cites no finding", action.id.value),
                "add the findings that justify it under `findings`",
            ));
        }
    }
}
