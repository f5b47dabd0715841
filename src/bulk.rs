//! Documents → the NDJSON `_bulk` body (the original "prepare the payload for ingest in
//! elastic"), from an array of documents or straight from a query API response (the fused path:
//! the work of [`crate::rows`] and of this module in one pass, no objects built in between).
//!
//! For each document, as the original: `@timestamp` from `EndTime` (else the current time),
//! `customer.name` from the tenant name, `clean()` (drop `null` and `""` members and elements),
//! then a `create` action into the data stream with `_id` from `SystemAlertId`, else
//! `IncidentName`. Output bytes equal the original's `JSON.stringify` lines.
//!
//! Deliberate differences: an `EndTime` that is not a valid date falls back to `TimeGenerated`,
//! then to the current time, with a warning (the original threw and lost the whole batch); a
//! document that is not an object is skipped with a warning; no documents, no body.

use std::borrow::Cow;
use std::ops::Range;

use crate::date::{time_value, to_iso, write_iso_of_text};
use crate::json::clean::Cleaner;
use crate::json::number::parse_number;
use crate::json::reader::Reader;
use crate::json::string::{decode_token, write_escaped, written_token_end};
use crate::json::value::Value;
use crate::json::{append, describe, property_order, UNDEFINED_TOKEN};
use crate::nested;
use crate::response::Response;
use crate::revision::{revision_id, version_ticks, Ids};
use crate::table::{Cell, Layout, Progress, RowSink};
use crate::{Error, ErrorKind, Result};

/// What the documents need besides themselves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The data stream (`_index` of each action), `logs-azure_api` in the original.
    pub index: String,
    /// The tenant name as JSON text (as `JSON.stringify` gives it), when truthy.
    pub tenant_name: Option<Vec<u8>>,
    /// The current time in milliseconds since the epoch.
    pub now_ms: f64,
    /// How each `_id` in the data stream is made.
    pub ids: Ids,
    /// Without an `EndTime`, `@timestamp` from `TimeGenerated` (not the current time), so that a
    /// row read again is the same document.
    pub stable_timestamp: bool,
    /// An index that also receives each revision (an `index` action with the revision time as
    /// external version), so that it holds every alert's and incident's newest revision.
    pub latest_index: Option<String>,
    /// Columns of a query response that are not written into the documents (the reader's
    /// cursor columns); their cells in the first and the last row are kept (see [`Job::cursor`]).
    pub hidden: Vec<Vec<u8>>,
    /// Documents in the Elastic Common Schema, the original under a field of its own (see
    /// [`crate::ecs`]); `_id`s and versions stay those of the original.
    pub ecs: bool,
}

/// An NDJSON `_bulk` body.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulk {
    /// Action and document lines, each ending in `\n`; empty when there are no documents.
    pub ndjson: String,
    /// How many documents it holds.
    pub documents: usize,
    /// Warnings about skipped or repaired input, naming the document.
    pub warnings: Vec<String>,
}

/// Builds the body from `docs`, the JSON text of an array of documents.
pub fn from_documents(docs: &[u8], options: &Options) -> Result<Bulk> {
    let mut job = DocumentsJob::new(options, docs.len());
    job.push(docs)?;
    Ok(job.finish())
}

/// The body from an array of documents given in parts (each the JSON text of an array of the
/// next documents), so that the caller can let other work run between parts. The output is the
/// same as [`from_documents`] over the whole array.
pub struct DocumentsJob {
    writer: Writer,
    next: usize,
}

impl DocumentsJob {
    /// A job expecting about `input_len` bytes of documents in all.
    pub fn new(options: &Options, input_len: usize) -> Self {
        DocumentsJob { writer: Writer::new(options, input_len), next: 0 }
    }

    /// Writes the documents of `docs`, the JSON text of an array of the next documents.
    pub fn push(&mut self, docs: &[u8]) -> Result<()> {
        let writer = &mut self.writer;
        let mut r = Reader::new(docs);
        if r.peek() != Some(b'[') {
            let v = r.skip_value()?;
            return Err(Error::new(
                ErrorKind::UnexpectedShape,
                format!("msg.payload is {}, not an array of documents. Wire this node after sentinel-rows, or give it the query API response itself", describe(v)),
            ));
        }
        let mut members: Vec<(&[u8], Cell)> = Vec::new();
        if !r.open(b'[', b']')? {
            loop {
                let index = self.next;
                if r.peek() == Some(b'{') {
                    members.clear();
                    if !r.open(b'{', b'}')? {
                        loop {
                            let key = r.member_key()?;
                            let (text, plain) = r.skip_value_plain()?;
                            members.push((key, Cell { text, plain, decoded: None }));
                            if !r.next_or_close(b'}')? {
                                break;
                            }
                        }
                    }
                    writer.object_document(index, &members)?;
                } else {
                    let v = r.skip_value()?;
                    writer.warnings.push(format!("document {index} skipped: it is {}, not an object", describe(v)));
                }
                self.next += 1;
                if !r.next_or_close(b']')? {
                    break;
                }
            }
        }
        r.finish()
    }

    /// The NDJSON written since the last [`DocumentsJob::clear_pending`].
    pub fn pending(&self) -> &[u8] {
        &self.writer.out
    }

    /// Forgets the pending NDJSON, which the caller has taken: the output in the module's memory
    /// stays the size of a part instead of growing to the whole body.
    pub fn clear_pending(&mut self) {
        self.writer.out.clear();
    }

    /// The body (what is still pending), with the document count and warnings of all parts.
    pub fn finish(self) -> Bulk {
        self.writer.finish()
    }
}

/// Builds the body straight from a query API response: the rows of `tables[0]`, with the nested
/// fields parsed (warning as `sentinel-rows` does), become the documents. A [`Job`] run to
/// completion.
pub fn from_response(response: &[u8], options: &Options) -> Result<Bulk> {
    Job::new(response.to_vec(), options)?.finish()
}

/// The fused path a slice of rows at a time ([`Job::step`]), so that the caller can let other
/// work run in between: Node-RED runs every flow on one thread. The response is given whole
/// ([`Job::new`]) or in parts ([`Job::in_parts`], then [`Response::room`] and [`Response::wrote`]
/// whenever it is [`Response::hungry`]; see [`crate::response`]).
pub struct Job {
    /// The response, given whole or in parts (`room`, `wrote` whenever it is `hungry`).
    pub response: Response,
    sink: RowDocuments,
    warnings: Vec<String>,
    done: bool,
}

/// The output capacity a [`Job`] starts with: its caller takes the NDJSON after each step, so
/// the body never has to fit in the module's memory all at once.
const JOB_CAPACITY: usize = 1 << 20;

impl Job {
    /// Validates the response (UTF-8 JSON text) and finds its rows.
    pub fn new(response: Vec<u8>, options: &Options) -> Result<Job> {
        let len = response.len();
        Ok(Job::of(Response::whole(response)?, options, len))
    }

    /// A job to be given the response in parts (UTF-8 JSON text, cut anywhere).
    pub fn in_parts(options: &Options) -> Job {
        Job::of(Response::in_parts(), options, JOB_CAPACITY)
    }

    fn of(response: Response, options: &Options, len: usize) -> Job {
        let sink = RowDocuments::new(Writer::new(options, len.min(JOB_CAPACITY)));
        Job { response, sink, warnings: Vec::new(), done: false }
    }

    /// The NDJSON written since the last [`Job::clear_pending`].
    pub fn pending(&self) -> &[u8] {
        &self.sink.writer.out
    }

    /// Forgets the pending NDJSON, which the caller has taken.
    pub fn clear_pending(&mut self) {
        self.sink.writer.out.clear();
    }

    /// Writes up to `rows` more rows; true once every row is written.
    pub fn step(&mut self, rows: usize) -> Result<bool> {
        if !self.done {
            self.done = self.response.read(rows, &mut self.sink, &mut self.warnings)? == Progress::Done;
        }
        Ok(self.done)
    }

    /// The JSON text `{"first":{…},"last":{…},"error":…}`: the hidden columns' cells in the
    /// first and the last row read so far (`{}` before any row), and the response's top-level
    /// `error` member (a query that returned a partial result) or `null`, once every row is read.
    pub fn cursor(&self) -> String {
        let cells = |row: &[(Vec<u8>, Vec<u8>)]| {
            let mut out = b"{".to_vec();
            for (i, (name, text)) in row.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_escaped(&mut out, name);
                out.push(b':');
                out.extend_from_slice(text);
            }
            out.push(b'}');
            out
        };
        let mut out = b"{\"first\":".to_vec();
        out.extend_from_slice(&cells(&self.sink.first));
        out.extend_from_slice(b",\"last\":");
        out.extend_from_slice(&cells(&self.sink.last));
        out.extend_from_slice(b",\"error\":");
        out.extend_from_slice(self.response.error().unwrap_or(b"null"));
        out.push(b'}');
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The body (what is still pending), once [`Job::step`] has returned true (any rows left
    /// are written first), with the document count and warnings of the whole response.
    pub fn finish(mut self) -> Result<Bulk> {
        while !self.step(usize::MAX)? {
            if self.response.hungry() {
                return Err(crate::Error::new(crate::ErrorKind::InvalidInput, "internal error: the response was not given whole"));
            }
        }
        Ok(self.sink.finish(self.warnings))
    }
}

/// Writes each row of a query response as a document.
struct RowDocuments {
    writer: Writer,
    layout: Layout,
    /// The hidden columns' indexes and names.
    hidden: Vec<(usize, Vec<u8>)>,
    /// The hidden columns' cells in the first and the last row.
    first: Vec<(Vec<u8>, Vec<u8>)>,
    last: Vec<(Vec<u8>, Vec<u8>)>,
}

impl RowDocuments {
    fn new(writer: Writer) -> Self {
        RowDocuments { writer, layout: Layout::new(&[]), hidden: Vec::new(), first: Vec::new(), last: Vec::new() }
    }

    /// The body, with the conversion warnings first, as the two-node chain reports them.
    fn finish(self, mut warnings: Vec<String>) -> Bulk {
        let mut writer = self.writer;
        warnings.append(&mut writer.warnings);
        writer.warnings = warnings;
        writer.finish()
    }
}

impl<'a> RowSink<'a> for RowDocuments {
    fn columns(&mut self, names: &[Vec<u8>]) {
        let hidden_names = &self.writer.options.hidden;
        self.layout = Layout::new(names);
        self.layout.slots.retain(|slot| !hidden_names.contains(&slot.name));
        self.hidden = names.iter().enumerate().filter(|(_, n)| hidden_names.contains(n)).map(|(i, n)| (i, n.clone())).collect();
    }

    fn mark(&self) -> [usize; 3] {
        [self.writer.out.len(), self.writer.documents, self.writer.warnings.len()]
    }

    /// The hidden columns' cells of a row taken back stay in `first` and `last` until the row
    /// is read again: they are the same.
    fn back_to(&mut self, [len, documents, warnings]: [usize; 3]) {
        self.writer.out.truncate(len);
        self.writer.documents = documents;
        self.writer.warnings.truncate(warnings);
    }

    fn row(&mut self, index: usize, cells: &[Cell<'a>], decoded: &[u8], warnings: &mut Vec<String>) -> Result<()> {
        if !self.hidden.is_empty() {
            self.last =
                self.hidden.iter().map(|(i, name)| (name.clone(), cells.get(*i).map_or(b"null".to_vec(), |c| c.text.to_vec()))).collect();
            if self.first.is_empty() {
                self.first = self.last.clone();
            }
        }
        let w = &mut self.writer;
        w.row_document(index, &self.layout, cells, decoded)?;
        w.not_json.flush(warnings);
        Ok(())
    }
}

/// Where a property's value comes from.
#[derive(Debug, Clone)]
enum Source<'a> {
    /// JSON text in the input.
    Input(&'a [u8]),
    /// A string token in the input without escapes: copied as it is.
    Plain(&'a [u8]),
    /// A nested field's JSON text (decoded, in `local`), to be parsed as the original does; if it
    /// is not valid JSON, the cell (a string) is kept with the original's warning.
    Nested { text: &'a [u8], cell: &'a [u8], rank: usize, row: usize },
    /// JSON text in the writer's `local` buffer (parsed nested fields, set values).
    Local(Range<usize>),
    /// A property set to `undefined` (a cell missing from a short row).
    Undefined,
}

/// A document's property: its name (decoded, and as a JSON token) and its value.
#[derive(Debug, Clone)]
struct Property<'a, 'k> {
    name: &'k [u8],
    token: &'k [u8],
    value: Source<'a>,
}

struct Writer {
    options: Options,
    index_token: Vec<u8>,
    /// The latest index's name as a JSON token.
    latest_token: Option<Vec<u8>>,
    out: Vec<u8>,
    doc: Vec<u8>,
    local: Vec<u8>,
    cleaner: Cleaner,
    documents: usize,
    warnings: Vec<String>,
    /// The current row's "not valid JSON" warnings.
    not_json: nested::Warnings,
    /// `{"name":<tenant name>}` as the transfer JSON of a new `customer` (empty without a tenant).
    customer_name: Vec<u8>,
    /// The current time as `@timestamp` text.
    now_iso: String,
}

impl Writer {
    fn new(options: &Options, input_len: usize) -> Self {
        let mut index_token = Vec::new();
        write_escaped(&mut index_token, options.index.as_bytes());
        let latest_token = options.latest_index.as_ref().map(|name| {
            let mut token = Vec::new();
            write_escaped(&mut token, name.as_bytes());
            token
        });
        Writer {
            options: options.clone(),
            index_token,
            latest_token,
            // The NDJSON is usually 1.1-1.2 times the response; growing past the capacity would
            // copy it all (and keep both copies in the module's memory for a moment).
            out: Vec::with_capacity(input_len + input_len / 4),
            doc: Vec::new(),
            local: Vec::new(),
            cleaner: Cleaner::new(),
            documents: 0,
            warnings: Vec::new(),
            not_json: Default::default(),
            customer_name: customer_name(options.tenant_name.as_deref()),
            now_iso: to_iso(options.now_ms),
        }
    }

    /// A document from a row: the layout names the properties, the cells hold the values.
    fn row_document(&mut self, index: usize, layout: &Layout, cells: &[Cell], decoded: &[u8]) -> Result<()> {
        self.local.clear();
        let mut props: Vec<Property> = Vec::with_capacity(layout.slots.len() + 2);
        for slot in &layout.slots {
            let value = match cells.get(slot.column) {
                None => Source::Undefined,
                Some(cell) => match slot.nested.zip(cell.decoded.clone().and_then(|range| nested::candidate(&decoded[range]))) {
                    Some((rank, text)) => Source::Nested { text, cell: cell.text, rank, row: index },
                    None if cell.plain => Source::Plain(cell.text),
                    None => Source::Input(cell.text),
                },
            };
            props.push(Property { name: &slot.name, token: &slot.token, value });
        }
        self.document(index, props)
    }

    /// A document from an object's members (key token, value text), in input order.
    fn object_document(&mut self, index: usize, members: &[(&[u8], Cell)]) -> Result<()> {
        self.local.clear();
        // A key token without a backslash is its name in quotes and already written as
        // JSON.stringify writes it (the usual case: no copies); another is decoded, and written
        // again for the output.
        let mut rewritten: Vec<Option<(Vec<u8>, Vec<u8>)>> = Vec::with_capacity(members.len());
        for (token, _) in members {
            rewritten.push(match token.contains(&b'\\') {
                false => None,
                true => {
                    let mut name = Vec::new();
                    decode_token(&mut name, token, 0)?;
                    let mut escaped = Vec::new();
                    write_escaped(&mut escaped, &name);
                    Some((name, escaped))
                }
            });
        }
        let names: Vec<&[u8]> = members
            .iter()
            .zip(&rewritten)
            .map(|((token, _), r)| r.as_ref().map_or(&token[1..token.len() - 1], |(name, _)| name.as_slice()))
            .collect();
        let tokens: Vec<&[u8]> =
            members.iter().zip(&rewritten).map(|((token, _), r)| r.as_ref().map_or(*token, |(_, escaped)| escaped.as_slice())).collect();
        let order = property_order(&names);
        let props = order
            .iter()
            .filter(|&&i| names[i] != b"__proto__")
            .map(|&i| {
                let cell = &members[i].1;
                let value = if cell.text == UNDEFINED_TOKEN {
                    Source::Undefined
                } else if cell.plain {
                    Source::Plain(cell.text)
                } else {
                    Source::Input(cell.text)
                };
                Property { name: names[i], token: tokens[i], value }
            })
            .collect();
        self.document(index, props)
    }

    /// Sets `@timestamp` and `customer`, cleans, and writes the action and document lines.
    fn document(&mut self, index: usize, mut props: Vec<Property>) -> Result<()> {
        let start = self.local.len();
        self.local.push(b'"');
        if !plain_timestamp(&self.options, &self.now_iso, &props, &mut self.local) {
            let timestamp = self.timestamp(index, &props)?;
            self.local.extend_from_slice(timestamp.as_bytes());
        }
        self.local.push(b'"');
        set(&mut props, b"@timestamp", b"\"@timestamp\"", Source::Local(start..self.local.len()));
        if let Some(tenant) = &self.options.tenant_name {
            let current = props.iter().find(|p| p.name == b"customer").map(|p| self.value(&p.value)).transpose()?;
            // `doc.customer = doc.customer || {}`: a new object (`fresh`) or the present one.
            let (customer, fresh) = match current {
                None | Some(None) => (Some(Value::Object(Default::default())), true),
                Some(Some(v)) if !v.truthy() => (Some(Value::Object(Default::default())), true),
                Some(Some(v @ Value::Object(_))) => (Some(v), false),
                Some(Some(_)) => (None, false), // a truthy primitive or an array: the assignment has no visible effect
            };
            if let Some(mut customer) = customer {
                let start = self.local.len();
                if fresh && !self.customer_name.is_empty() {
                    // The same text for every such document.
                    self.local.extend_from_slice(&self.customer_name);
                } else {
                    if let Value::Object(o) = &mut customer {
                        o.set(b"name".to_vec(), Value::parse(tenant)?);
                    }
                    // Infinity stays a number here (clean() keeps it; it prints as null later).
                    self.local.extend_from_slice(&customer.to_transfer_json());
                }
                set(&mut props, b"customer", b"\"customer\"", Source::Local(start..self.local.len()));
            }
        }
        // The cleaned document, remembering where the id candidates went.
        self.doc.clear();
        self.doc.push(b'{');
        let (mut alert_id, mut incident_name) = (None, None);
        let (mut generated, mut modified) = (None, None);
        for p in &props {
            let mark = self.doc.len();
            if mark > 1 {
                self.doc.push(b',');
            }
            append(&mut self.doc, p.token);
            self.doc.push(b':');
            let value_start = self.doc.len();
            let (kept, text) = match &p.value {
                Source::Undefined => (false, &b""[..]),
                Source::Plain(t) => {
                    append(&mut self.doc, t);
                    (t.len() > 2, *t)
                }
                Source::Input(t) if self.cleaner.copy_clean(t, &mut self.doc) => (true, *t),
                Source::Input(t) => (self.cleaner.copy(&mut Reader::new(t), &mut self.doc)?, *t),
                Source::Local(range) => {
                    let t = &self.local[range.clone()];
                    // `@timestamp` (a string as JSON.stringify writes it) and `customer` (usually
                    // already clean) are copied as they are.
                    let kept = if t.len() > 2 && written_token_end(t, 0) == Some(t.len()) {
                        append(&mut self.doc, t);
                        true
                    } else {
                        self.cleaner.copy_clean(t, &mut self.doc) || self.cleaner.copy(&mut Reader::new(t), &mut self.doc)?
                    };
                    (kept, t)
                }
                Source::Nested { text, .. } if self.cleaner.copy_clean(text, &mut self.doc) => (true, *text),
                Source::Nested { text, cell, rank, row } => {
                    let t: &[u8] = text;
                    let mut r = Reader::new(t);
                    match self.cleaner.copy(&mut r, &mut self.doc).and_then(|kept| r.finish().map(|_| kept)) {
                        Ok(kept) => (kept, t),
                        Err(e) if nested::is_json(t) => return Err(e),
                        Err(_) => {
                            self.not_json.not_json(*row, *rank);
                            self.doc.truncate(value_start);
                            (self.cleaner.copy(&mut Reader::new(cell), &mut self.doc)?, *cell)
                        }
                    }
                }
            };
            if kept {
                match p.name {
                    b"SystemAlertId" => alert_id = Some((value_start..self.doc.len(), text)),
                    b"IncidentName" => incident_name = Some((value_start..self.doc.len(), text)),
                    b"TimeGenerated" => generated = Some(value_start..self.doc.len()),
                    b"LastModifiedTime" => modified = Some(value_start..self.doc.len()),
                    _ => {}
                }
            } else {
                self.doc.truncate(mark);
            }
        }
        self.doc.push(b'}');
        // The action line.
        // Grow by a quarter, not by doubling, when the estimate falls short.
        let need = self.doc.len() + self.index_token.len() + 256;
        if self.out.capacity() - self.out.len() < need {
            self.out.reserve_exact(need.max(self.out.capacity() / 4));
        }
        let id_of = |(range, source): (Range<usize>, &[u8]), doc: &[u8]| match doc[range.clone()].first() {
            // A string is its own id.
            Some(b'"') => Some(Text::Doc(range)),
            _ => id_token(&doc[range], source).map(Text::Owned),
        };
        let alert = alert_id.and_then(|id| id_of(id, &self.doc));
        let is_alert = alert.is_some();
        let mut id = alert.or_else(|| incident_name.and_then(|id| id_of(id, &self.doc)));
        // The revision time: an incident's LastModifiedTime, an alert's TimeGenerated (only
        // where revisions are written).
        let revisions = self.options.ids == Ids::Revision || self.latest_token.is_some();
        let mut time = [if is_alert { None } else { modified }, generated]
            .into_iter()
            .flatten()
            .filter(|_| revisions)
            .find_map(|range| string_token(&self.doc, range))
            .map(Text::Doc);
        if self.options.ecs {
            id = id.map(|t| Text::Owned(t.of(&self.doc).to_vec()));
            time = time.map(|t| Text::Owned(t.of(&self.doc).to_vec()));
            self.doc = crate::ecs::document_json(&self.doc)?;
        }
        let (id, time) = (id.as_ref().map(|t| t.of(&self.doc)), time.as_ref().map(|t| t.of(&self.doc)));
        let out = &mut self.out;
        out.extend_from_slice(b"{\"create\":{\"_index\":");
        out.extend_from_slice(&self.index_token);
        match (self.options.ids, id, time) {
            // A key token without escapes is its text in quotes, and so is `key@time`.
            (Ids::Revision, Some(key), Some(time)) if !has_backslash(key) => {
                out.extend_from_slice(b",\"_id\":");
                out.extend_from_slice(&key[..key.len() - 1]);
                out.push(b'@');
                out.extend_from_slice(time);
                out.push(b'"');
            }
            (Ids::Revision, Some(key), Some(time)) => {
                out.extend_from_slice(b",\"_id\":");
                out.extend_from_slice(&token_of(&revision_id(&token_text(key), time)));
            }
            (_, Some(id), _) => {
                out.extend_from_slice(b",\"_id\":");
                out.extend_from_slice(id);
            }
            _ => {}
        }
        out.extend_from_slice(b"}}\n");
        out.extend_from_slice(&self.doc);
        out.push(b'\n');
        if let (Some(latest), Some(key), Some(time)) = (&self.latest_token, id, time) {
            if let Some(version) = version_ticks(time) {
                out.extend_from_slice(b"{\"index\":{\"_index\":");
                out.extend_from_slice(latest);
                out.extend_from_slice(b",\"_id\":");
                out.extend_from_slice(key);
                out.extend_from_slice(b",\"version\":");
                out.extend_from_slice(version.to_string().as_bytes());
                out.extend_from_slice(b",\"version_type\":\"external\"}}\n");
                out.extend_from_slice(&self.doc);
                out.push(b'\n');
            }
        }
        self.documents += 1;
        Ok(())
    }

    /// The `@timestamp` of a document: `EndTime` when truthy and a valid date; when it is not a
    /// valid date, `TimeGenerated` (if valid) with a warning; else the current time.
    fn timestamp(&mut self, index: usize, props: &[Property]) -> Result<String> {
        let now = || self.now_iso.clone();
        let generated =
            || -> Result<Option<f64>> { Ok(self.find(props, b"TimeGenerated")?.filter(Value::truthy).and_then(|v| time_value(&v))) };
        // Without an EndTime, the original takes the current time; a revision takes its
        // TimeGenerated, so that it is the same document when it is read again.
        let absent = || -> Result<String> {
            Ok(match (self.options.stable_timestamp, generated()?) {
                (true, Some(t)) => to_iso(t),
                _ => now(),
            })
        };
        let Some(end_time) = self.find(props, b"EndTime")? else {
            return absent();
        };
        if !end_time.truthy() {
            return absent();
        }
        if let Some(t) = time_value(&end_time) {
            return Ok(to_iso(t));
        }
        let shown = String::from_utf8_lossy(&end_time.to_json()).chars().take(80).collect::<String>();
        let (iso, from) = match generated()? {
            Some(t) => (to_iso(t), "TimeGenerated"),
            None => (now(), "the current time"),
        };
        self.warnings.push(format!("document {index}: EndTime {shown} is not a valid date; @timestamp set from {from} instead"));
        Ok(iso)
    }

    fn find(&self, props: &[Property], name: &[u8]) -> Result<Option<Value>> {
        Ok(match props.iter().find(|p| p.name == name) {
            Some(p) => self.value(&p.value)?,
            None => None,
        })
    }

    /// The value of a property (`None` for undefined).
    fn value(&self, source: &Source) -> Result<Option<Value>> {
        Ok(match source {
            Source::Undefined => None,
            Source::Input(t) | Source::Plain(t) => Some(Value::parse(t)?),
            Source::Local(range) => Some(Value::parse(&self.local[range.clone()])?),
            Source::Nested { text, cell, .. } => Some(Value::parse(text).or_else(|_| Value::parse(cell))?),
        })
    }

    fn finish(self) -> Bulk {
        // Every byte written is UTF-8: tokens are copied from UTF-8 input or escaped.
        let ndjson = String::from_utf8(self.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Bulk { ndjson, documents: self.documents, warnings: self.warnings }
    }
}

/// The transfer JSON of `{name: tenant}` (the tenant as JSON text), or nothing without one or
/// when it is not JSON (the first document then reports that).
fn customer_name(tenant: Option<&[u8]>) -> Vec<u8> {
    let Some(Ok(name)) = tenant.map(Value::parse) else {
        return Vec::new();
    };
    let mut customer = crate::json::value::Object::new();
    customer.set(b"name".to_vec(), name);
    // Infinity stays a number here (clean() keeps it; it prints as null later).
    Value::Object(customer).to_transfer_json()
}

/// Appends the `@timestamp` (as [`Writer::timestamp`] gives it) when the dates it depends on are
/// absent or strings without escapes (as the query API writes them) and `EndTime`, if set, is a
/// valid date: read without making values. False, having written nothing, leaves the rest (and
/// the warning) to [`Writer::timestamp`].
fn plain_timestamp(options: &Options, now_iso: &str, props: &[Property], out: &mut Vec<u8>) -> bool {
    let (Some(end), Some(generated)) = (plain_text(props, b"EndTime"), plain_text(props, b"TimeGenerated")) else {
        return false;
    };
    if let Some(end) = end.filter(|t| !t.is_empty()) {
        return write_iso_of_text(out, end);
    }
    if options.stable_timestamp && generated.is_some_and(|t| !t.is_empty() && write_iso_of_text(out, t)) {
        return true;
    }
    out.extend_from_slice(now_iso.as_bytes());
    true
}

/// The text of the property `name` when it is absent or undefined (`Some(None)`) or a string
/// token without escapes (`Some(Some(text))`); `None` for any other value.
fn plain_text<'p>(props: &'p [Property], name: &[u8]) -> Option<Option<&'p [u8]>> {
    match props.iter().find(|p| p.name == name).map(|p| &p.value) {
        None | Some(Source::Undefined) => Some(None),
        Some(Source::Plain(t)) => Some(Some(&t[1..t.len() - 1])),
        Some(_) => None,
    }
}

/// Sets a property as `doc[name] = value` does: in place when present, else at the end.
fn set<'a, 'k>(props: &mut Vec<Property<'a, 'k>>, name: &'k [u8], token: &'k [u8], value: Source<'a>) {
    match props.iter_mut().find(|p| p.name == name) {
        Some(p) => p.value = value,
        None => props.push(Property { name, token, value }),
    }
}

/// Where the text of the JSON string token at `range` of `doc` is, when it has no escapes (a
/// date-time as the query API writes it).
fn string_token(doc: &[u8], range: Range<usize>) -> Option<Range<usize>> {
    let token = &doc[range.clone()];
    let inner = token.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    (!inner.is_empty() && !has_backslash(inner)).then(|| range.start + 1..range.end - 1)
}

/// Whether a short text (an `_id`, a date-time) holds a backslash: every byte looked at, which
/// the module does sixteen at a time, where a search stops at the first (`contains`) a byte at a
/// time.
fn has_backslash(text: &[u8]) -> bool {
    text.iter().fold(false, |found, &b| found | (b == b'\\'))
}

/// An `_id` or a revision time: a span of the document, or text of its own.
enum Text {
    Doc(Range<usize>),
    Owned(Vec<u8>),
}

impl Text {
    fn of<'d>(&'d self, doc: &'d [u8]) -> &'d [u8] {
        match self {
            Text::Doc(range) => &doc[range.clone()],
            Text::Owned(text) => text,
        }
    }
}

/// The decoded text of a JSON string token.
fn token_text(token: &[u8]) -> Cow<'_, [u8]> {
    if let Some(inner) = token.strip_prefix(b"\"").and_then(|t| t.strip_suffix(b"\"")).filter(|t| !t.contains(&b'\\')) {
        return Cow::Borrowed(inner);
    }
    let mut text = Vec::new();
    match decode_token(&mut text, token, 0) {
        Ok(_) => Cow::Owned(text),
        Err(_) => Cow::Borrowed(token),
    }
}

/// A text as a JSON string token.
fn token_of(text: &[u8]) -> Vec<u8> {
    let mut token = Vec::new();
    write_escaped(&mut token, text);
    token
}

/// `String(doc.SystemAlertId)` as a JSON token when the cleaned value (`cleaned`, written from
/// `source`) is truthy.
fn id_token(cleaned: &[u8], source: &[u8]) -> Option<Vec<u8>> {
    let string = match cleaned.first()? {
        b'"' => return Some(cleaned.to_vec()),
        b't' => b"true".to_vec(),
        b'f' => return None,
        b'{' => b"[object Object]".to_vec(),
        b'[' => Value::parse(source.trim_ascii()).ok()?.to_cleaned_js_string(),
        // A number too large for a double prints as null but is Infinity to JavaScript; NaN is falsy.
        b'n' => match parse_number(source.trim_ascii()) {
            n if n.is_nan() => return None,
            n => Value::Number(n).to_js_string(),
        },
        _ if cleaned == b"0" => return None,
        _ => cleaned.to_vec(),
    };
    let mut token = Vec::new();
    write_escaped(&mut token, &string);
    Some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(tenant: Option<&str>) -> Options {
        Options {
            index: "logs-azure_api".into(),
            tenant_name: tenant.map(|t| t.as_bytes().to_vec()),
            now_ms: 1_763_546_400_000.0,
            ..Default::default()
        }
    }

    #[test]
    fn revisions_are_documents_of_their_own_and_the_latest_index_keeps_the_newest() {
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated"},{"name":"IncidentName"},{"name":"LastModifiedTime"},{"name":"Status"},{"name":"CursorIngestionTime"}],"rows":[
            ["2025-11-19T10:00:00.5Z","inc-1","2025-11-19T09:59:59.1234567Z","New","2025-11-19T10:01:00.0000001Z"],
            ["2025-11-19T10:05:00Z","al\"t","","Active","2025-11-19T10:06:00Z"]]}],"error":{"code":"PartialError"}}"#;
        let revisions = Options {
            ids: Ids::Revision,
            stable_timestamp: true,
            latest_index: Some("sentinel-incidents-latest".into()),
            hidden: vec![b"CursorIngestionTime".to_vec()],
            ..options(None)
        };
        let mut job = Job::new(response.to_vec(), &revisions).unwrap();
        assert!(job.step(1).is_ok());
        assert_eq!(
            job.cursor(),
            r#"{"first":{"CursorIngestionTime":"2025-11-19T10:01:00.0000001Z"},"last":{"CursorIngestionTime":"2025-11-19T10:01:00.0000001Z"},"error":null}"#
        );
        while !job.step(1).unwrap() {}
        assert_eq!(
            job.cursor(),
            r#"{"first":{"CursorIngestionTime":"2025-11-19T10:01:00.0000001Z"},"last":{"CursorIngestionTime":"2025-11-19T10:06:00Z"},"error":{"code":"PartialError"}}"#
        );
        let bulk = job.finish().unwrap();
        let doc1 = r#"{"TimeGenerated":"2025-11-19T10:00:00.5Z","IncidentName":"inc-1","LastModifiedTime":"2025-11-19T09:59:59.1234567Z","Status":"New","@timestamp":"2025-11-19T10:00:00.500Z"}"#;
        let doc2 =
            r#"{"TimeGenerated":"2025-11-19T10:05:00Z","IncidentName":"al\"t","Status":"Active","@timestamp":"2025-11-19T10:05:00.000Z"}"#;
        let expected = [
            r#"{"create":{"_index":"logs-azure_api","_id":"inc-1@2025-11-19T09:59:59.1234567Z"}}"#,
            doc1,
            r#"{"index":{"_index":"sentinel-incidents-latest","_id":"inc-1","version":17635463991234567,"version_type":"external"}}"#,
            doc1,
            // No LastModifiedTime: the revision time is TimeGenerated.
            r#"{"create":{"_index":"logs-azure_api","_id":"al\"t@2025-11-19T10:05:00Z"}}"#,
            doc2,
            r#"{"index":{"_index":"sentinel-incidents-latest","_id":"al\"t","version":17635467000000000,"version_type":"external"}}"#,
            doc2,
        ];
        assert_eq!(bulk.ndjson, expected.iter().map(|l| format!("{l}\n")).collect::<String>());
        assert_eq!(bulk.documents, 2);

        // An alert's revision time is its TimeGenerated, even when it has a LastModifiedTime.
        let alert = br#"{"tables":[{"columns":[{"name":"SystemAlertId"},{"name":"TimeGenerated"},{"name":"LastModifiedTime"},{"name":"EndTime"}],"rows":[["a1","2025-11-19T10:00:00Z","2025-11-19T11:00:00Z","2025-11-19T09:00:00Z"]]}]}"#;
        let bulk = from_response(alert, &Options { ids: Ids::Revision, ..options(None) }).unwrap();
        assert!(bulk.ndjson.starts_with(r#"{"create":{"_index":"logs-azure_api","_id":"a1@2025-11-19T10:00:00Z"}}"#), "{}", bulk.ndjson);
        assert!(bulk.ndjson.contains(r#""@timestamp":"2025-11-19T09:00:00.000Z""#));

        // The original's ids (first version only) with the latest index still kept up to date.
        let first = Options { latest_index: Some("latest".into()), stable_timestamp: true, ..options(None) };
        let bulk = from_response(response, &first).unwrap();
        let lines: Vec<&str> = bulk.ndjson.lines().collect();
        assert_eq!(lines[0], r#"{"create":{"_index":"logs-azure_api","_id":"inc-1"}}"#);
        assert_eq!(lines[2], r#"{"index":{"_index":"latest","_id":"inc-1","version":17635463991234567,"version_type":"external"}}"#);
    }

    #[test]
    fn writes_documents_like_the_original() {
        let docs = br#"[{"SystemAlertId":"a1","EndTime":"2025-11-19T10:00:00.1234567Z","X":null,"E":{"k":"","l":[null,1]}},{"IncidentName":7,"customer":{"id":1}}]"#;
        let bulk = from_documents(docs, &options(Some("\"Contoso\""))).unwrap();
        assert_eq!(
            bulk.ndjson,
            concat!(
                "{\"create\":{\"_index\":\"logs-azure_api\",\"_id\":\"a1\"}}\n",
                "{\"SystemAlertId\":\"a1\",\"EndTime\":\"2025-11-19T10:00:00.1234567Z\",\"E\":{\"l\":[1]},\"@timestamp\":\"2025-11-19T10:00:00.123Z\",\"customer\":{\"name\":\"Contoso\"}}\n",
                "{\"create\":{\"_index\":\"logs-azure_api\",\"_id\":\"7\"}}\n",
                "{\"IncidentName\":7,\"customer\":{\"id\":1,\"name\":\"Contoso\"},\"@timestamp\":\"2025-11-19T10:00:00.000Z\"}\n",
            )
        );
        assert_eq!(bulk.documents, 2);
    }

    #[test]
    fn falls_back_when_end_time_is_invalid() {
        let docs = br#"[{"EndTime":"soon","TimeGenerated":"2025-11-19T08:00:00Z"}, 5]"#;
        let bulk = from_documents(docs, &options(None)).unwrap();
        assert!(bulk.ndjson.contains("\"@timestamp\":\"2025-11-19T08:00:00.000Z\""));
        assert_eq!(bulk.documents, 1);
        assert!(bulk.warnings[0].contains("EndTime \"soon\" is not a valid date"), "{:?}", bulk.warnings);
        assert!(bulk.warnings[1].starts_with("document 1 skipped"));
    }

    #[test]
    fn fused_path_equals_rows_then_documents() {
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"SystemAlertId"},{"name":"Entities"},{"name":"EndTime"},{"name":"Owner"}],"rows":[["id-1","[{\"$id\":\"1\",\"x\":null}]","2025-11-19T10:00:00.1234567Z","{bad"],["id-2",null,null,"{\"a\":1}"]]}]}"#;
        let rows = crate::rows::convert(response).unwrap();
        let two_step = from_documents(&rows.json, &options(Some("\"T\""))).unwrap();
        let fused = from_response(response, &options(Some("\"T\""))).unwrap();
        assert_eq!(fused.ndjson, two_step.ndjson);
        assert_eq!(fused.warnings, rows.warnings);
    }

    #[test]
    fn undefined_properties_keep_their_place() {
        // As core.js writes [{"a":1,"@timestamp":undefined,"customer":undefined,"b":{"x":undefined}},{}].
        let docs =
            crate::json::tag::read_js_text(br#"[{"a":1,"@timestamp":undefined,"customer":undefined,"b":{"x":undefined}},{}]"#).unwrap();
        let bulk = from_documents(&docs, &options(Some("\"T\""))).unwrap();
        let lines: Vec<&str> = bulk.ndjson.lines().collect();
        assert_eq!(lines[1], r#"{"a":1,"@timestamp":"2025-11-19T10:00:00.000Z","customer":{"name":"T"},"b":{}}"#);
        assert_eq!(lines[3], r#"{"@timestamp":"2025-11-19T10:00:00.000Z","customer":{"name":"T"}}"#);
    }

    #[test]
    fn a_job_in_slices_equals_the_fused_path() {
        let responses: [&[u8]; 5] = [
            br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"SystemAlertId"},{"name":"Entities"},{"name":"EndTime"}],"rows":[["a","[{\"x\":null}]","soon"],7,["b","{bad",null],["c"]]}]}"#,
            br#"{"tables":[{"rows":[["x"]],"columns":[{"name":"IncidentName"}]}],"other":1}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[]}]}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]},{"rows":1,"rows":2}],"more":[1,{"tables":2}]}"#,
            br#"{"x":{"tables":1},"tables":[{"name":"PrimaryResult","columns":[{"name":"SystemAlertId"}],"rows":[["q"],["r"]]}]}"#,
        ];
        for response in responses {
            let whole = from_response(response, &options(Some("\"T\""))).unwrap();
            for slice in [1, 2, 100] {
                let mut job = Job::new(response.to_vec(), &options(Some("\"T\""))).unwrap();
                let mut steps = 0;
                while !job.step(slice).unwrap() {
                    steps += 1;
                }
                assert!(steps < 10);
                assert_eq!(job.finish().unwrap(), whole, "{}", String::from_utf8_lossy(response));
            }
            // Taking the pending text after every step gives the same body.
            let mut job = Job::new(response.to_vec(), &options(Some("\"T\""))).unwrap();
            let mut taken = Vec::new();
            loop {
                let done = job.step(1).unwrap();
                taken.extend_from_slice(job.pending());
                job.clear_pending();
                assert!(job.pending().is_empty());
                if done {
                    break;
                }
            }
            let rest = job.finish().unwrap();
            taken.extend_from_slice(rest.ndjson.as_bytes());
            assert_eq!(taken, whole.ndjson.as_bytes(), "{}", String::from_utf8_lossy(response));
            assert_eq!((rest.documents, &rest.warnings), (whole.documents, &whole.warnings));
        }
        // Trailing text, a syntax error or a key named again after the rows is found by the
        // last step.
        for bad in [
            &b"{\"tables\":[{\"columns\":[],\"rows\":[]}] x"[..],
            b"{\"tables\":[{\"columns\":[],\"rows\":[[1]]},]}",
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"rows":[["y"],["z"]]}]}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"],7]}],"tables":[{"columns":[{"name":"b"}],"rows":[["y"]]}]}"#,
        ] {
            let mut job = Job::new(bad.to_vec(), &options(None)).unwrap();
            let mut step = job.step(1);
            while let Ok(false) = step {
                step = job.step(1);
            }
            assert!(step.is_err(), "{}", String::from_utf8_lossy(bad));
            assert!(from_response(bad, &options(None)).is_err());
        }
        // A shape error before the rows waits for the whole text: a syntax error counts first.
        assert_eq!(
            Job::new(br#"{"tables":[{"columns":5,"rows":[]}], x}"#.to_vec(), &options(None)).err().map(|e| e.kind()),
            Some(ErrorKind::InvalidJson)
        );
    }

    /// A job's NDJSON (pending taken after every step), documents, warnings and cursor, or its
    /// error, with the response given whole or in parts of `part` bytes.
    fn run(response: &[u8], options: &Options, part: Option<usize>) -> Result<(Vec<u8>, usize, Vec<String>, String)> {
        let mut job = match part {
            None => Job::new(response.to_vec(), options)?,
            Some(_) => Job::in_parts(options),
        };
        let (mut given, mut taken) = (0, Vec::new());
        loop {
            while job.response.hungry() {
                let end = (given + part.unwrap_or(usize::MAX)).min(response.len());
                job.response.room(end - given + 5)[..end - given].copy_from_slice(&response[given..end]);
                job.response.wrote(end - given, end == response.len());
                given = end;
            }
            let done = job.step(2)?;
            taken.extend_from_slice(job.pending());
            job.clear_pending();
            if done {
                break;
            }
        }
        let cursor = job.cursor();
        let rest = job.finish()?;
        taken.extend_from_slice(rest.ndjson.as_bytes());
        Ok((taken, rest.documents, rest.warnings, cursor))
    }

    #[test]
    fn a_response_in_parts_cut_anywhere_gives_what_the_whole_gives() {
        let responses: [&[u8]; 8] = [
            br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"SystemAlertId"},{"name":"Entities"},{"name":"EndTime"},{"name":"TimeGenerated"},{"name":"_ingested"}],"rows":[["a","[{\"x\":null}]","soon","2025-11-19T10:00:00.1234567Z","t1"],7,["b","{bad",null,"2025-11-19T10:00:01Z","t2"],["c\u00e9\ud83d\ude00"],["d",null,"",-0.5e1,"t3"]]}],"error":{"code":"PartialError","message":"after"}}"#,
            br#"{"error":{"code":"PartialError"},"tables":[{"columns":[{"name":"IncidentName"},{"name":"LastModifiedTime"},{"name":"_ingested"}],"rows":[["i1","2025-11-19T10:00:00Z","t1"],["i2","2025-11-19T11:00:00Z","t2"]]}]}"#,
            br#"{"tables":[{"rows":[["x"]],"columns":[{"name":"IncidentName"}]}],"other":1}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[]}]}"#,
            br#"{"error":1,"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]}],"error":2}"#,
            // Errors: in a row, after the rows, a key named twice.
            br#"{"tables":[{"columns":[{"name":"SystemAlertId"}],"rows":[["x"],["y",],["z"]]}]}"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]]}] x"#,
            br#"{"tables":[{"columns":[{"name":"a"}],"rows":[["x"]],"rows":[["y"],["z"]]}]}"#,
        ];
        let plain = options(Some("\"T\""));
        let incremental = Options {
            ids: Ids::Revision,
            stable_timestamp: true,
            latest_index: Some("latest".into()),
            hidden: vec![b"_ingested".to_vec()],
            ..options(Some("\"T\""))
        };
        for response in responses {
            for options in [&plain, &incremental] {
                let whole = run(response, options, None);
                for part in 1..=response.len() {
                    assert_eq!(run(response, options, Some(part)), whole, "{} in parts of {part}", String::from_utf8_lossy(response));
                }
            }
        }
    }

    #[test]
    fn documents_in_parts_equal_the_whole_array() {
        let whole = br#"[{"SystemAlertId":"a","EndTime":"soon"},7,{"IncidentName":"b","x":null},{}]"#;
        let expected = from_documents(whole, &options(Some("\"T\""))).unwrap();
        let mut job = DocumentsJob::new(&options(Some("\"T\"")), whole.len());
        let mut taken = Vec::new();
        for part in [&br#"[{"SystemAlertId":"a","EndTime":"soon"},7]"#[..], br#"[]"#, br#"[{"IncidentName":"b","x":null},{}]"#] {
            job.push(part).unwrap();
            taken.extend_from_slice(job.pending());
            job.clear_pending();
        }
        let rest = job.finish();
        assert!(rest.ndjson.is_empty());
        assert_eq!(taken, expected.ndjson.as_bytes());
        assert_eq!((rest.documents, &rest.warnings), (expected.documents, &expected.warnings));
        assert!(expected.warnings[1].starts_with("document 1 skipped"));
    }

    /// (cleaned value, source text, expected `_id` token)
    type IdCase<'a> = (&'a [u8], &'a [u8], Option<&'a [u8]>);

    #[test]
    fn ids_follow_javascript_string_conversion() {
        let cases: [IdCase; 7] = [
            (b"\"x\"", b"\"x\"", Some(b"\"x\"")),
            (b"12", b"12", Some(b"\"12\"")),
            (b"0", b"0", None),
            (b"true", b"true", Some(b"\"true\"")),
            (b"[1,[2]]", b"[1,[2]]", Some(b"\"1,2\"")),
            (b"null", b"1e400", Some(b"\"Infinity\"")),
            (b"[[null]]", b"[[1e400,null]]", Some(b"\"Infinity\"")),
        ];
        for (cleaned, source, expected) in cases {
            assert_eq!(id_token(cleaned, source).as_deref(), expected, "{}", String::from_utf8_lossy(cleaned));
        }
    }
}
