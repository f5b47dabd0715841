'use strict';
// Realistic Log Analytics query API responses for SecurityAlert and SecurityIncident, with
// random hostile bits in the nested JSON text fields. All randomness comes from `r` (prng.js).

const ALERT_COLUMNS = [
  ['TenantId', 'string'], ['TimeGenerated', 'datetime'], ['DisplayName', 'string'],
  ['AlertName', 'string'], ['AlertSeverity', 'string'], ['Description', 'string'],
  ['ProviderName', 'string'], ['VendorName', 'string'], ['VendorOriginalId', 'string'],
  ['SystemAlertId', 'string'], ['ResourceId', 'string'], ['SourceComputerId', 'string'],
  ['AlertType', 'string'], ['ConfidenceLevel', 'string'], ['ConfidenceScore', 'real'],
  ['IsIncident', 'bool'], ['StartTime', 'datetime'], ['EndTime', 'datetime'],
  ['ProcessingEndTime', 'datetime'], ['RemediationSteps', 'string'],
  ['ExtendedProperties', 'string'], ['Entities', 'string'], ['SourceSystem', 'string'],
  ['WorkspaceSubscriptionId', 'string'], ['WorkspaceResourceGroup', 'string'],
  ['ExtendedLinks', 'string'], ['ProductName', 'string'], ['ProductComponentName', 'string'],
  ['AlertLink', 'string'], ['Status', 'string'], ['CompromisedEntity', 'string'],
  ['Tactics', 'string'], ['Techniques', 'string'], ['SubTechniques', 'string'], ['Type', 'string'],
];

const INCIDENT_COLUMNS = [
  ['TenantId', 'string'], ['TimeGenerated', 'datetime'], ['IncidentName', 'string'],
  ['Title', 'string'], ['Description', 'string'], ['Severity', 'string'], ['Status', 'string'],
  ['Classification', 'string'], ['ClassificationComment', 'string'],
  ['ClassificationReason', 'string'], ['Owner', 'dynamic'], ['ProviderName', 'string'],
  ['ProviderIncidentId', 'string'], ['FirstActivityTime', 'datetime'],
  ['LastActivityTime', 'datetime'], ['FirstModifiedTime', 'datetime'],
  ['LastModifiedTime', 'datetime'], ['CreatedTime', 'datetime'], ['ClosedTime', 'datetime'],
  ['IncidentNumber', 'int'], ['RelatedAnalyticRuleIds', 'dynamic'], ['AlertIds', 'dynamic'],
  ['BookmarkIds', 'dynamic'], ['Comments', 'dynamic'], ['Tasks', 'dynamic'], ['Labels', 'dynamic'],
  ['IncidentUrl', 'string'], ['AdditionalData', 'dynamic'], ['ModifiedBy', 'string'],
  ['SourceSystem', 'string'], ['Type', 'string'],
];

const HOSTILE_STRINGS = [
  '', ' ', 'plain', 'quote " and backslash \\ and slash /', 'tab\there', 'line\nbreak\r\n',
  '\u0000\u0001\u0008\u000b\u000c\u001f\u007f', 'caf\u00e9 \u00fc\u00df \u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629',
  'emoji \ud83d\ude00\ud83c\udff3\ufe0f\u200d\ud83c\udf08', 'sep\u2028para\u2029', 'lone \ud800 high', 'lone \udfff low',
  'reversed \ude00\ud83d', '\ufeffbom', 'nbsp\u00a0', '</script>', '{not json', '[1,2', 'null', '0',
  'C:\\Windows\\System32\\cmd.exe', '${tenantId}', '%41%20', 'a&b=c', '\\u0041',
];

const NUMBER_TEXTS = [
  '0', '-0', '1', '1.0', '-1.5', '1e21', '1E21', '1e+21', '1e20', '123456789012345680000',
  '1e-7', '1e-6', '0.000001', '5e-324', '2.2250738585072014e-308', '9007199254740993',
  '9007199254740992', '-9007199254740993', '18446744073709551616', '0.30000000000000004',
  '0.1', '100e-2', '1e308', '1.7976931348623157e308', '1e400', '-1e400', '123.456e5', '3.14159',
  '4294967295', '4294967296', '1e-400',
];

const KEYS = [
  'Name', 'Type', '$id', '$ref', 'HostName', 'Address', 'Url', '', ' ', '0', '1', '10', '2',
  '01', '-1', '1.5', '4294967294', '4294967295', '4294967296', '__proto__', 'constructor',
  'toString', 'hasOwnProperty', 'k\u00e9y', 'emoji\ud83d\ude00', 'quote"', 'back\\slash',
  'ctl\u0001', '@timestamp', 'customer', 'SystemAlertId', 'IncidentName', 'EndTime',
];

function isoDate(r, base) {
  const ms = base + r.int(-86400000, 86400000);
  const frac = String(r.int(0, 9999999)).padStart(7, '0');
  return new Date(ms).toISOString().slice(0, 19) + '.' + frac + 'Z';
}

function escapeText(s, r) {
  // JSON string text for s, sometimes with needless (but valid) escapes.
  let out = '"';
  for (const ch of s.split('')) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) out += '\\u' + c.toString(16).padStart(4, '0').replace(/[a-f]/g, (x) => (r.chance(0.3) ? x.toUpperCase() : x));
    else if (ch === '/' && r.chance(0.5)) out += '\\/';
    else if (c > 0x7f && r.chance(0.2)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

// Random JSON text: duplicate keys, odd keys, number forms, escapes, whitespace.
function jsonText(r, depth = 0) {
  const ws = () => (r.chance(0.15) ? r.pick([' ', '\n', '\t', '\r\n  ']) : '');
  const kind = depth > 4 ? r.int(0, 3) : r.int(0, 6);
  switch (kind) {
    case 0: return r.chance(0.5) ? 'null' : r.pick(['true', 'false']);
    case 1: return r.pick(NUMBER_TEXTS);
    case 2: case 3: return escapeText(r.pick(HOSTILE_STRINGS.concat(['alice', 'contoso.com', '10.0.0.1'])), r);
    case 4: {
      const n = r.int(0, 4);
      const items = Array.from({ length: n }, () => ws() + jsonText(r, depth + 1) + ws());
      return '[' + items.join(',') + ']';
    }
    default: {
      const n = r.int(0, 5);
      const keys = Array.from({ length: n }, () => r.pick(KEYS));
      if (n > 1 && r.chance(0.2)) keys.push(keys[0]); // a key set twice
      return '{' + keys.map((k) => ws() + escapeText(k, r) + ws() + ':' + ws() + jsonText(r, depth + 1)).join(',') + '}';
    }
  }
}

function entitiesText(r) {
  const host = r.pick(['WS-01', 'srv-db-02', 'LAPTOP-\u00c5SA', '']);
  const entities = [
    { $id: '2', HostName: host, DnsDomain: 'contoso.local', OSFamily: 'Windows', Type: 'host' },
    { $id: '3', Name: r.pick(['alice', 'bob', 'j\u00f6rg']), UPNSuffix: 'contoso.com', AadUserId: r.guid(), Type: 'account' },
    { $id: '4', Address: `10.0.${r.int(0, 255)}.${r.int(1, 254)}`, Location: { CountryCode: r.pick(['NL', 'US', '', null]), City: null }, Type: 'ip' },
    { $id: '5', Url: 'https://evil.example/path?a=1&b=\u00e9', Type: 'url' },
    { $ref: '2' },
  ].slice(0, r.int(1, 5));
  let text = JSON.stringify(entities, null, r.chance(0.3) ? 2 : undefined);
  if (r.chance(0.2)) text = text.replace(/\//g, '\\/');
  if (r.chance(0.15)) text = text.slice(0, -1) + ',' + jsonText(r, 1) + ']';
  return text;
}

function extendedPropertiesText(r) {
  const props = {
    'Alert generation status': 'Full alert created', ProcessedBySentinel: 'True',
    'Alert Mode': r.pick(['Aggregated', 'Single']), 'Query Period': '05:00:00',
    'Trigger Operator': 'GreaterThan', 'Trigger Threshold': '0', 'Correlation Id': r.guid(),
    'Search Query Results Overall Count': String(r.int(1, 40)),
    'Data Sources': '["SigninLogs","AuditLogs"]',
    Query: 'SigninLogs\n| where ResultType != 0\r\n| summarize count() by "IPAddress"',
    OriginalProductName: r.pick(['Azure Sentinel', '', null]),
  };
  let text = JSON.stringify(props);
  if (r.chance(0.4)) text = text.slice(0, -1) + ',' + escapeText(r.pick(KEYS), r) + ':' + jsonText(r, 1) + '}';
  return text;
}

function nestedField(r, good) {
  let text = r.chance(0.6) ? good : jsonText(r, 0);
  const roll = r.next();
  if (roll < 0.08) text = text.slice(0, Math.max(1, text.length - 2)) + text.slice(-1); // likely invalid
  else if (roll < 0.14) text = r.pick([' ', '\n', '\t', '\u00a0', '\ufeff', '\u2028', '\u0085', '\r\n']) + text + r.pick(['', ' ', '\n', '\u3000']);
  else if (roll < 0.17) text = r.pick(['', 'null', '"{}"', '42', '{}', '[]', '[ ]', '{ }']);
  return text;
}

function cell(r, name, type, base) {
  if (r.chance(0.07)) return null;
  if (r.chance(0.04)) return '';
  switch (name) {
    case 'SystemAlertId': return r.chance(0.9) ? r.guid() : r.pick([12345, 0, '0', ' ', 'id/with/slash']);
    case 'IncidentName': return r.chance(0.9) ? r.guid() : r.pick([7, 'x', '\u00e9']);
    case 'EndTime': return r.chance(0.9) ? isoDate(r, base) : r.pick(['2025-11-19', '2025-11-19T10:00:00Z', '2025-11-19T12:00:00.5+02:00', '2025-11-19T10:00:00']);
    case 'Entities': return nestedField(r, entitiesText(r));
    case 'ExtendedProperties': return nestedField(r, extendedPropertiesText(r));
    case 'Owner': return nestedField(r, JSON.stringify({ objectId: r.guid(), email: 'alice@contoso.com', assignedTo: 'Alice', userPrincipalName: null }));
    case 'AlertIds': return nestedField(r, JSON.stringify([r.guid(), r.guid()]));
    case 'AdditionalData': return nestedField(r, JSON.stringify({ alertsCount: r.int(0, 9), bookmarksCount: 0, commentsCount: 0, alertProductNames: ['Azure Sentinel'], tactics: ['InitialAccess'], techniques: [] }));
    case 'IsIncident': return r.chance(0.5);
    case 'ConfidenceScore': return r.pick([0.5, 1, 0, -0, 1e21, 1e-7, 0.1 + 0.2, 5e-324, 2 ** 53 + 2]);
    case 'IncidentNumber': return r.int(1, 99999);
    default:
      if (type === 'datetime') return isoDate(r, base);
      if (type === 'dynamic') return r.chance(0.5) ? jsonText(r, 0) : '[]';
      if (r.chance(0.15)) return r.pick(HOSTILE_STRINGS);
      return r.pick(['Medium', 'High', 'Low', 'Informational', 'New', 'Azure Sentinel', 'Microsoft', 'Suspicious sign-in', `/subscriptions/${r.guid()}/resourceGroups/rg`]);
  }
}

// A query API response object with `rows` rows of the given table.
function response(r, table, rows, base) {
  const cols = table === 'SecurityIncident' ? INCIDENT_COLUMNS : ALERT_COLUMNS;
  const picked = r.chance(0.3) ? cols.filter(() => r.chance(0.7)) : cols;
  return {
    tables: [{
      name: 'PrimaryResult',
      columns: picked.map(([name, type]) => ({ name, type })),
      rows: Array.from({ length: rows }, () => picked.map(([name, type]) => cell(r, name, type, base))),
    }],
  };
}

module.exports = { ALERT_COLUMNS, INCIDENT_COLUMNS, HOSTILE_STRINGS, NUMBER_TEXTS, KEYS, jsonText, response, isoDate };
