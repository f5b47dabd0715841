//! The `_bulk` response without its 409 "document already exists" items (the original
//! "remove 409 errors"), with a summary, the conflicts and the failures.
//!
//! Classification is the original's, JavaScript comparisons included: an item's operation is its
//! first truthy `create`, `index`, `update` or `delete`; `status === 409` is a conflict (dropped);
//! `status === 201` or `result === "created"` is created; `status >= 400` a failure (kept); anything
//! else is kept. `errors` becomes true only when failures remain.
//!
//! The response is read, not built: a [`Job`] checks the text and gives each item of the `items`
//! that counts (the last one, as `JSON.parse` keeps it) a [`Verdict`], a slice of items at a
//! time; the caller keeps the items themselves (it has them, or parses them from
//! [`Job::items_span`]) and the rest of the response as [`Job::frame`] gives it.
//!
//! Deliberate difference: a response that is not a JSON object (the original spread strings and arrays into
//! nonsense, and threw on `null`) is an error.

use std::ops::Range;

use crate::json::describe;
use crate::json::number::parse_number;
use crate::json::reader::Reader;
use crate::json::string::decode_token;
use crate::json::value::Value;
use crate::{Error, ErrorKind, Result};

/// What becomes of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Kept in `items` (any other status).
    Kept = 0,
    /// Kept, and counted as created.
    Created = 1,
    /// Dropped: its operation goes to the conflicts.
    Conflict = 2,
    /// Kept: its operation also goes to the failures.
    Failure = 3,
}

/// The operations, in the order the original looks for them.
pub const OPERATIONS: [&[u8]; 4] = [b"create", b"index", b"update", b"delete"];

/// An item's class, and which of [`OPERATIONS`] is its operation (`None`: the original's `{}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub class: Class,
    pub operation: Option<usize>,
}

impl Verdict {
    /// One byte: the class in the low two bits, the operation's index (4: none) above them.
    pub fn to_byte(self) -> u8 {
        self.class as u8 | ((self.operation.unwrap_or(4) as u8) << 2)
    }
}

/// Filters a `_bulk` response (JSON text): a [`Job`] run to completion.
pub fn filter(response: &[u8]) -> Result<Job> {
    let mut job = Job::new(response.to_vec())?;
    while !job.step(usize::MAX)? {}
    Ok(job)
}

/// A `_bulk` response read a slice of items at a time ([`Job::step`]).
pub struct Job {
    input: Vec<u8>,
    /// Where reading goes on.
    pos: usize,
    scan: Scan,
}

/// What a [`Job`] has read so far.
struct Scan {
    state: State,
    /// The top-level object, each `items` value written as `0`.
    frame: Vec<u8>,
    /// The verdicts and the text of the items of the last `items` array read.
    verdicts: Vec<u8>,
    spans: Vec<Range<usize>>,
    /// How many items were created, conflicts and failures.
    counts: (usize, usize, usize),
    /// The first item of those that is `null` (the original throws on it).
    null_item: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the next member of the top-level object (or its end).
    Members,
    /// At the next item of an `items` array.
    Items,
    Done,
}

impl Job {
    /// Starts reading a `_bulk` response (UTF-8 JSON text).
    pub fn new(response: Vec<u8>) -> Result<Job> {
        let mut r = Reader::new(&response);
        if r.peek() != Some(b'{') {
            let value = r.skip_value().and_then(|v| r.finish().map(|_| v)).map_err(not_json)?;
            return Err(Error::new(
                ErrorKind::UnexpectedShape,
                format!("Bulk response is {}; expected the JSON object Elasticsearch returns from _bulk. {WIRING}", describe(value)),
            ));
        }
        let (state, frame) = match r.open(b'{', b'}').map_err(not_json)? {
            true => (State::Done, b"{}".to_vec()),
            false => (State::Members, b"{".to_vec()),
        };
        let pos = r.pos;
        let scan = Scan { state, frame, verdicts: Vec::new(), spans: Vec::new(), counts: (0, 0, 0), null_item: None };
        let mut job = Job { input: response, pos, scan };
        job.step(0)?;
        Ok(job)
    }

    /// Reads up to `items` more items (and the members around them); true once the whole
    /// response is read.
    pub fn step(&mut self, items: usize) -> Result<bool> {
        let mut r = Reader { bytes: &self.input, pos: self.pos };
        let read = self.scan.read(&mut r, items).and_then(|_| match self.scan.state {
            // Only white space may follow the object.
            State::Done => r.finish(),
            _ => Ok(()),
        });
        self.pos = r.pos;
        read.map_err(not_json)?;
        match (self.scan.state, self.scan.null_item) {
            (State::Done, Some(i)) => Err(Error::new(
                ErrorKind::UnexpectedShape,
                format!("Bulk response item {i} is null; expected one object per action line, as Elasticsearch returns"),
            )),
            (state, _) => Ok(state == State::Done),
        }
    }

    /// The verdicts of the items, one byte each (see [`Verdict::to_byte`]), once read.
    pub fn verdicts(&self) -> &[u8] {
        &self.scan.verdicts
    }

    /// Where the text of items `from..to` is in the response given to [`Job::new`]: with the
    /// commas between them, it is the inside of a JSON array of them.
    pub fn items_span(&self, from: usize, to: usize) -> Range<usize> {
        let spans = &self.scan.spans;
        match (spans.get(from), to.checked_sub(1).and_then(|last| spans.get(last))) {
            (Some(first), Some(last)) if from < to => first.start..last.end,
            _ => 0..0,
        }
    }

    /// The response given to [`Job::new`].
    pub fn input(&self) -> &[u8] {
        &self.input
    }

    /// The JSON text of `{...response}` with `items` set to `0` where the response has it: the
    /// caller sets `items` and `errors` on it, as the original did on its spread copy.
    pub fn frame(&self) -> &[u8] {
        &self.scan.frame
    }

    /// How many items were created, dropped as conflicts, and kept as failures.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.scan.counts
    }
}

impl Scan {
    /// Reads on at `r`, up to `items` more items.
    fn read(&mut self, r: &mut Reader, mut items: usize) -> Result<()> {
        loop {
            match self.state {
                State::Done => return Ok(()),
                State::Items if items == 0 => return Ok(()),
                State::Items => {
                    items -= 1;
                    r.skip_ws();
                    let start = r.pos;
                    let verdict = classify(r)?;
                    self.note(verdict, start..r.pos, r.bytes[start] == b'n');
                    if !r.next_or_close(b']')? {
                        self.state = State::Members;
                        self.after_member(r)?;
                    }
                }
                State::Members => {
                    let key = r.member_key_plain()?;
                    self.frame.extend_from_slice(key.0);
                    self.frame.push(b':');
                    if key_is(key, b"items") {
                        // The last `items` counts: the items of an earlier one are forgotten.
                        self.frame.push(b'0');
                        self.verdicts.clear();
                        self.spans.clear();
                        (self.counts, self.null_item) = ((0, 0, 0), None);
                        if r.peek() != Some(b'[') {
                            r.skip_value()?;
                        } else if !r.open(b'[', b']')? {
                            self.state = State::Items;
                            continue;
                        }
                    } else {
                        let value = r.skip_value()?;
                        self.frame.extend_from_slice(value);
                    }
                    self.after_member(r)?;
                }
            }
        }
    }

    /// After a member's value: the next member, or the end of the object.
    fn after_member(&mut self, r: &mut Reader) -> Result<()> {
        if r.next_or_close(b'}')? {
            self.frame.push(b',');
        } else {
            self.frame.push(b'}');
            self.state = State::Done;
        }
        Ok(())
    }

    fn note(&mut self, verdict: Verdict, span: Range<usize>, null: bool) {
        if null && self.null_item.is_none() {
            self.null_item = Some(self.verdicts.len());
        }
        match verdict.class {
            Class::Created => self.counts.0 += 1,
            Class::Conflict => self.counts.1 += 1,
            Class::Failure => self.counts.2 += 1,
            Class::Kept => {}
        }
        self.verdicts.push(verdict.to_byte());
        self.spans.push(span);
    }
}

/// Reads one item at `r` and classes it as the original did.
fn classify(r: &mut Reader) -> Result<Verdict> {
    let kept = Verdict { class: Class::Kept, operation: None };
    if r.peek() != Some(b'{') {
        // A primitive or an array has no operation: the original's `{}`, kept (null: see `note`).
        r.skip_value()?;
        return Ok(kept);
    }
    // The last value of each operation key, with the `status` and `result` of an object.
    let mut operations: [Option<Operation>; 4] = [None; 4];
    if !r.open(b'{', b'}')? {
        loop {
            let key = r.member_key_plain()?;
            match operation_index(key) {
                Some(k) => operations[k] = Some(Operation::read(r)?),
                None => {
                    value(r)?;
                }
            }
            if !r.next_or_close(b'}')? {
                break;
            }
        }
    }
    let Some((k, op)) = operations.into_iter().enumerate().find_map(|(k, op)| op.filter(|op| op.truthy).map(|op| (k, op))) else {
        return Ok(kept);
    };
    let status = op.status.map(|s| (s, js_number(s)));
    let class = match status {
        Some((s, n)) if n == 409.0 && is_number(s) => Class::Conflict,
        Some((s, n)) if n == 201.0 && is_number(s) => Class::Created,
        _ if op.result.is_some_and(|t| is_string(t, b"created")) => Class::Created,
        Some((_, n)) if n >= 400.0 => Class::Failure,
        _ => Class::Kept,
    };
    Ok(Verdict { class, operation: Some(k) })
}

/// What the original looks at in an operation's value.
#[derive(Debug, Clone, Copy)]
struct Operation<'a> {
    /// The value is truthy in JavaScript.
    truthy: bool,
    /// The texts of its `status` and `result` members (the last of each), when it is an object.
    status: Option<&'a [u8]>,
    result: Option<&'a [u8]>,
}

impl<'a> Operation<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Operation<'a>> {
        let mut op = Operation { truthy: true, status: None, result: None };
        if r.peek() != Some(b'{') {
            op.truthy = truthy(r.skip_value()?);
            return Ok(op);
        }
        if !r.open(b'{', b'}')? {
            loop {
                let key = r.member_key_plain()?;
                let value = value(r)?;
                if key_is(key, b"status") {
                    op.status = Some(value);
                } else if key_is(key, b"result") {
                    op.result = Some(value);
                }
                if !r.next_or_close(b'}')? {
                    break;
                }
            }
        }
        Ok(op)
    }
}

/// Reads one value at `r` and returns its text: scalars straight away, containers skipped.
#[inline]
fn value<'a>(r: &mut Reader<'a>) -> Result<&'a [u8]> {
    match r.peek() {
        Some(b'"') => r.string_token(),
        Some(b'-' | b'0'..=b'9') => r.number(),
        _ => r.skip_value(),
    }
}

/// Which of [`OPERATIONS`] the key token names.
#[inline]
fn operation_index(key: (&[u8], bool)) -> Option<usize> {
    if !key.1 {
        return OPERATIONS.iter().position(|op| key_is(key, op));
    }
    match &key.0[1..key.0.len() - 1] {
        b"create" => Some(0),
        b"index" => Some(1),
        b"update" => Some(2),
        b"delete" => Some(3),
        _ => None,
    }
}

/// JavaScript truthiness of a JSON value (its text).
fn truthy(value: &[u8]) -> bool {
    match value[0] {
        // null, false, and the tags of undefined and NaN (see crate::json::tag).
        b'n' | b'f' | 0xFF => false,
        b'"' => value.len() > 2,
        b'-' | b'0'..=b'9' => {
            let n = parse_number(value);
            n != 0.0 && !n.is_nan()
        }
        _ => true,
    }
}

fn is_number(value: &[u8]) -> bool {
    matches!(value[0], b'-' | b'0'..=b'9')
}

/// `Number(value)` of a JSON value (its text), as `>=` converts it.
fn js_number(value: &[u8]) -> f64 {
    // The usual status: a few digits.
    if value.len() <= 9 && value.iter().all(u8::is_ascii_digit) {
        return value.iter().fold(0u32, |n, d| n * 10 + (d - b'0') as u32) as f64;
    }
    if is_number(value) {
        return parse_number(value);
    }
    Value::parse(value).map_or(f64::NAN, |v| v.to_js_number())
}

/// True when the string token (quotes included; `plain`: without escapes) is `name`.
fn key_is((token, plain): (&[u8], bool), name: &[u8]) -> bool {
    if plain {
        return &token[1..token.len() - 1] == name;
    }
    let mut decoded = Vec::new();
    decode_token(&mut decoded, token, 0).is_ok() && decoded == name
}

/// True when the JSON value `value` is the string `name`.
fn is_string(value: &[u8], name: &[u8]) -> bool {
    value[0] == b'"' && key_is((value, !value.contains(&b'\\')), name)
}

const WIRING: &str = "Wire this node to the http request node that posts the _bulk body";

fn not_json(e: Error) -> Error {
    match e.kind() {
        ErrorKind::InvalidJson => Error::new(ErrorKind::InvalidJson, format!("Bulk response is not valid JSON ({e}). {WIRING}")),
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The class and operation of each item, and the counts (created, conflicts, failures).
    type Classes = (Vec<(Class, Option<usize>)>, (usize, usize, usize));

    fn classes(response: &[u8]) -> Classes {
        let job = filter(response).unwrap();
        let classes = job
            .verdicts()
            .iter()
            .map(|&b| {
                let class = [Class::Kept, Class::Created, Class::Conflict, Class::Failure][(b & 3) as usize];
                (class, Some((b >> 2) as usize).filter(|&k| k < 4))
            })
            .collect();
        (classes, job.counts())
    }

    #[test]
    fn classes_items_like_the_original() {
        let response = br#"{"took":5,"errors":true,"items":[
            {"create":{"_id":"a","status":201,"result":"created"}},
            {"create":{"_id":"b","status":409,"error":{"type":"version_conflict_engine_exception"}}},
            {"index":{"_id":"c","status":"500"}},
            {"update":{"_id":"d","status":200}},
            {"delete":{"_id":"e","result":"cr\u0065ated"}},
            7,
            {"create":null,"index":{"status":4.09e2}},
            {"create":0,"update":{"st\u0061tus":[[404]]}},
            {"create":"x"},
            {"create":{"status":201,"status":409}},
            {"create":{"status":"409"}},
            {"delete":{"status":true}},
            {"other":{"status":409}},
            {"create":{"status":1e400}}]}"#;
        let (classes, counts) = classes(response);
        use Class::*;
        assert_eq!(
            classes,
            [
                (Created, Some(0)),
                (Conflict, Some(0)),
                (Failure, Some(1)),
                (Kept, Some(2)),
                (Created, Some(3)),
                (Kept, None),
                (Conflict, Some(1)),
                (Failure, Some(2)),
                (Kept, Some(0)),
                (Conflict, Some(0)),
                (Failure, Some(0)),
                (Kept, Some(3)),
                (Kept, None),
                (Failure, Some(0)),
            ]
        );
        assert_eq!(counts, (2, 3, 4));
    }

    #[test]
    fn keeps_the_rest_of_the_response_and_the_last_items() {
        let response = br#" {"took":1,"items":[{"create":{"status":409}}],"errors":true,"took":2,"items":[7, {"index":{"status":201}} ,8],"x":{"items":[]}} "#;
        let job = filter(response).unwrap();
        assert_eq!(String::from_utf8_lossy(job.frame()), r#"{"took":1,"items":0,"errors":true,"took":2,"items":0,"x":{"items":[]}}"#);
        assert_eq!(job.verdicts().len(), 3);
        assert_eq!(job.counts(), (1, 0, 0));
        let span = job.items_span(1, 3);
        assert_eq!(&job.input()[span], br#"{"index":{"status":201}} ,8"#);
        assert_eq!(job.items_span(0, 0), 0..0);
        for (text, frame) in [(&b"{}"[..], "{}"), (b"{\"items\":{}}", "{\"items\":0}"), (b"{\"items\":[]}", "{\"items\":0}")] {
            let job = filter(text).unwrap();
            assert_eq!((String::from_utf8_lossy(job.frame()).as_ref(), job.verdicts().len()), (frame, 0));
        }
    }

    #[test]
    fn refuses_what_is_not_a_bulk_response() {
        for bad in [&b"\"ab\""[..], b"7", b"[]", b"null", b"true"] {
            let err = filter(bad).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::UnexpectedShape);
            assert!(err.message().starts_with("Bulk response is "), "{}", err.message());
        }
        for bad in [&b"<html>"[..], b"{\"items\":[1,]}", b"{\"a\":1} x", b"{\"items\":[null], x}", b""] {
            let err = filter(bad).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::InvalidJson, "{}", String::from_utf8_lossy(bad));
            assert!(err.message().starts_with("Bulk response is not valid JSON"));
        }
        let err = filter(br#"{"items":[{},null,{}]}"#).err().unwrap();
        assert_eq!(err.message(), "Bulk response item 1 is null; expected one object per action line, as Elasticsearch returns");
        // Only the items that count: a null in an earlier `items` does not matter.
        assert!(filter(br#"{"items":[null],"items":[]}"#).is_ok());
    }

    #[test]
    fn a_job_in_slices_equals_one_step() {
        let response = br#"{"items":[{"create":{"status":409}},{"create":{"status":201}},5,{"index":{"status":500}}],"took":3}"#;
        let whole = filter(response).unwrap();
        let mut job = Job::new(response.to_vec()).unwrap();
        let mut steps = 0;
        while !job.step(1).unwrap() {
            steps += 1;
        }
        assert_eq!(steps, 3);
        assert_eq!((job.verdicts(), job.frame(), job.counts()), (whole.verdicts(), whole.frame(), whole.counts()));
    }
}
