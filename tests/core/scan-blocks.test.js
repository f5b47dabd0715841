'use strict';
// The module scans strings sixteen bytes at a time (WebAssembly SIMD) and eight at a time where
// fewer remain: a quote, a backslash, a control character, a character outside ASCII or a lone
// surrogate in every place of a block, in a cell and in JSON inside a cell, must come out as
// JSON.parse reads it, through core.rows (row objects) and core.bulk (the NDJSON documents).
const { describe, it } = require('node:test');
const assert = require('node:assert');
const core = require('../../node-red/lib/core');

const SPECIALS = ['"', '\\', '\n', '\u0001', '\u001f', '\u007f', 'é', '€', '😀', '\ud800', '\udfff', '/'];

function cells() {
  const out = [];
  for (let len = 0; len < 40; len++) {
    for (const special of SPECIALS) {
      for (let at = 0; at <= len; at += len > 20 ? 3 : 1) out.push(`${'a'.repeat(at)}${special}${'b'.repeat(len - at)}`);
    }
  }
  return out;
}

describe('strings scanned a block at a time', () => {
  const all = cells();
  // Each cell as a string, and inside JSON in a string (the nested fields the nodes parse).
  const response = {
    tables: [{
      name: 'PrimaryResult',
      columns: [{ name: 'SystemAlertId', type: 'string' }, { name: 'Description', type: 'string' }, { name: 'Entities', type: 'string' }],
      rows: all.map((cell, i) => [`id-${i}`, cell, JSON.stringify([{ Name: cell, n: i, [cell]: 1 }])]),
    }],
  };
  const text = JSON.stringify(response);

  it('gives JSON.parse\'s strings through core.rows', () => {
    for (const payload of [text, Buffer.from(text)]) {
      const { rows } = core.rows(payload);
      assert.strictEqual(rows.length, all.length);
      rows.forEach((row, i) => {
        assert.strictEqual(row.Description, all[i], `cell ${i}`);
        assert.deepStrictEqual(row.Entities, JSON.parse(response.tables[0].rows[i][2]), `nested ${i}`);
      });
    }
  });

  it('gives JSON.parse\'s strings through core.bulk', () => {
    const o = { host: 'https://elastic.example:9200', apiKey: 'k'.repeat(24), tenantName: 'T', now: 0 };
    for (const payload of [text, Buffer.from(text)]) {
      const lines = core.bulk(payload, o).request.payload.split('\n');
      assert.strictEqual(lines.length, 2 * all.length + 1);
      all.forEach((cell, i) => {
        const doc = JSON.parse(lines[2 * i + 1]);
        assert.strictEqual(doc.Description, cell, `cell ${i}`);
        assert.deepStrictEqual(doc.Entities, JSON.parse(response.tables[0].rows[i][2]), `nested ${i}`);
      });
    }
  });
});
