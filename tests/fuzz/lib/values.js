'use strict';
// Random values for the differential fuzzer: JSON-like trees with hostile keys, strings and
// numbers, ISO date-times, and a JSON text writer that keeps what JSON.stringify would lose
// (Infinity as 1e400). All randomness comes from `r` (tests/tools/oracle/prng.js).
const { HOSTILE_STRINGS, KEYS, NUMBER_TEXTS } = require('../../tools/oracle/samples');

// Sets an own data property, as JSON.parse does: `__proto__` becomes an own key, not the setter.
function put(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return obj;
}

const NUMBERS = NUMBER_TEXTS.map(Number).concat([0.5, 42, 201, 409, 400, 1e21, 123456789.125, -1e-7]);
const WORDS = ['alice', 'contoso.com', '10.0.0.1', 'Medium', 'New', 'host', 'x', 'Azure Sentinel'];

function string(r) {
  if (r.chance(0.5)) return r.pick(WORDS);
  if (r.chance(0.7)) return r.pick(HOSTILE_STRINGS);
  // a random mix of awkward code units
  const units = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\u0000', '\u001f', '\u007f', '\u00e9', '\u2028', '\ud83d\ude00', '\ud800', '\udfff', '{', '[', '}', ']', ':', ','];
  return Array.from({ length: r.int(1, 8) }, () => r.pick(units)).join('');
}

function key(r) {
  return r.chance(0.6) ? r.pick(KEYS) : r.chance(0.5) ? r.pick(WORDS) : string(r);
}

// A JSON-like value. opts.js: also JS-only values (undefined, NaN, -0) that no JSON text gives.
function value(r, depth = 0, opts = {}) {
  const kinds = depth >= 4 ? 4 : 6;
  switch (r.int(0, kinds)) {
    case 0: return r.pick([null, true, false]);
    case 1:
      if (opts.js && r.chance(0.1)) return r.pick([undefined, NaN, -0, Infinity, -Infinity]);
      if (r.chance(0.05)) return r.pick([Infinity, -Infinity]); // a 1e400 in the text
      return r.pick(NUMBERS);
    case 2: case 3: case 4: return string(r);
    case 5: return Array.from({ length: r.int(0, 4) }, () => value(r, depth + 1, opts));
    default: {
      const o = {};
      const n = r.int(0, 5);
      for (let i = 0; i < n; i++) put(o, key(r), value(r, depth + 1, opts));
      return o;
    }
  }
}

const pad = (n, w) => String(n).padStart(w, '0');

// An ISO-8601 date-time, mostly well-formed, sometimes with out-of-range fields, odd fraction
// lengths, offsets, or in the shorter forms (date only, year-month, year).
function isoDate(r, base) {
  const d = new Date(base + r.int(-86400000 * 400, 86400000 * 400));
  let year = pad(d.getUTCFullYear(), 4);
  if (r.chance(0.03)) year = r.pick(['0000', '9999', '+010000', '-000001', '+275760', '-271821', '-000000', '1969', '1970']);
  let mo = d.getUTCMonth() + 1, da = d.getUTCDate(), h = d.getUTCHours(), mi = d.getUTCMinutes(), s = d.getUTCSeconds();
  if (r.chance(0.05)) {
    const f = r.int(0, 4);
    if (f === 0) mo = r.pick([0, 13, 2]);
    if (f === 1) da = r.pick([0, 29, 30, 31, 32]);
    if (f === 2) h = r.pick([23, 24, 25]);
    if (f === 3) mi = r.pick([59, 60]);
    if (f === 4) s = r.pick([59, 60]);
    if (h === 24 && r.chance(0.5)) { mi = 0; s = 0; }
  }
  const shape = r.next();
  if (shape < 0.02) return year;
  if (shape < 0.04) return `${year}-${pad(mo, 2)}`;
  if (shape < 0.08) return `${year}-${pad(mo, 2)}-${pad(da, 2)}`;
  let t = `${year}-${pad(mo, 2)}-${pad(da, 2)}T${pad(h, 2)}:${pad(mi, 2)}`;
  if (shape > 0.1) {
    t += ':' + pad(s, 2);
    const digits = r.chance(0.7) ? 7 : r.int(0, 12);
    if (digits > 0) t += '.' + Array.from({ length: digits }, () => r.int(0, 9)).join('');
  }
  const off = r.next();
  if (off < 0.75) t += 'Z';
  else if (off < 0.85) t += '';
  else {
    const oh = r.chance(0.95) ? r.int(0, 14) : r.pick([23, 24]);
    const om = r.pick([0, 0, 30, 45, 59, 60]);
    t += `${r.pick(['+', '-'])}${pad(oh, 2)}:${pad(om, 2)}`;
  }
  if (r.chance(0.02)) t = t.replace('T', 't').replace('Z', 'z');
  if (r.chance(0.02)) t = t.replace(/([+-]\d\d):(\d\d)$/, '$1$2');
  return t;
}

// JSON text for a value, with optional random whitespace; Infinity is written 1e400 and -0 as
// -0, so that JSON.parse gives them back; undefined in an array is null, in an object absent.
function jsonWrite(v, r, ws = 0) {
  const sp = () => (ws && r.chance(ws) ? r.pick([' ', '\n', '\t', '\r\n  ']) : '');
  const w = (x) => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'number') {
      if (Number.isNaN(x)) return 'null';
      if (x === Infinity) return '1e400';
      if (x === -Infinity) return '-1e400';
      if (Object.is(x, -0)) return '-0';
      return String(x);
    }
    if (typeof x === 'string' || typeof x === 'boolean') return JSON.stringify(x);
    if (Array.isArray(x)) return '[' + Array.from(x, (e) => sp() + w(e) + sp()).join(',') + ']'; // holes: null
    return '{' + Object.keys(x).filter((k) => x[k] !== undefined)
      .map((k) => sp() + JSON.stringify(k) + sp() + ':' + sp() + w(x[k])).join(',') + '}';
  };
  return sp() + w(v) + sp();
}

module.exports = { put, value, string, key, isoDate, jsonWrite, NUMBERS };
