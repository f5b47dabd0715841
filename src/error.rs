//! The one error type of the crate.

use std::fmt;

/// What went wrong, in words a Node-RED user can act on.
///
/// The message never contains a secret (private key, API key, token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// The class of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// When a private key PEM cannot be read as an RSA key.
    InvalidKey,
    /// When a certificate PEM cannot be read.
    InvalidCertificate,
    /// When a setting or message property has a value that cannot be used.
    InvalidInput,
    /// When a payload is not valid JSON.
    InvalidJson,
    /// When a payload is valid JSON but not shaped like the API response expected.
    UnexpectedShape,
    /// When signing fails.
    Signing,
}

impl Error {
    /// An error of `kind` saying `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error of text read from byte `offset` of a longer one: the place it names (a syntax
    /// error's `at byte N`) counted from the start of the longer text.
    pub fn at_offset(mut self, offset: usize) -> Error {
        const AT: &str = " at byte ";
        if let Some(start) = self.message.find(AT).map(|i| i + AT.len()) {
            let digits = self.message[start..].bytes().take_while(u8::is_ascii_digit).count();
            let at = self.message.as_bytes()[start..start + digits].iter().fold(0, |n, &d| n * 10 + usize::from(d - b'0'));
            self.message = format!("{}{}{}", &self.message[..start], at + offset, &self.message[start + digits..]);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
