'use strict';
// Errors of Entra ID, the Log Analytics query API and Elasticsearch, turned into messages that say
// what to change. Only what the services wrote about the request goes in, shortened; never a
// header, a token, a key or a document.

// One definition of these, shared with the drop-in nodes' errors.
const { entraError, queryError, parseJson, permanent, short } = require('../azure-errors');

/** A response body as text without `secret` (a gateway's error page may echo the request's headers). */
function withoutSecret(body, secret) {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body === undefined || body === null ? '' : body);
  return secret ? text.split(secret).join('[redacted]') : text;
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
