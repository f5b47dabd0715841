'use strict';
// The local sandbox: Entra ID token endpoint, Log Analytics query API, the Sentinel REST API on
// Azure Resource Manager and Elasticsearch _bulk, each on its own ephemeral port on 127.0.0.1,
// sharing one clock and one directory of tenants.
//
//   const sandbox = await require('./tests/sandbox').start();
//   sandbox.entra.origin, sandbox.query.origin, sandbox.arm.origin, sandbox.elastic.origin, sandbox.apiKey
//   sandbox.tenants[0] -> {tenantId, clientId, workspaceId, tenantName, scope, certificatePem, privateKeyPem, x5t, x5tS256, ...}
//   await sandbox.stop();
//
// For incremental readers (SPEC.md "Incremental mode"):
//   sandbox.workspace(0): rows with hidden ingestion times and a visibility delay; addAlerts, addLateAlerts,
//     updateIncidents, updateAlerts (revisions, optionally out of order); allRows / latestRows (ground truth)
//   sandbox.query: the KQL subset (kql.js), limits (maxRows, maxBytes -> PartialError), failNext, partialNext, stats
//   sandbox.arm: the incidents of each workspace under its ARM name (tenant.subscriptionId, resourceGroup,
//     workspaceName), paging with an unescaped nextLink, failNext (429 + Retry-After), deny (AuthorizationFailed),
//     currentRevisions (ground truth), served, stats
//   sandbox.entra: tokenRequests, tokenRequestsFor(tenantId[, clientId])
//   sandbox.elastic: external versions, maxBodyBytes, failNext, failItems, stallNext, down/up/downFor, bulkRequests
//   sandbox.clock: advance() moves ago()/now(), token expiry and row visibility together
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { createClock } = require('./clock');
const { createRegistry, thumbprints } = require('./registry');
const { createWorkspace } = require('./workspace');
const { createEntra, DEFAULT_RESOURCES } = require('./entra');
const { createLogAnalytics } = require('./loganalytics');
const { createElastic } = require('./elastic');
const { createArm } = require('./arm');

const FIXTURES = path.join(__dirname, 'fixtures');
const WORKSPACE_OPTIONS = ['latencyMs', 'visibilityDelayMs', 'outOfOrder', 'outOfOrderDelayMs'];
const fixture = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** The default tenant: fixed ids, the committed throwaway certificate (fixtures/tenant.*.pem). */
const DEFAULT_TENANT = Object.freeze({
  tenantId: '6d2b7c9e-3f4a-4b8c-9d1e-2f3a4b5c6d7e',
  clientId: '0f1e2d3c-4b5a-4697-8877-665544332211',
  workspaceId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  tenantName: 'contoso',
});

/**
 * Starts the three services. options:
 *   tenants: [{tenantId, clientId, workspaceId, tenantName, certificatePem, privateKeyPem, alerts, incidents, spanHours, seed}]
 *            (default: one tenant, DEFAULT_TENANT with fixtures/tenant.cert.pem / tenant.key.pem)
 *   now: fixed start time for the shared clock (default: real time; clock.advance() works either way)
 *   seed: base seed of the generated rows (default 1); alerts (200), incidents (40), spanHours (48) per workspace
 *   tokenLifetime (3599 s), skewSeconds (300), resources (Log Analytics app ID URIs), extraAudiences ([])
 *   apiKey (Elasticsearch encoded API key; generated), dataStreams, pipelines (see elastic.js)
 *   gzip (true): query API compresses when asked; ports: {entra, query, arm, elastic} (default 0 = ephemeral)
 *   ingestion (per workspace, also per tenant spec; see workspace.js): latencyMs (1000), visibilityDelayMs (0),
 *            outOfOrder (0), outOfOrderDelayMs (120000)
 *   Sentinel REST API: armPageSize (items per page at most, 50), rawNextLink (true: nextLink unescaped, as the service sends it),
 *   armPaging ('keyset', or 'offset': the skip token a position in the list as it is at the next request);
 *            tenant specs may set subscriptionId, resourceGroup ('rg-sentinel'), workspaceName ('law-<tenantName>')
 *   query API limits: maxRows (500000), maxBytes (64 MB) before a result is truncated with a PartialError
 *   Elasticsearch: maxBodyBytes (100 MB, http.max_content_length), retryAfter (Retry-After on 429s; see elastic.js)
 */
async function start(options = {}) {
  const clock = createClock({ now: options.now });
  const registry = createRegistry({ clock });
  const workspaces = new Map();
  const specs = options.tenants && options.tenants.length ? options.tenants : [{}];
  const tenants = specs.map((spec, i) => {
    const base = i === 0 ? DEFAULT_TENANT : {};
    const t = { ...base, ...spec };
    if (!t.tenantId || !t.clientId || !t.workspaceId) throw new TypeError(`sandbox.start: tenant ${i} needs tenantId, clientId and workspaceId`);
    const certificatePem = t.certificatePem || (spec.certificatePem === undefined ? fixture('tenant.cert.pem') : null);
    const privateKeyPem = t.privateKeyPem || (spec.certificatePem === undefined ? fixture('tenant.key.pem') : null);
    registry.addTenant({ tenantId: t.tenantId, tenantName: t.tenantName || `tenant${i + 1}` });
    registry.addApp({ tenantId: t.tenantId, clientId: t.clientId, certificatePem, workspaces: [t.workspaceId] });
    const ws = createWorkspace({
      clock, seed: `${options.seed === undefined ? 1 : options.seed}/${t.seed === undefined ? i : t.seed}`,
      tenantId: t.tenantId, workspaceId: t.workspaceId, domain: `${t.tenantName || 'contoso'}.com`,
      alerts: t.alerts ?? options.alerts ?? 200, incidents: t.incidents ?? options.incidents ?? 40, spanHours: t.spanHours ?? options.spanHours ?? 48,
      ...Object.fromEntries(WORKSPACE_OPTIONS.map((k) => [k, t[k] ?? options[k]]).filter(([, v]) => v !== undefined)),
    });
    workspaces.set(t.workspaceId.toLowerCase(), ws);
    const tp = thumbprints(certificatePem);
    const hex = crypto.createHash('sha256').update(t.workspaceId.toLowerCase()).digest('hex');
    const arm = {
      subscriptionId: t.subscriptionId || `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
      resourceGroup: t.resourceGroup || 'rg-sentinel',
      workspaceName: t.workspaceName || `law-${(t.tenantName || `tenant${i + 1}`).toLowerCase()}`,
    };
    return {
      tenantId: t.tenantId, clientId: t.clientId, workspaceId: t.workspaceId, tenantName: t.tenantName || `tenant${i + 1}`,
      ...arm,
      scope: 'https://api.loganalytics.io/.default',
      certificatePem, privateKeyPem, x5t: tp.x5t, x5tS256: tp.x5tS256, thumbprintHex: tp.hex,
      workspace: ws,
    };
  });

  const ports = options.ports || {};
  const entra = createEntra({ registry, clock, tokenLifetime: options.tokenLifetime, skewSeconds: options.skewSeconds, resources: options.resources || DEFAULT_RESOURCES, extraAudiences: options.extraAudiences });
  const query = createLogAnalytics({ registry, clock, workspaces, gzip: options.gzip !== false, maxRows: options.maxRows, maxBytes: options.maxBytes });
  const elastic = createElastic({
    clock, apiKey: options.apiKey, dataStreams: options.dataStreams, pipelines: options.pipelines === undefined ? undefined : options.pipelines,
    maxBodyBytes: options.maxBodyBytes, retryAfter: options.retryAfter,
  });
  const arm = createArm({ registry, clock, maxPageSize: options.armPageSize, rawNextLink: options.rawNextLink, paging: options.armPaging });
  for (const t of tenants) arm.addWorkspace({ subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspaceName: t.workspaceName, workspace: t.workspace });
  const started = [];
  try {
    for (const [svc, port] of [[entra, ports.entra], [query, ports.query], [arm, ports.arm], [elastic, ports.elastic]]) {
      await svc.listen(port || 0);
      started.push(svc);
    }
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
  entra.addResource(arm.audience);
  for (const t of tenants) {
    t.tokenUrl = entra.tokenUrl(t.tenantId);
    t.queryUrl = query.queryUrl(t.workspaceId);
    t.audience = t.tokenUrl;
  }

  /** Runs fn(workspace) in every workspace, or in the one of opts.tenant (index or tenant id); results flattened. */
  const inEach = (opts, fn) => tenants.filter((t, i) => opts.tenant === undefined || opts.tenant === i || opts.tenant === t.tenantId).flatMap((t) => fn(t.workspace));
  let stopped = false;
  return {
    clock,
    registry,
    tenants,
    workspaces,
    entra,
    query,
    arm,
    elastic,
    apiKey: elastic.apiKey,
    /** Workspace (rows store) of a tenant index or workspace id. */
    workspace: (which = 0) => (typeof which === 'number' ? tenants[which].workspace : workspaces.get(String(which).toLowerCase())),
    /** New alerts in every workspace (or one): see workspace.addAlerts. */
    addAlerts: (n, opts = {}) => inEach(opts, (ws) => ws.addAlerts(n, opts)),
    tick: () => tenants.map((t) => t.workspace.tick()),
    /** Revisions in every workspace (or one, opts.tenant): see workspace.updateIncidents / updateAlerts / addLateAlerts. */
    updateIncidents: (n, opts = {}) => inEach(opts, (ws) => ws.updateIncidents(n, opts)),
    updateAlerts: (n, opts = {}) => inEach(opts, (ws) => ws.updateAlerts(n, opts)),
    addLateAlerts: (n, opts = {}) => inEach(opts, (ws) => ws.addLateAlerts(n, opts)),
    /** Plain description (JSON-safe; no private keys) of where everything listens. */
    describe() {
      return {
        entra: { origin: entra.origin }, query: { origin: query.origin }, arm: { origin: arm.origin }, elastic: { origin: elastic.origin }, apiKey: elastic.apiKey,
        tenants: tenants.map((t) => ({ tenantId: t.tenantId, clientId: t.clientId, workspaceId: t.workspaceId, subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspaceName: t.workspaceName, tenantName: t.tenantName, scope: t.scope, tokenUrl: t.tokenUrl, queryUrl: t.queryUrl, x5t: t.x5t, x5tS256: t.x5tS256 })),
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([entra.close(), query.close(), arm.close(), elastic.close()]);
    },
  };
}

module.exports = { start, DEFAULT_TENANT, FIXTURES };
