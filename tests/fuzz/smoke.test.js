'use strict';
// A short run of the differential fuzzer (tests/fuzz/diff.js): 300 cases per step with a fixed
// seed, through the original flow's code and through node-red/lib/core.js, must not differ.
// Skips when the oracle (../shared/tools/original-flow.js) is absent.
process.env.TZ = 'UTC'; // date-times without an offset are local time in the original

const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');

const oraclePath = path.resolve(__dirname, '..', '..', '..', 'shared', 'tools', 'original-flow.js');
const haveOracle = fs.existsSync(oraclePath);
const skip = haveOracle ? false : `the oracle ${oraclePath} is absent (../shared beside the repository)`;

const CASES = 300;
const SEED = 20251119;

describe('differential fuzzing against the original flow (smoke)', () => {
  if (!haveOracle) console.log(`# fuzz smoke skipped: ${skip}`);
  const { STEPS, runStep } = haveOracle ? require('./lib/engine') : { STEPS: [] };
  const oracle = haveOracle ? require(oraclePath) : null;
  for (const step of haveOracle ? STEPS : ['all steps']) {
    it(`${step}: ${CASES} cases (seed ${SEED}) match`, { skip }, () => {
      const stats = runStep(oracle, step, { cases: CASES, seed: SEED, maxFound: 1, shrinkMs: 10000 });
      const found = stats.found[0];
      assert.strictEqual(stats.differences, 0, found
        ? `${stats.differences} of ${CASES} cases differ, first at case ${found.case} (${found.signature}): ${found.problems.join('; ')}\n` +
          `minimized fixture for ${found.fixture.file}:\n${found.fixture.line}\n` +
          `reproduce: node tests/fuzz/diff.js --step ${step} --seed ${SEED} --case ${found.case}`
        : `${stats.differences} cases differ`);
      assert.strictEqual(stats.cases, CASES);
    });
  }
});
