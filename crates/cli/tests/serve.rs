//! `nhiemvu user add` and `nhiemvu serve` as an operator runs them: the binary on a random
//! port, an account created from the command line, a sign-in over HTTP.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

#[path = "common/server.rs"]
mod server;

#[test]
fn serve_prints_its_address_and_accepts_a_user_added_from_the_command_line() {
    let db = std::env::temp_dir().join(format!("nhiemvu_serve_{}.db", std::process::id()));
    let url = format!("sqlite://{}", db.display());
    let bin = env!("CARGO_BIN_EXE_nhiemvu");
    let mut add = Command::new(bin)
        .args([
            "user",
            "add",
            "quantri",
            "--role",
            "admin",
            "--database",
            &url,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"mat-khau-quan-tri\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    let short = Command::new(bin)
        .args(["user", "add", "ngan", "--role", "admin", "--database", &url])
        .env("NHIEMVU_PASSWORD", "ngan")
        .output()
        .unwrap();
    assert!(!short.status.success());

    let (mut server, addr) = server::serve(bin, &url);
    let addr = addr.strip_prefix("http://").unwrap().to_owned();
    let body = r#"{"login": "quantri", "password": "mat-khau-quan-tri"}"#;
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    server.kill().ok();
    server.wait().ok();
    for suffix in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{suffix}", db.display())).ok();
    }
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("nhiemvu_session=") && response.contains("csrf_token"));
}
