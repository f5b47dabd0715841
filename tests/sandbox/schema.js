'use strict';
// Column names and Kusto types of the two Sentinel tables the flow reads, in the order
// Log Analytics returns them (Azure Monitor Logs table reference: SecurityAlert, SecurityIncident).
// In the query API response, `dynamic` values travel as JSON text and string columns are never null ("").

const SecurityAlert = [
  ['TenantId', 'string'], ['TimeGenerated', 'datetime'], ['DisplayName', 'string'], ['AlertName', 'string'],
  ['AlertSeverity', 'string'], ['Description', 'string'], ['ProviderName', 'string'], ['VendorName', 'string'],
  ['VendorOriginalId', 'string'], ['SystemAlertId', 'string'], ['ResourceId', 'string'], ['SourceComputerId', 'string'],
  ['AlertType', 'string'], ['ConfidenceLevel', 'string'], ['ConfidenceScore', 'real'], ['IsIncident', 'bool'],
  ['StartTime', 'datetime'], ['EndTime', 'datetime'], ['ProcessingEndTime', 'datetime'], ['RemediationSteps', 'string'],
  ['ExtendedProperties', 'string'], ['Entities', 'string'], ['SourceSystem', 'string'], ['WorkspaceSubscriptionId', 'string'],
  ['WorkspaceResourceGroup', 'string'], ['ExtendedLinks', 'string'], ['ProductName', 'string'], ['ProductComponentName', 'string'],
  ['AlertLink', 'string'], ['Status', 'string'], ['CompromisedEntity', 'string'], ['Tactics', 'string'],
  ['Techniques', 'string'], ['SubTechniques', 'string'], ['Type', 'string'],
].map(([name, type]) => ({ name, type }));

const SecurityIncident = [
  ['TenantId', 'string'], ['TimeGenerated', 'datetime'], ['IncidentName', 'string'], ['Title', 'string'],
  ['Description', 'string'], ['Severity', 'string'], ['Status', 'string'], ['Classification', 'string'],
  ['ClassificationComment', 'string'], ['ClassificationReason', 'string'], ['Owner', 'dynamic'], ['ProviderName', 'string'],
  ['ProviderIncidentId', 'string'], ['FirstActivityTime', 'datetime'], ['LastActivityTime', 'datetime'], ['FirstModifiedTime', 'datetime'],
  ['LastModifiedTime', 'datetime'], ['CreatedTime', 'datetime'], ['ClosedTime', 'datetime'], ['IncidentNumber', 'int'],
  ['RelatedAnalyticRuleIds', 'dynamic'], ['AlertIds', 'dynamic'], ['BookmarkIds', 'dynamic'], ['Comments', 'dynamic'],
  ['Tasks', 'dynamic'], ['Labels', 'dynamic'], ['IncidentUrl', 'string'], ['AdditionalData', 'dynamic'],
  ['ModifiedBy', 'string'], ['SourceSystem', 'string'], ['Type', 'string'],
].map(([name, type]) => ({ name, type }));

const TABLES = { SecurityAlert, SecurityIncident };

/** Column list of a table (copies, safe to hand out), or null for an unknown table. */
const columns = (table) => (TABLES[table] ? TABLES[table].map((c) => ({ ...c })) : null);

module.exports = { TABLES, columns };
