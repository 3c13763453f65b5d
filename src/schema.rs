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
    if let Some(object) = value.as_object_mut() {
        object.insert("title".to_owned(), title.into());
    }
    value
}
