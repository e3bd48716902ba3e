//! Instants. Stored as ISO-8601 UTC text with microseconds (`2025-03-01T01:02:03.000004Z`):
//! fixed width, so text order is time order in both databases, and readable in a SQL shell.
//! Everything shown to people is in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).

use std::fmt;
use std::ops::Add;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use vn_calendar::Date;

use crate::error::Error;

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975.
const VIETNAM_OFFSET_MICROS: i64 = 7 * 3_600_000_000;

/// An instant, in microseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(into = "String")]
pub struct Timestamp(i64);

impl Timestamp {
    /// The current instant. A clock before 1970 (a broken RTC) reads as the epoch rather than
    /// failing a write.
    pub fn now() -> Timestamp {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_micros())
            .unwrap_or(0);
        Timestamp(i64::try_from(micros).unwrap_or(i64::MAX))
    }

    /// `hour:minute` of `date` in Vietnam (UTC+7): how people name the moment of an event
    /// (`nhiemvu remind --at 2022-12-28`, a scenario's clock).
    pub fn in_vietnam(date: Date, hour: u32, minute: u32) -> Timestamp {
        let local = i64::from(date.days_since_epoch()) * MICROS_PER_DAY
            + (i64::from(hour) * 60 + i64::from(minute)) * 60_000_000;
        Timestamp(local - VIETNAM_OFFSET_MICROS)
    }

    /// Microseconds since the epoch.
    pub fn micros(self) -> i64 {
        self.0
    }

    /// The calendar day in Vietnam at this instant (deadlines and "as of" dates are Vietnamese
    /// days, not UTC days).
    pub fn date_in_vietnam(self) -> Date {
        let days = (self.0 + VIETNAM_OFFSET_MICROS).div_euclid(MICROS_PER_DAY);
        Date::from_days_since_epoch(i32::try_from(days).unwrap_or(i32::MAX)).unwrap_or(Date::MAX)
    }

    /// `dd/mm/yyyy HH:MM` in Asia/Ho_Chi_Minh, the way Vietnamese officials write times.
    pub fn display_vietnam(self) -> String {
        let local = self.0 + VIETNAM_OFFSET_MICROS;
        let (y, m, d) = self.date_in_vietnam().ymd();
        let minutes = local.rem_euclid(MICROS_PER_DAY) / 60_000_000;
        format!(
            "{d:02}/{m:02}/{y:04} {:02}:{:02}",
            minutes / 60,
            minutes % 60
        )
    }
}

/// The instant a duration later (leases, retry times), saturating at the far future.
impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, d: Duration) -> Timestamp {
        let micros = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(micros))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(MICROS_PER_DAY);
        let rest = self.0.rem_euclid(MICROS_PER_DAY);
        let date = Date::from_days_since_epoch(i32::try_from(days).unwrap_or(i32::MAX))
            .unwrap_or(Date::MAX);
        let secs = rest / 1_000_000;
        write!(
            f,
            "{date}T{:02}:{:02}:{:02}.{:06}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            rest % 1_000_000
        )
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.to_string()
    }
}

impl FromStr for Timestamp {
    type Err = Error;

    /// Exactly the stored form, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    fn from_str(s: &str) -> Result<Timestamp, Error> {
        let bad = || Error::Invalid {
            what: "thời điểm",
            value: s.to_owned(),
        };
        let b = s.as_bytes();
        if b.len() != 27
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'.'
            || b[26] != b'Z'
        {
            return Err(bad());
        }
        let date: Date = s[..10].parse().map_err(|_| bad())?;
        let num = |r: std::ops::Range<usize>, max: i64| -> Result<i64, Error> {
            let part = &s[r];
            match part.parse::<i64>() {
                Ok(v) if part.bytes().all(|c| c.is_ascii_digit()) && v <= max => Ok(v),
                _ => Err(bad()),
            }
        };
        let (h, m, sec, us) = (
            num(11..13, 23)?,
            num(14..16, 59)?,
            num(17..19, 59)?,
            num(20..26, 999_999)?,
        );
        Ok(Timestamp(
            i64::from(date.days_since_epoch()) * MICROS_PER_DAY
                + ((h * 60 + m) * 60 + sec) * 1_000_000
                + us,
        ))
    }
}

/// Serialises a [`Date`] as its ISO text (vn-calendar has no serde dependency).
pub(crate) fn serialize_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// Serialises an optional [`Date`] as ISO text or null.
pub(crate) fn serialize_opt_date<S: serde::Serializer>(
    d: &Option<Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips_and_vietnam_is_utc_plus_7() {
        let t: Timestamp = "2025-02-28T17:30:00.000001Z".parse().unwrap();
        assert_eq!(t.to_string(), "2025-02-28T17:30:00.000001Z");
        assert_eq!(t.date_in_vietnam().to_string(), "2025-03-01");
        assert_eq!(t.display_vietnam(), "01/03/2025 00:30");
        assert!("2025-02-28 17:30:00Z".parse::<Timestamp>().is_err());
        let now = Timestamp::now();
        assert_eq!(now.to_string().parse::<Timestamp>().unwrap(), now);
        assert_eq!(
            (t + Duration::from_secs(90)).to_string(),
            "2025-02-28T17:31:30.000001Z"
        );
    }
}
