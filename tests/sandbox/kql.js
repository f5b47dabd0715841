'use strict';
// The KQL subset the sandbox's query API understands (what SPEC.md "Incremental mode" lists, and a
// little more). The pieces live in kql/:
//   kql/lexer.js     tokens (with line and column for error messages)
//   kql/parser.js    let statements, tabular operators, scalar expressions -> AST
//   kql/values.js    types; datetime and timespan as exact 100 ns ticks; response text forms
//   kql/expr.js      type checking and evaluation of scalar expressions and functions
//   kql/operators.js where, extend, project(-away/-keep/-rename/-reorder), sort/order, take/limit, top, distinct, count
//   kql/summarize.js summarize arg_max/arg_min/count/countif/dcount/max/min/sum/any ... by ...
//   kql/engine.js    lets, table resolution, the operator pipeline
// Errors are thrown as KqlError {kind: 'SyntaxError'|'SemanticError', code, message, line, pos, token}.
const { KqlError } = require('./kql/errors');
const { parse } = require('./kql/parser');
const { run } = require('./kql/engine');
const V = require('./kql/values');

/** Milliseconds of a KQL timespan literal such as "12h" or "1.5d"; NaN if it is not one. */
function timespanMs(text) {
  const ticks = V.parseTimespanLiteral(text);
  return ticks === null ? NaN : Number(ticks) / 1e4;
}

/**
 * Runs a parsed query against one table: `source` = {columns, rows, ing?} (ing: ingestion time of each
 * row as BigInt ticks; `times` from older callers is ignored). `now` in ms. Returns {columns, rows, ing}.
 */
function execute(parsed, source, now) {
  const table = { columns: source.columns, rows: source.rows, ing: source.ing || null };
  return run(parsed, { now, resolve: (name) => (name === parsed.table ? table : null) });
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

module.exports = { parse, execute, run, timespanMs, timespanWindow, KqlError, values: V };
