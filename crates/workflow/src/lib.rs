//! The rules of tracking assigned tasks (DOMAIN.md §3–4), as pure functions.
//!
//! - [`Status`], [`Action`], [`apply`], [`allowed`], [`hand_over`]: who may move a task from
//!   one progress status to another (the table is in [`transition`]'s notes), with refusals
//!   in Vietnamese and a machine code ([`Refusal`]).
//! - [`Timeliness`], [`TaskFacts::assess`]: whether a task is on time on a given day,
//!   computed from its deadline history and the working-day calendar.
//! - [`Counts`]: the five counts of the official report, on any day.
//! - [`plan_reminders`], [`reminder_due`]: when to urge and whom, with a stable key per
//!   reminder for the outbox.
//! - [`Settings`]: what a province may change (N of sắp đến hạn, reminder days).
//!
//! Why a crate of its own, with no database and no I/O: these rules are what the product
//! promises the province, and every part of it must apply the same ones: the store when it
//! records a change, the API when it shows the buttons, the scheduler when it urges, the report
//! when it counts. Kept pure, they are called with plain facts and answer plain values, so
//! they can be tested exhaustively (every status × action × role) and read in one place by
//! someone checking them against the province's regulation. For the same reason the crate
//! depends only on the calendar (`vn-calendar`), `serde` (settings files, API values) and
//! `thiserror` (refusals as errors): nothing here should change because a database or a web
//! framework did.
//!
//! ```
//! use vn_calendar::{Calendar, Date};
//! use workflow::{open_timeliness, Timeliness};
//!
//! // Task 2.3 of the model case is due "trong năm 2022": Saturday 2022-12-31, so in fact
//! // Tuesday 2023-01-03, after New Year's Day and its substitute day off.
//! let calendar = Calendar::new();
//! let deadline: Date = "2022-12-31".parse()?;
//! let on = |d: &str| open_timeliness(&calendar, Some(deadline), d.parse().unwrap(), 3);
//! assert_eq!(on("2023-01-03")?, Timeliness::SapDenHan);
//! assert_eq!(on("2023-01-04")?, Timeliness::QuaHan);
//! # Ok::<(), vn_calendar::Error>(())
//! ```
#![warn(missing_docs)]

mod counts;
mod iso_date;
mod reminders;
mod settings;
mod status;
mod timeliness;
pub mod transition;

pub use counts::{CountColumn, Counts};
pub use reminders::{PlannedReminder, Recipient, ReminderKind, plan_reminders, reminder_due};
pub use settings::{MAX_SETTING_WORKING_DAYS, ReminderSettings, Settings, SettingsError};
pub use status::{Role, Roles, Status};
pub use timeliness::{
    Assessment, DeadlineRecord, Standing, TaskFacts, Timeliness, deadline_in_force,
    done_timeliness, due_day, due_soon_before, open_timeliness, working_days_left,
};
pub use transition::{Action, ActionKind, Refusal, Who, allowed, apply, hand_over};
/// The calendar's error, which the date computations pass on: a date outside 1900–2199.
pub use vn_calendar::Error as CalendarError;
