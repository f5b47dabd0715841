'use strict';
// Azure Monitor Log Analytics query API: POST (or GET) /v1/workspaces/{workspaceId}/query
// with a bearer token from the Entra sandbox. Responses and errors shaped like api.loganalytics.azure.com.
// Queries see only the rows already visible (workspace.js: ingestion time + visibility delay), run
// through the KQL subset (kql.js) with now() fixed at the request's arrival. Results over `maxRows`
// rows or `maxBytes` of response JSON come back truncated with HTTP 200 and a PartialError (as the
// service does with E_QUERY_RESULT_SET_TOO_LARGE); failures can be injected (failNext, partialNext).
const { listen, readBody, sendJson, requestLog, uuid } = require('./http');
const { TABLES, columns } = require('./schema');
const { parse, run, timespanWindow, KqlError } = require('./kql');

const RESULT_TOO_LARGE = '-2133196797';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The top-level `error` of a partial result: PartialError with one EngineError detail. */
function partialError(correlationId, innererror) {
  return {
    message: 'There were some errors when processing your query.',
    code: 'PartialError',
    correlationId,
    details: [{ code: 'EngineError', message: 'Something went wrong processing your query on the server.', innererror: { severity: 2, severityName: 'Error', ...innererror } }],
  };
}
const tooManyRows = (limit) => ({ code: RESULT_TOO_LARGE, message: `Query result set has exceeded the internal record count limit ${limit} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)` });
const tooManyBytes = (limit) => ({ code: RESULT_TOO_LARGE, message: `Query result set has exceeded the internal data size limit ${limit} (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)` });

/**
 * The response body for `result`, built row by row so that it can stop within `maxRows` / `maxBytes`.
 * `cut` (a row count) truncates on purpose (partialNext). Returns {body (string), rows, error}.
 */
function resultBody(result, { maxRows, maxBytes, correlationId, cut, cutError }) {
  const head = `{"tables":[{"name":"PrimaryResult","columns":${JSON.stringify(result.columns.map((c) => ({ name: c.name, type: c.type })))},"rows":[`;
  let limit = Math.min(result.rows.length, maxRows);
  let error = result.rows.length > maxRows ? partialError(correlationId, tooManyRows(maxRows)) : null;
  if (cut !== undefined && cut < limit) { limit = cut; error = partialError(correlationId, cutError); }
  const sizeError = partialError(correlationId, tooManyBytes(maxBytes));
  const tailFor = (err) => `]}]${err ? `,"error":${JSON.stringify(err)}` : ''}}`;
  const parts = [];
  let bytes = Buffer.byteLength(head);
  const tailBytes = Buffer.byteLength(tailFor(error || sizeError));
  for (let i = 0; i < limit; i += 1) {
    const text = JSON.stringify(result.rows[i]);
    const add = Buffer.byteLength(text) + (i ? 1 : 0);
    if (bytes + add + tailBytes > maxBytes) { error = sizeError; break; }
    parts.push(text);
    bytes += add;
  }
  return { body: `${head}${parts.join(',')}${tailFor(error)}`, rows: parts.length, error };
}

/**
 * options: registry, clock, workspaces: Map workspaceId(lowercase) -> workspace (workspace.js),
 *          gzip (true: compress when the client sends Accept-Encoding: gzip, as the real API does),
 *          maxRows (500000) and maxBytes (64 MB) per result before it is truncated with a PartialError
 */
function createLogAnalytics({ registry, clock, workspaces, gzip = true, maxRows = 500000, maxBytes = 64 * 1024 * 1024 }) {
  const log = requestLog();
  const injected = [];
  const partials = [];
  const stats = { requests: 0, queries: 0, throttled: 0, failed: 0, partial: 0 };
  const limits = { maxRows, maxBytes };

  async function handle(req, res) {
    const correlationId = uuid();
    const url = new URL(req.url, 'http://sandbox');
    const headers = { 'x-ms-correlation-request-id': correlationId, 'Via': '1.1 sandbox-draft', 'Cache-Control': 'no-cache' };
    const error = (status, code, message, innererror, extra = {}) => sendJson(res, status, {
      error: { message, code, correlationId, ...(innererror ? { innererror } : {}) },
    }, { ...headers, ...extra });
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    log.push({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') });
    stats.requests += 1;

    const m = /^\/v1\/workspaces\/([^/]+)\/query\/?$/.exec(url.pathname);
    if (!m) return error(404, 'PathNotFoundError', `The requested path does not exist`);
    if (req.method !== 'POST' && req.method !== 'GET') return error(405, 'MethodNotAllowedError', `The requested method ${req.method} is not allowed for this path`);

    // Authentication: a bearer token Entra issued for the Log Analytics resource.
    const auth = String(req.headers.authorization || '');
    if (!auth) {
      return error(401, 'AuthorizationRequiredError', 'Valid authentication was not provided', null, { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token", error_description="Valid authentication was not provided"' });
    }
    const bm = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    const checked = bm ? registry.checkToken(bm[1]) : { status: 'unknown' };
    if (checked.status === 'expired') {
      return error(401, 'InvalidTokenError', 'The provided authentication is not valid for this resource', { code: 'TokenExpiredError', message: 'Your token has expired' }, { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token is expired"' });
    }
    if (checked.status !== 'ok') {
      return error(403, 'InvalidTokenError', 'The provided authentication is not valid for this resource', { code: 'SignatureVerificationFailedError', message: 'Signature validation failed' });
    }
    if (!/^https:\/\/api\.loganalytics\.(io|azure\.com)$/i.test(checked.info.resource)) {
      return error(403, 'InvalidAuthenticationTokenAudience', `The access token has been obtained from wrong audience or resource '${checked.info.resource}'.`);
    }

    // Authorization: the workspace exists and the app was given a role on it.
    const workspaceId = decodeURIComponent(m[1]);
    const ws = workspaces.get(workspaceId.toLowerCase());
    // A workspace name where the id belongs is no route at all (as the real API answers).
    if (!GUID.test(workspaceId)) return error(404, 'PathNotFoundError', 'The requested path does not exist');
    if (!ws) {
      return error(404, 'WorkspaceNotFoundError', `Workspace ${workspaceId} not found`, null);
    }
    if (!checked.info.app.workspaces.has(workspaceId.toLowerCase())) {
      return error(403, 'InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation');
    }
    if (injected.length) {
      const f = injected.shift();
      if (f.status === 429) {
        stats.throttled += 1;
        return error(429, 'ThrottledError', 'Too many requests. Please retry later.', null, f.retryAfter === null ? {} : { 'Retry-After': String(f.retryAfter ?? 1) });
      }
      stats.failed += 1;
      if (f.status === 'reset') { req.socket.destroy(); return undefined; }
      if (f.status === 504) {
        return error(504, 'GatewayTimeout', 'Gateway timeout', { code: 'GatewayTimeout', message: 'The query did not complete within the time allowed by the gateway. Please retry, or narrow the query.' });
      }
      if (f.status === 502) return error(502, 'BadGateway', 'Bad gateway', null);
      if (f.status === 503) return error(503, 'ServiceUnavailableError', 'The service is temporarily unavailable. Please retry.', null, f.retryAfter ? { 'Retry-After': String(f.retryAfter) } : {});
      return error(f.status, 'ServiceError', 'The service encountered an error while processing the request. Please retry.', null);
    }

    // The request: {"query": "...", "timespan"?: ISO 8601} in a JSON body, or ?query=&timespan= on GET.
    let query; let timespan;
    if (req.method === 'GET') {
      query = url.searchParams.get('query');
      timespan = url.searchParams.get('timespan');
    } else {
      let json;
      try { json = JSON.parse(body.toString('utf8')); } catch (e) {
        return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidJsonError', message: `The request body is not valid JSON: ${e.message}` });
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) {
        return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidJsonError', message: 'The request body must be a JSON object' });
      }
      query = json.query;
      timespan = json.timespan;
    }
    if (typeof query !== 'string' || query.trim() === '') {
      return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'QueryValidationError', message: "The 'query' property is required" });
    }
    const now = clock.now();
    const window = timespanWindow(timespan, now);
    if (window === undefined) {
      return error(400, 'BadArgumentError', 'The request had some invalid properties', { code: 'InvalidTimespanError', message: `'${timespan}' is not a valid ISO 8601 timespan` });
    }
    try {
      const parsed = parse(query);
      const resolve = (name) => {
        if (!TABLES[name]) return null;
        const seen = ws.visible(name, now);
        const keep = [];
        for (let i = 0; i < seen.rows.length; i += 1) if (!window || (seen.times[i] >= window.from && seen.times[i] <= window.to)) keep.push(i);
        return { columns: columns(name), rows: keep.map((i) => seen.rows[i]), ing: keep.map((i) => seen.ingest[i]) };
      };
      const result = run(parsed, { resolve, now });
      stats.queries += 1;
      const p = partials.length ? partials.shift() : null;
      const out = resultBody(result, {
        maxRows: limits.maxRows, maxBytes: limits.maxBytes, correlationId,
        cut: p ? Math.floor(result.rows.length * p.fraction) : undefined,
        cutError: p ? { code: p.code || RESULT_TOO_LARGE, message: p.message || tooManyBytes(limits.maxBytes).message } : undefined,
      });
      if (out.error) stats.partial += 1;
      return sendJson(res, 200, out.body, headers, { req, gzip });
    } catch (e) {
      if (!(e instanceof KqlError)) throw e;
      const where = { line: e.line, pos: e.pos, token: e.token };
      const inner = e.kind === 'SyntaxError'
        ? { code: 'SyntaxError', message: 'A recognition error occurred in the query.', innererror: { code: e.code, message: e.message, ...where } }
        : { code: 'SemanticError', message: 'A semantic error occurred.', innererror: { code: e.code, message: e.message, ...where } };
      return error(400, 'BadArgumentError', 'The request had some invalid properties', inner);
    }
  }

  return {
    handle,
    requests: log,
    /** {maxRows, maxBytes}: change them to test truncated results (read at every query). */
    limits,
    /** Counters since start (or resetStats): {requests (all, never truncated), queries (answered 200), throttled (429s), failed (injected 5xx/resets), partial (PartialError results)}. */
    stats,
    /** Query API requests received so far (every request, whatever its outcome). */
    get count() { return stats.requests; },
    /** 429 ThrottledError responses served so far. */
    get throttled() { return stats.throttled; },
    resetStats() { for (const k of Object.keys(stats)) stats[k] = 0; },
    /**
     * The next `n` authorised queries fail with `status`: 429 ThrottledError (Retry-After: `retryAfter` s, default 1;
     * null sends none), 502 BadGateway, 503 ServiceUnavailableError, 504 GatewayTimeout, other 5xx ServiceError,
     * or 'reset' (the connection is closed without an answer).
     */
    failNext(n = 1, { status = 429, retryAfter } = {}) { for (let i = 0; i < n; i += 1) injected.push({ status, retryAfter }); },
    /**
     * The next `n` successful queries return only the first `fraction` (default half) of their rows, with HTTP 200
     * and a PartialError (innererror `code`/`message`, default E_QUERY_RESULT_SET_TOO_LARGE).
     */
    partialNext(n = 1, { fraction = 0.5, code, message } = {}) { for (let i = 0; i < n; i += 1) partials.push({ fraction, code, message }); },
    /** Drops pending injected failures and partial results. */
    resetFailures() { injected.length = 0; partials.length = 0; },
    async listen(port = 0) { Object.assign(this, await listen(handle, { port, name: 'loganalytics' })); return this; },
    queryUrl(workspaceId) { return `${this.origin}/v1/workspaces/${workspaceId}/query`; },
  };
}

module.exports = { createLogAnalytics };
