//! The certificate thumbprints that name the signing key in the JWS header (`x5t`, `x5t#S256`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs8::der::asn1::AnyRef;
use rsa::pkcs8::der::{Decode, Tag, Tagged};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::pem::{self, Expected};
use crate::Result;

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
/// (and the same with `-sha256`). Accepts the same text forms as
/// [`PrivateKey::from_pem`](super::PrivateKey::from_pem), including the one-line form with
/// literal `\n`.
pub fn thumbprints(cert_pem: &str) -> Result<Thumbprints> {
    let expected = Expected::Certificate;
    let text = pem::normalize(cert_pem);
    let blocks = pem::blocks(&text, expected)?;
    let Some(block) = blocks.iter().find(|b| b.label == "CERTIFICATE") else {
        let message = if blocks.iter().any(|b| b.label.ends_with("PRIVATE KEY")) {
            "A private key was given where the certificate is expected: paste the certificate \
             (-----BEGIN CERTIFICATE-----) that was uploaded to the app registration, not its key."
        } else {
            "No certificate found in the PEM text: paste the certificate that was uploaded to the \
             app registration, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."
        };
        return Err(expected.error(message));
    };
    let der = block.decode(expected)?;
    // The outer shape of an X.509 certificate: exactly one DER SEQUENCE.
    if AnyRef::from_der(&der).map(|any| any.tag()) != Ok(Tag::Sequence) {
        return Err(expected.error(
            "The certificate PEM is damaged or truncated: paste the whole certificate file again, \
             from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----, unchanged.",
        ));
    }
    Ok(Thumbprints { x5t: URL_SAFE_NO_PAD.encode(Sha1::digest(&der)), x5t_s256: URL_SAFE_NO_PAD.encode(Sha256::digest(&der)) })
}
