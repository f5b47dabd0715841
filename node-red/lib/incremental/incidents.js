'use strict';
// One poll of the Sentinel REST API's incidents: every incident modified since the cursor (minus
// an overlap: a revision can become visible a little after its lastModifiedTimeUtc), oldest
// first, page after page along nextLink until there is none, each page (with each incident's
// alerts, entities and comments when asked for) written to Elasticsearch before the next one is
// read. The cursor (the newest lastModifiedTimeUtc read) is saved after the last page only, and
// only once every document has its verdict: a crash reads the poll again, and the `_id`s
// (name@lastModifiedTimeUtc) make the repeat harmless.
//
// Paging safety: ARM's $skipToken is opaque. Were it an offset, an incident modified during the
// poll would move to the end of the ordered list and the one at the next page boundary would
// slide back onto a page already read, never to be seen, and the cursor would then pass it. So
// when an incident read in this poll was modified at or after the poll's first list request,
// the list is read once more from the same `since` before the cursor moves (one extra pass at
// most per poll); states already read in this poll are not fetched or written again.

const core = require('../core');
const { incidentsUrl, incidentUrl, nextUrl, armRequest } = require('./arm');
const { writeBulk } = require('./elastic');

/** 100 ns ticks of an ISO 8601 date-time (exact order of the API's seven fraction digits), or null. */
function ticks(text) {
  const ms = typeof text === 'string' ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) return null;
  const m = /\.(\d+)Z$/i.exec(text);
  const sub = m ? Number(m[1].padEnd(7, '0').slice(3, 7)) : 0;
  return BigInt(ms) * 10000n + BigInt(sub);
}

/** `since` for the $filter: the cursor minus the overlap, else now minus the initial lookback. */
function since(cursor, { overlapMs, lookbackMs, now = Date.now() }) {
  const from = cursor ? Date.parse(cursor) - overlapMs : now - lookbackMs;
  return new Date(Math.max(0, from)).toISOString();
}

/** A page's `value`, which must be an array. */
function itemsOf(json, what) {
  if (!Array.isArray(json.value)) throw new Error(`the Sentinel REST API answered ${what} without a "value" array: check the management host in the tenant settings`);
  return json.value;
}

/**
 * Polls the incidents. ctx: {store, key, base (the workspace's Microsoft.SecurityInsights URL),
 * settings: {version, top, overlapMs, lookbackMs, alerts, entities, comments, tenantName, index,
 * latestIndex, ecs, flushBytes}, bulkUrl, apiKey, token(), invalidate(token), http: {arm,
 * elastic}, signal, warn(text), retry(reason)}. Resolves {summary, deadLetters}.
 */
async function pollIncidents(ctx) {
  const s = ctx.settings;
  const table = 'incidents';
  const summary = { table, source: 'rest', read: 0, created: 0, duplicates: 0, latest: 0, stale: 0, deadLettered: 0, retried: 0, pages: 0, requests: 0, passes: 1, cursor: null, since: null };
  const deadLetters = [];
  const saved = ctx.store.load(ctx.key);
  summary.cursor = saved ? saved.cursor.time : null;
  const onRetry = (reason) => { summary.retried += 1; ctx.retry(`${table}: ${reason}`); };
  const call = (method, url, what) => {
    summary.requests += 1;
    return armRequest({ method, url, what, token: ctx.token, invalidate: ctx.invalidate, http: ctx.http.arm, signal: ctx.signal, onRetry });
  };
  summary.since = since(summary.cursor, s);
  let newest = summary.cursor;
  let newestTicks = ticks(newest);
  const read = new Set(); // name@lastModifiedTimeUtc of the states read in this poll
  let changedDuringPoll = false;
  /** Reads the list from `since` along nextLink, page after page, each page written before the next. */
  const listPass = async () => {
    let url = incidentsUrl(ctx.base, { version: s.version, since: summary.since, top: s.top });
    for (;;) {
      const page = await call('GET', url, 'the incidents list');
      const listed = itemsOf(page, 'the incidents list');
      // A state read before in this poll (a second pass, or an offset page that slid back) is not read again.
      const incidents = listed.filter((incident) => {
        const key = incident && typeof incident.name === 'string' ? `${incident.name}@${incident.properties && incident.properties.lastModifiedTimeUtc}` : null;
        if (key === null) return true;
        if (read.has(key)) return false;
        read.add(key);
        return true;
      });
      for (const incident of incidents) {
        const name = incident && typeof incident.name === 'string' ? incident.name : null;
        if (!name) continue;
        // An incident deleted since the list was read (404 NotFound) has nothing more to give.
        let deleted = false;
        const gone = (what) => (err) => {
          if (err.status !== 404 || err.code !== 'NotFound') throw err;
          ctx.warn(`${table}: incident ${name} was deleted before its ${what} were read`);
          deleted = true;
          return null;
        };
        if (s.alerts && !deleted) {
          const a = await call('POST', incidentUrl(ctx.base, name, 'alerts', s.version), `the alerts of incident ${name}`).catch(gone('alerts'));
          if (a) incident.alerts = itemsOf(a, `the alerts of incident ${name}`);
        }
        if (s.entities && !deleted) {
          const e = await call('POST', incidentUrl(ctx.base, name, 'entities', s.version), `the entities of incident ${name}`).catch(gone('entities'));
          if (e) incident.entities = Array.isArray(e.entities) ? e.entities : [];
        }
        if (s.comments && !deleted) {
          const comments = [];
          for (let next = incidentUrl(ctx.base, name, 'comments', s.version); next;) {
            const c = await call('GET', next, `the comments of incident ${name}`).catch(gone('comments'));
            if (!c) break;
            comments.push(...itemsOf(c, `the comments of incident ${name}`));
            next = c.nextLink ? nextUrl(c.nextLink, ctx.base) : null;
          }
          incident.comments = comments;
        }
        const t = ticks(incident.properties && incident.properties.lastModifiedTimeUtc);
        if (t !== null && t >= startedTicks) changedDuringPoll = true;
        if (t !== null && (newestTicks === null || t > newestTicks)) {
          newestTicks = t;
          newest = incident.properties.lastModifiedTimeUtc;
        }
      }
      summary.pages += 1;
      summary.read += incidents.length;
      // A slice of incidents at a time: a page (up to 1000, with their alerts) leaves the event loop free.
      const body = await core.incidentsBulkAsync(incidents, { index: s.index, tenantName: s.tenantName, latestIndex: s.latestIndex, ecs: s.ecs });
      body.warnings.forEach((w) => ctx.warn(`${table}: ${w}`));
      if (body.documents) {
        const written = await writeBulk(body.ndjson, { url: ctx.bulkUrl, apiKey: ctx.apiKey, http: ctx.http.elastic, flushBytes: s.flushBytes, signal: ctx.signal, onRetry });
        for (const k of ['created', 'duplicates', 'latest', 'stale']) summary[k] += written[k];
        summary.deadLettered += written.deadLetters.length;
        deadLetters.push(...written.deadLetters.map((d) => ({ ...d, table })));
      }
      if (!page.nextLink) break;
      url = nextUrl(page.nextLink, ctx.base);
    }
  };
  // When the poll's first list request is made (a state modified from then on may have moved).
  const startedTicks = ticks(new Date().toISOString());
  await listPass();
  if (changedDuringPoll) {
    summary.passes = 2;
    await listPass();
  }
  if (newest && newest !== summary.cursor) {
    ctx.store.save(ctx.key, { cursor: { time: newest, inclusive: true }, savedAt: new Date().toISOString() });
    summary.cursor = newest;
  }
  return { summary, deadLetters };
}

module.exports = { pollIncidents, since, ticks };
