//! Finding mentions: the anchors (kind words, law names, symbol fragments) generated from
//! [`crate::kinds`], the Aho-Corasick prefilter that finds them, and the small hand parsers
//! run at each anchor.
//!
//! The parsers are "expensive" only relative to the prefilter: each reads a few words. What
//! the prefilter saves is trying every anchor at every position; [`Scan::Exhaustive`] does
//! exactly that and exists so the benchmark can show the difference.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use vn_calendar::Date;

use crate::dates::date_at;
use crate::kinds;

/// How [`crate::find_with`] locates the places where a citation may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// One Aho-Corasick pass over the text finds every anchor; parsers run only there.
    Prefiltered,
    /// Every anchor is tried at every character position (for benchmarks and as an oracle
    /// in tests: both scans must give the same result).
    Exhaustive,
}

/// What an anchor pattern stands for.
#[derive(Debug, Clone, Copy)]
enum Anchor {
    /// A word naming a kind (`Nghị quyết`), or a generic word (`Văn bản`) when `None`.
    Word(Option<&'static str>),
    /// `Luật` or `Bộ luật` in title case: a law cited by name or by number.
    Law(&'static str),
    /// A symbol fragment (`/QĐ-`, `-NQ/`): a code written without a kind word.
    Symbol,
}

struct Anchors {
    patterns: Vec<String>,
    meaning: Vec<Anchor>,
    automaton: AhoCorasick,
}

fn anchors() -> &'static Anchors {
    static ANCHORS: OnceLock<Anchors> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut meaning = Vec::new();
        let mut push = |p: String, a: Anchor| {
            if !patterns.contains(&p) {
                patterns.push(p);
                meaning.push(a);
            }
        };
        for k in kinds::KINDS {
            if matches!(k.code, "luat" | "bo_luat") {
                push(k.title.to_owned(), Anchor::Law(k.code));
                continue;
            }
            push(k.title.to_owned(), Anchor::Word(Some(k.code)));
            push(k.title.to_lowercase(), Anchor::Word(Some(k.code)));
            // PDF renderings break lines inside the word ("Công\nvăn số 3454/SNN-VP").
            push(k.title.replacen(' ', "\n", 1), Anchor::Word(Some(k.code)));
            if let Some(a) = k.abbreviation {
                push(format!("/{a}-"), Anchor::Symbol);
            }
        }
        for &(word, kind) in kinds::GENERIC_WORDS {
            push(word.to_owned(), Anchor::Word(kind));
            push(word.to_lowercase(), Anchor::Word(kind));
            push(word.replacen(' ', "\n", 1), Anchor::Word(kind));
        }
        for &(a, _) in kinds::PARTY_ABBREVIATIONS {
            push(format!("-{a}/"), Anchor::Symbol);
        }
        // The patterns are fixed and small; building cannot fail. The overlapping scan runs
        // over every byte of every document: a DFA does it several times faster than the
        // default NFA, and a few hundred short patterns keep it small.
        let automaton = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&patterns)
            .expect("anchor patterns build an automaton");
        Anchors { patterns, meaning, automaton }
    })
}

/// Why a mention is a short form, to be resolved against the full citations before it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShortRef {
    /// `Quyết định này`: the document itself if it is of that kind, else the last one cited.
    This,
    /// `Nghị quyết nêu trên`, `Văn bản trên`: the last one of that kind cited.
    Above,
    /// `Chỉ thị 11`, `Kế hoạch số 45` (no symbol): the last one with that number.
    Number(String),
}

/// A mention before resolution.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub span: Range<usize>,
    /// Kind from the word or symbol; `None` for a generic word with nothing to go on.
    pub kind: Option<&'static str>,
    pub code: Option<Code>,
    /// For a law cited by name: the name as written (whitespace collapsed) and whether the
    /// name reader stopped at OCR junk rather than at a word boundary.
    pub name: Option<(String, bool)>,
    pub date: Option<Date>,
    pub issuer: Option<String>,
    pub short: Option<ShortRef>,
}

/// A number and symbol as read.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub number: String,
    /// The middle part of `107/2021/NĐ-CP`, as written.
    pub year_part: Option<String>,
    pub symbol: String,
    /// Party form `11-CT/TU`.
    pub party: bool,
}

impl Code {
    /// The canonical code string of the contract.
    pub fn canonical(&self) -> String {
        match (&self.year_part, self.party) {
            (_, true) => format!("{}-{}", self.number, self.symbol),
            (Some(y), false) => format!("{}/{}/{}", self.number, y, self.symbol),
            (None, false) => format!("{}/{}", self.number, self.symbol),
        }
    }

    pub fn year(&self) -> Option<i32> {
        let y: i32 = self.year_part.as_deref().filter(|y| y.len() == 4)?.parse().ok()?;
        (1900..=2100).contains(&y).then_some(y)
    }

    /// The kind the symbol names, if any.
    pub fn kind(&self) -> Option<&'static str> {
        if self.party { kinds::kind_of_party_symbol(&self.symbol) } else { kinds::kind_of_symbol(&self.symbol) }
    }
}

/// Every mention in `text`, overlaps settled (earliest start, then longest), in order.
pub(crate) fn mentions(text: &str, scan: Scan) -> Vec<Mention> {
    let a = anchors();
    let mut found = Vec::new();
    let mut try_at = |start: usize, id: usize| {
        if let Some(m) = parse_at(text, start, a.patterns[id].len(), a.meaning[id]) {
                found.push((m, a.patterns[id].len()));
        }
    };
    match scan {
        Scan::Prefiltered => {
            for m in a.automaton.find_overlapping_iter(text) {
                try_at(m.start(), m.pattern().as_usize());
            }
        }
        Scan::Exhaustive => {
            for (start, _) in text.char_indices() {
                for (id, p) in a.patterns.iter().enumerate() {
                    if text[start..].starts_with(p.as_str()) {
                        try_at(start, id);
                    }
                }
            }
        }
    }
    // Earliest start, then longest span, then the longest anchor ("Thông tư liên tịch" over
    // "Thông tư" when both read the same code).
    found.sort_by(|(x, xa), (y, ya)| x.span.start.cmp(&y.span.start).then(y.span.end.cmp(&x.span.end)).then(ya.cmp(xa)));
    let mut kept: Vec<Mention> = Vec::with_capacity(found.len());
    for (m, _) in found {
        if kept.last().is_none_or(|k| m.span.start >= k.span.end) {
            kept.push(m);
        }
    }
    kept
}

fn parse_at(text: &str, start: usize, len: usize, anchor: Anchor) -> Option<Mention> {
    match anchor {
        Anchor::Symbol => bare_code(text, start),
        Anchor::Word(kind) => {
            if !word_bounded(text, start, start + len) {
                return None;
            }
            kind_word(text, start, start + len, kind)
        }
        Anchor::Law(kind) => {
            if !word_bounded(text, start, start + len) {
                return None;
            }
            law(text, start, start + len, kind)
        }
    }
}

fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_alphanumeric) && !after.is_some_and(is_alphanumeric)
}

/// `char::is_alphanumeric`, answering Vietnamese letters from the folding table: words are
/// read letter by letter at every anchor, and Unicode's own lookup was a tenth of the scan.
fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && (vn_text::fold_letter(c).is_some() || c.is_alphanumeric()))
}

/// `Nghị quyết số 57/NQ-CP ngày 21/4/2022 của Chính phủ`, `Chỉ thị 27/CT-TTg`,
/// `Quyết định này`, `Chỉ thị 11`.
fn kind_word(text: &str, start: usize, word_end: usize, kind: Option<&'static str>) -> Option<Mention> {
    let mut p = skip_inline_spaces(text, word_end);
    for (word, short) in [("này", ShortRef::This), ("nêu trên", ShortRef::Above), ("trên", ShortRef::Above)] {
        if text[p..].starts_with(word) && word_bounded(text, p, p + word.len()) {
            return Some(Mention {
                span: start..p + word.len(),
                kind,
                code: None,
                name: None,
                date: None,
                issuer: None,
                short: Some(short),
            });
        }
    }
    p = number_intro(text, word_end)?;
    let Some((code, end)) = code_at(text, p) else {
        // A number with no symbol after a kind word is a short form ("Chỉ thị 11").
        let kind = kind?;
        let digits = text[p..].bytes().take_while(u8::is_ascii_digit).count();
        let after = text[p + digits..].chars().next();
        if digits == 0 || digits > 5 || after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.')) {
            return None;
        }
        return Some(Mention {
            span: start..p + digits,
            kind: Some(kind),
            code: None,
            name: None,
            date: None,
            issuer: None,
            short: Some(ShortRef::Number(text[p..p + digits].to_owned())),
        });
    };
    let kind = match kind {
        Some(k) => Some(k),
        None => code.kind().or(Some("cong_van")),
    };
    Some(tail(text, start, end, kind, code, None))
}

/// Where the number starts after a kind word: after `số` (also OCR `sô`, `SỐ`, `số:`),
/// after up to eight plain words and then `số` ("Kế hoạch kiểm tra số 1105/KH-ĐKT"), or
/// directly ("Chỉ thị 27/CT-TTg"). A line break may separate `số` from the number.
fn number_intro(text: &str, from: usize) -> Option<usize> {
    let mut p = skip_spaces(text, from, 2);
    if text[p..].starts_with(':') {
        p = skip_spaces(text, p + 1, 2);
    }
    if text[p..].starts_with(|c: char| c.is_ascii_digit()) {
        return Some(p);
    }
    for _ in 0..9 {
        if let Some(after) = so_word(text, p) {
            let mut q = skip_spaces(text, after, 2);
            if text[q..].starts_with(':') {
                q = skip_spaces(text, q + 1, 2);
            }
            return text[q..].starts_with(|c: char| c.is_ascii_digit()).then_some(q);
        }
        let w = word_len(&text[p..]);
        if w == 0 {
            return None;
        }
        p = skip_inline_spaces(text, p + w);
    }
    None
}

/// `số` and its OCR and capitalised variants, as a whole word.
fn so_word(text: &str, p: usize) -> Option<usize> {
    // Every spelling starts with an s: most words are ruled out by their first byte.
    if !text[p..].starts_with(['s', 'S']) {
        return None;
    }
    ["số", "sô", "Số", "SỐ", "sỐ", "Sô", "SÔ"]
        .iter()
        .find(|w| text[p..].starts_with(**w) && !text[p + w.len()..].starts_with(char::is_alphanumeric))
        .map(|w| p + w.len())
}

/// Reads `number/symbol`, `number/year/symbol` or the Party `number-symbol` at `p`.
/// Spaces around the separators and a line break after one are tolerated (`1074/QĐ- BXD`,
/// `71/2016/NĐ-\nCP`); the symbol keeps its printed case with the spaces removed.
pub(crate) fn code_at(text: &str, p: usize) -> Option<(Code, usize)> {
    let number_len = number_len(&text[p..]);
    if number_len == 0 {
        return None;
    }
    let number = text[p..p + number_len].to_owned();
    let mut q = skip_inline_spaces(text, p + number_len);
    if text[q..].starts_with('-') {
        // Party form: 11-CT/TU.
        let (symbol, end) = symbol_at(text, q + 1)?;
        if !symbol.contains('/') {
            return None;
        }
        return Some((Code { number, year_part: None, symbol, party: true }, end));
    }
    if !text[q..].starts_with('/') {
        return None;
    }
    q = skip_spaces(text, q + 1, 1);
    let mut year_part = None;
    let digits = text[q..].bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let r = skip_inline_spaces(text, q + digits);
        if !text[r..].starts_with('/') {
            return None;
        }
        year_part = Some(text[q..q + digits].to_owned());
        q = skip_spaces(text, r + 1, 1);
    }
    let (symbol, end) = symbol_at(text, q)?;
    Some((Code { number, year_part, symbol, party: false }, end))
}

/// Digits, with inner dots kept ("01.6" in `01.6/GĐN/KSYB`).
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i == 0 || i > 6 {
        return 0;
    }
    while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        i += b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    i
}

/// Segments of letters, digits, `&` and inner dots, each starting with an upper-case
/// letter, joined by `-` or `/` (spaces or one line break around a separator allowed when
/// an upper-case segment follows). Returns the symbol without spaces and its end.
fn symbol_at(text: &str, p: usize) -> Option<(String, usize)> {
    let mut symbol = String::new();
    let mut at = p;
    let mut end;
    loop {
        let seg = segment_len(&text[at..]);
        if seg == 0 {
            // A separator with nothing usable after it ends the symbol before it.
            break;
        }
        symbol.push_str(&text[at..at + seg]);
        end = at + seg;
        let mut q = skip_inline_spaces(text, end);
        let Some(sep) = text[q..].chars().next().filter(|c| matches!(c, '-' | '/')) else {
            return Some((symbol, end));
        };
        q = skip_spaces(text, q + 1, 1);
        if segment_len(&text[q..]) == 0 {
            return Some((symbol, end));
        }
        symbol.push(sep);
        at = q;
    }
    None
}

fn segment_len(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    match chars.peek() {
        Some(&(_, c)) if c.is_uppercase() => {}
        _ => return 0,
    }
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        let inner_dot = c == '.' && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || c == '&' || inner_dot {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// A code written without a kind word ("số 728/QĐ-UBND", "Nghị số 24/2013/NQ-HĐND"), found
/// from a symbol fragment: the number is read backwards from the fragment. The header line
/// `Số: 1696/QĐ-UBND` is the document's own number, not a citation.
fn bare_code(text: &str, fragment: usize) -> Option<Mention> {
    let before = &text[..fragment];
    let trimmed = before.trim_end_matches([' ', '\t']);
    let mut start = trimmed.len() - trimmed.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    start = trimmed.len() - start;
    if start == trimmed.len() {
        return None;
    }
    // number/year/symbol: step back over the year to the number.
    if text[fragment..].starts_with('/') && start > 0 && trimmed[..start].ends_with('/') {
        let head = trimmed[..start - 1].trim_end_matches([' ', '\t']);
        let n = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if n > 0 {
            start = head.len() - n;
        }
    }
    let prev = text[..start].chars().next_back();
    if prev.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.')) {
        return None;
    }
    // The header's own number, also when OCR garbled part of it ("Số: Ê§0 /TB-UBND").
    let line = text[text[..start].rfind('\n').map_or(0, |i| i + 1)..start].trim_start();
    if let Some(rest) = line.strip_prefix("Số").or_else(|| line.strip_prefix("SỐ"))
        && rest.chars().count() <= 6 {
            return None;
        }
    let (code, end) = code_at(text, start)?;
    if end <= fragment + 1 {
        return None;
    }
    let kind = code.kind();
    Some(tail(text, start, end, kind, code, None))
}

/// What may follow a code: `tỉnh` (after a UBND symbol), `ngày <date>`, `của <issuer>`.
fn tail(text: &str, start: usize, code_end: usize, kind: Option<&'static str>, code: Code, name: Option<(String, bool)>) -> Mention {
    let mut end = code_end;
    let mut issuer = None;
    let mut p = skip_spaces(text, end, 1);
    if code.symbol.ends_with("UBND") && text[p..].starts_with("tỉnh") && word_bounded(text, p, p + "tỉnh".len()) {
        issuer = Some("Ủy ban nhân dân tỉnh".to_owned());
        end = p + "tỉnh".len();
        p = skip_spaces(text, end, 1);
    }
    let (date, after_date) = date_after(text, p);
    if date.is_some() {
        end = after_date;
        p = skip_spaces(text, end, 1);
    }
    if text[p..].starts_with(',') {
        p = skip_spaces(text, p + 1, 1);
    }
    if let Some((name, after)) = of_issuer(text, p) {
        issuer = Some(name);
        end = after;
    }
    let issuer = issuer.or_else(|| kinds::issuer_of_symbol(&code.symbol).map(str::to_owned));
    Mention { span: start..end, kind, code: Some(code), name, date, issuer, short: None }
}

/// `ngày <date>` at `p` (after an optional comma).
fn date_after(text: &str, p: usize) -> (Option<Date>, usize) {
    let mut q = p;
    if text[q..].starts_with(',') {
        q = skip_spaces(text, q + 1, 1);
    }
    for word in ["ngày", "Ngày"] {
        if let Some(rest) = text[q..].strip_prefix(word)
            && let Some((date, n)) = date_at(rest) {
                return (Some(date), q + word.len() + n);
            }
    }
    (None, p)
}

/// `của <issuer>`: the issuer as a canonical name with `UBND`/`HĐND` expanded.
fn of_issuer(text: &str, p: usize) -> Option<(String, usize)> {
    let rest = text[p..].strip_prefix("của")?;
    let q = p + "của".len();
    if !rest.starts_with([' ', '\n']) {
        return None;
    }
    let (words, end) = name_words(text, skip_spaces(text, q, 1), true, 14)?;
    let expanded: Vec<String> = words
        .iter()
        .map(|w| {
            let bare = w.trim_start_matches(", ").trim_start_matches("- ");
            match kinds::ISSUER_EXPANSIONS.iter().find(|(a, _)| *a == bare) {
                Some((_, full)) => w.replace(bare, full),
                None => w.clone(),
            }
        })
        .collect();
    let mut joined = String::new();
    for w in &expanded {
        if !joined.is_empty() && !w.starts_with(',') {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    Some((vn_text::canonical(&joined), end))
}

/// A law cited by name (`Luật Quy hoạch 2017`, `Bộ luật Lao động`) or by number
/// (`Luật số 21/2017/QH14`, `Luật Quy hoạch số 21/2017/QH14`).
fn law(text: &str, start: usize, word_end: usize, kind: &'static str) -> Option<Mention> {
    let p = skip_spaces(text, word_end, 1);
    if let Some(after) = so_word(text, p) {
        let q = skip_spaces(text, after, 2);
        let (code, end) = code_at(text, q)?;
        return Some(tail(text, start, end, Some(kind), code, None));
    }
    let (name_end, junk) = law_name(text, start, p)?;
    let name: String = text[start..name_end].split_whitespace().collect::<Vec<_>>().join(" ");
    let q = skip_spaces(text, name_end, 1);
    if let Some(after) = so_word(text, q) {
        let r = skip_spaces(text, after, 2);
        if let Some((code, end)) = code_at(text, r) {
            return Some(tail(text, start, end, Some(kind), code, Some((name, false))));
        }
    }
    let (date, after_date) = date_after(text, q);
    let mut end = name_end;
    if date.is_some() {
        end = after_date;
    }
    Some(Mention { span: start..end, kind: Some(kind), code: None, name: Some((name, junk)), date, issuer: None, short: None })
}

/// The end of a law's name starting at `start` whose first word is at `first`, and whether
/// the reader stopped at OCR junk. Known names from [`kinds::LAW_NAMES`] win; otherwise the
/// name runs to a stop word, punctuation, a kind word, or a year (included).
fn law_name(text: &str, start: usize, first: usize) -> Option<(usize, bool)> {
    if !text[first..].starts_with(char::is_uppercase) {
        return None;
    }
    // The known names folded once, not at every law cited.
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    let known_names = KNOWN.get_or_init(|| kinds::LAW_NAMES.iter().map(|n| vn_text::fold(n)).collect());
    for known in known_names {
        if let Some(n) = folded_prefix(&text[start..], known) {
            let end = start + n;
            if !text[end..].starts_with(char::is_alphanumeric) {
                return Some((end, false));
            }
        }
    }
    let (_, end) = name_words(text, first, false, 14)?;
    let mut end = end;
    // A year closes the name: "Luật Quy hoạch 2017", "Luật PCTN năm 2018".
    let p = skip_spaces(text, end, 1);
    let q = if text[p..].starts_with("năm") { skip_spaces(text, p + "năm".len(), 1) } else { p };
    let digits = text[q..].bytes().take_while(u8::is_ascii_digit).count();
    if digits == 4 && !text[q + 4..].starts_with(char::is_alphanumeric) {
        let y: i32 = text[q..q + 4].parse().unwrap_or(0);
        if (1945..=2100).contains(&y) {
            end = q + 4;
        }
    }
    let next = text[skip_inline_spaces(text, end)..].chars().next();
    let junk = next.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace() && !c.is_ascii_punctuation() && !"“”‘’…–—".contains(c));
    Some((end, junk))
}

/// Lower-case words a name does not run through, compared exactly (folding would make
/// "khí" in "vũ khí" the stop word "khi"). Two-word entries stop only as a pair.
const STOPS: &[&str] = &[
    "về", "ngày", "số", "của", "đã", "được", "theo", "tại", "thì", "có", "nhằm", "để", "trong", "với", "cho",
    "là", "đối", "các", "những", "này", "trên", "do", "như", "hoặc", "khi", "vào", "từ", "sau", "trước", "mà",
    "nếu", "tháng", "gồm", "kèm", "năm", "giao", "trình", "xin", "đang", "sẽ", "ban hành", "phê duyệt",
    "hướng dẫn", "sửa đổi", "bổ sung", "thi hành", "hiện hành", "quy định", "chỉ đạo", "triển khai",
    "thực hiện", "công bố", "chi tiết", "quy chuẩn", "cụ thể",
];

/// Capitalised words that never continue a name (a kind word begins the next citation).
const KIND_STARTS: &[&str] = &[
    "Quy định", "Nghị định", "Nghị quyết", "Quyết định", "Chỉ thị", "Thông tư", "Công văn", "Văn bản", "Luật",
    "Bộ luật", "Tờ trình", "Hướng dẫn", "Công điện", "Kế hoạch", "Thông báo", "Kết luận", "Điều", "Khoản",
];

/// Reads a name's words from `p`: the first capitalised, later ones lower or upper case,
/// through `và` and ` - ` only where a name plausibly goes on, and through `, ` before a
/// capitalised word when `upper_after_comma` (issuers: "Bộ Văn hóa, Thể thao và Du lịch";
/// law names with commas come from [`kinds::LAW_NAMES`] instead, because "Bộ luật Lao động,
/// người lao động …" cannot be told from "Luật Quản lý, sử dụng …" by its words). Returns the words (a
/// word after a comma or hyphen carries it: ", Thể", "- Xây") and the end of the last one.
fn name_words(text: &str, p: usize, upper_after_comma: bool, max: usize) -> Option<(Vec<String>, usize)> {
    let mut words: Vec<String> = Vec::new();
    let mut end = p;
    let mut at = p;
    let mut joiner = "";
    while words.len() < max {
        let w = word_len(&text[at..]);
        if w == 0 {
            break;
        }
        let word = &text[at..at + w];
        let next_at = skip_spaces(text, at + w, 1);
        let next_w = word_len(&text[next_at..]);
        let lower = word.to_lowercase();
        // Asked only of some words: a stop word alone, or with the next word.
        let stop = || {
            let next_lower = text[next_at..next_at + next_w].to_lowercase();
            STOPS.contains(&lower.as_str()) || STOPS.iter().any(|s| is_pair(s, &lower, &next_lower))
        };
        let upper = word.starts_with(char::is_uppercase);
        if words.is_empty() && !upper {
            return None;
        }
        if !words.is_empty() {
            // Kind words are capitalised: only a capitalised word can start one.
            let kind_start = upper && KIND_STARTS.iter().any(|k| text[at..].starts_with(k) && word_bounded(text, at, at + k.len()));
            if (!upper && stop())
                || kind_start
                || (!joiner.is_empty() && !upper && joiner != ", ")
                || word.starts_with(|c: char| c.is_ascii_digit())
            {
                break;
            }
            if joiner == ", " && (!upper || !upper_after_comma || stop() || !va_within(text, at, 4)) {
                break;
            }
        }
        if lower == "và" && !words.is_empty() {
            // "và" joins two parts of one name only when more of the name follows.
            let nw = &text[next_at..next_at + next_w];
            let next_kind = KIND_STARTS.iter().any(|k| text[next_at..].starts_with(k));
            if next_w == 0 || next_kind || STOPS.contains(&nw.to_lowercase().as_str()) || nw.starts_with(|c: char| c.is_ascii_digit()) {
                break;
            }
            words.push(word.to_owned());
            at = next_at;
            joiner = "";
            continue;
        }
        words.push([joiner, word].concat());
        end = at + w;
        joiner = "";
        // Separators that may continue a name.
        let s = skip_inline_spaces(text, end);
        if text[s..].starts_with(", ") {
            joiner = ", ";
            at = skip_inline_spaces(text, s + 1);
        } else if text[s..].starts_with("- ") && s > end {
            joiner = "- ";
            at = skip_inline_spaces(text, s + 1);
        } else {
            at = skip_spaces(text, end, 1);
        }
    }
    // A dangling "và" is not part of the name.
    while words.last().is_some_and(|w| w == "và") {
        words.pop();
    }
    (!words.is_empty()).then_some((words, end))
}

/// Whether `stop` is the two words `first` and `second` (`format!("{first} {second}")`,
/// without building it).
fn is_pair(stop: &str, first: &str, second: &str) -> bool {
    stop.len() == first.len() + 1 + second.len() && stop.starts_with(first) && stop[first.len()..].starts_with(' ') && stop.ends_with(second)
}

/// Whether "và" is among the next `n` words from `at`: a comma inside a name introduces
/// the middle of a list closed by "và" ("Bộ Văn hóa, Thể thao và Du lịch"), unlike the
/// comma between two names ("Ủy ban nhân dân tỉnh, Chủ tịch …").
fn va_within(text: &str, mut at: usize, n: usize) -> bool {
    for _ in 0..n {
        let w = word_len(&text[at..]);
        if w == 0 {
            return false;
        }
        if &text[at..at + w] == "và" {
            return true;
        }
        at = skip_inline_spaces(text, at + w);
    }
    false
}

/// Length of the word at the start of `s`: letters and digits, plus `&` and inner dots
/// ("Đ&VTLT", "TP.HCM").
fn word_len(s: &str) -> usize {
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner = matches!(c, '.' | '&') && end > 0 && chars.peek().is_some_and(|&(_, n)| is_alphanumeric(n));
        if is_alphanumeric(c) || inner {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// The byte length of `s`'s prefix that folds to `want`, which is folded (line breaks read as
/// spaces).
fn folded_prefix(s: &str, want: &str) -> Option<usize> {
    let mut got = String::with_capacity(want.len());
    for (i, c) in s.char_indices() {
        if got.len() >= want.len() {
            return (got == want).then_some(i);
        }
        let mut buf = [0u8; 4];
        let piece = if c == '\n' { " " } else { c.encode_utf8(&mut buf) };
        vn_text::fold_into(piece, &mut got);
        if !want.starts_with(got.as_str()) {
            return None;
        }
    }
    (got == want).then_some(s.len())
}

fn skip_inline_spaces(text: &str, p: usize) -> usize {
    let rest = &text[p..];
    p + rest.len() - rest.trim_start_matches([' ', '\t']).len()
}

/// Skips spaces and at most `newlines` line breaks (a citation may wrap onto the next line,
/// not across paragraphs).
fn skip_spaces(text: &str, p: usize, newlines: usize) -> usize {
    let mut q = skip_inline_spaces(text, p);
    let mut seen = 0;
    while seen < newlines && text[q..].starts_with('\n') {
        seen += 1;
        q = skip_inline_spaces(text, q + 1);
    }
    q
}

/// The document's own number and kind, from its header line `Số: 2395/UBND-KTTH` within the
/// first lines: a short form "Công văn này" in that document means the document itself. The
/// kind is known even when OCR garbled the number (`Số: Ø2 /CT-UBND`); the code is then `None`.
pub(crate) fn own_document(text: &str) -> Option<(Option<Code>, &'static str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n').take(40) {
        let indent = line.len() - line.trim_start().len();
        let t = &line[indent..];
        if let Some(head) = ["Số:", "Số", "SỐ:"].iter().find(|h| t.starts_with(**h))
            && let Some(slash) = t.find('/') {
                let symbol = symbol_at(text, skip_inline_spaces(text, offset + indent + slash + 1)).map(|(s, _)| s);
                let kind = symbol.as_deref().and_then(kinds::kind_of_symbol).unwrap_or("cong_van");
                let start = skip_inline_spaces(text, offset + indent + head.len());
                return Some((code_at(text, start).map(|(c, _)| c), kind));
            }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<String> {
        code_at(s, 0).map(|(c, _)| c.canonical())
    }

    #[test]
    fn codes_in_their_written_forms() {
        assert_eq!(code("57/NQ-CP ngày").as_deref(), Some("57/NQ-CP"));
        assert_eq!(code("107/2021/NĐ-CP.").as_deref(), Some("107/2021/NĐ-CP"));
        assert_eq!(code("1074/QĐ- BXD").as_deref(), Some("1074/QĐ-BXD"));
        assert_eq!(code("71/2016/NĐ-\nCP ngày").as_deref(), Some("71/2016/NĐ-CP"));
        assert_eq!(code("1696 /QĐ-UBND").as_deref(), Some("1696/QĐ-UBND"));
        assert_eq!(code("11-CT/TU ngày").as_deref(), Some("11-CT/TU"));
        assert_eq!(code("963/SNV-CCHC&VTLT ngày").as_deref(), Some("963/SNV-CCHC&VTLT"));
        assert_eq!(code("01.6/GĐN/KSYB ngày").as_deref(), Some("01.6/GĐN/KSYB"));
        assert_eq!(code("1537/QĐ-UBND tỉnh").as_deref(), Some("1537/QĐ-UBND"));
        assert_eq!(code("21/4/2022"), None);
        assert_eq!(code("2021-2025"), None);
    }

    #[test]
    fn law_names_end_where_the_name_ends() {
        let name = |s: &str| law(s, 0, "Luật".len(), "luat").and_then(|m| m.name).map(|(n, _)| n);
        assert_eq!(name("Luật Quy hoạch 2017; tham mưu").as_deref(), Some("Luật Quy hoạch 2017"));
        assert_eq!(name("Luật Tố tụng hành chính năm 2015 và Nghị định").as_deref(), Some("Luật Tố tụng hành chính năm 2015"));
        assert_eq!(name("Luật Khoáng sản, Luật Xây dựng").as_deref(), Some("Luật Khoáng sản"));
        assert_eq!(name("Luật Xây dựng và các văn bản").as_deref(), Some("Luật Xây dựng"));
        assert_eq!(name("Luật Ban hành văn bản quy phạm pháp luật ngày 22/6/2015").as_deref(), Some("Luật Ban hành văn bản quy phạm pháp luật"));
        assert_eq!(name("Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ;").as_deref(), Some("Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ"));
        assert_eq!(name("Luật Quản lý, sử dụng vũ khí, vật liệu nổ ngày 29/6/2024").as_deref(), Some("Luật Quản lý, sử dụng vũ khí, vật liệu nổ"));
        assert_eq!(name("Luật sửa đổi"), None);
    }

    #[test]
    fn issuers_are_expanded_and_end_at_the_subject() {
        let of = |s: &str| of_issuer(s, 0).map(|(n, _)| n);
        assert_eq!(of("của Chính\nphủ về các nhiệm vụ").as_deref(), Some("Chính phủ"));
        assert_eq!(of("của UBND tỉnh phê duyệt").as_deref(), Some("Ủy ban nhân dân tỉnh"));
        assert_eq!(of("của Bộ Giáo dục và Đào tạo;").as_deref(), Some("Bộ Giáo dục và Đào tạo"));
        assert_eq!(of("của Bộ Văn hóa, Thể thao và Du lịch về").as_deref(), Some("Bộ Văn hóa, Thể thao và Du lịch"));
        assert_eq!(of("của HĐND tỉnh, cụ thể").as_deref(), Some("Hội đồng nhân dân tỉnh"));
        assert_eq!(of("của Sở Giao thông vận tải - Xây dựng về việc").as_deref(), Some("Sở Giao thông vận tải - Xây dựng"));
        assert_eq!(of("của Chính phủ Quy định chi tiết").as_deref(), Some("Chính phủ"));
        assert_eq!(of("của nó"), None);
    }
}
