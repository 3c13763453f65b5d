//! Calendar arithmetic for regulatory deadlines: days, weekdays, and US
//! federal business days.
//!
//! Deadlines are computed on whole days. A date known only to the month or
//! year is taken at its latest day, so a deadline is never reported as met
//! when it might not have been.

use crate::model::Date;

/// A day, counted from 1 January 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The day of a calendar date.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Day {
        // Howard Hinnant's days_from_civil.
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(month);
        let day_of_year =
            (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        Day(era * 146_097 + day_of_era - 719_468)
    }

    /// The number of days since 1 January 1970.
    pub fn since_epoch(self) -> i64 {
        self.0
    }

    /// The latest day `date` can mean.
    pub fn latest_of(date: &Date) -> Day {
        let (year, month, day) = date.latest();
        Day::from_ymd(i64::from(year), u32::from(month), u32::from(day))
    }

    /// The earliest day `date` can mean.
    pub fn earliest_of(date: &Date) -> Day {
        let (year, month, day) = date.earliest();
        Day::from_ymd(i64::from(year), u32::from(month), u32::from(day))
    }

    /// The calendar date of this day, as (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// This day as a [`Date`], when its year fits one.
    pub fn to_date(self) -> Option<Date> {
        let (year, month, day) = self.ymd();
        Date::ymd(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// The day `days` later.
    pub fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Days from `self` to `later`.
    pub fn until(self, later: Day) -> i64 {
        later.0 - self.0
    }

    /// 0 for Monday through 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1 January 1970 was a Thursday.
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// Whether the day is a Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    /// Whether US federal offices are closed: a weekend or a federal
    /// holiday, as observed.
    pub fn is_us_federal_non_business_day(self) -> bool {
        self.is_weekend() || us_federal_holidays(self.ymd().0).contains(&self)
    }

    /// The `count`th US federal business day after this one.
    pub fn plus_us_business_days(self, count: u32) -> Day {
        let mut day = self;
        let mut left = count;
        while left > 0 {
            day = day.plus(1);
            if !day.is_us_federal_non_business_day() {
                left -= 1;
            }
        }
        day
    }
}

/// The day by which GDPR Art. 33 asks for notification: 72 hours after the
/// organisation became aware, counted on whole days from the latest day
/// `aware` can mean.
pub fn gdpr_art33_due(aware: &Date) -> Option<Date> {
    Day::latest_of(aware).plus(3).to_date()
}

/// The `n`th (1-based) given weekday of a month; `n = 5` means the last.
fn nth_weekday(year: i64, month: u32, weekday: u32, n: u32) -> Day {
    if n == 5 {
        let next_month = if month == 12 {
            Day::from_ymd(year + 1, 1, 1)
        } else {
            Day::from_ymd(year, month + 1, 1)
        };
        let mut day = next_month.plus(-1);
        while day.weekday() != weekday {
            day = day.plus(-1);
        }
        return day;
    }
    let mut day = Day::from_ymd(year, month, 1);
    while day.weekday() != weekday {
        day = day.plus(1);
    }
    day.plus(i64::from(n - 1) * 7)
}

/// A fixed-date holiday as observed: Saturday moves to Friday, Sunday to
/// Monday.
fn observed(year: i64, month: u32, day: u32) -> Day {
    let date = Day::from_ymd(year, month, day);
    match date.weekday() {
        5 => date.plus(-1),
        6 => date.plus(1),
        _ => date,
    }
}

/// The US federal holidays observed in `year` (5 U.S.C. 6103).
pub fn us_federal_holidays(year: i64) -> Vec<Day> {
    const MONDAY: u32 = 0;
    const THURSDAY: u32 = 3;
    let mut days = vec![
        observed(year, 1, 1),
        nth_weekday(year, 1, MONDAY, 3),
        nth_weekday(year, 2, MONDAY, 3),
        nth_weekday(year, 5, MONDAY, 5),
        nth_weekday(year, 9, MONDAY, 1),
        nth_weekday(year, 10, MONDAY, 2),
        observed(year, 11, 11),
        nth_weekday(year, 11, THURSDAY, 4),
        observed(year, 12, 25),
        observed(year, 7, 4),
    ];
    if year >= 2021 {
        days.push(observed(year, 6, 19));
    }
    // New Year's Day of the next year, observed on 31 December.
    days.push(observed(year + 1, 1, 1));
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> Day {
        Day::from_ymd(y, m, d)
    }

    #[test]
    fn round_trips_and_weekdays() {
        assert_eq!(day(1970, 1, 1), Day(0));
        assert_eq!(day(2025, 8, 6).ymd(), (2025, 8, 6));
        assert_eq!(day(2024, 2, 29).plus(1).ymd(), (2024, 3, 1));
        assert_eq!(day(2025, 9, 25).weekday(), 3); // a Thursday
        assert_eq!(day(2026, 11, 28).weekday(), 5); // a Saturday
    }

    #[test]
    fn knows_the_federal_holidays() {
        let holidays = us_federal_holidays(2026);
        for (m, d) in [
            (1, 1),
            (1, 19),
            (2, 16),
            (5, 25),
            (6, 19),
            (7, 3),
            (9, 7),
            (10, 12),
            (11, 11),
            (11, 26),
            (12, 25),
        ] {
            assert!(holidays.contains(&day(2026, m, d)), "2026-{m:02}-{d:02}");
        }
        // 4 July 2026 is a Saturday: observed Friday 3 July.
        assert!(!holidays.contains(&day(2026, 7, 4)));
    }

    #[test]
    fn counts_business_days_across_weekends_and_holidays() {
        // Determined Thursday 21 November 2024: Friday 22, Monday 25,
        // Tuesday 26, Wednesday 27 (Thanksgiving is Thursday 28).
        assert_eq!(
            day(2024, 11, 21).plus_us_business_days(4).ymd(),
            (2024, 11, 27)
        );
        // Determined Wednesday 27 November 2024: Friday 29, Monday 2,
        // Tuesday 3, Wednesday 4 December, skipping Thanksgiving and the weekend.
        assert_eq!(
            day(2024, 11, 27).plus_us_business_days(4).ymd(),
            (2024, 12, 4)
        );
        // Determined Friday 10 January 2025: Monday 13 … Thursday 16.
        assert_eq!(
            day(2025, 1, 10).plus_us_business_days(4).ymd(),
            (2025, 1, 16)
        );
        // Determined Thursday 15 January 2026: Friday 16, then MLK Day on
        // Monday 19: Tuesday 20, Wednesday 21, Thursday 22.
        assert_eq!(
            day(2026, 1, 15).plus_us_business_days(4).ymd(),
            (2026, 1, 22)
        );
    }
}
