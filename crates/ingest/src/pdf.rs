//! PDF: the text layer through poppler's `pdftotext -layout` (which keeps the two-column
//! header and signature blocks readable side by side), and OCR through `pdftoppm` at 300 dpi
//! and `tesseract -l vie` for pages without a usable text layer.
//!
//! A text layer is judged page by page. A page with almost no letters is a scan (signed scans
//! often carry only the digital-signature stamp as text). A layer in a legacy font encoding
//! (TCVN3/VNI fonts read as Latin-1) is decoded; a layer that still does not read as
//! Vietnamese after that — broken font maps, a bad OCR layer from a scanner app — is
//! replaced by our own OCR, since garbage text would poison every extractor downstream.

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::time::Duration;

use vn_text::legacy;

use crate::tools::{self, PDFINFO, PDFTOPPM, PDFTOTEXT, ScratchDir, TESSERACT};
use crate::{Error, Extracted, Format, Limits, Location, OcrMode, Options, TextBuilder};

/// Fewer letters than this on a page means there is no real text layer on it.
const MIN_LETTERS_PER_PAGE: usize = 120;
/// Below this share of well-formed Vietnamese words a text layer is considered garbage.
const MIN_VIETNAMESE_SCORE: f32 = 0.65;

pub(crate) fn read(bytes: &[u8], options: &Options) -> Result<Extracted, Error> {
    let limits = &options.limits;
    let scratch = ScratchDir::new()?;
    let path = scratch.write("input.pdf", bytes)?;
    let pages = page_count(&path, limits)?;
    if pages == 0 {
        return Err(Error::NoPages);
    }
    if pages > limits.max_pages {
        return Err(Error::TooManyPages { pages, limit: limits.max_pages });
    }

    let layer = text_layer(&path, limits)?;
    let mut page_texts: Vec<String> = layer.split('\u{000C}').map(str::to_owned).collect();
    page_texts.resize(pages as usize, String::new());
    page_texts.truncate(pages as usize);

    let mut notes = Vec::new();
    let mut encoding = None;
    let whole: String = page_texts.concat();
    if let Some(enc) = legacy::detect_mojibake(&whole) {
        encoding = Some(enc);
        for page in &mut page_texts {
            *page = legacy::decode_mojibake(page, enc);
        }
        notes.push(format!("Lớp chữ PDF dùng phông mã cũ {}, đã chuyển mã", enc.name()));
    }

    let mut builder = TextBuilder::new(limits.max_text_bytes);
    let mut ocr_pages = 0;
    let mut skipped: Vec<u32> = Vec::new();
    for (i, page_text) in page_texts.iter().enumerate() {
        let number = i as u32 + 1;
        let needs_ocr = match options.ocr {
            OcrMode::Always => true,
            OcrMode::Never => false,
            OcrMode::Auto => !usable(page_text),
        };
        if options.ocr == OcrMode::Never && !usable(page_text) {
            skipped.push(number);
            continue;
        }
        builder.mark(Location::Page(number));
        if needs_ocr {
            let text = ocr_page(&path, number, &scratch, limits)?;
            builder.push(&text)?;
            ocr_pages += 1;
        } else {
            builder.push(page_text)?;
        }
        builder.end_line()?;
    }
    if skipped.len() == page_texts.len() {
        return Err(Error::ScanWithoutOcr);
    }
    if !skipped.is_empty() {
        let list: Vec<String> = skipped.iter().map(u32::to_string).collect();
        notes.push(format!("Trang {} không có lớp chữ dùng được và không được nhận dạng (OCR tắt)", list.join(", ")));
    }
    let format = if ocr_pages > 0 { Format::PdfOcr } else { Format::Pdf };
    if ocr_pages > 0 {
        notes.push(format!("Đã nhận dạng chữ (OCR) {ocr_pages}/{pages} trang; cần soát lại số, ngày và tên riêng"));
    }
    let mut out = builder.finish(format);
    out.legacy_encoding = encoding;
    out.notes = notes;
    Ok(out)
}

fn timeout(limits: &Limits) -> Duration {
    Duration::from_secs(limits.tool_timeout_secs)
}

fn page_count(path: &Path, limits: &Limits) -> Result<u32, Error> {
    let out = tools::run(PDFINFO, &[path.as_os_str()], timeout(limits), 1 << 20)?;
    if !out.success {
        return Err(Error::BadPdf(first_line(&out.stderr)));
    }
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| Error::BadPdf("không xác định được số trang".to_owned()))
}

fn text_layer(path: &Path, limits: &Limits) -> Result<String, Error> {
    let args = [OsStr::new("-layout"), OsStr::new("-enc"), OsStr::new("UTF-8"), path.as_os_str(), OsStr::new("-")];
    let out = tools::run(PDFTOTEXT, &args, timeout(limits), limits.max_text_bytes)?;
    if !out.success {
        return Err(Error::BadPdf(first_line(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn usable(page_text: &str) -> bool {
    letters(&without_stamp(page_text)) >= MIN_LETTERS_PER_PAGE && vn_text::looks_vietnamese(page_text) >= MIN_VIETNAMESE_SCORE
}

/// The page without the lines of a digital-signature stamp, which signed scans carry as their
/// only text ("Người ký: …", "Email: …", "Thời gian ký: …").
fn without_stamp(page_text: &str) -> String {
    const MARKS: [&str; 8] = ["người ký", "ký bởi", "email", "@", "cơ quan:", "thời gian ký", "+07:00", "công báo"];
    page_text
        .lines()
        .filter(|l| {
            let lower = l.to_lowercase();
            !MARKS.iter().any(|m| lower.contains(m))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

fn ocr_page(pdf: &Path, page: u32, scratch: &ScratchDir, limits: &Limits) -> Result<String, Error> {
    let n = page.to_string();
    let prefix = scratch.path().join(format!("page-{page}"));
    let args: [OsString; 9] = [
        "-r".into(),
        "300".into(),
        "-gray".into(),
        "-png".into(),
        "-f".into(),
        n.clone().into(),
        "-l".into(),
        n.into(),
        "-singlefile".into(),
    ];
    let mut all: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
    all.push(pdf.as_os_str());
    all.push(prefix.as_os_str());
    let out = tools::run(PDFTOPPM, &all, timeout(limits), 1 << 20)?;
    if !out.success {
        return Err(Error::BadPdf(first_line(&out.stderr)));
    }
    let image = prefix.with_extension("png");
    let args = [image.as_os_str(), OsStr::new("stdout"), OsStr::new("-l"), OsStr::new("vie")];
    let out = tools::run(TESSERACT, &args, timeout(limits), limits.max_text_bytes)?;
    let _ = std::fs::remove_file(&image);
    if !out.success {
        if out.stderr.contains("vie") {
            return Err(Error::MissingTool { program: "tesseract (vie)", package: "tesseract-ocr-vie" });
        }
        return Err(Error::ToolFailed { program: "tesseract", detail: first_line(&out.stderr) });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn first_line(s: &str) -> String {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or("không rõ lỗi").trim().to_owned()
}
