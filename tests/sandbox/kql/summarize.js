'use strict';
// `summarize` with the aggregates an incremental reader needs: arg_max(Expr, * | Col, ...) and arg_min
// (the row with the greatest / smallest Expr in each group; ties keep the first row met; rows where Expr
// is null lose to any other), and count(), countif(p), dcount(x), max(x), min(x), sum(x), any(x)/take_any(x).
// Output columns, as Kusto orders them: the `by` columns, then per aggregate its column(s); for
// arg_max(Expr, *) that is Expr's column and then every other input column (not repeated).
// Groups come out in the order of their first row. A row picked by arg_max/arg_min keeps its ingestion time.
const { semanticError } = require('./errors');
const { compile, envFor } = require('./expr');
const { itemName, makeTable, cellOf } = require('./operators');
const V = require('./values');

const AGGS = new Set(['arg_max', 'arg_min', 'count', 'countif', 'dcount', 'max', 'min', 'sum', 'any', 'take_any']);

function summarize(t, op, base) {
  const env = envFor(t, base, 'summarize');
  const taken = new Set(t.columns.map((c) => c.name));
  const state = {};
  const by = op.by.map((item) => {
    const x = compile(item.e, env);
    return { name: itemName(item, taken, state), type: x.type, x, cell: cellOf(x) };
  });
  const byNames = new Set(by.map((b) => b.name));
  const aggs = op.aggs.map((item) => aggregate(item, t, env, byNames));

  // groups in first-seen order
  const groups = new Map();
  const keyOf = (row, i) => (by.length ? JSON.stringify(by.map((b) => { const v = b.x.fn(row, i); return typeof v === 'bigint' ? `t${v}` : v; })) : '');
  for (let i = 0; i < t.rows.length; i += 1) {
    const row = t.rows[i];
    const key = keyOf(row, i);
    let g = groups.get(key);
    if (!g) { g = { first: i, states: aggs.map((a) => a.init()) }; groups.set(key, g); }
    aggs.forEach((a, j) => { g.states[j] = a.step(g.states[j], row, i); });
  }
  if (!by.length && groups.size === 0 && aggs.every((a) => !a.rowPicking)) groups.set('', { first: -1, states: aggs.map((a) => a.init()) });

  const columns = [...by.map((b) => ({ name: b.name, type: b.type })), ...aggs.flatMap((a) => a.columns)];
  const rows = []; const ing = [];
  const picker = aggs.find((a) => a.rowPicking);
  for (const g of groups.values()) {
    if (picker && g.states[aggs.indexOf(picker)].row < 0) continue;
    const firstRow = g.first >= 0 ? t.rows[g.first] : null;
    rows.push([...by.map((b) => (firstRow ? b.cell(firstRow, g.first) : null)), ...aggs.flatMap((a, j) => a.cells(g.states[j]))]);
    ing.push(picker && t.ing ? t.ing[g.states[aggs.indexOf(picker)].row] ?? null : null);
  }
  return makeTable(columns, rows, picker && t.ing ? ing : null);
}

function aggregate(item, t, env, byNames) {
  const { e } = item;
  if (e.k !== 'call' || !AGGS.has(e.name)) {
    throw semanticError('SEM0219', `'summarize' operator: expected an aggregation function (arg_max, arg_min, count, countif, dcount, max, min, sum, any), found ${e.k === 'call' ? `'${e.name}'` : 'an expression'}`, e.tok);
  }
  const args = e.args;
  const want = (n) => { if (args.length !== n) throw semanticError('SEM0219', `'summarize' operator: ${e.name}() expects ${n} argument(s), got ${args.length}`, e.tok); };
  const argName = (a) => (a.k === 'col' ? a.name : null);

  if (e.name === 'arg_max' || e.name === 'arg_min') {
    if (args.length < 2) throw semanticError('SEM0219', `'summarize' operator: ${e.name}() expects an expression and '*' or columns to return`, e.tok);
    const x = compile(args[0], env);
    if (x.type === 'dynamic' || x.type === 'bool') throw semanticError('SEM0025', `'summarize' operator: ${e.name}() cannot compare values of type ${x.type}`, args[0].tok);
    const exprName = item.name || argName(args[0]) || `${e.name === 'arg_max' ? 'max' : 'min'}_expr`;
    const returned = [];
    const named = new Set([...byNames, exprName]);
    for (const a of args.slice(1)) {
      if (a.k === 'star') {
        t.columns.forEach((c, ci) => { if (!named.has(c.name)) { named.add(c.name); returned.push({ name: c.name, type: c.type, cell: (row) => row[ci] }); } });
      } else {
        const rx = compile(a, env);
        const name = argName(a) || `${exprName}_${returned.length + 1}`;
        if (!named.has(name)) { named.add(name); returned.push({ name, type: rx.type, cell: cellOf(rx) }); }
      }
    }
    const better = e.name === 'arg_max' ? (c) => c > 0 : (c) => c < 0;
    const exprCell = cellOf(x);
    return {
      rowPicking: true,
      columns: [{ name: exprName, type: x.type }, ...returned.map((r) => ({ name: r.name, type: r.type }))],
      init: () => ({ row: -1, value: null, src: null }),
      step: (s, row, i) => {
        const v = x.fn(row, i);
        if (s.row < 0 || (v !== null && (s.value === null || better(V.compare(v, s.value))))) return { row: i, value: v, src: row };
        return s;
      },
      cells: (s) => (s.row < 0 ? [null, ...returned.map(() => null)] : [exprCell(s.src, s.row), ...returned.map((r) => r.cell(s.src, s.row))]),
    };
  }
  if (e.name === 'count') {
    want(0);
    return { columns: [{ name: item.name || 'count_', type: 'long' }], init: () => 0, step: (s) => s + 1, cells: (s) => [s] };
  }
  if (e.name === 'countif') {
    want(1);
    const p = compile(args[0], env);
    if (p.type !== 'bool') throw semanticError('SEM0219', `'summarize' operator: countif() expects a bool, got ${p.type}`, args[0].tok);
    return { columns: [{ name: item.name || 'countif_', type: 'long' }], init: () => 0, step: (s, row, i) => s + (p.fn(row, i) === true ? 1 : 0), cells: (s) => [s] };
  }
  want(1);
  const x = compile(args[0], env);
  const base = argName(args[0]);
  if (e.name === 'dcount') {
    return {
      columns: [{ name: item.name || `dcount_${base || 'expr'}`, type: 'long' }],
      init: () => new Set(),
      step: (s, row, i) => { const v = x.fn(row, i); if (v !== null) s.add(typeof v === 'bigint' ? `t${v}` : v); return s; },
      cells: (s) => [s.size],
    };
  }
  if (e.name === 'sum') {
    if (!V.isNumeric(x.type) && x.type !== 'timespan') throw semanticError('SEM0219', `'summarize' operator: sum() expects a number or timespan, got ${x.type}`, args[0].tok);
    return {
      columns: [{ name: item.name || `sum_${base || 'expr'}`, type: x.type === 'int' ? 'long' : x.type }],
      init: () => null,
      step: (s, row, i) => { const v = x.fn(row, i); return v === null ? s : s === null ? v : s + v; },
      cells: (s) => [V.toCell(x.type, s)],
    };
  }
  if (e.name === 'any' || e.name === 'take_any') {
    const cell = cellOf(x);
    return { columns: [{ name: item.name || base || `any_expr`, type: x.type }], init: () => null, step: (s, row, i) => s || { row, i }, cells: (s) => [s ? cell(s.row, s.i) : null] };
  }
  // max, min
  const better = e.name === 'max' ? (c) => c > 0 : (c) => c < 0;
  return {
    columns: [{ name: item.name || `${e.name}_${base || 'expr'}`, type: x.type }],
    init: () => null,
    step: (s, row, i) => { const v = x.fn(row, i); return v !== null && (s === null || better(V.compare(v, s))) ? v : s; },
    cells: (s) => [V.toCell(x.type, s)],
  };
}

module.exports = { summarize };
