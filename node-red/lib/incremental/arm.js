'use strict';
// Requests to the Microsoft Sentinel REST API (Microsoft.SecurityInsights on Azure Resource
// Manager): its URLs, the nextLink it pages with (which can arrive unescaped: it is parsed and
// encoded again, and followed only on the management host, where the token may go), requests
// retried as ARM asks (429 with Retry-After, 5xx, network failures; a refused token replaced
// once), and ARM's errors turned into messages that name the fix. Never a token in an error.

const core = require('../core');

const { headerValue } = core;
const { request } = require('../http');
const { withToken } = require('./retry');
const { parseJson, permanent, short, withoutSecret } = require('./errors');

const API_VERSION = '2025-09-01';
const MANAGEMENT_HOST = 'management.azure.com';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The origin and token scope of a management host setting (`management.azure.com`, a sovereign
 * cloud's, or `http://127.0.0.1:port` for a local test service): {origin, scope}, the scope
 * `https://<host>/.default`.
 */
function management(host) {
  const h = String(host || MANAGEMENT_HOST).trim();
  let origin;
  try {
    // The one host rule (src/request.rs, as for the authority and query hosts and in the editor).
    origin = core.origin(h);
  } catch (err) {
    throw permanent(`The management host "${short(h, 80)}" is not a host such as management.azure.com (an optional https:// and :port, no path): ${err.message} Fix it in the tenant settings`);
  }
  const authority = origin.slice(origin.indexOf('://') + 3);
  return { origin, scope: `https://${authority}/.default` };
}

/** The path of the workspace's Microsoft.SecurityInsights provider, each part checked. */
function workspacePath({ subscriptionId, resourceGroup, workspaceName }) {
  const s = String(subscriptionId || '').trim();
  const rg = String(resourceGroup || '').trim();
  const ws = String(workspaceName || '').trim();
  if (!GUID.test(s)) throw permanent(`The subscription id "${short(s, 60)}" is not a GUID: copy it from the Log Analytics workspace's Overview page into the tenant settings`);
  if (!/^[-\w._()\p{L}\p{N}]{1,90}$/u.test(rg) || rg.endsWith('.')) throw permanent(`The resource group "${short(rg, 100)}" is not a resource group name (1-90 letters, digits, - _ . ( )): copy it from the workspace's Overview page into the tenant settings`);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(ws)) throw permanent(`The workspace name "${short(ws, 70)}" is not a Log Analytics workspace name (4-63 letters, digits and -): copy it from the workspace's Overview page into the tenant settings`);
  return `/subscriptions/${s}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.OperationalInsights/workspaces/${ws}/providers/Microsoft.SecurityInsights`;
}

/** Checks an api-version setting (YYYY-MM-DD, optionally -preview). */
function apiVersion(value) {
  const v = String(value || API_VERSION).trim();
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(v)) throw permanent(`The API version "${short(v, 40)}" is not a date such as ${API_VERSION}`);
  return v;
}

const query = (params) => params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/** The first page of incidents modified at or after `since` (ISO 8601 with Z), oldest first. */
function incidentsUrl(base, { version, since, top }) {
  return `${base}/incidents?${query([
    ['api-version', version],
    ['$filter', `properties/lastModifiedTimeUtc ge ${since}`],
    ['$orderby', 'properties/lastModifiedTimeUtc asc'],
    ['$top', String(top)],
  ])}`;
}

/** The URL of one incident's alerts, entities or comments. */
const incidentUrl = (base, name, what, version) => `${base}/incidents/${encodeURIComponent(name)}/${what}?${query([['api-version', version]])}`;

/** Decodes %XX escapes that are valid UTF-8, and leaves everything else (a raw `+`, `%`, space or quote) as it is. */
function decodeLoose(text) {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try { return decodeURIComponent(run); } catch { return run; }
  });
}

/**
 * The nextLink as a URL to request: its query parsed and encoded again (the API can send it with
 * raw spaces, quotes and `+`, which a server would read as a space), on `origin` only.
 */
function nextUrl(link, origin) {
  const text = String(link);
  const q = text.indexOf('?');
  const head = q < 0 ? text : text.slice(0, q);
  let u;
  try {
    u = new URL(head);
  } catch {
    throw new Error(`the Sentinel REST API returned a nextLink that is not a URL (${short(text, 120)})`);
  }
  if (u.origin !== new URL(origin).origin) {
    throw permanent(`the Sentinel REST API returned a nextLink on ${u.origin}, not on the management host ${origin}: the token is not sent there; check the management host in the tenant settings`);
  }
  const params = q < 0 ? [] : text.slice(q + 1).split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [decodeLoose(pair), ''] : [decodeLoose(pair.slice(0, eq)), decodeLoose(pair.slice(eq + 1))];
  });
  return `${u.origin}${u.pathname}${params.length ? `?${query(params)}` : ''}`;
}

const ARM_FIXES = {
  AuthorizationFailed: 'give the app registration the "Microsoft Sentinel Reader" role on the workspace (or its resource group) under Access control (IAM); a new role takes a few minutes to apply',
  LinkedAuthorizationFailed: 'give the app registration the "Microsoft Sentinel Reader" role on the workspace (or its resource group) under Access control (IAM)',
  ResourceNotFound: 'check the subscription id, the resource group and the workspace name in the tenant settings (the Log Analytics workspace\'s Overview page shows all three), and that Microsoft Sentinel is enabled on that workspace',
  ResourceGroupNotFound: 'check the resource group in the tenant settings (the Log Analytics workspace\'s Overview page shows it)',
  SubscriptionNotFound: 'check the subscription id in the tenant settings (a GUID on the Log Analytics workspace\'s Overview page)',
  InvalidSubscriptionId: 'check the subscription id in the tenant settings (a GUID on the Log Analytics workspace\'s Overview page)',
  InvalidAuthenticationTokenAudience: 'the token was issued for another API: check the management host in the tenant settings (management.azure.com, or your cloud\'s)',
  InvalidAuthenticationToken: 'the token was refused: check the tenant id, the client id and the authority host in the tenant settings',
  AuthenticationFailed: 'the token was refused: check the tenant id, the client id and the authority host in the tenant settings',
  ExpiredAuthenticationToken: 'the token was refused as expired even when new: check that this server\'s clock is correct (NTP)',
  InvalidAuthenticationTokenTenant: 'the token is from another tenant than the subscription\'s: set the tenant id of the subscription\'s directory in the tenant settings',
  InvalidApiVersionParameter: 'set the API version of the sentinel-incremental node to one the message lists (2025-09-01 by default)',
  NoRegisteredProviderFound: 'set the API version of the sentinel-incremental node to one the message lists (2025-09-01 by default)',
  MissingSubscriptionRegistration: 'register the Microsoft.SecurityInsights resource provider in the subscription (Subscriptions > Resource providers)',
  InvalidResourceType: 'check the management host and the API version (Microsoft.SecurityInsights must be available there)',
};

/** The Error for a failed ARM request (HTTP `status`, response `body` already without the token). */
function armError(status, body, what) {
  const json = parseJson(body) || {};
  const e = json.error || {};
  const detail = short(e.message || body);
  const message = `the Sentinel REST API answered HTTP ${status}${e.code ? ` ${e.code}` : ''} to ${what}: ${detail}`;
  const fix = ARM_FIXES[e.code] || (status === 401 ? ARM_FIXES.InvalidAuthenticationToken : status === 403 ? ARM_FIXES.AuthorizationFailed : null);
  if (fix) return permanent(`${message}. Fix: ${fix}.`, { code: e.code, status });
  if (status === 400 || status === 404 || status === 405) return permanent(`${message}. The request was refused; check the tenant's subscription, resource group and workspace name and the node's API version.`, { code: e.code, status });
  return Object.assign(new Error(message), { code: e.code, status });
}


/**
 * One ARM request: {method, url, what (for messages), token: async () => string,
 * invalidate(token), http: {proxy, tls}, tries, timeoutMs, signal, onRetry(reason)}. A 401
 * drops the token and tries once more with a new one; 408/429/5xx and network failures (of the
 * request or of the token request) are retried with backoff, Retry-After honoured, up to `tries`
 * times. Resolves the parsed JSON body.
 */
async function armRequest({ method = 'GET', url, what, token, invalidate, http = {}, tries = 8, timeoutMs = 120e3, signal, onRetry = () => {} }) {
  const res = await withToken({
    token: async () => headerValue(await token(), 'The access token from Entra ID'), invalidate, tries, signal, onRetry,
    send: (bearer) => request({
      method, url, signal, timeoutMs, ...http,
      headers: {
        Authorization: `Bearer ${bearer}`, Accept: 'application/json',
        ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '' } : {}),
    }),
    error: (r, bearer) => armError(r.status, withoutSecret(r.body, bearer), what),
  });
  const json = parseJson(res.body);
  if (!json || typeof json !== 'object') throw new Error(`the Sentinel REST API answered ${what} with HTTP 200 but no JSON object: check the management host in the tenant settings`);
  return json;
}

module.exports = { API_VERSION, MANAGEMENT_HOST, management, workspacePath, apiVersion, incidentsUrl, incidentUrl, nextUrl, armError, armRequest };
