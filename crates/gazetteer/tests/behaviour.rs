//! The gazetteer's behaviour as the task extractor relies on it.

use gazetteer::{AgencyKind, ErrorKind, Gazetteer, MentionKind, Party};

fn g() -> &'static Gazetteer {
    Gazetteer::embedded()
}

fn agencies(list: &[&str]) -> Vec<Party> {
    list.iter().map(|n| Party::Agency(n.to_string())).collect()
}

#[test]
fn aliases_of_the_issue_canonicalise() {
    for (alias, name) in [
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("SKHĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở Kế hoạch - Đầu tư", "Sở Kế hoạch và Đầu tư"),
        ("Sở KH & ĐT", "Sở Kế hoạch và Đầu tư"),
        ("BQL KKT Dung Quất và các KCN Quảng Ngãi", "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi"),
        ("Công an tỉnh", "Công an tỉnh"),
        ("Công an tỉnh Quảng Ngãi", "Công an tỉnh"),
        ("CA tỉnh", "Công an tỉnh"),
        ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("UBND tỉnh Quảng Ngãi", "Ủy ban nhân dân tỉnh"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("BCH Quân sự tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở Tài chính tỉnh Quảng Ngãi", "Sở Tài chính"),
        ("Sở Tài chính tỉnh", "Sở Tài chính"),
        ("Sở Công Thương tỉnh Lào Cai", "Sở Công Thương"),
        ("SỞ TÀI CHÍNH", "Sở Tài chính"),
        ("Ban Dân tộc tỉnh", "Ban Dân tộc"),
        ("Tỉnh đoàn Quảng Ngãi", "Tỉnh đoàn"),
        ("Ủy ban MTTQ Việt Nam tỉnh Lào Cai", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("UBND huyện Bình Sơn", "Ủy ban nhân dân huyện Bình Sơn"),
        ("VCCI", "Liên đoàn Thương mại và Công nghiệp Việt Nam"),
        ("Bộ LĐ-TB&XH", "Bộ Lao động - Thương binh và Xã hội"),
    ] {
        assert_eq!(g().canonical(alias).map(|a| a.name()), Some(name), "{alias}");
    }
}

#[test]
fn exact_lookup_rejects_partial_and_unknown_names() {
    for s in ["", "Sở", "sở tài chính", "Sở Tài chính chủ trì", "Công ty Điện lực Quảng Ngãi", "cát", "Sở Tài chính, Sở Y tế"] {
        assert!(g().canonical(s).is_none(), "{s}");
    }
}

#[test]
fn reorganisation_data_is_kept() {
    let khdt = g().canonical("Sở KH&ĐT").unwrap();
    assert_eq!(khdt.kind(), AgencyKind::Department);
    assert_eq!(khdt.valid_to(), Some("2025-02-28"));
    assert_eq!(khdt.successor(), Some("Sở Tài chính"));
    let nnmt = g().canonical("Sở Nông nghiệp và Môi trường").unwrap();
    assert_eq!(nnmt.valid_from(), Some("2025-03-01"));
    assert_eq!(g().canonical("UBND huyện Lý Sơn").unwrap().successor(), Some("Ủy ban nhân dân đặc khu Lý Sơn"));
    assert_eq!(g().canonical("Bộ Công an").unwrap().kind(), AgencyKind::Central);
}

#[test]
fn addressee_lists() {
    let cases: &[(&str, Vec<Party>)] = &[
        (
            "Sở Tài chính, Sở Kế hoạch và Đầu tư và các cơ quan, đơn vị có liên quan",
            vec![
                Party::Agency("Sở Tài chính".into()),
                Party::Agency("Sở Kế hoạch và Đầu tư".into()),
                Party::CatchAll("Các cơ quan, đơn vị có liên quan".into()),
            ],
        ),
        ("các Sở: Tài chính, Kế hoạch và Đầu tư, Xây dựng", agencies(&["Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Xây dựng"])),
        ("các sở Tài chính, Xây dựng", agencies(&["Sở Tài chính", "Sở Xây dựng"])),
        ("Sở Tài chính, Xây dựng", agencies(&["Sở Tài chính", "Sở Xây dựng"])),
        ("các Sở: Kế hoạch và Đầu tư và Xây dựng", agencies(&["Sở Kế hoạch và Đầu tư", "Sở Xây dựng"])),
        (
            "các sở: Tài nguyên và Môi trường, Giáo dục và Đào tạo, Nông nghiệp và Phát triển nông thôn và Văn phòng Ủy ban nhân dân tỉnh",
            agencies(&[
                "Sở Tài nguyên và Môi trường",
                "Sở Giáo dục và Đào tạo",
                "Sở Nông nghiệp và Phát triển nông thôn",
                "Văn phòng Ủy ban nhân dân tỉnh",
            ]),
        ),
        (
            "các Sở: Tài chính, Kế hoạch và Đầu tư, Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi",
            vec![
                Party::Agency("Sở Tài chính".into()),
                Party::Agency("Sở Kế hoạch và Đầu tư".into()),
                Party::Unknown("Công ty TNHH MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi".into()),
            ],
        ),
        ("UBND các huyện, thị xã, thành phố", vec![Party::Group("Ủy ban nhân dân các huyện, thị xã, thành phố".into())]),
        ("Chủ tịch UBND các xã, phường", vec![Party::Group("Ủy ban nhân dân các xã, phường".into())]),
        ("Thủ trưởng các sở, ban, ngành của tỉnh", vec![Party::Group("Các sở, ban, ngành của tỉnh".into())]),
        (
            "các sở, ban ngành, đơn vị trực thuộc UBND tỉnh, các cơ quan Trung ương trên địa bàn tỉnh",
            vec![
                Party::Group("Các sở, ban ngành, đơn vị trực thuộc Ủy ban nhân dân tỉnh".into()),
                Party::Group("Các cơ quan Trung ương trên địa bàn tỉnh".into()),
            ],
        ),
        ("Giám đốc Sở Công Thương", agencies(&["Sở Công Thương"])),
        ("Chánh Thanh tra tỉnh", agencies(&["Thanh tra tỉnh"])),
        ("ông Nguyễn Văn An", vec![Party::Unknown("Nguyễn Văn An".into())]),
        (
            "Hội Nghề cá, Hiệp hội Nước mắm Phan Thiết, Hội Tin học và Hiệp hội Nhà thầu xây dựng",
            ["Hội Nghề cá", "Hiệp hội Nước mắm Phan Thiết", "Hội Tin học", "Hiệp hội Nhà thầu xây dựng"]
                .iter()
                .map(|n| Party::Unknown(n.to_string()))
                .collect(),
        ),
        (
            "Sở Công Thương chủ trì, phối hợp với Công an tỉnh và UBND huyện Bình Sơn",
            agencies(&["Sở Công Thương", "Công an tỉnh", "Ủy ban nhân dân huyện Bình Sơn"]),
        ),
        ("Sở Y tế, Sở Y tế", agencies(&["Sở Y tế"])),
    ];
    for (phrase, want) in cases {
        assert_eq!(&g().parse_list(phrase), want, "{phrase}");
    }
}

#[test]
fn catch_alls_are_reported_apart() {
    for s in [
        "các cơ quan, đơn vị liên quan",
        "các cơ quan, đơn vị, địa phương có liên quan",
        "các sở, ban, ngành liên quan",
        "các sở, ban, ngành, địa phương liên quan",
        "cơ quan liên quan",
        "các tổ chức, cá nhân có liên quan",
        "các địa phương trên địa bàn tỉnh",
        "các sở, ngành; cơ quan thông tấn, báo chí",
    ] {
        let parties = g().parse_list(s);
        assert!(!parties.is_empty() && parties.iter().all(Party::is_catch_all), "{s}: {parties:?}");
    }
}

#[test]
fn find_all_spans_and_kinds() {
    let text = "Giao Sở Tài chính tỉnh Quảng Ngãi chủ trì, phối hợp với các sở, ban, ngành liên quan và Văn phòng UBND tỉnh.";
    let found = g().find_all(text);
    let got: Vec<(&str, &str, MentionKind)> = found.iter().map(|m| (&text[m.span.clone()], m.name.as_str(), m.kind)).collect();
    assert_eq!(
        got,
        [
            ("Sở Tài chính tỉnh Quảng Ngãi", "Sở Tài chính", MentionKind::Agency),
            ("các sở, ban, ngành liên quan", "Các sở, ban, ngành liên quan", MentionKind::CatchAll),
            ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", MentionKind::Agency),
        ]
    );
}

#[test]
fn names_only_match_whole_words_and_capitalised() {
    let none = [
        "khai thác cát trái phép",
        "công tác thanh tra tỉnh",
        "Sở Y tếx",
        "XSở Y tế",
        "Số: 1629/SCT-CN",
        "sở tài chính",
        "các sở",
    ];
    for s in none {
        let found: Vec<_> = g().find_all(s).into_iter().filter(|m| m.kind == MentionKind::Agency).collect();
        assert!(found.is_empty(), "{s}: {found:?}");
    }
    assert_eq!(g().find_all("Sở Y tế.")[0].name, "Sở Y tế");
    assert_eq!(g().find_all("(Sở Y tế)")[0].span, 1..12);
    assert_eq!(g().find_all("Sở Kế hoạch và\n   Đầu tư")[0].name, "Sở Kế hoạch và Đầu tư");
    assert_eq!(g().find_all("Sở Tu phap")[0].name, "Sở Tư pháp");
}

#[test]
fn group_wins_over_a_bare_sở_and_longest_wins() {
    let m = g().find_all("các sở, ban, ngành");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kind, MentionKind::Group);
    let m = g().find_all("Chánh Văn phòng Ủy ban nhân dân tỉnh");
    assert_eq!(m[0].name, "Văn phòng Ủy ban nhân dân tỉnh");
    // A dropped "tỉnh" never eats the next name.
    let m = g().find_all("Sở Tài chính Tỉnh đoàn");
    assert_eq!(m.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Sở Tài chính", "Tỉnh đoàn"]);
}

#[test]
fn model_directive_mentions() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/2395-UBND-KTTH.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let names: std::collections::BTreeSet<String> = g().find_all(&text).into_iter().map(|m| m.name).collect();
    for want in [
        "Sở Kế hoạch và Đầu tư",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
        "Các cơ quan Trung ương trên địa bàn tỉnh",
    ] {
        assert!(names.contains(want), "{want} not in {names:?}");
    }
}

#[test]
fn administrator_data_errors_are_typed() {
    let head = "name,kind,aliases,valid_from,valid_to,successor,note\n";
    let groups = "name,kind,variants,note\n";
    let err = |a: &str, gr: &str| Gazetteer::from_csv(a, gr).unwrap_err();
    assert!(matches!(err(&format!("{head}Sở X,ministry,,,,,\n"), groups).kind(), ErrorKind::UnknownKind(_)));
    assert!(matches!(err(&format!("{head}Sở X,department,,2025-13-01,,,\n"), groups).kind(), ErrorKind::BadDate(_)));
    assert!(matches!(
        err(&format!("{head}Sở X,department,,2025-03-01,2024-01-01,,\n"), groups).kind(),
        ErrorKind::DatesReversed { .. }
    ));
    assert!(matches!(err(&format!("{head}Sở X,department,,,,,\nSở X,department,,,,,\n"), groups).kind(), ErrorKind::DuplicateName(_)));
    assert!(matches!(err(&format!("{head}Sở X,department,SX,,,,\nSở Y,department,SX,,,,\n"), groups).kind(), ErrorKind::Ambiguous { .. }));
    assert!(matches!(err(&format!("{head}Sở X,department,,,,Sở Z,\n"), groups).kind(), ErrorKind::UnknownSuccessor(_)));
    assert!(matches!(err(&format!("{head}\"Sở X,department\n"), groups).kind(), ErrorKind::UnterminatedQuote));
    assert!(matches!(err(&format!("{head}---,department,,,,,\n"), groups).kind(), ErrorKind::EmptyName(_)));
    assert!(matches!(err(head, "name,kind\n").kind(), ErrorKind::BadHeader { .. }));
    let e = err(&format!("{head}Sở X,department,,,,,\n"), "name,kind,variants,note\nx,other,,\n");
    assert_eq!((e.file(), e.line()), ("groups", 2));
    // Entries that fold alike but are spelt differently are allowed and told apart by diacritics.
    let g = Gazetteer::from_csv(&format!("{head}Sở Ba,department,,,,,\nSở Bà,department,,,,,\n"), groups).unwrap();
    assert_eq!(g.canonical("Sở Bà").map(|a| a.name()), Some("Sở Bà"));
    assert_eq!(g.canonical("Sở Ba").map(|a| a.name()), Some("Sở Ba"));
    assert_eq!(g.canonical("Sở Bá"), None);
}

#[test]
fn ocr_damaged_group_names_are_repaired() {
    let group = |name: &str| vec![Party::Group(name.to_string())];
    // A misread tone on a long group name: the directory's spelling, qualifiers as written.
    assert_eq!(g().parse_list("Chủ tịch UBND các huyện, thành phô trong tỉnh"), group("Ủy ban nhân dân các huyện, thành phố trong tỉnh"));
    // One misread letter in the last word of a long name.
    assert_eq!(g().parse_list("UBND các huyện, thị xã, thành phế"), group("Ủy ban nhân dân các huyện, thị xã, thành phố"));
    // Case stays as written; only letters that differ beyond case are replaced.
    assert_eq!(g().parse_list("Thủ trưởng các Sở, ban, ngành của tỉnh"), group("Các Sở, ban, ngành của tỉnh"));
    // A different word is no misreading: the name ends where the text stops agreeing.
    let found = g().find_all("UBND các huyện, thị xã, thành lập tổ công tác");
    assert_eq!(found[0].name, "Ủy ban nhân dân các huyện, thị xã");
    // Short names are never stretched: one letter apart is another name there.
    assert!(g().find_all("Sở Tư pháp").iter().all(|m| m.name == "Sở Tư pháp"));
}

#[test]
fn departments_and_localities_together_are_a_catch_all() {
    for s in ["các sở, ngành, địa phương", "các Sở, ban, ngành, địa phương", "các sở, ban, ngành và địa phương"] {
        let found = g().find_all(s);
        assert_eq!(found.len(), 1, "{s}");
        assert_eq!(found[0].kind, MentionKind::CatchAll, "{s}");
    }
    // The departments alone are a group addressee.
    assert_eq!(g().find_all("các sở, ban, ngành của tỉnh")[0].kind, MentionKind::Group);
}
