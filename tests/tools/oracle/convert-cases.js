'use strict';
// Cases for "convert the payload to usable format" (core.rows).
const { response, NUMBER_TEXTS, HOSTILE_STRINGS } = require('./samples');

const NOW = '2025-11-19T12:00:00.000Z';
const BASE = Date.parse(NOW);
const AS_TEXT = "SPEC node table: sentinel-rows takes the query API response as an object, a string or a Buffer; the original only reads an already-parsed object (tables of a string are undefined -> 'Unexpected response format'); expected = the original run on the parsed response";
const ROW_NOT_ARRAY = "SPEC 'Errors and bad input' (no crash, clear message): a row that is not an array is skipped with a warning naming the row; the original throws a TypeError (null) or reads characters / keys out of it";
const NAMED_TWICE = "SPEC 'Errors and bad input' (a message that says what was wrong), README 'Differences': a response text that names `tables`, or `columns` or `rows` of its first table, twice is refused with an error naming the key; JSON.parse (and so the original) keeps the last one, but the Log Analytics query API never sends a key twice, and refusing it lets the rows be read in one pass, each once";
const TABLES_NOT_ARRAY = "SPEC 'Errors and bad input': a `tables` that is not an array is an unexpected response format and is reported as an error; the original happens to read tables[0] of an object";

const table = (columns, rows) => ({ tables: [{ name: 'PrimaryResult', columns: columns.map((c) => (typeof c === 'string' ? { name: c, type: 'string' } : c)), rows }] });
const one = (fields) => table(Object.keys(fields), [Object.values(fields)]);
const deep = (n, open, close, inner) => open.repeat(n) + inner + close.repeat(n);

function handPicked() {
  const c = [];
  const add = (name, payload, extra = {}) => c.push({ name, now: NOW, input: { payload, oauth: { tenantName: 'contoso' } }, ...extra });

  // response shape
  add('no rows', table(['TimeGenerated', 'SystemAlertId'], []));
  add('no tables key', { error: { code: 'BadRequest' } });
  add('tables empty array', { tables: [] });
  add('tables[0] null', { tables: [null] });
  add('tables is a string', { tables: 'abc' });
  add('tables is an object with key 0', { tables: { 0: table(['A'], [['x']]).tables[0] } }, { deliberate: TABLES_NOT_ARRAY, expected: { throws: true } });
  add('payload null', null);
  add('payload empty object', {});
  add('payload number', 42);
  add('columns missing', { tables: [{ rows: [['x']] }] });
  add('rows missing', { tables: [{ columns: [{ name: 'A' }] }] });
  add('zero columns, one row', table([], [['x', 'y']]));
  add('empty row', table(['A', 'B'], [[]]));
  add('row shorter than columns', table(['A', 'B', 'C'], [['a']]));
  add('row longer than columns', table(['A'], [['a', 'b', 'c']]));
  add('duplicate column names', table(['A', 'B', 'A'], [['first', 'b', 'second']]));
  add('integer-like column names', table(['b', '10', '0', '4294967294', '4294967295', '01', '-1', '1.5', 'a'], [[1, 2, 3, 4, 5, 6, 7, 8, 9]]));
  add('column named __proto__ with a string', table(['A', '__proto__', 'B'], [['a', 'p', 'b']]));
  add('column named __proto__ with null', table(['A', '__proto__', 'B'], [['a', null, 'b']]));
  add('empty column name', table(['', 'A'], [['empty', 'a']]));
  add('column without a name', table([{ type: 'string' }, 'A'], [['nameless', 'a']]));
  add('numeric column name', table([{ name: 5 }, 'A'], [['five', 'a']]));
  add('null column', table([null, 'A'], [['x', 'a']]));
  add('more than one table (only the first is read)', { tables: [table(['A'], [['first']]).tables[0], table(['B'], [['second']]).tables[0]] });
  add('extra top-level fields', { statistics: { query: { executionTime: 0.1 } }, tables: table(['A'], [['x']]).tables, render: null });
  for (const [label, row] of [['null', null], ['string', 'abc'], ['object', { 0: 'x', 1: 'y' }], ['number', 7]]) {
    const payload = table(['A', 'B'], [['ok0', 'b0'], row, ['ok2', 'b2']]);
    add(`row that is not an array: ${label}`, payload, { deliberate: ROW_NOT_ARRAY, expected: { dropRows: [1], warnings: [{ includes: ['1'] }] } });
  }
  add('only row is null', table(['A'], [null]), { deliberate: ROW_NOT_ARRAY, expected: { none: true, warnings: [{ includes: ['0'] }] } });

  // the nested JSON fields
  const fields = ['Owner', 'AlertIds', 'AdditionalData', 'ExtendedProperties', 'Entities'];
  for (const f of fields) add(`nested field ${f} object`, one({ SystemAlertId: 'id', [f]: '{"a":1,"b":[1,2]}' }));
  add('other fields with JSON text stay strings', one({ Tactics: '["InitialAccess"]', Comments: '[{"message":"x"}]', Labels: '{}', Description: '{"a":1}' }));
  add('nested fields already parsed stay', one({ Entities: [{ Type: 'host' }], ExtendedProperties: { a: 1 }, Owner: 5, AlertIds: true, AdditionalData: null }));
  const texts = {
    'empty object': '{}', 'empty array': '[]', 'spaced empty object': '{ }', 'leading and trailing spaces': '  {"a":1}  ',
    'newlines around': '\n\r\n[1]\t\n', 'nbsp around (JS trim removes it)': '\u00a0{"a":1}\u00a0', 'BOM before (JS trim removes it)': '\ufeff{"a":1}',
    'U+2028 around': '\u2028[1]\u2029', 'ideographic space after': '[1]\u3000', 'NEL after (JS trim keeps it)': '[1]\u0085', 'NEL before': '\u0085[1]',
    'mongolian vowel separator before (not whitespace)': '\u180e[1]', 'nbsp inside (invalid JSON)': '{\u00a0"a":1}',
    'invalid JSON object': '{"a":}', 'invalid JSON array': '[1,2,]', 'single quotes': "{'a':1}", 'trailing garbage inside': '{"a":1}x}',
    'two values': '{"a":1}{"b":2}', 'mismatched brackets [}': '[1}', 'mismatched brackets {]': '{"a":[1]]', 'unterminated string': '{"a":"x}',
    'just a brace': '{', 'just braces with space': '{ }', 'JSON string (not parsed)': '"{}"', 'JSON number (not parsed)': '42', 'JSON null text (not parsed)': 'null',
    'JSON true text': 'true', 'empty string': '', 'only whitespace': '   ', 'comment inside': '{"a":1 /* c */}', 'NaN literal': '[NaN]', 'Infinity literal': '[Infinity]',
    'hex number': '[0x10]', 'leading zero number': '[01]', 'plus number': '[+1]', 'dot number': '[.5]', 'trailing dot': '[1.]',
    'raw control character in string (invalid)': '["a\u0001b"]', 'raw tab in string (invalid)': '["a\tb"]', 'raw newline in string (invalid)': '["a\nb"]',
    'escaped slash': '{"url":"https:\\/\\/x.example\\/a"}', 'all short escapes': '["\\"\\\\\\/\\b\\f\\n\\r\\t"]',
    'every control character escaped': JSON.stringify([Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f']),
    'uppercase unicode escapes': '["\\u00E9\\u00e9\\u0041"]', 'lone high surrogate escape': '["a\\ud800b"]', 'lone low surrogate escape': '["a\\udfffb"]',
    'reversed surrogate pair escapes': '["\\ude00\\ud83d"]', 'surrogate pair escapes': '["\\ud83d\\ude00"]', 'raw emoji and U+2028': '["\ud83d\ude00\u2028\u2029"]',
    'non-ASCII keys and values': '{"k\u00e9y":"\u4e2d\u6587","\u0627":"\u0639"}', 'invalid escape': '["\\x41"]', 'short unicode escape': '["\\u12"]',
    'key set twice': '{"a":1,"b":2,"a":3}', 'key set twice nested': '{"o":{"x":1,"y":2,"x":{"z":null}}}',
    'integer-like keys': '{"b":1,"10":2,"0":3,"4294967294":4,"4294967295":5,"01":6,"-1":7,"a":8,"1":9}',
    '__proto__ key': '{"a":1,"__proto__":{"polluted":true},"b":2}', '__proto__ key with a primitive': '{"__proto__":"x","b":2}',
    'constructor and toString keys': '{"constructor":1,"toString":"x","hasOwnProperty":null}', 'empty key': '{"":1,"a":{"":""}}',
    'numbers': '[' + NUMBER_TEXTS.join(',') + ']', 'numbers as values': '{"one":1.0,"mz":-0,"big":1e21,"small":1e-7,"tiny":5e-324,"p53":9007199254740993,"sum":0.30000000000000004,"max":1e308,"over":1e400,"neg_over":-1e400,"under":1e-400}',
    'exponent forms': '[1E2,1e+2,1e-2,1E-0,0e0,-0.0,0.0e-5,123e-20]',
    'nesting 1000 arrays': deep(1000, '[', ']', '1'), 'nesting 1000 objects': deep(1000, '{"a":', '}', 'null'),
    'nesting 1000 mixed': deep(500, '{"k":[', ']}', '"leaf"'),
    'nulls and empty strings at every depth': '{"a":null,"b":"","c":{"d":null,"e":"","f":[null,"",{"g":null}]},"h":[[],[null],[""]],"i":{}}',
    'array of nulls and empty strings': '[null,"",null,"",""]', 'objects that become empty': '{"a":{"b":null},"c":[{"d":""}],"e":[[null]]}',
    'very long string': JSON.stringify(['x'.repeat(70000) + '\u00e9\ud83d\ude00']), 'many keys': JSON.stringify(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${(i * 7919) % 300}`, i]))),
    'whitespace-rich JSON': '{ "a" :\t[ 1 ,\n 2 ] ,\r\n "b" : { } }', 'depth with numbers keys': '[{"2":{"1":{"0":[]}}}]',
  };
  for (const [label, text] of Object.entries(texts)) add(`Entities: ${label}`, one({ SystemAlertId: 'id', Entities: text }));
  add('warnings name each element and field', table(['A', 'Entities', 'Owner', 'ExtendedProperties'], [
    ['ok', '[1]', '{"a"}', '{}'], ['bad', '{x}', '[1', '[1,]'], ['ok', '{"a":1}', '{}', 'plain'],
  ]));
  add('Entities as a lone surrogate string', one({ Entities: 'a\ud800', Owner: '\udc00{}' }));

  // cell values
  add('hostile strings as cells', table(HOSTILE_STRINGS.map((_, i) => `c${i}`), [HOSTILE_STRINGS]));
  add('number cells', table(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], [[1.0, -0, 1e21, 1e-7, 5e-324, 2 ** 53 + 2, 0.1 + 0.2, 1e308]]));
  add('Infinity cells (a parsed 1e400)', table(['a', 'b'], [[Infinity, -Infinity]]));
  add('object and array cells', table(['a', 'b', 'c'], [[{ x: [1, { y: null }] }, [null, ''], {}]]));
  add('boolean and null cells', table(['a', 'b', 'c', 'd'], [[true, false, null, '']]));

  // payload as text or bytes
  const sample = one({ TimeGenerated: '2025-11-19T10:00:00.1234567Z', SystemAlertId: 'abc', Entities: '[{"$id":"1","Type":"host"}]' });
  const parsedFrom = (label, text) => {
    add(`payload as string: ${label}`, text, { deliberate: AS_TEXT, expected: { parseText: true } });
    add(`payload as Buffer: ${label}`, Buffer.from(text, 'utf8'), { deliberate: AS_TEXT, expected: { parseText: true } });
  };
  parsedFrom('compact', JSON.stringify(sample));
  parsedFrom('pretty', JSON.stringify(sample, null, 2));
  parsedFrom('no rows', JSON.stringify(table(['A'], [])));
  const namedTwice = (label, text) => {
    add(`payload as string: ${label}`, text, { deliberate: NAMED_TWICE, expected: { throws: true } });
    add(`payload as Buffer: ${label}`, Buffer.from(text, 'utf8'), { deliberate: NAMED_TWICE, expected: { throws: true } });
  };
  namedTwice('duplicate top-level key (refused)', '{"tables":[{"columns":[{"name":"A"}],"rows":[["first"]]}],"tables":[{"columns":[{"name":"B"}],"rows":[["second"]]}]}');
  namedTwice('duplicate rows key in tables[0] (refused)', '{"tables":[{"columns":[{"name":"A"}],"rows":[["first"]],"rows":[["second"],["third"]]}]}');
  namedTwice('duplicate columns key in tables[0] (refused)', '{"tables":[{"columns":[{"name":"A"}],"columns":[{"name":"B"}],"rows":[["x"]]}]}');
  parsedFrom('duplicate keys elsewhere (last wins)', '{"x":1,"x":{"rows":1,"rows":2},"tables":[{"columns":[{"name":"A"}],"rows":[["first"]]},{"rows":[],"rows":[[1]]}]}');
  parsedFrom('duplicate key in a column object', '{"tables":[{"columns":[{"name":"A","name":"B"}],"rows":[["x"]]}]}');
  parsedFrom('integer-like column names', '{"tables":[{"columns":[{"name":"z"},{"name":"10"},{"name":"4294967295"},{"name":"2"},{"name":"01"}],"rows":[[1,2,3,4,5]]}]}');
  parsedFrom('number forms in cells', '{"tables":[{"columns":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"},{"name":"e"},{"name":"f"},{"name":"g"}],"rows":[[1.0,-0,1e21,9007199254740993,1e400,0.30000000000000004,1E-7]]}]}');
  parsedFrom('escapes in cells', '{"tables":[{"columns":[{"name":"a"},{"name":"b"},{"name":"c"}],"rows":[["\\ud800","\\/\\u2028","\\u0000\\u001F"]]}]}');
  parsedFrom('__proto__ column name', '{"tables":[{"columns":[{"name":"__proto__"},{"name":"A"}],"rows":[["p","a"]]}]}');
  parsedFrom('whitespace around', ' \n\t{"tables":[{"columns":[{"name":"A"}],"rows":[["x"]]}]}\r\n ');
  add('payload as Buffer: invalid UTF-8 inside a string', Buffer.concat([Buffer.from('{"tables":[{"columns":[{"name":"A"}],"rows":[["a'), Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('b"]]}]}')]), { deliberate: AS_TEXT, expected: { parseText: true } });
  add('payload as string: not JSON', 'not json', { deliberate: AS_TEXT, expected: { throws: true } });
  add('payload as string: empty', '');
  add('payload as Buffer: not JSON', Buffer.from('<html>'), { deliberate: AS_TEXT, expected: { throws: true } });
  add('payload as string: JSON array', '[1,2]', { deliberate: AS_TEXT, expected: { throws: true } });
  return c;
}

function generated(r, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const tableName = r.chance(0.5) ? 'SecurityAlert' : 'SecurityIncident';
    const rows = r.pick([1, 1, 2, 3, 5]);
    out.push({ name: `generated ${i} ${tableName} x${rows}`, now: NOW, input: { payload: response(r, tableName, rows, BASE), oauth: { tenantName: 'contoso' } } });
  }
  return out;
}

module.exports = { handPicked, generated, NOW, BASE };
