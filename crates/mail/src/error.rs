//! The one error type of the crate. Messages are Vietnamese because they end up in the outbox's
//! `last_error`, which administrators read; the server's own reply is kept verbatim.

use std::io;

/// What went wrong building or sending a message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An address that is not a plain `local@domain` in ASCII (or holds a CR, LF or space).
    #[error("địa chỉ thư điện tử không hợp lệ: {0:?}")]
    InvalidAddress(String),
    /// A header value with a control character (CR/LF: header injection) or of the wrong form.
    #[error("trường {field} của thư không hợp lệ: {value:?}")]
    InvalidHeader {
        /// The header (`Subject`, `Message-ID`).
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// A message with nobody to send it to.
    #[error("thư không có người nhận")]
    NoRecipients,
    /// The server could not be reached (refused, unreachable, timed out).
    #[error("không kết nối được máy chủ thư {server}: {source}")]
    Connect {
        /// `host:port` as configured.
        server: String,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Reading or writing the connection failed or timed out.
    #[error("lỗi đường truyền với máy chủ thư: {0}")]
    Io(#[from] io::Error),
    /// The server answered a command with an error code.
    #[error("máy chủ thư từ chối {command}: {code} {reply}")]
    Rejected {
        /// The command (`RCPT TO:<a@b.vn>`; never a password).
        command: String,
        /// The reply code (`550`).
        code: u16,
        /// The reply text, lines joined by a space.
        reply: String,
    },
    /// A reply that is not SMTP (no code, mixed codes, too long).
    #[error("máy chủ thư trả lời không đúng giao thức SMTP: {0:?}")]
    Protocol(String),
    /// Credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN.
    #[error("máy chủ thư không cho đăng nhập bằng AUTH PLAIN hoặc AUTH LOGIN")]
    AuthUnsupported,
}

impl Error {
    /// Whether sending the same message again cannot succeed: a `5xx` refusal or a message
    /// that is itself invalid. Connection failures, timeouts and `4xx` replies are worth a
    /// retry later.
    pub fn is_permanent(&self) -> bool {
        match self {
            Error::Rejected { code, .. } => *code >= 500,
            Error::InvalidAddress(_)
            | Error::InvalidHeader { .. }
            | Error::NoRecipients
            | Error::AuthUnsupported => true,
            Error::Connect { .. } | Error::Io(_) | Error::Protocol(_) => false,
        }
    }
}
