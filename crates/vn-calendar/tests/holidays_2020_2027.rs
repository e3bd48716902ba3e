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

/// The rows as given, but for the name, which the calendar gives (see the tests below).
#[test]
fn listed_days_2020_to_2026_are_the_rows_as_given() {
    let calendar = Calendar::new();
    let unnamed = |r: &SpecialDay| SpecialDay {
        name: String::new(),
        ..r.clone()
    };
    for year in 2020..=2026 {
        let mut expected: Vec<_> = rows_of(year).iter().map(unnamed).collect();
        expected.sort_by_key(|r| (r.date, r.kind));
        let listed: Vec<_> = calendar
            .special_days(year)
            .unwrap()
            .iter()
            .map(unnamed)
            .collect();
        assert_eq!(listed, expected, "{year}");
    }
}

#[test]
fn data_text_is_kept_as_the_note() {
    let calendar = Calendar::new();
    let day = |s: &str| {
        let date = d(s);
        calendar
            .special_days(date.year())
            .unwrap()
            .iter()
            .find(|x| x.date == date)
            .unwrap()
            .clone()
    };
    let swap = day("2026-01-02");
    assert_eq!(swap.note.as_deref(), Some("Swap-off (hoán đổi)"));
    assert!(swap.source.starts_with("https://vietnamnet.vn/"));
    // A computed day has no data text; a projected row laid over the rules keeps its own.
    assert_eq!(day("2027-02-05").note, None);
    assert_eq!(
        day("2027-02-06").note.as_deref(),
        Some("Mùng 1 Tết Đinh Mùi (5-day block not announced)")
    );
}

/// Words of the data's English annotations, none of which is Vietnamese.
const ENGLISH: [&str; 16] = [
    "for",
    "work",
    "statutory",
    "proposed",
    "swap",
    "off",
    "days",
    "day",
    "not",
    "confirmed",
    "enacted",
    "labour",
    "code",
    "adjacent",
    "block",
    "sat",
];

fn english_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| ENGLISH.contains(&w.as_str()))
        .collect()
}

#[test]
fn names_2020_to_2027_are_vietnamese() {
    let calendar = Calendar::new();
    for year in 2020..=2027 {
        for day in calendar.special_days(year).unwrap() {
            assert!(
                english_words(&day.name).is_empty() && !day.name.contains('&'),
                "{} {:?}",
                day.date,
                day.name
            );
        }
    }
    // The check itself catches what the data says.
    let caught: Vec<_> = rows_of(2026)
        .iter()
        .filter(|r| !english_words(r.note.as_deref().unwrap()).is_empty())
        .map(|r| r.date.to_string())
        .collect();
    assert_eq!(caught.len(), 11, "{caught:?}");
}

#[test]
fn names_of_2026() {
    let calendar = Calendar::new();
    let listed: Vec<_> = calendar
        .special_days(2026)
        .unwrap()
        .iter()
        .map(|x| (x.date.to_string(), x.name.as_str()))
        .collect();
    let tet = "Tết Nguyên đán Bính Ngọ";
    let expected = [
        ("2026-01-01", "Tết Dương lịch"),
        ("2026-01-02", "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)"),
        ("2026-01-10", "Làm bù cho ngày nghỉ 02/01/2026"),
        ("2026-02-16", tet),
        ("2026-02-17", tet),
        ("2026-02-18", tet),
        ("2026-02-19", tet),
        ("2026-02-20", tet),
        ("2026-04-26", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
        ("2026-04-30", "Ngày Chiến thắng (30/4)"),
        ("2026-05-01", "Ngày Quốc tế Lao động (1/5)"),
        ("2026-08-22", "Làm bù cho ngày nghỉ 31/08/2026"),
        ("2026-08-31", "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)"),
        ("2026-09-01", "Nghỉ thêm dịp Quốc khánh"),
        ("2026-09-02", "Quốc khánh (2/9)"),
        ("2026-11-24", "Ngày Văn hóa Việt Nam"),
    ];
    let expected: Vec<_> = expected.iter().map(|(a, b)| (a.to_string(), *b)).collect();
    assert_eq!(listed, expected);
}

/// Substitute days name the holiday they make up for, in the order the rules assign them.
#[test]
fn substitute_days_name_their_holiday() {
    let calendar = Calendar::new();
    let substitutes = |year| -> Vec<(String, String)> {
        calendar
            .special_days(year)
            .unwrap()
            .iter()
            .filter(|x| x.kind == DayKind::Substitute)
            .map(|x| (x.date.to_string(), x.name.clone()))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        substitutes(2023),
        pairs(&[
            ("2023-01-02", "Nghỉ bù Tết Dương lịch"),
            ("2023-01-25", "Nghỉ bù Tết Nguyên đán Quý Mão"),
            ("2023-01-26", "Nghỉ bù Tết Nguyên đán Quý Mão"),
            ("2023-05-02", "Nghỉ bù Giỗ Tổ Hùng Vương"),
            ("2023-05-03", "Nghỉ bù Ngày Chiến thắng"),
            ("2023-09-04", "Nghỉ bù Quốc khánh"),
        ])
    );
    assert_eq!(
        substitutes(2022)[1..],
        pairs(&[
            ("2022-04-11", "Nghỉ bù Giỗ Tổ Hùng Vương"),
            ("2022-05-02", "Nghỉ bù Ngày Chiến thắng"),
            ("2022-05-03", "Nghỉ bù Ngày Quốc tế Lao động"),
        ])
    );
}

/// Every day the rules compute, in every year, gets a name of its own: none is left to the
/// fallbacks for days the rules do not know.
#[test]
fn computed_days_are_all_recognised() {
    let rules = Calendar::rules_only();
    for year in 1900..=2199 {
        for day in rules.special_days(year).unwrap() {
            let generic = ["", "Nghỉ bù", "Nghỉ hoán đổi", "Làm bù"];
            assert!(
                !generic.contains(&day.name.as_str()),
                "{} {:?}",
                day.date,
                day.name
            );
            if day.kind == DayKind::Holiday && day.name.starts_with("Tết Nguyên đán") {
                let tet = vn_calendar::lunar_new_year(year).unwrap();
                assert!((-2..=3).contains(&(day.date - tet)), "{}", day.date);
            }
        }
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

/// The fingerprint tells calendars apart exactly when they count a day differently.
#[test]
fn fingerprint_changes_with_the_working_days_only() {
    let built_in = Calendar::new().fingerprint();
    assert_eq!(Calendar::new().fingerprint(), built_in);
    assert_ne!(Calendar::rules_only().fingerprint(), built_in);
    let day = Date::from_ymd(2026, 5, 4).unwrap();
    let mut c = Calendar::new();
    c.declare(day, false, "nghỉ thêm").unwrap();
    assert_ne!(c.fingerprint(), built_in);
    // Declaring a working day what it already is changes no count.
    let mut same = Calendar::new();
    same.declare(day, true, "ngày làm việc").unwrap();
    assert_eq!(same.fingerprint(), built_in);
}
