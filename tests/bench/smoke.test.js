'use strict';
// The benchmark's smoke run (`npm run bench -- --quick`): it must complete, its outputs must be
// byte-identical to the original's, and it must print every figure the issue asks for. Speed is
// never asserted here: a missed target prints FAIL in the report but does not fail this test.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('npm run bench -- --quick completes, checks its outputs and prints every figure', { timeout: 300000 }, () => {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'run.js'), '--quick'], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const out = r.stdout || '';
    assert.equal(r.status, 0, `the quick benchmark failed (exit ${r.status}):\n${out.slice(-4000)}\n${(r.stderr || '').slice(-4000)}`);
    assert.doesNotMatch(out, /DIFFERS|PROBLEM:/);
    assert.match(out, /all \d+ variants identical to the baseline/);
    for (const figure of [
        'MB/s', 'x baseline', 'x original', 'p50 ms', 'p99 ms', 'longest block ms',
        'peak RSS', 'growth / size', 'wasm memory',
        'WebAssembly memory unchanged over', 'module load <=', '.wasm <=',
        'core.createAssertion, cached key', 'node:crypto sign, key from PEM', 'jsonwebtoken.sign',
        'signature check: the package signature equals',
    ]) {
        assert.ok(out.includes(figure), `the report does not show "${figure}"`);
    }
    for (const variant of ['baseline: plain JS', 'drop-in chain in Node-RED', 'fused: core.bulk(text)', 'fused in Node-RED']) {
        assert.ok(out.includes(variant), `the report has no row for "${variant}"`);
    }
    const summary = out.split('\n').find((l) => l.startsWith('SUMMARY'));
    assert.ok(summary, 'no one-line summary');
    assert.match(summary, /outputs correct/);
    for (const key of ['fused', 'drop-in', 'mem fused', 'block fused', 'wasm fused', 'load', '.wasm', 'RS256']) {
        assert.ok(summary.includes(key), `the summary does not mention "${key}"`);
    }
});
