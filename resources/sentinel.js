// The browser facade over the WebAssembly core (resources/wasm, the web build `npm run build`
// writes beside this file): plain strings or bytes and option objects in, plain results out.
// The same jobs as the nodes' facade (node-red/lib/core.js over pkg/node), so the same bytes and
// the same error messages; used by the playground page and the editor's Preview tab, always from
// a Web Worker (worker.js). Nothing here makes a request except loading the module's own .wasm.

import init, * as wasm from './wasm/sentinel_elastic_wasm.js';
import './bulk-filter.js';

const { BulkFilter } = globalThis.SentinelBulkFilter;

let loading = null;

/** Loads the module once (the .wasm next to its glue); resolves to the nodes' defaults. */
export function load() {
  if (!loading) loading = init({ module_or_path: new URL('./wasm/sentinel_elastic_wasm_bg.wasm', import.meta.url) }).then(() => defaults());
  return loading;
}

/** {index, pipeline, queryHost, ...}: the defaults of the nodes' settings, from the core. */
export function defaults() {
  return wasm.defaults();
}

// A trap or a stack overflow inside the module is a bug (the Rust code never panics); the worker
// that sees one is replaced (see worker.js), as core.js reloads the module.
function call(fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError || err instanceof RangeError) {
      const e = new Error(`internal error in the WebAssembly core (${err.message}); it was reloaded and the next message will be processed normally`);
      e.internal = true;
      throw e;
    }
    throw err;
  }
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

function memory(ptr, len) {
  return new Uint8Array(wasm.wasmMemory().buffer, ptr, len);
}

// A new wasm.Input holding a string's UTF-8 or a Uint8Array's bytes (see transfer.js inputOf).
function inputOf(payload) {
  if (typeof payload !== 'string') {
    const input = new wasm.Input(payload.length, false, false);
    memory(input.ptr(), payload.length).set(payload);
    return input;
  }
  let size = payload.length + (payload.length >> 3);
  const input = new wasm.Input(size, true, false);
  let { read, written } = ENCODER.encodeInto(payload, memory(input.ptr(), size));
  if (read < payload.length) {
    size = written + (payload.length - read) * 3;
    input.resize(size);
    written += ENCODER.encodeInto(payload.slice(read), memory(input.ptr() + written, size - written)).written;
  }
  input.resize(written);
  return input;
}

// The bytes of a job's pending NDJSON, copied out (the module's memory moves when it grows).
function takePending(job, parts) {
  const len = job.pendingLen();
  if (len > 0) parts.push(memory(job.pendingPtr(), len).slice());
  job.clearPending();
}

function release(job) {
  try { job.free(); } catch { /* the instance trapped */ }
}

function isEmpty(payload) {
  return payload === undefined || payload === null || payload.length === 0;
}

function checkPayload(payload, what) {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return;
  throw new Error(`${what} is ${payload === null ? 'null' : typeof payload}; expected a JSON object, a string or a Buffer`);
}

/** Joins byte chunks into one Uint8Array. */
export function concat(parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * sentinel-rows: a query API response (text or UTF-8 bytes) -> {rows (an array, or null when
 * there are none: the node then sends nothing), count, warnings}.
 */
export function rows(payload) {
  if (isEmpty(payload)) throw new Error('Unexpected response format: msg.payload is empty; wire this node to the http request node that calls the Log Analytics query API');
  checkPayload(payload, 'msg.payload');
  const job = call(() => new wasm.RowsJob(inputOf(payload)));
  try {
    const result = JSON.parse(call(() => job.step(0xffffffff)));
    const output = call(() => job.finish());
    try {
      const r = { count: output.count, warnings: output.warnings, extra: output.extra };
      if (r.count === 0) return { rows: null, count: 0, warnings: r.warnings };
      // Rows shorter than the columns: the original set the missing cells to undefined.
      const keys = r.extra ? JSON.parse(r.extra) : null;
      const full = keys ? result.map((row) => Object.fromEntries(keys.map((k) => [k, row[k]]))) : result;
      return { rows: full, count: r.count, warnings: r.warnings };
    } finally {
      output.free();
    }
  } finally {
    release(job);
  }
}

/**
 * sentinel-bulk: a query API response (`kind` 'response', the fused path) or the JSON text of an
 * array of documents (`kind` 'documents') -> {ndjson (UTF-8 bytes), documents, warnings, url, and
 * the index, pipeline and tenant name used (the defaults filled in)}.
 * o: {index, pipeline, host, tenantName, now (ms), ids: 'first' (the sentinel-bulk node, the
 * original's _id) or 'revision' (the incremental mode's key@time _ids and stable @timestamp),
 * ecs (documents in the Elastic Common Schema, as the nodes' `ecs` setting)}.
 */
export function bulk(payload, kind, o = {}) {
  const d = defaults();
  if (isEmpty(payload)) throw new Error(kind === 'documents' ? 'msg.payload is empty; give an array of documents' : 'Unexpected response format: msg.payload is empty; wire this node to the http request node that calls the Log Analytics query API');
  checkPayload(payload, 'msg.payload');
  const url = o.host ? call(() => wasm.bulkUrl(String(o.host), pipelineOf(o, d))) : null;
  const index = o.index || d.index;
  const tenant = o.tenantName ? JSON.stringify(String(o.tenantName)) : undefined;
  const now = o.now === undefined ? Date.now() : o.now;
  const revision = o.ids === 'revision';
  const ecs = o.ecs === true;
  const parts = [];
  let job;
  if (kind === 'documents') {
    const input = inputOf(payload);
    job = call(() => (revision ? wasm.DocumentsJob.incremental(index, tenant, now, payload.length, true, ecs) : new wasm.DocumentsJob(index, tenant, now, payload.length, ecs)));
    try {
      call(() => job.push(input));
    } catch (err) {
      release(job);
      throw err;
    }
  } else {
    job = call(() => (revision ? wasm.BulkJob.incremental(inputOf(payload), index, tenant, now, true, undefined, [], ecs) : new wasm.BulkJob(inputOf(payload), index, tenant, now, ecs)));
    try {
      while (!call(() => job.step(4096))) takePending(job, parts);
    } catch (err) {
      release(job);
      throw err;
    }
  }
  try {
    takePending(job, parts);
    const output = call(() => job.finish());
    try {
      parts.push(memory(output.textPtr(), output.textLen()).slice());
      return { ndjson: concat(parts), documents: output.count, warnings: output.warnings, url, index, pipeline: pipelineOf(o, d), tenantName: o.tenantName ? String(o.tenantName) : '' };
    } finally {
      output.free();
    }
  } finally {
    release(job);
  }
}

/**
 * The incremental mode's REST API source (core.js incidentsBulk): the JSON text of an array of
 * incidents in the API's shape -> {ndjson (UTF-8 bytes), documents, warnings, url, index,
 * pipeline, latestIndex, tenantName}: every revision into o.index (and o.latestIndex when given),
 * in the Elastic Common Schema when o.ecs.
 */
export function incidents(payload, o = {}) {
  const d = defaults();
  if (isEmpty(payload)) throw new Error('msg.payload is empty; give an array of incidents of the Sentinel REST API');
  checkPayload(payload, 'msg.payload');
  const url = o.host ? call(() => wasm.bulkUrl(String(o.host), pipelineOf(o, d))) : null;
  const index = o.index || d.index;
  const tenant = o.tenantName ? JSON.stringify(String(o.tenantName)) : undefined;
  const output = call(() => wasm.incidentsBulk(inputOf(payload), index, tenant, o.latestIndex || undefined, o.ecs === true));
  try {
    const ndjson = memory(output.textPtr(), output.textLen()).slice();
    return { ndjson, documents: output.count, warnings: output.warnings, url, index, pipeline: pipelineOf(o, d), latestIndex: o.latestIndex || '', tenantName: o.tenantName ? String(o.tenantName) : '' };
  } finally {
    output.free();
  }
}

/**
 * Why each document of `ndjson` (the bytes bulk() or incidents() gave for `payload` and `kind`:
 * 'response', 'documents' or 'incidents', `ecs` as given to them) looks as it does: {bytes,
 * lines, documents, shared: [{id, documents}], details: [{document, input, id, timestamp,
 * timestampFrom, removed, originalAt, sharesIdWith}]} for the first `limit` documents (see
 * src/explain.rs).
 */
export function explain(payload, kind, ndjson, limit = 200, ecs = false) {
  return call(() => wasm.explain(inputOf(payload), kind, inputOf(ndjson), limit, ecs === true));
}

/**
 * sentinel-bulk-result: a _bulk response -> {payload (without its 409 items), bulkSummary,
 * conflicts, failures}, as the node sets them on the message. As core.js: the module checks the
 * text and finds the items; they are parsed here and classed as the original function did
 * (resources/bulk-filter.js, shared with core.js).
 */
export function bulkResult(payload) {
  checkPayload(payload, 'msg.payload');
  const job = call(() => new wasm.BulkResultJob(inputOf(payload)));
  try {
    while (!call(() => job.step(0xffffffff)));
    const total = call(() => job.items);
    const input = call(() => job.inputPtr());
    const start = call(() => job.itemsStart(0, total));
    const len = call(() => job.itemsLen(0, total));
    let items = [];
    try {
      if (total) items = JSON.parse(`[${DECODER.decode(memory(input + start, len))}]`);
    } catch (err) {
      throw new Error(`Bulk response is not valid JSON (${err.message.slice(0, 200)} in its items). Wire this node to the http request node that posts the _bulk body`);
    }
    const filter = new BulkFilter();
    filter.add(items, 0, items.length);
    return filter.result(JSON.parse(call(() => job.frame()).json), total);
  } finally {
    release(job);
  }
}

// The ingest pipeline as core.js bulkUrl takes it: none given means the default, an empty one
// (the setting cleared) means none.
function pipelineOf(o, d) {
  return o.pipeline === undefined || o.pipeline === null ? d.pipeline : String(o.pipeline).trim();
}
