//! PEM text as users paste it: the forms it arrives in, its blocks, and their base64 bodies.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;

use crate::error::{Error, ErrorKind};
use crate::Result;

/// What a PEM text is expected to hold; it names the thing in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expected {
    /// An RSA private key: `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    PrivateKey,
    /// An X.509 certificate: `CERTIFICATE`.
    Certificate,
}

impl Expected {
    fn what(self) -> &'static str {
        match self {
            Expected::PrivateKey => "private key",
            Expected::Certificate => "certificate",
        }
    }

    fn begin_lines(self) -> &'static str {
        match self {
            Expected::PrivateKey => "-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----",
            Expected::Certificate => "-----BEGIN CERTIFICATE-----",
        }
    }

    pub(super) fn error(self, message: impl Into<String>) -> Error {
        let kind = match self {
            Expected::PrivateKey => ErrorKind::InvalidKey,
            Expected::Certificate => ErrorKind::InvalidCertificate,
        };
        Error::new(kind, message)
    }
}

/// One `-----BEGIN label-----` … `-----END label-----` block of a PEM text.
pub(super) struct Block<'a> {
    pub(super) label: &'a str,
    body: &'a str,
}

impl Block<'_> {
    /// Tells whether the body has the headers of a legacy (OpenSSL "traditional") encrypted key.
    pub(super) fn is_legacy_encrypted(&self) -> bool {
        self.body.contains("Proc-Type:") || self.body.contains("DEK-Info:")
    }

    /// Decodes the base64 body, whatever its line breaks and padding.
    pub(super) fn decode(&self, expected: Expected) -> Result<Vec<u8>> {
        let mut compact: Vec<u8> = self.body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        while compact.last() == Some(&b'=') {
            compact.pop();
        }
        STANDARD_NO_PAD.decode(compact).map_err(|_| {
            let what = expected.what();
            expected.error(format!(
                "The {what} PEM is damaged: the text between its BEGIN and END lines is not valid base64. \
                 Paste the whole file again, unchanged."
            ))
        })
    }
}

/// Turns the forms users paste into plain PEM: drops a byte-order mark, surrounding whitespace
/// and quotes, turns literal `\n` into line breaks and drops carriage returns.
pub(super) fn normalize(pem: &str) -> String {
    let mut text = pem.trim_start_matches('\u{feff}').trim_ascii();
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        text = &text[1..text.len() - 1];
    }
    text.replace("\\r", "").replace("\\n", "\n").replace('\r', "")
}

/// Splits normalized PEM text into its blocks; an error when there is none or one is cut.
pub(super) fn blocks(text: &str, expected: Expected) -> Result<Vec<Block<'_>>> {
    let (what, begin) = (expected.what(), expected.begin_lines());
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let truncated = || {
            expected.error(format!(
                "The {what} PEM is incomplete: a -----BEGIN line has no matching -----END line. \
                 Paste the whole file, from {begin} to the matching -----END line."
            ))
        };
        let label_end = after.find("-----").ok_or_else(truncated)?;
        let label = &after[..label_end];
        if label.is_empty() || label.len() > 64 || !label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit()) {
            return Err(expected.error(format!("The {what} PEM has a damaged -----BEGIN line: expected {begin}.")));
        }
        let after_label = &after[label_end + "-----".len()..];
        let end_marker = format!("-----END {label}-----");
        let body_end = after_label.find(&end_marker).ok_or_else(truncated)?;
        blocks.push(Block { label, body: &after_label[..body_end] });
        rest = &after_label[body_end + end_marker.len()..];
    }
    if blocks.is_empty() {
        let message = if text.is_empty() {
            format!("The {what} is empty: paste the PEM text, starting with {begin}.")
        } else {
            format!("The {what} is not PEM text: expected it to start with {begin}.")
        };
        return Err(expected.error(message));
    }
    Ok(blocks)
}
