//! The review form of an import draft: one form for the whole proposal, read back into the
//! store's [`ReviewTask`]s, and the edits its buttons make (split, merge with the next, delete,
//! add). Works without scripts: the fields carry indexed names (`tasks[3].text`,
//! `tasks[3].lead[0].name`, `tasks[3].deadline.date`) and each button names its edit
//! (`action=tach:3`).
//!
//! What the form does not show comes from the draft as saved at the form's revision (the
//! handler refuses any other revision): each task's `tasks[i].goc` names its position there,
//! from which its span, its citations and the source words of its deadline are kept (the words
//! only while the deadline's kind is unchanged).

use std::collections::BTreeMap;

use store::{ReviewDeadline, ReviewParty, ReviewTask};

use super::form::Fields;

/// Most lead or supporting parties of one task on the form.
const MAX_PARTIES: usize = 200;

/// What a button of the form asks for, besides saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Save as typed.
    Save,
    /// Split the task at this position at the line breaks of its text.
    Split(usize),
    /// Merge the task at this position with the next one.
    Merge(usize),
    /// Delete the task at this position.
    Delete(usize),
    /// Add an empty task at the end.
    Add,
}

impl Edit {
    /// The code the page says it with after the edit (`?xong=…`).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Edit::Save => "luu",
            Edit::Split(_) => "tach",
            Edit::Merge(_) => "gop",
            Edit::Delete(_) => "xoa",
            Edit::Add => "them",
        }
    }
}

/// The posted form, read.
#[derive(Debug)]
pub(crate) struct Posted {
    pub tasks: Vec<ReviewTask>,
    pub edit: Edit,
}

#[derive(Default)]
struct Entry {
    origin: Option<usize>,
    id: String,
    text: String,
    lead: BTreeMap<usize, (String, String)>,
    support: BTreeMap<usize, (String, String)>,
    deadline_kind: String,
    deadline_date: String,
}

/// `name[12]rest` → `(12, rest)`.
fn indexed<'a>(key: &'a str, name: &str, max: usize) -> Option<(usize, &'a str)> {
    let (n, rest) = key.strip_prefix(name)?.strip_prefix('[')?.split_once(']')?;
    let n: usize = n
        .parse()
        .ok()
        .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))?;
    (n < max).then_some((n, rest))
}

/// A text area's value: the browser's line breaks as `\n`, spaces around lines removed.
fn clean(value: &str) -> String {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the form against the draft's tasks as saved (`saved`, at the form's revision).
/// A field name the form never has is refused with a message.
pub(crate) fn read(fields: &Fields, saved: &[ReviewTask]) -> Result<Posted, String> {
    let mut entries: BTreeMap<usize, Entry> = BTreeMap::new();
    for (key, value) in &fields.0 {
        let Some((i, rest)) = indexed(key, "tasks", crate::imports::MAX_TASKS) else {
            if key.starts_with("tasks") {
                return Err(format!("Trường không hợp lệ: {key}"));
            }
            continue;
        };
        let e = entries.entry(i).or_default();
        let value = value.trim();
        match rest {
            ".goc" => e.origin = value.parse().ok(),
            ".id" => e.id = value.to_owned(),
            ".text" => e.text = clean(value),
            ".deadline.kind" => e.deadline_kind = value.to_owned(),
            ".deadline.date" => e.deadline_date = value.to_owned(),
            _ => {
                let party = rest.strip_prefix('.').and_then(|r| {
                    let (role, r) = if let Some(r) = indexed(r, "lead", MAX_PARTIES) {
                        (&mut e.lead, r)
                    } else {
                        (&mut e.support, indexed(r, "support", MAX_PARTIES)?)
                    };
                    let slot = role.entry(r.0).or_default();
                    match r.1 {
                        ".name" => slot.0 = value.to_owned(),
                        ".kind" => slot.1 = value.to_owned(),
                        _ => return None,
                    }
                    Some(())
                });
                if party.is_none() {
                    return Err(format!("Trường không hợp lệ: {key}"));
                }
            }
        }
    }
    let positions: Vec<usize> = entries.keys().copied().collect();
    let tasks = entries
        .into_values()
        .map(|e| {
            let origin = e.origin.and_then(|i| saved.get(i));
            let same_kind = origin.filter(|o| o.deadline.kind == e.deadline_kind);
            let parties = |role: BTreeMap<usize, (String, String)>| {
                role.into_values()
                    .filter(|(name, _)| !name.is_empty())
                    .map(|(name, kind)| ReviewParty { name, kind })
                    .collect()
            };
            ReviewTask {
                id: e.id,
                text: e.text,
                lead: parties(e.lead),
                support: parties(e.support),
                deadline: ReviewDeadline {
                    kind: e.deadline_kind,
                    date: Some(e.deadline_date).filter(|d| !d.is_empty()),
                    text: same_kind.and_then(|o| o.deadline.text.clone()),
                    every: same_kind.and_then(|o| o.deadline.every.clone()),
                },
                span: origin.and_then(|o| o.span),
                references: origin.map(|o| o.references.clone()).unwrap_or_default(),
            }
        })
        .collect();
    // A button names a task by its index on the form; edits work on positions.
    let action = fields.get("action");
    let at = |n: &str| {
        n.parse::<usize>()
            .ok()
            .and_then(|n| positions.iter().position(|&p| p == n))
            .ok_or_else(|| format!("Thao tác không hợp lệ: {action}"))
    };
    let edit = match action.split_once(':') {
        None if matches!(action, "" | "luu" | "ghi") => Edit::Save,
        None if action == "them" => Edit::Add,
        Some(("tach", n)) => Edit::Split(at(n)?),
        Some(("gop", n)) => Edit::Merge(at(n)?),
        Some(("xoa", n)) => Edit::Delete(at(n)?),
        _ => return Err(format!("Thao tác không hợp lệ: {action}")),
    };
    Ok(Posted { tasks, edit })
}

/// An id no task has: `wanted`, else `wanted-2`, `wanted-3`, …
fn free_id(tasks: &[ReviewTask], wanted: &str) -> String {
    let taken = |id: &str| tasks.iter().any(|t| t.id == id);
    if !wanted.is_empty() && !taken(wanted) {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// The part of `span` in `source` where `part` stands, else `span` itself.
fn narrow(span: Option<[usize; 2]>, part: &str, source: &str) -> Option<[usize; 2]> {
    let s = span?;
    let at = source.get(s[0]..s[1]).and_then(|within| within.find(part));
    Some(at.map_or(s, |at| [s[0] + at, s[0] + at + part.len()]))
}

/// Why an edit could not be made: the task's position and the message for its text field.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub index: usize,
    pub message: &'static str,
}

/// Makes the edit on the tasks of a draft whose text is `source`; the position of the task
/// to show afterwards.
pub(crate) fn apply(
    tasks: &mut Vec<ReviewTask>,
    edit: Edit,
    source: &str,
) -> Result<Option<usize>, Refused> {
    match edit {
        Edit::Save => Ok(None),
        Edit::Add => {
            let id = free_id(tasks, &(tasks.len() + 1).to_string());
            tasks.push(ReviewTask {
                id,
                text: String::new(),
                lead: Vec::new(),
                support: Vec::new(),
                deadline: ReviewDeadline {
                    kind: "none".into(),
                    date: None,
                    text: None,
                    every: None,
                },
                span: None,
                references: Vec::new(),
            });
            Ok(Some(tasks.len() - 1))
        }
        Edit::Delete(i) => {
            tasks.remove(i);
            Ok(i.checked_sub(1).or((!tasks.is_empty()).then_some(0)))
        }
        Edit::Split(i) => {
            let base = tasks[i].clone();
            let parts: Vec<&str> = base.text.lines().collect();
            if parts.len() < 2 {
                return Err(Refused {
                    index: i,
                    message: "Để tách: xuống dòng ở chỗ muốn tách trong ô Nội dung, rồi bấm Tách",
                });
            }
            // Each citation goes with the part that names it; one named by none, with the first.
            let mut references: Vec<Vec<String>> = vec![Vec::new(); parts.len()];
            for code in &base.references {
                let part = parts.iter().position(|p| p.contains(code.as_str()));
                references[part.unwrap_or(0)].push(code.clone());
            }
            for (n, (part, refs)) in parts.iter().zip(references).enumerate() {
                let task = ReviewTask {
                    id: if n == 0 {
                        base.id.clone()
                    } else {
                        free_id(tasks, &base.id)
                    },
                    text: (*part).to_owned(),
                    span: narrow(base.span, part, source),
                    references: refs,
                    ..base.clone()
                };
                if n == 0 {
                    tasks[i] = task;
                } else {
                    tasks.insert(i + n, task);
                }
            }
            Ok(Some(i))
        }
        Edit::Merge(i) => {
            if i + 1 >= tasks.len() {
                return Err(Refused {
                    index: i,
                    message: "Không có nhiệm vụ nào sau nhiệm vụ này để gộp",
                });
            }
            let next = tasks.remove(i + 1);
            let t = &mut tasks[i];
            t.text = format!("{}\n{}", t.text, next.text);
            for p in next.lead {
                if !t.lead.iter().any(|l| l.name == p.name) {
                    t.lead.push(p);
                }
            }
            for p in next.support {
                if !t.lead.iter().chain(&t.support).any(|l| l.name == p.name) {
                    t.support.push(p);
                }
            }
            if t.deadline.kind == "none" {
                t.deadline = next.deadline;
            }
            t.span = match (t.span, next.span) {
                (Some(a), Some(b)) => Some([a[0].min(b[0]), a[1].max(b[1])]),
                (a, b) => a.or(b),
            };
            for code in next.references {
                if !t.references.contains(&code) {
                    t.references.push(code);
                }
            }
            Ok(Some(i))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn saved() -> Vec<ReviewTask> {
        vec![ReviewTask {
            id: "2.1.a".into(),
            text: "Đẩy nhanh tiến độ. Báo cáo theo Nghị quyết 57/NQ-CP.".into(),
            lead: vec![ReviewParty {
                name: "Sở Kế hoạch và Đầu tư".into(),
                kind: "agency".into(),
            }],
            support: Vec::new(),
            deadline: ReviewDeadline {
                kind: "period".into(),
                date: Some("2022-12-31".into()),
                text: Some("trong năm 2022".into()),
                every: None,
            },
            span: Some([10, 20]),
            references: vec!["57/NQ-CP".into()],
        }]
    }

    #[test]
    fn the_form_reads_back_into_review_tasks() {
        let f = fields(&[
            ("csrf", "x"),
            ("revision", "3"),
            ("tasks[0].goc", "0"),
            ("tasks[0].id", " 2.1.a "),
            ("tasks[0].text", "Dòng một \r\n\r\n  dòng hai"),
            ("tasks[0].lead[0].name", "Sở Kế hoạch và Đầu tư"),
            ("tasks[0].lead[0].kind", "agency"),
            ("tasks[0].lead[1].name", ""),
            ("tasks[0].lead[1].kind", "agency"),
            ("tasks[0].support[0].name", "Sở Tài chính"),
            ("tasks[0].support[0].kind", "agency"),
            ("tasks[0].deadline.kind", "period"),
            ("tasks[0].deadline.date", "2022-11-30"),
            ("tasks[1].id", "moi"),
            ("tasks[1].deadline.kind", "date"),
            ("tasks[1].deadline.date", ""),
            ("action", "tach:1"),
        ]);
        let posted = read(&f, &saved()).unwrap();
        assert_eq!(posted.edit, Edit::Split(1));
        let [a, b] = &posted.tasks[..] else {
            panic!("{posted:?}")
        };
        assert_eq!(a.id, "2.1.a");
        assert_eq!(a.text, "Dòng một\ndòng hai");
        assert_eq!(a.lead.len(), 1, "a row left empty adds nobody");
        assert_eq!(a.support[0].name, "Sở Tài chính");
        assert_eq!(a.deadline.date.as_deref(), Some("2022-11-30"));
        // Kept from the saved task: span, citations, the words of an unchanged kind.
        assert_eq!(a.span, Some([10, 20]));
        assert_eq!(a.references, ["57/NQ-CP"]);
        assert_eq!(a.deadline.text.as_deref(), Some("trong năm 2022"));
        assert_eq!((b.span, b.deadline.date.clone()), (None, None));
        assert!(b.deadline.text.is_none());

        for bad in [
            "tasks[0].lead[0].colour",
            "tasks[x].id",
            "tasks[0]",
            "tasks[99999].id",
            "tasks[0].lead[0]",
        ] {
            assert!(read(&fields(&[(bad, "1")]), &[]).is_err(), "{bad}");
        }
        assert!(read(&fields(&[("action", "tach:7")]), &[]).is_err());
        assert!(read(&fields(&[("action", "bay")]), &[]).is_err());
    }

    #[test]
    fn split_merge_delete_add() {
        let source = "0123456789Đẩy nhanh.";
        let mut tasks = saved();
        tasks[0].text = "Đẩy nhanh.\nBáo cáo theo Nghị quyết 57/NQ-CP.".into();
        tasks[0].span = Some([5, source.len()]);
        assert_eq!(apply(&mut tasks, Edit::Split(0), source), Ok(Some(0)));
        assert_eq!(tasks.len(), 2);
        assert_eq!(
            (tasks[0].id.as_str(), tasks[1].id.as_str()),
            ("2.1.a", "2.1.a-2")
        );
        assert_eq!(tasks[0].span, Some([10, 23]), "narrowed to its part");
        assert_eq!(tasks[1].span, Some([5, 23]), "not found: the whole span");
        assert!(tasks[0].references.is_empty());
        assert_eq!(tasks[1].references, ["57/NQ-CP"]);
        assert_eq!(tasks[1].lead, tasks[0].lead);
        // A task of one line is not split: the message is for its text.
        let err = apply(&mut tasks, Edit::Split(1), source).unwrap_err();
        assert_eq!(err.index, 1);

        tasks[1].lead.push(ReviewParty {
            name: "Sở Tài chính".into(),
            kind: "agency".into(),
        });
        tasks[0].deadline.kind = "none".into();
        assert_eq!(apply(&mut tasks, Edit::Merge(0), source), Ok(Some(0)));
        assert_eq!(tasks.len(), 1);
        assert_eq!(
            tasks[0].text,
            "Đẩy nhanh.\nBáo cáo theo Nghị quyết 57/NQ-CP."
        );
        assert_eq!(tasks[0].lead.len(), 2, "leads merged once each");
        assert_eq!(tasks[0].deadline.kind, "period", "the next one's deadline");
        assert_eq!(tasks[0].span, Some([5, 23]), "the union of both");
        assert!(apply(&mut tasks, Edit::Merge(0), source).is_err());

        assert_eq!(apply(&mut tasks, Edit::Add, source), Ok(Some(1)));
        assert_eq!(tasks[1].id, "2");
        assert_eq!(tasks[1].deadline.kind, "none");
        assert_eq!(apply(&mut tasks, Edit::Delete(0), source), Ok(Some(0)));
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].id, "2");
    }
}
