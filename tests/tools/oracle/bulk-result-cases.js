'use strict';
// Cases for "remove 409 errors" (core.bulkResult).
const NOW = '2025-11-19T12:00:00.000Z';
const NOT_OBJECT = "SPEC 'Errors and bad input': a _bulk response that is not a JSON object (a number, string, boolean or array) is reported as an error; the original spreads it into the payload (a string becomes {\"0\":..,\"1\":..}) and reports zero items";

const created = (id, over = {}) => ({ create: { _index: '.ds-logs-azure_api-2025.11.19-000001', _id: id, _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 7, _primary_term: 1, status: 201, ...over } });
const conflict = (id) => ({ create: { _index: '.ds-logs-azure_api-2025.11.19-000001', _id: id, status: 409, error: { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists (current version [1])`, index_uuid: 'aBcD', shard: '0', index: '.ds-logs-azure_api-2025.11.19-000001' } } });
const failure = (id, status, type) => ({ create: { _index: 'logs-azure_api', _id: id, status, error: { type, reason: `failed: ${type}`, caused_by: { type: 'illegal_argument_exception', reason: 'x' } } } });

function handPicked() {
  const c = [];
  const add = (name, payload, extra = {}) => c.push({ name, now: NOW, input: { payload, method: 'POST', url: 'https://elastic.host:9200/_bulk?pipeline=logs-azure_api', statusCode: 200 }, ...extra });
  const dl = { deliberate: NOT_OBJECT, expected: { throws: true } };
  const resp = (items, over = {}) => ({ took: 30, ingest_took: 2, errors: items.some((i) => ((i && i.create) || {}).status >= 300), items, ...over });

  add('all created', resp([created('a'), created('b')]));
  add('created and conflicts', resp([created('a'), conflict('b'), created('c'), conflict('d')]));
  add('only conflicts', resp([conflict('a'), conflict('b')]));
  add('conflict and real failures', resp([conflict('a'), failure('b', 400, 'mapper_parsing_exception'), failure('c', 429, 'es_rejected_execution_exception'), failure('d', 500, 'internal_server_error'), created('e')]));
  add('index, update, delete operations', resp([{ index: { _id: 'i', status: 200, result: 'updated' } }, { index: { _id: 'j', status: 201, result: 'created' } }, { update: { _id: 'u', status: 200, result: 'noop' } }, { delete: { _id: 'd', status: 404, result: 'not_found' } }, { delete: { _id: 'e', status: 200, result: 'deleted' } }, { update: { _id: 'v', status: 409 } }]));
  add('create preferred over index in one item', resp([{ create: { status: 201 }, index: { status: 409 } }, { create: {}, index: { status: 409 } }, { create: null, index: { status: 409 } }, { create: 0, update: { status: 500 } }]));
  add('missing status', resp([{ create: { _id: 'a' } }, { create: { _id: 'b', result: 'created' } }]));
  add('result created without status', resp([{ create: { result: 'created' } }]));
  add('status 200 with result created', resp([{ create: { status: 200, result: 'created' } }]));
  add('status 500 with result created (counted as created)', resp([{ create: { status: 500, result: 'created' } }]));
  add('status 409 with result created (conflict first)', resp([{ create: { status: 409, result: 'created' } }]));
  add('status as strings', resp([{ create: { status: '409' } }, { create: { status: '201' } }, { create: { status: '500' } }, { create: { status: '200' } }, { create: { status: 'abc' } }]));
  add('status null, true, float, negative', resp([{ create: { status: null } }, { create: { status: true } }, { create: { status: 409.0 } }, { create: { status: 400.5 } }, { create: { status: -1 } }, { create: { status: 399.99 } }]));
  add('item without an operation', resp([{}, { other: { status: 409 } }]));
  add('item operation is a string or number', resp([{ create: 'x' }, { index: 5 }, { delete: [] }]));
  add('item is a number', resp([5, 'str', true]));
  add('item is null', resp([created('a'), null]));
  add('empty items', resp([]));
  add('items missing', { took: 1, errors: false });
  add('items not an array (object)', { took: 1, errors: true, items: { 0: conflict('a') } });
  add('items null', { took: 1, items: null, errors: true });
  add('errors key missing (appended last)', { took: 2, items: [conflict('a')] });
  add('errors first, items before took', { errors: true, items: [conflict('a')], took: 3 });
  add('took missing (undefined in summary)', { errors: false, items: [created('a')] });
  add('took and ingest_took null', { took: null, ingest_took: null, errors: false, items: [] });
  add('took a string', { took: '30', ingest_took: { ms: 1 }, items: [] });
  add('extra top-level fields', { took: 1, errors: true, items: [conflict('x')], _shards: { total: 1 }, status: 200, note: 'kept' });
  add('empty object', {});
  add('integer-like top-level keys', { took: 1, 10: 'ten', 2: 'two', errors: true, items: [conflict('a')], '01': 'zero-one' });
  add('hostile strings in errors', resp([failure('a\u0000"\\\ud800\u2028', 400, 'x\ud83d\ude00\n')]));
  add('thousand items', resp(Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? conflict(`c${i}`) : i % 7 === 0 ? failure(`f${i}`, 400, 'mapper_parsing_exception') : created(`k${i}`)))));
  // text and bytes
  const text = JSON.stringify(resp([created('a'), conflict('b'), failure('c', 400, 'mapper_parsing_exception')]));
  add('string response', text);
  add('pretty string response', JSON.stringify(JSON.parse(text), null, 2));
  add('Buffer response', Buffer.from(text));
  add('string with surrounding JSON whitespace', ' \r\n\t' + text + '\n');
  add('string with nbsp around (not JSON)', '\u00a0' + text);
  add('Buffer with BOM (not JSON for JSON.parse)', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  add('Buffer with invalid UTF-8 in a string', Buffer.concat([Buffer.from('{"took":1,"errors":true,"items":[{"create":{"status":400,"error":{"reason":"a'), Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f]), Buffer.from('z"}}}]}')]));
  add('non-JSON text', '<html><body>502 Bad Gateway</body></html>');
  add('empty string', '');
  add('whitespace string', '   ');
  add('empty Buffer', Buffer.alloc(0));
  add('text with duplicate keys', '{"took":1,"errors":true,"took":2,"items":[{"create":{"status":201,"status":409}}],"items":[{"create":{"status":400}}]}');
  add('text with __proto__ key', '{"took":1,"__proto__":{"x":1},"items":[{"create":{"status":409},"__proto__":{"create":{"status":500}}}],"errors":true}');
  add('text with big numbers', '{"took":1e400,"ingest_took":9007199254740993,"items":[{"create":{"status":409.0,"_seq_no":18446744073709551615,"_version":1.0}}],"errors":true}');
  add('text with escapes', '{"took":1,"items":[{"create":{"status":400,"error":{"reason":"\\ud800 \\/ \\u2028 \\u0000"}}}]}');
  add('text null', 'null');
  add('text number', '5', dl);
  add('text string', '"abc"', dl);
  add('text true', 'true', dl);
  add('text empty array', '[]', dl);
  add('text array of items', '[{"create":{"status":409}}]', dl);
  add('object payload is an array', [{ create: { status: 409 } }], dl);
  add('payload a number', 7, dl);
  add('payload null', null);
  add('payload absent', undefined);
  return c;
}

function generated(r, count) {
  const out = [];
  const ops = ['create', 'create', 'create', 'index', 'update', 'delete'];
  for (let i = 0; i < count; i++) {
    const n = r.pick([0, 1, 2, 3, 5, 8, 20]);
    const items = Array.from({ length: n }, (_, j) => {
      const op = r.pick(ops);
      const roll = r.next();
      const id = r.chance(0.9) ? r.guid() : r.pick(['', 'x"y', '\u00e9']);
      if (roll < 0.4) return { [op]: { _index: 'logs-azure_api', _id: id, _version: 1, result: 'created', status: 201 } };
      if (roll < 0.7) return conflict(id);
      if (roll < 0.8) return failure(id, r.pick([400, 404, 429, 500, 503]), r.pick(['mapper_parsing_exception', 'document_parsing_exception', 'es_rejected_execution_exception']));
      if (roll < 0.85) return { [op]: { _id: id, result: r.pick(['created', 'updated', 'noop', 'deleted', 'not_found']) } };
      if (roll < 0.9) return { [op]: { _id: id, status: r.pick([200, 201, 409, 400, '409', null]) } };
      if (roll < 0.95) return { [op]: { _id: id, status: 200, result: 'updated', _seq_no: j } };
      return r.pick([{}, { create: {} }, { index: { status: 409 }, create: { status: 201 } }]);
    });
    const body = {};
    if (r.chance(0.9)) body.took = r.int(0, 5000);
    if (r.chance(0.5)) body.ingest_took = r.int(0, 50);
    if (r.chance(0.9)) body.errors = r.chance(0.5);
    if (r.chance(0.95)) body.items = items;
    if (r.chance(0.1)) body.extra = { a: r.int(0, 9) };
    const form = r.pick(['object', 'object', 'string', 'buffer']);
    const text = JSON.stringify(body, null, r.chance(0.2) ? 2 : undefined);
    const payload = form === 'object' ? body : form === 'string' ? text : Buffer.from(text);
    out.push({ name: `generated ${i} ${form} x${n}`, now: NOW, input: { payload, statusCode: 200 } });
  }
  return out;
}

module.exports = { handPicked, generated };
