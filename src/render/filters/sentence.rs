//! `upper_first`, `lower_first`, `no_period`: fitting a sentence written on
//! its own into a longer one ("two principles guided us: first, we do not…").

use std::borrow::Cow;

use tera::{Kwargs, State};

/// `we decided` → `We decided`.
pub(super) struct UpperFirst;

/// `We do not provide…` → `we do not provide…`, to follow a colon or a
/// conjunction; a name (`Microsoft`, `IMOD`, `The Guardian`) is left alone.
pub(super) struct LowerFirst;

/// `It ended.` → `It ended`, to go inside a longer sentence.
pub(super) struct NoPeriod;

impl<'a> tera::Filter<Cow<'a, str>, String> for UpperFirst {
    fn call(&self, text: Cow<'a, str>, _: Kwargs, _: &State) -> String {
        upper_first(&text)
    }
}

impl<'a> tera::Filter<Cow<'a, str>, tera::TeraResult<String>> for LowerFirst {
    fn call(&self, text: Cow<'a, str>, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
        // `always=true` for a text known to open with a verb or a common
        // word, such as a demand ("Pay the attackers…").
        let always = kwargs.get::<bool>("always")?.unwrap_or(false);
        Ok(if always {
            lower_first_letter(&text)
        } else {
            lower_first(&text)
        })
    }
}

impl<'a> tera::Filter<Cow<'a, str>, String> for NoPeriod {
    fn call(&self, text: Cow<'a, str>, _: Kwargs, _: &State) -> String {
        no_period(&text)
    }
}

/// `text` with its first letter in upper case.
pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words that open a sentence in upper case only because they open it.
/// Anything else capitalised is taken for a name and kept.
const SENTENCE_OPENERS: &[&str] = &[
    "a", "all", "an", "and", "any", "as", "at", "because", "before", "both", "but", "by", "each",
    "every", "for", "from", "if", "in", "it", "its", "no", "none", "not", "on", "once", "one",
    "only", "our", "some", "that", "the", "their", "these", "they", "this", "those", "to", "until",
    "we", "when", "where", "while", "with", "you", "your",
];

/// `text` with its first word in lower case when that word is capitalised
/// only for opening the sentence: a common word ("We", "Members"), not a
/// name of the case, an initialism, a possessive or the start of a title.
pub(crate) fn lower_first(text: &str) -> String {
    lower_first_unless(text, super::super::cite::opens_with_name)
}

fn lower_first_unless(text: &str, opens_with_name: impl Fn(&str) -> bool) -> String {
    let first_word: String = text.chars().take_while(|c| c.is_alphabetic()).collect();
    let rest = &text[first_word.len()..];
    let lowered = first_word.to_lowercase();
    let title_case = first_word.chars().next().is_some_and(char::is_uppercase)
        && first_word.chars().skip(1).all(char::is_lowercase);
    let is_opener = SENTENCE_OPENERS.contains(&lowered.as_str());
    // "Grocery Supply Weekly", "Trust and Safety", "Microsoft's": a
    // capitalised word soon after it, or a possessive, makes it a name.
    let next_words: Vec<&str> = rest.split_whitespace().take(2).collect();
    let name_follows = next_words.iter().any(|w| w.starts_with(char::is_uppercase));
    let possessive = rest.starts_with("'s") || rest.starts_with("’s");
    let named = opens_with_name(text) || (!is_opener && (name_follows || possessive));
    if title_case && !named {
        format!("{lowered}{rest}")
    } else {
        text.to_owned()
    }
}

/// `text` with its first letter in lower case, unless the first word is an
/// initialism (`IT`, `IMOD`).
pub(crate) fn lower_first_letter(text: &str) -> String {
    let first_word: String = text.chars().take_while(|c| c.is_alphabetic()).collect();
    if first_word.chars().filter(|c| c.is_uppercase()).count() > 1 {
        return text.to_owned();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` without its closing full stop, to go inside a longer sentence.
pub(crate) fn no_period(text: &str) -> String {
    let trimmed = text.trim_end();
    trimmed.strip_suffix('.').unwrap_or(trimmed).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_first_capitalises_one_letter() {
        assert_eq!(upper_first("on 6 August"), "On 6 August");
        assert_eq!(upper_first(""), "");
        assert_eq!(upper_first("élan"), "Élan");
    }

    #[test]
    fn lower_first_keeps_the_names_of_the_case() {
        let names = |text: &str| text.starts_with("Microsoft") || text.starts_with("The Guardian");
        for (text, expected) in [
            ("Microsoft provided", "Microsoft provided"),
            ("The Guardian reported", "The Guardian reported"),
            ("The Commission asked", "the Commission asked"),
            ("Members who reported", "members who reported"),
            ("Grocery Supply Weekly said", "Grocery Supply Weekly said"),
            ("Trust and Safety will", "Trust and Safety will"),
            (
                "We do not provide technology.",
                "we do not provide technology.",
            ),
            ("Our review continues.", "our review continues."),
            ("Microsoft's records", "Microsoft's records"),
            ("IMOD consumed storage", "IMOD consumed storage"),
            ("The unit used Azure", "the unit used Azure"),
            ("It ended", "it ended"),
            ("IT systems", "IT systems"),
            ("", ""),
        ] {
            assert_eq!(lower_first_unless(text, names), expected, "{text}");
        }
    }

    #[test]
    fn lower_first_letter_spares_initialisms() {
        assert_eq!(lower_first_letter("Pay the attackers"), "pay the attackers");
        assert_eq!(lower_first_letter("IMOD asked"), "IMOD asked");
    }

    #[test]
    fn no_period_drops_one_full_stop() {
        assert_eq!(no_period("It ended."), "It ended");
        assert_eq!(no_period("It ended"), "It ended");
        assert_eq!(no_period("Wait... "), "Wait..");
    }
}
