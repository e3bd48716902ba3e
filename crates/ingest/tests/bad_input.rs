//! Hostile and broken input: one clear error, no panic, bounded memory.

use std::io::Write;

use ingest::{Error, Options};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nhiemvu-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn empty_file_is_refused() {
    assert!(matches!(ingest::read_bytes(b"", "a.txt", &Options::default()), Err(Error::Empty)));
    assert!(matches!(ingest::read_bytes(b" \n\n\t", "a.txt", &Options::default()), Err(Error::Empty)));
}

#[test]
fn binary_file_named_txt_is_not_text() {
    let mut bytes = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..4096 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push((x >> 16) as u8);
    }
    assert!(matches!(ingest::read_bytes(&bytes, "photo.txt", &Options::default()), Err(Error::NotText)));
    // Valid UTF-8 can still be binary: NUL bytes give it away.
    assert!(matches!(ingest::read_bytes(b"abc\0\0\0def", "x.txt", &Options::default()), Err(Error::NotText)));
}

#[test]
fn huge_file_is_refused_before_it_is_read() {
    let path = scratch("huge.txt");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: 200 MB of apparent size, no disk or memory used.
    file.set_len(200 * 1024 * 1024).unwrap();
    let err = ingest::read_file(&path, &Options::default()).unwrap_err();
    assert!(matches!(err, Error::TooLarge { size, .. } if size == 200 * 1024 * 1024));
    assert!(err.to_string().contains("quá lớn"));
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn pdf_without_pages_is_refused() {
    let pdf = minimal_pdf(None);
    let err = ingest::read_bytes(&pdf, "empty.pdf", &Options::default()).unwrap_err();
    assert!(matches!(err, Error::NoPages | Error::BadPdf(_)), "got {err:?}");
}

#[test]
fn truncated_pdf_is_refused_with_a_reason() {
    let pdf = minimal_pdf(Some("Hello"));
    let err = ingest::read_bytes(&pdf[..40], "cut.pdf", &Options::default()).unwrap_err();
    assert!(matches!(err, Error::BadPdf(_) | Error::NoPages), "got {err:?}");
}

#[test]
fn pdf_text_layer_that_does_not_read_as_vietnamese_needs_ocr() {
    let pdf = minimal_pdf(Some("UY BAN NHAN DAN TINH QUANG NGAI - So 2395 - Kinh gui cac so ban nganh, tham muu trien khai thuc hien nhiem vu duoc giao dung thoi han"));
    let out = ingest::read_bytes(&pdf, "a.pdf", &Options { ocr: ingest::OcrMode::Never, ..Options::default() });
    // ASCII without diacritics does not read as Vietnamese, so the layer is judged unusable:
    // that is the point of the check, and the error says what to do.
    assert!(matches!(out, Err(Error::ScanWithoutOcr)), "got {out:?}");
}

#[test]
fn utf16_and_legacy_text_are_decoded() {
    let text = "Ủy ban nhân dân tỉnh Quảng Ngãi\nKính gửi: Sở Tài chính\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let out = ingest::read_bytes(&utf16, "a.txt", &Options::default()).unwrap();
    assert_eq!(out.text, text);

    for enc in [ingest::Encoding::Tcvn3, ingest::Encoding::Vni, ingest::Encoding::Windows1258] {
        let lower = "ủy ban nhân dân tỉnh quảng ngãi\nkính gửi: sở tài chính, sở kế hoạch và đầu tư\n";
        let bytes = vn_text::legacy::encode(lower, enc).unwrap();
        let out = ingest::read_bytes(&bytes, "old.txt", &Options::default()).unwrap();
        assert_eq!(out.text, lower, "{enc:?} detected and decoded");
        assert_eq!(out.legacy_encoding, Some(enc));
    }
}

#[test]
fn decomposed_text_is_composed() {
    let decomposed = "Ủy ban".chars().flat_map(unicode_decompose).collect::<String>();
    assert_ne!(decomposed, "Ủy ban");
    let out = ingest::read_bytes(decomposed.as_bytes(), "a.txt", &Options::default()).unwrap();
    assert_eq!(out.text, "Ủy ban");
}

fn unicode_decompose(c: char) -> Vec<char> {
    match c {
        'Ủ' => vec!['U', '\u{0309}'],
        other => vec![other],
    }
}

#[test]
fn missing_file_names_the_file() {
    let err = ingest::read_file(std::path::Path::new("/nonexistent/x.pdf"), &Options::default()).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/x.pdf"));
}

/// A minimal, valid PDF: one page with one line of Helvetica text, or no pages at all.
fn minimal_pdf(text: Option<&str>) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    match text {
        Some(t) => {
            let stream = format!("BT /F1 12 Tf 20 700 Td ({t}) Tj ET");
            objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
            objects.push("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into());
            objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".into());
            objects.push(format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()));
            objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
        }
        None => {
            objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
            objects.push("<< /Type /Pages /Kids [] /Count 0 >>".into());
        }
    }
    let mut out = Vec::new();
    out.write_all(b"%PDF-1.4\n").unwrap();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(out, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).unwrap();
    out
}
