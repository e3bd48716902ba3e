//! The types of the `nhiemvu.document/1` contract. Field names are a public interface:
//! renaming one is a breaking change that needs a new schema version.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The schema identifier written in every document.
pub const SCHEMA: &str = "nhiemvu.document/1";

/// A parsed document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    /// Always [`SCHEMA`].
    pub schema: Schema,
    /// Where the text came from.
    pub source: Source,
    /// The document kind (`cong_van`, `chi_thi`, …), see the contract's list of kinds.
    pub kind: Option<String>,
    /// The issuing body.
    pub issuer: Option<Issuer>,
    /// The number as printed, leading zeros kept; `None` when blank.
    pub number: Option<String>,
    /// The symbol, upper case as printed (`UBND-KTTH`).
    pub symbol: Option<String>,
    /// `number/symbol`; `None` when the number is blank.
    pub code: Option<String>,
    /// Place in the dateline.
    pub place: Option<String>,
    /// ISO date of issue; `None` when day or month is blank.
    pub date: Option<String>,
    /// The subject line (trích yếu) without "V/v".
    pub subject: Option<String>,
    /// Addressees after "Kính gửi", one entry each.
    pub recipients: Vec<String>,
    /// The "Nơi nhận" list in order.
    pub copies_to: Vec<String>,
    /// The signature block.
    pub signer: Option<Signer>,
    /// Secrecy mark (`MẬT`, `TỐI MẬT`, `TUYỆT MẬT`): such a document must not be imported.
    pub secrecy: Option<String>,
    /// Urgency mark (`KHẨN`, `THƯỢNG KHẨN`, `HỎA TỐC`).
    pub urgency: Option<String>,
    /// Every cited document, one entry per mention, in order of appearance.
    pub references: Vec<Reference>,
    /// The numbered structure of the body.
    pub outline: Vec<OutlineNode>,
    /// The tasks the document assigns.
    pub tasks: Vec<Task>,
    /// The agency charged with monitoring and reporting, if any.
    pub monitor: Option<Monitor>,
    /// What the parser could not read with confidence.
    pub warnings: Vec<Warning>,
}

/// The `schema` field: written as [`SCHEMA`]; reading any other value fails, so a document of
/// a future schema is never taken for this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schema;

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(SCHEMA)
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Schema, D::Error> {
        let s = String::deserialize(d)?;
        if s == SCHEMA {
            Ok(Schema)
        } else {
            Err(serde::de::Error::custom(format!(
                "schema {s:?} is not {SCHEMA}"
            )))
        }
    }
}

impl Document {
    /// A document about which nothing has been extracted yet.
    pub fn empty(source: Source) -> Self {
        Document {
            schema: Schema,
            source,
            kind: None,
            issuer: None,
            number: None,
            symbol: None,
            code: None,
            place: None,
            date: None,
            subject: None,
            recipients: Vec::new(),
            copies_to: Vec::new(),
            signer: None,
            secrecy: None,
            urgency: None,
            references: Vec::new(),
            outline: Vec::new(),
            tasks: Vec::new(),
            monitor: None,
            warnings: Vec::new(),
        }
    }
}

/// The `source` object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// File name.
    pub file: String,
    /// `text` | `docx` | `doc` | `pdf` | `pdf-ocr` | `edxml`.
    pub format: String,
    /// Hex SHA-256 of the original bytes.
    pub sha256: String,
}

/// The issuing body and the body above it in the header.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Issuer {
    /// Full expanded name in proper case ("Ủy ban nhân dân tỉnh Quảng Ngãi").
    pub name: String,
    /// The line above it, if any ("Bộ Công Thương" over "Cục Hóa chất").
    pub parent: Option<String>,
}

/// The signature block.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Signer {
    /// `TM.` | `KT.` | `Q.` | `TL.` | `TUQ.`
    pub authority: Option<String>,
    /// Whom the authority mark is for ("Ủy ban nhân dân", "Chủ tịch").
    pub on_behalf_of: Option<String>,
    /// The signer's own position, proper case.
    pub title: Option<String>,
    /// The signer's name.
    pub name: Option<String>,
}

/// One mention of a cited document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reference {
    /// Document kind.
    pub kind: Option<String>,
    /// Canonical code (`57/NQ-CP`, `107/2021/NĐ-CP`), or the name for documents cited by name.
    pub code: String,
    /// Number as written.
    pub number: Option<String>,
    /// Year of issue.
    pub year: Option<i32>,
    /// Symbol.
    pub symbol: Option<String>,
    /// ISO date of issue.
    pub date: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// The mention as written.
    pub text: String,
    /// Byte offsets into the normalised text.
    pub span: [usize; 2],
    /// For a short form, the code of the full citation it points to.
    pub resolved_from: Option<String>,
}

/// A node of the numbered structure (I., 1., 1.1., a), -, +, Điều, khoản).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutlineNode {
    /// The label as written ("1.", "a)", "Điều 3.").
    pub label: String,
    /// The heading text, if the item is a heading.
    pub heading: Option<String>,
    /// Byte offsets into the normalised text.
    pub span: [usize; 2],
    /// Nested items.
    pub children: Vec<OutlineNode>,
}

/// A task the document assigns.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Task {
    /// Path of labels, dots between ("2.1.b").
    pub id: String,
    /// The instruction text.
    pub text: String,
    /// Lead agencies (chủ trì), canonical names.
    pub lead: Vec<String>,
    /// Supporting agencies (phối hợp), canonical names.
    pub support: Vec<String>,
    /// When it is due.
    pub deadline: Deadline,
    /// Codes of documents cited inside the task.
    pub references: Vec<String>,
    /// Byte offsets into the normalised text.
    pub span: [usize; 2],
}

/// A deadline as the text states it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Deadline {
    /// `date` | `period` | `recurring` | `on_request` | `conditional` | `none`.
    pub kind: String,
    /// The last day by which it is due (for `date` and `period`).
    pub date: Option<String>,
    /// The words it came from.
    pub text: Option<String>,
    /// For recurring deadlines: `month` | `quarter` | `year`, where stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
}

/// The monitoring clause.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Monitor {
    /// The monitoring agency.
    pub agency: String,
    /// To whom it reports.
    pub report_to: Option<String>,
    /// When it reports.
    pub deadline: Deadline,
}

/// Something the parser could not read with confidence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Warning {
    /// Stable machine code (`number_blank`, `date_blank`, …).
    pub code: String,
    /// Vietnamese message for the reviewer.
    pub message: String,
    /// Byte offsets into the normalised text, where it applies.
    pub span: Option<[usize; 2]>,
}
