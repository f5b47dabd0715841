'use strict';
// Numbers in the NDJSON are what V8's JSON.stringify prints: the shipped module (ryu-js for the
// shortest digits, the literal's own digits when it has at most 15) against V8 itself, on doubles
// of every exponent and on literals longer than a double holds.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const core = require('../../node-red/lib/core');
const { prng } = require('../tools/oracle/prng');

const NOW = Date.parse('2025-11-19T10:00:00Z');
const STAMP = new Date(NOW).toISOString();
const OPTIONS = { host: 'https://elastic.example:9200', apiKey: 'k', now: NOW };

// A finite double from 64 random bits.
function randomDouble(rand) {
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    view.setUint32(0, Math.floor(rand() * 2 ** 32));
    view.setUint32(4, Math.floor(rand() * 2 ** 32));
    const v = view.getFloat64(0);
    if (Number.isFinite(v)) return v;
  }
}

// The document line core.bulk writes for {xs} (one document: the second NDJSON line).
function documentLine(xs) {
  return core.bulk([{ xs }], OPTIONS).request.payload.split('\n')[1];
}

describe('numbers', () => {
  it('should print random doubles as V8 does', () => {
    const { next: rand } = prng(17);
    for (let batch = 0; batch < 20; batch++) {
      const xs = Array.from({ length: 1000 }, () => randomDouble(rand));
      assert.equal(documentLine(xs), JSON.stringify({ xs, '@timestamp': STAMP }), `batch ${batch}`);
    }
  });

  it('should print doubles near the edges of each form as V8 does', () => {
    const xs = [];
    for (let e = -330; e <= 310; e++) {
      for (const m of [1, 1.5, 2.5e-1, 9.999999999999998, Number('1.2345678901234567'), 4.35]) xs.push(m * 10 ** e, -m * 10 ** e);
    }
    xs.push(2 ** 53, 2 ** 53 + 2, 2 ** 64, 2 ** 70, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1 + 0.2, -0);
    const finite = xs.filter(Number.isFinite);
    assert.equal(documentLine(finite), JSON.stringify({ xs: finite, '@timestamp': STAMP }));
  });

  it('should print long literals of a response as JSON.parse then JSON.stringify do', () => {
    const { next: rand } = prng(18);
    const literals = Array.from({ length: 2000 }, () => {
      const digits = Array.from({ length: 16 + Math.floor(rand() * 8) }, (_, i) => Math.floor(rand() * 10) || (i === 0 ? 1 : 0)).join('');
      const point = Math.floor(rand() * digits.length);
      return `${rand() < 0.5 ? '-' : ''}${digits.slice(0, point) || '0'}.${digits.slice(point)}e${Math.floor(rand() * 600) - 300}`;
    });
    const response = `{"tables":[{"columns":[{"name":"xs"}],"rows":[[[${literals.join(',')}]]]}]}`;
    const line = core.bulk(response, OPTIONS).request.payload.split('\n')[1];
    const xs = JSON.parse(`[${literals.join(',')}]`);
    assert.equal(line, JSON.stringify({ xs, '@timestamp': STAMP }));
  });
});
