//! `nhiemvu parse FILE… [--json | --text]`: read directives and print what was extracted.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// Arguments of `nhiemvu parse`.
#[derive(clap::Args)]
pub struct ParseArgs {
    /// Tệp văn bản (TXT, DOCX, DOC, PDF)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// In JSON Lines theo hợp đồng nhiemvu.document/1
    #[arg(long, conflicts_with = "text")]
    json: bool,
    /// In văn bản đã chuẩn hóa (nền của mọi khoảng byte `span`)
    #[arg(long)]
    text: bool,
    /// Bảng mã cũ của tệp văn bản thuần: tcvn3, vni, windows-1258 (mặc định: tự nhận biết)
    #[arg(long, value_name = "BẢNG_MÃ")]
    encoding: Option<String>,
    /// Nhận dạng chữ (OCR) cho PDF: auto, never, always
    #[arg(long, default_value = "auto", value_name = "CHẾ_ĐỘ")]
    ocr: String,
}

pub fn run(args: ParseArgs) -> anyhow::Result<ExitCode> {
    let options = ingest::Options {
        encoding: match &args.encoding {
            Some(name) => Some(name.parse().map_err(|_| {
                anyhow::anyhow!("bảng mã không hỗ trợ: {name} (tcvn3, vni, windows-1258)")
            })?),
            None => None,
        },
        ocr: match args.ocr.as_str() {
            "auto" => ingest::OcrMode::Auto,
            "never" => ingest::OcrMode::Never,
            "always" => ingest::OcrMode::Always,
            other => anyhow::bail!("chế độ OCR không hợp lệ: {other} (auto, never, always)"),
        },
        ..Default::default()
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for path in &args.files {
        let extracted = match ingest::read_file(path, &options) {
            Ok(e) => e,
            Err(err) => {
                eprintln!("nhiemvu: {}: {err}", path.display());
                failed = true;
                continue;
            }
        };
        let source = doc_parse::SourceInfo {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            format: extracted.format.as_str().to_owned(),
            sha256: extracted.sha256.clone(),
        };
        let parsed = doc_parse::parse(&extracted.text, source);
        if args.text {
            out.write_all(parsed.text.as_bytes())?;
            continue;
        }
        let document = parsed.document;
        if args.json {
            serde_json::to_writer(&mut out, &document)?;
            writeln!(out)?;
        } else {
            print_summary(&mut out, &document, &extracted.notes)
                .context("không ghi được kết quả")?;
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(
    out: &mut impl Write,
    d: &doc_parse::Document,
    notes: &[String],
) -> std::io::Result<()> {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    writeln!(out, "Tệp:        {} ({})", d.source.file, d.source.format)?;
    writeln!(out, "Loại:       {}", or_dash(&d.kind))?;
    writeln!(
        out,
        "Cơ quan:    {}",
        d.issuer
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_else(|| "—".to_owned())
    )?;
    writeln!(out, "Số, ký hiệu: {}", or_dash(&d.code))?;
    writeln!(out, "Ngày:       {}", or_dash(&d.date))?;
    writeln!(out, "Trích yếu:  {}", or_dash(&d.subject))?;
    writeln!(out, "Trích dẫn:  {} văn bản", d.references.len())?;
    writeln!(out, "Nhiệm vụ:   {}", d.tasks.len())?;
    for task in &d.tasks {
        writeln!(
            out,
            "  {}  [{}]  {}",
            task.id,
            task.lead.join(", "),
            task.deadline.text.as_deref().unwrap_or("")
        )?;
    }
    for note in notes {
        writeln!(out, "Ghi chú:    {note}")?;
    }
    for w in &d.warnings {
        writeln!(out, "Cảnh báo:   {}", w.message)?;
    }
    writeln!(out)
}
