//! Security (issue #13, RELIABILITY.md "Security"): what `tests/api.rs` (the authorization
//! matrix of every route and role, CSRF header missing, per-login throttling, `../` in a
//! report's file name, 413 on a JSON body and a raw upload) and `tests/ui.rs` (the login form's
//! token, throttling at the form, another agency's task page) do not already show:
//!
//! - session fixation: a session id chosen before sign-in is never adopted; a session the
//!   browser already held is ended when someone signs in over it; the login form's secret
//!   never opens a session;
//! - CSRF: a token of another session, a wrong one, or one sent elsewhere than the header is
//!   refused on the API and on the pages' forms, and nothing is written;
//! - login throttling: per client address as well as per login, for unknown logins alike, and
//!   shared by every server over the same database;
//! - IDOR: another agency's task, its reports, attachments and download URLs, refused on every
//!   route and page that names them, and absent from lists, search and counts; another user's
//!   notice;
//! - uploads: directory parts in file names refused everywhere a file is taken, odd but legal
//!   names stored as given and downloaded under a safe name, an attachment declared as active
//!   content (HTML, SVG, script) never served as such, binary files posing as text refused, and
//!   markup in a directive shown as text;
//! - oversized requests: 413 with a Vietnamese message for every kind of body (multipart,
//!   raw, chunked, a Content-Length announcing more than the limit), nothing written.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{Client, Db, PASSWORD, Response, Server};
use serde_json::json;
use store::{NewNotice, TaskId};

// ---- helpers ----

/// One request on a new connection, its body written by another thread while the answer is
/// read (a server that refuses a large body before reading it must still be heard), chunked
/// when asked. `None` when no answer came within 10 s.
fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
    chunked: bool,
) -> Option<Response> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if chunked {
        head.push_str("Transfer-Encoding: chunked\r\n");
    } else if !headers.iter().any(|(k, _)| k == "content-length") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).ok()?;
    let mut writer = s.try_clone().unwrap();
    let feeder = std::thread::spawn(move || {
        if chunked {
            for piece in body.chunks(8192) {
                let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
                frame.extend_from_slice(piece);
                frame.extend_from_slice(b"\r\n");
                if writer.write_all(&frame).is_err() {
                    return;
                }
            }
            writer.write_all(b"0\r\n\r\n").ok();
        } else {
            writer.write_all(&body).ok();
        }
    });
    let mut data = Vec::new();
    let mut buf = [0u8; 16384];
    let answer = loop {
        match s.read(&mut buf) {
            Ok(0) => break parse(&data),
            Ok(n) => {
                data.extend_from_slice(&buf[..n]);
                if let Some(r) = parse(&data).filter(|r| {
                    r.header("content-length")
                        .and_then(|l| l.parse::<usize>().ok())
                        .is_some_and(|l| r.body.len() >= l)
                }) {
                    break Some(r);
                }
            }
            // Reset after the answer (the server closed with our body unread): what came is it.
            Err(_) => break parse(&data),
        }
    };
    drop(s);
    feeder.join().ok();
    answer
}

/// A response, once its head is complete (the body as far as it came).
fn parse(data: &[u8]) -> Option<Response> {
    let end = data.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Response {
        status,
        headers,
        body: data[end + 4..].to_vec(),
    })
}

/// Request headers as `(name, value)`.
type Headers = Vec<(String, String)>;

/// The headers a client sends: its cookie and CSRF header, or its bearer token.
fn credentials(c: &Client) -> Vec<(String, String)> {
    let mut h = Vec::new();
    if let Some(cookie) = &c.cookie {
        h.push(("cookie".to_owned(), cookie.clone()));
    }
    if let Some(t) = &c.csrf {
        h.push(("x-csrf-token".to_owned(), t.clone()));
    }
    if let Some(b) = &c.bearer {
        h.push(("authorization".to_owned(), format!("Bearer {b}")));
    }
    h
}

/// A multipart body: `(field, file name, content type, bytes)`; its content type.
fn multipart(parts: &[(&str, Option<&str>, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----nhiemvu-security-test";
    let mut body = Vec::new();
    for (field, file, ctype, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => {
                format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{f}\"\r\n")
            }
            None => format!("Content-Disposition: form-data; name=\"{field}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        if !ctype.is_empty() {
            body.extend_from_slice(format!("Content-Type: {ctype}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A page form's fields as multipart parts (no files).
fn form_parts<'a>(
    fields: &'a [(&'a str, &'a str)],
) -> Vec<(&'a str, Option<&'a str>, &'a str, &'a [u8])> {
    fields
        .iter()
        .map(|(k, v)| (*k, None, "", v.as_bytes()))
        .collect()
}

fn urlencode(fields: &[(&str, &str)]) -> String {
    let enc = |t: &str| -> String {
        t.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of the first `name="…" value="…"` input after the element with this id.
fn input_in(html: &str, form: &str, name: &str) -> String {
    let at = html
        .find(&format!("id=\"{form}\""))
        .unwrap_or_else(|| panic!("no form {form}"));
    let key = format!("name=\"{name}\" value=\"");
    let start = html[at..]
        .find(&key)
        .unwrap_or_else(|| panic!("no input {name}"))
        + at
        + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn session_of(r: &Response) -> Option<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| v.strip_prefix("nhiemvu_session="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .filter(|v| !v.is_empty())
}

fn with_cookie(server: &Server, cookie: &str) -> Client {
    Client {
        cookie: Some(cookie.to_owned()),
        ..server.anonymous()
    }
}

fn me(server: &Server, session: &str) -> u16 {
    with_cookie(server, &format!("nhiemvu_session={session}"))
        .get("/api/me")
        .status
}

fn audit(server: &Server) -> u64 {
    server.rt.block_on(server.store.audit_len()).unwrap()
}

fn reports(server: &Server, task: i64) -> usize {
    let id: TaskId = task.to_string().parse().unwrap();
    server
        .rt
        .block_on(server.store.progress_reports(id))
        .unwrap()
        .len()
}

/// Documents stored, as a monitor's client lists them (signing in is itself audited, so the
/// tests sign in once and reuse the client).
fn documents(monitor: &Client) -> usize {
    monitor.get("/api/documents?limit=500").json()["items"]
        .as_array()
        .unwrap()
        .len()
}

/// Import drafts, open or not.
fn drafts(monitor: &Client) -> usize {
    monitor.get("/api/imports?all=true&limit=500").json()["items"]
        .as_array()
        .unwrap()
        .len()
}

/// Whether a message reads as Vietnamese (letters outside ASCII), not a library's English.
fn vietnamese(message: &str) -> bool {
    !message.is_ascii() && message.len() > 10
}

// ---- session fixation ----

#[test]
fn session_fixation_a_session_id_is_never_carried_across_sign_in() {
    let server = Server::start(Db::Sqlite, "sec_fixation");
    let login = |cookie: &str, who: &str| {
        common::raw(
            server.addr,
            "POST",
            "/api/login",
            &[
                ("content-type".into(), "application/json".into()),
                ("cookie".into(), cookie.into()),
            ],
            json!({"login": who, "password": PASSWORD})
                .to_string()
                .as_bytes(),
        )
    };

    // An id of the attacker's choosing, planted before sign-in: never adopted.
    let planted = "ab".repeat(32);
    let r = login(&format!("nhiemvu_session={planted}"), "vanphong");
    assert_eq!(r.status, 200, "{}", r.text());
    let fresh = session_of(&r).expect("a new session cookie");
    assert_ne!(fresh, planted);
    assert!(fresh.len() == 64 && fresh.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(me(&server, &planted), 401, "the planted id opens nothing");
    assert_eq!(me(&server, &fresh), 200);

    // A session the browser already holds (the attacker's own, planted; or the previous
    // user's, left open): signing in over it gives a new id and ends the old one.
    let attacker = server.login("chutich");
    let old = attacker.cookie.clone().unwrap();
    let old_id = old.strip_prefix("nhiemvu_session=").unwrap().to_owned();
    assert_eq!(me(&server, &old_id), 200);
    let r = login(&old, "vanphong");
    assert_eq!(r.status, 200);
    let victim = session_of(&r).unwrap();
    assert_ne!(victim, old_id);
    assert_eq!(
        me(&server, &old_id),
        401,
        "the session signed in over is ended"
    );
    let who = with_cookie(&server, &format!("nhiemvu_session={victim}")).get("/api/me");
    assert_eq!(who.json()["user"]["login"], "vanphong");

    // Through the login form, with both cookies planted (the form's secret and a session id):
    // a new session, the form's cookie cleared, and the form's secret opens nothing.
    let secret = "cd".repeat(32);
    let planted = "ef".repeat(32);
    let cookie = format!("nhiemvu_login={secret}; nhiemvu_session={planted}");
    let body = urlencode(&[
        ("csrf", &web::auth::csrf_token(&secret)),
        ("login", "vanphong"),
        ("password", PASSWORD),
    ]);
    let r = common::raw(
        server.addr,
        "POST",
        "/dang-nhap",
        &[
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("cookie".into(), cookie),
        ],
        body.as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let fresh = session_of(&r).unwrap();
    assert!(fresh != planted && fresh != secret);
    assert!(
        r.headers.iter().any(|(k, v)| k == "set-cookie"
            && v.starts_with("nhiemvu_login=;")
            && v.contains("Max-Age=0")),
        "the form's cookie is cleared: {:?}",
        r.headers
    );
    assert_eq!(me(&server, &planted), 401);
    assert_eq!(me(&server, &secret), 401);
    assert_eq!(me(&server, &fresh), 200);

    // Signing out ends the session on the server: a copy of the cookie kept elsewhere (a
    // stolen one) is refused afterwards.
    let c = with_cookie(&server, &format!("nhiemvu_session={fresh}"));
    let c = Client {
        csrf: Some(web::auth::csrf_token(&fresh)),
        ..c
    };
    assert_eq!(c.request("POST", "/api/logout", &[], b"").status, 200);
    assert_eq!(me(&server, &fresh), 401);
}

// ---- CSRF ----

#[test]
fn csrf_only_the_sessions_own_token_in_the_header_or_form_is_accepted() {
    let server = Server::start(Db::Sqlite, "sec_csrf");
    let document = server.import_model_case();
    let task = server.task(document, "2.3");
    let officer = server.login("chuyenvien.svhttdl");
    let head = server.login("giamdoc.svhttdl");
    let path = format!("/api/tasks/{task}/reports");
    let report = json!({"content": "Báo cáo thử CSRF"}).to_string();
    let before = audit(&server);

    // (what, headers, path)
    let attempts: Vec<(&str, Headers, String)> = vec![
        (
            "a made-up token",
            vec![
                ("x-csrf-token".into(), "0".repeat(64)),
                ("content-type".into(), "application/json".into()),
            ],
            path.clone(),
        ),
        (
            "the token of another session (the head's)",
            vec![
                ("x-csrf-token".into(), head.csrf.clone().unwrap()),
                ("content-type".into(), "application/json".into()),
            ],
            path.clone(),
        ),
        (
            "the session id itself as the token",
            vec![
                (
                    "x-csrf-token".into(),
                    officer
                        .cookie
                        .clone()
                        .unwrap()
                        .replace("nhiemvu_session=", ""),
                ),
                ("content-type".into(), "application/json".into()),
            ],
            path.clone(),
        ),
        (
            "the token in the query string instead of the header",
            vec![("content-type".into(), "application/json".into())],
            format!("{path}?csrf={}", officer.csrf.clone().unwrap()),
        ),
        (
            "a cross-site form's content type, no header",
            vec![("content-type".into(), "text/plain".into())],
            path.clone(),
        ),
    ];
    for (what, mut headers, target) in attempts {
        headers.push(("cookie".into(), officer.cookie.clone().unwrap()));
        let r = common::raw(server.addr, "POST", &target, &headers, report.as_bytes());
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "csrf_token_invalid"),
            "{what}: {}",
            r.text()
        );
        assert!(vietnamese(r.json()["message"].as_str().unwrap()));
    }
    assert_eq!(audit(&server), before, "nothing written");
    assert_eq!(reports(&server, task), 0);
    // The same request with the session's own token goes through (so the refusals above were
    // about the token alone).
    let r = officer.post_json(&path, &json!({"content": "Báo cáo thử CSRF"}));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(reports(&server, task), 1);

    // The pages' forms: the field must hold this session's token.
    let page = officer.get(&format!("/nhiem-vu/{task}"));
    assert_eq!(page.status, 200);
    let html = page.text();
    let stamp = input_in(&html, "bao-cao", "stamp");
    let own = input_in(&html, "bao-cao", "csrf");
    assert_eq!(&own, officer.csrf.as_ref().unwrap());
    let form = format!("/nhiem-vu/{task}/bao-cao");
    let post = |token: Option<&str>| {
        let mut fields = vec![
            ("stamp", stamp.as_str()),
            ("noi_dung", "Báo cáo qua biểu mẫu"),
        ];
        if let Some(t) = token {
            fields.push(("csrf", t));
        }
        let (ctype, body) = multipart(&form_parts(&fields));
        let mut h = vec![("content-type".to_owned(), ctype)];
        h.push(("cookie".into(), officer.cookie.clone().unwrap()));
        common::raw(server.addr, "POST", &form, &h, &body)
    };
    let before = audit(&server);
    for token in [None, Some("0".repeat(64)), Some(head.csrf.clone().unwrap())] {
        let r = post(token.as_deref());
        assert_eq!(r.status, 403, "token {token:?}: {}", r.text());
        assert!(r.text().contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"));
    }
    assert_eq!(audit(&server), before, "nothing written through the form");
    assert_eq!(reports(&server, task), 1);
    let r = post(Some(&own));
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(reports(&server, task), 2);

    // The login form: the token must match the form's own cookie (login CSRF).
    let body = urlencode(&[
        ("csrf", &web::auth::csrf_token(&"12".repeat(32))),
        ("login", "vanphong"),
        ("password", PASSWORD),
    ]);
    let r = common::raw(
        server.addr,
        "POST",
        "/dang-nhap",
        &[
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            (
                "cookie".into(),
                format!("nhiemvu_login={}", "34".repeat(32)),
            ),
        ],
        body.as_bytes(),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(session_of(&r).is_none(), "no session opened");
}

// ---- login throttling ----

#[test]
fn login_throttling_per_address_for_unknown_logins_and_across_servers() {
    let server = Server::start(Db::Sqlite, "sec_throttle");
    // A second server over the same database, as behind a load balancer.
    let other: SocketAddr = server.rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = web::AppState::new(server.store.clone(), web::Config::default())
            .await
            .unwrap();
        tokio::spawn(web::serve(listener, state));
        addr
    });
    let attempt = |addr: SocketAddr, login: &str, password: &str| {
        common::raw(
            addr,
            "POST",
            "/api/login",
            &[("content-type".into(), "application/json".into())],
            json!({"login": login, "password": password})
                .to_string()
                .as_bytes(),
        )
    };
    let throttled = |r: &Response, what: &str| {
        assert_eq!(r.status, 429, "{what}: {}", r.text());
        assert_eq!(r.code(), "too_many_attempts");
        assert!(
            r.json()["message"]
                .as_str()
                .unwrap()
                .contains("thử lại sau")
        );
        assert!(r.header("retry-after").is_some());
        assert!(session_of(r).is_none());
    };
    let per_login = web::auth::MAX_FAILURES_PER_LOGIN;
    let per_ip = web::auth::MAX_FAILURES_PER_IP;
    let mut failures = 0;

    // Failures counted on one server refuse the right password on the other.
    for _ in 0..per_login {
        assert_eq!(attempt(server.addr, "chutich", "sai").status, 401);
        failures += 1;
    }
    throttled(&attempt(other, "chutich", PASSWORD), "the other server");

    // A login that does not exist is throttled exactly like one that does: the answers do
    // not tell which accounts exist.
    for _ in 0..per_login {
        let r = attempt(other, "khong.co.ai", "sai");
        assert_eq!((r.status, r.code().as_str()), (401, "invalid_credentials"));
        failures += 1;
    }
    throttled(
        &attempt(server.addr, "khong.co.ai", "sai"),
        "an unknown login",
    );

    // Per address: failures spread over many logins, each under its own limit, until the
    // address reaches its limit; then every login from it is refused, even with the right
    // password, on both servers.
    let mut n = 0;
    while failures < per_ip {
        n += 1;
        for _ in 0..per_login.min(per_ip - failures) {
            let r = attempt(server.addr, &format!("doan.{n}"), "sai");
            assert_eq!(r.status, 401, "failure {failures}: {}", r.text());
            failures += 1;
        }
    }
    throttled(&attempt(server.addr, "vanphong", PASSWORD), "by address");
    throttled(
        &attempt(other, "giamdoc.sgtvt", PASSWORD),
        "by address, other server",
    );
}

// ---- IDOR ----

#[test]
fn another_agencys_task_reports_and_attachments_are_closed_on_every_route() {
    let server = Server::start(Db::Sqlite, "sec_idor");
    let document = server.import_model_case();
    // 2.3 is the culture department's alone; the transport department's accounts are outsiders.
    let task = server.task(document, "2.3");
    let owner = server.login("chuyenvien.svhttdl");
    let secret_report = "Báo cáo nội bộ của Sở Văn hóa về diễn đàn liên kết";
    let secret_file: &[u8] = b"%PDF-1.4 noi dung rieng cua so van hoa";
    let r = owner.multipart(
        &format!("/api/tasks/{task}/reports"),
        &[
            (
                "report",
                None,
                "application/json",
                json!({"content": secret_report}).to_string().as_bytes(),
            ),
            ("file", Some("rieng.pdf"), "application/pdf", secret_file),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let detail = owner.get(&format!("/api/tasks/{task}")).json();
    let attachment = detail["reports"][0]["attachments"][0]["id"]
        .as_i64()
        .unwrap();
    let task_words = "Hội nghị sơ kết diễn đàn liên kết";
    let notice = server
        .rt
        .block_on(
            server.store.enqueue_notice(
                &NewNotice {
                    user: server
                        .rt
                        .block_on(server.store.credentials("chuyenvien.svhttdl"))
                        .unwrap()
                        .unwrap()
                        .user,
                    task: Some(task.to_string().parse().unwrap()),
                    kind: "urge".into(),
                    dedupe_key: "idor-test".into(),
                    title: "Nhắc việc riêng".into(),
                    body: "Nhắc việc của Sở Văn hóa".into(),
                },
                store::Timestamp::now(),
            ),
        )
        .unwrap()
        .unwrap();
    // Signing in is audited: every client first, then the count.
    let outsiders = [
        ("chuyenvien.sgtvt", server.login("chuyenvien.sgtvt")),
        ("giamdoc.sgtvt", server.login("giamdoc.sgtvt")),
    ];
    let before = audit(&server);

    for (login, outsider) in &outsiders {
        let login = *login;
        let t = format!("/api/tasks/{task}");
        let api: Vec<(&str, String, Option<serde_json::Value>)> = vec![
            ("GET", t.clone(), None),
            (
                "POST",
                format!("{t}/transitions"),
                Some(json!({"action": "start"})),
            ),
            (
                "POST",
                format!("{t}/reports"),
                Some(json!({"content": "Báo cáo giả mạo"})),
            ),
            (
                "POST",
                format!("{t}/extensions"),
                Some(json!({"proposed_due_on": "2030-01-01", "reason": "giả mạo"})),
            ),
            (
                "POST",
                format!("{t}/hand-over"),
                Some(json!({"officer": login})),
            ),
            ("GET", format!("/api/attachments/{attachment}"), None),
        ];
        for (method, path, body) in &api {
            let r = match body {
                Some(b) => outsider.request(
                    method,
                    path,
                    &[("content-type", "application/json")],
                    b.to_string().as_bytes(),
                ),
                None => outsider.request(method, path, &[], b""),
            };
            // Head or officer, any route: the refusal names the reason (the matrix's rule:
            // 403, not 404; ids are sequential, so existence is no secret), and shows nothing.
            // Handing over is a head's power: an officer is refused by role first.
            let by_role = path.ends_with("hand-over") && login.starts_with("chuyenvien");
            assert_eq!(r.status, 403, "{login} {method} {path}: {}", r.text());
            assert_eq!(
                r.code(),
                if by_role {
                    "forbidden"
                } else {
                    "not_your_agency"
                },
                "{login} {method} {path}"
            );
            let text = r.text();
            assert!(
                !text.contains(secret_report)
                    && !text.contains("noi dung rieng")
                    && !text.contains(task_words),
                "{method} {path} leaks: {text}"
            );
        }
        // The multipart form of a report with a file, to the API.
        let r = outsider.multipart(
            &format!("{t}/reports"),
            &[
                ("report", None, "application/json", br#"{"content": "x"}"#),
                ("file", Some("x.pdf"), "application/pdf", b"%PDF"),
            ],
        );
        assert_eq!(r.status, 403);
        // The pages and their forms, with the outsider's own valid token.
        let page = outsider.get(&format!("/nhiem-vu/{task}"));
        assert_eq!(page.status, 403);
        assert!(!page.text().contains(secret_report) && !page.text().contains(task_words));
        let token = outsider.csrf.clone().unwrap();
        for (form, fields) in [
            ("trang-thai", vec![("thao_tac", "start")]),
            (
                "gia-han",
                vec![("han_moi", "2030-01-01"), ("ly_do", "giả mạo")],
            ),
            ("giao-can-bo", vec![("can_bo", login)]),
        ] {
            let mut fields = fields;
            fields.push(("csrf", &token));
            fields.push(("stamp", "x"));
            let r = common::raw(
                server.addr,
                "POST",
                &format!("/nhiem-vu/{task}/{form}"),
                &[
                    (
                        "content-type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ),
                    ("cookie".into(), outsider.cookie.clone().unwrap()),
                ],
                urlencode(&fields).as_bytes(),
            );
            assert_eq!(r.status, 403, "{login} form {form}: {}", r.text());
        }
        let (ctype, body) = multipart(&[
            ("csrf", None, "", token.as_bytes()),
            ("stamp", None, "", b"x"),
            ("noi_dung", None, "", "Báo cáo giả mạo".as_bytes()),
            ("tep", Some("x.pdf"), "application/pdf", b"%PDF"),
        ]);
        let r = common::raw(
            server.addr,
            "POST",
            &format!("/nhiem-vu/{task}/bao-cao"),
            &[
                ("content-type".into(), ctype),
                ("cookie".into(), outsider.cookie.clone().unwrap()),
            ],
            &body,
        );
        assert_eq!(r.status, 403, "{login} report form: {}", r.text());

        // Lists, search and counts leave the task and its report out.
        let listed = |path: &str| -> Vec<i64> {
            let r = outsider.get(path);
            assert_eq!(r.status, 200, "{path}: {}", r.text());
            r.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["id"].as_i64().or_else(|| i["task"].as_i64()))
                .collect()
        };
        let mine = listed(&format!("/api/tasks?document={document}&limit=500"));
        assert!(
            !mine.is_empty() && !mine.contains(&task),
            "{login}: {mine:?}"
        );
        assert!(!listed("/api/tasks?text=hoi%20nghi%20so%20ket&limit=500").contains(&task));
        let found = outsider.get("/api/search?q=hoi%20nghi%20so%20ket%20dien%20dan&limit=100");
        assert_eq!(found.status, 200);
        assert!(
            !found.text().contains(&format!("\"id\":{task},"))
                && !found.text().contains(secret_report),
            "{}",
            found.text()
        );
        let counts = outsider
            .get(&format!("/api/counts?document={document}"))
            .json();
        let names: Vec<&str> = counts["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, [common::TRANSPORT], "{login}");
        // Another user's notice cannot be marked read (it is not found for them).
        let r = outsider.request("POST", &format!("/api/notices/{notice}/read"), &[], b"");
        assert_eq!(r.status, 404, "{}", r.text());
    }
    // A missing id is "not found", for everyone alike.
    let outsider = &outsiders[0].1;
    assert_eq!(outsider.get("/api/tasks/999999").status, 404);
    assert_eq!(outsider.get("/api/attachments/999999").status, 404);
    assert_eq!(owner.get("/api/attachments/999999").status, 404);

    assert_eq!(audit(&server), before, "nothing written");
    assert_eq!(reports(&server, task), 1);
    let unread = owner.get("/api/notices?unread=true").json();
    assert_eq!(
        unread["items"].as_array().unwrap().len(),
        1,
        "the notice is still unread"
    );
    // The owner still reads its own file.
    let r = owner.get(&format!("/api/attachments/{attachment}"));
    assert_eq!((r.status, r.body.as_slice()), (200, secret_file));
}

// ---- uploads ----

/// A small directive the parser reads, with markup in its subject and task.
fn directive_with_markup() -> String {
    "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
     Số: 777/UBND-KTTH\n\nQuảng Ngãi, ngày 15 tháng 8 năm 2024\n\n\
     V/v kiểm tra <script>alert(1)</script> an toàn\n\n\
     Kính gửi:\n- Sở Văn hóa, Thể thao và Du lịch;\n- Sở Tài chính.\n\n\
     Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\n\
     1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Tài chính rà soát <img src=x onerror=alert(2)> kết quả thực hiện; hoàn thành trước ngày 10/12/2027.\n\n\
     2. Sở Tài chính chủ trì, phối hợp với Sở Văn hóa, Thể thao và Du lịch tổng hợp kinh phí thực hiện; hoàn thành trước ngày 11/12/2027.\n\n\
     Nơi nhận:\n- Như trên;\n- Lưu: VT, KTTH.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Văn Cường\n"
        .to_owned()
}

/// Media types a browser would run or render as a page.
fn active(media_type: &str) -> bool {
    let t = media_type.to_ascii_lowercase();
    ["html", "svg", "xml", "javascript", "ecmascript", "xsl"]
        .iter()
        .any(|a| t.contains(a))
}

#[test]
fn upload_names_and_content_types_cannot_escape_or_turn_active() {
    let server = Server::start(Db::Sqlite, "sec_uploads");
    let document = server.import_model_case();
    let task = server.task(document, "2.3");
    let officer = server.login("chuyenvien.svhttdl");
    let monitor = server.login("vanphong");
    let reports_path = format!("/api/tasks/{task}/reports");
    let report_json = json!({"content": "Báo cáo kèm tệp"}).to_string();
    let before = (audit(&server), documents(&monitor), drafts(&monitor));

    // Names with directory parts or control characters: refused wherever a file is taken.
    let bad_names = [
        "../../x.pdf",
        "..\\..\\x.pdf",
        "/etc/passwd",
        "a/b.pdf",
        "C:\\Windows\\x.pdf",
        "..",
        "x\u{1}.pdf",
        "....pdf",
        "",
    ];
    for name in bad_names {
        let r = officer.multipart(
            &reports_path,
            &[
                ("report", None, "application/json", report_json.as_bytes()),
                ("file", Some(name), "application/pdf", b"%PDF-1.4"),
            ],
        );
        assert_eq!(r.status, 400, "report file {name:?}: {}", r.text());
        // A control character can already break the part's header (refused by the multipart
        // reader); otherwise the name check refuses it.
        assert!(
            matches!(r.code().as_str(), "invalid_file_name" | "invalid_multipart"),
            "{name:?}: {}",
            r.text()
        );
        assert!(vietnamese(r.json()["message"].as_str().unwrap()));
        for route in ["/api/documents", "/api/imports", "/api/parse"] {
            let r = monitor.multipart(
                route,
                &[("file", Some(name), "text/plain", common::MODEL_CASE)],
            );
            assert_eq!(r.status, 400, "{route} file {name:?}: {}", r.text());
        }
        if !name.is_empty() {
            let r = monitor.request(
                "POST",
                &format!(
                    "/api/documents?file_name={}",
                    urlencode(&[("", name)]).trim_start_matches('=')
                ),
                &[],
                common::MODEL_CASE,
            );
            assert_eq!(r.status, 400, "raw upload named {name:?}: {}", r.text());
        }
    }
    // The pages' upload forms refuse them too.
    let page = officer.get(&format!("/nhiem-vu/{task}")).text();
    let stamp = input_in(&page, "bao-cao", "stamp");
    let token = officer.csrf.clone().unwrap();
    let (ctype, body) = multipart(&[
        ("csrf", None, "", token.as_bytes()),
        ("stamp", None, "", stamp.as_bytes()),
        ("noi_dung", None, "", "Báo cáo".as_bytes()),
        ("tep", Some("../../x.pdf"), "application/pdf", b"%PDF"),
    ]);
    let r = common::raw(
        server.addr,
        "POST",
        &format!("/nhiem-vu/{task}/bao-cao"),
        &[
            ("content-type".into(), ctype),
            ("cookie".into(), officer.cookie.clone().unwrap()),
        ],
        &body,
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("Tên tệp không hợp lệ"));
    let monitor_token = monitor.csrf.clone().unwrap();
    let (ctype, body) = multipart(&[
        ("csrf", None, "", monitor_token.as_bytes()),
        (
            "tep",
            Some("../../chi-thi.txt"),
            "text/plain",
            common::MODEL_CASE,
        ),
    ]);
    let r = common::raw(
        server.addr,
        "POST",
        "/nhap-van-ban",
        &[
            ("content-type".into(), ctype),
            ("cookie".into(), monitor.cookie.clone().unwrap()),
        ],
        &body,
    );
    assert!(r.status >= 400 && r.status < 500, "{}", r.text());
    assert!(r.text().contains("Tên tệp không hợp lệ"), "{}", r.text());
    assert_eq!(
        (audit(&server), documents(&monitor), drafts(&monitor)),
        before,
        "nothing written"
    );
    assert_eq!(reports(&server, task), 0);

    // Odd but legal names are kept as given and downloaded under a safe name.
    for name in [
        "bao 'cao'; x.pdf",
        "Báo cáo tháng 5.pdf",
        "%2e%2e%2fx.pdf",
        "x.pdf\u{a0}",
    ] {
        let r = officer.multipart(
            &reports_path,
            &[
                ("report", None, "application/json", report_json.as_bytes()),
                ("file", Some(name), "application/pdf", b"%PDF-1.4"),
            ],
        );
        assert_eq!(r.status, 201, "{name:?}: {}", r.text());
        let detail = officer.get(&format!("/api/tasks/{task}")).json();
        let stored = detail["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == r.json()["id"])
            .unwrap()["attachments"][0]
            .clone();
        assert_eq!(stored["file_name"], name.trim());
        let d = officer.get(&format!("/api/attachments/{}", stored["id"]));
        assert_eq!(d.status, 200);
        let disposition = d.header("content-disposition").unwrap();
        let ascii = disposition
            .split("filename=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            !ascii.contains(['/', '\\', ';', '"']) && !disposition.contains(['\r', '\n']),
            "{disposition}"
        );
    }

    // An attachment declared as something a browser runs or renders: stored, but never served
    // as such — always a download, never sniffed.
    let script = b"<html><script>alert(document.cookie)</script></html>";
    for declared in [
        "text/html",
        "text/html; charset=utf-7",
        "image/svg+xml",
        "application/xhtml+xml",
        "text/javascript",
        "application/xml",
        "TEXT/HTML",
    ] {
        let r = officer.multipart(
            &reports_path,
            &[
                ("report", None, "application/json", report_json.as_bytes()),
                ("file", Some("bao-cao.html"), declared, script),
            ],
        );
        assert_eq!(r.status, 201, "{declared}: {}", r.text());
        let detail = officer.get(&format!("/api/tasks/{task}")).json();
        let id = detail["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == r.json()["id"])
            .unwrap()["attachments"][0]["id"]
            .clone();
        let d = officer.get(&format!("/api/attachments/{id}"));
        assert_eq!(
            (d.status, d.body.as_slice()),
            (200, &script[..]),
            "bytes kept"
        );
        let served = d.header("content-type").unwrap();
        assert!(!active(&served), "declared {declared}, served as {served}");
        assert!(
            d.header("content-disposition")
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(
            d.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
    }
    // A harmless declared type is kept (the check above is about active content only).
    let r = officer.multipart(
        &reports_path,
        &[
            ("report", None, "application/json", report_json.as_bytes()),
            (
                "file",
                Some("that-ra-la-html.pdf"),
                "application/pdf",
                script,
            ),
        ],
    );
    let detail = officer.get(&format!("/api/tasks/{task}")).json();
    let id = detail["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == r.json()["id"])
        .unwrap()["attachments"][0]["id"]
        .clone();
    let d = officer.get(&format!("/api/attachments/{id}"));
    assert_eq!(d.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(
        d.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );

    // Files whose bytes are not what their name and type say.
    let before = (audit(&server), documents(&monitor));
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend((0..4000u32).map(|i| (i * 7 % 256) as u8));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    let zip_not_docx = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
    for (name, ctype, bytes) in [
        ("chi-thi.txt", "text/plain", elf),
        (
            "chi-thi.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            png,
        ),
        (
            "chi-thi.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            zip_not_docx,
        ),
    ] {
        let r = monitor.multipart("/api/documents", &[("file", Some(name), ctype, &bytes)]);
        assert_eq!(r.status, 422, "{name} ({ctype}): {}", r.text());
        assert_eq!(r.code(), "unreadable_document");
        assert!(vietnamese(r.json()["message"].as_str().unwrap()));
    }
    assert_eq!(
        (audit(&server), documents(&monitor)),
        before,
        "nothing written"
    );

    // Markup inside a directive is text: stored as sent, shown escaped on every page.
    let r = monitor.request(
        "POST",
        "/api/documents?file_name=kiem-tra.txt",
        &[("content-type", "text/plain")],
        directive_with_markup().as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["document"].as_i64().unwrap();
    let t = server.task(id, "1");
    let mut shown = 0;
    for path in [
        format!("/van-ban/{id}"),
        format!("/nhiem-vu/{t}"),
        "/nhiem-vu".to_owned(),
    ] {
        let html = monitor.get(&path).text();
        shown += usize::from(html.contains("alert("));
        assert!(
            !html.contains("<script>alert") && !html.contains("<img src=x"),
            "{path} shows markup raw"
        );
        if let Some(at) = html.find("alert(") {
            let before = &html[at.saturating_sub(40)..at];
            assert!(
                before.contains("&lt;") || before.contains("&#60;") || before.contains("&#x3c;"),
                "{path}: {before}alert("
            );
        }
    }
    assert!(shown > 0, "the markup is shown somewhere, as text");

    // A request whose own content type lies about its body.
    let r = officer.request(
        "POST",
        &reports_path,
        &[("content-type", "multipart/form-data")],
        report_json.as_bytes(),
    );
    assert_eq!(
        (r.status, r.code().as_str()),
        (400, "invalid_multipart"),
        "{}",
        r.text()
    );
    let (_, body) = multipart(&[("report", None, "application/json", report_json.as_bytes())]);
    let r = officer.request(
        "POST",
        &reports_path,
        &[("content-type", "application/json")],
        &body,
    );
    assert_eq!(
        (r.status, r.code().as_str()),
        (400, "invalid_json"),
        "{}",
        r.text()
    );
}

// ---- oversized requests ----

#[test]
fn oversized_requests_get_413_in_vietnamese_and_write_nothing() {
    const UPLOAD: usize = 64 * 1024;
    const JSON: usize = 8 * 1024;
    let server = Server::start_with(
        Db::Sqlite,
        "sec_oversized",
        web::Config {
            upload_bytes: UPLOAD,
            json_bytes: JSON,
            ..web::Config::default()
        },
    );
    let document = server.import_model_case();
    let task = server.task(document, "2.3");
    let officer = server.login("chuyenvien.svhttdl");
    let monitor = server.login("vanphong");
    let before = (audit(&server), documents(&monitor), drafts(&monitor));
    let big = vec![b'a'; UPLOAD + 16 * 1024];
    let too_large = |r: Option<Response>, what: &str| {
        let r = r.unwrap_or_else(|| panic!("{what}: no answer"));
        assert_eq!(r.status, 413, "{what}: {}", r.text());
        assert_eq!(r.code(), "payload_too_large", "{what}");
        assert!(vietnamese(r.json()["message"].as_str().unwrap()), "{what}");
    };
    let headers = |c: &Client, ctype: &str| {
        let mut h = credentials(c);
        h.push(("content-type".into(), ctype.into()));
        h
    };
    let reports_path = format!("/api/tasks/{task}/reports");

    let (ctype, body) = multipart(&[
        (
            "report",
            None,
            "application/json",
            r#"{"content": "Báo cáo"}"#.as_bytes(),
        ),
        ("file", Some("lon.pdf"), "application/pdf", &big),
    ]);
    too_large(
        send(
            server.addr,
            "POST",
            &reports_path,
            &headers(&officer, &ctype),
            body.clone(),
            false,
        ),
        "a report with a large file",
    );
    too_large(
        send(
            server.addr,
            "POST",
            &reports_path,
            &headers(&officer, &ctype),
            body,
            true,
        ),
        "the same, chunked",
    );
    // A report's route takes files, so its JSON form has the upload limit too.
    let long = json!({"content": "x".repeat(UPLOAD * 2)})
        .to_string()
        .into_bytes();
    too_large(
        send(
            server.addr,
            "POST",
            &reports_path,
            &headers(&officer, "application/json"),
            long.clone(),
            false,
        ),
        "a long JSON report",
    );
    too_large(
        send(
            server.addr,
            "POST",
            &reports_path,
            &headers(&officer, "application/json"),
            long,
            true,
        ),
        "a long JSON report, chunked",
    );
    // A JSON-only route has the JSON limit.
    let reason = json!({"action": "start", "reason": "x".repeat(JSON * 2)})
        .to_string()
        .into_bytes();
    for chunked in [false, true] {
        too_large(
            send(
                server.addr,
                "POST",
                &format!("/api/tasks/{task}/transitions"),
                &headers(&officer, "application/json"),
                reason.clone(),
                chunked,
            ),
            &format!("a transition with a long reason (chunked: {chunked})"),
        );
    }
    for route in ["/api/documents", "/api/imports", "/api/parse"] {
        too_large(
            send(
                server.addr,
                "POST",
                &format!("{route}?file_name=lon.txt"),
                &credentials(&monitor),
                big.clone(),
                false,
            ),
            &format!("{route}, raw"),
        );
        let (ctype, body) = multipart(&[("file", Some("lon.txt"), "text/plain", &big)]);
        too_large(
            send(
                server.addr,
                "POST",
                route,
                &headers(&monitor, &ctype),
                body,
                true,
            ),
            &format!("{route}, multipart chunked"),
        );
    }
    // A Content-Length announcing far more than the limit is refused at once, without waiting
    // for a body that never comes.
    let mut h = headers(&monitor, "text/plain");
    h.push(("content-length".into(), (1u64 << 40).to_string()));
    let started = Instant::now();
    too_large(
        send(
            server.addr,
            "POST",
            "/api/documents?file_name=lon.txt",
            &h,
            Vec::new(),
            false,
        ),
        "a 1 TiB Content-Length",
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // The pages: a report form with a large file, an ordinary form with a large field.
    let page = officer.get(&format!("/nhiem-vu/{task}")).text();
    let stamp = input_in(&page, "bao-cao", "stamp");
    let token = officer.csrf.clone().unwrap();
    let (ctype, body) = multipart(&[
        ("csrf", None, "", token.as_bytes()),
        ("stamp", None, "", stamp.as_bytes()),
        ("noi_dung", None, "", "Báo cáo".as_bytes()),
        ("tep", Some("lon.pdf"), "application/pdf", &big),
    ]);
    let mut h = vec![("content-type".to_owned(), ctype)];
    h.push(("cookie".into(), officer.cookie.clone().unwrap()));
    let r = send(
        server.addr,
        "POST",
        &format!("/nhiem-vu/{task}/bao-cao"),
        &h,
        body,
        false,
    )
    .unwrap();
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("Tệp quá lớn"), "{}", r.text());
    let field = "x".repeat(100 * 1024);
    let form = urlencode(&[
        ("csrf", &token),
        ("stamp", &stamp),
        ("thao_tac", "start"),
        ("ly_do", &field),
    ]);
    let mut h = vec![(
        "content-type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )];
    h.push(("cookie".into(), officer.cookie.clone().unwrap()));
    let r = send(
        server.addr,
        "POST",
        &format!("/nhiem-vu/{task}/trang-thai"),
        &h,
        form.into_bytes(),
        false,
    )
    .unwrap();
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(
        r.text().contains("lang=\"vi\""),
        "a page in Vietnamese: {}",
        r.text()
    );

    // Headers far over any sane size: refused, and the server goes on.
    let mut h = credentials(&officer);
    h.push(("x-padding".into(), "y".repeat(512 * 1024)));
    let r = send(server.addr, "GET", "/api/me", &h, Vec::new(), false);
    assert!(
        r.as_ref()
            .is_none_or(|r| r.status == 431 || r.status == 400),
        "{:?}",
        r.map(|r| r.status)
    );
    assert_eq!(officer.get("/api/me").status, 200);

    assert_eq!(
        (audit(&server), documents(&monitor), drafts(&monitor)),
        before,
        "nothing written"
    );
    assert_eq!(reports(&server, task), 0);

    // Just under the limit goes through.
    let (ctype, body) = multipart(&[
        (
            "report",
            None,
            "application/json",
            r#"{"content": "Báo cáo"}"#.as_bytes(),
        ),
        (
            "file",
            Some("vua.pdf"),
            "application/pdf",
            &big[..UPLOAD / 2],
        ),
    ]);
    let r = send(
        server.addr,
        "POST",
        &reports_path,
        &headers(&officer, &ctype),
        body,
        false,
    )
    .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(reports(&server, task), 1);
}
