//! What enters nhiemvu from outside as something other than a plain file: an edXML package
//! (QCVN 102:2016) received from another document-management system, turned into a parsed
//! document ready to commit. One crate so that the command line (`nhiemvu import`) and the
//! API (`POST /api/documents`) read packages the same way.

/// A package read and its main attachment parsed, ready to commit.
#[derive(Debug)]
pub struct Received {
    /// The package as received: it is stored whole as the original.
    pub bytes: Vec<u8>,
    /// The main attachment's parse, with the header's metadata laid over it.
    pub parsed: doc_parse::Parsed,
    /// What the clerk should know (warnings of the reader, disagreements with the text).
    pub notes: Vec<String>,
}

/// Why a package gives no document to commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDocument {
    /// It could not be read.
    Unreadable(String),
    /// A rule refuses it (a revocation).
    Refused(String),
    /// It reports on a document rather than being one (a status message).
    Report(String),
}

impl std::fmt::Display for NotDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotDocument::Unreadable(r) | NotDocument::Report(r) => f.write_str(r),
            NotDocument::Refused(r) => write!(f, "bị từ chối: {r}"),
        }
    }
}

/// Whether a file is an edXML package, by its content (or, failing that, its `.edxml` name).
pub fn is_edxml(name: &str, bytes: &[u8]) -> bool {
    let named = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("edxml"));
    named || edxml::looks_like_edxml(&bytes[..bytes.len().min(4096)])
}

/// A package is stored whole as the original (format `edxml`): it is the record of what was
/// received, signature and appendices included, and `nhiemvu export` sends it on unchanged.
/// Its text is that of the main attachment (the first), read by the usual pipeline after the
/// exchange SDK's zip wrapping is removed. The header is what the sender's system registered,
/// so its metadata wins over what the parser read from the text; where code or date disagree
/// the document carries a warning.
///
/// A status message is reported, not imported. A revocation is refused: the store cannot
/// withdraw a document yet, and a clerk must act on it. Updates and replacements are imported
/// as documents of their own, with a note (the store keeps no versions).
pub fn edxml_package(bytes: Vec<u8>, name: String) -> Result<Received, NotDocument> {
    let reading = edxml::read(bytes.as_slice(), &edxml::Limits::default())
        .map_err(|e| NotDocument::Unreadable(e.to_string()))?;
    let mut notes: Vec<String> = reading.warnings.into_iter().map(|w| w.message).collect();
    let package = match reading.message {
        edxml::Message::Status(status) => {
            return Err(NotDocument::Report(describe_status(&status)));
        }
        edxml::Message::Package(p) => p,
    };
    let about = package
        .header
        .code
        .joined()
        .map_or_else(|| "không số".to_owned(), |c| format!("số {c}"));
    match package.business_kind() {
        edxml::BusinessKind::Revocation => {
            return Err(NotDocument::Refused(format!(
                "gói edXML thu hồi văn bản {about}; nhiemvu chưa tự thu hồi văn bản đã nhập, không nhập gói này — hãy xử lý thủ công"
            )));
        }
        kind @ (edxml::BusinessKind::Update | edxml::BusinessKind::Replacement) => {
            notes.push(format!(
                "gói edXML {} văn bản {about}: nhập như một văn bản riêng, văn bản đã nhập trước đó không bị sửa",
                if kind == edxml::BusinessKind::Update { "cập nhật" } else { "thay thế" }
            ));
        }
        edxml::BusinessKind::New => {}
    }
    let main = package.attachments.first().ok_or_else(|| {
        NotDocument::Unreadable(
            "gói edXML không có tệp đính kèm nào (không có văn bản để đọc)".to_owned(),
        )
    })?;
    let main_name = main
        .name
        .clone()
        .unwrap_or_else(|| "văn bản chính".to_owned());
    let options = ingest::Options::default();
    let payload = match main
        .unwrap_sdk_archive(options.limits.max_file_bytes)
        .map_err(|e| NotDocument::Unreadable(e.to_string()))?
    {
        Some((_, inner)) => inner,
        None => main.data.clone(),
    };
    if edxml::looks_like_edxml(&payload[..payload.len().min(4096)]) {
        return Err(NotDocument::Unreadable(format!(
            "tệp đính kèm chính {main_name} lại là một gói edXML (gói lồng trong gói); nhiemvu không đọc gói lồng nhau"
        )));
    }
    let extracted = ingest::read_bytes(&payload, &main_name, &options).map_err(|e| {
        NotDocument::Unreadable(format!("tệp đính kèm chính {main_name} của gói edXML: {e}"))
    })?;
    let source = doc_parse::SourceInfo {
        file: name,
        format: "edxml".to_owned(),
        sha256: ingest::hex_sha256(&bytes),
    };
    let mut parsed = doc_parse::parse(&extracted.text, source);
    apply_header(&mut parsed.document, &package.header, &mut notes);
    Ok(Received {
        bytes,
        parsed,
        notes,
    })
}

/// One line saying what a status message reports.
fn describe_status(s: &edxml::Status) -> String {
    let from = s
        .from
        .organ_name
        .as_deref()
        .or(s.from.organ_id.as_deref())
        .unwrap_or("đơn vị không rõ");
    let about = s
        .response_for
        .code
        .as_deref()
        .or(s.response_for.document_id.as_deref())
        .unwrap_or("không rõ số");
    let mut line = format!(
        "thông điệp trạng thái {} ({}) của {from} về văn bản {about}",
        s.code,
        s.code.label_vi()
    );
    if let Some(at) = &s.timestamp {
        line.push_str(&format!(", lúc {at}"));
    }
    if let Some(d) = &s.description {
        line.push_str(&format!(": \"{d}\""));
    }
    line.push_str("; không phải văn bản, không nhập");
    line
}

/// Lays the header's metadata over the parse of the main attachment.
fn apply_header(doc: &mut doc_parse::Document, h: &edxml::Header, notes: &mut Vec<String>) {
    let mut warn = |doc: &mut doc_parse::Document, code: &str, message: String| {
        notes.push(message.clone());
        doc.warnings.push(doc_parse::Warning {
            code: code.to_owned(),
            message,
            span: None,
        });
    };
    if let (Some(number), Some(notation)) = (&h.code.number, &h.code.notation) {
        let (number, symbol) = (clean(number), clean(notation));
        let code = format!("{number}/{symbol}");
        if let Some(read) = doc.code.clone().filter(|c| *c != code) {
            warn(
                doc,
                "edxml_code_mismatch",
                format!(
                    "số, ký hiệu trong gói edXML là {code} nhưng văn bản đính kèm ghi {read}; dùng số, ký hiệu của gói"
                ),
            );
        }
        doc.number = Some(number);
        doc.symbol = Some(symbol);
        doc.code = Some(code);
    }
    if let Some(date) = h.promulgation_date {
        let iso = date.to_string();
        if let Some(read) = doc.date.clone().filter(|d| *d != iso) {
            warn(
                doc,
                "edxml_date_mismatch",
                format!(
                    "ngày ban hành trong gói edXML là {iso} nhưng văn bản đính kèm ghi {read}; dùng ngày của gói"
                ),
            );
        }
        doc.date = Some(iso);
    }
    if let Some(place) = &h.place {
        doc.place = Some(clean(place));
    }
    if let Some(kind) = h.document_type.name.as_deref().and_then(kind_of_type_name) {
        doc.kind = Some(kind.to_owned());
    }
    if let Some(subject) = &h.subject {
        let subject = clean(subject);
        let bare = ["V/v", "V/V", "v/v"]
            .iter()
            .find_map(|p| subject.strip_prefix(p))
            .map_or(subject.as_str(), str::trim_start);
        doc.subject = Some(bare.to_owned());
    }
    let organ = h
        .from
        .organ_name
        .as_deref()
        .or(h.from.organization_in_charge.as_deref());
    if let Some(name) = organ {
        // The contract's issuer is the full name ("UBND" spelt out); when the text names the
        // same body its reading is kept, with its proper case and parent.
        let name = clean(name);
        let name = ["UBND ", "HĐND "]
            .iter()
            .zip(["Ủy ban nhân dân ", "Hội đồng nhân dân "])
            .find_map(|(short, full)| name.strip_prefix(short).map(|rest| format!("{full}{rest}")))
            .unwrap_or(name);
        doc.issuer = match doc.issuer.take() {
            Some(read) if vn_text::fold(&read.name) == vn_text::fold(&name) => Some(read),
            _ => Some(doc_parse::Issuer { name, parent: None }),
        };
    }
    let s = &h.signer;
    if s.competence.is_some() || s.position.is_some() || s.full_name.is_some() {
        let (authority, on_behalf_of) = s.competence.as_deref().map(competence).unwrap_or_default();
        let read = doc.signer.take().unwrap_or(doc_parse::Signer {
            authority: None,
            on_behalf_of: None,
            title: None,
            name: None,
        });
        doc.signer = Some(doc_parse::Signer {
            authority: authority.or(read.authority),
            on_behalf_of: on_behalf_of.or(read.on_behalf_of),
            title: s.position.as_deref().map(clean).or(read.title),
            name: s.full_name.as_deref().map(clean).or(read.name),
        });
    }
    // The lists only fill what the text does not give: the text has them in full, the
    // header often abbreviated.
    if doc.recipients.is_empty() {
        doc.recipients =
            h.to.iter()
                .filter_map(|o| o.organ_name.as_deref().map(clean))
                .collect();
    }
    if doc.copies_to.is_empty() {
        doc.copies_to = h.to_places.iter().map(|p| clean(p)).collect();
    }
    if doc.urgency.is_none() {
        doc.urgency = match h.other.priority {
            Some(1) => Some("KHẨN".to_owned()),
            Some(2) => Some("THƯỢNG KHẨN".to_owned()),
            Some(3 | 4) => Some("HỎA TỐC".to_owned()),
            _ => None,
        };
    }
}

/// NFC, known glyph slips repaired, runs of white space made one space.
fn clean(s: &str) -> String {
    vn_text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The contract kind a `TypeName` names ("Công văn" → `cong_van`).
fn kind_of_type_name(name: &str) -> Option<&'static str> {
    let key = vn_text::fold(name.trim());
    legal_ref::kinds::KINDS
        .iter()
        .find(|k| vn_text::fold(k.title) == key)
        .map(|k| k.code)
}

/// `SignerInfo/Competence` ("KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN") as the contract's
/// authority and on-behalf-of: the mark when it is one of the five, the rest in sentence case.
fn competence(text: &str) -> (Option<String>, Option<String>) {
    let text = clean(text);
    let Some((mark, rest)) = text.split_once('.') else {
        return (None, None);
    };
    let mark = mark.trim().to_uppercase();
    if !["TM", "KT", "Q", "TL", "TUQ"].contains(&mark.as_str()) {
        return (None, None);
    }
    let rest = rest.trim().to_lowercase();
    let mut chars = rest.chars();
    let on_behalf_of = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect::<String>());
    (Some(format!("{mark}.")), on_behalf_of)
}
