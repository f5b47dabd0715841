#!/usr/bin/env node
'use strict';
// npm run check:pkg: fails when the committed pkg/ is not what `npm run build` makes from the
// current sources. Rebuilds into a temporary directory (pkg/ is left untouched) and compares
// every file's sha256 with pkg/. Relies on scripts/build.js being reproducible.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, BUILD_INFO, section, capture, hashTree } = require('./lib/toolchain');

const STALE = 'pkg/ is stale: run npm run build and commit pkg/';

function compare(expected, actual) {
  const problems = [];
  for (const [rel, hash] of expected) {
    if (!actual.has(rel)) problems.push(`missing   pkg/${rel}`);
    else if (actual.get(rel) !== hash) problems.push(`differs   pkg/${rel}`);
  }
  for (const rel of actual.keys()) {
    if (!expected.has(rel)) problems.push(`extra     pkg/${rel} (not produced by the build)`);
  }
  return problems;
}

/** When the tool versions differ, say so: then the sources may be fine and the tools are not. */
function explainToolchain(tmp) {
  const read = (dir) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, BUILD_INFO), 'utf8'));
    } catch {
      return null;
    }
  };
  const committed = read(path.join(ROOT, 'pkg'));
  const fresh = read(tmp);
  if (!committed || !fresh) return;
  for (const key of ['rustc', 'wasmBindgen', 'binaryen', 'wasmOpt']) {
    if (committed[key] !== fresh[key]) {
      console.error(`  note: pkg/ was built with ${key} "${committed[key]}", this machine has "${fresh[key]}"; ` +
        'the bytes depend on it (pin the Rust toolchain with rust-toolchain.toml)');
    }
  }
}

function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-pkg-'));
  try {
    section('check:pkg: rebuilding into a temporary directory');
    const build = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--out-dir', tmp], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      console.error('\ncheck:pkg: the build failed, so pkg/ could not be checked');
      return 1;
    }

    section('check:pkg: comparing with pkg/');
    const problems = compare(hashTree(tmp), hashTree(path.join(ROOT, 'pkg')));
    if (problems.length > 0) {
      console.error(problems.map((p) => `  ${p}`).join('\n'));
      explainToolchain(tmp);
      console.error(`\n${STALE}`);
      return 1;
    }

    // The working tree matches the sources; make sure that is also what is committed.
    const status = capture('git', ['status', '--porcelain', '--', 'pkg/']);
    if (status && status.trim()) {
      const message = `pkg/ is up to date but not committed:\n${status}\ncommit pkg/`;
      if (process.env.CI) {
        console.error(`${message}\n${STALE}`);
        return 1;
      }
      console.warn(`note: ${message}`);
    }
    console.log(`pkg/ is up to date (${hashTree(tmp).size} files match a fresh build)`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = main();
