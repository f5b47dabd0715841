'use strict';
// A small HTTP(S) client on node:http/node:https (no npm dependencies) for the nodes that make their
// own requests to Entra ID, the Log Analytics query API and Elasticsearch.
//
//   const { request, proxyFor, fromNodeRed, retryAfterMs, closeAgents, HttpError } = require('./http');
//
//   request(options) -> Promise<{ status, headers, body: Buffer }>
//     method='GET', url (http: or https:; user:password@ in it becomes Basic auth), headers={},
//     body (string|Buffer|undefined; Content-Length is set),
//     timeoutMs=60000 (the whole request: connect, proxy, send, response, decoding; then the socket is
//       destroyed and the promise rejects with code ETIMEDOUT; 0 or Infinity: no deadline),
//     signal (AbortSignal: abort -> reject with code ABORT_ERR),
//     proxy: undefined (use the environment) | null (no proxy) | { url, username?, password?, noProxy?: [] },
//     tls: undefined | { ca, cert, key, passphrase, servername, rejectUnauthorized } (for the target),
//     gzip=true (send Accept-Encoding: gzip, deflate, br and decode the body; headers are returned as received),
//     maxBodyBytes=268435456 (of the decoded body; past it reject with code EMSGSIZE).
//   Any HTTP status resolves. Failures reject with an HttpError whose .code is the node code (ECONNREFUSED,
//   ECONNRESET, ENOTFOUND, ETIMEDOUT, EPROXY, a TLS code, ...) and whose message names the method, the origin
//   (scheme://host:port) and the proxy origin, never a path, query, header value or body:
//   "POST https://es.example:9200 via proxy http://proxy:3128 failed: connection refused (ECONNREFUSED)".
//   HttpError also has .method, .origin and, for EPROXY, .status (the proxy's answer to CONNECT).
//   Connections are kept alive, one agent per (target origin, proxy, tls); idle sockets close after 30 s,
//   and a request whose reused socket the server closed before any answer is sent once more.
//
//   proxyFor(url, { proxy, env = process.env }) -> { url, username?, password? } | null
//     proxy undefined: https_proxy/HTTPS_PROXY for https: URLs, http_proxy/HTTP_PROXY for http: URLs, unless
//     no_proxy/NO_PROXY matches (curl's rules: comma or space separated; '*' = all; 'host', '.suffix' or
//     'suffix' match the host and its subdomains; leading '*.' allowed; 'host:port'; IP addresses; CIDR).
//     proxy null: no proxy. proxy object: used unless its noProxy list matches the host (no url: no proxy).
//     Credentials in the proxy URL (http://user:pass@proxy:3128) are used when username is not given.
//   fromNodeRed({ proxyNode, tlsNode }) -> { proxy, tls } from Node-RED's 'http proxy' and 'tls-config' nodes.
//   retryAfterMs(headers, nowMs=Date.now()) -> number|undefined, from x-ms-retry-after-ms, retry-after-ms
//     (milliseconds) or Retry-After (delta-seconds or HTTP-date; a past date gives 0).
//   closeAgents(): destroys every keep-alive socket (idle sockets never keep the process alive anyway).
//   noProxyMatches(list, host, port) -> boolean: the no_proxy matcher (a string or an array of entries).
//
// Proxies may be http: or https: (an https: proxy is verified against Node's CAs plus tls.ca; no client
// certificate is sent to it). Not supported: SOCKS proxies, ALL_PROXY, HTTP/2, proxy auth other than Basic.

const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const tls = require('node:tls');
const zlib = require('node:zlib');
const crypto = require('node:crypto');

const IDLE_SOCKET_MS = 30000;
const TLS_KEYS = ['ca', 'cert', 'key', 'passphrase', 'servername', 'rejectUnauthorized'];
const PHRASES = {
  ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', EPIPE: 'connection closed',
  ENOTFOUND: 'host not found', EAI_AGAIN: 'DNS lookup failed', EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable', ABORT_ERR: 'aborted', Z_DATA_ERROR: 'response body could not be decoded',
  Z_BUF_ERROR: 'response body could not be decoded', ERR_INVALID_CHAR: 'invalid character in a header',
  ERR_HTTP_INVALID_HEADER_VALUE: 'invalid header value', ERR_INVALID_HTTP_TOKEN: 'invalid header name',
};

class HttpError extends Error {
  constructor(message, code, extra = {}) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    Object.assign(this, extra);
  }
}

const portOf = (u) => u.port || (u.protocol === 'https:' ? 443 : 80);
const originOf = (u) => `${u.protocol}//${u.hostname}:${portOf(u)}`;

function parseUrl(value, what) {
  let u;
  try {
    u = new URL(value);
  } catch {
    throw new HttpError(`invalid ${what} URL`, 'ERR_INVALID_URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new HttpError(`${what} URL scheme ${u.protocol} is not http: or https:`, 'ERR_INVALID_PROTOCOL');
  }
  return u;
}

// --- proxies -------------------------------------------------------------------------------------

const bare = (h) => h.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

// Whether host:port matches a no_proxy list (a string or an array of entries), as curl decides it.
function noProxyMatches(list, host, port) {
  const entries = (Array.isArray(list) ? list : String(list || '').split(/[\s,]+/)).map((e) => String(e).trim()).filter(Boolean);
  host = bare(host);
  for (let entry of entries) {
    if (entry === '*') return true;
    entry = entry.toLowerCase().replace(/^\*?\./, '');
    if (entry.includes('/')) { // CIDR
      const [addr, bits] = entry.split('/');
      const block = new net.BlockList();
      try {
        block.addSubnet(addr, Number(bits), net.isIP(addr) === 6 ? 'ipv6' : 'ipv4');
        if (net.isIP(host) && block.check(host, net.isIP(host) === 6 ? 'ipv6' : 'ipv4')) return true;
      } catch { /* not a CIDR block: no match */ }
      continue;
    }
    // 'host:port', '[v6]:port', '[v6]', 'v6', 'v4', 'host'
    const m = net.isIP(entry) ? [entry, entry] : /^\[?(.*?)\]?(?::(\d+))?$/.exec(entry);
    const name = bare(m[1]);
    if (m[2] && Number(m[2]) !== Number(port)) continue;
    if (host === name || (!net.isIP(host) && host.endsWith(`.${name}`))) return true;
  }
  return false;
}

function proxyFor(url, { proxy, env = process.env } = {}) {
  if (proxy === null) return null;
  const u = typeof url === 'string' ? parseUrl(url, 'request') : url;
  const fromEnv = proxy === undefined;
  const raw = !fromEnv ? proxy.url : u.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!raw || noProxyMatches(fromEnv ? env.no_proxy || env.NO_PROXY : proxy.noProxy, u.hostname, portOf(u))) return null;
  const p = parseUrl(/^[a-z][a-z\d+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`, 'proxy');
  const out = { url: originOf(p) };
  const username = (proxy && proxy.username) || decodeURIComponent(p.username);
  if (username) {
    out.username = username;
    out.password = (proxy && proxy.username ? proxy.password : decodeURIComponent(p.password)) || '';
  }
  return out;
}

function proxyAuth(proxy) {
  return proxy.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${proxy.username}:${proxy.password || ''}`).toString('base64')}` } : {};
}

function fromNodeRed({ proxyNode, tlsNode } = {}) {
  let proxy, tlsOptions;
  if (proxyNode) {
    const creds = proxyNode.credentials || {};
    proxy = { url: proxyNode.url, noProxy: proxyNode.noproxy || [], username: creds.username, password: creds.password };
  }
  if (tlsNode) {
    const all = tlsNode.addTLSOptions({});
    tlsOptions = {};
    for (const k of TLS_KEYS) if (all[k] !== undefined) tlsOptions[k] = all[k];
  }
  return { proxy, tls: tlsOptions };
}

// --- keep-alive agents, one per (target origin, proxy, tls) -----------------------------------------

// An agent for https: targets behind a proxy: each new socket is a CONNECT tunnel with TLS inside.
class TunnelAgent extends http.Agent {
  constructor(proxy, tlsOptions) {
    super({ keepAlive: true, timeout: IDLE_SOCKET_MS });
    this.protocol = 'https:';
    this.proxy = proxy;
    this.tlsOptions = tlsOptions;
  }

  createConnection(options, cb) {
    const p = new URL(this.proxy.url);
    const hostport = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    const connect = (p.protocol === 'https:' ? https : http).request({
      host: bare(p.hostname), port: portOf(p), method: 'CONNECT', path: hostport,
      headers: { Host: hostport, ...proxyAuth(this.proxy) }, agent: false, signal: options.connectSignal,
      ...(p.protocol === 'https:' ? proxyTls(this.tlsOptions) : {}),
    });
    connect.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return cb(Object.assign(new Error('CONNECT refused'), { code: 'EPROXY', status: res.statusCode, statusText: res.statusMessage }));
      }
      if (head.length) socket.unshift(head);
      const servername = this.tlsOptions.servername || (net.isIP(options.host) ? undefined : options.host);
      cb(null, tls.connect({ ...this.tlsOptions, socket, host: options.host, servername }));
    });
    connect.on('error', cb); // the agent calls back once
    connect.end();
  }
}

function proxyTls(tlsOptions) {
  return tlsOptions.ca ? { ca: [...tls.rootCertificates, ...[].concat(tlsOptions.ca)] } : {};
}

const agents = new Map();

function agentFor(u, proxy, tlsOptions) {
  const key = crypto.createHash('sha256').update(JSON.stringify([originOf(u), proxy, tlsOptions])).digest('hex');
  let agent = agents.get(key);
  if (!agent) {
    const common = { keepAlive: true, timeout: IDLE_SOCKET_MS };
    if (u.protocol === 'https:') {
      agent = proxy ? new TunnelAgent(proxy, tlsOptions) : new https.Agent({ ...common, ...tlsOptions });
    } else if (proxy && proxy.url.startsWith('https:')) {
      agent = new https.Agent({ ...common, ...proxyTls(tlsOptions) });
    } else {
      agent = new http.Agent(common);
    }
    agents.set(key, agent);
  }
  return agent;
}

function closeAgents() {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

// --- requests --------------------------------------------------------------------------------------

const DECODERS = { gzip: zlib.gunzip, 'x-gzip': zlib.gunzip, deflate: zlib.inflate, br: zlib.brotliDecompress };

function decode(body, encoding, maxBodyBytes) {
  const decoder = DECODERS[String(encoding || '').trim().toLowerCase()];
  if (!decoder || body.length === 0) return Promise.resolve(body);
  const run = (fn) => new Promise((resolve, reject) => fn(body, { maxOutputLength: maxBodyBytes }, (e, out) => (e ? reject(e) : resolve(out))));
  // Some servers send raw deflate (no zlib header) for 'deflate', as curl and browsers accept.
  return run(decoder)
    .catch((e) => (decoder === zlib.inflate && e.code === 'Z_DATA_ERROR' ? run(zlib.inflateRaw) : Promise.reject(e)))
    .catch((e) => {
      throw e.code === 'ERR_BUFFER_TOO_LARGE' ? Object.assign(new Error('too large'), { code: 'EMSGSIZE' }) : e;
    });
}

function attempt(o, signal) {
  return new Promise((resolve, reject) => {
    const { u, proxy } = o;
    const direct = !proxy || u.protocol === 'https:';
    const headers = { ...o.headers };
    // Plain http: through a proxy: the absolute URL goes in the request line, to the proxy.
    if (!direct) {
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'host')) headers.Host = u.host;
      Object.assign(headers, proxyAuth(proxy));
    }
    const p = direct ? u : new URL(proxy.url);
    const req = (p.protocol === 'https:' ? https : http).request({
      protocol: p.protocol, host: bare(p.hostname), port: portOf(p),
      path: direct ? u.pathname + u.search : `${u.protocol}//${u.host}${u.pathname}${u.search}`, method: o.method, headers,
      agent: agentFor(u, proxy, o.tls), connectSignal: signal,
    });
    let answered = false;
    const fail = (e) => {
      if (!answered && req.reusedSocket && ['ECONNRESET', 'EPIPE'].includes(e.code)) e.retryable = true;
      reject(e);
      req.destroy();
    };
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal.removeEventListener('abort', onAbort));
    req.on('error', fail);
    req.on('response', (res) => {
      answered = true;
      const tooLarge = () => fail(Object.assign(new Error('too large'), { code: 'EMSGSIZE' }));
      if (Number(res.headers['content-length']) > o.maxBodyBytes) return tooLarge();
      const chunks = [];
      let size = 0;
      res.on('data', (chunk) => {
        size += chunk.length;
        if (size > o.maxBodyBytes) return tooLarge();
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
      res.on('end', () => {
        const body = Buffer.concat(chunks, size);
        (o.gzip ? decode(body, res.headers['content-encoding'], o.maxBodyBytes) : Promise.resolve(body)).then(
          (decoded) => resolve({ status: res.statusCode, headers: res.headers, body: decoded }), fail);
      });
    });
    req.end(o.body);
  });
}

function describe(e, o) {
  const code = e.code || 'EFAILED';
  let phrase = PHRASES[code];
  if (e instanceof HttpError) phrase = e.message;
  else if (code === 'ETIMEDOUT') phrase = `timed out after ${o.timeoutMs} ms`;
  else if (code === 'EMSGSIZE') phrase = `response body over ${o.maxBodyBytes} bytes`;
  else if (code === 'EPROXY') phrase = `proxy answered CONNECT with ${e.status}${e.statusText ? ` ${e.statusText}` : ''}`;
  // OpenSSL's and node's certificate messages hold no secrets (unlike, say, ERR_HTTP_INVALID_HEADER_VALUE's).
  else if (!phrase && (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code) || e.library)) phrase = e.message;
  else if (!phrase && code.startsWith('HPE_')) phrase = 'invalid HTTP response';
  const via = o.proxy ? ` via proxy ${o.proxy.url}` : '';
  return new HttpError(`${o.method} ${originOf(o.u)}${via} failed: ${phrase || 'request failed'} (${code})`, code,
    { method: o.method, origin: originOf(o.u), ...(e.status ? { status: e.status } : {}) });
}

async function request(options) {
  const { url, body, signal, tls: tlsOptions, timeoutMs = 60000, gzip = true, maxBodyBytes = 268435456 } = options;
  const method = String(options.method || 'GET').toUpperCase();
  const o = { method, body, tls: tlsOptions || {}, timeoutMs, gzip, maxBodyBytes, headers: {} };
  try {
    o.u = parseUrl(url, 'request');
    o.proxy = proxyFor(o.u, { proxy: options.proxy });
  } catch (e) {
    if (!o.u) throw new HttpError(`${method} ${e.message} (${e.code})`, e.code, { method });
    throw describe(e, o);
  }
  const has = (name) => Object.keys(o.headers).some((k) => k.toLowerCase() === name);
  Object.assign(o.headers, options.headers);
  if (body !== undefined && !has('content-length')) o.headers['Content-Length'] = Buffer.byteLength(body);
  if (gzip && !has('accept-encoding')) o.headers['Accept-Encoding'] = 'gzip, deflate, br';
  if (o.u.username && !has('authorization')) {
    o.headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(o.u.username)}:${decodeURIComponent(o.u.password)}`).toString('base64')}`;
  }

  const deadline = new AbortController();
  const timer = timeoutMs > 0 && timeoutMs < Infinity // 0 or Infinity: no deadline
    && setTimeout(() => deadline.abort(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), Math.min(timeoutMs, 2 ** 31 - 1));
  const onAbort = () => deadline.abort(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
  if (signal) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  try {
    for (let tries = 1; ; tries++) {
      try {
        if (deadline.signal.aborted) throw deadline.signal.reason;
        return await attempt(o, deadline.signal);
      } catch (e) {
        if (!(e.retryable && tries === 1 && !deadline.signal.aborted)) throw describe(deadline.signal.reason || e, o);
      }
    }
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
}

// --- Retry-After ---------------------------------------------------------------------------------

function retryAfterMs(headers, nowMs = Date.now()) {
  if (!headers) return undefined;
  const get = typeof headers.get === 'function' ? (n) => headers.get(n) : (n) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === n);
    return key === undefined ? undefined : [].concat(headers[key])[0];
  };
  for (const name of ['x-ms-retry-after-ms', 'retry-after-ms']) {
    const v = String(get(name) ?? '').trim();
    if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v));
  }
  const v = String(get('retry-after') ?? '').trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = v && /[a-z]/i.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

module.exports = { request, proxyFor, fromNodeRed, retryAfterMs, closeAgents, HttpError, noProxyMatches };
