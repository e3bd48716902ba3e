//! `nhiemvu serve`: the JSON API, with the reminder scheduler and the webhook deliveries
//! running beside it.
//!
//! Prints `listening on http://ADDR` once the socket is bound (PRODUCT.md: scripts and tests
//! wait for that line; `--listen 127.0.0.1:0` picks a free port).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use scheduler::{MailSettings, Scheduler};
use store::Timestamp;

use crate::database::DatabaseArgs;

/// How often the background scheduler runs. Reminders are per day and deduplicated by the
/// store, so a few minutes only bounds how late after midnight (or after a restart) they go.
const SCHEDULER_EVERY: Duration = Duration::from_secs(5 * 60);

/// How often webhook deliveries are planned and sent: other systems expect events within
/// seconds, and a run with nothing to do is two indexed reads.
const WEBHOOKS_EVERY: Duration = Duration::from_secs(5);

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Địa chỉ lắng nghe HOST:PORT (cổng 0: chọn cổng trống)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    listen: String,
    /// Cookie chỉ gửi qua HTTPS (bật khi phục vụ qua HTTPS, kể cả sau proxy)
    #[arg(long)]
    secure_cookies: bool,
    /// Không chạy bộ nhắc việc và gửi webhook trong tiến trình này (khi đã có máy chủ khác hoặc cron chạy)
    #[arg(long)]
    no_scheduler: bool,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mail = mail_from_env()?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("không khởi tạo được bộ chạy bất đồng bộ")?
        .block_on(async move {
            let store = args.database.open().await?;
            let listener = tokio::net::TcpListener::bind(&args.listen)
                .await
                .with_context(|| format!("không lắng nghe được trên {}", args.listen))?;
            let addr = listener.local_addr()?;
            if !args.no_scheduler {
                let owner = format!("nhiemvu-serve-{}", std::process::id());
                // Webhook deliveries count no working days: the built-in rules serve.
                let webhooks = Scheduler::new(
                    store.clone(),
                    vn_calendar::Calendar::new(),
                    workflow::Settings::default(),
                    None,
                    owner.clone(),
                );
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(WEBHOOKS_EVERY);
                    loop {
                        tick.tick().await;
                        if let Err(e) = webhooks.run_webhooks(Timestamp::now()).await {
                            eprintln!("nhiemvu serve: lỗi gửi webhook: {e}");
                        }
                    }
                });
                let store = store.clone();
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(SCHEDULER_EVERY);
                    loop {
                        tick.tick().await;
                        // The calendar and settings as stored now, so a change an
                        // administrator made (here or in another process) is used at once.
                        let rules = match store.rules().await {
                            Ok(r) => r,
                            Err(e) => {
                                eprintln!("nhiemvu serve: lỗi đọc lịch và thiết lập: {e}");
                                continue;
                            }
                        };
                        let scheduler = Scheduler::new(
                            store.clone(),
                            rules.calendar,
                            rules.settings,
                            mail.clone(),
                            owner.clone(),
                        );
                        if let Err(e) = scheduler.run_once(Timestamp::now()).await {
                            eprintln!("nhiemvu serve: lỗi nhắc việc: {e}");
                        }
                    }
                });
            }
            let config = web::Config {
                secure_cookies: args.secure_cookies,
                ..web::Config::default()
            };
            println!("listening on http://{addr}");
            let state = web::AppState::new(store, config).await?;
            web::serve(listener, state)
                .await
                .context("máy chủ dừng do lỗi")?;
            Ok(ExitCode::SUCCESS)
        })
}

/// E-mail settings from `NHIEMVU_SMTP` (HOST:PORT) and `NHIEMVU_MAIL_FROM`, as `remind` reads
/// them; without `NHIEMVU_SMTP` reminders are in-app only.
fn mail_from_env() -> anyhow::Result<Option<MailSettings>> {
    let Some(server) = std::env::var("NHIEMVU_SMTP").ok().filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let (host, port) = server
        .rsplit_once(':')
        .context("NHIEMVU_SMTP phải có dạng HOST:PORT")?;
    let port: u16 = port
        .parse()
        .with_context(|| format!("cổng SMTP không hợp lệ: {port:?}"))?;
    let from = std::env::var("NHIEMVU_MAIL_FROM").unwrap_or_else(|_| "nhacviec@localhost".into());
    mail::check_address(&from).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Some(MailSettings {
        smtp: mail::SmtpConfig::new(host, port),
        from,
    }))
}
