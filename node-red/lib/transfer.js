'use strict';
// Moving large text across the boundary with the WebAssembly module, with as few copies and as
// little memory as V8 allows.
//
// In: a string's UTF-8 is written by TextEncoder.encodeInto straight into the module's memory (one
// transcoding, no intermediate Buffer, and no JavaScript loop over the characters, which is what
// wasm-bindgen's string passing does for ASCII); a Buffer is copied in once. A query response of
// more than a part goes in a part at a time (PartWriter), and the module drops what it has read.
//
// Out: the module's UTF-8 is read in place. V8 keeps a string of only Latin-1 characters at one
// byte per character, but a single other character makes the whole string two bytes per
// character, and a UTF-8 decode is several times slower than a Latin-1 copy. So the text is
// decoded in pieces: the module says where its characters outside ASCII are (spans of whole
// characters, src/json/ascii.rs), those spans are decoded as UTF-8 and the rest is cut from one
// Latin-1 copy, and the pieces are joined into one string (V8 joins long strings without copying
// them). Same string.

const buffer = require('buffer');

// buffer.isAscii is Node 18.15+ and 19.6+, buffer.isUtf8 18.14+ and 19.4+; without them, text
// is decoded as UTF-8 (textOf), and bytes are checked in the module.
const isAscii = buffer.isAscii || (() => false);
const isUtf8 = buffer.isUtf8 || (() => false);

// The module's memory as a Buffer (fetched anew each time: it is replaced when memory grows).
function memoryAt(wasm, ptr, len) {
  return Buffer.from(wasm.wasmMemory().buffer, ptr, len);
}

const ENCODER = new TextEncoder();
// Bytes of text to decode at a time (see TextParts.add): above Node.js's limit for strings kept
// outside V8's heap (EXTERN_APEX in src/string_bytes.cc, 0xFBEE9 bytes).
const EXTERNAL = 0x100000;

// A new wasm.Input holding the UTF-8 bytes of a string, or the bytes of a Buffer/Uint8Array.
// `tagged`: the string is JSON text written from a JavaScript value with the words `undefined`
// and `NaN` in it (core.js valueText).
// A string's UTF-8 length is not known without a pass over it as long as the encoding itself, so
// the Input starts at one byte per UTF-16 unit and an eighth more, and grows once to the worst
// case (three bytes per unit) for what does not fit.
function inputOf(wasm, payload, tagged = false) {
  if (typeof payload !== 'string') {
    // Valid UTF-8 (checked here, much faster than in the module) is taken as it is; other bytes
    // are repaired by the module as Buffer.toString('utf8') would.
    const input = new wasm.Input(payload.length, isUtf8(payload), false);
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

// Characters (of a string) or bytes (of a Buffer) written into a job at a time by PartWriter.
const PART = 1 << 20;

// A response written into a job that reads it in parts (wasm.RowsJob.inParts, or a BulkJob made
// without an Input: `room(len)` gives where to write, `wrote(len, last)` says what was written,
// `hungry` that the job wants the next part), so that the module's memory never
// holds the whole of it. A string is cut between characters (never inside a surrogate pair) and
// each part encoded as UTF-8 in place; a Buffer is cut between characters too. Only text that is
// valid UTF-8 as a whole: a string, or a Buffer that buffer.isUtf8 accepts (other bytes are
// repaired by the module, which needs them whole); null otherwise, or for text of one part.
function partWriter(payload) {
  if (typeof payload === 'string') return payload.length > PART ? new PartWriter(payload) : null;
  if (payload instanceof Uint8Array && payload.length > PART && isUtf8(payload)) return new PartWriter(payload);
  return null;
}

class PartWriter {
  constructor(payload) {
    this.payload = payload;
    this.at = 0;
  }

  // Writes the next part into `job`.
  write(wasm, job) {
    const p = this.payload;
    let end = Math.min(p.length, this.at + PART);
    if (typeof p === 'string') {
      // A high surrogate goes with its low one, into the next part.
      if (end < p.length && (p.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      writeText(wasm, job, p.slice(this.at, end), end === p.length);
    } else {
      // Not inside a character: continuation bytes are 10xxxxxx.
      while (end < p.length && (p[end] & 0xc0) === 0x80) end--;
      memoryAt(wasm, job.room(end - this.at), end - this.at).set(p.subarray(this.at, end));
      job.wrote(end - this.at, end === p.length);
    }
    this.at = end;
  }
}

// Writes a string's UTF-8 into a job that reads the response in parts (see PartWriter); `last`:
// the response ends with it. Room for one byte per character and an eighth more, then for three
// per character of what did not fit.
function writeText(wasm, job, text, last) {
  let room = text.length + (text.length >> 3);
  for (;;) {
    const { read, written } = ENCODER.encodeInto(text, memoryAt(wasm, job.room(room), room));
    job.wrote(written, last && read === text.length);
    if (read === text.length) return;
    text = text.slice(read);
    room = text.length * 3;
  }
}

// A part between PADDED and EXTERNAL bytes long (the last of a text) is copied into a Buffer of
// EXTERNAL bytes, whose Latin-1 string Node.js keeps outside V8's heap, and the string cut to the
// part: the copy and the cut cost less than V8's own string of the part (measured: 0.1 against
// 0.3-0.4 ms for 600 KB). The Buffer is zeroed again after each use.
const PADDED = 256 * 1024;
let pad = null;

function latin1Of(buf) {
  if (buf.length < PADDED || buf.length >= EXTERNAL) return buf.toString('latin1');
  pad = pad || Buffer.alloc(EXTERNAL);
  buf.copy(pad);
  const text = pad.toString('latin1').slice(0, buf.length);
  pad.fill(0, 0, buf.length);
  return text;
}

// Text decoded a part at a time (see the top of the file); `text()` joins the parts.
class TextParts {
  constructor() {
    this.parts = [];
  }

  // Appends the UTF-8 in `buf`; `spans()` ([start, end, ...], from the module's pendingSpans or
  // textSpans) says where its characters outside ASCII are: those are decoded as UTF-8, the rest
  // is cut from one Latin-1 copy of `buf`. Give it at least EXTERNAL bytes at a time (but the
  // last): Node.js keeps a string that long outside V8's heap, which costs a copy, where a
  // shorter one costs V8 several times more per byte (allocated, then copied by the scavenger or
  // put in its large-object space).
  add(buf, spansOf) {
    if (buf.length === 0) return;
    const spans = spansOf();
    const latin1 = latin1Of(buf);
    let at = 0;
    for (let i = 0; i + 1 < spans.length; i += 2) {
      if (spans[i] > at) this.parts.push(latin1.slice(at, spans[i]));
      this.parts.push(buf.toString('utf8', spans[i], spans[i + 1]));
      at = spans[i + 1];
    }
    this.parts.push(at === 0 ? latin1 : latin1.slice(at));
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

// The module's UTF-8 copied out a part at a time, for a caller that sends it on as bytes (the
// incremental nodes' _bulk bodies): no string is made, so nothing is decoded now and encoded again
// to be sent. Same interface as TextParts; `text()` is the list of Buffers, one per part (as the
// jobs hand them over, each holds whole lines). Not joined: one Buffer of a response's whole
// NDJSON (80 MB for 68 MB of alerts) costs more than its copies, V8 counting it against the heap.
class ByteParts {
  constructor() {
    this.parts = [];
  }

  add(buf) {
    if (buf.length > 0) this.parts.push(Buffer.from(buf));
  }

  text() {
    return this.parts;
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

module.exports = { memoryAt, inputOf, partWriter, writeText, PART, TextParts, ByteParts, textOf, asciiSource, EXTERNAL };
