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

use crate::json::reader::Reader;
use crate::json::string::{decode_valid_token, js_trim, write_escaped, write_wtf8_json};
use crate::json::value::Value;
use crate::json::property_order;
use crate::{Error, ErrorKind, Result};

/// The fields the original parses as JSON, in the order it parses them.
pub const NESTED_FIELDS: [&str; 5] = ["Owner", "AlertIds", "AdditionalData", "ExtendedProperties", "Entities"];

/// The rows of a query response, as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// A JSON array of row objects.
    pub json: String,
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
    let table = Table::locate(response)?;
    let layout = Layout::new(&table.columns);
    let mut json = Vec::with_capacity(response.len() + response.len() / 4);
    let mut warnings = Vec::new();
    let mut count = 0;
    let mut cells = Vec::new();
    let mut field_text = Vec::new();
    let mut short = false;
    json.push(b'[');
    table.for_each_row(&mut cells, &mut warnings, |index, cells, warnings| {
        if count > 0 {
            json.push(b',');
        }
        count += 1;
        json.push(b'{');
        let mut first = true;
        let mut row_warnings: Vec<(usize, String)> = Vec::new();
        for slot in &layout.slots {
            let Some(cell) = cells.get(slot.column) else {
                short = true;
                continue;
            };
            let cell: &Cell = cell;
            if !first {
                json.push(b',');
            }
            first = false;
            json.extend_from_slice(&slot.token);
            json.push(b':');
            match slot.nested {
                Some(rank) if nested_candidate(cell, &mut field_text) => {
                    if is_json(&field_text) {
                        write_wtf8_json(&mut json, &field_text);
                    } else {
                        row_warnings.push((rank, not_json_warning(index, rank)));
                        json.extend_from_slice(cell.text);
                    }
                }
                _ => json.extend_from_slice(cell.text),
            }
        }
        row_warnings.sort_unstable_by_key(|w| w.0);
        warnings.extend(row_warnings.into_iter().map(|w| w.1));
        json.push(b'}');
        Ok(())
    })?;
    json.push(b']');
    let keys = short.then(|| {
        let mut keys = vec![b'['];
        for (i, slot) in layout.slots.iter().enumerate() {
            if i > 0 {
                keys.push(b',');
            }
            keys.extend_from_slice(&slot.token);
        }
        keys.push(b']');
        String::from_utf8_lossy(&keys).into_owned()
    });
    let json = String::from_utf8(json).map_err(|_| Error::new(ErrorKind::InvalidJson, "internal error: rows are not UTF-8"))?;
    Ok(Rows { json, count, warnings, keys })
}

/// The original's warning for a nested field that is not valid JSON.
pub fn not_json_warning(row: usize, rank: usize) -> String {
    format!("Element {row} field '{}' not valid JSON", NESTED_FIELDS[rank])
}

/// Applies the original's test to the cell of a nested field: a string whose trimmed text
/// starts and ends with `{`/`}` or `[`/`]` is to be parsed. When it is, `text` holds that trimmed
/// text (WTF-8) and the result is true.
pub fn nested_candidate(cell: &Cell, text: &mut Vec<u8>) -> bool {
    if cell.text.first() != Some(&b'"') {
        return false;
    }
    text.clear();
    if cell.plain {
        text.extend_from_slice(&cell.text[1..cell.text.len() - 1]);
    } else {
        decode_valid_token(text, cell.text);
    }
    let trimmed = js_trim(text);
    let shaped = matches!((trimmed.first(), trimmed.last()), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')));
    if shaped {
        let (start, len) = (trimmed.as_ptr() as usize - text.as_ptr() as usize, trimmed.len());
        text.truncate(start + len);
        text.drain(..start);
    }
    shaped
}

/// True when `text` is one JSON value, as `JSON.parse` requires.
pub fn is_json(text: &[u8]) -> bool {
    let mut r = Reader::new(text);
    r.skip_value().and_then(|_| r.finish()).is_ok()
}

/// A cell of a row: its JSON text, and whether that is a string token without escapes.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub text: &'a [u8],
    pub plain: bool,
}

/// The first table of a query response: its column names and its `rows` array, located
/// without building anything.
pub struct Table<'a> {
    /// Column names as JavaScript strings (`String(column.name)`), WTF-8.
    pub columns: Vec<Vec<u8>>,
    rows: &'a [u8],
}

impl<'a> Table<'a> {
    /// Finds `tables[0].columns` and `tables[0].rows`, as the original's property reads would
    /// (a key given twice: the last one counts), in one pass that also validates the whole text.
    pub fn locate(response: &'a [u8]) -> Result<Self> {
        let mut r = Reader::new(response);
        if r.peek() != Some(b'{') {
            let v = r.skip_value()?;
            r.finish()?;
            return Err(shape(&format!("it is {}, not an object", describe(v))));
        }
        let mut tables = None;
        if !r.open(b'{', b'}')? {
            loop {
                let key = r.member_key()?;
                if key == b"\"tables\"" {
                    tables = Some(first_table(&mut r)?);
                } else {
                    r.skip_value()?;
                }
                if !r.next_or_close(b'}')? {
                    break;
                }
            }
        }
        r.finish()?;
        let (columns, rows) = match tables {
            None => return Err(shape("it has no 'tables'")),
            Some(FirstTable::NotArray) => return Err(shape("'tables' is not an array")),
            Some(FirstTable::Empty) => return Err(shape("'tables' is empty")),
            Some(FirstTable::NotObject) => return Err(shape("'tables[0]' is not an object")),
            Some(FirstTable::Found { columns, rows }) => (columns, rows),
        };
        let columns = column_names(columns.ok_or_else(|| shape("'tables[0]' has no 'columns'"))?)?;
        let rows = rows.ok_or_else(|| shape("'tables[0]' has no 'rows'"))?;
        if rows.first() != Some(&b'[') {
            return Err(shape("'tables[0].rows' is not an array"));
        }
        Ok(Table { columns, rows })
    }

    /// Calls `f(index, cells, warnings)` for each row that is an array, with the text of each cell;
    /// other rows are skipped with a warning.
    pub fn for_each_row(
        &self,
        cells: &mut Vec<Cell<'a>>,
        warnings: &mut Vec<String>,
        mut f: impl FnMut(usize, &[Cell<'a>], &mut Vec<String>) -> Result<()>,
    ) -> Result<()> {
        let mut r = Reader::new(self.rows);
        if r.open(b'[', b']')? {
            return Ok(());
        }
        let mut index = 0;
        loop {
            if r.peek() == Some(b'[') {
                cells.clear();
                if !r.open(b'[', b']')? {
                    loop {
                        let (text, plain) = r.skip_value_plain()?;
                        cells.push(Cell { text, plain });
                        if !r.next_or_close(b']')? {
                            break;
                        }
                    }
                }
                f(index, cells, warnings)?;
            } else {
                let row = r.skip_value()?;
                warnings.push(format!(
                    "row {index} skipped: it is {} where the query API sends an array of cells",
                    describe(row)
                ));
            }
            index += 1;
            if !r.next_or_close(b']')? {
                return Ok(());
            }
        }
    }
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
                Slot {
                    name: columns[i].clone(),
                    token,
                    column: i,
                    nested: NESTED_FIELDS.iter().position(|f| f.as_bytes() == columns[i]),
                }
            })
            .collect();
        Layout { slots }
    }
}

/// What `tables[0]` turned out to be.
enum FirstTable<'a> {
    NotArray,
    Empty,
    NotObject,
    /// The texts of its last `columns` and `rows` members.
    Found { columns: Option<&'a [u8]>, rows: Option<&'a [u8]> },
}

/// Reads the value of `tables` at `r`, descending into its first element.
fn first_table<'a>(r: &mut Reader<'a>) -> Result<FirstTable<'a>> {
    if r.peek() != Some(b'[') {
        r.skip_value()?;
        return Ok(FirstTable::NotArray);
    }
    if r.open(b'[', b']')? {
        return Ok(FirstTable::Empty);
    }
    let first = if r.peek() == Some(b'{') {
        let (mut columns, mut rows) = (None, None);
        if !r.open(b'{', b'}')? {
            loop {
                let key = r.member_key()?;
                let value = r.skip_value()?;
                match key {
                    b"\"columns\"" => columns = Some(value),
                    b"\"rows\"" => rows = Some(value),
                    _ => {}
                }
                if !r.next_or_close(b'}')? {
                    break;
                }
            }
        }
        FirstTable::Found { columns, rows }
    } else {
        r.skip_value()?;
        FirstTable::NotObject
    };
    while r.next_or_close(b']')? {
        r.skip_value()?;
    }
    Ok(first)
}

/// `columns.map(c => c.name)`, as strings.
fn column_names(columns: &[u8]) -> Result<Vec<Vec<u8>>> {
    let Value::Array(items) = Value::parse(columns)? else {
        return Err(shape("'tables[0].columns' is not an array"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Value::Object(o) => Ok(o.get(b"name").map_or_else(|| b"undefined".to_vec(), Value::to_js_string)),
            Value::Null => Err(shape(&format!("column {i} is null"))),
            _ => Ok(b"undefined".to_vec()),
        })
        .collect()
}

/// A short description of a JSON value for messages.
pub fn describe(value: &[u8]) -> &'static str {
    match value.first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

fn shape(what: &str) -> Error {
    Error::new(
        ErrorKind::UnexpectedShape,
        format!(
            "Unexpected response format: {what}. Wire this node to the http request node that calls the Log Analytics query API, with 'Return' set to a parsed JSON object, a UTF-8 string or a binary buffer"
        ),
    )
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_rows_like_the_original() {
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"b","type":"string"},{"name":"Entities","type":"dynamic"},{"name":"1","type":"int"},{"name":"b","type":"string"}],"rows":[["x"," [{\"a\":null}] ",5,"y"],["x","[not json]",6],7]}]}"#;
        let rows = convert(response).unwrap();
        assert_eq!(rows.json, r#"[{"1":5,"b":"y","Entities":[{"a":null}]},{"1":6,"Entities":"[not json]"}]"#);
        assert_eq!(rows.count, 2);
        assert_eq!(rows.keys.as_deref(), Some(r#"["1","b","Entities"]"#));
        assert_eq!(rows.warnings[0], "Element 1 field 'Entities' not valid JSON");
        assert!(rows.warnings[1].starts_with("row 2 skipped"));
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
