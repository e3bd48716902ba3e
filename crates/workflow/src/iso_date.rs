//! `Date` as ISO text in serialised values: `vn-calendar` stays free of serde, and the API and
//! the JSON Lines output write dates as `2023-01-03` everywhere.

use serde::Serializer;
use vn_calendar::Date;

pub(crate) fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

pub(crate) fn serialize_opt<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.collect_str(date),
        None => s.serialize_none(),
    }
}
