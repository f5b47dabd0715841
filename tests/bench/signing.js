'use strict';
// RS256 client assertions: the package with a key parsed once (core.parseKey, as the
// sentinel-assertion node caches it) against node:crypto signing from the PEM each time (the
// key parsed on every call, as the original's jwt sign node does) and jsonwebtoken from the PEM.
// Each signs the same kind of header and claims; runs alternate; p50/p99 per signature.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { now, percentile } = require('./stats');

const ROOT = path.join(__dirname, '..', '..');
const KEYS = path.join(ROOT, 'tests', 'fixtures', 'keys');
const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

const b64url = (s) => Buffer.from(s).toString('base64url');

function claimsFor(iat, jti) {
    return { iss: CLIENT, sub: CLIENT, aud: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, jti, iat, nbf: iat, exp: iat + 600 };
}

function benchSigning(iterations) {
    const core = require(path.join(ROOT, 'node-red', 'lib', 'core'));
    const jwt = require('jsonwebtoken');
    const pem = fs.readFileSync(path.join(KEYS, 'key.pem'), 'utf8');
    const publicKey = fs.readFileSync(path.join(KEYS, 'public-key.pem'), 'utf8');
    const x5t = fs.readFileSync(path.join(KEYS, 'x5t.txt'), 'utf8').trim();
    const header = { alg: 'RS256', typ: 'JWT', kid: x5t, x5t };
    const key = core.parseKey(pem);
    const keyObject = crypto.createPrivateKey(pem);

    const sec = () => Math.floor(Date.now() / 1000);
    const viaCrypto = (k) => {
        const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claimsFor(sec(), crypto.randomUUID())))}`;
        return `${input}.${crypto.sign('sha256', Buffer.from(input), k).toString('base64url')}`;
    };
    const variants = [
        { id: 'wasm', label: 'core.createAssertion, cached key (package)', sign: () => core.createAssertion(key, { clientId: CLIENT, tenantId: TENANT, kid: x5t, x5t }).assertion },
        { id: 'pem', label: 'node:crypto sign, key from PEM each time', sign: () => viaCrypto(pem) },
        { id: 'keyobject', label: 'node:crypto sign, cached KeyObject (info)', sign: () => viaCrypto(keyObject) },
        { id: 'jsonwebtoken', label: 'jsonwebtoken.sign, key from PEM', sign: () => jwt.sign(claimsFor(sec(), crypto.randomUUID()), pem, { algorithm: 'RS256', header: { kid: x5t, x5t }, noTimestamp: true }) },
    ];

    // Correctness: the package's assertion for a fixed time and jti is the one node:crypto makes
    // from the same header and claims (RS256 is deterministic), and it verifies with the public key.
    const fixed = core.createAssertion(key, { clientId: CLIENT, tenantId: TENANT, kid: x5t, x5t, now: 1763546400, jti: '0f8fad5b-d9cb-469f-a165-70867728950e' }).assertion;
    const [h, c, s] = fixed.split('.');
    const expectedSig = crypto.sign('sha256', Buffer.from(`${h}.${c}`), pem).toString('base64url');
    const verified = crypto.verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url'));
    const problems = [];
    if (s !== expectedSig) problems.push('the package signature differs from node:crypto for the same signing input');
    if (!verified) problems.push('the package signature does not verify with the public key');
    for (const v of variants) {
        const [hh, cc, ss] = v.sign().split('.');
        if (!crypto.verify('sha256', Buffer.from(`${hh}.${cc}`), publicKey, Buffer.from(ss, 'base64url'))) problems.push(`${v.id}: signature does not verify`);
    }

    const samples = Object.fromEntries(variants.map((v) => [v.id, []]));
    for (let i = 0; i < Math.min(20, iterations); i += 1) variants.forEach((v) => v.sign());
    for (let i = 0; i < iterations; i += 1) {
        for (const v of variants) {
            const t0 = now();
            v.sign();
            samples[v.id].push(now() - t0);
        }
    }
    const rows = variants.map((v) => ({ id: v.id, label: v.label, p50: percentile(samples[v.id], 50), p99: percentile(samples[v.id], 99) }));
    return { rows, problems, iterations };
}

module.exports = { benchSigning };
