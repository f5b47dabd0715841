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
use super::string::copy_token;
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
}

impl Cleaner {
    /// A cleaner with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Copies the value at `r` into `out`, cleaned. Returns false, having written nothing, when
    /// the value itself is `null` or `""` (which the caller drops).
    pub fn copy(&mut self, r: &mut Reader, out: &mut Vec<u8>) -> Result<bool> {
        // A previous copy that failed half-way may have left records behind.
        self.members.clear();
        self.removed_keys.clear();
        self.copy_at(r, out, 0)
    }

    fn copy_at(&mut self, r: &mut Reader, out: &mut Vec<u8>, depth: usize) -> Result<bool> {
        match r.start()? {
            Start::String => {
                if r.bytes.get(r.pos + 1) == Some(&b'"') {
                    r.pos += 2;
                    return Ok(false);
                }
                r.pos = copy_token(out, r.bytes, r.pos)?;
            }
            Start::Number => {
                let lit = r.number()?;
                write_number_literal(out, lit);
            }
            Start::Null => {
                r.literal(b"null")?;
                return Ok(false);
            }
            Start::Undefined => {
                r.undefined()?;
                return Ok(false);
            }
            Start::True => {
                r.literal(b"true")?;
                out.extend_from_slice(b"true");
            }
            Start::False => {
                r.literal(b"false")?;
                out.extend_from_slice(b"false");
            }
            Start::Array => {
                check_depth(depth)?;
                self.copy_array(r, out, depth)?;
            }
            Start::Object => {
                check_depth(depth)?;
                self.copy_object(r, out, depth)?;
            }
        }
        Ok(true)
    }

    fn copy_array(&mut self, r: &mut Reader, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        out.push(b'[');
        if !r.open(b'[', b']')? {
            let mut any = false;
            loop {
                let mark = out.len();
                if any {
                    out.push(b',');
                }
                if self.copy_at(r, out, depth + 1)? {
                    any = true;
                } else {
                    out.truncate(mark);
                }
                if !r.next_or_close(b']')? {
                    break;
                }
            }
        }
        out.push(b']');
        Ok(())
    }

    fn copy_object(&mut self, r: &mut Reader, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        out.push(b'{');
        let body = out.len();
        let base = self.members.len();
        if !r.open(b'{', b'}')? {
            loop {
                self.copy_member(r, out, depth)?;
                if !r.next_or_close(b'}')? {
                    break;
                }
            }
            self.put_in_js_order(out, body, base);
        }
        self.members.truncate(base);
        if self.members.is_empty() {
            self.removed_keys.clear();
        }
        out.push(b'}');
        Ok(())
    }

    /// Writes one member (`r` at its key), recording where it went.
    fn copy_member(&mut self, r: &mut Reader, out: &mut Vec<u8>, depth: usize) -> Result<()> {
        let mark = out.len();
        let first = out.last() == Some(&b'{');
        if !first {
            out.push(b',');
        }
        let key = out.len();
        if r.peek() != Some(b'"') {
            return Err(r.error("a property name in double quotes"));
        }
        r.pos = copy_token(out, r.bytes, r.pos)?;
        r.expect(b':', "':'")?;
        let key_end = out.len();
        if &out[key..key_end] == b"\"__proto__\"" {
            out.truncate(mark);
            r.skip_value()?;
            return Ok(());
        }
        let hash = hash_key(&out[key..key_end]);
        out.push(b':');
        if self.copy_at(r, out, depth + 1)? {
            self.members.push(Member { key, key_end, end: Some(out.len()), hash });
        } else {
            let start = self.removed_keys.len();
            self.removed_keys.extend_from_slice(&out[key..key_end]);
            out.truncate(mark);
            self.members.push(Member { key: start, key_end: self.removed_keys.len(), end: None, hash });
        }
        Ok(())
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
    fn drops_top_level_null_and_empty_string() {
        for text in ["null", "\"\""] {
            let mut out = Vec::new();
            assert!(!Cleaner::new().copy(&mut Reader::new(text.as_bytes()), &mut out).unwrap());
            assert!(out.is_empty());
        }
    }

    #[test]
    fn nests_to_the_limit_and_refuses_beyond() {
        // Debug builds use far larger frames than the release WebAssembly build.
        std::thread::Builder::new().stack_size(256 << 20).spawn(nest_to_the_limit).unwrap().join().unwrap();
    }

    fn nest_to_the_limit() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(clean(&ok), ok);
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        let err = Cleaner::new().copy(&mut Reader::new(deep.as_bytes()), &mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidJson);
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
