//! A Gregorian calendar date with no time of day and no time zone.
//!
//! Every date in nhiemvu is a civil date in Asia/Ho_Chi_Minh, so a date needs no zone: it is a
//! day number. Keeping it a plain `i32` makes it `Copy`, cheap to compare and to store, and
//! makes day arithmetic a subtraction.

use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;

use crate::Error;

/// Julian Day Number of 1970-01-01, the zero of [`Date`]'s day count.
const UNIX_EPOCH_JDN: i32 = 2_440_588;

/// A day of the proleptic Gregorian calendar, from 0001-01-01 to 9999-12-31.
///
/// The bounds keep the ISO form (`YYYY-MM-DD`) four digits wide, which is what documents,
/// the CLI and the JSON contract use.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i32,
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weekday {
    /// Thứ Hai.
    Monday,
    /// Thứ Ba.
    Tuesday,
    /// Thứ Tư.
    Wednesday,
    /// Thứ Năm.
    Thursday,
    /// Thứ Sáu.
    Friday,
    /// Thứ Bảy.
    Saturday,
    /// Chủ Nhật.
    Sunday,
}

impl Weekday {
    /// Whether this is Saturday or Sunday, the weekly days off of civil servants
    /// (Decision 188/1999/QĐ-TTg).
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }

    /// The Vietnamese name, as on a calendar (`Thứ Hai` … `Chủ Nhật`).
    pub fn name_vi(self) -> &'static str {
        match self {
            Weekday::Monday => "Thứ Hai",
            Weekday::Tuesday => "Thứ Ba",
            Weekday::Wednesday => "Thứ Tư",
            Weekday::Thursday => "Thứ Năm",
            Weekday::Friday => "Thứ Sáu",
            Weekday::Saturday => "Thứ Bảy",
            Weekday::Sunday => "Chủ Nhật",
        }
    }

    /// Days since Monday: 0 for Monday … 6 for Sunday.
    pub fn days_from_monday(self) -> u32 {
        self as u32
    }
}

/// Whether `year` has a 29 February.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`; 0 for a month outside 1–12.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to a valid (year, month, day), after H. Hinnant's `days_from_civil`:
/// a year starting in March puts the leap day last, so month lengths follow a fixed pattern.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i32;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

impl Date {
    /// The first representable date, 0001-01-01.
    pub const MIN: Date = Date { days: -719_162 };
    /// The last representable date, 9999-12-31.
    pub const MAX: Date = Date { days: 2_932_896 };

    /// The date with this year, month (1–12) and day of month.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] when the day does not exist (`2026-02-29`, month 13, day 0) or the
    /// year is outside 1–9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date, Error> {
        if !(1..=9999).contains(&year) || day == 0 || day > days_in_month(year, month) {
            return Err(Error::InvalidDate { year, month, day });
        }
        Ok(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The date with this Julian Day Number (the day count astronomers use; 2451545 is
    /// 2000-01-01), or `None` outside [`Date::MIN`]..=[`Date::MAX`].
    pub fn from_jdn(jdn: i32) -> Option<Date> {
        Date::from_days_since_epoch(jdn.checked_sub(UNIX_EPOCH_JDN)?)
    }

    /// The date `days` after 1970-01-01, or `None` outside [`Date::MIN`]..=[`Date::MAX`].
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        (Date::MIN.days..=Date::MAX.days)
            .contains(&days)
            .then_some(Date { days })
    }

    /// The Julian Day Number of this date.
    pub fn jdn(self) -> i32 {
        self.days + UNIX_EPOCH_JDN
    }

    /// Days since 1970-01-01 (negative before it); a compact key for storage.
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.ymd().1
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.ymd().2
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday, three days after a Monday.
        match (self.days + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    /// The date `n` days later (earlier for negative `n`), or `None` past the representable range.
    pub fn checked_add_days(self, n: i32) -> Option<Date> {
        Date::from_days_since_epoch(self.days.checked_add(n)?)
    }

    /// The date `n` days later (earlier for negative `n`).
    ///
    /// # Panics
    /// When the result is outside [`Date::MIN`]..=[`Date::MAX`]; use
    /// [`checked_add_days`](Date::checked_add_days) where that can happen.
    pub fn add_days(self, n: i32) -> Date {
        self.checked_add_days(n)
            .expect("date out of range 0001-01-01..=9999-12-31")
    }

    /// Days from `earlier` to `self`: positive when `self` is later.
    pub fn days_since(self, earlier: Date) -> i32 {
        self.days - earlier.days
    }

    /// The same day of the month `n` months later (earlier for negative `n`), or the last day
    /// of that month when it is shorter: 31 January plus one month is 28 or 29 February.
    ///
    /// This is how the Civil Code 2015 (art. 148(1)(c)) ends a limit counted in months.
    /// `None` past the representable range.
    pub fn add_months(self, n: i32) -> Option<Date> {
        let (year, month, day) = self.ymd();
        let index = i64::from(year) * 12 + i64::from(month - 1) + i64::from(n);
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = index.rem_euclid(12) as u32 + 1;
        Date::from_ymd(year, month, day.min(days_in_month(year, month))).ok()
    }
}

impl Add<i32> for Date {
    type Output = Date;

    /// Same as [`Date::add_days`], including its panic.
    fn add(self, n: i32) -> Date {
        self.add_days(n)
    }
}

impl Sub<i32> for Date {
    type Output = Date;

    /// `n` days earlier; panics like [`Date::add_days`].
    fn sub(self, n: i32) -> Date {
        self.add_days(-n)
    }
}

impl Sub<Date> for Date {
    type Output = i32;

    /// Days from `earlier` to `self`, as [`Date::days_since`].
    fn sub(self, earlier: Date) -> i32 {
        self.days_since(earlier)
    }
}

impl fmt::Display for Date {
    /// ISO 8601: `2026-05-19`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Date {
    type Err = Error;

    /// Parses exactly `YYYY-MM-DD` (ISO 8601 calendar date, extended form). Other spellings
    /// (`4/5/2026`, `ngày 04 tháng 5`) belong to the document parsers, which know the context.
    fn from_str(s: &str) -> Result<Date, Error> {
        let bad = || Error::ParseDate(s.to_owned());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let digits = |range: std::ops::Range<usize>| -> Result<u32, Error> {
            let part = &s[range];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        Date::from_ymd(year as i32, month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn known_day_numbers() {
        assert_eq!(Date::from_ymd(2000, 1, 1).unwrap().jdn(), 2_451_545);
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::MIN.ymd(), (1, 1, 1));
        assert_eq!(Date::MAX.ymd(), (9999, 12, 31));
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        assert!(Date::from_ymd(2026, 2, 29).is_err());
        assert!(Date::from_ymd(2024, 2, 29).is_ok());
        assert!(Date::from_ymd(1900, 2, 29).is_err());
        assert!(Date::from_ymd(2000, 2, 29).is_ok());
        assert!(Date::from_ymd(2026, 13, 1).is_err());
        assert!(Date::from_ymd(2026, 4, 31).is_err());
        assert!(Date::from_ymd(2026, 1, 0).is_err());
        assert!(Date::from_ymd(0, 1, 1).is_err());
    }

    #[test]
    fn parses_and_prints_iso() {
        assert_eq!(d("2026-05-04").to_string(), "2026-05-04");
        for bad in [
            "2026-5-4",
            "2026/05/04",
            "26-05-04",
            "2026-05-04 ",
            "+026-05-04",
            "2026-02-30",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn weekdays() {
        assert_eq!(d("2026-05-04").weekday(), Weekday::Monday);
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thursday);
        assert_eq!(d("2026-02-17").weekday(), Weekday::Tuesday);
        assert_eq!(d("1969-12-28").weekday(), Weekday::Sunday);
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(d("2026-01-31").add_months(1), Some(d("2026-02-28")));
        assert_eq!(d("2024-01-31").add_months(1), Some(d("2024-02-29")));
        assert_eq!(d("2026-03-15").add_months(-3), Some(d("2025-12-15")));
        assert_eq!(d("2026-08-31").add_months(6), Some(d("2027-02-28")));
        assert_eq!(d("2026-05-04").add_months(12), Some(d("2027-05-04")));
        assert_eq!(Date::MAX.add_months(1), None);
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(d("2026-02-28") + 1, d("2026-03-01"));
        assert_eq!(d("2024-02-28") + 1, d("2024-02-29"));
        assert_eq!(d("2026-12-31") - d("2026-01-01"), 364);
        assert_eq!(d("2026-01-01") - 1, d("2025-12-31"));
        assert_eq!(Date::MAX.checked_add_days(1), None);
    }

    #[test]
    fn civil_round_trip_over_four_centuries() {
        let mut date = d("1800-01-01");
        let mut expected = (1800, 1, 1);
        while date.year() < 2200 {
            assert_eq!(date.ymd(), expected);
            let (y, m, dd) = expected;
            expected = if dd < days_in_month(y, m) {
                (y, m, dd + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
            date = date + 1;
        }
    }
}
