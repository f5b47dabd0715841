//! Numbers as JavaScript prints them (ECMAScript `Number::toString`, radix 10).

use std::io::Write;

/// Appends `v` as `JSON.stringify` prints a number: `1` not `1.0`, `1e+21`, `5e-7`, `-0` as `0`,
/// and `null` for the infinities and NaN.
pub fn write_number(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    write_js_number(out, v);
}

/// Appends `v` as JavaScript's `String(v)` prints it (`Infinity`, `NaN`, `-0` as `0`).
pub fn write_js_number(out: &mut Vec<u8>, v: f64) {
    if v.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if v == 0.0 {
        out.push(b'0');
        return;
    }
    if v.is_infinite() {
        out.extend_from_slice(if v > 0.0 { b"Infinity" } else { b"-Infinity" });
        return;
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Integers print as themselves; `as i64` is exact below 2^53.
        let _ = write!(out, "{}", v as i64);
        return;
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as ECMAScript requires.
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(|b| b.is_ascii_digit()).collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().unwrap_or(0) + 1;
    if v < 0.0 {
        out.push(b'-');
    }
    if k <= n && n <= 21 {
        out.extend_from_slice(&digits);
        out.extend(std::iter::repeat(b'0').take((n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.extend_from_slice(&digits[..n as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat(b'0').take((-n) as usize));
        out.extend_from_slice(&digits);
    } else {
        out.push(digits[0]);
        if k > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let e = n - 1;
        let _ = write!(out, "e{}{}", if e < 0 { '-' } else { '+' }, e.abs());
    }
}

/// Appends the number written as the JSON literal `lit` (already validated) as `JSON.stringify`
/// would print `JSON.parse(lit)`.
pub fn write_number_literal(out: &mut Vec<u8>, lit: &[u8]) {
    if is_canonical_integer(lit) {
        out.extend_from_slice(lit);
    } else {
        write_number(out, parse_number(lit));
    }
}

/// The double nearest to the JSON number literal `lit` (already validated), as `JSON.parse` reads it.
pub fn parse_number(lit: &[u8]) -> f64 {
    std::str::from_utf8(lit).ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN)
}

/// True when `lit` is an integer literal that JavaScript prints back unchanged: at most 15 digits
/// (so exactly representable), not `-0`.
fn is_canonical_integer(lit: &[u8]) -> bool {
    let digits = match lit.first() {
        Some(b'-') => &lit[1..],
        _ => lit,
    };
    !digits.is_empty()
        && digits.len() <= 15
        && digits.iter().all(u8::is_ascii_digit)
        && !(digits[0] == b'0' && (digits.len() > 1 || lit[0] == b'-'))
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
        ];
        for (v, expected) in cases {
            assert_eq!(js(*v), *expected, "{v}");
        }
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
        ];
        for (input, expected) in cases {
            assert_eq!(lit(input), expected, "{input}");
        }
    }
}
