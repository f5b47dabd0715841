'use strict';
// core.rowsAsync and core.bulkAsync (what sentinel-rows and sentinel-bulk use) give exactly
// core.rows's and core.bulk's results while leaving the event loop free between slices.
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
