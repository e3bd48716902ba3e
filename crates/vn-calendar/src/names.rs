//! The Vietnamese names of a year's special days, given from what each day is rather than
//! taken from the data's free text (which is partly English and kept only as a note).
//!
//! - A holiday is recognised by its date: 1/1, the Tết block around the lunar New Year, 10/3
//!   of the lunar calendar, 30/4, 1/5, 2/9 and the day joined to it (1/9 or 3/9). A holiday
//!   the rules do not know (a new holiday such as the proposed Ngày Văn hóa Việt Nam) keeps
//!   the name it came with.
//! - A substitute day (nghỉ bù, Labour Code 2019, art. 111(3)) is named after the holiday it
//!   makes up for: the holidays that fell on a weekend, or on a day that was already a
//!   holiday, are paired in date order with the substitute days, which is how the rules
//!   assign them and how every announced year 2020–2026 did.
//! - A swapped day off (hoán đổi) and a Saturday worked (làm bù) are paired in date order and
//!   each names the other, as the Government's announcements do.

use crate::holidays::{DayKind, SpecialDay};
use crate::lunar::{self, LunarDate};
use crate::{Date, Weekday};

/// How far from the lunar New Year a holiday can be and still be part of Tết: announced
/// blocks run from a few days before to a few days after it, and no other holiday comes
/// within weeks of it (1/1 is at least 20 days before, Giỗ Tổ two months after).
const TET_REACH: i32 = 10;

/// A holiday of the Labour Code 2019, art. 112.
#[derive(Clone, Copy)]
enum Holiday {
    NewYear,
    /// The lunar New Year of this (solar) year.
    Tet(i32),
    HungKings,
    Victory,
    Labour,
    NationalDay,
    /// The day joined to 2 September since 2021.
    NationalDayExtra,
}

impl Holiday {
    /// The name on the holiday itself.
    fn name(self) -> String {
        match self {
            Holiday::NewYear => "Tết Dương lịch".into(),
            Holiday::Tet(year) => format!("Tết Nguyên đán {}", lunar::year_name(year)),
            Holiday::HungKings => "Giỗ Tổ Hùng Vương (10/3 âm lịch)".into(),
            Holiday::Victory => "Ngày Chiến thắng (30/4)".into(),
            Holiday::Labour => "Ngày Quốc tế Lao động (1/5)".into(),
            Holiday::NationalDay => "Quốc khánh (2/9)".into(),
            Holiday::NationalDayExtra => "Nghỉ thêm dịp Quốc khánh".into(),
        }
    }

    /// The name a substitute day gives it, "Nghỉ bù …", where the date in brackets would
    /// only repeat what the reader already has in front of them.
    fn short_name(self) -> String {
        match self {
            Holiday::HungKings => "Giỗ Tổ Hùng Vương".into(),
            Holiday::Victory => "Ngày Chiến thắng".into(),
            Holiday::Labour => "Ngày Quốc tế Lao động".into(),
            Holiday::NationalDay | Holiday::NationalDayExtra => "Quốc khánh".into(),
            Holiday::NewYear | Holiday::Tet(_) => self.name(),
        }
    }
}

/// The dates of `year` that recognising a holiday needs, computed once per year.
struct YearDates {
    tet: Date,
    hung_kings: Date,
}

impl YearDates {
    fn new(year: i32) -> YearDates {
        YearDates {
            tet: lunar::lunar_new_year(year).expect("year checked by caller"),
            hung_kings: lunar::from_lunar(LunarDate::new(year, 3, 10))
                .expect("10/3 exists every year"),
        }
    }

    /// The holidays the rules put on `date`, in the order the rules list them; more than one
    /// when Giỗ Tổ falls on 30/4 or 1/5.
    fn holidays_on(&self, date: Date) -> Vec<Holiday> {
        let (year, month, day) = date.ymd();
        let mut found = Vec::new();
        if (month, day) == (1, 1) {
            found.push(Holiday::NewYear);
        }
        if (date - self.tet).abs() <= TET_REACH {
            found.push(Holiday::Tet(year));
        }
        if date == self.hung_kings {
            found.push(Holiday::HungKings);
        }
        match (month, day) {
            (4, 30) => found.push(Holiday::Victory),
            (5, 1) => found.push(Holiday::Labour),
            (9, 2) => found.push(Holiday::NationalDay),
            (9, 1 | 3) => found.push(Holiday::NationalDayExtra),
            _ => {}
        }
        found
    }
}

/// Names every day of `year`'s schedule (sorted by date) as the module notes describe.
pub(crate) fn name_schedule(year: i32, schedule: &mut [SpecialDay]) {
    let dates = YearDates::new(year);
    // What each substitute day makes up for, in the order the substitutes were assigned.
    let mut owed: Vec<String> = Vec::new();
    for day in schedule.iter_mut().filter(|d| d.kind == DayKind::Holiday) {
        let holidays = dates.holidays_on(day.date);
        let on_weekend = day.date.weekday().is_weekend();
        if holidays.is_empty() {
            if on_weekend {
                owed.push(day.name.clone());
            }
            continue;
        }
        day.name = holidays
            .iter()
            .map(|h| h.name())
            .collect::<Vec<_>>()
            .join(" và ");
        // A day holding two holidays makes up for the second even on a weekday.
        for (i, holiday) in holidays.iter().enumerate() {
            if on_weekend || i > 0 {
                owed.push(holiday.short_name());
            }
        }
    }
    let mut owed = owed.into_iter();
    for day in schedule
        .iter_mut()
        .filter(|d| d.kind == DayKind::Substitute)
    {
        day.name = match owed.next() {
            Some(holiday) => format!("Nghỉ bù {holiday}"),
            None => "Nghỉ bù".into(),
        };
    }

    let offs: Vec<usize> = indices_of(schedule, DayKind::SwapOff);
    let works: Vec<usize> = indices_of(schedule, DayKind::SwapWork);
    for (i, &off) in offs.iter().enumerate() {
        schedule[off].name = match works.get(i) {
            Some(&work) => {
                let worked = schedule[work].date;
                format!(
                    "Nghỉ hoán đổi (làm bù {} {})",
                    weekday_in_sentence(worked.weekday()),
                    dd_mm_yyyy(worked)
                )
            }
            None => "Nghỉ hoán đổi".into(),
        };
    }
    for (i, &work) in works.iter().enumerate() {
        schedule[work].name = match offs.get(i) {
            Some(&off) => format!("Làm bù cho ngày nghỉ {}", dd_mm_yyyy(schedule[off].date)),
            None => "Làm bù".into(),
        };
    }
}

fn indices_of(schedule: &[SpecialDay], kind: DayKind) -> Vec<usize> {
    (0..schedule.len())
        .filter(|&i| schedule[i].kind == kind)
        .collect()
}

/// `02/01/2026`, the way Vietnamese administrative texts write a date in full.
fn dd_mm_yyyy(date: Date) -> String {
    let (y, m, d) = date.ymd();
    format!("{d:02}/{m:02}/{y}")
}

/// The weekday as written inside a sentence: `thứ Bảy`, `Chủ nhật`.
fn weekday_in_sentence(weekday: Weekday) -> String {
    match weekday {
        Weekday::Sunday => "Chủ nhật".into(),
        other => other.name_vi().replacen("Thứ", "thứ", 1),
    }
}

/// The name a data row keeps when the rules do not recognise its day: its text up to the
/// first `:`, `,` or `(`, where the data's notes in English begin ("Ngày Văn hóa Việt Nam:
/// proposed, not confirmed enacted"); the whole text when nothing comes before one.
pub(crate) fn name_from_note(note: &str) -> String {
    let head = note
        .split([':', ',', '('])
        .next()
        .unwrap_or_default()
        .trim();
    if head.is_empty() {
        note.trim().to_owned()
    } else {
        head.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_lose_their_english_annotations() {
        assert_eq!(
            name_from_note("Ngày Văn hóa Việt Nam: proposed, not confirmed enacted"),
            "Ngày Văn hóa Việt Nam"
        );
        assert_eq!(
            name_from_note("Quốc khánh (1 day, Labour Code 2012)"),
            "Quốc khánh"
        );
        assert_eq!(name_from_note("Giỗ Tổ Hùng Vương"), "Giỗ Tổ Hùng Vương");
        assert_eq!(name_from_note("(x)"), "(x)");
    }

    #[test]
    fn weekdays_inside_a_sentence() {
        assert_eq!(weekday_in_sentence(Weekday::Saturday), "thứ Bảy");
        assert_eq!(weekday_in_sentence(Weekday::Sunday), "Chủ nhật");
    }
}
