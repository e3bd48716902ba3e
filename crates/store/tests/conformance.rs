//! The conformance suite: every behaviour of the store, run once on a fresh SQLite file and once
//! on a fresh PostgreSQL schema. PostgreSQL runs when `NHIEMVU_TEST_POSTGRES` holds a server URL
//! (`postgres://postgres@127.0.0.1/test`); each test creates its own schema there and drops it
//! at the end. Without the variable the PostgreSQL half says it is skipped.

use std::future::Future;
use std::time::{Duration, UNIX_EPOCH};

use doc_parse::{Deadline, Document, Parsed, Reference, Source};
use sqlx::Connection;
use store::{
    Actor, AgencyKind, ApplyOutcome, AssignmentRole, CommitOutcome, DeadlineKind, DeadlineSource,
    Error, LeasedMail, Limits, MailState, NewAttachment, NewDeadline, NewMail, NewNotice,
    NewReorganisation, NewReport, NewUser, PartyKind, ProgressStatus, ReorganisationKind, Role,
    Sha256, Store, TaskId, Timestamp, UserId, mail_retry_at,
};
use vn_calendar::Date;

mod common;

use common::{Cleanup, POSTGRES_VAR, fresh_database, remove};

/// A fresh database for one test, and how to reach it without the store.
struct TestDb {
    store: Store,
    /// URL for a raw connection to the same database (and schema).
    raw_url: String,
}

async fn sqlite() -> (TestDb, Cleanup) {
    open(false).await.expect("a SQLite file")
}

/// A fresh database of the backend asked for; `None` when PostgreSQL is not configured.
async fn open(postgres: bool) -> Option<(TestDb, Cleanup)> {
    let (url, clean) = fresh_database(postgres, "t").await?;
    let store = Store::open(&url).await.expect("open store");
    Some((
        TestDb {
            store,
            raw_url: url,
        },
        clean,
    ))
}

enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one test body on a fresh database of `backend`, cleans up even when the body panics,
/// then passes the panic on.
async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some((db, clean)) = open(matches!(backend, Backend::Postgres)).await else {
        println!("skipped: {POSTGRES_VAR} not set");
        return;
    };
    let store = db.store.clone();
    let result = tokio::spawn(body(db)).await;
    store.close().await;
    remove(clean).await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run(crate::Backend::Sqlite, crate::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run(crate::Backend::Postgres, crate::$name).await
                }
            )*
        }
    };
}

conformance! {
    directory_is_seeded_with_aliases_groups_and_hierarchy,
    shipped_reorganisations_follow_the_2025_changes,
    reorganisation_moves_open_tasks_once_and_keeps_the_original,
    commit_document_is_idempotent_on_sha256,
    commit_document_refusals_write_nothing,
    failed_commit_midway_leaves_nothing,
    references_link_documents_in_either_order,
    tasks_keep_assignments_and_deadline_history,
    progress_reports_keep_attachments_within_the_limit,
    audit_log_records_every_change_and_refuses_rewrites,
    foreign_keys_are_enforced,
    users_roles_and_membership,
    model_case_after_the_2025_reorganisation,
    resolve_party_and_all_tasks_agree_with_commit,
    backup_restores_everything_and_keeps_the_guards,
    notices_are_added_once_per_user_and_key,
    mail_is_queued_once_per_key_with_a_fixed_message_id,
    concurrent_leasers_never_share_a_row,
    expired_lease_is_taken_over_with_the_same_message_id,
    failed_mail_waits_for_its_retry_or_is_given_up,
    delivery_is_at_least_once_with_one_message_id,
    tracking_enforces_the_rules_and_rolls_up,
    superseded_documents_put_their_open_tasks_before_the_monitor,
    search_ignores_diacritics_and_respects_visibility,
    search_index_follows_restore_and_is_rebuilt_from_marks,
    webhook_deliveries_are_planned_once_and_never_leased_twice,
    import_drafts_are_reviewed_then_committed_once,
    settings_and_calendar_changes_are_stored_and_audited,
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn task(id: &str, lead: &[&str], support: &[&str], deadline: Option<&str>) -> doc_parse::Task {
    doc_parse::Task {
        id: id.to_owned(),
        text: format!("Nhiệm vụ {id}"),
        lead: lead.iter().map(|s| s.to_string()).collect(),
        support: support.iter().map(|s| s.to_string()).collect(),
        deadline: Deadline {
            kind: if deadline.is_some() { "date" } else { "none" }.to_owned(),
            date: deadline.map(str::to_owned),
            text: deadline.map(|d| format!("trước ngày {d}")),
            every: None,
        },
        references: Vec::new(),
        span: [0, 10],
    }
}

/// A hand-built parse result: code `number/UBND-KTTH`, issued on `issued`, by the provincial
/// People's Committee, with these tasks. The original bytes are the text itself.
fn parsed(number: &str, issued: &str, tasks: Vec<doc_parse::Task>) -> (Parsed, Vec<u8>) {
    let text = format!("Số: {number}/UBND-KTTH\nQuảng Ngãi, ngày {issued}\n");
    let mut d = Document::empty(Source {
        file: format!("{number}.txt"),
        format: "text".into(),
        sha256: String::new(),
    });
    d.kind = Some("cong_van".into());
    d.number = Some(number.into());
    d.symbol = Some("UBND-KTTH".into());
    d.code = Some(format!("{number}/UBND-KTTH"));
    d.date = Some(issued.into());
    d.issuer = Some(doc_parse::Issuer {
        name: "Ủy ban nhân dân tỉnh Quảng Ngãi".into(),
        parent: None,
    });
    d.subject = Some(format!("văn bản thử {number}"));
    d.tasks = tasks;
    (
        Parsed {
            document: d,
            text: text.clone(),
        },
        text.into_bytes(),
    )
}

fn reference(code: &str, year: Option<i32>) -> Reference {
    Reference {
        kind: Some("nghi_quyet".into()),
        code: code.into(),
        number: code.split('/').next().map(str::to_owned),
        year,
        symbol: None,
        date: None,
        issuer: None,
        text: format!("Nghị quyết số {code}"),
        span: [0, 5],
        resolved_from: None,
    }
}

async fn commit(store: &Store, p: &(Parsed, Vec<u8>)) -> store::DocumentId {
    match store
        .commit_document(&p.0, &p.1, Actor::System)
        .await
        .expect("commit")
    {
        CommitOutcome::Imported { document, .. } => document,
        other => panic!("expected a new import, got {other:?}"),
    }
}

async fn reorganisation_of(store: &Store, predecessor: &str) -> store::Reorganisation {
    store
        .reorganisations()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.predecessors.iter().any(|p| p.name == predecessor))
        .unwrap_or_else(|| panic!("no reorganisation of {predecessor}"))
}

async fn raw_execute(db: &TestDb, sql: &str) -> Result<(), sqlx::Error> {
    if db.raw_url.starts_with("sqlite://") {
        let mut c = sqlx::SqliteConnection::connect(&db.raw_url).await?;
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut c)
            .await?;
        sqlx::query(sql).execute(&mut c).await.map(|_| ())
    } else {
        let mut c = sqlx::PgConnection::connect(&db.raw_url).await?;
        sqlx::query(sql).execute(&mut c).await.map(|_| ())
    }
}

// ---------------------------------------------------------------------------------------------
// The suite

async fn directory_is_seeded_with_aliases_groups_and_hierarchy(db: TestDb) {
    let s = &db.store;
    let agencies = s.agencies().await.unwrap();
    assert!(agencies.len() > 100, "{} agencies", agencies.len());
    assert_eq!(
        agencies.len(),
        gazetteer::Gazetteer::embedded().agencies().len()
            + agencies
                .iter()
                .filter(|a| a.kind == AgencyKind::Group)
                .count()
    );

    let khdt = s.find_agency("Sở KH&ĐT").await.unwrap().expect("alias");
    assert_eq!(khdt.name, "Sở Kế hoạch và Đầu tư");
    assert_eq!(khdt.valid_to.as_deref(), Some("2025-02-28"));
    assert!(khdt.aliases.contains(&"SKHĐT".to_owned()));
    let committee = s
        .find_agency("Ủy ban nhân dân tỉnh")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(khdt.parent, Some(committee.id));

    let tc = s
        .find_agency("so tai chinh")
        .await
        .unwrap()
        .expect("folded");
    assert_eq!(tc.name, "Sở Tài chính");
    assert_eq!(s.find_agency("Sở Không Tồn Tại").await.unwrap(), None);

    let group = s
        .find_agency("Các sở, ban ngành")
        .await
        .unwrap()
        .expect("group variant");
    assert_eq!(
        (group.name.as_str(), group.kind),
        ("Các sở, ban, ngành", AgencyKind::Group)
    );
    let members = s.group_members(group.id).await.unwrap();
    assert!(members.iter().any(|m| m.name == "Sở Tài chính"));
    let districts = s
        .find_agency("Ủy ban nhân dân các huyện, thị xã, thành phố")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.group_members(districts.id).await.unwrap().len(), 13);
    assert_eq!(s.agency(tc.id).await.unwrap(), tc);

    // Opening again neither migrates nor seeds twice.
    let again = Store::open(&db.raw_url).await.unwrap();
    assert_eq!(again.agencies().await.unwrap().len(), agencies.len());
    assert_eq!(again.audit_log(Some("directory")).await.unwrap().len(), 1);
    again.close().await;
}

async fn shipped_reorganisations_follow_the_2025_changes(db: TestDb) {
    let s = &db.store;
    let khdt = reorganisation_of(s, "Sở Kế hoạch và Đầu tư").await;
    assert_eq!(khdt.effective_on, date("2025-03-01"));
    assert_eq!(khdt.successors[0].agency.name, "Sở Tài chính");
    assert!(khdt.successors[0].primary);
    assert!(
        khdt.successors
            .iter()
            .any(|x| x.agency.name == "Văn phòng Ủy ban nhân dân tỉnh"
                && x.function == "xúc tiến đầu tư")
    );
    assert_eq!(khdt.applied_at, None);

    let gtvt = reorganisation_of(s, "Sở Giao thông vận tải").await;
    assert_eq!(
        (gtvt.kind, gtvt.successors[0].agency.name.as_str()),
        (ReorganisationKind::Merge, "Sở Xây dựng")
    );

    let ldtbxh = reorganisation_of(s, "Sở Lao động - Thương binh và Xã hội").await;
    assert_eq!(ldtbxh.kind, ReorganisationKind::Split);
    assert_eq!(ldtbxh.successors[0].agency.name, "Sở Nội vụ");
    let functions: Vec<(&str, &str)> = ldtbxh
        .successors
        .iter()
        .map(|x| (x.agency.name.as_str(), x.function.as_str()))
        .collect();
    assert!(
        functions.contains(&("Sở Giáo dục và Đào tạo", "giáo dục nghề nghiệp")),
        "{functions:?}"
    );
    assert!(
        functions.contains(&("Sở Nông nghiệp và Môi trường", "giảm nghèo")),
        "{functions:?}"
    );
    assert_eq!(ldtbxh.successors.len(), 4);

    let tttt = reorganisation_of(s, "Sở Thông tin và Truyền thông").await;
    assert_eq!(tttt.successors[0].agency.name, "Sở Khoa học và Công nghệ");

    let tnmt = reorganisation_of(s, "Sở Tài nguyên và Môi trường").await;
    let mut preds: Vec<&str> = tnmt.predecessors.iter().map(|p| p.name.as_str()).collect();
    preds.sort();
    assert_eq!(
        preds,
        [
            "Sở Nông nghiệp và Phát triển nông thôn",
            "Sở Tài nguyên và Môi trường"
        ]
    );
    assert_eq!(
        tnmt.successors[0].agency.name,
        "Sở Nông nghiệp và Môi trường"
    );
    assert_eq!(tnmt.kind, ReorganisationKind::Merge);

    let ban_dan_toc = reorganisation_of(s, "Ban Dân tộc").await;
    assert_eq!(ban_dan_toc.kind, ReorganisationKind::Rename);

    let districts = reorganisation_of(s, "Ủy ban nhân dân huyện Bình Sơn").await;
    assert_eq!(districts.kind, ReorganisationKind::Dissolve);
    assert_eq!(districts.effective_on, date("2025-07-01"));
    assert_eq!(
        districts.successors[0].agency.name,
        "Ủy ban nhân dân các xã, phường"
    );
    assert!(
        districts
            .predecessors
            .iter()
            .any(|p| p.name == "Ủy ban nhân dân các huyện, thị xã, thành phố")
    );
    assert!(
        districts.predecessors.len() >= 12,
        "{:?}",
        districts.predecessors
    );
}

async fn reorganisation_moves_open_tasks_once_and_keeps_the_original(db: TestDb) {
    let s = &db.store;
    let gtvt = "Sở Giao thông vận tải";
    let doc = commit(
        s,
        &parsed(
            "101",
            "2024-06-03",
            vec![
                task("1", &[gtvt], &["Sở Tài chính"], Some("2025-12-31")),
                task("2", &[gtvt], &[], None),
                task("3", &[gtvt], &[], None),
                task("4", &["Sở Tài chính"], &[gtvt], None),
            ],
        ),
    )
    .await;
    let tasks = s.tasks_of_document(doc).await.unwrap();
    s.set_task_status(tasks[1].id, ProgressStatus::Done, Actor::System)
        .await
        .unwrap();
    s.set_task_status(tasks[2].id, ProgressStatus::Cancelled, Actor::System)
        .await
        .unwrap();
    s.set_task_status(tasks[3].id, ProgressStatus::InProgress, Actor::System)
        .await
        .unwrap();

    let r = reorganisation_of(s, gtvt).await;
    let audit_before = s.audit_len().await.unwrap();
    assert_eq!(
        s.apply_reorganisation(r.id, Actor::System).await.unwrap(),
        ApplyOutcome::Applied { moved: 2 }
    );
    // Two moves and the reorganisation itself.
    assert_eq!(s.audit_len().await.unwrap(), audit_before + 3);
    let moves = s.audit_log(Some("task_assignment")).await.unwrap();
    assert_eq!(moves.iter().filter(|e| e.action == "reorganise").count(), 2);

    let after = s.tasks_of_document(doc).await.unwrap();
    let lead = |t: &store::Task| t.leads().next().unwrap().clone();
    let open = lead(&after[0]);
    assert_eq!(open.current_agency.as_ref().unwrap().name, "Sở Xây dựng");
    assert_eq!(open.original_agency.as_ref().unwrap().name, gtvt);
    assert_eq!(open.name, gtvt);
    assert_eq!(
        lead(&after[1]).current_agency.unwrap().name,
        gtvt,
        "done tasks stay"
    );
    assert_eq!(
        lead(&after[2]).current_agency.unwrap().name,
        gtvt,
        "cancelled tasks stay"
    );
    let support = after[3]
        .assignments
        .iter()
        .find(|a| a.role == AssignmentRole::Support)
        .unwrap();
    assert_eq!(
        support.current_agency.as_ref().unwrap().name,
        "Sở Xây dựng",
        "support rows move too"
    );
    assert_eq!(lead(&after[0]).party_kind, PartyKind::Agency);

    let applied = reorganisation_of(s, gtvt).await;
    assert!(applied.applied_at.is_some());
    let audit_applied = s.audit_len().await.unwrap();
    assert_eq!(
        s.apply_reorganisation(r.id, Actor::System).await.unwrap(),
        ApplyOutcome::AlreadyApplied
    );
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit_applied,
        "a second apply writes nothing"
    );
    let due = s
        .apply_due_reorganisations(date("2025-03-01"), Actor::System)
        .await
        .unwrap();
    assert!(
        due.iter().all(|(id, _)| *id != r.id),
        "applied ones are not due again"
    );

    // Assigned after the reorganisation: to the successor at once, the original kept.
    let late = commit(
        s,
        &parsed(
            "102",
            "2025-04-01",
            vec![task("1", &["Sở GTVT"], &[], None)],
        ),
    )
    .await;
    let late = s.tasks_of_document(late).await.unwrap();
    let a = late[0].leads().next().unwrap();
    assert_eq!(a.current_agency.as_ref().unwrap().name, "Sở Xây dựng");
    assert_eq!(a.original_agency.as_ref().unwrap().name, gtvt);
    assert_eq!(a.name, "Sở GTVT");

    // A reorganisation whose day has not come cannot be applied.
    let future = s
        .create_reorganisation(
            &NewReorganisation {
                kind: ReorganisationKind::Rename,
                effective_on: date("9999-01-01"),
                note: String::new(),
                predecessors: vec![s.find_agency("Sở Tư pháp").await.unwrap().unwrap().id],
                successors: vec![(
                    s.find_agency("Sở Nội vụ").await.unwrap().unwrap().id,
                    String::new(),
                )],
            },
            Actor::System,
        )
        .await
        .unwrap();
    let err = s
        .apply_reorganisation(future, Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotYetEffective { .. }), "{err}");
    assert!(err.to_string().contains("chưa thể áp dụng"));
}

async fn commit_document_is_idempotent_on_sha256(db: TestDb) {
    let s = &db.store;
    let mut p = parsed(
        "201",
        "2024-01-15",
        vec![task("1", &["Sở Tài chính"], &[], Some("2024-03-31"))],
    );
    p.0.document.references = vec![reference("57/NQ-CP", Some(2022))];
    let first = s.commit_document(&p.0, &p.1, Actor::System).await.unwrap();
    let CommitOutcome::Imported { document, tasks: 1 } = first else {
        panic!("{first:?}")
    };
    let audit = s.audit_len().await.unwrap();
    let second = s.commit_document(&p.0, &p.1, Actor::System).await.unwrap();
    assert_eq!(second, CommitOutcome::AlreadyImported { document });
    assert!(
        second.to_string().contains("đã được nhập trước đây"),
        "{second}"
    );
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit,
        "the second commit writes nothing"
    );
    assert_eq!(s.tasks_of_document(document).await.unwrap().len(), 1);

    let sha = Sha256::of(&p.1);
    assert_eq!(s.document_by_sha256(&sha).await.unwrap(), Some(document));
    assert_eq!(s.document_original(document).await.unwrap(), p.1);
    let stored = s.document(document).await.unwrap();
    assert_eq!(stored.sha256, sha);
    assert_eq!(
        stored.code.as_ref().map(|c| c.as_str()),
        Some("201/UBND-KTTH")
    );
    assert_eq!(
        (stored.year, stored.issued_on),
        (Some(2024), Some(date("2024-01-15")))
    );
    assert_eq!(stored.text, p.0.text);
    assert_eq!(
        stored.parse_result["source"]["sha256"],
        sha.as_str(),
        "the stored JSON carries the real hash"
    );
    assert_eq!(stored.parse_result["schema"], "nhiemvu.document/1");
    let code: store::DocumentCode = "201/UBND-KTTH".parse().unwrap();
    assert_eq!(
        s.documents_by_code(&code, Some(2024)).await.unwrap(),
        vec![document]
    );
    assert!(
        s.documents_by_code(&code, Some(2023))
            .await
            .unwrap()
            .is_empty()
    );
    let refs = s.document_references(document).await.unwrap();
    assert_eq!(
        (refs.len(), refs[0].code.as_str(), refs[0].target),
        (1, "57/NQ-CP", None)
    );
}

async fn commit_document_refusals_write_nothing(db: TestDb) {
    let s = &db.store;
    let audit = s.audit_len().await.unwrap();

    let mut secret = parsed(
        "301",
        "2024-01-15",
        vec![task("1", &["Sở Tài chính"], &[], None)],
    );
    secret.0.document.secrecy = Some("MẬT".into());
    let err = s
        .commit_document(&secret.0, &secret.1, Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SecretDocument(_)), "{err}");
    assert!(err.to_string().contains("không được nhập"), "{err}");

    let mut wrong_hash = parsed("302", "2024-01-15", Vec::new());
    wrong_hash.0.document.source.sha256 = "0".repeat(64);
    assert!(matches!(
        s.commit_document(&wrong_hash.0, &wrong_hash.1, Actor::System)
            .await,
        Err(Error::HashMismatch { .. })
    ));

    let small = s.clone().with_limits(Limits {
        original_bytes: 8,
        ..Limits::default()
    });
    let big = parsed("303", "2024-01-15", Vec::new());
    let err = small
        .commit_document(&big.0, &big.1, Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::FileTooLarge { limit: 8, .. }), "{err}");
    assert!(err.to_string().contains("quá lớn"), "{err}");
    assert_eq!(s.audit_len().await.unwrap(), audit);

    // The same code, year and issuer from another file (a re-scan) is a different file of a
    // document already stored.
    let original = parsed("304", "2024-01-15", Vec::new());
    commit(s, &original).await;
    let mut rescan = original.clone();
    rescan.1.extend_from_slice(b" (scan)");
    let err = s
        .commit_document(&rescan.0, &rescan.1, Actor::System)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::DuplicateDocument { year: 2024, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("304/UBND-KTTH"), "{err}");
}

async fn failed_commit_midway_leaves_nothing(db: TestDb) {
    let s = &db.store;
    let audit = s.audit_len().await.unwrap();
    // The second task repeats the first's outline id: the document row, the first task and its
    // assignments are written before the database refuses the second.
    let p = parsed(
        "401",
        "2024-02-01",
        vec![
            task("1", &["Sở Tài chính"], &["Sở Xây dựng"], Some("2024-05-01")),
            task("1", &["Sở Y tế"], &[], None),
        ],
    );
    let err = s
        .commit_document(&p.0, &p.1, Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Duplicate(_)), "{err}");
    assert_eq!(s.document_by_sha256(&Sha256::of(&p.1)).await.unwrap(), None);
    assert_eq!(s.audit_len().await.unwrap(), audit);

    // A bad deadline date in the last task: the same.
    let mut bad = parsed(
        "402",
        "2024-02-01",
        vec![
            task("1", &["Sở Tài chính"], &[], None),
            task("2", &[], &[], Some("2024-02-30")),
        ],
    );
    bad.0.document.references = vec![reference("57/NQ-CP", None)];
    let err = s
        .commit_document(&bad.0, &bad.1, Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err}");
    assert_eq!(
        s.document_by_sha256(&Sha256::of(&bad.1)).await.unwrap(),
        None
    );
    assert_eq!(s.audit_len().await.unwrap(), audit);

    // Once repaired, the same file commits.
    let good = parsed(
        "401",
        "2024-02-01",
        vec![task("1", &["Sở Tài chính"], &[], None)],
    );
    commit(s, &(good.0, p.1)).await;
}

async fn references_link_documents_in_either_order(db: TestDb) {
    let s = &db.store;
    let mut citing = parsed("501", "2024-03-01", Vec::new());
    citing.0.document.references = vec![
        reference("502/UBND-KTTH", Some(2024)),
        reference("Luật Quy hoạch 2017", None),
    ];
    let citing_id = commit(s, &citing).await;
    assert_eq!(
        s.document_references(citing_id).await.unwrap()[0].target,
        None
    );

    let cited_id = commit(s, &parsed("502", "2024-02-01", Vec::new())).await;
    let refs = s.document_references(citing_id).await.unwrap();
    assert_eq!(
        refs[0].target,
        Some(cited_id),
        "an earlier citation is linked when the cited document arrives"
    );
    assert_eq!(refs[1].target, None);

    let mut later = parsed("503", "2024-04-01", Vec::new());
    later.0.document.references = vec![reference("502/UBND-KTTH", Some(2024))];
    let later_id = commit(s, &later).await;
    assert_eq!(
        s.document_references(later_id).await.unwrap()[0].target,
        Some(cited_id)
    );

    // Numbers restart every year: a mention with a year links to that year's document, and
    // a yearless mention of a document's own code ("Kế hoạch này") is the document itself,
    // never another year's document of the same number.
    let mut plan_2025 = parsed("502", "2025-01-09", Vec::new());
    plan_2025.0.document.references = vec![
        reference("502/UBND-KTTH", None),
        reference("502/UBND-KTTH", Some(2024)),
    ];
    let plan_2025_id = commit(s, &plan_2025).await;
    let refs = s.document_references(plan_2025_id).await.unwrap();
    assert_eq!((refs[0].target, refs[1].target), (None, Some(cited_id)));
    let mut plan_2026 = parsed("502", "2026-01-05", Vec::new());
    plan_2026.0.document.references = vec![reference("502/UBND-KTTH", Some(2025))];
    let plan_2026_id = commit(s, &plan_2026).await;
    assert_eq!(
        s.document_references(plan_2026_id).await.unwrap()[0].target,
        Some(plan_2025_id)
    );
    assert_eq!(
        s.document_references(plan_2025_id).await.unwrap()[0].target,
        None,
        "the 2025 plan's mention of itself stays unlinked when the 2026 one arrives"
    );
}

async fn tasks_keep_assignments_and_deadline_history(db: TestDb) {
    let s = &db.store;
    let doc = commit(
        s,
        &parsed(
            "601",
            "2024-05-02",
            vec![task(
                "2.1.a",
                &[
                    "Sở Tài chính",
                    "Các sở, ban ngành, đơn vị trực thuộc Ủy ban nhân dân tỉnh",
                ],
                &["Hiệp hội Doanh nghiệp tỉnh", "Các trường đại học"],
                Some("2024-06-30"),
            )],
        ),
    )
    .await;
    let t = s.tasks_of_document(doc).await.unwrap().remove(0);
    assert_eq!(
        (t.outline_id.as_str(), t.status, t.document),
        ("2.1.a", ProgressStatus::NotStarted, doc)
    );
    let kinds: Vec<(AssignmentRole, PartyKind, &str, Option<&str>)> = t
        .assignments
        .iter()
        .map(|a| {
            (
                a.role,
                a.party_kind,
                a.name.as_str(),
                a.current_agency.as_ref().map(|c| c.name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                AssignmentRole::Lead,
                PartyKind::Agency,
                "Sở Tài chính",
                Some("Sở Tài chính")
            ),
            (
                AssignmentRole::Lead,
                PartyKind::Group,
                "Các sở, ban ngành, đơn vị trực thuộc Ủy ban nhân dân tỉnh",
                Some("Các sở, ban, ngành")
            ),
            (
                AssignmentRole::Support,
                PartyKind::Unknown,
                "Hiệp hội Doanh nghiệp tỉnh",
                None
            ),
            (
                AssignmentRole::Support,
                PartyKind::Unknown,
                "Các trường đại học",
                None
            ),
        ]
    );

    let first = t.current_deadline().unwrap();
    assert_eq!(
        (first.kind, first.due_on, first.source),
        (
            DeadlineKind::Date,
            Some(date("2024-06-30")),
            DeadlineSource::Document
        )
    );
    let user = s
        .create_user(
            &NewUser {
                login: "lanhdao".into(),
                full_name: "Lãnh đạo".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::Leader],
            },
            Actor::System,
        )
        .await
        .unwrap();
    s.add_deadline(
        t.id,
        &NewDeadline {
            kind: DeadlineKind::Date,
            due_on: Some(date("2024-08-30")),
            text: None,
            source: DeadlineSource::Extension,
            reason: Some("Chờ ý kiến của Bộ".into()),
        },
        Actor::User(user),
    )
    .await
    .unwrap();
    s.add_deadline(
        t.id,
        &NewDeadline {
            kind: DeadlineKind::None,
            due_on: None,
            text: None,
            source: DeadlineSource::Manual,
            reason: None,
        },
        Actor::System,
    )
    .await
    .unwrap();
    let t = s.task(t.id).await.unwrap();
    let history: Vec<(DeadlineSource, Option<Date>)> =
        t.deadlines.iter().map(|d| (d.source, d.due_on)).collect();
    assert_eq!(
        history,
        vec![
            (DeadlineSource::Document, Some(date("2024-06-30"))),
            (DeadlineSource::Extension, Some(date("2024-08-30"))),
            (DeadlineSource::Manual, None),
        ]
    );
    assert_eq!(t.current_deadline().unwrap().source, DeadlineSource::Manual);
    assert_eq!(t.deadlines[1].recorded_by, Some(user));
    assert_eq!(t.deadlines[1].reason.as_deref(), Some("Chờ ý kiến của Bộ"));

    s.set_task_status(t.id, ProgressStatus::InProgress, Actor::User(user))
        .await
        .unwrap();
    let audit = s.audit_len().await.unwrap();
    s.set_task_status(t.id, ProgressStatus::InProgress, Actor::User(user))
        .await
        .unwrap();
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit,
        "no change, no audit row"
    );
    assert_eq!(
        s.task(t.id).await.unwrap().status,
        ProgressStatus::InProgress
    );

    let child_doc = commit(
        s,
        &parsed(
            "602",
            "2024-05-10",
            vec![task("1", &["Sở Tài chính"], &[], None)],
        ),
    )
    .await;
    let child = s.tasks_of_document(child_doc).await.unwrap().remove(0);
    s.set_parent_task(child.id, Some(t.id), Actor::System)
        .await
        .unwrap();
    assert_eq!(s.task(child.id).await.unwrap().parent, Some(t.id));

    let extra = s.find_agency("Sở Y tế").await.unwrap().unwrap();
    s.add_assignment(t.id, AssignmentRole::Support, extra.id, Actor::System)
        .await
        .unwrap();
    let t = s.task(t.id).await.unwrap();
    let last = t.assignments.last().unwrap();
    assert_eq!(
        (last.role, last.name.as_str()),
        (AssignmentRole::Support, "Sở Y tế")
    );
    assert!(matches!(
        s.task("999999".parse::<TaskId>().unwrap()).await,
        Err(Error::NotFound { .. })
    ));
}

async fn progress_reports_keep_attachments_within_the_limit(db: TestDb) {
    let s = db.store.clone().with_limits(Limits {
        attachment_bytes: 1024,
        ..Limits::default()
    });
    let doc = commit(
        &s,
        &parsed(
            "701",
            "2024-05-02",
            vec![task("1", &["Sở Tài chính"], &[], None)],
        ),
    )
    .await;
    let t = s.tasks_of_document(doc).await.unwrap().remove(0);
    let tc = s.find_agency("Sở Tài chính").await.unwrap().unwrap();
    let pdf = b"%PDF-1.4 bao cao".to_vec();
    let report = s
        .add_progress_report(
            &NewReport {
                task: t.id,
                agency: Some(tc.id),
                author: None,
                status: Some(ProgressStatus::AwaitingConfirmation),
                percent: Some(100),
                content: "Đã trình UBND tỉnh dự thảo quyết định.".into(),
                result: None,
                attachments: vec![
                    NewAttachment {
                        file_name: "bao-cao.pdf".into(),
                        media_type: "application/pdf".into(),
                        bytes: pdf.clone(),
                    },
                    NewAttachment {
                        file_name: "ban-sao.pdf".into(),
                        media_type: "application/pdf".into(),
                        bytes: pdf.clone(),
                    },
                ],
            },
            Actor::System,
        )
        .await
        .unwrap();
    let reports = s.progress_reports(t.id).await.unwrap();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(
        (r.id, r.status, r.percent, r.agency),
        (
            report,
            Some(ProgressStatus::AwaitingConfirmation),
            Some(100),
            Some(tc.id)
        )
    );
    assert_eq!(r.attachments.len(), 2);
    assert_eq!(
        (r.attachments[0].size, &r.attachments[0].sha256),
        (pdf.len() as u64, &Sha256::of(&pdf))
    );
    assert_eq!(
        s.attachment_content(r.attachments[1].id).await.unwrap(),
        pdf
    );
    assert_eq!((r.result_code.as_deref(), r.result_document), (None, None));

    // The result document cited by its code: linked at once when stored, and when it arrives
    // later.
    let cite = |code: &str| NewReport {
        task: t.id,
        agency: Some(tc.id),
        author: None,
        status: None,
        percent: Some(100),
        content: "Kết quả tại văn bản đính kèm.".into(),
        result: Some(code.parse().unwrap()),
        attachments: Vec::new(),
    };
    s.add_progress_report(&cite("701/UBND-KTTH"), Actor::System)
        .await
        .unwrap();
    s.add_progress_report(&cite("702/UBND-KTTH"), Actor::System)
        .await
        .unwrap();
    let linked =
        |reports: Vec<store::ProgressReport>| -> Vec<(Option<String>, Option<store::DocumentId>)> {
            reports[1..]
                .iter()
                .map(|r| (r.result_code.clone(), r.result_document))
                .collect()
        };
    assert_eq!(
        linked(s.progress_reports(t.id).await.unwrap()),
        vec![
            (Some("701/UBND-KTTH".into()), Some(doc)),
            (Some("702/UBND-KTTH".into()), None)
        ]
    );
    let later = commit(&s, &parsed("702", "2024-05-20", Vec::new())).await;
    assert_eq!(
        linked(s.progress_reports(t.id).await.unwrap())[1],
        (Some("702/UBND-KTTH".into()), Some(later))
    );

    let audit = s.audit_len().await.unwrap();
    let too_big = NewReport {
        task: t.id,
        agency: None,
        author: None,
        status: None,
        percent: None,
        content: "Ảnh chụp hiện trường".into(),
        result: None,
        attachments: vec![NewAttachment {
            file_name: "anh.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: vec![0; 1025],
        }],
    };
    let err = s
        .add_progress_report(&too_big, Actor::System)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::FileTooLarge {
                size: 1025,
                limit: 1024,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "tệp anh.jpg quá lớn: 1025 byte, giới hạn là 1024 byte"
    );
    let bad_percent = NewReport {
        percent: Some(101),
        result: None,
        attachments: Vec::new(),
        ..too_big
    };
    assert!(matches!(
        s.add_progress_report(&bad_percent, Actor::System).await,
        Err(Error::Invalid { .. })
    ));
    assert_eq!(s.audit_len().await.unwrap(), audit);
    assert_eq!(s.progress_reports(t.id).await.unwrap().len(), 3);
}

async fn audit_log_records_every_change_and_refuses_rewrites(db: TestDb) {
    let s = &db.store;
    let user = s
        .create_user(
            &NewUser {
                login: "theodoi".into(),
                full_name: "Chuyên viên theo dõi".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::Monitor],
            },
            Actor::System,
        )
        .await
        .unwrap();
    let doc = commit(
        s,
        &parsed(
            "801",
            "2024-05-02",
            vec![
                task("1", &["Sở Tài chính"], &[], None),
                task("2", &["Sở Y tế"], &[], None),
            ],
        ),
    )
    .await;
    let t = s.tasks_of_document(doc).await.unwrap().remove(0);
    s.set_task_status(t.id, ProgressStatus::InProgress, Actor::User(user))
        .await
        .unwrap();

    let log = s.audit_log(None).await.unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.entity.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("directory", "seed"),
            ("user", "create"),
            ("task", "create"),
            ("task", "create"),
            ("document", "import"),
            ("task", "set_status"),
        ]
    );
    let last = log.last().unwrap();
    assert_eq!(last.actor, Some(user));
    assert_eq!(last.entity_id, t.id.to_string());
    assert_eq!(last.before.as_ref().unwrap()["status"], "chua_thuc_hien");
    assert_eq!(last.after.as_ref().unwrap()["status"], "dang_thuc_hien");
    assert!(
        log.windows(2)
            .all(|w| w[0].at <= w[1].at && w[0].id < w[1].id)
    );
    assert_eq!(s.audit_log(Some("task")).await.unwrap().len(), 3);

    for sql in [
        "UPDATE audit_log SET action = 'sửa'",
        "DELETE FROM audit_log",
    ] {
        let err = raw_execute(&db, sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(s.audit_log(None).await.unwrap(), log);
}

async fn foreign_keys_are_enforced(db: TestDb) {
    let s = &db.store;
    let doc = commit(
        s,
        &parsed(
            "901",
            "2024-05-02",
            vec![task("1", &["Sở Tài chính"], &[], None)],
        ),
    )
    .await;
    let t = s.tasks_of_document(doc).await.unwrap().remove(0);
    let audit = s.audit_len().await.unwrap();
    let missing = "999999".parse::<TaskId>().unwrap();
    let err = s
        .set_parent_task(t.id, Some(missing), Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MissingReference(_)), "{err}");
    assert!(err.to_string().contains("không tồn tại"), "{err}");
    let user = s
        .create_user(
            &NewUser {
                login: "canbo".into(),
                full_name: "Cán bộ".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::AgencyOfficer],
            },
            Actor::System,
        )
        .await
        .unwrap();
    let err = s
        .add_membership(user, "999999".parse().unwrap(), Actor::System)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MissingReference(_)), "{err}");
    let orphan = NewReport {
        task: missing,
        agency: None,
        author: None,
        status: None,
        percent: None,
        content: "x".into(),
        result: None,
        attachments: Vec::new(),
    };
    assert!(matches!(
        s.add_progress_report(&orphan, Actor::System).await,
        Err(Error::MissingReference(_))
    ));
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit + 1,
        "only the user was created"
    );
    let err = raw_execute(&db, "INSERT INTO task_deadline (task_id, kind, source, recorded_at) VALUES (999999, 'none', 'manual', 'x')")
        .await
        .expect_err("raw insert of an orphan");
    assert!(
        err.as_database_error()
            .is_some_and(|e| e.is_foreign_key_violation()),
        "{err}"
    );
    assert_eq!(s.task(t.id).await.unwrap().parent, None);
}

async fn users_roles_and_membership(db: TestDb) {
    let s = &db.store;
    let new = NewUser {
        login: "nguyenvana".into(),
        full_name: "Nguyễn Văn A".into(),
        email: Some("a@quangngai.gov.vn".into()),
        password_hash: None,
        roles: vec![Role::AgencyHead, Role::AgencyOfficer],
    };
    let id = s.create_user(&new, Actor::System).await.unwrap();
    let tc = s.find_agency("Sở Tài chính").await.unwrap().unwrap();
    s.add_membership(id, tc.id, Actor::System).await.unwrap();
    let u = s.user(id).await.unwrap();
    assert_eq!(
        (u.login.as_str(), u.active, u.agencies.as_slice()),
        ("nguyenvana", true, &[tc.id][..])
    );
    let mut roles = u.roles.clone();
    roles.sort_by_key(|r| r.code());
    assert_eq!(roles, vec![Role::AgencyHead, Role::AgencyOfficer]);
    assert!(matches!(
        s.create_user(&new, Actor::System).await,
        Err(Error::Duplicate(_))
    ));
    let bad = NewUser {
        login: "có dấu cách".into(),
        ..new
    };
    assert!(matches!(
        s.create_user(&bad, Actor::System).await,
        Err(Error::Invalid { .. })
    ));
    assert_eq!("agency_head".parse::<Role>().unwrap(), Role::AgencyHead);
    assert!("root".parse::<Role>().is_err());
}

/// Issue 7's acceptance: the model case imported after the 2025 reorganisation shows its Sở Kế
/// hoạch và Đầu tư tasks under Sở Tài chính, the original assignee kept; in both orders
/// (imported, then reorganised; reorganised, then imported).
async fn model_case_after_the_2025_reorganisation(db: TestDb) {
    let s = &db.store;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/2395-UBND-KTTH.txt"
    );
    let bytes = std::fs::read(path).expect("model case");
    let text = vn_text::normalize(&String::from_utf8(bytes.clone()).expect("UTF-8"));
    let source = doc_parse::SourceInfo {
        file: "2395-UBND-KTTH.txt".into(),
        format: "text".into(),
        sha256: Sha256::of(&bytes).to_string(),
    };
    let parsed = doc_parse::parse(&text, source);
    let outcome = s
        .commit_document(&parsed, &bytes, Actor::System)
        .await
        .unwrap();
    let CommitOutcome::Imported { document, tasks } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(tasks, parsed.document.tasks.len());

    let applied = s
        .apply_due_reorganisations(date("2025-07-01"), Actor::System)
        .await
        .unwrap();
    assert!(applied.len() >= 10, "{applied:?}");
    assert!(
        applied
            .iter()
            .all(|(_, o)| matches!(o, ApplyOutcome::Applied { .. }))
    );
    let check = |all: Vec<store::Task>| {
        for id in ["2.1.a", "2.1.b"] {
            let t = all
                .iter()
                .find(|t| t.outline_id == id)
                .unwrap_or_else(|| panic!("task {id}"));
            let lead = t.leads().next().unwrap_or_else(|| panic!("lead of {id}"));
            assert_eq!(
                lead.current_agency.as_ref().map(|a| a.name.as_str()),
                Some("Sở Tài chính"),
                "{id}"
            );
            assert_eq!(
                lead.original_agency.as_ref().map(|a| a.name.as_str()),
                Some("Sở Kế hoạch và Đầu tư"),
                "{id}"
            );
            assert_eq!(lead.name, "Sở Kế hoạch và Đầu tư", "{id}");
        }
    };
    check(s.tasks_of_document(document).await.unwrap());
    // Every other agency of the 2022 letter that the 2025 changes ended: its open tasks are now
    // with the successor of DOMAIN.md §2, under the name they were assigned to.
    let successors = [
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        (
            "Ủy ban nhân dân các huyện, thị xã, thành phố",
            "Ủy ban nhân dân các xã, phường",
        ),
    ];
    let all = s.tasks_of_document(document).await.unwrap();
    for (old, new) in successors {
        let moved: Vec<_> = all
            .iter()
            .flat_map(|t| &t.assignments)
            .filter(|a| a.name == old)
            .collect();
        assert!(!moved.is_empty(), "the model case assigns {old}");
        for a in moved {
            assert_eq!(
                a.current_agency.as_ref().map(|c| c.name.as_str()),
                Some(new),
                "{old}"
            );
            assert_eq!(
                a.original_agency.as_ref().map(|c| c.name.as_str()),
                Some(old)
            );
        }
    }
    assert!(
        s.apply_due_reorganisations(date("2025-07-01"), Actor::System)
            .await
            .unwrap()
            .is_empty(),
        "idempotent"
    );

    // The other order, in a store where the reorganisations were applied first.
    let reorganised_first = Store::open(&db.raw_url).await.unwrap();
    let again = reorganised_first
        .commit_document(&parsed, &bytes, Actor::System)
        .await
        .unwrap();
    assert_eq!(again, CommitOutcome::AlreadyImported { document });
    let mut other = parsed.clone();
    let mut other_bytes = bytes.clone();
    other_bytes.extend_from_slice(b"\n");
    other.document.source.sha256 = Sha256::of(&other_bytes).to_string();
    other.document.code = Some("2396/UBND-KTTH".into());
    let CommitOutcome::Imported {
        document: second, ..
    } = reorganised_first
        .commit_document(&other, &other_bytes, Actor::System)
        .await
        .unwrap()
    else {
        panic!("second copy")
    };
    check(reorganised_first.tasks_of_document(second).await.unwrap());
    reorganised_first.close().await;
}

async fn resolve_party_and_all_tasks_agree_with_commit(db: TestDb) {
    let s = &db.store;
    assert!(s.tasks().await.unwrap().is_empty());
    let names = [
        "Sở Tài chính",
        "Các sở, ban ngành, đơn vị trực thuộc Ủy ban nhân dân tỉnh",
        "Các trường đại học",
    ];
    let mut resolved = Vec::new();
    for name in names {
        resolved.push(s.resolve_party(name).await.unwrap());
    }
    assert_eq!(resolved[0].0, PartyKind::Agency);
    assert_eq!(
        resolved[0].1,
        s.find_agency("Sở Tài chính").await.unwrap().map(|a| a.id)
    );
    assert_eq!(resolved[1].0, PartyKind::Group);
    assert!(resolved[1].1.is_some());
    assert_eq!(resolved[2], (PartyKind::Unknown, None));

    let first = commit(
        s,
        &parsed("1", "2024-01-02", vec![task("1", &names, &[], None)]),
    )
    .await;
    let second = commit(
        s,
        &parsed(
            "2",
            "2024-01-03",
            vec![
                task("1", &["Sở Xây dựng"], &[], None),
                task("2", &[], &[], None),
            ],
        ),
    )
    .await;
    let all = s.tasks().await.unwrap();
    assert_eq!(
        all.iter()
            .map(|t| (t.document, t.outline_id.as_str()))
            .collect::<Vec<_>>(),
        [(first, "1"), (second, "1"), (second, "2")]
    );
    // What a review was told is what the commit recorded.
    for (a, (kind, agency)) in all[0].assignments.iter().zip(&resolved) {
        assert_eq!(a.party_kind, *kind, "{}", a.name);
        assert_eq!(
            a.original_agency.as_ref().map(|r| r.id),
            *agency,
            "{}",
            a.name
        );
    }
}

/// The lines of a backup after its header (which carries the time and the backend).
fn backup_rows(dump: &[u8]) -> Vec<String> {
    String::from_utf8(dump.to_vec())
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// A backup restored into a fresh SQLite store (from either backend) reads exactly as the
/// original, keeps the audit log append-only and goes on taking new rows; a damaged backup and
/// a restore over data without `force` change nothing.
async fn backup_restores_everything_and_keeps_the_guards(db: TestDb) {
    let s = &db.store;
    let user = s
        .create_user(
            &NewUser {
                login: "saoluu".into(),
                full_name: "Người sao lưu".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::Admin],
            },
            Actor::System,
        )
        .await
        .unwrap();
    let doc = commit(
        s,
        &parsed(
            "901",
            "2024-05-02",
            vec![
                task(
                    "1",
                    &["Sở Kế hoạch và Đầu tư"],
                    &["Sở Y tế"],
                    Some("2024-06-30"),
                ),
                task("1.1", &["Sở Tài chính"], &[], None),
            ],
        ),
    )
    .await;
    let tasks = s.tasks_of_document(doc).await.unwrap();
    s.set_parent_task(tasks[1].id, Some(tasks[0].id), Actor::User(user))
        .await
        .unwrap();
    s.apply_due_reorganisations(date("2025-07-01"), Actor::System)
        .await
        .unwrap();
    s.add_progress_report(
        &NewReport {
            task: tasks[0].id,
            agency: None,
            author: Some(user),
            status: Some(ProgressStatus::InProgress),
            percent: Some(40),
            content: "Đang thực hiện.".into(),
            result: None,
            attachments: vec![NewAttachment {
                file_name: "bao-cao.pdf".into(),
                media_type: "application/pdf".into(),
                bytes: vec![0, 159, 255, 37, 80, 68, 70],
            }],
        },
        Actor::User(user),
    )
    .await
    .unwrap();

    s.enqueue_notice(
        &NewNotice {
            task: Some(tasks[0].id),
            ..notice(user, "due:1")
        },
        at(T0),
    )
    .await
    .unwrap();
    let queued = s
        .enqueue_mail(&mail("due:1", TO, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();
    s.lease_mail("backup", at(T0), Duration::from_secs(60), 1)
        .await
        .unwrap();

    let mut dump = Vec::new();
    let rows = s.backup(&mut dump).await.unwrap();
    assert_eq!(
        backup_rows(&dump).len() as u64,
        rows + 35,
        "rows, a header for each of the 34 tables and the end line"
    );

    let (copy, clean) = sqlite().await;
    let c = &copy.store;
    assert_eq!(
        c.restore(&mut std::io::Cursor::new(dump.clone()), false)
            .await
            .unwrap(),
        rows
    );
    let mut again = Vec::new();
    c.backup(&mut again).await.unwrap();
    assert_eq!(backup_rows(&again), backup_rows(&dump));
    assert_eq!(
        c.audit_log(None).await.unwrap(),
        s.audit_log(None).await.unwrap()
    );
    assert_eq!(c.tasks().await.unwrap(), s.tasks().await.unwrap());
    assert_eq!(
        c.document(doc).await.unwrap().sha256,
        s.document(doc).await.unwrap().sha256
    );
    assert_eq!(
        c.notices(user, false).await.unwrap(),
        s.notices(user, false).await.unwrap()
    );
    assert_eq!(
        c.outbox(None, 10).await.unwrap(),
        s.outbox(None, 10).await.unwrap()
    );
    // The restored lease is honoured, then taken over with the same Message-ID.
    assert!(
        c.lease_mail("khac", at(T0), Duration::from_secs(60), 1)
            .await
            .unwrap()
            .is_empty()
    );
    let taken = c
        .lease_mail("khac", after(T0, 61), Duration::from_secs(60), 1)
        .await
        .unwrap();
    assert_eq!(taken[0].message_id, queued.message_id);
    let err = raw_execute(&copy, "DELETE FROM audit_log")
        .await
        .expect_err("append-only");
    assert!(err.to_string().contains("append-only"), "{err}");
    // New rows continue after the restored ids.
    let next = commit(
        c,
        &parsed(
            "902",
            "2024-05-03",
            vec![task("1", &["Sở Y tế"], &[], None)],
        ),
    )
    .await;
    assert!(next.get() > doc.get());

    // Over data: refused without force, nothing changed.
    let before = c.audit_len().await.unwrap();
    assert!(matches!(
        c.restore(&mut std::io::Cursor::new(dump.clone()), false)
            .await,
        Err(Error::NotEmpty { .. })
    ));
    assert_eq!(c.audit_len().await.unwrap(), before);
    copy.store.close().await;
    remove(clean).await;

    // A damaged backup into the original (forced): refused, the store and its guards intact.
    let text = String::from_utf8(dump.clone()).unwrap();
    let cut: String = text.lines().take(30).map(|l| format!("{l}\n")).collect();
    let before = s.audit_log(None).await.unwrap();
    assert!(matches!(
        s.restore(&mut std::io::Cursor::new(cut), true).await,
        Err(Error::BadBackup { .. })
    ));
    assert_eq!(s.audit_log(None).await.unwrap(), before);
    let err = raw_execute(&db, "DELETE FROM audit_log")
        .await
        .expect_err("append-only");
    assert!(err.to_string().contains("append-only"), "{err}");
    // Forced over its own data, the store comes back to the backup's state.
    s.set_task_status(tasks[1].id, ProgressStatus::Done, Actor::User(user))
        .await
        .unwrap();
    s.restore(&mut std::io::Cursor::new(dump.clone()), true)
        .await
        .unwrap();
    let mut back = Vec::new();
    s.backup(&mut back).await.unwrap();
    assert_eq!(backup_rows(&back), backup_rows(&dump));
}

// ---------------------------------------------------------------------------------------------
// Reminders: in-app notices and the e-mail outbox

/// The clock of the reminder tests: 08:00 in Quảng Ngãi on the day task 2.3 falls due.
const T0: &str = "2023-01-03T01:00:00.000000Z";
const DOMAIN: &str = "nhiemvu.quangngai.gov.vn";
const TO: &str = "vanthu.sotc@quangngai.gov.vn";
const SUBJECT: &str = "Nhắc hạn: nhiệm vụ 2.3 đến hạn ngày 03/01/2023";

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn after(s: &str, seconds: u64) -> Timestamp {
    at(s) + Duration::from_secs(seconds)
}

fn notice(user: UserId, key: &str) -> NewNotice {
    NewNotice {
        user,
        task: None,
        kind: "due_soon".into(),
        dedupe_key: key.into(),
        title: SUBJECT.into(),
        body: "Nhiệm vụ 2.3 của Công văn 2395/UBND-KTTH đến hạn hôm nay.".into(),
    }
}

fn mail(key: &str, to: &str, not_before: Timestamp) -> NewMail {
    NewMail {
        dedupe_key: key.into(),
        recipient: to.into(),
        subject: SUBJECT.into(),
        body: "Kính gửi Sở Tài chính,\nNhiệm vụ 2.3 đến hạn ngày 03/01/2023.\n".into(),
        not_before,
    }
}

async fn make_user(s: &Store, login: &str) -> UserId {
    s.create_user(
        &NewUser {
            login: login.into(),
            full_name: format!("Cán bộ {login}"),
            email: Some(format!("{login}@quangngai.gov.vn")),
            password_hash: None,
            roles: vec![Role::AgencyOfficer],
        },
        Actor::System,
    )
    .await
    .unwrap()
}

/// Notices are exactly once by construction: one per user and dedupe key, however many
/// schedulers add it at once; reading one is its user's alone; nothing is audited.
async fn notices_are_added_once_per_user_and_key(db: TestDb) {
    let s = &db.store;
    let a = make_user(s, "nguoi_a").await;
    let b = make_user(s, "nguoi_b").await;
    let doc = commit(
        s,
        &parsed(
            "2395",
            "2022-12-01",
            vec![task("2.3", &["Sở Tài chính"], &[], Some("2023-01-03"))],
        ),
    )
    .await;
    let task = s.tasks_of_document(doc).await.unwrap()[0].id;
    let audit = s.audit_len().await.unwrap();

    let due = NewNotice {
        task: Some(task),
        ..notice(a, &format!("due:task:{task}:2023-01-03"))
    };
    let first = s.enqueue_notice(&due, at(T0)).await.unwrap().expect("new");
    assert_eq!(s.enqueue_notice(&due, after(T0, 3600)).await.unwrap(), None);
    assert!(
        s.enqueue_notice(
            &NewNotice {
                user: b,
                ..due.clone()
            },
            at(T0)
        )
        .await
        .unwrap()
        .is_some(),
        "the key is per user"
    );

    // Two schedulers (two pools, as two processes would have) add the same notice at once.
    let other = Store::open(&db.raw_url).await.unwrap();
    let overdue = notice(a, &format!("overdue:task:{task}:2023-01-04"));
    let (x, y) = tokio::join!(
        s.enqueue_notice(&overdue, after(T0, 86_400)),
        other.enqueue_notice(&overdue, after(T0, 86_400))
    );
    assert_eq!(
        [x.unwrap(), y.unwrap()].iter().flatten().count(),
        1,
        "exactly one of them adds it"
    );
    other.close().await;

    let all = s.notices(a, false).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].dedupe_key, overdue.dedupe_key, "newest first");
    assert_eq!(all[1].id, first);
    assert_eq!(all[1].task, Some(task));
    assert_eq!(all[1].title, SUBJECT);
    assert_eq!(all[1].created_at, at(T0));
    assert_eq!(all[1].read_at, None);

    s.mark_notice_read(a, first, after(T0, 60)).await.unwrap();
    s.mark_notice_read(a, first, after(T0, 120)).await.unwrap();
    let all = s.notices(a, false).await.unwrap();
    assert_eq!(
        all[1].read_at,
        Some(after(T0, 60)),
        "the first reading counts"
    );
    let unread = s.notices(a, true).await.unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0].dedupe_key, overdue.dedupe_key);
    assert!(matches!(
        s.mark_notice_read(b, first, at(T0)).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        s.enqueue_notice(&notice("999999".parse().unwrap(), "x"), at(T0))
            .await,
        Err(Error::MissingReference(_))
    ));
    assert!(matches!(
        s.enqueue_notice(&notice(a, " "), at(T0)).await,
        Err(Error::Invalid { .. })
    ));
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit,
        "notices are not audited"
    );
}

/// A dedupe key is queued once; its Message-ID is fixed then and differs from every other.
async fn mail_is_queued_once_per_key_with_a_fixed_message_id(db: TestDb) {
    let s = &db.store;
    let audit = s.audit_len().await.unwrap();
    let first = s
        .enqueue_mail(&mail("due:task:1:2023-01-03", TO, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();
    assert!(first.new);
    assert!(
        first.message_id.starts_with("<outbox-")
            && first.message_id.ends_with("@nhiemvu.quangngai.gov.vn>"),
        "{}",
        first.message_id
    );
    let again = s
        .enqueue_mail(
            &NewMail {
                subject: "khác".into(),
                ..mail("due:task:1:2023-01-03", TO, at(T0))
            },
            DOMAIN,
            after(T0, 3600),
        )
        .await
        .unwrap();
    assert_eq!((again.id, &again.message_id), (first.id, &first.message_id));
    assert!(!again.new);
    let second = s
        .enqueue_mail(&mail("due:task:2:2023-01-03", TO, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();
    assert_ne!(second.message_id, first.message_id);

    for (m, domain) in [
        (mail("k", "khong-phai-dia-chi", at(T0)), DOMAIN),
        (mail("k", "a@b.vn\r\nBcc: c@d.vn", at(T0)), DOMAIN),
        (mail(" ", TO, at(T0)), DOMAIN),
        (mail("k", TO, at(T0)), "x>\r\nBcc: c@d.vn"),
    ] {
        assert!(
            matches!(
                s.enqueue_mail(&m, domain, at(T0)).await,
                Err(Error::Invalid { .. })
            ),
            "{m:?} {domain:?}"
        );
    }

    let listed = s.outbox(None, 10).await.unwrap();
    assert_eq!(
        listed.iter().map(|e| e.id).collect::<Vec<_>>(),
        [second.id, first.id],
        "newest first"
    );
    let e = &listed[1];
    assert_eq!(e.state, MailState::Pending);
    assert_eq!(e.subject, SUBJECT, "the first queuing is kept");
    assert_eq!(e.recipient, TO);
    assert_eq!((e.created_at, e.not_before), (at(T0), at(T0)));
    assert_eq!(e.attempts, 0);
    assert_eq!(
        (&e.lease_owner, e.sent_at, e.failed_at),
        (&None, None, None)
    );
    assert_eq!(s.outbox(None, 1).await.unwrap().len(), 1);
    assert!(
        s.outbox(Some(MailState::Sent), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.outbox(Some(MailState::Pending), 10).await.unwrap().len(),
        2
    );
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit,
        "the outbox is not audited"
    );
}

/// Four schedulers over two pools drain the outbox at once: every message is claimed by
/// exactly one of them, and nothing is claimed again while the leases run.
async fn concurrent_leasers_never_share_a_row(db: TestDb) {
    let s = &db.store;
    for i in 0..60 {
        s.enqueue_mail(&mail(&format!("k{i}"), TO, at(T0)), DOMAIN, at(T0))
            .await
            .unwrap();
    }
    let other = Store::open(&db.raw_url).await.unwrap();
    let leaser = |store: Store, owner: &'static str| {
        tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let batch = store
                    .lease_mail(owner, at(T0), Duration::from_secs(300), 4)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return got;
                }
                got.extend(batch.into_iter().map(|m| (m.id, owner)));
                tokio::task::yield_now().await;
            }
        })
    };
    let workers = [
        leaser(s.clone(), "a1"),
        leaser(other.clone(), "b1"),
        leaser(s.clone(), "a2"),
        leaser(other.clone(), "b2"),
    ];
    let mut claimed = Vec::new();
    for w in workers {
        claimed.extend(w.await.unwrap());
    }
    claimed.sort();
    let twice: Vec<_> = claimed.windows(2).filter(|w| w[0].0 == w[1].0).collect();
    assert!(twice.is_empty(), "rows claimed twice: {twice:?}");
    assert_eq!(claimed.len(), 60, "every row claimed");
    // The outbox says who holds each one.
    for e in s.outbox(None, 100).await.unwrap() {
        let owner = claimed.iter().find(|c| c.0 == e.id).unwrap().1;
        assert_eq!(e.lease_owner.as_deref(), Some(owner));
        assert_eq!(e.attempts, 1);
        assert_eq!(e.lease_until, Some(after(T0, 300)));
    }
    assert!(
        other
            .lease_mail("c", after(T0, 299), Duration::from_secs(300), 100)
            .await
            .unwrap()
            .is_empty(),
        "leases still run"
    );
    other.close().await;
}

/// A scheduler killed between sending and marking: its lease runs out, another takes the
/// message over with the same Message-ID, and the late mark of the first is refused.
async fn expired_lease_is_taken_over_with_the_same_message_id(db: TestDb) {
    let s = &db.store;
    let queued = s
        .enqueue_mail(&mail("k", TO, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();
    let lease = Duration::from_secs(60);
    let a = s.lease_mail("A", at(T0), lease, 10).await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].id, &a[0].message_id, a[0].attempts),
        (queued.id, &queued.message_id, 1)
    );
    assert_eq!((a[0].created_at, a[0].lease_until), (at(T0), after(T0, 60)));
    assert_eq!(a[0].subject, SUBJECT);
    assert!(
        s.lease_mail("B", after(T0, 59), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let b = s.lease_mail("B", after(T0, 61), lease, 10).await.unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(
        b[0].message_id, queued.message_id,
        "resends keep the Message-ID"
    );
    assert_eq!(b[0].created_at, at(T0), "and the Date");
    assert_eq!(b[0].attempts, 2);

    assert!(matches!(
        s.mark_mail_sent(queued.id, "A", after(T0, 62)).await,
        Err(Error::LeaseLost { id, ref owner }) if id == queued.id.get() && owner == "A"
    ));
    assert!(matches!(
        s.mark_mail_failed(queued.id, "A", "hết thời gian chờ", None, after(T0, 62))
            .await,
        Err(Error::LeaseLost { .. })
    ));
    s.mark_mail_sent(queued.id, "B", after(T0, 63))
        .await
        .unwrap();
    s.mark_mail_sent(queued.id, "B", after(T0, 64))
        .await
        .expect("marking the same sending twice is harmless");
    assert!(matches!(
        s.mark_mail_sent(queued.id, "A", after(T0, 65)).await,
        Err(Error::LeaseLost { .. })
    ));
    assert!(
        s.lease_mail("C", after(T0, 86_400), lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "a sent message is never leased again"
    );
    let e = &s.outbox(None, 10).await.unwrap()[0];
    assert_eq!(e.state, MailState::Sent);
    assert_eq!(e.sent_at, Some(after(T0, 63)));
    assert_eq!(e.lease_owner.as_deref(), Some("B"));
    assert_eq!((e.attempts, e.lease_until), (2, None));
    assert!(matches!(
        s.mark_mail_sent("999999".parse().unwrap(), "B", at(T0))
            .await,
        Err(Error::NotFound { .. })
    ));

    // A lease that ran out but was not taken over is still its owner's.
    let late = s
        .enqueue_mail(&mail("k2", TO, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();
    s.lease_mail("A", at(T0), lease, 10).await.unwrap();
    s.mark_mail_sent(late.id, "A", after(T0, 300))
        .await
        .unwrap();
    assert!(matches!(
        s.lease_mail("A", at(T0), Duration::ZERO, 1).await,
        Err(Error::Invalid { .. })
    ));
}

/// A message is not sent before its time; a failure waits for its retry time; a permanent
/// one gives the message up for good.
async fn failed_mail_waits_for_its_retry_or_is_given_up(db: TestDb) {
    let s = &db.store;
    let lease = Duration::from_secs(60);
    let queued = s
        .enqueue_mail(&mail("k", TO, after(T0, 600)), DOMAIN, at(T0))
        .await
        .unwrap();
    assert!(
        s.lease_mail("A", at(T0), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let t = after(T0, 600);
    let m = s.lease_mail("A", t, lease, 10).await.unwrap();
    assert_eq!(m.len(), 1);
    let retry = mail_retry_at(m[0].attempts, t).unwrap();
    assert_eq!(retry, after(T0, 660));
    assert!(matches!(
        s.mark_mail_failed(queued.id, "X", "lỗi", Some(retry), t)
            .await,
        Err(Error::LeaseLost { .. })
    ));
    s.mark_mail_failed(
        queued.id,
        "A",
        "máy chủ thư từ chối RCPT: 451 4.3.0 thử lại sau",
        Some(retry),
        t,
    )
    .await
    .unwrap();
    let e = &s.outbox(Some(MailState::Pending), 10).await.unwrap()[0];
    assert_eq!((e.not_before, e.lease_owner.as_deref()), (retry, None));
    assert!(e.last_error.as_deref().unwrap().contains("451"));
    assert!(
        s.lease_mail("B", after(T0, 630), lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "not before its retry time"
    );
    let m = s.lease_mail("B", retry, lease, 10).await.unwrap();
    assert_eq!((m.len(), m[0].attempts), (1, 2));
    s.mark_mail_failed(
        queued.id,
        "B",
        "máy chủ thư từ chối RCPT: 550 5.1.1 không có người nhận",
        None,
        retry,
    )
    .await
    .unwrap();
    let failed = s.outbox(Some(MailState::Failed), 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].failed_at, Some(retry));
    assert!(failed[0].last_error.as_deref().unwrap().contains("550"));
    assert!(
        s.lease_mail("C", after(T0, 365 * 86_400), lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "a message given up is never leased again"
    );
    assert!(
        s.outbox(Some(MailState::Pending), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The mail of a leased outbox row: the Date is when it was queued, the same on every sending.
fn message_of(m: &LeasedMail) -> mail::Message {
    mail::Message {
        from: "nhacviec@quangngai.gov.vn".into(),
        to: vec![m.recipient.clone()],
        subject: m.subject.clone(),
        body_text: m.body.clone(),
        message_id: m.message_id.clone(),
        date: UNIX_EPOCH + Duration::from_micros(u64::try_from(m.created_at.micros()).unwrap()),
    }
}

/// The scheduler's loop as `outbox.rs` describes it: lease, send, mark. (sent, failed).
async fn deliver_due(
    store: &Store,
    smtp: &mail::SmtpConfig,
    owner: &str,
    now: Timestamp,
) -> (usize, usize) {
    let (mut sent, mut failed) = (0, 0);
    for m in store
        .lease_mail(owner, now, Duration::from_secs(60), 10)
        .await
        .unwrap()
    {
        let message = message_of(&m);
        let config = smtp.clone();
        let result = tokio::task::spawn_blocking(move || mail::send(&config, &message))
            .await
            .unwrap();
        match result {
            Ok(()) => {
                store.mark_mail_sent(m.id, owner, now).await.unwrap();
                sent += 1;
            }
            Err(e) => {
                let retry = if e.is_permanent() {
                    None
                } else {
                    mail_retry_at(m.attempts, now)
                };
                store
                    .mark_mail_failed(m.id, owner, &e.to_string(), retry, now)
                    .await
                    .unwrap();
                failed += 1;
            }
        }
    }
    (sent, failed)
}

/// Through a real SMTP server: a scheduler that dies after the server accepted a message and
/// before marking it causes a second sending, with the same Message-ID and Date; a recipient
/// the server refuses is given up with the server's reply.
async fn delivery_is_at_least_once_with_one_message_id(db: TestDb) {
    let s = &db.store;
    let refused = "khong.ton.tai@quangngai.gov.vn";
    let sink = mail::SmtpSink::start_with(mail::SinkOptions {
        reject_recipients: vec![refused.into()],
        ..mail::SinkOptions::default()
    })
    .unwrap();
    let good = s
        .enqueue_mail(&mail("due:good", TO, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();
    let bad = s
        .enqueue_mail(&mail("due:bad", refused, at(T0)), DOMAIN, at(T0))
        .await
        .unwrap();

    // Scheduler A leases both, gets the good one accepted, and is killed before marking.
    let leased = s
        .lease_mail("A", at(T0), Duration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(leased.len(), 2);
    let first = message_of(&leased[0]);
    let config = sink.config();
    tokio::task::spawn_blocking(move || mail::send(&config, &first))
        .await
        .unwrap()
        .unwrap();

    // Scheduler B, in another pool, after A's lease ran out.
    let other = Store::open(&db.raw_url).await.unwrap();
    assert_eq!(
        deliver_due(&other, &sink.config(), "B", after(T0, 30)).await,
        (0, 0),
        "A's leases still run"
    );
    assert_eq!(
        deliver_due(&other, &sink.config(), "B", after(T0, 61)).await,
        (1, 1)
    );
    let received = sink.received();
    assert_eq!(received.len(), 2, "at least once: twice here");
    for r in &received {
        assert_eq!(r.to, [TO]);
        assert_eq!(r.message_id().as_deref(), Some(good.message_id.as_str()));
        assert_eq!(r.subject().as_deref(), Some(SUBJECT));
        assert_eq!(
            r.header("Date").as_deref(),
            Some("Tue, 03 Jan 2023 08:00:00 +0700")
        );
    }
    assert_eq!(
        received[0].data, received[1].data,
        "the copies are identical"
    );

    let outbox = s.outbox(None, 10).await.unwrap();
    let entry = |id| outbox.iter().find(|e| e.id == id).unwrap();
    assert_eq!(entry(good.id).state, MailState::Sent);
    assert_eq!(entry(good.id).lease_owner.as_deref(), Some("B"));
    assert_eq!(entry(bad.id).state, MailState::Failed);
    let error = entry(bad.id).last_error.clone().unwrap();
    assert!(error.contains("550") && error.contains(refused), "{error}");
    assert_eq!(
        deliver_due(&other, &sink.config(), "B", after(T0, 86_400)).await,
        (0, 0)
    );
    assert_eq!(sink.received().len(), 2);
    other.close().await;
}

// ---------------------------------------------------------------------------------------------
// Tracking: the workflow rules applied by the store

async fn account(s: &Store, login: &str, roles: Vec<Role>, agency: Option<&str>) -> UserId {
    let new = NewUser {
        login: login.into(),
        full_name: login.into(),
        email: None,
        password_hash: None,
        roles,
    };
    let id = s.create_user(&new, Actor::System).await.unwrap();
    if let Some(name) = agency {
        let a = s.find_agency(name).await.unwrap().unwrap();
        s.add_membership(id, a.id, Actor::System).await.unwrap();
    }
    id
}

fn on(day: &str) -> Timestamp {
    Timestamp::in_vietnam(date(day), 9, 0)
}

async fn tracking_enforces_the_rules_and_rolls_up(db: TestDb) {
    use workflow::{Action, ActionKind, Settings, Status};
    let s = &db.store;
    let calendar = vn_calendar::Calendar::new();
    // Sở Tài chính both leads and monitors this document's tasks, so one of its staff may
    // hold the officer and the monitor roles at once.
    let mut p801 = parsed(
        "801",
        "2024-05-02",
        vec![
            task("1", &["Sở Tài chính"], &[], Some("2024-06-28")),
            task("2", &["Sở Tài chính"], &[], None),
        ],
    );
    p801.0.document.monitor = Some(doc_parse::Monitor {
        agency: "Sở Tài chính".into(),
        report_to: None,
        deadline: task("m", &[], &[], None).deadline,
    });
    let higher = commit(s, &p801).await;
    let tasks = s.tasks_of_document(higher).await.unwrap();
    let (t1, t2) = (tasks[0].id, tasks[1].id);
    let leader = account(s, "lanhdao", vec![Role::Leader], None).await;
    let monitor = account(s, "theodoi", vec![Role::Monitor], None).await;
    let head = account(s, "giamdoc", vec![Role::AgencyHead], Some("Sở Tài chính")).await;
    // An officer who also holds the monitor role: still cannot confirm their own work.
    let both = account(
        s,
        "chuyenvien",
        vec![Role::AgencyOfficer, Role::Monitor],
        Some("Sở Tài chính"),
    )
    .await;
    let admin = account(s, "quantri", vec![Role::Admin], None).await;

    let refused = |r: store::Result<Status>| match r {
        Err(Error::Refused { code, message }) => (code, message),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        s.allowed_actions(t1, head).await.unwrap(),
        vec![
            ActionKind::Start,
            ActionKind::ReportDone,
            ActionKind::Refuse
        ]
    );
    let (code, _) = refused(
        s.transition(t1, &Action::Start, admin, on("2024-05-03"))
            .await,
    );
    assert_eq!(code, "admin_has_no_task_powers");
    s.hand_over(t1, both, head).await.unwrap();
    s.transition(t1, &Action::Start, both, on("2024-05-03"))
        .await
        .unwrap();
    s.transition(t1, &Action::ReportDone, both, on("2024-06-20"))
        .await
        .unwrap();
    let audit = s.audit_len().await.unwrap();
    let (code, message) = refused(
        s.transition(t1, &Action::Confirm, both, on("2024-06-21"))
            .await,
    );
    assert_eq!(code, "own_work");
    assert!(message.contains("của mình"), "{message}");
    let (code, _) = refused(
        s.transition(t1, &Action::Confirm, head, on("2024-06-21"))
            .await,
    );
    assert_eq!(code, "not_permitted");
    assert_eq!(
        s.audit_len().await.unwrap(),
        audit,
        "a refusal writes nothing"
    );
    assert_eq!(
        s.transition(t1, &Action::Confirm, monitor, on("2024-06-21"))
            .await
            .unwrap(),
        Status::HoanThanh
    );

    // Cancelled by the leader; nothing moves it afterwards.
    let cancel = Action::Cancel {
        reason: "Đã có văn bản thay thế".into(),
    };
    let (code, _) = refused(s.transition(t2, &cancel, monitor, on("2024-05-10")).await);
    assert_eq!(code, "not_permitted");
    assert_eq!(
        s.transition(t2, &cancel, leader, on("2024-05-10"))
            .await
            .unwrap(),
        Status::Huy
    );
    for (action, who) in [
        (Action::Start, head),
        (Action::Reopen { reason: "x".into() }, monitor),
    ] {
        let (code, message) = refused(s.transition(t2, &action, who, on("2024-05-11")).await);
        assert_eq!(code, "cancelled");
        assert!(message.contains("hủy"), "{message}");
    }
    let history = s.status_history(t2).await.unwrap();
    assert_eq!(
        (history.len(), history[0].reason.as_deref(), history[0].by),
        (1, Some("Đã có văn bản thay thế"), Some(leader))
    );

    // An extension asked after the due day is refused.
    let lower = commit(
        s,
        &parsed(
            "802",
            "2024-05-06",
            vec![task("1", &["Sở Tài chính"], &[], Some("2024-06-10"))],
        ),
    )
    .await;
    let child = s.tasks_of_document(lower).await.unwrap()[0].id;
    s.hand_over(child, both, head).await.unwrap();
    let late = s
        .request_extension(
            child,
            date("2024-07-31"),
            "Chưa kịp",
            both,
            on("2024-06-11"),
            &calendar,
        )
        .await;
    assert!(
        matches!(
            late,
            Err(Error::Refused {
                code: "extension_too_late",
                ..
            })
        ),
        "{late:?}"
    );

    // Cascade: the lower document's task implements task 1; task 1's roll-up shows it overdue.
    s.set_parent_task(child, Some(t1), Actor::User(monitor))
        .await
        .unwrap();
    let rollup = s
        .official_counts(
            date("2024-06-20"),
            store::CountBy::Document,
            store::Scope::ImplementingTask(t1),
            &calendar,
            &Settings::default(),
        )
        .await
        .unwrap();
    assert_eq!(rollup.len(), 1);
    assert_eq!(rollup[0].name, "802/UBND-KTTH");

    // A period covers the tasks open at any time in it: task 1, done on 20 June, is in June's
    // report and not in July's.
    let total = |rows: Vec<store::CountRow>| rows.iter().map(|r| r.counts.total()).sum::<u64>();
    let period = |first: &'static str, last: &'static str| {
        let calendar = calendar.clone();
        async move {
            s.period_counts(
                date(first),
                date(last),
                store::CountBy::Document,
                store::Scope::Document(higher),
                &calendar,
                &Settings::default(),
            )
            .await
            .unwrap()
        }
    };
    let june = period("2024-06-01", "2024-06-30").await;
    assert_eq!((june.len(), june[0].counts.done_on_time), (1, 1));
    assert_eq!(total(period("2024-07-01", "2024-07-31").await), 0);
    // The tasks of documents issued in a period.
    let issued = s
        .official_counts(
            date("2024-06-20"),
            store::CountBy::Document,
            store::Scope::AssignedBetween(date("2024-05-03"), date("2024-05-31")),
            &calendar,
            &Settings::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        issued.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["802/UBND-KTTH"]
    );
    assert_eq!(
        (rollup[0].counts.open_overdue, rollup[0].counts.total()),
        (1, 1)
    );
}

/// A parse result whose text ends with `sentence`, citing `cited` where it appears in it.
fn citing(
    number: &str,
    issued: &str,
    tasks: Vec<doc_parse::Task>,
    sentence: &str,
    cited: &str,
) -> (Parsed, Vec<u8>) {
    let mut p = parsed(number, issued, tasks);
    let at = p.0.text.len()
        + sentence
            .find(cited)
            .expect("the citation is in the sentence");
    p.0.text.push_str(sentence);
    p.0.text.push('\n');
    let mut r = reference(cited, Some(2024));
    r.span = [at, at + cited.len()];
    p.0.document.references = vec![r];
    p
}

async fn superseded_documents_put_their_open_tasks_before_the_monitor(db: TestDb) {
    use store::{Decision, Relation};
    let s = &db.store;
    let earlier = commit(
        s,
        &parsed(
            "901",
            "2024-01-10",
            vec![
                task("1", &["Sở Tài chính"], &[], None),
                task("2", &["Sở Tài chính"], &[], None),
                task("3", &["Sở Tài chính"], &[], None),
            ],
        ),
    )
    .await;
    let old = s.tasks_of_document(earlier).await.unwrap();
    s.set_task_status(old[2].id, ProgressStatus::Done, Actor::System)
        .await
        .unwrap();
    // Citing it as a legal basis changes nothing.
    commit(
        s,
        &citing(
            "903",
            "2024-02-01",
            Vec::new(),
            "Căn cứ Công văn số 901/UBND-KTTH về việc …;",
            "901/UBND-KTTH",
        ),
    )
    .await;
    assert!(s.pending_superseded_tasks().await.unwrap().is_empty());

    let newer = commit(
        s,
        &citing(
            "902",
            "2024-03-01",
            vec![task("1", &["Sở Tài chính"], &[], None)],
            "Công văn này thay thế Công văn số 901/UBND-KTTH ngày 10/01/2024.",
            "901/UBND-KTTH",
        ),
    )
    .await;
    let continued = s.tasks_of_document(newer).await.unwrap()[0].id;
    let pending = s.pending_superseded_tasks().await.unwrap();
    assert_eq!(
        pending
            .iter()
            .map(|p| (p.task, p.relation, p.earlier_document))
            .collect::<Vec<_>>(),
        vec![
            (old[0].id, Relation::Replace, earlier),
            (old[1].id, Relation::Replace, earlier)
        ],
        "the open tasks only"
    );

    let monitor = account(s, "theodoi", vec![Role::Monitor], None).await;
    let head = account(s, "giamdoc", vec![Role::AgencyHead], Some("Sở Tài chính")).await;
    let at = Timestamp::in_vietnam(date("2024-03-04"), 9, 0);
    assert!(matches!(
        s.decide_superseded_task(old[0].id, Decision::Cancel, head, at)
            .await,
        Err(Error::Refused {
            code: "not_permitted",
            ..
        })
    ));
    assert!(matches!(
        s.decide_superseded_task(old[0].id, Decision::CarryOver(old[1].id), monitor, at)
            .await,
        Err(Error::Refused {
            code: "carry_over_elsewhere",
            ..
        })
    ));
    s.decide_superseded_task(old[0].id, Decision::CarryOver(continued), monitor, at)
        .await
        .unwrap();
    s.decide_superseded_task(old[1].id, Decision::Keep, monitor, at)
        .await
        .unwrap();
    assert!(s.pending_superseded_tasks().await.unwrap().is_empty());
    let statuses: Vec<ProgressStatus> = s
        .tasks_of_document(earlier)
        .await
        .unwrap()
        .iter()
        .map(|t| t.status)
        .collect();
    assert_eq!(
        statuses,
        vec![
            ProgressStatus::Cancelled,
            ProgressStatus::NotStarted,
            ProgressStatus::Done
        ]
    );
    let history = s.status_history(old[0].id).await.unwrap();
    let reason = history[0].reason.clone().unwrap();
    assert!(
        reason.contains("902/UBND-KTTH thay thế") && reason.contains(&format!("#{continued}")),
        "{reason}"
    );
}

// ---------------------------------------------------------------------------------------------
// Search

const PLANNING: &str = "Sở Kế hoạch và Đầu tư";
const CULTURE: &str = "Sở Văn hóa, Thể thao và Du lịch";

/// A document of two tasks: 1 for the planning department, citing a decree; 2 for culture.
fn searchable(number: &str) -> (Parsed, Vec<u8>) {
    let mut t1 = task("1", &[PLANNING], &[], Some("2023-03-31"));
    t1.text =
        "Sở Kế hoạch và Đầu tư chủ trì rà soát các dự án theo Nghị định số 107/2021/NĐ-CP".into();
    let mut t2 = task("2", &[CULTURE], &[], None);
    t2.text = "Phát triển du lịch cộng đồng ở các huyện miền núi".into();
    parsed(number, "2023-01-05", vec![t1, t2])
}

fn hit_ids(page: &store::SearchPage, kind: store::SearchKind) -> Vec<i64> {
    page.items
        .iter()
        .filter(|h| h.kind == kind)
        .map(|h| h.id)
        .collect()
}

async fn search_ignores_diacritics_and_respects_visibility(db: TestDb) {
    use store::SearchKind::{Document as D, Task as T};
    let s = &db.store;
    let doc = commit(s, &searchable("12")).await;
    let tasks = s.tasks_of_document(doc).await.unwrap();
    let (t1, t2) = (tasks[0].id.get(), tasks[1].id.get());

    for query in [
        "so ke hoach",
        "Sở KẾ HOẠCH",
        "nghi dinh 107",
        "nghị định 107/2021",
        "nd-cp 107",
        "nghi dinh 10",
    ] {
        let page = s.search(query, None, None, 50).await.unwrap();
        assert_eq!(hit_ids(&page, T), [t1], "{query}");
    }
    for query in ["nghi dinh 108", "ke hoach du lich", "", "  /-  "] {
        let page = s.search(query, None, None, 50).await.unwrap();
        assert!(page.items.is_empty(), "{query}: {page:?}");
    }
    // Documents by their subject, code and text.
    let page = s.search("van ban thu 12", None, None, 50).await.unwrap();
    assert_eq!(hit_ids(&page, D), [doc.get()]);
    assert_eq!(
        page.items[0].code.as_ref().map(|c| c.as_str()),
        Some("12/UBND-KTTH")
    );
    let page = s.search("ubnd ktth", None, None, 50).await.unwrap();
    assert_eq!(hit_ids(&page, D), [doc.get()]);

    // An agency member sees their own agency's tasks and the documents assigning them.
    let officer = account(s, "cv.vh", vec![Role::AgencyOfficer], Some(CULTURE)).await;
    let page = s
        .search("so ke hoach", Some(officer), None, 50)
        .await
        .unwrap();
    assert!(page.items.is_empty(), "{page:?}");
    let page = s.search("du lich", Some(officer), None, 50).await.unwrap();
    assert_eq!(hit_ids(&page, T), [t2]);
    let page = s
        .search("van ban thu", Some(officer), None, 50)
        .await
        .unwrap();
    assert_eq!(hit_ids(&page, D), [doc.get()]);
    let outsider = account(
        s,
        "cv.gt",
        vec![Role::AgencyOfficer],
        Some("Sở Giao thông vận tải"),
    )
    .await;
    assert!(
        s.search("van ban thu", Some(outsider), None, 50)
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // Pages follow the cursor; a later commit is found at once.
    for n in 13..16 {
        commit(s, &searchable(&n.to_string())).await;
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = s.search("du lich cong dong", None, after, 3).await.unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(hit_ids(&page, T));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]));

    // The task list's text filter uses the same index.
    let filter = store::TaskFilter {
        text: Some("Nghị định 107".into()),
        document: Some(doc),
        limit: 50,
        ..Default::default()
    };
    let page = s
        .task_page(&filter, &vn_calendar::Calendar::new())
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|t| t.id.get()).collect::<Vec<_>>(),
        [t1]
    );
    let filter = store::TaskFilter {
        text: Some("du lich".into()),
        visible_to: Some(officer),
        limit: 2,
        ..Default::default()
    };
    let page = s
        .task_page(&filter, &vn_calendar::Calendar::new())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.next.is_some());
}

/// The index is not in backups: a restored store finds the same rows; a row written behind
/// the store's back (another process, a hand-typed statement) is found after its mark.
async fn search_index_follows_restore_and_is_rebuilt_from_marks(db: TestDb) {
    let s = &db.store;
    let doc = commit(s, &searchable("21")).await;
    let t1 = s.tasks_of_document(doc).await.unwrap()[0].id.get();
    let mut dump = Vec::new();
    s.backup(&mut dump).await.unwrap();
    assert!(!String::from_utf8_lossy(&dump).contains("search_entry"));

    let (other, clean) = sqlite().await;
    other
        .store
        .restore(&mut std::io::Cursor::new(dump.clone()), false)
        .await
        .unwrap();
    let page = other
        .store
        .search("nghi dinh 107", None, None, 10)
        .await
        .unwrap();
    assert_eq!(page.items.iter().map(|h| h.id).collect::<Vec<_>>(), [t1]);
    other.store.close().await;
    remove(clean).await;

    // Restoring over itself (force) leaves one entry per row, not two.
    s.restore(&mut std::io::Cursor::new(dump), true)
        .await
        .unwrap();
    let page = s.search("nghi dinh 107", None, None, 10).await.unwrap();
    assert_eq!(page.items.len(), 1);

    raw_execute(
        &db,
        &format!("UPDATE task SET text = 'Đường Hồ Chí Minh' WHERE id = {t1}"),
    )
    .await
    .unwrap();
    assert!(
        s.search("nghi dinh 107", None, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let page = s.search("duong ho chi minh", None, None, 10).await.unwrap();
    assert_eq!(page.items.iter().map(|h| h.id).collect::<Vec<_>>(), [t1]);
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/// Planning from the audit log in two schedulers at once queues each event once per
/// subscription; two leasers never hold the same delivery; a lease that ran out is taken over
/// with the same delivery id, and the first holder can no longer record it.
async fn webhook_deliveries_are_planned_once_and_never_leased_twice(db: TestDb) {
    let s = &db.store;
    let admin = account(s, "he.thong", vec![Role::Admin], None).await;
    let hook = s
        .create_webhook(
            "http://127.0.0.1:9/hook",
            &["document.imported".into()],
            "khoa-bi-mat-du-dai-16",
            Actor::User(admin),
            Timestamp::now(),
        )
        .await
        .unwrap();
    for n in 30..40 {
        commit(s, &searchable(&n.to_string())).await;
    }
    let later = Timestamp::now() + Duration::from_secs(60);
    let (a, b) = tokio::join!(
        s.plan_webhook_deliveries(later),
        s.plan_webhook_deliveries(later)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 10);
    assert_eq!(s.plan_webhook_deliveries(later).await.unwrap(), 0);

    let lease = Duration::from_secs(60);
    let (x, y) = tokio::join!(
        s.lease_webhook_deliveries("may-1", later, lease, 6),
        s.lease_webhook_deliveries("may-2", later, lease, 6)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.len() + y.len(), 10);
    assert!(x.iter().all(|d| y.iter().all(|e| e.id != d.id)));
    let first = &x[0];
    assert_eq!(first.secret, "khoa-bi-mat-du-dai-16");
    let payload: serde_json::Value = serde_json::from_str(&first.payload).unwrap();
    assert_eq!(payload["event"], "document.imported");
    assert_eq!(payload["id"], first.delivery_id.as_str());

    // may-1 stalls past its lease; may-3 takes the delivery over with the same id.
    let after_lease = later + Duration::from_secs(61);
    let taken = s
        .lease_webhook_deliveries("may-3", after_lease, lease, 20)
        .await
        .unwrap();
    let again = taken.iter().find(|d| d.id == first.id).unwrap();
    assert_eq!(again.delivery_id, first.delivery_id);
    assert_eq!(again.attempts, 2);
    assert!(matches!(
        s.mark_webhook_sent(first.id, "may-1", 200, after_lease)
            .await,
        Err(Error::LeaseLost { .. })
    ));
    s.mark_webhook_sent(first.id, "may-3", 200, after_lease)
        .await
        .unwrap();
    let deliveries = s.webhook_deliveries(hook.id, 50).await.unwrap();
    assert_eq!(deliveries.len(), 10);
    assert_eq!(deliveries.iter().filter(|d| d.sent_at.is_some()).count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Import drafts

fn refused_code(e: Error) -> &'static str {
    match e {
        Error::Refused { code, .. } => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn import_drafts_are_reviewed_then_committed_once(db: TestDb) {
    let s = &db.store;
    let clerk = make_user(s, "van_thu").await;
    let p = parsed(
        "301",
        "2024-02-01",
        vec![
            task("1", &["Sở Tài chính"], &["Sở Xây dựng"], Some("2024-03-31")),
            task("2", &["Hội đồng không có thật"], &[], None),
        ],
    );
    let draft = s
        .create_draft(&p.0, &p.1, Actor::User(clerk))
        .await
        .unwrap();
    let id = draft.summary.id;
    assert_eq!(draft.summary.state, store::DraftState::Open);
    assert_eq!((draft.summary.revision, draft.already_imported), (0, None));
    assert_eq!(draft.text, p.0.text, "the normalised text is kept");
    assert_eq!(draft.document.code.as_deref(), Some("301/UBND-KTTH"));
    let kinds: Vec<(&str, &str)> = draft
        .tasks
        .iter()
        .flat_map(|t| t.lead.iter().chain(&t.support))
        .map(|p| (p.name.as_str(), p.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Sở Tài chính", "agency"),
            ("Sở Xây dựng", "agency"),
            ("Hội đồng không có thật", "unknown")
        ]
    );
    assert!(draft.problems.is_empty(), "{:?}", draft.problems);
    assert_eq!(s.draft_page(false, None, 10).await.unwrap().0.len(), 1);

    // Bad edits are kept with their problems, one per field; a commit refuses and writes nothing.
    let mut tasks = draft.tasks.clone();
    tasks[0].deadline.date = Some("2023-12-31".into());
    tasks[1].id = "1".into();
    tasks[1].lead[0].kind = "agency".into();
    tasks[1].text = " ".into();
    let saved = s
        .save_draft(id, &tasks, Some(0), Actor::User(clerk))
        .await
        .unwrap();
    assert_eq!(saved.summary.revision, 1);
    let fields: Vec<(usize, &str)> = saved
        .problems
        .iter()
        .map(|p| (p.index, p.field.as_str()))
        .collect();
    assert_eq!(
        fields,
        [(0, "deadline.date"), (1, "id"), (1, "text"), (1, "lead[0]")]
    );
    assert!(
        saved.problems[0]
            .to_string()
            .contains("2023-12-31 trước ngày ban hành văn bản 2024-02-01"),
        "{}",
        saved.problems[0]
    );
    let audit = s.audit_len().await.unwrap();
    let store::DraftCommit::Invalid(problems) =
        s.commit_draft(id, Actor::User(clerk)).await.unwrap()
    else {
        panic!("committed with problems")
    };
    assert_eq!(problems.len(), 4);
    assert!(s.tasks().await.unwrap().is_empty());
    assert_eq!(s.audit_len().await.unwrap(), audit);

    // Someone else's save in between is refused, not overwritten.
    let stale = s
        .save_draft(id, &draft.tasks, Some(0), Actor::User(clerk))
        .await
        .unwrap_err();
    assert_eq!(refused_code(stale), "draft_changed");

    // Fixed: the edited tasks are what gets committed.
    let mut tasks = draft.tasks.clone();
    tasks[0].lead = vec![store::ReviewParty {
        name: "Sở Kế hoạch và Đầu tư".into(),
        kind: "agency".into(),
    }];
    tasks[1].lead[0].kind = "group".into();
    tasks.push(store::ReviewTask {
        id: "3".into(),
        text: "Nhiệm vụ thêm khi rà soát".into(),
        lead: vec![store::ReviewParty {
            name: "Sở Tài chính".into(),
            kind: "agency".into(),
        }],
        support: vec![],
        deadline: store::ReviewDeadline {
            kind: "date".into(),
            date: Some("2024-06-30".into()),
            text: None,
            every: None,
        },
        span: None,
        references: vec![],
    });
    let saved = s
        .save_draft(id, &tasks, None, Actor::User(clerk))
        .await
        .unwrap();
    assert!(saved.problems.is_empty(), "{:?}", saved.problems);
    let store::DraftCommit::Done(CommitOutcome::Imported { document, tasks: 3 }) =
        s.commit_draft(id, Actor::User(clerk)).await.unwrap()
    else {
        panic!("not imported")
    };
    let stored = s.tasks_of_document(document).await.unwrap();
    assert_eq!(stored.len(), 3);
    let leads: Vec<String> = stored
        .iter()
        .map(|t| {
            t.leads()
                .map(|a| a.name.clone())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(leads[0], "Sở Kế hoạch và Đầu tư");
    assert_eq!(stored[2].text, "Nhiệm vụ thêm khi rà soát");
    assert_eq!(s.document_original(document).await.unwrap(), p.1);
    let committed = s.draft(id).await.unwrap();
    assert_eq!(
        (committed.summary.state, committed.summary.document_id),
        (store::DraftState::Committed, Some(document))
    );

    // A double submit: the same document, nothing written.
    let audit = s.audit_len().await.unwrap();
    let again = s.commit_draft(id, Actor::User(clerk)).await.unwrap();
    assert_eq!(
        again,
        store::DraftCommit::Done(CommitOutcome::AlreadyImported { document })
    );
    assert_eq!(s.audit_len().await.unwrap(), audit);
    assert_eq!(s.tasks().await.unwrap().len(), 3);
    let closed = s
        .save_draft(id, &tasks, None, Actor::User(clerk))
        .await
        .unwrap_err();
    assert_eq!(refused_code(closed), "draft_closed");

    // Uploading a file already stored says so; two commits racing give one document.
    let again = s
        .create_draft(&p.0, &p.1, Actor::User(clerk))
        .await
        .unwrap();
    assert_eq!(again.already_imported, Some(document));
    s.discard_draft(again.summary.id, Actor::User(clerk))
        .await
        .unwrap();
    assert_eq!(
        refused_code(
            s.commit_draft(again.summary.id, Actor::User(clerk))
                .await
                .unwrap_err()
        ),
        "draft_closed"
    );
    let q = parsed(
        "302",
        "2024-02-02",
        vec![task("1", &["Sở Tài chính"], &[], None)],
    );
    let racing = s
        .create_draft(&q.0, &q.1, Actor::User(clerk))
        .await
        .unwrap()
        .summary
        .id;
    let (a, b) = tokio::join!(
        s.commit_draft(racing, Actor::User(clerk)),
        s.commit_draft(racing, Actor::User(clerk))
    );
    let mut outcomes = [a.unwrap(), b.unwrap()].map(|o| match o {
        store::DraftCommit::Done(CommitOutcome::Imported { .. }) => "imported",
        store::DraftCommit::Done(CommitOutcome::AlreadyImported { .. }) => "again",
        store::DraftCommit::Invalid(_) => "invalid",
    });
    outcomes.sort();
    assert_eq!(outcomes, ["again", "imported"]);
    assert_eq!(s.tasks().await.unwrap().len(), 4);

    let trail: Vec<String> = s
        .audit_log(Some("import_draft"))
        .await
        .unwrap()
        .iter()
        .map(|e| e.action.clone())
        .collect();
    assert_eq!(
        trail,
        [
            "create", "edit", "edit", "commit", "create", "discard", "create", "commit"
        ]
    );

    // A secret document is refused before anything is kept.
    let mut secret = parsed("303", "2024-02-03", vec![]);
    secret.0.document.secrecy = Some("MẬT".into());
    assert!(matches!(
        s.create_draft(&secret.0, &secret.1, Actor::System).await,
        Err(Error::SecretDocument(_))
    ));
    assert_eq!(s.draft_page(true, None, 10).await.unwrap().0.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Settings and calendar changes (migration 10)

async fn settings_and_calendar_changes_are_stored_and_audited(db: TestDb) {
    use store::{CalendarChangeKind, NewCalendarChange};
    let s = &db.store;
    let admin = s
        .create_user(
            &NewUser {
                login: "quantri".into(),
                full_name: "Quản trị".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::Admin],
            },
            Actor::System,
        )
        .await
        .unwrap();
    let actor = Actor::User(admin);

    // Settings: the defaults until saved; saved once however often the same value is sent.
    assert_eq!(s.settings().await.unwrap(), workflow::Settings::default());
    let settings = workflow::Settings {
        near_due_working_days: 7,
        reminders: workflow::ReminderSettings {
            before_working_days: vec![5, 2],
            ..Default::default()
        },
    };
    let audit = s.audit_len().await.unwrap();
    assert!(s.save_settings(&settings, actor).await.unwrap());
    assert!(!s.save_settings(&settings, actor).await.unwrap());
    assert_eq!(s.settings().await.unwrap(), settings);
    assert_eq!(s.audit_len().await.unwrap(), audit + 1);
    let log = s.audit_log(Some("setting")).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].actor, Some(admin));
    assert_eq!(log[0].before.as_ref().unwrap()["near_due_working_days"], 3);
    assert_eq!(log[0].after.as_ref().unwrap()["near_due_working_days"], 7);
    // Settings the rules refuse write nothing.
    let mut bad = settings.clone();
    bad.reminders.overdue_first_working_days = 0;
    assert!(matches!(
        s.save_settings(&bad, actor).await,
        Err(Error::Settings(_))
    ));
    bad = settings.clone();
    bad.near_due_working_days = 10_000;
    assert!(s.save_settings(&bad, actor).await.is_err());
    assert_eq!(s.settings().await.unwrap(), settings);
    assert_eq!(s.audit_len().await.unwrap(), audit + 1);

    // Calendar changes: a Friday declared off and the Saturday after worked.
    let friday = NewCalendarChange {
        date: date("2025-09-05"),
        kind: CalendarChangeKind::DayOff,
        note: "Quyết định 1/QĐ-TTg: nghỉ thêm".into(),
    };
    let saturday = NewCalendarChange {
        date: date("2025-09-06"),
        kind: CalendarChangeKind::WorkingDay,
        note: "Quyết định 1/QĐ-TTg: làm bù".into(),
    };
    let before = s.calendar().await.unwrap();
    assert!(before.is_working_day(friday.date).unwrap());
    let a = s.add_calendar_change(&friday, actor).await.unwrap();
    let b = s.add_calendar_change(&saturday, actor).await.unwrap();
    assert_eq!(
        (a.date, a.kind, a.created_by),
        (friday.date, friday.kind, Some(admin))
    );
    // The same change again is the stored one; another for the same day is refused.
    assert_eq!(s.add_calendar_change(&friday, actor).await.unwrap(), a);
    let other = NewCalendarChange {
        kind: CalendarChangeKind::WorkingDay,
        ..friday.clone()
    };
    assert!(matches!(
        s.add_calendar_change(&other, actor).await,
        Err(Error::Refused {
            code: "calendar_day_taken",
            ..
        })
    ));
    for bad in [
        NewCalendarChange {
            note: "  ".into(),
            ..friday.clone()
        },
        NewCalendarChange {
            date: date("2300-01-02"),
            ..friday.clone()
        },
    ] {
        assert!(matches!(
            s.add_calendar_change(&bad, actor).await,
            Err(Error::Invalid { .. })
        ));
    }
    assert_eq!(
        s.calendar_changes().await.unwrap(),
        vec![a.clone(), b.clone()]
    );
    let rules = s.rules().await.unwrap();
    assert_eq!(rules.settings, settings);
    assert!(!rules.calendar.is_working_day(friday.date).unwrap());
    assert!(rules.calendar.is_working_day(saturday.date).unwrap());
    let thursday = date("2025-09-04");
    assert_eq!(
        rules.calendar.add_working_days(thursday, 1).unwrap(),
        saturday.date
    );

    // Backed up and restored with everything else.
    let mut dump = Vec::new();
    s.backup(&mut dump).await.unwrap();
    s.restore(&mut dump.as_slice(), true).await.unwrap();
    assert_eq!(s.settings().await.unwrap(), settings);
    assert_eq!(
        s.calendar_changes().await.unwrap(),
        vec![a.clone(), b.clone()]
    );

    // Removed once; the second removal finds nothing and writes nothing.
    assert!(s.remove_calendar_change(a.id, actor).await.unwrap());
    let audit = s.audit_len().await.unwrap();
    assert!(!s.remove_calendar_change(a.id, actor).await.unwrap());
    assert_eq!(s.audit_len().await.unwrap(), audit);
    assert!(
        s.calendar()
            .await
            .unwrap()
            .is_working_day(friday.date)
            .unwrap()
    );
    let log = s.audit_log(Some("calendar_change")).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "create", "delete"]);
    assert_eq!(log[2].before.as_ref().unwrap()["date"], "2025-09-05");
    assert_eq!(log[2].before.as_ref().unwrap()["kind"], "day_off");
}
