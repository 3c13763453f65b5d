//! `with_article`: a noun phrase with "a" or "an" before it, by how it
//! sounds ("an audit", "a unit", "an FBI request", "a one-off").

use std::borrow::Cow;

use tera::{Kwargs, State};

/// `"audit" | with_article` → `an audit`.
pub(super) struct WithArticle;

impl<'a> tera::Filter<Cow<'a, str>, String> for WithArticle {
    fn call(&self, phrase: Cow<'a, str>, _: Kwargs, _: &State) -> String {
        format!("{} {phrase}", article(&phrase))
    }
}

/// `"Privacy Policy" | with_the` → `the Privacy Policy`; a phrase that
/// already opens with a determiner or a possessive is left as it is.
pub(super) struct WithThe;

impl<'a> tera::Filter<Cow<'a, str>, String> for WithThe {
    fn call(&self, phrase: Cow<'a, str>, _: Kwargs, _: &State) -> String {
        with_the(&phrase)
    }
}

/// `the` before a name of a document or a body, unless it has one.
pub(crate) fn with_the(phrase: &str) -> String {
    let first: &str = phrase.split_whitespace().next().unwrap_or("");
    let has_determiner = first.starts_with(char::is_lowercase)
        || first.ends_with("'s")
        || first.ends_with("’s")
        || first == "The";
    if has_determiner || phrase.is_empty() {
        phrase.to_owned()
    } else {
        format!("the {phrase}")
    }
}

/// `a` or `an`, for the phrase that follows.
pub(crate) fn article(phrase: &str) -> &'static str {
    let word: String = phrase
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let lower = word.to_lowercase();
    // Words whose spelling and sound part ways.
    const AN_EXCEPTIONS: &[&str] = &["hour", "honest", "honour", "honor", "heir"];
    const A_EXCEPTIONS: &[&str] = &[
        "one",
        "once",
        "unit",
        "union",
        "unique",
        "user",
        "usual",
        "european",
        "uniform",
        "university",
        "utility",
        "use",
    ];
    if AN_EXCEPTIONS.iter().any(|w| lower.starts_with(w)) {
        return "an";
    }
    if A_EXCEPTIONS.iter().any(|w| lower.starts_with(w)) {
        return "a";
    }
    // An initialism is read letter by letter: "an FBI", "an SEC filing".
    let is_initialism = word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase());
    if is_initialism {
        return match word.chars().next() {
            Some('A' | 'E' | 'F' | 'H' | 'I' | 'L' | 'M' | 'N' | 'O' | 'R' | 'S' | 'X') => "an",
            _ => "a",
        };
    }
    match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        Some('8') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::{article, with_the};

    #[test]
    fn the_before_a_name_that_has_none() {
        assert_eq!(
            with_the("Meridale Foods Privacy Policy"),
            "the Meridale Foods Privacy Policy"
        );
        assert_eq!(
            with_the("our standard terms of service"),
            "our standard terms of service"
        );
        assert_eq!(
            with_the("Microsoft's privacy commitments"),
            "Microsoft's privacy commitments"
        );
        assert_eq!(with_the("The Charter"), "The Charter");
    }

    #[test]
    fn chooses_by_sound() {
        assert_eq!(article("audit"), "an");
        assert_eq!(article("press report"), "a");
        assert_eq!(article("internal report"), "an");
        assert_eq!(article("unit of the ministry"), "a");
        assert_eq!(article("hour"), "an");
        assert_eq!(article("FBI request"), "an");
        assert_eq!(article("SEC filing"), "an");
        assert_eq!(article("GDPR notice"), "a");
        assert_eq!(article("one-off payment"), "a");
        assert_eq!(article("8-K"), "an");
        assert_eq!(article(""), "a");
    }
}
