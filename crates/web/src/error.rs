//! The one error type of the API and the one table that gives each error code its HTTP status
//! and type (meilisearch's design): handlers return [`ApiError`], never a bare status, so every
//! failure reaches the client as `{message, code, type, link}` with a Vietnamese message, and
//! an internal failure is logged here and shown only as "lỗi hệ thống".

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What kind of failure a code is, for clients that branch on it.
pub const TYPES: &[&str] = &["invalid_request", "auth", "rule", "system"];

/// Every error code: `(code, HTTP status, type, what it means)`. The OpenAPI document and the
/// documentation page list this same table.
pub const ERRORS: &[(&str, u16, &str, &str)] = &[
    (
        "invalid_json",
        400,
        "invalid_request",
        "Nội dung không phải JSON hợp lệ",
    ),
    (
        "invalid_field",
        422,
        "invalid_request",
        "JSON sai lược đồ: thiếu trường, sai kiểu hoặc có trường không được hỗ trợ",
    ),
    (
        "invalid_query",
        400,
        "invalid_request",
        "Tham số truy vấn không hợp lệ",
    ),
    (
        "invalid_value",
        422,
        "invalid_request",
        "Giá trị không hợp lệ",
    ),
    (
        "invalid_file_name",
        400,
        "invalid_request",
        "Tên tệp không hợp lệ (có thư mục, \"..\" hoặc ký tự điều khiển)",
    ),
    (
        "invalid_multipart",
        400,
        "invalid_request",
        "Dữ liệu multipart không hợp lệ",
    ),
    (
        "unsupported_media_type",
        415,
        "invalid_request",
        "Kiểu nội dung không được hỗ trợ",
    ),
    (
        "payload_too_large",
        413,
        "invalid_request",
        "Nội dung gửi lên quá lớn",
    ),
    ("file_too_large", 413, "invalid_request", "Tệp quá lớn"),
    (
        "unreadable_document",
        422,
        "invalid_request",
        "Không đọc được văn bản",
    ),
    ("not_found", 404, "invalid_request", "Không tìm thấy"),
    (
        "no_route",
        404,
        "invalid_request",
        "Không có đường dẫn API này",
    ),
    (
        "method_not_allowed",
        405,
        "invalid_request",
        "Phương thức không được hỗ trợ cho đường dẫn này",
    ),
    ("authentication_required", 401, "auth", "Cần đăng nhập"),
    (
        "invalid_credentials",
        401,
        "auth",
        "Sai tên đăng nhập hoặc mật khẩu",
    ),
    (
        "csrf_token_invalid",
        403,
        "auth",
        "Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token)",
    ),
    (
        "forbidden",
        403,
        "auth",
        "Vai trò của tài khoản không được dùng chức năng này",
    ),
    (
        "not_your_agency",
        403,
        "auth",
        "Nhiệm vụ hoặc văn bản không thuộc cơ quan của tài khoản",
    ),
    (
        "too_many_attempts",
        429,
        "auth",
        "Đăng nhập sai quá nhiều lần",
    ),
    (
        "secret_document",
        422,
        "rule",
        "Văn bản mật không được nhập vào hệ thống",
    ),
    (
        "edxml_refused",
        422,
        "rule",
        "Gói edXML không được nhập (gói thu hồi văn bản)",
    ),
    (
        "not_a_document",
        422,
        "invalid_request",
        "Gói edXML là thông điệp trạng thái, không phải văn bản",
    ),
    (
        "hash_mismatch",
        422,
        "rule",
        "Mã băm văn bản gốc không khớp",
    ),
    (
        "duplicate_document",
        409,
        "rule",
        "Văn bản đã có trong hệ thống từ một tệp khác",
    ),
    ("duplicate", 409, "rule", "Trùng với bản ghi đã có"),
    (
        "missing_reference",
        422,
        "rule",
        "Tham chiếu tới bản ghi không tồn tại",
    ),
    (
        "not_yet_effective",
        409,
        "rule",
        "Đợt sắp xếp tổ chức chưa có hiệu lực",
    ),
    (
        "not_permitted",
        403,
        "rule",
        "Quy tắc theo dõi không cho phép người này làm việc này",
    ),
    (
        "admin_has_no_task_powers",
        403,
        "rule",
        "Quản trị viên không thao tác trên nhiệm vụ",
    ),
    (
        "own_work",
        403,
        "rule",
        "Không tự xác nhận công việc của mình",
    ),
    (
        "hand_over_not_permitted",
        403,
        "rule",
        "Chỉ lãnh đạo cơ quan chủ trì được giao nhiệm vụ cho cán bộ",
    ),
    (
        "officer_not_in_lead_agency",
        403,
        "rule",
        "Cán bộ được giao không thuộc cơ quan chủ trì",
    ),
    (
        "extension_not_permitted",
        403,
        "rule",
        "Không được xin gia hạn nhiệm vụ này",
    ),
    (
        "extension_decision_not_permitted",
        403,
        "rule",
        "Không được quyết định gia hạn",
    ),
    ("user_inactive", 403, "rule", "Tài khoản đã bị khóa"),
    ("cancelled", 409, "rule", "Nhiệm vụ đã bị hủy"),
    ("completed", 409, "rule", "Nhiệm vụ đã hoàn thành"),
    (
        "wrong_status",
        409,
        "rule",
        "Trạng thái hiện tại không cho phép thao tác này",
    ),
    (
        "hand_over_wrong_status",
        409,
        "rule",
        "Trạng thái hiện tại không cho phép giao cho cán bộ",
    ),
    (
        "extension_wrong_status",
        409,
        "rule",
        "Trạng thái hiện tại không cho phép xin gia hạn",
    ),
    ("extension_too_late", 409, "rule", "Đã quá hạn xin gia hạn"),
    (
        "extension_pending",
        409,
        "rule",
        "Đã có đề nghị gia hạn đang chờ",
    ),
    (
        "extension_decided",
        409,
        "rule",
        "Đề nghị gia hạn đã được quyết định",
    ),
    (
        "extension_no_deadline",
        409,
        "rule",
        "Nhiệm vụ không có thời hạn",
    ),
    (
        "carry_over_elsewhere",
        409,
        "rule",
        "Nhiệm vụ đã được chuyển tiếp",
    ),
    ("reason_required", 422, "rule", "Cần nêu lý do"),
    (
        "extension_not_later",
        422,
        "rule",
        "Thời hạn đề nghị phải sau thời hạn hiện tại",
    ),
    (
        "invalid_prior_status",
        422,
        "rule",
        "Trạng thái trước khi tạm hoãn không hợp lệ",
    ),
    (
        "refused",
        409,
        "rule",
        "Quy tắc theo dõi không cho phép thao tác này",
    ),
    (
        "review_invalid",
        422,
        "rule",
        "Đề xuất nhiệm vụ còn lỗi (danh sách trong details)",
    ),
    (
        "draft_changed",
        409,
        "rule",
        "Bản nháp đã được người khác sửa hoặc ghi trong lúc này",
    ),
    (
        "draft_closed",
        409,
        "rule",
        "Bản nháp đã được ghi thành văn bản hoặc đã hủy",
    ),
    (
        "calendar_day_taken",
        409,
        "rule",
        "Ngày này đã được khai báo là ngày nghỉ hoặc ngày làm việc",
    ),
    ("internal", 500, "system", "Lỗi hệ thống"),
    (
        "database_unavailable",
        503,
        "system",
        "Tạm thời không kết nối được cơ sở dữ liệu; thử lại sau",
    ),
    (
        "storage_full",
        507,
        "system",
        "Máy chủ hết dung lượng lưu trữ; thay đổi chưa được ghi",
    ),
];

/// A failure as the client sees it.
#[derive(Debug)]
pub struct ApiError {
    code: &'static str,
    message: String,
    retry_after: Option<u64>,
    details: Option<serde_json::Value>,
}

impl ApiError {
    /// An error of `code` (a row of [`ERRORS`]) with this message.
    pub fn new(code: &'static str, message: impl Into<String>) -> ApiError {
        debug_assert!(ERRORS.iter().any(|e| e.0 == code), "{code} not in ERRORS");
        ApiError {
            code,
            message: message.into(),
            retry_after: None,
            details: None,
        }
    }

    /// An internal failure: logged with its detail, shown without it.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        eprintln!("nhiemvu web: lỗi nội bộ: {detail}");
        ApiError::new(
            "internal",
            "Lỗi hệ thống, vui lòng thử lại sau hoặc báo quản trị viên",
        )
    }

    /// Adds `Retry-After` (seconds).
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// Adds `details`: what exactly is wrong, for the client to show where it belongs (the
    /// problems of a review, field by field).
    pub fn with_details(mut self, details: serde_json::Value) -> ApiError {
        self.details = Some(details);
        self
    }

    /// The error code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message (Vietnamese; an internal failure's says only that there was one).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the code, from [`ERRORS`].
    pub fn status(&self) -> u16 {
        self.row().0
    }

    fn row(&self) -> (u16, &'static str) {
        ERRORS
            .iter()
            .find(|e| e.0 == self.code)
            .map_or((500, "system"), |e| (e.1, e.2))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind) = self.row();
        let mut body = json!({
            "message": self.message,
            "code": self.code,
            "type": kind,
            "link": format!("/api/docs#error-{}", self.code),
        });
        if let Some(details) = self.details {
            body["details"] = details;
        }
        let mut response = (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(body),
        )
            .into_response();
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<store::Error> for ApiError {
    fn from(e: store::Error) -> ApiError {
        use store::Error as E;
        let message = e.to_string();
        match e {
            E::Invalid { .. } | E::BadBackup { .. } | E::Settings(_) => {
                ApiError::new("invalid_value", message)
            }
            E::NotFound { .. } => ApiError::new("not_found", message),
            E::SecretDocument(_) => ApiError::new("secret_document", message),
            E::HashMismatch { .. } => ApiError::new("hash_mismatch", message),
            E::DuplicateDocument { .. } => ApiError::new("duplicate_document", message),
            E::FileTooLarge { .. } => ApiError::new("file_too_large", message),
            E::NotYetEffective { .. } => ApiError::new("not_yet_effective", message),
            // The database's own wording names tables and constraints: log it, say less.
            E::MissingReference(inner) => {
                eprintln!("nhiemvu web: tham chiếu không tồn tại: {inner}");
                ApiError::new(
                    "missing_reference",
                    "Dữ liệu tham chiếu tới bản ghi không tồn tại",
                )
            }
            E::Duplicate(inner) => {
                eprintln!("nhiemvu web: trùng dữ liệu: {inner}");
                ApiError::new("duplicate", "Dữ liệu bị trùng với bản ghi đã có")
            }
            E::Refused { code, message } => {
                let known = ERRORS.iter().any(|e| e.0 == code && e.2 == "rule");
                ApiError::new(if known { code } else { "refused" }, message)
            }
            // Faults an administrator fixes and a client waits out (issue #13, Faults): said as
            // such rather than as an unexplained internal error. The detail goes to the log.
            E::Database(inner) if storage_full(&inner) => {
                eprintln!("nhiemvu web: hết dung lượng lưu trữ: {inner}");
                ApiError::new(
                    "storage_full",
                    "Máy chủ đã hết dung lượng lưu trữ nên thay đổi này chưa được ghi; dữ liệu đã có vẫn nguyên vẹn. Vui lòng báo quản trị viên giải phóng dung lượng rồi thử lại.",
                )
            }
            E::Database(inner) if unavailable(&inner) => {
                eprintln!("nhiemvu web: không kết nối được cơ sở dữ liệu: {inner}");
                ApiError::new(
                    "database_unavailable",
                    "Tạm thời không kết nối được cơ sở dữ liệu (đang khởi động lại hoặc quá tải) nên thay đổi này chưa được ghi. Vui lòng thử lại sau ít phút.",
                )
                .retry_after(5)
            }
            other => ApiError::internal(other),
        }
    }
}

/// The database's file system is full: SQLite's SQLITE_FULL (13), PostgreSQL's `disk_full`.
fn storage_full(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "13" || c == "53100")
}

/// The database cannot be reached for now: the connection failed or was cut, the pool has no
/// connection to give, or PostgreSQL is shutting down, starting or out of connections.
fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| {
            c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match &r {
            JsonRejection::JsonSyntaxError(_) => ApiError::new(
                "invalid_json",
                format!(
                    "Nội dung không phải JSON hợp lệ: {}",
                    serde_detail(&r.body_text())
                ),
            ),
            JsonRejection::JsonDataError(_) => ApiError::new(
                "invalid_field",
                format!("JSON không đúng lược đồ: {}", serde_detail(&r.body_text())),
            ),
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                "unsupported_media_type",
                "Cần gửi Content-Type: application/json",
            ),
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large(),
            _ => ApiError::new(
                "invalid_json",
                format!("Không đọc được nội dung: {}", r.body_text()),
            ),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::new(
            "invalid_query",
            format!(
                "Tham số truy vấn không hợp lệ: {}",
                serde_detail(&r.body_text())
            ),
        )
    }
}

impl From<axum::extract::multipart::MultipartError> for ApiError {
    fn from(e: axum::extract::multipart::MultipartError) -> ApiError {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(
                "invalid_multipart",
                format!("Dữ liệu multipart không hợp lệ: {}", e.body_text()),
            )
        }
    }
}

/// The body was cut at the route's limit.
pub fn too_large() -> ApiError {
    ApiError::new(
        "payload_too_large",
        "Nội dung gửi lên vượt quá giới hạn cho phép của chức năng này",
    )
}

/// serde's English detail, its common phrases put in Vietnamese (field names kept, since they
/// are what the caller must fix).
fn serde_detail(text: &str) -> String {
    let detail = [
        "Failed to deserialize the JSON body into the target type: ",
        "Failed to parse the request body as JSON: ",
        "Failed to deserialize query string: ",
    ]
    .iter()
    .find_map(|p| text.strip_prefix(p))
    .unwrap_or(text);
    let pairs = [
        ("unknown field", "trường không được hỗ trợ"),
        ("missing field", "thiếu trường bắt buộc"),
        ("invalid type", "sai kiểu dữ liệu"),
        ("unknown variant", "giá trị không được hỗ trợ"),
        ("expected one of", "chỉ nhận một trong"),
        ("expected", "cần"),
        ("a string", "chuỗi"),
        ("an integer", "số nguyên"),
        ("a boolean", "true/false"),
        ("integer", "số nguyên"),
        ("string", "chuỗi"),
        ("invalid value", "giá trị không hợp lệ"),
        ("at line", "ở dòng"),
        ("column", "cột"),
        ("EOF while parsing", "nội dung bị cắt ngang khi đọc"),
        ("trailing characters", "có ký tự thừa ở cuối"),
        ("key must be a string", "khóa phải là chuỗi"),
    ];
    let mut out = detail.to_owned();
    for (en, vi) in pairs {
        out = out.replace(en, vi);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_and_typed() {
        let mut codes: Vec<&str> = ERRORS.iter().map(|e| e.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ERRORS.len());
        for (code, status, kind, _) in ERRORS {
            assert!(TYPES.contains(kind), "{code}");
            assert!((400..600).contains(status), "{code}");
        }
    }

    #[test]
    fn refusal_codes_of_the_workflow_are_mapped() {
        for code in [
            "cancelled",
            "completed",
            "wrong_status",
            "not_permitted",
            "own_work",
            "reason_required",
            "extension_too_late",
        ] {
            let e = ApiError::from(store::Error::Refused {
                code,
                message: "x".into(),
            });
            assert_eq!(e.code(), code);
        }
    }
}
