'use strict';
// The sentinel-incremental node with the Sentinel REST API source, in Node-RED against the
// sandbox's ARM model: incidents paged along an unescaped nextLink, every state read kept as its
// own document, alerts/entities/comments attached, the overlap re-read harmlessly, ARM throttling
// retried, ARM errors given to Catch nodes with the fix, ECS documents, bad settings at deploy,
// and no secret in anything the node says.

const { describe, it, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { helper, load, recorder, next, flow } = require('./support');
const sandboxLib = require('../sandbox');

const incrementalNode = load('sentinel-incremental');
const tenantNode = load('sentinel-tenant');
const elasticNode = load('sentinel-elastic');

const INDEX = 'logs-azure_api';
// The REST source's own default latest index (the API's shape, not the table's rows).
const LATEST = 'sentinel-incidents-api-latest';
const T = { timeout: 20000 };

describe('sentinel-incremental node, Sentinel REST API source', () => {
    let sb;
    let userDir;
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    beforeEach(async () => {
        const ids = { tenantId: crypto.randomUUID(), clientId: crypto.randomUUID(), workspaceId: crypto.randomUUID() };
        sb = await sandboxLib.start({ tenants: [{ ...ids, tenantName: 'contoso' }], alerts: 60, incidents: 30, armPageSize: 7 });
        userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-incremental-rest-'));
        helper.settings({ userDir });
    });
    afterEach(async () => {
        await helper.unload();
        await sb.stop();
        fs.rmSync(userDir, { recursive: true, force: true });
    });

    /** Loads the node with the REST source (settings `node`) and `tenant` overrides of its tenant config node. */
    async function start(node = {}, tenant = {}) {
        const t = sb.tenants[0];
        const f = flow(Object.assign({ type: 'sentinel-incremental', source: 'rest', tenant: 't1', elastic: 'e1', lag: '2m', take: 10 }, node),
            Object.assign({
                id: 't1', type: 'sentinel-tenant', tenantName: t.tenantName, clientId: t.clientId, tenantId: t.tenantId,
                subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspaceName: t.workspaceName,
                authorityHost: sb.entra.origin, managementHost: sb.arm.origin,
            }, tenant),
            { id: 'e1', type: 'sentinel-elastic', host: sb.elastic.origin },
            { id: 'dead', type: 'helper' });
        f[0].wires = [['out'], ['dead']];
        await helper.load([incrementalNode, tenantNode, elasticNode], f, {
            t1: { privateKeyPem: t.privateKeyPem, certificatePem: t.certificatePem, kid: '' }, e1: { apiKey: sb.apiKey },
        });
        const n1 = helper.getNode('n1');
        if (process.env.DEBUG_REST) for (const ev of ['call:error', 'call:warn', 'call:status']) n1.on(ev, (c) => console.log(ev, c.args[0]));
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught'), rec: recorder([n1]) };
    }
    const poll = async (n1, out) => {
        const got = next(out, 'input');
        n1.receive({ payload: 'tick' });
        return (await got).payload;
    };
    const armTokens = () => sb.arm.requests.entries.map((e) => String(e.headers.authorization || '').replace(/^Bearer /, '')).filter(Boolean);

    it('should read every incident across nextLink pages, each state its own document, with alerts, entities and comments', T, async () => {
        const { n1, out, rec } = await start({ restAlerts: true, restEntities: true, restComments: true });
        const expected = sb.arm.currentRevisions(sb.tenants[0].workspaceId);
        const p = await poll(n1, out);
        assert.equal(p.ok, true, JSON.stringify(p));
        assert.equal(p.source, 'rest');
        const s = p.tables.incidents;
        assert.ok(s.pages >= 3, `${s.pages} pages of at most 7`);
        assert.equal(sb.arm.stats.rejectedSkipTokens, 0, 'the unescaped nextLink was encoded again');
        // Everything inside the initial lookback (24 h) of the 48 h of seeded incidents.
        const inLookback = [...expected].filter((id) => Date.parse(id.split('@')[1]) >= Date.now() - 86400e3 - 5000);
        assert.equal(s.created, inLookback.length);
        assert.deepEqual(new Set(sb.elastic.ids(INDEX)), new Set(inLookback));
        const [name, time] = inLookback[0].split('@');
        const doc = sb.elastic.document(INDEX, `${name}@${time}`)._source;
        assert.equal(doc.name, name);
        assert.equal(doc.properties.lastModifiedTimeUtc, time);
        assert.equal(doc['@timestamp'], new Date(time).toISOString());
        assert.equal(doc.customer.name, 'contoso');
        assert.ok(Array.isArray(doc.alerts) && Array.isArray(doc.entities), 'alerts and entities attached');
        assert.ok(sb.arm.stats.alerts === s.read && sb.arm.stats.entities === s.read && sb.arm.stats.comments === s.read);
        assert.ok(doc.properties.owner.email === undefined || typeof doc.properties.owner.email === 'string', 'nulls cleaned');
        assert.equal(sb.elastic.document(LATEST, name)._source.properties.lastModifiedTimeUtc, time);
        // One management token, on the management scope.
        assert.equal(p.tokenRequests, 1);
        assert.match(decodeURIComponent(sb.entra.requests.last.body), /scope=https:\/\/127\.0\.0\.1:\d+\/\.default/);
        rec.assertClean(assert, [sb.tenants[0].privateKeyPem, sb.apiKey, ...armTokens()]);
    });

    it('should keep every state read: updates are new documents, the overlap is read again without duplicates', T, async () => {
        const { n1, out } = await start();
        const first = (await poll(n1, out)).tables.incidents;
        const cursor = first.cursor;
        assert.ok(cursor);
        const before = new Set(sb.elastic.ids(INDEX));
        const updated = sb.updateIncidents(4, { outOfOrder: 0 });
        sb.clock.advance(5000);
        const second = (await poll(n1, out)).tables.incidents;
        assert.equal(second.created, 4, JSON.stringify(second));
        for (const row of updated) assert.ok(sb.elastic.document(INDEX, `${row.IncidentName}@${row.LastModifiedTime}`), 'the new state is a document');
        for (const id of before) assert.ok(sb.elastic.document(INDEX, id), 'the old state stays');
        for (const row of updated) assert.equal(sb.elastic.document(LATEST, row.IncidentName)._source.properties.status, row.Status);
        assert.ok(Date.parse(second.cursor) > Date.parse(cursor));
        // Saved under the user directory: a node started again resumes from it.
        await helper.unload();
        const again = await start();
        const third = (await poll(again.n1, again.out)).tables.incidents;
        assert.equal(third.created, 0);
        assert.ok(third.duplicates >= 1, 'the overlap read the newest incident again, written once');
        assert.equal(third.cursor, second.cursor);
        assert.match(third.since, new RegExp(`^${new Date(Date.parse(second.cursor) - 120e3).toISOString().slice(0, 19)}`));
    });

    for (const paging of ['offset', 'keyset']) {
        it(`should lose nothing when an incident is modified between two pages (skip token as ${paging === 'offset' ? 'an offset' : 'a keyset'})`, T, async () => {
            const { n1, out } = await start({ restAlerts: true });
            sb.arm.settings.paging = paging;
            const ws = sb.tenants[0].workspace;
            let modified = null;
            // Right after the first page: its first incident gets a new state, which moves it to the end of
            // the list ordered by lastModifiedTimeUtc; with an offset, the item at the next page boundary
            // slides back onto the page already served.
            sb.arm.afterListPage((items) => {
                const name = items[0].name;
                const rows = ws.allRows('SecurityIncident').filter((r) => r.IncidentName === name);
                const row = rows.reduce((a, b) => (Date.parse(b.LastModifiedTime) > Date.parse(a.LastModifiedTime) ? b : a));
                const now = new Date(sb.clock.now()).toISOString();
                const copy = Object.fromEntries(Object.entries(row).filter(([k]) => !['visibleAt', 'visible'].includes(k)));
                modified = ws.addRows('SecurityIncident', [{ ...copy, TimeGenerated: now, LastModifiedTime: now, Status: 'Active', ingestionTime: now }])[0];
                modified = `${name}@${now}`;
            });
            const p = await poll(n1, out);
            assert.equal(p.ok, true, JSON.stringify(p));
            const s = p.tables.incidents;
            assert.ok(modified, 'the incident was modified during the poll');
            assert.ok(sb.elastic.document(INDEX, modified), 'its new state is a document');
            const inLookback = [...sb.arm.currentRevisions(sb.tenants[0].workspaceId)].filter((id) => Date.parse(id.split('@')[1]) >= Date.now() - 86400e3 - 5000);
            const missing = inLookback.filter((id) => !sb.elastic.document(INDEX, id));
            assert.deepEqual(missing, [], 'every incident state the API shows is in Elasticsearch');
            assert.equal(s.passes, 2, 'a state modified during the poll: the list was read once more');
            assert.equal(sb.arm.stats.lists, 2);
            // The second pass reads no state twice: each state's alerts fetched and written once.
            assert.equal(sb.arm.stats.alerts, s.read);
            assert.equal(s.duplicates, 0, JSON.stringify(s));
            assert.equal(s.cursor, modified.split('@')[1]);
            // The next poll (nothing modified) needs one pass only.
            const again = (await poll(n1, out)).tables.incidents;
            assert.equal(again.passes, 1);
        });
    }

    it('should retry ARM throttling (429 with Retry-After)', T, async () => {
        const { n1, out } = await start();
        sb.arm.failNext(2, { status: 429, retryAfter: 1 });
        const started = Date.now();
        const p = await poll(n1, out);
        assert.equal(p.ok, true);
        assert.equal(p.tables.incidents.retried, 2);
        assert.equal(sb.arm.stats.throttled, 2);
        assert.ok(Date.now() - started >= 1900, 'waited as Retry-After asked');
        assert.ok(p.tables.incidents.created > 0);
    });

    it('should warn about an incident deleted between the list and its alerts, and go on', T, async () => {
        const { n1, out } = await start({ restAlerts: true, restComments: true });
        const warnings = [];
        n1.on('call:warn', (c) => warnings.push(String(c.args[0])));
        sb.arm.deleteAfterList(1);
        const p = await poll(n1, out);
        assert.equal(p.ok, true, JSON.stringify(p));
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        assert.match(warnings[0], /^incidents: incident [-0-9a-f]+ was deleted before its alerts were read$/);
        const name = warnings[0].split(' ')[2];
        const id = sb.elastic.ids(INDEX).find((x) => x.startsWith(`${name}@`));
        assert.ok(id, 'the state listed is still written');
        assert.equal(sb.elastic.document(INDEX, id)._source.alerts, undefined);
    });

    const errors = [
        ['AuthorizationFailed', () => sb.arm.deny(sb.tenants[0].clientId, sb.tenants[0].workspaceId), {},
            /HTTP 403 AuthorizationFailed .*Fix: give the app registration the "Microsoft Sentinel Reader" role on the workspace/],
        ['ResourceNotFound', () => {}, { workspaceName: 'law-missing' },
            /HTTP 404 ResourceNotFound .*Fix: check the subscription id, the resource group and the workspace name in the tenant settings/],
        ['SubscriptionNotFound', () => {}, { subscriptionId: '00000000-0000-4000-8000-000000000000' },
            /HTTP 404 SubscriptionNotFound .*Fix: check the subscription id in the tenant settings/],
        ['InvalidApiVersionParameter', () => {}, {}, /HTTP 400 InvalidApiVersionParameter .*Fix: set the API version/, { apiVersion: '2019-01-01' }],
    ];
    for (const [code, prepare, tenant, expected, node] of errors) {
        it(`should give Catch nodes ${code} with the fix`, T, async () => {
            const { n1, out, caught, rec } = await start(node || {}, tenant);
            prepare();
            const error = next(caught, 'input');
            const p = await poll(n1, out);
            assert.equal(p.ok, false);
            const e = (await error).error;
            assert.equal(e.source.id, 'n1');
            assert.match(e.message, expected);
            assert.match(p.tables.incidents.error, expected);
            assert.equal(sb.elastic.count(INDEX), 0);
            rec.assertClean(assert, [sb.tenants[0].privateKeyPem, sb.apiKey, ...armTokens()]);
        });
    }

    it('should write ECS documents when ecs is ticked', T, async () => {
        const { n1, out } = await start({ ecs: true });
        const p = await poll(n1, out);
        const id = sb.elastic.ids(INDEX)[0];
        const doc = sb.elastic.document(INDEX, id)._source;
        const [name, time] = id.split('@');
        assert.equal(doc.event.kind, 'alert');
        assert.equal(doc.event.id, name);
        assert.equal(doc.ecs.version, '8.11.0');
        assert.equal(doc.observer.vendor, 'Microsoft');
        assert.equal(doc.microsoft_sentinel.incident.properties.lastModifiedTimeUtc, time);
        assert.equal(doc.rule.name, doc.microsoft_sentinel.incident.properties.title);
        assert.equal(doc.name, undefined, 'the original fields live under microsoft_sentinel.incident');
        assert.ok(p.tables.incidents.created > 0);
    });

    it('should write ECS documents from the Log Analytics source too, with the same _ids', T, async () => {
        const t = sb.tenants[0];
        const la = { source: 'loganalytics', take: 1000 };
        const tenant = { workspaceId: t.workspaceId, scope: t.scope, queryHost: sb.query.origin };
        const plain = await start(la, tenant);
        await poll(plain.n1, plain.out);
        const ids = sb.elastic.ids(INDEX).sort();
        const alertId = ids.find((id) => sb.elastic.document(INDEX, id)._source.SystemAlertId);
        await helper.unload();
        fs.rmSync(path.join(userDir, 'sentinel-elastic'), { recursive: true, force: true });
        sb.elastic.clear();
        const ecs = await start({ ...la, ecs: true }, tenant);
        const p = await poll(ecs.n1, ecs.out);
        assert.equal(p.ok, true);
        assert.deepEqual(sb.elastic.ids(INDEX).sort(), ids, 'the same documents, by _id');
        const doc = sb.elastic.document(INDEX, alertId)._source;
        assert.equal(doc.event.id, alertId.split('@')[0]);
        assert.equal(doc.microsoft_sentinel.alert.SystemAlertId, alertId.split('@')[0]);
        assert.equal(doc.SystemAlertId, undefined);
        const latest = sb.elastic.document('sentinel-alerts-latest', alertId.split('@')[0])._source;
        assert.equal(latest.ecs.version, '8.11.0');
    });

    for (const [node, tenant, expected] of [
        [{}, { subscriptionId: '' }, /missing: the tenant's subscription id/],
        [{ take: 5000 }, {}, /the REST API's \$top .* from 1 to 1000/],
        [{}, { managementHost: 'https://management.azure.com/x' }, /The management host .* is not a host/],
        [{}, { resourceGroup: 'bad/group' }, /The resource group "bad\/group" is not a resource group name/],
    ]) {
        it(`should refuse ${JSON.stringify({ ...node, ...tenant })} at deploy`, T, async () => {
            const { n1, caught } = await start(node, tenant);
            const got = next(caught, 'input');
            n1.receive({ payload: 'tick' });
            assert.match((await got).error.message, expected);
            assert.equal(sb.arm.stats.requests, 0, 'no request made');
        });
    }
});
