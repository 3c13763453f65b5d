//! JSON Schemas of candor's files, generated from the very types the loader
//! reads them into, so an editor completes and checks the same fields
//! candor accepts. The loader stays the judge: a schema cannot say that
//! February has 28 days or that an id must name a principle that exists.

use crate::model::{Approval, Case, Principle, Settings};

/// A kind of file candor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A case file, under `cases/`.
    Case,
    /// A principle file, under `principles/`.
    Principle,
    /// `candor.yaml`.
    Settings,
    /// A sign-off, under `cases/<case>.approvals/`.
    Approval,
}

/// The JSON Schema (draft 7, which every yaml-language-server reads) of one
/// kind of file.
pub fn schema(kind: FileKind) -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let (schema, title) = match kind {
        FileKind::Case => (generator.into_root_schema_for::<Case>(), "candor case file"),
        FileKind::Principle => (
            generator.into_root_schema_for::<Principle>(),
            "candor principle file",
        ),
        FileKind::Settings => (generator.into_root_schema_for::<Settings>(), "candor.yaml"),
        FileKind::Approval => (
            generator.into_root_schema_for::<Approval>(),
            "candor approval file",
        ),
    };
    let mut value = schema.to_value();
    enums_with_value_descriptions(&mut value);
    if let Some(object) = value.as_object_mut() {
        object.insert("title".to_owned(), title.into());
    }
    value
}

/// Rewrites every choice of fixed words (`oneOf` a list of `const`s, as
/// schemars writes a documented enum) as an `enum` with
/// `enumDescriptions`. An editor then shows the field's description when
/// hovering over the field, and each value's beside it when completing,
/// instead of taking the description of the value written for the field's.
fn enums_with_value_descriptions(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            let words: Option<Vec<(Value, Value)>> = object
                .get("oneOf")
                .and_then(Value::as_array)
                .and_then(|branches| {
                    branches
                        .iter()
                        .map(|branch| {
                            let word = branch.get("const").filter(|c| c.is_string())?;
                            let description =
                                branch.get("description").cloned().unwrap_or_default();
                            Some((word.clone(), description))
                        })
                        .collect()
                });
            if let Some(words) = words.filter(|w| !w.is_empty()) {
                object.remove("oneOf");
                object.insert("type".to_owned(), "string".into());
                let (words, descriptions): (Vec<Value>, Vec<Value>) = words.into_iter().unzip();
                object.insert("enum".to_owned(), Value::Array(words));
                if descriptions.iter().any(|d| !d.is_null()) {
                    let descriptions = descriptions
                        .into_iter()
                        .map(|d| if d.is_null() { "".into() } else { d })
                        .collect();
                    object.insert("enumDescriptions".to_owned(), Value::Array(descriptions));
                }
            }
            for child in object.values_mut() {
                enums_with_value_descriptions(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(enums_with_value_descriptions),
        _ => {}
    }
}
