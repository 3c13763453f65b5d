use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Id, Spanned};

/// `candor.yaml`: the organisation, its people and its document kinds.
/// Every part has a default, so a repository with only `cases/` works.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
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
    /// Who must sign off before a case may be published.
    #[serde(default)]
    pub approvals: Approvals,
    /// How narrative documents are written: `letter` (the default) or
    /// `brief`. A document kind or a case may choose otherwise.
    #[serde(default)]
    pub style: Option<Style>,
    /// How dates are written: `en-GB` (the default) or `en-US`. A document
    /// kind may choose otherwise.
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// How a narrative document is written.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// Prose in the sender's voice: principles named in words, findings and
    /// actions as sentences, sources as footnotes, no labels.
    #[default]
    Letter,
    /// For legal review: every item under its label (`P1`, `F2`, `A1`),
    /// each action with the principles and findings that justify it.
    Brief,
}

impl Style {
    /// The style as written in `candor.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Letter => "letter",
            Style::Brief => "brief",
        }
    }
}

/// The conventions dates and lists are written in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema,
)]
pub enum Locale {
    /// British English: `25 September 2025`; "A, B and C".
    #[default]
    #[serde(rename = "en-GB")]
    EnGb,
    /// American English: `September 25, 2025`; "A, B, and C".
    #[serde(rename = "en-US")]
    EnUs,
}

impl Locale {
    /// The locale as a language tag, as HTML's `lang` takes it.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::EnGb => "en-GB",
            Locale::EnUs => "en-US",
        }
    }

    /// Whether lists of three or more take a comma before the last `and`.
    pub fn serial_comma(self) -> bool {
        self == Locale::EnUs
    }
}

/// The sign-offs a case needs before it may be published.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approvals {
    /// The roles that must each approve, such as `legal` and
    /// `communications`; one person cannot fill two of them. With none,
    /// no sign-off is needed.
    #[serde(default)]
    pub required: Vec<Spanned<Id>>,
    /// An OpenSSH allowed signers file, relative to the repository root
    /// (the format of git's `gpg.ssh.allowedSignersFile`). Once set, a
    /// sign-off counts only when signed with a key listed there, by a
    /// principal `roles` lets sign in its role.
    #[serde(default)]
    pub signers: Option<Spanned<String>>,
    /// The principals (email addresses, as in the allowed signers file)
    /// who may sign in each role, by role. Required for every role once
    /// `signers` is set.
    #[serde(default)]
    pub roles: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
}

/// The organisation that speaks.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name, as documents write it.
    pub name: String,
    /// What its people call it in running text ("Meridale" for "Meridale
    /// Foods, Inc."); the name when absent.
    #[serde(default)]
    pub short_name: Option<String>,
    /// How its documents write dates, over the repository's `locale`.
    #[serde(default)]
    pub locale: Option<Locale>,
}

impl Default for Organisation {
    fn default() -> Self {
        Organisation {
            name: "The organisation".to_owned(),
            short_name: None,
            locale: None,
        }
    }
}

/// An organisation other than the default, that a case can speak for.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedOrganisation {
    /// Cited by a case's `organisation`.
    pub id: Spanned<Id>,
    /// Its name, as documents write it.
    pub name: String,
    /// What its people call it in running text; the name when absent.
    #[serde(default)]
    pub short_name: Option<String>,
    /// How its documents write dates, over the repository's `locale`.
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// Someone who may speak for the organisation or be quoted.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
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
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// Whether every case produces it; otherwise only the cases that name
    /// it under `documents`.
    #[serde(default)]
    pub every_case: Option<bool>,
    /// The regulation whose required contents and deadline apply.
    #[serde(default)]
    pub regulation: Option<Regulation>,
    /// The longest the rendered document may be, in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// How documents of this kind are written, over the repository's
    /// `style`.
    #[serde(default)]
    pub style: Option<Style>,
    /// How dates are written in documents of this kind, over the
    /// repository's `locale`.
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// A notice whose contents and timing the law prescribes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Regulation {
    /// GDPR Article 33: notification to the supervisory authority.
    GdprArt33,
    /// GDPR Article 34: communication to the people affected.
    GdprArt34,
    /// SEC Form 8-K Item 1.05: material cybersecurity incidents.
    Sec8kItem105,
}

/// A family of items a document must cite, each one it may see.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// Every action taken, under way or planned.
    Actions,
    /// Every declined demand.
    Declined,
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
        use Coverage::{Actions, Declined, Findings, Justifications};
        let kind =
            |id: &str, audience, title: &str, covers: &[Coverage], every_case| DocumentKind {
                id: Spanned::unplaced(Id::parse(id).unwrap_or_else(|e| unreachable!("{e}"))),
                template: format!("{id}.md"),
                audience,
                title: Some(title.to_owned()),
                covers: Some(covers.to_vec()),
                every_case: Some(every_case),
                regulation: None,
                max_length: None,
                style: None,
                locale: None,
            };
        let regulated = |regulation, kind: DocumentKind| DocumentKind {
            regulation: Some(regulation),
            ..kind
        };
        vec![
            kind(
                "employee-memo",
                Audience::Internal,
                "Memo to employees",
                &[Actions, Declined, Justifications, Findings],
                true,
            ),
            kind(
                "public-statement",
                Audience::Public,
                "Public statement",
                &[Actions, Declined, Justifications],
                true,
            ),
            kind(
                "press-qa",
                Audience::Internal,
                "Press questions and answers",
                &[Actions, Declined, Findings],
                true,
            ),
            kind(
                "customer-notice",
                Audience::Public,
                "Notice to customers",
                &[Actions],
                false,
            ),
            DocumentKind {
                template: "social-post.txt".to_owned(),
                max_length: Some(280),
                ..kind(
                    "social-post",
                    Audience::Public,
                    "Social media post",
                    &[],
                    false,
                )
            },
            regulated(
                Regulation::GdprArt33,
                kind(
                    "gdpr-art33-notice",
                    Audience::Public,
                    "Notification to the supervisory authority (GDPR Article 33)",
                    &[Actions],
                    false,
                ),
            ),
            regulated(
                Regulation::GdprArt34,
                kind(
                    "gdpr-art34-notice",
                    Audience::Public,
                    "Communication to the people affected (GDPR Article 34)",
                    &[],
                    false,
                ),
            ),
            DocumentKind {
                // A filing with the SEC is written the American way.
                locale: Some(Locale::EnUs),
                ..regulated(
                    Regulation::Sec8kItem105,
                    kind(
                        "sec-8k-item-1-05",
                        Audience::Public,
                        "Form 8-K, Item 1.05: Material Cybersecurity Incidents",
                        &[],
                        false,
                    ),
                )
            },
        ]
    }

    /// The file a document of this kind is written to: the kind's id, with
    /// the template's extension (`.md`, or `.txt` for plain text).
    pub fn output_file_name(&self) -> String {
        let extension = match self.template.rsplit_once('.') {
            Some((_, ext)) if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
                ext
            }
            _ => "md",
        };
        format!("{}.{extension}", self.id.value)
    }

    /// Whether `case` produces a document of this kind.
    pub fn produced_for(&self, case: &crate::model::Case) -> bool {
        self.every_case.unwrap_or(true)
            || case.documents.iter().any(|d| d.kind.value == self.id.value)
    }
}
