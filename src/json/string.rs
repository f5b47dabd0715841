//! Strings: JSON string tokens read as `JSON.parse` reads them and written as
//! `JSON.stringify` writes them.
//!
//! Text inside the crate is UTF-8 except where a JavaScript string could hold a lone surrogate
//! (a `\ud800` escape): decoded strings are then WTF-8, which spells a lone surrogate as the
//! three bytes `ED A0..BF xx`. Writing escapes such a surrogate as `\udxxx`, as
//! `JSON.stringify` does, so output is always valid UTF-8.

use super::reader::syntax_error;
use crate::Result;

/// Appends `s` (WTF-8) as a JSON string token, quotes included.
pub fn write_escaped(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b >= 0x20 && b != b'"' && b != b'\\' && !(b == 0xED && i + 1 < s.len() && s[i + 1] >= 0xA0) {
            i += 1;
            continue;
        }
        out.extend_from_slice(&s[start..i]);
        if b == 0xED {
            let unit = surrogate_unit(&s[i..]);
            write_unit_escape(out, unit);
            i += 3;
        } else {
            write_char_escape(out, b);
            i += 1;
        }
        start = i;
    }
    out.extend_from_slice(&s[start..]);
    out.push(b'"');
}

/// Reads the string token starting at `input[pos]` (a `"`) and appends it to `out` written as
/// `JSON.stringify(JSON.parse(token))` would write it. Returns the position after the token.
pub fn copy_token(out: &mut Vec<u8>, input: &[u8], pos: usize) -> Result<usize> {
    // Most strings have nothing to unescape: copied whole, quotes included.
    let run = skip_ordinary(input, pos + 1);
    if input.get(run) == Some(&b'"') {
        super::append(out, &input[pos..run + 1]);
        return Ok(run + 1);
    }
    out.push(b'"');
    let end = UnitWriter { out, pending: None, escape: true }.decode(input, pos)?;
    out.push(b'"');
    Ok(end)
}

/// Appends the decoded text (WTF-8) of `token`, a string token already validated (by
/// [`scan_token`]), quotes included.
pub fn decode_valid_token(out: &mut Vec<u8>, token: &[u8]) {
    let _ = decode_token(out, token, 0);
}

/// Reads the string token starting at `input[pos]` and appends its decoded text (WTF-8) to `out`.
/// Returns the position after the token.
pub fn decode_token(out: &mut Vec<u8>, input: &[u8], pos: usize) -> Result<usize> {
    let base = out.len();
    if let Some(end) = decode_short_escapes(out, input, pos) {
        return Ok(end);
    }
    // A `\u` escape, a WTF-8 surrogate or an error: unit by unit.
    out.truncate(base);
    UnitWriter { out, pending: None, escape: false }.decode(input, pos)
}

/// [`decode_token`] for a token whose escapes are all short ones (`\"`, `\n`...), as JSON
/// written inside a string is: eight bytes at a time, each word stored whole and the output
/// moved on by its ordinary bytes, so that the short runs between escapes cost no copy call.
/// `None` at anything else (the caller then decodes the token unit by unit).
fn decode_short_escapes(out: &mut Vec<u8>, input: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        if let Some(chunk) = input.get(i..i + 8) {
            let chunk: [u8; 8] = chunk.try_into().ok()?;
            out.extend_from_slice(&chunk);
            let special = special_bytes(u64::from_le_bytes(chunk));
            if special == 0 {
                i += 8;
                continue;
            }
            let n = (special.trailing_zeros() / 8) as usize;
            out.truncate(out.len() - 8 + n);
            i += n;
        } else {
            let b = *input.get(i)?;
            if !SPECIAL[b as usize] {
                out.push(b);
                i += 1;
                continue;
            }
        }
        match input[i] {
            b'"' => return Some(i + 1),
            b'\\' => {
                out.push(match *input.get(i + 1)? {
                    // The usual one first: a quote of JSON inside the string.
                    b'"' => b'"',
                    c @ (b'\\' | b'/') => c,
                    b'n' => 0x0A,
                    b'r' => 0x0D,
                    b't' => 0x09,
                    b'b' => 0x08,
                    b'f' => 0x0C,
                    _ => return None,
                });
                i += 2;
            }
            _ => return None,
        }
    }
}

/// Finds the end of the string token at `input[pos]`, validating it as `JSON.parse` does.
/// Returns the position after the closing quote and whether the token is "plain": no escapes
/// and no WTF-8 surrogates, so that it is already written as `JSON.stringify` writes it.
#[inline]
pub fn scan_token(input: &[u8], pos: usize) -> Result<(usize, bool)> {
    scan(input, pos).map(|(end, plain, _)| (end, plain))
}

/// Like [`scan_token`], but tells whether the token is already written as `JSON.stringify`
/// writes it, escapes included: only the escapes it writes (`\"`, `\\`, `\b`, `\f`, `\n`,
/// `\r`, `\t`, and `\u00xx` in lowercase for the other control characters) and no WTF-8
/// surrogates. Such a token is copied as it is (text with quotes or line breaks in it, JSON
/// inside a string), where another is decoded and written again.
#[inline]
pub fn scan_written_token(input: &[u8], pos: usize) -> Result<(usize, bool)> {
    scan(input, pos).map(|(end, _, written)| (end, written))
}

/// The end of the string token at `input[pos]`, whether it is plain (see [`scan_token`]) and
/// whether it is written as `JSON.stringify` writes it (see [`scan_written_token`]).
#[inline(always)]
fn scan(input: &[u8], pos: usize) -> Result<(usize, bool, bool)> {
    let mut i = pos + 1;
    let mut plain = true;
    let mut written = true;
    loop {
        i = skip_ordinary(input, i);
        let Some(&b) = input.get(i) else {
            return Err(syntax_error(input, pos, "a string that is never closed"));
        };
        match b {
            b'"' => return Ok((i + 1, plain, written)),
            b'\\' => {
                plain = false;
                match input.get(i + 1) {
                    Some(b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'/') => {
                        written = false;
                        i += 2;
                    }
                    Some(b'u') if input.len() >= i + 6 && input[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) => {
                        written &= is_written_unit_escape(&input[i + 2..i + 6]);
                        i += 6;
                    }
                    _ => return Err(syntax_error(input, i, "an invalid escape in a string")),
                }
            }
            0xED => {
                if input.get(i + 1).is_some_and(|&c| c >= 0xA0) {
                    plain = false;
                    written = false;
                }
                i += 1;
            }
            _ => return Err(syntax_error(input, i, "a control character inside a string (it must be escaped)")),
        }
    }
}

/// The end of the string token at `input[pos]` when it is valid and written as `JSON.stringify`
/// writes it (see [`scan_written_token`]), without a WTF-8 surrogate or any other 0xED byte;
/// `None` otherwise.
#[inline(never)]
pub fn written_token_end(input: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        i = skip_ordinary(input, i);
        match *input.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match *input.get(i + 1)? {
                b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' if input.len() >= i + 6 && is_written_unit_escape(&input[i + 2..i + 6]) => i += 6,
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// Whether `\u` + `hex` is how `JSON.stringify` writes its character: a control character below
/// U+0020 that has no short escape, in lowercase hex.
fn is_written_unit_escape(hex: &[u8]) -> bool {
    match hex {
        [b'0', b'0', high @ (b'0' | b'1'), low @ (b'0'..=b'9' | b'a'..=b'f')] => {
            !(*high == b'0' && matches!(low, b'8' | b'9' | b'a' | b'c' | b'd'))
        }
        _ => false,
    }
}

/// The position of the first byte at or after `i` that is special in a string (see
/// [`SPECIAL`]), or `input.len()`. Sixteen bytes at a time in the module (SIMD), eight at a
/// time natively and for the last bytes.
#[inline]
pub(crate) fn skip_ordinary(input: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "wasm32")]
    while let Some(mask) = special_mask(input, i) {
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    while let Some(chunk) = input.get(i..i + 8) {
        let special = special_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        if special != 0 {
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < input.len() && !SPECIAL[input[i] as usize] {
        i += 1;
    }
    i
}

/// The bytes of `input[i..i + 16]` that are special in a string (see [`SPECIAL`]) as the bits of
/// a mask, lowest first, with WebAssembly's 128-bit SIMD; `None` when fewer than 16 bytes remain.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn special_mask(input: &[u8], i: usize) -> Option<u32> {
    use core::arch::wasm32::*;
    if i + 16 > input.len() {
        return None;
    }
    // SAFETY: the sixteen bytes at `i` are in `input` (checked above); WebAssembly loads need no
    // alignment.
    let v = unsafe { v128_load(input.as_ptr().add(i).cast::<v128>()) };
    let special = v128_or(
        v128_or(u8x16_eq(v, u8x16_splat(b'"')), u8x16_eq(v, u8x16_splat(b'\\'))),
        v128_or(u8x16_eq(v, u8x16_splat(0xED)), u8x16_lt(v, u8x16_splat(0x20))),
    );
    Some(u32::from(u8x16_bitmask(special)))
}

/// The bytes of the word `w` (eight bytes, little-endian) that are special in a string (see
/// [`SPECIAL`]): the lowest set bit is in the first such byte (a borrow only spreads upwards, so
/// a higher bit may be set for an ordinary byte); 0 when there is none.
#[inline(always)]
fn special_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    #[inline(always)]
    fn has_zero(v: u64) -> u64 {
        v.wrapping_sub(ONES) & !v & HIGHS
    }
    has_zero(w ^ (ONES * b'"' as u64))
        | has_zero(w ^ (ONES * b'\\' as u64))
        | has_zero(w ^ (ONES * 0xED))
        | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS)
}

/// `SPECIAL[b]`: the byte ends the fast scan of a string (quote, backslash, control, 0xED).
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[0xED] = true;
    t
};

/// JavaScript's `String.prototype.trim` on WTF-8 text: strips white space and line terminators
/// (U+0009–000D, U+0020, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000,
/// U+FEFF) from both ends.
pub fn js_trim(s: &[u8]) -> &[u8] {
    let mut start = 0;
    while let Some(n) = space_len(&s[start..]) {
        start += n;
    }
    let mut end = s.len();
    while end > start {
        let mut back = end - 1;
        while back > start && (s[back] & 0xC0) == 0x80 {
            back -= 1;
        }
        match space_len(&s[back..end]) {
            Some(n) if back + n == end => end = back,
            _ => break,
        }
    }
    &s[start..end]
}

/// The length of the white-space character at the start of `s`, if there is one.
fn space_len(s: &[u8]) -> Option<usize> {
    match s {
        [0x09..=0x0D | 0x20, ..] => Some(1),
        [0xC2, 0xA0, ..] => Some(2),
        [0xE1, 0x9A, 0x80, ..] => Some(3),
        [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..] => Some(3),
        [0xE2, 0x81, 0x9F, ..] => Some(3),
        [0xE3, 0x80, 0x80, ..] => Some(3),
        [0xEF, 0xBB, 0xBF, ..] => Some(3),
        _ => None,
    }
}

/// The UTF-16 code unit of the WTF-8 surrogate at the start of `s` (`ED A0..BF xx`).
fn surrogate_unit(s: &[u8]) -> u16 {
    0xD000 | (((s[1] & 0x3F) as u16) << 6) | ((s[2] & 0x3F) as u16)
}

fn write_char_escape(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x0A => out.extend_from_slice(b"\\n"),
        0x0C => out.extend_from_slice(b"\\f"),
        0x0D => out.extend_from_slice(b"\\r"),
        _ => write_unit_escape(out, b as u16),
    }
}

/// Appends `\uxxxx` for a UTF-16 code unit (lowercase hex, as `JSON.stringify` writes it).
pub(super) fn write_unit_escape(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((unit >> shift) & 0xF) as usize]);
    }
}

/// Decodes string content unit by unit, pairing surrogates as a JavaScript string would, and
/// writes it either escaped for a JSON token (`escape`) or as raw WTF-8.
struct UnitWriter<'o> {
    out: &'o mut Vec<u8>,
    pending: Option<u16>,
    escape: bool,
}

impl UnitWriter<'_> {
    /// Decodes the string token that opens at `input[open]`, validating it as `JSON.parse`
    /// does, in one pass. Returns the position after the closing quote.
    fn decode(mut self, input: &[u8], open: usize) -> Result<usize> {
        let mut i = open + 1;
        loop {
            // A run of ordinary bytes is copied as it is.
            let run = skip_ordinary(input, i);
            if run > i {
                self.flush();
                self.out.extend_from_slice(&input[i..run]);
                i = run;
            }
            let Some(&b) = input.get(i) else {
                return Err(syntax_error(input, open, "a string that is never closed"));
            };
            match b {
                b'"' => {
                    self.flush();
                    return Ok(i + 1);
                }
                b'\\' => {
                    let simple = match input.get(i + 1) {
                        Some(&c @ (b'"' | b'\\' | b'/')) => c,
                        Some(b'b') => 0x08,
                        Some(b'f') => 0x0C,
                        Some(b'n') => 0x0A,
                        Some(b'r') => 0x0D,
                        Some(b't') => 0x09,
                        Some(b'u') if input.len() >= i + 6 && input[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) => {
                            self.unit(hex4(&input[i + 2..i + 6]));
                            i += 6;
                            continue;
                        }
                        _ => return Err(syntax_error(input, i, "an invalid escape in a string")),
                    };
                    self.flush();
                    if self.escape && (simple < 0x20 || simple == b'"' || simple == b'\\') {
                        write_char_escape(self.out, simple);
                    } else {
                        self.out.push(simple);
                    }
                    i += 2;
                }
                0xED if i + 2 < input.len() && input[i + 1] >= 0xA0 => {
                    self.unit(surrogate_unit(&input[i..]));
                    i += 3;
                }
                0xED => {
                    self.flush();
                    self.out.push(b);
                    i += 1;
                }
                _ => return Err(syntax_error(input, i, "a control character inside a string (it must be escaped)")),
            }
        }
    }

    fn unit(&mut self, unit: u16) {
        match unit {
            0xD800..=0xDBFF => {
                self.flush();
                self.pending = Some(unit);
            }
            0xDC00..=0xDFFF => match self.pending.take() {
                Some(high) => {
                    let cp = 0x10000 + (((high as u32) - 0xD800) << 10) + ((unit as u32) - 0xDC00);
                    push_utf8(self.out, cp);
                }
                None => self.lone(unit),
            },
            _ => {
                self.flush();
                if self.escape && (unit < 0x20 || unit == b'"' as u16 || unit == b'\\' as u16) {
                    write_char_escape(self.out, unit as u8);
                } else {
                    push_utf8(self.out, unit as u32);
                }
            }
        }
    }

    fn lone(&mut self, unit: u16) {
        if self.escape {
            write_unit_escape(self.out, unit);
        } else {
            push_utf8(self.out, unit as u32);
        }
    }

    #[inline]
    fn flush(&mut self) {
        if self.pending.is_some() {
            if let Some(high) = self.pending.take() {
                self.lone(high);
            }
        }
    }
}

fn hex4(h: &[u8]) -> u16 {
    h.iter().fold(0u16, |acc, &c| {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => c - b'A' + 10,
        };
        (acc << 4) | d as u16
    })
}

/// Appends `cp` as UTF-8 (a surrogate code point becomes WTF-8).
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    match cp {
        0..=0x7F => out.push(cp as u8),
        0x80..=0x7FF => out.extend_from_slice(&[0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8]),
        0x800..=0xFFFF => out.extend_from_slice(&[0xE0 | (cp >> 12) as u8, 0x80 | ((cp >> 6) & 0x3F) as u8, 0x80 | (cp & 0x3F) as u8]),
        _ => out.extend_from_slice(&[
            0xF0 | (cp >> 18) as u8,
            0x80 | ((cp >> 12) & 0x3F) as u8,
            0x80 | ((cp >> 6) & 0x3F) as u8,
            0x80 | (cp & 0x3F) as u8,
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(token: &str) -> String {
        let mut out = Vec::new();
        let end = copy_token(&mut out, token.as_bytes(), 0).unwrap();
        assert_eq!(end, token.len());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn copies_tokens_as_stringify_of_parse() {
        let cases = [
            (r#""plain""#, r#""plain""#),
            (r#""a\/b""#, r#""a/b""#),
            (r#""\u0041\u00e9""#, "\"Aé\""),
            (r#""\u001f\u0008\u000C""#, r#""\u001f\b\f""#),
            (r#""\"\\""#, r#""\"\\""#),
            (r#""\ud83d\ude00""#, "\"😀\""),
            (r#""\uD800""#, r#""\ud800""#),
            (r#""\udc00\ud800x""#, r#""\udc00\ud800x""#),
            ("\"\u{2028}é😀\"", "\"\u{2028}é😀\""),
            (r#""\u007f""#, "\"\u{7f}\""),
        ];
        for (input, expected) in cases {
            assert_eq!(copy(input), expected, "{input}");
        }
    }

    #[test]
    fn decodes_to_wtf8_and_writes_back() {
        let mut text = Vec::new();
        decode_token(&mut text, br#""x\ud800\n""#, 0).unwrap();
        assert_eq!(text, [b'x', 0xED, 0xA0, 0x80, b'\n']);
        let mut out = Vec::new();
        write_escaped(&mut out, &text);
        assert_eq!(out, br#""x\ud800\n""#);
        // A raw high surrogate followed by an escaped low one pairs up, as in JavaScript.
        let mut out = Vec::new();
        copy_token(&mut out, &[b'"', 0xED, 0xA0, 0xBD, b'\\', b'u', b'd', b'e', b'0', b'0', b'"'], 0).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\"😀\"");
    }

    #[test]
    fn decodes_word_by_word_as_unit_by_unit() {
        // Escapes at every offset within a word, text of every length, and the rare cases that
        // leave the word-at-a-time way (\u, surrogates, errors).
        let mut tokens: Vec<Vec<u8>> = Vec::new();
        for len in 0..20 {
            for at in 0..=len {
                for escape in [&br#"\""#[..], br"\\", br"\n", br"\/", br"\u0041", br"\x", b"\n", &[0xED, 0xA0, 0x80], "é".as_bytes()] {
                    let mut t = b"\"".to_vec();
                    t.extend((0..len).map(|i| b'a' + i as u8));
                    t.splice(at + 1..at + 1, escape.iter().copied());
                    tokens.push([t.clone(), b"\"".to_vec()].concat());
                    tokens.push(t);
                }
            }
        }
        for token in tokens {
            let mut fast = b"before".to_vec();
            let mut slow = b"before".to_vec();
            let a = decode_token(&mut fast, &token, 0);
            let b = UnitWriter { out: &mut slow, pending: None, escape: false }.decode(&token, 0);
            assert_eq!(a.is_ok(), b.is_ok(), "{}", String::from_utf8_lossy(&token));
            if let (Ok(a), Ok(b)) = (a, b) {
                assert_eq!((a, &fast), (b, &slow), "{}", String::from_utf8_lossy(&token));
            }
        }
    }

    #[test]
    fn tells_tokens_written_as_stringify_writes_them() {
        // A token is copied as it is only when JSON.stringify(JSON.parse(token)) is the token.
        let cases = [
            r#""plain""#,
            r#""a \"quoted\" \\ line\nbreak\ttab\r\b\f""#,
            r#""\u0000\u001f\u0007\u000b\u000e""#,
            r#""\u001F""#,
            r#""\u0008""#,
            r#""\u000a""#,
            r#""\u0041""#,
            r#""\u007f""#,
            r#""a\/b""#,
            r#""\ud800""#,
            r#""\ud83d\ude00""#,
            "\"\u{e9}\u{1f600}\"",
        ];
        for token in cases {
            let (end, written) = scan_written_token(token.as_bytes(), 0).unwrap();
            assert_eq!(end, token.len());
            // A lone surrogate's escape is written back as it is, but is decoded and written
            // again (a pair of them must be joined, and it is rare).
            assert_eq!(written, copy(token) == token && !token.contains("\\ud"), "{token}");
        }
    }

    #[test]
    fn rejects_what_json_parse_rejects() {
        for bad in ["\"abc", "\"a\nb\"", r#""\x""#, r#""\u12""#, "\"\\"] {
            let mut out = Vec::new();
            assert!(copy_token(&mut out, bad.as_bytes(), 0).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn trims_as_javascript() {
        let cases =
            [(" \t\n{}\r\n", "{}"), ("\u{feff}\u{a0}[1]\u{2028}\u{3000}", "[1]"), ("\u{200b}{}", "\u{200b}{}"), ("  ", ""), ("é ", "é")];
        for (input, expected) in cases {
            assert_eq!(js_trim(input.as_bytes()), expected.as_bytes(), "{input:?}");
        }
    }
}
