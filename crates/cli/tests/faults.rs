//! Faults (issue #13, RELIABILITY.md "Faults"): the real `nhiemvu serve` under the load driver's
//! mixed traffic (progress reports with attachments, transitions, extension requests, imports)
//! while something goes wrong; the driver's own read-back then checks that every acknowledged
//! write is stored exactly once and every new document whole, and the store is read directly
//! for anything half-written ([`rig::check_store`]).
//!
//! - `sigkill_*`: the server is killed with SIGKILL twice at random moments and started again
//!   on the same database and port; on SQLite, and on a fresh PostgreSQL schema when
//!   `NHIEMVU_TEST_POSTGRES` is set (otherwise that half says it is skipped).
//! - `disk_full_sqlite`: the database lives on a small tmpfs, filled to the last bytes: writes
//!   must be refused with a clear error while reads go on and the process stays up; once space
//!   is freed, writes succeed again without a restart. Needs root (mount); otherwise skipped
//!   with a message.
//!
//! `NHIEMVU_FAULT_SECONDS` makes the runs longer (bench/faults.sh).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[path = "common/rig.rs"]
mod rig;
#[path = "common/scratch.rs"]
mod scratch;

use scratch::{Backend, POSTGRES_VAR, Scratch};

/// Kills the server twice at random moments of a run of `seconds`, each time starting it again
/// on the same database and address; the driver (tolerating the outages) must then find every
/// acknowledged write once, and the store must hold nothing half-written.
fn sigkill_during_writes(s: &Scratch, label: &str) {
    let tokens = rig::prepare(&s.url, &s.dir);
    let listen = format!("127.0.0.1:{}", rig::free_port());
    let log = s.path("server.log");
    let mut server = rig::serve(&s.url, &listen, &log);
    let seconds = rig::seconds(6);
    let driver = rig::load(&server.addr, &tokens, seconds, 4, &["--tolerate-outage"]);
    driver.wait_started();
    let began = Instant::now();
    // Two kills: the first 1.0–2.5 s into the run, the second 1.0–2.0 s after the restart (with
    // the default 6 s), so that the run ends on a server that has been up for a while.
    let span = seconds * 1000;
    let first = Duration::from_millis(span / 6 + rig::random_below(span / 4));
    let mut kills = Vec::new();
    std::thread::sleep(first);
    for round in 0..2 {
        assert!(
            server.alive(),
            "the server died on its own:\n{}",
            rig::log_text(&log)
        );
        server.kill();
        let at = began.elapsed();
        // Down for up to 300 ms: requests meanwhile get no answer.
        std::thread::sleep(Duration::from_millis(rig::random_below(300)));
        let restarted = Instant::now();
        server = rig::serve(&s.url, &listen, &log);
        kills.push(format!(
            "{:.2} s (back in {} ms)",
            at.as_secs_f64(),
            restarted.elapsed().as_millis()
        ));
        if round == 0 {
            std::thread::sleep(Duration::from_millis(
                span / 6 + rig::random_below(span / 6),
            ));
        }
    }
    let out = driver.finish();
    let stdout = rig::passed(&out);
    println!("{label}: killed at {}\n{stdout}", kills.join(", "));
    let (failed, after) = rig::outage(&stdout);
    assert!(failed > 0, "the kills went unnoticed:\n{stdout}");
    assert!(
        after > 0,
        "no write acknowledged after the restarts:\n{stdout}"
    );
    let text = rig::log_text(&log);
    assert!(!text.contains("panicked"), "{text}");
    server.kill();
    let check = rig::check_store(&s.url);
    println!(
        "{label}: store read directly: {} documents, {} tasks, {} progress reports; problems: {}",
        check.documents,
        check.tasks,
        check.reports,
        check.problems.len()
    );
    assert!(check.problems.is_empty(), "{:#?}", check.problems);
}

#[test]
fn sigkill_during_writes_sqlite() {
    let s = Scratch::new(Backend::Sqlite).unwrap();
    sigkill_during_writes(&s, "SQLite");
}

#[test]
fn sigkill_during_writes_postgres() {
    match Scratch::new(Backend::Postgres) {
        Some(s) => sigkill_during_writes(&s, "PostgreSQL"),
        None => println!("skipped: {POSTGRES_VAR} not set"),
    }
}

/// A tmpfs mounted for the test, unmounted (lazily, if still busy) when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Result<Mount, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !out.status.success() {
            std::fs::remove_dir(dir).ok();
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        Ok(Mount(dir.to_owned()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let done = std::process::Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            std::process::Command::new("umount")
                .arg("-l")
                .arg(&self.0)
                .status()
                .ok();
        }
        std::fs::remove_dir(&self.0).ok();
    }
}

/// Fills the file system of `path` to the last byte, then gives back `margin` bytes.
fn fill(path: &Path, margin: u64) -> u64 {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match f.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    // A last partial chunk, byte by byte up to the limit.
    while f.write(&chunk[..1]).is_ok_and(|n| n == 1) {
        written += 1;
    }
    f.set_len(written.saturating_sub(margin)).unwrap();
    f.sync_all().ok();
    written
}

#[test]
fn disk_full_sqlite() {
    let s = Scratch::new(Backend::Sqlite).unwrap();
    let mount = match Mount::tmpfs(&s.path("full"), "24m") {
        Ok(m) => m,
        Err(e) => {
            println!("skipped: cannot mount a tmpfs (needs root): {e}");
            return;
        }
    };
    let url = format!("sqlite://{}", mount.0.join("nhiemvu.db").display());
    let tokens = rig::prepare(&url, &s.dir);
    let monitor = rig::token(&tokens, "monitor");
    // The log stays on the big disk: a server that cannot write its log is another test.
    let log = s.path("server.log");
    let listen = format!("127.0.0.1:{}", rig::free_port());
    let mut server = rig::serve(&url, &listen, &log);
    let seconds = rig::seconds(8);
    let driver = rig::load(&server.addr, &tokens, seconds, 4, &["--tolerate-outage"]);
    driver.wait_started();
    let began = Instant::now();
    std::thread::sleep(Duration::from_millis(1000));

    // Fill the disk but for 64 KiB; the driver's writes soon use that up.
    let ballast = mount.0.join("ballast");
    let filled = fill(&ballast, 64 * 1024);
    let full_at = began.elapsed();

    // Probes: API tokens created one after another (rows the driver does not check; this test
    // checks them). Until the first refusal, then a while longer.
    let mut acknowledged = Vec::new();
    let mut refusals: Vec<(u16, String)> = Vec::new();
    let mut n = 0;
    let addr = server.addr.clone();
    let probe = |n: u32| {
        rig::http(
            &addr,
            "POST",
            "/api/tokens",
            &monitor,
            Some(&format!("{{\"name\": \"tham-do-{n}\"}}")),
        )
    };
    let full_until = loop {
        n += 1;
        match probe(n) {
            Some((201, _)) => acknowledged.push(n),
            Some((status, body)) => refusals.push((status, body)),
            None => panic!("no answer while the disk is full:\n{}", rig::log_text(&log)),
        }
        if refusals.len() >= 10 {
            break began.elapsed();
        }
        assert!(
            began.elapsed() < full_at + Duration::from_secs(30),
            "the disk never filled ({filled} bytes of ballast, {} probes acknowledged)",
            acknowledged.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // While full: the process is up, reads are answered. Search is not a pure read: it first
    // folds the documents and tasks changed since the last search into its index (a write), so
    // it may be refused like a write while the disk is full.
    assert!(server.alive(), "the server died:\n{}", rig::log_text(&log));
    for path in [
        "/api/me",
        "/api/tasks?limit=5",
        "/api/documents",
        "/api/counts",
    ] {
        let r = rig::http(&addr, "GET", path, &monitor, None);
        assert_eq!(
            r.as_ref().map(|r| r.0),
            Some(200),
            "GET {path} while full: {r:?}"
        );
    }
    let search = rig::http(&addr, "GET", "/api/search?q=kiem%20tra", &monitor, None).unwrap();
    if search.0 != 200 {
        refusals.push(search.clone());
    }
    for (status, body) in &refusals {
        assert!(
            *status == 507 || *status == 500,
            "refused with {status}: {body}"
        );
        let e: serde_json::Value = serde_json::from_str(body).unwrap();
        let message = e["message"].as_str().unwrap();
        assert!(!message.is_ascii(), "a Vietnamese message: {message}");
    }

    // Space freed: writes must go through again, at once, without a restart. (Found by this
    // test: a pooled SQLite connection whose transaction SQLite rolled back by itself on
    // SQLITE_FULL refused every later BEGIN until the process ended; the store's pool now
    // closes such a connection instead of reusing it.)
    std::fs::remove_file(&ballast).unwrap();
    let freed_at = began.elapsed();
    let recovered = loop {
        n += 1;
        if let Some((201, _)) = probe(n) {
            acknowledged.push(n);
            break began.elapsed();
        }
        assert!(
            began.elapsed() < freed_at + Duration::from_secs(5),
            "writes still refused 5 s after space was freed:\n{}",
            rig::log_text(&log)
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = driver.finish();
    let stdout = rig::passed(&out);
    let (failed, after) = rig::outage(&stdout);
    assert!(failed > 0, "the driver never met the full disk:\n{stdout}");
    assert!(
        after > 0,
        "no write of the driver acknowledged after space was freed:\n{stdout}"
    );
    assert!(server.alive(), "the server died:\n{}", rig::log_text(&log));
    let text = rig::log_text(&log);
    assert!(!text.contains("panicked"), "{text}");
    server.kill();

    // Every acknowledged probe is stored once; the file is sound.
    let check = rig::check_store(&url);
    assert!(check.problems.is_empty(), "{:#?}", check.problems);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let names: Vec<String> = runtime.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT name FROM api_token WHERE name LIKE 'tham-do-%'")
            .fetch_all(&mut c)
            .await
            .unwrap()
    });
    for k in &acknowledged {
        let times = names
            .iter()
            .filter(|x| **x == format!("tham-do-{k}"))
            .count();
        assert_eq!(times, 1, "acknowledged probe {k} stored {times} times");
    }
    let (status, body) = &refusals[0];
    let message = serde_json::from_str::<serde_json::Value>(body).unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    // What the server logged about it (the database's own words stay in the log).
    let logged = text
        .lines()
        .find(|l| l.contains("lỗi nội bộ"))
        .unwrap_or("nothing")
        .to_owned();
    println!(
        "disk full: search while full: HTTP {}; the server logged: {logged}; writes resumed without a restart",
        search.0,
    );
    println!(
        "disk full: ballast {filled} bytes at {:.1} s, {} probes refused until {:.1} s (first: HTTP {status} {message:?}), \
         space freed at {:.1} s, writes acknowledged again at {:.1} s; {} probes acknowledged, all stored once; \
         store: {} documents, {} tasks, {} progress reports, integrity ok\n{stdout}",
        full_at.as_secs_f64(),
        refusals.len(),
        full_until.as_secs_f64(),
        freed_at.as_secs_f64(),
        recovered.as_secs_f64(),
        acknowledged.len(),
        check.documents,
        check.tasks,
        check.reports,
    );
}
