//! The agency gazetteer of nhiemvu: who is who in a province, as data, and the matcher the task
//! extractor uses to find agencies in directive text.
//!
//! - [`Gazetteer::embedded`]: the directory shipped in `data/agencies.csv` and `data/groups.csv`
//!   (Quảng Ngãi's departments and provincial bodies, its districts, the central government).
//!   [`Gazetteer::from_csv`] builds one from files an administrator supplies.
//! - [`Gazetteer::find_all`]: every agency, group addressee and catch-all in a text, with spans.
//! - [`Gazetteer::parse_list`]: an addressee phrase ("các Sở: Tài chính, Xây dựng và các cơ
//!   quan liên quan") read into [`Party`] values: agencies by canonical name, groups and
//!   unknown bodies as written.
//! - [`Gazetteer::canonical`]: exact lookup of one name in any of its spellings.
//!
//! Matching works on [`vn_text::fold`]ed, tokenised text (see `key.rs`), so case, tone style,
//! line breaks and spacing around punctuation do not matter, while names only match whole
//! tokens. Diacritics and case still count where they carry meaning: abbreviations must match
//! exactly ("CAT" is Công an tỉnh, "cát" is sand), an agency's mention must contain a capital
//! letter (agency names are always capitalised; "thanh tra tỉnh" in lower case is an activity),
//! and when two entries fold alike the one whose diacritics agree with the text wins. Nothing
//! is approximate beyond that: "Sở Tài chính" and "Sở Tư pháp" share no key.
//!
//! Known limit: two names with nothing between them but white space, where the first may end in
//! "tỉnh" and the second starts with it ("Trung tâm Xúc tiến đầu tư\nTỉnh ủy"), read as the
//! longer first name; the second is lost. Lists in directives separate names by punctuation,
//! "và" or a bullet, which is enough.
#![warn(missing_docs)]

mod agency;
mod csv;
mod error;
mod key;
mod list;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

pub use agency::{Agency, AgencyKind};
pub use error::{Error, ErrorKind};
pub use list::Party;

/// The agency data shipped with the crate.
pub const AGENCIES_CSV: &str = include_str!("../data/agencies.csv");
/// The group and catch-all data shipped with the crate.
pub const GROUPS_CSV: &str = include_str!("../data/groups.csv");

const AGENCY_COLUMNS: [&str; 7] = ["name", "kind", "aliases", "valid_from", "valid_to", "successor", "note"];
const GROUP_COLUMNS: [&str; 4] = ["name", "kind", "variants", "note"];

/// Province names that may follow an agency's name ("Sở Tài chính tỉnh Quảng Ngãi") and are
/// dropped from it. A closed list rather than "any capitalised words", so that "Sở Tài chính Công
/// an tỉnh" (a missing comma) does not swallow the next agency. All 63 provinces before the 2025
/// merger, which include the 34 names after it.
const PROVINCES: &[&str] = &[
    "Quảng Ngãi", "Kon Tum", "Hà Nội", "Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ",
    "Huế", "Thừa Thiên Huế", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu",
    "Sơn La", "Yên Bái", "Hòa Bình", "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ", "Vĩnh Phúc",
    "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Quảng Nam", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận",
    "Bình Thuận", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Bình Dương", "Đồng Nai",
    "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang",
    "Kiên Giang", "Cà Mau", "Bạc Liêu", "Sóc Trăng", "Hậu Giang", "QN", "QNg",
];

/// Abbreviations expanded in names reported as written (groups, unknown bodies) and generated
/// as variants of names that contain the long form.
const EXPANSIONS: &[(&str, &str)] = &[
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("MTTQVN", "Mặt trận Tổ quốc Việt Nam"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("TW", "Trung ương"),
];

/// What a [`Mention`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    /// An agency of the gazetteer; the name is canonical.
    Agency,
    /// A group addressee ("các sở, ban, ngành của tỉnh"); the name is as written.
    Group,
    /// A catch-all ("các cơ quan, đơn vị liên quan"): not a body, never a lead or support.
    CatchAll,
}

/// An agency, group or catch-all found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the text searched, including a dropped province suffix ("Sở Tài chính tỉnh
    /// Quảng Ngãi") and a group's qualifiers ("các sở, ban, ngành của tỉnh").
    pub span: Range<usize>,
    /// For an agency its canonical name; for a group or catch-all the text of the span as
    /// written, with "UBND" expanded, new-style tones, white space collapsed and the first letter
    /// capitalised ("Ủy ban nhân dân các huyện, thị xã, thành phố").
    pub name: String,
    /// What was found.
    pub kind: MentionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Agency(usize),
    Group,
    CatchAll,
}

/// One spelling of a name, keyed. Several may share a key when they differ only in diacritics
/// or in the case of abbreviations.
struct Pattern {
    target: Target,
    /// Lower-case canonical spelling, to prefer the entry whose diacritics agree with the text.
    exact: String,
    /// Abbreviation tokens (two or more capitals) as key ranges within the pattern and the
    /// exact spelling the text must have there.
    acronyms: Vec<(Range<usize>, String)>,
    /// Every word is an abbreviation ("SKHĐT"): such a match is rejected inside a document code
    /// ("1629/SCT-CN"), which names the issuer, not an addressee.
    only_acronyms: bool,
    /// The tokens of `exact`, one per key token: the spelling a group mention damaged by OCR
    /// is repaired to.
    words: Vec<String>,
}

/// The agency directory and its matcher. Cheap to share: build once ([`Gazetteer::embedded`])
/// and call from any thread.
pub struct Gazetteer {
    agencies: Vec<Agency>,
    by_name: HashMap<String, usize>,
    group_names: Vec<String>,
    catch_all_names: Vec<String>,
    matcher: AhoCorasick,
    patterns: Vec<Vec<Pattern>>,
    /// The keys of the patterns, by slot.
    keys: Vec<String>,
    /// For a slot holding a group spelling, the slots of the longer group spellings that start
    /// with it ("… các huyện, thị xã" → "… các huyện, thị xã, thành phố"), for OCR repair.
    extensions: HashMap<usize, Vec<usize>>,
    /// Keys of the qualifiers that may extend a group, longest first.
    qualifiers: Vec<String>,
    /// Keys of province names, longest first.
    provinces: Vec<String>,
    /// Key of "tỉnh" and the two spellings of "related", which turn a group into a catch-all.
    tinh: String,
    related: [String; 2],
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("agencies", &self.agencies.len())
            .field("groups", &self.group_names.len())
            .field("catch_alls", &self.catch_all_names.len())
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

impl Gazetteer {
    /// The gazetteer built from the data shipped with the crate, built on first use.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| match Gazetteer::from_csv(AGENCIES_CSV, GROUPS_CSV) {
            Ok(g) => g,
            // The shipped files are checked by the `embedded_data_is_valid` test, so this only
            // fires on a build whose data files were edited without running the tests.
            Err(e) => panic!("embedded gazetteer data is invalid: {e}"),
        })
    }

    /// Builds a gazetteer from the text of an agencies file and a groups file in the formats of
    /// `data/agencies.csv` and `data/groups.csv` (their header comments describe the columns).
    pub fn from_csv(agencies: &str, groups: &str) -> Result<Gazetteer, Error> {
        let mut b = Builder::default();
        let mut rows = Vec::new();
        for r in csv::read("agencies", agencies, &AGENCY_COLUMNS)? {
            let [name, kind, aliases, from, to, successor, note] = <[String; 7]>::try_from(r.fields)
                .map_err(|f| Error::new("agencies", r.line, ErrorKind::FieldCount { expected: 7, found: f.len() }))?;
            let name = vn_text::canonical(&name);
            if name.is_empty() {
                return Err(Error::new("agencies", r.line, ErrorKind::EmptyName(name)));
            }
            let kind = AgencyKind::parse(&kind).ok_or_else(|| Error::new("agencies", r.line, ErrorKind::UnknownKind(kind)))?;
            for d in [&from, &to] {
                if !d.is_empty() && !agency::valid_date(d) {
                    return Err(Error::new("agencies", r.line, ErrorKind::BadDate(d.clone())));
                }
            }
            if !from.is_empty() && !to.is_empty() && to < from {
                return Err(Error::new("agencies", r.line, ErrorKind::DatesReversed { from, to }));
            }
            if b.by_name.contains_key(&name) {
                return Err(Error::new("agencies", r.line, ErrorKind::DuplicateName(name)));
            }
            let aliases: Vec<String> =
                aliases.split('|').map(vn_text::canonical).filter(|a| !a.is_empty()).collect();
            let index = b.agencies.len();
            b.by_name.insert(name.clone(), index);
            for variant in std::iter::once(&name).chain(&aliases) {
                b.add("agencies", r.line, variant, Target::Agency(index))?;
            }
            let opt = |s: String| if s.is_empty() { None } else { Some(vn_text::canonical(&s)) };
            b.agencies.push(Agency {
                name,
                kind,
                aliases,
                valid_from: opt(from),
                valid_to: opt(to),
                successor: opt(successor),
                note,
            });
            rows.push(r.line);
        }
        for r in csv::read("groups", groups, &GROUP_COLUMNS)? {
            let [name, kind, variants, _note] = <[String; 4]>::try_from(r.fields)
                .map_err(|f| Error::new("groups", r.line, ErrorKind::FieldCount { expected: 4, found: f.len() }))?;
            let name = vn_text::canonical(&name);
            if name.is_empty() {
                return Err(Error::new("groups", r.line, ErrorKind::EmptyName(name)));
            }
            let variants: Vec<String> =
                variants.split('|').map(vn_text::canonical).filter(|a| !a.is_empty()).collect();
            let all = std::iter::once(&name).chain(&variants);
            match kind.as_str() {
                "group" => {
                    for v in all {
                        b.add("groups", r.line, v, Target::Group)?;
                    }
                    b.group_names.push(name);
                }
                "catch_all" => {
                    for v in all {
                        b.add("groups", r.line, v, Target::CatchAll)?;
                        if v.ends_with(" liên quan") && !v.ends_with(" có liên quan") {
                            let with_co = format!("{} có liên quan", &v[..v.len() - " liên quan".len()]);
                            b.add("groups", r.line, &with_co, Target::CatchAll)?;
                        }
                    }
                    b.catch_all_names.push(name);
                }
                "qualifier" => {
                    for v in all {
                        for g in generated(v) {
                            b.qualifiers.push(key::build(&g).key);
                        }
                    }
                }
                _ => return Err(Error::new("groups", r.line, ErrorKind::UnknownKind(kind))),
            }
        }
        for (a, line) in b.agencies.iter().zip(rows) {
            let known = |s: &&String| b.by_name.contains_key(*s) || b.group_names.contains(s);
            if let Some(s) = a.successor.as_ref().filter(|s| !known(s)) {
                return Err(Error::new("agencies", line, ErrorKind::UnknownSuccessor(s.clone())));
            }
        }
        b.finish()
    }

    /// All agencies, in the order of the data file.
    pub fn agencies(&self) -> &[Agency] {
        &self.agencies
    }

    /// The names of the group rows of the groups file (groups are reported as written, so these
    /// are labels, not the only names a group mention can have).
    pub fn group_names(&self) -> &[String] {
        &self.group_names
    }

    /// The names of the catch-all rows of the groups file.
    pub fn catch_all_names(&self) -> &[String] {
        &self.catch_all_names
    }

    /// Number of distinct keyed spellings the matcher searches for (names, aliases, generated
    /// variants of agencies, groups and catch-alls).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The agency a name denotes, when the whole of `name` is one spelling of it: canonical name,
    /// alias or variant, with or without a province suffix ("Sở KH&ĐT", "Sở Tài chính tỉnh
    /// Quảng Ngãi", "VPUB"). Case and diacritics are compared as in [`Gazetteer::find_all`].
    pub fn canonical(&self, name: &str) -> Option<&Agency> {
        let trimmed = name.trim();
        match self.find_all(trimmed).as_slice() {
            [m] if m.kind == MentionKind::Agency && m.span == (0..trimmed.len()) => self.agency_named(&m.name),
            _ => None,
        }
    }

    /// Every agency, group and catch-all mentioned in `text` (NFC, as [`vn_text::normalize`]
    /// returns it), in order, non-overlapping; where names overlap the one starting first wins,
    /// then the longest ("Văn phòng Ủy ban nhân dân tỉnh", not "Ủy ban nhân dân tỉnh";
    /// "các sở, ban, ngành liên quan" is a catch-all, not the group "các sở, ban, ngành").
    ///
    /// Linear in the length of the text: one folding pass and one Aho-Corasick pass.
    pub fn find_all(&self, text: &str) -> Vec<Mention> {
        self.mentions(&key::build(text), text)
    }

    /// [`Gazetteer::find_all`] of a text that a name may open: `None`, without reading on,
    /// when no name starts within its first `max_start` bytes (then no mention does either).
    /// For callers that only want a phrase that opens with a name, which most do not.
    pub fn find_all_if_opening(&self, text: &str, max_start: usize) -> Option<Vec<Mention>> {
        let k = key::build(text);
        // Matches come leftmost first: where the first starts, none starts before.
        let first = self.matcher.find(&k.key)?;
        if k.source_range(text, first.start() + 1, first.end() - 1).start > max_start {
            return None;
        }
        Some(self.mentions(&k, text))
    }

    fn mentions(&self, k: &key::Keyed, text: &str) -> Vec<Mention> {
        let raw: Vec<aho_corasick::Match> = self.matcher.find_iter(&k.key).collect();
        let mut out = Vec::new();
        let mut consumed = 0;
        for (n, m) in raw.iter().enumerate() {
            if m.start() < consumed {
                continue;
            }
            let Some(target) = self.choose(k, text, m) else { continue };
            let later = &raw[n + 1..];
            let (end, kind, name) = match target {
                Target::Agency(i) => {
                    let end = self.extend_agency(&k.key, m.end(), &self.agencies[i], later);
                    (end, MentionKind::Agency, self.agencies[i].name.clone())
                }
                Target::Group | Target::CatchAll => {
                    let slot = m.pattern().as_usize();
                    // OCR may damage one word of a long group name ("thành phế" for "thành
                    // phố"): the longer spelling is taken when only that word differs.
                    let (name_end, slot) = match target {
                        Target::Group => self.ocr_extension(&k.key, m.end(), slot).unwrap_or((m.end(), slot)),
                        _ => (m.end(), slot),
                    };
                    let (end, related) = if target == Target::Group {
                        self.extend_group(&k.key, name_end, later)
                    } else {
                        (name_end, true)
                    };
                    let kind = if related { MentionKind::CatchAll } else { MentionKind::Group };
                    (end, kind, display_name(&self.repaired(k, text, m.start(), name_end, end, slot)))
                }
            };
            consumed = end;
            out.push(Mention { span: k.source_range(text, m.start() + 1, end - 1), name, kind });
        }
        out
    }

    /// The target of a raw match, after the checks that keys cannot express.
    fn choose(&self, k: &key::Keyed, text: &str, m: &aho_corasick::Match) -> Option<Target> {
        let span = k.source_range(text, m.start() + 1, m.end() - 1);
        let written = &text[span.clone()];
        // Glued to "/" or "-" on either side, without a space, as in "1629/SCT-CN".
        let glued = text[..span.start].ends_with(['/', '-']) || text[span.end..].starts_with(['/', '-']);
        let in_code = |p: &Pattern| p.only_acronyms && glued;
        let passes = |p: &&Pattern| {
            let capital = !matches!(p.target, Target::Agency(_)) || written.chars().any(char::is_uppercase);
            capital
                && !in_code(p)
                && p.acronyms.iter().all(|(r, exact)| {
                    let r = k.source_range(text, m.start() + r.start, m.start() + r.end);
                    text[r] == *exact
                })
        };
        let candidates: Vec<&Pattern> = self.patterns[m.pattern().as_usize()].iter().filter(passes).collect();
        let first = candidates.first()?;
        if candidates.iter().all(|p| p.target == first.target) {
            return Some(first.target);
        }
        // Entries that fold alike: the one spelt like the text, if exactly one is.
        let written = vn_text::canonical(written).to_lowercase();
        let mut agreeing = candidates.iter().filter(|p| p.exact == written);
        match (agreeing.next(), agreeing.next()) {
            (Some(p), None) => Some(p.target),
            _ => None,
        }
    }

    /// Extends an agency match over a dropped suffix: "tỉnh" and/or a province name, never into
    /// the next match.
    fn extend_agency(&self, key: &str, end: usize, agency: &Agency, later: &[aho_corasick::Match]) -> usize {
        let limit = later.first().map_or(usize::MAX, |m| m.start() + 1);
        let fits = |e: usize| e <= limit;
        let tinh = follows(key, end, &self.tinh).filter(|&e| fits(e));
        let province = |from: usize| self.provinces.iter().find_map(|p| follows(key, from, p)).filter(|&e| fits(e));
        let own_tinh = key[..end].ends_with(self.tinh.as_str());
        match agency.kind {
            AgencyKind::Central => end,
            AgencyKind::Locality => tinh.and_then(province).unwrap_or(end),
            _ if own_tinh => province(end).unwrap_or(end),
            _ => {
                let after = tinh.unwrap_or(end);
                province(after).unwrap_or(after)
            }
        }
    }

    /// Extends a group match over its qualifiers and a province name, which stay part of its
    /// name; returns the end and whether "(có) liên quan" follows, which makes it a catch-all.
    /// A qualifier may swallow later matches whole ("trực thuộc Ủy ban nhân dân tỉnh") but not
    /// end inside one.
    fn extend_group(&self, key: &str, mut end: usize, later: &[aho_corasick::Match]) -> (usize, bool) {
        let clean = |e: usize| !later.iter().take_while(|m| m.start() + 1 < e).any(|m| e < m.end());
        for _ in 0..3 {
            match self.qualifiers.iter().find_map(|q| follows(key, end, q).filter(|&e| clean(e))) {
                Some(e) => end = e,
                None => break,
            }
        }
        if let Some(e) = self.provinces.iter().find_map(|p| follows(key, end, p)).filter(|&e| clean(e)) {
            end = e;
        }
        match self.related.iter().find_map(|r| follows(key, end, r)).filter(|&e| clean(e)) {
            Some(e) => (e, true),
            None => (end, false),
        }
    }

    /// Where a group spelling matched up to `end` continues as a longer spelling of a group in
    /// the text with one word misread: same length, one letter different, the name at least
    /// six words long, so that no two names can be confused ("thành phế" → "thành phố"; "Sở Tài
    /// chính" and "Sở Tư pháp" are far too short and too different to ever meet here). Returns
    /// the key end of the longer spelling and its slot.
    fn ocr_extension(&self, key: &str, end: usize, slot: usize) -> Option<(usize, usize)> {
        const MIN_WORDS: usize = 6;
        for &longer in self.extensions.get(&slot)? {
            let wanted = &self.keys[longer][self.keys[slot].len()..];
            let mut at = end;
            let mut misread = 0;
            let mut ok = true;
            for want in wanted.split_whitespace() {
                let rest = &key[at..];
                let start = at + rest.len() - rest.trim_start().len();
                let len = key[start..].find(' ').unwrap_or(key.len() - start);
                let got = &key[start..start + len];
                if got != want {
                    let differing = got.bytes().zip(want.bytes()).filter(|(a, b)| a != b).count();
                    let letters = want.bytes().all(|b| b.is_ascii_alphabetic());
                    if got.len() != want.len() || differing != 1 || want.len() < 3 || !letters {
                        ok = false;
                        break;
                    }
                    misread += 1;
                }
                at = start + len;
            }
            let words = key::tokens(&self.keys[longer]).len();
            if ok && misread == 1 && words >= MIN_WORDS && at < key.len() {
                return Some((at + 1, longer));
            }
        }
        None
    }

    /// The text of a group mention, key range `start..end`, with the words of its name proper
    /// (up to `name_end`) spelt as the gazetteer spells the matched variant wherever the text
    /// differs beyond case ("thành phô" → "thành phố"); qualifiers stay as written.
    fn repaired(&self, k: &key::Keyed, text: &str, start: usize, name_end: usize, end: usize, slot: usize) -> String {
        let span = k.source_range(text, start + 1, end - 1);
        let Some(pattern) = self.patterns[slot].iter().find(|p| p.target == Target::Group) else {
            return text[span].to_owned();
        };
        let tokens: Vec<std::ops::Range<usize>> =
            key::tokens(&k.key[start..name_end]).into_iter().map(|t| k.source_range(text, start + t.start, start + t.end)).collect();
        if tokens.len() != pattern.words.len() {
            return text[span].to_owned();
        }
        let mut out = String::with_capacity(span.len() + 8);
        let mut at = span.start;
        for (range, word) in tokens.iter().zip(&pattern.words) {
            out.push_str(&text[at..range.start]);
            let written = &text[range.clone()];
            let same = |w: &str| w.chars().flat_map(char::to_lowercase).eq(word.chars());
            if same(written) || same(&vn_text::canonical(written)) {
                out.push_str(written);
            } else if written.chars().next().is_some_and(char::is_uppercase) {
                let mut chars = word.chars();
                out.extend(chars.next().into_iter().flat_map(char::to_uppercase).chain(chars));
            } else {
                out.push_str(word);
            }
            at = range.end;
        }
        out.push_str(&text[at..span.end]);
        out
    }

    pub(crate) fn agency_named(&self, name: &str) -> Option<&Agency> {
        self.by_name.get(name).map(|&i| &self.agencies[i])
    }
}

/// Where the key continues with `pattern` right after a match ending at `end`, the end of that
/// continuation. Both are keyed, so the pattern's leading space lines up with the second space
/// between tokens.
fn follows(key: &str, end: usize, pattern: &str) -> Option<usize> {
    key.get(end..).filter(|rest| rest.starts_with(pattern)).map(|_| end + pattern.len())
}

/// A name as written, made presentable: canonical spelling, abbreviations expanded, first letter
/// capitalised ("UBND các huyện" → "Ủy ban nhân dân các huyện").
pub(crate) fn display_name(written: &str) -> String {
    let canon = vn_text::canonical(written);
    let mut out = String::with_capacity(canon.len() + 16);
    let mut rest = canon.as_str();
    while let Some(c) = rest.chars().next() {
        if c.is_alphanumeric() {
            let len = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
            let word = &rest[..len];
            out.push_str(EXPANSIONS.iter().find(|(a, _)| *a == word).map_or(word, |(_, full)| full));
            rest = &rest[len..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// A spelling and the variants with the long forms of [`EXPANSIONS`] abbreviated, each on its
/// own ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" → "Ủy ban MTTQVN tỉnh", "Ủy ban MTTQ Việt Nam
/// tỉnh"). "TW" is only expanded, never generated: as a variant it would match too much.
fn generated(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    let mut i = 0;
    while i < out.len() {
        let current = out[i].clone();
        for (short, long) in EXPANSIONS.iter().filter(|(s, _)| *s != "TW") {
            if current.contains(long) {
                let v = current.replacen(long, short, 1);
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        i += 1;
    }
    out
}

#[derive(Default)]
struct Builder {
    agencies: Vec<Agency>,
    by_name: HashMap<String, usize>,
    group_names: Vec<String>,
    catch_all_names: Vec<String>,
    keys: Vec<String>,
    index: HashMap<String, usize>,
    patterns: Vec<Vec<Pattern>>,
    qualifiers: Vec<String>,
}

impl Builder {
    /// Adds `spelling` and its generated variants as patterns of `target`.
    fn add(&mut self, file: &'static str, line: usize, spelling: &str, target: Target) -> Result<(), Error> {
        for variant in generated(spelling) {
            let keyed = key::build(&variant);
            let tokens = key::tokens(&keyed.key);
            if !tokens.iter().any(|t| keyed.key[t.clone()].bytes().any(|b| b.is_ascii_alphanumeric())) {
                return Err(Error::new(file, line, ErrorKind::EmptyName(variant)));
            }
            let mut acronyms = Vec::new();
            let mut words = 0;
            for t in &tokens {
                let r = keyed.source_range(&variant, t.start, t.end);
                let written = &variant[r];
                if !written.chars().any(char::is_alphanumeric) {
                    continue;
                }
                words += 1;
                if written.chars().filter(|c| c.is_uppercase()).count() >= 2 {
                    acronyms.push((t.clone(), written.to_string()));
                }
            }
            let spelt = tokens.iter().map(|t| variant[keyed.source_range(&variant, t.start, t.end)].to_lowercase()).collect();
            let pattern =
                Pattern { target, exact: variant.to_lowercase(), only_acronyms: words > 0 && acronyms.len() == words, acronyms, words: spelt };
            let slot = match self.index.get(&keyed.key) {
                Some(&s) => s,
                None => {
                    self.index.insert(keyed.key.clone(), self.keys.len());
                    self.keys.push(keyed.key);
                    self.patterns.push(Vec::new());
                    self.patterns.len() - 1
                }
            };
            let same = self.patterns[slot]
                .iter()
                .find(|p| p.exact == pattern.exact && p.acronyms == pattern.acronyms);
            match same {
                Some(p) if p.target == target => {}
                Some(p) => {
                    let other = match p.target {
                        Target::Agency(i) => self.agencies.get(i).map_or_else(String::new, |a| a.name.clone()),
                        Target::Group => "a group".to_string(),
                        Target::CatchAll => "a catch-all".to_string(),
                    };
                    return Err(Error::new(file, line, ErrorKind::Ambiguous { variant, other }));
                }
                None => self.patterns[slot].push(pattern),
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Gazetteer, Error> {
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            // Every key starts with a space, so no prefilter helps; a DFA is the fastest scan
            // and a few hundred short patterns keep it small.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.keys)
            .map_err(|e| Error::new("agencies", 0, ErrorKind::Automaton(e.to_string())))?;
        let is_group = |slot: &usize| self.patterns[*slot].iter().any(|p| p.target == Target::Group);
        let groups: Vec<usize> = (0..self.keys.len()).filter(is_group).collect();
        let mut extensions: HashMap<usize, Vec<usize>> = HashMap::new();
        for &short in &groups {
            let mut longer: Vec<usize> =
                groups.iter().copied().filter(|&l| l != short && self.keys[l].starts_with(&self.keys[short])).collect();
            longer.sort_by_key(|&l| (self.keys[l].len(), l));
            if !longer.is_empty() {
                extensions.insert(short, longer);
            }
        }
        let mut qualifiers = self.qualifiers;
        qualifiers.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        qualifiers.dedup();
        let mut provinces: Vec<String> = PROVINCES.iter().map(|p| key::build(p).key).collect();
        provinces.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(Gazetteer {
            agencies: self.agencies,
            by_name: self.by_name,
            group_names: self.group_names,
            catch_all_names: self.catch_all_names,
            matcher,
            patterns: self.patterns,
            keys: self.keys,
            extensions,
            qualifiers,
            provinces,
            tinh: key::build("tỉnh").key,
            related: [key::build("có liên quan").key, key::build("liên quan").key],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_valid() {
        let g = Gazetteer::from_csv(AGENCIES_CSV, GROUPS_CSV);
        assert!(g.is_ok(), "{:?}", g.err());
    }

    #[test]
    fn generated_variants() {
        assert_eq!(
            generated("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Ủy ban MTTQVN tỉnh", "Ủy ban MTTQ Việt Nam tỉnh"]
        );
        assert_eq!(generated("Sở Y tế"), ["Sở Y tế"]);
    }

    #[test]
    fn display_names_expand_and_capitalise() {
        assert_eq!(display_name("UBND các huyện,\n thị xã"), "Ủy ban nhân dân các huyện, thị xã");
        assert_eq!(display_name("các sở, ban ngành trực thuộc TW"), "Các sở, ban ngành trực thuộc Trung ương");
        assert_eq!(display_name(""), "");
    }
}
