'use strict';
// The rows of one Log Analytics workspace: SecurityAlert and SecurityIncident, seeded from data.js,
// growing over time (addAlerts / addIncidents / tick, revisions, late arrivals) so that a later poll
// sees new rows beside old ones.
//
// Ingestion, as Log Analytics has it: every row has a hidden ingestion time (returned only through
// ingestion_time()) and becomes visible to queries when clock.now() >= ingestion time + visibilityDelayMs.
//   - new rows: ingested at the clock's time; TimeGenerated is earlier by 0..latencyMs;
//   - seeded rows: ingested 2 s..2 min after their TimeGenerated (never after the clock's time);
//   - late arrivals (addLateAlerts): TimeGenerated up to 2 days old, ingested now;
//   - revisions (updateAlerts / updateIncidents, see revisions.js); with `outOfOrder` some changes come
//     as two revisions where the older one is ingested outOfOrderDelayMs after the newer one.
// Rows are kept sorted by TimeGenerated in parallel arrays: rows (cells as the query API returns them),
// times (TimeGenerated in ms), ingest (ingestion time in 100 ns ticks, BigInt), visibleAt (ms).
const { TABLES } = require('./schema');
const { createGenerator, createRng, rowFromObject, applyOverrides } = require('./data');
const { parseDatetime, formatDatetime, TICKS_PER_MS, ticksToMs } = require('./kql/values');
const revisions = require('./revisions');

const NAMES = Object.keys(TABLES);

/**
 * options: {clock, seed, tenantId, workspaceId, alerts = 200, incidents = 40, spanHours = 48, ...generator context,
 *           latencyMs = 1000 (TimeGenerated before ingestion by 0..latencyMs), visibilityDelayMs = 0,
 *           outOfOrder = 0 (share of revisions that arrive out of order), outOfOrderDelayMs = 120000}
 * Seeded rows are spread over the `spanHours` before the clock's current time.
 */
function createWorkspace(options) {
  const { clock, alerts = 200, incidents = 40, spanHours = 48 } = options;
  const settings = {
    latencyMs: options.latencyMs ?? 1000,
    visibilityDelayMs: options.visibilityDelayMs ?? 0,
    outOfOrder: options.outOfOrder ?? 0,
    outOfOrderDelayMs: options.outOfOrderDelayMs ?? 120000,
  };
  const gen = createGenerator(options);
  // Ingestion times and revision choices draw from their own stream, so the generated rows stay what they were.
  const irng = createRng(`${options.seed === undefined ? 1 : options.seed}/ingestion`);
  const tables = Object.fromEntries(NAMES.map((n) => [n, { rows: [], times: [], ingest: [], visibleAt: [] }]));
  const tgIndex = (table) => TABLES[table].findIndex((c) => c.name === 'TimeGenerated');

  /** Ingestion ticks of a row with TimeGenerated `tg` (ticks) ingested at ms `atMs`: within that ms, never before tg. */
  function ingestTicks(tg, atMs) {
    const t = BigInt(Math.floor(atMs)) * TICKS_PER_MS + BigInt(irng.int(0, 9999));
    return tg !== null && tg > t ? tg : t;
  }

  /** Inserts `row` keeping TimeGenerated order; `ingest` in ticks (default: now). Returns the row. */
  function insert(table, row, { ingest, delayMs = settings.visibilityDelayMs } = {}) {
    const t = tables[table];
    const tgText = row[tgIndex(table)];
    const ms = Date.parse(tgText);
    const tg = parseDatetime(tgText);
    const ing = ingest === undefined ? ingestTicks(tg, clock.now()) : ingest;
    let i = t.times.length;
    while (i > 0 && t.times[i - 1] > ms) i -= 1;
    const time = Number.isFinite(ms) ? ms : NaN;
    if (i === t.times.length) { t.rows.push(row); t.times.push(time); t.ingest.push(ing); t.visibleAt.push(ticksToMs(ing) + delayMs); }
    else { t.rows.splice(i, 0, row); t.times.splice(i, 0, time); t.ingest.splice(i, 0, ing); t.visibleAt.splice(i, 0, ticksToMs(ing) + delayMs); }
    return row;
  }

  /** Ingestion a little after TimeGenerated (seeded rows), not after the clock's time. */
  function seededIngest(table, row, now) {
    const tg = parseDatetime(row[tgIndex(table)]);
    const tgMs = tg === null ? now : ticksToMs(tg);
    return ingestTicks(tg, Math.min(now, tgMs + irng.int(2000, 120000)));
  }

  function seed() {
    const now = clock.now();
    const span = spanHours * 3600e3;
    const alertTimes = Array.from({ length: alerts }, () => now - gen.rng.float() * span).sort((a, b) => a - b);
    for (const t of alertTimes) { const row = gen.alert(Math.floor(t)); insert('SecurityAlert', row, { ingest: seededIngest('SecurityAlert', row, now) }); }
    const alertIdCol = TABLES.SecurityAlert.findIndex((c) => c.name === 'SystemAlertId');
    const incTimes = Array.from({ length: incidents }, () => now - gen.rng.float() * span).sort((a, b) => a - b);
    const updates = [];
    const at = tables.SecurityAlert;
    for (const t of incTimes) {
      const near = at.rows.filter((_, i) => Math.abs(at.times[i] - t) < 3600e3).slice(0, 3);
      const row = gen.incident(Math.floor(t), { alertIds: near.length ? near.map((r) => r[alertIdCol]) : undefined });
      insert('SecurityIncident', row, { ingest: seededIngest('SecurityIncident', row, now) });
      // about a third of the incidents get an update later (same IncidentName, new Status), as Sentinel logs them
      if (gen.rng.chance(0.35)) updates.push([Math.min(now - 1000, t + gen.rng.int(5 * 60e3, 8 * 3600e3)), row]);
    }
    updates.sort((a, b) => a[0] - b[0]);
    for (const [t, prev] of updates) { const row = gen.incident(Math.floor(t), { previous: prev }); insert('SecurityIncident', row, { ingest: seededIngest('SecurityIncident', row, now) }); }
  }

  seed();

  const objectOf = (table, i) => {
    const t = tables[table];
    const o = Object.fromEntries(TABLES[table].map((c, j) => [c.name, t.rows[i][j]]));
    o.ingestionTime = formatDatetime(t.ingest[i]);
    o.visibleAt = formatDatetime(BigInt(t.visibleAt[i]) * TICKS_PER_MS);
    o.visible = clock.now() >= t.visibleAt[i];
    return o;
  };
  const indexOfRow = (table, row) => tables[table].rows.indexOf(row);

  /**
   * Adds the revisions made by `make(prev, timeMs)` for `n` alerts/incidents picked at random among those `eligible`.
   * Out of order (chance settings.outOfOrder): two revisions, the older ingested outOfOrderDelayMs after the newer one.
   */
  function update(table, n, make, eligible, { outOfOrder = settings.outOfOrder } = {}) {
    const t = tables[table];
    const latest = revisions.latestIndexes(table, t.rows);
    const pool = [...latest.values()].map((i) => t.rows[i]).filter(eligible);
    const out = [];
    const now = clock.now();
    for (let k = 0; k < n && pool.length; k += 1) {
      const prev = pool.splice(irng.int(0, pool.length - 1), 1)[0];
      const after = (row, ms) => Math.max(ms, Math.floor(revisions.orderMs(table, row)) + 1);
      if (irng.chance(outOfOrder)) {
        const older = make(prev, after(prev, now - settings.latencyMs - irng.int(1000, 60000)));
        const newer = older && make(older, after(older, now - irng.int(0, settings.latencyMs)));
        if (older && newer) {
          insert(table, newer);
          insert(table, older, { ingest: ingestTicks(null, now + settings.outOfOrderDelayMs) });
          out.push(older, newer);
          continue;
        }
      }
      const row = make(prev, after(prev, now - irng.int(0, settings.latencyMs)));
      if (row) out.push(insert(table, row));
    }
    return out.map((row) => objectOf(table, indexOfRow(table, row)));
  }

  const api = {
    workspaceId: options.workspaceId,
    tenantId: options.tenantId,
    /** Current ingestion settings {latencyMs, visibilityDelayMs, outOfOrder, outOfOrderDelayMs}; change them with configure(). */
    settings,
    configure(changes = {}) { for (const k of Object.keys(settings)) if (changes[k] !== undefined) settings[k] = Number(changes[k]); return { ...settings }; },
    /** {rows, times, ingest, visibleAt} of a table (every stored row, visible or not), or null for an unknown one. Rows are arrays in schema order. */
    table: (name) => tables[name] || null,
    count: (name) => (tables[name] ? tables[name].rows.length : 0),
    /** The rows queries see at ms `now`: {rows, times, ingest} (ingest in ticks). */
    visible(name, now = clock.now()) {
      const t = tables[name];
      if (!t) return null;
      const out = { rows: [], times: [], ingest: [] };
      for (let i = 0; i < t.rows.length; i += 1) {
        if (now >= t.visibleAt[i]) { out.rows.push(t.rows[i]); out.times.push(t.times[i]); out.ingest.push(t.ingest[i]); }
      }
      return out;
    },
    /**
     * Ground truth: every stored row of `table` as {column: value, ..., ingestionTime, visibleAt, visible}
     * (ingestionTime and visibleAt as "2025-11-19T10:00:00.1234567Z"; visible at the clock's current time).
     */
    allRows(table) {
      if (!tables[table]) throw new TypeError(`workspace.allRows: unknown table ${table}`);
      return tables[table].rows.map((_, i) => objectOf(table, i));
    },
    /**
     * The latest revision of each alert (greatest TimeGenerated per SystemAlertId) or incident (greatest
     * LastModifiedTime per IncidentName), as allRows() objects; `visibleOnly` looks at visible rows only.
     */
    latestRows(table, { visibleOnly = false } = {}) {
      const t = tables[table];
      if (!t) throw new TypeError(`workspace.latestRows: unknown table ${table}`);
      const now = clock.now();
      const keep = t.rows.map((_, i) => i).filter((i) => !visibleOnly || now >= t.visibleAt[i]);
      const latest = revisions.latestIndexes(table, keep.map((i) => t.rows[i]));
      return [...latest.values()].map((j) => objectOf(table, keep[j]));
    },
    /** Ms at which the last row stored so far becomes visible (<= clock.now() when every row is visible). */
    visibleUntil() {
      let max = -Infinity;
      for (const n of NAMES) for (const v of tables[n].visibleAt) if (v > max) max = v;
      return max;
    },
    /** Appends `n` new alerts with TimeGenerated at the clock's time minus up to `jitterMs` (default latencyMs). Returns the rows. */
    addAlerts(n = 1, { jitterMs = settings.latencyMs, overrides } = {}) {
      const now = clock.now();
      return Array.from({ length: n }, () => insert('SecurityAlert', gen.alert(now - gen.rng.int(0, jitterMs), overrides)));
    },
    /** Appends `n` alerts whose TimeGenerated lies `minAgeMs`..`ageMs` (default 10 min..2 days) in the past, ingested now. Returns allRows() objects. */
    addLateAlerts(n = 1, { ageMs = 2 * 86400e3, minAgeMs = Math.min(600e3, ageMs), overrides } = {}) {
      const now = clock.now();
      const rows = Array.from({ length: n }, () => insert('SecurityAlert', gen.alert(now - irng.int(minAgeMs, ageMs), overrides)));
      return rows.map((row) => objectOf('SecurityAlert', indexOfRow('SecurityAlert', row)));
    },
    /** Appends `n` new incidents; `updates` of them re-log existing incidents with a new Status. */
    addIncidents(n = 1, { updates = 0 } = {}) {
      const now = clock.now();
      const out = [];
      const existing = tables.SecurityIncident.rows;
      for (let i = 0; i < updates && existing.length; i += 1) out.push(insert('SecurityIncident', gen.incident(now, { previous: existing[gen.rng.int(0, existing.length - 1)] })));
      for (let i = 0; i < n; i += 1) out.push(insert('SecurityIncident', gen.incident(now - gen.rng.int(0, 1000))));
      return out;
    },
    /**
     * A new revision (new row) of `n` incidents picked at random (their latest revisions): new TimeGenerated and
     * LastModifiedTime, changed Status/Owner/Classification, sometimes Severity. options: {outOfOrder}. Returns allRows() objects.
     */
    updateIncidents(n = 1, opts = {}) {
      return update('SecurityIncident', n, (prev, ms) => revisions.incidentRevision(gen, prev, ms, irng), () => true, opts);
    },
    /** A new revision of `n` alerts not yet Resolved: same SystemAlertId, new TimeGenerated, Status New -> InProgress -> Resolved. */
    updateAlerts(n = 1, opts = {}) {
      const status = revisions.colIndex('SecurityAlert', 'Status');
      return update('SecurityAlert', n, (prev, ms) => revisions.alertRevision(prev, ms, irng), (row) => row[status] !== 'Resolved', opts);
    },
    /**
     * Adds rows given as objects (column name -> value); missing columns are "" (string) or null. Use for edge cases.
     * An `ingestionTime` key (ISO 8601) sets the ingestion time (default: now).
     */
    addRows(table, objects) {
      if (!tables[table]) throw new TypeError(`workspace.addRows: unknown table ${table}`);
      return objects.map((o) => {
        const ing = o.ingestionTime === undefined ? undefined : parseDatetime(String(o.ingestionTime));
        if (ing === null) throw new TypeError(`workspace.addRows: ingestionTime ${o.ingestionTime} is not an ISO 8601 datetime`);
        return insert(table, rowFromObject(table, o), { ingest: ing });
      });
    },
    /** Changes columns of a stored row in place (e.g. {EndTime: 'garbage'}). */
    override(table, index, overrides) { return applyOverrides(tables[table].rows[index], table, overrides); },
    /** One "time passes" step: a few new alerts (0-3) and sometimes an incident. */
    tick() {
      const a = api.addAlerts(gen.rng.int(0, 3));
      const i = gen.rng.chance(0.3) ? api.addIncidents(1, { updates: gen.rng.chance(0.5) ? 1 : 0 }) : [];
      return { alerts: a.length, incidents: i.length };
    },
    clear(table) { for (const name of table ? [table] : NAMES) for (const arr of Object.values(tables[name])) arr.length = 0; },
  };
  return api;
}

module.exports = { createWorkspace };
