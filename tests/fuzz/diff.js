#!/usr/bin/env node
// Differential fuzzer: random query API responses, documents, _bulk responses and request
// inputs, shaped like real ones and like hostile ones, through the original flow's code (the
// oracle, ../shared/tools/original-flow.js) and through ours (node-red/lib/core.js), compared
// exactly: same properties, values and key order, byte-identical NDJSON, equal convert warnings.
// The known deliberate differences (SPEC.md) are expected, not reported (tests/fuzz/lib/expect.js).
//
//   npm run fuzz:diff -- [--step convert|prepare-bulk|fused|filter-409|token-request|query]
//       [--cases N (default 100000 per step)] [--seed S] [--time-limit SECONDS (whole run)]
//       [--keep-going [--max-found K]] [--js-values] [--case I] [--oracle PATH] [--quiet]
//   --keep-going: go on after a difference, shrinking up to K distinct ones per step (default 10)
//   --js-values:  payload objects may also hold undefined and NaN (no JSON text gives them)
//   --case I:     print case I of --step for --seed, what the original and ours output, and stop
//
// On a difference it shrinks the case and prints it as a fixture line for
// tests/fixtures/oracle/<step>.json, and writes it to tests/fuzz/found/<step>-<n>.json; without
// --keep-going a step stops at its first difference. Exit status 1 when anything differs.
'use strict';
process.env.TZ = 'UTC'; // date-times without an offset are local time in the original

const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : def; };
const flag = (name) => args.includes(name);

if (flag('--help') || flag('-h')) {
  const lines = fs.readFileSync(__filename, 'utf8').split('\n').slice(1);
  console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

const oraclePath = path.resolve(opt('--oracle', path.join(repo, '..', 'shared', 'tools', 'original-flow.js')));
if (!fs.existsSync(oraclePath)) {
  console.log(`fuzz:diff skipped: the oracle ${oraclePath} is absent (it lives in ../shared/tools/original-flow.js beside the repository; pass --oracle PATH).`);
  process.exit(0);
}
const oracle = require(oraclePath);
const { STEPS, runStep, evaluate, caseOf } = require('./lib/engine');
const { encode } = require('../tools/oracle/codec');
const { loadCore } = require('./lib/ours');

const stepArg = opt('--step', 'all');
const steps = stepArg === 'all' ? STEPS : stepArg.split(',');
for (const s of steps) {
  if (!STEPS.includes(s)) { console.error(`unknown --step ${s}; one of ${STEPS.join(', ')} (or all)`); process.exit(2); }
}
const cases = Number(opt('--cases', 100000));
const seed = Number(opt('--seed', Date.now() % 1000000));
const limit = Number(opt('--time-limit', 0));
const keepGoing = flag('--keep-going');
const maxFound = Number(opt('--max-found', keepGoing ? 10 : 1));
const quiet = flag('--quiet');
const jsValues = flag('--js-values');
const only = opt('--case');
if (!Number.isInteger(cases) || cases < 1 || !Number.isFinite(seed) || !(limit >= 0)) {
  console.error('--cases needs a positive integer, --seed a number, --time-limit seconds'); process.exit(2);
}

loadCore();
if (only !== undefined) {
  if (steps.length !== 1) { console.error('--case needs one --step'); process.exit(2); }
  const kase = caseOf(oracle, steps[0], seed, Number(only), { jsValues });
  console.log(encode(kase));
  const res = evaluate(oracle, kase);
  console.log(JSON.stringify({ status: res.status, signature: res.signature, problems: res.problems, deliberate: res.deliberate, reason: res.reason }, null, 2));
  process.exit(res.status === 'diff' ? 1 : 0);
}
const started = Date.now();
const deadline = limit ? started + limit * 1000 : 0;
console.log(`fuzz:diff seed ${seed}, ${cases} cases per step, steps ${steps.join(', ')}${limit ? `, time limit ${limit}s` : ''}`);
console.log(`oracle ${path.relative(repo, oraclePath)}, ours ${path.relative(repo, require.resolve('../../node-red/lib/core.js'))}`);

const foundDir = path.join(__dirname, 'found');
const all = [];
steps.forEach((step, n) => {
  // the remaining time is shared out among the remaining steps
  const until = deadline ? Date.now() + (deadline - Date.now()) / (steps.length - n) : 0;
  const stats = runStep(oracle, step, { cases, seed, until, keepGoing, maxFound, jsValues, log: (m) => { if (!quiet || !/cases, \d+\/s/.test(m)) console.log(m); } });
  all.push(stats);
  stats.found.forEach((f, k) => {
    fs.mkdirSync(foundDir, { recursive: true });
    const file = path.join(foundDir, `${step}-${seed}-${f.case}.json`);
    fs.writeFileSync(file, JSON.stringify({ step, seed, case: f.case, signature: f.signature, problems: f.problems, fixtureFile: f.fixture.file, fixture: JSON.parse(f.fixture.line) }, null, 2) + '\n');
    console.log(`[${step}] wrote ${path.relative(repo, file)}${k === 0 ? '' : ''}`);
  });
  const rate = stats.cases / Math.max(stats.seconds, 0.001);
  console.log(`[${step}] done: ${stats.cases} cases in ${stats.seconds.toFixed(1)}s (${rate.toFixed(0)}/s), ${stats.differences} difference(s)${stats.stoppedByTime ? ' (stopped by the time limit)' : ''}`);
});

console.log('\nstep           cases  same  deliberate-shaped  skipped  differences  (distinct)');
for (const s of all) {
  const deliberate = Object.values(s.deliberate).reduce((a, b) => a + b, 0);
  console.log(`${s.step.padEnd(14)} ${String(s.cases).padStart(6)} ${String(s.same).padStart(5)} ${String(deliberate).padStart(18)} ${String(s.skipped).padStart(8)} ${String(s.differences).padStart(12)}  (${s.signatures.length})`);
}
for (const s of all) {
  const parts = [];
  if (Object.keys(s.deliberate).length) parts.push(`known deliberate differences checked: ${Object.entries(s.deliberate).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (Object.keys(s.unlisted).length) parts.push(`validation not in the known list (ours throws, the original does not): ${Object.entries(s.unlisted).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (Object.keys(s.skips).length) parts.push(`skipped: ${Object.entries(s.skips).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (s.signatures.length) parts.push(`differences: ${s.signatures.map((g) => `${g.signature}${g.tags.length ? ` [${g.tags}]` : ''} x${g.count} (first case ${g.case})`).join(', ')}`);
  if (parts.length) console.log(`  ${s.step}: ${parts.join('\n    ')}`);
}
const total = all.reduce((a, s) => a + s.differences, 0);
console.log(`\n${total === 0 ? 'no differences' : `${total} case(s) differ`} (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)}s)`);
process.exit(total === 0 ? 0 : 1);
