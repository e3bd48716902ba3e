//! Running the external programs we rely on (poppler, tesseract, antiword) with a time limit,
//! a cap on what they print, and a clear error naming the Debian package when one is missing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::Error;

/// An external program and the Debian package that installs it.
#[derive(Clone, Copy)]
pub(crate) struct Tool {
    pub program: &'static str,
    pub package: &'static str,
}

pub(crate) const PDFTOTEXT: Tool = Tool { program: "pdftotext", package: "poppler-utils" };
pub(crate) const PDFINFO: Tool = Tool { program: "pdfinfo", package: "poppler-utils" };
pub(crate) const PDFTOPPM: Tool = Tool { program: "pdftoppm", package: "poppler-utils" };
pub(crate) const TESSERACT: Tool = Tool { program: "tesseract", package: "tesseract-ocr-vie" };
pub(crate) const ANTIWORD: Tool = Tool { program: "antiword", package: "antiword" };

/// What a finished program printed.
pub(crate) struct Output {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub success: bool,
}

/// Runs `tool` with `args`, killing it after `timeout` and refusing more than `max_stdout`
/// bytes of output, so a hostile file cannot hang or flood the server.
pub(crate) fn run(tool: Tool, args: &[&std::ffi::OsStr], timeout: Duration, max_stdout: usize) -> Result<Output, Error> {
    let mut child = Command::new(tool.program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::MissingTool { program: tool.program, package: tool.package },
            _ => Error::ToolFailed { program: tool.program, detail: e.to_string() },
        })?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || read_capped(stdout, max_stdout));
    let err_reader = std::thread::spawn(move || read_capped(stderr, 64 * 1024));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::ToolFailed {
                    program: tool.program,
                    detail: format!("chạy quá {} giây", timeout.as_secs()),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(Error::ToolFailed { program: tool.program, detail: e.to_string() }),
        }
    };
    let (stdout, overflow) = out_reader.join().unwrap_or_default();
    let (stderr, _) = err_reader.join().unwrap_or_default();
    if overflow {
        return Err(Error::ToolFailed { program: tool.program, detail: format!("kết quả vượt {max_stdout} byte") });
    }
    Ok(Output { stdout, stderr: String::from_utf8_lossy(&stderr).trim().to_owned(), success: status.success() })
}

/// Reads at most `cap` bytes, then drains the rest so the child never blocks on a full pipe.
fn read_capped(mut r: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let mut overflow = false;
    loop {
        match r.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if buf.len() + n > cap {
                    overflow = true;
                } else {
                    buf.extend_from_slice(&chunk[..n]);
                }
            }
        }
    }
    (buf, overflow)
}

/// A private scratch directory, removed when dropped.
pub(crate) struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    pub fn new() -> Result<Self, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let unique = format!(
            "nhiemvu-ingest-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        );
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir(&path).map_err(|e| Error::io(&path, e))?;
        Ok(ScratchDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to a file in the directory and returns its path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, Error> {
        let p = self.path.join(name);
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))?;
        Ok(p)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
