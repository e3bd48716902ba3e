//! What the readers found in a text, kept for when they ask again: a paragraph is read as a
//! heading, as a task, for its subject, its roles and its deadline, and each reading starts by
//! lower-casing or folding it and asks for the parties it names.

/// What was read from a text, kept by the text it was read from.
pub(crate) struct Memo<T>(
    std::cell::RefCell<
        std::collections::HashMap<String, T, std::hash::BuildHasherDefault<FxHasher>>,
    >,
);

/// The multiply-rotate hash of rustc (`FxHasher`), eight bytes a step, over at most the first
/// and last 64 bytes and the length: the keys are whole paragraphs, asked for again and
/// again, and hashing all of them cost as much as some of the readings it saved. Keys that
/// differ only in the middle share a hash and are told apart by comparing them; there are a
/// few hundred keys per document, so that costs little even when contrived.
#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in words.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const ENDS: usize = 64;
        if bytes.len() <= 2 * ENDS {
            self.add(bytes);
        } else {
            self.add(&bytes.len().to_le_bytes());
            self.add(&bytes[..ENDS]);
            self.add(&bytes[bytes.len() - ENDS..]);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(Default::default())
    }
}

impl<T: Clone> Memo<T> {
    /// What `read` reads from `text`, read the first time only.
    pub(crate) fn get(&self, text: &str, read: impl FnOnce() -> T) -> T {
        if let Some(known) = self.0.borrow().get(text) {
            return known.clone();
        }
        // Not borrowed while reading: `read` may ask for other texts.
        let value = read();
        self.0.borrow_mut().insert(text.to_owned(), value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long texts are hashed by their ends: texts differing in the middle are still apart.
    #[test]
    fn texts_differing_in_the_middle_are_kept_apart() {
        let memo = Memo::default();
        let (a, b) = (
            format!("{}a{}", "x".repeat(100), "y".repeat(100)),
            format!("{}b{}", "x".repeat(100), "y".repeat(100)),
        );
        assert_eq!(memo.get(&a, || 1), 1);
        assert_eq!(memo.get(&b, || 2), 2);
        assert_eq!(memo.get(&a, || 3), 1);
        assert_eq!(memo.get("", || 4), 4);
    }
}
