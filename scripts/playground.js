#!/usr/bin/env node
'use strict';
// npm run playground: serves resources/ (the playground page, its scripts, the browser build of
// the WebAssembly module, the samples) on 127.0.0.1 and prints the page's URL. node:http only.
//
//   node scripts/playground.js [--port N]     (default: 8080, or a free port when it is taken)

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', 'resources');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  let rel;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    rel = '';
  }
  if (rel === '/') rel = '/playground.html';
  const file = path.join(ROOT, path.normalize(rel));
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(ROOT + path.sep)) {
    res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
    return;
  }
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : data);
  });
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

async function main() {
  const i = process.argv.indexOf('--port');
  const wanted = i > 0 ? Number(process.argv[i + 1]) : 8080;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new Error('--port takes a port number (0: any free port)');
  const server = http.createServer(handle);
  let port;
  try {
    port = await listen(server, wanted);
  } catch (err) {
    if (err.code !== 'EADDRINUSE' || i > 0) throw err;
    port = await listen(server, 0);
  }
  console.log(`playground: http://127.0.0.1:${port}/playground.html   (Ctrl+C to stop)`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}

main().catch((err) => {
  console.error(`playground: ${err.message}`);
  process.exit(1);
});
