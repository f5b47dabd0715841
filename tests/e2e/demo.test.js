'use strict';
// `npm run demo -- --once` (scripts/demo.js): sandbox + Node-RED 4.1 with the packed tarball in a
// fresh user directory, one poll, a one-line bulk summary, exit 0 only when documents were created.

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');

const ROOT = path.join(__dirname, '..', '..');

function run(args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out, err }); });
  });
}

test('npm run demo -- --once prints "created N, conflicts N, failures 0" with N > 0 and exits 0', { timeout: 90000 }, async () => {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-elastic-demo-'));
  try {
    const started = Date.now();
    const r = await run(['--once', '--user-dir', userDir], 80000);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const m = /^created (\d+), conflicts (\d+), failures (\d+)$/m.exec(r.out);
    assert.ok(m, `no summary line in the output:\n${r.out}\n${r.err}`);
    process.stdout.write(`# demo --once (fresh user directory, ${seconds} s): ${m[0]}\n`);
    assert.equal(r.code, 0, `exit ${r.code ?? r.signal}:\n${r.err}`);
    assert.ok(Number(m[1]) > 0, 'created > 0');
    assert.equal(Number(m[3]), 0, 'no failures');
    // On an empty index every conflict is a later revision of an incident of the same poll, and says so.
    if (Number(m[2]) > 0) assert.match(r.out, new RegExp(`^conflicts: ${m[2]} later revisions? of incidents written earlier in this poll`, 'm'));
    assert.match(r.out, /Node-RED 4\.1\.\d+/);
    assert.ok(fs.existsSync(path.join(userDir, 'node_modules', 'node-red-contrib-sentinel-elastic', 'package.json')), 'the tarball was installed in the user directory');
  } finally {
    fs.rmSync(userDir, { recursive: true, force: true });
  }
});

test('npm run demo rejects an unknown argument with its usage', async () => {
  const r = await run(['--bogus'], 20000);
  assert.equal(r.code, 1);
  assert.match(r.err, /unknown argument --bogus[\s\S]*usage: npm run demo/);
});
