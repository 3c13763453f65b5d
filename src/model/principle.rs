use serde::Deserialize;

use super::{Date, Id, Spanned, Visibility};

/// A standing principle: in `principles/<id>.yaml`, or inline in a case.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Principle {
    /// Cited by actions and review exclusions.
    pub id: Spanned<Id>,
    /// A short name: "No mass surveillance of civilians".
    #[serde(default)]
    pub title: Option<String>,
    /// The principle, worded the same wherever it is cited.
    pub statement: String,
    /// Where it is written down: a policy, the terms of service.
    #[serde(default)]
    pub basis: Option<String>,
    /// Since when it has been held.
    #[serde(default)]
    pub since: Option<Date>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}
