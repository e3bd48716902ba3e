//! The import-and-review pages over real HTTP, as a browser without scripts uses them: the
//! upload form (a repeated upload opens the same draft), the review page with the source
//! text marked (tasks, agencies, deadlines, citations linked to stored documents), the one
//! form of the proposal posted back with edits (a correction, split, merge, delete, add), the
//! problems shown next to their fields, a stale or repeated form writing nothing, and commit
//! (twice: one document).

mod common;

use common::{Db, MODEL_CASE, PASSWORD, Response, Server};

/// A sample directive that cites the model case (`examples/demo/`).
const FOLLOW_UP: &[u8] =
    include_bytes!("../../../examples/demo/03-lien-ket-vung-tiep-theo-2395.txt");

/// A signed-in browser: its cookies, forms posted as browsers post them.
struct Browser<'a> {
    server: &'a Server,
    cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    fn signed_in(server: &'a Server, login: &str) -> Browser<'a> {
        let mut b = Browser {
            server,
            cookies: Vec::new(),
        };
        let page = b.get("/dang-nhap");
        let csrf = field(&page.text(), "csrf");
        let r = b.post_form(
            "/dang-nhap",
            &[
                ("csrf", csrf),
                ("login", login.into()),
                ("password", PASSWORD.into()),
            ],
        );
        assert_eq!(r.status, 303, "sign-in of {login}");
        b
    }

    fn request(&mut self, method: &str, path: &str, ctype: Option<&str>, body: &[u8]) -> Response {
        let mut headers = Vec::new();
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        headers.push(("cookie".to_owned(), jar.join("; ")));
        if let Some(c) = ctype {
            headers.push(("content-type".to_owned(), c.to_owned()));
        }
        let r = common::raw(self.server.addr, method, path, &headers, body);
        for (k, v) in &r.headers {
            if k == "set-cookie" {
                let (name, value) = v.split(';').next().unwrap().split_once('=').unwrap();
                self.cookies.retain(|(k, _)| k != name);
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
        r
    }

    fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, None, b"")
    }

    fn post_form(&mut self, path: &str, fields: &[(&str, String)]) -> Response {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let ctype = "application/x-www-form-urlencoded";
        self.request("POST", path, Some(ctype), body.join("&").as_bytes())
    }

    fn upload(&mut self, csrf: &str, file: &str, bytes: &[u8]) -> Response {
        let b = "----nhiemvu-import-test";
        let mut body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{file}\"\r\n\
             Content-Type: text/plain\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
        let ctype = format!("multipart/form-data; boundary={b}");
        self.request("POST", "/nhap-van-ban", Some(&ctype), &body)
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Undoes the template's HTML escaping.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(unescape(&tag[start..start + tag[start..].find('"')?]))
}

/// The value of the first input named `name`.
fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).unwrap_or_else(|| panic!("no {name}")) + key.len();
    unescape(&html[start..start + html[start..].find('"').unwrap()])
}

/// What a browser would post for the form with this id: inputs (not buttons or files),
/// text areas, the chosen option of each select.
fn form_fields(html: &str, id: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("<form id=\"{id}\"")).expect("the form");
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            if !matches!(kind.as_str(), "submit" | "button" | "file") {
                out.push((
                    attr(tag, "name").unwrap(),
                    attr(tag, "value").unwrap_or_default(),
                ));
            }
        } else if tag.starts_with("<textarea") {
            let close = rest.find("</textarea>").unwrap();
            out.push((attr(tag, "name").unwrap(), unescape(&rest[end + 1..close])));
        } else if tag.starts_with("<select") {
            let close = rest.find("</select>").unwrap();
            let options: Vec<&str> = rest[end..close].split("<option").skip(1).collect();
            let chosen = options
                .iter()
                .find(|o| o.split('>').next().unwrap().contains(" selected"))
                .or(options.first())
                .unwrap();
            out.push((attr(tag, "name").unwrap(), attr(chosen, "value").unwrap()));
        }
        rest = &rest[end..];
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let slot = fields
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    slot.1 = value.to_owned();
}

fn get<'f>(fields: &'f [(String, String)], name: &str) -> &'f str {
    &fields.iter().find(|(k, _)| k == name).unwrap().1
}

/// Posts the review form with `action` to `path` (`/nhap-van-ban/ID` or `…/ghi`).
fn post(b: &mut Browser, path: &str, fields: &[(String, String)], action: &str) -> Response {
    let mut all: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    all.push(("action", action.to_owned()));
    b.post_form(path, &all)
}

fn location(r: &Response) -> String {
    r.header("location").unwrap_or_default()
}

/// The index of the task with this id on the form.
fn index_of(fields: &[(String, String)], id: &str) -> usize {
    let name = fields
        .iter()
        .find(|(k, v)| k.ends_with("].id") && v == id)
        .unwrap_or_else(|| panic!("no task {id}"))
        .0
        .clone();
    name["tasks[".len()..name.find(']').unwrap()]
        .parse()
        .unwrap()
}

fn task_count(fields: &[(String, String)]) -> usize {
    fields.iter().filter(|(k, _)| k.ends_with("].id")).count()
}

fn documents(server: &Server) -> Vec<serde_json::Value> {
    let r = server.login("vanphong").get("/api/documents");
    r.json()["items"].as_array().unwrap().clone()
}

#[test]
fn uploading_reviewing_and_committing_through_the_pages() {
    let server = Server::start(Db::Sqlite, "ui_import");
    let mut b = Browser::signed_in(&server, "vanphong");

    // Only those who may import see the page (the API's rule).
    let mut officer = Browser::signed_in(&server, "chuyenvien.svhttdl");
    assert_eq!(officer.get("/nhap-van-ban").status, 403);
    let list = b.get("/nhap-van-ban");
    assert_eq!(list.status, 200);
    let page = list.text();
    assert!(page.contains("<label for=\"tai-len-tep\">Tệp văn bản"));
    assert!(page.contains("href=\"/nhap-van-ban\" aria-current=\"page\""));
    assert!(page.contains("Không có bản nháp nào"));
    let csrf = field(&page, "csrf");

    // No file: said at the field.
    let r = b.upload(&csrf, "", b"");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("id=\"tai-len-tep-loi\">Cần chọn tệp"));

    // The model case becomes a draft; the same file again opens that draft.
    let r = b.upload(&csrf, "2395-UBND-KTTH.txt", MODEL_CASE);
    assert_eq!(r.status, 303, "{}", r.text());
    let draft = location(&r);
    assert!(draft.starts_with("/nhap-van-ban/"), "{draft}");
    let again = b.upload(&csrf, "2395-UBND-KTTH.txt", MODEL_CASE);
    assert_eq!(location(&again), format!("{draft}?xong=da-co"));
    assert!(b.get("/nhap-van-ban").text().contains("2395-UBND-KTTH.txt"));
    assert!(
        documents(&server).is_empty(),
        "nothing committed by an upload"
    );

    // The review page: the source text marked, 23 tasks in one form.
    let page = b.get(&draft);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<html lang=\"vi\">"));
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(html.contains("<span class=\"so-nv\" id=\"nguon-4\">NV 2.1.a</span>"));
    assert!(
        html.contains("<mark class=\"hl-cq\">Sở Kế hoạch và Đầu tư</mark>"),
        "the heading naming the agency"
    );
    assert!(html.contains("<mark class=\"hl-nv hl-th\">trong năm 2022</mark>"));
    assert!(
        html.contains("<mark class=\"hl-nv hl-vb\">Nghị quyết số 57/NQ-CP ngày 21/4/2022</mark>")
    );
    assert!(html.contains("href=\"#nguon-4\""));
    let mut fields = form_fields(&html, "ra-soat");
    assert_eq!(task_count(&fields), 23);
    let revision = get(&fields, "revision").to_owned();
    let a = index_of(&fields, "2.1.a");
    assert_eq!(
        get(&fields, &format!("tasks[{a}].lead[0].name")),
        "Sở Kế hoạch và Đầu tư"
    );
    assert_eq!(get(&fields, &format!("tasks[{a}].lead[0].kind")), "agency");
    assert_eq!(get(&fields, &format!("tasks[{a}].deadline.kind")), "none");

    // A correction: 2.1.a gets a deadline and a supporting agency; an unknown agency is said
    // at its field, and saved all the same (the reviewer fixes things in steps).
    set(&mut fields, &format!("tasks[{a}].deadline.kind"), "date");
    set(
        &mut fields,
        &format!("tasks[{a}].deadline.date"),
        "2030-06-30",
    );
    set(
        &mut fields,
        &format!("tasks[{a}].support[0].name"),
        "Sở Tài chính",
    );
    set(
        &mut fields,
        &format!("tasks[{a}].lead[1].name"),
        "Sở Không Có Thật",
    );
    let r = post(&mut b, &draft, &fields, "luu");
    assert_eq!(
        (r.status, location(&r)),
        (303, format!("{draft}?xong=luu")),
        "{}",
        r.text()
    );
    let html = b.get(&location(&r)).text();
    assert!(html.contains("Đã lưu bản nháp."));
    assert!(
        html.contains(&format!(
            "<p class=\"loi\" id=\"nv{a}-lead1-loi\">&#34;Sở Không Có Thật&#34; không có trong danh mục"
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "href=\"#nv{a}-lead1\">Nhiệm vụ 2.1.a — Chủ trì 2:"
    )));
    let saved = form_fields(&html, "ra-soat");
    assert_eq!(
        get(&saved, &format!("tasks[{a}].deadline.date")),
        "2030-06-30"
    );
    assert_eq!(
        get(&saved, &format!("tasks[{a}].support[0].name")),
        "Sở Tài chính"
    );
    assert_ne!(get(&saved, "revision"), revision);

    // The same form again (a double submit, or another reviewer's old page): nothing saved.
    set(
        &mut fields,
        &format!("tasks[{a}].deadline.date"),
        "2031-01-01",
    );
    let r = post(&mut b, &draft, &fields, "luu");
    assert_eq!(r.status, 409);
    assert!(r.text().contains("Biểu mẫu này đã được gửi"));
    let now = form_fields(&b.get(&draft).text(), "ra-soat");
    assert_eq!(
        get(&now, &format!("tasks[{a}].deadline.date")),
        "2030-06-30"
    );

    // Split at a line break; without one, the reason is said at the text.
    let mut fields = now;
    let c = index_of(&fields, "1.c");
    let r = post(&mut b, &draft, &fields, &format!("tach:{c}"));
    assert_eq!(r.status, 422);
    assert!(r.text().contains(&format!("id=\"nv{c}-text-loi\">Để tách")));
    let mut fields_now = form_fields(&r.text(), "ra-soat");
    let text = get(&fields_now, &format!("tasks[{c}].text")).to_owned();
    let (first, second) = text.split_once(", tranh thủ").unwrap();
    set(
        &mut fields_now,
        &format!("tasks[{c}].text"),
        &format!("{first}\r\ntranh thủ{second}"),
    );
    let r = post(&mut b, &draft, &fields_now, &format!("tach:{c}"));
    assert_eq!(location(&r), format!("{draft}?xong=tach#nv{c}"));
    fields = form_fields(&b.get(&draft).text(), "ra-soat");
    assert_eq!(task_count(&fields), 24);
    assert_eq!(get(&fields, &format!("tasks[{}].id", c + 1)), "1.c-2");
    assert!(get(&fields, &format!("tasks[{}].text", c + 1)).starts_with("tranh thủ"));
    // Merged back, then a task added and deleted.
    let r = post(&mut b, &draft, &fields, &format!("gop:{c}"));
    assert_eq!(r.status, 303);
    fields = form_fields(&b.get(&draft).text(), "ra-soat");
    assert_eq!(task_count(&fields), 23);
    assert_eq!(
        get(&fields, &format!("tasks[{c}].text")),
        text.replacen(", tranh thủ", "\ntranh thủ", 1)
    );
    let r = post(&mut b, &draft, &fields, "them");
    assert_eq!(location(&r), format!("{draft}?xong=them#nv23"));
    let html = b.get(&draft).text();
    assert!(
        html.contains("id=\"nv23-text-loi\">để trống"),
        "a new task needs its text"
    );
    fields = form_fields(&html, "ra-soat");
    assert_eq!(task_count(&fields), 24);

    // Commit while problems are left: nothing written, each problem said.
    let commit = format!("{draft}/ghi");
    let r = post(&mut b, &commit, &fields, "ghi");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("Chưa ghi được: đề xuất còn 2 lỗi"));
    assert!(documents(&server).is_empty());

    // Fixed (the added task deleted, the unknown agency removed), committed once.
    let r = post(&mut b, &draft, &form_fields(&r.text(), "ra-soat"), "xoa:23");
    assert_eq!(r.status, 303);
    let mut fields = form_fields(&b.get(&draft).text(), "ra-soat");
    set(&mut fields, &format!("tasks[{a}].lead[1].name"), "");
    let r = post(&mut b, &commit, &fields, "ghi");
    assert_eq!(r.status, 303, "{}", r.text());
    let document = location(&r);
    assert!(document.starts_with("/van-ban/"), "{document}");
    let again = post(&mut b, &commit, &fields, "ghi");
    assert_eq!((again.status, location(&again)), (303, document.clone()));
    assert_eq!(documents(&server).len(), 1);
    let id: i64 = document["/van-ban/".len()..].parse().unwrap();
    let task = server.task(id, "2.1.a");
    let stored = server
        .login("vanphong")
        .get(&format!("/api/tasks/{task}"))
        .json();
    assert_eq!(stored["deadlines"][0]["due_on"], "2030-06-30", "{stored}");
    assert!(b.get(&document).text().contains("2395/UBND-KTTH"));
    // The draft's page now says where it went, with no form.
    let html = b.get(&draft).text();
    assert!(html.contains(&format!("href=\"{document}\"")) && !html.contains("id=\"ra-soat\""));

    // A document citing the stored one links to it from its review page.
    let r = b.upload(&csrf, "03-lien-ket-vung-tiep-theo-2395.txt", FOLLOW_UP);
    let second = location(&r);
    let html = b.get(&second).text();
    assert!(
        html.contains(&format!(
            "<a class=\"hl-vb\" href=\"{document}\">Công văn số 2395/UBND-KTTH"
        )),
        "{html}"
    );
    assert!(
        html.contains("(chưa có trong hệ thống)"),
        "57/NQ-CP is not stored"
    );

    // Discarded: gone from the list; a second discard changes nothing.
    let discard = [("csrf", csrf.clone())];
    let r = b.post_form(&format!("{second}/huy"), &discard);
    assert_eq!(
        (r.status, location(&r)),
        (303, "/nhap-van-ban?xong=huy".to_owned())
    );
    let again = b.post_form(&format!("{second}/huy"), &discard);
    assert_eq!(again.status, 303);
    let list = b.get("/nhap-van-ban?xong=huy").text();
    assert!(
        list.contains("Đã hủy bản nháp.") && list.contains("Không có bản nháp nào"),
        "{list}"
    );
    assert!(b.get(&second).text().contains("đã bị hủy"));
}
