//! The trace: which principles and findings justify each action, and which
//! documents cite each item. What a reviewer reads to see at a glance why
//! each action was taken.

use serde::Serialize;

use crate::model::{Audience, DocumentKind, Visibility};
use crate::outcome::Document;
use crate::project::{self, View};
use crate::validate::{Checked, CheckedCase};

/// The principle → finding → action matrix of one case.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// The case's id.
    pub case: String,
    /// The case's title.
    pub title: String,
    /// The document kinds, in order: the columns of `cited_in`.
    pub documents: Vec<String>,
    /// Every action with what justifies it.
    pub actions: Vec<TracedAction>,
    /// Every principle, finding and source with the documents citing it.
    pub items: Vec<TracedItem>,
}

/// One action and its justification.
#[derive(Debug, Clone, Serialize)]
pub struct TracedAction {
    /// Its label, such as `A1`.
    pub label: String,
    /// Its id.
    pub id: String,
    /// `public` or `internal`.
    pub visibility: &'static str,
    /// `done`, `in-progress` or `planned`.
    pub state: &'static str,
    /// The principles justifying it, as `P1 id`.
    pub principles: Vec<String>,
    /// The findings justifying it, as `F1 id`.
    pub findings: Vec<String>,
    /// The principles it is an exception to, as `P1 id`.
    pub exception_to: Vec<String>,
    /// The principles that bound it, as `P2 id`.
    pub bound_by: Vec<String>,
    /// The documents citing it.
    pub cited_in: Vec<String>,
}

/// A principle, finding or source.
#[derive(Debug, Clone, Serialize)]
pub struct TracedItem {
    /// `principle`, `finding` or `source`.
    pub kind: &'static str,
    /// Its label: `P1`, `F1`, or the footnote `[^1]`.
    pub label: String,
    /// Its id.
    pub id: String,
    /// `public` or `internal`.
    pub visibility: &'static str,
    /// The documents citing it.
    pub cited_in: Vec<String>,
}

/// Builds the trace of `case` from its checked form and rendered documents.
pub fn trace(checked: &Checked<'_>, case: &CheckedCase<'_>, documents: &[Document]) -> Trace {
    // The internal view holds every item with its label.
    let full_kind = DocumentKind {
        audience: Audience::Internal,
        ..DocumentKind::built_in().swap_remove(0)
    };
    let view: View = project::project(checked, case, &full_kind);
    let cited_in = |id: &str| -> Vec<String> {
        documents
            .iter()
            .filter(|d| d.cited.contains(id))
            .map(|d| d.kind.clone())
            .collect()
    };
    let raw = case.case;
    let visibility_word = |v: Visibility| match v {
        Visibility::Public => "public",
        Visibility::Internal => "internal",
    };
    let visibility_of = |id: &str| -> &'static str {
        let earlier_sources = case.earlier.map_or(&[][..], |e| &e.sources[..]);
        let found = case
            .principles
            .iter()
            .find(|p| p.id.as_str() == id)
            .map(|p| p.visibility)
            .or_else(|| {
                raw.findings
                    .iter()
                    .find(|f| f.id.as_str() == id)
                    .map(|f| f.visibility)
            })
            .or_else(|| {
                raw.actions
                    .iter()
                    .find(|a| a.id.as_str() == id)
                    .map(|a| a.visibility)
            })
            .or_else(|| {
                raw.sources
                    .iter()
                    .chain(earlier_sources)
                    .find(|s| s.id.as_str() == id)
                    .map(|s| s.visibility)
            });
        visibility_word(found.unwrap_or_default())
    };

    let actions = view
        .actions
        .iter()
        .map(|a| TracedAction {
            label: a.label.clone(),
            id: a.id.to_owned(),
            visibility: visibility_of(a.id),
            state: a.state,
            principles: a
                .principles
                .iter()
                .map(|p| format!("{} {}", p.label, p.id))
                .collect(),
            findings: a
                .findings
                .iter()
                .map(|f| format!("{} {}", f.label, f.id))
                .collect(),
            exception_to: a
                .departs_from
                .iter()
                .map(|d| format!("{} {}", d.principle.label, d.principle.id))
                .collect(),
            bound_by: a
                .constrained_by
                .iter()
                .map(|p| format!("{} {}", p.label, p.id))
                .collect(),
            cited_in: cited_in(a.id),
        })
        .collect();
    let mut items = Vec::new();
    for p in &view.principles {
        items.push(TracedItem {
            kind: "principle",
            label: p.label.clone(),
            id: p.id.to_owned(),
            visibility: visibility_of(p.id),
            cited_in: cited_in(p.id),
        });
    }
    for f in &view.findings {
        items.push(TracedItem {
            kind: "finding",
            label: f.label.clone(),
            id: f.id.to_owned(),
            visibility: visibility_of(f.id),
            cited_in: cited_in(f.id),
        });
    }
    for s in &view.sources {
        items.push(TracedItem {
            kind: "source",
            label: format!("[^{}]", s.footnote),
            id: s.id.to_owned(),
            visibility: visibility_of(s.id),
            cited_in: cited_in(s.id),
        });
    }
    Trace {
        case: raw.id.to_string(),
        title: raw.title.clone(),
        documents: documents.iter().map(|d| d.kind.clone()).collect(),
        actions,
        items,
    }
}
