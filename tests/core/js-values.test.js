'use strict';
// undefined and NaN in payloads made by JavaScript reach the core without in-band marker
// strings (core.js writes them as bare words, src/json/tag.rs reads them) and come back where
// they were: the original flow's behaviour, and no string can be mistaken for them.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const core = require('../../node-red/lib/core');

const NOW = Date.parse('2025-11-19T10:00:00Z');
const STAMP = '"@timestamp":"2025-11-19T10:00:00.000Z"';
const OPTIONS = { host: 'https://elastic.example:9200', apiKey: 'k', now: NOW };
const lines = (payload, o = OPTIONS) => core.bulk(payload, o).request.payload.split('\n');
const response = (columns, rows) => ({ tables: [{ name: 'PrimaryResult', columns: columns.map((name) => ({ name })), rows }] });

describe('JavaScript values', () => {
  it('should give no _id for a NaN SystemAlertId, as `if (doc.SystemAlertId)` is false for NaN', () => {
    const out = lines([{ SystemAlertId: NaN, IncidentName: 'inc-1' }, { SystemAlertId: NaN }, { SystemAlertId: Infinity }]);
    assert.equal(out[0], '{"create":{"_index":"logs-azure_api","_id":"inc-1"}}');
    assert.equal(out[1], `{"SystemAlertId":null,"IncidentName":"inc-1",${STAMP}}`);
    assert.equal(out[2], '{"create":{"_index":"logs-azure_api"}}');
    assert.equal(out[4], '{"create":{"_index":"logs-azure_api","_id":"Infinity"}}');
  });

  it('should keep NaN cells (printed null) and drop undefined ones in their place, as clean() did', () => {
    const doc = { a: NaN, b: undefined, '@timestamp': undefined, c: [NaN, undefined, 1], customer: NaN, d: { e: undefined, f: -Infinity } };
    const out = lines([doc], { ...OPTIONS, tenantName: 'T' });
    assert.equal(out[1], `{"a":null,${STAMP},"c":[null,1],"customer":{"name":"T"},"d":{"f":null}}`);
  });

  it('should keep strings that spell the old markers as strings', () => {
    const doc = { SystemAlertId: '\u0000\u0001undefined', x: '\u0000\u0001inf', y: '\u0000\u0001-inf', z: 'NaN', u: 'undefined', n: NaN };
    const out = lines([doc]);
    assert.equal(out[0], '{"create":{"_index":"logs-azure_api","_id":"\\u0000\\u0001undefined"}}');
    assert.equal(out[1], `{"SystemAlertId":"\\u0000\\u0001undefined","x":"\\u0000\\u0001inf","y":"\\u0000\\u0001-inf","z":"NaN","u":"undefined","n":null,${STAMP}}`);
  });

  it('should write other values as JSON.stringify does', () => {
    const when = new Date(Date.UTC(2025, 0, 2));
    const doc = {
      n: NaN, // makes the whole document take the tagged path
      date: when,
      own: { toJSON: (key) => `json of ${key}` },
      boxed: [Object(5), Object('s'), Object(false)],
      f() {},
      [Symbol('s')]: 1,
      list: [undefined, , 2], // eslint-disable-line no-sparse-arrays
      nested: { deep: [{ x: 1 }] },
    };
    const out = lines([doc]);
    assert.equal(out[1], `{"n":null,"date":${JSON.stringify(when)},"own":"json of own","boxed":[5,"s",false],"list":[2],"nested":{"deep":[{"x":1}]},${STAMP}}`);
    const cyclic = { n: NaN };
    cyclic.self = cyclic;
    assert.throws(() => core.bulk([cyclic], OPTIONS), TypeError);
    assert.throws(() => core.bulk([{ n: NaN, big: 1n }], OPTIONS), TypeError);
  });

  it('should refuse a payload nested too deeply with the documented words, not a RangeError', () => {
    let deep = { n: NaN };
    for (let i = 0; i < 100000; i++) deep = { deep };
    assert.throws(() => core.bulk([deep], OPTIONS), (err) => !(err instanceof RangeError) && /nested more than \d+ levels deep/.test(err.message));
  });

  it('should give rows with undefined and NaN cells back as the original did', async () => {
    const payload = response(['a', 'b', 'c', 'Entities'], [[undefined, NaN, [undefined, NaN, 1], '[1]'], ['x', Infinity, 'NaN']]);
    for (const r of [core.rows(payload), await core.rowsAsync(payload)]) {
      assert.equal(r.rows.length, 2);
      assert.deepEqual(Object.keys(r.rows[0]), ['a', 'b', 'c', 'Entities']);
      assert.ok(Object.hasOwn(r.rows[0], 'a') && r.rows[0].a === undefined);
      assert.ok(Number.isNaN(r.rows[0].b));
      assert.equal(r.rows[0].c.length, 3);
      assert.ok(r.rows[0].c[0] === undefined && 0 in r.rows[0].c && Number.isNaN(r.rows[0].c[1]) && r.rows[0].c[2] === 1);
      assert.deepEqual(r.rows[0].Entities, [1]);
      // A short row: the missing cell is undefined, in its place.
      assert.deepEqual(Object.keys(r.rows[1]), ['a', 'b', 'c', 'Entities']);
      assert.deepEqual([r.rows[1].a, r.rows[1].b, r.rows[1].c, r.rows[1].Entities], ['x', Infinity, 'NaN', undefined]);
    }
  });

  it('should give rows of a text response as JSON.parse does, refusing bare NaN', () => {
    const text = '{"tables":[{"columns":[{"name":"a"}],"rows":[[NaN]]}]}';
    assert.throws(() => core.rows(text), /not valid JSON/);
    assert.deepEqual(core.rows('{"tables":[{"columns":[{"name":"a"}],"rows":[["\\u0000\\u0001undefined"]]}]}').rows, [{ a: '\u0000\u0001undefined' }]);
  });

  it('should keep undefined and NaN in a _bulk response object', () => {
    const r = core.bulkResult({ took: NaN, items: [{ create: { status: NaN, x: undefined } }, { index: { status: 409 } }] });
    assert.ok(Number.isNaN(r.bulkSummary.took));
    assert.deepEqual([r.bulkSummary.total_items, r.bulkSummary.created, r.bulkSummary.conflicts, r.bulkSummary.failures], [2, 0, 1, 0]);
    const op = r.payload.items[0].create;
    assert.ok(Number.isNaN(op.status) && Object.hasOwn(op, 'x') && op.x === undefined);
    assert.deepEqual(Object.keys(r.payload), ['took', 'items', 'errors']);
    assert.equal(core.bulkResult({ items: [], took: undefined }).bulkSummary.took, undefined);
  });

  it('should take an undefined or NaN operation of a _bulk item as falsy, at once and in slices', async () => {
    const failed = { status: 500 };
    const payload = { items: [{ create: undefined, index: { status: 201 } }, { create: NaN, delete: failed }], x: undefined };
    for (const r of [core.bulkResult(payload), await core.bulkResultAsync(payload)]) {
      assert.deepEqual([r.bulkSummary.created, r.bulkSummary.failures], [1, 1]);
      assert.strictEqual(r.failures[0], failed);
      assert.ok(Object.hasOwn(r.payload, 'x') && r.payload.x === undefined);
    }
  });
});
