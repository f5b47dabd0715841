//! JSON read and written exactly as JavaScript's `JSON.parse` and `JSON.stringify` do.
//!
//! [`reader`] validates and skips, [`string`] and [`number`] convert tokens, [`value`] is a small
//! tree with JavaScript's property order for the places that need one, and [`clean`] copies a
//! value while dropping `null` and `""` (the original flow's `clean()`), without building a tree.

pub mod clean;
pub mod number;
pub mod reader;
pub mod string;
pub mod value;

/// The string token that stands for `undefined` in JSON text made by the JavaScript side
/// (`node-red/lib/core.js`) from objects that hold `undefined` properties: copying drops it, as the
/// original's `clean()` dropped undefined values, and a document property with it keeps its place.
pub const UNDEFINED_TOKEN: &[u8] = br#""\u0000\u0001undefined""#;

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
    let mut by_key: Vec<usize> = (0..keys.len()).collect();
    by_key.sort_unstable_by(|&a, &b| keys[a].cmp(keys[b]).then(a.cmp(&b)));
    // (sort key, index of the last setting) per distinct key.
    let mut groups: Vec<((bool, u64), usize)> = Vec::new();
    let mut i = 0;
    while i < by_key.len() {
        let first = by_key[i];
        let mut last = first;
        while i + 1 < by_key.len() && keys[by_key[i + 1]] == keys[first] {
            i += 1;
            last = by_key[i];
        }
        let k = keys[first];
        let sort = if is_index_key(k) { (false, index_value(k)) } else { (true, first as u64) };
        groups.push((sort, last));
        i += 1;
    }
    groups.sort_unstable_by_key(|g| g.0);
    groups.into_iter().map(|g| g.1).collect()
}
