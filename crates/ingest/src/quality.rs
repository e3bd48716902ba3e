//! Measures of how well text was recovered, for evaluating OCR against reference texts.

/// Character error rate: the edit distance between `reference` and `hypothesis` (Unicode
/// scalar values, whitespace runs collapsed to one space on both sides) divided by the
/// length of the reference. 0.0 is perfect agreement.
pub fn character_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let r = collapse(reference);
    let h = collapse(hypothesis);
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    edit_distance(&r, &h) as f64 / r.len() as f64
}

fn collapse(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars());
    }
    out
}

/// Levenshtein distance in O(len(a) × len(b)) time and O(len(b)) memory.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitution.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::character_error_rate;

    #[test]
    fn identical_texts_have_no_errors_whatever_the_spacing() {
        assert_eq!(character_error_rate("Sở  Tài chính\n", "Sở Tài chính"), 0.0);
    }

    #[test]
    fn one_wrong_letter_in_ten() {
        let cer = character_error_rate("abcdefghij", "abcdefghiX");
        assert!((cer - 0.1).abs() < 1e-9);
    }

    #[test]
    fn empty_hypothesis_is_all_errors() {
        assert_eq!(character_error_rate("abc", ""), 1.0);
    }
}
