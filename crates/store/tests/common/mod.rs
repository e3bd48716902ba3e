//! Fresh databases for the store's integration tests: a SQLite file, or a PostgreSQL schema of
//! its own on the server `NHIEMVU_TEST_POSTGRES` names, and their removal.
#![allow(dead_code)] // each test file uses its part

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Connection;

pub const POSTGRES_VAR: &str = "NHIEMVU_TEST_POSTGRES";

/// What to remove once a test is done.
pub enum Cleanup {
    File(PathBuf),
    Schema { base: String, schema: String },
}

/// Unique among the tests of a run and across runs.
pub fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// The URL of a fresh, empty database named after `prefix`, and what removes it; `None` when
/// PostgreSQL is asked for and not configured.
pub async fn fresh_database(postgres: bool, prefix: &str) -> Option<(String, Cleanup)> {
    if !postgres {
        let path = std::env::temp_dir().join(format!("nhiemvu_{prefix}_{}.db", unique_suffix()));
        return Some((format!("sqlite://{}", path.display()), Cleanup::File(path)));
    }
    let base = std::env::var(POSTGRES_VAR).ok().filter(|b| !b.is_empty())?;
    let schema = format!("{prefix}_{}", unique_suffix());
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("connect to NHIEMVU_TEST_POSTGRES");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .expect("create schema");
    admin.close().await.ok();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some((url, Cleanup::Schema { base, schema }))
}

/// Removes a database made by [`fresh_database`] (its store closed first).
pub async fn remove(c: Cleanup) {
    match c {
        Cleanup::File(path) => {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                std::fs::remove_file(p).ok();
            }
        }
        Cleanup::Schema { base, schema } => {
            if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
                sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut admin)
                    .await
                    .ok();
                admin.close().await.ok();
            }
        }
    }
}
