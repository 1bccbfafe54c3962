//! Coverage from the output (issue 17): whether a line's text reached the built tree.
//!
//! The structure stage marks the lines it means to place; a stage that marks a line and
//! then drops its text (a cell before any heading row, a row read twice) would lose the
//! line silently. So a placed line counts as placed only when every word of it is among
//! the words of the agreements' strings (and integers: years, scores, the period).
//!
//! Words are runs of letters and digits, compared as written; a run of digits without
//! its leading zeros (an ISO date writes "02" for the printed "2"). A hyphen that joined
//! two lines ("KEHA-" + "keskuksen") splits words on both sides, so a joined paragraph
//! still holds each line's words. The genre's labels (`Tavoite 2026`, `Mittayksikkö`,
//! `Tav 2027`, `grammar::is_label_word`) become structure, not text, and need not
//! reappear; nor need the place and month name of a line that gave an agreement's
//! signing date (`signed` holds the date; model v1 has no field for the place).
//!
//! It runs on every conversion, so it is kept cheap: a word is a 64-bit hash in an open
//! addressing table (no string is copied or compared), the lines' words are hashed on
//! another core while the structure stage runs ([`LineWords`]), and a Finnish letter is
//! known without decoding it. Most of the output's strings are input lines joined (a
//! title, a paragraph, a target's text): where a string is its node's lines' texts
//! joined at word boundaries, those lines' hashes are taken for its words, and only the
//! rest of the output is read ([`Reached::with_lines`]).

use crate::grammar;
use crate::lines::{Line, LineKind, Lines};
use crate::model::{Agreement, Goal, Indicator, Source};

/// The words of each line, hashed, read before the tree is built (on another core,
/// beside the structure stage): `ends[i]` is where line `i`'s hashes end in `hashes`.
pub struct LineWords {
    hashes: Vec<u64>,
    ends: Vec<u32>,
}

impl LineWords {
    /// The words of the text lines of `lines` but the grammar's labels.
    pub fn new(lines: &Lines) -> LineWords {
        let mut hashes = Vec::with_capacity(lines.lines.len() * 4);
        let mut ends = Vec::with_capacity(lines.lines.len());
        for l in &lines.lines {
            if l.kind == LineKind::Text {
                for_words(l.text(), |w| {
                    if !grammar::is_label_word(w) {
                        hashes.push(hash(w.as_bytes()));
                    }
                });
            }
            ends.push(hashes.len() as u32);
        }
        LineWords { hashes, ends }
    }

    #[doc(hidden)]
    pub fn hashes_len(&self) -> usize {
        self.hashes.len()
    }

    fn of(&self, i: usize) -> &[u64] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.hashes[start..self.ends[i] as usize]
    }
}

/// The words of the agreements' strings, as a set of 64-bit hashes (two different
/// words of one conversion sharing a hash is a chance of about 2^-40).
pub struct Reached<'a> {
    /// Open addressing, linear probing; 0 is an empty slot (hashes are odd).
    table: Vec<u64>,
    mask: usize,
    /// Slots in use.
    len: usize,
    signed: Vec<&'a str>,
}

impl<'a> Reached<'a> {
    /// The words of `agreements`, every string read.
    pub fn new(agreements: &'a [Agreement]) -> Reached<'a> {
        Reached::build(agreements, None)
    }

    /// The words of `agreements`, read from `lines` (`words` theirs, `furniture` the
    /// blocks stage's) where a string is made of them: the same words as
    /// [`Reached::new`]'s but the grammar's labels (which no line asks for).
    pub fn with_lines(
        agreements: &'a [Agreement],
        lines: &Lines,
        words: &LineWords,
        furniture: &[bool],
    ) -> Reached<'a> {
        // A line's source number must be its index + 1 (not so for a `-layout` dump's
        // cells, several to a line): else every string is read.
        let numbered = lines
            .lines
            .iter()
            .enumerate()
            .all(|(i, l)| l.number as usize == i + 1);
        let from = numbered.then_some(FromLines {
            lines: &lines.lines,
            words,
            furniture,
        });
        Reached::build(agreements, from.as_ref())
    }

    fn build(agreements: &'a [Agreement], from: Option<&FromLines>) -> Reached<'a> {
        let mut strings: Vec<Piece<'a>> = Vec::with_capacity(1024);
        let mut ints: Vec<i64> = Vec::new();
        for a in agreements {
            collect(a, &mut strings, &mut ints);
        }
        // A document repeats its words: distinct ones are about one in twenty-five
        // bytes (the seed: 2,513 in 63 kB). Sized for that, grown past half full, the
        // table stays in the cache and its pages are few to touch.
        let bytes: usize = strings.iter().map(|p| p.text.len()).sum();
        let size = ((bytes / 25 + ints.len()) * 2).next_power_of_two().max(64);
        let mut r = Reached {
            table: vec![0; size],
            mask: size - 1,
            len: 0,
            signed: agreements
                .iter()
                .filter_map(|a| a.signed.as_deref())
                .collect(),
        };
        let mut digits = itoa_buf();
        for i in ints {
            let d = format_int(&mut digits, i.unsigned_abs());
            r.insert(hash(d));
        }
        // The strings' words taken from their lines where they are made of them, then
        // the rest read.
        let mut hashes = Vec::with_capacity(bytes / 6);
        let mut unread: Vec<&str> = Vec::new();
        match from {
            Some(from) => {
                for p in &strings {
                    from.words_of(p, &mut hashes, &mut unread);
                }
            }
            None => unread.extend(strings.iter().map(|p| p.text)),
        }
        let unread_bytes = unread.iter().map(|s| s.len()).sum();
        for h in hashes.into_iter().chain(hash_words(&unread, unread_bytes)) {
            r.insert(h);
        }
        r
    }

    /// How many distinct words (for the benches).
    #[doc(hidden)]
    pub fn words(&self) -> usize {
        self.len
    }

    fn insert(&mut self, h: u64) {
        if self.len * 2 >= self.table.len() {
            self.grow();
        }
        let mut at = (h >> 7) as usize & self.mask;
        loop {
            match self.table[at] {
                0 => {
                    self.table[at] = h;
                    self.len += 1;
                    return;
                }
                x if x == h => return,
                _ => at = (at + 1) & self.mask,
            }
        }
    }

    fn grow(&mut self) {
        let size = self.table.len() * 2;
        let old = std::mem::replace(&mut self.table, vec![0; size]);
        self.mask = self.table.len() - 1;
        self.len = 0;
        for h in old.into_iter().filter(|&h| h != 0) {
            self.insert(h);
        }
    }

    fn contains(&self, h: u64) -> bool {
        let mut at = (h >> 7) as usize & self.mask;
        loop {
            match self.table[at] {
                0 => return false,
                x if x == h => return true,
                _ => at = (at + 1) & self.mask,
            }
        }
    }

    /// Whether every word of `text` (one line) is in the output.
    pub fn line(&self, text: &str) -> bool {
        let mut all = true;
        for_words(text, |w| {
            all = all && (grammar::is_label_word(w) || self.contains(hash(w.as_bytes())));
        });
        all || self.signing_line(text)
    }

    /// Whether every word of line `i` of the lines `words` was read from is in the
    /// output (`text` is the line's, for the signing line's exception).
    pub fn line_at(&self, words: &LineWords, i: usize, text: &str) -> bool {
        words.of(i).iter().all(|&h| self.contains(h)) || self.signing_line(text)
    }

    /// A line that gave an agreement its signing date.
    fn signing_line(&self, text: &str) -> bool {
        !self.signed.is_empty()
            && grammar::date(text).is_some_and(|d| self.signed.contains(&d.as_str()))
    }
}

/// The hashes of the words of `strings` (`bytes` long in all). Finding words costs about
/// as much as the structure stage, so a large output is split between two cores; a
/// small one is not worth the hand-over.
fn hash_words(strings: &[&str], bytes: usize) -> Vec<u64> {
    const SPLIT_FROM: usize = 16 * 1024;
    if bytes < SPLIT_FROM || strings.len() < 2 {
        let mut out = Vec::with_capacity(bytes / 6);
        for s in strings {
            for_words(s, |w| out.push(hash(w.as_bytes())));
        }
        return out;
    }
    // Halved by count, so a half's bytes are an estimate: enough to stop splitting.
    let (a, b) = strings.split_at(strings.len() / 2);
    let (mut a, b) = rayon::join(|| hash_words(a, bytes / 2), || hash_words(b, bytes / 2));
    a.extend(b);
    a
}

/// A string of the output, with the lines of the node it belongs to (`from` 0: none).
struct Piece<'a> {
    text: &'a str,
    from: u32,
    to: u32,
}

/// The lines the output was read from, numbered by index + 1, with their words.
struct FromLines<'l, 'a> {
    lines: &'l [Line<'a>],
    words: &'l LineWords,
    furniture: &'l [bool],
}

impl FromLines<'_, '_> {
    /// Lines after a node's first that may start one of its strings.
    const LOOK: usize = 64;

    /// Pushes onto `out` the hashes of the words of the lines `p` is made of, and onto
    /// `unread` the parts of `p` left to read, which together have the words of `p` but
    /// the grammar's labels. A line counts where `p` holds its text at word boundaries
    /// (so that a word of `p` is a word of the line), the lines in order and apart only
    /// by ASCII white space; the rest of `p` (a label's line's end it starts with,
    /// whatever follows the last line found) is left to read. Parts split at word
    /// boundaries have the words of the whole.
    fn words_of<'a>(&self, p: &Piece<'a>, out: &mut Vec<u64>, unread: &mut Vec<&'a str>) {
        let s = p.text;
        let n = self.lines.len();
        let first = p.from as usize;
        if first == 0 || first > n {
            return unread.push(s);
        }
        let first = first - 1;
        let last = (p.to as usize)
            .clamp(first + 1, n)
            .min(first + 1 + Self::LOOK);
        let is_text = |j: usize| self.lines[j].kind == LineKind::Text && !self.furniture[j];
        let whole = |j: usize, at: usize| {
            let t = self.lines[j].text();
            (is_text(j) && s[at..].starts_with(t) && boundary(s, at + t.len())).then_some(t.len())
        };
        // The line `s` starts with: a whole line of the node, or the end of its first
        // line after a label ("Tavoite 2026 " before a target's text), read.
        let (mut at, mut j) = match (first..last).find_map(|j| whole(j, 0).map(|len| (len, j))) {
            Some((len, j)) => {
                out.extend_from_slice(self.words.of(j));
                (len, j + 1)
            }
            None => match self.label_end(first, s) {
                Some(len) => {
                    unread.push(&s[..len]);
                    (len, first + 1)
                }
                None => return unread.push(s),
            },
        };
        loop {
            at += s[at..].bytes().take_while(u8::is_ascii_whitespace).count();
            if at >= s.len() {
                return;
            }
            while j < n && !is_text(j) {
                j += 1;
            }
            match (j < n).then(|| whole(j, at)).flatten() {
                Some(len) => {
                    out.extend_from_slice(self.words.of(j));
                    at += len;
                    j += 1;
                }
                None => return unread.push(&s[at..]),
            }
        }
    }

    /// How long a start of `s` is that is the end of line `j` after one of its first
    /// four spaces, ending at a word boundary of `s`.
    fn label_end(&self, j: usize, s: &str) -> Option<usize> {
        if self.lines[j].kind != LineKind::Text {
            return None;
        }
        let t = self.lines[j].text();
        t.match_indices(' ')
            .take(4)
            .map(|(k, _)| &t[k + 1..])
            .find(|end| !end.is_empty() && s.starts_with(end) && boundary(s, end.len()))
            .map(str::len)
    }
}

/// Whether no word of `s` runs across byte `at`: an end, or an ASCII separator on
/// either side (a character not ASCII answers no, though it may be one).
fn boundary(s: &str, at: usize) -> bool {
    let b = s.as_bytes();
    at == 0 || at >= b.len() || CLASS[b[at - 1] as usize] == 0 || CLASS[b[at] as usize] == 0
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

/// The decimal digits of `n`, in `buf`.
fn format_int(buf: &mut [u8; 20], mut n: u64) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// Per byte: an ASCII letter or digit ([`WORD`]), an ASCII separator (0), or the lead
/// or continuation byte of a longer character (decoded by [`non_ascii`]).
static CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut c = 0;
    while c < 128 {
        t[c] = if (c as u8).is_ascii_alphanumeric() {
            WORD
        } else {
            0
        };
        c += 1;
    }
    t
};
const WORD: u8 = 1;
const NON_ASCII: u8 = 2;

/// Whether the character at byte `i` of `s` (not ASCII) is a letter or digit, and its
/// length. A Finnish or Swedish letter (ä, ö, å: two bytes from U+00C0 on, but × and ÷)
/// is answered without decoding.
#[inline]
fn non_ascii(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes();
    if b[i] == 0xc3 && i + 1 < b.len() && b[i + 1] != 0x97 && b[i + 1] != 0xb7 {
        return (true, 2);
    }
    let c = s[i..].chars().next().expect("a character");
    (c.is_alphanumeric(), c.len_utf8())
}

/// Calls `f` with each word of `s`: a run of alphanumeric characters, a run of ASCII
/// digits without its leading zeros. Byte by byte through a class table, decoding only
/// what is not ASCII: it reads every line and every string of the output.
fn for_words<'s>(s: &'s str, mut f: impl FnMut(&'s str)) {
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    loop {
        // Separators.
        loop {
            while i < n && CLASS[b[i] as usize] == 0 {
                i += 1;
            }
            if i < n && CLASS[b[i] as usize] == NON_ASCII {
                let (word, len) = non_ascii(s, i);
                if !word {
                    i += len;
                    continue;
                }
            }
            break;
        }
        if i >= n {
            return;
        }
        let start = i;
        // Digits then a capital are two words ("1.1.1.1Otsikko": a row number set flush
        // against its title, one word in pdftotext's reading), in the lines and in the
        // output alike.
        let capital_after_digit = |i: usize| {
            i > start && b[i - 1].is_ascii_digit() && s[i..].starts_with(char::is_uppercase)
        };
        loop {
            while i < n && CLASS[b[i] as usize] == WORD {
                if b[i].is_ascii_uppercase() && capital_after_digit(i) {
                    break;
                }
                i += 1;
            }
            if i < n && CLASS[b[i] as usize] == NON_ASCII {
                let (word, len) = non_ascii(s, i);
                if word && !capital_after_digit(i) {
                    i += len;
                    continue;
                }
            }
            break;
        }
        f(word(&s[start..i]));
    }
}

/// `w` without leading zeros when it is all digits (and not only zeros).
fn word(w: &str) -> &str {
    let b = w.as_bytes();
    if b[0] == b'0' && b.len() > 1 && b.iter().all(u8::is_ascii_digit) {
        let t = w.trim_start_matches('0');
        if t.is_empty() {
            "0"
        } else {
            t
        }
    } else {
        w
    }
}

/// `text` as a string of the node `at` stands for (none: read it whole).
fn put<'a>(s: &mut Vec<Piece<'a>>, text: &'a str, at: Option<&Source>) {
    let (from, to) = at.map_or((0, 0), |a| (a.line, a.line_end));
    s.push(Piece { text, from, to });
}

fn collect<'a>(a: &'a Agreement, s: &mut Vec<Piece<'a>>, ints: &mut Vec<i64>) {
    let opt = |s: &mut Vec<Piece<'a>>, o: &'a Option<String>, at: &Source| {
        if let Some(o) = o {
            put(s, o, Some(at));
        }
    };
    // The cover's fields, where the agreement's own lines are read whole.
    for o in [&a.title, &a.ministry, &a.agency, &a.scope, &a.signed]
        .into_iter()
        .flatten()
    {
        put(s, o, None);
    }
    if let Some(p) = &a.period {
        ints.extend([i64::from(p.start), i64::from(p.end)]);
    }
    for g in &a.signatories {
        opt(s, &g.organization, &g.source);
        put(s, &g.name, Some(&g.source));
        opt(s, &g.title, &g.source);
    }
    for c in &a.chapters {
        opt(s, &c.number, &c.source);
        put(s, &c.title, Some(&c.source));
        opt(s, &c.text, &c.source);
        for caption in &c.captions {
            put(s, caption, Some(&c.source));
        }
    }
    for g in &a.impact_goals {
        put(s, &g.text, Some(&g.source));
        opt(s, &g.ministry, &g.source);
    }
    for l in &a.strategic_lines {
        put(s, &l.title, Some(&l.source));
        opt(s, &l.description, &l.source);
        for g in &l.goals {
            goal(g, s, ints);
        }
        for i in &l.indicators {
            indicator(i, s, ints);
        }
        for t in &l.targets {
            put(s, &t.text, Some(&t.source));
            ints.push(i64::from(t.year));
        }
    }
    for i in &a.resource_indicators {
        indicator(i, s, ints);
    }
    for g in &a.monitoring_indicators {
        if let Some(group) = &g.group {
            put(s, group, None);
        }
        for i in &g.indicators {
            indicator(i, s, ints);
        }
    }
    for e in &a.evaluation_scale {
        put(s, &e.label, None);
        put(s, &e.meaning, None);
        ints.push(i64::from(e.score));
    }
    for o in &a.orphans {
        put(s, &o.text, Some(&o.source));
    }
}

fn goal<'a>(g: &'a Goal, s: &mut Vec<Piece<'a>>, ints: &mut Vec<i64>) {
    put(s, &g.title, Some(&g.source));
    if let Some(d) = &g.description {
        put(s, d, Some(&g.source));
    }
    for t in &g.targets {
        put(s, &t.text, Some(&t.source));
        ints.push(i64::from(t.year));
    }
    for i in &g.indicators {
        indicator(i, s, ints);
    }
    for c in &g.goals {
        goal(c, s, ints);
    }
}

fn indicator<'a>(i: &'a Indicator, s: &mut Vec<Piece<'a>>, ints: &mut Vec<i64>) {
    let at = Some(&i.source);
    put(s, &i.name, at);
    for o in [&i.description, &i.unit, &i.group].into_iter().flatten() {
        put(s, o, at);
    }
    for v in &i.values {
        if let Some(raw) = &v.raw {
            put(s, raw, Some(&v.source));
        }
        ints.push(i64::from(v.year));
    }
}

/// A multiplicative hash of a word's bytes and length, odd (0 marks an empty slot). A
/// short word is read in two overlapping loads (as wyhash does) rather than copied.
#[inline]
fn hash(p: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let n = p.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(p[i..i + 4].try_into().expect("4")));
    let u64_at = |i: usize| u64::from_le_bytes(p[i..i + 8].try_into().expect("8"));
    let mut h = (n as u64).wrapping_mul(K);
    if n <= 8 {
        // Both loads together cover every byte of a word this long.
        let v = if n >= 4 {
            (u32_at(0) << 32) | u32_at(n - 4)
        } else if n > 0 {
            (u64::from(p[0]) << 16) | (u64::from(p[n / 2]) << 8) | u64::from(p[n - 1])
        } else {
            0
        };
        h = (h ^ v).wrapping_mul(K);
    } else {
        let mut i = 0;
        while i + 8 < n {
            h = (h.rotate_left(5) ^ u64_at(i)).wrapping_mul(K);
            i += 8;
        }
        h = (h.rotate_left(5) ^ u64_at(n - 8)).wrapping_mul(K);
    }
    // The product's entropy is in its high bits: folded down for the table's index.
    (h ^ (h >> 29)).wrapping_mul(K) | 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        for_words(s, |w| v.push(w));
        v
    }

    #[test]
    fn words_are_alphanumeric_runs_with_digits_unpadded() {
        assert_eq!(
            words("KEHA-keskuksen 2026-02-13, ≤ 1 200 (OKM) 00 0,5"),
            [
                "KEHA",
                "keskuksen",
                "2026",
                "2",
                "13",
                "1",
                "200",
                "OKM",
                "0",
                "0",
                "5"
            ]
        );
        assert_eq!(words("Hyvä hallinto–ja"), ["Hyvä", "hallinto", "ja"]);
        assert!(words(" • – ").is_empty());
        // Digits then a capital: two words, also before a non-ASCII capital.
        assert_eq!(
            words("1.1.1.1Otsikko 2Äly 5g"),
            ["1", "1", "1", "1", "Otsikko", "2", "Äly", "5g"]
        );
    }

    #[test]
    fn the_table_grows_and_keeps_every_word() {
        let mut r = Reached {
            table: vec![0; 64],
            mask: 63,
            len: 0,
            signed: Vec::new(),
        };
        let words: Vec<String> = (0..5000).map(|i| format!("sana{i}")).collect();
        for w in &words {
            r.insert(hash(w.as_bytes()));
            r.insert(hash(w.as_bytes()));
        }
        assert!(words.iter().all(|w| r.contains(hash(w.as_bytes()))));
        assert!(!r.contains(hash(b"sana5000")));
        assert_eq!(r.len, 5000);
        assert!(r.len * 2 <= r.table.len());
    }

    #[test]
    fn words_of_any_length_hash_apart() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefgh",
            "abcdefghi",
            "bcdefghi",
        ];
        let mut hashes: Vec<u64> = words.iter().map(|w| hash(w.as_bytes())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
        assert!(hashes.iter().all(|h| h & 1 == 1));
    }

    fn agreement() -> Agreement {
        let doc = crate::convert_bytes(
            "a.txt",
            include_bytes!("../fixtures/arkisto-tulossopimus-2026-2029.txt"),
            &Default::default(),
        )
        .expect("converts");
        doc.agreements.into_iter().next().expect("an agreement")
    }

    /// The words taken from the lines are words of the output, and every line is
    /// answered as when the whole output is read.
    #[test]
    fn words_from_lines_answer_as_the_output_read() {
        for input in [
            &include_bytes!("../fixtures/keha-tulossopimus-2026-2029.txt")[..],
            include_bytes!("../fixtures/arkisto-tulossopimus-2026-2029.txt"),
        ] {
            let doc = crate::convert_bytes("a.txt", input, &Default::default()).expect("converts");
            let decoded = crate::decode::decode("a.txt", input).expect("decodes");
            let lines = crate::dialect::split(&decoded.text);
            let furniture = crate::blocks::build(&lines).furniture;
            let words = LineWords::new(&lines);
            let read = Reached::new(&doc.agreements);
            let taken = Reached::with_lines(&doc.agreements, &lines, &words, &furniture);
            assert!(taken.table.iter().all(|&h| h == 0 || read.contains(h)));
            for (i, l) in lines.lines.iter().enumerate() {
                assert_eq!(
                    taken.line_at(&words, i, l.text()),
                    read.line_at(&words, i, l.text()),
                    "line {}: {:?}",
                    l.number,
                    l.text()
                );
            }
        }
    }

    #[test]
    fn a_line_is_reached_only_when_all_its_words_are() {
        let a = [agreement()];
        let r = Reached::new(&a);
        let target = &a[0].strategic_lines[0].goals[0].targets[0];
        let first = target.text.split_whitespace().take(4).collect::<Vec<_>>();
        assert!(r.line(&format!("Tavoite {} {}", target.year, first.join(" "))));
        assert!(!r.line(&format!("{} Sanaton-lisäys", first.join(" "))));
        // The signing line: its date is `signed`, its place no field of the model.
        let signed = a[0].signed.as_deref().expect("signed");
        let (y, rest) = signed.split_once('-').expect("ISO");
        let (m, d) = rest.split_once('-').expect("ISO");
        let line = format!("Paikkakunnalla {}.{}.{y}", word(d), word(m));
        assert!(r.line(&line));
        assert!(!r.line(&format!(
            "Paikkakunnalla 1.1.{}",
            y.parse::<i32>().unwrap() + 5
        )));
    }
}
