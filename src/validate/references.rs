//! Ids are unique within their kind, and every reference resolves.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, Suggestions, did_you_mean};
use crate::model::{Id, Spanned};

use super::{CheckedCase, IdIndex, Known, nearest_or, unresolved};

pub(super) fn check(
    checked: &CheckedCase<'_>,
    known: &Known<'_>,
    suggestions: &mut Suggestions,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let case = checked.case;
    let file = checked.file;
    let people = known.people;
    let organisations = known.organisations;

    // A principle listed twice is reported where the case lists it, not
    // where the library defines it.
    let mut principles = IdIndex::new("principle");
    let mut ignored = Vec::new();
    for principle in &checked.principles {
        principles.insert(&principle.id, file, String::new(), &mut ignored);
    }
    let mut listed = std::collections::BTreeSet::new();
    for (index, entry) in case.principles.iter().enumerate() {
        let id = match &entry.value {
            crate::model::PrincipleEntry::Library(id) => id,
            crate::model::PrincipleEntry::Inline(principle) => &principle.id.value,
        };
        if !listed.insert(id) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("the case lists the principle `{id}` twice"),
                )
                .in_file(file)
                .at(entry.pos)
                .with_path(format!("principles[{index}]"))
                .with_id(id.as_str())
                .with_help("list each principle once"),
            );
        }
    }
    let mut earlier_sources = IdIndex::new("source");
    let mut earlier_findings = IdIndex::new("finding");
    if let Some(earlier) = checked.earlier {
        let mut ignored = Vec::new();
        for source in &earlier.sources {
            earlier_sources.insert(&source.id, file, String::new(), &mut ignored);
        }
        for finding in &earlier.findings {
            earlier_findings.insert(&finding.id, file, String::new(), &mut ignored);
        }
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

    let mut pending = Vec::new();
    let mut resolve =
        |index: &IdIndex<'_>, reference: &Spanned<Id>, path: String, otherwise: &str| {
            if !index.contains(&reference.value) {
                pending.push(unresolved(
                    index.kind,
                    &reference.value,
                    reference.pos,
                    file,
                    path,
                    nearest_or(
                        suggestions.did_you_mean(reference.value.as_str(), index.ids()),
                        otherwise,
                    ),
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
            // An update may cite the sources of the case it updates.
            if !earlier_sources.contains(&source.value) {
                resolve(
                    &sources,
                    source,
                    format!("findings[{i}].sources[{j}]"),
                    "add it under `sources`",
                );
            }
        }
        if finding.said.is_some() && finding.revises.is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!(
                        "finding `{}` says what was said before, but revises no finding",
                        finding.id.value
                    ),
                )
                .in_file(file)
                .at(finding.id.pos)
                .with_path(format!("findings[{i}].said"))
                .with_id(finding.id.as_str())
                .with_help(
                    "name the earlier finding it corrects with `revises:`, or remove `said:`",
                ),
            );
        }
        if let Some(revised) = &finding.revises {
            if case.updates.is_none() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnresolvedReference,
                        format!(
                            "finding `{}` revises `{}`, but the case updates no earlier case",
                            finding.id.value, revised.value
                        ),
                    )
                    .in_file(file)
                    .at(revised.pos)
                    .with_path(format!("findings[{i}].revises"))
                    .with_id(revised.as_str())
                    .with_help("name the earlier case with `updates:` at the top of the case"),
                );
            } else if checked.earlier.is_some() {
                resolve(
                    &earlier_findings,
                    revised,
                    format!("findings[{i}].revises"),
                    "name a finding of the earlier case",
                );
            }
        }
    }
    if let Some(updated) = &case.updates {
        let exists = known.cases.contains_key(&updated.value) && updated.value != case.id.value;
        if !exists {
            let others = known
                .cases
                .keys()
                .map(|id| id.as_str())
                .filter(|id| *id != case.id.as_str());
            diagnostics.push(unresolved(
                "other case",
                &updated.value,
                updated.pos,
                file,
                "updates".to_owned(),
                // One reference a case: it needs no share of the allowance.
                nearest_or(
                    did_you_mean(updated.value.as_str(), others),
                    "name the id of the earlier case this one updates",
                ),
            ));
        }
    }
    for (i, document) in case.documents.iter().enumerate() {
        if !known.kinds.contains(&&document.kind.value) {
            diagnostics.push(unresolved(
                "document kind",
                &document.kind.value,
                document.kind.pos,
                file,
                format!("documents[{i}].kind"),
                // Against a handful of kinds, suggesting costs nothing.
                nearest_or(
                    did_you_mean(
                        document.kind.value.as_str(),
                        known.kinds.iter().map(|k| k.as_str()),
                    ),
                    "name a built-in document kind or one from candor.yaml",
                ),
            ));
        }
        if let Some(sender) = &document.sender {
            resolve(people, sender, format!("documents[{i}].sender"), ADD_PERSON);
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
        for (j, source) in action.sources.iter().enumerate() {
            if !earlier_sources.contains(&source.value) {
                resolve(
                    &sources,
                    source,
                    format!("actions[{i}].sources[{j}]"),
                    "add it under `sources`",
                );
            }
        }
        for (j, departure) in action.departs_from.iter().enumerate() {
            resolve(
                &principles,
                &departure.principle,
                format!("actions[{i}].departs_from[{j}].principle"),
                "list the principle under the case's `principles`",
            );
        }
        for (j, principle) in action.constrained_by.iter().enumerate() {
            resolve(
                &principles,
                principle,
                format!("actions[{i}].constrained_by[{j}]"),
                "list the principle under the case's `principles`",
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
    diagnostics.extend(pending);
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
