'use strict';
// Entra ID access tokens, one per tenant and scope, reused for their lifetime: one signature and
// one token request per lifetime, renewed a few minutes before `expires_in` runs out (as MSAL
// does), a fresh one when the API refuses the cached one. Token and key stay in this process's
// memory: they never reach a message, the context, a file or a log.

const crypto = require('node:crypto');
const core = require('../core');
const { request } = require('../http');
const { entraError, parseJson, permanent } = require('./errors');

/** Renew this long before expiry (five minutes, or a quarter of a short lifetime). */
const renewMargin = (lifetimeMs) => Math.min(5 * 60e3, lifetimeMs / 4);
const TIMEOUT_MS = 60e3;

class TokenCache {
  /**
   * tenant: {clientId, tenantId, authorityHost, kid, certificatePem, privateKeyPem};
   * http: () => {proxy, tls} for the token endpoint; now: () => ms (Date.now).
   */
  constructor(tenant, { http = () => ({}), now = Date.now } = {}) {
    Object.defineProperty(this, 'tenant', { value: tenant, enumerable: false });
    this.http = http;
    this.now = now;
    this.cache = new Map(); // scope -> {token, renewAt} or {pending: Promise}
    this.requests = 0;
    this.key = null;
    this.thumbprints = undefined;
  }

  /** A valid access token for `scope`: the cached one, or a new one (one request at a time). */
  async get(scope, { signal } = {}) {
    const entry = this.cache.get(scope);
    if (entry && entry.pending) return entry.pending;
    if (entry && this.now() < entry.renewAt) return entry.token;
    const pending = this.fetch(scope, signal).then((fresh) => {
      this.cache.set(scope, fresh);
      return fresh.token;
    }, (err) => {
      this.cache.delete(scope);
      throw err;
    });
    this.cache.set(scope, { pending });
    return pending;
  }

  /** Forgets the token of `scope` when it is `token` (the API refused it). */
  invalidate(scope, token) {
    const entry = this.cache.get(scope);
    if (entry && !entry.pending && (token === undefined || entry.token === token)) this.cache.delete(scope);
  }

  clear() {
    this.cache.clear();
  }

  signingKey() {
    const t = this.tenant;
    if (!t.clientId || !t.tenantId) throw permanent('The tenant settings need the client id and the tenant id (GUIDs from the app registration\'s Overview page)');
    if (!this.key) this.key = core.parseKey(t.privateKeyPem);
    if (this.thumbprints === undefined) this.thumbprints = t.certificatePem ? core.thumbprints(t.certificatePem) : null;
    return this.key;
  }

  async fetch(scope, signal) {
    const t = this.tenant;
    const key = this.signingKey();
    const tp = this.thumbprints;
    const kid = t.kid || (tp && tp.x5t) || undefined;
    if (!kid) throw permanent('The tenant settings need the certificate (PEM) or its key id (kid): Entra ID finds the certificate by it');
    const { assertion } = core.createAssertion(key, {
      clientId: t.clientId, tenantId: t.tenantId, authorityHost: t.authorityHost || undefined,
      kid, x5t: tp ? tp.x5t : kid, x5tS256: tp ? tp.x5tS256 : undefined,
    });
    const req = core.tokenRequest({ clientId: t.clientId, tenantId: t.tenantId, scope, clientAssertion: assertion, authorityHost: t.authorityHost || undefined });
    const started = this.now();
    this.requests += 1;
    const res = await request({ method: req.method, url: req.url, headers: { ...req.headers, Accept: 'application/json' }, body: req.payload, timeoutMs: TIMEOUT_MS, signal, ...this.http() });
    if (res.status !== 200) throw entraError(res.status, res.body);
    const json = parseJson(res.body);
    if (!json || typeof json.access_token !== 'string' || json.access_token === '') {
      throw new Error(`Entra ID answered HTTP 200 without an access_token: check the authority host in the tenant settings (${t.authorityHost || 'login.microsoftonline.com'})`);
    }
    const lifetimeMs = Math.max(0, Number(json.expires_in) || 0) * 1000;
    return { token: json.access_token, renewAt: started + lifetimeMs - renewMargin(lifetimeMs) };
  }
}

// The caches of every app registration in this process: two tenant config nodes for the same
// app (two workspaces of one tenant, say) share one token per lifetime. Keyed by a hash of the
// settings that make the token, so that a changed key or certificate starts a cache of its own.
const shared = new Map();

/** The cache for `tenant` (see TokenCache), shared by every config node with the same app settings. */
function tokenCacheFor(tenant, options) {
  const id = crypto.createHash('sha256').update(JSON.stringify([
    tenant.authorityHost || '', tenant.tenantId, tenant.clientId, tenant.kid || '', tenant.certificatePem || '', tenant.privateKeyPem || '',
    options && options.http ? options.http() : null,
  ])).digest('hex');
  let cache = shared.get(id);
  if (!cache) {
    cache = new TokenCache(tenant, options);
    shared.set(id, cache);
  }
  return cache;
}

module.exports = { TokenCache, tokenCacheFor, renewMargin };
