//! Notices the law prescribes: each required element is present in what
//! the notice can see, and the notice is dated within its deadline or says
//! why not.
//!
//! - GDPR Art. 33(3): (a) the nature of the breach, the categories and
//!   approximate number of people and records concerned; (b) the contact
//!   point; (c) the likely consequences; (d) the measures taken or
//!   proposed. Due within 72 hours of becoming aware (Art. 33(1)), or with
//!   reasons for the delay.
//! - GDPR Art. 34(2): the nature of the breach and Art. 33(3)(b), (c), (d).
//! - SEC Form 8-K Item 1.05: the nature, scope and timing of the incident
//!   and its material impact; due four business days after the
//!   materiality determination.

use crate::calendar::{self, Day};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ActionState, Date, DocumentKind, Incident, Pos, Regulation};

use super::CheckedCase;

pub(super) fn check<'k>(
    checked: &CheckedCase<'_>,
    kinds: impl IntoIterator<Item = &'k DocumentKind>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let case = checked.case;
    for kind in kinds {
        let Some(regulation) = kind.regulation else {
            continue;
        };
        let kind_id = kind.id.as_str();
        let incident = case
            .incident
            .as_ref()
            .filter(|i| i.visibility.visible_to(kind.audience));
        let Some(incident) = incident else {
            let why = if case.incident.is_some() {
                "the case's `incident` is internal, so the notice cannot see it"
            } else {
                "the case has no `incident`"
            };
            diagnostics.push(
                Diagnostic::new(
                    Code::RegulatoryElementMissing,
                    format!("{kind_id} is built from the incident, but {why}"),
                )
                .in_file(checked.file)
                .at(case.id.pos)
                .with_id(kind_id)
                .with_help(
                    "describe the incident under `incident:` and mark it `visibility: public`",
                ),
            );
            continue;
        };
        let pos = incident.pos;
        let mut missing = |element: &str, requirement: &str, help: &str| {
            diagnostics.push(
                Diagnostic::new(
                    Code::RegulatoryElementMissing,
                    format!("{kind_id}: {element} requires {requirement}"),
                )
                .in_file(checked.file)
                .at(pos)
                .with_path("incident")
                .with_id(kind_id)
                .with_help(help),
            );
        };
        let has_measures = case
            .actions
            .iter()
            .any(|a| a.state != ActionState::Declined && a.visibility.visible_to(kind.audience));
        let elements = Elements::of(incident);
        match regulation {
            Regulation::GdprArt33 | Regulation::GdprArt34 => {
                let article = if regulation == Regulation::GdprArt33 {
                    "Art. 33(3)"
                } else {
                    "Art. 34(2) with Art. 33(3)"
                };
                if !elements.nature {
                    missing(
                        &format!("{article}(a)"),
                        "the nature of the personal data breach",
                        "describe what happened under `incident.nature`",
                    );
                }
                if regulation == Regulation::GdprArt33 {
                    if !elements.subjects {
                        missing(
                            "Art. 33(3)(a)",
                            "the categories and approximate number of data subjects concerned",
                            "add `incident.subjects` with `what` and, where possible, `number`",
                        );
                    }
                    if !elements.records {
                        missing(
                            "Art. 33(3)(a)",
                            "the categories and approximate number of personal data records concerned",
                            "add `incident.data` (the categories) and `incident.records`",
                        );
                    }
                }
                if !elements.contact {
                    missing(
                        &format!("{article}(b)"),
                        "the name and contact details of the data protection officer or other contact point",
                        "add `incident.contact` with a name and an email or phone number",
                    );
                }
                if !elements.consequences {
                    missing(
                        &format!("{article}(c)"),
                        "the likely consequences of the personal data breach",
                        "list them under `incident.consequences`",
                    );
                }
                if !has_measures {
                    missing(
                        &format!("{article}(d)"),
                        "the measures taken or proposed to address the breach, including to mitigate its effects",
                        "add public actions to the case",
                    );
                }
                if regulation == Regulation::GdprArt33 {
                    match &incident.aware {
                        None => missing(
                            "Art. 33(1)",
                            "the time the controller became aware of the breach, which starts the 72 hours",
                            "add `incident.aware`",
                        ),
                        Some(aware) => {
                            if let Some(due) = calendar::gdpr_art33_due(&aware.value) {
                                check_deadline(
                                    checked,
                                    kind,
                                    incident,
                                    &due,
                                    "Art. 33(1) asks for notification within 72 hours of becoming aware",
                                    aware.pos,
                                    diagnostics,
                                );
                            }
                        }
                    }
                }
            }
            Regulation::Sec8kItem105 => {
                if !elements.nature {
                    missing(
                        "Item 1.05(a)",
                        "the material aspects of the nature of the incident",
                        "describe it under `incident.nature`",
                    );
                }
                if !elements.scope {
                    missing(
                        "Item 1.05(a)",
                        "the material aspects of the scope of the incident",
                        "say what it reached under `incident.scope`",
                    );
                }
                if !elements.timing {
                    missing(
                        "Item 1.05(a)",
                        "the material aspects of the timing of the incident",
                        "add `incident.began` or `incident.detected`",
                    );
                }
                if !elements.impact {
                    missing(
                        "Item 1.05(a)",
                        "the material impact or reasonably likely material impact, including on financial condition and results of operations",
                        "describe it under `incident.impact`",
                    );
                }
                match &incident.material {
                    None => missing(
                        "Item 1.05",
                        "the date the incident was determined to be material, which starts the four business days",
                        "add the date under `incident:`, such as `material: 2026-01-16`",
                    ),
                    Some(material) => {
                        if let Some(due) = Day::latest_of(&material.value)
                            .plus_us_business_days(4)
                            .to_date()
                        {
                            check_deadline(
                                checked,
                                kind,
                                incident,
                                &due,
                                "Form 8-K is due four business days after the materiality determination",
                                material.pos,
                                diagnostics,
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Which required elements an incident states.
struct Elements {
    nature: bool,
    subjects: bool,
    records: bool,
    contact: bool,
    consequences: bool,
    scope: bool,
    timing: bool,
    impact: bool,
}

impl Elements {
    fn of(incident: &Incident) -> Elements {
        let stated = |text: &Option<String>| text.as_ref().is_some_and(|t| !t.trim().is_empty());
        Elements {
            nature: stated(&incident.nature),
            subjects: incident.subjects.is_some(),
            records: !incident.data.is_empty() && incident.records.is_some(),
            contact: incident.contact.as_ref().is_some_and(|c| {
                !c.name.trim().is_empty() && (stated(&c.email) || stated(&c.phone))
            }),
            consequences: !incident.consequences.is_empty(),
            scope: stated(&incident.scope),
            timing: incident.began.is_some() || incident.detected.is_some(),
            impact: stated(&incident.impact),
        }
    }
}

/// Reports a notice dated after `due` that gives no reason for the delay.
fn check_deadline(
    checked: &CheckedCase<'_>,
    kind: &DocumentKind,
    incident: &Incident,
    due: &Date,
    rule: &str,
    pos: Pos,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let case = checked.case;
    let dated = case
        .documents
        .iter()
        .find(|d| d.kind.value == kind.id.value)
        .and_then(|d| d.date.as_ref())
        .unwrap_or(&case.date);
    let late = Day::earliest_of(dated) > Day::latest_of(due);
    let explained = incident
        .delay_reason
        .as_ref()
        .is_some_and(|r| !r.trim().is_empty());
    if late && !explained {
        diagnostics.push(
            Diagnostic::new(
                Code::LateNotification,
                format!(
                    "{} is dated {}, after it was due on {}, and gives no reason for the delay",
                    kind.id.value,
                    dated.text(),
                    due.text()
                ),
            )
            .in_file(checked.file)
            .at(pos)
            .with_path("incident")
            .with_id(kind.id.as_str())
            .with_help(format!(
                "{rule}; state the reasons under `incident.delay_reason`"
            )),
        );
    }
}
