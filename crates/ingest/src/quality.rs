//! Measures of how well text was recovered, for evaluating OCR against reference texts.

/// Collapses every run of whitespace to one space, for comparisons that ignore layout.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first cell of a line laid out in columns (`pdftotext -layout` separates columns
/// with runs of spaces).
fn first_column(line: &str) -> &str {
    line.trim().split("   ").next().unwrap_or("").trim()
}

/// In a reference rendering of a directive, the issuer line: the first header line in
/// capitals after the digital-signature stamp, left column, whitespace collapsed.
pub fn reference_issuer_line(reference: &str) -> Option<String> {
    reference
        .lines()
        .map(first_column)
        .find(|l| {
            let upper = l.to_uppercase() == *l && l.chars().any(char::is_alphabetic);
            upper && !l.contains("TRUNG TÂM") && !l.contains("CỘNG HÒA") && !l.contains("CỘNG HOÀ") && l.chars().count() > 3
        })
        .map(collapse)
}

/// In a reference rendering, the start (60 characters) of the first body sentence: the first
/// long single-column line after `Kính gửi` or the first `Căn cứ`.
pub fn reference_body_line(reference: &str) -> Option<String> {
    let body_start = reference.find("Kính gửi").or_else(|| reference.find("Căn cứ")).unwrap_or(0);
    reference[body_start..]
        .lines()
        .map(str::trim)
        .find(|l| l.chars().count() >= 50 && !l.contains("    ") && !l.starts_with("Kính gửi"))
        .map(|l| collapse(l).chars().take(60).collect())
}

/// Character error rate: the edit distance between `reference` and `hypothesis` (Unicode
/// scalar values, whitespace runs collapsed to one space on both sides) divided by the
/// length of the reference. 0.0 is perfect agreement.
pub fn character_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let r = collapse_chars(reference);
    let h = collapse_chars(hypothesis);
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    edit_distance(&r, &h) as f64 / r.len() as f64
}

fn collapse_chars(s: &str) -> Vec<char> {
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
