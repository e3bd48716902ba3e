//! `nhiemvu export CODE --edxml [-o FILE]`: a stored document as an edXML package
//! (QCVN 102:2016) for the exchange platforms.
//!
//! A document that came in as a package is stored as that package, and goes out as it came:
//! the same header and attachments (the sender's signature, which re-serialising would break
//! anyway, is not carried), with a trace header of ours added when `--organ-id` says who we
//! are. Any other document goes out as a new package built from its stored metadata, with the
//! original file as its one attachment.
//!
//! Exit status: 0 written, 1 no such document, 2 usage, an ambiguous code or an unreadable
//! stored package.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;
use store::{DocumentCode, StoredDocument};

use crate::database::{DatabaseArgs, block_on};

/// Arguments of `nhiemvu export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Số, ký hiệu của văn bản đã lưu (ví dụ 2395/UBND-KTTH)
    code: String,
    /// Xuất thành gói edXML theo QCVN 102:2016 (hiện là định dạng duy nhất)
    #[arg(long)]
    edxml: bool,
    /// Năm ban hành, khi số, ký hiệu trùng giữa các năm
    #[arg(long)]
    year: Option<i32>,
    /// Ghi gói vào tệp này (mặc định: in ra đầu ra chuẩn)
    #[arg(short = 'o', long = "output", value_name = "TỆP")]
    output: Option<PathBuf>,
    /// Mã định danh của cơ quan mình (OrganId theo QCVN 102, ví dụ 000.00.00.H51)
    #[arg(long, value_name = "MÃ")]
    organ_id: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    if !args.edxml {
        eprintln!("nhiemvu: cách dùng: nhiemvu export SỐ/KÝ-HIỆU --edxml [-o TỆP]");
        return Ok(ExitCode::from(2));
    }
    let Ok(code) = args.code.parse::<DocumentCode>() else {
        eprintln!("nhiemvu: số, ký hiệu văn bản không hợp lệ: {:?}", args.code);
        return Ok(ExitCode::from(2));
    };
    block_on(export(args, code))
}

async fn export(args: ExportArgs, code: DocumentCode) -> anyhow::Result<ExitCode> {
    let store = args.database.open().await?;
    let ids = store.documents_by_code(&code, args.year).await?;
    let found = match ids.as_slice() {
        [] => None,
        [id] => Some((
            store.document(*id).await?,
            store.document_original(*id).await?,
        )),
        _ => {
            let mut which = Vec::new();
            for id in &ids {
                let d = store.document(*id).await?;
                which.push(format!(
                    "#{id} ({}, năm {})",
                    d.issuer.as_deref().unwrap_or("không rõ cơ quan"),
                    d.year.map_or_else(|| "?".to_owned(), |y| y.to_string())
                ));
            }
            store.close().await;
            eprintln!(
                "nhiemvu: có {} văn bản số {code}: {}; chọn bằng --year",
                ids.len(),
                which.join(", ")
            );
            return Ok(ExitCode::from(2));
        }
    };
    store.close().await;
    let Some((document, original)) = found else {
        eprintln!("nhiemvu: không có văn bản {code} trong cơ sở dữ liệu");
        return Ok(ExitCode::from(1));
    };
    let package = match package_of(&document, original, args.organ_id.as_deref()) {
        Ok(p) => p,
        Err(reason) => {
            eprintln!("nhiemvu: văn bản {code}: {reason}");
            return Ok(ExitCode::from(2));
        }
    };
    let attachments = package.attachments.len();
    let bytes = edxml::to_vec(&edxml::Message::Package(package));
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            eprintln!(
                "đã ghi gói edXML của văn bản {code} ({attachments} tệp đính kèm) vào {}",
                path.display()
            );
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The package for a stored document: the package it came in, or one built from its metadata.
fn package_of(
    document: &StoredDocument,
    original: Vec<u8>,
    organ_id: Option<&str>,
) -> Result<edxml::Package, String> {
    let trace = edxml::Trace {
        organ_id: organ_id.map(str::to_owned),
        timestamp: Some(now_in_vietnam()),
    };
    if document.format == "edxml" {
        let reading = edxml::read(original.as_slice(), &edxml::Limits::default())
            .map_err(|e| format!("gói edXML đã lưu không đọc được: {e}"))?;
        let edxml::Message::Package(mut package) = reading.message else {
            return Err("bản gốc đã lưu là thông điệp trạng thái, không phải văn bản".to_owned());
        };
        if organ_id.is_some() {
            package.traces.push(trace);
        }
        return Ok(package);
    }
    let meta = &document.parse_result;
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let list = |key: &str| -> Vec<String> {
        meta.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let code = document.code.as_ref().map(|c| c.to_string());
    let date = document.issued_on;
    let signer = meta.get("signer").filter(|s| s.is_object());
    let competence = signer.and_then(|s| {
        let authority = text(s, "authority")?;
        Some(match text(s, "on_behalf_of") {
            Some(whom) => format!("{authority} {}", whom.to_uppercase()),
            None => authority,
        })
    });
    let header = edxml::Header {
        from: edxml::Organ {
            organ_id: organ_id.map(str::to_owned),
            organ_name: document.issuer.clone(),
            ..edxml::Organ::default()
        },
        to: list("recipients")
            .into_iter()
            .map(|name| edxml::Organ {
                organ_name: Some(name),
                ..edxml::Organ::default()
            })
            .collect(),
        // The SDK's form `OrganId,yyyy/MM/dd,code` when we know who we are; the file's hash
        // otherwise, which is as unique and stable.
        document_id: Some(match (organ_id, date, &code) {
            (Some(id), Some(d), Some(c)) => {
                format!("{id},{:04}/{:02}/{:02},{c}", d.year(), d.month(), d.day())
            }
            _ => document.sha256.to_string(),
        }),
        code: edxml::Code {
            number: text(meta, "number"),
            notation: text(meta, "symbol"),
        },
        place: text(meta, "place"),
        promulgation_date: date,
        document_type: edxml::DocumentType {
            // The SDK's samples write 1 for every administrative document.
            type_code: Some("1".to_owned()),
            detail: None,
            name: document.kind.as_deref().and_then(type_name),
        },
        subject: document.subject.clone(),
        signer: edxml::Signer {
            competence,
            position: signer.and_then(|s| text(s, "title")),
            full_name: signer.and_then(|s| text(s, "name")),
        },
        to_places: list("copies_to"),
        other: edxml::OtherInfo {
            priority: Some(match text(meta, "urgency").as_deref() {
                Some("KHẨN") => 1,
                Some("THƯỢNG KHẨN") => 2,
                Some("HỎA TỐC") => 3,
                _ => 0,
            }),
            ..edxml::OtherInfo::default()
        },
        ..edxml::Header::default()
    };
    let content_type = content_type(&original);
    let mut package = edxml::Package::new_document(
        header,
        edxml::Attachment::new(&document.file_name, content_type, original),
    );
    package.traces.push(trace);
    Ok(package)
}

/// The `TypeName` of a contract kind ("cong_van" → "Công văn").
fn type_name(kind: &str) -> Option<String> {
    legal_ref::kinds::KINDS
        .iter()
        .find(|k| k.code == kind && kind != "khac")
        .map(|k| k.title.to_owned())
}

/// The media type of an original, from its content.
fn content_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"PK\x03\x04") {
        if bytes.windows(3).any(|w| w == b"xl/") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "application/msword"
    } else {
        "text/plain"
    }
}

/// Now in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), as trace headers write it:
/// `yyyy/MM/dd HH:mm:ss`.
fn now_in_vietnam() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        + 7 * 3600;
    let (days, of_day) = (seconds / 86_400, seconds % 86_400);
    let date = vn_calendar::Date::from_days_since_epoch(days as i32)
        .expect("today is within the calendar's range");
    format!(
        "{:04}/{:02}/{:02} {:02}:{:02}:{:02}",
        date.year(),
        date.month(),
        date.day(),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}
