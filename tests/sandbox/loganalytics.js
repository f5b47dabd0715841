'use strict';
// Azure Monitor Log Analytics query API: POST (or GET) /v1/workspaces/{workspaceId}/query
// with a bearer token from the Entra sandbox. Responses and errors shaped like api.loganalytics.azure.com.
const { listen, readBody, sendJson, requestLog, uuid } = require('./http');
const { TABLES, columns } = require('./schema');
const { parse, execute, timespanWindow, KqlError } = require('./kql');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * options: registry, clock, workspaces: Map workspaceId(lowercase) -> workspace (workspace.js),
 *          gzip (true: compress when the client sends Accept-Encoding: gzip, as the real API does)
 */
function createLogAnalytics({ registry, clock, workspaces, gzip = true }) {
  const log = requestLog();
  const injected = [];

  async function handle(req, res) {
    const correlationId = uuid();
    const url = new URL(req.url, 'http://sandbox');
    const headers = { 'x-ms-correlation-request-id': correlationId, 'Via': '1.1 sandbox-draft', 'Cache-Control': 'no-cache' };
    const error = (status, code, message, innererror, extra = {}) => sendJson(res, status, {
      error: { message, code, correlationId, ...(innererror ? { innererror } : {}) },
    }, { ...headers, ...extra });
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    log.push({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') });

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
    if (!GUID.test(workspaceId) || !ws) {
      return error(404, 'WorkspaceNotFoundError', `Workspace ${workspaceId} not found`, null);
    }
    if (!checked.info.app.workspaces.has(workspaceId.toLowerCase())) {
      return error(403, 'InsufficientAccessError', 'The provided credentials have insufficient access to perform the requested operation');
    }
    if (injected.length) {
      const f = injected.shift();
      return f.status === 429
        ? error(429, 'ThrottledError', 'Too many requests. Please retry later.', null, { 'Retry-After': String(f.retryAfter || 1) })
        : error(f.status, 'ServiceError', 'The service encountered an error while processing the request. Please retry.', null);
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
      if (!TABLES[parsed.table]) {
        const firstOp = parsed.ops[0] ? `'${parsed.ops[0].tok.text}' operator: ` : '';
        throw new KqlError('SemanticError', 'SEM0100', `${firstOp}Failed to resolve table or column expression named '${parsed.table}'`, { line: parsed.tableTok.line, pos: parsed.tableTok.pos, token: parsed.table });
      }
      const stored = ws.table(parsed.table);
      let source = { columns: columns(parsed.table), rows: stored.rows, times: stored.times };
      if (window) {
        const keep = [];
        for (let i = 0; i < stored.rows.length; i += 1) if (stored.times[i] >= window.from && stored.times[i] <= window.to) keep.push(i);
        source = { columns: source.columns, rows: keep.map((i) => stored.rows[i]), times: keep.map((i) => stored.times[i]) };
      }
      const result = execute(parsed, source, now);
      return sendJson(res, 200, { tables: [{ name: 'PrimaryResult', columns: result.columns, rows: result.rows }] }, headers, { req, gzip });
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
    /** The next `n` authorised queries fail with `status` (429 ThrottledError with Retry-After, or 5xx). */
    failNext(n = 1, { status = 429, retryAfter = 1 } = {}) { for (let i = 0; i < n; i += 1) injected.push({ status, retryAfter }); },
    async listen(port = 0) { Object.assign(this, await listen(handle, { port, name: 'loganalytics' })); return this; },
    queryUrl(workspaceId) { return `${this.origin}/v1/workspaces/${workspaceId}/query`; },
  };
}

module.exports = { createLogAnalytics };
