'use strict';
// JSON with markers for what plain JSON cannot hold, shared by the fixture generator and the
// fidelity test:
//   {"$undefined": true}   a key (or array slot) that is present with the value undefined
//   {"$buffer": "<base64>"} a Buffer (the oracle's own convention for payloads)
//   {"$number": "Infinity" | "-Infinity" | "NaN"} a number JSON.stringify would print as null
// -0 is written as 0, as JSON.stringify does.

function isMarker(v, key) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) &&
    Object.keys(v).length === 1 && Object.prototype.hasOwnProperty.call(v, key);
}

// Serializes a value, marking undefined, Buffers and non-finite numbers.
function encode(value, space) {
  return JSON.stringify(value, function replacer(key, v) {
    const raw = this[key];
    if (Buffer.isBuffer(raw)) return { $buffer: raw.toString('base64') };
    if (v === undefined) return { $undefined: true };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    return v;
  }, space);
}

// Parses encoded text back into values. Own "__proto__" keys stay own keys (JSON.parse
// semantics); markers become undefined / Buffer / the number.
function decode(text) {
  const undefinedMarker = Symbol('undefined');
  const parsed = JSON.parse(text, (key, v) => {
    if (isMarker(v, '$buffer') && typeof v.$buffer === 'string') return Buffer.from(v.$buffer, 'base64');
    if (isMarker(v, '$number')) return Number(v.$number);
    if (isMarker(v, '$undefined')) return undefinedMarker;
    return v;
  });
  // A reviver that returns undefined deletes the key, so put undefined back in a second pass.
  const fix = (v) => {
    if (v === undefinedMarker) return undefined;
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const k of Object.keys(v)) {
        const inner = v[k];
        if (inner === undefinedMarker) v[k] = undefined;
        else fix(inner);
      }
    }
    return v;
  };
  return fix(parsed);
}

// Deep copy through the encoding (the form a value has once stored in a fixture).
function roundTrip(value) {
  return decode(encode(value));
}

// First path at which the own-key order of two values differs, or null.
function keyOrderDiff(a, b, path = '$') {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return null;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return null;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.join('\u0000') !== kb.join('\u0000')) {
    return `${path}: keys [${ka.map((k) => JSON.stringify(k)).join(',')}] vs [${kb.map((k) => JSON.stringify(k)).join(',')}]`;
  }
  for (const k of ka) {
    const d = keyOrderDiff(a[k], b[k], `${path}[${JSON.stringify(k)}]`);
    if (d) return d;
  }
  return null;
}

module.exports = { encode, decode, roundTrip, keyOrderDiff };
