'use strict';
// core.rowsAsync, core.bulkAsync and core.bulkResultAsync (what sentinel-rows, sentinel-bulk and
// sentinel-bulk-result use) give exactly core.rows's, core.bulk's and core.bulkResult's results
// while leaving the event loop free between slices.
const { describe, it } = require('node:test');
const assert = require('node:assert');
const core = require('../../node-red/lib/core');
const data = require('../sandbox/data');

const now = Date.parse('2025-11-19T12:00:00Z');
const options = { host: 'https://elastic.example:9200', apiKey: 'k'.repeat(24), tenantName: 'Contoso', now };

describe('core.bulkAsync', () => {
  it('should give the same request as core.bulk for text, Buffer and object payloads', async () => {
    for (const table of ['SecurityAlert', 'SecurityIncident']) {
      const response = data.response(table, 300, { seed: 5, now });
      const text = JSON.stringify(response);
      const expected = core.bulk(text, options);
      for (const payload of [text, Buffer.from(text), response]) {
        assert.deepStrictEqual(await core.bulkAsync(payload, options), expected);
      }
    }
  });

  it('should give the same rows as core.rows, and the same request from them as core.bulk', async () => {
    const response = data.response('SecurityAlert', 300, { seed: 6, now });
    response.tables[0].rows.push(['short row'], null);
    const text = JSON.stringify(response);
    const expected = core.rows(text);
    for (const payload of [text, Buffer.from(text), response]) {
      const got = await core.rowsAsync(payload);
      assert.deepStrictEqual(got, expected);
      assert.deepStrictEqual(got.rows.map(Object.keys), expected.rows.map(Object.keys));
    }
    assert.deepStrictEqual(await core.bulkAsync(expected.rows, options), core.bulk(expected.rows, options));
    assert.deepStrictEqual(await core.bulkAsync([], options), core.bulk([], options));
    assert.deepStrictEqual(await core.rowsAsync('{"tables":[{"columns":[],"rows":[]}]}'), { rows: null, warnings: [] });
  });

  it('should report bad input as core.bulk does', async () => {
    await assert.rejects(core.bulkAsync('{"tables":', options), /not valid JSON/);
    await assert.rejects(core.bulkAsync('{}', options), /Unexpected response format/);
    await assert.rejects(core.bulkAsync('{}', { ...options, apiKey: undefined }), /API key is missing/);
    await assert.rejects(core.bulkAsync([1, {}, 'x'].concat(new Array(40).fill({})), { ...options, host: '' }), /host is missing/);
    await assert.rejects(core.rowsAsync(null), /Unexpected response format/);
    await assert.rejects(core.rowsAsync('[1]'), /Unexpected response format/);
  });

  it('should give the same text when every step is a slice of its own, and refuse a response that repeats "tables" after its rows', async () => {
    // A clock that jumps 11 ms per reading ends every slice after one step, so the NDJSON is taken
    // out of the module many times; a repeated "tables" key after the rows is found by the last
    // step, after every row was read, and fails the whole message.
    const a = data.response('SecurityAlert', 150, { seed: 11, now });
    const b = data.response('SecurityIncident', 90, { seed: 12, now });
    const text = JSON.stringify(a);
    const repeated = text.slice(0, -1) + ',' + JSON.stringify(b).slice(1);
    const documents = core.rows(text).rows;
    const realNow = performance.now;
    let fake = 0;
    performance.now = () => (fake += 11);
    try {
      const expected = core.bulk(text, options);
      assert.deepStrictEqual(await core.bulkAsync(text, options), expected);
      assert.deepStrictEqual(await core.bulkAsync(Buffer.from(text), options), expected);
      assert.deepStrictEqual(await core.bulkAsync(documents, options), core.bulk(documents, options));
      const twice = /the response names 'tables' twice/;
      await assert.rejects(core.bulkAsync(repeated, options), twice);
      await assert.rejects(core.bulkAsync(Buffer.from(repeated), options), twice);
      await assert.rejects(core.rowsAsync(repeated), twice);
      assert.throws(() => core.bulk(repeated, options), twice);
      assert.throws(() => core.rows(repeated), twice);
    } finally {
      performance.now = realNow;
    }
  });

  it('should let the event loop turn while a large response is processed', async () => {
    const text = JSON.stringify(data.response('SecurityAlert', 6000, { seed: 9, now }));
    // Counts event-loop turns: a synchronous call would allow none.
    let turns = 0;
    let running = true;
    const spin = () => { if (running) { turns += 1; setImmediate(spin); } };
    setImmediate(spin);
    const result = await core.bulkAsync(text, options);
    running = false;
    assert.strictEqual(result.documents, 6000);
    assert.strictEqual(result.request.payload, core.bulk(text, options).request.payload);
    assert.ok(turns >= 2, `the event loop turned ${turns} times while ${(text.length / 1e6).toFixed(1)} MB were processed`);
  });
});

// A _bulk response of n items: created, conflicts, failures and odd ones, in a fixed pattern.
function bulkResponse(n) {
  const kinds = [
    (i) => ({ create: { _index: 'logs-azure_api', _id: `id-${i}`, _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, status: 201 } }),
    (i) => ({ create: { _index: 'logs-azure_api', _id: `id-${i}`, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[id-${i}]: version conflict, document already exists (current version [1])` } } }),
    (i) => ({ index: { _id: `\u00e9-${i}`, status: 429, error: { type: 'es_rejected_execution_exception' } } }),
    () => ({ update: { status: '409' } }),
    () => 7,
  ];
  return { took: 30, errors: true, items: Array.from({ length: n }, (_, i) => kinds[(i * 7) % kinds.length](i)) };
}

describe('core.bulkResultAsync', () => {
  it('should give core.bulkResult\'s result for text, Buffer and object payloads, also one item per slice', async () => {
    const body = bulkResponse(2500);
    const text = JSON.stringify(body);
    const expected = core.bulkResult(text);
    assert.strictEqual(expected.bulkSummary.total_items, 2500);
    assert.deepStrictEqual([expected.bulkSummary.created, expected.bulkSummary.conflicts, expected.bulkSummary.failures], [500, 500, 1000]);
    assert.strictEqual(expected.payload.items.length, 2000);
    for (const payload of [text, Buffer.from(text), JSON.parse(text)]) {
      assert.deepStrictEqual(await core.bulkResultAsync(payload), expected);
      assert.deepStrictEqual(core.bulkResult(payload), expected);
    }
    const realNow = performance.now;
    let fake = 0;
    performance.now = () => (fake += 11);
    try {
      assert.deepStrictEqual(await core.bulkResultAsync(text.replace('"took":30', '"items":[null],"took":30')), expected);
    } finally {
      performance.now = realNow;
    }
  });

  it('should keep the object payload\'s own items, as the original did', async () => {
    const body = bulkResponse(10);
    const result = await core.bulkResultAsync(body);
    assert.strictEqual(result.payload.items[0], body.items[0]);
    assert.strictEqual(result.failures[0], body.items[1].index); // items cycle through the kinds as (i * 7) % 5
    assert.strictEqual(result.conflicts[0], body.items[3].create);
  });

  it('should let the event loop turn while a large _bulk response is read, and report bad ones as core.bulkResult does', async () => {
    const text = JSON.stringify(bulkResponse(200000));
    let turns = 0;
    let running = true;
    const spin = () => { if (running) { turns += 1; setImmediate(spin); } };
    setImmediate(spin);
    const result = await core.bulkResultAsync(text);
    running = false;
    assert.strictEqual(result.bulkSummary.total_items, 200000);
    assert.ok(turns >= 2, `the event loop turned ${turns} times while ${(text.length / 1e6).toFixed(1)} MB were read`);
    await assert.rejects(core.bulkResultAsync('{"items":[{},null]}'), /item 1 is null/);
    await assert.rejects(core.bulkResultAsync('{"items":[1,]}'), /Bulk response is not valid JSON/);
    await assert.rejects(core.bulkResultAsync('[]'), /Bulk response is an array/);
    assert.throws(() => core.bulkResult('{"items":[{},null]}'), /item 1 is null/);
  });
});

describe('core.incidentsBulkAsync', () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'nodes', 'fixtures', 'ecs', 'rest-incidents.json'), 'utf8')).value;
  // A full REST API page (1000 incidents, each with alerts), names made unique; two that are no incidents.
  const page = Array.from({ length: 1000 }, (_, i) => {
    const inc = structuredClone(fixture[i % fixture.length]);
    inc.name = `${inc.name.slice(0, 28)}${String(i).padStart(8, '0')}`;
    inc.alerts = Array.from({ length: 4 }, (_, k) => ({ name: `a-${i}-${k}`, kind: 'SecurityAlert', properties: { alertDisplayName: 'Suspicious PowerShell command line', description: 'x'.repeat(400), severity: 'Medium' } }));
    return inc;
  });
  page[5] = 'not an incident';
  page[700] = { properties: {} };

  it('should give core.incidentsBulk\'s documents and warnings (naming the same incidents) while the event loop turns', async () => {
    const o = { index: 'logs-azure_api', tenantName: 'Contoso', latestIndex: 'sentinel-incidents-api-latest', ecs: true };
    const expected = core.incidentsBulk(page, o);
    assert.strictEqual(expected.documents, 998);
    assert.deepStrictEqual(expected.warnings.map((w) => w.split(':')[0]), ['incident 5 skipped', 'incident 700 skipped']);
    let turns = 0;
    let running = true;
    const spin = () => { if (running) { turns += 1; setImmediate(spin); } };
    setImmediate(spin);
    const got = await core.incidentsBulkAsync(page, o);
    running = false;
    assert.deepStrictEqual(got, expected);
    assert.ok(turns >= 2, `the event loop turned ${turns} times during a page of 1000 incidents`);
    assert.deepStrictEqual(await core.incidentsBulkAsync([], o), core.incidentsBulk([], o));
    await assert.rejects(core.incidentsBulkAsync('x', o), /the incidents are not an array/);
  });
});

describe('core.revisionsAsync', () => {
  it('should give with o.bytes the UTF-8 of the NDJSON it gives as a string (in Buffers of whole lines), the same counts, warnings and cursor', async () => {
    for (const table of ['SecurityAlert', 'SecurityIncident']) {
      // Several megabytes: the NDJSON comes out of the module in parts (and, with the latest
      // index, past the size first set aside for it).
      const response = data.response(table, 2500, { seed: 8, now });
      response.tables[0].rows[3][0] = 'ünïcode 😀 in a row';
      const text = JSON.stringify(response);
      for (const extra of [{}, { latestIndex: 'sentinel-latest' }, { ecs: true }]) {
        const o = { index: 'logs-azure_api', tenantName: 'Contoso', now, ids: 'revision', ...extra };
        const expected = await core.revisionsAsync(text, o);
        assert.ok(expected.ndjson.length > 4e6, `${table}: a response of several megabytes`);
        for (const payload of [text, Buffer.from(text)]) {
          const got = await core.revisionsAsync(payload, { ...o, bytes: true });
          // Buffers of whole lines, as the module handed them over (a megabyte or more each).
          assert.ok(got.ndjson.length > 1 && got.ndjson.every((b) => Buffer.isBuffer(b) && b[b.length - 1] === 0x0a));
          assert.ok(Buffer.concat(got.ndjson).equals(Buffer.from(expected.ndjson)), `${table} ${JSON.stringify(extra)}`);
          assert.deepStrictEqual({ ...got, ndjson: null }, { ...expected, ndjson: null });
        }
      }
    }
    const empty = JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'TimeGenerated', type: 'datetime' }], rows: [] }] });
    const none = await core.revisionsAsync(Buffer.from(empty), { now, ids: 'revision', bytes: true });
    assert.deepStrictEqual([none.ndjson, none.documents], [[], 0]);
  });
});

describe('a response longer than a part (core.rows, core.bulk, core.revisionsAsync)', () => {
  const { PART } = require('../../node-red/lib/transfer');
  // A response whose text puts `cell` (in the first row's Description) so that its character
  // `offset` falls on character `at` of the response text.
  const placed = (rows, cell, offset, at) => {
    const response = data.response('SecurityAlert', rows, { seed: 12, now });
    const column = response.tables[0].columns.findIndex((c) => c.name === 'Description');
    response.tables[0].rows[0][column] = 'MARK';
    const text = JSON.stringify(response);
    const pad = at - offset - text.indexOf('MARK');
    assert.ok(pad >= 0, 'the mark is early enough');
    response.tables[0].rows[0][column] = `${'p'.repeat(pad)}${cell}`;
    return response;
  };

  it('should give the rows the parsed object gives, with characters cut by a part\'s end (text and Buffer)', async () => {
    // A surrogate pair across the first part's end (text), a four-byte character across it (Buffer).
    for (const [cell, offset, at] of [['a😀b', 1, PART - 1], ['a😀b', 2, PART], ['é😀€', 1, PART - 2]]) {
      const response = placed(1000, cell, offset, at);
      const text = JSON.stringify(response);
      assert.ok(text.length > 2 * PART, 'several parts');
      const expected = core.rows(response);
      assert.strictEqual(expected.rows.length, 1000);
      assert.deepStrictEqual(core.rows(text), expected);
      assert.deepStrictEqual(await core.rowsAsync(text), expected);
      // The Buffer cut at byte PART: shift the text by one byte at a time over the character.
      for (let shift = 0; shift < 4; shift++) {
        const bytes = Buffer.from(' '.repeat(shift) + text);
        assert.deepStrictEqual(core.rows(bytes), expected, `shift ${shift}`);
      }
    }
  });

  it('should give the documents and the incremental mode\'s cursor the parsed object gives, characters cut by a part\'s end', async () => {
    for (const [cell, offset, at] of [['a😀b', 1, PART - 1], ['é😀€', 1, 2 * PART - 2]]) {
      const response = placed(1000, cell, offset, at);
      // A partial result: the error member before the tables, as the query API writes it.
      const partial = { error: { code: 'PartialError', message: 'x'.repeat(100) }, ...response };
      for (const r of [response, partial]) {
        const text = JSON.stringify(r);
        assert.ok(text.length > 2 * PART, 'several parts');
        const expected = core.bulk(r, options);
        for (let shift = 0; shift < 4; shift++) {
          const padded = ' '.repeat(shift) + text;
          assert.deepStrictEqual(core.bulk(padded, options), expected, `text, shift ${shift}`);
          assert.deepStrictEqual(await core.bulkAsync(Buffer.from(padded), options), expected, `Buffer, shift ${shift}`);
        }
        const o = { index: 'logs-azure_api', tenantName: 'Contoso', now, ids: 'revision', latestIndex: 'latest', hidden: ['TimeGenerated'] };
        const revisions = await core.revisionsAsync(r, o);
        assert.strictEqual(revisions.cursor.error === null, r === response);
        assert.deepStrictEqual(await core.revisionsAsync(text, o), revisions);
        const bytes = await core.revisionsAsync(Buffer.from(text), { ...o, bytes: true });
        assert.deepStrictEqual({ ...bytes, ndjson: Buffer.concat(bytes.ndjson).toString() }, revisions);
      }
    }
  });

  it('should read a response object a group of rows at a time as its JSON text is read (no rows, one, many)', async () => {
    for (const rows of [0, 1, 9, 2500]) {
      const response = data.response('SecurityIncident', rows, { seed: 3, now });
      response.tables[0].rows.forEach((row, i) => { if (i % 7 === 0) row[1] = `ünï ${'😀'.repeat(i % 5)} ${i}`; });
      const text = JSON.stringify(response);
      assert.deepStrictEqual(core.rows(response), core.rows(text), `${rows} rows`);
      assert.deepStrictEqual(await core.rowsAsync(response), core.rows(text), `${rows} rows`);
      assert.deepStrictEqual(await core.bulkAsync(response, options), core.bulk(text, options), `${rows} rows`);
    }
  });

  it('should name the byte of the whole text where a response read in parts is broken', () => {
    const response = placed(1000, 'é', 0, 3 * PART);
    const text = JSON.stringify(response);
    const at = text.indexOf('é');
    // A raw control character in a string: not JSON.
    const broken = `${text.slice(0, at)}\u0001${text.slice(at + 1)}`;
    const byte = Buffer.byteLength(text.slice(0, at));
    const bulk = (payload) => core.bulk(payload, options);
    for (const [payload, run] of [[broken, core.rows], [Buffer.from(broken), core.rows], [broken, bulk], [Buffer.from(broken), bulk]]) {
      assert.throws(() => run(payload), (err) => {
        const m = err.message.match(/at byte (\d+)/);
        assert.ok(m, err.message);
        // The error is at or just after the broken place (the whole text's bytes, not a part's).
        assert.ok(Number(m[1]) >= byte && Number(m[1]) < byte + 8, `${err.message} (broken at byte ${byte})`);
        return true;
      });
    }
  });
});
