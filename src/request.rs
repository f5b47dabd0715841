//! Request builders: the Entra ID token request, the Log Analytics query, and the
//! Elasticsearch `_bulk` URL.
//!
//! These replace the original flow's "create token request", "get Sentinel alerts" and
//! "get Sentinel incidents" functions and the URL line of "prepare the payload for ingest in
//! elastic". Values that end up inside a URL or a KQL query (hosts, tenant, workspace id,
//! table, lookback) are validated first, so that a message property cannot change the request's
//! target or the query's meaning.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::json::string::write_escaped;

/// The Entra ID authority host of the global cloud, as in the original flow.
pub const DEFAULT_AUTHORITY_HOST: &str = "login.microsoftonline.com";
/// The Log Analytics query API host, as in the original flow.
pub const DEFAULT_QUERY_HOST: &str = "api.loganalytics.azure.com";
/// The table the original "get Sentinel alerts" function queries.
pub const DEFAULT_TABLE: &str = "SecurityAlert";
/// The lookback the original functions use when `msg.retention` is not set.
pub const DEFAULT_RETENTION: &str = "12h";
/// The row limit of the original query (`take 1000`).
pub const DEFAULT_LIMIT: u64 = 1000;
/// The largest row limit accepted (the Log Analytics query API returns at most 500,000 rows).
pub const MAX_LIMIT: u64 = 500_000;
/// The data stream the original writes into (`_index` of each `create` action).
pub const DEFAULT_INDEX: &str = "logs-azure_api";
/// The ingest pipeline the original names in the `_bulk` URL.
pub const DEFAULT_PIPELINE: &str = "logs-azure_api";

/// What a drop-in node's setting means when it is left empty: the original flow's values. The one
/// source of them; the JavaScript side reads them from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Defaults {
    pub authority_host: &'static str,
    pub query_host: &'static str,
    pub table: &'static str,
    pub retention: &'static str,
    pub limit: u64,
    /// The client assertion's signing algorithm (the original's jwt sign node used RS256).
    pub algorithm: &'static str,
    /// The client assertion's lifetime in seconds (the original set no `exp`).
    pub lifetime: u64,
    pub index: &'static str,
    pub pipeline: &'static str,
}

/// The defaults (see [`Defaults`]).
pub const DEFAULTS: Defaults = Defaults {
    authority_host: DEFAULT_AUTHORITY_HOST,
    query_host: DEFAULT_QUERY_HOST,
    table: DEFAULT_TABLE,
    retention: DEFAULT_RETENTION,
    limit: DEFAULT_LIMIT,
    algorithm: "RS256",
    lifetime: crate::assertion::DEFAULT_LIFETIME,
    index: DEFAULT_INDEX,
    pipeline: DEFAULT_PIPELINE,
};

/// The Entra ID token request: POST `payload` (form-encoded) to `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRequest {
    pub url: String,
    pub payload: String,
}

/// The Log Analytics query request: POST `{"query": query}` to `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryRequest {
    pub url: String,
    pub query: String,
}

/// The fix shared by the host errors.
macro_rules! host_hint {
    () => {
        "give only the host name (e.g. login.microsoftonline.com) or an origin like https://host:port."
    };
}

fn input_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// Percent-encodes `s` exactly as JavaScript's `encodeURIComponent` does: `A-Z a-z 0-9` and
/// `- _ . ! ~ * ' ( )` stay, every other character becomes its UTF-8 bytes as `%XX`
/// (uppercase hex).
pub fn encode_uri_component(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
    }
    out
}

/// Returns the origin (`scheme://host[:port]`) for a host setting.
///
/// A bare host (`login.microsoftonline.com`, `example.org:8443`) means `https://`; a full origin
/// with `http://` or `https://` is kept (scheme lowercased, trailing `/` removed), so a local test
/// server such as `http://127.0.0.1:8080` works. Surrounding whitespace is ignored. Anything with
/// a path, query, fragment, user name or password, inner whitespace or another scheme is
/// refused.
pub fn origin(host: &str) -> Result<String> {
    let (origin, path) = split_base(host)?;
    if !path.is_empty() {
        return Err(input_error(concat!("The host must not contain a path: ", host_hint!())));
    }
    Ok(origin)
}

/// Splits a host setting into its origin and an optional path prefix (without trailing `/`).
fn split_base(host: &str) -> Result<(String, &str)> {
    let (written, authority, path) = split_host(host)?;
    let scheme = written.map_or_else(|| "https".to_string(), str::to_ascii_lowercase);
    Ok((format!("{scheme}://{authority}"), path))
}

/// Splits a host setting into its scheme as written (if any), its `host[:port]` and its path
/// (without a trailing `/`), validating each.
fn split_host(host: &str) -> Result<(Option<&str>, &str, &str)> {
    let host = host.trim_ascii();
    if host.is_empty() {
        return Err(input_error(concat!("The host is empty: ", host_hint!())));
    }
    let (scheme, rest) = match host.find("://") {
        Some(i) => {
            let scheme = &host[..i];
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return Err(input_error("The host must use http:// or https:// (or no scheme, which means https://)."));
            }
            (Some(scheme), &host[i + 3..])
        }
        None => (None, host),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if rest.contains(['?', '#']) {
        return Err(input_error(concat!("The host must not contain a query (?) or fragment (#): ", host_hint!())));
    }
    if rest.contains('@') {
        return Err(input_error(
            "The host must not contain a user name or password (@): put them in the node's \
             credentials and give only the host name or an origin like https://host:port.",
        ));
    }
    // Non-ASCII characters are refused below, as not allowed in a host name or path.
    if rest.bytes().any(|b| b <= b' ' || b == 0x7f || b == b'\\') {
        return Err(input_error(concat!("The host must not contain spaces, backslashes or control characters: ", host_hint!())));
    }
    validate_authority(authority)?;
    if !path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)) || path.contains("/../") || path.ends_with("/..") {
        return Err(input_error("The host's path contains characters that are not allowed: use only letters, digits and - . _ ~ /."));
    }
    Ok((scheme, authority, path))
}

/// Checks `host[:port]` or `[ipv6][:port]`.
fn validate_authority(authority: &str) -> Result<()> {
    let bad = || {
        input_error(
            "The host name is not valid: use a name such as login.microsoftonline.com, an IP address, \
             optionally followed by :port (1-65535).",
        )
    };
    let port = if let Some(inner) = authority.strip_prefix('[') {
        let close = inner.find(']').ok_or_else(bad)?;
        let address = &inner[..close];
        if address.is_empty() || !address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return Err(bad());
        }
        match &inner[close + 1..] {
            "" => None,
            rest => Some(rest.strip_prefix(':').ok_or_else(bad)?),
        }
    } else {
        let (name, port) = match authority.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        };
        let label_ok = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_';
        if name.is_empty() || name.len() > 253 || !name.bytes().all(label_ok) || name.starts_with(['.', '-']) {
            return Err(bad());
        }
        port
    };
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        match port.parse::<u32>() {
            Ok(1..=65535) => {}
            _ => return Err(bad()),
        }
    }
    Ok(())
}

/// Checks a tenant id: a GUID or a domain name (`contoso.onmicrosoft.com`): letters, digits,
/// `.` and `-`, starting and ending with a letter or digit, at most 253 characters.
pub fn validate_tenant_id(tenant_id: &str) -> Result<()> {
    if tenant_id.is_empty() {
        return Err(input_error(
            "The tenant id is missing: set msg.oauth.tenantId or the node's tenant id to the \
             Directory (tenant) ID of the app registration.",
        ));
    }
    let bytes = tenant_id.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if tenant_id.len() > 253
        || !bytes.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        || !edge_ok(bytes.first())
        || !edge_ok(bytes.last())
        || tenant_id.contains("..")
    {
        return Err(input_error(
            "The tenant id is not valid: use the Directory (tenant) ID, a GUID like \
             00000000-0000-0000-0000-000000000000, or a domain such as contoso.onmicrosoft.com.",
        ));
    }
    Ok(())
}

/// The token request of the original "create token request": [`token_url`] and
/// [`token_request_body`], each value checked.
pub fn token_request(authority_host: &str, tenant_id: &str, client_id: &str, scope: &str, client_assertion: &str) -> Result<TokenRequest> {
    Ok(TokenRequest { url: token_url(authority_host, tenant_id)?, payload: token_request_body(client_id, scope, client_assertion)? })
}

/// Returns the Entra ID v2 token endpoint: `{origin}/{tenant}/oauth2/v2.0/token`.
///
/// `authority_host` is read by [`origin`]; the tenant is checked by [`validate_tenant_id`].
pub fn token_url(authority_host: &str, tenant_id: &str) -> Result<String> {
    let origin = origin(authority_host)?;
    validate_tenant_id(tenant_id)?;
    Ok(format!("{origin}/{tenant_id}/oauth2/v2.0/token"))
}

/// Tells whether `s` is non-empty base64url without padding.
fn is_base64url(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Returns the form body of the client-credentials token request, exactly as the original
/// builds it: `client_id=…&scope=…&grant_type=client_credentials&client_assertion_type=…&client_assertion=…`.
///
/// `client_id` and `scope` are encoded with [`encode_uri_component`]; the assertion is appended
/// as is (base64url needs no encoding) after checking that it is a compact JWS (three non-empty
/// base64url parts).
pub fn token_request_body(client_id: &str, scope: &str, client_assertion: &str) -> Result<String> {
    if client_id.is_empty() {
        return Err(input_error(
            "The client id is missing: set msg.oauth.clientId or the node's client id to the \
             Application (client) ID of the app registration.",
        ));
    }
    if scope.is_empty() {
        return Err(input_error(
            "The scope is missing: set msg.oauth.scope or the node's scope, e.g. https://api.loganalytics.io/.default.",
        ));
    }
    if client_assertion.is_empty() {
        return Err(input_error("msg.client_assertion is missing: wire this node after sentinel-assertion."));
    }
    let parts: Vec<&str> = client_assertion.split('.').collect();
    if parts.len() != 3 || !parts.iter().all(|p| is_base64url(p)) {
        return Err(input_error(
            "msg.client_assertion is not a signed JWT (three base64url parts separated by dots): \
             connect the output of the sentinel-assertion node to this node.",
        ));
    }
    Ok(format!(
        "client_id={}&scope={}&grant_type=client_credentials\
         &client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer\
         &client_assertion={client_assertion}",
        encode_uri_component(client_id),
        encode_uri_component(scope),
    ))
}

/// Quotes a user value for an error message: cut to 40 characters and written as a JSON string.
fn quote(value: &str) -> String {
    let cut = match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    };
    let mut out = Vec::with_capacity(cut.len() + 2);
    write_escaped(&mut out, cut.as_bytes());
    // UTF-8 in, UTF-8 out: the escaper only adds ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Checks a Log Analytics workspace id: a GUID (`8-4-4-4-12` hexadecimal digits).
pub fn validate_workspace_id(workspace_id: &str) -> Result<()> {
    if workspace_id.is_empty() {
        return Err(input_error(
            "The workspace id is missing: set msg.oauth.workspaceId or the node's workspace id to the \
             Workspace ID shown on the Log Analytics workspace's overview page.",
        ));
    }
    if !is_guid(workspace_id) {
        return Err(input_error(format!(
            "The workspace id {} is not a GUID: use the Workspace ID from the Log Analytics workspace's \
             overview page, like 00000000-0000-0000-0000-000000000000.",
            quote(workspace_id)
        )));
    }
    Ok(())
}

/// Tells whether `s` is a GUID in the `8-4-4-4-12` hexadecimal form.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks a lookback for KQL's `ago()`: a timespan literal only, digits with an optional
/// fraction followed by `d`, `h`, `m`, `s` or `ms` (`12h`, `1.5d`, `30m`, `90s`, `500ms`).
pub fn validate_retention(retention: &str) -> Result<()> {
    let number = retention.strip_suffix("ms").or_else(|| retention.strip_suffix(['d', 'h', 'm', 's']));
    let valid = number.is_some_and(|n| {
        let (whole, fraction) = match n.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (n, None),
        };
        let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
        digits(whole) && fraction.is_none_or(digits)
    });
    if !valid {
        let shown = if retention.is_empty() { "(empty)".to_string() } else { quote(retention) };
        return Err(input_error(format!(
            "The retention (lookback) {shown} is not a KQL timespan: use a number followed by d, h, m, s \
             or ms, such as 12h, 1.5d, 30m, 90s or 500ms."
        )));
    }
    Ok(())
}

/// Checks a table name: a KQL identifier `[A-Za-z_][A-Za-z0-9_]*` of at most 256 characters
/// (`SecurityAlert`, `SecurityIncident`).
pub fn validate_table(table: &str) -> Result<()> {
    let mut bytes = table.bytes();
    let valid = table.len() <= 256
        && bytes.next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        let shown = if table.is_empty() { "(empty)".to_string() } else { quote(table) };
        return Err(input_error(format!(
            "The table {shown} is not a table name: use letters, digits and _ only, such as \
             SecurityAlert or SecurityIncident."
        )));
    }
    Ok(())
}

/// Checks a row limit: 1 to 500,000 (the query API's maximum).
pub fn validate_limit(limit: u64) -> Result<()> {
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(limit_error());
    }
    Ok(())
}

/// The row limit a number stands for (as JavaScript gives a setting): a whole number from 1 to
/// 500,000.
pub fn row_limit(limit: f64) -> Result<u64> {
    if !(limit.fract() == 0.0 && (1.0..=MAX_LIMIT as f64).contains(&limit)) {
        return Err(limit_error());
    }
    Ok(limit as u64)
}

fn limit_error() -> Error {
    input_error(format!(
        "The row limit must be a whole number from 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}): change the row limit setting."
    ))
}

/// Returns the Log Analytics query URL: `{origin}/v1/workspaces/{workspace_id}/query`.
///
/// `host` is read by [`origin`] (default [`DEFAULT_QUERY_HOST`]); the workspace id must be a GUID.
pub fn query_url(host: &str, workspace_id: &str) -> Result<String> {
    let origin = origin(host)?;
    validate_workspace_id(workspace_id)?;
    Ok(format!("{origin}/v1/workspaces/{workspace_id}/query"))
}

/// The query request of the original "get Sentinel alerts" and "get Sentinel incidents":
/// [`query_url`] and [`query_text`], each value checked.
pub fn query_request(host: &str, workspace_id: &str, table: &str, retention: &str, limit: u64) -> Result<QueryRequest> {
    Ok(QueryRequest { url: query_url(host, workspace_id)?, query: query_text(table, retention, limit)? })
}

/// Checks the settings of a query node before any message comes: the host and what goes into the
/// query, as [`query_request`] would (the workspace id, which may come with each message, is not
/// part of them).
pub fn check_query_settings(host: &str, table: &str, retention: &str, limit: u64) -> Result<()> {
    origin(host)?;
    query_text(table, retention, limit).map(drop)
}

/// Returns the KQL query `{table} | where TimeGenerated > ago({retention}) | take {limit}`,
/// after checking each part.
pub fn query_text(table: &str, retention: &str, limit: u64) -> Result<String> {
    validate_table(table)?;
    validate_retention(retention)?;
    validate_limit(limit)?;
    Ok(format!("{table} | where TimeGenerated > ago({retention}) | take {limit}"))
}

/// Returns the Elasticsearch `_bulk` URL: `{host}/_bulk?pipeline={encodeURIComponent(pipeline)}`.
///
/// `host` is an origin such as `https://elastic.host:9200` (a bare host means https://),
/// optionally with a path prefix for a reverse proxy (`https://proxy/elastic`); trailing `/`
/// are removed. An empty `pipeline` leaves the `pipeline` parameter out.
pub fn bulk_url(host: &str, pipeline: &str) -> Result<String> {
    if host.trim_ascii().is_empty() {
        return Err(input_error(
            "The Elasticsearch host is missing: set it in the sentinel-elastic config node or in msg.elastic.host (e.g. https://elastic.example:9200).",
        ));
    }
    // The host is kept as written (as the original pasted it), validated, trailing `/` removed;
    // without a scheme, Node-RED's http request node adds http:// as it did for the original.
    let (scheme, authority, path) = split_host(host).map_err(|e| {
        input_error(format!("Elasticsearch host: {} Set msg.elastic.host or the node's host, e.g. https://elastic.host:9200.", e.message()))
    })?;
    let origin = match scheme {
        Some(scheme) => format!("{scheme}://{authority}"),
        None => authority.to_string(),
    };
    if pipeline.is_empty() {
        return Ok(format!("{origin}{path}/_bulk"));
    }
    Ok(format!("{origin}{path}/_bulk?pipeline={}", encode_uri_component(pipeline)))
}
