//! Layout repair: turns what a file reader produced into one logical line per paragraph.
//!
//! Text renderings of Vietnamese administrative documents share the same defects, whatever
//! tool made them: the header and the signature block are two columns printed side by side
//! (issuer | national motto, `Nơi nhận` | signer), the digital-signature stamp sits above the
//! header, page numbers interrupt sentences, and `pdftotext`/OCR wrap every paragraph at the
//! page width. The parser downstream wants the reading order a person sees: the left column,
//! then the right; one paragraph per line. Every span of the contract points into the text
//! this module returns.

/// Text with its layout repaired, and where its parts lie (in lines of `text`).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// One paragraph (or header line) per line, `\n` after each, single spaces, data-table
    /// cells separated by tabs.
    pub text: String,
    /// Lines before the body: the two header columns (left, then right), then the document
    /// type line and the subject joined into one line, when the document has them.
    pub header_lines: usize,
    /// The lines of the `Nơi nhận` / signer block, left column first, when there is one.
    pub signature_lines: Option<std::ops::Range<usize>>,
}

/// Repairs the layout of normalised text.
pub fn repair(text: &str) -> Layout {
    let text = strip_markup(text);
    let mut lines: Vec<Line> = Vec::new();
    for (page, raw_page) in text.split('\u{000C}').enumerate() {
        for raw in raw_page.lines() {
            lines.push(Line::new(raw, page));
        }
    }
    drop_stamps(&mut lines);
    drop_page_furniture(&mut lines);
    let wrapped = is_wrapped(&lines);
    let columns_end = header_end(&lines);
    let mut header = split_columns(&lines[..columns_end], ColumnZone::Header);
    let body_start = title_block(&lines, columns_end, &mut header);
    let signature = signature_zone(&lines, body_start);

    let mut out = Out::default();
    out.extend(header);
    let header_lines = out.lines;
    let signature_lines = match signature {
        Some((start, end)) => {
            out.extend(paragraphs(&lines[body_start..start], wrapped));
            let first = out.lines;
            out.extend(split_columns(&lines[start..end], ColumnZone::Signature));
            let range = first..out.lines;
            out.extend(paragraphs(&lines[end..], wrapped));
            Some(range)
        }
        None => {
            out.extend(paragraphs(&lines[body_start..], wrapped));
            None
        }
    };
    Layout { text: out.text, header_lines, signature_lines }
}

/// The repaired text being written, counting its lines.
#[derive(Default)]
struct Out {
    text: String,
    lines: usize,
}

impl Out {
    fn extend(&mut self, lines: Vec<String>) {
        for line in lines {
            let line = line.trim();
            if !line.is_empty() {
                self.text.push_str(line);
                self.text.push('\n');
                self.lines += 1;
            }
        }
    }
}

/// After the header columns of a typed document come its type line (`CHỈ THỊ`) and the
/// subject, centred over a few lines; they are emitted as two header lines. Returns the index
/// of the first body line.
fn title_block(lines: &[Line], start: usize, header: &mut Vec<String>) -> usize {
    let mut i = start;
    while i < lines.len() && lines[i].is_blank() {
        i += 1;
    }
    let Some(first) = lines.get(i) else { return i };
    if !is_type_line(first.trimmed()) {
        return start;
    }
    header.push(collapse_spaces(first.trimmed()));
    i += 1;
    let mut subject: Vec<&str> = Vec::new();
    while i < lines.len() && subject.len() < 8 {
        let t = lines[i].trimmed();
        if t.is_empty() {
            if subject.is_empty() {
                i += 1;
                continue;
            }
            break;
        }
        if t.starts_with("Kính gửi") || t.starts_with("Căn cứ") || is_enacting_line(t) || lines[i].page != first.page {
            break;
        }
        subject.push(t);
        i += 1;
    }
    if !subject.is_empty() {
        header.push(collapse_spaces(&subject.join(" ")));
    }
    i
}

/// The enacting authority in capitals above "Căn cứ …" (`ỦY BAN NHÂN DÂN TỈNH …`,
/// `GIÁM ĐỐC SỞ …`, `CHỦ TỊCH …`): part of the body, not of the subject.
fn is_enacting_line(line: &str) -> bool {
    is_upper(line) && line.chars().filter(|c| c.is_alphabetic()).count() >= 6 && !is_type_line(line)
}

/// One physical line with its indentation measured in characters.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// Where `text` without white space at either end lies, and its width in characters:
    /// every step asks for them, so they are measured once.
    trim: std::ops::Range<usize>,
    trimmed_width: usize,
    /// Width of `text` in characters.
    width: usize,
    indent: usize,
    page: usize,
    /// A row of a table drawn with `|`, whatever the number of its cells.
    table: bool,
}

impl Line {
    fn new(raw: &str, page: usize) -> Self {
        let raw = raw.trim_end();
        // antiword draws tables as `|cell |cell |`, Word dumps as `TT | Nhiệm vụ | Người thực
        // hiện`: the cells become columns set apart by a wide gap, as pdftotext prints them.
        let framed = raw.trim_start().starts_with('|') && raw.ends_with('|') && raw.trim().len() > 1;
        let cells: Option<Vec<&str>> = if framed {
            let inner = &raw.trim_start()[1..raw.trim_start().len() - 1];
            Some(inner.split('|').map(str::trim_end).collect())
        } else if raw.contains('|') && raw.matches(" | ").count() >= 2 {
            Some(raw.split(" | ").map(str::trim).collect())
        } else {
            None
        };
        let table = cells.is_some();
        let text = cells.map_or_else(|| raw.to_owned(), |c| c.join("     "));
        let indent = text.chars().take_while(|c| *c == ' ').count();
        let start = text.len() - text.trim_start().len();
        let trim = start..start + text[start..].trim_end().len();
        let trimmed_width = text[trim.clone()].chars().count();
        let width = text.chars().count();
        Line { text, trim, trimmed_width, width, indent, page, table }
    }

    fn trimmed(&self) -> &str {
        &self.text[self.trim.clone()]
    }

    fn is_blank(&self) -> bool {
        self.trim.is_empty()
    }

    fn width(&self) -> usize {
        self.width
    }
}

/// Removes Markdown emphasis (`**bold**`, `*italic*`) that some renderings keep. A lone `*`
/// is only removed where it touches a word or a bracket, so arithmetic and footnote marks in
/// running text survive.
fn strip_markup(text: &str) -> String {
    // Most renderings have no emphasis at all: skip the character-by-character pass.
    if !text.contains('*') {
        return text.to_owned();
    }
    let text = text.replace("**", "");
    let mut out = String::with_capacity(text.len());
    // The text is copied in runs between the stars dropped; a star's neighbours are read in
    // `text`, whatever became of other stars.
    let mut copied = 0;
    for (i, _) in text.match_indices('*') {
        let before = text[..i].chars().next_back();
        let after = text[i + 1..].chars().next();
        let hugs = |x: Option<char>| x.is_some_and(|x| x.is_alphanumeric() || "()[]".contains(x));
        let edge = |x: Option<char>| x.is_none_or(|x| x.is_whitespace() || "()[].,;:".contains(x));
        if (hugs(after) && edge(before)) || (hugs(before) && edge(after)) {
            out.push_str(&text[copied..i]);
            copied = i + 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Marks of the digital-signature stamp (and of an incoming-document stamp) printed above
/// the header; they are not part of the document.
fn is_stamp(line: &str) -> bool {
    let lower = line.to_lowercase();
    const MARKS: [&str; 11] = [
        "trung tâm công",
        "+07:00",
        "công báo",
        "tin học",
        "người ký",
        "ký bởi",
        "thời gian ký",
        "email:",
        "cơ quan:",
        ".gov.vn",
        "@",
    ];
    MARKS.iter().any(|m| lower.contains(m))
}

/// Drops the signature stamp: stamp-like lines before the first header line, and the short
/// fragments between them (OCR splits the stamp into pieces).
fn drop_stamps(lines: &mut Vec<Line>) {
    let Some(header) = lines.iter().position(|l| is_header_start(l.trimmed())) else { return };
    let last_stamp = lines[..header].iter().rposition(|l| is_stamp(l.trimmed()) || is_noise(l.trimmed()));
    if let Some(last) = last_stamp {
        lines.drain(..=last);
    }
}

/// What OCR makes of a stamp or a signature: few letters, digits and symbols. Marks that
/// belong above the header (`KHẨN`, `MẬT`, `DỰ THẢO`) are all letters and are kept.
fn is_noise(line: &str) -> bool {
    let visible: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    if visible.is_empty() {
        return false;
    }
    let letters = visible.iter().filter(|c| c.is_alphabetic()).count();
    letters * 10 < visible.len() * 7 || visible.len() <= 3
}

/// The first line of the header proper: the issuer or the national title.
fn is_header_start(line: &str) -> bool {
    // The line must be in capitals, so it is compared as written.
    const STARTS: [&str; 15] = [
        "ỦY BAN", "UỶ BAN", "UBND", "BỘ ", "SỞ ", "CỘNG HÒA", "CỘNG HOÀ", "VĂN PHÒNG", "CÔNG AN", "CỤC ", "THỦ TƯỚNG",
        "CHÍNH PHỦ", "BAN ", "HỘI ĐỒNG", "TỈNH ỦY",
    ];
    STARTS.iter().any(|s| line.starts_with(s)) && is_upper(line)
}

/// Page numbers (a lone number, possibly between dashes) and blank runs at page breaks.
fn drop_page_furniture(lines: &mut Vec<Line>) {
    lines.retain(|l| !is_page_number(l.trimmed()));
}

fn is_page_number(line: &str) -> bool {
    let core = line.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    !core.is_empty() && core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit()) && core != "0"
}

/// Whether the renderer wrapped paragraphs at a fixed width (pdftotext, OCR) rather than
/// printing one paragraph per line (DOCX, DOC, plain text): in wrapped text most long lines
/// stop in the middle of a sentence.
fn is_wrapped(lines: &[Line]) -> bool {
    let long: Vec<&str> = lines.iter().filter(|l| l.trimmed_width >= 45).map(Line::trimmed).collect();
    if long.len() < 4 {
        return false;
    }
    let open = long.iter().filter(|l| !ends_sentence(l)).count();
    open * 10 >= long.len() * 4
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', ';', ':', '!', '?', '…'])
}

/// The signature block: from `Nơi nhận` to the end of its page or an appendix heading.
fn signature_zone(lines: &[Line], body_start: usize) -> Option<(usize, usize)> {
    let list = lines.iter().enumerate().skip(body_start).find(|(_, l)| copies_heading_len(l.trimmed()).is_some())?.0;
    // DOCX dumps may put the signer's first lines (`KT. CỤC TRƯỞNG`) just above the list.
    let mut start = list;
    while start > body_start && start + 3 > list && is_signer_heading(lines[start - 1].trimmed()) {
        start -= 1;
    }
    // Joint documents print a grid of signatures (`KT. BỘ TRƯỞNG` per ministry) and only then
    // the list: the zone starts at the grid's first mark, provided no prose lies between.
    let mut i = start;
    while i > body_start && list - i < 45 {
        let t = lines[i - 1].trimmed();
        if is_signer_heading(t) && ["TM.", "KT.", "TL.", "TUQ.", "Q."].iter().any(|m| t.starts_with(m)) {
            start = i - 1;
        } else if ends_sentence(t) && t.chars().count() > 40 {
            break;
        }
        i -= 1;
    }
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|&(i, l)| l.page != lines[start].page || is_appendix_heading(l.trimmed()) || opens_attachment(&lines[i..]))
        .map_or(lines.len(), |(i, _)| i);
    Some((start, end))
}

/// The byte length of a `Nơi nhận:` heading at the start of `line`, also as OCR misreads it
/// (`.Vơi nhận:`, `Nơi nhân:`).
pub(crate) fn copies_heading_len(line: &str) -> Option<usize> {
    let start = line.len() - line.trim_start_matches(|c: char| !c.is_alphabetic()).len();
    let rest = &line[start..];
    let mut end = 0;
    for (i, word) in rest.split_inclusive(' ').take(2).enumerate() {
        end += word.len();
        if i == 1 {
            break;
        }
    }
    let head = rest[..end].trim_end();
    // Both forms fold to words ending in "n": most lines are told apart by their last letter,
    // without folding the words (this is asked of every line of the body).
    if last_folded_letter(head.trim_end_matches([':', '.'])).is_some_and(|c| c != b'n') {
        return None;
    }
    let folded = vn_text::fold(head.trim_end_matches([':', '.']));
    let is_heading = folded == "noi nhan" || (folded.ends_with(" nhan") && folded.len() <= 9 && head.ends_with(':'));
    is_heading.then_some(start + head.len())
}

/// The last byte of `vn_text::fold(s)` when the last character of `s` is ASCII (but not a
/// carriage return) or a Vietnamese letter; `None` when another character would need the
/// general folding to tell.
fn last_folded_letter(s: &str) -> Option<u8> {
    let c = s.chars().next_back()?;
    match c {
        '\r' => None,
        _ if c.is_ascii() => Some(c.to_ascii_lowercase() as u8),
        _ => vn_text::fold_letter(c),
    }
}

fn is_signer_heading(line: &str) -> bool {
    let caps = is_upper(line) && line.chars().any(char::is_alphabetic);
    caps && (["TM.", "KT.", "TL.", "TUQ.", "Q."].iter().any(|m| line.starts_with(m)) || crate::names::is_position(line))
}

/// An attachment on the signature's page: its title followed by "(Kèm theo Kế hoạch số …)",
/// or that line itself. Whatever follows (a task table) is no part of the signature block.
fn opens_attachment(lines: &[Line]) -> bool {
    let attached = |t: &str| t.starts_with("(Kèm theo") || t.starts_with("(Ban hành kèm theo");
    let mut text = lines.iter().map(Line::trimmed).filter(|t| !t.is_empty());
    match (text.next(), text.next()) {
        (Some(first), _) if attached(first) => true,
        (Some(first), Some(second)) => is_upper(first) && first.chars().any(char::is_alphabetic) && attached(second),
        _ => false,
    }
}

fn is_appendix_heading(line: &str) -> bool {
    // Asked of every line after the signature: the first letter rules most out.
    if !line.chars().next().is_some_and(|c| c.to_uppercase().next().is_some_and(|u| u == 'P' || u == 'D')) {
        return false;
    }
    // The headings are at most nine characters: the upper case of the first ten decides.
    let upper: String = line.chars().take(10).flat_map(char::to_uppercase).collect();
    (upper.starts_with("PHỤ LỤC") || upper.starts_with("DANH SÁCH") || upper.starts_with("DANH MỤC"))
        && line.chars().count() < 90
}

/// The header is everything before the body: it ends at `Kính gửi`, at the document type
/// line, at `Căn cứ`, or at the first line long enough to be body text.
fn header_end(lines: &[Line]) -> usize {
    let limit = lines.len().min(40);
    let has_header = lines[..limit].iter().any(|l| {
        let t = l.trimmed();
        is_header_start(t) || is_dateline(t) || crate::header::is_number_line(t)
    });
    if !has_header {
        return 0;
    }
    for (i, line) in lines[..limit].iter().enumerate() {
        let t = line.trimmed();
        let body_like = !has_gap(&line.text) && line.trimmed_width > 75 && !t.starts_with("V/v") && !t.starts_with("Về việc");
        if t.starts_with("Kính gửi") || t.starts_with("Căn cứ") || (i > 0 && is_type_line(t)) || body_like {
            return i;
        }
    }
    limit
}

fn is_dateline(line: &str) -> bool {
    let lower = line.to_lowercase();
    lower.contains("ngày") && lower.contains("tháng") && lower.contains("năm")
}

/// A line holding only a document type in capitals (`QUYẾT ĐỊNH`, `CHỈ THỊ`, …).
pub(crate) fn is_type_line(line: &str) -> bool {
    crate::kinds::kind_of_type_line(line).is_some()
}

/// Two or more spaces inside the text: the mark of a column gap in `-layout` output.
fn has_gap(line: &str) -> bool {
    has_three_spaces(line.trim())
}

/// Whether `s` holds three spaces in a row (`s.contains("   ")`), read sixteen positions at a
/// time without a branch per byte: asked of every line, where a substring search was slow.
fn has_three_spaces(s: &str) -> bool {
    let b = s.as_bytes();
    let last = b.len().saturating_sub(2);
    let mut at = 0;
    while at < last {
        let end = (at + 16).min(last);
        let three = b[at..end].iter().zip(&b[at + 1..end + 1]).zip(&b[at + 2..end + 2]);
        if three.fold(false, |hit, ((&x, &y), &z)| hit | ((x == b' ') & (y == b' ') & (z == b' '))) {
            return true;
        }
        at = end;
    }
    false
}

#[derive(Clone, Copy, PartialEq)]
enum ColumnZone {
    Header,
    Signature,
}

/// Splits a two-column zone into its left column followed by its right column.
fn split_columns(lines: &[Line], zone: ColumnZone) -> Vec<String> {
    let mut right_starts: Vec<usize> = Vec::new();
    for line in lines {
        if let Some((_, right_col, _)) = gap_split(&line.text) {
            right_starts.push(right_col);
        }
    }
    let split = right_starts.iter().copied().min();
    let mut left = Vec::new();
    let mut right = Vec::new();
    for line in lines.iter().filter(|l| !l.is_blank()) {
        if let Some((l, _, r)) = gap_split(&line.text) {
            left.push(l);
            right.push(r);
            continue;
        }
        if let Some((l, r)) = phrase_split(line.trimmed(), zone) {
            left.push(l);
            right.push(r);
            continue;
        }
        match split {
            Some(col) if line.indent + 4 >= col && line.indent > 0 => right.push(line.trimmed().to_owned()),
            _ => left.push(line.trimmed().to_owned()),
        }
    }
    left.into_iter().chain(right).map(|l| collapse_spaces(&l)).collect()
}

/// Splits a line at its widest run of 3+ spaces into (left text, column of right, right text).
/// The column counts characters; runs are found on bytes (a space is never part of a longer
/// UTF-8 sequence), and the text on either side is only copied for the run chosen.
fn gap_split(line: &str) -> Option<(String, usize, String)> {
    let first = line.find(|c| c != ' ')?;
    if !has_three_spaces(&line[first..]) {
        return None;
    }
    let bytes = line.as_bytes();
    // (start, end) of the widest run so far; the first of equal width wins.
    let mut best: Option<(usize, usize)> = None;
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] != b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let len = i - start;
        if len >= 3 && i < bytes.len() && !is_blank_field(&line[first..start], &line[i..]) && best.is_none_or(|(s, e)| len > e - s) {
            best = Some((start, i));
        }
    }
    let (start, end) = best?;
    let column = line[..end].chars().count();
    Some((line[first..start].trim().to_owned(), column, line[end..].trim().to_owned()))
}

/// Drafts leave spaces where the number and the day will be written (`Số:      /QĐ-SCT`,
/// `ngày      tháng 5`): such a gap is a blank field, not a column gap.
fn is_blank_field(left: &str, right: &str) -> bool {
    let left = left.trim_end();
    let right = right.trim_start();
    matches!(left, "-" | "+" | "•" | "–") || left.ends_with("Số:") || left.ends_with("ngày") || left.ends_with("tháng") || left.ends_with("Số")
        || right.starts_with('/') || right.starts_with("tháng") || right.starts_with("năm")
}

/// OCR flattens the columns to single spaces; the right column is then found by the phrases
/// that only ever stand there: the national title and motto, the dateline, the signer's
/// authority mark or title in capitals.
fn phrase_split(line: &str, zone: ColumnZone) -> Option<(String, String)> {
    let cut = match zone {
        ColumnZone::Header => {
            let folded = Folded::new(line);
            ["cong hoa xa hoi", "doc lap - tu do", "doc lap-tu do", "doc lap – tu do"]
                .iter()
                .filter_map(|p| folded.find(p))
                .find(|&p| p > 0)
                .or_else(|| dateline_start(line))
        }
        ColumnZone::Signature => signer_start(line).or_else(|| junk_after_entry(line)),
    }?;
    let (l, r) = line.split_at(cut);
    let (l, r) = (l.trim(), r.trim());
    (!l.is_empty() && !r.is_empty()).then(|| (l.to_owned(), r.to_owned()))
}

/// `s` in lower case with every character at the same byte offset as in `s`, so that a
/// position found in the copy can cut `s`. `str::to_lowercase` does not keep offsets: 'İ'
/// (two bytes) becomes "i̇" (three), the Kelvin sign (three bytes) becomes 'k' (one), so
/// two such characters can even leave the length unchanged while shifting what follows
/// (found by the fuzzer: an offset inside a character, and a panic). A character whose lower
/// case has another length is kept as it is; Vietnamese letters all keep theirs.
pub(crate) fn lowercase_keeping_offsets(s: &str) -> String {
    // Tasks and deadlines lower-case every paragraph several times: the letters of Vietnamese
    // text (all below U+2000) are looked up in a table instead of Unicode's case tables.
    static TABLE: std::sync::LazyLock<Vec<char>> =
        std::sync::LazyLock::new(|| (0..0x2000).map(|cp| char::from_u32(cp).map_or('\0', lower_keeping_length)).collect());
    let table = &*TABLE;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(match table.get(c as usize) {
            Some(&lower) => lower,
            None => lower_keeping_length(c),
        });
    }
    out
}

/// The lower case of `c` when it is one character of the same UTF-8 length, else `c`.
fn lower_keeping_length(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Byte offset in `line` where `folded_phrase` (already folded) occurs, comparing letter by
/// letter with marks removed, so OCR's tone slips (`CỌNG HÒA`) are found too.
pub(crate) fn find_folded(line: &str, folded_phrase: &str) -> Option<usize> {
    Folded::new(line).find(folded_phrase)
}

/// A text folded once, to look for several folded phrases in it.
pub(crate) struct Folded<'a> {
    text: &'a str,
    folded: std::borrow::Cow<'a, str>,
}

impl<'a> Folded<'a> {
    pub(crate) fn new(text: &'a str) -> Folded<'a> {
        // Folding character by character differs from folding the text only at a carriage
        // return, which `vn_text::fold` reads with the line feed after it.
        if !text.contains('\r') {
            return Folded { text, folded: vn_text::fold(text).into() };
        }
        Folded::by_character(text)
    }

    /// The text with its fold at hand: `fold` must be `vn_text::fold(text)`.
    pub(crate) fn from_fold(text: &'a str, fold: &'a str) -> Folded<'a> {
        if !text.contains('\r') {
            return Folded { text, folded: fold.into() };
        }
        Folded::by_character(text)
    }

    fn by_character(text: &'a str) -> Folded<'a> {
        let mut folded = String::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            fold_char(text, at, c, &mut folded);
        }
        Folded { text, folded: folded.into() }
    }

    /// Whether the folded text holds `folded_phrase`.
    pub(crate) fn contains(&self, folded_phrase: &str) -> bool {
        self.folded.contains(folded_phrase)
    }

    /// The byte offset in the original text where `folded_phrase` starts.
    pub(crate) fn find(&self, folded_phrase: &str) -> Option<usize> {
        // `contains` reads many bytes at a time, `find` one: most phrases are not there.
        if !self.folded.contains(folded_phrase) {
            return None;
        }
        self.folded.find(folded_phrase).map(|p| self.origin(p))
    }

    /// The offset in the text of the character that folded byte `p` comes from, found by
    /// folding again up to it: phrases are looked for far more often than they are found.
    fn origin(&self, p: usize) -> usize {
        let mut folded = String::new();
        for (at, c) in self.text.char_indices() {
            fold_char(self.text, at, c, &mut folded);
            if folded.len() > p {
                return at;
            }
        }
        self.text.len()
    }
}

/// Appends the fold of the character `c` at `at` in `text`, folded on its own: an ASCII
/// character lower-cased as it is (line ends included), a letter by the folding table.
fn fold_char(text: &str, at: usize, c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if let Some(letter) = vn_text::fold_letter(c) {
        out.push(char::from(letter));
    } else {
        vn_text::fold_into(&text[at..at + c.len_utf8()], out);
    }
}

/// In `Số: 11 /TB-UBND Quảng Ngãi, ngày …` the dateline starts right after the symbol.
fn dateline_start(line: &str) -> Option<usize> {
    if !crate::header::is_number_line(line) || !is_dateline(line) {
        return None;
    }
    let slash = line.find('/')?;
    let after = &line[slash..];
    let end = after.find(' ')?;
    let cut = slash + end;
    is_dateline(&line[cut..]).then_some(cut)
}

/// `- Như trên; KT. CHỦ TỊCH`: the signer part starts at an authority mark or at a position
/// in capitals after the list entry's `;` (`- Lưu: VT, KTTH.` is not one: `VT` is no position).
fn signer_start(line: &str) -> Option<usize> {
    // Every mark ends in ". ": a line without one has none.
    if line.contains(". ") {
        for mark in ["TM. ", "KT. ", "TL. ", "TUQ. ", "Q. "] {
            if let Some(p) = line.find(mark).filter(|&p| p > 0) {
                return Some(p);
            }
        }
    }
    // The longest run of words in capitals ending the line that names a position:
    // `-Nhưtiên _ PHÓ GIÁM ĐÓC` (OCR keeps no gap between the columns).
    let mut cut = None;
    for word in line.split_whitespace().rev() {
        let at = word.as_ptr() as usize - line.as_ptr() as usize;
        if !is_upper(word) || !word.chars().any(char::is_alphabetic) {
            break;
        }
        if crate::names::is_position(&line[at..]) {
            cut = Some(at);
        }
    }
    // A line that is a position from its first word is the signer column alone.
    cut.filter(|&at| at > 0)
}

/// `- Như trên; ÀN_ÿ`: after a list entry's `;`, text that does not end like an entry is what
/// OCR made of the signature beside it.
fn junk_after_entry(line: &str) -> Option<usize> {
    if !line.starts_with(['-', '+']) {
        return None;
    }
    let punct = line.rfind(';')?;
    let rest = line[punct + 1..].trim();
    (!rest.is_empty() && !rest.ends_with([';', '.', ')'])).then_some(punct + 1)
}

/// `s` with its words (as `str::split_whitespace` cuts them) joined by single spaces.
fn collapse_spaces(s: &str) -> String {
    match spacing(s) {
        // Every line of the document comes through here, and most are single-spaced already.
        Spacing::Single => s.to_owned(),
        // Only spaces to collapse: cut at the space, which is found many bytes at a time.
        Spacing::Spaces => join_words(s.split(' ').filter(|w| !w.is_empty()), s.len()),
        Spacing::Other => join_words(s.split_whitespace(), s.len()),
    }
}

fn join_words<'a>(words: impl Iterator<Item = &'a str>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    for (i, word) in words.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// What white space a text holds.
#[derive(Debug, PartialEq)]
enum Spacing {
    /// Single spaces between words, nothing else.
    Single,
    /// Spaces only, some of them in runs or at the ends.
    Spaces,
    /// Other white space (or a control character).
    Other,
}

/// How `s` is spaced, read in byte triples sixteen at a time without a branch per byte
/// (branching on every accented letter was most of the cost). White space other than the
/// space starts with a control byte (tab, line ends) or is U+0085, U+00A0 (C2 85, C2 A0),
/// U+1680 (E1 9A 80), U+2000–U+200A, U+2028, U+2029, U+202F (E2 80 ..), U+205F (E2 81 9F) or
/// U+3000 (E3 80 80).
fn spacing(s: &str) -> Spacing {
    let other = |x: u8, y: u8, z: u8| {
        (x < b' ')
            | ((x == 0xC2) & ((y == 0x85) | (y == 0xA0)))
            | ((x == 0xE1) & (y == 0x9A) & (z == 0x80))
            | ((x == 0xE2) & (y == 0x80) & ((z <= 0x8A) | (z == 0xA8) | (z == 0xA9) | (z == 0xAF)))
            | ((x == 0xE2) & (y == 0x81) & (z == 0x9F))
            | ((x == 0xE3) & (y == 0x80) & (z == 0x80))
    };
    let b = s.as_bytes();
    let mut double = b.first() == Some(&b' ') || b.last() == Some(&b' ');
    // Every byte with the two after it; the last two bytes with zeros after them (a UTF-8
    // sequence of white space cannot start there).
    let n = b.len().saturating_sub(2);
    let mut at = 0;
    while at < n {
        let end = (at + 16).min(n);
        let triples = b[at..end].iter().zip(&b[at + 1..end + 1]).zip(&b[at + 2..end + 2]);
        let (o, d) = triples.fold((false, false), |(o, d), ((&x, &y), &z)| (o | other(x, y, z), d | ((x == b' ') & (y == b' '))));
        if o {
            return Spacing::Other;
        }
        double |= d;
        at = end;
    }
    for i in n..b.len() {
        let (y, z) = (b.get(i + 1).copied().unwrap_or(0), b.get(i + 2).copied().unwrap_or(0));
        if other(b[i], y, z) {
            return Spacing::Other;
        }
        double |= b[i] == b' ' && y == b' ';
    }
    if double { Spacing::Spaces } else { Spacing::Single }
}

/// Whether `s` is its own upper case (`s == s.to_uppercase()`), without building the copy:
/// a character whose upper case is another character, or several, makes them differ, and
/// most lines fail on their second letter.
pub(crate) fn is_upper(s: &str) -> bool {
    s.chars().all(|c| {
        if c.is_ascii() {
            return !c.is_ascii_lowercase();
        }
        let mut upper = c.to_uppercase();
        upper.next() == Some(c) && upper.next().is_none()
    })
}

/// A list label that starts a new item: `1.`, `2.1.`, `a)`, `đ)`, `I.`, `-`, `+`, `Điều 3`.
pub(crate) fn starts_with_label(line: &str) -> bool {
    crate::outline::label_of(line).is_some()
}

/// Joins wrapped lines into paragraphs; lines of text that was not wrapped stay as they are,
/// except paragraphs broken by a page break, which are joined in both cases.
fn paragraphs(lines: &[Line], wrapped: bool) -> Vec<String> {
    let base = base_indent(lines);
    let width = lines.iter().map(Line::width).max().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut blank_before = false;
    let mut prev: Option<&Line> = None;
    for line in lines {
        if line.is_blank() {
            blank_before = true;
            continue;
        }
        let repaired = repair_label(line.trimmed());
        let t = repaired.as_ref();
        let table_row = line.table || line.text.contains('\t') || (has_gap(&line.text) && gap_count(&line.text) >= 2);
        let joins = match (prev, out.last()) {
            (Some(p), Some(current)) if !table_row && !starts_with_label(t) => {
                if blank_before {
                    continues_across_break(current, t, p.page != line.page)
                } else if wrapped {
                    continues_wrapped(p, line, base, width)
                } else {
                    false
                }
            }
            _ => false,
        };
        if joins {
            let current = out.last_mut().expect("checked above");
            current.push(' ');
            current.push_str(&collapse_spaces(t));
        } else if table_row {
            out.push(cells(&line.text));
        } else {
            out.push(collapse_spaces(t));
        }
        prev = Some(line);
        blank_before = false;
    }
    out
}

/// A list label as OCR leaves it: specks of punctuation before it (`._8.`, `: - Thống kê`)
/// are dropped, and `ø)`, which no Vietnamese text writes, is the letter `g)` misread.
fn repair_label(line: &str) -> std::borrow::Cow<'_, str> {
    let specks = line.len() - line.trim_start_matches(['.', ',', ':', ';', '_', '\'', '`', '‘', '’', '~', '*']).len();
    let rest = line[specks..].trim_start();
    let line = if specks > 0 && specks <= 3 && starts_with_label(rest) { rest } else { line };
    match line.strip_prefix("ø)") {
        Some(after) if after.starts_with(' ') => format!("g){after}").into(),
        _ => line.into(),
    }
}

fn gap_count(line: &str) -> usize {
    line.trim().split("   ").filter(|s| !s.trim().is_empty()).count().saturating_sub(1)
}

/// A row of a table drawn with spaces: cells separated by a tab.
fn cells(line: &str) -> String {
    line.trim()
        .split(['\t'])
        .flat_map(|part| part.split("   "))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(collapse_spaces)
        .collect::<Vec<_>>()
        .join("\t")
}

/// The indentation of continuation lines: the most common indentation among long lines.
fn base_indent(lines: &[Line]) -> usize {
    let mut counts = std::collections::BTreeMap::new();
    for line in lines.iter().filter(|l| l.trimmed_width >= 45) {
        *counts.entry(line.indent).or_insert(0usize) += 1;
    }
    counts.into_iter().max_by_key(|&(indent, n)| (n, std::cmp::Reverse(indent))).map_or(0, |(i, _)| i)
}

/// In wrapped text a line continues the paragraph unless it is indented like a first line or
/// the previous line stopped short of the right margin after ending a sentence.
fn continues_wrapped(prev: &Line, line: &Line, base: usize, width: usize) -> bool {
    if line.indent > base + 1 {
        return false;
    }
    let prev_len = prev.width();
    let short = prev_len * 4 < width * 3;
    if ends_sentence(prev.trimmed()) && short {
        return false;
    }
    if prev_len * 2 < width && !prev.trimmed().ends_with(',') {
        return false;
    }
    true
}

/// Across a blank line (a page break in most renderings) a paragraph continues when it
/// stopped mid-sentence and the next line is not a new paragraph of its own.
fn continues_across_break(current: &str, next: &str, new_page: bool) -> bool {
    if ends_sentence(current) || current.chars().count() < 60 {
        return false;
    }
    if current.starts_with("Kính gửi") || current.starts_with("V/v") || is_opener(next) {
        return false;
    }
    let next_starts_lower = next.chars().next().is_some_and(char::is_lowercase);
    next_starts_lower || new_page || current.chars().count() >= 100
}

/// Words that open a paragraph of their own in directives.
fn is_opener(line: &str) -> bool {
    ["Căn cứ", "Thực hiện", "Nơi nhận", "Kính gửi", "Theo đề nghị", "Xét đề nghị", "Để ", "Trên cơ sở", "Nay,"]
        .iter()
        .any(|o| line.starts_with(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for single-spaced lines must agree with splitting on white space for every
    /// character, alone, between words and at the ends.
    #[test]
    fn collapsing_agrees_with_split_whitespace() {
        let slow = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for s in [format!("a{c}b  {c}{c}c {c}"), format!("{c}"), format!("abcdefghijklmno{c}pqrstuvwxyz")] {
                assert_eq!(collapse_spaces(&s), slow(&s), "U+{:04X}", c as u32);
            }
        }
        for s in ["", " ", "  a ", "a", "a b", " a  b\tc\u{3000}d\u{A0}", "Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu  tư"] {
            assert_eq!(collapse_spaces(s), slow(s));
        }
    }

    #[test]
    fn lower_case_table_agrees_with_unicode() {
        let all: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let expected: String = all.chars().map(lower_keeping_length).collect();
        assert_eq!(lowercase_keeping_offsets(&all), expected);
        assert_eq!(lowercase_keeping_offsets("ỦY BAN İK\u{212A}"), "ủy ban İk\u{212A}");
    }

    #[test]
    fn three_spaces_are_found_anywhere() {
        for s in ["", " ", "  ", "   ", "a   ", "   a", "a  b   c", "aaaaaaaaaaaaaaa   ", "aaaaaaaaaaaaaaaa   b", "aaaaaaaaaaaaaa  a   ", "ạ   ạ"] {
            assert_eq!(has_three_spaces(s), s.contains("   "), "{s:?}");
        }
    }

    #[test]
    fn upper_case_is_read_without_a_copy() {
        for s in ["ỦY BAN", "Ủy ban", "ß", "SS", "ǅ", "Ǆ", "", "1/2-3", "İ", "ﬁ", "ΐ"] {
            assert_eq!(is_upper(s), s == s.to_uppercase(), "{s}");
        }
    }

    #[test]
    fn markdown_emphasis_is_removed() {
        assert_eq!(strip_markup("Số: **2395**/UBND"), "Số: 2395/UBND");
        assert_eq!(strip_markup("(*UBND tỉnh cụ thể hóa*)"), "(UBND tỉnh cụ thể hóa)");
        assert_eq!(strip_markup("3 * 4"), "3 * 4");
    }

    #[test]
    fn side_by_side_header_is_read_left_then_right() {
        let text = "   ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n   TỈNH QUẢNG NGÃI                  Độc lập - Tự do - Hạnh phúc\n\n   Số: 11 /TB-UBND                 Quảng Ngãi, ngày 08 tháng 01 năm 2025\n\n                              THÔNG BÁO\n";
        let out = repair(text).text;
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "ỦY BAN NHÂN DÂN",
                "TỈNH QUẢNG NGÃI",
                "Số: 11 /TB-UBND",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Quảng Ngãi, ngày 08 tháng 01 năm 2025",
                "THÔNG BÁO"
            ]
        );
    }

    #[test]
    fn ocr_header_is_split_at_the_motto_and_the_dateline() {
        let text = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\nSố: 07 /CT-UBND Quảng Ngãi, ngày 20 tháng 3 năm 2018\nCHỈ THỊ\n";
        let out = repair(text).text;
        assert!(out.starts_with("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 07 /CT-UBND\nCỘNG HÒA"), "{out}");
    }

    #[test]
    fn stamp_above_the_header_is_dropped() {
        let text = "                    TRUNG TÂM CÔNG BÁO\n                    VÀ TIN HỌC\n                    ttcbth@quangngai.gov.vn\n                    09.01.2025 10:21:11 +07:00\n\n   ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n";
        assert!(repair(text).text.starts_with("ỦY BAN NHÂN DÂN\n"));
    }

    #[test]
    fn wrapped_paragraphs_are_joined_and_page_numbers_dropped() {
        let body = "     1. Công ty tiếp thu các ý kiến tại cuộc họp, khẩn trương rà soát, báo cáo\ntoàn bộ quá trình cổ phần hóa và những vấn đề phát sinh, vướng mắc ảnh\nhưởng đến việc thực hiện cổ phần hóa Công ty trong thời gian qua.\n     2. Trên cơ sở báo cáo của Công ty, giao Sở Tài chính chủ trì, phối hợp với Sở\nKế hoạch và Đầu tư rà soát, nghiên cứu, tham mưu, đề xuất hướng giải quyết\n\n                                         2\n\u{000C}thực hiện theo đúng quy định và có tính khả thi. Hoàn thành trước ngày\n20/02/2025.\n";
        let out = repair(body).text;
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[0].ends_with("trong thời gian qua."));
        assert!(lines[1].contains("đề xuất hướng giải quyết thực hiện theo đúng quy định"));
        assert!(lines[1].ends_with("trước ngày 20/02/2025."));
    }

    #[test]
    fn paragraph_broken_across_a_blank_line_is_joined() {
        let text = "Triển khai thực hiện hiệu quả Kế hoạch tổ chức Hội nghị giữa các tỉnh, thành phố: Thừa Thiên Huế, Đà\n\nNăng, Quảng Nam, Quảng Ngãi và Bình Định.\n\n2.4. Sở Giao thông vận tải\n";
        let out = repair(text).text;
        assert!(out.contains("Huế, Đà Năng, Quảng Nam"), "{out}");
        assert!(out.contains("\n2.4. Sở Giao thông vận tải\n"));
    }

    #[test]
    fn labels_misread_by_ocr_are_repaired() {
        assert_eq!(repair_label("._8. Hiệp hội Doanh nghiệp tỉnh: Tuyên truyền"), "8. Hiệp hội Doanh nghiệp tỉnh: Tuyên truyền");
        assert_eq!(repair_label(": - Thống kê, tổng kết"), "- Thống kê, tổng kết");
        assert_eq!(repair_label("ø) Củng cố, kiện toàn"), "g) Củng cố, kiện toàn");
        assert_eq!(repair_label(". Vì vậy, đề nghị"), ". Vì vậy, đề nghị");
        assert_eq!(repair_label("“1. Trích dẫn"), "“1. Trích dẫn");
    }

    #[test]
    fn an_attached_task_table_is_no_part_of_the_signature() {
        let text = "Nơi nhận:               KT. GIÁM ĐỐC
- Lưu: VT.              PHÓ GIÁM ĐỐC
                        Trần Văn An

PHÂN CÔNG NHIỆM VỤ
(Kèm theo Kế hoạch số 12/KH-SCT)
TT | Nhiệm vụ | Người thực hiện | Ghi chú
 | Lập danh sách | Lê Văn Bình |
 | In chứng chỉ | Lê Văn Bình |
";
        let layout = repair(text);
        let lines: Vec<&str> = layout.text.lines().collect();
        assert_eq!(layout.signature_lines, Some(0..5));
        assert_eq!(&lines[7..], ["TT\tNhiệm vụ\tNgười thực hiện\tGhi chú", "Lập danh sách\tLê Văn Bình", "In chứng chỉ\tLê Văn Bình"]);
    }

    #[test]
    fn signature_columns_are_separated() {
        let text = "Nơi nhận:                                          TL. CHỦ TỊCH\n- CT, PCT UBND tỉnh;                          KT. CHÁNH VĂN PHÒNG\n- Các Sở: Tài chính, Kế hoạch và Đầu tư,      PHÓ CHÁNH VĂN PHÒNG\n  Nội vụ, Tư pháp;\n- Lưu: VT, KTTHh5.                                Nguyễn Phước Bình\n";
        let out = repair(text).text;
        assert_eq!(
            out.lines().collect::<Vec<_>>(),
            [
                "Nơi nhận:",
                "- CT, PCT UBND tỉnh;",
                "- Các Sở: Tài chính, Kế hoạch và Đầu tư,",
                "Nội vụ, Tư pháp;",
                "- Lưu: VT, KTTHh5.",
                "TL. CHỦ TỊCH",
                "KT. CHÁNH VĂN PHÒNG",
                "PHÓ CHÁNH VĂN PHÒNG",
                "Nguyễn Phước Bình"
            ]
        );
    }
}
