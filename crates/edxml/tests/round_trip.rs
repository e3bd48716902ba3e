//! What nhiemvu writes reads back unchanged, and looks like what the exchange SDK writes.

use edxml::{
    Attachment, Business, BusinessKind, Code, DocumentType, Header, Limits, Message, Organ,
    OtherInfo, Package, Receiver, Replacement, ResponseFor, Signer, Staff, Status, StatusCode,
    Trace, UpdateInfo,
};
use vn_calendar::Date;

fn date(y: i32, m: u32, d: u32) -> Option<Date> {
    Some(Date::from_ymd(y, m, d).unwrap())
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn organ(id: &str, name: &str) -> Organ {
    Organ {
        organ_id: s(id),
        organization_in_charge: s("Ủy ban nhân dân tỉnh Quảng Ngãi"),
        organ_name: s(name),
        organ_add: s("52 Hùng Vương, TP. Quảng Ngãi"),
        email: s("vanthu@quangngai.gov.vn"),
        telephone: s("0255 3822 000"),
        fax: s("0255 3822 001"),
        website: s("https://quangngai.gov.vn"),
    }
}

/// A header with every field given, including text that needs escaping.
fn full_header() -> Header {
    Header {
        from: organ("000.00.00.H51", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
        to: vec![
            organ("000.01.00.H51", "Sở Tài chính"),
            organ("000.02.00.H51", "Sở Xây dựng <Quảng Ngãi> & \"cộng sự\""),
        ],
        document_id: s("000.00.00.H51,2022/05/20,2395/UBND-KTTH"),
        code: Code {
            number: s("2395"),
            notation: s("UBND-KTTH"),
        },
        place: s("Quảng Ngãi"),
        promulgation_date: date(2022, 5, 20),
        document_type: DocumentType {
            type_code: s("1"),
            detail: s("0"),
            name: s("Công văn"),
        },
        subject: s("V/v triển khai Nghị quyết số 57/NQ-CP; dòng hai\r\ndòng ba\tcó tab"),
        content: s("Tóm tắt: a < b && c > d"),
        signer: Signer {
            competence: s("KT. CHỦ TỊCH"),
            position: s("Phó Chủ tịch"),
            full_name: s("Trần Phước Hiền"),
        },
        due_date: date(2022, 6, 30),
        steering_type: s("1"),
        to_places: vec!["Như trên".to_owned(), "Lưu: VT, KTTH".to_owned()],
        other: OtherInfo {
            priority: Some(1),
            sphere_of_promulgation: s("Lưu hành nội bộ"),
            typer_notation: s("NVA"),
            promulgation_amount: Some(12),
            page_amount: Some(3),
            direction: Some(true),
            appendixes: vec!["Phụ lục I".to_owned(), "Phụ lục II".to_owned()],
        },
        response_for: vec![ResponseFor {
            organ_id: s("000.00.00.G22"),
            code: s("57/NQ-CP"),
            promulgation_date: date(2022, 4, 21),
            document_id: s("000.00.00.G22,2022/04/21,57/NQ-CP"),
        }],
    }
}

fn read_back(message: &Message) -> Message {
    let bytes = edxml::to_vec(message);
    assert!(edxml::looks_like_edxml(&bytes[..1024.min(bytes.len())]));
    let reading = edxml::read(bytes.as_slice(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", e.detail(), String::from_utf8_lossy(&bytes)));
    assert!(reading.warnings.is_empty(), "{:?}", reading.warnings);
    reading.message
}

#[test]
fn a_package_with_every_field_reads_back_identical() {
    let every_byte: Vec<u8> = (0..=255u8).cycle().take(10_001).collect();
    let package = Package {
        header: full_header(),
        traces: vec![
            Trace {
                organ_id: s("000.00.00.H51"),
                timestamp: s("2022/05/20 08:30:00"),
            },
            Trace {
                organ_id: None,
                timestamp: s("2022/05/20 08:30:01"),
            },
        ],
        business: Some(Business {
            kind: BusinessKind::Update,
            reason: s("Cập nhật văn bản điện tử"),
            document_id: s("000.00.00.H51,2022/05/20,2395/UBND-KTTH"),
            paper: s("0"),
            staff: Some(Staff {
                department: s("Văn thư"),
                staff: s("Nguyễn Thị A"),
                email: s("a@quangngai.gov.vn"),
                mobile: s("0912000001"),
            }),
            update: Some(UpdateInfo {
                document_info: s("1"),
                document_receiver: s("1"),
                receivers: vec![Receiver {
                    organ_id: s("000.01.00.H51"),
                    receiver_type: s("0"),
                }],
            }),
            replaces: vec![Replacement {
                document_id: s("000.00.00.H51,2022/05/01,2300/UBND-KTTH"),
                organ_ids: vec!["000.01.00.H51".to_owned(), "000.02.00.H51".to_owned()],
            }],
        }),
        attachments: vec![
            Attachment {
                description: s("Văn bản chính"),
                ..Attachment::new("2395-UBND-KTTH.pdf", "application/pdf", every_byte)
            },
            Attachment::new(
                "phu-luc.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                b"PK".to_vec(),
            ),
            Attachment::new("rỗng.txt", "text/plain", Vec::new()),
        ],
    };
    let message = Message::Package(package);
    assert_eq!(read_back(&message), message);
}

#[test]
fn a_stored_document_and_a_generated_report_read_back_identical() {
    let directive = Package::new_document(
        full_header(),
        Attachment::new(
            "2395-UBND-KTTH.txt",
            "text/plain",
            "Số: 2395/UBND-KTTH".as_bytes().to_vec(),
        ),
    );
    assert_eq!(directive.business_kind(), BusinessKind::New);
    let message = Message::Package(directive.clone());
    assert_eq!(read_back(&message), message);

    // A completion report answering the directive.
    let header = Header {
        from: organ("000.01.00.H51", "Sở Tài chính"),
        to: vec![organ("000.00.00.H51", "Ủy ban nhân dân tỉnh Quảng Ngãi")],
        code: Code {
            number: s("120"),
            notation: s("BC-STC"),
        },
        promulgation_date: date(2022, 7, 1),
        document_type: DocumentType {
            type_code: s("1"),
            detail: None,
            name: s("Báo cáo"),
        },
        subject: s("Báo cáo kết quả thực hiện Công văn số 2395/UBND-KTTH"),
        ..Header::default()
    };
    let report = Package::report(
        header,
        Attachment::new(
            "bao-cao.json",
            "application/json",
            br#"{"tasks": 23}"#.to_vec(),
        ),
        Some(ResponseFor::to(&directive.header)),
    );
    assert_eq!(
        report.header.response_for[0].code.as_deref(),
        Some("2395/UBND-KTTH")
    );
    let message = Message::Package(report);
    assert_eq!(read_back(&message), message);
}

#[test]
fn every_status_message_reads_back_identical() {
    let about = ResponseFor::to(&full_header());
    for code in StatusCode::ALL {
        let status = Status::new(
            organ("000.01.00.H51", "Sở Tài chính"),
            about.clone(),
            code,
            "2022/05/21 09:00:00".to_owned(),
        );
        let message = Message::Status(status);
        assert_eq!(read_back(&message), message, "{code}");
        let text = String::from_utf8(edxml::to_vec(&message)).unwrap();
        assert!(
            text.contains(&format!("<edXML:StatusCode>{code}</edXML:StatusCode>")),
            "{text}"
        );
    }
    assert_eq!(StatusCode::Arrived.to_string(), "01");
    assert_eq!(StatusCode::ChangeRejected.as_str(), "16");
}

/// The elements come in the order the SDK writes them, under the same names and namespaces.
#[test]
fn the_layout_follows_the_sdk() {
    let package = Package::new_document(
        full_header(),
        Attachment::new("a.txt", "text/plain", b"abc".to_vec()),
    );
    let text = String::from_utf8(edxml::to_vec(&Message::Package(package))).unwrap();
    assert!(text.starts_with(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"{0}\">\n  <edXML:edXMLEnvelope xmlns:edXML=\"{0}\">\n    <edXML:edXMLHeader>\n      <edXML:MessageHeader>\n        <edXML:From>\n",
        edxml::NAMESPACE
    )));
    let order = [
        "<edXML:From>",
        "<edXML:To>",
        "<edXML:DocumentId>",
        "<edXML:Code>",
        "<edXML:PromulgationInfo>",
        "<edXML:DocumentType>",
        "<edXML:Subject>",
        "<edXML:Content>",
        "<edXML:SignerInfo>",
        "<edXML:DueDate>",
        "<edXML:OtherInfo>",
        "<edXML:ResponseFor>",
        "<edXML:SteeringType>",
        "<edXML:ToPlaces>",
        "</edXML:MessageHeader>",
        "<edXML:TraceHeaderList>",
        "<edXML:Bussiness>",
        "<edXML:BussinessDocType>0</edXML:BussinessDocType>",
        "</edXML:edXMLHeader>",
        "<edXML:edXMLBody>",
        "<edXML:edXMLManifest version=\"1.0\">",
        "<edXML:Reference>",
        "</edXML:edXMLEnvelope>",
        "<AttachmentEncoded>",
        "<Attachment>",
        "<ContentId>cid:",
        "<edXML:ContentTransferEncoded xmlns:edXML=",
        "YWJj</edXML:ContentTransferEncoded>",
        "</edXML>",
    ];
    let mut from = 0;
    for tag in order {
        let at = text[from..]
            .find(tag)
            .unwrap_or_else(|| panic!("{tag} missing or out of order in:\n{text}"));
        from += at;
    }
    assert!(text.contains("<edXML:Subject>V/v triển khai Nghị quyết số 57/NQ-CP; dòng hai&#13;\ndòng ba\tcó tab</edXML:Subject>"));
    assert!(text.contains("Sở Xây dựng &lt;Quảng Ngãi&gt; &amp; \"cộng sự\""));
}

#[test]
fn the_same_file_gets_the_same_content_id() {
    let a = Attachment::new("a.pdf", "application/pdf", b"%PDF-1.4".to_vec());
    let b = Attachment::new("a.pdf", "application/pdf", b"%PDF-1.4".to_vec());
    let c = Attachment::new("b.pdf", "application/pdf", b"%PDF-1.4".to_vec());
    assert_eq!(a.content_id, b.content_id);
    assert_ne!(a.content_id, c.content_id);
    assert!(a.content_id.as_deref().unwrap().starts_with("cid:"));
}

#[test]
fn sniffing_finds_packages_by_content() {
    assert!(edxml::looks_like_edxml(
        b"1212<?xml version=\"1.0\"?>\n<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">"
    ));
    assert!(!edxml::looks_like_edxml(b"%PDF-1.7"));
    assert!(!edxml::looks_like_edxml(b"%PDF-1.7 <edXML QCVN_102_2016"));
    assert!(!edxml::looks_like_edxml(
        "Gói edXML theo QCVN_102_2016 gồm phần đầu và tệp đính kèm".as_bytes()
    ));
    assert!(!edxml::looks_like_edxml("Số: 2395/UBND-KTTH".as_bytes()));
}
