//! The JavaScript surface: the only module that knows about `wasm_bindgen`.
//!
//! Text crosses as strings and payloads as bytes (`Uint8Array`/`Buffer`), written by the
//! JavaScript side straight into an [`Input`]. Small results come back as plain JavaScript
//! objects through `serde_wasm_bindgen` ([`to_js`]); the large ones come from jobs, a step at a
//! time (rows as JSON text, NDJSON and `_bulk` items read in place in the module's memory), so
//! no result is copied twice. JSON text that JavaScript parses comes with the side channel of
//! `json::tag` ([`Json`]), so that `undefined` and `NaN` in a payload come back where they were.
//! Every error becomes a JavaScript `Error`
//! whose message is the crate's. The current time comes from the caller, randomness from
//! `crypto.getRandomValues` through `getrandom`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::assertion::{self, Algorithm, Assertion, PrivateKey};
use crate::json::ascii::non_ascii_spans;
use crate::json::tag;
use crate::revision::Ids;
use crate::{bulk, bulk_result, explain, incidents, request, rows, Error};

type JsResult<T> = std::result::Result<T, JsError>;

fn js_error(e: Error) -> JsError {
    JsError::new(e.message())
}

/// A small value as a plain JavaScript object (`json_compatible`: objects, not `Map`s).
fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&format!("internal error: {e}")))
}

/// JSON text for `JSON.parse`, and where `undefined` and `NaN` go back once it is parsed (the
/// JSON text of `json::tag::Untagged::tags`; absent when there are none).
#[derive(Serialize)]
struct Json {
    json: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<String>,
}

impl Json {
    /// From JSON text, which may hold tags when it came from a tagged input.
    fn new(text: Vec<u8>, tagged: bool) -> JsResult<Json> {
        let (json, tags) = js_text(text, tagged)?;
        Ok(Json { json: utf8(json)?, tags })
    }
}

fn utf8(bytes: Vec<u8>) -> JsResult<String> {
    String::from_utf8(bytes).map_err(|_| JsError::new("internal error: JSON text for JavaScript is not UTF-8"))
}

/// The defaults of the drop-in nodes' settings (see `request::Defaults`).
#[wasm_bindgen]
pub fn defaults() -> JsResult<JsValue> {
    to_js(&request::DEFAULTS)
}

/// How deep values may nest (the JavaScript side refuses deeper payloads with the same words).
#[wasm_bindgen(js_name = maxDepth)]
pub fn max_depth() -> usize {
    crate::json::clean::MAX_DEPTH
}

/// A parsed RSA private key, kept across signatures.
#[wasm_bindgen]
pub struct SigningKey {
    key: PrivateKey,
}

#[wasm_bindgen]
impl SigningKey {
    /// Parses a PKCS#8 or PKCS#1 PEM (also the one-line form with literal `\n`).
    #[wasm_bindgen(constructor)]
    pub fn new(pem: &str) -> JsResult<SigningKey> {
        Ok(SigningKey { key: PrivateKey::from_pem(pem).map_err(js_error)? })
    }

    /// Signs a client assertion; returns `{assertion, claims}`, the claims as [`Json`].
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = createAssertion)]
    pub fn create_assertion(
        &self,
        client_id: &str,
        tenant_id: &str,
        authority_host: &str,
        now_seconds: f64,
        lifetime: f64,
        jti: Option<String>,
        algorithm: &str,
        kid: Option<String>,
        x5t: Option<String>,
        x5t_s256: Option<String>,
    ) -> JsResult<JsValue> {
        let jti = jti.unwrap_or_else(random_uuid);
        let params = Assertion {
            client_id,
            tenant_id,
            authority_host,
            now: now_seconds as i64,
            lifetime: lifetime.max(0.0) as u64,
            jti: &jti,
            algorithm: Algorithm::parse(algorithm).map_err(js_error)?,
            kid: kid.as_deref(),
            x5t: x5t.as_deref(),
            x5t_s256: x5t_s256.as_deref(),
        };
        let (jws, claims) = assertion::create(&self.key, &params, &mut getrandom::SysRng).map_err(js_error)?;
        #[derive(Serialize)]
        struct Signed {
            assertion: String,
            claims: Json,
        }
        to_js(&Signed { assertion: jws, claims: Json::new(claims.into_bytes(), false)? })
    }
}

/// `{x5t, x5tS256}`: base64url SHA-1 and SHA-256 thumbprints of a certificate PEM.
#[wasm_bindgen]
pub fn thumbprints(cert_pem: &str) -> JsResult<JsValue> {
    #[derive(Serialize)]
    struct Thumbprints<'a> {
        x5t: &'a str,
        #[serde(rename = "x5tS256")]
        x5t_s256: &'a str,
    }
    let t = assertion::thumbprints(cert_pem).map_err(js_error)?;
    to_js(&Thumbprints { x5t: &t.x5t, x5t_s256: &t.x5t_s256 })
}

/// A random version-4 UUID from the platform's cryptographic random source.
#[wasm_bindgen(js_name = uuidV4)]
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    // getrandom fails only where there is no random source at all (not Node.js, not a browser).
    if getrandom::fill(&mut bytes).is_err() {
        wasm_bindgen::throw_str("no cryptographic random source: crypto.getRandomValues is missing");
    }
    assertion::uuid_v4(bytes)
}

/// `{url, payload}` of the Entra ID token request.
#[wasm_bindgen(js_name = tokenRequest)]
pub fn token_request(authority_host: &str, tenant_id: &str, client_id: &str, scope: &str, client_assertion: &str) -> JsResult<JsValue> {
    to_js(&request::token_request(authority_host, tenant_id, client_id, scope, client_assertion).map_err(js_error)?)
}

/// `{url, query}` of the Log Analytics query request.
#[wasm_bindgen(js_name = queryRequest)]
pub fn query_request(host: &str, workspace_id: &str, table: &str, retention: &str, limit: f64) -> JsResult<JsValue> {
    let limit = request::row_limit(limit).map_err(js_error)?;
    to_js(&request::query_request(host, workspace_id, table, retention, limit).map_err(js_error)?)
}

/// Checks a query node's settings (see `request::check_query_settings`).
#[wasm_bindgen(js_name = checkQuerySettings)]
pub fn check_query_settings(host: &str, table: &str, retention: &str, limit: f64) -> JsResult<()> {
    let limit = request::row_limit(limit).map_err(js_error)?;
    request::check_query_settings(host, table, retention, limit).map_err(js_error)
}

/// The query API URL of a workspace.
#[wasm_bindgen(js_name = queryUrl)]
pub fn query_url(host: &str, workspace_id: &str) -> JsResult<String> {
    request::query_url(host, workspace_id).map_err(js_error)
}

/// The origin (`scheme://host[:port]`) of a host setting without a path, checked as for the
/// authority and query hosts (the one host rule: request::origin).
#[wasm_bindgen]
pub fn origin(host: &str) -> JsResult<String> {
    request::origin(host).map_err(js_error)
}

/// The `_bulk` URL for an Elasticsearch origin and an ingest pipeline.
#[wasm_bindgen(js_name = bulkUrl)]
pub fn bulk_url(host: &str, pipeline: &str) -> JsResult<String> {
    request::bulk_url(host, pipeline).map_err(js_error)
}

/// What a job gives when it finishes: the rest of its text (NDJSON, read in place), how many
/// items it holds, warnings, and an extra text. JavaScript turns the bytes into a string far
/// faster than wasm-bindgen's `TextDecoder` does when they are ASCII, as they mostly are.
#[wasm_bindgen]
pub struct Output {
    text: Vec<u8>,
    count: usize,
    warnings: Vec<String>,
    extra: Option<String>,
}

#[wasm_bindgen]
impl Output {
    /// Where the text's bytes are in the module's memory (see [`wasm_memory`]), so that JavaScript
    /// can read them in place instead of copying them out first.
    #[wasm_bindgen(js_name = textPtr)]
    pub fn text_ptr(&self) -> usize {
        self.text.as_ptr() as usize
    }

    /// How many bytes the text has.
    #[wasm_bindgen(js_name = textLen)]
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Where the text holds characters outside ASCII (see `json::ascii::non_ascii_spans`), so
    /// that JavaScript decodes only those spans as UTF-8 and copies the rest as Latin-1.
    #[wasm_bindgen(js_name = textSpans)]
    pub fn text_spans(&self) -> Vec<u32> {
        non_ascii_spans(&self.text)
    }

    /// How many rows or documents the text holds.
    #[wasm_bindgen(getter)]
    pub fn count(&self) -> usize {
        self.count
    }

    /// Warnings about skipped or repaired input.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Rows: the property names as a JSON array when a row was shorter than the columns.
    #[wasm_bindgen(getter)]
    pub fn extra(&self) -> Option<String> {
        self.extra.clone()
    }
}

/// Where `text` holds characters outside ASCII, as a job's `pendingSpans` gives them.
#[wasm_bindgen(js_name = nonAsciiSpans)]
pub fn non_ascii_spans_of(text: &[u8]) -> Vec<u32> {
    non_ascii_spans(text)
}

/// The module's linear memory, for reading an [`Output`]'s text in place.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Bytes that JavaScript writes straight into the module's memory (a string's UTF-8 with
/// `TextEncoder.encodeInto`, a Buffer's bytes with `set`) and then gives to a function here, which takes
/// them without another copy.
#[wasm_bindgen]
pub struct Input {
    bytes: Vec<u8>,
    /// Valid UTF-8 already: a JavaScript string's, or bytes that JavaScript checked
    /// (`buffer.isUtf8`, which is much faster than a check here).
    from_string: bool,
    /// JSON text written from a JavaScript value, with the bare words `undefined` and `NaN`
    /// where it holds them (see `json::tag`).
    tagged: bool,
}

#[wasm_bindgen]
impl Input {
    /// `len` zero bytes to write into; `from_string` when they will be valid UTF-8, `tagged`
    /// when that string is JSON text written from a JavaScript value with `undefined` or `NaN`.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize, from_string: bool, tagged: bool) -> Input {
        Input { bytes: vec![0; len], from_string, tagged }
    }

    /// Where the bytes are in the module's memory (see [`wasm_memory`]); it moves when the
    /// Input is resized.
    pub fn ptr(&self) -> usize {
        self.bytes.as_ptr() as usize
    }

    /// Makes the Input `len` bytes long: zeros are added, or the end is cut off.
    pub fn resize(&mut self, len: usize) {
        self.bytes.resize(len, 0);
    }

    /// The text for the core, and whether it may hold tags: UTF-8 as it is when it came from a
    /// string, otherwise with invalid sequences replaced by U+FFFD as `Buffer.toString('utf8')`
    /// does; with the words `undefined` and `NaN` made tags when it is tagged.
    fn into_text(self) -> JsResult<(Vec<u8>, bool)> {
        if self.tagged {
            return Ok((tag::read_js_text(&self.bytes).map_err(js_error)?, true));
        }
        if self.from_string {
            return Ok((self.bytes, false));
        }
        Ok(match String::from_utf8(self.bytes) {
            Ok(text) => (text.into_bytes(), false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned().into_bytes(), false),
        })
    }

    fn into_utf8(self) -> JsResult<Vec<u8>> {
        Ok(self.into_text()?.0)
    }
}

/// JSON text for JavaScript: as it is, or without its tags (and where they were) when it came
/// from a tagged input.
fn js_text(json: Vec<u8>, tagged: bool) -> JsResult<(Vec<u8>, Option<String>)> {
    if !tagged {
        return Ok((json, None));
    }
    let untagged = tag::untag(json).map_err(js_error)?;
    Ok((untagged.json, untagged.tags.map(utf8).transpose()?))
}

/// The NDJSON body straight from a query API response (the fused path), a slice of rows at a
/// time, so that JavaScript can let its event loop run between slices (or all in one step).
#[wasm_bindgen]
pub struct BulkJob {
    job: Option<bulk::Job>,
}

#[wasm_bindgen]
impl BulkJob {
    /// Validates a query API response and finds its rows; without one, a job given the response
    /// in parts (UTF-8, untagged): `room`, then `wrote`, whenever it is `hungry`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        response: Option<Input>,
        index: &str,
        tenant_name_json: Option<String>,
        now_ms: f64,
        ecs: Option<bool>,
    ) -> JsResult<BulkJob> {
        let options = bulk::Options { ecs: ecs.unwrap_or(false), ..bulk_options(index, tenant_name_json, now_ms) };
        BulkJob::of(response, &options)
    }

    fn of(response: Option<Input>, options: &bulk::Options) -> JsResult<BulkJob> {
        let job = match response {
            Some(response) => bulk::Job::new(response.into_utf8()?, options).map_err(js_error)?,
            None => bulk::Job::in_parts(options),
        };
        Ok(BulkJob { job: Some(job) })
    }

    /// Where to write up to `len` bytes of the next part in the module's memory (see
    /// [`wasm_memory`]; valid until the next call).
    pub fn room(&mut self, len: usize) -> JsResult<usize> {
        Ok(self.bulk_job()?.response.room(len).as_ptr() as usize)
    }

    /// `len` bytes were written into the room; `last`: the response ends there.
    pub fn wrote(&mut self, len: usize, last: bool) -> JsResult<()> {
        self.bulk_job()?.response.wrote(len, last);
        Ok(())
    }

    /// True when the last step needs more of the response: write the next part before stepping.
    #[wasm_bindgen(getter)]
    pub fn hungry(&self) -> bool {
        self.job.as_ref().is_some_and(|j| j.response.hungry())
    }

    fn bulk_job(&mut self) -> JsResult<&mut bulk::Job> {
        self.job.as_mut().ok_or_else(|| JsError::new("internal error: the bulk job was already finished"))
    }

    /// The incremental mode's job (without a response, one given in parts, as `new`): every
    /// revision its own document (`_id` `key@time`, or the original's key alone when
    /// `revision_ids` is false), also written into `latest_index` when given, `@timestamp` the
    /// same whenever a row is read, the `hidden` (cursor) columns left out of the documents and
    /// reported by `cursor()`; `ecs`: documents in the Elastic Common Schema.
    #[allow(clippy::too_many_arguments)]
    pub fn incremental(
        response: Option<Input>,
        index: &str,
        tenant_name_json: Option<String>,
        now_ms: f64,
        revision_ids: bool,
        latest_index: Option<String>,
        hidden: Vec<String>,
        ecs: Option<bool>,
    ) -> JsResult<BulkJob> {
        let options = bulk::Options {
            ecs: ecs.unwrap_or(false),
            ids: if revision_ids { Ids::Revision } else { Ids::First },
            stable_timestamp: true,
            latest_index: latest_index.filter(|name| !name.is_empty()),
            hidden: hidden.into_iter().map(String::into_bytes).collect(),
            ..bulk_options(index, tenant_name_json, now_ms)
        };
        BulkJob::of(response, &options)
    }

    /// JSON text `{"first":{…},"last":{…},"error":…}`: the hidden columns of the first and last
    /// rows, and the response's top-level `error` member (see `bulk::Job::cursor`).
    pub fn cursor(&self) -> String {
        self.job.as_ref().map_or_else(|| "null".to_string(), |j| j.cursor())
    }

    /// Writes up to `rows` more rows; true once every row is written.
    pub fn step(&mut self, rows: u32) -> JsResult<bool> {
        match &mut self.job {
            Some(job) => job.step(rows as usize).map_err(js_error),
            None => Ok(true),
        }
    }

    /// Where the NDJSON written since the last `clearPending` is (see [`wasm_memory`]).
    #[wasm_bindgen(js_name = pendingPtr)]
    pub fn pending_ptr(&self) -> usize {
        self.job.as_ref().map_or(0, |j| j.pending().as_ptr() as usize)
    }

    /// How many bytes of NDJSON are pending.
    #[wasm_bindgen(js_name = pendingLen)]
    pub fn pending_len(&self) -> usize {
        self.job.as_ref().map_or(0, |j| j.pending().len())
    }

    /// Where the pending NDJSON holds characters outside ASCII (see `Output::text_spans`).
    #[wasm_bindgen(js_name = pendingSpans)]
    pub fn pending_spans(&self) -> Vec<u32> {
        self.job.as_ref().map_or_else(Vec::new, |j| non_ascii_spans(j.pending()))
    }

    /// Forgets the pending NDJSON once JavaScript has read it.
    #[wasm_bindgen(js_name = clearPending)]
    pub fn clear_pending(&mut self) {
        if let Some(job) = &mut self.job {
            job.clear_pending();
        }
    }

    /// The rest of the NDJSON body, the document count and the warnings (call once).
    pub fn finish(&mut self) -> JsResult<Output> {
        let job = self.job.take().ok_or_else(|| JsError::new("internal error: the bulk job was already finished"))?;
        bulk_output(job.finish())
    }
}

/// The rows of a query response a slice at a time, or all in one step (see `rows::Job`).
#[wasm_bindgen]
pub struct RowsJob {
    job: Option<rows::Job>,
    done: bool,
    tagged: bool,
    tags: Option<String>,
}

#[wasm_bindgen]
impl RowsJob {
    /// Validates a query API response and finds its rows.
    #[wasm_bindgen(constructor)]
    pub fn new(response: Input) -> JsResult<RowsJob> {
        let (text, tagged) = response.into_text()?;
        Ok(RowsJob { job: Some(rows::Job::new(text).map_err(js_error)?), done: false, tagged, tags: None })
    }

    /// A job given the response in parts (UTF-8, untagged): `room`, then `wrote`, whenever it
    /// is `hungry`.
    #[wasm_bindgen(js_name = inParts)]
    pub fn in_parts() -> RowsJob {
        RowsJob { job: Some(rows::Job::in_parts()), done: false, tagged: false, tags: None }
    }

    /// Where to write up to `len` bytes of the next part in the module's memory (see
    /// [`wasm_memory`]; valid until the next call).
    pub fn room(&mut self, len: usize) -> JsResult<usize> {
        Ok(self.rows_job()?.response.room(len).as_ptr() as usize)
    }

    /// `len` bytes were written into the room; `last`: the response ends there.
    pub fn wrote(&mut self, len: usize, last: bool) -> JsResult<()> {
        self.rows_job()?.response.wrote(len, last);
        Ok(())
    }

    /// True when the last step needs more of the response: write the next part before stepping.
    #[wasm_bindgen(getter)]
    pub fn hungry(&self) -> bool {
        self.job.as_ref().is_some_and(|j| j.response.hungry())
    }

    fn rows_job(&mut self) -> JsResult<&mut rows::Job> {
        self.job.as_mut().ok_or_else(|| JsError::new("internal error: the rows job was already finished"))
    }

    /// The JSON array of up to `rows` more rows (see `done` and `tags`).
    pub fn step(&mut self, rows: u32) -> JsResult<String> {
        let job = self.rows_job()?;
        let (json, done) = job.step(rows as usize).map_err(js_error)?;
        self.done = done;
        let (json, tags) = js_text(json, self.tagged)?;
        self.tags = tags;
        utf8(json)
    }

    /// Where `undefined` and `NaN` go back in the last slice, once parsed (see [`Json`]).
    #[wasm_bindgen(getter)]
    pub fn tags(&self) -> Option<String> {
        self.tags.clone()
    }

    /// True once every row has been given.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.done
    }

    /// The row count, warnings and (for short rows) property names; no text.
    pub fn finish(&mut self) -> JsResult<Output> {
        let job = self.job.take().ok_or_else(|| JsError::new("internal error: the rows job was already finished"))?;
        let r = job.finish();
        Ok(Output { text: Vec::new(), count: r.count, warnings: r.warnings, extra: r.keys })
    }
}

/// The NDJSON body from an array of documents given in parts, or in one (see `bulk::DocumentsJob`).
#[wasm_bindgen]
pub struct DocumentsJob {
    job: Option<bulk::DocumentsJob>,
}

#[wasm_bindgen]
impl DocumentsJob {
    /// A job for about `input_len` bytes of documents.
    #[wasm_bindgen(constructor)]
    pub fn new(index: &str, tenant_name_json: Option<String>, now_ms: f64, input_len: usize, ecs: Option<bool>) -> DocumentsJob {
        let options = bulk::Options { ecs: ecs.unwrap_or(false), ..bulk_options(index, tenant_name_json, now_ms) };
        DocumentsJob { job: Some(bulk::DocumentsJob::new(&options, input_len)) }
    }

    /// The incremental mode's job for documents (see [`BulkJob::incremental`]; no latest index).
    pub fn incremental(
        index: &str,
        tenant_name_json: Option<String>,
        now_ms: f64,
        input_len: usize,
        revision_ids: bool,
        ecs: Option<bool>,
    ) -> DocumentsJob {
        let options = bulk::Options {
            ecs: ecs.unwrap_or(false),
            ids: if revision_ids { Ids::Revision } else { Ids::First },
            stable_timestamp: true,
            ..bulk_options(index, tenant_name_json, now_ms)
        };
        DocumentsJob { job: Some(bulk::DocumentsJob::new(&options, input_len)) }
    }

    /// Writes the next documents: the JSON text of an array of them.
    pub fn push(&mut self, docs: Input) -> JsResult<()> {
        let job = self.job.as_mut().ok_or_else(|| JsError::new("internal error: the documents job was already finished"))?;
        job.push(&docs.into_utf8()?).map_err(js_error)
    }

    /// Where the NDJSON written since the last `clearPending` is (see [`wasm_memory`]).
    #[wasm_bindgen(js_name = pendingPtr)]
    pub fn pending_ptr(&self) -> usize {
        self.job.as_ref().map_or(0, |j| j.pending().as_ptr() as usize)
    }

    /// How many bytes of NDJSON are pending.
    #[wasm_bindgen(js_name = pendingLen)]
    pub fn pending_len(&self) -> usize {
        self.job.as_ref().map_or(0, |j| j.pending().len())
    }

    /// Where the pending NDJSON holds characters outside ASCII (see `Output::text_spans`).
    #[wasm_bindgen(js_name = pendingSpans)]
    pub fn pending_spans(&self) -> Vec<u32> {
        self.job.as_ref().map_or_else(Vec::new, |j| non_ascii_spans(j.pending()))
    }

    /// Forgets the pending NDJSON once JavaScript has read it.
    #[wasm_bindgen(js_name = clearPending)]
    pub fn clear_pending(&mut self) {
        if let Some(job) = &mut self.job {
            job.clear_pending();
        }
    }

    /// The rest of the NDJSON body, the document count and the warnings (call once).
    pub fn finish(&mut self) -> JsResult<Output> {
        let job = self.job.take().ok_or_else(|| JsError::new("internal error: the documents job was already finished"))?;
        bulk_output(Ok(job.finish()))
    }
}

/// A `_bulk` response read a slice of items at a time (see `bulk_result::Job`): where its items
/// are, and the rest of the response.
#[wasm_bindgen]
pub struct BulkResultJob {
    job: bulk_result::Job,
    tagged: bool,
}

#[wasm_bindgen]
impl BulkResultJob {
    /// Starts reading a `_bulk` response.
    #[wasm_bindgen(constructor)]
    pub fn new(response: Input) -> JsResult<BulkResultJob> {
        let (text, tagged) = response.into_text()?;
        Ok(BulkResultJob { job: bulk_result::Job::new(text).map_err(js_error)?, tagged })
    }

    /// Reads up to `items` more items; true once the whole response is read.
    pub fn step(&mut self, items: u32) -> JsResult<bool> {
        self.job.step(items as usize).map_err(js_error)
    }

    /// How many items the response has (once read).
    #[wasm_bindgen(getter)]
    pub fn items(&self) -> usize {
        self.job.items()
    }

    /// Where the response is in the module's memory (see [`wasm_memory`]).
    #[wasm_bindgen(js_name = inputPtr)]
    pub fn input_ptr(&self) -> usize {
        self.job.input().as_ptr() as usize
    }

    /// Where the text of items `from..to` starts in the response: with the commas between them,
    /// the inside of a JSON array.
    #[wasm_bindgen(js_name = itemsStart)]
    pub fn items_start(&self, from: usize, to: usize) -> usize {
        self.job.items_span(from, to).start
    }

    /// The end of a run of items from `from` whose text is at most `max_len` bytes (at least one).
    #[wasm_bindgen(js_name = itemsWithin)]
    pub fn items_within(&self, from: usize, max_len: usize) -> usize {
        self.job.items_within(from, max_len)
    }

    /// How many bytes that text has.
    #[wasm_bindgen(js_name = itemsLen)]
    pub fn items_len(&self, from: usize, to: usize) -> usize {
        self.job.items_span(from, to).len()
    }

    /// The response without its items (`items` is `0` where it has one), as [`Json`].
    pub fn frame(&self) -> JsResult<JsValue> {
        to_js(&Json::new(self.job.frame().to_vec(), self.tagged)?)
    }
}

/// Why each document of `ndjson` (a body written from `input`, a query API response when `kind`
/// is `response`, an array of documents when it is `documents`) looks as it does: a plain object
/// (see `explain::Explanation`), with details for the first `limit` documents; `ecs` when the
/// body was written with that option.
#[wasm_bindgen]
pub fn explain(input: Input, kind: &str, ndjson: Input, limit: u32, ecs: Option<bool>) -> JsResult<JsValue> {
    let source = explain::Source::parse(kind).map_err(js_error)?;
    let e = explain::explain(&input.into_utf8()?, source, &ndjson.into_utf8()?, limit as usize, ecs.unwrap_or(false)).map_err(js_error)?;
    to_js(&e)
}

/// The `_bulk` body for incidents of the Sentinel REST API (the JSON text of an array; see
/// `incidents::from_incidents`): every revision into `index` and `latest_index`, in the Elastic
/// Common Schema when `ecs`.
#[wasm_bindgen(js_name = incidentsBulk)]
pub fn incidents_bulk(
    docs: Input,
    index: &str,
    tenant_name_json: Option<String>,
    latest_index: Option<String>,
    ecs: bool,
) -> JsResult<Output> {
    let options = incidents::Options { index: index.to_string(), tenant_name: tenant_name_json.map(String::into_bytes), latest_index, ecs };
    bulk_output(incidents::from_incidents(&docs.into_utf8()?, &options))
}

fn bulk_options(index: &str, tenant_name_json: Option<String>, now_ms: f64) -> bulk::Options {
    bulk::Options { index: index.to_string(), tenant_name: tenant_name_json.map(String::into_bytes), now_ms, ..Default::default() }
}

fn bulk_output(result: crate::Result<bulk::Bulk>) -> JsResult<Output> {
    let b = result.map_err(js_error)?;
    Ok(Output { text: b.ndjson.into_bytes(), count: b.documents, warnings: b.warnings, extra: None })
}

/// Executes `unreachable` on purpose, so that tests can check that a trapped instance is
/// replaced (the Rust code itself never panics: `panic = "abort"` would trap the same way).
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    core::arch::wasm32::unreachable()
}

/// Recurses until V8 runs out of stack inside the module (a `RangeError`), so that tests can
/// check that such an instance is replaced like a trapped one.
#[wasm_bindgen(js_name = overflowForTests)]
pub fn overflow_for_tests() -> u32 {
    recurse(u32::MAX)
}

#[inline(never)]
fn recurse(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    core::hint::black_box(recurse(core::hint::black_box(n - 1))).wrapping_add(n)
}
