//! Property tests: no two agencies are confused, and no input makes the matcher panic.

use gazetteer::{Gazetteer, MentionKind};
use proptest::prelude::*;

fn g() -> &'static Gazetteer {
    Gazetteer::embedded()
}

/// Every (agency, spelling) pair of the data: canonical names and listed aliases.
fn spellings() -> Vec<(String, String)> {
    g().agencies()
        .iter()
        .flat_map(|a| std::iter::once(a.name()).chain(a.aliases().iter().map(String::as_str)).map(|s| (a.name().to_string(), s.to_string())))
        .collect()
}

#[test]
fn every_spelling_finds_its_agency_and_only_it() {
    for (name, spelling) in spellings() {
        let found: Vec<_> = g().find_all(&spelling).into_iter().map(|m| m.name).collect();
        assert_eq!(found, std::slice::from_ref(&name), "{spelling}");
        assert_eq!(g().canonical(&spelling).map(|a| a.name()), Some(name.as_str()), "{spelling}");
    }
}

proptest! {
    #[test]
    fn pairs_of_names_are_never_confused(
        a in 0..spellings().len(),
        b in 0..spellings().len(),
        // Not a bare line break: "… tỉnh\nTỉnh ủy" reads as "… tỉnh" + "ủy" (see the crate docs).
        joint in prop::sample::select(vec![", ", " và ", "; ", " chủ trì, phối hợp với ", "\n- "]),
    ) {
        let all = spellings();
        let (na, sa) = &all[a];
        let (nb, sb) = &all[b];
        let text = format!("Giao {sa}{joint}{sb} thực hiện.");
        let found: Vec<_> = g().find_all(&text).into_iter().filter(|m| m.kind == MentionKind::Agency).map(|m| m.name).collect();
        prop_assert_eq!(found, vec![na.clone(), nb.clone()], "{}", text);
    }

    #[test]
    fn any_text_is_read_without_panicking(s in "\\PC{0,80}") {
        let found = g().find_all(&s);
        for m in &found {
            prop_assert!(s.get(m.span.clone()).is_some());
        }
        let _ = g().parse_list(&s);
        let _ = g().canonical(&s);
    }

    #[test]
    fn vietnamese_like_text_is_read_without_panicking(
        s in "[SởTàichínhUBNDcácvà,;: ()\\-–&\n]{0,60}"
    ) {
        let _ = g().find_all(&s);
        let _ = g().parse_list(&s);
    }
}
