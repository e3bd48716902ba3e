//! The `--database` option shared by every command that touches stored data, and the runtime
//! those commands run the async store on.

use std::process::ExitCode;

use anyhow::Context;

const DEFAULT_URL: &str = "sqlite://./nhiemvu.db";

/// `--database URL`, else `DATABASE_URL`, else `sqlite://./nhiemvu.db` (PRODUCT.md).
#[derive(clap::Args)]
pub struct DatabaseArgs {
    /// Cơ sở dữ liệu: sqlite://ĐƯỜNG_DẪN hoặc postgres://… (mặc định: biến DATABASE_URL, rồi sqlite://./nhiemvu.db)
    #[arg(long, value_name = "URL")]
    database: Option<String>,
}

impl DatabaseArgs {
    fn url(&self) -> String {
        self.database
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| DEFAULT_URL.to_owned())
    }

    /// Opens (and migrates) the store.
    pub async fn open(&self) -> anyhow::Result<store::Store> {
        let url = self.url();
        store::Store::open(&url)
            .await
            .with_context(|| format!("không mở được {url}"))
    }
}

/// Runs one command's future on a current-thread runtime: a command-line run is one sequence
/// of statements, so worker threads would only add start-up time. `parse` and `calendar` never
/// touch the store and stay synchronous.
pub fn block_on<F>(future: F) -> anyhow::Result<ExitCode>
where
    F: Future<Output = anyhow::Result<ExitCode>>,
{
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("không khởi tạo được bộ chạy bất đồng bộ")?
        .block_on(future)
}

/// Whether a store error is a rule refusing the input (exit 1) rather than a failure of the
/// database or the installation (exit 2).
pub fn is_refusal(err: &store::Error) -> bool {
    use store::Error as E;
    matches!(
        err,
        E::SecretDocument(_)
            | E::HashMismatch { .. }
            | E::DuplicateDocument { .. }
            | E::FileTooLarge { .. }
            | E::Invalid { .. }
            | E::NotYetEffective { .. }
    )
}
