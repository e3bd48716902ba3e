//! Legal references: find every document a Vietnamese directive cites, resolve short forms to
//! the full citation they point to, and annotate the text for review.
//!
//! Modelled on eyecite: a small API ([`find`], [`annotate`], [`link`]) driven by a data
//! table ([`kinds`]) of document kinds, symbol abbreviations, issuer codes and law names.
//! An Aho-Corasick pass over anchors generated from that table (kind words, `Luật`,
//! symbol fragments such as `/QĐ-`) decides where the hand-written parsers run; overlapping
//! matches are settled deterministically (earliest start, then longest).
//!
//! ```
//! let text = "Thực hiện Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ; Nghị quyết nêu trên …";
//! let found = legal_ref::find(text);
//! assert_eq!(found[0].code, "57/NQ-CP");
//! assert_eq!(found[0].date.map(|d| d.to_string()).as_deref(), Some("2022-04-21"));
//! assert_eq!(found[1].resolved_from.as_deref(), Some("57/NQ-CP"));
//! ```
//!
//! Canonical values follow the `nhiemvu.document/1` contract: `code` is `number/symbol`,
//! `number/year/symbol` for legal normative documents and the Party form `number-symbol`;
//! the symbol keeps its printed case with spaces removed (`QĐ- BXD` → `QĐ-BXD`); a law cited
//! by name has `code` = the name as written and no number or symbol. The issuer comes from
//! "của …" (abbreviations expanded, canonical tones); failing that it is inferred only
//! where the symbol's issuer code is unambiguous ([`kinds::ISSUER_CODES`]: CP, TTg, QH…,
//! UBTVQH…) or the code is followed by "tỉnh" after a UBND symbol ("Ủy ban nhân dân tỉnh").
#![warn(missing_docs)]

pub mod dates;
pub mod kinds;
mod registry;
mod scan;

use std::ops::Range;

pub use registry::{DocumentRef, MemoryRegistry, Registry, link};
pub use scan::Scan;
use scan::{Mention, ShortRef};

/// How a mention cites its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// With a number and symbol: "Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ".
    Full,
    /// A law by name only: "Luật Quy hoạch 2017".
    Name,
    /// A short form pointing back to a full citation: "Nghị quyết nêu trên", "Chỉ thị 11",
    /// "Quyết định này", or a law's name repeated in another spelling.
    Short,
}

/// One mention of a cited document.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// Contract kind code (`nghi_quyet`), from the word before the number or, for "Văn
    /// bản" and bare codes, from the symbol; `None` when neither tells.
    pub kind: Option<&'static str>,
    /// Canonical code (see the crate documentation); for a short form, the code of the
    /// citation it points to.
    pub code: String,
    /// The number as printed, leading zeros kept (`08`).
    pub number: Option<String>,
    /// From the code (`107/2021/NĐ-CP`), else from the date, else from a law's name.
    pub year: Option<i32>,
    /// The symbol as printed, spaces removed (`NQ-CP`, `CT/TU`).
    pub symbol: Option<String>,
    /// The date written with the citation ("ngày 21/4/2022").
    pub date: Option<vn_calendar::Date>,
    /// The issuing body, proper case (see the crate documentation for what is inferred).
    pub issuer: Option<String>,
    /// The mention as written (a slice of the input).
    pub text: String,
    /// Byte offsets of the mention in the input.
    pub span: Range<usize>,
    /// For a short form: the code of the full citation it points to.
    pub resolved_from: Option<String>,
    /// How the document is cited.
    pub form: Form,
}

/// Every citation in `text`, in order, one entry per mention, with short forms resolved.
///
/// `text` is normalised text (`vn_text::normalize`, one paragraph per line); a citation may
/// still wrap onto the next line ("số\n57/NQ-CP"). Resolution is part of finding, because
/// a short form means nothing on its own: "Quyết định này" is the document itself when the
/// header's `Số:` line says it is a quyết định, otherwise the last quyết định cited;
/// "Nghị quyết nêu trên" is the last nghị quyết cited; "Chỉ thị 11" is the last chỉ thị
/// numbered 11; a law's name repeated in another spelling or without its year is the law
/// cited first. A short form with nothing to point to is left out.
pub fn find(text: &str) -> Vec<Citation> {
    find_with(text, Scan::Prefiltered)
}

/// [`find`] with a choice of scan; the result is the same, only the speed differs.
pub fn find_with(text: &str, scan: Scan) -> Vec<Citation> {
    let mentions = scan::mentions(text, scan);
    resolve(text, mentions)
}

fn resolve(text: &str, mentions: Vec<Mention>) -> Vec<Citation> {
    let own = scan::own_document(text);
    // Law names seen so far, folded without their year, with the code they resolved to.
    let mut laws: Vec<(String, String)> = Vec::new();
    let mut out: Vec<Citation> = Vec::with_capacity(mentions.len());
    for m in mentions {
        let written = text[m.span.clone()].to_owned();
        if let Some(code) = &m.code {
            let canonical = code.canonical();
            if let Some((name, _)) = &m.name {
                laws.push((law_key(name), canonical.clone()));
            }
            out.push(Citation {
                kind: m.kind,
                year: code.year().or(m.date.map(|d| d.year())),
                number: Some(code.number.clone()),
                symbol: Some(code.symbol.clone()),
                code: canonical,
                date: m.date,
                issuer: m.issuer,
                text: written,
                span: m.span,
                resolved_from: None,
                form: Form::Full,
            });
        } else if let Some((name, junk)) = &m.name {
            let key = law_key(name);
            let earlier = laws.iter().find(|(k, _)| *k == key || (*junk && k.starts_with(&format!("{key} "))));
            let (code, form, resolved_from) = match earlier {
                Some((_, code)) if code != name => (code.clone(), Form::Short, Some(code.clone())),
                _ => (name.clone(), Form::Name, None),
            };
            if earlier.is_none() {
                laws.push((key, name.clone()));
            }
            out.push(Citation {
                kind: m.kind,
                code,
                number: None,
                year: trailing_year(name).or(m.date.map(|d| d.year())),
                symbol: None,
                date: m.date,
                issuer: m.issuer,
                text: written,
                span: m.span,
                resolved_from,
                form,
            });
        } else if let Some(short) = &m.short
            && let Some(c) = antecedent(&out, own.as_ref(), m.kind, short) {
                out.push(c.with_mention(written, m.span));
            }
    }
    out
}

/// The citation a short form points to (a copy to be re-spanned), or `None`.
fn antecedent(before: &[Citation], own: Option<&(Option<scan::Code>, &'static str)>, kind: Option<&'static str>, short: &ShortRef) -> Option<Citation> {
    let full = |c: &&Citation| c.form != Form::Short || c.resolved_from.is_some();
    let same_kind = |c: &&Citation| kind.is_none() || c.kind == kind;
    match short {
        ShortRef::This => {
            if let Some((code, own_kind)) = own
                && kind.is_none_or(|k| k == *own_kind) {
                    let code = code.as_ref()?;
                    let canonical = code.canonical();
                    return Some(Citation {
                        kind: Some(own_kind),
                        year: code.year(),
                        number: Some(code.number.clone()),
                        symbol: Some(code.symbol.clone()),
                        resolved_from: Some(canonical.clone()),
                        code: canonical,
                        date: None,
                        issuer: None,
                        text: String::new(),
                        span: 0..0,
                        form: Form::Short,
                    });
                }
            before.iter().rev().filter(full).find(same_kind).cloned()
        }
        ShortRef::Above => before.iter().rev().filter(full).find(same_kind).cloned(),
        ShortRef::Number(n) => before
            .iter()
            .rev()
            .filter(full)
            .filter(same_kind)
            .find(|c| c.number.as_deref().is_some_and(|m| m.trim_start_matches('0') == n.trim_start_matches('0')))
            .cloned(),
    }
}

impl Citation {
    fn with_mention(mut self, text: String, span: Range<usize>) -> Citation {
        self.resolved_from = Some(self.resolved_from.unwrap_or_else(|| self.code.clone()));
        self.form = Form::Short;
        self.text = text;
        self.span = span;
        self
    }
}

/// A law's name folded, line breaks and spaces collapsed, without a trailing year
/// ("Luật Quy hoạch năm 2017" and "Luật Quy hoạch" are one law).
fn law_key(name: &str) -> String {
    let folded = vn_text::fold(name);
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.last().is_some_and(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())) {
        words.pop();
        if words.last() == Some(&"nam") {
            words.pop();
        }
    }
    words.join(" ")
}

fn trailing_year(name: &str) -> Option<i32> {
    let last = name.split_whitespace().next_back()?;
    let y: i32 = last.parse().ok().filter(|_| last.len() == 4)?;
    (1945..=2100).contains(&y).then_some(y)
}

/// The key two codes are compared by: folded (no diacritics, lower case, đ → d), without
/// spaces or hyphens. OCR variants of one code (`154/2020/NĐCP`, `24/2013/NQ- HDND`) share
/// a key with the printed code; the registry and the evaluation compare codes this way.
pub fn code_key(code: &str) -> String {
    vn_text::fold(code).chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// `text` as HTML with every mention wrapped in
/// `<cite data-code="…" data-kind="…" data-form="full|name|short">…</cite>` (plus
/// `data-date`, `data-issuer` and `data-resolved-from` when known). Text and attribute
/// values are escaped; citations that overlap an earlier one, or whose span is not on
/// character boundaries of `text`, are skipped rather than producing broken markup.
pub fn annotate(text: &str, citations: &[Citation]) -> String {
    let mut sorted: Vec<&Citation> = citations.iter().collect();
    sorted.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
    let mut out = String::with_capacity(text.len() + citations.len() * 80);
    let mut at = 0;
    for c in sorted {
        let Range { start, end } = c.span;
        if start < at || end > text.len() || start > end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        escape_into(&text[at..start], &mut out);
        out.push_str("<cite data-code=\"");
        escape_into(&c.code, &mut out);
        out.push('"');
        if let Some(kind) = c.kind {
            out.push_str(" data-kind=\"");
            out.push_str(kind);
            out.push('"');
        }
        out.push_str(match c.form {
            Form::Full => " data-form=\"full\"",
            Form::Name => " data-form=\"name\"",
            Form::Short => " data-form=\"short\"",
        });
        if let Some(date) = c.date {
            out.push_str(&format!(" data-date=\"{date}\""));
        }
        if let Some(issuer) = &c.issuer {
            out.push_str(" data-issuer=\"");
            escape_into(issuer, &mut out);
            out.push('"');
        }
        if let Some(from) = &c.resolved_from {
            out.push_str(" data-resolved-from=\"");
            escape_into(from, &mut out);
            out.push('"');
        }
        out.push('>');
        escape_into(&text[start..end], &mut out);
        out.push_str("</cite>");
        at = end;
    }
    escape_into(&text[at..], &mut out);
    out
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}
