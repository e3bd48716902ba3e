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
    /// Whether the issuer is a central body (a ministry writing to provinces asks them).
    pub issuer_is_central: bool,
    /// The issuer's name: it does not assign tasks to itself.
    pub issuer: Option<&'a str>,
}

/// Kinds whose own body is made of articles (`Điều`); elsewhere an article is quoted law.
const ARTICLE_KINDS: [&str; 10] =
    ["quyet_dinh", "quy_che", "quy_dinh", "nghi_quyet", "nghi_dinh", "thong_tu", "thong_tu_lien_tich", "luat", "bo_luat", "phap_lenh"];

/// Kinds that report or propose upward and assign nothing.
const NO_TASKS: [&str; 4] = ["bao_cao", "to_trinh", "bien_ban", "giay_moi"];

pub(crate) fn read(cx: &Context<'_>) -> (Vec<Task>, Option<Monitor>) {
    let gazetteer = Gazetteer::embedded();
    let monitor = monitor(cx, gazetteer);
    if cx.kind.is_some_and(|k| NO_TASKS.contains(&k)) {
        return (Vec::new(), monitor);
    }
    let items = crate::outline::items(cx.lines);
    let mut reader = Reader { cx, gazetteer, tasks: Vec::new(), quoted: quoted_lines(cx.lines) };
    let first_item = items.first().map_or(cx.lines.len(), |i| i.own.start);
    reader.paragraphs(0..first_item, if items.is_empty() { "" } else { "p" });
    // "Giao Trung tâm …:" just above the first items addresses them.
    let lead = first_item.checked_sub(1).and_then(|i| reader.closing_heading(cx.lines[i].1)).unwrap_or_default();
    reader.level(&items, "", &lead);
    // After the last item, a paragraph that assigns ("Đề nghị Công ty … chuẩn bị đầy đủ hồ
    // sơ …") is a task of its own, not the last item's continuation.
    if let Some(last) = items.last() {
        let after = last.own.start + 1..last.last_line() + 1;
        let own_paragraphs = after.filter(|&i| crate::outline::label_of(cx.lines[i].1).is_none() && starts_assigning(cx.lines[i].1));
        for i in own_paragraphs.collect::<Vec<_>>() {
            reader.paragraphs(i..i + 1, "p");
        }
    }
    let monitor = monitor.or_else(|| monitor_task(&reader.tasks, cx.issued));
    (reader.tasks, monitor)
}

/// A numbered task that charges its lead with following this document's implementation
/// ("đ) Theo dõi, tham mưu UBND tỉnh chỉ đạo việc triển khai thực hiện các nội dung tại Công
/// văn này"; "3. Giao Sở Nội vụ theo dõi, tổng hợp kết quả thực hiện, báo cáo …").
fn monitor_task(tasks: &[Task], issued: Option<Date>) -> Option<Monitor> {
    const THIS: [&str; 8] = ["cong van nay", "chi thi nay", "ke hoach nay", "thong bao nay", "quyet dinh nay", "van ban nay", "ket qua thuc hien", "noi dung tren"];
    // Articles of a decision that say who follows what was delegated are not a monitor.
    let task = tasks.iter().filter(|t| !t.id.starts_with("Điều")).find(|t| {
        let folded = vn_text::fold(&t.text);
        let follows = folded.starts_with("theo doi") || folded.contains(" theo doi, ");
        follows && THIS.iter().any(|p| folded.contains(p))
    })?;
    let lower = task.text.to_lowercase();
    let report_to = lower.find("báo cáo").and_then(|p| {
        let rest = task.text[p + "báo cáo".len()..].trim_start();
        let rest = rest.strip_prefix("đề xuất").map_or(rest, str::trim_start);
        gazetteer::Gazetteer::embedded().find_all(rest).into_iter().find(|m| m.span.start < 4).map(|m| m.name)
    });
    Some(Monitor { agency: task.lead.first()?.clone(), report_to, deadline: deadline::read(&task.text, issued) })
}

struct Reader<'a> {
    cx: &'a Context<'a>,
    gazetteer: &'static Gazetteer,
    tasks: Vec<Task>,
    /// Lines inside quotation marks.
    quoted: Vec<bool>,
}

impl Reader<'_> {
    /// Reads one level of items under the addressees `lead` inherited from above.
    fn level(&mut self, items: &[Item<'_>], parent_id: &str, lead: &[String]) {
        let mut dashes = 0;
        for item in items {
            let id = item_id(parent_id, item, &mut dashes);
            let quotes_articles = item.rank == Rank::Article && !self.cx.kind.is_some_and(|k| ARTICLE_KINDS.contains(&k));
            if self.quoted[item.own.start] || quotes_articles {
                // Quoted law ("“3. Trường hợp các văn bản …”") assigns nothing.
                continue;
            }
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
                // A heading line under the item's title ("2. Đối với …" / "Giao Sở X:") names the
                // addressee of the items below it.
                if item.own.len() > 1 {
                    let last = self.cx.lines[item.own.end - 1].1;
                    if let Some(addressees) = self.closing_heading(last) {
                        self.level(&item.children, &id, &addressees);
                        continue;
                    }
                }
                if is_plain_heading(heading) {
                    self.level(&item.children, &id, lead);
                    continue;
                }
                // "3. Về nội dung dự thảo Kế hoạch …, giao Trung tâm Xúc tiến Đầu tư …:": a topic
                // that ends by naming who carries out the items below.
                if let Some(addressees) = self.assigning_tail(&first) {
                    self.level(&item.children, &id, &addressees);
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
        let mut n = self.tasks.iter().filter(|t| t.id.starts_with(parent_id) && t.id[parent_id.len()..].parse::<u32>().is_ok()).count();
        for i in range {
            let text = self.cx.lines[i].1;
            // "… yêu cầu các sở, ban ngành … thực hiện các nhiệm vụ sau:" introduces the items.
            if !assigns(text) || is_closing_formula(text) || text.trim_end().ends_with(':') {
                continue;
            }
            // Outside numbered items only an explicit assignment counts: "giao X", "đề nghị
            // X", "X chủ trì"; a paragraph that merely has a subject is a preamble or a finding.
            let leads = self.explicit_leads(text);
            let asks_recipient = ["đề nghị", "Đề nghị", "yêu cầu", "Yêu cầu"].iter().any(|w| text.contains(w));
            let leads = if leads.is_empty() && asks_recipient && self.cx.recipients.len() == 1 { self.recipients() } else { leads };
            if leads.is_empty() {
                continue;
            }
            n += 1;
            let id = format!("{parent_id}{n}");
            // The next paragraph may say when and where the answer goes ("Văn bản tham gia ý kiến
            // … gửi về Bộ Nội vụ trước ngày 30/9/2025"): it belongs to this request when it
            // assigns nothing itself and this paragraph gave no deadline.
            let next = self.cx.lines.get(i + 1).map(|l| l.1);
            let extends = next.is_some_and(|next| {
                deadline::read(text, self.cx.issued).kind == "none"
                    && deadline::read(next, self.cx.issued).date.is_some()
                    && self.explicit_leads(next).is_empty()
                    && crate::outline::label_of(next).is_none()
                    && !is_closing_formula(next)
            });
            self.task(&id, i..i + 1 + usize::from(extends), &leads);
        }
    }

    /// Records a task over the lines `range`, with `lead` as the addressee in force.
    fn task(&mut self, id: &str, range: std::ops::Range<usize>, lead: &[String]) {
        // A closing paragraph after the last item ("Yêu cầu các cơ quan … nghiêm túc thực
        // hiện", the monitoring clause) is the document's, not the item's.
        let end = (range.start + 1..range.end)
            .find(|&i| is_document_closing(self.cx.lines[i].1) || starts_assigning(self.cx.lines[i].1))
            .unwrap_or(range.end);
        let lines = &self.cx.lines[range.start..end];
        let (start, first) = lines[0];
        let (last_offset, last) = lines[lines.len() - 1];
        let label_len = crate::outline::label_of(first).map_or(0, |l| l.len.min(first.len()));
        let text = lines.iter().enumerate().map(|(i, (_, l))| if i == 0 { &l[label_len..] } else { l }).collect::<Vec<_>>().join(" ");
        // A closing formula, unless it charges someone by name ("3. Giao Chánh Thanh tra tỉnh …
        // theo dõi, đôn đốc, kiểm tra việc thực hiện Chỉ thị này": a task, and the monitor).
        if is_closing_formula(&text) && self.explicit_leads(&text).is_empty() {
            return;
        }
        // "Công an tỉnh: Chỉ đạo các đơn vị …": the label is the addressee, when what follows
        // asks for something ("Hội X: Quá thời gian tổ chức đại hội" is a finding).
        let label_lead = text
            .split_once(':')
            .filter(|(label, rest)| {
                // "Yêu cầu: Hội X …" names the addressee after the colon; "Công an tỉnh: Chỉ đạo …"
                // before it, and what follows must be an instruction, not a finding.
                label.split_whitespace().count() <= 12 && (strip_assign_words(label).is_empty() || is_imperative(rest.trim_start()))
            })
            .map(|(label, rest)| {
                if strip_assign_words(label).is_empty() {
                    // "Yêu cầu: Hội Cựu giáo chức tỉnh … tổ chức đại hội": the addressee follows.
                    let rest = rest.trim_start();
                    self.parties(&rest[..first_verb(rest).unwrap_or(rest.len())])
                } else {
                    self.parties(label)
                }
            })
            .unwrap_or_default();
        let after_label = text.split_once(':').map_or("", |(_, rest)| rest.trim_start());
        let names_addressee = !self.parties(&after_label[..first_verb(after_label).unwrap_or(after_label.len())]).is_empty();
        let (own_lead, support) = self.roles(&text);
        let assigned = !label_lead.is_empty() || names_addressee || !self.explicit_leads(&text).is_empty();
        if !assigned && (is_label_value(&text) || is_document_item(&text)) {
            return;
        }
        let own_lead = if label_lead.is_empty() { own_lead } else { label_lead };
        let lead = if own_lead.is_empty() { lead.to_vec() } else { own_lead };
        // A letter to one addressee asks that addressee, when it asks anything at all.
        // (Not a citizen: a notice to a complainant quotes their demands, it assigns nothing.)
        let to_body = self.cx.recipients.len() == 1 && !["Ông ", "Bà ", "ông ", "bà "].iter().any(|p| self.cx.recipients[0].starts_with(p));
        let lead = if lead.is_empty() && to_body && is_imperative(&text) { self.recipients() } else { lead };
        // The issuer's own commitments ("Sở Xây dựng đã tham gia ý kiến") are not tasks it tracks.
        let lead: Vec<String> = lead.into_iter().filter(|l| !self.is_issuer(l)).collect();
        if lead.is_empty() || lead.iter().all(|l| is_upward(self.gazetteer, l, self.cx.issuer_is_central)) {
            // Nobody is asked to act (a finding, a rule, the content of what is approved), or
            // the ask goes upward.
            return;
        }
        let support: Vec<String> = support.into_iter().filter(|s| !lead.contains(s) && !self.is_issuer(s)).collect();
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
    /// "Giao Sở Tư pháp", "Giám đốc Sở Công Thương", "Các sở, ban, ngành thực hiện các nội dung
    /// sau", "Thủ trưởng các sở, ngành … có trách nhiệm". A heading that also says what to do
    /// (an action verb outside the names) is an action, not a heading.
    fn addressee_heading(&self, heading: &str) -> Option<Vec<String>> {
        if heading.is_empty() || heading.ends_with(['.', ';']) || heading.split_whitespace().count() > 40 {
            return None;
        }
        let core = strip_assign_words(heading);
        let parties = self.parties(core);
        if parties.is_empty() {
            return None;
        }
        let mut outside = core.to_owned();
        for m in self.gazetteer.find_all(core).iter().rev() {
            outside.replace_range(m.span.clone(), " ");
        }
        // Names the gazetteer does not know ("Ban Chỉ đạo xóa nhà tạm …") may hold verbs of
        // their own: compare folded, with every party's name taken out.
        let mut folded = vn_text::fold(&outside);
        for party in &parties {
            folded = folded.replace(&vn_text::fold(party), " ");
        }
        (!has_action_verb(&folded)).then_some(parties)
    }

    /// The addressees named by the last sentence of a paragraph that introduces a list:
    /// "Thống nhất tổ chức Hội nghị … Giao Trung tâm Xúc tiến Đầu tư:".
    fn closing_heading(&self, line: &str) -> Option<Vec<String>> {
        let heading = line.trim_end().strip_suffix(':')?;
        let last_sentence = heading.rfind(". ").map_or(heading, |p| &heading[p + 2..]);
        if let Some(addressees) = self.addressee_heading(last_sentence) {
            return Some(addressees);
        }
        // "Giao phòng Quản lý Công nghiệp triển khai, thực hiện các công việc liên quan:".
        let assigns = ["Giao ", "Đề nghị ", "Yêu cầu "].iter().any(|w| last_sentence.starts_with(w));
        let leads = if assigns { self.explicit_leads(last_sentence) } else { Vec::new() };
        (!leads.is_empty()).then_some(leads)
    }

    /// The addressees named after the last "giao" of a line that ends with `:` and hands out
    /// the items below: "…, giao Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh:".
    fn assigning_tail(&self, line: &str) -> Option<Vec<String>> {
        let heading = line.trim_end().strip_suffix(':')?;
        let lower = heading.to_lowercase();
        let at = lower.rfind("giao ")?;
        if lower.len() != heading.len() || lower[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
            return None;
        }
        let named = &heading[at + "giao ".len()..];
        let parties = self.parties(named);
        // Only when the tail is nothing but the addressees.
        let rest: String = vn_text::fold(named);
        let mut left = rest.clone();
        for p in &parties {
            left = left.replace(&vn_text::fold(p), " ");
        }
        (!parties.is_empty() && !has_action_verb(&left)).then_some(parties)
    }

    /// Lead and support named in a task's text.
    fn roles(&self, text: &str) -> (Vec<String>, Vec<String>) {
        let lower = text.to_lowercase();
        if lower.len() != text.len() {
            return (Vec::new(), Vec::new());
        }
        let mut support = Vec::new();
        for marker in ["phối hợp với", "phối hợp chặt chẽ với", "phối hợp cùng"] {
            for (at, _) in lower.match_indices(marker) {
                let after = at + marker.len();
                let mut end = clause_end(&lower, text, after, &ROLE_STOPS);
                // "phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư": the list shares the head.
                if lower[end..].starts_with(':') && lower[after..end].trim_start().starts_with("các ") && lower[after..end].split_whitespace().count() <= 3 {
                    end = clause_end(&lower, text, end + 1, &ROLE_STOPS);
                }
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
        let explicit = self.explicit_leads(text);
        if !explicit.is_empty() {
            return explicit;
        }
        // The sentence's subject: the bodies named before its first verb.
        let start = subject_slack(text);
        let end = first_verb(&text[start..]).map_or(text.len(), |p| start + p);
        self.parties(&text[start..end])
    }

    /// The lead an assigning word names: after "giao"/"đề nghị"/"yêu cầu", or before "chủ trì".
    fn explicit_leads(&self, text: &str) -> Vec<String> {
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
                if lower[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                // "… trân trọng đề nghị Sở X tổng hợp, báo cáo./.": the courtesy that closes a
                // letter of opinion, not an assignment. "Ban Chỉ đạo …" is a name, not a verb.
                let in_name = text[at..].starts_with(|c: char| c.is_uppercase()) && !text[..at].trim_end().ends_with(['.', ';', ':']) && at > 0;
                if lower[..at].trim_end().ends_with("trân trọng") || in_name {
                    continue;
                }
                let after = at + verb.len();
                let mut end = clause_end(&lower, text, after, &LEAD_STOPS);
                // "Giao các sở: Tài chính, Xây dựng …": the list after the colon shares the head.
                if lower[end..].starts_with(':') && lower[after..end].starts_with("các ") && lower[after..end].split_whitespace().count() <= 3 {
                    end = clause_end(&lower, text, end + 1, &LEAD_STOPS);
                }
                let parties = self.parties(&text[after..end]);
                if !parties.is_empty() {
                    return parties;
                }
            }
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
        // An addressee list is a few hundred bytes at most; reading whole paragraphs as one
        // would cost most of the parse for nothing.
        let trimmed = &trimmed[..floor_char_boundary(trimmed, MAX_PHRASE)];
        // "Giám đốc Sở Công Thương", "Thủ trưởng các sở": a head stands for the body.
        let bare = strip_title(trimmed);
        let opens_with_known = self
            .gazetteer
            .find_all(bare)
            .first()
            .is_some_and(|m| m.span.start <= 1 && m.kind != MentionKind::CatchAll);
        let shared_head = bare.starts_with("các ") || bare.starts_with("Các ");
        if !opens_with_known && !opens_with_body(bare) && !shared_head {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for party in self.gazetteer.parse_list(&capitalise_unit(trimmed)) {
            let names: Vec<String> = match &party {
                Party::CatchAll(_) => continue,
                Party::Unknown(name) => {
                    let name = trim_unknown(name);
                    if is_bare_head(name) {
                        // "Công ty chủ động liên hệ …" in a letter to firms: those firms.
                        let head = vn_text::fold(name);
                        self.recipients().into_iter().filter(|r| vn_text::fold(r).contains(&head)).collect()
                    } else if opens_with_body(name) && name.split_whitespace().count() <= 16 {
                        vec![capitalise_unit(name)]
                    } else {
                        continue;
                    }
                }
                Party::Group(name) => vec![trim_unknown(name).to_owned()],
                Party::Agency(name) => vec![name.clone()],
            };
            for name in names {
                if !name.is_empty() && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    /// Whether `name` is the issuing body itself.
    fn is_issuer(&self, name: &str) -> bool {
        self.cx.issuer.is_some_and(|issuer| vn_text::fold(issuer).starts_with(&vn_text::fold(name)))
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

/// The longest addressee phrase read, in bytes.
const MAX_PHRASE: usize = 600;

fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// Whether a phrase opens with the name of a body or a person the gazetteer may not know: a
/// firm, an association, a sub-unit, "ông/bà …". The head may be written in lower case
/// after the verb ("giao phòng Quản lý Công nghiệp").
fn opens_with_body(phrase: &str) -> bool {
    let phrase = capitalise_unit(phrase.trim_start());
    let phrase = phrase.as_str();
    const HEADS: [&str; 30] = [
        "Công ty", "Tổng công ty", "Hội", "Hiệp hội", "Trường", "Bệnh viện", "Trung tâm", "Ban", "Đoàn", "Tổ",
        "Phòng", "Chi cục", "Cục", "Viện", "Báo", "Đài", "Ủy ban", "Ngân hàng", "Văn phòng", "Doanh nghiệp",
        "Hợp tác xã", "Các tổ chức", "Các doanh nghiệp", "Các đơn vị", "Ông", "Bà", "Đồng chí", "Chủ đầu tư", "Thường trực", "Liên đoàn",
    ];
    HEADS.iter().any(|h| phrase.starts_with(h) && phrase[h.len()..].starts_with(' '))
}

/// "giao phòng Quản lý Công nghiệp": a unit's head word written in lower case after the verb
/// gets its capital back, so the name reads as a body. Only unit words: "tổ chức" is a verb.
fn capitalise_unit(phrase: &str) -> String {
    const UNITS: [&str; 6] = ["phòng ", "ban ", "trung tâm ", "chi cục ", "đội ", "văn phòng "];
    if UNITS.iter().any(|u| phrase.starts_with(u)) { capitalise_first(phrase) } else { phrase.to_owned() }
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The phrase without a leading title of a head of body.
fn strip_title(phrase: &str) -> &str {
    // "Chánh" alone: "Chánh Thanh tra tỉnh" heads "Thanh tra tỉnh", "Chánh Văn phòng …" the Văn phòng.
    const TITLES: [&str; 8] = ["Thủ trưởng", "Phó Giám đốc", "Giám đốc", "Phó Chủ tịch", "Chủ tịch", "Chánh", "Người đứng đầu", "Lãnh đạo"];
    TITLES.iter().find_map(|t| phrase.strip_prefix(t)).map_or(phrase, str::trim_start)
}

/// An unknown body's name ends where the sentence's verb starts: "Hiệp hội Nhà thầu xây
/// dựng hoàn thành …" names "Hiệp hội Nhà thầu xây dựng".
fn trim_unknown(name: &str) -> &str {
    const VERBS: [&str; 30] = [
        " hoàn thành", " thực hiện", " triển khai", " tham mưu", " báo cáo", " chủ động", " liên hệ", " gửi", " đăng",
        " khẩn trương", " phối hợp", " chủ trì", " có trách nhiệm", " chịu trách nhiệm", " nghiên cứu", " rà soát",
        " để", " tiếp thu", " kiểm tra", " xem xét", " theo chức năng", " tiếp tục", " tăng cường", " nghiêm túc",
        " giải quyết", " trong công tác", " trong việc", " xử lý", " hướng dẫn", " ban hành",
    ];
    let end = VERBS.iter().filter_map(|v| name.find(v)).min().unwrap_or(name.len());
    name[..end].trim_end_matches([',', ' '])
}

/// "Công ty", "Đơn vị", "Doanh nghiệp" on their own: the body the letter is sent to.
fn is_bare_head(name: &str) -> bool {
    matches!(name, "Công ty" | "Các Công ty" | "Các công ty" | "Đơn vị" | "Các đơn vị" | "Doanh nghiệp" | "Chủ đầu tư" | "Hội" | "Quý Công ty")
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
/// `text` is the original of `lower` (same byte offsets): a stop word written with a capital
/// is part of a name ("Công ty … Đầu tư, Xây dựng và Kinh doanh …"), not the predicate.
fn clause_end(lower: &str, text: &str, from: usize, stops: &[&str]) -> usize {
    let rest = &lower[from..];
    let mut end = rest.find([';', '.', ':', '(']).unwrap_or(rest.len());
    for stop in stops {
        let in_name = |p: usize| text[from + p + 1..].starts_with(|c: char| c.is_uppercase());
        if let Some(p) = rest[..end].match_indices(stop).map(|(p, _)| p).find(|&p| !in_name(p)) {
            end = end.min(p);
        }
    }
    from + end
}

/// The action verbs as one automaton over folded text, built once: every task asks it
/// several questions, and forty substring searches each time were most of the parse.
fn verb_finder() -> &'static aho_corasick::AhoCorasick {
    static FINDER: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| aho_corasick::AhoCorasick::new(ACTION_VERBS).expect("the verb list is a valid automaton"))
}

/// Byte offset of the first action verb in `text`, skipping verbs inside capitalised names
/// ("Công ty … Đầu tư, Xây dựng và Kinh doanh …" holds "Xây dựng" as a name, not a verb).
fn first_verb(text: &str) -> Option<usize> {
    // Folding keeps one character per character, so character positions carry over.
    let folded = vn_text::fold(text);
    let original: Vec<(usize, char)> = text.char_indices().collect();
    if folded.chars().count() != original.len() {
        return None;
    }
    // Map folded byte offsets to character indices once.
    let mut char_at = vec![0usize; folded.len() + 1];
    for (i, (byte, _)) in folded.char_indices().enumerate() {
        char_at[byte] = i;
    }
    for m in verb_finder().find_overlapping_iter(&folded) {
        let ch = char_at[m.start()];
        let (at, c) = original[ch];
        let word_start = ch == 0 || !original[ch - 1].1.is_alphanumeric();
        // A capital letter marks a name, except where a sentence starts ("Tổ chức …").
        let sentence_start = original[..ch].iter().rev().find(|(_, c)| !c.is_whitespace()).is_none_or(|(_, c)| ".;:".contains(*c));
        if word_start && (c.is_lowercase() || sentence_start) {
            return Some(at);
        }
    }
    None
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
    if let Rank::Decimal(depth) = item.rank
        && depth > 1 {
            return component;
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
        "có trách nhiệm thực hiện các nội dung sau",
        "có trách nhiệm thực hiện",
        "có trách nhiệm",
        "chịu trách nhiệm",
        "thực hiện tốt các nội dung sau",
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

/// Verbs that ask for action. A heading with one outside the names is an instruction; a
/// paragraph without any (a finding, a time and place, a list of laws) asks nothing.
const ACTION_VERBS: [&str; 41] = [
    "trien khai", "thuc hien", "tham muu", "bao cao", "kiem tra", "xay dung", "to chuc", "ra soat", "chu tri",
    "phoi hop", "chi dao", "hoan thanh", "hoan thien", "day nhanh", "tang cuong", "bao dam", "dam bao", "nghien cuu",
    "de xuat", "theo doi", "huong dan", "chuan bi", "cung cap", "gui ", "khac phuc", "bo sung", "cap nhat",
    "tuyen truyen", "pho bien", "xu ly", "giai quyet", "ban hanh", "lap ", "cu ", "thong bao", "cong khai", "quan ly",
    "nang cao", "chu dong", "tiep tuc", "thanh tra",
];

fn has_action_verb(text: &str) -> bool {
    verb_finder().is_match(&vn_text::fold(text))
}

/// An instruction opens with its verb ("Rà soát …", "Khẩn trương hoàn thành …"); a finding
/// opens with its subject ("Hồ sơ sau chỉnh sửa đã được …").
fn is_imperative(text: &str) -> bool {
    let head: String = text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    let folded = vn_text::fold(&head);
    const MARKERS: [&str; 9] = ["khan truong", "chu dong", "tiep tuc", "nghiem tuc", "co trach nhiem", "khong duoc", "chi duoc", "yeu cau", "de nghi"];
    ACTION_VERBS.iter().chain(MARKERS.iter()).any(|v| folded.starts_with(v.trim_end()))
}

/// "Thời gian kiểm tra: Ngày 29 tháng 05", "Địa điểm: …", "Khó khăn, vướng mắc: …": a field
/// and its value, not an instruction.
fn is_label_value(text: &str) -> bool {
    let Some(colon) = text.find(':') else { return false };
    let label = text[..colon].trim();
    const FIELDS: [&str; 20] = [
        "Thời gian", "Địa điểm", "Giai đoạn", "Thành phần", "Nội dung", "Phạm vi", "Đối tượng", "Hình thức", "Mục đích",
        "Kinh phí", "Phương pháp", "Căn cứ", "Thời kỳ", "Khó khăn", "Kiến nghị", "Đối với", "Quy định", "Hồ sơ", "Kết quả",
        "Tình hình",
    ];
    let words = label.split_whitespace().count();
    (words <= 12 && FIELDS.iter().any(|f| label.starts_with(f))) || (words <= 5 && !has_action_verb(label))
}

/// "Nghị định của Chính phủ quy định …", "Luật số 55/2024/QH15": an item of a list of laws.
fn is_document_item(text: &str) -> bool {
    const KINDS: [&str; 13] = [
        "Luật", "Bộ luật", "Nghị định", "Quyết định", "Thông tư", "Quy chuẩn", "Tiêu chuẩn", "Các văn bản", "Văn bản", "Nghị quyết",
        "Chỉ thị", "Công văn", "Hiến pháp",
    ];
    let t = text.trim_start();
    KINDS.iter().any(|k| t.strip_prefix(k).is_some_and(|rest| rest.starts_with([' ', ',', ';'])))
}

/// Superior or oversight bodies: a request to them ("kính trình Thường trực HĐND tỉnh xem
/// xét", "đề nghị Bộ Xây dựng sửa đổi") is a proposal upward, not a task the sender tracks.
fn is_upward(gazetteer: &Gazetteer, name: &str, issuer_is_central: bool) -> bool {
    let folded = vn_text::fold(name);
    let oversight = folded.contains("hoi dong nhan dan") || folded.contains("tinh uy") || folded.starts_with("thuong truc");
    // Ministries and their departments the directory does not list ("Cục Đăng kiểm Việt Nam")
    // are central too.
    let central = match gazetteer.canonical(name) {
        Some(agency) => agency.kind() == gazetteer::AgencyKind::Central,
        None => ["Bộ ", "Cục ", "Tổng cục ", "Vụ "].iter().any(|h| name.starts_with(h)) && !name.contains(" tỉnh"),
    };
    oversight || (central && !issuer_is_central)
}

/// Whether a paragraph assigns work.
fn assigns(text: &str) -> bool {
    let folded = vn_text::fold(text);
    if folded.starts_with("can cu") || folded.starts_with("xet de nghi") {
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

/// Which lines quote law rather than instruct: lines inside “…”, and the numbered clauses
/// that follow "… Luật X quy định:" or "Điều 56 … như sau:" until the next unnumbered line.
fn quoted_lines(lines: &[(usize, &str)]) -> Vec<bool> {
    let mut out = Vec::with_capacity(lines.len());
    let mut inside = false;
    let mut law_clauses = false;
    for (_, line) in lines {
        let labelled = crate::outline::label_of(line).is_some();
        if !labelled {
            let t = line.trim_end();
            let cites_law = ["Luật", "Nghị định", "Thông tư", "Điều "].iter().any(|k| t.contains(k));
            // "… Điều 56 Luật Quản lý ngoại thương quy định như sau:" quotes; "… như sau:" alone
            // introduces the document's own points.
            law_clauses = cites_law && (t.ends_with("quy định:") || t.ends_with("quy định như sau:"));
        }
        if labelled && law_clauses {
            out.push(true);
            continue;
        }
        let opens = line.rfind('“');
        let closes = line.rfind('”');
        let starts_quoted = line.trim_start().starts_with('“');
        out.push(inside || starts_quoted);
        inside = match (opens, closes) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => inside,
        };
    }
    out
}

/// A paragraph that opens by assigning: "Đề nghị …", "Giao …", "Yêu cầu …".
fn starts_assigning(text: &str) -> bool {
    ["Đề nghị ", "Giao ", "Yêu cầu "].iter().any(|w| text.starts_with(w))
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
        if folded.starts_with("nay ") || folded.contains("theo doi, don doc viec thuc hien cac du an") {
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
