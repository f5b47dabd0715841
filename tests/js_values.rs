//! `undefined` and `NaN` in payloads made by JavaScript (see `json::tag`): treated as the
//! original flow treated them, and never confused with a string, whatever the string holds.

use sentinel_elastic_wasm::json::tag::{read_js_text, untag};
use sentinel_elastic_wasm::{bulk, bulk_result, rows};

fn options() -> bulk::Options {
    bulk::Options {
        index: "logs-azure_api".into(),
        tenant_name: Some(b"\"T\"".to_vec()),
        now_ms: 1_763_546_400_000.0,
        ..Default::default()
    }
}

/// The action and document lines of each document, from JSON text as core.js writes it.
fn ndjson(js: &str) -> Vec<String> {
    let body = bulk::from_documents(&read_js_text(js.as_bytes()).unwrap(), &options()).unwrap().ndjson;
    assert!(!body.as_bytes().contains(&0xFF), "a tag reached the NDJSON: {body}");
    body.lines().map(str::to_string).collect()
}

#[test]
fn a_nan_id_is_falsy_as_in_the_original() {
    // `if (doc.SystemAlertId)` is false for NaN: the _id comes from IncidentName, or is left out.
    let lines = ndjson(r#"[{"SystemAlertId":NaN,"IncidentName":"inc-7"},{"SystemAlertId":NaN},{"SystemAlertId":1e999}]"#);
    assert_eq!(lines[0], r#"{"create":{"_index":"logs-azure_api","_id":"inc-7"}}"#);
    assert_eq!(lines[2], r#"{"create":{"_index":"logs-azure_api"}}"#);
    assert_eq!(lines[4], r#"{"create":{"_index":"logs-azure_api","_id":"Infinity"}}"#);
    // clean() keeps NaN, and JSON.stringify prints it as null.
    assert_eq!(
        lines[1],
        r#"{"SystemAlertId":null,"IncidentName":"inc-7","@timestamp":"2025-11-19T10:00:00.000Z","customer":{"name":"T"}}"#
    );
}

#[test]
fn nan_and_undefined_cells_are_kept_and_dropped_as_clean_did() {
    let lines = ndjson(r#"[{"a":NaN,"b":undefined,"c":[NaN,undefined,1],"customer":NaN,"EndTime":NaN,"d":{"e":undefined,"f":NaN}}]"#);
    // customer NaN is falsy: `doc.customer || {}`; EndTime NaN is falsy: the current time.
    assert_eq!(
        lines[1],
        r#"{"a":null,"c":[null,1],"customer":{"name":"T"},"EndTime":null,"d":{"f":null},"@timestamp":"2025-11-19T10:00:00.000Z"}"#
    );
}

#[test]
fn strings_that_spell_the_old_markers_are_strings() {
    // Before, "\u0000\u0001undefined" stood for undefined and "\u0000\u0001inf" for Infinity, so
    // these strings were lost or changed.
    let lines = ndjson(r#"[{"SystemAlertId":"\u0000\u0001undefined","x":"\u0000\u0001inf","y":"undefined","z":"NaN"}]"#);
    assert_eq!(lines[0], r#"{"create":{"_index":"logs-azure_api","_id":"\u0000\u0001undefined"}}"#);
    assert!(lines[1].starts_with(r#"{"SystemAlertId":"\u0000\u0001undefined","x":"\u0000\u0001inf","y":"undefined","z":"NaN","#));
}

#[test]
fn rows_keep_undefined_and_nan_cells_for_javascript() {
    let response = read_js_text(
        br#"{"tables":[{"columns":[{"name":"a"},{"name":"b"},{"name":"c"}],"rows":[[undefined,NaN,[undefined,1]],["x",1e999,"NaN"]]}]}"#,
    )
    .unwrap();
    let r = rows::convert(&response).unwrap();
    let u = untag(r.json).unwrap();
    assert_eq!(String::from_utf8(u.json).unwrap(), r#"[{"a":null,"b":null,"c":[null,1]},{"a":"x","b":1e999,"c":"NaN"}]"#);
    assert_eq!(String::from_utf8(u.tags.unwrap()).unwrap(), r#"[[0,"a","undefined"],[0,"b","NaN"],[0,"c",0,"undefined"]]"#);
}

#[test]
fn a_bulk_response_keeps_them_too() {
    let response = read_js_text(
        br#"{"took":NaN,"items":[{"create":{"status":NaN,"x":undefined}},{"index":{"status":409}},{"create":undefined,"index":{"status":201}},{"create":NaN,"delete":{"status":500}}],"y":undefined}"#,
    )
    .unwrap();
    let r = bulk_result::read(&response).unwrap();
    assert_eq!(r.items(), 4);
    let u = untag(r.frame().to_vec()).unwrap();
    assert_eq!(String::from_utf8(u.json).unwrap(), r#"{"took":null,"items":0,"y":null}"#);
    assert_eq!(String::from_utf8(u.tags.unwrap()).unwrap(), r#"[["took","NaN"],["y","undefined"]]"#);
}

#[test]
fn text_from_a_response_still_fails_on_bare_words() {
    for text in [&br#"{"tables":[{"columns":[{"name":"a"}],"rows":[[NaN]]}]}"#[..], br#"[{"a":undefined}]"#] {
        assert!(rows::convert(text).is_err());
        assert!(bulk::from_documents(text, &options()).is_err());
    }
}

#[test]
fn no_tagged_input_makes_the_core_panic() {
    const DOCS: &[u8] = b"[{\"SystemAlertId\":\xFFn,\"a\":\xFFu,\"c\":[\xFFn,\xFFu,{\"d\":\xFFu}],\"customer\":\xFFn,\"EndTime\":\xFFu}]";
    const RESPONSE: &[u8] =
        b"{\"tables\":[{\"columns\":[{\"name\":\"a\"},{\"name\":\"Entities\"}],\"rows\":[[\xFFu,\xFFn],[[\xFFn],\"[1]\"]]}],\"x\":\xFFu}";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..20_000 {
        for input in [DOCS, RESPONSE] {
            let mut v = input.to_vec();
            for _ in 0..1 + next(3) {
                let at = next(v.len());
                match next(3) {
                    0 => {
                        v.remove(at);
                    }
                    1 => v.insert(at, b"\xFFun,[]{}\":"[next(10)]),
                    _ => v[at] = b"\xFFun,[]{}\":"[next(10)],
                }
            }
            let _ = rows::convert(&v).map(|r| untag(r.json));
            let _ = bulk::from_documents(&v, &options());
            let _ = bulk::from_response(&v, &options());
            let _ = bulk_result::read(&v).map(|r| untag(r.frame().to_vec()));
            let _ = untag(v);
        }
    }
}
