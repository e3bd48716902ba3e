use vn_calendar::Calendar;
use workflow::{
    DeadlineRecord, Settings, Status, TaskFacts, Timeliness, deadline_in_force, done_timeliness,
    due_day, due_soon_before, open_timeliness, working_days_left,
};

use crate::d;

/// Task 2.3 of Official Letter 2395/UBND-KTTH (Sở Văn hóa, Thể thao và Du lịch) is due
/// "trong năm 2022": 2022-12-31, a Saturday. 2023-01-01 is New Year's Day (a Sunday) and
/// 2023-01-02 its substitute day off, so the limit ends on Tuesday 2023-01-03.
#[test]
fn model_case_task_2_3_around_new_year_2023() {
    let calendar = Calendar::new();
    let deadline = d("2022-12-31");
    assert!(!calendar.is_working_day(d("2023-01-02")).unwrap());
    let due = due_day(&calendar, deadline).unwrap();
    assert_eq!(due, d("2023-01-03"));

    // Exactly three working days before the due day: Wednesday 2022-12-28.
    let near_due_from = calendar.add_working_days(due, -3).unwrap();
    assert_eq!(near_due_from, d("2022-12-28"));

    let n = Settings::default().near_due_working_days;
    assert_eq!(n, 3);
    let on = |date: &str| open_timeliness(&calendar, Some(deadline), d(date), n).unwrap();
    assert_eq!(on("2022-12-27"), Timeliness::TrongHan);
    for date in [
        "2022-12-28",
        "2022-12-29",
        "2022-12-30",
        "2022-12-31",
        "2023-01-01",
        "2023-01-02",
        "2023-01-03",
    ] {
        assert_eq!(on(date), Timeliness::SapDenHan, "{date}");
    }
    assert_eq!(on("2023-01-04"), Timeliness::QuaHan);
    assert_eq!(on("2023-06-30"), Timeliness::QuaHan);

    let left = |date: &str| working_days_left(&calendar, due, d(date)).unwrap();
    assert_eq!(left("2022-12-27"), 4);
    assert_eq!(left("2022-12-28"), 3);
    assert_eq!(left("2022-12-30"), 1);
    assert_eq!(left("2022-12-31"), 1);
    assert_eq!(left("2023-01-02"), 1);
    assert_eq!(left("2023-01-03"), 0);
    assert_eq!(left("2023-01-04"), -1);

    let done = |date: &str| done_timeliness(&calendar, Some(deadline), d(date)).unwrap();
    assert_eq!(done("2022-12-31"), Timeliness::DungHan);
    assert_eq!(done("2023-01-03"), Timeliness::DungHan);
    assert_eq!(done("2023-01-04"), Timeliness::TreHan);
}

#[test]
fn near_due_window_follows_the_setting() {
    let calendar = Calendar::new();
    let deadline = Some(d("2022-12-31"));
    let at = |date: &str, n| open_timeliness(&calendar, deadline, d(date), n).unwrap();
    // N = 0: only the due day itself.
    assert_eq!(at("2023-01-02", 0), Timeliness::TrongHan);
    assert_eq!(at("2023-01-03", 0), Timeliness::SapDenHan);
    // N = 5: from five working days before, Monday 2022-12-26.
    assert_eq!(at("2022-12-23", 5), Timeliness::TrongHan);
    assert_eq!(at("2022-12-24", 5), Timeliness::TrongHan);
    assert_eq!(at("2022-12-26", 5), Timeliness::SapDenHan);
}

#[test]
fn deadlines_on_days_off_roll_to_the_next_working_day() {
    let calendar = Calendar::new();
    // Tết Quý Mão: 2023-01-20 … 2023-01-26 off, back on Friday 2023-01-27.
    assert_eq!(
        due_day(&calendar, d("2023-01-22")).unwrap(),
        d("2023-01-27")
    );
    assert_eq!(
        due_day(&calendar, d("2023-01-20")).unwrap(),
        d("2023-01-27")
    );
    // A working day stays.
    assert_eq!(
        due_day(&calendar, d("2023-01-19")).unwrap(),
        d("2023-01-19")
    );
    // 30/4 and 1/5 2023 with Giỗ Tổ and the substitute days: 29/4 … 3/5 off.
    assert_eq!(
        due_day(&calendar, d("2023-04-30")).unwrap(),
        d("2023-05-04")
    );
    // Completed during the holiday before a deadline that falls in it: on time.
    assert_eq!(
        done_timeliness(&calendar, Some(d("2023-01-22")), d("2023-01-27")).unwrap(),
        Timeliness::DungHan
    );
    assert_eq!(
        done_timeliness(&calendar, Some(d("2023-01-22")), d("2023-01-28")).unwrap(),
        Timeliness::TreHan
    );
    // During Tết, one working day is left before a deadline on its first day back.
    assert_eq!(
        working_days_left(&calendar, d("2023-01-27"), d("2023-01-20")).unwrap(),
        1
    );
}

#[test]
fn without_a_date_deadline_a_task_has_no_timeliness_but_khong_thoi_han() {
    let calendar = Calendar::new();
    assert_eq!(
        open_timeliness(&calendar, None, d("2023-01-04"), 3).unwrap(),
        Timeliness::KhongThoiHan
    );
    assert_eq!(
        done_timeliness(&calendar, None, d("2023-01-04")).unwrap(),
        Timeliness::KhongThoiHan
    );
}

#[test]
fn the_deadline_in_force_is_the_latest_recorded_by_then() {
    let history = [
        DeadlineRecord {
            recorded_on: d("2022-05-20"),
            due_on: Some(d("2022-12-31")),
        },
        // An extension approved on 2 December.
        DeadlineRecord {
            recorded_on: d("2022-12-02"),
            due_on: Some(d("2023-03-31")),
        },
        // Two corrections on the same day: the later one wins.
        DeadlineRecord {
            recorded_on: d("2023-02-10"),
            due_on: None,
        },
        DeadlineRecord {
            recorded_on: d("2023-02-10"),
            due_on: Some(d("2023-06-30")),
        },
    ];
    assert_eq!(
        deadline_in_force(&history, d("2022-05-20")),
        Some(d("2022-12-31"))
    );
    assert_eq!(
        deadline_in_force(&history, d("2022-12-01")),
        Some(d("2022-12-31"))
    );
    assert_eq!(
        deadline_in_force(&history, d("2022-12-02")),
        Some(d("2023-03-31"))
    );
    assert_eq!(
        deadline_in_force(&history, d("2023-02-10")),
        Some(d("2023-06-30"))
    );
    // The deadline the task was assigned with is in force from the start, even when it was
    // entered later (a directive of 2022 imported in 2025).
    let backfilled = [DeadlineRecord {
        recorded_on: d("2025-06-01"),
        due_on: Some(d("2022-12-31")),
    }];
    assert_eq!(
        deadline_in_force(&backfilled, d("2022-06-30")),
        Some(d("2022-12-31"))
    );
    assert_eq!(deadline_in_force(&[], d("2022-06-30")), None);
    // Out of order in the slice: what counts is the recorded day.
    let shuffled = [history[1], history[0]];
    assert_eq!(
        deadline_in_force(&shuffled, d("2022-11-01")),
        Some(d("2022-12-31"))
    );
    assert_eq!(
        deadline_in_force(&shuffled, d("2022-12-05")),
        Some(d("2023-03-31"))
    );
}

fn model_deadline() -> [DeadlineRecord; 1] {
    [DeadlineRecord {
        recorded_on: d("2022-05-20"),
        due_on: Some(d("2022-12-31")),
    }]
}

fn task<'a>(
    status: Status,
    status_since: &str,
    reported: Option<&str>,
    deadlines: &'a [DeadlineRecord],
) -> TaskFacts<'a> {
    TaskFacts {
        assigned_on: d("2022-05-20"),
        status,
        status_since: d(status_since),
        reported_done_on: reported.map(d),
        deadlines,
    }
}

fn assess(task: &TaskFacts<'_>, as_of: &str) -> Option<(Timeliness, bool)> {
    task.assess(d(as_of), &Calendar::new(), &Settings::default())
        .unwrap()
        .map(|a| (a.timeliness, a.suspended))
}

#[test]
fn a_report_awaiting_confirmation_stops_the_agencys_clock() {
    let deadlines = model_deadline();
    let on_time = task(
        Status::ChoXacNhan,
        "2023-01-03",
        Some("2023-01-03"),
        &deadlines,
    );
    assert_eq!(
        assess(&on_time, "2022-12-29"),
        Some((Timeliness::SapDenHan, false))
    );
    assert_eq!(
        assess(&on_time, "2023-01-03"),
        Some((Timeliness::TrongHan, false))
    );
    assert_eq!(
        assess(&on_time, "2023-02-15"),
        Some((Timeliness::TrongHan, false))
    );
    let late = task(
        Status::ChoXacNhan,
        "2023-01-05",
        Some("2023-01-05"),
        &deadlines,
    );
    assert_eq!(
        assess(&late, "2023-01-04"),
        Some((Timeliness::QuaHan, false))
    );
    assert_eq!(
        assess(&late, "2023-02-15"),
        Some((Timeliness::QuaHan, false))
    );
}

#[test]
fn completion_is_judged_on_the_day_reported_against_the_deadline_then_in_force() {
    let deadlines = model_deadline();
    // Reported on the due day, confirmed a week later: on time, and counted as done from
    // the confirmation.
    let done = task(
        Status::HoanThanh,
        "2023-01-10",
        Some("2023-01-03"),
        &deadlines,
    );
    assert_eq!(
        assess(&done, "2023-01-09"),
        Some((Timeliness::TrongHan, false))
    );
    assert_eq!(
        assess(&done, "2023-01-10"),
        Some((Timeliness::DungHan, false))
    );
    // Without the report's day, the confirmation's.
    let done = task(Status::HoanThanh, "2023-01-04", None, &deadlines);
    assert_eq!(
        assess(&done, "2023-01-03"),
        Some((Timeliness::SapDenHan, false))
    );
    assert_eq!(
        assess(&done, "2023-01-04"),
        Some((Timeliness::TreHan, false))
    );

    // An extension approved after completion does not count; one approved on that day does.
    let extended_after = [
        model_deadline()[0],
        DeadlineRecord {
            recorded_on: d("2023-01-06"),
            due_on: Some(d("2023-01-31")),
        },
    ];
    let done = task(
        Status::HoanThanh,
        "2023-01-09",
        Some("2023-01-05"),
        &extended_after,
    );
    assert_eq!(
        assess(&done, "2023-01-09"),
        Some((Timeliness::TreHan, false))
    );
    let extended_same_day = [
        model_deadline()[0],
        DeadlineRecord {
            recorded_on: d("2023-01-05"),
            due_on: Some(d("2023-01-31")),
        },
    ];
    let done = task(
        Status::HoanThanh,
        "2023-01-09",
        Some("2023-01-05"),
        &extended_same_day,
    );
    assert_eq!(
        assess(&done, "2023-01-09"),
        Some((Timeliness::DungHan, false))
    );
}

#[test]
fn suspension_stops_the_clock_and_is_flagged() {
    let deadlines = model_deadline();
    let early = task(Status::TamHoan, "2022-12-15", None, &deadlines);
    assert_eq!(
        assess(&early, "2022-12-14"),
        Some((Timeliness::TrongHan, false))
    );
    assert_eq!(
        assess(&early, "2022-12-15"),
        Some((Timeliness::TrongHan, true))
    );
    assert_eq!(
        assess(&early, "2023-06-30"),
        Some((Timeliness::TrongHan, true))
    );
    let late = task(Status::TamHoan, "2023-01-05", None, &deadlines);
    assert_eq!(
        assess(&late, "2023-01-05"),
        Some((Timeliness::QuaHan, true))
    );
    // Suspended on the due day: the agency still had that day.
    let on_due_day = task(Status::TamHoan, "2023-01-03", None, &deadlines);
    assert_eq!(
        assess(&on_due_day, "2023-03-01"),
        Some((Timeliness::TrongHan, true))
    );
}

#[test]
fn refused_tasks_keep_running() {
    let deadlines = model_deadline();
    let refused = task(Status::TuChoi, "2022-12-01", None, &deadlines);
    assert_eq!(
        assess(&refused, "2022-12-30"),
        Some((Timeliness::SapDenHan, false))
    );
    assert_eq!(
        assess(&refused, "2023-01-04"),
        Some((Timeliness::QuaHan, false))
    );
}

#[test]
fn cancelled_and_unassigned_tasks_are_not_counted() {
    let deadlines = model_deadline();
    let cancelled = task(Status::Huy, "2023-01-02", None, &deadlines);
    assert_eq!(
        assess(&cancelled, "2022-12-30"),
        Some((Timeliness::SapDenHan, false))
    );
    assert_eq!(assess(&cancelled, "2023-01-02"), None);
    let open = task(Status::DangThucHien, "2022-06-01", None, &deadlines);
    assert_eq!(assess(&open, "2022-05-19"), None);
    assert_eq!(
        assess(&open, "2022-05-20"),
        Some((Timeliness::TrongHan, false))
    );
}

#[test]
fn the_due_day_of_an_assessment_is_the_rolled_one() {
    let deadlines = model_deadline();
    let open = task(Status::DangThucHien, "2022-06-01", None, &deadlines);
    let assessment = open
        .assess(d("2022-12-01"), &Calendar::new(), &Settings::default())
        .unwrap()
        .unwrap();
    assert_eq!(assessment.due_day, Some(d("2023-01-03")));
    assert_eq!(
        serde_json::to_string(&assessment).unwrap(),
        r#"{"timeliness":"trong_han","due_day":"2023-01-03","suspended":false}"#
    );
}

#[test]
fn dates_outside_the_calendar_are_errors_not_guesses() {
    let calendar = Calendar::new();
    let error = open_timeliness(&calendar, Some(d("2300-01-01")), d("2023-01-04"), 3).unwrap_err();
    assert_eq!(
        error.to_string(),
        "ngày 2300-01-01 nằm ngoài phạm vi lịch (1900–2199)"
    );
}

#[test]
fn timeliness_codes_are_productmds() {
    let codes: Vec<&str> = Timeliness::ALL.iter().map(|t| t.code()).collect();
    assert_eq!(
        codes,
        [
            "trong_han",
            "sap_den_han",
            "qua_han",
            "khong_thoi_han",
            "dung_han",
            "tre_han"
        ]
    );
    for t in Timeliness::ALL {
        assert_eq!(Timeliness::from_code(t.code()), Some(t));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            format!("\"{}\"", t.code())
        );
    }
    assert_eq!(Timeliness::TreHan.label_vi(), "Trễ hạn");
    assert_eq!(Timeliness::SapDenHan.label_vi(), "Sắp đến hạn");
}

/// What the store keeps per task ([`TaskFacts::standing`]), judged on any later day with
/// [`Standing::on`], gives what replaying the history gives ([`TaskFacts::assess`]): every
/// status, reports and suspensions before and after the deadline, deadlines falling on days
/// off (Tết 2023, New Year), extensions, deadlines that are not dates, and every day of the
/// three months after, with windows of 0 to 5 working days.
#[test]
fn standing_judges_every_later_day_as_the_history_does() {
    let calendar = Calendar::new();
    let base = d("2022-12-01");
    // A small deterministic generator: the cases differ, and a failure is repeatable.
    let mut seed = 2395u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut checked = 0;
    for _ in 0..3000 {
        let assigned_on = base.add_days(next(20) as i32);
        let mut deadlines = Vec::new();
        for i in 0..=next(3) {
            let recorded_on = assigned_on.add_days(if i == 0 { 0 } else { next(40) as i32 });
            let due_on = (next(5) != 0).then(|| assigned_on.add_days(next(70) as i32));
            deadlines.push(DeadlineRecord {
                recorded_on,
                due_on,
            });
        }
        let status = Status::ALL[next(Status::ALL.len() as u64) as usize];
        let status_since = assigned_on.add_days(next(60) as i32);
        let reported_done_on = match status {
            Status::ChoXacNhan | Status::HoanThanh if next(8) != 0 => {
                Some(status_since.add_days(-(next(5) as i32)).max(assigned_on))
            }
            _ => None,
        };
        let facts = TaskFacts {
            assigned_on,
            status,
            status_since,
            reported_done_on,
            deadlines: &deadlines,
        };
        let from = deadlines
            .iter()
            .map(|r| r.recorded_on)
            .chain([assigned_on, status_since])
            .chain(reported_done_on)
            .max()
            .unwrap();
        let standing = facts.standing(from, &calendar).unwrap();
        assert_eq!(standing.from, from);
        let n = next(6) as u32;
        let settings = Settings {
            near_due_working_days: n,
            ..Settings::default()
        };
        for day in 0..90 {
            let as_of = from.add_days(day);
            let soon = due_soon_before(&calendar, as_of, n).unwrap();
            assert_eq!(
                standing.on(as_of, soon),
                facts.assess(as_of, &calendar, &settings).unwrap(),
                "{facts:?} on {as_of}, window {n}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 270_000);
}
