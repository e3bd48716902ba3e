//! The OpenAPI 3.1 document, built from the route table ([`crate::ROUTES`]) and the error
//! table, so it describes exactly the routes the router serves.

use serde_json::{Map, Value, json};

use crate::access::{Allow, Body, ROUTES};
use crate::error::ERRORS;

fn schemas() -> Value {
    let s = |v: Value| v;
    let page = |item: &str| {
        json!({"type": "object", "required": ["items", "next"], "properties": {
            "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}},
            "next": {"type": ["integer", "null"], "description": "Con trỏ trang sau (after), null khi hết"}}})
    };
    let mut schemas = json!({
        "Error": s(json!({"type": "object", "required": ["message", "code", "type", "link"], "properties": {
            "message": {"type": "string", "description": "Thông báo tiếng Việt"},
            "code": {"type": "string", "enum": ERRORS.iter().map(|e| e.0).collect::<Vec<_>>()},
            "type": {"type": "string", "enum": crate::error::TYPES},
            "link": {"type": "string"},
            "details": {"description": "Chi tiết lỗi khi có, ví dụ các lỗi của đề xuất rà soát (review_invalid)"}}})),
        "LoginRequest": {"type": "object", "additionalProperties": false, "required": ["login", "password"],
            "properties": {"login": {"type": "string"}, "password": {"type": "string"}}},
        "TokenRequest": {"type": "object", "additionalProperties": false, "required": ["name"],
            "properties": {"name": {"type": "string", "description": "Tên hệ thống dùng mã"}}},
        "Token": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "token": {"type": "string"}}},
        "User": {"type": "object", "properties": {"id": {"type": "integer"}, "login": {"type": "string"}, "full_name": {"type": "string"},
            "email": {"type": ["string", "null"]}, "active": {"type": "boolean"},
            "roles": {"type": "array", "items": {"type": "string", "enum": ["agency_officer", "agency_head", "monitor", "leader", "admin"]}},
            "agencies": {"type": "array", "items": {"type": "integer"}}}},
        "Me": {"type": "object", "properties": {"user": {"$ref": "#/components/schemas/User"}, "csrf_token": {"type": ["string", "null"]}}},
        "Ok": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
        "Created": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "ParsedDocument": {"type": "object", "description": "nhiemvu.document/1 (xem document-json.md)"},
        "CommitOutcome": {"type": "object", "properties": {"document": {"type": "integer"}, "tasks": {"type": ["integer", "null"]},
            "imported": {"type": "boolean"}, "message": {"type": "string"}}},
        "DocumentSummary": {"type": "object", "properties": {"id": {"type": "integer"}, "code": {"type": ["string", "null"]},
            "year": {"type": ["integer", "null"]}, "issuer": {"type": ["string", "null"]}, "issued_on": {"type": ["string", "null"]},
            "subject": {"type": ["string", "null"]}, "file_name": {"type": "string"}, "imported_at": {"type": "string"}, "tasks": {"type": "integer"}}},
        "DocumentPage": page("DocumentSummary"),
        "Document": {"type": "object", "description": "Văn bản đã lưu: thông tin, parse_result, text, references"},
        "Task": {"type": "object", "properties": {"id": {"type": "integer"}, "document": {"type": "integer"}, "outline_id": {"type": "string"},
            "text": {"type": "string"}, "status": {"type": "string"}, "assignments": {"type": "array"}, "deadlines": {"type": "array"}}},
        "TaskPage": page("Task"),
        "TaskDetail": {"allOf": [{"$ref": "#/components/schemas/Task"}, {"type": "object", "properties": {
            "allowed_actions": {"type": "array", "items": {"type": "string"}}, "history": {"type": "array"},
            "extensions": {"type": "array"}, "reports": {"type": "array"}}}]},
        "TransitionRequest": {"type": "object", "additionalProperties": false, "required": ["action"], "properties": {
            "action": {"type": "string", "enum": ["start", "report_done", "confirm", "return", "suspend", "resume", "refuse", "reassign", "cancel", "reopen"]},
            "reason": {"type": "string"}, "lead": {"type": "integer", "description": "reassign: mã cơ quan chủ trì mới"}}},
        "TransitionResult": {"type": "object", "properties": {"status": {"type": "string"}}},
        "HandOverRequest": {"type": "object", "additionalProperties": false, "required": ["officer"],
            "properties": {"officer": {"type": "string", "description": "Tên đăng nhập của cán bộ"}}},
        "ReportRequest": {"type": "object", "additionalProperties": false, "required": ["content"], "properties": {
            "content": {"type": "string"}, "percent": {"type": "integer", "minimum": 0, "maximum": 100},
            "result": {"type": "string", "description": "Số, ký hiệu văn bản báo cáo kết quả"}}},
        "ExtensionRequest": {"type": "object", "additionalProperties": false, "required": ["proposed_due_on", "reason"],
            "properties": {"proposed_due_on": {"type": "string", "format": "date"}, "reason": {"type": "string"}}},
        "ExtensionDecision": {"type": "object", "additionalProperties": false, "required": ["approve"],
            "properties": {"approve": {"type": "boolean"}, "note": {"type": "string"}}},
        "SearchHit": {"type": "object", "required": ["kind", "id", "document"], "properties": {
            "kind": {"type": "string", "enum": ["document", "task"]}, "id": {"type": "integer"},
            "document": {"type": "integer"}, "code": {"type": ["string", "null"]},
            "outline_id": {"type": ["string", "null"]}, "title": {"type": ["string", "null"]},
            "status": {"type": ["string", "null"]}}},
        "SearchPage": page("SearchHit"),
        "Counts": {"type": "object", "properties": {"as_of": {"type": "string"}, "by": {"type": "string"}, "rows": {"type": "array"}}},
        "Agency": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "AgencyPage": page("Agency"),
        "UserPage": page("User"),
        "AuditEntry": {"type": "object"},
        "AuditPage": page("AuditEntry"),
        "Notice": {"type": "object"},
        "NoticePage": page("Notice"),
        "Any": {},
        "Html": {"type": "string"},
    });
    if let (Some(all), Value::Object(more)) = (schemas.as_object_mut(), admin_schemas()) {
        all.extend(more);
    }
    schemas
}

/// The schemas of administration, search-adjacent and webhook routes (a second `json!`: one
/// literal this size exceeds the macro's recursion limit).
fn admin_schemas() -> Value {
    let page = |item: &str| {
        json!({"type": "object", "required": ["items", "next"], "properties": {
            "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}},
            "next": {"type": ["integer", "null"], "description": "Con trỏ trang sau (after), null khi hết"}}})
    };
    json!({
        "NewUserRequest": {"type": "object", "additionalProperties": false, "required": ["login", "full_name", "roles"], "properties": {
            "login": {"type": "string", "minLength": 1}, "full_name": {"type": "string", "minLength": 1},
            "email": {"type": ["string", "null"]}, "password": {"type": ["string", "null"], "minLength": 10, "description": "Ít nhất 10 ký tự; bỏ trống: tài khoản chỉ dùng mã truy cập API"},
            "roles": {"type": "array", "items": {"type": "string", "enum": ["agency_officer", "agency_head", "monitor", "leader", "admin"]}},
            "agencies": {"type": "array", "items": {"type": "integer"}, "description": "Mã các cơ quan của tài khoản"}}},
        "Reorganisation": {"type": "object", "properties": {"id": {"type": "integer"}, "kind": {"type": "string"},
            "effective_on": {"type": "string"}, "note": {"type": "string"}, "applied_at": {"type": ["string", "null"]},
            "predecessors": {"type": "array"}, "successors": {"type": "array"}}},
        "ReorganisationPage": page("Reorganisation"),
        "ApplyOutcome": {"type": "object", "required": ["applied", "moved"], "properties": {
            "applied": {"type": "boolean", "description": "false: đã áp dụng từ trước, không thay đổi gì"},
            "moved": {"type": "integer", "description": "Số phân công nhiệm vụ đã chuyển"}}},
        "File": {"type": "string", "format": "binary"},
        "WebhookRequest": {"type": "object", "additionalProperties": false, "required": ["url", "events"], "properties": {
            "url": {"type": "string", "description": "http://máy:cổng/đường-dẫn (https cần một proxy TLS cục bộ)"},
            "events": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": store::WEBHOOK_EVENTS.iter().map(|e| e.0).collect::<Vec<_>>()}}}},
        "Webhook": {"type": "object", "properties": {"id": {"type": "integer"}, "url": {"type": "string"},
            "events": {"type": "array", "items": {"type": "string"}}, "created_at": {"type": "string"}, "revoked_at": {"type": ["string", "null"]}}},
        "WebhookCreated": {"allOf": [{"$ref": "#/components/schemas/Webhook"}, {"type": "object", "required": ["secret"], "properties": {
            "secret": {"type": "string", "description": "Khóa HMAC-SHA256 ký nội dung (tiêu đề X-Nhiemvu-Signature: sha256=…); chỉ hiện lần này"}}}]},
        "WebhookPage": page("Webhook"),
        "WebhookDelivery": {"type": "object", "properties": {"id": {"type": "integer"}, "delivery_id": {"type": "string"},
            "event": {"type": "string"}, "payload": {"type": "string"}, "attempts": {"type": "integer"}, "not_before": {"type": "string"},
            "sent_at": {"type": ["string", "null"]}, "failed_at": {"type": ["string", "null"]},
            "last_status": {"type": ["integer", "null"]}, "last_error": {"type": ["string", "null"]}}},
        "ReviewTask": {"type": "object", "additionalProperties": false, "required": ["id", "text", "lead", "support", "deadline"], "properties": {
            "id": {"type": "string"}, "text": {"type": "string"},
            "lead": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewParty"}},
            "support": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewParty"}},
            "deadline": {"type": "object", "additionalProperties": false, "required": ["kind"], "properties": {
                "kind": {"type": "string", "description": "date, period, recurring, on_request, conditional, none"},
                "date": {"type": ["string", "null"]}, "text": {"type": ["string", "null"]}, "every": {"type": ["string", "null"]}}},
            "span": {"type": ["array", "null"], "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2},
            "references": {"type": "array", "items": {"type": "string"}}}},
        "ReviewParty": {"type": "object", "additionalProperties": false, "required": ["name", "kind"], "properties": {
            "name": {"type": "string"}, "kind": {"type": "string", "description": "agency (trong danh mục), group hoặc unknown"}}},
        "Problem": {"type": "object", "required": ["index", "field", "message"], "properties": {
            "index": {"type": "integer"}, "task": {"type": ["string", "null"]}, "field": {"type": "string"}, "message": {"type": "string"}}},
        "ImportDraftSummary": {"type": "object", "required": ["id", "file_name", "sha256", "state", "revision"], "properties": {
            "id": {"type": "integer"}, "file_name": {"type": "string"}, "sha256": {"type": "string"},
            "state": {"type": "string", "enum": ["open", "committed", "discarded"]}, "revision": {"type": "integer"},
            "document_id": {"type": ["integer", "null"], "description": "Văn bản đã ghi từ bản nháp"}, "created_by": {"type": ["integer", "null"]},
            "created_at": {"type": "string"}, "updated_at": {"type": "string"}}},
        "ImportDraftPage": page("ImportDraftSummary"),
        "ImportDraft": {"allOf": [{"$ref": "#/components/schemas/ImportDraftSummary"}, {"type": "object",
            "required": ["document", "text", "tasks", "problems"], "properties": {
            "document": {"$ref": "#/components/schemas/ParsedDocument"}, "text": {"type": "string", "description": "Văn bản đã chuẩn hóa; span trỏ vào đây"},
            "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewTask"}},
            "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}},
            "already_imported": {"type": ["integer", "null"], "description": "Văn bản đã lưu từ cùng tệp, nếu có"}}}]},
        "ImportDraftEdit": {"type": "object", "additionalProperties": false, "required": ["tasks"], "properties": {
            "tasks": {"type": "array", "maxItems": 2000, "items": {"$ref": "#/components/schemas/ReviewTask"}},
            "revision": {"type": ["integer", "null"], "description": "Phiên bản đã sửa trên đó; lưu bị từ chối nếu đã có người lưu sau"}}},
        "Settings": settings_schema(),
        "CalendarChangeRequest": {"type": "object", "additionalProperties": false, "required": ["date", "kind", "note"], "properties": {
            "date": {"type": "string", "format": "date", "description": "Ngày, YYYY-MM-DD (1900–2199)"},
            "kind": {"type": "string", "enum": store::CalendarChangeKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(),
                "description": "day_off: ngày nghỉ; working_day: ngày làm việc"},
            "note": {"type": "string", "minLength": 1, "maxLength": store::MAX_CALENDAR_NOTE_CHARS, "description": "Căn cứ: quyết định, thông báo công bố"}}},
        "CalendarChange": {"type": "object", "required": ["id", "date", "kind", "note", "created_at"], "properties": {
            "id": {"type": "integer"}, "date": {"type": "string", "format": "date"},
            "kind": {"type": "string", "enum": store::CalendarChangeKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>()},
            "note": {"type": "string"}, "created_by": {"type": ["integer", "null"]}, "created_at": {"type": "string"}}},
        "CalendarChangePage": page("CalendarChange"),
        "WebhookDeliveryList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookDelivery"}}}},
    })
}

/// `workflow::Settings`: every field optional on input (the defaults fill the rest), none
/// other accepted; distances in working days up to [`workflow::MAX_SETTING_WORKING_DAYS`].
fn settings_schema() -> Value {
    let max = workflow::MAX_SETTING_WORKING_DAYS;
    let days = |min: u32, description: &str| json!({"type": "integer", "minimum": min, "maximum": max, "description": description});
    json!({"type": "object", "additionalProperties": false, "properties": {
        "near_due_working_days": days(0, "Sắp đến hạn khi còn từ 0 đến N ngày làm việc (mặc định 3)"),
        "reminders": {"type": "object", "additionalProperties": false, "properties": {
            "before_working_days": {"type": "array", "items": days(1, "Nhắc trước hạn N ngày làm việc"), "description": "Mặc định [3, 1]"},
            "on_due_day": {"type": "boolean", "description": "Nhắc vào ngày đến hạn (mặc định có)"},
            "overdue_first_working_days": days(1, "Thông báo quá hạn đầu tiên sau hạn N ngày làm việc (mặc định 1)"),
            "overdue_every_working_days": days(0, "Rồi nhắc lại mỗi N ngày làm việc; 0: không nhắc lại (mặc định 5)"),
            "monitor_after_working_days": days(0, "Báo cả cơ quan theo dõi khi quá hạn từ N ngày làm việc (mặc định 5)")}}}})
}

/// The schema of a query parameter, by its name (the same name means the same thing on
/// every route).
fn query_schema(name: &str) -> Value {
    let id = json!({"type": "integer", "minimum": 1, "maximum": i64::MAX});
    // The calendar covers 1900–2199.
    let date = json!({"type": "string", "format": "date",
        "pattern": "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"});
    match name {
        "after" | "agency" | "document" => id,
        "limit" => json!({"type": "integer", "minimum": 1, "maximum": 500}),
        "unread" | "all" => json!({"type": "boolean"}),
        "as_of" | "due_from" | "due_to" => date,
        "status" => {
            json!({"type": "string", "enum": workflow::Status::ALL.iter().map(|s| s.code()).collect::<Vec<_>>()})
        }
        "timeliness" => {
            json!({"type": "string", "enum": workflow::Timeliness::ALL.iter().map(|t| t.code()).collect::<Vec<_>>()})
        }
        "by" => json!({"type": "string", "enum": ["agency", "document"]}),
        "q" => {
            json!({"type": "string", "pattern": "[^\\W_]", "description": "Ít nhất một chữ hoặc số"})
        }
        _ => json!({"type": "string"}),
    }
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let mut params: Vec<Value> = Vec::new();
        if r.path.contains("{id}") {
            params.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": i64::MAX}}));
        }
        for (name, description) in r.query {
            params.push(json!({"name": name, "in": "query", "required": false, "description": description, "schema": query_schema(name)}));
        }
        let who = match r.allow {
            Allow::Public => "Không cần đăng nhập".to_owned(),
            Allow::SignedIn => "Mọi tài khoản đã đăng nhập".to_owned(),
            Allow::Roles(roles) => format!(
                "Vai trò: {}",
                roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut op = json!({
            "operationId": format!("{}{}", r.method.as_str().to_lowercase(), r.path.replace(['/', '{', '}', '.', '-'], "_")),
            "summary": r.summary,
            "description": who,
            "tags": [r.tag],
            "parameters": params,
            "responses": {
                "200": {"description": "Thành công", "content": {
                    match r.response { "Html" => "text/html", "File" => "application/octet-stream", _ => "application/json" }:
                    {"schema": {"$ref": format!("#/components/schemas/{}", r.response)}}}},
                "4XX": {"description": "Lỗi của yêu cầu (xem bảng mã lỗi)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "5XX": {"description": "Lỗi hệ thống", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        });
        // Routes that create something answer 201 (a document already imported: 200).
        let created = r.method == axum::http::Method::POST
            && (matches!(
                r.response,
                "Token"
                    | "Created"
                    | "WebhookCreated"
                    | "CommitOutcome"
                    | "ImportDraft"
                    | "CalendarChange"
            ) || r.path == "/api/users");
        if created {
            let success = op["responses"]["200"].take();
            op["responses"]["201"] = success.clone();
            if r.response == "CommitOutcome" {
                op["responses"]["200"] = success;
            } else if let Some(responses) = op["responses"].as_object_mut() {
                responses.remove("200");
            }
        }
        if r.allow == Allow::Public {
            op["security"] = json!([]);
        }
        let file_body = json!({"required": true, "content": {
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
        match r.body {
            Body::None => {}
            Body::Json(schema) => {
                op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
            }
            Body::File => op["requestBody"] = file_body,
            Body::Report => {
                op["requestBody"] = json!({"required": true, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ReportRequest"}},
                    "multipart/form-data": {"schema": {"type": "object", "required": ["report"], "properties": {
                        "report": {"$ref": "#/components/schemas/ReportRequest"},
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}});
            }
        }
        let entry = paths.entry(r.path.to_owned()).or_insert_with(|| json!({}));
        entry[r.method.as_str().to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "nhiemvu API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "API theo dõi nhiệm vụ từ văn bản chỉ đạo. Trình duyệt: cookie phiên + tiêu đề X-CSRF-Token cho yêu cầu thay đổi dữ liệu; hệ thống khác: Authorization: Bearer <mã truy cập>.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "cookie": {"type": "apiKey", "in": "cookie", "name": crate::auth::COOKIE},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"cookie": []}, {"bearer": []}],
        "x-error-codes": ERRORS.iter().map(|(code, status, kind, meaning)| json!({"code": code, "status": status, "type": kind, "message": meaning})).collect::<Vec<_>>(),
    })
}
