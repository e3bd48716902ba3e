//! `nhiemvu calendar` as external scripts call it (PRODUCT.md, command-line conventions).
use std::process::{Command, Output};

fn nhiemvu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nhiemvu"))
        .args(args)
        .output()
        .expect("nhiemvu runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn year_prints_one_tab_separated_line_per_day() {
    let output = nhiemvu(&["calendar", "2026"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(lines.iter().all(|fields| fields.len() == 3), "{text}");
    assert_eq!(lines[0], ["2026-01-01", "holiday", "Tết Dương lịch"]);
    let worked: Vec<_> = lines
        .iter()
        .filter(|f| f[1] == "swap_work")
        .map(|f| f[0])
        .collect();
    assert_eq!(worked, ["2026-01-10", "2026-08-22"]);
    let tet = lines
        .iter()
        .filter(|f| f[1] == "holiday" && f[2] == "Tết Nguyên đán Bính Ngọ")
        .count();
    assert_eq!(tet, 5);
    let dates: Vec<_> = lines.iter().map(|f| f[0]).collect();
    assert!(
        dates.windows(2).all(|w| w[0] < w[1]),
        "sorted and one line per day"
    );
    let culture_day = lines.iter().find(|f| f[0] == "2026-11-24").unwrap();
    assert_eq!(
        culture_day[2],
        "Ngày Văn hóa Việt Nam (dự kiến, chưa công bố)"
    );
    let named = |date: &str| lines.iter().find(|f| f[0] == date).unwrap()[2];
    assert_eq!(
        named("2026-01-02"),
        "Nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026)"
    );
    assert_eq!(named("2026-01-10"), "Làm bù cho ngày nghỉ 02/01/2026");
    assert_eq!(named("2026-04-27"), "Nghỉ bù Giỗ Tổ Hùng Vương");
    assert_eq!(named("2026-09-01"), "Nghỉ thêm dịp Quốc khánh");
}

/// Words of the data file's English annotations (`Làm bù (work) for 2/1`, `5 statutory
/// days`, `proposed, not confirmed enacted`), which must not reach users.
const ENGLISH: [&str; 9] = [
    "for",
    "work",
    "statutory",
    "proposed",
    "swap",
    "off",
    "days",
    "confirmed",
    "enacted",
];

#[test]
fn names_2020_to_2026_are_vietnamese() {
    for year in 2020..=2026 {
        let text = stdout(&nhiemvu(&["calendar", &year.to_string()]));
        assert!(text.lines().count() >= 10, "{year}");
        for line in text.lines() {
            let name = line.split('\t').nth(2).unwrap();
            let english: Vec<_> = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
                .collect();
            assert!(english.is_empty(), "{line}");
        }
    }
}

#[test]
fn computed_year_is_marked_not_announced() {
    let text = stdout(&nhiemvu(&["calendar", "2027"]));
    assert!(text.lines().count() >= 10);
    assert!(
        text.lines().all(|l| l.ends_with("(dự kiến, chưa công bố)")),
        "{text}"
    );
}

#[test]
fn year_as_json_lines() {
    let output = nhiemvu(&["calendar", "2024", "--json"]);
    assert!(output.status.success());
    let text = stdout(&output);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["date"], "2024-01-01");
    assert_eq!(first["kind"], "holiday");
    assert_eq!(first["announced"], true);
    let swap = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["kind"] == "swap_work")
        .unwrap();
    assert_eq!(swap["date"], "2024-05-04");
    assert_eq!(swap["name"], "Làm bù cho ngày nghỉ 29/04/2024");
    assert_eq!(swap["note"], "Làm bù (work) for 29/4");
    assert!(swap["source"].as_str().unwrap().starts_with("https://"));
    let computed = stdout(&nhiemvu(&["calendar", "2030", "--json"]));
    let first: serde_json::Value = serde_json::from_str(computed.lines().next().unwrap()).unwrap();
    assert_eq!(first["name"], "Tết Dương lịch");
    assert_eq!(first["announced"], false);
    assert!(first["note"].is_null());
}

#[test]
fn add_prints_only_the_date() {
    let output = nhiemvu(&["calendar", "add", "2026-05-04", "10"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output), "2026-05-18\n");
    // Across Tết Bính Ngọ: Friday 13/2, then 23 and 24 February.
    assert_eq!(
        stdout(&nhiemvu(&["calendar", "add", "2026-02-12", "3"])),
        "2026-02-24\n"
    );
    assert_eq!(
        stdout(&nhiemvu(&["calendar", "add", "2026-02-23", "-1"])),
        "2026-02-13\n"
    );
    let json = stdout(&nhiemvu(&["calendar", "add", "2026-05-04", "10", "--json"]));
    let value: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(value["result"], "2026-05-18");
    assert_eq!(value["working_days"], 10);
}

#[test]
fn bad_input_exits_2_with_a_vietnamese_message() {
    for (args, wanted) in [
        (
            &["calendar", "2300"][..],
            "nằm ngoài phạm vi lịch (1900–2199)",
        ),
        (&["calendar", "1899"][..], "nằm ngoài phạm vi lịch"),
        (&["calendar", "hai nghìn"][..], "năm không hợp lệ"),
        (
            &["calendar", "add", "2026-02-30", "3"][..],
            "ngày không tồn tại",
        ),
        (&["calendar", "add", "04/05/2026", "3"][..], "YYYY-MM-DD"),
        (
            &["calendar", "add", "2026-05-04", "mười"][..],
            "số ngày làm việc không hợp lệ",
        ),
        (&["calendar"][..], "thiếu NĂM"),
    ] {
        let output = nhiemvu(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8(output.stderr).unwrap();
        assert!(err.contains(wanted), "{args:?}: {err}");
    }
}
