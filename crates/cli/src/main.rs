//! `nhiemvu`: the command line of the platform.
//!
//! Exit status follows PRODUCT.md: 0 done, 1 refused by a rule, 2 unreadable input or usage.

mod backup_cmd;
mod bench_cmd;
mod calendar_cmd;
mod database;
mod demo_cmd;
mod eval_cmd;
mod export_cmd;
mod import_cmd;
mod load_cmd;
mod parse_cmd;
mod remind_cmd;
mod report_cmd;
mod serve_cmd;
mod tasks_cmd;
mod user_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "nhiemvu",
    version,
    about = "Theo dõi nhiệm vụ từ văn bản chỉ đạo"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Đọc văn bản và in kết quả phân tích (nhiemvu.document/1)
    Parse(parse_cmd::ParseArgs),
    /// Nhập văn bản vào cơ sở dữ liệu: ngay (--commit) hoặc qua tệp rà soát (--review)
    Import(import_cmd::ImportArgs),
    /// Xuất văn bản đã lưu thành gói edXML (QCVN 102:2016) để gửi qua trục liên thông
    Export(export_cmd::ExportArgs),
    /// Liệt kê nhiệm vụ đã lưu: cơ quan chủ trì hiện nay và lúc giao, thời hạn, tiến độ
    Tasks(tasks_cmd::TasksArgs),
    /// Nhắc việc: gửi thông báo và thư nhắc hạn, đôn đốc nhiệm vụ đến hạn (chạy theo lịch, cron)
    Remind(remind_cmd::RemindArgs),
    /// Báo cáo tổng hợp một kỳ: DOCX theo Nghị định 30, XLSX phụ lục có biểu đồ, HTML
    Report(report_cmd::ReportArgs),
    /// Công văn đôn đốc các cơ quan có nhiệm vụ quá hạn, sắp đến hạn (DOCX)
    Urge(report_cmd::UrgeArgs),
    /// Chạy máy chủ API JSON (kèm bộ nhắc việc chạy nền)
    Serve(serve_cmd::ServeArgs),
    /// Bản chạy thử: tạo mới ./nhiemvu-demo.db (văn bản mẫu, tài khoản, lịch sử) rồi chạy máy chủ
    Demo(demo_cmd::DemoArgs),
    /// Tài khoản người dùng: tạo tài khoản, tạo mã truy cập API
    User(user_cmd::UserArgs),
    /// Lịch làm việc: ngày nghỉ của một năm, cộng ngày làm việc
    Calendar(calendar_cmd::CalendarArgs),
    /// Sao lưu toàn bộ cơ sở dữ liệu vào một tệp (khôi phục được vào SQLite hoặc PostgreSQL)
    Backup(backup_cmd::BackupArgs),
    /// Khôi phục cơ sở dữ liệu từ tệp sao lưu (từ chối ghi đè dữ liệu có sẵn nếu thiếu --force)
    Restore(backup_cmd::RestoreArgs),
    /// Đánh giá bộ phân tích trên kho văn bản có nhãn chuẩn
    Eval(eval_cmd::EvalArgs),
    /// Đo hiệu năng: sinh dữ liệu mẫu của một tỉnh và tài khoản đo tải
    Bench(bench_cmd::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse_cmd::run(args),
        Command::Import(args) => import_cmd::run(args),
        Command::Export(args) => export_cmd::run(args),
        Command::Tasks(args) => tasks_cmd::run(args),
        Command::Remind(args) => remind_cmd::run(args),
        Command::Report(args) => report_cmd::report(args),
        Command::Urge(args) => report_cmd::urge(args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Demo(args) => demo_cmd::run(args),
        Command::User(args) => user_cmd::run(args),
        Command::Calendar(args) => calendar_cmd::run(args),
        Command::Backup(args) => backup_cmd::backup(args),
        Command::Restore(args) => backup_cmd::restore(args),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Bench(args) => bench_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("nhiemvu: lỗi: {err:#}");
            ExitCode::from(2)
        }
    }
}
