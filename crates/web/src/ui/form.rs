//! Posted forms: reading them with their CSRF token checked, the field errors shown next to
//! the fields, and the stamp that makes a double submit write once.
//!
//! - CSRF: a browser form cannot send the API's `X-CSRF-Token` header, so every form carries
//!   the same token (derived from the session id, [`auth::csrf_token`]) as a hidden `csrf`
//!   field, and the extractors here ([`Posted`], [`Upload`]) refuse a form without it before
//!   the handler sees a single field. Before sign-in there is no session: the login form's
//!   token is derived from a random cookie set with the form (double-submit cookie).
//! - Stamps: a task's forms carry a stamp of the task as it was shown (its status, histories,
//!   reports, extension requests, assignments: [`stamp`]). A form is accepted only while the
//!   task still has that stamp, and whatever the form writes changes it, so the second of
//!   two identical submits finds a changed task and writes nothing; so does a form left open
//!   while someone else acted on the task. The check and the write run one at a time in this
//!   process (`task::WRITES`).

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use sha2::{Digest, Sha256};

use super::page::{PageError, csrf_of};
use crate::AppState;
use crate::auth::{self, Caller};
use crate::error::ApiError;

/// The cookie holding the login form's secret.
pub(crate) const LOGIN_COOKIE: &str = "nhiemvu_login";

/// A form's fields in the order posted (a field may repeat: check boxes).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed; empty when absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// The first value of `name` as typed (a password's spaces are part of it).
    pub(crate) fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every non-empty value of `name`.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}

/// The token a form must carry: the session's, else the login cookie's.
fn expected_token(req: &Request) -> Option<String> {
    if let Some(caller) = req.extensions().get::<Caller>() {
        return Some(csrf_of(caller));
    }
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LOGIN_COOKIE)
        .map(|(_, v)| auth::csrf_token(v.trim()))
}

fn check_token(fields: &Fields, expected: Option<String>) -> Result<(), PageError> {
    match expected {
        Some(t) if !t.is_empty() && auth::same(fields.get("csrf"), &t) => Ok(()),
        _ => Err(ApiError::new(
            "csrf_token_invalid",
            "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi gửi lại.",
        )
        .into()),
    }
}

/// A URL-encoded form whose CSRF token was checked.
pub(crate) struct Posted(pub Fields);

impl FromRequest<AppState> for Posted {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Posted, PageError> {
        let expected = expected_token(&req);
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| {
                ApiError::new(
                    "invalid_value",
                    format!("Không đọc được biểu mẫu: {}", e.body_text()),
                )
            })?;
        let fields = Fields(fields);
        check_token(&fields, expected)?;
        Ok(Posted(fields))
    }
}

/// A file of an [`Upload`], as sent (its name is checked by the form that takes it).
pub(crate) struct File {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// A multipart form (with files) whose CSRF token was checked.
pub(crate) struct Upload {
    pub fields: Fields,
    pub files: Vec<File>,
}

impl FromRequest<AppState> for Upload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Upload, PageError> {
        let expected = expected_token(&req);
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|e| ApiError::new("invalid_multipart", e.body_text()))?;
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        while let Some(field) = form.next_field().await.map_err(ApiError::from)? {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                // An empty file input is sent as a part without a name: nothing chosen.
                Some(file) if file.is_empty() => {}
                Some(file) => {
                    let media_type = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_owned();
                    let bytes = field.bytes().await.map_err(ApiError::from)?.to_vec();
                    files.push(File {
                        name: file,
                        media_type,
                        bytes,
                    });
                }
                None => {
                    let text = field.text().await.map_err(ApiError::from)?;
                    fields.push((name, text));
                }
            }
        }
        let fields = Fields(fields);
        check_token(&fields, expected)?;
        Ok(Upload { fields, files })
    }
}

/// A form shown again: its values and what is wrong with them.
#[derive(Debug, Default)]
pub(crate) struct Filled {
    /// The form's id on the page.
    pub form: String,
    pub values: Fields,
    pub invalid: Invalid,
}

impl Filled {
    /// A form filled with `values` and failing with `invalid`.
    pub(crate) fn new(form: impl Into<String>, values: Fields, invalid: Invalid) -> Filled {
        Filled {
            form: form.into(),
            values,
            invalid,
        }
    }

    /// The value to show in a field of `form`: what was posted, if it is that form.
    pub(crate) fn val(&self, form: &str, field: &str) -> &str {
        if self.form == form {
            self.values.get(field)
        } else {
            ""
        }
    }

    /// Whether a check box or option of `form` was chosen.
    pub(crate) fn chose(&self, form: &str, field: &str, value: &str) -> bool {
        self.form == form && self.values.all(field).any(|v| v == value)
    }

    /// The error to show next to a field of `form`.
    pub(crate) fn err(&self, form: &str, field: &str) -> Option<&str> {
        (self.form == form)
            .then(|| {
                self.invalid
                    .fields
                    .iter()
                    .find(|(f, _)| f == field)
                    .map(|(_, m)| m.as_str())
            })
            .flatten()
    }

    /// Every message, each with the anchor of its field (or of its form), for the summary at
    /// the top of a page.
    pub(crate) fn summary(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .invalid
            .general
            .iter()
            .map(|m| (format!("#{}", self.form), m.clone()))
            .collect();
        out.extend(
            self.invalid
                .fields
                .iter()
                .map(|(f, m)| (format!("#{}-{f}", self.form), m.clone())),
        );
        out
    }

    /// The error of `form` as a whole (a refusal by the rules, a stale form).
    pub(crate) fn general(&self, form: &str) -> Option<&str> {
        (self.form == form)
            .then_some(self.invalid.general.as_deref())
            .flatten()
    }
}

/// What is wrong with a form: messages per field, or for the whole form.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub fields: Vec<(String, String)>,
    pub general: Option<String>,
    /// The status to answer with (422 for a field, the error table's for a refusal).
    pub status: u16,
}

impl Default for Invalid {
    fn default() -> Invalid {
        Invalid {
            fields: Vec::new(),
            general: None,
            status: 422,
        }
    }
}

impl Invalid {
    /// One field's message.
    pub(crate) fn field(field: &str, message: impl Into<String>) -> Invalid {
        Invalid {
            fields: vec![(field.to_owned(), message.into())],
            ..Invalid::default()
        }
    }

    /// Adds a field's message.
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields.push((field.to_owned(), message.into()));
    }

    /// Whether nothing is wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// A refusal of the API's rules, put next to the field it is about (`field_of` maps error
    /// codes to the form's fields) or else on the form.
    pub(crate) fn refused(
        e: &ApiError,
        field_of: impl Fn(&str) -> Option<&'static str>,
    ) -> Invalid {
        let mut out = Invalid {
            status: e.status(),
            ..Invalid::default()
        };
        match field_of(e.code()) {
            Some(f) => out.add(f, e.message()),
            None => out.general = Some(e.message().to_owned()),
        }
        out
    }
}

/// The stamp of a task's forms for this session: a hash of what the task is now (`version`).
pub(crate) fn stamp(caller: &Caller, task: store::TaskId, version: &str) -> String {
    let digest = Sha256::digest(format!(
        "nhiemvu-form\0{}\0{task}\0{version}",
        csrf_of(caller)
    ));
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
