//! `nhiemvu demo` as a visitor runs it: the project's sample directives read into tasks, and
//! the demo building `./nhiemvu-demo.db` afresh (an old file replaced), printing its accounts,
//! serving on a free port, and holding what it promises — the documents, an account per role
//! with the printed password, an officer who sees only their agency's tasks, a report with a
//! file, an approved extension, tasks completed on time and late, others overdue.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_nhiemvu");

#[test]
fn the_sample_directives_parse_into_tasks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 12);
    let out = Command::new(BIN)
        .arg("parse")
        .arg("--json")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 12);
    for d in &docs {
        let file = &d["source"]["file"];
        assert!(d["code"].is_string() && d["date"].is_string(), "{file}");
        assert!(
            d["warnings"].as_array().unwrap().is_empty(),
            "{file}: {}",
            d["warnings"]
        );
        let tasks = d["tasks"].as_array().unwrap();
        assert!(tasks.len() >= 3, "{file}: {} tasks", tasks.len());
        for t in tasks {
            assert_eq!(t["lead"].as_array().unwrap().len(), 1, "{file} {}", t["id"]);
        }
    }
    let tasks: usize = docs
        .iter()
        .map(|d| d["tasks"].as_array().unwrap().len())
        .sum();
    assert_eq!(tasks, 47);
}

/// An answer: status, the session cookie if one was set, the JSON body.
struct Reply {
    status: u16,
    cookie: Option<String>,
    json: Value,
}

/// One request on a new connection.
fn request(addr: &str, method: &str, path: &str, cookie: &str, body: Option<Value>) -> Reply {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    Reply {
        status: head.split(' ').nth(1).unwrap().parse().unwrap(),
        cookie: head
            .lines()
            .find_map(|l| l.strip_prefix("set-cookie: "))
            .map(|c| c.split(';').next().unwrap().to_owned()),
        json: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

fn get(addr: &str, path: &str, cookie: &str) -> Value {
    let r = request(addr, "GET", path, cookie, None);
    assert_eq!(r.status, 200, "{path}: {}", r.json);
    r.json
}

fn sign_in(addr: &str, login: &str, password: &str) -> String {
    let body = json!({"login": login, "password": password});
    let r = request(addr, "POST", "/api/login", "", Some(body));
    assert_eq!(r.status, 200, "{login}");
    r.cookie.expect("a session cookie")
}

#[test]
fn demo_builds_its_database_afresh_and_serves_it() {
    let dir = std::env::temp_dir().join(format!("nhiemvu_demo_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // An earlier demo's database, damaged: replaced, not reused.
    std::fs::write(dir.join("nhiemvu-demo.db"), b"not a database").unwrap();
    let mut demo = Command::new(BIN)
        .args(["demo", "--listen", "127.0.0.1:0"])
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut printed = Vec::new();
    let mut lines = BufReader::new(demo.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("the demo prints its address").unwrap();
        if let Some(addr) = line.strip_prefix("listening on http://") {
            break addr.to_owned();
        }
        printed.push(line);
    };
    let printed = printed.join("\n");
    let password = printed
        .split("mật khẩu \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("{printed}"))
        .to_owned();
    let check = std::panic::catch_unwind(|| {
        for login in [
            "chutich",
            "vanphong",
            "giamdoc.skhdt",
            "chuyenvien.skhdt",
            "giamdoc.stc",
            "chuyenvien.stc",
            "quantri",
        ] {
            assert!(printed.contains(login), "{printed}");
            sign_in(&addr, login, &password);
        }
        let monitor = sign_in(&addr, "vanphong", &password);
        let documents = get(&addr, "/api/documents?limit=100", &monitor);
        assert_eq!(documents["items"].as_array().unwrap().len(), 13);
        let counts = get(&addr, "/api/counts?by=document", &monitor);
        let total = |key: &str| -> u64 {
            counts["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["counts"][key].as_u64().unwrap())
                .sum()
        };
        let all: u64 = [
            "done_on_time",
            "done_late",
            "open_on_time",
            "open_overdue",
            "no_deadline",
        ]
        .iter()
        .map(|k| total(k))
        .sum();
        assert_eq!(all, 70);
        assert_eq!((total("done_on_time"), total("done_late")), (1, 1));
        assert!(total("open_overdue") >= 20, "{counts}");

        // The officer sees Sở Kế hoạch và Đầu tư's tasks only, with the demo's history.
        let officer = sign_in(&addr, "chuyenvien.skhdt", &password);
        let tasks = get(&addr, "/api/tasks?limit=500", &officer);
        let tasks = tasks["items"].as_array().unwrap().clone();
        assert!(tasks.len() > 10 && tasks.len() < 70, "{}", tasks.len());
        let (mut extended, mut with_file) = (false, false);
        for t in &tasks {
            let detail = get(&addr, &format!("/api/tasks/{}", t["id"]), &officer);
            extended |= detail["extensions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["decision"] == "approved");
            with_file |= detail["reports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| !r["attachments"].as_array().unwrap().is_empty());
        }
        assert!(extended && with_file);
    });
    demo.kill().ok();
    demo.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
    if let Err(e) = check {
        std::panic::resume_unwind(e);
    }
}
