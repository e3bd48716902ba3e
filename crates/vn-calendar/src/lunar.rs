//! The Vietnamese lunisolar calendar (âm lịch), 1900–2199.
//!
//! Rules (Hồ Ngọc Đức, "Thuật toán tính âm lịch"): a month begins on the day, in UTC+7
//! (the 105°E meridian Vietnam has used since 1968), that contains the new moon; the month
//! containing the winter solstice is month 11; a lunar year with 13 months between two
//! months 11 repeats, as a leap month (tháng nhuận), the first month after the solstice that
//! contains no major solar term (trung khí).
//!
//! The Chinese calendar applies the same rules at UTC+8, so the two differ whenever a new moon
//! falls between 23:00 and 24:00 Hanoi time: Tết 1985 was 21 January in Vietnam and 20 February
//! in China (the solstice month differed, and with it the leap month), Tết 2007 was 17 February
//! in Vietnam and 18 February in China.
//!
//! New moons and solar longitudes use the truncated series from J. Meeus, *Astronomical
//! Algorithms* (the ones Hồ Ngọc Đức publishes; new moons to within about two minutes).
//! Every month start of 1898–2201 is computed once, on first use, into a table, so that a
//! conversion is a binary search rather than a few dozen trigonometric series.

use std::f64::consts::PI;
use std::fmt;
use std::sync::OnceLock;

use crate::{Date, Error};

/// Hours ahead of UTC of the meridian the calendar is computed for.
const TIME_ZONE_HOURS: f64 = 7.0;
/// First solar year that can be converted.
pub const FIRST_YEAR: i32 = 1900;
/// Last solar year that can be converted.
pub const LAST_YEAR: i32 = 2199;

/// Mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian day of the new moon of 1900-01-01 13:51 UTC, number 0 in Meeus's count.
const NEW_MOON_ZERO: f64 = 2_415_021.076_998_695;

/// A date of the Vietnamese lunar calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LunarDate {
    /// The lunar year, numbered as the solar year in which most of it falls (its month 1
    /// starts in January or February of that solar year).
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–30.
    pub day: u32,
    /// Whether the month is the leap month (tháng nhuận) that repeats `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A lunar date in a regular (not leap) month.
    pub fn new(year: i32, month: u32, day: u32) -> LunarDate {
        LunarDate {
            year,
            month,
            day,
            leap: false,
        }
    }
}

impl fmt::Display for LunarDate {
    /// `10/3/2026 ÂL`, `15/6 nhuận/2025 ÂL`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{}/{} ÂL", self.day, self.month, leap, self.year)
    }
}

const CAN: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];
const CHI: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

/// The sexagenary (can chi) name of a lunar year: 2026 is `Bính Ngọ`, 2027 `Đinh Mùi`.
pub fn year_name(year: i32) -> String {
    let stem = CAN[(year + 6).rem_euclid(10) as usize];
    let branch = CHI[(year + 8).rem_euclid(12) as usize];
    format!("{stem} {branch}")
}

/// The lunar date of a solar date.
///
/// # Errors
/// [`Error::DateOutOfRange`] outside 1900-01-01..=2199-12-31.
pub fn to_lunar(date: Date) -> Result<LunarDate, Error> {
    let table = table();
    if !table.covers(date) {
        return Err(Error::DateOutOfRange(date));
    }
    let jdn = date.jdn();
    let i = table.months.partition_point(|m| m.start <= jdn) - 1;
    let month = &table.months[i];
    Ok(LunarDate {
        year: month.year,
        month: u32::from(month.month),
        day: (jdn - month.start + 1) as u32,
        leap: month.leap,
    })
}

/// The solar date of a lunar date.
///
/// # Errors
/// [`Error::NoSuchLunarDate`] when that month is not a leap month that year, or the month
/// has 29 days and `day` is 30; [`Error::DateOutOfRange`] when the date falls outside
/// 1900-01-01..=2199-12-31.
pub fn from_lunar(lunar: LunarDate) -> Result<Date, Error> {
    let table = table();
    let key = (lunar.year, lunar.month, lunar.leap);
    let i = table
        .months
        .binary_search_by(|m| (m.year, u32::from(m.month), m.leap).cmp(&key));
    let Ok(i) = i else {
        let in_table =
            (table.months[0].year..table.months[table.months.len() - 1].year).contains(&lunar.year);
        return Err(if in_table && (1..=12).contains(&lunar.month) {
            Error::NoSuchLunarDate(lunar)
        } else {
            Error::LunarOutOfRange(lunar)
        });
    };
    let start = table.months[i].start;
    let length = table.months[i + 1].start - start;
    if lunar.day == 0 || lunar.day > length as u32 {
        return Err(Error::NoSuchLunarDate(lunar));
    }
    let date = Date::from_jdn(start + lunar.day as i32 - 1).expect("table within Date range");
    if table.covers(date) {
        Ok(date)
    } else {
        Err(Error::LunarOutOfRange(lunar))
    }
}

/// Tết Nguyên đán, the first day of the lunar year `year`.
///
/// # Errors
/// [`Error::YearOutOfRange`] outside 1900–2199.
pub fn lunar_new_year(year: i32) -> Result<Date, Error> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(Error::YearOutOfRange(year));
    }
    from_lunar(LunarDate::new(year, 1, 1))
}

/// The number of days (29 or 30) of a lunar month, or `None` when that month does not exist.
pub fn month_length(year: i32, month: u32, leap: bool) -> Option<u32> {
    let table = table();
    let i = table
        .months
        .binary_search_by(|m| (m.year, u32::from(m.month), m.leap).cmp(&(year, month, leap)))
        .ok()?;
    let next = table.months.get(i + 1)?;
    Some((next.start - table.months[i].start) as u32)
}

/// One lunar month of the precomputed table.
struct MonthStart {
    /// Julian Day Number of its first day.
    start: i32,
    year: i32,
    month: u8,
    leap: bool,
}

struct Table {
    /// Every month from month 11 of 1898 to the last month before month 11 of 2201, in order.
    /// Sorted both by `start` and by `(year, month, leap)`, so either can be binary-searched.
    months: Vec<MonthStart>,
    first: Date,
    last: Date,
}

impl Table {
    fn covers(&self, date: Date) -> bool {
        (self.first..=self.last).contains(&date)
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

fn build_table() -> Table {
    let mut months = Vec::with_capacity(3800);
    // The cycle that starts at month 11 of solar year y (which falls in November or December
    // of y) holds months 11 and 12 of lunar year y and months 1–10 of lunar year y + 1. Solar
    // 1900 begins in lunar 1899 and solar 2199 ends in lunar 2199 or 2200, hence 1898..=2200.
    for y in (FIRST_YEAR - 2)..=(LAST_YEAR + 1) {
        let a11 = month_11_start(y);
        let b11 = month_11_start(y + 1);
        let k = ((f64::from(a11) - NEW_MOON_ZERO) / SYNODIC_MONTH + 0.5).floor() as i32;
        let count = (0..14).take_while(|&j| new_moon_day(k + j) < b11).count() as i32;
        let leap_index = (count == 13).then(|| leap_month_index(k));
        for j in 0..count {
            let (ordinal, leap) = match leap_index {
                Some(l) if j == l => (j - 1, true),
                Some(l) if j > l => (j - 1, false),
                _ => (j, false),
            };
            let month = ((10 + ordinal) % 12 + 1) as u8;
            let year = if month >= 11 && j < 4 { y } else { y + 1 };
            months.push(MonthStart {
                start: new_moon_day(k + j),
                year,
                month,
                leap,
            });
        }
    }
    // A closing entry so the length of the last real month is known.
    let end = month_11_start(LAST_YEAR + 2);
    months.push(MonthStart {
        start: end,
        year: LAST_YEAR + 2,
        month: 11,
        leap: false,
    });
    Table {
        months,
        first: Date::from_ymd(FIRST_YEAR, 1, 1).expect("valid"),
        last: Date::from_ymd(LAST_YEAR, 12, 31).expect("valid"),
    }
}

/// Julian day (fractional, UTC) of new moon number `k` counted from 1900-01-01.
fn new_moon(k: i32) -> f64 {
    let k = f64::from(k);
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = (359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3) * dr;
    let mpr = (306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3) * dr;
    let f = (21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3) * dr;
    let c1 = (0.1734 - 0.000_393 * t) * m.sin() + 0.0021 * (2.0 * m).sin() - 0.4068 * mpr.sin()
        + 0.0161 * (2.0 * mpr).sin()
        - 0.0004 * (3.0 * mpr).sin()
        + 0.0104 * (2.0 * f).sin()
        - 0.0051 * (m + mpr).sin()
        - 0.0074 * (m - mpr).sin()
        + 0.0004 * (2.0 * f + m).sin()
        - 0.0004 * (2.0 * f - m).sin()
        - 0.0006 * (2.0 * f + mpr).sin()
        + 0.0010 * (2.0 * f - mpr).sin()
        + 0.0005 * (2.0 * mpr + m).sin();
    // ΔT (terrestrial minus universal time), in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Julian Day Number of the local (UTC+7) day containing new moon `k`.
fn new_moon_day(k: i32) -> i32 {
    (new_moon(k) + 0.5 + TIME_ZONE_HOURS / 24.0).floor() as i32
}

/// Apparent longitude of the sun, in radians in [0, 2π), at Julian day `jd` (UTC).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let centre = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    // Nutation and aberration turn the true longitude into the apparent one.
    let omega = 125.04 - 1934.136 * t;
    let apparent = (l0 + centre - 0.005_69 - 0.004_78 * (omega * dr).sin()) * dr;
    apparent.rem_euclid(2.0 * PI)
}

/// Which 30° segment of the ecliptic (0 = from the March equinox) the sun is in at the start
/// (local midnight) of day `jdn`. A month contains a major term iff this changes across it.
fn sun_segment(jdn: i32) -> i32 {
    (sun_longitude(f64::from(jdn) - 0.5 - TIME_ZONE_HOURS / 24.0) / PI * 6.0).floor() as i32
}

/// Julian Day Number of the first day of the month that contains the winter solstice of
/// solar year `year` (month 11).
fn month_11_start(year: i32) -> i32 {
    let dec31 = Date::from_ymd(year, 12, 31)
        .expect("year in table range")
        .jdn();
    let k = (f64::from(dec31 - 2_415_021) / SYNODIC_MONTH).floor() as i32;
    let start = new_moon_day(k);
    // Segment 9 begins at 270°, the solstice: a month starting past it is month 12.
    if sun_segment(start) >= 9 {
        new_moon_day(k - 1)
    } else {
        start
    }
}

/// Index, counted from month 11 (index 0, new moon `k`), of the first month after the solstice
/// with no major term: the leap month of a 13-month cycle.
fn leap_month_index(k: i32) -> i32 {
    let mut last;
    let mut segment = sun_segment(new_moon_day(k + 1));
    let mut i = 1;
    loop {
        last = segment;
        i += 1;
        segment = sun_segment(new_moon_day(k + i));
        if segment == last || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn new_moon_matches_published_instant() {
        // Hồ Ngọc Đức's worked example: NewMoon(1236) = 2451520.4393767994.
        assert!((new_moon(1236) - 2_451_520.439_376_799_4).abs() < 1e-6);
        assert_eq!(Date::from_jdn(new_moon_day(1236)), Some(d("1999-12-08")));
    }

    #[test]
    fn worked_examples_of_the_rules() {
        // 1984: month 11 of 1983 began 4/12/1983, month 1 on 2/2/1984.
        assert_eq!(Date::from_jdn(month_11_start(1983)), Some(d("1983-12-04")));
        assert_eq!(lunar_new_year(1984).unwrap(), d("1984-02-02"));
        // 2004 has a leap second month, 21/3/2004 to 18/4/2004.
        let leap = LunarDate {
            year: 2004,
            month: 2,
            day: 1,
            leap: true,
        };
        assert_eq!(from_lunar(leap).unwrap(), d("2004-03-21"));
        assert_eq!(month_length(2004, 2, true), Some(29));
    }

    #[test]
    fn converts_both_ways() {
        let l = to_lunar(d("2026-04-26")).unwrap();
        assert_eq!(l, LunarDate::new(2026, 3, 10));
        assert_eq!(from_lunar(l).unwrap(), d("2026-04-26"));
        assert_eq!(
            to_lunar(d("2026-02-16")).unwrap(),
            LunarDate::new(2025, 12, 29)
        );
        assert_eq!(to_lunar(d("1900-01-01")).unwrap().year, 1899);
    }

    #[test]
    fn leap_month_of_2025_is_the_sixth() {
        let first = LunarDate {
            year: 2025,
            month: 6,
            day: 1,
            leap: true,
        };
        assert_eq!(from_lunar(first).unwrap(), d("2025-07-25"));
        assert!(
            from_lunar(LunarDate {
                leap: true,
                ..LunarDate::new(2026, 6, 1)
            })
            .is_err()
        );
    }

    #[test]
    fn the_2033_leap_eleventh_month() {
        // The "2033 problem" of the Chinese calendar: Vietnam's leap month is 11 too.
        let leap = LunarDate {
            year: 2033,
            month: 11,
            day: 1,
            leap: true,
        };
        assert_eq!(to_lunar(from_lunar(leap).unwrap()).unwrap(), leap);
    }

    #[test]
    fn rejects_what_does_not_exist() {
        assert!(matches!(
            to_lunar(d("1899-12-31")),
            Err(Error::DateOutOfRange(_))
        ));
        assert!(matches!(
            to_lunar(d("2200-01-01")),
            Err(Error::DateOutOfRange(_))
        ));
        assert!(from_lunar(LunarDate::new(2026, 13, 1)).is_err());
        assert!(from_lunar(LunarDate::new(2026, 1, 0)).is_err());
        assert!(from_lunar(LunarDate::new(2026, 1, 31)).is_err());
        assert!(lunar_new_year(2200).is_err());
        assert_eq!(lunar_new_year(2199).unwrap().year(), 2199);
    }

    #[test]
    fn year_names() {
        assert_eq!(year_name(2026), "Bính Ngọ");
        assert_eq!(year_name(2027), "Đinh Mùi");
        assert_eq!(year_name(2020), "Canh Tý");
        assert_eq!(year_name(1968), "Mậu Thân");
    }
}
