'use strict';
// Elasticsearch 8 `_bulk` endpoint (and GET /, /{index}/_count, /{index}/_doc/{id}) with API-key auth,
// data streams (create-only, @timestamp required, .ds-<name>-<date>-000001 backing index), ingest
// pipelines by name, 409 version conflicts, external versioning (`index` with version_type external /
// external_gte on regular indices), a whole-request 413 past maxBodyBytes (http.max_content_length),
// and injectable faults: whole-request 429/5xx/resets (failNext), per-item 429/400/5xx (failItems),
// stalled responses (stallNext), refused connections (down/up/downFor). Documents stay in memory.
const crypto = require('node:crypto');
const { listen, readBody, sendJson, requestLog } = require('./http');
const { parseBulk, externalConflict, esError, requestError } = require('./elastic/bulk-request');
const { createTimers } = require('./elastic/timers');

const PARAMS = new Set(['pipeline', 'refresh', 'routing', 'timeout', 'wait_for_active_shards', 'require_alias', 'require_data_stream', '_source', '_source_includes', '_source_excludes', 'list_executed_pipelines', 'include_source_on_error', 'filter_path', 'pretty', 'human', 'error_trace']);
const CONTENT_TYPES = /^application\/(x-ndjson|json|vnd\.elasticsearch\+(x-ndjson|json))\s*(;.*)?$/i;

const globToRegExp = (g) => new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
/** ES auto-generated ids: 20 URL-safe base64 characters. */
const autoId = () => crypto.randomBytes(15).toString('base64url');
const esDate = (ms) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '.');

/**
 * options: clock, apiKey (the encoded value clients send as "ApiKey <value>"; generated when absent),
 *          dataStreams (['logs-*-*', 'metrics-*-*', 'traces-*-*', 'logs-azure_api']: names or globs that are data streams),
 *          pipelines (['logs-azure_api']: known ingest pipeline ids; null accepts any), clusterName, version,
 *          maxBodyBytes (100 MB: larger requests get a whole-request 413, as http.max_content_length),
 *          retryAfter (seconds: a Retry-After header on injected 429s that do not set their own; default none)
 */
function createElastic({
  clock, apiKey, dataStreams = ['logs-*-*', 'metrics-*-*', 'traces-*-*', 'logs-azure_api'], pipelines = ['logs-azure_api'],
  clusterName = 'sandbox', version = '8.15.3', maxBodyBytes = 100 * 1024 * 1024, retryAfter,
} = {}) {
  const keyId = crypto.randomBytes(15).toString('base64url');
  const key = apiKey || Buffer.from(`${keyId}:${crypto.randomBytes(16).toString('base64url')}`).toString('base64');
  const dsPatterns = dataStreams.map(globToRegExp);
  const knownPipelines = pipelines ? new Set(pipelines) : null;
  const targets = new Map(); // name -> {name, dataStream, backing, uuid, docs: Map id -> {source, version, seqNo}, seqNo}
  const log = requestLog(20);
  const failRequests = [];
  const failItemRules = [];
  const stalls = [];
  const stats = { bulkRequests: 0, bulkItems: 0, rejected: 0, stalled: 0 };
  let down = false;
  let port = 0;
  const { later, wait, abortWaits, clear: clearTimers } = createTimers();
  const clusterUuid = crypto.randomBytes(16).toString('base64url').slice(0, 22);
  const now = () => (clock ? clock.now() : Date.now());

  const isDataStream = (name) => dsPatterns.some((re) => re.test(name));
  function target(name, create = true) {
    let t = targets.get(name);
    if (!t) {
      const backing = [...targets.values()].find((x) => x.backing === name);
      if (backing) return backing;
      if (!create) return null;
      const ds = isDataStream(name);
      t = { name, dataStream: ds, backing: ds ? `.ds-${name}-${esDate(now())}-000001` : name, uuid: crypto.randomBytes(16).toString('base64url').slice(0, 22), docs: new Map(), seqNo: 0 };
      targets.set(name, t);
    }
    return t;
  }

  function authenticate(req, url) {
    const auth = String(req.headers.authorization || '');
    const header = { 'WWW-Authenticate': ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', 'ApiKey'] };
    if (!auth) {
      const reason = `missing authentication credentials for REST request [${url}]`;
      return { status: 401, body: requestError(401, 'security_exception', reason, { header: { 'WWW-Authenticate': header['WWW-Authenticate'] } }), headers: header };
    }
    const m = /^ApiKey\s+(\S+)\s*$/i.exec(auth);
    if (m && m[1] === key) return null;
    let detail = 'API key: invalid ApiKey value';
    if (m) {
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const id = decoded.includes(':') ? decoded.split(':')[0] : null;
      if (id) detail = `API key: unable to find apikey with id ${id}`;
    } else if (/^Basic\s/i.test(auth)) detail = 'realm [reserved] authentication failed';
    const reason = 'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
    return { status: 401, body: requestError(401, 'security_exception', reason, { additional_unsuccessful_credentials: detail, header: { 'WWW-Authenticate': header['WWW-Authenticate'] } }), headers: header };
  }

  const shards = () => ({ total: 2, successful: 1, failed: 0 });

  function injectedItemFailure(it) {
    for (const rule of failItemRules) {
      if (rule.remaining <= 0) continue;
      if (rule.ids && !rule.ids.includes(String(it.meta._id))) continue;
      if (rule.match && !rule.match(it)) continue;
      rule.remaining -= 1;
      return rule;
    }
    return null;
  }

  function runItem(it, pipelineParam) {
    const indexName = String(it.meta._index);
    const idGiven = it.meta._id !== undefined && it.meta._id !== null;
    const fail = (status, _index, _id, error) => ({ [it.action]: { _index, _id, status, error } });
    if (indexName !== indexName.toLowerCase() || /[\\/*?"<>| ,#:]/.test(indexName) || /^[-_+]/.test(indexName)) {
      return fail(400, indexName, idGiven ? String(it.meta._id) : null, esError('invalid_index_name_exception', `Invalid index name [${indexName}], must be lowercase`, { index_uuid: '_na_', index: indexName }));
    }
    const t = target(indexName, false) || (isDataStream(indexName) && it.action !== 'create' ? null : target(indexName));
    const ds = t ? t.dataStream : isDataStream(indexName);
    if (ds && it.action !== 'create') {
      return fail(400, indexName, idGiven ? String(it.meta._id) : null, esError('illegal_argument_exception', 'only write ops with an op_type of create are allowed in data streams'));
    }
    const injected = injectedItemFailure(it);
    if (injected) {
      const reason = typeof injected.reason === 'function' ? injected.reason(it) : injected.reason;
      return fail(injected.status, t.backing, idGiven ? String(it.meta._id) : null, esError(injected.type, reason, injected.causedBy ? { caused_by: injected.causedBy } : {}));
    }
    const pipeline = it.meta.pipeline || pipelineParam;
    if (pipeline && pipeline !== '_none' && knownPipelines && !knownPipelines.has(pipeline) && it.action !== 'delete') {
      return fail(400, t.backing, idGiven ? String(it.meta._id) : null, esError('illegal_argument_exception', `pipeline with id [${pipeline}] does not exist`));
    }
    const id = idGiven ? String(it.meta._id) : null;
    const existing = id !== null ? t.docs.get(id) : undefined;
    const vt = it.meta.version_type === undefined ? 'internal' : String(it.meta.version_type);
    const external = vt !== 'internal';
    const given = external ? Number(it.meta.version) : null;
    if (external && existing) {
      const conflict = externalConflict(vt, existing.version, given);
      if (conflict) return fail(409, t.backing, id, esError('version_conflict_engine_exception', `[${id}]: version conflict, ${conflict}`, { index_uuid: t.uuid, shard: '0', index: t.backing }));
    }

    if (it.action === 'delete') {
      if (!existing) return { delete: { _index: t.backing, _id: id, _version: external ? given : 1, result: 'not_found', _shards: shards(), _seq_no: t.seqNo++, _primary_term: 1, status: 404 } };
      t.docs.delete(id);
      return { delete: { _index: t.backing, _id: id, _version: external ? given : existing.version + 1, result: 'deleted', _shards: shards(), _seq_no: t.seqNo++, _primary_term: 1, status: 200 } };
    }

    let doc;
    try { doc = JSON.parse(it.source); } catch (e) {
      return fail(400, t.backing, id, esError('document_parsing_exception', `[1:${Math.max(1, it.source.length)}] failed to parse`, { caused_by: esError('x_content_parse_exception', `[1:${Math.max(1, it.source.length)}] ${e.message}`) }));
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      return fail(400, t.backing, id, esError('document_parsing_exception', '[1:1] failed to parse: Malformed content, must start with an object', { caused_by: esError('not_x_content_exception', 'Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes') }));
    }

    if (it.action === 'update') {
      if (!existing) return fail(404, t.backing, id, esError('document_missing_exception', `[${id}]: document missing`, { index_uuid: t.uuid, shard: '0', index: t.backing }));
      const merged = { ...existing.source, ...(doc.doc || {}) };
      existing.source = merged; existing.version += 1;
      return { update: { _index: t.backing, _id: id, _version: existing.version, result: 'updated', _shards: shards(), _seq_no: t.seqNo++, _primary_term: 1, status: 200 } };
    }

    if (ds) {
      const pos = `[1:${it.source.length}]`;
      if (!Object.prototype.hasOwnProperty.call(doc, '@timestamp')) {
        return fail(400, t.backing, id, esError('document_parsing_exception', `${pos} failed to parse: data stream timestamp field [@timestamp] is missing`, { caused_by: esError('illegal_argument_exception', 'data stream timestamp field [@timestamp] is missing') }));
      }
      const ts = doc['@timestamp'];
      if (!(typeof ts === 'number' || (typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) && /^\d{4}-\d{2}-\d{2}/.test(ts)))) {
        return fail(400, t.backing, id, esError('document_parsing_exception', `${pos} failed to parse field [@timestamp] of type [date] in document with id '${id}'. Preview of field's value: '${String(ts)}'`, { caused_by: esError('illegal_argument_exception', `failed to parse date field [${String(ts)}] with format [strict_date_optional_time||epoch_millis]`) }));
      }
    }
    if (it.action === 'create' && existing) {
      return fail(409, t.backing, id, esError('version_conflict_engine_exception', `[${id}]: version conflict, document already exists (current version [${existing.version}])`, { index_uuid: t.uuid, shard: '0', index: t.backing }));
    }
    const finalId = id === null ? autoId() : id;
    const version = external ? given : existing ? existing.version + 1 : 1;
    const seqNo = t.seqNo++;
    t.docs.set(finalId, { source: doc, version, seqNo });
    return {
      [it.action]: {
        _index: t.backing, _id: finalId, _version: version, result: existing ? 'updated' : 'created',
        _shards: shards(), _seq_no: seqNo, _primary_term: 1, status: existing ? 200 : 201,
      },
    };
  }

  /** Runs a _bulk body: {status, body}. */
  function bulk(text, parts, url, started) {
    const parsed = parseBulk(text, parts.length === 2 ? parts[0] : undefined);
    if (parsed.error) return { status: parsed.error.status, body: parsed.error };
    const pipelineParam = url.searchParams.get('pipeline');
    stats.bulkItems += parsed.items.length;
    const items = parsed.items.map((it) => runItem(it, pipelineParam));
    const errors = items.some((x) => Object.values(x)[0].error !== undefined);
    const took = Math.max(0, Math.round(Number(process.hrtime.bigint() - started) / 1e6));
    const out = { errors, took };
    if ((pipelineParam && pipelineParam !== '_none') || parsed.items.some((it) => it.meta.pipeline)) out.ingest_took = 0;
    out.items = items;
    return { status: 200, body: out };
  }

  async function handle(req, res) {
    const started = process.hrtime.bigint();
    const url = new URL(req.url, 'http://sandbox');
    const headers = { 'X-elastic-product': 'Elasticsearch' };
    const send = (status, body, extra = {}) => sendJson(res, status, body, { ...headers, ...extra }, { req });
    if (/\/_bulk\/?$/.test(url.pathname)) stats.bulkRequests += 1;
    let body;
    try { body = await readBody(req, { limit: maxBodyBytes }); } catch (e) {
      if (e.status === 413) return send(413, requestError(413, 'http_content_too_long', 'request body too large'));
      return send(400, requestError(400, 'illegal_argument_exception', `could not decode the request body: ${e.message}`));
    }
    const text = body.toString('utf8');
    log.push({ method: req.method, url: req.url, headers: req.headers, body: text });

    const denied = authenticate(req, req.url);
    if (denied) return send(denied.status, denied.body, denied.headers);

    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: `Incorrect HTTP method for uri [${req.url}] and method [${req.method}], allowed: [HEAD, GET]`, status: 405 });
      return send(200, {
        name: `${clusterName}-node-1`, cluster_name: clusterName, cluster_uuid: clusterUuid,
        version: { number: version, build_flavor: 'default', build_type: 'docker', build_hash: 'sandbox', build_date: '2024-10-09T22:08:00.328917561Z', build_snapshot: false, lucene_version: '9.11.1', minimum_wire_compatibility_version: '7.17.0', minimum_index_compatibility_version: '7.0.0' },
        tagline: 'You Know, for Search',
      });
    }
    const isBulk = parts[parts.length - 1] === '_bulk' && parts.length <= 2;
    if (isBulk) {
      if (req.method !== 'POST' && req.method !== 'PUT') return send(405, { error: `Incorrect HTTP method for uri [${req.url}] and method [${req.method}], allowed: [PUT, POST]`, status: 405 });
      const ctype = String(req.headers['content-type'] || '');
      if (!CONTENT_TYPES.test(ctype)) return send(406, { error: `Content-Type header [${ctype}] is not supported`, status: 406 });
      for (const k of url.searchParams.keys()) {
        if (!PARAMS.has(k)) return send(400, requestError(400, 'illegal_argument_exception', `request [${url.pathname}] contains unrecognized parameter: [${k}]`));
      }
      if (failRequests.length) {
        const f = failRequests.shift();
        stats.rejected += 1;
        if (f.status === 'reset') { req.socket.destroy(); return undefined; }
        if (f.status === 429) {
          const ra = f.retryAfter === undefined ? retryAfter : f.retryAfter;
          return send(429, requestError(429, 'es_rejected_execution_exception', `rejected execution of coordinating operation [coordinating_and_primary_bytes=${body.length * 3}, replica_bytes=0, all_bytes=${body.length * 3}, coordinating_operation_bytes=${body.length}, max_coordinating_and_primary_bytes=${body.length * 2}]`), ra === undefined || ra === null ? {} : { 'Retry-After': String(ra) });
        }
        if (f.status === 502 || f.status === 504) {
          // answered by the proxy in front of the cluster (as Elastic Cloud's), not by Elasticsearch
          const message = f.reason || (f.status === 502 ? 'backend closed connection' : 'Timed out waiting for server to produce response');
          return sendJson(res, f.status, { ok: false, message }, {}, { req });
        }
        return send(f.status, requestError(f.status, f.status === 503 ? 'unavailable_shards_exception' : 'exception', f.reason || 'sandbox-injected failure'));
      }
      const stall = stalls.length ? stalls.shift() : null;
      if (stall) {
        stats.stalled += 1;
        if (stall.when === 'after') {
          const answer = bulk(text, parts, url, started);
          if (await wait(stall.ms)) return send(answer.status, answer.body);
          return undefined;
        }
        // 'before': the work starts after the stall, and is done even when the client has gone away meanwhile (a bulk request is not cancelled)
        if (!(await wait(stall.ms))) return undefined;
        const answer = bulk(text, parts, url, started);
        return res.destroyed ? undefined : send(answer.status, answer.body);
      }
      const answer = bulk(text, parts, url, started);
      return send(answer.status, answer.body);
    }
    if (parts.length === 2 && parts[1] === '_count' && (req.method === 'GET' || req.method === 'POST')) {
      const t = target(parts[0], false);
      if (!t) return send(404, requestError(404, 'index_not_found_exception', `no such index [${parts[0]}]`, { 'resource.type': 'index_or_alias', 'resource.id': parts[0], index_uuid: '_na_', index: parts[0] }));
      return send(200, { count: t.docs.size, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } });
    }
    if (parts.length === 3 && parts[1] === '_doc' && (req.method === 'GET' || req.method === 'HEAD')) {
      const t = target(parts[0], false);
      if (!t) return send(404, requestError(404, 'index_not_found_exception', `no such index [${parts[0]}]`, { 'resource.type': 'index_expression', 'resource.id': parts[0], index_uuid: '_na_', index: parts[0] }));
      const d = t.docs.get(parts[2]);
      if (!d) return send(404, { _index: t.backing, _id: parts[2], found: false });
      return send(200, { _index: t.backing, _id: parts[2], _version: d.version, _seq_no: d.seqNo, _primary_term: 1, found: true, _source: d.source });
    }
    return send(400, { error: `no handler found for uri [${req.url}] and method [${req.method}]` });
  }

  const api = {
    handle,
    apiKey: key,
    requests: log,
    isDataStream,
    /** _source objects stored under a data stream / index name (or a backing index name), in insertion order. */
    documents(name) { const t = target(name, false); return t ? [...t.docs.values()].map((d) => d.source) : []; },
    /** One stored document {_id, _version, _seq_no, _source} or null. */
    document(name, id) { const t = target(name, false); const d = t && t.docs.get(String(id)); return d ? { _id: String(id), _version: d.version, _seq_no: d.seqNo, _source: d.source } : null; },
    ids(name) { const t = target(name, false); return t ? [...t.docs.keys()] : []; },
    count(name) { const t = target(name, false); return t ? t.docs.size : 0; },
    /** Names written so far: [{name, dataStream, backingIndex, count}]. */
    indices() { return [...targets.values()].map((t) => ({ name: t.name, dataStream: t.dataStream, backingIndex: t.backing, count: t.docs.size })); },
    /** Forgets one data stream / index, or everything. */
    clear(name) { if (name) targets.delete(name); else targets.clear(); },
    /**
     * The next `n` _bulk requests fail as a whole: status 429 (es_rejected_execution_exception; with a Retry-After
     * header when `retryAfter` seconds are given here or as the service option), 503, other 5xx, 502/504 as the proxy
     * in front of the cluster answers them, or 'reset' (socket destroyed without an answer).
     */
    failNext(n = 1, { status = 429, reason, retryAfter: ra } = {}) { for (let i = 0; i < n; i += 1) failRequests.push({ status, reason, retryAfter: ra }); },
    /**
     * The next `count` items (optionally only those whose _id is in `ids`, or for which `match(item)` is true)
     * fail with `status`: 429 es_rejected_execution_exception, 400 mapper_parsing_exception, 500/503, or a given
     * {type, reason} (reason: text or function(item) -> text).
     */
    failItems({ status = 429, count = 1, ids, match, type, reason } = {}) {
      const defaults = {
        429: ['es_rejected_execution_exception', 'rejected execution of org.elasticsearch.action.bulk.TransportShardBulkAction on EsThreadPoolExecutor[name = sandbox-node-1/write, queue capacity = 10000, task execution rejected]'],
        400: ['mapper_parsing_exception', (it) => `failed to parse field [Status] of type [long] in document with id '${it.meta._id}'. Preview of field's value: 'New'`],
        503: ['unavailable_shards_exception', 'primary shard is not active Timeout: [1m]'],
      };
      const [t, r] = defaults[status] || ['exception', 'sandbox-injected failure'];
      const causedBy = (type || t) === 'mapper_parsing_exception' ? esError('illegal_argument_exception', 'For input string: "New"') : undefined;
      failItemRules.push({ status, remaining: count, ids: ids && ids.map(String), match, type: type || t, reason: reason || r, causedBy });
    },
    /**
     * The next `n` _bulk requests are answered only after `ms` (real time), to test client timeouts and a process
     * killed mid-request. when: 'before' (default: the documents are written after the stall, even if the client
     * went away meanwhile, as a bulk request is not cancelled) or 'after' (written at once, answer delayed).
     * A stall ends without writing or answering when the service goes down or closes.
     */
    stallNext(n = 1, ms = 5000, { when = 'before' } = {}) { for (let i = 0; i < n; i += 1) stalls.push({ ms, when }); },
    /** Drops pending injected failures and stalls. */
    resetFailures() { failRequests.length = 0; failItemRules.length = 0; stalls.length = 0; },
    /** Counters since start: {bulkRequests, bulkItems (items run), rejected (whole requests failed on purpose), stalled}. */
    stats,
    /** _bulk requests received so far, whatever their outcome. */
    get bulkRequests() { return stats.bulkRequests; },
    resetStats() { for (const k of Object.keys(stats)) stats[k] = 0; },
    /** True while down(). */
    get isDown() { return down; },
    /** Connection refused: closes the listening socket and every open connection (stalled requests end unanswered). */
    async down() {
      if (down || !serverClose) return;
      down = true;
      abortWaits();
      const c = serverClose;
      serverClose = null;
      await c();
    },
    /** Listens again on the same port (and origin). */
    async up() {
      if (!down) return;
      await open(port);
      down = false;
    },
    /** down() now, up() after `ms` (real time); resolves when it is up again. */
    async downFor(ms) {
      await api.down();
      return new Promise((resolve) => { later(ms, () => { api.up().then(resolve, resolve); }); });
    },
    async listen(p = 0) { await open(p); return api; },
    /** Stops listening for good: cancels timers (downFor, stalls) and closes connections. */
    async close() {
      clearTimers();
      down = false;
      if (serverClose) { const c = serverClose; serverClose = null; await c(); }
    },
  };
  let serverClose = null;
  async function open(p) {
    const l = await listen(handle, { port: p, name: 'elastic' });
    serverClose = l.close;
    api.server = l.server;
    api.origin = l.origin;
    port = l.server.address().port;
  }
  return api;
}

module.exports = { createElastic };
