use std::fmt;

use compact_str::CompactString;
use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer};

/// An item's id: a lowercase slug of ASCII letters and digits joined by
/// single hyphens. Ids name output files, so the rule also keeps every id
/// inside its folder: no dots, slashes or empty ids, and none of the names
/// Windows keeps for devices (`con`, `nul`, `com1`…), which no file there
/// can have.
///
/// Held inline up to 24 bytes, as nearly every id is: a case holds a few
/// dozen ids and references, each a heap allocation of its own as a
/// `String`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(CompactString);

impl Id {
    /// The longest id accepted, in bytes.
    pub const MAX_LEN: usize = 80;

    /// Checks `text` against the slug rule.
    pub fn parse(text: &str) -> Result<Id, String> {
        let slug_shaped = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && !text.contains("--");
        if !slug_shaped {
            Err(format!(
                "`{}` is not a valid id: use lowercase letters, digits and single hyphens, \
                 such as `{}`",
                Id::shown(text),
                Id::suggest(text)
            ))
        } else if text.len() > Self::MAX_LEN {
            Err(format!(
                "`{}` is not a valid id: it is {} characters long, and an id has at most {}",
                Id::shown(text),
                text.len(),
                Self::MAX_LEN
            ))
        } else if Self::names_a_device(text) {
            Err(format!(
                "`{text}` is not a valid id: Windows keeps the name for a device, \
                 so no output file can have it; write, for example, `{text}-1`"
            ))
        } else {
            Ok(Id(CompactString::new(text)))
        }
    }

    /// `text` as an error message shows it: escaped, and cut short if long.
    fn shown(text: &str) -> String {
        const SHOWN: usize = 40;
        if text.chars().count() > Self::MAX_LEN {
            let start: String = text.chars().take(SHOWN).collect();
            format!("{}…", start.escape_debug())
        } else {
            text.escape_debug().to_string()
        }
    }

    /// Whether `slug` is a name Windows reserves for a device.
    fn names_a_device(slug: &str) -> bool {
        let numbered = |prefix: &str| {
            slug.strip_prefix(prefix)
                .is_some_and(|n| n.len() == 1 && n.bytes().all(|b| (b'1'..=b'9').contains(&b)))
        };
        matches!(slug, "con" | "prn" | "aux" | "nul") || numbered("com") || numbered("lpt")
    }

    /// A slug close to `text`, to suggest in an error.
    fn suggest(text: &str) -> String {
        let mut slug = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        if slug.is_empty() {
            "my-item".to_owned()
        } else if Self::names_a_device(slug) {
            format!("{slug}-1")
        } else {
            let cut: String = slug.chars().take(Self::MAX_LEN).collect();
            cut.trim_end_matches('-').to_owned()
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Id::parse(&text).map_err(de::Error::custom)
    }
}

/// For editors: the slug rule as a pattern. The device names Windows keeps
/// are left to the loader, which explains them better than a pattern could.
impl schemars::JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An id: lowercase letters and digits joined by single hyphens.",
            "type": "string",
            "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
            "maxLength": Id::MAX_LEN,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_slugs_and_rejects_everything_else() {
        for good in [
            "a",
            "azure-storage-nl",
            "2025-review",
            "x1",
            "con-1",
            "com10",
            "console",
        ] {
            assert!(Id::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "", "../x", "A", "a_b", "a--b", "-a", "a-", "a/b", "a.b", "é", "con", "nul", "com1",
            "lpt9",
        ] {
            assert!(Id::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suggests_a_slug() {
        let message = Id::parse("Azure Storage (NL)").unwrap_err();
        assert!(message.contains("`azure-storage-nl`"), "{message}");
        let message = Id::parse(&"ab-".repeat(30)[..89]).unwrap_err();
        assert!(message.contains("89 characters long"), "{message}");
        let message = Id::parse("CON").unwrap_err();
        assert!(message.contains("`con-1`"), "{message}");
    }
}
