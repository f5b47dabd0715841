//! Reading a `_bulk` response for the filter that drops its 409 "document already exists" items
//! (the original "remove 409 errors"), a slice of items at a time.
//!
//! A [`Job`] checks the text, finds the items of the `items` member that counts (the last one, as
//! `JSON.parse` keeps it) and where each item's text is ([`Job::items_span`]), and writes the rest
//! of the response as [`Job::frame`]. The caller parses the items a slice at a time and classes
//! them as the original did, with JavaScript's own comparisons on JavaScript's own values (see
//! `node-red/lib/core.js`): an object payload is classed the same way, with nothing to read here.
//!
//! Deliberate difference: a response that is not a JSON object (the original spread strings and arrays into
//! nonsense, and threw on `null`) is an error.

use std::ops::Range;

use crate::json::describe;
use crate::json::reader::Reader;
use crate::json::string::{decode_token, skip_ordinary};
use crate::{Error, ErrorKind, Result};

/// Reads a whole `_bulk` response (JSON text): a [`Job`] run to completion.
pub fn read(response: &[u8]) -> Result<Job> {
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
    /// Where the text of each item of the last `items` array read is.
    spans: Vec<Range<usize>>,
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
        let mut job = Job { input: response, pos, scan: Scan { state, frame, spans: Vec::new() } };
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
        Ok(self.scan.state == State::Done)
    }

    /// How many items the `items` member that counts has (once read).
    pub fn items(&self) -> usize {
        self.scan.spans.len()
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

    /// The end of a run of items from `from` whose text is at most `max_len` bytes long (at
    /// least one item, unless `from` is past the last one): `from..end` for [`Job::items_span`].
    pub fn items_within(&self, from: usize, max_len: usize) -> usize {
        let spans = &self.scan.spans;
        let Some(first) = spans.get(from) else {
            return from;
        };
        let limit = first.start.saturating_add(max_len);
        let rest = &spans[from + 1..];
        from + 1 + rest.partition_point(|span| span.end <= limit)
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
                    r.pos = item_end(r.bytes, start).ok_or_else(|| r.error("a value"))?;
                    self.spans.push(start..r.pos);
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
                        self.spans.clear();
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
}

/// Where the item that starts at `start` ends (trailing white space excluded): its brackets are
/// counted and its strings skipped, nothing more. The items are checked by `JSON.parse`, which
/// the caller runs on their text anyway; what follows an item (`,` or `]`) and the rest of the
/// response are checked here, so the whole text is checked once. None: no item there, or the
/// text ends inside it.
fn item_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = start;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'"' => {
                // Eight bytes at a time to the next quote, backslash (or other special byte).
                pos += 1;
                loop {
                    pos = skip_ordinary(bytes, pos);
                    match *bytes.get(pos)? {
                        b'"' => break,
                        b'\\' => pos += 2,
                        _ => pos += 1,
                    }
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' | b',' if depth == 0 => break,
            b'}' | b']' => depth -= 1,
            _ => {}
        }
        pos += 1;
    }
    while pos > start && matches!(bytes[pos - 1], b' ' | b'\t' | b'\n' | b'\r') {
        pos -= 1;
    }
    (pos > start && pos <= bytes.len() && depth == 0).then_some(pos)
}

/// True when the string token (quotes included; `plain`: without escapes) is `name`.
fn key_is((token, plain): (&[u8], bool), name: &[u8]) -> bool {
    if plain {
        return &token[1..token.len() - 1] == name;
    }
    let mut decoded = Vec::new();
    decode_token(&mut decoded, token, 0).is_ok() && decoded == name
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

    fn items(job: &Job) -> Vec<&str> {
        (0..job.items()).map(|i| std::str::from_utf8(&job.input()[job.items_span(i, i + 1)]).unwrap()).collect()
    }

    #[test]
    fn finds_the_items_and_keeps_the_rest_of_the_response() {
        let response = br#" {"took":1,"items":[{"create":{"status":409}}],"errors":true,"took":2,"items":[7, {"index":{"status":201}} ,8],"x":{"items":[]}} "#;
        let job = read(response).unwrap();
        assert_eq!(String::from_utf8_lossy(job.frame()), r#"{"took":1,"items":0,"errors":true,"took":2,"items":0,"x":{"items":[]}}"#);
        // The last `items` counts.
        assert_eq!(items(&job), ["7", r#"{"index":{"status":201}}"#, "8"]);
        let span = job.items_span(1, 3);
        assert_eq!(&job.input()[span], br#"{"index":{"status":201}} ,8"#);
        assert_eq!(job.items_span(0, 0), 0..0);
        assert_eq!(job.items_span(2, 9), 0..0);
        for (text, frame) in [(&b"{}"[..], "{}"), (b"{\"items\":{}}", "{\"items\":0}"), (b"{\"it\\u0065ms\":[1]}", "{\"it\\u0065ms\":0}")] {
            let job = read(text).unwrap();
            assert_eq!(String::from_utf8_lossy(job.frame()).as_ref(), frame);
            assert_eq!(job.items(), usize::from(text.ends_with(b"[1]}")));
        }
    }

    #[test]
    fn refuses_what_is_not_a_bulk_response() {
        for bad in [&b"\"ab\""[..], b"7", b"[]", b"null", b"true"] {
            let err = read(bad).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::UnexpectedShape);
            assert!(err.message().starts_with("Bulk response is "), "{}", err.message());
        }
        for bad in [
            &b"<html>"[..],
            b"{\"items\":[1,]}",
            b"{\"a\":1} x",
            b"{\"items\":[null], x}",
            b"",
            b"{\"items\":[ ,1]}",
            b"{\"items\":[{\"a\":\"\\\"}]}",
        ] {
            let err = read(bad).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::InvalidJson, "{}", String::from_utf8_lossy(bad));
            assert!(err.message().starts_with("Bulk response is not valid JSON"));
        }
    }

    #[test]
    fn cuts_runs_of_items_by_length() {
        let job = read(br#"{"items":[1,22,333,4444,55555]}"#).unwrap();
        // Item 0 is "1" (0..1 from its start), item 1 ends 4 bytes from it, item 2 8, item 3 13.
        assert_eq!((0..=13).map(|n| job.items_within(0, n)).collect::<Vec<_>>(), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4]);
        assert_eq!(job.items_within(4, 1), 5);
        assert_eq!(job.items_within(5, 100), 5);
        assert_eq!(job.items_within(2, usize::MAX), 5);
    }

    #[test]
    fn leaves_the_items_themselves_to_json_parse() {
        // Brackets counted, strings skipped (escaped quotes and brackets in them included): the
        // text of each item is found, and checked where it is parsed.
        let job = read(br#"{"items":[{"a" 1} , "x\"],{" ,[{"b":"\\"}]]}"#).unwrap();
        assert_eq!(items(&job), [r#"{"a" 1}"#, r#""x\"],{""#, r#"[{"b":"\\"}]"#]);
    }

    #[test]
    fn a_job_in_slices_equals_one_step() {
        let response = br#"{"items":[{"create":{"status":409}},{"create":{"status":201}},5,{"index":{"status":500}}],"took":3}"#;
        let whole = read(response).unwrap();
        let mut job = Job::new(response.to_vec()).unwrap();
        let mut steps = 0;
        while !job.step(1).unwrap() {
            steps += 1;
        }
        assert_eq!(steps, 3);
        assert_eq!((items(&job), job.frame()), (items(&whole), whole.frame()));
    }
}
