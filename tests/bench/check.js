'use strict';
// The correctness gate that runs before any timing: every variant must produce the same NDJSON
// bytes as the plain-JS baseline, and the baseline the same bytes as the original code, on every
// input, with the clock fixed: passed in where a variant takes it, Date.now() pinned for the
// package's nodes, and the original function nodes started with a fixed clock (runtime.js).

const crypto = require('node:crypto');
const { inputFor } = require('./variants');

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** Where two NDJSON strings first differ, for the report. */
function firstDifference(expected, actual) {
    if (typeof actual !== 'string') return `got ${actual === null ? 'null' : typeof actual} instead of an NDJSON string`;
    const a = expected.split('\n');
    const b = actual.split('\n');
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
        if (a[i] !== b[i]) {
            let j = 0;
            while (j < Math.min((a[i] || '').length, (b[i] || '').length) && a[i][j] === b[i][j]) j += 1;
            const cut = (s) => (s === undefined ? '(no line)' : JSON.stringify(s.slice(Math.max(0, j - 40), j + 60)));
            return `line ${i + 1} (of ${a.length} / ${b.length}), column ${j + 1}: expected ${cut(a[i])}, got ${cut(b[i])}`;
        }
    }
    return 'lengths differ';
}

/**
 * Checks every variant on one input. Returns [{id, ok, note}] and the expected NDJSON.
 * input: {text, buffer, object, rows}; nowMs: the fixed clock; variants: from variants.js.
 */
async function checkInput(input, nowMs, variants) {
    const base = variants.find((v) => v.id === 'baseline');
    const expected = base.run(input, nowMs);
    const results = [];
    const realNow = Date.now;
    for (const v of variants) {
        let actual;
        try {
            Date.now = () => nowMs;
            actual = await v.run(inputFor(v, input), nowMs);
        } catch (err) {
            results.push({ id: v.id, ok: false, note: `threw: ${err.message}` });
            continue;
        } finally {
            Date.now = realNow;
        }
        if (v.own) {
            // Another mode (the incremental one): one create action and one document per row.
            if (Array.isArray(actual)) actual = Buffer.concat(actual).toString('utf8');
            const creates = typeof actual === 'string' ? actual.split('\n').filter((l) => l.startsWith('{"create":')).length : -1;
            const ok = typeof actual === 'string' && actual.endsWith('\n') && creates === input.rows && actual.split('\n').length === 2 * input.rows + 1;
            results.push({ id: v.id, ok, own: true, note: ok ? '' : `expected ${input.rows} create actions and documents, got ${creates} actions` });
            continue;
        }
        const ok = actual === expected;
        results.push({ id: v.id, ok, note: ok ? '' : firstDifference(expected, actual) });
    }
    return { results, expected, sha256: sha256(expected) };
}

module.exports = { checkInput, sha256, firstDifference };
