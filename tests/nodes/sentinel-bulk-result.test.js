'use strict';
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { helper, load, next, flow } = require('./support');

const bulkResultNode = load('sentinel-bulk-result');

const response = () => ({
    took: 30,
    ingest_took: 4,
    errors: true,
    items: [
        { create: { _index: '.ds-logs-azure_api-1', _id: 'a', status: 201, result: 'created' } },
        { create: { _index: '.ds-logs-azure_api-1', _id: 'b', status: 409, error: { type: 'version_conflict_engine_exception' } } },
        { create: { _index: '.ds-logs-azure_api-1', _id: 'c', status: 400, error: { type: 'mapper_parsing_exception' } } },
        { create: { _index: '.ds-logs-azure_api-1', _id: 'd', status: 201, result: 'created' } }
    ]
});

// A value nested `n` levels deep, built without recursion (too deep for JSON.stringify).
function deepValue(n) {
    let v = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
}

describe('sentinel-bulk-result node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    async function start() {
        await helper.load(bulkResultNode, flow({ type: 'sentinel-bulk-result' }));
        const n1 = helper.getNode('n1');
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught') };
    }

    it('should drop the 409 items and summarise the rest as the original did', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        const body = response();
        n1.receive({ payload: body, statusCode: 200 });
        const msg = await got;
        assert.deepEqual(msg.payload, { took: 30, ingest_took: 4, errors: true, items: [body.items[0], body.items[2], body.items[3]] });
        assert.deepEqual(Object.keys(msg.payload), ['took', 'ingest_took', 'errors', 'items']);
        assert.deepEqual(msg.bulkSummary, { took: 30, ingest_took: 4, total_items: 4, created: 2, conflicts: 1, failures: 1, errors: true });
        assert.deepEqual(msg.conflicts, [body.items[1].create]);
        assert.deepEqual(msg.failures, [body.items[2].create]);
        assert.deepEqual(Object.keys(msg), ['payload', 'statusCode', '_msgid', 'bulkSummary', 'conflicts', 'failures']);
    });

    it('should accept the response as a string or a Buffer', async () => {
        const { n1, out } = await start();
        for (const payload of [JSON.stringify(response()), Buffer.from(JSON.stringify(response()))]) {
            const got = next(out, 'input');
            n1.receive({ payload });
            assert.equal((await got).bulkSummary.created, 2);
        }
    });

    it('should set errors to false when only duplicates failed', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        const body = response();
        body.items.splice(2, 1);
        n1.receive({ payload: body });
        const msg = await got;
        assert.equal(msg.payload.errors, false);
        assert.equal(msg.bulkSummary.errors, false);
    });

    it('should show created and duplicate counts in the status, yellow when failures remain', async () => {
        const { n1, out } = await start();
        let status = next(n1, 'call:status');
        n1.receive({ payload: response() });
        assert.deepEqual((await status).args[0], { fill: 'yellow', shape: 'dot', text: '2 created, 1 dup, 1 failed' });
        await next(out, 'input');
        const body = response();
        body.items.splice(2, 1);
        status = next(n1, 'call:status');
        n1.receive({ payload: body });
        assert.deepEqual((await status).args[0], { fill: 'green', shape: 'dot', text: '2 created, 1 dup' });
    });

    it('should report a whole-request error body to a Catch node instead of "0 created"', async () => {
        const { n1, out, caught } = await start();
        let sent = 0;
        out.on('input', () => { sent += 1; });
        const bodies = [
            [{ error: { root_cause: [], type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' }, status: 429 }, /status 429, es_rejected_execution_exception.*no document was written.*send the same body again/],
            [JSON.stringify({ error: { type: 'security_exception', reason: 'unable to authenticate' }, status: 401 }), /status 401.*API key/],
            [{ error: { type: 'http_content_too_long', reason: 'request body too large' }, status: 413 }, /status 413.*fewer documents/],
            [{ error: 'Incorrect HTTP method', status: 405 }, /status 405.*Incorrect HTTP method/]
        ];
        for (const [payload, expected] of bodies) {
            const got = next(caught, 'input');
            const status = next(n1, 'call:status');
            n1.receive({ payload });
            assert.match((await got).error.message, expected);
            assert.deepEqual((await status).args[0], { fill: 'red', shape: 'ring', text: 'failed' });
        }
        assert.equal(sent, 0);
    });

    it('should report a response that is not JSON to a Catch node', async () => {
        const { n1, caught } = await start();
        const got = next(caught, 'input');
        const status = next(n1, 'call:status');
        n1.receive({ payload: '<html>502 Bad Gateway</html>' });
        const msg = await got;
        assert.match(msg.error.message, /not valid JSON/);
        assert.deepEqual((await status).args[0], { fill: 'red', shape: 'ring', text: 'failed' });
    });

    it('should class a parsed response of any depth as it is, as the original did (no copy, no RangeError)', async () => {
        // No Catch or Complete node: Node-RED would clone the message for them, which its deep clone cannot.
        await helper.load(bulkResultNode, flow({ type: 'sentinel-bulk-result' }).slice(0, 2));
        const n1 = helper.getNode('n1');
        const out = helper.getNode(n1.wires[0][0]);
        const got = next(out, 'input');
        const deep = deepValue(100000);
        n1.receive({ payload: { took: 1, errors: false, items: [{ create: { status: 201, x: deep } }, { index: { status: 409 } }] } });
        const msg = await got;
        assert.deepEqual(msg.bulkSummary, { took: 1, ingest_took: undefined, total_items: 2, created: 1, conflicts: 1, failures: 0, errors: false });
        assert.strictEqual(msg.payload.items[0].create.x, deep);
    });

    it('should give JSON.parse\'s items for a large compact response read by shapes, as text and as a Buffer', async () => {
        // 20,000 items as a data stream writes them: the shapes reader learns, specialises and
        // falls back (an index rollover halfway, reasons with escapes, a version that changes).
        const items = [];
        for (let i = 0; i < 20000; i++) {
            const index = i < 10000 ? '.ds-logs-azure_api-2025.11.19-000001' : '.ds-logs-azure_api-2025.11.20-000002';
            const id = `${(i * 2654435761 % 4294967296).toString(16)}-${i}`;
            if (i % 5 === 1) items.push(`{"create":{"_index":"${index}","_id":"${id}","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[${id}]: version conflict${i % 7 ? '' : ', \\"quoted\\" \\u00fc'}","index_uuid":"aBcD","shard":"0","index":"${index}"}}}`);
            else if (i % 97 === 3) items.push(`{"create":{"_index":"${index}","_id":"${id}","status":400,"error":{"type":"document_parsing_exception","reason":"[1:42] failed to parse field [Severity] of type [long]"}}}`);
            else items.push(`{"create":{"_index":"${index}","_id":"${id}","_version":${i % 50 ? 1 : 2},"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":${i},"_primary_term":1,"status":201}}`);
        }
        const text = `{"errors":true,"took":87,"ingest_took":3,"items":[${items.join(',')}]}`;
        const parsed = JSON.parse(text);
        const op = (item) => item.create;
        const { n1, out } = await start();
        for (const payload of [text, Buffer.from(text)]) {
            const got = next(out, 'input');
            n1.receive({ payload });
            const msg = await got;
            assert.deepStrictEqual(msg.payload.items, parsed.items.filter((item) => op(item).status !== 409));
            assert.deepStrictEqual(msg.conflicts, parsed.items.filter((item) => op(item).status === 409).map(op));
            assert.strictEqual(JSON.stringify(msg.payload), JSON.stringify({ ...parsed, items: msg.payload.items, errors: true }));
            const count = (status) => parsed.items.filter((item) => op(item).status === status).length;
            assert.deepEqual(msg.bulkSummary, { took: 87, ingest_took: 3, total_items: 20000, created: count(201), conflicts: count(409), failures: count(400), errors: true });
            assert.deepEqual([count(201), count(409), count(400)], [15834, 4000, 166]);
        }
    });
});
