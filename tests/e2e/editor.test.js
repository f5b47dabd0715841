'use strict';
// What a person sees after installing the packed tarball and importing the example flow through
// the editor's Import dialog, checked in headless Chromium: the flow nodes in the palette's
// "sentinel" category, the two configuration nodes in the Configuration nodes sidebar, every
// node's edit dialog with its settings (labels translated), and its help in the help sidebar.
// Screenshots go to a directory under os.tmpdir(), printed at the end.
//
// Needs Chromium (default /usr/bin/chromium: `apt-get install -y chromium`; or set CHROMIUM_PATH)
// and playwright-core (a devDependency).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { describe, before, after, test } = require('node:test');
const { EXAMPLES, readFlow } = require('../../scripts/lib/flow');
const { startStack } = require('./lib/stack');
const { nodeRed4 } = require('./lib/runtimes');
const { TYPES } = require('./lib/runtime-suite');

const { CHROMIUM } = require('./lib/chromium');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const CONFIG_TYPES = ['sentinel-tenant', 'sentinel-elastic'];
const FLOW_TYPES = TYPES.filter((t) => !CONFIG_TYPES.includes(t));
const NODE_DIR = path.join(__dirname, '..', '..', 'node-red');

/** The ids of the settings fields a node's edit template declares (node-input-* / node-config-input-*). */
function templateFields(type) {
  const html = fs.readFileSync(path.join(NODE_DIR, `${type}.html`), 'utf8');
  const template = html.slice(html.indexOf('data-template-name'), html.indexOf('</script>', html.indexOf('data-template-name')));
  return [...template.matchAll(/<(?:input|select|textarea)[^>]*\sid="(node-(?:config-)?input-[^"]+)"/g)].map((m) => m[1]);
}

describe('editor: the example flow imported in headless Chromium', { timeout: 150000 }, () => {
  let stack;
  let browser;
  let page;
  let failed = false;
  const shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-editor-'));
  const shots = [];
  const shot = async (name) => {
    const file = path.join(shotDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  };
  const check = (title, fn) => test(title, async (t) => {
    try { await fn(t); } catch (e) {
      failed = true;
      if (page) await shot('failure').catch(() => {});
      throw e;
    }
  });
  const pageErrors = [];
  const example = readFlow(path.join(EXAMPLES, 'sentinel-to-elastic.json'));
  const incremental = readFlow(path.join(EXAMPLES, 'sentinel-to-elastic-incremental.json'));
  const idOf = (type) => (example.find((n) => n.type === type) || incremental.find((n) => n.type === type)).id;

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
    }
    const { chromium } = require('playwright-core');
    stack = await startStack(nodeRed4());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1800, height: 1000 } });
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(stack.red.url);
    await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.getType && RED.nodes.getType('sentinel-bulk-result'), null, { timeout: 30000 });
    await page.locator('.red-ui-palette-node[data-palette-type="sentinel-assertion"]').waitFor({ timeout: 30000 });
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (stack) {
      if (failed) process.stdout.write(`# last Node-RED log lines:\n${stack.red.lines.slice(-15).map((l) => `#   ${l}`).join('\n')}\n`);
      await stack.stop();
    }
    process.stdout.write(`# editor screenshots (${shots.length}) in ${shotDir}:\n${shots.map((f) => `#   ${f}`).join('\n')}\n`);
  });

  check('the palette shows the flow nodes under the "sentinel" category', async () => {
    const header = page.locator('#red-ui-palette-container-sentinel .red-ui-palette-header');
    await header.waitFor({ state: 'visible' });
    assert.match((await header.innerText()).trim(), /^sentinel$/i);
    const inCategory = await page.$$eval('#red-ui-palette-base-category-sentinel .red-ui-palette-node',
      (els) => els.map((e) => ({ type: e.getAttribute('data-palette-type'), label: e.innerText.trim() })));
    assert.deepEqual(inCategory.map((n) => n.type).sort(), [...FLOW_TYPES].sort());
    for (const n of inCategory) assert.ok(n.label.length > 0, `palette entry ${n.type} has a label`);
    for (const t of FLOW_TYPES) await page.locator(`.red-ui-palette-node[data-palette-type="${t}"]`).waitFor({ state: 'visible' });
    // Configuration nodes never show in the palette; they are registered with the editor.
    const registered = await page.evaluate((types) => types.map((t) => { const d = RED.nodes.getType(t); return d ? d.category : null; }), CONFIG_TYPES);
    assert.deepEqual(registered, ['config', 'config']);
    await header.scrollIntoViewIfNeeded();
    await shot('palette-sentinel-category');
  });

  check('Import (menu > Import, paste the JSON) puts the example flow on its own tab', async () => {
    await page.evaluate(() => RED.actions.invoke('core:show-import-dialog'));
    const text = page.locator('#red-ui-clipboard-dialog-import-text');
    await text.waitFor({ state: 'visible' });
    await text.fill(fs.readFileSync(path.join(EXAMPLES, 'sentinel-to-elastic.json'), 'utf8'));
    await text.press('End'); // the dialog validates the text on keyup
    await page.locator('#red-ui-clipboard-dialog-ok:not([disabled])').click();
    await page.locator('#red-ui-clipboard-dialog').waitFor({ state: 'hidden' });
    const tab = page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: 'Sentinel to Elastic' });
    await tab.waitFor({ state: 'visible' });
    await tab.click();
    // every node of the example is on the canvas (flow nodes) or in the configuration list
    const missing = await page.evaluate((ids) => ids.filter((id) => !RED.nodes.node(id) && !RED.nodes.workspace(id)), example.map((n) => n.id));
    assert.deepEqual(missing, []);
    for (const t of FLOW_TYPES.filter((x) => example.some((n) => n.type === x))) {
      await page.locator(`g.red-ui-flow-node-group[id="${idOf(t)}"]`).waitFor({ state: 'attached' });
    }
    await page.mouse.click(900, 900); // drop any selection
    await page.locator('#red-ui-palette-container-sentinel').scrollIntoViewIfNeeded();
    await shot('imported-flow');
    // the "Imported: 1 flow, 17 nodes" notification would cover the edit dialogs' headers
    // (a click closes it, as for a person)
    for (const n of await page.locator('.red-ui-notification').all()) await n.click().catch(() => {});
    await page.locator('.red-ui-notification').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  });

  check('Import puts the incremental example on a tab of its own, its config nodes beside the others', async () => {
    await page.evaluate(() => RED.actions.invoke('core:show-import-dialog'));
    const text = page.locator('#red-ui-clipboard-dialog-import-text');
    await text.waitFor({ state: 'visible' });
    await text.fill(fs.readFileSync(path.join(EXAMPLES, 'sentinel-to-elastic-incremental.json'), 'utf8'));
    await text.press('End');
    await page.locator('#red-ui-clipboard-dialog-ok:not([disabled])').click();
    await page.locator('#red-ui-clipboard-dialog').waitFor({ state: 'hidden' });
    const tab = page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: 'Sentinel to Elastic (incremental)' });
    await tab.waitFor({ state: 'visible' });
    await tab.click();
    await page.locator(`g.red-ui-flow-node-group[id="${idOf('sentinel-incremental')}"]`).waitFor({ state: 'attached' });
    const missing = await page.evaluate((ids) => ids.filter((id) => !RED.nodes.node(id) && !RED.nodes.workspace(id)), incremental.map((n) => n.id));
    assert.deepEqual(missing, []);
    await page.mouse.click(900, 900);
    await shot('imported-incremental-flow');
    for (const n of await page.locator('.red-ui-notification').all()) await n.click().catch(() => {});
    await page.locator('.red-ui-notification').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  });

  const configEntry = (type) => page.locator('#red-ui-sidebar-content .red-ui-palette-node-config')
    .filter({ has: page.locator('.red-ui-palette-label', { hasText: example.find((n) => n.type === type).name }) }).first();

  check('the Configuration nodes sidebar lists the tenant and Elasticsearch nodes', async () => {
    await page.evaluate(() => RED.sidebar.show('config'));
    const panel = page.locator('#red-ui-sidebar-content');
    const headings = await panel.locator('li.red-ui-palette-node-config-type').allInnerTexts();
    for (const t of CONFIG_TYPES) {
      assert.ok(headings.map((h) => h.trim()).includes(t), `the config sidebar has a ${t} section (saw ${JSON.stringify(headings)})`);
      await configEntry(t).waitFor({ state: 'visible' });
    }
    await shot('config-nodes-sidebar');
  });

  for (const type of TYPES) {
    check(`${type}: the edit dialog shows its settings, and the help sidebar its help`, async () => {
      const id = idOf(type);
      if (CONFIG_TYPES.includes(type)) {
        // a double click on its entry in the Configuration nodes sidebar
        await page.evaluate(() => RED.sidebar.show('config'));
        await configEntry(type).dblclick();
      } else {
        // a double click on the node on the canvas, as a person opens it
        await page.evaluate((i) => RED.view.reveal(i), id);
        await page.waitForTimeout(400);
        await page.locator(`g.red-ui-flow-node-group[id="${id}"] rect.red-ui-flow-node`).dblclick();
      }
      const tray = page.locator('.red-ui-tray').last();
      await tray.locator('.red-ui-tray-body .form-row').first().waitFor({ state: 'visible' });
      await page.waitForTimeout(300); // the tray slides in

      // every settings field of the template is in the dialog, with a translated label
      const fields = templateFields(type);
      assert.ok(fields.length > 0, `${type}.html declares settings fields`);
      for (const f of fields) assert.equal(await tray.locator(`[id="${f}"]`).count(), 1, `${type}: field ${f} is in the edit dialog`);
      const labels = await tray.locator('.red-ui-tray-body .form-row label').evaluateAll((els) => els.filter((e) => e.offsetParent !== null).map((e) => e.innerText.trim()));
      assert.ok(labels.filter(Boolean).length >= 1, `${type}: the dialog shows labelled settings`);
      const raw = labels.filter((l) => /^(sentinel-[a-z-]+|node-red:common)\.[a-z.-]+$/i.test(l));
      assert.deepEqual(raw, [], `${type}: labels are translated (the message catalog loaded)`);

      // the help button in the dialog's footer opens the node's help in the sidebar
      await tray.locator('.red-ui-tray-footer-left button:has(i.fa-book)').click();
      const help = page.locator('#red-ui-sidebar-content .red-ui-help').filter({ visible: true }).first();
      await help.waitFor({ state: 'visible' });
      const label = await page.evaluate((t) => {
        const d = RED.nodes.getType(t);
        const l = typeof d.paletteLabel === 'function' ? d.paletteLabel.call(d) : d.paletteLabel;
        return l || t;
      }, type);
      const titled = await page.waitForFunction((l) => {
        const title = document.querySelector('#red-ui-sidebar-content .red-ui-help-title');
        return title && title.offsetParent !== null && title.textContent.trim() === l;
      }, label, { timeout: 5000 }).then(() => true, () => false);
      const title = (await page.locator('#red-ui-sidebar-content .red-ui-help-title').first().innerText()).trim();
      assert.ok(titled, `${type}: the help sidebar shows the help of "${label}" (its title is ${JSON.stringify(title)})`);
      const headings = (await help.locator('h3').allInnerTexts()).map((h) => h.trim());
      const expected = CONFIG_TYPES.includes(type) ? ['Details'] : ['Inputs', 'Outputs', 'Details'];
      for (const h of expected) assert.ok(headings.includes(h), `${type}: help shows "${h}" (saw ${JSON.stringify(headings)}, title ${JSON.stringify(title)})`);
      const helpText = await help.innerText();
      assert.ok(helpText.length > 200, `${type}: the help has text`);
      await shot(`edit-${type}`);

      await tray.locator('#node-dialog-cancel, #node-config-dialog-cancel').first().click();
      await tray.waitFor({ state: 'detached' }).catch(() => {});
      await page.waitForTimeout(200);
    });
  }

  check('the editor raised no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
