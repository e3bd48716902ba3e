//! The one error type of the crate; messages are Vietnamese because they reach the clerk.

/// What went wrong compiling or writing a report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed or refused.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// Writing the file failed.
    #[error("không ghi được tệp: {0}")]
    Io(#[from] std::io::Error),
    /// The zip container could not be written.
    #[error("không ghi được tệp nén: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// A period that is not one of PRODUCT.md's forms.
    #[error("kỳ báo cáo không hợp lệ: \"{0}\" (dạng YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY hoặc TỪ..ĐẾN)")]
    Period(String),
    /// The templates file is damaged or lacks a key.
    #[error("mẫu báo cáo: {0}")]
    Template(String),
    /// No agency of the directory has this name.
    #[error("không tìm thấy cơ quan \"{0}\" trong danh mục")]
    UnknownAgency(String),
    /// A date outside the calendar's years.
    #[error("ngày ngoài lịch: {0}")]
    Calendar(#[from] vn_calendar::Error),
}
