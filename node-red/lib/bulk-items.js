'use strict';
// The items of a _bulk response, read faster than JSON.parse reads them, with JSON.parse's result.
//
// Elasticsearch writes a million items in a handful of forms that differ only in their values:
// `{"create":{"_index":"…","_id":"…","status":409,"error":{…}}}`. The first item of each form is
// parsed by JSON.parse and learnt as a shape: its compact text cut into literal pieces around its
// string and number values. Each later item is matched against the shapes learnt so far, piece by
// piece, and built by a function made for its shape (an object literal, as fast as V8 builds
// objects). Once a shape has read a few dozen items, the values that did not change in them (the
// index, the result, the status: most of an item) are written into its literal pieces, so that
// an item is mostly a few comparisons of whole pieces of text.
//
// An item is taken from a shape only when its text is exactly the shape's text with other values
// in the holes, and each value is one JSON.parse reads the same way (a string without control
// characters, decoded by JSON.parse when it has escapes; a number in JSON's grammar), so the
// objects are JSON.parse's: the same keys in the same order, the same values. Anything else is
// parsed by JSON.parse.

const STRING = 0;
// eslint-disable-next-line no-control-regex -- JSON.parse refuses these characters in a string
const CONTROL = /[\u0000-\u001f]/;
const NUMBER = 1;

// Shapes kept (the most used first), and how deep and how many values a shape may have.
const MAX_SHAPES = 16;
const MAX_DEPTH = 32;
const MAX_VALUES = 256;
// How often a repeating value may change before it is no longer compared whole.
const MAX_MISSES = 8;
// How many items a shape reads before the values that did not change in them are written into it.
const SPECIALISE_AFTER = 64;
// The functions that build each shape's objects, by their code, kept from one response to the
// next (the oldest goes first): V8 then reuses their object layouts and compiled code.
const MAX_BUILDERS = 64;
const builders = new Map();
// How many places an item might end at are tried before giving up on it, and how many items are
// read by JSON.parse before the shapes are given up when they do not read four times as many.
const MAX_ENDS = 8;
const GIVE_UP_AFTER = 256;

/**
 * The shape of `value`, whose compact text is `text`, or null when it cannot be one: a text that
 * is not JSON.stringify's of its value (duplicate keys, escapes it would not write, other number
 * forms), a `__proto__` key (an object literal would set the prototype), too deep or too many
 * values.
 */
function learn(value, text) {
  if (value === null || typeof value !== 'object' || JSON.stringify(value) !== text) return null;
  const literals = [];
  const kinds = [];
  let literal = '';
  const walk = (v, depth) => {
    if (depth > MAX_DEPTH || kinds.length > MAX_VALUES) throw new RangeError('shape');
    if (typeof v === 'string') {
      literals.push(`${literal}"`);
      kinds.push(STRING);
      literal = '"';
      return `v[${kinds.length - 1}]`;
    }
    if (typeof v === 'number') {
      literals.push(literal);
      kinds.push(NUMBER);
      literal = '';
      return `v[${kinds.length - 1}]`;
    }
    if (v === null || typeof v === 'boolean') {
      literal += String(v);
      return String(v);
    }
    if (Array.isArray(v)) {
      literal += '[';
      const parts = v.map((e, i) => {
        if (i > 0) literal += ',';
        return walk(e, depth + 1);
      });
      literal += ']';
      return `[${parts.join(',')}]`;
    }
    literal += '{';
    const parts = Object.keys(v).map((k, i) => {
      if (k === '__proto__') throw new RangeError('shape');
      const key = JSON.stringify(k);
      literal += `${i > 0 ? ',' : ''}${key}:`;
      return `${key}:${walk(v[k], depth + 1)}`;
    });
    literal += '}';
    return `{${parts.join(',')}}`;
  };
  try {
    const code = walk(value, 0);
    literals.push(literal);
    // The keys are JSON string literals (valid JavaScript string literals), the values v[i]. A
    // runtime that forbids making code from strings throws here: JSON.parse reads every item.
    let build = builders.get(code);
    if (!build) {
      build = new Function('v', `return ${code};`);
      if (builders.size >= MAX_BUILDERS) builders.delete(builders.keys().next().value);
    }
    builders.set(code, build);
    return new Shape(literals, kinds, kinds.map((k, h) => h), new Array(kinds.length).fill(0), build);
  } catch (err) {
    return null;
  }
}

// Whether `piece` is in text at i. Comparing a slice (which V8 makes without copying) is several
// times faster than startsWith on pieces of a hundred characters.
function textAt(text, i, piece) {
  return text.slice(i, i + piece.length) === piece;
}

/**
 * A form of item: its text is literals[0], a value, literals[1], … a value, literals[n]; the
 * value between literals[h] and literals[h + 1] is a string (its text without the quotes, which
 * the literals hold) or a number, as kinds[h] says, and goes into values[holes[h]], which build
 * turns into the item's object. tails[h]: the text of the last value there and the literal after
 * it, while that value keeps repeating (misses[h] counts the values read there: 1 for one that
 * never changed).
 */
class Shape {
  constructor(literals, kinds, holes, values, build) {
    this.literals = literals;
    this.kinds = kinds;
    this.holes = holes;
    this.values = values;
    this.build = build;
    this.tails = new Array(kinds.length).fill('');
    this.misses = new Array(kinds.length).fill(0);
    // Items matched, and for a specialised shape, the general one it was made from and how many
    // items that read since (its own values differed).
    this.matched = 0;
    this.general = null;
    this.fallbacks = 0;
  }

  /**
   * This shape with the values that have not changed in its items so far written into its
   * literals (the index, the result, the shard counts, the status: most of an item), or null when
   * every value changed. It builds the same objects, with those values in them.
   */
  specialise() {
    const literals = [];
    const kinds = [];
    const holes = [];
    let literal = this.literals[0];
    for (let h = 0; h < this.kinds.length; h++) {
      if (this.misses[h] === 1 && this.tails[h] !== '') {
        literal += this.tails[h];
      } else {
        literals.push(literal);
        kinds.push(this.kinds[h]);
        holes.push(this.holes[h]);
        literal = this.literals[h + 1];
      }
    }
    literals.push(literal);
    if (kinds.length === this.kinds.length) return null;
    const shape = new Shape(literals, kinds, holes, this.values.slice(), this.build);
    shape.general = this;
    return shape;
  }
}

/** Reads the items of one response text, a slice of them at a time (read). */
class ItemReader {
  constructor(text) {
    this.text = text;
    this.shapes = [];
    // The text being read (text[from, to): its searches stop at its end), and the next backslash
    // in it at or after some place read (`to` for none): a string holding one is left to JSON.parse.
    this.window = '';
    this.from = 0;
    this.to = 0;
    this.backslash = 0;
    this.numberValue = 0;
    // Items read by JSON.parse, and by a shape.
    this.parsed = 0;
    this.shaped = 0;
    this.changed = new Int32Array(3 * (MAX_VALUES + 2));
    this.pending = new Array(3 * (MAX_VALUES + 2)).fill(0);
  }

  /**
   * The items of text[from, to) (values separated by commas, no spaces) as JSON.parse(`[${…}]`)
   * gives them, or null when they are not all read here (the caller parses them with JSON.parse,
   * which also reports the error in a text that is not JSON).
   */
  read(from, to) {
    const text = this.text;
    this.window = text.slice(from, to);
    // A control character (JSON.parse refuses one in a string): JSON.parse reads these items.
    if (CONTROL.test(this.window)) return null;
    // Items that do not come in shapes (each one different, escapes everywhere): JSON.parse
    // reads the rest of them, rather than JSON.parse and the shapes.
    if (this.parsed > GIVE_UP_AFTER && this.shaped < 4 * this.parsed) return null;
    this.from = from;
    this.to = to;
    this.backslash = -1;
    const items = [];
    for (let i = from; ;) {
      let end = this.matchShape(i, to, items);
      if (end < 0) end = this.learnItem(i, to, items);
      if (end < 0) return null;
      if (end === to) return items;
      if (text.charCodeAt(end) !== 44 /* , */) return null;
      i = end + 1;
    }
  }

  // The end of the item at i read with a shape (its object pushed onto items), or -1. The shapes
  // are tried most used first, then the general shapes behind the specialised ones.
  matchShape(i, to, items) {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s];
      const end = this.match(shape, i);
      if (end < 0 || end > to) continue;
      items.push(shape.build(shape.values));
      this.shaped++;
      if (++shape.matched === SPECIALISE_AFTER && !shape.general) shapes[s] = shape.specialise() || shape;
      if (s > 0 && shapes[s].matched > shapes[s - 1].matched) {
        shapes[s] = shapes[s - 1];
        shapes[s - 1] = shape;
      }
      return end;
    }
    for (let s = 0; s < shapes.length; s++) {
      const special = shapes[s];
      const shape = special.general;
      if (!shape) continue;
      const end = this.match(shape, i);
      if (end < 0 || end > to) continue;
      items.push(shape.build(shape.values));
      this.shaped++;
      // The values written into the specialised shape change after all: the general one takes
      // its place again (and is specialised again on the values that do not change).
      if (++special.fallbacks > SPECIALISE_AFTER && special.fallbacks * 4 > special.matched) {
        shape.matched = 0;
        shapes[s] = shape;
      }
      return end;
    }
    return -1;
  }

  // The end of shape's text at i, its values in shape.values, or -1.
  match(shape, at) {
    const text = this.text;
    const { literals, kinds, holes, values, tails, misses } = shape;
    // The values read (not repeated): their hole, where their text and tail begin and end, and
    // the value (in pending).
    const changed = this.changed;
    const pending = this.pending;
    let count = 0;
    let i = at;
    if (!textAt(text, i, literals[0])) return -1;
    i += literals[0].length;
    for (let h = 0; h < kinds.length; h++) {
      // Most values repeat the item before's (the index, the result, the shard counts, the
      // error's type): the same value again, its text and the literal after it compared at once.
      const tail = tails[h];
      if (tail !== '' && textAt(text, i, tail)) {
        i += tail.length;
        continue;
      }
      let end;
      if (kinds[h] === STRING) {
        end = text.indexOf('"', i);
        if (end < 0) return -1;
        if (this.plain(i, end)) {
          pending[count] = text.slice(i, end);
        } else {
          // Escapes: JSON.parse decodes the string (and refuses a wrong escape).
          end = this.escapedEnd(i);
          if (end < 0) return -1;
          pending[count] = this.decode(i, end);
          if (pending[count] === null) return -1;
        }
      } else {
        end = this.number(i);
        if (end < 0) return -1;
        pending[count] = this.numberValue;
      }
      const literal = literals[h + 1];
      if (!textAt(text, end, literal)) return -1;
      changed[count++] = h;
      changed[count++] = i;
      i = end + literal.length;
      changed[count++] = i;
    }
    // The whole item matched: its values go in, each with its tail (unless it keeps changing: an
    // _id, a sequence number).
    for (let c = 0; c < count; c += 3) {
      const h = changed[c];
      values[holes[h]] = pending[c];
      tails[h] = ++misses[h] <= MAX_MISSES ? text.slice(changed[c + 1], changed[c + 2]) : '';
    }
    return i;
  }

  // Whether text[a, b) holds no backslash (a string there is its text).
  plain(a, b) {
    if (this.backslash >= b) return true;
    if (this.backslash < a) {
      const next = this.window.indexOf('\\', a - this.from);
      this.backslash = next < 0 ? this.to : next + this.from;
    }
    return this.backslash >= b;
  }

  // The closing quote of the string whose text begins at i (after its opening quote), in the text
  // being read, or -1: the first quote after an even number of backslashes.
  escapedEnd(at) {
    const text = this.text;
    for (let q = at; ;) {
      q = text.indexOf('"', q);
      if (q < 0 || q >= this.to) return -1;
      let b = q - 1;
      while (text.charCodeAt(b) === 92 /* \ */) b--;
      if ((q - 1 - b) % 2 === 0) return q;
      q++;
    }
  }

  // The string text[from, to) holds (inside its quotes), or null for a wrong escape.
  decode(from, to) {
    try {
      return JSON.parse(this.text.slice(from - 1, to + 1));
    } catch (err) {
      return null;
    }
  }

  // The end of the JSON number at i (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?), its value in
  // this.numberValue, or -1. Integers of up to 15 digits are added up here (exactly: below 2^53).
  number(at) {
    const text = this.text;
    let i = at;
    let c = text.charCodeAt(i);
    if (c === 45 /* - */) c = text.charCodeAt(++i);
    let value = 0;
    if (c === 48 /* 0 */) {
      c = text.charCodeAt(++i);
    } else if (c >= 49 && c <= 57) {
      do {
        value = value * 10 + c - 48;
        c = text.charCodeAt(++i);
      } while (c >= 48 && c <= 57);
    } else {
      return -1;
    }
    let simple = i - at <= 15;
    if (c === 46 /* . */) {
      c = text.charCodeAt(++i);
      if (!(c >= 48 && c <= 57)) return -1;
      do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
      simple = false;
    }
    if (c === 101 || c === 69 /* e E */) {
      c = text.charCodeAt(++i);
      if (c === 43 || c === 45) c = text.charCodeAt(++i);
      if (!(c >= 48 && c <= 57)) return -1;
      do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
      simple = false;
    }
    if (!simple) value = Number(text.slice(at, i));
    else if (text.charCodeAt(at) === 45) value = -value;
    this.numberValue = value;
    return i;
  }

  // The item at i read with JSON.parse (and learnt as a shape), its end, or -1. An item (an
  // object) ends at a `}` before `,{"`, or at `to`; the first of those places where JSON.parse
  // reads a whole value is its end (a JSON value is never the beginning of a longer one).
  learnItem(i, to, items) {
    const text = this.text;
    let tries = 0;
    for (let at = i; tries < MAX_ENDS; tries++) {
      const cut = text.indexOf('},{"', at);
      const end = cut < 0 || cut >= to ? to : cut + 1;
      const itemText = text.slice(i, end);
      let value;
      try {
        value = JSON.parse(itemText);
      } catch (err) {
        if (end === to) return -1;
        at = end;
        continue;
      }
      items.push(value);
      this.parsed++;
      const shape = learn(value, itemText);
      if (shape) {
        // In place of the least used one.
        if (this.shapes.length >= MAX_SHAPES) this.shapes.pop();
        this.shapes.push(shape);
      }
      return end;
    }
    return -1;
  }
}

// A _bulk response as Elasticsearch writes it (compact, `items` its last member), read a slice of
// items at a time: JSON.parse reads the members before `items` (the frame, with `items: 0` in its
// place), and the items are read by an ItemReader (else JSON.parse) in slices of about
// `sliceBytes`, cut where one item ends and the next begins (`},{"`: inside a string a quote is
// always escaped, so those four characters are structural). A cut inside an item (between two
// objects of a nested array) leaves brackets unbalanced, and JSON.parse refuses the slice; whatever
// it accepts is the text's own items, in order. Yields each slice's items and returns the frame;
// returns null (or throws JSON.parse's error) for any other text, which the caller then reads
// another way.
function* compactItems(text, sliceBytes) {
  const start = text.indexOf('"items":[');
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) <= 32) end--;
  // `]}`: the items' closing bracket, then the response's.
  if (start < 0 || end < 2 || text[end - 1] !== '}' || text[end - 2] !== ']' || end - 2 < start + 9) return null;
  const itemsEnd = end - 2;
  const frame = JSON.parse(`${text.slice(0, start)}"items":0}`);
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) return null;
  const reader = new ItemReader(text);
  for (let from = start + 9; from < itemsEnd;) {
    let cut = from + sliceBytes < itemsEnd ? text.indexOf('},{"', from + sliceBytes) : -1;
    cut = cut < 0 || cut >= itemsEnd ? itemsEnd : cut + 1;
    // No cut near enough: not the usual form.
    if (cut - from > 16 * sliceBytes) return null;
    yield reader.read(from, cut) || JSON.parse(`[${text.slice(from, cut)}]`);
    from = cut + 1;
  }
  return frame;
}

// JSON.parse(text) of a _bulk response (text or a Buffer of UTF-8), its items read as
// compactItems reads them when it can. Throws JSON.parse's error for text that is not JSON.
function parseBulkResponse(body) {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    const slices = compactItems(text, 64 * 1024);
    const items = [];
    for (;;) {
      const { done, value } = slices.next();
      if (done) {
        if (!value) break;
        value.items = items;
        return value;
      }
      for (const item of value) items.push(item);
    }
  } catch (err) {
    // Read again by JSON.parse, which names the error.
  }
  return JSON.parse(text);
}

module.exports = { ItemReader, learn, compactItems, parseBulkResponse };
