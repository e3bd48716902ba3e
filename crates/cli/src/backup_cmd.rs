//! `nhiemvu backup` and `nhiemvu restore`: the whole store as one `nhiemvu.backup/1` file
//! (JSON Lines, see `store::Store::backup`), which restores into either database, so the same
//! file both recovers an installation and moves it from SQLite to PostgreSQL.
//!
//! Exit status: 0 done; 1 when restore refuses a database that already holds data (without
//! `--force`); 2 when the backup file cannot be read or is not a whole backup.

use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::database::{DatabaseArgs, block_on};

/// Arguments of `nhiemvu backup`.
#[derive(clap::Args)]
pub struct BackupArgs {
    /// Tệp sao lưu sẽ ghi (JSON Lines, khôi phục được vào SQLite hoặc PostgreSQL)
    #[arg(value_name = "TỆP")]
    out: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

/// Arguments of `nhiemvu restore`.
#[derive(clap::Args)]
pub struct RestoreArgs {
    /// Tệp sao lưu do `nhiemvu backup` ghi
    #[arg(value_name = "TỆP")]
    input: PathBuf,
    /// Ghi đè cả khi cơ sở dữ liệu đích đã có dữ liệu (xóa hết dữ liệu hiện có)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    block_on(async move {
        let store = args.database.open().await?;
        // Written beside the target and renamed at the end, so a failed run never leaves a
        // partial file under the name of a good backup.
        let partial = args.out.with_extension("partial");
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("không tạo được {}", partial.display()))?;
        let mut out = BufWriter::new(file);
        let rows = store.backup(&mut out).await;
        store.close().await;
        let rows = match rows.and_then(|rows| {
            out.flush()?;
            out.get_ref().sync_all()?;
            Ok(rows)
        }) {
            Ok(rows) => rows,
            Err(e) => {
                std::fs::remove_file(&partial).ok();
                return Err(anyhow::Error::new(e)
                    .context(format!("không sao lưu được vào {}", args.out.display())));
            }
        };
        std::fs::rename(&partial, &args.out).with_context(|| {
            format!(
                "không đổi tên {} thành {}",
                partial.display(),
                args.out.display()
            )
        })?;
        println!("đã sao lưu {rows} bản ghi vào {}", args.out.display());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let file = match std::fs::File::open(&args.input) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "nhiemvu: {}: không đọc được tệp sao lưu: {e}",
                args.input.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    block_on(async move {
        let store = args.database.open().await?;
        let result = store.restore(&mut BufReader::new(file), args.force).await;
        store.close().await;
        match result {
            Ok(rows) => {
                println!("đã khôi phục {rows} bản ghi từ {}", args.input.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(e @ store::Error::NotEmpty { .. }) => {
                eprintln!("nhiemvu: bị từ chối: {e}");
                Ok(ExitCode::from(1))
            }
            Err(e @ (store::Error::BadBackup { .. } | store::Error::Io(_))) => {
                eprintln!("nhiemvu: {}: {e}", args.input.display());
                Ok(ExitCode::from(2))
            }
            Err(e) => Err(e.into()),
        }
    })
}
