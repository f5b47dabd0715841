'use strict';
// The rows of one Log Analytics workspace: SecurityAlert and SecurityIncident, seeded from data.js,
// growing over time (addAlerts / addIncidents / tick) so that a later poll sees new rows beside old ones.
const { TABLES } = require('./schema');
const { createGenerator, rowFromObject, applyOverrides } = require('./data');

/**
 * options: {clock, seed, tenantId, workspaceId, alerts = 200, incidents = 40, spanHours = 48, ...generator context}
 * Seeded rows are spread over the `spanHours` before the clock's current time.
 */
function createWorkspace(options) {
  const { clock, alerts = 200, incidents = 40, spanHours = 48 } = options;
  const gen = createGenerator(options);
  const tables = {
    SecurityAlert: { rows: [], times: [] },
    SecurityIncident: { rows: [], times: [] },
  };
  const tgIndex = (table) => TABLES[table].findIndex((c) => c.name === 'TimeGenerated');

  function push(table, row) {
    const t = tables[table];
    const ms = Date.parse(row[tgIndex(table)]);
    t.rows.push(row);
    t.times.push(Number.isFinite(ms) ? ms : NaN);
    return row;
  }

  function seed() {
    const now = clock.now();
    const span = spanHours * 3600e3;
    const alertTimes = Array.from({ length: alerts }, () => now - gen.rng.float() * span).sort((a, b) => a - b);
    for (const t of alertTimes) push('SecurityAlert', gen.alert(Math.floor(t)));
    const alertIdCol = TABLES.SecurityAlert.findIndex((c) => c.name === 'SystemAlertId');
    const incTimes = Array.from({ length: incidents }, () => now - gen.rng.float() * span).sort((a, b) => a - b);
    const updates = [];
    for (const t of incTimes) {
      const near = tables.SecurityAlert.rows.filter((_, i) => Math.abs(tables.SecurityAlert.times[i] - t) < 3600e3).slice(0, 3);
      const row = gen.incident(Math.floor(t), { alertIds: near.length ? near.map((r) => r[alertIdCol]) : undefined });
      push('SecurityIncident', row);
      // about a third of the incidents get an update later (same IncidentName, new Status), as Sentinel logs them
      if (gen.rng.chance(0.35)) updates.push([Math.min(now - 1000, t + gen.rng.int(5 * 60e3, 8 * 3600e3)), row]);
    }
    updates.sort((a, b) => a[0] - b[0]);
    for (const [t, prev] of updates) insertSorted('SecurityIncident', gen.incident(Math.floor(t), { previous: prev }));
  }

  function insertSorted(table, row) {
    const t = tables[table];
    const ms = Date.parse(row[tgIndex(table)]);
    let i = t.times.length;
    while (i > 0 && t.times[i - 1] > ms) i -= 1;
    t.rows.splice(i, 0, row);
    t.times.splice(i, 0, ms);
    return row;
  }

  seed();

  const api = {
    workspaceId: options.workspaceId,
    tenantId: options.tenantId,
    /** {rows, times} of a table, or null for an unknown one. Rows are arrays in schema order. */
    table: (name) => tables[name] || null,
    count: (name) => (tables[name] ? tables[name].rows.length : 0),
    /** Appends `n` new alerts with TimeGenerated at the clock's time (minus up to `jitterMs`). Returns the rows. */
    addAlerts(n = 1, { jitterMs = 1000, overrides } = {}) {
      const now = clock.now();
      return Array.from({ length: n }, () => insertSorted('SecurityAlert', gen.alert(now - gen.rng.int(0, jitterMs), overrides)));
    },
    /** Appends `n` new incidents; `updates` of them re-log existing incidents with a new Status. */
    addIncidents(n = 1, { updates = 0 } = {}) {
      const now = clock.now();
      const out = [];
      const existing = tables.SecurityIncident.rows;
      for (let i = 0; i < updates && existing.length; i += 1) out.push(insertSorted('SecurityIncident', gen.incident(now, { previous: existing[gen.rng.int(0, existing.length - 1)] })));
      for (let i = 0; i < n; i += 1) out.push(insertSorted('SecurityIncident', gen.incident(now - gen.rng.int(0, 1000))));
      return out;
    },
    /** Adds rows given as objects (column name -> value); missing columns are "" (string) or null. Use for edge cases. */
    addRows(table, objects) {
      if (!tables[table]) throw new TypeError(`workspace.addRows: unknown table ${table}`);
      return objects.map((o) => insertSorted(table, rowFromObject(table, o)));
    },
    /** Changes columns of the newest alert rows in place (e.g. {EndTime: 'garbage'}). */
    override(table, index, overrides) { return applyOverrides(tables[table].rows[index], table, overrides); },
    /** One "time passes" step: a few new alerts (0-3) and sometimes an incident. */
    tick() {
      const a = api.addAlerts(gen.rng.int(0, 3));
      const i = gen.rng.chance(0.3) ? api.addIncidents(1, { updates: gen.rng.chance(0.5) ? 1 : 0 }) : [];
      return { alerts: a.length, incidents: i.length };
    },
    clear(table) { for (const name of table ? [table] : Object.keys(tables)) { tables[name].rows.length = 0; tables[name].times.length = 0; } },
  };
  return api;
}

module.exports = { createWorkspace };
