'use strict';
// Entra ID and Log Analytics errors, produced by the sandbox with the real services' bodies, reach
// a Catch node in a real Node-RED (the packed tarball) with a message that names the fix. Each chain
// is the drop-in flow (assertion -> token request -> http request -> query -> http request -> rows)
// with one thing wrong in its settings or its app registration.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { deploy, inject } = require('../../scripts/lib/nodered');
const { reportTo } = require('../../scripts/lib/flow');
const { DEFAULT_RESOURCES } = require('../sandbox/entra');
const { startStack } = require('./lib/stack');
const { nodeRed4 } = require('./lib/runtimes');

const KEYS = path.join(__dirname, '..', 'fixtures', 'keys');
const OTHER_KEY = fs.readFileSync(path.join(KEYS, 'key.pem'), 'utf8');
const OTHER_CERT = fs.readFileSync(path.join(KEYS, 'cert.pem'), 'utf8');
const MANAGEMENT = 'https://management.azure.com';
const guid = () => crypto.randomUUID();

describe('errors that name the fix reach a Catch node (Node-RED 4.1, sandbox)', { timeout: 150000 }, () => {
  let stack;
  let t;
  const ids = { noRole: guid(), secretApp: guid() };
  const chains = [];

  /** One drop-in chain on the tab, using its own tenant config node built from `tenant` overrides. */
  function chain(name, tenant, { queryUrl = '', beforeHttp = null, fused = false } = {}) {
    const p = `c${chains.length}`;
    const y = 60 + chains.length * 60;
    const base = {
      id: `${p}-tenant`, type: 'sentinel-tenant', name, tenantName: t.tenantName, clientId: t.clientId, tenantId: t.tenantId,
      workspaceId: t.workspaceId, scope: t.scope, authorityHost: stack.sandbox.entra.origin, queryHost: stack.sandbox.query.origin,
      credentials: { privateKeyPem: t.privateKeyPem, certificatePem: t.certificatePem, kid: '' },
    };
    const config = { ...base, ...tenant, credentials: { ...base.credentials, ...(tenant.credentials || {}) } };
    const http = (id, x, wires, url = '') => ({ id, type: 'http request', z: 'tab', name: '', method: url ? 'POST' : 'use', ret: 'obj', paytoqs: 'ignore', url, tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x, y, wires });
    const nodes = [
      config,
      { id: `${p}-inject`, type: 'inject', z: 'tab', name, props: [{ p: 'retention', v: '12h', vt: 'str' }], repeat: '', once: false, topic: '', x: 100, y, wires: [[`${p}-assertion`]] },
      { id: `${p}-assertion`, type: 'sentinel-assertion', z: 'tab', tenant: config.id, algorithm: 'RS256', lifetime: 600, x: 250, y, wires: [[`${p}-token-request`]] },
      { id: `${p}-token-request`, type: 'sentinel-token-request', z: 'tab', tenant: config.id, x: 400, y, wires: [[beforeHttp ? `${p}-fn` : `${p}-token-http`]] },
      http(`${p}-token-http`, 550, [[`${p}-query`]]),
      { id: `${p}-query`, type: 'sentinel-query', z: 'tab', tenant: config.id, table: 'SecurityAlert', lookback: '', limit: 1000, x: 700, y, wires: [[`${p}-query-http`]] },
      http(`${p}-query-http`, 850, [[fused ? `${p}-bulk` : `${p}-rows`]], queryUrl),
      { id: `${p}-rows`, type: 'sentinel-rows', z: 'tab', x: 1000, y, wires: [[`${p}-out`]] },
      { id: `${p}-out`, type: 'debug', z: 'tab', active: true, tosidebar: false, console: false, complete: 'payload', x: 1150, y, wires: [] },
    ];
    if (fused) nodes.push({ id: `${p}-bulk`, type: 'sentinel-bulk', z: 'tab', x: 1000, y: y + 30, wires: [[`${p}-out`]] });
    if (beforeHttp) nodes.push({ id: `${p}-fn`, type: 'function', z: 'tab', name: 'older flow', func: beforeHttp, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 480, y: y + 30, wires: [[`${p}-token-http`]] });
    chains.push({ name, inject: `${p}-inject`, nodes });
  }

  before(async () => {
    stack = await startStack(nodeRed4(), { sandboxOptions: { resources: [...DEFAULT_RESOURCES, MANAGEMENT] } });
    const { sandbox } = stack;
    t = sandbox.tenants[0];
    // An app with the right certificate but no role on the workspace, and one that only knows an expired secret.
    sandbox.registry.addApp({ tenantId: t.tenantId, clientId: ids.noRole, certificatePem: t.certificatePem, workspaces: [] });
    sandbox.registry.addApp({ tenantId: t.tenantId, clientId: ids.secretApp, secrets: [{ value: 'old-secret', expires: Date.now() - 86400e3 }], workspaces: [t.workspaceId] });
    const secretFn = (secret) => `msg.payload = msg.payload.replace(/client_assertion_type=[^&]*&client_assertion=[^&]*/, 'client_secret=${secret}'); return msg;`;

    chain('AADSTS700027', { credentials: { privateKeyPem: OTHER_KEY, certificatePem: OTHER_CERT } });
    chain('AADSTS700016', { clientId: guid() });
    chain('AADSTS90002', { tenantId: guid() });
    chain('AADSTS7000215', {}, { beforeHttp: secretFn('not-the-secret') });
    chain('AADSTS7000222', { clientId: ids.secretApp }, { beforeHttp: secretFn('old-secret') });
    chain('InsufficientAccessError', { clientId: ids.noRole });
    chain('InvalidAuthenticationTokenAudience', { scope: `${MANAGEMENT}/.default` });
    chain('WorkspaceNotFoundError', { workspaceId: guid() });
    chain('PathNotFoundError', {}, { queryUrl: `${sandbox.query.origin}/v1/workspaces/sentinel-workspace/query` });
    chain('ThrottledError', {});
    chain('InsufficientAccessError (fused)', { clientId: ids.noRole }, { fused: true });
    chain('AADSTS700024', {});

    const flow = [{ id: 'tab', type: 'tab', label: 'errors' }, ...chains.flatMap((c) => c.nodes),
      { id: 'catch', type: 'catch', z: 'tab', name: '', scope: null, uncaught: false, x: 100, y: 20, wires: [['caught']] },
      { id: 'caught', type: 'debug', z: 'tab', active: true, tosidebar: false, console: false, complete: 'error', x: 250, y: 20, wires: [] }];
    await deploy(stack.red.url, reportTo(flow, stack.receiver.url));
  });

  after(async () => { if (stack) await stack.stop(); });

  /** Fires a chain's inject node and waits for the error report of its poll. */
  async function caught(name) {
    const c = chains.find((x) => x.name === name);
    const events = stack.receiver.events;
    const report = new Promise((resolve, reject) => {
      const timer = setTimeout(() => { events.off('report', on); reject(new Error(`${name}: no report within 20 s`)); }, 20000);
      const on = (r) => { clearTimeout(timer); events.off('report', on); resolve(r); };
      events.on('report', on);
    });
    await inject(stack.red.url, c.inject);
    const r = await report;
    assert.equal(r.kind, 'error', `${name}: a Catch node saw an error (got ${JSON.stringify(r).slice(0, 300)})`);
    assert.doesNotMatch(r.message, /PRIVATE KEY|eyJ[A-Za-z0-9_-]{20,}|old-secret|not-the-secret/, 'no key, token or secret in the message');
    return r;
  }

  const cases = [
    ['AADSTS700027', 'sentinel-query', /AADSTS700027.*Fix: .*upload the certificate that matches the private key.*"Certificates & secrets"/],
    ['AADSTS700016', 'sentinel-query', /AADSTS700016.*Fix: .*"Application \(client\) ID"/],
    ['AADSTS90002', 'sentinel-query', /AADSTS90002.*Fix: .*"Directory \(tenant\) ID"/],
    ['AADSTS7000215', 'sentinel-query', /AADSTS7000215.*Fix: .*upload the certificate.*no client_secret/],
    ['AADSTS7000222', 'sentinel-query', /AADSTS7000222.*expired.*Fix: .*upload the certificate/],
    ['InsufficientAccessError', 'sentinel-rows', /HTTP 403 InsufficientAccessError.*Fix: grant the app registration the "Log Analytics Reader" role .*on the workspace.*Data\.Read/],
    ['InvalidAuthenticationTokenAudience', 'sentinel-rows', /InvalidAuthenticationTokenAudience.*Fix: .*scope to https:\/\/api\.loganalytics\.io\/\.default/],
    ['WorkspaceNotFoundError', 'sentinel-rows', /HTTP 404 WorkspaceNotFoundError.*Fix: copy the "Workspace ID"/],
    ['InsufficientAccessError (fused)', 'sentinel-bulk', /InsufficientAccessError.*Fix: grant the app registration the "Log Analytics Reader" role/],
    ['PathNotFoundError', 'sentinel-rows', /HTTP 404 PathNotFoundError.*Fix: .*query API host.*\/v1\/workspaces\/<workspace id>\/query/],
  ];
  for (const [name, source, fix] of cases) {
    test(`${name} reaches the Catch node from ${source}, with its fix`, async () => {
      const r = await caught(name);
      assert.equal(r.source && r.source.type, source);
      assert.match(r.message, fix);
    });
  }

  test('a throttled query (429 ThrottledError, Retry-After) reaches the Catch node saying to poll less often', async () => {
    stack.sandbox.query.failNext(1, { status: 429, retryAfter: 30 });
    const r = await caught('ThrottledError');
    assert.equal(r.source.type, 'sentinel-rows');
    assert.match(r.message, /HTTP 429 ThrottledError.*Fix: .*poll less often.*\(the service asked to wait 30 s\)/);
  });

  test('AADSTS700024 (this server\'s clock an hour behind Entra ID\'s) reaches the Catch node saying to set the clock', async () => {
    stack.sandbox.clock.advance(3600e3);
    const r = await caught('AADSTS700024');
    assert.equal(r.source.type, 'sentinel-query');
    assert.match(r.message, /AADSTS700024.*Fix: .*clock right \(NTP\)/);
  });
});
