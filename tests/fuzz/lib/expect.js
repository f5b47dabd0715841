'use strict';
// What our core must output for a case, computed with the oracle (the original flow's code).
//
// expect(oracle, kase) returns {skip: reason} or {alts: [expectation...], deliberate: [reasons]}.
// An expectation is {throws: true} | {none: true, warnings} | {parts, warnings}, where warnings is
// {exact: [text...], extra: [{includes: [text...]}...], loose: bool}: the original's warnings in
// order, plus the warnings of our deliberate improvements, each naming what it includes. Our
// output passes if it matches any alternative. `deliberate` names the known differences from the
// brief that shaped the expectation (each one a SPEC.md "Deliberate improvement" or a documented
// error) so that the run can count them.
const { encode, decode } = require('../../tools/oracle/codec');
const { outcomeOf } = require('../../tools/oracle/parts');

// Strict ISO-8601 as V8's ISO parser reads it (anything else falls to its legacy parser).
const ISO = /^(\d{4}|[+-]\d{6})(-\d\d(-\d\d)?)?(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/;
// ISO-like variants V8 also reads (space or lower-case t, lower-case z, offset without colon)
const ISO_LIKE = /^(\d{4}|[+-]\d{6})(-\d\d(-\d\d)?)?([Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)?)?$/;
const RETENTION = /^\d{1,9}(\.\d{1,9})?(ms|d|h|m|s)$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TENANT = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const JWS_PART = /^[A-Za-z0-9_-]+$/;
// What an HTTP header value can carry (Node's http refuses the rest); a credential must be such text.
const headerText = (v) => typeof v === 'string' && !/[^\t\x20-\x7e\x80-\xff]/.test(v);
const BAD_API_KEY = 'API key not text or with a character a header cannot carry';

const copy = (v) => decode(encode(v));
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
// (an object whose own toString is not a function makes `new Date(v)` throw: invalid too)
const validTime = (v) => { try { return !Number.isNaN(new Date(v).getTime()); } catch (e) { return false; } };

function withWarnings(outcome, exact, extra = [], loose = false) {
  if (outcome.throws) return outcome;
  return { ...outcome, warnings: { exact, extra, loose } };
}

// Runs the oracle. dateSeq(msg) -> for each one-argument `new Date(x)` the step makes, in order
// (prepare-bulk makes one per document with a truthy EndTime), the time to read instead, or
// undefined to read x itself.
function runOracle(oracle, step, msg, now, dateSeq) {
  if (!dateSeq) return oracle.run(step, msg, { now });
  const RealDate = global.Date;
  const fixed = RealDate.parse(now);
  const seq = dateSeq(msg);
  let n = 0;
  // the clock is fixed here rather than by oracle.run, whose own Date would hide which
  // constructions read a value and which read the clock
  global.Date = class extends RealDate {
    constructor(...a) {
      if (a.length === 0) super(fixed);
      else if (a.length === 1) { const t = seq[n++]; super(t === undefined ? a[0] : t); } else super(...a);
    }
    static now() { return fixed; }
  };
  try {
    return oracle.run(step, msg, {});
  } finally {
    global.Date = RealDate;
  }
}

// A payload that arrives as text is read as JSON first (SPEC node table: object, string or
// Buffer); the original only reads parsed objects.
function parsedPayload(msg, deliberate) {
  const p = msg.payload;
  if (typeof p !== 'string' && !Buffer.isBuffer(p)) return { ok: true };
  deliberate.push('payload as text');
  try {
    msg.payload = JSON.parse(Buffer.isBuffer(p) ? p.toString('utf8') : p);
    return { ok: true };
  } catch (e) {
    return { ok: false };
  }
}

// True when a JSON text names `tables` twice in its top-level object, or `columns` or `rows`
// twice in the first element of `tables`: a response that ours refuses (README, differences;
// JSON.parse keeps the last one). Only the structure matters: numbers and literals are skipped.
function namesTableKeyTwice(text) {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[{}[\],]/g) || [];
  const stack = [];
  let key = null;
  for (const tok of tokens) {
    const top = stack[stack.length - 1];
    if (tok[0] === '"') {
      if (top && top.object && top.expectKey) {
        key = JSON.parse(tok);
        top.expectKey = false;
        const watched = top.role === 'root' ? ['tables'] : top.role === 'table0' ? ['columns', 'rows'] : [];
        if (watched.includes(key)) {
          if (top.keys.has(key)) return true;
          top.keys.add(key);
        }
      }
    } else if (tok === '{' || tok === '[') {
      let role = null;
      if (!top) role = tok === '{' ? 'root' : null;
      else if (top.role === 'root' && key === 'tables' && tok === '[') role = 'tables';
      else if (top.role === 'tables' && top.index === 0 && tok === '{') role = 'table0';
      stack.push({ object: tok === '{', keys: new Set(), index: 0, role, expectKey: tok === '{' });
    } else if (tok === '}' || tok === ']') {
      stack.pop();
    } else if (top) { // ','
      if (top.object) top.expectKey = true;
      else top.index += 1;
    }
  }
  return false;
}

// convert: {skip} | {throws} | {outcome, docs} with docs = the original's rows (for fused).
function convertExpect(oracle, msg, now, deliberate) {
  const p0 = msg.payload;
  const text = typeof p0 === 'string' ? p0 : Buffer.isBuffer(p0) ? p0.toString('utf8') : null;
  if (!parsedPayload(msg, deliberate).ok) return { throws: true };
  if (text !== null && namesTableKeyTwice(text)) {
    deliberate.push('a key named twice');
    return { throws: true };
  }
  const p = msg.payload;
  if (p && typeof p === 'object' && p.tables && !Array.isArray(p.tables)) {
    deliberate.push('tables not an array');
    return { throws: true };
  }
  let extra = [];
  const t = p && p.tables && p.tables[0];
  if (t && typeof t === 'object' && Array.isArray(t.rows) && Array.isArray(t.columns)) {
    const names = t.columns.map((c) => (c === null || c === undefined ? null : String(c.name)));
    if (names.includes('__proto__') && t.rows.some((row) => Array.isArray(row) && names.some((n, i) => n === '__proto__' && typeof row[i] === 'object'))) {
      return { skip: '__proto__ column carrying an object or null (the original changes the row prototype)' };
    }
    const dropped = [];
    t.rows.forEach((row, i) => { if (!Array.isArray(row)) dropped.push(i); });
    if (dropped.length && !names.includes(null)) {
      deliberate.push('row not an array');
      t.rows = t.rows.filter((row) => Array.isArray(row));
      extra = dropped.map((i) => ({ includes: [String(i)] }));
    }
  }
  const out = runOracle(oracle, 'convert', msg, now);
  const outcome = outcomeOf('convert', out);
  if (outcome.throws) return { throws: true };
  const expectation = withWarnings(outcome, out.warnings, extra, extra.length > 0);
  return { outcome: expectation, docs: outcome.none ? null : out.msg.payload };
}

// How the original's `new Date(doc.EndTime)` reads an EndTime: 'ok' (same as ours), 'invalid'
// (we fall back with a warning), 'either' (V8's legacy parser reads it; we treat it as invalid).
// 'legacy' (a string V8's legacy parser reads: we treat it as invalid) or 'nonstring' (true, an
// array holding a date...: V8 reads it; ours may or may not).
function endTimeKind(e) {
  if (!e) return 'ok';
  const valid = validTime(e);
  if (typeof e === 'string') return !valid ? 'invalid' : ISO.test(e) && !e.startsWith('-000000') ? 'ok' : ISO_LIKE.test(e) ? 'isolike' : 'legacy';
  if (typeof e === 'number' || typeof e === 'boolean') return valid ? 'ok' : 'invalid';
  // An array is read as its String(): the string rules apply.
  if (Array.isArray(e)) {
    let text;
    try { text = String(e); } catch (err) { return 'unreadable'; }
    return text === '' ? 'invalid' : endTimeKind(text);
  }
  return valid ? 'nonstring' : 'invalid';
}

// prepare-bulk over documents. prefix: warnings already expected (from convert, in fused).
function bulkExpect(oracle, msg, now, deliberate, prefix = { exact: [], extra: [], loose: false }) {
  const docs = msg.payload;
  if (!Array.isArray(docs)) return { skip: 'documents not an array (outside the generator)' };
  const host = msg.elastic && msg.elastic.host;
  if (!host || !(msg.elastic && msg.elastic.apiKey)) {
    deliberate.push('missing Elasticsearch host or API key');
    return { alts: [{ throws: true }] };
  }
  if (!headerText(msg.elastic.apiKey)) {
    deliberate.push(BAD_API_KEY);
    return { alts: [{ throws: true }] };
  }
  if (typeof host === 'string' && /\/+$/.test(host) && host.replace(/\/+$/, '') !== '') {
    deliberate.push('host with a trailing slash');
    msg.elastic.host = host.replace(/\/+$/, '');
  }
  const extra = [...prefix.extra];
  const keep = [];
  docs.forEach((d, i) => {
    if (isObject(d)) keep.push(i);
    else extra.push({ includes: [String(i)] });
  });
  if (keep.length < docs.length) deliberate.push('document not an object');
  for (const i of keep) {
    const d = docs[i];
    if (own(d, '__proto__') && d.__proto__ !== null && typeof Object.getOwnPropertyDescriptor(d, '__proto__').value === 'object') {
      return { skip: 'top-level __proto__ carrying an object (the original changes the prototype)' };
    }
  }
  // String() of an object with its own toString/valueOf data property throws in the original (the
  // whole batch is lost); ours gives "[object Object]" (README, differences).
  const ownToString = (v) => (Array.isArray(v) ? v.some(ownToString) : isObject(v) && (own(v, 'toString') || own(v, 'valueOf') || own(v, '__proto__')));
  for (const i of keep) {
    const d = docs[i];
    if (ownToString(d.SystemAlertId) || (!d.SystemAlertId && ownToString(d.IncidentName))) {
      return { skip: 'an _id object with its own toString or __proto__ (the original throws or inherits; ours uses [object Object])' };
    }
  }
  if (keep.length === 0) {
    if (docs.length === 0) deliberate.push('empty document array');
    return { alts: [withWarnings({ none: true }, prefix.exact, extra, prefix.loose)] };
  }
  const kinds = keep.map((i) => endTimeKind(docs[i].EndTime));
  if (kinds.includes('unreadable')) return { skip: 'an EndTime array whose String() throws (an object with its own toString inside)' };
  if (kinds.includes('invalid')) deliberate.push('invalid EndTime');
  if (kinds.includes('legacy') || kinds.includes('isolike')) deliberate.push('non-ISO EndTime');
  const alts = [];
  // A fallback TimeGenerated that V8's legacy parser reads: we may treat it as invalid (now).
  const tgEither = keep.some((i, j) => kinds[j] !== 'ok' && endTimeKind(docs[i].TimeGenerated) !== 'ok');
  const choices = (kind) => (kinds.includes(kind) ? ['invalid', 'ok'] : ['ok']);
  for (const likeAs of choices('isolike')) for (const legacyAs of choices('legacy')) for (const otherAs of choices('nonstring')) for (const tgMode of tgEither ? ['strict', 'v8'] : ['v8']) {
    {
      const m = copy(msg);
      m.payload = keep.map((i) => m.payload[i]);
      const fallback = new Set();
      const warn = [...extra];
      keep.forEach((i, j) => {
        const kind = { legacy: legacyAs, nonstring: otherAs, isolike: likeAs }[kinds[j]] || kinds[j];
        if (kind === 'invalid') { fallback.add(j); warn.push({ includes: prefix.renumbered ? ['EndTime'] : [String(i), 'EndTime'] }); }
      });
      const out = runOracle(oracle, 'prepare-bulk', m, now, fallback.size === 0 ? undefined : (om) => {
        const seq = [];
        om.payload.forEach((doc, j) => {
          if (!doc.EndTime) return;
          if (!fallback.has(j)) { seq.push(undefined); return; }
          const tg = doc.TimeGenerated;
          const usable = tg && validTime(tg) && (tgMode === 'v8' || endTimeKind(tg) === 'ok');
          seq.push(usable ? new Date(tg).getTime() : Date.parse(now));
        });
        return seq;
      });
      alts.push(withWarnings(outcomeOf('prepare-bulk', out), prefix.exact, warn, prefix.loose));
    }
  }
  return { alts };
}

function filterExpect(oracle, msg, now, deliberate) {
  if (!parsedPayload(msg, []).ok) return { alts: [{ throws: true }] };
  const body = msg.payload;
  if (body === null || body === undefined) return { alts: [{ throws: true }] };
  if (typeof body !== 'object' || Array.isArray(body)) {
    deliberate.push('bulk response not an object');
    return { alts: [{ throws: true }] };
  }
  if ((body.items === undefined || (Array.isArray(body.items) && body.items.length === 0)) && body.error !== undefined && body.error !== null && (typeof body.error === 'object' || typeof body.error === 'string')) {
    deliberate.push('whole-request error body reported as an error');
    return { alts: [{ throws: true }] };
  }
  const marker = [];
  if (Array.isArray(body.items) && body.items.some((it) => it === null || it === undefined)) {
    deliberate.push('null item kept');
    body.items = body.items.map((it) => {
      if (it !== null && it !== undefined) return it;
      const m = {};
      marker.push(m);
      return m;
    });
  }
  const out = runOracle(oracle, 'filter-409', msg, now);
  const outcome = outcomeOf('filter-409', out);
  if (marker.length && outcome.parts && outcome.parts.payload && Array.isArray(outcome.parts.payload.items)) {
    outcome.parts.payload.items = outcome.parts.payload.items.map((it) => (marker.includes(it) ? null : it));
  }
  const alts = [withWarnings(outcome, out.warnings)];
  if (marker.length) alts.push({ throws: true }); // "we throw / treat a null item as kept"
  return { alts };
}

function tokenExpect(oracle, msg, now, deliberate, unlisted) {
  const o = msg.oauth || {};
  if (!o.clientId || !o.tenantId || !o.scope || !msg.client_assertion) {
    deliberate.push('missing client id, tenant id, scope or assertion');
    return { alts: [{ throws: true }] };
  }
  const tenant = String(o.tenantId);
  if (!(TENANT.test(tenant) && tenant.length <= 253 && !tenant.includes('..'))) {
    unlisted.push('tenant id validated');
    return { alts: [{ throws: true }] };
  }
  const parts = String(msg.client_assertion).split('.');
  if (parts.length !== 3 || !parts.every((p) => JWS_PART.test(p))) {
    unlisted.push('client assertion must be a compact JWS');
    return { alts: [{ throws: true }] };
  }
  const out = runOracle(oracle, 'token-request', msg, now);
  return { alts: [withWarnings(outcomeOf('token-request', out), out.warnings)] };
}

function queryExpect(oracle, msg, now, deliberate, table) {
  const step = table === 'SecurityIncident' ? 'query-incidents' : 'query-alerts';
  const token = msg.payload && msg.payload.access_token;
  const ws = msg.oauth && msg.oauth.workspaceId;
  const retention = msg.retention || '12h';
  if (token && (!ws || !GUID.test(String(ws)) || !RETENTION.test(String(retention)))) {
    deliberate.push('invalid retention or workspace id');
    return { alts: [{ throws: true }] };
  }
  if (token && !headerText(token)) {
    deliberate.push('access token not text or with a character a header cannot carry');
    return { alts: [{ throws: true }] };
  }
  const out = runOracle(oracle, step, msg, now);
  return { alts: [withWarnings(outcomeOf(step, out), out.warnings)] };
}

function expect(oracle, kase) {
  const msg = copy(kase.input);
  const deliberate = [];
  const unlisted = [];
  let res;
  switch (kase.step) {
    case 'convert': {
      const c = convertExpect(oracle, msg, kase.now, deliberate);
      res = c.skip ? c : { alts: [c.throws ? { throws: true } : c.outcome] };
      break;
    }
    case 'prepare-bulk':
      res = bulkExpect(oracle, msg, kase.now, deliberate);
      break;
    case 'fused': {
      if (Array.isArray(msg.payload)) { res = { skip: 'a document array is the prepare-bulk step (outside the generator)' }; break; }
      deliberate.push('raw response to sentinel-bulk');
      // the settings are checked before the response is read
      const apiKey = msg.elastic && msg.elastic.apiKey;
      if (apiKey && !headerText(apiKey)) { deliberate.push(BAD_API_KEY); res = { alts: [{ throws: true }] }; break; }
      const c = convertExpect(oracle, msg, kase.now, deliberate);
      if (c.skip || c.throws) { res = c.skip ? c : { alts: [{ throws: true }] }; break; }
      if (!c.docs) { res = { alts: [c.outcome] }; break; }
      const bulkMsg = { payload: c.docs, oauth: msg.oauth, elastic: msg.elastic };
      const prefix = { ...c.outcome.warnings, renumbered: c.outcome.warnings.extra.length > 0 };
      res = bulkExpect(oracle, bulkMsg, kase.now, deliberate, prefix);
      break;
    }
    case 'filter-409':
      res = filterExpect(oracle, msg, kase.now, deliberate);
      break;
    case 'token-request':
      res = tokenExpect(oracle, msg, kase.now, deliberate, unlisted);
      break;
    case 'query':
      res = queryExpect(oracle, msg, kase.now, deliberate, kase.table);
      break;
    default:
      throw new Error(`unknown step ${kase.step}`);
  }
  return { ...res, deliberate, unlisted };
}

module.exports = { expect, runOracle, ISO, namesTableKeyTwice };
