//! Tết (lunar 1/1) for every year 1900–2100 against published tables.
//!
//! `HND_TET` is decoded from Hồ Ngọc Đức's precomputed year tables `TK20`, `TK21` and the first
//! entry of `TK22` in his `amlich-hnd.js` (© 2004 Hồ Ngọc Đức, the tables behind his online
//! calendar at informatik.uni-leipzig.de/~duc/amlich; read from the copy in the public
//! repository jdavid54/amlich, file `amlich-hnd_2026.js`). Each year code's bits 17 and up are
//! the days from 1 January to Tết. Nothing in this crate produced these dates.
//!
//! In four years before 1968 that table gives Tết one day later than the UTC+7 rules:
//! the new moon fell between 23:00 and 24:00 Hanoi time (1903, 1935, 1965), which puts it on
//! the next day at the Chinese meridian, or the table differs for a reason it does not state
//! (1925). Vietnam computed its calendar for UTC+8 until the switch to UTC+7 that took effect
//! in 1968, so the table presumably records the calendar then in use. This crate computes the
//! modern rules for every year; for those four years `UTC7_DATES` holds the UTC+7 date, which
//! a second independent source confirms: the Vietnamese calendar of the Python package
//! `holidays` 0.109 (`holidays.calendars.chinese`, `VIETNAMESE_CALENDAR`), whose Tết dates
//! for 1901–2100 agree with this crate in every year.
use vn_calendar::{Date, LunarDate, from_lunar, lunar_new_year};

/// Tết of 1900, 1901, …, 2100 from Hồ Ngọc Đức's table.
const HND_TET: [&str; 201] = [
    "1900-01-31",
    "1901-02-19",
    "1902-02-08",
    "1903-01-29",
    "1904-02-16",
    "1905-02-04",
    "1906-01-25",
    "1907-02-13",
    "1908-02-02",
    "1909-01-22",
    "1910-02-10",
    "1911-01-30",
    "1912-02-18",
    "1913-02-06",
    "1914-01-26",
    "1915-02-14",
    "1916-02-03",
    "1917-01-23",
    "1918-02-11",
    "1919-02-01",
    "1920-02-20",
    "1921-02-08",
    "1922-01-28",
    "1923-02-16",
    "1924-02-05",
    "1925-01-25",
    "1926-02-13",
    "1927-02-02",
    "1928-01-23",
    "1929-02-10",
    "1930-01-30",
    "1931-02-17",
    "1932-02-06",
    "1933-01-26",
    "1934-02-14",
    "1935-02-04",
    "1936-01-24",
    "1937-02-11",
    "1938-01-31",
    "1939-02-19",
    "1940-02-08",
    "1941-01-27",
    "1942-02-15",
    "1943-02-05",
    "1944-01-25",
    "1945-02-13",
    "1946-02-02",
    "1947-01-22",
    "1948-02-10",
    "1949-01-29",
    "1950-02-17",
    "1951-02-06",
    "1952-01-27",
    "1953-02-14",
    "1954-02-03",
    "1955-01-24",
    "1956-02-12",
    "1957-01-31",
    "1958-02-18",
    "1959-02-08",
    "1960-01-28",
    "1961-02-15",
    "1962-02-05",
    "1963-01-25",
    "1964-02-13",
    "1965-02-02",
    "1966-01-21",
    "1967-02-09",
    "1968-01-29",
    "1969-02-16",
    "1970-02-06",
    "1971-01-27",
    "1972-02-15",
    "1973-02-03",
    "1974-01-23",
    "1975-02-11",
    "1976-01-31",
    "1977-02-18",
    "1978-02-07",
    "1979-01-28",
    "1980-02-16",
    "1981-02-05",
    "1982-01-25",
    "1983-02-13",
    "1984-02-02",
    "1985-01-21",
    "1986-02-09",
    "1987-01-29",
    "1988-02-17",
    "1989-02-06",
    "1990-01-27",
    "1991-02-15",
    "1992-02-04",
    "1993-01-23",
    "1994-02-10",
    "1995-01-31",
    "1996-02-19",
    "1997-02-07",
    "1998-01-28",
    "1999-02-16",
    "2000-02-05",
    "2001-01-24",
    "2002-02-12",
    "2003-02-01",
    "2004-01-22",
    "2005-02-09",
    "2006-01-29",
    "2007-02-17",
    "2008-02-07",
    "2009-01-26",
    "2010-02-14",
    "2011-02-03",
    "2012-01-23",
    "2013-02-10",
    "2014-01-31",
    "2015-02-19",
    "2016-02-08",
    "2017-01-28",
    "2018-02-16",
    "2019-02-05",
    "2020-01-25",
    "2021-02-12",
    "2022-02-01",
    "2023-01-22",
    "2024-02-10",
    "2025-01-29",
    "2026-02-17",
    "2027-02-06",
    "2028-01-26",
    "2029-02-13",
    "2030-02-02",
    "2031-01-23",
    "2032-02-11",
    "2033-01-31",
    "2034-02-19",
    "2035-02-08",
    "2036-01-28",
    "2037-02-15",
    "2038-02-04",
    "2039-01-24",
    "2040-02-12",
    "2041-02-01",
    "2042-01-22",
    "2043-02-10",
    "2044-01-30",
    "2045-02-17",
    "2046-02-06",
    "2047-01-26",
    "2048-02-14",
    "2049-02-02",
    "2050-01-23",
    "2051-02-11",
    "2052-02-01",
    "2053-02-18",
    "2054-02-08",
    "2055-01-28",
    "2056-02-15",
    "2057-02-04",
    "2058-01-24",
    "2059-02-12",
    "2060-02-02",
    "2061-01-21",
    "2062-02-09",
    "2063-01-29",
    "2064-02-17",
    "2065-02-05",
    "2066-01-26",
    "2067-02-14",
    "2068-02-03",
    "2069-01-23",
    "2070-02-11",
    "2071-01-31",
    "2072-02-19",
    "2073-02-07",
    "2074-01-27",
    "2075-02-15",
    "2076-02-05",
    "2077-01-24",
    "2078-02-12",
    "2079-02-02",
    "2080-01-22",
    "2081-02-09",
    "2082-01-29",
    "2083-02-17",
    "2084-02-06",
    "2085-01-26",
    "2086-02-14",
    "2087-02-03",
    "2088-01-24",
    "2089-02-10",
    "2090-01-30",
    "2091-02-18",
    "2092-02-07",
    "2093-01-27",
    "2094-02-15",
    "2095-02-05",
    "2096-01-25",
    "2097-02-12",
    "2098-02-01",
    "2099-01-21",
    "2100-02-09",
];

/// Years where the UTC+7 computation and `holidays`' Vietnamese calendar differ from HND_TET.
const UTC7_DATES: [(i32, &str); 4] = [
    (1903, "1903-01-28"),
    (1925, "1925-01-24"),
    (1935, "1935-02-03"),
    (1965, "1965-02-01"),
];

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn tet_matches_the_reference_table_1900_to_2100() {
    let mut wrong = Vec::new();
    for (year, published) in (1900..=2100).zip(HND_TET) {
        let expected = UTC7_DATES
            .iter()
            .find(|(y, _)| *y == year)
            .map_or(published, |(_, date)| date);
        let computed = lunar_new_year(year).unwrap();
        if computed != d(expected) {
            wrong.push(format!("{year}: computed {computed}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn historical_differences_are_one_day_each() {
    for (year, utc7) in UTC7_DATES {
        let published = d(HND_TET[(year - 1900) as usize]);
        assert_eq!(published - d(utc7), 1, "{year}");
    }
}

#[test]
fn years_where_the_chinese_calendar_differs() {
    // China: 1985-02-20, because at UTC+8 that cycle's leap month is the 10th of 1984, while
    // at UTC+7 it is the 2nd of 1985, so Vietnam's first month comes one month earlier;
    // 2007-02-18 (new moon at 23:15 Hanoi time, 00:15 Beijing time).
    assert_eq!(lunar_new_year(1985).unwrap(), d("1985-01-21"));
    let leap_second_1985 = LunarDate {
        leap: true,
        ..LunarDate::new(1985, 2, 1)
    };
    assert!(from_lunar(leap_second_1985).is_ok());
    let leap_tenth_1984 = LunarDate {
        leap: true,
        ..LunarDate::new(1984, 10, 1)
    };
    assert!(from_lunar(leap_tenth_1984).is_err());
    assert_eq!(lunar_new_year(2007).unwrap(), d("2007-02-17"));
    // Tết Mậu Thân: the North, already on UTC+7, celebrated on 29 January.
    assert_eq!(lunar_new_year(1968).unwrap(), d("1968-01-29"));
}

#[test]
fn tet_of_the_announced_years() {
    // The lunar New Year inside each announced Tết block of holidays-2020-2027.csv.
    for (year, tet) in [
        (2020, "2020-01-25"),
        (2021, "2021-02-12"),
        (2022, "2022-02-01"),
        (2023, "2023-01-22"),
        (2024, "2024-02-10"),
        (2025, "2025-01-29"),
        (2026, "2026-02-17"),
        (2027, "2027-02-06"),
    ] {
        assert_eq!(lunar_new_year(year).unwrap(), d(tet), "{year}");
    }
}
