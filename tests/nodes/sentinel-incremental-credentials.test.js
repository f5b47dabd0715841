'use strict';
// sentinel-incremental's credential checks: the API key of the elastic configuration at deploy,
// and the access token from Entra ID where the query request is built (lib/incremental/query.js).
// The polling itself runs against the sandbox in tests/e2e/incremental-chaos.test.js.
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { helper, load, keyPem, certPem, recorder, next, flow } = require('./support');
const { runQuery } = require('../../node-red/lib/incremental/query');

const incrementalNode = load('sentinel-incremental');
const tenantNode = load('sentinel-tenant');
const elasticNode = load('sentinel-elastic');

const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-access-token-body.signature';

describe('sentinel-incremental node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    async function start(apiKey) {
        await helper.load([incrementalNode, tenantNode, elasticNode], flow({ type: 'sentinel-incremental', tenant: 't1', elastic: 'e1' },
            { id: 't1', type: 'sentinel-tenant', clientId: '11111111-2222-3333-4444-555555555555', tenantId: 'contoso.onmicrosoft.com', workspaceId: '12345678-90ab-cdef-1234-567890abcdef' },
            { id: 'e1', type: 'sentinel-elastic', host: 'https://elastic.example:9200' }),
        { t1: { privateKeyPem: keyPem, certificatePem: certPem }, e1: { apiKey } });
        const n1 = helper.getNode('n1');
        const deployErrors = helper._NodePrototype.error.getCalls().filter((c) => c.thisValue.id === 'n1').map((c) => String(c.args[0] && c.args[0].message));
        return { n1, caught: helper.getNode('caught'), deployErrors, rec: recorder([n1]) };
    }

    it('should refuse at deploy an API key with a line break, naming the setting, and report it on every trigger', async () => {
        const { n1, caught, deployErrors, rec } = await start(`${API_KEY}\r\nX-Injected: 1`);
        assert.equal(deployErrors.length, 1);
        assert.match(deployErrors[0], /^The API key in the sentinel-elastic config node holds a line break \(U\+000D at character 61\), which an HTTP header cannot carry/);
        const got = next(caught, 'input');
        n1.receive({ payload: 'poll' });
        assert.match((await got).error.message, /The API key in the sentinel-elastic config node holds a line break/);
        rec.assertClean(assert, [API_KEY]);
    });

    it('should refuse at deploy an API key that is not text', async () => {
        const { deployErrors } = await start({ id: 'x', api_key: 'y' });
        assert.deepEqual(deployErrors.map((m) => m.replace(/;.*/, '')), ['The API key in the sentinel-elastic config node is an object, not text']);
    });

    it('should deploy without an error with a good API key', async () => {
        const { deployErrors } = await start(API_KEY);
        assert.deepEqual(deployErrors, []);
    });
});

describe('incremental query request (lib/incremental/query.js runQuery)', () => {
    let server;
    let requests = 0;
    let url;
    before(async () => {
        server = http.createServer((req, res) => { requests += 1; res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"tables":[]}'); });
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${server.address().port}/v1/workspaces/w/query`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    const query = (token) => runQuery({ url, query: 'SecurityAlert | take 1', token: async () => token, invalidate: () => {}, tries: 1 });

    it('should send a good access token as the bearer token', async () => {
        const before = requests;
        assert.equal(String(await query(TOKEN)), '{"tables":[]}');
        assert.equal(requests, before + 1);
    });

    it('should refuse an access token from Entra ID with a line break, naming it, without a request', async () => {
        const before = requests;
        await assert.rejects(query(`${TOKEN}\nX-Injected: 1`), (err) => {
            assert.match(err.message, /^The access token from Entra ID holds a line break \(U\+000A at character 72\), which an HTTP header cannot carry/);
            assert.ok(!err.message.includes(TOKEN));
            return true;
        });
        assert.equal(requests, before);
    });

    it('should refuse an access token that is not text instead of sending Bearer [object Object]', async () => {
        const before = requests;
        await assert.rejects(query({ access_token: TOKEN }), /^Error: The access token from Entra ID is an object, not text/);
        assert.equal(requests, before);
    });
});
