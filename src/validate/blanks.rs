//! Required text is really there: `title: ""` or a statement of spaces
//! would render as an empty heading or a label with nothing after it.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Pos;

use super::CheckedCase;

pub(super) fn check(checked: &CheckedCase<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let case = checked.case;
    let mut require = |text: &str, path: String, pos: Pos, id: Option<&str>| {
        if text.trim().is_empty() {
            let field = path.rsplit('.').next().unwrap_or(&path).to_owned();
            let mut diagnostic = Diagnostic::new(Code::MissingField, format!("`{field}` is empty"))
                .in_file(checked.file)
                .at(pos)
                .with_path(path)
                .with_help(format!("write the {field}, or remove the item"));
            if let Some(id) = id {
                diagnostic = diagnostic.with_id(id);
            }
            diagnostics.push(diagnostic);
        }
    };
    let case_id = Some(case.id.as_str());
    require(&case.title, "title".to_owned(), case.id.pos, case_id);
    require(&case.summary, "summary".to_owned(), case.id.pos, case_id);
    for (i, principle) in checked.principles.iter().enumerate() {
        let id = Some(principle.id.as_str());
        require(
            &principle.statement,
            format!("principles[{i}].statement"),
            principle.id.pos,
            id,
        );
    }
    for (i, source) in case.sources.iter().enumerate() {
        let id = Some(source.id.as_str());
        require(
            &source.publisher,
            format!("sources[{i}].publisher"),
            source.id.pos,
            id,
        );
        require(
            &source.claim,
            format!("sources[{i}].claim"),
            source.id.pos,
            id,
        );
        if let Some(verdict) = &source.verdict {
            require(verdict, format!("sources[{i}].verdict"), source.id.pos, id);
        }
    }
    for (i, finding) in case.findings.iter().enumerate() {
        let id = Some(finding.id.as_str());
        require(
            &finding.statement,
            format!("findings[{i}].statement"),
            finding.id.pos,
            id,
        );
    }
    for (i, action) in case.actions.iter().enumerate() {
        let id = Some(action.id.as_str());
        require(
            &action.statement,
            format!("actions[{i}].statement"),
            action.id.pos,
            id,
        );
    }
    for (i, quote) in case.quotes.iter().enumerate() {
        require(
            &quote.text,
            format!("quotes[{i}].text"),
            quote.id.pos,
            Some(quote.id.as_str()),
        );
    }
    for (i, thanks) in case.acknowledgements.iter().enumerate() {
        require(
            &thanks.text,
            format!("acknowledgements[{i}].text"),
            thanks.pos,
            None,
        );
    }
    if let Some(review) = &case.review {
        if let Some(summary) = &review.summary {
            require(summary, "review.summary".to_owned(), review.pos, None);
        }
        for (i, item) in review.examined.iter().enumerate() {
            require(
                &item.what,
                format!("review.examined[{i}].what"),
                item.pos,
                None,
            );
        }
        for (i, item) in review.not_examined.iter().enumerate() {
            require(
                &item.what,
                format!("review.not_examined[{i}].what"),
                item.pos,
                None,
            );
        }
    }
    for (i, step) in case.next_steps.iter().enumerate() {
        require(&step.text, format!("next_steps[{i}].text"), step.pos, None);
    }
    for (i, event) in case.timeline.iter().enumerate() {
        require(
            &event.event,
            format!("timeline[{i}].event"),
            event.pos,
            None,
        );
    }
}
