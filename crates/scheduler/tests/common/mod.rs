//! What the scheduler's scenario tests share: a store on SQLite (a scratch file) or on
//! PostgreSQL (a schema of its own, when `NHIEMVU_TEST_POSTGRES` is set), removed afterwards.
#![allow(dead_code)]

use std::future::Future;
use std::path::PathBuf;

use store::Store;

pub const MODEL_CASE: &str = include_str!("../../../../examples/2395-UBND-KTTH.txt");

/// A SQLite file and its WAL companions, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            std::fs::remove_file(p).ok();
        }
    }
}

/// A fresh SQLite store named after `tag`, and what removes it.
pub async fn sqlite(tag: &str) -> (Store, Scratch) {
    let path = std::env::temp_dir().join(format!("nhiemvu_{tag}_{}.db", std::process::id()));
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    (store, Scratch(path))
}

/// Runs `body` on a fresh SQLite store.
pub async fn on_sqlite<F, Fut>(tag: &str, body: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let (store, _cleanup) = sqlite(tag).await;
    body(store).await;
}

/// Runs `body` on a fresh PostgreSQL schema, or says it is skipped.
pub async fn on_postgres<F, Fut>(tag: &str, body: F)
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    use sqlx::Connection;
    let Ok(base) = std::env::var("NHIEMVU_TEST_POSTGRES") else {
        eprintln!("NHIEMVU_TEST_POSTGRES not set: PostgreSQL half skipped");
        return;
    };
    let schema = format!("{tag}_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
    for sql in [
        format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
        format!("CREATE SCHEMA {schema}"),
    ] {
        sqlx::query(&sql).execute(&mut admin).await.unwrap();
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    body(
        Store::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}"))
            .await
            .unwrap(),
    )
    .await;
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut admin)
        .await
        .unwrap();
}
