//! Precomputed search folding for the Latin ranges that hold Vietnamese letters.
//! Generated from Python's `unicodedata` (base letter of the canonical decomposition,
//! lower-cased), plus đ/Đ, and ð/Ð and ƣ/Ƣ which stand in for them in old files.
//! 0 means "not a letter on an ASCII base": the caller folds it the general way.

/// U+00C0..=U+01B0.
pub(crate) const LATIN_START: u32 = 0xC0;
pub(crate) const LATIN: [u8; 241] = [
    b'a', b'a', b'a', b'a', b'a', b'a', 0, b'c', b'e', b'e', b'e', b'e', b'i', b'i', b'i', b'i',
    b'd', b'n', b'o', b'o', b'o', b'o', b'o', 0, 0, b'u', b'u', b'u', b'u', b'y', 0, 0,
    b'a', b'a', b'a', b'a', b'a', b'a', 0, b'c', b'e', b'e', b'e', b'e', b'i', b'i', b'i', b'i',
    b'd', b'n', b'o', b'o', b'o', b'o', b'o', 0, 0, b'u', b'u', b'u', b'u', b'y', 0, b'y',
    b'a', b'a', b'a', b'a', b'a', b'a', b'c', b'c', b'c', b'c', b'c', b'c', b'c', b'c', b'd', b'd',
    b'd', b'd', b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'g', b'g', b'g', b'g',
    b'g', b'g', b'g', b'g', b'h', b'h', 0, 0, b'i', b'i', b'i', b'i', b'i', b'i', b'i', b'i',
    b'i', 0, 0, 0, b'j', b'j', b'k', b'k', 0, b'l', b'l', b'l', b'l', b'l', b'l', 0,
    0, 0, 0, b'n', b'n', b'n', b'n', b'n', b'n', 0, 0, 0, b'o', b'o', b'o', b'o',
    b'o', b'o', 0, 0, b'r', b'r', b'r', b'r', b'r', b'r', b's', b's', b's', b's', b's', b's',
    b's', b's', b't', b't', b't', b't', 0, 0, b'u', b'u', b'u', b'u', b'u', b'u', b'u', b'u',
    b'u', b'u', b'u', b'u', b'w', b'w', b'y', b'y', b'y', b'z', b'z', b'z', b'z', b'z', b'z', 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    b'o', b'o', b'u', b'u', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'u',
    b'u',
];

/// U+1EA0..=U+1EF9, the Latin Extended Additional letters of Vietnamese.
pub(crate) const VIET_START: u32 = 0x1EA0;
pub(crate) const VIET: [u8; 90] = [
    b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a',
    b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'e',
    b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'e', b'i', b'i', b'i', b'i', b'o', b'o', b'o', b'o',
    b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o', b'o',
    b'o', b'o', b'o', b'o', b'u', b'u', b'u', b'u', b'u', b'u', b'u', b'u', b'u', b'u', b'u', b'u',
    b'u', b'u', b'y', b'y', b'y', b'y', b'y', b'y', b'y', b'y',
];
