'use strict';
// Every case the differential fuzzer found (tests/fuzz/found/*.json, written by diff.js) replayed
// through the comparison the fuzzer uses (lib/engine.js evaluate: the original flow's code and
// node-red/lib/core.js, the known deliberate differences expected): a difference fixed once stays
// fixed. Skips when the oracle (../shared/tools/original-flow.js) is absent.
process.env.TZ = 'UTC'; // date-times without an offset are local time in the original

const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { decode } = require('../tools/oracle/codec');

const oraclePath = path.resolve(__dirname, '..', '..', '..', 'shared', 'tools', 'original-flow.js');
const haveOracle = fs.existsSync(oraclePath);
const skip = haveOracle ? false : `the oracle ${oraclePath} is absent (../shared beside the repository)`;

const FOUND = path.join(__dirname, 'found');

// Found cases the fuzzer now skips on purpose, with the reason it must keep giving (expect.js).
const SKIPPED = {
  'prepare-bulk-7-1337.json': /an _id object with its own toString/,
};

// Found cases that still differ, each with the reason: replayed as todo until fixed.
const TODO = {};

// A found record ({step, fixtureFile, fixture: {now, input}}) as the case the generators make.
function caseOf(record) {
  const kase = { step: record.step, now: record.fixture.now, input: decode(JSON.stringify(record.fixture.input)) };
  if (record.step === 'query') kase.table = /incidents/.test(record.fixtureFile) ? 'SecurityIncident' : 'SecurityAlert';
  return kase;
}

function replay(kase) {
  const { evaluate } = require('./lib/engine');
  return evaluate(require(oraclePath), kase);
}

const reproduce = (res) => `${res.signature}: ${(res.problems || []).join('; ')}`;

describe('cases the differential fuzzer found, replayed', () => {
  const files = fs.readdirSync(FOUND).filter((f) => f.endsWith('.json')).sort();

  it('has found cases to replay', () => {
    assert.ok(files.length > 0, `no *.json in ${FOUND}`);
  });

  for (const file of files) {
    it(file, { skip, todo: TODO[file] }, () => {
      const res = replay(caseOf(JSON.parse(fs.readFileSync(path.join(FOUND, file), 'utf8'))));
      if (SKIPPED[file]) {
        assert.strictEqual(res.status, 'skipped', `expected the fuzzer to skip it (${SKIPPED[file]}), got ${res.status}`);
        assert.match(res.reason, SKIPPED[file]);
      } else {
        assert.strictEqual(res.status, 'same', res.status === 'diff' ? reproduce(res) : `${res.status}: ${res.reason}`);
      }
    });
  }

  // NaN exists in a message object (a function node can put it there) but in no JSON text. The
  // original's `if (doc.SystemAlertId)` is false for NaN, so it writes no _id (ours once read NaN
  // as Infinity and wrote `"_id":"Infinity"`).
  it('prepare-bulk: a NaN SystemAlertId gives no _id, as in the original', { skip }, () => {
    const res = replay({
      step: 'prepare-bulk',
      now: '2025-11-19T12:00:00.000Z',
      input: { payload: [{ SystemAlertId: NaN, a: 1 }], elastic: { host: 'http://s', apiKey: 'k' } },
    });
    assert.strictEqual(res.status, 'same', res.status === 'diff' ? reproduce(res) : res.status);
  });
});
