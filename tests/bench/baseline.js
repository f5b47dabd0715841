'use strict';
// The plain-JavaScript baseline: what the original flow does between the http request node and
// the Elasticsearch request, written for the benchmark (not taken from the article):
//
//   http request node  JSON.parse of the query API response text
//   "convert"          table 0 -> one object per row; Owner, AlertIds, AdditionalData,
//                      ExtendedProperties and Entities parsed when they look like JSON
//   "prepare"          @timestamp from EndTime (else now), customer.name from the tenant name,
//                      nulls / undefined / "" removed recursively, one `create` action per document
//
// It is held to the same output as the package and the original code: run.js compares the
// NDJSON byte for byte before timing anything.

const PARSED_FIELDS = ['Owner', 'AlertIds', 'AdditionalData', 'ExtendedProperties', 'Entities'];
const DEFAULT_STREAM = 'logs-azure_api';

/** Query API response (already parsed) -> array of row objects, or null when there is nothing to send. */
function toRows(response, warn = () => {}) {
    const table = response && response.tables && response.tables[0];
    if (!table) throw new Error('Unexpected response format');
    const names = table.columns.map((column) => column.name);
    const rows = table.rows.map((cells) => {
        const row = {};
        for (let i = 0; i < names.length; i += 1) row[names[i]] = cells[i];
        return row;
    });
    if (rows.length === 0) return null;
    rows.forEach((row, idx) => {
        for (const field of PARSED_FIELDS) {
            if (typeof row[field] !== 'string') continue;
            const text = row[field].trim();
            const first = text[0];
            const last = text[text.length - 1];
            if ((first === '{' && last === '}') || (first === '[' && last === ']')) {
                try {
                    row[field] = JSON.parse(text);
                } catch (e) {
                    warn(`Element ${idx} field '${field}' not valid JSON`);
                }
            }
        }
    });
    return rows;
}

const isEmpty = (v) => v === null || v === undefined || v === '';

/** A copy without null, undefined or "" anywhere (array items and object values). */
function clean(value) {
    if (Array.isArray(value)) {
        const out = [];
        for (const item of value) {
            const c = clean(item);
            if (!isEmpty(c)) out.push(c);
        }
        return out;
    }
    if (value && typeof value === 'object') {
        const out = {};
        for (const key of Object.keys(value)) {
            const v = value[key];
            if (!isEmpty(v)) out[key] = clean(v);
        }
        return out;
    }
    return value;
}

/**
 * Rows -> the _bulk request the original builds.
 * opts: {host, apiKey, tenantName, now (ms, default Date.now()), index, pipeline}
 */
function prepareBulk(rows, opts) {
    const index = opts.index || DEFAULT_STREAM;
    const pipeline = opts.pipeline || DEFAULT_STREAM;
    const tenantName = opts.tenantName || null;
    const lines = [];
    for (const row of rows) {
        // An invalid EndTime throws here (RangeError), as it did in the original.
        row['@timestamp'] = new Date(row.EndTime ? row.EndTime : (opts.now === undefined ? Date.now() : opts.now)).toISOString();
        if (tenantName) {
            row.customer = row.customer || {};
            // The original ran in sloppy mode, where setting a property on a primitive is a no-op.
            if (typeof row.customer === 'object') row.customer.name = tenantName;
        }
        const doc = clean(row);
        const create = { _index: index };
        if (doc.SystemAlertId) create._id = String(doc.SystemAlertId);
        else if (doc.IncidentName) create._id = String(doc.IncidentName);
        lines.push(JSON.stringify({ create }), JSON.stringify(doc));
    }
    return {
        payload: lines.join('\n') + '\n',
        headers: { Authorization: `ApiKey ${opts.apiKey}`, 'Content-Type': 'application/x-ndjson' },
        method: 'POST',
        url: `${opts.host}/_bulk?pipeline=${encodeURIComponent(pipeline)}`,
    };
}

/** The whole original chain from the response text (or Buffer): the request, or null when there are no rows. */
function chain(text, opts, warn) {
    const rows = toRows(JSON.parse(Buffer.isBuffer(text) ? text.toString('utf8') : text), warn);
    return rows ? prepareBulk(rows, opts) : null;
}

module.exports = { toRows, clean, prepareBulk, chain, PARSED_FIELDS };
