//! Search pages over a generated province (`Store::search`, issue: search cost grew with the
//! data). The first page is read from the index in order and stops early (SQLite: FTS5 in
//! rowid order; PostgreSQL: windows of ids after the cursor, growing until the page is full),
//! so what must hold is that paging with `next` still returns every matching entry exactly
//! once, in index order, whatever the page size, for common words, one-letter prefixes,
//! prefixes longer than the indexed ones, rare and absent words, and for an agency member
//! whose hits are a scattered subset. The expected hits are computed here from the index's
//! rows (`search_entry`) by plain string matching.
//!
//! On a fresh SQLite file, and on a fresh PostgreSQL schema when `NHIEMVU_TEST_POSTGRES` holds
//! a server URL (otherwise that half says it is skipped).

mod common;

use common::{Cleanup, POSTGRES_VAR, fresh_database, remove};
use sqlx::Connection;
use store::{GenerateSpec, Role, SearchKind, Store, Timestamp, UserId};

/// Enough entries for several of PostgreSQL's windows (the smallest is 2,048 ids).
const TASKS: u64 = 4_000;

enum Raw {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Raw {
    async fn execute(&mut self, sql: &str) {
        match self {
            Raw::Sqlite(c) => sqlx::query(sql).execute(c).await.map(|_| ()),
            Raw::Postgres(c) => sqlx::query(sql).execute(c).await.map(|_| ()),
        }
        .expect(sql);
    }

    /// Rows of (i64, text) pairs.
    async fn pairs(&mut self, sql: &str) -> Vec<(i64, String)> {
        match self {
            Raw::Sqlite(c) => sqlx::query_as(sql).fetch_all(c).await,
            Raw::Postgres(c) => sqlx::query_as(sql).fetch_all(c).await,
        }
        .expect(sql)
    }
}

/// A fresh store, a raw connection to the same database, and what to remove at the end;
/// `None` when PostgreSQL is asked for and not configured.
async fn fresh(postgres: bool) -> Option<(Store, Raw, Cleanup)> {
    let (url, clean) = fresh_database(postgres, "s").await?;
    let store = Store::open(&url).await.expect("open store");
    let raw = if postgres {
        Raw::Postgres(sqlx::PgConnection::connect(&url).await.expect("raw"))
    } else {
        Raw::Sqlite(sqlx::SqliteConnection::connect(&url).await.expect("raw"))
    };
    Some((store, raw, clean))
}

async fn cleanup(store: Store, raw: Raw, c: Cleanup) {
    store.close().await;
    match raw {
        Raw::Sqlite(r) => r.close().await.ok(),
        Raw::Postgres(r) => r.close().await.ok(),
    };
    remove(c).await;
}

/// Every hit of `query` for `user`, page after page of `limit`, as (kind, id), checking that
/// each page but the last is full and names the cursor of its last entry.
async fn all_pages(
    s: &Store,
    query: &str,
    user: Option<UserId>,
    limit: u32,
) -> Vec<(SearchKind, i64)> {
    let mut seen = Vec::new();
    let mut after = None;
    for _ in 0..100_000 {
        let page = s.search(query, user, after, limit).await.unwrap();
        assert!(page.items.len() <= limit as usize, "{query}");
        seen.extend(page.items.iter().map(|h| (h.kind, h.id)));
        match page.next {
            Some(n) => {
                assert_eq!(page.items.len(), limit as usize, "{query}: a short page");
                assert!(Some(n) > after, "{query}: the cursor went back");
                after = Some(n);
            }
            None => return seen,
        }
    }
    panic!("{query}: pages without end");
}

/// The hits of `query` computed from the index's rows: every word of the query among the
/// entry's words, the last one as a prefix of one of them; in entry order.
fn expected(entries: &[(i64, String, i64, String)], query: &str) -> Vec<(SearchKind, i64)> {
    let words = store::search_words(query);
    let Some((last, rest)) = words.split_last() else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|(_, _, _, folded)| {
            let have: Vec<&str> = folded.split(' ').collect();
            rest.iter().all(|w| have.contains(&w.as_str()))
                && have.iter().any(|h| h.starts_with(last.as_str()))
        })
        .map(|(_, kind, id, _)| {
            let kind = if kind == "task" {
                SearchKind::Task
            } else {
                SearchKind::Document
            };
            (kind, *id)
        })
        .collect()
}

async fn paging_finds_every_hit_once(postgres: bool) {
    let Some((store, mut raw, clean)) = fresh(postgres).await else {
        println!("skipped: {POSTGRES_VAR} not set");
        return;
    };
    let s = &store;
    let spec = GenerateSpec {
        tasks: TASKS,
        seed: 107,
        now: Timestamp::in_vietnam("2026-06-01".parse().unwrap(), 12, 0),
        batch: 1_500,
    };
    let generated = s.generate(&spec, &mut |_| {}).await.expect("generate");
    // Words longer than the indexed prefixes (six characters), written behind the store's back
    // like any other writer: the triggers mark them and the next search folds them in.
    let tasks: Vec<i64> = raw
        .pairs("SELECT id, text FROM task ORDER BY id")
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (n, text) in [
        (17, "Đất nghiêng về phía sông"),
        (1_234, "Nghiêngngả trước gió, nghiên cứu thêm"),
        (3_999, "nghiên cứu"),
    ] {
        raw.execute(&format!(
            "UPDATE task SET text = '{text}' WHERE id = {}",
            tasks[n]
        ))
        .await;
    }
    // A rare word in the entries on either side of every multiple of 1,024 ids: PostgreSQL's
    // windows begin and end there, and a window that ends one id short, or a next one that
    // begins one id late, loses a hit.
    let edges: Vec<String> = (1..=4)
        .flat_map(|k| [k * 1024 - 1, k * 1024, k * 1024 + 1])
        .map(|id: i64| id.to_string())
        .collect();
    let at_edges = raw
        .pairs(&format!(
            "SELECT ref_id, kind FROM search_entry WHERE id IN ({})",
            edges.join(", ")
        ))
        .await;
    assert_eq!(at_edges.len(), edges.len());
    for (id, kind) in at_edges {
        raw.execute(&if kind == "task" {
            format!("UPDATE task SET text = text || ' ranhgioi' WHERE id = {id}")
        } else {
            format!(
                "UPDATE document SET subject = COALESCE(subject, '') || ' ranhgioi' WHERE id = {id}"
            )
        })
        .await;
    }
    // An agency member: the busiest agency's tasks, and the documents assigning it one.
    let (agency, _) = generated.busiest_agency.clone().expect("busiest agency");
    let officer = s
        .create_user(
            &store::NewUser {
                login: "cv.tim".into(),
                full_name: "Chuyên viên".into(),
                email: None,
                password_hash: None,
                roles: vec![Role::AgencyOfficer],
            },
            store::Actor::System,
        )
        .await
        .unwrap();
    s.add_membership(officer, agency.id, store::Actor::System)
        .await
        .unwrap();
    s.refresh_search_index().await.unwrap();

    let entries: Vec<(i64, String, i64, String)> = {
        let ids = raw
            .pairs("SELECT id, kind FROM search_entry ORDER BY id")
            .await;
        let refs = raw
            .pairs("SELECT ref_id, folded FROM search_entry ORDER BY id")
            .await;
        ids.into_iter()
            .zip(refs)
            .map(|((id, kind), (ref_id, folded))| (id, kind, ref_id, folded))
            .collect()
    };
    assert!(entries.len() as u64 > TASKS);
    // What the officer sees, by the rule of `queries::VISIBLE`.
    let assigned = "EXISTS (SELECT 1 FROM task_assignment va JOIN agency_membership vm ON vm.user_id = {user} \
         WHERE va.task_id = t.id AND (va.agency_id = vm.agency_id OR EXISTS (SELECT 1 FROM agency_group_member vg \
         WHERE vg.group_id = va.agency_id AND vg.member_id = vm.agency_id)))"
        .replace("{user}", &officer.get().to_string());
    let visible: Vec<(SearchKind, i64)> = raw
        .pairs(&format!(
            "SELECT t.id, 'task' FROM task t WHERE {assigned} \
             UNION SELECT DISTINCT t.document_id, 'document' FROM task t WHERE {assigned}"
        ))
        .await
        .into_iter()
        .map(|(id, kind)| {
            let kind = if kind == "task" {
                SearchKind::Task
            } else {
                SearchKind::Document
            };
            (kind, id)
        })
        .collect();
    assert!(!visible.is_empty());

    for (query, limits) in [
        ("ngân sách", &[1, 7, 25][..]),
        ("n", &[25, 500][..]),
        ("giải ngân kế hoạch", &[7][..]),
        ("Nghị định số 1", &[3, 25][..]),
        ("nghiên", &[25][..]),
        ("nghiêng", &[1, 2][..]),
        ("nghiêngngả trước", &[1][..]),
        ("2021", &[25][..]),
        ("ranhgioi", &[1, 2, 25][..]),
        ("ranhg", &[1][..]),
        ("xyzzyq", &[25][..]),
        ("ngân xyzzyq", &[25][..]),
    ] {
        let want = expected(&entries, query);
        let want_officer: Vec<_> = want
            .iter()
            .filter(|h| visible.contains(h))
            .copied()
            .collect();
        for &limit in limits {
            assert_eq!(
                all_pages(s, query, None, limit).await,
                want,
                "{query} by {limit}"
            );
            assert_eq!(
                all_pages(s, query, Some(officer), limit).await,
                want_officer,
                "{query} by {limit}, officer"
            );
        }
        if query == "ngân sách" || query == "n" {
            assert!(want.len() > 100, "{query}: {} hits", want.len());
            assert!(want_officer.len() > 25 && want_officer.len() < want.len());
        }
    }
    assert_eq!(expected(&entries, "nghiêng").len(), 2);
    assert_eq!(expected(&entries, "ranhgioi").len(), edges.len());
    assert!(expected(&entries, "nghiên").len() > 3);

    // A page starts after any cursor, a cursor inside a window or past the end included.
    let want = expected(&entries, "n");
    let last = entries.last().unwrap().0;
    for after in [0, 1, 2_047, 2_048, 2_049, last - 1, last, last + 10_000] {
        let page = s.search("n", None, Some(after), 25).await.unwrap();
        let from: Vec<_> = entries
            .iter()
            .zip(expected_flags(&entries, &want))
            .filter(|((id, ..), hit)| *hit && *id > after)
            .map(|((_, kind, id, _), _)| (kind == "task", *id))
            .take(25)
            .collect();
        let got: Vec<_> = page
            .items
            .iter()
            .map(|h| (h.kind == SearchKind::Task, h.id))
            .collect();
        assert_eq!(got, from, "after {after}");
    }
    cleanup(store, raw, clean).await;
}

/// For each entry, whether it is among `hits` (which are in entry order).
fn expected_flags(entries: &[(i64, String, i64, String)], hits: &[(SearchKind, i64)]) -> Vec<bool> {
    let mut hits = hits.iter().peekable();
    entries
        .iter()
        .map(|(_, kind, id, _)| {
            let kind = if kind == "task" {
                SearchKind::Task
            } else {
                SearchKind::Document
            };
            if hits.peek() == Some(&&(kind, *id)) {
                hits.next();
                true
            } else {
                false
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_paging_finds_every_hit_once() {
    paging_finds_every_hit_once(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_paging_finds_every_hit_once() {
    paging_finds_every_hit_once(true).await;
}
