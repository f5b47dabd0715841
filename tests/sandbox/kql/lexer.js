'use strict';
// Tokens of the KQL subset: identifiers (with the hyphenated operators project-away, project-rename,
// project-keep, project-reorder), numbers, timespan literals (12h, 1.5d, 500ms; "12x" is one token
// that the parser rejects), strings ("..", '..', @"..", @'..'), the raw text of datetime(...) and
// timespan(...) literals, and operators (== != <= >= =~ !~ !in !in~ in~ !between !contains !has ..).
// Every token carries its 1-based line and column, for the error messages.
const { syntaxError } = require('./errors');

const NEGATED = /^!(in~|in|between|contains_cs|contains|has_cs|has|startswith_cs|startswith|endswith_cs|endswith)(?![A-Za-z0-9_~])/;
const PUNCT = /^(?:==|!=|<>|<=|>=|=~|!~|\.\.|[|(),;=<>+\-*/%.[\]{}:])/;
const LITERAL_FUNCS = new Set(['datetime', 'timespan', 'time']);

function tokenize(q) {
  const tokens = [];
  let i = 0; let line = 1; let lineStart = 0;
  const where = () => ({ line, pos: i - lineStart + 1 });
  const push = (type, text, start, extra) => { tokens.push({ type, text, ...start, ...extra }); i += text.length; };
  while (i < q.length) {
    const c = q[i];
    if (c === '\n') { i += 1; line += 1; lineStart = i; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i += 1; continue; }
    if (c === '/' && q[i + 1] === '/') { while (i < q.length && q[i] !== '\n') i += 1; continue; }
    const start = where();
    const rest = q.slice(i, i + 4096);
    let m;
    if ((m = /^project-(?:away|keep|rename|reorder)(?![A-Za-z0-9_])/.exec(rest))) { push('ident', m[0], start); continue; }
    if ((m = /^[A-Za-z_$][A-Za-z0-9_]*(~)?/.exec(rest))) {
      let text = m[0];
      if (m[1] && text.toLowerCase() !== 'in~') text = text.slice(0, -1);
      const lower = text.toLowerCase();
      if (LITERAL_FUNCS.has(lower)) {
        // datetime(2025-11-19T10:00:00.1234567Z): the text between the parentheses, raw
        const paren = /^\s*\(([^()\n]*)\)/.exec(q.slice(i + text.length, i + text.length + 512));
        if (paren) {
          tokens.push({ type: 'rawlit', text, ...start, func: lower, raw: paren[1].trim() });
          i += text.length + paren[0].length;
          continue;
        }
      }
      push('ident', text, start);
      continue;
    }
    if ((m = /^\d+(?:\.\d+)?[eE][+-]?\d+(?![A-Za-z0-9_])/.exec(rest))) { push('number', m[0], start); continue; }
    if ((m = /^\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) { push('timespan', m[0], start); continue; }
    if ((m = /^\d+(?:\.\d+)?/.exec(rest))) { push('number', m[0], start); continue; }
    if ((m = /^@"((?:[^"]|"")*)"/.exec(q.slice(i)))) { push('string', m[0], start, { value: m[1].replace(/""/g, '"') }); continue; }
    if ((m = /^@'((?:[^']|'')*)'/.exec(q.slice(i)))) { push('string', m[0], start, { value: m[1].replace(/''/g, "'") }); continue; }
    if ((m = /^"((?:[^"\\\n]|\\.)*)"/.exec(q.slice(i))) || (m = /^'((?:[^'\\\n]|\\.)*)'/.exec(q.slice(i)))) {
      push('string', m[0], start, { value: unescape(m[1], m[0], start) });
      continue;
    }
    if ((m = NEGATED.exec(rest))) { push('op', m[0].toLowerCase(), start); continue; }
    if ((m = PUNCT.exec(rest))) { push('punct', m[0], start); continue; }
    throw syntaxError({ text: c, ...start });
  }
  tokens.push({ type: 'eof', text: '<EOF>', ...where() });
  return tokens;
}

const ESCAPES = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", 0: '\0' };
function unescape(body, text, start) {
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (all, e) => {
    if (e[0] === 'u' || (e[0] === 'x' && e.length === 3)) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (Object.prototype.hasOwnProperty.call(ESCAPES, e)) return ESCAPES[e];
    throw syntaxError({ text, ...start });
  });
}

module.exports = { tokenize };
