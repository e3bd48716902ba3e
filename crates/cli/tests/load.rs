//! `nhiemvu bench load` for a few seconds against a real `nhiemvu serve` on SQLite: no 5xx,
//! no unexpected status, and the read-back finds every acknowledged write exactly once
//! (the short form of `bench/load.sh`, issue #13).

use std::path::Path;
use std::process::Command;

#[path = "common/server.rs"]
mod server;

const BIN: &str = env!("CARGO_BIN_EXE_nhiemvu");

fn nhiemvu(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("NHIEMVU_PASSWORD", "mat-khau-thu-tai")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "nhiemvu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn mixed_load_loses_no_acknowledged_write() {
    let dir = std::env::temp_dir().join(format!("nhiemvu_load_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("load.db");
    let url = format!("sqlite://{}", db.display());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let model = root.join("examples/2395-UBND-KTTH.txt");
    let demo = root.join("examples/demo/05-chuyen-doi-so-2024.txt");
    nhiemvu(&[
        "import",
        model.to_str().unwrap(),
        demo.to_str().unwrap(),
        "--commit",
        "--database",
        &url,
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
        let mut args = vec!["user", "add", login, "--role", nrole, "--database", &url];
        if let Some(a) = agency {
            args.extend(["--agency", a]);
        }
        nhiemvu(&args);
        let token = nhiemvu(&["user", "token", login, "--database", &url]);
        let token = token.lines().last().unwrap().trim();
        tokens.push_str(&format!("{role} {login} {token}\n"));
    }
    let token_file = dir.join("tokens");
    std::fs::write(&token_file, tokens).unwrap();

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
