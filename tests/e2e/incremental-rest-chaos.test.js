'use strict';
// The Sentinel REST API source through chaos, as a user runs it: the packed package in a real
// Node-RED with examples/sentinel-incidents-rest-api.json pointed at the sandbox, incidents paged
// along an unescaped nextLink, revisions that become visible seconds after their
// lastModifiedTimeUtc (the overlap must catch them), incidents updated between polls, ARM
// throttling (429 + Retry-After), Elasticsearch throttling items and going down, a SIGKILL of
// Node-RED during a `_bulk` request and a restart, a cached token expiring, and a second node
// whose workspace does not exist. At the end every incident state the API showed at any poll is
// in Elasticsearch, each as its own document, the latest view is right, and tokens were
// requested at most once per lifetime plus once per restart.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { packTarball, prepareUserDir, startNodeRed, deploy, inject } = require('../../scripts/lib/nodered');
const { readFlow, pointAtSandbox, reportTo, EXAMPLES } = require('../../scripts/lib/flow');
const { startReceiver } = require('../../scripts/lib/reports');
const sandboxApi = require('../sandbox');
const { nodeRed4 } = require('./lib/runtimes');

const INDEX = 'logs-azure_api';
const LATEST = 'sentinel-incidents-api-latest';
const LIFETIME_S = 30;
// A revision is ingested up to LATENCY_MS after its lastModifiedTimeUtc and becomes visible
// VISIBLE_MS after that: the overlap (the node's lag) must cover both.
const LATENCY_MS = 3000;
const VISIBLE_MS = 1500;
const LAG_S = 5;
const PAGE = 25;
const MISSING = 'law-does-not-exist';

function chaosFlow(sandbox, receiverUrl) {
  const flow = pointAtSandbox(readFlow(path.join(EXAMPLES, 'sentinel-incidents-rest-api.json')), sandbox, 0);
  const inject = flow.find((n) => n.type === 'inject');
  Object.assign(inject, { repeat: '', once: false });
  const node = flow.find((n) => n.type === 'sentinel-incremental');
  Object.assign(node, { lag: `${LAG_S}s`, take: 40, restComments: true });
  const tenant = flow.find((n) => n.type === 'sentinel-tenant');
  const extra = [
    { ...tenant, id: 'rest-tenant-broken', name: 'no such workspace', workspaceName: MISSING },
    { ...node, id: 'rest-node-broken', tenant: 'rest-tenant-broken', y: node.y + 260 },
  ];
  inject.wires = [[node.id, 'rest-node-broken']];
  return { flow: reportTo([...flow, ...extra], receiverUrl), injectId: inject.id };
}

describe('Sentinel REST API source: nothing lost through faults, a SIGKILL and a restart', { timeout: 600000 }, () => {
  const runtime = nodeRed4();
  const cleanups = [];
  let sandbox;
  let red;
  let userDir;
  let injectId;
  const summaries = [];
  const errors = [];
  const shown = new Set(); // every incident state the API showed from the start to the end of a poll
  let pending = null; // the states shown when the poll under way started
  const figures = { polls: 0, restarts: 0, started: Date.now() };

  async function startRed() {
    red = await startNodeRed({ node: runtime.node, redJs: runtime.redJs, userDir });
    cleanups.push(() => red.stop());
  }

  const workspaceId = () => sandbox.tenants[0].workspaceId;
  const lookbackStart = () => sandbox.clock.now() - 24 * 3600e3;
  /** The states the API shows now inside the first run's lookback. */
  const current = () => [...sandbox.arm.currentRevisions(workspaceId())].filter((id) => Date.parse(id.split('@')[1]) > figures.firstSince);
  /** Before a poll: what it must read, unless a change replaces it before the poll ends (the API shows current states only). */
  function remember() {
    pending = new Set([...(pending || []), ...current()]);
  }
  /** After a poll: the states shown at its start that are still shown must have been read. */
  function settle() {
    const still = new Set(current());
    for (const id of pending || []) if (still.has(id)) shown.add(id);
    pending = null;
  }

  /** Triggers a poll and resolves the two nodes' summaries of it. */
  async function poll(what) {
    remember();
    const since = new Date().toISOString();
    await inject(red.url, injectId);
    const deadline = Date.now() + 240000;
    const names = [sandbox.tenants[0].workspaceName, MISSING];
    for (;;) {
      const got = names.map((ws) => summaries.find((s) => s.workspaceId === ws && s.started >= since));
      if (got.every(Boolean)) {
        figures.polls += 1;
        settle();
        return got;
      }
      if (Date.now() > deadline) throw new Error(`poll "${what}": ${got.filter(Boolean).length} of 2 summaries after 240 s\n${red.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Incidents change in two batches a second apart, a few are new; the poll that follows sees the
   * first batch but not yet the second, some of whose changes are older than the first batch's
   * newest (ingestion latency): only the overlap reads them at the next poll.
   */
  async function timePasses({ updates = 15, added = 4 } = {}) {
    const ws = sandbox.workspace(0);
    ws.updateIncidents(updates, { outOfOrder: 0 });
    ws.addIncidents(added);
    await new Promise((r) => setTimeout(r, 1000));
    ws.updateIncidents(updates, { outOfOrder: 0 });
    await new Promise((r) => setTimeout(r, VISIBLE_MS - 1000 + 150));
  }

  before(async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-rest-chaos-'));
    cleanups.push(() => fs.rmSync(userDir, { recursive: true, force: true }));
    const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-rest-chaos-pack-'));
    cleanups.push(() => fs.rmSync(packDir, { recursive: true, force: true }));
    prepareUserDir(userDir, packTarball(packDir));
    sandbox = await sandboxApi.start({ tenants: [{ alerts: 400, incidents: 220 }], spanHours: 30, tokenLifetime: LIFETIME_S, latencyMs: LATENCY_MS, visibilityDelayMs: VISIBLE_MS, armPageSize: PAGE, retryAfter: 1 });
    cleanups.push(() => sandbox.stop());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    receiver.events.on('report', (r) => {
      if (r.kind === 'error') errors.push(r.message);
      else if (r.payload && r.payload.tables) summaries.push(r.payload);
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

  test('reads every incident state through every fault, a SIGKILL during _bulk and a restart', async (t) => {
    const { arm, elastic } = sandbox;
    figures.clockStart = sandbox.clock.now();
    figures.firstSince = lookbackStart() + 60e3; // the node's first run starts a moment later

    // 1. The first run: the initial lookback over many pages, ARM throttled once.
    arm.failNext(1, { status: 429, retryAfter: 1 });
    let [s] = await poll('first run');
    assert.ok(s.ok, JSON.stringify(s));
    const first = s.tables.incidents;
    assert.ok(first.pages >= 4 && first.read > 100, JSON.stringify(first));
    assert.ok(first.retried >= 1, 'the 429 was retried');
    assert.equal(arm.stats.rejectedSkipTokens, 0, 'every nextLink was encoded again');

    // 2. Changes, some not yet visible; Elasticsearch throttles items.
    await timePasses();
    elastic.failItems({ status: 429, count: 10 });
    [s] = await poll('changes, throttled items');
    assert.ok(s.ok && s.tables.incidents.created > 0, JSON.stringify(s));

    // 3. ARM throttles three times in a row, Elasticsearch refuses connections for 5 s.
    await timePasses();
    arm.failNext(3, { status: 429, retryAfter: 1 });
    const outage = elastic.downFor(5000);
    [s] = await poll('ARM throttled, Elasticsearch down');
    await outage;
    assert.ok(s.ok && s.tables.incidents.retried >= 3, JSON.stringify(s));

    // 4. SIGKILL while a _bulk request is in flight (it completes on the server), then a restart.
    await timePasses({ updates: 30 });
    remember();
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
    await new Promise((r) => setTimeout(r, 3500));
    await startRed();
    [s] = await poll('after the restart');
    assert.ok(s.ok, JSON.stringify(s));
    assert.ok(s.tables.incidents.duplicates > 0, `the poll read again found its documents written: ${JSON.stringify(s)}`);

    // 5. The services' clock jumps past a token's lifetime: the cached token is refused and replaced.
    sandbox.clock.advance((LIFETIME_S + 5) * 1000);
    await timePasses();
    [s] = await poll('token expired');
    assert.ok(s.ok, JSON.stringify(s));

    // 6. More changes, then drain: nothing new, twice.
    await timePasses();
    await poll('more');
    await new Promise((r) => setTimeout(r, LATENCY_MS + VISIBLE_MS));
    await poll('drain');
    const [idle] = await poll('nothing new');
    assert.equal(idle.tables.incidents.created, 0);
    figures.seconds = Math.round((Date.now() - figures.started) / 1000);

    // Every state the API showed at any poll, and every state any list served, is a document.
    const stored = new Set(elastic.ids(INDEX));
    const missing = [...shown].filter((id) => !stored.has(id));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${shown.size} incident states missing`);
    const lost = [...arm.served].filter((id) => !stored.has(id));
    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} served states not written`);
    for (const id of stored) assert.ok(arm.served.has(id), `${id} stored but never served`);
    const states = new Map();
    for (const id of shown) states.set(id.split('@')[0], (states.get(id.split('@')[0]) || 0) + 1);
    figures.updated = [...states.values()].filter((n) => n > 1).length;
    assert.ok(figures.updated > 30, `${figures.updated} incidents with more than one state kept`);

    // The latest view holds each incident's current state.
    const wrong = [];
    for (const id of arm.currentRevisions(workspaceId())) {
      const [name, time] = id.split('@');
      if (Date.parse(time) <= figures.firstSince) continue;
      const doc = elastic.document(LATEST, name);
      if (!doc || doc._source.properties.lastModifiedTimeUtc !== time) wrong.push(`${name}: ${doc ? doc._source.properties.lastModifiedTimeUtc : 'missing'} instead of ${time}`);
      else if (!Array.isArray(doc._source.alerts) || doc._source.customer.name !== sandbox.tenants[0].tenantName) wrong.push(`${name}: alerts or customer missing`);
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} latest documents wrong`);

    // Tokens: the management token once per lifetime, plus once per restart and the forced expiry.
    const lifetimes = Math.ceil((sandbox.clock.now() - figures.clockStart) / (LIFETIME_S * 750)) + 1;
    const requests = sandbox.entra.tokenRequestsFor(sandbox.tenants[0].tenantId);
    assert.ok(requests <= lifetimes + figures.restarts + 1, `${requests} token requests for ${lifetimes} lifetimes and ${figures.restarts} restart`);

    // The node whose workspace does not exist failed every poll with a message naming the fix.
    assert.ok(errors.length >= figures.polls, `${errors.length} caught errors for ${figures.polls} polls`);
    assert.ok(errors.every((m) => /ResourceNotFound.*Fix: check the subscription id, the resource group and the workspace name/.test(m)), errors.find((m) => !/ResourceNotFound/.test(m)));

    const log = red.lines.join('\n');
    assert.ok(!log.includes(sandbox.tenants[0].privateKeyPem.split('\n')[1]), 'private key in the log');
    assert.ok(!log.includes(sandbox.apiKey), 'API key in the log');
    t.diagnostic(`rest chaos: ${shown.size} incident states shown, ${stored.size} stored, ${figures.updated} incidents with several states, ${arm.stats.pages} pages, ${arm.stats.throttled} ARM 429s, ${requests} token requests, ${figures.polls} polls, ${figures.restarts} restart, ${figures.seconds} s`);
  });
});
