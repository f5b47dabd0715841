'use strict';
// The Sentinel REST API example in the editor, in headless Chromium: imported through the Import
// dialog, its sentinel-incremental node's dialog shows the REST API settings (API version, alerts,
// entities, comments, ECS) and hides the Log Analytics ones (tables, _id, latest alerts), switching
// the source switches them, and the settings are what the example holds. Screenshots go to a
// directory under os.tmpdir(), printed at the end.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { EXAMPLES, readFlow } = require('../../scripts/lib/flow');
const { startStack } = require('./lib/stack');
const { nodeRed4 } = require('./lib/runtimes');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const FILE = path.join(EXAMPLES, 'sentinel-incidents-rest-api.json');

describe('editor: the Sentinel REST API example in headless Chromium', { timeout: 150000 }, () => {
  let stack;
  let browser;
  let page;
  const pageErrors = [];
  const shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-editor-rest-'));
  const shots = [];
  const shot = async (name) => {
    const file = path.join(shotDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  };
  const flow = readFlow(FILE);
  const node = flow.find((n) => n.type === 'sentinel-incremental');

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    const { chromium } = require('playwright-core');
    stack = await startStack(nodeRed4());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(stack.red.url);
    await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.getType && RED.nodes.getType('sentinel-incremental'), null, { timeout: 30000 });
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (stack) await stack.stop();
    process.stdout.write(`# editor screenshots (${shots.length}) in ${shotDir}:\n${shots.map((f) => `#   ${f}`).join('\n')}\n`);
  });

  test('imports the example; the node dialog shows the REST API settings and switches with the source', async () => {
    await page.evaluate(() => RED.actions.invoke('core:show-import-dialog'));
    const text = page.locator('#red-ui-clipboard-dialog-import-text');
    await text.waitFor({ state: 'visible' });
    await text.fill(fs.readFileSync(FILE, 'utf8'));
    await text.press('End');
    await page.locator('#red-ui-clipboard-dialog-ok:not([disabled])').click();
    await page.locator('#red-ui-clipboard-dialog').waitFor({ state: 'hidden' });
    const tab = page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: 'Sentinel incidents (REST API)' });
    await tab.waitFor({ state: 'visible' });
    await tab.click();
    const missing = await page.evaluate((ids) => ids.filter((id) => !RED.nodes.node(id) && !RED.nodes.workspace(id)), flow.map((n) => n.id));
    assert.deepEqual(missing, []);
    for (const n of await page.locator('.red-ui-notification').all()) await n.click().catch(() => {});
    await page.mouse.click(900, 900);
    await shot('imported-rest-flow');

    await page.evaluate((i) => RED.view.reveal(i), node.id);
    await page.waitForTimeout(400);
    await page.locator(`g.red-ui-flow-node-group[id="${node.id}"] rect.red-ui-flow-node`).dblclick();
    const tray = page.locator('.red-ui-tray').last();
    await tray.locator('#node-input-source').waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    const visible = (id) => tray.locator(`#${id}`).isVisible();
    assert.equal(await tray.locator('#node-input-source').inputValue(), 'rest');
    assert.equal(await tray.locator('#node-input-apiVersion').inputValue(), '2025-09-01');
    assert.equal(await tray.locator('#node-input-restAlerts').isChecked(), true);
    assert.equal(await tray.locator('#node-input-ecs').isChecked(), false);
    for (const id of ['node-input-apiVersion', 'node-input-restAlerts', 'node-input-restEntities', 'node-input-restComments', 'node-input-ecs', 'node-input-lookback', 'node-input-lag', 'node-input-latestIncidents']) {
      assert.equal(await visible(id), true, `${id} shown for the REST API source`);
    }
    for (const id of ['node-input-alerts', 'node-input-ids', 'node-input-latestAlerts']) assert.equal(await visible(id), false, `${id} hidden for the REST API source`);
    const labels = await tray.locator('.red-ui-tray-body .form-row label').evaluateAll((els) => els.filter((e) => e.offsetParent !== null).map((e) => e.innerText.trim()));
    assert.deepEqual(labels.filter((l) => /^sentinel-incremental\./.test(l)), [], 'labels are translated');
    assert.ok(labels.includes('API version') && labels.some((l) => /alerts/.test(l)), JSON.stringify(labels));
    await shot('edit-incremental-rest');

    assert.equal(await tray.locator('#node-input-latestIncidents').inputValue(), 'sentinel-incidents-api-latest', 'the REST source\'s own latest index');
    await tray.locator('#node-input-source').selectOption('loganalytics');
    await page.waitForTimeout(200);
    assert.equal(await tray.locator('#node-input-latestIncidents').inputValue(), 'sentinel-incidents-latest', 'the default follows the source');
    for (const id of ['node-input-alerts', 'node-input-ids', 'node-input-latestAlerts', 'node-input-ecs']) assert.equal(await visible(id), true, `${id} shown for Log Analytics`);
    for (const id of ['node-input-apiVersion', 'node-input-restAlerts']) assert.equal(await visible(id), false, `${id} hidden for Log Analytics`);
    await shot('edit-incremental-loganalytics');
    await tray.locator('#node-dialog-cancel').click();
    await tray.waitFor({ state: 'detached' }).catch(() => {});
    assert.equal(await page.evaluate((i) => RED.nodes.node(i).source, node.id), 'rest', 'cancel keeps the setting');
    assert.deepEqual(pageErrors, []);
  });
});
