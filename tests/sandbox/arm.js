'use strict';
// Azure Resource Manager, the part the Microsoft Sentinel REST API (Microsoft.SecurityInsights)
// answers on management.azure.com:
//   GET  {workspace}/providers/Microsoft.SecurityInsights/incidents?api-version&$filter&$orderby&$top&$skipToken
//   POST {workspace}/providers/Microsoft.SecurityInsights/incidents/{id}/alerts?api-version
//   POST {workspace}/providers/Microsoft.SecurityInsights/incidents/{id}/entities?api-version
//   GET  {workspace}/providers/Microsoft.SecurityInsights/incidents/{id}/comments?api-version
// where {workspace} is /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}.
//
// The incidents are the workspace's SecurityIncident rows (workspace.js): the API shows each
// incident's newest revision among the rows already visible, so a revision becomes visible a
// little after its lastModifiedTimeUtc (ingestion latency), as in Sentinel. Lists are ordered and
// filtered on properties/lastModifiedTimeUtc (OData: an unquoted datetime literal; a quoted one is
// a type error, as the service says), paged by $top (1..1000) and at most `maxPageSize` items, the
// next page named by `nextLink` with a $skipToken (keyset: the next page is read from the current
// state, after the last item served; or, with paging 'offset', the token is a position in the
// current ordered list, so an item modified between pages moves to the end and the item at the
// next page boundary slides back onto a page already served: a client that trusts the token never
// sees it). ARM documents the token as opaque, so a client must be safe with both. As Elastic's integration found, the nextLink arrives unescaped (raw spaces and quotes,
// a skip token with `+` and `/`): a client that sends it as it is has its `+` read as a space and
// gets 400 for the skip token. Errors have ARM's bodies: 401 InvalidAuthenticationToken /
// ExpiredAuthenticationToken / InvalidAuthenticationTokenAudience, 403 AuthorizationFailed, 404
// SubscriptionNotFound / ResourceGroupNotFound / ResourceNotFound, 400 InvalidApiVersionParameter
// / BadRequest, 429 TooManyRequests with Retry-After (failNext).
const crypto = require('node:crypto');
const { listen, readBody, sendJson, requestLog, uuid } = require('./http');

const API_VERSIONS = ['2021-10-01', '2022-11-01', '2023-02-01', '2023-11-01', '2024-03-01', '2025-09-01'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;
const MANAGEMENT = 'https://management.azure.com';
const AUDIENCES = [MANAGEMENT, 'https://management.core.windows.net'];

/** Ticks (100 ns) of an ISO datetime with up to 7 fraction digits, as a BigInt (exact ordering). */
function ticks(text) {
  const ms = Date.parse(text);
  const m = /\.(\d+)Z$/.exec(text);
  const extra = m ? Number(m[1].padEnd(7, '0').slice(3, 7)) : 0;
  return BigInt(Math.floor(ms / 1000) * 1000 + (m ? Number(m[1].padEnd(3, '0').slice(0, 3)) : 0)) * 10000n + BigInt(extra);
}

const parseJson = (text, fallback) => {
  try { return typeof text === 'string' && text !== '' ? JSON.parse(text) : fallback; } catch { return fallback; }
};
const orNull = (v) => (v === '' || v === undefined ? null : v);

/** The ARM JSON of an incident revision (a SecurityIncident row object of workspace.allRows). */
function incidentJson(row, wsPath) {
  const owner = parseJson(row.Owner, {});
  return {
    id: `${wsPath}/providers/Microsoft.SecurityInsights/Incidents/${row.IncidentName}`,
    name: row.IncidentName,
    etag: `"${crypto.createHash('sha1').update(`${row.IncidentName}@${row.LastModifiedTime}`).digest('hex').slice(0, 32)}"`,
    type: 'Microsoft.SecurityInsights/Incidents',
    properties: {
      title: row.Title,
      description: row.Description,
      severity: row.Severity,
      status: row.Status,
      classification: orNull(row.Classification) || undefined,
      classificationComment: orNull(row.ClassificationComment) || undefined,
      classificationReason: orNull(row.ClassificationReason) || undefined,
      owner: { objectId: owner.objectId ?? null, email: owner.email ?? null, assignedTo: owner.assignedTo ?? null, userPrincipalName: owner.userPrincipalName ?? null, ownerType: owner.objectId ? 'User' : 'Unknown' },
      labels: parseJson(row.Labels, []),
      firstActivityTimeUtc: row.FirstActivityTime,
      lastActivityTimeUtc: row.LastActivityTime,
      lastModifiedTimeUtc: row.LastModifiedTime,
      createdTimeUtc: row.CreatedTime,
      incidentNumber: row.IncidentNumber,
      additionalData: parseJson(row.AdditionalData, {}),
      relatedAnalyticRuleIds: parseJson(row.RelatedAnalyticRuleIds, []),
      incidentUrl: row.IncidentUrl,
      providerName: row.ProviderName,
      providerIncidentId: row.ProviderIncidentId,
    },
  };
}

/** The ARM JSON of an alert (a SecurityAlert row object), as POST .../alerts lists it. */
function alertJson(row, wsPath) {
  return {
    id: `${wsPath}/providers/Microsoft.SecurityInsights/Entities/${row.SystemAlertId}`,
    name: row.SystemAlertId,
    type: 'Microsoft.SecurityInsights/Entities',
    kind: 'SecurityAlert',
    properties: {
      additionalData: parseJson(row.ExtendedProperties, {}),
      alertDisplayName: row.DisplayName,
      alertLink: orNull(row.AlertLink) || undefined,
      alertType: row.AlertType,
      compromisedEntity: orNull(row.CompromisedEntity) || undefined,
      confidenceLevel: row.ConfidenceLevel || 'Unknown',
      description: row.Description,
      endTimeUtc: row.EndTime,
      friendlyName: row.DisplayName,
      processingEndTime: row.ProcessingEndTime,
      productComponentName: orNull(row.ProductComponentName) || undefined,
      productName: row.ProductName,
      providerAlertId: row.VendorOriginalId,
      remediationSteps: parseJson(row.RemediationSteps, []),
      severity: row.AlertSeverity,
      startTimeUtc: row.StartTime,
      status: row.Status,
      systemAlertId: row.SystemAlertId,
      tactics: row.Tactics ? row.Tactics.split(/,\s*/) : [],
      timeGenerated: row.TimeGenerated,
      vendorName: row.VendorName,
    },
  };
}

const ENTITY_KINDS = { host: 'Host', account: 'Account', ip: 'Ip', process: 'Process', file: 'File', filehash: 'FileHash', 'cloud-application': 'CloudApplication', 'azure-resource': 'AzureResource' };
const lowerFirst = (k) => k.charAt(0).toLowerCase() + k.slice(1);

/** The ARM JSON of the entities of alert rows, as POST .../entities answers ({entities, metaData}). */
function entitiesJson(alertRows, wsPath) {
  const entities = [];
  for (const row of alertRows) {
    for (const e of parseJson(row.Entities, [])) {
      const kind = ENTITY_KINDS[e.Type] || 'Unknown';
      const properties = {};
      for (const [k, v] of Object.entries(e)) if (!['$id', 'Type'].includes(k) && v !== undefined && !(v && typeof v === 'object' && v.$ref)) properties[lowerFirst(k)] = v;
      properties.friendlyName = e.HostName || e.Name || e.Address || e.ResourceId || e.CommandLine || kind;
      const name = crypto.createHash('sha1').update(`${row.SystemAlertId}/${e.$id}`).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
      entities.push({ id: `${wsPath}/providers/Microsoft.SecurityInsights/Entities/${name}`, name, type: 'Microsoft.SecurityInsights/Entities', kind, properties });
    }
  }
  const counts = new Map();
  for (const e of entities) counts.set(e.kind, (counts.get(e.kind) || 0) + 1);
  return { entities, metaData: [...counts].map(([entityKind, count]) => ({ entityKind, count })) };
}

/** The ARM JSON of an incident's comments (its row's Comments). */
function commentsJson(row, wsPath) {
  return parseJson(row.Comments, []).map((c, i) => {
    const name = crypto.createHash('sha1').update(`${row.IncidentName}/comment/${i}`).digest('hex').slice(0, 32);
    return {
      id: `${wsPath}/providers/Microsoft.SecurityInsights/Incidents/${row.IncidentName}/Comments/${name}`,
      name,
      etag: `"${name.slice(0, 16)}"`,
      type: 'Microsoft.SecurityInsights/Incidents/Comments',
      properties: { message: c.message, createdTimeUtc: c.createdTimeUtc, lastModifiedTimeUtc: c.lastModifiedTimeUtc, author: { objectId: c.author && c.author.objectId, email: c.author && c.author.email, name: c.author && c.author.name, userPrincipalName: c.author && c.author.userPrincipalName, assignedTo: c.author && c.author.name } },
    };
  });
}

/**
 * Skip token, base64 behind a header that encodes as `++++`: keyset (the last item's
 * lastModifiedTimeUtc and name) or offset (the position of the next page's first item).
 */
const TOKEN_HEADER = Buffer.from([0xfb, 0xef, 0xbe]);
const encodeToken = (value) => Buffer.concat([TOKEN_HEADER, Buffer.from(JSON.stringify(value))]).toString('base64');
const skipToken = (item) => encodeToken([item.properties.lastModifiedTimeUtc, item.name]);
const offsetToken = (offset) => encodeToken({ offset });
function readSkipToken(token) {
  try {
    const bytes = Buffer.from(token, 'base64');
    if (!bytes.subarray(0, 3).equals(TOKEN_HEADER) || bytes.toString('base64') !== token) return null;
    const value = JSON.parse(bytes.subarray(3).toString('utf8'));
    if (value && Number.isInteger(value.offset) && value.offset >= 0) return { offset: value.offset };
    const [time, name] = value;
    if (!DATETIME.test(time) || typeof name !== 'string') return null;
    return { ticks: ticks(time), name };
  } catch {
    return null;
  }
}

/** `properties/lastModifiedTimeUtc ge 2025-11-19T10:00:00Z [and ...]`: [{field, op, ticks}] or {error}. */
function parseFilter(filter) {
  if (filter === null || filter.trim() === '') return [];
  const out = [];
  for (const part of filter.trim().split(/\s+and\s+/i)) {
    const m = /^properties\/(lastModifiedTimeUtc|createdTimeUtc)\s+(ge|gt|le|lt|eq)\s+(\S+)$/i.exec(part.trim());
    if (!m) return { error: `The query specified in the URI is not valid. Could not find a property named '${part.trim().split(/\s+/)[0]}' on type 'Microsoft.Azure.Sentinel.Incident', or the syntax is not supported here.` };
    const literal = m[3];
    if (/^['"]/.test(literal)) {
      return { error: `The query specified in the URI is not valid. A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind '${{ ge: 'GreaterThanOrEqual', gt: 'GreaterThan', le: 'LessThanOrEqual', lt: 'LessThan', eq: 'Equal' }[m[2].toLowerCase()]}'.` };
    }
    if (!DATETIME.test(literal)) return { error: `The query specified in the URI is not valid. The DateTimeOffset text '${literal}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.` };
    out.push({ field: m[1], op: m[2].toLowerCase(), ticks: ticks(literal) });
  }
  return out;
}
const COMPARE = { ge: (a, b) => a >= b, gt: (a, b) => a > b, le: (a, b) => a <= b, lt: (a, b) => a < b, eq: (a, b) => a === b };

/**
 * options: registry, clock, maxPageSize (items per page at most, whatever $top asks: 50),
 * rawNextLink (true: the nextLink unescaped, as the service sends it), paging ('keyset': the
 * skip token names the last item served; 'offset': a position in the list as it is when the next
 * page is asked for).
 */
function createArm({ registry, clock, maxPageSize = 50, rawNextLink = true, paging = 'keyset' }) {
  const log = requestLog();
  const injected = [];
  const workspaces = []; // {subscriptionId, resourceGroup, workspaceName, workspace}
  const denied = new Set(); // `${clientId}/${workspaceId}` without the Sentinel Reader role
  const served = new Set(); // revision ids (name@lastModifiedTimeUtc) served in a list
  const deleted = new Set(); // incident names deleted (gone from lists and sub-resources)
  let deleteAfterList = 0; // incidents to delete right after the next list pages serve them
  const afterListPage = []; // callbacks run once, each right after a list page is served
  const stats = { requests: 0, lists: 0, pages: 0, throttled: 0, alerts: 0, entities: 0, comments: 0, rejectedSkipTokens: 0 };
  const settings = { maxPageSize, rawNextLink, paging };

  const wsPathOf = (w) => `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${w.workspaceName}`;

  /** Each incident's newest revision among the visible rows: Map name -> row object. */
  function current(w, now = clock.now()) {
    const latest = new Map();
    for (const row of w.workspace.allRows('SecurityIncident')) {
      if (Date.parse(row.visibleAt) > now || deleted.has(row.IncidentName)) continue;
      const prev = latest.get(row.IncidentName);
      if (!prev || ticks(row.LastModifiedTime) > ticks(prev.LastModifiedTime)) latest.set(row.IncidentName, row);
    }
    return latest;
  }

  async function handle(req, res) {
    const correlationId = uuid();
    const headers = { 'x-ms-correlation-request-id': correlationId, 'x-ms-request-id': uuid(), 'Cache-Control': 'no-cache' };
    const error = (status, code, message, extra = {}) => sendJson(res, status, { error: { code, message } }, { ...headers, ...extra });
    const body = await readBody(req).catch(() => Buffer.alloc(0));
    log.push({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') });
    stats.requests += 1;
    const [rawPath, rawQuery = ''] = req.url.split('?');
    // ASP.NET reads a query string as forms do: `+` is a space.
    const query = new URLSearchParams(rawQuery);
    const path = decodeURIComponent(rawPath);

    const auth = String(req.headers.authorization || '');
    if (!auth) return error(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", { 'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."` });
    const bm = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    const checked = bm ? registry.checkToken(bm[1]) : { status: 'unknown' };
    if (checked.status === 'expired') {
      return error(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.', { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token has expired."' });
    }
    if (checked.status !== 'ok') return error(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    const audiences = [...AUDIENCES, api.audience].filter(Boolean).map((a) => a.toLowerCase());
    if (!audiences.includes(String(checked.info.resource).replace(/\/+$/, '').toLowerCase())) {
      return error(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${checked.info.resource}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`);
    }

    const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/incidents(?:\/([^/]+)\/(alerts|entities|comments))?\/?$/i.exec(path);
    if (!m) return error(404, 'InvalidResourceType', `The resource type could not be found in the namespace for api version '${query.get('api-version')}'.`);
    const [, sub, rg, wsName, incidentId, sub2] = m;
    const version = query.get('api-version');
    if (!version) return error(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    if (!API_VERSIONS.includes(version)) {
      return error(400, 'InvalidApiVersionParameter', `The api-version '${version}' is invalid. The supported versions are '${API_VERSIONS.join(',')}'.`);
    }
    if (!GUID.test(sub) || !workspaces.some((w) => w.subscriptionId.toLowerCase() === sub.toLowerCase())) {
      return error(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    }
    const action = `Microsoft.SecurityInsights/incidents/${incidentId ? `${sub2}/${sub2 === 'comments' ? 'read' : 'action'}` : 'read'}`;
    const scope = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${wsName}/providers/Microsoft.SecurityInsights`;
    const app = checked.info.app;
    const inGroup = workspaces.filter((w) => w.subscriptionId.toLowerCase() === sub.toLowerCase() && w.resourceGroup.toLowerCase() === rg.toLowerCase());
    const w = inGroup.find((x) => x.workspaceName.toLowerCase() === wsName.toLowerCase());
    const allowed = (x) => x && app.workspaces.has(x.workspace.workspaceId.toLowerCase()) && !denied.has(`${app.clientId.toLowerCase()}/${x.workspace.workspaceId.toLowerCase()}`);
    // ARM checks the role before it looks for the resource: without a role anywhere in the
    // group, the caller learns nothing about what exists there.
    if (!inGroup.some(allowed)) {
      return error(403, 'AuthorizationFailed', `The client '${app.objectId}' with object id '${app.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
    }
    if (!w) return error(404, 'ResourceNotFound', `The Resource 'Microsoft.OperationalInsights/workspaces/${wsName}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    if (!allowed(w)) {
      return error(403, 'AuthorizationFailed', `The client '${app.objectId}' with object id '${app.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
    }
    if (injected.length) {
      const f = injected.shift();
      if (f.status === 429) {
        stats.throttled += 1;
        const after = f.retryAfter ?? 1;
        return error(429, 'TooManyRequests', `Number of 'read' requests for subscription '${sub}' actor '${app.objectId}' exceeded. Please try again after '${after}' seconds after additional tries. For more information, please refer to https://aka.ms/ARMThrottling`, f.retryAfter === null ? {} : { 'Retry-After': String(after), 'x-ms-ratelimit-remaining-subscription-reads': '0' });
      }
      if (f.status === 'reset') { req.socket.destroy(); return undefined; }
      return error(f.status, f.status === 503 ? 'ServiceUnavailable' : 'InternalServerError', 'The server encountered an internal error. Please retry the request.');
    }
    const wsPath = wsPathOf(w);
    const latest = current(w);

    if (incidentId) {
      const row = latest.get(incidentId);
      if (!row) return error(404, 'NotFound', `Incident ${incidentId} was not found.`);
      const expected = sub2 === 'comments' ? 'GET' : 'POST';
      if (req.method !== expected) return error(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
      const alertRows = () => {
        const ids = new Set(parseJson(row.AlertIds, []));
        const newest = new Map();
        for (const a of w.workspace.allRows('SecurityAlert')) {
          if (!ids.has(a.SystemAlertId) || !a.visible) continue;
          const prev = newest.get(a.SystemAlertId);
          if (!prev || ticks(a.TimeGenerated) > ticks(prev.TimeGenerated)) newest.set(a.SystemAlertId, a);
        }
        return [...newest.values()];
      };
      if (sub2 === 'alerts') { stats.alerts += 1; return sendJson(res, 200, { value: alertRows().map((a) => alertJson(a, wsPath)) }, headers); }
      if (sub2 === 'entities') { stats.entities += 1; return sendJson(res, 200, entitiesJson(alertRows(), wsPath), headers); }
      stats.comments += 1;
      return sendJson(res, 200, { value: commentsJson(row, wsPath) }, headers);
    }

    if (req.method !== 'GET') return error(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const topText = query.get('$top');
    const top = topText === null ? 50 : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > 1000) return error(400, 'BadRequest', `The $top query parameter value '${topText}' is invalid: it must be an integer between 1 and 1000.`);
    const filter = parseFilter(query.get('$filter'));
    if (filter.error) return error(400, 'BadRequest', filter.error);
    const orderby = (query.get('$orderby') || 'properties/createdTimeUtc desc').trim();
    const om = /^properties\/(lastModifiedTimeUtc|createdTimeUtc)(?:\s+(asc|desc))?$/i.exec(orderby);
    if (!om) return error(400, 'BadRequest', `The query specified in the URI is not valid. Could not find a property named '${orderby}' to order by.`);
    const orderField = om[1];
    const desc = (om[2] || 'asc').toLowerCase() === 'desc';
    let after = null;
    if (query.has('$skipToken')) {
      after = readSkipToken(query.get('$skipToken'));
      if (!after || (after.offset !== undefined) !== (settings.paging === 'offset')) {
        stats.rejectedSkipTokens += 1;
        return error(400, 'BadRequest', 'The $skipToken query parameter is not valid: it was changed or not encoded as the nextLink gave it.');
      }
    }
    const keyOf = (row) => ({ ticks: ticks(orderField === 'createdTimeUtc' ? row.CreatedTime : row.LastModifiedTime), name: row.IncidentName });
    const before = (a, b) => (a.ticks === b.ticks ? a.name < b.name : a.ticks < b.ticks) !== desc;
    const items = [...latest.values()]
      .filter((row) => filter.every((f) => COMPARE[f.op](ticks(f.field === 'createdTimeUtc' ? row.CreatedTime : row.LastModifiedTime), f.ticks)))
      .map((row) => ({ row, key: keyOf(row) }))
      .filter((x) => !after || after.offset !== undefined || before(after, x.key))
      .sort((a, b) => (before(a.key, b.key) ? -1 : before(b.key, a.key) ? 1 : 0));
    const size = Math.min(top, settings.maxPageSize);
    const offset = after && after.offset !== undefined ? after.offset : 0;
    const page = items.slice(offset, offset + size).map((x) => incidentJson(x.row, wsPath));
    if (!query.has('$skipToken')) stats.lists += 1;
    stats.pages += 1;
    for (const item of page) served.add(`${item.name}@${item.properties.lastModifiedTimeUtc}`);
    for (; deleteAfterList > 0 && page.length; deleteAfterList -= 1) deleted.add(page[deleteAfterList % page.length].name);
    const out = { value: page };
    if (items.length > offset + size) {
      const token = settings.paging === 'offset' ? offsetToken(offset + size) : skipToken(page[page.length - 1]);
      const params = [['api-version', version], ['$filter', query.get('$filter')], ['$orderby', orderby], ['$top', String(top)], ['$skipToken', token]].filter(([, v]) => v !== null);
      const base = `${api.origin}${rawPath}`;
      out.nextLink = settings.rawNextLink
        ? `${base}?${params.map(([k, v]) => `${k}=${v}`).join('&')}`
        : `${base}?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
    }
    sendJson(res, 200, out, headers);
    const hook = afterListPage.shift();
    if (hook) hook(page);
    return undefined;
  }

  const api = {
    handle,
    requests: log,
    stats,
    settings,
    /** Revision ids (name@lastModifiedTimeUtc) every list served so far. */
    served,
    /** Another audience this service accepts (its own origin as https://host, for a sandbox managementHost). */
    audience: null,
    /** Registers a workspace under its ARM name: {subscriptionId, resourceGroup, workspaceName, workspace}. */
    addWorkspace(w) { workspaces.push(w); return w; },
    /** Deletes the `n` incidents just after a list page serves them (their alerts, entities and comments then answer 404 NotFound). */
    deleteAfterList(n = 1) { deleteAfterList += n; },
    /** Runs fn(items) once, right after the next list page is served (e.g. to modify an incident between two pages). */
    afterListPage(fn) { afterListPage.push(fn); },
    /** Removes (or gives back) the Sentinel Reader role of an app on a workspace. */
    deny(clientId, workspaceId, on = true) { const k = `${clientId.toLowerCase()}/${workspaceId.toLowerCase()}`; if (on) denied.add(k); else denied.delete(k); },
    /** The revision ids the API shows now for a workspace id: each incident's newest visible revision. */
    currentRevisions(workspaceId) {
      const w = workspaces.find((x) => x.workspace.workspaceId.toLowerCase() === String(workspaceId).toLowerCase());
      return new Set([...current(w).values()].map((r) => `${r.IncidentName}@${r.LastModifiedTime}`));
    },
    /** The ARM JSON of the incident revision of a SecurityIncident row object (for tests). */
    incidentJson: (row, workspaceId) => incidentJson(row, wsPathOf(workspaces.find((x) => x.workspace.workspaceId.toLowerCase() === String(workspaceId).toLowerCase()))),
    /** The next `n` authorised requests fail: 429 TooManyRequests (Retry-After `retryAfter` s, default 1; null: none), 5xx, or 'reset'. */
    failNext(n = 1, { status = 429, retryAfter } = {}) { for (let i = 0; i < n; i += 1) injected.push({ status, retryAfter }); },
    resetFailures() { injected.length = 0; },
    async listen(port = 0) {
      Object.assign(this, await listen(handle, { port, name: 'arm' }));
      this.audience = `https://${new URL(this.origin).host}`;
      return this;
    },
    /** The management host to put in the tenant settings (http://127.0.0.1:port). */
    get host() { return this.origin; },
  };
  return api;
}

module.exports = { createArm, incidentJson, API_VERSIONS };
