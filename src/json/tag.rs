//! The two JavaScript values that JSON text cannot hold, `undefined` and `NaN`, carried through
//! the crate so that no JSON value can be taken for them.
//!
//! They reach the nodes only in objects made by JavaScript (a short row's missing cell is
//! `undefined`; a function node can set `NaN`), and the original flow treated them in its own
//! way: `clean()` dropped `undefined` and kept `NaN`, which `JSON.stringify` printed as `null`;
//! `NaN` is falsy, so a `NaN` `SystemAlertId` gave no `_id`.
//!
//! In: the JavaScript side (`node-red/lib/core.js`) writes such an object as JSON text with the
//! bare words `undefined` and `NaN` where the values are. No JSON text contains a bare word
//! other than `true`, `false` and `null`, so no string in the data, whatever it holds, can be
//! read as one of them. [`read_js_text`] turns the words into two-byte tags that start with
//! 0xFF, a byte that UTF-8 never contains: text from any other source (a response body) cannot
//! hold a tag either, and still fails on a bare `NaN` as `JSON.parse` does. The reader sees the
//! `undefined` tag as a value of its own and the `NaN` tag as a number, which the number
//! functions read as NaN and print as `null`.
//!
//! Out: [`untag`] turns a JSON text that may hold tags (rows, a `_bulk` response's parts) into
//! JSON text for `JSON.parse`, with `null` in place of each tag, and a side channel listing the
//! paths where they were, from which the JavaScript side puts `undefined` or `NaN` back.
//! Infinities need neither: `1e999` is JSON, and `JSON.parse` reads it as `Infinity`.

use super::reader::{syntax_error, Reader, Start};
use super::string::scan_token;
use crate::Result;

/// The tag for `undefined`.
pub const UNDEFINED: &[u8] = b"\xFFu";
/// The tag for `NaN`.
pub const NAN: &[u8] = b"\xFFn";

/// The same text with the bare words `undefined` and `NaN` outside strings (JSON text as the
/// JavaScript side writes it for an object holding those values) turned into tags. Strings and
/// everything else are copied as they are; whether the text is valid JSON is the reader's
/// concern, except that a bare word other than these and `true`, `false`, `null` is refused.
pub fn read_js_text(text: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'"' => {
                let (end, _) = scan_token(text, i)?;
                out.extend_from_slice(&text[i..end]);
                i = end;
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let end = i + text[i..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
                match &text[i..end] {
                    b"undefined" => out.extend_from_slice(UNDEFINED),
                    b"NaN" => out.extend_from_slice(NAN),
                    b"true" | b"false" | b"null" | b"e" | b"E" => out.extend_from_slice(&text[i..end]),
                    _ => return Err(syntax_error(text, i, "a JSON value, undefined or NaN")),
                }
                i = end;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// JSON text for `JSON.parse`, and where the tags were.
#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// The text with `null` in place of each tag.
    pub json: Vec<u8>,
    /// JSON text of an array with one entry per tag, in text order: the path from the top
    /// value to it (keys as strings, array indices as numbers), then `"undefined"` or `"NaN"`;
    /// `None` when the text held no tag. Keys are copied as written, so a key holding a lone
    /// surrogate names the same property once parsed. Each path names one value: tagged text
    /// comes from JavaScript objects, which cannot repeat a key.
    pub tags: Option<Vec<u8>>,
}

/// One step of a path: a member of an object (its key token) or an element of an array.
enum Step<'a> {
    Key(&'a [u8]),
    Index(usize),
}

/// Replaces the tags in `text` (a JSON value, valid but for the tags) with `null`, noting their
/// paths (see [`Untagged`]). Text without a tag is returned as it is.
pub fn untag(text: Vec<u8>) -> Result<Untagged> {
    if !text.contains(&0xFF) {
        return Ok(Untagged { json: text, tags: None });
    }
    let mut r = Reader::new(&text);
    let mut out = Vec::with_capacity(text.len() + 64);
    let mut tags = vec![b'['];
    // The open containers, innermost last, with the member or element being read.
    let mut path: Vec<Step> = Vec::new();
    loop {
        match r.start()? {
            Start::Object => {
                r.pos += 1;
                out.push(b'{');
                if r.peek() == Some(b'}') {
                    r.pos += 1;
                    out.push(b'}');
                } else {
                    let key = r.member_key()?;
                    write_member_key(&mut out, key);
                    path.push(Step::Key(key));
                    continue;
                }
            }
            Start::Array => {
                r.pos += 1;
                out.push(b'[');
                if r.peek() == Some(b']') {
                    r.pos += 1;
                    out.push(b']');
                } else {
                    path.push(Step::Index(0));
                    continue;
                }
            }
            Start::Undefined => {
                r.undefined()?;
                out.extend_from_slice(b"null");
                note(&mut tags, &path, b"undefined");
            }
            Start::Number => {
                let lit = r.number()?;
                if lit == NAN {
                    out.extend_from_slice(b"null");
                    note(&mut tags, &path, b"NaN");
                } else {
                    out.extend_from_slice(lit);
                }
            }
            Start::String => out.extend_from_slice(r.string_token()?),
            Start::True => copy_literal(&mut r, &mut out, b"true")?,
            Start::False => copy_literal(&mut r, &mut out, b"false")?,
            Start::Null => copy_literal(&mut r, &mut out, b"null")?,
        }
        // After a value: close what ends here, then move to the next member or element.
        loop {
            let Some(step) = path.last_mut() else {
                r.finish()?;
                tags.push(b']');
                return Ok(Untagged { json: out, tags: Some(tags) });
            };
            let close = if matches!(step, Step::Key(_)) { b'}' } else { b']' };
            if r.next_or_close(close)? {
                out.push(b',');
                match step {
                    Step::Index(i) => *i += 1,
                    Step::Key(k) => {
                        *k = r.member_key()?;
                        write_member_key(&mut out, k);
                    }
                }
                break;
            }
            out.push(close);
            path.pop();
        }
    }
}

fn write_member_key(out: &mut Vec<u8>, key: &[u8]) {
    out.extend_from_slice(key);
    out.push(b':');
}

fn copy_literal(r: &mut Reader, out: &mut Vec<u8>, word: &[u8]) -> Result<()> {
    r.literal(word)?;
    out.extend_from_slice(word);
    Ok(())
}

/// Appends `[...path, "kind"]` to the list of tags.
fn note(tags: &mut Vec<u8>, path: &[Step], kind: &[u8]) {
    if tags.len() > 1 {
        tags.push(b',');
    }
    tags.push(b'[');
    for step in path {
        match step {
            Step::Key(token) => tags.extend_from_slice(token),
            Step::Index(i) => tags.extend_from_slice(i.to_string().as_bytes()),
        }
        tags.push(b',');
    }
    tags.push(b'"');
    tags.extend_from_slice(kind);
    tags.extend_from_slice(b"\"]");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(js: &str) -> Vec<u8> {
        read_js_text(js.as_bytes()).unwrap()
    }

    #[test]
    fn reads_the_bare_words_outside_strings_only() {
        let cases: [(&str, &[u8]); 5] = [
            (r#"{"a":undefined,"b":NaN}"#, b"{\"a\":\xFFu,\"b\":\xFFn}"),
            (r#"["undefined","NaN",[undefined]]"#, b"[\"undefined\",\"NaN\",[\xFFu]]"),
            (r#"{"k\"undefined":1e999,"x":-1E+2,"t":[true,false,null]}"#, br#"{"k\"undefined":1e999,"x":-1E+2,"t":[true,false,null]}"#),
            // A string that spells the old in-band markers is only a string.
            (r#"["\u0000\u0001undefined","\u0000\u0001inf"]"#, br#"["\u0000\u0001undefined","\u0000\u0001inf"]"#),
            (" [ NaN , undefined ] ", b" [ \xFFn , \xFFu ] "),
        ];
        for (js, expected) in cases {
            assert_eq!(tagged(js), expected, "{js}");
        }
        for bad in ["[Infinity]", "[nan]", "[undefinedx]", "[\"open", "{\"a\":u}"] {
            assert!(read_js_text(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_from_elsewhere_cannot_hold_a_tag() {
        // Not JSON without the JavaScript side's reading, and no UTF-8 text has the byte 0xFF.
        for text in ["NaN", "undefined", "[NaN]", "{\"a\":undefined}"] {
            let mut r = Reader::new(text.as_bytes());
            assert!(r.skip_value().and_then(|_| r.finish()).is_err(), "{text}");
        }
        assert!([UNDEFINED, NAN].iter().all(|tag| tag[0] == 0xFF && String::from_utf8(tag.to_vec()).is_err()));
    }

    #[test]
    fn untags_into_null_and_paths() {
        let cases = [
            (
                r#"[{"a":undefined,"b":1},{"c":[1,NaN,{"d":undefined}]}]"#,
                r#"[{"a":null,"b":1},{"c":[1,null,{"d":null}]}]"#,
                Some(r#"[[0,"a","undefined"],[1,"c",1,"NaN"],[1,"c",2,"d","undefined"]]"#),
            ),
            ("NaN", "null", Some(r#"[["NaN"]]"#)),
            (r#"{"\ud800\"":undefined, "e" : [ ] ,"f":{}}"#, r#"{"\ud800\"":null,"e":[],"f":{}}"#, Some(r#"[["\ud800\"","undefined"]]"#)),
            (r#"[1e999,"x",true,false,null]"#, r#"[1e999,"x",true,false,null]"#, None),
        ];
        for (js, json, tags) in cases {
            let u = untag(tagged(js)).unwrap();
            assert_eq!(String::from_utf8(u.json).unwrap(), json, "{js}");
            assert_eq!(u.tags.map(|t| String::from_utf8(t).unwrap()).as_deref(), tags, "{js}");
        }
    }

    #[test]
    fn untags_deep_values_without_recursion() {
        let deep = "[".repeat(50_000) + "NaN" + &"]".repeat(50_000);
        let u = untag(tagged(&deep)).unwrap();
        assert_eq!(u.json, ("[".repeat(50_000) + "null" + &"]".repeat(50_000)).into_bytes());
        assert_eq!(u.tags.unwrap(), ("[[".to_string() + &"0,".repeat(50_000) + "\"NaN\"]]").into_bytes());
    }
}
