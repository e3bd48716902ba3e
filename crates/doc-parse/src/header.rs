//! Header and footer of a document: issuer, number and symbol, place and date, kind,
//! subject, recipients, the `Nơi nhận` list and the signer.
//!
//! Every value is taken as printed or left `None` with a warning: a blank number in a draft,
//! a number garbled by OCR (`Ø2`), a day that cannot exist. The reviewer sees the warning and
//! types the value; nothing is guessed.

use crate::layout::Layout;
use crate::{Document, Issuer, Signer, Warning, kinds, names};

/// A line of the repaired text with its byte offset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextLine<'a> {
    pub offset: usize,
    pub text: &'a str,
}

impl TextLine<'_> {
    fn span(&self) -> [usize; 2] {
        [self.offset, self.offset + self.text.len()]
    }
}

pub(crate) fn lines(text: &str) -> Vec<TextLine<'_>> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|l| {
            let line = TextLine { offset, text: l.trim_end_matches('\n') };
            offset += l.len();
            line
        })
        .collect()
}

fn warn(meta: &mut Document, code: &str, message: impl Into<String>, span: Option<[usize; 2]>) {
    meta.warnings.push(Warning { code: code.to_owned(), message: message.into(), span });
}

/// Reads the header, the recipients and the signature block into `meta`, and returns the
/// lines of the body proper: after the recipients, before the signature block.
pub(crate) fn read(layout: &Layout, lines: &[TextLine<'_>], meta: &mut Document) -> std::ops::Range<usize> {
    let header = &lines[..layout.header_lines.min(lines.len())];
    read_marks(meta, &lines[..(layout.header_lines + 3).min(lines.len())]);
    read_issuer(meta, header);
    read_number(meta, header);
    read_dateline(meta, header);
    read_kind_and_subject(meta, header);
    appendix_fallback(meta, lines);
    let body_end = layout.signature_lines.as_ref().map_or(lines.len(), |r| r.start);
    let body_start = read_recipients(meta, lines, layout.header_lines, body_end);
    match &layout.signature_lines {
        Some(range) => read_signature(meta, &lines[range.clone()]),
        None => read_signer_without_list(meta, &lines[body_start..]),
    }
    if meta.signer.is_none() {
        warn(meta, "signer_missing", "Không tìm thấy người ký", None);
    }
    body_start.min(body_end)..body_end
}

/// The national title, motto and marks are not part of either column's content.
fn is_motto(line: &str) -> bool {
    let folded = vn_text::fold(line);
    folded.starts_with("cong hoa xa hoi") || folded.starts_with("doc lap") || folded.chars().all(|c| "-_=.*— ".contains(c))
}

const SECRECY: [&str; 3] = ["TUYỆT MẬT", "TỐI MẬT", "MẬT"];
const URGENCY: [&str; 4] = ["THƯỢNG KHẨN", "HỎA TỐC", "HOẢ TỐC", "KHẨN"];

/// Secrecy and urgency marks stand alone on a line near the number.
fn read_marks(meta: &mut Document, lines: &[TextLine<'_>]) {
    for line in lines {
        let t = line.text.trim();
        if let Some(mark) = SECRECY.iter().find(|m| t == **m) {
            meta.secrecy = Some((*mark).to_owned());
            warn(meta, 
                "secret",
                format!("Văn bản có dấu {mark}: không được đưa lên hệ thống nối mạng"),
                Some(line.span()),
            );
        }
        if let Some(mark) = URGENCY.iter().find(|m| t == **m) {
            meta.urgency = Some(vn_text::new_style_tones(mark));
        }
    }
}

/// The issuer is the capitalised block at the top of the left column: one body whose name is
/// broken over two lines (`ỦY BAN NHÂN DÂN` / `TỈNH QUẢNG NGÃI`), or a parent body over the
/// issuing one (`BỘ CÔNG THƯƠNG` / `CỤC HÓA CHẤT`).
fn read_issuer(meta: &mut Document, header: &[TextLine<'_>]) {
    let mut names: Vec<String> = Vec::new();
    for line in header {
        let t = line.text.trim();
        if is_number_line(t) || is_motto(t) || crate::layout::is_type_line(t) {
            break;
        }
        let letters = t.chars().filter(|c| c.is_alphabetic()).count();
        let visible = t.chars().filter(|c| !c.is_whitespace()).count();
        if !crate::layout::is_upper(t) || letters < 3 || letters * 10 < visible * 9 {
            continue;
        }
        // Joint documents print several bodies side by side: `BỘ CÔNG AN BỘ QUỐC PHÒNG`.
        let t = second_body_at(t).map_or(t, |p| t[..p].trim_end());
        let continues = names.last().is_some_and(|_| starts_with_locality(t) || ends_with_connector(names.last().unwrap()));
        match names.last_mut() {
            Some(last) if continues => {
                last.push(' ');
                last.push_str(t);
            }
            _ => names.push(t.to_owned()),
        }
    }
    if names.len() >= 3 {
        // A joint document (three or more bodies): the first named leads it.
        let first = names::agency(&names[0]);
        meta.issuer = Some(Issuer { name: first, parent: None });
        return;
    }
    let Some(issuer) = names.pop() else {
        warn(meta, "issuer_missing", "Không đọc được cơ quan ban hành", None);
        return;
    };
    let parent = names.pop().map(|p| names::agency(&p));
    let mut name = names::agency(&issuer);
    // `UBND TỈNH X` over `VĂN PHÒNG`: the office is named after the body it serves.
    if let Some(p) = parent.as_deref().filter(|_| vn_text::fold(&name) == "van phong") {
        name = format!("Văn phòng {p}");
    }
    meta.issuer = Some(Issuer { name, parent });
}

/// Where a second body's name starts on a header line (`BỘ CÔNG AN BỘ QUỐC PHÒNG`).
fn second_body_at(line: &str) -> Option<usize> {
    [" BỘ ", " SỞ ", " CỤC "].iter().filter_map(|h| line.find(h).map(|p| p + 1)).min()
}

fn starts_with_locality(line: &str) -> bool {
    let folded = vn_text::fold(line);
    ["tinh ", "thanh pho ", "huyen ", "xa ", "phuong ", "quan ", "thi xa ", "thi tran "].iter().any(|p| folded.starts_with(p))
}

fn ends_with_connector(line: &str) -> bool {
    let folded = vn_text::fold(line);
    folded.ends_with(" va") || folded.ends_with(',') || folded.ends_with(" cac")
}

/// `Số: 2395/UBND-KTTH`, `Số: 70/2024/QĐ-UBND`, `Số:      /KH-UBND` (draft), `Số: Ø2 /CT-UBND` (OCR).
fn read_number(meta: &mut Document, header: &[TextLine<'_>]) {
    let Some(line) = header.iter().find(|l| is_number_line(l.text)) else {
        warn(meta, "number_missing", "Không tìm thấy dòng số, ký hiệu văn bản", None);
        return;
    };
    let t = line.text.trim_start();
    let rest = t[t.char_indices().nth(2).map_or(t.len(), |(i, _)| i)..].trim_start_matches([':', '.', ' ']);
    let Some(slash) = rest.find('/') else {
        warn(meta, "symbol_unreadable", "Không đọc được ký hiệu văn bản", Some(line.span()));
        return;
    };
    let raw_number = rest[..slash].trim();
    // A long joint symbol may wrap: `24/HDLN-BCA-BQP-BYT-` / `BCT-BTC-VKSNDTC-TANDTC`.
    let mut symbol_text = rest[slash + 1..].trim_start().to_owned();
    if symbol_text.trim_end().ends_with('-')
        && let Some(next) = header.iter().find(|l| l.offset > line.offset)
            && next.text.trim().chars().all(|c| c.is_alphanumeric() || c == '-') {
                symbol_text = format!("{}{}", symbol_text.trim_end(), next.text.trim());
            }
    // OCR and hand-typed headers put spaces around the hyphens (`SCT - CN`).
    let joined = symbol_text.replace(" - ", "-").replace("- ", "-").replace(" -", "-");
    let mut tail = joined.split_whitespace().next().unwrap_or("").trim_end_matches(['.', ',']);
    let mut year = None;
    if let Some((y, sym)) = tail.split_once('/')
        && y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
            year = Some(y);
            tail = sym;
        }
    let symbol_ok = !tail.is_empty() && tail.chars().all(|c| c.is_alphanumeric() || c == '-') && tail.chars().any(char::is_uppercase);
    if symbol_ok {
        meta.symbol = Some(tail.to_owned());
    } else {
        warn(meta, "symbol_unreadable", "Không đọc được ký hiệu văn bản", Some(line.span()));
    }
    if raw_number.is_empty() || raw_number.chars().all(|c| "_.…".contains(c)) {
        warn(meta, "number_blank", "Số văn bản để trống (dự thảo?)", Some(line.span()));
    } else if raw_number.len() <= 6 && raw_number.bytes().all(|b| b.is_ascii_digit()) {
        meta.number = Some(raw_number.to_owned());
    } else {
        warn(meta, "number_unreadable", format!("Số văn bản không đọc được rõ («{raw_number}»), cần nhập tay"), Some(line.span()));
    }
    if let (Some(number), Some(symbol)) = (&meta.number, &meta.symbol) {
        meta.code = Some(match year {
            Some(y) => format!("{number}/{y}/{symbol}"),
            None => format!("{number}/{symbol}"),
        });
    }
}

/// `Số: …/…`, also as OCR misreads it (`Só:`), but not `SỞ …`.
pub(crate) fn is_number_line(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    let first_two: String = chars.by_ref().take(2).collect();
    vn_text::fold(&first_two) == "so"
        && !first_two.ends_with('Ở')
        && chars.next().is_some_and(|c| c == ':' || c == ' ' || c.is_ascii_digit())
        && t.contains('/')
}

/// A number or date garbled in the header may be stated again by the document itself, in an
/// appendix header: `(Kèm theo Quyết định số 1696/QĐ-UBND ngày 15/5/2026 …)`. The contract
/// allows taking it from there (with a warning); blanks of drafts stay blank.
fn appendix_fallback(meta: &mut Document, lines: &[TextLine<'_>]) {
    let unreadable = |code: &str, meta: &Document| meta.warnings.iter().any(|w| w.code == code);
    let need_number = meta.number.is_none() && (unreadable("number_unreadable", meta) || unreadable("number_missing", meta));
    let need_date = meta.date.is_none() && (unreadable("date_unreadable", meta) || unreadable("date_missing", meta));
    if !need_number && !need_date {
        return;
    }
    for (i, line) in lines.iter().enumerate() {
        // "kèm" lower-cased comes from an "è" or an "È": lines without either are skipped unread.
        if !line.text.contains('è') && !line.text.contains('È') {
            continue;
        }
        let lower = crate::layout::lowercase_keeping_offsets(line.text);
        let Some(k) = lower.find("kèm") else { continue };
        // The statement may wrap onto the next line.
        let mut joined = line.text[k..].to_owned();
        if let Some(next) = lines.get(i + 1) {
            joined.push(' ');
            joined.push_str(next.text);
        }
        let Some(so) = joined.find("số") else { continue };
        let rest = joined[so + "số".len()..].trim_start_matches([':', ' ']);
        let Some(slash) = rest.find('/') else { continue };
        let number = rest[..slash].trim();
        let symbol_part: String = rest[slash + 1..].split_whitespace().next().unwrap_or("").to_owned();
        let symbol = symbol_part.rsplit('/').next().unwrap_or("").trim_end_matches([',', ')', '.']);
        if meta.symbol.as_deref().is_some_and(|s| s != symbol) || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if need_number {
            meta.number = Some(number.to_owned());
            meta.symbol = Some(symbol.to_owned());
            let year = symbol_part.split('/').next().filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && symbol_part.contains('/'));
            meta.code = Some(match year {
                Some(y) => format!("{number}/{y}/{symbol}"),
                None => format!("{number}/{symbol}"),
            });
            warn(meta, "number_from_appendix", "Số văn bản lấy từ tiêu đề phụ lục của chính văn bản", Some(line.span()));
        }
        if need_date
            && let Some(at) = joined.find("ngày")
                && let Some((date, _)) = legal_ref::dates::date_at(&joined[at + "ngày".len()..]) {
                    meta.date = Some(date.to_string());
                    warn(meta, "date_from_appendix", "Ngày ban hành lấy từ tiêu đề phụ lục của chính văn bản", Some(line.span()));
                }
        return;
    }
}

/// `Quảng Ngãi, ngày 20 tháng 5 năm 2022`; in drafts `ngày    tháng 4 năm 2026`.
fn read_dateline(meta: &mut Document, header: &[TextLine<'_>]) {
    let Some(line) = header.iter().find(|l| {
        let t = l.text;
        t.contains("ngày") && t.contains("tháng") && t.contains("năm") && !is_number_line(t)
    }) else {
        // A stamped date can tear the dateline apart (`Hà Nội, ngày 12` / `30 tháng 12 năm
        // 2024`): the place is still readable.
        meta.place = header.iter().find_map(|l| l.text.trim().split_once(", ngày").map(|(p, _)| p.trim().to_owned()));
        warn(meta, "date_missing", "Không tìm thấy địa danh, ngày tháng ban hành", None);
        return;
    };
    let t = line.text.trim();
    let day_at = t.find("ngày").expect("checked");
    let place = t[..day_at].trim().trim_end_matches(',').trim();
    if !place.is_empty() && place.chars().next().is_some_and(char::is_uppercase) {
        meta.place = Some(place.to_owned());
    }
    let after_day = &t[day_at + "ngày".len()..];
    let (day, after_month) = after_day.split_once("tháng").unwrap_or((after_day, ""));
    let (month, year) = after_month.split_once("năm").unwrap_or((after_month, ""));
    let parse = |s: &str| -> Result<Option<u32>, ()> {
        let s = s.trim();
        if s.is_empty() || s.chars().all(|c| "_.…".contains(c)) {
            return Ok(None);
        }
        if s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().map(Some).map_err(|_| ());
        }
        Err(())
    };
    let year_text: String = year.trim().chars().take_while(|c| !c.is_whitespace()).collect();
    match (parse(day), parse(month), parse(&year_text)) {
        (Ok(Some(d)), Ok(Some(m)), Ok(Some(y))) => match vn_calendar::Date::from_ymd(y as i32, m, d) {
            Ok(date) if (1945..=2100).contains(&y) => meta.date = Some(date.to_string()),
            _ => warn(meta, "date_unreadable", format!("Ngày ban hành không hợp lệ ({d}/{m}/{y}), cần nhập tay"), Some(line.span())),
        },
        (Ok(None), _, _) | (_, Ok(None), _) | (_, _, Ok(None)) => {
            warn(meta, "date_blank", "Ngày ban hành để trống (dự thảo?)", Some(line.span()));
        }
        _ => warn(meta, "date_unreadable", "Ngày ban hành không đọc được rõ, cần nhập tay", Some(line.span())),
    }
}

/// The type line (`CHỈ THỊ`) and the subject under it; or, for a công văn, `V/v …` in the
/// left column with its wrapped lines.
fn read_kind_and_subject(meta: &mut Document, header: &[TextLine<'_>]) {
    if let Some(i) = header.iter().position(|l| crate::layout::is_type_line(l.text)) {
        meta.kind = kinds::kind_of_type_line(header[i].text).map(str::to_owned);
        meta.subject = header
            .get(i + 1)
            .filter(|l| !is_enacting(l.text))
            .map(|l| strip_vv(l.text).trim().trim_end_matches('.').trim_end().to_owned())
            .filter(|s| !s.is_empty());
        return;
    }
    if let Some(i) = header.iter().position(|l| is_vv(l.text)) {
        meta.kind = Some("cong_van".to_owned());
        let mut subject = strip_vv(header[i].text).to_owned();
        for line in &header[i + 1..] {
            let t = line.text.trim();
            if is_motto(t) || is_number_line(t) || t.contains(", ngày") || crate::layout::is_upper(t) && t.chars().any(char::is_alphabetic) {
                break;
            }
            subject.push(' ');
            subject.push_str(t);
        }
        meta.subject = Some(subject.trim().trim_end_matches('.').trim_end().to_owned()).filter(|s| !s.is_empty());
        return;
    }
    meta.kind = meta.symbol.as_deref().and_then(kinds::kind_of_symbol).map(str::to_owned);
    if meta.kind.is_none() {
        warn(meta, "kind_unknown", "Không xác định được loại văn bản", None);
    }
}

/// `ỦY BAN NHÂN DÂN TỈNH LÀO CAI` above `Căn cứ …`: the enacting body, not a subject.
fn is_enacting(line: &str) -> bool {
    crate::layout::is_upper(line)
}

fn is_vv(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("V/v") || t.starts_with("V/V") || t.starts_with("Về việc")
}

fn strip_vv(line: &str) -> &str {
    let t = line.trim_start();
    let t = t.strip_prefix("V/v").or_else(|| t.strip_prefix("V/V")).or_else(|| t.strip_prefix("Về việc")).unwrap_or(t);
    t.trim_start_matches([':', ' '])
}

/// `Kính gửi: Sở Công Thương.` or `Kính gửi:` followed by `- …;` lines. Returns the index of
/// the first line of the body.
fn read_recipients(meta: &mut Document, lines: &[TextLine<'_>], start: usize, end: usize) -> usize {
    let Some(i) = (start..end.min(start + 6)).find(|&i| lines[i].text.starts_with("Kính gửi")) else {
        return start;
    };
    let mut inline = lines[i].text.trim_start_matches("Kính gửi").trim_start_matches([':', ' ']).trim().to_owned();
    let mut j = i + 1;
    // An addressee wrapped onto the next line ("… vật liệu nổ công nghiệp" / "trên địa bàn tỉnh").
    while !inline.is_empty() && j < end && lines[j].text.starts_with(|c: char| c.is_lowercase()) {
        inline.push(' ');
        inline.push_str(lines[j].text.trim());
        j += 1;
    }
    if !inline.is_empty() {
        meta.recipients.extend(split_inline_recipients(&inline));
    }
    while j < end {
        let t = lines[j].text.trim();
        let Some(entry) = t.strip_prefix(['-', '+', '•', '–']) else { break };
        meta.recipients.push(clean_entry(entry));
        j += 1;
    }
    j
}

/// One addressee written inline; several are separated by `;`.
fn split_inline_recipients(inline: &str) -> Vec<String> {
    inline.split(';').map(clean_entry).filter(|s| !s.is_empty()).collect()
}

fn clean_entry(entry: &str) -> String {
    // `_` and `—` are what OCR leaves of the column rule between the list and the signer.
    entry.trim().trim_end_matches([';', ',', ':', '_', '—', ' ']).trim_end_matches('.').trim().to_owned()
}

/// The signature block: the `Nơi nhận` list and the signer, in whatever order the rendering
/// put them (left column first, or the signer's top lines before the list in DOCX dumps).
fn read_signature(meta: &mut Document, block: &[TextLine<'_>]) {
    // Entries are cleaned only once complete: a wrapped entry's first line ends with a comma
    // that belongs to it.
    let mut entries: Vec<String> = Vec::new();
    let mut signer_lines: Vec<&str> = Vec::new();
    for line in block {
        let mut t = line.text.trim();
        if let Some(len) = crate::layout::copies_heading_len(t) {
            t = t[len..].trim_start_matches([':', ' ']).trim();
            if t.is_empty() {
                continue;
            }
        }
        if let Some(entry) = t.strip_prefix(['-', '+', '•', '–']) {
            let (entry, name) = split_trailing_name(entry.trim());
            entries.push(entry.to_owned());
            signer_lines.extend(name);
        } else if is_signer_line(t) || is_person_name(strip_rank(t)) {
            signer_lines.push(t);
        } else if is_caps(t) && signer_lines.last().is_some_and(|l| authority(l).is_some()) {
            // The principal's body on a line of its own: `KT. BỘ TRƯỞNG` / `BỘ QUỐC PHÒNG`.
            signer_lines.push(t);
        } else if let Some(last) = entries.last_mut().filter(|e| !e.ends_with([';', '.']) && signer_lines.is_empty()) {
            last.push(' ');
            last.push_str(t);
        } else if entries.last().is_some_and(|e| e.ends_with(';')) && t.ends_with([';', '.']) && t.chars().count() < 80 {
            // An item whose dash the rendering lost, between two items.
            entries.push(t.to_owned());
        }
        // Anything else is neither a recipient nor the signature: a contact line, a note,
        // what OCR made of the seal.
    }
    meta.copies_to.extend(entries.iter().map(|e| clean_entry(e)).filter(|e| !e.is_empty()));
    meta.signer = signer(&signer_lines);
}

/// OCR flattens the signer's name onto the last list line: `Lưu: VT, KTbngoc602 Đặng Văn Minh`.
fn split_trailing_name(entry: &str) -> (&str, Option<&str>) {
    if !entry.starts_with("Lưu") {
        return (entry, None);
    }
    let words: Vec<(usize, &str)> = entry.split_whitespace().map(|w| (w.as_ptr() as usize - entry.as_ptr() as usize, w)).collect();
    for n in (2..=4).rev() {
        if words.len() > n + 1 {
            let (at, _) = words[words.len() - n];
            let tail = &entry[at..];
            if is_person_name(tail) {
                return (entry[..at].trim_end(), Some(tail));
            }
        }
    }
    (entry, None)
}

/// Where no `Nơi nhận` list was found, the signer is the last capitalised position line of
/// the document followed by a name.
fn read_signer_without_list(meta: &mut Document, body: &[TextLine<'_>]) {
    let tail_start = body.len().saturating_sub(8);
    let tail = &body[tail_start..];
    if let Some(first) = tail.iter().position(|l| is_signer_line(l.text.trim())) {
        let lines: Vec<&str> = tail[first..].iter().map(|l| l.text.trim()).collect();
        meta.signer = signer(&lines);
    }
}

fn is_signer_line(t: &str) -> bool {
    authority(t).is_some() || (is_caps(t) && is_position(t))
}

fn is_caps(t: &str) -> bool {
    crate::layout::is_upper(t) && t.chars().filter(|c| c.is_alphabetic()).count() >= 3
}

fn is_position(t: &str) -> bool {
    names::is_position(t)
}

fn authority(t: &str) -> Option<(&'static str, &str)> {
    ["TM.", "KT.", "TL.", "TUQ.", "Q."].into_iter().find_map(|mark| t.strip_prefix(mark).map(|rest| (mark, rest.trim())))
}

/// Reads `TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG / Nguyễn Phước Bình`.
fn signer(lines: &[&str]) -> Option<Signer> {
    let mut out = Signer { authority: None, on_behalf_of: None, title: None, name: None };
    let mut last_position: Option<&str> = None;
    for &t in lines {
        if let (Some(whom), Some(principal)) = (last_position, out.on_behalf_of.as_mut())
            && is_body_name(t)
        {
            principal.push(' ');
            principal.push_str(&names::title(t));
            last_position = Some(whom);
            continue;
        }
        if let Some((mark, whom)) = authority(t) {
            if out.authority.is_none() {
                out.authority = Some(mark.to_owned());
                out.on_behalf_of = Some(names::title(whom)).filter(|w| !w.is_empty());
            }
            // An inner mark (`KT. CHÁNH VĂN PHÒNG` under `TL. CHỦ TỊCH`) is the deputy's
            // principal; the signer's own title is on the next line.
            last_position = Some(whom);
            continue;
        }
        if is_caps(t) && out.name.is_none() && is_position(t) {
            out.title = Some(names::title(t));
            last_position = None;
            continue;
        }
        let t = strip_rank(t);
        if is_person_name(t) {
            out.name = Some(t.to_owned());
            break;
        }
    }
    if out.authority.is_some() && out.on_behalf_of.is_none() {
        // Word files often put the principal in a frame of its own, so the text reads `KT.`
        // alone and `CHỦ TỊCH` after the name: the head's position is the one no deputy holds.
        out.on_behalf_of = lines
            .iter()
            .map(|t| t.trim())
            .filter(|t| is_caps(t) && is_position(t) && authority(t).is_none())
            .map(names::title)
            .find(|p| !p.starts_with("Phó") && Some(p) != out.title.as_ref());
    }
    if out.title.is_none() {
        // `KT. CHỦ TỊCH` directly above a name: the mark's principal is all we have.
        out.title = last_position.filter(|_| out.authority.as_deref() != Some("KT.")).map(names::title);
    }
    // KT. means a deputy signs for the head: a title equal to the head's is a title whose
    // "PHÓ" was lost (OCR), so it is not known.
    if out.authority.as_deref() == Some("KT.") && out.title.is_some() && out.title == out.on_behalf_of {
        out.title = None;
    }
    (out.title.is_some() || out.name.is_some() || out.authority.is_some()).then_some(out)
}

/// A body's name in capitals (`BỘ QUỐC PHÒNG`), as printed under its head's position.
fn is_body_name(t: &str) -> bool {
    const BODIES: [&str; 8] = ["bo ", "uy ban ", "ubnd ", "so ", "cuc ", "tong cuc ", "vien ", "toa an "];
    let folded = vn_text::fold(t);
    is_caps(t) && authority(t).is_none() && !is_position(t) && BODIES.iter().any(|b| folded.starts_with(b))
}

/// A police or army rank before a signer's name ("Thiếu tướng Trương Minh Đương") is not
/// part of the name.
fn strip_rank(t: &str) -> &str {
    const RANKS: [&str; 8] = ["Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá"];
    RANKS.iter().find_map(|r| t.strip_prefix(r)).map_or(t, str::trim_start)
}

/// Two to five capitalised words of letters: "Đặng Văn Minh".
fn is_person_name(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && !["Chương", "Điều", "Mục", "Phần", "Phụ"].contains(&words[0])
        && words.iter().all(|w| {
            let mut chars = w.chars();
            w.chars().count() >= 2 && chars.next().is_some_and(char::is_uppercase) && chars.all(char::is_lowercase)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(text: &str) -> Document {
        let layout = crate::layout::repair(text);
        let lines = lines(&layout.text);
        let mut doc = Document::empty(crate::Source { file: String::new(), format: "text".into(), sha256: String::new() });
        read(&layout, &lines, &mut doc);
        doc
    }

    #[test]
    fn draft_blanks_are_null_with_warnings() {
        let m = meta_of("UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\nSố:      /QĐ-SCT\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLào Cai, ngày      tháng 5 năm 2026\nQUYẾT ĐỊNH\nKiểm tra việc chấp hành\n");
        assert_eq!(m.number, None);
        assert_eq!(m.code, None);
        assert_eq!(m.symbol.as_deref(), Some("QĐ-SCT"));
        assert_eq!(m.date, None);
        assert_eq!(m.place.as_deref(), Some("Lào Cai"));
        assert_eq!(m.kind.as_deref(), Some("quyet_dinh"));
        let issuer = m.issuer.unwrap();
        assert_eq!(issuer.name, "Sở Công Thương");
        assert_eq!(issuer.parent.as_deref(), Some("Ủy ban nhân dân tỉnh Lào Cai"));
        let codes: Vec<&str> = m.warnings.iter().map(|w| w.code.as_str()).collect();
        assert!(codes.contains(&"number_blank") && codes.contains(&"date_blank"), "{codes:?}");
    }

    #[test]
    fn ocr_noise_in_the_number_is_not_fixed() {
        let m = meta_of("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\nSố: Ø2 /CT-UBND Quảng Ngãi, ngày 80 tháng 3 năm 2018\nCHỈ THỊ\nVề việc tăng cường\n");
        assert_eq!(m.number, None);
        assert_eq!(m.date, None);
        assert_eq!(m.symbol.as_deref(), Some("CT-UBND"));
        assert_eq!(m.kind.as_deref(), Some("chi_thi"));
        let codes: Vec<&str> = m.warnings.iter().map(|w| w.code.as_str()).collect();
        assert!(codes.contains(&"number_unreadable") && codes.contains(&"date_unreadable"), "{codes:?}");
    }

    #[test]
    fn secret_documents_are_reported() {
        let m = meta_of("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/UBND-NC\nMẬT\nQuảng Ngãi, ngày 02 tháng 3 năm 2025\nV/v bảo vệ\n");
        assert_eq!(m.secrecy.as_deref(), Some("MẬT"));
        assert!(m.warnings.iter().any(|w| w.code == "secret"));
    }

    #[test]
    fn stacked_signature() {
        let m = meta_of("Nơi nhận:                                          TL. CHỦ TỊCH\n- CT, PCT UBND tỉnh;                          KT. CHÁNH VĂN PHÒNG\n- Các Sở: Tài chính,                          PHÓ CHÁNH VĂN PHÒNG\n  Nội vụ, Tư pháp;\n- Lưu: VT, KTTHh5.                                Nguyễn Phước Bình\n");
        assert_eq!(m.copies_to, ["CT, PCT UBND tỉnh", "Các Sở: Tài chính, Nội vụ, Tư pháp", "Lưu: VT, KTTHh5"]);
        let s = m.signer.unwrap();
        assert_eq!(s.authority.as_deref(), Some("TL."));
        assert_eq!(s.on_behalf_of.as_deref(), Some("Chủ tịch"));
        assert_eq!(s.title.as_deref(), Some("Phó Chánh Văn phòng"));
        assert_eq!(s.name.as_deref(), Some("Nguyễn Phước Bình"));
    }
}
