//! The web pages over real HTTP, as a browser without scripts uses them: signing in with the
//! form (CSRF, throttling), an agency's officer seeing only its tasks, a progress report with
//! a file posted through the task page's form (shown on the page, written once however often
//! the form is posted, nothing written when a required field is empty), diacritic-insensitive
//! search, and every page of each role rendering.

mod common;

use common::{Db, PASSWORD, Response, Server, postgres};
use store::{Actor, NewNotice, NewUser, Role};

/// The agency the brief's officer belongs to.
const PLANNING: &str = "Sở Kế hoạch và Đầu tư";

/// A browser: cookies kept from one response to the next, forms posted as browsers post them.
struct Browser<'a> {
    server: &'a Server,
    cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    fn new(server: &'a Server) -> Browser<'a> {
        Browser {
            server,
            cookies: Vec::new(),
        }
    }

    /// Signs in through the login form.
    fn signed_in(server: &'a Server, login: &str) -> Browser<'a> {
        let mut b = Browser::new(server);
        let page = b.get("/dang-nhap");
        let csrf = csrf(&page);
        let r = b.post_form(
            "/dang-nhap",
            &[
                ("csrf", &csrf),
                ("tiep", "/"),
                ("login", login),
                ("password", PASSWORD),
            ],
        );
        assert_eq!(r.status, 303, "sign-in of {login}: {}", r.text());
        b
    }

    fn request(&mut self, method: &str, path: &str, ctype: Option<&str>, body: &[u8]) -> Response {
        let mut headers = Vec::new();
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            headers.push(("cookie".to_owned(), jar.join("; ")));
        }
        if let Some(c) = ctype {
            headers.push(("content-type".to_owned(), c.to_owned()));
        }
        let r = common::raw(self.server.addr, method, path, &headers, body);
        for (k, v) in &r.headers {
            if k != "set-cookie" {
                continue;
            }
            let (name, value) = v.split(';').next().unwrap().split_once('=').unwrap();
            self.cookies.retain(|(k, _)| k != name);
            if !v.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        r
    }

    fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, None, b"")
    }

    fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.request(
            "POST",
            path,
            Some("application/x-www-form-urlencoded"),
            body.join("&").as_bytes(),
        )
    }

    /// A multipart form: `(name, value)` fields and `(name, file name, bytes)` files.
    fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Response {
        let boundary = "----nhiemvu-ui-test";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: application/pdf\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let ctype = format!("multipart/form-data; boundary={boundary}");
        self.request("POST", path, Some(&ctype), &body)
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The value of the first `name="…" value="…"` input at or after `from` in `html`.
fn input_after(html: &str, from: usize, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html[from..]
        .find(&key)
        .unwrap_or_else(|| panic!("no input {name}"))
        + from
        + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

fn csrf(page: &Response) -> String {
    input_after(&page.text(), 0, "csrf")
}

/// The CSRF token and stamp of the form with this id.
fn form_tokens(page: &Response, form: &str) -> (String, String) {
    let html = page.text();
    let at = html
        .find(&format!("id=\"{form}\""))
        .unwrap_or_else(|| panic!("no form {form} in {html}"));
    (
        input_after(&html, at, "csrf"),
        input_after(&html, at, "stamp"),
    )
}

/// Fields with owned values as the form helpers take them.
fn refs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn location(r: &Response) -> String {
    r.header("location").unwrap_or_default()
}

/// How many progress reports the task has, asked through the API.
fn reports_of(server: &Server, task: i64) -> usize {
    let r = server.login("vanphong").get(&format!("/api/tasks/{task}"));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["reports"].as_array().unwrap().len()
}

fn add_planning_officer(server: &Server) {
    server.rt.block_on(async {
        let id = server
            .store
            .create_user(
                &NewUser {
                    login: "chuyenvien.skhdt".into(),
                    full_name: "Chuyên viên Sở Kế hoạch và Đầu tư".into(),
                    email: None,
                    password_hash: Some(web::auth::hash_password(PASSWORD).unwrap()),
                    roles: vec![Role::AgencyOfficer],
                },
                Actor::System,
            )
            .await
            .unwrap();
        let agency = server.store.find_agency(PLANNING).await.unwrap().unwrap();
        server
            .store
            .add_membership(id, agency.id, Actor::System)
            .await
            .unwrap();
    });
}

#[test]
fn signing_in_through_the_login_form() {
    let server = Server::start(Db::Sqlite, "ui_login");
    let mut b = Browser::new(&server);

    // A page asked for without a session leads to the login form, and back after it.
    let r = b.get("/nhiem-vu?status=hoan_thanh");
    assert_eq!(r.status, 303);
    assert_eq!(
        location(&r),
        "/dang-nhap?tiep=%2Fnhiem-vu%3Fstatus%3Dhoan_thanh"
    );
    let form = b.get("/dang-nhap?tiep=%2Fnhiem-vu");
    assert_eq!(form.status, 200);
    assert!(
        form.header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );
    let page = form.text();
    assert!(page.contains("<html lang=\"vi\">") && page.contains("href=\"#noi-dung\""));
    assert!(page.contains("<label for=\"dang-nhap-login\">Tên đăng nhập</label>"));
    let token = csrf(&form);

    // Without the form's token nothing is tried.
    let r = b.post_form(
        "/dang-nhap",
        &[("login", "vanphong"), ("password", PASSWORD)],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.header("set-cookie").is_none());

    // Each mistake is said next to its field.
    let r = b.post_form(
        "/dang-nhap",
        &[("csrf", &token), ("login", ""), ("password", "")],
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    assert!(
        page.contains("id=\"dang-nhap-login-loi\">Cần nhập tên đăng nhập<"),
        "{page}"
    );
    assert!(page.contains("id=\"dang-nhap-password-loi\">Cần nhập mật khẩu<"));
    assert!(page.contains("aria-describedby=\"dang-nhap-login-loi\""));
    let r = b.post_form(
        "/dang-nhap",
        &[
            ("csrf", &token),
            ("login", "vanphong"),
            ("password", "sai-mat-khau"),
        ],
    );
    assert_eq!(r.status, 401);
    assert!(
        r.text()
            .contains("id=\"dang-nhap-password-loi\">Sai tên đăng nhập hoặc mật khẩu<")
    );
    assert!(r.text().contains("value=\"vanphong\""), "the login is kept");
    assert!(
        !r.text().contains("sai-mat-khau"),
        "the password is not sent back"
    );

    // Throttling, as the API's sign-in counts it, is said at the login.
    for _ in 0..5 {
        b.post_form(
            "/dang-nhap",
            &[
                ("csrf", &token),
                ("login", "giamdoc.sgtvt"),
                ("password", "sai"),
            ],
        );
    }
    let r = b.post_form(
        "/dang-nhap",
        &[
            ("csrf", &token),
            ("login", "giamdoc.sgtvt"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 429);
    assert!(
        r.text()
            .contains("id=\"dang-nhap-login-loi\">Đăng nhập sai quá nhiều lần")
    );

    // Signed in: the session cookie the API's login sets, then the page asked for.
    let r = b.post_form(
        "/dang-nhap",
        &[
            ("csrf", &token),
            ("tiep", "/nhiem-vu"),
            ("login", "vanphong"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!((r.status, location(&r)), (303, "/nhiem-vu".to_owned()));
    let page_cookie = r
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("nhiemvu_session="))
        .unwrap()
        .1
        .clone();
    let api = server.anonymous().post_json(
        "/api/login",
        &serde_json::json!({"login": "vanphong", "password": PASSWORD}),
    );
    let api_cookie = api.header("set-cookie").unwrap();
    let attributes = |c: &str| c.split_once(';').unwrap().1.to_owned();
    assert_eq!(attributes(&page_cookie), attributes(&api_cookie));
    assert_eq!(b.get("/nhiem-vu").status, 200);
    // Signed in, the login page goes on; it never sends anyone to another site.
    assert_eq!(location(&b.get("/dang-nhap?tiep=%2F%2Fexample.org")), "/");

    // Signing out needs the form's token too, and ends the session.
    let home = b.get("/");
    assert_eq!(home.status, 200);
    let token = csrf(&home);
    assert_eq!(b.post_form("/dang-xuat", &[]).status, 403);
    let r = b.post_form("/dang-xuat", &[("csrf", &token)]);
    assert_eq!((r.status, location(&r)), (303, "/dang-nhap".to_owned()));
    assert_eq!(b.get("/").status, 303);
}

#[test]
fn an_agency_officer_sees_only_its_own_tasks_on_sqlite() {
    agency_officer(Db::Sqlite);
}

#[test]
fn an_agency_officer_sees_only_its_own_tasks_on_postgres() {
    if postgres().is_some() {
        agency_officer(Db::Postgres);
    }
}

fn agency_officer(db: Db) {
    let server = Server::start(db, &format!("ui_agency_{db:?}"));
    let document = server.import_model_case();
    add_planning_officer(&server);
    let own = server.task(document, "2.1.a");
    let culture = server.task(document, "2.3");
    let mut b = Browser::signed_in(&server, "chuyenvien.skhdt");

    // Home for an agency is its task list.
    assert_eq!(location(&b.get("/")), "/nhiem-vu");
    let list = b.get("/nhiem-vu");
    assert_eq!(list.status, 200);
    let page = list.text();
    assert!(
        page.contains(&format!("href=\"/nhiem-vu/{own}\"")),
        "{page}"
    );
    assert!(!page.contains(&format!("href=\"/nhiem-vu/{culture}\"")));
    let listed = page.matches("<td data-label=\"Số\">").count();
    let api = server
        .login("vanphong")
        .get(&format!("/api/tasks?document={document}&limit=100"))
        .json();
    assert!(listed > 0 && listed < api["items"].as_array().unwrap().len());
    // The menu shows only what the officer may open.
    assert!(!page.contains("href=\"/quan-tri\"") && !page.contains("href=\"/nhap-van-ban\""));

    // Another agency's task is refused as the API refuses it; a missing one is not found.
    let r = b.get(&format!("/nhiem-vu/{culture}"));
    assert_eq!(r.status, 403);
    assert!(
        r.text().contains("Không có quyền truy cập")
            && r.text().contains("không thuộc cơ quan của bạn")
    );
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(b.get("/nhiem-vu/999999").status, 404);
    assert_eq!(b.get("/nhiem-vu/abc").status, 422);
    // Nor can it be acted on.
    let r = b.post_form(
        &format!("/nhiem-vu/{culture}/trang-thai"),
        &[("thao_tac", "start")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(b.get("/quan-tri/tai-khoan").status, 403);

    // Its own task and document are open to it.
    let task = b.get(&format!("/nhiem-vu/{own}"));
    assert_eq!(task.status, 200);
    assert!(task.text().contains(PLANNING));
    let doc = b.get(&format!("/van-ban/{document}"));
    assert_eq!(doc.status, 200);
    assert!(doc.text().contains(&format!("href=\"/nhiem-vu/{own}\"")));
    assert!(
        !doc.text()
            .contains(&format!("href=\"/nhiem-vu/{culture}\""))
    );
}

#[test]
fn a_progress_report_through_the_task_page_on_sqlite() {
    progress_report(Db::Sqlite);
}

#[test]
fn a_progress_report_through_the_task_page_on_postgres() {
    if postgres().is_some() {
        progress_report(Db::Postgres);
    }
}

fn progress_report(db: Db) {
    let server = Server::start(db, &format!("ui_report_{db:?}"));
    let document = server.import_model_case();
    let task = server.task(document, "2.3");
    let path = format!("/nhiem-vu/{task}");

    // The head hands the task to the officer, who starts it: forms of the actions allowed.
    let mut head = Browser::signed_in(&server, "giamdoc.svhttdl");
    let page = head.get(&path);
    let (csrf, stamp) = form_tokens(&page, "giao");
    let r = head.post_form(
        &format!("{path}/giao-can-bo"),
        &[
            ("csrf", &csrf),
            ("stamp", &stamp),
            ("can_bo", "chuyenvien.svhttdl"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let mut officer = Browser::signed_in(&server, "chuyenvien.svhttdl");
    let page = officer.get(&path);
    let (csrf, stamp) = form_tokens(&page, "trang-thai-start");
    let r = officer.post_form(
        &format!("{path}/trang-thai"),
        &[("csrf", &csrf), ("stamp", &stamp), ("thao_tac", "start")],
    );
    assert_eq!(
        (r.status, location(&r)),
        (303, format!("{path}?xong=trang-thai"))
    );
    let page = officer.get(&location(&r));
    assert!(page.text().contains("Đã cập nhật trạng thái nhiệm vụ."));
    assert!(
        page.text()
            .contains("<span class=\"nhan dang_thuc_hien\">Đang thực hiện</span>")
    );

    // An empty required field: the page again, the message next to the field, nothing written.
    let (csrf, stamp) = form_tokens(&page, "bao-cao");
    let report = |content: &'static str, result: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("stamp", stamp.clone()),
            ("noi_dung", content.to_owned()),
            ("phan_tram", "60".to_owned()),
            ("van_ban_ket_qua", result.to_owned()),
        ]
    };
    let r = officer.post_multipart(&format!("{path}/bao-cao"), &refs(&report("   ", "")), &[]);
    assert_eq!(r.status, 422, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains("<p class=\"loi\" id=\"bao-cao-noi_dung-loi\">Cần nhập nội dung báo cáo"),
        "{html}"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"bao-cao-noi_dung-loi\""));
    assert!(
        html.contains("href=\"#bao-cao-noi_dung\""),
        "the summary links to the field"
    );
    assert!(html.contains("value=\"60\""), "what was typed is kept");
    assert_eq!(reports_of(&server, task), 0);

    // A bad value is said at its field too.
    let bad = report("Đã làm", "không phải số ký hiệu");
    let r = officer.post_multipart(&format!("{path}/bao-cao"), &refs(&bad), &[]);
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("id=\"bao-cao-van_ban_ket_qua-loi\">Số, ký hiệu văn bản không hợp lệ")
    );
    assert_eq!(reports_of(&server, task), 0);

    // The report with a file: written, shown on the page, the file downloadable.
    let content = "Đã tổ chức Hội nghị sơ kết diễn đàn liên kết phát triển du lịch";
    let good = report(content, "");
    let good = refs(&good);
    let file: &[u8] = b"%PDF-1.4 bao cao ket qua";
    let r = officer.post_multipart(
        &format!("{path}/bao-cao"),
        &good,
        &[("tep", "bao-cao-hoi-nghi.pdf", file)],
    );
    assert_eq!(
        (r.status, location(&r)),
        (303, format!("{path}?xong=bao-cao")),
        "{}",
        r.text()
    );
    let page = officer.get(&location(&r)).text();
    assert!(page.contains("Đã gửi báo cáo tiến độ.") && page.contains(content));
    assert!(page.contains("hoàn thành 60%"));
    let link = page
        .split("href=\"/api/attachments/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a link to the attachment");
    let download = officer.get(&format!("/api/attachments/{link}"));
    assert_eq!((download.status, download.body.as_slice()), (200, file));
    assert!(page.contains(">bao-cao-hoi-nghi.pdf</a>"));
    assert_eq!(reports_of(&server, task), 1);

    // The same form posted again (a double click, a resubmitted page) writes nothing.
    let r = officer.post_multipart(
        &format!("{path}/bao-cao"),
        &good,
        &[("tep", "bao-cao-hoi-nghi.pdf", file)],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("Biểu mẫu này đã được gửi"));
    assert_eq!(reports_of(&server, task), 1);
    assert_eq!(
        officer.get(&path).text().matches(content).count(),
        1,
        "one report on the page"
    );

    // Another agency's officer cannot download the file.
    let mut outsider = Browser::signed_in(&server, "chuyenvien.sgtvt");
    assert_eq!(
        outsider.get(&format!("/api/attachments/{link}")).status,
        403
    );
}

#[test]
fn search_in_the_task_list_ignores_diacritics() {
    let server = Server::start(Db::Sqlite, "ui_search");
    server.import_model_case();
    let mut b = Browser::signed_in(&server, "vanphong");
    let r = b.get("/nhiem-vu?text=so+ke+hoach&status=&agency=");
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    assert!(page.contains("Sở Kế hoạch"), "{page}");
    assert!(page.contains("value=\"so ke hoach\"") || page.contains("value=\"so+ke+hoach\""));
    let none = b.get("/nhiem-vu?text=khongcotukhoanay").text();
    assert!(none.contains("Không có nhiệm vụ nào phù hợp"));
    // A bad filter value is said, not a crash.
    let bad = b.get("/nhiem-vu?status=xyz");
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Trạng thái tiến độ không hợp lệ"));
}

#[test]
fn every_page_renders_for_its_roles() {
    let server = Server::start(Db::Sqlite, "ui_pages");
    let document = server.import_model_case();
    let task = server.task(document, "2.3");

    // The monitor's dashboard: the five counts, by agency and document, the chart.
    let mut monitor = Browser::signed_in(&server, "vanphong");
    let home = monitor.get("/");
    assert_eq!(home.status, 200);
    let page = home.text();
    for label in [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Chưa hoàn thành trong hạn",
        "Chưa hoàn thành quá hạn",
        "Không thời hạn",
    ] {
        assert!(page.contains(label), "{label}");
    }
    assert!(
        page.contains("Tổng số nhiệm vụ: <strong>23</strong>"),
        "{page}"
    );
    assert!(page.contains("<svg class=\"bieu-do\"") && page.contains("2395/UBND-KTTH"));
    assert!(page.contains("Sở Văn hóa, Thể thao và Du lịch"));
    let quarter = monitor.get("/?ky=2022-Q4");
    assert_eq!(quarter.status, 200);
    assert!(quarter.text().contains("quý IV năm 2022") && quarter.text().contains("31/12/2022"));
    let bad = monitor.get("/?ky=quy-4");
    assert_eq!(bad.status, 422);
    assert!(
        bad.text()
            .contains("id=\"tong-quan-ky-loi\">Kỳ không hợp lệ")
    );

    for path in [
        "/nhiem-vu".to_owned(),
        format!("/nhiem-vu/{task}"),
        "/van-ban".to_owned(),
        format!("/van-ban/{document}"),
        "/thong-bao".to_owned(),
    ] {
        let r = monitor.get(&path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert!(r.header("cache-control").unwrap().contains("no-store"));
    }
    assert!(
        monitor
            .get(&format!("/van-ban/{document}"))
            .text()
            .contains("Toàn văn")
    );
    // The monitor's menu leads to the import page.
    assert!(monitor.get("/").text().contains("href=\"/nhap-van-ban\""));

    // Notices: listed, marked read.
    let user = server
        .rt
        .block_on(server.store.user_by_login("vanphong"))
        .unwrap();
    server
        .rt
        .block_on(server.store.enqueue_notice(
            &NewNotice {
                user,
                task: None,
                kind: "urge".into(),
                dedupe_key: "ui-test".into(),
                title: "Nhắc việc thử".into(),
                body: "Nội dung nhắc việc".into(),
            },
            store::Timestamp::now(),
        ))
        .unwrap();
    let page = monitor.get("/thong-bao");
    assert!(page.text().contains("Nhắc việc thử") && page.text().contains("class=\"chua-doc\""));
    assert!(page.text().contains("<span class=\"so-dem\">1"));
    let id = page
        .text()
        .split("id=\"thong-bao-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = monitor.post_form(
        &format!("/thong-bao/{id}/da-doc"),
        &[("csrf", &csrf(&page))],
    );
    assert_eq!((r.status, location(&r)), (303, "/thong-bao".to_owned()));
    assert!(
        !monitor
            .get("/thong-bao")
            .text()
            .contains("class=\"chua-doc\"")
    );

    // Administration.
    let mut admin = Browser::signed_in(&server, "quantri");
    assert_eq!(location(&admin.get("/")), "/quan-tri");
    assert_eq!(location(&admin.get("/quan-tri")), "/quan-tri/tai-khoan");
    let users = admin.get("/quan-tri/tai-khoan");
    assert_eq!(users.status, 200);
    assert!(users.text().contains("chuyenvien.svhttdl"));
    let agencies = admin.get("/quan-tri/co-quan?q=so+tai+chinh");
    assert!(
        agencies.text().contains("Sở Tài chính"),
        "{}",
        agencies.text()
    );
    let reorganisations = admin.get("/quan-tri/sap-xep");
    assert_eq!(reorganisations.status, 200);
    assert!(reorganisations.text().contains("Sở Kế hoạch và Đầu tư"));
    let calendar = admin.get("/quan-tri/lich?nam=2025");
    assert!(calendar.text().contains("Quốc khánh") && calendar.text().contains("02/09/2025"));
    // An administrator tracks no task.
    assert_eq!(admin.get(&format!("/nhiem-vu/{task}")).status, 403);

    // A new account through the form: each missing field said, then created once.
    let token = csrf(&users);
    let r = admin.post_form(
        "/quan-tri/tai-khoan",
        &[
            ("csrf", &token),
            ("login", "chuyenvien.stc"),
            ("ho_ten", ""),
            ("vai_tro", "agency_officer"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"tai-khoan-ho_ten-loi\">Cần họ tên"));
    let finance = server
        .rt
        .block_on(server.store.find_agency("Sở Tài chính"))
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let r = admin.post_form(
        "/quan-tri/tai-khoan",
        &[
            ("csrf", &token),
            ("login", "chuyenvien.stc"),
            ("ho_ten", "Nguyễn Văn A"),
            ("vai_tro", "agency_officer"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"tai-khoan-co_quan-loi\">"));
    let new = [
        ("csrf", token.as_str()),
        ("login", "chuyenvien.stc"),
        ("ho_ten", "Nguyễn Văn A"),
        ("mat_khau", PASSWORD),
        ("vai_tro", "agency_officer"),
        ("co_quan", finance.as_str()),
    ];
    let r = admin.post_form("/quan-tri/tai-khoan", &new);
    assert_eq!(r.status, 303, "{}", r.text());
    let again = admin.post_form("/quan-tri/tai-khoan", &new);
    assert_eq!(again.status, 422);
    assert!(again.text().contains("id=\"tai-khoan-login-loi\">"));
    Browser::signed_in(&server, "chuyenvien.stc");

    // Not found: a page under /, JSON under /api.
    let r = admin.get("/khong-co-trang-nay");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Không tìm thấy"));
    let r = admin.get("/api/khong-co");
    assert_eq!((r.status, r.code().as_str()), (404, "no_route"));

    // The vendored files: from the binary, cached by version.
    let css_url = home
        .text()
        .split("href=\"/static/app.css")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|q| format!("/static/app.css{q}"))
        .unwrap();
    let css = Browser::new(&server).get(&css_url);
    assert_eq!(css.status, 200);
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    let htmx = Browser::new(&server).get("/static/htmx.min.js");
    assert_eq!(htmx.status, 200);
    assert!(htmx.text().starts_with("var htmx="));
}

/// Whether the task list as the monitor sees it, filtered by `timeliness` as of `as_of`, holds
/// the task.
fn listed(b: &mut Browser, timeliness: &str, as_of: &str, task: i64) -> bool {
    let r = b.get(&format!(
        "/nhiem-vu?timeliness={timeliness}&as_of={as_of}&limit=500"
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    r.text().contains(&format!("href=\"/nhiem-vu/{task}\""))
}

#[test]
fn settings_and_calendar_changes_through_the_admin_pages() {
    let server = Server::start(Db::Sqlite, "ui_settings");
    let document = server.import_model_case();
    // 2.3 is due "trong năm 2022": Saturday 31/12/2022, so in fact Tuesday 03/01/2023. On
    // 20/12/2022 nine working days are left; on 04/01/2023 it is overdue.
    let task = server.task(document, "2.3");
    let mut monitor = Browser::signed_in(&server, "vanphong");
    assert!(!listed(&mut monitor, "sap_den_han", "2022-12-20", task));
    assert!(listed(&mut monitor, "trong_han", "2022-12-20", task));
    assert!(listed(&mut monitor, "qua_han", "2023-01-04", task));
    let audit = |server: &Server| server.rt.block_on(server.store.audit_len()).unwrap();

    // Not the monitor's to change: refused, nothing written.
    assert_eq!(monitor.get("/quan-tri/cai-dat").status, 403);
    let token = csrf(&monitor.get("/nhiem-vu"));
    let before = audit(&server);
    let r = monitor.post_form(
        "/quan-tri/cai-dat",
        &[("csrf", &token), ("near_due_working_days", "10")],
    );
    assert_eq!(r.status, 403);
    let r = monitor.post_form(
        "/quan-tri/lich",
        &[
            ("csrf", &token),
            ("ngay", "2023-01-03"),
            ("loai", "day_off"),
            ("ghi_chu", "x"),
        ],
    );
    assert_eq!(r.status, 403);
    assert_eq!(audit(&server), before);

    // The settings form shows each setting with what is in force.
    let mut admin = Browser::signed_in(&server, "quantri");
    let page = admin.get("/quan-tri/cai-dat");
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Số ngày làm việc “sắp đến hạn”"), "{html}");
    assert!(html.contains("name=\"near_due_working_days\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" value=\"3\""));
    assert!(
        html.contains("value=\"3, 1\"") && html.contains("name=\"on_due_day\" value=\"1\" checked")
    );
    let token = csrf(&page);
    let form = |near: &str, first: &str| {
        vec![
            ("csrf", token.clone()),
            ("near_due_working_days", near.to_owned()),
            ("before_working_days", "5, 1".to_owned()),
            ("on_due_day", "1".to_owned()),
            ("overdue_first_working_days", first.to_owned()),
            ("overdue_every_working_days", "5".to_owned()),
            ("monitor_after_working_days", "5".to_owned()),
        ]
    };

    // Bad values: said next to their field, the form shown again as posted, nothing written.
    let before = audit(&server);
    let r = admin.post_form("/quan-tri/cai-dat", &refs(&form("mười", "1")));
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("id=\"cai-dat-near_due_working_days-loi\">Cần một số nguyên"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"mười\""));
    let r = admin.post_form("/quan-tri/cai-dat", &refs(&form("10", "0")));
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("id=\"cai-dat-overdue_first_working_days-loi\">Thông báo quá hạn đầu tiên"),
        "{}",
        r.text()
    );
    let r = admin.post_form("/quan-tri/cai-dat", &refs(&form("400", "1")));
    assert_eq!(r.status, 422);
    assert!(
        r.text()
            .contains("id=\"cai-dat-near_due_working_days-loi\">")
    );
    assert_eq!(audit(&server), before);
    assert!(!listed(&mut monitor, "sap_den_han", "2022-12-20", task));

    // Saved, twice (a double submit): written once, in force at once.
    for _ in 0..2 {
        let r = admin.post_form("/quan-tri/cai-dat", &refs(&form("10", "1")));
        assert_eq!(
            (r.status, location(&r)),
            (303, "/quan-tri/cai-dat?da_luu=1".to_owned()),
            "{}",
            r.text()
        );
    }
    assert_eq!(audit(&server), before + 1);
    let page = admin.get("/quan-tri/cai-dat?da_luu=1").text();
    assert!(page.contains("Đã lưu thiết lập") && page.contains("value=\"10\""));
    assert!(listed(&mut monitor, "sap_den_han", "2022-12-20", task));
    assert!(!listed(&mut monitor, "trong_han", "2022-12-20", task));
    let settings = server.rt.block_on(server.store.settings()).unwrap();
    assert_eq!(settings.near_due_working_days, 10);
    assert_eq!(settings.reminders.before_working_days, [5, 1]);

    // The calendar: bad input said next to its field, nothing written.
    let page = admin.get("/quan-tri/lich?nam=2023");
    assert!(page.text().contains("Chưa có ngày nào được khai báo"));
    let token = csrf(&page);
    let before = audit(&server);
    for (day, note, field) in [
        ("2023-02-30", "Quyết định thử", "ngay"),
        ("", "Quyết định thử", "ngay"),
        ("2023-01-03", " ", "ghi_chu"),
    ] {
        let r = admin.post_form(
            "/quan-tri/lich",
            &[
                ("csrf", &token),
                ("ngay", day),
                ("loai", "day_off"),
                ("ghi_chu", note),
            ],
        );
        assert_eq!(r.status, 422, "{day} {note}");
        assert!(
            r.text().contains(&format!("id=\"lich-them-{field}-loi\">")),
            "{}",
            r.text()
        );
    }
    assert_eq!(audit(&server), before);

    // A day off on 03/01/2023, posted twice: one declaration, and the due day moves to
    // 04/01/2023, when the task is then sắp đến hạn rather than overdue.
    let day_off = [
        ("csrf", token.as_str()),
        ("ngay", "2023-01-03"),
        ("loai", "day_off"),
        ("ghi_chu", "Quyết định 99/QĐ-TTg (thử): nghỉ thêm"),
    ];
    for _ in 0..2 {
        let r = admin.post_form("/quan-tri/lich", &day_off);
        assert_eq!(
            (r.status, location(&r)),
            (303, "/quan-tri/lich?nam=2023#thay-doi".to_owned()),
            "{}",
            r.text()
        );
    }
    let changes = server.rt.block_on(server.store.calendar_changes()).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(audit(&server), before + 1);
    let page = admin.get("/quan-tri/lich?nam=2023").text();
    assert!(
        page.contains("Nghỉ theo quyết định")
            && page.contains("Quyết định 99/QĐ-TTg (thử): nghỉ thêm")
    );
    assert!(page.contains("03/01/2023"));
    assert!(!listed(&mut monitor, "qua_han", "2023-01-04", task));
    assert!(listed(&mut monitor, "sap_den_han", "2023-01-04", task));
    // Another declaration of the same day is refused at the date.
    let r = admin.post_form(
        "/quan-tri/lich",
        &[
            ("csrf", &token),
            ("ngay", "2023-01-03"),
            ("loai", "working_day"),
            ("ghi_chu", "Khác"),
        ],
    );
    assert_eq!(r.status, 409);
    assert!(
        r.text()
            .contains("id=\"lich-them-ngay-loi\">Ngày 2023-01-03 đã được khai báo")
    );

    // Removed (twice: the second changes nothing), and the task is overdue again.
    let remove = format!("/quan-tri/lich/{}/xoa", changes[0].id);
    for _ in 0..2 {
        let r = admin.post_form(&remove, &[("csrf", &token), ("nam", "2023")]);
        assert_eq!(
            (r.status, location(&r)),
            (303, "/quan-tri/lich?nam=2023#thay-doi".to_owned())
        );
    }
    assert_eq!(audit(&server), before + 2);
    assert!(listed(&mut monitor, "qua_han", "2023-01-04", task));
    assert_eq!(monitor.get("/quan-tri/lich").status, 403);
}
