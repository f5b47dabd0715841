'use strict';
// A first run in the editor (headless Chromium, Node-RED 4.1 with the packed tarball): the tenant
// node's stored private key never shows as Node-RED's "__PWRD__" marker and is replaced from a PEM
// file read in the browser (the token request then succeeds against the sandbox); an imported,
// unconfigured example shows invalid nodes before any deploy; the example and demo flows fit a
// 1366x768 window at 100 % and read left to right.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { deploy, inject } = require('../../scripts/lib/nodered');
const { EXAMPLES, readFlow, reportTo } = require('../../scripts/lib/flow');
const { startStack } = require('./lib/stack');
const { nodeRed4 } = require('./lib/runtimes');

const { CHROMIUM } = require('./lib/chromium');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const WRONG_KEY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keys', 'other-key.pem'), 'utf8');
const MARKER = '__PWRD__';

describe('editor: tenant credentials, validation and layout (Chromium)', { timeout: 180000 }, () => {
  let stack;
  let browser;
  let page;
  let t;
  const pageErrors = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-editor-config-'));

  /** The next report the deployed flow posts (kind 'other' carries the token response's statusCode). */
  const nextReport = (ms = 20000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { stack.receiver.events.off('report', on); reject(new Error('no report from the flow')); }, ms);
    const on = (r) => { clearTimeout(timer); stack.receiver.events.off('report', on); resolve(r); };
    stack.receiver.events.on('report', on);
  });

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    stack = await startStack(nodeRed4());
    t = stack.sandbox.tenants[0];
    // A deployed tenant whose stored key is the wrong one: its token request fails until replaced.
    const flow = [
      { id: 'tab', type: 'tab', label: 'token' },
      { id: 'tenant', type: 'sentinel-tenant', name: 'stored key', tenantName: t.tenantName, clientId: t.clientId, tenantId: t.tenantId, workspaceId: t.workspaceId, scope: t.scope, authorityHost: stack.sandbox.entra.origin, queryHost: stack.sandbox.query.origin, credentials: { privateKeyPem: WRONG_KEY, certificatePem: t.certificatePem, kid: '' } },
      { id: 'go', type: 'inject', z: 'tab', name: 'go', props: [], repeat: '', once: false, topic: '', x: 100, y: 60, wires: [['assertion']] },
      { id: 'assertion', type: 'sentinel-assertion', z: 'tab', tenant: 'tenant', algorithm: 'RS256', lifetime: 600, x: 260, y: 60, wires: [['token-request']] },
      { id: 'token-request', type: 'sentinel-token-request', z: 'tab', tenant: 'tenant', x: 440, y: 60, wires: [['token-http']] },
      { id: 'token-http', type: 'http request', z: 'tab', name: 'get token', method: 'use', ret: 'obj', paytoqs: 'ignore', url: '', tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x: 600, y: 60, wires: [['out']] },
      { id: 'out', type: 'debug', z: 'tab', active: true, tosidebar: false, console: false, complete: 'payload', x: 760, y: 60, wires: [] },
    ];
    await deploy(stack.red.url, reportTo(flow, stack.receiver.url));
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(stack.red.url);
    await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node && RED.nodes.node('tenant'), null, { timeout: 30000 });
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (stack) await stack.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens a config node's dialog as a person does: a double click in the Configuration nodes sidebar. */
  async function openConfig(name) {
    await page.evaluate(() => RED.sidebar.show('config'));
    await page.locator('#red-ui-sidebar-content .red-ui-palette-node-config')
      .filter({ has: page.locator('.red-ui-palette-label', { hasText: name }) }).first().dblclick();
    const tray = page.locator('.red-ui-tray').last();
    await tray.locator('#sentinel-tenant-key-state, #node-config-input-host').first().waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    return tray;
  }

  /** Every text the dialog holds: what it shows, its markup, and the value of every field. */
  const dialogTexts = (tray) => tray.evaluate((el) => [el.innerText, el.outerHTML,
    ...[...el.querySelectorAll('input, textarea, select')].map((i) => String(i.value))]);

  test('a stored private key shows as "stored", and no __PWRD__ appears anywhere in the dialog', async () => {
    const creds = await page.evaluate(() => fetch('credentials/sentinel-tenant/tenant').then((r) => r.json()));
    assert.equal(creds.has_privateKeyPem, true, 'the runtime holds a key');
    const tray = await openConfig('stored key');
    assert.equal(await tray.locator('#sentinel-tenant-key-state').getAttribute('data-state'), 'stored');
    assert.match(await tray.locator('#sentinel-tenant-key-state').innerText(), /^A private key is stored \(hidden\)/);
    for (const text of await dialogTexts(tray)) assert.ok(!text.includes(MARKER), `the dialog shows ${MARKER}`);
    assert.equal(await tray.locator('#sentinel-tenant-key-text').inputValue(), '');
    await tray.locator('#node-config-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' });
  });

  test('the token request fails with the stored (wrong) key', async () => {
    const report = nextReport();
    await inject(stack.red.url, 'go');
    const r = await report;
    assert.equal(r.statusCode, 401, JSON.stringify(r).slice(0, 300));
  });

  test('choosing a PEM file replaces the key: deployed, the token request succeeds; reopened, it shows as stored', async () => {
    const file = path.join(tmp, 'tenant.key.pem');
    fs.writeFileSync(file, t.privateKeyPem);
    let tray = await openConfig('stored key');
    await tray.locator('#sentinel-tenant-key-file').setInputFiles(file);
    await page.waitForFunction(() => document.querySelector('#sentinel-tenant-key-state').getAttribute('data-state') === 'replacing');
    assert.match(await tray.locator('#sentinel-tenant-key-text').inputValue(), /^-----BEGIN (RSA )?PRIVATE KEY-----/);
    await tray.locator('#node-config-dialog-ok').click();
    await tray.waitFor({ state: 'detached' });
    await page.locator('#red-ui-header-button-deploy').click();
    await page.waitForFunction(() => !RED.nodes.dirty(), null, { timeout: 15000 });
    await page.waitForTimeout(500);

    const report = nextReport();
    await inject(stack.red.url, 'go');
    const r = await report;
    assert.equal(r.statusCode, 200, JSON.stringify(r).slice(0, 300));

    tray = await openConfig('stored key');
    assert.equal(await tray.locator('#sentinel-tenant-key-state').getAttribute('data-state'), 'stored');
    for (const text of await dialogTexts(tray)) {
      assert.ok(!text.includes(MARKER), `the dialog shows ${MARKER}`);
      assert.ok(!text.includes('PRIVATE KEY-----\n'), 'the stored key is not shown');
    }
    await tray.locator('#node-config-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' });
  });

  test('a key pasted after the marker is sent without it: the deploy request never carries __PWRD__', async () => {
    const tray = await openConfig('stored key');
    await tray.locator('#sentinel-tenant-key-text').fill(`${MARKER}${t.privateKeyPem}`);
    await page.waitForFunction(() => document.querySelector('#sentinel-tenant-key-state').getAttribute('data-state') === 'replacing');
    await tray.locator('#node-config-dialog-ok').click();
    await tray.waitFor({ state: 'detached' });
    const posted = page.waitForRequest((r) => r.method() === 'POST' && /\/flows$/.test(new URL(r.url()).pathname));
    await page.locator('#red-ui-header-button-deploy').click();
    const body = (await posted).postData();
    await page.waitForFunction(() => !RED.nodes.dirty(), null, { timeout: 15000 });
    assert.ok(!body.includes(MARKER), 'the deploy request carries the marker');
    const flows = JSON.parse(body);
    const tenant = (flows.flows || flows).find((n) => n.id === 'tenant');
    assert.match(tenant.credentials.privateKeyPem, /^-----BEGIN (RSA )?PRIVATE KEY-----/);
    const report = nextReport();
    await inject(stack.red.url, 'go');
    assert.equal((await report).statusCode, 200);
  });

  /** Imports `file` through the Import dialog and shows its tab; returns the flow's nodes. */
  async function importFlow(file) {
    const flow = readFlow(file);
    await page.evaluate(() => RED.actions.invoke('core:show-import-dialog'));
    const text = page.locator('#red-ui-clipboard-dialog-import-text');
    await text.waitFor({ state: 'visible' });
    await text.fill(fs.readFileSync(file, 'utf8'));
    await text.press('End');
    await page.locator('#red-ui-clipboard-dialog-ok:not([disabled])').click();
    await page.locator('#red-ui-clipboard-dialog').waitFor({ state: 'hidden' });
    const tab = flow.find((n) => n.type === 'tab');
    await page.evaluate((id) => RED.workspaces.show(id), tab.id);
    for (const n of await page.locator('.red-ui-notification').all()) await n.click().catch(() => {});
    await page.waitForTimeout(400);
    return flow;
  }

  test('an imported, unconfigured example shows its config nodes and the nodes using them as invalid, before any deploy', async () => {
    const flow = await importFlow(path.join(EXAMPLES, 'sentinel-to-elastic.json'));
    const users = flow.filter((n) => n.tenant || n.elastic).map((n) => n.id);
    const config = flow.filter((n) => n.type === 'sentinel-tenant' || n.type === 'sentinel-elastic').map((n) => n.id);
    const state = await page.evaluate((ids) => ids.map((id) => { const n = RED.nodes.node(id); return { id, valid: n.valid, errors: n.validationErrors }; }), [...config, ...users]);
    for (const s of state) assert.equal(s.valid, false, `${s.id} is invalid (${JSON.stringify(s.errors)})`);
    const tenantErrors = state.find((s) => s.id === config[0]).errors.join(' ');
    assert.match(tenantErrors, /clientId|Client id/i);
    // The reasons the editor shows (tooltips, the node's validation errors) come from the catalog.
    const reasons = await page.evaluate(() => {
      const why = (type, prop, value) => { const d = RED.nodes.getType(type).defaults[prop]; return d.validate.call({}, value, {}); };
      return [why('sentinel-tenant', 'clientId', '<application (client) id>'), why('sentinel-tenant', 'tenantId', 'not a tenant'),
        why('sentinel-tenant', 'queryHost', 'https://api.loganalytics.io/v1'), why('sentinel-elastic', 'host', 'https://elastic:9200/?x'),
        why('sentinel-tenant', 'clientId', '0f1e2d3c-4b5a-4697-8877-665544332211')];
    });
    assert.match(reasons[0], /^a GUID such as 00000000-/);
    assert.match(reasons[1], /Directory \(tenant\) ID/);
    assert.match(reasons[2], /without a path/);
    assert.match(reasons[3], /^an origin such as https:\/\/elastic/);
    assert.equal(reasons[4], true);
    // The red triangle is drawn on the canvas for each node that uses them.
    for (const id of users) {
      const badge = page.locator(`g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-error`);
      assert.equal(await badge.count(), 1, `${id} has an error badge`);
      assert.ok(await badge.isVisible(), `${id}'s error badge is visible`);
    }
    // Nothing to deploy yet without a warning: Node-RED's deploy asks to confirm invalid nodes.
    await page.locator('#red-ui-header-button-deploy').click();
    await page.locator('.red-ui-editor-dialog, #red-ui-notification-dialog, .red-ui-notification').filter({ hasText: /invalid|improperly configured/i }).first().waitFor({ state: 'visible' });
    const cancel = page.locator('.red-ui-notification button, .ui-dialog button').filter({ hasText: /cancel/i }).first();
    if (await cancel.count()) await cancel.click();
    await page.waitForTimeout(300);
  });

  test('the imported incremental example is invalid before deploy too', async () => {
    const flow = await importFlow(path.join(EXAMPLES, 'sentinel-to-elastic-incremental.json'));
    const ids = flow.filter((n) => n.type.startsWith('sentinel-')).map((n) => n.id);
    // Its ids may have been renamed if they clash with nodes already in the editor: look them up by type on its tab.
    const state = await page.evaluate((tab) => RED.nodes.filterNodes({ z: tab })
      .filter((n) => n.type === 'sentinel-incremental').map((n) => ({ id: n.id, valid: n.valid, errors: n.validationErrors })), flow.find((n) => n.type === 'tab').id);
    assert.equal(state.length, 1, JSON.stringify(ids));
    assert.equal(state[0].valid, false, JSON.stringify(state[0].errors));
    const badge = page.locator(`g.red-ui-flow-node-group[id="${state[0].id}"] .red-ui-flow-node-error`);
    assert.ok(await badge.isVisible(), 'the incremental node shows the red triangle');
  });

  test('the tenant dialog names the form a field needs, and the node turns valid once the ids are GUIDs', async () => {
    const tray = await openConfig('my tenant');
    const field = (f) => tray.locator(`#node-config-input-${f}`);
    await field('clientId').fill('<application (client) id>');
    await field('clientId').press('End');
    await page.waitForFunction(() => document.querySelector('#node-config-input-clientId').classList.contains('input-error'));
    await field('clientId').fill(t.clientId);
    await field('tenantId').fill('contoso.onmicrosoft.com');
    await field('workspaceId').fill(t.workspaceId);
    await field('managementHost').fill('https://management.azure.com/subscriptions');
    await field('managementHost').press('End');
    await page.waitForFunction(() => document.querySelector('#node-config-input-managementHost').classList.contains('input-error'));
    await field('managementHost').fill('management.usgovcloudapi.net');
    await field('subscriptionId').fill('not-a-guid');
    await field('subscriptionId').press('End');
    await page.waitForFunction(() => document.querySelector('#node-config-input-subscriptionId').classList.contains('input-error'));
    await field('subscriptionId').fill('');
    await field('workspaceId').press('End');
    for (const f of ['clientId', 'tenantId', 'workspaceId', 'managementHost', 'subscriptionId']) {
      assert.equal(await field(f).evaluate((el) => el.classList.contains('input-error')), false, `${f} is accepted`);
    }
    await tray.locator('#node-config-dialog-ok').click();
    await tray.waitFor({ state: 'detached' });
    const valid = await page.evaluate(() => RED.nodes.node('se-tenant').valid);
    assert.equal(valid, true);
  });

  test('empty hosts and scope take the defaults even where Node-RED runs validators on empty fields (3.x); hosts and resource groups take what the runtime takes', async () => {
    const results = await page.evaluate(() => {
      // Called as Node-RED 3 does: the validator runs on an empty, non-required field too.
      const why = (prop, value) => RED.nodes.getType('sentinel-tenant').defaults[prop].validate.call({}, value, {});
      return {
        empty: ['scope', 'authorityHost', 'queryHost', 'managementHost', 'workspaceId', 'subscriptionId', 'resourceGroup', 'workspaceName'].map((p) => [p, why(p, '')]),
        underscore: why('managementHost', 'arm_gw.contoso.local'),
        port: why('queryHost', 'http://127.0.0.1:70000'),
        dot: why('authorityHost', '.login.microsoftonline.com'),
        unicode: why('resourceGroup', 'ressources-sécurité-東京'),
        trailingDot: why('resourceGroup', 'rg.'),
      };
    });
    for (const [p, v] of results.empty) assert.equal(v, true, `an empty ${p} is accepted`);
    assert.equal(results.underscore, true, 'a host with _ (as the runtime takes it)');
    assert.match(String(results.port), /host name/);
    assert.match(String(results.dot), /host name/);
    assert.equal(results.unicode, true, 'a resource group with Unicode letters (as Azure takes it)');
    assert.match(String(results.trailingDot), /resource group/);
  });

  test('the nodes using a tenant say which workspace fields their use needs: workspace id for Log Analytics, the ARM names for the REST API', async () => {
    const guid = (n) => `0f1e2d3c-4b5a-4697-8877-66554433221${n}`;
    const base = { type: 'sentinel-tenant', clientId: guid(1), tenantId: guid(2) };
    const flow = [
      { id: 'ws-tab', type: 'tab', label: 'workspace fields' },
      { id: 'ws-arm', ...base, name: 'arm only', subscriptionId: guid(3), resourceGroup: 'rg-sentinel', workspaceName: 'sentinel-ws' },
      { id: 'ws-la', ...base, name: 'workspace id only', workspaceId: guid(4) },
      { id: 'ws-el', type: 'sentinel-elastic', name: 'elastic', host: 'https://elastic.example:9200' },
      ...[['ws-rest-ok', 'rest', 'ws-arm'], ['ws-rest-bad', 'rest', 'ws-la'], ['ws-la-ok', 'loganalytics', 'ws-la'], ['ws-la-bad', 'loganalytics', 'ws-arm']]
        .map(([id, source, tenant], i) => ({ id, type: 'sentinel-incremental', z: 'ws-tab', name: id, tenant, elastic: 'ws-el', source, x: 200, y: 60 + 60 * i, wires: [[], []] })),
      { id: 'ws-query-ok', type: 'sentinel-query', z: 'ws-tab', name: 'q ok', tenant: 'ws-la', table: 'SecurityAlert', limit: 10, x: 500, y: 60, wires: [[]] },
      { id: 'ws-query-bad', type: 'sentinel-query', z: 'ws-tab', name: 'q bad', tenant: 'ws-arm', table: 'SecurityAlert', limit: 10, x: 500, y: 120, wires: [[]] },
      { id: 'ws-query-none', type: 'sentinel-query', z: 'ws-tab', name: 'q none', tenant: '', table: 'SecurityAlert', limit: 10, x: 500, y: 180, wires: [[]] },
    ];
    // Every other setting at its default, as a node dropped from the palette has it.
    const defaults = await page.evaluate((types) => Object.fromEntries(types.map((type) => [type, Object.fromEntries(
      Object.entries(RED.nodes.getType(type).defaults).map(([k, d]) => [k, d.value]))])), ['sentinel-incremental', 'sentinel-query', 'sentinel-elastic', 'sentinel-tenant']);
    const file = path.join(tmp, 'workspace-fields.json');
    fs.writeFileSync(file, JSON.stringify(flow.map((n) => ({ ...(defaults[n.type] || {}), ...n }))));
    await importFlow(file);
    const state = await page.evaluate((tab) => {
      const nodes = RED.nodes.filterNodes({ z: tab });
      RED.nodes.eachConfig((n) => { if (n.type === 'sentinel-tenant') nodes.push(n); });
      return Object.fromEntries(nodes.map((n) => [n.name, { valid: n.valid, errors: (n.validationErrors || []).join(' ') }]));
    }, 'ws-tab');
    assert.equal(state['arm only'].valid, true, `a tenant without a workspace id is valid: ${state['arm only'].errors}`);
    assert.equal(state['workspace id only'].valid, true, state['workspace id only'].errors);
    assert.equal(state['ws-rest-ok'].valid, true, state['ws-rest-ok'].errors);
    assert.equal(state['ws-la-ok'].valid, true, state['ws-la-ok'].errors);
    assert.equal(state['q ok'].valid, true, state['q ok'].errors);
    assert.equal(state['q none'].valid, true, state['q none'].errors);
    assert.equal(state['ws-rest-bad'].valid, false);
    assert.match(state['ws-rest-bad'].errors, /REST API source needs the tenant's Subscription id, Resource group, Workspace name/);
    assert.equal(state['ws-la-bad'].valid, false);
    assert.match(state['ws-la-bad'].errors, /Log Analytics source needs the tenant's Workspace id/);
    assert.equal(state['q bad'].valid, false);
    assert.match(state['q bad'].errors, /no workspace id/);
  });

  for (const file of [path.join(EXAMPLES, 'sentinel-to-elastic.json'), path.join(EXAMPLES, 'sentinel-to-elastic-incremental.json'), path.join(__dirname, '..', '..', 'scripts', 'demo-flow.json')]) {
    test(`${path.basename(file)} fits a 1366x768 window at 100 % and its wires run left to right`, async () => {
      const flow = await importFlow(file);
      await page.evaluate(() => { if (RED.view.zoomZero) RED.view.zoomZero(); });
      await page.evaluate(() => { const c = document.getElementById('red-ui-workspace-chart'); c.scrollLeft = 0; c.scrollTop = 0; });
      await page.waitForTimeout(300);
      const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
      const onCanvas = flow.filter((n) => 'x' in n).map((n) => n.id);
      // Imported ids may be renamed when they clash: find the nodes by their tab.
      const boxes = await page.evaluate(() => [...document.querySelectorAll('#red-ui-workspace-chart g.red-ui-flow-node-group')].map((g) => {
        const r = g.getBoundingClientRect();
        return { id: g.id, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }));
      assert.equal(boxes.length, onCanvas.length, 'every node of the flow is drawn');
      for (const b of boxes) {
        assert.ok(b.left >= chart.x && b.right <= chart.x + chart.width && b.top >= chart.y && b.bottom <= chart.y + chart.height,
          `${b.id} (${Math.round(b.left)}-${Math.round(b.right)} x ${Math.round(b.top)}-${Math.round(b.bottom)}) is inside the visible canvas (${Math.round(chart.x)}-${Math.round(chart.x + chart.width)} x ${Math.round(chart.y)}-${Math.round(chart.y + chart.height)})`);
      }
      // Every wire leaves a node's right side for a node that starts further right (no wire bends back).
      const wires = await page.evaluate(() => {
        const z = RED.workspaces.active();
        const links = RED.nodes.filterLinks({}).filter((l) => l.source.z === z);
        return {
          count: links.length,
          unsized: links.filter((l) => !(l.source.w > 0 && l.target.w > 0)).length,
          backwards: links.filter((l) => l.target.x - l.target.w / 2 <= l.source.x + l.source.w / 2)
            .map((l) => `${l.source.type} ${l.source.name || ''} -> ${l.target.type} ${l.target.name || ''}`),
        };
      });
      assert.ok(wires.count >= 3 && wires.unsized === 0, JSON.stringify(wires));
      assert.deepEqual(wires.backwards, [], 'wires that run right to left');
    });
  }

  test('the editor raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
