//! The tracking scenario of the model case (Official Letter 2395/UBND-KTTH, Quảng Ngãi, 20
//! May 2022), on a real SQLite store and a real SMTP server, with the clock set by the test.
//!
//! Task 2.3 (Sở Văn hóa, Thể thao và Du lịch) is due "trong năm 2022": 31 December 2022 is a
//! Saturday and 2 January 2023 the substitute day off for New Year, so the due day rolls to
//! Tuesday 3 January 2023 (Civil Code art. 148), and the task is sắp đến hạn from Wednesday
//! 28 December, three working days before. The officer is reminded by e-mail, asks for an
//! extension which the leader approves, reports completion, and the monitor confirms; the
//! official counts per agency are checked at four dates.

use mail::SmtpSink;
use scheduler::{MailSettings, Scheduler};
use store::{Actor, CountBy, CountRow, NewUser, Role, Scope, Store, TaskId, Timestamp, UserId};
use vn_calendar::{Calendar, Date};
use workflow::{Action, Settings, Status};

mod common;

use common::MODEL_CASE;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

/// 08:30 on `date`, Vietnam time.
fn morning(date: &str) -> Timestamp {
    Timestamp::in_vietnam(day(date), 8, 30)
}

async fn user(store: &Store, login: &str, roles: Vec<Role>, agency: Option<&str>) -> UserId {
    let id = store
        .create_user(
            &NewUser {
                login: login.to_owned(),
                full_name: format!("Cán bộ {login}"),
                email: Some(format!("{login}@quangngai.gov.vn")),
                password_hash: None,
                roles,
            },
            Actor::System,
        )
        .await
        .unwrap();
    if let Some(name) = agency {
        let agency = store
            .find_agency(name)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{name} in the directory"));
        store
            .add_membership(id, agency.id, Actor::System)
            .await
            .unwrap();
    }
    id
}

/// The counts of one agency as (done on time, done late, open on time, open overdue, no deadline).
fn counts_of(rows: &[CountRow], name: &str) -> (u64, u64, u64, u64, u64) {
    let c = &rows
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("a row for {name}: {rows:?}"))
        .counts;
    (
        c.done_on_time,
        c.done_late,
        c.open_on_time,
        c.open_overdue,
        c.no_deadline,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_case_on_sqlite() {
    common::on_sqlite("scenario", scenario).await;
}

/// The same on PostgreSQL, in a schema of its own, when `NHIEMVU_TEST_POSTGRES` is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_case_on_postgres() {
    common::on_postgres("scenario", scenario).await;
}

async fn scenario(store: Store) {
    let calendar = Calendar::new();
    let settings = Settings::default();

    // Import and commit the model case.
    let text = vn_text::normalize(MODEL_CASE);
    let parsed = doc_parse::parse(
        &text,
        doc_parse::SourceInfo {
            file: "2395-UBND-KTTH.txt".into(),
            format: "text".into(),
            sha256: String::new(),
        },
    );
    let document = match store
        .commit_document(&parsed, MODEL_CASE.as_bytes(), Actor::System)
        .await
        .unwrap()
    {
        store::CommitOutcome::Imported { document, tasks } => {
            assert_eq!(tasks, 23);
            document
        }
        other => panic!("{other:?}"),
    };
    let tasks = store.tasks_of_document(document).await.unwrap();
    let task =
        |outline: &str| -> TaskId { tasks.iter().find(|t| t.outline_id == outline).unwrap().id };
    let t23 = task("2.3");
    let by_agency = |date: &'static str| {
        let (store, calendar, settings) = (store.clone(), calendar.clone(), settings.clone());
        async move {
            store
                .official_counts(
                    day(date),
                    CountBy::LeadAgency,
                    Scope::Document(document),
                    &calendar,
                    &settings,
                )
                .await
                .unwrap()
        }
    };

    let culture = "Sở Văn hóa, Thể thao và Du lịch";
    let leader = user(&store, "chutich", vec![Role::Leader], None).await;
    let monitor = user(&store, "vanphong", vec![Role::Monitor], None).await;
    let head = user(
        &store,
        "giamdoc.svhttdl",
        vec![Role::AgencyHead],
        Some(culture),
    )
    .await;
    let officer = user(
        &store,
        "chuyenvien.svhttdl",
        vec![Role::AgencyOfficer],
        Some(culture),
    )
    .await;
    let outsider = user(
        &store,
        "chuyenvien.sgtvt",
        vec![Role::AgencyOfficer],
        Some("Sở Giao thông vận tải"),
    )
    .await;

    // The due day of 2.3 rolls over the weekend and the substitute day off.
    assert_eq!(
        workflow::due_day(&calendar, day("2022-12-31")).unwrap(),
        day("2023-01-03")
    );

    // Assign: the head hands the task to the officer, who starts it. An officer of another
    // agency can do nothing with it.
    let refused = store
        .transition(t23, &Action::Start, outsider, morning("2022-05-25"))
        .await
        .unwrap_err();
    assert!(matches!(refused, store::Error::Refused { .. }), "{refused}");
    store.hand_over(t23, officer, head).await.unwrap();
    assert_eq!(
        store
            .transition(t23, &Action::Start, officer, morning("2022-05-25"))
            .await
            .unwrap(),
        Status::DangThucHien
    );

    let sink = SmtpSink::start().unwrap();
    let mail = MailSettings {
        smtp: sink.config(),
        from: "nhacviec@quangngai.gov.vn".into(),
    };
    let scheduler = Scheduler::new(
        store.clone(),
        calendar.clone(),
        settings.clone(),
        Some(mail),
        "test-scheduler",
    );

    // 27 December: four working days left, trong hạn, no reminder.
    let (planned, _) = scheduler.run_once(morning("2022-12-27")).await.unwrap();
    assert_eq!(planned.reminders, 0);
    let first = by_agency("2022-12-27").await;
    assert_eq!(counts_of(&first, culture), (0, 0, 1, 0, 0));
    assert_eq!(
        first
            .iter()
            .find(|r| r.name == culture)
            .unwrap()
            .counts
            .due_soon,
        0
    );

    // 28 December: sắp đến hạn; the officer gets a notice and an e-mail, once however often
    // the scheduler runs.
    let (planned, delivered) = scheduler.run_once(morning("2022-12-28")).await.unwrap();
    assert_eq!(
        (
            planned.reminders,
            planned.notices,
            planned.mails,
            delivered.sent
        ),
        (1, 1, 1, 1)
    );
    let (again, delivered_again) = scheduler
        .run_once(Timestamp::in_vietnam(day("2022-12-28"), 14, 0))
        .await
        .unwrap();
    assert_eq!(
        (again.notices, again.mails, delivered_again.sent),
        (0, 0, 0)
    );
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].to,
        vec!["chuyenvien.svhttdl@quangngai.gov.vn".to_owned()]
    );
    let subject = received[0].subject().unwrap();
    assert!(
        subject.contains("còn 3 ngày làm việc")
            && subject.contains("2.3")
            && subject.contains("2395/UBND-KTTH"),
        "{subject}"
    );
    assert!(received[0].body_text().unwrap().contains("03/01/2023"));
    assert_eq!(store.notices(officer, true).await.unwrap().len(), 1);
    let second = by_agency("2022-12-28").await;
    assert_eq!(counts_of(&second, culture), (0, 0, 1, 0, 0));
    assert_eq!(
        second
            .iter()
            .find(|r| r.name == culture)
            .unwrap()
            .counts
            .due_soon,
        1
    );

    // An extension: asked by the officer, refused to the monitor, approved by the leader.
    let extension = store
        .request_extension(
            t23,
            day("2023-03-31"),
            "Chờ kết quả khảo sát các điểm du lịch",
            officer,
            morning("2022-12-29"),
            &calendar,
        )
        .await
        .unwrap();
    let not_leader = store
        .decide_extension(extension, true, None, monitor, morning("2022-12-29"))
        .await
        .unwrap_err();
    assert!(matches!(
        not_leader,
        store::Error::Refused {
            code: "extension_decision_not_permitted",
            ..
        }
    ));
    store
        .decide_extension(
            extension,
            true,
            Some("Đồng ý"),
            leader,
            Timestamp::in_vietnam(day("2022-12-29"), 16, 0),
        )
        .await
        .unwrap();
    let deadlines = store.task(t23).await.unwrap().deadlines;
    assert_eq!(deadlines.len(), 2, "the whole deadline history is kept");
    assert_eq!(deadlines[1].due_on, Some(day("2023-03-31")));

    // 4 January 2023: the old due day has passed, but the deadline in force is 31 March.
    let (planned, _) = scheduler.run_once(morning("2023-01-04")).await.unwrap();
    assert_eq!(planned.reminders, 0);
    let third = by_agency("2023-01-04").await;
    assert_eq!(counts_of(&third, culture), (0, 0, 1, 0, 0));

    // Completion: reported by the officer, who cannot confirm it; confirmed by the monitor.
    assert_eq!(
        store
            .transition(t23, &Action::ReportDone, officer, morning("2023-03-20"))
            .await
            .unwrap(),
        Status::ChoXacNhan
    );
    let own = store
        .transition(t23, &Action::Confirm, officer, morning("2023-03-21"))
        .await
        .unwrap_err();
    assert!(matches!(own, store::Error::Refused { .. }), "{own}");
    assert_eq!(
        store
            .transition(t23, &Action::Confirm, monitor, morning("2023-03-22"))
            .await
            .unwrap(),
        Status::HoanThanh
    );
    let history = store.status_history(t23).await.unwrap();
    assert_eq!(
        history.iter().map(|c| c.to).collect::<Vec<_>>(),
        vec![Status::DangThucHien, Status::ChoXacNhan, Status::HoanThanh]
    );

    // 5 April 2023: 2.3 done on time (against the extended deadline). Sở Giao thông vận tải's
    // 2.4.a (due 2025) is open and on time, 2.4.b has no deadline; the groups' four general
    // tasks have none either. Asked again about 28 December, the answer has not changed.
    let fourth = by_agency("2023-04-05").await;
    assert_eq!(counts_of(&fourth, culture), (1, 0, 0, 0, 0));
    assert_eq!(counts_of(&fourth, "Sở Giao thông vận tải"), (0, 0, 1, 0, 1));
    assert_eq!(counts_of(&fourth, "Sở Kế hoạch và Đầu tư"), (0, 0, 0, 0, 2));
    let total: u64 = store
        .official_counts(
            day("2023-04-05"),
            CountBy::Document,
            Scope::Document(document),
            &calendar,
            &settings,
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.counts.total())
        .sum();
    assert_eq!(total, 23);
    assert_eq!(by_agency("2022-12-28").await, second);

    // Every change is in the audit log.
    let log = store.audit_log(Some("task")).await.unwrap();
    for action in ["hand_over", "start", "report_done", "confirm"] {
        assert!(log.iter().any(|e| e.action == action), "audited: {action}");
    }
    assert!(
        store
            .audit_log(Some("extension_request"))
            .await
            .unwrap()
            .len()
            >= 2
    );
}

/// A recurring task ("báo cáo hằng tháng") asks for its report once per period, on a working
/// day: task 2.5 of the model case, made monthly for the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recurring_tasks_ask_for_their_report_once_a_period() {
    let (store, _cleanup) = common::sqlite("recurring").await;
    let text = vn_text::normalize(MODEL_CASE);
    let mut parsed = doc_parse::parse(
        &text,
        doc_parse::SourceInfo {
            file: "2395-UBND-KTTH.txt".into(),
            format: "text".into(),
            sha256: String::new(),
        },
    );
    let t25 = parsed
        .document
        .tasks
        .iter_mut()
        .find(|t| t.id == "2.5")
        .unwrap();
    t25.deadline = doc_parse::Deadline {
        kind: "recurring".into(),
        date: None,
        text: Some("hằng tháng".into()),
        every: Some("month".into()),
    };
    store
        .commit_document(&parsed, MODEL_CASE.as_bytes(), Actor::System)
        .await
        .unwrap();
    let head = user(
        &store,
        "giamdoc.sct",
        vec![Role::AgencyHead],
        Some("Sở Công Thương"),
    )
    .await;
    let scheduler = Scheduler::new(
        store.clone(),
        Calendar::new(),
        Settings::default(),
        None,
        "test",
    );
    let requests = |date: &'static str| {
        let scheduler = &scheduler;
        async move { scheduler.plan(morning(date)).await.unwrap().notices }
    };
    // 2 January 2023 is the substitute day off for New Year: nothing until the 3rd.
    assert_eq!(requests("2023-01-02").await, 0);
    assert_eq!(requests("2023-01-03").await, 1);
    assert_eq!(requests("2023-01-20").await, 0);
    assert_eq!(requests("2023-02-01").await, 1);
    let titles: Vec<String> = store
        .notices(head, false)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.title)
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Đề nghị báo cáo tháng 01/2023: nhiệm vụ 2.5")),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Đề nghị báo cáo tháng 02/2023")),
        "{titles:?}"
    );
}
