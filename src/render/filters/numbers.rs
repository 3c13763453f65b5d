//! `count_words`, `ordinal_word`, `plural`: numbers as a letter writes
//! them ("two principles", "first", "1 finding", "3 findings").

use tera::{Kwargs, State, TeraResult};

/// `2 | count_words` → `two`; numbers above ten stay in figures.
pub(super) struct CountWords;

/// `1 | ordinal_word` → `first`.
pub(super) struct OrdinalWord;

/// `findings | length | plural(one="finding", many="findings")`, or
/// `plural(word="finding")` for a regular plural.
pub(super) struct Plural;

const CARDINALS: [&str; 11] = [
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];
const ORDINALS: [&str; 10] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

impl tera::Filter<u64, String> for CountWords {
    fn call(&self, n: u64, _: Kwargs, _: &State) -> String {
        count_words(n)
    }
}

impl tera::Filter<u64, String> for OrdinalWord {
    fn call(&self, n: u64, _: Kwargs, _: &State) -> String {
        ordinal_word(n)
    }
}

impl tera::Filter<u64, TeraResult<String>> for Plural {
    fn call(&self, n: u64, kwargs: Kwargs, _: &State) -> TeraResult<String> {
        let word: Option<String> = kwargs.get("word")?;
        let one: Option<String> = kwargs.get("one")?;
        let many: Option<String> = kwargs.get("many")?;
        let one = one.or_else(|| word.clone()).unwrap_or_default();
        let many = many.unwrap_or_else(|| format!("{one}s"));
        Ok(if n == 1 { one } else { many })
    }
}

/// `two` for 2; figures from 11.
pub(crate) fn count_words(n: u64) -> String {
    usize::try_from(n)
        .ok()
        .and_then(|i| CARDINALS.get(i))
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// `first` for 1; `11th` from 11.
pub(crate) fn ordinal_word(n: u64) -> String {
    if let Some(word) = usize::try_from(n)
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| ORDINALS.get(i))
    {
        return (*word).to_owned();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_in_words() {
        assert_eq!(count_words(0), "no");
        assert_eq!(count_words(2), "two");
        assert_eq!(count_words(10), "ten");
        assert_eq!(count_words(11), "11");
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal_word(1), "first");
        assert_eq!(ordinal_word(10), "tenth");
        assert_eq!(ordinal_word(11), "11th");
        assert_eq!(ordinal_word(22), "22nd");
        assert_eq!(ordinal_word(0), "0th");
    }
}
