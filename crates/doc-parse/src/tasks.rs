//! Tasks: who must do what, with whom, by when — and who monitors.
//!
//! The body's numbered items are walked top-down with the addressee in force:
//! - a heading that only names an addressee (`2.1. Sở Kế hoạch và Đầu tư`, `1. Giao Sở Tư
//!   pháp:`, `Giám đốc Sở Công Thương:`) sets the lead of every item under it and is no task;
//! - `Nhiệm vụ chung` addresses everyone the document is sent to (`Kính gửi`);
//! - the smallest item that asks for action is a task; `-`/`+` lines introduced by an action
//!   ending in `:` are its parts and stay in its text;
//! - a body without numbered items has one task per paragraph that assigns work.
//!
//! Inside a task, "giao X chủ trì, phối hợp với Y" makes X lead and Y support; "đề nghị X", "X
//! chủ trì" or a sentence opening with X make X lead; catch-alls ("các cơ quan liên quan") are
//! never parties. Agency names come from the gazetteer.

use gazetteer::{Gazetteer, MentionKind, Party};
use vn_calendar::Date;

use crate::outline::{Item, Rank};
use crate::{Deadline, Monitor, Task, deadline};

/// What the task reader needs to know about the document.
pub(crate) struct Context<'a> {
    /// Body lines with their byte offsets into the repaired text.
    pub lines: &'a [(usize, &'a str)],
    /// Addressees after `Kính gửi`.
    pub recipients: &'a [String],
    /// The document's date, for relative deadlines.
    pub issued: Option<Date>,
    /// The document's kind code.
    pub kind: Option<&'a str>,
}

/// Kinds that report or propose upward and assign nothing.
const NO_TASKS: [&str; 4] = ["bao_cao", "to_trinh", "bien_ban", "giay_moi"];

pub(crate) fn read(cx: &Context<'_>) -> (Vec<Task>, Option<Monitor>) {
    let gazetteer = Gazetteer::embedded();
    let monitor = monitor(cx, gazetteer);
    if cx.kind.is_some_and(|k| NO_TASKS.contains(&k)) {
        return (Vec::new(), monitor);
    }
    let items = crate::outline::items(cx.lines);
    let mut reader = Reader { cx, gazetteer, tasks: Vec::new() };
    if items.is_empty() {
        reader.paragraphs(0..cx.lines.len(), "");
    } else {
        reader.level(&items, "", &[]);
    }
    (reader.tasks, monitor)
}

struct Reader<'a> {
    cx: &'a Context<'a>,
    gazetteer: &'static Gazetteer,
    tasks: Vec<Task>,
}

impl Reader<'_> {
    /// Reads one level of items under the addressees `lead` inherited from above.
    fn level(&mut self, items: &[Item<'_>], parent_id: &str, lead: &[String]) {
        let mut dashes = 0;
        for item in items {
            let id = item_id(parent_id, item, &mut dashes);
            let first = self.own_text(item, true);
            let heading = first.trim_end_matches(':').trim();
            if !item.children.is_empty() {
                if let Some(addressees) = self.addressee_heading(heading) {
                    self.level(&item.children, &id, &addressees);
                    continue;
                }
                if is_general_heading(heading) {
                    let everyone = self.recipients();
                    self.level(&item.children, &id, &everyone);
                    continue;
                }
                if is_plain_heading(heading) {
                    self.level(&item.children, &id, lead);
                    continue;
                }
                if first.trim_end().ends_with(':') && item.children.iter().all(|c| matches!(c.rank, Rank::Dash | Rank::Plus)) {
                    // An action whose `:` introduces its parts: one task.
                    self.task(&id, item.own.start..item.last_line() + 1, lead);
                    continue;
                }
                // An action with numbered sub-items: the item's own sentence may name the
                // addressee of its children ("3. Giao Văn phòng UBND tỉnh: a) … b) …").
                let own_lead = self.leads_in(&first);
                let children_lead = if own_lead.is_empty() { lead.to_vec() } else { own_lead };
                self.level(&item.children, &id, &children_lead);
                continue;
            }
            if let Some(addressees) = self.addressee_heading(heading) {
                // "2.3. Sở Văn hóa, Thể thao và Du lịch" with its instruction as the paragraph below.
                if item.own.len() > 1 {
                    self.task(&id, item.own.start + 1..item.own.end, &addressees);
                }
                continue;
            }
            if is_plain_heading(heading) {
                continue;
            }
            self.task(&id, item.own.clone(), lead);
        }
    }

    /// Unlabelled paragraphs: each that assigns work to someone is a task.
    fn paragraphs(&mut self, range: std::ops::Range<usize>, parent_id: &str) {
        let mut n = 0;
        for i in range {
            let text = self.cx.lines[i].1;
            if !assigns(text) || is_closing_formula(text) {
                continue;
            }
            let leads = self.leads_in(text);
            let leads = if leads.is_empty() && self.cx.recipients.len() == 1 { self.recipients() } else { leads };
            if leads.is_empty() {
                continue;
            }
            n += 1;
            let id = if parent_id.is_empty() { n.to_string() } else { format!("{parent_id}.{n}") };
            self.task(&id, i..i + 1, &leads);
        }
    }

    /// Records a task over the lines `range`, with `lead` as the addressee in force.
    fn task(&mut self, id: &str, range: std::ops::Range<usize>, lead: &[String]) {
        // A closing paragraph after the last item ("Yêu cầu các cơ quan … nghiêm túc thực
        // hiện", the monitoring clause) is the document's, not the item's.
        let end = (range.start + 1..range.end).find(|&i| is_document_closing(self.cx.lines[i].1)).unwrap_or(range.end);
        let lines = &self.cx.lines[range.start..end];
        let (start, first) = lines[0];
        let (last_offset, last) = lines[lines.len() - 1];
        let label_len = crate::outline::label_of(first).map_or(0, |l| l.len.min(first.len()));
        let text = lines.iter().enumerate().map(|(i, (_, l))| if i == 0 { &l[label_len..] } else { l }).collect::<Vec<_>>().join(" ");
        if is_closing_formula(&text) {
            return;
        }
        let (own_lead, support) = self.roles(&text);
        let lead = if own_lead.is_empty() { lead.to_vec() } else { own_lead };
        let lead = if lead.is_empty() && self.cx.recipients.len() == 1 { self.recipients() } else { lead };
        if lead.is_empty() {
            // Nobody is asked to act: a finding, a rule, the content of what is approved.
            return;
        }
        let support: Vec<String> = support.into_iter().filter(|s| !lead.contains(s)).collect();
        self.tasks.push(Task {
            id: id.to_owned(),
            text: text.trim().to_owned(),
            lead,
            support,
            deadline: deadline::read(&text, self.cx.issued),
            references: Vec::new(),
            span: [start + label_len, last_offset + last.len()],
        });
    }

    /// The item's own text: its labelled line without the label (only the first line when
    /// `first_only`).
    fn own_text(&self, item: &Item<'_>, first_only: bool) -> String {
        let end = if first_only { item.own.start + 1 } else { item.own.end };
        let mut out = String::new();
        for (i, (_, line)) in self.cx.lines[item.own.start..end].iter().enumerate() {
            let text = if i == 0 { &line[item.label.len().min(line.len())..] } else { line };
            out.push_str(text.trim());
            out.push(' ');
        }
        out.trim().to_owned()
    }

    /// The addressees of a heading that does nothing but name them: "Sở Kế hoạch và Đầu tư",
    /// "Giao Sở Tư pháp", "Giám đốc Sở Công Thương", "Các sở, ban, ngành thực hiện các nội dung sau".
    fn addressee_heading(&self, heading: &str) -> Option<Vec<String>> {
        if heading.is_empty() || heading.ends_with(['.', ';']) || heading.split_whitespace().count() > 30 {
            return None;
        }
        let core = strip_assign_words(heading);
        if core.is_empty() {
            return None;
        }
        let parties = self.parties(core);
        if parties.is_empty() {
            return None;
        }
        // Everything in the heading must be an addressee; a heading that also says what to do
        // is an action.
        let named: usize = self.gazetteer.find_all(core).iter().map(|m| m.span.len()).sum();
        let letters = core.chars().filter(|c| c.is_alphabetic()).count().max(1);
        let covered = named * 100 / core.len().max(1);
        (covered >= 60 || (letters < 60 && !has_action_verb(core))).then_some(parties)
    }

    /// Lead and support named in a task's text.
    fn roles(&self, text: &str) -> (Vec<String>, Vec<String>) {
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            return (Vec::new(), Vec::new());
        }
        let mut support = Vec::new();
        for marker in ["phối hợp với", "phối hợp chặt chẽ với", "phối hợp"] {
            for (at, _) in lower.match_indices(marker) {
                let after = at + marker.len();
                let end = clause_end(&lower, after, &ROLE_STOPS);
                for name in self.parties(&text[after..end]) {
                    if !support.contains(&name) {
                        support.push(name);
                    }
                }
            }
            if !support.is_empty() {
                break;
            }
        }
        (self.leads_in(text), support)
    }

    /// The lead a sentence names: after "giao"/"đề nghị"/"yêu cầu", before "chủ trì", or as
    /// the sentence's subject.
    fn leads_in(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            return Vec::new();
        }
        // "… X chủ trì": X is the body named right before.
        if let Some(at) = lower.find("chủ trì") {
            let before = &text[..at];
            let start = ["giao ", "Giao ", "đề nghị ", "Đề nghị ", "yêu cầu ", "Yêu cầu ", ";", "."]
                .iter()
                .filter_map(|m| before.rfind(m).map(|p| p + m.len()))
                .max()
                .unwrap_or(0);
            let parties = self.parties(&text[start..at]);
            if !parties.is_empty() {
                return parties;
            }
        }
        for verb in ["giao cho ", "giao ", "đề nghị ", "yêu cầu ", "chỉ đạo "] {
            for (at, _) in lower.match_indices(verb) {
                if !lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric()) {
                    continue;
                }
                let after = at + verb.len();
                let end = clause_end(&lower, after, &LEAD_STOPS);
                let parties = self.parties(&text[after..end]);
                if !parties.is_empty() {
                    return parties;
                }
            }
        }
        // The sentence's subject: a body named at its very start.
        let mentions = self.gazetteer.find_all(text);
        if let Some(m) = mentions.first().filter(|m| m.span.start <= subject_slack(text) && m.kind != MentionKind::CatchAll) {
            return vec![m.name.clone()];
        }
        Vec::new()
    }

    /// Parties named by a phrase that starts with them; catch-alls are dropped. A phrase that
    /// does not open with a body ("Sau khi cấp thẩm quyền …", "theo Nghị định … của Chính
    /// phủ") names no addressee, whatever it mentions further on.
    fn parties(&self, phrase: &str) -> Vec<String> {
        let trimmed = phrase.trim_start_matches([' ', ',', ':']).trim_end();
        if trimmed.is_empty() {
            return Vec::new();
        }
        let opens_with_known = self
            .gazetteer
            .find_all(trimmed)
            .first()
            .is_some_and(|m| m.span.start <= 1 && m.kind != MentionKind::CatchAll);
        if !opens_with_known && !opens_with_body(trimmed) {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for party in self.gazetteer.parse_list(trimmed) {
            let keep = match &party {
                Party::CatchAll(_) => false,
                Party::Unknown(name) => opens_with_body(name) && name.split_whitespace().count() <= 16,
                _ => true,
            };
            let name = party.name().to_owned();
            if keep && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// The document's addressees, as leads.
    fn recipients(&self) -> Vec<String> {
        let mut out = Vec::new();
        for r in self.cx.recipients {
            let parties = self.parties(r);
            if parties.is_empty() {
                out.push(expand_ubnd(r));
            } else {
                for p in parties {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }
}

/// Whether a phrase opens with the name of a body or a person the gazetteer may not know: a
/// firm, an association, a sub-unit, "ông/bà …".
fn opens_with_body(phrase: &str) -> bool {
    const HEADS: [&str; 30] = [
        "Công ty", "Tổng công ty", "Hội", "Hiệp hội", "Trường", "Bệnh viện", "Trung tâm", "Ban", "Đoàn", "Tổ",
        "Phòng", "Chi cục", "Cục", "Viện", "Báo", "Đài", "Ủy ban", "Ngân hàng", "Văn phòng", "Doanh nghiệp",
        "Hợp tác xã", "Các tổ chức", "Các doanh nghiệp", "Các đơn vị", "Ông", "Bà", "Đồng chí", "Chủ đầu tư", "Thường trực", "Liên đoàn",
    ];
    let phrase = phrase.trim_start();
    HEADS.iter().any(|h| phrase.starts_with(h) && phrase[h.len()..].starts_with(' '))
}

/// A group name as written, with `UBND` expanded.
fn expand_ubnd(s: &str) -> String {
    s.replace("UBND", "Ủy ban nhân dân")
}

/// Words that end the list of addressees after "giao"/"đề nghị".
const LEAD_STOPS: [&str; 14] = [
    " chủ trì", " tham mưu", " thực hiện", " triển khai", " khẩn trương", " nghiên cứu", " rà soát", " tổ chức",
    " phối hợp", " chịu trách nhiệm", " theo dõi", " xem xét", " có ý kiến", " chỉ đạo",
];

/// Words that end the list of supporting bodies after "phối hợp với".
const ROLE_STOPS: [&str; 10] = [
    " tham mưu", " thực hiện", " triển khai", " khẩn trương", " nghiên cứu", " rà soát", " tổ chức", " xây dựng",
    " kiểm tra", " theo dõi",
];

/// End of the phrase starting at `from`: the first stop word, `;`, `.` or `:`.
fn clause_end(lower: &str, from: usize, stops: &[&str]) -> usize {
    let rest = &lower[from..];
    let mut end = rest.find([';', '.', ':', '(']).unwrap_or(rest.len());
    for stop in stops {
        if let Some(p) = rest[..end].find(stop) {
            end = end.min(p);
        }
    }
    from + end
}

/// How far into a sentence its subject may start: past an opening "Đồng thời," or "Riêng".
fn subject_slack(text: &str) -> usize {
    let opener = ["Đồng thời,", "Riêng", "Trong đó,", "Ngoài ra,"].iter().find(|o| text.starts_with(**o));
    opener.map_or(0, |o| o.len() + 1)
}

/// The id of an item under `parent`: decimal labels carry their full path (`2.1`), letters
/// and numbers inside articles are appended (`Điều 3.2.đ`), dash items are counted (`-2`).
fn item_id(parent: &str, item: &Item<'_>, dashes: &mut usize) -> String {
    let component = match item.rank {
        Rank::Dash | Rank::Plus => {
            *dashes += 1;
            format!("-{dashes}")
        }
        _ => item.label.trim_end_matches(['.', ')', ':']).to_owned(),
    };
    if parent.is_empty() {
        return component;
    }
    if let Rank::Decimal(depth) = item.rank {
        if depth > 1 {
            return component;
        }
    }
    format!("{parent}.{component}")
}

/// "Nhiệm vụ chung", "Nhiệm vụ chung của các sở, ngành": items for every addressee.
fn is_general_heading(heading: &str) -> bool {
    let folded = vn_text::fold(heading);
    folded.starts_with("nhiem vu chung") || folded.starts_with("yeu cau chung") || folded.starts_with("trach nhiem chung")
}

/// Headings that group items without naming anyone: "Nhiệm vụ cụ thể", "TỔ CHỨC THỰC HIỆN".
fn is_plain_heading(heading: &str) -> bool {
    let words = heading.split_whitespace().count();
    if words == 0 || words > 12 || heading.ends_with(['.', ';', ',']) {
        return false;
    }
    let folded = vn_text::fold(heading);
    const GROUPING: [&str; 12] = [
        "nhiem vu cu the", "nhiem vu", "giai phap", "to chuc thuc hien", "muc dich", "yeu cau", "noi dung", "phan cong",
        "trach nhiem", "dieu khoan thi hanh", "hieu luc", "kinh phi",
    ];
    heading.to_uppercase() == heading || GROUPING.iter().any(|g| folded.starts_with(g))
}

/// Removes the assigning words around the addressees of a heading.
fn strip_assign_words(heading: &str) -> &str {
    let mut h = heading.trim();
    for prefix in ["Giao cho", "Giao", "Đề nghị", "Yêu cầu", "Đối với", "Trách nhiệm của"] {
        if let Some(rest) = h.strip_prefix(prefix) {
            h = rest.trim_start();
        }
    }
    for suffix in [
        "thực hiện các nội dung sau",
        "thực hiện một số nội dung sau",
        "thực hiện các nhiệm vụ sau",
        "thực hiện những nội dung sau",
        "thực hiện các nhiệm vụ cụ thể sau",
        "các nội dung sau",
        "như sau",
    ] {
        if let Some(rest) = h.strip_suffix(suffix) {
            h = rest.trim_end();
        }
    }
    h.trim_end_matches([',', ':']).trim()
}

fn has_action_verb(text: &str) -> bool {
    let folded = vn_text::fold(text);
    ["trien khai", "thuc hien", "tham muu", "bao cao", "kiem tra", "xay dung", "to chuc", "ra soat", "chu tri"]
        .iter()
        .any(|v| folded.contains(v))
}

/// Whether a paragraph assigns work.
fn assigns(text: &str) -> bool {
    let folded = vn_text::fold(text);
    if folded.starts_with("can cu") || folded.starts_with("theo de nghi") || folded.starts_with("xet de nghi") {
        return false;
    }
    ["giao ", "de nghi ", "yeu cau ", "chu tri", "chiu trach nhiem", "khan truong", "trien khai", "tham muu"]
        .iter()
        .any(|w| folded.contains(w))
}

/// The closing formula that asks everyone to carry out the document ("Yêu cầu các cơ quan,
/// đơn vị nghiêm túc triển khai thực hiện Chỉ thị này"; "… chịu trách nhiệm thi hành Quyết
/// định này"): not a task of its own.
fn is_closing_formula(text: &str) -> bool {
    let folded = vn_text::fold(text);
    folded.contains("chiu trach nhiem thi hanh")
        || folded.contains("thi hanh quyet dinh nay")
        || ["chi thi nay", "cong van nay", "thong bao nay", "ke hoach nay", "van ban nay"]
            .iter()
            .any(|d| folded.contains(&format!("thuc hien {d}")) || folded.contains(&format!("trien khai {d}")))
        || folded.starts_with("nay,")
        || folded.starts_with("can cu noi dung")
}

/// Paragraphs that close the document rather than continue an item.
fn is_document_closing(text: &str) -> bool {
    let folded = vn_text::fold(text);
    is_closing_formula(text)
        || folded.contains("theo doi, don doc")
        || ["yeu cau cac ", "yeu cau thu truong", "de nghi cac ", "trong qua trinh thuc hien", "tren day", "nay thong bao"]
            .iter()
            .any(|p| folded.starts_with(p))
}

/// The monitoring clause: "X chịu trách nhiệm theo dõi, đôn đốc và tổng hợp, báo cáo UBND
/// tỉnh … khi có yêu cầu", "giao Văn phòng UBND tỉnh theo dõi, đôn đốc …".
fn monitor(cx: &Context<'_>, gazetteer: &Gazetteer) -> Option<Monitor> {
    for &(_, line) in cx.lines {
        let folded = vn_text::fold(line);
        let Some(at) = folded.find("don doc") else { continue };
        if !(folded.contains("theo doi") || folded.contains("tong hop")) {
            continue;
        }
        // Byte offsets in the folded text differ from the original: find the clause in the
        // original by the position of "đôn đốc" there.
        let lower = line.to_lowercase();
        let urge = lower.find("đôn đốc").unwrap_or(0);
        let sentence_start = line[..urge].rfind(['.', ';']).map_or(0, |p| p + 1);
        let mentions = gazetteer.find_all(&line[sentence_start..urge]);
        let agency = mentions.iter().rev().find(|m| m.kind != MentionKind::CatchAll)?.name.clone();
        let _ = at;
        let report_at = lower[urge..].find("báo cáo").map(|p| urge + p + "báo cáo".len());
        let report_to = report_at.and_then(|p| {
            let rest = &line[p..];
            let rest = rest.trim_start();
            if rest.starts_with("Chủ tịch UBND tỉnh") || rest.starts_with("Chủ tịch Ủy ban nhân dân tỉnh") {
                return Some("Chủ tịch Ủy ban nhân dân tỉnh".to_owned());
            }
            gazetteer.find_all(rest).into_iter().find(|m| m.span.start < 4).map(|m| m.name)
        });
        let clause_end = line[urge..].find('.').map_or(line.len(), |p| urge + p);
        let deadline: Deadline = deadline::read(&line[urge..clause_end], cx.issued);
        return Some(Monitor { agency, report_to, deadline });
    }
    None
}
