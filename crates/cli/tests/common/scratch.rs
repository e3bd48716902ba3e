//! A fresh database for a test that runs the real `nhiemvu` binary: a SQLite file in a scratch
//! folder, or a PostgreSQL schema of its own when `NHIEMVU_TEST_POSTGRES` holds a server URL;
//! both removed at the end. Shared by several test binaries, each using part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use sqlx::Connection;

pub const POSTGRES_VAR: &str = "NHIEMVU_TEST_POSTGRES";

pub enum Backend {
    Sqlite,
    Postgres,
}

/// A scratch folder for input files and a fresh database, both removed at the end.
pub struct Scratch {
    pub dir: PathBuf,
    pub url: String,
    /// Server URL and schema to drop, on PostgreSQL.
    schema: Option<(String, String)>,
}

/// Runs one statement on the PostgreSQL server at `base` (creating or dropping a schema).
pub fn pg(base: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(base)
            .await
            .expect("connect to NHIEMVU_TEST_POSTGRES");
        sqlx::query(sql).execute(&mut conn).await.expect(sql);
        conn.close().await.ok();
    });
}

impl Scratch {
    pub fn new(backend: Backend) -> Option<Scratch> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let unique = format!(
            "{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let dir = std::env::temp_dir().join(format!("nhiemvu_cli_{unique}"));
        let (url, schema) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.join("nhiemvu.db").display()),
                None,
            ),
            Backend::Postgres => {
                let base = std::env::var(POSTGRES_VAR).ok().filter(|b| !b.is_empty())?;
                let schema = format!(
                    "cli_{unique}_{}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.subsec_nanos())
                        .unwrap_or(0)
                );
                pg(&base, &format!("CREATE SCHEMA {schema}"));
                let sep = if base.contains('?') { '&' } else { '?' };
                (
                    format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                    Some((base, schema)),
                )
            }
        };
        std::fs::create_dir_all(&dir).unwrap();
        Some(Scratch { dir, url, schema })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
            .args(args)
            .args(["--database", &self.url])
            .env_remove("DATABASE_URL")
            .output()
            .expect("nhiemvu runs")
    }

    pub fn tasks(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["tasks", "--json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
        if let Some((base, schema)) = &self.schema {
            pg(base, &format!("DROP SCHEMA {schema} CASCADE"));
        }
    }
}

pub fn run(backend: Backend, body: fn(&Scratch)) {
    match Scratch::new(backend) {
        Some(s) => body(&s),
        None => println!("skipped: {POSTGRES_VAR} not set"),
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
