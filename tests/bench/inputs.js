'use strict';
// The benchmark's inputs: Log Analytics query API responses from the sandbox's seeded generator
// (tests/sandbox/data.js), as the response text the http request node receives. A fixed seed and
// a fixed `now` make every run produce the same bytes, so outputs can be compared byte for byte.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const data = require('../sandbox/data');

const SEED = 20251119;
const NOW = '2025-11-19T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const BIG_BYTES = 56e6; // "a 56 MB response"

/** The response text for n rows of table (deterministic). */
function responseText(table, n) {
    return JSON.stringify(data.response(table, n, { seed: SEED, now: NOW }));
}

/** The timed inputs: {name, table, rows, text, bytes}. */
function timedInputs(quick) {
    const plan = quick
        ? [['SecurityAlert', 200], ['SecurityAlert', 1000], ['SecurityIncident', 200]]
        : [['SecurityAlert', 1000], ['SecurityAlert', 10000], ['SecurityAlert', 30000], ['SecurityIncident', 10000]];
    return plan.map(([table, rows]) => {
        const text = responseText(table, rows);
        return { name: `${table} ${rows >= 1000 ? `${rows / 1000}k` : rows}`, table, rows, text, bytes: Buffer.byteLength(text) };
    });
}

/**
 * The big response for the memory and event-loop measurements, written to a temporary file for
 * the child processes: enough SecurityAlert rows to reach ~56 MB (quick mode: 1,000 rows).
 */
function bigInput(quick, dir) {
    let rows = 1000;
    if (!quick) {
        const perRow = Buffer.byteLength(responseText('SecurityAlert', 1000)) / 1000;
        rows = Math.round(BIG_BYTES / perRow);
    }
    const text = responseText('SecurityAlert', rows);
    const file = path.join(dir, `alerts-${rows}.json`);
    fs.writeFileSync(file, text);
    return { name: `SecurityAlert ${rows} rows`, table: 'SecurityAlert', rows, file, bytes: Buffer.byteLength(text) };
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-bench-'));

module.exports = { SEED, NOW, NOW_MS, responseText, timedInputs, bigInput, tempDir };
