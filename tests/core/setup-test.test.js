'use strict';
// scripts/setup-test.js (npm test's `pretest`): Chromium is installed only when asked to (CI=true or
// SETUP_INSTALL_SYSTEM=1), announced with what and why before it runs; otherwise a missing
// Chromium stops the set-up with the exact command to run. Machine facts are given, so every case
// runs here whatever this machine has.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { chromiumPlan } = require('../../scripts/setup-test');

const machine = (over = {}) => ({ env: {}, exists: () => false, playwrightPath: null, root: false, sudo: true, apt: true, ...over });

test('a Chromium already there is used, whatever the environment says', () => {
  assert.deepEqual(chromiumPlan(machine({ exists: (p) => p === '/usr/bin/chromium' })), { action: 'use', path: '/usr/bin/chromium' });
  assert.deepEqual(chromiumPlan(machine({ env: { CHROMIUM_PATH: '/opt/c/chrome' }, exists: (p) => p === '/opt/c/chrome' })), { action: 'use', path: '/opt/c/chrome' });
  const pw = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome';
  assert.deepEqual(chromiumPlan(machine({ playwrightPath: pw, exists: (p) => p === pw })), { action: 'use', path: pw });
});

test('outside CI and without SETUP_INSTALL_SYSTEM, nothing is installed: the set-up fails with the command to run', () => {
  for (const env of [{}, { CI: 'false' }, { SETUP_INSTALL_SYSTEM: '0' }]) {
    const plan = chromiumPlan(machine({ env }));
    assert.equal(plan.action, 'fail', JSON.stringify(env));
    assert.match(plan.message, /Chromium was not found/);
    assert.match(plan.message, /sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium/);
    assert.match(plan.message, /SETUP_INSTALL_SYSTEM=1 npm test/);
    assert.match(plan.message, /CHROMIUM_PATH/);
  }
  const noApt = chromiumPlan(machine({ apt: false, sudo: false }));
  assert.equal(noApt.action, 'fail');
  assert.match(noApt.message, /npx playwright-core install chromium/);
});

test('with CI=true or SETUP_INSTALL_SYSTEM=1 it installs, saying what and why first', () => {
  const ci = chromiumPlan(machine({ env: { CI: 'true' } }));
  assert.equal(ci.action, 'apt');
  assert.equal(ci.command, 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium');
  assert.match(ci.announce, /^CI is set: installing Debian's chromium package because the editor tests .* headless Chromium\. Running: sudo apt-get update/);
  const root = chromiumPlan(machine({ env: { SETUP_INSTALL_SYSTEM: '1' }, root: true, sudo: false }));
  assert.equal(root.action, 'apt');
  assert.equal(root.command, 'apt-get update && apt-get install -y --no-install-recommends chromium');
  assert.match(root.announce, /^SETUP_INSTALL_SYSTEM is set/);
  const user = chromiumPlan(machine({ env: { CI: '1' }, sudo: false }));
  assert.equal(user.action, 'playwright');
  assert.match(user.announce, /no root or password-less sudo.*about 170 MB.*Running: npx playwright-core install chromium/);
});
