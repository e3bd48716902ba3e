//! `nhiemvu import` and `nhiemvu tasks` as external scripts call them (PRODUCT.md, command-line
//! conventions): each test runs the real binary once on a fresh SQLite file and once on a fresh
//! PostgreSQL schema when `NHIEMVU_TEST_POSTGRES` holds a server URL (as the store's conformance
//! suite does); without the variable the PostgreSQL half says it is skipped.
use std::path::Path;
use std::process::Output;

use serde_json::Value;

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/2395-UBND-KTTH.txt"
);
#[path = "common/scratch.rs"]
mod scratch;
use scratch::{Backend, Scratch, run, text};

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { crate::run(crate::Backend::Sqlite, crate::$name) })*
        }
        mod postgres {
            $(#[test] fn $name() { crate::run(crate::Backend::Postgres, crate::$name) })*
        }
    };
}

on_both_backends! {
    commit_then_reimport_writes_nothing,
    tasks_by_agency_as_of_keeps_the_original_agency,
    review_round_trip_refuses_bad_edits_and_commits_a_good_one,
    secret_documents_are_refused,
    unreadable_files_and_usage_exit_2,
    bulk_import_of_a_folder_summarises,
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// The model case with "MẬT" on its own line under the number.
fn write_secret(path: &Path) {
    let model = std::fs::read_to_string(MODEL).unwrap();
    let marked = model.replacen(
        "Số: **2395**/UBND-KTTH\n",
        "Số: **2395**/UBND-KTTH\nMẬT\n",
        1,
    );
    assert_ne!(marked, model);
    std::fs::write(path, marked).unwrap();
}

fn task<'a>(tasks: &'a [Value], id: &str) -> &'a Value {
    tasks
        .iter()
        .find(|t| t["task"] == id)
        .unwrap_or_else(|| panic!("task {id}"))
}

fn commit_then_reimport_writes_nothing(s: &Scratch) {
    let first = s.run(&["import", MODEL, "--commit"]);
    assert_eq!(code(&first), Some(0), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("với 23 nhiệm vụ"),
        "{}",
        text(&first.stdout)
    );
    let before = s.tasks(&[]);
    assert_eq!(before.len(), 23);

    let again = s.run(&["import", MODEL, "--commit", "--json"]);
    assert_eq!(code(&again), Some(0), "{}", text(&again.stderr));
    let line: Value = serde_json::from_str(text(&again.stdout).trim()).unwrap();
    assert_eq!(line["outcome"], "already_imported");
    let plain = s.run(&["import", MODEL, "--commit"]);
    assert!(
        text(&plain.stdout).contains("đã được nhập trước đây"),
        "{}",
        text(&plain.stdout)
    );
    assert_eq!(s.tasks(&[]), before, "nothing written");
}

fn tasks_by_agency_as_of_keeps_the_original_agency(s: &Scratch) {
    assert_eq!(code(&s.run(&["import", MODEL, "--commit"])), Some(0));
    assert!(
        s.tasks(&["--agency", "Sở Tài chính"]).is_empty(),
        "not yet reorganised"
    );

    let moved = s.tasks(&["--agency", "Sở Tài chính", "--as-of", "2025-06-01"]);
    let ids: Vec<_> = moved.iter().map(|t| t["task"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2.1.a", "2.1.b"]);
    for t in &moved {
        let lead = &t["assignments"][0];
        assert_eq!(lead["role"], "lead");
        assert_eq!(lead["current"], "Sở Tài chính");
        assert_eq!(lead["original"], "Sở Kế hoạch và Đầu tư");
        assert_eq!(t["code"], "2395/UBND-KTTH");
        assert_eq!(t["status"], "chua_thuc_hien");
    }
    // The original agency still finds them, and the table shows both names.
    assert_eq!(s.tasks(&["--agency", "Sở Kế hoạch và Đầu tư"]).len(), 2);
    let table = s.run(&[
        "tasks",
        "--agency",
        "Sở Tài chính",
        "--document",
        "2395/UBND-KTTH",
    ]);
    assert_eq!(code(&table), Some(0));
    let table = text(&table.stdout);
    let row = table
        .lines()
        .find(|l| l.contains("2.1.a"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        row.contains("Sở Tài chính") && row.contains("Sở Kế hoạch và Đầu tư"),
        "{row}"
    );
    assert!(table.contains("2 nhiệm vụ"), "{table}");

    assert_eq!(
        s.tasks(&["--document", "2395/UBND-KTTH", "--year", "2022"])
            .len(),
        23
    );
    assert_eq!(s.tasks(&["--document", "1"]).len(), 23, "by id");
    assert_eq!(
        code(&s.run(&["tasks", "--document", "2395/UBND-KTTH", "--year", "2023"])),
        Some(1)
    );
    assert_eq!(
        code(&s.run(&["tasks", "--document", "99/UBND-KTTH"])),
        Some(1)
    );
    assert_eq!(code(&s.run(&["tasks", "--as-of", "1/6/2025"])), Some(2));
}

/// Writes `review` to `path` after `edit`, commits it and returns the run.
fn commit_edited(s: &Scratch, review: &Value, edit: impl FnOnce(&mut Value)) -> Output {
    let mut edited = review.clone();
    edit(&mut edited);
    let path = s.path("edited.json");
    std::fs::write(&path, serde_json::to_string_pretty(&edited).unwrap()).unwrap();
    s.run(&["import", "--review", path.to_str().unwrap(), "--commit"])
}

fn index_of(review: &Value, id: &str) -> usize {
    review["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["id"] == id)
        .unwrap()
}

fn review_round_trip_refuses_bad_edits_and_commits_a_good_one(s: &Scratch) {
    let original = s.path("2395-UBND-KTTH.txt");
    std::fs::copy(MODEL, &original).unwrap();
    let review_path = s.path("review.json");
    let out = s.run(&[
        "import",
        original.to_str().unwrap(),
        "--review",
        review_path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        s.tasks(&[]).is_empty(),
        "a review writes nothing to the database"
    );
    let review: Value =
        serde_json::from_str(&std::fs::read_to_string(&review_path).unwrap()).unwrap();
    assert_eq!(review["tasks"].as_array().unwrap().len(), 23);
    assert_eq!(review["document"]["code"], "2395/UBND-KTTH");
    let a = index_of(&review, "2.1.a");
    let b = index_of(&review, "2.1.b");
    assert_eq!(
        review["tasks"][a]["lead"][0],
        serde_json::json!({"name": "Sở Kế hoạch và Đầu tư", "kind": "agency"})
    );

    let refused = |out: &Output, needles: &[&str]| {
        assert_eq!(code(out), Some(1), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        for n in needles {
            assert!(err.contains(n), "{n:?} in {err}");
        }
        assert!(s.tasks(&[]).is_empty(), "nothing written");
    };
    let early = commit_edited(s, &review, |r| {
        r["tasks"][a]["lead"][0]["name"] = "Sở Xây dựng".into();
        r["tasks"][b]["deadline"] =
            serde_json::json!({"kind": "date", "date": "2020-01-01", "text": null});
    });
    refused(
        &early,
        &[
            "nhiệm vụ 2.1.b",
            "deadline.date",
            "2020-01-01",
            "2022-05-20",
        ],
    );

    let duplicate = commit_edited(s, &review, |r| r["tasks"][b]["id"] = "2.1.a".into());
    refused(&duplicate, &["nhiệm vụ 2.1.a", "trường \"id\": bị trùng"]);

    let unknown = commit_edited(s, &review, |r| {
        r["tasks"][a]["lead"][0]["name"] = "Sở Không Có Thật".into()
    });
    refused(
        &unknown,
        &[
            "nhiệm vụ 2.1.a",
            "trường \"lead[0]\"",
            "Sở Không Có Thật",
            "không có trong danh mục",
        ],
    );

    let empty = commit_edited(s, &review, |r| r["tasks"][a]["text"] = " ".into());
    refused(&empty, &["nhiệm vụ 2.1.a", "trường \"text\": để trống"]);

    // Marked as outside the directory, the same name is accepted.
    let good = commit_edited(s, &review, |r| {
        r["tasks"][a]["lead"][0]["name"] = "Sở Xây dựng".into();
        r["tasks"][a]["support"] =
            serde_json::json!([{"name": "Hiệp hội Doanh nghiệp tỉnh", "kind": "unknown"}]);
        r["tasks"][b]["deadline"] = serde_json::json!({"kind": "date", "date": "2022-12-31", "text": "trước ngày 31/12/2022"});
    });
    assert_eq!(code(&good), Some(0), "{}", text(&good.stderr));
    assert!(
        text(&good.stdout).contains("với 23 nhiệm vụ"),
        "{}",
        text(&good.stdout)
    );
    let stored = s.tasks(&[]);
    assert_eq!(stored.len(), 23);
    let ta = task(&stored, "2.1.a");
    assert_eq!(ta["assignments"][0]["current"], "Sở Xây dựng");
    assert_eq!(ta["assignments"][1]["name"], "Hiệp hội Doanh nghiệp tỉnh");
    assert_eq!(ta["assignments"][1]["kind"], "unknown");
    assert_eq!(task(&stored, "2.1.b")["deadline"]["date"], "2022-12-31");

    // Committing it again is a re-import; a changed original is refused.
    let again = commit_edited(s, &review, |_| {});
    assert_eq!(code(&again), Some(0));
    assert!(text(&again.stdout).contains("đã được nhập trước đây"));
    std::fs::write(&original, "Số: 1/UBND\n").unwrap();
    let changed = commit_edited(s, &review, |_| {});
    assert_eq!(code(&changed), Some(1));
    assert!(
        text(&changed.stderr).contains("đã thay đổi"),
        "{}",
        text(&changed.stderr)
    );
}

fn secret_documents_are_refused(s: &Scratch) {
    let secret = s.path("mat.txt");
    write_secret(&secret);
    let out = s.run(&["import", secret.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(1));
    assert!(
        text(&out.stderr).contains("độ mật \"MẬT\""),
        "{}",
        text(&out.stderr)
    );
    let review = s.path("r.json");
    let out = s.run(&[
        "import",
        secret.to_str().unwrap(),
        "--review",
        review.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), Some(1));
    assert!(!review.exists());
    assert!(s.tasks(&[]).is_empty());
}

fn unreadable_files_and_usage_exit_2(s: &Scratch) {
    let binary = s.path("x.bin");
    std::fs::write(&binary, (0..=255u8).cycle().take(4096).collect::<Vec<_>>()).unwrap();
    let out = s.run(&["import", binary.to_str().unwrap(), "--commit"]);
    assert_eq!(code(&out), Some(2));
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        code(&s.run(&["import", MODEL])),
        Some(2),
        "neither --commit nor --review"
    );
    assert_eq!(code(&s.run(&["import", "--commit"])), Some(2));
}

fn bulk_import_of_a_folder_summarises(s: &Scratch) {
    let folder = s.path("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(MODEL, folder.join("a.txt")).unwrap();
    std::fs::copy(MODEL, folder.join("b-copy.txt")).unwrap();
    write_secret(&folder.join("c-mat.txt"));
    std::fs::write(folder.join("d.bin"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let out = s.run(&["import", folder.to_str().unwrap(), "--commit", "--json"]);
    assert_eq!(code(&out), Some(2), "an unreadable file outranks a refusal");
    let outcomes: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["outcome"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        outcomes,
        ["imported", "already_imported", "refused", "unreadable"]
    );
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "Tổng cộng 4 tệp: đã nhập 1, đã được nhập trước đây 1, bị từ chối 1, không đọc được 1"
        ),
        "{err}"
    );
    assert!(
        err.contains("c-mat.txt: bị từ chối: văn bản có độ mật"),
        "{err}"
    );
    assert_eq!(s.tasks(&[]).len(), 23);
}
