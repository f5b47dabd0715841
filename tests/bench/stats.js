'use strict';
// Small measuring tools: a garbage collector handle, percentiles, an event-loop block monitor,
// and number formatting (decimal units: 1 MB = 1,000,000 bytes, 1 KB = 1,000 bytes).

const v8 = require('node:v8');
const vm = require('node:vm');

// A gc() between timed runs keeps one variant's garbage out of the next one's time.
v8.setFlagsFromString('--expose-gc');
const gc = global.gc || vm.runInNewContext('gc');

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

/** Nearest-rank percentile of a list of numbers. */
function percentile(values, p) {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * The longest stretch during which the event loop could not run a 1 ms timer.
 * start() arms it; stop() (after awaiting `settle()`) returns the longest gap in ms.
 */
function loopMonitor() {
    let timer = null;
    let last = 0;
    let longest = 0;
    return {
        start() {
            longest = 0;
            last = now();
            timer = setInterval(() => {
                const t = now();
                longest = Math.max(longest, t - last);
                last = t;
            }, 1);
        },
        stop() {
            clearInterval(timer);
            longest = Math.max(longest, now() - last);
            return longest;
        },
    };
}

/** Resolves after the timers have had a chance to run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3));

const mb = (bytes) => bytes / 1e6;
const fmt = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
const fmtMs = (ms) => (ms === null || ms === undefined || Number.isNaN(ms) ? '-' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtMB = (bytes) => (bytes === null || bytes === undefined ? '-' : `${mb(bytes).toFixed(1)} MB`);

/** A plain text table: rows of cells, first row is the header; numbers right-aligned. */
function table(rows) {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
    const line = (r, head) => r.map((c, i) => {
        const s = String(c);
        return i === 0 || head ? s.padEnd(widths[i]) : s.padStart(widths[i]);
    }).join('  ');
    return [line(rows[0], true), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map((r) => line(r, false))].join('\n');
}

module.exports = { gc, now, percentile, loopMonitor, settle, mb, fmt, fmtMs, fmtMB, table };
