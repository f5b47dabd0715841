'use strict';
// One end-to-end stack: the sandbox, a fresh Node-RED user directory under os.tmpdir() with this
// package installed from its `npm pack` tarball, a real Node-RED bound to 127.0.0.1, and a receiver
// for the reports of the deployed flow. Everything is torn down by stop(), also after a failure.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, packTarball, prepareUserDir, startNodeRed } = require('../../../scripts/lib/nodered');
const { startReceiver } = require('../../../scripts/lib/reports');
const sandboxApi = require('../../sandbox');

let packed = null;
/** The tarball of this repository, packed once per test process into a temporary directory. */
function tarball() {
  if (!packed) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-pack-'));
    packed = { dir, file: packTarball(dir) };
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return packed.file;
}

/**
 * Starts the stack for `runtime` ({node, redJs}; see runtimes.js). Returns
 * {sandbox, receiver, red, userDir, stop()}; on a failure part-way, stops what it started and throws.
 */
async function startStack(runtime, { sandboxOptions = {} } = {}) {
  const cleanups = [];
  const stop = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try { await fn(); } catch { /* keep cleaning */ }
    }
  };
  try {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-nr-'));
    cleanups.push(() => fs.rmSync(userDir, { recursive: true, force: true }));
    prepareUserDir(userDir, tarball());
    const sandbox = await sandboxApi.start(sandboxOptions);
    cleanups.push(() => sandbox.stop());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const red = await startNodeRed({ node: runtime.node, redJs: runtime.redJs, userDir });
    cleanups.push(() => red.stop());
    return { sandbox, receiver, red, userDir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

module.exports = { startStack, tarball, ROOT };
