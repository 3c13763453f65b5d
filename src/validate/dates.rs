//! Dates tell a coherent story: the review follows what prompted it,
//! actions follow the review, and nothing but plans and next steps lies
//! after the case's publication date. Each comparison respects the
//! precision the dates are given with: `2025-08` is not before `2025-08-06`.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionState, Date, Pos};

use super::CheckedCase;

pub(super) fn check(checked: &CheckedCase<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let case = checked.case;
    let published = &case.date;
    let mut report = |message: String, path: String, pos: Pos, id: Option<&str>, help: &str| {
        let mut diagnostic = Diagnostic::new(Code::DateOrder, message)
            .in_file(checked.file)
            .at(pos)
            .with_path(path)
            .with_help(help);
        if let Some(id) = id {
            diagnostic = diagnostic.with_id(id);
        }
        diagnostics.push(diagnostic);
    };
    let after_publication = |date: &Date| published.certainly_before(date);
    const LATER: &str = "correct the date, or the case's publication `date`";

    for (index, source) in case.sources.iter().enumerate() {
        if let Some(date) = &source.date
            && after_publication(date)
        {
            report(
                format!(
                    "source `{}` is dated {}, after the case is published ({})",
                    source.id.value,
                    date.text(),
                    published.text()
                ),
                format!("sources[{index}].date"),
                source.id.pos,
                Some(source.id.as_str()),
                LATER,
            );
        }
    }
    for (index, principle) in checked.principles.iter().enumerate() {
        if let Some(since) = principle.since.as_ref().and_then(|s| s.date())
            && after_publication(since)
        {
            report(
                format!(
                    "principle `{}` is held since {}, after the case is published ({})",
                    principle.id.value,
                    since.text(),
                    published.text()
                ),
                format!("principles[{index}].since"),
                principle.id.pos,
                Some(principle.id.as_str()),
                LATER,
            );
        }
    }
    if let Some(review) = &case.review {
        if after_publication(&review.opened) {
            report(
                format!(
                    "the review opened {}, after the case is published ({})",
                    review.opened.text(),
                    published.text()
                ),
                "review.opened".to_owned(),
                review.opened.pos,
                None,
                LATER,
            );
        }
        // An update's review may have been prompted by the earlier case's
        // sources, which its findings cite.
        let earlier_sources = checked.earlier.map_or(&[][..], |e| &e.sources[..]);
        let sources: Vec<&crate::model::Source> =
            case.sources.iter().chain(earlier_sources).collect();
        // A source of unknown date may have come first.
        let all_sources_later = !sources.is_empty()
            && sources.iter().all(|s| {
                s.date
                    .as_ref()
                    .is_some_and(|date| review.opened.certainly_before(date))
            });
        if all_sources_later {
            report(
                format!(
                    "the review opened {}, before any of its sources: nothing could have prompted it",
                    review.opened.text()
                ),
                "review.opened".to_owned(),
                review.opened.pos,
                None,
                "correct the review's `opened` date, or the sources' dates",
            );
        }
        for (index, action) in case.actions.iter().enumerate() {
            if let Some(effective) = &action.effective
                && !action.findings.is_empty()
                && effective.certainly_before(&review.opened)
            {
                report(
                    format!(
                        "action `{}` took effect {}, before the review that found its reasons opened ({})",
                        action.id.value,
                        effective.text(),
                        review.opened.text()
                    ),
                    format!("actions[{index}].effective"),
                    action.id.pos,
                    Some(action.id.as_str()),
                    "correct the action's `effective` date, or the review's `opened` date",
                );
            }
        }
    }
    if let (Some(earlier), Some(updates)) = (checked.earlier, &case.updates)
        && !earlier.date.certainly_before(published)
    {
        report(
            format!(
                "this case updates `{}`, published {}, but is not published after it ({})",
                earlier.id.value,
                earlier.date.text(),
                published.text()
            ),
            "updates".to_owned(),
            updates.pos,
            Some(earlier.id.as_str()),
            "an update is published after the case it updates: check both dates",
        );
    }
    for (index, action) in case.actions.iter().enumerate() {
        if let Some(effective) = &action.effective
            && !matches!(action.state, ActionState::Planned | ActionState::Declined)
            && after_publication(effective)
        {
            report(
                format!(
                    "action `{}` takes effect {}, after the case is published ({}), but is not planned",
                    action.id.value,
                    effective.text(),
                    published.text()
                ),
                format!("actions[{index}].effective"),
                action.id.pos,
                Some(action.id.as_str()),
                "mark it `state: planned`, or correct the date",
            );
        }
    }
    // A document sent before the case's date states only what was true on
    // its own date: it cannot rest on a principle adopted later, or cite a
    // source that did not yet exist.
    for document in &case.documents {
        let Some(sent) = document
            .date
            .as_ref()
            .filter(|d| d.certainly_before(published))
        else {
            continue;
        };
        let kind = &document.kind.value;
        for principle in &checked.principles {
            if let Some(since) = principle.since.as_ref().and_then(|s| s.date())
                && sent.certainly_before(since)
            {
                report(
                    format!(
                        "principle `{}` is held since {}, after the {kind} is dated ({})",
                        principle.id.value,
                        since.text(),
                        sent.text()
                    ),
                    format!("documents[{kind}].date"),
                    document.kind.pos,
                    Some(principle.id.as_str()),
                    "correct the principle's `since`, or the document's `date`",
                );
            }
        }
        for source in &case.sources {
            if let Some(date) = &source.date
                && sent.certainly_before(date)
            {
                report(
                    format!(
                        "source `{}` is dated {}, after the {kind} is dated ({}), which cites it",
                        source.id.value,
                        date.text(),
                        sent.text()
                    ),
                    format!("documents[{kind}].date"),
                    document.kind.pos,
                    Some(source.id.as_str()),
                    "correct the source's `date`, or the document's `date`",
                );
            }
        }
    }
    for (index, event) in case.timeline.iter().enumerate() {
        if after_publication(&event.date) {
            report(
                format!(
                    "timeline event dated {} is after the case is published ({})",
                    event.date.text(),
                    published.text()
                ),
                format!("timeline[{index}].date"),
                event.pos,
                None,
                "future events belong under `next_steps`",
            );
        }
    }
}
