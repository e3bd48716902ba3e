//! `nhiemvu tasks --as-of`: a listing may apply reorganisations already in force, never one
//! that is not yet.

use std::process::Command;

#[test]
fn as_of_a_future_date_is_refused_and_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("nhiemvu-cli-tasks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("t.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(["tasks", "--database", &db, "--as-of", "2999-01-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tương lai"));
    let out = Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(["tasks", "--database", &db, "--as-of", "20/01/2020"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a date not in YYYY-MM-DD is a usage error"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(["tasks", "--database", &db, "--as-of", "2020-01-01"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
