'use strict';
// The body of an Elasticsearch `_bulk` request: NDJSON action/source pairs, parsed and validated as
// Elasticsearch does before running any item (a problem here fails the whole request with 400), and
// the external-versioning rule items are then checked against (version_type external / external_gte).

const ACTIONS = ['create', 'index', 'update', 'delete'];
const META = new Set(['_index', '_id', 'routing', '_routing', 'version', 'version_type', 'if_seq_no', 'if_primary_term', 'pipeline', 'require_alias', 'require_data_stream', 'dynamic_templates', 'retry_on_conflict', 'op_type', '_source', 'list_executed_pipelines']);
const VERSION_TYPES = ['internal', 'external', 'external_gt', 'external_gte'];

const esError = (type, reason, extra = {}) => ({ type, reason, ...extra });
/** A whole-request error body: {error: {root_cause: [...], type, reason}, status}. */
const requestError = (status, type, reason, extra = {}) => ({ error: { root_cause: [{ type, reason, ...extra }], type, reason, ...extra }, status });

/** Parses the NDJSON body into [{action, meta, source (text|null), line}] or returns a whole-request error. */
function parseBulk(text, defaultIndex) {
  if (text.length === 0) return { error: requestError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;') };
  if (!text.endsWith('\n')) return { error: requestError(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]') };
  const lines = text.split('\n');
  lines.pop();
  const items = [];
  for (let i = 0; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let action;
    try { action = JSON.parse(raw); } catch (e) {
      const reason = `[${lineNo}:${Math.max(1, raw.length)}] Unexpected character in action/metadata line: ${e.message}`;
      return { error: requestError(400, 'x_content_parse_exception', reason) };
    }
    if (!action || typeof action !== 'object' || Array.isArray(action)) {
      const found = Array.isArray(action) ? 'START_ARRAY' : typeof action === 'string' ? 'VALUE_STRING' : typeof action === 'number' ? 'VALUE_NUMBER' : action === null ? 'VALUE_NULL' : 'VALUE_BOOLEAN';
      return { error: requestError(400, 'illegal_argument_exception', `Malformed action/metadata line [${lineNo}], expected START_OBJECT or END_OBJECT but found [${found}]`) };
    }
    const names = Object.keys(action);
    if (names.length !== 1 || !ACTIONS.includes(names[0])) {
      return { error: requestError(400, 'illegal_argument_exception', `Malformed action/metadata line [${lineNo}], expected field [create], [delete], [index] or [update] but found [${names[0] || ''}]`) };
    }
    const name = names[0];
    const meta = action[name];
    if (!meta || typeof meta !== 'object' || Array.isArray(meta)) {
      return { error: requestError(400, 'illegal_argument_exception', `Malformed action/metadata line [${lineNo}], expected START_OBJECT but found [${Array.isArray(meta) ? 'START_ARRAY' : 'VALUE_STRING'}]`) };
    }
    for (const k of Object.keys(meta)) {
      if (!META.has(k)) return { error: requestError(400, 'illegal_argument_exception', `Action/metadata line [${lineNo}] contains an unknown parameter [${k}]`) };
    }
    let source = null;
    if (name !== 'delete') {
      i += 1;
      if (i >= lines.length) return { error: requestError(400, 'illegal_argument_exception', `The bulk request must be terminated by a newline [\\n]`) };
      source = lines[i].replace(/\r$/, '');
    }
    items.push({ action: name, meta: { ...meta, _index: meta._index || defaultIndex }, source, line: lineNo });
  }
  if (items.length === 0) return { error: requestError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;') };
  const problems = [];
  for (const it of items) {
    if (!it.meta._index) problems.push('index is missing');
    if (it.meta._id !== undefined && Buffer.byteLength(String(it.meta._id)) > 512) problems.push(`id [${it.meta._id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(String(it.meta._id))}`);
    if ((it.action === 'update' || it.action === 'delete') && (it.meta._id === undefined || it.meta._id === '')) problems.push('id is missing');
    problems.push(...versionProblems(it));
  }
  if (problems.length) return { error: requestError(400, 'action_request_validation_exception', `Validation Failed: ${problems.map((p, n) => `${n + 1}: ${p};`).join('')}`) };
  return { items };
}

/** What Elasticsearch's request validation says about `version` / `version_type` of an item. */
function versionProblems(it) {
  const vt = it.meta.version_type === undefined ? 'internal' : String(it.meta.version_type);
  if (!VERSION_TYPES.includes(vt)) return [`No version type match [${vt}]`];
  const hasVersion = it.meta.version !== undefined && it.meta.version !== null;
  const v = hasVersion ? Number(it.meta.version) : -3; // Versions.MATCH_ANY
  if (vt === 'internal') {
    return hasVersion && it.action !== 'update' ? ['internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead'] : [];
  }
  const out = [];
  if (it.meta._id === undefined || it.meta._id === null) out.push('an id must be provided if version type or value are set');
  if (it.action === 'create') out.push('create operations only support internal versioning. use index instead');
  if (it.action === 'update') out.push(`version type [${vt.toUpperCase()}] is not supported by the update API`);
  if (!Number.isInteger(v) || v < 0) out.push(`illegal version value [${hasVersion ? it.meta.version : v}] for version type [${vt.toUpperCase()}]`);
  return out;
}

/** Conflict text when external version `given` may not replace `current` (null: it may). */
function externalConflict(vt, current, given) {
  if (vt === 'external_gte') return current > given ? `current version [${current}] is higher than the one provided [${given}]` : null;
  return current >= given ? `current version [${current}] is higher or equal to the one provided [${given}]` : null;
}

module.exports = { parseBulk, versionProblems, externalConflict, esError, requestError, ACTIONS, META, VERSION_TYPES };
