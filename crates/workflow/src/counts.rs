//! The five counts of the official report (DOMAIN.md §3).

use std::ops::AddAssign;

use serde::{Deserialize, Serialize};
use vn_calendar::{Calendar, Date};

use crate::{Assessment, CalendarError, Settings, TaskFacts, Timeliness};

/// How many tasks fall in each of the report's five columns on a day, plus two informative
/// subsets for dashboards.
///
/// The five columns partition the counted tasks: a task with no date deadline is under
/// không thời hạn whether it is done or not (the report cannot call it on time or late), and a
/// cancelled task is not counted. Suspended tasks stay in the column their stopped clock puts
/// them in, because the report is about the work assigned and a suspension does not unassign
/// it; [`suspended`](Counts::suspended) says how many of them there are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Hoàn thành đúng hạn.
    pub done_on_time: u64,
    /// Hoàn thành quá hạn.
    pub done_late: u64,
    /// Chưa hoàn thành trong hạn (sắp đến hạn included).
    pub open_on_time: u64,
    /// Chưa hoàn thành quá hạn.
    pub open_overdue: u64,
    /// Không thời hạn.
    pub no_deadline: u64,
    /// Of `open_on_time`, those sắp đến hạn. Not a sixth column.
    pub due_soon: u64,
    /// Of all counted, those suspended that day. Not a sixth column.
    pub suspended: u64,
}

/// One column of the official report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CountColumn {
    /// ASCII code for JSON and spreadsheets (`hoan_thanh_dung_han`, …).
    pub code: &'static str,
    /// The column's heading as the report prints it.
    pub label_vi: &'static str,
    /// The count.
    pub value: u64,
}

impl Counts {
    /// Counts one task's assessment.
    pub fn add(&mut self, assessment: &Assessment) {
        self.add_many(assessment, 1);
    }

    /// Counts `n` tasks judged alike (a row of a grouped query).
    pub fn add_many(&mut self, assessment: &Assessment, n: u64) {
        match assessment.timeliness {
            Timeliness::DungHan => self.done_on_time += n,
            Timeliness::TreHan => self.done_late += n,
            Timeliness::TrongHan => self.open_on_time += n,
            Timeliness::SapDenHan => {
                self.open_on_time += n;
                self.due_soon += n;
            }
            Timeliness::QuaHan => self.open_overdue += n,
            Timeliness::KhongThoiHan => self.no_deadline += n,
        }
        if assessment.suspended {
            self.suspended += n;
        }
    }

    /// Adds another set of counts (another agency, another document), so a report can be
    /// counted in parts and summed.
    pub fn merge(&mut self, other: &Counts) {
        self.done_on_time += other.done_on_time;
        self.done_late += other.done_late;
        self.open_on_time += other.open_on_time;
        self.open_overdue += other.open_overdue;
        self.no_deadline += other.no_deadline;
        self.due_soon += other.due_soon;
        self.suspended += other.suspended;
    }

    /// Every task counted: the sum of the five columns.
    pub fn total(&self) -> u64 {
        self.done_on_time
            + self.done_late
            + self.open_on_time
            + self.open_overdue
            + self.no_deadline
    }

    /// The five columns in the report's order.
    pub fn columns(&self) -> [CountColumn; 5] {
        let column = |code, label_vi, value| CountColumn {
            code,
            label_vi,
            value,
        };
        [
            column(
                "hoan_thanh_dung_han",
                "Hoàn thành đúng hạn",
                self.done_on_time,
            ),
            column("hoan_thanh_qua_han", "Hoàn thành quá hạn", self.done_late),
            column(
                "chua_hoan_thanh_trong_han",
                "Chưa hoàn thành trong hạn",
                self.open_on_time,
            ),
            column(
                "chua_hoan_thanh_qua_han",
                "Chưa hoàn thành quá hạn",
                self.open_overdue,
            ),
            column("khong_thoi_han", "Không thời hạn", self.no_deadline),
        ]
    }

    /// The counts of `tasks` as they stood on `as_of` ([`TaskFacts::assess`]).
    ///
    /// # Errors
    /// [`CalendarError::DateOutOfRange`] for the first task with a date outside the calendar's
    /// years: a report with a task silently left out would be wrong without saying so.
    pub fn tally<'a>(
        tasks: impl IntoIterator<Item = TaskFacts<'a>>,
        as_of: Date,
        calendar: &Calendar,
        settings: &Settings,
    ) -> Result<Counts, CalendarError> {
        let mut counts = Counts::default();
        for task in tasks {
            if let Some(assessment) = task.assess(as_of, calendar, settings)? {
                counts.add(&assessment);
            }
        }
        Ok(counts)
    }
}

impl AddAssign<&Counts> for Counts {
    fn add_assign(&mut self, other: &Counts) {
        self.merge(other);
    }
}
