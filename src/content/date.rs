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
    fn rejects_impossible_dates() {
        assert!(Date::parse("2025-13-45").is_none());
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("yesterday").is_none());
    }
}
