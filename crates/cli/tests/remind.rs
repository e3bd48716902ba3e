//! Reminder delivery survives a crash: two `nhiemvu remind` processes share one database and
//! one SMTP server; the first is killed (SIGKILL) after the server has the message but before
//! the process could mark it sent. Every reminder must arrive, any copy must carry the same
//! Message-ID, and in-app notices must be neither lost nor doubled. On SQLite, and on
//! PostgreSQL when `NHIEMVU_TEST_POSTGRES` is set.
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mail::{SinkOptions, SmtpSink};
use store::{Actor, NewUser, Role, Store, Timestamp, UserId};
use workflow::Action;

#[path = "common/scratch.rs"]
mod scratch;
use scratch::{Backend, Scratch, text};

const MODEL_CASE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/2395-UBND-KTTH.txt"
);
const CULTURE: &str = "Sở Văn hóa, Thể thao và Du lịch";

#[test]
fn reminders_survive_a_crash_on_sqlite() {
    scratch::run(Backend::Sqlite, crash_between_sending_and_marking);
}

#[test]
fn reminders_survive_a_crash_on_postgres() {
    scratch::run(Backend::Postgres, crash_between_sending_and_marking);
}

fn remind(s: &Scratch, at: &str, smtp: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nhiemvu"));
    c.args([
        "remind",
        "--at",
        at,
        "--smtp",
        smtp,
        "--from",
        "nhacviec@quangngai.gov.vn",
        "--lease-seconds",
        "60",
    ])
    .args(["--database", &s.url])
    .env_remove("DATABASE_URL");
    c
}

/// The officer and the head of Sở Văn hóa, Thể thao và Du lịch, task 2.3 handed to the officer
/// and started: on 4 January 2023 it is one working day overdue, so both are reminded.
fn people(s: &Scratch) -> (UserId, UserId) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&s.url).await.unwrap();
        let agency = store.find_agency(CULTURE).await.unwrap().unwrap();
        let mut ids = Vec::new();
        for (login, role) in [
            ("giamdoc", Role::AgencyHead),
            ("chuyenvien", Role::AgencyOfficer),
        ] {
            let new = NewUser {
                login: login.into(),
                full_name: login.into(),
                email: Some(format!("{login}@quangngai.gov.vn")),
                password_hash: None,
                roles: vec![role],
            };
            let id = store.create_user(&new, Actor::System).await.unwrap();
            store
                .add_membership(id, agency.id, Actor::System)
                .await
                .unwrap();
            ids.push(id);
        }
        let task = store
            .tasks()
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.outline_id == "2.3")
            .unwrap()
            .id;
        store.hand_over(task, ids[1], ids[0]).await.unwrap();
        store
            .transition(
                task,
                &Action::Start,
                ids[1],
                Timestamp::in_vietnam("2022-05-25".parse().unwrap(), 9, 0),
            )
            .await
            .unwrap();
        store.close().await;
        (ids[0], ids[1])
    })
}

fn notices(s: &Scratch, users: [UserId; 2]) -> Vec<usize> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&s.url).await.unwrap();
        let mut out = Vec::new();
        for u in users {
            out.push(store.notices(u, false).await.unwrap().len());
        }
        store.close().await;
        out
    })
}

fn crash_between_sending_and_marking(s: &Scratch) {
    let out = s.run(&["import", "--commit", MODEL_CASE]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (head, officer) = people(s);
    // The first message is taken and written, but its `250` is held for a minute: the
    // process sending it is stuck between sending and marking.
    let sink = SmtpSink::start_with(SinkOptions {
        hold_first: 1,
        hold_for: Duration::from_secs(60),
        ..SinkOptions::default()
    })
    .unwrap();
    let smtp = sink.addr().to_string();

    let mut first = remind(s, "2023-01-04T08:00", &smtp)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while sink.received().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first scheduler sent nothing"
        );
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first scheduler ended before sending"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A second scheduler at the same moment finds every message leased by the first.
    let second = remind(s, "2023-01-04T08:00", &smtp).output().unwrap();
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert!(
        text(&second.stdout).contains("0 thông báo mới, 0 thư mới; đã gửi 0 thư"),
        "{}",
        text(&second.stdout)
    );

    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    assert_eq!(sink.received().len(), 1);

    // Two minutes later the first lease has run out: the second scheduler sends both.
    let later = remind(s, "2023-01-04T08:02", &smtp).output().unwrap();
    assert_eq!(later.status.code(), Some(0), "{}", text(&later.stderr));
    assert!(
        text(&later.stdout).contains("đã gửi 2 thư"),
        "{}",
        text(&later.stdout)
    );
    let again = remind(s, "2023-01-04T09:00", &smtp).output().unwrap();
    assert!(
        text(&again.stdout).contains("0 thông báo mới, 0 thư mới; đã gửi 0 thư"),
        "{}",
        text(&again.stdout)
    );

    let received = sink.received();
    assert_eq!(received.len(), 3, "two reminders, one of them twice");
    let mut by_id: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for m in &received {
        by_id
            .entry(m.message_id().expect("a Message-ID"))
            .or_default()
            .push(m.to.clone());
    }
    assert_eq!(
        by_id.len(),
        2,
        "the copy carries the first sending's Message-ID"
    );
    let mut recipients: Vec<String> = by_id.values().map(|v| v[0][0].clone()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["chuyenvien@quangngai.gov.vn", "giamdoc@quangngai.gov.vn"]
    );
    assert!(
        by_id
            .values()
            .all(|copies| copies.iter().all(|to| to == &copies[0]))
    );
    // In-app: exactly one notice each, whatever the crash and the reruns.
    assert_eq!(notices(s, [officer, head]), vec![1, 1]);
}

#[test]
fn settings_with_a_typo_are_refused() {
    scratch::run(Backend::Sqlite, |s| {
        let path = s.path("thiet-lap.json");
        std::fs::write(&path, r#"{"near_due_days": 5}"#).unwrap();
        let out = s.run(&[
            "remind",
            "--at",
            "2023-01-04",
            "--settings",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(
            err.contains("tệp thiết lập") && err.contains("near_due_days"),
            "{err}"
        );
        std::fs::write(&path, r#"{"near_due_working_days": 5}"#).unwrap();
        let out = s.run(&["remind", "--now", "--settings", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let both = s.run(&["remind", "--now", "--at", "2023-01-04"]);
        assert_eq!(
            both.status.code(),
            Some(2),
            "--now and --at exclude each other"
        );
    });
}

#[test]
fn malformed_times_and_servers_are_refused() {
    scratch::run(Backend::Sqlite, |s| {
        for args in [
            &["remind", "--at", "2023-13-45"][..],
            &["remind", "--at", "2023-01-04T25:00"],
            &["remind", "--at", "ngày mai"],
            &["remind", "--at", "2023-01-04", "--smtp", "localhost"],
            &["remind", "--at", "2023-01-04", "--smtp", "localhost:cổng"],
            &["remind", "--at", "2023-01-04", "--smtp", "localhost:25", "--from", "không phải địa chỉ"],
        ] {
            let out = s.run(args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
            assert!(text(&out.stderr).starts_with("nhiemvu: lỗi:"), "{args:?}: {}", text(&out.stderr));
        }
    });
}
