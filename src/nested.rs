//! The nested JSON fields of a Sentinel row: the cells the original parsed as JSON.
//!
//! The original "convert the payload to usable format" parses the fields `Owner`, `AlertIds`,
//! `AdditionalData`, `ExtendedProperties` and `Entities` of each row when the cell is a string
//! whose trimmed text starts and ends with `{` and `}` or `[` and `]`, and when that text is not
//! valid JSON keeps the string and warns `Element 3 field 'Entities' not valid JSON`, a row's
//! warnings in the order of the fields. [`crate::rows`] and the fused path of [`crate::bulk`]
//! both do this; [`crate::table`] decodes such cells while it reads a row.

use crate::json::reader::Reader;
use crate::json::string::js_trim;

/// The fields the original parses as JSON, in the order it parses them.
pub const FIELDS: [&str; 5] = ["Owner", "AlertIds", "AdditionalData", "ExtendedProperties", "Entities"];

/// The rank of a column or property name in [`FIELDS`], if it names a nested field.
pub fn rank(name: &[u8]) -> Option<usize> {
    FIELDS.iter().position(|f| f.as_bytes() == name)
}

/// Applies the original's test to a nested field's string (its decoded text, WTF-8): returns
/// the trimmed text when it starts and ends with `{`/`}` or `[`/`]`, and so is to be parsed.
pub fn candidate(text: &[u8]) -> Option<&[u8]> {
    let trimmed = js_trim(text);
    let shaped = matches!((trimmed.first(), trimmed.last()), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')));
    shaped.then_some(trimmed)
}

/// True when `text` is one JSON value, as `JSON.parse` requires.
pub fn is_json(text: &[u8]) -> bool {
    let mut r = Reader::new(text);
    r.skip_value().and_then(|_| r.finish()).is_ok()
}

/// A row's "not valid JSON" warnings, noted in any order and reported in the original's: by
/// field, in [`FIELDS`] order.
#[derive(Debug, Default)]
pub struct Warnings {
    /// (rank of the field, row index)
    noted: Vec<(usize, usize)>,
}

impl Warnings {
    /// Notes that the field of rank `rank` in row `row` is not valid JSON.
    pub fn not_json(&mut self, row: usize, rank: usize) {
        self.noted.push((rank, row));
    }

    /// Moves the row's warnings, worded as the original's, to the end of `out`.
    pub fn flush(&mut self, out: &mut Vec<String>) {
        for (rank, field) in FIELDS.iter().enumerate() {
            for &(_, row) in self.noted.iter().filter(|w| w.0 == rank) {
                out.push(format!("Element {row} field '{field}' not valid JSON"));
            }
        }
        self.noted.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_the_original_parses() {
        let cases: [(&str, Option<&str>); 7] = [
            (" [1] ", Some("[1]")),
            ("\u{a0}{\"a\":1}\u{feff}", Some("{\"a\":1}")),
            ("{not json}", Some("{not json}")),
            ("[1}", None),
            ("\"{}\"", None),
            ("", None),
            ("[1]\u{85}", None),
        ];
        for (text, expected) in cases {
            assert_eq!(candidate(text.as_bytes()), expected.map(str::as_bytes), "{text:?}");
        }
        assert!(is_json(b"{\"a\":[1,2]}") && !is_json(b"{not json}") && !is_json(b"[1] [2]"));
        assert_eq!(rank(b"Entities"), Some(4));
        assert_eq!(rank(b"entities"), None);
    }

    #[test]
    fn warns_in_field_order() {
        let mut w = Warnings::default();
        w.not_json(3, 4);
        w.not_json(3, 0);
        let mut out = vec!["before".to_string()];
        w.flush(&mut out);
        assert_eq!(out, ["before", "Element 3 field 'Owner' not valid JSON", "Element 3 field 'Entities' not valid JSON"]);
        w.flush(&mut out);
        assert_eq!(out.len(), 3);
    }
}
