//! Hostile packages, built here, are refused quickly, with a typed error and bounded memory.

use std::io::Read;
use std::time::{Duration, Instant};

use edxml::{Error, Limits, Message};

const NS: &str = edxml::NAMESPACE;

/// A refusal must come well within this, on a debug build and a busy machine.
const QUICK: Duration = Duration::from_secs(10);

fn refused(input: &[u8]) -> Error {
    refused_with(input, &Limits::default())
}

fn refused_with(input: &[u8], limits: &Limits) -> Error {
    let started = Instant::now();
    let result = edxml::read(input, limits);
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    match result {
        Ok(r) => panic!("read, expected a refusal: {r:?}"),
        Err(e) => {
            // Both languages are there for every error.
            assert!(!e.to_string().is_empty() && !e.detail().is_empty());
            e
        }
    }
}

/// A minimal package around one attachment's encoded text.
fn package_with_attachment(encoded: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"{NS}\"><edXML:edXMLEnvelope xmlns:edXML=\"{NS}\">\
         <edXML:edXMLHeader><edXML:MessageHeader><edXML:Subject>x</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader>\
         </edXML:edXMLEnvelope><AttachmentEncoded><Attachment><AttachmentName>a.pdf</AttachmentName>\
         <ContentTransferEncoded>{encoded}</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>"
    )
}

#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut dtd = String::from("<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE edXML [{dtd}]><edXML xmlns=\"{NS}\">&lol9;</edXML>"
    );
    let e = refused(xml.as_bytes());
    assert!(matches!(e, Error::Doctype { .. }), "{e:?}");
    assert!(e.to_string().contains("DOCTYPE"), "{e}");
}

#[test]
fn external_entities_are_refused() {
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
         <edXML xmlns=\"{NS}\"><edXML:Subject>&xxe;</edXML:Subject></edXML>"
    );
    assert!(matches!(refused(xml.as_bytes()), Error::Doctype { .. }));
    // An external DTD alone is refused too: it is never fetched.
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE edXML SYSTEM \"http://example.invalid/x.dtd\"><edXML xmlns=\"{NS}\"/>"
    );
    assert!(matches!(refused(xml.as_bytes()), Error::Doctype { .. }));
    // Without a DTD an entity reference can only be undefined.
    let xml = format!("<edXML xmlns=\"{NS}\"><Subject>&xxe;</Subject></edXML>");
    match refused(xml.as_bytes()) {
        Error::UnknownEntity { name, .. } => assert_eq!(name, "xxe"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn ten_thousand_deep_nesting_is_refused_at_the_depth_limit() {
    let depth = 10_000;
    let xml = format!(
        "<edXML xmlns=\"{NS}\">{}{}</edXML>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    match refused(xml.as_bytes()) {
        Error::TooDeep { limit, .. } => assert_eq!(limit, 64),
        e => panic!("{e:?}"),
    }
}

#[test]
fn too_many_elements_are_refused() {
    let xml = format!("<edXML xmlns=\"{NS}\">{}</edXML>", "<a/>".repeat(20_000));
    assert!(matches!(
        refused(xml.as_bytes()),
        Error::TooManyElements { limit: 10_000 }
    ));
}

#[test]
fn oversized_text_nodes_attributes_and_comments_are_refused() {
    let big = "x".repeat(200_000);
    for xml in [
        format!("<edXML xmlns=\"{NS}\"><Subject>{big}</Subject></edXML>"),
        format!("<edXML xmlns=\"{NS}\" a=\"{big}\"></edXML>"),
        format!("<edXML xmlns=\"{NS}\"><!--{big}--></edXML>"),
    ] {
        match refused(xml.as_bytes()) {
            Error::NodeTooLarge { limit, .. } => assert_eq!(limit, 64 * 1024),
            e => panic!("{e:?}"),
        }
    }
}

/// An input of `total` bytes made on the fly: `head`, then `fill` repeated, then `tail`;
/// it counts what it hands out, so a test can tell how far the reader went.
struct Generated {
    head: Vec<u8>,
    fill: u8,
    fill_len: u64,
    tail: Vec<u8>,
    pos: u64,
}

impl Generated {
    fn new(head: &str, fill: u8, fill_len: u64, tail: &str) -> Generated {
        Generated {
            head: head.as_bytes().to_vec(),
            fill,
            fill_len,
            tail: tail.as_bytes().to_vec(),
            pos: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let head = self.head.len() as u64;
        let end_fill = head + self.fill_len;
        let total = end_fill + self.tail.len() as u64;
        let mut n = 0;
        while n < out.len() && self.pos < total {
            let room = out.len() - n;
            let take = if self.pos < head {
                let from = self.pos as usize;
                let k = room.min(self.head.len() - from);
                out[n..n + k].copy_from_slice(&self.head[from..from + k]);
                k
            } else if self.pos < end_fill {
                let k = room.min((end_fill - self.pos).min(usize::MAX as u64) as usize);
                out[n..n + k].fill(self.fill);
                k
            } else {
                let from = (self.pos - end_fill) as usize;
                let k = room.min(self.tail.len() - from);
                out[n..n + k].copy_from_slice(&self.tail[from..from + k]);
                k
            };
            n += take;
            self.pos += take as u64;
        }
        Ok(n)
    }
}

/// Peak resident memory of this process, in bytes (Linux); `None` elsewhere.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The 2 GB attachment. edXML declares no sizes, so "declaring" 2 GB means sending 2 GB of
/// base64 (2.7 GB of text). The input here is generated on the fly and never exists in memory;
/// the reader streams attachment text straight into the decoder, checks the decoded size
/// before each chunk, and stops at the 64 MiB attachment limit — having read about 85 MiB of
/// the 2.7 GB. The counter of the generator proves it stopped there; the process's peak
/// memory proves nothing near 2 GB was allocated.
#[test]
fn a_two_gigabyte_attachment_is_refused_at_the_limit_without_being_read() {
    let encoded_len: u64 = (2u64 << 30) / 3 * 4;
    let (head, tail) = {
        let p = package_with_attachment("@");
        let (h, t) = p.split_once('@').unwrap();
        (h.to_owned(), t.to_owned())
    };
    let mut input = Generated::new(&head, b'A', encoded_len, &tail);
    let limits = Limits::default();
    let started = Instant::now();
    let result = edxml::read(&mut input, &limits);
    let elapsed = started.elapsed();
    match result {
        Err(Error::AttachmentTooLarge { attachment, limit }) => {
            assert_eq!(attachment, "a.pdf");
            assert_eq!(limit, limits.max_attachment_bytes);
        }
        other => panic!("{other:?}"),
    }
    let read = input.pos;
    assert!(
        read <= limits.max_attachment_bytes / 3 * 4 + 2 * 65_536 + head.len() as u64,
        "read {read} bytes"
    );
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    if let Some(peak) = peak_rss() {
        assert!(peak < 512 << 20, "peak memory {peak} bytes");
    }
    println!(
        "2 GB attachment: refused after reading {} MiB in {elapsed:?}",
        read >> 20
    );
}

/// The same refusal, fast: a small limit and an attachment just past it.
#[test]
fn an_attachment_past_its_limit_is_refused_before_decoding_the_excess() {
    let limits = Limits {
        max_attachment_bytes: 3000,
        ..Limits::default()
    };
    let ok = package_with_attachment(&"AAAA".repeat(1000));
    let Message::Package(p) = edxml::read(ok.as_bytes(), &limits).unwrap().message else {
        panic!()
    };
    assert_eq!(p.attachments[0].data.len(), 3000);
    let over = package_with_attachment(&"AAAA".repeat(1001));
    assert!(matches!(
        refused_with(over.as_bytes(), &limits),
        Error::AttachmentTooLarge { limit: 3000, .. }
    ));
    // All attachments together are bounded too.
    let limits = Limits {
        max_total_attachment_bytes: 4000,
        ..Limits::default()
    };
    let attachment = "<Attachment><AttachmentName>b</AttachmentName><ContentTransferEncoded>"
        .to_owned()
        + &"AAAA".repeat(1000)
        + "</ContentTransferEncoded></Attachment>";
    let two = package_with_attachment(&"AAAA".repeat(1000)).replace(
        "</AttachmentEncoded>",
        &format!("{attachment}</AttachmentEncoded>"),
    );
    match refused_with(two.as_bytes(), &limits) {
        Error::AttachmentsTooLarge { attachment, limit } => {
            assert_eq!((attachment.as_str(), limit), ("b", 4000));
        }
        e => panic!("{e:?}"),
    }
}

/// Endless white space inside an attachment decodes to nothing, so the attachment limit never
/// trips: the input limit does.
#[test]
fn endless_input_is_refused_at_the_input_limit() {
    let (head, tail) = {
        let p = package_with_attachment("@");
        let (h, t) = p.split_once('@').unwrap();
        (h.to_owned(), t.to_owned())
    };
    let limits = Limits {
        max_input_bytes: 4 << 20,
        ..Limits::default()
    };
    let mut input = Generated::new(&head, b' ', 1 << 40, &tail);
    match edxml::read(&mut input, &limits) {
        Err(Error::InputTooLarge { limit }) => assert_eq!(limit, 4 << 20),
        other => panic!("{other:?}"),
    }
    assert!(input.pos <= (4 << 20) + 65_536);
    // And a huge text node outside attachments stops at the node limit.
    let mut input = Generated::new(
        &format!("<edXML xmlns=\"{NS}\"><Subject>"),
        b'x',
        1 << 40,
        "</Subject></edXML>",
    );
    assert!(matches!(
        edxml::read(&mut input, &Limits::default()),
        Err(Error::NodeTooLarge { .. })
    ));
    assert!(input.pos < 1 << 20);
}

#[test]
fn invalid_base64_is_refused_with_its_position() {
    let text = "QUJD\nREVG*0hJ";
    let xml = package_with_attachment(text);
    match refused(xml.as_bytes()) {
        Error::Base64 {
            attachment,
            position,
            offset,
            problem,
        } => {
            assert_eq!(attachment, "a.pdf");
            assert_eq!(position, 10);
            assert_eq!(&xml.as_bytes()[offset as usize..offset as usize + 1], b"*");
            assert_eq!(problem, edxml::base64::Problem::Character(b'*'));
        }
        e => panic!("{e:?}"),
    }
    for (text, problem) in [
        ("QUJ", edxml::base64::Problem::Incomplete),
        ("QQ==QQ==", edxml::base64::Problem::AfterPadding(b'Q')),
        ("Q=Q=", edxml::base64::Problem::MisplacedPadding),
        ("QUJD&#65;", edxml::base64::Problem::Character(b'&')),
    ] {
        match refused(package_with_attachment(text).as_bytes()) {
            Error::Base64 { problem: p, .. } => assert_eq!(p, problem, "{text}"),
            e => panic!("{text}: {e:?}"),
        }
    }
}

#[test]
fn not_xml_not_edxml_and_broken_xml_say_what_they_are() {
    assert!(matches!(
        refused(b"%PDF-1.7 binary binary binary"),
        Error::NotXml { .. }
    ));
    match refused(b"<?xml version=\"1.0\"?><w:document xmlns:w=\"urn:x\"/>") {
        Error::NotEdxml { root, namespace } => {
            assert_eq!(root, "document");
            assert_eq!(namespace.as_deref(), Some("urn:x"));
        }
        e => panic!("{e:?}"),
    }
    let cut = package_with_attachment("QUJD");
    let cut = &cut.as_bytes()[..cut.len() - 40];
    assert!(matches!(refused(cut), Error::Syntax { .. }));
    assert!(matches!(
        refused(format!("<edXML xmlns=\"{NS}\"><a></b></edXML>").as_bytes()),
        Error::Syntax { .. }
    ));
    assert!(matches!(
        refused(format!("<?xml version=\"1.0\" encoding=\"windows-1258\"?><edXML xmlns=\"{NS}\"/>").as_bytes()),
        Error::Encoding(e) if e == "windows-1258"
    ));
    match refused(
        format!("<edXML xmlns=\"{NS}\"><edXML:edXMLEnvelope xmlns:edXML=\"{NS}\"/></edXML>")
            .as_bytes(),
    ) {
        Error::Missing { element, parent } => {
            assert_eq!((element, parent), ("edXMLHeader", "edXMLEnvelope"))
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn stray_bytes_before_the_declaration_are_reported_and_skipped() {
    let xml = format!("1212{}", package_with_attachment("QUJD"));
    let reading = edxml::read(xml.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(reading.warnings.len(), 1);
    let w = &reading.warnings[0];
    assert_eq!(w.code, "stray_bytes");
    assert!(
        w.message.contains("4 byte")
            && w.message.contains("\"1212\"")
            && w.message.contains("31 32 31 32"),
        "{}",
        w.message
    );
    let Message::Package(p) = reading.message else {
        panic!()
    };
    assert_eq!(p.attachments[0].data, b"ABC");
}

#[test]
fn unknown_status_codes_and_business_types_are_refused() {
    let status = |code: &str| {
        format!(
            "<edXML xmlns=\"{NS}\"><edXMLEnvelope><edXMLHeader><MessageHeader>\
             <ResponseFor><Code>1/X</Code></ResponseFor><StatusCode>{code}</StatusCode>\
             </MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"
        )
    };
    assert!(matches!(
        edxml::read(status("05").as_bytes(), &Limits::default()).unwrap().message,
        Message::Status(s) if s.code == edxml::StatusCode::Processing
    ));
    assert!(matches!(refused(status("09").as_bytes()), Error::UnknownStatus(c) if c == "09"));
    assert!(matches!(
        refused(status("abc").as_bytes()),
        Error::BadValue {
            element: "StatusCode",
            ..
        }
    ));
    let business = format!(
        "<edXML xmlns=\"{NS}\"><edXMLEnvelope><edXMLHeader><MessageHeader/><TraceHeaderList>\
         <Bussiness><BussinessDocType>7</BussinessDocType></Bussiness></TraceHeaderList>\
         </edXMLHeader></edXMLEnvelope></edXML>"
    );
    assert!(matches!(
        refused(business.as_bytes()),
        Error::BadValue {
            element: "BussinessDocType",
            ..
        }
    ));
}
