//! Tasks: who must do what, with whom, by when — and who monitors.
//!
//! The body's numbered items are walked top-down with the addressee in force:
//! - a heading that only names an addressee (`2.1. Sở Kế hoạch và Đầu tư`, `1. Giao Sở Tư
//!   pháp:`, `Giám đốc Sở Công Thương:`) sets the lead of every item under it and is no task;
//! - `Nhiệm vụ chung` addresses everyone the document is sent to (`Kính gửi`);
//! - the smallest item that asks for action is a task; `-`/`+` lines introduced by an action
//!   ending in `:` are its parts and stay in its text;
//! - a body without numbered items has one task per paragraph that assigns work; so have the
//!   paragraphs between quotations of law, which are no items of the document's own;
//! - a paragraph that asks someone, mid-sentence, to do "the following" ("Sở Công Thương yêu
//!   cầu đơn vị nêu trên thực hiện một số nội dung sau:") addresses the items below it;
//! - a task table attached after the signature ("TT | Nhiệm vụ | Người thực hiện") gives one
//!   task per row.
//!
//! Inside a task, "giao X chủ trì, phối hợp với Y" makes X lead and Y support; "đề nghị X", "X
//! chủ trì" or a sentence opening with X make X lead; catch-alls ("các cơ quan liên quan") are
//! never parties. Agency names come from the gazetteer.

use std::sync::LazyLock;

use gazetteer::{Gazetteer, MentionKind, Party};
use vn_calendar::Date;

use crate::outline::{Item, Rank};
use crate::memo::Memo;
use crate::phrases::Phrases;
use crate::{Deadline, Monitor, Task, deadline};

/// What the task reader needs to know about the document.
pub(crate) struct Context<'a> {
    /// Body lines with their byte offsets into the repaired text.
    pub lines: &'a [(usize, &'a str)],
    /// Lines after the signature block (appendices, attached tables), likewise.
    pub appendix: &'a [(usize, &'a str)],
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
    /// The body the issuer belongs to ("Bộ Công an" for one of its departments).
    pub issuer_parent: Option<&'a str>,
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
    let mut reader = Reader {
        cx,
        gazetteer,
        tasks: Vec::new(),
        quoted: quoted_lines(cx.lines),
        prefix: "p",
        explicit_memo: Memo::default(),
        parties_memo: Memo::default(),
        upward_memo: Memo::default(),
        lower_memo: Memo::default(),
        fold_memo: Memo::default(),
        recipients: std::cell::OnceCell::new(),
    };
    // A body whose only numbered items are quoted law is an unlabelled body: its paragraphs
    // are numbered `1`, `2`, … (054).
    if items.iter().all(|i| reader.is_quoted(i)) {
        reader.prefix = "";
    }
    let first_item = items.first().map_or(cx.lines.len(), |i| i.own.start);
    reader.paragraphs(0..first_item, reader.prefix);
    // "Giao Trung tâm …:" just above the first items addresses them.
    let lead = first_item.checked_sub(1).and_then(|i| reader.closing_heading(i)).unwrap_or_default();
    reader.level(&items, "", &lead);
    // After the last item, a paragraph that assigns ("Đề nghị Công ty … chuẩn bị đầy đủ hồ
    // sơ …") is a task of its own, not the last item's continuation.
    if let Some(last) = items.last().filter(|i| !reader.is_quoted(i)) {
        let after = last.own.start + 1..last.last_line() + 1;
        let mut own_paragraphs: Vec<usize> =
            after.filter(|&i| crate::outline::label_of(cx.lines[i].1).is_none() && starts_assigning(cx.lines[i].1)).collect();
        // Unless the last item asks nothing by itself ("4. Để làm tốt vai trò …, Cục … sẽ
        // thường xuyên hướng dẫn …"): then the request below completes it.
        let mut dashes = 0;
        let last_id = items.iter().map(|i| item_id("", i, &mut dashes)).last().unwrap_or_default();
        let own = reader.own_text(last, false);
        let bare = last.children.is_empty() && !reader.tasks.iter().any(|t| t.id == last_id) && !is_label_value(&own) && !is_plain_heading(&own);
        if let Some(&first) = own_paragraphs.first().filter(|_| bare) {
            reader.task_lines(&last_id, last.own.start..first + 1, &lead);
            // The issuer's own sentence sets no deadline for the addressee.
            if let Some(task) = reader.tasks.last_mut().filter(|t| t.id == last_id) {
                task.deadline = deadline::read(cx.lines[first].1, cx.issued);
            }
            own_paragraphs.remove(0);
        }
        for i in own_paragraphs {
            reader.paragraphs(i..i + 1, "p");
        }
    }
    reader.task_table(cx.appendix);
    let monitor = monitor.or_else(|| monitor_task(&reader.tasks, cx.issued));
    (reader.tasks, monitor)
}

/// What a column of a task table holds, by its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Number,
    Task,
    Lead,
    Support,
    Deadline,
    Other,
}

/// The columns of a task table's title row ("TT | Nhiệm vụ thực hiện | Người thực hiện | Ghi
/// chú", "STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành"), when the
/// row has both a task column and a lead column.
fn table_columns(row: &str) -> Option<Vec<Column>> {
    if !row.contains('\t') {
        return None;
    }
    let columns: Vec<Column> = row
        .split('\t')
        .map(|cell| {
            let title = vn_text::fold(cell.trim());
            if title == "tt" || title == "stt" || title == "so tt" {
                Column::Number
            } else if title.contains("phoi hop") {
                Column::Support
            } else if title.contains("chu tri") || title.starts_with("nguoi thuc hien") || title.starts_with("don vi thuc hien") || title.starts_with("co quan thuc hien") {
                Column::Lead
            } else if title.starts_with("thoi gian") || title.starts_with("thoi han") || title.starts_with("tien do") {
                Column::Deadline
            } else if title.starts_with("nhiem vu") || title.starts_with("noi dung") || title.starts_with("cong viec") {
                Column::Task
            } else {
                Column::Other
            }
        })
        .collect();
    (columns.contains(&Column::Task) && columns.contains(&Column::Lead)).then_some(columns)
}

/// A numbered task that charges its lead with following this document's implementation
/// ("đ) Theo dõi, tham mưu UBND tỉnh chỉ đạo việc triển khai thực hiện các nội dung tại Công
/// văn này"; "3. Giao Sở Nội vụ theo dõi, tổng hợp kết quả thực hiện, báo cáo …").
fn monitor_task(tasks: &[Task], issued: Option<Date>) -> Option<Monitor> {
    // "tổng hợp kết quả thực hiện": compiling what the addressees did; "báo cáo … kết quả thực
    // hiện" of a programme it follows is no monitoring of this document.
    const THIS: [&str; 8] =
        ["cong van nay", "chi thi nay", "ke hoach nay", "thong bao nay", "quyet dinh nay", "van ban nay", "tong hop ket qua thuc hien", "noi dung tren"];
    // Articles of a decision that say who follows what was delegated are not a monitor.
    let task = tasks.iter().filter(|t| !t.id.starts_with("Điều")).find(|t| {
        let folded = vn_text::fold(&t.text);
        let follows = folded.starts_with("theo doi") || folded.contains(" theo doi, ");
        follows && THIS.iter().any(|p| folded.contains(p))
    })?;
    let lower = crate::layout::lowercase_keeping_offsets(&task.text);
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
    /// The id prefix of unlabelled paragraph tasks: `p` beside numbered items, else none.
    prefix: &'static str,
    /// Leads and parties already read, by text: a paragraph is read as a heading, as a task,
    /// for its subject and for its roles, and each reading asks for them again.
    explicit_memo: Memo<Vec<String>>,
    parties_memo: Memo<Vec<String>>,
    /// Whether a lead is a superior body, by name: the same leads come back task after task.
    upward_memo: Memo<bool>,
    /// Texts lower-cased (`lowercase_keeping_offsets`) and folded: each reading of a task's
    /// text (its leads, supports, deadline, closing formula) starts with one or the other.
    lower_memo: Memo<std::rc::Rc<str>>,
    fold_memo: Memo<std::rc::Rc<str>>,
    /// The document's addressees as leads, read once.
    recipients: std::cell::OnceCell<Vec<String>>,
}

impl Reader<'_> {
    /// `lowercase_keeping_offsets(text)`, read once per text.
    fn lower(&self, text: &str) -> std::rc::Rc<str> {
        self.lower_memo.get(text, || crate::layout::lowercase_keeping_offsets(text).into())
    }

    /// `vn_text::fold(text)`, read once per text.
    fn fold(&self, text: &str) -> std::rc::Rc<str> {
        self.fold_memo.get(text, || vn_text::fold(text).into())
    }

    /// The deadline `deadline::read` finds in `text`.
    fn plain_deadline(&self, text: &str) -> Deadline {
        let fold = self.fold(text);
        deadline::read_prepared(text, &self.lower(text), &crate::layout::Folded::from_fold(text, &fold), self.cx.issued)
    }

    /// Reads one level of items under the addressees `lead` inherited from above.
    fn level(&mut self, items: &[Item<'_>], parent_id: &str, lead: &[String]) {
        let mut dashes = 0;
        for item in items {
            let id = item_id(parent_id, item, &mut dashes);
            if self.is_quoted(item) {
                // Quoted law ("“3. Trường hợp các văn bản …”") assigns nothing; the letter's own
                // paragraphs between two quotations may.
                self.between_quotes(item);
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
                if item.own.len() > 1
                    && let Some(addressees) = self.closing_heading(item.own.end - 1)
                {
                    self.level(&item.children, &id, &addressees);
                    continue;
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
                if is_field_label(heading) && item.children.iter().all(|c| matches!(c.rank, Rank::Dash | Rank::Plus)) {
                    // "4. Thành phần tham gia kiểm tra:" lists what a plan is made of; only a
                    // request written into one of its lines ("Đề nghị Công ty mời …") is a task.
                    let mut dashes = 0;
                    for child in &item.children {
                        let child_id = item_id(&id, child, &mut dashes);
                        if !self.explicit_leads(&self.own_text(child, false)).is_empty() {
                            self.task(&child_id, child.own.start..child.last_line() + 1, &[]);
                        }
                    }
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

    /// Whether an item is quoted law: inside quotation marks, or an article quoted in a kind
    /// of document that has no articles of its own.
    fn is_quoted(&self, item: &Item<'_>) -> bool {
        let quotes_articles = item.rank == Rank::Article && !self.cx.kind.is_some_and(|k| ARTICLE_KINDS.contains(&k));
        self.quoted[item.own.start] || quotes_articles
    }

    /// The unquoted paragraphs that follow a quoted item and its quoted children: the letter
    /// speaking again ("Bên cạnh đó, đề nghị lưu ý tuân thủ …").
    fn between_quotes(&mut self, item: &Item<'_>) {
        for i in item.own.start + 1..item.own.end {
            if !self.quoted[i] {
                self.paragraphs(i..i + 1, self.prefix);
            }
        }
        for child in &item.children {
            self.between_quotes(child);
        }
    }

    /// The rows of a task table attached to the document, one task each. Cells are separated
    /// by tabs; a row whose blank cells the rendering dropped is read left to right, without
    /// the number column when its first cell is no number.
    fn task_table(&mut self, lines: &[(usize, &str)]) {
        let Some(header) = lines.iter().position(|(_, l)| table_columns(l).is_some()) else { return };
        let columns = table_columns(lines[header].1).unwrap_or_default();
        for (row, &(offset, line)) in lines[header + 1..].iter().take_while(|(_, l)| l.contains('\t')).enumerate() {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let numbered = cells.first().is_some_and(|c| !c.is_empty() && c.trim_end_matches('.').bytes().all(|b| b.is_ascii_digit()));
            let mut cells = cells.into_iter();
            let (mut number, mut task, mut lead, mut support, mut deadline) = (None, "", "", "", "");
            for column in &columns {
                if *column == Column::Number && !numbered {
                    continue;
                }
                let Some(value) = cells.next() else { break };
                match column {
                    Column::Number => number = Some(value.trim_end_matches('.')),
                    Column::Task => task = value,
                    Column::Lead => lead = value,
                    Column::Support => support = value,
                    Column::Deadline => deadline = value,
                    Column::Other => {}
                }
            }
            let lead = self.cell_parties(lead);
            if task.is_empty() || lead.is_empty() {
                continue;
            }
            let start = offset + line.find(task).unwrap_or(0);
            self.tasks.push(Task {
                id: format!("PL.{}", number.map_or_else(|| (row + 1).to_string(), str::to_owned)),
                text: task.to_owned(),
                support: self.cell_parties(support).into_iter().filter(|s| !lead.contains(s)).collect(),
                lead,
                deadline: if deadline.is_empty() { deadline::none() } else { deadline::read(deadline, self.cx.issued) },
                references: Vec::new(),
                span: [start, start + task.len()],
            });
        }
    }

    /// The parties a table cell names: bodies, groups and persons ("Đỗ Mạnh Cường Vũ Việt
    /// Linh" is two people), catch-alls left out.
    fn cell_parties(&self, cell: &str) -> Vec<String> {
        let mut out = Vec::new();
        for party in self.gazetteer.parse_list(cell) {
            if !party.is_catch_all() && !out.iter().any(|p| p == party.name()) {
                out.push(party.name().to_owned());
            }
        }
        out
    }

    /// Unlabelled paragraphs: each that assigns work to someone is a task.
    fn paragraphs(&mut self, range: std::ops::Range<usize>, parent_id: &str) {
        let numbered = |tasks: &[Task]| tasks.iter().filter(|t| t.id.starts_with(parent_id) && t.id[parent_id.len()..].parse::<u32>().is_ok()).count();
        let mut skip_to = range.start;
        for i in range {
            if i < skip_to {
                continue;
            }
            let text = self.cx.lines[i].1;
            // "… yêu cầu các sở, ban ngành … thực hiện các nhiệm vụ sau:" introduces the items;
            // "đề nghị lưu ý tuân thủ quy định tại Điều 58 … như sau:" before a quotation asks
            // for what it quotes.
            let introduces_quote = self.quoted.get(i + 1).copied().unwrap_or(false);
            if !assigns(text) || is_closing_formula(text) || (text.trim_end().ends_with(':') && !introduces_quote) {
                continue;
            }
            // Outside numbered items only an explicit assignment counts: "giao X", "đề nghị
            // X", "X chủ trì"; a paragraph that merely has a subject is a preamble or a finding.
            let leads = self.explicit_leads(text);
            let asks_recipient = asks(text);
            let leads = if leads.is_empty() && asks_recipient && self.cx.recipients.len() == 1 { self.recipients() } else { leads };
            if leads.is_empty() {
                continue;
            }
            let id = format!("{parent_id}{}", numbered(&self.tasks) + 1);
            // The next paragraph may say when and where the answer goes ("Văn bản tham gia ý kiến
            // … gửi về Bộ Nội vụ trước ngày 30/9/2025"): it belongs to this request when it
            // assigns nothing itself and this paragraph gave no deadline.
            let next = self.cx.lines.get(i + 1).map(|l| l.1);
            let extends = next.is_some_and(|next| {
                self.plain_deadline(text).kind == "none"
                    && self.plain_deadline(next).kind == "date"
                    && self.explicit_leads(next).is_empty()
                    && crate::outline::label_of(next).is_none()
                    && !is_closing_formula(next)
            });
            skip_to = i + 1 + usize::from(extends);
            self.task_lines(&id, i..skip_to, &leads);
        }
    }

    /// Records a task over the lines `range`, with `lead` as the addressee in force.
    fn task(&mut self, id: &str, range: std::ops::Range<usize>, lead: &[String]) {
        // A closing paragraph after the last item ("Yêu cầu các cơ quan … nghiêm túc thực
        // hiện", the monitoring clause) is the document's, not the item's.
        let end = (range.start + 1..range.end)
            .find(|&i| is_document_closing(self.cx.lines[i].1) || starts_assigning(self.cx.lines[i].1))
            .unwrap_or(range.end);
        self.task_lines(id, range.start..end, lead);
    }

    /// Records a task over exactly the lines `range`.
    fn task_lines(&mut self, id: &str, range: std::ops::Range<usize>, lead: &[String]) {
        let start_line = range.start;
        let lines = &self.cx.lines[range];
        let (start, first) = lines[0];
        let (last_offset, last) = lines[lines.len() - 1];
        let label_len = crate::outline::label_of(first).map_or(0, |l| l.len.min(first.len()));
        let text = lines
            .iter()
            .enumerate()
            .filter(|(i, (_, l))| *i == 0 || !is_footnote(l))
            .map(|(i, (_, l))| if i == 0 { &l[label_len..] } else { l })
            .collect::<Vec<_>>()
            .join(" ");
        // A closing formula, unless it charges someone by name ("3. Giao Chánh Thanh tra tỉnh …
        // theo dõi, đôn đốc, kiểm tra việc thực hiện Chỉ thị này": a task, and the monitor).
        // A numbered item whose subject names the addressees is a closing demand of its own
        // ("3.a) Thủ trưởng các sở, ngành … có kế hoạch triển khai thực hiện Chỉ thị này").
        let labelled = crate::outline::label_of(first).is_some();
        let names_subject = || labelled && !self.leads_in(&text).is_empty();
        let folded = self.fold(&text);
        if is_execution_clause(&folded) || (is_closing_folded(&folded) && self.explicit_leads(&text).is_empty() && !names_subject()) {
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
        // In a letter to "UBND các tỉnh, thành phố …", "đề nghị UBND tỉnh …" asks each of them.
        let each_of = !lead.is_empty() && own_lead.iter().all(|l| lead.iter().any(|g| is_one_of(l, g)));
        let lead = if own_lead.is_empty() || each_of { lead.to_vec() } else { own_lead };
        // A letter to one addressee asks that addressee, when it asks anything at all.
        // (Not a citizen: a notice to a complainant quotes their demands, it assigns nothing.)
        let to_body = self.cx.recipients.len() == 1 && !["Ông ", "Bà ", "ông ", "bà "].iter().any(|p| self.cx.recipients[0].starts_with(p));
        let lead = if lead.is_empty() && to_body && is_imperative(&text) { self.recipients() } else { lead };
        // The issuer's own commitments ("Sở Xây dựng đã tham gia ý kiến") are not tasks it tracks.
        let lead: Vec<String> = lead.into_iter().filter(|l| !self.is_issuer(l)).collect();
        if lead.is_empty() || lead.iter().all(|l| self.upward_memo.get(l, || is_upward(self.gazetteer, l, self.cx.issuer_is_central))) {
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
            deadline: self.deadline(&text, start_line),
            references: Vec::new(),
            span: [start + label_len, last_offset + last.len()],
        });
    }

    /// The deadline of a task's text, or the one it points to: "theo thời gian được nêu tại
    /// khoản 1" (the deadline of item 1), "đúng thời gian, địa điểm nêu trên" (the day of the
    /// "Thời gian …:" field above line `at`). The text is the pointing words.
    fn deadline(&self, text: &str, at: usize) -> Deadline {
        let own = self.plain_deadline(text);
        if own.kind != "none" {
            return own;
        }
        let fold = self.fold(text);
        let folded = crate::layout::Folded::from_fold(text, &fold);
        let Some(time) = folded.find("thoi gian").or_else(|| folded.find("thoi han")) else {
            return own;
        };
        let rest = &text[time..];
        let folded = vn_text::fold(rest);
        let words: Vec<&str> = folded.split_whitespace().take(9).collect();
        let phrase_len = |n: usize| rest.split_whitespace().take(n).map(|w| w.len() + 1).sum::<usize>().saturating_sub(1);
        // "… nêu tại khoản 1", "… tại mục 2": the deadline of that item.
        if let Some(k) = words.iter().position(|w| ["khoan", "muc", "diem"].contains(w)) {
            let target = words.get(k + 1).map(|w| w.trim_end_matches(['.', ',', ';']));
            if let Some(found) = target.and_then(|n| self.tasks.iter().find(|t| t.id == n)).filter(|t| t.deadline.date.is_some()) {
                return Deadline { text: Some(rest[..phrase_len(k + 2)].trim_end_matches(['.', ',', ';']).to_owned()), ..found.deadline.clone() };
            }
        }
        // "đúng thời gian, địa điểm nêu trên": the day of the plan's time field.
        if let Some(k) = words.iter().position(|w| w.trim_end_matches(['.', ',', ';']) == "tren").filter(|&k| k > 0 && words[k - 1] == "neu") {
            let day = self.cx.lines[..at].iter().rev().find_map(|(_, line)| field_day(line, "thoi gian"));
            if let Some(day) = day {
                let from = text[..time].rfind("đúng ").filter(|&p| p + "đúng ".len() == time).unwrap_or(time);
                let end = time + phrase_len(k + 1);
                return Deadline { kind: "date".to_owned(), date: Some(day.to_string()), text: Some(text[from..end].trim_end_matches(['.', ',', ';']).to_owned()), every: None };
            }
        }
        own
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
        if heading.is_empty() || heading.ends_with(['.', ';']) || heading.split_whitespace().nth(40).is_some() {
            return None;
        }
        let core = strip_assign_words(heading);
        // "Bộ Y tế trân trọng đề nghị UBND các tỉnh …": the addressee is after the verb.
        if [" đề nghị ", " yêu cầu ", " giao "].iter().any(|v| core.contains(v)) {
            return None;
        }
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
    fn closing_heading(&self, at: usize) -> Option<Vec<String>> {
        let heading = self.cx.lines[at].1.trim_end().strip_suffix(':')?;
        let last_sentence = heading.rfind(". ").map_or(heading, |p| &heading[p + 2..]);
        if let Some(addressees) = self.addressee_heading(last_sentence) {
            return Some(addressees);
        }
        // "Giao phòng Quản lý Công nghiệp triển khai, thực hiện các công việc liên quan:".
        let assigns = ["Giao ", "Đề nghị ", "Yêu cầu "].iter().any(|w| last_sentence.starts_with(w));
        let leads = if assigns { self.explicit_leads(last_sentence) } else { Vec::new() };
        if !leads.is_empty() {
            return Some(leads);
        }
        self.asks_the_following(at, last_sentence)
    }

    /// The addressees of a sentence that asks them, mid-sentence, to do what follows: "Để …,
    /// Sở Công Thương yêu cầu đơn vị nêu trên thực hiện một số nội dung sau", "Bộ Công an trân
    /// trọng đề nghị UBND các tỉnh, thành phố trực thuộc Trung ương một số nội dung sau".
    fn asks_the_following(&self, at: usize, sentence: &str) -> Option<Vec<String>> {
        const FOLLOWING: [&str; 6] = ["noi dung sau", "nhiem vu sau", "viec sau", "yeu cau sau", "noi dung nhu sau", "nhiem vu nhu sau"];
        let folded = vn_text::fold(sentence);
        if !FOLLOWING.iter().any(|f| folded.ends_with(f)) {
            return None;
        }
        let lower = crate::layout::lowercase_keeping_offsets(sentence);
        let verb = ["yêu cầu ", "đề nghị ", "giao "]
            .iter()
            .filter_map(|v| lower.match_indices(v).map(|(p, _)| p + v.len()).filter(|&p| p == v.len() || lower[..p - v.len()].ends_with(' ')).last())
            .max()?;
        let end = clause_end(&lower, sentence, verb, &LEAD_STOP_PHRASES);
        let tail = ["một số", "các nội dung", "những nội dung", "các nhiệm vụ", "những nhiệm vụ", "các việc", "các công việc", "các yêu cầu"]
            .iter()
            .filter_map(|t| crate::layout::find_folded(&sentence[verb..end], &format!(" {}", vn_text::fold(t))))
            .min()
            .map_or(end, |p| verb + p);
        let named = &sentence[verb..tail];
        let parties = match self.referenced_bodies(at, named) {
            Some(bodies) => bodies,
            None => self.parties(named),
        };
        (!parties.is_empty()).then_some(parties)
    }

    /// Bodies that "(các) đơn vị nêu trên", "các doanh nghiệp trên" points back to: the list
    /// after the last "các đơn vị:" before line `at` ("… của các đơn vị: Công ty A (gói thầu
    /// …); Công ty B (…)"), each name ending at its parenthesis.
    fn referenced_bodies(&self, at: usize, phrase: &str) -> Option<Vec<String>> {
        let folded = vn_text::fold(phrase.trim());
        let noun = ["don vi", "doanh nghiep", "cong ty", "to chuc"].into_iter().find(|n| folded.contains(n))?;
        if !(folded.ends_with(" tren") || folded.ends_with(" nay")) || folded.split_whitespace().count() > 5 {
            return None;
        }
        let introducer = format!("cac {noun}:");
        let (line, start) = self.cx.lines[..at].iter().rev().find_map(|(_, l)| crate::layout::find_folded(l, &introducer).map(|p| (*l, p)))?;
        // Folding keeps one character per character: skip as many as the introducer has.
        let list: String = line[start..].chars().skip(introducer.chars().count()).collect();
        let mut names = Vec::new();
        let mut depth = 0usize;
        let mut segment = String::new();
        let flush = |segment: &mut String, names: &mut Vec<String>| {
            for p in self.parties(segment.trim()) {
                if !names.contains(&p) {
                    names.push(p);
                }
            }
            segment.clear();
        };
        let mut closed = false;
        for c in list.chars() {
            match c {
                '(' => {
                    if depth == 0 {
                        closed = true;
                    }
                    depth += 1;
                }
                ')' => depth = depth.saturating_sub(1),
                ';' if depth == 0 => {
                    flush(&mut segment, &mut names);
                    closed = false;
                }
                '.' if depth == 0 => break,
                _ if depth == 0 && !closed => segment.push(c),
                _ => {}
            }
        }
        flush(&mut segment, &mut names);
        (!names.is_empty()).then_some(names)
    }

    /// The addressees named after the last "giao" of a line that ends with `:` and hands out
    /// the items below: "…, giao Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh:".
    fn assigning_tail(&self, line: &str) -> Option<Vec<String>> {
        let heading = line.trim_end().strip_suffix(':')?;
        let lower = crate::layout::lowercase_keeping_offsets(heading);
        let at = lower.rfind("giao ")?;
        if lower[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
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
        (self.leads_in(text), self.supports(text))
    }

    /// The supporting bodies: after "phối hợp với" and its variants.
    fn supports(&self, text: &str) -> Vec<String> {
        static MARKERS: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(&["phối hợp với", "phối hợp chặt chẽ với", "phối hợp cùng"]));
        let lower = self.lower(text);
        let mut support = Vec::new();
        // Every marker starts "phối hợp", which most texts do not hold.
        if !lower.contains("phối hợp") {
            return support;
        }
        let found = MARKERS.scan(&lower);
        for (i, marker) in MARKERS.list().iter().enumerate() {
            for at in found.of(i) {
                let after = at + marker.len();
                // A catch-all that holds a semicolon ("các sở, ngành; cơ quan thông tấn, báo
                // chí") is read whole, not cut at it.
                let head = &text[after..floor_char_boundary(text, after + MAX_PHRASE)];
                let blank = head.len() - head.trim_start().len();
                let opening = self.gazetteer.find_all_if_opening(head, blank).unwrap_or_default();
                let skip = opening.first().filter(|m| m.kind == MentionKind::CatchAll && head[..m.span.start].trim().is_empty()).map_or(0, |m| m.span.end);
                let mut end = clause_end(&lower, text, after + skip, &ROLE_STOP_PHRASES);
                // "phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư": the list shares the head.
                if lower[end..].starts_with(':') && lower[after..end].trim_start().starts_with("các ") && lower[after..end].split_whitespace().count() <= 3 {
                    end = clause_end(&lower, text, end + 1, &ROLE_STOP_PHRASES);
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
        support
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
        let end = first_verb_folded(&text[start..], &self.fold(&text[start..])).map_or(text.len(), |p| start + p);
        self.parties(&text[start..end])
    }

    /// The lead an assigning word names: after "giao"/"đề nghị"/"yêu cầu", or before "chủ trì".
    fn explicit_leads(&self, text: &str) -> Vec<String> {
        self.explicit_memo.get(text, || self.read_explicit_leads(text))
    }

    fn read_explicit_leads(&self, text: &str) -> Vec<String> {
        static OPENERS: LazyLock<Phrases> =
            LazyLock::new(|| Phrases::new(&["giao ", "Giao ", "đề nghị ", "Đề nghị ", "yêu cầu ", "Yêu cầu ", ";", ".", " đến "]));
        let lower = self.lower(text);
        // "… X chủ trì": X is the body named right before. (`contains` looks many bytes at a
        // time, `find` one: most texts have no "chủ trì".)
        if lower.contains("chủ trì")
            && let Some(at) = lower.find("chủ trì")
        {
            let before = &text[..at];
            // "… chuyển Văn bản nêu trên đến Sở Công Thương để chủ trì": the body it goes to.
            let start = OPENERS.last_end(before).unwrap_or(0);
            let parties = self.parties(&text[start..at]);
            if !parties.is_empty() {
                return parties;
            }
        }
        static VERBS: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(&["giao cho ", "giao ", "đề nghị ", "yêu cầu "]));
        // "giao cho " holds "giao ": a text with none of the three has no verb at all.
        if !["giao ", "đề nghị ", "yêu cầu "].iter().any(|v| lower.contains(v)) {
            return Vec::new();
        }
        let found = VERBS.scan(&lower);
        for (i, verb) in VERBS.list().iter().enumerate() {
            for at in found.of(i) {
                if lower[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                // "… trân trọng đề nghị Sở X tổng hợp, báo cáo./.": the courtesy that closes a
                // letter of opinion, not an assignment. "Ban Chỉ đạo …" is a name, not a verb.
                let in_name = text[at..].starts_with(|c: char| c.is_uppercase()) && !text[..at].trim_end().ends_with(['.', ';', ':']) && at > 0;
                if in_name || (lower[..at].trim_end().ends_with("trân trọng") && is_courtesy(&lower[at..])) {
                    continue;
                }
                let after = at + verb.len();
                let mut end = clause_end(&lower, text, after, &LEAD_STOP_PHRASES);
                // "Giao các sở: Tài chính, Xây dựng …": the list after the colon shares the head.
                if lower[end..].starts_with(':') && lower[after..end].starts_with("các ") && lower[after..end].split_whitespace().count() <= 3 {
                    end = clause_end(&lower, text, end + 1, &LEAD_STOP_PHRASES);
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
        self.parties_memo.get(phrase, || self.read_parties(phrase))
    }

    fn read_parties(&self, phrase: &str) -> Vec<String> {
        let trimmed = phrase.trim_start_matches([' ', ',', ':']).trim_end();
        if trimmed.is_empty() {
            return Vec::new();
        }
        // An addressee list is a few hundred bytes at most; reading whole paragraphs as one
        // would cost most of the parse for nothing.
        let trimmed = &trimmed[..floor_char_boundary(trimmed, MAX_PHRASE)];
        // "Giám đốc Sở Công Thương", "Thủ trưởng các sở": a head stands for the body.
        let bare = strip_title(trimmed);
        // `None`: no name opens the phrase (most phrases read are sentences, not lists).
        let in_bare = self.gazetteer.find_all_if_opening(bare, 1);
        let opens_with_known = in_bare.as_ref().and_then(|m| m.first()).is_some_and(|m| m.span.start <= 1 && m.kind != MentionKind::CatchAll);
        let shared_head = bare.starts_with("các ") || bare.starts_with("Các ");
        if !opens_with_known && !opens_with_body(bare) && !shared_head {
            return Vec::new();
        }
        let listed = capitalise_unit(trimmed);
        // Without a title or a capital to add, the list is the phrase just searched.
        let mentions = match in_bare {
            Some(mentions) if listed == bare => mentions,
            _ => self.gazetteer.find_all(&listed),
        };
        let mut out: Vec<String> = Vec::new();
        for party in self.gazetteer.parse_mentions(&listed, &mentions) {
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
        let name = vn_text::fold(name);
        // OCR may cut the issuer's name short ("Cục Cảnh sát điêu tra"): a name of four words
        // or more that it starts is the issuer too. Its parent body is the sender's side.
        let issuer = self.cx.issuer.map(vn_text::fold).is_some_and(|i| i.starts_with(&name) || (i.split_whitespace().count() >= 4 && name.starts_with(&i)));
        issuer || self.cx.issuer_parent.is_some_and(|p| vn_text::fold(p) == name)
    }

    /// The document's addressees, as leads.
    fn recipients(&self) -> Vec<String> {
        if let Some(known) = self.recipients.get() {
            return known.clone();
        }
        // Not `get_or_init`: reading them may ask for them again (a recipient "Các Công ty"
        // is read as the recipients), which recurses as it always did.
        let read = self.read_recipients();
        let _ = self.recipients.set(read.clone());
        read
    }

    fn read_recipients(&self) -> Vec<String> {
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
    const HEADS: [&str; 32] = [
        "Công ty", "Tổng công ty", "Hội", "Hiệp hội", "Trường", "Bệnh viện", "Trung tâm", "Ban", "Đoàn", "Tổ",
        "Phòng", "Chi cục", "Cục", "Viện", "Báo", "Đài", "Ủy ban", "Ngân hàng", "Văn phòng", "Doanh nghiệp",
        "Hợp tác xã", "Các tổ chức", "Các doanh nghiệp", "Các đơn vị", "Ông", "Bà", "Đồng chí", "Chủ đầu tư", "Thường trực", "Liên đoàn",
        "Bưu điện", "Viễn thông",
    ];
    HEADS.iter().any(|h| phrase.starts_with(h) && phrase[h.len()..].starts_with(' '))
}

/// "giao phòng Quản lý Công nghiệp": a unit's head word written in lower case after the verb
/// gets its capital back, so the name reads as a body. Only unit words: "tổ chức" is a verb.
fn capitalise_unit(phrase: &str) -> String {
    const UNITS: [&str; 8] = ["phòng ", "ban ", "trung tâm ", "chi cục ", "đội ", "văn phòng ", "các đơn vị ", "các doanh nghiệp "];
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
    const VERBS: [&str; 38] = [
        " hoàn thành", " thực hiện", " triển khai", " tham mưu", " báo cáo", " chủ động", " liên hệ", " gửi", " đăng",
        " khẩn trương", " phối hợp", " chủ trì", " có trách nhiệm", " chịu trách nhiệm", " nghiên cứu", " rà soát",
        " để", " tiếp thu", " kiểm tra", " xem xét", " theo chức năng", " tiếp tục", " tăng cường", " nghiêm túc",
        " giải quyết", " trong công tác", " trong việc", " xử lý", " hướng dẫn", " ban hành", " trong phạm vi",
        " có kế hoạch", " mời", " tham gia", " thông báo", " chuẩn bị", " cung cấp", " bổ sung",
    ];
    static FINDER: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(&VERBS));
    let end = FINDER.first(name).unwrap_or(name.len());
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

/// "đề nghị Sở Công Thương tổng hợp, báo cáo./." after "trân trọng": the short courtesy that
/// closes a letter of opinion. A ministry's "trân trọng đề nghị UBND các tỉnh … tham gia ý kiến
/// vào Dự thảo …" is a request, written politely.
fn is_courtesy(request: &str) -> bool {
    let sentence = request.split(['.', ';']).next().unwrap_or(request);
    sentence.split_whitespace().count() <= 15
}

/// Words that end the list of addressees after "giao"/"đề nghị".
const LEAD_STOPS: [&str; 17] = [
    " chủ trì", " tham mưu", " thực hiện", " triển khai", " khẩn trương", " nghiên cứu", " rà soát", " tổ chức",
    " phối hợp", " chịu trách nhiệm", " theo dõi", " xem xét", " có ý kiến", " chỉ đạo", " đôn đốc", " hướng dẫn",
    " tham gia",
];

/// Words that end the list of supporting bodies after "phối hợp với".
const ROLE_STOPS: [&str; 12] = [
    " tham mưu", " thực hiện", " triển khai", " khẩn trương", " nghiên cứu", " rà soát", " tổ chức", " xây dựng",
    " kiểm tra", " theo dõi", " đề xuất", " hướng dẫn",
];

static LEAD_STOP_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(&LEAD_STOPS));
static ROLE_STOP_PHRASES: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(&ROLE_STOPS));

/// End of the phrase starting at `from`: the first stop word, `;`, `.` or `:`.
/// `text` is the original of `lower` (same byte offsets): a stop word written with a capital
/// is part of a name ("Công ty … Đầu tư, Xây dựng và Kinh doanh …"), not the predicate.
fn clause_end(lower: &str, text: &str, from: usize, stops: &Phrases) -> usize {
    let rest = &lower[from..];
    let mut end = rest.find([';', '.', ':', '(']).unwrap_or(rest.len());
    let found = stops.scan(&rest[..end]);
    // "các tổ chức chính trị - xã hội": after a plural marker the word is a noun.
    let in_name = |p: usize| text[from + p + 1..].starts_with(|c: char| c.is_uppercase()) || after_plural(&lower[..from + p]);
    for (i, stop) in stops.list().iter().enumerate() {
        // Stop by stop, each looked for before the end the previous ones left.
        if let Some(p) = found.of(i).take_while(|&p| p + stop.len() <= end).find(|&p| !in_name(p)) {
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
    first_verb_folded(text, &vn_text::fold(text))
}

/// [`first_verb`] of a text whose fold (`vn_text::fold`) is at hand.
fn first_verb_folded(text: &str, folded: &str) -> Option<usize> {
    // Folding keeps one character per character, so character positions carry over.
    if folded.chars().count() != text.chars().count() {
        return None;
    }
    // The same character in `folded` and in `text`, by byte offset: walked forward to each
    // verb (and from the start again for a verb that starts before the last one).
    let (mut f, mut t) = (0, 0);
    for m in verb_finder().find_overlapping_iter(folded) {
        if m.start() < f {
            (f, t) = (0, 0);
        }
        while f < m.start() {
            f += folded[f..].chars().next().map_or(1, char::len_utf8);
            t += text[t..].chars().next().map_or(1, char::len_utf8);
        }
        let at = t;
        let c = text[at..].chars().next().expect("a verb starts at a character");
        let before = &text[..at];
        let word_start = before.chars().next_back().is_none_or(|p| !p.is_alphanumeric());
        // A capital letter marks a name, except where a sentence starts ("Tổ chức …").
        let sentence_start = before.trim_end().chars().next_back().is_none_or(|p| ".;:".contains(p));
        if word_start && (c.is_lowercase() || sentence_start) && !after_plural(before) {
            return Some(at);
        }
    }
    None
}

/// Whether `before` ends with a plural marker ("các", "những"), after which a verb-like word
/// is a noun: "các tổ chức, cá nhân" names bodies, "tổ chức hội nghị" is an action.
fn after_plural(before: &str) -> bool {
    let word = before.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
    ["các", "Các", "những", "Những", "mọi", "Mọi"].contains(&word)
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

/// Whether `name` is one member of the group `group` named in the singular: "Ủy ban nhân dân
/// tỉnh" of "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Ủy ban nhân dân
/// huyện" of "Ủy ban nhân dân các huyện, thị xã".
fn is_one_of(name: &str, group: &str) -> bool {
    let (name, group) = (vn_text::fold(name).to_lowercase(), vn_text::fold(group).to_lowercase());
    let Some((head, unit)) = name.rsplit_once(' ') else { return false };
    ["tinh", "huyen", "xa"].contains(&unit) && group.starts_with(&format!("{head} cac {unit}"))
}

/// "Nhiệm vụ chung", "Nhiệm vụ chung của các sở, ngành": items for every addressee.
fn is_general_heading(heading: &str) -> bool {
    let folded = vn_text::fold(heading);
    folded.starts_with("nhiem vu chung") || folded.starts_with("yeu cau chung") || folded.starts_with("trach nhiem chung")
}

/// Headings that group items without naming anyone: "Nhiệm vụ cụ thể", "TỔ CHỨC THỰC HIỆN".
fn is_plain_heading(heading: &str) -> bool {
    // Counted only as far as the limit: a heading may be a whole paragraph.
    let words = heading.split_whitespace().take(13).count();
    if words == 0 || words > 12 || heading.ends_with(['.', ';', ',']) {
        return false;
    }
    let folded = vn_text::fold(heading);
    const GROUPING: [&str; 12] = [
        "nhiem vu cu the", "nhiem vu", "giai phap", "to chuc thuc hien", "muc dich", "yeu cau", "noi dung", "phan cong",
        "trach nhiem", "dieu khoan thi hanh", "hieu luc", "kinh phi",
    ];
    crate::layout::is_upper(heading) || GROUPING.iter().any(|g| folded.starts_with(g))
}

/// Removes the assigning words around the addressees of a heading.
fn strip_assign_words(heading: &str) -> &str {
    let mut h = heading.trim();
    for prefix in [
        "Giao cho",
        "Giao",
        "Đề nghị",
        "Yêu cầu",
        "Đối với",
        "Trách nhiệm của",
        "Chức năng, nhiệm vụ, quyền hạn của",
        "Chức năng, nhiệm vụ của",
        "Nhiệm vụ, quyền hạn của",
        "Nhiệm vụ của",
    ] {
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
        "một số nội dung sau",
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

/// Labels of the fields of a plan or a report.
const FIELDS: [&str; 20] = [
    "Thời gian", "Địa điểm", "Giai đoạn", "Thành phần", "Nội dung", "Phạm vi", "Đối tượng", "Hình thức", "Mục đích",
    "Kinh phí", "Phương pháp", "Căn cứ", "Thời kỳ", "Khó khăn", "Kiến nghị", "Đối với", "Quy định", "Hồ sơ", "Kết quả",
    "Tình hình",
];

/// "Thời gian kiểm tra: Ngày 29 tháng 05", "Địa điểm: …", "Khó khăn, vướng mắc: …": a field
/// and its value, not an instruction.
fn is_label_value(text: &str) -> bool {
    let Some(colon) = text.find(':') else { return false };
    let label = text[..colon].trim();
    let words = label.split_whitespace().count();
    // "Về kho VLNCN: Tăng cường rà soát …" is a topic and an instruction, not a field.
    let value = text[colon + 1..].trim_start();
    (words <= 12 && FIELDS.iter().any(|f| label.starts_with(f))) || (words <= 5 && !has_action_verb(label) && !is_imperative(value))
}

/// The day a field line gives ("2. Thời gian kiểm tra: Ngày 31 tháng 03 năm 2026 (thứ Ba)"),
/// the field named by its folded label start.
fn field_day(line: &str, field: &str) -> Option<Date> {
    let label_len = crate::outline::label_of(line).map_or(0, |l| l.len.min(line.len()));
    let body = &line[label_len..];
    let (label, value) = body.split_once(':')?;
    if !vn_text::fold(label.trim()).starts_with(field) {
        return None;
    }
    // The first place a whole date can be read ("13h30 ngày 07/7/2026" skips the hour).
    let starts = value.char_indices().filter(|&(i, c)| c.is_ascii_digit() && !value[..i].ends_with(|p: char| p.is_ascii_digit()));
    starts.into_iter().find_map(|(i, _)| legal_ref::dates::date_at(&value[i..]).map(|(d, _)| d))
}

/// A footnote as the text rendering leaves it inside the body: its number, then the quoted
/// law it cites ("2 “đ) Bản sao văn bản …", "5 đ) Khi có yêu cầu …").
fn is_footnote(line: &str) -> bool {
    let Some((number, rest)) = line.split_once(' ') else { return false };
    (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && (rest.starts_with(['“', '"']) || crate::outline::label_of(rest).is_some_and(|l| l.rank != Rank::Dash && l.rank != Rank::Plus))
}

/// A heading that names a field of a plan ("Thành phần tham gia kiểm tra", "Thời gian"): its
/// lines are the field's values.
fn is_field_label(heading: &str) -> bool {
    const PLAN_FIELDS: [&str; 10] =
        ["Thời gian", "Địa điểm", "Giai đoạn", "Thành phần", "Nội dung", "Phạm vi", "Đối tượng", "Hình thức", "Phương pháp", "Thời kỳ"];
    heading.split_whitespace().count() <= 8 && PLAN_FIELDS.iter().any(|f| heading.starts_with(f))
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

/// Whether "đề nghị" or "yêu cầu" is used as a verb that asks: not as the noun of "hồ sơ đề
/// nghị phê duyệt", "theo đề nghị của", "đáp ứng yêu cầu", "khi có yêu cầu".
fn asks(text: &str) -> bool {
    const NOUN_USE: [&str; 14] = ["sơ", "bản", "theo", "xét", "đơn", "trình", "văn", "giấy", "dung", "ứng", "có", "các", "những", "được"];
    let lower = text.to_lowercase();
    ["đề nghị", "yêu cầu"].iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let before = lower[..at].trim_end();
            let word = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
            let courtesy = word == "trọng" && is_courtesy(&lower[at..]);
            !(NOUN_USE.contains(&word) || courtesy)
        })
    })
}

/// Whether a paragraph assigns work.
fn assigns(text: &str) -> bool {
    let folded = vn_text::fold(text);
    if folded.starts_with("can cu") || folded.starts_with("xet de nghi") {
        return false;
    }
    static WORDS: LazyLock<Phrases> = LazyLock::new(|| {
        Phrases::new(&["giao ", "de nghi ", "yeu cau ", "chu tri", "chiu trach nhiem", "khan truong", "trien khai", "tham muu"])
    });
    WORDS.first(&folded).is_some()
}

/// The closing formula that asks everyone to carry out the document ("Yêu cầu các cơ quan,
/// đơn vị nghiêm túc triển khai thực hiện Chỉ thị này"; "… chịu trách nhiệm thi hành Quyết
/// định này"): not a task of its own.
fn is_closing_formula(text: &str) -> bool {
    is_closing_folded(&vn_text::fold(text))
}

/// [`is_closing_formula`] of a folded text.
fn is_closing_folded(folded: &str) -> bool {
    // "thực hiện"/"triển khai" and this document.
    static CARRY_OUT: LazyLock<Phrases> = LazyLock::new(|| {
        Phrases::new(&[
            "thuc hien chi thi nay", "trien khai chi thi nay", "thuc hien cong van nay", "trien khai cong van nay",
            "thuc hien thong bao nay", "trien khai thong bao nay", "thuc hien ke hoach nay", "trien khai ke hoach nay",
            "thuc hien van ban nay", "trien khai van ban nay",
        ])
    });
    // Each carrying-out phrase names this document.
    let names_this = ["chi thi nay", "cong van nay", "thong bao nay", "ke hoach nay", "van ban nay"].iter().any(|d| folded.contains(d));
    is_execution_clause(folded) || (names_this && CARRY_OUT.first(folded).is_some()) || folded.starts_with("nay,") || bases_on_this_document(folded)
}

/// The execution clause of a decision ("… chịu trách nhiệm thi hành Quyết định này"), folded:
/// never a task, numbered or not.
fn is_execution_clause(folded: &str) -> bool {
    folded.contains("chiu trach nhiem thi hanh") || folded.contains("thi hanh quyet dinh nay")
}

/// "Căn cứ Chỉ thị này, …", "Căn cứ nội dung văn bản, …" (folded): the closing that hands the
/// document itself over for execution. "Căn cứ nội dung Thỏa thuận hợp tác giữa …, giao …"
/// bases an instruction on another text and is no closing.
fn bases_on_this_document(folded: &str) -> bool {
    let Some(rest) = folded.strip_prefix("can cu ") else { return false };
    let clause = rest.split(',').next().unwrap_or(rest).trim();
    clause.split_whitespace().count() <= 5 && (clause.ends_with(" nay") || clause.ends_with("van ban"))
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
        // OCR and Word dumps write straight quotes as often as curly ones: one opens where a
        // quotation can open (line start, after a colon or a space), else it closes.
        let straight = line.match_indices('"').map(|(p, _)| p);
        let (straight_opens, straight_closes): (Vec<usize>, Vec<usize>) =
            straight.partition(|&p| p == 0 || line[..p].ends_with(": ") || line[..p].ends_with(':') || (line[..p].ends_with(' ') && !line[p + 1..].starts_with(' ')));
        let opens = [line.rfind('“'), straight_opens.last().copied()].into_iter().flatten().max();
        let closes = [line.rfind('”'), straight_closes.last().copied()].into_iter().flatten().max();
        let starts_quoted = line.trim_start().starts_with(['“', '"']);
        out.push(inside || starts_quoted);
        inside = match (opens, closes) {
            // A quotation left open runs on to the next lines only when it opens a block of
            // quoted text (at the start of the line or after "quy định:"); a title quoted
            // mid-sentence whose closing mark OCR lost ends with its line.
            (Some(o), c) if c.is_none_or(|c| o > c) => {
                let before = line[..o].trim_end();
                before.is_empty() || before.ends_with(':')
            }
            (_, Some(_)) => false,
            (_, None) => inside,
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
    // "./." ends the body; "Ngoài việc thực hiện các nội dung trên, yêu cầu …" speaks of the
    // whole list.
    text.trim_end().ends_with("./.")
        || folded.contains("cac noi dung tren")
        || folded.contains("noi dung neu tren")
        || is_closing_formula(text)
        || folded.contains("theo doi, don doc")
        || ["yeu cau cac ", "yeu cau thu truong", "de nghi cac ", "trong qua trinh thuc hien", "tren day", "nay thong bao"]
            .iter()
            .any(|p| folded.starts_with(p))
}

/// The monitoring clause: "X chịu trách nhiệm theo dõi, đôn đốc và tổng hợp, báo cáo UBND
/// tỉnh … khi có yêu cầu", "giao Văn phòng UBND tỉnh theo dõi, đôn đốc …".
fn monitor(cx: &Context<'_>, gazetteer: &Gazetteer) -> Option<Monitor> {
    let mut folded = String::new();
    for &(_, line) in cx.lines {
        folded.clear();
        vn_text::fold_into(line, &mut folded);
        if !folded.contains("don doc") {
            continue;
        }
        if !(folded.contains("theo doi") || folded.contains("tong hop")) {
            continue;
        }
        if folded.starts_with("nay ") || folded.contains("theo doi, don doc viec thuc hien cac du an") {
            continue;
        }
        // Byte offsets in the folded text differ from the original: find the clause in the
        // original by the position of "đôn đốc" there.
        let lower = crate::layout::lowercase_keeping_offsets(line);
        let urge = lower.find("đôn đốc").unwrap_or(0);
        let sentence_start = line[..urge].rfind(['.', ';']).map_or(0, |p| p + 1);
        let mentions = gazetteer.find_all(&line[sentence_start..urge]);
        let agency = mentions.iter().rev().find(|m| m.kind != MentionKind::CatchAll)?.name.clone();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines with their byte offsets, as the parser hands them over.
    fn lines<'a>(text: &[&'a str], from: usize) -> Vec<(usize, &'a str)> {
        let mut offset = from;
        text.iter()
            .map(|l| {
                let at = offset;
                offset += l.len() + 1;
                (at, *l)
            })
            .collect()
    }

    struct Doc<'a> {
        kind: Option<&'a str>,
        recipients: &'a [&'a str],
        issuer: Option<&'a str>,
        issuer_parent: Option<&'a str>,
        central: bool,
        body: &'a [&'a str],
        appendix: &'a [&'a str],
    }

    const LETTER: Doc<'static> =
        Doc { kind: Some("cong_van"), recipients: &[], issuer: None, issuer_parent: None, central: false, body: &[], appendix: &[] };

    fn read_doc(doc: Doc<'_>) -> (Vec<Task>, Option<Monitor>) {
        let recipients: Vec<String> = doc.recipients.iter().map(|s| s.to_string()).collect();
        let body = lines(doc.body, 0);
        let appendix = lines(doc.appendix, 100_000);
        let cx = Context {
            lines: &body,
            appendix: &appendix,
            recipients: &recipients,
            issued: Date::from_ymd(2026, 3, 2).ok(),
            kind: doc.kind,
            issuer_is_central: doc.central,
            issuer: doc.issuer,
            issuer_parent: doc.issuer_parent,
        };
        read(&cx)
    }

    fn tasks(doc: Doc<'_>) -> Vec<(String, Vec<String>)> {
        read_doc(doc).0.into_iter().map(|t| (t.id, t.lead)).collect()
    }

    fn task(id: &str, lead: &[&str]) -> (String, Vec<String>) {
        (id.to_owned(), lead.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn after_a_plural_marker_a_verb_is_a_noun() {
        let body = [
            "1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội phối hợp tuyên truyền.",
            "2. Các tổ chức, cá nhân được cấp phép khai thác cát có trách nhiệm bảo vệ bờ sông.",
        ];
        assert_eq!(
            tasks(Doc { body: &body, ..LETTER }),
            [
                task("1", &["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các tổ chức chính trị - xã hội"]),
                task("2", &["Các tổ chức, cá nhân được cấp phép khai thác cát"]),
            ]
        );
    }

    #[test]
    fn a_shared_head_list_ends_at_its_verb() {
        let body = ["2. Giao các sở: Y tế, Xây dựng đôn đốc, hướng dẫn các đơn vị hoàn thành báo cáo."];
        assert_eq!(tasks(Doc { body: &body, ..LETTER }), [task("2", &["Sở Y tế", "Sở Xây dựng"])]);
    }

    #[test]
    fn chi_dao_names_whom_the_lead_directs_not_the_lead() {
        let body = [
            "3. Ủy ban nhân dân các huyện, thị xã, thành phố:",
            "a) Chỉ đạo Ủy ban nhân dân các xã tổ chức tuyên truyền về kỳ thi.",
            "b) Bố trí lực lượng bảo đảm an ninh. Chỉ đạo các cơ quan chuyên môn đôn đốc thực hiện.",
        ];
        let group = ["Ủy ban nhân dân các huyện, thị xã, thành phố"];
        assert_eq!(tasks(Doc { body: &body, ..LETTER }), [task("3.a", &group), task("3.b", &group)]);
    }

    #[test]
    fn closing_formulas_and_what_only_looks_like_them() {
        let body = [
            "1. Sở Y tế:",
            "- Căn cứ nội dung Thỏa thuận hợp tác với Hiệp hội Dược, giao Trung tâm Kiểm nghiệm chủ trì tổ chức hội nghị.",
            "2. Thủ trưởng các sở, ban, ngành của tỉnh có kế hoạch triển khai thực hiện Chỉ thị này.",
            "Căn cứ Chỉ thị này, các sở xây dựng kế hoạch cụ thể./.",
        ];
        assert_eq!(
            tasks(Doc { kind: Some("chi_thi"), body: &body, ..LETTER }),
            [task("1.-1", &["Trung tâm Kiểm nghiệm"]), task("2", &["Các sở, ban, ngành của tỉnh"])]
        );
        let decision = ["Điều 1. Giao Sở Y tế tổ chức kiểm tra.", "Điều 2. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Y tế chịu trách nhiệm thi hành Quyết định này."];
        assert_eq!(tasks(Doc { kind: Some("quyet_dinh"), body: &decision, ..LETTER }), [task("Điều 1", &["Sở Y tế"])]);
    }

    #[test]
    fn a_plan_field_is_no_task_but_a_request_written_into_it_is() {
        let body = [
            "Sở Công Thương thông báo kế hoạch kiểm tra như sau:",
            "1. Thời gian kiểm tra: Ngày 31 tháng 03 năm 2026",
            "2. Thành phần tham gia:",
            "- Chủ trì: Sở Công Thương",
            "- Thành phần tham dự: Công ty TNHH An Bình. Đề nghị Công ty mời các nhà thầu có liên quan.",
            "Đề nghị Công ty TNHH An Bình chuẩn bị hồ sơ, làm việc với Đoàn kiểm tra đúng thời gian, địa điểm nêu trên.",
        ];
        let doc = Doc { recipients: &["Công ty TNHH An Bình"], issuer: Some("Sở Công Thương tỉnh Lào Cai"), body: &body, ..LETTER };
        let (found, _) = read_doc(doc);
        let ids: Vec<(&str, &[String])> = found.iter().map(|t| (t.id.as_str(), t.lead.as_slice())).collect();
        assert_eq!(ids, [("2.-2", &["Công ty TNHH An Bình".to_owned()][..]), ("p1", &["Công ty TNHH An Bình".to_owned()][..])]);
        // The closing request points at the plan's time field.
        assert_eq!(found[1].deadline.date.as_deref(), Some("2026-03-31"));
        assert_eq!(found[1].deadline.text.as_deref(), Some("đúng thời gian, địa điểm nêu trên"));
    }

    #[test]
    fn a_deadline_may_be_the_one_of_the_item_it_points_to() {
        let body = [
            "1. Yêu cầu Hội Tin học hoàn thành đại hội chậm nhất ngày 31/12/2024.",
            "2. Giao Sở Nội vụ đôn đốc Hội Tin học hoàn thành đại hội theo thời gian được nêu tại khoản 1.",
        ];
        let (found, _) = read_doc(Doc { body: &body, ..LETTER });
        assert_eq!(found[1].deadline.date.as_deref(), Some("2024-12-31"));
        assert_eq!(found[1].deadline.text.as_deref(), Some("thời gian được nêu tại khoản 1"));
    }

    #[test]
    fn a_topic_label_before_an_instruction_is_no_field() {
        let body = ["1. Sở Công Thương:", "- Về kho vật liệu nổ: Tăng cường kiểm tra biển báo, nội quy."];
        assert_eq!(tasks(Doc { body: &body, ..LETTER }), [task("1.-1", &["Sở Công Thương"])]);
    }

    #[test]
    fn the_letter_speaks_between_quoted_law() {
        let body = [
            "Khoản 2 Điều 5 Luật Hóa chất quy định:",
            "“1. Tổ chức, cá nhân phải đăng ký hóa chất.",
            "2. Cơ quan quản lý cấp phép trong 10 ngày.”",
            "Ngoài ra, đề nghị lưu ý quy định tại Điều 8 Luật Hóa chất như sau:",
            "“3. Tổ chức phải lưu giữ hồ sơ trong 5 năm.”",
            "Cục Hóa chất đề nghị Sở Công Thương tỉnh Lào Cai hướng dẫn doanh nghiệp thực hiện đúng quy định./.",
        ];
        let doc = Doc { recipients: &["Sở Công Thương tỉnh Lào Cai"], central: true, body: &body, ..LETTER };
        assert_eq!(tasks(doc), [task("1", &["Sở Công Thương"]), task("2", &["Sở Công Thương"])]);
    }

    #[test]
    fn quotations_left_open_mid_sentence_end_with_their_line() {
        let text = [
            "Đề nghị cấp đất theo Đề án “Tiếp nhận nhiệm vụ cai nghiện",
            "3. Về kinh phí: đề nghị bố trí vốn.",
            "Luật quy định: “1. Nội dung thứ nhất",
            "2. Nội dung thứ hai.”",
            "\"1. Nội dung trong ngoặc thẳng.",
            "3. Hết trích dẫn.\"",
            "4. Không trích dẫn.",
        ];
        assert_eq!(quoted_lines(&lines(&text, 0)), [false, false, false, true, true, true, false]);
    }

    #[test]
    fn task_tables_are_read_row_by_row() {
        let appendix = [
            "BẢNG PHÂN CÔNG NHIỆM VỤ",
            "TT\tNhiệm vụ thực hiện\tNgười thực hiện\tGhi chú",
            "Lập danh sách học viên\tNguyễn Văn An Trần Thị Bình",
            "2\tIn chứng chỉ\tLê Văn Cường\tKhẩn",
            "KT. GIÁM ĐỐC",
        ];
        assert_eq!(
            tasks(Doc { appendix: &appendix, ..LETTER }),
            [task("PL.1", &["Nguyễn Văn An", "Trần Thị Bình"]), task("PL.2", &["Lê Văn Cường"])]
        );
        // A table of powers or criteria has no lead column: no tasks.
        let criteria = ["TT\tTiêu chí\tĐiểm", "1\tHồ sơ đầy đủ\t10"];
        assert!(tasks(Doc { appendix: &criteria, ..LETTER }).is_empty());
    }

    #[test]
    fn a_sentence_that_asks_for_what_follows_names_the_addressee() {
        let body = [
            "1. Kết quả kiểm tra",
            "- Qua kiểm tra các đơn vị: Công ty TNHH An Bình (mỏ đá số 1); Công ty cổ phần Hòa Phát (mỏ cát số 2) cho thấy còn thiếu sót.",
            "2. Kiến nghị",
            "Để khắc phục tồn tại, Sở Công Thương yêu cầu các đơn vị nêu trên thực hiện một số nội dung sau:",
            "- Bổ sung biển báo tại kho.",
            "- Đề nghị Công ty rà soát hộ chiếu nổ mìn.",
            "Sở Công Thương thông báo để các đơn vị biết, thực hiện./.",
        ];
        let firms = ["Công ty TNHH An Bình", "Công ty cổ phần Hòa Phát"];
        assert_eq!(tasks(Doc { kind: Some("thong_bao"), body: &body, ..LETTER }), [task("2.-1", &firms), task("2.-2", &firms)]);
        let ministry = [
            "Bộ Y tế trân trọng đề nghị UBND các tỉnh, thành phố trực thuộc Trung ương một số nội dung sau:",
            "1. Rà soát cơ sở y tế; đề nghị UBND tỉnh bố trí quỹ đất mở rộng.",
        ];
        let recipients = ["UBND các tỉnh, thành phố Hà Nội, Huế"];
        let doc = Doc { recipients: &recipients, central: true, body: &ministry, ..LETTER };
        assert_eq!(tasks(doc), [task("1", &["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"])]);
    }

    #[test]
    fn trân_trọng_đề_nghị_is_a_courtesy_only_when_short() {
        let opinion = ["Sở Xây dựng có ý kiến như trên. Sở Xây dựng trân trọng đề nghị Sở Công Thương tổng hợp, báo cáo./."];
        assert!(tasks(Doc { recipients: &["Sở Công Thương"], body: &opinion, ..LETTER }).is_empty());
        let request = [
            "Bộ Y tế trân trọng đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương tham gia ý kiến vào dự thảo Thông tư quy định về quản lý trang thiết bị y tế tại cơ sở.",
            "Ý kiến tham gia đề nghị gửi về Bộ Y tế trước ngày 1?./10/2025 để tổng hợp.",
        ];
        let (found, _) = read_doc(Doc { recipients: &["UBND các tỉnh, thành phố trực thuộc Trung ương"], central: true, body: &request, ..LETTER });
        assert_eq!(found.len(), 1, "the line that says when and where is part of the request");
        assert_eq!(found[0].lead, ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"]);
        assert_eq!((found[0].deadline.kind.as_str(), found[0].deadline.date.as_deref()), ("date", None));
    }

    #[test]
    fn small_rules_of_reading() {
        assert!(is_one_of("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"));
        assert!(!is_one_of("Sở Y tế", "Các sở, ban, ngành"));
        assert!(!asks("Hồ sơ đề nghị phê duyệt do Công ty nộp chưa đầy đủ."));
        assert!(!asks("Xét đề nghị của Công ty, theo yêu cầu của Sở."));
        assert!(asks("Qua kiểm tra, đề nghị Công ty bổ sung hồ sơ."));
        assert!(is_footnote("5 đ) Khi có yêu cầu của cơ quan có thẩm quyền."));
        assert!(is_footnote("2 “Điều 3. Giải thích từ ngữ"));
        assert!(!is_footnote("2 tỷ đồng cho dự án."));
        assert!(bases_on_this_document("can cu noi dung van ban, so cong thuong to chuc thuc hien"));
        assert!(!bases_on_this_document("can cu noi dung thoa thuan hop tac giua ubnd tinh voi vcci giai doan 2026, giao trung tam"));
    }

    #[test]
    fn firms_named_after_the_verb_in_lower_case_are_bodies() {
        let body = [
            "2. Các nội dung trọng tâm",
            "Đề nghị các đơn vị hoạt động hóa chất trên địa bàn tỉnh nghiên cứu, thực hiện các nội dung sau:",
            "- Rà soát danh mục hóa chất đang sử dụng.",
            "- Bưu điện tỉnh, Viễn thông tỉnh: Bảo đảm thông tin liên lạc.",
        ];
        assert_eq!(
            tasks(Doc { body: &body, ..LETTER }),
            [task("2.-1", &["Các đơn vị hoạt động hóa chất trên địa bàn tỉnh"]), task("2.-2", &["Bưu điện tỉnh", "Viễn thông tỉnh"])]
        );
    }

    #[test]
    fn a_body_the_text_is_sent_to_leads() {
        let body = ["Văn phòng UBND tỉnh chuyển Văn bản nêu trên đến Sở Công Thương để chủ trì, phối hợp với cơ quan liên quan xem xét, giải quyết./."];
        assert_eq!(tasks(Doc { recipients: &["Sở Công Thương"], body: &body, ..LETTER }), [task("1", &["Sở Công Thương"])]);
    }

    #[test]
    fn an_article_on_the_duties_of_a_body_addresses_it() {
        let body = ["Điều 1. Thành lập Tổ Công tác cải cách hành chính.", "Điều 2. Nhiệm vụ của Tổ Công tác cải cách hành chính", "Nghiên cứu, đề xuất giải pháp cải cách hành chính."];
        assert_eq!(tasks(Doc { kind: Some("quyet_dinh"), body: &body, ..LETTER }), [task("Điều 2", &["Tổ Công tác cải cách hành chính"])]);
    }

    #[test]
    fn the_last_item_and_the_paragraphs_after_it() {
        // An item that only states the issuer's own role is completed by the request below it;
        // the issuer's sentence sets no deadline.
        let body = [
            "1. Đề nghị UBND tỉnh bố trí kinh phí năm 2026.",
            "2. Để làm tốt vai trò thường trực, Cục Y sẽ thường xuyên hướng dẫn các địa phương.",
            "Đề nghị UBND tỉnh chỉ đạo các sở cung cấp thông tin kịp thời.",
        ];
        let doc = Doc { recipients: &["Ủy ban nhân dân tỉnh Lâm Đồng"], issuer: Some("Cục Y"), issuer_parent: Some("Bộ Y tế"), central: true, body: &body, ..LETTER };
        let (found, _) = read_doc(doc);
        assert_eq!(found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(found[1].lead, ["Ủy ban nhân dân tỉnh"]);
        assert_eq!(found[1].deadline.kind, "none");
        // A paragraph about the whole list closes the document, not the last item.
        let body = [
            "Sở Công Thương yêu cầu các doanh nghiệp thực hiện:",
            "1. Rà soát kho.",
            "2. Báo cáo định kỳ.",
            "Ngoài việc thực hiện các nội dung trên, yêu cầu các tổ chức, doanh nghiệp chấp hành quy định.",
        ];
        let (found, _) = read_doc(Doc { recipients: &["Các doanh nghiệp hoạt động vật liệu nổ"], body: &body, ..LETTER });
        assert_eq!(found[1].text, "Báo cáo định kỳ.");
    }

    #[test]
    fn the_sender_is_no_partner() {
        let body = ["1. Đề nghị UBND tỉnh phối hợp với Cục Cảnh sát điều tra tội phạm về ma túy, Bộ Công an đề xuất Bộ Tài chính bổ sung kinh phí."];
        let doc = Doc { recipients: &["Ủy ban nhân dân tỉnh"], issuer: Some("Cục Cảnh sát điêu tra"), issuer_parent: Some("Bộ Công an"), central: true, body: &body, ..LETTER };
        let (found, _) = read_doc(doc);
        assert!(found[0].support.is_empty(), "{:?}", found[0].support);
        let body = ["1. Sở Tư pháp phối hợp với các sở, ngành; cơ quan thông tấn, báo chí tổ chức tuyên truyền."];
        assert!(read_doc(Doc { body: &body, ..LETTER }).0[0].support.is_empty());
    }

    #[test]
    fn only_compiling_results_of_this_document_is_monitoring() {
        let programme = ["1. Ban Chỉ đạo huyện:", "a) Theo dõi sát tình hình thực hiện Chương trình; định kỳ báo cáo UBND tỉnh kết quả thực hiện."];
        assert!(read_doc(Doc { body: &programme, ..LETTER }).1.is_none());
        let document = ["1. Giao Sở Tài chính rà soát.", "2. Giao Sở Nội vụ theo dõi, tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh."];
        assert_eq!(read_doc(Doc { body: &document, ..LETTER }).1.map(|m| m.agency).as_deref(), Some("Sở Nội vụ"));
    }
}
