'use strict';
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { helper, load, recorder, next, flow } = require('./support');

const bulkNode = load('sentinel-bulk');
const elasticNode = load('sentinel-elastic');
const tenantNode = load('sentinel-tenant');

const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';

const docs = () => [
    { SystemAlertId: 'a-1', AlertName: 'Brute force', EndTime: '2025-11-19T10:00:00.1234567Z', Description: '', Owner: null, Entities: [{ Type: 'host', Name: '' }] },
    { IncidentName: 'inc-7', Title: 'Phish', EndTime: '2025-11-19T11:30:00Z', Severity: 2 }
];

const expectedNdjson = (index, tenantName) => [
    JSON.stringify({ create: { _index: index, _id: 'a-1' } }),
    JSON.stringify({ SystemAlertId: 'a-1', AlertName: 'Brute force', EndTime: '2025-11-19T10:00:00.1234567Z', Entities: [{ Type: 'host' }], '@timestamp': '2025-11-19T10:00:00.123Z', ...(tenantName ? { customer: { name: tenantName } } : {}) }),
    JSON.stringify({ create: { _index: index, _id: 'inc-7' } }),
    JSON.stringify({ IncidentName: 'inc-7', Title: 'Phish', EndTime: '2025-11-19T11:30:00Z', Severity: 2, '@timestamp': '2025-11-19T11:30:00.000Z', ...(tenantName ? { customer: { name: tenantName } } : {}) })
].join('\n') + '\n';

// A value nested `n` levels deep, built without recursion (too deep for JSON.stringify).
function deepValue(n) {
    let v = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
}

describe('sentinel-bulk node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    async function start(node = {}, configNodes = [], credentials = {}) {
        await helper.load([bulkNode, elasticNode, tenantNode], flow(Object.assign({ type: 'sentinel-bulk' }, node), ...configNodes), credentials);
        const n1 = helper.getNode('n1');
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught'), completed: helper.getNode('completed'), rec: recorder([n1]) };
    }

    it('should build the _bulk request of the original from msg.elastic and msg.oauth.tenantName', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        const elastic = { host: 'https://elastic.example:9200', apiKeyName: 'nodered_azure_api', apiKey: API_KEY };
        n1.receive({ payload: docs(), oauth: { tenantName: 'contoso' }, elastic });
        const msg = await got;
        assert.equal(msg.payload, expectedNdjson('logs-azure_api', 'contoso'));
        assert.deepEqual(msg.headers, { Authorization: `ApiKey ${API_KEY}`, 'Content-Type': 'application/x-ndjson' });
        assert.equal(msg.method, 'POST');
        assert.equal(msg.url, 'https://elastic.example:9200/_bulk?pipeline=logs-azure_api');
        assert.deepEqual(msg.elastic, elastic, 'msg.elastic is kept as it was');
        assert.deepEqual(Object.keys(msg), ['payload', 'oauth', 'elastic', '_msgid', 'headers', 'method', 'url']);
    });

    it('should take host, API key, data stream and pipeline from the elastic configuration', async () => {
        const { n1, out } = await start({ elastic: 'e1' },
            [{ id: 'e1', type: 'sentinel-elastic', host: 'http://127.0.0.1:9201', index: 'logs-sentinel', pipeline: 'my pipe' }],
            { e1: { apiKey: API_KEY } });
        const got = next(out, 'input');
        n1.receive({ payload: docs(), elastic: { host: 'https://ignored', apiKey: 'ignored' } });
        const msg = await got;
        assert.equal(msg.url, 'http://127.0.0.1:9201/_bulk?pipeline=my%20pipe');
        assert.equal(msg.headers.Authorization, `ApiKey ${API_KEY}`);
        assert.equal(msg.payload, expectedNdjson('logs-sentinel', null));
    });

    it('should add an empty msg.elastic when there was none, as the original did', async () => {
        const { n1, out } = await start({ elastic: 'e1' }, [{ id: 'e1', type: 'sentinel-elastic', host: 'http://127.0.0.1:9201' }], { e1: { apiKey: API_KEY } });
        const got = next(out, 'input');
        n1.receive({ payload: docs() });
        const msg = await got;
        assert.deepEqual(msg.elastic, {});
        assert.deepEqual(Object.keys(msg), ['payload', '_msgid', 'elastic', 'headers', 'method', 'url']);
    });

    it('should let the tenant name of the tenant configuration win over msg.oauth.tenantName', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [{ id: 't1', type: 'sentinel-tenant', tenantName: 'fabrikam' }]);
        const got = next(out, 'input');
        n1.receive({ payload: docs(), oauth: { tenantName: 'contoso' }, elastic: { host: 'https://e', apiKey: API_KEY } });
        assert.equal((await got).payload, expectedNdjson('logs-azure_api', 'fabrikam'));
    });

    it('should accept a raw query API response', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        const response = { tables: [{ name: 'PrimaryResult', columns: [{ name: 'SystemAlertId' }, { name: 'EndTime' }], rows: [['a-9', '2025-11-19T10:00:00Z']] }] };
        n1.receive({ payload: JSON.stringify(response), elastic: { host: 'https://e', apiKey: API_KEY } });
        const msg = await got;
        assert.equal(msg.payload, '{"create":{"_index":"logs-azure_api","_id":"a-9"}}\n{"SystemAlertId":"a-9","EndTime":"2025-11-19T10:00:00Z","@timestamp":"2025-11-19T10:00:00.000Z"}\n');
    });

    it('should show the document count in the status', async () => {
        const { n1 } = await start();
        const status = next(n1, 'call:status');
        n1.receive({ payload: docs(), elastic: { host: 'https://e', apiKey: API_KEY } });
        assert.deepEqual((await status).args[0], { fill: 'green', shape: 'dot', text: '2 docs' });
    });

    it('should send no message for an empty document array, and still complete', async () => {
        const { n1, out, completed } = await start();
        let sent = false;
        out.on('input', () => { sent = true; });
        const status = next(n1, 'call:status');
        const done = next(completed, 'input');
        n1.receive({ payload: [], elastic: { host: 'https://e', apiKey: API_KEY } });
        assert.equal((await status).args[0].text, 'no docs');
        await done;
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
    });

    it('should warn about an EndTime that is not a date and fall back to TimeGenerated', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        const warned = next(n1, 'call:warn');
        n1.receive({ payload: [{ SystemAlertId: 'x', EndTime: 'not a date', TimeGenerated: '2025-11-19T09:00:00Z' }], elastic: { host: 'https://e', apiKey: API_KEY } });
        const msg = await got;
        assert.match(msg.payload, /"@timestamp":"2025-11-19T09:00:00.000Z"/);
        assert.match(String((await warned).args[0]), /0/);
    });

    it('should report a payload that is not documents to a Catch node, without showing the API key', async () => {
        const { n1, caught, rec } = await start({ elastic: 'e1' }, [{ id: 'e1', type: 'sentinel-elastic', host: 'https://e' }], { e1: { apiKey: API_KEY } });
        const got = next(caught, 'input');
        const status = next(n1, 'call:status');
        n1.receive({ payload: 42 });
        assert.equal((await got).error.source.id, 'n1');
        assert.deepEqual((await status).args[0], { fill: 'red', shape: 'ring', text: 'failed' });
        await new Promise((r) => setImmediate(r));
        rec.assertClean(assert, [API_KEY]);
    });

    it('should refuse an API key with a line break in the elastic configuration, naming the setting, without sending', async () => {
        const { n1, out, caught, rec } = await start({ elastic: 'e1' }, [{ id: 'e1', type: 'sentinel-elastic', host: 'https://e' }], { e1: { apiKey: `${API_KEY}\r\nX-Injected: 1` } });
        let sent = false;
        out.on('input', () => { sent = true; });
        const got = next(caught, 'input');
        n1.receive({ payload: docs() });
        const { error } = await got;
        assert.match(error.message, /The Elasticsearch API key \(the sentinel-elastic config node or msg\.elastic\.apiKey\) holds a line break \(U\+000D at character 61\), which an HTTP header cannot carry/);
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
        rec.assertClean(assert, [API_KEY]);
    });

    it('should refuse a msg.elastic.apiKey that is not text instead of sending [object Object]', async () => {
        const { n1, out, caught } = await start();
        let sent = false;
        out.on('input', () => { sent = true; });
        const got = next(caught, 'input');
        n1.receive({ payload: docs(), elastic: { host: 'https://e', apiKey: { id: 'x', api_key: 'y' } } });
        assert.match((await got).error.message, /The Elasticsearch API key \(the sentinel-elastic config node or msg\.elastic\.apiKey\) is an object, not text/);
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
    });

    it('should never show the API key in a status, warning or log line', async () => {
        const { n1, out, rec } = await start();
        const got = next(out, 'input');
        n1.receive({ payload: [{ SystemAlertId: 'x', EndTime: 'not a date' }], elastic: { host: 'https://e', apiKey: API_KEY } });
        await got;
        await new Promise((r) => setImmediate(r));
        rec.assertClean(assert, [API_KEY]);
    });

    it('should report a missing configuration node at deploy', async () => {
        const { n1, caught } = await start({ elastic: 'missing' });
        const got = next(caught, 'input');
        n1.receive({ payload: docs() });
        assert.match((await got).error.message, /sentinel-elastic/);
    });

    it('should report documents or a response nested too deep for JSON.stringify with the depth error, not a RangeError', async () => {
        // No Catch or Complete node: Node-RED would clone the message for them, which its deep clone cannot.
        await helper.load([bulkNode, elasticNode, tenantNode], flow({ type: 'sentinel-bulk' }).slice(0, 2));
        const n1 = helper.getNode('n1');
        const elastic = { host: 'https://e', apiKey: API_KEY };
        const payloads = [[{ SystemAlertId: 'a', X: deepValue(100000) }], { tables: [{ columns: [{ name: 'X' }], rows: [[deepValue(100000)]] }] }];
        for (const payload of payloads) {
            const failed = next(n1, 'call:error');
            n1.receive({ payload, elastic });
            const err = (await failed).args[0];
            assert.ok(!(err instanceof RangeError));
            assert.match(err.message, /a value in msg\.payload is nested more than 2000 levels deep/);
        }
    });
});
