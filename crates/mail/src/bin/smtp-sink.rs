//! `smtp-sink [--port N] [--dir DIR] [--reject ADDRESS]… [--user U --password P]
//! [--hold-first N --hold-seconds S]`: runs
//! [`mail::SmtpSink`] until killed, for tests that run several processes. Prints
//! `listening on 127.0.0.1:PORT` on stdout once it accepts connections; each accepted message
//! becomes a file `*.eml` in DIR (envelope on its first two lines), readable with
//! `mail::sink::read_dir`.

use std::io::Write;
use std::process::ExitCode;

use mail::{Credentials, SinkOptions, SmtpSink};

const USAGE: &str =
    "usage: smtp-sink [--port N] [--dir DIR] [--reject ADDRESS]... [--user U --password P] [--hold-first N --hold-seconds S]";

fn main() -> ExitCode {
    let options = match options(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sink = match SmtpSink::start_with(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("smtp-sink: {e}");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {}", sink.addr());
    let _ = out.flush();
    loop {
        std::thread::park();
    }
}

fn options(mut args: impl Iterator<Item = String>) -> Result<SinkOptions, String> {
    let mut options = SinkOptions::default();
    let (mut user, mut password) = (None, None);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => options.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--dir" => options.dir = Some(value()?.into()),
            "--reject" => options.reject_recipients.push(value()?),
            "--hold-first" => options.hold_first = value()?.parse().map_err(|e| format!("--hold-first: {e}"))?,
            "--hold-seconds" => {
                options.hold_for = std::time::Duration::from_secs(value()?.parse().map_err(|e| format!("--hold-seconds: {e}"))?)
            }
            "--user" => user = Some(value()?),
            "--password" => password = Some(value()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    options.credentials = match (user, password) {
        (Some(username), Some(password)) => Some(Credentials { username, password }),
        (None, None) => None,
        _ => return Err("--user and --password go together".to_owned()),
    };
    Ok(options)
}
