//! A small JSON tree with JavaScript's semantics, for the places that inspect values rather
//! than copy them (the `_bulk` response, a `customer` object to extend, an unusual `_id`).

use super::clean::MAX_DEPTH;
use super::number::{parse_number, write_js_number, write_number};
use super::reader::{Reader, Start};
use super::string::{decode_token, write_escaped};
use super::tag::{NAN, UNDEFINED};
use super::{is_index_key, property_order};
use crate::{Error, ErrorKind, Result};

/// A JSON value. Strings are WTF-8 (they may hold lone surrogates, as JavaScript strings can).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// `undefined`, from text written from a JavaScript value (see [`super::tag`]); NaN, from
    /// there too, is a [`Value::Number`].
    Undefined,
    Bool(bool),
    Number(f64),
    String(Vec<u8>),
    Array(Vec<Value>),
    Object(Object),
}

/// An object's properties in JavaScript's order: index keys ascending, then insertion order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object {
    entries: Vec<(Vec<u8>, Value)>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// The properties in order.
    pub fn entries(&self) -> &[(Vec<u8>, Value)] {
        &self.entries
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key` as JavaScript's `obj[key] = value` does (a data property; `__proto__` is the
    /// caller's concern): an existing key keeps its place.
    pub fn set(&mut self, key: Vec<u8>, value: Value) {
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else if is_index_key(&key) {
            let n = super::index_value(&key);
            let at = self.entries.iter().position(|(k, _)| !is_index_key(k) || super::index_value(k) > n).unwrap_or(self.entries.len());
            self.entries.insert(at, (key, value));
        } else {
            self.entries.push((key, value));
        }
    }

    /// An object from properties set in the order given (later settings of a key win).
    pub fn from_settings(settings: Vec<(Vec<u8>, Value)>) -> Self {
        let keys: Vec<&[u8]> = settings.iter().map(|(k, _)| k.as_slice()).collect();
        let order = property_order(&keys);
        if order.len() == settings.len() && order.iter().enumerate().all(|(i, &j)| i == j) {
            return Object { entries: settings };
        }
        let mut slots: Vec<Option<(Vec<u8>, Value)>> = settings.into_iter().map(Some).collect();
        Object { entries: order.into_iter().filter_map(|i| slots[i].take()).collect() }
    }
}

impl Value {
    /// Parses `text` as `JSON.parse` does.
    pub fn parse(text: &[u8]) -> Result<Value> {
        let mut r = Reader::new(text);
        let v = read(&mut r, 0)?;
        r.finish()?;
        Ok(v)
    }

    /// Reads one value at `r`.
    pub fn read(r: &mut Reader) -> Result<Value> {
        read(r, 0)
    }

    /// Appends the value as `JSON.stringify` writes it.
    pub fn write(&self, out: &mut Vec<u8>) {
        self.write_as(out, false);
    }

    /// JSON text of this value with nothing lost: infinities as `1e999` (which `JSON.parse` reads
    /// as `Infinity`), `undefined` and NaN as their tags (see [`super::tag`]). For reading again
    /// here, or for JavaScript after [`super::tag::untag`].
    pub fn to_transfer_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_as(&mut out, true);
        out
    }

    fn write_as(&self, out: &mut Vec<u8>, transfer: bool) {
        match self {
            Value::Number(n) if transfer && n.is_infinite() => out.extend_from_slice(if *n > 0.0 { b"1e999" } else { b"-1e999" }),
            Value::Number(n) if transfer && n.is_nan() => out.extend_from_slice(NAN),
            Value::Undefined if transfer => out.extend_from_slice(UNDEFINED),
            // JSON.stringify prints undefined as null in an array (members holding it are left out).
            Value::Null | Value::Undefined => out.extend_from_slice(b"null"),
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Number(n) => write_number(out, *n),
            Value::String(s) => write_escaped(out, s),
            Value::Array(items) => {
                out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    v.write_as(out, transfer);
                }
                out.push(b']');
            }
            Value::Object(o) => {
                out.push(b'{');
                let mut first = true;
                for (k, v) in &o.entries {
                    if *v == Value::Undefined && !transfer {
                        continue;
                    }
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    write_escaped(out, k);
                    out.push(b':');
                    v.write_as(out, transfer);
                }
                out.push(b'}');
            }
        }
    }

    /// `JSON.stringify(value)` as bytes.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    /// The original's `clean()`: `null` and `""` members and elements dropped at every depth,
    /// `__proto__` members too (assigning one sets a prototype, not a property).
    pub fn cleaned(&self) -> Value {
        let kept = |v: &Value| !matches!(v, Value::Null | Value::Undefined) && *v != Value::String(Vec::new());
        match self {
            Value::Array(items) => Value::Array(items.iter().filter(|v| kept(v)).map(Value::cleaned).collect()),
            Value::Object(o) => Value::Object(Object {
                entries: o.entries.iter().filter(|(k, v)| kept(v) && k != b"__proto__").map(|(k, v)| (k.clone(), v.cleaned())).collect(),
            }),
            other => other.clone(),
        }
    }

    /// JavaScript truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null | Value::Undefined => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::Array(_) | Value::Object(_) => true,
        }
    }

    /// JavaScript's `String(value)` (WTF-8).
    pub fn to_js_string(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_js_string(&mut out);
        out
    }

    fn write_js_string(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Undefined => out.extend_from_slice(b"undefined"),
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Number(n) => write_js_number(out, *n),
            Value::String(s) => out.extend_from_slice(s),
            Value::Object(_) => out.extend_from_slice(b"[object Object]"),
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    // Array.prototype.join leaves null and undefined out.
                    if !matches!(v, Value::Null | Value::Undefined) {
                        v.write_js_string(out);
                    }
                }
            }
        }
    }

    /// JavaScript's `Number(value)`.
    pub fn to_js_number(&self) -> f64 {
        match self {
            Value::Null => 0.0,
            Value::Undefined => f64::NAN,
            Value::Bool(b) => *b as u8 as f64,
            Value::Number(n) => *n,
            Value::String(s) => string_to_number(s),
            Value::Array(_) => string_to_number(&self.to_js_string()),
            Value::Object(_) => f64::NAN,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
}

fn read(r: &mut Reader, depth: usize) -> Result<Value> {
    Ok(match r.start()? {
        Start::Null => {
            r.literal(b"null")?;
            Value::Null
        }
        Start::True => {
            r.literal(b"true")?;
            Value::Bool(true)
        }
        Start::False => {
            r.literal(b"false")?;
            Value::Bool(false)
        }
        Start::Undefined => {
            r.undefined()?;
            Value::Undefined
        }
        Start::Number => Value::Number(parse_number(r.number()?)),
        Start::String => {
            let mut s = Vec::new();
            r.pos = decode_token(&mut s, r.bytes, r.pos)?;
            Value::String(s)
        }
        Start::Array => {
            too_deep(depth)?;
            let mut items = Vec::new();
            if !r.open(b'[', b']')? {
                loop {
                    items.push(read(r, depth + 1)?);
                    if !r.next_or_close(b']')? {
                        break;
                    }
                }
            }
            Value::Array(items)
        }
        Start::Object => {
            too_deep(depth)?;
            let mut settings = Vec::new();
            if !r.open(b'{', b'}')? {
                loop {
                    let token = r.member_key()?;
                    let mut key = Vec::new();
                    decode_token(&mut key, token, 0)?;
                    settings.push((key, read(r, depth + 1)?));
                    if !r.next_or_close(b'}')? {
                        break;
                    }
                }
            }
            Value::Object(Object::from_settings(settings))
        }
    })
}

fn too_deep(depth: usize) -> Result<()> {
    if depth >= MAX_DEPTH {
        return Err(Error::new(ErrorKind::InvalidJson, format!("a value is nested more than {MAX_DEPTH} levels deep")));
    }
    Ok(())
}

/// JavaScript's StringToNumber: trimmed; empty is 0; decimal, `Infinity`, or 0x/0o/0b integers.
fn string_to_number(s: &[u8]) -> f64 {
    let t = super::string::js_trim(s);
    let Ok(t) = std::str::from_utf8(t) else { return f64::NAN };
    if t.is_empty() {
        return 0.0;
    }
    let radix = match t.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 10,
    };
    if radix != 10 {
        let digits = &t[2..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |acc, c| acc * radix as f64 + c.to_digit(radix).unwrap_or(0) as f64);
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned == "Infinity" {
        return if t.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
    }
    let valid = !unsigned.is_empty()
        && unsigned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && unsigned.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.');
    if !valid {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        String::from_utf8(Value::parse(text.as_bytes()).unwrap().to_json()).unwrap()
    }

    #[test]
    fn parses_and_writes_as_javascript() {
        let cases = [
            (r#"{"b":1,"a":2,"1":3,"0":4}"#, r#"{"0":4,"1":3,"b":1,"a":2}"#),
            (r#"{"a":1,"b":2,"a":3}"#, r#"{"a":3,"b":2}"#),
            (r#"[1.0,-0,1e21,"\ud800",null]"#, r#"[1,0,1e+21,"\ud800",null]"#),
            (r#"{"__proto__":1}"#, r#"{"__proto__":1}"#),
        ];
        for (input, expected) in cases {
            assert_eq!(round_trip(input), expected, "{input}");
        }
    }

    #[test]
    fn converts_as_javascript() {
        let v = |t: &str| Value::parse(t.as_bytes()).unwrap();
        assert_eq!(v("[1,[2,3],null,\"x\"]").to_js_string(), b"1,2,3,,x");
        assert_eq!(v("{\"a\":1}").to_js_string(), b"[object Object]");
        assert_eq!(v("12.50").to_js_string(), b"12.5");
        let numbers = [("\"500\"", 500.0), ("\" 0x1F \"", 31.0), ("\"\"", 0.0), ("true", 1.0), ("[409]", 409.0), ("null", 0.0)];
        for (t, n) in numbers {
            assert_eq!(v(t).to_js_number(), n, "{t}");
        }
        for t in ["\"abc\"", "{}", "[1,2]", "\"1e\"", "\"--1\""] {
            assert!(v(t).to_js_number().is_nan(), "{t}");
        }
        assert!(!v("0").truthy() && !v("\"\"").truthy() && v("[]").truthy() && v("\"0\"").truthy());
    }

    #[test]
    fn reads_undefined_and_nan_as_javascript_has_them() {
        let v = |js: &str| Value::parse(&crate::json::tag::read_js_text(js.as_bytes()).unwrap()).unwrap();
        let doc = v(r#"{"a":undefined,"n":NaN,"l":[undefined,NaN,1],"o":{"u":undefined}}"#);
        // JSON.stringify: undefined members left out, undefined elements and NaN as null.
        assert_eq!(String::from_utf8(doc.to_json()).unwrap(), r#"{"n":null,"l":[null,null,1],"o":{}}"#);
        // The original's clean(): undefined dropped, NaN kept.
        assert_eq!(String::from_utf8(doc.cleaned().to_json()).unwrap(), r#"{"n":null,"l":[null,1],"o":{}}"#);
        // Read back as they were.
        assert_eq!(Value::parse(&doc.to_transfer_json()).unwrap().to_transfer_json(), doc.to_transfer_json());
        assert!(!v("NaN").truthy() && !v("undefined").truthy());
        assert_eq!(v("NaN").to_js_string(), b"NaN");
        assert_eq!(v("undefined").to_js_string(), b"undefined");
        assert_eq!(v("[undefined,NaN,null,1]").to_js_string(), b",NaN,,1");
        assert!(v("undefined").to_js_number().is_nan());
    }

    #[test]
    fn sets_properties_in_javascript_order() {
        let mut o = Object::new();
        o.set(b"b".to_vec(), Value::Null);
        o.set(b"7".to_vec(), Value::Null);
        o.set(b"2".to_vec(), Value::Null);
        o.set(b"b".to_vec(), Value::Bool(true));
        let keys: Vec<&[u8]> = o.entries().iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [b"2".as_slice(), b"7", b"b"]);
        assert_eq!(o.get(b"b"), Some(&Value::Bool(true)));
    }
}
