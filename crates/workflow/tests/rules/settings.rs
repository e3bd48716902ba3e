use workflow::{ReminderSettings, Settings, SettingsError};

#[test]
fn defaults_are_the_domains() {
    let s = Settings::default();
    assert_eq!(s.near_due_working_days, 3);
    assert_eq!(s.reminders.before_working_days, [3, 1]);
    assert!(s.reminders.on_due_day);
    assert_eq!(s.reminders.overdue_first_working_days, 1);
    assert_eq!(s.reminders.overdue_every_working_days, 5);
    assert_eq!(s.reminders.monitor_after_working_days, 5);
    assert_eq!(s.validate(), Ok(()));
    // An empty file is the defaults.
    assert_eq!(serde_json::from_str::<Settings>("{}").unwrap(), s);
}

#[test]
fn a_file_names_only_what_it_changes() {
    let s: Settings = serde_json::from_str(
        r#"{"reminders": {"before_working_days": [5, 2], "monitor_after_working_days": 10}}"#,
    )
    .unwrap();
    assert_eq!(s.near_due_working_days, 3);
    assert_eq!(s.reminders.before_working_days, [5, 2]);
    assert_eq!(s.reminders.monitor_after_working_days, 10);
    assert_eq!(s.reminders.overdue_every_working_days, 5);
    let round_trip: Settings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(round_trip, s);
}

#[test]
fn typos_and_wrong_types_are_errors() {
    assert!(serde_json::from_str::<Settings>(r#"{"near_due_days": 3}"#).is_err());
    assert!(serde_json::from_str::<Settings>(r#"{"reminders": {"on_day": true}}"#).is_err());
    assert!(serde_json::from_str::<Settings>(r#"{"near_due_working_days": -1}"#).is_err());
}

#[test]
fn validation_names_the_problem_in_vietnamese() {
    let with = |reminders: ReminderSettings| Settings {
        reminders,
        ..Settings::default()
    };
    let zero_before = with(ReminderSettings {
        before_working_days: vec![3, 0],
        ..ReminderSettings::default()
    });
    assert_eq!(zero_before.validate(), Err(SettingsError::BeforeDayZero));
    assert_eq!(
        zero_before.validate().unwrap_err().to_string(),
        "Số ngày nhắc trước hạn phải lớn hơn 0 (nhắc vào ngày đến hạn dùng thiết lập on_due_day)"
    );
    let zero_first = with(ReminderSettings {
        overdue_first_working_days: 0,
        ..ReminderSettings::default()
    });
    assert_eq!(
        zero_first.validate().unwrap_err().to_string(),
        "Thông báo quá hạn đầu tiên phải gửi sau ngày đến hạn ít nhất 1 ngày làm việc"
    );
    let too_long = Settings {
        near_due_working_days: 1000,
        ..Settings::default()
    };
    assert_eq!(
        too_long.validate().unwrap_err().to_string(),
        "Thiết lập near_due_working_days = 1000 vượt quá giới hạn 365 ngày làm việc"
    );
    // No repeat and an immediate monitor are legitimate choices.
    let terse = with(ReminderSettings {
        overdue_every_working_days: 0,
        monitor_after_working_days: 0,
        before_working_days: vec![],
        on_due_day: false,
        ..ReminderSettings::default()
    });
    assert_eq!(terse.validate(), Ok(()));
}
