'use strict';
// Case generators, one per fuzzed step. A case is {step, now, input: msg, table?}: the input
// message of the original function node. Payloads that arrive as text (string or Buffer) are
// written with values.jsonWrite so that JSON.parse gives back what the object form holds.
const samples = require('../../tools/oracle/samples');
const { put, value, string, key, isoDate, jsonWrite } = require('./values');

const BASE = Date.parse('2025-11-19T12:00:00.000Z');
const FIELDS = ['Owner', 'AlertIds', 'AdditionalData', 'ExtendedProperties', 'Entities'];
const HOSTS = ['https://elastic.host:9200', 'https://es.example.com', 'http://127.0.0.1:9200', 'https://proxy.example/elastic', 'http://[::1]:9200'];
const ODD_HOSTS = ['es.example.com:9200', 'HTTPS://ES.EXAMPLE.COM', 'https://elastic.host:9200/', 'https://proxy.example/elastic//', 'https://es.example.com:443'];
const TENANTS = ['contoso', 'fabrikam', '', undefined, 'T\u00e9nant "A" \\ \ud83d\ude00', 0, 5, true, 'lone \ud800'];

const nowOf = (r) => new Date(BASE + r.int(-86400000, 86400000)).toISOString();

// Puts a payload into one of its three arrival forms. The object form is what JSON.parse makes
// of the text (as the http request node gives it): no holes, undefined or NaN; 1e400 is Infinity.
function form(r, v, weights = [0.6, 0.25]) {
  const roll = r.next();
  const text = jsonWrite(v, r, r.chance(0.2) ? 0.2 : 0);
  if (roll < weights[0]) return JSON.parse(text);
  return roll < weights[0] + weights[1] ? text : Buffer.from(text, 'utf8');
}

// An EndTime: mostly ISO, sometimes absent, null, falsy, a number, or something invalid.
// (undefined, for an absent EndTime, only where a JS value can hold it: documents, js mode)
function endTime(r, undefinedOk = true) {
  const roll = r.next();
  if (roll < 0.7) return isoDate(r, BASE);
  if (roll < 0.8) return r.pick([null, '', 0, false, undefinedOk ? undefined : null]);
  if (roll < 0.86) return r.pick([1763546400123, 0.5, -1, 8.64e15, 8.64e15 + 1, 1e300]);
  return r.pick(['not a date', '2025-13-01T00:00:00Z', 'garbage', '1763546400000', {}, [], 'Nov 19 2025', '2025-11-19 10:00:00Z', ' 2025-11-19T10:00:00Z', true]);
}

// A query API response: realistic (samples.js), then perhaps made hostile.
function response(r, js) {
  const tableName = r.chance(0.5) ? 'SecurityAlert' : 'SecurityIncident';
  const resp = samples.response(r, tableName, r.pick([0, 1, 1, 2, 3, 5]), BASE);
  const t = resp.tables[0];
  const ncols = t.columns.length;
  const mutations = r.chance(0.5) ? r.int(1, 4) : 0;
  for (let m = 0; m < mutations; m++) {
    const roll = r.next();
    const pickRow = t.rows.length ? r.int(0, t.rows.length - 1) : -1;
    const row = pickRow >= 0 && Array.isArray(t.rows[pickRow]) ? pickRow : -1;
    const col = ncols ? r.int(0, ncols - 1) : -1;
    if (roll < 0.25 && row >= 0 && col >= 0) {
      t.rows[row][col] = value(r, 1, { js });
    } else if (roll < 0.4 && row >= 0) {
      const name = r.pick(FIELDS.concat(['EndTime', 'TimeGenerated']));
      const j = t.columns.findIndex((c) => c.name === name);
      if (j >= 0) t.rows[row][j] = name === 'EndTime' || name === 'TimeGenerated' ? endTime(r, js) : r.chance(0.5) ? samples.jsonText(r) : jsonWrite(value(r, 0), r, 0.2);
    } else if (roll < 0.47 && row >= 0) {
      t.rows[row] = r.chance(0.5) ? t.rows[row].slice(0, r.int(0, ncols)) : t.rows[row].concat([value(r, 2)]);
    } else if (roll < 0.52 && col >= 0) {
      t.columns[col] = r.pick([{ name: key(r), type: 'string' }, { name: t.columns[r.int(0, ncols - 1)].name }, { name: r.pick([5, true, null, 1.5, ['a'], {}]) }, { type: 'string' }]);
    } else if (roll < 0.55 && col >= 0) {
      t.columns[col] = { name: '__proto__', type: 'dynamic' };
    } else if (roll < 0.58) {
      t.rows.splice(r.int(0, t.rows.length), 0, r.pick([null, 'abc', { 0: 'x', 1: 'y' }, 7, true]));
    } else if (roll < 0.61) {
      put(resp, key(r), value(r, 1));
    } else if (roll < 0.64) {
      resp.tables.push({ name: 'Second', columns: [{ name: 'A' }], rows: [['b']] });
    } else if (roll < 0.66) {
      put(t, key(r), value(r, 2));
    } else if (roll < 0.7) {
      const shape = r.int(0, 9);
      if (shape === 0) delete resp.tables;
      if (shape === 1) resp.tables = [];
      if (shape === 2) resp.tables = [null];
      if (shape === 3) resp.tables = { 0: t };
      if (shape === 4) resp.tables = r.pick(['abc', 5, true, '']);
      if (shape === 5) delete t.rows;
      if (shape === 6) delete t.columns;
      if (shape === 7) t.rows = r.pick([{}, 'ab', 5, null]);
      if (shape === 8) t.columns = r.pick([{}, 'ab', null, [null]]);
      if (shape === 9) resp.tables = [[t]];
      break; // the response's shape changed: no further mutation
    } else if (roll < 0.75 && row >= 0) {
      for (let j = 0; j < ncols; j++) if (r.chance(0.3)) t.rows[row][j] = r.pick(js ? [null, '', undefined, NaN, Infinity, -0] : [null, '', Infinity, -Infinity, -0, 2 ** 53, 1e21]);
    } else {
      // many rows, to exercise the row loop
      const extra = samples.response(r, tableName, r.int(5, 20), BASE).tables[0];
      if (extra.columns.length === t.columns.length) t.rows.push(...extra.rows);
    }
  }
  if (r.chance(0.02)) return r.pick([null, 42, 'x', [], {}, { error: { code: 'BadRequest' } }]);
  return resp;
}

// Now and then, a response text names `tables`, `columns` or `rows` once more (ours refuses it,
// the original keeps the last one; see expect.js).
function namedTwice(r, payload) {
  if ((typeof payload !== 'string' && !Buffer.isBuffer(payload)) || !r.chance(0.03)) return payload;
  const text = String(payload);
  const k = r.pick(['"tables":', '"columns":', '"rows":']);
  const at = text.indexOf(k);
  if (at < 0) return payload;
  const out = text.slice(0, at) + k + r.pick(['[]', 'null', '[["x"]]']) + ',' + text.slice(at);
  return Buffer.isBuffer(payload) ? Buffer.from(out, 'utf8') : out;
}

// opts.jsValues: payload objects may also hold undefined and NaN, which no JSON text gives (the
// http request node parses JSON, so these reach the nodes only from hand-made messages).
function convertCase(r, oracle, opts = {}) {
  const js = Boolean(opts.jsValues) && r.chance(0.1);
  const payload = response(r, js);
  return { step: 'convert', now: nowOf(r), input: { payload: js ? payload : namedTwice(r, form(r, payload)), oauth: { tenantName: 'contoso' } } };
}

function bulkTarget(r) {
  const roll = r.next();
  const tenantName = r.pick(TENANTS);
  const oauth = roll < 0.05 ? undefined : tenantName === undefined ? { clientId: 'c' } : { tenantName };
  const host = r.chance(0.9) ? r.pick(HOSTS) : r.pick(ODD_HOSTS);
  const msg = { oauth, elastic: { host, apiKey: r.chance(0.9) ? r.hex(40) : string(r) || 'k' } };
  if (oauth === undefined) delete msg.oauth;
  return msg;
}

// A document: a realistic converted row (through the original convert step) or a hostile one.
function document(r, oracle, js) {
  let doc;
  if (r.chance(0.6)) {
    for (let tries = 0; tries < 5 && !doc; tries++) {
      const out = oracle.run('convert', { payload: samples.response(r, r.chance(0.5) ? 'SecurityAlert' : 'SecurityIncident', 1, BASE) });
      if (out.msg && Array.isArray(out.msg.payload)) doc = out.msg.payload[0];
    }
  }
  if (!doc || typeof doc !== 'object') {
    doc = {};
    for (let i = r.int(0, 6); i > 0; i--) put(doc, key(r), value(r, 1, { js: js && r.chance(0.2) }));
  }
  const roll = r.next();
  if (roll < 0.5) put(doc, 'EndTime', endTime(r));
  else if (roll < 0.6) delete doc.EndTime;
  if (r.chance(0.2)) put(doc, 'TimeGenerated', r.chance(0.8) ? isoDate(r, BASE) : r.pick(['garbage', null, undefined]));
  if (r.chance(0.15)) put(doc, 'SystemAlertId', r.pick([12345, 0, '0', ' ', '', null, -0, 1e21, 0.30000000000000004, true, false, [null, 'x', ''], [], { a: 1 }, 'a"b\\c\n\u0001\ud800']));
  if (r.chance(0.15)) put(doc, 'IncidentName', r.pick([7, 'x', '\u00e9', '', null, 0, [1, [2]]]));
  if (r.chance(0.1)) put(doc, 'customer', r.pick([{ id: 5 }, { name: 'old', id: 5 }, 'acme', null, [], 0, { name: null }, { name: '' }]));
  if (r.chance(0.05)) put(doc, '@timestamp', r.pick(['old', null, '', 5]));
  if (r.chance(0.03)) put(doc, '__proto__', r.pick([{ SystemAlertId: 'from-proto' }, 'p', null, 1, [1]]));
  // undefined comes from rows shorter than the columns; NaN from no JSON text
  if (r.chance(0.05)) put(doc, key(r), r.pick([Infinity, -Infinity, undefined, -0, [undefined, 1], { u: undefined }, ...(js ? [NaN, [NaN]] : [])]));
  return doc;
}

function bulkCase(r, oracle, opts = {}) {
  const n = r.chance(0.02) ? 0 : r.pick([1, 1, 2, 3, 5]);
  const docs = Array.from({ length: n }, () => (r.chance(0.03) ? r.pick([null, 'abc', 5, true, [1, 2], []]) : document(r, oracle, Boolean(opts.jsValues))));
  return { step: 'prepare-bulk', now: nowOf(r), input: { payload: docs, ...bulkTarget(r) } };
}

function fusedCase(r, oracle, opts = {}) {
  const js = Boolean(opts.jsValues) && r.chance(0.1);
  const payload = response(r, js);
  return { step: 'fused', now: nowOf(r), input: { payload: js ? payload : namedTwice(r, form(r, payload, [0.4, 0.35])), ...bulkTarget(r) } };
}

const OPS = ['create', 'create', 'create', 'index', 'update', 'delete'];
function bulkItem(r, j) {
  const op = r.pick(OPS);
  const id = r.chance(0.9) ? r.guid() : r.pick(['', 'x"y', '\u00e9', '\ud800']);
  const roll = r.next();
  if (roll < 0.35) return { [op]: { _index: 'logs-azure_api', _id: id, _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: j, _primary_term: 1, status: 201 } };
  if (roll < 0.6) return { [op]: { _index: 'logs-azure_api', _id: id, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists (current version [1])` } } };
  if (roll < 0.7) return { [op]: { _id: id, status: r.pick([400, 404, 429, 500, 503]), error: { type: 'mapper_parsing_exception', reason: 'x', caused_by: { type: 'illegal_argument_exception' } } } };
  if (roll < 0.8) {
    const o = { _id: id, status: r.pick([200, 201, 409, 400, '409', '201', '500', null, true, 409.0, 400.5, -1, 399.99, Infinity, -0, 1e21, [409], {}]) };
    if (r.chance(0.7)) o.result = r.pick(['created', 'updated', 'noop', 'deleted', 'not_found', 5, null]);
    return { [op]: o };
  }
  if (roll < 0.86) return r.pick([{}, { create: {} }, { index: { status: 409 }, create: { status: 201 } }, { create: null, index: { status: 409 } }, { create: 0, update: { status: 500 } }, { create: 'x' }, { other: { status: 409 } }]);
  if (roll < 0.9) return r.pick([5, 'str', true, null, [], [{ create: { status: 409 } }]]);
  const o = {};
  put(o, r.pick(OPS.concat(['__proto__', key(r)])), value(r, 1));
  return o;
}

function bulkResultCase(r) {
  const n = r.pick([0, 1, 2, 3, 5, 8, 20]);
  const items = Array.from({ length: n }, (_, j) => bulkItem(r, j));
  const body = {};
  const fields = [
    ['took', () => (r.chance(0.9) ? r.int(0, 5000) : r.pick([null, '30', Infinity, -0, 1e21, { ms: 1 }, 2 ** 53]))],
    ['ingest_took', () => (r.chance(0.9) ? r.int(0, 50) : r.pick([null, Infinity, 'x']))],
    ['errors', () => r.pick([true, false, 'yes', null])],
    ['items', () => (r.chance(0.95) ? items : r.pick([null, {}, { 0: items[0] }, 'x', 5]))],
  ];
  for (const [k, make] of fields) if (r.chance(k === 'items' ? 0.95 : 0.85)) put(body, k, make());
  if (r.chance(0.1)) {
    const keys = Object.keys(body);
    const shuffled = keys.sort(() => r.next() - 0.5);
    const copy = {};
    for (const k of shuffled) put(copy, k, body[k]);
    Object.keys(body).forEach((k) => delete body[k]);
    Object.assign(body, copy);
  }
  for (let i = r.chance(0.15) ? r.int(1, 3) : 0; i > 0; i--) put(body, key(r), value(r, 1));
  let payload = body;
  if (r.chance(0.02)) payload = r.pick([null, 5, 'abc', true, [], [{ create: { status: 409 } }]]);
  if (r.chance(0.02)) return { step: 'filter-409', now: nowOf(r), input: { payload: r.pick(['', '   ', 'not json', '<html>502</html>', '\ufeff{}', '{"a":', 'null', Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])]), statusCode: 200 } };
  return { step: 'filter-409', now: nowOf(r), input: { payload: form(r, payload, [0.5, 0.3]), statusCode: 200 } };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64 = (r, n) => Array.from({ length: n }, () => B64[r.int(0, 63)]).join('');

function tokenCase(r) {
  const hostile = () => (r.chance(0.5) ? string(r) : r.pick([5, 0, true, ['a', 'b'], 'a b/c?d#e&f=g+h%i']));
  const clientId = r.chance(0.85) ? r.guid() : hostile();
  const tenantId = r.chance(0.6) ? r.guid() : r.chance(0.6) ? `t${r.int(0, 99)}.onmicrosoft.com` : r.chance(0.5) ? r.pick(['contoso', 'a-b.c', 'A1', 'x'.repeat(253), 'x'.repeat(254)]) : hostile();
  const scope = r.chance(0.6) ? r.pick(['https://api.loganalytics.io/.default', 'https://management.azure.com/.default', 'api://x y/.default']) : hostile();
  const assertion = r.chance(0.9) ? `${b64(r, r.int(1, 40))}.${b64(r, r.int(1, 80))}.${b64(r, r.int(1, 40))}` : hostile();
  const oauth = { clientId, tenantId, scope, workspaceId: 'w', tenantName: 'contoso' };
  if (r.chance(0.1)) oauth.clientSecret = 's3cr3t';
  if (r.chance(0.04)) delete oauth[r.pick(['clientId', 'tenantId', 'scope'])];
  const input = { payload: 'prev', oauth, client_assertion: r.chance(0.97) ? assertion : r.pick([undefined, '']), certs: { kid: 'k' } };
  if (r.chance(0.01)) delete input.oauth;
  return { step: 'token-request', now: nowOf(r), input };
}

function queryCase(r) {
  const roll = r.next();
  const token = roll < 0.85 ? `${r.hex(40)}.${r.hex(80)}.${r.hex(40)}` : roll < 0.95 ? string(r) : r.pick([5, true, '', null, undefined, ['t'], { a: 1 }]);
  const payload = r.chance(0.97) ? { token_type: 'Bearer', expires_in: 3599, access_token: token } : r.pick([null, {}, 'str']);
  const ws = r.chance(0.9) ? r.guid() : r.pick([r.guid().toUpperCase(), 'abc', '', '../x', r.guid() + ' ', 5]);
  const oauth = r.chance(0.98) ? { workspaceId: ws, tenantName: 'contoso' } : undefined;
  const retention = r.chance(0.85)
    ? r.pick([undefined, '12h', '24h', '1d', '7d', '30m', '90s', '500ms', '1.5d', '0h', '123456789s', '', 0, null, false])
    : r.pick(['1h) | take 1 //', 'yesterday', 5, '12 h', '1.h', '1234567890s', '12H', 'P1D', string(r)]);
  const input = { payload, oauth, retention };
  if (retention === undefined) delete input.retention;
  if (oauth === undefined) delete input.oauth;
  return { step: 'query', table: r.chance(0.5) ? 'SecurityAlert' : 'SecurityIncident', now: nowOf(r), input };
}

const GENERATORS = {
  convert: convertCase,
  'prepare-bulk': bulkCase,
  fused: fusedCase,
  'filter-409': bulkResultCase,
  'token-request': tokenCase,
  query: queryCase,
};

module.exports = { GENERATORS, BASE };
