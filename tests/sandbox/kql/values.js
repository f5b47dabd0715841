'use strict';
// Scalar values of the KQL subset: types, datetime and timespan as exact 100 ns ticks (BigInt),
// and the text forms the Log Analytics query API uses for them in responses.
//
// Runtime representation, by Kusto type:
//   string -> JS string (never null, as in Kusto: "" stands for missing)
//   long, int, real -> JS number or null
//   bool -> true, false or null
//   datetime, timespan -> BigInt ticks of 100 ns (datetime: since 1970-01-01Z) or null
//   dynamic -> the JSON text as stored (the query API sends dynamic cells as JSON text) or null
// Table cells stay in their response form (datetime as "2025-11-19T10:00:00.1234567Z"), so rows that
// a query does not change go out byte for byte as stored; expressions read cells through `fromCell`.

const TICKS_PER_MS = 10000n;
const TICKS_PER_SECOND = 10000000n;
const UNIT_TICKS = {
  d: 864000000000n, day: 864000000000n, days: 864000000000n,
  h: 36000000000n, hr: 36000000000n, hrs: 36000000000n, hour: 36000000000n, hours: 36000000000n,
  m: 600000000n, min: 600000000n, minute: 600000000n, minutes: 600000000n,
  s: 10000000n, sec: 10000000n, second: 10000000n, seconds: 10000000n,
  ms: 10000n, milli: 10000n, millis: 10000n, millisecond: 10000n, milliseconds: 10000n,
  microsecond: 10n, microseconds: 10n, micro: 10n,
  tick: 1n, ticks: 1n,
};

const floorDiv = (a, b) => { const q = a / b; return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q; };

/** Ticks of a timespan literal such as "12h", "1.5d", "500ms"; null when it is not one. Exact (decimal, not float). */
function parseTimespanLiteral(text) {
  const m = /^(\d+)(?:\.(\d+))?([a-z]+)$/i.exec(String(text).trim());
  if (!m) return null;
  const unit = UNIT_TICKS[m[3].toLowerCase()];
  if (unit === undefined) return null;
  const frac = m[2] || '';
  return BigInt(m[1]) * unit + (frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n);
}

/** Ticks of "[-][d.]hh:mm[:ss[.fffffff]]" (the form timespan values print in), or of a literal ("5m"); null otherwise. */
function parseTimespanText(text) {
  const s = String(text).trim();
  const lit = parseTimespanLiteral(s);
  if (lit !== null) return lit;
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2] || 0) * UNIT_TICKS.d + BigInt(m[3]) * UNIT_TICKS.h + BigInt(m[4]) * UNIT_TICKS.m
    + BigInt(m[5] || 0) * UNIT_TICKS.s + BigInt((m[6] || '').padEnd(7, '0') || 0);
  return m[1] ? -v : v;
}

/** "[-][d.]hh:mm:ss[.fffffff]", as the query API prints timespan cells. */
function formatTimespan(ticks) {
  if (ticks === null || ticks === undefined) return null;
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / UNIT_TICKS.d; t %= UNIT_TICKS.d;
  const h = t / UNIT_TICKS.h; t %= UNIT_TICKS.h;
  const mi = t / UNIT_TICKS.m; t %= UNIT_TICKS.m;
  const s = t / UNIT_TICKS.s; t %= UNIT_TICKS.s;
  const p2 = (x) => String(x).padStart(2, '0');
  return `${neg ? '-' : ''}${days ? `${days}.` : ''}${p2(h)}:${p2(mi)}:${p2(s)}${t ? `.${String(t).padStart(7, '0')}` : ''}`;
}

const DT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const dtCache = new Map();

/**
 * Ticks of an ISO 8601 datetime ("2025-11-19", "2025-11-19T10:00:00.1234567Z", "2025-11-19 10:00Z",
 * "...+01:00"; no zone means UTC, as in Kusto; more than 7 fraction digits are truncated). null if not one.
 */
function parseDatetime(text) {
  if (typeof text !== 'string') return null;
  let v = dtCache.get(text);
  if (v !== undefined) return v;
  v = parseDatetimeUncached(text);
  if (dtCache.size >= 200000) dtCache.clear();
  dtCache.set(text, v);
  return v;
}

function parseDatetimeUncached(text) {
  const m = DT.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y); // Date.UTC alone would read years 0..99 as 1900..1999
  if (y < 1 || date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return null;
  const ms = date.getTime();
  let ticks = BigInt(ms) * TICKS_PER_MS + BigInt((m[7] || '').slice(0, 7).padEnd(7, '0') || 0);
  if (m[8] && m[8].toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8]);
    const off = BigInt(Number(z[2]) * 60 + Number(z[3])) * UNIT_TICKS.m;
    ticks += z[1] === '+' ? -off : off;
  }
  return ticks;
}

/** "2025-11-19T10:00:00.1234567Z": ISO 8601 with exactly 7 fraction digits and Z, as the query API prints datetimes. */
function formatDatetime(ticks) {
  if (ticks === null || ticks === undefined) return null;
  const sec = floorDiv(ticks, TICKS_PER_SECOND);
  const frac = ticks - sec * TICKS_PER_SECOND;
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${String(frac).padStart(7, '0')}Z`;
}

const msToTicks = (ms) => BigInt(Math.floor(ms)) * TICKS_PER_MS + BigInt(Math.round((ms - Math.floor(ms)) * 1e4));
const ticksToMs = (ticks) => Number(floorDiv(ticks, TICKS_PER_MS));

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);
const isNumeric = (type) => NUMERIC.has(type);

/** Typed value of a stored/response cell of a column of `type`. */
function fromCell(type, cell) {
  if (cell === null || cell === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'datetime': return typeof cell === 'string' ? parseDatetime(cell) : typeof cell === 'bigint' ? cell : null;
    case 'timespan': return typeof cell === 'string' ? parseTimespanText(cell) : typeof cell === 'bigint' ? cell : null;
    case 'int': case 'long': case 'real': case 'decimal': return typeof cell === 'number' ? cell : Number.isFinite(Number(cell)) ? Number(cell) : null;
    case 'bool': return typeof cell === 'boolean' ? cell : cell === 1 || cell === 'true' ? true : cell === 0 || cell === 'false' ? false : null;
    case 'string': return typeof cell === 'string' ? cell : JSON.stringify(cell);
    default: return cell;
  }
}

/** Response cell of a typed value. */
function toCell(type, value) {
  if (value === null || value === undefined) return type === 'string' ? '' : null;
  if (type === 'datetime') return formatDatetime(value);
  if (type === 'timespan') return formatTimespan(value);
  return value;
}

/** tostring(): the text of a typed value ("" for null). */
function toText(type, value) {
  if (value === null || value === undefined) return '';
  if (type === 'datetime') return formatDatetime(value);
  if (type === 'timespan') return formatTimespan(value);
  if (type === 'dynamic') return typeof value === 'string' ? value : JSON.stringify(value);
  return String(value);
}

/** Three-way comparison of two non-null values of one comparable type (numbers, BigInt ticks, strings by ordinal, bools). */
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

module.exports = {
  TICKS_PER_MS, TICKS_PER_SECOND, UNIT_TICKS, floorDiv, parseTimespanLiteral, parseTimespanText, formatTimespan,
  parseDatetime, formatDatetime, msToTicks, ticksToMs, isNumeric, fromCell, toCell, toText, compare,
};
