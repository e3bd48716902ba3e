//! Distinct directives made from the model case, for the bulk-import benchmark and the crash
//! test: each copy has its own number (so its own code and SHA-256), date, lead agency in one
//! section and task wording, so the store cannot take one for a re-import of another.
use std::path::{Path, PathBuf};

const MODEL: &str = include_str!("../../../../examples/2395-UBND-KTTH.txt");

/// Agencies swapped in for "Sở Công Thương" in section 2.5, all in the directory.
const AGENCIES: &[&str] = &[
    "Sở Công Thương",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Tư pháp",
];

/// The text of copy `i`: number `10000 + i`, a date in 2022, an agency and a wave marker.
pub fn directive(i: usize) -> String {
    let number = 10_000 + i;
    let day = 1 + i % 28;
    let month = 1 + (i / 28) % 12;
    MODEL
        .replace("**2395**", &format!("**{number}**"))
        .replace(
            "ngày **20** tháng 5 năm 2022",
            &format!("ngày **{day}** tháng {month} năm 2022"),
        )
        .replace(
            "2.5. Sở Công Thương",
            &format!("2.5. {}", AGENCIES[i % AGENCIES.len()]),
        )
        .replace(
            "Tích cực, chủ động",
            &format!("Tích cực, chủ động (đợt {i})"),
        )
}

/// Writes copies `0..n` into `dir` as `NNNNN.txt`; their paths in import order.
pub fn write(dir: &Path, n: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("create the corpus folder");
    (0..n)
        .map(|i| {
            let path = dir.join(format!("{i:05}.txt"));
            std::fs::write(&path, directive(i)).expect("write a generated directive");
            path
        })
        .collect()
}
