'use strict';
const { describe, it, before, after, afterEach, mock } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { helper, load, core, keyPem, keyOneLine, certPem, x5t, x5tS256, recorder, next, flow } = require('./support');

const assertionNode = load('sentinel-assertion');
const tenantNode = load('sentinel-tenant');

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const publicKey = new crypto.X509Certificate(certPem).publicKey;

function decode(jws) {
    const [h, p, s] = jws.split('.');
    return {
        header: JSON.parse(Buffer.from(h, 'base64url')),
        claims: JSON.parse(Buffer.from(p, 'base64url')),
        input: Buffer.from(`${h}.${p}`),
        signature: Buffer.from(s, 'base64url')
    };
}

function verify(jws, algorithm) {
    const { input, signature } = decode(jws);
    const key = algorithm === 'PS256'
        ? { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }
        : publicKey;
    return crypto.verify('sha256', input, key, signature);
}

// A PEM with its base64 body damaged: it still looks like a key, but cannot be parsed.
const brokenPem = keyPem.replace(/\n([A-Za-z0-9+/]{64})\n/, (m, line) => `\n${line.slice(0, 20)}!!!!${line.slice(24)}\n`);

const tenantConfig = (extra = {}) => Object.assign({
    id: 't1', type: 'sentinel-tenant', clientId: CLIENT, tenantId: TENANT,
    authorityHost: 'login.microsoftonline.com', scope: 'https://api.loganalytics.io/.default'
}, extra);

describe('sentinel-assertion node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => { mock.restoreAll(); return helper.unload(); });

    async function start(node, configNodes = [], credentials = {}) {
        await helper.load([assertionNode, tenantNode], flow(Object.assign({ type: 'sentinel-assertion' }, node), ...configNodes), credentials);
        const n1 = helper.getNode('n1');
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught'), rec: recorder([n1]) };
    }

    it('should sign an RS256 assertion with the key and certificate of the tenant configuration', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [tenantConfig()], { t1: { privateKeyPem: keyPem, certificatePem: certPem } });
        const got = next(out, 'input');
        const before = Math.floor(Date.now() / 1000);
        n1.receive({ topic: 'go' });
        const msg = await got;
        const { header, claims } = decode(msg.client_assertion);
        assert.equal(header.alg, 'RS256');
        assert.equal(header.typ, 'JWT');
        assert.equal(header.x5t, x5t);
        assert.equal(header.kid, x5t, 'without a kid, the SHA-1 thumbprint is the kid');
        assert.ok(verify(msg.client_assertion, 'RS256'), 'the signature verifies with the certificate');
        assert.deepEqual(msg.payload, claims);
        assert.deepEqual(Object.keys(claims).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub']);
        assert.equal(claims.iss, CLIENT);
        assert.equal(claims.sub, CLIENT);
        assert.equal(claims.aud, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`);
        assert.match(claims.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.ok(claims.iat >= before && claims.iat <= before + 5);
        assert.equal(claims.nbf, claims.iat);
        assert.equal(claims.exp, claims.iat + 600);
        assert.deepEqual(Object.keys(msg), ['topic', '_msgid', 'payload', 'client_assertion']);
    });

    it('should read ids and the one-line key from msg.oauth and msg.certs when no tenant is selected, with x5t = kid', async () => {
        const { n1, out } = await start({});
        const got = next(out, 'input');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT }, certs: { privateKeyPem: keyOneLine, kid: x5t } });
        const msg = await got;
        const { header, claims } = decode(msg.client_assertion);
        assert.equal(header.kid, x5t);
        assert.equal(header.x5t, x5t);
        assert.equal(claims.iss, CLIENT);
        assert.ok(verify(msg.client_assertion, 'RS256'));
        assert.deepEqual(Object.keys(msg), ['oauth', 'certs', '_msgid', 'payload', 'client_assertion']);
    });

    it('should let the settings win and the message fill what the settings leave empty', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [tenantConfig({ tenantId: '' })], { t1: { kid: 'settings-kid' } });
        const got = next(out, 'input');
        n1.receive({
            oauth: { clientId: 'message-client', tenantId: TENANT },
            certs: { privateKeyPem: keyPem, kid: 'message-kid' }
        });
        const msg = await got;
        const { header, claims } = decode(msg.client_assertion);
        assert.equal(claims.iss, CLIENT, 'client id from the settings');
        assert.equal(claims.aud, `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, 'tenant id from the message');
        assert.equal(header.kid, 'settings-kid');
        assert.ok(verify(msg.client_assertion, 'RS256'), 'key from the message');
    });

    it('should sign PS256 with x5t#S256 when chosen, and honour the lifetime setting', async () => {
        const { n1, out } = await start({ tenant: 't1', algorithm: 'PS256', lifetime: '120' }, [tenantConfig()],
            { t1: { privateKeyPem: keyPem, certificatePem: certPem, kid: x5t } });
        const got = next(out, 'input');
        n1.receive({});
        const msg = await got;
        const { header, claims } = decode(msg.client_assertion);
        assert.equal(header.alg, 'PS256');
        assert.equal(header['x5t#S256'], x5tS256);
        assert.ok(verify(msg.client_assertion, 'PS256'));
        assert.equal(claims.exp, claims.iat + 120);
    });

    it('should use a full origin as authority host for the audience', async () => {
        const { n1, out } = await start({ tenant: 't1' }, [tenantConfig({ authorityHost: 'http://127.0.0.1:8123' })], { t1: { privateKeyPem: keyPem, kid: x5t } });
        const got = next(out, 'input');
        n1.receive({});
        assert.equal((await got).payload.aud, `http://127.0.0.1:8123/${TENANT}/oauth2/v2.0/token`);
    });

    it('should parse the key of the tenant configuration once per deploy', async () => {
        const parse = mock.method(core, 'parseKey');
        const { n1, out } = await start({ tenant: 't1' }, [tenantConfig()], { t1: { privateKeyPem: keyPem, kid: x5t } });
        for (let i = 0; i < 3; i++) {
            const got = next(out, 'input');
            n1.receive({});
            await got;
        }
        assert.equal(parse.mock.callCount(), 1);
    });

    it('should parse a key from the message once per distinct key', async () => {
        const parse = mock.method(core, 'parseKey');
        const { n1, out } = await start({});
        const msg = (pem) => ({ oauth: { clientId: CLIENT, tenantId: TENANT }, certs: { privateKeyPem: pem, kid: x5t } });
        for (const pem of [keyPem, keyPem, keyOneLine, keyPem, keyOneLine]) {
            const got = next(out, 'input');
            n1.receive(msg(pem));
            await got;
        }
        assert.equal(parse.mock.callCount(), 2);
    });

    it('should show the algorithm in the status', async () => {
        const { n1 } = await start({ tenant: 't1' }, [tenantConfig()], { t1: { privateKeyPem: keyPem, kid: x5t } });
        const status = next(n1, 'call:status');
        n1.receive({});
        assert.deepEqual((await status).args[0], { fill: 'green', shape: 'dot', text: 'signed RS256' });
    });

    it('should report missing ids to a Catch node', async () => {
        const { n1, caught } = await start({});
        const got = next(caught, 'input');
        const status = next(n1, 'call:status');
        n1.receive({ oauth: { clientId: CLIENT }, certs: { privateKeyPem: keyPem, kid: x5t } });
        const msg = await got;
        assert.match(msg.error.message, /tenant id/);
        assert.match(msg.error.message, /msg\.oauth\.tenantId/);
        assert.deepEqual((await status).args[0], { fill: 'red', shape: 'ring', text: 'failed' });
    });

    it('should report a missing key to a Catch node', async () => {
        const { n1, caught } = await start({});
        const got = next(caught, 'input');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT }, certs: { kid: x5t } });
        assert.match((await got).error.message, /msg\.certs\.privateKeyPem/);
    });

    it('should report a broken key in the message to a Catch node without showing the key', async () => {
        const { n1, caught, rec } = await start({});
        const got = next(caught, 'input');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT }, certs: { privateKeyPem: brokenPem, kid: x5t } });
        const msg = await got;
        assert.ok(msg.error.message.length > 0);
        await new Promise((r) => setImmediate(r));
        rec.assertClean(assert, [brokenPem, keyPem]);
    });

    it('should report a broken key in the settings at deploy, and on every message, without showing the key', async () => {
        const { n1, caught, rec } = await start({ tenant: 't1' }, [tenantConfig()], { t1: { privateKeyPem: brokenPem, kid: x5t } });
        const deployStatus = helper._NodePrototype.status.getCalls().filter((c) => c.thisValue.id === 'n1').map((c) => c.args[0]);
        assert.deepEqual(deployStatus.at(-1), { fill: 'red', shape: 'ring', text: 'bad settings' });
        const deployErrors = helper._NodePrototype.error.getCalls().filter((c) => c.thisValue.id === 'n1');
        assert.equal(deployErrors.length, 1);
        const got = next(caught, 'input');
        n1.receive({});
        assert.ok((await got).error.message.length > 0);
        await new Promise((r) => setImmediate(r));
        const text = deployErrors.map((c) => String(c.args[0] && c.args[0].message || c.args[0]));
        for (const line of text.concat(rec.lines())) {
            assert.ok(!line.includes(brokenPem.split('\n')[2]), 'the key does not leak');
        }
    });

    it('should report an unknown algorithm at deploy', async () => {
        const { n1, caught } = await start({ tenant: 't1', algorithm: 'HS256' }, [tenantConfig()], { t1: { privateKeyPem: keyPem, kid: x5t } });
        const got = next(caught, 'input');
        n1.receive({});
        assert.match((await got).error.message, /RS256 or PS256/);
    });

    it('should never show the key or the assertion in a status, warning, error or log line', async () => {
        const { n1, out, caught, rec } = await start({});
        const good = next(out, 'input');
        n1.receive({ oauth: { clientId: CLIENT, tenantId: TENANT }, certs: { privateKeyPem: keyPem, kid: x5t } });
        const assertion = (await good).client_assertion;
        const bad = next(caught, 'input');
        n1.receive({ oauth: { clientId: CLIENT }, certs: { privateKeyPem: keyPem, kid: x5t } });
        await bad;
        await new Promise((r) => setImmediate(r));
        rec.assertClean(assert, [keyPem, assertion, assertion.split('.')[2]]);
    });

    it('should clear the status on close', async () => {
        const { n1 } = await start({});
        await helper.clearFlows();
        const calls = helper._NodePrototype.status.getCalls().filter((c) => c.thisValue === n1);
        assert.deepEqual(calls.at(-1).args[0], {});
    });
});
