//! ToUnicode CMaps read by hand (patch 7 in PATCHES.md).
//!
//! `adobe_cmap_parser::get_unicode_map` lexes with pom parser combinators, which build a
//! formatted error message for every alternative that does not match: a 2 kB CMap took
//! about 9 million instructions. This is the same grammar, matched byte by byte with the
//! same ordered choices and the same backtracking, so that every input gives the same
//! tokens, and the same map-building code over them: the same map, or an error where
//! the original panicked or returned one.
//!
//! The grammar (adobe-cmap-parser 0.4.1): a file is one or more of `comment* space*
//! value`; a value is, first match wins, `true`, `false`, an integer, a number, a name,
//! an operator, a literal string, a dictionary, a hex string or an array, followed by
//! white space. A failed match consumes nothing; lexing stops (without error) at the
//! first place where no value matches.

use std::collections::HashMap;
use std::convert::TryFrom;
use std::hash::BuildHasher;

/// The tokens the map is built from; what it never looks at is `Other`.
#[derive(Debug, PartialEq)]
enum Value {
    /// A literal `(...)` or hex `<...>` string, decoded.
    Bytes(Vec<u8>),
    Integer(i64),
    Array(Vec<Value>),
    /// The operator's bytes (ASCII letters and `*'"`).
    Operator(std::ops::Range<usize>),
    /// `true`, `false`, a number that is not an `i64`, a name, a dictionary.
    Other,
}

/// Nesting deeper than this (arrays, dictionaries, literal strings) ends the value: the
/// original recursed without limit and overflowed its stack instead.
const MAX_DEPTH: u32 = 256;

/// A parse that cannot go on: a dictionary key that is not UTF-8 (the original
/// panicked there).
struct Fatal;

type Lexed<T> = Result<Option<(T, usize)>, Fatal>;

struct Lexer<'a> {
    s: &'a [u8],
}

fn is_multispace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0c)
}

fn is_alpha(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    fn at(&self, p: usize) -> Option<u8> {
        self.s.get(p).copied()
    }

    fn skip_while(&self, mut p: usize, f: impl Fn(u8) -> bool) -> usize {
        while self.at(p).map_or(false, &f) {
            p += 1;
        }
        p
    }

    fn digits(&self, p: usize) -> usize {
        self.skip_while(p, |b| b.is_ascii_digit())
    }

    /// Two hex digits at `p`.
    fn hex_char(&self, p: usize) -> Option<u8> {
        Some(hex_value(self.at(p)?)? * 16 + hex_value(self.at(p + 1)?)?)
    }

    /// `(comment* multispace* value)+`: `None` when not even one value matches.
    fn file(&self) -> Result<Option<Vec<Value>>, Fatal> {
        let mut values = Vec::new();
        let mut p = 0;
        loop {
            let mut q = p;
            while let Some(end) = self.comment(q) {
                q = end;
            }
            q = self.skip_while(q, is_multispace);
            match self.value(q, 0)? {
                Some((v, end)) => {
                    values.push(v);
                    p = end;
                }
                None => break,
            }
        }
        Ok(if values.is_empty() { None } else { Some(values) })
    }

    /// `%`, anything but a line end, then a line end.
    fn comment(&self, p: usize) -> Option<usize> {
        if self.at(p)? != b'%' {
            return None;
        }
        let q = self.skip_while(p + 1, |b| b != b'\r' && b != b'\n');
        self.eol(q)
    }

    fn eol(&self, p: usize) -> Option<usize> {
        match (self.at(p)?, self.at(p + 1)) {
            (b'\r', Some(b'\n')) => Some(p + 2),
            (b'\r', _) | (b'\n', _) => Some(p + 1),
            _ => None,
        }
    }

    /// A value and the white space after it.
    fn value(&self, p: usize, depth: u32) -> Lexed<Value> {
        let token = self.token(p, depth)?;
        Ok(token.map(|(v, end)| (v, self.skip_while(end, is_multispace))))
    }

    fn token(&self, p: usize, depth: u32) -> Lexed<Value> {
        let rest = &self.s[p.min(self.s.len())..];
        if rest.starts_with(b"true") {
            return Ok(Some((Value::Other, p + 4)));
        }
        if rest.starts_with(b"false") {
            return Ok(Some((Value::Other, p + 5)));
        }
        let signed = if matches!(self.at(p), Some(b'+' | b'-')) { p + 1 } else { p };
        let end = self.digits(signed);
        if end > signed {
            // The digits as an i64 (a sign included), else, too large, a number.
            let text = std::str::from_utf8(&self.s[p..end]).expect("ASCII");
            return Ok(Some((text.parse().map_or(Value::Other, Value::Integer), end)));
        }
        if self.at(signed) == Some(b'.') {
            let end = self.digits(signed + 1);
            if end > signed + 1 {
                return Ok(Some((Value::Other, end)));
            }
        }
        if let Some((_, end)) = self.name(p) {
            return Ok(Some((Value::Other, end)));
        }
        let end = self.skip_while(p, |b| is_alpha(b) || matches!(b, b'*' | b'\'' | b'"'));
        if end > p {
            return Ok(Some((Value::Operator(p..end), end)));
        }
        if depth >= MAX_DEPTH {
            return Ok(None);
        }
        if let Some((bytes, end)) = self.literal_string(p, depth) {
            return Ok(Some((Value::Bytes(bytes), end)));
        }
        if let Some(end) = self.dictionary(p, depth)? {
            return Ok(Some((Value::Other, end)));
        }
        if let Some((bytes, end)) = self.hex_string(p) {
            return Ok(Some((Value::Bytes(bytes), end)));
        }
        if let Some((items, end)) = self.array(p, depth)? {
            return Ok(Some((Value::Array(items), end)));
        }
        Ok(None)
    }

    /// `/`, then bytes other than white space and delimiters, `#` with two hex digits
    /// standing for one byte (a `#` without them ends the name).
    fn name(&self, p: usize) -> Option<(Vec<u8>, usize)> {
        if self.at(p)? != b'/' {
            return None;
        }
        let mut q = p + 1;
        let mut name = Vec::new();
        while let Some(b) = self.at(q) {
            if !b" \t\n\r\x0C()<>[]{}/%#".contains(&b) {
                name.push(b);
                q += 1;
            } else if let Some(c) = (b == b'#').then(|| self.hex_char(q + 1)).flatten() {
                name.push(c);
                q += 3;
            } else {
                break;
            }
        }
        Some((name, q))
    }

    /// `(`, segments, `)`; `nested` keeps the parentheses (an inner string).
    fn string_body(&self, p: usize, depth: u32, nested: bool) -> Option<(Vec<u8>, usize)> {
        if self.at(p)? != b'(' {
            return None;
        }
        let mut out = if nested { vec![b'('] } else { Vec::new() };
        let mut q = p + 1;
        loop {
            match self.at(q)? {
                b')' => break,
                b'\\' => q = self.escape(q + 1, &mut out),
                b'(' => {
                    // An unbalanced inner string ends the segments; the outer `)` then
                    // fails to match where the inner string began.
                    if depth + 1 >= MAX_DEPTH {
                        return None;
                    }
                    let (inner, end) = self.string_body(q, depth + 1, true)?;
                    out.extend_from_slice(&inner);
                    q = end;
                }
                _ => {
                    let end = self.skip_while(q, |b| !matches!(b, b'\\' | b'(' | b')'));
                    out.extend_from_slice(&self.s[q..end]);
                    q = end;
                }
            }
        }
        if nested {
            out.push(b')');
        }
        Some((out, q + 1))
    }

    fn literal_string(&self, p: usize, depth: u32) -> Option<(Vec<u8>, usize)> {
        self.string_body(p, depth, false)
    }

    /// After a backslash at `p - 1`: the escaped byte(s) pushed to `out`; the end.
    fn escape(&self, p: usize, out: &mut Vec<u8>) -> usize {
        let simple = match self.at(p) {
            Some(b'\\') => Some(b'\\'),
            Some(b'(') => Some(b'('),
            Some(b')') => Some(b')'),
            Some(b'n') => Some(b'\n'),
            Some(b'r') => Some(b'\r'),
            Some(b't') => Some(b'\t'),
            Some(b'b') => Some(b'\x08'),
            Some(b'f') => Some(b'\x0C'),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            return p + 1;
        }
        let mut end = p;
        while end < p + 3 && matches!(self.at(end), Some(b'0'..=b'7')) {
            end += 1;
        }
        if end > p {
            let octal = self.s[p..end]
                .iter()
                .fold(0u32, |n, &d| n * 8 + u32::from(d - b'0'));
            // Past 255 the octal escape fails and the backslash alone is consumed.
            if let Ok(b) = u8::try_from(octal) {
                out.push(b);
                return end;
            }
        }
        self.eol(p).unwrap_or(p)
    }

    /// `<<`, space, (name space value)*, `>>`.
    fn dictionary(&self, p: usize, depth: u32) -> Result<Option<usize>, Fatal> {
        if !self.s[p.min(self.s.len())..].starts_with(b"<<") {
            return Ok(None);
        }
        let mut q = self.skip_while(p + 2, is_space);
        let mut utf8 = true;
        loop {
            let Some((key, end)) = self.name(q) else { break };
            let Some((_, end)) = self.value(self.skip_while(end, is_space), depth + 1)? else {
                break;
            };
            utf8 &= std::str::from_utf8(&key).is_ok();
            q = end;
        }
        if !self.s[q..].starts_with(b">>") {
            return Ok(None);
        }
        // The original made its keys strings once the dictionary had matched.
        if utf8 { Ok(Some(q + 2)) } else { Err(Fatal) }
    }

    /// `<`, (space, two hex digits)*, space, `>`.
    fn hex_string(&self, p: usize) -> Option<(Vec<u8>, usize)> {
        if self.at(p)? != b'<' {
            return None;
        }
        let mut out = Vec::new();
        let mut q = p + 1;
        loop {
            let r = self.skip_while(q, is_space);
            match self.hex_char(r) {
                Some(b) => {
                    out.push(b);
                    q = r + 2;
                }
                None => break,
            }
        }
        let q = self.skip_while(q, is_space);
        (self.at(q)? == b'>').then_some((out, q + 1))
    }

    /// `[`, space, value*, `]`.
    fn array(&self, p: usize, depth: u32) -> Result<Option<(Vec<Value>, usize)>, Fatal> {
        if self.at(p) != Some(b'[') {
            return Ok(None);
        }
        let mut items = Vec::new();
        let mut q = self.skip_while(p + 1, is_space);
        while let Some((v, end)) = self.value(q, depth + 1)? {
            items.push(v);
            q = end;
        }
        Ok((self.at(q) == Some(b']')).then_some((items, q + 1)))
    }
}

/// The tokens the lenient reading needs, as poppler's CMap reader finds them: hex
/// strings, arrays of them, and words of letters (so `endcodespacerange100` is a word
/// and a number, and nothing a writer glued together or mistyped elsewhere, a name with
/// spaces in a `/CMapName`, stops the reading). Literal strings and names are skipped.
fn lenient_tokens(s: &[u8]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut array: Option<Vec<Value>> = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        match c {
            b'<' if s.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => {
                let end = s[i..].iter().position(|&b| b == b'>').map_or(s.len(), |e| i + e);
                let digits: Vec<u8> = s[i + 1..end].iter().filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8)).collect();
                let mut bytes: Vec<u8> = digits.chunks(2).map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0)).collect();
                if bytes.is_empty() {
                    bytes.push(0);
                }
                match array.as_mut() {
                    Some(a) => a.push(Value::Bytes(bytes)),
                    None => out.push(Value::Bytes(bytes)),
                }
                i = end + 1;
            }
            b'[' => {
                array = Some(Vec::new());
                i += 1;
            }
            b']' => {
                if let Some(a) = array.take() {
                    out.push(Value::Array(a));
                }
                i += 1;
            }
            b'(' => {
                let mut depth = 0usize;
                while i < s.len() {
                    match s[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' => {
                i += 1;
                while i < s.len() && !b" \t\r\n\x0c\0()<>[]{}/%".contains(&s[i]) {
                    i += 1;
                }
            }
            b'%' => {
                while i < s.len() && s[i] != b'\n' && s[i] != b'\r' {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < s.len() && s[i].is_ascii_alphabetic() {
                    i += 1;
                }
                if array.is_none() {
                    out.push(Value::Operator(start..i));
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn as_code(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |code, &b| (code << 8) | u32::from(b))
}

/// A mapping from character codes to Unicode character sequences in UTF-16BE bytes,
/// exactly as `adobe_cmap_parser::get_unicode_map` makes it; where that panics (no
/// value at all, a count or an index out of place, a bad hex string length), this
/// returns an error.
pub fn get_unicode_map(input: &[u8]) -> Result<std::collections::HashMap<u32, Vec<u8>>, &'static str> {
    get_unicode_map_with(input, Default::default())
}

/// [`get_unicode_map`] into a map with the given hasher.
pub(crate) fn get_unicode_map_with<S: BuildHasher>(input: &[u8], hasher: S) -> Result<HashMap<u32, Vec<u8>, S>, &'static str> {
    unicode_map(input, hasher, false)
}

/// Patched (pdf-extract patch 14): [`get_unicode_map_with`] as poppler reads a CMap: a
/// `beginbfchar`/`beginbfrange` section runs to its end operator whatever its count says
/// (writers get the count wrong: "1 beginbfchar" before hundreds of entries), and an
/// entry that does not read is skipped instead of failing the whole map. This is what
/// pdf-extract decodes ToUnicode maps with; [`get_unicode_map`] stays the original's
/// reading, for comparing with it.
pub(crate) fn get_unicode_map_lenient<S: BuildHasher>(input: &[u8], hasher: S) -> Result<HashMap<u32, Vec<u8>, S>, &'static str> {
    unicode_map(input, hasher, true)
}

fn unicode_map<S: BuildHasher>(input: &[u8], hasher: S, lenient: bool) -> Result<HashMap<u32, Vec<u8>, S>, &'static str> {
    let lexed = if lenient {
        lenient_tokens(input)
    } else {
        let lexer = Lexer { s: input };
        match lexer.file() {
            Ok(Some(values)) => values,
            Ok(None) => return Err("failed to parse"),
            Err(Fatal) => return Err("dictionary key is not UTF-8"),
        }
    };
    let mut map = HashMap::with_hasher(hasher);
    let bytes = |i: usize, what: &'static str| match lexed.get(i) {
        Some(Value::Bytes(s)) => Ok(s),
        _ => Err(what),
    };
    let count = |i: usize, what: &'static str| match i.checked_sub(1).and_then(|j| lexed.get(j)) {
        Some(Value::Integer(c)) => Ok(*c),
        _ => Err(what),
    };
    let mut i = 0;
    while i < lexed.len() {
        let op = match &lexed[i] {
            Value::Operator(r) => &input[r.clone()],
            _ => {
                i += 1;
                continue;
            }
        };
        match op {
            b"beginbfchar" if lenient => {
                i += 1;
                while let (Some(Value::Bytes(code)), Some(Value::Bytes(text))) = (lexed.get(i), lexed.get(i + 1)) {
                    if text.len() % 2 == 0 {
                        map.insert(as_code(code), text.clone());
                    }
                    i += 2;
                }
            }
            b"beginbfrange" if lenient => {
                i += 1;
                while let (Some(Value::Bytes(lo)), Some(Value::Bytes(hi))) = (lexed.get(i), lexed.get(i + 1)) {
                    let (lower, upper) = (as_code(lo), as_code(hi));
                    // At most 65,536 codes a range: a hostile range must not fill memory.
                    let upper = upper.min(lower.saturating_add(0xffff));
                    match lexed.get(i + 2) {
                        Some(Value::Bytes(start)) if !start.is_empty() && start.len() % 2 == 0 && start.len() <= 4 && lower <= upper => {
                            let val = as_code(start);
                            for c in lower..=upper {
                                let code = val.wrapping_add(c - lower);
                                let b = code.to_be_bytes();
                                map.insert(c, b[4 - start.len()..].to_vec());
                            }
                        }
                        Some(Value::Bytes(start)) if start.len() > 4 && start.len() % 2 == 0 && lower <= upper => {
                            // A longer string: its last byte counts up.
                            for c in lower..=upper {
                                let mut s = start.clone();
                                let last = s.len() - 1;
                                s[last] = s[last].wrapping_add((c - lower) as u8);
                                map.insert(c, s);
                            }
                        }
                        Some(Value::Array(codes)) => {
                            for (c, code) in (lower..=upper).zip(codes) {
                                if let Value::Bytes(s) = code {
                                    if s.len() % 2 == 0 {
                                        map.insert(c, s.clone());
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                    i += 3;
                }
            }
            b"beginbfchar" => {
                let n = count(i, "beginbfchar exected int")?;
                i += 1;
                for _ in 0..n {
                    let char_code = bytes(i, "beginbfchar exected hexstring")?;
                    let uni_code = bytes(i + 1, "beginbfchar exected hexstring")?;
                    map.insert(as_code(char_code), uni_code.clone());
                    i += 2;
                }
                i += 1;
            }
            b"beginbfrange" => {
                let n = count(i, "beginbfrange exected int")?;
                i += 1;
                for _ in 0..n {
                    let lower = as_code(bytes(i, "beginbfrange exected hexstring")?);
                    let upper = as_code(bytes(i + 1, "beginbfrange exected hexstring")?);
                    // Release-build arithmetic, as the original wrapped.
                    match lexed.get(i + 2) {
                        Some(Value::Bytes(start)) => match start.len() {
                            4 => {
                                let val = as_code(start);
                                for c in lower..=upper {
                                    let code = val.wrapping_add(c.wrapping_sub(lower));
                                    map.insert(c, code.to_be_bytes().to_vec());
                                }
                            }
                            2 => {
                                let val = as_code(start) as u16;
                                for c in lower..=upper {
                                    let code = val.wrapping_add(c.wrapping_sub(lower) as u16);
                                    map.insert(c, code.to_be_bytes().to_vec());
                                }
                            }
                            _ => return Err("bad length of hexstring"),
                        },
                        Some(Value::Array(codes)) => {
                            if upper.wrapping_sub(lower).wrapping_add(1) as usize != codes.len() {
                                return Err("bad length of array");
                            }
                            for (c, code) in (lower..=upper).zip(codes) {
                                match code {
                                    Value::Bytes(s) => map.insert(c, s.clone()),
                                    _ => return Err("beginbfrange exected hexstring"),
                                };
                            }
                        }
                        Some(_) => return Err("beginbfrange exected array or literal"),
                        None => return Err("beginbfrange exected array or literal"),
                    }
                    i += 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(map)
}
