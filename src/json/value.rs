//! A small JSON tree with JavaScript's semantics, for the places that inspect values rather
//! than copy them (a `customer` object to extend, a date, an unusual `_id` or status).
//!
//! Reading, writing and dropping a tree are loops, not recursions: a value may nest up to
//! [`MAX_DEPTH`] levels, and the stack of the caller (a Node-RED runtime) may be nearly used up
//! already.

use super::clean::MAX_DEPTH;
use super::number::{parse_number, write_js_number, write_number};
use super::reader::{Reader, Start};
use super::string::{decode_token, write_escaped};
use super::tag::{NAN, UNDEFINED};
use super::{is_index_key, property_order};
use crate::{Error, ErrorKind, Result};

/// A JSON value. Strings are WTF-8 (they may hold lone surrogates, as JavaScript strings can).
#[derive(Debug, PartialEq)]
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
#[derive(Debug, Default, PartialEq)]
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
        let v = read(&mut r)?;
        r.finish()?;
        Ok(v)
    }

    /// Reads one value at `r`.
    pub fn read(r: &mut Reader) -> Result<Value> {
        read(r)
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
        // The containers being written, innermost last, with what is left of them.
        enum Open<'v> {
            Array(std::slice::Iter<'v, Value>, bool),
            Object(std::slice::Iter<'v, (Vec<u8>, Value)>, bool),
        }
        let mut open: Vec<Open> = Vec::new();
        let mut next = Some(self);
        loop {
            match next.take() {
                Some(Value::Array(items)) => {
                    out.push(b'[');
                    open.push(Open::Array(items.iter(), true));
                }
                Some(Value::Object(o)) => {
                    out.push(b'{');
                    open.push(Open::Object(o.entries.iter(), true));
                }
                Some(Value::Number(n)) if transfer && n.is_infinite() => out.extend_from_slice(if *n > 0.0 { b"1e999" } else { b"-1e999" }),
                Some(Value::Number(n)) if transfer && n.is_nan() => out.extend_from_slice(NAN),
                Some(Value::Undefined) if transfer => out.extend_from_slice(UNDEFINED),
                // JSON.stringify prints undefined as null in an array (members holding it are left out).
                Some(Value::Null | Value::Undefined) => out.extend_from_slice(b"null"),
                Some(Value::Bool(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
                Some(Value::Number(n)) => write_number(out, *n),
                Some(Value::String(s)) => write_escaped(out, s),
                None => {}
            }
            match open.last_mut() {
                None => return,
                Some(Open::Array(items, first)) => match items.next() {
                    Some(v) => {
                        if !std::mem::replace(first, false) {
                            out.push(b',');
                        }
                        next = Some(v);
                    }
                    None => {
                        out.push(b']');
                        open.pop();
                    }
                },
                Some(Open::Object(entries, first)) => match entries.next() {
                    Some((_, Value::Undefined)) if !transfer => {}
                    Some((k, v)) => {
                        if !std::mem::replace(first, false) {
                            out.push(b',');
                        }
                        write_escaped(out, k);
                        out.push(b':');
                        next = Some(v);
                    }
                    None => {
                        out.push(b'}');
                        open.pop();
                    }
                },
            }
        }
    }

    /// `JSON.stringify(value)` as bytes.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
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
        self.write_js_string(&mut out, false);
        out
    }

    /// `String(clean(value))` with the original's `clean()`, which drops the `null` and `""`
    /// elements of arrays at every depth (objects print `[object Object]` either way).
    pub fn to_cleaned_js_string(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_js_string(&mut out, true);
        out
    }

    fn write_js_string(&self, out: &mut Vec<u8>, cleaned: bool) {
        // The arrays being written, innermost last, and whether an element was written.
        let mut open: Vec<(std::slice::Iter<Value>, bool)> = Vec::new();
        let mut next = Some(self);
        loop {
            match next.take() {
                Some(Value::Array(items)) => open.push((items.iter(), true)),
                Some(Value::Null) => out.extend_from_slice(b"null"),
                Some(Value::Undefined) => out.extend_from_slice(b"undefined"),
                Some(Value::Bool(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
                Some(Value::Number(n)) => write_js_number(out, *n),
                Some(Value::String(s)) => out.extend_from_slice(s),
                Some(Value::Object(_)) => out.extend_from_slice(b"[object Object]"),
                None => {}
            }
            let Some((items, first)) = open.last_mut() else { return };
            match items.next() {
                // `clean()` drops null, undefined and "" elements; String() (Array.prototype.join)
                // prints null and undefined as nothing.
                Some(Value::Null | Value::Undefined) if cleaned => {}
                Some(v) if cleaned && *v == Value::String(Vec::new()) => {}
                Some(v) => {
                    if !std::mem::replace(first, false) {
                        out.push(b',');
                    }
                    if !matches!(v, Value::Null | Value::Undefined) {
                        next = Some(v);
                    }
                }
                None => {
                    open.pop();
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

/// Moves the children of `v` that have children of their own to `pending`, leaving `null` in
/// their place, so that dropping `v` does not recurse.
fn take_nested(v: &mut Value, pending: &mut Vec<Value>) {
    let nested = |c: &Value| match c {
        Value::Array(items) => !items.is_empty(),
        Value::Object(o) => !o.entries.is_empty(),
        _ => false,
    };
    match v {
        Value::Array(items) => pending.extend(items.iter_mut().filter(|c| nested(c)).map(|c| std::mem::replace(c, Value::Null))),
        Value::Object(o) => pending.extend(o.entries.iter_mut().filter(|(_, c)| nested(c)).map(|(_, c)| std::mem::replace(c, Value::Null))),
        _ => {}
    }
}

impl Drop for Value {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        take_nested(self, &mut pending);
        while let Some(mut v) = pending.pop() {
            take_nested(&mut v, &mut pending);
        }
    }
}

/// Reads one value at `r`, as `JSON.parse` does.
fn read(r: &mut Reader) -> Result<Value> {
    // The containers being read, innermost last (an object with the key of its current member).
    enum Open {
        Array(Vec<Value>),
        Object(Vec<(Vec<u8>, Value)>, Vec<u8>),
    }
    let key = |r: &mut Reader| -> Result<Vec<u8>> {
        let token = r.member_key()?;
        let mut key = Vec::new();
        decode_token(&mut key, token, 0)?;
        Ok(key)
    };
    let mut open: Vec<Open> = Vec::new();
    loop {
        let mut value = match r.start()? {
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
                too_deep(open.len())?;
                if !r.open(b'[', b']')? {
                    open.push(Open::Array(Vec::new()));
                    continue;
                }
                Value::Array(Vec::new())
            }
            Start::Object => {
                too_deep(open.len())?;
                if !r.open(b'{', b'}')? {
                    open.push(Open::Object(Vec::new(), key(r)?));
                    continue;
                }
                Value::Object(Object::new())
            }
        };
        // The value joins its container, and the containers that end here close.
        loop {
            match open.last_mut() {
                None => return Ok(value),
                Some(Open::Array(items)) => {
                    items.push(value);
                    if r.next_or_close(b']')? {
                        break;
                    }
                }
                Some(Open::Object(settings, pending)) => {
                    settings.push((std::mem::take(pending), value));
                    if r.next_or_close(b'}')? {
                        *pending = key(r)?;
                        break;
                    }
                }
            }
            value = match open.pop() {
                Some(Open::Array(items)) => Value::Array(items),
                Some(Open::Object(settings, _)) => Value::Object(Object::from_settings(settings)),
                None => unreachable!("a container was open"),
            };
        }
    }
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
        assert_eq!(v("[undefined,NaN,null,\"\",1]").to_cleaned_js_string(), b"NaN,1");
        // Read back as they were.
        assert_eq!(Value::parse(&doc.to_transfer_json()).unwrap().to_transfer_json(), doc.to_transfer_json());
        assert!(!v("NaN").truthy() && !v("undefined").truthy());
        assert_eq!(v("NaN").to_js_string(), b"NaN");
        assert_eq!(v("undefined").to_js_string(), b"undefined");
        assert_eq!(v("[undefined,NaN,null,1]").to_js_string(), b",NaN,,1");
        assert!(v("undefined").to_js_number().is_nan());
    }

    #[test]
    fn reads_writes_and_drops_deep_values_in_a_small_stack() {
        // Loops, not recursions: 64 KiB is far less than a frame per level would need.
        std::thread::Builder::new().stack_size(64 << 10).spawn(deep_values).unwrap().join().unwrap();
    }

    fn deep_values() {
        let arrays = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        let v = Value::parse(arrays.as_bytes()).unwrap();
        assert_eq!(v.to_json(), arrays.as_bytes());
        assert_eq!(v.to_js_string(), b"");
        drop(v);
        let half = MAX_DEPTH / 2;
        let mixed = "{\"a\":[1,".repeat(half) + "null" + &"]}".repeat(half);
        let v = Value::parse(mixed.as_bytes()).unwrap();
        assert_eq!(v.to_transfer_json(), mixed.as_bytes());
        drop(v);
        for deep in
            ["[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1), "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1)]
        {
            assert!(Value::parse(deep.as_bytes()).unwrap_err().message().contains("nested more than 2000 levels"));
        }
    }

    #[test]
    fn converts_arrays_to_strings_with_and_without_clean() {
        let v = Value::parse(br#"[[null,"",1],[2,null],"",{"a":null},1e400]"#).unwrap();
        assert_eq!(v.to_js_string(), b",,1,2,,,[object Object],Infinity");
        assert_eq!(v.to_cleaned_js_string(), b"1,2,[object Object],Infinity");
        assert_eq!(Value::parse(b"null").unwrap().to_cleaned_js_string(), b"null");
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
