'use strict';
// Type checking and evaluation of scalar expressions. compile(ast, env) -> {type, fn(row, i), cell?, constant?}
// where fn returns the typed value (see values.js) for a row array and its index; `cell` (for plain column
// references) returns the stored cell unchanged. env: {columns, lets: Map name -> {type, value}, ing
// (ingestion ticks per row index, or null), nowTicks, opName}.
// Semantics follow Kusto: null == x is false, null != x is true, null == null and ordering with null
// are null (a `where` keeps only true); strings cannot be ordered with < > (SEM0025, as the service says).
const { semanticError } = require('./errors');
const V = require('./values');

const NUM = (t) => V.isNumeric(t);
const numType = (a, b) => (a === 'real' || b === 'real' || a === 'decimal' || b === 'decimal' ? 'real' : 'long');
const resultTypeName = (t) => (t === 'int' ? 'int' : t);

function constant(type, value) { return { type, fn: () => value, constant: true, value }; }

function cannotCompare(l, r, tok) {
  return semanticError('SEM0025', `Cannot compare values of types ${l.type} and ${r.type}. Try adding explicit casts`, tok);
}

function compile(ast, env) {
  const c = (e) => compile(e, env);
  switch (ast.k) {
    case 'lit': return constant(ast.type, ast.value);
    case 'col': return column(ast, env);
    case 'star': throw semanticError('SEM0002', `'*' is only allowed as an argument of arg_max() or arg_min()`, ast.tok);
    case 'neg': {
      const e = c(ast.e);
      if (!NUM(e.type) && e.type !== 'timespan') throw semanticError('SEM0223', `The operator '-' is not defined for the operand type ${e.type}`, ast.tok);
      return fold({ type: e.type, fn: (r, i) => { const v = e.fn(r, i); return v === null ? null : -v; } }, [e]);
    }
    case 'logic': {
      const l = c(ast.l); const r = c(ast.r);
      for (const x of [l, r]) if (x.type !== 'bool') throw semanticError('SEM0229', `The operator '${ast.op}' expects operands of type bool, got ${x.type}`, ast.tok);
      const fn = ast.op === 'and'
        ? (row, i) => { const a = l.fn(row, i); if (a === false) return false; const b = r.fn(row, i); if (b === false) return false; return a === null || b === null ? null : true; }
        : (row, i) => { const a = l.fn(row, i); if (a === true) return true; const b = r.fn(row, i); if (b === true) return true; return a === null || b === null ? null : false; };
      return fold({ type: 'bool', fn }, [l, r]);
    }
    case 'cmp': return fold(comparison(ast, c(ast.l), c(ast.r)));
    case 'arith': return arith(ast, c(ast.l), c(ast.r));
    case 'in': return inList(ast, c(ast.e), ast.list.map(c));
    case 'between': return between(ast, c(ast.e), c(ast.lo), c(ast.hi));
    case 'strop': return stringOp(ast, c(ast.l), c(ast.r));
    case 'call': return call(ast, env, c);
    default: throw new Error(`kql: unknown expression node ${ast.k}`);
  }
}

/** A node whose inputs are all constants is computed once. */
function fold(node, inputs = node.inputs) {
  if (inputs && inputs.length && inputs.every((x) => x.constant)) return constant(node.type, node.fn(null, -1));
  return node;
}

function column(ast, env) {
  const i = env.colIndex.get(ast.name);
  if (i !== undefined) {
    const type = env.columns[i].type;
    return { type, fn: (row) => V.fromCell(type, row[i]), cell: (row) => row[i], column: ast.name };
  }
  if (env.lets && env.lets.has(ast.name)) {
    const v = env.lets.get(ast.name);
    return constant(v.type, v.value);
  }
  throw semanticError('SEM0100', `'${env.opName}' operator: Failed to resolve scalar expression named '${ast.name}'`, ast.tok);
}

function comparison(ast, l, r) {
  const { op } = ast;
  const inputs = [l, r];
  if (op === '=~' || op === '!~') {
    if (!['string', 'dynamic'].includes(l.type) || !['string', 'dynamic'].includes(r.type)) throw cannotCompare(l, r, ast.tok);
    const neg = op === '!~';
    return { type: 'bool', inputs, fn: (row, i) => (String(V.toText(l.type, l.fn(row, i))).toLowerCase() === String(V.toText(r.type, r.fn(row, i))).toLowerCase()) !== neg };
  }
  const equality = op === '==' || op === '!=';
  let ok = (NUM(l.type) && NUM(r.type)) || (l.type === r.type && ['datetime', 'timespan'].includes(l.type));
  if (equality) ok = ok || (l.type === r.type && ['string', 'bool'].includes(l.type)) || (l.type === 'dynamic' && r.type !== 'dynamic') || (r.type === 'dynamic' && l.type !== 'dynamic');
  if (!ok) throw cannotCompare(l, r, ast.tok);
  const dyn = l.type === 'dynamic' || r.type === 'dynamic';
  const lf = dyn ? (row, i) => { const v = l.fn(row, i); return v === null ? null : V.toText(l.type, v); } : l.fn;
  const rf = dyn ? (row, i) => { const v = r.fn(row, i); return v === null ? null : V.toText(r.type, v); } : r.fn;
  if (equality) {
    const neg = op === '!=';
    return {
      type: 'bool', inputs,
      fn: (row, i) => {
        const a = lf(row, i); const b = rf(row, i);
        if (a === null || b === null) return a === null && b === null ? null : neg;
        return (a === b) !== neg;
      },
    };
  }
  const test = { '<': (x) => x < 0, '<=': (x) => x <= 0, '>': (x) => x > 0, '>=': (x) => x >= 0 }[op];
  return {
    type: 'bool', inputs,
    fn: (row, i) => {
      const a = lf(row, i); const b = rf(row, i);
      return a === null || b === null ? null : test(V.compare(a, b));
    },
  };
}

function arith(ast, l, r) {
  const { op } = ast;
  const bad = () => semanticError('SEM0223', `The operator '${op}' is not defined for the operand types ${l.type} and ${r.type}`, ast.tok);
  let type; let f;
  const D = 'datetime'; const T = 'timespan';
  if (NUM(l.type) && NUM(r.type)) {
    type = numType(l.type, r.type);
    const intDiv = type === 'long' && op === '/';
    f = { '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': intDiv ? (a, b) => (b === 0 ? null : Math.trunc(a / b)) : (a, b) => a / b, '%': (a, b) => (b === 0 ? null : a % b) }[op];
  } else if (op === '+' && ((l.type === D && r.type === T) || (l.type === T && r.type === D))) { type = D; f = (a, b) => a + b; }
  else if (op === '+' && l.type === T && r.type === T) { type = T; f = (a, b) => a + b; }
  else if (op === '-' && l.type === D && r.type === T) { type = D; f = (a, b) => a - b; }
  else if (op === '-' && l.type === D && r.type === D) { type = T; f = (a, b) => a - b; }
  else if (op === '-' && l.type === T && r.type === T) { type = T; f = (a, b) => a - b; }
  else if (op === '*' && ((l.type === T && NUM(r.type)) || (NUM(l.type) && r.type === T))) {
    type = T; f = (a, b) => (typeof a === 'bigint' ? BigInt(Math.round(Number(a) * b)) : BigInt(Math.round(a * Number(b))));
  } else if (op === '/' && l.type === T && NUM(r.type)) { type = T; f = (a, b) => (b === 0 ? null : BigInt(Math.round(Number(a) / b))); }
  else if (op === '/' && l.type === T && r.type === T) { type = 'real'; f = (a, b) => (b === 0n ? null : Number(a) / Number(b)); }
  else throw bad();
  const node = { type, fn: (row, i) => { const a = l.fn(row, i); if (a === null) return null; const b = r.fn(row, i); return b === null ? null : f(a, b); } };
  return fold(node, [l, r]);
}

function inList(ast, e, items) {
  const strings = e.type === 'string' || e.type === 'dynamic';
  for (const it of items) {
    const ok = strings ? ['string', 'dynamic'].includes(it.type) : (NUM(e.type) && NUM(it.type)) || it.type === e.type;
    if (!ok) throw semanticError('SEM0025', `'${ast.tok.text}' operator: the list must hold values of type ${e.type}, found ${it.type}`, ast.tok);
  }
  const norm = (type, v) => (v === null ? null : strings ? (ast.ci ? V.toText(type, v).toLowerCase() : V.toText(type, v)) : typeof v === 'bigint' ? `t${v}` : v);
  const key = (v) => norm(e.type, v);
  let fnHas;
  if (items.every((x) => x.constant)) {
    const set = new Set(items.map((x) => norm(x.type, x.value)).filter((x) => x !== null));
    fnHas = (v) => set.has(v);
  } else {
    fnHas = (v, row, i) => items.some((x) => norm(x.type, x.fn(row, i)) === v);
  }
  const neg = ast.neg;
  return fold({ type: 'bool', fn: (row, i) => { const v = key(e.fn(row, i)); if (v === null) return neg; return fnHas(v, row, i) !== neg; } }, [e, ...items]);
}

function between(ast, e, lo, hi) {
  let hiFn = hi.fn;
  const same = (a, b) => (NUM(a) && NUM(b)) || a === b;
  if (e.type === 'datetime' && lo.type === 'datetime' && hi.type === 'timespan') {
    hiFn = (row, i) => { const a = lo.fn(row, i); const b = hi.fn(row, i); return a === null || b === null ? null : a + b; };
  } else if (!(NUM(e.type) || e.type === 'datetime' || e.type === 'timespan') || !same(e.type, lo.type) || !same(e.type, hi.type)) {
    throw semanticError('SEM0025', `'${ast.tok.text}' operator: cannot apply to types ${e.type}, ${lo.type} and ${hi.type}. Try adding explicit casts`, ast.tok);
  }
  const neg = ast.neg;
  return fold({
    type: 'bool',
    fn: (row, i) => {
      const v = e.fn(row, i); const a = lo.fn(row, i); const b = hiFn(row, i);
      if (v === null || a === null || b === null) return null;
      return (v >= a && v <= b) !== neg;
    },
  }, [e, lo, hi]);
}

function stringOp(ast, l, r) {
  for (const x of [l, r]) if (!['string', 'dynamic'].includes(x.type)) throw semanticError('SEM0025', `'${ast.op}' operator: expects string operands, got ${l.type} and ${r.type}`, ast.tok);
  const cs = ast.op.endsWith('_cs');
  const base = ast.op.replace(/_cs$/, '');
  const prep = (type, v) => { const s = V.toText(type, v); return cs ? s : s.toLowerCase(); };
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const test = {
    contains: (a, b) => a.includes(b),
    startswith: (a, b) => a.startsWith(b),
    endswith: (a, b) => a.endsWith(b),
    has: (a, b) => b === '' || new RegExp(`(^|[^\\p{L}\\p{N}_])${esc(b)}($|[^\\p{L}\\p{N}_])`, 'u').test(a),
  }[base];
  const neg = ast.neg;
  return fold({ type: 'bool', fn: (row, i) => test(prep(l.type, l.fn(row, i)), prep(r.type, r.fn(row, i))) !== neg }, [l, r]);
}

// ---------------------------------------------------------------- functions
function call(ast, env, c) {
  const { name, args, tok } = ast;
  const arity = (lo, hi = lo) => {
    if (args.length < lo || args.length > hi) throw semanticError('SEM0219', `function '${name}' expects ${lo === hi ? lo : `${lo} to ${hi}`} argument(s), got ${args.length}`, tok);
  };
  const one = () => { arity(1); return c(args[0]); };
  const wrap = (type, e, f) => fold({ type, fn: (row, i) => f(e.fn(row, i), row, i) }, [e]);
  switch (name) {
    case 'now': {
      arity(0, 1);
      if (args.length === 0) return constant('datetime', env.nowTicks);
      const off = c(args[0]);
      if (off.type !== 'timespan') throw semanticError('SEM0219', `now(): the offset must be a timespan, got ${off.type}`, tok);
      return wrap('datetime', off, (v) => (v === null ? null : env.nowTicks + v));
    }
    case 'ago': {
      const e = one();
      if (e.type !== 'timespan') throw semanticError('SEM0219', `ago(): the argument must be a timespan, got ${e.type}`, tok);
      return wrap('datetime', e, (v) => (v === null ? null : env.nowTicks - v));
    }
    case 'ingestion_time': {
      arity(0);
      const ing = env.ing;
      return { type: 'datetime', fn: (row, i) => (ing && i >= 0 ? ing[i] ?? null : null) };
    }
    case 'todatetime': {
      const e = one();
      if (e.type === 'datetime') return e;
      return wrap('datetime', e, (v) => (v === null ? null : typeof v === 'string' ? V.parseDatetime(v) : null));
    }
    case 'totimespan': case 'totime': {
      const e = one();
      if (e.type === 'timespan') return e;
      return wrap('timespan', e, (v) => (v === null ? null : typeof v === 'string' ? V.parseTimespanText(v) : typeof v === 'number' ? BigInt(Math.round(v)) : null));
    }
    case 'tostring': { const e = one(); return wrap('string', e, (v) => V.toText(e.type, v)); }
    case 'tolong': case 'toint': case 'toreal': case 'todouble': {
      const e = one();
      const type = name === 'tolong' ? 'long' : name === 'toint' ? 'int' : 'real';
      const integer = type !== 'real';
      return wrap(type, e, (v) => {
        if (v === null) return null;
        const n = typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v)) : v;
        return Number.isFinite(n) ? (integer ? Math.trunc(n) : n) : null;
      });
    }
    case 'tobool': case 'toboolean': {
      const e = one();
      return wrap('bool', e, (v) => (v === null ? null : typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : /^true$/i.test(v) ? true : /^false$/i.test(v) ? false : null));
    }
    case 'isempty': case 'isnotempty': {
      const e = one();
      const neg = name === 'isnotempty';
      return wrap('bool', e, (v) => (v === null || v === '') !== neg);
    }
    case 'isnull': case 'isnotnull': {
      const e = one();
      const neg = name === 'isnotnull';
      return wrap('bool', e, (v) => (e.type === 'string' ? false : v === null) !== neg);
    }
    case 'not': {
      const e = one();
      if (e.type !== 'bool') throw semanticError('SEM0219', `not(): the argument must be a bool, got ${e.type}`, tok);
      return wrap('bool', e, (v) => (v === null ? null : !v));
    }
    case 'strlen': { const e = one(); return wrap('long', e, (v) => V.toText(e.type, v).length); }
    case 'tolower': case 'toupper': { const e = one(); return wrap('string', e, (v) => (name === 'tolower' ? V.toText(e.type, v).toLowerCase() : V.toText(e.type, v).toUpperCase())); }
    case 'iff': case 'iif': {
      arity(3);
      const [p, a, b] = args.map(c);
      if (p.type !== 'bool') throw semanticError('SEM0219', `${name}(): the condition must be a bool, got ${p.type}`, tok);
      if (a.type !== b.type && !(NUM(a.type) && NUM(b.type))) throw semanticError('SEM0219', `${name}(): both branches must have one type, got ${a.type} and ${b.type}`, tok);
      return fold({ type: NUM(a.type) ? numType(a.type, b.type) : a.type, fn: (row, i) => (p.fn(row, i) === true ? a.fn(row, i) : b.fn(row, i)) }, [p, a, b]);
    }
    case 'max_of': case 'min_of': {
      if (args.length < 2) arity(2, 64);
      const es = args.map(c);
      const type = es[0].type;
      if (es.some((x) => x.type !== type && !(NUM(x.type) && NUM(type)))) throw semanticError('SEM0219', `${name}(): all arguments must have one type`, tok);
      const better = name === 'max_of' ? (a, b) => V.compare(a, b) > 0 : (a, b) => V.compare(a, b) < 0;
      return fold({ type, fn: (row, i) => { let best = null; for (const x of es) { const v = x.fn(row, i); if (v !== null && (best === null || better(v, best))) best = v; } return best; } }, es);
    }
    default:
      if (['arg_max', 'arg_min', 'count', 'countif', 'dcount', 'max', 'min', 'sum', 'any', 'take_any'].includes(name)) {
        throw semanticError('SEM0219', `'${env.opName}' operator: aggregation function '${name}' is only allowed in summarize`, tok);
      }
      throw semanticError('SEM0260', `'${env.opName}' operator: Unknown function: '${name}'.`, tok);
  }
}

/** An env for the columns of `table` (see operators.js). */
function envFor(table, base, opName) {
  const colIndex = new Map();
  table.columns.forEach((col, i) => { if (!colIndex.has(col.name)) colIndex.set(col.name, i); });
  return { ...base, columns: table.columns, colIndex, ing: table.ing, opName };
}

module.exports = { compile, envFor, constant, resultTypeName };
