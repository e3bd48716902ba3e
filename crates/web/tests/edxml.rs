//! edXML packages over the API: `POST /api/documents` reads a package as `nhiemvu import`
//! does (the `intake` crate), and refuses a status message with its own code. Reads packages
//! from `../shared/corpus/edxml` and says it is skipped when the corpus is absent.

mod common;

use common::{Db, Server};

fn corpus(name: &str) -> Option<Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/edxml")
        .join(name);
    std::fs::read(&path).ok()
}

#[test]
fn packages_are_imported_and_status_messages_refused() {
    let (Some(package), Some(status)) = (
        corpus("uploads_b6e1f29d-cdc9-4fa7-8391-442e8566f14e.edxml"),
        corpus("resources_status_finish_06.edxml"),
    ) else {
        println!("skipped: ../shared/corpus/edxml not found");
        return;
    };
    let server = Server::start(Db::Sqlite, "edxml");
    let monitor = server.login("vanphong");
    // Named without the .edxml extension: recognised by content.
    let r = monitor.request(
        "POST",
        "/api/documents?file_name=goi-tin.xml",
        &[("content-type", "application/xml")],
        &package,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["document"].as_i64().unwrap();
    let doc = monitor.get(&format!("/api/documents/{id}"));
    assert_eq!(doc.status, 200, "{}", doc.text());
    let text = doc.text();
    assert!(
        text.contains("20251016112435/GW-AUTO") && text.contains("edxml"),
        "{text}"
    );

    let r = monitor.request(
        "POST",
        "/api/documents?file_name=trang-thai.edxml",
        &[("content-type", "application/xml")],
        &status,
    );
    assert_eq!(
        (r.status, r.code().as_str()),
        (422, "not_a_document"),
        "{}",
        r.text()
    );
    assert!(
        r.json()["message"].as_str().unwrap().contains("06"),
        "{}",
        r.text()
    );
}
