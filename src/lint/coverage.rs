//! Coverage: a document cites every item its kind must cover. What counts
//! is what the template cited through `cite()`, so a template that leaves an
//! action out is caught whoever wrote it.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Coverage, DocumentKind, Pos};
use crate::outcome::Document;
use crate::project::View;
use crate::validate::CheckedCase;

pub(super) fn check(
    document: &Document,
    kind: &DocumentKind,
    case: &CheckedCase<'_>,
    view: &View,
) -> Vec<Diagnostic> {
    let covers = kind.covers.as_deref().unwrap_or_default();
    // (what, id), in the order a reader meets them.
    let mut required: Vec<(&str, &str)> = Vec::new();
    let mut seen = BTreeSet::new();
    for family in covers {
        match family {
            Coverage::Actions => {
                required.extend(
                    view.actions
                        .iter()
                        .filter(|a| !a.declined)
                        .map(|a| ("action", a.id)),
                );
            }
            Coverage::Declined => {
                required.extend(view.declined.iter().map(|a| ("declined demand", a.id)));
            }
            Coverage::Justifications => {
                for action in &view.actions {
                    required.extend(action.principles.iter().map(|p| ("principle", p.id)));
                    required.extend(action.findings.iter().map(|f| ("finding", f.id)));
                }
            }
            Coverage::Findings => {
                required.extend(view.findings.iter().map(|f| ("finding", f.id)));
            }
            Coverage::Principles => {
                required.extend(view.principles.iter().map(|p| ("principle", p.id)));
            }
            Coverage::Sources => {
                required.extend(view.sources.iter().map(|s| ("source", s.id)));
            }
        }
    }
    let mut diagnostics = Vec::new();
    for (what, id) in required {
        if document.cited.contains(id) || !seen.insert(id) {
            continue;
        }
        let (pos, path) = locate(case, what, id);
        diagnostics.push(
            Diagnostic::new(
                Code::Coverage,
                format!("{} omits {what} `{id}`", document.kind),
            )
            .in_file(case.file)
            .at(pos)
            .with_path(path)
            .with_id(id)
            .with_help(format!(
                "the {} template must cite it: {{{{ cite(id=\"{id}\") }}}}",
                document.kind
            )),
        );
    }
    diagnostics
}

/// Where an item is written in its case file.
fn locate(case: &CheckedCase<'_>, what: &str, id: &str) -> (Pos, String) {
    let raw = case.case;
    let found = match what {
        "action" | "declined demand" => raw
            .actions
            .iter()
            .position(|a| a.id.as_str() == id)
            .map(|i| (raw.actions[i].id.pos, format!("actions[{i}]"))),
        "finding" => raw
            .findings
            .iter()
            .position(|f| f.id.as_str() == id)
            .map(|i| (raw.findings[i].id.pos, format!("findings[{i}]"))),
        "source" => raw
            .sources
            .iter()
            .position(|s| s.id.as_str() == id)
            .map(|i| (raw.sources[i].id.pos, format!("sources[{i}]"))),
        _ => case
            .principles
            .iter()
            .position(|p| p.id.as_str() == id)
            .map(|i| {
                let pos = raw.principles.get(i).map_or(Pos::default(), |e| e.pos);
                (pos, format!("principles[{i}]"))
            }),
    };
    found.unwrap_or_default()
}
