//! `@timestamp`: `new Date(value).toISOString()` for the values a query response holds.
//!
//! Strings are read in the ISO-8601 forms `Date` accepts (`2025-11-19`, `2025-11-19T10:00`,
//! `…:00.1234567Z`, `…+02:00`, `±YYYYYY` years); extra fraction digits are truncated, as
//! JavaScript does. A date-time without an offset is read as UTC (JavaScript would use the
//! server's local time zone; Node-RED servers and this package assume UTC). Other texts are
//! invalid here, where JavaScript's legacy parser might accept some of them.

use crate::json::value::Value;

const MS_PER_DAY: i64 = 86_400_000;
const MAX_TIME: f64 = 8.64e15;

/// The time value (ms since the epoch) `new Date(value)` gives, or `None` for an invalid date.
pub fn time_value(value: &Value) -> Option<f64> {
    match value {
        Value::String(s) => parse_iso(s),
        Value::Array(_) => parse_iso(&value.to_js_string()),
        Value::Object(_) => None,
        other => time_clip(other.to_js_number()),
    }
}

/// `Date.prototype.toISOString()` of a valid time value: `YYYY-MM-DDTHH:mm:ss.sssZ`, with a
/// six-digit signed year outside 0000–9999.
pub fn to_iso(t: f64) -> String {
    let t = t as i64;
    let days = t.div_euclid(MS_PER_DAY);
    let ms = t.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let mut out = Vec::with_capacity(27);
    if (0..=9999).contains(&y) {
        digits(&mut out, y, 4);
    } else {
        out.push(if y < 0 { b'-' } else { b'+' });
        digits(&mut out, y.abs(), 6);
    }
    for (sep, value, width) in [
        (b'-', m, 2),
        (b'-', d, 2),
        (b'T', ms / 3_600_000, 2),
        (b':', ms / 60_000 % 60, 2),
        (b':', ms / 1000 % 60, 2),
        (b'.', ms % 1000, 3),
    ] {
        out.push(sep);
        digits(&mut out, value, width);
    }
    out.push(b'Z');
    String::from_utf8(out).unwrap_or_default()
}

/// `new Date(s).toISOString()` of a string, or `None` for an invalid date: `to_iso(parse_iso(s))`,
/// with a shortcut for the form the query API writes (`2025-11-19T10:00:00.1234567Z`, 1 to 9
/// fraction digits or none, a day within its month so that none rolls over), whose ISO string is its
/// first 19 characters and its milliseconds (the fraction truncated to 3 digits).
#[cfg(test)]
pub fn iso_of_text(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(24);
    write_iso_of_text(&mut out, s).then(|| String::from_utf8(out).unwrap_or_default())
}

/// Appends [`iso_of_text`] of `s` to `out`; false, having written nothing, for an invalid date.
pub fn write_iso_of_text(out: &mut Vec<u8>, s: &[u8]) -> bool {
    if iso_shortcut(out, s) {
        debug_assert_eq!(Some(&out[out.len() - 24..]), parse_iso(s).map(to_iso).as_ref().map(|t| t.as_bytes()));
        return true;
    }
    match parse_iso(s) {
        Some(t) => {
            out.extend_from_slice(to_iso(t).as_bytes());
            true
        }
        None => false,
    }
}

fn iso_shortcut(out: &mut Vec<u8>, s: &[u8]) -> bool {
    let (Some(head), Some((&b'Z', rest))) = (s.first_chunk::<19>(), s.get(19..).and_then(<[u8]>::split_last)) else {
        return false;
    };
    let fraction = match rest {
        [] => &[][..],
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) && digits.iter().fold(true, |ok, d| ok & d.is_ascii_digit()) => digits,
        _ => return false,
    };
    // Each digit's value, the separators compared: every byte looked at, without a branch.
    const SHAPE: &[u8; 19] = b"0000-00-00T00:00:00";
    let mut value = [0u8; 19];
    let mut bad = false;
    for i in 0..19 {
        let d = head[i].wrapping_sub(b'0');
        bad |= if SHAPE[i] == b'0' { d > 9 } else { head[i] != SHAPE[i] };
        value[i] = d;
    }
    if bad {
        return false;
    }
    let n = |at: usize, len: usize| value[at..at + len].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d));
    let [y, m, d, h, min, sec] = [n(0, 4), n(5, 2), n(8, 2), n(11, 2), n(14, 2), n(17, 2)];
    // A day within its month, so that none rolls over.
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match m {
        2 => 28 + u32::from(leap),
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if y < 1970 || !(1..=12).contains(&m) || !(1..=month_days).contains(&d) || h > 23 || min > 59 || sec > 59 {
        return false;
    }
    let mut iso = *b"0000-00-00T00:00:00.000Z";
    iso[..19].copy_from_slice(head);
    iso[20..20 + fraction.len().min(3)].copy_from_slice(&fraction[..fraction.len().min(3)]);
    out.extend_from_slice(&iso);
    true
}

/// Appends `value` (non-negative) with at least `width` digits.
fn digits(out: &mut Vec<u8>, value: i64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut v = value;
    while v > 0 || buf.len() - i < width {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.extend_from_slice(&buf[i..]);
}

fn time_clip(t: f64) -> Option<f64> {
    if !t.is_finite() || t.abs() > MAX_TIME {
        return None;
    }
    Some(t.trunc() + 0.0)
}

/// Parses the ISO forms listed in the module docs: the time value of a string, as
/// [`time_value`] gives it for `Value::String(s)`.
pub fn parse_iso(s: &[u8]) -> Option<f64> {
    let mut p = Cursor { s, i: 0 };
    let year = match p.peek()? {
        b'+' | b'-' => {
            let neg = p.next() == Some(b'-');
            let y = p.digits(6)?;
            if neg && y == 0 {
                return None;
            }
            if neg {
                -y
            } else {
                y
            }
        }
        _ => p.digits(4)?,
    };
    let (mut month, mut day) = (1, 1);
    if p.eat(b'-') {
        month = p.digits(2)?;
        if p.eat(b'-') {
            day = p.digits(2)?;
        }
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut ms_of_day = 0i64;
    let mut offset_min = 0i64;
    if p.i < s.len() {
        if !(p.eat(b'T') || p.eat(b't') || (p.i == 10 && p.eat(b' '))) {
            return None;
        }
        let hour = p.digits(2)?;
        p.expect(b':')?;
        let minute = p.digits(2)?;
        let mut second = 0;
        let mut millis = 0;
        // V8 refuses 24:00 with any nonzero fraction digit, even one below a millisecond.
        let mut fraction_zero = true;
        if p.eat(b':') {
            second = p.digits(2)?;
            if p.eat(b'.') {
                let start = p.i;
                while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                    p.i += 1;
                }
                let frac = &s[start..p.i];
                if frac.is_empty() {
                    return None;
                }
                millis = fraction_millis(frac);
                fraction_zero = frac.iter().all(|&d| d == b'0');
            }
        }
        if hour > 24 || minute > 59 || second > 59 || (hour == 24 && ((minute, second) != (0, 0) || !fraction_zero)) {
            return None;
        }
        ms_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
        match p.next() {
            None => {}
            Some(b'Z' | b'z') => {}
            Some(sign @ (b'+' | b'-')) => {
                let h = p.digits(2)?;
                p.eat(b':');
                let m = p.digits(2)?;
                if h > 23 || m > 59 {
                    return None;
                }
                offset_min = (h * 60 + m) * if sign == b'-' { -1 } else { 1 };
            }
            Some(_) => return None,
        }
    }
    if p.i != s.len() {
        return None;
    }
    // Day overflow (2025-02-30) rolls into the next month, as JavaScript's parser does.
    let days = days_from_civil(year, month, 1) + day - 1;
    let t = days * MS_PER_DAY + ms_of_day - offset_min * 60_000;
    time_clip(t as f64)
}

/// Milliseconds from the fraction digits, as V8 reads them: at most 9 significant digits after
/// any leading zeros, scaled by the digit count capped at 9 (so more than 9 digits with leading
/// zeros read oddly, e.g. `.0123456789` as 123 ms, exactly as `new Date` does).
fn fraction_millis(frac: &[u8]) -> i64 {
    let significant = &frac[frac.iter().take_while(|&&d| d == b'0').count()..];
    let n = significant.iter().take(9).fold(0i64, |acc, &d| acc * 10 + (d - b'0') as i64);
    match frac.len().min(9) {
        1 => n * 100,
        2 => n * 10,
        len => n / 10i64.pow(len as u32 - 3),
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.i += b.is_some() as usize;
        b
    }
    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.i += hit as usize;
        hit
    }
    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }
    fn digits(&mut self, n: usize) -> Option<i64> {
        let d = self.s.get(self.i..self.i + n)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(d.iter().fold(0, |acc, &c| acc * 10 + (c - b'0') as i64))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        time_value(&Value::String(s.as_bytes().to_vec())).map(to_iso)
    }

    #[test]
    fn reads_dates_as_javascript() {
        // Expected values printed by Node.js: new Date(s).toISOString().
        let cases = [
            ("2025-11-19T10:00:00.1234567Z", Some("2025-11-19T10:00:00.123Z")),
            ("2025-11-19T10:00:00Z", Some("2025-11-19T10:00:00.000Z")),
            ("2025-11-19", Some("2025-11-19T00:00:00.000Z")),
            ("2025-11-19T10:00:00+02:00", Some("2025-11-19T08:00:00.000Z")),
            ("2025-11-19T10:00:00.123+0200", Some("2025-11-19T08:00:00.123Z")),
            ("2025-11-19T10:00", Some("2025-11-19T10:00:00.000Z")),
            ("2025-11-19T10:00:00.9999999Z", Some("2025-11-19T10:00:00.999Z")),
            ("2025-11-19T10:00:00.05Z", Some("2025-11-19T10:00:00.050Z")),
            ("2025-11-19T10:00:00.0123Z", Some("2025-11-19T10:00:00.012Z")),
            ("2025-11-19T10:00:00.0123456789Z", Some("2025-11-19T10:00:00.123Z")),
            ("2025-11-19T10:00:00.0000000001Z", Some("2025-11-19T10:00:00.000Z")),
            ("2025-11-19T10:00:00.12345678901Z", Some("2025-11-19T10:00:00.123Z")),
            ("2025-11-19t10:00:00z", Some("2025-11-19T10:00:00.000Z")),
            ("2025-11-19 10:00:00Z", Some("2025-11-19T10:00:00.000Z")),
            ("+002025-11-19T10:00:00Z", Some("2025-11-19T10:00:00.000Z")),
            ("2025-11-19T24:00:00Z", Some("2025-11-20T00:00:00.000Z")),
            ("2025-11-19T24:00:00.0000Z", Some("2025-11-20T00:00:00.000Z")),
            ("2025-11-19T24:00:00.0007", None),
            ("2025-11-19T24:00:00.0001Z", None),
            ("2025-02-30T00:00:00Z", Some("2025-03-02T00:00:00.000Z")),
            ("2025", Some("2025-01-01T00:00:00.000Z")),
            ("2025-11", Some("2025-11-01T00:00:00.000Z")),
            ("-000001-01-01T00:00:00Z", Some("-000001-01-01T00:00:00.000Z")),
            ("2025-11-19T10:00:00.Z", None),
            ("2025-11-19T10Z", None),
            ("  2025-11-19T10:00:00Z", None),
            ("2025-11-19T10:00:60Z", None),
            ("not a date", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(iso(input).as_deref(), expected, "{input}");
            // The shortcut for the query API's form gives what the general way gives.
            assert_eq!(iso_of_text(input.as_bytes()).as_deref(), expected, "{input}");
        }
        for input in ["2025-11-28T23:59:59.9Z", "1970-01-01T00:00:00Z", "2025-11-29T10:00:00.123Z", "2025-01-01T00:00:00.1234567890Z"] {
            assert_eq!(iso_of_text(input.as_bytes()), iso(input), "{input}");
        }
        // Every day of every month, the ends of months and leap days included, and days that do
        // not exist (the general way rolls them over or refuses them; the shortcut must not take them).
        for year in [1970, 1999, 2000, 2023, 2024, 2100, 2400] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let input = format!("{year:04}-{month:02}-{day:02}T23:59:59.9876543Z");
                    assert_eq!(iso_of_text(input.as_bytes()), iso(&input), "{input}");
                }
            }
        }
        // Any byte in any place of the date-time (digits where separators go, and the reverse).
        for at in 0..28 {
            for b in [b'0', b'5', b'9', b'-', b':', b'T', b't', b'.', b' ', b'/', b'Z', b'+', 0xff, 0x10] {
                let mut input = b"2024-02-29T10:20:30.1234567Z".to_vec();
                input[at] = b;
                let text = String::from_utf8_lossy(&input).into_owned();
                assert_eq!(iso_of_text(&input), iso(&text), "{text}");
            }
        }
    }

    #[test]
    fn reads_numbers_as_time_values() {
        let cases = [
            (Value::Number(8.64e15), Some("+275760-09-13T00:00:00.000Z")),
            (Value::Number(1.5), Some("1970-01-01T00:00:00.001Z")),
            (Value::Number(-1.5), Some("1969-12-31T23:59:59.999Z")),
            (Value::Number(8.64e15 + 1.0), None),
            (Value::Bool(true), Some("1970-01-01T00:00:00.001Z")),
        ];
        for (input, expected) in cases {
            assert_eq!(time_value(&input).map(to_iso).as_deref(), expected, "{input:?}");
        }
    }
}
