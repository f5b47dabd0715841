'use strict';
// The Sentinel REST API client (node-red/lib/incremental/arm.js) against the sandbox's ARM model:
// the nextLink encoded again (and refused off the management host), the management host and
// workspace settings checked, ARM errors turned into messages that name the fix, 429 retried as
// Retry-After asks; and the sandbox behaving as ARM does ($top bounds, a quoted $filter literal, a
// nextLink sent as it arrives).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const sandboxLib = require('../sandbox');
const arm = require('../../node-red/lib/incremental/arm');
const { tokenCacheFor } = require('../../node-red/lib/incremental/tokens');

describe('Sentinel REST API client', () => {
    it('should encode a raw nextLink again, keeping what its escapes meant', () => {
        const origin = 'https://management.azure.com';
        const raw = `${origin}/subscriptions/s/incidents?api-version=2025-09-01&$filter=properties/lastModifiedTimeUtc ge 2025-11-19T10:00:00Z&$orderby=properties/lastModifiedTimeUtc asc&$top=50&$skipToken=++++ab/c=="x'y"`;
        const url = new URL(arm.nextUrl(raw, origin));
        assert.equal(url.searchParams.get('$filter'), 'properties/lastModifiedTimeUtc ge 2025-11-19T10:00:00Z');
        assert.equal(url.searchParams.get('$skipToken'), '++++ab/c=="x\'y"', 'a raw + stays a +, not a space');
        assert.equal(url.searchParams.get('$top'), '50');
        assert.doesNotMatch(url.search, / /);
        // An escaped link means the same after the round trip.
        const escaped = `${origin}/x?$filter=${encodeURIComponent('a ge 1')}&$skipToken=${encodeURIComponent('+/=%')}`;
        const again = new URL(arm.nextUrl(escaped, origin));
        assert.equal(again.searchParams.get('$filter'), 'a ge 1');
        assert.equal(again.searchParams.get('$skipToken'), '+/=%');
        assert.throws(() => arm.nextUrl('https://elsewhere.example/x?a=1', origin), /not on the management host .*the token is not sent there/);
        assert.throws(() => arm.nextUrl('not a url', origin), /not a URL/);
    });

    it('should check the management host, the workspace settings and the API version', () => {
        assert.deepEqual(arm.management(''), { origin: 'https://management.azure.com', scope: 'https://management.azure.com/.default' });
        assert.deepEqual(arm.management('management.usgovcloudapi.net'), { origin: 'https://management.usgovcloudapi.net', scope: 'https://management.usgovcloudapi.net/.default' });
        assert.deepEqual(arm.management('http://127.0.0.1:8080/'), { origin: 'http://127.0.0.1:8080', scope: 'https://127.0.0.1:8080/.default' });
        for (const bad of ['https://management.azure.com/path', 'ftp://x', 'a b', 'host:99999']) assert.throws(() => arm.management(bad), /is not a host such as management\.azure\.com/, bad);
        // The one host rule (src/request.rs, the authority and query hosts, the editor): _ is a host character.
        assert.deepEqual(arm.management('arm_gw.contoso.local:8443'), { origin: 'https://arm_gw.contoso.local:8443', scope: 'https://arm_gw.contoso.local:8443/.default' });
        assert.doesNotThrow(() => require('../../node-red/lib/core').queryUrl('arm_gw.contoso.local:8443', '0f1e2d3c-4b5a-4697-8877-665544332211'));
        assert.throws(() => arm.management('HTTPS://-bad.example'), /is not a host such as management\.azure\.com .*The host name is not valid/);
        const ws = { subscriptionId: '53cc8fd7-29d5-43ec-800a-36ab6c273ace', resourceGroup: 'rg-sentinel', workspaceName: 'law-contoso' };
        assert.equal(arm.workspacePath(ws), '/subscriptions/53cc8fd7-29d5-43ec-800a-36ab6c273ace/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-contoso/providers/Microsoft.SecurityInsights');
        assert.throws(() => arm.workspacePath({ ...ws, subscriptionId: 'sub' }), /subscription id "sub" is not a GUID/);
        assert.throws(() => arm.workspacePath({ ...ws, resourceGroup: '../x' }), /is not a resource group name/);
        assert.throws(() => arm.workspacePath({ ...ws, workspaceName: 'a/b' }), /is not a Log Analytics workspace name/);
        assert.equal(arm.apiVersion(''), '2025-09-01');
        assert.equal(arm.apiVersion('2024-01-01-preview'), '2024-01-01-preview');
        assert.throws(() => arm.apiVersion('latest'), /is not a date such as 2025-09-01/);
        const first = new URL(arm.incidentsUrl('https://m/p', { version: '2025-09-01', since: '2025-11-19T10:00:00.000Z', top: 1000 }));
        assert.equal(first.searchParams.get('$filter'), 'properties/lastModifiedTimeUtc ge 2025-11-19T10:00:00.000Z', 'unquoted, with Z');
        assert.equal(first.searchParams.get('$orderby'), 'properties/lastModifiedTimeUtc asc');
    });

    it('should turn ARM errors into messages that name the fix', () => {
        const body = (code, message) => JSON.stringify({ error: { code, message } });
        const cases = [
            [403, 'AuthorizationFailed', /Fix: give the app registration the "Microsoft Sentinel Reader" role/],
            [404, 'ResourceNotFound', /Fix: check the subscription id, the resource group and the workspace name/],
            [404, 'ResourceGroupNotFound', /Fix: check the resource group/],
            [404, 'SubscriptionNotFound', /Fix: check the subscription id/],
            [401, 'InvalidAuthenticationTokenAudience', /Fix: the token was issued for another API: check the management host/],
            [401, 'ExpiredAuthenticationToken', /clock/],
            [400, 'InvalidApiVersionParameter', /Fix: set the API version/],
        ];
        for (const [status, code, fix] of cases) {
            const e = arm.armError(status, body(code, 'what ARM said'), 'the incidents list');
            assert.match(e.message, new RegExp(`HTTP ${status} ${code} to the incidents list: what ARM said`));
            assert.match(e.message, fix);
            assert.equal(e.permanent, true, code);
        }
        const throttled = arm.armError(429, body('TooManyRequests', 'try later'), 'x');
        assert.notEqual(throttled.permanent, true);
    });
});

describe('Sentinel REST API client against the sandbox', () => {
    let sb;
    let ctx;
    before(async () => {
        sb = await sandboxLib.start({ incidents: 40, armPageSize: 9 });
        const t = sb.tenants[0];
        const m = arm.management(sb.arm.origin);
        const tokens = tokenCacheFor({ clientId: t.clientId, tenantId: t.tenantId, authorityHost: sb.entra.origin, certificatePem: t.certificatePem, privateKeyPem: t.privateKeyPem });
        ctx = { base: m.origin + arm.workspacePath(t), token: () => tokens.get(m.scope), invalidate: (x) => tokens.invalidate(m.scope, x) };
    });
    after(() => sb.stop());
    const get = (url, extra = {}) => arm.armRequest({ url, what: 'the incidents list', token: ctx.token, invalidate: ctx.invalidate, ...extra });
    const since = () => new Date(Date.now() - 3 * 86400e3).toISOString();

    it('should page along nextLink to every current incident, in order, once', async () => {
        let url = arm.incidentsUrl(ctx.base, { version: '2025-09-01', since: since(), top: 1000 });
        const names = [];
        let pages = 0;
        let last = '';
        for (; url; pages += 1) {
            const page = await get(url);
            assert.ok(page.value.length <= 9);
            for (const i of page.value) {
                assert.ok(i.properties.lastModifiedTimeUtc >= last, 'oldest first');
                last = i.properties.lastModifiedTimeUtc;
                names.push(i.name);
            }
            if (page.nextLink) assert.match(page.nextLink, / ge /, 'the sandbox sends the link unescaped');
            url = page.nextLink ? arm.nextUrl(page.nextLink, ctx.base) : null;
        }
        assert.equal(names.length, new Set(names).size);
        assert.equal(names.length, sb.arm.currentRevisions(sb.tenants[0].workspaceId).size);
        assert.ok(pages >= 5);
    });

    it('should be refused as ARM refuses: a nextLink sent as it arrived, $top over 1000, a quoted date', async () => {
        const first = await get(arm.incidentsUrl(ctx.base, { version: '2025-09-01', since: since(), top: 5 }));
        const asItArrived = new URL(first.nextLink).href; // what a client that does not re-encode sends
        await assert.rejects(get(asItArrived, { tries: 1 }), /HTTP 400 BadRequest .*\$skipToken/);
        await assert.rejects(get(arm.incidentsUrl(ctx.base, { version: '2025-09-01', since: since(), top: 1001 }), { tries: 1 }), /HTTP 400 BadRequest .*\$top/);
        await assert.rejects(get(arm.incidentsUrl(ctx.base, { version: '2025-09-01', since: `'${since()}'`, top: 5 }), { tries: 1 }), /incompatible types .*Edm\.String/);
    });

    it('should retry 429 as Retry-After asks, and give up after the tries', async () => {
        const url = arm.incidentsUrl(ctx.base, { version: '2025-09-01', since: since(), top: 5 });
        sb.arm.failNext(1, { status: 429, retryAfter: 1 });
        const reasons = [];
        const started = Date.now();
        await get(url, { onRetry: (r) => reasons.push(r) });
        assert.deepEqual(reasons, ['429']);
        assert.ok(Date.now() - started >= 950);
        sb.arm.failNext(2, { status: 429, retryAfter: 0 });
        await assert.rejects(get(url, { tries: 2 }), /HTTP 429 TooManyRequests/);
        sb.arm.resetFailures();
    });
});
