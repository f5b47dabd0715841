#!/usr/bin/env node
'use strict';
// `npm run demo`: the local sandbox (Entra ID, Log Analytics, Elasticsearch on 127.0.0.1) and a
// real Node-RED 4.1 with this package installed from its `npm pack` tarball and
// scripts/demo-flow.json deployed. Prints the editor URL and one bulk summary line per poll until Ctrl-C.
//
//   npm run demo                      poll every 10 s, editor on http://127.0.0.1:1880/ (or a free port)
//   npm run demo -- --once            one poll, print the bulk summary, exit 0 when created > 0
//   options: --interval <s>  --port <p>  --user-dir <dir> (default .cache/demo/user)  --fresh (reinstall)
//
// On a fresh clone it first runs `npm ci` (Node-RED is a devDependency); later runs reuse the
// installed package when the tarball has not changed.

const fs = require('node:fs');
const path = require('node:path');
const { ROOT, npm, portOr, freePort, packTarball, prepareUserDir, startNodeRed, deploy, inject, NODE_RED_4 } = require('./lib/nodered');
const { readFlow, pointAtSandbox, reportTo, pollEvery, pollInjects } = require('./lib/flow');
const { startReceiver, collectPoll, formatSummary, explainConflicts } = require('./lib/reports');

// Start-up warnings that are expected for a fresh local user directory.
const QUIET = /Projects disabled|Encrypted credentials not found|Communication server error/;
const USAGE = 'usage: npm run demo [-- --once] [--interval <seconds>] [--port <port>] [--user-dir <dir>] [--fresh]';

function parseArgs(argv) {
  const opts = { once: false, interval: 10, port: null, userDir: path.join(ROOT, '.cache', 'demo', 'user'), fresh: false };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const value = () => {
      const v = argv[(i += 1)];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--once') opts.once = true;
    else if (a === '--fresh') opts.fresh = true;
    else if (a === '--interval') opts.interval = Number(value());
    else if (a === '--port') opts.port = Number(value());
    else if (a === '--user-dir') opts.userDir = path.resolve(value());
    else if (a === '--help' || a === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!(opts.interval >= 1)) throw new Error(`--interval takes a number of seconds >= 1\n${USAGE}`);
  if (opts.port !== null && !(Number.isInteger(opts.port) && opts.port > 0 && opts.port < 65536)) throw new Error(`--port takes a TCP port\n${USAGE}`);
  return opts;
}

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const step = (text) => console.log(`[demo ${elapsed()}] ${text}`);

/** Node-RED is a devDependency: on a fresh clone, install the locked dependencies first. */
function ensureDependencies() {
  if (fs.existsSync(NODE_RED_4)) return;
  step('node_modules/node-red is missing: running `npm ci` (first run only)');
  try {
    npm(['ci', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  } catch (e) {
    step('`npm ci` failed; trying `npm install`');
    npm(['install', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  }
  if (!fs.existsSync(NODE_RED_4)) throw new Error('npm install did not install node-red; check the output above');
}

function ensureBuilt() {
  const wasm = path.join(ROOT, 'pkg', 'node', 'sentinel_elastic_wasm_bg.wasm');
  if (!fs.existsSync(wasm)) throw new Error(`${path.relative(ROOT, wasm)} is missing: run \`npm run build\` (it needs the Rust toolchain)`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cleanups = [];
  let shuttingDown = null;
  const shutdown = (code) => {
    if (!shuttingDown) {
      shuttingDown = (async () => {
        for (const fn of cleanups.reverse()) {
          try { await fn(); } catch (e) { console.error(`[demo] cleanup: ${e.message}`); }
        }
        process.exit(code);
      })();
    }
    return shuttingDown;
  };
  process.on('SIGINT', () => { console.log(''); step('stopping'); shutdown(0); });
  process.on('SIGTERM', () => shutdown(0));

  try {
    ensureDependencies();
    ensureBuilt();

    const sandbox = await require(path.join(ROOT, 'tests', 'sandbox')).start();
    cleanups.push(() => sandbox.stop());
    step(`sandbox: Entra ID ${sandbox.entra.origin}, Log Analytics ${sandbox.query.origin}, Elasticsearch ${sandbox.elastic.origin}`);

    const cacheDir = path.join(ROOT, '.cache', 'demo');
    const tarball = packTarball(cacheDir);
    if (opts.fresh) fs.rmSync(opts.userDir, { recursive: true, force: true });
    const { installed } = prepareUserDir(opts.userDir, tarball);
    step(`${installed ? 'installed' : 'already installed'} ${path.relative(ROOT, tarball)} in ${opts.userDir}`);

    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());

    const port = opts.port || (opts.once ? await freePort() : await portOr(1880));
    const logFile = path.join(cacheDir, 'node-red.log');
    const log = fs.createWriteStream(logFile);
    cleanups.push(() => new Promise((r) => log.end(r)));
    const red = await startNodeRed({
      userDir: opts.userDir,
      port,
      onLine: (line) => {
        log.write(`${line}\n`);
        if (/\[(warn|error)\]/.test(line) && !QUIET.test(line)) console.error(`[node-red] ${line}`);
      },
    });
    cleanups.push(() => red.stop());
    step(`Node-RED ${red.version} on Node ${process.versions.node} (log: ${path.relative(ROOT, logFile)})`);

    let flow = readFlow(path.join(__dirname, 'demo-flow.json'));
    const injectId = pollInjects(flow)[0].id;
    flow = reportTo(pointAtSandbox(flow, sandbox), receiver.url);
    if (!opts.once) flow = pollEvery(flow, opts.interval);
    const expected = flow.filter((n) => n.type === 'sentinel-query').length;

    if (opts.once) {
      await deploy(red.url, flow);
      step('demo flow deployed; running one poll');
      const before = new Set(sandbox.elastic.ids('logs-azure_api'));
      const poll = collectPoll(receiver.events, { expected, timeoutMs: 60000 });
      await inject(red.url, injectId);
      const result = await poll;
      for (const e of result.errors) console.error(`[demo] flow error from ${e.source ? e.source.type : 'a node'}: ${e.message}`);
      for (const o of result.others) console.error(`[demo] flow reported: ${JSON.stringify(o).slice(0, 300)}`);
      if (!result.total) {
        console.error(`[demo] no bulk summary arrived${result.timedOut ? ' within 60 s' : ''}; last Node-RED log lines:\n${red.lines.slice(-20).join('\n')}`);
        return shutdown(1);
      }
      step(`Elasticsearch holds ${sandbox.elastic.count('logs-azure_api')} documents in logs-azure_api`);
      console.log(formatSummary(result.total));
      const why = explainConflicts(result.summaries.flatMap((r) => r.conflictIds || []), before);
      if (why) console.log(why);
      return shutdown(result.total.created > 0 && result.total.failures === 0 ? 0 : 1);
    }

    // Each poll the sandbox gains a few new alerts/incidents, so later polls create some
    // documents beside the 409 conflicts for the ones already indexed.
    const ticker = setInterval(() => sandbox.tick(), opts.interval * 1000);
    cleanups.push(() => clearInterval(ticker));
    await deploy(red.url, flow);
    console.log(`\nNode-RED editor: ${red.url}\n`);
    step(`demo flow deployed; polling every ${opts.interval} s (Ctrl-C to stop)`);
    let n = 0;
    for (;;) {
      const before = new Set(sandbox.elastic.ids('logs-azure_api'));
      const result = await collectPoll(receiver.events, { expected, timeoutMs: opts.interval * 3000 });
      for (const e of result.errors) console.error(`[demo] flow error from ${e.source ? e.source.type : 'a node'}: ${e.message}`);
      for (const o of result.others) console.error(`[demo] flow reported: ${JSON.stringify(o).slice(0, 300)}`);
      if (result.total) {
        n += 1;
        step(`poll ${n}: ${formatSummary(result.total)} (Elasticsearch: ${sandbox.elastic.count('logs-azure_api')} documents)`);
        const why = explainConflicts(result.summaries.flatMap((r) => r.conflictIds || []), before);
        if (why) step(`  ${why}`);
      }
      if (red.exited()) {
        console.error(`[demo] Node-RED exited:\n${red.lines.slice(-20).join('\n')}`);
        return shutdown(1);
      }
    }
  } catch (e) {
    console.error(`[demo] ${e.message}`);
    return shutdown(1);
  }
}

main().catch((e) => {
  console.error(`[demo] ${e.message}`);
  process.exit(1);
});
