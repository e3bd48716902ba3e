//! The review-file loader: what `nhiemvu import --review R --commit` does with the file a
//! clerk edited (`crates/cli/src/import_cmd.rs`, `commit_review`) before it touches the
//! original: the JSON read into the `nhiemvu.review/1` structure (the tasks are
//! `store::ReviewTask`, which `PUT /api/imports/{id}` reads too), the format check, every edit
//! checked by `Store::check_review` against a real (SQLite) store seeded with the agency
//! directory, the problems rendered as the user sees them, and the tasks turned into the
//! contract's tasks. The cli's `Review` wrapper is private to the binary; it is mirrored here
//! field for field (`deny_unknown_fields` lives on the task types, which are the real ones).
//! The original file the review names is not read: the loader checks its SHA-256 and parses it
//! again, which the `ingest_*` and `doc_parse` targets cover.
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use store::{ReviewTask, Store};

#[allow(dead_code)]
#[derive(Deserialize)]
struct Review {
    format: String,
    #[serde(default)]
    guide: String,
    source: ReviewSource,
    #[serde(default)]
    document: serde_json::Value,
    #[serde(default)]
    sheet: Option<ReviewSheet>,
    tasks: Vec<ReviewTask>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct ReviewSource {
    path: PathBuf,
    sha256: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct ReviewSheet {
    name: String,
    #[serde(default)]
    header_row: Option<usize>,
    first_row: usize,
    columns: BTreeMap<String, String>,
}

fn dir() -> PathBuf {
    std::env::temp_dir().join("nhiemvu-fuzz-review")
}

thread_local! {
    // Opened in the forked child on its first input (a tokio runtime and SQLite's threads do
    // not survive a fork), then kept for every later input of the persistent loop.
    static STORE: RefCell<Option<(tokio::runtime::Runtime, Store)>> = const { RefCell::new(None) };
}

fn main() {
    // Databases of earlier runs (one per forked child).
    let _ = std::fs::remove_dir_all(dir());
    std::fs::create_dir_all(dir()).expect("a scratch directory");
    afl::fuzz!(|data: &[u8]| {
        let review: Review = match serde_json::from_slice(data) {
            Ok(r) => r,
            Err(_) => return,
        };
        if review.format != "nhiemvu.review/1" {
            return;
        }
        // The cli takes the date from the original parsed again; here the review's own copy of
        // the parse result stands in for it, so any string reaches the date check.
        let issued = review
            .document
            .get("date")
            .and_then(|d| d.as_str())
            .map(str::to_owned);
        STORE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (rt, store) = cell.get_or_insert_with(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                let url = format!("sqlite://{}/{}.db", dir().display(), std::process::id());
                let store = rt.block_on(Store::open(&url)).expect("the store opens");
                (rt, store)
            });
            let problems = rt
                .block_on(store.check_review(&review.tasks, issued.as_deref()))
                .expect("the check runs");
            for p in &problems {
                assert!(
                    p.index < review.tasks.len(),
                    "a problem names a task that is not there"
                );
                let _ = p.to_string();
            }
        });
        let tasks: Vec<doc_parse::Task> = review
            .tasks
            .into_iter()
            .map(ReviewTask::into_task)
            .collect();
        serde_json::to_string(&tasks).expect("the tasks serialise");
    });
}
