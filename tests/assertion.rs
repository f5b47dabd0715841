//! Tests of the client assertion: key reading, thumbprints, header and claims JSON, signing.
//!
//! The fixtures in `fixtures/keys/` were made with openssl; `fixtures/keys/README.md` lists the
//! commands, including the ones that computed the expected thumbprints and RS256 signature.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use reference_rsa::pkcs8::DecodePrivateKey;
use reference_rsa::traits::{PrivateKeyParts, PublicKeyParts};
use reference_rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey};
use reference_sha2::{Digest, Sha256};
use rsa::rand_core::{TryCryptoRng, TryRng};
use sentinel_elastic_wasm::assertion::{self, Algorithm, Assertion, PrivateKey, Thumbprints};
use sentinel_elastic_wasm::ErrorKind;
use std::convert::Infallible;

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
const KEY_3072: &str = include_str!("fixtures/keys/key-3072.pem");
const KEY_4096: &str = include_str!("fixtures/keys/key-4096.pem");
const KEY_2049_E3: &str = include_str!("fixtures/keys/key-2049-e3.pem");
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

impl TestRng {
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
}

impl TryRng for TestRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next_u32())
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_u64())
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl TryCryptoRng for TestRng {}

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

/// The DER body of a one-block PEM text.
fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    STANDARD.decode(body).expect("PEM body is base64")
}

/// Wraps DER as PEM under `label`, 64 base64 characters a line.
fn to_pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// An RSA key read by the reference implementation's own PKCS#8 reader (rsa 0.9), independently of
/// this crate.
fn reference_key(pem: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_der(&pem_der(pem)).expect("rsa reads the fixture")
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
    assert_eq!(PrivateKey::from_pem(&unpadded).ok(), Some(reference.clone()), "without padding");
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
    let body_lines: Vec<&str> = KEY_PKCS8.lines().filter(|l| !l.starts_with("-----")).collect();
    let truncated_end = KEY_PKCS8.lines().take(10).collect::<Vec<_>>().join("\n");
    let truncated_body = {
        let lines: Vec<&str> = KEY_PKCS8.lines().collect();
        format!("{}\n{}\n{}\n", lines[0], lines[1..10].join("\n"), lines[lines.len() - 1])
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
        (
            "OpenSSH",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n".into(),
            "ssh-keygen",
        ),
    ];
    // Pieces of key material that must never appear in a message.
    let secrets: Vec<&str> = body_lines.iter().map(|l| &l[..20.min(l.len())]).collect();
    for (name, pem, expected) in cases {
        let err = PrivateKey::from_pem(&pem).expect_err(name);
        assert_eq!(err.kind(), ErrorKind::InvalidKey, "{name}: {err}");
        assert!(err.message().contains(expected), "{name}: {err}");
        for secret in &secrets {
            assert!(!err.message().contains(secret), "{name}: message leaks key material");
        }
        assert!(!err.message().contains("MII"), "{name}: message leaks base64");
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
    let body: String = KEY_PKCS1.lines().filter(|l| !l.starts_with("-----")).collect();
    for end in (0..body.len()).step_by(7) {
        let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n", &body[..end]);
        assert!(PrivateKey::from_pem(&pem).is_err(), "prefix of {end} characters");
        let pem8 = pem.replace("RSA PRIVATE KEY", "PRIVATE KEY");
        assert!(PrivateKey::from_pem(&pem8).is_err(), "PKCS#8 label, prefix of {end} characters");
    }
}

// ---- the DER reader, through from_pem ----

/// A DER value: `tag`, the length in the shortest form, `content`.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A non-negative DER INTEGER from big-endian magnitude bytes.
fn uint(magnitude: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = magnitude.iter().copied().skip_while(|&b| b == 0).collect();
    let mut content = Vec::new();
    if trimmed.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(&trimmed);
    tlv(0x02, &content)
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const NULL: &[u8] = &[0x05, 0x00];

/// The eight numbers of the fixture key, big-endian, in PKCS#1 order: n, e, d, p, q, d mod (p-1),
/// d mod (q-1), q^-1 mod p, as the rsa crate reads them.
fn key_numbers() -> [Vec<u8>; 8] {
    let k = reference_key(KEY_PKCS8);
    let [p, q] = k.primes() else { panic!("two primes") };
    [
        k.n().clone(),
        k.e().clone(),
        k.d().clone(),
        p.clone(),
        q.clone(),
        k.dp().unwrap().clone(),
        k.dq().unwrap().clone(),
        k.crt_coefficient().unwrap(),
    ]
    .map(|n| n.to_bytes_be())
}

/// The nine PKCS#1 integers of the fixture key (version first), each a DER INTEGER.
fn pkcs1_integers() -> Vec<Vec<u8>> {
    let mut out = vec![uint(&[0])];
    out.extend(key_numbers().iter().map(|n| uint(n)));
    out
}

/// PKCS#8 `PrivateKeyInfo` around `pkcs1` with the given version and algorithm.
fn pkcs8(version: u8, algorithm: &[Vec<u8>], pkcs1: &[u8], extra: &[Vec<u8>]) -> Vec<u8> {
    let mut parts = vec![uint(&[version]), seq(algorithm), tlv(0x04, pkcs1)];
    parts.extend_from_slice(extra);
    seq(&parts)
}

fn rsa_algorithm() -> Vec<Vec<u8>> {
    vec![tlv(0x06, RSA_ENCRYPTION), NULL.to_vec()]
}

#[test]
fn the_der_written_here_is_the_fixture_der() {
    // Cross-checks the test's DER writer (and so the cases below) against openssl's output.
    let pkcs1 = seq(&pkcs1_integers());
    assert_eq!(pkcs1, pem_der(KEY_PKCS1));
    assert_eq!(pkcs8(0, &rsa_algorithm(), &pkcs1, &[]), pem_der(KEY_PKCS8));
    for label in ["RSA PRIVATE KEY", "PRIVATE KEY"] {
        assert_eq!(PrivateKey::from_pem(&to_pem(label, &pkcs1)).unwrap(), key());
    }
}

#[test]
fn every_prefix_and_extension_of_the_der_is_refused() {
    let pkcs1 = pem_der(KEY_PKCS1);
    let pkcs8 = pem_der(KEY_PKCS8);
    for der in [&pkcs1, &pkcs8] {
        for end in 0..der.len() {
            for label in ["RSA PRIVATE KEY", "PRIVATE KEY"] {
                let err = PrivateKey::from_pem(&to_pem(label, &der[..end])).expect_err(&format!("prefix of {end} bytes"));
                assert_eq!(err.kind(), ErrorKind::InvalidKey);
            }
        }
        for extra in [&[0u8][..], &[0x05, 0x00], &[0x30, 0x00]] {
            let longer = [der.as_slice(), extra].concat();
            let err = PrivateKey::from_pem(&to_pem("PRIVATE KEY", &longer)).unwrap_err();
            assert!(err.message().contains("damaged or truncated"), "{err}");
        }
    }
}

#[test]
fn random_and_mangled_der_is_refused_without_panicking() {
    let mut rng = TestRng(11);
    let pkcs1 = pem_der(KEY_PKCS1);
    // Random bytes, some behind a plausible SEQUENCE header.
    for i in 0..3000 {
        let len = (rng.next_u32() % 300) as usize;
        let mut bytes = vec![0u8; len];
        rng.fill_bytes(&mut bytes);
        if i % 2 == 0 && len > 2 {
            bytes[0] = 0x30;
            bytes[1] = if i % 4 == 0 { (len - 2).min(127) as u8 } else { bytes[1] | 0x80 };
        }
        assert!(PrivateKey::from_pem(&to_pem("PRIVATE KEY", &bytes)).is_err());
    }
    // Each byte of the headers at the start changed in every bit: an error or the same key.
    for at in 0..24 {
        for bit in 0..8 {
            let mut bytes = pkcs1.clone();
            bytes[at] ^= 1 << bit;
            if let Ok(parsed) = PrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &bytes)) {
                assert_eq!(parsed, key(), "byte {at} bit {bit}");
            }
        }
    }
    // A changed modulus, exponent or prime byte makes the key inconsistent.
    for at in [40, 200, 270, 300, 600, 700] {
        let mut bytes = pkcs1.clone();
        bytes[at] ^= 0x10;
        let err = PrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &bytes)).unwrap_err();
        assert!(err.message().contains("damaged or truncated"), "byte {at}: {err}");
    }
}

#[test]
fn odd_der_is_refused() {
    let ints = pkcs1_integers();
    let pkcs1 = seq(&ints);
    let body = &pkcs1[4..]; // after 30 82 xx xx
    assert_eq!(&pkcs1[..2], &[0x30, 0x82]);
    let with = |index: usize, replacement: Vec<u8>| {
        let mut parts = ints.clone();
        parts[index] = replacement;
        seq(&parts)
    };
    let n = &ints[1];
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("indefinite length", [&[0x30, 0x80][..], body, &[0, 0]].concat()),
        ("length in 3 bytes, leading zero", [&[0x30, 0x83, 0x00][..], &pkcs1[2..]].concat()),
        ("long form for a short length", [vec![0x30, 0x81, 0x03], uint(&[0]), vec![]].concat()),
        ("length of 5 bytes", [&[0x30, 0x85, 0, 0, 0, 4, 0xa8][..], body].concat()),
        ("length past the end", [&[0x30, 0x82, 0xff, 0xff][..], body].concat()),
        ("inner length past the end of the sequence", seq(&[uint(&[0]), vec![0x02, 0x05, 1]])),
        ("high tag number", [&[0x3f, 0x01][..], &pkcs1[1..]].concat()),
        ("SET instead of SEQUENCE", [&[0x31][..], &pkcs1[1..]].concat()),
        ("OCTET STRING instead of an INTEGER", with(2, tlv(0x04, &[1, 0, 1]))),
        ("negative modulus", with(1, tlv(0x02, &[&[0x80][..], &n[5..]].concat()))),
        ("modulus with a needless leading zero", with(1, tlv(0x02, &[&[0, 0][..], &n[5..]].concat()))),
        ("empty INTEGER", with(2, vec![0x02, 0x00])),
        ("version 1 (multi-prime)", with(0, uint(&[1]))),
        ("version 2", with(0, uint(&[2]))),
        ("huge version", with(0, uint(&[1, 0, 0, 0, 0]))),
        ("negative version", with(0, vec![0x02, 0x01, 0xff])),
        ("missing coefficient", seq(&ints[..8])),
        ("tenth integer", seq(&[ints.clone(), vec![uint(&[1])]].concat())),
        ("zero modulus", with(1, uint(&[0]))),
        ("even exponent", with(2, uint(&[1, 0, 0]))),
        ("PKCS#8 version 2 without public key", pkcs8(1, &rsa_algorithm(), &pkcs1, &[])),
        ("PKCS#8 version 3", pkcs8(2, &rsa_algorithm(), &pkcs1, &[])),
        ("PKCS#8 public key in version 1", pkcs8(0, &rsa_algorithm(), &pkcs1, &[tlv(0x81, &[0])])),
        ("PKCS#8 universal element after the key", pkcs8(0, &rsa_algorithm(), &pkcs1, &[uint(&[0])])),
        ("PKCS#8 without NULL parameters", pkcs8(0, &[tlv(0x06, RSA_ENCRYPTION)], &pkcs1, &[])),
        ("PKCS#8 with two parameters", pkcs8(0, &[rsa_algorithm(), vec![NULL.to_vec()]].concat(), &pkcs1, &[])),
        ("PKCS#8 holding garbage", pkcs8(0, &rsa_algorithm(), b"garbage", &[])),
        ("PKCS#8 holding a key with trailing bytes", pkcs8(0, &rsa_algorithm(), &[pkcs1.clone(), vec![0]].concat(), &[])),
        ("PKCS#8 holding PKCS#8", pkcs8(0, &rsa_algorithm(), &pkcs8(0, &rsa_algorithm(), &pkcs1, &[]), &[])),
        ("PKCS#8 without key", seq(&[uint(&[0]), seq(&rsa_algorithm())])),
    ];
    for (name, der) in cases {
        for label in ["RSA PRIVATE KEY", "PRIVATE KEY"] {
            let err = PrivateKey::from_pem(&to_pem(label, &der)).expect_err(name);
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{name}");
            assert!(err.message().contains("damaged or truncated"), "{name}: {err}");
        }
    }
}

#[test]
fn keys_over_16384_bits_are_refused_before_any_arithmetic() {
    let mut fields = pkcs1_integers();
    for (bytes, refused) in [(2048, false), (2049, true)] {
        // A modulus of `bytes` bytes, all ones: only its size is looked at.
        fields[1] = uint(&vec![0xff; bytes]);
        let err = PrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &seq(&fields))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert_eq!(err.message().contains("larger than 16384 bits"), refused, "{bytes} bytes: {err}");
    }
}

#[test]
fn pkcs8_attributes_and_version_2_public_keys_are_read() {
    let pkcs1 = seq(&pkcs1_integers());
    let attributes = tlv(0xa0, &seq(&[tlv(0x06, &[0x2a, 0x03]), tlv(0x31, &[])]));
    let public_key = tlv(0x81, &[0, 1, 2, 3]);
    for der in [
        pkcs8(0, &rsa_algorithm(), &pkcs1, std::slice::from_ref(&attributes)),
        pkcs8(1, &rsa_algorithm(), &pkcs1, std::slice::from_ref(&public_key)),
        pkcs8(1, &rsa_algorithm(), &pkcs1, &[attributes, public_key]),
    ] {
        assert_eq!(PrivateKey::from_pem(&to_pem("PRIVATE KEY", &der)).unwrap(), key());
    }
}

#[test]
fn other_key_types_are_named_whatever_the_label() {
    let pkcs1 = seq(&pkcs1_integers());
    let with_oid = |oid: &[u8], params: Option<Vec<u8>>| {
        let mut algorithm = vec![tlv(0x06, oid)];
        algorithm.extend(params);
        pkcs8(0, &algorithm, &pkcs1, &[])
    };
    let p256 = tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("EC", with_oid(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], Some(p256)), "not an RSA key (EC)"),
        ("Ed25519", with_oid(&[0x2b, 0x65, 0x70], None), "not an RSA key (EdDSA/X25519)"),
        ("X448", with_oid(&[0x2b, 0x65, 0x6f], None), "not an RSA key (EdDSA/X25519)"),
        ("DSA", with_oid(&[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01], None), "not an RSA key (DSA)"),
        ("unknown", with_oid(&[0x2a, 0x03], None), "not an RSA key (non-RSA)"),
        ("RSA-PSS", with_oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a], None), "RSA-PSS"),
        ("Ed25519 fixture", pem_der(ED25519_KEY), "not an RSA key (EdDSA/X25519)"),
        ("EC fixture", pem_der(EC_KEY_PKCS8), "not an RSA key (EC)"),
        ("SEC1 EC fixture", pem_der(EC_KEY_SEC1), "not an RSA key (EC)"),
        ("encrypted PKCS#8 fixture", pem_der(ENCRYPTED_PKCS8), "openssl pkcs8 -topk8 -nocrypt"),
    ];
    for (name, der, expected) in cases {
        for label in ["PRIVATE KEY", "RSA PRIVATE KEY"] {
            let err = PrivateKey::from_pem(&to_pem(label, &der)).expect_err(name);
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{name}");
            assert!(err.message().contains(expected), "{name} under {label}: {err}");
        }
    }
}

// ---- thumbprints ----

#[test]
fn thumbprints_equal_the_openssl_pipeline() {
    let expected = Thumbprints { x5t: X5T.trim().into(), x5t_s256: X5T_S256.trim().into() };
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
        assert_eq!(assertion::thumbprints(pem).unwrap_or_else(|e| panic!("{name}: {e}")), expected, "{name}");
    }
    assert_eq!(expected.x5t.len(), 27);
    assert_eq!(expected.x5t_s256.len(), 43);
}

#[test]
fn bad_certificates_give_invalid_certificate_errors() {
    let truncated = {
        let lines: Vec<&str> = CERT.lines().collect();
        format!("{}\n{}\n{}\n", lines[0], lines[1..5].join("\n"), lines[lines.len() - 1])
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
        (both, format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{x5t}","x5t":"{x5t}"}}"#)),
        (Assertion { algorithm: Algorithm::Ps256, ..both }, format!(r#"{{"alg":"PS256","typ":"JWT","kid":"{x5t}","x5t#S256":"{s256}"}}"#)),
        (Assertion { kid: None, ..both }, format!(r#"{{"alg":"RS256","typ":"JWT","x5t":"{x5t}"}}"#)),
        (Assertion { kid: Some(""), x5t: None, ..both }, r#"{"alg":"RS256","typ":"JWT"}"#.to_string()),
        (Assertion { x5t: Some(""), ..both }, format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{x5t}"}}"#)),
        (Assertion { algorithm: Algorithm::Ps256, x5t_s256: None, ..both }, format!(r#"{{"alg":"PS256","typ":"JWT","kid":"{x5t}"}}"#)),
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
        let a = Assertion { kid: Some(&kid), x5t: None, ..fixed_assertion(Algorithm::Rs256) };
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
        (
            Assertion { authority_host: "http://127.0.0.1:8080/", lifetime: 60, ..base },
            "http://127.0.0.1:8080/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/oauth2/v2.0/token",
            NOW + 60,
        ),
        (
            Assertion { authority_host: "login.microsoftonline.us", lifetime: 3600, ..base },
            "https://login.microsoftonline.us/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/oauth2/v2.0/token",
            NOW + 3600,
        ),
        (
            Assertion { tenant_id: "contoso.onmicrosoft.com", ..base },
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
            NOW + 600,
        ),
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
        ("empty client id", Assertion { client_id: "", ..base }, "client id is missing"),
        ("client id with space", Assertion { client_id: "a b", ..base }, "client id must not"),
        ("empty tenant", Assertion { tenant_id: "", ..base }, "tenant id is missing"),
        ("tenant with slash", Assertion { tenant_id: "evil/../x", ..base }, "tenant id is not valid"),
        ("tenant ..", Assertion { tenant_id: "..", ..base }, "tenant id is not valid"),
        ("tenant with query", Assertion { tenant_id: "t?x=1", ..base }, "tenant id is not valid"),
        ("host with path", Assertion { authority_host: "login.microsoftonline.com/evil", ..base }, "path"),
        ("host with userinfo", Assertion { authority_host: "https://u:p@host", ..base }, "user name"),
        ("lifetime 59", Assertion { lifetime: 59, ..base }, "between 60 and 3600"),
        ("lifetime 3601", Assertion { lifetime: 3601, ..base }, "between 60 and 3600"),
        ("negative now", Assertion { now: -1, ..base }, "Unix seconds"),
        ("milliseconds", Assertion { now: NOW * 1000, ..base }, "not milliseconds"),
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
        assert_eq!(Algorithm::parse(bad).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad}");
    }
    assert_eq!(Algorithm::Rs256.name(), "RS256");
    assert_eq!(Algorithm::Ps256.name(), "PS256");
}

// ---- signing ----

#[test]
fn rs256_signature_equals_openssl_dgst_sign() {
    let mut rng = TestRng(1);
    let jws = assertion::sign(&key(), RS256_HEADER, RS256_CLAIMS, Algorithm::Rs256, &mut rng).unwrap();
    assert_eq!(jws, format!("{}.{}", RS256_SIGNING_INPUT.trim(), RS256_SIGNATURE.trim()));
    // Blinding uses the random source but does not change an RS256 signature.
    let pkcs1 = PrivateKey::from_pem(KEY_PKCS1).unwrap();
    let again = assertion::sign(&pkcs1, RS256_HEADER, RS256_CLAIMS, Algorithm::Rs256, &mut TestRng(99)).unwrap();
    assert_eq!(again, jws);
}

/// A random source that always fails, as the platform's does where there is none.
struct NoRandom;

impl TryRng for NoRandom {
    type Error = std::fmt::Error;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Err(std::fmt::Error)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Err(std::fmt::Error)
    }
    fn try_fill_bytes(&mut self, _dest: &mut [u8]) -> Result<(), Self::Error> {
        Err(std::fmt::Error)
    }
}

impl TryCryptoRng for NoRandom {}

#[test]
fn both_algorithms_need_the_random_source() {
    // RS256 draws on it to blind the private-key operation, PS256 also for the salt: without it
    // neither signs, and the error says why.
    for algorithm in [Algorithm::Rs256, Algorithm::Ps256] {
        let err = assertion::sign(&key(), RS256_HEADER, RS256_CLAIMS, algorithm, &mut NoRandom).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Signing, "{algorithm:?}");
        assert!(err.message().contains("No cryptographic random source"), "{algorithm:?}: {err}");
    }
}

#[test]
fn create_returns_the_fixture_token_and_claims() {
    let (jws, claims) = assertion::create(&key(), &fixed_assertion(Algorithm::Rs256), &mut TestRng(7)).unwrap();
    assert_eq!(jws, format!("{}.{}", RS256_SIGNING_INPUT.trim(), RS256_SIGNATURE.trim()));
    assert_eq!(claims, RS256_CLAIMS);
}

#[test]
fn ps256_signature_verifies_with_rsa() {
    let (jws, claims) = assertion::create(&key(), &fixed_assertion(Algorithm::Ps256), &mut TestRng(3)).unwrap();
    let parts: Vec<&str> = jws.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = String::from_utf8(b64url_decode(parts[0])).unwrap();
    assert_eq!(header, fixed_assertion(Algorithm::Ps256).header_json());
    assert_eq!(String::from_utf8(b64url_decode(parts[1])).unwrap(), claims);
    let signature = b64url_decode(parts[2]);
    assert_eq!(signature.len(), 256);
    let hashed = Sha256::digest(format!("{}.{}", parts[0], parts[1]).as_bytes());
    // Verified against a public key read independently of the crate.
    let public = reference_key(KEY_PKCS8).to_public_key();
    public.verify(Pss::new_with_salt::<Sha256>(32), &hashed, &signature).expect("PS256 verifies");
    assert_eq!(key().modulus(), public.n().to_bytes_be());
    assert_eq!(key().public_exponent(), public.e().to_bytes_be());
    let other = reference_key(OTHER_KEY).to_public_key();
    assert!(other.verify(Pss::new::<Sha256>(), &hashed, &signature).is_err(), "does not verify with another key");
    // PSS is randomised: another random source gives another valid signature.
    let (jws2, _) = assertion::create(&key(), &fixed_assertion(Algorithm::Ps256), &mut TestRng(4)).unwrap();
    assert_ne!(jws2, jws);
    assert_eq!(public.n().bits(), 2048);
}

#[test]
fn signatures_of_every_key_size_verify_with_the_rsa_crate() {
    // 2048, 3072 and 4096 bits, and 2049 bits with e = 3, whose primes differ in length (33 and
    // 32 limbs): RS256 equals the rsa crate's deterministic signature, PS256 verifies with it.
    let mut rng = TestRng(5);
    for pem in [KEY_PKCS8, OTHER_KEY, KEY_3072, KEY_4096, KEY_2049_E3] {
        let key = PrivateKey::from_pem(pem).unwrap();
        let reference = reference_key(pem);
        let public = reference.to_public_key();
        assert_eq!(key.bits(), public.n().bits());
        assert_eq!(key.modulus(), public.n().to_bytes_be());
        for round in 0..12 {
            let claims = format!("{{\"round\":{round},\"bits\":{}}}", key.bits());
            for algorithm in [Algorithm::Rs256, Algorithm::Ps256] {
                let jws = assertion::sign(&key, RS256_HEADER, &claims, algorithm, &mut rng).unwrap();
                let parts: Vec<&str> = jws.split('.').collect();
                let hashed = Sha256::digest(format!("{}.{}", parts[0], parts[1]).as_bytes());
                let signature = b64url_decode(parts[2]);
                assert_eq!(signature.len(), public.size());
                match algorithm {
                    Algorithm::Rs256 => assert_eq!(
                        signature,
                        reference.sign(Pkcs1v15Sign::new::<Sha256>(), &hashed).unwrap(),
                        "RS256, {} bits, round {round}",
                        key.bits()
                    ),
                    Algorithm::Ps256 => public
                        .verify(Pss::new_with_salt::<Sha256>(32), &hashed, &signature)
                        .unwrap_or_else(|e| panic!("PS256, {} bits, round {round}: {e}", key.bits())),
                }
            }
        }
    }
}

#[test]
fn keys_whose_numbers_disagree_are_refused() {
    // Each of n, e, d, p, q and the CRT values changed in turn: the numbers no longer agree, so
    // the key is refused when read rather than signing badly.
    let numbers = key_numbers();
    for field in 0..numbers.len() {
        for change in [1u8, 2, 0x80] {
            let mut changed = numbers.clone();
            let last = changed[field].len() - 1;
            changed[field][last] ^= change;
            let mut fields = vec![uint(&[0])];
            fields.extend(changed.iter().map(|n| uint(n)));
            let pem = to_pem("RSA PRIVATE KEY", &seq(&fields));
            let error = PrivateKey::from_pem(&pem).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "field {field}, change {change}");
        }
    }
    // Unchanged, the same writer gives a key that signs.
    assert!(PrivateKey::from_pem(&to_pem("RSA PRIVATE KEY", &seq(&pkcs1_integers()))).is_ok());
}

// ---- uuid ----

#[test]
fn uuid_v4_sets_version_and_variant() {
    let cases: [([u8; 16], &str); 3] = [
        ([0; 16], "00000000-0000-4000-8000-000000000000"),
        ([0xff; 16], "ffffffff-ffff-4fff-bfff-ffffffffffff"),
        (
            [0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x06, 0x9f, 0x21, 0x65, 0x70, 0x86, 0x77, 0x28, 0x95, 0x0e],
            "0f8fad5b-d9cb-469f-a165-70867728950e",
        ),
    ];
    for (random, expected) in cases {
        assert_eq!(assertion::uuid_v4(random), expected);
    }
}
