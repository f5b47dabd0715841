//! JSON read and written exactly as JavaScript's `JSON.parse` and `JSON.stringify` do.
//!
//! [`reader`] validates and skips, [`string`] and [`number`] convert tokens, [`value`] is a small
//! tree with JavaScript's property order for the places that need one, and [`clean`] copies a
//! value while dropping `null` and `""` (the original flow's `clean()`), without building a tree.
//! [`tag`] carries `undefined` and `NaN`, which JavaScript payloads hold and JSON cannot.
//!
//! Why not `serde_json` (which the crate uses where it serves, for small structured values): the
//! nodes' output must be byte-identical to the original flow's, so JSON must be read as
//! `JSON.parse` reads it, and `serde_json` differs where real payloads go:
//! - it rejects a lone surrogate from a `\ud800` escape, which `JSON.parse` accepts and
//!   `JSON.stringify` writes back as `\ud800` ([`string`] keeps it as WTF-8);
//! - it stops at 128 levels of nesting; the nodes take 2,000 ([`clean::MAX_DEPTH`]), and the reader
//!   skips any depth without recursion;
//! - it orders an object's keys otherwise than JavaScript, which puts integer-like keys first in
//!   ascending order and keeps a repeated key in its first place with its last value
//!   ([`property_order`]);
//! - it fails on a number beyond the double range such as `1e400`, which `JSON.parse` reads as
//!   `Infinity` ([`number`]).
//!
//! It would also build a tree of every document, where [`clean`] copies them straight into the
//! NDJSON.

pub mod ascii;
pub mod clean;
pub mod number;
pub mod reader;
pub mod string;
pub mod tag;
pub mod value;

/// Appends `bytes` to `out`. In WebAssembly a copy of a length not known in advance is a
/// `memory.copy`, which V8 runs as a call into the engine: dearer than the copy itself for the
/// short pieces a document is made of (keys, dates, ids). Those up to 32 bytes are copied here as
/// two overlapping words (or byte by byte, below 4) instead.
#[inline(always)]
pub fn append(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n > 32 {
        out.extend_from_slice(bytes);
        return;
    }
    if n < 4 {
        for &b in bytes.iter().take(3) {
            out.push(b);
        }
        return;
    }
    out.reserve(32);
    let len = out.len();
    // SAFETY: `reserve` made room for 32 more bytes. Each pair of words covers bytes[0..n] (the
    // second ends at n, so it overlaps the first when n is not twice a word), is read within
    // `bytes` (4 <= n <= 32 and the word is at most n bytes) and written within that room;
    // `set_len` covers only the n bytes written.
    unsafe {
        let (src, dst) = (bytes.as_ptr(), out.as_mut_ptr().add(len));
        if n >= 16 {
            let (a, b) = (src.cast::<u128>().read_unaligned(), src.add(n - 16).cast::<u128>().read_unaligned());
            dst.cast::<u128>().write_unaligned(a);
            dst.add(n - 16).cast::<u128>().write_unaligned(b);
        } else if n >= 8 {
            let (a, b) = (src.cast::<u64>().read_unaligned(), src.add(n - 8).cast::<u64>().read_unaligned());
            dst.cast::<u64>().write_unaligned(a);
            dst.add(n - 8).cast::<u64>().write_unaligned(b);
        } else {
            let (a, b) = (src.cast::<u32>().read_unaligned(), src.add(n - 4).cast::<u32>().read_unaligned());
            dst.cast::<u32>().write_unaligned(a);
            dst.add(n - 4).cast::<u32>().write_unaligned(b);
        }
        out.set_len(len + n);
    }
}

/// The value text that stands for `undefined` (see [`tag`]): copying drops it, as the original's
/// `clean()` dropped undefined values, and a document property with it keeps its place.
pub const UNDEFINED_TOKEN: &[u8] = tag::UNDEFINED;

/// A short description of a JSON value (its text) for messages: "an object", "null"...
pub fn describe(value: &[u8]) -> &'static str {
    match value.first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ if value == tag::UNDEFINED => "undefined",
        _ => "a number",
    }
}

/// True when `key` (the decoded property name) is an array index, which JavaScript objects list
/// first, in ascending numeric order: `"0"` or a digit string without a leading zero up to
/// 4294967294.
pub fn is_index_key(key: &[u8]) -> bool {
    match key {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] if rest.len() <= 9 && rest.iter().all(u8::is_ascii_digit) => {
            key.iter().fold(0u64, |acc, &d| acc * 10 + (d - b'0') as u64) <= 4_294_967_294
        }
        _ => false,
    }
}

/// The numeric value of an index key (see [`is_index_key`]).
pub fn index_value(key: &[u8]) -> u64 {
    key.iter().fold(0u64, |acc, &d| acc * 10 + (d - b'0') as u64)
}

/// The order JavaScript gives the properties of an object whose keys (decoded, in the order
/// they were set) are `keys`: for each distinct key, the index of its last setting (whose value
/// wins), listed with index keys first in ascending numeric order, then the other keys in the
/// order they were first set.
pub fn property_order(keys: &[&[u8]]) -> Vec<usize> {
    // Usually no key is an index and none repeats: the order is the written one.
    if !keys.iter().any(|k| is_index_key(k)) {
        let hashes: Vec<u64> = keys.iter().map(|k| hash_key(k)).collect();
        if distinct_hashes(keys.len(), |i| hashes[i]) {
            return (0..keys.len()).collect();
        }
    }
    let mut by_key: Vec<usize> = (0..keys.len()).collect();
    sort_indices(&mut by_key, &|a, b| keys[a] < keys[b]);
    // Per distinct key: its first and last setting.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < by_key.len() {
        let first = by_key[i];
        let mut last = first;
        while i + 1 < by_key.len() && keys[by_key[i + 1]] == keys[first] {
            i += 1;
            last = by_key[i];
        }
        groups.push((first, last));
        i += 1;
    }
    let rank = |g: usize| {
        let first = groups[g].0;
        let k = keys[first];
        if is_index_key(k) {
            (false, index_value(k))
        } else {
            (true, first as u64)
        }
    };
    let mut order: Vec<usize> = (0..groups.len()).collect();
    sort_indices(&mut order, &|a, b| rank(a) < rank(b));
    order.into_iter().map(|g| groups[g].1).collect()
}

/// A fast hash of a key (FxHash's mixing, 8 bytes at a time): the length, the whole words, then
/// the rest as one word (the last eight bytes, overlapping; or the first and last four; or three
/// of the bytes), so that a key costs one multiplication per eight bytes and at most one more.
pub fn hash_key(key: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    let half = |b: &[u8]| u32::from_le_bytes(b.try_into().unwrap_or([0; 4])) as u64;
    let n = key.len();
    let mut h: u64 = n as u64;
    if n >= 8 {
        let mut chunks = key.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, word(c));
        }
        if !chunks.remainder().is_empty() {
            h = mix(h, word(&key[n - 8..]));
        }
    } else if n >= 4 {
        h = mix(h, half(&key[..4]) | half(&key[n - 4..]) << 32);
    } else if n > 0 {
        h = mix(h, key[0] as u64 | (key[n / 2] as u64) << 8 | (key[n - 1] as u64) << 16);
    }
    h
}

/// True when no two of the `len` hashes `hash(0..len)` are equal, so no two keys they were made
/// from are: whether an object repeats a key, answered without comparing keys (equal hashes
/// answer false, also for different keys).
pub fn distinct_hashes(len: usize, hash: impl Fn(usize) -> u64) -> bool {
    if len <= 64 {
        return (0..len).all(|i| (0..i).all(|j| hash(i) != hash(j)));
    }
    let mut order: Vec<usize> = (0..len).collect();
    sort_indices(&mut order, &|a, b| hash(a) < hash(b));
    order.windows(2).all(|w| hash(w[0]) != hash(w[1]))
}

/// Sorts `items` stably by `less`: a small merge sort, one copy of which serves every sort in the
/// crate (the standard library's sorts are generated again for each use, which costs the
/// WebAssembly module kilobytes each).
pub fn sort_indices(items: &mut Vec<usize>, less: &dyn Fn(usize, usize) -> bool) {
    let n = items.len();
    let mut from = std::mem::take(items);
    let mut to = vec![0usize; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut a, mut b, mut k) = (start, mid, start);
            while a < mid && b < end {
                if less(from[b], from[a]) {
                    to[k] = from[b];
                    b += 1;
                } else {
                    to[k] = from[a];
                    a += 1;
                }
                k += 1;
            }
            to[k..k + mid - a].copy_from_slice(&from[a..mid]);
            k += mid - a;
            to[k..k + end - b].copy_from_slice(&from[b..end]);
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    *items = from;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        let values = [5, 3, 5, 1, 9, 3, 0, 7, 5, 2, 8, 1];
        let mut idx: Vec<usize> = (0..values.len()).collect();
        sort_indices(&mut idx, &|a, b| values[a] < values[b]);
        let mut expected: Vec<usize> = (0..values.len()).collect();
        expected.sort_by_key(|&i| values[i]);
        assert_eq!(idx, expected);
        for n in 0..40 {
            let mut idx: Vec<usize> = (0..n).rev().collect();
            sort_indices(&mut idx, &|a, b| a < b);
            assert_eq!(idx, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn orders_properties_as_javascript() {
        let keys: Vec<&[u8]> = vec![b"b", b"10", b"a", b"2", b"b", b"01"];
        assert_eq!(property_order(&keys), vec![3, 1, 4, 2, 5]);
        // Without index keys or repeats, the written order (the fast path), also past 64 keys.
        let many: Vec<Vec<u8>> = (0..70).map(|i| format!("k{}", 70 - i).into_bytes()).collect();
        let mut keys: Vec<&[u8]> = many.iter().map(Vec::as_slice).collect();
        assert_eq!(property_order(&keys), (0..70).collect::<Vec<_>>());
        // A repeat among many keys keeps the first place and the last value.
        keys.push(b"k35");
        let order = property_order(&keys);
        assert_eq!(order.len(), 70);
        assert_eq!(order[35], 70);
        keys.push(b"7");
        assert_eq!(property_order(&keys)[0], 71);
    }

    #[test]
    fn appends_every_length_as_extend_from_slice() {
        let source: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(37)).collect();
        for before in [0, 1, 7, 31, 64] {
            for start in [0, 1, 5, 60] {
                for n in 0..=40 {
                    let bytes = &source[start..start + n];
                    // A Vec exactly full (growth needed) and one with room.
                    for mut out in [vec![9u8; before], Vec::with_capacity(before + 100)] {
                        out.resize(before, 9);
                        let mut expected = out.clone();
                        expected.extend_from_slice(bytes);
                        append(&mut out, bytes);
                        assert_eq!(out, expected, "{before} bytes, then {n} from {start}");
                    }
                }
            }
        }
    }
}
