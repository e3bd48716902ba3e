//! The source text of a document under review, cut into pieces that each carry the marks
//! covering them (tasks, agencies, deadlines, citations), so the page can show every span the
//! parser found without nesting elements across each other: overlapping marks simply give a
//! piece several classes.
//!
//! Offsets are UTF-8 byte offsets into the text; a mark that is empty, runs past the end or
//! starts or ends inside a character is left out (spans of an edited draft come from the
//! client and are not trusted).

/// What a mark shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// A task's span.
    Task,
    /// A lead or supporting agency named inside a task.
    Agency,
    /// The words of a task's deadline.
    Deadline,
    /// A cited document.
    Citation,
}

impl Kind {
    /// The CSS class of the mark (`app.css`, "Review").
    fn class(self) -> &'static str {
        match self {
            Kind::Task => "hl-nv",
            Kind::Agency => "hl-cq",
            Kind::Deadline => "hl-th",
            Kind::Citation => "hl-vb",
        }
    }
}

/// A span of the text to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Where the piece links to (a cited document that is stored).
    pub href: Option<String>,
    /// An element put where the mark starts: `(id, label)` (a task's label in the text).
    pub anchor: Option<(String, String)>,
}

impl Mark {
    pub(crate) fn new(start: usize, end: usize, kind: Kind) -> Mark {
        Mark {
            start,
            end,
            kind,
            href: None,
            anchor: None,
        }
    }
}

/// A piece of the text with the marks that cover all of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub text: String,
    /// The marks' classes, space-separated; empty for plain text.
    pub classes: String,
    /// Set when a citation covering the piece links to a stored document.
    pub href: Option<String>,
    /// Anchors of the marks starting here.
    pub anchors: Vec<(String, String)>,
}

/// Every occurrence of `needle` in `text[within]`, as absolute offsets.
pub(crate) fn occurrences(text: &str, within: [usize; 2], needle: &str) -> Vec<[usize; 2]> {
    let needle = needle.trim();
    let Some(hay) = text.get(within[0]..within[1]) else {
        return Vec::new();
    };
    if needle.is_empty() {
        return Vec::new();
    }
    hay.match_indices(needle)
        .map(|(at, m)| [within[0] + at, within[0] + at + m.len()])
        .collect()
}

/// Cuts `text` at every start and end of a valid mark.
pub(crate) fn pieces(text: &str, marks: &[Mark]) -> Vec<Piece> {
    let valid = |m: &&Mark| {
        m.start < m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
    };
    let mut marks: Vec<&Mark> = marks.iter().filter(valid).collect();
    marks.sort_by_key(|m| m.start);
    let mut cuts: Vec<usize> = marks.iter().flat_map(|m| [m.start, m.end]).collect();
    cuts.extend([0, text.len()]);
    cuts.sort_unstable();
    cuts.dedup();
    // A sweep: the marks covering each piece are those started and not yet ended.
    let (mut next, mut covering) = (0, Vec::<&Mark>::new());
    let mut out = Vec::with_capacity(cuts.len());
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        covering.retain(|m| m.end > from);
        let first_new = covering.len();
        while next < marks.len() && marks[next].start == from {
            covering.push(marks[next]);
            next += 1;
        }
        let mut kinds: Vec<Kind> = covering.iter().map(|m| m.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        out.push(Piece {
            text: text[from..to].to_owned(),
            classes: kinds
                .iter()
                .map(|k| k.class())
                .collect::<Vec<_>>()
                .join(" "),
            href: covering.iter().find_map(|m| m.href.clone()),
            anchors: covering[first_new..]
                .iter()
                .filter_map(|m| m.anchor.clone())
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(pieces: &[Piece]) -> Vec<(&str, &str)> {
        pieces
            .iter()
            .map(|p| (p.text.as_str(), p.classes.as_str()))
            .collect()
    }

    #[test]
    fn overlapping_marks_give_pieces_several_classes() {
        let text = "Giao Sở Tài chính chủ trì, trước ngày 30/6/2025.";
        let task = Mark {
            anchor: Some(("nguon-0".into(), "1".into())),
            ..Mark::new(0, text.len(), Kind::Task)
        };
        let agency = occurrences(text, [0, text.len()], "Sở Tài chính")[0];
        let deadline = occurrences(text, [0, text.len()], "trước ngày 30/6/2025")[0];
        let pieces = pieces(
            text,
            &[
                task,
                Mark::new(agency[0], agency[1], Kind::Agency),
                Mark::new(deadline[0], deadline[1], Kind::Deadline),
            ],
        );
        assert_eq!(
            classes(&pieces),
            [
                ("Giao ", "hl-nv"),
                ("Sở Tài chính", "hl-nv hl-cq"),
                (" chủ trì, ", "hl-nv"),
                ("trước ngày 30/6/2025", "hl-nv hl-th"),
                (".", "hl-nv"),
            ]
        );
        assert_eq!(pieces[0].anchors, [("nguon-0".into(), "1".into())]);
        assert!(pieces[1].anchors.is_empty());
        assert_eq!(
            pieces.iter().map(|p| p.text.as_str()).collect::<String>(),
            text
        );
    }

    #[test]
    fn marks_inside_a_character_or_past_the_end_are_left_out() {
        let text = "Đề nghị Ủy ban";
        // "Đ" is two bytes: 1 is inside it; 100 is past the end; 3..3 is empty.
        let pieces = pieces(
            text,
            &[
                Mark::new(1, 5, Kind::Task),
                Mark::new(2, 100, Kind::Agency),
                Mark::new(3, 3, Kind::Deadline),
            ],
        );
        assert_eq!(classes(&pieces), [(text, "")]);
        assert!(occurrences(text, [1, 4], "x").is_empty());
        assert!(occurrences(text, [0, 100], "Ủy").is_empty());
        assert!(occurrences(text, [0, text.len()], "  ").is_empty());
    }

    #[test]
    fn a_stored_citation_links() {
        let text = "theo Nghị quyết số 57/NQ-CP.";
        let at = occurrences(text, [0, text.len()], "Nghị quyết số 57/NQ-CP")[0];
        let pieces = pieces(
            text,
            &[Mark {
                href: Some("/van-ban/7".into()),
                ..Mark::new(at[0], at[1], Kind::Citation)
            }],
        );
        assert_eq!(pieces[1].href.as_deref(), Some("/van-ban/7"));
        assert_eq!(pieces[1].classes, "hl-vb");
        assert_eq!(pieces[0].href, None);
    }
}
