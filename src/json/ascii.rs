//! Text for JavaScript strings made cheaply: V8 keeps a string of Latin-1 characters at one byte
//! per character and copies ASCII bytes into one as fast as memory moves, while a UTF-8 decode
//! runs several times slower. So the module hands over ASCII where the text's meaning allows
//! (JSON text for `JSON.parse`, with every other character as a `\u` escape), and where it does
//! not (the NDJSON body, whose bytes are the output), the spans that hold other characters, so
//! that only those are decoded as UTF-8.

use super::string::write_unit_escape;

const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The position of the first byte at or after `i` that is not ASCII, or `text.len()`.
#[inline]
fn skip_ascii(text: &[u8], mut i: usize) -> usize {
    // Sixteen bytes at a time where the module has SIMD: their high bits are the mask itself.
    #[cfg(target_arch = "wasm32")]
    while i + 16 <= text.len() {
        use core::arch::wasm32::{u8x16_bitmask, v128, v128_load};
        // SAFETY: the sixteen bytes at `i` are in `text` (checked above); WebAssembly loads need
        // no alignment.
        let high = u8x16_bitmask(unsafe { v128_load(text.as_ptr().add(i).cast::<v128>()) });
        if high != 0 {
            return i + high.trailing_zeros() as usize;
        }
        i += 16;
    }
    while let Some(chunk) = text.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if w & HIGHS != 0 {
            return i + (w & HIGHS).trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while i < text.len() && text[i] < 0x80 {
        i += 1;
    }
    i
}

/// The position after the run of non-ASCII bytes that starts at `i`.
#[inline]
fn skip_non_ascii(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i] >= 0x80 {
        i += 1;
    }
    i
}

/// Appends JSON text (UTF-8 or WTF-8 inside its strings, which are the only place for other
/// characters, and the 0xFF tags of [`super::tag`] outside them, which are kept) with every
/// character outside ASCII written as a `\uxxxx` escape (two for a character beyond U+FFFF; a
/// WTF-8 lone surrogate as its own): `JSON.parse` reads the same value from it.
pub fn write_ascii_json(out: &mut Vec<u8>, text: &[u8]) {
    let mut start = 0;
    let mut i = skip_ascii(text, 0);
    while i < text.len() {
        let b = text[i];
        if b == 0xFF {
            i = skip_ascii(text, i + 1);
            continue;
        }
        out.extend_from_slice(&text[start..i]);
        let (cp, len) = decode_char(&text[i..]);
        if cp >= 0x1_0000 {
            let c = cp - 0x1_0000;
            write_unit_escape(out, 0xD800 | (c >> 10) as u16);
            write_unit_escape(out, 0xDC00 | (c & 0x3FF) as u16);
        } else {
            write_unit_escape(out, cp as u16);
        }
        i += len;
        start = i;
        i = skip_ascii(text, i);
    }
    out.extend_from_slice(&text[start..]);
}

/// The code point of the (WTF-8) character at the start of `s` and its length in bytes; U+FFFD
/// for one byte that starts no character (the text is valid, so this does not happen).
fn decode_char(s: &[u8]) -> (u32, usize) {
    let cont = |k: usize| s.get(k).filter(|&&c| c & 0xC0 == 0x80).map(|&c| (c & 0x3F) as u32);
    let lead = s[0] as u32;
    match s[0] {
        0xC0..=0xDF => cont(1).map_or((0xFFFD, 1), |c1| (((lead & 0x1F) << 6) | c1, 2)),
        0xE0..=0xEF => match (cont(1), cont(2)) {
            (Some(c1), Some(c2)) => (((lead & 0x0F) << 12) | (c1 << 6) | c2, 3),
            _ => (0xFFFD, 1),
        },
        0xF0..=0xF4 => match (cont(1), cont(2), cont(3)) {
            (Some(c1), Some(c2), Some(c3)) => (((lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4),
            _ => (0xFFFD, 1),
        },
        _ => (0xFFFD, 1),
    }
}

/// Where `text` (UTF-8) holds characters outside ASCII, as `[start, end, start, end, …]` byte
/// offsets of spans made of whole characters; spans less than `MERGE` bytes apart are one span,
/// so that the caller makes few pieces. Empty for ASCII text.
pub fn non_ascii_spans(text: &[u8]) -> Vec<u32> {
    const MERGE: usize = 48;
    let mut spans: Vec<u32> = Vec::new();
    let mut i = skip_ascii(text, 0);
    while i < text.len() {
        let end = skip_non_ascii(text, i);
        match spans.last_mut() {
            Some(last) if i - (*last as usize) < MERGE => *last = end as u32,
            _ => spans.extend_from_slice(&[i as u32, end as u32]),
        }
        i = skip_ascii(text, end);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_is_not_ascii() {
        let cases: [(&[u8], &[u8]); 6] = [
            (br#"{"a":"plain","b":[1,null]}"#, br#"{"a":"plain","b":[1,null]}"#),
            ("{\"caf\u{e9}\":\"\u{7530}\u{4e2d}x\"}".as_bytes(), br#"{"caf\u00e9":"\u7530\u4e2dx"}"#),
            ("[\"\u{1f600}\"]".as_bytes(), br#"["\ud83d\ude00"]"#),
            // A WTF-8 lone surrogate, and a tag (kept).
            (b"[\"x\xED\xA0\x80\",\xFFu]", b"[\"x\\ud800\",\xFFu]"),
            ("\u{80}\u{7ff}\u{800}\u{ffff}".as_bytes(), br#"\u0080\u07ff\u0800\uffff"#),
            (b"", b""),
        ];
        for (input, expected) in cases {
            let mut out = Vec::new();
            write_ascii_json(&mut out, input);
            assert_eq!(out, expected, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn finds_the_spans_that_are_not_ascii() {
        let text = "ascii only\n".as_bytes();
        assert!(non_ascii_spans(text).is_empty());
        let text = format!("{}é{}田中{}😀", "a".repeat(20), "b".repeat(3), "c".repeat(100));
        let spans = non_ascii_spans(text.as_bytes());
        // é and 田中 are 3 bytes apart: one span; the emoji is far off: another.
        assert_eq!(spans, vec![20, 31, 131, 135]);
        for pair in spans.chunks(2) {
            assert!(text.is_char_boundary(pair[0] as usize) && text.is_char_boundary(pair[1] as usize));
        }
    }
}
