'use strict';
// Writing NDJSON to Elasticsearch `_bulk` without losing a document: bodies of at most
// `flushBytes` (5 MB by default, as the official client's bulk helper), retries with backoff for
// what may pass later (a whole-request 429/502/503/504 or a network failure, per-item 429 and
// 5xx), a 413 or a failed action validation answered by halving the body (down to the one item
// at fault, dead-lettered), and a verdict for every item: created, a duplicate
// (409: already there, or an older revision than the latest index holds), or dead-lettered (any
// other per-item failure, with the document and the reason). Resolves only when every item has
// its verdict; rejects (and nothing may be taken as written) when the tries run out.

const { request, retryAfterMs } = require('../http');
const { backoffMs, sleep } = require('./retry');
const { elasticError, parseJson, short, withoutSecret } = require('./errors');
const { parseBulkResponse } = require('../bulk-items');

const RETRY_REQUEST = new Set([408, 429, 502, 503, 504]);
const RETRY_ITEM = (status) => status === 429 || status >= 500;

/**
 * The items of an NDJSON body (a string, its UTF-8 in a Buffer, or in Buffers each of whole
 * lines): [{text, at, mid, end, bytes}], an action line `text[at, mid)` and its document line
 * `text[mid + 1, end - 1)` in the bytes `text` that hold them. Bodies are cut from those bytes,
 * not built line by line (a body of 20 MB would otherwise be split, measured, joined and encoded
 * again, which takes longer than making it).
 */
function itemsOf(ndjson) {
  const items = [];
  for (let text of Array.isArray(ndjson) ? ndjson : [Buffer.isBuffer(ndjson) ? ndjson : Buffer.from(ndjson)]) {
    if (text.length > 0 && text[text.length - 1] !== 0x0a) text = Buffer.concat([text, Buffer.from('\n')]);
    for (let at = 0; at < text.length;) {
      const mid = text.indexOf(0x0a, at);
      if (mid === text.length - 1) break; // an action without its document
      const end = text.indexOf(0x0a, mid + 1) + 1;
      items.push({ text, at, mid, end, bytes: end - at });
      at = end;
    }
  }
  return items;
}

const actionOf = (item) => item.text.toString('utf8', item.at, item.mid);
const sourceOf = (item) => item.text.toString('utf8', item.mid + 1, item.end - 1);

/** Consecutive groups of items whose bodies stay under `flushBytes` (an item larger goes alone). */
function chunks(items, flushBytes) {
  const out = [];
  let current = [];
  let size = 0;
  for (const item of items) {
    if (current.length && size + item.bytes > flushBytes) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += item.bytes;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * The error of a whole-request 400 that Elasticsearch gives when an action fails its validation
 * (action_request_validation_exception: an `_id` over 512 bytes, say), which one item can cause;
 * null for any other 400 (a body or parameter the cluster cannot read: no item is at fault).
 */
function itemValidation(body) {
  const error = (parseJson(body) || {}).error;
  return error && typeof error === 'object' && error.type === 'action_request_validation_exception' ? error : null;
}

/** The body of `items`: the bytes they span when they follow one another (a first try), else theirs joined. */
function bodyOf(items) {
  const first = items[0];
  const last = items[items.length - 1];
  if (first.text === last.text && last.end - first.at === items.reduce((n, it) => n + it.bytes, 0)) return first.text.subarray(first.at, last.end);
  return Buffer.concat(items.map((it) => it.text.subarray(it.at, it.end)));
}

// The _bulk response's JSON (its items read faster than JSON.parse reads them), or null.
function bulkResponse(body) {
  try {
    return parseBulkResponse(body);
  } catch (err) {
    return null;
  }
}

function deadLetter(item, status, error) {
  const action = parseJson(actionOf(item)) || {};
  const meta = Object.values(action)[0] || {};
  return {
    index: meta._index, id: meta._id, action: Object.keys(action)[0], status,
    type: (error && error.type) || 'unknown', reason: short((error && (error.reason || error.type)) || `HTTP ${status}`, 500),
    causedBy: error && error.caused_by ? short(error.caused_by.reason || error.caused_by.type, 300) : undefined,
    document: parseJson(sourceOf(item)),
  };
}

/**
 * Writes `ndjson` (a string, a Buffer, or Buffers of whole lines) to `url`: {apiKey, http:
 * {proxy, tls}, flushBytes, tries, timeoutMs, signal, onRetry(reason)}. Resolves {created, duplicates, latest, stale, deadLetters: [...], retried,
 * requests}; `latest`/`stale` count the latest index's items (newer revision stored / older one
 * refused with 409).
 */
async function writeBulk(ndjson, { url, apiKey, http = {}, flushBytes = 5 * 1024 * 1024, tries = 8, timeoutMs = 120e3, signal, onRetry = () => {} }) {
  const result = { created: 0, duplicates: 0, latest: 0, stale: 0, deadLetters: [], retried: 0, requests: 0 };
  const headers = { Authorization: `ApiKey ${apiKey}`, 'Content-Type': 'application/x-ndjson', Accept: 'application/json' };
  const queue = chunks(itemsOf(ndjson), flushBytes);
  while (queue.length) {
    let pending = queue.shift();
    for (let attempt = 0; pending.length; attempt += 1) {
      if (attempt >= tries) {
        throw new Error(`Elasticsearch did not accept ${pending.length} documents after ${tries} tries; they will be sent again at the next poll (nothing is lost)`);
      }
      if (attempt > 0) {
        result.retried += 1;
        await sleep(backoffMs(attempt - 1, { retryAfterMs: pending.retryAfterMs }), signal);
      }
      let res;
      try {
        result.requests += 1;
        res = await request({ method: 'POST', url, headers, body: bodyOf(pending), timeoutMs, signal, ...http });
      } catch (err) {
        if (err.code === 'ABORT_ERR') throw err;
        onRetry(err.code || 'network');
        continue;
      }
      const invalid = res.status === 400 && itemValidation(res.body);
      if ((res.status === 413 || invalid) && pending.length > 1) {
        // Too large for the cluster, or one item that fails the validation of the whole request
        // (an _id over 512 bytes, say): the halves go back to the front of the queue, down to
        // the item at fault.
        const half = Math.ceil(pending.length / 2);
        queue.unshift(pending.slice(0, half), pending.slice(half));
        onRetry(String(res.status));
        break;
      }
      if (res.status === 413) {
        result.deadLetters.push(deadLetter(pending[0], 413, { type: 'http_content_too_long', reason: 'the document alone is larger than the cluster accepts (http.max_content_length)' }));
        break;
      }
      if (invalid) {
        result.deadLetters.push(deadLetter(pending[0], 400, invalid));
        break;
      }
      if (RETRY_REQUEST.has(res.status)) {
        onRetry(String(res.status));
        pending.retryAfterMs = retryAfterMs(res.headers);
        continue;
      }
      if (res.status !== 200) throw elasticError(res.status, withoutSecret(res.body, apiKey), url);
      const json = bulkResponse(res.body);
      if (!json || !Array.isArray(json.items) || json.items.length !== pending.length) {
        throw new Error(`Elasticsearch answered the _bulk request with HTTP 200 but ${json && Array.isArray(json.items) ? `${json.items.length} items for ${pending.length}` : 'no items'}: check that the host is an Elasticsearch cluster`);
      }
      const again = [];
      json.items.forEach((entry, i) => {
        const [kind, item] = Object.entries(entry || {})[0] || [];
        const status = item && Number(item.status);
        const latest = kind === 'index';
        if (status >= 200 && status < 300) result[latest ? 'latest' : 'created'] += 1;
        else if (status === 409) result[latest ? 'stale' : 'duplicates'] += 1;
        else if (RETRY_ITEM(status)) again.push(pending[i]);
        else result.deadLetters.push(deadLetter(pending[i], status, item && item.error));
      });
      if (again.length) onRetry('item');
      pending = again;
    }
  }
  return result;
}

module.exports = { writeBulk, itemsOf, chunks };
