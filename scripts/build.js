#!/usr/bin/env node
'use strict';
// npm run build: Rust crate -> pkg/node (CommonJS, for the Node-RED runtime) and resources/wasm
// (ES module, for the browser: the playground page and the editor's preview load it from there,
// as Node-RED serves a package's resources/ folder), both optimised with binaryen's wasm-opt.
// The browser build is written where the page loads it, so there is no second copy to drift.
//
//   node scripts/build.js [--out-dir DIR]     (default DIR: <repo>; writes DIR/pkg/node,
//                                              DIR/pkg/build-info.json, DIR/resources/wasm)
//
// The output is byte-for-byte reproducible: it does not depend on the clone's directory or on
// $CARGO_HOME (paths are remapped and then checked for), only on Cargo.lock, package-lock.json
// and the Rust toolchain. scripts/check-pkg.js relies on this.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const {
  ROOT, CARGO_HOME, BUILD_INFO, section, run, capture, lockedWasmBindgenVersion, ensureWasmBindgen, wasmOptCommand, listFiles,
} = require('./lib/toolchain');

const TARGET = 'wasm32-unknown-unknown';

// The word size of crypto-bigint (the rsa crate's arithmetic). On wasm32 it picks 64-bit limbs
// unless told otherwise; with 32-bit limbs (the override the `cpubits` crate documents) an RS256
// signature takes 8.9 ms instead of 11.8 ms in Node 20 and the .wasm is 6 KB smaller. A fixed
// flag like the path remapping, so the build stays reproducible.
const CPUBITS = ['--cfg', 'cpubits="32"'];

// WebAssembly SIMD (fixed-width, 128-bit), which Node 16.4+ and every current browser (Chrome
// 91, Firefox 89, Safari 16.4) support: with it LLVM writes the module's copies, fills and
// some loops in 16-byte steps, and the .wasm is 11.9 KB smaller at the same speed (A/B, CPU time
// of alternating runs: core.bulkAsync and core.rows on 10k alerts and 10k incidents, and RS256
// signing, each within 1-3%). The room it leaves keeps the module under its 500 KB budget.
const SIMD = ['-C', 'target-feature=+simd128'];

// wasm-opt for size: measured on 45 MB of alerts and 29 MB of incidents (core.bulk, core.rows),
// -Oz runs as fast as -O3 (V8 optimises the code again) and keeps the module 8-12 KB smaller,
// which holds it under the 500 KB budget (Cargo.toml's opt-level 2 is the other half).
// --low-memory-unused: addresses below 1 KB are never reached through pointer arithmetic that
// wraps around, so `load(p + k)` becomes `load offset=k (p)` (4 KB smaller, no slower). True of
// this module: Rust's stack comes first in memory (8 MB, growing down from the data at 8 MB),
// and Rust never wraps a pointer; only a stack about to overflow would touch that kilobyte.
const WASM_OPT_LEVEL = ['-Oz', '--low-memory-unused'];

// WebAssembly features that rustc's wasm32-unknown-unknown target enables by default, and SIMD
// (see above), which wasm-bindgen's output therefore contains. wasm-opt must be told, or it
// rejects the module (bulk memory, non-trapping float-to-int) or strips what it cannot see. Node 20 and every
// current Chromium support all of them. Not `-all`: that would let wasm-opt emit GC, strings
// or other proposals that Node 20 cannot load.
const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-call-indirect-overlong',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-multivalue',
  '--enable-reference-types',
  // Enabled by SIMD above (not by default).
  '--enable-simd',
];

/** (output directory relative to DIR, wasm-bindgen --target) for each output. */
const OUTPUTS = [
  ['pkg/node', 'nodejs'],
  ['resources/wasm', 'web'],
];

function parseArgs(argv) {
  const args = { outDir: ROOT };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir' && argv[i + 1]) args.outDir = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: node scripts/build.js [--out-dir DIR]`);
  }
  return args;
}

/** Prefixes to hide from the binary, most specific last (rustc applies the last match). */
function remappedPrefixes() {
  const pairs = [];
  const add = (from, to) => {
    for (const p of new Set([from, safeRealpath(from)])) if (p) pairs.push([p, to]);
  };
  add(CARGO_HOME, '/cargo');
  add(ROOT, '/src');
  return pairs.sort((a, b) => a[0].length - b[0].length);
}

function safeRealpath(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/** cargo build; returns the path of the cdylib .wasm it produced. */
function cargoBuild() {
  const rustflags = [
    ...remappedPrefixes().map(([from, to]) => `--remap-path-prefix=${from}=${to}`),
    ...CPUBITS,
    ...SIMD,
  ];
  const env = {
    ...process.env,
    CARGO_ENCODED_RUSTFLAGS: rustflags.join('\x1f'),
    // wasm-bindgen reads the `target_features` section to know which Wasm features the module
    // uses; `strip = true` would remove it. wasm-opt --strip-debug strips names afterwards.
    CARGO_PROFILE_RELEASE_STRIP: 'none',
  };
  delete env.RUSTFLAGS;
  const args = ['build', '--release', '--target', TARGET, '--lib', '--message-format=json-render-diagnostics'];
  if (process.env.CI) args.push('--locked');
  console.log(`$ cargo ${args.join(' ')}   (rustflags: ${rustflags.join(' ')})`);
  const result = spawnSync('cargo', args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`could not start cargo: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`cargo build failed (exit code ${result.status}); see the errors above`);
  let wasm = null;
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line);
    if (message.reason === 'compiler-artifact' && message.target.kind.includes('cdylib')) {
      wasm = message.filenames.find((f) => f.endsWith('.wasm')) || wasm;
    }
  }
  if (!wasm) throw new Error('cargo build produced no .wasm file: Cargo.toml [lib] crate-type must include "cdylib"');
  return wasm;
}

/** Fails when an absolute path of this machine ended up in the output. */
function assertNoLocalPaths(dir) {
  const needles = [ROOT, safeRealpath(ROOT), CARGO_HOME, os.homedir()]
    .filter((p) => p && p !== '/')
    .map((p) => `${p.replace(/\/+$/, '')}/`);
  for (const rel of listFiles(dir)) {
    const data = fs.readFileSync(path.join(dir, rel));
    for (const needle of needles) {
      if (data.includes(needle)) {
        throw new Error(`${rel} contains the local path ${needle}: the build would not be reproducible (check --remap-path-prefix in scripts/build.js)`);
      }
    }
  }
}

/** A path relative to the repository when inside it, else absolute. */
function shown(p) {
  const rel = path.relative(ROOT, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function main() {
  const { outDir } = parseArgs(process.argv.slice(2));
  const started = Date.now();

  section('wasm-bindgen CLI');
  const wasmBindgen = ensureWasmBindgen();
  console.log(`using ${wasmBindgen} (matches Cargo.lock)`);
  const wasmOpt = wasmOptCommand();

  section(`cargo build (${TARGET}, release)`);
  const wasm = cargoBuild();
  console.log(`built ${shown(wasm)} (${kib(fs.statSync(wasm).size)})`);

  // wasm-bindgen usually writes the same .wasm for both targets (only the JS glue differs);
  // wasm-opt is deterministic and takes a few seconds, so identical inputs are optimised once.
  const optimised = new Map();
  for (const [dir, target] of OUTPUTS) {
    section(`wasm-bindgen --target ${target} -> ${shown(path.join(outDir, dir))}`);
    const out = path.join(outDir, dir);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    run(wasmBindgen, ['--target', target, '--no-typescript', '--out-dir', out, wasm]);
    for (const file of listFiles(out).filter((f) => f.endsWith('.wasm'))) {
      const full = path.join(out, file);
      const key = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
      if (optimised.has(key)) {
        console.log(`wasm-opt: ${file} is identical to an input already optimised; reusing the result`);
        fs.writeFileSync(full, optimised.get(key));
        continue;
      }
      run(wasmOpt[0], [wasmOpt[1], ...WASM_OPT_LEVEL, ...WASM_FEATURES, '--strip-debug', '--strip-producers', full, '-o', full]);
      optimised.set(key, fs.readFileSync(full));
    }
  }
  // The toolchain decides the bytes; recording it lets check:pkg explain a mismatch.
  const info = {
    note: 'written by scripts/build.js; pkg/ is reproducible from the sources with exactly these tools',
    rustc: (capture('rustc', ['--version']) || '').trim(),
    wasmBindgen: lockedWasmBindgenVersion(),
    binaryen: require(require.resolve('binaryen/package.json', { paths: [ROOT] })).version,
    wasmOpt: [...WASM_OPT_LEVEL, ...WASM_FEATURES, '--strip-debug', '--strip-producers'].join(' '),
  };
  fs.writeFileSync(path.join(outDir, 'pkg', BUILD_INFO), `${JSON.stringify(info, null, 2)}\n`);
  for (const [dir] of OUTPUTS) assertNoLocalPaths(path.join(outDir, dir));

  section('result');
  console.log(`toolchain: ${info.rustc}, wasm-bindgen ${info.wasmBindgen}, binaryen ${info.binaryen}`);
  for (const [dir] of OUTPUTS) {
    for (const file of listFiles(path.join(outDir, dir))) {
      const full = path.join(outDir, dir, file);
      console.log(`${shown(full).padEnd(48)} ${kib(fs.statSync(full).size).padStart(10)}`);
    }
  }
  console.log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (err) {
  console.error(`\nbuild failed: ${err.message}`);
  process.exit(1);
}
