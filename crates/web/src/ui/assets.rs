//! The vendored files the pages use, compiled into the binary (government intranets are
//! closed: nothing is fetched from elsewhere, at build time or in the browser).
//!
//! - `app.css`: the one style sheet, written for this UI.
//! - `htmx.min.js`: htmx 4.0.1 (`npm pack htmx.org`, `dist/htmx.min.js`), BSD Zero Clause
//!   licence (`static/htmx.LICENSE`, served beside it).
//!
//! Pages link each file with its content's hash in the address (`/static/app.css?v=…`), so
//! a browser may keep it for a year and still gets a changed file at once.

use std::sync::OnceLock;

use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    media_type: &'static str,
    bytes: &'static [u8],
}

static ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        media_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/app.css"),
    },
    Asset {
        name: "htmx.min.js",
        media_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/htmx.min.js"),
    },
    Asset {
        name: "htmx.LICENSE",
        media_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../static/htmx.LICENSE"),
    },
];

/// Each asset's version: the start of its SHA-256, computed once.
fn version(i: usize) -> &'static str {
    static VERSIONS: OnceLock<Vec<String>> = OnceLock::new();
    &VERSIONS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                Sha256::digest(a.bytes)
                    .iter()
                    .take(6)
                    .map(|b| format!("{b:02x}"))
                    .collect()
            })
            .collect()
    })[i]
}

/// The address of an asset, with its version.
pub(crate) fn url(name: &str) -> String {
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/static/{name}?v={}", version(i)),
        None => format!("/static/{name}"),
    }
}

pub(crate) async fn serve(Path(file): Path<String>, RawQuery(query): RawQuery) -> Response {
    let Some(i) = ASSETS.iter().position(|a| a.name == file) else {
        return super::not_found();
    };
    let asset = &ASSETS[i];
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.media_type),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The versioned address never changes content; an unversioned one may, next release.
    let current = query.as_deref() == Some(&format!("v={}", version(i)));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if current {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", version(i))) {
        h.insert(header::ETAG, etag);
    }
    (StatusCode::OK, h, asset.bytes).into_response()
}
