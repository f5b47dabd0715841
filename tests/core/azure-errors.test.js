'use strict';
// node-red/lib/azure-errors.js: which responses count as Entra ID or query API errors, and the
// fix each one names. Bodies as the services write them (tests/sandbox/entra.js, loganalytics.js).

const assert = require('node:assert/strict');
const { test } = require('node:test');
const e = require('../../node-red/lib/azure-errors');

const entraBody = (code, error, message) => ({
  error,
  error_description: `AADSTS${code}: ${message}\r\nTrace ID: 0b8f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d\r\nCorrelation ID: 1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f\r\nTimestamp: 2026-11-30 10:00:00Z`,
  error_codes: [code],
});

test('Entra ID errors: each code names its fix, the trace id goes last, the correlation id and timestamp go', () => {
  const table = [
    [700027, 'invalid_client', 'Client assertion failed signature validation. [Reason - The key was not found.]', /upload the certificate that matches the private key/],
    [700016, 'unauthorized_client', "Application with identifier 'x' was not found in the directory 'contoso'.", /"Application \(client\) ID"/],
    [90002, 'invalid_request', "Tenant 'x' not found.", /"Directory \(tenant\) ID"/],
    [900023, 'invalid_request', "Specified tenant identifier 'x' is neither a valid DNS name, nor a valid external domain.", /"Directory \(tenant\) ID"/],
    [7000215, 'invalid_client', 'Invalid client secret provided.', /upload the certificate .* no client_secret/],
    [7000222, 'invalid_client', "The provided client secret keys for app 'x' are expired.", /upload the certificate/],
    [700024, 'invalid_client', 'Client assertion is not within its valid time range.', /clock right \(NTP\)/],
    [500011, 'invalid_resource', 'The resource principal named x was not found in the tenant named contoso.', /https:\/\/api\.loganalytics\.io\/\.default/],
    [1002012, 'invalid_scope', 'The provided value for scope x is not valid.', /ending in \/\.default/],
  ];
  for (const [code, error, message, fix] of table) {
    const err = e.entraError(401, JSON.stringify(entraBody(code, error, message)));
    assert.equal(err.permanent, true, `${code} is permanent`);
    assert.match(err.message, new RegExp(`^Entra ID refused the token request \\(HTTP 401, ${error}\\): AADSTS${code}: `));
    assert.match(err.message, fix, `${code}`);
    assert.match(err.message, /\. Fix: .*\(Trace ID 0b8f1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d\)$/);
    assert.doesNotMatch(err.message, /Correlation ID|Timestamp|\.\./);
  }
  // An unknown code keeps what Entra ID said, without a fix; 5xx and 429 are not permanent.
  const unknown = e.entraError(400, entraBody(9999999, 'invalid_request', 'Something new.'));
  assert.equal(unknown.fix, undefined);
  assert.equal(unknown.permanent, true);
  assert.equal(e.entraError(503, entraBody(50001, 'temporarily_unavailable', 'The service is temporarily unavailable.')).permanent, false);
});

test('fromTokenResponse: only an error body counts, given as an object, a string or a Buffer', () => {
  const body = entraBody(700016, 'unauthorized_client', 'Application not found.');
  for (const payload of [body, JSON.stringify(body), Buffer.from(JSON.stringify(body))]) {
    assert.match(e.fromTokenResponse(payload, 400).message, /AADSTS700016.*Fix: /);
  }
  for (const payload of [{ access_token: 'x', token_type: 'Bearer' }, undefined, null, 'not json', { foo: 1 }, 'x'.repeat(70000)]) {
    assert.equal(e.fromTokenResponse(payload, 200), null);
  }
  // No known fix: the node's own message stays, with what Entra ID said after it.
  const own = new Error('No access_token found in msg.payload');
  const merged = e.fromTokenResponse({ error: 'invalid_client' }, 401, own);
  assert.match(merged.message, /^No access_token found in msg\.payload\. Instead: Entra ID refused the token request \(HTTP 401, invalid_client\)/);
});

test('Log Analytics errors: each code names its fix; a result with tables is not an error', () => {
  const body = (code, message) => ({ error: { message, code, correlationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d' } });
  const table = [
    [403, 'InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation', /"Log Analytics Reader" role/],
    [403, 'InvalidAuthenticationTokenAudience', "The access token has been obtained from wrong audience or resource 'https://management.azure.com'.", /scope to https:\/\/api\.loganalytics\.io\/\.default/],
    [404, 'PathNotFoundError', 'The requested path does not exist', /query API host/],
    [404, 'WorkspaceNotFoundError', 'Workspace x not found', /"Workspace ID"/],
    [429, 'ThrottledError', 'Too many requests. Please retry later.', /poll less often/],
  ];
  for (const [status, code, message, fix] of table) {
    const err = e.fromQueryResponse(JSON.stringify(body(code, message)), status, { 'retry-after': '7' });
    assert.match(err.message, new RegExp(`^the Log Analytics query API answered HTTP ${status} ${code}: `));
    assert.match(err.message, fix, code);
    assert.equal(err.code, code);
    assert.equal(err.permanent, code === 'ThrottledError' ? undefined : true);
  }
  assert.match(e.fromQueryResponse(body('ThrottledError', 'Too many'), 429, { 'retry-after': '7' }).message, /asked to wait 7 s/);
  assert.match(e.fromQueryResponse('<html>Bad Gateway</html>', 502).message, /HTTP 502: <html>Bad Gateway<\/html>/);
  assert.equal(e.fromQueryResponse({ tables: [], error: { code: 'PartialError' } }, 200), null, 'a partial result is a result');
  assert.equal(e.fromQueryResponse({ tables: [{ name: 'PrimaryResult', columns: [], rows: [] }] }, 200), null);
  assert.equal(e.fromQueryResponse([{ a: 1 }]), null);
});

test('the incremental mode uses the same short, parseJson and permanent (one definition: an Elasticsearch error already parsed keeps its reason)', () => {
  const inc = require('../../node-red/lib/incremental/errors');
  for (const name of ['short', 'parseJson', 'permanent']) assert.equal(inc[name], e[name], `${name} is azure-errors' own`);
  const err = inc.elasticError(403, { error: { type: 'security_exception', reason: 'action [indices:data/write/bulk] is unauthorized' } }, 'logs-azure_api');
  assert.match(err.message, /HTTP 403 security_exception\): action \[indices:data\/write\/bulk\] is unauthorized/);
  assert.equal(err.permanent, true);
});
