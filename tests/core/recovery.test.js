'use strict';
// The WebAssembly core as the nodes meet it: a trapped instance is replaced on the next call
// (and keys parsed before the trap keep working), deep nesting up to the limit fits the stack
// and beyond it is a clear error, and large inputs do not trap.
const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const core = require('../../node-red/lib/core');

const keys = path.join(__dirname, '..', 'fixtures', 'keys');
const pem = fs.readFileSync(path.join(keys, 'key.pem'), 'utf8');
const response = (cells) => ({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'SystemAlertId' }, { name: 'Entities' }], rows: [cells] }] });
const elastic = { host: 'https://elastic.example:9200', apiKey: 'k'.repeat(20), now: Date.parse('2025-11-19T12:00:00Z') };

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

  it('should copy nesting up to 2,000 levels and refuse deeper with a clear error', () => {
    const nested = (n) => '['.repeat(n) + ']'.repeat(n);
    const ok = core.bulk(response(['a', nested(1999)]), elastic);
    assert.ok(ok.request.payload.includes(`"Entities":${nested(1999)}`));
    assert.throws(() => core.bulk(response(['a', nested(5000)]), elastic), (err) => /nested more than 2000 levels/.test(err.message));
    // Still healthy afterwards.
    assert.strictEqual(core.bulk(response(['b', '[]']), elastic).documents, 1);
  });

  it('should turn a 20 MB document into NDJSON without trapping', () => {
    const big = JSON.stringify([{ text: 'x'.repeat(20 << 20) }]);
    const out = core.bulk(response(['a', big]), elastic);
    assert.strictEqual(out.documents, 1);
    assert.ok(out.request.payload.length > 20 << 20);
  });
});
