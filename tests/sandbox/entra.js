'use strict';
// Microsoft Entra ID token endpoint (client credentials with a certificate-signed client assertion).
// POST /{tenant}/oauth2/v2.0/token, form body; answers and errors shaped like login.microsoftonline.com.
// Counts every token request per tenant and client (the request log keeps only the last 50), so that
// tests can check how often a client fetched a token (token caching, expiry after tokenLifetime).
const crypto = require('node:crypto');
const { listen, readBody, sendJson, requestLog, uuid } = require('./http');

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEFAULT_RESOURCES = ['https://api.loganalytics.io', 'https://api.loganalytics.azure.com', 'https://management.azure.com'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOC = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

/** Error raised while validating a request; turned into Entra's JSON error body. */
class AadError extends Error {
  constructor(status, error, code, description) {
    super(description);
    Object.assign(this, { status, error, code });
  }
}
const fail = (status, error, code, description) => { throw new AadError(status, error, code, description); };

/** "2025-11-19 10:00:00Z", as Entra prints timestamps in error bodies. */
const aadTimestamp = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
/** "2025-11-19T10:00:00.0000000Z", as Entra prints times inside AADSTS700024. */
const aadTime = (s) => (Number.isFinite(s) ? new Date(s * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z') : '0001-01-01T00:00:00.0000000Z');
/** "11/19/2025 10:00:00", as Entra prints certificate validity. */
const usTime = (d) => {
  const t = new Date(d);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())}/${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
};

function decodeSegment(s, what) {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s === '') fail(400, 'invalid_request', 50027, `JWT token is invalid or malformed. [Reason - the ${what} is not base64url.]`);
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    return fail(400, 'invalid_request', 50027, `JWT token is invalid or malformed. [Reason - the ${what} is not a JSON object.]`);
  }
}

/**
 * Creates the Entra sandbox (not yet listening).
 * options: registry, clock, tokenLifetime (s, 3599), skewSeconds (300), resources ([Log Analytics app ID URIs]),
 *          extraAudiences ([] more accepted `aud` values)
 */
function createEntra({ registry, clock, tokenLifetime = 3599, skewSeconds = 300, resources = DEFAULT_RESOURCES, extraAudiences = [] }) {
  const log = requestLog();
  const injected = [];
  const counts = new Map(); // `${tenantId}/${clientId}` (lowercase; tenant resolved from a domain when known) -> {requests, issued}
  let total = 0;
  const normalize = (r) => r.replace(/\/+$/, '').toLowerCase();
  const knownResources = new Map(resources.map((r) => [normalize(r), r.replace(/\/+$/, '')]));

  function validate(req, tenantSegment, form) {
    const tenant = registry.tenant(tenantSegment) || [...registry.tenants.values()].find((t) => t.domain.toLowerCase() === tenantSegment.toLowerCase());
    if (!tenant) {
      if (!GUID.test(tenantSegment) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(tenantSegment)) {
        fail(400, 'invalid_request', 900023, `Specified tenant identifier '${tenantSegment}' is neither a valid DNS name, nor a valid external domain.`);
      }
      fail(400, 'invalid_request', 90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
    }
    const param = (name) => {
      const v = form.get(name);
      if (v === null || v === '') fail(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
      return v;
    };
    const grantType = param('grant_type');
    if (grantType !== 'client_credentials') fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    const clientId = param('client_id');
    if (!GUID.test(clientId)) fail(400, 'invalid_request', 700038, `${clientId} is not a valid application identifier.`);
    const app = registry.app(tenant.tenantId, clientId);
    if (!app) {
      fail(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant.tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
    }
    const assertion = form.get('client_assertion');
    const assertionType = form.get('client_assertion_type');
    const secret = form.get('client_secret');
    if (secret && !assertion) {
      checkSecret(app, secret);
      return { app, resource: checkScope(tenant, param('scope')) };
    }
    if (!assertion || assertionType !== ASSERTION_TYPE) {
      if (assertion && !assertionType) param('client_assertion_type');
      fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const scope = param('scope');

    // The client assertion: a compact JWS signed with the registered certificate's private key.
    const parts = assertion.split('.');
    if (parts.length !== 3) fail(400, 'invalid_request', 50027, `JWT token is invalid or malformed. [Reason - a compact JWS has 3 dot-separated parts, found ${parts.length}.]`);
    const header = decodeSegment(parts[0], 'header');
    const claims = decodeSegment(parts[1], 'payload');
    if (header.alg !== 'RS256' && header.alg !== 'PS256') {
      fail(401, 'invalid_client', 5002738, `Invalid JWT token. '${header.alg}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256,PS256'`);
    }
    if (claims.iss !== app.clientId || claims.sub !== app.clientId) {
      fail(401, 'invalid_client', 700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOC}`);
    }
    const origin = `http://${req.headers.host}`;
    const expected = new Set([tenantSegment, tenant.tenantId, tenant.domain].map((t) => `${origin}/${t}/oauth2/v2.0/token`.toLowerCase()));
    for (const a of extraAudiences) expected.add(String(a).toLowerCase());
    if (Array.isArray(claims.aud) && claims.aud.length > 1) {
      fail(401, 'invalid_client', 5002741, `Number of audience values in the provided client credential exceed maximum allowed. ${claims.aud.length} audience values provided, maximum allowed is 1.`);
    }
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (typeof aud !== 'string' || !expected.has(aud.toLowerCase())) {
      fail(401, 'invalid_client', 50012, `Client assertion audience claim does not match Realm issuer. The audience in the assertion was '${aud === undefined ? '' : aud}' and the expected audience is '${origin}/${tenantSegment}/oauth2/v2.0/token'.`);
    }
    const now = clock.now() / 1000;
    const nbf = Number.isFinite(claims.nbf) ? claims.nbf : claims.iat;
    const exp = claims.exp;
    if (!Number.isFinite(exp) || now > exp + skewSeconds || (Number.isFinite(nbf) && (now < nbf - skewSeconds || exp <= nbf))) {
      fail(401, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${aadTime(now)}, assertion valid from ${aadTime(Number.isFinite(nbf) ? nbf : 0)}, expiry time of assertion ${aadTime(exp)}. ${DOC}`);
    }
    if (typeof claims.jti !== 'string' || claims.jti === '') fail(400, 'invalid_request', 50027, 'JWT token is invalid or malformed. [Reason - the jti claim is missing.]');

    // Which registered certificate signed it: x5t#S256, x5t or kid must name it.
    const ids = [header['x5t#S256'], header.x5t, header.kid].filter((v) => typeof v === 'string' && v !== '');
    const cert = app.certificates.find((c) => ids.some((id) => id === c.x5t || id === c.x5tS256 || id.toUpperCase() === c.hex));
    const usedHex = ids.length === 0 ? '' : (/^[0-9a-f]{40}$/i.test(ids[0]) ? ids[0].toUpperCase() : Buffer.from(ids[0], 'base64url').toString('hex').toUpperCase());
    const keysHint = `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.`;
    if (!cert) {
      fail(401, 'invalid_client', 700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${usedHex}', ${keysHint}] ${DOC}`);
    }
    const found = `Found key 'Start=${usTime(cert.x509.validFrom)}, End=${usTime(cert.x509.validTo)}'`;
    if (clock.now() > Date.parse(cert.x509.validTo) || clock.now() < Date.parse(cert.x509.validFrom)) {
      fail(401, 'invalid_client', 700027, `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${cert.hex}', ${found}, ${keysHint}] ${DOC}`);
    }
    const input = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    const keyOpts = header.alg === 'PS256'
      ? { key: cert.x509.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : { key: cert.x509.publicKey, padding: crypto.constants.RSA_PKCS1_PADDING };
    let ok = false;
    try { ok = crypto.verify('sha256', input, keyOpts, signature); } catch { ok = false; }
    if (!ok) {
      fail(401, 'invalid_client', 700027, `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${cert.hex}', ${found}] ${DOC}`);
    }

    return { app, resource: checkScope(tenant, scope) };
  }

  /** A client secret (apps registered with `secrets`): the wrong value or an expired one, as Entra answers. */
  function checkSecret(app, secret) {
    const known = (app.secrets || []).find((x) => x.value === secret);
    if (!known) {
      fail(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    if (clock.now() > known.expires) {
      fail(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
    }
  }

  /** The scope: client credentials need exactly one "<resource>/.default". Returns the resource. */
  function checkScope(tenant, scope) {
    const scopes = scope.split(/\s+/).filter(Boolean);
    for (const s of scopes) {
      if (!/\/\.default$/.test(s)) {
        if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s]+$|^[0-9a-f-]{36}$/i.test(s)) {
          fail(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
        }
        fail(400, 'invalid_scope', 1002012, `The provided value for scope ${s} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      }
    }
    if (scopes.length !== 1) fail(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
    const resourceId = scopes[0].slice(0, -'/.default'.length);
    const resource = knownResources.get(normalize(resourceId));
    if (!resource) {
      fail(400, 'invalid_resource', 500011, `The resource principal named ${resourceId} was not found in the tenant named ${tenant.tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
    }
    return resource;
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://sandbox');
    const correlationId = (req.headers['client-request-id'] && String(req.headers['client-request-id'])) || uuid();
    const traceId = uuid();
    const headers = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': traceId, 'client-request-id': correlationId };
    const m = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/.exec(url.pathname);
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    log.push({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') });
    const counter = m ? count(decodeURIComponent(m[1]), req, body) : null;
    const sendError = (e) => {
      const ts = aadTimestamp(clock.now());
      sendJson(res, e.status, {
        error: e.error,
        error_description: `AADSTS${e.code}: ${e.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${ts}`,
        error_codes: [e.code],
        timestamp: ts,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${e.code}`,
      }, headers);
    };
    if (!m) return sendJson(res, 404, '', headers);
    if (req.method === 'OPTIONS') { res.writeHead(200, { Allow: 'POST, OPTIONS', ...headers, 'Content-Length': 0 }); return res.end(); }
    if (req.method !== 'POST') return sendError(new AadError(400, 'invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`));
    if (injected.length) {
      const f = injected.shift();
      return sendError(new AadError(f.status, f.status === 429 ? 'temporarily_unavailable' : 'temporarily_unavailable', f.status === 429 ? 50196 : 50001,
        f.status === 429 ? 'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.' : 'The service is temporarily unavailable. Please try again later.'));
    }
    try {
      const ctype = String(req.headers['content-type'] || '');
      const form = new URLSearchParams(/application\/x-www-form-urlencoded/i.test(ctype) ? body.toString('utf8') : '');
      const { app, resource } = validate(req, decodeURIComponent(m[1]), form);
      const issued = registry.issueToken({ app, resource, lifetime: tokenLifetime });
      counter.issued += 1;
      return sendJson(res, 200, { token_type: 'Bearer', expires_in: tokenLifetime, ext_expires_in: tokenLifetime, access_token: issued.token }, headers);
    } catch (e) {
      if (e instanceof AadError) return sendError(e);
      throw e;
    }
  }

  /** Counts one request to a token endpoint; returns its {requests, issued} counter. */
  const tenantKey = (segment) => {
    const s = String(segment);
    const tenant = registry.tenant(s) || [...registry.tenants.values()].find((t) => t.domain.toLowerCase() === s.toLowerCase());
    return (tenant ? tenant.tenantId : s).toLowerCase();
  };
  function count(tenantSegment, req, body) {
    const ctype = String(req.headers['content-type'] || '');
    const clientId = /application\/x-www-form-urlencoded/i.test(ctype) ? new URLSearchParams(body.toString('utf8')).get('client_id') || '' : '';
    const key = `${tenantKey(tenantSegment)}/${clientId.toLowerCase()}`;
    let c = counts.get(key);
    if (!c) { c = { requests: 0, issued: 0 }; counts.set(key, c); }
    c.requests += 1;
    total += 1;
    return c;
  }
  const sum = (tenantId, clientId, field) => {
    let n = 0;
    for (const [key, c] of counts) {
      const [t, cl] = key.split('/');
      if (t === tenantKey(tenantId) && (clientId === undefined || cl === String(clientId).toLowerCase())) n += c[field];
    }
    return n;
  };

  return {
    handle,
    requests: log,
    /** Requests to any token endpoint so far, whatever their outcome (never truncated, unlike `requests`). */
    get tokenRequests() { return total; },
    /** Token requests for a tenant (id, or domain when registered), optionally for one client id. */
    tokenRequestsFor: (tenantId, clientId) => sum(tenantId, clientId, 'requests'),
    /** Access tokens issued for a tenant (optionally one client id). */
    tokensIssuedFor: (tenantId, clientId) => sum(tenantId, clientId, 'issued'),
    resetCounts() { counts.clear(); total = 0; },
    /** The next `n` token requests fail with `status` (503 default; 429 also modelled). */
    failNext(n = 1, { status = 503 } = {}) { for (let i = 0; i < n; i += 1) injected.push({ status }); },
    /** Issues tokens for one more resource (app ID URI), e.g. a sandbox's https://127.0.0.1:port. */
    addResource(resource) { knownResources.set(normalize(resource), resource.replace(/\/+$/, '')); },
    async listen(port = 0) { Object.assign(this, await listen(handle, { port, name: 'entra' })); return this; },
    tokenUrl(tenantId) { return `${this.origin}/${tenantId}/oauth2/v2.0/token`; },
  };
}

module.exports = { createEntra, ASSERTION_TYPE, DEFAULT_RESOURCES };
