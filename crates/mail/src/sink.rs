//! [`SmtpSink`], a real SMTP server for tests: it listens on 127.0.0.1, speaks EHLO, HELO,
//! AUTH (PLAIN and LOGIN, when given credentials), MAIL, RCPT, DATA, RSET, NOOP and QUIT, and
//! records every message it accepts, in memory and optionally as one file per message in a
//! directory, so that a test running several processes can count what arrived.
//!
//! A message is recorded (and its file renamed into place) before the `250` that accepts it is
//! sent: a client that saw the `250` can rely on the message being counted, which is what a
//! test of "killed between sending and marking" needs.
//!
//! The sink is compiled into the crate rather than kept behind a feature: it is a few hundred
//! lines of std-only code, and a feature would make `cargo test -p mail` skip its own tests.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::client::{Credentials, SmtpConfig};
use crate::encode;

/// Largest message accepted (the `SIZE` it advertises).
const MAX_MESSAGE: usize = 25 * 1024 * 1024;
/// Longest command or data line read.
const MAX_LINE: u64 = 64 * 1024;

/// How a sink behaves.
#[derive(Debug, Clone, Default)]
pub struct SinkOptions {
    /// Port on 127.0.0.1; 0 takes any free port.
    pub port: u16,
    /// Where to write each accepted message as a file (created when missing).
    pub dir: Option<PathBuf>,
    /// Recipients answered `550` at RCPT (compared without case).
    pub reject_recipients: Vec<String>,
    /// When set, AUTH PLAIN and LOGIN are offered and required before MAIL.
    pub credentials: Option<Credentials>,
    /// The first this many messages are recorded but their `250` is held back for
    /// `hold_for`: a sender is then stuck between sending and knowing it was accepted, the
    /// moment a crash test kills it.
    pub hold_first: u64,
    /// How long a held reply waits.
    pub hold_for: std::time::Duration,
}

/// A message the sink accepted: its envelope and its data as received, dot-stuffing undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The MAIL FROM address.
    pub from: String,
    /// The accepted RCPT TO addresses.
    pub to: Vec<String>,
    /// The message text, with its CRLF line ends.
    pub data: Vec<u8>,
}

impl Received {
    /// The unfolded value of the first header named `name` (without case), as written.
    pub fn header(&self, name: &str) -> Option<String> {
        let text = String::from_utf8_lossy(&self.data);
        let head = text
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .replace("\r\n ", " ")
            .replace("\r\n\t", "\t");
        head.split("\r\n").find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    /// The `Message-ID` header.
    pub fn message_id(&self) -> Option<String> {
        self.header("Message-ID")
    }

    /// The `Subject` header with its RFC 2047 words decoded.
    pub fn subject(&self) -> Option<String> {
        self.header("Subject").map(|s| encode::decode_header(&s))
    }

    /// The body as text, decoded from base64 when its `Content-Transfer-Encoding` says so.
    pub fn body_text(&self) -> Option<String> {
        let text = String::from_utf8_lossy(&self.data);
        let (_, body) = text.split_once("\r\n\r\n")?;
        let base64 = self
            .header("Content-Transfer-Encoding")
            .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
        if base64 {
            String::from_utf8(encode::base64_decode(body)?).ok()
        } else {
            Some(body.to_owned())
        }
    }
}

struct Shared {
    options: SinkOptions,
    received: Mutex<Vec<Received>>,
    stop: AtomicBool,
    sequence: AtomicU64,
}

/// A running SMTP server on 127.0.0.1; stops listening when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSink")
            .field("addr", &self.addr)
            .finish()
    }
}

impl SmtpSink {
    /// A sink on a free port that accepts everything and keeps it in memory.
    pub fn start() -> io::Result<SmtpSink> {
        SmtpSink::start_with(SinkOptions::default())
    }

    /// A sink with options.
    pub fn start_with(options: SinkOptions) -> io::Result<SmtpSink> {
        if let Some(dir) = &options.dir {
            fs::create_dir_all(dir)?;
        }
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            options,
            received: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            sequence: AtomicU64::new(0),
        });
        let accepting = Arc::clone(&shared);
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if accepting.stop.load(Ordering::SeqCst) {
                    break;
                }
                match stream {
                    Ok(stream) => {
                        let session = Arc::clone(&accepting);
                        std::thread::spawn(move || {
                            // A client that breaks the session off only ends its own session.
                            let _ = serve(stream, &session);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Ok(SmtpSink {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A client configuration for this sink (with its credentials, if any), with short
    /// timeouts.
    pub fn config(&self) -> SmtpConfig {
        SmtpConfig {
            credentials: self.shared.options.credentials.clone(),
            connect_timeout: Duration::from_secs(5),
            io_timeout: Duration::from_secs(10),
            ..SmtpConfig::new("127.0.0.1", self.addr.port())
        }
    }

    /// Every message accepted so far, in the order accepted.
    pub fn received(&self) -> Vec<Received> {
        self.shared
            .received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Every message a sink wrote to `dir`, oldest first.
pub fn read_dir(dir: &Path) -> io::Result<Vec<Received>> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    let mut out = Vec::with_capacity(names.len());
    for path in names {
        let bytes = fs::read(&path)?;
        let bad = || io::Error::new(io::ErrorKind::InvalidData, path.display().to_string());
        let mut parts = bytes.splitn(3, |&b| b == b'\n');
        let envelope = |line: Option<&[u8]>, prefix: &str| -> io::Result<String> {
            let line = String::from_utf8_lossy(line.ok_or_else(bad)?);
            Ok(line
                .trim_end()
                .strip_prefix(prefix)
                .ok_or_else(bad)?
                .to_owned())
        };
        let from = envelope(parts.next(), "Return-Path: ")?;
        let to = envelope(parts.next(), "X-Original-To: ")?;
        out.push(Received {
            from: from
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned(),
            to: to.split(", ").map(str::to_owned).collect(),
            data: parts.next().unwrap_or_default().to_vec(),
        });
    }
    Ok(out)
}

/// One SMTP session.
fn serve(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut w = stream;
    let options = &shared.options;
    reply(&mut w, "220 smtp-sink ESMTP")?;
    let mut hello = false;
    let mut authenticated = options.credentials.is_none();
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    while let Some(line) = read_line(&mut reader)? {
        let (verb, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                hello = true;
                (from, to) = (None, Vec::new());
                let auth = if options.credentials.is_some() {
                    "250-AUTH PLAIN LOGIN\r\n"
                } else {
                    ""
                };
                reply(
                    &mut w,
                    &format!("250-smtp-sink\r\n250-8BITMIME\r\n{auth}250 SIZE {MAX_MESSAGE}"),
                )?;
            }
            "HELO" => {
                hello = true;
                (from, to) = (None, Vec::new());
                reply(&mut w, "250 smtp-sink")?;
            }
            "AUTH" => match &options.credentials {
                None => reply(&mut w, "502 5.5.1 AUTH not offered")?,
                Some(_) if authenticated => reply(&mut w, "503 5.5.1 Already authenticated")?,
                Some(c) => {
                    if authenticate(&mut reader, &mut w, arg, c)? {
                        authenticated = true;
                        reply(&mut w, "235 2.7.0 Authentication successful")?;
                    } else {
                        reply(&mut w, "535 5.7.8 Authentication credentials invalid")?;
                    }
                }
            },
            "MAIL" => {
                if !hello {
                    reply(&mut w, "503 5.5.1 Say EHLO first")?;
                } else if !authenticated {
                    reply(&mut w, "530 5.7.0 Authentication required")?;
                } else if from.is_some() {
                    reply(&mut w, "503 5.5.1 Nested MAIL command")?;
                } else if let Some(path) = path(arg, "FROM:") {
                    from = Some(path);
                    reply(&mut w, "250 2.1.0 Ok")?;
                } else {
                    reply(&mut w, "501 5.5.4 Syntax: MAIL FROM:<address>")?;
                }
            }
            "RCPT" => match (&from, path(arg, "TO:")) {
                (None, _) => reply(&mut w, "503 5.5.1 Need MAIL command")?,
                (Some(_), None) => reply(&mut w, "501 5.5.4 Syntax: RCPT TO:<address>")?,
                (Some(_), Some(rcpt)) => {
                    if options
                        .reject_recipients
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(&rcpt))
                    {
                        reply(
                            &mut w,
                            &format!("550 5.1.1 <{rcpt}>: Recipient address rejected"),
                        )?;
                    } else {
                        to.push(rcpt);
                        reply(&mut w, "250 2.1.5 Ok")?;
                    }
                }
            },
            "DATA" => {
                let Some(sender) = from.clone().filter(|_| !to.is_empty()) else {
                    reply(&mut w, "503 5.5.1 No valid recipients")?;
                    continue;
                };
                reply(&mut w, "354 End data with <CR><LF>.<CR><LF>")?;
                let Some(data) = read_data(&mut reader)? else {
                    reply(&mut w, "552 5.3.4 Message too big")?;
                    (from, to) = (None, Vec::new());
                    continue;
                };
                let message = Received {
                    from: sender,
                    to: std::mem::take(&mut to),
                    data,
                };
                from = None;
                match keep(shared, message) {
                    Ok(n) => {
                        if n <= shared.options.hold_first {
                            std::thread::sleep(shared.options.hold_for);
                        }
                        reply(&mut w, &format!("250 2.0.0 Ok: queued as {n}"))?
                    }
                    Err(_) => reply(&mut w, "451 4.3.0 Could not store the message")?,
                }
            }
            "RSET" => {
                (from, to) = (None, Vec::new());
                reply(&mut w, "250 2.0.0 Ok")?;
            }
            "NOOP" => reply(&mut w, "250 2.0.0 Ok")?,
            "QUIT" => {
                reply(&mut w, "221 2.0.0 Bye")?;
                return Ok(());
            }
            _ => reply(&mut w, "500 5.5.2 Command not recognised")?,
        }
    }
    Ok(())
}

/// Records a message: its file first (written aside, then renamed, so a reader of the
/// directory never sees half a message), then memory. Its sequence number.
fn keep(shared: &Shared, message: Received) -> io::Result<u64> {
    let n = shared.sequence.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(dir) = &shared.options.dir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let name = format!("{nanos:024}-{}-{n:06}.eml", std::process::id());
        let tmp = dir.join(format!(".{name}.tmp"));
        let mut file = fs::File::create(&tmp)?;
        write!(
            file,
            "Return-Path: <{}>\r\nX-Original-To: {}\r\n",
            message.from,
            message.to.join(", ")
        )?;
        file.write_all(&message.data)?;
        file.sync_all()?;
        fs::rename(&tmp, dir.join(name))?;
    }
    shared
        .received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(message);
    Ok(n)
}

fn reply(w: &mut TcpStream, text: &str) -> io::Result<()> {
    w.write_all(text.as_bytes())?;
    w.write_all(b"\r\n")?;
    w.flush()
}

/// A command line without its line end; `None` at the end of the session.
fn read_line(reader: &mut BufReader<TcpStream>) -> io::Result<Option<String>> {
    let mut raw = Vec::new();
    reader.take(MAX_LINE).read_until(b'\n', &mut raw)?;
    if raw.is_empty() {
        return Ok(None);
    }
    if !raw.ends_with(b"\n") {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
    }
    let line = String::from_utf8_lossy(&raw);
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

/// The message after `354`, up to the line holding a single dot, dot-stuffing undone; `None`
/// when it was larger than the limit (read to its end all the same).
fn read_data(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    let mut too_big = false;
    loop {
        let mut line = Vec::new();
        reader.take(MAX_LINE).read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed in DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            break;
        }
        let line = line.strip_prefix(b".").unwrap_or(&line);
        if data.len() + line.len() > MAX_MESSAGE {
            too_big = true;
        } else {
            data.extend_from_slice(line);
        }
    }
    Ok((!too_big).then_some(data))
}

/// The address of `FROM:<a@b>` or `TO:<a@b>` (parameters after it ignored).
fn path(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start().strip_prefix('<')?;
    let end = rest.find('>')?;
    Some(rest[..end].to_owned())
}

/// AUTH PLAIN (initial response on the line or after `334`) or AUTH LOGIN; whether the
/// credentials matched.
fn authenticate(
    reader: &mut BufReader<TcpStream>,
    w: &mut TcpStream,
    arg: &str,
    expected: &Credentials,
) -> io::Result<bool> {
    let decode = |s: &str| {
        encode::base64_decode(s)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    };
    let (mechanism, initial) = arg.split_once(' ').unwrap_or((arg, ""));
    let mut ask = |prompt: &str| -> io::Result<String> {
        reply(w, &format!("334 {prompt}"))?;
        Ok(read_line(reader)?.unwrap_or_default())
    };
    let (user, password) = match mechanism.to_ascii_uppercase().as_str() {
        "PLAIN" => {
            let token = if initial.is_empty() {
                ask("")?
            } else {
                initial.to_owned()
            };
            let plain = decode(&token);
            let mut parts = plain.split('\0').skip(1);
            (
                parts.next().unwrap_or_default().to_owned(),
                parts.next().unwrap_or_default().to_owned(),
            )
        }
        "LOGIN" => {
            let user = decode(&ask(&encode::base64(b"Username:"))?);
            let password = decode(&ask(&encode::base64(b"Password:"))?);
            (user, password)
        }
        _ => return Ok(false),
    };
    Ok(user == expected.username && password == expected.password)
}
