'use strict';
// Small HTTP plumbing shared by the sandbox services: bind to 127.0.0.1 only,
// read (optionally compressed) request bodies, answer JSON, keep a short request log.
const http = require('node:http');
const zlib = require('node:zlib');
const crypto = require('node:crypto');

const HOST = '127.0.0.1';

/** Starts `handler` on 127.0.0.1 (port 0 = ephemeral). Resolves {server, origin, close()}. */
function listen(handler, { port = 0, name = 'sandbox' } = {}) {
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err) => {
        if (!res.headersSent) sendJson(res, 500, { error: `${name} sandbox bug: ${err && err.message}` });
        else res.destroy(err);
      });
  });
  server.keepAliveTimeout = 5000;
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const origin = `http://${HOST}:${server.address().port}`;
      const close = () => new Promise((done) => {
        server.close(() => done());
        for (const s of sockets) s.destroy();
      });
      resolve({ server, origin, close });
    });
  });
}

/** Reads the whole body as a Buffer, undoing Content-Encoding gzip/deflate. Rejects with .status 413 past `limit`. */
function readBody(req, { limit = 100 * 1024 * 1024 } = {}) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        const e = new Error('request body too large');
        e.status = 413;
        req.removeAllListeners('data');
        req.resume();
        reject(e);
        return;
      }
      chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const enc = String(req.headers['content-encoding'] || '').trim().toLowerCase();
      try {
        if (enc === 'gzip' || enc === 'x-gzip') resolve(zlib.gunzipSync(raw));
        else if (enc === 'deflate') resolve(zlib.inflateSync(raw));
        else resolve(raw);
      } catch (err) {
        err.status = 400;
        reject(err);
      }
    });
  });
}

/**
 * Answers `body` as JSON. `headers` are added; when `gzip` is true and the client accepts gzip,
 * the body is compressed (as the Log Analytics API does).
 */
function sendJson(res, status, body, headers = {}, { req, gzip = false } = {}) {
  let buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const h = { 'Content-Type': 'application/json; charset=utf-8', ...headers };
  if (gzip && req && /\bgzip\b/i.test(String(req.headers['accept-encoding'] || '')) && buf.length > 1024) {
    buf = zlib.gzipSync(buf, { level: 1 });
    h['Content-Encoding'] = 'gzip';
    h.Vary = 'Accept-Encoding';
  }
  h['Content-Length'] = buf.length;
  res.writeHead(status, h);
  res.end(req && req.method === 'HEAD' ? undefined : buf);
}

/** A bounded log of recent requests: push({method, url, headers, body}); .entries; .clear(). */
function requestLog(max = 50) {
  const entries = [];
  return {
    entries,
    push(entry) { entries.push(entry); if (entries.length > max) entries.splice(0, entries.length - max); },
    clear() { entries.length = 0; },
    get last() { return entries[entries.length - 1]; },
  };
}

const uuid = () => crypto.randomUUID();

module.exports = { HOST, listen, readBody, sendJson, requestLog, uuid };
