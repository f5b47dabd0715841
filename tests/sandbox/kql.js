'use strict';
// A small KQL subset, enough for what the flow sends and a little more:
//   <Table> [| where <col> <op> <value> [and ...]] [| take|limit <n>] [| sort|order by <col> [asc|desc]]
//   [| top <n> by <col> [asc|desc]] [| project <col>, ...] [| count]
// values: ago(<timespan>), now(), datetime(<iso>), numbers, "strings", true/false.
// timespans: 12h, 1.5d, 30m, 90s, 500ms, 10microsecond, 5tick, 2days, ...
// Errors are thrown as KqlError {kind: 'SyntaxError'|'SemanticError', code, message, line, pos, token}.

class KqlError extends Error {
  constructor(kind, code, message, extra = {}) {
    super(message);
    Object.assign(this, { kind, code }, extra);
  }
}

const UNITS = {
  d: 864e5, day: 864e5, days: 864e5,
  h: 36e5, hr: 36e5, hrs: 36e5, hour: 36e5, hours: 36e5,
  m: 6e4, min: 6e4, minute: 6e4, minutes: 6e4,
  s: 1e3, sec: 1e3, second: 1e3, seconds: 1e3,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  microsecond: 1e-3, microseconds: 1e-3, micro: 1e-3,
  tick: 1e-4, ticks: 1e-4,
};

/** Milliseconds of a KQL timespan literal such as "12h" or "1.5d"; NaN if it is not one. */
function timespanMs(text) {
  const m = /^(\d+(?:\.\d+)?)([a-z]+)$/i.exec(String(text).trim());
  if (!m || !Object.prototype.hasOwnProperty.call(UNITS, m[2].toLowerCase())) return NaN;
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

function tokenize(q) {
  const tokens = [];
  let i = 0; let line = 1; let lineStart = 0;
  const at = () => ({ line, pos: i - lineStart + 1 });
  while (i < q.length) {
    const c = q[i];
    if (c === '\n') { i += 1; line += 1; lineStart = i; continue; }
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === '/' && q[i + 1] === '/') { while (i < q.length && q[i] !== '\n') i += 1; continue; }
    const start = at();
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[A-Za-z_][A-Za-z0-9_]*)?|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|>=|<=|==|!=|=~|!~|[|(),<>=\-*.])/.exec(q.slice(i));
    if (!m) throw syntax(q[i], start);
    const text = m[0];
    let type = 'punct';
    if (/^[A-Za-z_]/.test(text)) type = 'ident';
    else if (/^\d/.test(text)) type = /[A-Za-z_]/.test(text) ? 'timespan' : 'number';
    else if (text[0] === '"' || text[0] === "'") type = 'string';
    tokens.push({ type, text, ...start });
    i += text.length;
  }
  tokens.push({ type: 'eof', text: '<EOF>', ...at() });
  return tokens;
}

const syntax = (token, where) => new KqlError('SyntaxError', 'SYN0002', `Query could not be parsed at '${token}' on line [${where.line},${where.pos}]`, { line: where.line, pos: where.pos, token });

/** Parses a query into {table, ops: [...]} (no knowledge of tables yet). */
function parse(query) {
  if (typeof query !== 'string' || query.trim() === '') throw new KqlError('SyntaxError', 'SYN0002', "Query could not be parsed at '<EOF>' on line [1,1]", { line: 1, pos: 1, token: '<EOF>' });
  const t = tokenize(query);
  let k = 0;
  const peek = () => t[k];
  const next = () => t[k++];
  const expect = (pred, what) => { const tok = next(); if (!pred(tok)) throw syntax(tok.text, tok); return tok; };
  const isWord = (w) => (tok) => tok.type === 'ident' && tok.text.toLowerCase() === w;
  const ident = () => expect((x) => x.type === 'ident', 'identifier');

  function value() {
    const tok = next();
    if (tok.type === 'number') return { kind: 'number', value: Number(tok.text) };
    if (tok.type === 'string') return { kind: 'string', value: JSON.parse(tok.text[0] === '"' ? tok.text : `"${tok.text.slice(1, -1).replace(/"/g, '\\"')}"`) };
    if (tok.type === 'timespan') {
      const ms = timespanMs(tok.text);
      if (Number.isNaN(ms)) throw syntax(tok.text, tok);
      return { kind: 'timespan', value: ms };
    }
    if (tok.type === 'punct' && tok.text === '-') {
      const v = value();
      if (v.kind !== 'number' && v.kind !== 'timespan') throw syntax(tok.text, tok);
      return { ...v, value: -v.value };
    }
    if (tok.type === 'ident') {
      const name = tok.text.toLowerCase();
      if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
      if (peek().text === '(') {
        next();
        if (name === 'datetime') {
          // datetime(2025-11-19T10:00:00Z): raw text up to the closing parenthesis
          let raw = '';
          while (peek().type !== 'eof' && peek().text !== ')') raw += next().text;
          expect((x) => x.text === ')');
          const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : /[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
          if (Number.isNaN(ms)) throw syntax(raw || ')', tok);
          return { kind: 'datetime', value: ms };
        }
        const args = [];
        if (peek().text !== ')') { args.push(value()); while (peek().text === ',') { next(); args.push(value()); } }
        expect((x) => x.text === ')');
        return { kind: 'call', name, args, tok };
      }
      return { kind: 'column', name: tok.text, tok };
    }
    throw syntax(tok.text, tok);
  }

  function comparison() {
    const left = value();
    const opTok = next();
    if (!['>', '>=', '<', '<=', '==', '!=', '=~', '!~'].includes(opTok.text)) throw syntax(opTok.text, opTok);
    return { left, op: opTok.text, right: value() };
  }

  const tableTok = ident();
  const ops = [];
  while (peek().type !== 'eof') {
    expect((x) => x.text === '|');
    const opTok = ident();
    const op = opTok.text.toLowerCase();
    if (op === 'where' || op === 'filter') {
      const preds = [comparison()];
      while (isWord('and')(peek())) { next(); preds.push(comparison()); }
      ops.push({ op: 'where', preds, tok: opTok });
    } else if (op === 'take' || op === 'limit') {
      const n = expect((x) => x.type === 'number' && /^\d+$/.test(x.text));
      ops.push({ op: 'take', n: Number(n.text), tok: opTok });
    } else if (op === 'sort' || op === 'order') {
      expect(isWord('by'));
      const keys = [];
      do {
        if (keys.length) next();
        const col = ident();
        let desc = true;
        if (isWord('asc')(peek()) || isWord('desc')(peek())) desc = next().text.toLowerCase() === 'desc';
        keys.push({ col: col.text, desc, tok: col });
      } while (peek().text === ',');
      ops.push({ op: 'sort', keys, tok: opTok });
    } else if (op === 'top') {
      const n = expect((x) => x.type === 'number' && /^\d+$/.test(x.text));
      expect(isWord('by'));
      const col = ident();
      let desc = true;
      if (isWord('asc')(peek()) || isWord('desc')(peek())) desc = next().text.toLowerCase() === 'desc';
      ops.push({ op: 'top', n: Number(n.text), keys: [{ col: col.text, desc, tok: col }], tok: opTok });
    } else if (op === 'project') {
      const cols = [ident()];
      while (peek().text === ',') { next(); cols.push(ident()); }
      ops.push({ op: 'project', cols: cols.map((c) => ({ col: c.text, tok: c })), tok: opTok });
    } else if (op === 'count') {
      ops.push({ op: 'count', tok: opTok });
    } else {
      throw new KqlError('SemanticError', 'SEM0001', `Query operator '${opTok.text}' is not supported by the local sandbox (it knows where, take, limit, sort, order, top, project, count)`, { line: opTok.line, pos: opTok.pos, token: opTok.text });
    }
  }
  return { table: tableTok.text, tableTok, ops };
}

/**
 * Runs a parsed query against `source` = {columns, rows, times} (times: TimeGenerated in ms per row).
 * `now` in ms. Returns {columns, rows}. Throws KqlError for semantic errors.
 */
function execute(parsed, source, now) {
  let columns = source.columns;
  let idx = Array.from({ length: source.rows.length }, (_, i) => i);
  let rows = null; // materialised only after project/count
  const tgCol = columns.findIndex((c) => c.name === 'TimeGenerated');
  const colIndex = (name, opName, tok) => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new KqlError('SemanticError', 'SEM0100', `'${opName}' operator: Failed to resolve scalar expression named '${name}'`, { line: tok.line, pos: tok.pos, token: name });
    return i;
  };
  const scalar = (v, opName) => {
    if (v.kind === 'call') {
      if (v.name === 'ago' && v.args.length === 1 && v.args[0].kind === 'timespan') return { type: 'datetime', value: now - v.args[0].value };
      if (v.name === 'now' && v.args.length === 0) return { type: 'datetime', value: now };
      if (v.name === 'now' && v.args.length === 1 && v.args[0].kind === 'timespan') return { type: 'datetime', value: now + v.args[0].value };
      throw new KqlError('SemanticError', 'SEM0219', `'${opName}' operator: function '${v.name}' with these arguments is not supported here (ago(<timespan>), now())`, { line: v.tok.line, pos: v.tok.pos, token: v.name });
    }
    const types = { number: 'long', string: 'string', timespan: 'timespan', datetime: 'datetime', bool: 'bool' };
    return { type: types[v.kind], value: v.value };
  };
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  for (const op of parsed.ops) {
    const get = (r, ci) => (rows ? rows[r][ci] : ci === tgCol ? source.times[r] : source.rows[r][ci]);
    if (op.op === 'where') {
      const tests = op.preds.map((p) => {
        if (p.left.kind !== 'column') throw new KqlError('SemanticError', 'SEM0025', "'where' operator: the left side of a comparison must be a column in the local sandbox", { line: op.tok.line, pos: op.tok.pos, token: op.tok.text });
        const ci = colIndex(p.left.name, 'where', p.left.tok);
        const type = columns[ci].type;
        const right = scalar(p.right, 'where');
        const comparable = (type === right.type) || (['int', 'long', 'real'].includes(type) && right.type === 'long') || (type === 'datetime' && right.type === 'datetime');
        if (!comparable) {
          throw new KqlError('SemanticError', 'SEM0025', `Cannot compare values of types ${type} and ${right.type}. Try adding explicit casts`, { line: op.tok.line, pos: op.tok.pos, token: p.op });
        }
        const conv = type === 'datetime' ? (v) => (typeof v === 'number' ? v : v === null ? NaN : Date.parse(v)) : (v) => v;
        const rv = right.value;
        const f = {
          '>': (v) => v > rv, '>=': (v) => v >= rv, '<': (v) => v < rv, '<=': (v) => v <= rv,
          '==': (v) => v === rv, '!=': (v) => v !== rv,
          '=~': (v) => String(v).toLowerCase() === String(rv).toLowerCase(), '!~': (v) => String(v).toLowerCase() !== String(rv).toLowerCase(),
        }[p.op];
        return (r) => f(conv(get(r, ci)));
      });
      idx = idx.filter((r) => tests.every((fn) => fn(r)));
    } else if (op.op === 'take') {
      idx = idx.slice(0, op.n);
    } else if (op.op === 'sort' || op.op === 'top') {
      const keys = op.keys.map((k) => ({ ci: colIndex(k.col, op.op === 'top' ? 'top' : 'sort', k.tok), desc: k.desc }));
      const key = (r, ci) => {
        const v = get(r, ci);
        return columns[ci].type === 'datetime' && typeof v === 'string' ? Date.parse(v) : v;
      };
      idx = idx.slice().sort((a, b) => {
        for (const k of keys) {
          const c = cmp(key(a, k.ci), key(b, k.ci));
          if (c) return k.desc ? -c : c;
        }
        return 0;
      });
      if (op.op === 'top') idx = idx.slice(0, op.n);
    } else if (op.op === 'project') {
      const cis = op.cols.map((c) => colIndex(c.col, 'project', c.tok));
      const base = rows || source.rows;
      rows = idx.map((r) => cis.map((ci) => base[r][ci]));
      idx = rows.map((_, i) => i);
      columns = cis.map((ci) => ({ ...columns[ci] }));
    } else if (op.op === 'count') {
      rows = [[idx.length]];
      idx = [0];
      columns = [{ name: 'Count', type: 'long' }];
    }
  }
  const base = rows || source.rows;
  return { columns: columns.map((c) => ({ name: c.name, type: c.type })), rows: idx.map((r) => base[r]) };
}

/** ISO 8601 duration ("PT12H", "P1D", "P1DT2H30M") or "start/end" interval -> {from, to} in ms relative to now. */
function timespanWindow(timespan, now) {
  if (timespan === undefined || timespan === null || timespan === '') return null;
  const s = String(timespan);
  if (s.includes('/')) {
    const [a, b] = s.split('/');
    const from = Date.parse(a); const to = Date.parse(b);
    if (Number.isFinite(from) && Number.isFinite(to)) return { from, to };
    const d = isoDurationMs(b);
    if (Number.isFinite(from) && Number.isFinite(d)) return { from, to: from + d };
    return undefined;
  }
  const d = isoDurationMs(s);
  return Number.isFinite(d) ? { from: now - d, to: now } : undefined;
}

function isoDurationMs(s) {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(String(s));
  if (!m || s === 'P' || /T$/i.test(s)) return NaN;
  return (Number(m[1] || 0) * 864e5) + (Number(m[2] || 0) * 36e5) + (Number(m[3] || 0) * 6e4) + (Number(m[4] || 0) * 1e3);
}

module.exports = { parse, execute, timespanMs, timespanWindow, KqlError };
