//! When to urge, and whom (đôn đốc, DOMAIN.md §3).
//!
//! A task's reminders follow from its due day and the settings alone, so they are planned,
//! never stored: a scheduler running at any time asks which reminder is due
//! ([`reminder_due`]) and hands it to the outbox under its [`key`](PlannedReminder::key), which
//! the outbox keeps unique. Running twice sends nothing twice; a crash between computing and
//! recording loses nothing, since the next run computes the same reminder.
//!
//! Escalation: before the due day the reminder goes to the assignee (the officer the task was
//! handed to, or the lead agency when it was not handed yet); on and after the due day also to
//! the agency's head, who answers for the agency; from
//! [`monitor_after_working_days`](crate::ReminderSettings::monitor_after_working_days) working
//! days overdue also to the monitor, who then writes the urging letter.
//!
//! Catching up: a scheduler that did not run for a while sends only the latest reminder due,
//! not the backlog. "Three days left" read after the due day is wrong, and three stale notices
//! at once teach people to ignore them.

use std::fmt;

use serde::Serialize;
use vn_calendar::{Calendar, Date};

use crate::{CalendarError, ReminderSettings, Status, due_day};

/// What a reminder says about the due day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReminderKind {
    /// Working days before the due day.
    Before {
        /// How many.
        working_days: u32,
    },
    /// On the due day.
    OnDay,
    /// Working days after the due day.
    Overdue {
        /// How many.
        working_days: u32,
    },
}

impl ReminderKind {
    /// A Vietnamese subject line for the notice.
    pub fn label_vi(self) -> String {
        match self {
            ReminderKind::Before { working_days } => {
                format!("Nhiệm vụ còn {working_days} ngày làm việc đến hạn")
            }
            ReminderKind::OnDay => "Nhiệm vụ đến hạn hôm nay".to_owned(),
            ReminderKind::Overdue { working_days } => {
                format!("Nhiệm vụ đã quá hạn {working_days} ngày làm việc")
            }
        }
    }
}

impl fmt::Display for ReminderKind {
    /// The key fragment: `before:3`, `on_day`, `overdue:6`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReminderKind::Before { working_days } => write!(f, "before:{working_days}"),
            ReminderKind::OnDay => f.write_str("on_day"),
            ReminderKind::Overdue { working_days } => write!(f, "overdue:{working_days}"),
        }
    }
}

/// Who receives a reminder, as a role; the caller turns roles into people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The officer the task was handed to, or the lead agency's officers while it is not.
    Assignee,
    /// The lead agency's head.
    AgencyHead,
    /// The task's monitors.
    Monitor,
}

impl Recipient {
    /// The Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            Recipient::Assignee => "Cán bộ được giao xử lý",
            Recipient::AgencyHead => "Lãnh đạo cơ quan chủ trì",
            Recipient::Monitor => "Cán bộ theo dõi",
        }
    }
}

const TO_ASSIGNEE: &[Recipient] = &[Recipient::Assignee];
const TO_AGENCY: &[Recipient] = &[Recipient::Assignee, Recipient::AgencyHead];
const TO_ALL: &[Recipient] = &[
    Recipient::Assignee,
    Recipient::AgencyHead,
    Recipient::Monitor,
];

/// One reminder of a task's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlannedReminder {
    /// The day it is due to go out, always a working day.
    #[serde(serialize_with = "crate::iso_date::serialize")]
    pub date: Date,
    /// The due day it is about.
    #[serde(serialize_with = "crate::iso_date::serialize")]
    pub due_day: Date,
    /// What it says.
    pub kind: ReminderKind,
    /// Whom it goes to.
    pub recipients: &'static [Recipient],
}

impl PlannedReminder {
    /// The outbox key: `task:{id}:{due day}:{kind}`, as `task:42:2023-01-03:before:3`.
    ///
    /// The due day is part of it so that an extension plans its reminders afresh: "3 days
    /// left" before the new due day is a new notice, not a repeat of the one before the old.
    pub fn key(&self, task_id: impl fmt::Display) -> String {
        format!("task:{task_id}:{}:{}", self.due_day, self.kind)
    }
}

fn recipients(kind: ReminderKind, settings: &ReminderSettings) -> &'static [Recipient] {
    match kind {
        ReminderKind::Before { .. } => TO_ASSIGNEE,
        ReminderKind::OnDay => TO_AGENCY,
        ReminderKind::Overdue { working_days }
            if working_days >= settings.monitor_after_working_days =>
        {
            TO_ALL
        }
        ReminderKind::Overdue { .. } => TO_AGENCY,
    }
}

fn reminder(
    calendar: &Calendar,
    due: Date,
    kind: ReminderKind,
    settings: &ReminderSettings,
) -> Result<PlannedReminder, CalendarError> {
    let offset = match kind {
        ReminderKind::Before { working_days } => -signed(working_days),
        ReminderKind::OnDay => 0,
        ReminderKind::Overdue { working_days } => signed(working_days),
    };
    Ok(PlannedReminder {
        date: calendar.add_working_days(due, offset)?,
        due_day: due,
        kind,
        recipients: recipients(kind, settings),
    })
}

/// Settings are validated to small numbers; a larger one (unvalidated settings) saturates
/// and the calendar reports it out of range.
fn signed(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The "before" distances, largest first (earliest reminder first), without repeats or 0.
fn before_days(settings: &ReminderSettings) -> Vec<u32> {
    let mut days: Vec<u32> = settings
        .before_working_days
        .iter()
        .copied()
        .filter(|n| *n > 0)
        .collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    days
}

/// Every reminder of a task with this deadline (rolled to its due day first) that falls on or
/// before `until`, in date order. For showing the plan; a scheduler wants [`reminder_due`].
///
/// ```
/// use vn_calendar::{Calendar, Date};
/// use workflow::{plan_reminders, ReminderSettings};
///
/// let calendar = Calendar::new();
/// let deadline: Date = "2022-12-31".parse()?;
/// let plan = plan_reminders(&calendar, deadline, "2023-01-04".parse()?, &ReminderSettings::default())?;
/// let keys: Vec<String> = plan.iter().map(|r| format!("{} {}", r.date, r.kind)).collect();
/// assert_eq!(keys, ["2022-12-28 before:3", "2022-12-30 before:1", "2023-01-03 on_day", "2023-01-04 overdue:1"]);
/// # Ok::<(), vn_calendar::Error>(())
/// ```
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] when a reminder would fall outside the calendar's years.
pub fn plan_reminders(
    calendar: &Calendar,
    deadline: Date,
    until: Date,
    settings: &ReminderSettings,
) -> Result<Vec<PlannedReminder>, CalendarError> {
    let due = due_day(calendar, deadline)?;
    let mut plan = Vec::new();
    let mut push = |r: PlannedReminder| {
        let fits = r.date <= until;
        if fits {
            plan.push(r);
        }
        fits
    };
    for n in before_days(settings) {
        push(reminder(
            calendar,
            due,
            ReminderKind::Before { working_days: n },
            settings,
        )?);
    }
    if settings.on_due_day {
        push(reminder(calendar, due, ReminderKind::OnDay, settings)?);
    }
    let mut n = settings.overdue_first_working_days.max(1);
    while push(reminder(
        calendar,
        due,
        ReminderKind::Overdue { working_days: n },
        settings,
    )?) && settings.overdue_every_working_days > 0
    {
        n += settings.overdue_every_working_days;
    }
    Ok(plan)
}

/// The reminder to send on `as_of` for a task in `status` with this deadline: the latest one
/// of its plan on or before `as_of` (see the module notes on catching up), or `None` when
/// there is none yet or the status is not one that is urged
/// ([`Status::receives_reminders`]). The outbox drops it when its key was sent already.
///
/// It is computed directly, not by walking the plan, so a task overdue for years costs no
/// more than one due tomorrow.
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] when a date involved is outside the calendar's years.
pub fn reminder_due(
    calendar: &Calendar,
    status: Status,
    deadline: Date,
    as_of: Date,
    settings: &ReminderSettings,
) -> Result<Option<PlannedReminder>, CalendarError> {
    if !status.receives_reminders() {
        return Ok(None);
    }
    let due = due_day(calendar, deadline)?;
    let kind = if as_of >= due {
        let overdue = calendar.working_days_between(due, as_of)?.unsigned_abs();
        let first = settings.overdue_first_working_days.max(1);
        let every = settings.overdue_every_working_days;
        if overdue >= first {
            // No repeat (`every` 0) leaves the first notice the latest.
            let n = (overdue - first)
                .checked_div(every)
                .map_or(first, |periods| first + periods * every);
            Some(ReminderKind::Overdue { working_days: n })
        } else if settings.on_due_day {
            Some(ReminderKind::OnDay)
        } else {
            latest_before(settings, 0)
        }
    } else {
        let left = calendar.working_days_between(as_of, due)?.unsigned_abs();
        latest_before(settings, left)
    };
    kind.map(|kind| reminder(calendar, due, kind, settings))
        .transpose()
}

/// The "before" reminder sent latest among those whose day has come when `left` working days
/// are left: the smallest distance of at least `left` (a reminder n days before falls on or
/// before a day with `left` days left exactly when n ≥ left).
fn latest_before(settings: &ReminderSettings, left: u32) -> Option<ReminderKind> {
    before_days(settings)
        .into_iter()
        .filter(|n| *n >= left)
        .min()
        .map(|n| ReminderKind::Before { working_days: n })
}
