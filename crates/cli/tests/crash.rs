//! Nothing lost (PRODUCT.md targets): the real binary is killed with SIGKILL in the middle of a
//! bulk import, and the database must hold only whole documents (each with exactly the tasks,
//! assignments, deadlines and audit rows its file gives); a second run then completes the
//! import with every document present once. On SQLite, and on a fresh PostgreSQL schema when
//! `NHIEMVU_TEST_POSTGRES` holds a server URL (otherwise that half says it is skipped).
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

#[path = "common/scratch.rs"]
mod scratch;
use scratch::pg;

#[path = "common/corpus.rs"]
mod corpus;

const POSTGRES_VAR: &str = "NHIEMVU_TEST_POSTGRES";
/// Enough documents that the kill lands well inside the run, few enough for a debug build.
const DOCUMENTS: usize = 200;

/// One row per stored document: file name, tasks, assignments, deadlines, import audit rows.
const PER_DOCUMENT: &str = "SELECT d.file_name, \
    (SELECT COUNT(*) FROM task t WHERE t.document_id = d.id), \
    (SELECT COUNT(*) FROM task_assignment a JOIN task t ON t.id = a.task_id WHERE t.document_id = d.id), \
    (SELECT COUNT(*) FROM task_deadline l JOIN task t ON t.id = l.task_id WHERE t.document_id = d.id), \
    (SELECT COUNT(*) FROM audit_log g WHERE g.entity = 'document' AND g.entity_id = CAST(d.id AS TEXT)) \
    FROM document d ORDER BY d.file_name";

/// Counts that must be zero in a consistent store.
const ORPHANS: &[&str] = &[
    "SELECT COUNT(*) FROM task WHERE document_id NOT IN (SELECT id FROM document)",
    "SELECT COUNT(*) FROM task_assignment WHERE task_id NOT IN (SELECT id FROM task)",
    "SELECT COUNT(*) FROM task_deadline WHERE task_id NOT IN (SELECT id FROM task)",
    "SELECT COUNT(*) FROM document_reference WHERE document_id NOT IN (SELECT id FROM document)",
    "SELECT COUNT(*) FROM audit_log WHERE entity = 'task' AND entity_id NOT IN (SELECT CAST(id AS TEXT) FROM task)",
    "SELECT COUNT(*) FROM task WHERE CAST(id AS TEXT) NOT IN (SELECT entity_id FROM audit_log WHERE entity = 'task')",
    "SELECT COUNT(*) FROM document WHERE sha256 NOT IN (SELECT sha256 FROM file_blob)",
];

type DocRow = (String, i64, i64, i64, i64);

enum Db {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Db {
    async fn connect(url: &str) -> Db {
        if url.starts_with("sqlite://") {
            Db::Sqlite(
                sqlx::SqliteConnection::connect(url)
                    .await
                    .expect("open SQLite"),
            )
        } else {
            Db::Postgres(
                sqlx::PgConnection::connect(url)
                    .await
                    .expect("open PostgreSQL"),
            )
        }
    }

    /// The number of documents, or 0 before the importer created the schema.
    async fn documents(&mut self) -> i64 {
        let sql = "SELECT COUNT(*) FROM document";
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await.unwrap_or(0),
            Db::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await.unwrap_or(0),
        }
    }

    async fn count(&mut self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Db::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
        .expect(sql)
    }

    async fn per_document(&mut self) -> Vec<DocRow> {
        match self {
            Db::Sqlite(c) => sqlx::query_as(PER_DOCUMENT).fetch_all(c).await,
            Db::Postgres(c) => sqlx::query_as(PER_DOCUMENT).fetch_all(c).await,
        }
        .expect(PER_DOCUMENT)
    }

    async fn close(self) {
        match self {
            Db::Sqlite(c) => c.close().await.ok(),
            Db::Postgres(c) => c.close().await.ok(),
        };
    }
}

/// What parsing generated file `i` gives: tasks and assignments (every document task has one
/// deadline row).
fn expected(i: usize) -> (i64, i64) {
    // Read and parsed as `nhiemvu import` does, so the counts are the importer's own.
    let name = format!("{i:05}.txt");
    let extracted = ingest::read_bytes(
        corpus::directive(i).as_bytes(),
        &name,
        &ingest::Options::default(),
    )
    .expect("a generated directive reads");
    let source = doc_parse::SourceInfo {
        file: name,
        format: extracted.format.as_str().to_owned(),
        sha256: extracted.sha256.clone(),
    };
    let parsed = doc_parse::parse(&extracted.text, source);
    let tasks = &parsed.document.tasks;
    let assignments = tasks
        .iter()
        .map(|t| t.lead.len() + t.support.len())
        .sum::<usize>();
    (tasks.len() as i64, assignments as i64)
}

/// Every stored document is whole and nothing hangs loose; the stored file names.
async fn check_consistent(db: &mut Db, expect: &HashMap<String, (i64, i64)>) -> Vec<String> {
    for sql in ORPHANS {
        assert_eq!(db.count(sql).await, 0, "{sql}");
    }
    let rows = db.per_document().await;
    for (file, tasks, assignments, deadlines, audit) in &rows {
        let &(t, a) = expect
            .get(file)
            .unwrap_or_else(|| panic!("unexpected document {file}"));
        assert_eq!(
            (*tasks, *assignments, *deadlines, *audit),
            (t, a, t, 1),
            "document {file}"
        );
    }
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'document' AND action = 'import'")
            .await,
        rows.len() as i64
    );
    rows.into_iter().map(|r| r.0).collect()
}

fn import(url: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nhiemvu"));
    cmd.arg("import")
        .arg(dir)
        .args(["--commit", "--database", url])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn killed_mid_import_leaves_whole_documents(url: &str, dir: &Path) {
    let input = dir.join("in");
    corpus::write(&input, DOCUMENTS);
    let expect: HashMap<String, (i64, i64)> = (0..DOCUMENTS)
        .map(|i| (format!("{i:05}.txt"), expected(i)))
        .collect();
    // A different moment every run: after 1 to 40 documents, plus up to 20 ms, so the kill
    // falls at any point of a document's transaction over many runs.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as i64;
    let threshold = 1 + nanos % 40;
    let extra = Duration::from_micros((nanos / 40 % 20_000) as u64);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut child = import(url, &input).spawn().expect("nhiemvu runs");
        let started = Instant::now();
        // The importer creates the database; connect once it exists.
        let mut db = loop {
            let ready = if let Some(path) = url.strip_prefix("sqlite://") {
                std::path::Path::new(path).exists()
            } else {
                true
            };
            if ready {
                break Db::connect(url).await;
            }
            // Generous: a CI machine under load can be slow to start; this only stops a hang.
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "no database after 120 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        while db.documents().await < threshold {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "import too slow to start"
            );
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "import ended ({status}) before the kill, {} documents in",
                    db.documents().await
                );
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(extra);
        child.kill().expect("SIGKILL");
        child.wait().unwrap();

        let stored = check_consistent(&mut db, &expect).await;
        assert!(
            !stored.is_empty() && stored.len() < DOCUMENTS,
            "killed after {} of {DOCUMENTS} documents",
            stored.len()
        );
        println!(
            "killed after {} documents (threshold {threshold})",
            stored.len()
        );
        db.close().await;

        let status = import(url, &input).status().unwrap();
        assert!(status.success(), "second import: {status}");
        let mut db = Db::connect(url).await;
        let mut stored = check_consistent(&mut db, &expect).await;
        stored.dedup();
        assert_eq!(stored.len(), DOCUMENTS, "every document once");
        db.close().await;
    });
}

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{}_{nanos}", std::process::id())
}

#[test]
fn sqlite_killed_mid_import() {
    let dir = std::env::temp_dir().join(format!("nhiemvu_crash_{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("nhiemvu.db").display());
    killed_mid_import_leaves_whole_documents(&url, &dir);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn postgres_killed_mid_import() {
    let Some(base) = std::env::var(POSTGRES_VAR).ok().filter(|b| !b.is_empty()) else {
        println!("skipped: {POSTGRES_VAR} not set");
        return;
    };
    let schema = format!("crash_{}", unique());
    pg(&base, &format!("CREATE SCHEMA {schema}"));
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let dir = std::env::temp_dir().join(format!("nhiemvu_crash_{schema}"));
    std::fs::create_dir_all(&dir).unwrap();
    killed_mid_import_leaves_whole_documents(&url, &dir);
    std::fs::remove_dir_all(&dir).ok();
    pg(&base, &format!("DROP SCHEMA {schema} CASCADE"));
}
