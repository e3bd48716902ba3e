//! edXML packages and status messages (`edxml::read`): the bounded streaming XML reader, the
//! strict base64 of attachments, the header model. A cheap invariant: what `read` accepts,
//! `to_vec` writes back as a package that `read` accepts again and that writes back to the
//! same bytes. (Not "reads back equal": the reader keeps C0 control characters that XML 1.0
//! cannot carry, and the writer replaces them with U+FFFD by design, `edxml/src/write.rs`.)
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = edxml::looks_like_edxml(data);
        let limits = edxml::Limits::default();
        let reading = match edxml::read(data, &limits) {
            Ok(r) => r,
            Err(_) => return,
        };
        let written = edxml::to_vec(&reading.message);
        match edxml::read(&written[..], &limits) {
            Ok(again) => assert!(
                edxml::to_vec(&again.message) == written,
                "a package written back reads differently"
            ),
            Err(e) => panic!("a package written back is refused: {e}"),
        }
    });
}
