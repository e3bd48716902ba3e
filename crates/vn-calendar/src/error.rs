use crate::{Date, LunarDate};

/// Everything that can go wrong in this crate. Messages are in Vietnamese because the CLI and
/// the web UI show them to users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A year, month and day that name no day of the Gregorian calendar (or a year outside
    /// 1–9999).
    #[error("ngày không tồn tại: {day}/{month}/{year}")]
    InvalidDate {
        /// The year given.
        year: i32,
        /// The month given.
        month: u32,
        /// The day given.
        day: u32,
    },
    /// Text that is not a date in the form `YYYY-MM-DD`.
    #[error("ngày không hợp lệ: {0:?} (cần dạng YYYY-MM-DD, ví dụ 2026-05-04)")]
    ParseDate(String),
    /// A date outside the years the calendar covers (1900–2199).
    #[error("ngày {0} nằm ngoài phạm vi lịch (1900–2199)")]
    DateOutOfRange(Date),
    /// A year outside the years the calendar covers (1900–2199).
    #[error("năm {0} nằm ngoài phạm vi lịch (1900–2199)")]
    YearOutOfRange(i32),
    /// A lunar date that does not exist: a leap month in a year without it, day 30 of a
    /// 29-day month, month 13.
    #[error("ngày âm lịch không tồn tại: {0}")]
    NoSuchLunarDate(LunarDate),
    /// A lunar date whose solar date falls outside 1900–2199.
    #[error("ngày âm lịch {0} nằm ngoài phạm vi lịch (1900–2199)")]
    LunarOutOfRange(LunarDate),
    /// A holiday row given for a year its date is not in.
    #[error("ngày {date} không thuộc năm {year}")]
    RowOutsideYear {
        /// The row's date.
        date: Date,
        /// The year the rows were given for.
        year: i32,
    },
    /// A malformed row of holiday data.
    #[error("dữ liệu ngày nghỉ, dòng {line}: {message}")]
    HolidayData {
        /// 1-based line number in the CSV text (the header is line 1).
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}
