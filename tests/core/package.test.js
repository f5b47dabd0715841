'use strict';
// The published tarball holds what Node-RED needs at run time, and nothing else.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = require(path.join(ROOT, 'package.json'));

// The .wasm budget of issue 10 (decimal, as in npm run bench): the RSA signer is RustCrypto's
// rsa crate, about 170 KB of it.
const MAX_WASM_BYTES = 500 * 1000;

function packedFiles() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [report] = JSON.parse(out);
  return new Map(report.files.map((f) => [f.path, f.size]));
}

const files = packedFiles();
const paths = [...files.keys()];

test('the tarball has no Rust sources, build files, tests or scripts', () => {
  const forbidden = paths.filter((p) => /^(src|tests|scripts|target|\.ci)\//.test(p) || /^Cargo\./.test(p));
  assert.deepEqual(forbidden, []);
});

test('the tarball has the Node build of the WebAssembly module, no larger than 500 KB', () => {
  const wasm = paths.filter((p) => p.startsWith('pkg/node/') && p.endsWith('.wasm'));
  assert.ok(wasm.length > 0, 'no pkg/node/*.wasm in the tarball: run npm run build');
  for (const p of wasm) {
    assert.ok(files.get(p) <= MAX_WASM_BYTES, `${p} is ${files.get(p)} bytes, over ${MAX_WASM_BYTES}`);
  }
  assert.ok(paths.some((p) => p.startsWith('pkg/node/') && p.endsWith('.js')), 'no pkg/node/*.js loader');
});

test('the tarball has the .js and .html of every node listed in package.json', () => {
  const nodes = Object.entries(pkg['node-red'].nodes);
  assert.ok(nodes.length > 0, 'package.json node-red.nodes is empty');
  for (const [type, js] of nodes) {
    const html = js.replace(/\.js$/, '.html');
    assert.ok(files.has(js), `${type}: ${js} is not in the tarball`);
    assert.ok(files.has(html), `${type}: ${html} is not in the tarball`);
  }
});

test('the tarball has LICENSE and README.md', () => {
  assert.ok(files.has('LICENSE'), 'LICENSE is missing');
  assert.ok(files.has('README.md'), 'README.md is missing');
});

test('package.json declares no runtime dependencies', () => {
  assert.deepEqual(Object.keys(pkg.dependencies || {}), []);
});
