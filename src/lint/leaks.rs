//! The second line of defence: internal text must not appear in a public
//! document. The projection already keeps internal items out of a public
//! document's reach; this check searches the output for every internal
//! text of the case anyway, in the form a template would print it and as
//! written.

use crate::Document;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Audience, Pos, Visibility};
use crate::render::escape_markdown;
use crate::validate::CheckedCase;

use super::fold_whitespace;

/// Texts shorter than this are too common to tell a leak from a coincidence.
const SHORTEST_SECRET: usize = 16;

pub(super) fn check(document: &Document, case: &CheckedCase<'_>) -> Vec<Diagnostic> {
    if document.audience != Audience::Public {
        return Vec::new();
    }
    let (internal, public) = texts(case);
    let public = public.join("\n");
    let output = fold_whitespace(&document.text);
    let mut diagnostics = Vec::new();
    for secret in internal {
        let folded = fold_whitespace(secret.text);
        if folded.chars().count() < SHORTEST_SECRET || public.contains(&folded) {
            continue;
        }
        let escaped = fold_whitespace(&escape_markdown(secret.text));
        if output.contains(&folded) || output.contains(&escaped) {
            let mut diagnostic = Diagnostic::new(
                Code::Leak,
                format!(
                    "{} contains internal text from {}",
                    document.path.display(),
                    secret.what
                ),
            )
            .in_file(case.file)
            .at(secret.pos)
            .with_help(
                "a public template printed internal material: check the templates for this \
                 document kind, or make the item public if it is meant to be",
            );
            if let Some(id) = secret.id {
                diagnostic = diagnostic.with_id(id);
            }
            diagnostics.push(diagnostic);
        }
    }
    diagnostics
}

struct Secret<'a> {
    text: &'a str,
    what: String,
    pos: Pos,
    id: Option<&'a str>,
}

/// Every text of the case, split into internal and public.
fn texts<'a>(case: &'a CheckedCase<'a>) -> (Vec<Secret<'a>>, Vec<String>) {
    let mut internal = Vec::new();
    let mut public = Vec::new();
    let mut add =
        |visibility: Visibility, text: &'a str, what: String, pos: Pos, id: Option<&'a str>| {
            if visibility == Visibility::Public {
                public.push(fold_whitespace(text));
            } else {
                internal.push(Secret {
                    text,
                    what,
                    pos,
                    id,
                });
            }
        };
    let raw = case.case;
    add(
        Visibility::Public,
        &raw.title,
        String::new(),
        Pos::default(),
        None,
    );
    add(
        Visibility::Public,
        &raw.summary,
        String::new(),
        Pos::default(),
        None,
    );
    for p in &case.principles {
        let what = format!("principle `{}`", p.id.value);
        add(
            p.visibility,
            &p.statement,
            what.clone(),
            p.id.pos,
            Some(p.id.as_str()),
        );
        if let Some(basis) = &p.basis {
            add(p.visibility, basis, what, p.id.pos, Some(p.id.as_str()));
        }
    }
    for s in &raw.sources {
        let what = format!("source `{}`", s.id.value);
        add(
            s.visibility,
            &s.claim,
            what.clone(),
            s.id.pos,
            Some(s.id.as_str()),
        );
        if let Some(title) = &s.title {
            add(s.visibility, title, what, s.id.pos, Some(s.id.as_str()));
        }
    }
    if let Some(review) = &raw.review {
        let review_public = review.visibility;
        for by in &review.conducted_by {
            add(
                review_public,
                by,
                "the review's `conducted_by`".to_owned(),
                review.pos,
                None,
            );
        }
        for (i, e) in review.examined.iter().enumerate() {
            let visibility = e.visibility.max(review_public);
            add(
                visibility,
                &e.what,
                format!("review.examined[{i}]"),
                e.pos,
                None,
            );
        }
        for (i, e) in review.not_examined.iter().enumerate() {
            let visibility = e.visibility.max(review_public);
            add(
                visibility,
                &e.what,
                format!("review.not_examined[{i}]"),
                e.pos,
                None,
            );
        }
    }
    for f in &raw.findings {
        let what = format!("finding `{}`", f.id.value);
        add(
            f.visibility,
            &f.statement,
            what.clone(),
            f.id.pos,
            Some(f.id.as_str()),
        );
        if let Some(evidence) = &f.evidence {
            add(f.visibility, evidence, what, f.id.pos, Some(f.id.as_str()));
        }
    }
    for a in &raw.actions {
        let what = format!("action `{}`", a.id.value);
        let id = Some(a.id.as_str());
        add(a.visibility, &a.statement, what.clone(), a.id.pos, id);
        if let Some(reason) = &a.reason {
            add(a.visibility, reason, what.clone(), a.id.pos, id);
        }
        for limit in &a.limits {
            add(a.visibility, limit, what.clone(), a.id.pos, id);
        }
        for departure in &a.departs_from {
            if let Some(reason) = &departure.reason {
                add(a.visibility, reason, what.clone(), departure.pos, id);
            }
        }
    }
    for (i, a) in raw.acknowledgements.iter().enumerate() {
        add(
            a.visibility,
            &a.text,
            format!("acknowledgements[{i}]"),
            a.pos,
            None,
        );
    }
    for (i, n) in raw.next_steps.iter().enumerate() {
        add(
            n.visibility,
            &n.text,
            format!("next_steps[{i}]"),
            n.pos,
            None,
        );
    }
    for (i, t) in raw.timeline.iter().enumerate() {
        add(
            t.visibility,
            &t.event,
            format!("timeline[{i}]"),
            t.pos,
            None,
        );
    }
    for q in &raw.quotes {
        let what = format!("quote `{}`", q.id.value);
        add(q.visibility, &q.text, what, q.id.pos, Some(q.id.as_str()));
    }
    if let Some(post) = &raw.social_post {
        add(
            Visibility::Public,
            post,
            String::new(),
            Pos::default(),
            None,
        );
    }
    if let Some(incident) = &raw.incident {
        let v = incident.visibility;
        let what = || "the incident".to_owned();
        let texts = [
            &incident.nature,
            &incident.scope,
            &incident.impact,
            &incident.delay_reason,
            &incident.authority,
        ];
        for text in texts.into_iter().flatten() {
            add(v, text, what(), incident.pos, None);
        }
        for text in incident
            .consequences
            .iter()
            .chain(&incident.unknowns)
            .chain(&incident.data)
        {
            add(v, text, what(), incident.pos, None);
        }
        if let Some(contact) = &incident.contact {
            add(v, &contact.name, what(), incident.pos, None);
            for text in [&contact.email, &contact.phone, &contact.address]
                .into_iter()
                .flatten()
            {
                add(v, text, what(), incident.pos, None);
            }
        }
    }
    if let Some(customers) = &raw.customers {
        let v = customers.visibility;
        add(
            v,
            &customers.meaning,
            "customers".to_owned(),
            customers.pos,
            None,
        );
        for text in customers.steps.iter().chain(&customers.contact) {
            add(v, text, "customers".to_owned(), customers.pos, None);
        }
    }
    for (i, t) in raw.talking_points.iter().enumerate() {
        add(
            Visibility::Internal,
            &t.text,
            format!("talking_points[{i}]"),
            Pos::default(),
            None,
        );
    }
    for (i, f) in raw.faq.iter().enumerate() {
        add(
            Visibility::Internal,
            &f.question,
            format!("faq[{i}]"),
            Pos::default(),
            None,
        );
        add(
            Visibility::Internal,
            &f.answer,
            format!("faq[{i}]"),
            Pos::default(),
            None,
        );
    }
    for (i, c) in raw.contacts.iter().enumerate() {
        add(
            Visibility::Internal,
            &c.reach,
            format!("contacts[{i}]"),
            Pos::default(),
            None,
        );
    }
    (internal, public)
}
