//! `nhiemvu calendar YEAR` and `nhiemvu calendar add DATE N` (PRODUCT.md, command-line
//! conventions): a year's non-working days and Saturdays worked, and working-day arithmetic.
//!
//! Arguments are taken as text and checked here rather than by clap, so that a bad year or
//! date gets a Vietnamese message (clap's own are English); the error goes back to `main`,
//! which prints it and exits with status 2.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use vn_calendar::{Calendar, Date, SpecialDay};

/// Arguments of `nhiemvu calendar`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CalendarArgs {
    #[command(subcommand)]
    command: Option<CalendarCommand>,
    /// Năm cần liệt kê ngày nghỉ lễ, nghỉ bù, hoán đổi và làm bù (1900–2199)
    #[arg(value_name = "NĂM")]
    year: Option<String>,
    /// In JSON Lines (mỗi dòng một đối tượng)
    #[arg(long, global = true)]
    json: bool,
}

#[derive(clap::Subcommand)]
enum CalendarCommand {
    /// In ngày sau NGÀY đúng N ngày làm việc (không tính NGÀY; N âm: đếm lùi)
    Add {
        /// Ngày bắt đầu, dạng YYYY-MM-DD
        #[arg(value_name = "NGÀY")]
        date: String,
        /// Số ngày làm việc
        #[arg(value_name = "N", allow_hyphen_values = true)]
        n: String,
    },
}

/// Marks a day that is computed or projected rather than announced by the Government.
const NOT_ANNOUNCED: &str = "dự kiến, chưa công bố";

pub fn run(args: CalendarArgs) -> anyhow::Result<ExitCode> {
    let calendar = Calendar::new();
    let mut out = BufWriter::new(std::io::stdout().lock());
    match (args.command, args.year) {
        (Some(CalendarCommand::Add { date, n }), _) => {
            let start: Date = date.parse()?;
            let n: i32 = n
                .parse()
                .map_err(|_| anyhow!("số ngày làm việc không hợp lệ: {n:?} (cần một số nguyên)"))?;
            let end = calendar.add_working_days(start, n)?;
            if args.json {
                let line = serde_json::json!({
                    "date": start.to_string(),
                    "working_days": n,
                    "result": end.to_string(),
                });
                writeln!(out, "{line}")?;
            } else {
                writeln!(out, "{end}")?;
            }
        }
        (None, Some(year)) => {
            let year: i32 = year.parse().map_err(|_| {
                anyhow!("năm không hợp lệ: {year:?} (cần một năm từ 1900 đến 2199)")
            })?;
            for day in calendar.special_days(year)? {
                if args.json {
                    writeln!(out, "{}", json_line(day))?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}",
                        day.date,
                        day.kind.code(),
                        display_name(day)
                    )?;
                }
            }
        }
        (None, None) => {
            return Err(anyhow!(
                "thiếu NĂM hoặc lệnh add (ví dụ: nhiemvu calendar 2026, nhiemvu calendar add 2026-05-04 10)"
            ));
        }
    }
    out.flush().context("không ghi được ra đầu ra chuẩn")?;
    Ok(ExitCode::SUCCESS)
}

/// The name as printed in the tab-separated form, which has no column for the announcement
/// status: a day not yet announced says so in its name.
fn display_name(day: &SpecialDay) -> String {
    if day.announced {
        day.name.clone()
    } else {
        format!("{} ({NOT_ANNOUNCED})", day.name)
    }
}

/// `name` is the Vietnamese name without the status suffix, which `announced` carries;
/// `note` is the data's own wording (null for a day computed from the rules), kept beside
/// `source` so a script can trace where a day comes from.
fn json_line(day: &SpecialDay) -> serde_json::Value {
    serde_json::json!({
        "date": day.date.to_string(),
        "kind": day.kind.code(),
        "name": day.name,
        "announced": day.announced,
        "note": day.note,
        "source": day.source,
    })
}
