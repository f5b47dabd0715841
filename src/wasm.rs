//! The JavaScript surface: the only module that knows about `wasm_bindgen`.
//!
//! Text crosses as strings, payloads as bytes (`Uint8Array`/`Buffer`); small results come back
//! as plain objects (`serde_wasm_bindgen`'s JSON-compatible serializer) and large ones as JSON
//! text for `JSON.parse`. Every error becomes a JavaScript `Error` whose message is the crate's.
//! The current time and randomness come from JavaScript (`Date.now()` by the caller,
//! `crypto.getRandomValues` through `getrandom`).

use rsa::rand_core::OsRng;
use serde::Serialize;
use serde_json::{json, Value as Json};
use wasm_bindgen::prelude::*;

use crate::assertion::{self, Algorithm, Assertion, PrivateKey};
use crate::{bulk, bulk_result, request, rows, Error};

type JsResult<T> = std::result::Result<T, JsError>;

fn js_error(e: Error) -> JsError {
    JsError::new(e.message())
}

fn to_js(v: &Json) -> JsResult<JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal error: {e}")))
}

/// A parsed RSA private key, kept across signatures.
#[wasm_bindgen]
pub struct SigningKey {
    key: PrivateKey,
}

#[wasm_bindgen]
impl SigningKey {
    /// Parses a PKCS#8 or PKCS#1 PEM (also the one-line form with literal `\n`).
    #[wasm_bindgen(constructor)]
    pub fn new(pem: &str) -> JsResult<SigningKey> {
        Ok(SigningKey { key: PrivateKey::from_pem(pem).map_err(js_error)? })
    }

    /// Signs a client assertion; returns `{assertion, claims}` with `claims` as JSON text.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = createAssertion)]
    pub fn create_assertion(
        &self,
        client_id: &str,
        tenant_id: &str,
        authority_host: &str,
        now_seconds: f64,
        lifetime: f64,
        jti: Option<String>,
        algorithm: &str,
        kid: Option<String>,
        x5t: Option<String>,
        x5t_s256: Option<String>,
    ) -> JsResult<JsValue> {
        let jti = jti.unwrap_or_else(random_uuid);
        let params = Assertion {
            client_id,
            tenant_id,
            authority_host,
            now: now_seconds as i64,
            lifetime: lifetime.max(0.0) as u64,
            jti: &jti,
            algorithm: Algorithm::parse(algorithm).map_err(js_error)?,
            kid: kid.as_deref(),
            x5t: x5t.as_deref(),
            x5t_s256: x5t_s256.as_deref(),
        };
        let (jws, claims) = assertion::create(&self.key, &params, &mut OsRng).map_err(js_error)?;
        to_js(&json!({ "assertion": jws, "claims": claims }))
    }
}

/// `{x5t, x5tS256}`: base64url SHA-1 and SHA-256 thumbprints of a certificate PEM.
#[wasm_bindgen]
pub fn thumbprints(cert_pem: &str) -> JsResult<JsValue> {
    let t = assertion::thumbprints(cert_pem).map_err(js_error)?;
    to_js(&json!({ "x5t": t.x5t, "x5tS256": t.x5t_s256 }))
}

/// A random version-4 UUID from the platform's cryptographic random source.
#[wasm_bindgen(js_name = uuidV4)]
pub fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    // getrandom only fails where no random source exists; then the ids are still unique per
    // process because the clock is mixed in by the caller's `iat`, but say so loudly.
    if getrandom::getrandom(&mut bytes).is_err() {
        return String::from("00000000-0000-4000-8000-000000000000");
    }
    assertion::uuid_v4(bytes)
}

/// `{url, payload}` of the Entra ID token request.
#[wasm_bindgen(js_name = tokenRequest)]
pub fn token_request(authority_host: &str, tenant_id: &str, client_id: &str, scope: &str, client_assertion: &str) -> JsResult<JsValue> {
    let url = request::token_url(authority_host, tenant_id).map_err(js_error)?;
    let payload = request::token_request_body(client_id, scope, client_assertion).map_err(js_error)?;
    to_js(&json!({ "url": url, "payload": payload }))
}

/// `{url, query}` of the Log Analytics query request.
#[wasm_bindgen(js_name = queryRequest)]
pub fn query_request(host: &str, workspace_id: &str, table: &str, retention: &str, limit: f64) -> JsResult<JsValue> {
    if !(limit.fract() == 0.0 && limit >= 0.0 && limit <= u64::MAX as f64) {
        return Err(JsError::new("The row limit must be a whole number: change the node's row limit setting."));
    }
    let url = request::query_url(host, workspace_id).map_err(js_error)?;
    let query = request::query_text(table, retention, limit as u64).map_err(js_error)?;
    to_js(&json!({ "url": url, "query": query }))
}

/// The `_bulk` URL for an Elasticsearch origin and an ingest pipeline.
#[wasm_bindgen(js_name = bulkUrl)]
pub fn bulk_url(host: &str, pipeline: &str) -> JsResult<String> {
    request::bulk_url(host, pipeline).map_err(js_error)
}

/// `{json, count, warnings, keys}`: the rows of a query response (bytes of its JSON text).
#[wasm_bindgen]
pub fn rows(response: &[u8]) -> JsResult<JsValue> {
    let r = rows::convert(&utf8(response)).map_err(js_error)?;
    to_js(&json!({ "json": r.json, "count": r.count, "warnings": r.warnings, "keys": r.keys }))
}

/// `{ndjson, documents, warnings}` from the JSON text of an array of documents.
#[wasm_bindgen(js_name = bulkFromDocuments)]
pub fn bulk_from_documents(docs: &[u8], index: &str, tenant_name_json: Option<String>, now_ms: f64) -> JsResult<JsValue> {
    let options = bulk_options(index, tenant_name_json, now_ms);
    bulk_to_js(bulk::from_documents(&utf8(docs), &options))
}

/// `{ndjson, documents, warnings}` straight from a query API response (the fused path).
#[wasm_bindgen(js_name = bulkFromResponse)]
pub fn bulk_from_response(response: &[u8], index: &str, tenant_name_json: Option<String>, now_ms: f64) -> JsResult<JsValue> {
    let options = bulk_options(index, tenant_name_json, now_ms);
    bulk_to_js(bulk::from_response(&utf8(response), &options))
}

/// The filtered `_bulk` response: `{payload, took, ingestTook, totalItems, created, conflicts,
/// conflictCount, failures, failureCount}` with `payload`, `conflicts`, `failures` (and `took`,
/// `ingestTook` when present) as JSON text.
#[wasm_bindgen(js_name = bulkResult)]
pub fn bulk_result(response: &[u8]) -> JsResult<JsValue> {
    let r = bulk_result::filter(&utf8(response)).map_err(js_error)?;
    to_js(&json!({
        "payload": r.payload,
        "took": r.took,
        "ingestTook": r.ingest_took,
        "totalItems": r.total_items,
        "created": r.created,
        "conflicts": r.conflicts,
        "conflictCount": r.conflict_count,
        "failures": r.failures,
        "failureCount": r.failure_count,
    }))
}

fn bulk_options(index: &str, tenant_name_json: Option<String>, now_ms: f64) -> bulk::Options {
    bulk::Options { index: index.to_string(), tenant_name: tenant_name_json.map(String::into_bytes), now_ms }
}

fn bulk_to_js(result: crate::Result<bulk::Bulk>) -> JsResult<JsValue> {
    let b = result.map_err(js_error)?;
    to_js(&json!({ "ndjson": b.ndjson, "documents": b.documents, "warnings": b.warnings }))
}

/// The bytes as UTF-8, invalid sequences replaced by U+FFFD as `Buffer.toString('utf8')` does.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match String::from_utf8_lossy(bytes) {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(bytes),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.into_bytes()),
    }
}
