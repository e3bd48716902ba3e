//! The API over real HTTP: the model case's flow, the authorization matrix, bad input, and the
//! OpenAPI document's completeness. Each runs on SQLite, and on PostgreSQL when
//! `NHIEMVU_TEST_POSTGRES` is set.

mod common;

use common::{Db, Server, postgres};
use serde_json::json;

fn model_case_flow(db: Db) {
    let server = Server::start(db, &format!("model_{db:?}"));
    let document = server.import_model_case();
    let t23 = server.task(document, "2.3");

    let monitor = server.login("vanphong");
    let head = server.login("giamdoc.svhttdl");
    let officer = server.login("chuyenvien.svhttdl");
    let outsider = server.login("chuyenvien.sgtvt");
    let leader = server.login("chutich");

    // The same file again writes nothing.
    let again = monitor.request(
        "POST",
        "/api/documents?file_name=2395.txt",
        &[],
        common::MODEL_CASE,
    );
    assert_eq!(
        (again.status, again.json()["imported"].clone()),
        (200, json!(false))
    );

    // An officer lists only their agency's tasks, 2.3 among them.
    let own = officer.get("/api/tasks?limit=100").json();
    let ids: Vec<i64> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&t23) && ids.len() < 23, "{ids:?}");
    let all = monitor.get("/api/tasks?limit=10").json();
    assert_eq!(all["items"].as_array().unwrap().len(), 10);
    let next = all["next"].as_i64().unwrap();
    let rest = monitor
        .get(&format!("/api/tasks?after={next}&limit=100"))
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 13);
    assert!(rest["next"].is_null());
    let found = monitor.get("/api/tasks?text=du%20lich&limit=100").json();
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == t23)
    );

    // Search ignores diacritics and shows an agency only its own tasks.
    let hits = |client: &common::Client, q: &str| -> Vec<(String, i64)> {
        let r = client.get(&format!("/api/search?q={q}&limit=500"));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["kind"].as_str().unwrap().to_owned(),
                    h["id"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let t23_hit = ("task".to_owned(), t23);
    assert!(hits(&monitor, "du%20lich").contains(&t23_hit));
    assert!(hits(&officer, "DU%20L%E1%BB%8ACH").contains(&t23_hit));
    assert!(!hits(&outsider, "du%20lich").contains(&t23_hit));
    assert!(
        hits(&monitor, "so%20ke%20hoach")
            .iter()
            .any(|(kind, _)| kind == "task")
    );
    assert!(hits(&monitor, "2395%20ubnd").contains(&("document".to_owned(), document)));
    assert_eq!(monitor.get("/api/search?q=%20-%20").status, 422);

    // Another agency's officer cannot see or touch it.
    let r = outsider.get(&format!("/api/tasks/{t23}"));
    assert_eq!((r.status, r.code().as_str()), (403, "not_your_agency"));

    // Hand over, start, report with an attachment, report done.
    let r = head.post_json(
        &format!("/api/tasks/{t23}/hand-over"),
        &json!({"officer": "chuyenvien.svhttdl"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = officer.post_json(
        &format!("/api/tasks/{t23}/transitions"),
        &json!({"action": "start"}),
    );
    assert_eq!(
        (r.status, r.json()["status"].clone()),
        (200, json!("dang_thuc_hien")),
        "{}",
        r.text()
    );
    let detail = officer.get(&format!("/api/tasks/{t23}")).json();
    assert!(
        detail["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("report_done"))
    );
    let r = officer.multipart(
        &format!("/api/tasks/{t23}/reports"),
        &[
            (
                "report",
                None,
                "application/json",
                r#"{"content": "Đã khảo sát các điểm du lịch", "percent": 100}"#.as_bytes(),
            ),
            (
                "file",
                Some("bao-cao.pdf"),
                "application/pdf",
                b"%PDF-1.4 bao cao",
            ),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = officer.post_json(
        &format!("/api/tasks/{t23}/transitions"),
        &json!({"action": "report_done"}),
    );
    assert_eq!(r.json()["status"], "cho_xac_nhan");

    // The officer cannot confirm their own work; the monitor confirms.
    let r = officer.post_json(
        &format!("/api/tasks/{t23}/transitions"),
        &json!({"action": "confirm"}),
    );
    assert_eq!(
        (r.status, r.code().as_str()),
        (403, "not_permitted"),
        "{}",
        r.text()
    );
    let r = monitor.post_json(
        &format!("/api/tasks/{t23}/transitions"),
        &json!({"action": "confirm"}),
    );
    assert_eq!(r.json()["status"], "hoan_thanh", "{}", r.text());

    let detail = leader.get(&format!("/api/tasks/{t23}")).json();
    let history: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["dang_thuc_hien", "cho_xac_nhan", "hoan_thanh"]);
    assert_eq!(
        detail["reports"][0]["attachments"][0]["file_name"],
        "bao-cao.pdf"
    );
    let attachment = detail["reports"][0]["attachments"][0]["id"]
        .as_i64()
        .unwrap();
    let file = officer.get(&format!("/api/attachments/{attachment}"));
    assert_eq!(
        (file.status, file.body.as_slice()),
        (200, &b"%PDF-1.4 bao cao"[..])
    );
    assert_eq!(
        file.header("content-disposition").unwrap(),
        "attachment; filename=\"bao-cao.pdf\"; filename*=UTF-8''bao-cao.pdf"
    );
    assert_eq!(file.header("content-type").unwrap(), "application/pdf");
    let r = outsider.get(&format!("/api/attachments/{attachment}"));
    assert_eq!((r.status, r.code().as_str()), (403, "not_your_agency"));

    // Counts: 2.3 is done (late: the deadline was 2022); the head sees only their agency.
    let counts = leader
        .get(&format!("/api/counts?document={document}"))
        .json();
    let row = counts["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == common::CULTURE)
        .unwrap()
        .clone();
    assert_eq!(
        row["counts"]["done_on_time"].as_u64().unwrap()
            + row["counts"]["done_late"].as_u64().unwrap(),
        1
    );
    let own_counts = head.get("/api/counts").json();
    let names: Vec<&str> = own_counts["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, [common::CULTURE]);
    let by_doc = monitor.get("/api/counts?by=document").json();
    assert_eq!(by_doc["rows"].as_array().unwrap().len(), 1);
    // An agency's counts by document keep the documents assigning it a task, and no other.
    let documents = |client: &common::Client| {
        client.get("/api/counts?by=document").json()["rows"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(documents(&head), 1);
    let outsider_tasks = outsider.get("/api/tasks?limit=1").json()["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(documents(&outsider), outsider_tasks.min(1));

    // Every change is in the audit log; signing out ends the session.
    let audit = monitor.get("/api/audit?entity=task&limit=500").json();
    for action in ["hand_over", "start", "report_done", "confirm"] {
        assert!(
            audit["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == action),
            "{action}"
        );
    }
    let r = officer.request("POST", "/api/logout", &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(officer.get("/api/me").status, 401);
}

#[test]
fn model_case_over_http_on_sqlite() {
    model_case_flow(Db::Sqlite);
}

#[test]
fn model_case_over_http_on_postgres() {
    if postgres().is_some() {
        model_case_flow(Db::Postgres);
    }
}

/// The accounts of the matrix: anonymous, then [`common::ACCOUNTS`] in order.
const WHO: [&str; 8] = [
    "anonymous",
    "chutich",
    "vanphong",
    "giamdoc.svhttdl",
    "chuyenvien.svhttdl",
    "giamdoc.sgtvt",
    "chuyenvien.sgtvt",
    "quantri",
];

fn authorization_matrix(db: Db) {
    let server = Server::start(db, &format!("matrix_{db:?}"));
    let document = server.import_model_case();
    // 2.3 is led by the culture department: "own" for its head and officer, "other" for
    // the transport department's.
    let t23 = server.task(document, "2.3");
    let task_id: store::TaskId = t23.to_string().parse().unwrap();
    let report = store::NewReport {
        task: task_id,
        agency: None,
        author: None,
        status: None,
        percent: None,
        content: "Báo cáo kèm tệp".into(),
        result: None,
        attachments: vec![store::NewAttachment {
            file_name: "ke-hoach.pdf".into(),
            media_type: "application/pdf".into(),
            bytes: b"%PDF-1.4".to_vec(),
        }],
    };
    server
        .rt
        .block_on(
            server
                .store
                .add_progress_report(&report, store::Actor::System),
        )
        .unwrap();
    let att = server
        .rt
        .block_on(server.store.progress_reports(task_id))
        .unwrap()[0]
        .attachments[0]
        .id
        .get();
    let clients: Vec<common::Client> = WHO
        .iter()
        .map(|w| {
            if *w == "anonymous" {
                server.anonymous()
            } else {
                server.login(w)
            }
        })
        .collect();
    let task = format!("/api/tasks/{t23}");
    // (method, path, body, expected status for each of WHO). Bodies are chosen to fail
    // after the access layer (a rule, a validation) so that nothing changes between cells.
    let cells: Vec<(&str, String, Option<serde_json::Value>, [u16; 8])> = vec![
        //                                                                                       anon lead mon  headO offO headX offX admin
        (
            "GET",
            "/api/me".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/tasks".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            task.clone(),
            None,
            [401, 200, 200, 200, 200, 403, 403, 403],
        ),
        (
            "GET",
            "/api/documents".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            format!("/api/documents/{document}"),
            None,
            [401, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "POST",
            "/api/documents".into(),
            Some(json!({})),
            [401, 403, 400, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/imports".into(),
            Some(json!({})),
            [401, 403, 400, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/imports".into(),
            None,
            [401, 403, 200, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/imports/999999".into(),
            None,
            [401, 403, 404, 403, 403, 403, 403, 403],
        ),
        (
            "PUT",
            "/api/imports/999999".into(),
            Some(json!({"tasks": []})),
            [401, 403, 404, 403, 403, 403, 403, 403],
        ),
        (
            "DELETE",
            "/api/imports/999999".into(),
            None,
            [401, 403, 404, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/imports/999999/commit".into(),
            None,
            [401, 403, 404, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/api/parse".into(),
            Some(json!({})),
            [401, 400, 400, 400, 400, 400, 400, 400],
        ),
        (
            "POST",
            format!("{task}/transitions"),
            Some(json!({"action": "confirm"})),
            [401, 409, 409, 409, 409, 403, 403, 403],
        ),
        (
            "POST",
            format!("{task}/hand-over"),
            Some(json!({"officer": "khong.co"})),
            [401, 403, 403, 404, 403, 403, 403, 403],
        ),
        (
            "POST",
            format!("{task}/reports"),
            Some(json!({"content": " "})),
            [401, 422, 422, 422, 422, 403, 403, 403],
        ),
        (
            "POST",
            format!("{task}/extensions"),
            Some(json!({"proposed_due_on": "x", "reason": "r"})),
            [401, 403, 403, 422, 422, 403, 403, 403],
        ),
        (
            "POST",
            "/api/extensions/999999/decision".into(),
            Some(json!({"approve": true})),
            [401, 404, 403, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/api/search?q=so%20ke%20hoach".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            "/api/counts".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 403],
        ),
        (
            "GET",
            "/api/agencies".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/users".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/audit".into(),
            None,
            [401, 403, 200, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/notices".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/tokens".into(),
            Some(json!({"name": ""})),
            [401, 422, 422, 422, 422, 422, 422, 422],
        ),
        (
            "POST",
            "/api/logout".into(),
            None,
            [401, 0, 0, 0, 0, 0, 0, 0],
        ),
        (
            "POST",
            "/api/login".into(),
            Some(json!({})),
            [422, 422, 422, 422, 422, 422, 422, 422],
        ),
        (
            "GET",
            format!("/api/attachments/{att}"),
            None,
            [401, 200, 200, 200, 200, 403, 403, 403],
        ),
        (
            "POST",
            "/api/notices/999999/read".into(),
            None,
            [401, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            "/api/users".into(),
            Some(json!({})),
            [401, 403, 403, 403, 403, 403, 403, 422],
        ),
        (
            "GET",
            "/api/reorganisations".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/api/reorganisations/999999/apply".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 404],
        ),
        (
            "POST",
            "/api/webhooks".into(),
            Some(json!({})),
            [401, 403, 403, 403, 403, 403, 403, 422],
        ),
        (
            "GET",
            "/api/webhooks".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "DELETE",
            "/api/webhooks/999999".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 404],
        ),
        (
            "GET",
            "/api/webhooks/999999/deliveries".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 404],
        ),
        (
            "GET",
            "/api/settings".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "PUT",
            "/api/settings".into(),
            Some(json!({"reminders": {"overdue_first_working_days": 0}})),
            [401, 403, 403, 403, 403, 403, 403, 422],
        ),
        (
            "GET",
            "/api/calendar/changes".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/api/calendar/changes".into(),
            Some(json!({})),
            [401, 403, 403, 403, 403, 403, 403, 422],
        ),
        (
            "DELETE",
            "/api/calendar/changes/999999".into(),
            None,
            [401, 403, 403, 403, 403, 403, 403, 404],
        ),
        (
            "GET",
            "/api/openapi.json".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/docs".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &cells {
        for (i, client) in clients.iter().enumerate() {
            if expected[i] == 0 {
                continue; // signing out would end the session the other cells use
            }
            let r = match body {
                Some(b) => client.request(
                    method,
                    path,
                    &[("content-type", "application/json")],
                    b.to_string().as_bytes(),
                ),
                None => client.request(method, path, &[], b""),
            };
            if r.status != expected[i] {
                failures.push(format!(
                    "{method} {path} as {}: {} (expected {}) {}",
                    WHO[i],
                    r.status,
                    expected[i],
                    r.text()
                ));
            }
            if r.status >= 400 {
                let e = r.json();
                for field in ["message", "code", "type", "link"] {
                    assert!(e[field].is_string(), "{method} {path}: {field} in {e}");
                }
            }
        }
    }
    // Every route of the table is in the matrix.
    for route in web::ROUTES {
        let templated = |p: &str| {
            p.split('?')
                .next()
                .unwrap_or_default()
                .replace(&format!("/attachments/{att}"), "/attachments/{id}")
                .replace(&t23.to_string(), "{id}")
                .replace(&document.to_string(), "{id}")
                .replace("999999", "{id}")
        };
        assert!(
            cells
                .iter()
                .any(|(m, p, _, _)| *m == route.method.as_str() && templated(p) == route.path),
            "{} {} missing from the matrix",
            route.method,
            route.path
        );
    }
    assert!(
        failures.is_empty(),
        "{} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Nothing in the matrix changed the task.
    assert_eq!(clients[2].get(&task).json()["status"], "chua_thuc_hien");
}

#[test]
fn authorization_matrix_on_sqlite() {
    authorization_matrix(Db::Sqlite);
}

#[test]
fn authorization_matrix_on_postgres() {
    if postgres().is_some() {
        authorization_matrix(Db::Postgres);
    }
}

#[test]
fn bad_input_gets_a_clear_4xx_and_writes_nothing() {
    let server = Server::start(Db::Sqlite, "bad_input");
    let document = server.import_model_case();
    let t23 = server.task(document, "2.3");
    let monitor = server.login("vanphong");
    let officer = server.login("chuyenvien.svhttdl");
    let path = format!("/api/tasks/{t23}/transitions");

    let audit_start = server.rt.block_on(server.store.audit_len()).unwrap();
    let malformed = monitor.request(
        "POST",
        &path,
        &[("content-type", "application/json")],
        b"{\"action\": ",
    );
    assert_eq!(
        (malformed.status, malformed.code().as_str()),
        (400, "invalid_json"),
        "{}",
        malformed.text()
    );
    assert!(
        malformed.json()["message"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );
    let wrong_type = monitor.post_json(&path, &json!({"action": 5}));
    assert_eq!(
        (wrong_type.status, wrong_type.code().as_str()),
        (422, "invalid_field")
    );
    assert!(
        wrong_type.json()["message"]
            .as_str()
            .unwrap()
            .contains("sai kiểu"),
        "{}",
        wrong_type.text()
    );
    let unknown = monitor.post_json(&path, &json!({"action": "start", "sneaky": true}));
    assert_eq!(
        (unknown.status, unknown.code().as_str()),
        (422, "invalid_field")
    );
    assert!(
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .contains("sneaky"),
        "{}",
        unknown.text()
    );
    let no_type = monitor.request("POST", &path, &[], br#"{"action": "start"}"#);
    assert_eq!(no_type.status, 415);
    let big = json!({"action": "start", "reason": "x".repeat(400 * 1024)});
    let too_big = monitor.post_json(&path, &big);
    assert_eq!(
        (too_big.status, too_big.code().as_str()),
        (413, "payload_too_large")
    );
    let bad_query = monitor.get("/api/tasks?limit=abc");
    assert_eq!(
        (bad_query.status, bad_query.code().as_str()),
        (400, "invalid_query")
    );
    let unknown_query = monitor.get("/api/tasks?colour=red");
    assert_eq!(unknown_query.status, 400);
    let bad_status = monitor.get("/api/tasks?status=done");
    assert_eq!(bad_status.status, 422);
    assert_eq!(monitor.get("/api/khong-co").code(), "no_route");
    assert_eq!(
        monitor.request("DELETE", "/api/tasks", &[], b"").status,
        405
    );

    // Path traversal in an attachment's name: refused, no report written.
    let r = officer.multipart(
        &format!("/api/tasks/{t23}/reports"),
        &[
            (
                "report",
                None,
                "application/json",
                r#"{"content": "Báo cáo"}"#.as_bytes(),
            ),
            (
                "file",
                Some("../../etc/passwd"),
                "text/plain",
                b"root:x:0:0",
            ),
        ],
    );
    assert_eq!(
        (r.status, r.code().as_str()),
        (400, "invalid_file_name"),
        "{}",
        r.text()
    );
    let r = monitor.request(
        "POST",
        "/api/documents?file_name=..%2F..%2Fx.txt",
        &[],
        common::MODEL_CASE,
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        server.rt.block_on(server.store.audit_len()).unwrap(),
        audit_start,
        "bad input wrote nothing"
    );
    // An oversized upload.
    let small = Server::start_with(
        Db::Sqlite,
        "bad_input_small",
        web::Config {
            upload_bytes: 1024,
            ..web::Config::default()
        },
    );
    let r = small.login("vanphong").request(
        "POST",
        "/api/parse?file_name=a.txt",
        &[],
        &vec![b'a'; 4096],
    );
    assert_eq!((r.status, r.code().as_str()), (413, "payload_too_large"));

    // A cookie without the CSRF header cannot change anything.
    let mut forged = server.login("chuyenvien.svhttdl");
    forged.csrf = None;
    let audit_before = server.rt.block_on(server.store.audit_len()).unwrap();
    let r = forged.post_json(&path, &json!({"action": "start"}));
    assert_eq!((r.status, r.code().as_str()), (403, "csrf_token_invalid"));
    assert_eq!(
        server.rt.block_on(server.store.audit_len()).unwrap(),
        audit_before
    );

    // An API token needs no CSRF header; it is shown once and stored hashed.
    let token = monitor.post_json("/api/tokens", &json!({"name": "lgsp"}));
    assert_eq!(token.status, 201);
    let system = common::Client {
        addr: server.addr,
        cookie: None,
        csrf: None,
        bearer: token.json()["token"].as_str().map(str::to_owned),
    };
    assert_eq!(system.get("/api/me").json()["user"]["login"], "vanphong");
    let wrong = common::Client {
        bearer: Some("0".repeat(64)),
        ..server.anonymous()
    };
    assert_eq!(wrong.get("/api/me").status, 401);
}

#[test]
fn login_is_throttled_per_login() {
    let server = Server::start(Db::Sqlite, "throttle");
    let anon = server.anonymous();
    for _ in 0..web::auth::MAX_FAILURES_PER_LOGIN {
        let r = anon.post_json(
            "/api/login",
            &json!({"login": "chutich", "password": "sai"}),
        );
        assert_eq!((r.status, r.code().as_str()), (401, "invalid_credentials"));
    }
    // Even the right password is refused now, with a clear message and Retry-After.
    let r = anon.post_json(
        "/api/login",
        &json!({"login": "chutich", "password": common::PASSWORD}),
    );
    assert_eq!(r.status, 429);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("thử lại sau")
    );
    assert!(r.header("retry-after").is_some());
    // Another login is not affected.
    server.login("vanphong");
    let unknown = anon.post_json("/api/login", &json!({"login": "khong.co", "password": "x"}));
    assert_eq!(unknown.status, 401);
}

#[test]
fn openapi_describes_every_route_and_the_docs_page_is_self_contained() {
    let server = Server::start(Db::Sqlite, "openapi");
    let anon = server.anonymous();
    let spec = anon.get("/api/openapi.json").json();
    assert_eq!(spec["openapi"], "3.1.0");
    for route in web::ROUTES {
        let op = &spec["paths"][route.path][route.method.as_str().to_lowercase()];
        assert!(
            op["summary"].is_string(),
            "{} {} undescribed",
            route.method,
            route.path
        );
        // And the router serves it (anything but "no such route").
        let path = route.path.replace("{id}", "1");
        let r = anon.request(route.method.as_str(), &path, &[], b"");
        assert!(
            !(r.status == 404 && r.code() == "no_route"),
            "{} {}",
            route.method,
            route.path
        );
    }
    let refs = spec.to_string();
    for r in refs.split("#/components/schemas/").skip(1) {
        let name = r.split('"').next().unwrap();
        assert!(
            spec["components"]["schemas"][name].is_object(),
            "schema {name} referenced but missing"
        );
    }
    let docs = anon.get("/api/docs");
    assert!(
        docs.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = docs.text();
    assert!(
        html.contains("/api/openapi.json")
            && !html.contains("http://")
            && !html.contains("https://")
            && !html.contains("src=")
    );
}

fn administration(db: Db) {
    let server = Server::start(db, &format!("admin_{db:?}"));
    let admin = server.login("quantri");
    let officer = server.login("chuyenvien.svhttdl");

    // Accounts: created with roles and agencies, able to sign in at once.
    let culture = server
        .rt
        .block_on(server.store.find_agency(common::CULTURE))
        .unwrap()
        .unwrap()
        .id
        .get();
    let new = json!({"login": "chuyenvien2.svhttdl", "full_name": "Nguyễn Thị Hoa",
        "email": "hoa@svhttdl.quangngai.gov.vn", "password": "mat-khau-moi-dai",
        "roles": ["agency_officer"], "agencies": [culture]});
    let r = admin.post_json("/api/users", &new);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["agencies"], json!([culture]));
    let anon = server.anonymous();
    let r = anon.post_json(
        "/api/login",
        &json!({"login": "chuyenvien2.svhttdl", "password": "mat-khau-moi-dai"}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(admin.post_json("/api/users", &new).status, 409);
    for (field, value) in [
        ("roles", json!(["sep"])),
        ("password", json!("ngan")),
        ("agencies", json!([])),
        ("agencies", json!([999999])),
        ("login", json!("co khoang trang")),
    ] {
        let mut bad = new.clone();
        bad["login"] = json!("moi.hoan.toan");
        bad[field] = value;
        let r = admin.post_json("/api/users", &bad);
        assert!(
            [404, 422].contains(&r.status),
            "{field}: {} {}",
            r.status,
            r.text()
        );
    }
    let users = admin.get("/api/users?limit=500").json();
    assert!(
        !users["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["login"] == "moi.hoan.toan"),
        "a refused account was half-written"
    );

    // Reorganisations: listed, and one in force applied once.
    let list = admin.get("/api/reorganisations?limit=500").json();
    let today = store::Timestamp::now().date_in_vietnam().to_string();
    let due = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["applied_at"].is_null() && r["effective_on"].as_str().unwrap() <= today.as_str()
        })
        .expect("a reorganisation in force")["id"]
        .as_i64()
        .unwrap();
    let r = admin.request(
        "POST",
        &format!("/api/reorganisations/{due}/apply"),
        &[],
        b"",
    );
    assert_eq!(
        (r.status, r.json()["applied"].clone()),
        (200, json!(true)),
        "{}",
        r.text()
    );
    let r = admin.request(
        "POST",
        &format!("/api/reorganisations/{due}/apply"),
        &[],
        b"",
    );
    assert_eq!(r.json()["applied"], json!(false));

    // Webhooks: a system holding an admin token subscribes; the secret is shown once.
    let token = admin
        .post_json("/api/tokens", &json!({"name": "lgsp"}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let system = common::Client {
        bearer: Some(token),
        ..server.anonymous()
    };
    let r = system.post_json(
        "/api/webhooks",
        &json!({"url": "https://lgsp.quangngai.gov.vn/hook", "events": ["task.status_changed"]}),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.json()["message"].as_str().unwrap().contains("proxy"),
        "{}",
        r.text()
    );
    let r = system.post_json(
        "/api/webhooks",
        &json!({"url": "http://127.0.0.1:9/hook", "events": ["khong.co"]}),
    );
    assert_eq!(r.status, 422);
    let r = system.post_json(
        "/api/webhooks",
        &json!({"url": "http://127.0.0.1:9/hook", "events": ["task.status_changed", "report.filed"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let hook = r.json();
    assert_eq!(hook["secret"].as_str().unwrap().len(), 64);
    let id = hook["id"].as_i64().unwrap();
    let list = system.get("/api/webhooks").json();
    assert_eq!(list["items"][0]["id"], id);
    assert!(list["items"][0]["secret"].is_null());
    assert_eq!(
        system.get(&format!("/api/webhooks/{id}/deliveries")).json()["items"],
        json!([])
    );
    let r = system.request("DELETE", &format!("/api/webhooks/{id}"), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(system.get("/api/webhooks").json()["items"][0]["revoked_at"].is_string());

    // Settings and calendar changes: in force at once, refused when wrong.
    assert_eq!(
        admin.get("/api/settings").json()["near_due_working_days"],
        3
    );
    let put = |body: serde_json::Value| {
        admin.request(
            "PUT",
            "/api/settings",
            &[("content-type", "application/json")],
            body.to_string().as_bytes(),
        )
    };
    let r = put(json!({"near_due_working_days": 5, "reminders": {"before_working_days": [4, 2]}}));
    assert_eq!(r.status, 200, "{}", r.text());
    let now = admin.get("/api/settings").json();
    assert_eq!(now["near_due_working_days"], 5);
    assert_eq!(now["reminders"]["before_working_days"], json!([4, 2]));
    assert_eq!(now["reminders"]["overdue_every_working_days"], 5);
    for bad in [
        json!({"near_due_working_days": 400}),
        json!({"reminders": {"before_working_days": [0]}}),
        json!({"khong_co": 1}),
    ] {
        assert_eq!(put(bad.clone()).status, 422, "{bad}");
    }
    assert_eq!(
        admin.get("/api/settings").json()["near_due_working_days"],
        5
    );
    let day = json!({"date": "2030-01-07", "kind": "day_off", "note": "Quyết định thử"});
    let r = admin.post_json("/api/calendar/changes", &day);
    assert_eq!(r.status, 201, "{}", r.text());
    let change = r.json();
    assert_eq!(
        (&change["date"], &change["kind"]),
        (&json!("2030-01-07"), &json!("day_off"))
    );
    // Posted again: the same change, nothing new; the same day otherwise: refused.
    assert_eq!(
        admin.post_json("/api/calendar/changes", &day).json()["id"],
        change["id"]
    );
    let mut other = day.clone();
    other["kind"] = json!("working_day");
    let r = admin.post_json("/api/calendar/changes", &other);
    assert_eq!((r.status, r.code().as_str()), (409, "calendar_day_taken"));
    for (field, value) in [("date", "2030-02-30"), ("kind", "le"), ("note", " ")] {
        let mut bad = day.clone();
        bad["date"] = json!("2030-01-08");
        bad[field] = json!(value);
        assert_eq!(
            admin.post_json("/api/calendar/changes", &bad).status,
            422,
            "{field}"
        );
    }
    let list = admin.get("/api/calendar/changes").json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let path = format!("/api/calendar/changes/{}", change["id"]);
    assert_eq!(admin.request("DELETE", &path, &[], b"").status, 200);
    assert_eq!(admin.request("DELETE", &path, &[], b"").status, 404);

    // Notices: read by their owner only.
    let (me, other) = server.rt.block_on(async {
        (
            server
                .store
                .user_by_login("chuyenvien.svhttdl")
                .await
                .unwrap(),
            server.store.user_by_login("chutich").await.unwrap(),
        )
    });
    let notice = server
        .rt
        .block_on(server.store.enqueue_notice(
            &store::NewNotice {
                user: me,
                task: None,
                kind: "urge".into(),
                dedupe_key: "thu".into(),
                title: "Đôn đốc".into(),
                body: "Đề nghị báo cáo".into(),
            },
            store::Timestamp::now(),
        ))
        .unwrap()
        .unwrap();
    assert_ne!(me, other);
    assert_eq!(
        officer.get("/api/notices?unread=true").json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let leader = server.login("chutich");
    let r = leader.request("POST", &format!("/api/notices/{notice}/read"), &[], b"");
    assert_eq!(r.status, 404);
    let r = officer.request("POST", &format!("/api/notices/{notice}/read"), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        officer.get("/api/notices?unread=true").json()["items"],
        json!([])
    );
}

#[test]
fn administration_on_sqlite() {
    administration(Db::Sqlite);
}

#[test]
fn administration_on_postgres() {
    if postgres().is_some() {
        administration(Db::Postgres);
    }
}
