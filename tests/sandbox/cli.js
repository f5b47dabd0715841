#!/usr/bin/env node
'use strict';
// Starts the sandbox from the command line and prints where it listens as one line of JSON.
//   node tests/sandbox/cli.js [--alerts N] [--incidents N] [--seed S] [--tick-ms MS]
//                             [--entra-port P] [--query-port P] [--arm-port P] [--elastic-port P] [--api-key KEY]
//                             [--visibility-delay-ms MS] [--latency-ms MS] [--out-of-order P]
//                             [--max-rows N] [--max-bytes N] [--max-body-bytes N]
// Stops on SIGINT / SIGTERM. The default tenant signs with tests/sandbox/fixtures/tenant.key.pem.
const path = require('node:path');
const { start, FIXTURES } = require('./index');

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unknown argument ${argv[i]}`);
    out[m[1]] = m[2] !== undefined ? m[2] : argv[(i += 1)];
  }
  return out;
}

async function main() {
  const a = args(process.argv.slice(2));
  const num = (k) => (a[k] === undefined ? undefined : Number(a[k]));
  const sandbox = await start({
    alerts: num('alerts'), incidents: num('incidents'), seed: a.seed,
    apiKey: a['api-key'],
    visibilityDelayMs: num('visibility-delay-ms'), latencyMs: num('latency-ms'), outOfOrder: num('out-of-order'),
    maxRows: num('max-rows'), maxBytes: num('max-bytes'), maxBodyBytes: num('max-body-bytes'),
    ports: { entra: num('entra-port'), query: num('query-port'), arm: num('arm-port'), elastic: num('elastic-port') },
  });
  const info = sandbox.describe();
  info.tenants.forEach((t) => { t.privateKeyPath = path.join(FIXTURES, 'tenant.key.pem'); t.certificatePath = path.join(FIXTURES, 'tenant.cert.pem'); });
  process.stdout.write(`${JSON.stringify(info)}\n`);
  let timer = null;
  if (num('tick-ms') > 0) timer = setInterval(() => sandbox.tick(), num('tick-ms'));
  const stop = async () => { if (timer) clearInterval(timer); await sandbox.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => { process.stderr.write(`sandbox: ${e.message}\n`); process.exit(1); });
