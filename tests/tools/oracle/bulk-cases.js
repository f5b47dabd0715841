'use strict';
// Cases for "prepare the payload for ingest in elastic" (core.bulk).
const { HOSTILE_STRINGS, isoDate } = require('./samples');
const { decode } = require('./codec');

const NOW = '2025-11-19T12:00:00.000Z';
const BASE = Date.parse(NOW);
const ELASTIC = { host: 'https://elastic.host:9200', apiKeyName: 'nodered_azure_api', apiKey: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' };
const BAD_ENDTIME = "SPEC 'Deliberate improvements': an EndTime that is not a valid date makes the original throw (RangeError: Invalid time value); here @timestamp falls back to TimeGenerated, then to the current time, with a warning naming the row";
const NOT_OBJECT = "SPEC 'Errors and bad input': a document that is not a JSON object (null, string, number, boolean, array) is skipped with a warning naming it; the original throws (null) or writes a bare string/number/array line that Elasticsearch rejects";
const EMPTY = "SPEC 'Deliberate improvements': an empty document array produces no _bulk request; the original sends a body of just \"\\n\"";
const RAW = "API.md core.bulk: the payload may also be a raw query API response (sentinel-rows and sentinel-bulk in one); the original iterates it (TypeError: not iterable, or one document per character of a string); expected = the original convert step, then prepare-bulk";
const NAMED_TWICE = "SPEC 'Errors and bad input' (a message that says what was wrong), README 'Differences': a query response text that names `tables`, or `columns` or `rows` of its first table, twice is refused with an error naming the key; JSON.parse (and so the original chain) keeps the last one, but the Log Analytics query API never sends a key twice";
const NO_TARGET = "SPEC 'Errors and bad input': a missing Elasticsearch host or API key is reported (clear error) instead of sending to 'undefined/_bulk' with 'ApiKey undefined'";

const alert = (over = {}) => ({
  TenantId: '9f2c1b3a-0000-4000-8000-000000000001', TimeGenerated: '2025-11-19T10:00:05.1234567Z',
  DisplayName: 'Suspicious sign-in', AlertSeverity: 'Medium', SystemAlertId: 'a1b2c3d4-e5f6-4711-8000-000000000001',
  StartTime: '2025-11-19T09:58:00.0000000Z', EndTime: '2025-11-19T09:59:12.9876543Z',
  ExtendedProperties: { 'Alert Mode': 'Aggregated', 'Query Period': '05:00:00' }, Entities: [{ $id: '2', HostName: 'WS-01', Type: 'host' }],
  ConfidenceScore: null, RemediationSteps: '', Status: 'New', ...over,
});
const incident = (over = {}) => ({
  TenantId: '9f2c1b3a-0000-4000-8000-000000000001', TimeGenerated: '2025-11-19T10:01:00.5Z', IncidentName: '0c8e6e8f-1d5c-4c8e-9a30-000000000002',
  Title: 'Multistage attack', Severity: 'High', Status: 'New', Owner: { objectId: null, email: null, assignedTo: null },
  IncidentNumber: 4711, AlertIds: ['a1', 'a2'], AdditionalData: { alertsCount: 2, tactics: [] }, Comments: '[]', ...over,
});

function handPicked() {
  const c = [];
  const add = (name, payload, extra = {}, msgOver = {}) => c.push({
    name, now: extra.now || NOW,
    input: { payload, oauth: { clientId: 'c', tenantId: 't', tenantName: 'contoso' }, elastic: { ...ELASTIC }, ...msgOver },
    ...(extra.deliberate ? { deliberate: extra.deliberate, expected: extra.expected } : {}),
  });
  const fromText = (text) => decode(text); // own __proto__ keys, exactly as JSON.parse makes them

  add('one alert', [alert()]);
  add('one incident (no EndTime: @timestamp is now)', [incident()]);
  add('alert and incident', [alert(), incident()]);
  add('hundred documents', Array.from({ length: 100 }, (_, i) => (i % 2 ? alert({ SystemAlertId: `id-${i}` }) : incident({ IncidentName: `inc-${i}` }))));
  // @timestamp from EndTime
  const endTimes = {
    '7 fraction digits': '2025-11-19T10:00:00.1234567Z', '7 nines truncate': '2025-11-19T10:00:00.9999999Z', 'no fraction': '2025-11-19T10:00:00Z',
    '1 fraction digit': '2025-11-19T10:00:00.5Z', '11 fraction digits': '2025-11-19T10:00:00.12345678901Z', 'offset +02:00': '2025-11-19T12:00:00.1234567+02:00',
    'offset -05:30': '2025-11-19T10:00:00-05:30', 'offset +0200 (no colon)': '2025-11-19T10:00:00+0200', 'no seconds': '2025-11-19T10:00Z',
    'date only (UTC midnight)': '2025-11-19', 'year and month only': '2025-11', 'year only': '2025', 'no offset (local time, recorded with TZ=UTC)': '2025-11-19T10:00:00.1234567',
    'lowercase t and z': '2025-11-19t10:00:00.123z', 'hour 24': '2025-11-19T24:00:00Z', 'February 30 (V8 rolls over)': '2025-02-30T00:00:00Z',
    'extended year +010000': '+010000-01-01T00:00:00Z', 'negative year': '-000001-06-15T00:00:00Z', 'largest date': '+275760-09-13T00:00:00Z',
    'leap day': '2024-02-29T23:59:59.999Z', 'epoch': '1970-01-01T00:00:00Z', 'before epoch': '1969-12-31T23:59:59.9999999Z',
  };
  for (const [label, e] of Object.entries(endTimes)) add(`EndTime ${label}`, [alert({ EndTime: e })]);
  for (const [label, e] of Object.entries({ 'empty string': '', null: null, 'zero': 0, absent: undefined, false: false })) {
    const d = alert({ EndTime: e });
    if (label === 'absent') delete d.EndTime;
    add(`EndTime ${label} (falsy: now)`, [d]);
  }
  add('EndTime as epoch milliseconds number', [alert({ EndTime: 1763546400123 })]);
  const invalid = {
    'not a date': 'not a date', 'month 13': '2025-13-01T00:00:00Z', 'second 60': '2025-11-19T23:59:60Z', 'minus zero year': '-000000-01-01T00:00:00Z',
    'after the largest date': '+275760-09-13T00:00:00.001Z', 'comma fraction': '2025-11-19T10:00:00,123Z', 'leading space': ' 2025-11-19T10:00:00Z',
    'offset +24:00': '2025-11-19T10:00:00+24:00', 'an object': { when: 'now' }, 'digits only': '1763546400000',
  };
  for (const [label, e] of Object.entries(invalid)) {
    add(`invalid EndTime ${label}: falls back to TimeGenerated`, [alert(), alert({ EndTime: e, SystemAlertId: 'bad-end' })], { deliberate: BAD_ENDTIME, expected: { endTimeFallback: [1], warnings: [{ includes: ['1', 'EndTime'] }] } });
  }
  add('invalid EndTime and invalid TimeGenerated: falls back to now', [alert({ EndTime: 'garbage', TimeGenerated: 'also garbage' })], { deliberate: BAD_ENDTIME, expected: { endTimeFallback: [0], warnings: [{ includes: ['0', 'EndTime'] }] } });
  add('invalid EndTime and no TimeGenerated: falls back to now', [alert({ EndTime: '2025-99-99', TimeGenerated: undefined })], { deliberate: BAD_ENDTIME, expected: { endTimeFallback: [0], warnings: [{ includes: ['0', 'EndTime'] }] } });
  add('two invalid EndTimes', [alert({ EndTime: 'x1' }), alert(), alert({ EndTime: 'x2', TimeGenerated: '2025-11-18T01:02:03.4567891Z' })], { deliberate: BAD_ENDTIME, expected: { endTimeFallback: [0, 2], warnings: [{ includes: ['0', 'EndTime'] }, { includes: ['2', 'EndTime'] }] } });
  add('@timestamp already present keeps its position', [{ '@timestamp': 'old', a: 1, EndTime: '2025-11-19T10:00:00Z' }]);
  add('@timestamp present and null', [{ a: 1, '@timestamp': null }]);
  // tenantName / customer
  add('tenantName absent', [alert()], {}, { oauth: { clientId: 'c' } });
  add('tenantName empty', [alert()], {}, { oauth: { tenantName: '' } });
  add('no oauth', [alert()], {}, { oauth: undefined });
  add('tenantName with quotes and unicode', [alert()], {}, { oauth: { tenantName: 'T\u00e9nant "A" \\ \ud83d\ude00' } });
  add('customer object kept, name set last', [alert({ customer: { id: 5, region: 'eu' } })]);
  add('customer with a name keeps its position', [alert({ customer: { name: 'old', id: 5 } })]);
  add('customer a string (name cannot be set)', [alert({ customer: 'acme' })]);
  add('customer null', [alert({ customer: null })]);
  add('customer an array', [alert({ customer: [] })]);
  add('customer zero', [alert({ customer: 0 })]);
  add('customer without tenantName', [alert({ customer: { name: null } })], {}, { oauth: {} });
  // _id
  const ids = {
    'SystemAlertId number': { SystemAlertId: 12345 }, 'SystemAlertId zero (falsy)': { SystemAlertId: 0, IncidentName: 'inc' },
    'SystemAlertId empty: IncidentName': { SystemAlertId: '', IncidentName: 'inc-1' }, 'SystemAlertId space': { SystemAlertId: ' ' },
    'SystemAlertId and IncidentName': { SystemAlertId: 'sa', IncidentName: 'in' }, 'neither': {}, 'IncidentName number': { IncidentName: 7 },
    'SystemAlertId object': { SystemAlertId: { a: 1 } }, 'SystemAlertId array cleaned first': { SystemAlertId: [null, 'x', '', 'y'] },
    'SystemAlertId true': { SystemAlertId: true }, 'SystemAlertId false, IncidentName': { SystemAlertId: false, IncidentName: 'i' },
    'SystemAlertId 1e21': { SystemAlertId: 1e21 }, 'SystemAlertId -0': { SystemAlertId: -0, IncidentName: 'neg-zero' }, 'SystemAlertId 0.1+0.2': { SystemAlertId: 0.1 + 0.2 },
    'SystemAlertId with quotes and controls': { SystemAlertId: 'a"b\\c\n\u0001\ud800' }, 'SystemAlertId empty array': { SystemAlertId: [] },
  };
  for (const [label, over] of Object.entries(ids)) add(`_id: ${label}`, [{ TimeGenerated: '2025-11-19T10:00:00Z', ...over, EndTime: '2025-11-19T10:00:00Z' }]);
  // clean
  add('clean: nulls and empty strings at every depth', [fromText('{"a":null,"b":"","c":{"d":null,"e":"","f":[null,"",{"g":null},0,false]},"h":[[],[null],[""]],"i":{},"j":" "}')]);
  add('clean: undefined values and array slots', [{ a: undefined, b: [undefined, 1, null], c: { d: undefined }, e: 'x' }]);
  add('clean: objects left empty stay', [{ a: { b: null }, c: [{ d: '' }], e: [[null]], f: [{}] }]);
  add('clean: zero and false stay', [{ a: 0, b: false, c: -0, d: [0, false, -0] }]);
  add('clean: array of nulls and empty strings', [{ a: [null, '', null, ''] }]);
  add('clean: __proto__ keys vanish at every depth', [fromText('{"a":1,"n":{"__proto__":{"x":1},"y":2},"arr":[{"__proto__":"p","z":3}],"__proto__":{"q":1}}')]);
  add('clean: __proto__ object lends its SystemAlertId to _id', [fromText('{"__proto__":{"SystemAlertId":"from-proto"},"a":1,"EndTime":"2025-11-19T10:00:00Z"}')],
    { deliberate: "A `__proto__` key never changes a document: the original's assignment made its object the document's prototype, so an inherited SystemAlertId became the _id; ours ignores the key at every depth, as clean() already did below the top level", expected: { correct: (input) => { input.payload = [{ a: 1, EndTime: '2025-11-19T10:00:00Z' }]; } } });
  add('clean: __proto__ null at top level', [fromText('{"__proto__":null,"IncidentName":"i"}')]);
  add('integer-like keys', [fromText('{"b":1,"10":2,"0":3,"4294967294":4,"4294967295":5,"01":6,"-1":7,"1.5":8,"a":{"2":0,"1":0,"x":0}}')]);
  add('key order: insertion order of non-integer keys', [{ z: 1, a: 2, m: { y: 1, b: 2 }, EndTime: '2025-11-19T10:00:00Z' }]);
  add('empty key', [{ '': 'empty', a: { '': 1 } }]);
  add('numbers', [{ one: 1.0, mz: -0, big: 1e21, b20: 1e20, small: 1e-7, s6: 1e-6, tiny: 5e-324, p53: 2 ** 53 + 1, sum: 0.1 + 0.2, max: 1e308, inf: Infinity, ninf: -Infinity, nan: NaN, arr: [Infinity, NaN, 1.5e-10, 123456789.125, -1e-7] }]);
  add('strings: every control character', [{ s: Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u0080\u009f' }]);
  add('strings: quotes, backslashes, slashes', [{ s: '"\\/\\/ </script> \'' }]);
  add('strings: non-ASCII, emoji, U+2028/2029, BOM', [{ s: 'caf\u00e9 \u4e2d \ud83d\ude00 \u2028 \u2029 \ufeff \uffff' }]);
  add('strings: lone surrogates', [{ hi: 'a\ud800b', lo: 'a\udfffb', rev: '\ude00\ud83d', end: 'x\ud83d' }]);
  add('strings: hostile list', [Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`h${i}`, s]))]);
  add('strings: very long', [{ s: 'y'.repeat(60000) + '\ud83d\ude00' }]);
  add('nesting 1000 levels', [fromText('{"d":' + '['.repeat(1000) + '1' + ']'.repeat(1000) + '}')]);
  add('nesting 1000 objects with nulls', [fromText('{"d":' + '{"a":'.repeat(999) + '{"z":null}' + '}'.repeat(999) + '}')]);
  add('booleans and nested arrays', [{ t: true, f: false, a: [[1, [2, [3]]], []] }]);
  // payload shapes
  add('empty document array', [], { deliberate: EMPTY, expected: { none: true } });
  for (const [label, doc] of [['null', null], ['string', 'abc'], ['number', 5], ['boolean', true], ['array', [1, 2]]]) {
    add(`document that is not an object: ${label}`, [alert(), doc, incident()], { deliberate: NOT_OBJECT, expected: { dropDocs: [1], warnings: [{ includes: ['1'] }] } });
  }
  add('only document is null', [null], { deliberate: NOT_OBJECT, expected: { none: true, warnings: [{ includes: ['0'] }] } });
  const response = { tables: [{ name: 'PrimaryResult', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'SystemAlertId', type: 'string' }, { name: 'EndTime', type: 'datetime' }, { name: 'Entities', type: 'string' }, { name: 'Empty', type: 'string' }], rows: [['2025-11-19T10:00:00.1234567Z', 'sa-1', '2025-11-19T10:05:00.7654321Z', '[{"$id":"1","b":1,"10":2,"Type":"host","x":null}]', ''], ['2025-11-19T10:00:01Z', 'sa-2', null, '{"bad"', null]] }] };
  add('raw query response object', response, { deliberate: RAW, expected: { chain: true } });
  add('raw query response string', JSON.stringify(response), { deliberate: RAW, expected: { chain: true } });
  add('raw query response Buffer', Buffer.from(JSON.stringify(response)), { deliberate: RAW, expected: { chain: true } });
  add('raw query response string naming rows twice', '{"tables":[{"columns":[{"name":"SystemAlertId"}],"rows":[["a"]],"rows":[["b"],["c"]]}]}', { deliberate: NAMED_TWICE, expected: { throws: true } });
  add('raw query response with no rows', { tables: [{ columns: [{ name: 'A' }], rows: [] }] }, { deliberate: RAW, expected: { none: true } });
  add('string that is not JSON', 'abc', { deliberate: RAW, expected: { throws: true } });
  add('payload null', null);
  add('payload a number', 5);
  add('payload absent', undefined);
  // target
  add('host with trailing slash', [alert()], { deliberate: "SPEC 'Errors and bad input': the Elasticsearch host is normalised to an origin, so a trailing slash does not produce the original's '//_bulk' URL", expected: { correct: (input) => { input.elastic = { ...input.elastic, host: 'https://elastic.host:9200' }; } } }, { elastic: { ...ELASTIC, host: 'https://elastic.host:9200/' } });
  add('host http with IP and port', [alert()], {}, { elastic: { ...ELASTIC, host: 'http://127.0.0.1:9200' } });
  add('host with a path', [alert()], {}, { elastic: { ...ELASTIC, host: 'https://proxy.example/elastic' } });
  add('no msg.elastic', [alert()], { deliberate: NO_TARGET, expected: { throws: true } }, { elastic: undefined });
  add('no api key', [alert()], { deliberate: NO_TARGET, expected: { throws: true } }, { elastic: { host: ELASTIC.host } });
  add('different now', [incident()], { now: '2030-01-02T03:04:05.678Z' });
  return c;
}

// Documents as the original convert step makes them, from generated responses.
function generated(r, count, convertOutputs) {
  const out = [];
  const tenants = ['contoso', 'fabrikam', '', undefined, 'T\u00e9nant \ud83d\ude00'];
  const hosts = ['https://elastic.host:9200', 'https://es.example.com', 'http://127.0.0.1:9200'];
  for (let i = 0; i < count; i++) {
    const docs = [];
    const n = r.pick([1, 1, 2, 2, 3]);
    for (let j = 0; j < n; j++) {
      const src = r.pick(convertOutputs);
      docs.push(...src.slice(0, r.int(1, Math.min(2, src.length))));
    }
    const tenantName = r.pick(tenants);
    const oauth = tenantName === undefined ? { clientId: 'c' } : { tenantName };
    const now = new Date(BASE + r.int(0, 86400000)).toISOString();
    out.push({ name: `generated ${i} x${docs.length}`, now, input: { payload: docs, oauth, elastic: { host: r.pick(hosts), apiKey: r.hex(40) } } });
  }
  return out;
}

module.exports = { handPicked, generated, NOW, BASE, isoDate };
