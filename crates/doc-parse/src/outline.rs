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
            if is_number && (rank != Rank::Section || num.ends_with('.') || num.ends_with(':')) {
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
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if closed && (c.is_ascii_lowercase() || c == 'đ') {
            return Some(Label { text: first, rank: Rank::Letter, len: with_space(word_end) });
        }
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

/// Builds the outline tree over `lines` (each with its byte offset into the text), one item
/// per labelled line. An item's span runs from its label to the end of its last line before
/// the next item of the same or a lower rank.
pub(crate) fn build(lines: &[(usize, &str)]) -> Vec<OutlineNode> {
    let mut items: Vec<(usize, Rank, OutlineNode)> = Vec::new();
    for &(offset, line) in lines {
        if let Some(label) = label_of(line) {
            let rest = line[label.len.min(line.len())..].trim();
            let node = OutlineNode {
                label: label.text.to_owned(),
                heading: is_heading(rest).then(|| rest.trim_end_matches(':').to_owned()),
                span: [offset, offset + line.len()],
                children: Vec::new(),
            };
            items.push((items.len(), label.rank, node));
        } else if let Some(last) = items.last_mut() {
            // An unlabelled paragraph belongs to the item above it.
            last.2.span[1] = offset + line.len();
        }
    }
    nest(items)
}

/// Nests a flat, ordered list of items by rank with a stack, extending each parent's span
/// over its children.
fn nest(items: Vec<(usize, Rank, OutlineNode)>) -> Vec<OutlineNode> {
    let mut roots: Vec<OutlineNode> = Vec::new();
    let mut stack: Vec<(Rank, OutlineNode)> = Vec::new();
    let attach = |node: OutlineNode, stack: &mut Vec<(Rank, OutlineNode)>, roots: &mut Vec<OutlineNode>| match stack.last_mut() {
        Some((_, parent)) => {
            parent.span[1] = parent.span[1].max(node.span[1]);
            parent.children.push(node);
        }
        None => roots.push(node),
    };
    for (_, rank, node) in items {
        while stack.last().is_some_and(|(r, _)| *r >= rank) {
            let (_, done) = stack.pop().expect("checked");
            attach(done, &mut stack, &mut roots);
        }
        stack.push((rank, node));
    }
    while let Some((_, done)) = stack.pop() {
        attach(done, &mut stack, &mut roots);
    }
    roots
}

/// A heading is short and does not end like a sentence: "Nhiệm vụ chung",
/// "Sở Kế hoạch và Đầu tư", "NHIỆM VỤ VÀ GIẢI PHÁP:".
fn is_heading(rest: &str) -> bool {
    let words = rest.split_whitespace().count();
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
