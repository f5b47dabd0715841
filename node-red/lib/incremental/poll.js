'use strict';
// One poll of one table: pages read from the cursor, each written to Elasticsearch, the cursor
// saved after each page only once every document of it has its verdict (created, duplicate or
// dead-lettered). A crash replays the last page, never skips it; the `_id`s make the replay
// harmless. A partial result (PartialError) is never written: the page is read again, halved.

const core = require('../core');
const { pageQuery, windowEndQuery, runQuery, HIDDEN, INGESTED, WINDOW_END } = require('./query');
const { parseJson } = require('./errors');
const { writeBulk } = require('./elastic');

/** A page that held this many rows or fewer is split no further when the API says "partial". */
const MIN_TAKE = 1;

/**
 * Polls `table`. ctx: {store, key (the state key), settings: {lag, lookback, take, tenantName,
 * index, latestIndex, ids ('revision' | 'first'), flushBytes, ecs}, queryUrl, bulkUrl, apiKey, token(), invalidate(token),
 * http: {query, elastic}, signal, warn(text), retry(reason)}. Resolves the table's summary.
 */
async function pollTable(table, ctx) {
  const s = ctx.settings;
  const summary = { table, read: 0, created: 0, duplicates: 0, latest: 0, stale: 0, deadLettered: 0, retried: 0, pages: 0, split: 0, cursor: null, windowEnd: null };
  const deadLetters = [];
  const saved = ctx.store.load(ctx.key);
  let from = saved ? saved.cursor : null;
  summary.cursor = from ? from.time : null;
  let end = null;
  let take = s.take;
  let at = null;
  const onRetry = (reason) => { summary.retried += 1; ctx.retry(`${table}: ${reason}`); };

  const commit = (cursor) => {
    ctx.store.save(ctx.key, { cursor, windowEnd: end, savedAt: new Date().toISOString() });
    from = cursor;
    summary.cursor = cursor.time;
  };

  for (;;) {
    const query = pageQuery(table, { from, end, at, lag: s.lag, lookback: s.lookback, take });
    const body = await runQuery({ url: ctx.queryUrl, query, token: ctx.token, invalidate: ctx.invalidate, http: ctx.http.query, signal: ctx.signal, onRetry });
    const page = await core.revisionsAsync(body, { index: s.index, tenantName: s.tenantName, latestIndex: s.latestIndex, ids: s.ids, hidden: HIDDEN, ecs: s.ecs, bytes: true });
    if (page.cursor.error) {
      const code = page.cursor.error.code || 'an error';
      if (at || take <= MIN_TAKE) {
        throw new Error(`the query API returned a partial result (${code}) for ${table} even for the smallest page: rows at ingestion time ${at || (from && from.time)} are too large to read; nothing after the cursor was written`);
      }
      take = Math.max(MIN_TAKE, Math.floor(take / 2));
      summary.split += 1;
      onRetry(`partial result (${code}), ${take} rows per page`);
      continue;
    }
    page.warnings.forEach((w) => ctx.warn(`${table}: ${w}`));
    const rows = page.documents;
    if (rows === 0) {
      if (at) throw new Error(`${table}: the rows at ingestion time ${at} were gone when read again; the next poll reads them from the cursor`);
      if (!end) {
        // Nothing new: learn the window end, then read up to it as a literal (rows ingested
        // between the two queries are read, not skipped) so that the cursor moves on to it.
        const probe = parseJson(await runQuery({ url: ctx.queryUrl, query: windowEndQuery(table, { lag: s.lag }), token: ctx.token, invalidate: ctx.invalidate, http: ctx.http.query, signal: ctx.signal, onRetry }));
        const row = probe && probe.tables && probe.tables[0] && probe.tables[0].rows && probe.tables[0].rows[0];
        if (!row) break; // an empty table: no cursor yet
        end = row[0];
        continue;
      }
      commit({ time: end, inclusive: false });
      break;
    }
    summary.pages += 1;
    summary.read += rows;
    end = end || page.cursor.first[WINDOW_END];
    summary.windowEnd = end;
    const written = await writeBulk(page.ndjson, { url: ctx.bulkUrl, apiKey: ctx.apiKey, http: ctx.http.elastic, flushBytes: s.flushBytes, signal: ctx.signal, onRetry });
    for (const k of ['created', 'duplicates', 'latest', 'stale']) summary[k] += written[k];
    summary.deadLettered += written.deadLetters.length;
    deadLetters.push(...written.deadLetters.map((d) => ({ ...d, table })));
    const first = page.cursor.first[INGESTED];
    const last = page.cursor.last[INGESTED];
    if (at) {
      // Every row of that instant is written: the window goes on after it.
      commit({ time: at, inclusive: false });
      at = null;
    } else if (rows < take) {
      commit({ time: end, inclusive: false });
      break;
    } else if (first === last) {
      // A whole page at one instant: read that instant at once, then go on after it.
      commit({ time: last, inclusive: true });
      at = last;
    } else {
      // The rows at the last instant may go on in the next page: read from that instant again
      // (the rows read twice are written once: same _id).
      commit({ time: last, inclusive: true });
    }
  }
  return { summary, deadLetters };
}

module.exports = { pollTable };
