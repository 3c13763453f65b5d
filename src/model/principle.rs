use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

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
    /// Since when it has been held: a date, or words ("for more than two
    /// decades").
    #[serde(default)]
    pub since: Option<Since>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// Since when a principle has been held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// `since: 2002-01`
    Date(Date),
    /// `since: for more than two decades`
    Words(String),
}

impl Since {
    /// The date, when it is one.
    pub fn date(&self) -> Option<&Date> {
        match self {
            Since::Date(date) => Some(date),
            Since::Words(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Since {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SinceVisitor;

        impl Visitor<'_> for SinceVisitor {
            type Value = Since;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2002-01, or words such as `for more than two decades`")
            }

            // Text that starts like a date must be one, so a mistyped date is
            // an error rather than words.
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Since, E> {
                let trimmed = text.trim_start();
                let bare = trimmed.strip_prefix("about ").unwrap_or(trimmed);
                if bare.starts_with(|c: char| c.is_ascii_digit() || c == '~') {
                    Date::parse(text).map(Since::Date).map_err(E::custom)
                } else {
                    Ok(Since::Words(text.trim().to_owned()))
                }
            }

            fn visit_u64<E: de::Error>(self, year: u64) -> Result<Since, E> {
                Date::parse(&year.to_string())
                    .map(Since::Date)
                    .map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, year: i64) -> Result<Since, E> {
                Date::parse(&year.to_string())
                    .map(Since::Date)
                    .map_err(E::custom)
            }
        }

        deserializer.deserialize_any(SinceVisitor)
    }
}

impl schemars::JsonSchema for Since {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Since".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A date (2002-01), or words (for more than two decades).",
            "anyOf": [generator.subschema_for::<Date>(), {"type": "string"}]
        })
    }
}
