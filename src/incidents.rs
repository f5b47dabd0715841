//! Incidents of the Microsoft Sentinel REST API (`Microsoft.SecurityInsights/incidents`) → the
//! NDJSON `_bulk` body of the incremental mode.
//!
//! Each incident keeps the API's JSON shape (`id`, `name`, `etag`, `properties.*`, and the
//! `alerts`, `entities` and `comments` the reader fetched for it), cleaned as every document is
//! (`null` and `""` members dropped), with `@timestamp` from `properties.lastModifiedTimeUtc`
//! (as Elastic's integration sets it) and `customer.name` from the tenant name. The API shows an
//! incident's current state: each state read is a revision, a document of its own with the
//! `_id` `name@lastModifiedTimeUtc` (see [`crate::revision`]), so a revision read twice is
//! written once; the latest index gets each revision with its time as external version.

use crate::bulk::Bulk;
use crate::date::{time_value, to_iso};
use crate::json::clean::Cleaner;
use crate::json::describe;
use crate::json::reader::Reader;
use crate::json::string::write_escaped;
use crate::json::value::{Object, Value};
use crate::revision::{revision_id, version_ticks};
use crate::{ecs, Error, ErrorKind, Result};

/// What the documents need besides themselves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The data stream of every revision.
    pub index: String,
    /// The tenant name as JSON text, when truthy.
    pub tenant_name: Option<Vec<u8>>,
    /// The index of each incident's newest revision.
    pub latest_index: Option<String>,
    /// Documents in the Elastic Common Schema (see [`crate::ecs`]).
    pub ecs: bool,
}

/// Builds the body from `docs`, the JSON text of an array of incidents. An element that is not
/// an incident (no `name`, or no valid `properties.lastModifiedTimeUtc`) is skipped with a
/// warning naming it.
pub fn from_incidents(docs: &[u8], options: &Options) -> Result<Bulk> {
    let mut r = Reader::new(docs);
    if r.peek() != Some(b'[') {
        let v = r.skip_value()?;
        return Err(Error::new(ErrorKind::UnexpectedShape, format!("the incidents are {}, not an array", describe(v))));
    }
    let tenant = options.tenant_name.as_deref().map(Value::parse).transpose()?;
    let mut cleaner = Cleaner::new();
    let mut cleaned = Vec::new();
    let mut out = Vec::with_capacity(docs.len() + docs.len() / 2);
    let (mut documents, mut warnings, mut index) = (0, Vec::new(), 0);
    if !r.open(b'[', b']')? {
        loop {
            let text = r.skip_value()?;
            cleaned.clear();
            cleaner.copy(&mut Reader::new(text), &mut cleaned)?;
            match revision(Value::parse(&cleaned)?) {
                Ok((doc, name, time)) => {
                    write(&mut out, doc, &name, &time, tenant.as_ref(), options)?;
                    documents += 1;
                }
                Err(why) => warnings.push(format!("incident {index} skipped: {why}")),
            }
            index += 1;
            if !r.next_or_close(b']')? {
                break;
            }
        }
    }
    r.finish()?;
    let ndjson = String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Bulk { ndjson, documents, warnings })
}

/// The incident, its name and its revision time, or why it is not one.
fn revision(mut doc: Value) -> std::result::Result<(Object, Vec<u8>, Vec<u8>), String> {
    let Value::Object(o) = &mut doc else { return Err(format!("it is {}, not an object", describe(&doc.to_json()))) };
    let o = std::mem::take(o);
    let name = match o.get(b"name") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err("it has no name".into()),
    };
    let time = match o.get(b"properties").and_then(Value::as_object).and_then(|p| p.get(b"lastModifiedTimeUtc")) {
        Some(Value::String(s)) if version_ticks(s).is_some() => s.clone(),
        _ => return Err(format!("{} has no valid properties.lastModifiedTimeUtc", String::from_utf8_lossy(&name))),
    };
    Ok((o, name, time))
}

fn token(text: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    write_escaped(&mut t, text);
    t
}

fn write(out: &mut Vec<u8>, mut doc: Object, name: &[u8], time: &[u8], tenant: Option<&Value>, options: &Options) -> Result<()> {
    let ms = time_value(&Value::String(time.to_vec())).unwrap_or(0.0);
    doc.set(b"@timestamp".to_vec(), Value::String(to_iso(ms).into_bytes()));
    if let Some(tenant) = tenant.filter(|t| t.truthy()) {
        let mut customer = match doc.get(b"customer") {
            Some(Value::Object(c)) => Object::from_settings(
                c.entries().iter().map(|(k, v)| (k.clone(), Value::parse(&v.to_json()).unwrap_or(Value::Null))).collect(),
            ),
            _ => Object::new(),
        };
        customer.set(b"name".to_vec(), Value::parse(&tenant.to_json())?);
        doc.set(b"customer".to_vec(), Value::Object(customer));
    }
    let mut value = Value::Object(doc);
    if options.ecs {
        value = ecs::document(value);
    }
    let json = value.to_json();
    out.extend_from_slice(b"{\"create\":{\"_index\":");
    out.extend_from_slice(&token(options.index.as_bytes()));
    out.extend_from_slice(b",\"_id\":");
    out.extend_from_slice(&token(&revision_id(name, time)));
    out.extend_from_slice(b"}}\n");
    out.extend_from_slice(&json);
    out.push(b'\n');
    if let (Some(latest), Some(version)) = (options.latest_index.as_deref().filter(|l| !l.is_empty()), version_ticks(time)) {
        out.extend_from_slice(b"{\"index\":{\"_index\":");
        out.extend_from_slice(&token(latest.as_bytes()));
        out.extend_from_slice(b",\"_id\":");
        out.extend_from_slice(&token(name));
        out.extend_from_slice(b",\"version\":");
        out.extend_from_slice(version.to_string().as_bytes());
        out.extend_from_slice(b",\"version_type\":\"external\"}}\n");
        out.extend_from_slice(&json);
        out.push(b'\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(ecs: bool) -> Options {
        Options {
            index: "sentinel-incidents".into(),
            tenant_name: Some(b"\"contoso\"".to_vec()),
            latest_index: Some("sentinel-incidents-latest".into()),
            ecs,
        }
    }

    const PAGE: &[u8] = br#"[
        {"id":"/s/inc-1","name":"inc-1","etag":"\"1\"","properties":{"title":"T","status":"New","classification":"","owner":{"email":null},"lastModifiedTimeUtc":"2025-11-19T10:00:00.1234567Z"},"alerts":[{"name":"a1","properties":{"severity":"High"}}]},
        {"name":"inc-2","properties":{"lastModifiedTimeUtc":"yesterday"}},
        7,
        {"properties":{"lastModifiedTimeUtc":"2025-11-19T10:00:00Z"}},
        {"name":"in\"c-3","properties":{"lastModifiedTimeUtc":"2025-11-19T11:00:00Z"}}
    ]"#;

    #[test]
    fn every_revision_is_a_document_of_its_own_in_the_apis_shape() {
        let bulk = from_incidents(PAGE, &options(false)).unwrap();
        let lines: Vec<&str> = bulk.ndjson.lines().collect();
        let doc1 = r#"{"id":"/s/inc-1","name":"inc-1","etag":"\"1\"","properties":{"title":"T","status":"New","owner":{},"lastModifiedTimeUtc":"2025-11-19T10:00:00.1234567Z"},"alerts":[{"name":"a1","properties":{"severity":"High"}}],"@timestamp":"2025-11-19T10:00:00.123Z","customer":{"name":"contoso"}}"#;
        assert_eq!(
            lines,
            [
                r#"{"create":{"_index":"sentinel-incidents","_id":"inc-1@2025-11-19T10:00:00.1234567Z"}}"#,
                doc1,
                r#"{"index":{"_index":"sentinel-incidents-latest","_id":"inc-1","version":17635464001234567,"version_type":"external"}}"#,
                doc1,
                r#"{"create":{"_index":"sentinel-incidents","_id":"in\"c-3@2025-11-19T11:00:00Z"}}"#,
                r#"{"name":"in\"c-3","properties":{"lastModifiedTimeUtc":"2025-11-19T11:00:00Z"},"@timestamp":"2025-11-19T11:00:00.000Z","customer":{"name":"contoso"}}"#,
                r#"{"index":{"_index":"sentinel-incidents-latest","_id":"in\"c-3","version":17635500000000000,"version_type":"external"}}"#,
                r#"{"name":"in\"c-3","properties":{"lastModifiedTimeUtc":"2025-11-19T11:00:00Z"},"@timestamp":"2025-11-19T11:00:00.000Z","customer":{"name":"contoso"}}"#,
            ]
        );
        assert_eq!(bulk.documents, 2);
        assert_eq!(
            bulk.warnings,
            [
                "incident 1 skipped: inc-2 has no valid properties.lastModifiedTimeUtc",
                "incident 2 skipped: it is a number, not an object",
                "incident 3 skipped: it has no name",
            ]
        );
    }

    #[test]
    fn ecs_documents_keep_the_incident_under_a_field_of_its_own() {
        let bulk = from_incidents(PAGE, &options(true)).unwrap();
        let lines: Vec<&str> = bulk.ndjson.lines().collect();
        assert_eq!(lines[0], r#"{"create":{"_index":"sentinel-incidents","_id":"inc-1@2025-11-19T10:00:00.1234567Z"}}"#);
        let doc = Value::parse(lines[1].as_bytes()).unwrap();
        let o = doc.as_object().unwrap();
        assert_eq!(o.get(b"@timestamp"), Some(&Value::String(b"2025-11-19T10:00:00.123Z".to_vec())));
        let event = o.get(b"event").and_then(Value::as_object).unwrap();
        assert_eq!(event.get(b"id"), Some(&Value::String(b"inc-1".to_vec())));
        let kept =
            o.get(b"microsoft_sentinel").and_then(Value::as_object).and_then(|m| m.get(b"incident")).and_then(Value::as_object).unwrap();
        assert_eq!(kept.get(b"etag"), Some(&Value::String(b"\"1\"".to_vec())));
        assert!(kept.get(b"alerts").is_some());
        assert!(from_incidents(b"{}", &options(true)).unwrap_err().to_string().contains("not an array"));
        assert_eq!(from_incidents(b"[]", &options(true)).unwrap().ndjson, "");
    }
}
