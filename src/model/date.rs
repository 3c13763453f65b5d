use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use super::Locale;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// Only the year: `2022`.
    Year,
    /// The year and month: `2022-04`.
    Month,
    /// The exact day: `2022-04-06`.
    Day,
}

/// A calendar date known to the day, the month or the year, possibly only
/// approximately. Written `2025-08-06`, `2025-08` or `2025`; a leading `~`
/// or `about ` marks it approximate (`~2022-03-22`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
    approximate: bool,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// An exact date, if it exists.
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(
            Date {
                year,
                month: Some(month),
                day: Some(day),
                approximate: false,
            },
        )
    }

    /// Parses the written forms described on [`Date`].
    pub fn parse(text: &str) -> Result<Date, String> {
        let trimmed = text.trim();
        let (approximate, rest) = match trimmed
            .strip_prefix('~')
            .or_else(|| trimmed.strip_prefix("about "))
        {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let invalid = || {
            // No date is longer than `about 2025-08-06`: show a long text cut short.
            let shown = if text.chars().count() > 40 {
                let start: String = text.chars().take(20).collect();
                format!("{}…", start.escape_debug())
            } else {
                text.escape_debug().to_string()
            };
            format!(
                "`{shown}` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, \
                 with `~` in front if it is approximate"
            )
        };
        let parts: Vec<&str> = rest.split('-').collect();
        let number = |part: &str, width: usize| -> Option<u16> {
            (part.len() == width && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let year = parts
            .first()
            .and_then(|p| number(p, 4))
            .ok_or_else(invalid)?;
        if year == 0 {
            return Err(format!("`{rest}` is not a date: there is no year 0"));
        }
        let month = match parts.get(1) {
            Some(part) => {
                let month = number(part, 2).ok_or_else(invalid)?;
                if !(1..=12).contains(&month) {
                    return Err(format!("`{rest}` is not a date: there is no month {month}"));
                }
                Some(month as u8)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(part), Some(month)) => {
                let day = number(part, 2).ok_or_else(invalid)?;
                let last = days_in_month(year, month);
                if day == 0 || day > u16::from(last) {
                    return Err(format!(
                        "`{rest}` is not a date: {} {year} has {last} days",
                        MONTHS[usize::from(month) - 1]
                    ));
                }
                Some(day as u8)
            }
            _ => None,
        };
        if parts.len() > 3 {
            return Err(invalid());
        }
        Ok(Date {
            year,
            month,
            day,
            approximate,
        })
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// Whether the date is only approximately known.
    pub fn is_approximate(&self) -> bool {
        self.approximate
    }

    /// The earliest day the date can mean, as (year, month, day).
    pub fn earliest(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The latest day the date can mean, as (year, month, day).
    pub fn latest(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or_else(|| days_in_month(self.year, month)),
        )
    }

    /// Whether this date is certainly before `other`, given what each
    /// leaves unknown.
    pub fn certainly_before(&self, other: &Date) -> bool {
        !self.approximate && !other.approximate && self.latest() < other.earliest()
    }

    /// The date as words, such as `6 August 2025`, `April 2022` or `2022`.
    pub fn text(&self) -> String {
        self.text_in(Locale::EnGb)
    }

    /// The date as words in `locale`: `6 August 2025` or `August 6, 2025`.
    pub fn text_in(&self, locale: Locale) -> String {
        self.words(locale, true)
    }

    /// The date as words in a text written in `year`: a day or month of
    /// that year goes without it (`23 February`, `February 23`, `May`),
    /// as a letter dated that year would write it.
    pub fn text_within(&self, locale: Locale, year: u16) -> String {
        self.words(locale, self.year != year || self.month.is_none())
    }

    fn words(&self, locale: Locale, with_year: bool) -> String {
        // Dates are written many times for every document: built piece by
        // piece, without the formatting machinery.
        let mut words = String::with_capacity(20);
        let month = self.month.map(|month| MONTHS[usize::from(month) - 1]);
        match (month, self.day, locale) {
            (Some(month), Some(day), Locale::EnGb) => {
                push_number(&mut words, day.into());
                words.push(' ');
                words.push_str(month);
            }
            (Some(month), Some(day), Locale::EnUs) => {
                words.push_str(month);
                words.push(' ');
                push_number(&mut words, day.into());
                if with_year {
                    words.push(',');
                }
            }
            (Some(month), None, _) => words.push_str(month),
            _ => {
                push_number(&mut words, self.year);
                return words;
            }
        }
        if with_year {
            words.push(' ');
            push_number(&mut words, self.year);
        }
        words
    }

    /// The year the date falls in.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The date as it reads in a sentence: `on 6 August 2025`, `in April
    /// 2022`, `on or about 22 March 2022`, `in or around 2022`.
    pub fn phrase(&self) -> String {
        self.phrase_in(Locale::EnGb)
    }

    /// The date as it reads in a sentence, in `locale`.
    pub fn phrase_in(&self, locale: Locale) -> String {
        self.phrase_from(&self.text_in(locale))
    }

    /// The date as it reads in a sentence of a text written in `year`:
    /// `on 23 February`, `in May`, `on 23 February 2025`.
    pub fn phrase_within(&self, locale: Locale, year: u16) -> String {
        self.phrase_from(&self.text_within(locale, year))
    }

    /// `text`, this date as words, as it reads in a sentence: `on 6
    /// August 2025`, `in or around 2022`.
    pub fn phrase_from(&self, text: &str) -> String {
        let lead = match (self.precision(), self.approximate) {
            (Precision::Day, false) => "on ",
            (Precision::Day, true) => "on or about ",
            (_, false) => "in ",
            (_, true) => "in or around ",
        };
        let mut phrase = String::with_capacity(lead.len() + text.len());
        phrase.push_str(lead);
        phrase.push_str(text);
        phrase
    }

    /// Whether `words` already say this date, to the precision it is known
    /// ("in May" for `2026-05`, "15 May" or "May 15" for `2026-05-15`, the
    /// year for `2026`), so that a sentence need not add it again.
    pub fn is_said_in(&self, words: &str) -> bool {
        let says = |needle: &str| {
            words.match_indices(needle).any(|(at, _)| {
                let before = words[..at].chars().next_back();
                let after = words[at + needle.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        };
        match (self.month, self.day) {
            (Some(month), Some(day)) => {
                let name = MONTHS[usize::from(month) - 1];
                says(&format!("{day} {name}")) || says(&format!("{name} {day}"))
            }
            (Some(month), None) => says(MONTHS[usize::from(month) - 1]),
            _ => says(&self.year.to_string()),
        }
    }

    /// The date in ISO form, as written without the approximation mark.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(month), Some(day)) => format!("{:04}-{month:02}-{day:02}", self.year),
            (Some(month), None) => format!("{:04}-{month:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

/// Appends `number` in decimal digits.
fn push_number(out: &mut String, number: u16) {
    if number >= 10 {
        push_number(out, number / 10);
    }
    out.push(char::from(b'0' + (number % 10) as u8));
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.approximate {
            f.write_str("~")?;
        }
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl Visitor<'_> for DateVisitor {
            type Value = Date;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2025-08-06, 2025-08 or 2025")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
                Date::parse(text).map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, year: u64) -> Result<Date, E> {
                Date::parse(&format!("{year:04}")).map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, year: i64) -> Result<Date, E> {
                Date::parse(&year.to_string()).map_err(E::custom)
            }
        }

        // As text, so a date is judged as written: `20250301` or `1e3` is
        // reported as such, not as the number YAML would read it as.
        deserializer.deserialize_str(DateVisitor)
    }
}

/// For editors: the written forms of a date. Whether the day exists is left
/// to the loader, which says which month has how many days.
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A date: YYYY-MM-DD, YYYY-MM or YYYY, with `~` or `about ` in front if it is approximate.",
            "anyOf": [
                {
                    "type": "string",
                    // Months 01–12 and days 01–31; which month has 31 days is
                    // left to `candor check`.
                    "pattern": "^\\s*(~\\s*|about\\s+)?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\\s*$"
                },
                { "type": "integer", "minimum": 1, "maximum": 9999 }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_every_precision_naturally() {
        assert_eq!(date("2025-08-06").phrase(), "on 6 August 2025");
        assert_eq!(date("2022-04").phrase(), "in April 2022");
        assert_eq!(date("~2022-03-22").phrase(), "on or about 22 March 2022");
        assert_eq!(date("about 2022").phrase(), "in or around 2022");
        assert_eq!(date("2024-02-29").text(), "29 February 2024");
    }

    #[test]
    fn leaves_out_the_year_a_letter_of_that_year_need_not_say() {
        let gb = Locale::EnGb;
        let us = Locale::EnUs;
        assert_eq!(date("2026-02-23").phrase_within(gb, 2026), "on 23 February");
        assert_eq!(date("2026-01-11").phrase_within(us, 2026), "on January 11");
        assert_eq!(date("2026-05").phrase_within(gb, 2026), "in May");
        assert_eq!(
            date("~2026-02-14").phrase_within(gb, 2026),
            "on or about 14 February"
        );
        assert_eq!(date("2025-10").phrase_within(gb, 2026), "in October 2025");
        assert_eq!(
            date("2025-12-30").phrase_within(us, 2026),
            "on December 30, 2025"
        );
        assert_eq!(date("2026").phrase_within(gb, 2026), "in 2026");
        assert_eq!(date("2026-03-20").text_within(us, 2026), "March 20");
    }

    #[test]
    fn tells_whether_words_already_say_the_date() {
        let may = date("2026-05");
        assert!(may.is_said_in("Trust and Safety will check in May whether it worked."));
        assert!(!may.is_said_in("Mayfield will check whether it worked."));
        assert!(!may.is_said_in("Trust and Safety will check whether it worked."));
        let day = date("2026-06-15");
        assert!(day.is_said_in("The review ends on 15 June."));
        assert!(day.is_said_in("The review ends on June 15, 2026."));
        assert!(!day.is_said_in("The review ends in June."));
        assert!(!day.is_said_in("Batch 115 June was shipped."));
        assert!(date("2027").is_said_in("We will report in 2027."));
        assert!(!date("2027").is_said_in("We will report to 20270 people."));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(
            Date::parse("2025-02-30").unwrap_err(),
            "`2025-02-30` is not a date: February 2025 has 28 days"
        );
        assert!(Date::parse("2025-13").is_err());
        assert!(Date::parse("2025-1-01").is_err());
        assert!(Date::parse("6 August 2025").is_err());
        assert!(Date::parse("2025-08-06-01").is_err());
        assert!(Date::parse("0000-01-01").is_err());
        assert!(Date::parse("2025-02-").is_err());
        assert!(Date::parse("~").is_err());
    }

    #[test]
    fn orders_by_what_is_known() {
        assert!(date("2025-08-06").certainly_before(&date("2025-09")));
        assert!(!date("2025-08").certainly_before(&date("2025-08-31")));
        assert!(!date("~2025-08-01").certainly_before(&date("2025-09-01")));
    }
}
