//! Ids are unique within their kind, and every reference resolves.

use crate::diagnostic::Diagnostic;
use crate::model::{Id, Spanned};

use super::{CheckedCase, IdIndex, unresolved};

pub(super) fn check(
    checked: &CheckedCase<'_>,
    people: &IdIndex<'_>,
    organisations: &IdIndex<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let case = checked.case;
    let file = checked.file;

    let mut principles = IdIndex::new("principle");
    for (index, principle) in checked.principles.iter().enumerate() {
        principles.insert(
            &principle.id,
            file,
            format!("principles[{index}]"),
            diagnostics,
        );
    }
    let mut sources = IdIndex::new("source");
    for (index, source) in case.sources.iter().enumerate() {
        sources.insert(
            &source.id,
            file,
            format!("sources[{index}].id"),
            diagnostics,
        );
    }
    let mut findings = IdIndex::new("finding");
    for (index, finding) in case.findings.iter().enumerate() {
        findings.insert(
            &finding.id,
            file,
            format!("findings[{index}].id"),
            diagnostics,
        );
    }
    let mut actions = IdIndex::new("action");
    for (index, action) in case.actions.iter().enumerate() {
        actions.insert(
            &action.id,
            file,
            format!("actions[{index}].id"),
            diagnostics,
        );
    }
    let mut quotes = IdIndex::new("quote");
    for (index, quote) in case.quotes.iter().enumerate() {
        quotes.insert(&quote.id, file, format!("quotes[{index}].id"), diagnostics);
    }

    let mut resolve =
        |index: &IdIndex<'_>, reference: &Spanned<Id>, path: String, otherwise: &str| {
            if !index.contains(&reference.value) {
                diagnostics.push(unresolved(
                    index.kind,
                    &reference.value,
                    reference.pos,
                    file,
                    path,
                    index.ids(),
                    otherwise,
                ));
            }
        };

    const ADD_PERSON: &str = "add the person under `people` in candor.yaml";
    if let Some(organisation) = &case.organisation {
        resolve(
            organisations,
            organisation,
            "organisation".to_owned(),
            "add it under `organisations` in candor.yaml",
        );
    }
    if let Some(spokesperson) = &case.spokesperson {
        resolve(people, spokesperson, "spokesperson".to_owned(), ADD_PERSON);
    }
    for (i, finding) in case.findings.iter().enumerate() {
        for (j, source) in finding.sources.iter().enumerate() {
            resolve(
                &sources,
                source,
                format!("findings[{i}].sources[{j}]"),
                "add it under `sources`",
            );
        }
    }
    for (i, action) in case.actions.iter().enumerate() {
        for (j, principle) in action.principles.iter().enumerate() {
            resolve(
                &principles,
                principle,
                format!("actions[{i}].principles[{j}]"),
                "list the principle under the case's `principles`",
            );
        }
        for (j, finding) in action.findings.iter().enumerate() {
            resolve(
                &findings,
                finding,
                format!("actions[{i}].findings[{j}]"),
                "add it under `findings`",
            );
        }
    }
    if let Some(review) = &case.review {
        for (i, exclusion) in review.not_examined.iter().enumerate() {
            if let Some(principle) = &exclusion.principle {
                resolve(
                    &principles,
                    principle,
                    format!("review.not_examined[{i}].principle"),
                    "list the principle under the case's `principles`",
                );
            }
        }
    }
    for (i, acknowledgement) in case.acknowledgements.iter().enumerate() {
        if let Some(source) = &acknowledgement.source {
            resolve(
                &sources,
                source,
                format!("acknowledgements[{i}].source"),
                "add it under `sources`",
            );
        }
    }
    for (i, quote) in case.quotes.iter().enumerate() {
        if let Some(by) = &quote.by {
            resolve(people, by, format!("quotes[{i}].by"), ADD_PERSON);
        }
    }
}
