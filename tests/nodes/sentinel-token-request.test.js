'use strict';
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { helper, load, recorder, next, flow } = require('./support');

const tokenRequestNode = load('sentinel-token-request');
const tenantNode = load('sentinel-tenant');

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SCOPE = 'https://api.loganalytics.io/.default';
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXZhbHVlLXRoYXQtaXMtc2VjcmV0';

const form = (clientId, scope, assertion) =>
    `client_id=${encodeURIComponent(clientId)}&scope=${encodeURIComponent(scope)}&grant_type=client_credentials` +
    `&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=${assertion}`;

describe('sentinel-token-request node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    async function start(node = {}, configNodes = []) {
        await helper.load([tokenRequestNode, tenantNode], flow(Object.assign({ type: 'sentinel-token-request' }, node), ...configNodes));
        const n1 = helper.getNode('n1');
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught'), rec: recorder([n1]) };
    }

    it('should build the token request of the original from msg.oauth and msg.client_assertion', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT, scope: SCOPE }, payload: { iss: CLIENT }, client_assertion: ASSERTION });
        const msg = await got;
        assert.equal(msg.method, 'POST');
        assert.equal(msg.url, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
        assert.deepEqual(msg.headers, { 'Content-Type': 'application/x-www-form-urlencoded' });
        assert.equal(msg.payload, form(CLIENT, SCOPE, ASSERTION));
        // method, url, headers, payload set in that order on the existing message, as the original did
        assert.deepEqual(Object.keys(msg), ['oauth', 'payload', 'client_assertion', '_msgid', 'method', 'url', 'headers']);
    });

    it('should let the tenant settings win over msg.oauth and use the configured authority host', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [{
            id: 't1', type: 'sentinel-tenant', clientId: CLIENT, tenantId: TENANT, scope: 'api://custom/.default',
            authorityHost: 'http://127.0.0.1:8123'
        }]);
        const got = next(out, 'input');
        n1.receive({ oauth: { clientId: 'other', tenantId: 'other', scope: SCOPE }, client_assertion: ASSERTION });
        const msg = await got;
        assert.equal(msg.url, `http://127.0.0.1:8123/${TENANT}/oauth2/v2.0/token`);
        assert.equal(msg.payload, form(CLIENT, 'api://custom/.default', ASSERTION));
    });

    it('should let the message fill what the tenant settings leave empty', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [{ id: 't1', type: 'sentinel-tenant', clientId: CLIENT, tenantId: '', scope: '' }]);
        const got = next(out, 'input');
        n1.receive({ oauth: { clientId: 'other', tenantId: TENANT, scope: SCOPE }, client_assertion: ASSERTION });
        const msg = await got;
        assert.equal(msg.url, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
        assert.equal(msg.payload, form(CLIENT, SCOPE, ASSERTION));
    });

    it('should show the status "token request"', async () => {
        const { n1 } = await start();
        const status = next(n1, 'call:status');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT, scope: SCOPE }, client_assertion: ASSERTION });
        assert.deepEqual((await status).args[0], { fill: 'green', shape: 'dot', text: 'token request' });
    });

    it('should report a missing msg.client_assertion to a Catch node', async () => {
        const { n1, caught } = await start();
        const got = next(caught, 'input');
        const status = next(n1, 'call:status');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT, scope: SCOPE } });
        assert.match((await got).error.message, /msg\.client_assertion/);
        assert.deepEqual((await status).args[0], { fill: 'red', shape: 'ring', text: 'failed' });
    });

    it('should report missing ids to a Catch node without showing the client assertion', async () => {
        const { n1, caught, rec } = await start();
        const got = next(caught, 'input');
        n1.receive({ oauth: { scope: SCOPE }, client_assertion: ASSERTION });
        const msg = await got;
        assert.equal(msg.error.source.id, 'n1');
        await new Promise((r) => setImmediate(r));
        rec.assertClean(assert, [ASSERTION, ASSERTION.split('.')[2]]);
    });

    it('should report a missing tenant configuration at deploy', async () => {
        const { n1, caught } = await start({ tenant: 'missing' });
        const got = next(caught, 'input');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT, scope: SCOPE }, client_assertion: ASSERTION });
        assert.match((await got).error.message, /sentinel-tenant/);
    });
});
