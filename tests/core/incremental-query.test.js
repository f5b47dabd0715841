'use strict';
// node-red/lib/incremental/query.js (the KQL of a page, timespan settings, runQuery's retries
// against a scripted local server) and poll.js's page loop against the sandbox (no Node-RED).

const { test, describe, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const LIB = path.resolve(__dirname, '..', '..', 'node-red', 'lib');
const { pageQuery, windowEndQuery, runQuery, timespan } = require(path.join(LIB, 'incremental', 'query'));
const { pollTable } = require(path.join(LIB, 'incremental', 'poll'));
const { StateStore } = require(path.join(LIB, 'incremental', 'state'));
const { TokenCache } = require(path.join(LIB, 'incremental', 'tokens'));
const core = require(path.join(LIB, 'core'));
const sandboxLib = require('../sandbox');

for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) delete process.env[k];

const T = '2025-01-01T00:00:00.1234567Z';
const E = '2025-01-02T00:00:00.0000000Z';
const INJECTION = '2025-01-01T00:00:00Z) | take 1 //';

describe('pageQuery', () => {
  const base = { lag: '2m', lookback: '24h', take: 7 };
  const cases = [
    ['first run: ago(lookback) to now() - lag', { from: null, end: null }, [/\| where ingestion_time\(\) > ago\(24h\) and ingestion_time\(\) <= now\(\) - 2m\n/, /\| extend CursorWindowEnd = now\(\) - 2m\n/, /\| take 7$/]],
    ['cursor exclusive', { from: { time: T, inclusive: false }, end: E }, [/ingestion_time\(\) > datetime\(2025-01-01T00:00:00\.1234567Z\) and/]],
    ['cursor inclusive', { from: { time: T, inclusive: true }, end: E }, [/ingestion_time\(\) >= datetime\(2025-01-01T00:00:00\.1234567Z\) and/]],
    ['window end as a literal', { from: { time: T, inclusive: false }, end: E }, [/ingestion_time\(\) <= datetime\(2025-01-02T00:00:00\.0000000Z\)\n/, /\| extend CursorWindowEnd = datetime\(2025-01-02T00:00:00\.0000000Z\)\n/]],
    ['one instant read at once', { from: { time: T, inclusive: true }, end: E, at: T }, [/\| where ingestion_time\(\) == datetime\(2025-01-01T00:00:00\.1234567Z\)\n/]],
  ];
  for (const [name, opts, patterns] of cases) {
    test(name, () => {
      const q = pageQuery('SecurityAlert', { ...base, ...opts });
      for (const p of patterns) assert.match(q, p);
    });
  }

  test('the window end literal leaves now() out; the instant query has no take and no range', () => {
    assert.doesNotMatch(pageQuery('SecurityAlert', { ...base, from: { time: T, inclusive: false }, end: E }), /now\(\)|ago\(/);
    const at = pageQuery('SecurityAlert', { ...base, from: { time: T, inclusive: true }, end: E, at: T });
    assert.doesNotMatch(at, /take|>=|ago\(/);
  });

  test('orders by ingestion time, key, revision time of each table', () => {
    assert.match(pageQuery('SecurityAlert', base), /\| order by CursorIngestionTime asc, SystemAlertId asc, TimeGenerated asc\n/);
    assert.match(pageQuery('SecurityIncident', base), /\| order by CursorIngestionTime asc, IncidentName asc, LastModifiedTime asc\n/);
    assert.throws(() => pageQuery('SecurityEvent', base), /unknown table SecurityEvent/);
  });

  test('the window end probe: one row of now() - lag, within the KQL subset', () => {
    assert.equal(windowEndQuery('SecurityIncident', { lag: '2m' }), 'SecurityIncident\n| take 1\n| extend CursorWindowEnd = now() - 2m\n| project CursorWindowEnd');
    assert.throws(() => windowEndQuery('SecurityEvent', { lag: '2m' }), /unknown table/);
  });

  for (const [where, opts] of [['cursor', { from: { time: INJECTION, inclusive: false } }], ['window end', { end: INJECTION }], ['instant', { end: E, at: INJECTION }]]) {
    test(`rejects a ${where} that is not a plain UTC datetime (no KQL injection)`, () => {
      assert.throws(() => pageQuery('SecurityAlert', { ...base, ...opts }), /is not an ISO 8601 UTC date-time/);
    });
  }
});

describe('timespan', () => {
  for (const ok of ['30s', '2m', '24h', '7d', '1.5d', '500ms']) test(`accepts ${ok}`, () => assert.equal(timespan(` ${ok} `, 'The lag'), ok));
  for (const bad of ['5 minutes', '', undefined, '2', '-2m', '2m) | take 1', '1w']) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => timespan(bad, 'The lag'), /^Error: The lag ".*" is not a timespan such as 30s/));
  }
});

describe('runQuery against a scripted server', () => {
  let server;
  let url;
  let script = [];
  let seen = [];
  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ at: Date.now(), auth: req.headers.authorization });
        const next = script.shift() || [200];
        const [status, body = { tables: [] }, headers = {}] = typeof next === 'function' ? next(req) : next;
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${server.address().port}/v1/workspaces/w/query`;
  });
  after(() => new Promise((r) => server.close(r)));
  afterEach(() => { script = []; seen = []; });

  const SECRET = 'eyJ0eXAiOiJKV1QifQ.secret-token-body';
  /** Tokens secret-1, secret-2, ...; `dropped` records invalidate(token) calls. */
  function tokens() {
    let n = 0;
    const dropped = [];
    return { token: async () => `${SECRET}-${n || (n = 1)}`, invalidate: (t) => { dropped.push(t); n += 1; }, dropped };
  }
  const err = (status, code, message) => [status, { error: { code, message } }];
  const noToken = (e) => assert.ok(!e.message.includes(SECRET), e.message);

  test('a 401 drops the token and tries once more with a new one', async () => {
    script = [err(401, 'InvalidTokenError', 'The provided authentication is not valid'), [200, { tables: ['ok'] }]];
    const t = tokens();
    const body = await runQuery({ url, query: 'q', ...t, http: { proxy: null } });
    assert.deepEqual(JSON.parse(body), { tables: ['ok'] });
    assert.deepEqual(seen.map((s) => s.auth), [`Bearer ${SECRET}-1`, `Bearer ${SECRET}-2`]);
    assert.deepEqual(t.dropped, [`${SECRET}-1`]);
  });

  test('a second 401 fails, naming the fix and not the token', async () => {
    script = [err(401, 'InvalidTokenError', 'no'), err(401, 'InvalidTokenError', 'no')];
    await assert.rejects(runQuery({ url, query: 'q', ...tokens(), http: { proxy: null } }), (e) => {
      assert.match(e.message, /HTTP 401 InvalidTokenError.*Fix: .*tenant id/);
      noToken(e);
      return true;
    });
    assert.equal(seen.length, 2);
  });

  test('a 429 waits at least its Retry-After', async (t) => {
    t.mock.method(Math, 'random', () => 0); // the backoff alone would wait 500 ms
    script = [[429, { error: { code: 'ThrottledError' } }, { 'Retry-After': '1' }]];
    const reasons = [];
    await runQuery({ url, query: 'q', ...tokens(), http: { proxy: null }, onRetry: (r) => reasons.push(r) });
    assert.equal(seen.length, 2);
    assert.ok(seen[1].at - seen[0].at >= 1000, `waited ${seen[1].at - seen[0].at} ms`);
    assert.deepEqual(reasons, ['429']);
  });

  test('503 and 504 are retried', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    script = [err(503, 'ServiceUnavailableError', 'busy'), err(504, 'GatewayTimeout', 'slow')];
    const reasons = [];
    await runQuery({ url, query: 'q', ...tokens(), http: { proxy: null }, onRetry: (r) => reasons.push(r) });
    assert.deepEqual(reasons, ['503', '504']);
    assert.equal(seen.length, 3);
  });

  test('503 after `tries` tries fails, saying what the service answered', async (t) => {
    t.mock.method(Math, 'random', () => 0);
    script = [err(503, 'ServiceUnavailableError', 'The service is temporarily unavailable.'), err(503, 'ServiceUnavailableError', 'The service is temporarily unavailable.'), [200]];
    await assert.rejects(runQuery({ url, query: 'q', ...tokens(), tries: 2, http: { proxy: null } }), (e) => {
      assert.match(e.message, /query API answered HTTP 503 ServiceUnavailableError: The service is temporarily unavailable/);
      noToken(e);
      return true;
    });
    assert.equal(seen.length, 2);
  });

  test('403 InsufficientAccessError fails at once, naming the Log Analytics Reader role', async () => {
    script = [err(403, 'InsufficientAccessError', 'The provided credentials have insufficient access')];
    await assert.rejects(runQuery({ url, query: 'q', ...tokens(), http: { proxy: null } }), (e) => {
      assert.match(e.message, /"Log Analytics Reader" role/);
      assert.equal(e.permanent, true);
      noToken(e);
      return true;
    });
    assert.equal(seen.length, 1);
  });

  test('an error page that echoes the request headers does not put the token in the message', async () => {
    script = [(req) => [400, `<html><body>Bad Request<pre>Authorization: ${req.headers.authorization}</pre></body></html>`, { 'Content-Type': 'text/html' }]];
    await assert.rejects(runQuery({ url, query: 'q', ...tokens(), http: { proxy: null } }), (e) => {
      assert.match(e.message, /HTTP 400: <html><body>Bad Request/);
      noToken(e);
      return true;
    });
  });

  test('a network failure names the origin, not the token', async () => {
    const closed = http.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const port = closed.address().port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(runQuery({ url: `http://127.0.0.1:${port}/q`, query: 'q', ...tokens(), tries: 1, http: { proxy: null } }), (e) => {
      assert.match(e.message, /POST http:\/\/127\.0\.0\.1:\d+ failed: connection refused/);
      noToken(e);
      return true;
    });
  });
});

describe('the page loop (pollTable) against the sandbox', { timeout: 15000 }, () => {
  let sb;
  let tenant;
  let tokens;
  let dir;
  before(async () => {
    sb = await sandboxLib.start({ alerts: 0, incidents: 0 });
    tenant = sb.tenants[0];
    tokens = new TokenCache({ clientId: tenant.clientId, tenantId: tenant.tenantId, authorityHost: sb.entra.origin, certificatePem: tenant.certificatePem, privateKeyPem: tenant.privateKeyPem });
  });
  after(() => sb.stop());
  afterEach(() => {
    tenant.workspace.clear();
    sb.elastic.clear();
    sb.query.resetFailures();
  });

  /** A context for pollTable with a fresh state directory (or `store`). */
  function context({ take = 7, store } = {}) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-query-'));
    const queriedAfterBulks = [];
    const bulksBefore = sb.elastic.bulkRequests;
    return {
      store: store || new StateStore(dir), key: { workspaceId: tenant.workspaceId, table: 'SecurityAlert' },
      settings: { lag: '2m', lookback: '24h', take, tenantName: 'contoso', index: 'logs-azure_api', latestIndex: 'sentinel-alerts-latest', flushBytes: 5e6 },
      queryUrl: tenant.queryUrl, bulkUrl: core.bulkUrl(sb.elastic.origin), apiKey: sb.apiKey,
      token: () => { queriedAfterBulks.push(sb.elastic.bulkRequests - bulksBefore); return tokens.get(tenant.scope); },
      invalidate: (t) => tokens.invalidate(tenant.scope, t),
      http: { query: { proxy: null }, elastic: { proxy: null } }, warn: () => {}, retry: () => {},
      queriedAfterBulks,
    };
  }
  const iso = (ms) => new Date(ms).toISOString().replace(/Z$/, '0000Z');
  /** Alerts with these ingestion times (ms), TimeGenerated a second before each. */
  function alerts(times) {
    return tenant.workspace.addRows('SecurityAlert', times.map((ms) => ({
      SystemAlertId: crypto.randomUUID(), TimeGenerated: iso(ms - 1000), ingestionTime: iso(ms), DisplayName: 'test alert', Status: 'New',
    })));
  }
  const expectedIds = () => tenant.workspace.allRows('SecurityAlert').map((r) => `${r.SystemAlertId}@${r.TimeGenerated}`).sort();

  test('many rows at one instant and at page boundaries: every row written once, cursor at the window end', async () => {
    const t0 = Date.now() - 3600e3;
    // 5 single instants, 30 rows at one instant, then rows in threes straddling the 7-row pages.
    alerts([1, 2, 3, 4, 5].map((i) => t0 + i * 1000));
    alerts(Array(30).fill(t0 + 10e3));
    alerts([20, 20, 20, 21, 21, 21, 22, 22, 22, 23].map((s) => t0 + s * 1000));
    const ctx = context();
    const started = Date.now();
    const { summary } = await pollTable('SecurityAlert', ctx);
    assert.deepEqual(sb.elastic.ids('logs-azure_api').sort(), expectedIds());
    assert.equal(summary.created, 45, 'each revision created once');
    assert.equal(summary.deadLettered, 0);
    const saved = ctx.store.load(ctx.key);
    assert.deepEqual(saved.cursor, { time: summary.windowEnd, inclusive: false });
    const end = Date.parse(summary.windowEnd);
    assert.ok(end >= started - 120e3 - 1000 && end <= Date.now() - 120e3 + 1000, `window end ${summary.windowEnd}`);
  });

  test('a partial result is read again with half the rows, nothing of it written before', async () => {
    alerts(Array.from({ length: 20 }, (_, i) => Date.now() - 3600e3 + i * 1000));
    sb.query.partialNext(1);
    const ctx = context({ take: 8 });
    const { summary } = await pollTable('SecurityAlert', ctx);
    assert.equal(summary.split, 1);
    assert.deepEqual(ctx.queriedAfterBulks.slice(0, 2), [0, 0], 'the second query came before any _bulk request');
    assert.match(sb.query.requests.entries.at(-1).body, /take 4/);
    assert.deepEqual(sb.elastic.ids('logs-azure_api').sort(), expectedIds());
  });

  test('a poll that finds nothing new moves the cursor to its window end', async () => {
    alerts([Date.now() - 3600e3]);
    const ctx = context();
    await pollTable('SecurityAlert', ctx);
    sb.clock.advance(600e3); // ten quiet minutes
    const now = sb.clock.now();
    const { summary } = await pollTable('SecurityAlert', ctx);
    assert.equal(summary.read, 0);
    const end = Date.parse(summary.cursor);
    assert.ok(end >= now - 120e3 - 1000 && end <= sb.clock.now() - 120e3, `cursor ${summary.cursor} is the window end`);
    assert.deepEqual(ctx.store.load(ctx.key).cursor, { time: summary.cursor, inclusive: false });
  });

  test('a table without any row saves no cursor', async () => {
    const ctx = context();
    const { summary } = await pollTable('SecurityAlert', ctx);
    assert.deepEqual([summary.read, summary.cursor, ctx.store.load(ctx.key)], [0, null, null]);
  });

  test('rows ingested late (old TimeGenerated) after a poll are read by the next poll', async () => {
    alerts(Array.from({ length: 10 }, (_, i) => Date.now() - 3600e3 + i * 1000));
    const ctx = context();
    await pollTable('SecurityAlert', ctx);
    const late = tenant.workspace.addLateAlerts(5);
    sb.clock.advance(150e3); // past the lag
    const { summary } = await pollTable('SecurityAlert', ctx);
    assert.equal(summary.created, 5);
    const ids = new Set(sb.elastic.ids('logs-azure_api'));
    for (const r of late) assert.ok(ids.has(`${r.SystemAlertId}@${r.TimeGenerated}`), 'late alert written');
    assert.deepEqual([...ids].sort(), expectedIds());
  });
});
