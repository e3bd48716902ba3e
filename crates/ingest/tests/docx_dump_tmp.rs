#[test]
fn dump() {
    for e in std::fs::read_dir("/work/shared/corpus/originals").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "docx") {
            let out = ingest::read_file(&p, &ingest::Options::default()).unwrap();
            std::fs::write(format!("/tmp/dx/{}.out", p.file_stem().unwrap().to_string_lossy()), &out.text).unwrap();
        }
    }
}
