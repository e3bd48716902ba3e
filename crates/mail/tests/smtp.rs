//! The client against a real SMTP server: the crate's own sink, in process and as the
//! `smtp-sink` binary, and a scripted server for the dialogue's corners.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, UNIX_EPOCH};

use mail::{Client, Credentials, Error, Message, SinkOptions, SmtpConfig, SmtpSink};

const SUBJECT: &str = "Nhắc hạn: nhiệm vụ 2.3 đến hạn ngày 03/01/2023";
const BODY: &str = "Kính gửi Sở Tài chính,\n\nNhiệm vụ 2.3 của Công văn 2395/UBND-KTTH đến hạn ngày 03/01/2023.\nĐề nghị báo cáo kết quả thực hiện.\n";

fn message(to: &str) -> Message {
    Message {
        from: "nhacviec@quangngai.gov.vn".into(),
        to: vec![to.into()],
        subject: SUBJECT.into(),
        body_text: BODY.into(),
        message_id: "<outbox-7f3a9c@nhiemvu.quangngai.gov.vn>".into(),
        date: UNIX_EPOCH + Duration::from_secs(1_672_707_600),
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mail_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn vietnamese_message_round_trips_through_the_sink() {
    let sink = SmtpSink::start().unwrap();
    mail::send(&sink.config(), &message("vanthu.sotc@quangngai.gov.vn")).unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.from, "nhacviec@quangngai.gov.vn");
    assert_eq!(m.to, ["vanthu.sotc@quangngai.gov.vn"]);
    assert_eq!(
        m.message_id().as_deref(),
        Some("<outbox-7f3a9c@nhiemvu.quangngai.gov.vn>")
    );
    assert_eq!(m.subject().as_deref(), Some(SUBJECT));
    assert_eq!(m.body_text().unwrap(), BODY.replace('\n', "\r\n"));
    assert_eq!(
        m.header("Date").as_deref(),
        Some("Tue, 03 Jan 2023 08:00:00 +0700")
    );
    assert_eq!(
        m.header("content-type").as_deref(),
        Some("text/plain; charset=UTF-8")
    );
    // Exactly the rendered bytes arrived.
    assert_eq!(
        m.data,
        message("vanthu.sotc@quangngai.gov.vn").render().unwrap()
    );
}

#[test]
fn several_messages_on_one_session() {
    let sink = SmtpSink::start().unwrap();
    let mut client = Client::connect(&sink.config()).unwrap();
    for i in 0..3 {
        let mut m = message(&format!("nguoi{i}@quangngai.gov.vn"));
        m.message_id = format!("<outbox-{i}@nhiemvu.quangngai.gov.vn>");
        client.send(&m).unwrap();
    }
    client.quit().unwrap();
    let ids: Vec<_> = sink
        .received()
        .iter()
        .map(|m| m.message_id().unwrap())
        .collect();
    assert_eq!(
        ids,
        [0, 1, 2].map(|i| format!("<outbox-{i}@nhiemvu.quangngai.gov.vn>"))
    );
}

#[test]
fn lines_starting_with_a_dot_survive_dot_stuffing() {
    let sink = SmtpSink::start().unwrap();
    let data = b"Subject: dots\r\n\r\n.\r\n..two\r\n.leading\r\nmiddle.\r\n.\r\n";
    let mut client = Client::connect(&sink.config()).unwrap();
    client
        .send_raw("a@b.vn", &["c@d.vn".to_owned()], data)
        .unwrap();
    // Data without a final line end gets one.
    client
        .send_raw("a@b.vn", &["c@d.vn".to_owned()], b"Subject: x\r\n\r\n.end")
        .unwrap();
    client.quit().unwrap();
    let got = sink.received();
    assert_eq!(got[0].data, data);
    assert_eq!(got[1].data, b"Subject: x\r\n\r\n.end\r\n");
}

#[test]
fn refused_recipient_is_an_error_with_the_servers_reply() {
    let sink = SmtpSink::start_with(SinkOptions {
        reject_recipients: vec!["khongton.tai@quangngai.gov.vn".into()],
        ..SinkOptions::default()
    })
    .unwrap();
    let mut client = Client::connect(&sink.config()).unwrap();
    let err = client
        .send(&message("khongton.tai@quangngai.gov.vn"))
        .unwrap_err();
    match &err {
        Error::Rejected {
            command,
            code,
            reply,
        } => {
            assert_eq!(*code, 550);
            assert_eq!(command, "RCPT TO:<khongton.tai@quangngai.gov.vn>");
            assert!(reply.contains("Recipient address rejected"), "{reply}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_permanent());
    assert!(err.to_string().contains("550"), "{err}");
    // The session was reset and goes on.
    client
        .send(&message("vanthu.sotc@quangngai.gov.vn"))
        .unwrap();
    client.quit().unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["vanthu.sotc@quangngai.gov.vn"]);
}

#[test]
fn injection_is_refused_before_anything_is_sent() {
    let sink = SmtpSink::start().unwrap();
    let mut m = message("vanthu.sotc@quangngai.gov.vn");
    m.subject = "Nhắc hạn\r\nBcc: moi.nguoi@example.com".into();
    assert!(matches!(
        mail::send(&sink.config(), &m),
        Err(Error::InvalidHeader {
            field: "Subject",
            ..
        })
    ));
    let m = message("a@b.vn>\r\nRCPT TO:<spam@example.com");
    assert!(matches!(
        mail::send(&sink.config(), &m),
        Err(Error::InvalidAddress(_))
    ));
    let mut client = Client::connect(&sink.config()).unwrap();
    assert!(matches!(
        client.send_raw(
            "a@b.vn",
            &["c@d.vn>\r\nDATA".to_owned()],
            b"Subject: x\r\n\r\nx\r\n"
        ),
        Err(Error::InvalidAddress(_))
    ));
    client.quit().unwrap();
    assert!(sink.received().is_empty());
}

#[test]
fn auth_plain_and_wrong_credentials() {
    let credentials = Credentials {
        username: "nhacviec".into(),
        password: "mật-khẩu".into(),
    };
    let sink = SmtpSink::start_with(SinkOptions {
        credentials: Some(credentials.clone()),
        ..SinkOptions::default()
    })
    .unwrap();
    mail::send(&sink.config(), &message("a@quangngai.gov.vn")).unwrap();
    assert_eq!(sink.received().len(), 1);

    let mut wrong = sink.config();
    wrong.credentials = Some(Credentials {
        password: "sai".into(),
        ..credentials
    });
    let err = Client::connect(&wrong).unwrap_err();
    assert!(matches!(err, Error::Rejected { code: 535, .. }), "{err:?}");
    assert!(!format!("{wrong:?}").contains("sai"), "password hidden");

    let mut none = sink.config();
    none.credentials = None;
    let err = mail::send(&none, &message("a@quangngai.gov.vn")).unwrap_err();
    assert!(matches!(err, Error::Rejected { code: 530, .. }), "{err:?}");
    assert_eq!(sink.received().len(), 1);
}

/// A server that answers with the given lines, one reply per command it reads (the first
/// reply is the greeting), and records the commands.
fn scripted(
    replies: &'static [&'static str],
) -> (SmtpConfig, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = SmtpConfig::new("127.0.0.1", listener.local_addr().unwrap().port());
    config.io_timeout = Duration::from_secs(5);
    config.credentials = Some(Credentials {
        username: "u".into(),
        password: "p".into(),
    });
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut w = stream;
        let mut commands = Vec::new();
        for (i, r) in replies.iter().enumerate() {
            if i > 0 {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 {
                    break;
                }
                commands.push(line.trim_end().to_owned());
            }
            w.write_all(r.as_bytes()).unwrap();
        }
        commands
    });
    (config, server)
}

#[test]
fn helo_fallback_multiline_replies_and_auth_login() {
    let (config, server) = scripted(&[
        "220-mail.example.vn\r\n220 old server\r\n",
        "502 5.5.2 EHLO not implemented\r\n",
        "250 mail.example.vn\r\n",
    ]);
    // HELO servers offer no AUTH: configured credentials cannot be used.
    let err = Client::connect(&config).unwrap_err();
    assert!(matches!(err, Error::AuthUnsupported), "{err:?}");
    assert_eq!(server.join().unwrap(), ["EHLO localhost", "HELO localhost"]);

    let (config, server) = scripted(&[
        "220 relay\r\n",
        "250-relay\r\n250-SIZE 1000\r\n250 AUTH LOGIN\r\n",
        "334 VXNlcm5hbWU6\r\n",
        "334 UGFzc3dvcmQ6\r\n",
        "235 ok\r\n",
        "221 bye\r\n",
    ]);
    Client::connect(&config).unwrap().quit().unwrap();
    assert_eq!(
        server.join().unwrap(),
        ["EHLO localhost", "AUTH LOGIN", "dQ==", "cA==", "QUIT"]
    );

    let (config, server) = scripted(&["220 relay\r\n", "250 relay\r\n", "25x broken\r\n"]);
    let mut config = config;
    config.credentials = None;
    let mut client = Client::connect(&config).unwrap();
    let err = client.send(&message("a@quangngai.gov.vn")).unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err:?}");
    assert!(!err.is_permanent());
    drop(client);
    server.join().unwrap();
}

#[test]
fn a_silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = SmtpConfig::new("127.0.0.1", listener.local_addr().unwrap().port());
    config.io_timeout = Duration::from_millis(200);
    let started = std::time::Instant::now();
    let err = Client::connect(&config).unwrap_err();
    assert!(matches!(err, Error::Io(_)), "{err:?}");
    assert!(!err.is_permanent());
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(listener);
}

#[test]
fn nothing_listening_is_a_connect_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = mail::send(
        &SmtpConfig::new("127.0.0.1", port),
        &message("a@quangngai.gov.vn"),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(!err.is_permanent());
}

#[test]
fn sink_writes_one_file_per_message() {
    let dir = temp_dir("files");
    let sink = SmtpSink::start_with(SinkOptions {
        dir: Some(dir.clone()),
        ..SinkOptions::default()
    })
    .unwrap();
    mail::send(&sink.config(), &message("a@quangngai.gov.vn")).unwrap();
    mail::send(&sink.config(), &message("b@quangngai.gov.vn")).unwrap();
    let files = mail::sink::read_dir(&dir).unwrap();
    assert_eq!(files, sink.received());
    drop(sink);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The `smtp-sink` binary, as a multi-process test would run it.
#[test]
fn sink_binary_records_into_its_directory() {
    let dir = temp_dir("binary");
    let mut child = Command::new(env!("CARGO_BIN_EXE_smtp-sink"))
        .args(["--dir", dir.to_str().unwrap(), "--reject", "x@y.vn"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .parse()
        .unwrap();
    let config = SmtpConfig::new("127.0.0.1", addr.port());
    mail::send(&config, &message("a@quangngai.gov.vn")).unwrap();
    let err = mail::send(&config, &message("x@y.vn")).unwrap_err();
    assert!(matches!(err, Error::Rejected { code: 550, .. }));
    child.kill().unwrap();
    child.wait().unwrap();
    let files = mail::sink::read_dir(&dir).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].subject().as_deref(), Some(SUBJECT));
    assert_eq!(files[0].to, ["a@quangngai.gov.vn"]);
    std::fs::remove_dir_all(&dir).unwrap();

    let usage = Command::new(env!("CARGO_BIN_EXE_smtp-sink"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
