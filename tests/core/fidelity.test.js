'use strict';
// Fidelity: for every recorded input message in tests/fixtures/oracle/<step>.json, our core
// (node-red/lib/core.js) produces what the original flow's function node produced: the same
// properties, values and key order, byte-identical NDJSON, the same convert warnings. Cases
// marked `deliberate` differ on purpose (the reason cites SPEC.md) and are checked against their
// `expected` outcome instead. Regenerate the corpus with `node tests/tools/make-fixtures.js`.
const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { encode, decode, keyOrderDiff } = require('../tools/oracle/codec');
const { outcomeOf, warningProblems } = require('../tools/oracle/parts');

const repo = path.resolve(__dirname, '..', '..');
const corePath = path.join(repo, 'node-red', 'lib', 'core.js');
let core = null;
let coreError = null;
try {
  core = require(corePath);
} catch (e) {
  coreError = e;
}
function needCore() {
  if (!core) throw new Error(`cannot load ${path.relative(repo, corePath)} (${coreError && coreError.message}); build pkg/ and write the facade first`);
}

function load(step) {
  return JSON.parse(fs.readFileSync(path.join(repo, 'tests', 'fixtures', 'oracle', `${step}.json`), 'utf8'));
}

// Our outcome for one case, in the shape outcomeOf gives the original's.
function ours(step, input, now) {
  const msg = decode(JSON.stringify(input));
  try {
    switch (step) {
      case 'convert': {
        const res = core.rows(msg.payload);
        return res.rows === null ? { none: true, warnings: res.warnings } : { parts: { payload: res.rows }, warnings: res.warnings };
      }
      case 'prepare-bulk': {
        const res = core.bulk(msg.payload, {
          tenantName: msg.oauth && msg.oauth.tenantName,
          host: msg.elastic && msg.elastic.host,
          apiKey: msg.elastic && msg.elastic.apiKey,
          now: Date.parse(now),
        });
        if (res.request === null) return { none: true, warnings: res.warnings };
        const { payload, headers, method, url } = res.request;
        return { parts: { payload, headers, method, url }, warnings: res.warnings };
      }
      case 'filter-409': {
        const res = core.bulkResult(msg.payload);
        const { payload, bulkSummary, conflicts, failures } = res;
        return { parts: { payload, bulkSummary, conflicts, failures }, warnings: res.warnings || [] };
      }
      case 'token-request': {
        const o = msg.oauth || {};
        const res = core.tokenRequest({ clientId: o.clientId, tenantId: o.tenantId, scope: o.scope, clientAssertion: msg.client_assertion });
        return { parts: res, warnings: [] };
      }
      case 'query-alerts':
      case 'query-incidents': {
        const res = core.queryRequest({
          accessToken: msg.payload && msg.payload.access_token,
          workspaceId: msg.oauth && msg.oauth.workspaceId,
          table: step === 'query-alerts' ? 'SecurityAlert' : 'SecurityIncident',
          retention: msg.retention || undefined, // the node falls back like `msg.retention || "12h"`
        });
        return { parts: res, warnings: [] };
      }
      default: throw new Error(`no core call for ${step}`);
    }
  } catch (err) {
    return { thrown: err };
  }
}

const short = (s, n = 200) => (s.length > n ? s.slice(0, n) + `... (${s.length} chars)` : s);
function firstDiff(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at char ${i}: expected ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 60))}, got ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 60))}`;
}
const secretsOf = (input) => [input.elastic && input.elastic.apiKey, input.payload && input.payload.access_token, input.client_assertion]
  .filter((s) => typeof s === 'string' && s.length >= 8);

// Problems with our outcome against the expected one (empty when they match).
function check(step, kase, actual) {
  const expected = kase.deliberate ? kase.expected : outcomeOf(step, kase.output);
  const problems = [];
  if (expected.throws) {
    if (!actual.thrown) return ['expected an error, got ' + short(encode(actual.parts || actual))];
    if (!(actual.thrown instanceof Error) || !actual.thrown.message) problems.push('threw something that is not an Error with a message');
    for (const s of secretsOf(kase.input)) if (String(actual.thrown.message).includes(s)) problems.push('error message contains a secret');
    return problems;
  }
  if (actual.thrown) return [`threw ${actual.thrown && actual.thrown.message}`];
  if (expected.none) {
    if (!actual.none) problems.push('expected no output, got ' + short(encode(actual.parts)));
  } else if (actual.none) {
    problems.push('expected output, got none');
  } else {
    const got = Object.keys(actual.parts);
    for (const k of Object.keys(expected.parts)) {
      if (!got.includes(k)) { problems.push(`missing ${k}`); continue; }
      const want = JSON.stringify(expected.parts[k]);
      const have = encode(actual.parts[k]);
      if (typeof expected.parts[k] === 'string') {
        if (actual.parts[k] !== expected.parts[k]) problems.push(`${k} differs ${firstDiff(expected.parts[k], String(actual.parts[k]))}`);
      } else if (want !== have) {
        problems.push(`${k} differs ${firstDiff(want, have || 'undefined')}`);
      } else {
        const d = keyOrderDiff(decode(want), actual.parts[k], k);
        if (d) problems.push(`key order ${d}`);
      }
    }
  }
  const warnings = actual.warnings || [];
  problems.push(...warningProblems(kase, expected, warnings));
  for (const w of warnings) for (const s of secretsOf(kase.input)) if (String(w).includes(s)) problems.push('a warning contains a secret');
  return problems;
}

function runStep(step) {
  needCore();
  const cases = load(step);
  const failed = [];
  for (const kase of cases) {
    const problems = check(step, kase, ours(step, kase.input, kase.now));
    if (problems.length) failed.push(`  ${kase.deliberate ? '[deliberate] ' : ''}${kase.name}: ${problems.map((p) => short(p, 400)).join('; ')}`);
  }
  if (failed.length) assert.fail(`${step}: ${failed.length} of ${cases.length} cases differ\n${failed.join('\n')}`);
}

describe('fidelity with the original flow (tests/fixtures/oracle)', () => {
  it('has the recorded corpus', () => {
    for (const step of ['convert', 'prepare-bulk', 'filter-409']) {
      const cases = load(step);
      assert.ok(cases.length >= 200, `${step}: only ${cases.length} cases`);
      for (const c of cases) if (c.deliberate) assert.ok(c.expected, `${step} ${c.name}: deliberate without expected`);
    }
  });
  it('convert: core.rows matches "convert the payload to usable format"', () => runStep('convert'));
  it('prepare-bulk: core.bulk matches "prepare the payload for ingest in elastic" (NDJSON byte for byte)', () => runStep('prepare-bulk'));
  it('filter-409: core.bulkResult matches "remove 409 errors"', () => runStep('filter-409'));
  it('token-request: core.tokenRequest matches "create token request"', () => runStep('token-request'));
  it('query-alerts: core.queryRequest matches "get Sentinel alerts"', () => runStep('query-alerts'));
  it('query-incidents: core.queryRequest matches "get Sentinel incidents"', () => runStep('query-incidents'));
  it('create-jwt: core.createAssertion claims have the original shape, plus exp', () => {
    needCore();
    const key = core.parseKey(fs.readFileSync(path.join(repo, 'tests', 'fixtures', 'keys', 'key.pem'), 'utf8'));
    const failed = [];
    for (const kase of load('create-jwt')) {
      const { oauth } = kase.input;
      const now = Math.floor(Date.parse(kase.now) / 1000);
      let res;
      try {
        res = core.createAssertion(key, { clientId: oauth.clientId, tenantId: oauth.tenantId, now });
      } catch (err) {
        const expectedError = kase.deliberate ? kase.expected.throws : kase.output.msg === null;
        if (!expectedError) failed.push(`  ${kase.name}: threw ${err.message}`);
        continue;
      }
      if (kase.output.msg === null || (kase.deliberate && kase.expected.throws)) { failed.push(`  ${kase.name}: expected an error`); continue; }
      const original = kase.output.msg.payload;
      const problems = [];
      const keys = Object.keys(res.claims).join(',');
      if (keys !== [...Object.keys(original), 'exp'].join(',')) problems.push(`claim order ${keys}`);
      for (const k of ['iss', 'sub', 'aud', 'iat', 'nbf']) if (res.claims[k] !== original[k]) problems.push(`${k} ${JSON.stringify(res.claims[k])} instead of ${JSON.stringify(original[k])}`);
      if (res.claims.exp !== original.iat + 600) problems.push(`exp ${res.claims.exp} is not iat + 600`);
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      if (!uuid.test(res.claims.jti) || !uuid.test(original.jti)) problems.push(`jti ${res.claims.jti} is not a v4 UUID`);
      const parts = String(res.assertion).split('.');
      if (parts.length !== 3) problems.push('assertion is not a compact JWS');
      else if (Buffer.from(parts[1], 'base64url').toString('utf8') !== JSON.stringify(res.claims)) problems.push('JWS payload is not the claims, in order');
      if (problems.length) failed.push(`  ${kase.name}: ${problems.join('; ')}`);
    }
    if (failed.length) assert.fail(`create-jwt: ${failed.length} cases differ\n${failed.join('\n')}`);
  });
});
