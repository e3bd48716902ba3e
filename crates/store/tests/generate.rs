//! The synthetic province of `Store::generate` (issue #12), on a fresh SQLite file and, when
//! `NHIEMVU_TEST_POSTGRES` holds a server URL, on fresh PostgreSQL schemas: the generated data
//! must satisfy what every reader of the store relies on, survive a backup and a restore, and
//! never be written over a store that holds documents.

mod common;

use common::{Cleanup, POSTGRES_VAR, fresh_database, remove};
use store::{
    CountBy, Error, GenerateSpec, Generated, ProgressStatus, Scope, Store, TaskFilter, Timestamp,
};
use vn_calendar::{Calendar, Date};
use workflow::{ActionKind, Settings, Status};

const TASKS: u64 = 2_000;

#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh store on `backend` (a file, or a schema of its own), `None` when PostgreSQL is not
/// configured.
async fn fresh(backend: Backend) -> Option<(Store, Cleanup)> {
    let (url, clean) = fresh_database(matches!(backend, Backend::Postgres), "g").await?;
    Some((Store::open(&url).await.expect("open store"), clean))
}

async fn cleanup(store: Store, c: Cleanup) {
    store.close().await;
    remove(c).await;
}

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

/// Batches of 700 tasks: three transactions, the later ones drawn while the earlier are
/// written.
fn spec() -> GenerateSpec {
    GenerateSpec {
        tasks: TASKS,
        seed: 2395,
        now: Timestamp::in_vietnam(date("2026-06-01"), 12, 0),
        batch: 700,
    }
}

/// The rows of a backup without its header (which names the moment and the backend).
fn backup_rows(dump: &[u8]) -> Vec<String> {
    String::from_utf8(dump.to_vec())
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

async fn generated_province_is_consistent(backend: Backend) {
    let Some((store, clean)) = fresh(backend).await else {
        println!("skipped: {POSTGRES_VAR} not set");
        return;
    };
    let s = &store;
    let mut rounds = 0;
    let report: Generated = s
        .generate(&spec(), &mut |_| rounds += 1)
        .await
        .expect("generate");
    assert_eq!(rounds, 3);
    assert_eq!(report.tasks, TASKS);
    assert!(
        (100..=400).contains(&report.documents),
        "{} documents for {TASKS} tasks",
        report.documents
    );

    // Counts per status are the generator's, and the spread is a tracked province's.
    let tasks = s.tasks().await.unwrap();
    assert_eq!(tasks.len() as u64, TASKS);
    for status in ProgressStatus::ALL {
        let stored = tasks.iter().filter(|t| t.status == *status).count() as u64;
        assert_eq!(stored, report.count(*status), "{status:?}");
    }
    let share = |s: ProgressStatus| report.count(s) as f64 / TASKS as f64;
    assert!(share(ProgressStatus::Done) > 0.5, "{report:?}");
    for s in [
        ProgressStatus::NotStarted,
        ProgressStatus::InProgress,
        ProgressStatus::Suspended,
        ProgressStatus::Cancelled,
    ] {
        assert!(share(s) > 0.0 && share(s) < 0.25, "{s:?}: {report:?}");
    }

    // Every task has one lead and at most three supporting agencies (a body outside the
    // directory now and then), and a deadline from its document first.
    for t in &tasks {
        assert_eq!(t.leads().count(), 1, "task {}", t.id);
        assert!(t.assignments.len() <= 5, "task {}", t.id);
        assert_eq!(
            t.deadlines.first().map(|d| d.source),
            Some(store::DeadlineSource::Document)
        );
    }
    assert_eq!(
        report.assignments,
        tasks
            .iter()
            .map(|t| t.assignments.len() as u64)
            .sum::<u64>()
    );

    // Histories follow the workflow: each change starts where the last one ended, from an
    // allowed status, on a day not before the last, and ends at the task's status.
    let mut changes = 0;
    for t in tasks.iter().step_by(7) {
        let history = s.status_history(t.id).await.unwrap();
        let mut at = Status::ChuaThucHien;
        let mut day = date("2021-01-01");
        for c in &history {
            let kind = ActionKind::from_code(&c.action).expect("action code");
            assert_eq!(c.from, at, "task {}", t.id);
            assert!(kind.starts_from().contains(&c.from), "task {}", t.id);
            assert!(c.on >= day && c.on < date("2026-06-01"), "task {}", t.id);
            assert_eq!(kind.needs_reason(), c.reason.is_some(), "task {}", t.id);
            (at, day) = (c.to, c.on);
        }
        assert_eq!(at.code(), t.status.code(), "task {}", t.id);
        changes += history.len();
    }
    assert!(changes > 0);

    // The official counts count every task not cancelled, once by document and once by its
    // lead; completed tasks are on time or late, open ones include overdue ones.
    let calendar = Calendar::new();
    let settings = Settings::default();
    let as_of = date("2026-05-31");
    let counted = TASKS - report.count(ProgressStatus::Cancelled);
    for by in [CountBy::Document, CountBy::LeadAgency] {
        let rows = s
            .official_counts(as_of, by, Scope::All, &calendar, &settings)
            .await
            .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.counts.total()).sum::<u64>(),
            counted,
            "{by:?}"
        );
    }
    let all = s
        .official_counts(as_of, CountBy::Document, Scope::All, &calendar, &settings)
        .await
        .unwrap();
    let sum = |f: fn(&workflow::Counts) -> u64| all.iter().map(|r| f(&r.counts)).sum::<u64>();
    let done = sum(|c| c.done_on_time) + sum(|c| c.done_late);
    assert!(done <= report.count(ProgressStatus::Done));
    assert!(sum(|c| c.done_on_time) > sum(|c| c.done_late));
    assert!(sum(|c| c.done_late) > 0 && sum(|c| c.open_overdue) > 0);
    assert!(sum(|c| c.no_deadline) > 0 && sum(|c| c.suspended) > 0);

    // The busiest agency's list holds exactly the tasks it leads or supports.
    let (busiest, load) = report.busiest_agency.clone().expect("busiest agency");
    let mut listed = 0;
    let mut after = None;
    loop {
        let filter = TaskFilter {
            agency: Some(busiest.id),
            after,
            limit: 500,
            ..TaskFilter::default()
        };
        let page = s.task_page(&filter, &calendar).await.unwrap();
        listed += page.items.len() as u64;
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(listed, load, "{}", busiest.name);
    assert!(load > TASKS / 20, "{} has {load}", busiest.name);

    // The search index was written with the rows: nothing left to fold, words found.
    assert_eq!(s.refresh_search_index().await.unwrap(), 0);
    let hits = s
        .search("giai ngan von dau tu cong", None, None, 20)
        .await
        .unwrap();
    assert!(!hits.items.is_empty());
    let first = &tasks[0];
    let document = s.document(first.document).await.unwrap();
    assert_eq!(
        &document.text[first.span.unwrap()[0] as usize..first.span.unwrap()[1] as usize],
        first.text
    );
    assert_eq!(
        s.document_original(first.document).await.unwrap(),
        document.text.as_bytes()
    );
    assert_eq!(document.parse_result["schema"], "nhiemvu.document/1");
    assert!(
        !s.document_references(first.document)
            .await
            .unwrap()
            .is_empty()
    );

    // A store with documents is refused, and nothing is written.
    let audit = s.audit_len().await.unwrap();
    match s.generate(&spec(), &mut |_| {}).await {
        Err(Error::Refused { code, message }) => {
            assert_eq!(code, "store_not_empty");
            assert!(message.contains("văn bản"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(s.audit_len().await.unwrap(), audit);
    assert_eq!(s.tasks().await.unwrap().len() as u64, TASKS);

    // Backup and restore into a fresh store of the same backend: the same rows, the same
    // tasks, and search works there after folding the restored rows.
    let mut dump = Vec::new();
    let rows = s.backup(&mut dump).await.unwrap();
    let (copy, copy_clean) = fresh(backend).await.expect("second store");
    assert_eq!(
        copy.restore(&mut std::io::Cursor::new(dump.clone()), false)
            .await
            .unwrap(),
        rows
    );
    let mut again = Vec::new();
    copy.backup(&mut again).await.unwrap();
    assert_eq!(backup_rows(&again), backup_rows(&dump));
    assert_eq!(copy.tasks().await.unwrap(), tasks);
    let found = copy
        .search("giai ngan von dau tu cong", None, None, 20)
        .await
        .unwrap();
    assert_eq!(found.items.len(), hits.items.len());
    cleanup(copy, copy_clean).await;
    cleanup(store, clean).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_generated_province_is_consistent() {
    generated_province_is_consistent(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_generated_province_is_consistent() {
    generated_province_is_consistent(Backend::Postgres).await;
}

/// The same seed, size and moment give the same province, whatever the batches, on either
/// database; another seed another one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generation_is_deterministic() {
    let spec = GenerateSpec {
        tasks: 300,
        ..spec()
    };
    let mut provinces = Vec::new();
    for (backend, batch) in [
        (Backend::Sqlite, 100),
        (Backend::Sqlite, 20_000),
        (Backend::Postgres, 120),
    ] {
        let Some((store, clean)) = fresh(backend).await else {
            continue;
        };
        let spec = GenerateSpec { batch, ..spec };
        let report = store.generate(&spec, &mut |_| {}).await.unwrap();
        let tasks = store.tasks().await.unwrap();
        let mut history = Vec::new();
        for t in &tasks {
            history.push(store.status_history(t.id).await.unwrap());
        }
        provinces.push((report, tasks, history));
        cleanup(store, clean).await;
    }
    assert!(provinces.len() >= 2);
    for p in &provinces[1..] {
        assert_eq!(p, &provinces[0]);
    }
    let other = {
        let (store, clean) = fresh(Backend::Sqlite).await.unwrap();
        let spec = GenerateSpec { seed: 7, ..spec };
        store.generate(&spec, &mut |_| {}).await.unwrap();
        let tasks = store.tasks().await.unwrap();
        cleanup(store, clean).await;
        tasks
    };
    assert_ne!(other, provinces[0].1);
}

/// The days [`all_counts`] asks about.
const DAYS: [&str; 11] = [
    "2021-03-31",
    "2021-09-15",
    "2022-06-30",
    "2022-12-31",
    "2023-01-02",
    "2023-01-25",
    "2024-02-10",
    "2024-12-31",
    "2025-06-30",
    "2025-12-31",
    "2026-05-31",
];

/// Every count the dashboard and the reports ask for, on days from the first quarter to the
/// last (Tết and New Year included), by document and by lead, over the province, one
/// document and the documents of two years, as of the day and over the quarter before it.
async fn all_counts(
    s: &Store,
    calendar: &Calendar,
    document: store::DocumentId,
) -> Vec<Vec<store::CountRow>> {
    let settings = Settings::default();
    let mut out = Vec::new();
    for day in DAYS {
        let day = date(day);
        for by in [CountBy::Document, CountBy::LeadAgency, CountBy::Total] {
            for scope in [
                Scope::All,
                Scope::Document(document),
                Scope::AssignedBetween(date("2022-01-01"), date("2023-12-31")),
            ] {
                out.push(
                    s.official_counts(day, by, scope, calendar, &settings)
                        .await
                        .unwrap(),
                );
                out.push(
                    s.period_counts(day.add_days(-90), day, by, scope, calendar, &settings)
                        .await
                        .unwrap(),
                );
            }
        }
    }
    // The dashboard's chart: every day at once, as each day alone.
    let days: Vec<_> = DAYS.iter().map(|d| date(d)).collect();
    let totals = s.totals_on(&days, calendar, &settings).await.unwrap();
    assert_eq!(totals.len(), days.len());
    for (&day, t) in days.iter().zip(&totals) {
        let alone = s
            .official_counts(day, CountBy::Total, Scope::All, calendar, &settings)
            .await
            .unwrap();
        assert_eq!(
            alone.first().map(|r| r.counts).unwrap_or_default(),
            *t,
            "{day}"
        );
    }
    out.push(
        totals
            .into_iter()
            .map(|counts| store::CountRow {
                id: None,
                name: "totals_on".into(),
                counts,
            })
            .collect(),
    );
    // The dashboard's documents: the most overdue, as counting every document ranks them.
    for &day in &days {
        for open_since in [None, Some(day.add_days(-90))] {
            let all = s
                .counts_each(
                    open_since,
                    day,
                    &[CountBy::Document],
                    Scope::All,
                    calendar,
                    &settings,
                )
                .await
                .unwrap()
                .remove(0);
            let overdue = |r: &store::CountRow| r.counts.open_overdue;
            let with_overdue = all.iter().filter(|r| overdue(r) > 0).count();
            let ranking = s
                .most_overdue_documents(open_since, day, 7, calendar, &settings)
                .await
                .unwrap();
            assert_eq!(ranking.rows.len(), with_overdue.min(7), "{day}");
            assert_eq!(
                ranking.more as usize,
                with_overdue.saturating_sub(7),
                "{day}"
            );
            for r in &ranking.rows {
                assert!(
                    all.contains(r),
                    "{day}: {r:?} as counted with every document"
                );
            }
            let least = ranking.rows.iter().map(overdue).min().unwrap_or(0);
            let left = all
                .iter()
                .filter(|r| !ranking.rows.contains(r))
                .map(overdue)
                .max()
                .unwrap_or(0);
            assert!(
                ranking.rows.is_empty() || least >= left,
                "{day}: {least} < {left}"
            );
            out.push(ranking.rows);
            // A province of few documents lists them all, most overdue first.
            let few = s
                .most_overdue_documents(open_since, day, 100_000, calendar, &settings)
                .await
                .unwrap();
            assert_eq!(few.rows.len(), all.len());
            assert!(
                few.rows
                    .windows(2)
                    .all(|w| overdue(&w[0]) >= overdue(&w[1]))
            );
        }
    }
    out
}

/// The stored standings (one grouped query for the tasks settled by the day asked) count as
/// replaying every history does, on every day asked, also after a declared day off moved
/// some due days; without them, or with another calendar, the counts replay.
async fn standings_count_as_the_histories_do(backend: Backend) {
    let Some((store, clean)) = fresh(backend).await else {
        println!("skipped: {POSTGRES_VAR} not set");
        return;
    };
    let s = &store;
    let spec = GenerateSpec {
        tasks: 1_500,
        ..spec()
    };
    s.generate(&spec, &mut |_| {}).await.unwrap();
    let tasks = s.tasks().await.unwrap();
    let document = tasks[40].document;
    // Some tasks with a second lead (a directive naming two agencies to lead), some of them
    // in the document asked about: their counts come from the assignments.
    let second = tasks[0]
        .leads()
        .find_map(|l| l.current_agency.clone())
        .unwrap()
        .id;
    for t in tasks
        .iter()
        .filter(|t| t.id.get() % 25 == 0 || t.document == document)
    {
        if t.leads()
            .all(|l| l.current_agency.as_ref().map(|a| a.id) != Some(second))
        {
            s.add_assignment(
                t.id,
                store::AssignmentRole::Lead,
                second,
                store::Actor::System,
            )
            .await
            .unwrap();
        }
    }
    let calendar = s.calendar().await.unwrap();
    let settled = all_counts(s, &calendar, document).await;
    let annexes = all_annexes(s, &calendar, second).await;
    s.forget_standings().await.unwrap();
    let replayed = all_counts(s, &calendar, document).await;
    same_counts(&settled, &replayed);
    assert_eq!(annexes, all_annexes(s, &calendar, second).await);
    assert!(annexes.iter().all(|a| !a.is_empty()));
    let total: u64 = settled.iter().flatten().map(|r| r.counts.total()).sum();
    assert!(total > 20_000, "{total} tasks counted over all questions");
    assert_eq!(s.refresh_standings().await.unwrap(), 1_500);
    assert_eq!(s.refresh_standings().await.unwrap(), 0);

    // An open task's due day, a working day: declared a day off, the due day moves to the
    // next working day, and the task is no longer overdue on it.
    let (task, due) = tasks
        .iter()
        .filter(|t| t.status == ProgressStatus::InProgress)
        .find_map(|t| {
            let due = t.deadlines.last()?.due_on?;
            let next = due.add_days(1);
            (calendar.is_working_day(due).ok()? && calendar.is_working_day(next).ok()?)
                .then_some((t.id, due))
        })
        .expect("an open task due on a working day before another");
    let day_after = due.add_days(1);
    let by_task = |rows: Vec<store::CountRow>| rows.iter().map(|r| r.counts).collect::<Vec<_>>();
    let before = by_task(
        s.official_counts(
            day_after,
            CountBy::Document,
            Scope::Document(tasks.iter().find(|t| t.id == task).unwrap().document),
            &calendar,
            &Settings::default(),
        )
        .await
        .unwrap(),
    );
    s.add_calendar_change(
        &store::NewCalendarChange {
            date: due,
            kind: store::CalendarChangeKind::DayOff,
            note: "Quyết định nghỉ thêm (thử)".to_owned(),
        },
        store::Actor::System,
    )
    .await
    .unwrap();
    let moved = s.calendar().await.unwrap();
    assert_ne!(moved.fingerprint(), calendar.fingerprint());
    let after = by_task(
        s.official_counts(
            day_after,
            CountBy::Document,
            Scope::Document(tasks.iter().find(|t| t.id == task).unwrap().document),
            &moved,
            &Settings::default(),
        )
        .await
        .unwrap(),
    );
    assert!(
        after[0].open_overdue < before[0].open_overdue,
        "{before:?} → {after:?}"
    );
    let settled = all_counts(s, &moved, document).await;
    s.forget_standings().await.unwrap();
    same_counts(&settled, &all_counts(s, &moved, document).await);
    // Counted with the calendar the rows were not computed with, every history is replayed.
    s.refresh_standings().await.unwrap();
    same_counts(
        &all_counts(s, &calendar, document).await,
        &replayed_with(s, &calendar, document).await,
    );
    cleanup(store, clean).await;
}

/// Annexes the reports ask for, page by page (pages of 97 rows): a quarter's, an agency's
/// over a year, an urging letter's pressing tasks of the province and of that agency.
async fn all_annexes(
    s: &Store,
    calendar: &Calendar,
    agency: store::AgencyId,
) -> Vec<Vec<store::AnnexRow>> {
    let settings = Settings::default();
    let mut out = Vec::new();
    for query in [
        store::AnnexQuery {
            open_since: Some(date("2025-10-01")),
            ..store::AnnexQuery::on(date("2025-12-31"), Scope::All)
        },
        store::AnnexQuery {
            open_since: Some(date("2024-01-01")),
            lead: Some(agency),
            ..store::AnnexQuery::on(date("2024-12-31"), Scope::All)
        },
        store::AnnexQuery {
            pressing: true,
            ..store::AnnexQuery::on(date("2026-05-31"), Scope::All)
        },
        store::AnnexQuery {
            pressing: true,
            lead: Some(agency),
            ..store::AnnexQuery::on(date("2023-01-02"), Scope::All)
        },
    ] {
        let (mut rows, mut after) = (Vec::new(), None);
        loop {
            let page = s
                .annex_page(&query, after, 97, calendar, &settings)
                .await
                .unwrap();
            rows.extend(page.rows.into_iter().filter(|r| {
                !query.pressing
                    || matches!(
                        r.assessment.timeliness,
                        workflow::Timeliness::QuaHan | workflow::Timeliness::SapDenHan
                    )
            }));
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        out.push(rows);
    }
    out
}

/// Asserts two runs of [`all_counts`] agree, naming the first question and row that differ.
fn same_counts(a: &[Vec<store::CountRow>], b: &[Vec<store::CountRow>]) {
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        for (r, s) in x.iter().zip(y) {
            assert_eq!(r, s, "question {i}");
        }
        assert_eq!(x.len(), y.len(), "question {i}");
    }
}

/// [`all_counts`] with every history replayed, leaving the standings as they were computed.
async fn replayed_with(
    s: &Store,
    calendar: &Calendar,
    document: store::DocumentId,
) -> Vec<Vec<store::CountRow>> {
    s.forget_standings().await.unwrap();
    let counts = all_counts(s, calendar, document).await;
    s.refresh_standings().await.unwrap();
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_standings_count_as_the_histories_do() {
    standings_count_as_the_histories_do(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_standings_count_as_the_histories_do() {
    standings_count_as_the_histories_do(Backend::Postgres).await;
}
