//! `nhiemvu user add` and `nhiemvu user token`: accounts from the command line, so the first
//! administrator (and test accounts) exist before anyone can sign in to the API.
//!
//! The password is read from `NHIEMVU_PASSWORD`, else the first line of standard input, never
//! from an argument: arguments show in `ps` and shell history.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{Context, bail};
use store::{Actor, NewUser, Role};

use crate::database::{DatabaseArgs, block_on};

#[derive(clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(clap::Subcommand)]
enum UserCommand {
    /// Tạo tài khoản (mật khẩu từ biến NHIEMVU_PASSWORD hoặc dòng đầu của đầu vào chuẩn)
    Add(AddArgs),
    /// Tạo mã truy cập API cho tài khoản (in ra một lần, chỉ lưu mã băm)
    Token(TokenArgs),
}

#[derive(clap::Args)]
struct AddArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Tên đăng nhập
    login: String,
    /// Vai trò: leader, monitor, agency_head, agency_officer, admin (lặp lại được)
    #[arg(long, required = true, value_name = "VAI_TRÒ")]
    role: Vec<String>,
    /// Cơ quan của tài khoản, theo tên trong danh mục (lặp lại được)
    #[arg(long, value_name = "CƠ_QUAN")]
    agency: Vec<String>,
    /// Địa chỉ thư điện tử nhận nhắc việc
    #[arg(long)]
    email: Option<String>,
    /// Họ và tên (mặc định: tên đăng nhập)
    #[arg(long)]
    name: Option<String>,
}

#[derive(clap::Args)]
struct TokenArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Tên đăng nhập của tài khoản dùng mã
    login: String,
    /// Tên hệ thống dùng mã (ví dụ: lgsp)
    #[arg(long, default_value = "api")]
    name: String,
}

pub fn run(args: UserArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        UserCommand::Add(a) => add(a),
        UserCommand::Token(t) => token(t),
    }
}

fn add(args: AddArgs) -> anyhow::Result<ExitCode> {
    let mut roles = Vec::new();
    for r in &args.role {
        match r.parse::<Role>() {
            Ok(role) => roles.push(role),
            Err(_) => {
                eprintln!(
                    "nhiemvu: vai trò không hợp lệ: {r:?} (leader, monitor, agency_head, agency_officer, admin)"
                );
                return Ok(ExitCode::from(2));
            }
        }
    }
    let password = match std::env::var("NHIEMVU_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("không đọc được mật khẩu từ đầu vào chuẩn")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if password.chars().count() < 8 {
        bail!("mật khẩu phải có ít nhất 8 ký tự");
    }
    let hash = web::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    block_on(async move {
        let store = args.database.open().await?;
        let mut agencies = Vec::new();
        for name in &args.agency {
            match store.find_agency(name).await? {
                Some(a) => agencies.push(a.id),
                None => {
                    eprintln!("nhiemvu: không có cơ quan {name:?} trong danh mục");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        let new = NewUser {
            login: args.login.clone(),
            full_name: args.name.clone().unwrap_or_else(|| args.login.clone()),
            email: args.email.clone(),
            password_hash: Some(hash),
            roles,
        };
        let id = match store.create_user(&new, Actor::System).await {
            Ok(id) => id,
            Err(e @ (store::Error::Duplicate(_) | store::Error::Invalid { .. })) => {
                eprintln!("nhiemvu: không tạo được tài khoản {}: {e}", args.login);
                return Ok(ExitCode::from(1));
            }
            Err(e) => return Err(e.into()),
        };
        for agency in agencies {
            store.add_membership(id, agency, Actor::System).await?;
        }
        println!("Đã tạo tài khoản {} (#{id})", args.login);
        Ok(ExitCode::SUCCESS)
    })
}

fn token(args: TokenArgs) -> anyhow::Result<ExitCode> {
    block_on(async move {
        let store = args.database.open().await?;
        let user = store.user_by_login(&args.login).await?;
        let secret = web::auth::new_secret().map_err(|e| anyhow::anyhow!("{e}"))?;
        store
            .create_api_token(
                user,
                &args.name,
                &web::auth::secret_hash(&secret),
                Actor::System,
            )
            .await?;
        println!("{secret}");
        Ok(ExitCode::SUCCESS)
    })
}
