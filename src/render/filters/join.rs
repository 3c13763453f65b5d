//! `join_and`, `join_or`: a list as prose, "A, B and C", with the serial
//! comma where the locale writes one ("A, B, and C" in en-US).

use tera::{Kwargs, State, TeraResult, Value};

use crate::model::Locale;

/// `["A", "B", "C"] | join_and` → `A, B and C`.
pub(super) struct JoinAnd;

/// `["A", "B"] | join_or` → `A or B`.
pub(super) struct JoinOr;

impl<'a> tera::Filter<&'a [Value], TeraResult<Value>> for JoinAnd {
    fn call(&self, items: &'a [Value], kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        joined(items, "and", &kwargs)
    }
}

impl<'a> tera::Filter<&'a [Value], TeraResult<Value>> for JoinOr {
    fn call(&self, items: &'a [Value], kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        joined(items, "or", &kwargs)
    }
}

/// Joins the items' text, or the `attribute` of each (`join_and(attribute="name")`).
fn joined(items: &[Value], conjunction: &str, kwargs: &Kwargs) -> TeraResult<Value> {
    let attribute: Option<String> = kwargs.get("attribute")?;
    let words: Vec<String> = items
        .iter()
        .map(|item| match &attribute {
            Some(name) => item
                .get_from_path(name)
                .map(text_of)
                .ok_or_else(|| tera::Error::message(format!("an item has no `{name}`"))),
            None => Ok(text_of(item)),
        })
        .collect::<TeraResult<_>>()?;
    Ok(Value::from(join(
        &words,
        conjunction,
        super::super::cite::locale(),
    )))
}

fn text_of(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// `A`, `A and B`, `A, B and C` (`A, B, and C` with a serial comma).
pub(crate) fn join(words: &[String], conjunction: &str, locale: Locale) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} {conjunction} {second}"),
        // Items that hold commas themselves are kept apart by semicolons.
        [init @ .., last] if words.iter().any(|w| w.contains(',')) => {
            format!("{}; {conjunction} {last}", init.join("; "))
        }
        [init @ .., last] => {
            let comma = if locale.serial_comma() { "," } else { "" };
            format!("{}{comma} {conjunction} {last}", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn joins_as_a_sentence_would() {
        assert_eq!(join(&words(&[]), "and", Locale::EnGb), "");
        assert_eq!(join(&words(&["A"]), "and", Locale::EnGb), "A");
        assert_eq!(join(&words(&["A", "B"]), "and", Locale::EnGb), "A and B");
        assert_eq!(
            join(&words(&["A", "B", "C"]), "and", Locale::EnGb),
            "A, B and C"
        );
        assert_eq!(join(&words(&["A", "B"]), "or", Locale::EnUs), "A or B");
    }

    #[test]
    fn items_with_commas_are_kept_apart_by_semicolons() {
        assert_eq!(
            join(
                &words(&["logs, and images", "records", "mail"]),
                "and",
                Locale::EnGb
            ),
            "logs, and images; records; and mail"
        );
    }

    #[test]
    fn american_english_takes_the_serial_comma() {
        assert_eq!(
            join(&words(&["A", "B", "C"]), "and", Locale::EnUs),
            "A, B, and C"
        );
    }
}
