//! The Entra ID client assertion: a JWT signed with the private key of the certificate that is
//! registered on the app, sent instead of a client secret in the client-credentials grant.
//!
//! This replaces the original flow's "create a JWT token" function and the third-party
//! "jwt sign" node. [`PrivateKey::from_pem`] reads the key once, [`thumbprints`] computes the
//! `x5t` / `x5t#S256` header values from the certificate, [`Assertion`] writes the header and
//! claims JSON, and [`sign`] (or [`create`] for all steps at once) produces the compact JWS.
//!
//! The current time and the `jti` are inputs, and signing takes the random source as an
//! argument, so every output can be reproduced in tests.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::der::{self, oid, Reader};
use crate::error::{Error, ErrorKind, Result};
use crate::json::string::write_escaped;
use crate::request;
use crate::rsa::{self, Components, KeyProblem, RsaKey};

/// The shortest lifetime, in seconds, an assertion may be given.
pub const MIN_LIFETIME: u64 = 60;
/// The longest lifetime, in seconds, an assertion may be given.
pub const MAX_LIFETIME: u64 = 3600;
/// The lifetime, in seconds, used when none is configured (ten minutes).
pub const DEFAULT_LIFETIME: u64 = 600;
/// The latest accepted `now`: 9999-12-31T23:59:59Z in Unix seconds.
const MAX_NOW: i64 = 253_402_300_799;
/// The smallest RSA key Entra ID accepts for certificate credentials.
const MIN_KEY_BITS: usize = 2048;

/// A JWS signature algorithm the assertion can be signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256; the header carries `x5t` (SHA-1 thumbprint).
    Rs256,
    /// RSASSA-PSS with SHA-256 and a 32-byte salt; the header carries `x5t#S256`.
    Ps256,
}

impl Algorithm {
    /// Reads an algorithm name: `RS256` or `PS256` (upper case, as in a JWS header).
    pub fn parse(name: &str) -> Result<Algorithm> {
        match name {
            "RS256" => Ok(Algorithm::Rs256),
            "PS256" => Ok(Algorithm::Ps256),
            _ => Err(Error::new(ErrorKind::InvalidInput, "Unsupported signing algorithm: use \"RS256\" (the default) or \"PS256\".")),
        }
    }

    /// Returns the name used in the JWS `alg` header: `RS256` or `PS256`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
        }
    }
}

/// A source of cryptographically secure random bytes (the platform's, outside tests).
pub trait RandomSource {
    /// Fills `dest` with random bytes.
    fn fill(&mut self, dest: &mut [u8]);
}

/// An RSA private key read from PEM, with its numbers checked and its Montgomery constants
/// computed once, so that signing is fast.
///
/// Its `Debug` form shows only the key size, never key material.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    inner: RsaKey,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey").field("bits", &self.bits()).finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Reads an unencrypted RSA private key from PEM text.
    ///
    /// Accepts PKCS#8 (`-----BEGIN PRIVATE KEY-----`) and PKCS#1
    /// (`-----BEGIN RSA PRIVATE KEY-----`), with LF or CRLF line ends, surrounding whitespace,
    /// the one-line form in which line breaks are the two characters `\n` (as made by
    /// `awk 'NF {sub(/\r/, ""); printf "%s\\n",$0}' key.pem`), and a key pasted into a
    /// single-line field that dropped its line breaks. Other PEM blocks around the key (a
    /// certificate in the same file, say) are skipped.
    ///
    /// Encrypted keys, non-RSA keys and keys shorter than 2048 bits are refused with an
    /// [`ErrorKind::InvalidKey`] error that says how to fix the key; the message never
    /// contains key material.
    pub fn from_pem(pem: &str) -> Result<PrivateKey> {
        let text = normalize_pem(pem);
        let blocks = pem_blocks(&text, "private key")?;
        let block = match blocks.iter().find(|b| b.label.ends_with("PRIVATE KEY")) {
            Some(block) => block,
            None => return Err(no_private_key_error(&blocks)),
        };
        let der = match block.label {
            "PRIVATE KEY" | "RSA PRIVATE KEY" => decode_body(block, "private key")?,
            "ENCRYPTED PRIVATE KEY" => return Err(encrypted_key_error()),
            "EC PRIVATE KEY" => return Err(not_rsa_error("EC")),
            "DSA PRIVATE KEY" => return Err(not_rsa_error("DSA")),
            "OPENSSH PRIVATE KEY" => {
                return Err(key_error(
                    "The private key is in OpenSSH format: convert a copy to PKCS#8 with \
                     `ssh-keygen -p -N \"\" -m PKCS8 -f keyfile` (RSA keys only) and paste that.",
                ))
            }
            _ => {
                return Err(key_error(
                    "The private key is in an unsupported PEM format: use an RSA key, \
                     -----BEGIN PRIVATE KEY----- (PKCS#8) or -----BEGIN RSA PRIVATE KEY----- (PKCS#1).",
                ))
            }
        };
        // A body that does not match its label (PKCS#1 under "PRIVATE KEY" or the reverse, as
        // some tools write) is still read.
        let inner = rsa_from_der(&der)?;
        let bits = inner.bits();
        if bits < MIN_KEY_BITS {
            return Err(key_error(format!("The RSA private key has {bits} bits; Entra ID requires at least 2048: {NEW_KEY}")));
        }
        Ok(PrivateKey { inner })
    }

    /// Returns the size of the key's modulus in bits (2048, 3072 or 4096 in practice).
    pub fn bits(&self) -> usize {
        self.inner.bits()
    }

    /// Returns the public modulus `n`, big-endian, to verify signatures with.
    pub fn modulus(&self) -> Vec<u8> {
        self.inner.modulus()
    }

    /// Returns the public exponent `e`, big-endian.
    pub fn public_exponent(&self) -> Vec<u8> {
        self.inner.public_exponent()
    }
}

/// Reads a private key from DER: PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo` holding
/// one, telling an encrypted PKCS#8 key or another key type apart from a damaged one.
fn rsa_from_der(der: &[u8]) -> Result<RsaKey> {
    let mut outer = Reader::new(der);
    let mut fields = outer.sequence().ok_or_else(malformed_key_error)?;
    if outer.finish().is_none() {
        return Err(malformed_key_error());
    }
    if fields.peek_tag() == Some(der::SEQUENCE) {
        // EncryptedPrivateKeyInfo: { AlgorithmIdentifier (PBES2 and others), OCTET STRING }.
        return match fields.sequence().and_then(|mut a| a.read(der::OID)) {
            Some(_) if fields.read(der::OCTET_STRING).is_some() => Err(encrypted_key_error()),
            _ => Err(malformed_key_error()),
        };
    }
    let version = fields.small_uint().ok_or_else(malformed_key_error)?;
    match fields.peek_tag() {
        // PKCS#1 RSAPrivateKey: version, then the integers.
        Some(der::INTEGER) if version == 0 => rsa_from_pkcs1_fields(fields),
        // PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING.
        Some(der::SEQUENCE) if version <= 1 => rsa_from_pkcs8_fields(fields, version),
        // SEC1 ECPrivateKey (an EC key under a PRIVATE KEY label): version 1, OCTET STRING.
        Some(der::OCTET_STRING) if version == 1 => Err(not_rsa_error("EC")),
        _ => Err(malformed_key_error()),
    }
}

/// Reads the fields of a PKCS#1 `RSAPrivateKey` after its version (two-prime keys only):
/// n, e, d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p.
fn rsa_from_pkcs1_fields(mut fields: Reader<'_>) -> Result<RsaKey> {
    let mut numbers = [&[][..]; 8];
    for number in &mut numbers {
        *number = fields.uint().ok_or_else(malformed_key_error)?;
    }
    fields.finish().ok_or_else(malformed_key_error)?;
    let [n, e, d, p, q, dp, dq, q_inv] = numbers;
    // RsaKey::new checks that the numbers agree and that the key signs.
    RsaKey::new(&Components { n, e, d, p, q, dp, dq, q_inv }).map_err(|problem| match problem {
        KeyProblem::TooLarge => key_error(format!("The RSA private key is larger than {} bits: {NEW_KEY}", rsa::MAX_BITS)),
        KeyProblem::Inconsistent => malformed_key_error(),
    })
}

/// Reads the fields of a PKCS#8 `PrivateKeyInfo` after its version, checking that the
/// algorithm is rsaEncryption (with NULL parameters) before reading the PKCS#1 key inside.
fn rsa_from_pkcs8_fields(mut fields: Reader<'_>, version: u32) -> Result<RsaKey> {
    let mut algorithm = fields.sequence().ok_or_else(malformed_key_error)?;
    let oid = algorithm.read(der::OID).ok_or_else(malformed_key_error)?;
    let key = fields.read(der::OCTET_STRING).ok_or_else(malformed_key_error)?;
    // Optional attributes [0] and, in version 2 (1) only, the public key [1].
    let mut has_public_key = false;
    while !fields.is_empty() {
        let (tag, _) = fields.any().ok_or_else(malformed_key_error)?;
        if tag & 0xc0 != 0x80 {
            return Err(malformed_key_error());
        }
        has_public_key |= tag & 0x1f == 1;
    }
    if has_public_key != (version == 1) {
        return Err(malformed_key_error());
    }
    match oid {
        oid::RSA_ENCRYPTION => {}
        oid::EC_PUBLIC_KEY => return Err(not_rsa_error("EC")),
        oid::ED25519 | oid::ED448 | oid::X25519 | oid::X448 => return Err(not_rsa_error("EdDSA/X25519")),
        oid::DSA => return Err(not_rsa_error("DSA")),
        oid::RSASSA_PSS => {
            return Err(key_error(
                "The private key is an RSA-PSS restricted key: convert a copy with \
                 `openssl rsa -in key.pem -traditional -out key-rsa.pem` (PS256 works with plain RSA keys).",
            ))
        }
        _ => return Err(not_rsa_error("non-RSA")),
    }
    // rsaEncryption takes NULL parameters.
    if algorithm.read(der::NULL) != Some(&[]) || algorithm.finish().is_none() {
        return Err(malformed_key_error());
    }
    let mut inner = Reader::new(key);
    let mut key_fields = inner.sequence().ok_or_else(malformed_key_error)?;
    inner.finish().ok_or_else(malformed_key_error)?;
    if key_fields.small_uint() != Some(0) {
        return Err(malformed_key_error());
    }
    rsa_from_pkcs1_fields(key_fields)
}

/// How to make a key Entra ID accepts, for the errors about the key's type and size.
const NEW_KEY: &str = "create an RSA certificate and key, e.g. `openssl req -x509 -newkey rsa:2048 -nodes \
    -keyout key.pem -out cert.pem -days 365 -subj /CN=node-red`, and upload the certificate to the app registration.";

fn key_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidKey, message)
}

fn malformed_key_error() -> Error {
    key_error(
        "The private key PEM is damaged or truncated: paste the whole key file again, from \
         -----BEGIN to -----END, unchanged.",
    )
}

fn encrypted_key_error() -> Error {
    key_error(
        "The private key is encrypted with a passphrase: write an unencrypted copy with \
         `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-nocrypt.pem` and paste that \
         (it stays in the node's credentials).",
    )
}

fn not_rsa_error(kind: &str) -> Error {
    key_error(format!("The private key is not an RSA key ({kind}); RS256 and PS256 need one: {NEW_KEY}"))
}

fn no_private_key_error(blocks: &[PemBlock<'_>]) -> Error {
    let has = |label: &str| blocks.iter().any(|b| b.label == label);
    if has("CERTIFICATE") {
        key_error(
            "A certificate was given where the private key is expected: paste the private key \
             (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----) that belongs to the certificate.",
        )
    } else if has("PUBLIC KEY") || has("RSA PUBLIC KEY") {
        key_error(
            "A public key was given where the private key is expected: paste the private key \
             (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).",
        )
    } else {
        key_error(
            "No private key found in the PEM text: expected -----BEGIN PRIVATE KEY----- (PKCS#8) or \
             -----BEGIN RSA PRIVATE KEY----- (PKCS#1).",
        )
    }
}

/// The base64url (no padding) SHA-1 and SHA-256 thumbprints of a certificate, the values of the
/// JWS headers `x5t` and `x5t#S256`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbprints {
    /// base64url of the SHA-1 digest of the certificate DER (the `x5t` header, and the `kid`
    /// the original article computes with openssl).
    pub x5t: String,
    /// base64url of the SHA-256 digest of the certificate DER (the `x5t#S256` header).
    pub x5t_s256: String,
}

/// Computes the `x5t` and `x5t#S256` thumbprints of the first certificate in `cert_pem`.
///
/// Equals `openssl x509 -outform der | openssl dgst -sha1 -binary | base64 | tr '+/' '-_' | tr -d '='`
/// (and the same with `-sha256`). Accepts the same text forms as [`PrivateKey::from_pem`],
/// including the one-line form with literal `\n`.
pub fn thumbprints(cert_pem: &str) -> Result<Thumbprints> {
    let text = normalize_pem(cert_pem);
    let blocks = pem_blocks(&text, "certificate")?;
    let block = match blocks.iter().find(|b| b.label == "CERTIFICATE") {
        Some(block) => block,
        None => {
            let message = if blocks.iter().any(|b| b.label.ends_with("PRIVATE KEY")) {
                "A private key was given where the certificate is expected: paste the certificate \
                 (-----BEGIN CERTIFICATE-----) that was uploaded to the app registration, not its key."
            } else {
                "No certificate found in the PEM text: paste the certificate that was uploaded to the \
                 app registration, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."
            };
            return Err(Error::new(ErrorKind::InvalidCertificate, message));
        }
    };
    let der = decode_body(block, "certificate")?;
    if !is_single_der_sequence(&der) {
        return Err(Error::new(
            ErrorKind::InvalidCertificate,
            "The certificate PEM is damaged or truncated: paste the whole certificate file again, \
             from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, unchanged.",
        ));
    }
    Ok(Thumbprints { x5t: URL_SAFE_NO_PAD.encode(Sha1::digest(&der)), x5t_s256: URL_SAFE_NO_PAD.encode(Sha256::digest(&der)) })
}

/// Tells whether `der` is exactly one DER SEQUENCE (the outer shape of an X.509 certificate).
fn is_single_der_sequence(der: &[u8]) -> bool {
    let mut reader = Reader::new(der);
    reader.sequence().is_some() && reader.is_empty()
}

/// One `-----BEGIN label-----` … `-----END label-----` block of a PEM text.
struct PemBlock<'a> {
    label: &'a str,
    body: &'a str,
}

/// Turns the forms users paste into plain PEM: drops a byte-order mark, surrounding whitespace
/// and quotes, turns literal `\n` into line breaks and drops carriage returns.
fn normalize_pem(pem: &str) -> String {
    let mut text = pem.trim_start_matches('\u{feff}').trim_ascii();
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        text = &text[1..text.len() - 1];
    }
    text.replace("\\r", "").replace("\\n", "\n").replace('\r', "")
}

/// Splits PEM text into its blocks; `what` ("private key", "certificate") names the expected
/// content in errors.
fn pem_blocks<'a>(text: &'a str, what: &str) -> Result<Vec<PemBlock<'a>>> {
    let kind = if what == "certificate" { ErrorKind::InvalidCertificate } else { ErrorKind::InvalidKey };
    let expected = if what == "certificate" {
        "-----BEGIN CERTIFICATE-----"
    } else {
        "-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----"
    };
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let truncated = || {
            Error::new(
                kind,
                format!(
                    "The {what} PEM is incomplete: a -----BEGIN line has no matching -----END line. \
                     Paste the whole file, from {expected} to the matching -----END line."
                ),
            )
        };
        let label_end = after.find("-----").ok_or_else(truncated)?;
        let label = &after[..label_end];
        if label.is_empty() || label.len() > 64 || !label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit()) {
            return Err(Error::new(kind, format!("The {what} PEM has a damaged -----BEGIN line: expected {expected}.")));
        }
        let after_label = &after[label_end + "-----".len()..];
        let end_marker = format!("-----END {label}-----");
        let body_end = after_label.find(&end_marker).ok_or_else(truncated)?;
        blocks.push(PemBlock { label, body: &after_label[..body_end] });
        rest = &after_label[body_end + end_marker.len()..];
    }
    if blocks.is_empty() {
        let message = if text.is_empty() {
            format!("The {what} is empty: paste the PEM text, starting with {expected}.")
        } else {
            format!("The {what} is not PEM text: expected it to start with {expected}.")
        };
        return Err(Error::new(kind, message));
    }
    Ok(blocks)
}

/// Decodes the base64 body of a PEM block; refuses legacy encrypted blocks (`Proc-Type` header).
fn decode_body(block: &PemBlock<'_>, what: &str) -> Result<Vec<u8>> {
    let kind = if what == "certificate" { ErrorKind::InvalidCertificate } else { ErrorKind::InvalidKey };
    if block.body.contains("Proc-Type:") || block.body.contains("DEK-Info:") {
        return Err(encrypted_key_error());
    }
    let mut compact: Vec<u8> = block.body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    while compact.last() == Some(&b'=') {
        compact.pop();
    }
    let unpadded = compact;
    STANDARD_NO_PAD.decode(unpadded).map_err(|_| {
        Error::new(
            kind,
            format!(
                "The {what} PEM is damaged: the text between its BEGIN and END lines is not valid base64. \
                 Paste the whole file again, unchanged."
            ),
        )
    })
}

/// The inputs of one client assertion; [`Assertion::header_json`] and
/// [`Assertion::claims_json`] write them out.
#[derive(Debug, Clone, Copy)]
pub struct Assertion<'a> {
    /// The application (client) id: the `iss` and `sub` claims.
    pub client_id: &'a str,
    /// The directory (tenant) id or a verified domain name, used in the `aud` claim.
    pub tenant_id: &'a str,
    /// `login.microsoftonline.com` (the default), another bare host (https is implied), or a
    /// full origin such as `http://127.0.0.1:8080` for a local test server.
    pub authority_host: &'a str,
    /// The current time in Unix seconds: the `iat` and `nbf` claims.
    pub now: i64,
    /// How long the assertion is valid, in seconds ([`MIN_LIFETIME`]..=[`MAX_LIFETIME`]):
    /// `exp` = `now` + `lifetime`.
    pub lifetime: u64,
    /// The unique token id (`jti`), e.g. from [`uuid_v4`] with random bytes.
    pub jti: &'a str,
    /// The signing algorithm, which also chooses the thumbprint header.
    pub algorithm: Algorithm,
    /// The `kid` header; `None` or empty leaves it out.
    pub kid: Option<&'a str>,
    /// The `x5t` header (SHA-1 thumbprint), written with RS256 only; `None` or empty leaves it out.
    pub x5t: Option<&'a str>,
    /// The `x5t#S256` header (SHA-256 thumbprint), written with PS256 only; `None` or empty
    /// leaves it out.
    pub x5t_s256: Option<&'a str>,
}

impl Assertion<'_> {
    /// Writes the JOSE header: `{"alg":"RS256","typ":"JWT","kid":…,"x5t":…}` for RS256,
    /// `{"alg":"PS256","typ":"JWT","kid":…,"x5t#S256":…}` for PS256; absent or empty values are
    /// left out.
    pub fn header_json(&self) -> String {
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(b"{\"alg\":\"");
        out.extend_from_slice(self.algorithm.name().as_bytes());
        out.extend_from_slice(b"\",\"typ\":\"JWT\"");
        let thumbprint = match self.algorithm {
            Algorithm::Rs256 => ("x5t", self.x5t),
            Algorithm::Ps256 => ("x5t#S256", self.x5t_s256),
        };
        for (name, value) in [("kid", self.kid), thumbprint] {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                push_name(&mut out, name);
                write_escaped(&mut out, value.as_bytes());
            }
        }
        out.push(b'}');
        into_string(out)
    }

    /// Writes the claims in the order `iss`, `sub`, `aud`, `jti`, `iat`, `nbf`, `exp`, after
    /// checking every input ([`ErrorKind::InvalidInput`] names the one to fix).
    pub fn claims_json(&self) -> Result<String> {
        validate_client_id(self.client_id)?;
        let aud = request::token_url(self.authority_host, self.tenant_id)?;
        if self.jti.is_empty() || self.jti.len() > 256 {
            return Err(input_error("The jti (token id) must be 1 to 256 characters: leave it unset to get a random UUID."));
        }
        if !(MIN_LIFETIME..=MAX_LIFETIME).contains(&self.lifetime) {
            return Err(input_error(format!(
                "The assertion lifetime must be between {MIN_LIFETIME} and {MAX_LIFETIME} seconds \
                 (default {DEFAULT_LIFETIME}): change the lifetime setting."
            )));
        }
        if !(0..=MAX_NOW).contains(&self.now) {
            return Err(input_error(
                "The current time must be given in Unix seconds between 1970 and 9999: pass \
                 Math.floor(Date.now() / 1000), not milliseconds.",
            ));
        }
        // Both bounds checked above, so this cannot overflow.
        let exp = self.now + self.lifetime as i64;
        let mut out = Vec::with_capacity(320);
        out.extend_from_slice(b"{\"iss\":");
        write_escaped(&mut out, self.client_id.as_bytes());
        for (name, value) in [("sub", self.client_id), ("aud", &aud), ("jti", self.jti)] {
            push_name(&mut out, name);
            write_escaped(&mut out, value.as_bytes());
        }
        for (name, value) in [("iat", self.now), ("nbf", self.now), ("exp", exp)] {
            push_name(&mut out, name);
            out.extend_from_slice(value.to_string().as_bytes());
        }
        out.push(b'}');
        Ok(into_string(out))
    }
}

fn input_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// Checks an application (client) id: 1 to 256 printable ASCII characters, no spaces.
fn validate_client_id(client_id: &str) -> Result<()> {
    if client_id.is_empty() {
        return Err(input_error(
            "The client id is missing: set msg.oauth.clientId or the node's client id to the \
             Application (client) ID of the app registration.",
        ));
    }
    if client_id.len() > 256 || !client_id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(input_error(
            "The client id must not contain spaces, control or non-ASCII characters: copy the \
             Application (client) ID of the app registration, a GUID like 00000000-0000-0000-0000-000000000000.",
        ));
    }
    Ok(())
}

/// Appends `,"name":` to a JSON object being written; values are escaped with
/// [`write_escaped`], as JavaScript's `JSON.stringify` does.
fn push_name(out: &mut Vec<u8>, name: &str) {
    out.push(b',');
    write_escaped(out, name.as_bytes());
    out.push(b':');
}

/// Turns JSON written from `&str` values back into a `String` (it is UTF-8: the escaper only
/// adds ASCII).
fn into_string(json: Vec<u8>) -> String {
    String::from_utf8(json).unwrap_or_default()
}

/// Signs `header_json` and `claims_json` into a compact JWS:
/// `base64url(header).base64url(claims).base64url(signature)`.
///
/// RS256 is RSASSA-PKCS1-v1_5 with SHA-256 (deterministic; `rng` blinds the private-key
/// operation); PS256 is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt drawn from
/// `rng`. The header's `alg` should name `algorithm`; [`Assertion::header_json`] ensures that.
pub fn sign(key: &PrivateKey, header_json: &str, claims_json: &str, algorithm: Algorithm, rng: &mut impl RandomSource) -> Result<String> {
    let mut jws = URL_SAFE_NO_PAD.encode(header_json);
    jws.push('.');
    jws.push_str(&URL_SAFE_NO_PAD.encode(claims_json));
    let digest: [u8; 32] = Sha256::digest(jws.as_bytes()).into();
    let mut blinding = [0u8; rsa::BLINDING_LEN];
    rng.fill(&mut blinding);
    let signature = match algorithm {
        Algorithm::Rs256 => key.inner.sign_pkcs1v15(&digest, blinding),
        Algorithm::Ps256 => {
            let mut salt = [0u8; rsa::PSS_SALT_LEN];
            rng.fill(&mut salt);
            key.inner.sign_pss(&digest, salt, blinding)
        }
    }
    .ok_or_else(|| {
        Error::new(
            ErrorKind::Signing,
            "Signing the client assertion failed: check that the private key is a valid RSA key of at least 2048 bits.",
        )
    })?;
    jws.push('.');
    jws.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(jws)
}

/// Writes and signs the client assertion: returns the compact JWS and the claims JSON.
pub fn create(key: &PrivateKey, assertion: &Assertion<'_>, rng: &mut impl RandomSource) -> Result<(String, String)> {
    let claims = assertion.claims_json()?;
    let jws = sign(key, &assertion.header_json(), &claims, assertion.algorithm, rng)?;
    Ok((jws, claims))
}

/// Formats 16 random bytes as a version-4 UUID (lowercase, `8-4-4-4-12`), setting the version
/// and variant bits.
pub fn uuid_v4(random: [u8; 16]) -> String {
    let mut bytes = random;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}
