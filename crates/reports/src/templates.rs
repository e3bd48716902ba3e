//! The wording of reports and letters, as data (DOMAIN.md: what a province sets is data, not
//! code). `data/report-templates.csv` ships the defaults; an installation may load its own.

use std::collections::HashMap;

use crate::Error;

/// The default wording, compiled in.
pub const DEFAULT_TEMPLATES_CSV: &str = include_str!("../data/report-templates.csv");

/// Phrases by key, with `{name}` placeholders.
#[derive(Debug, Clone)]
pub struct Templates {
    texts: HashMap<String, String>,
}

impl Templates {
    /// The wording shipped with the program.
    pub fn embedded() -> Templates {
        Templates::parse(DEFAULT_TEMPLATES_CSV).expect("the embedded templates are valid")
    }

    /// Reads a `key,text` file. Every key of the embedded file must be present, so a
    /// province's copy that misses a phrase is refused when loaded, not when a report is due.
    pub fn parse(csv: &str) -> Result<Templates, Error> {
        let table = data_file::read(csv).map_err(|e| Error::Template(e.to_string()))?;
        let mut texts = HashMap::new();
        for row in table.rows {
            let [key, text] = row.fields.as_slice() else {
                return Err(Error::Template(format!(
                    "dòng {}: cần đúng hai cột key,text",
                    row.line
                )));
            };
            texts.insert(key.trim().to_owned(), text.clone());
        }
        if !std::ptr::eq(csv, DEFAULT_TEMPLATES_CSV) {
            let defaults = Templates::embedded();
            if let Some(missing) = defaults.texts.keys().find(|k| !texts.contains_key(*k)) {
                return Err(Error::Template(format!("thiếu khóa \"{missing}\"")));
            }
        }
        Ok(Templates { texts })
    }

    /// The phrase of `key` (empty for an unknown key, which [`Templates::parse`] prevents for
    /// every key the program uses).
    pub fn get(&self, key: &str) -> &str {
        self.texts.get(key).map_or("", String::as_str)
    }

    /// The phrase of `key` with `{name}` replaced by the value of each pair.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_owned();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The lines of a `|`-separated phrase, empty ones left out.
    pub fn lines(&self, key: &str) -> Vec<&str> {
        self.get(key)
            .split('|')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_templates_fill_placeholders() {
        let t = Templates::embedded();
        assert_eq!(t.lines("issuer"), ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"]);
        assert_eq!(
            t.fill("urge_greeting", &[("agency", "Sở Tài chính")]),
            "Kính gửi: Sở Tài chính."
        );
        assert!(t.lines("report_copies").contains(&"CT, PCT UBND tỉnh;"));
    }

    #[test]
    fn a_copy_missing_a_key_is_refused() {
        let err = Templates::parse("key,text\nplace,Kon Tum\n").unwrap_err();
        assert!(err.to_string().contains("thiếu khóa"), "{err}");
    }
}
