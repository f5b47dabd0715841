'use strict';
// The sentinel-incremental node in Node-RED (node-red-node-test-helper) against the sandbox: the
// summary, triggers while a poll runs, dead letters, a table that fails, status, bad settings,
// the http proxy node and HTTP_PROXY, and no secret in anything the node says.

const { describe, it, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { helper, load, recorder, next, flow } = require('./support');
const sandboxLib = require('../sandbox');

const incrementalNode = load('sentinel-incremental');
const tenantNode = load('sentinel-tenant');
const elasticNode = load('sentinel-elastic');
const proxyNode = require('@node-red/nodes/core/network/06-httpproxy.js');

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const savedEnv = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
const restoreEnv = () => { for (const k of PROXY_VARS) { if (savedEnv[k] === undefined) delete process.env[k]; else process.env[k] = savedEnv[k]; } };
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const T = { timeout: 15000 }; // a behaviour that is missing fails instead of waiting for ever

/** A forwarding HTTP proxy on 127.0.0.1 that counts the requests it forwards, by target origin. */
async function startProxy() {
    const seen = [];
    const server = http.createServer((req, res) => {
        const target = new URL(req.url);
        seen.push(target.origin);
        const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (up) => {
            res.writeHead(up.statusCode, up.headers);
            up.pipe(res);
        });
        upstream.on('error', () => { res.writeHead(502); res.end(); });
        req.pipe(upstream);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

describe('sentinel-incremental node', () => {
    let sb;
    let userDir;
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    beforeEach(async () => {
        for (const k of PROXY_VARS) delete process.env[k];
        // Ids of its own for every test: token caches are shared per app in the process.
        const ids = { tenantId: crypto.randomUUID(), clientId: crypto.randomUUID(), workspaceId: crypto.randomUUID() };
        sb = await sandboxLib.start({ tenants: [{ ...ids, tenantName: 'contoso' }], alerts: 40, incidents: 8 });
        userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-incremental-node-'));
        helper.settings({ userDir });
    });
    afterEach(async () => {
        await helper.unload();
        await sb.stop();
        restoreEnv();
        fs.rmSync(userDir, { recursive: true, force: true });
    });

    /** Loads the node (settings `node`), its config nodes pointed at the sandbox, `extra` nodes. */
    async function start(node = {}, { extra = [], apiKey = sb.apiKey } = {}) {
        const t = sb.tenants[0];
        const f = flow(Object.assign({ type: 'sentinel-incremental', tenant: 't1', elastic: 'e1', lag: '2m', take: 20 }, node),
            { id: 't1', type: 'sentinel-tenant', tenantName: t.tenantName, clientId: t.clientId, tenantId: t.tenantId, workspaceId: t.workspaceId, scope: t.scope, authorityHost: sb.entra.origin, queryHost: sb.query.origin },
            { id: 'e1', type: 'sentinel-elastic', host: sb.elastic.origin },
            { id: 'dead', type: 'helper' }, ...extra);
        f[0].wires = [['out'], ['dead']];
        await helper.load([incrementalNode, tenantNode, elasticNode, proxyNode], f, {
            t1: { privateKeyPem: t.privateKeyPem, certificatePem: t.certificatePem, kid: '' }, e1: { apiKey }
        });
        const n1 = helper.getNode('n1');
        const get = (id) => helper.getNode(id);
        return { n1, out: get('out'), dead: get('dead'), caught: get('caught'), rec: recorder([n1]) };
    }
    /** Every message reaching helper node `n`, collected. */
    const collect = (n) => { const got = []; n.on('input', (m) => got.push(m)); return got; };
    const accessTokens = () => sb.query.requests.entries.map((e) => String(e.headers.authorization || '').replace(/^Bearer /, '')).filter(Boolean);

    it('should emit one summary with the documented fields per table', T, async () => {
        const { n1, out, rec } = await start();
        const got = collect(out);
        n1.receive({ payload: 'tick' });
        await next(out, 'input');
        await wait(200);
        assert.equal(got.length, 1);
        const { payload: p, topic } = got[0];
        assert.equal(topic, 'sentinel-incremental/summary');
        assert.equal(p.ok, true);
        assert.equal(p.tenant, 'contoso');
        assert.equal(p.tokenRequests, 1);
        assert.equal(sb.entra.tokenRequests, 1);
        for (const table of ['SecurityAlert', 'SecurityIncident']) {
            const s = p.tables[table];
            for (const k of ['read', 'created', 'duplicates', 'latest', 'stale', 'retried', 'deadLettered', 'pages']) assert.equal(typeof s[k], 'number', `${table}.${k}`);
            assert.match(s.cursor, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
            assert.ok(s.lagSeconds >= 118 && s.lagSeconds <= 130, `lagSeconds ${s.lagSeconds}`);
            assert.ok(s.created > 0 && s.pages > 0, JSON.stringify(s));
        }
        assert.equal(p.tables.SecurityAlert.created + p.tables.SecurityIncident.created, sb.elastic.count('logs-azure_api'));
        rec.assertClean(assert, [sb.tenants[0].privateKeyPem, sb.apiKey, ...accessTokens()]);
    });

    it('should ignore a trigger that arrives while a poll runs, and poll again after it', T, async () => {
        const { n1, out } = await start();
        const got = collect(out);
        const logs = [];
        n1.on('call:log', (c) => logs.push(c.args[0]));
        sb.elastic.stallNext(1, 300);
        n1.receive({ payload: 1 });
        n1.receive({ payload: 2 });
        await next(out, 'input');
        await wait(300);
        assert.deepEqual(got.map((m) => m.payload.ok), [true], 'one summary');
        assert.deepEqual(logs, ['poll still running: this trigger is covered by it']);
        n1.receive({ payload: 3 });
        await next(out, 'input');
        assert.equal(got.length, 2);
    });

    it('should send a dead-lettered document to output 2 with msg.deadLetter', T, async () => {
        const { n1, out, dead } = await start();
        sb.elastic.failItems({ status: 400, count: 1, match: (it) => it.meta._index === 'logs-azure_api' && /@/.test(it.meta._id) });
        const letter = next(dead, 'input');
        const summary = next(out, 'input');
        n1.receive({ payload: 'tick' });
        const msg = await letter;
        const d = msg.deadLetter;
        assert.deepEqual([d.index, d.status, d.type, d.table, d.tenant], ['logs-azure_api', 400, 'mapper_parsing_exception', 'SecurityAlert', 'contoso']);
        assert.match(d.reason, /failed to parse field/);
        assert.equal(d.id, `${msg.payload.SystemAlertId}@${msg.payload.TimeGenerated}`, 'the document is the payload');
        assert.equal(d.document, undefined);
        assert.equal((await summary).payload.tables.SecurityAlert.deadLettered, 1);
    });

    it('should report the other table when one fails, and give Catch nodes an error naming the fix', T, async () => {
        const { n1, out, caught } = await start();
        n1.receive({ payload: 'first' });
        await next(out, 'input');
        const dir = path.join(userDir, 'sentinel-elastic', 'state');
        const file = fs.readdirSync(dir).find((f) => f.includes('.SecurityAlert.'));
        fs.writeFileSync(path.join(dir, file), '{"version":1,"cur');
        sb.addAlerts(3);
        sb.clock.advance(150e3);
        const error = next(caught, 'input');
        const summary = next(out, 'input');
        n1.receive({ payload: 'second' });
        const p = (await summary).payload;
        assert.equal(p.ok, false);
        assert.match(p.tables.SecurityAlert.error, /is damaged/);
        assert.equal(typeof p.tables.SecurityIncident.created, 'number');
        assert.equal(p.tables.SecurityIncident.error, undefined);
        const e = (await error).error;
        assert.equal(e.source.id, 'n1');
        assert.match(e.message, /SecurityAlert: the incremental state .*SecurityAlert.* is damaged .*: delete it to read again/);
    });

    it('should show the lag and the counts in its status', T, async () => {
        const { n1, out } = await start();
        const statuses = [];
        n1.on('call:status', (c) => statuses.push(c.args[0]));
        n1.receive({ payload: 'tick' });
        const p = (await next(out, 'input')).payload;
        await wait(20);
        const created = p.tables.SecurityAlert.created + p.tables.SecurityIncident.created;
        assert.ok(statuses.some((x) => x.text === 'polling'));
        const last = statuses.at(-1);
        assert.equal(last.fill, 'green');
        assert.match(last.text, new RegExp(`^\\d\\d:\\d\\d:\\d\\d · lag 2m · ${created} new$`));
    });

    for (const [setting, expected] of [[{ lag: '5 minutes' }, /The lag "5 minutes" is not a timespan/], [{ take: 0 }, /Rows\/page must be a whole number from 1 to 100000/]]) {
        it(`should refuse ${JSON.stringify(setting)} at deploy`, T, async () => {
            const { n1, caught } = await start(setting);
            const deployErrors = helper._NodePrototype.error.getCalls().filter((c) => c.thisValue.id === 'n1').map((c) => String(c.args[0].message || c.args[0]));
            assert.equal(deployErrors.length, 1);
            assert.match(deployErrors[0], expected);
            const status = helper._NodePrototype.status.getCalls().filter((c) => c.thisValue.id === 'n1').at(-1).args[0];
            assert.deepEqual(status, { fill: 'red', shape: 'ring', text: 'bad settings' });
            const got = next(caught, 'input');
            n1.receive({ payload: 'tick' });
            assert.match((await got).error.message, expected);
            assert.equal(sb.query.count, 0, 'no request made');
        });
    }

    it('should send every request through the selected http proxy node', T, async () => {
        const proxy = await startProxy();
        try {
            const { n1, out } = await start({ proxy: 'p1' }, { extra: [{ id: 'p1', type: 'http proxy', url: proxy.url, noproxy: [] }] });
            n1.receive({ payload: 'tick' });
            assert.equal((await next(out, 'input')).payload.ok, true);
            const count = (origin) => proxy.seen.filter((o) => o === origin).length;
            assert.equal(count(sb.entra.origin), sb.entra.tokenRequests);
            assert.equal(count(sb.query.origin), sb.query.count);
            assert.equal(count(sb.elastic.origin), sb.elastic.bulkRequests);
            assert.ok(sb.query.count > 0 && sb.elastic.bulkRequests > 0 && sb.entra.tokenRequests === 1);
        } finally {
            await proxy.close();
        }
    });

    it('should use HTTP_PROXY when no proxy node is selected', T, async () => {
        const proxy = await startProxy();
        try {
            process.env.HTTP_PROXY = proxy.url; // NO_PROXY cleared in beforeEach
            const { n1, out } = await start();
            n1.receive({ payload: 'tick' });
            assert.equal((await next(out, 'input')).payload.ok, true);
            const total = sb.entra.tokenRequests + sb.query.count + sb.elastic.bulkRequests;
            assert.equal(proxy.seen.length, total);
            assert.ok(new Set(proxy.seen).size === 3, 'Entra ID, the query API and Elasticsearch');
        } finally {
            await proxy.close();
        }
    });

    it('should say no secret in any status, warning, error or log, also when a poll fails', T, async () => {
        const wrongKey = Buffer.from('wrong-key-id:wrong-secret-value-123').toString('base64');
        const { n1, out, caught, rec } = await start({}, { apiKey: wrongKey });
        sb.query.failNext(1, { status: 429, retryAfter: 0 });
        const error = next(caught, 'input');
        n1.receive({ payload: 'tick' });
        const p = (await next(out, 'input')).payload;
        assert.equal(p.ok, false);
        assert.match((await error).error.message, /API key/);
        await wait(20);
        assert.ok(accessTokens().length > 0);
        const secrets = [sb.tenants[0].privateKeyPem, wrongKey, 'wrong-secret-value-123', ...accessTokens()];
        rec.assertClean(assert, secrets);
        for (const secret of secrets) assert.ok(!JSON.stringify(p).includes(secret), 'not in the summary');
    });
});
