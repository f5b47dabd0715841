'use strict';
// Errors of Entra ID (token endpoint) and of the Log Analytics query API, turned into messages
// that say what to change: the certificate to upload, the id to copy, the role to grant, the scope
// to set. Used by the drop-in nodes (an error body that reaches sentinel-query or sentinel-rows)
// and by the incremental mode. Only what the service wrote about the request goes in, shortened;
// never a header, a token or a key.

const short = (text, max = 300) => {
  const s = String(text === undefined || text === null ? '' : text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

/** A JSON body (object, string or Buffer) as an object, or null. */
function parseJson(body) {
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body;
  try {
    return JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body));
  } catch {
    return null;
  }
}

/** A failure that no retry can mend (bad settings, missing rights). */
function permanent(message, extra = {}) {
  return Object.assign(new Error(message), { permanent: true }, extra);
}

/** [AADSTS codes, what to change]: https://learn.microsoft.com/entra/identity-platform/reference-error-codes */
const ENTRA_FIXES = [
  [/AADSTS(700027|700023|50012)\b/, 'the certificate (key id/thumbprint) is not one the app registration knows, or it expired: upload the certificate that matches the private key under the app registration\'s "Certificates & secrets" > Certificates, and leave "Key id" empty (it is computed from the certificate) or set it to that certificate\'s base64url SHA-1 thumbprint'],
  [/AADSTS700016\b/, 'no application with this client id exists in the tenant: copy the "Application (client) ID" from the app registration\'s Overview page into the tenant settings, and check the tenant id'],
  [/AADSTS(90002|900023|90013)\b/, 'the tenant was not found: copy the "Directory (tenant) ID" (a GUID) from the app registration\'s Overview page into the tenant settings, and check the authority host (login.microsoftonline.com, or your sovereign cloud\'s)'],
  [/AADSTS(7000215|7000222|7000218)\b/, 'Entra ID expected a client secret, or the secret is wrong or expired: this package signs in with a certificate, so upload the certificate (the public part of the private key in the tenant settings) to the app registration under "Certificates & secrets" > Certificates, and send the token request from sentinel-token-request (client_assertion, no client_secret)'],
  [/AADSTS(700024|700025)\b/, 'the client assertion is outside its valid time: set this server\'s clock right (NTP), and keep the assertion lifetime at 600 s'],
  [/AADSTS(500011|70011|1002012)\b/, 'the scope is not valid for this tenant: set the tenant\'s scope to https://api.loganalytics.io/.default (one resource, ending in /.default)'],
  [/AADSTS(50027|5002727|700021)\b/, 'Entra ID could not read the client assertion: check the private key, the certificate and the client id in the tenant settings'],
  [/AADSTS(7000112|50034)\b/, 'the application is disabled or missing in this tenant: check the app registration and its enterprise application'],
];

/** The sentence saying what to change for an Entra ID error description, or null. */
function entraFix(description) {
  const hit = ENTRA_FIXES.find(([re]) => re.test(String(description)));
  return hit ? hit[1] : null;
}

/** The Error for a failed token request (HTTP `status`, response `body`). */
function entraError(status, body) {
  const json = parseJson(body) || {};
  // "AADSTS700016: Application ... Trace ID: ... Correlation ID: ... Timestamp: ...": the trace id
  // goes last, for a support request; the correlation id and timestamp add nothing here.
  const text = String(json.error_description || json.error || (typeof body === 'object' ? '' : body));
  const trace = /Trace ID: ([0-9a-f-]{36})/i.exec(text);
  const description = short(text.replace(/\s*Trace ID:[\s\S]*$/, ''), 400).replace(/\.$/, '');
  const fix = entraFix(description);
  const what = `Entra ID refused the token request (HTTP ${status}${json.error ? `, ${json.error}` : ''}): ${description}`;
  const tail = trace ? ` (Trace ID ${trace[1]})` : '';
  if (fix) return permanent(`${what}. Fix: ${fix}.${tail}`, { code: json.error, fix });
  return Object.assign(new Error(`${what}.${tail}`), { permanent: status >= 400 && status < 500 && status !== 429 && status !== 408 });
}

/** Log Analytics query API error codes: https://learn.microsoft.com/azure/azure-monitor/logs/api/errors */
const QUERY_FIXES = {
  InsufficientAccessError: 'grant the app registration the "Log Analytics Reader" role (or "Microsoft Sentinel Reader") on the workspace under Access control (IAM) > Add role assignment, and the "Log Analytics API" > Data.Read application permission with admin consent; a new role can take a few minutes to apply',
  InvalidAuthenticationTokenAudience: 'the token was issued for another API: set the tenant\'s scope to https://api.loganalytics.io/.default',
  PathNotFoundError: 'the URL is not a query API URL: set the query API host in the tenant settings to api.loganalytics.azure.com (or your cloud\'s) and let sentinel-query build the URL (/v1/workspaces/<workspace id>/query)',
  WorkspaceNotFoundError: 'copy the "Workspace ID" (a GUID) from the Log Analytics workspace\'s Overview page into the tenant settings',
  AuthorizationRequiredError: 'no token was sent: wire the token response into sentinel-query, which sets the Authorization header',
  InvalidTokenError: 'the token was refused (expired or from another tenant or cloud): fetch a new token for each poll, and check the tenant id and the authority host',
  ThrottledError: 'the workspace is throttling this client: poll less often (a longer inject interval), or lower the row limit; the next poll reads again',
};

/** The Error for a failed query (HTTP `status`, response `body`, `retryAfter` seconds if the service sent it). */
function queryError(status, body, retryAfter) {
  const json = parseJson(body) || {};
  const e = json.error || {};
  const inner = e.innererror && (e.innererror.innererror || e.innererror);
  const detail = short([e.message, inner && inner.message].filter(Boolean).join(': ') || (typeof body === 'object' ? '' : body)).replace(/\.$/, '');
  const code = e.code || (status === 429 ? 'ThrottledError' : undefined);
  const what = `the Log Analytics query API answered ${[status && `HTTP ${status}`, e.code].filter(Boolean).join(' ') || 'with an error'}: ${detail}`;
  const fix = QUERY_FIXES[code];
  if (code === 'ThrottledError') {
    const wait = Number(retryAfter) > 0 ? ` (the service asked to wait ${Number(retryAfter)} s)` : '';
    return Object.assign(new Error(`${what}. Fix: ${fix}${wait}.`), { code });
  }
  if (fix) return permanent(`${what}. Fix: ${fix}.`, { code });
  if (status === 400) return permanent(`${what}. The query was refused; check the table and the lookback/lag settings.`, { code });
  return Object.assign(new Error(what), { code });
}

/** The object a token or query response became in the message (object, JSON text or Buffer), if small. */
function smallJson(payload) {
  if (payload === null || payload === undefined) return null;
  if (typeof payload === 'object' && !Buffer.isBuffer(payload)) return payload;
  if ((typeof payload === 'string' || Buffer.isBuffer(payload)) && payload.length < 65536) return parseJson(payload);
  return null;
}

/**
 * For sentinel-query: when `msg.payload` is an Entra ID error response (what the http request node
 * returned instead of a token), the Error to report in place of `err` (the node's own "no
 * access_token"): the fix when the code is known, else `err` with what Entra ID said. Null when the
 * payload is not an error response.
 */
function fromTokenResponse(payload, statusCode, err) {
  const json = smallJson(payload);
  if (!json || typeof json !== 'object' || json.access_token) return null;
  if (typeof json.error !== 'string' && typeof json.error_description !== 'string') return null;
  const e = entraError(Number(statusCode) || 400, json);
  return e.fix || !err ? e : new Error(`${err.message}. Instead: ${e.message}`);
}

/**
 * For sentinel-rows: the Error a Log Analytics error response in `msg.payload` stands for (an
 * `error` and no `tables`, or an HTTP status of 400 and above; `headers` the response headers the
 * http request node left in msg.headers), or null when it is not one.
 */
function fromQueryResponse(payload, statusCode, headers) {
  const status = Number(statusCode) || 0;
  const json = smallJson(payload);
  const retryAfter = headers && typeof headers === 'object' ? headers['retry-after'] : undefined;
  if (json && typeof json === 'object' && json.error && !Array.isArray(json.tables)) return queryError(status, json, retryAfter);
  if (status >= 400) return queryError(status, json || (typeof payload === 'string' ? payload : ''), retryAfter);
  return null;
}

module.exports = { entraError, queryError, entraFix, fromTokenResponse, fromQueryResponse, permanent, parseJson, short, ENTRA_FIXES, QUERY_FIXES };
