'use strict';
// The package's nodes in a real Node-RED runtime (node-red-node-test-helper), fed the way the
// http request node would feed them, and, for comparison, the original flow's two function nodes
// behind a json node in the same runtime when the oracle file is there.
//
//   chain:    sentinel-rows -> sentinel-bulk -> helper           (drop-in replacement)
//   fused:    sentinel-bulk -> helper                            (raw response into sentinel-bulk)
//   original: json -> function "convert" -> function "prepare" -> helper
//             (original-obj: the same from "convert" on, for a parsed object)
//
// send(name, msg) resolves with the message the helper node receives, or rejects with what a
// Catch node caught. The helper spies on every node call (sinon); its history is dropped after
// each message so that it does not keep old payloads alive.

const path = require('node:path');
const helper = require('node-red-node-test-helper');

helper.init(require.resolve('node-red'));

const ROOT = path.join(__dirname, '..', '..');
const NODES = ['sentinel-rows', 'sentinel-bulk', 'sentinel-elastic'].map((n) => require(path.join(ROOT, 'node-red', `${n}.js`)));
const CORE = path.join(path.dirname(require.resolve('@node-red/nodes/package.json')), 'core');
const API_KEY = 'YmVuY2g6YmVuY2gtYXBpLWtleQ==';
const HOST = 'https://elastic.example:9200';

// original-obj: the function nodes given the parsed response (no json node), as after an http
// request node set to "a parsed JSON object".
const ENTRY = { chain: 'rows1', fused: 'bulk2', original: 'json1', 'original-obj': 'conv1' };
const EXIT = { chain: 'outChain', fused: 'outFused', original: 'outOrig', 'original-obj': 'outOrig' };

function flow(oracle) {
    const nodes = [
        { id: 'e1', type: 'sentinel-elastic', name: 'bench', host: HOST, index: '', pipeline: '' },
        { id: 'rows1', type: 'sentinel-rows', wires: [['bulk1']] },
        { id: 'bulk1', type: 'sentinel-bulk', elastic: 'e1', wires: [['outChain']] },
        { id: 'outChain', type: 'helper' },
        { id: 'bulk2', type: 'sentinel-bulk', elastic: 'e1', wires: [['outFused']] },
        { id: 'outFused', type: 'helper' },
        { id: 'catch1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
    ];
    if (oracle) {
        nodes.push(
            { id: 'json1', type: 'json', property: 'payload', action: 'obj', pretty: false, wires: [['conv1']] },
            { id: 'conv1', type: 'function', func: oracle.bodies.convert, outputs: 1, libs: [], wires: [['prep1']] },
            { id: 'prep1', type: 'function', func: oracle.bodies.prepareBulk, outputs: 1, libs: [], wires: [['outOrig']] },
            { id: 'outOrig', type: 'helper' },
        );
    }
    return nodes;
}

// A Date whose clock reads `ms`. The function node hands its sandbox the global Date when the
// node is created, so installing this while the flow starts pins the original code's clock.
function fixedDate(ms) {
    const RealDate = Date;
    return class extends RealDate {
        constructor(...args) {
            if (args.length === 0) super(ms);
            else super(...args);
        }

        static now() {
            return ms;
        }
    };
}

/**
 * Starts the runtime with the flows; returns {send(name, msg), names, stop()}. With the oracle,
 * the original function nodes get a clock fixed at nowMs (the package's nodes read Date.now()).
 */
async function start(oracle, nowMs) {
    await new Promise((resolve, reject) => helper.startServer((err) => (err ? reject(err) : resolve())));
    const modules = [...NODES];
    if (oracle) {
        modules.push(require(path.join(CORE, 'parsers', '70-JSON.js')), require(path.join(CORE, 'function', '10-function.js')));
    }
    const RealDate = global.Date;
    if (oracle && nowMs !== undefined) global.Date = fixedDate(nowMs);
    try {
        await helper.load(modules, flow(oracle), { e1: { apiKey: API_KEY } });
    } finally {
        global.Date = RealDate;
    }
    const caught = helper.getNode('caught');

    function send(name, msg) {
        const entry = helper.getNode(ENTRY[name]);
        const exit = helper.getNode(EXIT[name]);
        return new Promise((resolve, reject) => {
            const done = () => {
                exit.removeListener('input', onOut);
                caught.removeListener('input', onErr);
                helper._sandbox.resetHistory();
            };
            const onOut = (out) => { done(); resolve(out); };
            const onErr = (m) => { done(); reject(new Error(`${name}: ${m.error && m.error.message}`)); };
            exit.on('input', onOut);
            caught.on('input', onErr);
            entry.receive(msg);
        });
    }

    async function stop() {
        await helper.unload();
        await new Promise((resolve) => helper.stopServer(resolve));
    }

    return { send, names: Object.keys(ENTRY).filter((n) => oracle || !n.startsWith('original')), stop, host: HOST, apiKey: API_KEY };
}

module.exports = { start, HOST, API_KEY };
