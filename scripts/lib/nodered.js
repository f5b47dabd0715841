'use strict';
// A real Node-RED for the demo and the end-to-end tests: pack this package with `npm pack`,
// install the tarball into a user directory, start Node-RED bound to 127.0.0.1, talk to its
// admin API. Plain Node, no dependencies.

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = require(path.join(ROOT, 'package.json')).name;
/** Node-RED from this repository's devDependencies (4.1 on the Node running this script). */
const NODE_RED_4 = path.join(ROOT, 'node_modules', 'node-red', 'red.js');

/** The npm command: the npm that runs this script when there is one, else `npm` on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli) && fs.existsSync(cli)) return { cmd: process.execPath, pre: [cli] };
  return { cmd: 'npm', pre: [] };
}

/** Runs npm synchronously; throws with its output when it fails. Returns stdout. */
function npm(args, options = {}) {
  const { cmd, pre } = npmCommand();
  const result = spawnSync(cmd, [...pre, ...args], { cwd: ROOT, encoding: 'utf8', ...options });
  if (result.error) throw new Error(`could not run npm ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const out = `${result.stdout || ''}${result.stderr || ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`npm ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${out}`);
  }
  return result.stdout;
}

/** A port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `port` when it is free on 127.0.0.1, else an ephemeral one. */
function portOr(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(freePort()));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
  });
}

/** `npm pack` of this repository into `destDir`; returns the tarball's absolute path. */
function packTarball(destDir) {
  fs.mkdirSync(destDir, { recursive: true });
  const out = npm(['pack', '--json', '--pack-destination', destDir, '--loglevel=error']);
  const info = JSON.parse(out.slice(out.indexOf('[')));
  const file = path.join(destDir, info[0].filename);
  if (!fs.existsSync(file)) throw new Error(`npm pack reported ${file}, which does not exist`);
  return file;
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * The Node-RED settings for a local run: editor and admin API on 127.0.0.1 only, no tours,
 * no telemetry prompt, no palette installs. Written as userDir/settings.js (Node-RED reads it there).
 */
function settingsSource() {
  return `// Written by scripts/lib/nodered.js: a local Node-RED for the sandbox demo and the e2e tests.
module.exports = {
    uiHost: '127.0.0.1',
    flowFile: 'flows.json',
    // The flows only hold the sandbox's throwaway credentials.
    credentialSecret: 'sentinel-elastic-local-sandbox',
    logging: { console: { level: 'info', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false },
    editorTheme: { tours: false, projects: { enabled: false } },
    functionExternalModules: false
};
`;
}

/**
 * Makes `userDir` a Node-RED user directory with the tarball installed. Skips the install when
 * the same tarball (by SHA-256) is already installed there. Returns {installed: boolean}.
 */
function prepareUserDir(userDir, tarball) {
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, 'settings.js'), settingsSource());
  const marker = path.join(userDir, '.sentinel-elastic-tarball.sha256');
  const hash = sha256(tarball);
  const pkgJson = path.join(userDir, 'node_modules', PACKAGE, 'package.json');
  if (fs.existsSync(pkgJson) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) {
    return { installed: false };
  }
  if (!fs.existsSync(path.join(userDir, 'package.json'))) {
    fs.writeFileSync(path.join(userDir, 'package.json'), `${JSON.stringify({ name: 'node-red-user-dir', private: true, description: 'Node-RED user directory' }, null, 2)}\n`);
  }
  // The package has no runtime dependencies: installing its tarball needs no network.
  npm(['install', '--prefix', userDir, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball]);
  if (!fs.existsSync(pkgJson)) throw new Error(`installing ${tarball} into ${userDir} did not create ${pkgJson}`);
  fs.writeFileSync(marker, hash);
  return { installed: true };
}

const children = new Set();
process.on('exit', () => {
  for (const child of children) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Starts Node-RED and resolves once its admin API answers.
 *   node: the node binary (default: this process's), redJs: Node-RED's red.js (default: 4.1 from devDependencies),
 *   userDir, port (default: ephemeral), onLine(line): every log line, timeoutMs (default 60000)
 * Returns {url, port, child, version, lines, stop()}. `lines` keeps the last 400 log lines.
 */
async function startNodeRed({ node = process.execPath, redJs = NODE_RED_4, userDir, port, onLine, timeoutMs = 60000 } = {}) {
  if (!userDir) throw new TypeError('startNodeRed: userDir is required');
  if (!fs.existsSync(redJs)) throw new Error(`Node-RED not found at ${redJs}: run \`npm install\` first`);
  port = port || await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(node, [redJs, '--userDir', userDir, '--port', String(port), '-D', 'uiHost=127.0.0.1'], {
    cwd: userDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false', NODE_OPTIONS: '' },
  });
  children.add(child);
  const lines = [];
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    children.delete(child);
    resolve(exited);
  }));
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (lines.length > 400) lines.shift();
        if (onLine) onLine(line);
      }
    });
  }

  let stopping = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        if (exited) return exited;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
        const result = await exitPromise;
        clearTimeout(timer);
        return result;
      })();
    }
    return stopping;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`Node-RED exited during start-up (${exited.code ?? exited.signal}):\n${lines.slice(-30).join('\n')}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Node-RED did not answer on ${url} within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`);
    }
    try {
      const res = await fetch(`${url}settings`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        const settings = await res.json();
        return { url, port, child, version: settings.version, lines, stop, exited: () => exited };
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function api(url, route, { method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(new URL(route, url), {
    method,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} -> HTTP ${res.status}: ${text.slice(0, 500)}`);
  try { return text ? JSON.parse(text) : null; } catch { return text; }
}

/** GET /nodes: the node sets Node-RED loaded ([{id, name, types, enabled, loaded, module, version, err?}]). */
const nodeSets = (url) => api(url, 'nodes');
/** Full deploy of `flow` (an array of nodes, config nodes may carry `credentials`). Returns {rev}. */
const deploy = (url, flow) => api(url, 'flows', { method: 'POST', body: flow, headers: { 'Node-RED-Deployment-Type': 'full' } });
/**
 * Fires an inject node as its button in the editor does. Node-RED answers a deploy before the
 * new flows have started, so a 404 (no such inject node yet) is retried for up to `waitMs`.
 */
async function inject(url, id, { waitMs = 15000 } = {}) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await api(url, `inject/${encodeURIComponent(id)}`, { method: 'POST' });
    } catch (e) {
      if (!/HTTP 404/.test(e.message) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

module.exports = {
  ROOT, PACKAGE, NODE_RED_4,
  npm, npmCommand, freePort, portOr, packTarball, prepareUserDir, settingsSource, startNodeRed,
  api, nodeSets, deploy, inject,
};
