//! Proper case for names printed in capitals in headers and signature blocks.
//!
//! Vietnamese capitalises the first word of a body's name and the first word of each part of
//! its specific name (Decree 30/2020, Appendix II): `SỞ KẾ HOẠCH VÀ ĐẦU TƯ` → "Sở Kế hoạch và
//! Đầu tư", `SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH` → "Sở Văn hóa, Thể thao và Du lịch"; place names
//! after tỉnh/huyện/xã are capitalised word by word. A few names break the rule by convention
//! and are listed.

use std::sync::LazyLock;

/// Abbreviations expanded in names (`UBND TỈNH LÀO CAI` → "Ủy ban nhân dân tỉnh Lào Cai").
const EXPANSIONS: &[(&str, &str)] = &[
    ("ubnd", "ủy ban nhân dân"),
    ("hđnd", "hội đồng nhân dân"),
    ("ub", "ủy ban"),
];

/// Phrases that keep a fixed form wherever they stand in a name. Matched folded, so OCR's
/// slips (`TĨNH`, `NHÂN DẦN`) still find them.
const FIXED: &[&str] = &["Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban"];

/// Heads of body names: the words that name the kind of body, lower-cased after the first.
const HEADS: &[&str] = &[
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

/// Provinces and centrally-run cities, before and after the 2025 merger, so a place name in
/// capitals or garbled by OCR (`QUANG NGAI`) comes out as it is spelled.
const PROVINCES: &[&str] = &[
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "An Giang", "Bà Rịa - Vũng Tàu",
    "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước",
    "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
];

/// Names whose customary form does not follow the rule.
const CUSTOMARY: &[&str] = &["Bộ Công Thương", "Sở Công Thương", "Văn phòng Chính phủ", "Chính phủ", "Thủ tướng Chính phủ", "Quốc hội"];

/// Proper case of a body's name printed in capitals, abbreviations expanded.
pub(crate) fn agency(upper: &str) -> String {
    let words = expand(upper);
    let folded: Vec<String> = words.iter().map(|w| vn_text::fold(w.trim_end_matches(','))).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut capitalise_next = true;
    while i < words.len() {
        if let Some((n, form)) = match_folded(&folded[i..], &FIXED_FOLDED) {
            out.push(with_trailing(form, &words[i + n - 1]));
            i += n;
            capitalise_next = false;
            continue;
        }
        if let Some((n, form)) = match_folded(&folded[i..], &LOCALITIES_FOLDED) {
            out.push(with_trailing(form, &words[i + n - 1]));
            i += n;
            // The rest is a place name: a known province as spelled, else each word capitalised.
            match match_folded(&folded[i..], &PROVINCES_FOLDED) {
                Some((m, place)) => {
                    out.push(with_trailing(place, &words[i + m - 1]));
                    i += m;
                }
                None => {
                    while i < words.len() && !words[i - 1].ends_with(',') && folded[i] != "va" {
                        out.push(capitalise(&words[i]));
                        i += 1;
                    }
                }
            }
            capitalise_next = false;
            continue;
        }
        if !out.is_empty()
            && let Some((n, place)) = match_folded(&folded[i..], &PROVINCES_FOLDED) {
                out.push(with_trailing(place, &words[i + n - 1]));
                i += n;
                capitalise_next = false;
                continue;
            }
        if out.is_empty()
            && let Some((n, form)) = match_folded(&folded[i..], &HEADS_FOLDED) {
                out.push(with_trailing(&capitalise(form), &words[i + n - 1]));
                i += n;
                capitalise_next = true;
                continue;
            }
        let word = &words[i];
        if capitalise_next && word != "và" {
            out.push(capitalise(word));
        } else {
            out.push(word.clone());
        }
        capitalise_next = word.ends_with(',') || word == "và";
        i += 1;
    }
    customary(&out.join(" "))
}

/// Forms with their words folded, folded once rather than at every word of every name.
type FoldedForms = Vec<(Vec<String>, &'static str)>;

fn folded_forms(forms: &[&'static str]) -> FoldedForms {
    forms.iter().map(|form| (form.split_whitespace().map(vn_text::fold).collect(), *form)).collect()
}

static FIXED_FOLDED: LazyLock<FoldedForms> = LazyLock::new(|| folded_forms(FIXED));
static LOCALITIES_FOLDED: LazyLock<FoldedForms> = LazyLock::new(|| folded_forms(LOCALITIES));
static PROVINCES_FOLDED: LazyLock<FoldedForms> = LazyLock::new(|| folded_forms(PROVINCES));
static HEADS_FOLDED: LazyLock<FoldedForms> = LazyLock::new(|| folded_forms(HEADS));

/// The first of `forms` whose folded words `folded` starts with: its word count and form.
fn match_folded(folded: &[String], forms: &FoldedForms) -> Option<(usize, &'static str)> {
    forms.iter().find_map(|(words, form)| {
        let n = words.len();
        let matches = folded.len() >= n && folded[..n] == words[..];
        matches.then_some((n, *form))
    })
}

/// `form` followed by the punctuation the last matched word carried (`ĐẦU TƯ,`).
fn with_trailing(form: &str, last_word: &str) -> String {
    let (_, trail) = split_trailing_punct(last_word);
    format!("{form}{trail}")
}

/// Proper case of a position (`PHÓ CHÁNH VĂN PHÒNG` → "Phó Chánh Văn phòng",
/// `CỤC TRƯỞNG` → "Cục trưởng").
pub(crate) fn title(upper: &str) -> String {
    if let Some(known) = known_position(upper) {
        return known.to_owned();
    }
    // `TM. ỦY BAN NHÂN DÂN`: what follows a mark may be a body, not a position.
    let folded = vn_text::fold(upper);
    if !is_position(upper) && ["uy ban", "ubnd", "hoi dong", "bo ", "so ", "ban "].iter().any(|p| folded.starts_with(p)) {
        return agency(upper);
    }
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
            if tail.starts_with("văn phòng") || tail.starts_with("ban ") || tail.starts_with("ủy ban") || tail.starts_with("bộ ") {
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

/// Positions as they are spelled, matched folded so OCR's slips (`GIÁM ĐÓC`) find them.
const POSITIONS: [&str; 24] = [
    "Phó Chánh Văn phòng", "Chánh Văn phòng", "Phó Chủ tịch", "Chủ tịch", "Phó Giám đốc", "Giám đốc", "Tổng Giám đốc",
    "Phó Cục trưởng", "Cục trưởng", "Phó Tổng cục trưởng", "Tổng cục trưởng", "Phó Chi cục trưởng", "Chi cục trưởng",
    "Bộ trưởng", "Thứ trưởng", "Thủ tướng", "Phó Thủ tướng", "Vụ trưởng", "Chánh Thanh tra", "Phó Chánh Thanh tra",
    "Trưởng ban", "Phó Trưởng ban", "Tổ trưởng", "Trưởng đoàn",
];

/// The position a line names, as spelled: the whole line folded equals a known position.
fn known_position(line: &str) -> Option<&'static str> {
    static FOLDED: LazyLock<Vec<String>> = LazyLock::new(|| POSITIONS.iter().map(|p| vn_text::fold(p)).collect());
    let folded = vn_text::fold(line.trim());
    POSITIONS.iter().zip(FOLDED.iter()).find(|(_, f)| **f == folded).map(|(p, _)| *p)
}

/// Whether a line in capitals names a signer's position ("PHÓ CHỦ TỊCH", "CỤC TRƯỞNG").
pub(crate) fn is_position(line: &str) -> bool {
    if known_position(line).is_some() {
        return true;
    }
    let lower = vn_text::new_style_tones(&line.to_lowercase());
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    let head = vn_text::fold(&words.strip_prefix(&["phó"]).unwrap_or(&words).join(" "));
    const HEADS: [&str; 6] = ["chu tich", "giam doc", "chanh van phong", "thu tuong", "lanh dao", "tong giam doc"];
    // "trưởng" (head of) is a position wherever it stands: "cục trưởng", "trưởng đoàn".
    HEADS.iter().any(|p| head.starts_with(p)) || words.contains(&"trưởng")
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
        assert_eq!(agency("ỦY BAN NHÂN DẦN TĨNH QUANG NGAI"), "Ủy ban nhân dân tỉnh Quảng Ngãi");
        assert_eq!(agency("SỞ CÔNG THƯƠNG LÀO CAI"), "Sở Công Thương Lào Cai");
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
