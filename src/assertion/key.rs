//! The RSA private key that signs the assertion: read from PEM with the RustCrypto `rsa` crate's
//! PKCS#1 and PKCS#8 decoders, and used through its RS256 and PS256 signers.
//!
//! This module adds only what users need on top: the pasted forms a key arrives in (see
//! [`pem`](super::pem)), errors that say what the key is and how to fix it (the PEM label and
//! the PKCS#8 algorithm identifier tell an EC, Ed25519, RSA-PSS, encrypted or OpenSSH key from a
//! damaged one), and a check of every signature with the public key before it is returned.

use rsa::pkcs1::{self, RsaPrivateKeyRef};
use rsa::pkcs8::der::asn1::{AnyRef, OctetStringRef};
use rsa::pkcs8::der::{Decode, Tag, Tagged};
use rsa::pkcs8::spki::AlgorithmIdentifierRef;
use rsa::pkcs8::{ObjectIdentifier, PrivateKeyInfoRef};
use rsa::rand_core::TryCryptoRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BoxedUint, Pkcs1v15Sign, Pss};
use sha2::{Digest, Sha256};

use super::pem::{self, Expected};
use super::Algorithm;
use crate::error::{Error, ErrorKind};
use crate::Result;

/// The smallest RSA key Entra ID accepts for certificate credentials.
const MIN_KEY_BITS: usize = 2048;
/// The largest modulus read, in bits: larger keys are refused before any arithmetic on them.
const MAX_KEY_BITS: usize = 16_384;

/// Algorithm identifiers (PKCS#8) of the key types told apart in errors.
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const ID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const ID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const ID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// An RSA private key read from PEM, checked and ready to sign (the `rsa` crate's key, with its
/// CRT values computed once).
///
/// Its `Debug` form shows only the key size, never key material.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    inner: rsa::PrivateKey,
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
    /// certificate in the same file, say) are skipped. A body that does not match its label
    /// (PKCS#1 under `PRIVATE KEY` or the reverse, as some tools write) is still read.
    ///
    /// Encrypted keys, non-RSA keys, keys shorter than 2048 bits and keys whose numbers do not
    /// agree (the file's CRT values included) are refused with an [`ErrorKind::InvalidKey`]
    /// error that says how to fix the key; the message never contains key material.
    pub fn from_pem(pem: &str) -> Result<PrivateKey> {
        let text = pem::normalize(pem);
        let blocks = pem::blocks(&text, Expected::PrivateKey)?;
        let Some(block) = blocks.iter().find(|b| b.label.ends_with("PRIVATE KEY")) else {
            return Err(no_private_key_error(&blocks));
        };
        match block.label {
            "PRIVATE KEY" | "RSA PRIVATE KEY" if block.is_legacy_encrypted() => Err(encrypted_key_error()),
            "PRIVATE KEY" | "RSA PRIVATE KEY" => from_der(&block.decode(Expected::PrivateKey)?),
            "ENCRYPTED PRIVATE KEY" => Err(encrypted_key_error()),
            "EC PRIVATE KEY" => Err(not_rsa_error("EC")),
            "DSA PRIVATE KEY" => Err(not_rsa_error("DSA")),
            "OPENSSH PRIVATE KEY" => Err(key_error(
                "The private key is in OpenSSH format: convert a copy to PKCS#8 with \
                 `ssh-keygen -p -N \"\" -m PKCS8 -f keyfile` (RSA keys only) and paste that.",
            )),
            _ => Err(key_error(
                "The private key is in an unsupported PEM format: use an RSA key, \
                 -----BEGIN PRIVATE KEY----- (PKCS#8) or -----BEGIN RSA PRIVATE KEY----- (PKCS#1).",
            )),
        }
    }

    /// Returns the size of the key's modulus in bits (2048, 3072 or 4096 in practice).
    pub fn bits(&self) -> usize {
        self.inner.n().bit_width() as usize
    }

    /// Returns the public modulus `n`, big-endian, to verify signatures with.
    pub fn modulus(&self) -> Vec<u8> {
        self.inner.n().to_be_bytes_trimmed_vartime().into()
    }

    /// Returns the public exponent `e`, big-endian.
    pub fn public_exponent(&self) -> Vec<u8> {
        self.inner.e().to_be_bytes_trimmed_vartime().into()
    }

    /// Signs the SHA-256 digest of `message`: RSASSA-PKCS1-v1_5 for RS256 (deterministic; `rng`
    /// blinds the private-key operation), RSASSA-PSS with MGF1-SHA-256 and a 32-byte salt from
    /// `rng` for PS256. The signature is verified with the public key before it is returned.
    pub(super) fn sign<R: TryCryptoRng + ?Sized>(&self, algorithm: Algorithm, message: &[u8], rng: &mut R) -> Result<Vec<u8>> {
        let digest = Sha256::digest(message);
        let public = self.inner.as_public_key();
        let checked = match algorithm {
            Algorithm::Rs256 => self
                .inner
                .sign_with_rng(rng, Pkcs1v15Sign::new::<Sha256>(), &digest)
                .and_then(|s| public.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &s).map(|()| s)),
            Algorithm::Ps256 => self
                .inner
                .sign_with_rng(rng, Pss::<Sha256>::new(), &digest)
                .and_then(|s| public.verify(Pss::<Sha256>::new(), &digest, &s).map(|()| s)),
        };
        checked.map_err(|e| match e {
            rsa::Error::Rng => Error::new(ErrorKind::Signing, "No cryptographic random source: crypto.getRandomValues is missing."),
            _ => Error::new(
                ErrorKind::Signing,
                "Signing the client assertion failed: check that the private key is a valid RSA key of at least 2048 bits.",
            ),
        })
    }
}

/// Reads a private key from the DER body of a `PRIVATE KEY` or `RSA PRIVATE KEY` block. The tags
/// of the outer SEQUENCE's elements tell which structure it holds: PKCS#8 `PrivateKeyInfo`,
/// PKCS#1 `RSAPrivateKey`, an `EncryptedPrivateKeyInfo`, or a SEC1 `ECPrivateKey`.
fn from_der(der: &[u8]) -> Result<PrivateKey> {
    let fields = Vec::<AnyRef<'_>>::from_der(der).map_err(|_| malformed_key_error())?;
    let tags: Vec<Tag> = fields.iter().map(|f| f.tag()).collect();
    match tags.as_slice() {
        [Tag::Integer, Tag::Integer, ..] => from_pkcs1(der),
        [Tag::Integer, Tag::Sequence, Tag::OctetString, ..] => from_pkcs8(der),
        // EncryptedPrivateKeyInfo: { AlgorithmIdentifier (PBES2 and others), OCTET STRING }.
        [Tag::Sequence, Tag::OctetString] if fields[0].decode_as::<AlgorithmIdentifierRef<'_>>().is_ok() => Err(encrypted_key_error()),
        // SEC1 ECPrivateKey: { version 1, OCTET STRING, [0] parameters, [1] public key }.
        [Tag::Integer, Tag::OctetString, ..] if fields[0].decode_as::<u8>() == Ok(1) => Err(not_rsa_error("EC")),
        _ => Err(malformed_key_error()),
    }
}

/// Reads a PKCS#8 `PrivateKeyInfo`, naming the key type when its algorithm is not rsaEncryption.
fn from_pkcs8(der: &[u8]) -> Result<PrivateKey> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(|_| malformed_key_error())?;
    match info.algorithm.oid {
        pkcs1::ALGORITHM_OID => {}
        ID_EC_PUBLIC_KEY => return Err(not_rsa_error("EC")),
        ID_ED25519 | ID_ED448 | ID_X25519 | ID_X448 => return Err(not_rsa_error("EdDSA/X25519")),
        ID_DSA => return Err(not_rsa_error("DSA")),
        ID_RSASSA_PSS => {
            return Err(key_error(
                "The private key is an RSA-PSS restricted key: convert a copy with \
                 `openssl rsa -in key.pem -traditional -out key-rsa.pem` (PS256 works with plain RSA keys).",
            ))
        }
        _ => return Err(not_rsa_error("non-RSA")),
    }
    // rsaEncryption takes NULL parameters.
    if info.algorithm.parameters != Some(AnyRef::NULL) {
        return Err(malformed_key_error());
    }
    from_pkcs1(OctetStringRef::as_bytes(info.private_key))
}

/// Reads a PKCS#1 `RSAPrivateKey` (two primes) with the `rsa` crate, which checks that `n = pq`,
/// that `d` inverts `e` modulo `p-1` and `q-1`, and that `e` is odd and at most 33 bits; the CRT
/// values in the file must equal the ones it computes.
fn from_pkcs1(der: &[u8]) -> Result<PrivateKey> {
    let numbers = RsaPrivateKeyRef::from_der(der).map_err(|_| malformed_key_error())?;
    let modulus = numbers.modulus.as_bytes();
    let bits = (modulus.len() * 8).saturating_sub(modulus.first().map_or(0, |b| b.leading_zeros() as usize));
    if bits > MAX_KEY_BITS {
        return Err(key_error(format!("The RSA private key is larger than {MAX_KEY_BITS} bits: {NEW_KEY}")));
    }
    let inner = rsa::PrivateKey::try_from(numbers.clone()).map_err(|_| malformed_key_error())?;
    // The file's CRT values are not used, but a key file whose numbers disagree is damaged.
    // BoxedUint's `==` is constant-time.
    let stored_equals = |stored: pkcs1::UintRef<'_>, computed: Option<BoxedUint>| {
        computed.is_some_and(|c| BoxedUint::from_be_slice(stored.as_bytes(), c.bits_precision()).is_ok_and(|s| s == c))
    };
    if !stored_equals(numbers.exponent1, inner.dp().cloned())
        || !stored_equals(numbers.exponent2, inner.dq().cloned())
        || !stored_equals(numbers.coefficient, inner.crt_coefficient())
    {
        return Err(malformed_key_error());
    }
    if bits < MIN_KEY_BITS {
        return Err(key_error(format!("The RSA private key has {bits} bits; Entra ID requires at least 2048: {NEW_KEY}")));
    }
    Ok(PrivateKey { inner })
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

fn no_private_key_error(blocks: &[pem::Block<'_>]) -> Error {
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
