//! Documents in the Elastic Common Schema (ECS), so that Elastic Security shows Sentinel alerts
//! and incidents beside its own: the `ecs` option of every place that builds documents.
//!
//! Three shapes are read: an incident of the Sentinel REST API (`name`, `properties.*`), a
//! `SecurityIncident` row and a `SecurityAlert` row of the Log Analytics query API. The fields
//! follow Elastic's `microsoft_sentinel` integration (its `incident` and `alert` ingest pipelines)
//! wherever it maps the same value:
//!
//! | ECS field | REST incident | SecurityIncident | SecurityAlert |
//! |---|---|---|---|
//! | `event.kind` | `alert` | `alert` | `alert` |
//! | `event.id` | `name` | `IncidentName` | `SystemAlertId` |
//! | `event.severity` | `properties.severity` (0–3) | `Severity` (0–3) | `AlertSeverity` (21/47/73) |
//! | `event.start` / `end` | `properties.firstActivityTimeUtc` / `lastActivityTimeUtc` | `FirstActivityTime` / `LastActivityTime` | `StartTime` / `EndTime` |
//! | `event.created` | `properties.createdTimeUtc` | `CreatedTime` | `TimeGenerated` |
//! | `event.url` | `properties.incidentUrl` | `IncidentUrl` | `AlertLink` |
//! | `rule.name` | `properties.title` | `Title` | `DisplayName` (else `AlertName`) |
//! | `rule.id` | `properties.relatedAnalyticRuleIds` | `RelatedAnalyticRuleIds` | `ExtendedProperties["Analytic Rule Ids"]` |
//! | `message` | `properties.description` | `Description` | `Description` |
//! | `threat.tactic.name` | `properties.additionalData.tactics` | `AdditionalData.tactics` | `Tactics` (comma-separated) |
//! | `user.name` / `email` / `domain` / `id` | the owner (`assignedTo`, `email`, its domain) | `Owner` (same) | the first account entity (`Name`, `UPNSuffix`, `AadUserId`) |
//! | `related.user` / `hosts` / `ip` | owner names, object id, UPN; entities when fetched | `Owner` | account, host and IP entities |
//! | `observer.product` / `vendor` | `Azure Sentinel` / `Microsoft` | the same | `ProductName` / `VendorName` (else the same) |
//!
//! The owner's object id goes to `user.id` and `related.user` only for an owner whose `ownerType`
//! is `User` (the integration's incident pipeline: a group's id is not a user); an alert's
//! `rule.name` is its display name (the alert pipeline's `alertDisplayName`) and its observer the
//! product and vendor that raised it (the event pipeline's `ProductName`, `VendorName`). Also `ecs.version`, `@timestamp` and `customer` as they were. The original document
//! (without `@timestamp` and `customer`) is kept whole under `microsoft_sentinel.incident` or
//! `microsoft_sentinel.alert` (the integration's namespaces; `microsoft_sentinel.document` for
//! any other document), with its own field names. Dates are written as `toISOString()` does.

use crate::date::{time_value, to_iso};
use crate::json::value::{Object, Value};
use crate::Result;

/// The ECS version the documents follow (the integration's).
pub const ECS_VERSION: &str = "8.11.0";

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    RestIncident,
    IncidentRow,
    AlertRow,
    Other,
}

fn shape(doc: &Object) -> Shape {
    if doc.get(b"properties").and_then(Value::as_object).is_some() && doc.get(b"name").is_some() {
        Shape::RestIncident
    } else if doc.get(b"SystemAlertId").is_some() {
        Shape::AlertRow
    } else if doc.get(b"IncidentName").is_some() {
        Shape::IncidentRow
    } else {
        Shape::Other
    }
}

/// The ECS document for a document's JSON text (as `JSON.stringify` writes it).
pub fn document_json(doc: &[u8]) -> Result<Vec<u8>> {
    Ok(document(Value::parse(doc)?).to_json())
}

/// The ECS document for `doc`; a value that is not an object is returned as it is.
pub fn document(mut doc: Value) -> Value {
    let Value::Object(doc) = &mut doc else { return doc };
    // Value has a Drop of its own (no recursion): the object is taken out of it.
    let doc = std::mem::take(doc);
    let shape = shape(&doc);
    let mut out = Ecs::default();
    match shape {
        Shape::RestIncident => rest_incident(&doc, &mut out),
        Shape::IncidentRow => incident_row(&doc, &mut out),
        Shape::AlertRow => alert_row(&doc, &mut out),
        Shape::Other => {}
    }
    out.into_document(doc, shape)
}

/// The ECS fields found, before they are written in a fixed order.
#[derive(Default)]
struct Ecs {
    id: Option<Value>,
    severity: Option<f64>,
    start: Option<Value>,
    end: Option<Value>,
    created: Option<Value>,
    url: Option<Value>,
    rule_name: Option<Value>,
    rule_ids: Vec<Vec<u8>>,
    message: Option<Value>,
    tactics: Vec<Vec<u8>>,
    user_name: Option<Vec<u8>>,
    user_email: Option<Vec<u8>>,
    user_id: Option<Vec<u8>>,
    user_domain: Option<Vec<u8>>,
    related_users: Vec<Vec<u8>>,
    related_hosts: Vec<Vec<u8>>,
    related_ips: Vec<Vec<u8>>,
    observer_product: Option<Value>,
    observer_vendor: Option<Value>,
}

fn get<'a>(o: &'a Object, path: &[&[u8]]) -> Option<&'a Value> {
    let (last, parents) = path.split_last()?;
    let mut current = o;
    for key in parents {
        current = current.get(key)?.as_object()?;
    }
    current.get(last)
}

/// A non-empty string.
fn text(v: Option<&Value>) -> Option<Vec<u8>> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn string_value(v: Option<&Value>) -> Option<Value> {
    text(v).map(Value::String)
}

/// A date as `toISOString()` writes it, when it is a valid one.
fn date(v: Option<&Value>) -> Option<Value> {
    let v = v.filter(|v| matches!(v, Value::String(s) if !s.is_empty()))?;
    time_value(v).map(|t| Value::String(to_iso(t).into_bytes()))
}

/// Adds `item` unless it is there already (the integration appends without duplicates).
fn push_unique(list: &mut Vec<Vec<u8>>, item: Vec<u8>) {
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

/// The strings of an array (or of a JSON array in a string, as `ExtendedProperties` holds them).
fn strings(v: Option<&Value>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(|i| text(Some(i))).for_each(|s| push_unique(&mut out, s)),
        Some(Value::String(s)) => {
            if let Ok(parsed @ Value::Array(_)) = Value::parse(s) {
                return strings(Some(&parsed));
            }
            s.split(|&b| b == b',').map(|p| p.trim_ascii().to_vec()).for_each(|p| push_unique(&mut out, p));
        }
        _ => {}
    }
    out
}

/// `informational` 0, `low` 1, `medium` 2, `high` 3 for incidents; 21, 21, 47, 73 for alerts.
fn severity(v: Option<&Value>, scale: [f64; 4]) -> Option<f64> {
    let s = text(v)?.to_ascii_lowercase();
    match s.as_slice() {
        b"informational" => Some(scale[0]),
        b"low" => Some(scale[1]),
        b"medium" => Some(scale[2]),
        b"high" => Some(scale[3]),
        _ => None,
    }
}

const INCIDENT_SEVERITY: [f64; 4] = [0.0, 1.0, 2.0, 3.0];
const ALERT_SEVERITY: [f64; 4] = [21.0, 21.0, 47.0, 73.0];

/// `user.*` and `related.user` from an incident's owner (`assignedTo`, `email`, `objectId`,
/// `userPrincipalName`; the object id only for an owner whose `ownerType` is `User`).
fn owner(o: Option<&Object>, out: &mut Ecs) {
    let Some(o) = o else { return };
    out.user_name = text(o.get(b"assignedTo"));
    out.user_email = text(o.get(b"email"));
    out.user_domain = out.user_email.as_ref().and_then(|e| e.iter().rposition(|&b| b == b'@').map(|at| e[at + 1..].to_vec()));
    if let Some(name) = out.user_name.clone() {
        push_unique(&mut out.related_users, name);
    }
    if let Some(email) = out.user_email.clone() {
        push_unique(&mut out.related_users, email);
    }
    let is_user = text(o.get(b"ownerType")).is_some_and(|t| t.eq_ignore_ascii_case(b"user"));
    if let (true, Some(id)) = (is_user, text(o.get(b"objectId"))) {
        out.user_id = Some(id.clone());
        push_unique(&mut out.related_users, id);
    }
    if let Some(upn) = text(o.get(b"userPrincipalName")) {
        push_unique(&mut out.related_users, upn);
    }
}

/// `related.*` (and `user.*` when no owner set them) from entities: a row's `Entities` (`Type`,
/// `Name`, `HostName`, `Address`) or the REST API's (`kind`, `properties.accountName`, ...).
fn entities(v: Option<&Value>, out: &mut Ecs) {
    let Some(Value::Array(items)) = v else { return };
    for e in items.iter().filter_map(Value::as_object) {
        let props = e.get(b"properties").and_then(Value::as_object).unwrap_or(e);
        let kind = text(e.get(b"Type")).or_else(|| text(e.get(b"kind"))).unwrap_or_default().to_ascii_lowercase();
        let field = |pascal: &[u8], camel: &[u8]| text(props.get(pascal)).or_else(|| text(props.get(camel)));
        match kind.as_slice() {
            b"account" => {
                let Some(name) = field(b"Name", b"accountName") else { continue };
                let domain = field(b"UPNSuffix", b"upnSuffix").or_else(|| field(b"NTDomain", b"ntDomain"));
                if out.user_name.is_none() {
                    out.user_name = Some(name.clone());
                    out.user_domain = domain.clone();
                    out.user_id = field(b"AadUserId", b"aadUserId");
                }
                push_unique(&mut out.related_users, name.clone());
                if let Some(d) = domain {
                    push_unique(&mut out.related_users, [name.as_slice(), b"@", d.as_slice()].concat());
                }
            }
            b"host" => {
                if let Some(h) = field(b"HostName", b"hostName") {
                    push_unique(&mut out.related_hosts, h);
                }
                if let Some(f) = field(b"FQDN", b"fqdn") {
                    push_unique(&mut out.related_hosts, f);
                }
            }
            b"ip" => {
                if let Some(a) = field(b"Address", b"address") {
                    push_unique(&mut out.related_ips, a);
                }
            }
            _ => {}
        }
    }
}

fn rest_incident(doc: &Object, out: &mut Ecs) {
    let p = |key: &[u8]| get(doc, &[b"properties", key]);
    out.id = string_value(doc.get(b"name"));
    out.severity = severity(p(b"severity"), INCIDENT_SEVERITY);
    out.start = date(p(b"firstActivityTimeUtc"));
    out.end = date(p(b"lastActivityTimeUtc"));
    out.created = date(p(b"createdTimeUtc"));
    out.url = string_value(p(b"incidentUrl"));
    out.rule_name = string_value(p(b"title"));
    out.rule_ids = strings(p(b"relatedAnalyticRuleIds"));
    out.message = string_value(p(b"description"));
    out.tactics = strings(get(doc, &[b"properties", b"additionalData", b"tactics"]));
    owner(p(b"owner").and_then(Value::as_object), out);
    entities(doc.get(b"entities"), out);
}

fn incident_row(doc: &Object, out: &mut Ecs) {
    out.id = string_value(doc.get(b"IncidentName"));
    out.severity = severity(doc.get(b"Severity"), INCIDENT_SEVERITY);
    out.start = date(doc.get(b"FirstActivityTime"));
    out.end = date(doc.get(b"LastActivityTime"));
    out.created = date(doc.get(b"CreatedTime"));
    out.url = string_value(doc.get(b"IncidentUrl"));
    out.rule_name = string_value(doc.get(b"Title"));
    out.rule_ids = strings(doc.get(b"RelatedAnalyticRuleIds"));
    out.message = string_value(doc.get(b"Description"));
    out.tactics = strings(get(doc, &[b"AdditionalData", b"tactics"]));
    owner(doc.get(b"Owner").and_then(Value::as_object), out);
}

fn alert_row(doc: &Object, out: &mut Ecs) {
    out.id = string_value(doc.get(b"SystemAlertId"));
    out.severity = severity(doc.get(b"AlertSeverity"), ALERT_SEVERITY);
    out.start = date(doc.get(b"StartTime"));
    out.end = date(doc.get(b"EndTime"));
    out.created = date(doc.get(b"TimeGenerated"));
    out.url = string_value(doc.get(b"AlertLink"));
    out.rule_name = string_value(doc.get(b"DisplayName")).or_else(|| string_value(doc.get(b"AlertName")));
    out.rule_ids = strings(get(doc, &[b"ExtendedProperties", b"Analytic Rule Ids"]));
    out.message = string_value(doc.get(b"Description"));
    out.tactics = strings(doc.get(b"Tactics"));
    out.observer_product = string_value(doc.get(b"ProductName"));
    out.observer_vendor = string_value(doc.get(b"VendorName"));
    entities(doc.get(b"Entities"), out);
}

fn object(entries: Vec<(&[u8], Option<Value>)>) -> Option<Value> {
    let mut o = Object::new();
    for (k, v) in entries {
        if let Some(v) = v {
            o.set(k.to_vec(), v);
        }
    }
    (!o.entries().is_empty()).then_some(Value::Object(o))
}

fn list(items: Vec<Vec<u8>>) -> Option<Value> {
    (!items.is_empty()).then(|| Value::Array(items.into_iter().map(Value::String).collect()))
}

fn string(s: &str) -> Option<Value> {
    Some(Value::String(s.as_bytes().to_vec()))
}

impl Ecs {
    fn into_document(self, original: Object, shape: Shape) -> Value {
        // The original without what the writer added (`@timestamp`, `customer`), which stay on top.
        let mut kept = Object::new();
        let (mut timestamp, mut customer) = (None, None);
        for (k, v) in original.entries() {
            match k.as_slice() {
                b"@timestamp" => timestamp = Some(v.to_json()),
                b"customer" => customer = Some(v.to_json()),
                _ => kept.set(k.clone(), Value::parse(&v.to_json()).unwrap_or(Value::Null)),
            }
        }
        let reparse = |t: Option<Vec<u8>>| t.and_then(|t| Value::parse(&t).ok());
        let namespace: &[u8] = match shape {
            Shape::RestIncident | Shape::IncidentRow => b"incident",
            Shape::AlertRow => b"alert",
            Shape::Other => b"document",
        };
        let known = shape != Shape::Other;
        let event = object(vec![
            (b"kind", if known { string("alert") } else { string("event") }),
            (b"id", self.id),
            (b"severity", self.severity.map(Value::Number)),
            (b"start", self.start),
            (b"end", self.end),
            (b"created", self.created),
            (b"url", self.url),
        ]);
        let user = object(vec![
            (b"name", self.user_name.map(Value::String)),
            (b"email", self.user_email.map(Value::String)),
            (b"domain", self.user_domain.map(Value::String)),
            (b"id", self.user_id.map(Value::String)),
        ]);
        let related =
            object(vec![(b"user", list(self.related_users)), (b"hosts", list(self.related_hosts)), (b"ip", list(self.related_ips))]);
        let tactic = object(vec![(b"name", list(self.tactics))]);
        let mut sentinel = Object::new();
        sentinel.set(namespace.to_vec(), Value::Object(kept));
        let fields: Vec<(&[u8], Option<Value>)> = vec![
            (b"@timestamp", reparse(timestamp)),
            (b"ecs", object(vec![(b"version", string(ECS_VERSION))])),
            (b"event", event),
            (b"rule", object(vec![(b"name", self.rule_name), (b"id", list(self.rule_ids))])),
            (b"message", self.message),
            (b"threat", object(vec![(b"tactic", tactic)])),
            (
                b"observer",
                object(vec![
                    (b"product", self.observer_product.or_else(|| string("Azure Sentinel"))),
                    (b"vendor", self.observer_vendor.or_else(|| string("Microsoft"))),
                ]),
            ),
            (b"user", user),
            (b"related", related),
            (b"customer", reparse(customer)),
            (b"microsoft_sentinel", Some(Value::Object(sentinel))),
        ];
        object(fields).unwrap_or(Value::Object(Object::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecs(doc: &str) -> Value {
        document(Value::parse(doc.as_bytes()).unwrap())
    }

    fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
        let o = v.as_object()?;
        let keys: Vec<&[u8]> = path.split('/').map(str::as_bytes).collect();
        get(o, &keys)
    }

    fn json(v: Option<&Value>) -> String {
        v.map_or("undefined".into(), |v| String::from_utf8(v.to_json()).unwrap())
    }

    /// (field path, expected JSON) pairs, checked one by one.
    fn check(doc: &Value, expected: &[(&str, &str)]) {
        for (path, want) in expected {
            assert_eq!(json(at(doc, path)), *want, "{path}");
        }
    }

    const REST: &str = r#"{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/Incidents/inc-1","name":"inc-1","etag":"\"e1\"","type":"Microsoft.SecurityInsights/Incidents","properties":{"title":"Mass download by a single user","description":"A user downloaded many files.","severity":"Medium","status":"Active","owner":{"objectId":"0b1c","email":"jdoe@contoso.com","assignedTo":"John Doe","userPrincipalName":"jdoe@contoso.com","ownerType":"User"},"firstActivityTimeUtc":"2025-11-19T08:00:00.1234567Z","lastActivityTimeUtc":"2025-11-19T09:00:00Z","lastModifiedTimeUtc":"2025-11-19T10:00:00.5Z","createdTimeUtc":"2025-11-19T09:30:00Z","incidentNumber":7,"additionalData":{"alertsCount":1,"tactics":["Exfiltration","InitialAccess"]},"relatedAnalyticRuleIds":["/subscriptions/s/.../alertRules/r1"],"incidentUrl":"https://portal.azure.com/#asset/x/inc-1"},"entities":[{"kind":"Host","properties":{"hostName":"WKS-0142","friendlyName":"WKS-0142"}},{"kind":"Ip","properties":{"address":"185.220.101.47"}},{"kind":"Account","properties":{"accountName":"asmith","upnSuffix":"contoso.com"}}],"@timestamp":"2025-11-19T10:00:00.500Z","customer":{"name":"contoso"}}"#;

    #[test]
    fn maps_a_rest_api_incident_field_by_field() {
        let doc = ecs(REST);
        check(
            &doc,
            &[
                ("@timestamp", r#""2025-11-19T10:00:00.500Z""#),
                ("ecs/version", r#""8.11.0""#),
                ("event/kind", r#""alert""#),
                ("event/id", r#""inc-1""#),
                ("event/severity", "2"),
                ("event/start", r#""2025-11-19T08:00:00.123Z""#),
                ("event/end", r#""2025-11-19T09:00:00.000Z""#),
                ("event/created", r#""2025-11-19T09:30:00.000Z""#),
                ("event/url", r#""https://portal.azure.com/#asset/x/inc-1""#),
                ("rule/name", r#""Mass download by a single user""#),
                ("rule/id", r#"["/subscriptions/s/.../alertRules/r1"]"#),
                ("message", r#""A user downloaded many files.""#),
                ("threat/tactic/name", r#"["Exfiltration","InitialAccess"]"#),
                ("observer/product", r#""Azure Sentinel""#),
                ("observer/vendor", r#""Microsoft""#),
                ("user/name", r#""John Doe""#),
                ("user/email", r#""jdoe@contoso.com""#),
                ("user/domain", r#""contoso.com""#),
                ("user/id", r#""0b1c""#),
                ("related/user", r#"["John Doe","jdoe@contoso.com","0b1c","asmith","asmith@contoso.com"]"#),
                ("related/hosts", r#"["WKS-0142"]"#),
                ("related/ip", r#"["185.220.101.47"]"#),
                ("customer/name", r#""contoso""#),
                ("microsoft_sentinel/incident/name", r#""inc-1""#),
                ("microsoft_sentinel/incident/etag", r#""\"e1\"""#),
                ("microsoft_sentinel/incident/properties/lastModifiedTimeUtc", r#""2025-11-19T10:00:00.5Z""#),
                ("microsoft_sentinel/incident/@timestamp", "undefined"),
                ("microsoft_sentinel/incident/customer", "undefined"),
                ("name", "undefined"),
            ],
        );
        // The original is kept whole, in its order.
        let original = Value::parse(REST.as_bytes()).unwrap();
        let kept = at(&doc, "microsoft_sentinel/incident").unwrap().as_object().unwrap();
        let keys: Vec<&[u8]> = kept.entries().iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [&b"id"[..], b"name", b"etag", b"type", b"properties", b"entities"]);
        assert_eq!(kept.get(b"properties"), original.as_object().unwrap().get(b"properties"));
        // The top level in a fixed order.
        let top: Vec<String> = doc.as_object().unwrap().entries().iter().map(|(k, _)| String::from_utf8(k.clone()).unwrap()).collect();
        assert_eq!(
            top,
            ["@timestamp", "ecs", "event", "rule", "message", "threat", "observer", "user", "related", "customer", "microsoft_sentinel"]
        );
    }

    #[test]
    fn maps_a_security_incident_row() {
        let doc = ecs(
            r#"{"TimeGenerated":"2025-11-19T10:00:00Z","IncidentName":"inc-2","Title":"Ransomware","Description":"Files encrypted.","Severity":"High","Status":"New","Owner":{"objectId":null,"email":"a@b.example","assignedTo":"A B"},"FirstActivityTime":"2025-11-19T07:00:00Z","LastActivityTime":"2025-11-19T07:30:00Z","CreatedTime":"2025-11-19T08:00:00Z","RelatedAnalyticRuleIds":[],"AdditionalData":{"tactics":["Impact"]},"IncidentUrl":"https://portal/inc-2","@timestamp":"2025-11-19T10:00:00.000Z"}"#,
        );
        check(
            &doc,
            &[
                ("event/id", r#""inc-2""#),
                ("event/severity", "3"),
                ("event/start", r#""2025-11-19T07:00:00.000Z""#),
                ("event/end", r#""2025-11-19T07:30:00.000Z""#),
                ("event/created", r#""2025-11-19T08:00:00.000Z""#),
                ("event/url", r#""https://portal/inc-2""#),
                ("rule/name", r#""Ransomware""#),
                ("rule/id", "undefined"),
                ("message", r#""Files encrypted.""#),
                ("threat/tactic/name", r#"["Impact"]"#),
                ("user/name", r#""A B""#),
                ("user/domain", r#""b.example""#),
                ("user/id", "undefined"),
                ("related/user", r#"["A B","a@b.example"]"#),
                ("microsoft_sentinel/incident/IncidentName", r#""inc-2""#),
                ("customer", "undefined"),
            ],
        );
    }

    #[test]
    fn an_owner_id_is_a_user_id_only_for_an_owner_of_type_user() {
        let with = |owner: &str| ecs(&format!(r#"{{"IncidentName":"i","Owner":{owner}}}"#));
        let group = with(r#"{"objectId":"g-1","assignedTo":"SOC team","ownerType":"Group"}"#);
        check(&group, &[("user/id", "undefined"), ("user/name", r#""SOC team""#), ("related/user", r#"["SOC team"]"#)]);
        let untyped = with(r#"{"objectId":"x-1","assignedTo":"Someone"}"#);
        check(&untyped, &[("user/id", "undefined"), ("related/user", r#"["Someone"]"#)]);
        let user = with(r#"{"objectId":"u-1","assignedTo":"A B","ownerType":"user"}"#);
        check(&user, &[("user/id", r#""u-1""#), ("related/user", r#"["A B","u-1"]"#)]);
    }

    #[test]
    fn maps_a_security_alert_row() {
        let doc = ecs(
            r#"{"TimeGenerated":"2025-11-19T10:00:00.1234567Z","AlertName":"Suspicious PowerShell","DisplayName":"Shown","AlertSeverity":"Low","Description":"d","SystemAlertId":"a-1","StartTime":"2025-11-19T09:00:00Z","EndTime":"not a date","AlertLink":"https://security.microsoft.com/alerts/x","Tactics":"CredentialAccess, InitialAccess","ExtendedProperties":{"Analytic Rule Ids":"[\"r-9\"]"},"Entities":[{"$id":"3","HostName":"WKS-1","FQDN":"wks-1.corp","Type":"host"},{"$id":"4","Name":"jdoe","UPNSuffix":"contoso.com","AadUserId":"u-1","Type":"account"},{"$id":"5","Address":"10.0.0.1","Type":"ip"}],"ProductName":"MDATP","VendorName":"Microsoft"}"#,
        );
        check(
            &doc,
            &[
                ("@timestamp", "undefined"),
                ("event/kind", r#""alert""#),
                ("event/id", r#""a-1""#),
                ("event/severity", "21"),
                ("event/start", r#""2025-11-19T09:00:00.000Z""#),
                ("event/end", "undefined"),
                ("event/created", r#""2025-11-19T10:00:00.123Z""#),
                ("event/url", r#""https://security.microsoft.com/alerts/x""#),
                ("rule/name", r#""Shown""#),
                ("rule/id", r#"["r-9"]"#),
                ("observer/product", r#""MDATP""#),
                ("observer/vendor", r#""Microsoft""#),
                ("threat/tactic/name", r#"["CredentialAccess","InitialAccess"]"#),
                ("user/name", r#""jdoe""#),
                ("user/domain", r#""contoso.com""#),
                ("user/id", r#""u-1""#),
                ("related/user", r#"["jdoe","jdoe@contoso.com"]"#),
                ("related/hosts", r#"["WKS-1","wks-1.corp"]"#),
                ("related/ip", r#"["10.0.0.1"]"#),
                ("microsoft_sentinel/alert/SystemAlertId", r#""a-1""#),
                ("microsoft_sentinel/alert/EndTime", r#""not a date""#),
            ],
        );
        // The product and vendor that raised the alert (a partner's too), else Sentinel's; the
        // rule name from the display name, else the alert name.
        let doc = ecs(r#"{"SystemAlertId":"p","AlertName":"Beacon","ProductName":"Falcon","VendorName":"CrowdStrike"}"#);
        check(&doc, &[("observer/product", r#""Falcon""#), ("observer/vendor", r#""CrowdStrike""#), ("rule/name", r#""Beacon""#)]);
        let doc = ecs(r#"{"SystemAlertId":"q","ProductName":"","DisplayName":"Shown"}"#);
        check(&doc, &[("observer/product", r#""Azure Sentinel""#), ("observer/vendor", r#""Microsoft""#), ("rule/name", r#""Shown""#)]);
        // Severity scale of alerts, as the integration's alert pipeline.
        for (sev, want) in [("Informational", "21"), ("Medium", "47"), ("High", "73"), ("Unknown", "undefined")] {
            let doc = ecs(&format!(r#"{{"SystemAlertId":"x","AlertSeverity":"{sev}"}}"#));
            check(&doc, &[("event/severity", want)]);
        }
    }

    #[test]
    fn other_documents_keep_everything_under_a_field_of_their_own() {
        let doc = ecs(r#"{"x":1,"@timestamp":"2025-11-19T10:00:00.000Z"}"#);
        check(
            &doc,
            &[
                ("event/kind", r#""event""#),
                ("ecs/version", r#""8.11.0""#),
                ("microsoft_sentinel/document/x", "1"),
                ("@timestamp", r#""2025-11-19T10:00:00.000Z""#),
            ],
        );
        assert_eq!(document(Value::Number(5.0)), Value::Number(5.0));
        assert_eq!(
            document_json(br#"{"SystemAlertId":"a"}"#).unwrap(),
            br#"{"ecs":{"version":"8.11.0"},"event":{"kind":"alert","id":"a"},"observer":{"product":"Azure Sentinel","vendor":"Microsoft"},"microsoft_sentinel":{"alert":{"SystemAlertId":"a"}}}"#.to_vec()
        );
    }

    #[test]
    fn the_bulk_writer_maps_after_cleaning_and_keeps_ids_and_versions() {
        use crate::bulk::{from_response, Options};
        use crate::revision::Ids;
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"SystemAlertId"},{"name":"TimeGenerated"},{"name":"AlertName"},{"name":"Entities"},{"name":"Empty"}],"rows":[["a-1","2025-11-19T10:00:00Z","Rule","[{\"HostName\":\"WKS-1\",\"Type\":\"host\"}]",""]]}]}"#;
        let options = Options {
            index: "logs-azure_api".into(),
            tenant_name: Some(b"\"contoso\"".to_vec()),
            ids: Ids::Revision,
            stable_timestamp: true,
            latest_index: Some("latest".into()),
            ecs: true,
            ..Default::default()
        };
        let bulk = from_response(response, &options).unwrap();
        let lines: Vec<&str> = bulk.ndjson.lines().collect();
        assert_eq!(lines[0], r#"{"create":{"_index":"logs-azure_api","_id":"a-1@2025-11-19T10:00:00Z"}}"#);
        assert_eq!(lines[2], r#"{"index":{"_index":"latest","_id":"a-1","version":17635464000000000,"version_type":"external"}}"#);
        assert_eq!(lines[1], lines[3]);
        let doc = Value::parse(lines[1].as_bytes()).unwrap();
        check(
            &doc,
            &[
                ("@timestamp", r#""2025-11-19T10:00:00.000Z""#),
                ("customer/name", r#""contoso""#),
                ("rule/name", r#""Rule""#),
                ("related/hosts", r#"["WKS-1"]"#),
                ("microsoft_sentinel/alert/Entities", r#"[{"HostName":"WKS-1","Type":"host"}]"#),
                ("microsoft_sentinel/alert/Empty", "undefined"),
            ],
        );
        // Off by default: the original field names.
        let plain = from_response(response, &Options { ecs: false, ..options }).unwrap();
        assert!(plain.ndjson.lines().nth(1).unwrap().starts_with(r#"{"SystemAlertId":"a-1""#));
    }
}
