use serde::Deserialize;

use super::{Id, Spanned};

/// `candor.yaml`: the organisation, its people and its document kinds.
/// Every part has a default, so a repository with only `cases/` works.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The organisation that speaks.
    #[serde(default)]
    pub organisation: Organisation,
    /// Other organisations this repository speaks for, such as subsidiaries
    /// or brands; a case names one with `organisation`.
    #[serde(default)]
    pub organisations: Vec<NamedOrganisation>,
    /// People who may speak or be quoted.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Document kinds, added to or replacing the built-in ones by id.
    #[serde(default)]
    pub documents: Vec<DocumentKind>,
}

/// The organisation that speaks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name, as documents write it.
    pub name: String,
}

impl Default for Organisation {
    fn default() -> Self {
        Organisation {
            name: "The organisation".to_owned(),
        }
    }
}

/// An organisation other than the default, that a case can speak for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedOrganisation {
    /// Cited by a case's `organisation`.
    pub id: Spanned<Id>,
    /// Its name, as documents write it.
    pub name: String,
}

/// Someone who may speak for the organisation or be quoted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Cited as spokesperson or quote author.
    pub id: Spanned<Id>,
    /// Full name.
    pub name: String,
    /// Role, as signed under a memo.
    pub title: String,
}

/// Who a document is for, which decides what it may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Employees: sees everything in the case.
    Internal,
    /// Anyone: sees public items only.
    Public,
}

impl Audience {
    /// The audience as written in `candor.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Public => "public",
        }
    }
}

/// A kind of document every case is rendered into.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentKind {
    /// Names the output file: `out/<case>/<id>.md`.
    pub id: Spanned<Id>,
    /// The template that renders it, by name.
    pub template: String,
    /// Who it is for.
    pub audience: Audience,
    /// What the document is called, for people.
    #[serde(default)]
    pub title: Option<String>,
    /// What every document of this kind must cite. A kind that redefines a
    /// built-in one keeps the built-in's list unless it gives its own.
    #[serde(default)]
    pub covers: Option<Vec<Coverage>>,
}

/// A family of items a document must cite, each one it may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// Every action.
    Actions,
    /// The principles and findings that justify each action.
    Justifications,
    /// Every finding.
    Findings,
    /// Every principle.
    Principles,
    /// Every source.
    Sources,
}

impl DocumentKind {
    /// The kinds every repository has unless `candor.yaml` replaces them.
    pub fn built_in() -> Vec<DocumentKind> {
        let kind = |id: &str, audience, title: &str, covers: &[Coverage]| DocumentKind {
            id: Spanned::unplaced(Id::parse(id).unwrap_or_else(|e| unreachable!("{e}"))),
            template: format!("{id}.md"),
            audience,
            title: Some(title.to_owned()),
            covers: Some(covers.to_vec()),
        };
        vec![
            kind(
                "employee-memo",
                Audience::Internal,
                "Memo to employees",
                &[
                    Coverage::Actions,
                    Coverage::Justifications,
                    Coverage::Findings,
                ],
            ),
            kind(
                "public-statement",
                Audience::Public,
                "Public statement",
                &[Coverage::Actions, Coverage::Justifications],
            ),
        ]
    }
}
