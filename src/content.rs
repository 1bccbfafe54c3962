//! Page content streams decoded by hand: the operations lopdf's `Content::decode` gives,
//! without its parser-combinator cost (on LibreOffice's hex-string text it was 40% of
//! the instructions of a small PDF's conversion).
//!
//! The grammar is lopdf 0.42's (`parser::content`), matched byte by byte with the same
//! ordered choices: an operation is comments, then operands (`null`, `true`/`false`, a
//! real, an integer, a name, a literal or hex string, an array, a dictionary), each
//! followed by content space (` \t\r\n`), then an operator; decoding stops, without
//! error, at the first place where no operation matches. What is rare and intricate
//! there (inline images, nesting deeper than `MAX_DEPTH`) is left to lopdf: the whole
//! stream is decoded by `Content::decode` instead, so the result is always lopdf's.
//! `tests/content.rs` holds the two to the same operations.

use pdf_extract::content::{Content, Operation};
use pdf_extract::{Dictionary, Object, StringFormat};

/// Nesting (arrays, dictionaries, strings in strings) past which lopdf decodes instead;
/// lopdf's own limits are 100.
const MAX_DEPTH: usize = 32;

/// The stream's operations, as `Content::decode(bytes).ok()` gives them.
pub fn decode(bytes: &[u8]) -> Option<Content> {
    let lexer = Lexer {
        s: bytes,
        deep: std::cell::Cell::new(false),
    };
    match lexer.content() {
        Ok(content) => Some(content),
        Err(Unusual) => Content::decode(bytes).ok(),
    }
}

/// Input this decoder leaves to lopdf.
struct Unusual;

type Step<T> = Result<Option<(T, usize)>, Unusual>;

struct Lexer<'a> {
    s: &'a [u8],
    /// A string nested past [`MAX_DEPTH`] was met: lopdf decodes instead.
    deep: std::cell::Cell<bool>,
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0c)
}

fn is_content_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !b"()<>[]{}/%".contains(&c)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

impl Lexer<'_> {
    fn at(&self, p: usize) -> Option<u8> {
        self.s.get(p).copied()
    }

    fn starts(&self, p: usize, tag: &[u8]) -> bool {
        self.s.get(p..).is_some_and(|r| r.starts_with(tag))
    }

    fn skip(&self, mut p: usize, f: impl Fn(u8) -> bool) -> usize {
        while self.at(p).is_some_and(&f) {
            p += 1;
        }
        p
    }

    fn content(&self) -> Result<Content, Unusual> {
        let mut operations = Vec::new();
        let mut p = self.skip(0, is_content_space);
        loop {
            let mut q = p;
            while let Some(end) = self.comment(q) {
                q = end;
            }
            if self.starts(q, b"BI") {
                return Err(Unusual);
            }
            let mut operands = Vec::new();
            while let Some((o, end)) = self.operand(q)? {
                operands.push(o);
                q = end;
            }
            let end = self.skip(q, |c| c.is_ascii_alphabetic() || b"*'\"".contains(&c));
            if end == q {
                break;
            }
            let operator = std::str::from_utf8(&self.s[q..end])
                .expect("ASCII")
                .to_owned();
            operations.push(Operation { operator, operands });
            p = self.skip(end, is_content_space);
        }
        if self.deep.get() {
            return Err(Unusual);
        }
        Ok(Content { operations })
    }

    /// `%`, anything but a line end, a line end.
    fn comment(&self, p: usize) -> Option<usize> {
        if self.at(p)? != b'%' {
            return None;
        }
        self.eol(self.skip(p + 1, |c| c != b'\r' && c != b'\n'))
    }

    fn eol(&self, p: usize) -> Option<usize> {
        match self.at(p)? {
            b'\r' if self.at(p + 1) == Some(b'\n') => Some(p + 2),
            b'\r' | b'\n' => Some(p + 1),
            _ => None,
        }
    }

    /// White space and comments (lopdf's `space`, between objects in arrays and
    /// dictionaries).
    fn space(&self, mut p: usize) -> usize {
        loop {
            let q = self.skip(p, is_whitespace);
            match self.comment(q) {
                Some(end) => p = end,
                None => return q,
            }
        }
    }

    fn operand(&self, p: usize) -> Step<Object> {
        let found = match self.scalar(p) {
            Some(found) => Some(found),
            None => self.compound(p, MAX_DEPTH)?,
        };
        Ok(found.map(|(o, end)| (o, self.skip(end, is_content_space))))
    }

    /// `null`, `true`, `false`, a real, an integer, a name, a literal string or a hex
    /// string (whichever matches first, in lopdf's order).
    fn scalar(&self, p: usize) -> Option<(Object, usize)> {
        if self.starts(p, b"null") {
            return Some((Object::Null, p + 4));
        }
        if self.starts(p, b"true") {
            return Some((Object::Boolean(true), p + 4));
        }
        if self.starts(p, b"false") {
            return Some((Object::Boolean(false), p + 5));
        }
        self.number(p)
            .or_else(|| self.name(p).map(|(n, end)| (Object::Name(n), end)))
            .or_else(|| self.literal(p, MAX_DEPTH))
            .or_else(|| self.hex_string(p))
    }

    /// A real (`1.`, `.5`, `-1.5`) or else an integer that fits an `i64`.
    fn number(&self, p: usize) -> Option<(Object, usize)> {
        let digits = if matches!(self.at(p), Some(b'+' | b'-')) {
            p + 1
        } else {
            p
        };
        let int_end = self.skip(digits, |c| c.is_ascii_digit());
        let real_end = if int_end > digits && self.at(int_end) == Some(b'.') {
            Some(self.skip(int_end + 1, |c| c.is_ascii_digit()))
        } else if int_end == digits && self.at(digits) == Some(b'.') {
            let end = self.skip(digits + 1, |c| c.is_ascii_digit());
            (end > digits + 1).then_some(end)
        } else {
            None
        };
        let text = |end: usize| std::str::from_utf8(&self.s[p..end]).expect("ASCII");
        if let Some(end) = real_end {
            if let Ok(r) = text(end).parse::<f32>() {
                return Some((Object::Real(r), end));
            }
        }
        if int_end > digits {
            if let Ok(i) = text(int_end).parse::<i64>() {
                return Some((Object::Integer(i), int_end));
            }
        }
        None
    }

    /// `/` and regular bytes, `#` and two hex digits standing for one.
    fn name(&self, p: usize) -> Option<(Vec<u8>, usize)> {
        if self.at(p)? != b'/' {
            return None;
        }
        let mut name = Vec::new();
        let mut q = p + 1;
        while let Some(c) = self.at(q) {
            if c == b'#' {
                match (self.at(q + 1).and_then(hex), self.at(q + 2).and_then(hex)) {
                    (Some(h), Some(l)) => {
                        name.push(h << 4 | l);
                        q += 3;
                    }
                    _ => break,
                }
            } else if is_regular(c) {
                name.push(c);
                q += 1;
            } else {
                break;
            }
        }
        Some((name, q))
    }

    /// `(`, the string, `)`.
    fn literal(&self, p: usize, depth: usize) -> Option<(Object, usize)> {
        let (bytes, end) = self.literal_body(p, depth)?;
        Some((Object::String(bytes, StringFormat::Literal), end))
    }

    fn literal_body(&self, p: usize, depth: usize) -> Option<(Vec<u8>, usize)> {
        if self.at(p)? != b'(' {
            return None;
        }
        let mut out = Vec::new();
        let mut q = p + 1;
        loop {
            match self.at(q)? {
                b')' => return Some((out, q + 1)),
                b'\\' => {
                    let c = self.at(q + 1)?;
                    if (b'0'..=b'7').contains(&c) {
                        let mut end = q + 1;
                        let mut value = 0u16;
                        while end < q + 4 && matches!(self.at(end), Some(b'0'..=b'7')) {
                            value = value * 8 + u16::from(self.s[end] - b'0');
                            end += 1;
                        }
                        // Overflow is ignored, as the PDF specification asks.
                        out.push(value as u8);
                        q = end;
                    } else if let Some(end) = self.eol(q + 1) {
                        q = end;
                    } else {
                        out.push(match c {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => b'\x08',
                            b'f' => b'\x0C',
                            c => c,
                        });
                        q += 2;
                    }
                }
                b'(' => {
                    if depth == 0 {
                        self.deep.set(true);
                        return None;
                    }
                    let (inner, end) = self.literal_body(q, depth - 1)?;
                    out.push(b'(');
                    out.extend_from_slice(&inner);
                    out.push(b')');
                    q = end;
                }
                _ => {
                    // Line ends are kept as they are, like any other byte.
                    let end = self.skip(q, |c| !b"()\\".contains(&c));
                    out.extend_from_slice(&self.s[q..end]);
                    q = end;
                }
            }
        }
    }

    /// `<`, hex digits (white space between them), `>`; an odd last digit is the high
    /// half of its byte.
    fn hex_string(&self, p: usize) -> Option<(Object, usize)> {
        if self.at(p)? != b'<' {
            return None;
        }
        let mut out = Vec::new();
        let mut high = true;
        let mut q = p + 1;
        loop {
            let r = self.skip(q, is_whitespace);
            match self.at(r).and_then(hex) {
                Some(d) => {
                    if high {
                        out.push(d << 4);
                    } else {
                        *out.last_mut().expect("high half") |= d;
                    }
                    high = !high;
                    q = r + 1;
                }
                None => break,
            }
        }
        let q = self.skip(q, is_whitespace);
        (self.at(q)? == b'>').then_some((Object::String(out, StringFormat::Hexadecimal), q + 1))
    }

    /// An array or a dictionary; past `depth` levels, [`Unusual`].
    fn compound(&self, p: usize, depth: usize) -> Step<Object> {
        match self.at(p) {
            Some(b'[') => {
                if depth == 0 {
                    return Err(Unusual);
                }
                let mut items = Vec::new();
                let mut q = self.space(p + 1);
                while let Some((o, end)) = self.direct_object(q, depth - 1)? {
                    items.push(o);
                    q = end;
                }
                Ok((self.at(q) == Some(b']')).then_some((Object::Array(items), q + 1)))
            }
            Some(b'<') if self.at(p + 1) == Some(b'<') => {
                if depth == 0 {
                    return Err(Unusual);
                }
                let mut dict = Dictionary::new();
                let mut q = self.space(p + 2);
                while let Some((key, end)) = self.name(q) {
                    match self.direct_object(self.space(end), depth - 1)? {
                        Some((value, end)) => {
                            dict.set(key, value);
                            q = end;
                        }
                        None => break,
                    }
                }
                Ok(self
                    .starts(q, b">>")
                    .then_some((Object::Dictionary(dict), q + 2)))
            }
            _ => Ok(None),
        }
    }

    /// An object in an array or a dictionary (references allowed), then space.
    fn direct_object(&self, p: usize, depth: usize) -> Step<Object> {
        let found =
            if self.starts(p, b"null") || self.starts(p, b"true") || self.starts(p, b"false") {
                self.scalar(p)
            } else if let Some(found) = self.reference(p) {
                Some(found)
            } else if let Some(found) = self.scalar(p) {
                Some(found)
            } else {
                self.compound(p, depth)?
            };
        Ok(found.map(|(o, end)| (o, self.space(end))))
    }

    /// `N G R` (unsigned, `u32` and `u16`, space between).
    fn reference(&self, p: usize) -> Option<(Object, usize)> {
        let number = |p: usize| -> Option<(&str, usize)> {
            let end = self.skip(p, |c| c.is_ascii_digit());
            (end > p).then(|| (std::str::from_utf8(&self.s[p..end]).expect("ASCII"), end))
        };
        let (id, end) = number(p)?;
        let id: u32 = id.parse().ok()?;
        let (generation, end) = number(self.space(end))?;
        let generation: u16 = generation.parse().ok()?;
        let end = self.space(end);
        (self.at(end)? == b'R').then_some((Object::Reference((id, generation)), end + 1))
    }
}
