'use strict';
// One clock shared by the three sandbox services, so that tests can move time
// (token expiry, assertion validity, "ago()" windows) without sleeping.

/**
 * @param {{now?: number|string|Date}} [options] a fixed start time; without it the clock follows real time
 * @returns {{now(): number, advance(ms: number): number, set(t: number|string|Date): number, fixed: boolean}}
 */
function createClock(options = {}) {
  const fixed = options.now !== undefined && options.now !== null;
  let offset = 0;
  let base = fixed ? toMs(options.now) : 0;
  const clock = {
    fixed,
    now: () => (fixed ? base + offset : Date.now() + offset),
    advance(ms) { offset += Number(ms); return clock.now(); },
    set(t) { offset += toMs(t) - clock.now(); return clock.now(); },
  };
  return clock;
}

function toMs(t) {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number(t);
  if (!Number.isFinite(ms)) throw new TypeError(`clock: not a time: ${String(t)}`);
  return ms;
}

module.exports = { createClock, toMs };
