//! Whether a task is on time: computed from its deadlines, the calendar and a date, never
//! stored, so a corrected holiday or an approved extension changes every view at once.
//!
//! The rules (DOMAIN.md §3–4):
//! - The **due day** is the deadline's date, or the next working day when that date is not
//!   one (Civil Code 2015, art. 148(5): a limit whose last day is a day off ends at the end of
//!   the next working day). A deadline "trong năm 2022", 2022-12-31, a Saturday followed by New
//!   Year's Day and its substitute day off, is due on Tuesday 2023-01-03.
//! - **Working days left** on a date are the working days after it, up to and including the
//!   due day: [`Calendar::working_days_between`]`(as_of, due_day)`. The date itself is not
//!   counted (it is the day being worked); the due day is, while it is still ahead. So 0 are
//!   left on the due day itself, 1 on the working day before it, and a day off has as many
//!   left as the working day before it: for task 2.3 of the model case, due 2023-01-03, 3 are
//!   left on Wednesday 2022-12-28, and 1 on Friday 2022-12-30 as on Saturday 2022-12-31 and
//!   on the substitute day off 2023-01-02.
//! - An open task is **sắp đến hạn** when 0 ≤ days left ≤ N ([`Settings::near_due_working_days`]),
//!   **quá hạn** when the date is after the due day, **trong hạn** before that, **không thời hạn**
//!   when the deadline in force is not a date (recurring, on request, none).
//! - A completed task is **đúng hạn** when completed on or before the due day of the deadline
//!   in force on the day of completion, **trễ hạn** (`tre_han`, PRODUCT.md's code) after it;
//!   without a date deadline it is **không thời hạn**.
//!
//! Which deadline is in force on a day: the one recorded latest on or before that day (so an
//! extension counts from the day it is approved, and one approved after completion does not
//! count), except that the first deadline of the history, the one the task was assigned with,
//! is in force from the assignment whatever day it was recorded. That exception is what lets a
//! province enter the directives of past years and still count them against the deadlines the
//! documents set.
//!
//! When the agency's clock stops:
//! - chờ xác nhận: the clock stopped on the day of the report, since what remains is the
//!   monitor's decision: the task is quá hạn if reported after its due day, else trong hạn
//!   (never sắp đến hạn: there is nothing left for the agency to hurry);
//! - tạm hoãn: the clock stopped on the day of the suspension, by the same rule; the task stays
//!   counted as not completed, and is flagged [`Assessment::suspended`];
//! - từ chối: the clock runs. The task is still undone for the province, and showing it
//!   overdue is what makes the monitor reassign it;
//! - hoàn thành: judged on the day the completion was reported, in the report the monitor
//!   confirmed; the monitor's time to review is not the agency's delay;
//! - hủy: not counted at all from the day of cancellation.

use serde::{Deserialize, Serialize};
use vn_calendar::{Calendar, Date};

use crate::{CalendarError, Settings, Status};

/// How a task stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Trong hạn: open, more than N working days left.
    TrongHan,
    /// Sắp đến hạn: open, 0 to N working days left.
    SapDenHan,
    /// Quá hạn: open, past the due day (or reported, or suspended, after it).
    QuaHan,
    /// Không thời hạn: no date deadline, open or completed.
    KhongThoiHan,
    /// Đúng hạn: completed on or before the due day.
    DungHan,
    /// Trễ hạn: completed after the due day.
    TreHan,
}

impl Timeliness {
    /// Every value.
    pub const ALL: [Timeliness; 6] = [
        Timeliness::TrongHan,
        Timeliness::SapDenHan,
        Timeliness::QuaHan,
        Timeliness::KhongThoiHan,
        Timeliness::DungHan,
        Timeliness::TreHan,
    ];

    /// The ASCII code of PRODUCT.md's conventions: `trong_han`, `sap_den_han`, `qua_han`,
    /// `khong_thoi_han`, `dung_han`, `tre_han`.
    pub fn code(self) -> &'static str {
        match self {
            Timeliness::TrongHan => "trong_han",
            Timeliness::SapDenHan => "sap_den_han",
            Timeliness::QuaHan => "qua_han",
            Timeliness::KhongThoiHan => "khong_thoi_han",
            Timeliness::DungHan => "dung_han",
            Timeliness::TreHan => "tre_han",
        }
    }

    /// The value with this [`code`](Timeliness::code).
    pub fn from_code(code: &str) -> Option<Timeliness> {
        Timeliness::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The Vietnamese name users read.
    pub fn label_vi(self) -> &'static str {
        match self {
            Timeliness::TrongHan => "Trong hạn",
            Timeliness::SapDenHan => "Sắp đến hạn",
            Timeliness::QuaHan => "Quá hạn",
            Timeliness::KhongThoiHan => "Không thời hạn",
            Timeliness::DungHan => "Đúng hạn",
            Timeliness::TreHan => "Trễ hạn",
        }
    }
}

/// The due day of a deadline: the date itself, or the next working day when it is a day off.
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] outside the calendar's years.
pub fn due_day(calendar: &Calendar, deadline: Date) -> Result<Date, CalendarError> {
    calendar.next_working_day_from(deadline)
}

/// Working days left on `as_of` before the end of `due_day` (see the module notes); negative
/// once the due day is past: minus the working days after it, up to and including `as_of`.
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] outside the calendar's years.
pub fn working_days_left(
    calendar: &Calendar,
    due_day: Date,
    as_of: Date,
) -> Result<i32, CalendarError> {
    calendar.working_days_between(as_of, due_day)
}

/// The timeliness on `as_of` of an open task whose deadline in force is `deadline` (`None`:
/// not a date).
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] outside the calendar's years.
pub fn open_timeliness(
    calendar: &Calendar,
    deadline: Option<Date>,
    as_of: Date,
    near_due_working_days: u32,
) -> Result<Timeliness, CalendarError> {
    let Some(deadline) = deadline else {
        return Ok(Timeliness::KhongThoiHan);
    };
    let due = due_day(calendar, deadline)?;
    if as_of > due {
        return Ok(Timeliness::QuaHan);
    }
    let left = working_days_left(calendar, due, as_of)?.unsigned_abs();
    Ok(if left <= near_due_working_days {
        Timeliness::SapDenHan
    } else {
        Timeliness::TrongHan
    })
}

/// The timeliness of a task completed on `completed_on` whose deadline in force that day was
/// `deadline` (`None`: not a date).
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] outside the calendar's years.
pub fn done_timeliness(
    calendar: &Calendar,
    deadline: Option<Date>,
    completed_on: Date,
) -> Result<Timeliness, CalendarError> {
    let Some(deadline) = deadline else {
        return Ok(Timeliness::KhongThoiHan);
    };
    Ok(if completed_on <= due_day(calendar, deadline)? {
        Timeliness::DungHan
    } else {
        Timeliness::TreHan
    })
}

/// One deadline of a task's history (the store's `task_deadline` rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRecord {
    /// The day it was recorded (an extension: the day it was approved), in Asia/Ho_Chi_Minh.
    pub recorded_on: Date,
    /// The deadline's date; `None` for a deadline that is not a date (recurring, on request,
    /// conditional, none).
    pub due_on: Option<Date>,
}

/// The date deadline in force on `on`: see the module notes. `None` when the history is empty
/// or the deadline in force is not a date. Records recorded on the same day take force in
/// the history's order, the last one winning.
pub fn deadline_in_force(history: &[DeadlineRecord], on: Date) -> Option<Date> {
    let latest = history
        .iter()
        .enumerate()
        .filter(|(_, r)| r.recorded_on <= on)
        .max_by_key(|(i, r)| (r.recorded_on, *i));
    let first = || {
        history
            .iter()
            .enumerate()
            .min_by_key(|(i, r)| (r.recorded_on, *i))
    };
    latest.or_else(first).and_then(|(_, r)| r.due_on)
}

/// What the counts need to know of a task: its status now and the dates that let the status
/// on an earlier day be reconstructed.
///
/// Only the current status's start is known, so on a day before it the task counts as it
/// was before: open, with its clock running (for a task cancelled, suspended or confirmed
/// since), or stopped on the day of its report (for one whose completion was reported by
/// then). A task confirmed and later reopened counts as open on the days before its
/// reopening; that is the price of not reading the whole status history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskFacts<'a> {
    /// The day the task was assigned (its document's date); before it the task is not
    /// counted.
    pub assigned_on: Date,
    /// The progress status now.
    pub status: Status,
    /// The day the task entered `status`: confirmed, suspended, cancelled …
    pub status_since: Date,
    /// For a task chờ xác nhận, the day of the pending completion report; for one hoàn thành,
    /// the day of the report the monitor confirmed. `None` otherwise.
    pub reported_done_on: Option<Date>,
    /// Every deadline the task has had, in the order recorded.
    pub deadlines: &'a [DeadlineRecord],
}

/// How a task stands on every day from [`Standing::from`] on, for as long as its history stays
/// as it is: what the store keeps per task so that counting a million tasks is one grouped SQL
/// query instead of a million histories replayed ([`TaskFacts::standing`]).
///
/// From that day on the status is the current one and the deadline in force is the latest, so
/// only one thing still moves with the day asked about: an open task's clock. A stopped clock
/// (hoàn thành, chờ xác nhận, tạm hoãn) gives a fixed [`verdict`](Standing::verdict); a running
/// one is judged on the day against [`due_day`](Standing::due_day) ([`Standing::on`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The first day it holds: no status change, report or deadline of the task is later.
    pub from: Date,
    /// The status from that day.
    pub status: Status,
    /// The day the task entered it.
    pub status_since: Date,
    /// The due day judged against: the running clock's, or the one the verdict was reached on.
    pub due_day: Option<Date>,
    /// The timeliness when the clock has stopped; `None` while it runs, and for a cancelled
    /// task (not counted).
    pub verdict: Option<Timeliness>,
}

impl Standing {
    /// The task's assessment on `as_of` (not before [`from`](Standing::from)), where
    /// `due_soon_before` is [`due_soon_before`]`(as_of)`: the rule the store's SQL applies,
    /// written once more here so that tests can hold the two against [`TaskFacts::assess`].
    pub fn on(&self, as_of: Date, due_soon_before: Date) -> Option<Assessment> {
        debug_assert!(as_of >= self.from);
        if self.status == Status::Huy {
            return None;
        }
        let timeliness = self.verdict.unwrap_or(match self.due_day {
            None => Timeliness::KhongThoiHan,
            Some(due) if due < as_of => Timeliness::QuaHan,
            Some(due) if due < due_soon_before => Timeliness::SapDenHan,
            Some(_) => Timeliness::TrongHan,
        });
        Some(Assessment {
            timeliness,
            due_day: self.due_day,
            suspended: self.status == Status::TamHoan,
        })
    }
}

/// The first due day that is no longer sắp đến hạn on `as_of` with a window of `n` working
/// days: the (n + 1)-th working day after it. An open task due on or after `as_of` is sắp đến
/// hạn exactly when its due day is before this one, since the working days left,
/// [`working_days_left`], grow by one at each working day.
///
/// # Errors
/// [`CalendarError::DateOutOfRange`] outside the calendar's years.
pub fn due_soon_before(calendar: &Calendar, as_of: Date, n: u32) -> Result<Date, CalendarError> {
    let n = i32::try_from(n).map_err(|_| CalendarError::DateOutOfRange(as_of))?;
    calendar.add_working_days(as_of, n + 1)
}

/// A task's standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Its timeliness.
    pub timeliness: Timeliness,
    /// The due day it was judged against, when it has a date deadline.
    #[serde(serialize_with = "crate::iso_date::serialize_opt")]
    pub due_day: Option<Date>,
    /// Whether it was suspended on that day: still counted, but to be shown as such.
    pub suspended: bool,
}

impl TaskFacts<'_> {
    /// The date deadline in force on `on` ([`deadline_in_force`]).
    pub fn deadline_in_force(&self, on: Date) -> Option<Date> {
        deadline_in_force(self.deadlines, on)
    }

    /// The task's standing on `as_of`; `None` when it is not counted that day (not yet
    /// assigned, or cancelled). See the module notes for the rules.
    ///
    /// # Errors
    /// [`CalendarError::DateOutOfRange`] when a date involved is outside the calendar's years.
    pub fn assess(
        &self,
        as_of: Date,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Option<Assessment>, CalendarError> {
        if as_of < self.assigned_on {
            return Ok(None);
        }
        let reported_by_then = self.reported_done_on.filter(|r| *r <= as_of);
        let since_by_then = self.status_since <= as_of;
        let assessment = match (self.status, since_by_then, reported_by_then) {
            (Status::Huy, true, _) => return Ok(None),
            (Status::HoanThanh, true, _) => {
                let completed_on = self
                    .reported_done_on
                    .map_or(self.status_since, |r| r.min(self.status_since));
                let deadline = self.deadline_in_force(completed_on);
                let timeliness = done_timeliness(calendar, deadline, completed_on)?;
                self.judged(timeliness, deadline, calendar)?
            }
            (Status::TamHoan, true, _) => Assessment {
                suspended: true,
                ..self.stopped(self.status_since, calendar)?
            },
            (Status::HoanThanh | Status::ChoXacNhan, _, Some(reported)) => {
                self.stopped(reported, calendar)?
            }
            _ => {
                let deadline = self.deadline_in_force(as_of);
                let timeliness =
                    open_timeliness(calendar, deadline, as_of, settings.near_due_working_days)?;
                self.judged(timeliness, deadline, calendar)?
            }
        };
        Ok(Some(assessment))
    }

    /// How the task stands from `from` on (see [`Standing`]). `from` must not be before any
    /// day of its history: the assignment, a status change, the report, a deadline recorded.
    ///
    /// # Errors
    /// [`CalendarError::DateOutOfRange`] when a date involved is outside the calendar's years.
    pub fn standing(&self, from: Date, calendar: &Calendar) -> Result<Standing, CalendarError> {
        let clock_runs = match self.status {
            Status::Huy | Status::HoanThanh | Status::TamHoan => false,
            Status::ChoXacNhan => self.reported_done_on.is_none(),
            _ => true,
        };
        let (due_day, verdict) = if self.status == Status::Huy {
            (None, None)
        } else if clock_runs {
            let deadline = self.deadline_in_force(from);
            (deadline.map(|d| due_day(calendar, d)).transpose()?, None)
        } else {
            // A stopped clock: the assessment of the first day is the one of every day after.
            let a = self
                .assess(from, calendar, &Settings::default())?
                .expect("counted: not cancelled, and assigned by `from`");
            (a.due_day, Some(a.timeliness))
        };
        Ok(Standing {
            from,
            status: self.status,
            status_since: self.status_since,
            due_day,
            verdict,
        })
    }

    /// An open task whose clock stopped on `stopped_on`.
    fn stopped(&self, stopped_on: Date, calendar: &Calendar) -> Result<Assessment, CalendarError> {
        let deadline = self.deadline_in_force(stopped_on);
        let timeliness = match deadline {
            None => Timeliness::KhongThoiHan,
            Some(d) if stopped_on <= due_day(calendar, d)? => Timeliness::TrongHan,
            Some(_) => Timeliness::QuaHan,
        };
        self.judged(timeliness, deadline, calendar)
    }

    fn judged(
        &self,
        timeliness: Timeliness,
        deadline: Option<Date>,
        calendar: &Calendar,
    ) -> Result<Assessment, CalendarError> {
        Ok(Assessment {
            timeliness,
            due_day: deadline.map(|d| due_day(calendar, d)).transpose()?,
            suspended: false,
        })
    }
}
