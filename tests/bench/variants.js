'use strict';
// The ways of turning one query API response into the _bulk NDJSON that the benchmark compares.
// Every variant starts from what the http request node hands over: the response text (a string),
// or for `fused-buf` the raw Buffer. Each run(input, now) resolves with the NDJSON string;
// `now` (ms) fixes the clock where a variant takes it as an input (correctness checks only).

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

const DEFS = [
    { id: 'baseline', label: 'baseline: plain JS (parse, convert, prepare)', runtime: false },
    { id: 'original', label: 'original code, plain calls', runtime: false, oracle: true },
    { id: 'original-nr', label: 'original flow in Node-RED (json, 2 functions)', runtime: true, oracle: true },
    { id: 'chain-nr', label: 'drop-in chain in Node-RED (rows -> bulk)', runtime: true },
    { id: 'chain-core', label: 'drop-in chain, direct core.rows -> core.bulk', runtime: false },
    { id: 'fused', label: 'fused: core.bulk(text)', runtime: false },
    { id: 'fused-buf', label: 'fused: core.bulk(Buffer)', runtime: false, buffer: true },
    { id: 'fused-nr', label: 'fused in Node-RED (sentinel-bulk)', runtime: true },
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
    if (wanted.some((d) => d.runtime)) rt = await require('./runtime').start(wanted.some((d) => d.id === 'original-nr') ? oracle : null, nowMs);
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
        'chain-nr': async (input) => (await rt.send('chain', msg(input.text))).payload,
        'chain-core': (input, now) => core.bulk(core.rows(input.text).rows, opts(now)).request.payload,
        fused: (input, now) => core.bulk(input.text, opts(now)).request.payload,
        'fused-buf': (input, now) => core.bulk(input.buffer, opts(now)).request.payload,
        'fused-nr': async (input) => (await rt.send('fused', msg(input.text))).payload,
    };

    return {
        list: wanted.map((d) => ({ ...d, run: runs[d.id] })),
        oracle,
        stop: () => (rt ? rt.stop() : undefined),
    };
}

module.exports = { createVariants, loadOracle, DEFS, ORACLE, TENANT };
