//! Dates as editors write them, and review intervals ("12 months").
//!
//! Front matter dates come from TOML (native dates or strings) and YAML (always strings).
//! Both paths end in [`Date`], whose `Deserialize` rejects anything that is not a real
//! date, so `date = "yesterday"` fails at the line that says it.

use jiff::civil;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A calendar date with an optional time of day, as written in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub civil::DateTime);

impl Date {
    /// Parses `2026-11-22`, `2026-11-22T10:30:00`, `2026-11-22 10:30` or RFC 3339 with an offset
    /// (the offset is dropped: a page's date is the date its author saw).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Ok(dt) = s.parse::<civil::DateTime>() {
            return Some(Date(dt));
        }
        // RFC 3339 with an offset: keep the wall-clock time the author wrote.
        let pieces = jiff::fmt::temporal::Pieces::parse(s).ok()?;
        let time = pieces.time().unwrap_or(civil::Time::midnight());
        Some(Date(pieces.date().to_datetime(time)))
    }

    pub fn date(&self) -> civil::Date {
        self.0.date()
    }

    /// `2026-11-22` when there is no time, else `2026-11-22T10:30:00`.
    pub fn to_iso(&self) -> String {
        if self.0.time() == civil::Time::midnight() {
            self.0.date().to_string()
        } else {
            self.0.strftime("%Y-%m-%dT%H:%M:%S").to_string()
        }
    }

    /// RFC 3339 in UTC, for feeds and sitemaps.
    pub fn to_rfc3339(&self) -> String {
        self.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

const DATE_HELP: &str = "a date like 2026-11-22 or 2026-11-22T09:30:00";

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(DATE_HELP)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).ok_or_else(|| E::custom(format!("invalid date `{v}`: expected {DATE_HELP}")))
    }

    /// TOML hands native dates over as a one-entry map holding the date's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_key, value)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom(format!("expected {DATE_HELP}")));
        };
        self.visit_str(&value)
    }
}

/// How long a page stays trustworthy before someone must review it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub amount: u32,
    pub unit: IntervalUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Interval {
    /// Parses `"12 months"`, `"1 year"`, `"90 days"`, `"2 weeks"`.
    pub fn parse(s: &str) -> Option<Interval> {
        let mut parts = s.split_whitespace();
        let amount: u32 = parts.next()?.parse().ok()?;
        let unit = match parts.next()?.to_ascii_lowercase().trim_end_matches('s') {
            "day" => IntervalUnit::Days,
            "week" => IntervalUnit::Weeks,
            "month" => IntervalUnit::Months,
            "year" => IntervalUnit::Years,
            _ => return None,
        };
        if parts.next().is_some() || amount == 0 || amount > 1200 {
            return None;
        }
        Some(Interval { amount, unit })
    }

    /// The date one interval after `from`.
    pub fn after(&self, from: civil::Date) -> civil::Date {
        let n = i64::from(self.amount);
        let span = match self.unit {
            IntervalUnit::Days => jiff::Span::new().days(n),
            IntervalUnit::Weeks => jiff::Span::new().weeks(n),
            IntervalUnit::Months => jiff::Span::new().months(n),
            IntervalUnit::Years => jiff::Span::new().years(n),
        };
        from.checked_add(span).unwrap_or(civil::Date::MAX)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            IntervalUnit::Days => "day",
            IntervalUnit::Weeks => "week",
            IntervalUnit::Months => "month",
            IntervalUnit::Years => "year",
        };
        let plural = if self.amount == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.amount)
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Interval::parse(&s).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid review interval `{s}`: expected a number and a unit, like \"12 months\", \"1 year\" or \"90 days\""
            ))
        })
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Formats a date for readers in `lang`: "22 November 2026" or "2026년 11월 22일".
pub fn format_long(date: civil::Date, lang: &str) -> String {
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
    match lang {
        "ko" => format!("{}년 {}월 {}일", date.year(), date.month(), date.day()),
        "ja" | "zh" => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        _ => {
            let month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)];
            format!("{} {month} {}", date.day(), date.year())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_date_forms() {
        assert_eq!(
            Date::parse("2026-11-22").map(|d| d.to_iso()),
            Some("2026-11-22".into())
        );
        assert_eq!(
            Date::parse("2026-11-22T09:30:00").map(|d| d.to_iso()),
            Some("2026-11-22T09:30:00".into())
        );
        assert!(Date::parse("2026-11-22T09:30:00Z").is_some());
        assert!(Date::parse("yesterday").is_none());
        assert!(Date::parse("2026-02-30").is_none());
    }

    #[test]
    fn toml_native_and_string_dates_deserialize() {
        #[derive(Debug, Deserialize)]
        struct T {
            a: Date,
            b: Date,
        }
        let t: T = toml::from_str("a = 2026-01-02\nb = \"2026-03-04\"").expect("valid");
        assert_eq!(t.a.to_iso(), "2026-01-02");
        assert_eq!(t.b.to_iso(), "2026-03-04");
        let err = toml::from_str::<T>("a = 2026-01-02\nb = \"yesterday\"").expect_err("invalid");
        assert!(
            err.to_string().contains("invalid date `yesterday`"),
            "{err}"
        );
    }

    #[test]
    fn intervals_parse_and_add() {
        let i = Interval::parse("12 months").expect("valid");
        let d: civil::Date = "2026-01-31".parse().expect("date");
        assert_eq!(i.after(d).to_string(), "2027-01-31");
        assert_eq!(
            Interval::parse("1 year").map(|i| i.to_string()),
            Some("1 year".into())
        );
        assert!(Interval::parse("soon").is_none());
        assert!(Interval::parse("0 days").is_none());
        assert!(Interval::parse("3 fortnights").is_none());
    }

    #[test]
    fn long_dates_per_language() {
        let d: civil::Date = "2026-11-22".parse().expect("date");
        assert_eq!(format_long(d, "en"), "22 November 2026");
        assert_eq!(format_long(d, "ko"), "2026년 11월 22일");
    }
}
