'use strict';
// JavaScript values to JSON text for the core and back, losing nothing the original flow saw.
//
// JSON has no undefined and no NaN, yet payloads made by JavaScript hold them (a short row's
// missing cell is undefined; a function node can set NaN) and the original treated them in its
// own way. In: valueText writes them as the bare words `undefined` and `NaN`, which no JSON text
// holds, so that no string, whatever it says, can be taken for one of them; the core reads them
// (src/json/tag.rs). Out: JSON text from the core comes with a side channel listing where they
// were, and restore puts them back.

// {text, tagged}: JSON text of a value as JSON.stringify writes it (toJSON, key order, functions
// and symbols left out, cycles refused), with undefined (which keeps its place in an object) and
// NaN as the bare words `undefined` and `NaN` (then `tagged` is true), and infinities as 1e999,
// which is JSON for Infinity. A value nested deeper than maxDepth (the core's limit) is a
// RangeError, as JSON.stringify gives for a value too deep for the stack.
function valueText(value, maxDepth) {
  // The usual case has none of these, and JSON.stringify is much faster.
  if (plainJson(value, 0)) return { text: JSON.stringify(value), tagged: false };
  let tagged = false;
  const open = []; // the objects being written, for cycles
  // The text of v, a member or element of an object being written (undefined: left out).
  function write(value, key, depth) {
    let v = value;
    if (typeof v === 'string') return JSON.stringify(v);
    if (v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof v.toJSON === 'function') v = v.toJSON(String(key));
    if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'bigint': // JSON.stringify's TypeError
        return JSON.stringify(v);
      case 'number':
        if (Number.isFinite(v)) return JSON.stringify(v);
        if (Number.isNaN(v)) {
          tagged = true;
          return 'NaN';
        }
        return v > 0 ? '1e999' : '-1e999';
      case 'undefined':
        tagged = true;
        return 'undefined';
      case 'object':
        if (v === null) return 'null';
        break;
      default:
        return undefined; // functions and symbols
    }
    if (plainJson(v, 0)) return JSON.stringify(v);
    // As deep as JSON.stringify would run out of stack: the caller (core.js) says what to fix.
    if (depth > maxDepth + 2) throw new RangeError(`a value is nested more than ${maxDepth} levels deep`);
    if (open.includes(v)) throw new TypeError('Converting circular structure to JSON');
    open.push(v);
    let out;
    if (Array.isArray(v)) {
      out = '[';
      for (let i = 0; i < v.length; i++) {
        const s = write(v[i], i, depth + 1);
        out += (i > 0 ? ',' : '') + (s === undefined ? 'null' : s);
      }
      out += ']';
    } else {
      out = '{';
      for (const k of Object.keys(v)) {
        const s = write(v[k], k, depth + 1);
        if (s !== undefined) out += (out.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + s;
      }
      out += '}';
    }
    open.pop();
    return out;
  }
  const text = write(value, '', 0);
  return { text: text === undefined ? 'undefined' : text, tagged };
}

// True when JSON.stringify(v) loses nothing valueText keeps: no NaN, infinity or undefined
// anywhere (a hole in an array is undefined), no toJSON (whose result could be any of them).
// Deep values answer false, and valueText walks them itself. It may answer false for a value
// that would do (an inherited enumerable property, which for...in visits and JSON.stringify
// does not, holding one of them): valueText then takes the longer way to the same text.
function plainJson(v, depth) {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return true;
  return plainContainer(v, depth);
}

// plainJson for an object or array, without a call per member that is not one: half the time of
// a call per member and Object.keys (which allocates an array per object).
function plainContainer(v, depth) {
  if (depth > 200 || typeof v.toJSON === 'function') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'object') {
        if (x !== null && !plainContainer(x, depth + 1)) return false;
      } else if (typeof x === 'number') {
        if (x - x !== 0) return false; // NaN or an infinity
      } else if (x === undefined) {
        return false;
      }
    }
    return true;
  }
  for (const k in v) {
    const x = v[k];
    if (typeof x === 'object') {
      if (x !== null && !plainContainer(x, depth + 1)) return false;
    } else if (typeof x === 'number') {
      if (x - x !== 0) return false;
    } else if (x === undefined) {
      return false;
    }
  }
  return true;
}

// Puts undefined and NaN back where the core's side channel says they were: `tags` is the JSON
// text of [[...path, 'undefined' | 'NaN'], ...] (src/json/tag.rs), or undefined.
function restore(value, tags) {
  if (!tags) return value;
  for (const tag of JSON.parse(tags)) {
    const v = tag[tag.length - 1] === 'NaN' ? NaN : undefined;
    if (tag.length === 1) return v;
    let parent = value;
    for (let i = 0; i < tag.length - 2; i++) parent = parent[tag[i]];
    Object.defineProperty(parent, tag[tag.length - 2], { value: v, writable: true, enumerable: true, configurable: true });
  }
  return value;
}

// A value the core gave as {json, tags?} (JSON text and its side channel).
function fromJson(j) {
  return restore(JSON.parse(j.json), j.tags);
}

module.exports = { valueText, plainJson, restore, fromJson };
