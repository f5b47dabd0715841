// The Web Worker that runs a transform for the playground page and the editor's Preview tab, so
// that a large response never blocks the page. One request at a time:
//   in:  {id, mode, input (a string, or a File/Blob read here), settings}
//   out: {id, ok: true, result, ms} or {id, ok: false, error, internal, ms}
// mode: 'rows' (query response -> rows), 'bulk' (query response -> NDJSON, the fused path),
// 'documents' (array of documents -> NDJSON), 'incidents' (incidents of the Sentinel REST API ->
// NDJSON, as the incremental mode's REST API source writes them), 'bulk-result' (_bulk response
// -> without 409s). settings.ecs: documents in the Elastic Common Schema (the nodes' `ecs`).
// Outputs above SHOW_BYTES come as a preview (whole lines) and a Blob to download.

import { load, rows, bulk, incidents, explain, bulkResult } from './sentinel.js';

const SHOW_BYTES = 2 * 1024 * 1024;
const PREVIEW_BYTES = 64 * 1024;
// Documents explained one by one (the counts and shared _ids cover the whole body).
const EXPLAIN_LIMIT = 200;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

// {text, whole, bytes, blob?}: all of `bytes` as text when under SHOW_BYTES, else the first lines.
function shown(bytes, type) {
  if (bytes.length < SHOW_BYTES) return { text: DECODER.decode(bytes), whole: true, bytes: bytes.length };
  let end = bytes.lastIndexOf(0x0a, PREVIEW_BYTES);
  end = end < 0 ? PREVIEW_BYTES : end + 1;
  return { text: DECODER.decode(bytes.subarray(0, end)), whole: false, bytes: bytes.length, blob: new Blob([bytes], { type }) };
}

function shownJson(value) {
  return shown(ENCODER.encode(JSON.stringify(value, null, 2)), 'application/json');
}

async function run({ mode, input, settings = {} }) {
  await load();
  const payload = typeof input === 'string' ? input : new Uint8Array(await input.arrayBuffer());
  switch (mode) {
    case 'rows': {
      const r = rows(payload);
      return { rows: r.rows ? shownJson(r.rows) : null, count: r.count, warnings: r.warnings };
    }
    case 'bulk':
    case 'documents': {
      const kind = mode === 'bulk' ? 'response' : 'documents';
      const body = mode === 'documents' ? documentsText(payload) : payload;
      const r = bulk(body, kind, settings);
      const why = explain(body, kind, r.ndjson, EXPLAIN_LIMIT, settings.ecs);
      return { ndjson: shown(r.ndjson, 'application/x-ndjson'), documents: r.documents, warnings: r.warnings, url: r.url, index: r.index, pipeline: r.pipeline, tenantName: r.tenantName, ecs: settings.ecs === true, explain: why };
    }
    case 'incidents': {
      const body = incidentsText(payload);
      const r = incidents(body, settings);
      const why = explain(body, 'incidents', r.ndjson, EXPLAIN_LIMIT, settings.ecs);
      return { ndjson: shown(r.ndjson, 'application/x-ndjson'), documents: r.documents, warnings: r.warnings, url: r.url, index: r.index, pipeline: r.pipeline, latestIndex: r.latestIndex, tenantName: r.tenantName, ecs: settings.ecs === true, explain: why };
    }
    case 'bulk-result': {
      const r = bulkResult(payload);
      return { payload: shownJson(r.payload), bulkSummary: r.bulkSummary, conflicts: r.conflicts, failures: r.failures, warnings: [] };
    }
    default:
      throw new Error(`unknown mode ${JSON.stringify(mode)}: use rows, bulk, documents, incidents or bulk-result`);
  }
}

// The node receives documents as JavaScript values (from sentinel-rows, or a JSON-parsed
// message), which reach the core as JSON.stringify writes them; text that does not parse goes to
// the core as it is, which names the problem.
function documentsText(payload) {
  try {
    const text = typeof payload === 'string' ? payload : DECODER.decode(payload);
    return JSON.stringify(JSON.parse(text));
  } catch {
    return payload;
  }
}

// Incidents as the REST API source hands them on: the array of a list response's `value` (a
// whole list response may be pasted), else the array given; as documentsText otherwise.
function incidentsText(payload) {
  try {
    const value = JSON.parse(typeof payload === 'string' ? payload : DECODER.decode(payload));
    const list = value !== null && typeof value === 'object' && !Array.isArray(value) && Array.isArray(value.value) ? value.value : value;
    return JSON.stringify(list);
  } catch {
    return payload;
  }
}

self.onmessage = async (event) => {
  const { id } = event.data;
  const started = performance.now();
  try {
    const result = await run(event.data);
    self.postMessage({ id, ok: true, result, ms: performance.now() - started });
  } catch (err) {
    self.postMessage({ id, ok: false, error: err && err.message ? err.message : String(err), internal: Boolean(err && err.internal), ms: performance.now() - started });
  }
};
