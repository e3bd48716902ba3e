//! Strict base64 (RFC 4648, standard alphabet, padded), decoded a chunk at a time so an
//! attachment is never held twice and its size is checked before any byte past the limit is
//! decoded. White space between characters is allowed (MIME encoders wrap lines at 76
//! characters, and pretty-printers indent); anything else outside the alphabet, padding in the
//! middle, missing padding or non-zero unused bits is refused with its position.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const INVALID: u8 = 0xFF;
const SPACE: u8 = 0xFE;
const PAD: u8 = 0xFD;

const TABLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t[b'=' as usize] = PAD;
    t
};

/// What is wrong with a base64 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A byte outside the alphabet.
    Character(u8),
    /// `=` where data must be.
    MisplacedPadding,
    /// Something after the final padding.
    AfterPadding(u8),
    /// The text ends in the middle of a group of four.
    Incomplete,
    /// The last group has bits set that encode nothing (not canonical base64).
    TrailingBits,
}

impl fmt::Display for Problem {
    /// Vietnamese, for the clerk.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Character(b) => write!(f, "ký tự {} không thuộc bảng mã base64", shown(*b)),
            Problem::MisplacedPadding => f.write_str("dấu đệm \"=\" đặt sai chỗ"),
            Problem::AfterPadding(b) => {
                write!(f, "còn ký tự {} sau dấu đệm \"=\" kết thúc", shown(*b))
            }
            Problem::Incomplete => {
                f.write_str("thiếu ký tự ở nhóm bốn ký tự cuối (thiếu dấu đệm \"=\")")
            }
            Problem::TrailingBits => {
                f.write_str("nhóm ký tự cuối không ở dạng chuẩn (bit thừa khác 0)")
            }
        }
    }
}

impl Problem {
    /// The same in English, for logs.
    pub fn english(&self) -> String {
        match self {
            Problem::Character(b) => format!("byte {} is not in the base64 alphabet", shown(*b)),
            Problem::MisplacedPadding => "misplaced '=' padding".to_owned(),
            Problem::AfterPadding(b) => format!("byte {} after the final padding", shown(*b)),
            Problem::Incomplete => {
                "text ends inside a 4-character group (missing padding)".to_owned()
            }
            Problem::TrailingBits => {
                "non-zero unused bits in the final group (not canonical)".to_owned()
            }
        }
    }
}

/// A byte as a reader would want to see it: the character when printable, and its code.
fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}' (0x{b:02X})", b as char)
    } else {
        format!("0x{b:02X}")
    }
}

/// Why decoding stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Malformed text; `position` is the 0-based index of the offending byte in all the text
    /// fed so far (white space included).
    Invalid {
        /// Where.
        position: u64,
        /// What.
        problem: Problem,
    },
    /// The decoded size would pass the limit.
    TooLarge,
}

/// A streaming decoder with an output limit.
#[derive(Debug)]
pub struct Decoder {
    out: Vec<u8>,
    limit: u64,
    quad: [u8; 4],
    filled: usize,
    /// `=` seen in the current group (at index 2 or 3).
    padding: usize,
    /// The final group is complete; only white space may follow.
    finished: bool,
    /// Bytes fed so far, white space included.
    fed: u64,
    /// Characters of the alphabet fed so far (not padding, not white space).
    data_chars: u64,
}

impl Decoder {
    /// A decoder that refuses to produce more than `limit` bytes.
    pub fn new(limit: u64) -> Decoder {
        Decoder {
            out: Vec::new(),
            limit,
            quad: [0; 4],
            filled: 0,
            padding: 0,
            finished: false,
            fed: 0,
            data_chars: 0,
        }
    }

    /// Decodes the next piece of text. The encoded length is checked against the limit before
    /// the chunk is decoded, so an oversized attachment costs no more than the limit.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), DecodeError> {
        // n characters of data carry 6n bits: at most 6n/8 whole bytes. The chunk's length
        // bounds its data characters; only near the limit are they counted exactly (white
        // space and padding carry nothing).
        let fits = |data: u64| data * 3 / 4 <= self.limit;
        let mut data = chunk.len() as u64;
        if !fits(self.data_chars + data) {
            data = chunk.iter().filter(|&&b| TABLE[b as usize] < 64).count() as u64;
            if !fits(self.data_chars + data) {
                return Err(DecodeError::TooLarge);
            }
        }
        let mut i = 0;
        while i < chunk.len() {
            // Whole groups of four data characters, the usual case, go straight through.
            if self.filled == 0 && !self.finished && i + 4 <= chunk.len() {
                let q = [
                    TABLE[chunk[i] as usize],
                    TABLE[chunk[i + 1] as usize],
                    TABLE[chunk[i + 2] as usize],
                    TABLE[chunk[i + 3] as usize],
                ];
                if q.iter().all(|&v| v < 64) {
                    let n = (u32::from(q[0]) << 18)
                        | (u32::from(q[1]) << 12)
                        | (u32::from(q[2]) << 6)
                        | u32::from(q[3]);
                    self.out
                        .extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
                    self.data_chars += 4;
                    i += 4;
                    continue;
                }
            }
            self.one(chunk[i], self.fed + i as u64)?;
            i += 1;
        }
        self.fed += chunk.len() as u64;
        Ok(())
    }

    /// One character, outside the fast path.
    fn one(&mut self, b: u8, position: u64) -> Result<(), DecodeError> {
        let invalid = |problem| DecodeError::Invalid { position, problem };
        let v = TABLE[b as usize];
        if v == SPACE {
            return Ok(());
        }
        if self.finished {
            return Err(invalid(Problem::AfterPadding(b)));
        }
        match v {
            INVALID => return Err(invalid(Problem::Character(b))),
            PAD => {
                if self.filled < 2 {
                    return Err(invalid(Problem::MisplacedPadding));
                }
                self.padding += 1;
                self.quad[self.filled] = 0;
            }
            _ => {
                if self.padding > 0 {
                    return Err(invalid(Problem::MisplacedPadding));
                }
                self.data_chars += 1;
                self.quad[self.filled] = v;
            }
        }
        self.filled += 1;
        if self.filled == 4 {
            self.flush_group().map_err(invalid)?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> Result<(), Problem> {
        let [a, b, c, d] = self.quad;
        let n = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = 3 - self.padding;
        match self.padding {
            0 => {}
            1 if c & 0b11 != 0 => return Err(Problem::TrailingBits),
            2 if b & 0b1111 != 0 => return Err(Problem::TrailingBits),
            _ => {}
        }
        self.out.extend_from_slice(&bytes[..keep]);
        self.filled = 0;
        if self.padding > 0 {
            self.finished = true;
        }
        Ok(())
    }

    /// The decoded bytes, once the text has ended.
    pub fn finish(self) -> Result<Vec<u8>, DecodeError> {
        if self.filled != 0 {
            return Err(DecodeError::Invalid {
                position: self.fed,
                problem: Problem::Incomplete,
            });
        }
        Ok(self.out)
    }
}

/// Decodes a whole text with no size limit beyond its own length.
pub fn decode(text: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut d = Decoder::new(u64::MAX);
    d.feed(text)?;
    d.finish()
}

/// Appends the padded base64 of `data` to `out`, on one line (as the exchange SDK writes it).
pub fn encode_into(data: &[u8], out: &mut Vec<u8>) {
    out.reserve(data.len().div_ceil(3) * 4);
    for group in data.chunks(3) {
        let n = match *group {
            [a, b, c] => (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c),
            [a, b] => (u32::from(a) << 16) | (u32::from(b) << 8),
            [a] => u32::from(a) << 16,
            _ => unreachable!("chunks(3) yields one to three bytes"),
        };
        let sextet = |shift: u32| ALPHABET[((n >> shift) & 0x3F) as usize];
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if group.len() > 1 { sextet(6) } else { b'=' });
        out.push(if group.len() > 2 { sextet(0) } else { b'=' });
    }
}

/// The padded base64 of `data`.
pub fn encode(data: &[u8]) -> String {
    let mut out = Vec::new();
    encode_into(data, &mut out);
    String::from_utf8(out).expect("base64 is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for n in 0..40 {
            assert_eq!(decode(encode(&data[..n]).as_bytes()).unwrap(), &data[..n]);
        }
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"f"), "Zg==");
    }

    #[test]
    fn white_space_between_characters_is_allowed() {
        assert_eq!(decode(b"  Zm9v\r\n YmFy\n").unwrap(), b"foobar");
    }

    #[test]
    fn chunk_boundaries_do_not_matter() {
        let text = encode(b"hello, world").into_bytes();
        for split in 0..text.len() {
            let mut d = Decoder::new(100);
            d.feed(&text[..split]).unwrap();
            d.feed(&text[split..]).unwrap();
            assert_eq!(d.finish().unwrap(), b"hello, world");
        }
    }

    #[test]
    fn bad_text_is_refused_with_its_position() {
        let at = |text: &[u8]| match decode(text) {
            Err(DecodeError::Invalid { position, problem }) => (position, problem),
            other => panic!("{other:?}"),
        };
        assert_eq!(at(b"${__StringFromFile}"), (0, Problem::Character(b'$')));
        assert_eq!(at(b"Zm9v Ym*y"), (7, Problem::Character(b'*')));
        assert_eq!(at(b"Zm=v"), (3, Problem::MisplacedPadding));
        assert_eq!(at(b"Z==="), (1, Problem::MisplacedPadding));
        assert_eq!(at(b"Zm8=Zm8="), (4, Problem::AfterPadding(b'Z')));
        assert_eq!(at(b"Zm9vY"), (5, Problem::Incomplete));
        assert_eq!(at(b"Zm9="), (3, Problem::TrailingBits));
        assert_eq!(at(b"Zh=="), (3, Problem::TrailingBits));
    }

    #[test]
    fn the_limit_is_checked_before_decoding() {
        let mut d = Decoder::new(5);
        assert_eq!(d.feed(b"Zm9vYmFy"), Err(DecodeError::TooLarge));
        let mut d = Decoder::new(6);
        d.feed(b"Zm9vYmFy").unwrap();
        assert_eq!(d.finish().unwrap(), b"foobar");
        let mut d = Decoder::new(4);
        d.feed(b"Zm9vYg==").unwrap();
        assert_eq!(d.finish().unwrap(), b"foob");
    }
}
