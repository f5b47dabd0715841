'use strict';
// Reading one table of a Log Analytics workspace without gaps: a cursor on ingestion_time() (the
// time a row reached the workspace, which a late TimeGenerated cannot push behind the cursor),
// a window that ends `lag` behind the service's now() (rows still being committed), stable order
// (ingestion time, then key, then revision time) and pages of `take N` until the window is
// drained. Only the KQL subset the contract lists is used.

const { headerValue } = require('../core');
const { request } = require('../http');
const { withToken } = require('./retry');
const { queryError, withoutSecret } = require('./errors');

/** The columns the reader adds to each row; they never reach a document. */
const INGESTED = 'CursorIngestionTime';
const WINDOW_END = 'CursorWindowEnd';
const HIDDEN = [INGESTED, WINDOW_END];

/** Key and revision columns: the tie-breakers after the ingestion time. */
const TABLES = {
  SecurityAlert: { key: 'SystemAlertId', revision: 'TimeGenerated' },
  SecurityIncident: { key: 'IncidentName', revision: 'LastModifiedTime' },
};

const TIMESPAN = /^\d+(\.\d+)?(d|h|m|s|ms)$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Checks a KQL timespan setting (`2m`, `24h`, `1.5d`); returns it. */
function timespan(value, what) {
  const v = String(value === undefined || value === null ? '' : value).trim();
  if (!TIMESPAN.test(v)) throw new Error(`${what} "${v}" is not a timespan such as 30s, 2m, 24h or 7d`);
  return v;
}

/** Checks a datetime from a response before it goes back into a query. */
function datetime(value, what) {
  if (typeof value !== 'string' || !DATETIME.test(value)) {
    throw new Error(`the query API returned ${what} ${JSON.stringify(value)}, which is not an ISO 8601 UTC date-time`);
  }
  return `datetime(${value})`;
}

/**
 * The KQL of one page:
 *   from: {time, inclusive} (the cursor) or null (first run: `ingestion_time() > ago(lookback)`);
 *   end: the window's end from the first page, or null (first page: now() - lag);
 *   at: a single ingestion time whose rows are all read at once (a page that held only it);
 *   take: rows per page.
 */
function pageQuery(table, { from, end, at, lag, lookback, take }) {
  const t = TABLES[table];
  if (!t) throw new Error(`unknown table ${table}: SecurityAlert or SecurityIncident`);
  const endExpr = end ? datetime(end, 'a window end') : `now() - ${lag}`;
  let where;
  if (at) where = `ingestion_time() == ${datetime(at, 'an ingestion time')}`;
  else {
    const lower = from ? `ingestion_time() ${from.inclusive ? '>=' : '>'} ${datetime(from.time, 'a cursor')}` : `ingestion_time() > ago(${lookback})`;
    where = `${lower} and ingestion_time() <= ${endExpr}`;
  }
  return [
    table,
    `| where ${where}`,
    `| extend ${INGESTED} = ingestion_time()`,
    `| extend ${WINDOW_END} = ${endExpr}`,
    `| order by ${INGESTED} asc, ${t.key} asc, ${t.revision} asc`,
    ...(at ? [] : [`| take ${take}`]),
  ].join('\n');
}

/**
 * The KQL that asks the service for the window end (now() - lag) when a page found no row, so
 * that a poll with nothing new still moves the cursor (one row: the table's first, or none when
 * the table is empty).
 */
function windowEndQuery(table, { lag }) {
  if (!TABLES[table]) throw new Error(`unknown table ${table}: SecurityAlert or SecurityIncident`);
  return [table, '| take 1', `| extend ${WINDOW_END} = now() - ${lag}`, `| project ${WINDOW_END}`].join('\n');
}


/**
 * Runs a query: {url, query, token: async () => string, invalidate(token), http: {proxy, tls},
 * tries, timeoutMs, signal, onRetry(reason)}. A 401 drops the token and tries once more with a
 * new one; 408/429/5xx and network failures (of the query or of the token request) are retried
 * with backoff (Retry-After honoured) up to `tries` times. A token that is not text an HTTP
 * header can carry is refused, naming it. Resolves the response body (a Buffer).
 */
async function runQuery({ url, query, token, invalidate, http = {}, tries = 6, timeoutMs = 200e3, signal, onRetry = () => {} }) {
  const res = await withToken({
    token: async () => headerValue(await token(), 'The access token from Entra ID'), invalidate, tries, signal, onRetry,
    send: (bearer) => request({
      method: 'POST', url, signal, timeoutMs, ...http,
      headers: {
        Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', Accept: 'application/json',
        Prefer: `wait=${Math.floor(timeoutMs / 1000) - 20}`,
      },
      body: JSON.stringify({ query }),
    }),
    error: (r, bearer) => queryError(r.status, withoutSecret(r.body, bearer)),
  });
  return res.body;
}

module.exports = { pageQuery, windowEndQuery, runQuery, timespan, TABLES, HIDDEN, INGESTED, WINDOW_END };
