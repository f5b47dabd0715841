//! RSA private-key signatures, RS256 (RSASSA-PKCS1-v1_5) and PS256 (RSASSA-PSS), with SHA-256.
//!
//! The private-key operation uses the CRT values of the key file (`d mod (p-1)`,
//! `d mod (q-1)`, `q^-1 mod p`) and [`crate::montgomery`]. Each signature is checked with the
//! public key before it is returned, so a damaged key or a fault can never produce a signature
//! that leaks the key (the Bellcore attack on CRT) or one that Entra ID would refuse. The secret
//! exponents are blinded with a fresh random multiple of `p-1` and `q-1` for every signature.

use sha2::{Digest, Sha256};

use crate::montgomery::{self as mont, Modulus};

/// The largest modulus accepted, in bits.
pub(crate) const MAX_BITS: usize = 16_384;
/// The largest public exponent accepted (as the rsa crate and OpenSSL's checks do): 2^33 - 1.
const MAX_PUBLIC_EXPONENT_BITS: usize = 33;
/// DER prefix of the PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017, section 9.2, note 1).
const SHA256_DIGEST_INFO: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
/// PSS salt length: the digest's length, as Entra ID and most libraries use.
pub(crate) const PSS_SALT_LEN: usize = 32;
/// Random bytes a signature takes to blind its two exponents.
pub(crate) const BLINDING_LEN: usize = 8;

/// A two-prime RSA private key, its numbers checked against each other.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RsaKey {
    n: Modulus,
    e: Vec<u32>,
    p: Modulus,
    q: Modulus,
    dp: Vec<u32>,
    dq: Vec<u32>,
    q_inv: Vec<u32>,
}

/// The big-endian integers of a PKCS#1 `RSAPrivateKey`, in its order.
pub(crate) struct Components<'a> {
    pub n: &'a [u8],
    pub e: &'a [u8],
    pub d: &'a [u8],
    pub p: &'a [u8],
    pub q: &'a [u8],
    pub dp: &'a [u8],
    pub dq: &'a [u8],
    pub q_inv: &'a [u8],
}

/// Why a key cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// The numbers are not a consistent RSA key.
    Inconsistent,
    /// The modulus is larger than [`MAX_BITS`].
    TooLarge,
}

impl RsaKey {
    /// Checks the key's numbers and keeps them: `n = pq` with `p` and `q` odd, `e` odd and at
    /// most 33 bits, `d mod (p-1)` and `d mod (q-1)` equal to the CRT exponents, `q^-1 mod p`
    /// below `p`, and a test signature that verifies with `n` and `e`.
    pub(crate) fn new(c: &Components<'_>) -> Result<RsaKey, KeyProblem> {
        let n = mont::from_be_bytes(c.n);
        if mont::bits(&n) > MAX_BITS {
            return Err(KeyProblem::TooLarge);
        }
        let [e, d, p, q, dp, dq, q_inv] = [c.e, c.d, c.p, c.q, c.dp, c.dq, c.q_inv].map(mont::from_be_bytes);
        let e_ok = mont::bits(&e) <= MAX_PUBLIC_EXPONENT_BITS && e.first().is_some_and(|l| l & 1 == 1) && mont::bits(&e) >= 2;
        let mut product = mont::mul_plain(&p, &q);
        mont::trim(&mut product);
        let below = |x: &[u32], m: &[u32]| mont::cmp(x, m).is_lt();
        if !e_ok || product != n || !below(&dp, &p) || !below(&dq, &q) || !below(&q_inv, &p) {
            return Err(KeyProblem::Inconsistent);
        }
        let (Some(n), Some(p), Some(q)) = (Modulus::new(&n), Modulus::new(&p), Modulus::new(&q)) else {
            return Err(KeyProblem::Inconsistent);
        };
        // d mod (prime - 1) must be the CRT exponent.
        let reduces_to = |exp: &[u32], prime: &Modulus| mont::cmp(&mont::rem(&d, &minus_one(prime)), exp).is_eq();
        if !reduces_to(&dp, &p) || !reduces_to(&dq, &q) {
            return Err(KeyProblem::Inconsistent);
        }
        let key = RsaKey { n, e, p, q, dp, dq, q_inv };
        // The CRT values must belong to this n and e: sign 2 and check it.
        key.private(&[2], [0; BLINDING_LEN]).ok_or(KeyProblem::Inconsistent)?;
        Ok(key)
    }

    /// The modulus size in bits.
    pub(crate) fn bits(&self) -> usize {
        mont::bits(self.n.value())
    }

    /// The modulus size in bytes: the length of every signature.
    fn size(&self) -> usize {
        self.bits().div_ceil(8)
    }

    /// The public modulus, big-endian.
    pub(crate) fn modulus(&self) -> Vec<u8> {
        mont::to_be_bytes(self.n.value(), self.size()).unwrap_or_default()
    }

    /// The public exponent, big-endian.
    pub(crate) fn public_exponent(&self) -> Vec<u8> {
        let e = &self.e;
        mont::to_be_bytes(e, mont::bits(e).div_ceil(8)).unwrap_or_default()
    }

    /// RSASSA-PKCS1-v1_5 signature of a SHA-256 digest (deterministic; `blinding` only hides
    /// the exponent). `None` when the result fails its check.
    pub(crate) fn sign_pkcs1v15(&self, digest: &[u8; 32], blinding: [u8; BLINDING_LEN]) -> Option<Vec<u8>> {
        let k = self.size();
        let t_len = SHA256_DIGEST_INFO.len() + digest.len();
        if k < t_len + 11 {
            return None;
        }
        // EM = 0x00 || 0x01 || PS (0xff...) || 0x00 || DigestInfo || digest
        let mut em = vec![0xffu8; k];
        em[0] = 0;
        em[1] = 1;
        em[k - t_len - 1] = 0;
        em[k - t_len..k - 32].copy_from_slice(&SHA256_DIGEST_INFO);
        em[k - 32..].copy_from_slice(digest);
        self.sign_encoded(&em, blinding)
    }

    /// RSASSA-PSS signature of a SHA-256 digest, MGF1 with SHA-256 and a 32-byte `salt`.
    pub(crate) fn sign_pss(&self, digest: &[u8; 32], salt: [u8; PSS_SALT_LEN], blinding: [u8; BLINDING_LEN]) -> Option<Vec<u8>> {
        // EMSA-PSS-ENCODE (RFC 8017, section 9.1.1) with emBits = modBits - 1.
        let em_bits = self.bits() - 1;
        let em_len = em_bits.div_ceil(8);
        let h_len = 32;
        if em_len < h_len + PSS_SALT_LEN + 2 {
            return None;
        }
        let mut m_prime = Sha256::new();
        m_prime.update([0u8; 8]);
        m_prime.update(digest);
        m_prime.update(salt);
        let h: [u8; 32] = m_prime.finalize().into();
        let db_len = em_len - h_len - 1;
        let mut em = vec![0u8; em_len];
        // DB = PS (zeros) || 0x01 || salt, masked with MGF1(H).
        em[db_len - PSS_SALT_LEN - 1] = 1;
        em[db_len - PSS_SALT_LEN..db_len].copy_from_slice(&salt);
        for (counter, block) in em[..db_len].chunks_mut(h_len).enumerate() {
            let mask = Sha256::new().chain_update(h).chain_update((counter as u32).to_be_bytes()).finalize();
            block.iter_mut().zip(mask).for_each(|(b, m)| *b ^= m);
        }
        em[0] &= 0xff >> (8 * em_len - em_bits);
        em[db_len..db_len + h_len].copy_from_slice(&h);
        em[em_len - 1] = 0xbc;
        self.sign_encoded(&em, blinding)
    }

    /// The signature of an encoded message, as `size()` big-endian bytes.
    fn sign_encoded(&self, em: &[u8], blinding: [u8; BLINDING_LEN]) -> Option<Vec<u8>> {
        let s = self.private(&mont::from_be_bytes(em), blinding)?;
        mont::to_be_bytes(&s, self.size())
    }

    /// `m^d mod n` by the CRT, checked with `s^e mod n = m`; `None` if `m >= n` or the check
    /// fails.
    fn private(&self, m: &[u32], blinding: [u8; BLINDING_LEN]) -> Option<Vec<u32>> {
        if !mont::cmp(m, self.n.value()).is_lt() {
            return None;
        }
        let (bp, bq) = blinding.split_at(BLINDING_LEN / 2);
        let s1 = crt_half(&self.p, m, &self.dp, bp);
        let s2 = crt_half(&self.q, m, &self.dq, bq);
        // h = (s1 - s2) q^-1 mod p; s = s2 + q h.
        let p = &self.p;
        let s2_mod_p = p.to_normal(&p.to_montgomery(&s2));
        let mut diff = vec![0u32; p.value().len()];
        if mont::sub_into(&mut diff, &s1, &s2_mod_p) == 1 {
            let wrapped = diff.clone();
            mont::add_into(&mut diff, &wrapped, p.value());
        }
        let h = p.mul(&p.to_montgomery(&diff), &pad(&self.q_inv, p.value().len()));
        let qh = mont::mul_plain(self.q.value(), &h);
        let mut s = vec![0u32; qh.len() + 1];
        mont::add_into(&mut s, &qh, &s2);
        mont::trim(&mut s);
        (self.public(&s)? == pad(m, self.n.value().len())).then_some(s)
    }

    /// `s^e mod n` (the exponent is public: plain square-and-multiply); `None` if `s >= n`.
    fn public(&self, s: &[u32]) -> Option<Vec<u32>> {
        let n = &self.n;
        if !mont::cmp(s, n.value()).is_lt() {
            return None;
        }
        let base = n.to_montgomery(s);
        let mut acc = base.clone();
        let e = &self.e;
        for bit in (0..mont::bits(e) - 1).rev() {
            acc = n.mul(&acc, &acc);
            if (e[bit / 32] >> (bit % 32)) & 1 == 1 {
                acc = n.mul(&acc, &base);
            }
        }
        Some(n.to_normal(&acc))
    }
}

/// `m^d mod p` with the exponent blinded as `d + r(p-1)`, `r` from `random`.
fn crt_half(p: &Modulus, m: &[u32], d: &[u32], random: &[u8]) -> Vec<u32> {
    let r = mont::from_be_bytes(random);
    let mut exp = mont::mul_plain(&minus_one(p), &r);
    let blinded = exp.clone();
    exp.push(0);
    mont::add_into(&mut exp, &blinded, d);
    mont::trim(&mut exp);
    p.to_normal(&p.pow(&p.to_montgomery(m), &exp))
}

/// `p - 1` for an odd modulus: bit 0 cleared.
fn minus_one(p: &Modulus) -> Vec<u32> {
    let mut out = p.value().to_vec();
    out[0] &= !1;
    out
}

/// `x` with zero limbs added up to `len` limbs.
fn pad(x: &[u32], len: usize) -> Vec<u32> {
    let mut out = x.to_vec();
    out.resize(len.max(x.len()), 0);
    out
}
