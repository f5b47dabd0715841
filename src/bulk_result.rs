//! The `_bulk` response without its 409 "document already exists" items (the original
//! "remove 409 errors"), with a summary, the conflicts and the failures.
//!
//! Classification is the original's, JavaScript comparisons included: an item's operation is its
//! first truthy `create`, `index`, `update` or `delete`; `status === 409` is a conflict (dropped);
//! `status === 201` or `result === "created"` is created; `status >= 400` a failure (kept); anything
//! else is kept. `errors` becomes true only when failures remain.
//!
//! Deliberate difference: a response that is not a JSON object (the original spread strings and arrays into
//! nonsense, and threw on `null`) is an error.

use crate::json::value::{Object, Value};
use crate::{Error, ErrorKind, Result};

/// The filtered response, as JSON texts. They hold the tags of `undefined` and `NaN` when the
/// response was written from a JavaScript value that held them (see [`crate::json::tag`], whose
/// `untag` makes them text for `JSON.parse`); infinities are written `1e999`.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkResult {
    /// `{...body, items: kept, errors}`.
    pub payload: Vec<u8>,
    /// `took` of the response, as JSON text; `None` when absent (`undefined`).
    pub took: Option<Vec<u8>>,
    /// `ingest_took` of the response, as JSON text; `None` when absent.
    pub ingest_took: Option<Vec<u8>>,
    /// How many items the response had.
    pub total_items: usize,
    /// How many were created.
    pub created: usize,
    /// The conflicts' operation objects, as a JSON array.
    pub conflicts: Vec<u8>,
    /// How many conflicts were dropped.
    pub conflict_count: usize,
    /// The failures' operation objects, as a JSON array.
    pub failures: Vec<u8>,
    /// How many failures remain.
    pub failure_count: usize,
}

/// Filters a `_bulk` response (JSON text).
pub fn filter(response: &[u8]) -> Result<BulkResult> {
    let body = Value::parse(response).map_err(|e| {
        Error::new(
            ErrorKind::InvalidJson,
            format!("Bulk response is not valid JSON ({e}). Wire this node to the http request node that posts the _bulk body"),
        )
    })?;
    if body.as_object().is_none() {
        let what = match body {
            Value::Null => "null",
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            _ => "a boolean",
        };
        return Err(Error::new(
            ErrorKind::UnexpectedShape,
            format!("Bulk response is {what}; expected the JSON object Elasticsearch returns from _bulk. Wire this node to the http request node that posts the _bulk body"),
        ));
    }
    let items: &[Value] = match body.as_object().and_then(|o| o.get(b"items")) {
        Some(Value::Array(items)) => items,
        _ => &[],
    };
    let (mut kept, mut conflicts, mut failures, mut created) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for (i, item) in items.iter().enumerate() {
        if *item == Value::Null {
            return Err(Error::new(
                ErrorKind::UnexpectedShape,
                format!("Bulk response item {i} is null; expected one object per action line, as Elasticsearch returns"),
            ));
        }
        let empty = Value::Object(Object::new());
        let op = item
            .as_object()
            .and_then(|o| [&b"create"[..], b"index", b"update", b"delete"].iter().find_map(|k| o.get(k).filter(|v| v.truthy())))
            .unwrap_or(&empty);
        let status = op.as_object().and_then(|o| o.get(b"status"));
        if status == Some(&Value::Number(409.0)) {
            conflicts.push(op.clone());
            continue;
        }
        let result = op.as_object().and_then(|o| o.get(b"result"));
        if status == Some(&Value::Number(201.0)) || result == Some(&Value::String(b"created".to_vec())) {
            created += 1;
        } else if status.is_some_and(|s| s.to_js_number() >= 400.0) {
            failures.push(op.clone());
        }
        kept.push(item.clone());
    }
    let errors = !failures.is_empty();
    let mut cleaned = spread(&body);
    cleaned.set(b"items".to_vec(), Value::Array(kept));
    cleaned.set(b"errors".to_vec(), Value::Bool(errors));
    let field = |name: &[u8]| body.as_object().and_then(|o| o.get(name)).filter(|v| **v != Value::Undefined).map(Value::to_transfer_json);
    Ok(BulkResult {
        payload: text(&Value::Object(cleaned)),
        took: field(b"took"),
        ingest_took: field(b"ingest_took"),
        total_items: items.len(),
        created,
        conflict_count: conflicts.len(),
        conflicts: text(&Value::Array(conflicts)),
        failure_count: failures.len(),
        failures: text(&Value::Array(failures)),
    })
}

/// `{...body}` of an object body: its own properties.
fn spread(body: &Value) -> Object {
    body.as_object().cloned().unwrap_or_default()
}

fn text(v: &Value) -> Vec<u8> {
    v.to_transfer_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_conflicts_and_counts_like_the_original() {
        let response = br#"{"took":5,"errors":true,"items":[
            {"create":{"_id":"a","status":201,"result":"created"}},
            {"create":{"_id":"b","status":409,"error":{"type":"version_conflict_engine_exception"}}},
            {"index":{"_id":"c","status":"500"}},
            {"update":{"_id":"d","status":200}},
            {"delete":{"_id":"e","result":"created"}},
            7]}"#;
        let r = filter(response).unwrap();
        assert_eq!(r.total_items, 6);
        assert_eq!((r.created, r.conflict_count, r.failure_count), (2, 1, 1));
        assert_eq!(r.took.as_deref(), Some(&b"5"[..]));
        assert_eq!(r.ingest_took, None);
        assert!(!r.payload.windows(3).any(|w| w == b"\"b\""));
        assert!(r.payload.starts_with(b"{\"took\":5,\"errors\":true,\"items\":["));
        assert_eq!(r.failures, br#"[{"_id":"c","status":"500"}]"#);
    }

    #[test]
    fn refuses_bodies_that_are_not_objects() {
        assert_eq!(filter(b"{}").unwrap().payload, br#"{"items":[],"errors":false}"#);
        for bad in [&b"\"ab\""[..], b"7", b"[]", b"null", b"true"] {
            assert_eq!(filter(bad).unwrap_err().kind(), ErrorKind::UnexpectedShape);
        }
        assert_eq!(filter(b"<html>").unwrap_err().kind(), ErrorKind::InvalidJson);
    }
}
