fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = vn_text::normalize(&std::fs::read_to_string(path).unwrap());
    let l = doc_parse::layout::repair(&text);
    println!("{}\n--- header {} sig {:?}", l.text, l.header_lines, l.signature_lines);
}
