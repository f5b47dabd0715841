'use strict';
// The client assertion made by the WebAssembly core is the token the original flow's
// "jwt sign" node (node-red-contrib-jsonwebtoken, built on jsonwebtoken) made, byte for byte for
// RS256, and a PS256 token that node:crypto and jose accept.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { execSync } = require('node:child_process');
const jwt = require('jsonwebtoken');

const ROOT = path.resolve(__dirname, '..', '..');
const core = require(path.join(ROOT, 'node-red', 'lib', 'core.js'));

const KEYS = path.join(ROOT, 'tests', 'fixtures', 'keys');
const read = (name) => fs.readFileSync(path.join(KEYS, name), 'utf8');
const KEY_PEM = read('key.pem');
const KEY_PKCS1 = read('key-pkcs1.pem');
const KEY_ONE_LINE = read('key-oneline.txt');
const CERT_PEM = read('cert.pem');
const OTHER_KEY_PEM = read('other-key.pem');
const EC_KEY_PEM = read('ec-key.pem');
const ENCRYPTED_KEY_PEM = read('key-encrypted.pem');

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const TENANT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const JTI = '0f8fad5b-d9cb-469f-a165-70867728950e';
const NOW = 1763546400;
const TOKEN_URL = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`;

const decodePart = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** The thumbprint pipeline of the article, run now on the fixture certificate. */
function opensslThumbprint(digest) {
  const cert = path.join(KEYS, 'cert.pem');
  return execSync(
    `openssl x509 -in '${cert}' -outform der | openssl dgst -${digest} -binary | base64 | tr '+/' '-_' | tr -d '='`,
    { encoding: 'utf8', shell: '/bin/sh' },
  ).trim();
}

let hasOpenssl = true;
try {
  execSync('openssl version', { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

const X5T = read('x5t.txt').trim();
const X5T_S256 = read('x5t-s256.txt').trim();

function fixedOptions(overrides = {}) {
  return { clientId: CLIENT_ID, tenantId: TENANT_ID, kid: X5T, x5t: X5T, now: NOW, jti: JTI, ...overrides };
}

test('thumbprints equal the openssl pipeline run on the certificate', { skip: !hasOpenssl && 'openssl not installed' }, () => {
  const expected = { x5t: opensslThumbprint('sha1'), x5tS256: opensslThumbprint('sha256') };
  assert.deepEqual(core.thumbprints(CERT_PEM), expected);
  assert.deepEqual(core.thumbprints(CERT_PEM.trimEnd().replace(/\n/g, '\\n')), expected, 'one-line form');
  assert.equal(expected.x5t, X5T, 'committed fixture still matches');
});

test('an RS256 assertion is byte-identical to node:crypto over the same header and claims', () => {
  const key = core.parseKey(KEY_PEM);
  const { assertion, claims } = core.createAssertion(key, fixedOptions());
  const [header64, claims64, signature64] = assertion.split('.');
  assert.equal(
    Buffer.from(header64, 'base64url').toString(),
    JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: X5T, x5t: X5T }),
  );
  const expectedClaims = { iss: CLIENT_ID, sub: CLIENT_ID, aud: TOKEN_URL, jti: JTI, iat: NOW, nbf: NOW, exp: NOW + 600 };
  assert.equal(Buffer.from(claims64, 'base64url').toString(), JSON.stringify(expectedClaims), 'claims bytes and key order');
  assert.equal(JSON.stringify(claims), JSON.stringify(expectedClaims), 'claims object and key order');
  const signature = crypto.sign('sha256', Buffer.from(`${header64}.${claims64}`), KEY_PEM);
  assert.equal(signature64, signature.toString('base64url'));
  assert.equal(
    assertion,
    `${read('rs256-signing-input.txt').trim()}.${read('rs256-signature.txt').trim()}`,
    'equals the committed openssl signature',
  );
});

test('an RS256 assertion is byte-identical to jsonwebtoken, the original sign node', () => {
  const key = core.parseKey(KEY_PEM);
  const now = Math.floor(Date.now() / 1000);
  const { assertion, claims } = core.createAssertion(key, fixedOptions({ now, jti: undefined }));
  const expected = jwt.sign(claims, KEY_PEM, {
    algorithm: 'RS256',
    header: { alg: 'RS256', typ: 'JWT', kid: X5T, x5t: X5T },
  });
  assert.equal(assertion, expected);
  const verified = jwt.verify(assertion, crypto.createPublicKey(KEY_PEM), {
    algorithms: ['RS256'],
    audience: TOKEN_URL,
    issuer: CLIENT_ID,
  });
  assert.equal(verified.sub, CLIENT_ID);
  assert.match(verified.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'random uuid v4 jti');
  assert.equal(verified.exp, now + 600);
});

test('PKCS#1 and one-line PEMs give the same RS256 token as PKCS#8', () => {
  const tokens = [KEY_PEM, KEY_PKCS1, KEY_ONE_LINE, KEY_PEM.replace(/\n/g, '\r\n'), `  ${KEY_PEM}\n\n`].map(
    (pem) => core.createAssertion(core.parseKey(pem), fixedOptions()).assertion,
  );
  for (const token of tokens.slice(1)) assert.equal(token, tokens[0]);
});

test('a PS256 assertion verifies with node:crypto (PSS, salt 32) and with jose', async () => {
  const jose = await import('jose');
  const key = core.parseKey(KEY_ONE_LINE);
  const now = Math.floor(Date.now() / 1000);
  const { assertion } = core.createAssertion(key, {
    clientId: CLIENT_ID,
    tenantId: TENANT_ID,
    algorithm: 'PS256',
    kid: X5T,
    x5tS256: X5T_S256,
    now,
  });
  const [header64, claims64, signature64] = assertion.split('.');
  assert.deepEqual(decodePart(header64), { alg: 'PS256', typ: 'JWT', kid: X5T, 'x5t#S256': X5T_S256 });
  const publicKey = crypto.createPublicKey(KEY_PEM);
  const verify = (pub) =>
    crypto.verify(
      'sha256',
      Buffer.from(`${header64}.${claims64}`),
      { key: pub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      Buffer.from(signature64, 'base64url'),
    );
  assert.equal(verify(publicKey), true);
  assert.equal(verify(crypto.createPublicKey(OTHER_KEY_PEM)), false, 'another key does not verify it');
  const { payload, protectedHeader } = await jose.jwtVerify(assertion, publicKey, {
    algorithms: ['PS256'],
    audience: TOKEN_URL,
    issuer: CLIENT_ID,
    subject: CLIENT_ID,
  });
  assert.equal(protectedHeader['x5t#S256'], X5T_S256);
  assert.equal(payload.exp, now + 600);
  const again = core.createAssertion(key, { clientId: CLIENT_ID, tenantId: TENANT_ID, algorithm: 'PS256', now, jti: JTI });
  const third = core.createAssertion(key, { clientId: CLIENT_ID, tenantId: TENANT_ID, algorithm: 'PS256', now, jti: JTI });
  assert.notEqual(again.assertion, third.assertion, 'PSS salt is random');
});

test('every key size signs as node:crypto does: fixtures and keys generated now', async () => {
  // The fixtures cover 3072 and 4096 bits and a 2049-bit key with e = 3 whose primes differ in
  // length; the generated keys are new on every run. RS256 must equal node:crypto byte for byte
  // (it is deterministic), PS256 must verify with node:crypto and jose.
  const jose = await import('jose');
  const generated = [2048, 2048, 2056, 3072].map((modulusLength, i) =>
    crypto.generateKeyPairSync('rsa', { modulusLength, publicExponent: i === 1 ? 3 : 65537 }).privateKey.export({ type: i % 2 ? 'pkcs1' : 'pkcs8', format: 'pem' }),
  );
  const pems = [read('key-3072.pem'), read('key-4096.pem'), read('key-2049-e3.pem'), ...generated];
  for (const [i, pem] of pems.entries()) {
    const key = core.parseKey(pem);
    const publicKey = crypto.createPublicKey(pem);
    for (const jti of [JTI, crypto.randomUUID()]) {
      const rs = core.createAssertion(key, fixedOptions({ jti })).assertion;
      const [h, c, sig] = rs.split('.');
      assert.equal(sig, crypto.sign('sha256', Buffer.from(`${h}.${c}`), pem).toString('base64url'), `key ${i}: RS256`);
      const ps = core.createAssertion(key, fixedOptions({ jti, algorithm: 'PS256', now: Math.floor(Date.now() / 1000) })).assertion;
      const [ph, pc, psig] = ps.split('.');
      const pss = { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      assert.equal(crypto.verify('sha256', Buffer.from(`${ph}.${pc}`), pss, Buffer.from(psig, 'base64url')), true, `key ${i}: PS256`);
      await jose.jwtVerify(ps, publicKey, { algorithms: ['PS256'] });
    }
  }
});

test('the authority host and lifetime reach the claims', () => {
  const key = core.parseKey(KEY_PEM);
  const { assertion, claims } = core.createAssertion(
    key,
    fixedOptions({ authorityHost: 'http://127.0.0.1:8080', lifetime: 300 }),
  );
  assert.equal(claims.aud, `http://127.0.0.1:8080/${TENANT_ID}/oauth2/v2.0/token`);
  assert.equal(claims.exp, NOW + 300);
  assert.deepEqual(decodePart(assertion.split('.')[1]), claims);
});

test('bad keys throw clear errors without key material', () => {
  const keyLines = KEY_PEM.split('\n').filter((l) => l && !l.startsWith('-----'));
  const cases = [
    ['garbage', 'not a key', /not PEM/],
    ['EC key', EC_KEY_PEM, /not an RSA key/],
    ['encrypted key', ENCRYPTED_KEY_PEM, /openssl pkcs8 -topk8 -nocrypt/],
    ['certificate', CERT_PEM, /certificate was given/],
    ['truncated', KEY_PEM.split('\n').slice(0, 8).join('\n'), /incomplete/],
  ];
  for (const [name, pem, expected] of cases) {
    assert.throws(
      () => core.parseKey(pem),
      (err) => {
        assert.ok(err instanceof Error, name);
        assert.match(err.message, expected, name);
        for (const line of keyLines) assert.ok(!err.message.includes(line.slice(0, 16)), `${name}: leaks key material`);
        return true;
      },
      name,
    );
  }
  assert.throws(() => core.thumbprints(KEY_PEM), /private key was given/);
  assert.throws(() => core.createAssertion(core.parseKey(KEY_PEM), fixedOptions({ tenantId: '../evil' })), /tenant id/);
  assert.throws(() => core.createAssertion(core.parseKey(KEY_PEM), fixedOptions({ algorithm: 'HS256' })), /RS256/);
});
