// The original "remove 409 errors" function's classification of a _bulk response's items, in
// one place for the nodes (node-red/lib/core.js requires it) and the browser (resources/sentinel.js
// imports it in the playground's worker, where it sets globalThis.SentinelBulkFilter): plain
// JavaScript, neither CommonJS nor an ES module in its syntax, so that it loads as both.
(function (root) {
  'use strict';

  // `status >= 400` as the original compared it. JavaScript turns an array into a number through
  // its text, which for a deeply nested array recurses past a busy runtime's stack; this unwraps
  // one-element arrays in a loop and compares the same text.
  function atLeast400(status) {
    let value = status;
    while (Array.isArray(value) && value.length === 1) value = value[0];
    // An empty array's text is '' (0); a longer one's has a comma (NaN): never >= 400.
    if (Array.isArray(value)) return false;
    if (value === status) return status >= 400;
    return (value === null || value === undefined ? '' : String(value)) >= 400;
  }

  // The original "remove 409 errors" function's classification, item by item: an item's operation
  // is its first truthy create, index, update or delete; status 409 is a conflict (dropped),
  // 201 or result "created" is created, status >= 400 a failure (kept), anything else is kept.
  // These are JavaScript's comparisons on the items as JSON.parse gives them, so they are the
  // original's by construction.
  class BulkFilter {
    constructor() {
      this.kept = [];
      this.conflicts = [];
      this.failures = [];
      this.created = 0;
      this.seen = 0;
    }

    add(items, from, to) {
      for (let i = from; i < to; i++, this.seen++) {
        const item = items[i];
        if (item === null || item === undefined) {
          throw new Error(`Bulk response item ${this.seen} is ${item}; expected one object per action line, as Elasticsearch returns`);
        }
        const op = item.create || item.index || item.update || item.delete || {};
        if (op.status === 409) {
          this.conflicts.push(op);
          continue;
        }
        this.kept.push(item);
        if (op.status === 201 || op.result === 'created') this.created++;
        else if (atLeast400(op.status)) this.failures.push(op);
      }
    }

    // {...body, items: kept, errors}, as the original built it, and the summary.
    result(cleaned, total) {
      const errors = this.failures.length > 0;
      cleaned.items = this.kept;
      cleaned.errors = errors;
      return {
        payload: cleaned,
        bulkSummary: {
          took: cleaned.took,
          ingest_took: cleaned.ingest_took,
          total_items: total,
          created: this.created,
          conflicts: this.conflicts.length,
          failures: this.failures.length,
          errors,
        },
        conflicts: this.conflicts,
        failures: this.failures,
      };
    }
  }

  const api = { BulkFilter, atLeast400 };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.SentinelBulkFilter = api;
})(globalThis);
