//! `nhiemvu`: the command line of the platform.
//!
//! Exit status follows PRODUCT.md: 0 done, 1 refused by a rule, 2 unreadable input or usage.

mod calendar_cmd;
mod eval_cmd;
mod parse_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "nhiemvu", version, about = "Theo dõi nhiệm vụ từ văn bản chỉ đạo")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Đọc văn bản và in kết quả phân tích (nhiemvu.document/1)
    Parse(parse_cmd::ParseArgs),
    /// Lịch làm việc: ngày nghỉ của một năm, cộng ngày làm việc
    Calendar(calendar_cmd::CalendarArgs),
    /// Đánh giá bộ phân tích trên kho văn bản có nhãn chuẩn
    Eval(eval_cmd::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse_cmd::run(args),
        Command::Calendar(args) => calendar_cmd::run(args),
        Command::Eval(args) => eval_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("nhiemvu: lỗi: {err:#}");
            ExitCode::from(2)
        }
    }
}
