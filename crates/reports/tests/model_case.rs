//! The compiled report and the urging letter on the model case (Official Letter
//! 2395/UBND-KTTH): the tracking scenario of `crates/scheduler/tests/model_case.rs` (task 2.3
//! started, extended, reported done and confirmed under a controlled clock), then at four
//! dates the figures printed in the DOCX and in the XLSX are read back and compared with
//! `store::official_counts`, the dashboard's code; and the files read back through this
//! project's own DOCX reader and parser give the right kind, issuer, number and date.

use std::path::PathBuf;

use reports::{Period, Report, ReportRequest, Templates, UrgeRequest};
use store::{
    Actor, CountBy, CountRow, DocumentId, NewReport, NewUser, Role, Scope, Store, TaskId,
    Timestamp, UserId,
};
use vn_calendar::{Calendar, Date};
use workflow::{Action, Counts, Settings};

const MODEL_CASE: &str = include_str!("../../../examples/2395-UBND-KTTH.txt");
const CULTURE: &str = "Sở Văn hóa, Thể thao và Du lịch";
const ISSUER: &str = "Ủy ban nhân dân tỉnh Quảng Ngãi";

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn morning(date: &str) -> Timestamp {
    Timestamp::in_vietnam(day(date), 8, 30)
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            std::fs::remove_file(p).ok();
        }
    }
}

async fn fresh_store(name: &str) -> (Store, Scratch) {
    let path =
        std::env::temp_dir().join(format!("nhiemvu_reports_{name}_{}.db", std::process::id()));
    let scratch = Scratch(path.clone());
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    (store, scratch)
}

async fn import_model_case(store: &Store) -> DocumentId {
    let text = vn_text::normalize(MODEL_CASE);
    let parsed = doc_parse::parse(
        &text,
        doc_parse::SourceInfo {
            file: "2395-UBND-KTTH.txt".into(),
            format: "text".into(),
            sha256: String::new(),
        },
    );
    match store
        .commit_document(&parsed, MODEL_CASE.as_bytes(), Actor::System)
        .await
        .unwrap()
    {
        store::CommitOutcome::Imported { document, tasks } => {
            assert_eq!(tasks, 23);
            document
        }
        other => panic!("{other:?}"),
    }
}

async fn user(store: &Store, login: &str, roles: Vec<Role>, agency: Option<&str>) -> UserId {
    let id = store
        .create_user(
            &NewUser {
                login: login.to_owned(),
                full_name: format!("Cán bộ {login}"),
                email: None,
                password_hash: None,
                roles,
            },
            Actor::System,
        )
        .await
        .unwrap();
    if let Some(name) = agency {
        let agency = store.find_agency(name).await.unwrap().unwrap();
        store
            .add_membership(id, agency.id, Actor::System)
            .await
            .unwrap();
    }
    id
}

/// The scenario's steps on task 2.3, without the scheduler: start on 25 May 2022, an
/// extension to 31 March 2023 approved on 29 December, completion reported on 20 March and
/// confirmed on 22 March 2023.
async fn scenario(store: &Store, document: DocumentId, calendar: &Calendar) -> (TaskId, UserId) {
    let tasks = store.tasks_of_document(document).await.unwrap();
    let t23 = tasks.iter().find(|t| t.outline_id == "2.3").unwrap().id;
    let leader = user(store, "chutich", vec![Role::Leader], None).await;
    let monitor = user(store, "vanphong", vec![Role::Monitor], None).await;
    let head = user(store, "giamdoc", vec![Role::AgencyHead], Some(CULTURE)).await;
    let officer = user(
        store,
        "chuyenvien",
        vec![Role::AgencyOfficer],
        Some(CULTURE),
    )
    .await;
    store.hand_over(t23, officer, head).await.unwrap();
    store
        .transition(t23, &Action::Start, officer, morning("2022-05-25"))
        .await
        .unwrap();
    let extension = store
        .request_extension(
            t23,
            day("2023-03-31"),
            "Chờ kết quả khảo sát các điểm du lịch",
            officer,
            morning("2022-12-29"),
            calendar,
        )
        .await
        .unwrap();
    store
        .decide_extension(
            extension,
            true,
            Some("Đồng ý"),
            leader,
            Timestamp::in_vietnam(day("2022-12-29"), 16, 0),
        )
        .await
        .unwrap();
    store
        .transition(t23, &Action::ReportDone, officer, morning("2023-03-20"))
        .await
        .unwrap();
    store
        .transition(t23, &Action::Confirm, monitor, morning("2023-03-22"))
        .await
        .unwrap();
    (t23, officer)
}

fn five(c: &Counts) -> (u64, u64, u64, u64, u64) {
    (
        c.done_on_time,
        c.done_late,
        c.open_on_time,
        c.open_overdue,
        c.no_deadline,
    )
}

/// Reads a DOCX back as an official would import it: ingest's reader, then the parser.
fn read_back(bytes: &[u8], name: &str) -> (String, doc_parse::Document) {
    let extracted = ingest::read_bytes(bytes, name, &ingest::Options::default()).unwrap();
    let parsed = doc_parse::parse(
        &extracted.text,
        doc_parse::SourceInfo {
            file: name.into(),
            format: "docx".into(),
            sha256: extracted.sha256.clone(),
        },
    );
    (extracted.text, parsed.document)
}

fn warnings(d: &doc_parse::Document) -> Vec<String> {
    d.warnings.iter().map(|w| w.code.clone()).collect()
}

/// The counts table of the report's text: (agency, total, five counts) per row, the total
/// row last under the name "Tổng cộng".
fn counts_table(text: &str) -> Vec<(String, [u64; 6])> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("TT\tCơ quan chủ trì\tTổng số\t"))
        .unwrap_or_else(|| panic!("a counts table in:\n{text}"));
    let mut out = Vec::new();
    for line in &lines[start + 1..] {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 8, "{line:?}");
        let mut n = [0; 6];
        for (i, v) in f[2..].iter().enumerate() {
            n[i] = v.trim().parse().unwrap();
        }
        out.push((f[1].to_owned(), n));
        if f[1] == "Tổng cộng" {
            return out;
        }
    }
    panic!("no total row");
}

fn as_array(c: &Counts) -> [u64; 6] {
    [
        c.total(),
        c.done_on_time,
        c.done_late,
        c.open_on_time,
        c.open_overdue,
        c.no_deadline,
    ]
}

fn cell_u64(s: &str) -> u64 {
    s.trim().parse::<f64>().unwrap() as u64
}

/// The XLSX of `report`, its summary sheet's rows and its annex sheet's rows.
async fn xlsx_of(
    report: &Report,
    store: &Store,
    calendar: &Calendar,
    settings: &Settings,
) -> (Vec<u8>, Vec<Vec<String>>, Vec<Vec<String>>) {
    let t = Templates::embedded();
    let bytes = reports::write_xlsx(
        report,
        store,
        calendar,
        settings,
        &t,
        std::io::Cursor::new(Vec::new()),
    )
    .await
    .unwrap()
    .into_inner();
    let limits = ingest::Limits::default();
    let summary = ingest::read_named_sheet(&bytes, "Tổng hợp", &limits).unwrap();
    let annex = ingest::read_named_sheet(&bytes, "Phụ lục", &limits).unwrap();
    (bytes, summary.rows, annex.rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docx_and_xlsx_agree_with_official_counts_at_four_dates() {
    let (store, _cleanup) = fresh_store("four_dates").await;
    let calendar = Calendar::new();
    let settings = Settings::default();
    let document = import_model_case(&store).await;
    scenario(&store, document, &calendar).await;
    let t = Templates::embedded();

    // The scenario's four dates and what it expects of task 2.3's agency on each.
    let dates = [
        ("2022-12-27", (0, 0, 1, 0, 0), 0),
        ("2022-12-28", (0, 0, 1, 0, 0), 1),
        ("2023-01-04", (0, 0, 1, 0, 0), 0),
        ("2023-04-05", (1, 0, 0, 0, 0), 0),
    ];
    for (i, (date, culture, due_soon)) in dates.into_iter().enumerate() {
        let period: Period = format!("2022-05-20..{date}").parse().unwrap();
        // The first report is numbered and dated; the others are drafts.
        let numbered = i == 0;
        let request = ReportRequest {
            period,
            agency: None,
            document: Some((document, "2395/UBND-KTTH".into())),
            number: numbered.then(|| "15".to_owned()),
            date: numbered.then(|| day("2022-12-30")),
            drafted_on: day("2023-01-05"),
        };
        let report = reports::compile(&store, &request, &calendar, &settings)
            .await
            .unwrap();
        let official = store
            .official_counts(
                day(date),
                CountBy::LeadAgency,
                Scope::Document(document),
                &calendar,
                &settings,
            )
            .await
            .unwrap();
        let by_document = store
            .official_counts(
                day(date),
                CountBy::Document,
                Scope::Document(document),
                &calendar,
                &settings,
            )
            .await
            .unwrap();
        assert_eq!(by_document.len(), 1);
        let overall = by_document[0].counts;
        let row =
            |rows: &[CountRow], name: &str| rows.iter().find(|r| r.name == name).unwrap().counts;
        assert_eq!(five(&row(&official, CULTURE)), culture, "{date}");
        assert_eq!(row(&official, CULTURE).due_soon, due_soon, "{date}");
        assert_eq!(report.overall, overall, "{date}");
        assert_eq!(
            overall.total(),
            23,
            "{date}: every task of the model case is counted"
        );
        // The annex judges every task with the same rules as the counts.
        assert_eq!(report.annex_counts, overall, "{date}");
        assert_eq!(report.annex_total, 23);

        // DOCX: the counts table read back equals official_counts, row by row.
        let bytes = reports::report_docx(&report, &t).unwrap();
        let (text, parsed) = read_back(&bytes, "bao-cao.docx");
        let table = counts_table(&text);
        assert_eq!(table.len(), official.len() + 1, "{date}");
        for (r, (name, values)) in official.iter().zip(&table) {
            assert_eq!(&r.name, name);
            assert_eq!(&as_array(&r.counts), values, "{date} {name}");
        }
        assert_eq!(table.last().unwrap().1, as_array(&overall), "{date}");
        assert!(
            text.contains(&format!(
                "- Chưa hoàn thành quá hạn: {} nhiệm vụ;",
                overall.open_overdue
            )),
            "{date}"
        );

        // The round trip through our own reader and parser.
        assert_eq!(parsed.kind.as_deref(), Some("bao_cao"), "{date}");
        assert_eq!(
            parsed.issuer.as_ref().map(|i| i.name.as_str()),
            Some(ISSUER)
        );
        assert_eq!(parsed.symbol.as_deref(), Some("BC-UBND"));
        if numbered {
            assert_eq!(parsed.number.as_deref(), Some("15"));
            assert_eq!(parsed.code.as_deref(), Some("15/BC-UBND"));
            assert_eq!(parsed.date.as_deref(), Some("2022-12-30"));
        } else {
            assert_eq!(parsed.number, None);
            assert_eq!(parsed.date, None);
            let codes = warnings(&parsed);
            assert!(
                codes.iter().any(|c| c == "number_blank")
                    && codes.iter().any(|c| c == "date_blank"),
                "{codes:?}"
            );
        }

        // XLSX: the summary sheet's figures and the annex sheet's tally.
        let (_, summary, annex) = xlsx_of(&report, &store, &calendar, &settings).await;
        let header = summary
            .iter()
            .position(|r| r.get(1).is_some_and(|c| c == "Cơ quan chủ trì"))
            .unwrap();
        for (k, r) in official.iter().enumerate() {
            let cells = &summary[header + 1 + k];
            assert_eq!(cells[1], r.name);
            let values: Vec<u64> = cells[2..8].iter().map(|c| cell_u64(c)).collect();
            assert_eq!(values, as_array(&r.counts), "{date} {}", r.name);
        }
        let total = &summary[header + 1 + official.len()];
        assert_eq!(total[1], "Tổng cộng");
        let values: Vec<u64> = total[2..8].iter().map(|c| cell_u64(c)).collect();
        assert_eq!(values, as_array(&overall));
        assert_eq!(annex.len(), 24, "header and 23 tasks");
        let mut tally = [0u64; 5];
        for r in &annex[1..] {
            let i = match r[7].as_str() {
                "Đúng hạn" => 0,
                "Trễ hạn" => 1,
                "Trong hạn" | "Sắp đến hạn" => 2,
                "Quá hạn" => 3,
                "Không thời hạn" => 4,
                other => panic!("{other}"),
            };
            tally[i] += 1;
        }
        assert_eq!(tally[..], as_array(&overall)[1..], "{date}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urging_letters_read_back_as_cong_van() {
    let (store, _cleanup) = fresh_store("urge").await;
    let calendar = Calendar::new();
    let settings = Settings::default();
    let document = import_model_case(&store).await;
    scenario(&store, document, &calendar).await;
    let t = Templates::embedded();

    // 28 December 2022: task 2.3 is sắp đến hạn for its agency.
    let mut request = UrgeRequest {
        as_of: day("2022-12-28"),
        agency: Some(CULTURE.into()),
        number: None,
        date: None,
        drafted_on: day("2022-12-28"),
        reply_working_days: 5,
    };
    let letters = reports::urging_letters(&store, &request, &calendar, &settings)
        .await
        .unwrap();
    assert_eq!(letters.len(), 1);
    let letter = &letters[0];
    assert_eq!(letter.agency, CULTURE);
    assert_eq!(
        letter
            .soon
            .iter()
            .map(|r| r.outline_id.as_str())
            .collect::<Vec<_>>(),
        ["2.3"]
    );
    assert!(letter.overdue.is_empty());
    // The letter's figures are the official ones.
    let official = store
        .official_counts(
            day("2022-12-28"),
            CountBy::LeadAgency,
            Scope::All,
            &calendar,
            &settings,
        )
        .await
        .unwrap();
    let culture = official.iter().find(|r| r.name == CULTURE).unwrap().counts;
    assert_eq!(
        (letter.counts.due_soon, letter.counts.open_overdue),
        (culture.due_soon, culture.open_overdue)
    );
    assert_eq!(letter.soon.len() as u64, culture.due_soon);

    let bytes = reports::urging_docx(letter, &request, &t).unwrap();
    let (text, parsed) = read_back(&bytes, "don-doc.docx");
    assert_eq!(parsed.kind.as_deref(), Some("cong_van"), "{text}");
    assert_eq!(
        parsed.issuer.as_ref().map(|i| i.name.as_str()),
        Some(ISSUER)
    );
    assert_eq!(parsed.symbol.as_deref(), Some("UBND-KTTH"));
    assert_eq!(
        (parsed.number.as_deref(), parsed.date.as_deref()),
        (None, None)
    );
    let codes = warnings(&parsed);
    assert!(codes.iter().any(|c| c == "number_blank"), "{codes:?}");
    assert!(
        parsed
            .subject
            .as_deref()
            .is_some_and(|s| s.starts_with("đôn đốc thực hiện nhiệm vụ")),
        "{:?}",
        parsed.subject
    );
    assert_eq!(parsed.recipients, [CULTURE]);

    // Numbered and dated.
    request.number = Some("3125".into());
    request.date = Some(day("2022-12-28"));
    let bytes = reports::urging_docx(letter, &request, &t).unwrap();
    let (_, parsed) = read_back(&bytes, "don-doc.docx");
    assert_eq!(parsed.code.as_deref(), Some("3125/UBND-KTTH"));
    assert_eq!(parsed.date.as_deref(), Some("2022-12-28"));
    assert_eq!(parsed.kind.as_deref(), Some("cong_van"));

    // Without an agency: one letter per agency with something overdue or due soon; on
    // 5 April 2023 those are exactly the agencies with open overdue or due-soon counts.
    let all = UrgeRequest {
        as_of: day("2023-04-05"),
        agency: None,
        ..request.clone()
    };
    let letters = reports::urging_letters(&store, &all, &calendar, &settings)
        .await
        .unwrap();
    let official = store
        .official_counts(
            day("2023-04-05"),
            CountBy::LeadAgency,
            Scope::All,
            &calendar,
            &settings,
        )
        .await
        .unwrap();
    let expected: Vec<&str> = official
        .iter()
        .filter(|r| r.counts.open_overdue + r.counts.due_soon > 0)
        .map(|r| r.name.as_str())
        .collect();
    let got: Vec<&str> = letters.iter().map(|l| l.agency.as_str()).collect();
    assert_eq!(got, expected);
    for l in &letters {
        assert_eq!(
            l.overdue.len() as u64,
            l.counts.open_overdue,
            "{}",
            l.agency
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrative_quotes_latest_progress_and_agency_reports_filter() {
    let (store, _cleanup) = fresh_store("narrative").await;
    let calendar = Calendar::new();
    let settings = Settings::default();
    let document = import_model_case(&store).await;
    let (t23, officer) = scenario(&store, document, &calendar).await;
    let culture = store.find_agency(CULTURE).await.unwrap().unwrap();
    store
        .add_progress_report(
            &NewReport {
                task: t23,
                agency: Some(culture.id),
                author: Some(officer),
                status: None,
                percent: Some(100),
                content: "Đã hoàn thành khảo sát 12 điểm du lịch ven biển".into(),
                result: None,
                attachments: Vec::new(),
            },
            Actor::User(officer),
        )
        .await
        .unwrap();
    // Progress reports are stamped with the real clock, so the period runs to today.
    let today = Timestamp::now().date_in_vietnam();
    let request = ReportRequest {
        period: Period::Custom(day("2022-05-20"), today),
        agency: Some("sở văn hóa thể thao và du lịch".into()),
        document: None,
        number: None,
        date: None,
        drafted_on: today,
    };
    let report = reports::compile(&store, &request, &calendar, &settings)
        .await
        .unwrap();
    assert_eq!(report.agencies.len(), 1);
    assert_eq!(report.overall.total(), report.annex_total);
    assert!(
        report
            .annex
            .iter()
            .all(|r| r.leads.iter().any(|(_, n)| n == CULTURE))
    );
    let t = Templates::embedded();
    let (text, parsed) = read_back(&reports::report_docx(&report, &t).unwrap(), "r.docx");
    assert!(
        text.contains("Đã hoàn thành khảo sát 12 điểm du lịch ven biển"),
        "{text}"
    );
    assert!(text.contains(&format!("Kết quả thực hiện nhiệm vụ của {CULTURE}")));
    assert_eq!(parsed.kind.as_deref(), Some("bao_cao"));
    let html = reports::report_html(&report, &t);
    assert!(html.contains("<svg") && html.contains("Đã hoàn thành khảo sát"));

    let unknown = ReportRequest {
        agency: Some("Sở Không Có".into()),
        ..request
    };
    assert!(matches!(
        reports::compile(&store, &unknown, &calendar, &settings).await,
        Err(reports::Error::UnknownAgency(_))
    ));
}

/// Renders a report with LibreOffice and checks where the header block lands on page 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_block_layout_in_libreoffice_pdf() {
    // Each tool's own version flag: pdftotext exits 1 on `--version`, soffice on `-v`.
    let have = |tool: &str, flag: &str| {
        std::process::Command::new(tool)
            .arg(flag)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("soffice", "--version") || !have("pdftotext", "-v") {
        eprintln!(
            "skipped: LibreOffice (Debian libreoffice-writer-nogui) or pdftotext (poppler-utils) is not installed"
        );
        return;
    }
    let (store, _cleanup) = fresh_store("pdf").await;
    let calendar = Calendar::new();
    let settings = Settings::default();
    import_model_case(&store).await;
    let request = ReportRequest {
        period: "2022-Q4".parse().unwrap(),
        agency: None,
        document: None,
        number: Some("15".into()),
        date: Some(day("2023-01-05")),
        drafted_on: day("2023-01-05"),
    };
    let report = reports::compile(&store, &request, &calendar, &settings)
        .await
        .unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-layout");
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("bao-cao.docx");
    std::fs::write(
        &docx,
        reports::report_docx(&report, &Templates::embedded()).unwrap(),
    )
    .unwrap();
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .status()
        .unwrap();
    assert!(status.success());
    let pdf = dir.join("bao-cao.pdf");
    let bbox = dir.join("bao-cao.html");
    let status = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(&bbox)
        .status()
        .unwrap();
    assert!(status.success());
    // The page image is kept as an artifact next to the PDF.
    std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(dir.join("bao-cao-page"))
        .status()
        .ok();
    let html = std::fs::read_to_string(&bbox).unwrap();
    let page_height: f64 = attr(html.split("<page").nth(1).unwrap(), "height");
    let words: Vec<(f64, f64, f64, String)> = html
        .split("<word ")
        .skip(1)
        .map(|w| {
            let text = w
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_owned();
            (attr(w, "xMin"), attr(w, "yMin"), attr(w, "xMax"), text)
        })
        .collect();
    let find = |word: &str| {
        words
            .iter()
            .find(|w| w.3 == word)
            .unwrap_or_else(|| panic!("{word} on page 1"))
            .clone()
    };
    let issuer = find("NHÂN");
    let motto = find("CỘNG");
    assert!(
        issuer.1 < page_height * 0.15,
        "issuer at y={} of {page_height}",
        issuer.1
    );
    assert!(
        motto.1 < page_height * 0.15,
        "motto at y={} of {page_height}",
        motto.1
    );
    assert!(
        motto.0 > issuer.2,
        "motto (x={}) right of the issuer (x≤{})",
        motto.0,
        issuer.2
    );
    eprintln!(
        "page 1: issuer at ({:.0}, {:.0}), motto at ({:.0}, {:.0}), page height {page_height:.0} pt; artifacts in {}",
        issuer.0,
        issuer.1,
        motto.0,
        motto.1,
        dir.display()
    );
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}
