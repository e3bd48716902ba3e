//! `nhiemvu bench load` for a few seconds against a real `nhiemvu serve` on SQLite: no 5xx,
//! no unexpected status, and the read-back finds every acknowledged write exactly once
//! (the short form of `bench/load.sh`, issue #13).

use std::process::Command;

#[path = "common/rig.rs"]
mod rig;
#[path = "common/server.rs"]
mod server;

use rig::BIN;

#[test]
fn mixed_load_loses_no_acknowledged_write() {
    let dir = std::env::temp_dir().join(format!("nhiemvu_load_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("load.db");
    let url = format!("sqlite://{}", db.display());
    let token_file = rig::prepare(&url, &dir);

    let (mut server, addr) = server::serve(BIN, &url);
    let pid = server.id().to_string();
    let out = Command::new(BIN)
        .args([
            "bench",
            "load",
            "--url",
            &addr,
            "--token-file",
            token_file.to_str().unwrap(),
            "--seconds",
            "4",
            "--connections",
            "4",
            "--pid",
            &pid,
        ])
        .output()
        .unwrap();
    server.kill().ok();
    server.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("RESULT ok"), "{stdout}");
    assert!(stdout.contains(", 5xx: 0,"), "{stdout}");
    assert!(stdout.contains("lost or duplicated writes: 0"), "{stdout}");
    assert!(stdout.contains("server RSS: start"), "{stdout}");
    // Writes of every kind were acknowledged, so the check checked something.
    let acked = stdout
        .lines()
        .find(|l| l.starts_with("acknowledged writes:"))
        .unwrap();
    for kind in ["progress reports", "transitions", "imports"] {
        let n: u64 = acked
            .split(kind)
            .next()
            .unwrap()
            .rsplit([' ', ':', ','])
            .find(|w| !w.is_empty())
            .unwrap()
            .parse()
            .unwrap();
        assert!(n > 0, "no {kind} acknowledged: {acked}");
    }
}
