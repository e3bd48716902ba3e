//! A plain-text message in UTF-8 and its RFC 5322 form.

use std::time::SystemTime;

use crate::encode;
use crate::error::Error;

/// A plain-text e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Sender address (`nhacviec@quangngai.gov.vn`), also the envelope sender.
    pub from: String,
    /// Recipient addresses, also the envelope recipients.
    pub to: Vec<String>,
    /// Subject, any Unicode text on one line.
    pub subject: String,
    /// The text; line breaks may be LF or CRLF.
    pub body_text: String,
    /// `<left@right>`, written exactly as given.
    pub message_id: String,
    /// The `Date` header (written in UTC+7).
    pub date: SystemTime,
}

impl Message {
    /// Checks every address and header value: addresses are plain ASCII `local@domain`, the
    /// subject holds no control character (CR/LF would inject headers), the Message-ID is
    /// `<left@right>`.
    pub fn validate(&self) -> Result<(), Error> {
        check_address(&self.from)?;
        if self.to.is_empty() {
            return Err(Error::NoRecipients);
        }
        for to in &self.to {
            check_address(to)?;
        }
        if self.subject.chars().any(char::is_control) {
            return Err(Error::InvalidHeader {
                field: "Subject",
                value: self.subject.clone(),
            });
        }
        check_message_id(&self.message_id)
    }

    /// The message as RFC 5322 text with CRLF line ends, ready for `DATA` (before
    /// dot-stuffing). Validates first.
    pub fn render(&self) -> Result<Vec<u8>, Error> {
        self.validate()?;
        let mut out = String::new();
        out.push_str(&format!("Date: {}\r\n", encode::rfc5322_date(self.date)));
        out.push_str(&format!("From: {}\r\n", self.from));
        out.push_str(&address_list("To", &self.to));
        out.push_str(&format!(
            "Subject: {}\r\n",
            encode::encoded_words(&self.subject)
        ));
        out.push_str(&format!("Message-ID: {}\r\n", self.message_id));
        out.push_str("MIME-Version: 1.0\r\n");
        out.push_str("Content-Type: text/plain; charset=UTF-8\r\n");
        out.push_str("Content-Transfer-Encoding: base64\r\n");
        out.push_str("\r\n");
        out.push_str(&encode::base64_lines(crlf(&self.body_text).as_bytes()));
        Ok(out.into_bytes())
    }
}

/// `Name: a, b, …` folded before an address that would pass column 76.
fn address_list(name: &str, addresses: &[String]) -> String {
    let mut out = format!("{name}:");
    let mut column = out.len();
    for (i, a) in addresses.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        out.push_str(sep);
        column += sep.len();
        if i > 0 && column + 1 + a.len() > 76 {
            out.push_str("\r\n");
            column = 0;
        }
        out.push(' ');
        out.push_str(a);
        column += 1 + a.len();
    }
    out.push_str("\r\n");
    out
}

/// Text with every line break as CRLF: the canonical form of text before base64 (RFC 2045
/// §6.8), so that a reader on any system sees the same lines.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// Characters of a dot-atom besides letters and digits (RFC 5322 `atext`).
const ATEXT: &str = "!#$%&'*+-/=?^_`{|}~";

/// Checks an address: `local@domain` in ASCII, the local part a dot-atom, the domain host
/// names joined by dots, at most 254 bytes. Quoted local parts, address literals and
/// internationalised addresses (SMTPUTF8) are refused; government addresses need none of them,
/// and every character they would allow is one more way to break a header or a command.
pub fn check_address(address: &str) -> Result<(), Error> {
    let bad = || Error::InvalidAddress(address.to_owned());
    if address.len() > 254 {
        return Err(bad());
    }
    let (local, domain) = address.rsplit_once('@').ok_or_else(bad)?;
    let atom = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || ATEXT.contains(c))
    };
    if local.len() > 64 || !local.split('.').all(atom) {
        return Err(bad());
    }
    if !is_host_name(domain) {
        return Err(bad());
    }
    Ok(())
}

/// Letters, digits and inner hyphens in labels of at most 63, joined by dots.
fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Checks a Message-ID: `<left@right>`, printable ASCII without spaces or angle brackets
/// inside, at most 250 bytes (RFC 5322 `msg-id`, dot-atom forms loosened to what generators
/// write).
pub fn check_message_id(id: &str) -> Result<(), Error> {
    let inner = id
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .filter(|s| {
            s.len() <= 248
                && s.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
        });
    match inner.and_then(|s| s.split_once('@')) {
        Some((left, right)) if !left.is_empty() && !right.is_empty() && !right.contains('@') => {
            Ok(())
        }
        _ => Err(Error::InvalidHeader {
            field: "Message-ID",
            value: id.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn message() -> Message {
        Message {
            from: "nhacviec@quangngai.gov.vn".into(),
            to: vec!["vanthu.sotc@quangngai.gov.vn".into()],
            subject: "Nhắc hạn: nhiệm vụ 2.3 đến hạn ngày 03/01/2023".into(),
            body_text: "Kính gửi Sở Tài chính,\nNhiệm vụ 2.3 đến hạn.\n".into(),
            message_id: "<outbox-1a2b@nhiemvu.quangngai.gov.vn>".into(),
            date: UNIX_EPOCH + Duration::from_secs(1_672_707_600),
        }
    }

    #[test]
    fn renders_ascii_headers_and_a_base64_utf8_body() {
        let text = String::from_utf8(message().render().unwrap()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("Date: Tue, 03 Jan 2023 08:00:00 +0700\r\n"));
        assert!(head.contains("\r\nMessage-ID: <outbox-1a2b@nhiemvu.quangngai.gov.vn>\r\n"));
        assert!(head.contains("\r\nSubject: =?UTF-8?B?"));
        assert!(head.contains("\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
        assert!(head.contains("\r\nContent-Transfer-Encoding: base64"));
        assert!(text.is_ascii());
        assert!(text.split("\r\n").all(|l| l.len() <= 76), "{text}");
        assert_eq!(
            encode::base64_decode(body).unwrap(),
            "Kính gửi Sở Tài chính,\r\nNhiệm vụ 2.3 đến hạn.\r\n".as_bytes()
        );
        let subject = head
            .split("\r\nSubject: ")
            .nth(1)
            .unwrap()
            .split("\r\nMessage-ID")
            .next()
            .unwrap();
        assert_eq!(encode::decode_header(subject), message().subject);
    }

    #[test]
    fn long_recipient_lists_are_folded() {
        let mut m = message();
        m.to = (0..6)
            .map(|i| format!("van-thu-{i}@so-ke-hoach-dau-tu.quangngai.gov.vn"))
            .collect();
        let text = String::from_utf8(m.render().unwrap()).unwrap();
        assert!(text.split("\r\n").all(|l| l.len() <= 78), "{text}");
        assert!(text.contains(",\r\n van-thu-1@"));
    }

    #[test]
    fn injection_and_malformed_values_are_refused() {
        type Change = Box<dyn Fn(&mut Message)>;
        let cases: Vec<Change> = vec![
            Box::new(|m| m.subject = "Nhắc hạn\r\nBcc: all@example.com".into()),
            Box::new(|m| m.subject = "a\nb".into()),
            Box::new(|m| m.from = "a@b.vn\r\nBcc: x@y.vn".into()),
            Box::new(|m| m.to = vec!["a@b.vn>\r\nRCPT TO:<x@y.vn".into()]),
            Box::new(|m| m.to = vec!["Sở Tài chính <stc@b.vn>".into()]),
            Box::new(|m| m.to = vec!["a b@c.vn".into()]),
            Box::new(|m| m.to = vec!["@c.vn".into()]),
            Box::new(|m| m.to = vec!["a@".into()]),
            Box::new(|m| m.to = vec!["a..b@c.vn".into()]),
            Box::new(|m| m.to = vec!["a@-c.vn".into()]),
            Box::new(|m| m.to = vec!["thư@c.vn".into()]),
            Box::new(|m| m.to = Vec::new()),
            Box::new(|m| m.message_id = "<x@y>\r\nBcc: z@w.vn".into()),
            Box::new(|m| m.message_id = "x@y".into()),
            Box::new(|m| m.message_id = "<x y@z>".into()),
            Box::new(|m| m.message_id = "<xy>".into()),
        ];
        for (i, change) in cases.iter().enumerate() {
            let mut m = message();
            change(&mut m);
            let err = m.render().expect_err(&format!("case {i}: {m:?}"));
            assert!(err.is_permanent(), "{err}");
        }
        for ok in ["a.b+c@d-e.f.vn", "x_y@localhost", "o'brien@example.com"] {
            check_address(ok).unwrap();
        }
    }
}
