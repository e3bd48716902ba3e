//! Report periods (PRODUCT.md: `--period` takes `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn`, `YYYY` or
//! `FROM..TO`). A report covers the period and is counted as of its last day.

use std::fmt;
use std::str::FromStr;

use vn_calendar::Date;

use crate::Error;

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A calendar month.
    Month(i32, u32),
    /// A quarter, 1–4.
    Quarter(i32, u32),
    /// A half year, 1–2.
    Half(i32, u32),
    /// A calendar year.
    Year(i32),
    /// Any span of days, both ends included.
    Custom(Date, Date),
}

impl Period {
    /// The first day.
    pub fn first(self) -> Date {
        let ymd = |y, m, d| Date::from_ymd(y, m, d).unwrap_or(Date::MIN);
        match self {
            Period::Month(y, m) => ymd(y, m, 1),
            Period::Quarter(y, q) => ymd(y, 3 * q - 2, 1),
            Period::Half(y, h) => ymd(y, 6 * h - 5, 1),
            Period::Year(y) => ymd(y, 1, 1),
            Period::Custom(from, _) => from,
        }
    }

    /// The last day: the day the report is counted as of.
    pub fn last(self) -> Date {
        let end =
            |y, m| Date::from_ymd(y, m, vn_calendar::days_in_month(y, m)).unwrap_or(Date::MAX);
        match self {
            Period::Month(y, m) => end(y, m),
            Period::Quarter(y, q) => end(y, 3 * q),
            Period::Half(y, h) => end(y, 6 * h),
            Period::Year(y) => end(y, 12),
            Period::Custom(_, to) => to,
        }
    }

    /// How a report's subject names it: "quý IV năm 2022", "6 tháng cuối năm 2022".
    pub fn label_vi(self) -> String {
        match self {
            Period::Month(y, m) => format!("tháng {m} năm {y}"),
            Period::Quarter(y, q) => {
                format!("quý {} năm {y}", ["I", "II", "III", "IV"][q as usize - 1])
            }
            Period::Half(y, 1) => format!("6 tháng đầu năm {y}"),
            Period::Half(y, _) => format!("6 tháng cuối năm {y}"),
            Period::Year(y) => format!("năm {y}"),
            Period::Custom(from, to) => format!(
                "từ ngày {} đến ngày {}",
                crate::vn_date(from),
                crate::vn_date(to)
            ),
        }
    }
}

impl FromStr for Period {
    type Err = Error;

    fn from_str(s: &str) -> Result<Period, Error> {
        let bad = || Error::Period(s.to_owned());
        let s = s.trim();
        if let Some((from, to)) = s.split_once("..") {
            let from: Date = from.trim().parse().map_err(|_| bad())?;
            let to: Date = to.trim().parse().map_err(|_| bad())?;
            return if from <= to {
                Ok(Period::Custom(from, to))
            } else {
                Err(bad())
            };
        }
        let year = |y: &str| {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1900..=2199).contains(y))
                .ok_or_else(bad)
        };
        let Some((y, rest)) = s.split_once('-') else {
            return Ok(Period::Year(year(s)?));
        };
        let y = year(y)?;
        let number = |t: &str, max: u32| {
            t.parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(bad)
        };
        match rest.as_bytes().first() {
            Some(b'Q' | b'q') => Ok(Period::Quarter(y, number(&rest[1..], 4)?)),
            Some(b'H' | b'h') => Ok(Period::Half(y, number(&rest[1..], 2)?)),
            _ if rest.len() == 2 => Ok(Period::Month(y, number(rest, 12)?)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Year(y) => write!(f, "{y}"),
            Period::Custom(a, b) => write!(f, "{a}..{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn every_form_of_product_md() {
        let cases = [
            ("2022-12", "2022-12-01", "2022-12-31", "tháng 12 năm 2022"),
            ("2022-Q4", "2022-10-01", "2022-12-31", "quý IV năm 2022"),
            ("2024-02", "2024-02-01", "2024-02-29", "tháng 2 năm 2024"),
            (
                "2022-H1",
                "2022-01-01",
                "2022-06-30",
                "6 tháng đầu năm 2022",
            ),
            (
                "2022-H2",
                "2022-07-01",
                "2022-12-31",
                "6 tháng cuối năm 2022",
            ),
            ("2022", "2022-01-01", "2022-12-31", "năm 2022"),
            (
                "2022-05-20..2022-12-31",
                "2022-05-20",
                "2022-12-31",
                "từ ngày 20/05/2022 đến ngày 31/12/2022",
            ),
        ];
        for (text, first, last, label) in cases {
            let p: Period = text.parse().unwrap();
            assert_eq!((p.first(), p.last()), (d(first), d(last)), "{text}");
            assert_eq!(p.label_vi(), label);
            assert_eq!(p.to_string(), text);
        }
    }

    #[test]
    fn malformed_periods_are_refused() {
        for text in [
            "",
            "2022-13",
            "2022-Q5",
            "2022-H3",
            "22",
            "2022-12-31..2022-01-01",
            "2022-1",
            "tháng 12",
        ] {
            assert!(text.parse::<Period>().is_err(), "{text}");
        }
    }
}
