'use strict';
// The ways of turning one query API response into the _bulk NDJSON that the benchmark compares.
// Every variant starts from what the http request node hands over: the response text (a string),
// the raw Buffer, or the parsed object (see DEFS). Each run(input, now) resolves with the NDJSON string;
// `now` (ms) fixes the clock where a variant takes it as an input (correctness checks only). The
// incremental mode's variant resolves with the NDJSON's UTF-8 in Buffers, as its nodes send it.

const fs = require('node:fs');
const path = require('node:path');
const baseline = require('./baseline');

const ROOT = path.join(__dirname, '..', '..');
const ORACLE = path.join(ROOT, '..', 'shared', 'tools', 'original-flow.js');
const TENANT = 'contoso';

/** The original flow's code (../shared/tools/original-flow.js), or null when that file is absent. */
function loadOracle() {
    return fs.existsSync(ORACLE) ? require(ORACLE) : null;
}

// `object`: the variant is given the parsed response (an http request node set to "a parsed JSON
// object"), `buffer`: the raw bytes ("a binary buffer"), else the text ("a UTF-8 string").
// `own`: the output is not the original's (another mode), checked on its own terms (check.js).
const DEFS = [
    { id: 'baseline', label: 'baseline: plain JS (parse, convert, prepare)', runtime: false },
    { id: 'original', label: 'original code, plain calls', runtime: false, oracle: true },
    { id: 'original-nr', label: 'original flow in Node-RED (json, 2 functions)', runtime: true, oracle: true },
    { id: 'original-obj-nr', label: 'original flow in Node-RED, object in (2 functions)', runtime: true, oracle: true, object: true },
    { id: 'chain-nr', label: 'drop-in chain in Node-RED (rows -> bulk)', runtime: true },
    { id: 'chain-obj-nr', label: 'drop-in chain in Node-RED, object in', runtime: true, object: true },
    { id: 'chain-core', label: 'drop-in chain, direct core.rows -> core.bulk', runtime: false },
    { id: 'fused', label: 'fused: core.bulk(text)', runtime: false },
    { id: 'fused-buf', label: 'fused: core.bulk(Buffer)', runtime: false, buffer: true },
    { id: 'fused-nr', label: 'fused in Node-RED (sentinel-bulk)', runtime: true },
    { id: 'fused-buf-nr', label: 'fused in Node-RED, Buffer in (sentinel-bulk)', runtime: true, buffer: true },
    { id: 'fused-async', label: 'fused in slices: core.bulkAsync(text)', runtime: false },
    { id: 'fused-buf-async', label: 'fused in slices: core.bulkAsync(Buffer)', runtime: false, buffer: true },
    { id: 'incremental', label: 'incremental mode in slices: core.revisionsAsync(Buffer, bytes)', runtime: false, own: true, buffer: true },
];

/**
 * The variants (all, or those in `ids`), with the Node-RED runtime started when one needs it.
 * Resolves with {list: [{id, label, buffer, run(input, now)}], oracle, stop()}. The original
 * function nodes in Node-RED always run with their clock fixed at nowMs (see runtime.js).
 */
async function createVariants(ids, nowMs) {
    const oracle = loadOracle();
    const core = require(path.join(ROOT, 'node-red', 'lib', 'core'));
    const wanted = DEFS.filter((d) => (!ids || ids.includes(d.id)) && (!d.oracle || oracle));
    let rt = null;
    if (wanted.some((d) => d.runtime)) rt = await require('./runtime').start(wanted.some((d) => d.oracle && d.runtime) ? oracle : null, nowMs);
    const host = rt ? rt.host : 'https://elastic.example:9200';
    const apiKey = rt ? rt.apiKey : 'YmVuY2g6YmVuY2gtYXBpLWtleQ==';
    const opts = (now) => ({ host, apiKey, tenantName: TENANT, now });
    const msg = (payload) => ({ payload, oauth: { tenantName: TENANT }, elastic: { host, apiKey } });

    // The original code compiled once, as a function node compiles its body once; for the
    // correctness checks it runs through the oracle's run(), which can fix the clock.
    const quiet = { error: (m) => { throw new Error(String(m)); }, warn: () => {} };
    const compiled = oracle ? { convert: oracle.compile('convert'), prepare: oracle.compile('prepareBulk') } : null;
    const originalTimed = (text) => compiled.prepare(compiled.convert(msg(JSON.parse(text)), quiet), quiet).payload;
    const originalClocked = (text, now) => {
        const o = { now: new Date(now).toISOString() };
        const converted = oracle.run('convert', msg(JSON.parse(text)), o);
        if (!converted.msg) throw new Error(`original convert: ${converted.thrown || converted.errors.join('; ')}`);
        const prepared = oracle.run('prepare-bulk', converted.msg, o);
        if (!prepared.msg) throw new Error(`original prepare: ${prepared.thrown || prepared.errors.join('; ')}`);
        return prepared.msg.payload;
    };

    const runs = {
        baseline: (input, now) => baseline.chain(input.text, opts(now)).payload,
        original: (input, now) => (now === undefined ? originalTimed(input.text) : originalClocked(input.text, now)),
        'original-nr': async (input) => (await rt.send('original', msg(input.text))).payload,
        'original-obj-nr': async (input) => (await rt.send('original-obj', msg(input.object))).payload,
        'chain-nr': async (input) => (await rt.send('chain', msg(input.text))).payload,
        'chain-obj-nr': async (input) => (await rt.send('chain', msg(input.object))).payload,
        'chain-core': (input, now) => core.bulk(core.rows(input.text).rows, opts(now)).request.payload,
        fused: (input, now) => core.bulk(input.text, opts(now)).request.payload,
        'fused-buf': (input, now) => core.bulk(input.buffer, opts(now)).request.payload,
        'fused-nr': async (input) => (await rt.send('fused', msg(input.text))).payload,
        'fused-buf-nr': async (input) => (await rt.send('fused', msg(input.buffer))).payload,
        'fused-async': async (input, now) => (await core.bulkAsync(input.text, opts(now))).request.payload,
        'fused-buf-async': async (input, now) => (await core.bulkAsync(input.buffer, opts(now))).request.payload,
        // Every revision its own document (ids `key@time`), as the incremental nodes write them:
        // the query response's bytes in, the NDJSON's bytes out (they send it themselves).
        incremental: async (input, now) => (await core.revisionsAsync(input.buffer, { tenantName: TENANT, now, ids: 'revision', bytes: true })).ndjson,
    };

    return {
        list: wanted.map((d) => ({ ...d, run: runs[d.id] })),
        oracle,
        stop: () => (rt ? rt.stop() : undefined),
    };
}

/**
 * The input for one run of `variant`: `input` ({text, buffer}) with the parsed object added for
 * the variants given one. Made anew for each run, outside the timing, and dropped after it, so
 * that the parsed responses of every input do not sit in the heap (and slow every collection)
 * while the other variants run.
 */
function inputFor(variant, input) {
    return variant.object && !input.object ? { ...input, object: JSON.parse(input.text) } : input;
}

module.exports = { createVariants, inputFor, loadOracle, DEFS, ORACLE, TENANT };
