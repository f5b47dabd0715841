//! The original flow's `clean()` fused with `JSON.stringify`: copies a JSON value, dropping
//! object members and array elements that are `null` or `""`, and writes what
//! `JSON.stringify(clean(JSON.parse(text)))` would, without building the value.
//!
//! Objects are written member by member as they are read. An object whose properties
//! JavaScript would order differently (an array-index key such as `"0"`, or a key given twice) is
//! put in JavaScript's order once its closing brace is reached, from the positions recorded
//! while writing. A `__proto__` member disappears, as assigning it in `clean()` sets the
//! prototype instead of a property.

use super::number::write_number_literal;
use super::reader::{Reader, Start};
use super::string::{copy_token, written_token_end};
use super::{distinct_hashes, hash_key, is_index_key, property_order};
use crate::{Error, ErrorKind, Result};

/// How deep values may nest before copying refuses them (the original's recursion would
/// overflow the JavaScript stack somewhat deeper).
pub const MAX_DEPTH: usize = 2000;

/// A written member of an object being copied.
#[derive(Debug, Clone, Copy)]
struct Member {
    /// Where the key's token starts: in the output, or in `removed_keys` when the member was dropped.
    key: usize,
    /// Where the key's token ends.
    key_end: usize,
    /// Where the value ends in the output; `None` when the value was dropped.
    end: Option<usize>,
    hash: u64,
}

/// Reusable state for copying; keep one per thread of work to avoid allocations.
#[derive(Debug, Default)]
pub struct Cleaner {
    members: Vec<Member>,
    removed_keys: Vec<u8>,
    scratch: Vec<u8>,
    /// The containers being copied, innermost last: the copy is a loop, not a recursion, so that
    /// its stack use does not grow with the nesting (the caller's stack may be nearly used up).
    open: Vec<Open>,
    /// [`is_clean`]'s key hashes and open containers.
    hashes: Vec<u64>,
    objects: Vec<(usize, bool)>,
}

/// A container being copied.
#[derive(Debug, Clone, Copy)]
enum Open {
    /// An array: where its current element starts in the output, and whether one was kept.
    Array { mark: usize, any: bool },
    /// An object: where its members start in the output and in `members`, and its current member.
    Object { body: usize, base: usize, member: Pending },
}

/// An object member whose key is written and whose value is being copied.
#[derive(Debug, Clone, Copy)]
struct Pending {
    /// Where the member starts in the output (its comma, if any).
    mark: usize,
    key: usize,
    key_end: usize,
    hash: u64,
}

impl Cleaner {
    /// A cleaner with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies `text`, the whole text of a value, as it is when copying would not change it (see
    /// `is_clean`); false, having written nothing, otherwise.
    #[inline(never)]
    pub fn copy_clean(&mut self, text: &[u8], out: &mut Vec<u8>) -> bool {
        let clean = is_clean(text, &mut self.hashes, &mut self.objects);
        if clean {
            super::append(out, text);
        }
        clean
    }

    /// Copies the value at `r` into `out`, cleaned. Returns false, having written nothing, when
    /// the value itself is `null` or `""` (which the caller drops).
    pub fn copy(&mut self, r: &mut Reader, out: &mut Vec<u8>) -> Result<bool> {
        // A previous copy that failed half-way may have left records behind.
        self.members.clear();
        self.removed_keys.clear();
        self.open.clear();
        loop {
            // A value: a scalar is copied (kept: false for null and ""), a container opened.
            let mut kept = match r.start()? {
                Start::String => {
                    if r.bytes.get(r.pos + 1) == Some(&b'"') {
                        r.pos += 2;
                        false
                    } else {
                        r.pos = copy_token(out, r.bytes, r.pos)?;
                        true
                    }
                }
                Start::Number => {
                    let lit = r.number()?;
                    write_number_literal(out, lit);
                    true
                }
                Start::Null => {
                    r.literal(b"null")?;
                    false
                }
                Start::Undefined => {
                    r.undefined()?;
                    false
                }
                Start::True => {
                    r.literal(b"true")?;
                    out.extend_from_slice(b"true");
                    true
                }
                Start::False => {
                    r.literal(b"false")?;
                    out.extend_from_slice(b"false");
                    true
                }
                Start::Array => {
                    check_depth(self.open.len())?;
                    out.push(b'[');
                    if !r.open(b'[', b']')? {
                        self.open.push(Open::Array { mark: out.len(), any: false });
                        continue;
                    }
                    out.push(b']');
                    true
                }
                Start::Object => {
                    check_depth(self.open.len())?;
                    out.push(b'{');
                    let (body, base) = (out.len(), self.members.len());
                    if !r.open(b'{', b'}')? {
                        if let Some(member) = self.next_member(r, out)? {
                            self.open.push(Open::Object { body, base, member });
                            continue;
                        }
                    }
                    self.close_object(out, body, base);
                    true
                }
            };
            // The value is copied: it joins its container, and the containers that end here close.
            loop {
                match self.open.last_mut() {
                    None => return Ok(kept),
                    Some(Open::Array { mark, any }) => {
                        if kept {
                            *any = true;
                        } else {
                            out.truncate(*mark);
                        }
                        if r.next_or_close(b']')? {
                            *mark = out.len();
                            if *any {
                                out.push(b',');
                            }
                            break;
                        }
                        out.push(b']');
                    }
                    Some(&mut Open::Object { body, base, member }) => {
                        self.end_member(out, member, kept);
                        if r.next_or_close(b'}')? {
                            if let Some(next) = self.next_member(r, out)? {
                                self.open.pop();
                                self.open.push(Open::Object { body, base, member: next });
                                break;
                            }
                        }
                        self.close_object(out, body, base);
                    }
                }
                self.open.pop();
                kept = true;
            }
        }
    }

    /// Writes the key of the next member (`r` at its key) and returns it, or `None` when the
    /// object ends first. A `__proto__` member is skipped.
    fn next_member(&mut self, r: &mut Reader, out: &mut Vec<u8>) -> Result<Option<Pending>> {
        loop {
            let mark = out.len();
            if out.last() != Some(&b'{') {
                out.push(b',');
            }
            let key = out.len();
            if r.peek() != Some(b'"') {
                return Err(r.error("a property name in double quotes"));
            }
            r.pos = copy_token(out, r.bytes, r.pos)?;
            r.expect(b':', "':'")?;
            let key_end = out.len();
            if &out[key..key_end] != b"\"__proto__\"" {
                let hash = hash_key(&out[key..key_end]);
                out.push(b':');
                return Ok(Some(Pending { mark, key, key_end, hash }));
            }
            out.truncate(mark);
            r.skip_value()?;
            if !r.next_or_close(b'}')? {
                return Ok(None);
            }
        }
    }

    /// Records a member whose value is copied (`kept`) or dropped, where it went.
    fn end_member(&mut self, out: &mut Vec<u8>, m: Pending, kept: bool) {
        if kept {
            self.members.push(Member { key: m.key, key_end: m.key_end, end: Some(out.len()), hash: m.hash });
        } else {
            let start = self.removed_keys.len();
            self.removed_keys.extend_from_slice(&out[m.key..m.key_end]);
            out.truncate(m.mark);
            self.members.push(Member { key: start, key_end: self.removed_keys.len(), end: None, hash: m.hash });
        }
    }

    /// Ends the object whose members start at `body` in the output and at `base` in `members`.
    fn close_object(&mut self, out: &mut Vec<u8>, body: usize, base: usize) {
        self.put_in_js_order(out, body, base);
        self.members.truncate(base);
        if self.members.is_empty() {
            self.removed_keys.clear();
        }
        out.push(b'}');
    }

    /// Rewrites the members of the object whose body starts at `body` in JavaScript's property
    /// order, when that differs from the order they were written in.
    fn put_in_js_order(&mut self, out: &mut Vec<u8>, body: usize, base: usize) {
        let members = &self.members[base..];
        if !needs_reorder(members, out, &self.removed_keys) {
            return;
        }
        let keys: Vec<&[u8]> = members.iter().map(|m| self.key_of(m, out)).collect();
        let keys: Vec<&[u8]> = keys.iter().map(|k| &k[1..k.len() - 1]).collect();
        let order = property_order(&keys);
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        for i in order {
            let m = members[i];
            if let Some(end) = m.end {
                if !scratch.is_empty() {
                    scratch.push(b',');
                }
                scratch.extend_from_slice(&out[m.key..end]);
            }
        }
        out.truncate(body);
        out.extend_from_slice(&scratch);
        self.scratch = scratch;
    }

    fn key_of<'s>(&'s self, m: &Member, out: &'s [u8]) -> &'s [u8] {
        match m.end {
            Some(_) => &out[m.key..m.key_end],
            None => &self.removed_keys[m.key..m.key_end],
        }
    }
}

/// True when `text` is an object or an array that copying would write back unchanged: no white
/// space outside strings, no `null` or `""` to drop, strings and numbers already written as
/// `JSON.stringify` writes them (numbers: integers of up to 15 digits), no key that JavaScript
/// would move (an index key, a repeated key) or drop (`__proto__`), and not deeply nested. Such
/// a text (JSON inside a query response's strings usually is) is copied as it is, after this one
/// pass that only reads it; any other text answers false early and is copied value by value.
fn is_clean(text: &[u8], hashes: &mut Vec<u64>, objects: &mut Vec<(usize, bool)>) -> bool {
    hashes.clear();
    objects.clear();
    if !matches!(text.first(), Some(b'{' | b'[')) {
        return false;
    }
    let mut i = 0;
    loop {
        // A value at text[i]; in an object, after its key.
        match text.get(i) {
            Some(b'{') => {
                if objects.len() >= 512 {
                    return false;
                }
                i += 1;
                if text.get(i) == Some(&b'}') {
                    i += 1;
                } else {
                    objects.push((hashes.len(), true));
                    match clean_key(text, i, hashes) {
                        Some(next) => i = next,
                        None => return false,
                    }
                    continue;
                }
            }
            Some(b'[') => {
                if objects.len() >= 512 {
                    return false;
                }
                i += 1;
                if text.get(i) == Some(&b']') {
                    i += 1;
                } else {
                    objects.push((0, false));
                    continue;
                }
            }
            Some(b'"') => match written_token_end(text, i) {
                Some(end) if end > i + 2 => i = end,
                _ => return false,
            },
            Some(b't') if text[i..].starts_with(b"true") => i += 4,
            Some(b'f') if text[i..].starts_with(b"false") => i += 5,
            Some(b'-' | b'0'..=b'9') => match canonical_number(text, i) {
                Some(end) => i = end,
                None => return false,
            },
            _ => return false,
        }
        // After a value: the next one in its container, or the containers that end here.
        loop {
            let Some(&(base, object)) = objects.last() else {
                return i == text.len();
            };
            match (text.get(i), object) {
                (Some(b','), true) => match clean_key(text, i + 1, hashes) {
                    Some(next) => {
                        i = next;
                        break;
                    }
                    None => return false,
                },
                (Some(b','), false) => {
                    i += 1;
                    break;
                }
                (Some(b'}'), true) => {
                    // Up to 64 keys (a larger object is copied value by value).
                    let keys = &hashes[base..];
                    if keys.len() > 64 || (1..keys.len()).any(|k| keys[..k].contains(&keys[k])) {
                        return false;
                    }
                    hashes.truncate(base);
                }
                (Some(b']'), false) => {}
                _ => return false,
            }
            i += 1;
            objects.pop();
        }
    }
}

/// The end of the number at `text[i]` when `JSON.stringify` writes it back as it is: an integer or
/// a decimal fraction (no exponent, no leading zero, no trailing zero after the point) of at most
/// 15 significant digits, which a double holds exactly enough to print them again, and not below
/// 1e-6, which JavaScript would print with an exponent; not `-0`.
fn canonical_number(text: &[u8], i: usize) -> Option<usize> {
    let digits = |from: usize| text.get(from..).map_or(0, |t| t.iter().take_while(|d| d.is_ascii_digit()).count());
    let start = i + (text[i] == b'-') as usize;
    let int = digits(start);
    let zero = text.get(start) == Some(&b'0');
    if int == 0 || (zero && int > 1) {
        return None;
    }
    let mut end = start + int;
    let mut significant = if zero { 0 } else { int };
    if text.get(end) == Some(&b'.') {
        let fraction = &text[end + 1..end + 1 + digits(end + 1)];
        let zeros = if zero { fraction.iter().take_while(|&&d| d == b'0').count() } else { 0 };
        if fraction.last().is_none_or(|&d| d == b'0') || zeros > 5 {
            return None;
        }
        significant += fraction.len() - zeros;
        end += 1 + fraction.len();
    } else if zero && start > i {
        return None;
    }
    (significant <= 15).then_some(end)
}

/// Reads a key at `text[i]` and its colon for [`is_clean`]: the position of its value, unless
/// the key would be moved or dropped, or the value is `null` or `""` (to be dropped).
fn clean_key(text: &[u8], i: usize, hashes: &mut Vec<u64>) -> Option<usize> {
    if text.get(i) != Some(&b'"') {
        return None;
    }
    let end = written_token_end(text, i)?;
    let key = &text[i..end];
    if key == b"\"__proto__\"" || is_index_key(&key[1..key.len() - 1]) || text.get(end) != Some(&b':') {
        return None;
    }
    hashes.push(hash_key(key));
    let value = &text[end + 1..];
    if value.starts_with(b"null") || value.starts_with(b"\"\"") {
        return None;
    }
    Some(end + 1)
}

/// True when the members (in written order) may not be in JavaScript's property order: an index
/// key is present, or two key hashes are equal (a repeated key, or rarely a collision, which
/// [`property_order`] then sorts out).
fn needs_reorder(members: &[Member], out: &[u8], removed: &[u8]) -> bool {
    let key = |m: &Member| match m.end {
        Some(_) => &out[m.key..m.key_end],
        None => &removed[m.key..m.key_end],
    };
    members.iter().any(|m| {
        let k = key(m);
        is_index_key(&k[1..k.len() - 1])
    }) || !distinct_hashes(members.len(), |i| members[i].hash)
}

fn check_depth(depth: usize) -> Result<()> {
    if depth >= MAX_DEPTH {
        return Err(Error::new(
            ErrorKind::InvalidJson,
            format!("a value is nested more than {MAX_DEPTH} levels deep; flatten it before sending it to Elasticsearch"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> String {
        let mut out = Vec::new();
        let mut r = Reader::new(text.as_bytes());
        let kept = Cleaner::new().copy(&mut r, &mut out).unwrap();
        r.finish().unwrap();
        assert!(kept || out.is_empty());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cleans_as_the_original() {
        let cases = [
            (r#"{"a":null,"b":"","c":0,"d":false,"e":"x"}"#, r#"{"c":0,"d":false,"e":"x"}"#),
            (r#"[null,"",1,[null],{"a":null}]"#, r#"[1,[],{}]"#),
            (r#"{"b":1,"a":2,"10":3,"2":4,"01":5}"#, r#"{"2":4,"10":3,"b":1,"a":2,"01":5}"#),
            (r#"{"a":1,"b":2,"a":3}"#, r#"{"a":3,"b":2}"#),
            (r#"{"a":1,"b":2,"a":null}"#, r#"{"b":2}"#),
            (r#"{"a":null,"b":2,"a":1}"#, r#"{"a":1,"b":2}"#),
            (r#"{"4294967295":1,"4294967294":2}"#, r#"{"4294967294":2,"4294967295":1}"#),
            (r#"{"__proto__":{"x":1},"y":2}"#, r#"{"y":2}"#),
            (r#"{"":1}"#, r#"{"":1}"#),
            (r#"{"a\u0062":1,"ab":2}"#, r#"{"ab":2}"#),
            (r#"[1.0,-0,1e21,1e-7,1e400]"#, r#"[1,0,1e+21,1e-7,null]"#),
            (r#" { "a" : [ 1 , 2 ] } "#, r#"{"a":[1,2]}"#),
            ("{}", "{}"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input}");
        }
    }

    #[test]
    fn texts_that_copying_keeps_are_copied_as_they_are() {
        let same = [
            r#"{"a":1,"b":[true,false,"x\n\"y\u0001"],"c":{"d":{}},"e":[],"":0,"f":-12,"g":123456789012345}"#,
            r#"[0.5,-0.25,12.125,0.000001,-0.000123,98765.4321012345,0]"#,
            r#"[{"$id":"3","HostName":"SRV-DC01","Type":"host"},{"$ref":"3"},[[]]]"#,
        ];
        let changed = [
            r#"{"a":null}"#,
            r#"{"a":""}"#,
            r#"[null]"#,
            r#"[""]"#,
            r#"{"a":1,"a":2}"#,
            r#"{"b":1,"1":2}"#,
            r#"{"__proto__":1}"#,
            r#"{"a": 1}"#,
            r#"[1.0]"#,
            r#"[1e3]"#,
            r#"[-0]"#,
            r#"[01]"#,
            r#"[1234567890123456]"#,
            r#"[0.0000001]"#,
            r#"[1.50]"#,
            r#"[1.0]"#,
            r#"[-0.0]"#,
            r#"[0.1234567890123456]"#,
            r#"[1.]"#,
            r#"[.5]"#,
            r#"[00.5]"#,
            r#"["a\/b"]"#,
            r#"["\u0041"]"#,
            r#"{"a\u0062":1}"#,
            r#"[1,]"#,
            r#"[1"#,
            r#"{"a":1}x"#,
            r#""x""#,
            "1",
        ];
        let mut cleaner = Cleaner::new();
        for text in same.iter().chain(&changed) {
            let mut out = Vec::new();
            let copied = cleaner.copy_clean(text.as_bytes(), &mut out);
            assert_eq!(copied, same.contains(text), "{text}");
            if copied {
                assert_eq!(clean(text), *text);
            }
        }
        let deep = "[".repeat(600) + &"]".repeat(600);
        assert!(!cleaner.copy_clean(deep.as_bytes(), &mut Vec::new()));
        // Random texts from pieces that copying keeps or changes: whatever is copied as it is
        // must be what copying value by value writes.
        let pieces = [
            "1",
            "0",
            "-0",
            "12",
            "1.5",
            "0.25",
            "1.50",
            "0.0000001",
            "-0.000001",
            "0.1",
            "null",
            "\"\"",
            "\"a\"",
            "\"\\u0041\"",
            "true",
            "{}",
            "[]",
        ];
        let keys = ["\"a\"", "\"b\"", "\"1\"", "\"__proto__\"", "\"\""];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut copied = 0;
        for _ in 0..20_000 {
            let text = random_value(&mut next, &pieces, &keys, 3);
            let mut out = Vec::new();
            if cleaner.copy_clean(text.as_bytes(), &mut out) {
                copied += 1;
                assert_eq!(clean(&text), text);
            }
        }
        assert!(copied > 1000, "{copied}");
        // Decimal fractions: whatever is copied whole prints as JSON.stringify prints it.
        let mut copied = 0;
        for _ in 0..20_000 {
            let digits =
                |n: usize, next: &mut dyn FnMut(usize) -> usize| (0..n).map(|_| (b'0' + next(10) as u8) as char).collect::<String>();
            let sign = if next(2) == 0 { "-" } else { "" };
            let int = match next(3) {
                0 => "0".to_string(),
                n => format!("{}{}", 1 + next(9), digits(next(8) * n, &mut next)),
            };
            let fraction = format!("{}{}", "0".repeat(next(8)), digits(next(18), &mut next));
            let text = format!("[{sign}{int}.{fraction}]");
            if cleaner.copy_clean(text.as_bytes(), &mut Vec::new()) {
                copied += 1;
                assert_eq!(clean(&text), text);
            }
        }
        assert!(copied > 1000, "{copied}");
    }

    fn random_value(next: &mut impl FnMut(usize) -> usize, pieces: &[&str], keys: &[&str], depth: usize) -> String {
        let n = next(4);
        match next(3) {
            0 if depth > 0 => format!("[{}]", (0..n).map(|_| random_value(next, pieces, keys, depth - 1)).collect::<Vec<_>>().join(",")),
            1 if depth > 0 => format!(
                "{{{}}}",
                (0..n)
                    .map(|_| format!("{}:{}", keys[next(keys.len())], random_value(next, pieces, keys, depth - 1)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            _ if depth == 3 => "[]".to_string(),
            _ => pieces[next(pieces.len())].to_string(),
        }
    }

    #[test]
    fn drops_top_level_null_and_empty_string() {
        for text in ["null", "\"\""] {
            let mut out = Vec::new();
            assert!(!Cleaner::new().copy(&mut Reader::new(text.as_bytes()), &mut out).unwrap());
            assert!(out.is_empty());
        }
    }

    #[test]
    fn nests_to_the_limit_and_refuses_beyond() {
        // The copy is a loop: its stack use does not grow with the nesting (64 KiB is far less
        // than one frame per level would need, even in a debug build).
        std::thread::Builder::new().stack_size(64 << 10).spawn(nest_to_the_limit).unwrap().join().unwrap();
    }

    fn nest_to_the_limit() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(clean(&ok), ok);
        // 1999 levels of objects and arrays, then an object: 2000.
        let half = MAX_DEPTH / 2 - 1;
        let objects = "{\"a\":[null,".repeat(half) + "[{\"b\":\"\"}]" + &"]}".repeat(half);
        assert_eq!(clean(&objects), "{\"a\":[".repeat(half) + "[{}]" + &"]}".repeat(half));
        for deep in
            ["[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1), "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1)]
        {
            let err = Cleaner::new().copy(&mut Reader::new(deep.as_bytes()), &mut Vec::new()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidJson);
            assert!(err.message().contains("nested more than 2000 levels"));
        }
    }

    #[test]
    fn large_objects_with_a_repeated_key_are_merged() {
        let mut text = String::from("{");
        for i in 0..40 {
            text += &format!("\"k{i}\":{i},");
        }
        text += "\"k3\":null}";
        let out = clean(&text);
        assert!(!out.contains("\"k3\""));
        assert!(out.starts_with("{\"k0\":0,\"k1\":1,\"k2\":2,\"k4\":4"));
    }
}
