//! Review before commit over HTTP, as the monitor's clerk does it: upload, see the proposal,
//! save edits (problems come back field by field), commit once — a double submit gives the
//! same document. On SQLite, and on PostgreSQL when `NHIEMVU_TEST_POSTGRES` is set.

mod common;

use common::{Db, MODEL_CASE, Server, postgres};
use serde_json::{Value, json};

fn review_then_commit(db: Db) {
    let server = Server::start(db, &format!("imports_{db:?}"));
    let monitor = server.login("vanphong");
    let up = monitor.request(
        "POST",
        "/api/imports?file_name=2395-UBND-KTTH.txt",
        &[("content-type", "text/plain")],
        MODEL_CASE,
    );
    assert_eq!(up.status, 201, "{}", up.text());
    let draft = up.json();
    let id = draft["id"].as_i64().unwrap();
    let path = format!("/api/imports/{id}");
    assert_eq!(draft["state"], "open");
    assert_eq!(draft["document"]["code"], "2395/UBND-KTTH");
    assert_eq!(draft["problems"], json!([]));
    let mut tasks = draft["tasks"].as_array().unwrap().clone();
    assert_eq!(tasks.len(), 23);
    // The text the spans point into comes along, for highlighting.
    let text = draft["text"].as_str().unwrap();
    let span = &tasks[0]["span"];
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert!(text.get(a..b).is_some_and(|t| !t.is_empty()));
    assert_eq!(monitor.get("/api/imports").json()["items"][0]["id"], id);
    // Nothing is stored yet.
    assert_eq!(monitor.get("/api/documents").json()["items"], json!([]));

    // An agency's officer cannot see drafts.
    assert_eq!(server.login("chuyenvien.svhttdl").get(&path).status, 403);

    let put = |body: &Value| {
        monitor.request(
            "PUT",
            &path,
            &[("content-type", "application/json")],
            body.to_string().as_bytes(),
        )
    };
    let i23 = tasks.iter().position(|t| t["id"] == "2.3").unwrap();
    tasks[i23]["lead"] = json!([{"name": "Sở Không Có Thật", "kind": "agency"}]);
    let saved = put(&json!({"tasks": tasks, "revision": 0}));
    assert_eq!(saved.status, 200, "{}", saved.text());
    let problems = saved.json()["problems"].clone();
    assert_eq!(problems.as_array().unwrap().len(), 1, "{problems}");
    assert_eq!(
        (problems[0]["task"].as_str(), problems[0]["field"].as_str()),
        (Some("2.3"), Some("lead[0]"))
    );
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("không có trong danh mục")
    );

    let refused = monitor.request("POST", &format!("{path}/commit"), &[], b"");
    assert_eq!(
        (refused.status, refused.code()),
        (422, "review_invalid".into()),
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["details"][0]["field"], "lead[0]");
    assert_eq!(monitor.get("/api/documents").json()["items"], json!([]));

    // A save made on an old revision is refused; unknown fields and wrong types are 4xx.
    let stale = put(&json!({"tasks": tasks, "revision": 0}));
    assert_eq!((stale.status, stale.code()), (409, "draft_changed".into()));
    let mut misspelt = tasks.clone();
    misspelt[0]["deadlin"] = json!(null);
    assert_eq!(put(&json!({"tasks": misspelt})).code(), "invalid_field");
    assert_eq!(put(&json!({"tasks": "none"})).code(), "invalid_field");

    // Fixed, one task split in two, one deleted: committed as edited.
    tasks[i23]["lead"] = json!([{"name": "Sở Giao thông vận tải", "kind": "agency"}]);
    let mut second = tasks[i23].clone();
    second["id"] = json!("2.3.b");
    second["text"] = json!("Phần tách ra khi rà soát");
    second["span"] = json!(null);
    tasks.insert(i23 + 1, second);
    tasks.pop();
    let saved = put(&json!({"tasks": tasks, "revision": 1}));
    assert_eq!(saved.json()["problems"], json!([]), "{}", saved.text());
    let commit = monitor.request("POST", &format!("{path}/commit"), &[], b"");
    assert_eq!(commit.status, 201, "{}", commit.text());
    assert_eq!(commit.json()["tasks"], 23);
    let document = commit.json()["document"].as_i64().unwrap();
    let again = monitor.request("POST", &format!("{path}/commit"), &[], b"");
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(
        (
            again.json()["document"].as_i64(),
            again.json()["imported"].as_bool()
        ),
        (Some(document), Some(false))
    );
    let stored = monitor
        .get(&format!("/api/tasks?document={document}&limit=100"))
        .json();
    assert_eq!(stored["items"].as_array().unwrap().len(), 23);
    let t23 = stored["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["outline_id"] == "2.3")
        .unwrap()
        .clone();
    assert_eq!(t23["assignments"][0]["name"], "Sở Giao thông vận tải");
    assert_eq!(monitor.get(&path).json()["state"], "committed");
    assert_eq!(put(&json!({"tasks": tasks})).code(), "draft_closed");
    let audit = monitor.get("/api/audit?entity=import_draft").json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"commit") && actions.contains(&"edit"),
        "{audit}"
    );

    // Uploading the same file again says it is stored already; the draft can be discarded.
    let up = monitor.request(
        "POST",
        "/api/imports?file_name=copy.txt",
        &[("content-type", "text/plain")],
        MODEL_CASE,
    );
    assert_eq!(up.json()["already_imported"], document);
    let copy = up.json()["id"].as_i64().unwrap();
    assert_eq!(
        monitor
            .request("DELETE", &format!("/api/imports/{copy}"), &[], b"")
            .status,
        200
    );
    let gone = monitor.request("POST", &format!("/api/imports/{copy}/commit"), &[], b"");
    assert_eq!((gone.status, gone.code()), (409, "draft_closed".into()));
    assert_eq!(monitor.get("/api/imports").json()["items"], json!([]));
    assert_eq!(
        monitor.get("/api/imports?all=true").json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Bad uploads: a path in the name, an unreadable file.
    let r = monitor.request(
        "POST",
        "/api/imports?file_name=../x.txt",
        &[("content-type", "text/plain")],
        MODEL_CASE,
    );
    assert_eq!(r.code(), "invalid_file_name");
    let r = monitor.request(
        "POST",
        "/api/imports?file_name=x.docx",
        &[("content-type", "application/octet-stream")],
        b"PK\x03\x04 not a zip",
    );
    assert_eq!((r.status, r.code()), (422, "unreadable_document".into()));
}

#[test]
fn review_then_commit_on_sqlite() {
    review_then_commit(Db::Sqlite);
}

#[test]
fn review_then_commit_on_postgres() {
    if postgres().is_some() {
        review_then_commit(Db::Postgres);
    }
}
