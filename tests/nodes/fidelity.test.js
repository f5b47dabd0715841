'use strict';
// Fidelity of the nodes themselves, running in a real Node-RED (node-red-node-test-helper): for
// every recorded case in tests/fixtures/oracle/<step>.json, the project's node gets the case's
// input message and the WHOLE message it sends must equal the message the original function node
// sent (kase.output.msg): the same own properties in the same order (only `_msgid`, which
// Node-RED adds, is ignored), the same values, the same key order at every depth, NDJSON byte for
// byte. Where the original sent nothing, ours sends nothing; where it threw or called node.error,
// ours reports an error that reaches a Catch node, with no secret in it. Deliberate cases are
// checked against kase.expected, as tests/core/fidelity.test.js does.
//
// The nodes run with NO configuration nodes, so every value comes from the message, as when a
// user swaps a function node into an existing flow. Settings used, and why:
// - sentinel-query: `table` (SecurityAlert / SecurityIncident), the one setting that says which
//   of the two original function nodes it stands for;
// - sentinel-assertion: needs a private key to sign; it gets it the message way (msg.certs
//   .privateKeyPem, as the original flow's jwt sign node read it), added to the case's input.
//   The original's claims come from the function node alone and its jti is random, so this step
//   is checked for shape only (claim order, values, exp, a v4 UUID jti).
// The clock (Date.now) is fixed to the case's `now` while a case runs: the original read the
// current time, the nodes do too.
//
// All cases of a step go through ONE deployed flow, one after the other.
const { describe, it, before, after, afterEach, mock } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { helper, load, keyPem, flow } = require('./support');
const { encode, decode, keyOrderDiff } = require('../tools/oracle/codec');
const { PARTS, outcomeOf, warningProblems } = require('../tools/oracle/parts');

const repo = path.resolve(__dirname, '..', '..');
const CASE_TIMEOUT_MS = 3000;

const NODES = {
    convert: { module: 'sentinel-rows', config: {} },
    'prepare-bulk': { module: 'sentinel-bulk', config: {} },
    'filter-409': { module: 'sentinel-bulk-result', config: {} },
    'token-request': { module: 'sentinel-token-request', config: {} },
    'query-alerts': { module: 'sentinel-query', config: { table: 'SecurityAlert' } },
    'query-incidents': { module: 'sentinel-query', config: { table: 'SecurityIncident' } },
    'create-jwt': { module: 'sentinel-assertion', config: {} }
};
const loaded = {};
function nodeModule(name) {
    if (!loaded[name]) loaded[name] = load(name);
    return loaded[name];
}

function corpus(step) {
    return JSON.parse(fs.readFileSync(path.join(repo, 'tests', 'fixtures', 'oracle', `${step}.json`), 'utf8'));
}

const short = (s, n = 300) => (s.length > n ? s.slice(0, n) + `... (${s.length} chars)` : s);
function firstDiff(a, b) {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return `at char ${i}: expected ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 60))}, got ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 60))}`;
}
const ticks = async (n = 5) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

// Secrets a case's input carries: none may show in an error, a warning or a status.
function secretsOf(input) {
    const s = [
        input.elastic && input.elastic.apiKey,
        input.payload && input.payload.access_token,
        input.client_assertion
    ].filter((v) => typeof v === 'string' && v.length >= 8);
    if (input.certs && typeof input.certs.privateKeyPem === 'string') {
        // each base64 line of the PEM body would betray the key
        for (const line of input.certs.privateKeyPem.split(/\\n|\n/)) if (line.length >= 16 && !line.startsWith('-----')) s.push(line);
    }
    return s;
}

// Deploys the step's node in a flow: n1 -> out, a Catch node -> caught, a Complete node (scope
// n1) -> completed; returns run(msg, now) that sends one message and resolves with everything
// that came of it.
async function deploy(step) {
    const spec = NODES[step];
    await helper.load(nodeModule(spec.module), flow(Object.assign({ type: spec.module, name: '' }, spec.config)));
    const n1 = helper.getNode('n1');
    const out = helper.getNode('out');
    const caught = helper.getNode('caught');
    const completed = helper.getNode('completed');
    let current = null;
    let settle = null;
    const settled = () => { if (settle) { const s = settle; settle = null; s(); } };
    out.on('input', (msg) => { if (current) current.sent.push(msg); });
    caught.on('input', (msg) => { if (current) { current.caught.push(msg); settled(); } });
    completed.on('input', () => { if (current) { current.completed += 1; settled(); } });
    n1.on('call:warn', (call) => { if (current) current.warnings.push(call.args[0]); });
    n1.on('call:error', (call) => { if (current) current.errors.push(call.args[0]); });
    n1.on('call:status', (call) => { if (current) current.status.push(call.args[0]); });

    return async function run(msg, now) {
        current = { sent: [], caught: [], completed: 0, warnings: [], errors: [], status: [], timedOut: false };
        const clock = mock.method(Date, 'now', () => Date.parse(now));
        try {
            const done = new Promise((resolve) => { settle = resolve; });
            let timer;
            const timeout = new Promise((resolve) => { timer = setTimeout(() => { current.timedOut = true; resolve(); }, CASE_TIMEOUT_MS); });
            n1.receive(msg);
            await Promise.race([done, timeout]);
            clearTimeout(timer);
            await ticks(); // a send made before done() is delivered by now; anything late shows too
            const result = current;
            current = null;
            settle = null;
            return result;
        } finally {
            clock.mock.restore();
        }
    };
}

// Differences between two whole messages: property order, values (strings byte for byte), key
// order at every depth.
function messageDiff(want, got) {
    const problems = [];
    const wk = Object.keys(want), gk = Object.keys(got);
    if (wk.join('\u0000') !== gk.join('\u0000')) problems.push(`properties [${wk.join(',')}] expected, got [${gk.join(',')}]`);
    for (const k of wk) {
        if (!Object.prototype.hasOwnProperty.call(got, k)) { problems.push(`msg.${k} missing`); continue; }
        const w = want[k], g = got[k];
        if (typeof w === 'string') {
            if (g !== w) problems.push(`msg.${k} differs ${typeof g === 'string' ? firstDiff(w, g) : `: expected a string, got ${short(String(encode(g)))}`}`);
            continue;
        }
        const ew = encode(w), eg = encode(g);
        if (ew !== eg) { problems.push(`msg.${k} differs ${firstDiff(String(ew), String(eg))}`); continue; }
        const d = keyOrderDiff(w, g, `msg.${k}`);
        if (d) problems.push(`key order ${d}`);
    }
    for (const k of gk) if (!wk.includes(k)) problems.push(`extra msg.${k} = ${short(String(encode(got[k])), 160)}`);
    return problems;
}

// The message the original would have sent for a deliberate case that sends: the input, with
// the expected parts set in the order the original sets them (and, for prepare-bulk, msg.elastic
// defaulted to {} first, as the original does).
function deliberateMessage(step, input, parts) {
    const msg = decode(JSON.stringify(input));
    if (step === 'prepare-bulk') msg.elastic = msg.elastic || {};
    for (const k of PARTS[step]) if (Object.prototype.hasOwnProperty.call(parts, k)) msg[k] = decode(JSON.stringify(parts[k]));
    return msg;
}

function withoutMsgid(msg) {
    const copy = {};
    for (const k of Object.keys(msg)) if (k !== '_msgid') copy[k] = msg[k];
    return copy;
}

// Problems with what our node did for one case (empty when it matches).
function check(step, kase, r) {
    const problems = [];
    const secrets = secretsOf(kase.input);
    const said = [
        ...r.warnings.map(String),
        ...r.errors.map((e) => (e instanceof Error ? `${e.message}\n${e.stack}` : String(e))),
        ...r.caught.map((m) => String(m.error && m.error.message)),
        ...r.status.map((s) => JSON.stringify(s))
    ];
    for (const line of said) for (const s of secrets) if (line.includes(s)) { problems.push(`a secret shows in: ${short(line, 120)}`); break; }
    if (r.timedOut) problems.push(`neither done() nor an error within ${CASE_TIMEOUT_MS} ms`);
    if (r.completed + r.caught.length > 1) problems.push(`finished ${r.completed + r.caught.length} times`);

    const expected = kase.deliberate ? kase.expected : outcomeOf(step, kase.output);
    if (expected.throws) {
        if (r.sent.length) problems.push(`expected an error, got a message ${short(encode(withoutMsgid(r.sent[0])))}`);
        if (!r.caught.length) problems.push('expected an error at the Catch node, none came');
        else {
            const e = r.caught[0].error || {};
            if (!e.message) problems.push('the error at the Catch node has no message');
            if (!e.source || e.source.id !== 'n1') problems.push(`the error at the Catch node is not from n1: ${JSON.stringify(e.source)}`);
        }
        return problems;
    }
    if (r.caught.length) problems.push(`error ${JSON.stringify(r.caught[0].error && r.caught[0].error.message)}`);
    if (expected.none) {
        if (r.sent.length) problems.push(`expected no message, got ${short(encode(withoutMsgid(r.sent[0])))}`);
        if (!r.completed && !r.caught.length) problems.push('done() was not called');
    } else if (!r.sent.length) {
        problems.push('expected a message, got none');
    } else {
        if (r.sent.length > 1) problems.push(`sent ${r.sent.length} messages`);
        const want = kase.deliberate
            ? deliberateMessage(step, kase.input, expected.parts)
            : decode(JSON.stringify(kase.output.msg));
        problems.push(...messageDiff(want, withoutMsgid(r.sent[0])));
    }
    const warnings = r.warnings.map(String);
    problems.push(...warningProblems(kase, expected, warnings));
    return problems;
}

async function runStep(t, step) {
    const cases = corpus(step);
    const run = await deploy(step);
    const failed = [];
    const counts = { sent: 0, none: 0, errors: 0, warnings: 0, deliberate: 0 };
    for (const kase of cases) {
        const r = await run(decode(JSON.stringify(kase.input)), kase.now);
        counts.sent += r.sent.length;
        counts.errors += r.caught.length;
        if (!r.sent.length && !r.caught.length) counts.none += 1;
        counts.warnings += r.warnings.length;
        if (kase.deliberate) counts.deliberate += 1;
        const problems = check(step, kase, r);
        if (problems.length) failed.push(`  ${kase.deliberate ? '[deliberate] ' : ''}${kase.name}: ${problems.map((p) => short(p, 500)).join('; ')}`);
    }
    t.diagnostic(`${step}: ${cases.length} cases (${counts.deliberate} deliberate): ${counts.sent} messages, ${counts.none} sent nothing, ${counts.errors} errors at the Catch node, ${counts.warnings} warnings; ${cases.length - failed.length} match`);
    if (failed.length) assert.fail(`${step}: ${failed.length} of ${cases.length} cases differ\n${failed.join('\n')}`);
}

// create-jwt: the shape of the claims (the original's jti is random, its signature came from a
// third-party node), the message around them, and the JWS carrying exactly those claims.
async function runCreateJwt(t) {
    const cases = corpus('create-jwt');
    const run = await deploy('create-jwt');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const failed = [];
    for (const kase of cases) {
        const input = Object.assign(decode(JSON.stringify(kase.input)), { certs: { privateKeyPem: keyPem } });
        const r = await run(input, kase.now);
        const problems = [];
        for (const line of [...r.errors.map((e) => String(e && e.message)), ...r.caught.map((m) => String(m.error && m.error.message))]) {
            for (const s of secretsOf(input)) if (line.includes(s)) problems.push('an error shows the private key');
        }
        const expectedError = kase.deliberate ? !!kase.expected.throws : outcomeOf('create-jwt', kase.output).throws;
        if (r.timedOut) problems.push(`neither done() nor an error within ${CASE_TIMEOUT_MS} ms`);
        if (expectedError) {
            if (r.sent.length) problems.push('expected an error, got a message');
            if (!r.caught.length) problems.push('expected an error at the Catch node, none came');
        } else if (!r.sent.length) {
            problems.push(`expected a message, got none${r.caught.length ? ` (error ${JSON.stringify(r.caught[0].error.message)})` : ''}`);
        } else {
            const got = withoutMsgid(r.sent[0]);
            const original = kase.output.msg;
            // ours carries msg.certs (given in the input: the original flow's jwt sign node read
            // it from there) and msg.client_assertion (what that jwt sign node added)
            const keys = Object.keys(got).filter((k) => k !== 'certs' && k !== 'client_assertion');
            if (keys.join(',') !== Object.keys(original).join(',')) problems.push(`properties [${keys}] instead of [${Object.keys(original)}]`);
            if (encode(got.oauth) !== encode(original.oauth)) problems.push('msg.oauth changed');
            const claims = got.payload || {};
            const order = Object.keys(claims).join(',');
            if (order !== [...Object.keys(original.payload), 'exp'].join(',')) problems.push(`claim order ${order}`);
            for (const k of ['iss', 'sub', 'aud', 'iat', 'nbf']) if (claims[k] !== original.payload[k]) problems.push(`${k} ${JSON.stringify(claims[k])} instead of ${JSON.stringify(original.payload[k])}`);
            if (claims.exp !== original.payload.iat + 600) problems.push(`exp ${claims.exp} is not iat + 600`);
            if (!uuid.test(claims.jti) || !uuid.test(original.payload.jti)) problems.push(`jti ${claims.jti} is not a v4 UUID`);
            const parts = String(got.client_assertion).split('.');
            if (parts.length !== 3) problems.push('msg.client_assertion is not a compact JWS');
            else if (Buffer.from(parts[1], 'base64url').toString('utf8') !== JSON.stringify(claims)) problems.push('the JWS payload is not msg.payload, in order');
        }
        if (problems.length) failed.push(`  ${kase.deliberate ? '[deliberate] ' : ''}${kase.name}: ${problems.join('; ')}`);
    }
    t.diagnostic(`create-jwt: ${cases.length} cases, ${cases.length - failed.length} match`);
    if (failed.length) assert.fail(`create-jwt: ${failed.length} of ${cases.length} cases differ\n${failed.join('\n')}`);
}

describe('fidelity of the nodes in Node-RED with the original flow (tests/fixtures/oracle)', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    it('convert: sentinel-rows sends what "convert the payload to usable format" sent', (t) => runStep(t, 'convert'));
    it('prepare-bulk: sentinel-bulk sends what "prepare the payload for ingest in elastic" sent (NDJSON byte for byte)', (t) => runStep(t, 'prepare-bulk'));
    it('filter-409: sentinel-bulk-result sends what "remove 409 errors" sent', (t) => runStep(t, 'filter-409'));
    it('token-request: sentinel-token-request sends what "create token request" sent', (t) => runStep(t, 'token-request'));
    it('query-alerts: sentinel-query (table SecurityAlert) sends what "get Sentinel alerts" sent', (t) => runStep(t, 'query-alerts'));
    it('query-incidents: sentinel-query (table SecurityIncident) sends what "get Sentinel incidents" sent', (t) => runStep(t, 'query-incidents'));
    it('create-jwt: sentinel-assertion claims have the original shape, plus exp', (t) => runCreateJwt(t));
});
