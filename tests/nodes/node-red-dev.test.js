'use strict';
// `node-red-dev validate` (the Node-RED flow library's scorecard) on the packed tarball, as the
// library would score it once published: every check passes. The flow catalogue it compares names
// with is stubbed as an empty list (tests/nodes/lib/catalogue-stub.js); it still asks the npm
// registry for node-red's current versions (P06, P07).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { test } = require('node:test');
const { ROOT, packTarball } = require('../../scripts/lib/nodered');

// Checks that cannot pass yet, each with the reason; the test fails when one starts passing, so
// that the entry goes.
const KNOWN = {
  P03: 'no "repository" or "bugs" URL in package.json: the project has no public repository yet',
};

test('node-red-dev validate passes every check on the packed tarball (catalogue stubbed as empty)', { timeout: 120000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-nrdev-'));
  try {
    const tarball = packTarball(dir);
    const pkg = path.join(dir, 'package');
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8' });
    assert.equal(untar.status, 0, untar.stderr);
    const card = path.join(dir, 'scorecard.json');
    const bin = path.join(path.dirname(require.resolve('node-red-dev/package.json', { paths: [ROOT] })), 'bin', 'run');
    const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'lib', 'catalogue-stub.js'), bin, 'validate', '-p', pkg, '-o', card],
      { cwd: ROOT, encoding: 'utf8', timeout: 100000 });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.match(out, /Complete/);
    const scorecard = JSON.parse(fs.readFileSync(card, 'utf8'));
    const checks = Object.entries(scorecard).filter(([k, v]) => /^[A-Z]\d\d$/.test(k) && v && typeof v === 'object');
    for (const id of ['P01', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03']) {
      assert.ok(scorecard[id], `the scorecard has ${id}:\n${out}`);
    }
    for (const [id, v] of checks) {
      if (KNOWN[id]) assert.equal(v.test, false, `${id} passes now: remove it from KNOWN`);
      else assert.equal(v.test, true, `${id} fails: ${JSON.stringify(v)}\n${out}`);
    }
    assert.deepEqual(scorecard.N02.nodes.sort(), ['sentinel-assertion', 'sentinel-bulk', 'sentinel-bulk-result', 'sentinel-incremental',
      'sentinel-query', 'sentinel-rows', 'sentinel-token-request'], 'examples cover every flow node');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
