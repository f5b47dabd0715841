#!/usr/bin/env node
'use strict';
// Runs node's built-in test runner over the *.test.js files of tests/core (the facade, the
// module and the libraries under node-red/lib), tests/nodes (the Node-RED node specs),
// tests/bench (the benchmark smoke test), tests/e2e (real Node-RED) and tests/fuzz.
// Node 20's `node --test` does not expand globs itself, and a shell glob that matches nothing
// would be passed through literally, so the files are listed here. Extra arguments are passed to
// node (e.g. `npm run test:node -- --test-name-pattern=bulk`).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, section } = require('./lib/toolchain');

const DIRS = ['tests/core', 'tests/nodes', 'tests/bench', 'tests/e2e', 'tests/fuzz'];

const files = DIRS.flatMap((dir) => {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => `${dir}/${name}`);
});

section(`node --test (${files.length} files in ${DIRS.join(', ')})`);
if (files.length === 0) {
  console.error(`no *.test.js files found in ${DIRS.join(' or ')}`);
  process.exit(1);
}

// The spec reporter ends with the totals (tests, pass, fail, ...) and repeats the failures.
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', ...process.argv.slice(2), ...files],
  { cwd: ROOT, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
