//! Search at scale: commits generated directives (20 tasks each) into a fresh database, then
//! times folding them into the index, `Store::search` and the task list's text filter.
//!
//! ```sh
//! cargo run --release -p store --example search_scale -- sqlite:///tmp/search.db 5000
//! cargo run --release -p store --example search_scale -- postgres://postgres@127.0.0.1/test 5000
//! ```
//! (a PostgreSQL database should be empty: the run adds its documents to it).

use std::time::{Duration, Instant};

use doc_parse::{Deadline, Document, Parsed, Source};
use store::{Actor, Store, TaskFilter};

const AGENCIES: &[&str] = &[
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giao thông vận tải",
    "Sở Y tế",
];
const WORK: &[&str] = &[
    "rà soát các dự án đầu tư công theo Nghị định số 107/2021/NĐ-CP",
    "xây dựng kế hoạch phát triển du lịch cộng đồng ở các huyện miền núi",
    "tham mưu bố trí vốn cho các công trình giao thông trọng điểm",
    "đôn đốc giải ngân vốn đầu tư công năm 2024",
    "tổng hợp báo cáo kết quả thực hiện chương trình mục tiêu quốc gia",
    "kiểm tra an toàn thực phẩm tại các bếp ăn tập thể",
];

fn document(n: usize) -> (Parsed, Vec<u8>) {
    let text = format!("Số: {n}/UBND-KTTH\nQuảng Ngãi, ngày 05 tháng 01 năm 2024\n");
    let mut d = Document::empty(Source {
        file: format!("{n}.txt"),
        format: "text".into(),
        sha256: String::new(),
    });
    d.kind = Some("cong_van".into());
    d.number = Some(n.to_string());
    d.symbol = Some("UBND-KTTH".into());
    d.code = Some(format!("{n}/UBND-KTTH"));
    d.date = Some("2024-01-05".into());
    d.issuer = Some(doc_parse::Issuer {
        name: "Ủy ban nhân dân tỉnh Quảng Ngãi".into(),
        parent: None,
    });
    d.subject = Some(format!("Về việc triển khai nhiệm vụ đợt {n}"));
    d.tasks = (0..20)
        .map(|i| {
            let lead = AGENCIES[(n + i) % AGENCIES.len()];
            doc_parse::Task {
                id: (i + 1).to_string(),
                text: format!(
                    "Giao {lead} chủ trì {} (đợt {n}).",
                    WORK[(n * 7 + i) % WORK.len()]
                ),
                lead: vec![lead.to_owned()],
                support: Vec::new(),
                deadline: Deadline {
                    kind: "none".into(),
                    date: None,
                    text: None,
                    every: None,
                },
                references: Vec::new(),
                span: [0, 10],
            }
        })
        .collect();
    (
        Parsed {
            document: d,
            text: text.clone(),
        },
        text.into_bytes(),
    )
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).expect("URL");
    let documents: usize = args.get(2).map_or(1000, |n| n.parse().expect("N"));
    let store = Store::open(url).await.expect("open");
    let start = Instant::now();
    for n in 1..=documents {
        let (p, bytes) = document(n);
        store
            .commit_document(&p, &bytes, Actor::System)
            .await
            .expect("commit");
    }
    let committed = start.elapsed();
    let start = Instant::now();
    let indexed = store.refresh_search_index().await.expect("refresh");
    let refresh = start.elapsed();
    println!(
        "{documents} documents, {} tasks committed in {committed:.1?}; {indexed} entries folded into the index in {refresh:.1?}",
        documents * 20
    );
    let calendar = vn_calendar::Calendar::new();
    println!("| query | what | results (first page) | p50 | p99 |");
    println!("|---|---|---|---|---|");
    let mut plain = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let f = TaskFilter {
            limit: 50,
            ..TaskFilter::default()
        };
        store.task_page(&f, &calendar).await.unwrap();
        plain.push(t.elapsed());
    }
    println!(
        "| (none) | tasks, no filter | 50 | {:.2?} | {:.2?} |",
        percentile(&mut plain, 0.5),
        percentile(&mut plain, 0.99)
    );
    for query in [
        "so ke hoach",
        "nghi dinh 107",
        "du lich cong dong mien nui",
        "an toan thuc pham",
    ] {
        let mut search = Vec::new();
        let mut filter = Vec::new();
        let (mut hits, mut tasks) = (0, 0);
        for _ in 0..50 {
            let t = Instant::now();
            hits = store
                .search(query, None, None, 50)
                .await
                .unwrap()
                .items
                .len();
            search.push(t.elapsed());
            let t = Instant::now();
            let f = TaskFilter {
                text: Some(query.into()),
                limit: 50,
                ..TaskFilter::default()
            };
            tasks = store.task_page(&f, &calendar).await.unwrap().items.len();
            filter.push(t.elapsed());
        }
        println!(
            "| {query} | search | {hits} | {:.2?} | {:.2?} |",
            percentile(&mut search, 0.5),
            percentile(&mut search, 0.99)
        );
        println!(
            "| {query} | tasks?text= | {tasks} | {:.2?} | {:.2?} |",
            percentile(&mut filter, 0.5),
            percentile(&mut filter, 0.99)
        );
    }
}
