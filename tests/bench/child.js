'use strict';
// One measurement in a fresh process, so that memory figures are not polluted by other runs.
// Prints one JSON line on stdout.
//
//   node child.js run <variant> <file>        one response through one variant: time, longest
//                                             event-loop block, RSS before / peak, WebAssembly memory
//   node child.js leak <variant> <rows> <warm> <count>
//                                             WebAssembly memory after `warm` messages and after
//                                             `count` more of the same size
//   node child.js load                        time to require pkg/node (compile + instantiate)

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const PKG = path.join(ROOT, 'pkg', 'node', 'sentinel_elastic_wasm.js');
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

function load() {
    const t0 = process.hrtime.bigint();
    require(PKG);
    out({ ms: Number(process.hrtime.bigint() - t0) / 1e6 });
}

// Peak resident memory: the kernel's high-water mark (reset first) where Linux offers it, and a
// worker thread sampling RSS every millisecond (it keeps sampling while the main thread is busy).
function peakMeter() {
    const { Worker } = require('node:worker_threads');
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(`
        const { workerData } = require('node:worker_threads');
        const kb = new Int32Array(workerData);
        const tick = () => { const v = Math.round(process.memoryUsage.rss() / 1024); if (v > Atomics.load(kb, 0)) Atomics.store(kb, 0, v); };
        setInterval(tick, 1);`, { eval: true, workerData: shared.buffer });
    const hwm = () => {
        try { return Number(fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)[1]) * 1024; } catch (e) { return null; }
    };
    let kernel = false;
    return {
        ready: () => new Promise((resolve) => setTimeout(resolve, 50)),
        reset() {
            Atomics.store(shared, 0, Math.round(process.memoryUsage.rss() / 1024));
            try { fs.writeFileSync('/proc/self/clear_refs', '5'); kernel = hwm() !== null; } catch (e) { kernel = false; }
        },
        peak() {
            const sampled = Atomics.load(shared, 0) * 1024;
            return { sampled, kernel: kernel ? hwm() : null, peak: Math.max(sampled, kernel ? hwm() : 0) };
        },
        stop: () => worker.terminate(),
    };
}

async function run(id, file) {
    const probe = require('./wasm-memory');
    const stats = require('./stats');
    const { createVariants } = require('./variants');
    const { responseText, NOW, NOW_MS } = require('./inputs');
    const { list, stop } = await createVariants([id], NOW_MS);
    const variant = list[0];
    if (!variant) throw new Error(`unknown or unavailable variant ${id}`);

    // Warm up on a small response: code compiled, module loaded, runtime started.
    const small = responseText('SecurityAlert', 200);
    for (let i = 0; i < 3; i += 1) await variant.run({ text: small, buffer: Buffer.from(small), object: JSON.parse(small) });

    // The clock is fixed so that the output can be compared with the parent's (its sha256).
    Date.now = () => NOW_MS;
    // The input as the http request node holds it; only that form is kept.
    let input = { buffer: fs.readFileSync(file) };
    const bytes = input.buffer.length;
    if (variant.object) input = { object: JSON.parse(input.buffer.toString('utf8')) };
    else if (!variant.buffer) input = { text: input.buffer.toString('utf8') };
    const meter = peakMeter();
    await meter.ready();
    stats.gc();
    await stats.settle();
    const wasmBefore = probe.wasmBytes();
    const rssBefore = process.memoryUsage.rss();
    meter.reset();

    const monitor = stats.loopMonitor();
    monitor.start();
    await stats.settle();
    const t0 = stats.now();
    let ndjson = await variant.run(input, NOW_MS);
    const ms = stats.now() - t0;
    await stats.settle();
    const blockMs = monitor.stop();
    const { peak, sampled, kernel } = meter.peak();
    await meter.stop();

    const wasmAfter = probe.wasmBytes();
    const { sha256 } = require('./check');
    const digest = sha256(ndjson);
    const outBytes = Buffer.byteLength(ndjson);
    ndjson = null;
    await stop();
    out({ id, bytes, ms, blockMs, rssBefore, rssPeak: peak, rssSampled: sampled, rssKernel: kernel, wasmBefore, wasmAfter, sha256: digest, outBytes, now: NOW });
}

async function leak(id, rows, warm, count) {
    const probe = require('./wasm-memory');
    const { createVariants } = require('./variants');
    const { responseText } = require('./inputs');
    const { list, stop } = await createVariants([id]);
    const variant = list[0];
    const text = responseText('SecurityAlert', Number(rows));
    const input = { text, buffer: Buffer.from(text) };
    for (let i = 0; i < Number(warm); i += 1) await variant.run(input);
    const before = probe.wasmBytes();
    const t0 = Date.now();
    for (let i = 0; i < Number(count); i += 1) await variant.run(input);
    const after = probe.wasmBytes();
    await stop();
    out({ id, rows: Number(rows), bytes: Buffer.byteLength(text), warm: Number(warm), count: Number(count), before, after, seconds: (Date.now() - t0) / 1000 });
}

const [mode, ...args] = process.argv.slice(2);
const modes = { load, run, leak };
if (!modes[mode]) {
    console.error('usage: node child.js run <variant> <file> | leak <variant> <rows> <warm> <count> | load');
    process.exit(2);
}
Promise.resolve(modes[mode](...args)).then(
    () => process.exit(0),
    (err) => { console.error(err && err.stack ? err.stack : err); process.exit(1); },
);
