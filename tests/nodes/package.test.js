'use strict';
// Checks that span the node set: every node file has its words, its help and its editor
// registration; every word the code asks for exists; the example flows load in the runtime.
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, load } = require('./support');

const ROOT = path.join(__dirname, '..', '..');
const NODE_DIR = path.join(ROOT, 'node-red');
const LOCALE_DIR = path.join(NODE_DIR, 'locales', 'en-US');
const FLOW_NODES = ['sentinel-assertion', 'sentinel-token-request', 'sentinel-query', 'sentinel-rows', 'sentinel-bulk', 'sentinel-bulk-result', 'sentinel-incremental'];
const CONFIG_NODES = ['sentinel-tenant', 'sentinel-elastic'];
const ALL = FLOW_NODES.concat(CONFIG_NODES);

const read = (...p) => fs.readFileSync(path.join(...p), 'utf8');
const catalog = (name) => JSON.parse(read(LOCALE_DIR, `${name}.json`));
function has(obj, key) {
    const parts = key.split('.');
    let here = obj;
    for (let i = 0; i < parts.length; i++) {
        if (here && typeof here === 'object' && parts[i] in here) {
            here = here[parts[i]];
        } else if (i === parts.length - 1 && here && (`${parts[i]}_other` in here)) {
            return true; // plural forms: key_one / key_other
        } else {
            return false;
        }
    }
    return typeof here === 'string';
}

describe('node set', () => {
    it('should have a .js, an editor .html, a message catalog and a help file for every node', () => {
        for (const name of ALL) {
            for (const file of [path.join(NODE_DIR, `${name}.js`), path.join(NODE_DIR, `${name}.html`),
                path.join(LOCALE_DIR, `${name}.json`), path.join(LOCALE_DIR, `${name}.html`)]) {
                assert.ok(fs.existsSync(file), `${file} exists`);
            }
            assert.match(read(NODE_DIR, `${name}.js`), new RegExp(`registerType\\('${name}', `));
            assert.match(read(NODE_DIR, `${name}.html`), new RegExp(`registerType\\('${name}', \\{`));
            assert.match(read(NODE_DIR, `${name}.html`), new RegExp(`data-template-name="${name}"`));
            assert.match(read(LOCALE_DIR, `${name}.html`), new RegExp(`data-help-name="${name}"`));
        }
    });

    it('should find every word the runtime and the editor ask for in the node\'s own catalog', () => {
        for (const name of ALL) {
            const words = catalog(name);
            const keys = [];
            for (const m of read(NODE_DIR, `${name}.js`).matchAll(/RED\._\('([^']+)'/g)) keys.push(m[1]);
            const html = read(NODE_DIR, `${name}.html`);
            for (const m of html.matchAll(/this\._\('([^']+)'/g)) keys.push(m[1]);
            for (const m of html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)) {
                if (!m[1].startsWith('node-red:')) keys.push(m[1]);
            }
            for (const key of keys) {
                assert.ok(key.startsWith(`${name}.`), `${key} is under the node's own name`);
                assert.ok(has(words, key), `${name}.json has ${key}`);
            }
        }
    });

    it('should put the flow nodes in one palette category with one colour and the package icon', () => {
        const colours = new Set();
        for (const name of FLOW_NODES) {
            const html = read(NODE_DIR, `${name}.html`);
            assert.match(html, /category: 'sentinel'/);
            assert.match(html, /icon: 'sentinel\.svg'/);
            assert.match(html, /inputs: 1,\s+outputs: [12],/);
            colours.add(html.match(/color: '([^']+)'/)[1]);
        }
        assert.equal(colours.size, 1);
        assert.ok(fs.existsSync(path.join(NODE_DIR, 'icons', 'sentinel.svg')));
        for (const name of CONFIG_NODES) {
            assert.match(read(NODE_DIR, `${name}.html`), /category: 'config'/);
        }
    });

    it('should declare the same credentials in the runtime and the editor, secrets as passwords', () => {
        const creds = (text) => {
            const block = text.match(/credentials: \{([\s\S]*?)\n\s*\}/)[1];
            return Object.fromEntries([...block.matchAll(/(\w+): \{ type: '(\w+)' \}/g)].map((m) => [m[1], m[2]]));
        };
        const tenant = { privateKeyPem: 'password', certificatePem: 'text', kid: 'text' };
        const elastic = { apiKey: 'password' };
        assert.deepEqual(creds(read(NODE_DIR, 'sentinel-tenant.js')), tenant);
        assert.deepEqual(creds(read(NODE_DIR, 'sentinel-tenant.html')), tenant);
        assert.deepEqual(creds(read(NODE_DIR, 'sentinel-elastic.js')), elastic);
        assert.deepEqual(creds(read(NODE_DIR, 'sentinel-elastic.html')), elastic);
    });

    it('should document inputs, outputs and details of every flow node, and its deliberate improvements', () => {
        for (const name of FLOW_NODES) {
            const help = read(LOCALE_DIR, `${name}.html`);
            for (const section of ['<h3>Inputs</h3>', '<h3>Outputs</h3>', '<h3>Details</h3>']) {
                assert.ok(help.includes(section), `${name} help has ${section}`);
            }
            assert.match(help, /<dl class="message-properties">/);
        }
        const improvements = {
            'sentinel-assertion': [/exp/, /jti/, /PS256/, /x5t#S256/, /certificate PEM/],
            'sentinel-query': [/msg\.retention/, /workspace id/],
            'sentinel-bulk': [/EndTime/, /TimeGenerated/, /empty document array/]
        };
        for (const [name, patterns] of Object.entries(improvements)) {
            const help = read(LOCALE_DIR, `${name}.html`);
            for (const p of patterns) assert.match(help, p, `${name} help mentions ${p}`);
        }
    });

    it('should say where sentinel-bulk takes @timestamp from as the code does: EndTime, else the current time; an invalid EndTime falls back to TimeGenerated first', () => {
        const help = read(LOCALE_DIR, 'sentinel-bulk.html').replace(/\s+/g, ' ');
        assert.match(help, /Without an <code>EndTime<\/code>, <code>@timestamp<\/code> is the current time/);
        assert.match(help, /an <code>EndTime<\/code> that is not a valid date falls back to <code>TimeGenerated<\/code> first, and only then to the current time/);
        assert.doesNotMatch(help, /from <code>EndTime<\/code> \(else the current time\)/);
    });
});

describe('example flows', () => {
    const core = (file) => require(path.join(path.dirname(require.resolve('@node-red/nodes/package.json')), 'core', file));
    const modules = () => ALL.map(load).concat([
        core('common/20-inject.js'), core('common/21-debug.js'), core('common/25-catch.js'),
        core('common/90-comment.js'), core('common/60-link.js'), core('function/10-switch.js'), core('network/21-httprequest.js')
    ]);

    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    for (const [dir, file] of [['examples', 'sentinel-to-elastic.json'], ['scripts', 'demo-flow.json']]) {
        const flowText = read(ROOT, dir, file);
        const nodes = JSON.parse(flowText);
        const byId = new Map(nodes.map((n) => [n.id, n]));

        it(`should wire ${file} as the original flow`, () => {
            assert.equal(byId.size, nodes.length, 'ids are unique');
            const tab = nodes.find((n) => n.type === 'tab');
            for (const n of nodes) {
                if ('x' in n) assert.equal(n.z, tab.id, `${n.id} is on the tab`);
                else if (n.type !== 'tab') assert.equal(n.z, undefined, `${n.id} is a global configuration node`);
            }
            for (const n of nodes) {
                for (const out of n.wires || []) for (const target of out) assert.ok(byId.has(target), `${n.id} -> ${target}`);
                for (const ref of ['tenant', 'elastic']) if (n[ref]) assert.ok(byId.has(n[ref]), `${n.id}.${ref}`);
            }
            const after = (type) => nodes.filter((n) => n.type === type).flatMap((n) => n.wires.flat().map((t) => byId.get(t).type));
            assert.deepEqual(after('inject'), ['sentinel-assertion']);
            assert.deepEqual(after('sentinel-assertion'), ['sentinel-token-request']);
            assert.deepEqual(after('sentinel-token-request'), ['http request']);
            assert.deepEqual(after('sentinel-query'), ['http request', 'http request']);
            assert.deepEqual(after('sentinel-rows'), ['sentinel-bulk']);
            assert.deepEqual(after('sentinel-bulk'), ['http request']);
            assert.deepEqual(after('sentinel-bulk-result'), ['debug']);
            assert.deepEqual(nodes.filter((n) => n.type === 'sentinel-query').map((n) => n.table), ['SecurityAlert', 'SecurityIncident']);
            const http = nodes.filter((n) => n.type === 'http request');
            for (const n of http) {
                const into = n.wires[0].map((t) => byId.get(t).type);
                assert.equal(n.ret, into.includes('sentinel-bulk-result') ? 'txt' : 'obj', `${n.name} returns ${n.ret}`);
                assert.equal(n.method, 'use');
                assert.equal(n.url, '');
            }
            assert.ok(nodes.some((n) => n.type === 'catch'));
        });

        it(`should deploy ${file} in the runtime`, async () => {
            // The demo's placeholders stand for the sandbox's origins: give them a syntactically valid value.
            const deployed = JSON.parse(flowText.replace(/__[A-Z]+_ORIGIN__/g, 'http://127.0.0.1:9'));
            await helper.load(modules(), deployed.map((n) => { delete n.credentials; return n; }));
            for (const n of nodes.filter((n) => n.type !== 'comment' && n.type !== 'tab')) assert.ok(helper.getNode(n.id), `${n.id} (${n.type}) started`);
            const errors = helper.log().args.filter((a) => a[0] && a[0].level === helper.log().ERROR);
            assert.deepEqual(errors.map((a) => `${a[0].id}: ${a[0].msg}`), [], 'no node reported bad settings');
        });
    }

    it('should keep the incremental example shorter than the drop-in one, with every host and secret in the config nodes', async () => {
        const incremental = JSON.parse(read(ROOT, 'examples', 'sentinel-to-elastic-incremental.json'));
        const dropIn = JSON.parse(read(ROOT, 'examples', 'sentinel-to-elastic.json'));
        assert.ok(incremental.length <= dropIn.length, `${incremental.length} nodes against ${dropIn.length}`);
        const byType = (type) => incremental.filter((n) => n.type === type);
        const [inject] = byType('inject');
        assert.equal(inject.repeat, '300', 'polls every 5 minutes');
        assert.deepEqual(inject.wires, [[byType('sentinel-incremental')[0].id]]);
        assert.deepEqual(byType('sentinel-tenant').map((n) => [n.clientId, n.tenantId, n.workspaceId]), [['', '', '']]);
        assert.equal(byType('sentinel-elastic')[0].host, '');
        assert.doesNotMatch(JSON.stringify(incremental), /"credentials"|BEGIN [A-Z ]*PRIVATE KEY/);
        // Deployed as imported (nothing filled in), the node says what is missing, and nothing else fails.
        await helper.load(modules(), incremental);
        const node = helper.getNode(byType('sentinel-incremental')[0].id);
        assert.ok(node, 'the incremental node started');
        const errors = helper.log().args.filter((a) => a[0] && a[0].level === helper.log().ERROR).map((a) => `${a[0].type}: ${a[0].msg}`);
        assert.deepEqual(errors.map((e) => e.split(':')[0]), ['sentinel-incremental']);
        assert.match(errors[0], /missing: the tenant.s client id, the tenant.s tenant id, the tenant.s workspace id, the tenant.s private key, .*the elastic host, the elastic API key/);
    });

    it('should ship the REST API example: inject-triggered, left to right, every host and secret in the config nodes, empty until filled in', async () => {
        const rest = JSON.parse(read(ROOT, 'examples', 'sentinel-incidents-rest-api.json'));
        const byType = (type) => rest.filter((n) => n.type === type);
        const byId = new Map(rest.map((n) => [n.id, n]));
        assert.equal(byId.size, rest.length, 'ids are unique');
        const [inject] = byType('inject');
        const [node] = byType('sentinel-incremental');
        assert.equal(inject.repeat, '300', 'polls every 5 minutes');
        assert.deepEqual(inject.wires, [[node.id]]);
        assert.deepEqual([node.source, node.apiVersion, node.lookback], ['rest', '2025-09-01', '24h']);
        for (const n of rest) for (const out of n.wires || []) for (const t of out) assert.ok(byId.get(t).x > n.x, `${n.id} -> ${t} runs left to right`);
        const [tenant] = byType('sentinel-tenant');
        assert.deepEqual([tenant.clientId, tenant.tenantId, tenant.subscriptionId, tenant.resourceGroup, tenant.workspaceName], ['', '', '', '', '']);
        assert.equal(tenant.managementHost, 'management.azure.com');
        assert.equal(byType('sentinel-elastic')[0].host, '');
        assert.ok(byType('catch').length === 1);
        assert.doesNotMatch(JSON.stringify(rest), /"credentials"|BEGIN [A-Z ]*PRIVATE KEY/);
        await helper.load(modules(), rest);
        assert.ok(helper.getNode(node.id), 'the incremental node started');
        const errors = helper.log().args.filter((a) => a[0] && a[0].level === helper.log().ERROR).map((a) => `${a[0].type}: ${a[0].msg}`);
        assert.deepEqual(errors.map((e) => e.split(':')[0]), ['sentinel-incremental']);
        assert.match(errors[0], /missing: the tenant.s client id, the tenant.s tenant id, the tenant.s subscription id, the tenant.s resource group, the tenant.s workspace name, the tenant.s private key, .*the elastic host, the elastic API key/);
    });

    it('should give the demo flow recognisable placeholders for the demo script', () => {
        const demo = read(ROOT, 'scripts', 'demo-flow.json');
        for (const p of ['__ENTRA_ORIGIN__', '__QUERY_ORIGIN__', '__ELASTIC_ORIGIN__', '__CLIENT_ID__', '__TENANT_ID__',
            '__WORKSPACE_ID__', '__PRIVATE_KEY_PEM__', '__ELASTIC_API_KEY__']) {
            assert.ok(demo.includes(`"${p}"`), p);
        }
        assert.doesNotMatch(read(ROOT, 'examples', 'sentinel-to-elastic.json'), /BEGIN [A-Z ]*PRIVATE KEY|"credentials"/);
    });
});
