// Shared set-up for the node specs: the test helper, the real message catalogs, key fixtures,
// and a recorder of everything a node says (errors, warnings, status, log lines).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const helper = require('node-red-node-test-helper');
const { i18n } = require('@node-red/util');

helper.init(require.resolve('node-red'));

const NODE_DIR = path.join(__dirname, '..', '..', 'node-red');
const LOCALES = path.join(NODE_DIR, 'locales');
const MODULE = 'node-red-contrib-sentinel-elastic';

// The helper gives every node module `RED._ = key => key`. This loads the real node module with
// its real message catalog under the namespace Node-RED gives it, so tests see the real words.
function load(name) {
    const mod = require(path.join(NODE_DIR, `${name}.js`));
    const ns = `${MODULE}/${name}`;
    const wrapped = async (RED) => {
        await i18n.init({ lang: 'en-US' });
        await i18n.registerMessageCatalog(ns, LOCALES, `${name}.json`);
        return mod(Object.assign({}, RED, { _: (key, opts) => i18n._(`${ns}:${key}`, opts) }));
    };
    return wrapped;
}

const fixtures = path.join(__dirname, 'fixtures');
const keyPem = fs.readFileSync(path.join(fixtures, 'key.pem'), 'utf8');
const certPem = fs.readFileSync(path.join(fixtures, 'cert.pem'), 'utf8');
const der = new crypto.X509Certificate(certPem).raw;
const x5t = crypto.createHash('sha1').update(der).digest('base64url');
const x5tS256 = crypto.createHash('sha256').update(der).digest('base64url');
// The article's one-line form: real newlines written as the two characters backslash, n.
const keyOneLine = keyPem.split('\n').filter(Boolean).map((l) => `${l}\\n`).join('');

// Every argument a node passes to error/warn/status/log, as text, for the no-secret checks.
function recorder(nodes) {
    const said = [];
    const text = (v) => {
        if (v instanceof Error) return `${v.message}\n${v.stack}`;
        if (typeof v === 'string') return v;
        try { return JSON.stringify(v); } catch (e) { return String(v); }
    };
    for (const n of nodes) {
        // error(err, msg): the msg is the user's own message, handed to Catch nodes unchanged;
        // only what the node itself says is checked.
        n.on('call:error', (call) => said.push(text(call.args[0])));
        n.on('call:warn', (call) => said.push(text(call.args[0])));
        n.on('call:status', (call) => said.push(text(call.args[0])));
    }
    return {
        said,
        lines() {
            const logs = helper.log().args.map((a) => text(a[0] && a[0].msg !== undefined ? a[0].msg : a[0]));
            return said.concat(logs);
        },
        assertClean(assert, secrets) {
            for (const line of this.lines()) {
                for (const secret of secrets) {
                    for (const piece of secretPieces(secret)) {
                        assert.ok(!line.includes(piece), `a secret leaked into: ${line.slice(0, 200)}`);
                    }
                }
            }
        }
    };
}

// A secret and the fragments of it that would betray it (each line of a PEM body).
function secretPieces(secret) {
    const lines = String(secret).split(/\\n|\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('-----'));
    return lines.length > 1 ? lines.filter((l) => l.length >= 16) : [String(secret)];
}

// Resolves with the next event `name` on node `n` (e.g. 'input', 'call:status').
function next(n, name, filter = () => true) {
    return new Promise((resolve) => {
        const on = (v) => { if (filter(v)) { n.removeListener(name, on); resolve(v); } };
        n.on(name, on);
    });
}

// A flow with the node under test, a helper after it, a catch node and a complete node
// (which fires when the node calls done() without an error) each reporting to another helper.
function flow(node, ...configNodes) {
    return [
        Object.assign({ id: 'n1', wires: [['out']] }, node),
        { id: 'out', type: 'helper' },
        { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
        { id: 'k1', type: 'complete', scope: ['n1'], wires: [['completed']] },
        { id: 'completed', type: 'helper' },
        ...configNodes
    ];
}

module.exports = { helper, load, keyPem, keyOneLine, certPem, x5t, x5tS256, recorder, next, flow };

// The facade the nodes call, for counting calls (e.g. how often a key is parsed).
module.exports.core = require(path.join(NODE_DIR, 'lib', 'core'));
