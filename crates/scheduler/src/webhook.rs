//! Webhook deliveries: signed JSON POSTs over a minimal HTTP/1.1 client.
//!
//! The store plans deliveries from the audit log and leases them (`store::webhooks`); this
//! module signs and sends them. The body is signed with HMAC-SHA256 under the subscription's
//! secret, sent as `X-Nhiemvu-Signature: sha256=<hex>`; `X-Nhiemvu-Delivery` carries the
//! delivery id, the same on every attempt, so a receiver recognises a resend.
//!
//! Plain `http://` only, over std's `TcpStream`, as the SMTP client speaks plain SMTP: an
//! `https://` receiver is reached through a local TLS proxy (stunnel, nginx), which keeps
//! certificates and TLS versions out of this program.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The signature header's value for `body` under `secret`: `sha256=` and 64 hex digits.
pub fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC key");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256=");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Whether `header` is the signature of `body` under `secret` (compared in constant time):
/// what a receiver checks.
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let expected = signature(secret, body);
    expected.len() == header.len()
        && expected
            .bytes()
            .zip(header.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// How long to wait to connect, and for each read or write.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Connecting.
    pub connect: Duration,
    /// Each read or write.
    pub io: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(5),
            io: Duration::from_secs(15),
        }
    }
}

/// Why a POST did not get a `2xx`.
#[derive(Debug)]
pub enum PostError {
    /// The URL is not `http://host[:port]/path`.
    Url(String),
    /// No answer: cannot connect, time-out, broken connection, garbled reply.
    Io(String),
    /// The receiver answered with this status (not 2xx).
    Status(u16),
}

impl std::fmt::Display for PostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PostError::Url(u) => write!(
                f,
                "địa chỉ webhook không hợp lệ: {u} (chỉ http://; https cần một proxy TLS cục bộ)"
            ),
            PostError::Io(e) => write!(f, "không gửi được webhook: {e}"),
            PostError::Status(s) => write!(f, "nơi nhận webhook trả lời mã HTTP {s}"),
        }
    }
}

impl std::error::Error for PostError {}

/// Host, port and path of an `http://` URL.
fn split_url(url: &str) -> Result<(String, u16, String), PostError> {
    let bad = || PostError::Url(url.to_owned());
    let rest = url.strip_prefix("http://").ok_or_else(bad)?;
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h.to_owned(), p.parse().map_err(|_| bad())?)
        }
        _ => (authority.to_owned(), 80),
    };
    if host.is_empty() || host.contains('@') || path.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad());
    }
    Ok((host, port, path))
}

/// POSTs `body` (JSON) to `url` with `headers`; the status of a `2xx` answer.
pub fn post(
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeouts: Timeouts,
) -> Result<u16, PostError> {
    let (host, port, path) = split_url(url)?;
    let io = |e: std::io::Error| PostError::Io(e.to_string());
    let addrs = (host.trim_matches(['[', ']']), port)
        .to_socket_addrs()
        .map_err(io)?;
    let mut stream = None;
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeouts.connect) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut stream = stream.ok_or_else(|| {
        PostError::Io(
            last.map_or_else(|| format!("không phân giải được {host}"), |e| e.to_string()),
        )
    })?;
    stream.set_read_timeout(Some(timeouts.io)).map_err(io)?;
    stream.set_write_timeout(Some(timeouts.io)).map_err(io)?;
    let host_header = if port == 80 {
        host.clone()
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: nhiemvu-webhook/{}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    for (name, value) in headers {
        if value.contains(['\r', '\n']) || name.contains(['\r', '\n', ':']) {
            return Err(PostError::Io(format!("tiêu đề không hợp lệ: {name}")));
        }
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).map_err(io)?;
    stream.write_all(body).map_err(io)?;
    stream.flush().map_err(io)?;
    // Only the status line matters; the rest of the answer is read up to a cap and dropped.
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while !reply.windows(2).any(|w| w == b"\r\n") && reply.len() < 8192 {
        let n = stream.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        reply.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&reply);
    let status: u16 = line
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("HTTP/1."))
        .and_then(|l| l.get(2..5))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| PostError::Io("câu trả lời không phải HTTP".to_owned()))?;
    if (200..300).contains(&status) {
        Ok(status)
    } else {
        Err(PostError::Status(status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(verify(
            "Jefe",
            b"what do ya want for nothing?",
            &signature("Jefe", b"what do ya want for nothing?")
        ));
        assert!(!verify(
            "Jefe",
            b"what do ya want for nothing!",
            &signature("Jefe", b"what do ya want for nothing?")
        ));
    }

    #[test]
    fn urls_are_split_and_https_refused() {
        assert_eq!(
            split_url("http://127.0.0.1:9000/hook?x=1").unwrap(),
            ("127.0.0.1".into(), 9000, "/hook?x=1".into())
        );
        assert_eq!(
            split_url("http://lgsp.gov.vn").unwrap(),
            ("lgsp.gov.vn".into(), 80, "/".into())
        );
        assert!(split_url("https://lgsp.gov.vn/").is_err());
        assert!(split_url("http://a@b/").is_err());
    }
}
