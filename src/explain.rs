//! Why each document of a `_bulk` body looks as it does, for the browser playground and the
//! editor's preview: read from the body the nodes wrote and the input it was written from, so
//! that the explanation can only describe what the transform did.
//!
//! Per document: the fields cleaning removed (members and elements that were `null` or `""`),
//! where `@timestamp` came from (`EndTime`, `TimeGenerated` or the current time), its `_id`, and
//! the other documents of the batch with the same `_id` (Elasticsearch refuses every `create`
//! after the first with a 409). For the body: its size in bytes and its line count. With the
//! `ecs` option the original document is under `microsoft_sentinel.<alert|incident|document>`
//! (see [`crate::ecs`]): it is compared there, and the explanation says where it went.

use serde::Serialize;

use crate::date::{time_value, to_iso};
use crate::json::reader::Reader;
use crate::json::value::{Object, Value};
use crate::revision::version_ticks;
use crate::{rows, Error, ErrorKind, Result};

/// What the body was written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A query API response (`sentinel-bulk` given the response: the fused path).
    Response,
    /// The JSON text of an array of documents (`sentinel-bulk` after `sentinel-rows`).
    Documents,
    /// The JSON text of an array of incidents of the Sentinel REST API (see `crate::incidents`).
    Incidents,
}

impl Source {
    /// `response`, `documents` or `incidents`.
    pub fn parse(name: &str) -> Result<Source> {
        match name {
            "response" => Ok(Source::Response),
            "documents" => Ok(Source::Documents),
            "incidents" => Ok(Source::Incidents),
            other => {
                Err(Error::new(ErrorKind::InvalidInput, format!("unknown input kind {other:?}: use response, documents or incidents")))
            }
        }
    }
}

/// The explanation of a body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The body's size in bytes (UTF-8).
    pub bytes: usize,
    /// How many lines it has (each ends in `\n`).
    pub lines: usize,
    /// How many documents it creates in the data stream.
    pub documents: usize,
    /// The `_id`s given to more than one document, with those documents (0-based, in body order).
    pub shared: Vec<SharedId>,
    /// The first documents, explained one by one.
    pub details: Vec<Document>,
}

/// An `_id` that several documents of the batch have: every `create` after the first is a 409.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedId {
    pub id: String,
    pub documents: Vec<usize>,
}

/// One document of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// Its position in the body (0-based).
    pub document: usize,
    /// Its position in the input: the array element, or the row as `sentinel-rows` outputs it.
    pub input: usize,
    /// Its `_id`; `None` when the action has none (Elasticsearch then makes one up).
    pub id: Option<String>,
    /// The `@timestamp` written.
    pub timestamp: String,
    /// `EndTime`, `TimeGenerated` or `now`.
    pub timestamp_from: &'static str,
    /// The paths of the members and elements cleaning removed (`a.b`, `c[2]`).
    pub removed: Vec<String>,
    /// With `ecs`: where the original fields went (`microsoft_sentinel.alert`, ...).
    pub original_at: Option<String>,
    /// The other documents of the batch with the same `_id`.
    pub shares_id_with: Vec<usize>,
}

/// Explains `ndjson`, the body written from `input` (in the Elastic Common Schema when `ecs`);
/// details for the first `limit` documents.
pub fn explain(input: &[u8], source: Source, ndjson: &[u8], limit: usize, ecs: bool) -> Result<Explanation> {
    let mut ids: Vec<Option<String>> = Vec::new();
    let mut written: Vec<Value> = Vec::new();
    let mut lines = ndjson.split(|&b| b == b'\n');
    while let Some(action) = lines.next() {
        if action.is_empty() {
            continue;
        }
        let doc = lines.next().unwrap_or_default();
        let action = Value::parse(action)?;
        // Only the data stream's documents: the incremental mode's "latest" index actions repeat them.
        let Some(meta) = action.as_object().and_then(|a| a.get(b"create")).and_then(Value::as_object) else { continue };
        ids.push(meta.get(b"_id").map(|id| String::from_utf8_lossy(&id.to_js_string()).into_owned()));
        if written.len() < limit {
            written.push(Value::parse(doc)?);
        }
    }
    let shared = shared_ids(&ids);
    let inputs = input_documents(input, source, written.len())?;
    let details = written
        .iter()
        .zip(inputs)
        .enumerate()
        .map(|(n, (out, (at, original)))| {
            let timestamp = match out.as_object().and_then(|o| o.get(b"@timestamp")) {
                Some(Value::String(s)) => String::from_utf8_lossy(s).into_owned(),
                _ => String::new(),
            };
            // With ECS the original fields are under microsoft_sentinel.<namespace>: moved, not removed.
            let moved = ecs.then(|| out.as_object()?.get(b"microsoft_sentinel")?.as_object()?.entries().first()).flatten();
            let original_at = moved.map(|(name, _)| format!("microsoft_sentinel.{}", String::from_utf8_lossy(name)));
            let mut removed = Vec::new();
            removed_paths(&original, moved.map_or(out, |(_, kept)| kept), &mut removed);
            let shares_id_with = shared
                .iter()
                .find(|s| s.documents.contains(&n))
                .map_or_else(Vec::new, |s| s.documents.iter().copied().filter(|&d| d != n).collect());
            Document {
                document: n,
                input: at,
                id: ids[n].clone(),
                timestamp_from: timestamp_from(&original, &timestamp, source),
                timestamp,
                removed,
                original_at,
                shares_id_with,
            }
        })
        .collect();
    Ok(Explanation { bytes: ndjson.len(), lines: ndjson.iter().filter(|&&b| b == b'\n').count(), documents: ids.len(), shared, details })
}

/// The `_id`s that more than one document has, in the order of their first document.
fn shared_ids(ids: &[Option<String>]) -> Vec<SharedId> {
    let mut order: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].is_some()).collect();
    order.sort_by(|&a, &b| ids[a].cmp(&ids[b]).then(a.cmp(&b)));
    let mut shared: Vec<SharedId> = Vec::new();
    for group in order.chunk_by(|&a, &b| ids[a] == ids[b]) {
        if group.len() > 1 {
            shared.push(SharedId { id: ids[group[0]].clone().unwrap_or_default(), documents: group.to_vec() });
        }
    }
    shared.sort_by_key(|s| s.documents[0]);
    shared
}

/// The first `count` documents of the input with their positions: the objects of an array (the
/// other elements make no document), or the rows of a response as `sentinel-rows` makes them.
fn input_documents(input: &[u8], source: Source, count: usize) -> Result<Vec<(usize, Value)>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    match source {
        Source::Documents => objects(input, count, |_| true),
        // The ones that make a document (see `incidents::from_incidents`).
        Source::Incidents => objects(input, count, |doc| {
            let name = doc.get(b"name");
            let time = doc.get(b"properties").and_then(Value::as_object).and_then(|p| p.get(b"lastModifiedTimeUtc"));
            matches!(name, Some(Value::String(s)) if !s.is_empty()) && matches!(time, Some(Value::String(t)) if version_ticks(t).is_some())
        }),
        Source::Response => {
            // A step counts the rows it skips (not arrays) too.
            let mut job = rows::Job::new(input.to_vec())?;
            let mut docs = Vec::with_capacity(count);
            loop {
                let (json, done) = job.step(count - docs.len())?;
                let at = docs.len();
                docs.extend(objects(&json, count - at, |_| true)?.into_iter().map(|(i, doc)| (at + i, doc)));
                if done || docs.len() == count {
                    return Ok(docs);
                }
            }
        }
    }
}

/// The first `count` objects of a JSON array that `keep` accepts, with their positions in it.
fn objects(array: &[u8], count: usize, keep: fn(&Object) -> bool) -> Result<Vec<(usize, Value)>> {
    let mut docs = Vec::with_capacity(count);
    let mut r = Reader::new(array);
    if r.open(b'[', b']')? {
        return Ok(docs);
    }
    for at in 0.. {
        if r.peek() == Some(b'{') {
            let doc = Value::read(&mut r)?;
            if doc.as_object().is_some_and(keep) {
                docs.push((at, doc));
            }
        } else {
            r.skip_value()?;
        }
        if docs.len() == count || !r.next_or_close(b']')? {
            break;
        }
    }
    Ok(docs)
}

/// Where `@timestamp` came from: the first of `EndTime` and `TimeGenerated` (an incident's
/// `properties.lastModifiedTimeUtc`) that gives the time written, else the current time.
fn timestamp_from(original: &Value, timestamp: &str, source: Source) -> &'static str {
    let Some(doc) = original.as_object() else { return "now" };
    let names: &[&'static str] =
        if source == Source::Incidents { &["properties.lastModifiedTimeUtc"] } else { &["EndTime", "TimeGenerated"] };
    for &name in names {
        let value = match name.split_once('.') {
            Some((parent, child)) => doc.get(parent.as_bytes()).and_then(Value::as_object).and_then(|o| o.get(child.as_bytes())),
            None => doc.get(name.as_bytes()),
        };
        let time = value.filter(|v| v.truthy()).and_then(time_value);
        if time.is_some_and(|t| to_iso(t) == timestamp) {
            return name;
        }
    }
    "now"
}

/// Appends the paths of what `original` has and `cleaned` lost (members and elements that were
/// `null` or `""`; `@timestamp` and `customer`, which the transform sets, are not compared).
fn removed_paths(original: &Value, cleaned: &Value, out: &mut Vec<String>) {
    // (original, cleaned, path) still to compare; a loop, as values may nest deeply.
    let mut pending: Vec<(&Value, &Value, String)> = vec![(original, cleaned, String::new())];
    while let Some((a, b, path)) = pending.pop() {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, value) in a.entries().iter().rev() {
                    let name = String::from_utf8_lossy(key);
                    if path.is_empty() && (name == "@timestamp" || name == "customer") {
                        continue;
                    }
                    let at = if path.is_empty() { name.into_owned() } else { format!("{path}.{name}") };
                    match b.get(key) {
                        Some(kept) => pending.push((value, kept, at)),
                        None if removable(value) => out.push(at),
                        None => {}
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                let mut kept = b.iter();
                let mut children = Vec::new();
                for (i, value) in a.iter().enumerate() {
                    if removable(value) {
                        out.push(format!("{path}[{i}]"));
                    } else if let Some(k) = kept.next() {
                        children.push((value, k, format!("{path}[{i}]")));
                    }
                }
                pending.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
    // By path, indexes in numeric order.
    out.sort_by_key(|x| natural(x));
}

/// What `clean()` drops.
fn removable(value: &Value) -> bool {
    matches!(value, Value::Null | Value::Undefined) || *value == Value::String(Vec::new())
}

/// A sort key for paths that puts `a[10]` after `a[9]`.
fn natural(path: &str) -> Vec<(String, u64)> {
    path.split(['.', '['])
        .map(|part| match part.strip_suffix(']').and_then(|n| n.parse().ok()) {
            Some(n) => (String::new(), n),
            None => (part.to_string(), 0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::{self, Options};
    use crate::revision::Ids;

    const NOW: f64 = 1_700_000_000_000.0;

    fn options() -> Options {
        Options { index: "logs-azure_api".into(), tenant_name: Some(b"\"T\"".to_vec()), now_ms: NOW, ..Default::default() }
    }

    #[test]
    fn explains_each_document_of_a_body_from_documents() {
        let docs = br#"[{"SystemAlertId":"a1","EndTime":"2025-11-19T10:00:00.1234567Z","X":null,"E":{"k":"","l":[null,1,""]}},
            7,
            {"IncidentName":"i1","TimeGenerated":"2025-11-19T08:00:00Z","EndTime":"soon"},
            {"SystemAlertId":"a1","Owner":""},
            {"Other":1}]"#;
        let body = bulk::from_documents(docs, &options()).unwrap();
        let e = explain(docs, Source::Documents, body.ndjson.as_bytes(), 10, false).unwrap();
        assert_eq!((e.bytes, e.lines, e.documents), (body.ndjson.len(), 8, 4));
        assert_eq!(e.shared, vec![SharedId { id: "a1".into(), documents: vec![0, 2] }]);
        let d = &e.details;
        assert_eq!(d.len(), 4);
        assert_eq!((d[0].input, d[0].id.as_deref(), d[0].timestamp_from), (0, Some("a1"), "EndTime"));
        assert_eq!(d[0].timestamp, "2025-11-19T10:00:00.123Z");
        assert_eq!(d[0].removed, ["E.k", "E.l[0]", "E.l[2]", "X"]);
        assert_eq!(d[0].shares_id_with, [2]);
        assert_eq!((d[1].input, d[1].id.as_deref(), d[1].timestamp_from), (2, Some("i1"), "TimeGenerated"));
        assert_eq!((d[2].input, d[2].timestamp_from, &d[2].removed[..]), (3, "now", &["Owner".to_string()][..]));
        assert_eq!((d[3].id.as_deref(), d[3].shares_id_with.len()), (None, 0));
        // Only the first documents are detailed; the counts and the shared ids cover them all.
        let e = explain(docs, Source::Documents, body.ndjson.as_bytes(), 1, false).unwrap();
        assert_eq!((e.details.len(), e.documents, e.shared.len()), (1, 4, 1));
    }

    #[test]
    fn explains_the_fused_path_and_revision_ids() {
        let response = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"IncidentName"},{"name":"TimeGenerated"},{"name":"LastModifiedTime"},{"name":"Owner"}],"rows":[
            ["i1","2025-11-19T10:00:00Z","2025-11-19T10:00:00Z","{\"a\":null,\"b\":1}"],
            7,
            ["i1","2025-11-19T11:00:00Z","2025-11-19T11:00:00Z",""]]}]}"#;
        let first = bulk::from_response(response, &options()).unwrap();
        let e = explain(response, Source::Response, first.ndjson.as_bytes(), 10, false).unwrap();
        assert_eq!(e.details.len(), 2, "{e:?} {}", first.ndjson);
        assert_eq!(e.shared, vec![SharedId { id: "i1".into(), documents: vec![0, 1] }]);
        assert_eq!(e.details[0].removed, ["Owner.a"]);
        assert_eq!(e.details[1].removed, ["Owner"]);
        assert_eq!(e.details[1].input, 1);
        assert_eq!(e.details[0].timestamp_from, "now");
        // Revision ids (and TimeGenerated as @timestamp): no shared _id, so no 409.
        let revisions = Options { ids: Ids::Revision, stable_timestamp: true, ..options() };
        let body = bulk::from_response(response, &revisions).unwrap();
        let e = explain(response, Source::Response, body.ndjson.as_bytes(), 10, false).unwrap();
        assert!(e.shared.is_empty());
        assert_eq!(e.details[1].id.as_deref(), Some("i1@2025-11-19T11:00:00Z"));
        assert_eq!(e.details[1].timestamp_from, "TimeGenerated");
    }

    #[test]
    fn with_ecs_the_original_is_compared_where_it_moved() {
        let docs = br#"[{"SystemAlertId":"a1","EndTime":"2025-11-19T10:00:00.1234567Z","X":null,"E":{"k":"","l":[null,1]}},
            {"IncidentName":"i1","TimeGenerated":"2025-11-19T08:00:00Z","Owner":""},{"Other":1}]"#;
        let body = bulk::from_documents(docs, &Options { ecs: true, ..options() }).unwrap();
        let e = explain(docs, Source::Documents, body.ndjson.as_bytes(), 10, true).unwrap();
        let d = &e.details;
        assert_eq!(d[0].original_at.as_deref(), Some("microsoft_sentinel.alert"));
        assert_eq!(d[0].removed, ["E.k", "E.l[0]", "X"]);
        assert_eq!((d[0].timestamp_from, d[0].timestamp.as_str()), ("EndTime", "2025-11-19T10:00:00.123Z"));
        assert_eq!((d[1].original_at.as_deref(), d[1].timestamp_from), (Some("microsoft_sentinel.incident"), "now"));
        assert_eq!(d[1].removed, ["Owner"]);
        assert_eq!((d[2].original_at.as_deref(), d[2].removed.len()), (Some("microsoft_sentinel.document"), 0));
        // Without the flag nothing is found under the moved fields; without ECS nothing moved.
        assert!(explain(docs, Source::Documents, body.ndjson.as_bytes(), 10, false).unwrap().details[0].removed == ["X"]);
        let plain = bulk::from_documents(docs, &options()).unwrap();
        assert_eq!(explain(docs, Source::Documents, plain.ndjson.as_bytes(), 10, false).unwrap().details[0].original_at, None);
    }

    #[test]
    fn explains_rest_api_incidents() {
        let docs = br#"[{"name":"inc-1","properties":{"title":"","lastModifiedTimeUtc":"2025-11-19T10:00:00.5Z","createdTimeUtc":"2025-11-19T09:00:00Z"}},
            {"name":"","properties":{"lastModifiedTimeUtc":"2025-11-19T10:00:00Z"}},
            {"name":"inc-2","properties":{"lastModifiedTimeUtc":"2025-11-19T11:00:00Z","owner":{"email":null}}}]"#;
        for ecs in [false, true] {
            let options = crate::incidents::Options { index: "logs-x".into(), ecs, ..Default::default() };
            let body = crate::incidents::from_incidents(docs, &options).unwrap();
            let e = explain(docs, Source::Incidents, body.ndjson.as_bytes(), 10, ecs).unwrap();
            let d = &e.details;
            assert_eq!((e.documents, d.len()), (2, 2));
            assert_eq!(
                (d[0].input, d[0].id.as_deref(), d[0].timestamp_from),
                (0, Some("inc-1@2025-11-19T10:00:00.5Z"), "properties.lastModifiedTimeUtc")
            );
            assert_eq!((d[1].input, &d[1].removed[..]), (2, &["properties.owner.email".to_string()][..]));
            assert_eq!(d[0].removed, ["properties.title"]);
            assert_eq!(d[0].original_at.as_deref(), ecs.then_some("microsoft_sentinel.incident"));
        }
    }

    #[test]
    fn an_empty_body_has_nothing_to_explain() {
        let e = explain(b"[]", Source::Documents, b"", 10, false).unwrap();
        assert_eq!((e.bytes, e.lines, e.documents, e.details.len()), (0, 0, 0, 0));
        assert!(Source::parse("rows").is_err());
    }
}
