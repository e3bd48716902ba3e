//! Compiled reports (báo cáo tổng hợp) and urging letters (công văn đôn đốc): "Sở Kế hoạch và
//! Đầu tư chịu trách nhiệm theo dõi, đôn đốc và tổng hợp, báo cáo UBND tỉnh" made one command.
//!
//! - [`Period`]: the report periods of PRODUCT.md (`2022-12`, `2022-Q4`, `2022-H2`, `2022`,
//!   `2022-05-20..2022-12-31`).
//! - [`compile`] gathers a [`Report`] from the store: the five official counts overall and per
//!   lead agency from [`store::Store::official_counts`] (the dashboard's own code, so the
//!   figures cannot differ from the screen), the annex of every task from
//!   [`store::Store::annex_page`], and each agency's latest progress reports for the narrative.
//! - [`report_docx`] and [`urging_docx`] write Word files laid out per Decree 30/2020 Appendix I;
//!   [`write_xlsx`] streams the full annex into a workbook with a native bar chart and the
//!   emulation table; [`report_html`] is the same report with inline SVG charts.
//! - [`Templates`]: every phrase the documents print comes from `data/report-templates.csv`,
//!   which an administrator may replace; the program supplies only numbers, names and dates.
//!
//! Files are written directly as zip + XML strings (no document library): the parts are few,
//! the layout is fixed by decree, and a streamed annex needs control over how rows are written.
#![warn(missing_docs)]

mod compile;
mod docx;
mod error;
mod html;
mod period;
mod templates;
mod xlsx;
mod xml;

pub use compile::{
    AgencyResult, DOCX_ANNEX_CAP, EmulationRow, Report, ReportRequest, UrgeRequest, UrgingLetter,
    compile, emulation, urging_letters,
};
pub use docx::{report_docx, urging_docx};
pub use error::Error;
pub use html::report_html;
pub use period::Period;
pub use templates::Templates;
pub use xlsx::write_xlsx;

/// `dd/mm/yyyy`, as Vietnamese texts cite dates.
pub fn vn_date(d: vn_calendar::Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{day:02}/{m:02}/{y}")
}
