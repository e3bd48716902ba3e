//! The working-day calendar of Vietnamese public administration.
//!
//! - [`Date`]: a plain calendar date (Asia/Ho_Chi_Minh has no daylight saving, so every date
//!   in nhiemvu is one), with ISO parsing and Civil Code month arithmetic. Other crates use it.
//! - [`lunar`]: the Vietnamese lunisolar calendar, 1900–2199, computed astronomically for
//!   UTC+7 ([`to_lunar`], [`from_lunar`], [`lunar_new_year`]).
//! - [`Calendar`]: statutory holidays (Labour Code 2019, arts. 111–112) computed per year,
//!   overlaid with each year's announced schedule kept as data (Tết window, substitute days,
//!   swapped days, Saturdays worked), and the working-day arithmetic built on them. Each day
//!   gets a Vietnamese name from what it is (`Nghỉ bù Giỗ Tổ Hùng Vương`), the data's own
//!   wording kept as a note. [`Calendar::declare`] lays a day declared off or working after the
//!   fact (a Prime Minister's decision) over all of that.
//! - [`Calendar::deadline_in_days`] and siblings: time limits counted as the Civil Code 2015
//!   (arts. 147–148) counts them.
//!
//! ```
//! use vn_calendar::{Calendar, Date};
//!
//! let calendar = Calendar::new();
//! let start: Date = "2026-05-04".parse()?;
//! assert_eq!(calendar.add_working_days(start, 10)?.to_string(), "2026-05-18");
//! # Ok::<(), vn_calendar::Error>(())
//! ```
#![warn(missing_docs)]

mod date;
mod error;
mod holidays;
pub mod lunar;
mod names;

pub use date::{Date, Weekday, days_in_month, is_leap_year};
pub use error::Error;
pub use holidays::{Calendar, DayKind, EMBEDDED_HOLIDAYS_CSV, SpecialDay, parse_holidays_csv};
pub use lunar::{LunarDate, from_lunar, lunar_new_year, to_lunar};
