'use strict';
// Tabular operators. A table is {columns: [{name, type}], rows: [cell arrays], ing: [ingestion ticks | null]
// per row, or null}. Rows that an operator does not change are passed on as the same arrays, so stored
// cells go out unchanged; operators that change cells copy the row first.
// ingestion_time() stays readable after operators that keep rows whole or pick rows (where, extend, project*,
// sort, take, top, summarize arg_max/arg_min); it is null after distinct, count and other summarize forms.
// Ordering (sort, top): Kusto's default is desc; nulls first on asc and last on desc (both overridable
// with `nulls first|last`); strings compare by ordinal (UTF-16 code units); the sort is stable.
const { semanticError } = require('./errors');
const { compile, envFor } = require('./expr');
const V = require('./values');

const makeTable = (columns, rows, ing) => ({ columns, rows, ing });

/** Column name an item gets: its own, the column it copies, else Column1, Column2, ... */
function itemName(item, taken, state) {
  if (item.name) return item.name;
  if (item.e.k === 'col') return item.e.name;
  let n;
  do { state.n = (state.n || 0) + 1; n = `Column${state.n}`; } while (taken.has(n));
  return n;
}

const cellOf = (x) => (x.cell ? x.cell : (row, i) => V.toCell(x.type, x.fn(row, i)));

function where(t, op, base) {
  const env = envFor(t, base, 'where');
  const p = compile(op.e, env);
  if (p.type !== 'bool') throw semanticError('SEM0229', `'where' operator: Filter expression should be Boolean, got ${p.type}`, op.tok);
  const rows = []; const ing = t.ing ? [] : null;
  for (let i = 0; i < t.rows.length; i += 1) {
    if (p.fn(t.rows[i], i) === true) { rows.push(t.rows[i]); if (ing) ing.push(t.ing[i]); }
  }
  return makeTable(t.columns, rows, ing);
}

function extend(t, op, base) {
  let cur = t;
  const state = {};
  for (const item of op.items) {
    const env = envFor(cur, base, 'extend');
    const x = compile(item.e, env);
    const name = itemName(item, env.colIndex, state);
    const existing = env.colIndex.get(name);
    const at = existing === undefined ? cur.columns.length : existing;
    const columns = cur.columns.slice();
    columns[at] = { name, type: x.type === 'int' ? 'int' : x.type };
    const cell = cellOf(x);
    const rows = cur.rows.map((row, i) => { const r = row.slice(); r[at] = cell(row, i); return r; });
    cur = makeTable(columns, rows, cur.ing);
  }
  return cur;
}

function project(t, op, base, opName = 'project') {
  const env = envFor(t, base, opName);
  const state = {};
  const taken = new Set(t.columns.map((c) => c.name));
  const outs = op.items.map((item) => {
    const x = compile(item.e, env);
    return { name: itemName(item, taken, state), type: x.type, cell: cellOf(x), tok: item.nameTok || item.e.tok };
  });
  const seen = new Set();
  for (const o of outs) {
    if (seen.has(o.name)) throw semanticError('SEM0102', `'${opName}' operator: A column with the name '${o.name}' is already defined`, o.tok);
    seen.add(o.name);
  }
  return makeTable(outs.map((o) => ({ name: o.name, type: o.type })), t.rows.map((row, i) => outs.map((o) => o.cell(row, i))), t.ing);
}

const globRe = (g) => new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
function matchNames(t, names, opName) {
  return names.map(({ name, tok }) => {
    const re = globRe(name);
    const hits = t.columns.map((c, i) => (re.test(c.name) ? i : -1)).filter((i) => i >= 0);
    if (!hits.length && !name.includes('*')) throw semanticError('SEM0100', `'${opName}' operator: Failed to resolve column or scalar expression named '${name}'`, tok);
    return hits;
  });
}

function pick(t, indexes) {
  return makeTable(indexes.map((i) => t.columns[i]), t.rows.map((row) => indexes.map((i) => row[i])), t.ing);
}

function projectAway(t, op) {
  const drop = new Set(matchNames(t, op.names, 'project-away').flat());
  return pick(t, t.columns.map((_, i) => i).filter((i) => !drop.has(i)));
}

function projectKeep(t, op) {
  const keep = new Set(matchNames(t, op.names, 'project-keep').flat());
  return pick(t, t.columns.map((_, i) => i).filter((i) => keep.has(i)));
}

function projectReorder(t, op) {
  const first = [];
  for (const hits of matchNames(t, op.names, 'project-reorder')) for (const i of hits) if (!first.includes(i)) first.push(i);
  return pick(t, [...first, ...t.columns.map((_, i) => i).filter((i) => !first.includes(i))]);
}

function projectRename(t, op) {
  const columns = t.columns.map((c) => ({ ...c }));
  for (const it of op.items) {
    const i = columns.findIndex((c) => c.name === it.from);
    if (i < 0) throw semanticError('SEM0100', `'project-rename' operator: Failed to resolve column or scalar expression named '${it.from}'`, it.fromTok);
    columns[i].name = it.name;
  }
  return makeTable(columns, t.rows, t.ing);
}

/** Row order by `keys` ([{e, desc, nullsFirst}]): a stable sort on values computed once per row. */
function sortRows(t, keys, base, opName) {
  const env = envFor(t, base, opName);
  const xs = keys.map((k) => ({ ...k, x: compile(k.e, env) }));
  for (const k of xs) {
    if (k.x.type === 'dynamic') throw semanticError('SEM0025', `'${opName}' operator: cannot order by a value of type dynamic. Try adding explicit casts`, k.e.tok);
  }
  const values = xs.map((k) => t.rows.map((row, i) => k.x.fn(row, i)));
  const order = t.rows.map((_, i) => i);
  order.sort((a, b) => {
    for (let j = 0; j < xs.length; j += 1) {
      const va = values[j][a]; const vb = values[j][b];
      if (va === vb) continue;
      if (va === null) return xs[j].nullsFirst ? -1 : 1;
      if (vb === null) return xs[j].nullsFirst ? 1 : -1;
      const c = V.compare(va, vb);
      if (c) return xs[j].desc ? -c : c;
    }
    return a - b;
  });
  return makeTable(t.columns, order.map((i) => t.rows[i]), t.ing ? order.map((i) => t.ing[i]) : null);
}

function count(t, op, base, opName) {
  const x = compile(op.n, envFor(makeTable([], [], null), base, opName));
  if (!x.constant || !V.isNumeric(x.type)) throw semanticError('SEM0219', `'${opName}' operator: the row count must be a constant number`, op.tok);
  return Math.max(0, Math.trunc(x.value));
}

function take(t, op, base) {
  const n = count(t, op, base, op.tok.text.toLowerCase());
  return makeTable(t.columns, t.rows.slice(0, n), t.ing ? t.ing.slice(0, n) : null);
}

function top(t, op, base) {
  const n = count(t, op, base, 'top');
  const sorted = sortRows(t, op.keys, base, 'top');
  return makeTable(sorted.columns, sorted.rows.slice(0, n), sorted.ing ? sorted.ing.slice(0, n) : null);
}

function distinct(t, op, base) {
  const src = op.all ? t : project(t, { items: op.items }, base, 'distinct');
  const seen = new Set();
  const rows = [];
  for (const row of src.rows) {
    const key = JSON.stringify(row);
    if (!seen.has(key)) { seen.add(key); rows.push(row); }
  }
  return makeTable(src.columns, rows, null);
}

function countOp(t) {
  return makeTable([{ name: 'Count', type: 'long' }], [[t.rows.length]], null);
}

module.exports = { where, extend, project, projectAway, projectKeep, projectReorder, projectRename, sortRows, take, top, distinct, countOp, itemName, makeTable, cellOf };
