'use strict';
// sentinel-bulk-result against the original "remove 409 errors" function on a large _bulk
// response (about 50 MB, a million items: created, 409 conflicts, a few failures), given as the
// http request node gives it: text, a Buffer, or a parsed object. Runs alternate; each run is
// timed in CPU time (process.cpuUsage: on a busy machine wall time mostly measures the other
// processes) and wall time. core.bulkResultAsync is what the node runs (in slices); the original
// runs compiled once, as a function node runs it. Results are compared before anything is timed.

const assert = require('node:assert');
const path = require('node:path');
const { gc, percentile } = require('./stats');
const { loadOracle } = require('./variants');

const ROOT = path.join(__dirname, '..', '..');

/**
 * A _bulk response as Elasticsearch 8 writes it (seeded: the same bytes every run): `full` items
 * as a data stream returns them (about 280 bytes each), else the shortest items that still have
 * an operation and a status (about 48 bytes: a million of them make the 48 MB of the issue).
 */
function bulkResponse(n, full = true) {
    let seed = 20251119;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const index = '.ds-logs-azure_api-default-2025.11.19-000001';
    const items = new Array(n);
    for (let i = 0; i < n; i += 1) {
        const r = random();
        const id = full ? `${(r * 1e16).toString(16)}-${i}` : `a${i}`;
        if (!full) {
            items[i] = r < 0.6 ? `{"create":{"_id":"${id}","status":201,"result":"created"}}`
                : r < 0.98 ? `{"create":{"_id":"${id}","status":409}}` : `{"create":{"_id":"${id}","status":400,"error":{"type":"x"}}}`;
            continue;
        }
        items[i] = r < 0.6
            ? `{"create":{"_index":"${index}","_id":"${id}","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":${i},"_primary_term":1,"status":201}}`
            : r < 0.98
                ? `{"create":{"_index":"${index}","_id":"${id}","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[${id}]: version conflict, document already exists (current version [1])","index_uuid":"5Zb9t2vXQm2","shard":"0","index":"${index}"}}}`
                : `{"create":{"_index":"${index}","_id":"${id}","status":400,"error":{"type":"document_parsing_exception","reason":"[1:42] failed to parse field [Severity] of type [long]"}}}`;
    }
    return `{"errors":true,"took":${n >> 4},"ingest_took":3,"items":[${items.join(',')}]}`;
}

// A full collection, then a pause: V8 sweeps and frees the collected memory on helper threads,
// whose CPU time process.cpuUsage counts, so that the next run is not charged for it.
async function settle() {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
}

function cpuMs(run) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const result = run();
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall, items: result.bulkSummary.total_items };
}

async function cpuMsAsync(run) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const result = await run();
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall, items: result.bulkSummary.total_items };
}

/** Where core.bulkResultAsync's result differs from the original function's, or null. */
async function compare(core, original, make) {
    const mine = await core.bulkResultAsync(make());
    const theirs = original({ payload: make() }, { error() {}, warn() {} });
    try {
        assert.deepStrictEqual(mine.bulkSummary, theirs.bulkSummary);
        assert.strictEqual(JSON.stringify(mine.payload), JSON.stringify(theirs.payload));
        assert.strictEqual(JSON.stringify(mine.conflicts), JSON.stringify(theirs.conflicts));
        return null;
    } catch (err) {
        return err.message.split('\n')[0];
    }
}

/**
 * Rows {shape, form, bytes, items, package: {cpu, wall}, original: {cpu, wall}} (medians) for each
 * shape ({name, items, full}: see bulkResponse) given as text, Buffer and object; rows null when the
 * original flow's code is not there.
 */
async function benchBulkResult({ shapes, rounds }) {
    const oracle = loadOracle();
    if (!oracle) return { rows: null, problems: [] };
    const core = require(path.join(ROOT, 'node-red', 'lib', 'core'));
    const original = oracle.compile('filter409');
    const quiet = { error() {}, warn() {} };
    const problems = [];
    const rows = [];
    for (const { name, items, full } of shapes) {
      const text = bulkResponse(items, full);
      const forms = { text: () => text, Buffer: () => Buffer.from(text), object: () => JSON.parse(text) };
      for (const [form, make] of Object.entries(forms)) {
        // Same result first: the original's message properties against the node's (not kept
        // while timing: a larger heap makes every collection slower).
        const differs = await compare(core, original, make);
        if (differs) {
            problems.push(`bulk-result (${form}): the output differs from the original's: ${differs}`);
            continue;
        }
        const times = { package: [], original: [] };
        // An object payload takes about 10-40 ms: three times the rounds, for a steadier median.
        const runs = form === 'object' ? 3 * rounds : rounds;
        for (let i = 0; i < runs; i += 1) {
            // A fresh payload per run, made outside the timing (an object payload is not copied by either).
            let payload = make();
            await settle();
            times.original.push(cpuMs(() => original({ payload }, quiet)));
            payload = make();
            await settle();
            times.package.push(await cpuMsAsync(() => core.bulkResultAsync(payload)));
        }
        const median = (list) => ({ cpu: percentile(list.map((t) => t.cpu), 50), wall: percentile(list.map((t) => t.wall), 50) });
        rows.push({ shape: name, form, bytes: Buffer.byteLength(text), items, package: median(times.package), original: median(times.original) });
      }
    }
    return { rows, problems };
}

module.exports = { benchBulkResult, bulkResponse };
