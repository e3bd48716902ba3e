//! `nhiemvu serve` started for a test.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts `bin serve` without the scheduler on a free port over the database `url`; the child
/// and the address it printed once ready (`http://127.0.0.1:PORT`).
pub fn serve(bin: &str, url: &str) -> (Child, String) {
    let mut server = Command::new(bin)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--no-scheduler",
            "--database",
            url,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    (server, addr)
}
