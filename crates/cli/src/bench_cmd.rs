//! `nhiemvu bench generate`: a synthetic province for benchmarks (`store::Store::generate`)
//! and the accounts a load test signs in with.
//!
//! Progress and a summary go to standard error; standard output gets `key=value` lines a script
//! can read (`bench/api.sh` keeps them beside the database): the size written, the busiest
//! agency, and for each account its login and an API token (shown once, stored hashed).
//!
//! Exit status: 0 done; 1 when the database already holds documents (nothing is written).

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use store::{Actor, GenerateSpec, Generated, NewUser, Role, Store, UserId};

use crate::database::{DatabaseArgs, block_on};

#[derive(clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    command: BenchCommand,
}

#[derive(clap::Subcommand)]
enum BenchCommand {
    /// Sinh dữ liệu mẫu của một tỉnh (văn bản, nhiệm vụ, tiến độ, nhật ký) vào cơ sở dữ liệu chưa có văn bản, kèm tài khoản đo tải
    Generate(GenerateArgs),
    /// Đo tải hỗn hợp (đọc, báo cáo, chuyển trạng thái, nhập văn bản) vào máy chủ đang chạy, rồi kiểm tra không mất ghi
    Load(crate::load_cmd::LoadArgs),
}

#[derive(clap::Args)]
struct GenerateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Số nhiệm vụ cần sinh
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    tasks: u64,
    /// Hạt giống: cùng hạt giống, cùng số nhiệm vụ và cùng ngày cho cùng dữ liệu
    #[arg(long, default_value_t = 2395)]
    seed: u64,
}

/// The password of the benchmark accounts when `NHIEMVU_PASSWORD` is not set: they are meant
/// for a throw-away database, and the load test uses their API tokens.
const DEFAULT_PASSWORD: &str = "nhiemvu-bench";

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        BenchCommand::Generate(a) => generate(a),
        BenchCommand::Load(a) => crate::load_cmd::run(a),
    }
}

fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let password = std::env::var("NHIEMVU_PASSWORD").unwrap_or_else(|_| DEFAULT_PASSWORD.into());
    let hash = web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    block_on(async move {
        let store = args.database.open().await?;
        let spec = GenerateSpec::new(args.tasks, args.seed);
        let started = Instant::now();
        let mut show = |g: &Generated| {
            eprint!(
                "\rđã ghi {}/{} nhiệm vụ ({} văn bản), {:.1} s",
                g.tasks,
                spec.tasks,
                g.documents,
                started.elapsed().as_secs_f64()
            );
        };
        let generated = match store.generate(&spec, &mut show).await {
            Ok(g) => g,
            Err(e @ store::Error::Refused { .. }) => {
                eprintln!("nhiemvu: bị từ chối: {e}");
                return Ok(ExitCode::from(1));
            }
            Err(e) => return Err(anyhow::Error::new(e).context("không sinh được dữ liệu mẫu")),
        };
        let seconds = started.elapsed().as_secs_f64();
        eprintln!();
        summary(&generated, seconds);

        let (agency, agency_tasks) = generated
            .busiest_agency
            .clone()
            .context("dữ liệu mẫu không có cơ quan nào được giao nhiệm vụ")?;
        let officer = account(
            &store,
            "bench.officer",
            &format!("Chuyên viên {}", agency.name),
            Role::AgencyOfficer,
            &hash,
        )
        .await?;
        store
            .add_membership(officer, agency.id, Actor::System)
            .await?;
        let monitor = account(
            &store,
            "bench.monitor",
            "Cán bộ theo dõi Văn phòng Ủy ban nhân dân tỉnh",
            Role::Monitor,
            &hash,
        )
        .await?;
        println!("tasks={}", generated.tasks);
        println!("documents={}", generated.documents);
        println!("seconds={seconds:.1}");
        println!("agency={}", agency.name);
        println!("agency_id={}", agency.id);
        println!("agency_tasks={agency_tasks}");
        for (role, login, user) in [
            ("officer", "bench.officer", officer),
            ("monitor", "bench.monitor", monitor),
        ] {
            println!("{role}_login={login}");
            println!("{role}_token={}", token(&store, user).await?);
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn summary(g: &Generated, seconds: f64) {
    eprintln!(
        "{} văn bản, {} nhiệm vụ, {} phân công, {} thời hạn, {} lần đổi trạng thái, {} báo cáo tiến độ, \
         {} trích dẫn, {} dòng nhật ký trong {seconds:.1} s ({:.0} nhiệm vụ/s)",
        g.documents,
        g.tasks,
        g.assignments,
        g.deadlines,
        g.status_changes,
        g.progress_reports,
        g.references,
        g.audit_rows,
        g.tasks as f64 / seconds.max(0.001)
    );
    let statuses: Vec<String> = g
        .by_status
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label_vi()))
        .collect();
    eprintln!("tiến độ: {}", statuses.join(", "));
}

async fn account(
    store: &Store,
    login: &str,
    full_name: &str,
    role: Role,
    hash: &str,
) -> anyhow::Result<UserId> {
    let new = NewUser {
        login: login.to_owned(),
        full_name: full_name.to_owned(),
        email: None,
        password_hash: Some(hash.to_owned()),
        roles: vec![role],
    };
    store
        .create_user(&new, Actor::System)
        .await
        .with_context(|| format!("không tạo được tài khoản {login}"))
}

async fn token(store: &Store, user: UserId) -> anyhow::Result<String> {
    let secret = web::auth::new_secret().map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .create_api_token(
            user,
            "bench",
            &web::auth::secret_hash(&secret),
            Actor::System,
        )
        .await?;
    Ok(secret)
}
