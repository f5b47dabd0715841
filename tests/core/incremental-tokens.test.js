'use strict';
// node-red/lib/incremental/tokens.js against the sandbox's Entra ID: one token request per
// lifetime, renewal before expiry (an injected clock), shared pending requests, invalidation of
// a refused token, Entra errors turned into fixes, caches shared per app registration, and the
// private key kept out of JSON and messages.

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const LIB = path.resolve(__dirname, '..', '..', 'node-red', 'lib', 'incremental');
const { TokenCache, tokenCacheFor, renewMargin } = require(path.join(LIB, 'tokens'));
const { runQuery } = require(path.join(LIB, 'query'));
const sandboxLib = require('../sandbox');

for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) delete process.env[k];

const OTHER_KEY = fs.readFileSync(path.join(sandboxLib.FIXTURES, 'other.key.pem'), 'utf8');
/** The base64 lines of a PEM: any of them in a text betrays the key. */
const keyLines = (pem) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

describe('TokenCache', () => {
  let sb;
  let t;
  let scope;
  before(async () => {
    sb = await sandboxLib.start({ alerts: 0, incidents: 0 });
    t = sb.tenants[0];
    scope = t.scope;
  });
  after(() => sb.stop());

  const t0QueryUrl = () => t.queryUrl;
  const settings = (extra = {}) => ({ clientId: t.clientId, tenantId: t.tenantId, authorityHost: sb.entra.origin, certificatePem: t.certificatePem, privateKeyPem: t.privateKeyPem, ...extra });
  /** A cache on a clock the test moves; `requests()` counts what reached Entra since it was made. */
  function cache(extra) {
    const clock = { ms: 1_000_000 };
    const c = new TokenCache(settings(extra), { now: () => clock.ms, http: () => ({ proxy: null }) });
    const before0 = sb.entra.tokenRequests;
    return { c, clock, requests: () => sb.entra.tokenRequests - before0 };
  }

  test('one token request for many get() calls while the token is valid', async () => {
    const { c, clock, requests } = cache();
    const first = await c.get(scope);
    for (let i = 0; i < 5; i += 1) {
      clock.ms += 60e3;
      assert.equal(await c.get(scope), first);
    }
    assert.equal(requests(), 1);
    assert.equal(c.requests, 1);
  });

  test('renews within the margin before expiry, not earlier', async () => {
    const { c, clock, requests } = cache();
    const start = clock.ms;
    const first = await c.get(scope); // expires_in 3599 s: renewed 5 minutes before
    clock.ms = start + 3599e3 - 300e3 - 1;
    assert.equal(await c.get(scope), first);
    assert.equal(requests(), 1);
    clock.ms = start + 3599e3 - 300e3;
    const second = await c.get(scope);
    assert.equal(requests(), 2);
    assert.notEqual(second, first);
  });

  test('the margin is five minutes, or a quarter of a short lifetime', () => {
    assert.equal(renewMargin(3599e3), 300e3);
    assert.equal(renewMargin(60e3), 15e3);
  });

  test('concurrent get() calls share one request', async () => {
    const { c, requests } = cache();
    const got = await Promise.all(Array.from({ length: 10 }, () => c.get(scope)));
    assert.equal(new Set(got).size, 1);
    assert.equal(requests(), 1);
  });

  test('invalidate(token) forces a new token only when it is the cached one', async () => {
    const { c, requests } = cache();
    const a = await c.get(scope);
    c.invalidate(scope, 'some-other-token');
    assert.equal(await c.get(scope), a);
    assert.equal(requests(), 1);
    c.invalidate(scope, a);
    const b = await c.get(scope);
    assert.notEqual(b, a);
    assert.equal(requests(), 2);
    c.invalidate(scope, a); // a late 401 for the old token does not drop the new one
    assert.equal(await c.get(scope), b);
    assert.equal(requests(), 2);
  });

  test('AADSTS700016 (unknown client id) names the fix; a failure is not cached', async () => {
    const { c, requests } = cache({ clientId: '11111111-2222-4333-8444-555555555555' });
    for (let i = 1; i <= 2; i += 1) {
      await assert.rejects(c.get(scope), (e) => {
        assert.match(e.message, /AADSTS700016/);
        assert.match(e.message, /Fix: no application with this client id exists in the tenant: copy the "Application \(client\) ID"/);
        assert.equal(e.permanent, true);
        for (const line of keyLines(t.privateKeyPem)) assert.ok(!e.message.includes(line), 'no key line in the message');
        return true;
      });
      assert.equal(requests(), i, 'each get() asks again after a failure');
    }
  });

  test('two config objects of the same app (tokenCacheFor) share one token request', async () => {
    const before0 = sb.entra.tokenRequests;
    const http = () => ({ proxy: null });
    const a = await tokenCacheFor(settings(), { http }).get(scope);
    const b = await tokenCacheFor({ ...settings() }, { http }).get(scope);
    assert.equal(a, b);
    assert.equal(sb.entra.tokenRequests - before0, 1);
  });

  test('a query whose token request meets a 503 is tried again', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    const { c, requests } = cache();
    sb.entra.failNext(1, { status: 503 });
    const reasons = [];
    const body = await runQuery({ url: t0QueryUrl(), query: 'SecurityAlert | take 1', token: () => c.get(scope), invalidate: (x) => c.invalidate(scope, x), http: { proxy: null }, onRetry: (r) => reasons.push(r) });
    assert.ok(JSON.parse(body).tables, 'the query ran');
    assert.equal(requests(), 2);
    assert.deepEqual(reasons, ['token']);
  });

  test('a token endpoint refusing connections is tried again up to the tries', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const authorityHost = `http://127.0.0.1:${closed.address().port}`;
    await new Promise((r) => closed.close(r));
    const { c } = cache({ authorityHost });
    const reasons = [];
    await assert.rejects(runQuery({ url: t0QueryUrl(), query: 'q', token: () => c.get(scope), invalidate: () => {}, tries: 2, http: { proxy: null }, onRetry: (r) => reasons.push(r) }), /connection refused \(ECONNREFUSED\)/);
    assert.deepEqual(reasons, ['token']);
    assert.equal(c.requests, 2);
  });

  test('a query whose token request is refused for good fails at once', async () => {
    const { c, requests } = cache({ clientId: '11111111-2222-4333-8444-555555555555' });
    const queries = sb.query.count;
    await assert.rejects(runQuery({ url: t0QueryUrl(), query: 'SecurityAlert | take 1', token: () => c.get(scope), invalidate: () => {}, http: { proxy: null } }), /AADSTS700016/);
    assert.equal(requests(), 1);
    assert.equal(sb.query.count, queries, 'no query sent');
  });

  test('the private key is not in JSON.stringify(cache), before or after signing', async () => {
    const { c } = cache();
    const lines = keyLines(t.privateKeyPem);
    assert.ok(lines.length > 10);
    const check = () => {
      const json = JSON.stringify(c);
      for (const line of lines) assert.ok(!json.includes(line), 'a line of the key in the JSON');
      assert.doesNotMatch(json, /PRIVATE KEY/);
    };
    check();
    await c.get(scope);
    check();
  });

  test('a damaged key is an error that does not quote it', async () => {
    const damaged = t.privateKeyPem.replace(/\n([A-Za-z0-9+/]{20})/, '\n!!$1');
    const { c } = cache({ privateKeyPem: damaged });
    await assert.rejects(c.get(scope), (e) => {
      assert.match(e.message, /private key/i);
      for (const line of keyLines(damaged)) assert.ok(!e.message.includes(line), e.message);
      return true;
    });
  });
});

describe('tokenCacheFor', () => {
  const app = () => ({ clientId: 'c1', tenantId: 't1', authorityHost: 'http://127.0.0.1:1', kid: 'k', certificatePem: 'CERT', privateKeyPem: 'KEY' });

  test('two config objects of the same app share one cache', () => {
    assert.equal(tokenCacheFor(app()), tokenCacheFor(app()));
  });

  test('a different key, client or tenant has a cache of its own', () => {
    const base = tokenCacheFor(app());
    assert.notEqual(tokenCacheFor({ ...app(), privateKeyPem: OTHER_KEY }), base);
    assert.notEqual(tokenCacheFor({ ...app(), clientId: 'c2' }), base);
    assert.notEqual(tokenCacheFor({ ...app(), tenantId: 't2' }), base);
  });

  test('the shared cache keeps the key out of JSON', () => {
    const c = tokenCacheFor({ ...app(), privateKeyPem: OTHER_KEY });
    const json = JSON.stringify(c);
    for (const line of keyLines(OTHER_KEY)) assert.ok(!json.includes(line));
  });
});
