//! `nhiemvu remind`: one run of the reminder scheduler, for cron or for a test's clock.
//! Plans the reminders due on the day of `--at` (default: now) into notices and the e-mail
//! outbox, then delivers the outbox. Safe to run in several processes at once.

use std::process::ExitCode;

use anyhow::{Context, bail};
use scheduler::{MailSettings, Scheduler};
use store::Timestamp;

use crate::database::{DatabaseArgs, block_on};

#[derive(clap::Args)]
pub struct RemindArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Thời điểm chạy, giờ Việt Nam: YYYY-MM-DD (8 giờ sáng) hoặc YYYY-MM-DDTHH:MM (mặc định: bây giờ)
    #[arg(long, value_name = "THỜI_ĐIỂM", conflicts_with = "now")]
    at: Option<String>,
    /// Chạy cho thời điểm hiện tại (như khi không có --at; cho cron)
    #[arg(long)]
    now: bool,
    /// Máy chủ SMTP HOST:PORT (mặc định: biến NHIEMVU_SMTP; không có thì chỉ thông báo trong ứng dụng)
    #[arg(long, value_name = "HOST:PORT")]
    smtp: Option<String>,
    /// Địa chỉ gửi thư (mặc định: biến NHIEMVU_MAIL_FROM, rồi nhacviec@localhost)
    #[arg(long, value_name = "ĐỊA_CHỈ")]
    from: Option<String>,
    /// Tệp thiết lập của tỉnh (JSON: near_due_working_days, reminders.before_working_days, …); mặc định: thiết lập đã lưu ở trang quản trị
    #[arg(long, value_name = "TỆP")]
    settings: Option<std::path::PathBuf>,
    /// Số giây một tiến trình giữ thư đang gửi trước khi tiến trình khác được gửi lại
    #[arg(long, default_value_t = 120)]
    lease_seconds: u64,
}

pub fn run(args: RemindArgs) -> anyhow::Result<ExitCode> {
    let at = match &args.at {
        Some(text) if !args.now => parse_at(text)?,
        _ => Timestamp::now(),
    };
    let smtp = args
        .smtp
        .clone()
        .or_else(|| std::env::var("NHIEMVU_SMTP").ok())
        .filter(|s| !s.is_empty());
    let mail = match smtp {
        Some(server) => {
            let (host, port) = server
                .rsplit_once(':')
                .context("--smtp phải có dạng HOST:PORT")?;
            let port: u16 = port
                .parse()
                .with_context(|| format!("cổng SMTP không hợp lệ: {port:?}"))?;
            let from = args
                .from
                .clone()
                .or_else(|| std::env::var("NHIEMVU_MAIL_FROM").ok())
                .unwrap_or_else(|| "nhacviec@localhost".to_owned());
            mail::check_address(&from).map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(MailSettings {
                smtp: mail::SmtpConfig::new(host, port),
                from,
            })
        }
        None => None,
    };
    // `--settings` overrides the stored settings for this run.
    let file_settings = match &args.settings {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("không đọc được {}", path.display()))?;
            let settings: workflow::Settings = serde_json::from_str(&text)
                .with_context(|| format!("tệp thiết lập {} không hợp lệ", path.display()))?;
            settings
                .validate()
                .map_err(|e| anyhow::anyhow!("tệp thiết lập {}: {e}", path.display()))?;
            Some(settings)
        }
        None => None,
    };
    block_on(async move {
        let store = args.database.open().await?;
        let owner = format!("nhiemvu-remind-{}", std::process::id());
        let rules = store.rules().await?;
        let settings = file_settings.unwrap_or(rules.settings);
        let scheduler = Scheduler::new(store, rules.calendar, settings, mail, owner)
            .with_lease(std::time::Duration::from_secs(args.lease_seconds.max(1)));
        let (planned, delivered) = scheduler.run_once(at).await?;
        println!(
            "Nhắc việc lúc {}: {} nhiệm vụ cần nhắc, {} thông báo mới, {} thư mới; đã gửi {} thư, {} lỗi, {} do tiến trình khác đã nhận gửi",
            at.display_vietnam(),
            planned.reminders,
            planned.notices,
            planned.mails,
            delivered.sent,
            delivered.failed,
            delivered.lease_lost,
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// `2022-12-28` (08:00) or `2022-12-28T14:30`, in Vietnam's time.
fn parse_at(text: &str) -> anyhow::Result<Timestamp> {
    let (date, time) = text.split_once('T').unwrap_or((text, "08:00"));
    let date: vn_calendar::Date = date
        .parse()
        .map_err(|e| anyhow::anyhow!("ngày không hợp lệ trong --at {text:?}: {e}"))?;
    let Some((h, m)) = time.split_once(':') else {
        bail!("giờ không hợp lệ trong --at {text:?} (dùng HH:MM)")
    };
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => Ok(Timestamp::in_vietnam(date, h, m)),
        _ => bail!("giờ không hợp lệ trong --at {text:?} (dùng HH:MM)"),
    }
}
