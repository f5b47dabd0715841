'use strict';
// The directory the sandbox services share: tenants, registered apps (with their certificates),
// which workspaces each app may read, and the access tokens Entra issued.
const crypto = require('node:crypto');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** Thumbprints of a certificate PEM as Entra matches them. */
function thumbprints(certificatePem) {
  const x509 = new crypto.X509Certificate(certificatePem);
  const sha1 = crypto.createHash('sha1').update(x509.raw).digest();
  const sha256 = crypto.createHash('sha256').update(x509.raw).digest();
  return { x509, x5t: b64url(sha1), x5tS256: b64url(sha256), hex: sha1.toString('hex').toUpperCase() };
}

function createRegistry({ clock }) {
  const tenants = new Map(); // tenantId (lowercase) -> {tenantId, tenantName, domain}
  const apps = new Map(); // `${tenant}/${clientId}` -> app
  const tokens = new Map(); // access token -> {tenantId, clientId, resource, exp (s)}
  const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKid = b64url(crypto.randomBytes(20));

  const key = (t) => String(t || '').toLowerCase();

  function addTenant({ tenantId, tenantName = 'sandbox', domain } = {}) {
    if (!tenantId) throw new TypeError('registry.addTenant: tenantId is required');
    const t = { tenantId, tenantName, domain: domain || `${tenantName.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'sandbox'}.onmicrosoft.com` };
    tenants.set(key(tenantId), t);
    return t;
  }

  /**
   * Registers an app: {tenantId, clientId, certificatePem | certificates: [pem], workspaces: [workspaceId],
   * secrets: [{value, expires (ms)}]}
   */
  function addApp({ tenantId, clientId, certificatePem, certificates, workspaces = [], secrets = [], displayName = 'sentinel-to-elastic' }) {
    if (!clientId) throw new TypeError('registry.addApp: clientId is required');
    const tenant = tenants.get(key(tenantId)) || addTenant({ tenantId });
    const pems = certificates || (certificatePem ? [certificatePem] : []);
    const app = {
      tenantId: tenant.tenantId,
      clientId,
      displayName,
      objectId: crypto.randomUUID(),
      certificates: pems.map((pem) => ({ pem, ...thumbprints(pem) })),
      workspaces: new Set(workspaces.map(key)),
      secrets: secrets.map((x) => ({ value: String(x.value), expires: Number(x.expires) })),
    };
    apps.set(`${key(tenant.tenantId)}/${key(clientId)}`, app);
    return app;
  }

  const tenant = (tenantId) => tenants.get(key(tenantId)) || null;
  /** Looks an app up in its tenant; resolves a tenant's domain name too. */
  function app(tenantId, clientId) {
    const t = tenant(tenantId) || [...tenants.values()].find((x) => key(x.domain) === key(tenantId));
    return t ? apps.get(`${key(t.tenantId)}/${key(clientId)}`) || null : null;
  }
  const appAnywhere = (clientId) => [...apps.values()].find((a) => key(a.clientId) === key(clientId)) || null;

  /** Issues an RS256 JWT access token shaped like Entra's v1 tokens for the Log Analytics API. */
  function issueToken({ app: a, resource, lifetime = 3599 }) {
    const now = Math.floor(clock.now() / 1000);
    const exp = now + lifetime;
    const header = { typ: 'JWT', alg: 'RS256', x5t: signingKid, kid: signingKid };
    const claims = {
      aud: resource,
      iss: `https://sts.windows.net/${a.tenantId}/`,
      iat: now, nbf: now, exp,
      aio: b64url(crypto.randomBytes(32)),
      appid: a.clientId,
      appidacr: '2',
      idp: `https://sts.windows.net/${a.tenantId}/`,
      oid: a.objectId,
      rh: `0.${b64url(crypto.randomBytes(24))}.`,
      roles: ['Data.Read'],
      sub: a.objectId,
      tid: a.tenantId,
      uti: b64url(crypto.randomBytes(16)),
      ver: '1.0',
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = crypto.sign('sha256', Buffer.from(input), signing.privateKey);
    const token = `${input}.${b64url(sig)}`;
    tokens.set(token, { tenantId: a.tenantId, clientId: a.clientId, resource, exp, app: a });
    return { token, exp, claims };
  }

  /** {status: 'ok'|'unknown'|'expired', info} for a bearer token. */
  function checkToken(token) {
    const info = tokens.get(token);
    if (!info) return { status: 'unknown', info: null };
    if (Math.floor(clock.now() / 1000) >= info.exp) return { status: 'expired', info };
    return { status: 'ok', info };
  }

  return {
    tenants, apps, tokens, addTenant, addApp, tenant, app, appAnywhere, issueToken, checkToken,
    revokeTokens: () => tokens.clear(),
    signingPublicKey: signing.publicKey.export({ type: 'spki', format: 'pem' }),
  };
}

module.exports = { createRegistry, thumbprints };
