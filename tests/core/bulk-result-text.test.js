'use strict';
// core.bulkResult reads a compact _bulk response (Elasticsearch's own form) without the module,
// cutting its items where `},{"` separates two of them and letting JSON.parse check every slice,
// and any other text with the module. Both must give what the original function gives on
// JSON.parse(text): random responses with nested arrays of objects inside items (cuts that fall
// inside an item), strings full of brackets, quotes and `},{`, items not last, repeated `items`,
// and the same responses pretty-printed (read by the module) must agree.

const { describe, it } = require('node:test');
const assert = require('node:assert');
const core = require('../../node-red/lib/core');

// The original "remove 409 errors" function's result for a parsed body (its code, as the reference).
function original(body) {
  const items = Array.isArray(body.items) ? body.items : [];
  const keptItems = [];
  const conflicts = [];
  const failures = [];
  const created = [];
  for (const it of items) {
    const op = it.create || it.index || it.update || it.delete || {};
    if (op.status === 409) {
      conflicts.push(op);
      continue;
    }
    if (op.status === 201 || op.result === 'created') {
      created.push(op);
      keptItems.push(it);
      continue;
    }
    if (op.status >= 400) {
      failures.push(op);
      keptItems.push(it);
      continue;
    }
    keptItems.push(it);
  }
  const payload = { ...body, items: keptItems, errors: failures.length > 0 };
  const bulkSummary = {
    took: body.took, ingest_took: body.ingest_took, total_items: items.length, created: created.length,
    conflicts: conflicts.length, failures: failures.length, errors: failures.length > 0,
  };
  return { payload, bulkSummary, conflicts, failures };
}

function random(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return Math.floor((s / 4294967296) * n);
  };
}

const NASTY = ['},{"', '"},{"x":1}', '\\"},{\\"', '[{"items":[', ']}', '{', '}', 'ü€😀', '\u0000', ' ', ''];

function item(next, i) {
  const op = ['create', 'index', 'update', 'delete'][next(4)];
  const status = [201, 201, 409, 409, 400, 200, 500, '409', null][next(9)];
  const body = { _index: '.ds-logs', _id: `${NASTY[next(NASTY.length)]}${i}`, status };
  if (status === 201 && next(2)) body.result = 'created';
  if (next(3) === 0) body.error = { type: 'x', reason: NASTY[next(NASTY.length)], root_cause: [{ type: 'a' }, { type: 'b', reason: '},{"' }] };
  if (next(5) === 0) return { [op]: body, extra: [{ a: 1 }, { b: [{ c: 2 }, { d: 3 }] }] };
  return { [op]: body };
}

// The compact text of a response.
function responseOf(next, n) {
  const items = Array.from({ length: n }, (_, i) => item(next, i));
  switch (next(6)) {
    case 0: return JSON.stringify({ took: 3, items, errors: true }); // items not last
    // An earlier `items` that is not an array (JSON.parse keeps its place and the last value).
    case 1: return `{"items":5,${JSON.stringify({ took: 1, ingest_took: 2, errors: false, items2: [1], items }).slice(1)}`;
    default: return JSON.stringify({ errors: true, took: n, ingest_took: 1, items });
  }
}

describe('core.bulkResult on text', () => {
  it('should give the original\'s result for compact and pretty-printed responses, as text and as a Buffer', () => {
    const next = random(20251130);
    for (let round = 0; round < 60; round += 1) {
      // Large enough for several 64 KB slices in some rounds.
      const n = [0, 1, 2, 7, 50, 700, 3000][next(7)];
      const compact = responseOf(next, n);
      const expected = original(JSON.parse(compact));
      for (const text of [compact, JSON.stringify(JSON.parse(compact), null, next(2) ? 2 : '\t')]) {
        for (const payload of [text, Buffer.from(text)]) {
          const got = core.bulkResult(payload);
          assert.deepStrictEqual(got, expected, `round ${round}, ${n} items, ${typeof payload === 'string' ? 'text' : 'Buffer'}`);
          assert.deepStrictEqual(Object.keys(got.payload), Object.keys(expected.payload));
        }
      }
    }
  });

  it('should report a broken response with the module\'s errors, whichever way it is read', async () => {
    const good = JSON.stringify({ took: 1, items: [{ create: { status: 201 } }, { create: { status: 409 } }] });
    for (const [text, error] of [
      [good.replace('},{"', '},null,{"'), /item 1 is null/],
      [good.replace('"took":1', '"took":1,"items":[null]').replace('{"create":{"status":201}}', 'null'), /item 0 is null/],
      [good.replace(']}', '],}'), /not valid JSON/],
      [good.replace('"status":409', '"status":409 1'), /not valid JSON/],
      [`${good.slice(0, -2)}`, /not valid JSON/],
      [good.replace('{"took"', '{"took":1 "x"'), /not valid JSON/],
    ]) {
      assert.throws(() => core.bulkResult(text), error, text);
      await assert.rejects(core.bulkResultAsync(text), error, text);
    }
  });
});
