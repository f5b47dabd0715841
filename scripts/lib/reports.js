'use strict';
// Receives the reports the flow POSTs (see flow.js reportTo) on 127.0.0.1, and groups the bulk
// summaries of one poll (one per queried table that had rows) into one line.

const { EventEmitter } = require('node:events');
const http = require('node:http');

/** Starts the receiver. Returns {url, reports, events (emits 'report'), waitFor(pred, ms), close()}. */
function startReceiver() {
  const events = new EventEmitter();
  const reports = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      let report;
      try { report = JSON.parse(body); } catch { report = { kind: 'other', payload: body }; }
      reports.push(report);
      res.writeHead(204).end();
      events.emit('report', report);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/report`;
      resolve({
        url,
        reports,
        events,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

/** Sums bulk summaries: {took, total_items, created, conflicts, failures, errors, responses}. */
function sumSummaries(summaries) {
  const total = { took: 0, total_items: 0, created: 0, conflicts: 0, failures: 0, errors: false, responses: summaries.length };
  for (const s of summaries) {
    total.took += Number(s.took) || 0;
    total.total_items += Number(s.total_items) || 0;
    total.created += Number(s.created) || 0;
    total.conflicts += Number(s.conflicts) || 0;
    total.failures += Number(s.failures) || 0;
    total.errors = total.errors || Boolean(s.errors);
  }
  return total;
}

const formatSummary = (s) => `created ${s.created}, conflicts ${s.conflicts}, failures ${s.failures}`;

/**
 * What a poll's 409 conflicts were, for people: `ids` the conflicting _ids, `before` the _ids the
 * index held before the poll. The drop-in flow (as the original) uses an incident's IncidentName as
 * its _id, so a later revision of an incident read in the same poll as an earlier one is a 409 too.
 */
function explainConflicts(ids, before) {
  const earlier = ids.filter((id) => before.has(id)).length;
  const revisions = ids.length - earlier;
  const parts = [];
  if (earlier) parts.push(`${earlier} already indexed by an earlier poll (the lookback overlaps)`);
  if (revisions) parts.push(`${revisions} later revision${revisions === 1 ? '' : 's'} of incidents written earlier in this poll (the _id is the IncidentName, so, as in the original flow, an incident keeps its first revision; sentinel-incremental keeps every revision)`);
  return parts.length ? `conflicts: ${parts.join('; ')}` : '';
}

/**
 * Collects one poll's reports from `events`: resolves with {summaries, errors, others, total}
 * once `expected` summaries arrived, or `quietMs` after the last report when fewer came (a table
 * with no rows sends no _bulk request), or after `timeoutMs` (then total is null if nothing came).
 * An error report ends the poll after `quietMs` too, so a broken flow fails fast.
 */
function collectPoll(events, { expected = 2, quietMs = 1500, timeoutMs = 60000 } = {}) {
  return new Promise((resolve) => {
    const summaries = [];
    const errors = [];
    const others = [];
    let quiet = null;
    const finish = (timedOut = false) => {
      clearTimeout(quiet);
      clearTimeout(overall);
      events.off('report', onReport);
      resolve({ summaries, errors, others, timedOut, total: summaries.length ? sumSummaries(summaries.map((r) => r.summary)) : null });
    };
    const onReport = (r) => {
      if (r.kind === 'summary') summaries.push(r);
      else if (r.kind === 'error') errors.push(r);
      else others.push(r);
      clearTimeout(quiet);
      if (summaries.length >= expected && errors.length === 0) finish();
      else quiet = setTimeout(finish, quietMs);
    };
    const overall = setTimeout(() => finish(true), timeoutMs);
    events.on('report', onReport);
  });
}

module.exports = { startReceiver, sumSummaries, formatSummary, explainConflicts, collectPoll };
