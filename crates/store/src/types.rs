//! Domain newtypes. Each is parsed once, where text enters (a CLI argument, an API field, a
//! database column), so an invalid value cannot exist past that edge.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub(crate) i64);

        impl $name {
            /// The number the database gave the row.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = Error;

            /// A positive decimal number, as ids appear in URLs and on the command line.
            fn from_str(s: &str) -> Result<Self, Error> {
                match s.parse::<i64>() {
                    Ok(n) if n > 0 => Ok($name(n)),
                    _ => Err(Error::Invalid { what: "mã số", value: s.to_owned() }),
                }
            }
        }
    )*};
}

id_type! {
    /// An agency or group addressee of the directory.
    AgencyId,
    /// A committed document.
    DocumentId,
    /// A task.
    TaskId,
    /// A lead or support row of a task.
    AssignmentId,
    /// A reorganisation event.
    ReorganisationId,
    /// A user account.
    UserId,
    /// A progress report.
    ReportId,
    /// A file attached to a progress report.
    AttachmentId,
    /// A row of the audit log.
    AuditId,
    /// A request for a later deadline.
    ExtensionId,
    /// An in-app notice to a user.
    NoticeId,
    /// A message in the e-mail outbox.
    OutboxId,
    /// A day declared off or working by the Government, entered by an administrator.
    CalendarChangeId,
}

/// A SHA-256 digest as 64 lower-case hex digits, the identity of an original file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Sha256(String);

impl Sha256 {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256 {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(bytes);
        let mut hex = String::with_capacity(64);
        for b in digest {
            hex.push_str(&format!("{b:02x}"));
        }
        Sha256(hex)
    }

    /// The hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Sha256 {
    type Err = Error;

    /// 64 hex digits in either case; stored in lower case so equal hashes compare equal.
    fn from_str(s: &str) -> Result<Sha256, Error> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Sha256(s.to_ascii_lowercase()))
        } else {
            Err(Error::Invalid {
                what: "mã băm SHA-256",
                value: s.to_owned(),
            })
        }
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A document's code, `number/symbol` as the contract gives it: `2395/UBND-KTTH`,
/// `107/2021/NĐ-CP`, `11-CT/TU`. Together with the year (numbers restart every year) and the
/// issuer it identifies a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct DocumentCode(String);

impl DocumentCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DocumentCode {
    type Err = Error;

    /// A number (digits, optionally with a hyphenated Party form), a slash, a non-empty symbol;
    /// no white space. Names of laws cited without a code are references, not document codes.
    fn from_str(s: &str) -> Result<DocumentCode, Error> {
        let bad = || Error::Invalid {
            what: "số, ký hiệu văn bản",
            value: s.to_owned(),
        };
        let (number, symbol) = s.split_once('/').ok_or_else(bad)?;
        let number_ok = number.starts_with(|c: char| c.is_ascii_digit())
            && number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        let symbol_ok = !symbol.is_empty() && !symbol.chars().any(char::is_whitespace);
        if number_ok && symbol_ok {
            Ok(DocumentCode(s.to_owned()))
        } else {
            Err(bad())
        }
    }
}

impl fmt::Display for DocumentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $code:literal / $vi:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $variant),*
        }

        impl $name {
            /// Every value, in the order of the workflow or the data files.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The ASCII code used in the database, JSON and on the command line.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// The Vietnamese label shown to users.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi),* }
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<$name, Error> {
                match s {
                    $($code => Ok($name::$variant),)*
                    _ => Err(Error::Invalid { what: $what, value: s.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_enum! {
    /// Progress of a task (DOMAIN.md §3), changed by people; timeliness is computed elsewhere.
    ProgressStatus, "trạng thái tiến độ" {
        /// Not started.
        NotStarted = "chua_thuc_hien" / "Chưa thực hiện",
        /// In progress.
        InProgress = "dang_thuc_hien" / "Đang thực hiện",
        /// The assignee says it is done; the monitor has to confirm.
        AwaitingConfirmation = "cho_xac_nhan" / "Chờ xác nhận",
        /// Confirmed done.
        Done = "hoan_thanh" / "Hoàn thành",
        /// Suspended.
        Suspended = "tam_hoan" / "Tạm hoãn",
        /// The assignee says the task is not theirs; the monitor reassigns it.
        Refused = "tu_choi" / "Từ chối",
        /// Withdrawn by the issuer.
        Cancelled = "huy" / "Hủy",
    }
}

impl ProgressStatus {
    /// Open tasks are the ones a reorganisation hands to the successor: everything except
    /// done and cancelled, whose history must keep the agency that did (or did not) do them.
    pub fn is_open(self) -> bool {
        !matches!(self, ProgressStatus::Done | ProgressStatus::Cancelled)
    }
}

code_enum! {
    /// What a user may do (PRODUCT.md "Who uses it"); a user may hold several.
    Role, "vai trò" {
        /// Chủ tịch, Phó Chủ tịch.
        Leader = "leader" / "Lãnh đạo",
        /// Staff who import, assign, confirm and report.
        Monitor = "monitor" / "Theo dõi",
        /// Head of an agency.
        AgencyHead = "agency_head" / "Lãnh đạo cơ quan",
        /// Officer of an agency.
        AgencyOfficer = "agency_officer" / "Chuyên viên cơ quan",
        /// Administrator.
        Admin = "admin" / "Quản trị",
    }
}

code_enum! {
    /// Whether an agency leads or supports a task.
    AssignmentRole, "vai trò thực hiện" {
        /// Chủ trì.
        Lead = "lead" / "Chủ trì",
        /// Phối hợp.
        Support = "support" / "Phối hợp",
    }
}

code_enum! {
    /// What the party of an assignment is.
    PartyKind, "loại đơn vị" {
        /// An agency of the directory.
        Agency = "agency" / "Cơ quan",
        /// A group addressee ("Các sở, ban ngành"), kept as written.
        Group = "group" / "Nhóm cơ quan",
        /// A body the directory does not know, kept as free text.
        Unknown = "unknown" / "Đơn vị ngoài danh mục",
    }
}

code_enum! {
    /// The kinds of a row of the directory (the gazetteer's kinds plus groups).
    AgencyKind, "loại cơ quan" {
        /// Provincial department (sở) or a body of that rank.
        Department = "department" / "Sở, ngành",
        /// Other provincial body.
        ProvincialBody = "provincial_body" / "Cơ quan cấp tỉnh",
        /// Central body.
        Central = "central" / "Cơ quan Trung ương",
        /// District, town or city (before July 2025), special zone.
        Locality = "locality" / "Địa phương",
        /// Management board.
        Board = "board" / "Ban quản lý",
        /// Group addressee.
        Group = "group" / "Nhóm cơ quan",
    }
}

code_enum! {
    /// How a deadline is stated (the contract's `deadline.kind`).
    DeadlineKind, "loại thời hạn" {
        /// An explicit day.
        Date = "date" / "Ngày cụ thể",
        /// A window with its last day.
        Period = "period" / "Trong khoảng thời gian",
        /// Recurring.
        Recurring = "recurring" / "Định kỳ",
        /// When asked.
        OnRequest = "on_request" / "Khi có yêu cầu",
        /// After an event.
        Conditional = "conditional" / "Theo điều kiện",
        /// No deadline.
        None = "none" / "Không thời hạn",
    }
}

code_enum! {
    /// Where a deadline of a task's history came from.
    DeadlineSource, "nguồn thời hạn" {
        /// The document that assigned the task.
        Document = "document" / "Theo văn bản",
        /// An approved extension.
        Extension = "extension" / "Gia hạn",
        /// Set by hand by a monitor.
        Manual = "manual" / "Nhập tay",
    }
}

code_enum! {
    /// What happened to the predecessors of a reorganisation.
    ReorganisationKind, "loại sắp xếp" {
        /// Merged into a successor (which may have existed before).
        Merge = "merge" / "Hợp nhất, sáp nhập",
        /// Functions divided between several successors.
        Split = "split" / "Chia tách theo chức năng",
        /// Renamed or re-established under another name.
        Rename = "rename" / "Đổi tên",
        /// Dissolved; its work passes to a group or to nobody in particular.
        Dissolve = "dissolve" / "Giải thể",
    }
}

code_enum! {
    /// What a calendar change declares a day to be ([`crate::CalendarChange`]).
    CalendarChangeKind, "loại thay đổi lịch" {
        /// A day off (a decision giving an extra day off, or moving one).
        DayOff = "day_off" / "Ngày nghỉ",
        /// A working day (a holiday moved away, a weekend day worked).
        WorkingDay = "working_day" / "Ngày làm việc",
    }
}

/// Who makes a change, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The system itself (seeding the directory, scheduled jobs).
    System,
    /// A user.
    User(UserId),
}

impl Actor {
    pub(crate) fn user_id(self) -> Option<i64> {
        match self {
            Actor::System => None,
            Actor::User(u) => Some(u.0),
        }
    }
}
