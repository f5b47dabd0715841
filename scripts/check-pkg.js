#!/usr/bin/env node
'use strict';
// npm run check:pkg: fails when the committed pkg/ or resources/wasm/ (the browser build, which
// the playground page loads) is not what `npm run build` makes from the current sources. Rebuilds
// into a temporary directory (the repository is left untouched) and compares every file's sha256
// with the committed ones. Relies on scripts/build.js being reproducible.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, BUILD_INFO, section, capture, hashTree } = require('./lib/toolchain');

// The directories the build writes (see OUTPUTS in build.js).
const BUILT = ['pkg', 'resources/wasm'];
const STALE = 'pkg/ or resources/wasm/ is stale: run npm run build and commit both';

function compare(dir, expected, actual) {
  const problems = [];
  for (const [rel, hash] of expected) {
    if (!actual.has(rel)) problems.push(`missing   ${dir}/${rel}`);
    else if (actual.get(rel) !== hash) problems.push(`differs   ${dir}/${rel}`);
  }
  for (const rel of actual.keys()) {
    if (!expected.has(rel)) problems.push(`extra     ${dir}/${rel} (not produced by the build)`);
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
  const fresh = read(path.join(tmp, 'pkg'));
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

    section(`check:pkg: comparing with ${BUILT.join('/, ')}/`);
    const problems = BUILT.flatMap((dir) => compare(dir, hashTree(path.join(tmp, dir)), hashTree(path.join(ROOT, dir))));
    if (problems.length > 0) {
      console.error(problems.map((p) => `  ${p}`).join('\n'));
      explainToolchain(tmp);
      console.error(`\n${STALE}`);
      return 1;
    }

    // The working tree matches the sources; make sure that is also what is committed.
    const status = capture('git', ['status', '--porcelain', '--', ...BUILT.map((dir) => `${dir}/`)]);
    if (status && status.trim()) {
      const message = `pkg/ and resources/wasm/ are up to date but not committed:\n${status}\ncommit them`;
      if (process.env.CI) {
        console.error(`${message}\n${STALE}`);
        return 1;
      }
      console.warn(`note: ${message}`);
    }
    const files = BUILT.reduce((n, dir) => n + hashTree(path.join(tmp, dir)).size, 0);
    console.log(`pkg/ and resources/wasm/ are up to date (${files} files match a fresh build)`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = main();
