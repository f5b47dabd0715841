#!/usr/bin/env node
'use strict';
// `npm run bench`: the throughput, latency, memory, load-time and signing figures of the issue,
// measured against the original flow's code, in one process with alternating runs (memory
// figures in a fresh child process per variant). `--quick` (or BENCH_QUICK=1) is the smoke run:
// small inputs, few iterations. The exit code is non-zero only when an output is wrong or a
// measurement could not be made, never because a speed target is missed. See README.md.

require('./wasm-memory'); // before anything loads pkg/node

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { spawnSync } = require('node:child_process');
const stats = require('./stats');
const inputs = require('./inputs');
const { createVariants, inputFor, ORACLE } = require('./variants');
const { checkInput, sha256 } = require('./check');
const { benchSigning } = require('./signing');
const { benchBulkResult } = require('./bulk-result');
const probe = require('./wasm-memory');

const ROOT = path.join(__dirname, '..', '..');
const WASM = path.join(ROOT, 'pkg', 'node', 'sentinel_elastic_wasm_bg.wasm');
const QUICK = process.argv.includes('--quick') || /^(1|true|yes)$/i.test(process.env.BENCH_QUICK || '');
// `--only fused-nr,original-nr`: time these variants alone (the baseline always runs: it is the
// reference of the correctness check), on the timed inputs only (no children). For profiling.
const ONLY = (() => {
    const i = process.argv.indexOf('--only');
    return i > 0 && process.argv[i + 1] ? ['baseline', ...process.argv[i + 1].split(',')] : undefined;
})();

const CONFIG = QUICK
    ? { rounds: () => 2, leak: { rows: 200, warm: 5, count: 20 }, loads: 3, signatures: 20, bulkShapes: [{ name: 'short items', items: 2000, full: false }, { name: 'full items', items: 400, full: true }], bulkRounds: 2 }
    : { rounds: (rows) => (rows <= 1000 ? 10 : rows <= 10000 ? 5 : 3), leak: { rows: 200, warm: 50, count: 1000 }, loads: 7, signatures: 200, bulkShapes: [{ name: 'short items', items: 1000000, full: false }, { name: 'full items', items: 180000, full: true }], bulkRounds: 5 };

const TARGETS = {
    fused: 8, // × the original flow's throughput in Node-RED, text in
    fusedBuffer: 10, // the same, Buffer in
    chain: 1, // × the original function nodes', parsed object in (aim: 2)
    chainAim: 2,
    incremental: 1, // × the fused path's MB/s
    memory: 3, // × the response size
    blockMs: 250,
    loadMs: 50,
    wasmBytes: 500e3,
    // Signing is RustCrypto's rsa (slower than OpenSSL, about 9 ms), once per token lifetime: an
    // absolute bound, not a ratio to node:crypto.
    signingMs: 20,
    bulkResult: 1, // × the original "remove 409 errors" function's speed (CPU time), every form of input
};

const problems = []; // correctness failures and measurements that could not be made
const print = (s = '') => process.stdout.write(`${s}\n`);
const section = (title) => print(`\n== ${title} ${'='.repeat(Math.max(0, 92 - title.length))}`);

// A child measurement; retried once, since pkg/ may be being rebuilt at that moment.
function child(args) {
    for (let attempt = 1; attempt <= 2; attempt += 1) {
        const r = spawnSync(process.execPath, [path.join(__dirname, 'child.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
        const line = (r.stdout || '').trim().split('\n').pop();
        if (r.status === 0 && line) return JSON.parse(line);
        if (attempt === 2) {
            problems.push(`child ${args.join(' ')} failed: ${(r.stderr || '').trim().split('\n').slice(0, 3).join(' | ')}`);
            return null;
        }
        spawnSync(process.execPath, ['-e', 'setTimeout(() => {}, 3000)']);
    }
    return null;
}

function header(oracle) {
    const build = (() => { try { return JSON.parse(fs.readFileSync(path.join(ROOT, 'pkg', 'build-info.json'), 'utf8')); } catch (e) { return {}; } })();
    const cpu = os.cpus();
    print(`sentinel-elastic benchmark (${QUICK ? 'quick smoke run' : 'full run'})`);
    print(`node ${process.version}, ${cpu.length} x ${cpu[0] ? cpu[0].model.trim() : 'unknown CPU'}, ${Math.round(os.totalmem() / 1e9)} GB, ${os.platform()} ${os.release()}`);
    print(`pkg/node built with ${build.rustc || 'rustc ?'}, wasm-bindgen ${build.wasmBindgen || '?'}, binaryen ${build.binaryen || '?'}`);
    print(`original code: ${oracle ? path.relative(ROOT, ORACLE) : `absent (${path.relative(ROOT, ORACLE)} not found): the plain-JS baseline stands in for it`}`);
    print('input to every variant: the query API response as text (a string), as an http request node set to');
    print('"a UTF-8 string" hands it over (the original chain therefore includes JSON.parse); the *-buf variants get the');
    print('raw Buffer ("a binary buffer"), the *-obj variants the parsed object ("a parsed JSON object").');
    print(`clock fixed at ${inputs.NOW} for the correctness checks; seed ${inputs.SEED}; 1 MB = 1,000,000 bytes.`);
}

async function correctness(timed, variants) {
    section('correctness: NDJSON byte for byte, before any timing');
    for (const input of timed) {
        const { results, sha256: digest } = await checkInput(input, inputs.NOW_MS, variants);
        const bad = results.filter((r) => !r.ok);
        if (bad.length === 0) {
            const own = results.filter((r) => r.own).map((r) => r.id);
            print(`${input.name.padEnd(22)} all ${results.length - own.length} variants identical to the baseline and to the original (sha256 ${digest.slice(0, 16)}...)${own.length ? `; ${own.join(', ')}: one document per row` : ''}`);
        } else {
            for (const r of bad) {
                problems.push(`${input.name}: ${r.id} output differs: ${r.note}`);
                print(`${input.name.padEnd(22)} ${r.id}: DIFFERS: ${r.note}`);
            }
        }
    }
}

async function throughput(timed, variants) {
    const byInput = [];
    const monitor = stats.loopMonitor();
    const small = timed[0];
    for (let i = 0; i < 2; i += 1) for (const v of variants) await v.run(inputFor(v, small)); // warm-up
    for (const input of timed) {
        const rounds = CONFIG.rounds(input.rows);
        section(`throughput: ${input.name} rows, ${stats.fmt(stats.mb(input.bytes))} MB response, ${rounds} alternating rounds`);
        const samples = Object.fromEntries(variants.map((v) => [v.id, []]));
        const blocks = Object.fromEntries(variants.map((v) => [v.id, 0]));
        for (let r = 0; r < rounds; r += 1) {
            const order = variants.map((_, i) => variants[(i + r) % variants.length]);
            for (const v of order) {
                let arg = inputFor(v, input);
                stats.gc();
                await stats.settle();
                monitor.start();
                const t0 = stats.now();
                await v.run(arg);
                const ms = stats.now() - t0;
                arg = null;
                await stats.settle();
                blocks[v.id] = Math.max(blocks[v.id], monitor.stop());
                samples[v.id].push(ms);
            }
        }
        const rows = variants.map((v) => {
            const p50 = stats.percentile(samples[v.id], 50);
            return { id: v.id, label: v.label, p50, p99: stats.percentile(samples[v.id], 99), mbps: stats.mb(input.bytes) / (p50 / 1000), block: blocks[v.id] };
        });
        const ref = (id) => (rows.find((r) => r.id === id) || {}).mbps;
        const base = ref('baseline');
        const orig = ref('original');
        // The original flow in Node-RED given the same form of input (object or text).
        const nr = (r) => ref(variants.find((v) => v.id === r.id).object ? 'original-obj-nr' : 'original-nr');
        print(stats.table([
            ['variant', 'MB/s', 'x baseline', 'x original', 'x original-nr', 'p50 ms', 'p99 ms', 'longest block ms'],
            ...rows.map((r) => [r.label, stats.fmt(r.mbps), stats.fmt(r.mbps / base, 2), orig ? stats.fmt(r.mbps / orig, 2) : '-',
                nr(r) ? stats.fmt(r.mbps / nr(r), 2) : '-', stats.fmtMs(r.p50), stats.fmtMs(r.p99), stats.fmtMs(r.block)]),
        ]));
        print(`WebAssembly memory after this input: ${stats.fmtMB(probe.wasmBytes())}; this process's peak RSS so far: ${stats.fmtMB(process.resourceUsage().maxRSS * 1024)}`);
        byInput.push({ input, rows });
    }
    print('\nMB/s = response bytes / p50 time; p99 is nearest-rank over the rounds (with few rounds, the slowest run).');
    print('x original-nr: against the original flow in Node-RED given the same form of input (parsed object: the two');
    print('function nodes alone; text or Buffer: the json node first).');
    print('Longest block: the longest time a 1 ms timer could not run during one message.');
    return byInput;
}

function bigResponse(big, variants) {
    section(`memory and event-loop block: ${big.name}, ${stats.fmt(stats.mb(big.bytes))} MB response, a fresh process per variant`);
    const text = fs.readFileSync(big.file, 'utf8');
    const baseline = variants.find((v) => v.id === 'baseline');
    const expected = sha256(baseline.run({ text }, inputs.NOW_MS));
    const ids = ['baseline', 'original', 'original-nr', 'original-obj-nr', 'chain-nr', 'chain-obj-nr', 'fused', 'fused-buf', 'fused-nr', 'fused-buf-nr']
        .filter((id) => variants.some((v) => v.id === id));
    const results = [];
    for (const id of ids) {
        const r = child(['run', id, big.file]);
        if (!r) continue;
        if (r.sha256 !== expected) problems.push(`${big.name}: ${id} output differs from the baseline (sha256)`);
        results.push({ ...r, label: variants.find((v) => v.id === id).label, ok: r.sha256 === expected });
    }
    print(stats.table([
        ['variant', 'time ms', 'longest block ms', 'RSS before', 'peak RSS', 'growth', 'growth / size', 'wasm memory', 'output'],
        ...results.map((r) => [r.label, stats.fmtMs(r.ms), stats.fmtMs(r.blockMs), stats.fmtMB(r.rssBefore), stats.fmtMB(r.rssPeak),
            stats.fmtMB(r.rssPeak - r.rssBefore), `${stats.fmt((r.rssPeak - r.rssBefore) / r.bytes, 2)}x`,
            r.wasmAfter === null ? '-' : stats.fmtMB(r.wasmAfter), r.ok ? 'same' : 'DIFFERS']),
    ]));
    print('RSS before: after loading the response (as text; as a Buffer or a parsed object for the variants given one)');
    print('and a warm-up on a small one.');
    print('Peak RSS: the kernel high-water mark (VmHWM, reset before the run) and a 1 ms RSS sampler in a worker thread.');
    print('wasm memory: the WebAssembly linear memory after the run (it never shrinks).');
    return results;
}

function leakCheck() {
    const { rows, warm, count } = CONFIG.leak;
    section(`WebAssembly memory growth: ${warm} warm-up messages, then ${count} more of the same size (fresh process)`);
    const results = [];
    for (const id of ['fused', 'chain-core']) {
        const r = child(['leak', id, String(rows), String(warm), String(count)]);
        if (r) results.push(r);
    }
    print(stats.table([
        ['variant', 'message', 'after warm-up', `after ${count} more`, 'change', 'seconds'],
        ...results.map((r) => [r.id, `${r.rows} rows, ${stats.fmt(stats.mb(r.bytes), 2)} MB`, stats.fmtMB(r.before), stats.fmtMB(r.after), `${r.after - r.before} bytes`, stats.fmt(r.seconds, 1)]),
    ]));
    print(`Messages of ${rows} SecurityAlert rows keep this check fast; the 56 MB run above shows the peak size.`);
    return results;
}

function moduleLoad() {
    section('module load and size');
    const times = [];
    for (let i = 0; i < CONFIG.loads; i += 1) {
        const r = child(['load']);
        if (r) times.push(r.ms);
    }
    const wasm = fs.readFileSync(WASM);
    const gz = zlib.gzipSync(wasm, { level: 9 }).length;
    const load = { median: stats.percentile(times, 50), min: Math.min(...times), max: Math.max(...times), runs: times.length, bytes: wasm.length, gz };
    print(`require('pkg/node') in a fresh process: median ${stats.fmtMs(load.median)} ms (min ${stats.fmtMs(load.min)}, max ${stats.fmtMs(load.max)}, ${load.runs} processes)`);
    print(`pkg/node/sentinel_elastic_wasm_bg.wasm: ${wasm.length.toLocaleString('en-US')} bytes (${stats.fmt(wasm.length / 1e3)} KB), ${stats.fmt(gz / 1e3)} KB gzipped`);
    return load;
}

async function bulkResult() {
    section('sentinel-bulk-result: _bulk responses given as text, Buffer and object, alternating with the original (CPU ms, medians)');
    const r = await benchBulkResult({ shapes: CONFIG.bulkShapes, rounds: CONFIG.bulkRounds });
    for (const p of r.problems) problems.push(p);
    if (!r.rows) {
        print('(the original flow\'s code was not found: nothing to compare with)');
        return [];
    }
    print(stats.table([
        ['response', 'input', 'MB', 'package CPU ms', 'original CPU ms', 'x original (CPU)', 'package wall ms', 'original wall ms'],
        ...r.rows.map((x) => [`${x.items.toLocaleString('en-US')} ${x.shape}`, x.form, stats.fmt(stats.mb(x.bytes)), stats.fmtMs(x.package.cpu), stats.fmtMs(x.original.cpu), stats.fmt(x.original.cpu / x.package.cpu, 2),
            stats.fmtMs(x.package.wall), stats.fmtMs(x.original.wall)]),
    ]));
    print('The package runs core.bulkResultAsync (what the node runs, in slices); the original runs in one block.');
    return r.rows;
}

function signing() {
    section(`RS256 client assertion, RSA-2048, ${CONFIG.signatures} signatures each, alternating`);
    const r = benchSigning(CONFIG.signatures);
    for (const p of r.problems) problems.push(`signing: ${p}`);
    const pem = r.rows.find((x) => x.id === 'pem').p50;
    print(stats.table([
        ['signer', 'p50 ms', 'p99 ms', 'x node:crypto from PEM'],
        ...r.rows.map((x) => [x.label, stats.fmtMs(x.p50), stats.fmtMs(x.p99), stats.fmt(x.p50 / pem, 2)]),
    ]));
    print(r.problems.length ? `signature check FAILED: ${r.problems.join('; ')}` : 'signature check: the package signature equals node:crypto\'s for the same input and verifies with the public key');
    return r;
}

function verdicts({ byInput, big, leaks, load, sign, bulk }) {
    section('targets (ratios from this run, this machine)');
    const lines = [];
    const add = (name, measured, pass, short) => lines.push({ name, measured, pass, short });
    const refId = byInput[0].rows.some((r) => r.id === 'original') ? 'original' : 'baseline';
    // The lowest ratio over the inputs (or those of one table) of variant `id` to variant `ref`.
    const ratio = (id, ref, table) => {
        let worst = null;
        for (const { input, rows } of byInput) {
            if (table && input.table !== table) continue;
            const v = rows.find((r) => r.id === id);
            const base = rows.find((r) => r.id === ref);
            if (!v || !base) continue;
            const x = v.mbps / base.mbps;
            if (!worst || x < worst.x) worst = { x, input: input.name };
        }
        return worst;
    };
    const nrRef = (id) => (byInput[0].rows.some((r) => r.id === id) ? id : refId);
    const textRef = nrRef('original-nr');
    const objRef = nrRef('original-obj-nr');
    const shown = (r) => `${stats.fmt(r.x, 2)}x (lowest, ${r.input})`;
    const throughputTarget = (id, ref, target, name, short, table) => {
        const r = ratio(id, ref, table);
        if (r) add(`${name} >= ${target}x`, shown(r), r.x >= target, `${short} ${stats.fmt(r.x, 1)}x`);
    };
    throughputTarget('fused-nr', textRef, TARGETS.fused, `fused sentinel-bulk in Node-RED, text in, vs ${textRef}`, 'fused');
    throughputTarget('fused-buf-nr', textRef, TARGETS.fusedBuffer, `fused sentinel-bulk in Node-RED, Buffer in, vs ${textRef}`, 'fused-buf');
    for (const table of ['SecurityAlert', 'SecurityIncident']) {
        const r = ratio('chain-obj-nr', objRef, table);
        if (!r) continue;
        add(`drop-in chain in Node-RED, object in, ${table}, vs ${objRef} >= ${TARGETS.chain}x (aim ${TARGETS.chainAim}x)`, shown(r), r.x >= TARGETS.chain,
            `drop-in ${table === 'SecurityAlert' ? 'alerts' : 'incidents'} ${stats.fmt(r.x, 1)}x`);
    }
    throughputTarget('chain-nr', textRef, TARGETS.chain, `drop-in chain in Node-RED, text in, vs ${textRef}`, 'drop-in text');
    // Like with like: the incremental nodes are given the query response as bytes, so the fused
    // path given a Buffer (the faster of its two inputs) is the reference.
    throughputTarget('incremental', 'fused-buf-async', TARGETS.incremental, 'incremental mode per MB vs the fused path, both in slices, Buffer in (core.revisionsAsync vs core.bulkAsync)', 'incremental');
    throughputTarget('fused', refId, TARGETS.fused, `fused core.bulk(text), plain call, vs ${refId}`, 'fused-core');
    for (const [id, name] of [['fused-nr', 'fused in Node-RED'], ['chain-nr', 'drop-in chain'], ['chain-obj-nr', 'drop-in chain, object in']]) {
        const r = big.find((x) => x.id === id);
        if (!r) continue;
        const growth = (r.rssPeak - r.rssBefore) / r.bytes;
        add(`peak memory growth, ${name}, ${stats.fmt(stats.mb(r.bytes))} MB response <= ${TARGETS.memory}x its size`, `${stats.fmt(growth, 2)}x (${stats.fmtMB(r.rssPeak - r.rssBefore)})`, growth <= TARGETS.memory,
            `mem ${{ 'fused-nr': 'fused', 'chain-nr': 'drop-in', 'chain-obj-nr': 'drop-in-obj' }[id]} ${stats.fmt(growth, 1)}x`);
    }
    for (const [id, name] of [['fused-nr', 'fused in Node-RED'], ['chain-nr', 'drop-in chain'], ['chain-obj-nr', 'drop-in chain, object in']]) {
        const r = big.find((x) => x.id === id);
        if (!r) continue;
        add(`longest event-loop block, ${name}, ${stats.fmt(stats.mb(r.bytes))} MB response <= ${TARGETS.blockMs} ms`, `${stats.fmtMs(r.blockMs)} ms`, r.blockMs <= TARGETS.blockMs,
            `block ${{ 'fused-nr': 'fused', 'chain-nr': 'drop-in', 'chain-obj-nr': 'drop-in-obj' }[id]} ${stats.fmtMs(r.blockMs)} ms`);
    }
    for (const r of leaks) {
        add(`WebAssembly memory unchanged over ${r.count} more messages (${r.id}, ${r.rows} rows each)`, `${r.after - r.before} bytes`, r.after === r.before, `wasm ${r.id} +${r.after - r.before} B`);
    }
    if (load.runs) add(`module load <= ${TARGETS.loadMs} ms`, `${stats.fmtMs(load.median)} ms`, load.median <= TARGETS.loadMs, `load ${stats.fmtMs(load.median)} ms`);
    add(`.wasm <= ${TARGETS.wasmBytes / 1e3} KB`, `${stats.fmt(load.bytes / 1e3)} KB`, load.bytes <= TARGETS.wasmBytes, `.wasm ${stats.fmt(load.bytes / 1e3, 0)} KB`);
    const rows = Object.fromEntries(sign.rows.map((x) => [x.id, x.p50]));
    const s = rows.wasm / rows.pem;
    add(`RS256 with the cached key <= ${TARGETS.signingMs} ms (p50)`, `${stats.fmtMs(rows.wasm)} ms (${stats.fmt(s, 2)}x node:crypto from PEM)`, rows.wasm <= TARGETS.signingMs, `RS256 ${stats.fmtMs(rows.wasm)} ms`);

    for (const x of bulk) {
        const r = x.original.cpu / x.package.cpu;
        add(`sentinel-bulk-result, ${x.items.toLocaleString('en-US')} ${x.shape}, ${x.form} in, vs the original function >= ${TARGETS.bulkResult}x (CPU time)`, `${stats.fmt(r, 2)}x`, r >= TARGETS.bulkResult,
            `bulk-result ${x.shape.split(' ')[0]} ${x.form} ${stats.fmt(r, 2)}x`);
    }

    print(stats.table([['target', 'measured', 'verdict'], ...lines.map((l) => [l.name, l.measured, l.pass ? 'PASS' : 'FAIL'])]));
    if (refId === 'baseline') print('(the original code was not found, so "the original chain" is the plain-JS baseline)');
    print('Throughput ratios: the lowest over the inputs, against the original flow in Node-RED given the same form of input.');
    if (QUICK) print('Quick run: tiny inputs and few rounds; the figures only show that every measurement works.');
    return lines;
}

async function main() {
    const started = Date.now();
    const variantsOf = await createVariants(ONLY, inputs.NOW_MS);
    header(variantsOf.oracle);
    const dir = inputs.tempDir();
    try {
        const timed = inputs.timedInputs(QUICK).map((i) => ({ ...i, buffer: Buffer.from(i.text) }));
        const big = inputs.bigInput(QUICK, dir);
        print(`inputs: ${timed.map((i) => `${i.name} (${stats.fmt(stats.mb(i.bytes))} MB)`).join(', ')}; big: ${big.name} (${stats.fmt(stats.mb(big.bytes))} MB)`);
        const variants = variantsOf.list;

        await correctness(timed, variants);
        const byInput = await throughput(timed, variants);
        await variantsOf.stop();
        if (ONLY) {
            for (const p of problems) print(`PROBLEM: ${p}`);
            process.exitCode = problems.length === 0 ? 0 : 1;
            return;
        }

        const bigResults = bigResponse(big, variants);
        const leaks = leakCheck();
        const load = moduleLoad();
        const sign = signing();
        const bulk = await bulkResult();
        const lines = verdicts({ byInput, big: bigResults, leaks, load, sign, bulk });

        const correct = problems.length === 0;
        section('summary');
        for (const p of problems) print(`PROBLEM: ${p}`);
        print(`SUMMARY${QUICK ? ' (quick)' : ''}: ${lines.map((l) => `${l.short} ${l.pass ? 'PASS' : 'FAIL'}`).join(' | ')} | outputs ${correct ? 'correct' : 'WRONG'} | ${((Date.now() - started) / 1000).toFixed(0)} s`);
        process.exitCode = correct ? 0 : 1;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exitCode = 1;
});
