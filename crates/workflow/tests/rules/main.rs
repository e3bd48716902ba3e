//! The rules at the level a user would name them: the transition table, the model case's
//! deadlines, the report's counts, the reminder plans, the settings.

mod counts;
mod reminders;
mod settings;
mod timeliness;
mod transitions;

use vn_calendar::Date;

pub fn d(s: &str) -> Date {
    s.parse().unwrap()
}
