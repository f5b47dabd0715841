'use strict';
// Errors of Entra ID, the Log Analytics query API and Elasticsearch, turned into messages that say
// what to change. Only what the services wrote about the request goes in, shortened; never a
// header, a token, a key or a document.

const short = (text, max = 300) => {
  const s = String(text === undefined || text === null ? '' : text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

function parseJson(body) {
  try {
    return JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body));
  } catch {
    return null;
  }
}

/** A response body as text without `secret` (a gateway's error page may echo the request's headers). */
function withoutSecret(body, secret) {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body === undefined || body === null ? '' : body);
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** A failure that no retry can mend (bad settings, missing rights): the poll stops at once. */
function permanent(message, extra = {}) {
  return Object.assign(new Error(message), { permanent: true }, extra);
}

const ENTRA_FIXES = [
  [/AADSTS700027|AADSTS700023|AADSTS50012/, 'the certificate (key id/thumbprint) is not one the app registration knows: upload the certificate that matches the private key under the app registration\'s "Certificates & secrets", and leave "Key id" empty or set it to that certificate\'s base64url SHA-1 thumbprint'],
  [/AADSTS700016/, 'no application with this client id exists in the tenant: copy the "Application (client) ID" from the app registration\'s Overview page into the tenant settings, and check the tenant id'],
  [/AADSTS90002|AADSTS900023|AADSTS90013/, 'the tenant was not found: copy the "Directory (tenant) ID" (a GUID) from the app registration\'s Overview page into the tenant settings, and check the authority host for sovereign clouds'],
  [/AADSTS7000215|AADSTS7000222/, 'Entra ID expected a different credential: this node signs with a certificate, so upload the certificate to the app registration'],
  [/AADSTS700024|AADSTS700025/, 'the client assertion is outside its valid time: check that this server\'s clock is correct (NTP)'],
  [/AADSTS500011|AADSTS70011|AADSTS1002012/, 'the scope is not valid for this tenant: use https://api.loganalytics.io/.default in the tenant settings'],
  [/AADSTS50027|AADSTS5002727/, 'Entra ID could not read the client assertion: check the private key and certificate in the tenant settings'],
  [/AADSTS7000112|AADSTS50034/, 'the application is disabled or missing in this tenant: check the app registration and its enterprise application'],
];

/** The Error for a failed token request (HTTP `status`, response `body`). */
function entraError(status, body) {
  const json = parseJson(body) || {};
  const description = short(json.error_description || json.error || body, 400);
  const fix = ENTRA_FIXES.find(([re]) => re.test(description));
  const what = `Entra ID refused the token request (HTTP ${status}${json.error ? `, ${json.error}` : ''}): ${description}`;
  if (fix) return permanent(`${what}. Fix: ${fix[1]}.`);
  return Object.assign(new Error(what), { permanent: status >= 400 && status < 500 && status !== 429 && status !== 408 });
}

const QUERY_FIXES = {
  InsufficientAccessError: 'grant the app registration the "Log Analytics Reader" role (or Microsoft Sentinel Reader) on the workspace under Access control (IAM), and the "Log Analytics API / Data.Read" application permission with admin consent',
  InvalidAuthenticationTokenAudience: 'the token was issued for another API: set the tenant\'s scope to https://api.loganalytics.io/.default',
  PathNotFoundError: 'check the query API host in the tenant settings (api.loganalytics.azure.com, or your cloud\'s) and the workspace id',
  WorkspaceNotFoundError: 'copy the "Workspace ID" (a GUID) from the Log Analytics workspace\'s Overview page into the tenant settings',
  AuthorizationRequiredError: 'no token was sent: check the tenant settings',
  InvalidTokenError: 'the token was refused: check the tenant id, the client id and the authority host of the tenant settings',
};

/** The Error for a failed query (HTTP `status`, response `body`). */
function queryError(status, body) {
  const json = parseJson(body) || {};
  const e = json.error || {};
  const inner = e.innererror && (e.innererror.innererror || e.innererror);
  const detail = short([e.message, inner && inner.message].filter(Boolean).join(': ') || body);
  const what = `the Log Analytics query API answered HTTP ${status}${e.code ? ` ${e.code}` : ''}: ${detail}`;
  const fix = QUERY_FIXES[e.code];
  if (fix) return permanent(`${what}. Fix: ${fix}.`, { code: e.code });
  if (status === 400) return permanent(`${what}. The query was refused; check the table and the lookback/lag settings.`, { code: e.code });
  return Object.assign(new Error(what), { code: e.code });
}

/** The Error for a whole `_bulk` request that Elasticsearch refused. */
function elasticError(status, body, index) {
  const json = parseJson(body) || {};
  const e = (json && json.error) || {};
  const reason = short(typeof e === 'string' ? e : e.reason || body);
  const what = `Elasticsearch refused the _bulk request (HTTP ${status}${e.type ? ` ${e.type}` : ''}): ${reason}`;
  if (status === 401) return permanent(`${what}. Fix: paste a valid API key (the "encoded" value) into the sentinel-elastic config node.`);
  if (status === 403) return permanent(`${what}. Fix: give the API key the index privileges "create_doc" and "auto_configure" on ${index}, and "index", "create_index" on the latest indices.`);
  if (status === 404) return permanent(`${what}. Fix: check the Elasticsearch host (the URL of the cluster, e.g. https://elastic.example:9200).`);
  return Object.assign(new Error(what), { permanent: status >= 400 && status < 500 && ![408, 409, 413, 429].includes(status) });
}

module.exports = { entraError, queryError, elasticError, permanent, parseJson, short, withoutSecret };
