'use strict';
// node-red/lib/incremental/elastic.js: writeBulk against the sandbox's Elasticsearch (bodies split
// at flushBytes, retries of whole requests and of items, 413 halving, dead letters, 409s, an
// outage, a refused API key, tries running out).

const { test, describe, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');

const { writeBulk, itemsOf, chunks } = require(path.resolve(__dirname, '..', '..', 'node-red', 'lib', 'incremental', 'elastic'));
const sandboxLib = require('../sandbox');

for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) delete process.env[k];

const INDEX = 'logs-azure_api';
const LATEST = 'sentinel-alerts-latest';

/** NDJSON of `n` alert revisions into the data stream (create) and, with `latest`, the latest index. */
function ndjson(n, { from = 0, latest = false, pad = 0, version = (i) => 1000 + i } = {}) {
  const lines = [];
  for (let i = from; i < from + n; i += 1) {
    const doc = JSON.stringify({ '@timestamp': '2025-11-19T10:00:00.000Z', SystemAlertId: `a${i}`, TimeGenerated: '2025-11-19T10:00:00.0000000Z', Description: 'x'.repeat(pad) });
    lines.push(JSON.stringify({ create: { _index: INDEX, _id: `a${i}@1` } }), doc);
    if (latest) lines.push(JSON.stringify({ index: { _index: LATEST, _id: `a${i}`, version: version(i), version_type: 'external' } }), doc);
  }
  return `${lines.join('\n')}\n`;
}

describe('writeBulk', () => {
  let sb;
  let url;
  const write = (body, options = {}) => writeBulk(body, { url, apiKey: sb.apiKey, http: { proxy: null }, ...options });
  const bulkBodies = () => sb.elastic.requests.entries.filter((e) => e.url.includes('_bulk')).map((e) => Buffer.byteLength(e.body));

  before(async () => {
    sb = await sandboxLib.start({ alerts: 0, incidents: 0 });
    url = `${sb.elastic.origin}/_bulk`;
  });
  after(() => sb.stop());
  afterEach(() => {
    sb.elastic.clear();
    sb.elastic.resetFailures();
    sb.elastic.requests.clear();
    sb.elastic.resetStats();
  });

  test('splits bodies at flushBytes, in order, every item once', async () => {
    const body = ndjson(15, { pad: 100 });
    const bytes = itemsOf(body).map((it) => it.bytes);
    const sum = (a) => a.reduce((x, y) => x + y, 0);
    const flushBytes = sum(bytes.slice(0, 4)) + 10; // four items fit, a fifth does not
    const r = await write(body, { flushBytes });
    assert.equal(r.created, 15);
    assert.equal(r.requests, 4);
    assert.equal(sb.elastic.bulkRequests, 4);
    const sizes = bulkBodies();
    assert.deepEqual(sizes, [0, 4, 8, 12].map((i) => sum(bytes.slice(i, i + 4))));
    assert.ok(sizes.every((s) => s <= flushBytes));
    assert.deepEqual(sb.elastic.ids(INDEX), Array.from({ length: 15 }, (_, i) => `a${i}@1`));
  });

  test('a Buffer body is written as its bytes: items cut at their lines, items sent again alone are exactly their bytes', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    // Characters outside ASCII (two-, three- and four-byte UTF-8) in documents and ids.
    const text = ndjson(9, { pad: 3 }).replace(/"Description":"xxx"/g, (m, at) => `"Description":"é€😀 ${at}"`).replace('"_id":"a4@1"', '"_id":"a4€@1"');
    const body = Buffer.from(text);
    const items = itemsOf(body);
    assert.deepEqual(items.map((it) => it.bytes), itemsOf(text).map((it) => it.bytes));
    assert.equal(items.reduce((n, it) => n + it.bytes, 0), body.length);
    // Items 2, 4 (non-ASCII id) and 7 fail once: the second body is those three, not side by side in the first.
    sb.elastic.failItems({ status: 429, count: 3, ids: ['a2@1', 'a4€@1', 'a7@1'] });
    const r = await write(body);
    assert.deepEqual([r.created, r.deadLetters.length, r.requests], [9, 0, 2]);
    const sent = sb.elastic.requests.entries.filter((e) => e.url.includes('_bulk')).map((e) => e.body);
    assert.equal(Buffer.from(sent[0]).toString(), text);
    const lines = text.split('\n');
    assert.equal(Buffer.from(sent[1]).toString(), [2, 4, 7].map((i) => `${lines[2 * i]}\n${lines[2 * i + 1]}\n`).join(''));
    const stored = sb.elastic.documents(INDEX).map((d) => d.Description);
    assert.deepEqual(stored.sort(), lines.filter((l, i) => i % 2 === 1 && l).map((l) => JSON.parse(l).Description).sort());
  });

  test('an NDJSON string gives the same items as its bytes, whole or in Buffers of whole lines; a last line without its newline still ends an item', async () => {
    const text = ndjson(3, { pad: 5 });
    const bytes = (items) => items.map((it) => it.text.toString('utf8', it.at, it.end));
    assert.deepEqual(bytes(itemsOf(text)), bytes(itemsOf(Buffer.from(text))));
    const cut = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
    const inParts = [Buffer.from(text.slice(0, cut)), Buffer.from(text.slice(cut))];
    assert.deepEqual(bytes(itemsOf(inParts)), bytes(itemsOf(text)));
    // A body from items of two Buffers is their bytes in order.
    const r = await write(inParts);
    assert.deepEqual([r.created, r.requests], [3, 1]);
    assert.equal(Buffer.from(sb.elastic.requests.entries.find((e) => e.url.includes('_bulk')).body).toString(), text);
    assert.deepEqual(bytes(itemsOf(text.slice(0, -1))), bytes(itemsOf(text)));
    // An action without its document is not an item (as the lines paired two by two).
    assert.equal(itemsOf(`${text}{"create":{}}\n`).length, 3);
    assert.deepEqual(itemsOf(''), []);
  });

  test('an item larger than flushBytes goes alone', () => {
    const items = itemsOf(ndjson(1, { pad: 10 }) + ndjson(1, { from: 1, pad: 1000 }) + ndjson(1, { from: 2, pad: 10 }));
    const groups = chunks(items, 600);
    assert.deepEqual(groups.map((g) => g.length), [1, 1, 1]);
    assert.ok(groups[1][0].bytes > 600);
  });

  test('per-item 429s are sent again until created', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    sb.elastic.failItems({ status: 429, count: 3 });
    const reasons = [];
    const r = await write(ndjson(10), { onRetry: (x) => reasons.push(x) });
    assert.deepEqual([r.created, r.deadLetters.length, r.requests], [10, 0, 2]);
    assert.deepEqual(reasons, ['item']);
    assert.equal(sb.elastic.count(INDEX), 10);
  });

  for (const status of [429, 503, 504]) {
    test(`a whole-request ${status} is sent again`, async (t) => {
      t.mock.method(Math, 'random', () => 0);
      sb.elastic.failNext(1, { status });
      const reasons = [];
      const r = await write(ndjson(5), { onRetry: (x) => reasons.push(x) });
      assert.deepEqual([r.created, r.requests, r.retried], [5, 2, 1]);
      assert.deepEqual(reasons, [String(status)]);
    });
  }

  test('a 413 halves the body until the cluster takes it', async () => {
    const body = ndjson(8, { pad: 200 });
    const item = itemsOf(body)[0].bytes;
    const small = await sandboxLib.start({ alerts: 0, incidents: 0, maxBodyBytes: item * 3 });
    try {
      const r = await writeBulk(body, { url: `${small.elastic.origin}/_bulk`, apiKey: small.apiKey, http: { proxy: null } });
      assert.deepEqual([r.created, r.deadLetters.length], [8, 0]);
      // 8 -> 4 + 4 -> 2 + 2 + 2 + 2: three refused bodies, four accepted.
      assert.equal(r.requests, 7);
      const sizes = small.elastic.requests.entries.map((e) => Buffer.byteLength(e.body));
      assert.deepEqual(sizes, [item * 2, item * 2, item * 2, item * 2], 'the accepted bodies');
      assert.equal(small.elastic.count(INDEX), 8);
    } finally {
      await small.stop();
    }
  });

  test('one item that fails the whole request (an _id over 512 bytes) is found by halving and dead-lettered; the rest are written', async () => {
    const long = 'x'.repeat(600);
    const body = ndjson(6).replace('"_id":"a3@1"', `"_id":"${long}"`);
    const r = await write(body);
    assert.equal(r.created, 5);
    assert.equal(r.deadLetters.length, 1);
    const [d] = r.deadLetters;
    assert.deepEqual([d.id, d.status, d.type], [long, 400, 'action_request_validation_exception']);
    assert.match(d.reason, /^Validation Failed: 1: id \[x+/);
    assert.equal(d.document.SystemAlertId, 'a3');
    assert.equal(sb.elastic.count(INDEX), 5);
  });

  test('a per-item 400 is dead-lettered with its document, status, type and reason', async () => {
    sb.elastic.failItems({ status: 400, count: 1, ids: ['a2@1'] });
    const r = await write(ndjson(4));
    assert.equal(r.created, 3);
    assert.equal(r.deadLetters.length, 1);
    const [d] = r.deadLetters;
    assert.deepEqual([d.index, d.id, d.status, d.type], [INDEX, 'a2@1', 400, 'mapper_parsing_exception']);
    assert.match(d.reason, /failed to parse field \[Status\]/);
    assert.equal(d.document.SystemAlertId, 'a2');
  });

  test('a 409 on create is a duplicate; on the latest index (older external version) it is stale', async () => {
    const first = await write(ndjson(3, { latest: true, version: () => 2000 }));
    assert.deepEqual([first.created, first.latest, first.duplicates, first.stale], [3, 3, 0, 0]);
    const again = await write(ndjson(3, { latest: true, version: () => 1000 }));
    assert.deepEqual([again.created, again.latest, again.duplicates, again.stale, again.deadLetters.length], [0, 0, 3, 3, 0]);
    assert.equal(sb.elastic.document(LATEST, 'a0')._version, 2000, 'the newer revision stays');
    const newer = await write(ndjson(1, { latest: true, version: () => 3000 }));
    assert.deepEqual([newer.duplicates, newer.latest], [1, 1]);
  });

  test('survives Elasticsearch refusing connections for 3 s', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    const outage = sb.elastic.downFor(3000);
    const started = Date.now();
    const r = await write(ndjson(5)).finally(() => outage);
    assert.equal(r.created, 5);
    assert.ok(Date.now() - started >= 2900, 'the documents were written after the outage');
    assert.ok(r.requests >= 3);
  });

  test('a 401 rejects at once, naming the API key but not its value', async () => {
    const wrong = Buffer.from('keyid123:not-the-secret-value').toString('base64');
    await assert.rejects(write(ndjson(2), { apiKey: wrong }), (e) => {
      assert.match(e.message, /HTTP 401 security_exception.*Fix: paste a valid API key/);
      assert.equal(e.permanent, true);
      assert.ok(!e.message.includes(wrong) && !e.message.includes('not-the-secret-value'), e.message);
      return true;
    });
    assert.equal(sb.elastic.bulkRequests, 1);
  });

  test('an error page that echoes the request headers does not put the API key in the message', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(400, { 'Content-Type': 'text/html' }); res.end(`<html>Bad Request<pre>authorization: ${req.headers.authorization}</pre></html>`); });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      await assert.rejects(writeBulk(ndjson(1), { url: `http://127.0.0.1:${server.address().port}/_bulk`, apiKey: sb.apiKey, http: { proxy: null } }), (e) => {
        assert.match(e.message, /HTTP 400\): <html>Bad Request/);
        assert.ok(!e.message.includes(sb.apiKey), e.message);
        return true;
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('tries running out rejects, saying the documents will be sent again', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    sb.elastic.failNext(3, { status: 503 });
    await assert.rejects(write(ndjson(4), { tries: 2 }), /did not accept 4 documents after 2 tries; they will be sent again at the next poll/);
    assert.equal(sb.elastic.bulkRequests, 2);
  });
});
