//! The one error type of the crate. Messages are Vietnamese because they reach the official who
//! imported a file or attached a report; database internals are kept as the `source` so logs
//! can show them.

/// What went wrong in a [`Store`](crate::Store) call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database URL is neither `sqlite://PATH` nor `postgres://…`.
    #[error(
        "địa chỉ cơ sở dữ liệu không hợp lệ: {0:?} (dùng sqlite://ĐƯỜNG_DẪN hoặc postgres://…)"
    )]
    BadUrl(String),
    /// The database could not be opened or reached.
    #[error("không mở được cơ sở dữ liệu: {0}")]
    Open(#[source] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("không cập nhật được lược đồ cơ sở dữ liệu: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// A value that is not of its type's form (a hash that is not 64 hex digits, an unknown
    /// status code, …).
    #[error("giá trị không hợp lệ cho {what}: {value:?}")]
    Invalid {
        /// What the value was meant to be, in Vietnamese ("mã băm SHA-256").
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// No row with this id.
    #[error("không tìm thấy {what} có mã {id}")]
    NotFound {
        /// What was looked for, in Vietnamese ("nhiệm vụ").
        what: &'static str,
        /// The id looked for.
        id: String,
    },
    /// A document marked secret (MẬT, TỐI MẬT, TUYỆT MẬT) must not enter this system.
    #[error("văn bản có độ mật \"{0}\" không được nhập vào hệ thống")]
    SecretDocument(String),
    /// The SHA-256 in the parse result is not the hash of the bytes given as the original.
    #[error("mã băm của văn bản gốc ({actual}) không khớp với kết quả phân tích ({declared})")]
    HashMismatch {
        /// The hash the parse result declares.
        declared: String,
        /// The hash of the bytes given.
        actual: String,
    },
    /// Another file with the same code, year and issuer is already stored.
    #[error(
        "văn bản {code} năm {year} của {issuer} đã có trong hệ thống (văn bản #{existing}) từ một tệp khác"
    )]
    DuplicateDocument {
        /// Document code (`2395/UBND-KTTH`).
        code: String,
        /// Year of issue.
        year: i64,
        /// Issuer name.
        issuer: String,
        /// Id of the stored document.
        existing: i64,
    },
    /// A file above the size limit for its purpose.
    #[error("tệp {name} quá lớn: {size} byte, giới hạn là {limit} byte")]
    FileTooLarge {
        /// File name as given.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A reorganisation applied before its effective date.
    #[error("đợt sắp xếp tổ chức #{id} có hiệu lực từ ngày {effective_on}, chưa thể áp dụng")]
    NotYetEffective {
        /// The reorganisation.
        id: i64,
        /// Its effective date.
        effective_on: vn_calendar::Date,
    },
    /// The row refers to a row that does not exist (a foreign key the database refused).
    #[error("dữ liệu tham chiếu tới bản ghi không tồn tại: {0}")]
    MissingReference(#[source] sqlx::Error),
    /// The row would duplicate one that must be unique.
    #[error("dữ liệu bị trùng với bản ghi đã có: {0}")]
    Duplicate(#[source] sqlx::Error),
    /// The shipped directory data is inconsistent (caught by the crate's tests before release).
    #[error("dữ liệu danh mục cơ quan không hợp lệ: {0}")]
    Directory(String),
    /// A restore into a database that already holds work, without `force`.
    #[error(
        "cơ sở dữ liệu đích đã có dữ liệu ({documents} văn bản, {users} người dùng, {changes} thay đổi trong nhật ký); \
         khôi phục sẽ xóa hết, hãy dùng --force nếu đúng là muốn vậy"
    )]
    NotEmpty {
        /// Documents stored.
        documents: i64,
        /// User accounts.
        users: i64,
        /// Audit rows other than the seeding of the directory.
        changes: i64,
    },
    /// A backup file that is not a whole `nhiemvu.backup/1` file of this schema.
    #[error("tệp sao lưu không hợp lệ: dòng {line}: {reason}")]
    BadBackup {
        /// 1-based line number (0: the file as a whole).
        line: usize,
        /// What is wrong, in Vietnamese.
        reason: String,
    },
    /// A scheduler recorded the outcome of an e-mail whose lease it no longer holds: its lease
    /// ran out and another scheduler took the message over (that one records the outcome).
    #[error(
        "tiến trình {owner} không còn giữ thư #{id} trong hàng đợi: thư đã được tiến trình khác nhận xử lý"
    )]
    LeaseLost {
        /// The outbox row.
        id: i64,
        /// The scheduler that tried to record.
        owner: String,
    },
    /// The tracking rules refuse the change (an officer confirming their own task, a
    /// transition from hủy, an extension asked after the due day …); nothing was written.
    #[error("{message}")]
    Refused {
        /// Machine-readable reason (`own_work`, `cancelled`, `extension_too_late` …).
        code: &'static str,
        /// What the user reads, in Vietnamese.
        message: String,
    },
    /// Tracking settings the rules cannot work with (a reminder 0 days before the due day …).
    #[error("{0}")]
    Settings(#[from] workflow::SettingsError),
    /// Reading or writing a backup file failed.
    #[error("lỗi đọc/ghi tệp sao lưu: {0}")]
    Io(#[from] std::io::Error),
    /// Any other database failure.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for Error {
    /// Sorts constraint violations into their own kinds, so callers can tell "you referred to
    /// something that does not exist" from an outage.
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match e.as_database_error().map(|d| d.kind()) {
            Some(ErrorKind::ForeignKeyViolation) => Error::MissingReference(e),
            Some(ErrorKind::UniqueViolation) => Error::Duplicate(e),
            _ => Error::Database(e),
        }
    }
}

impl Error {
    /// A refusal of the workflow rules.
    pub(crate) fn refused(r: workflow::Refusal) -> Error {
        Error::Refused {
            code: r.code(),
            message: r.to_string(),
        }
    }
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
