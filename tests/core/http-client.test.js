'use strict';
// node-red/lib/http.js against local servers on 127.0.0.1: plain and TLS targets, a forwarding and
// CONNECT proxy written here, and certificates made at test time with the openssl CLI (a CA, a server
// certificate for 127.0.0.1/localhost and a client certificate).

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const zlib = require('node:zlib');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');

const LIB = path.resolve(__dirname, '..', '..', 'node-red', 'lib', 'http.js');
const { request, proxyFor, fromNodeRed, retryAfterMs, closeAgents, HttpError } = require(LIB);

// The machine's own proxy settings must not route these requests.
for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[k];

// --- certificates ---------------------------------------------------------------------------------

let certs = null;
let certError = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-client-test-'));

function makeCerts() {
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=http-client test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const leaf = (name, ext, serial) => {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial,
      '-days', '2', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  };
  leaf('server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n', '2');
  leaf('client', 'extendedKeyUsage=clientAuth\n', '3');
  const read = (f) => fs.readFileSync(path.join(dir, f));
  return {
    caFile: path.join(dir, 'ca.pem'), ca: read('ca.pem'),
    serverKey: read('server.key'), serverCert: read('server.pem'),
    clientKey: read('client.key'), clientCert: read('client.pem'),
  };
}

before(() => {
  try {
    certs = makeCerts();
  } catch (e) {
    certError = e;
  }
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => closeAgents());
const needCerts = (t) => {
  if (!certs) t.skip(`openssl could not make test certificates: ${certError && certError.message}`);
  return !!certs;
};

// --- servers --------------------------------------------------------------------------------------

const open = new Set();
after(() => {
  for (const close of open) close();
});

// Listens on 127.0.0.1; `close()` also destroys every socket it saw (keep-alive, tunnels).
async function serve(server) {
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => sockets.add(s));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const s of sockets) s.destroy();
    server.close();
    open.delete(close);
  };
  open.add(close);
  return { server, port: server.address().port, sockets, close };
}

// Answers every request with a JSON echo of what it received.
function echo(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(req.url.startsWith('/status/') ? Number(req.url.slice(8)) : 200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
}

const httpsOptions = (extra = {}) => ({ key: certs.serverKey, cert: certs.serverCert, ...extra });

// A proxy: absolute-URI requests are forwarded, CONNECT opens a tunnel. `seen` records what came in.
async function startProxy({ auth, connectStatus = 200, secure = false } = {}) {
  const seen = [];
  const authorized = (req) => !auth || req.headers['proxy-authorization'] === auth;
  const forward = (req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    if (!authorized(req)) return res.writeHead(407).end();
    const target = new URL(req.url);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers, agent: false },
      (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  };
  const server = secure ? https.createServer(httpsOptions(), forward) : http.createServer(forward);
  const handle = await serve(server);
  server.on('connect', (req, client, head) => {
    seen.push({ method: 'CONNECT', url: req.url, headers: req.headers });
    client.on('error', () => {});
    if (!authorized(req)) return client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    if (connectStatus !== 200) return client.end(`HTTP/1.1 ${connectStatus} Nope\r\n\r\n`);
    const [, host, port] = /^\[?(.*?)\]?:(\d+)$/.exec(req.url);
    const up = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client).pipe(up);
    });
    handle.sockets.add(up);
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
  });
  return { ...handle, seen, url: `${secure ? 'https' : 'http'}://127.0.0.1:${handle.port}` };
}

async function freePort() {
  const { port, close } = await serve(net.createServer());
  close();
  return port;
}

// --- plain requests -------------------------------------------------------------------------------

test('GET resolves with status, headers and body; Accept-Encoding is sent', async () => {
  const { port } = await serve(http.createServer(echo));
  const res = await request({ url: `http://127.0.0.1:${port}/a/b?x=1`, headers: { 'X-Test': 'yes' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.ok(Buffer.isBuffer(res.body));
  const got = JSON.parse(res.body);
  assert.equal(got.method, 'GET');
  assert.equal(got.url, '/a/b?x=1');
  assert.equal(got.headers['x-test'], 'yes');
  assert.equal(got.headers['accept-encoding'], 'gzip, deflate, br');
  assert.equal(got.headers['content-length'], undefined);
});

test('POST sends the body with Content-Length; a 4xx status resolves', async () => {
  const { port } = await serve(http.createServer(echo));
  const body = 'grant_type=client_credentials&scope=é';
  const res = await request({ method: 'post', url: `http://127.0.0.1:${port}/status/400`, body, gzip: false });
  assert.equal(res.status, 400);
  const got = JSON.parse(res.body);
  assert.equal(got.method, 'POST');
  assert.equal(got.body, body);
  assert.equal(got.headers['content-length'], String(Buffer.byteLength(body)));
  assert.equal(got.headers['accept-encoding'], undefined);
  const buf = await request({ method: 'PUT', url: `http://127.0.0.1:${port}/`, body: Buffer.from([1, 2, 3]) });
  assert.equal(JSON.parse(buf.body).headers['content-length'], '3');
});

test('a gzip response body is decoded (and left alone with gzip: false)', async () => {
  const text = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => `row ${i}`) });
  const { port } = await serve(http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Encoding': 'gzip' });
    res.end(zlib.gzipSync(text));
  }));
  const res = await request({ url: `http://127.0.0.1:${port}/` });
  assert.equal(res.body.toString(), text);
  const raw = await request({ url: `http://127.0.0.1:${port}/`, gzip: false });
  assert.equal(zlib.gunzipSync(raw.body).toString(), text);
});

test('deflate (zlib and raw) and br response bodies are decoded', async () => {
  const text = 'x'.repeat(10000);
  const encoders = { '/deflate': ['deflate', zlib.deflateSync], '/raw': ['deflate', zlib.deflateRawSync], '/br': ['br', zlib.brotliCompressSync] };
  const { port } = await serve(http.createServer((req, res) => {
    const [encoding, encode] = encoders[req.url];
    res.writeHead(200, { 'Content-Encoding': encoding });
    res.end(encode(text));
  }));
  for (const p of Object.keys(encoders)) {
    assert.equal((await request({ url: `http://127.0.0.1:${port}${p}` })).body.toString(), text, p);
  }
});

test('a body past maxBodyBytes rejects with EMSGSIZE, also when it only grows past it decoded', async () => {
  const { port } = await serve(http.createServer((req, res) => {
    if (req.url === '/bomb') {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      return res.end(zlib.gzipSync(Buffer.alloc(100000)));
    }
    res.end(Buffer.alloc(2000));
  }));
  await assert.rejects(request({ url: `http://127.0.0.1:${port}/big`, maxBodyBytes: 1000 }), { code: 'EMSGSIZE', message: /response body over 1000 bytes/ });
  await assert.rejects(request({ url: `http://127.0.0.1:${port}/bomb`, maxBodyBytes: 50000 }), { code: 'EMSGSIZE' });
  assert.equal((await request({ url: `http://127.0.0.1:${port}/bomb`, maxBodyBytes: 100000 })).body.length, 100000);
});

test('timeoutMs bounds the whole request: ETIMEDOUT soon after it', async () => {
  const { port } = await serve(http.createServer((req, res) => setTimeout(() => res.end('late'), 5000).unref()));
  const started = Date.now();
  await assert.rejects(request({ url: `http://127.0.0.1:${port}/slow`, timeoutMs: 200 }), (e) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.code, 'ETIMEDOUT');
    assert.equal(e.message, `GET http://127.0.0.1:${port} failed: timed out after 200 ms (ETIMEDOUT)`);
    return true;
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 190 && elapsed < 1500, `took ${elapsed} ms`);
});

test('an aborted signal rejects with ABORT_ERR', async () => {
  const { port } = await serve(http.createServer(() => {}));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(request({ url: `http://127.0.0.1:${port}/`, signal: ac.signal }), { code: 'ABORT_ERR' });
  await assert.rejects(request({ url: `http://127.0.0.1:${port}/`, signal: AbortSignal.abort() }), { code: 'ABORT_ERR' });
});

test('ECONNREFUSED names method and origin, never the query, headers or body', async () => {
  const port = await freePort();
  await assert.rejects(request({
    method: 'POST', url: `http://user:pw-secret@127.0.0.1:${port}/_bulk?sig=query-secret`,
    headers: { Authorization: 'ApiKey header-secret' }, body: 'body-secret',
  }), (e) => {
    assert.equal(e.code, 'ECONNREFUSED');
    assert.equal(e.message, `POST http://127.0.0.1:${port} failed: connection refused (ECONNREFUSED)`);
    assert.doesNotMatch(`${e.message} ${e.stack}`, /secret|_bulk/);
    return true;
  });
});

test('an invalid header value is reported without the value', async () => {
  const { port } = await serve(http.createServer(echo));
  await assert.rejects(request({ url: `http://127.0.0.1:${port}/`, headers: { Authorization: 'Bearer tok-secret\n' } }), (e) => {
    assert.doesNotMatch(e.message, /secret/);
    assert.match(e.message, new RegExp(`^GET http://127.0.0.1:${port} failed: `));
    return true;
  });
});

test('a reused keep-alive socket closed by the server is retried once on a new one', async () => {
  const perSocket = new WeakMap();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const n = (perSocket.get(req.socket) || 0) + 1;
    perSocket.set(req.socket, n);
    if (n > 1) return req.socket.destroy(); // as a server that timed the idle socket out just then
    res.end('ok');
  });
  server.on('connection', () => connections++);
  const { port } = await serve(server);
  const url = `http://127.0.0.1:${port}/`;
  assert.equal((await request({ url })).body.toString(), 'ok');
  assert.equal((await request({ method: 'POST', url, body: 'x' })).body.toString(), 'ok');
  assert.equal(connections, 2);
});

// --- proxies --------------------------------------------------------------------------------------

test('http: through a proxy: absolute URI in the request line, Proxy-Authorization when set', async () => {
  const { port } = await serve(http.createServer(echo));
  const proxy = await startProxy({ auth: `Basic ${Buffer.from('alice:s3cr:et').toString('base64')}` });
  const url = `http://127.0.0.1:${port}/q?x=1`;
  const res = await request({ url, proxy: { url: proxy.url, username: 'alice', password: 's3cr:et' }, headers: { Authorization: 'Bearer t' } });
  assert.equal(res.status, 200);
  assert.equal(proxy.seen.length, 1);
  assert.equal(proxy.seen[0].url, url);
  assert.equal(proxy.seen[0].headers.host, `127.0.0.1:${port}`);
  assert.equal(JSON.parse(res.body).headers.authorization, 'Bearer t');
  assert.equal(JSON.parse(res.body).url, '/q?x=1');
  // without credentials: no Proxy-Authorization, and this proxy answers 407 (a status, so it resolves)
  const denied = await request({ url, proxy: { url: proxy.url } });
  assert.equal(denied.status, 407);
  assert.equal(proxy.seen[1].headers['proxy-authorization'], undefined);
});

test('a proxy object is bypassed for hosts in its noProxy list', async () => {
  const { port } = await serve(http.createServer(echo));
  const proxy = await startProxy();
  const res = await request({ url: `http://127.0.0.1:${port}/`, proxy: { url: proxy.url, noProxy: ['localhost', '127.0.0.1'] } });
  assert.equal(res.status, 200);
  assert.equal(proxy.seen.length, 0);
});

test('HTTP_PROXY from the environment is used when proxy is undefined, ignored when proxy is null', async () => {
  const { port } = await serve(http.createServer(echo));
  const proxy = await startProxy();
  process.env.HTTP_PROXY = proxy.url;
  try {
    await request({ url: `http://127.0.0.1:${port}/via-env` });
    assert.deepEqual(proxy.seen.map((s) => s.url), [`http://127.0.0.1:${port}/via-env`]);
    await request({ url: `http://127.0.0.1:${port}/direct`, proxy: null });
    assert.equal(proxy.seen.length, 1);
    process.env.NO_PROXY = '127.0.0.1';
    await request({ url: `http://127.0.0.1:${port}/no-proxy` });
    assert.equal(proxy.seen.length, 1);
  } finally {
    delete process.env.HTTP_PROXY;
    delete process.env.NO_PROXY;
  }
});

test('https: through a CONNECT tunnel with a custom CA succeeds; without the CA it fails', async (t) => {
  if (!needCerts(t)) return;
  const { port } = await serve(https.createServer(httpsOptions(), echo));
  const proxy = await startProxy({ auth: `Basic ${Buffer.from('bob:pw').toString('base64')}` });
  const url = `https://127.0.0.1:${port}/x?y=2`;
  const proxyOpt = { url: proxy.url, username: 'bob', password: 'pw' };
  const res = await request({ url, proxy: proxyOpt, tls: { ca: certs.ca } });
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.body).url, '/x?y=2');
  assert.equal(proxy.seen[0].method, 'CONNECT');
  assert.equal(proxy.seen[0].url, `127.0.0.1:${port}`);
  assert.ok(proxy.seen[0].headers['proxy-authorization']);
  // keep-alive: a second request goes through the same tunnel
  await request({ url, proxy: proxyOpt, tls: { ca: certs.ca } });
  assert.equal(proxy.seen.length, 1);
  await assert.rejects(request({ url, proxy: proxyOpt }), (e) => {
    assert.match(e.code, /SELF_SIGNED|UNABLE_TO_(VERIFY|GET)/);
    assert.ok(e.message.startsWith(`GET https://127.0.0.1:${port} via proxy ${proxy.url} failed: `), e.message);
    return true;
  });
  // servername: the certificate holds 127.0.0.1 and localhost, not this name
  await assert.rejects(request({ url, proxy: proxyOpt, tls: { ca: certs.ca, servername: 'elsewhere.example' } }), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
});

test('a CONNECT answered with a status other than 200 rejects with EPROXY', async (t) => {
  if (!needCerts(t)) return;
  const proxy = await startProxy({ connectStatus: 403 });
  await assert.rejects(request({ url: 'https://127.0.0.1:1/secret-path', proxy: { url: proxy.url } }), (e) => {
    assert.equal(e.code, 'EPROXY');
    assert.equal(e.status, 403);
    assert.equal(e.message, `GET https://127.0.0.1:1 via proxy ${proxy.url} failed: proxy answered CONNECT with 403 Nope (EPROXY)`);
    return true;
  });
  const auth = await startProxy({ auth: 'Basic x' });
  await assert.rejects(request({ url: 'https://127.0.0.1:1/', proxy: { url: auth.url } }), { code: 'EPROXY', status: 407 });
});

test('an https: proxy carries plain and CONNECT requests (verified with tls.ca)', async (t) => {
  if (!needCerts(t)) return;
  const plain = await serve(http.createServer(echo));
  const secure = await serve(https.createServer(httpsOptions(), echo));
  const proxy = await startProxy({ secure: true });
  const tlsOpt = { ca: certs.ca };
  assert.equal((await request({ url: `http://127.0.0.1:${plain.port}/p`, proxy: { url: proxy.url }, tls: tlsOpt })).status, 200);
  assert.equal((await request({ url: `https://127.0.0.1:${secure.port}/s`, proxy: { url: proxy.url }, tls: tlsOpt })).status, 200);
  assert.deepEqual(proxy.seen.map((s) => s.method), ['GET', 'CONNECT']);
});

test('https: direct with tls.ca; connections are kept alive across requests', async (t) => {
  if (!needCerts(t)) return;
  let connections = 0;
  const server = https.createServer(httpsOptions(), echo);
  server.on('secureConnection', () => connections++);
  const { port } = await serve(server);
  for (let i = 0; i < 3; i++) assert.equal((await request({ url: `https://localhost:${port}/`, tls: { ca: certs.ca } })).status, 200);
  assert.equal(connections, 1);
  await assert.rejects(request({ url: `https://localhost:${port}/` }), (e) => /SELF_SIGNED|UNABLE_TO/.test(e.code));
});

test('mutual TLS: a server that requires a client certificate accepts tls.cert/key', async (t) => {
  if (!needCerts(t)) return;
  const server = https.createServer(httpsOptions({ ca: certs.ca, requestCert: true, rejectUnauthorized: true }), (req, res) => {
    res.end(req.socket.getPeerCertificate().subject.CN);
  });
  const { port } = await serve(server);
  const url = `https://127.0.0.1:${port}/`;
  const res = await request({ url, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
  assert.equal(res.body.toString(), 'client');
  await assert.rejects(request({ url, tls: { ca: certs.ca } }), (e) => e instanceof HttpError && e.message.startsWith(`GET ${url.slice(0, -1)} failed: `));
  // and through a tunnel
  const proxy = await startProxy();
  const tunnelled = await request({ url, proxy: { url: proxy.url }, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
  assert.equal(tunnelled.body.toString(), 'client');
});

// --- proxyFor -------------------------------------------------------------------------------------

test('proxyFor: NO_PROXY rules as curl has them', () => {
  const P = 'http://proxy.corp:3128';
  const cases = [
    // [no_proxy, url, bypassed?]
    ['', 'https://example.com/', false],
    ['*', 'https://anything.example/', true],
    ['example.com', 'https://example.com/', true],
    ['example.com', 'https://sub.example.com/', true],
    ['example.com', 'https://deep.sub.example.com/', true],
    ['example.com', 'https://notexample.com/', false],
    ['.example.com', 'https://sub.example.com/', true],
    ['.example.com', 'https://example.com/', true],
    ['*.example.com', 'https://sub.example.com/', true],
    ['EXAMPLE.Com', 'https://Sub.example.COM/', true],
    ['example.com.', 'https://example.com/', true],
    ['example.com:9200', 'https://example.com:9200/', true],
    ['example.com:9200', 'https://example.com/', false],
    ['example.com:443', 'https://example.com/', true],
    ['example.com:80', 'http://sub.example.com/', true],
    ['10.0.0.5', 'http://10.0.0.5:9200/', true],
    ['10.0.0.5', 'http://10.0.0.50/', false],
    ['0.0.5', 'http://10.0.0.5/', false],
    ['10.0.0.0/8', 'http://10.20.30.40/', true],
    ['10.0.0.0/8', 'http://11.0.0.1/', false],
    ['::1', 'http://[::1]:8080/', true],
    ['[::1]:8080', 'http://[::1]:8080/', true],
    ['[::1]:8080', 'http://[::1]:8081/', false],
    ['fd00::/8', 'http://[fd12::1]/', true],
    ['localhost, .internal example.org', 'https://es.internal/', true],
    ['localhost,.internal,example.org', 'https://www.example.org/', true],
    ['localhost,.internal,example.org', 'https://example.net/', false],
  ];
  for (const [noProxy, url, bypass] of cases) {
    const env = { HTTPS_PROXY: P, HTTP_PROXY: P, NO_PROXY: noProxy };
    assert.deepEqual(proxyFor(url, { env }), bypass ? null : { url: P }, `NO_PROXY=${JSON.stringify(noProxy)} ${url}`);
    // the same list on a proxy object
    const list = noProxy.split(/[\s,]+/).filter(Boolean);
    assert.deepEqual(proxyFor(url, { proxy: { url: P, noProxy: list }, env: {} }), bypass ? null : { url: P }, `noProxy ${JSON.stringify(list)} ${url}`);
  }
});

test('proxyFor: which variable, null, credentials and scheme-less values', () => {
  const env = { HTTPS_PROXY: 'http://s:1', http_proxy: 'http://p:2', no_proxy: 'skip.me' };
  assert.deepEqual(proxyFor('https://a/', { env }), { url: 'http://s:1' });
  assert.deepEqual(proxyFor('http://a/', { env }), { url: 'http://p:2' });
  assert.equal(proxyFor('http://skip.me/', { env }), null);
  assert.equal(proxyFor('https://a/', { env: { HTTP_PROXY: 'http://p:2' } }), null);
  assert.deepEqual(proxyFor('https://a/', { env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' } }), { url: 'http://lower:1' });
  assert.equal(proxyFor('https://a/', { proxy: null, env }), null);
  assert.equal(proxyFor('https://a/', { env: {} }), null);
  assert.deepEqual(proxyFor('https://a/', { env: { HTTPS_PROXY: 'proxy.corp:3128' } }), { url: 'http://proxy.corp:3128' });
  assert.deepEqual(proxyFor('https://a/', { env: { HTTPS_PROXY: 'http://u%40x:p%3Aw@proxy:8080/' } }), { url: 'http://proxy:8080', username: 'u@x', password: 'p:w' });
  assert.deepEqual(proxyFor('https://a/', { proxy: { url: 'http://proxy', username: 'me', password: 'pw' } }), { url: 'http://proxy:80', username: 'me', password: 'pw' });
  assert.throws(() => proxyFor('https://a/', { proxy: { url: 'socks5://proxy:1080' } }), { code: 'ERR_INVALID_PROTOCOL' });
});

test('an invalid proxy URL rejects naming the proxy, not the URL', async () => {
  await assert.rejects(request({ url: 'https://es.example:9200/', proxy: { url: 'http://us:er-secret@[bad' } }), (e) => {
    assert.equal(e.code, 'ERR_INVALID_URL');
    assert.equal(e.message, 'GET https://es.example:9200 failed: invalid proxy URL (ERR_INVALID_URL)');
    return true;
  });
  await assert.rejects(request({ url: 'not a url?key=secret' }), { code: 'ERR_INVALID_URL', message: 'GET invalid request URL (ERR_INVALID_URL)' });
});

// --- helpers --------------------------------------------------------------------------------------

test('fromNodeRed converts http proxy and tls-config nodes', () => {
  assert.deepEqual(fromNodeRed({}), { proxy: undefined, tls: undefined });
  const proxyNode = { url: 'http://proxy:3128', noproxy: ['.corp'], credentials: { username: 'u', password: 'p' } };
  const tlsNode = {
    addTLSOptions(opts) { // as Node-RED's tls-config node does it
      Object.assign(opts, { ca: 'CA', cert: 'CERT', key: 'KEY', passphrase: 'PP', servername: 'es.corp', ALPNProtocols: ['h2'] });
      opts.rejectUnauthorized = false;
      return opts;
    },
  };
  assert.deepEqual(fromNodeRed({ proxyNode, tlsNode }), {
    proxy: { url: 'http://proxy:3128', noProxy: ['.corp'], username: 'u', password: 'p' },
    tls: { ca: 'CA', cert: 'CERT', key: 'KEY', passphrase: 'PP', servername: 'es.corp', rejectUnauthorized: false },
  });
  assert.deepEqual(fromNodeRed({ proxyNode: { url: 'http://p:1' } }).proxy, { url: 'http://p:1', noProxy: [], username: undefined, password: undefined });
});

test('retryAfterMs reads x-ms-retry-after-ms, retry-after-ms and Retry-After', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  const cases = [
    [{}, undefined],
    [undefined, undefined],
    [{ 'retry-after': '120' }, 120000],
    [{ 'Retry-After': '0' }, 0],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, 30000],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after': '1.5' }, undefined],
    [{ 'x-ms-retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '250.5' }, 251],
    [{ 'x-ms-retry-after-ms': '100', 'retry-after': '9' }, 100],
    [{ 'x-ms-retry-after-ms': 'bad', 'retry-after': '9' }, 9000],
    [new Headers({ 'Retry-After': '3' }), 3000],
  ];
  for (const [headers, want] of cases) assert.equal(retryAfterMs(headers, now), want, JSON.stringify(headers));
});

test('closeAgents destroys the kept-alive sockets', async () => {
  const { port, sockets } = await serve(http.createServer(echo));
  await request({ url: `http://127.0.0.1:${port}/` });
  assert.equal(sockets.size, 1);
  const [socket] = sockets;
  const closed = new Promise((resolve) => socket.on('close', resolve));
  closeAgents();
  await closed;
  assert.equal(sockets.size, 0);
});

test('idle kept-alive sockets (plain and tunnelled) do not keep the process alive', async (t) => {
  if (!needCerts(t)) return;
  const plain = await serve(http.createServer(echo));
  const secure = await serve(https.createServer(httpsOptions(), echo));
  plain.server.keepAliveTimeout = secure.server.keepAliveTimeout = 60000;
  const proxy = await startProxy();
  const script = `
    const { request } = require(${JSON.stringify(LIB)});
    const ca = require('fs').readFileSync(${JSON.stringify(certs.caFile)});
    (async () => {
      await request({ url: 'http://127.0.0.1:${plain.port}/', proxy: null });
      await request({ url: 'https://127.0.0.1:${secure.port}/', proxy: null, tls: { ca } });
      await request({ url: 'https://127.0.0.1:${secure.port}/', proxy: { url: '${proxy.url}' }, tls: { ca } });
      console.log('done');
    })();`;
  const started = Date.now();
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const timer = setTimeout(() => child.kill(), 10000);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  assert.equal(out.trim(), 'done');
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5000, `the child took ${Date.now() - started} ms to exit`);
});
