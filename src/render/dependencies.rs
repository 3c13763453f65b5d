//! What a template needs of others, as Tera parsed it: the templates it
//! includes and extends, the components it calls and those it defines.
//!
//! Tera keeps its syntax tree to itself, but it checks every reference a
//! parsed template makes when the template is added: an include or a
//! parent it does not have, a component nobody defines. So each template
//! is added on its own, with candor's filters and functions, to an empty
//! Tera; every name reported missing is a dependency, and is stubbed until
//! the template is accepted. A template Tera cannot parse, or a report
//! candor does not recognise, gives no answer, and the caller then assumes
//! the template may use anything.

use std::collections::BTreeSet;

use tera::ErrorKind;

/// The references one template makes, by the names it writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// The templates it includes or extends.
    pub templates: BTreeSet<String>,
    /// The components it calls and does not define itself.
    pub calls: BTreeSet<String>,
    /// The components it defines.
    pub defines: BTreeSet<String>,
}

/// How many names one template may reference before candor stops asking:
/// each costs one more compilation.
const MOST_REFERENCES: usize = 256;

/// What the template `name`, holding `text`, references; `None` when Tera
/// does not accept it or says something candor does not understand.
pub fn of(name: &str, text: &str) -> Option<Dependencies> {
    let mut found = Dependencies::default();
    // Blocks a child overrides, which its stubbed parents must have.
    let mut blocks: BTreeSet<String> = BTreeSet::new();
    for _ in 0..=MOST_REFERENCES {
        let mut tera = super::configured_tera(super::Output::Markdown);
        let stub: String = blocks
            .iter()
            .map(|b| format!("{{% block {b} %}}{{% endblock {b} %}}"))
            .collect();
        let components: String = found
            .calls
            .iter()
            .map(|c| format!("{{% component {c}() %}}{{% endcomponent {c} %}}"))
            .collect();
        let batch = found
            .templates
            .iter()
            .map(|t| (t.clone(), stub.clone()))
            .chain([
                (format!("{name}.candor-component-stubs"), components),
                (name.to_owned(), text.to_owned()),
            ]);
        let error = match tera.add_raw_templates(batch) {
            Ok(()) => {
                found.defines = tera
                    .get_component_names()
                    .filter(|c| !found.calls.contains(*c))
                    .map(str::to_owned)
                    .collect();
                return Some(found);
            }
            Err(error) => error,
        };
        let before = found.templates.len() + found.calls.len() + blocks.len();
        match error.kind() {
            ErrorKind::MissingParent { parent, .. } => {
                found.templates.insert(parent.clone());
            }
            ErrorKind::Msg(report) => {
                found
                    .templates
                    .extend(quoted_after(report, "Unknown template `"));
                found
                    .calls
                    .extend(quoted_after(report, "Unknown component `"));
                blocks.extend(quoted_after(report, "Block `"));
            }
            _ => return None,
        }
        if found.templates.len() + found.calls.len() + blocks.len() == before {
            return None;
        }
    }
    None
}

/// Every name Tera quotes after `prefix` in `report`.
fn quoted_after<'a>(report: &'a str, prefix: &'a str) -> impl Iterator<Item = String> + 'a {
    report.match_indices(prefix).filter_map(move |(at, _)| {
        let rest = &report[at + prefix.len()..];
        rest.find('`').map(|end| rest[..end].to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn includes_extends_and_components_come_from_the_parsed_template() {
        let found = of(
            "t.md",
            "{% extends \"base.md\" %}{% block body %}{% include \"a.md\" %}\
             {{ < Note /> }}{{<Other text=\"x\" />}}{# {% include \"no.md\" %} #}\
             {% endblock body %}",
        )
        .unwrap();
        assert_eq!(found.templates, names(&["a.md", "base.md"]));
        assert_eq!(found.calls, names(&["Note", "Other"]));
        assert!(found.defines.is_empty());
    }

    #[test]
    fn a_component_defined_and_called_in_one_template_is_no_dependency() {
        let found = of(
            "c.md",
            "{% component Note() %}n{% endcomponent Note %}{{ <Note /> }}{% if a < b %}{% endif %}",
        )
        .unwrap();
        assert_eq!(found.defines, names(&["Note"]));
        assert!(found.calls.is_empty() && found.templates.is_empty());
    }

    #[test]
    fn a_template_tera_refuses_gives_no_answer() {
        assert_eq!(of("bad.md", "{% if %}"), None);
        assert_eq!(of("bad.md", "{{ x | nosuchfilter }}"), None);
    }
}
