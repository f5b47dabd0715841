'use strict';
// Waiting between tries: exponential backoff with jitter, never shorter than what the service
// asked for (Retry-After), and a sleep that a closing node can cut short.

const BASE_MS = 1000;
const MAX_MS = 30000;
const MAX_ASKED_MS = 120000;

/**
 * How long to wait before try number `attempt + 1` (attempt 0 is the first retry): half of
 * BASE_MS * 2^attempt (at most MAX_MS) plus a random part of the other half, or what the service
 * asked for (`retryAfterMs`, capped at two minutes) when that is longer.
 */
function backoffMs(attempt, { retryAfterMs, baseMs = BASE_MS, maxMs = MAX_MS } = {}, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const asked = Number.isFinite(retryAfterMs) ? Math.min(Math.max(retryAfterMs, 0), MAX_ASKED_MS) : 0;
  return Math.round(Math.max(jittered, asked));
}

/** Resolves after `ms`, or rejects with the signal's reason when it is aborted first. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(aborted(signal));
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(aborted(signal));
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    return undefined;
  });
}

function aborted(signal) {
  const err = new Error((signal && signal.reason && signal.reason.message) || 'stopped: the node is closing');
  err.code = 'ABORT_ERR';
  return err;
}

module.exports = { backoffMs, sleep, aborted };
