use std::collections::HashSet;

use vn_calendar::{Calendar, Date};
use workflow::{
    PlannedReminder, Recipient, ReminderKind, ReminderSettings, Status, plan_reminders,
    reminder_due,
};

use crate::d;

fn described(plan: &[PlannedReminder]) -> Vec<String> {
    plan.iter()
        .map(|r| {
            let to: Vec<&str> = r
                .recipients
                .iter()
                .map(|p| match p {
                    Recipient::Assignee => "assignee",
                    Recipient::AgencyHead => "head",
                    Recipient::Monitor => "monitor",
                })
                .collect();
            format!("{} {} {}", r.date, r.kind, to.join("+"))
        })
        .collect()
}

/// A deadline on the first Sunday of Tết Quý Mão (2023-01-22) is due on Friday 2023-01-27,
/// the first working day after the holiday; the reminders before it fall before the
/// holiday, the overdue notices on working days after it.
#[test]
fn reminders_around_tet_2023() {
    let calendar = Calendar::new();
    let plan = plan_reminders(
        &calendar,
        d("2023-01-22"),
        d("2023-02-28"),
        &ReminderSettings::default(),
    )
    .unwrap();
    assert_eq!(
        described(&plan),
        [
            "2023-01-17 before:3 assignee",
            "2023-01-19 before:1 assignee",
            "2023-01-27 on_day assignee+head",
            "2023-01-30 overdue:1 assignee+head",
            "2023-02-06 overdue:6 assignee+head+monitor",
            "2023-02-13 overdue:11 assignee+head+monitor",
            "2023-02-20 overdue:16 assignee+head+monitor",
            "2023-02-27 overdue:21 assignee+head+monitor",
        ]
    );
    for r in &plan {
        assert!(calendar.is_working_day(r.date).unwrap(), "{}", r.date);
        assert_eq!(r.due_day, d("2023-01-27"));
    }
}

#[test]
fn what_is_due_on_each_day_around_tet() {
    let calendar = Calendar::new();
    let settings = ReminderSettings::default();
    let due_on = |as_of: &str| {
        reminder_due(
            &calendar,
            Status::DangThucHien,
            d("2023-01-22"),
            d(as_of),
            &settings,
        )
        .unwrap()
        .map(|r| r.kind.to_string())
    };
    assert_eq!(due_on("2023-01-16"), None);
    assert_eq!(due_on("2023-01-17").as_deref(), Some("before:3"));
    assert_eq!(due_on("2023-01-18").as_deref(), Some("before:3"));
    assert_eq!(due_on("2023-01-19").as_deref(), Some("before:1"));
    // All through Tết the last reminder stays the one sent before it.
    for day in 20..=26 {
        let as_of = format!("2023-01-{day}");
        assert_eq!(due_on(&as_of).as_deref(), Some("before:1"), "{as_of}");
    }
    assert_eq!(due_on("2023-01-27").as_deref(), Some("on_day"));
    assert_eq!(due_on("2023-01-29").as_deref(), Some("on_day"));
    assert_eq!(due_on("2023-01-30").as_deref(), Some("overdue:1"));
    assert_eq!(due_on("2023-02-03").as_deref(), Some("overdue:1"));
    assert_eq!(due_on("2023-02-06").as_deref(), Some("overdue:6"));
    // Years later it is still one notice, computed without walking the years.
    let late = reminder_due(
        &calendar,
        Status::ChuaThucHien,
        d("2023-01-22"),
        d("2026-01-05"),
        &settings,
    )
    .unwrap()
    .unwrap();
    let ReminderKind::Overdue { working_days } = late.kind else {
        panic!("{:?}", late.kind)
    };
    assert_eq!(working_days % 5, 1);
    assert!(late.date <= d("2026-01-05"));
    assert!(late.date > d("2025-12-25"));
}

#[test]
fn the_model_case_plan_around_new_year() {
    let calendar = Calendar::new();
    let plan = plan_reminders(
        &calendar,
        d("2022-12-31"),
        d("2023-01-11"),
        &ReminderSettings::default(),
    )
    .unwrap();
    assert_eq!(
        described(&plan),
        [
            "2022-12-28 before:3 assignee",
            "2022-12-30 before:1 assignee",
            "2023-01-03 on_day assignee+head",
            "2023-01-04 overdue:1 assignee+head",
            "2023-01-11 overdue:6 assignee+head+monitor",
        ]
    );
}

/// `reminder_due` computes directly what the plan says: the latest reminder on or before the
/// day, for every day of a quarter and several settings.
#[test]
fn reminder_due_agrees_with_the_plan() {
    let calendar = Calendar::new();
    let variants = [
        ReminderSettings::default(),
        ReminderSettings {
            on_due_day: false,
            ..ReminderSettings::default()
        },
        ReminderSettings {
            before_working_days: vec![2, 5, 5, 0],
            overdue_first_working_days: 3,
            overdue_every_working_days: 0,
            monitor_after_working_days: 0,
            ..ReminderSettings::default()
        },
        ReminderSettings {
            before_working_days: vec![],
            on_due_day: false,
            overdue_every_working_days: 1,
            ..ReminderSettings::default()
        },
    ];
    for settings in &variants {
        for deadline in ["2023-01-22", "2022-12-31", "2023-04-30", "2023-09-02"] {
            let deadline = d(deadline);
            let mut as_of = deadline - 20;
            while as_of <= deadline + 70 {
                let plan = plan_reminders(&calendar, deadline, as_of, settings).unwrap();
                let due = reminder_due(&calendar, Status::DangThucHien, deadline, as_of, settings)
                    .unwrap();
                assert_eq!(due.as_ref(), plan.last(), "{deadline} {as_of} {settings:?}");
                as_of = as_of + 1;
            }
        }
    }
}

#[test]
fn odd_settings_are_planned_sensibly() {
    let calendar = Calendar::new();
    let settings = ReminderSettings {
        before_working_days: vec![1, 5, 1, 0],
        on_due_day: false,
        overdue_first_working_days: 2,
        overdue_every_working_days: 0,
        monitor_after_working_days: 0,
    };
    let plan = plan_reminders(&calendar, d("2023-01-03"), d("2023-12-31"), &settings).unwrap();
    assert_eq!(
        described(&plan),
        [
            "2022-12-26 before:5 assignee",
            "2022-12-30 before:1 assignee",
            "2023-01-05 overdue:2 assignee+head+monitor",
        ]
    );
}

#[test]
fn only_tasks_in_the_agencys_hands_are_urged() {
    let calendar = Calendar::new();
    let settings = ReminderSettings::default();
    for status in Status::ALL {
        let due = reminder_due(
            &calendar,
            status,
            d("2022-12-31"),
            d("2023-01-04"),
            &settings,
        )
        .unwrap();
        assert_eq!(
            due.is_some(),
            matches!(status, Status::ChuaThucHien | Status::DangThucHien),
            "{status}"
        );
    }
}

#[test]
fn keys_are_stable_unique_and_renewed_by_an_extension() {
    let calendar = Calendar::new();
    let settings = ReminderSettings::default();
    let until = d("2023-12-31");
    let plan = plan_reminders(&calendar, d("2022-12-31"), until, &settings).unwrap();
    let keys: Vec<String> = plan.iter().map(|r| r.key(42)).collect();
    assert_eq!(keys[0], "task:42:2023-01-03:before:3");
    assert_eq!(keys[2], "task:42:2023-01-03:on_day");
    assert_eq!(keys[3], "task:42:2023-01-03:overdue:1");
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), keys.len());
    // Planning again gives the same keys: the outbox recognises what it sent.
    let again: Vec<String> = plan_reminders(&calendar, d("2022-12-31"), until, &settings)
        .unwrap()
        .iter()
        .map(|r| r.key(42))
        .collect();
    assert_eq!(again, keys);
    // After an extension to 2023-01-31 the reminders are new ones.
    let extended = reminder_due(
        &calendar,
        Status::DangThucHien,
        d("2023-01-31"),
        d("2023-01-26"),
        &settings,
    )
    .unwrap()
    .unwrap();
    assert_eq!(extended.key(42), "task:42:2023-01-31:before:3");
    assert!(!keys.contains(&extended.key(42)));
    assert_eq!(
        extended.kind.label_vi(),
        "Nhiệm vụ còn 3 ngày làm việc đến hạn"
    );
}

#[test]
fn reminders_serialise_for_the_outbox() {
    let calendar = Calendar::new();
    let r = reminder_due(
        &calendar,
        Status::DangThucHien,
        d("2022-12-31"),
        d("2023-01-11"),
        &ReminderSettings::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"date":"2023-01-11","due_day":"2023-01-03","kind":{"kind":"overdue","working_days":6},"recipients":["assignee","agency_head","monitor"]}"#
    );
    assert_eq!(r.kind.label_vi(), "Nhiệm vụ đã quá hạn 6 ngày làm việc");
    assert_eq!(ReminderKind::OnDay.label_vi(), "Nhiệm vụ đến hạn hôm nay");
    assert_eq!(Recipient::AgencyHead.label_vi(), "Lãnh đạo cơ quan chủ trì");
}

#[test]
fn a_deadline_outside_the_calendar_is_an_error() {
    let calendar = Calendar::new();
    let far: Date = d("2300-01-01");
    let error = plan_reminders(&calendar, far, far + 1, &ReminderSettings::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "ngày 2300-01-01 nằm ngoài phạm vi lịch (1900–2199)"
    );
}
