//! Webhooks end to end: a local HTTP receiver that fails the first POST with a 500, a
//! subscription, a document import and a status change; the deliveries arrive signed, the
//! failed one again after its retry time with the same delivery id. On SQLite, and on
//! PostgreSQL when `NHIEMVU_TEST_POSTGRES` is set.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use scheduler::{Scheduler, webhook};
use store::{Actor, NewUser, Role, Store, Timestamp};
use vn_calendar::Calendar;
use workflow::{Action, Settings};

mod common;

use common::MODEL_CASE;
const SECRET: &str = "khoa-bi-mat-cua-he-thong-lgsp";

/// One request as received: headers (lower-case names) and body.
type Received = (HashMap<String, String>, Vec<u8>);

/// A receiver on a free port answering each request with the next status of `statuses`
/// (200 once they run out).
fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/nhiemvu/hook", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        let mut statuses = statuses.into_iter();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = HashMap::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with("POST /nhiemvu/hook HTTP/1.1"), "{line}");
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (k, v) = l.split_once(':').unwrap();
                headers.insert(k.to_ascii_lowercase(), v.trim().to_owned());
            }
            let n: usize = headers["content-length"].parse().unwrap();
            let mut body = vec![0; n];
            reader.read_exact(&mut body).unwrap();
            seen.lock().unwrap().push((headers, body));
            let status = statuses.next().unwrap_or(200);
            let reason = if status == 200 {
                "OK"
            } else {
                "Internal Server Error"
            };
            write!(
                stream,
                "HTTP/1.1 {status} {reason}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            )
            .unwrap();
        }
    });
    (url, got)
}

async fn scenario(store: Store) {
    let (url, got) = receiver(vec![500]);
    let admin = store
        .create_user(
            &NewUser {
                login: "lgsp".into(),
                full_name: "Hệ thống LGSP".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::Admin],
            },
            Actor::System,
        )
        .await
        .unwrap();
    // https is refused with a pointer to a local proxy.
    let err = store
        .create_webhook(
            "https://lgsp.quangngai.gov.vn/hook",
            &["task.status_changed".into()],
            SECRET,
            Actor::User(admin),
            Timestamp::now(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("proxy"), "{err}");
    let hook = store
        .create_webhook(
            &url,
            &["task.status_changed".into(), "document.imported".into()],
            SECRET,
            Actor::User(admin),
            Timestamp::now(),
        )
        .await
        .unwrap();

    // An import and a transition.
    let text = vn_text::normalize(MODEL_CASE);
    let parsed = doc_parse::parse(
        &text,
        doc_parse::SourceInfo {
            file: "2395-UBND-KTTH.txt".into(),
            format: "text".into(),
            sha256: String::new(),
        },
    );
    let store::CommitOutcome::Imported { document, .. } = store
        .commit_document(&parsed, MODEL_CASE.as_bytes(), Actor::System)
        .await
        .unwrap()
    else {
        panic!("imported before")
    };
    let t23 = store
        .tasks_of_document(document)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.outline_id == "2.3")
        .unwrap()
        .id;
    let monitor = store
        .create_user(
            &NewUser {
                login: "vanphong".into(),
                full_name: "Văn phòng".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::Monitor],
            },
            Actor::System,
        )
        .await
        .unwrap();
    store
        .transition(
            t23,
            &Action::Suspend {
                reason: "Chờ kinh phí".into(),
            },
            monitor,
            Timestamp::now(),
        )
        .await
        .unwrap();

    let scheduler = Scheduler::new(
        store.clone(),
        Calendar::new(),
        Settings::default(),
        None,
        "kiem-thu-webhook",
    );
    // Changes younger than the settling time wait for the next run.
    assert_eq!(
        scheduler
            .run_webhooks(Timestamp::now())
            .await
            .unwrap()
            .planned,
        0
    );
    let at = Timestamp::now() + Duration::from_secs(60);
    let run = scheduler.run_webhooks(at).await.unwrap();
    assert_eq!((run.planned, run.sent, run.failed), (2, 1, 1), "{run:?}");
    let deliveries = store.webhook_deliveries(hook.id, 10).await.unwrap();
    let failed = deliveries.iter().find(|d| d.sent_at.is_none()).unwrap();
    assert_eq!(failed.last_status, Some(500));
    assert_eq!(failed.not_before, at + Duration::from_secs(30));
    // Not before its time; then sent again, with the same delivery id.
    let run = scheduler
        .run_webhooks(at + Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!((run.planned, run.sent, run.failed), (0, 0, 0));
    let run = scheduler
        .run_webhooks(at + Duration::from_secs(31))
        .await
        .unwrap();
    assert_eq!((run.sent, run.failed), (1, 0));

    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    for (headers, body) in &got {
        assert!(webhook::verify(
            SECRET,
            body,
            &headers["x-nhiemvu-signature"]
        ));
        assert!(!webhook::verify(
            "khoa-khac-hoan-toan-1234",
            body,
            &headers["x-nhiemvu-signature"]
        ));
        let payload: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(payload["id"], headers["x-nhiemvu-delivery"].as_str());
        assert_eq!(payload["event"], headers["x-nhiemvu-event"].as_str());
    }
    assert_eq!(
        got[0].0["x-nhiemvu-delivery"],
        got[2].0["x-nhiemvu-delivery"]
    );
    let events: Vec<serde_json::Value> = got
        .iter()
        .map(|(_, b)| serde_json::from_slice(b).unwrap())
        .collect();
    let status = events
        .iter()
        .find(|e| e["event"] == "task.status_changed")
        .unwrap();
    assert_eq!(status["task"], t23.get());
    assert_eq!(status["document"], document.get());
    assert_eq!(status["after"]["status"], "tam_hoan");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "document.imported" && e["document"] == document.get())
    );
    assert!(
        store
            .webhook_deliveries(hook.id, 10)
            .await
            .unwrap()
            .iter()
            .all(|d| d.sent_at.is_some())
    );

    // Revoked: nothing more is planned.
    store
        .revoke_webhook(hook.id, Actor::User(admin), Timestamp::now())
        .await
        .unwrap();
    store
        .transition(
            t23,
            &Action::Resume { previous: None },
            monitor,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let run = scheduler
        .run_webhooks(Timestamp::now() + Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(run.planned, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_signed_and_retried_on_sqlite() {
    common::on_sqlite("webhooks", scenario).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_signed_and_retried_on_postgres() {
    common::on_postgres("webhooks", scenario).await;
}
