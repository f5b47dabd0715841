'use strict';
// ECS documents against fixtures, field by field: sentinel-bulk with `ecs` ticked, given query API
// responses of SecurityAlert and SecurityIncident (tests/nodes/fixtures/ecs, made by the sandbox's
// generator), and the REST API's incidents through the incremental mode's document builder. Each
// document is checked against its source row with an expectation written here independently of
// the Rust mapping, and against the ECS field list (names and types) the README documents.

const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, load, next, flow, core } = require('./support');

const bulkNode = load('sentinel-bulk');
const elasticNode = load('sentinel-elastic');
const FIXTURES = path.join(__dirname, 'fixtures', 'ecs');
const fixture = (name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** Rows of a query API response as objects, nested JSON text parsed (as sentinel-rows does). */
function rowsOf(text) {
    const table = JSON.parse(text).tables[0];
    return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => {
        let v = r[i];
        if (typeof v === 'string' && /^\s*[[{]/.test(v)) { try { v = JSON.parse(v); } catch { /* kept */ } }
        return [c.name, v];
    })));
}

const iso = (t) => (t && Number.isFinite(Date.parse(t)) ? new Date(t).toISOString() : undefined);
const nonEmpty = (v) => (v === '' || v === null || v === undefined ? undefined : v);
const list = (a) => (Array.isArray(a) && a.length ? a : undefined);
const INCIDENT_SEVERITY = { informational: 0, low: 1, medium: 2, high: 3 };
const ALERT_SEVERITY = { informational: 21, low: 21, medium: 47, high: 73 };
const unique = (items) => list([...new Set(items.filter((x) => x !== undefined && x !== null && x !== ''))]);

/** The ECS fields expected for an owner object (REST API or SecurityIncident's Owner). */
function ownerFields(o = {}) {
    const email = nonEmpty(o.email);
    // The integration's incident pipeline: the object id is a user's only when ownerType says User.
    const userId = typeof o.ownerType === 'string' && o.ownerType.toLowerCase() === 'user' ? nonEmpty(o.objectId) : undefined;
    return {
        'user.name': nonEmpty(o.assignedTo),
        'user.email': email,
        'user.domain': email && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : undefined,
        'user.id': userId,
        'related.user': unique([o.assignedTo, o.email, userId, o.userPrincipalName]),
    };
}

/** Field path -> expected value, for each shape. */
const expected = {
    SecurityAlert: (row) => {
        const accounts = (Array.isArray(row.Entities) ? row.Entities : []).filter((e) => e.Type === 'account' && e.Name);
        const rules = row.ExtendedProperties && row.ExtendedProperties['Analytic Rule Ids'];
        return {
            'event.id': row.SystemAlertId,
            'event.severity': ALERT_SEVERITY[String(row.AlertSeverity).toLowerCase()],
            'event.start': iso(row.StartTime),
            'event.end': iso(row.EndTime),
            'event.created': iso(row.TimeGenerated),
            'event.url': nonEmpty(row.AlertLink),
            // The alert pipeline's rule.name is the display name; the event pipeline's observer the row's product and vendor.
            'rule.name': nonEmpty(row.DisplayName) || nonEmpty(row.AlertName),
            'observer.product': nonEmpty(row.ProductName) || 'Azure Sentinel',
            'observer.vendor': nonEmpty(row.VendorName) || 'Microsoft',
            'rule.id': rules ? list(JSON.parse(rules)) : undefined,
            message: nonEmpty(row.Description),
            'threat.tactic.name': row.Tactics ? unique(row.Tactics.split(',').map((t) => t.trim())) : undefined,
            'user.name': accounts[0] && accounts[0].Name,
            'user.domain': accounts[0] && accounts[0].UPNSuffix,
            'user.id': accounts[0] && accounts[0].AadUserId,
            'related.user': unique(accounts.flatMap((a) => [a.Name, a.UPNSuffix ? `${a.Name}@${a.UPNSuffix}` : undefined])),
            'related.hosts': unique((row.Entities || []).filter((e) => e.Type === 'host').flatMap((e) => [e.HostName, e.FQDN])),
            'related.ip': unique((row.Entities || []).filter((e) => e.Type === 'ip').map((e) => e.Address)),
        };
    },
    SecurityIncident: (row) => ({
        'event.id': row.IncidentName,
        'event.severity': INCIDENT_SEVERITY[String(row.Severity).toLowerCase()],
        'event.start': iso(row.FirstActivityTime),
        'event.end': iso(row.LastActivityTime),
        'event.created': iso(row.CreatedTime),
        'event.url': nonEmpty(row.IncidentUrl),
        'rule.name': nonEmpty(row.Title),
        'rule.id': list(row.RelatedAnalyticRuleIds),
        message: nonEmpty(row.Description),
        'threat.tactic.name': list(row.AdditionalData && row.AdditionalData.tactics),
        ...ownerFields(row.Owner || {}),
    }),
    rest: (inc) => ({
        'event.id': inc.name,
        'event.severity': INCIDENT_SEVERITY[String(inc.properties.severity).toLowerCase()],
        'event.start': iso(inc.properties.firstActivityTimeUtc),
        'event.end': iso(inc.properties.lastActivityTimeUtc),
        'event.created': iso(inc.properties.createdTimeUtc),
        'event.url': nonEmpty(inc.properties.incidentUrl),
        'rule.name': nonEmpty(inc.properties.title),
        'rule.id': list(inc.properties.relatedAnalyticRuleIds),
        message: nonEmpty(inc.properties.description),
        'threat.tactic.name': list(inc.properties.additionalData && inc.properties.additionalData.tactics),
        ...ownerFields(inc.properties.owner),
    }),
};

/** The ECS field list (README "ECS documents"): path -> type. Any other path is an error. */
const FIELDS = {
    '@timestamp': 'date', 'ecs.version': 'keyword', 'event.kind': 'keyword', 'event.id': 'keyword', 'event.severity': 'long',
    'event.start': 'date', 'event.end': 'date', 'event.created': 'date', 'event.url': 'keyword', 'rule.name': 'keyword',
    'rule.id': 'keyword[]', message: 'text', 'threat.tactic.name': 'keyword[]', 'observer.product': 'keyword',
    'observer.vendor': 'keyword', 'user.name': 'keyword', 'user.email': 'keyword', 'user.domain': 'keyword', 'user.id': 'keyword',
    'related.user': 'keyword[]', 'related.hosts': 'keyword[]', 'related.ip': 'ip[]', 'customer.name': 'keyword',
};
const ORIGINAL = /^microsoft_sentinel\.(incident|alert)$/;

function validate(doc) {
    const problems = [];
    const walk = (v, at) => {
        if (ORIGINAL.test(at)) return;
        if (v && typeof v === 'object' && !Array.isArray(v)) {
            for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
            return;
        }
        const type = FIELDS[at];
        if (!type) return problems.push(`${at} is not in the field list`);
        const items = type.endsWith('[]') ? v : [v];
        if (type.endsWith('[]') && (!Array.isArray(v) || v.length === 0)) return problems.push(`${at} is not a non-empty array`);
        for (const x of items) {
            const base = type.replace('[]', '');
            const ok = base === 'long' ? Number.isInteger(x)
                : base === 'date' ? typeof x === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(x)
                    : base === 'ip' ? typeof x === 'string' && (/^\d{1,3}(\.\d{1,3}){3}$/.test(x) || x.includes(':'))
                        : typeof x === 'string' && x !== '';
            if (!ok) problems.push(`${at}: ${JSON.stringify(x)} is not a ${base}`);
        }
        return undefined;
    };
    walk(doc, '');
    return problems;
}

const at = (doc, p) => p.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), doc);

/** Checks one ECS document against its source, field by field; returns the failures. */
function compare(doc, source, shape, tenantName) {
    const failures = [];
    const want = {
        'observer.product': 'Azure Sentinel', 'observer.vendor': 'Microsoft',
        ...expected[shape](source),
        'ecs.version': '8.11.0', 'event.kind': 'alert',
        'customer.name': tenantName,
    };
    for (const [field, value] of Object.entries(want)) {
        if (JSON.stringify(at(doc, field)) !== JSON.stringify(value)) failures.push(`${field}: ${JSON.stringify(at(doc, field))} instead of ${JSON.stringify(value)}`);
    }
    return failures.concat(validate(doc));
}

describe('ECS documents', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    for (const table of ['SecurityAlert', 'SecurityIncident']) {
        it(`should map every ${table} row of the fixture field by field with ecs ticked, the row kept under microsoft_sentinel`, async () => {
            const response = fixture(`${table}.json`);
            await helper.load([bulkNode, elasticNode], flow({ type: 'sentinel-bulk', elastic: 'e1', ecs: true }, { id: 'e1', type: 'sentinel-elastic', host: 'http://127.0.0.1:9200' }), { e1: { apiKey: 'a2V5OnNlY3JldA==' } });
            const out = next(helper.getNode('out'), 'input');
            helper.getNode('n1').receive({ payload: response, oauth: { tenantName: 'contoso' } });
            const lines = (await out).payload.trimEnd().split('\n');
            const rows = rowsOf(response);
            assert.equal(lines.length, rows.length * 2);
            const plain = core.bulk(response, { host: 'http://127.0.0.1:9200', apiKey: 'k', tenantName: 'contoso', now: 0 }).request.payload.trimEnd().split('\n');
            const failures = [];
            rows.forEach((row, i) => {
                const doc = JSON.parse(lines[2 * i + 1]);
                assert.equal(lines[2 * i], plain[2 * i], 'the same action and _id as without ecs');
                const original = JSON.parse(plain[2 * i + 1]);
                const ns = table === 'SecurityAlert' ? 'alert' : 'incident';
                const kept = { ...original };
                delete kept['@timestamp'];
                delete kept.customer;
                assert.deepEqual(doc.microsoft_sentinel[ns], kept, 'the cleaned row, whole');
                if (row.EndTime) assert.equal(doc['@timestamp'], original['@timestamp']);
                else assert.match(doc['@timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'the current time, as without ecs');
                failures.push(...compare(doc, row, table, 'contoso').map((f) => `row ${i}: ${f}`));
            });
            assert.deepEqual(failures, []);
            // The fixture exercises the optional fields.
            const docs = lines.filter((_, i) => i % 2).map((l) => JSON.parse(l));
            const some = (p) => docs.some((d) => at(d, p) !== undefined);
            for (const p of table === 'SecurityAlert' ? ['rule.id', 'threat.tactic.name', 'user.name', 'related.hosts', 'related.ip', 'event.url'] : ['rule.id', 'threat.tactic.name', 'event.start', 'message', 'user.name']) {
                assert.ok(some(p), `some document has ${p}`);
            }
            if (table === 'SecurityAlert') {
                assert.ok(rows.some((r) => r.DisplayName && r.DisplayName !== r.AlertName), 'a display name of its own');
                assert.ok(rows.some((r) => r.VendorName && r.VendorName !== 'Microsoft'), 'a partner\'s alert');
                assert.ok(rows.some((r) => !r.ProductName), 'an alert without a product name');
            } else {
                assert.ok(rows.some((r) => r.Owner && r.Owner.objectId && !r.Owner.ownerType), 'an owner without a type (the table has none)');
            }
        });
    }

    it('should map the REST API\'s incidents of the fixture field by field', () => {
        const incidents = JSON.parse(fixture('rest-incidents.json')).value;
        const r = core.incidentsBulk(incidents, { index: 'sentinel', tenantName: 'contoso', ecs: true });
        const lines = r.ndjson.trimEnd().split('\n');
        assert.equal(r.documents, incidents.length);
        const failures = [];
        incidents.forEach((inc, i) => {
            assert.equal(JSON.parse(lines[2 * i]).create._id, `${inc.name}@${inc.properties.lastModifiedTimeUtc}`);
            const doc = JSON.parse(lines[2 * i + 1]);
            assert.equal(doc['@timestamp'], iso(inc.properties.lastModifiedTimeUtc));
            assert.equal(doc.microsoft_sentinel.incident.etag, inc.etag);
            failures.push(...compare(doc, inc, 'rest', 'contoso').map((f) => `incident ${i}: ${f}`));
        });
        assert.deepEqual(failures, []);
        assert.ok(incidents.some((inc) => inc.properties.owner.email), 'the fixture has owners');
        assert.ok(incidents.some((inc) => inc.properties.owner.ownerType === 'Group' && inc.properties.owner.objectId), 'and a group as owner');
    });

    it('should keep the original field names when ecs is off', async () => {
        await helper.load([bulkNode, elasticNode], flow({ type: 'sentinel-bulk', elastic: 'e1' }, { id: 'e1', type: 'sentinel-elastic', host: 'http://127.0.0.1:9200' }), { e1: { apiKey: 'a2V5OnNlY3JldA==' } });
        const out = next(helper.getNode('out'), 'input');
        helper.getNode('n1').receive({ payload: fixture('SecurityAlert.json') });
        const doc = JSON.parse((await out).payload.split('\n')[1]);
        assert.equal(doc.ecs, undefined);
        assert.equal(typeof doc.SystemAlertId, 'string');
    });
});
