//! Proper case for names printed in capitals in headers and signature blocks.
//!
//! Vietnamese capitalises the first word of a body's name and the first word of each part of
//! its specific name (Decree 30/2020, Appendix II): `SỞ KẾ HOẠCH VÀ ĐẦU TƯ` → "Sở Kế hoạch và
//! Đầu tư", `SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH` → "Sở Văn hóa, Thể thao và Du lịch"; place names
//! after tỉnh/huyện/xã are capitalised word by word. A few names break the rule by convention
//! and are listed.

/// Abbreviations expanded in names (`UBND TỈNH LÀO CAI` → "Ủy ban nhân dân tỉnh Lào Cai").
const EXPANSIONS: &[(&str, &str)] = &[
    ("ubnd", "ủy ban nhân dân"),
    ("hđnd", "hội đồng nhân dân"),
    ("ub", "ủy ban"),
];

/// Heads of body names: the words that name the kind of body, lower-cased after the first.
const HEADS: &[&str] = &[
    "ủy ban nhân dân",
    "hội đồng nhân dân",
    "văn phòng",
    "sở",
    "bộ",
    "cục",
    "tổng cục",
    "chi cục",
    "vụ",
    "ban quản lý",
    "ban",
    "trung tâm",
    "thanh tra",
    "công an",
    "đoàn kiểm tra",
    "tổ giúp việc",
    "kho bạc nhà nước",
];

/// Localities: the words after them are a place name.
const LOCALITIES: &[&str] = &["thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường"];

/// Names whose customary form does not follow the rule.
const CUSTOMARY: &[&str] = &["Bộ Công Thương", "Sở Công Thương", "Ủy ban nhân dân", "Hội đồng nhân dân", "Văn phòng Chính phủ", "Chính phủ", "Thủ tướng Chính phủ", "Quốc hội"];

/// Proper case of a body's name printed in capitals, abbreviations expanded.
pub(crate) fn agency(upper: &str) -> String {
    let words = expand(upper);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut capitalise_next = true;
    let mut in_place = false;
    while i < words.len() {
        if let Some(n) = match_phrase(&words[i..], &["ủy ban nhân dân", "hội đồng nhân dân"]) {
            let (first, rest) = words[i..i + n].split_first().expect("phrase has words");
            out.push(capitalise(first));
            out.extend(rest.iter().cloned());
            i += n;
            capitalise_next = false;
            in_place = false;
            continue;
        }
        if let Some(n) = match_phrase(&words[i..], LOCALITIES) {
            out.extend(words[i..i + n].iter().cloned());
            i += n;
            in_place = true;
            continue;
        }
        let word = &words[i];
        if let Some(n) = (out.is_empty()).then(|| match_phrase(&words[i..], HEADS)).flatten() {
            out.push(capitalise(word));
            out.extend(words[i + 1..i + n].iter().cloned());
            i += n;
            capitalise_next = true;
            continue;
        }
        if (in_place || capitalise_next) && word != "và" {
            out.push(capitalise(word));
        } else {
            out.push(word.clone());
        }
        capitalise_next = !in_place && (word.ends_with(',') || word == "và");
        i += 1;
    }
    customary(&out.join(" "))
}

/// Proper case of a position (`PHÓ CHÁNH VĂN PHÒNG` → "Phó Chánh Văn phòng",
/// `CỤC TRƯỞNG` → "Cục trưởng").
pub(crate) fn title(upper: &str) -> String {
    let words = expand(upper);
    let mut out: Vec<String> = Vec::new();
    let mut rest = &words[..];
    if rest.first().is_some_and(|w| w == "phó") {
        out.push("Phó".to_owned());
        rest = &rest[1..];
    }
    if let Some((first, tail)) = rest.split_first() {
        out.push(capitalise(first));
        let tail = tail.join(" ");
        if !tail.is_empty() {
            // "Chánh Văn phòng", "Trưởng Ban …": the body after a position word is a name.
            if tail.starts_with("văn phòng") || tail.starts_with("ban ") || tail.starts_with("ủy ban") {
                out.push(agency(&tail));
            } else {
                out.push(tail);
            }
        }
    }
    customary(&out.join(" "))
}

fn expand(upper: &str) -> Vec<String> {
    let lower = vn_text::new_style_tones(&upper.to_lowercase());
    lower
        .split_whitespace()
        .flat_map(|w| {
            let (core, trail) = split_trailing_punct(w);
            match EXPANSIONS.iter().find(|(abbr, _)| *abbr == core) {
                Some((_, full)) => {
                    let mut words: Vec<String> = full.split(' ').map(str::to_owned).collect();
                    if let Some(last) = words.last_mut() {
                        last.push_str(trail);
                    }
                    words
                }
                None => vec![w.to_owned()],
            }
        })
        .collect()
}

fn split_trailing_punct(w: &str) -> (&str, &str) {
    let core = w.trim_end_matches([',', '.', ';', ':']);
    (core, &w[core.len()..])
}

/// Length in words of the first phrase of `phrases` that `words` starts with.
fn match_phrase(words: &[String], phrases: &[&str]) -> Option<usize> {
    phrases.iter().find_map(|p| {
        let n = p.split(' ').count();
        (words.len() >= n && words[..n].iter().map(|w| w.trim_end_matches(',')).eq(p.split(' '))).then_some(n)
    })
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn customary(name: &str) -> String {
    let mut out = name.to_owned();
    for form in CUSTOMARY {
        let lower = form.to_lowercase();
        if let Some(pos) = out.to_lowercase().find(&lower) {
            // Only replace when the byte lengths agree, i.e. the match is the same letters.
            if out.is_char_boundary(pos) && out.is_char_boundary(pos + form.len()) && out[pos..pos + form.len()].to_lowercase() == lower {
                out.replace_range(pos..pos + form.len(), form);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agencies() {
        assert_eq!(agency("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"), "Ủy ban nhân dân tỉnh Quảng Ngãi");
        assert_eq!(agency("UBND TỈNH LÀO CAI"), "Ủy ban nhân dân tỉnh Lào Cai");
        assert_eq!(agency("UỶ BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"), "Ủy ban nhân dân thành phố Hà Nội");
        assert_eq!(agency("SỞ CÔNG THƯƠNG"), "Sở Công Thương");
        assert_eq!(agency("BỘ CÔNG THƯƠNG"), "Bộ Công Thương");
        assert_eq!(agency("SỞ KẾ HOẠCH VÀ ĐẦU TƯ"), "Sở Kế hoạch và Đầu tư");
        assert_eq!(agency("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"), "Sở Văn hóa, Thể thao và Du lịch");
        assert_eq!(agency("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"), "Sở Nông nghiệp và Môi trường");
        assert_eq!(agency("BỘ NỘI VỤ"), "Bộ Nội vụ");
        assert_eq!(agency("BỘ CÔNG AN"), "Bộ Công an");
        assert_eq!(agency("CỤC HÓA CHẤT"), "Cục Hóa chất");
        assert_eq!(agency("CÔNG AN TỈNH LÂM ĐỒNG"), "Công an tỉnh Lâm Đồng");
        assert_eq!(agency("VĂN PHÒNG UBND TỈNH BÌNH THUẬN"), "Văn phòng Ủy ban nhân dân tỉnh Bình Thuận");
    }

    #[test]
    fn titles() {
        assert_eq!(title("CHỦ TỊCH"), "Chủ tịch");
        assert_eq!(title("PHÓ CHỦ TỊCH"), "Phó Chủ tịch");
        assert_eq!(title("PHÓ CHÁNH VĂN PHÒNG"), "Phó Chánh Văn phòng");
        assert_eq!(title("CHÁNH VĂN PHÒNG"), "Chánh Văn phòng");
        assert_eq!(title("GIÁM ĐỐC"), "Giám đốc");
        assert_eq!(title("CỤC TRƯỞNG"), "Cục trưởng");
        assert_eq!(title("THỨ TRƯỞNG"), "Thứ trưởng");
        assert_eq!(title("ỦY BAN NHÂN DÂN"), "Ủy ban nhân dân");
    }
}
