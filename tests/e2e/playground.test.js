'use strict';
// The browser playground (resources/playground.html) and the editor's Preview tab, in headless
// Chromium against a real Node-RED with the packed tarball installed: the page, served by
// Node-RED at /resources/node-red-contrib-sentinel-elastic/playground.html, gives the NDJSON the
// sentinel-bulk node sends, byte for byte, for the same input and settings; a 50 MB response
// loaded from a file keeps the page answering clicks; the page requests nothing but its own
// files; the Preview tab of a sentinel-bulk dialog shows the NDJSON for the dialog's settings,
// unsaved ones included. With the ECS setting on, the page gives the NDJSON of a sentinel-bulk
// node with `ecs` on (fused and after sentinel-rows), and of the REST API source for incidents;
// the Preview tab follows the dialog's unsaved ECS checkbox. And `npm run playground` serves the
// same page.
//
// Screenshots go to a directory under os.tmpdir() (printed at the end); with
// UPDATE_SCREENSHOTS=1 the page's and the Preview tab's also replace the ones the README shows
// (tests/e2e/screenshots/).
//
// Needs Chromium (default /usr/bin/chromium, or CHROMIUM_PATH) and playwright-core.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { describe, before, after, test } = require('node:test');
const { tarball } = require('./lib/stack');
const { nodeRed4 } = require('./lib/runtimes');
const { ROOT, prepareUserDir, startNodeRed, deploy, inject } = require('../../scripts/lib/nodered');
const data = require('../sandbox/data');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const RESOURCES = 'resources/node-red-contrib-sentinel-elastic/';
const SAMPLE = fs.readFileSync(path.join(ROOT, 'resources', 'samples', 'alerts.json'), 'utf8');
const REST_SAMPLE = fs.readFileSync(path.join(ROOT, 'resources', 'samples', 'rest-incidents.json'), 'utf8');
const README_SHOTS = path.join(__dirname, 'screenshots');

// An Elasticsearch stand-in that records each _bulk request the flow sends (url and body bytes)
// and answers as Elasticsearch does for created documents.
function startRecorder() {
  const requests = [];
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"took":1,"errors":false,"items":[]}');
      for (const w of waiters.splice(0)) w();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Resolves with the next request recorded after `count` requests. */
    async next(count, ms = 20000) {
      const deadline = Date.now() + ms;
      while (requests.length <= count) {
        if (Date.now() > deadline) throw new Error('the flow sent no _bulk request');
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
      }
      return requests[count];
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  })));
}

// Two Elasticsearch settings and a tenant, a sentinel-bulk node using them, fed by an inject node
// with the sample text (as the http request node gives it), and an http request node that sends
// what the bulk node built.
function flow(recorder) {
  return [
    { id: 'tab1', type: 'tab', label: 'playground' },
    { id: 'es1', type: 'sentinel-elastic', name: 'es one', host: recorder.origin, index: 'logs-sentinel.play', pipeline: 'sentinel pipe', credentials: { apiKey: 'k1' } },
    { id: 'es2', type: 'sentinel-elastic', name: 'es two', host: recorder.origin, index: 'logs-other', pipeline: 'other', credentials: { apiKey: 'k2' } },
    { id: 'ten1', type: 'sentinel-tenant', name: 'contoso', tenantName: 'Contoso "EU" ünïcode' },
    { id: 'in1', type: 'inject', z: 'tab1', name: 'response', props: [{ p: 'payload' }], payload: SAMPLE, payloadType: 'str', repeat: '', once: false, x: 120, y: 80, wires: [['bulk1']] },
    { id: 'in2', type: 'inject', z: 'tab1', name: 'documents', props: [{ p: 'payload' }], payload: SAMPLE, payloadType: 'str', repeat: '', once: false, x: 120, y: 160, wires: [['rows1']] },
    { id: 'rows1', type: 'sentinel-rows', z: 'tab1', name: '', x: 300, y: 160, wires: [['bulk1']] },
    { id: 'bulk1', type: 'sentinel-bulk', z: 'tab1', name: 'bulk', elastic: 'es1', tenant: 'ten1', x: 480, y: 80, wires: [['http1']] },
    // The same settings with ECS on.
    { id: 'in3', type: 'inject', z: 'tab1', name: 'response (ecs)', props: [{ p: 'payload' }], payload: SAMPLE, payloadType: 'str', repeat: '', once: false, x: 120, y: 240, wires: [['bulk2']] },
    { id: 'in4', type: 'inject', z: 'tab1', name: 'documents (ecs)', props: [{ p: 'payload' }], payload: SAMPLE, payloadType: 'str', repeat: '', once: false, x: 120, y: 320, wires: [['rows2']] },
    { id: 'rows2', type: 'sentinel-rows', z: 'tab1', name: '', x: 300, y: 320, wires: [['bulk2']] },
    { id: 'bulk2', type: 'sentinel-bulk', z: 'tab1', name: 'bulk ecs', elastic: 'es1', tenant: 'ten1', ecs: true, x: 480, y: 240, wires: [['http1']] },
    { id: 'result1', type: 'sentinel-bulk-result', z: 'tab1', name: '', x: 860, y: 80, wires: [[]] },
    { id: 'http1', type: 'http request', z: 'tab1', name: '', method: 'use', ret: 'txt', paytoqs: 'ignore', url: '', tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x: 680, y: 80, wires: [['result1']] },
  ];
}

// A query API response of at least `bytes` bytes (alerts with an EndTime each).
function bigResponse(bytes) {
  const one = JSON.stringify(data.response('SecurityAlert', 200, { seed: 3, now: Date.parse('2025-11-19T12:00:00Z') }));
  const n = Math.ceil((bytes / one.length) * 200);
  return JSON.stringify(data.response('SecurityAlert', n, { seed: 3, now: Date.parse('2025-11-19T12:00:00Z') }));
}

describe('playground: the page and the editor preview in headless Chromium', { timeout: 240000 }, () => {
  let red;
  let userDir;
  let recorder;
  let browser;
  let page;
  const requested = [];
  const pageErrors = [];
  const shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-playground-'));
  const shots = [];
  const shot = async (p, name, { readme = false, ...options } = {}) => {
    const file = path.join(shotDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
    await p.screenshot({ path: file, ...options });
    shots.push(file);
    if (readme && process.env.UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync(README_SHOTS, { recursive: true });
      fs.copyFileSync(file, path.join(README_SHOTS, `${name}.png`));
    }
  };
  const bigFile = path.join(shotDir, 'big-response.json');

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    const { chromium } = require('playwright-core');
    recorder = await startRecorder();
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-nr-'));
    prepareUserDir(userDir, tarball());
    red = await startNodeRed({ ...nodeRed4(), userDir });
    await deploy(red.url, flow(recorder));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requested.push(r.url()));
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (red) await red.stop();
    if (recorder) await recorder.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    fs.rmSync(bigFile, { force: true });
    process.stdout.write(`# playground screenshots (${shots.length}) in ${shotDir}:\n${shots.map((f) => `#   ${f}`).join('\n')}\n`);
  });

  const status = () => page.locator('[data-testid="status"]');
  // Clicks a tab of a node's dialog (RED.tabs) until its panel shows: a click that lands while
  // the tray lays itself out again may be lost.
  const showTab = async (tray, type, tab) => {
    const panel = tray.locator(`#${type}-tab-${tab}`);
    for (let i = 0; ; i++) {
      await tray.locator(`#red-ui-tab-${type}-tab-${tab} a`).click();
      try {
        await panel.waitFor({ state: 'visible', timeout: 2000 });
        return;
      } catch (e) {
        if (i === 2) throw e;
      }
    }
  };
  const waitDone = async (p = page, testid = 'status', timeout = 30000) => {
    await p.waitForFunction((id) => {
      const s = document.querySelector(`[data-testid="${id}"]`);
      return s && (s.dataset.state === 'done' || s.dataset.state === 'error');
    }, testid, { timeout });
    const s = p.locator(`[data-testid="${testid}"]`);
    assert.equal(await s.getAttribute('data-state'), 'done', `the run failed: ${await s.innerText()}`);
  };

  test('the page served by Node-RED gives the NDJSON the sentinel-bulk node sends, byte for byte', async () => {
    // The node: the sample response as a string (as the http request node gives it).
    await inject(red.url, 'in1');
    const sent = await recorder.next(0);
    // The page, with the same settings, the same text pasted.
    await page.goto(`${red.url}${RESOURCES}playground.html`);
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await page.locator('[data-testid="tenant-name"]').fill('Contoso "EU" ünïcode');
    await page.locator('[data-testid="index"]').fill('logs-sentinel.play');
    await page.locator('[data-testid="pipeline"]').fill('sentinel pipe');
    await page.locator('[data-testid="host"]').fill(recorder.origin);
    await page.locator('[data-testid="input"]').fill(SAMPLE);
    await waitDone();
    const ndjson = await page.locator('[data-testid="ndjson"]').textContent();
    assert.ok(ndjson.length > 1000 && ndjson.endsWith('\n'));
    assert.equal(Buffer.from(ndjson, 'utf8').compare(sent.body), 0, `page NDJSON differs from the node's:\n${ndjson.slice(0, 400)}\n---\n${sent.body.toString().slice(0, 400)}`);
    assert.equal(sent.url, '/_bulk?pipeline=sentinel%20pipe');
    const summary = await page.locator('[data-testid="summary"]').innerText();
    assert.match(summary, /4 documents/);
    assert.ok(summary.includes(`POST ${recorder.origin}/_bulk?pipeline=sentinel%20pipe`), summary);
    assert.ok(summary.includes(`body ${sent.body.length.toLocaleString('en-US')} bytes`), summary);
    assert.ok(summary.includes(`${ndjson.split('\n').length - 1} lines`), summary);
    // The explanation: the sample's two revisions of one alert share an _id (a 409 to come).
    const explain = page.locator('[data-testid="explain"]');
    assert.match(await explain.innerText(), /_ids shared within this batch: 1/);
    assert.equal(await explain.locator('tbody tr').count(), 4);
    assert.deepEqual(await explain.locator('tbody tr td:nth-child(5)').allInnerTexts(), ['EndTime', 'EndTime', 'EndTime', 'EndTime']);
    assert.match(await explain.locator('tbody tr').first().innerText(), /ConfidenceScore/);
    // The URL holds the mode and the settings, not the data.
    const url = new URL(page.url());
    assert.match(url.hash, /mode=bulk/);
    assert.match(url.hash, /index=logs-sentinel.play/);
    assert.ok(!page.url().includes('SystemAlertId') && page.url().length < 400, page.url());
    await page.setViewportSize({ width: 1360, height: 780 });
    await page.locator('[data-testid="input"]').evaluate((t) => { t.setSelectionRange(0, 0); t.scrollTop = 0; });
    await shot(page, 'playground', { readme: true });
  });

  test('documents mode: the rows from sentinel-rows give the NDJSON the node chain sends', async () => {
    await inject(red.url, 'in2');
    const sent = await recorder.next(1);
    // The rows the page shows for the response, pasted as documents.
    await page.locator('[data-testid="mode"]').selectOption('rows');
    await waitDone();
    const rows = await page.locator('[data-testid="rows"]').textContent();
    assert.equal(JSON.parse(rows).length, 4);
    await page.locator('[data-testid="mode"]').selectOption('documents');
    await page.locator('[data-testid="input"]').fill(rows);
    await waitDone();
    const ndjson = await page.locator('[data-testid="ndjson"]').textContent();
    assert.equal(Buffer.from(ndjson, 'utf8').compare(sent.body), 0, 'page NDJSON (documents) differs from the sentinel-rows → sentinel-bulk chain');
    // A _bulk response: the 409 is removed and counted.
    await page.locator('[data-testid="sample"]').selectOption('bulk-response');
    await waitDone();
    assert.equal(await page.locator('[data-testid="mode"]').inputValue(), 'bulk-result');
    assert.match(await page.locator('[data-testid="summary"]').innerText(), /4 items: 2 created, 1 conflicts \(409, removed\), 1 failures/);
    assert.equal(JSON.parse(await page.locator('[data-testid="rows"]').textContent()).items.length, 3);
  });

  test('bad input: the error the node gives, and status error', async () => {
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await page.locator('[data-testid="input"]').fill('{"tables": [');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'error');
    const shown = await status().innerText();
    // The same words as the node (node-red/lib/core.js over pkg/node) for the same text.
    const core = require(path.join(userDir, 'node_modules', 'node-red-contrib-sentinel-elastic', 'node-red', 'lib', 'core.js'));
    assert.throws(() => core.bulk('{"tables": [', { host: recorder.origin, apiKey: 'k' }), (err) => err.message === shown);
  });

  test('the _id setting "key@revision time" gives the incremental mode\'s NDJSON', async () => {
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await page.locator('[data-testid="ids"]').selectOption('revision');
    await page.locator('[data-testid="input"]').fill(SAMPLE);
    await waitDone();
    const ndjson = await page.locator('[data-testid="ndjson"]').textContent();
    // What sentinel-incremental writes for this page of rows (core.js over pkg/node, as installed).
    const core = require(path.join(userDir, 'node_modules', 'node-red-contrib-sentinel-elastic', 'node-red', 'lib', 'core.js'));
    const expected = await core.revisionsAsync(SAMPLE, { index: 'logs-sentinel.play', tenantName: 'Contoso "EU" ünïcode', ids: 'revision' });
    assert.equal(ndjson, expected.ndjson);
    assert.match(ndjson, /"_id":"7e948eec-2d06-4ec0-ab65-4230d08bb982@2025-11-19T04:30:00.0000532Z"/);
    assert.match(await page.locator('[data-testid="explain"]').innerText(), /Every _id in this batch is distinct/);
    assert.match(page.url(), /ids=revision/);
    await page.locator('[data-testid="ids"]').selectOption('first');
    await waitDone();
  });

  // The request the flow sends after injecting `id` (counted from the requests so far).
  const sendFrom = async (id) => {
    const count = recorder.requests.length;
    await inject(red.url, id);
    return recorder.next(count);
  };
  const installedCore = () => require(path.join(userDir, 'node_modules', 'node-red-contrib-sentinel-elastic', 'node-red', 'lib', 'core.js'));
  const fillSettings = async () => {
    await page.locator('[data-testid="tenant-name"]').fill('Contoso "EU" ünïcode');
    await page.locator('[data-testid="index"]').fill('logs-sentinel.play');
    await page.locator('[data-testid="pipeline"]').fill('sentinel pipe');
    await page.locator('[data-testid="host"]').fill(recorder.origin);
    await page.locator('[data-testid="ids"]').selectOption('first');
  };
  const column = (n) => page.locator(`[data-testid="explain"] tbody tr td:nth-child(${n})`).allInnerTexts();

  test('ECS on: the page gives the NDJSON of a sentinel-bulk node with ecs on, fused and after sentinel-rows', async () => {
    const fused = await sendFrom('in3');
    const afterRows = await sendFrom('in4');
    assert.match(fused.body.toString(), /"microsoft_sentinel":\{"alert":\{/);
    await page.goto(`${red.url}${RESOURCES}playground.html`);
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await fillSettings();
    await page.locator('[data-testid="input"]').fill(SAMPLE);
    await waitDone();
    // ECS off first: what cleaning removed, to compare with ECS on.
    const removedWithout = await column(6);
    assert.ok(removedWithout.some((r) => r !== '—'), 'the sample has fields that cleaning removes');
    await page.locator('[data-testid="ecs"]').check();
    await waitDone();
    const ndjson = await page.locator('[data-testid="ndjson"]').textContent();
    assert.equal(Buffer.from(ndjson, 'utf8').compare(fused.body), 0, `page NDJSON (ECS) differs from the node's:\n${ndjson.slice(0, 600)}\n---\n${fused.body.toString().slice(0, 600)}`);
    assert.match(await page.locator('[data-testid="summary"]').innerText(), /ECS: on/);
    // The explanation: the original fields moved under microsoft_sentinel.alert, not removed;
    // cleaning removed the same fields as without ECS; @timestamp still from EndTime.
    const explain = page.locator('[data-testid="explain"]');
    assert.deepEqual(await explain.locator('thead th').allInnerTexts(), ['#', 'input', '_id', '@timestamp', 'from', 'removed by cleaning', 'original fields under', 'same _id as']);
    assert.deepEqual(await column(7), Array(4).fill('microsoft_sentinel.alert'));
    assert.deepEqual(await column(6), removedWithout);
    assert.deepEqual(await column(5), Array(4).fill('EndTime'));
    assert.match(await explain.innerText(), /_ids shared within this batch: 1/);
    // The URL carries the setting; opened again, the page has it on.
    assert.match(page.url(), /[#&]ecs=1(&|$)/);
    const again = await browser.newPage();
    await again.goto(page.url());
    assert.equal(await again.locator('[data-testid="ecs"]').isChecked(), true);
    await again.close();

    // Documents mode: the rows sentinel-rows gives, with ECS on, as the rows → bulk (ecs) chain.
    await page.locator('[data-testid="ecs"]').uncheck();
    await page.locator('[data-testid="mode"]').selectOption('rows');
    await waitDone();
    const rows = await page.locator('[data-testid="rows"]').textContent();
    await page.locator('[data-testid="mode"]').selectOption('documents');
    await page.locator('[data-testid="ecs"]').check();
    await page.locator('[data-testid="input"]').fill(rows);
    await waitDone();
    const documents = await page.locator('[data-testid="ndjson"]').textContent();
    assert.equal(Buffer.from(documents, 'utf8').compare(afterRows.body), 0, 'page NDJSON (documents, ECS) differs from the sentinel-rows → sentinel-bulk (ecs) chain');
    assert.deepEqual(await column(6), removedWithout);
    await shot(page, 'playground-ecs');
  });

  test('ECS on with the _id "key@revision time": the incremental mode\'s NDJSON with ecs', async () => {
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await page.locator('[data-testid="input"]').fill(SAMPLE);
    await page.locator('[data-testid="ecs"]').check();
    await page.locator('[data-testid="ids"]').selectOption('revision');
    await waitDone();
    const ndjson = await page.locator('[data-testid="ndjson"]').textContent();
    const expected = await installedCore().revisionsAsync(SAMPLE, { index: 'logs-sentinel.play', tenantName: 'Contoso "EU" ünïcode', ids: 'revision', ecs: true });
    assert.equal(ndjson, expected.ndjson);
    assert.match(ndjson, /"_id":"7e948eec-2d06-4ec0-ab65-4230d08bb982@2025-11-19T04:30:00.0000532Z"\}\}\n\{"@timestamp":"[^"]+","ecs":\{"version":"8\.11\.0"\}/);
    await page.locator('[data-testid="ids"]').selectOption('first');
    await waitDone();
  });

  test('REST API incidents: the page gives what the REST API source writes (core.incidentsBulk), ECS on and off', async () => {
    await page.locator('[data-testid="sample"]').selectOption('rest-incidents');
    await waitDone();
    assert.equal(await page.locator('[data-testid="mode"]').inputValue(), 'incidents');
    await page.locator('[data-testid="latest-index"]').fill('sentinel-incidents-latest');
    await waitDone();
    assert.equal(await page.locator('[data-testid="ids"]').isVisible(), false);
    const incidents = JSON.parse(REST_SAMPLE);
    for (const ecs of [true, false]) {
      await page.locator('[data-testid="ecs"]').setChecked(ecs);
      await waitDone();
      const ndjson = await page.locator('[data-testid="ndjson"]').textContent();
      const expected = installedCore().incidentsBulk(incidents, { index: 'logs-sentinel.play', tenantName: 'Contoso "EU" ünïcode', latestIndex: 'sentinel-incidents-latest', ecs });
      assert.equal(ndjson, expected.ndjson, `ecs ${ecs}`);
      assert.equal(ndjson.split('\n').length - 1, 12, 'three revisions, each into the data stream and the latest index');
      const summary = await page.locator('[data-testid="summary"]').innerText();
      assert.match(summary, /3 documents/);
      assert.match(summary, /latest index sentinel-incidents-latest/);
      // Two revisions of one incident: distinct _ids (no 409); @timestamp from lastModifiedTimeUtc.
      assert.match(await page.locator('[data-testid="explain"]').innerText(), /Every _id in this batch is distinct/);
      assert.deepEqual(await column(5), Array(3).fill('properties.lastModifiedTimeUtc'));
      assert.deepEqual(await column(3), incidents.map((i) => `${i.name}@${i.properties.lastModifiedTimeUtc}`));
      assert.match((await column(6))[0], /properties\.owner\.assignedTo/);
      if (ecs) assert.deepEqual(await column(7), Array(3).fill('microsoft_sentinel.incident'));
    }
    // A whole list response pasted: its value is used.
    await page.locator('[data-testid="input"]').fill(JSON.stringify({ value: incidents }));
    await waitDone();
    assert.equal(await page.locator('[data-testid="ndjson"]').textContent(), installedCore().incidentsBulk(incidents, { index: 'logs-sentinel.play', tenantName: 'Contoso "EU" ünïcode', latestIndex: 'sentinel-incidents-latest' }).ndjson);
    await page.locator('[data-testid="latest-index"]').fill('');
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await page.locator('[data-testid="input"]').fill(SAMPLE);
    await waitDone();
  });

  test('a 50 MB response from a file keeps the page answering clicks within 200 ms', async () => {
    fs.writeFileSync(bigFile, bigResponse(50 * 1024 * 1024));
    const size = fs.statSync(bigFile).size;
    assert.ok(size >= 50 * 1024 * 1024);
    await page.locator('[data-testid="mode"]').selectOption('bulk');
    await page.locator('[data-testid="input"]').fill('');
    // Each click on the heading records how long after the input event it was handled, and
    // whether the transform was running then.
    await page.evaluate(() => {
      window.clicks = [];
      document.querySelector('h1').addEventListener('click', (e) => {
        window.clicks.push({ latency: performance.now() - e.timeStamp, state: document.querySelector('[data-testid="status"]').dataset.state });
      });
    });
    await page.locator('[data-testid="file"]').setInputFiles(bigFile);
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'running');
    const roundTrips = [];
    while (await status().getAttribute('data-state') === 'running' && roundTrips.length < 20) {
      const t0 = Date.now();
      await page.locator('h1').click();
      roundTrips.push(Date.now() - t0);
      await page.waitForTimeout(50);
    }
    await waitDone(page, 'status', 120000);
    const clicks = await page.evaluate(() => window.clicks);
    const whileRunning = clicks.filter((c) => c.state === 'running');
    assert.ok(whileRunning.length >= 1, `no click landed while the transform ran (${JSON.stringify(clicks)})`);
    for (const c of whileRunning) assert.ok(c.latency < 200, `a click was handled ${c.latency.toFixed(0)} ms after it happened`);
    assert.ok(Math.max(...roundTrips) < 1000, `clicking took ${JSON.stringify(roundTrips)} ms`);
    process.stdout.write(`# 50 MB: ${whileRunning.length} clicks while running, handled within ${Math.max(...whileRunning.map((c) => c.latency)).toFixed(1)} ms; status ${await status().innerText()}\n`);
    // Above 2 MB: a preview of whole lines and a download of the whole body.
    const summary = await page.locator('[data-testid="summary"]').innerText();
    const documents = Number(/([\d,]+) documents/.exec(summary)[1].replace(/,/g, ''));
    assert.equal(documents, JSON.parse(fs.readFileSync(bigFile, 'utf8')).tables[0].rows.length);
    const preview = await page.locator('[data-testid="ndjson"]').textContent();
    assert.ok(preview.length > 1000 && preview.length <= 64 * 1024 && preview.endsWith('\n'));
    assert.match(await page.locator('#ndjson-download').innerText(), /download all \d+\.\d MB/);
    assert.match(await page.locator('[data-testid="explain"]').innerText(), /The first 200 of [\d]+ documents are explained/);
    await shot(page, 'playground-50mb');
  });

  test('the page requests nothing but its own files', async () => {
    assert.ok(requested.length > 5);
    const own = `${red.url}${RESOURCES}`;
    const others = requested.filter((u) => !u.startsWith(own));
    assert.deepEqual(others, []);
    for (const f of ['playground.html', 'playground.js', 'worker.js', 'sentinel.js', 'wasm/sentinel_elastic_wasm_bg.wasm']) {
      assert.ok(requested.includes(own + f), `${f} was loaded from ${own}`);
    }
    assert.deepEqual(pageErrors, []);
  });

  test('the Preview tab of sentinel-bulk shows the NDJSON for the dialog\'s settings, saved or not', async () => {
    const editor = await browser.newPage({ viewport: { width: 1600, height: 950 } });
    editor.setDefaultTimeout(15000);
    const errors = [];
    editor.on('pageerror', (e) => errors.push(e.message));
    await editor.goto(red.url);
    await editor.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node && RED.nodes.node('bulk1'), null, { timeout: 30000 });
    const openDialog = async () => {
      await editor.evaluate(() => RED.view.reveal('bulk1'));
      await editor.waitForTimeout(400);
      await editor.locator('g.red-ui-flow-node-group[id="bulk1"] rect.red-ui-flow-node').dblclick();
      const tray = editor.locator('.red-ui-tray').last();
      await tray.locator('#sentinel-bulk-tabs').waitFor({ state: 'visible' });
      await editor.waitForTimeout(300);
      await showTab(tray, 'sentinel-bulk', 'preview');
      return tray;
    };
    let tray = await openDialog();
    await tray.locator('[data-testid="preview-sample"]').selectOption('alerts');
    await waitDone(editor, 'preview-status');
    // The node's output for this sample and these settings (es1, ten1): the first request.
    if (recorder.requests.length === 0) await inject(red.url, 'in1'); // this test run alone
    const nodeNdjson = (await recorder.next(0)).body.toString('utf8');
    assert.equal(await tray.locator('[data-testid="preview-output"]').textContent(), nodeNdjson);
    assert.match(await tray.locator('[data-testid="preview-explain"]').innerText(), /_ids shared within this batch: 1/);
    await shot(editor, 'preview', { readme: true });

    // Another Elasticsearch setting picked in the dialog, not saved: the preview follows it.
    await showTab(tray, 'sentinel-bulk', 'properties');
    await tray.locator('#node-input-elastic').selectOption('es2');
    await showTab(tray, 'sentinel-bulk', 'preview');
    await editor.waitForFunction(() => document.querySelector('[data-testid="preview-output"]').textContent.includes('"_index":"logs-other"'));
    await waitDone(editor, 'preview-status');
    assert.match(await tray.locator('[data-testid="preview-summary"]').innerText(), /data stream logs-other, pipeline other/);

    // Cancelled and opened again: the pasted data is still there (the setting is not).
    await tray.locator('#node-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' });
    tray = await openDialog();
    assert.equal(await tray.locator('[data-testid="preview-input"]').inputValue(), SAMPLE);
    await waitDone(editor, 'preview-status');
    assert.equal(await tray.locator('[data-testid="preview-output"]').textContent(), nodeNdjson);
    await tray.locator('#node-dialog-cancel').click();
    assert.deepEqual(errors, []);
    await editor.close();
  });

  test('the Preview tab of sentinel-bulk follows the dialog\'s unsaved ECS checkbox', async () => {
    const plain = (await sendFrom('in1')).body.toString('utf8');
    const withEcs = (await sendFrom('in3')).body.toString('utf8');
    const editor = await browser.newPage({ viewport: { width: 1600, height: 950 } });
    editor.setDefaultTimeout(15000);
    const errors = [];
    editor.on('pageerror', (e) => errors.push(e.message));
    await editor.goto(red.url);
    await editor.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node && RED.nodes.node('bulk1'), null, { timeout: 30000 });
    await editor.evaluate(() => RED.view.reveal('bulk1'));
    await editor.waitForTimeout(400);
    await editor.locator('g.red-ui-flow-node-group[id="bulk1"] rect.red-ui-flow-node').dblclick();
    const tray = editor.locator('.red-ui-tray').last();
    await tray.locator('#sentinel-bulk-tabs').waitFor({ state: 'visible' });
    await editor.waitForTimeout(300);
    assert.equal(await tray.locator('#node-input-ecs').isChecked(), false);
    await showTab(tray, 'sentinel-bulk', 'preview');
    await tray.locator('[data-testid="preview-sample"]').selectOption('alerts');
    await waitDone(editor, 'preview-status');
    const output = tray.locator('[data-testid="preview-output"]');
    assert.equal(await output.textContent(), plain);
    // ECS ticked in the dialog, not saved: the preview gives the NDJSON of the node with ecs on.
    await showTab(tray, 'sentinel-bulk', 'properties');
    await tray.locator('#node-input-ecs').check();
    await showTab(tray, 'sentinel-bulk', 'preview');
    await editor.waitForFunction(() => document.querySelector('[data-testid="preview-output"]').textContent.includes('"microsoft_sentinel":{"alert":'));
    await waitDone(editor, 'preview-status');
    assert.equal(await output.textContent(), withEcs);
    assert.match(await tray.locator('[data-testid="preview-summary"]').innerText(), /ECS: on/);
    assert.match(await tray.locator('[data-testid="preview-explain"]').innerText(), /microsoft_sentinel\.alert/);
    await shot(editor, 'preview-ecs');
    // Unticked again: back to the original field names.
    await showTab(tray, 'sentinel-bulk', 'properties');
    await tray.locator('#node-input-ecs').uncheck();
    await showTab(tray, 'sentinel-bulk', 'preview');
    await editor.waitForFunction(() => !document.querySelector('[data-testid="preview-output"]').textContent.includes('"microsoft_sentinel"'));
    await waitDone(editor, 'preview-status');
    assert.equal(await output.textContent(), plain);
    await tray.locator('#node-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' });
    // Cancelled: the node's saved setting is unchanged.
    assert.notEqual(await editor.evaluate(() => RED.nodes.node('bulk1').ecs), true);
    assert.deepEqual(errors, []);
    await editor.close();
  });

  test('the Preview tabs of sentinel-rows and sentinel-bulk-result run their node\'s transform', async () => {
    const editor = await browser.newPage({ viewport: { width: 1600, height: 950 } });
    editor.setDefaultTimeout(15000);
    await editor.goto(red.url);
    await editor.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node && RED.nodes.node('result1'), null, { timeout: 30000 });
    for (const [id, type, sample, expected] of [['rows1', 'sentinel-rows', 'incidents', /^3 rows/], ['result1', 'sentinel-bulk-result', 'bulk-response', /2 created, 1 conflicts/]]) {
      await editor.evaluate((i) => RED.view.reveal(i), id);
      await editor.waitForTimeout(400);
      await editor.locator(`g.red-ui-flow-node-group[id="${id}"] rect.red-ui-flow-node`).dblclick();
      const tray = editor.locator('.red-ui-tray').last();
      await tray.locator(`#${type}-tabs`).waitFor({ state: 'visible' });
      await editor.waitForTimeout(300);
      await showTab(tray, type, 'preview');
      await tray.locator('[data-testid="preview-sample"]').selectOption(sample);
      await waitDone(editor, 'preview-status');
      assert.match(await tray.locator('[data-testid="preview-summary"]').innerText(), expected);
      if (type === 'sentinel-rows') assert.equal(JSON.parse(await tray.locator('[data-testid="preview-output"]').textContent()).length, 3);
      await tray.locator('#node-dialog-cancel').click();
      await tray.waitFor({ state: 'detached' });
    }
    await editor.close();
  });

  test('npm run playground serves the page on 127.0.0.1 and prints its URL', async () => {
    const { npmCommand } = require('../../scripts/lib/nodered');
    const { cmd, pre } = npmCommand();
    const child = spawn(cmd, [...pre, 'run', 'playground', '--', '--port', '0'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20000);
        child.stdout.on('data', (c) => {
          out += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\/playground\.html/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`npm run playground exited (${code}): ${out}`)));
      });
      const wasm = await fetch(new URL('wasm/sentinel_elastic_wasm_bg.wasm', url));
      assert.equal(wasm.headers.get('content-type'), 'application/wasm');
      assert.equal((await fetch(new URL('../package.json', url))).status, 404);
      const p = await browser.newPage();
      const seen = [];
      p.on('request', (r) => seen.push(r.url()));
      await p.goto(url);
      await p.locator('[data-testid="sample"]').selectOption('incidents');
      await waitDone(p);
      assert.match(await p.locator('[data-testid="summary"]').innerText(), /3 documents/);
      assert.deepEqual(seen.filter((u) => !u.startsWith(new URL('.', url).href)), []);
      await p.close();
    } finally {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    }
  });
});
