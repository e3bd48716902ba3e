//! Every package and status message of the shared corpus (`../shared/corpus/edxml`, skipped
//! when absent) is read, or refused with a precise reason: one table row per file.

use std::path::{Path, PathBuf};

use edxml::{BusinessKind, Error, Limits, Message, StatusCode};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/edxml");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: corpus not found at {} (../shared/corpus beside the project)",
            dir.display()
        );
        None
    }
}

/// What a file must give.
enum Expect {
    /// A document package: type name, `number/notation`, attachments, business type, and the
    /// warning codes in order.
    Package {
        type_name: &'static str,
        code: &'static str,
        attachments: usize,
        business: BusinessKind,
        warnings: &'static [&'static str],
    },
    /// A status message with this code about the document with this code.
    Status {
        code: StatusCode,
        about: &'static str,
    },
    /// Refused because an attachment is not base64: its name and where the bad text starts.
    BadBase64 {
        attachment: &'static str,
        text_at: &'static str,
    },
}

use Expect::*;

const SIGNED: &[&str] = &["signature_not_verified"];

const TABLE: &[(&str, Expect)] = &[
    // The SDK's JMeter template: the attachment is a placeholder, not base64.
    (
        "resources_edoc.edxml",
        BadBase64 {
            attachment: "GUIDE_INSTALL OPENVPN.SIGNED.PDF",
            text_at: "${__StringFromFile",
        },
    ),
    // Starts with "1212" before the XML declaration: said, skipped, read.
    (
        "resources_edoc_new.edxml",
        Package {
            type_name: "Công văn",
            code: "74fass22/VPCP-TTĐT",
            attachments: 1,
            business: BusinessKind::New,
            warnings: &["stray_bytes", "signature_not_verified"],
        },
    ),
    (
        "resources_edoc_replacement.edxml",
        Package {
            type_name: "Công văn",
            code: "7816/VPCP-TTĐT",
            attachments: 1,
            business: BusinessKind::Replacement,
            warnings: SIGNED,
        },
    ),
    (
        "resources_edoc_revocation.edxml",
        Package {
            type_name: "Công văn",
            code: "7816/VPCP-TTĐT",
            attachments: 1,
            business: BusinessKind::Revocation,
            warnings: SIGNED,
        },
    ),
    (
        "resources_edoc_update.edxml",
        Package {
            type_name: "Công văn",
            code: "7816/VPCP-TTĐT",
            attachments: 1,
            business: BusinessKind::Update,
            warnings: SIGNED,
        },
    ),
    (
        "resources_status.edxml",
        Status {
            code: StatusCode::Arrived,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_acceptance_03.edxml",
        Status {
            code: StatusCode::Accepted,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_assignment_04.edxml",
        Status {
            code: StatusCode::Assigned,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_cancellation_13.edxml",
        Status {
            code: StatusCode::RecallRequested,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_change-acceptance_15.edxml",
        Status {
            code: StatusCode::ChangeAccepted,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_change-rejection_16.edxml",
        Status {
            code: StatusCode::ChangeRejected,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_finish_06.edxml",
        Status {
            code: StatusCode::Completed,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_inbox_01.edxml",
        Status {
            code: StatusCode::Arrived,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_processing_05.edxml",
        Status {
            code: StatusCode::Processing,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "resources_status_rejection_02.edxml",
        Status {
            code: StatusCode::Rejected,
            about: "7816/VPCP-TTĐT",
        },
    ),
    (
        "uploads_1da394ba-2117-4354-a23f-6ec3e47ba81b.edxml",
        Package {
            type_name: "Công văn",
            code: "20251020104803/GW-AUTO",
            attachments: 3,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
    // No Bussiness element: a new document, as the standard's default.
    (
        "uploads_1f881896-6e3a-4a5f-87f1-c380878e148e.edxml",
        Package {
            type_name: "Công văn",
            code: "20251016110432/GW-AUTO",
            attachments: 3,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
    (
        "uploads_b6e1f29d-cdc9-4fa7-8391-442e8566f14e.edxml",
        Package {
            type_name: "Công văn",
            code: "20251016112435/GW-AUTO",
            attachments: 2,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
    (
        "uploads_bb5d2f68-bbce-49da-aa9a-2197cabec3bf.edxml",
        Package {
            type_name: "Công văn",
            code: "20251017160104/GW-AUTO",
            attachments: 3,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
    (
        "uploads_bdb98a62-a2be-4c25-9075-8dcdbcdb1402.edxml",
        Package {
            type_name: "Công văn",
            code: "20251017160055/GW-AUTO",
            attachments: 3,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
    (
        "xml_2019_5_852e179c-8eca-4502-ac38-0b97321f29c3.edxml",
        Package {
            type_name: "Thông tư",
            code: "1223412/PRO-TEST-CASE1",
            attachments: 1,
            business: BusinessKind::New,
            warnings: SIGNED,
        },
    ),
    (
        "xml_2025_10_874e0f18-90dc-45fb-989a-65401470ba84.edxml",
        Package {
            type_name: "Công văn",
            code: "BINTEST123/GW-AUTO",
            attachments: 1,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
    (
        "xml_2025_10_9e272474-0603-48a2-b525-9cd1af689612.edxml",
        Package {
            type_name: "Báo cáo",
            code: "202545/VPCP-TTĐT",
            attachments: 1,
            business: BusinessKind::New,
            warnings: &[],
        },
    ),
];

#[test]
fn every_corpus_file_is_read_or_refused_precisely() {
    let Some(dir) = corpus() else { return };
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".edxml"))
        .collect();
    listed.sort();
    let named: Vec<&str> = TABLE.iter().map(|(f, _)| *f).collect();
    assert_eq!(listed, named, "the table names every file of the corpus");

    for (file, expect) in TABLE {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let result = edxml::read(bytes.as_slice(), &Limits::default());
        match (expect, result) {
            (
                Package {
                    type_name,
                    code,
                    attachments,
                    business,
                    warnings,
                },
                Ok(reading),
            ) => {
                let Message::Package(p) = &reading.message else {
                    panic!("{file}: a status message, expected a package")
                };
                assert_eq!(
                    p.header.document_type.name.as_deref(),
                    Some(*type_name),
                    "{file}"
                );
                assert_eq!(p.header.code.joined().as_deref(), Some(*code), "{file}");
                assert_eq!(p.attachments.len(), *attachments, "{file}");
                assert_eq!(p.business_kind(), *business, "{file}");
                let codes: Vec<&str> = reading.warnings.iter().map(|w| w.code).collect();
                assert_eq!(codes, *warnings, "{file}: {:?}", reading.warnings);
                assert!(p.header.promulgation_date.is_some(), "{file}");
                assert!(p.header.subject.is_some(), "{file}");
                for a in &p.attachments {
                    assert!(!a.data.is_empty() && a.name.is_some(), "{file}: {a:?}");
                }
            }
            (Status { code, about }, Ok(reading)) => {
                let Message::Status(s) = &reading.message else {
                    panic!("{file}: a package, expected a status message")
                };
                assert_eq!(s.code, *code, "{file}");
                assert_eq!(s.response_for.code.as_deref(), Some(*about), "{file}");
                assert!(s.from.organ_id.is_some() && s.timestamp.is_some(), "{file}");
                assert!(
                    reading.warnings.is_empty(),
                    "{file}: {:?}",
                    reading.warnings
                );
            }
            (
                BadBase64 {
                    attachment,
                    text_at,
                },
                Err(e),
            ) => {
                let at = bytes
                    .windows(text_at.len())
                    .position(|w| w == text_at.as_bytes())
                    .unwrap() as u64;
                match &e {
                    Error::Base64 {
                        attachment: a,
                        position,
                        offset,
                        ..
                    } => {
                        assert_eq!(a, attachment, "{file}");
                        assert_eq!((*position, *offset), (1, at), "{file}: {e}");
                    }
                    other => panic!("{file}: {other:?}"),
                }
                println!("{file}: {e}");
            }
            (_, Ok(reading)) => panic!("{file}: read, expected a refusal: {reading:?}"),
            (_, Err(e)) => panic!("{file}: refused: {e} ({})", e.detail()),
        }
    }
}

/// The details of the richest packages, beyond the table.
#[test]
fn header_fields_business_blocks_and_attachments_are_read() {
    let Some(dir) = corpus() else { return };
    let read = |file: &str| {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        match edxml::read(bytes.as_slice(), &Limits::default())
            .unwrap()
            .message
        {
            Message::Package(p) => p,
            Message::Status(s) => panic!("{file}: {s:?}"),
        }
    };
    let update = read("resources_edoc_update.edxml");
    let h = &update.header;
    assert_eq!(h.from.organ_id.as_deref(), Some("000.00.00.G22"));
    assert_eq!(h.from.organ_name.as_deref(), Some("Văn phòng Chính phủ"));
    assert_eq!(h.to.len(), 3);
    assert_eq!(h.to[0].organ_name.as_deref(), Some("UBND Tỉnh Nghệ An"));
    assert_eq!(h.place.as_deref(), Some("Hà Nội"));
    assert_eq!(h.promulgation_date.unwrap().to_string(), "2018-09-28");
    assert_eq!(h.due_date.unwrap().to_string(), "2018-09-28");
    assert_eq!(h.signer.competence.as_deref(), Some("TL. BO TRUONG"));
    assert_eq!(h.signer.full_name.as_deref(), Some("Nguyen Thanh Phuc"));
    assert_eq!(h.steering_type.as_deref(), Some("1"));
    assert_eq!(h.to_places.len(), 2);
    assert_eq!(h.other.page_amount, Some(22));
    assert_eq!(h.other.direction, Some(false));
    let business = update.business.as_ref().unwrap();
    assert_eq!(business.reason.as_deref(), Some("Cập nhật văn bản điện tử"));
    let receivers = &business.update.as_ref().unwrap().receivers;
    assert_eq!(receivers.len(), 2);
    assert_eq!(receivers[1].receiver_type.as_deref(), Some("1"));
    assert_eq!(
        business.staff.as_ref().unwrap().staff.as_deref(),
        Some("Nguyễn Thị Ngọc Trâm")
    );
    let a = &update.attachments[0];
    assert_eq!(a.name.as_deref(), Some("1896_QD-TTg_m_294779.doc"));
    assert_eq!(a.content_type.as_deref(), Some("application/zip"));
    assert_eq!(a.description.as_deref(), Some("1896_QD-TTg_m_294779.doc"));
    assert_eq!(a.data.len(), 270_823);

    let replacement = read("resources_edoc_replacement.edxml");
    let replaces = &replacement.business.unwrap().replaces;
    assert_eq!(replaces.len(), 2);
    assert_eq!(replaces[0].organ_ids, ["000.00.00.H41", "000.00.00.H14"]);

    let revocation = read("resources_edoc_revocation.edxml");
    let answered = &revocation.header.response_for;
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].code.as_deref(), Some("267/VPCP-TTĐT"));

    // `<edXML:ResponseFor />` means none.
    let y2019 = read("xml_2019_5_852e179c-8eca-4502-ac38-0b97321f29c3.edxml");
    assert!(y2019.header.response_for.is_empty());
    assert_eq!(y2019.traces.len(), 2);

    // The SDK zips every attachment, whatever ContentType says: the file inside is reached.
    let pdf = read("xml_2025_10_874e0f18-90dc-45fb-989a-65401470ba84.edxml");
    assert_eq!(
        pdf.attachments[0].content_type.as_deref(),
        Some("application/pdf")
    );
    let (name, inner) = pdf.attachments[0]
        .unwrap_sdk_archive(1 << 20)
        .unwrap()
        .unwrap();
    assert!(name.ends_with(".pdf"), "{name}");
    assert!(inner.starts_with(b"%PDF-"));
    assert!(matches!(
        pdf.attachments[0].unwrap_sdk_archive(1000),
        Err(Error::AttachmentTooLarge { limit: 1000, .. })
    ));
    let texts = read("uploads_1da394ba-2117-4354-a23f-6ec3e47ba81b.edxml");
    let inner: Vec<Vec<u8>> = texts
        .attachments
        .iter()
        .map(|a| a.unwrap_sdk_archive(1 << 20).unwrap().unwrap().1)
        .collect();
    assert_eq!(inner, [b"LOCAL AGG A", b"LOCAL AGG B", b"LOCAL AGG C"]);
    // A plain PDF attachment is not an archive.
    let raw = read("xml_2025_10_9e272474-0603-48a2-b525-9cd1af689612.edxml");
    assert!(
        raw.attachments[0]
            .unwrap_sdk_archive(1 << 20)
            .unwrap()
            .is_none()
    );
}

/// Everything the corpus gives survives writing and reading again.
#[test]
fn corpus_packages_round_trip_through_the_writer() {
    let Some(dir) = corpus() else { return };
    for (file, _) in TABLE {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let Ok(first) = edxml::read(bytes.as_slice(), &Limits::default()) else {
            continue;
        };
        let written = edxml::to_vec(&first.message);
        let again = edxml::read(written.as_slice(), &Limits::default())
            .unwrap_or_else(|e| panic!("{file}: {e} ({})", e.detail()));
        assert_eq!(again.message, first.message, "{file}");
        assert!(again.warnings.is_empty(), "{file}: {:?}", again.warnings);
    }
}

/// The writer lays packages out as the exchange SDK does: its 2025 output is reproduced byte
/// for byte.
#[test]
fn the_writer_reproduces_the_sdk_layout() {
    let Some(dir) = corpus() else { return };
    for file in [
        "uploads_1da394ba-2117-4354-a23f-6ec3e47ba81b.edxml",
        "uploads_bb5d2f68-bbce-49da-aa9a-2197cabec3bf.edxml",
        "uploads_bdb98a62-a2be-4c25-9075-8dcdbcdb1402.edxml",
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let reading = edxml::read(bytes.as_slice(), &Limits::default()).unwrap();
        let written = edxml::to_vec(&reading.message);
        assert!(
            written == bytes,
            "{file}: written differs from the SDK's:\n{}",
            String::from_utf8_lossy(&written)
        );
    }
}
