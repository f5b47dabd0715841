'use strict';
// Seeded generator of realistic Microsoft Sentinel rows (SecurityAlert, SecurityIncident) and of
// whole Log Analytics query API responses. Same seed + same `now` = same bytes.
const { TABLES, columns } = require('./schema');

// ---------------------------------------------------------------- PRNG (sfc32, seeded by a string or number)
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function createRng(seed = 1) {
  let h = 1779033703 ^ String(seed).length;
  for (const ch of String(seed)) { h = Math.imul(h ^ ch.charCodeAt(0), 3432918353); h = (h << 13) | (h >>> 19); }
  const next32 = () => { h = Math.imul(h ^ (h >>> 16), 2246822507); h = Math.imul(h ^ (h >>> 13), 3266489909); return (h ^= h >>> 16) >>> 0; };
  let a = next32(); let b = next32(); let c = next32(); let d = next32();
  const u32 = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0; t = (t + d) | 0; c = (c + t) | 0;
    return t >>> 0;
  };
  const rng = {
    u32,
    float: () => u32() / 4294967296,
    int: (lo, hi) => lo + Math.floor((u32() / 4294967296) * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor((u32() / 4294967296) * arr.length)],
    chance: (p) => u32() / 4294967296 < p,
    hex: (n) => {
      let s = '';
      for (let i = 0; i < n; i += 8) { const v = u32(); s += HEX[v >>> 24] + HEX[(v >>> 16) & 255] + HEX[(v >>> 8) & 255] + HEX[v & 255]; }
      return s.length === n ? s : s.slice(0, n);
    },
    guid: () => { const x = rng.hex(32); return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-${'89ab'[u32() & 3]}${x.slice(17, 20)}-${x.slice(20, 32)}`; },
  };
  for (let i = 0; i < 8; i += 1) u32();
  return rng;
}

// ---------------------------------------------------------------- time formatting
/** ISO 8601 with 7 fraction digits (100 ns ticks) and Z, as Log Analytics returns datetimes. */
const DAY_MS = 86400000;
const dayCache = new Map();
const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const P4 = Array.from({ length: 10000 }, (_, i) => String(i).padStart(4, '0'));
function kustoDate(ms, ticks = 0) {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayCache.get(day);
  if (prefix === undefined) {
    if (dayCache.size > 4096) dayCache.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayCache.set(day, prefix);
  }
  let r = ms - day * DAY_MS;
  const h = Math.floor(r / 3600000); r -= h * 3600000;
  const m = Math.floor(r / 60000); r -= m * 60000;
  const sec = Math.floor(r / 1000);
  return `${prefix}${P2[h]}:${P2[m]}:${P2[sec]}.${P3[Math.floor(r - sec * 1000)]}${P4[ticks % 10000]}Z`;
}
const shortUtc = (ms) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

// ---------------------------------------------------------------- vocabulary
const HOSTS = ['WKS-0142', 'WKS-0387', 'LT-FIN-022', 'SRV-DC01', 'SRV-SQL02', 'SRV-WEB03', 'LT-HR-007', 'VM-JUMP01', 'LT-DEV-115', 'SRV-FS01'];
const USERS = [
  ['jdoe', 'John Doe'], ['asmith', 'Alice Smith'], ['kvermeulen', 'Kévin Vermeulen'], ['mgarcia', 'María García'],
  ['svc_backup', 'Backup Service'], ['pjanssen', 'Pieter Janssen'], ['ltanaka', '田中 Li Tanaka'], ['admin.ops', 'Ops Admin'],
  ['rbraam', 'R. Braam'], ['nobrien', "Niamh O'Brien"],
];
const PUBLIC_IPS = ['185.220.101.47', '45.153.160.2', '103.251.167.10', '91.219.236.18', '198.51.100.23', '203.0.113.77', '2a02:a45f:1c2:0:8d3:91ff:fe2a:4c1e'];
const PRIVATE_IPS = ['10.0.4.17', '10.0.8.52', '10.1.20.9', '172.16.3.44', '192.168.10.15'];
const COUNTRIES = [['NL', 'Amsterdam'], ['DE', 'Frankfurt am Main'], ['RU', 'Moscow'], ['US', 'Ashburn'], ['SG', 'Singapore'], ['BR', 'São Paulo']];
const SEVERITIES = ['Informational', 'Low', 'Medium', 'Medium', 'High', 'High'];

const KINDS = [
  {
    name: 'Suspicious PowerShell command line', severity: 'Medium', provider: 'MDATP', product: 'Microsoft Defender Advanced Threat Protection', component: '',
    tactics: 'Execution', techniques: ['T1059'], sub: ['T1059.001'], entities: ['host', 'account', 'process'], category: 'Execution',
    description: 'A suspicious PowerShell command line was found on the device. The command line contains an encoded command, which attackers often use to evade detection.\r\nReview the process tree and the command line below.',
    remediation: ['Examine the process tree to see which process launched PowerShell.', 'Check whether the encoded command matches a known administrative script.', 'If the activity is malicious, isolate the device and run a full antivirus scan.'],
  },
  {
    name: 'Multiple failed sign-in attempts followed by a success', severity: 'Medium', provider: 'ASI Scheduled Alerts', product: 'Azure Sentinel', component: 'Scheduled Alerts',
    tactics: 'CredentialAccess, InitialAccess', techniques: ['T1110', 'T1078'], sub: ['T1110.003'], entities: ['account', 'ip'], rule: 'SigninLogs',
    description: "Identifies accounts with many failed Azure AD sign-ins (error 50126) followed by a successful sign-in from the same IP within 20 minutes. This may indicate a password spray attack (\"low and slow\").",
  },
  {
    name: 'Sign-in from an anonymous IP address', severity: 'Low', provider: 'IPC', product: 'Azure Active Directory Identity Protection', component: '',
    tactics: 'InitialAccess', techniques: ['T1078'], sub: [], entities: ['account', 'ip'],
    description: 'This risk detection type indicates sign-ins from an anonymous IP address (for example, Tor browser or anonymizer VPNs).',
    remediation: ['Contact the user to confirm the sign-in.', 'Require multifactor authentication and reset the password if the sign-in was not legitimate.'],
  },
  {
    name: 'Ransomware behavior detected in the file system', severity: 'High', provider: 'MDATP', product: 'Microsoft Defender Advanced Threat Protection', component: '',
    tactics: 'Impact', techniques: ['T1486'], sub: [], entities: ['host', 'account', 'process', 'file'], category: 'Ransomware',
    description: 'Ransomware behavior was detected on the device: many files were renamed with an unusual extension and a ransom note (README_RESTORE.txt) was written in C:\\Users\\Public\\Documents.',
    remediation: ['Isolate the device from the network immediately.', 'Identify the initial access vector and reset credentials of affected accounts.', 'Restore the affected files from backups.'],
  },
  {
    name: 'Mass download by a single user', severity: 'Medium', provider: 'MCAS', product: 'Microsoft Cloud App Security', component: '',
    tactics: 'Exfiltration', techniques: ['T1567'], sub: ['T1567.002'], entities: ['account', 'ip', 'cloud'],
    description: 'A user downloaded an unusual number of files (1,482) from SharePoint Online within 5 minutes, which deviates from the user\'s baseline.',
  },
  {
    name: 'Rare subscription-level operations in Azure', severity: 'Low', provider: 'ASI Scheduled Alerts', product: 'Azure Sentinel', component: 'Scheduled Alerts',
    tactics: 'CredentialAccess, Persistence', techniques: ['T1003', 'T1098'], sub: [], entities: ['account', 'ip', 'azure'], rule: 'AzureActivity',
    description: 'Identifies sensitive subscription-level events based on Azure Activity Logs, for example listing storage account keys or creating role assignments, that were rarely performed by the caller in the last 14 days.',
  },
  {
    name: 'Suspicious process executed', severity: 'High', provider: 'Azure Security Center', product: 'Azure Security Center', component: '',
    tactics: 'Execution', techniques: ['T1204'], sub: ['T1204.002'], entities: ['host', 'process', 'file', 'azure'], asc: true,
    description: 'Machine logs indicate that the suspicious process "C:\\Windows\\Temp\\svch0st.exe" was running on the machine, often associated with attacker attempts to access credentials.',
    remediation: ['1. Run a full antivirus scan on the machine.', '2. Review the process and its parent in the process tree.', '3. Escalate the alert to the information security team.'],
  },
  {
    name: 'Impossible travel activity', severity: 'Medium', provider: 'MCAS', product: 'Microsoft Cloud App Security', component: '',
    tactics: 'InitialAccess', techniques: ['T1078'], sub: ['T1078.004'], entities: ['account', 'ip', 'ip'],
    description: 'The user signed in from two countries within 54 minutes, a distance that cannot be travelled in that time.',
  },
  {
    name: 'Advanced Multistage Attack Detection', severity: 'High', provider: 'Azure Sentinel', product: 'Azure Sentinel', component: 'Fusion',
    tactics: 'InitialAccess, Exfiltration', techniques: ['T1078', 'T1567'], sub: [], entities: ['account', 'ip', 'host'], fusion: true,
    description: 'Fusion correlated a suspicious sign-in with a subsequent mass file download by the same account. Both events happened within 2 hours; together they indicate a possibly compromised account used for data exfiltration.',
  },
  {
    name: "Malware 'Trojan:Win32/Wacatac.B!ml' was detected", severity: 'Informational', provider: 'MDATP', product: 'Microsoft Defender Advanced Threat Protection', component: '',
    tactics: '', techniques: [], sub: [], entities: ['host', 'file'], category: 'Malware',
    description: "Malware was detected and quarantined on the device.\nFile path: C:\\Users\\jdoe\\Downloads\\invoice_2025-11.pdf.exe",
  },
];

const PROCESS_LINES = [
  'powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
  'cmd.exe /c "whoami /all > C:\\Windows\\Temp\\out.txt"',
  'C:\\Windows\\Temp\\svch0st.exe -k netsvcs',
  'rundll32.exe C:\\ProgramData\\x64\\update.dll,Start',
  'wmic.exe shadowcopy delete /nointeractive',
];

// ---------------------------------------------------------------- generator
/**
 * A row generator for one workspace.
 * ctx: {seed, tenantId, workspaceId, subscriptionId, resourceGroup, workspaceName}
 */
function createGenerator(ctx = {}) {
  const rng = createRng(ctx.seed === undefined ? 1 : ctx.seed);
  const tenantId = ctx.tenantId || '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const workspaceId = ctx.workspaceId || 'b9e2c3d4-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
  const subscriptionId = ctx.subscriptionId || 'c2a6e0a4-7b43-4d8e-9a57-3f3b8e0d9c11';
  const resourceGroup = ctx.resourceGroup || 'rg-sentinel-prod';
  const workspaceName = ctx.workspaceName || 'law-sentinel-prod';
  const domain = ctx.domain || 'contoso.com';
  const wsPath = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${workspaceName}`;
  const ruleIds = KINDS.map(() => rng.guid());
  let incidentNumber = ctx.firstIncidentNumber || 1000;

  function entitiesFor(kind, host, user, ip) {
    const list = [];
    let id = 2;
    const refs = {};
    for (const type of kind.entities) {
      id += 1;
      const $id = String(id);
      if (type === 'host') {
        refs.host = $id;
        list.push({ $id, HostName: host, DnsDomain: 'corp.contoso.com', OSFamily: 'Windows', AzureID: kind.asc ? `${wsPath.split('/providers/')[0]}/providers/Microsoft.Compute/virtualMachines/${host.toLowerCase()}` : undefined, MdatpDeviceId: kind.provider === 'MDATP' ? rng.hex(40) : undefined, FQDN: `${host.toLowerCase()}.corp.contoso.com`, Type: 'host' });
      } else if (type === 'account') {
        refs.account = $id;
        list.push({ $id, Name: user[0], DisplayName: user[1], UPNSuffix: domain, AadTenantId: tenantId, AadUserId: rng.guid(), Sid: `S-1-5-21-${rng.int(1e9, 4e9)}-${rng.int(1e9, 4e9)}-${rng.int(1e9, 4e9)}-${rng.int(1100, 9999)}`, IsDomainJoined: true, Type: 'account' });
      } else if (type === 'ip') {
        const [cc, city] = rng.pick(COUNTRIES);
        list.push({ $id, Address: list.some((e) => e.Type === 'ip') ? rng.pick(PUBLIC_IPS) : ip, Location: { CountryCode: cc, City: city, Latitude: Math.round(rng.float() * 9000) / 100, Longitude: Math.round(rng.float() * 18000) / 100 - 90, Asn: rng.int(1000, 65000) }, Type: 'ip' });
      } else if (type === 'process') {
        const fileId = String((id += 1));
        list.push({ $id: fileId, Directory: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0', Name: 'powershell.exe', FileHashes: [{ $id: String((id += 1)), Algorithm: 'SHA256', Value: rng.hex(64), Type: 'filehash' }], Type: 'file' });
        list.push({ $id: String((id += 1)), ProcessId: String(rng.int(400, 20000)), CommandLine: rng.pick(PROCESS_LINES), ElevationToken: rng.pick(['Default', 'Full', 'Limited']), CreationTimeUtc: undefined, ImageFile: { $ref: fileId }, Account: refs.account ? { $ref: refs.account } : undefined, Host: refs.host ? { $ref: refs.host } : undefined, Type: 'process' });
      } else if (type === 'file') {
        list.push({ $id, Directory: rng.pick(['C:\\Users\\Public\\Documents', 'C:\\Windows\\Temp', 'C:\\Users\\jdoe\\Downloads']), Name: rng.pick(['svch0st.exe', 'README_RESTORE.txt', 'invoice_2025-11.pdf.exe', 'update.dll']), FileHashes: [{ $id: String((id += 1)), Algorithm: 'SHA1', Value: rng.hex(40), Type: 'filehash' }, { $id: String((id += 1)), Algorithm: 'SHA256', Value: rng.hex(64), Type: 'filehash' }], Host: refs.host ? { $ref: refs.host } : undefined, Type: 'file' });
      } else if (type === 'cloud') {
        list.push({ $id, AppId: 20892, Name: 'Microsoft SharePoint Online', InstanceName: 'Microsoft SharePoint Online', Type: 'cloud-application' });
      } else if (type === 'azure') {
        list.push({ $id, ResourceId: `/subscriptions/${subscriptionId}/resourceGroups/rg-app-${rng.int(1, 9)}/providers/Microsoft.Storage/storageAccounts/stapp${rng.hex(6)}`, SubscriptionId: subscriptionId, Type: 'azure-resource' });
      }
    }
    return list;
  }

  /** One SecurityAlert row (array in schema order) generated at `timeMs` (TimeGenerated). */
  function alert(timeMs, overrides) {
    const kind = KINDS[rng.int(0, KINDS.length - 1)];
    const k = KINDS.indexOf(kind);
    const host = rng.pick(HOSTS);
    const user = rng.pick(USERS);
    const ip = rng.chance(0.7) ? rng.pick(PUBLIC_IPS) : rng.pick(PRIVATE_IPS);
    const processingEnd = timeMs - rng.int(0, 900);
    const end = processingEnd - rng.int(60e3, 45 * 60e3);
    const start = end - (rng.chance(0.3) ? 0 : rng.int(1e3, 5 * 3600e3));
    const systemAlertId = rng.guid();
    const vendorId = kind.provider === 'MDATP' ? `da${rng.int(1e17, 9e17)}_${rng.int(1e8, 2e9)}` : kind.provider === 'Azure Security Center' ? `${2517000000000000000 - start}_${rng.guid()}` : rng.guid();
    const severity = rng.chance(0.85) ? kind.severity : rng.pick(SEVERITIES);
    const scheduled = kind.provider === 'ASI Scheduled Alerts';
    const queryEnd = end + 60e3;
    const ext = scheduled ? {
      'Query Period': '05:00:00', 'Trigger Operator': 'GreaterThan', 'Trigger Threshold': '0',
      'Correlation Id': rng.guid(), 'Search Query Results Overall Count': String(rng.int(1, 40)),
      'Data Sources': JSON.stringify([kind.rule]),
      Query: `set query_now = datetime(${new Date(queryEnd).toISOString()});\n${kind.rule}\n| where ResultType == "50126"\n| summarize FailedCount = count() by UserPrincipalName, IPAddress\n| where FailedCount > 10`,
      'Query Start Time UTC': shortUtc(queryEnd - 5 * 3600e3), 'Query End Time UTC': shortUtc(queryEnd),
      'Analytic Rule Ids': JSON.stringify([ruleIds[k]]), 'Event Grouping': 'SingleAlert', 'Analytic Rule Name': kind.name,
      ProcessedBySentinel: 'True', 'Alert generation status': 'Full alert created',
    } : kind.provider === 'MDATP' ? {
      'MicrosoftDefenderAtp.Category': kind.category, 'MicrosoftDefenderAtp.InvestigationId': String(rng.int(1, 99999)),
      'MicrosoftDefenderAtp.Status': 'New', Category: kind.category, ProcessedBySentinel: 'True', 'Alert generation status': 'Full alert created',
    } : kind.fusion ? {
      'Alert Type': 'Fusion', 'Kill Chain Intent': 'Exfiltration', ProcessedBySentinel: 'True', 'Fusion Rule Id': ruleIds[k],
    } : {
      'Detection Description': kind.description.slice(0, 80), 'Client IP Address': ip, 'Client Location': rng.pick(COUNTRIES)[1],
      'Request Id': rng.guid(), 'Source Product': kind.product, ProcessedBySentinel: 'True',
    };
    const entities = entitiesFor(kind, host, user, ip);
    const alertLink = kind.provider === 'MDATP' ? `https://security.microsoft.com/alerts/${vendorId}`
      : kind.provider === 'MCAS' ? `https://contoso.portal.cloudappsecurity.com/#/alerts/${rng.hex(24)}`
        : kind.provider === 'IPC' ? 'https://portal.azure.com/#blade/Microsoft_AAD_IAM/SecurityMenuBlade/RiskySignIns' : '';
    const row = [
      tenantId,
      kustoDate(timeMs, rng.int(0, 9999)),
      kind.name,
      kind.name,
      severity,
      kind.description,
      kind.provider,
      'Microsoft',
      vendorId,
      systemAlertId,
      kind.asc ? `/subscriptions/${subscriptionId}/resourceGroups/rg-servers/providers/Microsoft.Compute/virtualMachines/${host.toLowerCase()}` : '',
      kind.asc ? rng.guid() : '',
      scheduled ? `${workspaceId}_${ruleIds[k]}` : kind.fusion ? 'Fusion' : kind.provider === 'MDATP' ? `WindowsDefenderAtp_${kind.category}` : kind.name.replace(/[^A-Za-z]/g, ''),
      kind.fusion ? 'High' : '',
      kind.fusion ? Math.round(rng.float() * 100) / 100 : null,
      false,
      kustoDate(start, rng.int(0, 9999)),
      rng.chance(0.02) ? null : kustoDate(end, rng.int(0, 9999)),
      kustoDate(processingEnd, rng.int(0, 9999)),
      kind.remediation ? JSON.stringify(kind.remediation) : '',
      JSON.stringify(ext),
      JSON.stringify(entities),
      'Detection',
      subscriptionId,
      resourceGroup,
      kind.fusion || kind.provider === 'MDATP' ? JSON.stringify([{ Href: alertLink || `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Alert${wsPath}`, Category: null, Label: 'Investigation Link', Type: 'webLink' }]) : '',
      kind.product,
      kind.component,
      alertLink,
      rng.chance(0.9) ? 'New' : rng.pick(['InProgress', 'Resolved']),
      kind.entities.includes('host') ? host : kind.entities.includes('account') ? `${user[0]}@${domain}` : '',
      kind.tactics,
      kind.techniques.length ? JSON.stringify(kind.techniques) : '',
      kind.sub.length ? JSON.stringify(kind.sub) : '',
      'SecurityAlert',
    ];
    if (overrides) applyOverrides(row, 'SecurityAlert', overrides);
    return row;
  }

  /**
   * One SecurityIncident row at `timeMs` (TimeGenerated = LastModifiedTime). Pass `previous` (an earlier
   * row of the same incident) to produce an update of that incident (same IncidentName, new status).
   */
  function incident(timeMs, { alertIds, previous, overrides } = {}) {
    const cols = TABLES.SecurityIncident;
    const prev = previous ? Object.fromEntries(cols.map((c, i) => [c.name, previous[i]])) : null;
    const kind = KINDS[rng.int(0, KINDS.length - 1)];
    const created = prev ? Date.parse(prev.CreatedTime) : timeMs - rng.int(0, 600e3);
    const first = prev ? Date.parse(prev.FirstActivityTime) : created - rng.int(10 * 60e3, 6 * 3600e3);
    const last = prev ? Date.parse(prev.LastActivityTime) : Math.min(created, first + rng.int(0, 3600e3));
    const status = prev ? (prev.Status === 'New' ? rng.pick(['Active', 'Closed']) : 'Closed') : 'New';
    const closed = status === 'Closed';
    const ids = alertIds || (prev ? JSON.parse(prev.AlertIds) : Array.from({ length: rng.int(1, 3) }, () => rng.guid()));
    const name = prev ? prev.IncidentName : rng.guid();
    const number = prev ? prev.IncidentNumber : (incidentNumber += 1);
    const user = rng.pick(USERS);
    const owner = status === 'New' ? { objectId: null, email: null, assignedTo: null, userPrincipalName: null }
      : { objectId: rng.guid(), email: `${user[0]}@${'contoso.com'}`, assignedTo: user[1], userPrincipalName: `${user[0]}@contoso.com` };
    const comments = closed && rng.chance(0.6) ? [{ message: `Closed after review: ${rng.pick(['benign admin activity', 'confirmed phishing, password reset', 'duplicate of earlier incident'])}.`, createdTimeUtc: new Date(timeMs - 1000).toISOString(), lastModifiedTimeUtc: new Date(timeMs - 1000).toISOString(), author: { objectId: owner.objectId, email: owner.email, name: owner.assignedTo, userPrincipalName: owner.userPrincipalName } }] : [];
    const labels = rng.chance(0.3) ? [{ labelName: rng.pick(['phishing', 'VIP', 'false-positive-candidate', 'ransomware']), labelType: 'User' }] : [];
    const title = prev ? prev.Title : kind.name;
    const classification = closed ? rng.pick(['TruePositive', 'FalsePositive', 'BenignPositive']) : '';
    const reason = classification === 'TruePositive' ? 'SuspiciousActivity' : classification === 'FalsePositive' ? 'IncorrectAlertLogic' : classification === 'BenignPositive' ? 'SuspiciousButExpected' : '';
    const row = [
      tenantId,
      kustoDate(timeMs, rng.int(0, 9999)),
      name,
      title,
      prev ? prev.Description : kind.description,
      prev ? prev.Severity : kind.severity,
      status,
      classification,
      closed && rng.chance(0.5) ? 'Reviewed with the service owner.' : '',
      reason,
      JSON.stringify(owner),
      'Azure Sentinel',
      String(number),
      kustoDate(first, rng.int(0, 9999)),
      kustoDate(last, rng.int(0, 9999)),
      prev ? prev.FirstModifiedTime : kustoDate(created, rng.int(0, 9999)),
      kustoDate(timeMs, rng.int(0, 9999)),
      prev ? prev.CreatedTime : kustoDate(created, rng.int(0, 9999)),
      closed ? kustoDate(timeMs, rng.int(0, 9999)) : null,
      number,
      JSON.stringify(kind.provider === 'ASI Scheduled Alerts' ? [`${wsPath}/providers/Microsoft.SecurityInsights/alertRules/${ruleIds[KINDS.indexOf(kind)]}`] : []),
      JSON.stringify(ids),
      '[]',
      JSON.stringify(comments),
      '[]',
      JSON.stringify(labels),
      `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${wsPath}/providers/Microsoft.SecurityInsights/Incidents/${name}`,
      JSON.stringify({ alertsCount: ids.length, bookmarksCount: 0, commentsCount: comments.length, alertProductNames: [kind.product], tactics: kind.tactics ? kind.tactics.split(', ') : [], techniques: kind.techniques, providerIncidentUrl: `https://security.microsoft.com/incidents/${number}?tid=${tenantId}` }),
      prev ? `${user[0]}@contoso.com` : 'Incident created from alert',
      'Azure',
      'SecurityIncident',
    ];
    if (overrides) applyOverrides(row, 'SecurityIncident', overrides);
    return row;
  }

  return { alert, incident, rng, tenantId, workspaceId };
}

/** Sets named columns of a row array from an object (e.g. {EndTime: 'not a date'}). */
function applyOverrides(row, table, overrides) {
  const cols = TABLES[table];
  for (const [k, v] of Object.entries(overrides)) {
    const i = cols.findIndex((c) => c.name === k);
    if (i < 0) throw new TypeError(`data: ${table} has no column ${k}`);
    row[i] = v;
  }
  return row;
}

/** Converts a row object (column name -> value) into a row array in schema order ("" / null for missing). */
function rowFromObject(table, obj) {
  return TABLES[table].map((c) => (Object.prototype.hasOwnProperty.call(obj, c.name) ? obj[c.name] : c.type === 'string' ? '' : null));
}

/**
 * A whole query API response for `n` rows of `table`, spread over the `spanMs` before `now`, oldest first.
 * options: {seed = 1, now = Date.now(), spanMs = 12 h, tenantId, workspaceId, ...generator context}
 */
function response(table, n, options = {}) {
  if (!TABLES[table]) throw new TypeError(`data.response: unknown table ${table} (SecurityAlert or SecurityIncident)`);
  const now = options.now === undefined ? Date.now() : new Date(options.now).getTime();
  const spanMs = options.spanMs === undefined ? 12 * 3600e3 : options.spanMs;
  const gen = createGenerator(options);
  const rows = new Array(n);
  const step = n > 1 ? spanMs / n : 0;
  for (let i = 0; i < n; i += 1) {
    const t = Math.floor(now - spanMs + step * (i + 0.5));
    rows[i] = table === 'SecurityAlert' ? gen.alert(t) : gen.incident(t);
  }
  return { tables: [{ name: 'PrimaryResult', columns: columns(table), rows }] };
}

module.exports = { createRng, createGenerator, response, rowFromObject, applyOverrides, kustoDate, KINDS };
