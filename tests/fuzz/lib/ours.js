'use strict';
// Our side of a case: the call the node makes into node-red/lib/core.js, read as an outcome in
// the shape of the oracle's ({thrown} | {none, warnings} | {parts, warnings}).
const path = require('path');
const { decode, encode } = require('../../tools/oracle/codec');

const CORE = path.resolve(__dirname, '..', '..', '..', 'node-red', 'lib', 'core.js');
let core = null;

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
// A load failure while the lead rebuilds pkg/ (missing or half-written files).
const transient = (e) => e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError ||
  /Cannot find module|ENOENT|WebAssembly\.(Module|Instance)\(\)/.test(String(e && e.message));

function loadCore() {
  for (let attempt = 0; ; attempt++) {
    try {
      if (!core) {
        for (const k of Object.keys(require.cache)) if (k.includes(`${path.sep}pkg${path.sep}`) || k === CORE) delete require.cache[k];
        core = require(CORE);
      }
      return core;
    } catch (e) {
      core = null;
      if (attempt >= 30 || !transient(e)) throw e;
      sleep(2000);
    }
  }
}

function call(kase) {
  const c = loadCore();
  const msg = decode(encode(kase.input));
  const bulkOptions = () => ({
    tenantName: msg.oauth && msg.oauth.tenantName,
    host: msg.elastic && msg.elastic.host,
    apiKey: msg.elastic && msg.elastic.apiKey,
    now: Date.parse(kase.now),
  });
  switch (kase.step) {
    case 'convert': {
      const res = c.rows(msg.payload);
      return res.rows === null ? { none: true, warnings: res.warnings } : { parts: { payload: res.rows }, warnings: res.warnings };
    }
    case 'prepare-bulk':
    case 'fused': {
      const res = c.bulk(msg.payload, bulkOptions());
      if (res.request === null) return { none: true, warnings: res.warnings };
      const { payload, headers, method, url } = res.request;
      return { parts: { payload, headers, method, url }, warnings: res.warnings };
    }
    case 'filter-409': {
      const res = c.bulkResult(msg.payload);
      const { payload, bulkSummary, conflicts, failures } = res;
      return { parts: { payload, bulkSummary, conflicts, failures }, warnings: res.warnings || [] };
    }
    case 'token-request': {
      const o = msg.oauth || {};
      const res = c.tokenRequest({ clientId: o.clientId, tenantId: o.tenantId, scope: o.scope, clientAssertion: msg.client_assertion });
      return { parts: res, warnings: [] };
    }
    case 'query': {
      const res = c.queryRequest({
        accessToken: msg.payload && msg.payload.access_token,
        workspaceId: msg.oauth && msg.oauth.workspaceId,
        table: kase.table,
        retention: msg.retention || undefined, // the node falls back like `msg.retention || "12h"`
      });
      return { parts: res, warnings: [] };
    }
    default: throw new Error(`unknown step ${kase.step}`);
  }
}

// Our outcome; a load failure while pkg/ is rebuilt is retried once the files are back.
function ours(kase) {
  for (let attempt = 0; ; attempt++) {
    try {
      return call(kase);
    } catch (err) {
      if (transient(err) && attempt < 30) { core = null; sleep(2000); continue; }
      return { thrown: err };
    }
  }
}

module.exports = { ours, loadCore, CORE };
