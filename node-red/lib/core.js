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
const { inputOf, partWriter, writeText, PART, TextParts, ByteParts, textOf, memoryAt, asciiSource, EXTERNAL } = require('./transfer');
const { valueText, plainJson, restore, fromJson } = require('./values');
const { compactItems } = require('./bulk-items');
const { BulkFilter } = require('../../resources/bulk-filter');

const MODULE = path.join(__dirname, '..', '..', 'pkg', 'node', 'sentinel_elastic_wasm.js');

let instance = null;
// The parsed keys of the KeyHandles in the live instance (a new instance starts without any, so
// that no old key keeps the old instance, and what was in it, alive).
let signingKeys = new WeakMap();

function load() {
  if (!instance) {
    // A fresh instance: the old ones must be unreachable, so that their memory is freed.
    // require() keeps what it loads in require.cache and in this module's children.
    delete require.cache[MODULE];
    instance = require(MODULE);
    signingKeys = new WeakMap();
    module.children = module.children.filter((child) => child.filename !== MODULE || child.exports === instance);
  }
  return instance;
}

// Runs fn(module), which calls into the module. A trap (a bug: the Rust code never panics) or a
// RangeError (V8 ran out of stack in wasm code, which leaves the module's own stack pointer and
// the objects it was using as they were) drops the instance, so that the next call loads a fresh
// one, and the old instance's memory (its jobs and their input included) goes with it. The
// instance is dropped first: near the end of the stack, anything more may throw again.
function call(fn) {
  const wasm = load();
  try {
    return fn(wasm);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
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
// How deep values may nest (MAX_DEPTH in src/json/clean.rs): deeper payloads are refused here.
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

// A payload for inputOf, as {source, tagged}: Buffer, Uint8Array and string as they are, an
// object as JSON text (see payloadText).
function payloadSource(payload, what) {
  if (Buffer.isBuffer(payload) || payload instanceof Uint8Array || typeof payload === 'string') return { source: payload, tagged: false };
  if (payload !== null && typeof payload === 'object') return payloadText(payload, what);
  return fail(`${what} is ${payload === null ? 'null' : typeof payload}; expected a JSON object, a string or a Buffer`);
}

// JSON text of an object payload as {source, tagged} (values.js: undefined and NaN as bare
// words). Writing it recurses: a value nested too deep is the documented depth error, not a
// RangeError (which call() would take for one inside the module).
function payloadText(value, what) {
  try {
    const { text, tagged } = valueText(value, MAX_DEPTH);
    return { source: text, tagged };
  } catch (err) {
    if (err instanceof RangeError && deeperThan(value, MAX_DEPTH)) {
      fail(`a value in ${what} is nested more than ${MAX_DEPTH} levels deep; flatten it (this package reads at most ${MAX_DEPTH} levels)`);
    }
    throw err;
  }
}

// True when objects and arrays nest in `value` more than `limit` levels deep (a container at
// depth `limit`, the value itself being at depth 0). A loop, not a recursion.
function deeperThan(value, limit) {
  const values = [value];
  const depths = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop();
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}

// A payload as a new wasm.Input (see payloadSource).
function inputOfPayload(wasm, { source, tagged }) {
  return inputOf(wasm, source, tagged);
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
    call((wasm) => this.get(wasm));
  }

  // The key parsed in the live instance (parsed again after a reload).
  get(wasm) {
    let key = signingKeys.get(this);
    if (!key) {
      key = new wasm.SigningKey(this.pem);
      signingKeys.set(this, key);
    }
    return key;
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

// Reads a job's finishing Output (count, warnings, extra; for NDJSON, the rest of the text, which
// goes into `parts` after what takePending moved there) and frees it.
function take(wasm, output, parts) {
  try {
    if (parts) parts.add(memoryAt(wasm, output.textPtr(), output.textLen()), () => output.textSpans());
    return { text: parts ? parts.text() : undefined, count: output.count, warnings: output.warnings, extra: output.extra };
  } finally {
    output.free();
  }
}

// Moves a job's pending NDJSON into `parts` once there is at least EXTERNAL bytes of it (see
// TextParts.add; the rest comes with the job's Output): the module's memory then holds about a
// megabyte of the output, not the body.
function takePending(wasm, job, parts) {
  if (job.pendingLen() < EXTERNAL) return;
  parts.add(memoryAt(wasm, job.pendingPtr(), job.pendingLen()), () => job.pendingSpans());
  job.clearPending();
}

// Frees a job, which may be gone already if its instance trapped.
function release(job) {
  try { job.free(); } catch (e) { /* the instance trapped */ }
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

// A string marking where the rows go in a response object's frame (see ObjectParts).
const ROWS_MARK = '\u0000sentinel-elastic rows\u0000';

// A query response object written into a job that reads it in parts (as partWriter's, see
// transfer.js): the response without its first table's rows, then the rows a group at a time (see
// groupSize), each group's JSON text when the job has read the last. JSON.stringify of the whole
// response would make a tree of pieces that is flattened, at two bytes a character as soon as one
// character is outside Latin-1, before it can be encoded: several times the response's size in
// memory, and the slowest part of the conversion; and the module's memory holds a group and a row,
// not the response. Null when the object is not the usual response or holds what only valueText
// writes (undefined, NaN, a toJSON, deep values): the caller then writes it whole.
function objectParts(payload) {
  if (!isPlainObject(payload)) return null;
  const tables = payload.tables;
  const table = Array.isArray(tables) ? tables[0] : undefined;
  if (table === null || typeof table !== 'object' || Array.isArray(table) || !Array.isArray(table.rows)) return null;
  const rows = table.rows;
  if ([payload, tables, table, rows].some((v) => typeof v.toJSON === 'function') || !plainJson(payload, 0)) return null;
  const frame = JSON.stringify({ ...payload, tables: [{ ...table, rows: ROWS_MARK }, ...tables.slice(1)] });
  const mark = JSON.stringify(ROWS_MARK);
  const at = frame.indexOf(mark);
  if (at < 0 || frame.lastIndexOf(mark) !== at) return null;
  return new ObjectParts(`${frame.slice(0, at)}[`, rows, `]${frame.slice(at + mark.length)}`);
}

class ObjectParts {
  constructor(head, rows, tail) {
    Object.assign(this, { head, rows, tail, from: 0, count: FIRST_GROUP });
  }

  // Writes the next part into `job`: groups of rows (the head before the first, the tail after
  // the last) until about PART characters, each group's elements without the array's brackets,
  // after the group before.
  write(wasm, job) {
    let written = 0;
    let last = false;
    while (!last && written < PART) {
      let text = this.head;
      this.head = '';
      if (this.from < this.rows.length) {
        const group = JSON.stringify(this.rows.slice(this.from, this.from + this.count));
        text += `${this.from === 0 ? '' : ','}${group.slice(1, -1)}`;
        this.from += this.count;
        this.count = groupSize(this.count, group.length);
      }
      last = this.from >= this.rows.length;
      writeText(wasm, job, last ? text + this.tail : text, last);
      written += text.length;
    }
  }
}

// What writes `payload` into a job that reads it in parts: an ObjectParts for a response object,
// a PartWriter for text of more than a part (see transfer.js), else null (given whole).
function feedOf(payload) {
  return objectParts(payload) || partWriter(payload);
}

// Gives a job the parts it wants before its next step.
function feedJob(wasm, job, feed) {
  if (feed) while (job.hungry) call(() => feed.write(wasm, job));
}

// A plain object (not an array, a Buffer or a typed array).
function isPlainObject(payload) {
  return payload !== null && typeof payload === 'object' && !Array.isArray(payload) && !ArrayBuffer.isView(payload);
}

// The rows of a query response, `perStep` rows per step of a RowsJob (see runNow, runInSlices).
function* rowsSteps(payload, perStep) {
  if (!payload) fail('Unexpected response format: msg.payload is empty; wire this node to the http request node that calls the Log Analytics query API');
  const wasm = load();
  // An object, or text of more than a part, goes into the module a part at a time.
  const feed = feedOf(payload);
  const source = feed ? {} : rowsSource(payload);
  const job = call(() => (feed ? wasm.RowsJob.inParts() : new wasm.RowsJob(inputOfPayload(wasm, source))));
  try {
    let result = [];
    for (;;) {
      feedJob(wasm, job, feed);
      const slice = restore(JSON.parse(call(() => job.step(perStep))), job.tags);
      if (result.length === 0) result = slice;
      else for (const row of slice) result.push(row);
      if (job.done) break;
      yield;
    }
    const r = call(() => take(wasm, job.finish()));
    if (r.count === 0) return { rows: null, warnings: r.warnings };
    if (source.deepCells) putBack(result, payload.tables[0], source.deepCells);
    if (r.extra) result = withUndefinedCells(result, JSON.parse(r.extra));
    return { rows: result, warnings: r.warnings };
  } finally {
    release(job);
  }
}

// The query response for the module, as payloadSource gives it. A response object too deep for
// JSON.stringify is sent with its cells nested more than MAX_DEPTH levels set to null ([row,
// column, cell] in deepCells), to be put back into the rows (the original passed every cell
// through as it was).
function rowsSource(payload) {
  if (payload === null || typeof payload !== 'object' || Buffer.isBuffer(payload) || payload instanceof Uint8Array) {
    return payloadSource(payload, 'msg.payload');
  }
  try {
    const { text, tagged } = valueText(payload, MAX_DEPTH);
    return { source: text, tagged };
  } catch (err) {
    const table = err instanceof RangeError && Array.isArray(payload.tables) && payload.tables[0];
    if (!table || !Array.isArray(table.rows)) return payloadText(payload, 'msg.payload');
    const deepCells = [];
    const rows = table.rows.map((row, r) => (!Array.isArray(row) ? row : row.map((cell, c) => {
      if (!deeperThan(cell, MAX_DEPTH)) return cell;
      deepCells.push([r, c, cell]);
      return null;
    })));
    const tables = [{ ...table, rows }, ...payload.tables.slice(1)];
    return { ...payloadText({ ...payload, tables }, 'msg.payload'), deepCells };
  }
}

// Puts the cells set aside by rowsSource back into the rows made from `table`: row r is the
// result's row for the r-th row that is an array (the module skips the others); a cell sets the
// property of its column's name when no later column has that name, as obj[c] = r[i] did.
function putBack(result, table, deepCells) {
  const names = table.columns.map((col) => (col !== null && typeof col === 'object' ? String(col.name) : 'undefined'));
  const rowIndex = [];
  let next = 0;
  for (const row of table.rows) rowIndex.push(Array.isArray(row) ? next++ : -1);
  for (const [r, c, cell] of deepCells) {
    const name = names[c];
    if (name !== '__proto__' && names.lastIndexOf(name) === c) result[rowIndex[r]][name] = cell;
  }
}

function rows(payload) {
  return runNow(rowsSteps(payload, ALL));
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

/** The origin (scheme://host[:port]) of a host setting without a path: the one host check (src/request.rs). */
function origin(host) {
  return call((wasm) => wasm.origin(given(host)));
}

/** The query API URL of a workspace (the host and the workspace id checked as for a query). */
function queryUrl(host, workspaceId) {
  return call((wasm) => wasm.queryUrl(host || DEFAULTS.queryHost, given(workspaceId)));
}

/**
 * The _bulk URL of an Elasticsearch host (the host checked; the ingest pipeline as a parameter).
 * No pipeline given means the default; an empty one (a setting cleared) means none.
 */
function bulkUrl(host, pipeline) {
  return call((wasm) => wasm.bulkUrl(given(host), pipeline === undefined || pipeline === null ? DEFAULTS.pipeline : pipeline));
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
    ecs: o.ecs === true,
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

// The _bulk request for documents (an array, a group of documents per part of a DocumentsJob,
// see groupSize) or for a query response (`perStep` rows per step of a BulkJob).
function* bulkSteps(payload, o, perStep) {
  const s = bulkSettings(o);
  const wasm = load();
  const parts = new TextParts();
  if (Array.isArray(payload)) {
    const job = call(() => new wasm.DocumentsJob(s.index, s.tenant, s.now, EXTERNAL, s.ecs));
    try {
      let from = 0;
      let count = FIRST_GROUP;
      for (;;) {
        const part = payloadText(payload.slice(from, from + count), 'msg.payload');
        call(() => job.push(inputOfPayload(wasm, part)));
        takePending(wasm, job, parts);
        from += count;
        if (from >= payload.length) break;
        count = groupSize(count, part.source.length);
        yield;
      }
      return bulkRequest(call(() => take(wasm, job.finish(), parts)), s.url, o.apiKey);
    } finally {
      release(job);
    }
  }
  const feed = feedOf(payload);
  const job = call(() => new wasm.BulkJob(feed ? undefined : inputOfPayload(wasm, payloadSource(payload, 'msg.payload')), s.index, s.tenant, s.now, s.ecs));
  try {
    for (;;) {
      feedJob(wasm, job, feed);
      if (call(() => job.step(perStep))) break;
      takePending(wasm, job, parts);
      yield;
    }
    return bulkRequest(call(() => take(wasm, job.finish(), parts)), s.url, o.apiKey);
  } finally {
    release(job);
  }
}

// How many documents go into the module at a time: their JSON text (JSON.stringify's) about
// GROUP_CHARS long. V8 writes a long text as a tree of pieces, which must be flattened into one
// string before it is encoded, and a flat string over 128 KiB goes to V8's large-object space,
// which costs three times the encoding itself; shorter texts cost a call into the module each.
const GROUP_CHARS = 32 * 1024;
const FIRST_GROUP = 8;

// The next group's size, from the last one's: `count` documents made `chars` characters.
function groupSize(count, chars) {
  return Math.max(1, Math.min(1024, Math.floor((count * GROUP_CHARS) / Math.max(chars, 1))));
}

function bulk(payload, o) {
  return runNow(bulkSteps(payload, o, ALL));
}

// How long one slice of the *Async functions may hold the event loop, and how many rows or
// documents a step handles between looks at the clock; ALL: every row in one step.
const SLICE_MS = 20;
const SLICE_ROWS = 32;
const ALL = 0xffffffff;

// Each job is written once, as a generator that yields between its steps (rowsSteps, bulkSteps,
// ...) and returns the result: runNow runs it at once, runInSlices a slice of about SLICE_MS at a
// time with the event loop free in between, so that other flows keep running while a large
// payload is processed. Same result either way.
function runNow(steps) {
  for (;;) {
    const { done, value } = steps.next();
    if (done) return value;
  }
}

async function runInSlices(steps) {
  for (;;) {
    // A monotonic clock: Date.now may be stepped (or fixed, in tests).
    const started = performance.now();
    do {
      const { done, value } = steps.next();
      if (done) return value;
    } while (performance.now() - started < SLICE_MS);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// core.rows, a slice of rows at a time.
function rowsAsync(payload) {
  return runInSlices(rowsSteps(payload, SLICE_ROWS));
}

// core.bulk, a slice of rows (raw response) or documents (array) at a time.
function bulkAsync(payload, o) {
  return runInSlices(bulkSteps(payload, o, SLICE_ROWS));
}

// The incremental mode's documents from one page of a query response: every revision its own
// document (o.ids 'first': the original's _id, first version only), also written into
// o.latestIndex; the o.hidden (cursor) columns stay out of the documents and come back in
// `cursor` ({first, last, error}: see BulkJob.incremental). The NDJSON is a string, or with
// o.bytes its UTF-8 in Buffers of whole lines (for a caller that sends it on: nothing decoded,
// nothing encoded; see ByteParts).
function* revisionSteps(payload, o) {
  const wasm = load();
  const tenant = o.tenantName ? JSON.stringify(o.tenantName) : undefined;
  const now = o.now === undefined ? Date.now() : o.now;
  const feed = feedOf(payload);
  const job = call(() => wasm.BulkJob.incremental(feed ? undefined : inputOfPayload(wasm, payloadSource(payload, 'the query response')),
    o.index || DEFAULTS.index, tenant, now, o.ids !== 'first', o.latestIndex || undefined, o.hidden || [], o.ecs === true));
  try {
    const parts = o.bytes ? new ByteParts() : new TextParts();
    for (;;) {
      feedJob(wasm, job, feed);
      if (call(() => job.step(SLICE_ROWS))) break;
      takePending(wasm, job, parts);
      yield;
    }
    const cursor = JSON.parse(call(() => job.cursor()));
    const r = call(() => take(wasm, job.finish(), parts));
    return { ndjson: r.count ? r.text : o.bytes ? [] : '', documents: r.count, warnings: r.warnings, cursor };
  } finally {
    release(job);
  }
}

function revisionsAsync(payload, o) {
  return runInSlices(revisionSteps(payload, o));
}

// The incremental mode's documents from incidents of the Sentinel REST API (an array, each in
// the API's shape): one document per revision (_id name@properties.lastModifiedTimeUtc) into
// o.index and o.latestIndex, in the Elastic Common Schema when o.ecs.
// A slice of `perStep` incidents per step (each incident's documents depend on it alone); the
// warnings name an incident by its place in the whole array.
function* incidentsBulkSteps(incidents, o, perStep) {
  if (!Array.isArray(incidents)) fail('the incidents are not an array');
  const wasm = load();
  const tenant = o.tenantName ? JSON.stringify(o.tenantName) : undefined;
  const parts = new TextParts();
  const warnings = [];
  let documents = 0;
  for (let from = 0; from === 0 || from < incidents.length; from += perStep) {
    const slice = from === 0 && perStep >= incidents.length ? incidents : incidents.slice(from, from + perStep);
    const source = payloadText(slice, 'the incidents');
    call(() => {
      const output = wasm.incidentsBulk(inputOfPayload(wasm, source), o.index || DEFAULTS.index, tenant, o.latestIndex || undefined, o.ecs === true);
      try {
        if (output.count) parts.add(memoryAt(wasm, output.textPtr(), output.textLen()), () => output.textSpans());
        documents += output.count;
        warnings.push(...output.warnings.map((w) => w.replace(/^incident (\d+)/, (m, i) => `incident ${Number(i) + from}`)));
      } finally {
        output.free();
      }
    });
    if (from + perStep < incidents.length) yield;
  }
  return { ndjson: documents ? parts.text() : '', documents, warnings };
}

function incidentsBulk(incidents, o) {
  return runNow(incidentsBulkSteps(incidents, o, ALL));
}

// core.incidentsBulk, SLICE_INCIDENTS incidents (with their alerts, entities, comments) at a time.
const SLICE_INCIDENTS = 16;
function incidentsBulkAsync(incidents, o) {
  return runInSlices(incidentsBulkSteps(incidents, o, SLICE_INCIDENTS));
}

// How many _bulk response items a step reads, and how many bytes of their text are parsed at a time.
const SLICE_ITEMS = 1024;
const SLICE_BYTES = 64 * 1024;

// The _bulk response without its 409 items, `perStep` items at a time. An object payload (the
// http request node's "a parsed JSON object") is classed as it is; text is read by the module,
// which checks it and finds the items, and is parsed a slice of items at a time.
function* bulkResultSteps(payload, perStep) {
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload) && !(payload instanceof Uint8Array)) {
    const items = Array.isArray(payload.items) ? payload.items : [];
    const filter = new BulkFilter();
    for (let from = 0; from < items.length; from += perStep) {
      filter.add(items, from, Math.min(items.length, from + perStep));
      if (from + perStep < items.length) yield;
    }
    return filter.result({ ...payload }, items.length);
  }
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    const result = yield* compactBulkResult(text);
    if (result) return result;
  }
  const source = payloadSource(payload, 'msg.payload');
  const wasm = load();
  const job = call(() => new wasm.BulkResultJob(inputOfPayload(wasm, source)));
  try {
    while (!call(() => job.step(perStep))) yield;
    const total = call(() => job.items);
    const input = call(() => job.inputPtr());
    const ascii = asciiSource(wasm, input, payload);
    const filter = new BulkFilter();
    for (let from = 0, to; from < total; from = to) {
      // Items parsed SLICE_BYTES of text at a time: V8 puts a longer string (the bracketed slice
      // JSON.parse reads) in its large-object space, which cost 20% more on 280-byte items.
      to = call(() => job.itemsWithin(from, SLICE_BYTES));
      // The text of items from..to: sliced from the payload string, or decoded from the module.
      const start = call(() => job.itemsStart(from, to));
      const len = call(() => job.itemsLen(from, to));
      const text = ascii ? ascii.slice(start, start + len) : textOf(memoryAt(wasm, input + start, len));
      filter.add(parseItems(text), 0, to - from);
      if (to < total) yield;
    }
    return filter.result(fromJson(call(() => job.frame())), total);
  } finally {
    release(job);
  }
}

// A _bulk response as Elasticsearch writes it, read without the module (see compactItems): the
// result, or null for any other text, and on any error, so that the module reads it exactly (and
// reports the error, the first one the module's reading meets). It saves the copy into the module
// and the module's pass: on 50 MB responses, 5-10% faster than the original, where the module's
// reading is 5-10% slower.
function* compactBulkResult(text) {
  try {
    const slices = compactItems(text, SLICE_BYTES);
    const filter = new BulkFilter();
    let total = 0;
    for (;;) {
      const { done, value } = slices.next();
      if (done) return value && filter.result(value, total);
      filter.add(value, 0, value.length);
      total += value.length;
      yield;
    }
  } catch (err) {
    return null;
  }
}

// Items from their text: the module found where they are, JSON.parse checks them.
function parseItems(text) {
  try {
    return JSON.parse(`[${text}]`);
  } catch (err) {
    return fail(`Bulk response is not valid JSON (${err.message.slice(0, 200)} in its items). Wire this node to the http request node that posts the _bulk body`);
  }
}

function bulkResult(payload) {
  return runNow(bulkResultSteps(payload, ALL));
}

// core.bulkResult, a slice of items at a time.
function bulkResultAsync(payload) {
  return runInSlices(bulkResultSteps(payload, SLICE_ITEMS));
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

// For tests: makes V8 run out of stack inside the module.
function overflowForTests() {
  return call((wasm) => wasm.overflowForTests());
}

module.exports = {
  DEFAULTS,
  trapForTests,
  overflowForTests,
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
  bulkResultAsync,
  revisionsAsync,
  incidentsBulk,
  incidentsBulkAsync,
  queryUrl,
  origin,
  bulkUrl,
  wholeRequestError,
  headerValue,
};
