//! A real server on a random port over a fresh database, the model case's accounts, and a
//! plain HTTP/1.1 client over `TcpStream` (no client library: the tests must also be able to
//! send what no well-behaved client would).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;

use serde_json::Value;
use store::{Actor, NewUser, Role, Store};

pub const PASSWORD: &str = "mat-khau-thu-nghiem";
pub const MODEL_CASE: &[u8] = include_bytes!("../../../../examples/2395-UBND-KTTH.txt");
pub const CULTURE: &str = "Sở Văn hóa, Thể thao và Du lịch";
pub const TRANSPORT: &str = "Sở Giao thông vận tải";

/// `(login, roles, agency)` of the accounts every test has.
pub const ACCOUNTS: &[(&str, &[Role], Option<&str>)] = &[
    ("chutich", &[Role::Leader], None),
    ("vanphong", &[Role::Monitor], None),
    ("giamdoc.svhttdl", &[Role::AgencyHead], Some(CULTURE)),
    ("chuyenvien.svhttdl", &[Role::AgencyOfficer], Some(CULTURE)),
    ("giamdoc.sgtvt", &[Role::AgencyHead], Some(TRANSPORT)),
    ("chuyenvien.sgtvt", &[Role::AgencyOfficer], Some(TRANSPORT)),
    ("quantri", &[Role::Admin], None),
];

pub struct Server {
    pub addr: SocketAddr,
    pub store: Store,
    pub rt: tokio::runtime::Runtime,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(PathBuf),
    Postgres { base: String, schema: String },
}

impl Drop for Server {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    std::fs::remove_file(p).ok();
                }
            }
            Cleanup::Postgres { base, schema } => {
                let (base, schema) = (base.clone(), schema.clone());
                self.rt.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&base).await {
                        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                            .execute(&mut c)
                            .await
                            .ok();
                    }
                });
            }
        }
    }
}

/// Which database a test runs on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The PostgreSQL base URL, or `None` (the test says it is skipped).
pub fn postgres() -> Option<String> {
    let url = std::env::var("NHIEMVU_TEST_POSTGRES").ok();
    if url.is_none() {
        eprintln!("NHIEMVU_TEST_POSTGRES not set: PostgreSQL half skipped");
    }
    url
}

impl Server {
    /// A server over a fresh database with [`ACCOUNTS`].
    pub fn start(db: Db, name: &str) -> Server {
        Server::start_with(db, name, web::Config::default())
    }

    pub fn start_with(db: Db, name: &str, config: web::Config) -> Server {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let tag = format!("{name}_{}", std::process::id());
        let (url, cleanup) = match db {
            Db::Sqlite => {
                let path = std::env::temp_dir().join(format!("nhiemvu_web_{tag}.db"));
                (
                    format!("sqlite://{}", path.display()),
                    Cleanup::Sqlite(path),
                )
            }
            Db::Postgres => {
                let base = std::env::var("NHIEMVU_TEST_POSTGRES").unwrap();
                let schema = format!("web_{tag}").replace(['.', '-'], "_");
                rt.block_on(async {
                    use sqlx::Connection;
                    let mut c = sqlx::PgConnection::connect(&base).await.unwrap();
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&mut c)
                        .await
                        .unwrap();
                    sqlx::query(&format!("CREATE SCHEMA {schema}"))
                        .execute(&mut c)
                        .await
                        .unwrap();
                });
                let sep = if base.contains('?') { '&' } else { '?' };
                (
                    format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                    Cleanup::Postgres { base, schema },
                )
            }
        };
        let hash = web::auth::hash_password(PASSWORD).unwrap();
        let (store, addr) = rt.block_on(async {
            let store = Store::open(&url).await.unwrap();
            for (login, roles, agency) in ACCOUNTS {
                let id = store
                    .create_user(
                        &NewUser {
                            login: (*login).to_owned(),
                            full_name: format!("Cán bộ {login}"),
                            email: None,
                            password_hash: Some(hash.clone()),
                            roles: roles.to_vec(),
                        },
                        Actor::System,
                    )
                    .await
                    .unwrap();
                if let Some(name) = agency {
                    let a = store.find_agency(name).await.unwrap().unwrap();
                    store.add_membership(id, a.id, Actor::System).await.unwrap();
                }
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let state = web::AppState::new(store.clone(), config).await.unwrap();
            tokio::spawn(web::serve(listener, state));
            (store, addr)
        });
        Server {
            addr,
            store,
            rt,
            cleanup,
        }
    }

    /// A client that has not signed in.
    pub fn anonymous(&self) -> Client {
        Client {
            addr: self.addr,
            cookie: None,
            csrf: None,
            bearer: None,
        }
    }

    /// A client signed in as `login`.
    pub fn login(&self, login: &str) -> Client {
        let mut c = self.anonymous();
        let r = c.post_json(
            "/api/login",
            &serde_json::json!({"login": login, "password": PASSWORD}),
        );
        assert_eq!(r.status, 200, "login {login}: {}", r.text());
        let cookie = r.header("set-cookie").expect("a session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        c.cookie = Some(cookie.split(';').next().unwrap().to_owned());
        c.csrf = r.json()["csrf_token"].as_str().map(str::to_owned);
        c
    }

    /// Imports the model case as the monitor; returns the document id.
    pub fn import_model_case(&self) -> i64 {
        let monitor = self.login("vanphong");
        let r = monitor.request(
            "POST",
            "/api/documents?file_name=2395-UBND-KTTH.txt",
            &[("content-type", "text/plain")],
            MODEL_CASE,
        );
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["tasks"], 23);
        r.json()["document"].as_i64().unwrap()
    }

    /// The id of the task with this outline id in the document.
    pub fn task(&self, document: i64, outline: &str) -> i64 {
        let r = self
            .login("vanphong")
            .get(&format!("/api/tasks?document={document}&limit=100"));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["outline_id"] == outline)
            .unwrap_or_else(|| panic!("task {outline}"))["id"]
            .as_i64()
            .unwrap()
    }
}

pub struct Client {
    pub addr: SocketAddr,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// The error code of an error body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

impl Client {
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(
            "POST",
            path,
            &[("content-type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    /// A request with the client's credentials (cookie and CSRF header, or bearer token).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        if let Some(c) = &self.cookie {
            all.push(("cookie".into(), c.clone()));
        }
        if let Some(t) = &self.csrf {
            all.push(("x-csrf-token".into(), t.clone()));
        }
        if let Some(b) = &self.bearer {
            all.push(("authorization".into(), format!("Bearer {b}")));
        }
        raw(self.addr, method, path, &all, body)
    }

    /// A multipart/form-data request: `(field, file name, content type, bytes)`.
    pub fn multipart(&self, path: &str, parts: &[(&str, Option<&str>, &str, &[u8])]) -> Response {
        let boundary = "----nhiemvu-test-boundary";
        let mut body = Vec::new();
        for (field, file, ctype, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{field}\"; filename=\"{f}\"\r\n"
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{field}\"\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(format!("Content-Type: {ctype}\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let ctype = format!("multipart/form-data; boundary={boundary}");
        self.request("POST", path, &[("content-type", &ctype)], &body)
    }
}

/// One HTTP/1.1 request on a new connection.
pub fn raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body and close; that is fine.
    let _ = s.write_all(body);
    let mut data = Vec::new();
    let _ = s.read_to_end(&mut data);
    parse_response(&data)
}

fn parse_response(data: &[u8]) -> Response {
    let end = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end: {:?}", String::from_utf8_lossy(data)));
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = data[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + size]);
            rest = &rest[nl + 2 + size + 2..];
        }
        body = out;
    }
    Response {
        status,
        headers,
        body,
    }
}
