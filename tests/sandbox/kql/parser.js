'use strict';
// Parser of the KQL subset into a small AST. A query is zero or more `let` statements and one
// tabular expression:
//   let name = <scalar expression>;          let T = <tabular expression>;
//   <Table or let name> | <operator> | ...
// Operators: where/filter, extend, project, project-away, project-keep, project-rename, order by /
// sort by, take/limit, top N by, summarize (arg_max, arg_min, count, countif, dcount, max, min, sum, any
// ... by ...), distinct, count.
// Scalar expressions (lowest to highest precedence): or; and; comparisons (== != < <= > >= =~ !~,
// in, !in, in~, !in~, between, !between, contains, has, startswith, endswith and their ! forms); + -;
// * / %; unary -; literals, columns, function calls, (parentheses).
const { tokenize } = require('./lexer');
const { KqlError, syntaxError, semanticError } = require('./errors');
const { parseTimespanLiteral, parseTimespanText, parseDatetime } = require('./values');

const COMPARE = new Set(['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~']);
const STRING_OPS = new Set(['contains', 'contains_cs', 'has', 'has_cs', 'startswith', 'startswith_cs', 'endswith', 'endswith_cs']);
const TYPED_NULLS = new Set(['long', 'int', 'real', 'double', 'bool', 'boolean', 'dynamic', 'decimal', 'guid']);

function parse(query) {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new KqlError('SyntaxError', 'SYN0002', "Query could not be parsed at '<EOF>' on line [1,1]", { line: 1, pos: 1, token: '<EOF>' });
  }
  const t = tokenize(query);
  let k = 0;
  const peek = (n = 0) => t[Math.min(k + n, t.length - 1)];
  const next = () => t[k < t.length - 1 ? k++ : k];
  const isText = (tok, s) => tok.type !== 'string' && tok.type !== 'eof' && tok.text === s;
  const isWord = (tok, w) => tok.type === 'ident' && tok.text.toLowerCase() === w;
  const expect = (pred) => { const tok = next(); if (!pred(tok)) throw syntaxError(tok); return tok; };
  const expectText = (s) => expect((x) => isText(x, s));
  const expectWord = (w) => expect((x) => isWord(x, w));
  const ident = () => expect((x) => x.type === 'ident');

  // ---------------------------------------------------------------- scalar expressions
  function expr() { return orExpr(); }
  function orExpr() {
    let l = andExpr();
    while (isWord(peek(), 'or')) { const tok = next(); l = { k: 'logic', op: 'or', l, r: andExpr(), tok }; }
    return l;
  }
  function andExpr() {
    let l = cmpExpr();
    while (isWord(peek(), 'and')) { const tok = next(); l = { k: 'logic', op: 'and', l, r: cmpExpr(), tok }; }
    return l;
  }
  function cmpExpr() {
    const l = addExpr();
    const tok = peek();
    if (tok.type === 'punct' && COMPARE.has(tok.text)) { next(); return { k: 'cmp', op: tok.text === '<>' ? '!=' : tok.text, l, r: addExpr(), tok }; }
    const word = tok.type === 'ident' ? tok.text.toLowerCase() : tok.type === 'op' ? tok.text : null;
    if (word === 'in' || word === 'in~' || word === '!in' || word === '!in~') {
      next();
      expectText('(');
      const list = [];
      if (!isText(peek(), ')')) { list.push(expr()); while (isText(peek(), ',')) { next(); list.push(expr()); } }
      expectText(')');
      return { k: 'in', neg: word[0] === '!', ci: word.endsWith('~'), e: l, list, tok };
    }
    if (word === 'between' || word === '!between') {
      next();
      expectText('(');
      const lo = addExpr();
      expectText('..');
      const hi = addExpr();
      expectText(')');
      return { k: 'between', neg: word[0] === '!', e: l, lo, hi, tok };
    }
    if (word && STRING_OPS.has(word.replace(/^!/, ''))) {
      next();
      return { k: 'strop', op: word.replace(/^!/, ''), neg: word[0] === '!', l, r: addExpr(), tok };
    }
    return l;
  }
  function addExpr() {
    let l = mulExpr();
    while (peek().type === 'punct' && (peek().text === '+' || peek().text === '-')) { const tok = next(); l = { k: 'arith', op: tok.text, l, r: mulExpr(), tok }; }
    return l;
  }
  function mulExpr() {
    let l = unary();
    while (peek().type === 'punct' && ['*', '/', '%'].includes(peek().text)) { const tok = next(); l = { k: 'arith', op: tok.text, l, r: unary(), tok }; }
    return l;
  }
  function unary() {
    if (isText(peek(), '-')) {
      const tok = next();
      const e = unary();
      if (e.k === 'lit' && (e.type === 'long' || e.type === 'real' || e.type === 'timespan') && e.value !== null) return { ...e, value: -e.value };
      return { k: 'neg', e, tok };
    }
    if (isText(peek(), '+')) { next(); return unary(); }
    return primary();
  }
  function primary() {
    const tok = next();
    if (tok.type === 'number') {
      return /[.eE]/.test(tok.text) ? { k: 'lit', type: 'real', value: Number(tok.text), tok } : { k: 'lit', type: 'long', value: Number(tok.text), tok };
    }
    if (tok.type === 'string') {
      let value = tok.value;
      while (peek().type === 'string') value += next().value; // "a" "b" is "ab" in Kusto
      return { k: 'lit', type: 'string', value, tok };
    }
    if (tok.type === 'timespan') {
      const v = parseTimespanLiteral(tok.text);
      if (v === null) throw syntaxError(tok);
      return { k: 'lit', type: 'timespan', value: v, tok };
    }
    if (tok.type === 'rawlit') {
      const raw = tok.raw.replace(/^(["'])(.*)\1$/, '$2');
      if (raw.toLowerCase() === 'null') return { k: 'lit', type: tok.func === 'datetime' ? 'datetime' : 'timespan', value: null, tok };
      const v = tok.func === 'datetime' ? parseDatetime(raw) : parseTimespanText(raw);
      if (v === null) throw syntaxError({ ...tok, text: tok.raw || ')' });
      return { k: 'lit', type: tok.func === 'datetime' ? 'datetime' : 'timespan', value: v, tok };
    }
    if (isText(tok, '(')) {
      const e = expr();
      expectText(')');
      return e;
    }
    if (tok.type === 'ident') {
      const name = tok.text.toLowerCase();
      if (name === 'true' || name === 'false') return { k: 'lit', type: 'bool', value: name === 'true', tok };
      if (isText(peek(), '(')) {
        next();
        if (TYPED_NULLS.has(name) && isWord(peek(), 'null') && isText(peek(1), ')')) {
          next(); next();
          const type = { double: 'real', boolean: 'bool', guid: 'string' }[name] || name;
          return { k: 'lit', type, value: null, tok };
        }
        const args = [];
        if (!isText(peek(), ')')) { args.push(arg()); while (isText(peek(), ',')) { next(); args.push(arg()); } }
        expectText(')');
        return { k: 'call', name, args, tok };
      }
      return { k: 'col', name: tok.text, tok };
    }
    if (isText(tok, '[')) {
      // ['Column Name'] / ["Column Name"]
      const s = expect((x) => x.type === 'string');
      expectText(']');
      return { k: 'col', name: s.value, tok: s };
    }
    throw syntaxError(tok);
  }
  function arg() {
    if (isText(peek(), '*')) return { k: 'star', tok: next() };
    return expr();
  }

  // ---------------------------------------------------------------- tabular expressions
  /** `Name = expr` or `expr` (named after a column it is, else Column1, Column2, ...). */
  function assignment() {
    if ((peek().type === 'ident' || isText(peek(), '[')) && isText(peek(peek().type === 'ident' ? 1 : 3), '=')) {
      const nameTok = peek().type === 'ident' ? next() : (next(), next());
      if (nameTok.type === 'string') expectText(']');
      expectText('=');
      return { name: nameTok.type === 'string' ? nameTok.value : nameTok.text, nameTok, e: expr() };
    }
    const e = expr();
    return { name: null, e };
  }
  function list(item) {
    const out = [item()];
    while (isText(peek(), ',')) { next(); out.push(item()); }
    return out;
  }
  function sortKey() {
    const e = expr();
    let desc = true;
    if (isWord(peek(), 'asc') || isWord(peek(), 'desc')) desc = next().text.toLowerCase() === 'desc';
    let nullsFirst = !desc; // Kusto: nulls first for asc, nulls last for desc
    if (isWord(peek(), 'nulls')) {
      next();
      const w = expect((x) => isWord(x, 'first') || isWord(x, 'last'));
      nullsFirst = w.text.toLowerCase() === 'first';
    }
    return { e, desc, nullsFirst };
  }
  /** A column name or a wildcard pattern such as `Ext*` or `*Time` (tokens written without spaces between them). */
  function nameItem() {
    const first = peek();
    if (first.type !== 'ident' && !isText(first, '*')) throw syntaxError(first);
    let name = next().text;
    let last = first;
    const adjacent = (tok) => tok.line === last.line && tok.pos === last.pos + last.text.length;
    while ((peek().type === 'ident' || isText(peek(), '*')) && adjacent(peek())) { last = next(); name += last.text; }
    return { name, tok: first };
  }
  function count() {
    const e = addExpr();
    return e;
  }

  function operator() {
    const opTok = ident();
    const op = opTok.text.toLowerCase();
    switch (op) {
      case 'where': case 'filter': return { op: 'where', e: expr(), tok: opTok };
      case 'extend': return { op: 'extend', items: list(assignment), tok: opTok };
      case 'project': return { op: 'project', items: list(assignment), tok: opTok };
      case 'project-away': return { op: 'project-away', names: list(nameItem), tok: opTok };
      case 'project-keep': return { op: 'project-keep', names: list(nameItem), tok: opTok };
      case 'project-reorder': return { op: 'project-reorder', names: list(nameItem), tok: opTok };
      case 'project-rename': return {
        op: 'project-rename',
        items: list(() => { const n = ident(); expectText('='); const o = ident(); return { name: n.text, nameTok: n, from: o.text, fromTok: o }; }),
        tok: opTok,
      };
      case 'sort': case 'order':
        expectWord('by');
        return { op: 'sort', keys: list(sortKey), tok: opTok };
      case 'take': case 'limit': return { op: 'take', n: count(), tok: opTok };
      case 'top': {
        const n = count();
        expectWord('by');
        return { op: 'top', n, keys: list(sortKey), tok: opTok };
      }
      case 'summarize': {
        const aggs = isWord(peek(), 'by') ? [] : list(assignment);
        let by = [];
        if (isWord(peek(), 'by')) { next(); by = list(assignment); }
        return { op: 'summarize', aggs, by, tok: opTok };
      }
      case 'distinct': {
        if (isText(peek(), '*')) { next(); return { op: 'distinct', all: true, tok: opTok }; }
        return { op: 'distinct', items: list(assignment), tok: opTok };
      }
      case 'count': return { op: 'count', tok: opTok };
      default:
        throw semanticError('SEM0001', `Query operator '${opTok.text}' is not supported by the local sandbox (it knows where, extend, project, project-away, project-keep, project-rename, project-reorder, sort, order, take, limit, top, summarize, distinct, count)`, opTok);
    }
  }

  function tabular() {
    let source;
    if (isText(peek(), '(')) {
      next();
      source = { k: 'sub', q: tabular() };
      expectText(')');
    } else {
      const tableTok = ident();
      source = { k: 'table', name: tableTok.text, tok: tableTok };
    }
    const ops = [];
    while (isText(peek(), '|')) { next(); ops.push(operator()); }
    return { source, ops };
  }

  /** Whether the tokens from here read as a tabular expression (a table or tabular let, then `|`, `;` or the end). */
  const tabularAhead = (names) => isText(peek(), '(') || (peek().type === 'ident' && !isText(peek(1), '(') && (names.has(peek().text) || isText(peek(1), '|') || /^[A-Z][A-Za-z0-9_]*$/.test(peek().text) && (isText(peek(1), ';') || peek(1).type === 'eof') && !names.has(`$scalar:${peek().text}`)));

  const lets = [];
  const tabularNames = new Set();
  while (isWord(peek(), 'let')) {
    const letTok = next();
    const nameTok = ident();
    expectText('=');
    if (tabularAhead(tabularNames)) {
      lets.push({ name: nameTok.text, tok: nameTok, tabular: tabular(), letTok });
      tabularNames.add(nameTok.text);
    } else {
      lets.push({ name: nameTok.text, tok: nameTok, e: expr(), letTok });
      tabularNames.add(`$scalar:${nameTok.text}`);
    }
    expectText(';');
  }
  const body = tabular();
  while (isText(peek(), ';')) next();
  if (peek().type !== 'eof') throw syntaxError(peek());
  const table = body.source.k === 'table' ? body.source.name : null;
  return { lets, body, table, tableTok: body.source.tok, ops: body.ops };
}

module.exports = { parse };
