'use strict';
// The WebAssembly core as the nodes meet it: a trapped instance, or one in which V8 ran out of
// stack, is replaced on the next call (and keys parsed before keep working) and freed with every
// job in it; deep nesting up to the limit works whatever stack the caller has left, and beyond it
// is a clear error; a failed job never leaks; large inputs do not trap.
const probe = require('../bench/wasm-memory'); // before the module is loaded
const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const v8 = require('node:v8');
const vm = require('node:vm');
const core = require('../../node-red/lib/core');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const keys = path.join(__dirname, '..', 'fixtures', 'keys');
const pem = fs.readFileSync(path.join(keys, 'key.pem'), 'utf8');
const response = (cells) => ({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'SystemAlertId' }, { name: 'Entities' }], rows: [cells] }] });
const elastic = { host: 'https://elastic.example:9200', apiKey: 'k'.repeat(20), now: Date.parse('2025-11-19T12:00:00Z') };
const nested = (n) => '['.repeat(n) + ']'.repeat(n);
// A query response text of about 5 MB whose last row holds a cell nested `depth` levels deep.
const fiveMB = (depth) => JSON.stringify(response(['a', JSON.stringify([{ text: 'x'.repeat(5 << 20) }])])).replace(']]}]}', `],["b",${nested(depth)}]]}]}`);

// Calls fn at the deepest stack level first, then one frame further up each time, until it
// returns: some calls fail in JavaScript, some (the ones this is for) inside the module.
function atTheEndOfTheStack(fn) {
  let done = false;
  (function down() {
    try { down(); } catch (e) { /* the bottom */ }
    if (done) return;
    try { fn(); done = true; } catch (e) { /* out of stack */ }
  })();
}

describe('WebAssembly core robustness', () => {
  it('should replace a trapped instance on the next call', () => {
    const key = core.parseKey(pem);
    assert.throws(() => core.trapForTests(), (err) => err instanceof Error && /reloaded/.test(err.message) && !(err instanceof WebAssembly.RuntimeError));
    const out = core.rows(response(['a', '[]']));
    assert.deepStrictEqual(out.rows, [{ SystemAlertId: 'a', Entities: [] }]);
    const { assertion } = core.createAssertion(key, { clientId: 'c', tenantId: 'contoso.onmicrosoft.com', now: 1763553600 });
    const [h, p, s] = assertion.split('.');
    const cert = crypto.createPublicKey(crypto.createPrivateKey(pem));
    assert.ok(crypto.verify('sha256', Buffer.from(`${h}.${p}`), cert, Buffer.from(s, 'base64url')), 'a key parsed before the trap signs correctly after it');
  });

  it('should replace an instance in which V8 ran out of stack (a RangeError inside the module) like a trapped one', () => {
    const before = probe.instances();
    assert.throws(() => core.overflowForTests(), (err) => !(err instanceof RangeError) && /internal error in the WebAssembly core \(Maximum call stack size exceeded\); it was reloaded/.test(err.message));
    assert.strictEqual(core.bulk(response(['b', '[]']), elastic).documents, 1);
    assert.strictEqual(probe.instances(), before + 1, 'a fresh instance was loaded');
  });

  it('should copy nesting up to 2,000 levels and refuse deeper with a clear error', () => {
    const ok = core.bulk(response(['a', nested(1999)]), elastic);
    assert.ok(ok.request.payload.includes(`"Entities":${nested(1999)}`));
    assert.throws(() => core.bulk(response(['a', nested(5000)]), elastic), (err) => /nested more than 2000 levels/.test(err.message));
    // Still healthy afterwards.
    assert.strictEqual(core.bulk(response(['b', '[]']), elastic).documents, 1);
  });

  it('should hold the 2,000-level limit with little stack left (a busy Node-RED runtime), in every node', () => {
    // The core reads, cleans and writes values in loops: its stack use does not grow with the
    // nesting. 150 KB is less than the original flow needed for 2,000 levels.
    const script = `
      const core = require(${JSON.stringify(require.resolve('../../node-red/lib/core'))});
      const nested = (n, leaf = '') => '['.repeat(n) + leaf + ']'.repeat(n);
      const table = (cells) => '{"tables":[{"columns":[{"name":"SystemAlertId"},{"name":"X"},{"name":"EndTime"}],"rows":[[' + cells + ']]}]}';
      const elastic = { host: 'https://e', apiKey: 'k', now: 0, tenantName: 'T' };
      const outcome = (f) => { try { f(); return 'ok'; } catch (e) { return e.constructor.name + ': ' + e.message.slice(0, 60); } };
      console.log(JSON.stringify({
        bulk: outcome(() => core.bulk(table('"a",' + nested(2000) + ',' + nested(1999, '"2025-11-19T10:00:00Z"')), elastic)),
        bulkDeeper: outcome(() => core.bulk(table('"a",' + nested(2001) + ',null'), elastic)),
        rows: outcome(() => core.rows(table('"a",' + nested(100000) + ',null'))),
        bulkResult: outcome(() => core.bulkResult('{"items":[' + nested(100000) + ',{"create":{"status":' + nested(1990, '409') + '}}]}')),
      }));`;
    const run = spawnSync(process.execPath, ['--stack-size=150', '-e', script], { encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stderr);
    assert.deepStrictEqual(JSON.parse(run.stdout), {
      bulk: 'ok',
      bulkDeeper: 'Error: a value is nested more than 2000 levels deep; flatten it bef',
      rows: 'ok',
      bulkResult: 'ok',
    });
  });

  it('should never leak a failed job: 40 failing 5 MB messages leave the module memory as it was', async () => {
    const text = fiveMB(2001);
    await assert.rejects(core.bulkAsync(text, elastic), /nested more than 2000 levels/);
    const after = probe.wasmBytes();
    for (let i = 0; i < 40; i++) {
      await assert.rejects(core.bulkAsync(text, elastic), /nested more than 2000 levels/);
      await assert.rejects(core.bulkAsync(Buffer.from(text.replace(nested(2001), '[1,]')), elastic), /not valid JSON/);
    }
    assert.strictEqual(probe.wasmBytes(), after, 'the module memory did not grow');
  });

  it('should free an instance that ran out of stack in the middle of a job, with the job and its 5 MB input', async () => {
    const key = core.parseKey(pem); // a key parsed in an instance does not keep it alive
    const text = fiveMB(1);
    const before = probe.instances();
    for (let i = 0; i < 40 && probe.instances() < before + 3; i++) atTheEndOfTheStack(() => core.bulk(text, elastic));
    assert.ok(probe.instances() >= before + 3, `the module ran out of stack inside a call (instances: ${before} -> ${probe.instances()})`);
    assert.strictEqual(core.bulk(text, elastic).documents, 2);
    // A WeakRef keeps its target until the end of the job that made it, and the finalizers of
    // the old instance's objects (which refer to it) run after a collection: a few rounds.
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    assert.strictEqual(probe.reachable(), 1, 'only the live instance is still in memory');
    assert.match(core.createAssertion(key, { clientId: 'c', tenantId: 't', now: 1763553600 }).assertion, /^ey/);
  });

  it('should turn a 20 MB document into NDJSON without trapping', () => {
    const big = JSON.stringify([{ text: 'x'.repeat(20 << 20) }]);
    const out = core.bulk(response(['a', big]), elastic);
    assert.strictEqual(out.documents, 1);
    assert.ok(out.request.payload.length > 20 << 20);
  });
});
