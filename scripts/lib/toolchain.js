'use strict';
// Helpers shared by the build scripts: running commands, finding the pinned wasm-bindgen CLI,
// hashing directory trees. Plain Node, no dependencies.

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CARGO_HOME = process.env.CARGO_HOME || path.join(os.homedir(), '.cargo');
/** File in pkg/ recording the tool versions the build used (not shipped in the npm package). */
const BUILD_INFO = 'build-info.json';

/** Prints a section header, so that long CI logs stay readable. */
function section(title) {
  console.log(`\n=== ${title} ===`);
}

/** Runs a command with inherited stdio; throws with the command line when it fails. */
function run(cmd, args, options = {}) {
  const shown = [cmd, ...args].join(' ');
  console.log(`$ ${shown}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) {
    throw new Error(`could not start \`${cmd}\`: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`\`${shown}\` failed with exit code ${result.status ?? result.signal}`);
  }
  return result;
}

/** Runs a command and returns its stdout, or null when it cannot be started or fails. */
function capture(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) return null;
  return result.stdout;
}

/** The version of the `wasm-bindgen` crate pinned in Cargo.lock; the CLI must match it exactly. */
function lockedWasmBindgenVersion() {
  const lock = fs.readFileSync(path.join(ROOT, 'Cargo.lock'), 'utf8');
  const match = lock.match(/\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!match) {
    throw new Error('Cargo.lock has no wasm-bindgen package: run `cargo generate-lockfile` (or any cargo build) first');
  }
  return match[1];
}

/** `wasm-bindgen --version` of one binary, e.g. "0.2.130", or null when it does not run. */
function wasmBindgenVersionOf(binary) {
  const out = capture(binary, ['--version']);
  const match = out && out.match(/wasm-bindgen (\S+)/);
  return match ? match[1] : null;
}

/**
 * Returns the path of a wasm-bindgen CLI whose version equals Cargo.lock's, installing it with
 * `cargo install` into $CARGO_HOME/bin when neither PATH nor $CARGO_HOME/bin has one.
 */
function ensureWasmBindgen() {
  const wanted = lockedWasmBindgenVersion();
  const exe = process.platform === 'win32' ? 'wasm-bindgen.exe' : 'wasm-bindgen';
  const candidates = ['wasm-bindgen', path.join(CARGO_HOME, 'bin', exe)];
  const found = [];
  for (const candidate of candidates) {
    const version = wasmBindgenVersionOf(candidate);
    if (version === wanted) return candidate;
    if (version) found.push(`${candidate} is ${version}`);
  }
  console.log(`wasm-bindgen ${wanted} (the version in Cargo.lock) not found${found.length ? ` (${found.join(', ')})` : ''}; installing it (about 2 minutes)`);
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', `=${wanted}`, '--force']);
  const installed = path.join(CARGO_HOME, 'bin', exe);
  const version = wasmBindgenVersionOf(installed);
  if (version !== wanted) {
    throw new Error(`after cargo install, ${installed} reports version ${version}, expected ${wanted}`);
  }
  return installed;
}

/** The binaryen wasm-opt from node_modules (never one from PATH: Debian's v108 writes broken modules). */
function wasmOptCommand() {
  let pkgJson;
  try {
    pkgJson = require.resolve('binaryen/package.json', { paths: [ROOT] });
  } catch {
    throw new Error('the binaryen devDependency is missing: run `npm ci` (or `npm install`) first');
  }
  return [process.execPath, path.join(path.dirname(pkgJson), 'bin', 'wasm-opt')];
}

/** All files below dir, as sorted paths relative to dir with forward slashes. */
function listFiles(dir) {
  const out = [];
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out.sort();
}

/** Map of relative path -> sha256 hex for every file below dir. */
function hashTree(dir) {
  const hashes = new Map();
  for (const rel of listFiles(dir)) {
    const data = fs.readFileSync(path.join(dir, rel));
    hashes.set(rel, crypto.createHash('sha256').update(data).digest('hex'));
  }
  return hashes;
}

module.exports = {
  ROOT,
  CARGO_HOME,
  BUILD_INFO,
  section,
  run,
  capture,
  lockedWasmBindgenVersion,
  ensureWasmBindgen,
  wasmOptCommand,
  listFiles,
  hashTree,
};
