//! The contract test: schemathesis (PyPI) generates requests from the served OpenAPI document
//! and checks every answer against it (status codes, content types, response schemas, no
//! server error, schema-violating input rejected), on a real server over the model case with a
//! monitor's API token.
//!
//! Runs when `NHIEMVU_SCHEMATHESIS` names the `schemathesis` program (or it is on `PATH`);
//! otherwise it says it is skipped. About 30–40 s with the settings below.
//!
//! Two checks are left out, on purpose:
//! - `ignored_auth`: schemathesis sends a made-up cookie beside the valid bearer token and
//!   expects a refusal; the API takes the bearer token when one is sent (access.rs), which is
//!   the intended precedence, not a bypass (a request with only the made-up cookie is refused,
//!   which the authorization matrix checks).
//! - `positive_data_acceptance`: it expects a 2xx for any schema-valid body, but a schema
//!   cannot say "a readable directive" or "a transition the tracking rules allow"; those
//!   refusals are 4xx by design.

mod common;

use common::{Db, Server};
use serde_json::json;

fn program() -> Option<String> {
    if let Ok(p) = std::env::var("NHIEMVU_SCHEMATHESIS") {
        return Some(p);
    }
    let found = std::process::Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    found.then(|| "schemathesis".to_owned())
}

#[test]
fn every_answer_matches_the_openapi_document() {
    let Some(schemathesis) = program() else {
        eprintln!("schemathesis not found (NHIEMVU_SCHEMATHESIS or PATH): contract test skipped");
        return;
    };
    let server = Server::start(Db::Sqlite, "contract");
    server.import_model_case();
    let monitor = server.login("vanphong");
    let token = monitor
        .post_json("/api/tokens", &json!({"name": "schemathesis"}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Its caches (.schemathesis, .hypothesis) go to a scratch directory, not the crate's.
    let scratch = std::env::temp_dir().join(format!("nhiemvu_contract_{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let out = std::process::Command::new(schemathesis)
        .current_dir(&scratch)
        .args([
            "run",
            &format!("http://{}/api/openapi.json", server.addr),
            "--header",
            &format!("Authorization: Bearer {token}"),
            "--checks",
            "all",
            "--exclude-checks",
            "ignored_auth,positive_data_acceptance",
            "--max-examples",
            "20",
            "--seed",
            "1",
            "--workers",
            "2",
            "--request-timeout",
            "10",
        ])
        .output()
        .expect("run schemathesis");
    std::fs::remove_dir_all(&scratch).ok();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
