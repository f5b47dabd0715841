'use strict';
// How Sentinel logs changes: every change is a new row, never an update in place.
//   SecurityIncident: a new row per incident change, same IncidentName and IncidentNumber (and
//     ProviderIncidentId, CreatedTime, FirstModifiedTime), a new TimeGenerated and LastModifiedTime,
//     and a changed Status (New -> Active -> Closed), Owner, Classification and sometimes Severity.
//   SecurityAlert: a new row per alert revision, same SystemAlertId, a new TimeGenerated, Status
//     New -> InProgress -> Resolved.
// The latest revision is the one with the greatest LastModifiedTime (incidents) / TimeGenerated (alerts).
const { TABLES } = require('./schema');
const { kustoDate } = require('./data');
const { parseDatetime } = require('./kql/values');

const KEY = { SecurityAlert: 'SystemAlertId', SecurityIncident: 'IncidentName' };
const ORDER = { SecurityAlert: 'TimeGenerated', SecurityIncident: 'LastModifiedTime' };
const NEXT_ALERT_STATUS = { New: 'InProgress', InProgress: 'Resolved' };
const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'];

const colIndex = (table, name) => TABLES[table].findIndex((c) => c.name === name);

/** Map key -> index (into `rows`) of the latest revision of each alert / incident. */
function latestIndexes(table, rows) {
  const k = colIndex(table, KEY[table]);
  const o = colIndex(table, ORDER[table]);
  const best = new Map();
  rows.forEach((row, i) => {
    const cur = best.get(row[k]);
    const v = parseDatetime(row[o]);
    if (cur === undefined || (v !== null && (cur.v === null || v > cur.v))) best.set(row[k], { i, v });
  });
  return new Map([...best].map(([key, x]) => [key, x.i]));
}

/** Ms of a revision's ordering time (LastModifiedTime / TimeGenerated), or -Infinity. */
function orderMs(table, row) {
  const ms = Date.parse(row[colIndex(table, ORDER[table])]);
  return Number.isFinite(ms) ? ms : -Infinity;
}

/** The next revision of alert row `prev` at `timeMs`, or null when it is already Resolved. */
function alertRevision(prev, timeMs, rng) {
  const status = prev[colIndex('SecurityAlert', 'Status')];
  const next = NEXT_ALERT_STATUS[status];
  if (!next) return null;
  const row = prev.slice();
  row[colIndex('SecurityAlert', 'TimeGenerated')] = kustoDate(timeMs, rng.int(0, 9999));
  row[colIndex('SecurityAlert', 'Status')] = next;
  const ext = colIndex('SecurityAlert', 'ExtendedProperties');
  try {
    const props = JSON.parse(row[ext]);
    if (props && typeof props === 'object' && props['MicrosoftDefenderAtp.Status']) { props['MicrosoftDefenderAtp.Status'] = next; row[ext] = JSON.stringify(props); }
  } catch { /* keep the text as it is */ }
  return row;
}

/** The next revision of incident row `prev` at `timeMs` (the generator changes Status, Owner, Classification; sometimes Severity too). */
function incidentRevision(gen, prev, timeMs, rng) {
  const row = gen.incident(timeMs, { previous: prev });
  if (rng.chance(0.25)) {
    const sev = colIndex('SecurityIncident', 'Severity');
    row[sev] = rng.pick(SEVERITIES.filter((s) => s !== prev[sev]));
  }
  return row;
}

module.exports = { KEY, ORDER, latestIndexes, orderMs, alertRevision, incidentRevision, colIndex };
