//! A cursor over JSON text that validates as `JSON.parse` does and skips values without
//! building them.

use super::string::{scan_token, scan_written_token};
use super::tag::{NAN, UNDEFINED};
use crate::{Error, ErrorKind, Result};

/// What a JSON value starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
    /// The `undefined` tag of text written from a JavaScript value (see [`super::tag`]). The
    /// `NaN` tag is a [`Start::Number`].
    Undefined,
}

/// A position in JSON text.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Skips JSON white space (space, tab, line feed, carriage return).
    #[inline]
    pub fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after white space, without consuming it.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `b` after white space, or fails saying `expected`.
    #[inline]
    pub fn expect(&mut self, b: u8, expected: &str) -> Result<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// Consumes a `,` (returning true) or the closing `close` (returning false).
    #[inline]
    pub fn next_or_close(&mut self, close: u8) -> Result<bool> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.error(if close == b'}' { "',' or '}'" } else { "',' or ']'" })),
        }
    }

    /// Consumes the opening `open` and tells whether the container is empty (consuming its
    /// closing bracket too).
    #[inline]
    pub fn open(&mut self, open: u8, close: u8) -> Result<bool> {
        self.expect(open, if open == b'{' { "'{'" } else { "'['" })?;
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// What the next value is, after white space.
    #[inline]
    pub fn start(&mut self) -> Result<Start> {
        Ok(match self.peek() {
            Some(b'{') => Start::Object,
            Some(b'[') => Start::Array,
            Some(b'"') => Start::String,
            Some(b'-' | b'0'..=b'9') => Start::Number,
            Some(b't') => Start::True,
            Some(b'f') => Start::False,
            Some(b'n') => Start::Null,
            Some(0xFF) if self.bytes[self.pos..].starts_with(UNDEFINED) => Start::Undefined,
            Some(0xFF) if self.bytes[self.pos..].starts_with(NAN) => Start::Number,
            _ => return Err(self.error("a JSON value")),
        })
    }

    /// Consumes a literal (`true`, `false`, `null`).
    #[inline]
    pub fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("a JSON value"))
        }
    }

    /// Consumes the `undefined` tag.
    pub fn undefined(&mut self) -> Result<()> {
        self.literal(UNDEFINED)
    }

    /// Consumes a number (or the `NaN` tag) and returns its text.
    #[inline]
    pub fn number(&mut self) -> Result<&'a [u8]> {
        let b = self.bytes;
        let start = self.pos;
        if b[start..].starts_with(NAN) {
            self.pos += NAN.len();
            return Ok(NAN);
        }
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return Err(syntax_error(b, i, "a digit")),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(syntax_error(b, i, "a digit after the decimal point"));
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if !b.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(syntax_error(b, i, "a digit in the exponent"));
            }
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        self.pos = i;
        Ok(&b[start..i])
    }

    /// Consumes a string token and returns its text, quotes included.
    #[inline]
    pub fn string_token(&mut self) -> Result<&'a [u8]> {
        let start = self.pos;
        let (end, _) = scan_token(self.bytes, start)?;
        self.pos = end;
        Ok(&self.bytes[start..end])
    }

    /// Consumes one value like [`Reader::skip_value`], and also tells whether it is a "plain"
    /// string token: already written as `JSON.stringify` writes it (see [`scan_written_token`]),
    /// so that it is copied as it is.
    pub fn skip_value_plain(&mut self) -> Result<(&'a [u8], bool)> {
        if self.peek() == Some(b'"') {
            let start = self.pos;
            let (end, plain) = scan_written_token(self.bytes, start)?;
            self.pos = end;
            return Ok((&self.bytes[start..end], plain));
        }
        Ok((self.skip_value()?, false))
    }

    /// Consumes one value of any depth, validating it, and returns its text.
    pub fn skip_value(&mut self) -> Result<&'a [u8]> {
        self.skip_ws();
        let start = self.pos;
        let mut stack = Containers::default();
        loop {
            // A value.
            match self.start()? {
                Start::Object => {
                    if !self.open(b'{', b'}')? {
                        stack.push(true);
                        self.member_key()?;
                        continue;
                    }
                }
                Start::Array => {
                    if !self.open(b'[', b']')? {
                        stack.push(false);
                        continue;
                    }
                }
                Start::String => {
                    self.string_token()?;
                }
                Start::Number => {
                    self.number()?;
                }
                Start::True => self.literal(b"true")?,
                Start::False => self.literal(b"false")?,
                Start::Null => self.literal(b"null")?,
                Start::Undefined => self.undefined()?,
            }
            // After a value: close containers or move to the next element.
            loop {
                match stack.last() {
                    None => return Ok(&self.bytes[start..self.pos]),
                    Some(is_object) => {
                        if self.next_or_close(if is_object { b'}' } else { b']' })? {
                            if is_object {
                                self.member_key()?;
                            }
                            break;
                        }
                        stack.pop();
                    }
                }
            }
        }
    }

    /// Consumes `"key":` and returns the key token.
    pub fn member_key(&mut self) -> Result<&'a [u8]> {
        Ok(self.member_key_plain()?.0)
    }

    /// Consumes `"key":` and returns the key token, and whether it has no escapes (so that the
    /// text between its quotes is the key).
    #[inline]
    pub fn member_key_plain(&mut self) -> Result<(&'a [u8], bool)> {
        if self.peek() != Some(b'"') {
            return Err(self.error("a property name in double quotes"));
        }
        let start = self.pos;
        let (end, plain) = scan_token(self.bytes, start)?;
        self.pos = end;
        self.expect(b':', "':'")?;
        Ok((&self.bytes[start..end], plain))
    }

    /// Fails unless only white space is left.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("the end of the text")),
        }
    }

    /// A syntax error at the current position.
    pub fn error(&self, expected: &str) -> Error {
        syntax_error(self.bytes, self.pos, expected)
    }
}

/// The containers [`Reader::skip_value`] is inside, innermost last: true for an object, false for
/// an array. The first 64 are bits (no allocation for the usual value).
#[derive(Default)]
struct Containers {
    depth: usize,
    bits: u64,
    deeper: Vec<bool>,
}

impl Containers {
    fn push(&mut self, is_object: bool) {
        match self.depth {
            d @ 0..64 => self.bits = (self.bits & !(1 << d)) | ((is_object as u64) << d),
            _ => self.deeper.push(is_object),
        }
        self.depth += 1;
    }

    fn last(&self) -> Option<bool> {
        match self.depth {
            0 => None,
            d @ 1..=64 => Some(self.bits >> (d - 1) & 1 == 1),
            _ => self.deeper.last().copied(),
        }
    }

    fn pop(&mut self) {
        self.depth -= 1;
        if self.depth >= 64 {
            self.deeper.pop();
        }
    }
}

/// A syntax error at byte `pos` of `bytes`, saying what was expected there.
pub fn syntax_error(bytes: &[u8], pos: usize, expected: &str) -> Error {
    let found = match bytes.get(pos) {
        None => "the end of the text".to_string(),
        Some(&b) if b.is_ascii_graphic() => format!("'{}'", b as char),
        Some(&b) => format!("byte 0x{b:02x}"),
    };
    Error::new(ErrorKind::InvalidJson, format!("not valid JSON: expected {expected} at byte {pos}, found {found}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_valid_values() {
        for text in ["1", "-0.5e+3", "\"a\\\"b\"", "[]", "{}", "[1,[2,{\"a\":[true,false,null]}],\"x\"]", " { \"a\" : { } } "] {
            let mut r = Reader::new(text.as_bytes());
            let v = r.skip_value().unwrap();
            assert_eq!(v, text.trim().as_bytes());
            r.finish().unwrap();
        }
    }

    #[test]
    fn rejects_what_json_parse_rejects() {
        for text in [
            "",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "[1 2]",
            "tru",
            "nul",
            "{\"a\"}",
            "'x'",
            "[",
            "{\"a\":1",
            "NaN",
            "+1",
        ] {
            let mut r = Reader::new(text.as_bytes());
            let ok = r.skip_value().and_then(|_| r.finish());
            assert!(ok.is_err(), "{text:?}");
        }
    }

    #[test]
    fn skips_deep_nesting_without_recursion() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        Reader::new(text.as_bytes()).skip_value().unwrap();
    }
}
