//! Tests of the client assertion: key reading, thumbprints, header and claims JSON, signing.
//!
//! The fixtures in `fixtures/keys/` were made with openssl; `fixtures/keys/README.md` lists the
//! commands, including the ones that computed the expected thumbprints and RS256 signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs8::DecodePrivateKey;
use rsa::rand_core::{CryptoRng, Error as RandError, RngCore};
use rsa::traits::PublicKeyParts;
use rsa::{Pss, RsaPrivateKey};
use sentinel_elastic_wasm::assertion::{self, Algorithm, Assertion, PrivateKey, Thumbprints};
use sentinel_elastic_wasm::ErrorKind;
use sha2::{Digest, Sha256};

const KEY_PKCS8: &str = include_str!("fixtures/keys/key.pem");
const KEY_PKCS1: &str = include_str!("fixtures/keys/key-pkcs1.pem");
const KEY_ONE_LINE: &str = include_str!("fixtures/keys/key-oneline.txt");
const CERT: &str = include_str!("fixtures/keys/cert.pem");
const OTHER_KEY: &str = include_str!("fixtures/keys/other-key.pem");
const EC_KEY_PKCS8: &str = include_str!("fixtures/keys/ec-key.pem");
const EC_KEY_SEC1: &str = include_str!("fixtures/keys/ec-key-sec1.pem");
const ED25519_KEY: &str = include_str!("fixtures/keys/ed25519-key.pem");
const ENCRYPTED_PKCS8: &str = include_str!("fixtures/keys/key-encrypted.pem");
const ENCRYPTED_PKCS1: &str = include_str!("fixtures/keys/key-pkcs1-encrypted.pem");
const SMALL_KEY: &str = include_str!("fixtures/keys/small-key.pem");
const PUBLIC_KEY: &str = include_str!("fixtures/keys/public-key.pem");
const X5T: &str = include_str!("fixtures/keys/x5t.txt");
const X5T_S256: &str = include_str!("fixtures/keys/x5t-s256.txt");
const RS256_HEADER: &str = include_str!("fixtures/keys/rs256-header.json");
const RS256_CLAIMS: &str = include_str!("fixtures/keys/rs256-claims.json");
const RS256_SIGNING_INPUT: &str = include_str!("fixtures/keys/rs256-signing-input.txt");
const RS256_SIGNATURE: &str = include_str!("fixtures/keys/rs256-signature.txt");
const JSON_ESCAPE: &str = include_str!("fixtures/keys/json-escape.json");

const CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
const TENANT_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const JTI: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const NOW: i64 = 1_763_546_400;

/// A deterministic random source for tests (SplitMix64); never use it outside tests.
struct TestRng(u64);

impl RngCore for TestRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandError> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for TestRng {}

fn key() -> PrivateKey {
    PrivateKey::from_pem(KEY_PKCS8).expect("fixture key parses")
}

fn x5t() -> &'static str {
    X5T.trim()
}

fn fixed_assertion(algorithm: Algorithm) -> Assertion<'static> {
    Assertion {
        client_id: CLIENT_ID,
        tenant_id: TENANT_ID,
        authority_host: "login.microsoftonline.com",
        now: NOW,
        lifetime: 600,
        jti: JTI,
        algorithm,
        kid: Some(x5t()),
        x5t: Some(x5t()),
        x5t_s256: Some(X5T_S256.trim()),
    }
}

fn b64url_decode(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).expect("base64url part")
}

// ---- reading keys ----

#[test]
fn every_accepted_pem_form_parses_to_the_same_key() {
    let reference = key();
    let crlf = KEY_PKCS8.replace('\n', "\r\n");
    let spaced = format!("\n\n   {KEY_PKCS1}  \n\t");
    let no_breaks = KEY_PKCS8.replace('\n', "");
    let spaces_for_breaks = KEY_PKCS8.replace('\n', " ");
    let quoted_one_line = format!("\"{}\"", KEY_ONE_LINE.trim());
    let one_line_crlf = KEY_ONE_LINE.replace("\\n", "\\r\\n");
    let with_bom = format!("\u{feff}{KEY_PKCS8}");
    let cert_then_key = format!("{CERT}{KEY_PKCS8}");
    let pkcs1_labelled_pkcs8 = KEY_PKCS1.replace("RSA PRIVATE KEY", "PRIVATE KEY");
    let pkcs8_labelled_pkcs1 = KEY_PKCS8.replace("PRIVATE KEY", "RSA PRIVATE KEY");
    let unpadded = {
        // The same key with its base64 padding removed.
        KEY_PKCS8.replace('=', "")
    };
    let forms: [(&str, &str); 13] = [
        ("PKCS#8", KEY_PKCS8),
        ("PKCS#1", KEY_PKCS1),
        ("one-line (awk)", KEY_ONE_LINE),
        ("CRLF", &crlf),
        ("surrounding whitespace", &spaced),
        ("line breaks dropped", &no_breaks),
        ("spaces for line breaks", &spaces_for_breaks),
        ("quoted one-line", &quoted_one_line),
        ("one-line with \\r\\n", &one_line_crlf),
        ("byte-order mark", &with_bom),
        ("certificate before the key", &cert_then_key),
        ("PKCS#1 body under a PKCS#8 label", &pkcs1_labelled_pkcs8),
        ("PKCS#8 body under a PKCS#1 label", &pkcs8_labelled_pkcs1),
    ];
    for (name, pem) in forms {
        let parsed = PrivateKey::from_pem(pem).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed, reference, "{name}");
    }
    assert_eq!(
        PrivateKey::from_pem(&unpadded).ok(),
        Some(reference.clone()),
        "without padding"
    );
    assert_eq!(reference.bits(), 2048);
    let other = PrivateKey::from_pem(OTHER_KEY).expect("other key parses");
    assert_ne!(other, reference, "an unrelated key is a different key");
}

#[test]
fn the_one_line_fixture_is_the_awk_form() {
    assert!(KEY_ONE_LINE.starts_with("-----BEGIN PRIVATE KEY-----\\n"));
    assert!(!KEY_ONE_LINE.contains('\n'));
    assert_eq!(KEY_ONE_LINE.replace("\\n", "\n"), KEY_PKCS8);
}

#[test]
fn bad_private_keys_give_invalid_key_errors_without_key_material() {
    let body_lines: Vec<&str> = KEY_PKCS8
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let truncated_end = KEY_PKCS8.lines().take(10).collect::<Vec<_>>().join("\n");
    let truncated_body = {
        let lines: Vec<&str> = KEY_PKCS8.lines().collect();
        format!(
            "{}\n{}\n{}\n",
            lines[0],
            lines[1..10].join("\n"),
            lines[lines.len() - 1]
        )
    };
    let bad_base64 = KEY_PKCS8.replacen("MII", "M!I", 1);
    let flipped = {
        // Change one base64 character in the middle of the key: valid base64, wrong numbers.
        let mut lines: Vec<String> = KEY_PKCS8.lines().map(String::from).collect();
        let line = &mut lines[12];
        let c = if line.starts_with('A') { "B" } else { "A" };
        line.replace_range(0..1, c);
        lines.join("\n")
    };
    let bare_base64 = body_lines.join("\n");
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "empty"),
        ("garbage", "not a key at all".into(), "not PEM"),
        ("bare base64", bare_base64, "not PEM"),
        ("missing END", truncated_end, "incomplete"),
        ("truncated body", truncated_body, "damaged or truncated"),
        ("bad base64", bad_base64, "not valid base64"),
        ("one changed character", flipped, "damaged or truncated"),
        ("EC PKCS#8", EC_KEY_PKCS8.into(), "not an RSA key (EC)"),
        ("EC SEC1", EC_KEY_SEC1.into(), "not an RSA key (EC)"),
        ("Ed25519", ED25519_KEY.into(), "not an RSA key"),
        ("encrypted PKCS#8", ENCRYPTED_PKCS8.into(), "openssl pkcs8 -topk8 -nocrypt"),
        ("encrypted PKCS#1", ENCRYPTED_PKCS1.into(), "openssl pkcs8 -topk8 -nocrypt"),
        ("certificate", CERT.into(), "certificate was given"),
        ("public key", PUBLIC_KEY.into(), "public key was given"),
        ("1024-bit key", SMALL_KEY.into(), "at least 2048"),
        ("damaged BEGIN line", "-----BEGIN private key-----\nAAAA\n-----END private key-----".into(), "damaged -----BEGIN"),
        ("OpenSSH", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n".into(), "ssh-keygen"),
    ];
    // Pieces of key material that must never appear in a message.
    let secrets: Vec<&str> = body_lines.iter().map(|l| &l[..20.min(l.len())]).collect();
    for (name, pem, expected) in cases {
        let err = PrivateKey::from_pem(&pem).expect_err(name);
        assert_eq!(err.kind(), ErrorKind::InvalidKey, "{name}: {err}");
        assert!(err.message().contains(expected), "{name}: {err}");
        for secret in &secrets {
            assert!(
                !err.message().contains(secret),
                "{name}: message leaks key material"
            );
        }
        assert!(
            !err.message().contains("MII"),
            "{name}: message leaks base64"
        );
    }
}

#[test]
fn debug_output_shows_no_key_material() {
    let shown = format!("{:?}", key());
    assert_eq!(shown, "PrivateKey { bits: 2048, .. }");
}

#[test]
fn cut_and_mangled_keys_never_panic() {
    // Every prefix of the DER body, re-wrapped as PEM, must give an error or a key, never a panic.
    let body: String = KEY_PKCS1
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    for end in (0..body.len()).step_by(7) {
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
            &body[..end]
        );
        assert!(
            PrivateKey::from_pem(&pem).is_err(),
            "prefix of {end} characters"
        );
        let pem8 = pem.replace("RSA PRIVATE KEY", "PRIVATE KEY");
        assert!(
            PrivateKey::from_pem(&pem8).is_err(),
            "PKCS#8 label, prefix of {end} characters"
        );
    }
}

// ---- thumbprints ----

#[test]
fn thumbprints_equal_the_openssl_pipeline() {
    let expected = Thumbprints {
        x5t: X5T.trim().into(),
        x5t_s256: X5T_S256.trim().into(),
    };
    let one_line = CERT.trim_end().replace('\n', "\\n");
    let crlf = CERT.replace('\n', "\r\n");
    let key_then_cert = format!("{KEY_PKCS8}{CERT}");
    let two_certs = format!("{CERT}{}", CERT.replace("MII", "MIJ"));
    for (name, pem) in [
        ("PEM", CERT),
        ("one-line", one_line.as_str()),
        ("CRLF", crlf.as_str()),
        ("key before the certificate", key_then_cert.as_str()),
        ("first of two certificates", two_certs.as_str()),
    ] {
        assert_eq!(
            assertion::thumbprints(pem).unwrap_or_else(|e| panic!("{name}: {e}")),
            expected,
            "{name}"
        );
    }
    assert_eq!(expected.x5t.len(), 27);
    assert_eq!(expected.x5t_s256.len(), 43);
}

#[test]
fn bad_certificates_give_invalid_certificate_errors() {
    let truncated = {
        let lines: Vec<&str> = CERT.lines().collect();
        format!(
            "{}\n{}\n{}\n",
            lines[0],
            lines[1..5].join("\n"),
            lines[lines.len() - 1]
        )
    };
    let cases: [(&str, &str, &str); 5] = [
        ("empty", "", "empty"),
        ("garbage", "hello", "not PEM"),
        ("private key", KEY_PKCS8, "private key was given"),
        ("truncated", &truncated, "damaged or truncated"),
        ("no END", "-----BEGIN CERTIFICATE-----\nMIIB", "incomplete"),
    ];
    for (name, pem, expected) in cases {
        let err = assertion::thumbprints(pem).expect_err(name);
        assert_eq!(err.kind(), ErrorKind::InvalidCertificate, "{name}: {err}");
        assert!(err.message().contains(expected), "{name}: {err}");
    }
}

// ---- header and claims ----

#[test]
fn header_and_claims_match_the_fixture_byte_for_byte() {
    let a = fixed_assertion(Algorithm::Rs256);
    assert_eq!(a.header_json(), RS256_HEADER);
    assert_eq!(a.claims_json().unwrap(), RS256_CLAIMS);
}

#[test]
fn header_carries_the_thumbprint_of_the_algorithm() {
    let x5t = x5t();
    let s256 = X5T_S256.trim();
    let both = fixed_assertion(Algorithm::Rs256);
    let cases: Vec<(Assertion<'_>, String)> = vec![
        (
            both,
            format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{x5t}","x5t":"{x5t}"}}"#),
        ),
        (
            Assertion {
                algorithm: Algorithm::Ps256,
                ..both
            },
            format!(r#"{{"alg":"PS256","typ":"JWT","kid":"{x5t}","x5t#S256":"{s256}"}}"#),
        ),
        (
            Assertion { kid: None, ..both },
            format!(r#"{{"alg":"RS256","typ":"JWT","x5t":"{x5t}"}}"#),
        ),
        (
            Assertion {
                kid: Some(""),
                x5t: None,
                ..both
            },
            r#"{"alg":"RS256","typ":"JWT"}"#.to_string(),
        ),
        (
            Assertion {
                x5t: Some(""),
                ..both
            },
            format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{x5t}"}}"#),
        ),
        (
            Assertion {
                algorithm: Algorithm::Ps256,
                x5t_s256: None,
                ..both
            },
            format!(r#"{{"alg":"PS256","typ":"JWT","kid":"{x5t}"}}"#),
        ),
    ];
    for (a, expected) in cases {
        assert_eq!(a.header_json(), expected);
    }
}

#[test]
fn strings_are_escaped_like_json_stringify() {
    let cases: Vec<(String, String)> = serde_json::from_str(JSON_ESCAPE).unwrap();
    assert!(cases.len() >= 8);
    for (kid, stringified) in cases {
        let a = Assertion {
            kid: Some(&kid),
            x5t: None,
            ..fixed_assertion(Algorithm::Rs256)
        };
        let expected = if kid.is_empty() {
            r#"{"alg":"RS256","typ":"JWT"}"#.to_string()
        } else {
            format!(r#"{{"alg":"RS256","typ":"JWT",{}"#, &stringified[1..])
        };
        assert_eq!(a.header_json(), expected, "kid {kid:?}");
    }
}

#[test]
fn claims_follow_the_authority_host_and_lifetime() {
    let base = fixed_assertion(Algorithm::Rs256);
    let cases: [(Assertion<'_>, &str, i64); 4] = [
        (base, "https://login.microsoftonline.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/oauth2/v2.0/token", NOW + 600),
        (Assertion { authority_host: "http://127.0.0.1:8080/", lifetime: 60, ..base }, "http://127.0.0.1:8080/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/oauth2/v2.0/token", NOW + 60),
        (Assertion { authority_host: "login.microsoftonline.us", lifetime: 3600, ..base }, "https://login.microsoftonline.us/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/oauth2/v2.0/token", NOW + 3600),
        (Assertion { tenant_id: "contoso.onmicrosoft.com", ..base }, "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", NOW + 600),
    ];
    for (a, aud, exp) in cases {
        let claims: serde_json::Value = serde_json::from_str(&a.claims_json().unwrap()).unwrap();
        assert_eq!(claims["aud"], aud);
        assert_eq!(claims["exp"], exp);
        assert_eq!(claims["iat"], NOW);
        assert_eq!(claims["nbf"], NOW);
        assert_eq!(claims["iss"], CLIENT_ID);
        assert_eq!(claims["sub"], CLIENT_ID);
    }
}

#[test]
fn bad_assertion_inputs_are_refused() {
    let base = fixed_assertion(Algorithm::Rs256);
    let cases: [(&str, Assertion<'_>, &str); 13] = [
        (
            "empty client id",
            Assertion {
                client_id: "",
                ..base
            },
            "client id is missing",
        ),
        (
            "client id with space",
            Assertion {
                client_id: "a b",
                ..base
            },
            "client id must not",
        ),
        (
            "empty tenant",
            Assertion {
                tenant_id: "",
                ..base
            },
            "tenant id is missing",
        ),
        (
            "tenant with slash",
            Assertion {
                tenant_id: "evil/../x",
                ..base
            },
            "tenant id is not valid",
        ),
        (
            "tenant ..",
            Assertion {
                tenant_id: "..",
                ..base
            },
            "tenant id is not valid",
        ),
        (
            "tenant with query",
            Assertion {
                tenant_id: "t?x=1",
                ..base
            },
            "tenant id is not valid",
        ),
        (
            "host with path",
            Assertion {
                authority_host: "login.microsoftonline.com/evil",
                ..base
            },
            "path",
        ),
        (
            "host with userinfo",
            Assertion {
                authority_host: "https://u:p@host",
                ..base
            },
            "user name",
        ),
        (
            "lifetime 59",
            Assertion {
                lifetime: 59,
                ..base
            },
            "between 60 and 3600",
        ),
        (
            "lifetime 3601",
            Assertion {
                lifetime: 3601,
                ..base
            },
            "between 60 and 3600",
        ),
        (
            "negative now",
            Assertion { now: -1, ..base },
            "Unix seconds",
        ),
        (
            "milliseconds",
            Assertion {
                now: NOW * 1000,
                ..base
            },
            "not milliseconds",
        ),
        ("empty jti", Assertion { jti: "", ..base }, "jti"),
    ];
    for (name, a, expected) in cases {
        let err = a.claims_json().expect_err(name);
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name}");
        assert!(err.message().contains(expected), "{name}: {err}");
    }
}

#[test]
fn algorithm_names_parse() {
    assert_eq!(Algorithm::parse("RS256").unwrap(), Algorithm::Rs256);
    assert_eq!(Algorithm::parse("PS256").unwrap(), Algorithm::Ps256);
    for bad in ["rs256", "HS256", "none", "", "ES256"] {
        assert_eq!(
            Algorithm::parse(bad).unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "{bad}"
        );
    }
    assert_eq!(Algorithm::Rs256.name(), "RS256");
    assert_eq!(Algorithm::Ps256.name(), "PS256");
}

// ---- signing ----

#[test]
fn rs256_signature_equals_openssl_dgst_sign() {
    let mut rng = TestRng(1);
    let jws = assertion::sign(
        &key(),
        RS256_HEADER,
        RS256_CLAIMS,
        Algorithm::Rs256,
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        jws,
        format!("{}.{}", RS256_SIGNING_INPUT.trim(), RS256_SIGNATURE.trim())
    );
    // Blinding uses the random source but does not change an RS256 signature.
    let pkcs1 = PrivateKey::from_pem(KEY_PKCS1).unwrap();
    let again = assertion::sign(
        &pkcs1,
        RS256_HEADER,
        RS256_CLAIMS,
        Algorithm::Rs256,
        &mut TestRng(99),
    )
    .unwrap();
    assert_eq!(again, jws);
}

#[test]
fn create_returns_the_fixture_token_and_claims() {
    let (jws, claims) =
        assertion::create(&key(), &fixed_assertion(Algorithm::Rs256), &mut TestRng(7)).unwrap();
    assert_eq!(
        jws,
        format!("{}.{}", RS256_SIGNING_INPUT.trim(), RS256_SIGNATURE.trim())
    );
    assert_eq!(claims, RS256_CLAIMS);
}

#[test]
fn ps256_signature_verifies_with_rsa() {
    let (jws, claims) =
        assertion::create(&key(), &fixed_assertion(Algorithm::Ps256), &mut TestRng(3)).unwrap();
    let parts: Vec<&str> = jws.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = String::from_utf8(b64url_decode(parts[0])).unwrap();
    assert_eq!(header, fixed_assertion(Algorithm::Ps256).header_json());
    assert_eq!(String::from_utf8(b64url_decode(parts[1])).unwrap(), claims);
    let signature = b64url_decode(parts[2]);
    assert_eq!(signature.len(), 256);
    let hashed = Sha256::digest(format!("{}.{}", parts[0], parts[1]).as_bytes());
    // Verified against a public key read independently of the crate.
    let public = RsaPrivateKey::from_pkcs8_pem(KEY_PKCS8)
        .unwrap()
        .to_public_key();
    public
        .verify(Pss::new_with_salt::<Sha256>(32), &hashed, &signature)
        .expect("PS256 verifies");
    assert_eq!(key().public_key(), public);
    let other = RsaPrivateKey::from_pkcs8_pem(OTHER_KEY)
        .unwrap()
        .to_public_key();
    assert!(
        other
            .verify(Pss::new::<Sha256>(), &hashed, &signature)
            .is_err(),
        "does not verify with another key"
    );
    // PSS is randomised: another random source gives another valid signature.
    let (jws2, _) =
        assertion::create(&key(), &fixed_assertion(Algorithm::Ps256), &mut TestRng(4)).unwrap();
    assert_ne!(jws2, jws);
    assert_eq!(public.n().bits(), 2048);
}

#[test]
fn sign_with_a_parsed_key_is_fast_enough_for_every_message() {
    // With the CRT values precomputed, a 2048-bit signature takes milliseconds; 20 in a row
    // must stay well below a second even in an unoptimised test build.
    let key = key();
    let mut rng = TestRng(5);
    let start = std::time::Instant::now();
    for _ in 0..20 {
        assertion::sign(&key, RS256_HEADER, RS256_CLAIMS, Algorithm::Rs256, &mut rng).unwrap();
    }
    assert!(
        start.elapsed().as_secs() < 20,
        "signing took {:?}",
        start.elapsed()
    );
}

// ---- uuid ----

#[test]
fn uuid_v4_sets_version_and_variant() {
    let cases: [([u8; 16], &str); 3] = [
        ([0; 16], "00000000-0000-4000-8000-000000000000"),
        ([0xff; 16], "ffffffff-ffff-4fff-bfff-ffffffffffff"),
        (
            [
                0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x06, 0x9f, 0x21, 0x65, 0x70, 0x86, 0x77, 0x28,
                0x95, 0x0e,
            ],
            "0f8fad5b-d9cb-469f-a165-70867728950e",
        ),
    ];
    for (random, expected) in cases {
        assert_eq!(assertion::uuid_v4(random), expected);
    }
}
