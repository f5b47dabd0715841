'use strict';
// Compares our outcome with the expected alternatives: same outcome kind, same parts (values
// through codec.encode, key order through codec.keyOrderDiff, strings byte for byte), same
// warnings. Returns null when some alternative matches, else {signature, problems} for the first.
const { encode, decode, keyOrderDiff } = require('../../tools/oracle/codec');

const TRAP = 'internal error in the WebAssembly core';
const short = (s, n = 300) => (s.length > n ? s.slice(0, n) + `... (${s.length} chars)` : s);

function firstDiff(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at char ${i}: expected ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 60))}, got ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 60))}`;
}

// The gist of an error message, for telling differences apart: its first words, without
// numbers and quoted values.
function errorKind(err) {
  return String(err && err.message).replace(/"(?:[^"\\]|\\.)*"/g, '_').replace(/\d+/g, '#').slice(0, 48);
}

// Text of a warning matches an {includes} entry (numbers as whole numbers).
function names(text, parts) {
  return parts.every((part) => (/^\d+$/.test(part) ? new RegExp(`(^|\\D)${part}(\\D|$)`).test(text) : text.includes(part)));
}

function warningProblems(spec, got) {
  got = got || [];
  if (!spec.extra.length) {
    return JSON.stringify(got) === JSON.stringify(spec.exact) ? [] : [`warnings ${short(JSON.stringify(got))} instead of ${short(JSON.stringify(spec.exact))}`];
  }
  if (got.length !== spec.exact.length + spec.extra.length) {
    return [`${got.length} warning(s) ${short(JSON.stringify(got))}, expected ${spec.exact.length} from the original ${short(JSON.stringify(spec.exact))} + ${spec.extra.length} naming ${JSON.stringify(spec.extra.map((e) => e.includes))}`];
  }
  // each extra warning names its parts: find a one-to-one assignment (backtracking, lists are short)
  const texts = got.map(String);
  const used = new Array(texts.length).fill(false);
  const assign = (n) => {
    if (n === spec.extra.length) return true;
    for (let i = 0; i < texts.length; i++) {
      if (used[i] || !names(texts[i], spec.extra[n].includes)) continue;
      used[i] = true;
      if (assign(n + 1)) return true;
      used[i] = false;
    }
    return false;
  };
  if (!assign(0)) return [`the warnings ${short(JSON.stringify(got))} do not name ${JSON.stringify(spec.extra.map((e) => e.includes))} one each`];
  const left = texts.filter((_, i) => !used[i]);
  if (!spec.loose && JSON.stringify(left) !== JSON.stringify(spec.exact)) return [`warnings ${short(JSON.stringify(left))} instead of ${short(JSON.stringify(spec.exact))}`];
  return [];
}

// [signature parts, problems] of our outcome against one expectation.
function against(expected, actual) {
  if (actual.thrown && String(actual.thrown.message).includes(TRAP)) return [['trap'], [`WebAssembly trap: ${actual.thrown.message}`]];
  if (expected.throws) return actual.thrown ? [[], []] : [['ours-did-not-throw'], [`the original throws; ours gave ${short(encode(actual.parts || actual))}`]];
  if (actual.thrown) return [[`ours-threw(${errorKind(actual.thrown)})`], [`ours threw ${actual.thrown && actual.thrown.message}`]];
  if (expected.none && !actual.none) return [['ours-output'], [`the original sends nothing; ours sent ${short(encode(actual.parts))}`]];
  if (!expected.none && actual.none) return [['ours-none'], ['the original sends a message; ours sent none']];
  const sig = [];
  const problems = [];
  if (!expected.none) {
    for (const k of Object.keys(expected.parts)) {
      const want = expected.parts[k];
      const have = actual.parts[k];
      if (typeof want === 'string') {
        if (have !== want) { sig.push(k); problems.push(`${k} differs ${firstDiff(want, String(have))}`); }
        continue;
      }
      const w = encode(want), h = encode(have);
      if (w !== h) { sig.push(k); problems.push(`${k} differs ${firstDiff(w, h || 'undefined')}`); continue; }
      const d = keyOrderDiff(decode(w), have, k);
      if (d) { sig.push(`${k}-key-order`); problems.push(`key order ${d}`); }
    }
  }
  const wp = warningProblems(expected.warnings || { exact: [], extra: [] }, actual.warnings);
  if (wp.length) { sig.push('warnings'); problems.push(...wp); }
  return [sig, problems];
}

// Reports the alternative that comes closest (fewest problems).
function compare(alts, actual) {
  let best = null;
  for (const expected of alts) {
    const [sig, problems] = against(expected, actual);
    if (!problems.length) return null;
    if (!best || problems.length < best.problems.length) best = { signature: sig.join('+'), problems, expected };
  }
  return best;
}

module.exports = { compare, short };
