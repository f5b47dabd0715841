'use strict';
// A query response given as an object is written into the module a group of rows at a time
// (core.js ObjectParts): core.rows and core.bulk give what they give for its JSON text,
// whatever surrounds the rows, and it is written whole where JSON text cannot say what the
// object holds.
const { describe, it } = require('node:test');
const assert = require('node:assert');
const core = require('../../node-red/lib/core');
const data = require('../sandbox/data');

const now = Date.parse('2025-11-19T12:00:00Z');
const options = { host: 'https://elastic.example:9200', apiKey: 'k'.repeat(24), tenantName: 'Contoso', now };

// Responses around the same rows: members before and after the tables, more tables, the marker's
// own text in a cell, no rows, non-ASCII everywhere.
function shapes() {
  const base = data.response('SecurityAlert', 120, { seed: 11, now });
  const table = base.tables[0];
  const rows = table.rows.map((row, i) => (i % 7 === 3 ? row.map((cell, c) => (c === 1 ? '\u0000sentinel-elastic rows\u0000' : cell)) : row));
  return [
    base,
    { before: { x: [1, 'é'] }, tables: [{ ...table, rows }], after: '田中' },
    { tables: [{ rows, name: 'PrimaryResult', columns: table.columns }, { name: 'more', columns: [], rows: [[1]] }] },
    { tables: [{ ...table, rows: [] }] },
    { tables: [{ ...table, rows: rows.slice(0, 1) }], error: { code: 'PartialError' } },
  ];
}

describe('a response object', () => {
  it('should give the rows and the _bulk body its JSON text gives', async () => {
    for (const response of shapes()) {
      const text = JSON.stringify(response);
      assert.deepStrictEqual(await core.rowsAsync(response), core.rows(text));
      assert.deepStrictEqual(core.rows(response), core.rows(text));
      assert.deepStrictEqual(await core.bulkAsync(response, options), core.bulk(text, options));
    }
  });

  it('should keep NaN and undefined cells as the original saw them (written whole)', async () => {
    const response = data.response('SecurityIncident', 30, { seed: 12, now });
    response.tables[0].rows[2][0] = NaN;
    response.tables[0].rows[4].length = 3;
    const rows = (await core.rowsAsync(response)).rows;
    const names = response.tables[0].columns.map((c) => c.name);
    assert.ok(Number.isNaN(rows[2][names[0]]));
    assert.ok(Object.prototype.hasOwnProperty.call(rows[4], names[5]) && rows[4][names[5]] === undefined);
  });
});

describe('a response object whose first rows are far longer than the rest', () => {
  it('should be written without setting aside room for all rows as long as the first ones', async () => {
    const columns = [{ name: 'SystemAlertId' }, { name: 'Description' }];
    const rows = Array.from({ length: 200000 }, (_, i) => [`a${i}`, i < 8 ? 'x'.repeat(2e6) : '']);
    const response = { tables: [{ name: 'PrimaryResult', columns, rows }] };
    const { rows: out } = await core.rowsAsync(response);
    assert.strictEqual(out.length, rows.length);
    assert.strictEqual(out[0].Description.length, 2e6);
    assert.deepStrictEqual(out[199999], { SystemAlertId: 'a199999', Description: '' });
  });
});
