'use strict';
// Moving large text across the boundary with the WebAssembly module, with as few copies and as
// little memory as V8 allows.
//
// In: a string's UTF-8 is written by TextEncoder.encodeInto straight into the module's memory (one
// transcoding, no intermediate Buffer, and no JavaScript loop over the characters, which is what
// wasm-bindgen's string passing does for ASCII); a Buffer is copied in once.
//
// Out: the module's UTF-8 is read in place. V8 keeps a string of only Latin-1 characters at one
// byte per character, but a single other character makes the whole string two bytes per
// character, and a UTF-8 decode is several times slower than a Latin-1 copy. So the text is
// decoded in pieces: runs of ASCII as Latin-1, and only short windows around other characters as
// UTF-8, joined into one string (V8 joins long strings without copying them). Same string.

const buffer = require('buffer');

const NEWLINE = 0x0a;
// Bytes per window of a line that is not all ASCII (see TextParts.add).
const WINDOW = 128;
// buffer.isAscii is Node 18.15+ and 19.6+; without it, text is decoded as UTF-8 in one piece.
const isAscii = buffer.isAscii || (() => false);

// The module's memory as a Buffer (fetched anew each time: it is replaced when memory grows).
function memoryAt(wasm, ptr, len) {
  return Buffer.from(wasm.wasmMemory().buffer, ptr, len);
}

const ENCODER = new TextEncoder();

// A new wasm.Input holding the UTF-8 bytes of a string, or the bytes of a Buffer/Uint8Array.
// `tagged`: the string is JSON text written from a JavaScript value with the words `undefined`
// and `NaN` in it (core.js valueText).
// A string's UTF-8 length is not known without a pass over it as long as the encoding itself, so
// the Input starts at one byte per UTF-16 unit and an eighth more, and grows once to the worst
// case (three bytes per unit) for what does not fit.
function inputOf(wasm, payload, tagged = false) {
  if (typeof payload !== 'string') {
    const input = new wasm.Input(payload.length, false, false);
    memoryAt(wasm, input.ptr(), payload.length).set(payload);
    return input;
  }
  let size = payload.length + (payload.length >> 3);
  const input = new wasm.Input(size, true, tagged);
  try {
    let { read, written } = ENCODER.encodeInto(payload, memoryAt(wasm, input.ptr(), size));
    if (read < payload.length) {
      size = written + (payload.length - read) * 3;
      input.resize(size);
      written += ENCODER.encodeInto(payload.slice(read), memoryAt(wasm, input.ptr() + written, size - written)).written;
    }
    input.resize(written);
    return input;
  } catch (err) {
    input.free();
    throw err;
  }
}

// Text decoded a part at a time (see the top of the file); `text()` joins the parts.
class TextParts {
  constructor() {
    this.parts = [];
  }

  // Appends the UTF-8 in `buf`, which holds whole lines (or is the end of the text).
  add(buf) {
    if (buf.length === 0) return;
    if (!buffer.isAscii || isAscii(buf)) {
      this.parts.push(textOf(buf));
      return;
    }
    // Lines first (most are ASCII); a line with other characters is cut into short windows at
    // character boundaries, so that only the windows holding them become two-byte strings.
    let asciiFrom = 0;
    const flush = (to) => {
      if (asciiFrom < to) this.parts.push(buf.toString('latin1', asciiFrom, to));
    };
    for (let start = 0; start < buf.length;) {
      const nl = buf.indexOf(NEWLINE, start);
      const end = nl < 0 ? buf.length : nl + 1;
      if (!isAscii(buf.subarray(start, end))) {
        for (let from = start; from < end;) {
          let to = Math.min(from + WINDOW, end);
          while (to < end && (buf[to] & 0xc0) === 0x80) to -= 1; // not inside a character
          if (!isAscii(buf.subarray(from, to))) {
            flush(from);
            this.parts.push(buf.toString('utf8', from, to));
            asciiFrom = to;
          }
          from = to;
        }
      }
      start = end;
    }
    flush(buf.length);
  }

  clear() {
    this.parts = [];
  }

  // The whole text. Joined pairwise, so that V8's string tree stays shallow.
  text() {
    let parts = this.parts;
    if (parts.length === 0) return '';
    while (parts.length > 1) {
      const joined = [];
      for (let i = 0; i < parts.length; i += 2) joined.push(i + 1 < parts.length ? parts[i] + parts[i + 1] : parts[i]);
      parts = joined;
    }
    return parts[0];
  }
}

// The UTF-8 in `buf` as one string: for text that is parsed at once (JSON.parse of a string
// made of parts would first copy it into one).
function textOf(buf) {
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

// `payload` when it is a string whose UTF-8 copy at `ptr` in the module's memory is ASCII: byte
// offsets in that copy are then character offsets in the string, and text can be sliced from the
// string (no copy) instead of decoded from the module's memory. Else null.
function asciiSource(wasm, ptr, payload) {
  return typeof payload === 'string' && buffer.isAscii && isAscii(memoryAt(wasm, ptr, payload.length)) ? payload : null;
}

module.exports = { memoryAt, inputOf, TextParts, textOf, asciiSource };
