use vn_calendar::{Calendar, Date};
use workflow::{Counts, DeadlineRecord, Settings, Status, TaskFacts};

use crate::d;

/// Tasks of the model case (assigned 2022-05-20, most due "trong năm 2022", so on
/// 2023-01-03), each with a story.
struct Story {
    name: &'static str,
    assigned_on: &'static str,
    status: Status,
    since: &'static str,
    reported: Option<&'static str>,
    deadlines: Vec<DeadlineRecord>,
}

fn deadline(recorded_on: &str, due_on: Option<&str>) -> DeadlineRecord {
    DeadlineRecord {
        recorded_on: d(recorded_on),
        due_on: due_on.map(d),
    }
}

fn stories() -> Vec<Story> {
    let year_2022 = || vec![deadline("2022-05-20", Some("2022-12-31"))];
    let story = |name, status, since, reported, deadlines| Story {
        name,
        assigned_on: "2022-05-20",
        status,
        since,
        reported,
        deadlines,
    };
    vec![
        // Reported on 20 December, confirmed on the 26th.
        story(
            "A",
            Status::HoanThanh,
            "2022-12-26",
            Some("2022-12-20"),
            year_2022(),
        ),
        // Reported late, on 10 January, confirmed on the 12th.
        story(
            "B",
            Status::HoanThanh,
            "2023-01-12",
            Some("2023-01-10"),
            year_2022(),
        ),
        // Still in progress.
        story("C", Status::DangThucHien, "2022-06-01", None, year_2022()),
        // A standing task ("thường xuyên").
        story(
            "D",
            Status::DangThucHien,
            "2022-06-01",
            None,
            vec![deadline("2022-05-20", None)],
        ),
        // Extended on 29 December to 30 June 2023.
        story(
            "E",
            Status::DangThucHien,
            "2022-06-01",
            None,
            vec![
                deadline("2022-05-20", Some("2022-12-31")),
                deadline("2022-12-29", Some("2023-06-30")),
            ],
        ),
        // Due 30 September, withdrawn on 15 August.
        story(
            "F",
            Status::Huy,
            "2022-08-15",
            None,
            vec![deadline("2022-05-20", Some("2022-09-30"))],
        ),
        // Suspended on 1 November.
        story("G", Status::TamHoan, "2022-11-01", None, year_2022()),
        // Reported on 30 December, not yet confirmed.
        story(
            "H",
            Status::ChoXacNhan,
            "2022-12-30",
            Some("2022-12-30"),
            year_2022(),
        ),
        // Assigned on 1 February 2023 by another document, due 31 March, untouched.
        Story {
            name: "I",
            assigned_on: "2023-02-01",
            status: Status::ChuaThucHien,
            since: "2023-02-01",
            reported: None,
            deadlines: vec![deadline("2023-02-01", Some("2023-03-31"))],
        },
        // A task on request ("khi có yêu cầu"), reported on 5 October, confirmed on the 10th.
        story(
            "J",
            Status::HoanThanh,
            "2022-10-10",
            Some("2022-10-05"),
            vec![deadline("2022-05-20", None)],
        ),
        // Reported on 5 January, an extension approved on the 6th (too late to count),
        // confirmed on the 9th.
        story(
            "K",
            Status::HoanThanh,
            "2023-01-09",
            Some("2023-01-05"),
            vec![
                deadline("2022-05-20", Some("2022-12-31")),
                deadline("2023-01-06", Some("2023-01-31")),
            ],
        ),
    ]
}

fn facts(story: &Story) -> TaskFacts<'_> {
    TaskFacts {
        assigned_on: d(story.assigned_on),
        status: story.status,
        status_since: d(story.since),
        reported_done_on: story.reported.map(d),
        deadlines: &story.deadlines,
    }
}

fn tally(stories: &[Story], as_of: Date) -> Counts {
    Counts::tally(
        stories.iter().map(facts),
        as_of,
        &Calendar::new(),
        &Settings::default(),
    )
    .unwrap()
}

/// Counts with their fields in the order: done on time, done late, open on time, open
/// overdue, no deadline, due soon, suspended.
fn counts(v: [u64; 7]) -> Counts {
    Counts {
        done_on_time: v[0],
        done_late: v[1],
        open_on_time: v[2],
        open_overdue: v[3],
        no_deadline: v[4],
        due_soon: v[5],
        suspended: v[6],
    }
}

#[test]
fn counts_at_four_dates() {
    let stories = stories();
    // Mid-2022: everything open and on time (F not yet withdrawn, G not yet suspended, J not
    // yet done), I not yet assigned.
    assert_eq!(
        tally(&stories, d("2022-06-30")),
        counts([0, 0, 8, 0, 2, 0, 0])
    );
    // Three working days before the due day: A done on time; B, C, E, H, K due soon; G
    // suspended while on time; F withdrawn.
    assert_eq!(
        tally(&stories, d("2022-12-28")),
        counts([1, 0, 6, 0, 2, 5, 1])
    );
    // The day after the due day: B, C and K overdue; E extended; H's report stopped its
    // clock in time.
    assert_eq!(
        tally(&stories, d("2023-01-04")),
        counts([1, 0, 3, 3, 2, 0, 1])
    );
    // Mid-2023: B and K done late (K's extension came after its completion), E due that very
    // day, I overdue.
    assert_eq!(
        tally(&stories, d("2023-06-30")),
        counts([1, 2, 3, 2, 2, 1, 1])
    );
}

#[test]
fn each_task_lands_where_its_story_says() {
    let stories = stories();
    let calendar = Calendar::new();
    let settings = Settings::default();
    let at = |name: &str, as_of: &str| {
        let story = stories.iter().find(|s| s.name == name).unwrap();
        facts(story)
            .assess(d(as_of), &calendar, &settings)
            .unwrap()
            .map(|a| a.timeliness.code())
    };
    assert_eq!(at("A", "2022-12-28"), Some("dung_han"));
    assert_eq!(at("B", "2023-01-11"), Some("qua_han"));
    assert_eq!(at("B", "2023-01-12"), Some("tre_han"));
    assert_eq!(at("F", "2022-08-14"), Some("trong_han"));
    assert_eq!(at("F", "2022-08-15"), None);
    assert_eq!(at("I", "2023-01-31"), None);
    assert_eq!(at("I", "2023-03-31"), Some("sap_den_han"));
    assert_eq!(at("I", "2023-04-03"), Some("qua_han"));
    assert_eq!(at("J", "2022-10-10"), Some("khong_thoi_han"));
    assert_eq!(at("K", "2023-01-06"), Some("qua_han"));
}

#[test]
fn counts_in_parts_merge_into_the_whole() {
    let stories = stories();
    for as_of in ["2022-06-30", "2022-12-28", "2023-01-04", "2023-06-30"] {
        let whole = tally(&stories, d(as_of));
        let (left, right) = stories.split_at(4);
        let mut merged = tally(left, d(as_of));
        merged.merge(&tally(right, d(as_of)));
        assert_eq!(merged, whole, "{as_of}");
        let mut summed = Counts::default();
        summed += &tally(left, d(as_of));
        summed += &tally(right, d(as_of));
        assert_eq!(summed, whole, "{as_of}");
    }
    assert_eq!(tally(&stories, d("2023-06-30")).total(), 10);
    assert_eq!(tally(&stories, d("2022-12-28")).total(), 9);
    assert_eq!(tally(&[], d("2022-12-28")), Counts::default());
}

#[test]
fn the_report_columns() {
    let c = tally(&stories(), d("2023-06-30"));
    let columns: Vec<(&str, &str, u64)> = c
        .columns()
        .iter()
        .map(|col| (col.code, col.label_vi, col.value))
        .collect();
    assert_eq!(
        columns,
        [
            ("hoan_thanh_dung_han", "Hoàn thành đúng hạn", 1),
            ("hoan_thanh_qua_han", "Hoàn thành quá hạn", 2),
            ("chua_hoan_thanh_trong_han", "Chưa hoàn thành trong hạn", 3),
            ("chua_hoan_thanh_qua_han", "Chưa hoàn thành quá hạn", 2),
            ("khong_thoi_han", "Không thời hạn", 2),
        ]
    );
    assert_eq!(columns.iter().map(|c| c.2).sum::<u64>(), c.total());
    let json = serde_json::to_value(c).unwrap();
    assert_eq!(json["done_late"], 2);
    assert_eq!(json["suspended"], 1);
}

#[test]
fn a_date_outside_the_calendar_fails_the_count_instead_of_dropping_a_task() {
    let broken = [Story {
        name: "typo",
        assigned_on: "2022-05-20",
        status: Status::DangThucHien,
        since: "2022-05-20",
        reported: None,
        deadlines: vec![deadline("2022-05-20", Some("2202-12-31"))],
    }];
    let error = Counts::tally(
        broken.iter().map(facts),
        d("2022-12-28"),
        &Calendar::new(),
        &Settings::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("2202-12-31"), "{error}");
}
