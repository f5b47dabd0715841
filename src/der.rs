//! A small, strict DER reader: just enough ASN.1 to read an RSA private key (PKCS#1
//! `RSAPrivateKey`, PKCS#8 `PrivateKeyInfo`) and to recognise the key types it refuses.
//!
//! Every read checks its bounds and returns `None` on anything that is not DER: high tag
//! numbers, indefinite or non-minimal lengths, lengths past the end of the enclosing value,
//! negative or non-minimal integers. It never panics, whatever the input.

/// Tag of an INTEGER.
pub(crate) const INTEGER: u8 = 0x02;
/// Tag of an OCTET STRING.
pub(crate) const OCTET_STRING: u8 = 0x04;
/// Tag of a NULL.
pub(crate) const NULL: u8 = 0x05;
/// Tag of an OBJECT IDENTIFIER.
pub(crate) const OID: u8 = 0x06;
/// Tag of a SEQUENCE (constructed).
pub(crate) const SEQUENCE: u8 = 0x30;

/// Reads DER values one after the other from a byte slice.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(der: &'a [u8]) -> Self {
        Reader { rest: der }
    }

    /// Tells whether every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next value, without reading it.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads one value of any tag: returns its tag and contents.
    pub(crate) fn any(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.rest.split_first()?;
        if tag & 0x1f == 0x1f {
            // High tag numbers are never needed here.
            return None;
        }
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (first as usize, rest)
        } else {
            // 0x80 is the indefinite length, which DER forbids; more than 4 length bytes
            // cannot fit any input this reader is given.
            let count = (first & 0x7f) as usize;
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, rest) = rest.split_at(count);
            let len = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | b as usize);
            // DER: the shortest form, so no leading zero byte and no long form below 128.
            if bytes[0] == 0 || len < 0x80 {
                return None;
            }
            (len, rest)
        };
        if len > rest.len() {
            return None;
        }
        let (value, rest) = rest.split_at(len);
        self.rest = rest;
        Some((tag, value))
    }

    /// Reads one value that must have tag `tag`; returns its contents.
    pub(crate) fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        if self.peek_tag()? != tag {
            return None;
        }
        self.any().map(|(_, value)| value)
    }

    /// Reads a SEQUENCE and returns a reader over its contents.
    pub(crate) fn sequence(&mut self) -> Option<Reader<'a>> {
        self.read(SEQUENCE).map(Reader::new)
    }

    /// Reads a non-negative INTEGER in minimal DER form; returns its big-endian magnitude
    /// (without the leading zero byte that keeps a high first bit positive; zero is `[]`).
    pub(crate) fn uint(&mut self) -> Option<&'a [u8]> {
        let bytes = self.read(INTEGER)?;
        let (&first, rest) = bytes.split_first()?;
        if first & 0x80 != 0 {
            return None; // negative
        }
        if first != 0 {
            return Some(bytes);
        }
        // A leading zero is only allowed (and needed) before a byte with its high bit set.
        match rest.first() {
            None => Some(rest),
            Some(&next) if next & 0x80 != 0 => Some(rest),
            Some(_) => None,
        }
    }

    /// Reads a non-negative INTEGER that fits in a `u32` (a version number).
    pub(crate) fn small_uint(&mut self) -> Option<u32> {
        let bytes = self.uint()?;
        if bytes.len() > 4 {
            return None;
        }
        Some(bytes.iter().fold(0u32, |acc, &b| (acc << 8) | b as u32))
    }

    /// Succeeds only when every byte has been read.
    pub(crate) fn finish(&self) -> Option<()> {
        self.is_empty().then_some(())
    }
}

/// The contents (DER value bytes) of the object identifiers the key reader recognises.
pub(crate) mod oid {
    /// rsaEncryption, 1.2.840.113549.1.1.1.
    pub(crate) const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    /// id-RSASSA-PSS, 1.2.840.113549.1.1.10.
    pub(crate) const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
    /// id-ecPublicKey, 1.2.840.10045.2.1.
    pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    /// id-dsa, 1.2.840.10040.4.1.
    pub(crate) const DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
    /// X25519, X448, Ed25519 and Ed448: 1.3.101.110 to 1.3.101.113.
    pub(crate) const X25519: &[u8] = &[0x2b, 0x65, 0x6e];
    pub(crate) const X448: &[u8] = &[0x2b, 0x65, 0x6f];
    pub(crate) const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
    pub(crate) const ED448: &[u8] = &[0x2b, 0x65, 0x71];
}
