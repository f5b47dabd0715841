'use strict';
// node-red/lib/bulk-items.js reads a _bulk response's items by their shapes instead of JSON.parse;
// whatever it returns must be exactly what JSON.parse returns for the same text (the same keys in
// the same order, the same values, -0 and all, plain objects), and for any text it cannot prove
// that of (or that is not JSON) it must return null so that JSON.parse reads it. Random items in
// many shapes, values that change after a shape was specialised, and hostile values are compared.

const { describe, it } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ItemReader, parseBulkResponse } = require('../../node-red/lib/bulk-items');

function random(seed) {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return Math.floor((s / 4294967296) * n);
  };
}

// Deep equality that also checks key order, prototypes and -0 (deepStrictEqual checks -0 and
// prototypes; JSON.stringify the order of keys).
function same(actual, expected, what) {
  assert.deepStrictEqual(actual, expected, what);
  assert.strictEqual(JSON.stringify(actual), JSON.stringify(expected), what);
  const walk = (a, e) => {
    if (a === null || typeof a !== 'object') return;
    assert.strictEqual(Object.getPrototypeOf(a), Object.getPrototypeOf(e), `${what}: prototype`);
    assert.deepStrictEqual(Object.keys(a), Object.keys(e), `${what}: key order`);
    for (const k of Object.keys(e)) walk(a[k], e[k]);
  };
  walk(actual, expected);
}

// The items text between `[` and `]` read in slices as core.js reads it, each slice compared.
function readAll(itemsText, slice = 4096) {
  const text = `{"took":1,"errors":true,"items":[${itemsText}]}`;
  const start = text.indexOf('"items":[') + 9;
  const end = text.length - 2;
  const reader = new ItemReader(text);
  const out = [];
  let read = 0;
  for (let from = start; from < end;) {
    let cut = from + slice < end ? text.indexOf('},{"', from + slice) : -1;
    cut = cut < 0 || cut >= end ? end : cut + 1;
    // A cut inside an item (between two objects of an array in it): the slice goes on to the next.
    let expected;
    for (;;) {
      try {
        expected = JSON.parse(`[${text.slice(from, cut)}]`);
        break;
      } catch (err) {
        assert.strictEqual(reader.read(from, cut), null, `a slice JSON.parse refuses must not be read: ${text.slice(from, cut).slice(0, 200)}`);
        if (cut === end) return { out, read, refused: true };
        cut = text.indexOf('},{"', cut);
        cut = cut < 0 || cut >= end ? end : cut + 1;
      }
    }
    const items = reader.read(from, cut);
    if (items) {
      same(items, expected, `slice at ${from}`);
      read += items.length;
    }
    out.push(...expected);
    from = cut + 1;
  }
  return { out, read, refused: false, reader };
}

const STRINGS = ['', 'a', 'created', '.ds-logs-azure_api-default-2025.11.19-000001', 'ü€😀', '\ud800', 'x\udc00y',
  '},{"', '"},{"x":1}', '\\', 'say "hi"', 'tab\there', '\u2028\u2029', '</script>', '__proto__', 'constructor'];
const NUMBERS = ['0', '-0', '1', '201', '409', '-1', '0.5', '1.0', '1e5', '1E5', '1e-7', '-2.5e+3', '1e400', '-1e400',
  '9007199254740993', '123456789012345', '1234567890123456', '12345678901234567890', '0.1', '5e-324'];

function value(next, depth) {
  switch (next(depth > 2 ? 4 : 7)) {
    case 0: return JSON.stringify(STRINGS[next(STRINGS.length)]);
    case 1: return NUMBERS[next(NUMBERS.length)];
    case 2: return ['true', 'false', 'null'][next(3)];
    case 3: return JSON.stringify(`id-${next(1000)}`);
    case 4: return `[${Array.from({ length: next(3) }, () => value(next, depth + 1)).join(',')}]`;
    default: return object(next, depth + 1);
  }
}

const KEYS = ['create', 'index', 'status', '_id', 'result', 'error', 'type', 'reason', '1', '0', '10', 'a b', 'ü', '__proto__', ''];
function object(next, depth) {
  const n = 1 + next(4);
  const keys = Array.from({ length: n }, () => KEYS[next(KEYS.length)]);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${value(next, depth)}`).join(',')}}`;
}

describe('bulk-items: the shapes reader gives JSON.parse\'s items', () => {
  it('reads Elasticsearch-like items (most of them by shape) exactly as JSON.parse', () => {
    const next = random(7);
    const items = [];
    for (let i = 0; i < 5000; i++) {
      const r = next(100);
      const id = `${next(1e9).toString(16)}-${i}`;
      if (r < 60) items.push(`{"create":{"_index":"logs","_id":"${id}","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":${i},"_primary_term":1,"status":201}}`);
      else if (r < 95) items.push(`{"create":{"_index":"logs","_id":"${id}","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[${id}]: version conflict"}}}`);
      else items.push(`{"create":{"_index":"logs","_id":"${id}","status":400,"error":{"type":"x","reason":"bad \\"value\\" ${i}"}}}`);
    }
    const { read, refused } = readAll(items.join(','));
    assert.strictEqual(refused, false);
    assert.ok(read > 4500, `most items are read by shape (${read})`);
  });

  it('keeps exact values when values the shapes took as constant change later', () => {
    const next = random(11);
    const items = [];
    for (let i = 0; i < 4000; i++) {
      // The first 1000 items repeat one index, version and status; later ones change them now and then.
      const index = i < 1000 || next(10) ? 'logs-a' : `logs-${next(3)}`;
      const version = i < 1000 || next(4) ? '1' : NUMBERS[next(NUMBERS.length)];
      const status = i < 1500 ? 201 : [201, 409, 200, 201][next(4)];
      const extra = i > 3000 && next(5) === 0 ? `,"note":${value(next, 0)}` : '';
      items.push(`{"index":{"_index":${JSON.stringify(index)},"_id":"d${i}","_version":${version},"status":${status}${extra}}}`);
    }
    const { read, refused } = readAll(items.join(','), 1024);
    assert.strictEqual(refused, false);
    assert.ok(read > 3000, `most items are read by shape (${read})`);
  });

  it('agrees with JSON.parse on random items of random shapes, hostile keys and values included', () => {
    let byShape = 0;
    let total = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      // A few shapes, repeated with random values, so that shapes are learnt, specialised and missed.
      const templates = Array.from({ length: 1 + next(5) }, () => object(next, 0));
      const items = [];
      for (let i = 0; i < 600; i++) {
        items.push(next(4) ? templates[next(templates.length)].replace(/"id-\d+"|\b201\b/g, () => JSON.stringify(`id-${next(50)}`)) : object(next, 0));
      }
      const { refused, read, out } = readAll(items.join(','), 256 + next(4096));
      assert.strictEqual(refused, false, `seed ${seed}`);
      byShape += read;
      total += out.length;
    }
    assert.ok(byShape > total / 3, `a good part read by shape (${byShape} of ${total})`);
  });

  it('every value form (strings, numbers) in a learnt shape, each read as JSON.parse reads it', () => {
    const items = [];
    for (let i = 0; i < 200; i++) items.push('{"create":{"_id":"a","status":201,"n":1}}');
    for (const s of STRINGS) for (const n of NUMBERS) items.push(`{"create":{"_id":${JSON.stringify(s)},"status":201,"n":${n}}}`);
    const { out, refused } = readAll(items.join(','), 100000);
    assert.strictEqual(refused, false);
    assert.ok(Object.is(out.find((o) => o.create.n === 0 && Object.is(o.create.n, -0)).create.n, -0), '-0 kept');
    assert.strictEqual(out.find((o) => o.create.n === Infinity).create.n, Infinity);
  });

  it('refuses what JSON.parse refuses, after a shape was learnt', () => {
    const good = Array.from({ length: 100 }, (_, i) => `{"create":{"_id":"a${i}","status":201,"x":1.5}}`).join(',');
    for (const bad of ['01', '1.', '.5', '+1', '-', '1e', '0x10', 'NaN', 'Infinity', '1_0', 'tru', "'a'"]) {
      const { refused, read } = readAll(`${good},{"create":{"_id":"b","status":201,"x":${bad}}}`, 100000);
      assert.ok(refused, `${bad} refused (read ${read})`);
    }
    // Raw control characters in a string (a place the shape reads as a string).
    for (const bad of ['a\u0001', '\u001f', 'new\nline', 'tab\t', '\u0000']) {
      const raw = bad;
      const { refused, read } = readAll(`${good},{"create":{"_id":"${raw}","status":201,"x":1.5}}`, 100000);
      assert.ok(refused, `${JSON.stringify(raw)} refused (read ${read})`);
    }
  });

  it('a __proto__ key stays an own property, as JSON.parse makes it', () => {
    const items = Array.from({ length: 100 }, (_, i) => `{"create":{"__proto__":{"polluted":${i}},"status":201}}`).join(',');
    const { out } = readAll(items);
    assert.strictEqual(Object.getPrototypeOf(out[99].create), Object.prototype);
    assert.strictEqual(out[99].create.__proto__.polluted, 99);
    assert.strictEqual({}.polluted, undefined);
  });

  it('escapes in a learnt shape\'s strings are decoded as JSON.parse decodes them, and wrong ones refused', () => {
    const good = Array.from({ length: 100 }, (_, i) => `{"create":{"_id":"a${i}","status":409,"reason":"r${i % 2}"}}`);
    const escaped = ['\\"', '\\\\', '\\\\\\"', '\\u0041', '\\ud83d\\ude00', '\\ud800', '\\n\\t\\/', 'a\\\\'];
    const items = [...good];
    for (const e of escaped) items.push(`{"create":{"_id":"x${e}y","status":409,"reason":"${e}"}}`, ...good.slice(0, 3));
    const { out, refused, read } = readAll(items.join(','), 100000);
    assert.strictEqual(refused, false);
    assert.ok(read > 100, `read by shape (${read})`);
    assert.ok(out.some((o) => o.create.reason === 'A'), 'a \\u escape decoded');
    for (const bad of ['\\x', '\\u12', '\\', 'a\\']) {
      const r = readAll([...good, `{"create":{"_id":"b","status":409,"reason":"${bad}"}}`].join(','), 100000);
      assert.ok(r.refused, `${bad} refused`);
    }
  });

  it('duplicate keys, whitespace and escapes are left to JSON.parse (same result)', () => {
    const items = [];
    for (let i = 0; i < 300; i++) {
      items.push(i % 3 === 0 ? `{"create":{"_id":"a${i}","status":201,"status":409}}`
        : i % 3 === 1 ? `{ "create" : { "_id" : "a${i}" , "status" : 201 } }` : `{"create":{"_id":"a\\u0041${i}","status":201}}`);
    }
    const { refused } = readAll(items.join(','));
    assert.strictEqual(refused, false);
  });

  it('a runtime that forbids code from strings gets JSON.parse\'s items all the same', () => {
    const script = `
      const { ItemReader } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'node-red', 'lib', 'bulk-items'))});
      const items = Array.from({ length: 500 }, (_, i) => '{"create":{"_id":"a' + i + '","status":' + (i % 3 ? 201 : 409) + '}}').join(',');
      const text = '{"items":[' + items + ']}';
      const read = new ItemReader(text).read(10, text.length - 2);
      const expected = JSON.stringify(JSON.parse(text).items);
      process.stdout.write(read === null ? 'null' : String(JSON.stringify(read) === expected));`;
    const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, 'true');
  });
});

describe('bulk-items: parseBulkResponse gives JSON.parse\'s response', () => {
  const esItem = (next, i) => {
    const id = `${next(1e9).toString(16)}-${i}`;
    const r = next(100);
    if (r < 70) return `{"create":{"_index":"logs","_id":"${id}","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":${i},"_primary_term":1,"status":201}}`;
    if (r < 90) return `{"index":{"_index":"latest","_id":"${id}","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[${id}]: version conflict, current version [2] is higher or equal to the one provided [1]"}}}`;
    return `{"create":{"_index":"logs","_id":"${id}","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected \\"queue\\" ü ${i}"}}}`;
  };

  it('on Elasticsearch\'s responses (text and Buffer), items read in many slices', () => {
    const next = random(21);
    for (const n of [0, 1, 3, 2000]) {
      const text = `{"took":${n},"errors":${n > 0},"items":[${Array.from({ length: n }, (_, i) => esItem(next, i)).join(',')}]}`;
      assert.ok(n < 2000 || text.length > 4 * 64 * 1024, 'several slices');
      same(parseBulkResponse(text), JSON.parse(text), `${n} items`);
      same(parseBulkResponse(Buffer.from(text)), JSON.parse(text), `${n} items, Buffer`);
    }
  });

  it('on other texts: white space, items not last, "items":[ in a string, random values, not JSON', () => {
    const next = random(5);
    const items = Array.from({ length: 300 }, (_, i) => esItem(next, i));
    const texts = [
      JSON.stringify(JSON.parse(`{"took":1,"errors":false,"items":[${items.join(',')}]}`), null, 2),
      `{"items":[${items.join(',')}],"took":1}`,
      `{"error":"\\"items\\":[1]}","items":[${items.join(',')}]}`,
      `{"took":1,"items":[${items.join(',')}],"items":[{"create":{"status":500}}]}`,
      `{"took":1,"items":[${items.join(',')}]} `,
      ...Array.from({ length: 30 }, () => `{"took":1,"items":[${Array.from({ length: 40 }, () => value(next, 0)).join(',')}]}`),
    ];
    for (const text of texts) same(parseBulkResponse(text), JSON.parse(text), text.slice(0, 80));
    for (const bad of [`{"took":1,"items":[${items.join(',')},]}`, '<html>502 Bad Gateway</html>', '']) {
      assert.throws(() => parseBulkResponse(bad), SyntaxError);
    }
  });
});
