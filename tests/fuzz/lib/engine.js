'use strict';
// The differential loop: generate a case, compute what the original outputs (expect.js), run
// ours (ours.js), compare (compare.js); on a difference, shrink it and build a fixture record in
// the format of tests/fixtures/oracle/<step>.json (see tests/tools/make-fixtures.js).
const { prng } = require('../../tools/oracle/prng');
const { encode } = require('../../tools/oracle/codec');
const { GENERATORS } = require('./generate');
const { expect, runOracle } = require('./expect');
const { ours } = require('./ours');
const { compare } = require('./compare');
const { shrink, clone } = require('./shrink');

const STEPS = ['convert', 'prepare-bulk', 'fused', 'filter-409', 'token-request', 'query'];

// The seed of case i of a step: each case can be regenerated on its own.
function caseSeed(seed, step, i) {
  let h = (Number(seed) >>> 0) ^ 0x9e3779b9;
  for (const ch of step) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h + Math.imul(i + 1, 0x85ebca6b)) >>> 0;
}

// Tags that tell differences apart: JS-only values (no JSON text gives them) in a payload object.
function tagsOf(kase) {
  const tags = new Set();
  const walk = (v, depth) => {
    if (v === undefined) tags.add('undefined');
    else if (typeof v === 'number' && Number.isNaN(v)) tags.add('NaN');
    else if (typeof v === 'number' && !Number.isFinite(v)) tags.add('Infinity');
    else if (v && typeof v === 'object' && !Buffer.isBuffer(v) && depth < 12) for (const k of Object.keys(v)) walk(v[k], depth + 1);
  };
  const p = kase.input.payload;
  if (p && typeof p === 'object' && !Buffer.isBuffer(p)) walk(p, 0);
  if (typeof p === 'string' && /1e400/.test(p)) tags.add('Infinity');
  const h = kase.input.elastic && kase.input.elastic.host;
  if (typeof h === 'string' && !/^[a-z]+:\/\//.test(h)) tags.add(/^[A-Za-z]+:\/\//.test(h) ? 'host-scheme-case' : 'host-without-scheme');
  return [...tags].sort();
}

// The tags that tell one difference from another: odd hosts, and JS-only values when asked for.
const keyTags = (kase, opts) => tagsOf(kase).filter((t) => t.startsWith('host-') || (opts.jsValues && (t === 'undefined' || t === 'NaN')));

function evaluate(oracle, kase) {
  const exp = expect(oracle, kase);
  if (exp.skip) return { status: 'skipped', reason: exp.skip };
  const actual = ours(kase);
  const diff = compare(exp.alts, actual);
  if (diff) return { status: 'diff', ...diff, deliberate: exp.deliberate, actual };
  return { status: 'same', deliberate: exp.deliberate, unlisted: exp.unlisted };
}

const FIXTURE_FILE = { convert: 'convert', 'prepare-bulk': 'prepare-bulk', fused: 'prepare-bulk', 'filter-409': 'filter-409', 'token-request': 'token-request' };

// A record for tests/fixtures/oracle/<file>.json, as make-fixtures.js writes them.
function fixtureOf(oracle, kase, res, name) {
  const file = kase.step === 'query' ? (kase.table === 'SecurityIncident' ? 'query-incidents' : 'query-alerts') : FIXTURE_FILE[kase.step];
  const oracleStep = kase.step === 'fused' ? 'prepare-bulk' : file;
  const input = clone(kase.input);
  const rec = { name, now: kase.now, input, output: runOracle(oracle, oracleStep, clone(kase.input), kase.now) };
  if (res.deliberate && res.deliberate.length) {
    rec.deliberate = `fuzz: ${res.deliberate.join('; ')} (SPEC.md 'Deliberate improvements' / 'Errors and bad input'); expected = the original on the corrected input`;
    const e = res.expected;
    if (e.throws) rec.expected = { throws: true };
    else {
      const w = e.warnings;
      const warnings = w.extra.length ? [...w.exact.map((t) => ({ includes: [t] })), ...w.extra] : w.exact;
      rec.expected = e.none ? { none: true, warnings } : { parts: e.parts, warnings };
    }
  }
  return { file: `tests/fixtures/oracle/${file}.json`, record: rec, line: encode(rec) };
}

// Runs one step. opts: {cases, seed, until (ms timestamp), keepGoing, maxFound, log, shrinkMs}.
function runStep(oracle, step, opts) {
  const gen = GENERATORS[step];
  const stats = { step, cases: 0, same: 0, skipped: 0, differences: 0, deliberate: {}, unlisted: {}, skips: {}, found: [] };
  const seen = new Map();
  const log = opts.log || (() => {});
  const started = Date.now();
  let lastReport = started;
  for (let i = 0; i < opts.cases; i++) {
    if (opts.until && Date.now() >= opts.until) { stats.stoppedByTime = true; break; }
    const r = prng(caseSeed(opts.seed, step, i));
    const kase = gen(r, oracle, opts);
    const res = evaluate(oracle, kase);
    stats.cases++;
    if (res.status === 'skipped') { stats.skipped++; stats.skips[res.reason] = (stats.skips[res.reason] || 0) + 1; }
    if (res.status === 'same') {
      stats.same++;
      for (const d of res.deliberate) stats.deliberate[d] = (stats.deliberate[d] || 0) + 1;
      for (const d of res.unlisted) stats.unlisted[d] = (stats.unlisted[d] || 0) + 1;
    }
    if (res.status === 'diff') {
      stats.differences++;
      const key = `${res.signature}|${keyTags(kase, opts).join(',')}`;
      if (seen.has(key)) { seen.get(key).count++; } else {
        const entry = { signature: res.signature, tags: tagsOf(kase), count: 1, case: i };
        seen.set(key, entry);
        if (stats.found.length < (opts.maxFound || 1)) {
          log(`[${step}] difference at case ${i} (${res.signature}${entry.tags.length ? ` with ${entry.tags}` : ''}): ${res.problems[0].slice(0, 300)}\n[${step}] shrinking...`);
          const tags = keyTags(kase, opts).join(',');
          const stillFails = (cand) => {
            const x = evaluate(oracle, cand);
            return x.status === 'diff' && x.signature === res.signature && keyTags(cand, opts).join(',') === tags;
          };
          const { kase: small, tries } = shrink(kase, stillFails, { ms: opts.shrinkMs || 30000 });
          const sres = evaluate(oracle, small);
          const fx = fixtureOf(oracle, small, sres.status === 'diff' ? sres : res, `fuzz ${step} seed ${opts.seed} case ${i}: ${res.signature}`);
          entry.minimized = small;
          entry.problems = sres.status === 'diff' ? sres.problems : res.problems;
          entry.fixture = fx;
          entry.tries = tries;
          stats.found.push(entry);
          log(`[${step}] minimized in ${tries} tries: ${entry.problems.join('; ').slice(0, 600)}\n` +
            `[${step}] fixture for ${fx.file}:\n${fx.line}`);
        }
        if (!opts.keepGoing) break;
      }
    }
    const now = Date.now();
    if (now - lastReport >= (opts.progressMs || 5000)) {
      lastReport = now;
      const rate = stats.cases / ((now - started) / 1000);
      log(`[${step}] ${stats.cases}/${opts.cases} cases, ${rate.toFixed(0)}/s, ${stats.differences} difference(s)`);
    }
  }
  stats.seconds = (Date.now() - started) / 1000;
  stats.signatures = [...seen.values()];
  return stats;
}

// Regenerates case i of a step (for --case).
function caseOf(oracle, step, seed, i, opts = {}) {
  return GENERATORS[step](prng(caseSeed(seed, step, i)), oracle, opts);
}

module.exports = { STEPS, runStep, evaluate, caseSeed, caseOf, fixtureOf, tagsOf };
