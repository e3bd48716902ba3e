//! The input as the XML parser sees it: a `BufRead` that counts every byte and stops the parse
//! as soon as a limit is passed, rather than after the parser has buffered the excess.
//!
//! quick-xml collects a whole event (a text node, a tag with its attributes, a comment, a
//! DOCTYPE) in memory before returning it, so a 2 GB text node would cost 2 GB. Here every
//! event has a byte budget: [`Source::begin_event`] resets it, and `fill_buf` fails once the
//! event has consumed more than the budget, so the parser never holds more than the budget
//! plus one buffer. Attachments do not go through the parser at all (see `tree.rs`).

use std::io::{self, BufRead, Read};

/// Size of the read buffer: also the most a single event can overshoot its budget by.
const BUFFER: usize = 64 * 1024;

/// Which limit stopped the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tripped {
    /// The whole input.
    Input,
    /// One event.
    Node,
}

pub(crate) struct Source<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    /// Bytes handed out and consumed: the offset of the next byte.
    consumed: u64,
    /// Bytes read from `inner`.
    read: u64,
    max_input: u64,
    event_start: u64,
    max_event: u64,
    pub(crate) tripped: Option<Tripped>,
}

impl<R: Read> Source<R> {
    pub(crate) fn new(inner: R, max_input: u64, max_event: u64) -> Source<R> {
        Source {
            inner,
            buf: vec![0; BUFFER].into_boxed_slice(),
            pos: 0,
            filled: 0,
            consumed: 0,
            read: 0,
            max_input,
            event_start: 0,
            max_event,
            tripped: None,
        }
    }

    /// Offset of the next byte in the input.
    pub(crate) fn offset(&self) -> u64 {
        self.consumed
    }

    /// The input limit.
    pub(crate) fn max_input(&self) -> u64 {
        self.max_input
    }

    /// The per-event budget.
    pub(crate) fn max_event(&self) -> u64 {
        self.max_event
    }

    /// Starts the budget of the next event.
    pub(crate) fn begin_event(&mut self) {
        self.event_start = self.consumed;
    }

    /// Fills the buffer with at least `n` bytes, or all that is left; returns what is there.
    /// Only used at the start, before the parser takes over.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(BUFFER);
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        while self.filled < n {
            let got = match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(0) => break,
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.count(got)?;
            self.filled += got;
        }
        Ok(&self.buf[..self.filled])
    }

    /// The next bytes without the event budget: attachments are bounded by their own limit.
    pub(crate) fn fill_unbudgeted(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.filled {
            let got = loop {
                match self.inner.read(&mut self.buf) {
                    Ok(got) => break got,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            self.count(got)?;
            self.pos = 0;
            self.filled = got;
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn count(&mut self, got: usize) -> io::Result<()> {
        self.read += got as u64;
        if self.read > self.max_input {
            self.tripped = Some(Tripped::Input);
            return Err(io::Error::other("input size limit"));
        }
        Ok(())
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.consumed - self.event_start > self.max_event {
            self.tripped = Some(Tripped::Node);
            return Err(io::Error::other("node size limit"));
        }
        self.fill_unbudgeted()
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.filled - self.pos);
        self.pos += n;
        self.consumed += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_past_its_budget_fails_the_next_fill() {
        let data = vec![b'a'; 3 * BUFFER];
        let mut s = Source::new(data.as_slice(), u64::MAX, 10);
        s.begin_event();
        let n = s.fill_buf().unwrap().len();
        s.consume(n);
        assert!(s.fill_buf().is_err());
        assert_eq!(s.tripped, Some(Tripped::Node));
    }

    #[test]
    fn the_input_limit_counts_bytes_read() {
        let data = vec![b'a'; 3 * BUFFER];
        let mut s = Source::new(data.as_slice(), BUFFER as u64 + 1, u64::MAX);
        let n = s.fill_buf().unwrap().len();
        s.consume(n);
        assert!(s.fill_buf().is_err());
        assert_eq!(s.tripped, Some(Tripped::Input));
    }
}
