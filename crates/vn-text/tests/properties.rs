//! Property tests for the normaliser, the folding and the legacy encodings.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use vn_text::legacy::{self, Encoding};
use vn_text::{fold, normalize};

/// The full alphabet with every tone, both cases (TCVN3 toned capitals are handled in
/// the round-trip property below).
const LETTERS: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ\
AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ";

fn vietnamese() -> impl Strategy<Value = String> {
    let letters: Vec<char> = LETTERS.chars().collect();
    let pieces = prop_oneof![
        8 => proptest::sample::select(letters),
        2 => Just(' '),
        1 => proptest::sample::select(vec![',', '.', '-', '0', '9', '\n', '(', ')', '/']),
    ];
    proptest::collection::vec(pieces, 0..60).prop_map(|v| v.into_iter().collect())
}

fn decomposed_or_mixed() -> impl Strategy<Value = String> {
    (vietnamese(), any::<bool>()).prop_map(|(s, nfd)| if nfd { s.nfd().collect() } else { s })
}

proptest! {
    #[test]
    fn normalize_is_idempotent(s in any::<String>()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn normalize_is_idempotent_on_vietnamese(s in decomposed_or_mixed()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn fold_ignores_normalisation(s in any::<String>()) {
        prop_assert_eq!(fold(&normalize(&s)), fold(&s));
    }

    #[test]
    fn fold_is_idempotent(s in any::<String>()) {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn fold_of_decomposed_equals_fold_of_composed(s in vietnamese()) {
        let nfd: String = s.nfd().collect();
        let folded = fold(&s);
        prop_assert_eq!(fold(&nfd), folded.clone());
        prop_assert!(folded.is_ascii());
    }

    #[test]
    fn vni_and_windows_1258_round_trip(s in vietnamese()) {
        for enc in [Encoding::Vni, Encoding::Windows1258] {
            let bytes = legacy::encode(&s, enc).unwrap();
            prop_assert_eq!(legacy::decode(&bytes, enc), s.clone());
        }
    }

    /// TCVN3 has no toned capitals: they come back in lower case (see `legacy::encode`).
    #[test]
    fn tcvn3_round_trips_up_to_toned_capitals(s in vietnamese()) {
        let bytes = legacy::encode(&s, Encoding::Tcvn3).unwrap();
        let expected: String = s
            .chars()
            .map(|c| if c.is_uppercase() && !"ĂÂÊÔƠƯĐ".contains(c) && !c.is_ascii() { c.to_lowercase().next().unwrap_or(c) } else { c })
            .collect();
        prop_assert_eq!(legacy::decode(&bytes, Encoding::Tcvn3), expected);
    }

    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        for enc in Encoding::ALL {
            let _ = legacy::decode(&bytes, enc);
            let _ = legacy::detect(&bytes);
        }
    }

    #[test]
    fn mojibake_functions_never_panic(s in any::<String>()) {
        let _ = legacy::detect_mojibake(&s);
        for enc in Encoding::ALL {
            let _ = legacy::decode_mojibake(&s, enc);
        }
    }

    #[test]
    fn detect_says_none_for_ascii(s in "[ -~\t\n]{0,200}") {
        prop_assert_eq!(legacy::detect(s.as_bytes()), None);
    }

    #[test]
    fn detect_says_none_for_any_utf8(s in any::<String>()) {
        prop_assert_eq!(legacy::detect(s.as_bytes()), None);
    }

    #[test]
    fn detect_says_none_for_vietnamese_utf8(s in decomposed_or_mixed()) {
        prop_assert_eq!(legacy::detect(s.as_bytes()), None);
    }
}
