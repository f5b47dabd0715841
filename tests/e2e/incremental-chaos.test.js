'use strict';
// The incremental mode through chaos, as a user runs it: the packed package in a real Node-RED
// (4.1 on this Node) with examples/sentinel-to-elastic-incremental.json pointed at the sandbox,
// two tenants plus one whose workspace does not exist, thousands of alerts over a dozen polls,
// late arrivals, alert and incident revisions (some out of order), every fault the services
// have (query 429/503/504, a partial result, per-item 429 and 400, whole-request 429 and 413,
// Elasticsearch refusing connections for 15 s, an expired token), a SIGKILL of Node-RED during a
// `_bulk` request and a restart. At the end every revision is in Elasticsearch, the latest view is
// right, and tokens were requested at most once per lifetime plus once per restart.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { packTarball, prepareUserDir, startNodeRed, deploy, inject } = require('../../scripts/lib/nodered');
const { readFlow, pointAtSandbox, reportTo, EXAMPLES } = require('../../scripts/lib/flow');
const { startReceiver } = require('../../scripts/lib/reports');
const sandboxApi = require('../sandbox');
const { FIXTURES } = require('../sandbox');
const { nodeRed4 } = require('./lib/runtimes');

const INDEX = 'logs-azure_api';
const LATEST = { SecurityAlert: 'sentinel-alerts-latest', SecurityIncident: 'sentinel-incidents-latest' };
const KEY = { SecurityAlert: ['SystemAlertId', 'TimeGenerated'], SecurityIncident: ['IncidentName', 'LastModifiedTime'] };
// Short token lifetimes and lag, so that time passes for real (Node-RED's clock and the services'
// agree, as NTP makes them in production); the services' clock is moved on only once, past a
// token's lifetime, to make a cached token expire under the node (well within Entra's 5 min skew).
const LIFETIME_S = 30;
const LAG_S = 3;
const SECOND = {
  tenantId: '3c1f6a2e-8b4d-4e7a-9c5b-1d2e3f4a5b6c', clientId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  workspaceId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', tenantName: 'fabrikam',
  certificatePem: fs.readFileSync(path.join(FIXTURES, 'other.cert.pem'), 'utf8'),
  privateKeyPem: fs.readFileSync(path.join(FIXTURES, 'other.key.pem'), 'utf8'),
  alerts: 400, incidents: 40,
};
const MISSING_WORKSPACE = 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f';

/** The example flow, pointed at the sandbox, triggered by the test, with a node per extra tenant. */
function chaosFlow(sandbox, receiverUrl) {
  const flow = pointAtSandbox(readFlow(path.join(EXAMPLES, 'sentinel-to-elastic-incremental.json')), sandbox, 0);
  const inject = flow.find((n) => n.type === 'inject');
  Object.assign(inject, { repeat: '', once: false });
  const node = flow.find((n) => n.type === 'sentinel-incremental');
  node.lag = `${LAG_S}s`;
  const tenant = flow.find((n) => n.type === 'sentinel-tenant');
  const t2 = sandbox.tenants[1];
  const extra = [
    { ...tenant, id: 'chaos-tenant-2', name: 'second tenant', tenantName: t2.tenantName, clientId: t2.clientId, tenantId: t2.tenantId, workspaceId: t2.workspaceId, credentials: { privateKeyPem: t2.privateKeyPem, certificatePem: t2.certificatePem, kid: '' } },
    { ...tenant, id: 'chaos-tenant-broken', name: 'no such workspace', workspaceId: MISSING_WORKSPACE },
    { ...node, id: 'chaos-node-2', tenant: 'chaos-tenant-2', y: node.y + 200 },
    { ...node, id: 'chaos-node-broken', tenant: 'chaos-tenant-broken', y: node.y + 260 },
  ];
  inject.wires = [[node.id, 'chaos-node-2', 'chaos-node-broken']];
  return { flow: reportTo([...flow, ...extra], receiverUrl), injectId: inject.id };
}

const revisionId = (table, row) => `${row[KEY[table][0]]}@${row[KEY[table][1]]}`;

describe('incremental mode: nothing lost through faults, a SIGKILL and a restart', { timeout: 600000 }, () => {
  const runtime = nodeRed4();
  const cleanups = [];
  let sandbox;
  let receiver;
  let red;
  let userDir;
  let injectId;
  const summaries = [];
  const errors = [];
  const deadLetters = [];
  const figures = { polls: 0, restarts: 0, started: Date.now() };

  async function startRed() {
    red = await startNodeRed({ node: runtime.node, redJs: runtime.redJs, userDir });
    cleanups.push(() => red.stop());
  }

  /** Triggers a poll and resolves the three nodes' summaries of it (one per workspace). */
  async function poll(what) {
    const since = new Date().toISOString();
    await inject(red.url, injectId);
    const deadline = Date.now() + 240000;
    const workspaces = [...sandbox.tenants.map((x) => x.workspaceId), MISSING_WORKSPACE];
    for (;;) {
      const got = workspaces.map((ws) => summaries.find((s) => s.workspaceId === ws && s.started >= since));
      if (got.every(Boolean)) {
        figures.polls += 1;
        return got;
      }
      if (Date.now() > deadline) throw new Error(`poll "${what}": ${got.filter(Boolean).length} of 3 summaries after 240 s\n${red.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Adds new rows to both workspaces, then waits past the lag. */
  async function timePasses({ alerts = 300, late = 0, incidents = 5, incidentUpdates = 10, alertUpdates = 20 } = {}) {
    sandbox.tenants.forEach((t, i) => {
      const ws = t.workspace;
      const scale = i === 0 ? 1 : 0.3;
      ws.addAlerts(Math.round(alerts * scale));
      if (late) ws.addLateAlerts(Math.round(late * scale), { ageMs: 2 * 86400e3 - 60e3, minAgeMs: 86400e3 });
      ws.addIncidents(Math.round(incidents * scale));
      ws.updateIncidents(Math.max(1, Math.round(incidentUpdates * scale)));
      ws.updateAlerts(Math.max(1, Math.round(alertUpdates * scale)));
    });
    await new Promise((r) => setTimeout(r, (LAG_S + 0.5) * 1000));
  }

  before(async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-chaos-'));
    cleanups.push(() => fs.rmSync(userDir, { recursive: true, force: true }));
    const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-chaos-pack-'));
    cleanups.push(() => fs.rmSync(packDir, { recursive: true, force: true }));
    prepareUserDir(userDir, packTarball(packDir));
    sandbox = await sandboxApi.start({ tenants: [{ alerts: 1200, incidents: 80 }, SECOND], spanHours: 20, tokenLifetime: LIFETIME_S, outOfOrder: 0.3, outOfOrderDelayMs: 2000, retryAfter: 1 });
    cleanups.push(() => sandbox.stop());
    receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.events.on('report', (r) => {
      if (r.kind === 'error') errors.push(r.message);
      else if (r.payload && r.payload.tables) summaries.push(r.payload);
      else if (r.payload && typeof r.payload === 'object') deadLetters.push(r.payload);
    });
    await startRed();
    const built = chaosFlow(sandbox, receiver.url);
    injectId = built.injectId;
    await deploy(red.url, built.flow);
  });

  after(async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try { await fn(); } catch { /* keep cleaning */ }
    }
  });

  test('polls through every fault, a SIGKILL during _bulk and a restart', async (t) => {
    const { query, elastic } = sandbox;
    // 1. The first run: the initial lookback, throttled once.
    figures.clockStart = sandbox.clock.now();
    query.failNext(1, { status: 429, retryAfter: 1 });
    let round = await poll('first run');
    const [first] = round;
    assert.ok(first.ok, JSON.stringify(first));
    assert.ok(first.tables.SecurityAlert.read > 1100 && first.tables.SecurityAlert.pages >= 2, JSON.stringify(first.tables.SecurityAlert));

    // 2. New alerts, late arrivals, revisions; the query API 503s, items are throttled.
    await timePasses({ late: 60 });
    query.failNext(1, { status: 503 });
    elastic.failItems({ status: 429, count: 25 });
    round = await poll('throttled items');
    assert.ok(round.some((s) => s.ok && s.tables.SecurityAlert.retried > 0), 'a retry was counted');

    // 3. A partial result and whole-request 429 and 413.
    await timePasses({ alerts: 600 });
    query.partialNext(1);
    elastic.failNext(1, { status: 429 });
    elastic.failNext(1, { status: 413 });
    round = await poll('partial result, 429, 413');
    assert.ok(round.some((s) => Object.values(s.tables).some((x) => x.split > 0)), 'the partial page was read again, halved');

    // 4. Elasticsearch refuses connections for 15 s, from the start of the poll.
    await timePasses();
    const outage = elastic.downFor(15000);
    round = await poll('Elasticsearch down for 15 s');
    await outage;
    assert.ok(round.slice(0, 2).every((s) => s.ok), JSON.stringify(round));

    // 5. SIGKILL while a _bulk request is in flight; the request completes on the server (the
    //    documents are written, the answer never arrives), Node-RED starts again.
    await timePasses();
    elastic.stallNext(1, 3000);
    const stalledBefore = elastic.stats.stalled;
    await inject(red.url, injectId);
    const deadline = Date.now() + 60000;
    while (elastic.stats.stalled === stalledBefore) {
      if (Date.now() > deadline) throw new Error('no _bulk request arrived to be stalled');
      await new Promise((r) => setTimeout(r, 20));
    }
    red.child.kill('SIGKILL');
    await red.stop();
    figures.restarts += 1;
    await new Promise((r) => setTimeout(r, 3500)); // the stalled request is written meanwhile
    await startRed();
    round = await poll('after the restart');
    assert.ok(round.some((s) => Object.values(s.tables).some((x) => x.duplicates > 0)), `the replayed page found its documents already written: ${JSON.stringify(round)}`);

    // 6. Revisions out of order, one document refused for good (dead letter).
    await timePasses({ incidentUpdates: 30, alertUpdates: 40 });
    elastic.failItems({ status: 400, count: 1, match: (it) => it.meta._index === INDEX });
    round = await poll('a mapping failure');
    // The dead letter (output 2) and the summary (output 1) reach the receiver as two requests, in
    // either order: wait a little for the dead letter.
    for (const until = Date.now() + 15000; deadLetters.length === 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 100));
    assert.equal(deadLetters.length, 1, 'one dead letter');

    // 7. The services' clock jumps past a token's lifetime: the cached token is refused (401) and
    //    replaced once.
    sandbox.clock.advance((LIFETIME_S + 5) * 1000);
    await timePasses();
    query.failNext(1, { status: 504 });
    round = await poll('token expired, gateway timeout');

    // 8. The rest: more rows, then past the lag with nothing new, twice.
    await timePasses({ late: 30 });
    await poll('more');
    await new Promise((r) => setTimeout(r, (LAG_S + 0.5) * 1000));
    await poll('drain');
    round = await poll('nothing new');
    for (const s of round.slice(0, 2)) for (const x of Object.values(s.tables)) assert.equal(x.created, 0, `${s.tenant} ${x.table} idle poll created ${x.created}`);
    figures.seconds = Math.round((Date.now() - figures.started) / 1000);

    // Every revision of both tenants up to the final cursors (the window end of the last poll:
    // everything ingested LAG_S before it), minus the dead letter, is in the data stream.
    const lastAdded = sandbox.clock.now() - 2 * (LAG_S + 0.5) * 1000;
    const cursors = round.slice(0, 2).map((s) => Object.fromEntries(Object.values(s.tables).map((x) => [x.table, x.cursor])));
    for (const c of cursors) for (const time of Object.values(c)) assert.ok(Date.parse(time) > lastAdded, `cursor ${time} covers the last rows added`);
    const dead = new Set(deadLetters.map((d) => revisionId(d.SystemAlertId ? 'SecurityAlert' : 'SecurityIncident', d)));
    const stored = new Set(elastic.ids(INDEX));
    let expected = 0;
    const missing = [];
    sandbox.tenants.forEach((tenant, i) => {
      for (const table of Object.keys(KEY)) {
        for (const row of tenant.workspace.allRows(table)) {
          if (row.ingestionTime > cursors[i][table]) continue;
          const id = revisionId(table, row);
          if (dead.has(id)) continue;
          expected += 1;
          if (!stored.has(id)) missing.push(`${tenant.tenantName} ${id} (ingested ${row.ingestionTime})`);
        }
      }
    });
    figures.revisions = expected;
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${expected} revisions missing`);
    assert.equal(stored.size, expected, 'no document beyond the revisions read');

    // The latest view holds each alert's and incident's newest revision.
    const wrong = [];
    for (const tenant of sandbox.tenants) {
      for (const table of Object.keys(KEY)) {
        for (const row of tenant.workspace.latestRows(table)) {
          const [key, rev] = KEY[table];
          const doc = elastic.document(LATEST[table], row[key]);
          if (!doc || doc._source[rev] !== row[rev] || doc._source.Status !== row.Status) wrong.push(`${table} ${row[key]}: ${doc ? doc._source[rev] : 'missing'} instead of ${row[rev]}`);
          if (doc && doc._source.customer.name !== tenant.tenantName) wrong.push(`${row[key]}: customer ${doc._source.customer.name}`);
        }
      }
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} latest documents wrong`);

    // Tokens: one per lifetime (renewed a quarter of it early at this short lifetime, five minutes
    // early at an hour's), plus one per restart, plus the one that the clock jump expired.
    const lifetimes = Math.ceil((sandbox.clock.now() - figures.clockStart) / (LIFETIME_S * 750)) + 1;
    for (const tenant of sandbox.tenants) {
      const requests = sandbox.entra.tokenRequestsFor(tenant.tenantId);
      assert.ok(requests <= lifetimes + figures.restarts, `${tenant.tenantName}: ${requests} token requests for ${lifetimes} lifetimes and ${figures.restarts} restart`);
    }
    figures.tokenRequests = sandbox.entra.tokenRequests;

    // The tenant whose workspace does not exist failed every poll with a message naming the fix.
    assert.ok(errors.length >= figures.polls, `${errors.length} caught errors`);
    assert.ok(errors.every((m) => /WorkspaceNotFoundError.*Fix: copy the "Workspace ID"/.test(m)), errors.find((m) => !/WorkspaceNotFoundError/.test(m)));

    // No secret in the log.
    const log = red.lines.join('\n');
    for (const t2 of sandbox.tenants) assert.ok(!log.includes(t2.privateKeyPem.split('\n')[1]), 'private key in the log');
    assert.ok(!log.includes(sandbox.apiKey), 'API key in the log');

    figures.alerts = sandbox.tenants.reduce((n, x) => n + new Set(x.workspace.allRows('SecurityAlert').map((r) => r.SystemAlertId)).size, 0);
    figures.retried = summaries.reduce((n, s) => n + Object.values(s.tables).reduce((m, x) => m + (x.retried || 0), 0), 0);
    t.diagnostic(`chaos: ${figures.alerts} alerts, ${figures.revisions} revisions stored, ${figures.retried} retries, ${figures.tokenRequests} token requests, ${figures.polls} polls, ${figures.restarts} restart, ${figures.seconds} s`);
  });
});
