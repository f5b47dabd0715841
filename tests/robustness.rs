//! No input makes the core panic (a panic traps the WebAssembly instance): random mutations of
//! realistic inputs go through every transform, which must return `Ok` or `Err`.

use sentinel_elastic_wasm::{bulk, bulk_result, rows};

const RESPONSE: &str = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"SystemAlertId","type":"string"},{"name":"EndTime","type":"datetime"},{"name":"Entities","type":"dynamic"},{"name":"ExtendedProperties","type":"dynamic"},{"name":"0","type":"int"},{"name":"customer","type":"string"},{"name":"IncidentName","type":"string"}],"rows":[["a1","2025-11-19T10:00:00.1234567Z","[{\"$id\":\"1\",\"HostName\":\"h\",\"x\":null,\"y\":[\"\",1.50,{\"__proto__\":{}}]}]","{\"a\\u0062\":\"\\ud800\",\"n\":1e400}",7,{"k":null},"i1"],["a2",null,"  {}  ","[1,2",-0,null],[]]}]}"#;
const BULK: &str = r#"{"took":5,"errors":true,"items":[{"create":{"_id":"a","status":201,"result":"created"}},{"create":{"_id":"b","status":409}},{"index":{"status":"500"}},{"delete":{}},7]}"#;

struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Deletes, duplicates, replaces or inserts a few bytes, favouring JSON's special characters.
fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    const SPECIAL: &[u8] = b"{}[]\",:\\u0123456789eE.-+ntfl \x00\xed\xa0\x80\xff";
    let mut v = input.to_vec();
    for _ in 0..1 + rng.next(4) {
        if v.is_empty() {
            break;
        }
        let at = rng.next(v.len());
        match rng.next(4) {
            0 => {
                v.remove(at);
            }
            1 => {
                let end = (at + rng.next(40)).min(v.len());
                let chunk = v[at..end].to_vec();
                v.splice(at..at, chunk);
            }
            2 => v[at] = SPECIAL[rng.next(SPECIAL.len())],
            _ => v.insert(at, SPECIAL[rng.next(SPECIAL.len())]),
        }
    }
    v
}

#[test]
fn mutated_inputs_never_panic() {
    let options =
        bulk::Options { index: "logs-azure_api".into(), tenant_name: Some(b"\"T\"".to_vec()), now_ms: 1.7e12, ..Default::default() };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for _ in 0..30_000 {
        let response = mutate(RESPONSE.as_bytes(), &mut rng);
        let text = String::from_utf8_lossy(&response).into_owned().into_bytes();
        if let Ok(r) = rows::convert(&text) {
            accepted += 1;
            let _ = bulk::from_documents(&r.json, &options);
        }
        let _ = bulk::from_response(&text, &options);
        let _ = bulk::from_documents(&text, &options);
        let response = mutate(BULK.as_bytes(), &mut rng);
        let _ = bulk_result::read(&String::from_utf8_lossy(&response).into_owned().into_bytes());
    }
    // The mutations must leave a good share valid, or the test exercises only the error paths.
    assert!(accepted > 1000, "only {accepted} mutated responses were valid");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Values are read, cleaned, written and dropped in loops: a small stack is enough at any
    // depth (tests/core/recovery.test.js checks the WebAssembly build with little stack left).
    std::thread::Builder::new().stack_size(256 << 10).spawn(deep_nesting).unwrap().join().unwrap();
}

fn deep_nesting() {
    let options = bulk::Options { index: "i".into(), tenant_name: None, now_ms: 0.0, ..Default::default() };
    let deep = format!("[{{\"Entities\":{}{}}}]", "[".repeat(100_000), "]".repeat(100_000));
    assert!(bulk::from_documents(deep.as_bytes(), &options).is_err());
    // A _bulk response is read, not built (as the original's loop, which never recursed): an item
    // of any depth is kept as it is.
    let job = bulk_result::read(format!("{{\"items\":[{}{}]}}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes()).unwrap();
    assert_eq!(job.items(), 1);
}
