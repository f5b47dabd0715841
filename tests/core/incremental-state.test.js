'use strict';
// node-red/lib/incremental/state.js: the cursor files (round trip, mode 0600, damaged files,
// atomic saves) and, with poll.js against the sandbox, a poll that fails after its first page
// leaves the cursor at that page's end and the next poll resumes there.

const { test, describe, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const LIB = path.resolve(__dirname, '..', '..', 'node-red', 'lib');
const { StateStore } = require(path.join(LIB, 'incremental', 'state'));
const { pollTable } = require(path.join(LIB, 'incremental', 'poll'));
const { TokenCache } = require(path.join(LIB, 'incremental', 'tokens'));
const core = require(path.join(LIB, 'core'));
const sandboxLib = require('../sandbox');

for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) delete process.env[k];

const KEY = { workspaceId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', table: 'SecurityAlert', host: 'http://127.0.0.1:9200', index: 'logs-azure_api', latestIndex: null };
const STATE = { cursor: { time: '2025-11-19T10:00:00.1234567Z', inclusive: true }, windowEnd: '2025-11-19T11:58:00.0000000Z' };

describe('StateStore', () => {
  let dir;
  let store;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-state-')), 'state');
    store = new StateStore(dir);
  });
  const files = () => fs.readdirSync(dir);

  test('save then load gives the state back; no state is null', () => {
    assert.equal(store.load(KEY), null);
    store.save(KEY, STATE);
    const loaded = store.load(KEY);
    assert.deepEqual(loaded.cursor, STATE.cursor);
    assert.equal(loaded.windowEnd, STATE.windowEnd);
    assert.deepEqual(loaded.key, KEY);
    assert.equal(new StateStore(dir).load(KEY).cursor.time, STATE.cursor.time, 'a new store (a restart) reads it');
  });

  test('each key has its own file, inside the directory whatever the key holds', () => {
    const other = { ...KEY, table: '../../SecurityIncident' };
    store.save(KEY, STATE);
    store.save(other, { cursor: { time: '2025-01-01T00:00:00.0000000Z', inclusive: false } });
    assert.equal(store.load(KEY).cursor.time, STATE.cursor.time);
    assert.equal(store.load(other).cursor.time, '2025-01-01T00:00:00.0000000Z');
    assert.equal(files().length, 2);
    assert.equal(path.dirname(store.file(other)), dir);
  });

  test('the file is readable by its owner only (0600)', () => {
    const umask = process.umask(0o022);
    try {
      store.save(KEY, STATE);
    } finally {
      process.umask(umask);
    }
    assert.equal(fs.statSync(store.file(KEY)).mode & 0o777, 0o600);
  });

  test('leaves no temporary file behind', () => {
    store.save(KEY, STATE);
    store.save(KEY, { ...STATE, cursor: { time: '2025-11-19T10:05:00.0000000Z', inclusive: false } });
    assert.deepEqual(files(), [path.basename(store.file(KEY))]);
  });

  test('a damaged file is an error naming the file and the fix', () => {
    for (const text of ['{"version":1,"cursor":{"ti', '{"version":1}', '{"version":2,"cursor":{"time":"x"}}']) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(store.file(KEY), text);
      assert.throws(() => store.load(KEY), (e) => {
        assert.ok(e.message.includes(store.file(KEY)), e.message);
        assert.match(e.message, /is damaged .*: delete it to read again from the initial lookback/);
        return true;
      });
    }
  });

  test('a store removes temporary files older than a minute (a process killed while saving), not fresh ones', () => {
    store.save(KEY, STATE);
    const old = `${store.file(KEY)}.1.tmp`;
    const fresh = `${store.file(KEY)}.2.tmp`;
    fs.writeFileSync(old, '{');
    fs.writeFileSync(fresh, '{');
    const past = new Date(Date.now() - 120e3);
    fs.utimesSync(old, past, past);
    const reopened = new StateStore(store.dir);
    assert.deepEqual(reopened.load(KEY).cursor, STATE.cursor);
    assert.ok(!fs.existsSync(old), 'the old temporary file is gone');
    assert.ok(fs.existsSync(fresh), 'a file being written now is left alone');
    fs.rmSync(fresh);
  });

  test('a save interrupted before its rename leaves the old state readable', () => {
    store.save(KEY, STATE);
    // A process killed after writing the temporary file, before renaming it.
    fs.writeFileSync(`${store.file(KEY)}.${process.pid}.tmp`, '{"version":1,"cursor":{"time":"2025-11-19T10:');
    assert.deepEqual(store.load(KEY).cursor, STATE.cursor);
    const next = { time: '2025-11-19T10:10:00.0000000Z', inclusive: false };
    store.save(KEY, { cursor: next });
    assert.deepEqual(store.load(KEY).cursor, next);
    assert.deepEqual(files(), [path.basename(store.file(KEY))]);
  });
});

describe('a poll that fails after its first page', () => {
  let sb;
  let tenant;
  before(async () => {
    sb = await sandboxLib.start({ alerts: 0, incidents: 0 });
    tenant = sb.tenants[0];
  });
  after(() => sb.stop());

  test('keeps the cursor at the end of the page written; the next poll resumes there, no row skipped', async () => {
    const t0 = Date.now() - 3600e3;
    const iso = (ms) => new Date(ms).toISOString().replace(/Z$/, '0000Z');
    const times = Array.from({ length: 20 }, (_, i) => t0 + i * 1000);
    tenant.workspace.addRows('SecurityAlert', times.map((ms) => ({ SystemAlertId: crypto.randomUUID(), TimeGenerated: iso(ms - 500), ingestionTime: iso(ms), Status: 'New' })));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incremental-state-poll-'));
    const store = new StateStore(dir);
    const tokens = new TokenCache({ clientId: tenant.clientId, tenantId: tenant.tenantId, authorityHost: sb.entra.origin, certificatePem: tenant.certificatePem, privateKeyPem: tenant.privateKeyPem });
    let saves = 0;
    // The writer fails once page 1 is saved: Elasticsearch refuses the next _bulk request for good.
    const failing = { load: (k) => store.load(k), save: (k, s) => { store.save(k, s); saves += 1; if (saves === 1) sb.elastic.failNext(1, { status: 400, reason: 'simulated crash' }); } };
    const ctx = (s) => ({
      store: s, key: { workspaceId: tenant.workspaceId, table: 'SecurityAlert' },
      settings: { lag: '2m', lookback: '24h', take: 7, index: 'logs-azure_api', latestIndex: 'sentinel-alerts-latest', flushBytes: 5e6 },
      queryUrl: tenant.queryUrl, bulkUrl: core.bulkUrl(sb.elastic.origin), apiKey: sb.apiKey,
      token: () => tokens.get(tenant.scope), invalidate: (t) => tokens.invalidate(tenant.scope, t),
      http: { query: { proxy: null }, elastic: { proxy: null } }, warn: () => {}, retry: () => {},
    });

    await assert.rejects(pollTable('SecurityAlert', ctx(failing)), /simulated crash/);
    assert.equal(sb.elastic.count('logs-azure_api'), 7, 'page 1 was written');
    assert.deepEqual(store.load(ctx(store).key).cursor, { time: iso(times[6]), inclusive: true }, 'the cursor is at page 1\'s end');

    const queries = sb.query.requests.entries.length;
    const { summary } = await pollTable('SecurityAlert', ctx(store));
    assert.ok(sb.query.requests.entries[queries].body.includes(`ingestion_time() >= datetime(${iso(times[6])})`), 'resumed from the cursor');
    const expected = tenant.workspace.allRows('SecurityAlert').map((r) => `${r.SystemAlertId}@${r.TimeGenerated}`).sort();
    assert.deepEqual(sb.elastic.ids('logs-azure_api').sort(), expected);
    assert.equal(summary.created, 13);
    assert.equal(store.load(ctx(store).key).cursor.inclusive, false, 'the window is done');
  });
});
