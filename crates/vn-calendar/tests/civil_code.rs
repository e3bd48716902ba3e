//! Time limits counted as the Civil Code 2015 (arts. 147–148) counts them, on the 2020–2027
//! calendar.
use vn_calendar::{Calendar, Date};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn limit_in_days_skips_the_first_day() {
    let c = Calendar::new();
    assert_eq!(
        c.deadline_in_days(d("2026-04-20"), 15).unwrap(),
        d("2026-05-05")
    );
    assert_eq!(
        c.deadline_in_days(d("2026-05-04"), 1).unwrap(),
        d("2026-05-05")
    );
}

#[test]
fn limit_ending_on_a_non_working_day_moves_to_the_next_working_day() {
    let c = Calendar::new();
    // Ends on Thursday 30/4 (holiday), then 1/5 (holiday), Saturday, Sunday.
    assert_eq!(
        c.deadline_in_days(d("2026-04-16"), 14).unwrap(),
        d("2026-05-04")
    );
    // Ends on a Saturday.
    assert_eq!(
        c.deadline_in_days(d("2026-05-01"), 8).unwrap(),
        d("2026-05-11")
    );
    // Ends on the first day of Tết Bính Ngọ's block (16–20/2, then the weekend).
    assert_eq!(
        c.deadline_in_days(d("2026-02-06"), 10).unwrap(),
        d("2026-02-23")
    );
    // Ends on a Saturday that is worked: it stays there.
    assert_eq!(
        c.deadline_in_days(d("2026-08-12"), 10).unwrap(),
        d("2026-08-22")
    );
}

#[test]
fn limit_in_months_ends_on_the_same_day_or_the_month_end() {
    let c = Calendar::new();
    // 28/2/2026 is a Saturday.
    assert_eq!(
        c.deadline_in_months(d("2026-01-31"), 1).unwrap(),
        d("2026-03-02")
    );
    assert_eq!(
        c.deadline_in_months(d("2025-12-31"), 2).unwrap(),
        d("2026-03-02")
    );
    // 30/4 and 1/5 are holidays, then a weekend.
    assert_eq!(
        c.deadline_in_months(d("2026-03-30"), 1).unwrap(),
        d("2026-05-04")
    );
    assert_eq!(
        c.deadline_in_months(d("2026-03-15"), 3).unwrap(),
        d("2026-06-15")
    );
    assert_eq!(
        c.deadline_in_years(d("2024-02-29"), 1).unwrap(),
        d("2025-02-28")
    );
    // A week from Tuesday 10/2/2026 is Tuesday 17/2, Tết.
    assert_eq!(
        c.deadline_in_weeks(d("2026-02-10"), 1).unwrap(),
        d("2026-02-23")
    );
}

#[test]
fn limit_in_working_days_counts_only_working_days() {
    let c = Calendar::new();
    assert_eq!(
        c.deadline_in_working_days(d("2026-05-04"), 10).unwrap(),
        d("2026-05-18")
    );
    // Friday 13/2, then Tết and a weekend, then 23 and 24 February.
    assert_eq!(
        c.deadline_in_working_days(d("2026-02-12"), 3).unwrap(),
        d("2026-02-24")
    );
    // 2024: 29/4 swapped off, 30/4 and 1/5 holidays, Saturday 4/5 worked.
    assert_eq!(
        c.deadline_in_working_days(d("2024-04-26"), 2).unwrap(),
        d("2024-05-03")
    );
    assert_eq!(
        c.deadline_in_working_days(d("2024-04-26"), 3).unwrap(),
        d("2024-05-04")
    );
    // Starting on a day off: the count starts after it all the same.
    assert_eq!(
        c.deadline_in_working_days(d("2026-02-17"), 1).unwrap(),
        d("2026-02-23")
    );
}

#[test]
fn counting_back_and_between() {
    let c = Calendar::new();
    assert_eq!(
        c.add_working_days(d("2026-02-23"), -1).unwrap(),
        d("2026-02-13")
    );
    assert_eq!(
        c.working_days_between(d("2026-02-13"), d("2026-02-23"))
            .unwrap(),
        1
    );
    assert_eq!(
        c.working_days_between(d("2026-02-23"), d("2026-02-13"))
            .unwrap(),
        -1
    );
    // 2026: 365 days less 104 weekend days and 14 weekdays off (1/1, 2/1, Tết 16–20/2, 27/4,
    // 30/4, 1/5, 31/8, 1/9, 2/9, 24/11), plus 2 Saturdays worked (10/1, 22/8).
    let year = c
        .working_days_between(d("2025-12-31"), d("2026-12-31"))
        .unwrap();
    assert_eq!(year, 249);
    assert_eq!(c.non_working_days(2026).unwrap().len(), 365 - 249);
}
