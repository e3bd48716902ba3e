//! The schedules of 2020–2026 as announced, row by row, and 2027 as computed.
use std::collections::BTreeSet;

use vn_calendar::{Calendar, Date, DayKind, EMBEDDED_HOLIDAYS_CSV, SpecialDay, parse_holidays_csv};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn rows() -> Vec<SpecialDay> {
    parse_holidays_csv(EMBEDDED_HOLIDAYS_CSV).unwrap()
}

fn rows_of(year: i32) -> Vec<SpecialDay> {
    rows()
        .into_iter()
        .filter(|r| r.date.year() == year)
        .collect()
}

fn weekends(year: i32) -> BTreeSet<Date> {
    let start = d(&format!("{year}-01-01"));
    (0..366)
        .map(|i| start + i)
        .filter(|x| x.year() == year && x.weekday().is_weekend())
        .collect()
}

#[test]
fn embedded_copy_is_the_shared_design_file() {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/design/holidays-2020-2027.csv"
    );
    match std::fs::read_to_string(shared) {
        Ok(text) => assert_eq!(
            text, EMBEDDED_HOLIDAYS_CSV,
            "data/holidays.csv is out of date"
        ),
        Err(err) => eprintln!("{shared} not readable ({err}); copy not compared"),
    }
}

#[test]
fn the_data_uses_the_four_kinds() {
    let kinds: BTreeSet<_> = rows().iter().map(|r| r.kind).collect();
    let all = [
        DayKind::Holiday,
        DayKind::Substitute,
        DayKind::SwapOff,
        DayKind::SwapWork,
    ];
    assert_eq!(kinds, all.into_iter().collect());
}

#[test]
fn non_working_days_2020_to_2026_are_the_announced_ones() {
    let calendar = Calendar::new();
    for year in 2020..=2026 {
        assert!(calendar.is_announced(year), "{year}");
        let rows = rows_of(year);
        let mut expected = weekends(year);
        for row in &rows {
            if row.kind.is_day_off() {
                expected.insert(row.date);
            }
        }
        for row in &rows {
            if row.kind == DayKind::SwapWork {
                assert!(row.date.weekday().is_weekend(), "{} worked", row.date);
                expected.remove(&row.date);
            }
        }
        let actual: BTreeSet<Date> = calendar
            .non_working_days(year)
            .unwrap()
            .into_iter()
            .collect();
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{year}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn saturdays_worked_are_working_days() {
    let calendar = Calendar::new();
    let worked: Vec<_> = rows()
        .into_iter()
        .filter(|r| r.kind == DayKind::SwapWork)
        .collect();
    assert_eq!(
        worked
            .iter()
            .map(|r| r.date.to_string())
            .collect::<Vec<_>>(),
        ["2024-05-04", "2025-04-26", "2026-01-10", "2026-08-22"]
    );
    for row in worked {
        assert!(calendar.is_working_day(row.date).unwrap(), "{}", row.date);
        assert!(!Calendar::rules_only().is_working_day(row.date).unwrap());
    }
    for swapped_off in ["2024-04-29", "2025-05-02", "2026-01-02", "2026-08-31"] {
        assert!(
            !calendar.is_working_day(d(swapped_off)).unwrap(),
            "{swapped_off}"
        );
        assert!(
            Calendar::rules_only()
                .is_working_day(d(swapped_off))
                .unwrap()
        );
    }
}

#[test]
fn listed_days_2020_to_2026_are_the_rows_as_given() {
    let calendar = Calendar::new();
    for year in 2020..=2026 {
        let mut expected = rows_of(year);
        expected.sort_by_key(|r| (r.date, r.kind));
        assert_eq!(
            calendar.special_days(year).unwrap(),
            expected.as_slice(),
            "{year}"
        );
    }
}

#[test]
fn the_only_projection_before_2027_is_culture_day() {
    let calendar = Calendar::new();
    let projected: Vec<_> = (2020..=2026)
        .flat_map(|y| calendar.special_days(y).unwrap().to_vec())
        .filter(|r| !r.announced)
        .map(|r| r.date.to_string())
        .collect();
    assert_eq!(projected, ["2026-11-24"]);
}

/// The rules alone reproduce every announced holiday and substitute day of 2020–2026 (the
/// swaps are the Government's choice and only come from data).
#[test]
fn rules_reproduce_the_announced_holidays_and_substitutes() {
    let rules = Calendar::rules_only();
    for year in 2020..=2026 {
        let announced: BTreeSet<(Date, DayKind)> = rows_of(year)
            .into_iter()
            .filter(|r| r.announced && matches!(r.kind, DayKind::Holiday | DayKind::Substitute))
            .map(|r| (r.date, r.kind))
            .collect();
        let computed: BTreeSet<(Date, DayKind)> = rules
            .special_days(year)
            .unwrap()
            .iter()
            .map(|r| (r.date, r.kind))
            .collect();
        assert_eq!(computed, announced, "{year}");
    }
}

#[test]
fn year_2027_is_computed_and_marked_not_announced() {
    let calendar = Calendar::new();
    assert!(!calendar.is_announced(2027));
    let days = calendar.special_days(2027).unwrap();
    assert!(days.iter().all(|r| !r.announced));
    let listed: Vec<_> = days
        .iter()
        .map(|r| (r.date.to_string(), r.kind.code()))
        .collect();
    let expected = [
        ("2027-01-01", "holiday"),
        // Tết Đinh Mùi on Saturday 6 February: 4–8 February, Sat/Sun made up on 9–10.
        ("2027-02-04", "holiday"),
        ("2027-02-05", "holiday"),
        ("2027-02-06", "holiday"),
        ("2027-02-07", "holiday"),
        ("2027-02-08", "holiday"),
        ("2027-02-09", "substitute"),
        ("2027-02-10", "substitute"),
        ("2027-04-16", "holiday"),
        ("2027-04-30", "holiday"),
        ("2027-05-01", "holiday"),
        ("2027-05-03", "substitute"),
        ("2027-09-02", "holiday"),
        ("2027-09-03", "holiday"),
    ];
    let expected: Vec<_> = expected.iter().map(|(a, b)| (a.to_string(), *b)).collect();
    assert_eq!(listed, expected);
    // Every projected row of the data agrees with the rules on date and kind.
    for row in rows_of(2027) {
        assert!(
            days.iter()
                .any(|x| x.date == row.date && x.kind == row.kind),
            "{} {}",
            row.date,
            row.kind.code()
        );
    }
}
