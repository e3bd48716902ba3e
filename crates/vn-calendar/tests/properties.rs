//! Property tests of the calendar's invariants.
use proptest::prelude::*;
use vn_calendar::{Calendar, Date, LunarDate, from_lunar, to_lunar};

fn calendar() -> &'static Calendar {
    static CALENDAR: std::sync::OnceLock<Calendar> = std::sync::OnceLock::new();
    CALENDAR.get_or_init(Calendar::new)
}

/// Any day of 1903–2196: the tests move up to 500 working days (about two years) either way,
/// and the calendar covers 1900–2199.
fn date() -> impl Strategy<Value = Date> {
    let first = Date::from_ymd(1903, 1, 1).unwrap().days_since_epoch();
    let last = Date::from_ymd(2196, 12, 31).unwrap().days_since_epoch();
    (first..=last).prop_map(|days| Date::from_days_since_epoch(days).unwrap())
}

/// Dates where the data applies, so swaps and Saturdays worked are exercised.
fn recent_date() -> impl Strategy<Value = Date> {
    let first = Date::from_ymd(2019, 12, 1).unwrap().days_since_epoch();
    let last = Date::from_ymd(2027, 12, 31).unwrap().days_since_epoch();
    (first..=last).prop_map(|days| Date::from_days_since_epoch(days).unwrap())
}

/// The slow, obviously right way: step one day at a time.
fn step_working_days(start: Date, n: i32) -> Date {
    let c = calendar();
    let step = n.signum();
    let mut date = start;
    let mut left = n.abs();
    while left > 0 {
        date = date + step;
        if c.is_working_day(date).unwrap() {
            left -= 1;
        }
    }
    date
}

proptest! {
    #[test]
    fn adding_then_counting_back_gives_n(start in date(), n in -500i32..=500) {
        let c = calendar();
        let end = c.add_working_days(start, n).unwrap();
        // Counting is over (from, to]: going back from a day off, that day is not in the count.
        let expected = if n < 0 && !c.is_working_day(start).unwrap() { n + 1 } else { n };
        prop_assert_eq!(c.working_days_between(start, end).unwrap(), expected);
    }

    #[test]
    fn results_are_working_days(start in date(), n in 1i32..=300, back in any::<bool>()) {
        let c = calendar();
        let n = if back { -n } else { n };
        let end = c.add_working_days(start, n).unwrap();
        prop_assert!(c.is_working_day(end).unwrap(), "{} + {} = {}", start, n, end);
    }

    #[test]
    fn adding_agrees_with_stepping(start in recent_date(), n in -60i32..=60) {
        prop_assert_eq!(calendar().add_working_days(start, n).unwrap(), step_working_days(start, n));
    }

    #[test]
    fn adding_is_monotonic(start in date(), n in 0i32..=200) {
        let c = calendar();
        prop_assert!(c.add_working_days(start, n).unwrap() < c.add_working_days(start, n + 1).unwrap());
    }

    #[test]
    fn solar_to_lunar_to_solar(day in date()) {
        prop_assert_eq!(from_lunar(to_lunar(day).unwrap()).unwrap(), day);
    }

    #[test]
    fn lunar_to_solar_to_lunar(year in 1900i32..=2199, month in 1u32..=12, day in 1u32..=30, leap in any::<bool>()) {
        let lunar = LunarDate { year, month, day, leap };
        if let Ok(solar) = from_lunar(lunar) {
            prop_assert_eq!(to_lunar(solar).unwrap(), lunar);
        } else if !leap && day <= 29 && year < 2199 {
            // Every regular month has at least 29 days; only the edges of the range fail.
            prop_assert!(false, "{} should exist", lunar);
        }
    }

    #[test]
    fn iso_text_round_trips(day in date()) {
        prop_assert_eq!(day.to_string().parse::<Date>().unwrap(), day);
        let (y, m, d) = day.ymd();
        prop_assert_eq!(Date::from_ymd(y, m, d).unwrap(), day);
    }

    #[test]
    fn months_keep_the_day_or_clamp(day in date(), n in -240i32..=240) {
        let later = day.add_months(n).unwrap();
        let months = |x: Date| x.year() * 12 + x.month() as i32;
        prop_assert_eq!(months(later) - months(day), n);
        prop_assert!(later.day() == day.day() || (later.day() < day.day() && (later + 1).day() == 1));
    }
}
