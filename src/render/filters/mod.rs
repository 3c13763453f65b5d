//! Template filters for prose: what a letter needs to read as written by a
//! person rather than filled in from data. One filter a file, each tested
//! beside its code. Filters that depend on the language take the locale of
//! the document being rendered.

mod article;
mod join;
mod numbers;
pub(crate) mod sentence;

pub(crate) use sentence::upper_first;

use tera::Tera;

/// Registers every prose filter.
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter("join_and", join::JoinAnd);
    tera.register_filter("join_or", join::JoinOr);
    tera.register_filter("upper_first", sentence::UpperFirst);
    tera.register_filter("lower_first", sentence::LowerFirst);
    tera.register_filter("no_period", sentence::NoPeriod);
    tera.register_filter("with_article", article::WithArticle);
    tera.register_filter("with_the", article::WithThe);
    tera.register_filter("count_words", numbers::CountWords);
    tera.register_filter("ordinal_word", numbers::OrdinalWord);
    tera.register_filter("plural", numbers::Plural);
}
