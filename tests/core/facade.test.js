'use strict';
// node-red/lib/core.js as a facade: the defaults come from the core, each value is checked once
// (by the core, or here when it never reaches the core), and small results cross as plain objects.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const core = require('../../node-red/lib/core');

const WORKSPACE = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const plain = (v) => Object.getPrototypeOf(v) === Object.prototype;

describe('core facade', () => {
  it('should take the defaults from the core, the original flow\'s values', () => {
    assert.deepEqual({ ...core.DEFAULTS }, {
      authorityHost: 'login.microsoftonline.com',
      queryHost: 'api.loganalytics.azure.com',
      table: 'SecurityAlert',
      retention: '12h',
      limit: 1000,
      algorithm: 'RS256',
      lifetime: 600,
      index: 'logs-azure_api',
      pipeline: 'logs-azure_api',
    });
    assert.ok(Object.isFrozen(core.DEFAULTS) && plain(core.DEFAULTS));
  });

  it('should check a query node\'s settings without a request, filling in the defaults', () => {
    assert.deepEqual(core.checkQuerySettings({}), { host: 'api.loganalytics.azure.com', table: 'SecurityAlert', retention: '12h', limit: 1000 });
    assert.deepEqual(core.checkQuerySettings({ host: 'http://127.0.0.1:8124', table: 'SecurityIncident', retention: '1d', limit: '50' }),
      { host: 'http://127.0.0.1:8124', table: 'SecurityIncident', retention: '1d', limit: 50 });
    assert.equal(core.checkQuerySettings({ limit: '' }).limit, 1000);
    const bad = [
      [{ table: 'SecurityAlert | take 1' }, /table/],
      [{ retention: 'forever' }, /KQL timespan/],
      [{ limit: 'abc' }, /row limit must be a whole number/],
      [{ limit: 1.5 }, /row limit must be a whole number/],
      [{ limit: 0 }, /row limit must be a whole number/],
      [{ host: 'https://a/b' }, /path/],
    ];
    for (const [settings, expected] of bad) assert.throws(() => core.checkQuerySettings(settings), expected, JSON.stringify(settings));
  });

  it('should build the query URL without a query request', () => {
    assert.equal(core.queryUrl(undefined, WORKSPACE), `https://api.loganalytics.azure.com/v1/workspaces/${WORKSPACE}/query`);
    assert.equal(core.queryUrl('http://127.0.0.1:9000', WORKSPACE), `http://127.0.0.1:9000/v1/workspaces/${WORKSPACE}/query`);
    assert.throws(() => core.queryUrl(undefined, '../x'), /not a GUID/);
    assert.throws(() => core.queryUrl(undefined, undefined), /workspace id is missing/);
  });

  it('should let the core say what is missing, once', () => {
    const token = { clientId: 'app', tenantId: 'contoso.onmicrosoft.com', scope: 's', clientAssertion: JWS };
    const r = core.tokenRequest(token);
    assert.equal(r.url, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    assert.deepEqual(Object.keys(r), ['method', 'url', 'headers', 'payload']);
    const missing = [['tenantId', /tenant id is missing/], ['clientId', /client id is missing/], ['scope', /scope is missing/], ['clientAssertion', /client_assertion is missing/]];
    for (const [name, expected] of missing) {
      for (const value of [undefined, null, '', 0, false]) assert.throws(() => core.tokenRequest({ ...token, [name]: value }), expected, `${name}: ${value}`);
    }
    assert.throws(() => core.tokenRequest({ ...token, scope: 'x\ud800' }), /lone surrogate/);
    const key = core.parseKey(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keys', 'key.pem'), 'utf8'));
    assert.throws(() => core.createAssertion(key, { clientId: 'app' }), /tenant id is missing: set msg\.oauth\.tenantId/);
    assert.throws(() => core.createAssertion(key, { tenantId: 'contoso.onmicrosoft.com' }), /client id is missing: set msg\.oauth\.clientId/);
    const signed = core.createAssertion(key, { clientId: 'app', tenantId: 'contoso.onmicrosoft.com', now: 1763546400, jti: 'j' });
    assert.deepEqual(signed.claims, { aud: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token', iss: 'app', sub: 'app', jti: 'j', iat: 1763546400, nbf: 1763546400, exp: 1763547000 });
    assert.throws(() => core.queryRequest({ workspaceId: WORKSPACE }), /No access_token/);
    assert.throws(() => core.queryRequest({ accessToken: 't' }), /workspace id is missing/);
    assert.throws(() => core.bulkUrl('', 'p'), /Elasticsearch host is missing/);
    assert.throws(() => core.bulk([{}], { apiKey: 'k' }), /Elasticsearch host is missing/);
    assert.throws(() => core.bulk([{}], { host: 'https://e:9200' }), /API key is missing/);
  });

  it('should give small results as plain objects', () => {
    const q = core.queryRequest({ accessToken: 't', workspaceId: WORKSPACE, limit: 7 });
    assert.deepEqual(q.payload, { query: 'SecurityAlert | where TimeGenerated > ago(12h) | take 7' });
    const b = core.bulkResult({ took: 3, items: [{ create: { status: 201 } }] });
    assert.ok(plain(b.payload) && plain(b.bulkSummary));
    assert.deepEqual(b.bulkSummary, { took: 3, ingest_took: undefined, total_items: 1, created: 1, conflicts: 0, failures: 0, errors: false });
  });
});
