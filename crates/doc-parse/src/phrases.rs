//! Lists of phrases looked for in one pass. The readers ask each paragraph for dozens of
//! markers, stop words and verbs; one substring search per phrase, each building its own
//! searcher, was a large part of the parse. One automaton per list, built once, finds them all.

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// A fixed list of phrases and the automaton that finds them.
pub(crate) struct Phrases {
    list: Vec<&'static str>,
    /// Every occurrence, overlapping.
    all: AhoCorasick,
    /// The leftmost occurrence.
    leftmost: AhoCorasick,
}

impl Phrases {
    pub(crate) fn new(list: &[&'static str]) -> Phrases {
        // No prefilter: the phrases start with letters common in Vietnamese text, and the
        // prefilter, always hitting, made the scan up to twice as slow.
        let all = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(list)
            .expect("a phrase list builds an automaton");
        let leftmost = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(list)
            .expect("a phrase list builds an automaton");
        Phrases {
            list: list.to_vec(),
            all,
            leftmost,
        }
    }

    /// The phrases, in the order given.
    pub(crate) fn list(&self) -> &[&'static str] {
        &self.list
    }

    /// Where the phrases occur in `text`.
    pub(crate) fn scan(&self, text: &str) -> Found<'_> {
        Found {
            list: &self.list,
            hits: self
                .all
                .find_overlapping_iter(text)
                .map(|m| (m.pattern().as_usize(), m.start()))
                .collect(),
        }
    }

    /// Where the last phrase to occur ends: the greatest `text.rfind(phrase)` plus the
    /// phrase's length, of the list.
    pub(crate) fn last_end(&self, text: &str) -> Option<usize> {
        self.all.find_overlapping_iter(text).map(|m| m.end()).max()
    }

    /// Where the first phrase to occur starts: the least `text.find(phrase)` of the list.
    pub(crate) fn first(&self, text: &str) -> Option<usize> {
        self.leftmost.find(text).map(|m| m.start())
    }
}

/// The occurrences of a list's phrases in one text.
pub(crate) struct Found<'a> {
    list: &'a [&'static str],
    /// (phrase index, start), in the order the scan reports them: by end, so by start for
    /// any one phrase.
    hits: Vec<(usize, usize)>,
}

impl Found<'_> {
    /// The offsets of the phrase `list[i]` as `text.match_indices(phrase)` gives them: in
    /// order, each after the end of the previous one.
    pub(crate) fn of(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let len = self.list[i].len();
        let mut next_free = 0;
        self.hits.iter().filter_map(move |&(phrase, at)| {
            if phrase != i || at < next_free {
                return None;
            }
            next_free = at + len;
            Some(at)
        })
    }

    /// The offsets of `phrase`, which must be in the list, as [`Found::of`] gives them.
    pub(crate) fn of_phrase(&self, phrase: &str) -> impl Iterator<Item = usize> + '_ {
        let i = self
            .list
            .iter()
            .position(|p| *p == phrase)
            .expect("the phrase is in the list");
        self.of(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One scan gives what one `match_indices` per phrase gives, self-overlapping phrases too.
    #[test]
    fn occurrences_are_those_of_match_indices() {
        static LIST: [&str; 6] = ["aa", "a", "aba", "trong", "trong ngày", "ngày"];
        let phrases = Phrases::new(&LIST);
        for text in [
            "aaaa",
            "ababa aa",
            "trong ngày trong ngàyngày",
            "",
            "xaabaabaaax",
        ] {
            let found = phrases.scan(text);
            for (i, p) in LIST.iter().enumerate() {
                let expected: Vec<usize> = text.match_indices(p).map(|(at, _)| at).collect();
                assert_eq!(found.of(i).collect::<Vec<_>>(), expected, "{p} in {text}");
            }
            let first = LIST.iter().filter_map(|p| text.find(p)).min();
            assert_eq!(phrases.first(text), first, "{text}");
            let last_end = LIST
                .iter()
                .filter_map(|p| text.rfind(p).map(|at| at + p.len()))
                .max();
            assert_eq!(phrases.last_end(text), last_end, "{text}");
        }
    }
}
