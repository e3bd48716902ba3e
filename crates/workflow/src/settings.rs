//! The tracking settings an administrator may change (DOMAIN.md: what a province sets is data,
//! not code).

use serde::{Deserialize, Serialize};

/// The longest distance, in working days, a setting may name: a year and a half of working
/// days. Anything longer is a typo, and would run off the calendar's range for recent years.
pub const MAX_SETTING_WORKING_DAYS: u32 = 365;

/// Settings of timeliness and urging. Every field has a default, so a settings file names
/// only what a province changes; an unknown field is an error rather than a silently ignored
/// typo.
///
/// ```
/// let settings: workflow::Settings =
///     serde_json::from_str(r#"{"near_due_working_days": 5}"#).unwrap();
/// assert_eq!(settings.near_due_working_days, 5);
/// assert_eq!(settings.reminders.before_working_days, [3, 1]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// N of "sắp đến hạn when 0 ≤ working days left ≤ N" (DOMAIN.md §3); 3 by default. 0 makes
    /// only the due day itself sắp đến hạn.
    pub near_due_working_days: u32,
    /// When and whom to remind.
    pub reminders: ReminderSettings,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            near_due_working_days: 3,
            reminders: ReminderSettings::default(),
        }
    }
}

/// When reminders go out and to whom ([`plan_reminders`](crate::plan_reminders)). All
/// distances are in working days from the due day, so a reminder never falls on a day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReminderSettings {
    /// Reminders before the due day, each this many working days before it; `[3, 1]` by
    /// default. Order and repeats do not matter.
    pub before_working_days: Vec<u32>,
    /// A reminder on the due day itself; on by default.
    pub on_due_day: bool,
    /// The first notice after the due day, this many working days after it; 1 by default
    /// ("a notice on the day after", DOMAIN.md §3).
    pub overdue_first_working_days: u32,
    /// Then a notice every this many working days while the task stays overdue; 5 (a working
    /// week) by default, 0 for no repeat.
    pub overdue_every_working_days: u32,
    /// Overdue notices from this many working days after the due day also go to the monitor;
    /// 5 by default. Before that the agency gets the chance to catch up on its own.
    pub monitor_after_working_days: u32,
}

impl Default for ReminderSettings {
    fn default() -> ReminderSettings {
        ReminderSettings {
            before_working_days: vec![3, 1],
            on_due_day: true,
            overdue_first_working_days: 1,
            overdue_every_working_days: 5,
            monitor_after_working_days: 5,
        }
    }
}

/// A setting that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// A reminder "0 working days before" would be the due-day reminder.
    #[error(
        "Số ngày nhắc trước hạn phải lớn hơn 0 (nhắc vào ngày đến hạn dùng thiết lập on_due_day)"
    )]
    BeforeDayZero,
    /// An overdue notice "0 working days after" would be on the due day, when the task is not
    /// yet overdue.
    #[error("Thông báo quá hạn đầu tiên phải gửi sau ngày đến hạn ít nhất 1 ngày làm việc")]
    OverdueFirstZero,
    /// A distance past [`MAX_SETTING_WORKING_DAYS`].
    #[error(
        "Thiết lập {field} = {value} vượt quá giới hạn {MAX_SETTING_WORKING_DAYS} ngày làm việc"
    )]
    TooLong {
        /// The setting's name.
        field: &'static str,
        /// The value given.
        value: u32,
    },
}

impl Settings {
    /// Checks what deserialisation cannot: the editing screen calls it before saving, and the
    /// planner assumes it passed.
    ///
    /// # Errors
    /// The first [`SettingsError`] found.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let r = &self.reminders;
        let distances = [
            ("near_due_working_days", self.near_due_working_days),
            (
                "reminders.overdue_first_working_days",
                r.overdue_first_working_days,
            ),
            (
                "reminders.overdue_every_working_days",
                r.overdue_every_working_days,
            ),
            (
                "reminders.monitor_after_working_days",
                r.monitor_after_working_days,
            ),
        ]
        .into_iter()
        .chain(
            r.before_working_days
                .iter()
                .map(|n| ("reminders.before_working_days", *n)),
        );
        for (field, value) in distances {
            if value > MAX_SETTING_WORKING_DAYS {
                return Err(SettingsError::TooLong { field, value });
            }
        }
        if r.before_working_days.contains(&0) {
            return Err(SettingsError::BeforeDayZero);
        }
        if r.overdue_first_working_days == 0 {
            return Err(SettingsError::OverdueFirstZero);
        }
        Ok(())
    }
}
