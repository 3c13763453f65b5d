//! Ids are unique within their kind, and every reference resolves.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
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
    unique_across_kinds(checked, diagnostics);

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

/// An id names one item in a case, whatever its kind, so `cite(id=…)` in a
/// template is never ambiguous.
fn unique_across_kinds(checked: &CheckedCase<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let case = checked.case;
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    let items = checked
        .principles
        .iter()
        .map(|p| ("principle", &p.id, "principles"))
        .chain(case.sources.iter().map(|s| ("source", &s.id, "sources")))
        .chain(case.findings.iter().map(|f| ("finding", &f.id, "findings")))
        .chain(case.actions.iter().map(|a| ("action", &a.id, "actions")))
        .chain(case.quotes.iter().map(|q| ("quote", &q.id, "quotes")));
    for (kind, id, _) in items {
        match owners.get(id.as_str()) {
            Some(owner) if *owner != kind => diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("the id `{}` already names a {owner} in this case", id.value),
                )
                .in_file(checked.file)
                .at(id.pos)
                .with_id(id.as_str())
                .with_help(format!(
                    "give the {kind} its own id: templates cite items by id alone"
                )),
            ),
            Some(_) => {}
            None => {
                owners.insert(id.as_str(), kind);
            }
        }
    }
}
