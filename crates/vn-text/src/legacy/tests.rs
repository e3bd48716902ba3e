use super::*;
use crate::letter::{Tone, alphabet};

const LOWER: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";

#[test]
fn alphabet_is_the_134_letters() {
    let non_ascii: String = alphabet().iter().map(|l| l.to_char()).filter(|c| !c.is_ascii()).collect();
    assert_eq!(non_ascii.chars().count(), 134);
    assert_eq!(non_ascii.chars().take(67).collect::<String>().chars().filter(|c| LOWER.contains(*c)).count(), 67);
}

#[test]
fn vni_and_windows_1258_round_trip_every_letter_in_both_cases() {
    for enc in [Encoding::Vni, Encoding::Windows1258] {
        for l in alphabet() {
            let s = format!("x{}y", l.to_char());
            let bytes = encode(&s, enc).unwrap();
            assert_eq!(decode(&bytes, enc), s, "{enc} {s}");
        }
    }
}

/// TCVN3 round-trips every letter it has a code for; toned capitals, which it has no
/// code for, come back as the lower-case letter (the `.VnTimeH` convention).
#[test]
fn tcvn3_round_trips_the_alphabet_with_toned_capitals_lowered() {
    for l in alphabet() {
        let c = l.to_char();
        let bytes = encode(&c.to_string(), Encoding::Tcvn3).unwrap();
        assert_eq!(bytes.len(), 1, "{c}");
        let expected = if l.upper && l.tone != Tone::None { c.to_lowercase().collect() } else { c.to_string() };
        assert_eq!(decode(&bytes, Encoding::Tcvn3), expected, "{c}");
    }
}

#[test]
fn known_legacy_strings() {
    // Samples from public converters' documentation and tests.
    assert_eq!(decode(b"Xin cha\xf8o ca\xf9c ba\xefn", Encoding::Vni), "Xin chào các bạn");
    assert_eq!(decode(b"B\xb6o Th\xbeng", Encoding::Tcvn3), "Bảo Thắng");
    assert_eq!(decode(b"M\xad\xeang Kh\xad\xacng", Encoding::Tcvn3), "Mường Khương");
    assert_eq!(decode(b"Vie\xe4t Nam", Encoding::Vni), "Việt Nam");
    assert_eq!(decode(b"VIE\xc4T NAM \xd1O\xc0NG", Encoding::Vni), "VIỆT NAM ĐỒNG");
    assert_eq!(decode(b"Vi\xea\xf2c t\xe2\xf2p", Encoding::Windows1258), "Việc tập");
    assert_eq!(encode("Việt", Encoding::Windows1258).unwrap(), b"Vi\xea\xf2t");
    assert_eq!(encode("Hà", Encoding::Windows1258).unwrap(), b"H\xe0");
}

#[test]
fn decoding_arbitrary_bytes_never_panics() {
    let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    for enc in Encoding::ALL {
        let s = decode(&all, enc);
        assert!(s.chars().count() >= 256, "{enc}");
        let _ = decode(&[0xF9, 0xF9, b'a', 0xE2, 0xF9, 0xD6, 0xF9, 0xD6], enc);
    }
}

#[test]
fn unrepresentable_characters_are_typed_errors() {
    let err = encode("Hà Nội 北", Encoding::Tcvn3).unwrap_err();
    assert_eq!(err, EncodeError::Unrepresentable { ch: '北', offset: 10, encoding: Encoding::Tcvn3 });
    assert!(err.to_string().contains("TCVN3"));
    assert!(encode("ŏ", Encoding::Windows1258).is_err());
    assert!(encode("ŏ", Encoding::Vni).is_err());
}

#[test]
fn encoding_names() {
    for (name, enc) in [
        ("tcvn3", Encoding::Tcvn3),
        ("ABC", Encoding::Tcvn3),
        ("TCVN-3", Encoding::Tcvn3),
        ("vni", Encoding::Vni),
        ("VNI-Windows", Encoding::Vni),
        ("windows-1258", Encoding::Windows1258),
        ("cp1258", Encoding::Windows1258),
        ("CP-1258", Encoding::Windows1258),
    ] {
        assert_eq!(name.parse::<Encoding>(), Ok(enc), "{name}");
    }
    for enc in Encoding::ALL {
        assert_eq!(enc.name().parse::<Encoding>(), Ok(enc));
    }
    assert!("utf-8".parse::<Encoding>().is_err());
}

const SAMPLE: &str = "Ủy ban nhân dân tỉnh Quảng Ngãi giao Sở Kế hoạch và Đầu tư chủ trì, \
    phối hợp với các sở, ngành liên quan khẩn trương hoàn thành báo cáo trước ngày 15 tháng 3 năm 2025.";

#[test]
fn detects_each_encoding() {
    for enc in Encoding::ALL {
        let bytes = encode(SAMPLE, enc).unwrap();
        assert_eq!(detect(&bytes), Some(enc), "{enc}");
        let short = encode("Hà Nội", enc).unwrap();
        assert_eq!(detect(&short), Some(enc), "{enc} short");
    }
}

#[test]
fn detect_says_none_for_utf8_ascii_and_other_languages() {
    assert_eq!(detect(SAMPLE.as_bytes()), None);
    assert_eq!(detect(b"UBND tinh Quang Ngai, so 12/QD-UBND"), None);
    assert_eq!(detect(b""), None);
    // Latin-1 French and German: not UTF-8, not Vietnamese.
    assert_eq!(detect(b"Le pr\xe9sident a sign\xe9 le d\xe9cret \xe0 l'\xc9lys\xe9e."), None);
    assert_eq!(detect(b"Gr\xfc\xdfe aus M\xfcnchen, sch\xf6ne Gr\xfc\xdfe"), None);
    assert_eq!(detect(&[0xFF, 0xFE, 0x00, 0x41]), None);
}

/// What pdftotext prints for a PDF set in a legacy font: the bytes read as
/// Windows-1252 (0x80–0x9F) and Latin-1.
fn as_mojibake(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| if (0x80..0xA0).contains(&b) { CP1252_C1[usize::from(b - 0x80)] } else { char::from(b) })
        .collect()
}

#[test]
fn mojibake_round_trip_and_detection() {
    for enc in Encoding::ALL {
        let text = as_mojibake(&encode(SAMPLE, enc).unwrap());
        assert_eq!(detect_mojibake(&text), Some(enc), "{enc}: {text}");
        let expected = if enc == Encoding::Tcvn3 { SAMPLE.replace('Ủ', "ủ") } else { SAMPLE.into() };
        assert_eq!(decode_mojibake(&text, enc), expected, "{enc}");
    }
    // The same bytes read as Latin-1 rather than Windows-1252 (C1 controls).
    let latin1: String = encode("“Hà Nội”", Encoding::Tcvn3).unwrap().iter().map(|&b| char::from(b)).collect();
    assert_eq!(decode_mojibake(&latin1, Encoding::Tcvn3), "“Hà Nội”");
    // Characters that no byte produces pass through.
    assert_eq!(decode_mojibake("ViÖt — Việt", Encoding::Tcvn3), "Việt — Việt");
}

#[test]
fn detect_mojibake_leaves_real_text_alone() {
    assert_eq!(detect_mojibake(SAMPLE), None);
    assert_eq!(detect_mojibake("Cà phê Đà Lạt"), None);
    assert_eq!(detect_mojibake("plain ascii"), None);
    assert_eq!(detect_mojibake("Le président a signé le décret à l'Élysée."), None);
}
