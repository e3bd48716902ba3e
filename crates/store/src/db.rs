//! The two backends behind one small query interface. Every statement of the crate is written
//! once, with `$1`-style parameters that both PostgreSQL and SQLite read (sqlx's SQLite driver
//! maps `$N` to the N-th argument), bound from a few portable value types, and run here on
//! whichever pool the store opened. Integers are `i64` everywhere because the PostgreSQL
//! schema uses BIGINT for every integer column: PostgreSQL refuses an `i64` bound to `int4`.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sqlx::Row as _;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};

use crate::error::{Error, Result};

/// Migrations of each backend, embedded so the binary migrates a database on first use without
/// files beside it. Version numbers and descriptions are the same on both sides.
pub(crate) const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "schema",
        include_str!("../migrations/sqlite/0001_schema.sql"),
    ),
    (
        2,
        "audit append only",
        include_str!("../migrations/sqlite/0002_audit_append_only.sql"),
    ),
    (
        3,
        "notice outbox",
        include_str!("../migrations/sqlite/0003_notice_outbox.sql"),
    ),
    (
        4,
        "workflow",
        include_str!("../migrations/sqlite/0004_workflow.sql"),
    ),
    (
        5,
        "auth",
        include_str!("../migrations/sqlite/0005_auth.sql"),
    ),
    (
        6,
        "search",
        include_str!("../migrations/sqlite/0006_search.sql"),
    ),
    (
        7,
        "webhooks",
        include_str!("../migrations/sqlite/0007_webhooks.sql"),
    ),
    (
        8,
        "import draft",
        include_str!("../migrations/sqlite/0008_import_draft.sql"),
    ),
    (
        9,
        "list indexes",
        include_str!("../migrations/sqlite/0009_list_indexes.sql"),
    ),
    (
        10,
        "settings",
        include_str!("../migrations/sqlite/0010_settings.sql"),
    ),
    (
        11,
        "task standing",
        include_str!("../migrations/sqlite/0011_task_standing.sql"),
    ),
    (
        12,
        "task tally",
        include_str!("../migrations/sqlite/0012_task_tally.sql"),
    ),
    (
        13,
        "search speed",
        include_str!("../migrations/sqlite/0013_search_speed.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "schema",
        include_str!("../migrations/postgres/0001_schema.sql"),
    ),
    (
        2,
        "audit append only",
        include_str!("../migrations/postgres/0002_audit_append_only.sql"),
    ),
    (
        3,
        "notice outbox",
        include_str!("../migrations/postgres/0003_notice_outbox.sql"),
    ),
    (
        4,
        "workflow",
        include_str!("../migrations/postgres/0004_workflow.sql"),
    ),
    (
        5,
        "auth",
        include_str!("../migrations/postgres/0005_auth.sql"),
    ),
    (
        6,
        "search",
        include_str!("../migrations/postgres/0006_search.sql"),
    ),
    (
        7,
        "webhooks",
        include_str!("../migrations/postgres/0007_webhooks.sql"),
    ),
    (
        8,
        "import draft",
        include_str!("../migrations/postgres/0008_import_draft.sql"),
    ),
    (
        9,
        "list indexes",
        include_str!("../migrations/postgres/0009_list_indexes.sql"),
    ),
    (
        10,
        "settings",
        include_str!("../migrations/postgres/0010_settings.sql"),
    ),
    (
        11,
        "task standing",
        include_str!("../migrations/postgres/0011_task_standing.sql"),
    ),
    (
        12,
        "task tally",
        include_str!("../migrations/postgres/0012_task_tally.sql"),
    ),
    (
        13,
        "search speed",
        include_str!("../migrations/postgres/0013_search_speed.sql"),
    ),
];

/// The schema version a fully migrated database has (its last migration), stamped on backups.
pub(crate) const SCHEMA_VERSION: i64 = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.len() - 1].0;

/// A [`MigrationSource`] over the embedded files (sqlx's `migrate!` macro would do this at
/// compile time, but the workspace keeps sqlx's macros off).
#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        let migrations = self
            .0
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    Cow::Borrowed(sql),
                    false,
                )
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The locking clause for a subquery that claims rows of a queue (the outbox) when several
    /// processes claim at once: PostgreSQL locks the rows it picks and skips those another
    /// transaction holds, so concurrent claimers pass each other instead of queueing on the
    /// same rows or, after they commit, claiming rows already taken. SQLite has one writer at a
    /// time (write transactions begin IMMEDIATE), so the claim is serialised without it (and
    /// SQLite would not parse it).
    pub(crate) fn claim_rows(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// Opens the database at `url` and brings its schema up to date.
    pub(crate) async fn open(url: &str) -> Result<Pool> {
        let pool = if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(Error::BadUrl(url.to_owned()));
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                // WAL lets readers go on while one writer commits; NORMAL sync in WAL mode loses
                // nothing when the process is killed (only a power cut can lose the last
                // commits), and never corrupts the file.
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // Writers queue on the file lock; wait for them instead of failing at once.
                .busy_timeout(Duration::from_secs(30));
            Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(8)
                    // After a failed commit (disk full) SQLite has already rolled back, sqlx's
                    // own rollback then fails, and the connection would come back marked as
                    // inside a transaction, refusing every later write until a restart. Such
                    // a connection is closed instead of reused (RELIABILITY.md, disk full).
                    // Every read also ends by dropping its transaction, whose rollback sqlx
                    // only queues on the connection's thread: the ping waits for it, so that
                    // those connections are kept (closing them made every request open a
                    // connection and parse the schema again: 5x slower pages, issue #12).
                    .after_release(|conn, _| {
                        Box::pin(async move {
                            use sqlx::Connection;
                            if conn.is_in_transaction() {
                                conn.ping().await?;
                            }
                            Ok(!conn.is_in_transaction())
                        })
                    })
                    .connect_with(options)
                    .await
                    .map_err(Error::Open)?,
            )
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await
                    .map_err(Error::Open)?,
            )
        } else {
            return Err(Error::BadUrl(url.to_owned()));
        };
        pool.migrate().await?;
        Ok(pool)
    }

    async fn migrate(&self) -> Result<()> {
        match self {
            Pool::Sqlite(p) => {
                Migrator::new(Embedded(SQLITE_MIGRATIONS))
                    .await
                    .map_err(Error::Migrate)?
                    .run(p)
                    .await
            }
            Pool::Postgres(p) => {
                Migrator::new(Embedded(POSTGRES_MIGRATIONS))
                    .await
                    .map_err(Error::Migrate)?
                    .run(p)
                    .await
            }
        }
        .map_err(Error::Migrate)
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`): a deferred transaction that reads first and writes later can fail with
    /// SQLITE_BUSY when another writer got in between, which the busy timeout cannot cure.
    pub(crate) async fn write(&self) -> Result<Tx> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A transaction that only reads: one consistent snapshot for a read that takes several
    /// statements.
    pub(crate) async fn read(&self) -> Result<Tx> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin_with("BEGIN READ ONLY").await?),
        })
    }

    /// A read-only transaction that sees one snapshot for all its statements, however long it
    /// runs (a backup): PostgreSQL's default READ COMMITTED would give each statement its own.
    /// A SQLite read transaction in WAL mode already keeps the snapshot of its first read.
    pub(crate) async fn snapshot(&self) -> Result<Tx> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Tx::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// A value bound to a statement parameter.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_owned))
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Value {
        Value::Bytes(v.to_vec())
    }
}

/// A statement and its arguments.
#[derive(Debug)]
pub(crate) struct Q {
    sql: Cow<'static, str>,
    args: Vec<Value>,
}

/// Starts a statement.
pub(crate) fn q(sql: impl Into<Cow<'static, str>>) -> Q {
    Q {
        sql: sql.into(),
        args: Vec::new(),
    }
}

impl Q {
    /// Binds the next `$N`.
    pub(crate) fn bind(mut self, v: impl Into<Value>) -> Q {
        self.args.push(v.into());
        self
    }
}

macro_rules! bound {
    ($db:ty, $q:expr) => {{
        let mut query = sqlx::query::<$db>(&$q.sql);
        for a in $q.args.iter().cloned() {
            query = match a {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            };
        }
        query
    }};
}

/// A transaction on either backend. Dropped without [`Tx::commit`], it rolls back: every early
/// return with `?` leaves the database as it was.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    /// Runs a statement; the number of rows it changed.
    pub(crate) async fn execute(&mut self, q: Q) -> Result<u64> {
        Ok(match self {
            Tx::Sqlite(t) => bound!(sqlx::Sqlite, q)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            Tx::Postgres(t) => bound!(sqlx::Postgres, q)
                .execute(&mut **t)
                .await?
                .rows_affected(),
        })
    }

    /// Every row of a query.
    pub(crate) async fn all(&mut self, q: Q) -> Result<Vec<Row>> {
        Ok(match self {
            Tx::Sqlite(t) => bound!(sqlx::Sqlite, q)
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Tx::Postgres(t) => bound!(sqlx::Postgres, q)
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// The row of a query that returns at most one.
    pub(crate) async fn optional(&mut self, q: Q) -> Result<Option<Row>> {
        Ok(match self {
            Tx::Sqlite(t) => bound!(sqlx::Sqlite, q)
                .fetch_optional(&mut **t)
                .await?
                .map(Row::Sqlite),
            Tx::Postgres(t) => bound!(sqlx::Postgres, q)
                .fetch_optional(&mut **t)
                .await?
                .map(Row::Postgres),
        })
    }

    /// The row of a query that returns exactly one (`INSERT … RETURNING id`, `COUNT(*)`).
    pub(crate) async fn one(&mut self, q: Q) -> Result<Row> {
        Ok(match self {
            Tx::Sqlite(t) => Row::Sqlite(bound!(sqlx::Sqlite, q).fetch_one(&mut **t).await?),
            Tx::Postgres(t) => Row::Postgres(bound!(sqlx::Postgres, q).fetch_one(&mut **t).await?),
        })
    }

    /// Inserts rows of equal width with as few statements as possible (`head` is `INSERT INTO
    /// t (columns)`): on SQLite every statement is a round trip to the connection's thread,
    /// which dominated the time of a bulk import when each task row had its own. The rows keep
    /// their order, so generated ids follow it.
    pub(crate) async fn insert_rows(&mut self, head: &str, rows: Vec<Vec<Value>>) -> Result<()> {
        // Far below both databases' parameter limits (SQLite 32,766, PostgreSQL 65,535).
        const ROWS_PER_STATEMENT: usize = 200;
        // On SQLite, anonymous `?` parameters: sqlx finds a `$N` one by walking the statement's
        // list of names, so binding n of them costs n², half of a bulk write's time
        // (bench/RESULTS.md).
        let anonymous = matches!(self, Tx::Sqlite(_));
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Value>> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
            let mut sql = format!("{head} VALUES ");
            let mut n = 0;
            for (i, row) in chunk.iter().enumerate() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for j in 0..row.len() {
                    n += 1;
                    let sep = if j == 0 { "" } else { ", " };
                    if anonymous {
                        sql.push_str(sep);
                        sql.push('?');
                    } else {
                        sql.push_str(&format!("{sep}${n}"));
                    }
                }
                sql.push(')');
            }
            let mut statement = q(sql);
            for v in chunk.into_iter().flatten() {
                statement = statement.bind(v);
            }
            self.execute(statement).await?;
        }
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// A result row of either backend, read by column position.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    pub(crate) fn int(&self, i: usize) -> Result<i64> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
        })
    }

    pub(crate) fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
        })
    }

    pub(crate) fn text(&self, i: usize) -> Result<String> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
        })
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
        })
    }

    pub(crate) fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
        })
    }

    pub(crate) fn opt_bytes(&self, i: usize) -> Result<Option<Vec<u8>>> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(i)?,
            Row::Postgres(r) => r.try_get(i)?,
        })
    }

    /// A column holding one of the crate's ASCII codes or other parsed text.
    pub(crate) fn parsed<T: std::str::FromStr<Err = Error>>(&self, i: usize) -> Result<T> {
        self.text(i)?.parse()
    }

    pub(crate) fn opt_parsed<T: std::str::FromStr<Err = Error>>(
        &self,
        i: usize,
    ) -> Result<Option<T>> {
        self.opt_text(i)?.map(|s| s.parse()).transpose()
    }
}

impl Row {
    pub(crate) fn opt_date(&self, i: usize) -> Result<Option<vn_calendar::Date>> {
        self.opt_text(i)?.map(|s| parse_date(&s)).transpose()
    }
}

/// An ISO date from the database or a caller.
pub(crate) fn parse_date(s: &str) -> Result<vn_calendar::Date> {
    s.parse().map_err(|_| Error::Invalid {
        what: "ngày",
        value: s.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    /// The PostgreSQL schema is the SQLite schema with the dialect words substituted, line for
    /// line (comments aside): a column added to one file and not the other fails here. Every
    /// migration is compared but the trigger ones, which are written in each dialect's own
    /// language.
    #[test]
    fn migrations_are_in_step() {
        // Written in each dialect's own procedural language (2: the audit log's triggers; 11:
        // the triggers that forget a task's standing) or full-text machinery (6: FTS5 and its
        // triggers against a GIN tsvector index and PL/pgSQL triggers).
        const DIALECT_SPECIFIC: &[i64] = &[2, 6, 11, 12, 13];
        let code = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .map(str::to_owned)
                .collect()
        };
        let versions = |m: &[(i64, &str, &str)]| {
            m.iter()
                .map(|&(v, d, _)| (v, d.to_owned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            versions(super::SQLITE_MIGRATIONS),
            versions(super::POSTGRES_MIGRATIONS)
        );
        let mut compared = 0;
        for (sqlite, postgres) in super::SQLITE_MIGRATIONS
            .iter()
            .zip(super::POSTGRES_MIGRATIONS)
        {
            if DIALECT_SPECIFIC.contains(&sqlite.0) {
                continue;
            }
            let from_sqlite: Vec<String> = code(sqlite.2)
                .iter()
                .map(|l| {
                    l.replace(
                        "id INTEGER PRIMARY KEY",
                        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                    )
                    .replace(" INTEGER", " BIGINT")
                    .replace(" BLOB", " BYTEA")
                })
                .collect();
            assert_eq!(from_sqlite, code(postgres.2), "migration {}", sqlite.0);
            compared += 1;
        }
        assert_eq!(
            compared,
            super::SQLITE_MIGRATIONS.len() - DIALECT_SPECIFIC.len()
        );
    }
}
