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

// Entra ID and query API errors: one table of fixes for the drop-in nodes and this mode.
const { entraError, queryError } = require('../azure-errors');

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
