'use strict';
// The end-to-end checks run against each Node-RED runtime: the packed package installs and
// registers all its node types, the example flow deployed against the sandbox indexes every
// alert and incident of the lookback, and a second poll yields only 409s, which
// sentinel-bulk-result removes.

const assert = require('node:assert/strict');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { PACKAGE, api, nodeSets, deploy, inject } = require('../../../scripts/lib/nodered');
const { readFlow, pointAtSandbox, reportTo, pollInjects, EXAMPLES } = require('../../../scripts/lib/flow');
const { collectPoll, formatSummary } = require('../../../scripts/lib/reports');
const { startStack } = require('./stack');

const TYPES = ['sentinel-tenant', 'sentinel-elastic', 'sentinel-assertion', 'sentinel-token-request',
  'sentinel-query', 'sentinel-rows', 'sentinel-bulk', 'sentinel-bulk-result', 'sentinel-incremental'];
const INDEX = 'logs-azure_api';
const LOOKBACK_MS = 12 * 3600e3; // the example's inject sets msg.retention = "12h"

/** Rows of both tables whose TimeGenerated is inside the lookback at the sandbox clock's time. */
function rowsInLookback(sandbox) {
  const since = sandbox.clock.now() - LOOKBACK_MS;
  const ws = sandbox.workspace(0);
  return ['SecurityAlert', 'SecurityIncident'].reduce((n, t) => n + ws.table(t).times.filter((ms) => ms > since).length, 0);
}

function runtimeSuite(getRuntime) {
  let runtime;
  let stack;
  let failedEarly = null;
  try { runtime = getRuntime(); } catch (e) { failedEarly = e; }
  const name = runtime ? runtime.name : 'Node-RED runtime';
  let failed = false;
  const check = (title, fn) => test(title, async (t) => {
    try { await fn(t); } catch (e) { failed = true; throw e; }
  });

  describe(`${name}: packed tarball in a fresh user directory`, { timeout: 150000 }, () => {
    before(async () => {
      if (failedEarly) throw failedEarly;
      stack = await startStack(runtime);
    });
    after(async () => {
      if (stack) {
        if (failed) process.stdout.write(`# last Node-RED log lines:\n${stack.red.lines.slice(-15).map((l) => `#   ${l}`).join('\n')}\n`);
        await stack.stop();
      }
    });

    check('runs the expected Node-RED and Node versions, bound to 127.0.0.1', () => {
      assert.equal(Number(stack.red.version.split('.')[0]), runtime.expectMajor, `Node-RED version ${stack.red.version}`);
      const nodeLine = stack.red.lines.find((l) => /Node\.js\s+version:/.test(l));
      assert.ok(nodeLine && nodeLine.includes(runtime.nodeVersion), `expected Node ${runtime.nodeVersion} in: ${nodeLine}`);
      const listening = stack.red.lines.find((l) => /Server now running at/.test(l));
      assert.match(listening, /http:\/\/127\.0\.0\.1:\d+\//);
    });

    check('does not answer on the machine\'s other addresses', async () => {
      const others = Object.values(os.networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4');
      for (const a of others) {
        const reached = await new Promise((resolve) => {
          const sock = net.connect({ host: a.address, port: stack.red.port, timeout: 2000 });
          sock.once('connect', () => { sock.destroy(); resolve(true); });
          sock.once('error', () => resolve(false));
          sock.once('timeout', () => { sock.destroy(); resolve(false); });
        });
        assert.equal(reached, false, `Node-RED answers on ${a.address}:${stack.red.port}`);
      }
    });

    check('GET /nodes lists all eight node types of the package, loaded, without errors', async () => {
      const sets = (await nodeSets(stack.red.url)).filter((s) => s.module === PACKAGE);
      assert.ok(sets.length > 0, `${PACKAGE} is not among the node sets Node-RED loaded`);
      const version = require('../../../package.json').version;
      for (const s of sets) {
        assert.equal(s.err, undefined, `node set ${s.id} failed to load: ${s.err}`);
        assert.equal(s.enabled, true, `node set ${s.id} is disabled`);
        assert.equal(s.version, version, `node set ${s.id} comes from version ${s.version}`);
      }
      assert.deepEqual(sets.flatMap((s) => s.types).sort(), [...TYPES].sort());
      const info = await api(stack.red.url, `nodes/${PACKAGE}`);
      assert.equal(info.path, path.join(stack.userDir, 'node_modules', PACKAGE), 'loaded from the tarball installed in the user directory');
    });

    let example;
    check('Import > Examples offers the example flows shipped in the tarball', async () => {
      const list = await api(stack.red.url, `library/examples/flows/${PACKAGE}`);
      assert.deepEqual(list.map((e) => e.fn).sort(), ['sentinel-incidents-rest-api', 'sentinel-to-elastic', 'sentinel-to-elastic-incremental']);
      example = await api(stack.red.url, `library/examples/flows/${PACKAGE}/sentinel-to-elastic`);
      assert.deepEqual(example, readFlow(path.join(EXAMPLES, 'sentinel-to-elastic.json')));
    });

    let expectedRows;
    let firstPoll;
    check('the example flow, deployed against the sandbox, indexes every alert and incident of the lookback', async () => {
      assert.ok(example, 'needs the example flow from Import > Examples');
      let flow = example;
      const injectId = pollInjects(flow)[0].id;
      flow = reportTo(pointAtSandbox(flow, stack.sandbox), stack.receiver.url);
      await deploy(stack.red.url, flow);

      const before = rowsInLookback(stack.sandbox);
      const poll = collectPoll(stack.receiver.events, { expected: 2, timeoutMs: 30000 });
      await inject(stack.red.url, injectId);
      firstPoll = await poll;
      const afterCount = rowsInLookback(stack.sandbox);

      assert.deepEqual(firstPoll.errors.map((e) => e.message), [], 'the flow reported errors');
      assert.deepEqual(firstPoll.others, [], 'the flow reported something other than bulk summaries (a failed token request?)');
      assert.equal(firstPoll.summaries.length, 2, 'one _bulk response for the alerts and one for the incidents');
      const total = firstPoll.total;
      process.stdout.write(`# ${runtime.name}, first poll: ${formatSummary(total)} (${total.total_items} items)\n`);
      // Rows only leave the lookback window while the poll runs (the sandbox adds none).
      assert.ok(total.total_items <= before && total.total_items >= afterCount,
        `the _bulk requests carried ${total.total_items} documents; the lookback held ${before} rows before the poll, ${afterCount} after`);
      expectedRows = total.total_items;
      assert.ok(total.created > 0, 'no document was created');
      assert.equal(total.failures, 0);
      // Incident updates re-log an existing IncidentName: same _id, so a 409 within the first poll.
      assert.equal(total.created + total.conflicts, total.total_items);

      const docs = stack.sandbox.elastic.documents(INDEX);
      assert.equal(docs.length, total.created, `Elasticsearch holds ${docs.length} documents in ${INDEX}`);
      const tenantName = stack.sandbox.tenants[0].tenantName;
      for (const d of docs) {
        assert.match(d['@timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'every document has an ISO @timestamp');
        assert.ok(JSON.stringify(d).includes(tenantName), 'every document names the tenant');
      }
    });

    check('a second poll yields only 409s, which sentinel-bulk-result removes', async () => {
      assert.ok(firstPoll, 'needs the first poll');
      const countBefore = stack.sandbox.elastic.count(INDEX);
      const poll = collectPoll(stack.receiver.events, { expected: 2, timeoutMs: 30000 });
      await inject(stack.red.url, pollInjects(example)[0].id);
      const second = await poll;
      assert.deepEqual(second.errors.map((e) => e.message), []);
      assert.equal(second.summaries.length, 2);
      const total = second.total;
      process.stdout.write(`# ${runtime.name}, second poll: ${formatSummary(total)}\n`);
      assert.equal(total.created, 0);
      assert.equal(total.failures, 0);
      assert.equal(total.conflicts, total.total_items);
      assert.ok(total.total_items <= expectedRows && total.total_items > 0);
      for (const s of second.summaries) {
        assert.equal(s.items, 0, 'the 409 items are removed from msg.payload.items');
        assert.equal(s.errors, false, 'msg.payload.errors is false once only 409s were removed');
        assert.equal(s.conflicts, s.summary.conflicts, 'msg.conflicts lists the removed items');
      }
      assert.equal(stack.sandbox.elastic.count(INDEX), countBefore, 'nothing new was indexed');
    });

    check('Node-RED logged no errors', () => {
      const errors = stack.red.lines.filter((l) => /\[error\]/.test(l));
      assert.deepEqual(errors, []);
    });
  });
}

module.exports = { runtimeSuite, TYPES };
