//! Front-matter dates: `YYYY-MM-DD` or RFC 3339.

use jiff::Timestamp;
use jiff::civil;

/// A date from front matter, with the exact time when one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The calendar day.
    pub day: civil::Date,
    /// The instant, when the front matter gave an RFC 3339 time.
    pub instant: Option<Timestamp>,
}

impl Date {
    /// Parses `2025-03-02` or `2025-03-02T10:00:00Z` / `2025-03-02T10:00:00+02:00`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.len() == 10 {
            return text.parse::<civil::Date>().ok().map(|day| Date { day, instant: None });
        }
        let instant: Timestamp = text.parse().ok()?;
        let day = text.get(..10)?.parse::<civil::Date>().ok()?;
        Some(Date { day, instant: Some(instant) })
    }

    /// `2025-03-02`.
    pub fn iso(&self) -> String {
        self.day.to_string()
    }

    /// `2 March 2025`.
    pub fn human(&self) -> String {
        self.day.strftime("%-d %B %Y").to_string()
    }

    /// RFC 3339, midnight UTC when only a day was given.
    pub fn rfc3339(&self) -> String {
        match self.instant {
            Some(instant) => instant.to_string(),
            None => format!("{}T00:00:00Z", self.day),
        }
    }
}

/// The day a build or check counts as today: the day of `SOURCE_DATE_EPOCH` (seconds
/// since 1970, in UTC) when that is set, as reproducible builds set it, else today on the
/// system clock in the local time zone.
pub fn today() -> civil::Date {
    let pinned = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| Timestamp::from_second(s).ok());
    match pinned {
        Some(t) => t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
        None => jiff::ZonedDateTime::now().date(),
    }
}

/// How long ago `day` was on `today`, in words: days under a month, months under two
/// years, then years (`12 days`, `14 months`, `3 years`).
pub fn age(day: civil::Date, today: civil::Date) -> String {
    let count = |unit: jiff::Unit| {
        day.until((unit, today)).map_or(0, |span| match unit {
            jiff::Unit::Month => i64::from(span.get_months()),
            _ => i64::from(span.get_days()),
        })
    };
    let months = count(jiff::Unit::Month);
    let (n, word) = if months >= 24 {
        (months / 12, "year")
    } else if months >= 1 {
        (months, "month")
    } else {
        (count(jiff::Unit::Day).max(0), "day")
    };
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_instants() {
        let d = Date::parse("2025-03-02").unwrap();
        assert_eq!(d.iso(), "2025-03-02");
        assert_eq!(d.human(), "2 March 2025");
        assert_eq!(d.rfc3339(), "2025-03-02T00:00:00Z");
        let t = Date::parse("2025-03-02T10:00:00+02:00").unwrap();
        assert_eq!(t.iso(), "2025-03-02");
        assert_eq!(t.rfc3339(), "2025-03-02T08:00:00Z");
    }

    #[test]
    fn says_ages_in_days_months_and_years() {
        let on = |s: &str| s.parse::<civil::Date>().unwrap();
        let today = on("2026-12-06");
        assert_eq!(age(on("2025-10-06"), today), "14 months");
        assert_eq!(age(on("2025-10-07"), today), "13 months");
        assert_eq!(age(on("2026-11-20"), today), "16 days");
        assert_eq!(age(on("2026-12-05"), today), "1 day");
        assert_eq!(age(on("2026-11-06"), today), "1 month");
        assert_eq!(age(on("2024-12-06"), today), "2 years");
        assert_eq!(age(on("2020-01-01"), today), "6 years");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2025-13-45").is_none());
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("yesterday").is_none());
    }
}
