//! The Entra ID client assertion: a JWT signed with the private key of the certificate that is
//! registered on the app, sent instead of a client secret in the client-credentials grant.
//!
//! This replaces the original flow's "create a JWT token" function and the third-party
//! "jwt sign" node. [`PrivateKey::from_pem`] reads the key once, [`thumbprints`] computes the
//! `x5t` / `x5t#S256` header values from the certificate, [`Assertion`] writes the header and
//! claims JSON, and [`sign`] (or [`create`] for all steps at once) produces the compact JWS.
//!
//! As in the `jsonwebtoken` crate, the header and claims are serde structs written by
//! `serde_json` (whose string escaping is `JSON.stringify`'s), and the signature comes from
//! RustCrypto's `rsa` crate. The current time and the `jti` are inputs, and signing takes the
//! random source as an argument (a `rand_core` `TryCryptoRng`, as `rsa::rand_core` re-exports
//! it: getrandom's `SysRng` in the binding), so every output can be reproduced in tests.

mod certificate;
mod key;
mod pem;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::rand_core::TryCryptoRng;
use serde::Serialize;

pub use certificate::{thumbprints, Thumbprints};
pub use key::PrivateKey;

use crate::error::{Error, ErrorKind, Result};
use crate::request;

/// The shortest lifetime, in seconds, an assertion may be given.
pub const MIN_LIFETIME: u64 = 60;
/// The longest lifetime, in seconds, an assertion may be given.
pub const MAX_LIFETIME: u64 = 3600;
/// The lifetime, in seconds, used when none is configured (ten minutes).
pub const DEFAULT_LIFETIME: u64 = 600;
/// The latest accepted `now`: 9999-12-31T23:59:59Z in Unix seconds.
const MAX_NOW: i64 = 253_402_300_799;

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

/// The JOSE header, in the order written: `alg`, `typ`, `kid`, then `x5t` (RS256) or
/// `x5t#S256` (PS256); absent values are left out.
#[derive(Serialize)]
struct Header<'a> {
    alg: &'static str,
    typ: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x5t: Option<&'a str>,
    #[serde(rename = "x5t#S256", skip_serializing_if = "Option::is_none")]
    x5t_s256: Option<&'a str>,
}

/// The claims, in the order the original flow wrote them.
#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    jti: &'a str,
    iat: i64,
    nbf: i64,
    exp: i64,
}

impl Assertion<'_> {
    /// Writes the JOSE header: `{"alg":"RS256","typ":"JWT","kid":…,"x5t":…}` for RS256,
    /// `{"alg":"PS256","typ":"JWT","kid":…,"x5t#S256":…}` for PS256; absent or empty values are
    /// left out.
    pub fn header_json(&self) -> String {
        fn given(value: Option<&str>) -> Option<&str> {
            value.filter(|v| !v.is_empty())
        }
        let (x5t, x5t_s256) = match self.algorithm {
            Algorithm::Rs256 => (given(self.x5t), None),
            Algorithm::Ps256 => (None, given(self.x5t_s256)),
        };
        to_json(&Header { alg: self.algorithm.name(), typ: "JWT", kid: given(self.kid), x5t, x5t_s256 })
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
        let (id, now) = (self.client_id, self.now);
        Ok(to_json(&Claims { iss: id, sub: id, aud: &aud, jti: self.jti, iat: now, nbf: now, exp }))
    }
}

/// JSON text of a header or claims struct. serde_json escapes strings as `JSON.stringify` does
/// (a `&str` holds no lone surrogate, the one case where they differ).
fn to_json(value: &impl Serialize) -> String {
    // Structs of strings and integers: serde_json cannot fail on them.
    serde_json::to_string(value).expect("a struct of strings and integers serializes")
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

/// Signs `header_json` and `claims_json` into a compact JWS:
/// `base64url(header).base64url(claims).base64url(signature)`.
///
/// RS256 is RSASSA-PKCS1-v1_5 with SHA-256 (deterministic; `rng` blinds the private-key
/// operation); PS256 is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt drawn from
/// `rng`. The header's `alg` should name `algorithm`; [`Assertion::header_json`] ensures that.
pub fn sign<R: TryCryptoRng + ?Sized>(
    key: &PrivateKey,
    header_json: &str,
    claims_json: &str,
    algorithm: Algorithm,
    rng: &mut R,
) -> Result<String> {
    let mut jws = URL_SAFE_NO_PAD.encode(header_json);
    jws.push('.');
    jws.push_str(&URL_SAFE_NO_PAD.encode(claims_json));
    let signature = key.sign(algorithm, jws.as_bytes(), rng)?;
    jws.push('.');
    jws.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(jws)
}

/// Writes and signs the client assertion: returns the compact JWS and the claims JSON.
pub fn create<R: TryCryptoRng + ?Sized>(key: &PrivateKey, assertion: &Assertion<'_>, rng: &mut R) -> Result<(String, String)> {
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
