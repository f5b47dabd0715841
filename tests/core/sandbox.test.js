'use strict';
// Tests of the local sandbox itself (tests/sandbox): the happy path end to end, then one test per error class.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const sandboxLib = require('../sandbox');
const data = require('../sandbox/data');

const OTHER_KEY = fs.readFileSync(path.join(sandboxLib.FIXTURES, 'other.key.pem'), 'utf8');
const OTHER_CERT = fs.readFileSync(path.join(sandboxLib.FIXTURES, 'other.cert.pem'), 'utf8');
const b64url = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

let sb;
let t0;
before(async () => { sb = await sandboxLib.start({ now: '2025-11-19T12:00:00Z', alerts: 300, incidents: 30 }); t0 = sb.tenants[0]; });
after(async () => { await sb.stop(); });

/** A client assertion signed with node:crypto; `header`/`claims` override the defaults. */
function assertion({ header = {}, claims = {}, key = t0.privateKeyPem, alg = 'RS256', now = Math.floor(sb.clock.now() / 1000) } = {}) {
  const h = { alg, typ: 'JWT', x5t: t0.x5t, ...header };
  const c = { aud: t0.tokenUrl, iss: t0.clientId, sub: t0.clientId, jti: crypto.randomUUID(), iat: now, nbf: now, exp: now + 600, ...claims };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
  const input = `${b64url(h)}.${b64url(c)}`;
  const opts = h.alg === 'PS256' ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key, padding: crypto.constants.RSA_PKCS1_PADDING };
  return `${input}.${crypto.sign('sha256', Buffer.from(input), opts).toString('base64url')}`;
}

/** POST to the token endpoint like the original flow does (form string, assertion not re-encoded). */
async function tokenRequest({ tenant = t0.tenantId, clientId = t0.clientId, scope = t0.scope, clientAssertion = assertion(), drop = [] } = {}) {
  const fields = { client_id: encodeURIComponent(clientId), scope: encodeURIComponent(scope), grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: clientAssertion };
  for (const d of drop) delete fields[d];
  const res = await fetch(`${sb.entra.origin}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('&'),
  });
  return { status: res.status, body: await res.json() };
}

async function token() {
  const r = await tokenRequest();
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token;
}

async function query(q, { accessToken, workspaceId = t0.workspaceId, body } = {}) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (accessToken !== null) headers.Authorization = `Bearer ${accessToken === undefined ? await token() : accessToken}`;
  const res = await fetch(`${sb.query.origin}/v1/workspaces/${workspaceId}/query`, { method: 'POST', headers, body: body !== undefined ? body : JSON.stringify({ query: q }) });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function bulk(ndjson, { apiKey = sb.apiKey, url = '/_bulk?pipeline=logs-azure_api', contentType = 'application/x-ndjson' } = {}) {
  const headers = { 'Content-Type': contentType };
  if (apiKey !== null) headers.Authorization = `ApiKey ${apiKey}`;
  const res = await fetch(`${sb.elastic.origin}${url}`, { method: 'POST', headers, body: ndjson });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** The original flow's row conversion and NDJSON (enough of it to feed the sandbox). */
function toNdjson(response, index = 'logs-azure_api') {
  const { columns, rows } = response.tables[0];
  const lines = [];
  for (const r of rows) {
    const doc = Object.fromEntries(columns.map((c, i) => [c.name, r[i]]));
    doc['@timestamp'] = new Date(doc.EndTime || doc.TimeGenerated).toISOString();
    const id = doc.SystemAlertId || doc.IncidentName;
    lines.push(JSON.stringify({ create: { _index: index, ...(id ? { _id: id } : {}) } }), JSON.stringify(doc));
  }
  return `${lines.join('\n')}\n`;
}

const aadCode = (r) => r.body.error_codes[0];

// ------------------------------------------------------------------ happy path
test('token, query, bulk, then 409 on the second bulk of the same rows', async () => {
  const tok = await tokenRequest();
  assert.equal(tok.status, 200);
  assert.deepEqual(Object.keys(tok.body), ['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
  assert.equal(tok.body.token_type, 'Bearer');
  assert.equal(tok.body.expires_in, 3599);
  assert.equal(tok.body.access_token.split('.').length, 3);

  const q = await query('SecurityAlert | where TimeGenerated > ago(12h) | take 1000', { accessToken: tok.body.access_token });
  assert.equal(q.status, 200);
  const table = q.body.tables[0];
  assert.equal(table.name, 'PrimaryResult');
  assert.deepEqual(table.columns.slice(0, 3), [{ name: 'TenantId', type: 'string' }, { name: 'TimeGenerated', type: 'datetime' }, { name: 'DisplayName', type: 'string' }]);
  assert.equal(table.columns.find((c) => c.name === 'ConfidenceScore').type, 'real');
  assert.equal(table.columns.find((c) => c.name === 'IsIncident').type, 'bool');
  assert.ok(table.rows.length > 20 && table.rows.length < 300, `rows in 12h window: ${table.rows.length}`);
  const tg = table.columns.findIndex((c) => c.name === 'TimeGenerated');
  const since = sb.clock.now() - 12 * 3600e3;
  for (const r of table.rows) {
    assert.match(r[tg], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    assert.ok(Date.parse(r[tg]) > since);
  }
  const ent = table.columns.findIndex((c) => c.name === 'Entities');
  assert.ok(Array.isArray(JSON.parse(table.rows[0][ent])));
  assert.equal(table.rows[0][0], t0.tenantId);

  sb.elastic.clear();
  const nd = toNdjson(q.body);
  const first = await bulk(nd);
  assert.equal(first.status, 200);
  assert.equal(first.body.errors, false);
  assert.equal(typeof first.body.took, 'number');
  assert.equal(typeof first.body.ingest_took, 'number');
  assert.equal(first.body.items.length, table.rows.length);
  const item = first.body.items[0].create;
  assert.equal(item.status, 201);
  assert.equal(item.result, 'created');
  assert.equal(item._index, '.ds-logs-azure_api-2025.11.19-000001');
  assert.equal(item._version, 1);
  assert.deepEqual(item._shards, { total: 2, successful: 1, failed: 0 });
  assert.equal(item._primary_term, 1);
  assert.equal(sb.elastic.count('logs-azure_api'), table.rows.length);
  assert.equal(sb.elastic.documents('logs-azure_api')[0].TenantId, t0.tenantId);

  const second = await bulk(nd);
  assert.equal(second.status, 200);
  assert.equal(second.body.errors, true);
  const c = second.body.items[0].create;
  assert.equal(c.status, 409);
  assert.equal(c.error.type, 'version_conflict_engine_exception');
  assert.equal(c.error.reason, `[${c._id}]: version conflict, document already exists (current version [1])`);
  assert.ok(second.body.items.every((x) => x.create.status === 409));
  assert.equal(sb.elastic.count('logs-azure_api'), table.rows.length);
});

test('new alerts appear beside old ones on the next poll; take limits the rows', async () => {
  const accessToken = await token();
  const before1 = await query('SecurityAlert | where TimeGenerated > ago(30m)', { accessToken });
  sb.addAlerts(5);
  const after1 = await query('SecurityAlert | where TimeGenerated > ago(30m)', { accessToken });
  assert.equal(after1.body.tables[0].rows.length, before1.body.tables[0].rows.length + 5);
  const limited = await query('SecurityAlert | where TimeGenerated > ago(1.5d) | take 7', { accessToken });
  assert.equal(limited.body.tables[0].rows.length, 7);
  const inc = await query('SecurityIncident | where TimeGenerated > ago(2d) | take 1000', { accessToken });
  assert.equal(inc.status, 200);
  const cols = inc.body.tables[0].columns;
  assert.equal(cols.find((x) => x.name === 'Owner').type, 'dynamic');
  assert.equal(cols.find((x) => x.name === 'IncidentNumber').type, 'int');
  const row = inc.body.tables[0].rows[0];
  assert.equal(typeof row[cols.findIndex((x) => x.name === 'AlertIds')], 'string');
  assert.ok(Array.isArray(JSON.parse(row[cols.findIndex((x) => x.name === 'AlertIds')])));
});

test('PS256 with x5t#S256 and RS256 with kid = x5t are accepted', async () => {
  const ps = await tokenRequest({ clientAssertion: assertion({ alg: 'PS256', header: { x5t: undefined, 'x5t#S256': t0.x5tS256 } }) });
  assert.equal(ps.status, 200, JSON.stringify(ps.body));
  const kid = await tokenRequest({ clientAssertion: assertion({ header: { x5t: undefined, kid: t0.x5t } }) });
  assert.equal(kid.status, 200, JSON.stringify(kid.body));
});

test('data.response is deterministic and realistic in size', () => {
  const a = data.response('SecurityAlert', 200, { seed: 3, now: '2025-11-19T10:00:00Z' });
  const b = data.response('SecurityAlert', 200, { seed: 3, now: '2025-11-19T10:00:00Z' });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const per = JSON.stringify(a).length / 200;
  assert.ok(per > 600 && per < 4000, `bytes per row ${per}`);
  assert.equal(a.tables[0].rows[0].length, a.tables[0].columns.length);
});

// ------------------------------------------------------------------ Entra errors
const entraError = (r, status, error, code) => {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error, error);
  assert.deepEqual(r.body.error_codes, [code]);
  assert.match(r.body.error_description, new RegExp(`^AADSTS${code}: .*\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`));
  assert.equal(r.body.trace_id.length, 36);
  assert.equal(r.body.error_uri, `https://login.microsoftonline.com/error?code=${code}`);
};

test('entra: signature by another key -> 401 AADSTS700027 invalid signature', async () => {
  const r = await tokenRequest({ clientAssertion: assertion({ key: OTHER_KEY }) });
  entraError(r, 401, 'invalid_client', 700027);
  assert.match(r.body.error_description, /Client assertion contains an invalid signature\. \[Reason - The provided signature value did not match/);
});

test('entra: thumbprint of an unregistered certificate -> 401 AADSTS700027 key not found', async () => {
  const other = new crypto.X509Certificate(OTHER_CERT);
  const x5t = crypto.createHash('sha1').update(other.raw).digest('base64url');
  const r = await tokenRequest({ clientAssertion: assertion({ key: OTHER_KEY, header: { x5t } }) });
  entraError(r, 401, 'invalid_client', 700027);
  assert.match(r.body.error_description, /Reason - The key was not found\., Thumbprint of key used by client: '[0-9A-F]{40}'/);
});

test('entra: expired assertion -> 401 AADSTS700024; nbf in the future too; 5 minutes of skew allowed', async () => {
  const now = Math.floor(sb.clock.now() / 1000);
  entraError(await tokenRequest({ clientAssertion: assertion({ claims: { iat: now - 1000, nbf: now - 1000, exp: now - 400 } }) }), 401, 'invalid_client', 700024);
  entraError(await tokenRequest({ clientAssertion: assertion({ claims: { nbf: now + 600, iat: now + 600, exp: now + 1200 } }) }), 401, 'invalid_client', 700024);
  entraError(await tokenRequest({ clientAssertion: assertion({ claims: { exp: undefined } }) }), 401, 'invalid_client', 700024);
  const skewed = await tokenRequest({ clientAssertion: assertion({ claims: { iat: now - 900, nbf: now - 900, exp: now - 200 } }) });
  assert.equal(skewed.status, 200);
});

test('entra: wrong audience -> 401 AADSTS50012; two audiences -> AADSTS5002741', async () => {
  const r = await tokenRequest({ clientAssertion: assertion({ claims: { aud: `https://login.microsoftonline.com/${t0.tenantId}/oauth2/v2.0/token` } }) });
  entraError(r, 401, 'invalid_client', 50012);
  entraError(await tokenRequest({ clientAssertion: assertion({ claims: { aud: [t0.tokenUrl, 'x'] } }) }), 401, 'invalid_client', 5002741);
});

test('entra: iss/sub not the client id -> 401 AADSTS700021', async () => {
  entraError(await tokenRequest({ clientAssertion: assertion({ claims: { iss: crypto.randomUUID() } }) }), 401, 'invalid_client', 700021);
});

test('entra: unknown client id -> 400 unauthorized_client AADSTS700016', async () => {
  const r = await tokenRequest({ clientId: crypto.randomUUID() });
  entraError(r, 400, 'unauthorized_client', 700016);
  assert.match(r.body.error_description, /was not found in the directory 'contoso'/);
});

test('entra: unknown tenant -> 400 invalid_request AADSTS90002', async () => {
  const tenant = crypto.randomUUID();
  const r = await tokenRequest({ tenant });
  entraError(r, 400, 'invalid_request', 90002);
  assert.match(r.body.error_description, new RegExp(`Tenant '${tenant}' not found`));
});

test('entra: bad scope -> 400 invalid_scope AADSTS1002012 (no /.default), AADSTS500011 (unknown resource), AADSTS70011', async () => {
  entraError(await tokenRequest({ scope: 'https://api.loganalytics.io' }), 400, 'invalid_scope', 1002012);
  entraError(await tokenRequest({ scope: 'https://graph.example.org/.default' }), 400, 'invalid_resource', 500011);
  entraError(await tokenRequest({ scope: 'not a scope' }), 400, 'invalid_scope', 70011);
});

test('entra: missing parameter -> 400 AADSTS900144; missing assertion -> 401 AADSTS7000218; malformed -> AADSTS50027; GET -> AADSTS900561', async () => {
  const r = await tokenRequest({ drop: ['grant_type'] });
  entraError(r, 400, 'invalid_request', 900144);
  assert.match(r.body.error_description, /'grant_type'/);
  entraError(await tokenRequest({ drop: ['client_assertion'] }), 401, 'invalid_client', 7000218);
  entraError(await tokenRequest({ clientAssertion: 'abc.def' }), 400, 'invalid_request', 50027);
  const g = await fetch(t0.tokenUrl);
  const gb = await g.json();
  assert.equal(g.status, 400);
  assert.equal(aadCode({ body: gb }), 900561);
  entraError(await tokenRequest({ clientAssertion: assertion({ alg: 'HS256' }) }), 401, 'invalid_client', 5002738);
});

test('entra: an expired certificate -> 401 AADSTS700027 key expired', async () => {
  const saved = sb.clock.now();
  sb.clock.set(Date.parse(new crypto.X509Certificate(t0.certificatePem).validTo) + 86400e3);
  try {
    const r = await tokenRequest({ clientAssertion: assertion() });
    entraError(r, 401, 'invalid_client', 700027);
    assert.match(r.body.error_description, /The key used is expired/);
  } finally { sb.clock.set(saved); }
});

// ------------------------------------------------------------------ query errors
test('query: no token -> 401 AuthorizationRequiredError; unknown token -> 403 InvalidTokenError; expired -> 401 TokenExpiredError', async () => {
  const none = await query('SecurityAlert | take 1', { accessToken: null });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'AuthorizationRequiredError');
  assert.equal(none.body.error.message, 'Valid authentication was not provided');
  assert.match(none.headers.get('www-authenticate'), /^Bearer /);
  const bad = await query('SecurityAlert | take 1', { accessToken: 'eyJ0eXAiOiJKV1QifQ.e30.c2ln' });
  assert.equal(bad.status, 403);
  assert.equal(bad.body.error.code, 'InvalidTokenError');
  assert.equal(bad.body.error.message, 'The provided authentication is not valid for this resource');
  const accessToken = await token();
  sb.clock.advance(3600e3);
  try {
    const expired = await query('SecurityAlert | take 1', { accessToken });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'InvalidTokenError');
    assert.equal(expired.body.error.innererror.code, 'TokenExpiredError');
  } finally { sb.clock.advance(-3600e3); }
});

test('query: bad KQL -> 400 BadArgumentError / SyntaxError with position', async () => {
  const r = await query('SecurityAlert | where TimeGenerated > ago(12x) | take 1000');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'BadArgumentError');
  assert.equal(r.body.error.message, 'The request had some invalid properties');
  assert.equal(r.body.error.innererror.code, 'SyntaxError');
  assert.equal(r.body.error.innererror.innererror.code, 'SYN0002');
  assert.equal(r.body.error.innererror.innererror.message, "Query could not be parsed at '12x' on line [1,43]");
  assert.match(r.body.error.correlationId, /^[0-9a-f-]{36}$/);
  const unterminated = await query('SecurityAlert | where TimeGenerated > ago(12h');
  assert.equal(unterminated.body.error.innererror.code, 'SyntaxError');
  const badBody = await query(null, { body: '{"query": ' });
  assert.equal(badBody.status, 400);
  assert.equal(badBody.body.error.code, 'BadArgumentError');
});

test('query: unknown table -> 400 SemanticError SEM0100', async () => {
  const r = await query('SecurityAlerts | where TimeGenerated > ago(12h) | take 1000');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'BadArgumentError');
  assert.equal(r.body.error.innererror.code, 'SemanticError');
  assert.equal(r.body.error.innererror.innererror.code, 'SEM0100');
  assert.equal(r.body.error.innererror.innererror.message, "'where' operator: Failed to resolve table or column expression named 'SecurityAlerts'");
});

test('query: unknown workspace -> 404 WorkspaceNotFoundError; another tenant\'s workspace -> 403 InsufficientAccessError', async () => {
  const r = await query('SecurityAlert | take 1', { workspaceId: crypto.randomUUID() });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'WorkspaceNotFoundError');
  const other = await sandboxLib.start({ tenants: [{}, { tenantId: crypto.randomUUID(), clientId: crypto.randomUUID(), workspaceId: crypto.randomUUID(), tenantName: 'fabrikam', certificatePem: OTHER_CERT, privateKeyPem: OTHER_KEY }], alerts: 5, incidents: 2 });
  try {
    const tok = await fetch(other.tenants[0].tokenUrl, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: other.tenants[0].clientId, scope: other.tenants[0].scope, grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: signFor(other.tenants[0]) }).toString(),
    }).then((x) => x.json());
    const res = await fetch(other.tenants[1].queryUrl, { method: 'POST', headers: { Authorization: `Bearer ${tok.access_token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: 'SecurityAlert | take 1' }) });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).error.code, 'InsufficientAccessError');
  } finally { await other.stop(); }
});

function signFor(t) {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', x5t: t.x5t })}.${b64url({ aud: t.tokenUrl, iss: t.clientId, sub: t.clientId, jti: crypto.randomUUID(), iat: now, nbf: now, exp: now + 600 })}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), t.privateKeyPem).toString('base64url')}`;
}

// ------------------------------------------------------------------ Elasticsearch errors
const doc = (id, extra = {}) => JSON.stringify({ '@timestamp': '2025-11-19T10:00:00.123Z', SystemAlertId: id, ...extra });

test('elastic: wrong or missing API key -> 401 security_exception with WWW-Authenticate', async () => {
  const nd = `${JSON.stringify({ create: { _index: 'logs-azure_api', _id: 'k1' } })}\n${doc('k1')}\n`;
  const wrong = await bulk(nd, { apiKey: Buffer.from('someid:somekey').toString('base64') });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.status, 401);
  assert.equal(wrong.body.error.type, 'security_exception');
  assert.equal(wrong.body.error.root_cause[0].type, 'security_exception');
  assert.equal(wrong.body.error.reason, 'unable to authenticate with provided credentials and anonymous access is not allowed for this request');
  assert.match(wrong.headers.get('www-authenticate'), /ApiKey/);
  const missing = await bulk(nd, { apiKey: null });
  assert.equal(missing.status, 401);
  assert.equal(missing.body.error.reason, 'missing authentication credentials for REST request [/_bulk?pipeline=logs-azure_api]');
  assert.equal(sb.elastic.document('logs-azure_api', 'k1'), null);
});

test('elastic: index op on a data stream -> per-item 400 illegal_argument_exception', async () => {
  const r = await bulk(`${JSON.stringify({ index: { _index: 'logs-azure_api', _id: 'i1' } })}\n${doc('i1')}\n${JSON.stringify({ index: { _index: 'plain-index', _id: 'i1' } })}\n${doc('i1')}\n`);
  assert.equal(r.status, 200);
  assert.equal(r.body.errors, true);
  assert.equal(r.body.items[0].index.status, 400);
  assert.equal(r.body.items[0].index.error.type, 'illegal_argument_exception');
  assert.equal(r.body.items[0].index.error.reason, 'only write ops with an op_type of create are allowed in data streams');
  assert.equal(r.body.items[1].index.status, 201);
  assert.equal(r.body.items[1].index._index, 'plain-index');
});

test('elastic: malformed NDJSON -> whole-request 400 for a bad action line, per-item 400 for a bad source line', async () => {
  const badAction = await bulk('{"create": {"_index": "logs-azure_api"\n{}\n');
  assert.equal(badAction.status, 400);
  assert.equal(badAction.body.status, 400);
  assert.equal(badAction.body.error.type, 'x_content_parse_exception');
  const unknownAction = await bulk('{"upsert": {"_index": "logs-azure_api"}}\n{}\n');
  assert.equal(unknownAction.status, 400);
  assert.equal(unknownAction.body.error.reason, 'Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]');
  const badSource = await bulk(`${JSON.stringify({ create: { _index: 'logs-azure_api', _id: 'p1' } })}\n{"@timestamp": "2025-11-19T10:00:00Z",\n${JSON.stringify({ create: { _index: 'logs-azure_api', _id: 'p2' } })}\n${JSON.stringify({ SystemAlertId: 'p2' })}\n`);
  assert.equal(badSource.status, 200);
  assert.equal(badSource.body.errors, true);
  assert.equal(badSource.body.items[0].create.status, 400);
  assert.equal(badSource.body.items[0].create.error.type, 'document_parsing_exception');
  assert.equal(badSource.body.items[1].create.status, 400);
  assert.match(badSource.body.items[1].create.error.reason, /data stream timestamp field \[@timestamp\] is missing$/);
  const empty = await bulk('');
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.type, 'action_request_validation_exception');
  assert.equal(empty.body.error.reason, 'Validation Failed: 1: no requests added;');
});

test('elastic: missing final newline -> 400 illegal_argument_exception', async () => {
  const r = await bulk(`${JSON.stringify({ create: { _index: 'logs-azure_api', _id: 'n1' } })}\n${doc('n1')}`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.type, 'illegal_argument_exception');
  assert.equal(r.body.error.reason, 'The bulk request must be terminated by a newline [\\n]');
  assert.equal(sb.elastic.document('logs-azure_api', 'n1'), null);
});

test('elastic: injected 429s, whole request and per item; generated ids; cluster info', async () => {
  const nd = `${JSON.stringify({ create: { _index: 'logs-azure_api', _id: 'r1' } })}\n${doc('r1')}\n${JSON.stringify({ create: { _index: 'logs-azure_api' } })}\n${doc('')}\n`;
  sb.elastic.failNext(1, { status: 429 });
  const rejected = await bulk(nd);
  assert.equal(rejected.status, 429);
  assert.equal(rejected.body.error.type, 'es_rejected_execution_exception');
  assert.equal(sb.elastic.document('logs-azure_api', 'r1'), null);
  sb.elastic.failItems({ status: 429, ids: ['r1'] });
  const partial = await bulk(nd);
  assert.equal(partial.status, 200);
  assert.equal(partial.body.errors, true);
  assert.equal(partial.body.items[0].create.status, 429);
  assert.equal(partial.body.items[0].create.error.type, 'es_rejected_execution_exception');
  assert.equal(partial.body.items[1].create.status, 201);
  assert.match(partial.body.items[1].create._id, /^[A-Za-z0-9_-]{20}$/);
  const retry = await bulk(nd);
  assert.equal(retry.body.items[0].create.status, 201);
  const info = await fetch(sb.elastic.origin, { headers: { Authorization: `ApiKey ${sb.apiKey}` } });
  assert.equal(info.status, 200);
  assert.equal(info.headers.get('x-elastic-product'), 'Elasticsearch');
  assert.equal((await info.json()).tagline, 'You Know, for Search');
});

test('services listen on 127.0.0.1 only', () => {
  for (const s of [sb.entra, sb.query, sb.elastic]) {
    assert.equal(s.server.address().address, '127.0.0.1');
    assert.match(s.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  }
});

// ------------------------------------------------------------------ KQL subset (tests/sandbox/kql)
const kql = require('../sandbox/kql');

const KQL_COLUMNS = [{ name: 'Id', type: 'string' }, { name: 'TimeGenerated', type: 'datetime' }, { name: 'Status', type: 'string' }, { name: 'N', type: 'long' }, { name: 'End', type: 'datetime' }];
const KQL_ROWS = [
  ['a', '2025-11-19T10:00:00.1234567Z', 'New', 1, '2025-11-19T10:30:00.0000000Z'],
  ['b', '2025-11-19T11:00:00.0000000Z', 'New', 2, null],
  ['a', '2025-11-19T11:30:00.1234568Z', 'InProgress', 3, '2025-11-19T11:40:00.0000000Z'],
  ['c', '2025-11-19T11:59:00.0000000Z', 'Resolved', null, null],
  ['a', '2025-11-19T11:45:00.0000000Z', 'Resolved', 4, null],
];
const KQL_NOW = Date.parse('2025-11-19T12:00:00Z');
const KQL_ING = KQL_ROWS.map((r) => kql.values.parseDatetime(r[1]) + 600000000n); // ingested 1 minute after TimeGenerated
function runKql(q, { rows = KQL_ROWS, ing = KQL_ING } = {}) {
  const r = kql.execute(kql.parse(q), { columns: KQL_COLUMNS, rows, ing }, KQL_NOW);
  return { columns: r.columns.map((c) => `${c.name}:${c.type}`), rows: r.rows };
}
const kqlError = (q) => { try { runKql(q); } catch (e) { return e; } assert.fail(`no error for ${q}`); return null; };
const col = (r, name) => r.rows.map((row) => row[r.columns.findIndex((c) => c.startsWith(`${name}:`))]);

test('kql: where with ==, !=, <, <=, >, >=, and, or, not(), isnotempty(), in, !in, between', () => {
  assert.deepEqual(col(runKql('T | where Status == "New"'), 'N'), [1, 2]);
  assert.deepEqual(col(runKql('T | where Status != "New"'), 'N'), [3, null, 4]);
  assert.deepEqual(col(runKql('T | where N < 2 or N >= 4'), 'N'), [1, 4]);
  assert.deepEqual(col(runKql('T | where N <= 2 and N > 1'), 'N'), [2]);
  assert.deepEqual(col(runKql('T | where not(Status == "New")'), 'Id'), ['a', 'c', 'a']);
  assert.deepEqual(col(runKql('T | where isnotempty(End)'), 'N'), [1, 3]);
  assert.deepEqual(col(runKql('T | where isempty(End) and isnotempty(Status)'), 'Id'), ['b', 'c', 'a']);
  assert.deepEqual(col(runKql('T | where Status in ("New", "Resolved")'), 'Id'), ['a', 'b', 'c', 'a']);
  assert.deepEqual(col(runKql('T | where Status !in ("New", "Resolved")'), 'N'), [3]);
  assert.deepEqual(col(runKql('T | where Status in~ ("new")'), 'N'), [1, 2]);
  assert.deepEqual(col(runKql('T | where TimeGenerated between (datetime(2025-11-19T11:00:00Z) .. datetime(2025-11-19T11:45:00Z))'), 'N'), [2, 3, 4]);
  assert.deepEqual(col(runKql('T | where TimeGenerated between (datetime(2025-11-19T11:00:00Z) .. 30m)'), 'N'), [2]);
  assert.deepEqual(col(runKql('T | where N between (2 .. 3)'), 'N'), [2, 3]);
  assert.deepEqual(col(runKql('T | where N !between (2 .. 3)'), 'N'), [1, 4]);
  // null (N of row c) is neither equal nor ordered; != is true for it, as in Kusto
  assert.deepEqual(col(runKql('T | where N != 1'), 'Id'), ['b', 'a', 'c', 'a']);
  assert.deepEqual(col(runKql('T | where (N > 2 or Status == "New") and Id != "b"'), 'N'), [1, 3, 4]);
});

test('kql: datetimes compare exactly to 100 ns; datetime(), ago(), now(), timespans, + and -, todatetime(), tostring()', () => {
  // the 7-digit value returned earlier compares exactly against the same literal, and not against its neighbour
  assert.deepEqual(col(runKql('T | where TimeGenerated == datetime(2025-11-19T11:30:00.1234568Z)'), 'N'), [3]);
  assert.deepEqual(col(runKql('T | where TimeGenerated > datetime(2025-11-19T11:30:00.1234567Z)'), 'N'), [3, null, 4]);
  assert.deepEqual(col(runKql('T | where TimeGenerated > datetime(2025-11-19T11:30:00.1234568Z)'), 'N'), [null, 4]);
  assert.deepEqual(col(runKql('T | where TimeGenerated >= datetime("2025-11-19 11:59")'), 'Id'), ['c']);
  assert.deepEqual(col(runKql('T | where TimeGenerated > ago(1h)'), 'Id'), ['a', 'c', 'a']); // > 11:00:00.0000000 exactly
  assert.deepEqual(col(runKql('T | where TimeGenerated > now() - 1.5d'), 'Id').length, 5);
  for (const [ts, want] of [['12h', '12:00:00'], ['5m', '00:05:00'], ['1d', '1.00:00:00'], ['30s', '00:00:30'], ['500ms', '00:00:00.5000000'], ['1.5d', '1.12:00:00']]) {
    assert.deepEqual(runKql(`T | take 1 | extend X = ${ts} | project X`).rows, [[want]], ts);
  }
  const r = runKql('let since = datetime(2025-11-19T10:00:00.1234567Z); T | where TimeGenerated == since | extend Next = TimeGenerated + 1h - 5m, Age = now() - TimeGenerated, Now = now(), Parsed = todatetime("2025-11-19T10:00:00.1234567Z"), Text = tostring(TimeGenerated + 1tick) | project-away Id, Status, End');
  assert.deepEqual(r.columns, ['TimeGenerated:datetime', 'N:long', 'Next:datetime', 'Age:timespan', 'Now:datetime', 'Parsed:datetime', 'Text:string']);
  assert.deepEqual(r.rows, [['2025-11-19T10:00:00.1234567Z', 1, '2025-11-19T10:55:00.1234567Z', '01:59:59.8765433', '2025-11-19T12:00:00.0000000Z', '2025-11-19T10:00:00.1234567Z', '2025-11-19T10:00:00.1234568Z']]);
  // now() is one value within a query
  const twice = runKql('T | extend A = now(), B = now() | where A == B | count');
  assert.deepEqual(twice.rows, [[5]]);
});

test('kql: ingestion_time() reads the hidden ingestion time of each row', () => {
  const r = runKql('T | where ingestion_time() > datetime(2025-11-19T11:30:00.1234568Z) | extend Ingested = ingestion_time() | project Id, Ingested');
  assert.deepEqual(r.columns, ['Id:string', 'Ingested:datetime']);
  assert.deepEqual(r.rows, [['a', '2025-11-19T11:31:00.1234568Z'], ['c', '2025-11-19T12:00:00.0000000Z'], ['a', '2025-11-19T11:46:00.0000000Z']]);
  assert.deepEqual(col(runKql('T | where ingestion_time() == datetime(2025-11-19T11:31:00.1234568Z)'), 'N'), [3]);
});

test('kql: let, extend with several columns, project with renames, project-away with wildcards, project-rename', () => {
  const r = runKql('let lookback = 2h; let n = 2;\nT\n| where TimeGenerated > ago(lookback) and N >= n\n| extend Doubled = N * 2, Label = tostring(N)\n| project Id, Doubled, L = Label');
  assert.deepEqual(r.columns, ['Id:string', 'Doubled:long', 'L:string']);
  assert.deepEqual(r.rows, [['b', 4, '2'], ['a', 6, '3'], ['a', 8, '4']]);
  assert.deepEqual(runKql('T | project-away I*, *tus, End | take 1').columns, ['TimeGenerated:datetime', 'N:long']);
  assert.deepEqual(runKql('T | project-rename Identifier = Id | project Identifier | take 1').rows, [['a']]);
  assert.deepEqual(runKql('T | extend Status = "x" | take 1').columns, KQL_COLUMNS.map((c) => `${c.name}:${c.type}`));
});

test('kql: order by / sort by several keys, default desc, nulls first on asc and last on desc; take, limit, top', () => {
  assert.deepEqual(col(runKql('T | order by N'), 'N'), [4, 3, 2, 1, null]);
  assert.deepEqual(col(runKql('T | sort by N asc'), 'N'), [null, 1, 2, 3, 4]);
  assert.deepEqual(col(runKql('T | sort by N asc nulls last'), 'N'), [1, 2, 3, 4, null]);
  assert.deepEqual(col(runKql('T | order by Id asc, TimeGenerated desc'), 'N'), [4, 3, 1, 2, null]);
  assert.deepEqual(col(runKql('T | order by Id desc, TimeGenerated asc'), 'N'), [null, 2, 1, 3, 4]);
  assert.deepEqual(col(runKql('T | order by TimeGenerated asc | take 2'), 'N'), [1, 2]);
  assert.deepEqual(col(runKql('T | limit 3'), 'N'), [1, 2, 3]);
  assert.deepEqual(col(runKql('T | top 2 by TimeGenerated'), 'Id'), ['c', 'a']);
  assert.deepEqual(col(runKql('T | top 2 by TimeGenerated asc'), 'N'), [1, 2]);
});

test('kql: summarize arg_max(Col, *) / arg_min by Key; distinct; count()', () => {
  const latest = runKql('T | summarize arg_max(TimeGenerated, *) by Id');
  assert.deepEqual(latest.columns, ['Id:string', 'TimeGenerated:datetime', 'Status:string', 'N:long', 'End:datetime']);
  assert.deepEqual(latest.rows, [['a', '2025-11-19T11:45:00.0000000Z', 'Resolved', 4, null], ['b', '2025-11-19T11:00:00.0000000Z', 'New', 2, null], ['c', '2025-11-19T11:59:00.0000000Z', 'Resolved', null, null]]);
  const first = runKql('T | summarize arg_min(TimeGenerated, Status) by Id | order by Id asc');
  assert.deepEqual(first.rows, [['a', '2025-11-19T10:00:00.1234567Z', 'New'], ['b', '2025-11-19T11:00:00.0000000Z', 'New'], ['c', '2025-11-19T11:59:00.0000000Z', 'Resolved']]);
  // the picked row keeps its ingestion time
  assert.deepEqual(runKql('T | summarize arg_max(TimeGenerated, *) by Id | extend I = ingestion_time() | where Id == "a" | project I').rows, [['2025-11-19T11:46:00.0000000Z']]);
  assert.deepEqual(runKql('T | distinct Id').rows, [['a'], ['b'], ['c']]);
  assert.deepEqual(runKql('T | distinct Id, Status | count').rows, [[5]]);
  assert.deepEqual(runKql('T | summarize count() by Status').rows, [['New', 2], ['InProgress', 1], ['Resolved', 2]]);
  assert.deepEqual(runKql('T | summarize Latest = max(TimeGenerated), n = count()').rows, [['2025-11-19T11:59:00.0000000Z', 5]]);
});

test('kql: errors as the service words them: strings cannot be ordered, unknown columns and functions, bad syntax', () => {
  const strings = kqlError('T | where Status > "New"');
  assert.equal(strings.kind, 'SemanticError');
  assert.equal(strings.code, 'SEM0025');
  assert.equal(strings.message, 'Cannot compare values of types string and string. Try adding explicit casts');
  assert.equal(kqlError('T | where TimeGenerated > "2025-11-19"').message, 'Cannot compare values of types datetime and string. Try adding explicit casts');
  const unknown = kqlError('T | where Nope == 1');
  assert.equal(unknown.code, 'SEM0100');
  assert.equal(unknown.message, "'where' operator: Failed to resolve scalar expression named 'Nope'");
  assert.deepEqual([unknown.line, unknown.pos], [1, 11]);
  assert.equal(kqlError('T | extend X = frobnicate(1)').message, "'extend' operator: Unknown function: 'frobnicate'.");
  const syntax = kqlError('T\n| where N >');
  assert.equal(syntax.kind, 'SyntaxError');
  assert.equal(syntax.message, "Query could not be parsed at '<EOF>' on line [2,12]");
  assert.equal(kqlError('T | where TimeGenerated > datetime(2025-13-45)').kind, 'SyntaxError');
  assert.equal(kqlError('T | where N').message, "'where' operator: Filter expression should be Boolean, got long");
});

// ------------------------------------------------------------------ ingestion time, revisions, limits (own sandboxes)
/** A client assertion for tenant `t` of sandbox `s`, signed at the sandbox clock's time. */
function assertionFor(s, t = s.tenants[0]) {
  const now = Math.floor(s.clock.now() / 1000);
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', x5t: t.x5t })}.${b64url({ aud: t.tokenUrl, iss: t.clientId, sub: t.clientId, jti: crypto.randomUUID(), iat: now, nbf: now, exp: now + 600 })}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), t.privateKeyPem).toString('base64url')}`;
}
async function tokenFor(s, t = s.tenants[0]) {
  const res = await fetch(t.tokenUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: t.clientId, scope: t.scope, grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertionFor(s, t) }).toString(),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token;
}
/** POSTs a query to sandbox `s`; returns {status, body, text, headers, rows (as objects)}. */
async function queryOn(s, q, { accessToken, timespan } = {}) {
  const res = await fetch(s.tenants[0].queryUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken || await tokenFor(s)}`, 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' },
    body: JSON.stringify(timespan ? { query: q, timespan } : { query: q }),
  });
  const text = await res.text();
  const body = JSON.parse(text);
  const rows = body.tables ? body.tables[0].rows.map((r) => Object.fromEntries(body.tables[0].columns.map((c, i) => [c.name, r[i]]))) : null;
  return { status: res.status, body, text, headers: res.headers, rows };
}
async function withSandbox(options, fn) {
  const s = await sandboxLib.start({ now: '2025-11-19T12:00:00Z', alerts: 40, incidents: 10, ...options });
  try { return await fn(s); } finally { await s.stop(); }
}
const DT7 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
const ticksOf = (iso) => kql.values.parseDatetime(iso);

test('ingestion: every row has an ingestion time, read only through ingestion_time(); new rows are visible after visibilityDelayMs', async () => {
  await withSandbox({ visibilityDelayMs: 30000, latencyMs: 5000 }, async (s) => {
    const ws = s.workspace(0);
    const now = ticksOf('2025-11-19T12:00:00.0000000Z');
    for (const table of ['SecurityAlert', 'SecurityIncident']) {
      for (const r of ws.allRows(table)) {
        assert.match(r.ingestionTime, DT7);
        const ing = ticksOf(r.ingestionTime);
        assert.ok(ing >= ticksOf(r.TimeGenerated), `${r.ingestionTime} >= ${r.TimeGenerated}`);
        assert.ok(ing < now + 10000n, 'seeded rows were ingested by the clock time');
        assert.ok(ing - ticksOf(r.TimeGenerated) <= 1200000000n, 'seeded rows are ingested within 2 minutes');
      }
    }
    const token = await tokenFor(s);
    const all = await queryOn(s, 'SecurityAlert | extend Ingested = ingestion_time() | project SystemAlertId, TimeGenerated, Ingested', { accessToken: token });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.tables[0].columns.map((c) => `${c.name}:${c.type}`), ['SystemAlertId:string', 'TimeGenerated:datetime', 'Ingested:datetime']);
    // the seeded rows ingested in the last 30 s are not visible yet
    const truth = ws.allRows('SecurityAlert');
    assert.equal(all.rows.length, truth.filter((r) => r.visible).length);
    const byId = new Map(truth.map((r) => [r.SystemAlertId, r]));
    for (const r of all.rows) assert.equal(r.Ingested, byId.get(r.SystemAlertId).ingestionTime);
    assert.ok(!('ingestionTime' in all.rows[0]) && all.body.tables[0].columns.every((c) => c.name !== '$IngestionTime'));
    const plain = await queryOn(s, 'SecurityAlert | take 1', { accessToken: token });
    assert.equal(plain.body.tables[0].columns.length, 35, 'no hidden column in the result');

    // new rows: ingested at the clock's time, TimeGenerated up to latencyMs earlier, visible 30 s later
    s.clock.advance(60000);
    const added = s.addAlerts(3);
    const fresh = 'SecurityAlert | where ingestion_time() > ago(10s)';
    assert.equal((await queryOn(s, fresh, { accessToken: token })).rows.length, 0, 'not visible during the visibility delay');
    s.clock.advance(29999);
    assert.equal((await queryOn(s, 'SecurityAlert | where ingestion_time() > ago(40s)', { accessToken: token })).rows.length, 0);
    s.clock.advance(1);
    const seen = await queryOn(s, 'SecurityAlert | where ingestion_time() > ago(40s) | extend Ingested = ingestion_time()', { accessToken: token });
    assert.equal(seen.rows.length, 3);
    assert.deepEqual(new Set(seen.rows.map((r) => r.SystemAlertId)), new Set(added.map((row) => row[9])));
    for (const r of seen.rows) {
      const lag = ticksOf(r.Ingested) - ticksOf(r.TimeGenerated);
      assert.ok(lag >= 0n && lag <= 50000000n + 10000n, `TimeGenerated earlier than ingestion by 0..5 s: ${lag}`);
      // the 7-digit value compares exactly
      const exact = await queryOn(s, `SecurityAlert | where ingestion_time() == datetime(${r.Ingested}) | project SystemAlertId`, { accessToken: token });
      assert.deepEqual(exact.rows, [{ SystemAlertId: r.SystemAlertId }]);
    }
  });
});

test('ingestion: late arrivals have an old TimeGenerated and a current ingestion time', async () => {
  await withSandbox({}, async (s) => {
    const ws = s.workspace(0);
    s.clock.advance(3600e3);
    const late = ws.addLateAlerts(6, { ageMs: 2 * 86400e3 });
    assert.equal(late.length, 6);
    const now = s.clock.now();
    for (const r of late) {
      const age = now - Date.parse(r.TimeGenerated);
      assert.ok(age >= 600e3 && age <= 2 * 86400e3, `age ${age}`);
      assert.ok(Math.abs(Date.parse(r.ingestionTime) - now) <= 1, r.ingestionTime);
      assert.equal(r.visible, true);
    }
    const token = await tokenFor(s);
    const byTime = await queryOn(s, 'SecurityAlert | where TimeGenerated > ago(5m)', { accessToken: token });
    assert.equal(byTime.rows.length, 0, 'a TimeGenerated cursor misses them');
    const byIngestion = await queryOn(s, 'SecurityAlert | where ingestion_time() > ago(5m) | order by TimeGenerated asc', { accessToken: token });
    assert.deepEqual(byIngestion.rows.map((r) => r.SystemAlertId).sort(), late.map((r) => r.SystemAlertId).sort());
  });
});

test('revisions: incident changes and alert revisions are new rows; allRows() and latestRows() give the ground truth', async () => {
  await withSandbox({ incidents: 12 }, async (s) => {
    const ws = s.workspace(0);
    const before = ws.latestRows('SecurityIncident');
    const rowsBefore = ws.allRows('SecurityIncident').length;
    const prevByName = new Map(before.map((r) => [r.IncidentName, r]));
    s.clock.advance(60000);
    const changed = ws.updateIncidents(5);
    assert.equal(changed.length, 5);
    assert.equal(new Set(changed.map((r) => r.IncidentName)).size, 5);
    for (const r of changed) {
      const prev = prevByName.get(r.IncidentName);
      assert.ok(prev, 'an existing incident');
      for (const k of ['IncidentNumber', 'ProviderIncidentId', 'FirstModifiedTime', 'CreatedTime', 'Title']) assert.equal(r[k], prev[k], k);
      assert.ok(ticksOf(r.LastModifiedTime) > ticksOf(prev.LastModifiedTime));
      assert.ok(ticksOf(r.TimeGenerated) > ticksOf(prev.TimeGenerated));
      assert.ok(['Status', 'Owner', 'Classification', 'Severity'].some((k) => r[k] !== prev[k]), 'something changed');
      assert.notEqual(r.Status, 'New');
    }
    const all = ws.allRows('SecurityIncident');
    assert.equal(all.length, rowsBefore + 5);
    const latest = ws.latestRows('SecurityIncident');
    assert.equal(latest.length, before.length);
    for (const r of changed) assert.equal(latest.find((x) => x.IncidentName === r.IncidentName).LastModifiedTime, r.LastModifiedTime);

    const token = await tokenFor(s);
    const every = await queryOn(s, 'SecurityIncident | project IncidentName, LastModifiedTime', { accessToken: token });
    assert.equal(every.rows.length, all.length, 'every revision is a row');
    const view = await queryOn(s, 'SecurityIncident | summarize arg_max(LastModifiedTime, *) by IncidentName', { accessToken: token });
    assert.deepEqual(new Map(view.rows.map((r) => [r.IncidentName, r.LastModifiedTime])), new Map(latest.map((r) => [r.IncidentName, r.LastModifiedTime])));

    // alerts: New -> InProgress -> Resolved, same SystemAlertId, new TimeGenerated
    const alertsBefore = new Map(ws.latestRows('SecurityAlert').map((r) => [r.SystemAlertId, r]));
    s.clock.advance(60000);
    const revised = ws.updateAlerts(4);
    assert.equal(revised.length, 4);
    for (const r of revised) {
      const prev = alertsBefore.get(r.SystemAlertId);
      assert.equal(r.Status, { New: 'InProgress', InProgress: 'Resolved' }[prev.Status]);
      assert.ok(ticksOf(r.TimeGenerated) > ticksOf(prev.TimeGenerated));
      assert.equal(r.VendorOriginalId, prev.VendorOriginalId);
    }
    const latestAlerts = ws.latestRows('SecurityAlert');
    assert.equal(latestAlerts.length, alertsBefore.size);
    for (const r of revised) assert.equal(latestAlerts.find((x) => x.SystemAlertId === r.SystemAlertId).Status, r.Status);
    const q = await queryOn(s, 'SecurityAlert | summarize arg_max(TimeGenerated, Status) by SystemAlertId', { accessToken: token });
    for (const r of revised) assert.equal(q.rows.find((x) => x.SystemAlertId === r.SystemAlertId).Status, r.Status);
  });
});

test('revisions: out of order, the older revision is ingested (and visible) after the newer one', async () => {
  await withSandbox({ outOfOrderDelayMs: 90000 }, async (s) => {
    const ws = s.workspace(0);
    s.clock.advance(120000);
    const newAlerts = ws.latestRows('SecurityAlert').filter((r) => r.Status === 'New').length;
    assert.ok(newAlerts >= 2);
    const revs = ws.updateAlerts(2, { outOfOrder: 1 });
    assert.equal(revs.length, 4);
    for (let i = 0; i < 4; i += 2) {
      const [older, newer] = [revs[i], revs[i + 1]];
      assert.equal(older.SystemAlertId, newer.SystemAlertId);
      assert.deepEqual([older.Status, newer.Status], ['InProgress', 'Resolved']);
      assert.ok(ticksOf(older.TimeGenerated) < ticksOf(newer.TimeGenerated));
      assert.ok(ticksOf(older.ingestionTime) > ticksOf(newer.ingestionTime), 'ingested out of order');
      assert.deepEqual([older.visible, newer.visible], [false, true]);
    }
    const token = await tokenFor(s);
    const q = `SecurityAlert | where SystemAlertId in ("${revs[0].SystemAlertId}", "${revs[2].SystemAlertId}") | project SystemAlertId, Status`;
    assert.deepEqual((await queryOn(s, q, { accessToken: token })).rows.map((r) => r.Status).sort(), ['New', 'New', 'Resolved', 'Resolved']);
    assert.ok(ws.visibleUntil() > s.clock.now());
    s.clock.set(ws.visibleUntil());
    assert.deepEqual((await queryOn(s, q, { accessToken: token })).rows.map((r) => r.Status).sort(), ['InProgress', 'InProgress', 'New', 'New', 'Resolved', 'Resolved']);
    assert.ok(ws.allRows('SecurityAlert').every((r) => r.visible));
    // the same for incidents, with the option set on the workspace
    ws.configure({ outOfOrder: 1 });
    s.clock.advance(60000);
    const inc = ws.updateIncidents(1);
    assert.equal(inc.length, 2);
    assert.ok(ticksOf(inc[0].LastModifiedTime) < ticksOf(inc[1].LastModifiedTime));
    assert.ok(ticksOf(inc[0].ingestionTime) > ticksOf(inc[1].ingestionTime));
  });
});

test('query: a result over maxRows or maxBytes comes back truncated, HTTP 200 with a PartialError (E_QUERY_RESULT_SET_TOO_LARGE)', async () => {
  await withSandbox({ alerts: 120, maxRows: 50 }, async (s) => {
    const token = await tokenFor(s);
    const rows = await queryOn(s, 'SecurityAlert', { accessToken: token });
    assert.equal(rows.status, 200);
    assert.equal(rows.body.tables[0].rows.length, 50);
    assert.deepEqual(Object.keys(rows.body), ['tables', 'error']);
    const e = rows.body.error;
    assert.equal(e.code, 'PartialError');
    assert.equal(e.message, 'There were some errors when processing your query.');
    assert.match(e.correlationId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(e.details, [{
      code: 'EngineError', message: 'Something went wrong processing your query on the server.',
      innererror: { severity: 2, severityName: 'Error', code: '-2133196797', message: 'Query result set has exceeded the internal record count limit 50 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)' },
    }]);
    const under = await queryOn(s, 'SecurityAlert | take 50', { accessToken: token });
    assert.equal(under.body.tables[0].rows.length, 50);
    assert.equal(under.body.error, undefined);

    s.query.limits.maxRows = 500000;
    s.query.limits.maxBytes = 60000;
    const big = await queryOn(s, 'SecurityAlert | order by TimeGenerated asc', { accessToken: token });
    assert.equal(big.status, 200);
    assert.ok(Buffer.byteLength(big.text) <= 60000, `${Buffer.byteLength(big.text)} bytes`);
    const n = big.body.tables[0].rows.length;
    assert.ok(n > 5 && n < 120, `${n} rows`);
    assert.equal(big.body.error.details[0].innererror.message, 'Query result set has exceeded the internal data size limit 60000 (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)');
    const full = await queryOn(s, 'SecurityAlert | order by TimeGenerated asc | take 5', { accessToken: token });
    assert.deepEqual(big.body.tables[0].rows.slice(0, 5), full.body.tables[0].rows, 'the first rows, in order');
  });
});

test('query: injected 429 (Retry-After), 503, 504 GatewayTimeout, reset, partialNext; counters of requests and 429s', async () => {
  await withSandbox({}, async (s) => {
    const token = await tokenFor(s);
    s.query.resetStats();
    s.query.failNext(1, { status: 429, retryAfter: 7 });
    const throttled = await queryOn(s, 'SecurityAlert | take 3', { accessToken: token });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.body.error.code, 'ThrottledError');
    assert.equal(throttled.headers.get('retry-after'), '7');
    s.query.failNext(1, { status: 504 });
    const timeout = await queryOn(s, 'SecurityAlert | take 3', { accessToken: token });
    assert.equal(timeout.status, 504);
    assert.equal(timeout.body.error.code, 'GatewayTimeout');
    assert.equal(timeout.body.error.message, 'Gateway timeout');
    assert.equal(timeout.body.error.innererror.code, 'GatewayTimeout');
    s.query.failNext(1, { status: 503 });
    assert.equal((await queryOn(s, 'SecurityAlert | take 3', { accessToken: token })).status, 503);
    s.query.failNext(1, { status: 'reset' });
    await assert.rejects(queryOn(s, 'SecurityAlert | take 3', { accessToken: token }));
    s.query.partialNext(1);
    const half = await queryOn(s, 'SecurityAlert | order by TimeGenerated asc | take 10', { accessToken: token });
    assert.equal(half.status, 200);
    assert.equal(half.body.tables[0].rows.length, 5);
    assert.equal(half.body.error.code, 'PartialError');
    assert.equal(half.body.error.details[0].innererror.code, '-2133196797');
    const whole = await queryOn(s, 'SecurityAlert | order by TimeGenerated asc | take 10', { accessToken: token });
    assert.equal(whole.body.tables[0].rows.length, 10);
    assert.deepEqual(whole.body.tables[0].rows.slice(0, 5), half.body.tables[0].rows);
    assert.equal(s.query.count, 6);
    assert.equal(s.query.throttled, 1);
    assert.deepEqual(s.query.stats, { requests: 6, queries: 2, throttled: 1, failed: 3, partial: 1 });
  });
});

test('entra: token requests are counted per tenant and client beyond the 50 kept in the request log', async () => {
  await withSandbox({}, async (s) => {
    const t = s.tenants[0];
    for (let i = 0; i < 55; i += 1) await tokenFor(s);
    const bad = await fetch(t.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `client_id=${t.clientId}&grant_type=client_credentials` });
    assert.equal(bad.status, 401); // no client assertion: AADSTS7000218
    assert.equal(s.entra.requests.entries.length, 50);
    assert.equal(s.entra.tokenRequests, 56);
    assert.equal(s.entra.tokenRequestsFor(t.tenantId), 56);
    assert.equal(s.entra.tokenRequestsFor(t.tenantId.toUpperCase(), t.clientId), 56);
    assert.equal(s.entra.tokenRequestsFor(t.tenantId, crypto.randomUUID()), 0);
    assert.equal(s.entra.tokensIssuedFor(t.tenantId), 55);
    assert.equal(s.entra.tokenRequestsFor(crypto.randomUUID()), 0);
    // tokens expire after tokenLifetime: the query API answers 401 TokenExpiredError
    const token = await tokenFor(s);
    s.clock.advance(3599e3);
    const expired = await queryOn(s, 'SecurityAlert | take 1', { accessToken: token });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.innererror.code, 'TokenExpiredError');
  });
});

// ------------------------------------------------------------------ Elasticsearch: versions, limits, outages (own sandboxes)
async function bulkOn(s, ndjson, { url = '/_bulk', signal } = {}) {
  const res = await fetch(`${s.elastic.origin}${url}`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson', Authorization: `ApiKey ${s.apiKey}` }, body: ndjson, signal });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
const line = (action, meta, source) => `${JSON.stringify({ [action]: meta })}\n${source === undefined ? '' : `${JSON.stringify(source)}\n`}`;

test('elastic: index with version_type external / external_gte on a regular index; 409 when the stored version is not lower', async () => {
  await withSandbox({}, async (s) => {
    const v = (version, versionType = 'external', status) => line('index', { _index: 'latest-incidents', _id: 'inc-1', version, version_type: versionType }, { IncidentName: 'inc-1', status });
    const first = await bulkOn(s, v(5, 'external', 'New'));
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.items[0].index, { _index: 'latest-incidents', _id: 'inc-1', _version: 5, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1, status: 201 });
    const get = await fetch(`${s.elastic.origin}/latest-incidents/_doc/inc-1`, { headers: { Authorization: `ApiKey ${s.apiKey}` } }).then((r) => r.json());
    assert.equal(get._version, 5);
    assert.equal(get._source.status, 'New');

    const same = await bulkOn(s, v(5, 'external', 'Stale') + v(3, 'external', 'Older'));
    assert.equal(same.body.errors, true);
    for (const [item, given] of [[same.body.items[0].index, 5], [same.body.items[1].index, 3]]) {
      assert.equal(item.status, 409);
      assert.equal(item.error.type, 'version_conflict_engine_exception');
      assert.equal(item.error.reason, `[inc-1]: version conflict, current version [5] is higher or equal to the one provided [${given}]`);
      assert.equal(item.error.index, 'latest-incidents');
    }
    const newer = await bulkOn(s, v(9, 'external', 'Closed'));
    assert.equal(newer.body.items[0].index.status, 200);
    assert.equal(newer.body.items[0].index.result, 'updated');
    assert.equal(newer.body.items[0].index._version, 9);
    const gteSame = await bulkOn(s, v(9, 'external_gte', 'Closed again'));
    assert.equal(gteSame.body.items[0].index.status, 200);
    const gteOlder = await bulkOn(s, v(8, 'external_gte', 'x'));
    assert.equal(gteOlder.body.items[0].index.status, 409);
    assert.equal(gteOlder.body.items[0].index.error.reason, '[inc-1]: version conflict, current version [9] is higher than the one provided [8]');
    assert.deepEqual(s.elastic.document('latest-incidents', 'inc-1'), { _id: 'inc-1', _version: 9, _seq_no: 2, _source: { IncidentName: 'inc-1', status: 'Closed again' } });

    // data streams still take only `create`
    const ds = await bulkOn(s, line('index', { _index: 'logs-azure_api', _id: 'x', version: 1, version_type: 'external' }, { '@timestamp': '2025-11-19T10:00:00Z' }));
    assert.equal(ds.body.items[0].index.status, 400);
    assert.equal(ds.body.items[0].index.error.reason, 'only write ops with an op_type of create are allowed in data streams');
    // request validation, as Elasticsearch words it
    const create = await bulkOn(s, line('create', { _index: 'latest-incidents', _id: 'y', version: 1, version_type: 'external' }, {}));
    assert.equal(create.status, 400);
    assert.equal(create.body.error.type, 'action_request_validation_exception');
    assert.equal(create.body.error.reason, 'Validation Failed: 1: create operations only support internal versioning. use index instead;');
    const internal = await bulkOn(s, line('index', { _index: 'latest-incidents', _id: 'y', version: 1 }, {}));
    assert.equal(internal.body.error.reason, 'Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;');
    const noVersion = await bulkOn(s, line('index', { _index: 'latest-incidents', _id: 'y', version_type: 'external' }, {}));
    assert.equal(noVersion.body.error.reason, 'Validation Failed: 1: illegal version value [-3] for version type [EXTERNAL];');
  });
});

test('elastic: a body over maxBodyBytes -> whole-request 413; injected 429 with Retry-After, 502/504 from the proxy, per-item 400 mapper_parsing_exception; bulkRequests counter', async () => {
  await withSandbox({ maxBodyBytes: 4096 }, async (s) => {
    const docs = (n, prefix) => Array.from({ length: n }, (_, i) => line('create', { _index: 'logs-azure_api', _id: `${prefix}${i}` }, { '@timestamp': '2025-11-19T10:00:00Z', pad: 'x'.repeat(100) })).join('');
    const tooLarge = await bulkOn(s, docs(40, 'big'));
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.body.status, 413);
    assert.equal(s.elastic.count('logs-azure_api'), 0);
    assert.equal((await bulkOn(s, docs(5, 'small'))).status, 200);

    s.elastic.failNext(1, { status: 429 });
    const plain = await bulkOn(s, docs(1, 'r'));
    assert.equal(plain.status, 429);
    assert.equal(plain.headers.get('retry-after'), null);
    s.elastic.failNext(1, { status: 429, retryAfter: 3 });
    const withHeader = await bulkOn(s, docs(1, 'r'));
    assert.equal(withHeader.status, 429);
    assert.equal(withHeader.headers.get('retry-after'), '3');
    for (const status of [502, 504]) {
      s.elastic.failNext(1, { status });
      const r = await bulkOn(s, docs(1, 'r'));
      assert.equal(r.status, status);
      assert.equal(r.body.ok, false);
      assert.equal(r.headers.get('x-elastic-product'), null);
    }
    s.elastic.failItems({ status: 400, ids: ['m1'] });
    const mapping = await bulkOn(s, docs(2, 'm'));
    assert.equal(mapping.body.errors, true);
    const bad = mapping.body.items[1].create;
    assert.equal(bad.status, 400);
    assert.equal(bad.error.type, 'mapper_parsing_exception');
    assert.equal(bad.error.reason, "failed to parse field [Status] of type [long] in document with id 'm1'. Preview of field's value: 'New'");
    assert.equal(bad.error.caused_by.type, 'illegal_argument_exception');
    assert.equal(mapping.body.items[0].create.status, 201);
    assert.equal(s.elastic.bulkRequests, 7);
    assert.equal(s.elastic.stats.rejected, 4);
  });
  const withDefault = await sandboxLib.start({ alerts: 1, incidents: 1, retryAfter: 2 });
  try {
    withDefault.elastic.failNext(1, { status: 429 });
    const r = await bulkOn(withDefault, line('create', { _index: 'logs-azure_api', _id: 'a' }, { '@timestamp': '2025-11-19T10:00:00Z' }));
    assert.equal(r.headers.get('retry-after'), '2');
  } finally { await withDefault.stop(); }
});

test('elastic: down() refuses connections, up() listens again on the same port; downFor(ms)', async () => {
  await withSandbox({}, async (s) => {
    const origin = s.elastic.origin;
    const ok = () => bulkOn(s, line('create', { _index: 'logs-azure_api' }, { '@timestamp': '2025-11-19T10:00:00Z' }));
    assert.equal((await ok()).status, 200);
    await s.elastic.down();
    assert.equal(s.elastic.isDown, true);
    const refused = await ok().then(() => null, (e) => e);
    assert.ok(refused, 'the request failed');
    assert.equal(refused.cause && refused.cause.code, 'ECONNREFUSED');
    await s.elastic.up();
    assert.equal(s.elastic.origin, origin);
    assert.equal((await ok()).status, 200);
    const back = s.elastic.downFor(300);
    await new Promise((r) => setTimeout(r, 20));
    // a pooled keep-alive connection may see the reset instead of the refusal
    assert.ok(['ECONNREFUSED', 'UND_ERR_SOCKET', 'ECONNRESET'].includes((await ok().then(() => null, (e) => e)).cause.code));
    await back;
    assert.equal((await ok()).status, 200);
    assert.equal(s.elastic.count('logs-azure_api'), 3);
  });
});

test('elastic: stallNext delays _bulk answers (client timeouts); before: written after the stall even if the client gave up; after: written at once', async () => {
  await withSandbox({}, async (s) => {
    const nd = (id) => line('create', { _index: 'logs-azure_api', _id: id }, { '@timestamp': '2025-11-19T10:00:00Z' });
    s.elastic.stallNext(1, 300);
    const gaveUp = await bulkOn(s, nd('s1'), { signal: AbortSignal.timeout(50) }).then(() => null, (e) => e);
    assert.equal(gaveUp && gaveUp.name, 'TimeoutError');
    assert.equal(s.elastic.document('logs-azure_api', 's1'), null, 'not written during the stall');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(s.elastic.document('logs-azure_api', 's1')._version, 1, 'written when the stall ended');

    s.elastic.stallNext(1, 200, { when: 'after' });
    const t0ms = Date.now();
    const pending = bulkOn(s, nd('s2'));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(s.elastic.document('logs-azure_api', 's2'), 'written before the answer');
    const r = await pending;
    assert.ok(Date.now() - t0ms >= 190);
    assert.equal(r.body.items[0].create.status, 201);
    assert.equal(s.elastic.stats.stalled, 2);

    // a stall cut short by down(): no write, no answer
    s.elastic.stallNext(1, 10000);
    const cut = bulkOn(s, nd('s3')).then(() => null, (e) => e);
    await new Promise((res) => setTimeout(res, 50));
    await s.elastic.down();
    assert.ok(await cut);
    await s.elastic.up();
    assert.equal(s.elastic.document('logs-azure_api', 's3'), null);
  });
});
