use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::calendar::Day;

/// An instant, written with its time zone: `2026-12-01T09:00:00Z` or
/// `2026-12-01T10:00+01:00`. Embargoes and approvals are moments, not days,
/// and a moment without a zone means different things in different offices,
/// so the zone is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    seconds: i64,
    /// As written.
    text: String,
}

impl Timestamp {
    /// Reads `YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)`; a space may stand for `T`.
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let trimmed = text.trim();
        let invalid = |why: &str| {
            format!(
                "`{trimmed}` is not a date and time{why}; write it like 2026-12-01T09:00:00Z \
                 or 2026-12-01T10:00:00+01:00"
            )
        };
        let bytes = trimmed.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = trimmed.get(range)?;
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        if bytes.len() < 16 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
            return Err(invalid(""));
        }
        if bytes[10] != b'T' && bytes[10] != b't' && bytes[10] != b' ' {
            return Err(invalid(""));
        }
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute)) = (
            digits(0..4),
            digits(5..7),
            digits(8..10),
            digits(11..13),
            digits(14..16),
        ) else {
            return Err(invalid(""));
        };
        let mut rest = &trimmed[16..];
        let mut second = 0;
        if let Some(after) = rest.strip_prefix(':') {
            let Some(value) = after.get(0..2).and_then(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| s.parse::<u32>().ok())
                    .flatten()
            }) else {
                return Err(invalid(""));
            };
            second = value;
            rest = &after[2..];
            // Fractions of a second are accepted and ignored.
            if let Some(fraction) = rest.strip_prefix('.') {
                let end = fraction
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(fraction.len());
                if end == 0 {
                    return Err(invalid(""));
                }
                rest = &fraction[end..];
            }
        }
        let offset_minutes: i64 = match rest {
            "Z" | "z" => 0,
            "" => return Err(invalid(" with a time zone")),
            zone => {
                let sign = match zone.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return Err(invalid("")),
                };
                let zone = &zone[1..];
                let (hours, minutes) = match (zone.len(), zone.get(2..3)) {
                    (5, Some(":")) => (zone.get(0..2), zone.get(3..5)),
                    (4, _) => (zone.get(0..2), zone.get(2..4)),
                    (2, _) => (zone.get(0..2), Some("00")),
                    _ => return Err(invalid("")),
                };
                let parse = |s: Option<&str>| {
                    s.filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|s| s.parse::<i64>().ok())
                };
                match (parse(hours), parse(minutes)) {
                    (Some(h), Some(m)) if h <= 23 && m <= 59 => sign * (h * 60 + m),
                    _ => return Err(invalid("")),
                }
            }
        };
        let date = super::Date::ymd(
            u16::try_from(year).map_err(|_| invalid(""))?,
            u8::try_from(month).map_err(|_| invalid(""))?,
            u8::try_from(day).map_err(|_| invalid(""))?,
        )
        .ok_or_else(|| invalid(""))?;
        if hour > 23 || minute > 59 || second > 59 {
            return Err(invalid(""));
        }
        let (year, month, day) = date.earliest();
        let days = Day::from_ymd(i64::from(year), u32::from(month), u32::from(day)).since_epoch();
        let seconds =
            days * 86_400 + i64::from(hour) * 3_600 + i64::from(minute) * 60 + i64::from(second)
                - offset_minutes * 60;
        Ok(Timestamp {
            seconds,
            text: trimmed.to_owned(),
        })
    }

    /// The instant `seconds` after 1970-01-01T00:00:00Z, written in UTC.
    pub fn from_unix(seconds: i64) -> Timestamp {
        let day = Day::from_ymd(1970, 1, 1).plus(seconds.div_euclid(86_400));
        let (year, month, date) = day.ymd();
        let of_day = seconds.rem_euclid(86_400);
        Timestamp {
            seconds,
            text: format!(
                "{year:04}-{month:02}-{date:02}T{:02}:{:02}:{:02}Z",
                of_day / 3_600,
                of_day % 3_600 / 60,
                of_day % 60
            ),
        }
    }

    /// Now, from the system clock.
    pub fn now() -> Timestamp {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX / 2))
            .unwrap_or(0);
        Timestamp::from_unix(seconds)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// As written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date and time with its zone, such as 2026-12-01T09:00:00Z")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
                Timestamp::parse(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(TimestampVisitor)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A date and time with its zone: 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00.",
            "type": "string",
            "pattern": "^\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)\\s*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_applied() {
        let utc = Timestamp::parse("2026-12-01T09:00:00Z").unwrap();
        let paris = Timestamp::parse("2026-12-01T10:00+01:00").unwrap();
        let new_york = Timestamp::parse("2026-12-01 04:00:00-0500").unwrap();
        assert_eq!(utc.unix_seconds(), paris.unix_seconds());
        assert_eq!(utc.unix_seconds(), new_york.unix_seconds());
        assert_eq!(utc.unix_seconds(), 1_796_115_600);
        assert_eq!(
            Timestamp::from_unix(1_796_115_600).as_str(),
            "2026-12-01T09:00:00Z"
        );
    }

    #[test]
    fn a_zone_is_required_and_values_must_exist() {
        assert_eq!(
            Timestamp::parse("2026-12-01T09:00").unwrap_err(),
            "`2026-12-01T09:00` is not a date and time with a time zone; write it like \
             2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00"
        );
        for bad in [
            "2026-02-30T09:00Z",
            "2026-12-01T24:00Z",
            "2026-12-01T09:60Z",
            "2026-12-01",
            "2026-12-01T09:00:00+1",
            "2026-12-01T09:00:00.Z",
            "tomorrow",
            "2026-12-01T09:00Z+01:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
