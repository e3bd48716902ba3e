//! `nhiemvu backup` and `nhiemvu restore` through the real binary: the model case imported,
//! backed up, restored into a fresh SQLite file and (when `NHIEMVU_TEST_POSTGRES` holds a server
//! URL) into a fresh PostgreSQL schema; every table (documents, tasks, assignments, deadlines,
//! audit log, directory) must come back identical, as a second backup of the copy shows row for
//! row, and the copy must go on working (a further import gets fresh ids).
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/scratch.rs"]
mod scratch;
use scratch::pg;

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/2395-UBND-KTTH.txt"
);
const POSTGRES_VAR: &str = "NHIEMVU_TEST_POSTGRES";

fn unique() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{}_{nanos}", std::process::id())
}

fn nhiemvu(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(args)
        .args(["--database", url])
        .env_remove("DATABASE_URL")
        .output()
        .expect("nhiemvu runs")
}

fn ok(out: Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The rows of a backup file: every line but the header (which carries the time and backend).
fn rows(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

fn backup(url: &str, path: &Path) -> Vec<String> {
    ok(nhiemvu(url, &["backup", path.to_str().unwrap()]));
    rows(path)
}

struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("nhiemvu_backup_{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    fn sqlite(&self, name: &str) -> String {
        format!("sqlite://{}", self.dir.join(name).display())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// A SQLite store with the model case imported; its backup file and rows.
fn source(s: &Scratch) -> (String, PathBuf, Vec<String>) {
    let url = s.sqlite("source.db");
    ok(nhiemvu(&url, &["import", MODEL, "--commit"]));
    let file = s.path("source.jsonl");
    let dumped = backup(&url, &file);
    (url, file, dumped)
}

fn table_rows<'a>(dumped: &'a [String], table: &str) -> Vec<&'a String> {
    let header = format!("\"table\":\"{table}\"");
    let mut inside = false;
    dumped
        .iter()
        .filter(|l| {
            // Rows are arrays; objects are the table headers (and the end line).
            if l.starts_with('{') {
                inside = l.contains(&header);
                false
            } else {
                inside
            }
        })
        .collect()
}

#[test]
fn sqlite_round_trip_is_identical_and_keeps_working() {
    let s = Scratch::new();
    let (url, file, dumped) = source(&s);
    for (table, at_least) in [
        ("document", 1),
        ("task", 20),
        ("task_assignment", 20),
        ("task_deadline", 20),
        ("audit_log", 20),
    ] {
        assert!(
            table_rows(&dumped, table).len() >= at_least,
            "{table} in the backup"
        );
    }
    let copy = s.sqlite("copy.db");
    let restored = ok(nhiemvu(&copy, &["restore", file.to_str().unwrap()]));
    assert!(restored.starts_with("đã khôi phục"), "{restored}");
    assert_eq!(backup(&copy, &s.path("copy.jsonl")), dumped);
    assert_eq!(
        ok(nhiemvu(&copy, &["tasks", "--json"])),
        ok(nhiemvu(&url, &["tasks", "--json"]))
    );

    // The copy holds data now: restoring over it is refused (exit 1) unless forced.
    let refused = nhiemvu(&copy, &["restore", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    ok(nhiemvu(
        &copy,
        &["restore", file.to_str().unwrap(), "--force"],
    ));
    assert_eq!(backup(&copy, &s.path("copy2.jsonl")), dumped);
}

#[test]
fn damaged_backups_are_refused_and_change_nothing() {
    let s = Scratch::new();
    let (_, file, dumped) = source(&s);
    let text = std::fs::read_to_string(&file).unwrap();
    let target = s.sqlite("target.db");
    let before = backup(&target, &s.path("before.jsonl"));

    // Cut short: no end line.
    let cut = s.path("cut.jsonl");
    std::fs::write(
        &cut,
        text.lines()
            .take(dumped.len() / 2)
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    // A row with a wrong value in the middle.
    let wrong = s.path("wrong.jsonl");
    std::fs::write(&wrong, text.replacen("\"chua_thuc_hien\"", "12", 1)).unwrap();
    for (bad, says) in [
        (&cut, "cắt cụt"),
        (&wrong, "không hợp lệ"),
        (&s.path("missing.jsonl"), "không đọc được"),
    ] {
        let out = nhiemvu(&target, &["restore", bad.to_str().unwrap(), "--force"]);
        assert_eq!(out.status.code(), Some(2), "{}", bad.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(backup(&target, &s.path("after.jsonl")), before);
}

#[test]
fn sqlite_to_postgres_and_back() {
    let Some(base) = std::env::var(POSTGRES_VAR).ok().filter(|b| !b.is_empty()) else {
        println!("skipped: {POSTGRES_VAR} not set");
        return;
    };
    let s = Scratch::new();
    let (_, file, dumped) = source(&s);
    let schema = format!("backup_{}", unique());
    pg(&base, &format!("CREATE SCHEMA {schema}"));
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let result = std::panic::catch_unwind(|| {
        ok(nhiemvu(&url, &["restore", file.to_str().unwrap()]));
        let on_postgres = s.path("postgres.jsonl");
        assert_eq!(backup(&url, &on_postgres), dumped);
        // And back into SQLite from the PostgreSQL backup.
        let back = s.sqlite("back.db");
        ok(nhiemvu(&back, &["restore", on_postgres.to_str().unwrap()]));
        assert_eq!(backup(&back, &s.path("back.jsonl")), dumped);
        // The identity sequences continue after the restored ids: another document imports.
        let other = s.path("other.txt");
        std::fs::write(
            &other,
            std::fs::read_to_string(MODEL)
                .unwrap()
                .replace("**2395**", "**2396**"),
        )
        .unwrap();
        ok(nhiemvu(
            &url,
            &["import", other.to_str().unwrap(), "--commit"],
        ));
    });
    pg(&base, &format!("DROP SCHEMA {schema} CASCADE"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
