//! The query API response → row objects (the original "convert the payload to usable format").
//!
//! The first table's `columns` name the properties and each of its `rows` gives their values;
//! the nested JSON fields (`Owner`, `AlertIds`, `AdditionalData`, `ExtendedProperties`,
//! `Entities`) are parsed when their trimmed text looks like an object or an array, with a
//! warning when it is not valid JSON. The rows are returned as JSON text for `JSON.parse`,
//! which gives the same objects the original built (property order included). The text is ASCII
//! (other characters as `\u` escapes), which JavaScript turns into a string fastest.
//!
//! Deliberate differences: a row that is not an array is skipped with a warning (the original
//! threw on `null` and made nonsense of the rest); a column named `__proto__` is left out, as
//! the original's assignment set the row's prototype instead of a property; a cell missing from a
//! short row is absent rather than `undefined`; a response that names `tables`, `columns` or
//! `rows` twice is refused (see `crate::table`).

use crate::json::ascii::write_ascii_json;
use crate::nested;
use crate::response::Response;
use crate::table::{Cell, Layout, Progress, RowSink};
use crate::Result;

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

/// Converts a query API response (JSON text) to row objects: a [`Job`] run to completion.
pub fn convert(response: &[u8]) -> Result<Rows> {
    let mut job = Job::new(response.to_vec())?;
    let (json, done) = job.step(usize::MAX)?;
    debug_assert!(done);
    Ok(Rows { json, ..job.finish() })
}

/// The conversion a slice of rows at a time ([`Job::step`] gives each slice's JSON array), so
/// that the caller can let other work run in between. The response is given whole
/// ([`Job::new`]) or in parts ([`Job::in_parts`], then [`Response::room`] and
/// [`Response::wrote`] whenever it is [`Response::hungry`]; see [`crate::response`]).
pub struct Job {
    /// The response, given whole or in parts (`room`, `wrote` whenever it is `hungry`).
    pub response: Response,
    sink: RowsJson,
    warnings: Vec<String>,
    done: bool,
}

impl Job {
    /// Finds the response's rows (UTF-8 JSON text; the text after the rows is checked by the
    /// last step).
    pub fn new(response: Vec<u8>) -> Result<Job> {
        Ok(Job::of(Response::whole(response)?))
    }

    /// A job to be given the response in parts (UTF-8 JSON text, cut anywhere).
    pub fn in_parts() -> Job {
        Job::of(Response::in_parts())
    }

    fn of(response: Response) -> Job {
        let sink = RowsJson { layout: Layout::new(&[]), json: Vec::new(), count: 0, short: false, not_json: Default::default() };
        Job { response, sink, warnings: Vec::new(), done: false }
    }

    /// Converts up to `rows` more rows: the JSON text of an array of them, and whether every row
    /// has now been converted.
    pub fn step(&mut self, rows: usize) -> Result<(Vec<u8>, bool)> {
        self.sink.json.clear();
        self.sink.json.push(b'[');
        if !self.done {
            self.done = self.response.read(rows, &mut self.sink, &mut self.warnings)? == Progress::Done;
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
    not_json: nested::Warnings,
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
    fn columns(&mut self, names: &[Vec<u8>]) {
        self.layout = Layout::new(names);
    }

    fn mark(&self) -> [usize; 3] {
        [self.json.len(), self.count, 0]
    }

    fn back_to(&mut self, [len, count, _]: [usize; 3]) {
        self.json.truncate(len);
        self.count = count;
    }

    fn row(&mut self, index: usize, cells: &[Cell<'a>], decoded: &[u8], warnings: &mut Vec<String>) -> Result<()> {
        if self.json.len() > 1 {
            self.json.push(b',');
        }
        self.count += 1;
        self.json.push(b'{');
        let mut first = true;
        for slot in &self.layout.slots {
            let Some(cell) = cells.get(slot.column) else {
                self.short = true;
                continue;
            };
            if !first {
                self.json.push(b',');
            }
            first = false;
            write_ascii_json(&mut self.json, &slot.token);
            self.json.push(b':');
            match slot.nested.zip(cell.decoded.clone().and_then(|range| nested::candidate(&decoded[range]))) {
                Some((_, text)) if nested::is_json(text) => write_ascii_json(&mut self.json, text),
                Some((rank, _)) => {
                    self.not_json.not_json(index, rank);
                    write_ascii_json(&mut self.json, cell.text);
                }
                None => write_ascii_json(&mut self.json, cell.text),
            }
        }
        self.not_json.flush(warnings);
        self.json.push(b'}');
        Ok(())
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
    }

    /// The rows of `response` given to a job in parts of `part` bytes, read `per_step` rows a
    /// step: the joined rows, count, warnings and keys, or the error.
    fn in_parts(response: &[u8], part: usize, per_step: usize) -> std::result::Result<Rows, crate::Error> {
        let mut job = Job::in_parts();
        let mut given = 0;
        let mut rows = Vec::new();
        loop {
            while job.response.hungry() {
                let end = (given + part).min(response.len());
                job.response.room(end - given + 3)[..end - given].copy_from_slice(&response[given..end]);
                job.response.wrote(end - given, end == response.len());
                given = end;
            }
            let (json, done) = job.step(per_step)?;
            if json.len() > 2 {
                rows.push(String::from_utf8(json[1..json.len() - 1].to_vec()).unwrap());
            }
            if done {
                break;
            }
        }
        let rest = job.finish();
        Ok(Rows { json: format!("[{}]", rows.join(",")).into_bytes(), ..rest })
    }

    #[test]
    fn a_response_in_parts_cut_anywhere_gives_what_the_whole_gives() {
        let responses: [&[u8]; 9] = [
            br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"b"},{"name":"Entities"},{"name":"1"}],"rows":[["x"," [{\"a\":null}] ",5],["y","[not json]"],7,["z","{}",1],[-1.5e3,true,null,"\u00e9\ud800"],["\"]\",\"[\""]]}],"error":{"code":"PartialError"}}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[]}]}"#,
            br#" { "tables" : [ { "columns" : [ { "name" : "a" } ] , "rows" : [ [ 1 ] , [ 22 ] , 333 ] } ] } "#,
            // Rows before columns, a key named twice, a second table: read whole once every part is in.
            br#"{"tables":[{"rows":[["x"],["y"]],"columns":[{"name":"a"}]}]}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"rows":[["y"]]}]}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]}],"tables":[]}"#,
            // Errors: in a row, after the rows, at the end.
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y",],["z"]]}]}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y"]]}],"x":tru}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],["y"]]}]"#,
        ];
        for response in responses {
            let whole = Job::new(response.to_vec()).and_then(|mut job| {
                let (json, _) = job.step(usize::MAX)?;
                Ok(Rows { json, ..job.finish() })
            });
            for part in 1..=response.len() {
                for per_step in [1, 2, usize::MAX] {
                    assert_eq!(in_parts(response, part, per_step), whole, "{} in parts of {part}", String::from_utf8_lossy(response));
                }
            }
        }
    }

    #[test]
    fn a_long_response_in_parts_holds_a_part_and_a_row() {
        let row = br#"["2025-11-19T10:00:00.0000000Z","{\"a\":[1,2,3],\"b\":\"text\"}",42],"#;
        let mut response =
            br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated"},{"name":"Entities"},{"name":"n"}],"rows":["#
                .to_vec();
        for _ in 0..20_000 {
            response.extend_from_slice(row);
        }
        response.pop();
        response.extend_from_slice(b"]}]}");
        let whole = convert(&response).unwrap();
        let mut job = Job::in_parts();
        let (mut given, mut count, mut most) = (0, 0, 0);
        while !job.done {
            while job.response.hungry() {
                let end = (given + 4096).min(response.len());
                job.response.room(end - given).copy_from_slice(&response[given..end]);
                job.response.wrote(end - given, end == response.len());
                given = end;
                most = most.max(job.response.held());
            }
            count += job.step(32).unwrap().0.len();
        }
        assert!(count > response.len(), "the rows were read");
        assert_eq!(job.finish().count, whole.count);
        assert!(most <= 4096 + 2 * row.len(), "at most a part and a row are kept: {most} bytes");
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
