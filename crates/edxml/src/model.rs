//! The messages of QCVN 102:2016 as types. Element names are kept in the field docs so the
//! standard can be read alongside. Text values are trimmed; a missing or empty element is
//! `None` (or an empty list), never an empty string, so "not given" has one spelling.

use std::fmt;

use sha2::{Digest, Sha256};
use vn_calendar::Date;

/// What one edXML file carries: a document package or a status message.
// One message per file is read and moved a handful of times; boxing the package would only
// make every caller write `Box::new`.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A document with its metadata and attachments.
    Package(Package),
    /// What became of a document sent earlier.
    Status(Status),
}

/// A document package: `edXMLEnvelope` (header, manifest) and `AttachmentEncoded`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Package {
    /// `edXMLHeader/MessageHeader`.
    pub header: Header,
    /// `TraceHeaderList/TraceHeader`: the systems the package passed through, in order.
    pub traces: Vec<Trace>,
    /// `TraceHeaderList/Bussiness` (sic): new, revocation, update or replacement.
    pub business: Option<Business>,
    /// `AttachmentEncoded/Attachment`, in order; the first is the document itself.
    pub attachments: Vec<Attachment>,
}

impl Package {
    /// A package for a new document whose only attachment is its file.
    pub fn new_document(header: Header, file: Attachment) -> Package {
        Package {
            header,
            traces: Vec::new(),
            business: Some(Business::new(BusinessKind::New)),
            attachments: vec![file],
        }
    }

    /// A package for a generated report: any bytes as its attachment, and, when it answers a
    /// document (a completion report on a directive), `ResponseFor` naming that document.
    pub fn report(header: Header, report: Attachment, answers: Option<ResponseFor>) -> Package {
        let mut package = Package::new_document(header, report);
        package.header.response_for.extend(answers);
        package
    }

    /// The business type; a package without `Bussiness` is a new document.
    pub fn business_kind(&self) -> BusinessKind {
        self.business.as_ref().map_or(BusinessKind::New, |b| b.kind)
    }
}

/// `MessageHeader` of a document package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// `From`: the sending organisation.
    pub from: Organ,
    /// `To`, one per recipient organisation.
    pub to: Vec<Organ>,
    /// `DocumentId`: the sender's identifier (the SDK writes `OrganId,yyyy/MM/dd,code` or a
    /// UUID).
    pub document_id: Option<String>,
    /// `Code`.
    pub code: Code,
    /// `PromulgationInfo/Place`.
    pub place: Option<String>,
    /// `PromulgationInfo/PromulgationDate` (yyyy/MM/dd).
    pub promulgation_date: Option<Date>,
    /// `DocumentType`.
    pub document_type: DocumentType,
    /// `Subject`: the trích yếu.
    pub subject: Option<String>,
    /// `Content`: a summary.
    pub content: Option<String>,
    /// `SignerInfo`.
    pub signer: Signer,
    /// `DueDate` (yyyy/MM/dd): when the recipient must have dealt with it.
    pub due_date: Option<Date>,
    /// `SteeringType`, as written.
    pub steering_type: Option<String>,
    /// `ToPlaces/Place`: the Nơi nhận list.
    pub to_places: Vec<String>,
    /// `OtherInfo`.
    pub other: OtherInfo,
    /// `ResponseFor`: the documents this one answers.
    pub response_for: Vec<ResponseFor>,
}

/// An organisation in `From` or `To`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Organ {
    /// `OrganId`: the identifier code (`000.00.00.H51`).
    pub organ_id: Option<String>,
    /// `OrganizationInCharge`: the governing body.
    pub organization_in_charge: Option<String>,
    /// `OrganName`.
    pub organ_name: Option<String>,
    /// `OrganAdd`: postal address.
    pub organ_add: Option<String>,
    /// `Email`.
    pub email: Option<String>,
    /// `Telephone`.
    pub telephone: Option<String>,
    /// `Fax`.
    pub fax: Option<String>,
    /// `Website`.
    pub website: Option<String>,
}

/// `Code`: number and notation (symbol) of the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Code {
    /// `CodeNumber` (`7816`).
    pub number: Option<String>,
    /// `CodeNotation` (`VPCP-TTĐT`).
    pub notation: Option<String>,
}

impl Code {
    /// `number/notation`, when both are given.
    pub fn joined(&self) -> Option<String> {
        Some(format!(
            "{}/{}",
            self.number.as_ref()?,
            self.notation.as_ref()?
        ))
    }
}

/// `DocumentType`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentType {
    /// `Type`, as written (the SDK's samples write 1 for both công văn and thông tư).
    pub type_code: Option<String>,
    /// `TypeDetail`, as written.
    pub detail: Option<String>,
    /// `TypeName` (`Công văn`, `Quyết định`).
    pub name: Option<String>,
}

/// `SignerInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signer {
    /// `Competence`: the signing authority (`TL. BỘ TRƯỞNG`, `KT. CHỦ TỊCH`).
    pub competence: Option<String>,
    /// `Position`: the signer's own title.
    pub position: Option<String>,
    /// `FullName`.
    pub full_name: Option<String>,
}

/// `OtherInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OtherInfo {
    /// `Priority`: 0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ.
    pub priority: Option<u8>,
    /// `SphereOfPromulgation`.
    pub sphere_of_promulgation: Option<String>,
    /// `TyperNotation`: initials of the typist.
    pub typer_notation: Option<String>,
    /// `PromulgationAmount`: copies issued.
    pub promulgation_amount: Option<u32>,
    /// `PageAmount`.
    pub page_amount: Option<u32>,
    /// `Direction`.
    pub direction: Option<bool>,
    /// `Appendixes/Appendix`.
    pub appendixes: Vec<String>,
}

/// `ResponseFor`: a document answered (in a package) or reported on (in a status message).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseFor {
    /// `OrganId` of the organisation that sent it.
    pub organ_id: Option<String>,
    /// `Code`: its `number/notation`.
    pub code: Option<String>,
    /// `PromulgationDate`.
    pub promulgation_date: Option<Date>,
    /// `DocumentId`.
    pub document_id: Option<String>,
}

impl ResponseFor {
    /// The reference to the document a header describes, for answering it.
    pub fn to(header: &Header) -> ResponseFor {
        ResponseFor {
            organ_id: header.from.organ_id.clone(),
            code: header.code.joined(),
            promulgation_date: header.promulgation_date,
            document_id: header.document_id.clone(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        *self == ResponseFor::default()
    }
}

/// `TraceHeader`: one system the package passed through.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trace {
    /// `OrganId`.
    pub organ_id: Option<String>,
    /// `Timestamp` (`yyyy/MM/dd HH:mm:ss`, local time), as written.
    pub timestamp: Option<String>,
}

/// `Bussiness`: why the package is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Business {
    /// `BussinessDocType`.
    pub kind: BusinessKind,
    /// `BussinessDocReason`.
    pub reason: Option<String>,
    /// `DocumentId`: the document concerned.
    pub document_id: Option<String>,
    /// `Paper`: whether a paper copy follows, as written (`0`, `1`).
    pub paper: Option<String>,
    /// `StaffInfo`: the clerk who sent it.
    pub staff: Option<Staff>,
    /// `BussinessDocumentInfo`: what an update changes and for whom.
    pub update: Option<UpdateInfo>,
    /// `ReplacementInfoList/ReplacementInfo`: the documents a replacement replaces.
    pub replaces: Vec<Replacement>,
}

impl Business {
    /// A business block of this kind with the standard's wording as the reason.
    pub fn new(kind: BusinessKind) -> Business {
        Business {
            kind,
            reason: Some(kind.label_vi().to_owned()),
            document_id: None,
            paper: Some("0".to_owned()),
            staff: None,
            update: None,
            replaces: Vec::new(),
        }
    }
}

/// `BussinessDocType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BusinessKind {
    /// 0: a new document.
    New,
    /// 1: the sender recalls a document sent earlier.
    Revocation,
    /// 2: corrections to a document sent earlier.
    Update,
    /// 3: a document replacing one sent earlier.
    Replacement,
}

impl BusinessKind {
    /// The code written in `BussinessDocType`.
    pub fn code(self) -> u8 {
        match self {
            BusinessKind::New => 0,
            BusinessKind::Revocation => 1,
            BusinessKind::Update => 2,
            BusinessKind::Replacement => 3,
        }
    }

    /// The kind with this code.
    pub fn from_code(code: u8) -> Option<BusinessKind> {
        Some(match code {
            0 => BusinessKind::New,
            1 => BusinessKind::Revocation,
            2 => BusinessKind::Update,
            3 => BusinessKind::Replacement,
            _ => return None,
        })
    }

    /// The SDK's own wording, which it writes as `BussinessDocReason`.
    pub fn label_vi(self) -> &'static str {
        match self {
            BusinessKind::New => "Văn bản điện tử mới",
            BusinessKind::Revocation => "Thu hồi văn bản điện tử",
            BusinessKind::Update => "Cập nhật văn bản điện tử",
            BusinessKind::Replacement => "Văn bản thay thế",
        }
    }
}

impl fmt::Display for BusinessKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BusinessKind::New => "new",
            BusinessKind::Revocation => "revocation",
            BusinessKind::Update => "update",
            BusinessKind::Replacement => "replacement",
        })
    }
}

/// `StaffInfo`: the clerk behind a package or status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Staff {
    /// `Department`.
    pub department: Option<String>,
    /// `Staff`: the person's name.
    pub staff: Option<String>,
    /// `Email`.
    pub email: Option<String>,
    /// `Mobile`.
    pub mobile: Option<String>,
}

/// `BussinessDocumentInfo` of an update.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateInfo {
    /// `DocumentInfo`: whether the metadata changed, as written.
    pub document_info: Option<String>,
    /// `DocumentReceiver`: whether the recipients changed, as written.
    pub document_receiver: Option<String>,
    /// `ReceiverList/Receiver`.
    pub receivers: Vec<Receiver>,
}

/// `Receiver` of an update.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Receiver {
    /// `OrganId`.
    pub organ_id: Option<String>,
    /// `ReceiverType`, as written.
    pub receiver_type: Option<String>,
}

/// `ReplacementInfo`: one replaced document and who received it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replacement {
    /// `DocumentId`.
    pub document_id: Option<String>,
    /// `OrganIdList/OrganId`.
    pub organ_ids: Vec<String>,
}

/// An attachment, with what the manifest says about it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Attachment {
    /// `ContentId` (`cid:…`), which ties it to its manifest entry.
    pub content_id: Option<String>,
    /// `AttachmentName`: the file name.
    pub name: Option<String>,
    /// `ContentType`.
    pub content_type: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// The decoded `ContentTransferEncoded`.
    pub data: Vec<u8>,
}

impl Attachment {
    /// An attachment with a content id derived from its name and bytes, so exporting the same
    /// file twice gives the same package.
    pub fn new(name: &str, content_type: &str, data: Vec<u8>) -> Attachment {
        let mut hash = Sha256::new();
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update(&data);
        let h = hash.finalize();
        let hex: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
        let id = format!(
            "cid:{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        );
        Attachment {
            content_id: Some(id),
            name: Some(name.to_owned()),
            content_type: Some(content_type.to_owned()),
            description: None,
            data,
        }
    }

    /// The name for messages: the file name, else the content id, else "không tên".
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .or(self.content_id.as_deref())
            .unwrap_or("không tên")
    }
}

impl fmt::Debug for Attachment {
    /// Without the bytes, which would drown a test failure.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("content_id", &self.content_id)
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("description", &self.description)
            .field("data", &format_args!("{} bytes", self.data.len()))
            .finish()
    }
}

/// A status message: what the recipient did with a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// `From`: the recipient reporting.
    pub from: Organ,
    /// `ResponseFor`: the document reported on.
    pub response_for: ResponseFor,
    /// `StaffInfo`.
    pub staff: Option<Staff>,
    /// `StatusCode`.
    pub code: StatusCode,
    /// `Description`.
    pub description: Option<String>,
    /// `Timestamp` (`yyyy/MM/dd HH:mm:ss`), as written.
    pub timestamp: Option<String>,
}

impl Status {
    /// A status about the document `about`, described in the standard's words.
    pub fn new(from: Organ, about: ResponseFor, code: StatusCode, timestamp: String) -> Status {
        Status {
            from,
            response_for: about,
            staff: None,
            code,
            description: Some(code.label_vi().to_owned()),
            timestamp: Some(timestamp),
        }
    }
}

/// `StatusCode`: the steps of a received document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusCode {
    /// 01: arrived in the recipient's system, not yet handled by the clerk.
    Arrived,
    /// 02: the clerk refused it.
    Rejected,
    /// 03: the clerk accepted and registered it.
    Accepted,
    /// 04: a leader assigned it for handling.
    Assigned,
    /// 05: being handled.
    Processing,
    /// 06: handling completed.
    Completed,
    /// 13: the sender asks to recall it.
    RecallRequested,
    /// 15: the recipient agreed to an update or recall.
    ChangeAccepted,
    /// 16: the recipient refused an update or recall.
    ChangeRejected,
}

impl StatusCode {
    /// Every code, in order.
    pub const ALL: [StatusCode; 9] = [
        StatusCode::Arrived,
        StatusCode::Rejected,
        StatusCode::Accepted,
        StatusCode::Assigned,
        StatusCode::Processing,
        StatusCode::Completed,
        StatusCode::RecallRequested,
        StatusCode::ChangeAccepted,
        StatusCode::ChangeRejected,
    ];

    /// The number of the code.
    pub fn number(self) -> u8 {
        match self {
            StatusCode::Arrived => 1,
            StatusCode::Rejected => 2,
            StatusCode::Accepted => 3,
            StatusCode::Assigned => 4,
            StatusCode::Processing => 5,
            StatusCode::Completed => 6,
            StatusCode::RecallRequested => 13,
            StatusCode::ChangeAccepted => 15,
            StatusCode::ChangeRejected => 16,
        }
    }

    /// The code with this number.
    pub fn from_number(n: u8) -> Option<StatusCode> {
        StatusCode::ALL.into_iter().find(|c| c.number() == n)
    }

    /// The two-digit form written in `StatusCode` (`01`).
    pub fn as_str(self) -> String {
        format!("{:02}", self.number())
    }

    /// What it means, in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            StatusCode::Arrived => "Đã đến",
            StatusCode::Rejected => "Từ chối tiếp nhận",
            StatusCode::Accepted => "Đã tiếp nhận",
            StatusCode::Assigned => "Đã phân công xử lý",
            StatusCode::Processing => "Đang xử lý",
            StatusCode::Completed => "Đã hoàn thành",
            StatusCode::RecallRequested => "Yêu cầu lấy lại văn bản",
            StatusCode::ChangeAccepted => "Đồng ý cập nhật, lấy lại",
            StatusCode::ChangeRejected => "Từ chối cập nhật, lấy lại",
        }
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.number())
    }
}
