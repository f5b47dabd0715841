'use strict';
// sentinel-bulk-result against the original "remove 409 errors" function on a large _bulk
// response (about 50 MB, a million items: created, 409 conflicts, a few failures), given as the
// http request node gives it: text, a Buffer, or a parsed object. Runs alternate; each run is
// timed in CPU time (process.cpuUsage: on a busy machine wall time mostly measures the other
// processes) and wall time. core.bulkResultAsync is what the node runs (in slices); the original
// runs compiled once, as a function node runs it. Results are compared before anything is timed.

const assert = require('node:assert');
const path = require('node:path');
const { percentile } = require('./stats');
const { loadOracle } = require('./variants');

const ROOT = path.join(__dirname, '..', '..');

/** A _bulk response of n items as Elasticsearch 8 writes it (seeded: the same bytes every run). */
function bulkResponse(n) {
    let seed = 20251119;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const index = '.ds-logs-azure_api-default-2025.11.19-000001';
    const items = new Array(n);
    for (let i = 0; i < n; i += 1) {
        const r = random();
        const id = `${(r * 1e16).toString(16)}-${i}`;
        items[i] = r < 0.6
            ? `{"create":{"_index":"${index}","_id":"${id}","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":${i},"_primary_term":1,"status":201}}`
            : r < 0.98
                ? `{"create":{"_index":"${index}","_id":"${id}","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[${id}]: version conflict, document already exists (current version [1])","index_uuid":"5Zb9t2vXQm2","shard":"0","index":"${index}"}}}`
                : `{"create":{"_index":"${index}","_id":"${id}","status":400,"error":{"type":"document_parsing_exception","reason":"[1:42] failed to parse field [Severity] of type [long]"}}}`;
    }
    return `{"errors":true,"took":${n >> 4},"ingest_took":3,"items":[${items.join(',')}]}`;
}

function cpuMs(run) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const result = run();
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall, result };
}

async function cpuMsAsync(run) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const result = await run();
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall, result };
}

/**
 * Rows {form, bytes, items, package: {cpu, wall}, original: {cpu, wall}} (medians) for text, Buffer
 * and object payloads; null when the original flow's code is not there.
 */
async function benchBulkResult({ items, rounds }) {
    const oracle = loadOracle();
    if (!oracle) return { rows: null, problems: [] };
    const core = require(path.join(ROOT, 'node-red', 'lib', 'core'));
    const original = oracle.compile('filter409');
    const quiet = { error() {}, warn() {} };
    const text = bulkResponse(items);
    const forms = { text: () => text, Buffer: () => Buffer.from(text), object: () => JSON.parse(text) };
    const problems = [];
    const rows = [];
    for (const [form, make] of Object.entries(forms)) {
        // Same result first: the original's message properties against the node's.
        const mine = await core.bulkResultAsync(make());
        const theirs = original({ payload: make() }, quiet);
        try {
            assert.deepStrictEqual(mine.bulkSummary, theirs.bulkSummary);
            assert.strictEqual(JSON.stringify(mine.payload), JSON.stringify(theirs.payload));
            assert.strictEqual(JSON.stringify(mine.conflicts), JSON.stringify(theirs.conflicts));
        } catch (err) {
            problems.push(`bulk-result (${form}): the output differs from the original's: ${err.message.split('\n')[0]}`);
            continue;
        }
        const times = { package: [], original: [] };
        for (let i = 0; i < rounds; i += 1) {
            // A fresh payload per run, made outside the timing (an object payload is not copied by either).
            let payload = make();
            global.gc?.();
            times.original.push(cpuMs(() => original({ payload }, quiet)));
            payload = make();
            global.gc?.();
            times.package.push(await cpuMsAsync(() => core.bulkResultAsync(payload)));
        }
        const median = (list) => ({ cpu: percentile(list.map((t) => t.cpu), 50), wall: percentile(list.map((t) => t.wall), 50) });
        rows.push({ form, bytes: Buffer.byteLength(text), items, package: median(times.package), original: median(times.original) });
    }
    return { rows, problems };
}

module.exports = { benchBulkResult, bulkResponse };
