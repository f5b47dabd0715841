#!/usr/bin/env node
// Regenerates tests/fixtures/oracle/<step>.json: input messages and what the original flow's
// function nodes output for each (recorded with ../shared/tools/original-flow.js, the oracle).
// Only this script needs ../shared; the fidelity test reads the committed corpus.
//
//   node tests/tools/make-fixtures.js [--oracle PATH]
//
// Each file is an array of cases:
//   {name, now, seed?, input, output: {msg, errors, warnings, thrown}, deliberate?, expected?}
// with undefined / Buffer / non-finite numbers marked as in oracle/codec.js. A case marked
// `deliberate` is one where we differ from the original on purpose (the reason cites SPEC.md);
// `expected` then holds our documented outcome: {throws}, {none, warnings?} or
// {parts, warnings} where each expected warning is {includes: [text...]}. In the case files,
// `correct(input)` gives the expected outcome as the original's on a corrected input.
'use strict';
process.env.TZ = 'UTC'; // date-times without an offset are local time in the original

const fs = require('fs');
const path = require('path');
const { encode, decode } = require('./oracle/codec');
const { prng } = require('./oracle/prng');
const { outcomeOf } = require('./oracle/parts');
const convertCases = require('./oracle/convert-cases');
const bulkCases = require('./oracle/bulk-cases');
const bulkResultCases = require('./oracle/bulk-result-cases');
const requestCases = require('./oracle/request-cases');

const repo = path.resolve(__dirname, '..', '..');
const outDir = path.join(repo, 'tests', 'fixtures', 'oracle');

function loadOracle() {
  const i = process.argv.indexOf('--oracle');
  const file = i > 0 ? path.resolve(process.argv[i + 1]) : path.resolve(repo, '..', 'shared', 'tools', 'original-flow.js');
  if (!fs.existsSync(file)) {
    console.error(`make-fixtures: the oracle ${file} is missing.\n` +
      'It lives in ../shared beside the repository (shared/tools/original-flow.js); check it out there or pass --oracle PATH.\n' +
      'The committed fixtures in tests/fixtures/oracle/ stay valid without it.');
    process.exit(2);
  }
  return require(file);
}

const oracle = loadOracle();

// Runs the oracle on a fresh copy of the stored input, so the record matches the file exactly.
// dateMap: values that `new Date(value)` should read as another time (for the fallback cases).
function runOracle(step, input, now, seed, dateMap) {
  const msg = decode(encode(input));
  const RealDate = global.Date;
  if (dateMap) {
    const mapped = dateMap(msg);
    global.Date = class extends RealDate {
      constructor(...a) { if (a.length === 1 && mapped.has(a[0])) super(mapped.get(a[0])); else super(...a); }
    };
  }
  try {
    return oracle.run(step, msg, { now, seed });
  } finally {
    global.Date = RealDate;
  }
}

const valid = (v) => !Number.isNaN(new Date(v).getTime());

// Our documented outcome for a deliberate case, built from the original run on a corrected input.
function expectedFor(step, kase) {
  const e = kase.expected;
  if (!e || e.throws || e.none) return e;
  const warnings = e.warnings;
  const input = decode(encode(kase.input));
  let out;
  if (e.parseText) {
    const p = input.payload;
    input.payload = JSON.parse(Buffer.isBuffer(p) ? p.toString('utf8') : p);
    out = runOracle(step, input, kase.now);
  } else if (e.dropRows) {
    input.payload.tables[0].rows = input.payload.tables[0].rows.filter((_, i) => !e.dropRows.includes(i));
    out = runOracle(step, input, kase.now);
  } else if (e.dropDocs) {
    input.payload = input.payload.filter((_, i) => !e.dropDocs.includes(i));
    out = runOracle(step, input, kase.now);
  } else if (e.chain) {
    const p = input.payload;
    input.payload = typeof p === 'string' || Buffer.isBuffer(p) ? JSON.parse(p.toString('utf8')) : p;
    const rows = runOracle('convert', input, kase.now);
    out = runOracle(step, rows.msg, kase.now);
  } else if (e.correct) {
    e.correct(input);
    out = runOracle(step, input, kase.now);
  } else if (e.endTimeFallback) {
    out = runOracle(step, input, kase.now, undefined, (msg) => {
      const m = new Map();
      for (const i of e.endTimeFallback) {
        const doc = msg.payload[i];
        m.set(doc.EndTime, valid(doc.TimeGenerated) && doc.TimeGenerated ? new Date(doc.TimeGenerated).getTime() : Date.parse(kase.now));
      }
      return m;
    });
  } else {
    throw new Error(`case ${kase.name}: unknown expected ${JSON.stringify(e)}`);
  }
  const outcome = outcomeOf(step, out);
  if (outcome.throws) throw new Error(`case ${kase.name}: the corrected input still fails in the original: ${out.thrown || out.errors}`);
  return warnings ? { ...outcome, warnings } : outcome;
}

function record(step, cases) {
  const seen = new Set();
  return cases.map((kase) => {
    if (seen.has(kase.name)) throw new Error(`duplicate case name ${kase.name}`);
    seen.add(kase.name);
    const output = runOracle(step, kase.input, kase.now, kase.seed);
    const rec = { name: kase.name, now: kase.now };
    if (kase.seed !== undefined) rec.seed = kase.seed;
    rec.input = kase.input;
    rec.output = output;
    if (kase.deliberate) {
      rec.deliberate = kase.deliberate;
      rec.expected = expectedFor(step, kase);
    }
    return rec;
  });
}

function write(step, records) {
  const text = '[\n' + records.map((r) => encode(r)).join(',\n') + '\n]\n';
  const file = path.join(outDir, `${step}.json`);
  fs.writeFileSync(file, text);
  const deliberate = records.filter((r) => r.deliberate).length;
  console.log(`${path.relative(repo, file)}: ${records.length} cases (${deliberate} deliberate), ${(text.length / 1024).toFixed(0)} KiB`);
}

function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const r = prng(20251119);

  const convert = record('convert', [...convertCases.handPicked(), ...convertCases.generated(r, 180)]);
  write('convert', convert);

  // Documents for prepare-bulk: what the original convert step made of the generated responses.
  const docs = convert.filter((c) => c.name.startsWith('generated') && Array.isArray(c.output.msg && c.output.msg.payload))
    .map((c) => decode(encode(c.output.msg.payload)));
  write('prepare-bulk', record('prepare-bulk', [...bulkCases.handPicked(), ...bulkCases.generated(r, 150, docs)]));
  write('filter-409', record('filter-409', [...bulkResultCases.handPicked(), ...bulkResultCases.generated(r, 180)]));
  write('token-request', record('token-request', requestCases.tokenCases(r)));
  const queries = requestCases.queryCases(r);
  write('query-alerts', record('query-alerts', queries));
  write('query-incidents', record('query-incidents', queries));
  write('create-jwt', record('create-jwt', requestCases.jwtCases()));
}

main();
