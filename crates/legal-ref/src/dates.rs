//! Dates as directives write them: `21/4/2022`, `08/10/2020`, `15 / 5 /2026`,
//! `ngày 01 tháng 7 năm 2028`, and the OCR and PDF variants seen in the corpus
//! (`13⁄11⁄2024` with the fraction slash, a line break inside the date).

use vn_calendar::Date;

/// Reads a date at the start of `s` (after optional spaces): `d/m/yyyy` with optional spaces
/// around the separators, `d-m-yyyy`, `d.m.yyyy`, `d⁄m⁄yyyy`, or `d tháng m năm yyyy`.
/// Returns the date and the byte length consumed. Impossible dates (`30/02/2024`),
/// two-digit years and partial dates (`21/4`, `tháng 5/2026`) are `None`.
pub fn date_at(s: &str) -> Option<(Date, usize)> {
    let mut p = Parser { s, at: 0 };
    p.spaces();
    let day = p.number(2)?;
    p.spaces();
    let month;
    if p.eat_any(SEPARATORS) {
        p.spaces();
        month = p.number(2)?;
        p.spaces();
        if !p.eat_any(SEPARATORS) {
            return None;
        }
    } else if p.eat_any(&["tháng"]) {
        p.spaces();
        month = p.number(2)?;
        p.spaces();
        if !p.eat_any(&["năm"]) {
            return None;
        }
    } else {
        return None;
    }
    p.spaces();
    let year = p.number(4).filter(|y| *y >= 1900)?;
    // A fifth digit means this was not a year ("21/4/20221").
    if p.s[p.at..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let date = Date::from_ymd(year as i32, month, day).ok()?;
    Some((date, p.at))
}

/// `⁄` (U+2044) is what some PDF text layers give for the slash.
const SEPARATORS: &[&str] = &["/", "-", ".", "\u{2044}"];

struct Parser<'a> {
    s: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn spaces(&mut self) {
        let rest = &self.s[self.at..];
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n']).len();
    }

    fn number(&mut self, max_digits: usize) -> Option<u32> {
        let rest = &self.s[self.at..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > max_digits {
            return None;
        }
        self.at += digits;
        rest[..digits].parse().ok()
    }

    fn eat_any(&mut self, tokens: &[&str]) -> bool {
        let rest = &self.s[self.at..];
        for t in tokens {
            if rest.starts_with(t) {
                self.at += t.len();
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::date_at;

    fn iso(s: &str) -> Option<String> {
        date_at(s).map(|(d, _)| d.to_string())
    }

    #[test]
    fn written_forms() {
        assert_eq!(iso("21/4/2022 của Chính phủ").as_deref(), Some("2022-04-21"));
        assert_eq!(iso("08/10/2020").as_deref(), Some("2020-10-08"));
        assert_eq!(iso(" 15 / 5 /2026").as_deref(), Some("2026-05-15"));
        assert_eq!(iso("01 tháng 7 năm 2028").as_deref(), Some("2028-07-01"));
        assert_eq!(iso("13⁄11⁄2024").as_deref(), Some("2024-11-13"));
        assert_eq!(iso("11\ntháng 3 năm 2026").as_deref(), Some("2026-03-11"));
        assert_eq!(date_at("21/4/2022 của").map(|(_, n)| n), Some(9));
    }

    #[test]
    fn impossible_or_partial_dates_are_rejected() {
        assert_eq!(iso("30/02/2024"), None);
        assert_eq!(iso("21/4"), None);
        assert_eq!(iso("tháng 5/2026"), None);
        assert_eq!(iso("123/4/2022"), None);
        assert_eq!(iso("16/8/2 019"), None);
        assert_eq!(iso("27 tháng 02 tháng 2026"), None);
        assert_eq!(iso("21/4/20221"), None);
    }
}
