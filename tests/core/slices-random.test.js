'use strict';
// The sliced functions the nodes use (core.rowsAsync, core.bulkAsync) against the one-call
// ones (which the fidelity corpus and fuzzer check against the original) on the fuzzer's random
// responses and documents, realistic and hostile: the same rows, NDJSON, warnings and errors.
const { describe, it } = require('node:test');
const assert = require('node:assert');
const core = require('../../node-red/lib/core');
const { prng } = require('../tools/oracle/prng');
const { decode, encode, keyOrderDiff } = require('../tools/oracle/codec');
const { GENERATORS } = require('../fuzz/lib/generate');

// prepare-bulk's generator borrows realistic rows from the oracle when it has one.
const NO_ORACLE = { run: () => ({ msg: null }) };
const CASES = 1500;

async function outcome(fn) {
  try {
    return { value: await fn() };
  } catch (err) {
    assert.ok(err instanceof Error && err.message, 'errors are Errors with a message');
    return { error: true };
  }
}

function same(a, b, label) {
  assert.strictEqual(Boolean(a.error), Boolean(b.error), `${label}: one threw, the other did not`);
  if (a.error) return;
  assert.strictEqual(encode(b.value), encode(a.value), label);
  const d = keyOrderDiff(decode(encode(a.value)), b.value, 'result');
  assert.ok(!d, `${label}: key order ${d}`);
}

describe('sliced and one-call results agree on random input', () => {
  for (const step of ['convert', 'fused', 'prepare-bulk']) {
    it(`should agree on ${CASES} random ${step} cases`, async () => {
      for (let i = 0; i < CASES; i++) {
        const kase = GENERATORS[step](prng(20251119 + i), NO_ORACLE, {});
        const msg = decode(encode(kase.input));
        const label = `${step} case ${i}`;
        if (step === 'convert') {
          same(await outcome(() => core.rows(msg.payload)), await outcome(() => core.rowsAsync(msg.payload)), label);
        } else {
          const o = { tenantName: msg.oauth && msg.oauth.tenantName, host: msg.elastic && msg.elastic.host, apiKey: msg.elastic && msg.elastic.apiKey, now: Date.parse(kase.now) };
          same(await outcome(() => core.bulk(msg.payload, o)), await outcome(() => core.bulkAsync(msg.payload, o)), label);
        }
      }
    });
  }
});
