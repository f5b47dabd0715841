//! Numbers as JavaScript prints them (ECMAScript `Number::toString`, radix 10).

use super::tag::NAN;

/// Appends `v` as `JSON.stringify` prints a number: `1` not `1.0`, `1e+21`, `5e-7`, `-0` as `0`,
/// and `null` for the infinities and NaN.
pub fn write_number(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    write_js_number(out, v);
}

/// Appends `v` as JavaScript's `String(v)` prints it (`Infinity`, `NaN`, `-0` as `0`): ECMAScript's
/// Number::toString, from `ryu_js`.
pub fn write_js_number(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(ryu_js::Buffer::new().format(v).as_bytes());
}

/// Appends the number written as the JSON literal `lit` (already validated) as `JSON.stringify`
/// would print `JSON.parse(lit)`.
///
/// A literal with at most 15 significant digits (nearly all of them) is rewritten from its own
/// digits: any such decimal is the shortest one that reads back as its double, so it is what
/// ECMAScript prints. Longer ones go through the double.
pub fn write_number_literal(out: &mut Vec<u8>, lit: &[u8]) {
    match Decimal::read(lit) {
        Some(d) => d.write(out),
        None => write_number(out, parse_number(lit)),
    }
}

/// The double nearest to the JSON number literal `lit` (already validated), as `JSON.parse` reads
/// it; NaN for the `NaN` tag (see [`super::tag`]).
pub fn parse_number(lit: &[u8]) -> f64 {
    std::str::from_utf8(lit).ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN)
}

/// A decimal `±0.d1d2…dk × 10^n` with 0 to 15 significant digits (no leading or trailing zero).
struct Decimal {
    negative: bool,
    digits: [u8; 15],
    k: usize,
    n: i32,
}

impl Decimal {
    /// Reads a validated JSON number literal; `None` when it has more than 15 significant
    /// digits or an exponent far enough out that the double may not be normal.
    fn read(lit: &[u8]) -> Option<Self> {
        if lit == NAN {
            return None;
        }
        let negative = lit.first() == Some(&b'-');
        let body = if negative { &lit[1..] } else { lit };
        let mantissa_end = body.iter().position(|&b| b == b'e' || b == b'E').unwrap_or(body.len());
        let exp: i32 = if mantissa_end < body.len() {
            let e = std::str::from_utf8(&body[mantissa_end + 1..]).ok()?;
            if e.trim_start_matches(['+', '-']).len() > 4 {
                return None;
            }
            e.parse().ok()?
        } else {
            0
        };
        let mantissa = &body[..mantissa_end];
        let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
            Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
            None => (mantissa, &mantissa[..0]),
        };
        let int = &int[int.iter().take_while(|&&b| b == b'0').count()..];
        // The significant digits are `int` then `frac`, or `frac` without its leading zeros.
        let (first, second, n) = if int.is_empty() {
            let z = frac.iter().take_while(|&&b| b == b'0').count();
            (&frac[z..], &frac[..0], exp - z as i32)
        } else {
            (int, frac, exp + int.len() as i32)
        };
        let total = first.len() + second.len();
        let trailing = second.iter().rev().take_while(|&&b| b == b'0').count();
        let trailing = if trailing == second.len() { trailing + first.iter().rev().take_while(|&&b| b == b'0').count() } else { trailing };
        let k = total - trailing;
        if k > 15 {
            return None;
        }
        let mut digits = [0u8; 15];
        for (slot, &d) in digits.iter_mut().zip(first.iter().chain(second.iter())).take(k) {
            *slot = d;
        }
        if k > 0 && !(-290..=290).contains(&n) {
            return None;
        }
        Some(Decimal { negative, digits, k, n })
    }

    /// Writes the number as ECMAScript's Number::toString does.
    fn write(&self, out: &mut Vec<u8>) {
        if self.k == 0 {
            out.push(b'0');
        } else {
            write_digits(out, self.negative, &self.digits[..self.k], self.n);
        }
    }
}

/// Writes `±0.digits × 10^n` in ECMAScript's Number::toString form.
fn write_digits(out: &mut Vec<u8>, negative: bool, digits: &[u8], n: i32) {
    let k = digits.len() as i32;
    if negative {
        out.push(b'-');
    }
    if k <= n && n <= 21 {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.extend_from_slice(&digits[..n as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-n) as usize));
        out.extend_from_slice(digits);
    } else {
        out.push(digits[0]);
        if k > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let e = n - 1;
        out.extend_from_slice(if e < 0 { b"e-" } else { b"e+" });
        write_integer(out, e.abs() as i64);
    }
}

fn write_integer(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(v: f64) -> String {
        let mut out = Vec::new();
        write_number(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    fn lit(s: &str) -> String {
        let mut out = Vec::new();
        write_number_literal(&mut out, s.as_bytes());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn prints_numbers_as_javascript_does() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (-0.0, "0"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (5e-7, "5e-7"),
            (1e-6, "0.000001"),
            (5e-324, "5e-324"),
            (9007199254740993.0, "9007199254740992"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123.456, "123.456"),
            (-1.5e-10, "-1.5e-10"),
            (1e15, "1000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (f64::INFINITY, "null"),
            (f64::NAN, "null"),
            // What V8's String(n) prints at the edges of each form.
            (1e-6 * 1.5, "0.0000015"),
            (1.5e-7, "1.5e-7"),
            (2f64.powi(53), "9007199254740992"),
            (2f64.powi(70), "1.1805916207174113e+21"),
            (999999999999999900000.0, "999999999999999900000"),
            (-5e-324, "-5e-324"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.3333333333333333"),
            (100.0 / 3.0, "33.333333333333336"),
            (4.35, "4.35"),
            (-1e300 * 10.0, "-1e+301"),
        ];
        for (v, expected) in cases {
            assert_eq!(js(*v), *expected, "{v}");
        }
        let string = |v: f64| {
            let mut out = Vec::new();
            write_js_number(&mut out, v);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            [string(f64::NAN), string(f64::INFINITY), string(f64::NEG_INFINITY), string(-0.0)],
            ["NaN", "Infinity", "-Infinity", "0"]
        );
    }

    #[test]
    fn literals_print_as_json_parse_then_stringify() {
        let cases = [
            ("1.0", "1"),
            ("-0", "0"),
            ("0", "0"),
            ("42", "42"),
            ("-17", "-17"),
            ("1E3", "1000"),
            ("9007199254740993", "9007199254740992"),
            ("123456789012345", "123456789012345"),
            ("1e400", "null"),
            ("-1e400", "null"),
            ("0.1", "0.1"),
            ("1e-7", "1e-7"),
            ("0.10", "0.1"),
            ("100", "100"),
            ("-100.00", "-100"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("1.5e300", "1.5e+300"),
            ("123.456e2", "12345.6"),
            ("0e10", "0"),
            ("-0.0", "0"),
            ("00.5", "0.5"),
            ("1e21", "1e+21"),
            ("10e20", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("0.30000000000000004", "0.30000000000000004"),
            ("123456789012345678", "123456789012345680"),
            ("5e-324", "5e-324"),
            ("1e-400", "0"),
            ("0.001e-3", "0.000001"),
            ("12e-1", "1.2"),
            ("1e999", "null"),
        ];
        for (input, expected) in cases {
            assert_eq!(lit(input), expected, "{input}");
        }
        // The NaN tag: a number that prints as null.
        let mut out = Vec::new();
        write_number_literal(&mut out, NAN);
        assert_eq!(out, b"null");
        assert!(parse_number(NAN).is_nan());
    }

    #[test]
    fn literal_rewriting_agrees_with_the_double() {
        // Random literals of every shape: the digit rewrite must print what the double prints.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..100_000 {
            let mut lit = String::new();
            if next(2) == 0 {
                lit.push('-');
            }
            let int_len = 1 + next(12) as usize;
            let zero_int = next(4) == 0;
            for i in 0..int_len {
                let d = if zero_int {
                    0
                } else if i == 0 {
                    1 + next(9)
                } else {
                    next(10)
                };
                lit.push(char::from(b'0' + d as u8));
                if zero_int {
                    break;
                }
            }
            if next(2) == 0 {
                lit.push('.');
                for _ in 0..1 + next(10) {
                    lit.push(char::from(b'0' + next(10) as u8));
                }
            }
            if next(3) == 0 {
                lit.push(if next(2) == 0 { 'e' } else { 'E' });
                match next(3) {
                    0 => lit.push('-'),
                    1 => lit.push('+'),
                    _ => {}
                }
                lit += &next(330).to_string();
            }
            let mut expected = Vec::new();
            write_number(&mut expected, parse_number(lit.as_bytes()));
            assert_eq!(super::tests::lit(&lit), String::from_utf8(expected).unwrap(), "{lit}");
        }
    }
}
