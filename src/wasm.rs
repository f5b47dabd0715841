//! The JavaScript surface: the only module that knows about `wasm_bindgen`.
//!
//! Text crosses as strings and payloads as bytes (`Uint8Array`/`Buffer`). Small results come
//! back as JSON text for `JSON.parse`; the large ones come from jobs, a step at a time (rows as
//! JSON text, NDJSON and `_bulk` items read in place in the module's memory), so no result is
//! copied twice. Every error becomes a JavaScript `Error`
//! whose message is the crate's. The current time comes from the caller, randomness from
//! `crypto.getRandomValues` through `getrandom`.

use wasm_bindgen::prelude::*;

use crate::assertion::{self, Algorithm, Assertion, PrivateKey};
use crate::json::string::write_escaped;
use crate::revision::Ids;
use crate::{bulk, bulk_result, request, rows, Error};

type JsResult<T> = std::result::Result<T, JsError>;

fn js_error(e: Error) -> JsError {
    JsError::new(e.message())
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

    /// Signs a client assertion; returns the JSON text of `{assertion, claims}`.
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
    ) -> JsResult<String> {
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
        Ok(JsonText::new().string("assertion", &jws).raw("claims", claims.as_bytes()).finish())
    }
}

/// JSON text of `{x5t, x5tS256}`: base64url SHA-1 and SHA-256 thumbprints of a certificate PEM.
#[wasm_bindgen]
pub fn thumbprints(cert_pem: &str) -> JsResult<String> {
    let t = assertion::thumbprints(cert_pem).map_err(js_error)?;
    Ok(JsonText::new().string("x5t", &t.x5t).string("x5tS256", &t.x5t_s256).finish())
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

/// JSON text of `{url, payload}` of the Entra ID token request.
#[wasm_bindgen(js_name = tokenRequest)]
pub fn token_request(authority_host: &str, tenant_id: &str, client_id: &str, scope: &str, client_assertion: &str) -> JsResult<String> {
    let url = request::token_url(authority_host, tenant_id).map_err(js_error)?;
    let payload = request::token_request_body(client_id, scope, client_assertion).map_err(js_error)?;
    Ok(JsonText::new().string("url", &url).string("payload", &payload).finish())
}

/// JSON text of `{url, query}` of the Log Analytics query request.
#[wasm_bindgen(js_name = queryRequest)]
pub fn query_request(host: &str, workspace_id: &str, table: &str, retention: &str, limit: f64) -> JsResult<String> {
    if !(limit.fract() == 0.0 && limit >= 0.0 && limit <= u64::MAX as f64) {
        return Err(JsError::new("The row limit must be a whole number: change the node's row limit setting."));
    }
    let url = request::query_url(host, workspace_id).map_err(js_error)?;
    let query = request::query_text(table, retention, limit as u64).map_err(js_error)?;
    Ok(JsonText::new().string("url", &url).string("query", &query).finish())
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
    /// Written from a JavaScript string: valid UTF-8 already.
    from_string: bool,
}

#[wasm_bindgen]
impl Input {
    /// `len` zero bytes to write into; `from_string` when they will be a string's UTF-8.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize, from_string: bool) -> Input {
        Input { bytes: vec![0; len], from_string }
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

    /// The bytes as UTF-8: as they are when they came from a string, otherwise with invalid
    /// sequences replaced by U+FFFD as `Buffer.toString('utf8')` does.
    fn into_utf8(self) -> Vec<u8> {
        if self.from_string {
            return self.bytes;
        }
        match String::from_utf8(self.bytes) {
            Ok(text) => text.into_bytes(),
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned().into_bytes(),
        }
    }
}

/// The NDJSON body straight from a query API response (the fused path), a slice of rows at a
/// time, so that JavaScript can let its event loop run between slices (or all in one step).
#[wasm_bindgen]
pub struct BulkJob {
    job: Option<bulk::Job>,
}

#[wasm_bindgen]
impl BulkJob {
    /// Validates a query API response and finds its rows.
    #[wasm_bindgen(constructor)]
    pub fn new(response: Input, index: &str, tenant_name_json: Option<String>, now_ms: f64) -> JsResult<BulkJob> {
        let job = bulk::Job::new(response.into_utf8(), &bulk_options(index, tenant_name_json, now_ms)).map_err(js_error)?;
        Ok(BulkJob { job: Some(job) })
    }

    /// The incremental mode's job: every revision its own document (`_id` `key@time`, or the
    /// original's key alone when `revision_ids` is false), also written into `latest_index` when
    /// given, `@timestamp` the same whenever a row is read, the `hidden` (cursor) columns left out
    /// of the documents and reported by `cursor()`.
    #[allow(clippy::too_many_arguments)]
    pub fn incremental(
        response: Input,
        index: &str,
        tenant_name_json: Option<String>,
        now_ms: f64,
        revision_ids: bool,
        latest_index: Option<String>,
        hidden: Vec<String>,
    ) -> JsResult<BulkJob> {
        let options = bulk::Options {
            ids: if revision_ids { Ids::Revision } else { Ids::First },
            stable_timestamp: true,
            latest_index: latest_index.filter(|name| !name.is_empty()),
            hidden: hidden.into_iter().map(String::into_bytes).collect(),
            ..bulk_options(index, tenant_name_json, now_ms)
        };
        let job = bulk::Job::new(response.into_utf8(), &options).map_err(js_error)?;
        Ok(BulkJob { job: Some(job) })
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
}

#[wasm_bindgen]
impl RowsJob {
    /// Validates a query API response and finds its rows.
    #[wasm_bindgen(constructor)]
    pub fn new(response: Input) -> JsResult<RowsJob> {
        Ok(RowsJob { job: Some(rows::Job::new(response.into_utf8()).map_err(js_error)?), done: false })
    }

    /// The JSON array of up to `rows` more rows (see `done`).
    pub fn step(&mut self, rows: u32) -> JsResult<String> {
        let job = self.job.as_mut().ok_or_else(|| JsError::new("internal error: the rows job was already finished"))?;
        let (json, done) = job.step(rows as usize).map_err(js_error)?;
        self.done = done;
        Ok(json)
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
    pub fn new(index: &str, tenant_name_json: Option<String>, now_ms: f64, input_len: usize) -> DocumentsJob {
        DocumentsJob { job: Some(bulk::DocumentsJob::new(&bulk_options(index, tenant_name_json, now_ms), input_len)) }
    }

    /// Writes the next documents: the JSON text of an array of them.
    pub fn push(&mut self, docs: Input) -> JsResult<()> {
        let job = self.job.as_mut().ok_or_else(|| JsError::new("internal error: the documents job was already finished"))?;
        job.push(&docs.into_utf8()).map_err(js_error)
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

/// A `_bulk` response read a slice of items at a time (see `bulk_result::Job`): the verdicts of
/// its items, where their text is, and the rest of the response.
#[wasm_bindgen]
pub struct BulkResultJob {
    job: bulk_result::Job,
}

#[wasm_bindgen]
impl BulkResultJob {
    /// Starts reading a `_bulk` response.
    #[wasm_bindgen(constructor)]
    pub fn new(response: Input) -> JsResult<BulkResultJob> {
        Ok(BulkResultJob { job: bulk_result::Job::new(response.into_utf8()).map_err(js_error)? })
    }

    /// Reads up to `items` more items; true once the whole response is read.
    pub fn step(&mut self, items: u32) -> JsResult<bool> {
        self.job.step(items as usize).map_err(js_error)
    }

    /// One byte per item: its class in the low two bits (0 kept, 1 created, 2 conflict, 3
    /// failure), the index of its operation in create, index, update, delete above them (4: none).
    pub fn verdicts(&self) -> Vec<u8> {
        self.job.verdicts().to_vec()
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

    /// How many bytes that text has.
    #[wasm_bindgen(js_name = itemsLen)]
    pub fn items_len(&self, from: usize, to: usize) -> usize {
        self.job.items_span(from, to).len()
    }

    /// The JSON text of the response without its items (`items` is `0` where it has one).
    pub fn frame(&self) -> String {
        String::from_utf8_lossy(self.job.frame()).into_owned()
    }

    /// How many items were created.
    #[wasm_bindgen(getter)]
    pub fn created(&self) -> usize {
        self.job.counts().0
    }
}

fn bulk_options(index: &str, tenant_name_json: Option<String>, now_ms: f64) -> bulk::Options {
    bulk::Options { index: index.to_string(), tenant_name: tenant_name_json.map(String::into_bytes), now_ms, ..Default::default() }
}

fn bulk_output(result: crate::Result<bulk::Bulk>) -> JsResult<Output> {
    let b = result.map_err(js_error)?;
    Ok(Output { text: b.ndjson.into_bytes(), count: b.documents, warnings: b.warnings, extra: None })
}

/// A JSON object written member by member.
struct JsonText(Vec<u8>);

impl JsonText {
    fn new() -> Self {
        JsonText(vec![b'{'])
    }

    fn key(mut self, name: &str) -> Self {
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        write_escaped(&mut self.0, name.as_bytes());
        self.0.push(b':');
        self
    }

    fn string(self, name: &str, value: &str) -> Self {
        let mut s = self.key(name);
        write_escaped(&mut s.0, value.as_bytes());
        s
    }

    fn raw(self, name: &str, json: &[u8]) -> Self {
        let mut s = self.key(name);
        s.0.extend_from_slice(json);
        s
    }

    fn finish(mut self) -> String {
        self.0.push(b'}');
        String::from_utf8(self.0).unwrap_or_default()
    }
}

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `String(number)`: ECMAScript's Number::toString itself.
    #[wasm_bindgen(js_name = String)]
    fn js_string(v: f64) -> String;
}

/// `String(v)` as JavaScript prints it; see `json::number`.
pub(crate) fn js_number_string(v: f64) -> String {
    js_string(v)
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
