//! The numbered structure of the body: `Chương`, `I.`, `Điều`, `1.`, `1.1.`, `a)`, `-`, `+`.

use crate::OutlineNode;

/// The kind of a list label, in the order of nesting: a label nests inside any label of a
/// lower rank that precedes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rank {
    Chapter,
    Section,
    Roman,
    Article,
    /// `1.` has depth 1, `2.1.` depth 2, …
    Decimal(u8),
    Letter,
    Dash,
    Plus,
}

/// A label at the start of a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Label<'a> {
    /// The label as written, punctuation included (`2.1.`, `a)`, `Điều 3.`).
    pub text: &'a str,
    pub rank: Rank,
    /// Byte length of the label plus the space after it.
    pub len: usize,
}

/// Recognises the label a line starts with, if any.
pub(crate) fn label_of(line: &str) -> Option<Label<'_>> {
    let word_end = line.find(char::is_whitespace).unwrap_or(line.len());
    let first = &line[..word_end];
    let after_space = |end: usize| line[end..].chars().next().is_some_and(char::is_whitespace);
    let with_space = |end: usize| end + line[end..].chars().next().map_or(0, char::len_utf8);

    for (word, rank) in [("Chương", Rank::Chapter), ("CHƯƠNG", Rank::Chapter), ("Mục", Rank::Section), ("MỤC", Rank::Section), ("Điều", Rank::Article)] {
        if first == word {
            let rest = &line[word_end..];
            let num_start = rest.len() - rest.trim_start().len();
            let num: &str = rest.trim_start().split(|c: char| c.is_whitespace()).next().unwrap_or("");
            let digits = num.trim_end_matches(['.', ':']);
            let is_number = !digits.is_empty()
                && (digits.chars().all(|c| c.is_ascii_digit()) || (rank != Rank::Article && digits.chars().all(|c| "IVXLC".contains(c))));
            // "Điều 3." opens an article; "Điều 33 Nghị định số …" wrapped onto a new line cites one.
            let punctuated = num.ends_with('.') || num.ends_with(':');
            if is_number && (rank == Rank::Chapter || punctuated) {
                let end = word_end + num_start + num.len();
                return Some(Label { text: &line[..end], rank, len: with_space(end) });
            }
            return None;
        }
    }
    match first {
        "-" | "–" | "•" => return Some(Label { text: first, rank: Rank::Dash, len: with_space(word_end) }),
        "+" => return Some(Label { text: first, rank: Rank::Plus, len: with_space(word_end) }),
        _ => {}
    }
    if !after_space(word_end) {
        return None;
    }
    let body = first.strip_suffix(['.', ')']).unwrap_or(first);
    let closed = body.len() < first.len();
    // Letters: `a)`, `đ)`, `a.`
    let mut chars = body.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && closed && (c.is_ascii_lowercase() || c == 'đ') {
            return Some(Label { text: first, rank: Rank::Letter, len: with_space(word_end) });
        }
    // Roman numerals: `I.`, `IV.`
    if closed && first.ends_with('.') && !body.is_empty() && body.len() <= 5 && body.chars().all(|c| "IVXL".contains(c)) {
        return Some(Label { text: first, rank: Rank::Roman, len: with_space(word_end) });
    }
    // Decimals: `1.`, `1)`, `2.1.`, `2.1` (a multi-level number may drop its final dot).
    let parts: Vec<&str> = body.split('.').collect();
    let numeric = parts.iter().all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
    if numeric && (closed || parts.len() > 1) && parts.len() <= 4 {
        return Some(Label { text: first, rank: Rank::Decimal(parts.len() as u8), len: with_space(word_end) });
    }
    None
}

/// An item of the body's numbered structure, with the lines that are its own (its labelled
/// line and the unlabelled paragraphs after it) apart from its children.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub label: &'a str,
    pub rank: Rank,
    /// Indices into the lines given to [`items`]: the labelled line and its unlabelled followers.
    pub own: std::ops::Range<usize>,
    pub children: Vec<Item<'a>>,
}

impl Item<'_> {
    /// Index of the last line the item covers, children included.
    pub fn last_line(&self) -> usize {
        self.children.last().map_or(self.own.end - 1, Item::last_line).max(self.own.end - 1)
    }
}

/// The labelled items over `lines`, nested by rank. Lines before the first label are not part
/// of any item.
pub(crate) fn items<'a>(lines: &[(usize, &'a str)]) -> Vec<Item<'a>> {
    let mut flat: Vec<Item<'a>> = Vec::new();
    for (i, &(_, line)) in lines.iter().enumerate() {
        // A label with nothing after it ("8)" on its own) is what OCR leaves of a stamp or
        // a mark in the margin, not an item.
        match label_of(line).filter(|l| !line[l.len.min(line.len())..].trim().is_empty()) {
            Some(label) => flat.push(Item { label: label.text, rank: label.rank, own: i..i + 1, children: Vec::new() }),
            None => {
                if let Some(last) = flat.last_mut() {
                    last.own.end = i + 1;
                }
            }
        }
    }
    nest(flat)
}

/// Nests a flat, ordered list of items by rank with a stack.
fn nest(flat: Vec<Item<'_>>) -> Vec<Item<'_>> {
    let mut roots = Vec::new();
    let mut stack: Vec<Item> = Vec::new();
    fn attach<'a>(node: Item<'a>, stack: &mut [Item<'a>], roots: &mut Vec<Item<'a>>) {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => roots.push(node),
        }
    }
    for item in flat {
        while stack.last().is_some_and(|top| top.rank >= item.rank) {
            let done = stack.pop().expect("checked");
            attach(done, &mut stack, &mut roots);
        }
        stack.push(item);
    }
    while let Some(done) = stack.pop() {
        attach(done, &mut stack, &mut roots);
    }
    roots
}

/// Builds the contract's outline over `lines` (each with its byte offset into the text). An
/// item's span runs from its label to the end of its last line, children included.
pub(crate) fn build(lines: &[(usize, &str)]) -> Vec<OutlineNode> {
    fn node(item: &Item<'_>, lines: &[(usize, &str)]) -> OutlineNode {
        let (offset, line) = lines[item.own.start];
        let rest = line[item.label.len()..].trim();
        let (last_offset, last_line) = lines[item.last_line()];
        OutlineNode {
            label: item.label.to_owned(),
            heading: is_heading(rest).then(|| rest.trim_end_matches(':').to_owned()),
            span: [offset, last_offset + last_line.len()],
            children: item.children.iter().map(|c| node(c, lines)).collect(),
        }
    }
    items(lines).iter().map(|i| node(i, lines)).collect()
}

/// A heading is short and does not end like a sentence: "Nhiệm vụ chung",
/// "Sở Kế hoạch và Đầu tư", "NHIỆM VỤ VÀ GIẢI PHÁP:".
fn is_heading(rest: &str) -> bool {
    // Counted only as far as the limit: most items are long sentences.
    let words = rest.split_whitespace().take(15).count();
    words > 0 && words <= 14 && !rest.ends_with(['.', ';', ',']) && !rest.ends_with("./.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(line: &str) -> Option<Rank> {
        label_of(line).map(|l| l.rank)
    }

    #[test]
    fn labels_are_recognised() {
        assert_eq!(rank("1. Nhiệm vụ chung"), Some(Rank::Decimal(1)));
        assert_eq!(rank("2.1. Sở Kế hoạch và Đầu tư"), Some(Rank::Decimal(2)));
        assert_eq!(rank("2.1 Sở Kế hoạch"), Some(Rank::Decimal(2)));
        assert_eq!(rank("a) Triển khai"), Some(Rank::Letter));
        assert_eq!(rank("đ) Theo dõi"), Some(Rank::Letter));
        assert_eq!(rank("II. NHIỆM VỤ"), Some(Rank::Roman));
        assert_eq!(rank("- Ban hành kịp thời"), Some(Rank::Dash));
        assert_eq!(rank("+ Tổ chức"), Some(Rank::Plus));
        assert_eq!(rank("Điều 1. Ban hành"), Some(Rank::Article));
        assert_eq!(rank("Điều 2: Thành lập"), Some(Rank::Article));
        assert_eq!(label_of("Điều 1. Ban hành").unwrap().text, "Điều 1.");
    }

    #[test]
    fn ordinary_sentences_have_no_label() {
        for line in ["2022 là năm", "15/4/2026 báo cáo", "Điều kiện cần", "a b c", "1.5 tỷ đồng.", "Mục tiêu chung", "I am"] {
            assert_eq!(rank(line), if line == "1.5 tỷ đồng." { Some(Rank::Decimal(2)) } else { None }, "{line}");
        }
    }

    #[test]
    fn items_nest_by_rank() {
        let text = ["1. Nhiệm vụ chung", "a) Một.", "b) Hai.", "2. Nhiệm vụ cụ thể", "2.1. Sở A", "a) Ba:", "- bốn;", "2.2. Sở B", "Năm."];
        let mut offset = 0;
        let lines: Vec<(usize, &str)> = text
            .iter()
            .map(|l| {
                let o = offset;
                offset += l.len() + 1;
                (o, *l)
            })
            .collect();
        let tree = build(&lines);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].children.len(), 2);
        assert_eq!(tree[1].children.len(), 2);
        assert_eq!(tree[1].children[0].children[0].children[0].label, "-");
        assert_eq!(tree[1].children[1].heading.as_deref(), Some("Sở B"));
        assert_eq!(tree[1].span[1], offset - 1, "the last item extends over the unlabelled line");
    }
}
