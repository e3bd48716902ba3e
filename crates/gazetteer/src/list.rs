//! Reading an addressee phrase — what follows "giao", "phối hợp với", "đề nghị" — into parties.
//!
//! The phrase is first searched with [`Gazetteer::find_all`]; the text between mentions is then
//! cut at hard separators (`,` `;` `:`) into pieces and at "và"/"cùng" into chunks. Commas and
//! "và" also occur inside names ("Kế hoạch và Đầu tư", "Công ty TNHH MTV Đầu tư, Xây dựng và
//! Kinh doanh dịch vụ Quảng Ngãi", "các tổ chức, cá nhân được cấp giấy phép thăm dò, khai thác
//! khoáng sản"), so a chunk only starts a new party when it visibly does: it resolves to an
//! agency under a shared head, begins with an organisation head ("Công ty", "Hội", "Ban" …), a
//! person's title ("ông", "bà"), or "các". Anything else continues the unknown body or group
//! being read, or is dropped when there is none (predicates such as "chủ trì").

use std::ops::Range;

use crate::{Gazetteer, Mention, MentionKind, display_name};

/// A party named in an addressee phrase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Party {
    /// An agency of the gazetteer, by canonical name.
    Agency(String),
    /// A group addressee as written ("Các sở, ban ngành tỉnh"), "UBND" expanded, first letter
    /// capitalised. A valid `lead`.
    Group(String),
    /// A body the gazetteer does not know (a firm, an association, a sub-unit) or a person,
    /// as written (a person without "ông"/"bà").
    Unknown(String),
    /// A catch-all ("các cơ quan, đơn vị liên quan"). Reported so that callers see the whole
    /// phrase was read, but it is not a body: leave it out of `lead` and `support`.
    CatchAll(String),
}

impl Party {
    /// The name, whatever the kind.
    pub fn name(&self) -> &str {
        match self {
            Party::Agency(n) | Party::Group(n) | Party::Unknown(n) | Party::CatchAll(n) => n,
        }
    }

    /// Whether this is a catch-all, to be left out of `lead` and `support`.
    pub fn is_catch_all(&self) -> bool {
        matches!(self, Party::CatchAll(_))
    }
}

/// Words that join parties or introduce them; stripped from the ends of a piece.
const CONNECTORS: &[&str] =
    &["phối hợp với", "phối hợp", "cùng với", "và", "cùng", "với", "giao", "đề nghị", "yêu cầu", "chủ trì", "gồm", "kính gửi", "gửi"];

/// Titles of heads of bodies: "Giám đốc Sở Công Thương" is Sở Công Thương (gold convention).
const TITLES: &[&str] = &[
    "phó giám đốc", "giám đốc", "tổng giám đốc", "thủ trưởng", "phó chủ tịch", "chủ tịch", "chánh văn phòng",
    "chánh thanh tra", "chánh án", "chánh", "phó trưởng ban", "trưởng ban", "cục trưởng", "chi cục trưởng",
    "viện trưởng", "chỉ huy trưởng", "người đứng đầu", "lãnh đạo", "bí thư", "trưởng",
];

const PERSON_PREFIXES: &[&str] = &["đồng chí", "đ/c", "ông", "bà"];

/// First words of organisation names; a chunk starting with one (capitalised) is a new body.
const ORG_HEADS: &[&str] = &[
    "tổng công ty", "công ty", "chi nhánh", "hợp tác xã", "htx", "doanh nghiệp", "tập đoàn", "hiệp hội", "liên hiệp",
    "liên đoàn", "hội đồng", "chi hội", "hội", "trường", "bệnh viện", "trung tâm", "ban", "đoàn", "tổ", "phòng",
    "chi cục", "tổng cục", "cục", "vụ", "học viện", "viện", "đại học", "báo", "tạp chí", "đài", "ủy ban", "ubnd",
    "quỹ", "ngân hàng", "văn phòng", "đội", "trạm", "nhà máy", "xí nghiệp", "cảng", "kho bạc", "bảo hiểm",
    "thanh tra", "công an", "bộ", "sở", "cơ quan", "tỉnh ủy", "huyện ủy", "thành ủy", "đảng ủy", "thường trực",
    "câu lạc bộ", "nhà xuất bản", "hạt", "bưu điện", "viễn thông",
];

/// Common family names, to cut a table cell listing people without separators
/// ("Đỗ Mạnh Cường Vũ Việt Linh").
const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Đoàn", "Trương", "Lâm", "Mai", "Cao", "Lương", "Hà", "Tạ", "Châu", "Thái", "Tô", "Trịnh", "Lưu",
    "Vương", "Quách", "Kiều", "Từ", "Đàm", "Nông", "Hứa", "La", "Giang",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum PendingKind {
    Group,
    Org,
    Person,
}

/// What the last item read was, to decide what text glued to it belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of the phrase, or a separator.
    Nothing,
    /// The pending group, body or person.
    Pending,
    /// An agency or catch-all already emitted.
    Emitted,
}

struct Reader<'a> {
    g: &'a Gazetteer,
    phrase: &'a str,
    out: Vec<Party>,
    pending: Option<(PendingKind, Range<usize>)>,
    head: Option<&'static str>,
    last: Last,
    /// The span and name of the last group mention: a pending group starting there is named
    /// from it, so that the matcher's repair of an OCR-damaged name carries over.
    group: Option<(Range<usize>, String)>,
}

impl Gazetteer {
    /// Reads an addressee phrase into parties, in order, without duplicates:
    ///
    /// - agencies by canonical name, shared heads expanded ("các Sở: Tài chính, Kế hoạch và Đầu
    ///   tư" and "Sở Tài chính, Xây dựng" give each "Sở …"); titles dropped ("Giám đốc Sở Y tế"
    ///   is Sở Y tế);
    /// - groups as written, with the words that qualify them ("Các tổ chức, cá nhân hoạt động
    ///   vật liệu nổ công nghiệp trên địa bàn tỉnh Lào Cai");
    /// - unknown bodies and persons as written ("Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh
    ///   dịch vụ Quảng Ngãi"; "ông Nguyễn Văn A" is "Nguyễn Văn A"); a sub-unit written with its
    ///   parent stays one unknown body ("Phòng … (PC06) - Công an tỉnh");
    /// - catch-alls as [`Party::CatchAll`], which callers leave out of `lead` and `support`.
    pub fn parse_list(&self, phrase: &str) -> Vec<Party> {
        self.parse_mentions(phrase, &self.find_all(phrase))
    }

    /// [`Gazetteer::parse_list`] of a phrase whose mentions are at hand: `mentions` must be
    /// what [`Gazetteer::find_all`] returns for `phrase`. For callers that search the phrase
    /// first anyway.
    pub fn parse_mentions(&self, phrase: &str, mentions: &[Mention]) -> Vec<Party> {
        let mut r = Reader { g: self, phrase, out: Vec::new(), pending: None, head: None, last: Last::Nothing, group: None };
        let mut cursor = 0;
        for m in mentions {
            r.gap(cursor..m.span.start);
            r.mention(m);
            cursor = m.span.end;
        }
        r.gap(cursor..phrase.len());
        r.flush();
        let mut seen = std::collections::HashSet::new();
        r.out.retain(|p| seen.insert(p.clone()));
        r.out
    }
}

impl Reader<'_> {
    fn mention(&mut self, m: &Mention) {
        let glued = |range: &Range<usize>| {
            self.phrase[range.end..m.span.start].chars().all(|c| c.is_whitespace() || "-–—()".contains(c))
        };
        let absorbs = m.kind == MentionKind::Agency
            && self.last == Last::Pending
            && matches!(&self.pending, Some((PendingKind::Org | PendingKind::Group, r)) if glued(r));
        if absorbs {
            self.extend(m.span.end);
            return;
        }
        self.flush();
        match m.kind {
            MentionKind::Agency => {
                self.out.push(Party::Agency(m.name.clone()));
                self.head = ["Sở", "Bộ"].into_iter().find(|h| m.name.strip_prefix(h).is_some_and(|r| r.starts_with(' ')));
                self.last = Last::Emitted;
            }
            MentionKind::Group => {
                self.pending = Some((PendingKind::Group, m.span.clone()));
                self.group = Some((m.span.clone(), m.name.clone()));
                self.head = None;
                self.last = Last::Pending;
            }
            MentionKind::CatchAll => {
                self.out.push(Party::CatchAll(m.name.clone()));
                self.head = None;
                self.last = Last::Emitted;
            }
        }
    }

    /// Reads the text between two mentions.
    fn gap(&mut self, range: Range<usize>) {
        let text = &self.phrase[range.clone()];
        let mut start = range.start;
        let mut first = true;
        let mut pieces = Vec::new();
        for (i, c) in text.char_indices() {
            if matches!(c, ',' | ';' | ':') {
                pieces.push((start..range.start + i, Some(c)));
                start = range.start + i + c.len_utf8();
            }
        }
        pieces.push((start..range.end, None));
        for (piece, sep) in pieces {
            self.piece(piece, sep, first);
            first = false;
        }
    }

    fn piece(&mut self, piece: Range<usize>, sep: Option<char>, first: bool) {
        let r = trim(self.phrase, piece);
        let (r, before) = strip_start(self.phrase, r, CONNECTORS);
        let (r, after) = strip_end(self.phrase, r, CONNECTORS);
        if r.is_empty() {
            if before || after || !first {
                self.last = Last::Nothing;
            }
            return;
        }
        if sep == Some(':') {
            // A list heading ("các Sở:", "các hội:"): never a party, maybe a shared head.
            self.flush();
            self.head = shared_head(&self.phrase[r.clone()]).filter(|(_, rest)| rest.is_empty()).map(|(h, _)| h);
            self.last = Last::Nothing;
            return;
        }
        if first && !before && self.last != Last::Nothing {
            if self.last == Last::Pending && matches!(self.pending, Some((PendingKind::Org | PendingKind::Group, _))) {
                self.extend(r.end);
            }
            // Text glued to an agency is a predicate ("Sở Y tế chủ trì"), not a party.
            self.last = if after { Last::Nothing } else { self.last };
            return;
        }
        let mut r = r;
        if let Some((h, rest)) = shared_head(&self.phrase[r.clone()]) {
            self.head = Some(h);
            r = r.end - rest.len()..r.end;
        }
        if let Some(head) = self.head {
            if let Some(names) = self.resolve(head, &self.phrase[r.clone()]) {
                self.flush();
                self.out.extend(names.into_iter().map(Party::Agency));
                self.last = if after { Last::Nothing } else { Last::Emitted };
                return;
            }
            self.head = None;
        }
        for chunk in split_words(self.phrase, r, &["và", "cùng"]) {
            self.chunk(chunk);
        }
        if after {
            self.last = Last::Nothing;
        }
    }

    fn chunk(&mut self, chunk: Range<usize>) {
        let (r, _) = strip_start(self.phrase, trim(self.phrase, chunk), TITLES);
        let (r, person) = strip_start(self.phrase, r, PERSON_PREFIXES);
        let r = trim(self.phrase, r);
        if r.is_empty() {
            return;
        }
        let text = &self.phrase[r.clone()];
        let org = is_org_head(text);
        let capital = text.chars().next().is_some_and(char::is_uppercase);
        let pending = self.pending.as_ref().map(|(k, _)| *k);
        let new_party = person
            || org
            || starts_with_words(text, &["các"]).is_some()
            || (pending == Some(PendingKind::Person) && capital);
        if !new_party && matches!(pending, Some(PendingKind::Org | PendingKind::Group)) {
            self.extend(r.end);
            self.last = Last::Pending;
            return;
        }
        if !capital {
            self.last = Last::Nothing;
            return;
        }
        self.flush();
        if org {
            self.pending = Some((PendingKind::Org, r));
        } else if person || person_like(text) {
            let mut people = split_people(self.phrase, r);
            let last = people.pop();
            self.out.extend(people.into_iter().map(|p| Party::Unknown(display_name(&self.phrase[p]))));
            self.pending = last.map(|p| (PendingKind::Person, p));
        } else {
            self.pending = Some((PendingKind::Org, r));
        }
        self.last = Last::Pending;
    }

    /// Agencies named by `item` under a shared head: the whole item, or parts joined by "và"
    /// ("Kế hoạch và Đầu tư và Xây dựng" → two), trying the whole first so that "và" inside a
    /// name never splits it.
    fn resolve(&self, head: &str, item: &str) -> Option<Vec<String>> {
        let item = item.trim();
        if item.is_empty() {
            return None;
        }
        if let Some(a) = self.g.canonical(&format!("{head} {item}")) {
            return Some(vec![a.name().to_string()]);
        }
        for (w, lower) in words(item) {
            if lower != "và" {
                continue;
            }
            let left = self.g.canonical(&format!("{head} {}", item[..w.start].trim()));
            if let (Some(a), Some(rest)) = (left, self.resolve(head, &item[w.end..])) {
                let mut names = vec![a.name().to_string()];
                names.extend(rest);
                return Some(names);
            }
        }
        None
    }

    fn extend(&mut self, end: usize) {
        if let Some((_, range)) = &mut self.pending {
            range.end = range.end.max(end);
        }
    }

    fn flush(&mut self) {
        if let Some((kind, range)) = self.pending.take() {
            let written = match &self.group {
                Some((span, name)) if kind == PendingKind::Group && span.start == range.start && span.end <= range.end => {
                    format!("{name}{}", &self.phrase[span.end..range.end])
                }
                _ => self.phrase[range].to_owned(),
            };
            let name = display_name(written.trim_end_matches(|c: char| ",;:.-–—/ ".contains(c)));
            self.out.push(match kind {
                PendingKind::Group => Party::Group(name),
                PendingKind::Org | PendingKind::Person => Party::Unknown(name),
            });
        }
    }
}

/// Trims white space, stray punctuation and unbalanced brackets from both ends.
fn trim(s: &str, mut r: Range<usize>) -> Range<usize> {
    loop {
        let t = &s[r.clone()];
        let Some(first) = t.chars().next() else { return r };
        let last = t.chars().next_back().unwrap_or(first);
        let stray = |c: char| c.is_whitespace() || ".-–—/\"'“”‘’*+•".contains(c);
        if stray(first) || (first == '(' && !t.contains(')')) || first == ')' {
            r.start += first.len_utf8();
        } else if stray(last) || (last == ')' && !t.contains('(')) || last == '(' {
            r.end -= last.len_utf8();
        } else {
            return r;
        }
    }
}

/// Lower-case words of `s` with their byte ranges.
fn words(s: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((st..i, s[st..i].to_lowercase()));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// If `s` starts with the words of `phrase` (case-insensitive), the byte length they take.
/// Called for every connector and title on every piece of every list, so it reads only as
/// many words as the phrase has and lower-cases them without allocating.
fn starts_with_words(s: &str, phrase: &[&str]) -> Option<usize> {
    let mut words = s.split_whitespace();
    let mut end = None;
    for want in phrase.iter().flat_map(|p| p.split(' ')) {
        let word = words.next()?;
        if !word.chars().flat_map(char::to_lowercase).eq(want.chars()) {
            return None;
        }
        end = Some(word.as_ptr() as usize - s.as_ptr() as usize + word.len());
    }
    end
}

/// The most words of any phrase in the lists above.
const MOST_WORDS: usize = 4;

/// [`starts_with_words`] of the first phrase of `list` that `s` starts with: the leading words
/// of `s` are lower-cased once for the whole list (of up to [`MOST_WORDS`] words a phrase)
/// rather than once per phrase.
fn starts_with_any(s: &str, list: &[&str]) -> Option<usize> {
    let lead: Vec<(usize, String)> = s
        .split_whitespace()
        .take(MOST_WORDS)
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize + w.len(), w.chars().flat_map(char::to_lowercase).collect()))
        .collect();
    list.iter().find_map(|phrase| {
        let mut end = None;
        for (k, want) in phrase.split(' ').enumerate() {
            let (word_end, word) = lead.get(k)?;
            if word != want {
                return None;
            }
            end = Some(*word_end);
        }
        end
    })
}

fn strip_start(s: &str, mut r: Range<usize>, list: &[&str]) -> (Range<usize>, bool) {
    let mut stripped = false;
    while let Some(len) = starts_with_any(&s[r.clone()], list) {
        r = trim(s, r.start + len..r.end);
        stripped = true;
    }
    (r, stripped)
}

fn strip_end(s: &str, mut r: Range<usize>, list: &[&str]) -> (Range<usize>, bool) {
    let mut stripped = false;
    'outer: loop {
        // Only the last words can end with a phrase of up to MOST_WORDS words.
        let piece = &s[r.clone()];
        let mut w: Vec<(Range<usize>, String)> = piece
            .split_whitespace()
            .rev()
            .take(MOST_WORDS)
            .map(|word| {
                let start = word.as_ptr() as usize - piece.as_ptr() as usize;
                (start..start + word.len(), word.to_lowercase())
            })
            .collect();
        w.reverse();
        for p in list {
            let want: Vec<&str> = p.split(' ').collect();
            if w.len() >= want.len() && w[w.len() - want.len()..].iter().zip(&want).all(|((_, a), b)| a == b) {
                let cut = w[w.len() - want.len()].0.start;
                r = trim(s, r.start..r.start + cut);
                stripped = true;
                continue 'outer;
            }
        }
        return (r, stripped);
    }
}

/// "các sở …", "các Sở" or "các bộ …": the head and the rest of the text.
fn shared_head(s: &str) -> Option<(&'static str, &str)> {
    [("Sở", "sở"), ("Bộ", "bộ")].into_iter().find_map(|(head, lower)| {
        starts_with_words(s, &["các", lower]).map(|len| (head, s[len..].trim_start()))
    })
}

/// Cuts `r` at the whole words of `seps`, dropping them.
fn split_words(s: &str, r: Range<usize>, seps: &[&str]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for (w, lower) in words(&s[r.clone()]) {
        if seps.contains(&lower.as_str()) {
            out.push(start..r.start + w.start);
            start = r.start + w.end;
        }
    }
    out.push(start..r.end);
    out
}

fn is_org_head(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
        && starts_with_any(text, ORG_HEADS).is_some()
}

/// Two to twelve capitalised words of letters only: one person's name or several in a row.
fn person_like(text: &str) -> bool {
    let w: Vec<&str> = text.split_whitespace().collect();
    (2..=12).contains(&w.len())
        && w.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic))
}

/// Cuts a run of names at family names, once the name being read has three words
/// ("Đỗ Mạnh Cường Vũ Việt Linh" → two people; "Lê Văn Lương" stays one).
fn split_people(s: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let w = words(&s[r.clone()]);
    if w.len() < 5 {
        return vec![r];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, (range, _)) in w.iter().enumerate() {
        let word = &s[r.start + range.start..r.start + range.end];
        if i - start >= 3 && SURNAMES.contains(&word) {
            out.push(r.start + w[start].0.start..r.start + w[i - 1].0.end);
            start = i;
        }
    }
    out.push(r.start + w[start].0.start..r.end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_phrase_is_longer_than_most_words() {
        for list in [CONNECTORS, TITLES, PERSON_PREFIXES, ORG_HEADS] {
            assert!(list.iter().all(|p| p.split(' ').count() <= MOST_WORDS));
        }
    }
}
