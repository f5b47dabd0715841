'use strict';
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { helper, load, recorder, next, flow } = require('./support');

const queryNode = load('sentinel-query');
const tenantNode = load('sentinel-tenant');

const WORKSPACE = '12345678-90ab-cdef-1234-567890abcdef';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-access-token-body.signature';
const tokenResponse = () => ({ token_type: 'Bearer', expires_in: 3599, access_token: TOKEN });

describe('sentinel-query node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    async function start(node = {}, configNodes = []) {
        await helper.load([queryNode, tenantNode], flow(Object.assign({ type: 'sentinel-query' }, node), ...configNodes));
        const n1 = helper.getNode('n1');
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught'), rec: recorder([n1]) };
    }

    it('should build the SecurityAlert query of the original by default', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        n1.receive({ statusCode: 200, payload: tokenResponse(), oauth: { workspaceId: WORKSPACE }, retention: '24h' });
        const msg = await got;
        assert.equal(msg.method, 'POST');
        assert.equal(msg.url, `https://api.loganalytics.azure.com/v1/workspaces/${WORKSPACE}/query`);
        assert.deepEqual(msg.headers, { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json', 'Content-Type': 'application/json' });
        assert.deepEqual(Object.keys(msg.headers), ['Authorization', 'Accept', 'Content-Type']);
        assert.deepEqual(msg.payload, { query: 'SecurityAlert | where TimeGenerated > ago(24h) | take 1000' });
        assert.deepEqual(Object.keys(msg), ['statusCode', 'payload', 'oauth', 'retention', '_msgid', 'method', 'url', 'headers']);
    });

    it('should fall back to 12h without msg.retention', async () => {
        const { n1, out } = await start({ table: 'SecurityIncident' });
        const got = next(out, 'input');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: WORKSPACE } });
        assert.deepEqual((await got).payload, { query: 'SecurityIncident | where TimeGenerated > ago(12h) | take 1000' });
    });

    it('should let the lookback and row limit settings win over msg.retention', async () => {
        const { n1, out } = await start({ table: 'SecurityIncident', lookback: '1d', limit: '50' });
        const got = next(out, 'input');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: WORKSPACE }, retention: '24h' });
        assert.deepEqual((await got).payload, { query: 'SecurityIncident | where TimeGenerated > ago(1d) | take 50' });
    });

    it('should take the workspace and query host from the tenant configuration', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [{ id: 't1', type: 'sentinel-tenant', workspaceId: WORKSPACE, queryHost: 'http://127.0.0.1:8124' }]);
        const got = next(out, 'input');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: '00000000-0000-0000-0000-000000000000' } });
        assert.equal((await got).url, `http://127.0.0.1:8124/v1/workspaces/${WORKSPACE}/query`);
    });

    it('should show the table in the status', async () => {
        const { n1 } = await start({ table: 'SecurityIncident' });
        const status = next(n1, 'call:status');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: WORKSPACE } });
        assert.deepEqual((await status).args[0], { fill: 'green', shape: 'dot', text: 'SecurityIncident query' });
    });

    it('should report a missing access_token to a Catch node', async () => {
        const { n1, caught } = await start();
        const got = next(caught, 'input');
        const status = next(n1, 'call:status');
        n1.receive({ payload: { error: 'invalid_client' }, oauth: { workspaceId: WORKSPACE } });
        assert.match((await got).error.message, /No access_token found in msg\.payload/);
        assert.deepEqual((await status).args[0], { fill: 'red', shape: 'ring', text: 'failed' });
    });

    it('should refuse an access token with a line break, naming it, without sending or showing it', async () => {
        const { n1, out, caught, rec } = await start();
        let sent = false;
        out.on('input', () => { sent = true; });
        const got = next(caught, 'input');
        n1.receive({ payload: { ...tokenResponse(), access_token: `${TOKEN}\nX-Injected: 1` }, oauth: { workspaceId: WORKSPACE } });
        assert.match((await got).error.message, /msg\.payload\.access_token holds a line break \(U\+000A at character 72\), which an HTTP header cannot carry/);
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
        rec.assertClean(assert, [TOKEN]);
    });

    it('should refuse an access token that is not text instead of sending Bearer [object Object]', async () => {
        const { n1, out, caught } = await start();
        let sent = false;
        out.on('input', () => { sent = true; });
        const got = next(caught, 'input');
        n1.receive({ payload: { access_token: { token: TOKEN } }, oauth: { workspaceId: WORKSPACE } });
        assert.match((await got).error.message, /msg\.payload\.access_token is an object, not text/);
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
    });

    it('should reject a msg.retention that is not a timespan, without showing the token', async () => {
        const { n1, caught, out, rec } = await start();
        let sent = false;
        out.on('input', () => { sent = true; });
        const got = next(caught, 'input');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: WORKSPACE }, retention: '1h) | union *' });
        assert.equal((await got).error.source.id, 'n1');
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
        rec.assertClean(assert, [TOKEN]);
    });

    it('should reject a workspace id that is not a GUID, without showing the token', async () => {
        const { n1, caught, rec } = await start();
        const got = next(caught, 'input');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: '../../admin' } });
        assert.equal((await got).error.source.id, 'n1');
        await new Promise((r) => setImmediate(r));
        rec.assertClean(assert, [TOKEN]);
    });

    it('should report a bad table setting at deploy and on every message', async () => {
        const { n1, caught } = await start({ table: 'SecurityAlert | take 1' });
        const deploy = helper._NodePrototype.status.getCalls().filter((c) => c.thisValue.id === 'n1').map((c) => c.args[0]);
        assert.deepEqual(deploy.at(-1), { fill: 'red', shape: 'ring', text: 'bad settings' });
        const got = next(caught, 'input');
        n1.receive({ payload: tokenResponse(), oauth: { workspaceId: WORKSPACE } });
        assert.equal((await got).error.source.id, 'n1');
    });

    it('should report a bad lookback setting at deploy', async () => {
        await start({ lookback: 'forever' });
        const deploy = helper._NodePrototype.error.getCalls().filter((c) => c.thisValue.id === 'n1');
        assert.equal(deploy.length, 1);
    });
});
