//! Reading the first table of a Log Analytics query response, row by row, without building it.
//!
//! The original read `msg.payload.tables[0]` after `JSON.parse`, and the whole text must be valid
//! JSON. The usual response (`columns` before `rows`) is read in a single pass, a slice of rows
//! at a time, each row handed to a [`RowSink`] as it is read; the text after the rows is checked
//! once they are read. Deliberate difference: a response that names `tables`, or `columns` or
//! `rows` of its first table, twice is refused (`JSON.parse` would keep the last one; the query
//! API never sends a key twice), so that the rows read are always the ones that count.

use std::ops::Range;

use crate::json::describe;
use crate::json::property_order;
use crate::json::reader::Reader;
use crate::json::string::{decode_token, write_escaped};
use crate::json::value::Value;
use crate::nested;
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
    /// One row that is an array: its index among all rows, its cells, the buffer holding the
    /// decoded text of nested fields' cells, and the warnings so far.
    fn row(&mut self, index: usize, cells: &[Cell<'a>], decoded: &[u8], warnings: &mut Vec<String>) -> Result<()>;

    /// The first table's column names, once, before its first row.
    fn columns(&mut self, names: &[Vec<u8>]);

    /// Where the sink stands, for [`RowSink::back_to`]: a row read from a part of a response
    /// given in parts that turns out to be cut off at the part's end is taken back, and read
    /// again, whole, from the next part.
    fn mark(&self) -> [usize; 3];

    /// Forgets the rows taken since `mark`.
    fn back_to(&mut self, mark: [usize; 3]);
}

/// How far [`RowCursor::read_rows`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Rows remain.
    More,
    /// Every row is read and the rest of the text checked.
    Done,
    /// The text given so far ends before the next row does: more of it is needed.
    Hungry,
}

/// Validates `response` as a whole and finds its first table's rows, to be read a slice at a
/// time (the way for every response that [`begin`] does not read in one pass).
fn locate(response: &[u8]) -> Result<RowCursor> {
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

/// Finds the first table's rows of `response`, to be read a slice at a time with
/// [`RowCursor::read_rows`]. In the usual response (`tables` whose first element has `columns`
/// before `rows`) nothing past the start of the rows is read yet: the text after them is checked
/// by the last step, so that no step reads the whole response at once.
pub fn begin(response: &[u8]) -> Result<RowCursor> {
    match rows_start(response) {
        Ok(Some(cursor)) => Ok(cursor),
        // Anything unusual, a shape error included (a syntax error further on would come first).
        _ => locate(response),
    }
}

/// [`begin`] for the first part of a response given in parts: the cursor at its rows when the
/// part holds the usual response's start up to them, else `None` (the rows are then found with
/// [`begin`] once the whole text is in).
pub fn begin_part(part: &[u8]) -> Option<RowCursor> {
    rows_start(part).ok().flatten()
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
                    // Named twice: refused by locate, once the whole text is known to be JSON.
                    b"\"columns\"" if columns.is_some() => return Ok(None),
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

/// The rows of the first table, read a slice at a time with [`RowCursor::read_rows`].
pub struct RowCursor {
    /// The column names (`String(column.name)`, WTF-8).
    pub names: Vec<Vec<u8>>,
    nested: Vec<bool>,
    /// Where the next row (or the opening bracket) is in the response.
    pos: usize,
    started: bool,
    index: usize,
    /// The text after the rows is still to be checked (by the last step).
    unchecked_rest: bool,
    /// The rows' closing bracket is read (the rest of the text may still be unchecked).
    rows_read: bool,
    /// Where the response's top-level `error` member is (a partial result), once known: before
    /// the rows, or after them once the last step has read them.
    pub error: Option<Range<usize>>,
}

impl RowCursor {
    fn new(response: &[u8], columns: &[u8], rows: &[u8]) -> Result<Self> {
        let names = column_names(columns)?;
        let nested = nested_columns(&names);
        let pos = rows.as_ptr() as usize - response.as_ptr() as usize;
        Ok(RowCursor { names, nested, pos, started: false, index: 0, unchecked_rest: false, rows_read: false, error: None })
    }

    /// Once every row is read: checks the text after the rows, which must not name `tables`,
    /// `columns` or `rows` again.
    fn finish(&mut self, response: &[u8]) -> Result<()> {
        if !self.unchecked_rest {
            return Ok(());
        }
        self.unchecked_rest = false;
        let mut r = Reader { bytes: response, pos: self.pos };
        let mut repeated = None;
        while r.next_or_close(b'}')? {
            let key = r.member_key()?;
            if key == b"\"columns\"" || key == b"\"rows\"" {
                repeated = repeated.or(Some(key));
            }
            r.skip_value()?;
        }
        while r.next_or_close(b']')? {
            r.skip_value()?;
        }
        while r.next_or_close(b'}')? {
            let key = r.member_key()?;
            if key == b"\"tables\"" {
                repeated = repeated.or(Some(key));
            }
            let value = r.skip_value()?;
            if key == b"\"error\"" {
                self.error = Some(span(response, value));
            }
        }
        r.finish()?;
        self.pos = r.pos;
        match repeated {
            Some(key) => Err(named_twice(key)),
            None => Ok(()),
        }
    }

    /// Reads up to `max` rows into `sink` from the text given to [`begin`] (`complete`), or from
    /// part of a response given in parts: `text` is then what has been given and not yet dropped
    /// (see [`RowCursor::read`]). A row, or the rest after the rows, that an incomplete text
    /// does not hold whole is left for a later call ([`Progress::Hungry`]): whatever fails before
    /// the end of an incomplete text is read again once more of it is in, and an error is an
    /// error only in the complete text.
    pub fn read_rows<'a>(
        &mut self,
        text: &'a [u8],
        complete: bool,
        max: usize,
        sink: &mut impl RowSink<'a>,
        warnings: &mut Vec<String>,
    ) -> Result<Progress> {
        let mut r = Reader { bytes: text, pos: self.pos };
        if !self.started {
            let empty = match r.open(b'[', b']') {
                // After the bracket, the text must show whether the rows are empty.
                Ok(empty) if complete || empty || r.peek().is_some() => empty,
                Err(e) if complete => return Err(e),
                _ => return Ok(Progress::Hungry),
            };
            self.started = true;
            self.rows_read = empty;
            self.pos = r.pos;
            sink.columns(&self.names);
        }
        let mut buffers = (Vec::with_capacity(self.nested.len()), Vec::new());
        for _ in 0..max {
            if self.rows_read {
                break;
            }
            let (mark, warned) = (sink.mark(), warnings.len());
            match read_row(&mut r, self.index, &self.nested, &mut buffers, sink, warnings).and_then(|()| r.next_or_close(b']')) {
                Ok(more) => {
                    self.index += 1;
                    self.pos = r.pos;
                    self.rows_read = !more;
                }
                Err(e) if complete => return Err(e),
                Err(_) => {
                    sink.back_to(mark);
                    warnings.truncate(warned);
                    return Ok(Progress::Hungry);
                }
            }
        }
        match (self.rows_read, complete) {
            (false, _) => Ok(Progress::More),
            (true, false) => Ok(Progress::Hungry),
            (true, true) => {
                self.finish(text)?;
                Ok(Progress::Done)
            }
        }
    }

    /// How much of the text the rows read so far span (nothing before it is read again).
    pub fn read(&self) -> usize {
        self.pos
    }

    /// The first `len` bytes of the text were dropped (see [`RowCursor::read`]). The `error`
    /// span, which points into them, is no longer known.
    pub fn dropped(&mut self, len: usize) {
        self.pos -= len;
        self.error = None;
    }
}

/// The texts of the first table's `columns` and `rows`, and of the top-level `error` member.
type TableTexts<'a> = (&'a [u8], &'a [u8], Option<&'a [u8]>);

/// Validates the whole response and returns the texts of its first table's `columns` and `rows`.
fn walk(response: &[u8]) -> Result<TableTexts<'_>> {
    let mut r = Reader::new(response);
    if r.peek() != Some(b'{') {
        let v = r.skip_value()?;
        r.finish()?;
        return Err(shape(&format!("it is {}, not an object", describe(v))));
    }
    let mut tables = None;
    let mut error = None;
    let mut repeated = None;
    if !r.open(b'{', b'}')? {
        loop {
            let key = r.member_key()?;
            if key == b"\"tables\"" {
                if tables.is_some() {
                    repeated = repeated.or(Some(key));
                }
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
    if let Some(FirstTable::Found { repeated: Some(key), .. }) = tables {
        repeated = repeated.or(Some(key));
    }
    if let Some(key) = repeated {
        return Err(named_twice(key));
    }
    let (columns, rows) = match tables {
        None => return Err(shape("it has no 'tables'")),
        Some(FirstTable::NotArray) => return Err(shape("'tables' is not an array")),
        Some(FirstTable::Empty) => return Err(shape("'tables' is empty")),
        Some(FirstTable::NotObject) => return Err(shape("'tables[0]' is not an object")),
        Some(FirstTable::Found { columns, rows, .. }) => (columns, rows),
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
    /// The texts of its `columns` and `rows` members, and the first of them it names twice.
    Found {
        columns: Option<&'a [u8]>,
        rows: Option<&'a [u8]>,
        repeated: Option<&'a [u8]>,
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
        let (mut columns, mut rows, mut repeated) = (None, None, None);
        if !r.open(b'{', b'}')? {
            loop {
                let key = r.member_key()?;
                let slot = match key {
                    b"\"columns\"" => &mut columns,
                    b"\"rows\"" => &mut rows,
                    _ => {
                        r.skip_value()?;
                        if !r.next_or_close(b'}')? {
                            break;
                        }
                        continue;
                    }
                };
                if slot.is_some() {
                    repeated = repeated.or(Some(key));
                }
                *slot = Some(r.skip_value()?);
                if !r.next_or_close(b'}')? {
                    break;
                }
            }
        }
        FirstTable::Found { columns, rows, repeated }
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
    names.iter().map(|n| nested::rank(n).is_some()).collect()
}

/// `columns.map(c => c.name)`, as strings.
fn column_names(columns: &[u8]) -> Result<Vec<Vec<u8>>> {
    let columns = Value::parse(columns)?;
    let Value::Array(items) = &columns else {
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

/// Where each property of a row object comes from, in JavaScript's property order: the
/// original built each row as `obj[c] = r[i]` over the columns.
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
    /// Its rank among the nested fields ([`nested::FIELDS`]), if it is one.
    pub nested: Option<usize>,
}

impl Layout {
    /// The layout for the column names `columns`. A column named `__proto__` is left out: the
    /// original's assignment set the row's prototype instead of a property.
    pub fn new(columns: &[Vec<u8>]) -> Self {
        let names: Vec<&[u8]> = columns.iter().map(Vec::as_slice).collect();
        let slots = property_order(&names)
            .into_iter()
            .filter(|&i| columns[i] != b"__proto__")
            .map(|i| {
                let mut token = Vec::new();
                write_escaped(&mut token, &columns[i]);
                Slot { name: columns[i].clone(), token, column: i, nested: nested::rank(&columns[i]) }
            })
            .collect();
        Layout { slots }
    }
}

/// The error for a response that names `key` twice where it matters.
fn named_twice(key: &[u8]) -> Error {
    let key = String::from_utf8_lossy(&key[1..key.len() - 1]).into_owned();
    let place = if key == "tables" { "the response" } else { "'tables[0]'" };
    shape(&format!(
        "{place} names '{key}' twice (JSON.parse would keep the last one; the query API never sends a key twice, so this text did not come from it)"
    ))
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
    use crate::ErrorKind;

    #[test]
    fn reads_the_first_table_in_any_member_order() {
        let cases = [
            // rows before columns: the whole text is read first
            (r#"{"tables":[{"rows":[["x"]],"columns":[{"name":"a"}]}]}"#, r#"[{"a":"x"}]"#),
            // only the first table counts
            (r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]},{"columns":[],"rows":[[2]]}]}"#, r#"[{"a":"x"}]"#),
            // keys named twice elsewhere do not matter
            (
                r#"{"x":1,"x":{"rows":1,"rows":2},"tables":[{"columns":[{"name":"a","name":"b"}],"rows":[["y"]]},{"rows":[],"rows":[]}]}"#,
                r#"[{"b":"y"}]"#,
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(convert(input.as_bytes()).unwrap().json, expected.as_bytes(), "{input}");
        }
    }

    #[test]
    fn refuses_a_response_that_names_tables_columns_or_rows_twice() {
        let cases = [
            (r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"rows":[["y"],["z"]]}]}"#, "'tables[0]' names 'rows' twice"),
            (r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"columns":[{"name":"b"}]}]}"#, "'tables[0]' names 'columns' twice"),
            (r#"{"tables":[{"columns":[{"name":"a"}],"columns":[{"name":"b"}],"rows":[["x"]]}]}"#, "'tables[0]' names 'columns' twice"),
            (r#"{"tables":[{"rows":[],"columns":[],"rows":[]}]}"#, "'tables[0]' names 'rows' twice"),
            (
                r#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]}],"tables":[{"columns":[{"name":"c"}],"rows":[[1]]}]}"#,
                "the response names 'tables' twice",
            ),
            (r#"{"tables":5,"tables":[{"columns":[],"rows":[]}]}"#, "the response names 'tables' twice"),
        ];
        for (input, expected) in cases {
            let err = convert(input.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedShape, "{input}");
            assert!(err.message().contains(expected) && err.message().contains("never sends a key twice"), "{input}: {}", err.message());
        }
        // A syntax error anywhere counts first.
        let err = convert(br#"{"tables":[{"columns":[],"rows":[],"rows":[]}],}"#).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidJson);
    }
}
