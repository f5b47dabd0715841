'use strict';
// sentinel-bulk-result against the original "remove 409 errors" function node in one Node-RED
// runtime (node-red-node-test-helper), on the bench's two 50 MB _bulk responses as text and as a
// Buffer: wall time per message, medians of 5 alternating runs, each after gc() and a pause.
//
//   node --expose-gc tests/bench/bulk-result-nr.js
const path = require('node:path');
const helper = require('node-red-node-test-helper');
const { bulkResponse } = require('./bulk-result');
const { loadOracle } = require('./variants');

helper.init(require.resolve('node-red'));
const ROOT = path.join(__dirname, '..', '..');
const CORE = path.join(path.dirname(require.resolve('@node-red/nodes/package.json')), 'core');
const oracle = loadOracle();
if (!oracle || typeof global.gc !== 'function') {
  console.log('needs the original flow\'s code (../shared/tools/original-flow.js) and node --expose-gc');
  process.exit(0);
}
(async () => {
  await new Promise((r) => helper.startServer(r));
  const flow = [
    { id: 'br', type: 'sentinel-bulk-result', wires: [['o1']] }, { id: 'o1', type: 'helper' },
    { id: 'fn', type: 'function', func: oracle.bodies.filter409, outputs: 1, libs: [], wires: [['o2']] }, { id: 'o2', type: 'helper' },
  ];
  await helper.load([require(path.join(ROOT, 'node-red', 'sentinel-bulk-result.js')), require(path.join(CORE, 'function', '10-function.js'))], flow);
  const send = (id, out, payload) => new Promise((resolve) => { const o = helper.getNode(out); const f = (m) => { o.removeListener('input', f); helper._sandbox.resetHistory(); resolve(m); }; o.on('input', f); helper.getNode(id).receive({ payload }); });
  for (const [name, n, full] of [['1M short items', 1000000, false], ['180k full items', 180000, true]]) {
    const text = bulkResponse(n, full);
    for (const form of ['text', 'Buffer']) {
      const make = () => (form === 'text' ? text : Buffer.from(text));
      const t = { ours: [], orig: [] };
      for (let r = 0; r < 5; r++) {
        for (const [k, id, out] of [['orig', 'fn', 'o2'], ['ours', 'br', 'o1']]) {
          const p = make(); global.gc(); await new Promise((s) => setTimeout(s, 200));
          const t0 = performance.now(); const m = await send(id, out, p); t[k].push(performance.now() - t0);
          if (r === 0) t[`${k}Out`] = JSON.stringify([m.payload, m.bulkSummary, m.conflicts, m.failures]);
        }
      }
      if (t.oursOut !== t.origOut) throw new Error(`${name} (${form}): the node's message differs from the original's`);
      const med = (a) => a.sort((x, y) => x - y)[2];
      console.log(name, form, 'original', med(t.orig).toFixed(0), 'ms, sentinel-bulk-result', med(t.ours).toFixed(0), 'ms, ratio', (med(t.orig) / med(t.ours)).toFixed(2), '(same message)');
    }
  }
  await helper.unload(); helper.stopServer(() => process.exit(0));
})();
