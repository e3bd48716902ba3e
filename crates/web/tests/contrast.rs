//! Colour contrast of the style sheet, computed (WCAG 2, AA: at least 4.5:1 for text): every
//! rule of `app.css` that sets both a text colour and a background, and the pairs that meet by
//! inheritance (text on the page's backgrounds, links on them, the review page's marks). The
//! browser test checks each page as rendered too; this one needs no browser.

use std::collections::HashMap;

const CSS: &str = include_str!("../static/app.css");

/// WCAG AA for normal text.
const AA: f64 = 4.5;

/// Text colour on background, by the variable names of `:root` (or `#fff`), that meet without
/// one rule naming both.
const INHERITED: &[(&str, &str)] = &[
    ("chu", "nen"),
    ("chu", "nen-phu"),
    ("chu-phu", "nen"),
    ("chu-phu", "nen-phu"),
    ("chinh", "nen"),
    ("chinh", "nen-phu"),
    ("chinh-dam", "nen"),
    ("loi", "nen"),
    ("loi", "loi-nen"),
    ("tot", "tot-nen"),
    ("chu", "tot-nen"),
    ("chu", "canh-bao-nen"),
    ("canh-bao", "canh-bao-nen"),
    ("#fff", "chinh"),
    ("#fff", "chinh-dam"),
    ("chu", "tieu-diem"),
    ("chu", "#f5f9fd"),
    ("chinh", "#f5f9fd"),
    // The review page: text in each mark, and a stored citation's link.
    ("chu", "hl-nv"),
    ("chu", "hl-cq"),
    ("chu", "hl-th"),
    ("chu", "hl-vb"),
    ("chinh", "hl-vb"),
    ("chinh", "hl-nv"),
];

fn hex(s: &str) -> Option<[f64; 3]> {
    let h = s.trim().strip_prefix('#')?;
    let h: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_owned(),
        _ => return None,
    };
    let v = u32::from_str_radix(&h, 16).ok()?;
    Some([v >> 16, (v >> 8) & 0xff, v & 0xff].map(|c| f64::from(c) / 255.0))
}

fn luminance(c: [f64; 3]) -> f64 {
    let lin = |v: f64| {
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

fn ratio(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The style sheet without comments.
fn css() -> String {
    let mut out = String::new();
    let mut rest = CSS;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = &rest[start + rest[start..].find("*/").unwrap() + 2..];
    }
    out + rest
}

/// The colour variables of `:root`.
fn variables(css: &str) -> HashMap<String, [f64; 3]> {
    let root = &css[css.find(":root {").unwrap() + ":root {".len()..];
    let root = &root[..root.find('}').unwrap()];
    root.split(';')
        .filter_map(|d| d.trim().strip_prefix("--")?.split_once(':'))
        .filter_map(|(name, value)| Some((name.trim().to_owned(), hex(value)?)))
        .collect()
}

/// A colour: `var(--name)`, `#hex` or a variable's bare name; `None` for anything else
/// (`transparent`, `inherit`).
fn colour(vars: &HashMap<String, [f64; 3]>, value: &str) -> Option<[f64; 3]> {
    let v = value.trim().trim_end_matches("!important").trim();
    if let Some(name) = v.strip_prefix("var(--").and_then(|n| n.strip_suffix(')')) {
        return vars.get(name).copied();
    }
    hex(v).or_else(|| vars.get(v).copied())
}

/// Each rule's selector and declarations (those inside `@media` too).
fn rules(css: &str) -> Vec<(String, Vec<(String, String)>)> {
    css.split('}')
        .filter_map(|block| {
            let (head, body) = block.rsplit_once('{')?;
            let selector = head.rsplit('{').next()?.trim().to_owned();
            let decls = body
                .split(';')
                .filter_map(|d| d.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            Some((selector, decls))
        })
        .collect()
}

#[test]
fn every_text_colour_meets_aa_on_its_background() {
    let css = css();
    let vars = variables(&css);
    assert!(vars.len() >= 15, "{vars:?}");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (selector, decls) in rules(&css) {
        let get = |name: &str| {
            decls
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let fg = get("color").and_then(|v| colour(&vars, v));
        let bg = get("background")
            .or(get("background-color"))
            .and_then(|v| colour(&vars, v));
        if let (Some(fg), Some(bg)) = (fg, bg) {
            checked += 1;
            let r = ratio(fg, bg);
            if r < AA {
                failures.push(format!("{selector}: {r:.2}"));
            }
        }
    }
    assert!(
        checked >= 10,
        "rules with a colour and a background: {checked}"
    );
    for (fg, bg) in INHERITED {
        let (f, b) = (colour(&vars, fg), colour(&vars, bg));
        let (Some(f), Some(b)) = (f, b) else {
            panic!("unknown colour in ({fg}, {bg})");
        };
        let r = ratio(f, b);
        if r < AA {
            failures.push(format!("{fg} on {bg}: {r:.2}"));
        }
    }
    assert!(failures.is_empty(), "below {AA}:1: {failures:?}");
}

#[test]
fn the_contrast_formula_is_wcag_s() {
    let (black, white) = (hex("#000").unwrap(), hex("#ffffff").unwrap());
    assert!((ratio(black, white) - 21.0).abs() < 1e-9);
    assert!((ratio(white, white) - 1.0).abs() < 1e-9);
    // #767676 on white is the classic AA boundary, just above 4.5.
    let grey = ratio(hex("#767676").unwrap(), white);
    assert!(grey > 4.5 && grey < 4.6, "{grey}");
}
