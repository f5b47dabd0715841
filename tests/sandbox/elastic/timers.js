'use strict';
// Real-time timers of a sandbox service (downFor, stalled answers) that never keep the process alive
// and that close() or down() can cancel at once: wait(ms) then resolves false instead of true.

function createTimers() {
  const timers = new Set();
  const waiting = new Set();
  /** setTimeout that clear() cancels and that does not keep the process alive. */
  const later = (ms, fn) => { const t = setTimeout(() => { timers.delete(t); fn(); }, ms); t.unref(); timers.add(t); return t; };
  /** Resolves true after `ms`, or false when abortWaits() / clear() comes first. */
  function wait(ms) {
    return new Promise((resolve) => {
      const w = { resolve };
      waiting.add(w);
      w.timer = later(ms, () => { waiting.delete(w); resolve(true); });
    });
  }
  function abortWaits() { for (const w of waiting) { clearTimeout(w.timer); timers.delete(w.timer); w.resolve(false); } waiting.clear(); }
  function clear() { abortWaits(); for (const t of timers) clearTimeout(t); timers.clear(); }
  return { later, wait, abortWaits, clear };
}

module.exports = { createTimers };
