//! End to end in a real browser: Debian's headless Chromium driven through chromedriver's
//! WebDriver HTTP protocol (a small client over `TcpStream`, no client library), at an
//! office screen's 1366×768. The issue's acceptance flow: the monitor signs in with the
//! keyboard, uploads the model case, corrects a task in review and commits; Sở Kế hoạch và Đầu
//! tư's head hands the task to its officer, who starts it, reports progress with a file and
//! asks for an extension; the leader approves it; the officer reports it done and the monitor
//! confirms; the dashboard's counts move as they should. Every page visited is checked for
//! accessibility in the browser (language, one h1, a label for every field, alt text, no
//! duplicate id, and the contrast of every piece of text as rendered, WCAG AA) and
//! screenshotted to `$NHIEMVU_SCREENSHOTS`, else `target/screenshots`.
//!
//! Skipped, with a message, when chromedriver or Chromium is not installed (`.ci/run`
//! installs them through `scripts/system-deps`).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Db, PASSWORD, Server};
use serde_json::{Value, json};
use store::{Actor, NewUser, Role};

const PLANNING: &str = "Sở Kế hoạch và Đầu tư";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A program on the PATH.
fn program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Driver {
    fn start(program: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        let start = Instant::now();
        loop {
            if TcpStream::connect(driver.addr).is_ok()
                && call(driver.addr, "GET", "/status", None)["ready"] == true
            {
                return driver;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver not ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// One HTTP/1.1 exchange with chromedriver, which keeps the connection open whatever the
/// request says: the answer is read up to its Content-Length.
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut data = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "chromedriver closed the connection: {method} {path}");
        data.extend_from_slice(&buf[..n]);
        let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        if data.len() >= end + 4 + length {
            let status = head.split(' ').nth(1).unwrap().parse().unwrap();
            return (status, data[end + 4..end + 4 + length].to_vec());
        }
    }
}

/// One WebDriver command; its `value`. An error answer fails the test with its message.
fn call(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let (status, answer) = http(addr, method, path, &body);
    let v: Value = serde_json::from_slice(&answer).unwrap_or_else(|e| {
        panic!(
            "{method} {path}: not JSON ({e}): {}",
            String::from_utf8_lossy(&answer)
        )
    });
    let value = v["value"].clone();
    if status != 200 {
        panic!("{method} {path}: {status} {value}");
    }
    value
}

/// A browser session on the application.
struct Browser {
    driver: SocketAddr,
    session: String,
    base: String,
    shots: PathBuf,
    count: usize,
    /// Pages checked for accessibility, by path without query.
    checked: Vec<String>,
    /// Chromium's profile folder, removed at the end.
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        http(
            self.driver,
            "DELETE",
            &format!("/session/{}", self.session),
            "",
        );
        std::fs::remove_dir_all(&self.profile).ok();
    }
}

impl Browser {
    fn open(driver: &Driver, chromium: &Path, app: SocketAddr, shots: PathBuf) -> Browser {
        let profile = std::env::temp_dir().join(format!("nhiemvu-chromium-{}", std::process::id()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=vi",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let v = call(driver.addr, "POST", "/session", Some(caps));
        let b = Browser {
            driver: driver.addr,
            session: v["sessionId"].as_str().unwrap().to_owned(),
            base: format!("http://{app}"),
            shots,
            count: 0,
            checked: Vec::new(),
            profile,
        };
        b.cmd(
            "POST",
            "/window/rect",
            json!({"x": 0, "y": 0, "width": 1366, "height": 768}),
        );
        b
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let body = (method == "POST").then_some(body);
        call(
            self.driver,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
    }

    /// The path (and query) of the page shown.
    fn path(&self) -> String {
        let url = self.cmd("GET", "/url", Value::Null);
        url.as_str().unwrap()[self.base.len()..].to_owned()
    }

    fn goto(&mut self, path: &str) {
        self.cmd(
            "POST",
            "/url",
            json!({"url": format!("{}{path}", self.base)}),
        );
        self.visited();
    }

    fn find(&self, css: &str) -> Value {
        let v = self.cmd(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        let mut element = serde_json::Map::new();
        element.insert(ELEMENT.to_owned(), v[ELEMENT].clone());
        Value::Object(element)
    }

    fn id(el: &Value) -> String {
        el[ELEMENT].as_str().unwrap().to_owned()
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        self.cmd(
            "POST",
            &format!("/element/{}/click", Self::id(&el)),
            json!({}),
        );
    }

    fn type_in(&self, css: &str, text: &str) {
        let el = self.find(css);
        let id = Self::id(&el);
        self.cmd("POST", &format!("/element/{id}/clear"), json!({}));
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        );
    }

    /// Sets a field's value as a date picker would (typing into one depends on the locale).
    fn set_value(&self, css: &str, value: &str) {
        let el = self.find(css);
        self.js("arguments[0].value = arguments[1];", json!([el, value]));
    }

    /// Clicks a link or a submit button, then waits for the next page and checks it.
    fn follow(&mut self, css: &str) {
        self.js("window.__leaving = true;", json!([]));
        self.click(css);
        self.wait("the next page", |b| {
            b.js(
                "return !window.__leaving && document.readyState === 'complete';",
                json!([]),
            ) == true
        });
        self.visited();
    }

    fn wait(&self, what: &str, until: impl Fn(&Browser) -> bool) {
        let start = Instant::now();
        while !until(self) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited for {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn text(&self, css: &str) -> String {
        let el = self.find(css);
        let v = self.cmd(
            "GET",
            &format!("/element/{}/text", Self::id(&el)),
            Value::Null,
        );
        v.as_str().unwrap().to_owned()
    }

    fn page_text(&self) -> String {
        self.text("body")
    }

    /// Keys pressed on the page (WebDriver key codes for Tab, Enter).
    fn keys(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }

    /// The focused element's id.
    fn focused(&self) -> String {
        let v = self.js("return document.activeElement.id || document.activeElement.className || document.activeElement.tagName;", json!([]));
        v.as_str().unwrap_or_default().to_owned()
    }

    /// A screenshot and an accessibility check of the page now shown.
    fn visited(&mut self) {
        self.count += 1;
        let path = self.path();
        let name: String = path
            .split('?')
            .next()
            .unwrap()
            .trim_matches('/')
            .replace('/', "-");
        let name = if name.is_empty() { "tong-quan" } else { &name };
        let png = self.cmd("GET", "/screenshot", Value::Null);
        let file = self.shots.join(format!("{:02}-{name}.png", self.count));
        std::fs::write(&file, base64(png.as_str().unwrap())).unwrap();
        let problems = self.js(A11Y, json!([]));
        assert_eq!(problems, json!([]), "accessibility of {path}");
        self.checked
            .push(path.split('?').next().unwrap().to_owned());
    }

    fn sign_in(&mut self, login: &str) {
        self.goto("/dang-nhap");
        self.type_in("#dang-nhap-login", login);
        self.type_in("#dang-nhap-password", PASSWORD);
        self.follow("form[action='/dang-nhap'] button[type=submit]");
        assert!(!self.path().starts_with("/dang-nhap"), "{login} signed in");
    }

    fn sign_out(&mut self) {
        self.follow("form[action='/dang-xuat'] button");
        assert!(self.path().starts_with("/dang-nhap"));
    }

    /// The dashboard's five official counts.
    fn counts(&mut self) -> Vec<u64> {
        self.goto("/");
        let v = self.js(
            "return [...document.querySelectorAll('.o-so .gia-tri')].map(e => Number(e.textContent));",
            json!([]),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect()
    }
}

/// The accessibility check run in each page: the problems found, none expected.
const A11Y: &str = r#"
const problems = [];
if (document.documentElement.lang !== 'vi') problems.push('lang is not vi');
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(h1 + ' h1 elements');
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const label = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
    || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!label) problems.push('no label: ' + (el.name || el.outerHTML.slice(0, 80)));
}
for (const img of document.querySelectorAll('img')) {
  if (!img.hasAttribute('alt')) problems.push('no alt: ' + img.src);
}
for (const c of document.querySelectorAll('a[href], button')) {
  if (!c.textContent.trim() && !c.getAttribute('aria-label')) problems.push('no name: ' + c.outerHTML.slice(0, 80));
}
const ids = new Set();
for (const e of document.querySelectorAll('[id]')) {
  if (ids.has(e.id)) problems.push('duplicate id ' + e.id);
  ids.add(e.id);
}
// Contrast of every element's own text against what is behind it (WCAG 2: 4.5, large 3).
const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
const lum = c => {
  const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const behind = el => {
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c;
  }
  return [255, 255, 255];
};
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || el.closest('.an, [disabled]')) continue;
  let faded = false;
  for (let e = el; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 1) faded = true;
  if (faded) continue;
  const fg = rgb(style.color), bg = behind(el);
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const ratio = (hi + 0.05) / (lo + 0.05);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' of "' + el.textContent.trim().slice(0, 30) + '" (' + style.color + ' on ' + bg + ')');
}
return problems;
"#;

/// Standard base64, as WebDriver sends screenshots.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .map(value)
        .collect();
    digits
        .chunks(4)
        .flat_map(|q| {
            let n = q
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(q.len() - 1)
        })
        .collect()
}

fn add_planning_accounts(server: &Server) {
    server.rt.block_on(async {
        let hash = web::auth::hash_password(PASSWORD).unwrap();
        let agency = server.store.find_agency(PLANNING).await.unwrap().unwrap();
        for (login, role) in [
            ("giamdoc.skhdt", Role::AgencyHead),
            ("chuyenvien.skhdt", Role::AgencyOfficer),
        ] {
            let new = NewUser {
                login: login.into(),
                full_name: format!("Cán bộ {login}"),
                email: None,
                password_hash: Some(hash.clone()),
                roles: vec![role],
            };
            let id = server.store.create_user(&new, Actor::System).await.unwrap();
            server
                .store
                .add_membership(id, agency.id, Actor::System)
                .await
                .unwrap();
        }
    });
}

fn screenshots() -> PathBuf {
    let dir = std::env::var_os("NHIEMVU_SCREENSHOTS").map_or_else(
        || Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    // An earlier run's pictures (named `NN-page.png`) would mix with this run's.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let numbered = name.len() > 3 && name[..2].bytes().all(|b| b.is_ascii_digit());
        if numbered && &name[2..3] == "-" && name.ends_with(".png") {
            std::fs::remove_file(&path).unwrap();
        }
    }
    dir.canonicalize().unwrap()
}

#[test]
fn the_acceptance_flow_in_headless_chromium() {
    let (Some(driver), Some(chromium)) = (
        program(&["chromedriver"]),
        program(&["chromium", "chromium-browser"]),
    ) else {
        eprintln!(
            "chromedriver or chromium not installed: browser test skipped (Debian: apt install chromium chromium-driver)"
        );
        return;
    };
    let server = Server::start(Db::Sqlite, "browser");
    add_planning_accounts(&server);
    let shots = screenshots();
    let driver = Driver::start(&driver);
    let mut b = Browser::open(&driver, &chromium, server.addr, shots.clone());
    let files = std::env::temp_dir().join(format!("nhiemvu-browser-{}", std::process::id()));
    std::fs::create_dir_all(&files).unwrap();

    // The login form by keyboard alone: Tab reaches the skip link, the site's name, the login
    // field; Enter in the password field signs in.
    b.goto("/dang-nhap?tiep=%2F");
    let mut order = Vec::new();
    for _ in 0..3 {
        b.keys("\u{E004}");
        order.push(b.focused());
    }
    assert_eq!(order, ["bo-qua", "ten-he-thong", "dang-nhap-login"]);
    b.keys("vanphong\u{E004}");
    assert_eq!(b.focused(), "dang-nhap-password");
    b.js("window.__leaving = true;", json!([]));
    b.keys(&format!("{PASSWORD}\u{E007}"));
    b.wait("the dashboard", |b| {
        b.js(
            "return !window.__leaving && document.readyState === 'complete';",
            json!([]),
        ) == true
    });
    b.visited();
    assert_eq!(b.path(), "/");
    assert_eq!(b.counts(), [0, 0, 0, 0, 0], "nothing imported yet");

    // Upload the model case, correct 2.1.a (a deadline four months ahead), commit.
    b.follow("a[href='/nhap-van-ban']");
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/2395-UBND-KTTH.txt");
    let model = model.canonicalize().unwrap();
    let input = b.find("#tai-len-tep");
    b.cmd(
        "POST",
        &format!("/element/{}/value", Browser::id(&input)),
        json!({"text": model.display().to_string()}),
    );
    b.follow("#tai-len button[type=submit]");
    let draft = b.path();
    assert!(draft.starts_with("/nhap-van-ban/"), "{draft}");
    assert!(b.page_text().contains("Nhiệm vụ đề xuất (23)"));
    let i = b.js(
        "return [...document.querySelectorAll('input[name$=\"].id\"]')].findIndex(e => e.value === '2.1.a');",
        json!([]),
    );
    let i = i.as_u64().unwrap();
    let today = store::Timestamp::now().date_in_vietnam();
    let due = today.add_months(4).unwrap();
    b.click(&format!("#nv{i}-deadline-kind option[value='date']"));
    b.set_value(&format!("#nv{i}-deadline-date"), &due.to_string());
    b.follow("button[value='luu']");
    assert!(b.page_text().contains("Đã lưu bản nháp."));
    let kept = b.js(
        &format!("return document.querySelector('#nv{i}-deadline-date').value;"),
        json!([]),
    );
    assert_eq!(kept, json!(due.to_string()));
    b.follow("button[value='ghi']");
    let document = b.path();
    assert!(document.starts_with("/van-ban/"), "{document}");
    let document_id: i64 = document["/van-ban/".len()..].parse().unwrap();
    let task = server.task(document_id, "2.1.a");
    let before = b.counts();
    assert_eq!(before.iter().sum::<u64>(), 23);
    assert_eq!(before[0], 0, "nothing completed yet");
    b.goto(&format!("/nhiem-vu/{task}"));
    b.sign_out();

    // The head of Sở Kế hoạch và Đầu tư hands the task to the officer.
    b.sign_in("giamdoc.skhdt");
    assert_eq!(b.path(), "/nhiem-vu");
    b.goto(&format!("/nhiem-vu/{task}"));
    b.click("#giao-can_bo option[value='chuyenvien.skhdt']");
    b.follow("#giao button[type=submit]");
    assert!(b.page_text().contains("Đã giao nhiệm vụ cho cán bộ."));
    b.sign_out();

    // The officer starts it, reports progress with a file, asks for an extension.
    b.sign_in("chuyenvien.skhdt");
    b.follow(&format!("a[href='/nhiem-vu/{task}']"));
    b.follow("#trang-thai-start button[type=submit]");
    assert!(b.page_text().contains("Đã cập nhật trạng thái nhiệm vụ."));
    let evidence = files.join("bao-cao-quy-hoach-tinh.txt");
    std::fs::write(&evidence, "Báo cáo tiến độ lập Quy hoạch tỉnh\n").unwrap();
    b.type_in(
        "#bao-cao-noi_dung",
        "Đã trình Hội đồng thẩm định hồ sơ Quy hoạch tỉnh",
    );
    b.type_in("#bao-cao-phan_tram", "70");
    let input = b.find("#bao-cao-tep");
    b.cmd(
        "POST",
        &format!("/element/{}/value", Browser::id(&input)),
        json!({"text": evidence.display().to_string()}),
    );
    b.follow("#bao-cao button[type=submit]");
    let page = b.page_text();
    assert!(page.contains("Đã gửi báo cáo tiến độ."), "{page}");
    assert!(page.contains("bao-cao-quy-hoach-tinh.txt") && page.contains("hoàn thành 70%"));
    let proposed = due.add_months(1).unwrap();
    b.set_value("#gia-han-han_de_nghi", &proposed.to_string());
    b.type_in(
        "#gia-han-ly_do",
        "Chờ ý kiến thẩm định của Bộ Kế hoạch và Đầu tư",
    );
    b.follow("#gia-han button[type=submit]");
    assert!(b.page_text().contains("Đã gửi đề nghị gia hạn."));
    b.sign_out();

    // The leader approves it.
    b.sign_in("chutich");
    b.goto(&format!("/nhiem-vu/{task}"));
    b.click("form[id^='quyet-dinh-'] input[value='duyet']");
    b.follow("form[id^='quyet-dinh-'] button[type=submit]");
    assert!(
        b.page_text()
            .contains("Đã ghi quyết định về đề nghị gia hạn.")
    );
    assert!(b.page_text().contains("Đã duyệt"));
    b.sign_out();

    // The officer reports it done; the monitor confirms.
    b.sign_in("chuyenvien.skhdt");
    b.goto(&format!("/nhiem-vu/{task}"));
    b.follow("#trang-thai-report_done button[type=submit]");
    assert!(b.page_text().contains("Chờ xác nhận"));
    b.sign_out();
    b.sign_in("vanphong");
    b.goto(&format!("/nhiem-vu/{task}"));
    b.follow("#trang-thai-confirm button[type=submit]");
    assert!(b.page_text().contains("Hoàn thành"));

    // Completed on time: one more done on time, one fewer open in time; the rest as before.
    let after = b.counts();
    assert_eq!(after[0], before[0] + 1, "{before:?} → {after:?}");
    assert_eq!(after[2] + 1, before[2], "{before:?} → {after:?}");
    assert_eq!(
        (after[1], after[3], after[4]),
        (before[1], before[3], before[4])
    );
    assert_eq!(after.iter().sum::<u64>(), 23);

    // The other pages, checked too.
    for path in [
        "/nhiem-vu",
        "/van-ban",
        "/thong-bao",
        "/nhap-van-ban",
        &draft,
    ] {
        b.goto(path);
    }
    b.sign_out();
    b.sign_in("quantri");
    for path in [
        "/quan-tri/tai-khoan",
        "/quan-tri/co-quan",
        "/quan-tri/sap-xep",
        "/quan-tri/lich",
        "/quan-tri/cai-dat",
    ] {
        b.goto(path);
    }
    eprintln!(
        "browser: {} pages checked, screenshots in {}",
        b.checked.len(),
        shots.display()
    );
    std::fs::remove_dir_all(&files).ok();
}

#[test]
fn base64_decodes_what_webdriver_sends() {
    assert_eq!(base64("aGVsbG8="), b"hello");
    assert_eq!(base64("aGk="), b"hi");
    assert_eq!(base64("YWJj"), b"abc");
}
