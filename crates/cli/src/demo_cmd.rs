//! `nhiemvu demo`: a working installation in one command, to look at and try. Builds
//! `./nhiemvu-demo.db` afresh (PRODUCT.md): the model case and the project's twelve sample
//! directives (`examples/demo/`, compiled into the binary), an account for each role with one
//! known password, and some history — tasks handed over and started, progress reports (one with
//! a file), an extension asked for and approved, tasks completed on time and late, others left
//! overdue; then serves it exactly as `nhiemvu serve` does (reminders included), after printing
//! the accounts. `listening on http://ADDR` is the address to open.
//!
//! The history is dated in 2024 and early 2025, when the documents were issued and before
//! Sở Kế hoạch và Đầu tư merged into Sở Tài chính, so the demo tells the same story whatever
//! day it is run: what was left undone is overdue today.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, FromArgMatches};
use store::{
    Actor, AgencyId, CommitOutcome, DocumentId, NewAttachment, NewReport, NewUser, Role, Store,
    TaskId, Timestamp, UserId,
};
use vn_calendar::{Calendar, Date};
use workflow::Action;

use crate::database::block_on;
use crate::serve_cmd::{self, ServeArgs};

/// The database the demo builds, in the current directory.
const DATABASE: &str = "nhiemvu-demo.db";

/// The password of every demo account.
pub const PASSWORD: &str = "nhiemvu-demo";

const PLANNING: &str = "Sở Kế hoạch và Đầu tư";
const FINANCE: &str = "Sở Tài chính";

/// The documents, in the order they are imported: the model case, then the samples.
static DOCUMENTS: &[(&str, &[u8])] = &[
    (
        "2395-UBND-KTTH.txt",
        include_bytes!("../../../examples/2395-UBND-KTTH.txt"),
    ),
    (
        "01-giai-ngan-von-dau-tu-cong-2024.txt",
        include_bytes!("../../../examples/demo/01-giai-ngan-von-dau-tu-cong-2024.txt"),
    ),
    (
        "02-cai-thien-pci-2024.txt",
        include_bytes!("../../../examples/demo/02-cai-thien-pci-2024.txt"),
    ),
    (
        "03-lien-ket-vung-tiep-theo-2395.txt",
        include_bytes!("../../../examples/demo/03-lien-ket-vung-tiep-theo-2395.txt"),
    ),
    (
        "04-phong-chong-thien-tai-2024.txt",
        include_bytes!("../../../examples/demo/04-phong-chong-thien-tai-2024.txt"),
    ),
    (
        "05-chuyen-doi-so-2024.txt",
        include_bytes!("../../../examples/demo/05-chuyen-doi-so-2024.txt"),
    ),
    (
        "06-quyet-toan-du-an-hoan-thanh.txt",
        include_bytes!("../../../examples/demo/06-quyet-toan-du-an-hoan-thanh.txt"),
    ),
    (
        "07-ket-luan-quy-hoach-tinh.txt",
        include_bytes!("../../../examples/demo/07-ket-luan-quy-hoach-tinh.txt"),
    ),
    (
        "08-thu-ngan-sach-2025.txt",
        include_bytes!("../../../examples/demo/08-thu-ngan-sach-2025.txt"),
    ),
    (
        "09-phat-trien-du-lich-2025-2027.txt",
        include_bytes!("../../../examples/demo/09-phat-trien-du-lich-2025-2027.txt"),
    ),
    (
        "10-khoa-hoc-cong-nghe-2025-2027.txt",
        include_bytes!("../../../examples/demo/10-khoa-hoc-cong-nghe-2025-2027.txt"),
    ),
    (
        "11-sap-xep-bo-may-2025.txt",
        include_bytes!("../../../examples/demo/11-sap-xep-bo-may-2025.txt"),
    ),
    (
        "12-thuc-hien-quy-hoach-tinh-2025.txt",
        include_bytes!("../../../examples/demo/12-thuc-hien-quy-hoach-tinh-2025.txt"),
    ),
];

/// A demo account: login, full name, role, agency.
struct Account {
    login: &'static str,
    name: &'static str,
    role: Role,
    agency: Option<&'static str>,
}

const ACCOUNTS: &[Account] = &[
    Account {
        login: "chutich",
        name: "Nguyễn Văn An (Chủ tịch UBND tỉnh)",
        role: Role::Leader,
        agency: None,
    },
    Account {
        login: "vanphong",
        name: "Hồ Thị Lan (Văn phòng UBND tỉnh)",
        role: Role::Monitor,
        agency: None,
    },
    Account {
        login: "giamdoc.skhdt",
        name: "Võ Văn Hùng (Giám đốc Sở Kế hoạch và Đầu tư)",
        role: Role::AgencyHead,
        agency: Some(PLANNING),
    },
    Account {
        login: "chuyenvien.skhdt",
        name: "Đặng Thị Mai (chuyên viên Sở Kế hoạch và Đầu tư)",
        role: Role::AgencyOfficer,
        agency: Some(PLANNING),
    },
    Account {
        login: "giamdoc.stc",
        name: "Huỳnh Văn Nam (Giám đốc Sở Tài chính)",
        role: Role::AgencyHead,
        agency: Some(FINANCE),
    },
    Account {
        login: "chuyenvien.stc",
        name: "Bùi Thị Hoa (chuyên viên Sở Tài chính)",
        role: Role::AgencyOfficer,
        agency: Some(FINANCE),
    },
    Account {
        login: "quantri",
        name: "Quản trị hệ thống",
        role: Role::Admin,
        agency: None,
    },
];

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Địa chỉ lắng nghe HOST:PORT (cổng 0: chọn cổng trống)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    listen: String,
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{DATABASE}{suffix}");
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("không xóa được {path}"));
            }
            _ => {}
        }
    }
    let url = format!("sqlite://./{DATABASE}");
    let code = block_on(build(&url))?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    // Served by `nhiemvu serve` itself, with the options it would be given.
    let serve = ServeArgs::augment_args(clap::Command::new("serve"))
        .try_get_matches_from(["serve", "--database", &url, "--listen", &args.listen])
        .and_then(|m| ServeArgs::from_arg_matches(&m))?;
    serve_cmd::run(serve)
}

/// Fills the demo database and prints what is in it and how to sign in.
async fn build(url: &str) -> anyhow::Result<ExitCode> {
    let store = Store::open(url)
        .await
        .with_context(|| format!("không tạo được {DATABASE}"))?;
    let mut documents = Vec::new();
    let mut tasks = 0;
    for (name, bytes) in DOCUMENTS {
        let extracted = ingest::read_bytes(bytes, name, &ingest::Options::default())
            .with_context(|| format!("không đọc được {name}"))?;
        let source = doc_parse::SourceInfo {
            file: (*name).to_owned(),
            format: extracted.format.as_str().to_owned(),
            sha256: extracted.sha256.clone(),
        };
        let parsed = doc_parse::parse(&extracted.text, source);
        match store.commit_document(&parsed, bytes, Actor::System).await? {
            CommitOutcome::Imported { document, tasks: n } => {
                documents.push(document);
                tasks += n;
            }
            CommitOutcome::AlreadyImported { .. } => bail!("{name} có hai lần trong dữ liệu thử"),
        }
    }
    let hash = web::auth::hash_password(PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut users = Vec::new();
    for a in ACCOUNTS {
        let new = NewUser {
            login: a.login.to_owned(),
            full_name: a.name.to_owned(),
            email: None,
            password_hash: Some(hash.clone()),
            roles: vec![a.role],
        };
        let id = store.create_user(&new, Actor::System).await?;
        if let Some(name) = a.agency {
            store
                .add_membership(id, agency(&store, name).await?, Actor::System)
                .await?;
        }
        users.push(id);
    }
    History {
        store: &store,
        documents: &documents,
        users: &users,
        calendar: store.calendar().await?,
    }
    .write()
    .await?;
    println!(
        "Dữ liệu thử: ./{DATABASE} — {} văn bản, {tasks} nhiệm vụ, có lịch sử xử lý.",
        documents.len()
    );
    println!("Tài khoản thử, cùng mật khẩu \"{PASSWORD}\":");
    for a in ACCOUNTS {
        println!("  {:<18} {:<20} {}", a.login, a.role.label_vi(), a.name);
    }
    println!(
        "Mở địa chỉ dưới đây trong trình duyệt, đăng nhập bằng một tài khoản trên (Ctrl+C để dừng)."
    );
    Ok(ExitCode::SUCCESS)
}

async fn agency(store: &Store, name: &str) -> anyhow::Result<AgencyId> {
    Ok(store
        .find_agency(name)
        .await?
        .with_context(|| format!("không có {name} trong danh mục"))?
        .id)
}

/// 9:00 on a day, Vietnam time.
fn on(day: &str) -> anyhow::Result<Timestamp> {
    let date: Date = day.parse().map_err(|e| anyhow::anyhow!("{day}: {e:?}"))?;
    Ok(Timestamp::in_vietnam(date, 9, 0))
}

/// Writes the demo's history through the store's own rules, as the people concerned.
struct History<'a> {
    store: &'a Store,
    documents: &'a [DocumentId],
    users: &'a [UserId],
    calendar: Calendar,
}

impl History<'_> {
    /// The account of this login.
    fn user(&self, login: &str) -> UserId {
        let i = ACCOUNTS
            .iter()
            .position(|a| a.login == login)
            .expect("a demo account");
        self.users[i]
    }

    /// Task `outline` of the document imported from the file starting with `file`.
    async fn task(&self, file: &str, outline: &str) -> anyhow::Result<TaskId> {
        let i = DOCUMENTS
            .iter()
            .position(|(n, _)| n.starts_with(file))
            .context("a demo document")?;
        self.store
            .tasks_of_document(self.documents[i])
            .await?
            .into_iter()
            .find(|t| t.outline_id == outline)
            .map(|t| t.id)
            .with_context(|| format!("{file}: không có nhiệm vụ {outline}"))
    }

    /// The head of `agency` (`skhdt`, `stc`) hands the task to its officer, who starts it.
    async fn start(&self, task: TaskId, agency: &str, day: &str) -> anyhow::Result<()> {
        let officer = self.user(&format!("chuyenvien.{agency}"));
        self.store
            .hand_over(task, officer, self.user(&format!("giamdoc.{agency}")))
            .await?;
        self.store
            .transition(task, &Action::Start, officer, on(day)?)
            .await?;
        Ok(())
    }

    /// A progress report by the agency's officer.
    async fn report(
        &self,
        task: TaskId,
        agency: &str,
        percent: u8,
        content: &str,
        file: Option<(&str, &str)>,
    ) -> anyhow::Result<()> {
        let officer = self.user(&format!("chuyenvien.{agency}"));
        let name = if agency == "skhdt" { PLANNING } else { FINANCE };
        let report = NewReport {
            task,
            agency: Some(self::agency(self.store, name).await?),
            author: Some(officer),
            status: None,
            percent: Some(percent),
            content: content.to_owned(),
            result: None,
            attachments: file
                .map(|(name, text)| NewAttachment {
                    file_name: name.to_owned(),
                    media_type: "text/plain; charset=utf-8".to_owned(),
                    bytes: text.as_bytes().to_vec(),
                })
                .into_iter()
                .collect(),
        };
        self.store
            .add_progress_report(&report, Actor::User(officer))
            .await?;
        Ok(())
    }

    /// The officer reports the task done on `done`; the monitor confirms on `confirmed`.
    async fn complete(
        &self,
        task: TaskId,
        agency: &str,
        done: &str,
        confirmed: &str,
    ) -> anyhow::Result<()> {
        let officer = self.user(&format!("chuyenvien.{agency}"));
        self.store
            .transition(task, &Action::ReportDone, officer, on(done)?)
            .await?;
        self.store
            .transition(
                task,
                &Action::Confirm,
                self.user("vanphong"),
                on(confirmed)?,
            )
            .await?;
        Ok(())
    }

    async fn write(&self) -> anyhow::Result<()> {
        // Sở Kế hoạch và Đầu tư: the reallocation of slow projects' capital, reported on with
        // the list attached, extended once (approved), and still not done: overdue today.
        let reallocate = self.task("01-", "2").await?;
        self.start(reallocate, "skhdt", "2024-03-25").await?;
        self.report(
            reallocate,
            "skhdt",
            60,
            "Đã rà soát 42 dự án, xác định 9 dự án chậm giải ngân; đang lấy ý kiến Sở Tài chính về phương án điều chuyển vốn.",
            Some((
                "danh-muc-du-an-cham-giai-ngan.txt",
                "DANH MỤC DỰ ÁN CHẬM GIẢI NGÂN (số liệu đến 31/5/2024)\n1. Đường ven biển Dung Quất - Sa Huỳnh, giai đoạn IIa: 31%\n2. Kè chống sạt lở bờ sông Trà Khúc: 27%\n",
            )),
        )
        .await?;
        let extension = self
            .store
            .request_extension(
                reallocate,
                "2024-07-31".parse().map_err(|e| anyhow::anyhow!("{e:?}"))?,
                "Chờ số liệu giải ngân quý II của Kho bạc Nhà nước tỉnh để chốt danh mục điều chuyển.",
                self.user("chuyenvien.skhdt"),
                on("2024-06-20")?,
                &self.calendar,
            )
            .await?;
        self.store
            .decide_extension(
                extension,
                true,
                Some("Đồng ý gia hạn đến 31/7/2024; không gia hạn thêm."),
                self.user("chutich"),
                on("2024-06-24")?,
            )
            .await?;
        // Publishing the provincial plan: done on time.
        let publish = self.task("07-", "4").await?;
        self.start(publish, "skhdt", "2024-10-03").await?;
        self.report(
            publish,
            "skhdt",
            100,
            "Đã đăng tải toàn bộ hồ sơ Quy hoạch tỉnh trên Cổng thông tin điện tử của tỉnh.",
            None,
        )
        .await?;
        self.complete(publish, "skhdt", "2024-10-25", "2024-10-28")
            .await?;
        // The regional cooperation review: started, overdue.
        let review = self.task("03-", "1").await?;
        self.start(review, "skhdt", "2024-05-10").await?;
        // The mid-term review of the provincial plan: started, due at the end of 2026.
        let mid_term = self.task("12-", "I.2").await?;
        self.start(mid_term, "skhdt", "2025-02-26").await?;

        // Sở Tài chính: the review of late settlements, reported done after its deadline.
        let settlements = self.task("06-", "1").await?;
        self.start(settlements, "stc", "2024-09-16").await?;
        self.complete(settlements, "stc", "2024-11-05", "2024-11-08")
            .await?;
        // Fees and charges made public: started, reported on, overdue.
        let fees = self.task("02-", "II.2").await?;
        self.start(fees, "stc", "2024-04-15").await?;
        self.report(
            fees,
            "stc",
            40,
            "Đã rà soát 18 khoản phí, lệ phí; chờ Cục Thuế tỉnh cung cấp số liệu thu năm 2023.",
            None,
        )
        .await?;
        Ok(())
    }
}
