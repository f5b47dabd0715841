'use strict';
// Waiting between tries: exponential backoff with jitter, never shorter than what the service
// asked for (Retry-After), and a sleep that a closing node can cut short.

const { retryAfterMs } = require('../http');

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

// Statuses that may pass later: tried again.
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

// A token request's failure that may pass later (Entra ID throttled, unavailable or unreachable).
const transient = (err) => err.code !== 'ABORT_ERR' && (err.permanent === false || (err.name === 'HttpError' && !String(err.code).startsWith('ERR_')));

/**
 * A request made with a bearer token, tried again while that may help: {send(bearer) => the
 * response ({status, headers, body}), token: async () => string, invalidate(token), error(res,
 * bearer) => the Error for a response that is not a 200, tries, signal, onRetry(reason)}. A 401
 * drops the token and tries once more with a new one; 408/429/5xx and network failures (of the
 * request or of the token request) are retried with backoff, Retry-After honoured, up to `tries`
 * times. Resolves the 200 response.
 */
async function withToken({ send, token, invalidate, error, tries, signal, onRetry = () => {} }) {
  let refreshed = false;
  for (let attempt = 0; ; attempt += 1) {
    let bearer;
    try {
      bearer = await token();
    } catch (err) {
      if (!transient(err) || attempt + 1 >= tries) throw err;
      onRetry('token');
      await sleep(backoffMs(attempt), signal);
      continue;
    }
    let res;
    try {
      res = await send(bearer);
    } catch (err) {
      if (err.code === 'ABORT_ERR' || attempt + 1 >= tries) throw err;
      onRetry(err.code || 'network');
      await sleep(backoffMs(attempt), signal);
      continue;
    }
    if (res.status === 200) return res;
    if (res.status === 401 && !refreshed) {
      refreshed = true;
      invalidate(bearer);
      onRetry('401');
      attempt -= 1;
      continue;
    }
    const err = error(res, bearer);
    if (!RETRY_STATUS.has(res.status) || attempt + 1 >= tries) throw err;
    onRetry(String(res.status));
    await sleep(backoffMs(attempt, { retryAfterMs: retryAfterMs(res.headers) }), signal);
  }
}

module.exports = { backoffMs, sleep, aborted, withToken };
