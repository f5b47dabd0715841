//! The query API response → row objects (the original "convert the payload to usable format").
//!
//! The first table's `columns` name the properties and each of its `rows` gives their values;
//! the nested JSON fields (`Owner`, `AlertIds`, `AdditionalData`, `ExtendedProperties`,
//! `Entities`) are parsed when their trimmed text looks like an object or an array, with a
//! warning when it is not valid JSON. The rows are returned as JSON text for `JSON.parse`,
//! which gives the same objects the original built (property order included).
//!
//! Deliberate differences: a row that is not an array is skipped with a warning (the original
//! threw on `null` and made nonsense of the rest); a column named `__proto__` is left out, as
//! the original's assignment set the row's prototype instead of a property; a cell missing from a
//! short row is absent rather than `undefined`.

use crate::json::property_order;
use crate::json::reader::Reader;
use crate::json::string::{js_trim, write_escaped, write_wtf8_json};
use crate::table::{self, Cell, RowSink};
use crate::Result;

/// The fields the original parses as JSON, in the order it parses them.
pub const NESTED_FIELDS: [&str; 5] = ["Owner", "AlertIds", "AdditionalData", "ExtendedProperties", "Entities"];

/// The rows of a query response, as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// A JSON array of row objects. Cells are copied as they are, so it holds the tags of
    /// `undefined` and `NaN` when the response was written from a JavaScript value that held them
    /// (see [`crate::json::tag`], whose `untag` makes it text for `JSON.parse`).
    pub json: Vec<u8>,
    /// How many rows it holds (0: the original sends no message).
    pub count: usize,
    /// Warnings, as the original words them (`Element 3 field 'Entities' not valid JSON`).
    pub warnings: Vec<String>,
    /// When a row is shorter than the columns: every property name in order, as a JSON array,
    /// so that the caller can set the missing cells to `undefined` as the original did.
    pub keys: Option<String>,
}

/// Converts a query API response (JSON text) to row objects.
pub fn convert(response: &[u8]) -> Result<Rows> {
    let mut sink =
        RowsJson { layout: Layout::new(&[]), json: Vec::with_capacity(response.len() + response.len() / 4), count: 0, short: false };
    let mut warnings = Vec::new();
    sink.json.push(b'[');
    table::read(response, &mut sink, &mut warnings)?;
    sink.json.push(b']');
    let keys = sink.keys();
    Ok(Rows { json: sink.json, count: sink.count, warnings, keys })
}

/// [`convert`] a slice of rows at a time ([`Job::step`] gives each slice's JSON array), so that
/// the caller can let other work run in between. The response is validated as a whole first.
pub struct Job {
    input: Vec<u8>,
    cursor: table::RowCursor,
    sink: RowsJson,
    warnings: Vec<String>,
    done: bool,
    /// The last slice replaced every slice before it (see [`Job::step`]).
    pub restarted: bool,
}

impl Job {
    /// Finds the response's rows (UTF-8 JSON text; the text after the rows is checked by the
    /// last step).
    pub fn new(response: Vec<u8>) -> Result<Job> {
        let cursor = table::begin(&response)?;
        let sink = RowsJson { layout: Layout::new(&cursor.names), json: Vec::new(), count: 0, short: false };
        Ok(Job { input: response, cursor, sink, warnings: Vec::new(), done: false, restarted: false })
    }

    /// Converts up to `rows` more rows: the JSON text of an array of them, and whether every row
    /// has now been converted. When the response turns out to repeat `tables`, `columns` or
    /// `rows` after the rows, the last slice holds every row again and `restarted` is set.
    pub fn step(&mut self, rows: usize) -> Result<(Vec<u8>, bool)> {
        self.sink.json.clear();
        self.sink.json.push(b'[');
        if !self.done {
            self.done = self.cursor.next_rows(&self.input, rows, &mut self.sink, &mut self.warnings)?;
            if self.done && self.cursor.finish(&self.input)? {
                // The response repeats a key after the rows: the rows given so far do not count;
                // this slice is all the rows, from the keys that count.
                self.cursor = table::locate(&self.input)?;
                self.sink = RowsJson { layout: Layout::new(&self.cursor.names), json: vec![b'['], count: 0, short: false };
                self.warnings.clear();
                self.restarted = true;
                while !self.cursor.next_rows(&self.input, usize::MAX, &mut self.sink, &mut self.warnings)? {}
            }
        }
        self.sink.json.push(b']');
        Ok((std::mem::take(&mut self.sink.json), self.done))
    }

    /// What the whole conversion gave besides the rows: `json` is empty.
    pub fn finish(self) -> Rows {
        let keys = self.sink.keys();
        Rows { json: Vec::new(), count: self.sink.count, warnings: self.warnings, keys }
    }
}

/// Writes each row as a JSON object, in the layout of the columns.
struct RowsJson {
    layout: Layout,
    json: Vec<u8>,
    count: usize,
    short: bool,
}

impl RowsJson {
    /// When a row was shorter than the columns: the property names as a JSON array.
    fn keys(&self) -> Option<String> {
        self.short.then(|| {
            let mut keys = vec![b'['];
            for (i, slot) in self.layout.slots.iter().enumerate() {
                if i > 0 {
                    keys.push(b',');
                }
                keys.extend_from_slice(&slot.token);
            }
            keys.push(b']');
            String::from_utf8_lossy(&keys).into_owned()
        })
    }
}

impl<'a> RowSink<'a> for RowsJson {
    fn columns(&mut self, names: &[Vec<u8>]) -> Result<()> {
        self.layout = Layout::new(names);
        Ok(())
    }

    fn row(&mut self, index: usize, cells: &[Cell<'a>], decoded: &[u8], warnings: &mut Vec<String>) -> Result<()> {
        if self.json.len() > 1 {
            self.json.push(b',');
        }
        self.count += 1;
        self.json.push(b'{');
        let mut first = true;
        let mut row_warnings: Vec<(usize, String)> = Vec::new();
        for slot in &self.layout.slots {
            let Some(cell) = cells.get(slot.column) else {
                self.short = true;
                continue;
            };
            if !first {
                self.json.push(b',');
            }
            first = false;
            self.json.extend_from_slice(&slot.token);
            self.json.push(b':');
            match slot.nested {
                Some(rank) if let Some(text) = nested_candidate(cell, decoded) => {
                    if is_json(text) {
                        write_wtf8_json(&mut self.json, text);
                    } else {
                        row_warnings.push((rank, not_json_warning(index, rank)));
                        self.json.extend_from_slice(cell.text);
                    }
                }
                _ => self.json.extend_from_slice(cell.text),
            }
        }
        warnings.extend(in_field_order(&mut row_warnings));
        self.json.push(b'}');
        Ok(())
    }

    fn restart(&mut self) {
        self.json.truncate(1);
        self.count = 0;
        self.short = false;
    }
}

/// A row's "not valid JSON" warnings (with the rank of their field) in the order the original
/// gave them: by field, in [`NESTED_FIELDS`] order.
pub fn in_field_order(warnings: &mut Vec<(usize, String)>) -> Vec<String> {
    let mut out = Vec::with_capacity(warnings.len());
    for rank in 0..NESTED_FIELDS.len() {
        out.extend(warnings.iter().filter(|w| w.0 == rank).map(|w| w.1.clone()));
    }
    warnings.clear();
    out
}

/// The original's warning for a nested field that is not valid JSON.
pub fn not_json_warning(row: usize, rank: usize) -> String {
    format!("Element {row} field '{}' not valid JSON", NESTED_FIELDS[rank])
}

/// Applies the original's test to the cell of a nested field: a string whose trimmed text
/// starts and ends with `{`/`}` or `[`/`]` is to be parsed. Returns that trimmed text (WTF-8),
/// from `decoded`, the row's buffer of decoded cells.
pub fn nested_candidate<'d>(cell: &Cell, decoded: &'d [u8]) -> Option<&'d [u8]> {
    let range = cell.decoded.clone()?;
    let trimmed = js_trim(&decoded[range]);
    let shaped = matches!((trimmed.first(), trimmed.last()), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')));
    shaped.then_some(trimmed)
}

/// True when `text` is one JSON value, as `JSON.parse` requires.
pub fn is_json(text: &[u8]) -> bool {
    let mut r = Reader::new(text);
    r.skip_value().and_then(|_| r.finish()).is_ok()
}

/// Where each property of a row comes from, in JavaScript's property order.
pub struct Layout {
    pub slots: Vec<Slot>,
}

/// One property of a row object.
pub struct Slot {
    /// The property name, decoded.
    pub name: Vec<u8>,
    /// The property name as a JSON string token.
    pub token: Vec<u8>,
    /// The cell that sets it (the last column of that name).
    pub column: usize,
    /// Its rank in [`NESTED_FIELDS`], if it is one.
    pub nested: Option<usize>,
}

impl Layout {
    /// The layout for `columns`, as `obj[c] = r[i]` over the columns builds it.
    pub fn new(columns: &[Vec<u8>]) -> Self {
        let names: Vec<&[u8]> = columns.iter().map(Vec::as_slice).collect();
        let slots = property_order(&names)
            .into_iter()
            .filter(|&i| columns[i] != b"__proto__")
            .map(|i| {
                let mut token = Vec::new();
                write_escaped(&mut token, &columns[i]);
                Slot { name: columns[i].clone(), token, column: i, nested: NESTED_FIELDS.iter().position(|f| f.as_bytes() == columns[i]) }
            })
            .collect();
        Layout { slots }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn converts_rows_like_the_original() {
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"b","type":"string"},{"name":"Entities","type":"dynamic"},{"name":"1","type":"int"},{"name":"b","type":"string"}],"rows":[["x"," [{\"a\":null}] ",5,"y"],["x","[not json]",6],7]}]}"#;
        let rows = convert(response).unwrap();
        assert_eq!(rows.json, br#"[{"1":5,"b":"y","Entities":[{"a":null}]},{"1":6,"Entities":"[not json]"}]"#);
        assert_eq!(rows.count, 2);
        assert_eq!(rows.keys.as_deref(), Some(r#"["1","b","Entities"]"#));
        assert_eq!(rows.warnings[0], "Element 1 field 'Entities' not valid JSON");
        assert!(rows.warnings[1].starts_with("row 2 skipped"));
    }

    #[test]
    fn a_job_in_slices_equals_convert() {
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"b"},{"name":"Entities"},{"name":"1"}],"rows":[["x"," [{\"a\":null}] ",5],["y","[not json]"],7,["z","{}",1]]}]}"#;
        let whole = convert(response).unwrap();
        let mut job = Job::new(response.to_vec()).unwrap();
        let mut parts = Vec::new();
        loop {
            let (json, done) = job.step(1).unwrap();
            parts.push(String::from_utf8(json[1..json.len() - 1].to_vec()).unwrap());
            if done {
                break;
            }
        }
        let joined = format!("[{}]", parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(","));
        assert_eq!(joined.as_bytes(), whole.json);
        let rest = job.finish();
        assert_eq!((rest.count, rest.warnings, rest.keys), (whole.count, whole.warnings, whole.keys));

        let repeated = br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y"]],"rows":[["z"]]}]}"#;
        let mut job = Job::new(repeated.to_vec()).unwrap();
        assert_eq!(job.step(1).unwrap(), (br#"[{"a":"x"}]"#.to_vec(), false));
        assert_eq!(job.step(5).unwrap(), (br#"[{"a":"z"}]"#.to_vec(), true));
        assert!(job.restarted);
        assert_eq!(job.finish().count, 1);
    }

    #[test]
    fn refuses_responses_without_a_table() {
        for bad in [&br#"{}"#[..], br#"{"tables":{}}"#, br#"{"tables":[]}"#, br#"[1]"#, br#"{"tables":[{"columns":[]}]}"#] {
            let err = convert(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedShape, "{}", String::from_utf8_lossy(bad));
            assert!(err.message().starts_with("Unexpected response format"));
        }
        assert_eq!(convert(b"{\"tables\":").unwrap_err().kind(), ErrorKind::InvalidJson);
    }
}
