//! Non-working days of civil servants and the working-day arithmetic built on them.
//!
//! Two sources make up a year's schedule:
//!
//! - **Rules** (computed for every year 1900–2199): the statutory holidays of the Labour Code
//!   2019, art. 112 (from 2021; before, the Labour Code 2012, whose only difference is that
//!   2 September is a single day), and the substitute day off (nghỉ bù) of art. 111(3) for a
//!   holiday that falls on a Saturday or Sunday.
//! - **Data** (rows an administrator enters, the 2020–2027 ones embedded from
//!   `data/holidays.csv`): what the Government actually announced, including what no rule can
//!   predict, such as which five days Tết takes and the swaps of a working day for a Saturday
//!   (hoán đổi / làm bù).
//!
//! How they combine, per year:
//!
//! - A year with at least one announced row (`verified=y`) is **announced**: its rows are the
//!   schedule, taken as complete, because the Prime Minister's decision supersedes any rule.
//!   Unannounced rows in it (a proposed new holiday) are kept and marked as such.
//! - Any other year is **computed**: the rules' schedule, with the year's rows (projections)
//!   laid over it, a row replacing the computed day of the same date. Every day of such a year
//!   is marked as not announced, so the output can say "chưa công bố".
//!
//! The rules choose what the Government is free to choose in the way every announced year
//! 2020–2026 did (the tests check this row by row):
//!
//! - Tết takes the last two days of the old lunar year and the first three of the new one,
//!   except when the lunar New Year falls on a Tuesday: then the last day of the old year and
//!   the first four of the new one, which fills Monday to Friday (2022, 2026).
//! - The day joined to 2 September is the day before, except when 2 September is a Monday or
//!   a Thursday: then the day after, so that the break joins the weekend.
//! - A holiday on a weekend, or on a day that is already a holiday, gets its substitute on
//!   the first following weekday that is neither a holiday nor an earlier holiday's substitute.
//!
//! Weekly days off are Saturday and Sunday (Decision 188/1999/QĐ-TTg) for every year.
//!
//! Every day of a schedule, announced or computed, gets its Vietnamese name from what it is
//! (see `names`), so the text users read never depends on how a data row was worded.

use std::collections::BTreeMap;

use crate::lunar::{self, FIRST_YEAR, LAST_YEAR, LunarDate};
use crate::names::{name_from_note, name_schedule};
use crate::{Date, Error};

/// The 2020–2027 schedules as announced (2027 as a projection), with their sources.
pub const EMBEDDED_HOLIDAYS_CSV: &str = include_str!("../data/holidays.csv");

/// What a listed day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DayKind {
    /// A public holiday (ngày nghỉ lễ, tết), `holiday`.
    Holiday,
    /// A day off in place of a holiday that fell on a weekly day off (nghỉ bù), `substitute`.
    Substitute,
    /// A working day given off in exchange for a Saturday worked (hoán đổi), `swap_off`.
    SwapOff,
    /// A Saturday worked in exchange for a day off (làm bù), `swap_work`.
    SwapWork,
    /// A day declared off after the schedule was set (a decision of the Prime Minister giving
    /// an extra day off), `declared_off`: see [`Calendar::declare`].
    DeclaredOff,
    /// A day declared a working day after the schedule was set (a holiday moved, a weekend
    /// day worked), `declared_working`: see [`Calendar::declare`].
    DeclaredWorking,
}

impl DayKind {
    /// The code used in data files, the CLI and JSON: `holiday`, `substitute`, `swap_off`,
    /// `swap_work`.
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Substitute => "substitute",
            DayKind::SwapOff => "swap_off",
            DayKind::SwapWork => "swap_work",
            DayKind::DeclaredOff => "declared_off",
            DayKind::DeclaredWorking => "declared_working",
        }
    }

    /// The kind with this [`code`](DayKind::code).
    pub fn from_code(code: &str) -> Option<DayKind> {
        match code {
            "holiday" => Some(DayKind::Holiday),
            "substitute" => Some(DayKind::Substitute),
            "swap_off" => Some(DayKind::SwapOff),
            "swap_work" => Some(DayKind::SwapWork),
            "declared_off" => Some(DayKind::DeclaredOff),
            "declared_working" => Some(DayKind::DeclaredWorking),
            _ => None,
        }
    }

    /// Whether a day of this kind is a day off (everything but a Saturday worked and a day
    /// declared a working day).
    pub fn is_day_off(self) -> bool {
        !matches!(self, DayKind::SwapWork | DayKind::DeclaredWorking)
    }
}

/// One day of a year's schedule: a holiday, a substitute day, or one side of a swap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecialDay {
    /// The day.
    pub date: Date,
    /// What it is.
    pub kind: DayKind,
    /// Its Vietnamese name, for display (`Giỗ Tổ Hùng Vương (10/3 âm lịch)`, `Nghỉ bù Quốc
    /// khánh`, `Làm bù cho ngày nghỉ 02/01/2026`). The calendar names every day of its
    /// schedules from what the day is; the name a row is given only stays for a holiday the
    /// rules do not know, such as a newly created one.
    pub name: String,
    /// The data's own description of the day (the `name` column of `data/holidays.csv`),
    /// free text kept as provenance beside `source`; `None` for a day computed from the rules.
    pub note: Option<String>,
    /// Whether the Government has announced it; `false` for projections and computed days.
    pub announced: bool,
    /// Where it comes from: the announcement's address, or the rule that computed it.
    pub source: String,
}

/// Reads holiday rows in the form of `data/holidays.csv`: a header line, then
/// `date,kind,name,year,verified,source` with fields quoted as in RFC 4180 when they hold a
/// comma; `#` comment lines and blank lines are skipped (the format the `data-file` crate
/// reads). `verified` is `y` for an announced day and `n` for a projection.
///
/// The `name` column is free text, partly English, so it becomes the row's
/// [`note`](SpecialDay::note); the row's [`name`](SpecialDay::name) is the text before its
/// first `:`, `,` or `(`, which the calendar replaces for every day it recognises. The file
/// has no column for a Vietnamese name because it is the shared design file, copied byte for
/// byte, and because the rules name all of its days but a proposed new holiday, whose name
/// is the part before the annotation anyway.
///
/// # Errors
/// [`Error::HolidayData`] naming the first bad line.
pub fn parse_holidays_csv(text: &str) -> Result<Vec<SpecialDay>, Error> {
    let table = data_file::read(text).map_err(|e| Error::HolidayData {
        line: e.line(),
        message: e.kind().to_string(),
    })?;
    let mut rows = Vec::new();
    // The header is not compared with the column names: the columns are read by position, so
    // the header only documents them for whoever edits the file.
    for data_file::Row { line, fields } in table.rows {
        let bad = |message: String| Error::HolidayData { line, message };
        let [date, kind, name, year, verified, source] = <[String; 6]>::try_from(fields)
            .map_err(|f| bad(format!("cần 6 cột, có {}", f.len())))?;
        let date: Date = date.parse().map_err(|e: Error| bad(e.to_string()))?;
        let kind =
            DayKind::from_code(&kind).ok_or_else(|| bad(format!("loại ngày lạ: {kind:?}")))?;
        if year.parse::<i32>().ok() != Some(date.year()) {
            return Err(bad(format!("cột năm {year:?} không khớp với ngày {date}")));
        }
        let announced = match verified.as_str() {
            "y" => true,
            "n" => false,
            other => {
                return Err(bad(format!(
                    "cột verified phải là y hoặc n, không phải {other:?}"
                )));
            }
        };
        rows.push(SpecialDay {
            date,
            kind,
            name: name_from_note(&name),
            note: Some(name),
            announced,
            source,
        });
    }
    Ok(rows)
}

/// The working-day calendar: each year's schedule and the arithmetic over it.
///
/// Every day of 1900–2199 is classified once, when the calendar is built or a year's rows
/// change, into a bit set with running counts, so [`is_working_day`](Calendar::is_working_day)
/// is a bit test and [`working_days_between`](Calendar::working_days_between) and
/// [`add_working_days`](Calendar::add_working_days) take constant or logarithmic time whatever
/// the distance.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// Data rows by year, as given.
    rows: BTreeMap<i32, Vec<SpecialDay>>,
    /// Days declared off or working by [`Calendar::declare`], each overriding whatever the
    /// year's schedule has on its date.
    declared: BTreeMap<Date, SpecialDay>,
    /// Each year's resolved schedule, sorted by date; index 0 is [`FIRST_YEAR`].
    schedules: Vec<Vec<SpecialDay>>,
    /// Bit `i` set when day `first + i` is a working day.
    working: Vec<u64>,
    /// `rank[w]`: working days before word `w` of `working`; one entry more than `working`.
    rank: Vec<u32>,
    first: Date,
    last: Date,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::new()
    }
}

impl Calendar {
    /// The calendar with the embedded 2020–2027 data.
    pub fn new() -> Calendar {
        let rows = parse_holidays_csv(EMBEDDED_HOLIDAYS_CSV).expect("embedded data is valid");
        Calendar::from_rows(rows)
    }

    /// The calendar from the rules alone, as if nothing had been announced.
    pub fn rules_only() -> Calendar {
        Calendar::from_rows(Vec::new())
    }

    /// The calendar from the rules and these rows (the embedded data is not used), for
    /// storage to feed what administrators entered. Rows outside 1900–2199 are ignored, as
    /// the calendar has no days there to apply them to.
    pub fn from_rows(rows: impl IntoIterator<Item = SpecialDay>) -> Calendar {
        let first = Date::from_ymd(FIRST_YEAR, 1, 1).expect("valid");
        let last = Date::from_ymd(LAST_YEAR, 12, 31).expect("valid");
        let mut by_year: BTreeMap<i32, Vec<SpecialDay>> = BTreeMap::new();
        for row in rows {
            if (FIRST_YEAR..=LAST_YEAR).contains(&row.date.year()) {
                by_year.entry(row.date.year()).or_default().push(row);
            }
        }
        let days = (last - first + 1) as usize;
        let mut calendar = Calendar {
            rows: by_year,
            declared: BTreeMap::new(),
            schedules: Vec::new(),
            working: vec![0; days.div_ceil(64)],
            rank: Vec::new(),
            first,
            last,
        };
        calendar.schedules = (FIRST_YEAR..=LAST_YEAR)
            .map(|year| calendar.resolve(year))
            .collect();
        for year in FIRST_YEAR..=LAST_YEAR {
            calendar.mark_year(year);
        }
        calendar.recount();
        calendar
    }

    /// Replaces the data rows of `year` (an administrator entering or correcting the year's
    /// announced schedule) and recomputes it. An empty `rows` returns the year to the rules.
    ///
    /// # Errors
    /// [`Error::YearOutOfRange`] outside 1900–2199; [`Error::RowOutsideYear`] when a row's
    /// date is not in `year`.
    pub fn set_year_rows(&mut self, year: i32, rows: Vec<SpecialDay>) -> Result<(), Error> {
        check_year(year)?;
        if let Some(row) = rows.iter().find(|r| r.date.year() != year) {
            return Err(Error::RowOutsideYear {
                date: row.date,
                year,
            });
        }
        if rows.is_empty() {
            self.rows.remove(&year);
        } else {
            self.rows.insert(year, rows);
        }
        self.schedules[(year - FIRST_YEAR) as usize] = self.resolve(year);
        self.mark_year(year);
        self.recount();
        Ok(())
    }

    /// Declares `date` a day off (`working = false`) or a working day (`working = true`),
    /// whatever the rules and the year's rows make of it: what the Government decides after a
    /// year's schedule is known (a Prime Minister's decision giving an extra day off, or moving
    /// a day off and having a weekend day worked instead). The day replaces anything the
    /// schedule had on that date and is listed by [`special_days`](Calendar::special_days) as
    /// [`DayKind::DeclaredOff`] or [`DayKind::DeclaredWorking`], named `note` (the decision,
    /// as the administrator wrote it). Declaring a date again replaces the earlier
    /// declaration; the other days of the year keep their names (a holiday declared a working
    /// day does not move its substitute day).
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] outside 1900–2199.
    pub fn declare(&mut self, date: Date, working: bool, note: &str) -> Result<(), Error> {
        self.check(date)?;
        let kind = if working {
            DayKind::DeclaredWorking
        } else {
            DayKind::DeclaredOff
        };
        self.declared.insert(
            date,
            SpecialDay {
                date,
                kind,
                name: note.trim().to_owned(),
                note: Some(note.to_owned()),
                announced: true,
                source: DECLARED_SOURCE.to_owned(),
            },
        );
        let year = date.year();
        self.schedules[(year - FIRST_YEAR) as usize] = self.resolve(year);
        self.mark_year(year);
        self.recount();
        Ok(())
    }

    /// The first day the calendar covers, 1900-01-01.
    pub fn first_day(&self) -> Date {
        self.first
    }

    /// The last day the calendar covers, 2199-12-31.
    pub fn last_day(&self) -> Date {
        self.last
    }

    /// Whether the Government's schedule for `year` is in the data (see the module notes);
    /// `false` for a year computed from the rules.
    pub fn is_announced(&self, year: i32) -> bool {
        self.rows
            .get(&year)
            .is_some_and(|rows| rows.iter().any(|r| r.announced))
    }

    /// The year's holidays, substitute days and swapped days, by date: what `nhiemvu calendar
    /// YEAR` prints. Ordinary weekends are not listed.
    ///
    /// # Errors
    /// [`Error::YearOutOfRange`] outside 1900–2199.
    pub fn special_days(&self, year: i32) -> Result<&[SpecialDay], Error> {
        check_year(year)?;
        Ok(&self.schedules[(year - FIRST_YEAR) as usize])
    }

    /// Every day of `year` that is not a working day, weekends included, in order.
    ///
    /// # Errors
    /// [`Error::YearOutOfRange`] outside 1900–2199.
    pub fn non_working_days(&self, year: i32) -> Result<Vec<Date>, Error> {
        check_year(year)?;
        let start = Date::from_ymd(year, 1, 1).expect("valid");
        let end = Date::from_ymd(year, 12, 31).expect("valid");
        Ok((0..=end - start)
            .map(|i| start + i)
            .filter(|&d| !self.bit(self.index(d)))
            .collect())
    }

    /// Whether civil servants work on `date`: a weekday that is no holiday, substitute or
    /// swapped day off, or a Saturday worked in exchange.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] outside 1900–2199.
    pub fn is_working_day(&self, date: Date) -> Result<bool, Error> {
        self.check(date)?;
        Ok(self.bit(self.index(date)))
    }

    /// The working day `n` working days after `date` (before it for negative `n`), `date`
    /// itself not counted: 10 working days after Monday 2026-05-04 is Monday 2026-05-18.
    /// `n = 0` gives `date` unchanged, working day or not.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when `date` or the result is outside 1900–2199.
    pub fn add_working_days(&self, date: Date, n: i32) -> Result<Date, Error> {
        self.check(date)?;
        if n == 0 {
            return Ok(date);
        }
        let i = self.index(date);
        // The result is the working day with this many working days before it in the table.
        let target = if n > 0 {
            i64::from(self.count_before(i + 1)) + i64::from(n) - 1
        } else {
            i64::from(self.count_before(i)) + i64::from(n)
        };
        let total = self.rank[self.rank.len() - 1];
        if target < 0 || target >= i64::from(total) {
            let beyond = if n > 0 {
                self.last.add_days(1)
            } else {
                self.first.add_days(-1)
            };
            return Err(Error::DateOutOfRange(beyond));
        }
        Ok(self.first + self.select(target as u32) as i32)
    }

    /// Working days in `(from, to]`: after `from`, up to and including `to`; when `to` is
    /// before `from`, minus the working days in `(to, from]`. So counts add up
    /// (`between(a, b) + between(b, c) == between(a, c)`), and it inverts
    /// [`add_working_days`](Calendar::add_working_days):
    /// `working_days_between(d, add_working_days(d, n)) == n` for `n ≥ 0`, and for `n < 0`
    /// when `d` is a working day (from a day off it is `n + 1`, the day off not being counted).
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when either date is outside 1900–2199.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i32, Error> {
        self.check(from)?;
        self.check(to)?;
        let a = self.count_before(self.index(from) + 1);
        let b = self.count_before(self.index(to) + 1);
        Ok(b as i32 - a as i32)
    }

    /// The first working day on or after `date`.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when `date` or the result is outside 1900–2199.
    pub fn next_working_day_from(&self, date: Date) -> Result<Date, Error> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// The last day of a limit of `n` days from the event on `start` (Civil Code 2015, arts.
    /// 147–148): the day of the event is not counted, so the limit ends `n` days later; if that
    /// is a non-working day, on the next working day (art. 148(5)). "Trong 15 ngày kể từ ngày
    /// 2026-04-20" ends on 2026-05-05 (2026-05-05 is a Tuesday).
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when a date involved is outside 1900–2199.
    pub fn deadline_in_days(&self, start: Date, n: u32) -> Result<Date, Error> {
        let end = start
            .checked_add_days(i32::try_from(n).map_err(|_| Error::DateOutOfRange(self.last))?)
            .ok_or(Error::DateOutOfRange(self.last))?;
        self.next_working_day_from(end)
    }

    /// The last day of a limit of `n` working days from `start` ("trong 10 ngày làm việc"):
    /// `start` not counted, only working days counted, so the end is always a working day.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when a date involved is outside 1900–2199.
    pub fn deadline_in_working_days(&self, start: Date, n: u32) -> Result<Date, Error> {
        let n = i32::try_from(n).map_err(|_| Error::DateOutOfRange(self.last))?;
        self.add_working_days(start, n)
    }

    /// The last day of a limit of `n` weeks from `start` (Civil Code 2015, art. 148(1)(b)):
    /// the same weekday of the last week, moved to the next working day if it is not one.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when a date involved is outside 1900–2199.
    pub fn deadline_in_weeks(&self, start: Date, n: u32) -> Result<Date, Error> {
        self.deadline_in_days(start, n.saturating_mul(7))
    }

    /// The last day of a limit of `n` months from `start` (Civil Code 2015, art. 148(1)(c)):
    /// the same day of the last month, or that month's last day when it has no such day
    /// (2026-01-31 plus one month is 2026-02-28), moved to the next working day if it is not one.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when a date involved is outside 1900–2199.
    pub fn deadline_in_months(&self, start: Date, n: u32) -> Result<Date, Error> {
        let n = i32::try_from(n).map_err(|_| Error::DateOutOfRange(self.last))?;
        let end = start
            .add_months(n)
            .ok_or(Error::DateOutOfRange(self.last))?;
        self.next_working_day_from(end)
    }

    /// The last day of a limit of `n` years from `start` (Civil Code 2015, art. 148(1)(a)):
    /// the same day and month of the last year (28 February for 29 February in a common year),
    /// moved to the next working day if it is not one.
    ///
    /// # Errors
    /// [`Error::DateOutOfRange`] when a date involved is outside 1900–2199.
    pub fn deadline_in_years(&self, start: Date, n: u32) -> Result<Date, Error> {
        self.deadline_in_months(start, n.saturating_mul(12))
    }

    fn check(&self, date: Date) -> Result<(), Error> {
        if (self.first..=self.last).contains(&date) {
            Ok(())
        } else {
            Err(Error::DateOutOfRange(date))
        }
    }

    fn index(&self, date: Date) -> usize {
        (date - self.first) as usize
    }

    /// A digest of which days are working days (FNV-1a over the whole 1900–2199 table): two
    /// calendars with the same digest count every deadline the same way. Stable across
    /// releases and platforms, so it can be stored next to figures computed with a calendar
    /// to tell when they must be computed again.
    pub fn fingerprint(&self) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        for byte in self.working.iter().flat_map(|w| w.to_le_bytes()) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash
    }

    fn bit(&self, i: usize) -> bool {
        self.working[i / 64] >> (i % 64) & 1 == 1
    }

    fn set_bit(&mut self, i: usize, working: bool) {
        let mask = 1u64 << (i % 64);
        if working {
            self.working[i / 64] |= mask;
        } else {
            self.working[i / 64] &= !mask;
        }
    }

    /// Working days among the first `i` days of the table.
    fn count_before(&self, i: usize) -> u32 {
        let word = i / 64;
        let partial = match self.working.get(word) {
            Some(bits) => (bits & ((1u64 << (i % 64)) - 1)).count_ones(),
            None => 0,
        };
        self.rank[word] + partial
    }

    /// Index of the working day that has `k` working days before it (`k` < total).
    fn select(&self, k: u32) -> usize {
        let word = self.rank.partition_point(|&r| r <= k) - 1;
        let mut bits = self.working[word];
        for _ in 0..(k - self.rank[word]) {
            bits &= bits - 1;
        }
        word * 64 + bits.trailing_zeros() as usize
    }

    fn recount(&mut self) {
        let mut total = 0;
        self.rank = std::iter::once(0)
            .chain(self.working.iter().map(|w| {
                total += w.count_ones();
                total
            }))
            .collect();
    }

    /// Writes the year's working days into the bit set.
    fn mark_year(&mut self, year: i32) {
        let start = Date::from_ymd(year, 1, 1).expect("valid");
        let end = Date::from_ymd(year, 12, 31).expect("valid");
        for offset in 0..=end - start {
            let date = start + offset;
            let i = self.index(date);
            self.set_bit(i, !date.weekday().is_weekend());
        }
        let schedule = std::mem::take(&mut self.schedules[(year - FIRST_YEAR) as usize]);
        for day in &schedule {
            let i = self.index(day.date);
            self.set_bit(i, !day.kind.is_day_off());
        }
        self.schedules[(year - FIRST_YEAR) as usize] = schedule;
    }

    /// The year's schedule from its rows and the rules, as described in the module notes.
    fn resolve(&self, year: i32) -> Vec<SpecialDay> {
        let rows = self.rows.get(&year).map(Vec::as_slice).unwrap_or_default();
        let mut schedule = if self.is_announced(year) {
            rows.to_vec()
        } else {
            let mut computed: BTreeMap<Date, SpecialDay> = statutory_schedule(year)
                .into_iter()
                .map(|d| (d.date, d))
                .collect();
            for row in rows {
                computed.insert(
                    row.date,
                    SpecialDay {
                        announced: false,
                        ..row.clone()
                    },
                );
            }
            computed.into_values().collect()
        };
        schedule.sort_by_key(|d| (d.date, d.kind));
        name_schedule(year, &mut schedule);
        let start = Date::from_ymd(year, 1, 1).expect("valid");
        let end = Date::from_ymd(year, 12, 31).expect("valid");
        let declared: Vec<&SpecialDay> = self.declared.range(start..=end).map(|(_, d)| d).collect();
        if !declared.is_empty() {
            schedule.retain(|d| !self.declared.contains_key(&d.date));
            schedule.extend(declared.into_iter().cloned());
            schedule.sort_by_key(|d| (d.date, d.kind));
        }
        schedule
    }
}

fn check_year(year: i32) -> Result<(), Error> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(Error::YearOutOfRange(year))
    }
}

/// The source of a day given by [`Calendar::declare`].
const DECLARED_SOURCE: &str =
    "Thay đổi do quản trị viên nhập theo quyết định của cơ quan có thẩm quyền";

/// First year of the Labour Code 2019 (in force 1 January 2021), which added a second day to
/// the National Day holiday.
const LABOUR_CODE_2019_FROM: i32 = 2021;
const LABOUR_CODE_2019: &str = "Bộ luật Lao động 2019, Điều 112 (tính theo quy tắc)";
const LABOUR_CODE_2012: &str = "Bộ luật Lao động 2012, Điều 115 (tính theo quy tắc)";
const SUBSTITUTE_2019: &str = "Bộ luật Lao động 2019, Điều 111 khoản 3 (tính theo quy tắc)";
const SUBSTITUTE_2012: &str = "Bộ luật Lao động 2012, Điều 115 khoản 3 (tính theo quy tắc)";

/// The statutory holidays and substitute days of `year`, from the rules alone, unnamed:
/// [`Calendar`] names them with the rest of the year's schedule.
fn statutory_schedule(year: i32) -> Vec<SpecialDay> {
    let (source, substitute_source) = if year >= LABOUR_CODE_2019_FROM {
        (LABOUR_CODE_2019, SUBSTITUTE_2019)
    } else {
        (LABOUR_CODE_2012, SUBSTITUTE_2012)
    };
    let ymd = |m, d| Date::from_ymd(year, m, d).expect("fixed holiday exists every year");
    let mut holidays: Vec<Date> = vec![ymd(1, 1)];

    let tet = lunar::lunar_new_year(year).expect("year checked by caller");
    let first = if tet.weekday() == crate::Weekday::Tuesday {
        -1
    } else {
        -2
    };
    holidays.extend((first..first + 5).map(|offset| tet + offset));

    holidays.push(lunar::from_lunar(LunarDate::new(year, 3, 10)).expect("10/3 exists every year"));
    holidays.push(ymd(4, 30));
    holidays.push(ymd(5, 1));
    let national_day = ymd(9, 2);
    holidays.push(national_day);
    if year >= LABOUR_CODE_2019_FROM {
        use crate::Weekday::{Monday, Thursday};
        let adjacent = if matches!(national_day.weekday(), Monday | Thursday) {
            national_day + 1
        } else {
            national_day - 1
        };
        holidays.push(adjacent);
    }
    holidays.sort();

    let day = |date, kind, source: &str| SpecialDay {
        date,
        kind,
        name: String::new(),
        note: None,
        announced: false,
        source: source.to_owned(),
    };
    let mut days: Vec<SpecialDay> = Vec::new();
    let mut taken = holidays.clone();
    for (i, &date) in holidays.iter().enumerate() {
        // Two holidays on one day (Giỗ Tổ can fall on 30/4) would otherwise cost a day off.
        let coincides = i > 0 && holidays[i - 1] == date;
        if !coincides {
            days.push(day(date, DayKind::Holiday, source));
        }
        if coincides || date.weekday().is_weekend() {
            let mut sub = date + 1;
            while sub.weekday().is_weekend() || taken.contains(&sub) {
                sub = sub + 1;
            }
            taken.push(sub);
            days.push(day(sub, DayKind::Substitute, substitute_source));
        }
    }
    days.sort_by_key(|d| d.date);
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn kinds(days: &[SpecialDay]) -> Vec<(String, &'static str)> {
        days.iter()
            .map(|x| (x.date.to_string(), x.kind.code()))
            .collect()
    }

    #[test]
    fn bad_rows_name_their_line() {
        let header = "date,kind,name,year,verified,source\n";
        for (row, wanted) in [
            ("2026-02-30,holiday,x,2026,y,s", "ngày không tồn tại"),
            ("2026-02-16,party,x,2026,y,s", "loại ngày lạ"),
            ("2026-02-16,holiday,x,2025,y,s", "không khớp"),
            ("2026-02-16,holiday,x,2026,maybe,s", "verified"),
            ("2026-02-16,holiday,x,2026,y", "6 cột"),
        ] {
            let err = parse_holidays_csv(&format!("{header}{row}\n")).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("dòng 2") && text.contains(wanted), "{text}");
        }
    }

    #[test]
    fn tet_on_a_tuesday_fills_the_week() {
        // 2019: Tết on Tuesday 5 February; the announced block was 4–8 February.
        let calendar = Calendar::rules_only();
        let tet: Vec<_> = calendar
            .special_days(2019)
            .unwrap()
            .iter()
            .filter(|x| x.name.starts_with("Tết Nguyên đán"))
            .map(|x| x.date.to_string())
            .collect();
        assert_eq!(
            tet,
            [
                "2019-02-04",
                "2019-02-05",
                "2019-02-06",
                "2019-02-07",
                "2019-02-08"
            ]
        );
    }

    #[test]
    fn weekend_holidays_get_the_next_free_weekday() {
        // 2023: Giỗ Tổ on Saturday 29/4, 30/4 on Sunday, 1/5 on Monday.
        let days = statutory_schedule(2023);
        let around_may: Vec<_> = kinds(&days)
            .into_iter()
            .filter(|(date, _)| date.as_str() >= "2023-04-28" && date.as_str() <= "2023-05-05")
            .collect();
        assert_eq!(
            around_may,
            [
                ("2023-04-29".to_owned(), "holiday"),
                ("2023-04-30".to_owned(), "holiday"),
                ("2023-05-01".to_owned(), "holiday"),
                ("2023-05-02".to_owned(), "substitute"),
                ("2023-05-03".to_owned(), "substitute"),
            ]
        );
    }

    #[test]
    fn national_day_is_single_before_2021() {
        let days = statutory_schedule(2020);
        assert!(
            days.iter()
                .all(|x| x.date != d("2020-09-01") && x.date != d("2020-09-03"))
        );
        let days = statutory_schedule(2021);
        assert!(days.iter().any(|x| x.date == d("2021-09-03")));
    }

    #[test]
    fn year_rows_replace_and_restore() {
        let mut calendar = Calendar::rules_only();
        let worked = d("2030-01-05");
        assert!(!calendar.is_working_day(worked).unwrap());
        let row = SpecialDay {
            date: worked,
            kind: DayKind::SwapWork,
            name: "Làm bù".into(),
            note: None,
            announced: true,
            source: "test".into(),
        };
        calendar.set_year_rows(2030, vec![row]).unwrap();
        assert!(calendar.is_announced(2030));
        assert!(calendar.is_working_day(worked).unwrap());
        // An announced year is taken as complete: 1 January is no longer computed.
        assert!(calendar.is_working_day(d("2030-01-01")).unwrap());
        calendar.set_year_rows(2030, Vec::new()).unwrap();
        assert!(!calendar.is_working_day(worked).unwrap());
        assert!(!calendar.is_working_day(d("2030-01-01")).unwrap());
        let stray = SpecialDay {
            date: worked,
            kind: DayKind::Holiday,
            name: "x".into(),
            note: None,
            announced: true,
            source: "test".into(),
        };
        assert!(calendar.set_year_rows(2031, vec![stray]).is_err());
    }

    #[test]
    fn declared_days_override_the_schedule() {
        let mut calendar = Calendar::new();
        // 2025-09-01 is already a day off (joined to Quốc khánh); 2025-09-05 a Friday; 2025-09-06
        // a Saturday; 2022-12-31 a Saturday.
        let friday = d("2025-09-05");
        let saturday = d("2025-09-06");
        let holiday = d("2025-09-01");
        let before = calendar.add_working_days(d("2025-09-04"), 2).unwrap();
        assert_eq!(before, d("2025-09-08"));
        calendar
            .declare(friday, false, "Nghỉ theo Quyết định 1/QĐ-TTg")
            .unwrap();
        calendar
            .declare(saturday, true, "Làm bù theo Quyết định 1/QĐ-TTg")
            .unwrap();
        calendar.declare(holiday, true, "Làm việc").unwrap();
        assert!(!calendar.is_working_day(friday).unwrap());
        assert!(calendar.is_working_day(saturday).unwrap());
        assert!(calendar.is_working_day(holiday).unwrap());
        // Friday off, Saturday worked: two working days after Thursday is Monday.
        assert_eq!(
            calendar.add_working_days(d("2025-09-04"), 2).unwrap(),
            d("2025-09-08")
        );
        assert_eq!(
            calendar.add_working_days(d("2025-09-04"), 1).unwrap(),
            saturday
        );
        let days = calendar.special_days(2025).unwrap();
        let on = |date: Date| days.iter().filter(|x| x.date == date).collect::<Vec<_>>();
        assert_eq!(on(holiday).len(), 1);
        assert_eq!(on(holiday)[0].kind, DayKind::DeclaredWorking);
        assert_eq!(on(friday)[0].kind, DayKind::DeclaredOff);
        assert_eq!(on(friday)[0].name, "Nghỉ theo Quyết định 1/QĐ-TTg");
        assert!(days.windows(2).all(|w| w[0].date <= w[1].date));
        // The other days keep their names; a later year change keeps the declarations.
        assert!(on(d("2025-09-02"))[0].name.starts_with("Quốc khánh"));
        calendar.set_year_rows(2025, Vec::new()).unwrap();
        assert!(calendar.is_working_day(saturday).unwrap());
        // Declared again, the last declaration wins; out of range is refused.
        calendar.declare(saturday, false, "Đổi lại").unwrap();
        assert!(!calendar.is_working_day(saturday).unwrap());
        assert!(calendar.declare(d("2200-01-01"), false, "x").is_err());
        for kind in [DayKind::DeclaredOff, DayKind::DeclaredWorking] {
            assert_eq!(DayKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn arithmetic_at_the_edges_of_the_table() {
        let calendar = Calendar::rules_only();
        let last = calendar.last_day();
        assert!(calendar.add_working_days(last, 1).is_err());
        assert!(calendar.add_working_days(calendar.first_day(), -1).is_err());
        assert!(calendar.is_working_day(d("1899-12-31")).is_err());
        let last_working = calendar.add_working_days(last, -1).unwrap();
        let last_counts = i32::from(calendar.is_working_day(last).unwrap());
        assert_eq!(
            calendar.working_days_between(last_working, last).unwrap(),
            last_counts
        );
        assert_eq!(
            calendar.add_working_days(calendar.first_day(), 1).unwrap(),
            d("1900-01-02")
        );
    }
}
