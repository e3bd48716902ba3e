//! What the fault and backup-under-load tests share (RELIABILITY.md): a store set up as
//! `bench/load.sh` sets one up (the model case and a demo directive, accounts of every role with
//! their API tokens), `nhiemvu serve` started on a given address with its output in a log file
//! (so that it can be killed and started again on the same port and database), `nhiemvu bench
//! load` run against it, and the figures read from the driver's output.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_nhiemvu");

/// `nhiemvu ARGS`, which must succeed; its standard output.
pub fn nhiemvu(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("NHIEMVU_PASSWORD", "mat-khau-thu-loi")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "nhiemvu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Imports the model case and one demo directive into the store at `url`, creates a monitor, a
/// leader, a head and an officer with API tokens; the token file (`ROLE LOGIN TOKEN` lines, as
/// `nhiemvu bench load` reads it), written into `dir`.
pub fn prepare(url: &str, dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let model = root.join("examples/2395-UBND-KTTH.txt");
    let demo = root.join("examples/demo/05-chuyen-doi-so-2024.txt");
    nhiemvu(&[
        "import",
        model.to_str().unwrap(),
        demo.to_str().unwrap(),
        "--commit",
        "--database",
        url,
    ]);
    let mut tokens = String::new();
    for (role, login, nrole, agency) in [
        ("monitor", "vanphong", "monitor", None),
        ("leader", "chutich", "leader", None),
        (
            "head",
            "giamdoc.svhttdl",
            "agency_head",
            Some("Sở Văn hóa, Thể thao và Du lịch"),
        ),
        (
            "officer",
            "chuyenvien.skhdt",
            "agency_officer",
            Some("Sở Kế hoạch và Đầu tư"),
        ),
    ] {
        let mut args = vec!["user", "add", login, "--role", nrole, "--database", url];
        if let Some(a) = agency {
            args.extend(["--agency", a]);
        }
        nhiemvu(&args);
        let token = nhiemvu(&["user", "token", login, "--database", url]);
        let token = token.lines().last().unwrap().trim();
        tokens.push_str(&format!("{role} {login} {token}\n"));
    }
    let file = dir.join("tokens");
    std::fs::write(&file, tokens).unwrap();
    file
}

/// The token of the first account of `role` in a token file.
pub fn token(file: &Path, role: &str) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .find_map(|l| {
            let mut parts = l.split_whitespace();
            (parts.next() == Some(role)).then(|| parts.nth(1).unwrap().to_owned())
        })
        .unwrap()
}

/// A free port on 127.0.0.1, so that a server killed there can be started again at the same
/// address (the load driver keeps its URL).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `nhiemvu serve` (no scheduler); killed when dropped.
pub struct Serve {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    pub log: PathBuf,
}

/// Starts `nhiemvu serve --listen LISTEN` over `url`, its standard output and error appended
/// to `log`; returns once it printed `listening on`.
pub fn serve(url: &str, listen: &str, log: &Path) -> Serve {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let start = std::fs::metadata(log).map_or(0, |m| m.len()) as usize;
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            listen,
            "--no-scheduler",
            "--database",
            url,
        ])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap();
    let began = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(addr) = text
            .get(start..)
            .and_then(|t| t.split("listening on http://").nth(1))
            .and_then(|t| t.lines().next())
        {
            return Serve {
                child,
                addr: addr.trim().to_owned(),
                log: log.to_owned(),
            };
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("nhiemvu serve ended ({status}) before listening:\n{text}");
        }
        assert!(
            began.elapsed() < Duration::from_secs(60),
            "nhiemvu serve not listening after 60 s:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Serve {
    /// SIGKILL, and the exit reaped.
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The log's text.
pub fn log_text(log: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(log).unwrap_or_default()).into_owned()
}

/// `nhiemvu bench load` running in the background.
pub struct Driver {
    child: Child,
    stderr: std::thread::JoinHandle<String>,
    started: std::sync::mpsc::Receiver<()>,
}

/// `nhiemvu bench load` against `addr`, started in the background.
pub fn load(addr: &str, tokens: &Path, seconds: u64, connections: u32, extra: &[&str]) -> Driver {
    let mut child = Command::new(BIN)
        .args([
            "bench",
            "load",
            "--url",
            &format!("http://{addr}"),
            "--token-file",
            tokens.to_str().unwrap(),
            "--seconds",
            &seconds.to_string(),
            "--connections",
            &connections.to_string(),
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, started) = std::sync::mpsc::channel();
    let mut pipe = std::io::BufReader::new(child.stderr.take().unwrap());
    let stderr = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        let mut line = String::new();
        while pipe.read_line(&mut line).unwrap_or(0) > 0 {
            // "… nhiệm vụ; chạy N s với C kết nối": the state before is read, the workers start.
            if line.contains(" kết nối") {
                tx.send(()).ok();
            }
            all.push_str(&line);
            line.clear();
        }
        all
    });
    Driver {
        child,
        stderr,
        started,
    }
}

impl Driver {
    /// Waits until the driver has read the state before the run and started its workers.
    pub fn wait_started(&self) {
        self.started
            .recv_timeout(Duration::from_secs(120))
            .expect("the load driver did not start its workers");
    }

    /// Waits for the end of the run; its output.
    pub fn finish(mut self) -> Output {
        let mut stdout = Vec::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_end(&mut stdout)
            .unwrap();
        let status = self.child.wait().unwrap();
        let stderr = self.stderr.join().unwrap().into_bytes();
        Output {
            status,
            stdout,
            stderr,
        }
    }
}

/// The driver's output, checked: `RESULT ok`, nothing lost or duplicated, writes of every kind
/// acknowledged (so the check checked something). Its standard output.
pub fn passed(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("RESULT ok"), "{stdout}");
    assert!(stdout.contains("lost or duplicated writes: 0"), "{stdout}");
    for kind in ["progress reports", "imports"] {
        assert!(
            number_before(&stdout, "acknowledged writes:", kind) > 0,
            "no {kind} acknowledged:\n{stdout}"
        );
    }
    stdout
}

/// The number right before `what` on the line starting with `line`.
pub fn number_before(stdout: &str, line: &str, what: &str) -> u64 {
    let l = stdout
        .lines()
        .find(|l| l.starts_with(line))
        .unwrap_or_else(|| panic!("no line {line:?} in\n{stdout}"));
    l.split(what)
        .next()
        .unwrap()
        .rsplit([' ', ':', ',', ';'])
        .find(|w| !w.is_empty())
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no number before {what:?} in {l:?}"))
}

/// The `outage:` line of a run with `--tolerate-outage`: requests that failed, and writes
/// acknowledged after the last failure.
pub fn outage(stdout: &str) -> (u64, u64) {
    (
        number_before(stdout, "outage:", "requests failed"),
        number_before(stdout, "outage:", "writes acknowledged after"),
    )
}

/// One HTTP/1.1 request with a bearer token on a new connection: status and body. `None` when
/// no answer came (connection refused or cut).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    let mut data = Vec::new();
    s.read_to_end(&mut data).ok()?;
    let text = String::from_utf8_lossy(&data).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|b| b.1.to_owned())?;
    // Chunked bodies are short JSON here; strip the chunk sizes crudely.
    let body = if text
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body.lines()
            .filter(|l| !l.trim().chars().all(|c| c.is_ascii_hexdigit()))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        body
    };
    Some((status, body))
}

/// A pseudo-random number below `n`, different each run (the moments faults are injected at).
pub fn random_below(n: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut x = nanos ^ u64::from(std::process::id()).rotate_left(32);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x % n.max(1)
}

/// Seconds a fault run lasts: `NHIEMVU_FAULT_SECONDS`, else `default` (a few seconds, for CI).
pub fn seconds(default: u64) -> u64 {
    std::env::var("NHIEMVU_FAULT_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// What [`check_store`] found.
#[derive(Debug, Default)]
pub struct StoreCheck {
    pub documents: i64,
    pub tasks: i64,
    pub reports: i64,
    pub problems: Vec<String>,
}

/// Counts that must be zero in a store where nothing is half-written: each with what it means.
const HALF_WRITTEN: &[(&str, &str)] = &[
    (
        "SELECT COUNT(*) FROM document d WHERE NOT EXISTS (SELECT 1 FROM task t WHERE t.document_id = d.id)",
        "documents without tasks",
    ),
    (
        "SELECT COUNT(*) FROM task WHERE document_id NOT IN (SELECT id FROM document)",
        "tasks without their document",
    ),
    (
        "SELECT COUNT(*) FROM task_assignment WHERE task_id NOT IN (SELECT id FROM task)",
        "assignments without their task",
    ),
    (
        "SELECT COUNT(*) FROM task WHERE CAST(id AS TEXT) NOT IN (SELECT entity_id FROM audit_log WHERE entity = 'task')",
        "tasks without their audit row",
    ),
    (
        "SELECT COUNT(*) FROM document WHERE CAST(id AS TEXT) NOT IN \
         (SELECT entity_id FROM audit_log WHERE entity = 'document' AND action = 'import')",
        "documents without their import audit row",
    ),
    (
        "SELECT COUNT(*) FROM document WHERE sha256 NOT IN (SELECT sha256 FROM file_blob)",
        "documents without their original",
    ),
    (
        "SELECT COUNT(*) FROM progress_report r WHERE NOT EXISTS (SELECT 1 FROM attachment a WHERE a.report_id = r.id)",
        "progress reports without their attachment (every report of these runs has one)",
    ),
    (
        "SELECT COUNT(*) FROM attachment WHERE sha256 NOT IN (SELECT sha256 FROM file_blob)",
        "attachments without their content",
    ),
    (
        "SELECT COUNT(*) FROM task t WHERE EXISTS (SELECT 1 FROM task_status_change c WHERE c.task_id = t.id) \
         AND t.status <> (SELECT c.to_status FROM task_status_change c WHERE c.task_id = t.id ORDER BY c.id DESC LIMIT 1)",
        "tasks whose status is not where their history ends",
    ),
];

enum Db {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Db {
    async fn count(&mut self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Db::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Reads the store at `url` directly (the server stopped or not): SQLite's own integrity and
/// foreign-key checks, every document with exactly the tasks its stored parse lists, and the
/// [`HALF_WRITTEN`] counts zero.
pub fn check_store(url: &str) -> StoreCheck {
    use sqlx::Connection;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut check = StoreCheck::default();
        let mut db = if url.starts_with("sqlite://") {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(&mut c)
                .await
                .unwrap();
            if integrity != ["ok"] {
                check
                    .problems
                    .push(format!("PRAGMA integrity_check: {integrity:?}"));
            }
            let broken = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut c)
                .await
                .unwrap()
                .len();
            if broken > 0 {
                check
                    .problems
                    .push(format!("PRAGMA foreign_key_check: {broken} rows"));
            }
            Db::Sqlite(c)
        } else {
            Db::Postgres(sqlx::PgConnection::connect(url).await.unwrap())
        };
        for (sql, what) in HALF_WRITTEN {
            let n = db.count(sql).await;
            if n != 0 {
                check.problems.push(format!("{n} {what}"));
            }
        }
        let sql = "SELECT d.id, d.parse_result, (SELECT COUNT(*) FROM task t WHERE t.document_id = d.id) FROM document d";
        let rows: Vec<(i64, String, i64)> = match &mut db {
            Db::Sqlite(c) => sqlx::query_as(sql).fetch_all(c).await,
            Db::Postgres(c) => sqlx::query_as(sql).fetch_all(c).await,
        }
        .unwrap();
        for (id, parse, stored) in &rows {
            let parse: serde_json::Value = serde_json::from_str(parse).unwrap();
            let listed = parse["tasks"].as_array().map_or(0, Vec::len) as i64;
            if listed != *stored {
                check.problems.push(format!(
                    "document {id}: {stored} tasks stored, its parse lists {listed}"
                ));
            }
        }
        check.documents = rows.len() as i64;
        check.tasks = db.count("SELECT COUNT(*) FROM task").await;
        check.reports = db.count("SELECT COUNT(*) FROM progress_report").await;
        match db {
            Db::Sqlite(c) => c.close().await.ok(),
            Db::Postgres(c) => c.close().await.ok(),
        };
        check
    })
}
