//! Modular arithmetic for RSA signing: numbers as little-endian `u32` limbs, multiplied in
//! Montgomery form.
//!
//! WebAssembly has a 64-bit multiply but no 64×64→128 one, so 32-bit limbs with 64-bit products
//! are the fastest generic choice there. [`Modulus::mul`] multiplies and reduces in one pass
//! over the limbs (FIOS), and [`Modulus::pow`] is a fixed 5-bit window.
//!
//! The secret-dependent work has no secret-dependent branch or memory index: every window does
//! the same squarings and one multiplication, the window's table entry is picked by reading
//! all entries under a mask, and the final subtraction of a product is selected by mask too.
//! The exponent's length in limbs is the only thing the running time depends on.

/// Limbs of the largest modulus handled: 16,384 bits (the private key itself is capped lower).
pub(crate) const MAX_LIMBS: usize = 512;
/// The low 32 bits of a `u64`.
const LOW: u64 = 0xffff_ffff;
/// Bits per exponent window.
const WINDOW: usize = 5;

/// An odd modulus `m` of `k` limbs with its Montgomery constants; `R` is `2^(32k)`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Modulus {
    m: Vec<u32>,
    /// `-m^-1 mod 2^32`.
    m_inv: u32,
    /// `R mod m`: one in Montgomery form.
    one: Vec<u32>,
    /// `R^2 mod m`: turns a number into Montgomery form.
    r2: Vec<u32>,
}

impl Modulus {
    /// The constants for `m`, which must be odd, above 1, without leading zero limbs and at most
    /// [`MAX_LIMBS`] long; `None` otherwise.
    pub(crate) fn new(m: &[u32]) -> Option<Modulus> {
        let k = m.len();
        if k == 0 || k > MAX_LIMBS || m[0] & 1 == 0 || m[k - 1] == 0 || (k == 1 && m[0] == 1) {
            return None;
        }
        // Newton's iteration for m^-1 mod 2^32: each step doubles the correct low bits.
        let mut inv: u32 = 1;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(m[0].wrapping_mul(inv)));
        }
        // R mod m and R^2 mod m by doubling (once per key: no need for speed).
        let mut one = vec![0u32; k];
        one[0] = 1;
        for _ in 0..32 * k {
            double_mod(&mut one, m);
        }
        let mut r2 = one.clone();
        for _ in 0..32 * k {
            double_mod(&mut r2, m);
        }
        Some(Modulus { m: m.to_vec(), m_inv: inv.wrapping_neg(), one, r2 })
    }

    /// The modulus.
    pub(crate) fn value(&self) -> &[u32] {
        &self.m
    }

    /// `a·b·R^-1 mod m`, for `b < m` and any `a` of `k` limbs (then `a·b < R·m`).
    pub(crate) fn mul(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let k = self.m.len();
        let mut out = vec![0u32; k];
        self.mul_into(&mut out, a, b, &mut vec![0u32; k + 1]);
        out
    }

    /// [`Modulus::mul`] into `out`, with `scratch` of at least `k + 1` limbs.
    ///
    /// Each limb of `b` is multiplied in and reduced in the same pass over the limbs (FIOS),
    /// and two limbs of `b` share a pass: `t` is read and written once per four products.
    fn mul_into(&self, out: &mut [u32], a: &[u32], b: &[u32], scratch: &mut [u32]) {
        let k = self.m.len();
        let (m, a, b) = (&self.m[..k], &a[..k], &b[..k]);
        let t = &mut scratch[..k + 1];
        t.fill(0);
        let mut pairs = b.chunks_exact(2);
        for pair in &mut pairs {
            if k < 2 {
                break;
            }
            self.two_rows(t, a, pair[0] as u64, pair[1] as u64);
        }
        let rest = if k < 2 { b } else { pairs.remainder() };
        for &bi in rest {
            self.row(t, a, bi as u64);
        }
        final_subtract(out, &t[..k], t[k], m);
    }

    /// `t = (t + a·x + u·m) / 2^32` with `u` chosen to make the division exact.
    #[inline(always)]
    fn row(&self, t: &mut [u32], a: &[u32], x: u64) {
        let k = self.m.len();
        let m = &self.m[..k];
        let (u, mut c) = self.first_limb(t[0], a[0], x);
        for j in 1..k {
            t[j - 1] = limb(t[j], a[j], x, u, m[j], &mut c);
        }
        let s = t[k] as u64 + c.0 + c.1;
        t[k - 1] = s as u32;
        t[k] = (s >> 32) as u32;
    }

    /// [`Modulus::row`] for `x` then `y` in one pass (`k >= 2`): the second row works one limb
    /// behind the first, on the limb the first has just written, which never leaves a register.
    #[inline(always)]
    fn two_rows(&self, t: &mut [u32], a: &[u32], x: u64, y: u64) {
        let k = self.m.len();
        let m = &self.m[..k];
        let a = &a[..k];
        let (ux, mut c) = self.first_limb(t[0], a[0], x);
        let first = limb(t[1], a[1], x, ux, m[1], &mut c);
        let (uy, mut d) = self.first_limb(first, a[0], y);
        for j in 2..k {
            let written = limb(t[j], a[j], x, ux, m[j], &mut c);
            t[j - 2] = limb(written, a[j - 1], y, uy, m[j - 1], &mut d);
        }
        let s = t[k] as u64 + c.0 + c.1;
        t[k - 2] = limb(s as u32, a[k - 1], y, uy, m[k - 1], &mut d);
        let s = (s >> 32) + d.0 + d.1;
        t[k - 1] = s as u32;
        t[k] = (s >> 32) as u32;
    }

    /// Limb 0 of a row: picks `u` so that the limb becomes zero; returns `u` and the carries.
    #[inline(always)]
    fn first_limb(&self, t0: u32, a0: u32, x: u64) -> (u64, (u64, u64)) {
        let p = a0 as u64 * x + t0 as u64;
        let u = (p as u32).wrapping_mul(self.m_inv) as u64;
        let q = u * self.m[0] as u64 + (p & LOW);
        (u, (p >> 32, q >> 32))
    }

    /// `x·R mod m` (Montgomery form of `x mod m`) for any `x`, whatever its length.
    pub(crate) fn to_montgomery(&self, x: &[u32]) -> Vec<u32> {
        let k = self.m.len();
        // Horner over k-limb chunks from the top: acc·R = (acc_prev·R)·R + chunk·R.
        let mut acc = vec![0u32; k];
        let chunks = x.len().div_ceil(k).max(1);
        for c in (0..chunks).rev() {
            let mut chunk = vec![0u32; k];
            let start = c * k;
            let end = (start + k).min(x.len());
            if start < end {
                chunk[..end - start].copy_from_slice(&x[start..end]);
            }
            let shifted = self.mul(&acc, &self.r2);
            let part = self.mul(&chunk, &self.r2);
            acc = add_mod(&shifted, &part, &self.m);
        }
        acc
    }

    /// `x_m·R^-1 mod m`: the ordinary value of a number in Montgomery form.
    pub(crate) fn to_normal(&self, x_m: &[u32]) -> Vec<u32> {
        let mut unit = vec![0u32; self.m.len()];
        unit[0] = 1;
        self.mul(x_m, &unit)
    }

    /// `base^exp` in Montgomery form, for `base_m` in Montgomery form and `exp` as limbs.
    pub(crate) fn pow(&self, base_m: &[u32], exp: &[u32]) -> Vec<u32> {
        let k = self.m.len();
        let mut table = vec![0u32; k << WINDOW];
        table[..k].copy_from_slice(&self.one);
        table[k..2 * k].copy_from_slice(base_m);
        let mut scratch = vec![0u32; k + 1];
        for i in 2..1 << WINDOW {
            let (done, rest) = table.split_at_mut(i * k);
            self.mul_into(&mut rest[..k], &done[(i - 1) * k..], base_m, &mut scratch);
        }
        let bits = exp.len() * 32;
        let windows = bits.div_ceil(WINDOW);
        let mut acc = self.one.clone();
        let mut tmp = vec![0u32; k];
        let mut entry = vec![0u32; k];
        for w in (0..windows).rev() {
            if w + 1 != windows {
                for _ in 0..WINDOW {
                    self.mul_into(&mut tmp, &acc, &acc, &mut scratch);
                    std::mem::swap(&mut acc, &mut tmp);
                }
            }
            select(&mut entry, &table, window_bits(exp, w * WINDOW));
            self.mul_into(&mut tmp, &acc, &entry, &mut scratch);
            std::mem::swap(&mut acc, &mut tmp);
        }
        acc
    }
}

/// Limb `j` of a row: `t_j + a_j·x` and then `u·m_j` added with their carries `c`; returns the
/// new limb `j - 1`.
#[inline(always)]
fn limb(t_j: u32, a_j: u32, x: u64, u: u64, m_j: u32, c: &mut (u64, u64)) -> u32 {
    let p = a_j as u64 * x + t_j as u64 + c.0;
    c.0 = p >> 32;
    let q = u * m_j as u64 + (p & LOW) + c.1;
    c.1 = q >> 32;
    q as u32
}

/// `out = carry·R + t`, minus `m` when that is at least `m` (for `t < 2m`), chosen by mask.
fn final_subtract(out: &mut [u32], t: &[u32], carry: u32, m: &[u32]) {
    let mut borrow = 0u64;
    for ((o, &x), &y) in out.iter_mut().zip(t).zip(m) {
        let d = (x as u64).wrapping_sub(y as u64).wrapping_sub(borrow);
        *o = d as u32;
        borrow = (d >> 63) & 1;
    }
    // Keep t when it is below m: no carry limb and a borrow out of the subtraction.
    let keep = ((carry == 0) as u32 & borrow as u32).wrapping_neg();
    for (o, &x) in out.iter_mut().zip(t) {
        *o = (x & keep) | (*o & !keep);
    }
}

/// The `WINDOW` bits of `exp` from bit `at` up (bits past the end are zero).
fn window_bits(exp: &[u32], at: usize) -> usize {
    let mut v = 0usize;
    for i in 0..WINDOW {
        let bit = at + i;
        if let Some(limb) = exp.get(bit / 32) {
            v |= ((limb >> (bit % 32)) as usize & 1) << i;
        }
    }
    v
}

/// Copies entry `index` of `table` (entries of `out.len()` limbs) into `out`, reading every
/// entry, so that the memory accessed does not depend on `index`.
fn select(out: &mut [u32], table: &[u32], index: usize) {
    let k = out.len();
    out.fill(0);
    for (i, entry) in table.chunks_exact(k).enumerate() {
        let mask = ((i == index) as u32).wrapping_neg();
        for (o, &e) in out.iter_mut().zip(entry) {
            *o |= e & mask;
        }
    }
}

/// `(a + b) mod m` for `a, b < m`.
fn add_mod(a: &[u32], b: &[u32], m: &[u32]) -> Vec<u32> {
    let mut sum = vec![0u32; a.len()];
    let carry = add_into(&mut sum, a, b);
    sub_if_at_least(&mut sum, carry, m);
    sum
}

/// `x = 2x mod m` for `x < m`.
fn double_mod(x: &mut [u32], m: &[u32]) {
    let mut carry = 0u32;
    for limb in x.iter_mut() {
        let next = *limb >> 31;
        *limb = (*limb << 1) | carry;
        carry = next;
    }
    sub_if_at_least(x, carry, m);
}

/// Subtracts `m` from `carry·R + x` when that is at least `m` (the result is below `m` when
/// the input is below `2m`).
fn sub_if_at_least(x: &mut [u32], carry: u32, m: &[u32]) {
    let mut diff = vec![0u32; x.len()];
    let borrow = sub_into(&mut diff, x, m);
    let keep = ((carry == 0) as u32 & borrow).wrapping_neg();
    for (d, &v) in diff.iter_mut().zip(x.iter()) {
        *d = (v & keep) | (*d & !keep);
    }
    x.copy_from_slice(&diff);
}

/// `out = a + b` over `out.len()` limbs (missing limbs are zero); returns the carry.
pub(crate) fn add_into(out: &mut [u32], a: &[u32], b: &[u32]) -> u32 {
    let mut carry = 0u64;
    for (i, o) in out.iter_mut().enumerate() {
        let s = *a.get(i).unwrap_or(&0) as u64 + *b.get(i).unwrap_or(&0) as u64 + carry;
        *o = s as u32;
        carry = s >> 32;
    }
    carry as u32
}

/// `out = a - b` over `out.len()` limbs (missing limbs are zero); returns the borrow (0 or 1).
pub(crate) fn sub_into(out: &mut [u32], a: &[u32], b: &[u32]) -> u32 {
    let mut borrow = 0u64;
    for (i, o) in out.iter_mut().enumerate() {
        let d = (*a.get(i).unwrap_or(&0) as u64).wrapping_sub(*b.get(i).unwrap_or(&0) as u64).wrapping_sub(borrow);
        *o = d as u32;
        borrow = (d >> 63) & 1;
    }
    borrow as u32
}

/// `a mod m` (for `m > 0`) by binary long division, with the subtraction at each bit selected by
/// mask rather than branched on. Slow (one pass over `m` per bit of `a`): for checking a key.
pub(crate) fn rem(a: &[u32], m: &[u32]) -> Vec<u32> {
    let k = m.len();
    let mut r = vec![0u32; k + 1];
    let mut diff = vec![0u32; k + 1];
    for bit in (0..a.len() * 32).rev() {
        let mut carry = (a[bit / 32] >> (bit % 32)) & 1;
        for limb in r.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        let borrow = sub_into(&mut diff, &r, m);
        let keep = borrow.wrapping_neg();
        for (x, &d) in r.iter_mut().zip(diff.iter()) {
            *x = (*x & keep) | (d & !keep);
        }
    }
    r.truncate(k);
    r
}

/// `a·b` (schoolbook), `a.len() + b.len()` limbs.
pub(crate) fn mul_plain(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &ai) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &bj) in b.iter().enumerate() {
            let p = ai as u64 * bj as u64 + out[i + j] as u64 + carry;
            out[i + j] = p as u32;
            carry = p >> 32;
        }
        out[i + b.len()] = carry as u32;
    }
    out
}

/// Limbs of a big-endian unsigned integer, without leading zero limbs.
pub(crate) fn from_be_bytes(bytes: &[u8]) -> Vec<u32> {
    let mut limbs: Vec<u32> = bytes.rchunks(4).map(|c| c.iter().fold(0u32, |v, &b| (v << 8) | b as u32)).collect();
    trim(&mut limbs);
    limbs
}

/// The big-endian bytes of `x`, left-padded with zeros to `len` bytes; `None` if it needs more.
pub(crate) fn to_be_bytes(x: &[u32], len: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; len];
    for (i, &limb) in x.iter().enumerate() {
        for (b, byte) in limb.to_le_bytes().into_iter().enumerate() {
            let at = i * 4 + b;
            match at < len {
                true => out[len - 1 - at] = byte,
                false if byte != 0 => return None,
                false => {}
            }
        }
    }
    Some(out)
}

/// Drops leading (most significant) zero limbs.
pub(crate) fn trim(x: &mut Vec<u32>) {
    while x.last() == Some(&0) {
        x.pop();
    }
}

/// The number of significant bits of `x`.
pub(crate) fn bits(x: &[u32]) -> usize {
    match x.iter().rposition(|&l| l != 0) {
        Some(i) => i * 32 + 32 - x[i].leading_zeros() as usize,
        None => 0,
    }
}

/// Compares `a` and `b` as numbers (leading zero limbs allowed).
pub(crate) fn cmp(a: &[u32], b: &[u32]) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    for i in (0..len).rev() {
        let (x, y) = (*a.get(i).unwrap_or(&0), *b.get(i).unwrap_or(&0));
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64, for test numbers only.
    struct Numbers(u64);

    impl Numbers {
        fn limbs(&mut self, len: usize) -> Vec<u32> {
            (0..len)
                .map(|_| {
                    self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = self.0;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    (z ^ (z >> 31)) as u32
                })
                .collect()
        }

        /// An odd modulus of exactly `len` limbs; small top limbs now and then.
        fn modulus(&mut self, len: usize) -> Vec<u32> {
            let mut m = self.limbs(len);
            m[0] |= 1;
            if m[len - 1].is_multiple_of(3) {
                m[len - 1] >>= 28;
            }
            m[len - 1] = m[len - 1].max(1);
            if len == 1 {
                m[0] = m[0].max(3);
            }
            m
        }
    }

    /// `x` as exactly `len` limbs (it must fit).
    fn padded(mut x: Vec<u32>, len: usize) -> Vec<u32> {
        trim(&mut x);
        x.resize(len, 0);
        x
    }

    #[test]
    fn products_and_powers_equal_schoolbook_arithmetic() {
        let mut rng = Numbers(42);
        for k in (1..=9).chain(31..=34).chain([64, 65]) {
            for _ in 0..8 {
                let m = rng.modulus(k);
                let modulus = Modulus::new(&m).unwrap();
                let a = padded(rem(&rng.limbs(k + 3), &m), k);
                let b = padded(rem(&rng.limbs(k), &m), k);
                let (am, bm) = (modulus.to_montgomery(&a), modulus.to_montgomery(&b));
                let product = modulus.to_normal(&modulus.mul(&am, &bm));
                assert_eq!(product, padded(rem(&mul_plain(&a, &b), &m), k), "k = {k}");
                // a^e by repeated schoolbook multiplication, for a few small exponents.
                for e in [0u32, 1, 2, 3, 31, 32, 33, 65537] {
                    let mut expected = padded(vec![1], k);
                    for bit in (0..32).rev() {
                        expected = padded(rem(&mul_plain(&expected, &expected), &m), k);
                        if (e >> bit) & 1 == 1 {
                            expected = padded(rem(&mul_plain(&expected, &a), &m), k);
                        }
                    }
                    let power = modulus.to_normal(&modulus.pow(&am, &[e]));
                    assert_eq!(power, expected, "k = {k}, e = {e}");
                }
                // Reducing a long number equals the remainder.
                let long = rng.limbs(3 * k + 1);
                assert_eq!(modulus.to_normal(&modulus.to_montgomery(&long)), padded(rem(&long, &m), k));
            }
        }
    }

    #[test]
    fn moduli_that_montgomery_cannot_use_are_refused() {
        assert!(Modulus::new(&[]).is_none());
        assert!(Modulus::new(&[1]).is_none());
        assert!(Modulus::new(&[4, 1]).is_none());
        assert!(Modulus::new(&[3, 0]).is_none());
        assert!(Modulus::new(&vec![1; MAX_LIMBS + 1]).is_none());
        assert!(Modulus::new(&[3]).is_some());
    }

    #[test]
    fn byte_conversions_round_trip() {
        assert_eq!(from_be_bytes(&[0, 0, 1, 2, 3, 4, 5]), vec![0x0203_0405, 0x01]);
        assert_eq!(to_be_bytes(&[0x0203_0405, 0x01], 6).unwrap(), vec![0, 1, 2, 3, 4, 5]);
        assert!(to_be_bytes(&[0x0203_0405, 0x01], 4).is_none());
        assert_eq!(bits(&[0, 1]), 33);
        assert_eq!(bits(&[]), 0);
    }
}
