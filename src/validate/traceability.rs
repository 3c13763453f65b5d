//! Traceability: every action is justified, every finding rests on
//! something, every exclusion and acknowledgement says what it refers to,
//! and nothing cited sits unused.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionState, Bearing, Id, Pos};

use super::CheckedCase;

pub(super) fn check(checked: &CheckedCase<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let case = checked.case;
    let at = |code, message: String, pos: Pos, path: String, id: Option<&Id>, help: &str| {
        let mut diagnostic = Diagnostic::new(code, message)
            .in_file(checked.file)
            .at(pos)
            .with_path(path)
            .with_help(help);
        if let Some(id) = id {
            diagnostic = diagnostic.with_id(id.as_str());
        }
        diagnostic
    };

    for (index, action) in case.actions.iter().enumerate() {
        if action.principles.is_empty() {
            diagnostics.push(at(
                Code::ActionWithoutPrinciple,
                format!("action `{}` cites no principle", action.id.value),
                action.id.pos,
                format!("actions[{index}]"),
                Some(&action.id),
                "add the principles that justify it under `principles`",
            ));
        }
        // A refusal rests on principles; it needs no finding.
        if action.findings.is_empty() && action.state != ActionState::Declined {
            diagnostics.push(at(
                Code::ActionWithoutFinding,
                format!("action `{}` cites no finding", action.id.value),
                action.id.pos,
                format!("actions[{index}]"),
                Some(&action.id),
                "add the findings that justify it under `findings`",
            ));
        }
    }

    for (index, action) in case.actions.iter().enumerate() {
        let stated = |text: &Option<String>| text.as_ref().is_some_and(|t| !t.trim().is_empty());
        if action.state == ActionState::Declined && !stated(&action.reason) {
            diagnostics.push(at(
                Code::DeclinedWithoutReason,
                format!(
                    "declined action `{}` does not say why it was refused",
                    action.id.value
                ),
                action.id.pos,
                format!("actions[{index}]"),
                Some(&action.id),
                "add `reason:` saying why the demand was refused",
            ));
        }
        for (j, departure) in action.departs_from.iter().enumerate() {
            if !stated(&departure.reason) {
                diagnostics.push(at(
                    Code::DepartureWithoutReason,
                    format!(
                        "action `{}` departs from principle `{}` without saying why",
                        action.id.value, departure.principle.value
                    ),
                    departure.pos,
                    format!("actions[{index}].departs_from[{j}]"),
                    Some(&action.id),
                    "add `reason:` saying why this case is an exception to the principle",
                ));
            }
        }
    }

    for (index, finding) in case.findings.iter().enumerate() {
        let has_evidence = finding
            .evidence
            .as_ref()
            .is_some_and(|e| !e.trim().is_empty());
        if finding.sources.is_empty() && !has_evidence {
            diagnostics.push(at(
                Code::FindingWithoutBasis,
                format!("finding `{}` cites no source and states no evidence", finding.id.value),
                finding.id.pos,
                format!("findings[{index}]"),
                Some(&finding.id),
                "cite the sources it bears on under `sources`, or say what it rests on under `evidence`",
            ));
        }
    }

    if let Some(review) = &case.review {
        for (index, exclusion) in review.not_examined.iter().enumerate() {
            if exclusion.principle.is_none() {
                diagnostics.push(at(
                    Code::ExclusionWithoutPrinciple,
                    format!(
                        "the review leaves out \"{}\" without naming the principle that excludes it",
                        exclusion.what.trim()
                    ),
                    exclusion.pos,
                    format!("review.not_examined[{index}]"),
                    None,
                    "add `principle:` with the id of the principle that kept the review away from it",
                ));
            }
        }
    }

    for (index, acknowledgement) in case.acknowledgements.iter().enumerate() {
        if acknowledgement.source.is_none() {
            diagnostics.push(at(
                Code::AcknowledgementWithoutSource,
                "an acknowledgement does not name the source it thanks".to_owned(),
                acknowledgement.pos,
                format!("acknowledgements[{index}]"),
                None,
                "add `source:` with the id of the source being thanked",
            ));
        }
    }

    // Unused items: cited by nothing, so no document needs them.
    let mut cited_principles: BTreeSet<&Id> = case
        .actions
        .iter()
        .flat_map(|a| {
            a.principles
                .iter()
                .chain(a.constrained_by.iter())
                .chain(a.departs_from.iter().map(|d| &d.principle))
                .map(|p| &p.value)
        })
        .collect();
    if let Some(review) = &case.review {
        cited_principles.extend(
            review
                .not_examined
                .iter()
                .filter_map(|e| e.principle.as_ref().map(|p| &p.value)),
        );
    }
    let cited_findings: BTreeSet<&Id> = case
        .actions
        .iter()
        .flat_map(|a| a.findings.iter().map(|f| &f.value))
        .collect();
    let cited_sources: BTreeSet<&Id> = case
        .findings
        .iter()
        .flat_map(|f| f.sources.iter().map(|s| &s.value))
        .chain(
            case.acknowledgements
                .iter()
                .filter_map(|a| a.source.as_ref().map(|s| &s.value)),
        )
        .chain(
            case.actions
                .iter()
                .flat_map(|a| a.sources.iter().map(|s| &s.value)),
        )
        .collect();

    for (index, principle) in checked.principles.iter().enumerate() {
        if !cited_principles.contains(&principle.id.value) {
            let pos = case
                .principles
                .get(index)
                .map_or(principle.id.pos, |entry| entry.pos);
            diagnostics.push(at(
                Code::UnusedPrinciple,
                format!(
                    "principle `{}` is cited by no action or exclusion",
                    principle.id.value
                ),
                pos,
                format!("principles[{index}]"),
                Some(&principle.id),
                "cite it where it applies, or remove it from the case",
            ));
        }
    }
    for (index, finding) in case.findings.iter().enumerate() {
        // A finding that takes a side on its sources should justify
        // something; one of undetermined or unstated bearing may stand alone.
        let takes_a_side = !matches!(finding.bearing, None | Some(Bearing::Undetermined));
        if takes_a_side && !cited_findings.contains(&finding.id.value) {
            diagnostics.push(at(
                Code::UnusedFinding,
                format!("finding `{}` justifies no action", finding.id.value),
                finding.id.pos,
                format!("findings[{index}]"),
                Some(&finding.id),
                "cite it from the actions it justifies; a finding that justifies nothing can leave out its `bearing`, or say `bearing: undetermined`",
            ));
        }
    }
    for (index, source) in case.sources.iter().enumerate() {
        if !cited_sources.contains(&source.id.value) {
            diagnostics.push(at(
                Code::UnusedSource,
                format!(
                    "source `{}` is cited by no finding or acknowledgement",
                    source.id.value
                ),
                source.id.pos,
                format!("sources[{index}]"),
                Some(&source.id),
                "cite it from the findings that bear on it, or remove it",
            ));
        }
    }
}
