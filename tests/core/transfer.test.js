'use strict';
// node-red/lib/transfer.js: text into and out of the module's memory gives the same bytes and
// the same string as Buffer.from(text) and buf.toString('utf8').
const { describe, it } = require('node:test');
const assert = require('node:assert');
const wasm = require('../../pkg/node/sentinel_elastic_wasm.js');
const { inputOf, writeText, TextParts, ByteParts, memoryAt } = require('../../node-red/lib/transfer');
const { prng } = require('../tools/oracle/prng');

// Lines of ASCII, Latin-1, BMP and astral characters, and lone surrogates.
const PIECES = ['{"a":1}', 'plain ascii text', 'café', 'Ünïcödé', '日本語', '😀 emoji', '\ud800', 'x\udc00y', '"\\u00e9"', ''];

function randomText(rand) {
  const lines = [];
  const count = Math.floor(rand() * 40);
  for (let i = 0; i < count; i++) {
    let line = '';
    for (let j = Math.floor(rand() * 5); j > 0; j--) line += PIECES[Math.floor(rand() * PIECES.length)];
    lines.push(line);
  }
  return lines.join('\n') + (rand() < 0.5 ? '\n' : '');
}

// Where the module says a text's characters outside ASCII are (as a job's pendingSpans).
const spansOf = (buf) => wasm.nonAsciiSpans(buf);

describe('transfer', () => {
  it('should copy UTF-8 out in parts, each a copy of what was given', () => {
    const { next: rand } = prng(11);
    for (let i = 0; i < 300; i++) {
      const buf = Buffer.from(randomText(rand));
      const parts = new ByteParts();
      const given = [];
      for (let from = 0; from < buf.length;) {
        const to = Math.min(buf.length, from + 1 + Math.floor(rand() * 64));
        parts.add(buf.subarray(from, to));
        given.push(buf.subarray(from, to));
        from = to;
      }
      assert.ok(Buffer.concat(parts.text()).equals(buf), `case ${i}`);
      assert.deepStrictEqual(parts.text().map((p) => p.length), given.map((g) => g.length));
    }
    // The parts are copies: the module's memory they came from may be reused at once.
    const source = Buffer.from('abc\n');
    const parts = new ByteParts();
    parts.add(source);
    parts.add(Buffer.alloc(0));
    source.fill(0);
    assert.deepStrictEqual(parts.text().map(String), ['abc\n']);
  });

  it('should decode parts of every size around the one Node.js keeps outside V8\'s heap to the same string', () => {
    const { EXTERNAL } = require('../../node-red/lib/transfer');
    const { next: rand } = prng(13);
    let big = '';
    while (big.length < 2.2 * EXTERNAL) big += randomText(rand);
    const all = Buffer.from(big);
    for (const size of [1, 1000, 256 * 1024 - 1, 256 * 1024, 300000, 900000, EXTERNAL - 1, EXTERNAL, 2 * EXTERNAL]) {
      // Parts cut between characters (after a line end), as the jobs hand them over.
      const parts = new TextParts();
      const cut = all.indexOf(10, size) + 1 || all.length;
      for (const buf of [all.subarray(0, cut), all.subarray(cut, Math.min(all.length, cut + size))]) {
        parts.add(buf, () => spansOf(buf));
      }
      assert.strictEqual(parts.text(), all.subarray(0, Math.min(all.length, cut + size)).toString('utf8'), `size ${size}`);
    }
  });

  it('should decode UTF-8 in parts to the string a single UTF-8 decode gives', () => {
    const { next: rand } = prng(7);
    for (let i = 0; i < 500; i++) {
      const buf = Buffer.from(randomText(rand));
      const parts = new TextParts();
      // Whole lines per part, as the jobs hand them over.
      let from = 0;
      while (from < buf.length) {
        let to = from;
        for (let n = 1 + Math.floor(rand() * 4); n > 0 && to < buf.length; n--) {
          const nl = buf.indexOf(10, to);
          to = nl < 0 ? buf.length : nl + 1;
        }
        parts.add(buf.subarray(from, to), () => spansOf(buf.subarray(from, to)));
        from = to;
      }
      assert.strictEqual(parts.text(), buf.toString('utf8'), `case ${i}`);
    }
    const parts = new TextParts();
    parts.add(Buffer.from('gone\n'), () => []);
    parts.clear();
    assert.strictEqual(parts.text(), '');
  });

  it('should write strings one after another into a job\'s room as the UTF-8 Buffer.from gives, the last one marked', () => {
    const { next: rand } = prng(9);
    for (let i = 0; i < 100; i++) {
      const texts = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => randomText(rand));
      // A job that reads in parts, as the module's: room(len) is where to write, wrote(n, last) what was.
      const input = new wasm.Input(1 << 16, true, false);
      const calls = [];
      let at = 0;
      const job = {
        room: (len) => { assert.ok(at + len <= 1 << 16); return input.ptr() + at; },
        wrote: (n, last) => { at += n; calls.push(last); },
      };
      texts.forEach((text, k) => writeText(wasm, job, text, k === texts.length - 1));
      const expected = Buffer.from(texts.join(''), 'utf8');
      assert.ok(memoryAt(wasm, input.ptr(), at).equals(expected), `case ${i}`);
      assert.deepStrictEqual(calls.map((last, k) => last && k === calls.length - 1), calls, `case ${i}: only the last write is the last`);
      assert.strictEqual(calls[calls.length - 1], true);
      input.free();
    }
  });

  it('should write a string\'s UTF-8 into the module as Buffer.from does, lone surrogates included', () => {
    const { next: rand } = prng(8);
    const texts = ['', 'a', '\ud800', '😀'.repeat(1000), ...Array.from({ length: 200 }, () => randomText(rand))];
    for (const text of texts) {
      const input = inputOf(wasm, text);
      const expected = Buffer.from(text, 'utf8');
      assert.ok(memoryAt(wasm, input.ptr(), expected.length).equals(expected), JSON.stringify(text.slice(0, 40)));
      input.free();
      const copy = inputOf(wasm, expected);
      assert.ok(memoryAt(wasm, copy.ptr(), expected.length).equals(expected));
      copy.free();
    }
  });
});
