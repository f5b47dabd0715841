'use strict';
// Prepares a copy of an example flow for a local run: points its configuration nodes at the
// sandbox (through their host settings, as a user would for a sovereign cloud) and lets the
// flow tell the calling script what it shows in the debug sidebar.

const fs = require('node:fs');
const path = require('node:path');

const clone = (v) => JSON.parse(JSON.stringify(v));

function readFlow(file) {
  const flow = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(flow)) throw new Error(`${file}: a flow file holds an array of nodes`);
  return flow;
}

/**
 * A copy of `flow` whose sentinel-tenant and sentinel-elastic nodes use the sandbox: ids, hosts,
 * and credentials (posted inline with the deploy; Node-RED stores them encrypted).
 */
function pointAtSandbox(flow, sandbox, tenantIndex = 0) {
  const t = sandbox.tenants[tenantIndex];
  const out = clone(flow).map((n) => {
    if (n.type === 'sentinel-tenant') {
      return {
        ...n,
        tenantName: t.tenantName,
        clientId: t.clientId,
        tenantId: t.tenantId,
        workspaceId: t.workspaceId,
        scope: t.scope,
        authorityHost: sandbox.entra.origin,
        queryHost: sandbox.query.origin,
        ...(sandbox.arm ? { subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspaceName: t.workspaceName, managementHost: sandbox.arm.origin } : {}),
        credentials: { privateKeyPem: t.privateKeyPem, certificatePem: t.certificatePem, kid: '' },
      };
    }
    if (n.type === 'sentinel-elastic') {
      return { ...n, host: sandbox.elastic.origin, credentials: { apiKey: sandbox.apiKey } };
    }
    return n;
  });
  const config = out.filter((n) => n.type === 'sentinel-tenant' || n.type === 'sentinel-elastic');
  if (config.length === 0) throw new Error('the flow has no sentinel-tenant or sentinel-elastic node to point at the sandbox');
  const left = JSON.stringify(config).match(/__[A-Z_]+__/);
  if (left) throw new Error(`the flow still holds the placeholder ${left[0]} after pointing it at the sandbox`);
  return out;
}

// Runs inside Node-RED: turns what reached a debug node into a small report for the script.
const REPORT_FUNCTION = `
const report = { kind: 'other', at: Date.now() };
if (msg.bulkSummary) {
    report.kind = 'summary';
    report.summary = msg.bulkSummary;
    report.items = msg.payload && Array.isArray(msg.payload.items) ? msg.payload.items.length : null;
    report.errors = msg.payload ? msg.payload.errors : null;
    report.conflicts = Array.isArray(msg.conflicts) ? msg.conflicts.length : null;
    report.conflictIds = Array.isArray(msg.conflicts) ? msg.conflicts.map((c) => { const a = c && (c.create || c.index || c); return a ? String(a._id) : ''; }) : [];
} else if (msg.error) {
    report.kind = 'error';
    report.message = String(msg.error.message);
    report.source = msg.error.source ? { id: msg.error.source.id, type: msg.error.source.type } : null;
} else {
    report.statusCode = msg.statusCode;
    report.payload = typeof msg.payload === 'string' ? msg.payload.slice(0, 500) : msg.payload;
}
return { payload: report };
`.trim();

/**
 * A copy of `flow` in which every node wired to a debug node is also wired to a function node
 * that POSTs a report ({kind: 'summary'|'error'|'other', ...}) to `reportUrl`. The debug sidebar
 * keeps working; the script learns the bulk summaries, caught errors and failed token requests.
 */
function reportTo(flow, reportUrl) {
  const out = clone(flow);
  const debugIds = new Set(out.filter((n) => n.type === 'debug').map((n) => n.id));
  const tab = (out.find((n) => n.type === 'tab') || {}).id;
  const fnId = 'local-report-fn';
  const httpId = 'local-report-http';
  let wired = 0;
  for (const n of out) {
    if (!Array.isArray(n.wires)) continue;
    n.wires = n.wires.map((port) => {
      if (port.some((id) => debugIds.has(id))) {
        wired += 1;
        return [...port, fnId];
      }
      return port;
    });
  }
  if (wired === 0) throw new Error('the flow has no node wired to a debug node: nothing to report');
  out.push({
    id: fnId, type: 'function', z: tab, name: 'report to the local script', func: REPORT_FUNCTION,
    outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 1320, y: 420, wires: [[httpId]],
  });
  out.push({
    id: httpId, type: 'http request', z: tab, name: 'POST report', method: 'POST', ret: 'txt', paytoqs: 'ignore',
    url: reportUrl, tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false,
    headers: [], x: 1500, y: 420, wires: [[]],
  });
  return out;
}

/** The inject nodes that start a poll (those wired to a sentinel-assertion node). */
function pollInjects(flow) {
  const assertions = new Set(flow.filter((n) => n.type === 'sentinel-assertion').map((n) => n.id));
  return flow.filter((n) => n.type === 'inject' && (n.wires || []).some((p) => p.some((id) => assertions.has(id))));
}

/** A copy of `flow` whose poll inject fires `delay` s after deploy and then every `seconds` s. */
function pollEvery(flow, seconds, delay = 0.5) {
  const ids = new Set(pollInjects(flow).map((n) => n.id));
  if (ids.size === 0) throw new Error('the flow has no inject node wired to sentinel-assertion');
  return clone(flow).map((n) => (ids.has(n.id) ? { ...n, repeat: String(seconds), once: true, onceDelay: delay } : n));
}

module.exports = { readFlow, pointAtSandbox, reportTo, pollInjects, pollEvery, EXAMPLES: path.join(__dirname, '..', '..', 'examples') };
