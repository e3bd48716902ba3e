//! One error type for reading packages. `Display` is Vietnamese, because it reaches the clerk
//! who received the package; [`Error::detail`] is English, for logs and for the people who
//! maintain the sending system.

/// Why a package was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read.
    #[error("không đọc được gói edXML: {0}")]
    Io(#[source] std::io::Error),
    /// No XML markup at all near the start of the input.
    #[error("tệp không phải gói edXML: không thấy thẻ XML nào trong {scanned} byte đầu")]
    NotXml {
        /// How many bytes were looked at.
        scanned: usize,
    },
    /// Well-formed XML, but not an edXML package or status message.
    #[error("tệp XML không phải gói edXML (QCVN 102:2016): phần tử gốc là <{root}>")]
    NotEdxml {
        /// The root element's local name.
        root: String,
        /// Its namespace, if any.
        namespace: Option<String>,
    },
    /// A document type declaration: the door to entity expansion (billion laughs) and
    /// external entities (XXE), so refused outright; edXML never needs one.
    #[error(
        "gói edXML có khai báo DOCTYPE/DTD (byte {offset}); bị từ chối vì có thể chứa thực thể độc hại (XXE, \"billion laughs\")"
    )]
    Doctype {
        /// Byte offset where the declaration ends.
        offset: u64,
    },
    /// A reference to an entity that is neither predefined nor a character reference.
    #[error("gói edXML dùng thực thể &{name}; không được định nghĩa (byte {offset})")]
    UnknownEntity {
        /// The entity name.
        name: String,
        /// Byte offset.
        offset: u64,
    },
    /// An encoding other than UTF-8 declared.
    #[error("gói edXML khai báo bảng mã {0}; chỉ chấp nhận UTF-8")]
    Encoding(String),
    /// The XML is not well formed.
    #[error("gói edXML không đúng cú pháp XML (gần byte {offset})")]
    Syntax {
        /// Approximate byte offset.
        offset: u64,
        /// What the XML parser said.
        detail: String,
    },
    /// Elements nested deeper than the limit.
    #[error("các phần tử XML lồng nhau quá {limit} tầng (byte {offset})")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// Byte offset of the element that went past it.
        offset: u64,
    },
    /// More elements than the limit.
    #[error("gói edXML có quá {limit} phần tử XML")]
    TooManyElements {
        /// The limit.
        limit: usize,
    },
    /// One text node, tag (with its attributes) or comment longer than the limit.
    #[error("một thẻ, thuộc tính hoặc đoạn văn bản XML dài quá {limit} byte (gần byte {offset})")]
    NodeTooLarge {
        /// The limit.
        limit: u64,
        /// Approximate byte offset.
        offset: u64,
    },
    /// More metadata text than the limit.
    #[error("phần thông tin (tiêu đề) của gói edXML dài quá {limit} byte")]
    MetadataTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The input is longer than the limit.
    #[error("gói edXML lớn quá giới hạn {limit} byte")]
    InputTooLarge {
        /// The limit.
        limit: u64,
    },
    /// One attachment would decode to more than the limit.
    #[error(
        "tệp đính kèm {attachment} vượt giới hạn {limit} byte (dừng đọc trước khi giải mã phần vượt)"
    )]
    AttachmentTooLarge {
        /// The attachment's name, or its position.
        attachment: String,
        /// The limit.
        limit: u64,
    },
    /// All attachments together would decode to more than the limit.
    #[error("tổng dung lượng các tệp đính kèm vượt giới hạn {limit} byte (tại tệp {attachment})")]
    AttachmentsTooLarge {
        /// The attachment being read when the total went past the limit.
        attachment: String,
        /// The limit.
        limit: u64,
    },
    /// An attachment whose content is not strict base64.
    #[error(
        "nội dung base64 của tệp đính kèm {attachment} không hợp lệ ở ký tự thứ {position} (byte {offset} của gói): {problem}"
    )]
    Base64 {
        /// The attachment's name, or its position.
        attachment: String,
        /// 1-based position of the offending character in the element's text.
        position: u64,
        /// Byte offset of that character in the input.
        offset: u64,
        /// What is wrong.
        problem: crate::base64::Problem,
    },
    /// A required element is missing or empty.
    #[error("gói edXML thiếu phần tử <{element}> trong <{parent}>")]
    Missing {
        /// The missing element.
        element: &'static str,
        /// Where it should be.
        parent: &'static str,
    },
    /// A value that does not have the form the standard prescribes.
    #[error("giá trị \"{value}\" của <{element}> không hợp lệ: cần {expected}")]
    BadValue {
        /// The element.
        element: &'static str,
        /// The value as written.
        value: String,
        /// What was expected, in Vietnamese.
        expected: &'static str,
    },
    /// A status code the standard does not define.
    #[error("mã trạng thái {0} không có trong QCVN 102 (01–06, 13, 15, 16)")]
    UnknownStatus(String),
    /// An attachment that looks like the exchange SDK's zip wrapper but cannot be opened.
    #[error("tệp nén bọc tệp đính kèm {attachment} bị hỏng")]
    Archive {
        /// The attachment.
        attachment: String,
        /// What the zip reader said.
        detail: String,
    },
}

impl Error {
    /// The reason in English, with the technical detail, for logs.
    pub fn detail(&self) -> String {
        match self {
            Error::Io(e) => format!("I/O error while reading the package: {e}"),
            Error::NotXml { scanned } => format!("no '<' in the first {scanned} bytes: not XML"),
            Error::NotEdxml { root, namespace } => format!(
                "root element <{root}> in namespace {} is neither edXML nor edXMLEnvelope of {}",
                namespace.as_deref().unwrap_or("(none)"),
                crate::NAMESPACE
            ),
            Error::Doctype { offset } => {
                format!(
                    "DOCTYPE declaration ending at byte {offset} refused (DTDs are never processed)"
                )
            }
            Error::UnknownEntity { name, offset } => {
                format!("undefined entity &{name}; at byte {offset}")
            }
            Error::Encoding(e) => format!("declared encoding {e:?}; only UTF-8 is supported"),
            Error::Syntax { offset, detail } => {
                format!("malformed XML near byte {offset}: {detail}")
            }
            Error::TooDeep { limit, offset } => {
                format!("element nesting deeper than {limit} at byte {offset}")
            }
            Error::TooManyElements { limit } => format!("more than {limit} elements"),
            Error::NodeTooLarge { limit, offset } => {
                format!("a text node, tag or comment near byte {offset} exceeds {limit} bytes")
            }
            Error::MetadataTooLarge { limit } => format!("header text exceeds {limit} bytes"),
            Error::InputTooLarge { limit } => format!("input exceeds {limit} bytes"),
            Error::AttachmentTooLarge { attachment, limit } => format!(
                "attachment {attachment} would decode to more than {limit} bytes; stopped before decoding past the limit"
            ),
            Error::AttachmentsTooLarge { attachment, limit } => format!(
                "attachments would decode to more than {limit} bytes in total (at {attachment})"
            ),
            Error::Base64 {
                attachment,
                position,
                offset,
                problem,
            } => format!(
                "invalid base64 in attachment {attachment} at character {position} (byte {offset}): {}",
                problem.english()
            ),
            Error::Missing { element, parent } => {
                format!("missing or empty <{element}> in <{parent}>")
            }
            Error::BadValue {
                element,
                value,
                expected,
            } => {
                format!("<{element}> has {value:?}, expected {expected}")
            }
            Error::UnknownStatus(code) => {
                format!("status code {code:?} is not one of 01-06, 13, 15, 16")
            }
            Error::Archive { attachment, detail } => {
                format!(
                    "attachment {attachment} looks like a single-file zip but cannot be read: {detail}"
                )
            }
        }
    }
}
