//! Citation helpers for templates, and the record of what a document cited.
//!
//! `{{ cite(id="azure-storage-nl") }}` prints an item's stable label (`F1`,
//! `P2`, `A1`) or, for a source, its footnote marker (`[^1]`), and records
//! that the document cited it. `{{ footnotes() }}` prints the definitions of
//! every source cited so far, in footnote order. Template authors never
//! number anything by hand, and candor checks coverage from the record.
//!
//! The helpers only know the items of the [`View`] being rendered, so a
//! public document cannot cite, and so cannot reveal, an internal item.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use tera::{Kwargs, State, TeraResult, Value};

use super::escape::Output;
use crate::model::Locale;
use crate::project::{SourceView, View};

/// What a citable id resolves to in the document being rendered.
#[derive(Debug, Clone)]
enum Citable {
    Labelled(String),
    /// A source: its footnote number, and the definition printed at the
    /// foot, written once for the output type being rendered.
    Source {
        footnote: usize,
        definition: String,
    },
}

/// The state of one render: what can be cited and what has been, and the
/// locale its prose helpers write in.
#[derive(Debug, Default)]
struct Session {
    citable: BTreeMap<String, Citable>,
    cited: BTreeSet<String>,
    /// The sources whose footnote marker was printed: only those are
    /// defined at the foot.
    marked: BTreeSet<String>,
    locale: Locale,
    /// The names in the case (organisation, people, publishers), which
    /// prose helpers must not lower-case.
    names: Vec<String>,
}

thread_local! {
    // A render runs start to finish on one thread, so a thread-local session
    // keeps concurrent renders apart without locking.
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Runs `render` with the citation helpers bound to `view`, and returns
/// its result with the ids the document cited.
pub(super) fn with_session<T>(
    view: &View<'_>,
    output: Output,
    render: impl FnOnce() -> T,
) -> (T, BTreeSet<String>) {
    let mut citable = BTreeMap::new();
    for p in &view.principles {
        citable.insert(p.id.to_owned(), Citable::Labelled(p.label.clone()));
    }
    for f in &view.findings {
        citable.insert(f.id.to_owned(), Citable::Labelled(f.label.clone()));
    }
    for a in &view.actions {
        citable.insert(a.id.to_owned(), Citable::Labelled(a.label.clone()));
    }
    for s in &view.sources {
        let source = Citable::Source {
            footnote: s.footnote,
            definition: footnote_definition(s, output),
        };
        citable.insert(s.id.to_owned(), source);
    }
    SESSION.with(|session| {
        *session.borrow_mut() = Some(Session {
            citable,
            cited: BTreeSet::new(),
            marked: BTreeSet::new(),
            locale: if view.document.locale == Locale::EnUs.tag() {
                Locale::EnUs
            } else {
                Locale::EnGb
            },
            names: names_in(view),
        });
    });
    let result = render();
    let cited = SESSION.with(|session| session.borrow_mut().take().unwrap_or_default().cited);
    (result, cited)
}

/// `cite(id=…)`: the label or footnote marker of an item, recorded as cited.
pub(super) fn cite(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let id: String = kwargs.must_get("id")?;
    // `show=false` records the citation without printing the label, for
    // documents whose readers need no labels (a letter to patients).
    let show = kwargs.get::<bool>("show")?.unwrap_or(true);
    // `once=true` prints a source's marker only at its first citation in the
    // document, as a letter footnotes a source once.
    let once = kwargs.get::<bool>("once")?.unwrap_or(false);
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let Some(session) = session.as_mut() else {
            return Err(tera::Error::message(
                "cite() is only available while rendering a case",
            ));
        };
        let text = match session.citable.get(&id) {
            Some(Citable::Labelled(label)) => label.clone(),
            Some(Citable::Source { footnote, .. }) => format!("[^{footnote}]"),
            None => {
                return Err(tera::Error::message(format!(
                    "cite(): this document has no item with the id `{id}` \
                     (it may not exist, or not be visible to this audience)"
                )));
            }
        };
        let show = show && !(once && session.marked.contains(&id));
        session.cited.insert(id.clone());
        if show && text.starts_with("[^") {
            session.marked.insert(id);
        }
        Ok(Value::safe_string(if show { &text } else { "" }))
    })
}

/// Every name in the view: the organisation, people, publishers.
fn names_in(view: &View<'_>) -> Vec<String> {
    let mut names: Vec<String> = std::iter::once(view.organisation.name)
        .chain(view.spokesperson.iter().map(|p| p.name))
        .chain(view.sources.iter().map(|s| s.publisher))
        .chain(view.quotes.iter().map(|q| q.by))
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Whether `text` opens with a name of the case being rendered: "The
/// Guardian reported" does, "The Commission asked" does not.
pub(super) fn opens_with_name(text: &str) -> bool {
    SESSION.with(|session| {
        session.borrow().as_ref().is_some_and(|s| {
            s.names.iter().any(|name| {
                text.starts_with(name.as_str())
                    || (!name.starts_with("The ")
                        && name.split_whitespace().next().is_some_and(|first| {
                            text.split(|c: char| !c.is_alphanumeric()).next() == Some(first)
                        }))
            })
        })
    })
}

/// The locale of the document being rendered; the default outside a render.
pub(super) fn locale() -> Locale {
    SESSION.with(|session| {
        session
            .borrow()
            .as_ref()
            .map_or_else(Locale::default, |s| s.locale)
    })
}

/// `footnotes()`: the definitions of the sources cited so far, in order,
/// their text escaped for the output type the session was opened for.
pub(super) fn footnotes(_: Kwargs, _: &State) -> TeraResult<Value> {
    SESSION.with(|session| {
        let session = session.borrow();
        let Some(session) = session.as_ref() else {
            return Err(tera::Error::message(
                "footnotes() is only available while rendering a case",
            ));
        };
        let mut sources: Vec<(usize, &str)> = session
            .marked
            .iter()
            .filter_map(|id| match session.citable.get(id) {
                Some(Citable::Source {
                    footnote,
                    definition,
                }) => Some((*footnote, definition.as_str())),
                _ => None,
            })
            .collect();
        sources.sort_by_key(|(footnote, _)| *footnote);
        let lines: Vec<&str> = sources.iter().map(|(_, line)| *line).collect();
        Ok(Value::safe_string(&lines.join("\n")))
    })
}

/// `[^1]: The Guardian, “Title”, 6 August 2025. <https://…>`
fn footnote_definition(source: &SourceView<'_>, output: Output) -> String {
    let mut line = format!(
        "[^{}]: {}",
        source.footnote,
        output.escape(&super::filters::upper_first(source.publisher))
    );
    if let Some(title) = source.title {
        line.push_str(&format!(", “{}”", output.escape(title)));
    }
    match &source.date {
        Some(date) => line.push_str(&format!(", {}.", date.text)),
        None => line.push('.'),
    }
    if let Some(url) = source.url {
        line.push(' ');
        line.push_str(&super::link(url, output));
    }
    line
}
