//! Tests of the request builders: encoding, hosts, token request, query and `_bulk` URL.

use sentinel_elastic_wasm::request::{self, encode_uri_component};
use sentinel_elastic_wasm::ErrorKind;

/// `[input, encodeURIComponent(input)]` pairs printed by node (see fixtures/keys/README.md).
const ENCODE_URI_COMPONENT: &str = include_str!("fixtures/keys/encode-uri-component.json");
const RS256_SIGNING_INPUT: &str = include_str!("fixtures/keys/rs256-signing-input.txt");
const RS256_SIGNATURE: &str = include_str!("fixtures/keys/rs256-signature.txt");

const WORKSPACE: &str = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

fn assertion() -> String {
    format!("{}.{}", RS256_SIGNING_INPUT.trim(), RS256_SIGNATURE.trim())
}

fn assert_invalid<T: std::fmt::Debug>(name: &str, result: sentinel_elastic_wasm::Result<T>, expected: &str) {
    let err = result.expect_err(name);
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name}: {err}");
    assert!(err.message().contains(expected), "{name}: {err}");
}

#[test]
fn encode_uri_component_matches_javascript() {
    let cases: Vec<(String, String)> = serde_json::from_str(ENCODE_URI_COMPONENT).unwrap();
    assert!(cases.len() >= 20);
    for (input, expected) in cases {
        assert_eq!(encode_uri_component(&input), expected, "{input:?}");
    }
}

#[test]
fn origins_are_kept_or_given_https() {
    let cases = [
        ("login.microsoftonline.com", "https://login.microsoftonline.com"),
        ("  login.microsoftonline.com\n", "https://login.microsoftonline.com"),
        ("https://login.microsoftonline.com/", "https://login.microsoftonline.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("HTTP://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://x", "https://x"),
        ("example.org:8443", "https://example.org:8443"),
        ("http://[::1]:9200", "http://[::1]:9200"),
        ("https://[2001:db8::1]", "https://[2001:db8::1]"),
        ("https://Elastic.Host:9200", "https://Elastic.Host:9200"),
        ("http://localhost:65535", "http://localhost:65535"),
    ];
    for (host, expected) in cases {
        assert_eq!(request::origin(host).unwrap(), expected, "{host}");
    }
}

#[test]
fn hosts_that_could_change_the_target_are_refused() {
    let cases = [
        ("", "empty"),
        ("   ", "empty"),
        ("https://host/path", "path"),
        ("host/oauth2", "path"),
        ("https://host?x=1", "query"),
        ("https://host#frag", "query"),
        ("https://user:secret@host", "user name"),
        ("https://evil.com@login.microsoftonline.com", "user name"),
        ("https://ho st", "spaces"),
        ("https://host\\evil", "backslash"),
        ("ftp://host", "http:// or https://"),
        ("javascript://x", "http:// or https://"),
        ("https://", "not valid"),
        ("https://host:0", "not valid"),
        ("https://host:65536", "not valid"),
        ("https://host:80a", "not valid"),
        ("https://host:", "not valid"),
        ("https://[::1", "not valid"),
        ("https://[::1]x", "not valid"),
        ("https://-host", "not valid"),
        ("https://ho%73t", "not valid"),
        ("https://hôst", "not valid"),
    ];
    for (host, expected) in cases {
        assert_invalid(host, request::origin(host), expected);
    }
    // A password in a host must not be echoed back.
    let err = request::origin("https://user:hunter2@host").unwrap_err();
    assert!(!err.message().contains("hunter2"));
}

#[test]
fn token_url_is_the_v2_endpoint() {
    let cases = [
        (
            ("login.microsoftonline.com", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
            "https://login.microsoftonline.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/oauth2/v2.0/token",
        ),
        (("http://127.0.0.1:8080", "contoso.onmicrosoft.com"), "http://127.0.0.1:8080/contoso.onmicrosoft.com/oauth2/v2.0/token"),
        // The article's placeholder tenant shape (not a strict GUID) still passes.
        (
            ("login.microsoftonline.com", "xxxxxxx-xxxxxxxx-xxxx-xxxxxxxxxxx"),
            "https://login.microsoftonline.com/xxxxxxx-xxxxxxxx-xxxx-xxxxxxxxxxx/oauth2/v2.0/token",
        ),
    ];
    for ((host, tenant), expected) in cases {
        assert_eq!(request::token_url(host, tenant).unwrap(), expected);
    }
}

#[test]
fn tenant_ids_that_could_break_the_url_are_refused() {
    for tenant in ["", "..", ".", "-abc", "abc-", "a..b", "a/b", "a?b", "a#b", "a b", "a%2Fb", "tenant/../../evil", "a\nb", "ténant"] {
        let expected = if tenant.is_empty() { "missing" } else { "tenant id is not valid" };
        assert_invalid(tenant, request::validate_tenant_id(tenant), expected);
        assert!(request::token_url("login.microsoftonline.com", tenant).is_err(), "{tenant}");
    }
    let long = "a".repeat(254);
    assert_invalid("254 characters", request::validate_tenant_id(&long), "not valid");
    assert!(request::validate_tenant_id(&long[..253]).is_ok());
}

#[test]
fn token_request_body_matches_the_original() {
    let jws = assertion();
    let cases = [
        (
            ("11111111-2222-3333-4444-555555555555", "https://api.loganalytics.io/.default"),
            format!(
                "client_id=11111111-2222-3333-4444-555555555555&scope=https%3A%2F%2Fapi.loganalytics.io%2F.default\
                 &grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer\
                 &client_assertion={jws}"
            ),
        ),
        (
            ("a b&c", "scope one+two"),
            format!(
                "client_id=a%20b%26c&scope=scope%20one%2Btwo&grant_type=client_credentials\
                 &client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion={jws}"
            ),
        ),
    ];
    for ((client_id, scope), expected) in cases {
        assert_eq!(request::token_request_body(client_id, scope, &jws).unwrap(), expected);
    }
}

#[test]
fn token_request_body_refuses_what_is_not_a_jws() {
    let jws = assertion();
    let cases: [(&str, &str, String, &str); 8] = [
        ("no client id", "", jws.clone(), "client id is missing"),
        ("no scope", "id", String::new() + &jws, "scope is missing"),
        ("empty assertion", "id", String::new(), "client_assertion is missing"),
        ("two parts", "id", "a.b".into(), "not a signed JWT"),
        ("empty signature", "id", "a.b.".into(), "not a signed JWT"),
        ("four parts", "id", format!("{jws}.x"), "not a signed JWT"),
        ("form injection", "id", "a.b.c&scope=evil".into(), "not a signed JWT"),
        ("padding", "id", "a.b.c=".into(), "not a signed JWT"),
    ];
    for (name, client_id, assertion, expected) in cases {
        let scope = if name == "no scope" { "" } else { "https://api.loganalytics.io/.default" };
        let err = request::token_request_body(client_id, scope, &assertion).expect_err(name);
        assert!(err.message().contains(expected), "{name}: {err}");
        assert!(!err.message().contains(&jws[..20]), "{name}: message leaks the assertion");
    }
}

#[test]
fn workspace_ids_must_be_guids() {
    for ok in [WORKSPACE, "0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0", "00000000-0000-0000-0000-000000000000"] {
        assert!(request::validate_workspace_id(ok).is_ok(), "{ok}");
    }
    let cases = [
        ("", "missing"),
        ("xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxx", "not a GUID"),
        ("0b1c2d3e4f506172839 4a5b6c7d8e9f0", "not a GUID"),
        ("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f", "not a GUID"),
        ("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f00", "not a GUID"),
        ("{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}", "not a GUID"),
        (" 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "not a GUID"),
        ("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/../../other", "not a GUID"),
        ("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0?x=1", "not a GUID"),
        ("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9g0", "not a GUID"),
    ];
    for (id, expected) in cases {
        assert_invalid(id, request::validate_workspace_id(id), expected);
    }
}

#[test]
fn retention_accepts_timespan_literals_only() {
    for ok in ["12h", "1.5d", "30m", "90s", "500ms", "0h", "7d", "24h", "1.25h", "000001d"] {
        assert!(request::validate_retention(ok).is_ok(), "{ok}");
    }
    let cases = [
        "",
        "12",
        "h",
        "12H",
        "12 h",
        " 12h",
        "12h ",
        "1.d",
        ".5d",
        "1..5d",
        "1.5.5d",
        "-1h",
        "+1h",
        "1e3s",
        "12hours",
        "12min",
        "12y",
        "1w",
        "12h)",
        "12h); SecurityEvent | take 1 //",
        "12h) | union SecurityEvent | where 1==1 or ago(1d",
        "datetime(2020-01-01)",
        "12h\n| take 1",
        "1234567890h",
        "１２h",
    ];
    for retention in cases {
        let err = request::validate_retention(retention).expect_err(retention);
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("12h, 1.5d, 30m, 90s or 500ms"), "{retention:?}: {err}");
    }
    // The refused value is quoted, escaped and cut short.
    let err = request::validate_retention("12h\n| take 1 and a very long tail that goes on and on").unwrap_err();
    assert!(err.message().contains(r#""12h\n| take 1 and a very long tail that g…""#), "{err}");
}

#[test]
fn tables_must_be_kql_identifiers() {
    for ok in ["SecurityAlert", "SecurityIncident", "_table", "T1", "a_b_c"] {
        assert!(request::validate_table(ok).is_ok(), "{ok}");
    }
    assert!(request::validate_table(&"a".repeat(256)).is_ok());
    let long = "a".repeat(257);
    for table in [
        "",
        "1Table",
        "Security Alert",
        "SecurityAlert | take 1",
        "SecurityAlert;",
        "['SecurityAlert']",
        "Secu-rity",
        "Sécurité",
        long.as_str(),
    ] {
        assert_invalid(table, request::validate_table(table), "letters, digits and _ only");
    }
}

#[test]
fn limits_are_checked() {
    for ok in [1, 1000, 500_000] {
        assert!(request::validate_limit(ok).is_ok(), "{ok}");
    }
    for bad in [0, 500_001, u64::MAX] {
        assert_invalid(&bad.to_string(), request::validate_limit(bad), "whole number from 1 to 500000");
    }
    // As JavaScript gives a setting: a number, maybe NaN (Number("abc")) or a fraction.
    for (ok, expected) in [(1.0, 1), (1000.0, 1000), (500_000.0, 500_000)] {
        assert_eq!(request::row_limit(ok).unwrap(), expected);
    }
    for bad in [0.0, -1.0, 1.5, 500_001.0, f64::NAN, f64::INFINITY, -0.0, 1e300] {
        assert_invalid(&bad.to_string(), request::row_limit(bad), "whole number from 1 to 500000");
    }
}

#[test]
fn requests_are_built_from_checked_values() {
    let token = request::token_request("login.microsoftonline.com", "contoso.onmicrosoft.com", "app", "s", &assertion()).unwrap();
    assert_eq!(token.url, "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    assert!(token.payload.starts_with("client_id=app&scope=s&grant_type=client_credentials&"));
    let missing = [
        (("", "app", "s", assertion()), "tenant id is missing"),
        (("t", "", "s", assertion()), "client id is missing"),
        (("t", "app", "", assertion()), "scope is missing"),
        (("t", "app", "s", String::new()), "client_assertion is missing"),
    ];
    for ((tenant, client, scope, jws), expected) in missing {
        assert_invalid(expected, request::token_request(request::DEFAULT_AUTHORITY_HOST, tenant, client, scope, &jws), expected);
    }
    let query = request::query_request(request::DEFAULT_QUERY_HOST, WORKSPACE, "SecurityIncident", "1d", 5).unwrap();
    assert_eq!(query.url, format!("https://api.loganalytics.azure.com/v1/workspaces/{WORKSPACE}/query"));
    assert_eq!(query.query, "SecurityIncident | where TimeGenerated > ago(1d) | take 5");
    assert_invalid("no workspace", request::query_request(request::DEFAULT_QUERY_HOST, "", "T", "1d", 5), "workspace id is missing");
}

#[test]
fn query_settings_are_checked_without_a_message() {
    assert!(request::check_query_settings(request::DEFAULT_QUERY_HOST, "SecurityAlert", "12h", 1000).is_ok());
    assert!(request::check_query_settings("http://127.0.0.1:8124", "SecurityIncident", "1.5d", 1).is_ok());
    assert_invalid("host", request::check_query_settings("https://a/b", "SecurityAlert", "12h", 1000), "path");
    assert_invalid("table", request::check_query_settings(request::DEFAULT_QUERY_HOST, "SecurityAlert | take 1", "12h", 1000), "table");
    assert_invalid(
        "lookback",
        request::check_query_settings(request::DEFAULT_QUERY_HOST, "SecurityAlert", "forever", 1000),
        "KQL timespan",
    );
    assert_invalid("limit", request::check_query_settings(request::DEFAULT_QUERY_HOST, "SecurityAlert", "12h", 0), "row limit");
}

#[test]
fn defaults_are_the_original_flows() {
    let d = request::DEFAULTS;
    assert_eq!((d.authority_host, d.query_host), ("login.microsoftonline.com", "api.loganalytics.azure.com"));
    assert_eq!((d.table, d.retention, d.limit), ("SecurityAlert", "12h", 1000));
    assert_eq!((d.index, d.pipeline, d.lifetime), ("logs-azure_api", "logs-azure_api", 600));
    assert_eq!(sentinel_elastic_wasm::assertion::Algorithm::parse(d.algorithm).unwrap().name(), "RS256");
}

#[test]
fn query_url_and_text_match_the_original() {
    assert_eq!(
        request::query_url(request::DEFAULT_QUERY_HOST, WORKSPACE).unwrap(),
        format!("https://api.loganalytics.azure.com/v1/workspaces/{WORKSPACE}/query")
    );
    assert_eq!(
        request::query_url("http://127.0.0.1:9000", WORKSPACE).unwrap(),
        format!("http://127.0.0.1:9000/v1/workspaces/{WORKSPACE}/query")
    );
    assert_invalid("bad workspace", request::query_url(request::DEFAULT_QUERY_HOST, "x/../y"), "not a GUID");
    assert_invalid("bad host", request::query_url("https://a/b", WORKSPACE), "path");
    let cases = [
        (("SecurityAlert", "12h", 1000), "SecurityAlert | where TimeGenerated > ago(12h) | take 1000"),
        (("SecurityIncident", "12h", 1000), "SecurityIncident | where TimeGenerated > ago(12h) | take 1000"),
        (("SecurityAlert", "1.5d", 50), "SecurityAlert | where TimeGenerated > ago(1.5d) | take 50"),
    ];
    for ((table, retention, limit), expected) in cases {
        assert_eq!(request::query_text(table, retention, limit).unwrap(), expected);
    }
    let defaults = request::query_text(request::DEFAULT_TABLE, request::DEFAULT_RETENTION, request::DEFAULT_LIMIT).unwrap();
    assert_eq!(defaults, "SecurityAlert | where TimeGenerated > ago(12h) | take 1000");
    assert_invalid("injection", request::query_text("SecurityAlert", "12h); SecurityEvent | take 1 //", 1000), "KQL timespan");
    assert_invalid("table", request::query_text("SecurityAlert | take 1", "12h", 1000), "table");
    assert_invalid("limit", request::query_text("SecurityAlert", "12h", 0), "row limit");
}

#[test]
fn bulk_url_matches_the_original_for_normal_hosts() {
    let cases = [
        (("https://elastic.host:9200", "logs-azure_api"), "https://elastic.host:9200/_bulk?pipeline=logs-azure_api"),
        (("https://elastic.host:9200/", "logs-azure_api"), "https://elastic.host:9200/_bulk?pipeline=logs-azure_api"),
        (("http://127.0.0.1:9200", "my pipeline/1"), "http://127.0.0.1:9200/_bulk?pipeline=my%20pipeline%2F1"),
        // As the original: no scheme added (the http request node adds http://), case kept.
        (("elastic.host:9200", "p"), "elastic.host:9200/_bulk?pipeline=p"),
        (("HTTPS://Elastic.Host:9200", "p"), "HTTPS://Elastic.Host:9200/_bulk?pipeline=p"),
        (("https://proxy.example/elastic/", "p"), "https://proxy.example/elastic/_bulk?pipeline=p"),
        (("https://elastic.host:9200", ""), "https://elastic.host:9200/_bulk"),
    ];
    for ((host, pipeline), expected) in cases {
        assert_eq!(request::bulk_url(host, pipeline).unwrap(), expected, "{host}");
    }
    for (host, expected) in [
        ("", "host is missing"),
        ("  ", "host is missing"),
        ("https://elastic.host:9200/_bulk?x=1", "query"),
        ("https://elastic:changeme@elastic.host:9200", "user name"),
        ("https://elastic.host/a b", "spaces"),
        ("https://elastic.host/a/../b", "path"),
        ("https://elastic.host/a\"b", "path"),
    ] {
        let err = request::bulk_url(host, "p").expect_err(host);
        assert!(err.message().contains(expected), "{host}: {err}");
        assert!(err.message().contains("msg.elastic.host"), "{host}: {err}");
        assert!(!err.message().contains("changeme"), "{host}: leaks a password");
    }
}
