//! The SMTP dialogue (RFC 5321): greeting, EHLO (HELO when the server does not know EHLO),
//! optional AUTH, then per message MAIL FROM, RCPT TO for each recipient, DATA with
//! dot-stuffing, and QUIT. Every reply code is checked; multi-line replies (`250-…`) are read
//! whole, within limits on their size.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::encode::base64;
use crate::error::Error;
use crate::message::{Message, check_address};

/// Where and how to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Relay host name or address.
    pub host: String,
    /// Relay port (25, or 587 for a local submission relay).
    pub port: u16,
    /// The name this machine gives in EHLO/HELO.
    pub hello_name: String,
    /// AUTH PLAIN/LOGIN credentials, when the relay wants them.
    pub credentials: Option<Credentials>,
    /// Limit on establishing the connection (per address the host resolves to).
    pub connect_timeout: Duration,
    /// Limit on each read and each write.
    pub io_timeout: Duration,
}

impl SmtpConfig {
    /// A relay at `host:port`, no credentials, EHLO as `localhost`, 10 s to connect and 60 s
    /// per read or write (RFC 5321 §4.5.3.2 suggests minutes for DATA; a local relay answers
    /// at once).
    pub fn new(host: impl Into<String>, port: u16) -> SmtpConfig {
        SmtpConfig {
            host: host.into(),
            port,
            hello_name: "localhost".to_owned(),
            credentials: None,
            connect_timeout: Duration::from_secs(10),
            io_timeout: Duration::from_secs(60),
        }
    }

    fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// A user name and password for AUTH. `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// Longest reply line read (RFC 5321 §4.5.3.1.5 sets 512; servers send longer ones).
const MAX_LINE: u64 = 4096;
/// Most lines in one reply (an EHLO lists a few dozen extensions at most).
const MAX_LINES: usize = 256;

/// A reply: its code and its text lines without the code.
struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// An open SMTP session, greeted and (when configured) authenticated. Several messages may be
/// sent on one session; a refused message leaves the session usable (it is reset).
pub struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("peer", &self.writer.peer_addr().ok())
            .finish()
    }
}

impl Client {
    /// Connects, reads the greeting, says EHLO (HELO if the server refuses EHLO) and
    /// authenticates when credentials are configured.
    pub fn connect(config: &SmtpConfig) -> Result<Client, Error> {
        let connect_error = |source| Error::Connect {
            server: config.server(),
            source,
        };
        let mut last = None;
        let mut stream = None;
        for addr in (config.host.as_str(), config.port)
            .to_socket_addrs()
            .map_err(connect_error)?
        {
            match TcpStream::connect_timeout(&addr, config.connect_timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = stream.ok_or_else(|| {
            connect_error(last.unwrap_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "tên máy không có địa chỉ")
            }))
        })?;
        stream.set_read_timeout(Some(config.io_timeout))?;
        stream.set_write_timeout(Some(config.io_timeout))?;
        stream.set_nodelay(true)?;
        let mut client = Client {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        };
        client.expect("lời chào", |c| c == 220)?;
        check_hello_name(&config.hello_name)?;
        client.write_line(&format!("EHLO {}", config.hello_name))?;
        let ehlo = client.read_reply()?;
        let extensions = match ehlo.code {
            250 => ehlo.lines.into_iter().skip(1).collect(),
            500..=504 | 550 => {
                client.command(&format!("HELO {}", config.hello_name), "HELO", 250)?;
                Vec::new()
            }
            code => return Err(rejected("EHLO", code, ehlo.text())),
        };
        if let Some(credentials) = &config.credentials {
            client.authenticate(credentials, &extensions)?;
        }
        Ok(client)
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN.
    fn authenticate(&mut self, c: &Credentials, extensions: &[String]) -> Result<(), Error> {
        let offered: Vec<String> = extensions
            .iter()
            .filter_map(|e| {
                let upper = e.to_ascii_uppercase();
                upper
                    .strip_prefix("AUTH")
                    .filter(|rest| rest.starts_with([' ', '=']))
                    .map(|rest| rest[1..].to_owned())
            })
            .flat_map(|m| m.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        if offered.iter().any(|m| m == "PLAIN") {
            let token = base64(format!("\0{}\0{}", c.username, c.password).as_bytes());
            self.write_line(&format!("AUTH PLAIN {token}"))?;
            self.expect("AUTH PLAIN", |code| code == 235)?;
        } else if offered.iter().any(|m| m == "LOGIN") {
            self.command("AUTH LOGIN", "AUTH LOGIN", 334)?;
            self.write_line(&base64(c.username.as_bytes()))?;
            self.expect("AUTH LOGIN (tên đăng nhập)", |code| code == 334)?;
            self.write_line(&base64(c.password.as_bytes()))?;
            self.expect("AUTH LOGIN (mật khẩu)", |code| code == 235)?;
        } else {
            return Err(Error::AuthUnsupported);
        }
        Ok(())
    }

    /// Sends a message to its recipients. `Ok` means the server accepted it for every
    /// recipient; on a refusal the session is reset and the server's reply returned.
    pub fn send(&mut self, message: &Message) -> Result<(), Error> {
        let data = message.render()?;
        self.send_raw(&message.from, &message.to, &data)
    }

    /// Sends a message already in RFC 5322 form (CRLF line ends) with the given envelope.
    /// Lines starting with `.` are dot-stuffed here.
    pub fn send_raw(&mut self, from: &str, to: &[String], data: &[u8]) -> Result<(), Error> {
        check_address(from)?;
        if to.is_empty() {
            return Err(Error::NoRecipients);
        }
        for t in to {
            check_address(t)?;
        }
        let result = self.transaction(from, to, data);
        if matches!(result, Err(Error::Rejected { .. })) {
            // Leave the session clean for the next message; a failing RSET changes nothing
            // about the refusal being reported.
            let _ = self.command("RSET", "RSET", 250);
        }
        result
    }

    fn transaction(&mut self, from: &str, to: &[String], data: &[u8]) -> Result<(), Error> {
        self.command(&format!("MAIL FROM:<{from}>"), "MAIL FROM", 250)?;
        for t in to {
            let command = format!("RCPT TO:<{t}>");
            self.write_line(&command)?;
            self.expect(&command, |code| code == 250 || code == 251)?;
        }
        self.command("DATA", "DATA", 354)?;
        let mut stuffed = dot_stuff(data);
        if !stuffed.ends_with(b"\r\n") {
            stuffed.extend_from_slice(b"\r\n");
        }
        stuffed.extend_from_slice(b".\r\n");
        self.writer.write_all(&stuffed)?;
        self.writer.flush()?;
        self.expect("DATA (nội dung thư)", |code| code == 250)
    }

    /// Says QUIT and closes the session.
    pub fn quit(mut self) -> Result<(), Error> {
        self.command("QUIT", "QUIT", 221)
    }

    fn command(&mut self, line: &str, label: &str, ok: u16) -> Result<(), Error> {
        self.write_line(line)?;
        self.expect(label, |code| code == ok)
    }

    fn expect(&mut self, label: &str, ok: impl Fn(u16) -> bool) -> Result<(), Error> {
        let reply = self.read_reply()?;
        if ok(reply.code) {
            Ok(())
        } else {
            Err(rejected(label, reply.code, reply.text()))
        }
    }

    fn write_line(&mut self, line: &str) -> Result<(), Error> {
        self.writer.write_all(line.as_bytes())?;
        self.writer.write_all(b"\r\n")?;
        self.writer.flush()?;
        Ok(())
    }

    /// One reply, every line of it: `250-first`, …, `250 last` (or a bare `250`).
    fn read_reply(&mut self) -> Result<Reply, Error> {
        let mut lines = Vec::new();
        let mut code = None;
        loop {
            let mut raw = Vec::new();
            (&mut self.reader)
                .take(MAX_LINE)
                .read_until(b'\n', &mut raw)?;
            if raw.is_empty() {
                return Err(Error::Io(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "máy chủ thư đóng kết nối",
                )));
            }
            if !raw.ends_with(b"\n") {
                return Err(Error::Protocol(String::from_utf8_lossy(&raw).into_owned()));
            }
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end_matches(['\r', '\n']);
            let bytes = line.as_bytes();
            let this: Option<u16> = line.get(..3).and_then(|c| c.parse().ok());
            let (this, more) = match (this, bytes.get(3)) {
                (Some(c), None | Some(b' ')) => (c, false),
                (Some(c), Some(b'-')) => (c, true),
                _ => return Err(Error::Protocol(line.to_owned())),
            };
            if !(200..600).contains(&this) || code.is_some_and(|c| c != this) {
                return Err(Error::Protocol(line.to_owned()));
            }
            code = Some(this);
            lines.push(line.get(4..).unwrap_or_default().to_owned());
            if !more {
                break;
            }
            if lines.len() >= MAX_LINES {
                return Err(Error::Protocol(format!("trả lời quá {MAX_LINES} dòng")));
            }
        }
        Ok(Reply {
            code: code.unwrap_or_default(),
            lines,
        })
    }
}

fn rejected(command: &str, code: u16, reply: String) -> Error {
    Error::Rejected {
        command: command.to_owned(),
        code,
        reply,
    }
}

/// The EHLO name goes on a command line: a host name or an address literal, nothing that could
/// end the line.
fn check_hello_name(name: &str) -> Result<(), Error> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Error::InvalidHeader {
            field: "EHLO",
            value: name.to_owned(),
        })
    }
}

/// Doubles the `.` that starts a line (RFC 5321 §4.5.2), so that no line of the message reads
/// as the end of DATA.
pub(crate) fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 16);
    let mut line_start = true;
    for &b in data {
        if line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        line_start = b == b'\n';
    }
    out
}

/// Sends one message on a session of its own: connect, send, QUIT. Once the server has
/// accepted the message, a failing QUIT is not reported: the message is on its way.
pub fn send(config: &SmtpConfig, message: &Message) -> Result<(), Error> {
    let data = message.render()?;
    let mut client = Client::connect(config)?;
    client.send_raw(&message.from, &message.to, &data)?;
    let _ = client.quit();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffing_doubles_leading_dots_only() {
        assert_eq!(
            dot_stuff(b".a\r\nb.c\r\n.\r\n..x"),
            b"..a\r\nb.c\r\n..\r\n...x"
        );
        assert_eq!(dot_stuff(b"no dots"), b"no dots");
    }

    #[test]
    fn hello_name_cannot_end_the_line() {
        assert!(check_hello_name("nhiemvu.quangngai.gov.vn").is_ok());
        assert!(check_hello_name("a\r\nMAIL FROM:<x@y>").is_err());
        assert!(check_hello_name("").is_err());
    }
}
