//! E-mail for nhiemvu's reminders: a [`Message`] rendered as RFC 5322 in UTF-8, a small SMTP
//! [`Client`] on `std::net::TcpStream`, and [`SmtpSink`], a real SMTP server that records what
//! it receives, for tests (in process, or as the `smtp-sink` binary for tests that run several
//! processes).
//!
//! # Plain SMTP, TLS from a relay
//! The client speaks plain SMTP (RFC 5321) with optional `AUTH PLAIN` or `AUTH LOGIN`, and no
//! TLS: a provincial server sends through a relay on the same machine or network (Postfix,
//! or stunnel in front of the mail provider's submission port) that holds the TLS
//! configuration, the certificates and the retry queue administrators already know. Keeping
//! TLS out keeps this crate free of a TLS stack and its certificate store. Because credentials
//! cross the wire in clear text (base64 is not encryption), configure AUTH only towards a relay
//! on `localhost` or a trusted network.
//!
//! # What a message looks like
//! Headers are ASCII: the subject is written as RFC 2047 encoded words (`=?UTF-8?B?…?=`), each
//! holding whole characters and short enough to keep every line under 76 columns; the body is
//! `text/plain; charset=UTF-8` in base64, lines of 76. The `Message-ID` is written exactly as
//! given: the outbox fixes it when a reminder is queued, so a resend after a crash carries the
//! same identity and mail clients show one message. Every address and header value is checked
//! before anything is sent; a CR or LF in any of them (header injection) is refused.
//!
//! # Delivery guarantees
//! [`Client::send`] returns `Ok` only after the server accepted the message (`250` after
//! `DATA`). A process killed after that reply and before recording it will send again: delivery
//! is at least once, and the fixed `Message-ID` is what lets the receiving side see the copies
//! as one message. The store's outbox (`store::Store::lease_mail`) describes the loop.
//!
//! # Timeouts
//! Connecting, every read and every write have a timeout ([`SmtpConfig`]), so a relay that hangs
//! cannot hold a scheduler forever.
#![warn(missing_docs)]

mod client;
mod encode;
mod error;
mod message;
pub mod sink;

pub use client::{Client, Credentials, SmtpConfig, send};
pub use error::Error;
pub use message::{Message, check_address, check_message_id};
pub use sink::{Received, SinkOptions, SmtpSink};

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
