//! Deadlines as directives state them, turned into the contract's kinds.
//!
//! | written | kind | date |
//! |---|---|---|
//! | "trước ngày 20/02/2025", "chậm nhất đến ngày 01 tháng 7 năm 2028" | `date` | that day |
//! | "trong năm 2022", "Quý II/2026", "trong tháng 5/2026", "trong giai đoạn 2021-2025" | `period` | last day |
//! | "trong 10 ngày làm việc kể từ ngày ký" | `date` | counted from the document's date |
//! | "hằng tháng", "định kỳ", "thường xuyên" | `recurring` | — |
//! | "khi có yêu cầu", "theo yêu cầu" | `on_request` | — |
//! | "Sau khi …", "Khi …" opening the task | `conditional` | — |
//!
//! A window needs a word that makes it a deadline ("trong", "hoàn thành", "xong", "trước"):
//! "Đề án … giai đoạn 2021-2025" and "Quy hoạch … đến năm 2030" name a plan, not a due date.
//! The day is kept as written; moving a due day off a holiday is the tracker's job.

use std::sync::{LazyLock, OnceLock};

use vn_calendar::{Calendar, Date};

use crate::Deadline;
use crate::phrases::{self, Phrases};

/// One deadline phrase found in a text.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    kind: &'static str,
    date: Option<Date>,
    text: String,
    every: Option<&'static str>,
    at: usize,
}

/// Reads the deadline of a task's text. `issued` is the document's date, the start of
/// relative limits ("kể từ ngày ký").
pub(crate) fn read(text: &str, issued: Option<Date>) -> Deadline {
    read_prepared(text, &crate::layout::lowercase_keeping_offsets(text), &crate::layout::Folded::new(text), issued)
}

/// [`read`] of a text whose lower case (`lowercase_keeping_offsets`) and fold are at hand.
pub(crate) fn read_prepared(text: &str, lower: &str, folded: &crate::layout::Folded<'_>, issued: Option<Date>) -> Deadline {
    let found = find_all(text, lower, folded, issued);
    // An explicit day wins; then what recurs (it sets how the task is tracked), then a window,
    // then a request-driven or conditional deadline.
    let rank = |f: &Found| match f.kind {
        "date" if f.date.is_some() => 0,
        "recurring" => 1,
        "period" => 2,
        "date" => 3,
        "on_request" => 4,
        _ => 5,
    };
    match found.into_iter().min_by_key(|f| (rank(f), f.at)) {
        Some(f) => Deadline { kind: f.kind.to_owned(), date: f.date.map(|d| d.to_string()), text: Some(f.text), every: f.every.map(str::to_owned) },
        None => none(),
    }
}

/// No deadline stated.
pub(crate) fn none() -> Deadline {
    Deadline { kind: "none".to_owned(), date: None, text: None, every: None }
}

fn calendar() -> &'static Calendar {
    static CALENDAR: OnceLock<Calendar> = OnceLock::new();
    CALENDAR.get_or_init(Calendar::new)
}

/// Every deadline phrase of `text`; offsets found in `lower` cut `text`.
fn find_all(text: &str, lower: &str, folded: &crate::layout::Folded<'_>, issued: Option<Date>) -> Vec<Found> {
    let mut out = Vec::new();
    // Days, windows and counted limits all carry a number.
    if text.bytes().any(|b| b.is_ascii_digit()) {
        let hits = dated_markers(lower);
        explicit_days(text, lower, &hits, &mut out);
        windows(text, lower, &hits, &mut out);
        relative(text, lower, issued, &hits, &mut out);
    }
    recurring(text, lower, &mut out);
    // "theo yêu cầu" alone means "as required"; a request-driven deadline names who asks.
    // Compared folded: OCR misreads tones ("theo yêu câu của").
    // All three ask "yêu cầu": one look rules most texts out.
    if folded.contains("yeu cau") {
        for marker in ["khi co yeu cau", "theo yeu cau cua", "khi duoc yeu cau"] {
            if let Some(at) = folded.find(marker) {
                let end = text[at..].char_indices().nth(marker.chars().count()).map_or(text.len(), |(i, _)| at + i);
                out.push(Found { kind: "on_request", date: None, text: text[at..end].to_owned(), every: None, at });
            }
        }
    }
    if let Some(condition) = conditional(text, lower) {
        out.push(condition);
    }
    out
}

/// Where the markers of the readers of days, windows and limits occur in a lower-cased text:
/// a task's text is read for a dozen markers, one pass finds them all.
fn dated_markers(lower: &str) -> phrases::Found<'static> {
    static MARKERS: LazyLock<Phrases> = LazyLock::new(|| {
        let mut all: Vec<&'static str> = Vec::new();
        for m in EXPLICIT_MARKERS.iter().chain(&WINDOW_MARKERS).chain(&["trong"]) {
            if !all.contains(m) {
                all.push(m);
            }
        }
        Phrases::new(&all)
    });
    MARKERS.scan(lower)
}

const EXPLICIT_MARKERS: [&str; 7] = ["chậm nhất", "trước ngày", "trước", "đến ngày", "hạn chót", "thời hạn", "trong ngày"];

/// "trước ngày 20/02/2025", "chậm nhất đến ngày 01/7/2028", "hoàn thành trước 30/6/2026".
fn explicit_days(text: &str, lower: &str, hits: &phrases::Found<'_>, out: &mut Vec<Found>) {
    for marker in EXPLICIT_MARKERS {
        for at in hits.of_phrase(marker) {
            if !at_word_start(lower, at) {
                continue;
            }
            let mut rest = at + marker.len();
            // "chậm nhất (là) (đến|trước) (ngày)"
            for filler in [" là", " đến", " trước", " vào", " ngày", ":"] {
                if lower[rest..].starts_with(filler) {
                    rest += filler.len();
                }
            }
            if out.iter().any(|f| f.at <= at && at < f.at + f.text.len()) {
                continue;
            }
            if let Some((date, len)) = legal_ref::dates::date_at(&text[rest..]) {
                let end = rest + len;
                out.push(Found { kind: "date", date: Some(date), text: text[at..end].trim().to_owned(), every: None, at });
            } else if let Some(len) = garbled_date(&text[rest..]) {
                // "trước ngày 4?./40/2025": a day was set, OCR made it unreadable; it is not guessed.
                out.push(Found { kind: "date", date: None, text: text[at..rest + len].trim().to_owned(), every: None, at });
            }
        }
    }
}

/// The byte length of a day as OCR garbles it (`4?./40/2025`, `1O/12/2025`): one word of
/// digits, slashes and stray marks with a year at its end, that reads as no date.
fn garbled_date(s: &str) -> Option<usize> {
    let lead = s.len() - s.trim_start().len();
    let word = s[lead..].split_whitespace().next()?.trim_end_matches([',', ';', ')']);
    let parts: Vec<&str> = word.split('/').collect();
    let year = parts.last()?.trim_end_matches('.');
    let year_like = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    (parts.len() == 3 && year_like && digits >= 5 && word.chars().all(|c| c.is_ascii_digit() || "/.?!'`IlOo".contains(c))).then_some(lead + word.len())
}

/// Words that make a following window a deadline.
const WINDOW_MARKERS: [&str; 6] = ["trong", "hoàn thành", "xong", "trước", "ngay trong", "chậm nhất"];

/// "trong năm 2022", "trong tháng 5/2026", "quý II/2026", "6 tháng đầu năm 2026",
/// "trong giai đoạn 2021-2025".
fn windows(text: &str, lower: &str, hits: &phrases::Found<'_>, out: &mut Vec<Found>) {
    for marker in WINDOW_MARKERS {
        for at in hits.of_phrase(marker) {
            if !at_word_start(lower, at) {
                continue;
            }
            let start = at + marker.len();
            let rest = lower[start..].trim_start();
            let offset = lower.len() - rest.len();
            if let Some((date, len)) = window_at(rest) {
                if out.iter().any(|f| f.at == at) {
                    continue;
                }
                out.push(Found { kind: "period", date: Some(date), text: text[at..offset + len].to_owned(), every: None, at });
            }
        }
    }
}

/// The last day of a window written at the start of `s` (lower case), and the bytes read.
fn window_at(s: &str) -> Option<(Date, usize)> {
    let mut p = Cursor::new(s);
    if p.eat("năm ") {
        let year = p.year()?;
        return Some((Date::from_ymd(year, 12, 31).ok()?, p.at));
    }
    if p.eat("quý ") {
        let quarter = p.roman_or_number()?;
        p.eat_any(&["/", " năm ", " "]);
        let year = p.year()?;
        let month = match quarter {
            1..=4 => quarter * 3,
            _ => return None,
        };
        return Some((last_day(year, month)?, p.at));
    }
    if p.eat("6 tháng đầu năm ") {
        let year = p.year()?;
        return Some((Date::from_ymd(year, 6, 30).ok()?, p.at));
    }
    if p.eat("6 tháng cuối năm ") {
        let year = p.year()?;
        return Some((Date::from_ymd(year, 12, 31).ok()?, p.at));
    }
    if p.eat("tháng ") {
        let month = p.number(2)?;
        if !p.eat_any(&["/", " năm ", "-"]) {
            return None;
        }
        let year = p.year()?;
        return Some((last_day(year, month)?, p.at));
    }
    if p.eat("giai đoạn ") || p.eat("thời kỳ ") {
        let _from = p.year()?;
        p.eat_any(&[" - ", "-", " – ", "–", " đến "]);
        let to = p.year()?;
        return Some((Date::from_ymd(to, 12, 31).ok()?, p.at));
    }
    None
}

fn last_day(year: i32, month: u32) -> Option<Date> {
    if !(1..=12).contains(&month) {
        return None;
    }
    Date::from_ymd(year, month, vn_calendar::days_in_month(year, month)).ok()
}

/// "trong 10 ngày làm việc kể từ ngày ký", "trong thời hạn 15 ngày", "trong vòng 03 tháng".
fn relative(text: &str, lower: &str, issued: Option<Date>, hits: &phrases::Found<'_>, out: &mut Vec<Found>) {
    for at in hits.of_phrase("trong") {
        if !at_word_start(lower, at) {
            continue;
        }
        let mut p = Cursor::new(&lower[at + "trong".len()..]);
        p.eat(" ");
        for filler in ["thời hạn ", "vòng ", "thời gian ", "hạn "] {
            p.eat(filler);
        }
        let Some(n) = p.number(3) else { continue };
        p.eat(" ");
        let unit = if p.eat("ngày làm việc") {
            Unit::WorkingDays
        } else if p.eat("ngày") {
            Unit::Days
        } else if p.eat("tháng") {
            Unit::Months
        } else {
            continue;
        };
        let end = at + "trong".len() + p.at;
        // The limit runs from the document's date only when it says so or says nothing else.
        let tail = &lower[end..];
        let from_issue = tail.trim_start().starts_with("kể từ ngày ký")
            || tail.trim_start().starts_with("kể từ ngày ban hành")
            || !tail.trim_start().starts_with("kể từ");
        let date = issued.filter(|_| from_issue).and_then(|d| match unit {
            Unit::WorkingDays => calendar().add_working_days(d, n as i32).ok(),
            Unit::Days => Some(d.add_days(n as i32)),
            Unit::Months => d.add_months(n as i32),
        });
        let text_end = clause_end(lower, end);
        out.push(Found { kind: "date", date, text: text[at..text_end].trim().to_owned(), every: None, at });
    }
}

enum Unit {
    WorkingDays,
    Days,
    Months,
}

/// Words of what recurs, with the period they set.
const EVERY: [(&str, Option<&str>); 12] = [
    ("hằng tháng", Some("month")),
    ("hàng tháng", Some("month")),
    ("hằng quý", Some("quarter")),
    ("hàng quý", Some("quarter")),
    ("hằng năm", Some("year")),
    ("hàng năm", Some("year")),
    ("hằng tuần", None),
    ("hàng tuần", None),
    ("định kỳ", None),
    ("thường xuyên", None),
    ("hằng ngày", None),
    ("hàng ngày", None),
];

/// "hằng tháng", "hàng quý", "định kỳ", "thường xuyên".
fn recurring(text: &str, lower: &str, out: &mut Vec<Found>) {
    static WORDS: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(&EVERY.map(|(w, _)| w)));
    // Every word starts with one of these: most texts have none.
    if !["hằng ", "hàng ", "định kỳ", "thường xuyên"].iter().any(|w| lower.contains(w)) {
        return;
    }
    let found = WORDS.scan(lower);
    let mut hits: Vec<(usize, &str, Option<&str>)> = Vec::new();
    for (word, every) in EVERY {
        for at in found.of_phrase(word) {
            if at_word_start(lower, at) {
                hits.push((at, word, every));
            }
        }
    }
    let Some(&(at, word, _)) = hits.iter().min_by_key(|h| h.0) else { return };
    // One stated period sets `every`; several ("định kỳ 6 tháng, hàng năm") leave it open.
    let periods: Vec<&str> = hits.iter().filter_map(|h| h.2).collect();
    let every = match periods.as_slice() {
        [one] => Some(*one),
        [first, rest @ ..] if rest.iter().all(|p| p == first) => Some(*first),
        _ => None,
    };
    out.push(Found { kind: "recurring", date: None, text: text[at..at + word.len()].to_owned(), every, at });
}

/// A task that opens with its condition: "Sau khi cấp thẩm quyền ban hành …, chủ trì …".
fn conditional(text: &str, lower: &str) -> Option<Found> {
    let start = lower.len() - lower.trim_start().len();
    let body = &lower[start..];
    if !(body.starts_with("sau khi ") || body.starts_with("khi ")) {
        return None;
    }
    let end = clause_end(lower, start);
    Some(Found { kind: "conditional", date: None, text: text[start..end].trim().to_owned(), every: None, at: start })
}

/// The end of the clause that starts at or before `from`: the next comma, semicolon or stop.
fn clause_end(s: &str, from: usize) -> usize {
    s[from..].find([',', ';', '.', ':']).map_or(s.len(), |p| from + p)
}

fn at_word_start(s: &str, at: usize) -> bool {
    s[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

/// A small cursor over lower-case text.
struct Cursor<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { s, at: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn eat_any(&mut self, tokens: &[&str]) -> bool {
        tokens.iter().any(|t| self.eat(t))
    }

    fn number(&mut self, max: usize) -> Option<u32> {
        let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > max {
            return None;
        }
        let n = self.rest()[..digits].parse().ok();
        self.at += digits;
        n
    }

    fn year(&mut self) -> Option<i32> {
        let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        if digits != 4 {
            return None;
        }
        let year: i32 = self.rest()[..4].parse().ok()?;
        self.at += 4;
        (1945..=2200).contains(&year).then_some(year)
    }

    /// `II`, `iv` (lower-cased Roman numerals) or `2`.
    fn roman_or_number(&mut self) -> Option<u32> {
        for (roman, value) in [("iv", 4), ("iii", 3), ("ii", 2), ("i", 1)] {
            if self.rest().starts_with(roman) && !self.rest()[roman.len()..].starts_with(|c: char| c.is_alphabetic()) {
                self.at += roman.len();
                return Some(value);
            }
        }
        self.number(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> (String, Option<String>, Option<String>) {
        let issued = Date::from_ymd(2026, 5, 4).ok();
        let dl = read(text, issued);
        (dl.kind, dl.date, dl.text)
    }

    #[test]
    fn explicit_days() {
        assert_eq!(d("Hoàn thành và báo cáo UBND tỉnh trước ngày 20/02/2025."), ("date".into(), Some("2025-02-20".into()), Some("trước ngày 20/02/2025".into())));
        assert_eq!(d("chậm nhất đến ngày 01 tháng 7 năm 2028").1.as_deref(), Some("2028-07-01"));
        assert_eq!(d("báo cáo trước 15/4/2026").1.as_deref(), Some("2026-04-15"));
    }

    #[test]
    fn a_day_garbled_by_ocr_is_a_date_not_guessed() {
        assert_eq!(d("gửi về Bộ Y tế trước ngày 4?./40/2025 để tổng hợp."), ("date".into(), None, Some("trước ngày 4?./40/2025".into())));
        assert_eq!(d("trước ngày làm việc đầu tiên").0, "none");
    }

    #[test]
    fn request_driven_deadlines_survive_misread_tones() {
        assert_eq!(d("tham gia kiểm tra theo yêu câu của Thanh tra tỉnh.").0, "on_request");
        assert_eq!(d("cung cấp số liệu khi có yêu cầu").2.as_deref(), Some("khi có yêu cầu"));
    }

    #[test]
    fn windows() {
        assert_eq!(d("trong năm 2022 tại Quảng Ngãi.").1.as_deref(), Some("2022-12-31"));
        assert_eq!(d("hoàn thành trong tháng 5/2026").1.as_deref(), Some("2026-05-31"));
        assert_eq!(d("xong trong Quý II/2026").1.as_deref(), Some("2026-06-30"));
        assert_eq!(d("dự án lớn trong giai đoạn 2021-2025 như").1.as_deref(), Some("2025-12-31"));
        assert_eq!(d("trong tháng 2/2024").1.as_deref(), Some("2024-02-29"));
        assert_eq!(d("dự án lớn trong giai đoạn 2021-2025 như").0, "period");
    }

    #[test]
    fn plan_titles_are_not_deadlines() {
        assert_eq!(d("Triển khai Đề án phát triển công nghiệp hỗ trợ đến năm 2025, tầm nhìn đến năm 2030").0, "none");
        assert_eq!(d("Quy hoạch tỉnh thời kỳ 2021-2030, tầm nhìn đến năm 2050 theo kế hoạch đề ra.").0, "none");
    }

    #[test]
    fn relative_limits_count_from_the_document_date() {
        // 2026-05-04 is a Monday: ten working days later is Monday 18 May.
        assert_eq!(d("trong 10 ngày làm việc kể từ ngày ký").1.as_deref(), Some("2026-05-18"));
        assert_eq!(d("trong thời hạn 15 ngày").1.as_deref(), Some("2026-05-19"));
        assert_eq!(read("trong 10 ngày làm việc kể từ ngày ký", None).date, None);
    }

    #[test]
    fn recurring_request_and_condition() {
        let r = read("Định kỳ hằng tháng báo cáo kết quả", None);
        assert_eq!((r.kind.as_str(), r.every.as_deref()), ("recurring", Some("month")));
        assert_eq!(read("thường xuyên kiểm tra", None).every, None);
        assert_eq!(d("tham mưu ý kiến (khi có yêu cầu).").0, "on_request");
        let c = d("Sau khi cấp thẩm quyền ban hành Quyết định thành lập, chủ trì phối hợp");
        assert_eq!(c.0, "conditional");
        assert_eq!(c.2.as_deref(), Some("Sau khi cấp thẩm quyền ban hành Quyết định thành lập"));
        assert_eq!(d("Triển khai xây dựng hệ thống kết nối.").0, "none");
    }
}
