'use strict';
// The JavaScript facade over the WebAssembly core (pkg/node). The nodes call only this file.
//
// Who does what: a node reads its settings and the message and picks which value wins; this file
// fills what is left empty from DEFAULTS, turns values into what the core takes (strings,
// numbers, bytes) and its results back into objects; the core (Rust) checks every value it is
// given and says what to fix. Checked here is only what never reaches the core: the tokens and
// API keys that go into headers, and strings that cannot be UTF-8 (a lone surrogate). If the
// module ever traps (a bug: Rust code must never panic), the instance is dropped and a fresh one
// is loaded on the next call; key handles re-parse their key for the new instance.

const path = require('path');
const { inputOf, TextParts, textOf, memoryAt } = require('./transfer');
const { valueText, restore, fromJson } = require('./values');

const MODULE = path.join(__dirname, '..', '..', 'pkg', 'node', 'sentinel_elastic_wasm.js');

let instance = null;
let generation = 0;

function load() {
  if (!instance) {
    delete require.cache[MODULE];
    instance = require(MODULE);
    generation += 1;
  }
  return instance;
}

// Runs fn(module); a trap drops the instance so that the next call gets a fresh one.
function call(fn) {
  const wasm = load();
  try {
    return fn(wasm);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      instance = null;
      throw new Error(`internal error in the WebAssembly core (${err.message}); it was reloaded and the next message will be processed normally`);
    }
    throw err;
  }
}

function fail(message) {
  throw new Error(message);
}

// The defaults of the nodes' settings (the original flow's values), from the core: the one
// source of them (request::DEFAULTS).
const DEFAULTS = Object.freeze(call((wasm) => wasm.defaults()));
// How deep values may nest: deeper payloads are refused here with the core's words.
const MAX_DEPTH = call((wasm) => wasm.maxDepth());

// A credential as an HTTP header value, or an error naming its setting: text only (anything else
// would be sent as "[object Object]" and the like), without the characters a header value cannot
// carry (CR or LF would end the header line; Node's http refuses every control character but tab
// and every code unit above U+00FF). The value itself never appears in the message.
function headerValue(value, setting) {
  if (typeof value !== 'string') {
    const kind = value === null || value === undefined ? String(value) : Array.isArray(value) ? 'an array' : /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
    fail(`${setting} is ${kind}, not text; an HTTP header carries the credential as text only`);
  }
  const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(value);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    const what = code === 0x0a || code === 0x0d ? 'a line break' : code < 0x20 || code === 0x7f ? 'a control character' : 'a character outside Latin-1';
    fail(`${setting} holds ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')} at character ${bad.index + 1}), which an HTTP header cannot carry`);
  }
  return value;
}

// A payload as a wasm.Input: Buffer and Uint8Array as they are, strings as UTF-8, objects as JSON.
function inputOfPayload(wasm, payload, what) {
  if (Buffer.isBuffer(payload) || payload instanceof Uint8Array || typeof payload === 'string') return inputOf(wasm, payload);
  if (payload !== null && typeof payload === 'object') return inputOfValue(wasm, payload);
  return fail(`${what} is ${payload === null ? 'null' : typeof payload}; expected a JSON object, a string or a Buffer`);
}

// A JavaScript value as a wasm.Input of its JSON text (see values.js).
function inputOfValue(wasm, value) {
  const { text, tagged } = valueText(value, MAX_DEPTH);
  return inputOf(wasm, text, tagged);
}

// A value as the core takes a text: '' when it is absent or falsy (the core then says it is
// missing), else the value as a string.
function given(value) {
  return value ? String(value) : '';
}

// Refuses a string that cannot be UTF-8 (a lone surrogate): the core would see U+FFFD instead.
function wellFormed(value, what) {
  if (typeof value === 'string' && typeof value.isWellFormed === 'function' && !value.isWellFormed()) {
    fail(`${what} holds a lone surrogate (broken UTF-16) and cannot be URL-encoded: fix the value in the tenant settings or in msg.oauth`);
  }
}

function text(value) {
  return value === undefined || value === null ? undefined : String(value);
}

/** A parsed private key, reused across signatures. */
class KeyHandle {
  constructor(pem) {
    if (typeof pem !== 'string' || pem.trim() === '') {
      fail('The private key is missing: paste the PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) into the tenant settings, or set msg.certs.privateKeyPem');
    }
    Object.defineProperty(this, 'pem', { value: pem, enumerable: false });
    this.key = null;
    this.generation = -1;
    call((wasm) => this.get(wasm));
  }

  get(wasm) {
    if (this.generation !== generation || !this.key) {
      this.key = new wasm.SigningKey(this.pem);
      this.generation = generation;
    }
    return this.key;
  }

  toJSON() {
    return '[private key]';
  }
}

function parseKey(privateKeyPem) {
  return new KeyHandle(privateKeyPem);
}

function thumbprints(certPem) {
  return call((wasm) => wasm.thumbprints(String(certPem)));
}

// Reads an Output (rows JSON or NDJSON, count, warnings, extra) and frees it. NDJSON, which
// becomes msg.payload, goes into `parts` (a TextParts, maybe holding text taken before, see
// takePending); rows JSON, parsed at once, is decoded in one piece.
function take(wasm, output, parts) {
  try {
    const buf = memoryAt(wasm, output.textPtr(), output.textLen());
    let text;
    if (parts) {
      parts.add(buf);
      text = parts.text();
    } else {
      text = textOf(buf);
    }
    return { text, count: output.count, warnings: output.warnings, extra: output.extra, tags: output.tags };
  } finally {
    output.free();
  }
}

// Moves a job's pending NDJSON into `parts` (after every step: the module's memory then holds a
// step's output, not the body); after a restart (a repeated key) it replaces all before it.
function takePending(wasm, job, parts) {
  if (job.restarted) parts.clear(); // a BulkJob only: a DocumentsJob never starts over
  parts.add(memoryAt(wasm, job.pendingPtr(), job.pendingLen()));
  job.clearPending();
}

function createAssertion(key, o) {
  if (!(key instanceof KeyHandle)) fail('createAssertion needs a key from parseKey()');
  const now = o.now !== undefined ? o.now : Math.floor(Date.now() / 1000);
  const r = call((wasm) => key.get(wasm).createAssertion(
    given(o.clientId), given(o.tenantId), o.authorityHost || DEFAULTS.authorityHost,
    now, o.lifetime === undefined ? DEFAULTS.lifetime : Number(o.lifetime), text(o.jti),
    o.algorithm || DEFAULTS.algorithm, text(o.kid), text(o.x5t), text(o.x5tS256)));
  return { assertion: r.assertion, claims: fromJson(r.claims) };
}

function tokenRequest(o) {
  wellFormed(o.clientId, 'msg.oauth.clientId');
  wellFormed(o.scope, 'msg.oauth.scope');
  const r = call((wasm) => wasm.tokenRequest(o.authorityHost || DEFAULTS.authorityHost, given(o.tenantId),
    given(o.clientId), given(o.scope), given(o.clientAssertion)));
  return {
    method: 'POST',
    url: r.url,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    payload: r.payload,
  };
}

// A query node's settings with the defaults filled in: {host, table, retention, limit}.
function querySettings(o) {
  return {
    host: o.host || DEFAULTS.queryHost,
    table: o.table || DEFAULTS.table,
    retention: String(o.retention || DEFAULTS.retention),
    limit: o.limit === undefined || o.limit === null || o.limit === '' ? DEFAULTS.limit : Number(o.limit),
  };
}

/**
 * Checks a query node's settings before any message comes ({host, table, retention, limit};
 * empty ones take the defaults) and returns them with the defaults filled in; throws what to fix.
 */
function checkQuerySettings(o) {
  const s = querySettings(o);
  call((wasm) => wasm.checkQuerySettings(s.host, s.table, s.retention, s.limit));
  return s;
}

function queryRequest(o) {
  if (!o.accessToken) fail('No access_token found in msg.payload: wire this node after the http request node that fetches the token (Return: a parsed JSON object)');
  const s = querySettings(o);
  const r = call((wasm) => wasm.queryRequest(s.host, given(o.workspaceId), s.table, s.retention, s.limit));
  return {
    method: 'POST',
    url: r.url,
    headers: {
      Authorization: 'Bearer ' + headerValue(o.accessToken, 'msg.payload.access_token'),
      Accept: 'application/json',
      'Content-Type': 'application/json',
    },
    payload: { query: r.query },
  };
}

function rows(payload) {
  if (!payload) fail('Unexpected response format: msg.payload is empty; wire this node to the http request node that calls the Log Analytics query API');
  const r = call((wasm) => take(wasm, wasm.rows(inputOfPayload(wasm, payload, 'msg.payload'))));
  if (r.count === 0) return { rows: null, warnings: r.warnings };
  let result = restore(JSON.parse(r.text), r.tags);
  if (r.extra) result = withUndefinedCells(result, JSON.parse(r.extra));
  return { rows: result, warnings: r.warnings };
}

// Rows shorter than the columns: the original set the missing cells to undefined.
function withUndefinedCells(result, keys) {
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  return result.map((row) => {
    if (keys.every((k) => own(row, k))) return row;
    const full = {};
    for (const k of keys) full[k] = own(row, k) ? row[k] : undefined;
    return full;
  });
}

/** The query API URL of a workspace (the host and the workspace id checked as for a query). */
function queryUrl(host, workspaceId) {
  return call((wasm) => wasm.queryUrl(host || DEFAULTS.queryHost, given(workspaceId)));
}

/** The _bulk URL of an Elasticsearch host (the host checked; the ingest pipeline as a parameter). */
function bulkUrl(host, pipeline) {
  return call((wasm) => wasm.bulkUrl(given(host), pipeline || DEFAULTS.pipeline));
}

// The settings of a _bulk request, checked.
function bulkSettings(o) {
  const url = bulkUrl(o.host, o.pipeline);
  if (!o.apiKey) fail('The Elasticsearch API key is missing: set it in the sentinel-elastic config node or in msg.elastic.apiKey');
  headerValue(o.apiKey, 'The Elasticsearch API key (the sentinel-elastic config node or msg.elastic.apiKey)');
  return {
    index: o.index || DEFAULTS.index,
    now: o.now === undefined ? Date.now() : o.now,
    tenant: o.tenantName ? JSON.stringify(o.tenantName) : undefined,
    url,
  };
}

// The result of core.bulk from an Output read with take().
function bulkRequest(r, url, apiKey) {
  if (r.count === 0) return { request: null, documents: 0, warnings: r.warnings };
  return {
    request: {
      payload: r.text,
      headers: { Authorization: `ApiKey ${apiKey}`, 'Content-Type': 'application/x-ndjson' },
      method: 'POST',
      url,
    },
    documents: r.count,
    warnings: r.warnings,
  };
}

function bulk(payload, o) {
  const s = bulkSettings(o);
  const r = call((wasm) => {
    let output;
    if (Array.isArray(payload)) output = wasm.bulkFromDocuments(inputOfValue(wasm, payload), s.index, s.tenant, s.now);
    else output = wasm.bulkFromResponse(inputOfPayload(wasm, payload, 'msg.payload'), s.index, s.tenant, s.now);
    return take(wasm, output, new TextParts());
  });
  return bulkRequest(r, s.url, o.apiKey);
}

// How long one slice of the *Async functions may hold the event loop, and how many rows or
// documents a step handles between looks at the clock.
const SLICE_MS = 20;
const SLICE_ROWS = 32;

// Calls step() (which returns true when finished) until done, letting the event loop run after
// each SLICE_MS of work, so that other flows keep running while a large payload is processed.
async function inSlices(step) {
  for (;;) {
    // A monotonic clock: Date.now may be stepped (or fixed, in tests).
    const started = performance.now();
    let done = false;
    while (!done && performance.now() - started < SLICE_MS) done = step();
    if (done) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// Runs fn(job) and frees the job, which may be gone already if the instance trapped.
async function withJob(job, fn) {
  try {
    return await fn(job);
  } finally {
    try { job.free(); } catch (e) { /* the instance trapped */ }
  }
}

// core.rows, a slice of rows at a time. Same result.
async function rowsAsync(payload) {
  if (!payload) return rows(payload);
  const wasm = load();
  const job = call(() => new wasm.RowsJob(inputOfPayload(wasm, payload, 'msg.payload')));
  return withJob(job, async () => {
    let result = [];
    await inSlices(() => {
      const slice = restore(JSON.parse(call(() => job.step(SLICE_ROWS))), job.tags);
      if (job.restarted) result = [];
      for (const row of slice) result.push(row);
      return job.done;
    });
    const r = call(() => take(wasm, job.finish()));
    if (r.count === 0) return { rows: null, warnings: r.warnings };
    if (r.extra) result = withUndefinedCells(result, JSON.parse(r.extra));
    return { rows: result, warnings: r.warnings };
  });
}

// core.bulk, a slice of rows (raw response) or documents (array) at a time. Same result.
async function bulkAsync(payload, o) {
  const s = bulkSettings(o);
  const wasm = load();
  if (Array.isArray(payload)) {
    const job = call(() => new wasm.DocumentsJob(s.index, s.tenant, s.now, 0));
    return withJob(job, async () => {
      const parts = new TextParts();
      let next = 0;
      await inSlices(() => {
        call(() => job.push(inputOfValue(wasm, payload.slice(next, next + SLICE_ROWS))));
        takePending(wasm, job, parts);
        next += SLICE_ROWS;
        return next >= payload.length;
      });
      return bulkRequest(call(() => take(wasm, job.finish(), parts)), s.url, o.apiKey);
    });
  }
  const job = call(() => new wasm.BulkJob(inputOfPayload(wasm, payload, 'msg.payload'), s.index, s.tenant, s.now));
  return withJob(job, async () => {
    const parts = new TextParts();
    await inSlices(() => {
      const done = call(() => job.step(SLICE_ROWS));
      takePending(wasm, job, parts);
      return done;
    });
    return bulkRequest(call(() => take(wasm, job.finish(), parts)), s.url, o.apiKey);
  });
}

// The incremental mode's documents from one page of a query response: every revision its own
// document (o.ids 'first': the original's _id, first version only), also written into
// o.latestIndex; the o.hidden (cursor) columns stay out of the documents and come back in
// `cursor` ({first, last, error}: see BulkJob.incremental).
async function revisionsAsync(payload, o) {
  const wasm = load();
  const tenant = o.tenantName ? JSON.stringify(o.tenantName) : undefined;
  const now = o.now === undefined ? Date.now() : o.now;
  const job = call(() => wasm.BulkJob.incremental(inputOfPayload(wasm, payload, 'the query response'),
    o.index || DEFAULTS.index, tenant, now, o.ids !== 'first', o.latestIndex || undefined, o.hidden || []));
  return withJob(job, async () => {
    const parts = new TextParts();
    await inSlices(() => {
      const done = call(() => job.step(SLICE_ROWS));
      takePending(wasm, job, parts);
      return done;
    });
    const cursor = JSON.parse(call(() => job.cursor()));
    const r = call(() => take(wasm, job.finish(), parts));
    return { ndjson: r.count ? r.text : '', documents: r.count, warnings: r.warnings, cursor };
  });
}

function bulkResult(payload) {
  const r = call((wasm) => wasm.bulkResult(inputOfPayload(wasm, payload, 'msg.payload')));
  const conflicts = fromJson(r.conflicts);
  const failures = fromJson(r.failures);
  return {
    payload: fromJson(r.payload),
    bulkSummary: {
      took: r.took && fromJson(r.took),
      ingest_took: r.ingestTook && fromJson(r.ingestTook),
      total_items: r.totalItems,
      created: r.created,
      conflicts: r.conflictCount,
      failures: r.failureCount,
      errors: failures.length > 0,
    },
    conflicts,
    failures,
  };
}

/**
 * The message for a _bulk response that is a whole-request error (Elasticsearch's
 * `{"error": {...}, "status": 429}`: no item was written), or null. The original reported such a
 * response as "0 created, no errors" and the batch was lost without a word.
 */
function wholeRequestError(response) {
  if (!response || typeof response !== 'object' || Array.isArray(response)) return null;
  if (Array.isArray(response.items) ? response.items.length > 0 : response.items !== undefined) return null;
  const { error, status } = response;
  if (error === undefined || error === null || !(typeof error === 'object' || typeof error === 'string')) return null;
  const type = typeof error === 'object' ? error.type : undefined;
  const reason = typeof error === 'object' ? error.reason : error;
  const code = Number.isInteger(status) ? status : undefined;
  const retry = code === 429 || (code >= 500 && code !== 501) ? ' The request may pass later: send the same body again (every document, with the same _id).' : '';
  const fix = code === 401 ? ' Check the API key in the sentinel-elastic config node.'
    : code === 403 ? ' Give the API key the create_doc and auto_configure privileges on the data stream.'
      : code === 413 ? ' The body is larger than the cluster accepts (http.max_content_length): send fewer documents per request.' : '';
  return `Elasticsearch refused the whole _bulk request${code ? ` (status ${code}` : ' ('}${type ? `${code ? ', ' : ''}${String(type).slice(0, 100)}` : ''}): ${String(reason === undefined ? '' : reason).slice(0, 300)}; no document was written.${fix}${retry}`;
}

// For tests: makes the module trap, as a bug would.
function trapForTests() {
  return call((wasm) => wasm.trapForTests());
}

module.exports = {
  DEFAULTS,
  trapForTests,
  parseKey,
  thumbprints,
  createAssertion,
  tokenRequest,
  queryRequest,
  checkQuerySettings,
  rows,
  rowsAsync,
  bulk,
  bulkAsync,
  bulkResult,
  revisionsAsync,
  queryUrl,
  bulkUrl,
  wholeRequestError,
  headerValue,
};
