'use strict';
// Shrinks a failing case while it still fails the same way: drop rows, columns (with their
// cells), array elements and object keys; shorten strings; simplify values. A payload that
// arrives as JSON text is first tried as the same JSON written plainly, then shrunk as a tree
// (TextView) and written back as text; text that does not survive that is cut character-wise.
const { put } = require('./values');

class TextView {
  constructor(form, value) { this.form = form; this.value = value; }
}

function clone(v) {
  if (v instanceof TextView) return new TextView(v.form, clone(v.value));
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  if (Array.isArray(v)) { const a = new Array(v.length); for (let i = 0; i < v.length; i++) a[i] = clone(v[i]); return a; }
  if (v && typeof v === 'object') { const o = {}; for (const k of Object.keys(v)) put(o, k, clone(v[k])); return o; }
  return v;
}

// Plain JSON text of a value, keeping Infinity (1e400) and -0 readable by JSON.parse.
function write(v) {
  return JSON.stringify(v, (k, x) => (typeof x === 'number' && !Number.isFinite(x) && !Number.isNaN(x) ? `\u0000${x > 0 ? '' : '-'}1e400\u0000` : Object.is(x, -0) ? '\u0000-0\u0000' : x))
    .replace(/"\\u0000(-?1e400|-0)\\u0000"/g, '$1');
}

// The case as it runs: TextViews written back as string or Buffer.
function materialize(kase) {
  const input = clone(kase.input);
  if (input.payload instanceof TextView) {
    const text = write(input.payload.value);
    input.payload = input.payload.form === 'buffer' ? Buffer.from(text, 'utf8') : text;
  }
  return { ...kase, input };
}

function container(v) { return v instanceof TextView ? v.value : v; }
const getAt = (root, p) => p.reduce((v, k) => container(v)[k], root);

// Candidate edits, biggest first: each is a function root -> void applied to a clone. A path
// steps through a TextView into its value.
function* edits(root) {
  const queue = [[]];
  while (queue.length) {
    const p = queue.shift();
    const node = getAt(root, p);
    const parentPath = p.slice(0, -1);
    const last = p[p.length - 1];
    if (typeof node === 'string' || Buffer.isBuffer(node)) {
      if (p.length === 1 && last === 'payload') {
        // a text payload: try it as a tree first
        let parsed;
        try { parsed = JSON.parse(Buffer.isBuffer(node) ? node.toString('utf8') : node); } catch (e) { parsed = undefined; }
        if (parsed !== null && typeof parsed === 'object') {
          yield (r) => { r.payload = new TextView(Buffer.isBuffer(node) ? 'buffer' : 'string', parsed); };
        }
      }
      if (typeof node === 'string') yield* stringEdits(p, node);
      continue;
    }
    const c = container(node);
    if (Array.isArray(c)) {
      for (let size = Math.floor(c.length / 2); size >= 1; size = Math.floor(size / 2)) {
        for (let i = 0; i + size <= c.length; i += size) yield (r) => { container(getAt(r, p)).splice(i, size); };
      }
      c.forEach((_, i) => queue.push([...p, i]));
    } else if (c && typeof c === 'object') {
      for (const k of Object.keys(c)) {
        if (!(p.length === 0 && k === 'payload')) yield (r) => { delete container(getAt(r, p))[k]; };
      }
      Object.keys(c).forEach((k) => queue.push([...p, k]));
    }
    if (p.length && !(node instanceof TextView)) {
      for (const simple of simpler(node)) yield (r) => { container(getAt(r, parentPath))[last] = simple; };
    }
  }
}

function* stringEdits(p, s) {
  const setTo = (v) => (r) => { const parent = container(getAt(r, p.slice(0, -1))); parent[p[p.length - 1]] = v; };
  if (s.length === 0) return;
  if (p[p.length - 1] !== 'payload') yield setTo('');
  for (let size = Math.floor(s.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 0; i + size <= s.length; i += size) yield setTo(s.slice(0, i) + s.slice(i + size));
    if (size > 64 && s.length > 4096) break;
  }
}

function simpler(v) {
  if (v === null || v === undefined || v === true || v === false) return v === null ? [] : [null];
  if (typeof v === 'number') return v === 0 ? [null] : [0, 1, null].filter((x) => x !== v);
  if (Array.isArray(v)) return v.length ? [[], null] : [null];
  if (typeof v === 'object') return Object.keys(v).length ? [{}, null] : [null];
  return [];
}

// Shrinks `kase` while fails(materialized case) holds; at most `budget` tries and `ms` time.
function shrink(kase, fails, { budget = 20000, ms = 30000 } = {}) {
  const until = Date.now() + ms;
  let best = { ...kase, input: clone(kase.input) };
  let tries = 0;
  let resume = 0; // edits before this index failed on the previous tree: try them last
  for (;;) {
    let accepted = -1;
    const list = [...editsWithColumns(best.input)];
    const order = list.map((_, i) => (i + resume) % list.length);
    for (const k of order) {
      if (tries >= budget || Date.now() >= until) break;
      const input = clone(best.input);
      try { list[k](input); } catch (e) { continue; }
      tries++;
      const cand = { ...best, input };
      if (fails(materialize(cand))) { best = cand; accepted = k; break; }
    }
    if (accepted < 0 || tries >= budget || Date.now() >= until) break;
    resume = accepted;
  }
  return { kase: materialize(best), tries };
}

// edits() plus the column drops (generators cannot yield from inside forEach callbacks).
function* editsWithColumns(root) {
  const tables = [];
  const walk = (v, p) => {
    v = container(v);
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      if (!Array.isArray(v) && Array.isArray(v.columns) && Array.isArray(v.rows)) tables.push(p);
      for (const k of Object.keys(v)) if (p.length < 4) walk(v[k], [...p, Array.isArray(v) ? Number(k) : k]);
    }
  };
  walk(root, []);
  for (const p of tables) {
    const n = container(getAt(root, p)).columns.length;
    for (let j = 0; j < n; j++) {
      yield (r) => {
        const t = container(getAt(r, p));
        t.columns.splice(j, 1);
        for (const row of t.rows) if (Array.isArray(row)) row.splice(j, 1);
      };
    }
  }
  yield* edits(root);
}

module.exports = { shrink, materialize, TextView, clone };
