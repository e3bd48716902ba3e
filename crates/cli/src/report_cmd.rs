//! `nhiemvu report` and `nhiemvu urge`: the compiled report of a period (DOCX per Decree 30,
//! XLSX annex with charts, HTML) and the urging letters of agencies with overdue or soon-due
//! tasks. The figures are the dashboard's (`store::official_counts`); the wording is the
//! `reports` crate's templates, or a province's own with `--templates`.

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use reports::{Period, ReportRequest, Templates, UrgeRequest};
use store::{DocumentCode, DocumentId, Store, Timestamp};
use vn_calendar::Date;

use crate::database::{DatabaseArgs, block_on};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Docx,
    Xlsx,
    Html,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Kỳ báo cáo: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY hoặc TỪ..ĐẾN (số liệu tính đến hết ngày cuối kỳ)
    #[arg(long, value_name = "KỲ")]
    period: String,
    /// Chỉ các nhiệm vụ do cơ quan này chủ trì
    #[arg(long, value_name = "TÊN")]
    agency: Option<String>,
    /// Chỉ các nhiệm vụ của văn bản này (số ký hiệu hoặc mã số lưu trữ)
    #[arg(long, value_name = "SỐ_KÝ_HIỆU|ID")]
    document: Option<String>,
    /// Năm ban hành, cùng --document khi số, ký hiệu trùng giữa các năm
    #[arg(long, requires = "document")]
    year: Option<i32>,
    /// Số của báo cáo (không có: bản dự thảo, để trống số cho văn thư)
    #[arg(long, value_name = "SỐ")]
    number: Option<String>,
    /// Ngày ban hành YYYY-MM-DD (không có: để trống ngày, tháng)
    #[arg(long, value_name = "NGÀY")]
    date: Option<String>,
    /// Định dạng tệp
    #[arg(long, value_enum, default_value_t = Format::Docx)]
    format: Format,
    /// Tệp mẫu câu chữ (key,text) thay cho mẫu có sẵn
    #[arg(long, value_name = "TỆP")]
    templates: Option<PathBuf>,
    /// Tệp kết quả
    #[arg(short, long, value_name = "TỆP")]
    output: PathBuf,
}

#[derive(clap::Args)]
pub struct UrgeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Ngày lấy số liệu YYYY-MM-DD
    #[arg(long, value_name = "NGÀY")]
    as_of: String,
    /// Chỉ cơ quan này (khi đó -o là một tệp .docx; không có: -o là thư mục, mỗi cơ quan một tệp)
    #[arg(long, value_name = "TÊN")]
    agency: Option<String>,
    /// Số của công văn (không có: để trống)
    #[arg(long, value_name = "SỐ")]
    number: Option<String>,
    /// Ngày ban hành YYYY-MM-DD (không có: để trống ngày, tháng)
    #[arg(long, value_name = "NGÀY")]
    date: Option<String>,
    /// Số ngày làm việc cơ quan có để báo cáo lại
    #[arg(long, default_value_t = 5)]
    reply_days: u32,
    /// Tệp mẫu câu chữ (key,text) thay cho mẫu có sẵn
    #[arg(long, value_name = "TỆP")]
    templates: Option<PathBuf>,
    /// Tệp (với --agency) hoặc thư mục kết quả
    #[arg(short, long, value_name = "ĐƯỜNG_DẪN")]
    output: PathBuf,
}

fn date_arg(text: &str, flag: &str) -> anyhow::Result<Date> {
    text.parse()
        .map_err(|e| anyhow::anyhow!("{flag} không hợp lệ ({text:?}): {e}"))
}

fn templates(path: Option<&Path>) -> anyhow::Result<Templates> {
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("không đọc được {}", p.display()))?;
            Templates::parse(&text).with_context(|| p.display().to_string())
        }
        None => Ok(Templates::embedded()),
    }
}

/// Refusals by a rule (an unknown agency, a period that cannot be) exit 1; the rest 2.
fn exit_for(err: &reports::Error) -> ExitCode {
    match err {
        reports::Error::UnknownAgency(_) => ExitCode::from(1),
        reports::Error::Store(e) if crate::database::is_refusal(e) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

pub fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let period: Period = match args.period.parse() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("nhiemvu: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let date = args
        .date
        .as_deref()
        .map(|d| date_arg(d, "--date"))
        .transpose()?;
    let t = templates(args.templates.as_deref())?;
    block_on(async move {
        let store = args.database.open().await?;
        let document = match &args.document {
            Some(key) => match document(&store, key, args.year).await? {
                Ok(found) => Some(found),
                Err(message) => {
                    eprintln!("nhiemvu: {message}");
                    return Ok(ExitCode::from(1));
                }
            },
            None => None,
        };
        let request = ReportRequest {
            period,
            agency: args.agency.clone(),
            document,
            number: args.number.clone(),
            date,
            drafted_on: Timestamp::now().date_in_vietnam(),
        };
        let store::Rules { calendar, settings } = store.rules().await?;
        let report = match reports::compile(&store, &request, &calendar, &settings).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("nhiemvu: {e}");
                return Ok(exit_for(&e));
            }
        };
        match args.format {
            Format::Docx => std::fs::write(&args.output, reports::report_docx(&report, &t)?)?,
            Format::Html => std::fs::write(&args.output, reports::report_html(&report, &t))?,
            Format::Xlsx => {
                let file = std::fs::File::create(&args.output)
                    .with_context(|| format!("không tạo được {}", args.output.display()))?;
                reports::write_xlsx(
                    &report,
                    &store,
                    &calendar,
                    &settings,
                    &t,
                    BufWriter::new(file),
                )
                .await?;
            }
        }
        eprintln!(
            "Đã ghi {}: {} nhiệm vụ, số liệu đến hết ngày {}{}",
            args.output.display(),
            report.overall.total(),
            reports::vn_date(report.as_of),
            if request.number.is_none() {
                " (dự thảo, chưa có số)"
            } else {
                ""
            }
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// The document a `--document` value names, with the code the subject cites; `Err` with the
/// message when it names none or several.
async fn document(
    store: &Store,
    key: &str,
    year: Option<i32>,
) -> anyhow::Result<Result<(DocumentId, String), String>> {
    let ids = if let Ok(id) = key.parse::<DocumentId>() {
        match store.document(id).await {
            Ok(_) => vec![id],
            Err(store::Error::NotFound { .. }) => Vec::new(),
            Err(e) => return Err(e.into()),
        }
    } else if let Ok(code) = key.parse::<DocumentCode>() {
        store.documents_by_code(&code, year).await?
    } else {
        return Ok(Err(format!(
            "\"{key}\" không phải số ký hiệu hay mã số văn bản"
        )));
    };
    match ids.as_slice() {
        [id] => {
            let d = store.document(*id).await?;
            let code = d
                .code
                .map(|c| c.to_string())
                .unwrap_or_else(|| key.to_owned());
            Ok(Ok((*id, code)))
        }
        [] => Ok(Err(format!("không có văn bản \"{key}\""))),
        _ => Ok(Err(format!(
            "có {} văn bản \"{key}\"; dùng --year hoặc mã số lưu trữ",
            ids.len()
        ))),
    }
}

pub fn urge(args: UrgeArgs) -> anyhow::Result<ExitCode> {
    let as_of = date_arg(&args.as_of, "--as-of")?;
    let date = args
        .date
        .as_deref()
        .map(|d| date_arg(d, "--date"))
        .transpose()?;
    let t = templates(args.templates.as_deref())?;
    block_on(async move {
        let store = args.database.open().await?;
        let request = UrgeRequest {
            as_of,
            agency: args.agency.clone(),
            number: args.number.clone(),
            date,
            drafted_on: Timestamp::now().date_in_vietnam(),
            reply_working_days: args.reply_days,
        };
        let rules = store.rules().await?;
        let letters =
            match reports::urging_letters(&store, &request, &rules.calendar, &rules.settings).await
            {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("nhiemvu: {e}");
                    return Ok(exit_for(&e));
                }
            };
        if args.agency.is_some() {
            let Some(letter) = letters.first() else {
                bail!("không lập được công văn");
            };
            std::fs::write(&args.output, reports::urging_docx(letter, &request, &t)?)?;
            eprintln!(
                "Đã ghi {}: {} nhiệm vụ quá hạn, {} sắp đến hạn",
                args.output.display(),
                letter.overdue.len(),
                letter.soon.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        std::fs::create_dir_all(&args.output)
            .with_context(|| format!("không tạo được thư mục {}", args.output.display()))?;
        for letter in &letters {
            let path = args
                .output
                .join(format!("don-doc-{}.docx", slug(&letter.agency)));
            std::fs::write(&path, reports::urging_docx(letter, &request, &t)?)?;
            println!(
                "{}\t{}\t{}\t{}",
                path.display(),
                letter.agency,
                letter.overdue.len(),
                letter.soon.len()
            );
        }
        eprintln!("Đã lập {} công văn đôn đốc", letters.len());
        Ok(ExitCode::SUCCESS)
    })
}

/// A file name from an agency's name: "Sở Văn hóa, Thể thao và Du lịch" →
/// "so-van-hoa-the-thao-va-du-lich".
fn slug(name: &str) -> String {
    let folded = vn_text::fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}
