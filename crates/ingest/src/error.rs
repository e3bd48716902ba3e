//! One error type for every reader; messages are for the official who uploaded the file.

use std::path::Path;

/// Why a file could not be read. Messages are Vietnamese: they reach users as they are.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened or read.
    #[error("không đọc được tệp {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A directory was given where a file was expected.
    #[error("đây là thư mục, không phải tệp")]
    NotAFile,
    /// The file has no content.
    #[error("tệp rỗng")]
    Empty,
    /// The file is larger than the limit.
    #[error("tệp quá lớn ({size} byte, giới hạn {limit} byte)")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The content is neither a document format we know nor text.
    #[error("tệp không phải văn bản hay định dạng được hỗ trợ (TXT, DOCX, DOC, PDF)")]
    NotText,
    /// A DOCX (zip) that is damaged or is not a Word document.
    #[error("tệp DOCX bị hỏng hoặc không phải văn bản Word: {0}")]
    BadDocx(String),
    /// An XLSX (zip) that is damaged or is not an Excel workbook.
    #[error("tệp XLSX bị hỏng hoặc không phải bảng tính Excel: {0}")]
    BadXlsx(String),
    /// A DOCX or XLSX whose parts expand past the limit: a zip bomb, or far beyond any
    /// directive or task sheet.
    #[error("tệp nén (DOCX, XLSX) giải nén vượt giới hạn {limit} byte (nghi là tệp nén độc hại)")]
    ExpansionLimit {
        /// The limit.
        limit: u64,
    },
    /// A PDF that the PDF tools could not open.
    #[error("tệp PDF bị hỏng hoặc không mở được: {0}")]
    BadPdf(String),
    /// A PDF without a single page.
    #[error("tệp PDF không có trang nào")]
    NoPages,
    /// A PDF longer than the page limit.
    #[error("tệp PDF có {pages} trang, vượt giới hạn {limit} trang")]
    TooManyPages {
        /// Pages in the file.
        pages: u32,
        /// The limit.
        limit: u32,
    },
    /// A legacy DOC that the converter could not read.
    #[error("tệp DOC bị hỏng hoặc không đọc được: {0}")]
    BadDoc(String),
    /// More text than the limit allows.
    #[error("văn bản dài quá giới hạn {limit} byte")]
    TextTooLong {
        /// The limit.
        limit: usize,
    },
    /// The file was read but held no text at all.
    #[error("không tìm thấy nội dung chữ trong tệp")]
    NoText,
    /// Pages without a usable text layer in a PDF, and OCR was turned off.
    #[error("tệp PDF là bản quét hoặc lớp chữ hỏng; cần bật nhận dạng chữ (OCR)")]
    ScanWithoutOcr,
    /// An external program we need is not installed.
    #[error("thiếu chương trình `{program}`; cài gói Debian `{package}` (apt-get install {package})")]
    MissingTool {
        /// The program.
        program: &'static str,
        /// The Debian package that provides it.
        package: &'static str,
    },
    /// An external program failed or ran too long.
    #[error("chương trình `{program}` thất bại: {detail}")]
    ToolFailed {
        /// The program.
        program: &'static str,
        /// What it said.
        detail: String,
    },
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.display().to_string(), source }
    }
}
