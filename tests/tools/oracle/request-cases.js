'use strict';
// Cases for "create token request" (core.tokenRequest), "get Sentinel alerts/incidents"
// (core.queryRequest) and, for shape only, "create a JWT token" (core.createAssertion).
const NOW = '2025-11-19T12:00:00.000Z';
const MISSING = "SPEC 'Errors and bad input': a missing client id, tenant id, scope or client assertion is reported (clear error) instead of sending the text 'undefined' to Entra ID";
const VALIDATED = "SPEC 'Deliberate improvements': msg.retention and the workspace id are validated before they reach a KQL query or a URL (a missing workspace id included); the original pastes them in as they are";
const ASSERTION = 'x'.repeat(20) + '.eyJpc3MiOiJjIn0.c2ln-_';

function tokenCases(r) {
  const c = [];
  const add = (name, oauth, assertion = ASSERTION, extra = {}) => c.push({ name, now: NOW, input: { payload: 'prev', oauth, client_assertion: assertion === null ? undefined : assertion, certs: { kid: 'k' } }, ...extra });
  const o = (over = {}) => ({ clientId: '11111111-2222-4333-8444-555555555555', tenantId: '66666666-7777-4888-9999-000000000000', scope: 'https://api.loganalytics.io/.default', workspaceId: 'w', tenantName: 'contoso', ...over });
  add('typical', o());
  add('tenant as a domain', o({ tenantId: 'contoso.onmicrosoft.com' }));
  add('scope with spaces and reserved characters', o({ scope: "https://api.loganalytics.io/.default offline_access !'()*~-_.&=+?#%" }));
  add('client id with unicode and emoji', o({ clientId: 'cli\u00e9nt \ud83d\ude00/&=' }));
  add('clientSecret present and ignored', o({ clientSecret: 's3cr3t' }));
  add('empty scope string', o({ scope: '' }), ASSERTION, { deliberate: MISSING, expected: { throws: true } });
  add('assertion with characters that are not encoded', o(), 'a+b/c=d&e', { deliberate: "SPEC 'Errors and bad input': msg.client_assertion must be a compact JWS (three base64url parts), since it is pasted into the form body unencoded as the original did; anything else is reported instead of sent", expected: { throws: true } });
  add('missing client id', o({ clientId: undefined }), ASSERTION, { deliberate: MISSING, expected: { throws: true } });
  add('missing tenant id', o({ tenantId: undefined }), ASSERTION, { deliberate: MISSING, expected: { throws: true } });
  add('missing scope', o({ scope: undefined }), ASSERTION, { deliberate: MISSING, expected: { throws: true } });
  add('missing client assertion', o(), null, { deliberate: MISSING, expected: { throws: true } });
  add('no oauth', undefined);
  add('lone surrogate in scope (encodeURIComponent throws)', o({ scope: 'a\ud800' }));
  for (let i = 0; i < 25; i++) {
    add(`generated ${i}`, o({ clientId: r.guid(), tenantId: r.chance(0.8) ? r.guid() : `t${r.int(0, 99)}.onmicrosoft.com`, scope: r.pick(['https://api.loganalytics.io/.default', 'https://management.azure.com/.default', 'api://x y/.default']) }), `${r.hex(30)}.${r.hex(60)}.${r.hex(40)}`);
  }
  return c;
}

function queryCases(r) {
  const c = [];
  const add = (name, msg, extra = {}) => c.push({ name, now: NOW, input: { payload: { token_type: 'Bearer', expires_in: 3599, access_token: 'eyJ0eXAiOiJKV1Qi.eyJhdWQi.c2ln' }, oauth: { workspaceId: 'a1b2c3d4-0000-4000-8000-00000000abcd', tenantName: 'contoso' }, ...msg }, ...extra });
  add('default retention', {});
  for (const ret of ['12h', '24h', '1d', '7d', '30m', '90s', '1h']) add(`retention ${ret}`, { retention: ret });
  add('retention empty string (default)', { retention: '' });
  add('retention 0 (default)', { retention: 0 });
  add('retention null (default)', { retention: null });
  add('no access token', { payload: { error: 'invalid_client' } });
  add('empty access token', { payload: { access_token: '' } });
  add('payload null', { payload: null });
  add('token with odd characters', { payload: { access_token: 'a b"c\u00e9' } });
  add('retention with a KQL injection', { retention: '1h) | take 1 //' }, { deliberate: VALIDATED, expected: { throws: true } });
  add('retention not a timespan', { retention: 'yesterday' }, { deliberate: VALIDATED, expected: { throws: true } });
  add('retention with a pipe', { retention: '12h | union *' }, { deliberate: VALIDATED, expected: { throws: true } });
  add('workspace id missing', { oauth: { tenantName: 'x' } }, { deliberate: VALIDATED, expected: { throws: true } });
  add('no oauth', { oauth: undefined }, { deliberate: VALIDATED, expected: { throws: true } });
  add('workspace id with a path', { oauth: { workspaceId: '../../other' } }, { deliberate: VALIDATED, expected: { throws: true } });
  add('workspace id with a query string', { oauth: { workspaceId: 'abc?x=1' } }, { deliberate: VALIDATED, expected: { throws: true } });
  for (let i = 0; i < 20; i++) add(`generated ${i}`, { payload: { access_token: `${r.hex(40)}.${r.hex(80)}.${r.hex(40)}` }, oauth: { workspaceId: r.guid() }, retention: r.pick([undefined, '12h', '2d', '45m', '6h']) });
  return c;
}

function jwtCases() {
  const o = { clientId: '11111111-2222-4333-8444-555555555555', tenantId: '66666666-7777-4888-9999-000000000000' };
  return [
    { name: 'claims at a fixed time', now: NOW, seed: 7, input: { oauth: o } },
    { name: 'claims at another time', now: '2030-06-01T00:00:00.999Z', seed: 42, input: { oauth: { ...o, tenantId: 'contoso.onmicrosoft.com' } } },
    { name: 'claims with unicode client id', now: NOW, seed: 1, input: { oauth: { ...o, clientId: 'cli\u00e9nt' } }, deliberate: "SPEC 'Errors and bad input': a client id is an application id (a GUID); one with spaces, control or non-ASCII characters is reported instead of signed into an assertion Entra ID rejects", expected: { throws: true } },
    { name: 'missing tenant id', now: NOW, seed: 1, input: { oauth: { clientId: 'c' } } },
  ];
}

module.exports = { tokenCases, queryCases, jwtCases };
