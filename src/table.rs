//! Reading the first table of a Log Analytics query response, row by row, without building it.
//!
//! The original read `msg.payload.tables[0]` after `JSON.parse`: for a key given twice the last
//! one counts, and the whole text must be valid JSON. The usual response (`columns` before
//! `rows`, each key once) is read in a single pass, rows handed to a [`RowSink`] as they are
//! read; a response that names `tables`, `columns` or `rows` again after that is read a second
//! time from the last ones.

use std::ops::Range;

use crate::json::reader::Reader;
use crate::json::string::decode_token;
use crate::json::value::Value;
use crate::rows::NESTED_FIELDS;
use crate::{Error, ErrorKind, Result};

/// A cell of a row.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    /// Its JSON text.
    pub text: &'a [u8],
    /// The text is a string token without escapes (already as `JSON.stringify` writes it).
    pub plain: bool,
    /// For a string in a nested field's column: where its decoded text is in the row's buffer.
    pub decoded: Option<Range<usize>>,
}

/// Receives the first table as it is read.
pub trait RowSink<'a> {
    /// The table's column names (`String(column.name)`, WTF-8), before its rows.
    fn columns(&mut self, names: &[Vec<u8>]) -> Result<()>;
    /// One row that is an array: its index among all rows, its cells, the buffer holding the
    /// decoded text of nested fields' cells, and the warnings so far.
    fn row(&mut self, index: usize, cells: &[Cell<'a>], decoded: &[u8], warnings: &mut Vec<String>) -> Result<()>;
    /// Forgets every row given so far: the response repeats a key, and the rows come again.
    fn restart(&mut self);
}

/// Reads the first table of `response` into `sink`; rows that are not arrays are skipped with a
/// warning in `warnings`. The usual response is read in one pass (see [`begin`]); one that names
/// `tables`, `columns` or `rows` again after the rows is read again from the keys that count.
pub fn read<'a>(response: &'a [u8], sink: &mut impl RowSink<'a>, warnings: &mut Vec<String>) -> Result<()> {
    let mut cursor = begin(response)?;
    sink.columns(&cursor.names)?;
    while !cursor.next_rows(response, usize::MAX, sink, warnings)? {}
    if cursor.finish(response)? {
        sink.restart();
        warnings.clear();
        let mut cursor = locate(response)?;
        sink.columns(&cursor.names)?;
        while !cursor.next_rows(response, usize::MAX, sink, warnings)? {}
    }
    Ok(())
}

/// Validates `response` and finds its first table's rows, to be read a slice at a time.
pub fn locate(response: &[u8]) -> Result<RowCursor> {
    let (columns, rows, error) = walk(response)?;
    let mut cursor = RowCursor::new(response, columns, rows)?;
    cursor.error = error.map(|e| span(response, e));
    Ok(cursor)
}

/// Where `part` (a slice of `response`) is in it.
fn span(response: &[u8], part: &[u8]) -> Range<usize> {
    let start = part.as_ptr() as usize - response.as_ptr() as usize;
    start..start + part.len()
}

/// Finds the first table's rows like [`locate`], but in the usual response (`tables` whose first
/// element has `columns` before `rows`) without reading past the start of the rows: the text
/// after them is checked by [`RowCursor::finish`] once they are read, so that no step reads the
/// whole response at once.
pub fn begin(response: &[u8]) -> Result<RowCursor> {
    match rows_start(response) {
        Ok(Some(cursor)) => Ok(cursor),
        // Anything unusual, a shape error included (a syntax error further on would come first).
        _ => locate(response),
    }
}

/// The cursor at the rows of the usual response, or `None`.
fn rows_start(response: &[u8]) -> Result<Option<RowCursor>> {
    let mut r = Reader::new(response);
    if r.peek() != Some(b'{') || r.open(b'{', b'}')? {
        return Ok(None);
    }
    let mut error = None;
    loop {
        let key = r.member_key()?;
        if key == b"\"tables\"" {
            if r.peek() != Some(b'[') || r.open(b'[', b']')? || r.peek() != Some(b'{') || r.open(b'{', b'}')? {
                return Ok(None);
            }
            let mut columns = None;
            loop {
                match r.member_key()? {
                    b"\"columns\"" => columns = Some(r.skip_value()?),
                    b"\"rows\"" => {
                        r.skip_ws();
                        return Ok(match columns {
                            Some(c) if r.peek() == Some(b'[') => {
                                let mut cursor = RowCursor::new(response, c, &response[r.pos..])?;
                                cursor.unchecked_rest = true;
                                cursor.error = error;
                                Some(cursor)
                            }
                            _ => None,
                        });
                    }
                    _ => {
                        r.skip_value()?;
                    }
                }
                if !r.next_or_close(b'}')? {
                    return Ok(None);
                }
            }
        }
        let value = r.skip_value()?;
        if key == b"\"error\"" {
            error = Some(span(response, value));
        }
        if !r.next_or_close(b'}')? {
            return Ok(None);
        }
    }
}

/// The rows of the first table, read a slice at a time with [`RowCursor::next_rows`].
pub struct RowCursor {
    /// The column names (`String(column.name)`, WTF-8).
    pub names: Vec<Vec<u8>>,
    nested: Vec<bool>,
    /// Where the next row (or the opening bracket) is in the response.
    pos: usize,
    started: bool,
    index: usize,
    /// From [`begin`]: the text after the rows is still to be checked.
    unchecked_rest: bool,
    /// Where the response's top-level `error` member is (a partial result), once known: found
    /// by [`locate`], or by [`begin`] and [`RowCursor::finish`] before and after the tables.
    pub error: Option<Range<usize>>,
}

impl RowCursor {
    fn new(response: &[u8], columns: &[u8], rows: &[u8]) -> Result<Self> {
        let names = column_names(columns)?;
        let nested = nested_columns(&names);
        let pos = rows.as_ptr() as usize - response.as_ptr() as usize;
        Ok(RowCursor { names, nested, pos, started: false, index: 0, unchecked_rest: false, error: None })
    }

    /// Once every row is read: checks the text after the rows (for a cursor from [`begin`]).
    /// Returns true when that text names `tables`, `columns` or `rows` again, so that the rows
    /// read were not the ones that count: read them again from [`locate`].
    pub fn finish(&mut self, response: &[u8]) -> Result<bool> {
        if !self.unchecked_rest {
            return Ok(false);
        }
        self.unchecked_rest = false;
        let mut r = Reader { bytes: response, pos: self.pos };
        let mut repeated = false;
        while r.next_or_close(b'}')? {
            let key = r.member_key()?;
            repeated |= key == b"\"columns\"" || key == b"\"rows\"";
            r.skip_value()?;
        }
        while r.next_or_close(b']')? {
            r.skip_value()?;
        }
        while r.next_or_close(b'}')? {
            let key = r.member_key()?;
            repeated |= key == b"\"tables\"";
            let value = r.skip_value()?;
            if key == b"\"error\"" {
                self.error = Some(span(response, value));
            }
        }
        r.finish()?;
        Ok(repeated)
    }

    /// Reads up to `max` rows of `response` (the text given to [`locate`]) into `sink`. Returns
    /// true once every row has been read.
    pub fn next_rows<'a>(
        &mut self,
        response: &'a [u8],
        max: usize,
        sink: &mut impl RowSink<'a>,
        warnings: &mut Vec<String>,
    ) -> Result<bool> {
        let mut r = Reader { bytes: response, pos: self.pos };
        if !self.started {
            self.started = true;
            if r.open(b'[', b']')? {
                self.pos = r.pos;
                return Ok(true);
            }
        }
        let mut buffers = (Vec::with_capacity(self.nested.len()), Vec::new());
        for _ in 0..max {
            read_row(&mut r, self.index, &self.nested, &mut buffers, sink, warnings)?;
            self.index += 1;
            if !r.next_or_close(b']')? {
                self.pos = r.pos;
                return Ok(true);
            }
        }
        self.pos = r.pos;
        Ok(false)
    }
}

/// Validates the whole response and returns the texts of the `columns` and `rows` of its first
/// table that count (for a key given twice, the last one, as `JSON.parse` keeps it).
/// The texts of the first table's `columns` and `rows`, and of the top-level `error` member.
type TableTexts<'a> = (&'a [u8], &'a [u8], Option<&'a [u8]>);

fn walk(response: &[u8]) -> Result<TableTexts<'_>> {
    let mut r = Reader::new(response);
    if r.peek() != Some(b'{') {
        let v = r.skip_value()?;
        r.finish()?;
        return Err(shape(&format!("it is {}, not an object", describe(v))));
    }
    let mut tables = None;
    let mut error = None;
    if !r.open(b'{', b'}')? {
        loop {
            let key = r.member_key()?;
            if key == b"\"tables\"" {
                tables = Some(first_table(&mut r)?);
            } else if key == b"\"error\"" {
                error = Some(r.skip_value()?);
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
    let columns = columns.ok_or_else(|| shape("'tables[0]' has no 'columns'"))?;
    let rows = rows.ok_or_else(|| shape("'tables[0]' has no 'rows'"))?;
    if rows.first() != Some(&b'[') {
        return Err(shape("'tables[0].rows' is not an array"));
    }
    Ok((columns, rows, error))
}

/// What `tables[0]` turned out to be.
enum FirstTable<'a> {
    NotArray,
    Empty,
    NotObject,
    /// The texts of its last `columns` and `rows` members.
    Found {
        columns: Option<&'a [u8]>,
        rows: Option<&'a [u8]>,
    },
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
                match r.member_key()? {
                    b"\"columns\"" => columns = Some(r.skip_value()?),
                    b"\"rows\"" => rows = Some(r.skip_value()?),
                    _ => {
                        r.skip_value()?;
                    }
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

/// Reads one row at `r`: an array is handed to the sink with its cells (nested fields' strings
/// decoded into the second buffer); anything else is skipped with a warning.
fn read_row<'a>(
    r: &mut Reader<'a>,
    index: usize,
    nested: &[bool],
    (cells, decoded): &mut (Vec<Cell<'a>>, Vec<u8>),
    sink: &mut impl RowSink<'a>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    if r.peek() != Some(b'[') {
        let row = r.skip_value()?;
        warnings.push(format!("row {index} skipped: it is {} where the query API sends an array of cells", describe(row)));
        return Ok(());
    }
    cells.clear();
    decoded.clear();
    if !r.open(b'[', b']')? {
        loop {
            let column = cells.len();
            let cell = if nested.get(column) == Some(&true) && r.peek() == Some(b'"') {
                let start = r.pos;
                let from = decoded.len();
                r.pos = decode_token(decoded, r.bytes, start)?;
                Cell { text: &r.bytes[start..r.pos], plain: false, decoded: Some(from..decoded.len()) }
            } else {
                let (text, plain) = r.skip_value_plain()?;
                Cell { text, plain, decoded: None }
            };
            cells.push(cell);
            if !r.next_or_close(b']')? {
                break;
            }
        }
    }
    sink.row(index, cells, decoded, warnings)
}

/// Which columns hold a nested JSON field.
fn nested_columns(names: &[Vec<u8>]) -> Vec<bool> {
    names.iter().map(|n| NESTED_FIELDS.iter().any(|f| f.as_bytes() == n)).collect()
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
        _ if value == crate::json::tag::UNDEFINED => "undefined",
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
    use crate::rows::convert;

    #[test]
    fn the_last_key_counts_as_in_json_parse() {
        let cases = [
            // rows before columns: read from the spans
            (r#"{"tables":[{"rows":[["x"]],"columns":[{"name":"a"}]}]}"#, r#"[{"a":"x"}]"#),
            // rows twice: the second counts
            (r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"rows":[["y"],["z"]]}]}"#, r#"[{"a":"y"},{"a":"z"}]"#),
            // columns again after the rows
            (r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"columns":[{"name":"b"}]}]}"#, r#"[{"b":"x"}]"#),
            // tables twice
            (
                r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]}],"tables":[{"columns":[{"name":"c"}],"rows":[[1]]}]}"#,
                r#"[{"c":1}]"#,
            ),
            // only the first table counts
            (r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]},{"columns":[],"rows":[[2]]}]}"#, r#"[{"a":"x"}]"#),
        ];
        for (input, expected) in cases {
            assert_eq!(convert(input.as_bytes()).unwrap().json, expected.as_bytes(), "{input}");
        }
        // A skipped-row warning from a replaced rows array is forgotten too.
        let r = convert(br#"{"tables":[{"columns":[{"name":"a"}],"rows":[7,["x"]],"rows":[["y"]]}]}"#).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.json, br#"[{"a":"y"}]"#);
    }
}
