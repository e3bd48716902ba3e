//! `nhiemvu bench load`: mixed traffic against a running `nhiemvu serve`, then a check that
//! every write the server acknowledged is stored exactly once and nothing is half-written
//! (issue #13, "Load"; `bench/load.sh` sets up a server and runs it).
//!
//! Plain threads, one keep-alive HTTP/1.1 connection each over `std::net::TcpStream` (no
//! client library). Each thread draws an operation from a fixed mix:
//! - reads: task lists with filters, task pages, the counts of one document, search;
//! - writes: progress reports with a small attachment (multipart), transitions the rules allow
//!   (`start`, `report_done` by a head; `return` by the monitor, so tasks keep moving),
//!   extension requests;
//! - imports: small generated directives whose tasks the parser finds (`POST /api/documents`).
//!
//! The token file has one account a line: `ROLE LOGIN TOKEN`, ROLE one of `monitor`, `leader`,
//! `head`, `officer` (at least a monitor and one head or officer). Writes go to the tasks seen
//! at the start (the model case and whatever else is stored), whose history, reports and
//! extensions are read before and after the run: the differences must be exactly what was
//! acknowledged. Every document imported during the run must have all its tasks.
//!
//! Standard output: a Markdown table per operation (requests, requests/s, p50, p99, statuses),
//! the server's RSS (start, peak, end; with `--pid`), the verification, and `RESULT ok` or
//! `RESULT failed`. Exit status: 0 when there was no 5xx, no unexpected status and the
//! verification passed; 1 otherwise.
//!
//! `--tolerate-outage` is for the fault tests (RELIABILITY.md, "Faults"), which kill the server
//! or restart its database during the run: a request that gets no answer or a 5xx is counted as
//! part of the outage (a write among them has an unknown outcome, as a lost answer always has),
//! the worker backs off 50 ms, and 5xx no longer fail the run; the verification is the same, run
//! once the server answers again. The `outage:` line says how many requests failed, when, and
//! how many writes were acknowledged after the last failure (the server came back).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// Địa chỉ máy chủ đang chạy, ví dụ http://127.0.0.1:8080
    #[arg(long)]
    url: String,
    /// Tệp mã truy cập: mỗi dòng `VAI_TRÒ TÊN_ĐĂNG_NHẬP MÃ` (monitor, leader, head, officer)
    #[arg(long)]
    token_file: PathBuf,
    /// Thời gian chạy (giây)
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Số kết nối (luồng) chạy đồng thời
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// Mã tiến trình máy chủ: đo bộ nhớ (VmRSS) vài giây một lần
    #[arg(long)]
    pid: Option<u32>,
    /// Chấp nhận một khoảng máy chủ không trả lời hoặc trả lỗi 5xx (thử lỗi: máy chủ bị dừng
    /// và chạy lại, cơ sở dữ liệu khởi động lại, đầy đĩa): các yêu cầu đó được đếm riêng, thao
    /// tác ghi trong số đó tính là chưa rõ kết quả; phần kiểm tra sau khi chạy không đổi
    #[arg(long)]
    tolerate_outage: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Op {
    TaskList,
    TaskPage,
    Counts,
    Search,
    Report,
    Transition,
    Extension,
    Import,
}

impl Op {
    const ALL: [Op; 8] = [
        Op::TaskList,
        Op::TaskPage,
        Op::Counts,
        Op::Search,
        Op::Report,
        Op::Transition,
        Op::Extension,
        Op::Import,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::TaskList => "task list (filters)",
            Op::TaskPage => "task page",
            Op::Counts => "counts of a document",
            Op::Search => "search",
            Op::Report => "progress report + attachment",
            Op::Transition => "transition",
            Op::Extension => "extension request",
            Op::Import => "import (POST /api/documents)",
        }
    }

    /// Relative weight in the mix.
    fn weight(self) -> u64 {
        match self {
            Op::TaskList => 30,
            Op::TaskPage => 20,
            Op::Counts => 8,
            Op::Search => 12,
            Op::Report => 10,
            Op::Transition => 10,
            Op::Extension => 5,
            Op::Import => 5,
        }
    }

    fn is_write(self) -> bool {
        matches!(
            self,
            Op::Report | Op::Transition | Op::Extension | Op::Import
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Monitor,
    Leader,
    Head,
    Officer,
}

#[derive(Clone, Debug)]
struct Account {
    role: Role,
    login: String,
    token: String,
    /// The tasks this account sees, among those stored at the start.
    tasks: Vec<i64>,
}

/// A small pseudo-random generator (xorshift64*): the mix needs no better.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

// ---- the HTTP client ----

/// One keep-alive HTTP/1.1 connection (reopened after an error or a `Connection: close`).
struct Conn {
    host: String,
    stream: Option<BufReader<TcpStream>>,
}

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

impl Conn {
    fn new(host: &str) -> Conn {
        Conn {
            host: host.to_owned(),
            stream: None,
        }
    }

    /// One request; an I/O error drops the connection (the next request opens another). A GET
    /// that fails on a reused connection is sent once more on a new one; a POST is not (whether
    /// it was applied is then unknown, and the verification allows for it).
    fn request(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Reply> {
        let reused = self.stream.is_some();
        match self.once(method, path, token, content_type, body) {
            Err(_) if reused && method == "GET" => {
                self.stream = None;
                self.once(method, path, token, content_type, body)
            }
            r => r,
        }
    }

    fn once(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Reply> {
        let result = self.exchange(method, path, token, content_type, body);
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn exchange(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Reply> {
        if self.stream.is_none() {
            let s = TcpStream::connect(&self.host)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(120)))?;
            self.stream = Some(BufReader::new(s));
        }
        let reader = self.stream.as_mut().expect("connected");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        if let Some(ct) = content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(body);
        reader.get_mut().write_all(&out)?;

        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_owned());
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad status line"))?;
        let (mut length, mut chunked, mut close) = (None, false, false);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Err(bad("eof in headers"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                match k.as_str() {
                    "content-length" => length = v.parse::<usize>().ok(),
                    "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                    "connection" => close = v.eq_ignore_ascii_case("close"),
                    _ => {}
                }
            }
        }
        let mut data = Vec::new();
        if chunked {
            loop {
                line.clear();
                reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| bad("bad chunk size"))?;
                if size == 0 {
                    // Trailers, then the empty line.
                    loop {
                        line.clear();
                        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let start = data.len();
                data.resize(start + size, 0);
                reader.read_exact(&mut data[start..])?;
                let mut crlf = [0u8; 2];
                reader.read_exact(&mut crlf)?;
            }
        } else if let Some(n) = length {
            data.resize(n, 0);
            reader.read_exact(&mut data)?;
        } else {
            reader.read_to_end(&mut data)?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(Reply { status, body: data })
    }

    fn get(&mut self, path: &str, token: &str) -> anyhow::Result<Value> {
        let r = self.request("GET", path, token, None, b"")?;
        if r.status != 200 {
            bail!(
                "GET {path}: HTTP {} {}",
                r.status,
                String::from_utf8_lossy(&r.body)
            );
        }
        Ok(r.json())
    }
}

// ---- statistics and acknowledged writes ----

#[derive(Default)]
struct OpStats {
    /// Latencies in microseconds.
    micros: Vec<u32>,
    statuses: BTreeMap<u16, u64>,
    /// Rule refusals (409, 422) of a write: expected when two threads race for one task.
    refused: u64,
    unexpected: u64,
    io_errors: u64,
    /// The first answer of each status other than the expected one (for the report).
    samples: BTreeMap<u16, String>,
}

#[derive(Default)]
struct Acked {
    /// task → report ids acknowledged (201).
    reports: HashMap<i64, Vec<i64>>,
    /// task → transitions acknowledged (200).
    transitions: HashMap<i64, u64>,
    /// task → extension ids acknowledged (201).
    extensions: HashMap<i64, Vec<i64>>,
    /// document id → (number in the run, tasks the server said it stored).
    imports: HashMap<i64, (u64, i64)>,
    /// task → writes whose outcome is unknown (I/O error), by kind.
    unknown_reports: HashMap<i64, u64>,
    unknown_transitions: HashMap<i64, u64>,
    unknown_extensions: HashMap<i64, u64>,
    unknown_imports: u64,
    /// Imports answered 200 "imported before": each generated directive is new, so none.
    duplicate_imports: u64,
    /// When each acknowledged write was answered (seconds into the run).
    acked_at: Vec<f64>,
}

/// Requests that got no answer or a 5xx during a run with `--tolerate-outage`.
#[derive(Default)]
struct Outage {
    failed: u64,
    first: Option<f64>,
    last: Option<f64>,
}

struct Shared {
    host: String,
    accounts: Vec<Account>,
    stop: AtomicBool,
    import_seq: AtomicU64,
    report_seq: AtomicU64,
    nonce: u64,
    documents: Vec<i64>,
    acked: Mutex<Acked>,
    /// `--tolerate-outage`.
    tolerate: bool,
    started: Instant,
    outage: Mutex<Outage>,
}

impl Shared {
    /// Whether the request failed as an outage fails it (no answer, or a 5xx); with
    /// `--tolerate-outage` such a failure is noted and the worker backs off a little, so that a
    /// server that is down is not hammered by connection attempts.
    fn outage(&self, reply: &std::io::Result<Reply>) -> bool {
        let failed = match reply {
            Err(_) => true,
            Ok(r) => r.status >= 500,
        };
        if failed && self.tolerate {
            let at = self.started.elapsed().as_secs_f64();
            let mut o = self.outage.lock().unwrap();
            o.failed += 1;
            o.first.get_or_insert(at);
            o.last = Some(at);
            drop(o);
            std::thread::sleep(Duration::from_millis(50));
        }
        failed
    }
}

/// Tasks in each generated directive: 2, 3 or 4 by its number.
fn tasks_in(n: u64) -> usize {
    2 + (n % 3) as usize
}

/// A small directive of the model case's shape whose `tasks_in(n)` tasks the parser finds.
fn directive(nonce: u64, n: u64) -> String {
    let leads = [
        "Sở Kế hoạch và Đầu tư",
        "Sở Tài chính",
        "Sở Khoa học và Công nghệ",
        "Sở Văn hóa, Thể thao và Du lịch",
    ];
    let number = 100_000 + n;
    let mut items = String::new();
    for i in 0..tasks_in(n) {
        let lead = leads[(n as usize + i) % leads.len()];
        let other = leads[(n as usize + i + 1) % leads.len()];
        items.push_str(&format!(
            "{}. {lead} chủ trì, phối hợp với {other} rà soát, tổng hợp kết quả thực hiện nội dung số {} của đợt kiểm tra {nonce}; hoàn thành trước ngày {}/12/2027.\n\n",
            i + 1,
            i + 1,
            10 + i
        ));
    }
    format!(
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
         Số: {number}/UBND-KTTH\n\nQuảng Ngãi, ngày 15 tháng 8 năm 2024\n\n\
         V/v triển khai đợt kiểm tra {nonce} số {n}\n\n\
         Kính gửi:\n- Sở Kế hoạch và Đầu tư;\n- Sở Tài chính;\n- Sở Khoa học và Công nghệ;\n- Sở Văn hóa, Thể thao và Du lịch.\n\n\
         Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\n{items}\
         Sở Kế hoạch và Đầu tư chịu trách nhiệm theo dõi, đôn đốc và tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện./.\n\n\
         Nơi nhận:\n- Như trên;\n- Lưu: VT, KTTH.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Cường\n"
    )
}

const ATTACHMENT: &[u8] = b"Bao cao tien do (tep dinh kem thu tai).\n";

fn multipart_report(content: &str, percent: u64, file_name: &str) -> (String, Vec<u8>) {
    let boundary = "----nhiemvu-load-boundary";
    let report = serde_json::json!({"content": content, "percent": percent}).to_string();
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"report\"\r\nContent-Type: application/json\r\n\r\n{report}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(ATTACHMENT);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

const SEARCHES: &[&str] = &[
    "giai ngan",
    "đầu tư công",
    "chuyen doi so",
    "du lịch",
    "quy hoach",
    "kiem tra",
    "ngân sách",
    "thien tai",
];

const LISTS: &[&str] = &[
    "/api/tasks?limit=25",
    "/api/tasks?status=chua_thuc_hien&limit=25",
    "/api/tasks?status=dang_thuc_hien&limit=25",
    "/api/tasks?status=cho_xac_nhan&limit=25",
    "/api/tasks?timeliness=qua_han&limit=25",
    "/api/tasks?timeliness=trong_han&limit=25",
    "/api/tasks?due_from=2024-01-01&due_to=2027-12-31&limit=50",
    "/api/tasks?text=bao%20cao&limit=25",
];

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One worker: draws operations until told to stop; its statistics.
fn worker(shared: &Shared, seed: u64) -> HashMap<Op, OpStats> {
    let mut rng = Rng(seed | 1);
    let mut conn = Conn::new(&shared.host);
    let mut stats: HashMap<Op, OpStats> = HashMap::new();
    let total: u64 = Op::ALL.iter().map(|o| o.weight()).sum();
    let by_role = |roles: &[Role]| -> Vec<&Account> {
        shared
            .accounts
            .iter()
            .filter(|a| roles.contains(&a.role))
            .collect()
    };
    let readers = by_role(&[Role::Monitor, Role::Leader, Role::Head, Role::Officer]);
    let agency = by_role(&[Role::Head, Role::Officer]);
    let heads_and_monitors = by_role(&[Role::Head, Role::Monitor]);
    let monitors = by_role(&[Role::Monitor]);
    while !shared.stop.load(Ordering::Relaxed) {
        let mut draw = rng.next() % total;
        let mut op = Op::TaskList;
        for o in Op::ALL {
            if draw < o.weight() {
                op = o;
                break;
            }
            draw -= o.weight();
        }
        let account = match op {
            Op::Report | Op::Extension => rng.pick(&agency),
            Op::Transition => rng.pick(&heads_and_monitors),
            Op::Import => rng.pick(&monitors),
            _ => rng.pick(&readers),
        };
        let Some(account) = account.copied() else {
            continue;
        };
        let token = account.token.as_str();
        let task = rng.pick(&account.tasks).copied();
        // What to send, and what to do with a 2xx answer.
        let (method, path, ctype, body): (&str, String, Option<String>, Vec<u8>) = match op {
            Op::TaskList => ("GET", rng.pick(LISTS).unwrap().to_string(), None, vec![]),
            Op::TaskPage => {
                let Some(t) = task else { continue };
                ("GET", format!("/api/tasks/{t}"), None, vec![])
            }
            Op::Counts => {
                let Some(d) = rng.pick(&shared.documents) else {
                    continue;
                };
                ("GET", format!("/api/counts?document={d}"), None, vec![])
            }
            Op::Search => {
                let q = rng.pick(SEARCHES).unwrap();
                (
                    "GET",
                    format!("/api/search?q={}&limit=20", encode(q)),
                    None,
                    vec![],
                )
            }
            Op::Report => {
                let Some(t) = task else { continue };
                let seq = shared.report_seq.fetch_add(1, Ordering::Relaxed);
                let (ct, body) = multipart_report(
                    &format!("Báo cáo tiến độ thử tải {}-{seq}", shared.nonce),
                    seq % 101,
                    &format!("bao-cao-{seq}.txt"),
                );
                ("POST", format!("/api/tasks/{t}/reports"), Some(ct), body)
            }
            Op::Extension => {
                let Some(t) = task else { continue };
                let body = serde_json::json!({
                    "proposed_due_on": format!("2028-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
                    "reason": format!("Đề nghị gia hạn thử tải {}", shared.nonce),
                });
                (
                    "POST",
                    format!("/api/tasks/{t}/extensions"),
                    Some("application/json".into()),
                    body.to_string().into_bytes(),
                )
            }
            Op::Transition => {
                let Some(t) = task else { continue };
                // The task page says what the rules allow this account now.
                let started = Instant::now();
                let page = conn.request("GET", &format!("/api/tasks/{t}"), token, None, b"");
                record(&mut stats, Op::TaskPage, started, &page);
                shared.outage(&page);
                let Ok(page) = page else { continue };
                let allowed: Vec<String> = page.json()["allowed_actions"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| {
                                v.as_str()
                                    .or_else(|| v["action"].as_str())
                                    .or_else(|| v["code"].as_str())
                            })
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let wanted: Vec<&String> = allowed
                    .iter()
                    .filter(|a| matches!(a.as_str(), "start" | "report_done" | "return"))
                    .collect();
                let Some(action) = rng.pick(&wanted) else {
                    continue;
                };
                let body = if action.as_str() == "return" {
                    serde_json::json!({"action": action, "reason": "Báo cáo chưa đủ (thử tải)"})
                } else {
                    serde_json::json!({"action": action})
                };
                (
                    "POST",
                    format!("/api/tasks/{t}/transitions"),
                    Some("application/json".into()),
                    body.to_string().into_bytes(),
                )
            }
            Op::Import => {
                let n = shared.import_seq.fetch_add(1, Ordering::Relaxed);
                (
                    "POST",
                    format!("/api/documents?file_name=load-{}-{n}.txt", shared.nonce),
                    Some("text/plain".into()),
                    directive(shared.nonce, n).into_bytes(),
                )
            }
        };
        let started = Instant::now();
        let reply = conn.request(method, &path, token, ctype.as_deref(), &body);
        record(&mut stats, op, started, &reply);
        let failed = shared.outage(&reply);
        if !op.is_write() {
            continue;
        }
        // No answer: the write may or may not have been applied. A 5xx during a tolerated
        // outage is counted the same way (a commit cut off by a database restart may have
        // landed).
        let unknown = reply.is_err() || failed && shared.tolerate;
        let mut acked = shared.acked.lock().unwrap();
        let task = task.unwrap_or_default();
        if unknown {
            match op {
                Op::Report => *acked.unknown_reports.entry(task).or_default() += 1,
                Op::Transition => *acked.unknown_transitions.entry(task).or_default() += 1,
                Op::Extension => *acked.unknown_extensions.entry(task).or_default() += 1,
                _ => acked.unknown_imports += 1,
            }
            continue;
        }
        if matches!(&reply, Ok(r) if matches!(r.status, 200 | 201)) {
            acked.acked_at.push(shared.started.elapsed().as_secs_f64());
        }
        match (&reply, op) {
            (Err(_), _) => {}
            (Ok(r), Op::Report) if r.status == 201 => {
                if let Some(id) = r.json()["id"].as_i64() {
                    acked.reports.entry(task).or_default().push(id);
                }
            }
            (Ok(r), Op::Transition) if r.status == 200 => {
                *acked.transitions.entry(task).or_default() += 1
            }
            (Ok(r), Op::Extension) if r.status == 201 => {
                if let Some(id) = r.json()["id"].as_i64() {
                    acked.extensions.entry(task).or_default().push(id);
                }
            }
            (Ok(r), Op::Import) if r.status == 201 => {
                let j = r.json();
                let n = shared.import_seq.load(Ordering::Relaxed);
                let number = doc_number(&body).unwrap_or(n);
                if let Some(id) = j["document"].as_i64() {
                    acked
                        .imports
                        .insert(id, (number, j["tasks"].as_i64().unwrap_or(-1)));
                }
            }
            (Ok(r), Op::Import) if r.status == 200 => acked.duplicate_imports += 1,
            _ => {}
        }
    }
    stats
}

/// The run number `n` of a generated directive, from its `Số: 100000+n/UBND-KTTH` line.
fn doc_number(body: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(body).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("Số: "))?;
    let n: u64 = line.split('/').next()?.parse().ok()?;
    n.checked_sub(100_000)
}

fn record(
    stats: &mut HashMap<Op, OpStats>,
    op: Op,
    started: Instant,
    reply: &std::io::Result<Reply>,
) {
    let s = stats.entry(op).or_default();
    s.micros
        .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
    match reply {
        Err(_) => s.io_errors += 1,
        Ok(r) => {
            *s.statuses.entry(r.status).or_default() += 1;
            let expected = match op {
                Op::Report | Op::Extension => r.status == 201,
                Op::Import => r.status == 201,
                _ => r.status == 200,
            };
            if !expected {
                s.samples.entry(r.status).or_insert_with(|| {
                    String::from_utf8_lossy(&r.body).chars().take(200).collect()
                });
            }
            if !expected && r.status < 500 {
                // A refusal by a rule (`"type":"rule"`: wrong status, not the lead agency,
                // an extension pending) is the server doing its job, not an error.
                let rule = r.status == 409
                    || r.json()["type"].as_str() == Some("rule") && matches!(r.status, 403 | 422);
                if op.is_write() && rule {
                    s.refused += 1;
                } else {
                    s.unexpected += 1;
                }
            }
        }
    }
}

// ---- set-up, run, verification ----

fn read_tokens(path: &PathBuf) -> anyhow::Result<Vec<Account>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("không đọc được {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [role, login, token] = parts[..] else {
            bail!("{}:{}: cần `VAI_TRÒ TÊN MÃ`", path.display(), i + 1);
        };
        let role = match role {
            "monitor" => Role::Monitor,
            "leader" => Role::Leader,
            "head" => Role::Head,
            "officer" => Role::Officer,
            other => bail!("{}:{}: vai trò lạ {other:?}", path.display(), i + 1),
        };
        out.push(Account {
            role,
            login: login.to_owned(),
            token: token.to_owned(),
            tasks: Vec::new(),
        });
    }
    if !out.iter().any(|a| a.role == Role::Monitor) {
        bail!("{}: cần ít nhất một tài khoản monitor", path.display());
    }
    Ok(out)
}

/// Every item of a paged list (`items`, `next`).
fn all_pages(conn: &mut Conn, path: &str, token: &str) -> anyhow::Result<Vec<Value>> {
    let mut items = Vec::new();
    let mut after: Option<i64> = None;
    let sep = if path.contains('?') { '&' } else { '?' };
    loop {
        let url = match after {
            Some(a) => format!("{path}{sep}limit=500&after={a}"),
            None => format!("{path}{sep}limit=500"),
        };
        let page = conn.get(&url, token)?;
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next"].as_i64() {
            Some(n) => after = Some(n),
            None => return Ok(items),
        }
    }
}

/// What a task holds: its history length, report ids (with their attachment counts) and
/// extension ids.
#[derive(Default, Clone)]
struct TaskState {
    history: usize,
    reports: Vec<(i64, usize)>,
    extensions: Vec<i64>,
}

fn task_state(conn: &mut Conn, task: i64, token: &str) -> anyhow::Result<TaskState> {
    let d = conn.get(&format!("/api/tasks/{task}"), token)?;
    let ids = |key: &str| -> Vec<Value> { d[key].as_array().cloned().unwrap_or_default() };
    Ok(TaskState {
        history: ids("history").len(),
        reports: ids("reports")
            .iter()
            .map(|r| {
                (
                    r["id"].as_i64().unwrap_or(-1),
                    r["attachments"].as_array().map_or(0, Vec::len),
                )
            })
            .collect(),
        extensions: ids("extensions")
            .iter()
            .map(|e| e["id"].as_i64().unwrap_or(-1))
            .collect(),
    })
}

fn host_of(url: &str) -> anyhow::Result<String> {
    let rest = url
        .strip_prefix("http://")
        .context("--url: chỉ hỗ trợ http://HOST:PORT")?;
    Ok(rest.trim_end_matches('/').to_owned())
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

pub fn run(args: LoadArgs) -> anyhow::Result<ExitCode> {
    let host = host_of(&args.url)?;
    let mut accounts = read_tokens(&args.token_file)?;
    let monitor = accounts
        .iter()
        .find(|a| a.role == Role::Monitor)
        .expect("checked")
        .token
        .clone();
    let mut conn = Conn::new(&host);

    // Before: what each account sees, and the state of every task.
    for a in &mut accounts {
        a.tasks = all_pages(&mut conn, "/api/tasks", &a.token)
            .with_context(|| format!("danh sách nhiệm vụ của {}", a.login))?
            .iter()
            .filter_map(|t| t["id"].as_i64())
            .collect();
    }
    let documents: Vec<i64> = all_pages(&mut conn, "/api/documents", &monitor)?
        .iter()
        .filter_map(|d| d["id"].as_i64())
        .collect();
    let all_tasks: Vec<i64> = accounts
        .iter()
        .find(|a| a.role == Role::Monitor)
        .expect("checked")
        .tasks
        .clone();
    let mut before = HashMap::new();
    for &t in &all_tasks {
        before.insert(t, task_state(&mut conn, t, &monitor)?);
    }
    eprintln!(
        "{} tài khoản, {} văn bản, {} nhiệm vụ; chạy {} s với {} kết nối",
        accounts.len(),
        documents.len(),
        all_tasks.len(),
        args.seconds,
        args.connections
    );
    for a in &accounts {
        eprintln!("  {:?} {}: {} nhiệm vụ", a.role, a.login, a.tasks.len());
    }

    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        % 1_000_000_007;
    let shared = Arc::new(Shared {
        host: host.clone(),
        accounts,
        stop: AtomicBool::new(false),
        import_seq: AtomicU64::new(0),
        report_seq: AtomicU64::new(0),
        nonce,
        documents: documents.clone(),
        acked: Mutex::new(Acked::default()),
        tolerate: args.tolerate_outage,
        started: Instant::now(),
        outage: Mutex::new(Outage::default()),
    });

    // Memory of the server, every 2 s.
    let rss: Arc<Mutex<Vec<u64>>> = Arc::default();
    let sampler = args.pid.map(|pid| {
        let (rss, shared) = (rss.clone(), shared.clone());
        std::thread::spawn(move || {
            while !shared.stop.load(Ordering::Relaxed) {
                if let Some(kb) = rss_kb(pid) {
                    rss.lock().unwrap().push(kb);
                }
                for _ in 0..20 {
                    if shared.stop.load(Ordering::Relaxed) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            if let Some(kb) = rss_kb(pid) {
                rss.lock().unwrap().push(kb);
            }
        })
    });

    let started = shared.started;
    let workers: Vec<_> = (0..args.connections.max(1))
        .map(|i| {
            let shared = shared.clone();
            let seed = nonce.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i as u64 + 1);
            std::thread::spawn(move || worker(&shared, seed))
        })
        .collect();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut shown = 0;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200).min(deadline - Instant::now()));
        let done = started.elapsed().as_secs();
        if done > shown && done.is_multiple_of(30) {
            shown = done;
            let s = shared.import_seq.load(Ordering::Relaxed);
            eprint!("\r{done} s, {s} văn bản gửi");
        }
    }
    shared.stop.store(true, Ordering::Relaxed);
    let mut stats: HashMap<Op, OpStats> = HashMap::new();
    for w in workers {
        for (op, s) in w.join().expect("worker") {
            let t = stats.entry(op).or_default();
            t.micros.extend(s.micros);
            for (k, v) in s.statuses {
                *t.statuses.entry(k).or_default() += v;
            }
            t.refused += s.refused;
            t.unexpected += s.unexpected;
            t.io_errors += s.io_errors;
            for (k, v) in s.samples {
                t.samples.entry(k).or_insert(v);
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(s) = sampler {
        s.join().ok();
    }
    eprintln!();

    // The figures.
    println!(
        "| operation | requests | requests/s | p50 ms | p99 ms | statuses | rule refusals | unexpected | 5xx | I/O errors |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let (mut total, mut five, mut unexpected, mut io) = (0u64, 0u64, 0u64, 0u64);
    for op in Op::ALL {
        let Some(s) = stats.get_mut(&op) else {
            continue;
        };
        s.micros.sort_unstable();
        let n = s.micros.len() as u64;
        let fives: u64 = s.statuses.range(500..).map(|(_, v)| v).sum();
        let codes: Vec<String> = s.statuses.iter().map(|(k, v)| format!("{k}×{v}")).collect();
        println!(
            "| {} | {n} | {:.1} | {:.1} | {:.1} | {} | {} | {} | {fives} | {} |",
            op.name(),
            n as f64 / elapsed,
            percentile(&s.micros, 0.5),
            percentile(&s.micros, 0.99),
            codes.join(" "),
            s.refused,
            s.unexpected,
            s.io_errors
        );
        for (k, v) in &s.samples {
            eprintln!("  {}: HTTP {k}: {v}", op.name());
        }
        total += n;
        five += fives;
        unexpected += s.unexpected;
        io += s.io_errors;
    }
    println!(
        "\ntotal: {total} requests in {elapsed:.0} s ({:.1}/s), 5xx: {five}, unexpected statuses: {unexpected}, I/O errors: {io}",
        total as f64 / elapsed
    );
    let samples = rss.lock().unwrap().clone();
    if let (Some(first), Some(last)) = (samples.first(), samples.last()) {
        let peak = samples.iter().max().copied().unwrap_or(0);
        println!(
            "server RSS: start {:.1} MB, peak {:.1} MB, end {:.1} MB ({} samples)",
            *first as f64 / 1024.0,
            peak as f64 / 1024.0,
            *last as f64 / 1024.0,
            samples.len()
        );
    }

    // After: read everything back, once the server answers again after a tolerated outage.
    let acked = std::mem::take(&mut *shared.acked.lock().unwrap());
    let mut problems = Vec::new();
    let mut conn = Conn::new(&host);
    if args.tolerate_outage {
        let outage = shared.outage.lock().unwrap();
        let after = outage.last.map_or(acked.acked_at.len(), |last| {
            acked.acked_at.iter().filter(|t| **t > last).count()
        });
        println!(
            "outage: {} requests failed (no answer or 5xx), first at {}, last at {}; {after} writes acknowledged after the last failure",
            outage.failed,
            outage.first.map_or("-".to_owned(), |t| format!("{t:.1} s")),
            outage.last.map_or("-".to_owned(), |t| format!("{t:.1} s")),
        );
        let waiting = Instant::now();
        while conn.get("/api/me", &monitor).is_err() {
            if waiting.elapsed() > Duration::from_secs(120) {
                bail!("máy chủ không trả lời lại sau 120 s");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    let (mut n_reports, mut n_transitions, mut n_extensions) = (0usize, 0u64, 0usize);
    for &t in &all_tasks {
        let old = &before[&t];
        let new = task_state(&mut conn, t, &monitor)?;
        let unknown = |m: &HashMap<i64, u64>| m.get(&t).copied().unwrap_or(0) as usize;
        // Reports.
        let old_ids: HashSet<i64> = old.reports.iter().map(|r| r.0).collect();
        let added: Vec<&(i64, usize)> = new
            .reports
            .iter()
            .filter(|r| !old_ids.contains(&r.0))
            .collect();
        let sent = acked.reports.get(&t).cloned().unwrap_or_default();
        n_reports += sent.len();
        for id in &sent {
            let times = added.iter().filter(|r| r.0 == *id).count();
            if times != 1 {
                problems.push(format!(
                    "task {t}: acknowledged report {id} stored {times} times"
                ));
            }
        }
        let extra = added.len().saturating_sub(sent.len());
        if extra > unknown(&acked.unknown_reports) {
            problems.push(format!(
                "task {t}: {extra} report(s) stored that were not acknowledged"
            ));
        }
        for r in &added {
            if r.1 != 1 {
                problems.push(format!(
                    "task {t}: report {} has {} attachments, not 1",
                    r.0, r.1
                ));
            }
        }
        // Transitions.
        let sent = acked.transitions.get(&t).copied().unwrap_or(0);
        n_transitions += sent;
        let grown = new.history.saturating_sub(old.history) as u64;
        let maybe = unknown(&acked.unknown_transitions) as u64;
        if grown < sent || grown > sent + maybe {
            problems.push(format!(
                "task {t}: {sent} transitions acknowledged, history grew by {grown}"
            ));
        }
        // Extensions.
        let old_ext: HashSet<i64> = old.extensions.iter().copied().collect();
        let added: Vec<i64> = new
            .extensions
            .iter()
            .copied()
            .filter(|e| !old_ext.contains(e))
            .collect();
        let sent = acked.extensions.get(&t).cloned().unwrap_or_default();
        n_extensions += sent.len();
        for id in &sent {
            let times = added.iter().filter(|e| **e == *id).count();
            if times != 1 {
                problems.push(format!(
                    "task {t}: acknowledged extension {id} stored {times} times"
                ));
            }
        }
        if added.len().saturating_sub(sent.len()) > unknown(&acked.unknown_extensions) {
            problems.push(format!(
                "task {t}: extensions stored that were not acknowledged"
            ));
        }
    }
    // Imports: each acknowledged document once, with all its tasks; every other new document
    // (an import whose answer was lost) whole too.
    let docs_after = all_pages(&mut conn, "/api/documents", &monitor)?;
    let old_docs: HashSet<i64> = documents.iter().copied().collect();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut new_docs = Vec::new();
    for d in &docs_after {
        let Some(id) = d["id"].as_i64() else { continue };
        *seen.entry(id).or_default() += 1;
        if !old_docs.contains(&id) {
            new_docs.push(id);
            let code = d["code"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| d["number"].to_string());
            *codes.entry(code).or_default() += 1;
        }
    }
    for (code, n) in &codes {
        if *n > 1 {
            problems.push(format!("document {code} stored {n} times"));
        }
    }
    for (id, (number, tasks)) in &acked.imports {
        let expected = tasks_in(*number) as i64;
        if seen.get(id).copied().unwrap_or(0) != 1 {
            problems.push(format!(
                "acknowledged document {id} listed {} times",
                seen.get(id).copied().unwrap_or(0)
            ));
        }
        if *tasks != expected {
            problems.push(format!(
                "document {id} (run number {number}): the server said {tasks} tasks, the directive has {expected}"
            ));
        }
    }
    for id in &new_docs {
        let stored = all_pages(&mut conn, &format!("/api/tasks?document={id}"), &monitor)?.len();
        let expected = match acked.imports.get(id) {
            Some((number, _)) => tasks_in(*number),
            None => {
                if acked.unknown_imports == 0 {
                    problems.push(format!("document {id} stored but never acknowledged"));
                }
                // A lost answer: the document must still be whole (2–4 tasks, none missing).
                let d = conn.get(&format!("/api/documents/{id}"), &monitor)?;
                let number = d["number"]
                    .as_i64()
                    .or_else(|| {
                        d["code"]
                            .as_str()
                            .and_then(|c| c.split('/').next()?.parse().ok())
                    })
                    .unwrap_or(100_000) as u64;
                tasks_in(number.saturating_sub(100_000))
            }
        };
        if stored != expected {
            problems.push(format!(
                "document {id}: {stored} tasks stored, {expected} in the directive"
            ));
        }
    }
    let extra_docs = new_docs.len().saturating_sub(acked.imports.len());
    // Documents whose answer was lost may be stored, but no more of them than were in flight.
    if acked.unknown_imports > 0 && extra_docs as u64 > acked.unknown_imports {
        problems.push(format!(
            "{extra_docs} documents stored that were not acknowledged, only {} imports of unknown outcome",
            acked.unknown_imports
        ));
    }
    println!(
        "acknowledged writes: {n_reports} progress reports, {n_transitions} transitions, {n_extensions} extension requests, {} imports ({} tasks); writes with unknown outcome: {}; duplicate imports: {}",
        acked.imports.len(),
        acked
            .imports
            .values()
            .map(|(n, _)| tasks_in(*n))
            .sum::<usize>(),
        acked.unknown_reports.values().sum::<u64>()
            + acked.unknown_transitions.values().sum::<u64>()
            + acked.unknown_extensions.values().sum::<u64>()
            + acked.unknown_imports,
        acked.duplicate_imports
    );
    println!(
        "verification: {} tasks and {} new documents read back ({} not acknowledged); lost or duplicated writes: {}",
        all_tasks.len(),
        new_docs.len(),
        extra_docs,
        problems.len()
    );
    for p in problems.iter().take(50) {
        println!("  {p}");
    }
    let ok = problems.is_empty()
        && (five == 0 || args.tolerate_outage)
        && unexpected == 0
        && acked.duplicate_imports == 0;
    println!("RESULT {}", if ok { "ok" } else { "failed" });
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
