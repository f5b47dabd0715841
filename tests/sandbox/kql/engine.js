'use strict';
// Runs a parsed query: evaluates the `let` statements (scalar lets once, as constants; tabular lets as
// named tables), resolves the source table, then applies the operators in order.
// now() is one value for the whole query (the sandbox clock's time when the request arrived).
const { semanticError } = require('./errors');
const { compile, envFor } = require('./expr');
const ops = require('./operators');
const { summarize } = require('./summarize');
const V = require('./values');

const OPERATORS = {
  where: ops.where, extend: ops.extend, project: ops.project, 'project-away': ops.projectAway, 'project-keep': ops.projectKeep,
  'project-reorder': ops.projectReorder, 'project-rename': ops.projectRename, take: ops.take, top: ops.top,
  sort: (t, op, base) => ops.sortRows(t, op.keys, base, op.tok.text.toLowerCase()),
  summarize, distinct: ops.distinct, count: ops.countOp,
};

/**
 * parsed: from parser.js. options: {resolve(name) -> table ({columns, rows, ing}) or null, now: ms}.
 * Returns the result table {columns, rows, ing}.
 */
function run(parsed, { resolve, now }) {
  const base = { nowTicks: V.msToTicks(now), lets: new Map() };
  const tables = new Map();
  const empty = ops.makeTable([], [], null);
  for (const l of parsed.lets) {
    if (l.tabular) tables.set(l.name, runTabular(l.tabular, base, tables, resolve));
    else {
      const x = compile(l.e, envFor(empty, base, 'let'));
      if (!x.constant) throw semanticError('SEM0100', `'let' statement: '${l.name}' must be a constant scalar expression in the local sandbox`, l.tok);
      base.lets = new Map(base.lets).set(l.name, { type: x.type, value: x.value });
    }
  }
  return runTabular(parsed.body, base, tables, resolve);
}

function runTabular(q, base, tables, resolve) {
  let t;
  if (q.source.k === 'sub') t = runTabular(q.source.q, base, tables, resolve);
  else {
    t = tables.get(q.source.name) || resolve(q.source.name);
    if (!t) {
      const first = q.ops[0] ? `'${q.ops[0].tok.text}' operator: ` : '';
      throw semanticError('SEM0100', `${first}Failed to resolve table or column expression named '${q.source.name}'`, q.source.tok);
    }
  }
  for (const op of q.ops) t = OPERATORS[op.op](t, op, base);
  return t;
}

module.exports = { run };
