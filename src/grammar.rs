//! The genre's printed grammar: labels, numbers, dates and tags that mean the same in
//! every agency's agreement (see `../shared/docs/GLOSSARY.md`). Nothing here knows any
//! particular agreement's wording.

use std::sync::LazyLock;

use crate::model::{Comparator, Period, ScaleStep, ValueKind};
use crate::scan;

// The patterns below are matched by hand (see [`crate::scan`] for why and for the
// conventions); each function gives its pattern in its comment, and the tests compare
// each with its regex. Unicode classes (\p{L}, \p{Lu}) are checked with [`is_letter`]
// and [`is_upper`].

/// A Unicode general category as sorted ranges, taken from regex-syntax's tables (the
/// ones the regexes use) without compiling an automaton for it.
struct Category(Vec<(char, char)>);

impl Category {
    fn new(class: &str) -> Self {
        let hir = regex_syntax::parse(class).expect("valid class");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) =
            hir.kind()
        else {
            unreachable!("a Unicode class")
        };
        Category(
            class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
        )
    }

    fn contains(&self, c: char) -> bool {
        self.0
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

static LETTERS: LazyLock<Category> = LazyLock::new(|| Category::new(r"\p{L}"));
static UPPER: LazyLock<Category> = LazyLock::new(|| Category::new(r"\p{Lu}"));

/// `\p{L}`: a letter.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        LETTERS.contains(c)
    }
}

/// `\p{Lu}`: an upper-case letter.
fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        UPPER.contains(c)
    }
}

/// Ministry codes used in impact-goal tags.
pub const MINISTRY_CODES: &[&str] = &[
    "VNK", "UM", "OM", "SM", "PLM", "VM", "OKM", "MMM", "LVM", "TEM", "STM", "YM",
];

/// `<label> YYYY rest` for one of `labels`: the label, the year and the trimmed rest.
/// Hand-written rather than a regex: it runs on every line, several times.
fn labelled_year<'a>(
    text: &'a str,
    labels: &[&'static str],
) -> Option<(&'static str, i32, &'a str)> {
    // Most lines start with none of the labels' first letters: no comparison for them.
    let first = *text.as_bytes().first()?;
    let label = labels
        .iter()
        .filter(|l| l.as_bytes()[0] == first)
        .find(|l| text.starts_with(**l))?;
    let rest = &text[label.len()..];
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() || trimmed.len() < 4 {
        return None;
    }
    if !trimmed.is_char_boundary(4) {
        return None;
    }
    let (digits, after) = trimmed.split_at(4);
    let century_ok = digits.starts_with("19") || digits.starts_with("20");
    if !century_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if after.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((label, digits.parse().ok()?, after.trim()))
}

/// `Tavoite 2026 <text>`: the year and the text after the label.
pub fn target_label(text: &str) -> Option<(i32, &str)> {
    labelled_year(text, &["Tavoite", "Mål"]).map(|(_, y, rest)| (y, rest))
}

/// `Mittayksikkö[:] <unit>`: the unit on the same line (may be empty).
pub fn unit_label(text: &str) -> Option<&str> {
    if !text.starts_with('M') {
        return None;
    }
    let rest = ["Mittayksikkö", "Måttenhet"]
        .iter()
        .find_map(|l| text.strip_prefix(l))?;
    if rest.starts_with(char::is_alphanumeric) {
        return None;
    }
    let rest = rest.trim_start();
    Some(rest.strip_prefix(':').unwrap_or(rest).trim())
}

/// A sentence's end: a full stop, question or exclamation mark (not a colon: an item
/// list may follow one).
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '?', '!'])
}

/// `Tav 2026 [value]`: kind, year and what follows on the line.
pub fn year_label(text: &str) -> Option<(ValueKind, i32, &str)> {
    let (label, year, rest) = labelled_year(text, &["Tav", "Tot", "Arv"])?;
    let kind = match label {
        "Tav" => ValueKind::Target,
        "Tot" => ValueKind::Actual,
        _ => ValueKind::Estimate,
    };
    Some((kind, year, rest))
}

/// A word of the labels above (`Tavoite`, `Mittayksikkö`, `Tav`, `Tot`, `Arv` and their
/// Swedish forms): what the grammar turns into structure rather than text.
pub fn is_label_word(w: &str) -> bool {
    matches!(
        w,
        "Tavoite" | "Mål" | "Mittayksikkö" | "Måttenhet" | "Tav" | "Tot" | "Arv"
    )
}

/// A row of bare year column headers: "2024 2025 2026".
pub fn bare_years(text: &str) -> Option<Vec<i32>> {
    is_bare_years(text).then(|| {
        text.split_whitespace()
            .filter_map(|y| y.parse().ok())
            .collect()
    })
}

/// A year alone: `^(?:19|20)\d\d$`.
pub fn single_year(text: &str) -> Option<i32> {
    let t = text.trim();
    let year = t.len() == 4
        && (t.starts_with("19") || t.starts_with("20"))
        && t.bytes().all(|b| b.is_ascii_digit());
    year.then(|| t.parse().ok()).flatten()
}

/// Whether `text` is a row of bare years ([`bare_years`]) without collecting them:
/// `^(?:(?:19|20)\d\d\s+)+(?:19|20)\d\d$`, by hand (it is asked of every value line).
pub fn is_bare_years(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
        && !text.ends_with(char::is_whitespace)
        && text.split_whitespace().all(|w| single_year(w).is_some())
        && text.split_whitespace().nth(1).is_some()
}

/// A label standing alone, its content in another cell: "Tavoite 2026", "Mittayksikkö",
/// "Tav 2027".
pub fn bare_label(text: &str) -> bool {
    target_label(text).is_some_and(|(_, rest)| rest.is_empty())
        || unit_label(text).is_some_and(str::is_empty)
        || year_label(text).is_some_and(|(_, _, rest)| rest.is_empty())
}

/// Any label of the results-table grammar that starts a new cell.
pub fn is_row_label(text: &str) -> bool {
    target_label(text).is_some()
        || unit_label(text).is_some()
        || year_label(text).is_some()
        || is_bare_years(text)
}

/// A numbered chapter heading "2.1 Title" or "1.1. Title": (number without final dot, title).
pub fn chapter_heading(text: &str) -> Option<(String, String)> {
    let appendix = text.starts_with("Liite");
    if !appendix && !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if text.chars().count() > 160 {
        return None;
    }
    if appendix {
        let (label, rest) = appendix_parts(text)?;
        if rest.chars().count() > 150 {
            return None;
        }
        let number = label.split_whitespace().collect::<Vec<_>>().join(" ");
        let title = rest.trim();
        let title = if title.is_empty() {
            label.trim()
        } else {
            title
        };
        return Some((number, collapse(title)));
    }
    let (number, title) = chapter_parts(text)?;
    if !title.starts_with(is_upper) {
        return None;
    }
    // "1. Työllisyys kasvaa (TEM)": an impact goal in a numbered list, not a chapter.
    if ministry_tag(title).is_some() {
        return None;
    }
    let title = title.trim();
    // "2026 Tavoite" or "13.2.2026" are not headings: chapter numbers are small.
    if title.ends_with(['.', ',', ';']) && title.split_whitespace().count() > 12 {
        return None;
    }
    Some((number.to_owned(), collapse(title)))
}

/// `^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(\S.*)$`: the number and the title.
fn chapter_parts(text: &str) -> Option<(&str, &str)> {
    let (_, mut rest) = scan::number(text, 2)?;
    for _ in 0..4 {
        match rest.strip_prefix('.').and_then(|r| scan::number(r, 2)) {
            Some((_, r)) => rest = r,
            None => break,
        }
    }
    let number = &text[..text.len() - rest.len()];
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let title = scan::spaces(rest)?;
    (!title.is_empty() && !title.contains('\n')).then_some((number, title))
}

/// `^(Liitteet|Liite\s+\d{1,3})\s*[:.–-]?\s*([^\n]*)$`: the label and the rest.
fn appendix_parts(text: &str) -> Option<(&str, &str)> {
    let after_label = match text.strip_prefix("Liitteet") {
        Some(rest) => rest,
        None => scan::number(scan::spaces(text.strip_prefix("Liite")?)?, 3)?.1,
    };
    let label = &text[..text.len() - after_label.len()];
    let rest = after_label.trim_start();
    let rest = rest
        .strip_prefix([':', '.', '–', '-'])
        .unwrap_or(rest)
        .trim_start();
    (!rest.contains('\n')).then_some((label, rest))
}

/// Depth of a chapter number: "2" is 1, "2.1" is 2; appendices are 1, a "Liite N" 2.
pub fn chapter_level(number: &str) -> u32 {
    if number.starts_with("Liitteet") {
        1
    } else if number.starts_with("Liite") {
        2
    } else {
        number.split('.').count() as u32
    }
}

/// `Taulukko: <caption>`: the caption.
pub fn caption(text: &str) -> Option<&str> {
    if !text.starts_with("Taulukko") {
        return None;
    }
    // ^Taulukko\s*\d*\s*[:.]\s*(\S[^\n]*)$
    let rest = text["Taulukko".len()..].trim_start();
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.trim_start().strip_prefix([':', '.'])?.trim_start();
    (!rest.is_empty() && !rest.contains('\n')).then(|| rest.trim())
}

/// The text names the document kind ("tulossopimus").
pub fn names_agreement(text: &str) -> bool {
    // (?i)(?-u:\b)(?:tulossopimus|resultatavtal)(?-u:\b)
    let b = text.as_bytes();
    // Byte by byte: the words start with ASCII letters, which are whole characters.
    b.iter().enumerate().any(|(i, c)| {
        matches!(c, b't' | b'T' | b'r' | b'R')
            && scan::boundary(b, i)
            && ["tulossopimus", "resultatavtal"].iter().any(|w| {
                scan::strip_word_ci(&text[i..], w)
                    .is_some_and(|rest| scan::boundary(b, text.len() - rest.len()))
            })
    })
}

/// A cover-page title: names the agreement and its years.
pub fn cover_title(text: &str) -> Option<Period> {
    // A title is a name, not a sentence: a closing paragraph that mentions the
    // agreement and its years ends with a full stop.
    let text = text.trim();
    if !names_agreement(text) || text.chars().count() > 160 || text.ends_with(['.', ':', ';']) {
        return None;
    }
    if let Some((start, end)) = period(text) {
        return Some(Period { start, end });
    }
    let year = first_year(text)?;
    Some(Period {
        start: year,
        end: year,
    })
}

/// The first `(?-u:\b)((?:19|20)\d\d)\s*[–—-]\s*((?:19|20)\d\d)(?-u:\b)`.
fn period(text: &str) -> Option<(i32, i32)> {
    years(text).find_map(|(start, rest)| {
        let rest = rest.trim_start().strip_prefix(['–', '—', '-'])?;
        let (end, rest) = scan::year(rest.trim_start())?;
        scan::boundary(text.as_bytes(), text.len() - rest.len()).then_some((start, end))
    })
}

/// The first `(?-u:\b)((?:19|20)\d\d)(?-u:\b)`.
fn first_year(text: &str) -> Option<i32> {
    years(text).find_map(|(year, rest)| {
        scan::boundary(text.as_bytes(), text.len() - rest.len()).then_some(year)
    })
}

/// Each `(?-u:\b)(?:19|20)\d\d` of `text`, in order: the year and the text after it.
fn years(text: &str) -> impl Iterator<Item = (i32, &str)> {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| b[i].is_ascii_digit() && scan::boundary(b, i))
        .filter_map(|i| scan::year(&text[i..]))
}

/// A date standing alone ("13.2.2026", "Helsingissä 13.2.2026", "13. helmikuuta 2026"), as ISO 8601.
pub fn date(text: &str) -> Option<String> {
    // Both patterns end in a year: a line that does not end in a digit (or a digit and
    // a full stop) is no date, and most lines are not.
    if !text
        .strip_suffix('.')
        .unwrap_or(text)
        .ends_with(char::is_numeric)
    {
        return None;
    }
    // The optional place before the date: (?:\p{L}+\s+)?
    let text = if text.starts_with(is_letter) {
        let end = text.find(char::is_whitespace)?;
        if !text[..end].chars().all(is_letter) {
            return None;
        }
        text[end..].trim_start()
    } else {
        text
    };
    let (d, m, y) = numeric_date(text).or_else(|| worded_date(text))?;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&d)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `^(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)\.?$`: day, month and year.
fn numeric_date(text: &str) -> Option<(u32, u32, i32)> {
    let (d, rest) = scan::number(text, 2)?;
    let (m, rest) = scan::number(scan::one_space(rest.strip_prefix('.')?), 2)?;
    let (y, rest) = scan::year(scan::one_space(rest.strip_prefix('.')?))?;
    if !rest.strip_prefix('.').unwrap_or(rest).is_empty() {
        return None;
    }
    Some((d.parse().ok()?, m.parse().ok()?, y))
}

/// `^(\d{1,2})\.?\s+(tammikuuta|…|joulukuuta)\s+((?:19|20)\d\d)\.?$`: day, month
/// and year.
fn worded_date(text: &str) -> Option<(u32, u32, i32)> {
    const MONTHS: [&str; 12] = [
        "tammikuuta",
        "helmikuuta",
        "maaliskuuta",
        "huhtikuuta",
        "toukokuuta",
        "kesäkuuta",
        "heinäkuuta",
        "elokuuta",
        "syyskuuta",
        "lokakuuta",
        "marraskuuta",
        "joulukuuta",
    ];
    let (d, rest) = scan::number(text, 2)?;
    let rest = scan::spaces(rest.strip_prefix('.').unwrap_or(rest))?;
    // No month's name starts another's: at most one matches.
    let (m, month) = MONTHS
        .iter()
        .enumerate()
        .find(|(_, m)| rest.starts_with(**m))?;
    let (y, rest) = scan::year(scan::spaces(&rest[month.len()..])?)?;
    if !rest.strip_prefix('.').unwrap_or(rest).is_empty() {
        return None;
    }
    Some((d.parse().ok()?, m as u32 + 1, y))
}

/// Parses a printed value: comparator and number. `None` when it is not a value, or
/// when the number is too large for an `f64` (over 308 digits): JSON has no infinity,
/// so it would be written as `null` and read back as a different document.
pub fn parse_value(raw: &str) -> Option<(Option<Comparator>, f64)> {
    let (comparator, number, rest) = value_parts(raw.trim())?;
    if !unit_ok(rest) {
        return None;
    }
    let comparator = comparator.map(|c| match c {
        ">" => Comparator::Gt,
        ">=" | "≥" => Comparator::Ge,
        "<" => Comparator::Lt,
        "<=" | "≤" => Comparator::Le,
        _ => Comparator::Eq,
    });
    let number: String = number
        .chars()
        .filter_map(|ch| match ch {
            ' ' | '\u{a0}' | '\u{202f}' => None,
            ',' => Some('.'),
            '−' => Some('-'),
            c => Some(c),
        })
        .collect();
    let number: f64 = number.parse().ok()?;
    number.is_finite().then_some((comparator, number))
}

/// `raw` with one space between its leading comparator and what follows ("≤6" ->
/// "≤ 6"); unchanged when there is no comparator or the space is there.
pub fn comparator_spaced(raw: String) -> String {
    match comparator(&raw) {
        Some((c, rest)) if !rest.is_empty() && !rest.starts_with(char::is_whitespace) => {
            format!("{c} {rest}")
        }
        _ => raw,
    }
}

/// The comparators, longer first: `(>=|<=|≥|≤|>|<|=)`.
const COMPARATORS: [&str; 7] = [">=", "<=", "≥", "≤", ">", "<", "="];

/// A comparator at the start of `s`, and the rest.
fn comparator(s: &str) -> Option<(&str, &str)> {
    COMPARATORS
        .iter()
        .find_map(|c| s.strip_prefix(c).map(|rest| (*c, rest)))
}

/// `[-+−]?` at the start of `s`, when a digit follows: the rest after the sign.
fn after_sign(s: &str) -> Option<&str> {
    let rest = s.strip_prefix(['-', '+', '−']).unwrap_or(s);
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then_some(rest)
}

/// `(?:[ \u{00A0}\u{202F}]\d{3})*` at the start of `s`, greedy: the rest after the
/// groups, and how many there were.
fn thousands(mut s: &str) -> (&str, usize) {
    let mut groups = 0;
    while let Some(rest) = s.strip_prefix([' ', '\u{a0}', '\u{202f}']) {
        if scan::digits(rest, 3) < 3 {
            break;
        }
        s = &rest[3..];
        groups += 1;
    }
    (s, groups)
}

/// `(?:[,.]\d+)?` (`decimal_points` = `[',', '.']`) or `(?:,\d+)?` at the start of
/// `s`, greedy: the rest.
fn decimals<'a>(s: &'a str, decimal_points: &[char]) -> &'a str {
    match s.strip_prefix(decimal_points) {
        Some(rest) if scan::digits(rest, 1) == 1 => {
            rest.trim_start_matches(|c: char| c.is_ascii_digit())
        }
        _ => s,
    }
}

/// `^(>=|<=|≥|≤|>|<|=)?\s*([-+−]?\d{1,3}(?:[ \u{00A0}\u{202F}]\d{3})+(?:,\d+)?|[-+−]?\d+(?:[,.]\d+)?)\s*((?s:.*))$`:
/// the comparator, the number and what follows it.
fn value_parts(text: &str) -> Option<(Option<&str>, &str, &str)> {
    let (cmp, rest) = match comparator(text) {
        Some((c, rest)) => (Some(c), rest),
        None => (None, text),
    };
    let start = rest.trim_start();
    let digits = after_sign(start)?;
    let leading = scan::digits(digits, usize::MAX);
    // With thousands groups, the first group has 1 to 3 digits and one group at least
    // follows; otherwise any run of digits.
    let grouped = match thousands(&digits[leading..]) {
        (after, groups) if leading <= 3 && groups > 0 => Some(decimals(after, &[','])),
        _ => None,
    };
    let after = grouped.unwrap_or_else(|| decimals(&digits[leading..], &[',', '.']));
    let number = &start[..start.len() - after.len()];
    Some((cmp, number, after.trim_start()))
}

/// What may follow a value's number: nothing, `%`, or one or two words of letters, `.`
/// and `€`, each of 1 to 12 characters, separated by one white space character.
fn unit_ok(rest: &str) -> bool {
    if rest.is_empty() || rest == "%" {
        return true;
    }
    let word = |w: &str| {
        (1..=12).contains(&w.chars().count())
            && w.chars().all(|c| c == '.' || c == '€' || is_letter(c))
    };
    match rest.find(char::is_whitespace) {
        None => word(rest),
        Some(i) => {
            let space = rest[i..].chars().next().map_or(1, char::len_utf8);
            word(&rest[..i]) && word(&rest[i + space..])
        }
    }
}

/// The values in a line of several, each a comparator and a number with its sign,
/// decimals and unit ("> 4,0 ≥ 4,5 = 5"). Thousands separators make "1 200 1 300"
/// ambiguous; the greedy reading keeps groups of three digits together.
pub fn value_tokens(line: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = value_token(rest) {
            tokens.push(collapse(&rest[..rest.len() - after.len()]));
            rest = after;
            continue;
        }
        // No token starts here, nor anywhere else in a run of white space: the run
        // ends in the same character for each.
        let mut chars = rest.chars();
        let first = chars.next().expect("not empty");
        rest = if first.is_whitespace() {
            rest.trim_start()
        } else {
            chars.as_str()
        };
    }
    tokens
}

/// One value token at the start of `s`, as the regex
/// `(?:>=|<=|≥|≤|>|<|=)?\s*[-+−]?\d{1,3}(?:[ \u{00A0}\u{202F}]\d{3})*(?:,\d+)?(?:\s*%)?`
/// (which was followed by an alternative `…\d+…` that could never be chosen: it
/// matches only where the first does) finds it: the rest after it.
fn value_token(s: &str) -> Option<&str> {
    let rest = comparator(s).map_or(s, |(_, rest)| rest);
    let digits = after_sign(rest.trim_start())?;
    let (after, _) = thousands(&digits[scan::digits(digits, 3)..]);
    let after = decimals(after, &[',']);
    Some(after.trim_start().strip_prefix('%').unwrap_or(after))
}

/// A line that can only be a value cell: a comparator or a number first.
pub fn is_value_like(text: &str) -> bool {
    let t = text.trim();
    t.starts_with(['<', '>', '=', '≤', '≥'])
        || t.starts_with(|c: char| c.is_ascii_digit())
            && !is_bare_years(t)
            && row_number(t).is_none()
        || matches!(t, "-" | "–" | "—")
}

/// "text (OKM)": the text without the tag, and the code.
pub fn ministry_tag(text: &str) -> Option<(&str, &str)> {
    // ^(.*?)\s*\(([A-ZÅÄÖ]{1,5})\)\s*$ by hand: the regex engine spent tens of
    // thousands of instructions on the lazy prefix of every impact goal.
    let inner = text.trim_end().strip_suffix(')')?;
    let code_start = inner
        .char_indices()
        .rev()
        .take_while(|&(_, c)| matches!(c, 'A'..='Z' | 'Å' | 'Ä' | 'Ö'))
        .last()
        .map_or(inner.len(), |(i, _)| i);
    let code = &inner[code_start..];
    if !(1..=5).contains(&code.chars().count()) {
        return None;
    }
    let head = inner[..code_start].strip_suffix('(')?.trim_end();
    (!head.contains('\n')).then_some((head, code))
}

/// A cell holding nothing but a known ministry code, bare ("VM") or bracketed ("(VM)"):
/// the code. The last cell of an impact-goal table row.
pub fn ministry_cell(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let code = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t)
        .trim();
    MINISTRY_CODES.iter().find(|&&c| c == code).copied()
}

/// A signature rule typed as text: five or more underscores, dashes or dots and
/// nothing else.
pub fn is_rule_line(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() >= 5
        && t.chars()
            .all(|c| matches!(c, '_' | '-' | '.' | '…' | '–' | '—'))
}

/// A signatory's name: two to five words, each capitalized (hyphenated parts too), no
/// digits ("Anna-Liisa Virtanen"). An organisation's name has a lower-case word or one word.
pub fn person_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.split('-')
                .all(|part| part.chars().next().is_some_and(char::is_uppercase))
                && !w.chars().any(|c| c.is_ascii_digit())
        })
}

/// A signatory's title: a short lower-case phrase ("ylijohtaja", "johtava asiantuntija").
pub fn person_title(text: &str) -> bool {
    let t = text.trim();
    starts_lowercase(t)
        && t.split_whitespace().count() <= 6
        && !t.chars().any(|c| c.is_ascii_digit())
        && !t.ends_with(['.', ':', ';', '!', '?'])
}

/// "• item": the item.
pub fn bullet(text: &str) -> Option<&str> {
    // `^[•▪◦·*–-]\s+(\S.*)$`, by hand: it is asked of every line.
    let mut chars = text.chars();
    if !matches!(chars.next()?, '•' | '▪' | '◦' | '·' | '*' | '–' | '-') {
        return None;
    }
    let rest = chars.as_str();
    let item = rest.trim_start();
    // `\s+`, then `.` (no newline) to the end.
    (item.len() < rest.len() && !item.is_empty() && !item.contains('\n')).then_some(item)
}

/// A results-table row numbered by its place in the tree ("1.", "1.2", "1.2.1 Title"):
/// the depth of the number (1 for "1.") and the title after it. The title starts with an
/// upper-case letter, right after the number or after white space.
pub fn row_number(text: &str) -> Option<(u32, &str)> {
    let (_, mut rest) = scan::number(text, 2)?;
    let mut depth = 1;
    while let Some(r) = rest.strip_prefix('.').and_then(|r| scan::number(r, 2)) {
        depth += 1;
        rest = r.1;
    }
    // A dot or white space ends the number: "5G-verkko" is a title, not row 5.
    let dotted = rest.starts_with('.');
    let rest = match rest.strip_prefix('.') {
        Some(r) => r,
        None if rest.starts_with(char::is_whitespace) => rest,
        // "1.1.1.1.1Title": a number too wide for its cell runs into the title.
        None if depth >= 2 => rest,
        None => return None,
    };
    let joined = (depth >= 2).then(|| joined_tail(dotted, rest)).flatten();
    let (depth, rest) = match joined {
        Some((levels, r)) => (depth + levels, r),
        None => (depth, rest),
    };
    let title = rest.trim_start();
    (depth <= 8 && title.starts_with(is_upper)).then_some((depth, title))
}

/// The tail of a row number wrapped at a dot and joined again with a space, as a dump's
/// line break is ("1.1.1. 1 Title", "2.1.1. 1.1 Title", "2.1.1.1 .1 Title"): how many
/// levels it adds and the text after it. `rest` follows a number of two levels or more
/// (as a number too wide for its column breaks), `dotted` when that number ended in a
/// dot: then the tail starts with a digit, otherwise with a dot.
fn joined_tail(dotted: bool, rest: &str) -> Option<(u32, &str)> {
    let tail = scan::spaces(rest)?;
    let end = tail.find(char::is_whitespace)?;
    let token = &tail[..end];
    let levels = match (dotted, token.starts_with('.')) {
        (true, false) => row_number_tail(&format!(".{token}"))?,
        (false, true) => row_number_tail(token)?,
        _ => return None,
    };
    Some((levels, &tail[end..]))
}

/// The parts of a section or row number ("4", "4.1.2", "4." and "4.1.2." alike), when
/// every part is a number.
pub fn number_parts(number: &str) -> Option<Vec<u32>> {
    let parts = number.trim_end_matches('.').split('.').map(str::parse);
    parts.collect::<Result<Vec<u32>, _>>().ok()
}

/// A row number standing alone, in a column of its own ("1.", "1.2", "1.2.1", or
/// "1.2.2. 1" wrapped at a dot): its depth. At least one dot, so that a lone integer
/// stays a value.
pub fn bare_row_number(text: &str) -> Option<u32> {
    let mut rest = text.trim();
    let mut depth = 0;
    let mut dots = 0;
    while let Some((_, r)) = scan::number(rest, 2) {
        depth += 1;
        match r.strip_prefix('.') {
            // A number wrapped at a dot goes on after the line break.
            Some(r) => {
                dots += 1;
                rest = r.trim_start();
            }
            None => {
                rest = r;
                break;
            }
        }
    }
    (depth > 0 && dots > 0 && rest.is_empty() && depth <= 8).then_some(depth)
}

/// The tail of a row number wrapped onto a line of its own (".1", ".2.1"): how many
/// levels it adds. A number wider than its column breaks at a dot.
pub fn row_number_tail(text: &str) -> Option<u32> {
    let mut rest = text.trim();
    let mut levels = 0;
    while let Some(r) = rest.strip_prefix('.').filter(|r| !r.is_empty()) {
        let (_, r) = scan::number(r, 2)?;
        levels += 1;
        rest = r;
    }
    (levels > 0 && matches!(rest, "" | ".")).then_some(levels)
}

/// The tail of a row number wrapped right after a dot ("1.1.1." then "1"): when the
/// number before it ends in a dot (`dotted`), a tail may also start with a digit.
pub fn wrapped_number_tail(text: &str, dotted: bool) -> Option<u32> {
    let t = text.trim();
    if let Some(levels) = row_number_tail(t) {
        return Some(levels);
    }
    if !dotted || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    row_number_tail(&format!(".{t}"))
}

/// Whether the row number that opens `text` ends in a dot after more than one level
/// ("1.1.1. Title"): where a wrapped number breaks. A number of one level ("1.") is
/// too short to wrap.
pub fn number_ends_in_dot(text: &str) -> bool {
    let number: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    number.matches('.').count() >= 2 && number.ends_with('.')
}

/// A list item: "• item", "1. item", "1) item" or "a) item": the item.
pub fn list_item(text: &str) -> Option<&str> {
    if let Some(item) = bullet(text) {
        return Some(item);
    }
    let marker = text
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&end| end <= 2)
        .or_else(|| {
            text.starts_with(|c: char| c.is_ascii_lowercase())
                .then_some(1)
        })?;
    let rest = text[marker..]
        .strip_prefix('.')
        .filter(|_| text.as_bytes()[0].is_ascii_digit())
        .or_else(|| text[marker..].strip_prefix(')'))?;
    let item = rest.trim_start();
    (item.len() < rest.len() && !item.is_empty() && !item.contains('\n')).then_some(item)
}

/// First visible character is a lower-case letter: the line continues a sentence.
pub fn starts_lowercase(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Steps of an evaluation scale written "LABEL (3) = meaning, LABEL (2) = ...".
/// Each "(N) =" preceded by a label of three or more upper-case letters (and optional
/// white space), as `(\p{Lu}{3,})\s*\((\d{1,2})\)\s*=\s*` finds them: (label, score,
/// start of the label, end of the match).
fn scale_matches(text: &str) -> Vec<(&str, &str, usize, usize)> {
    let mut found: Vec<(&str, &str, usize, usize)> = Vec::new();
    for (start, score, end) in scale_scores(text) {
        let before = text[..start].trim_end();
        let label_start = before
            .char_indices()
            .rev()
            .take_while(|&(_, ch)| is_upper(ch))
            .last()
            .map_or(before.len(), |(i, _)| i);
        let label = &before[label_start..];
        if label.chars().count() >= 3 {
            found.push((label, score, label_start, end));
        }
    }
    found
}

/// Each `\((\d{1,2})\)\s*=\s*`, in order: its start, the digits and its end.
fn scale_scores(text: &str) -> Vec<(usize, &str, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| from + i) {
        let score = || {
            let (digits, rest) = scan::number(&text[open + 1..], 2)?;
            let rest = rest.strip_prefix(')')?.trim_start();
            let rest = rest.strip_prefix('=')?.trim_start();
            Some((digits, text.len() - rest.len()))
        };
        match score() {
            Some((digits, end)) => {
                found.push((open, digits, end));
                from = end;
            }
            None => from = open + 1,
        }
    }
    found
}

pub fn scale_steps(text: &str) -> Vec<ScaleStep> {
    let found = scale_matches(text);
    let mut steps = Vec::new();
    for (i, &(label, score, _, match_end)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(text.len(), |n| n.2);
        let mut meaning = &text[match_end..end];
        if i + 1 == found.len() {
            // The last meaning ends with its sentence.
            if let Some(p) = meaning.find(". ") {
                meaning = &meaning[..p];
            }
        }
        let meaning = meaning
            .trim()
            .trim_end_matches([',', '.', ';'])
            .trim()
            .to_owned();
        if let Ok(score) = score.parse() {
            steps.push(ScaleStep {
                score,
                label: label.to_owned(),
                meaning,
            });
        }
    }
    steps
}

pub use crate::text::collapse;

#[cfg(test)]
mod tests {

    #[test]
    fn a_row_number_in_a_column_of_its_own() {
        use super::bare_row_number as n;
        assert_eq!(n("1."), Some(1));
        assert_eq!(n("1.2"), Some(2));
        assert_eq!(n("1.2.2. 1"), Some(4));
        assert_eq!(n("12"), None);
        assert_eq!(n("2026"), None);
        assert_eq!(n("1.2 Otsikko"), None);
        assert_eq!(n("100.5"), None);
    }
    #[test]
    fn a_wrapped_row_number_tail_adds_its_levels() {
        assert_eq!(super::row_number_tail(".1"), Some(1));
        assert_eq!(super::row_number_tail(" .2.10 "), Some(2));
        assert_eq!(super::row_number_tail(".1."), Some(1));
        assert_eq!(super::row_number_tail("1.1"), None);
        assert_eq!(super::row_number_tail(".1 Otsikko"), None);
        assert_eq!(super::row_number_tail("."), None);
        // Wrapped right after a dot: a digit starts the tail, only after "1.1.1.".
        assert!(super::number_ends_in_dot("1.1.1. Otsikko"));
        assert!(!super::number_ends_in_dot("1. Otsikko"));
        assert!(!super::number_ends_in_dot("1.1 Otsikko"));
        assert_eq!(super::wrapped_number_tail("1", true), Some(1));
        assert_eq!(super::wrapped_number_tail("1.2", true), Some(2));
        assert_eq!(super::wrapped_number_tail("1", false), None);
        assert_eq!(super::wrapped_number_tail(".1", false), Some(1));
        assert_eq!(super::wrapped_number_tail("1 200", true), None);
    }

    #[test]
    fn ministry_cells_are_known_codes_alone() {
        assert_eq!(ministry_cell("VM"), Some("VM"));
        assert_eq!(ministry_cell(" (TEM) "), Some("TEM"));
        assert_eq!(ministry_cell("XYZ"), None);
        assert_eq!(ministry_cell("(ABC)"), None);
        assert_eq!(ministry_cell("VM ja TEM"), None);
        assert_eq!(ministry_cell("Ministeriö"), None);
    }

    #[test]
    fn rule_lines_names_and_titles() {
        assert!(is_rule_line("____________"));
        assert!(is_rule_line("  ..........  "));
        assert!(!is_rule_line("___"));
        assert!(!is_rule_line("__ Nimi __"));
        assert!(person_name("Päivi Tuominen"));
        assert!(person_name("Anna-Liisa Öhman"));
        assert!(!person_name("Valtiokonttori"));
        assert!(!person_name("Turvallisuus- ja kemikaalivirasto"));
        assert!(!person_name("Suomen ympäristökeskus"));
        assert!(!person_name("Sivu 3"));
        assert!(person_title("johtava asiantuntija"));
        assert!(!person_title("Ylijohtaja"));
        assert!(!person_title("tavoite on toteutunut."));
    }

    #[test]
    fn row_numbers_give_depth_and_title() {
        assert_eq!(row_number("1. Linja"), Some((1, "Linja")));
        assert_eq!(row_number("1.2.3    Tavoite"), Some((3, "Tavoite")));
        assert_eq!(row_number("1.1.1.1.1Yhteistyö"), Some((5, "Yhteistyö")));
        // Wrapped after a dot, joined with a space.
        assert_eq!(row_number("1.1.1. 1 Neuvonta"), Some((4, "Neuvonta")));
        assert_eq!(row_number("2.1.1. 1.1 Energia"), Some((5, "Energia")));
        assert_eq!(row_number("2.1.1.1 .1 Yhteistyö"), Some((5, "Yhteistyö")));
        assert_eq!(row_number("1. 2 Linja"), None);
        assert_eq!(comparator_spaced("≤6".into()), "≤ 6");
        assert_eq!(comparator_spaced(">=1 000".into()), ">= 1 000");
        assert_eq!(comparator_spaced("≥ 95".into()), "≥ 95");
        assert_eq!(comparator_spaced("95".into()), "95");
        assert_eq!(row_number("1 .2 Linja"), None);
        assert_eq!(row_number("2026 alkaen"), None);
        assert_eq!(row_number("12 kpl"), None);
        assert_eq!(row_number("Linja"), None);
        assert_eq!(row_number("5G-verkko kattaa maan"), None);
        // A numbered row is no value; values stay values.
        assert!(!is_value_like("1.2 Palvelut paranevat"));
        assert!(is_value_like("1 200") && is_value_like("4,0") && is_value_like("12 kpl"));
    }

    #[test]
    fn list_items_by_bullet_number_or_letter() {
        assert_eq!(
            list_item("• Työllisyys kasvaa (TEM)"),
            Some("Työllisyys kasvaa (TEM)")
        );
        assert_eq!(list_item("1. Työllisyys kasvaa"), Some("Työllisyys kasvaa"));
        assert_eq!(list_item("12) Talous vahvistuu"), Some("Talous vahvistuu"));
        assert_eq!(list_item("b) Talous vahvistuu"), Some("Talous vahvistuu"));
        assert_eq!(list_item("2.1 Johdon katsaus"), None);
        assert_eq!(list_item("2026 alkaen"), None);
        assert_eq!(list_item("123. liian pitkä"), None);
        assert_eq!(list_item("a. ei kirjain pisteellä"), None);
        assert_eq!(list_item("ja) ei"), None);
    }

    #[test]
    fn a_numbered_impact_goal_is_not_a_chapter() {
        assert_eq!(
            chapter_heading("1. Työllisyys kasvaa ja osaavan työvoiman saatavuus paranee (TEM)"),
            None
        );
        assert!(chapter_heading("2 Yhteiskunnallinen vaikuttavuus").is_some());
    }
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(
            target_label("Tavoite 2026 Elinvoimakeskuksia koskevat"),
            Some((2026, "Elinvoimakeskuksia koskevat"))
        );
        assert_eq!(target_label("Tavoite 2027"), Some((2027, "")));
        assert_eq!(target_label("Tavoitteena 2026 on"), None);
        assert_eq!(target_label("Tavoite 20265"), None);
        assert_eq!(target_label("Tavoite aää"), None);
        assert_eq!(year_label("Tav €"), None);
        assert_eq!(target_label("Tavoite 1826 x"), None);
        assert_eq!(year_label("Tav. 2027"), Some((ValueKind::Target, 2027, "")));
        assert_eq!(unit_label("Mittayksikkölle"), None);
        assert_eq!(unit_label("Mittayksikkö"), Some(""));
        assert_eq!(unit_label("Mittayksikkö: kpl"), Some("kpl"));
        assert_eq!(year_label("Tot 2024"), Some((ValueKind::Actual, 2024, "")));
        assert_eq!(
            year_label("Tav 2026 > 4,0"),
            Some((ValueKind::Target, 2026, "> 4,0"))
        );
        assert_eq!(
            year_label("Arv 2025").map(|v| v.0),
            Some(ValueKind::Estimate)
        );
        assert_eq!(bare_years("2024 2025 2026"), Some(vec![2024, 2025, 2026]));
        assert_eq!(bare_years("2024 on vuosi"), None);
        assert!(is_row_label("Mittayksikkö: %"));
        assert!(!is_row_label("Tavoitteena on"));
    }

    #[test]
    fn chapter_headings() {
        assert_eq!(
            chapter_heading("1.1. KEHA-keskuksen tehtävät"),
            Some(("1.1".into(), "KEHA-keskuksen tehtävät".into()))
        );
        assert_eq!(
            chapter_heading("1   Strategiset linjaukset"),
            Some(("1".into(), "Strategiset linjaukset".into()))
        );
        assert_eq!(
            chapter_heading("Liite 0: Seurantamittarit"),
            Some(("Liite 0".into(), "Seurantamittarit".into()))
        );
        assert_eq!(chapter_level("2.1"), 2);
        assert_eq!(chapter_heading("2028 jälkeen tuottaa"), None);
        assert_eq!(chapter_heading("13.2.2026"), None);
    }

    #[test]
    fn values() {
        use Comparator::*;
        assert_eq!(parse_value("> 4,0"), Some((Some(Gt), 4.0)));
        assert_eq!(parse_value("≤ 30,0"), Some((Some(Le), 30.0)));
        assert_eq!(parse_value("≥ 95"), Some((Some(Ge), 95.0)));
        assert_eq!(parse_value("< 11"), Some((Some(Lt), 11.0)));
        assert_eq!(parse_value("1 200"), Some((None, 1200.0)));
        assert_eq!(parse_value("12\u{a0}000 kpl"), Some((None, 12000.0)));
        assert_eq!(parse_value("= 0"), Some((Some(Eq), 0.0)));
        assert_eq!(parse_value("85 %"), Some((None, 85.0)));
        assert_eq!(parse_value(">= 2,91"), Some((Some(Ge), 2.91)));
        assert_eq!(parse_value("3-4 kertaa"), None);
        assert_eq!(parse_value("ei asetettu"), None);
        assert_eq!(parse_value(&"9".repeat(400)), None);
    }

    #[test]
    fn value_tokens_split_a_line() {
        assert_eq!(
            value_tokens("> 4,0 ≥ 4,5 = 5"),
            vec!["> 4,0", "≥ 4,5", "= 5"]
        );
        assert_eq!(value_tokens("1 200 1 300"), vec!["1 200", "1 300"]);
        assert_eq!(value_tokens("85 % 90 %"), vec!["85 %", "90 %"]);
    }

    #[test]
    fn dates() {
        assert_eq!(date("13.2.2026").as_deref(), Some("2026-02-13"));
        assert_eq!(date("Helsingissä 15.1.2026").as_deref(), Some("2026-01-15"));
        assert_eq!(date("4. maaliskuuta 2027").as_deref(), Some("2027-03-04"));
        assert_eq!(date("31.2.2026"), None);
        assert_eq!(date("1.1.2027 tulorekisteritieto"), None);
    }

    #[test]
    fn cover_and_tags() {
        let p = cover_title("Ministeriön ja viraston välinen tulossopimus 2026–2029");
        assert_eq!(
            p,
            Some(Period {
                start: 2026,
                end: 2029
            })
        );
        assert_eq!(cover_title("Tulossopimuksessa tulostavoitteet 2026"), None);
        assert_eq!(
            cover_title("Tämä tulossopimus on voimassa vuosina 2026–2029."),
            None,
            "a sentence is not a title"
        );
        assert_eq!(
            ministry_tag("Liikkuva elämäntapa vahvistuu (OKM)"),
            Some(("Liikkuva elämäntapa vahvistuu", "OKM"))
        );
        assert_eq!(bullet("• Yhteistyö"), Some("Yhteistyö"));
        assert!(starts_lowercase(" sidosryhmien kanssa"));
        assert!(!starts_lowercase("Sidosryhmien"));
    }

    #[test]
    fn scale() {
        let s = scale_steps("arvioidaan seuraavasti: VIHREÄ (3) = tavoite on saavutettu tai ylitetty, KELTAINEN (2) = osittain, PUNAINEN (1) = ei lainkaan. Sanallisessa raportoinnissa");
        let got: Vec<(i32, &str, &str)> = s
            .iter()
            .map(|s| (s.score, s.label.as_str(), s.meaning.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "VIHREÄ", "tavoite on saavutettu tai ylitetty"),
                (2, "KELTAINEN", "osittain"),
                (1, "PUNAINEN", "ei lainkaan")
            ]
        );
    }

    /// The hand-checked patterns give exactly what the original regexes gave: each
    /// function is compared with a reference built on the original pattern, over
    /// strings drawn from the characters that matter to them. The references write
    /// `[0-9]` where the originals had `\d`: digits are ASCII ([`crate::scan`]).
    mod same_as_the_original_patterns {
        use super::super::*;
        use proptest::prelude::*;
        use regex::Regex;

        /// The original patterns, compiled once (some take long in a debug build).
        fn re(p: &'static str) -> Regex {
            use std::collections::HashMap;
            use std::sync::Mutex;
            static CACHE: LazyLock<Mutex<HashMap<&'static str, Regex>>> =
                LazyLock::new(Default::default);
            let mut cache = CACHE.lock().expect("not poisoned");
            cache
                .entry(p)
                .or_insert_with(|| Regex::new(p).expect("valid regex"))
                .clone()
        }

        fn chapter_ref(text: &str) -> Option<(String, String)> {
            if text.chars().count() > 160 {
                return None;
            }
            if text.starts_with("Liite") {
                let c = re(r"^(Liitteet|Liite\s+[0-9]{1,3})\s*[:.–-]?\s*([^\n]{0,150})$")
                    .captures(text)?;
                let number = c[1].split_whitespace().collect::<Vec<_>>().join(" ");
                let title = c[2].trim();
                let title = if title.is_empty() { c[1].trim() } else { title };
                return Some((number, collapse(title)));
            }
            if !text.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            let c = re(r"^([0-9]{1,2}(?:\.[0-9]{1,2}){0,4})\.?\s+(\p{Lu}.*)$").captures(text)?;
            let title = c[2].trim();
            if title.ends_with(['.', ',', ';']) && title.split_whitespace().count() > 12 {
                return None;
            }
            Some((c[1].to_owned(), collapse(title)))
        }

        fn date_ref(text: &str) -> Option<(u32, u32, i32)> {
            let d =
                re(r"^(?:\p{L}+\s+)?([0-9]{1,2})\.\s?([0-9]{1,2})\.\s?((?:19|20)[0-9][0-9])\.?$");
            let w = re(
                r"^(?:\p{L}+\s+)?([0-9]{1,2})\.?\s+(tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|heinäkuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta)\s+((?:19|20)[0-9][0-9])\.?$",
            );
            if let Some(c) = d.captures(text) {
                return Some((c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?));
            }
            let c = w.captures(text)?;
            let months = "tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu";
            let month = months
                .split(' ')
                .position(|m| c[2] == format!("{m}kuuta"))?;
            Some((c[1].parse().ok()?, month as u32 + 1, c[3].parse().ok()?))
        }

        fn date_new(text: &str) -> Option<(u32, u32, i32)> {
            // `date` itself, with its validation of days and months left out.
            if !text
                .strip_suffix('.')
                .unwrap_or(text)
                .ends_with(char::is_numeric)
            {
                return None;
            }
            let text = if text.starts_with(is_letter) {
                let end = text.find(char::is_whitespace)?;
                if !text[..end].chars().all(is_letter) {
                    return None;
                }
                text[end..].trim_start()
            } else {
                text
            };
            numeric_date(text).or_else(|| worded_date(text))
        }

        fn value_ref(raw: &str) -> Option<String> {
            let c = re(r"^(>=|<=|≥|≤|>|<|=)?\s*([-+−]?[0-9]{1,3}(?:[ \u{00A0}\u{202F}][0-9]{3})+(?:,[0-9]+)?|[-+−]?[0-9]+(?:[,.][0-9]+)?)\s*(%|[\p{L}.€]{1,12}(?:\s[\p{L}.€]{1,12})?)?$")
                .captures(raw.trim())?;
            Some(format!("{:?} {}", c.get(1).map(|m| m.as_str()), &c[2]))
        }

        fn value_new(raw: &str) -> Option<String> {
            let (cmp, number, rest) = value_parts(raw.trim())?;
            unit_ok(rest).then(|| format!("{cmp:?} {number}"))
        }

        fn tokens_ref(line: &str) -> Vec<String> {
            re(r"(?:>=|<=|≥|≤|>|<|=)?\s*[-+−]?[0-9]{1,3}(?:[ \u{00A0}\u{202F}][0-9]{3})*(?:,[0-9]+)?(?:\s*%)?|(?:>=|<=|≥|≤|>|<|=)?\s*[-+−]?[0-9]+(?:,[0-9]+)?(?:\s*%)?")
                .find_iter(line)
                .map(|m| collapse(m.as_str()))
                .collect()
        }

        fn cover_ref(text: &str) -> Option<Period> {
            let text = text.trim();
            if !re(r"(?i)(?-u:\b)(?:tulossopimus|resultatavtal)(?-u:\b)").is_match(text)
                || text.chars().count() > 160
                || text.ends_with(['.', ':', ';'])
            {
                return None;
            }
            let period = r"(?-u:\b)((?:19|20)[0-9][0-9])\s*[–—-]\s*((?:19|20)[0-9][0-9])(?-u:\b)";
            if let Some(c) = re(period).captures(text) {
                let (start, end) = (c[1].parse().ok()?, c[2].parse().ok()?);
                return Some(Period { start, end });
            }
            let year: i32 = re(r"(?-u:\b)((?:19|20)[0-9][0-9])(?-u:\b)").captures(text)?[1]
                .parse()
                .ok()?;
            Some(Period {
                start: year,
                end: year,
            })
        }

        fn caption_ref(text: &str) -> Option<&str> {
            re(r"^Taulukko\s*[0-9]*\s*[:.]\s*(\S[^\n]*)$")
                .captures(text)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().trim())
        }

        fn scale_ref(text: &str) -> Vec<(String, String, usize, usize)> {
            re(r"(\p{Lu}{3,})\s*\(([0-9]{1,2})\)\s*=\s*")
                .captures_iter(text)
                .map(|c| {
                    let m = c.get(0).expect("match");
                    (c[1].to_owned(), c[2].to_owned(), m.start(), m.end())
                })
                .collect()
        }

        fn scale_new(text: &str) -> Vec<(String, String, usize, usize)> {
            scale_matches(text)
                .into_iter()
                .map(|(l, s, a, b)| (l.to_owned(), s.to_owned(), a, b))
                .collect()
        }

        fn tag_ref(text: &str) -> Option<(String, String)> {
            let c = re(r"^(.*?)\s*\(([A-ZÅÄÖ]{1,5})\)\s*$").captures(text)?;
            Some((c[1].to_owned(), c[2].to_owned()))
        }

        fn bullet_ref(text: &str) -> Option<String> {
            re(r"^[•▪◦·*–-]\s+(\S.*)$")
                .captures(text)
                .map(|c| c[1].to_owned())
        }

        /// Strings of the characters these patterns look at, with words they know.
        fn text() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                Just("1".to_owned()),
                Just("12".to_owned()),
                Just("2026".to_owned()),
                Just("200".to_owned()),
                Just("Liite".to_owned()),
                Just("Liitteet".to_owned()),
                Just("helmikuuta".to_owned()),
                Just("VIHREÄ".to_owned()),
                Just("OKM".to_owned()),
                Just("abcdefghijklm".to_owned()),
                Just("tulossopimus".to_owned()),
                Just("Resultatavtal".to_owned()),
                Just("Taulukko".to_owned()),
                Just("2026–2029".to_owned()),
                "[ \t\n\u{a0}.,:;=()%€<>≤≥+−–•*a-zA-ZÅÄÖåäöΣσ٣ⅫǅⒶ0-9-]{1,3}",
            ];
            prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
        }

        /// Near-misses and hits of each pattern: its parts, varied, then free text.
        fn shaped(parts: &'static [&'static str]) -> impl Strategy<Value = String> {
            let parts: Vec<_> = parts.iter().map(|p| p.prop_map(|s: String| s)).collect();
            (parts, text()).prop_map(|(p, tail)| {
                let mut s = p.concat();
                if tail.len() % 3 == 0 {
                    s.push_str(&tail);
                }
                s
            })
        }

        fn chapter_text() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => text(),
                4 => shaped(&[
                    "[0-9٣]{1,2}(\\.[0-9]{1,3}){0,5}\\.?",
                    "[ \t\n\u{a0}]{1,2}",
                    "[A-ZÅÄÖΣǅⅫⒶ٣a][A-ZÅÄÖa-zäΣσǅⅫⒶ٣ .,;(]{0,20}",
                ]),
                4 => shaped(&[
                    "Liit(e|teet)",
                    "[ \t]{0,2}[0-9]{0,4}[ :.–-]{0,3}|[ ][0-9]{1,3}[:. ]{0,2}|teet",
                    "[A-Za-zä \n.,;]{0,155}",
                ]),
            ]
        }

        fn date_text() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => text(),
                4 => shaped(&[
                    "([A-Za-zäÄ٣Ⓐǅ1]{0,6}[ \t\u{a0}]{0,2})?",
                    "[0-9٣]{1,3}\\.?[ ]{0,2}[0-9]{1,3}\\.?[ ]{0,2}(19|20|21)[0-9٣]{2}\\.?",
                ]),
                4 => shaped(&[
                    "([A-Za-zä]{0,6} {0,2})?",
                    "[0-9]{1,3}\\.? {0,2}(helmikuuta|tammikuuta|maaliskuuta|kesäkuuta|joulukuuta|kesakuuta) {0,2}(19|20)[0-9]{2}\\.?",
                ]),
            ]
        }

        fn value_text() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => text(),
                4 => shaped(&[
                    "[ ]?(>=|<=|≥|≤|>|<|=)?[ ]{0,2}[-+−]?",
                    "[0-9٣]{1,4}([ \u{a0}\u{202f}][0-9]{2,4}){0,2}([,.][0-9]{0,2})?",
                    "[ \n]{0,2}(%|[A-Za-zäΣ.€ǅ1]{0,14}([ \n\t]{1,2}[A-Za-zä.€Ⅻ]{0,14})?)[ ]?",
                ]),
            ]
        }

        fn tokens_text() -> impl Strategy<Value = String> {
            const TOKEN: &str = "[ a\n]{0,2}(>=|<=|≥|≤|>|<|=|=>)?[ \t]{0,2}[-+−]?[0-9٣]{0,5}([ \u{a0}\u{202f}][0-9]{2,4}){0,2}([,.][0-9]{0,2})?[ ]{0,2}%?";
            prop_oneof![1 => text(), 4 => shaped(&[TOKEN, TOKEN, TOKEN])]
        }

        fn cover_text() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => text(),
                4 => shaped(&[
                    "[a-zA-Z_ä ]{0,3}",
                    "(tulos|TULOS|Tulos|tuloſ)(sopimus|SOPIMUS|sopimuſ)|[rR]esultatavtal|sopimus",
                    "[a-z_0-9ä ]{0,2}",
                    "((19|20|21)[0-9]{2,3}[a_ä]?)?[ \n]{0,2}[–—-]?[ ]{0,2}((19|20)[0-9]{2,3})?[a_ä ]?[.:;]?",
                ]),
            ]
        }

        fn caption_text() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => text(),
                4 => shaped(&[
                    "Taulukko",
                    "[ \t]{0,2}[0-9٣]{0,2}[ ]{0,2}[:.;]?[ \n\t]{0,2}[A-Za-z\n ]{0,4}",
                ]),
            ]
        }

        fn scale_text() -> impl Strategy<Value = String> {
            const STEP: &str = "[a-z ]{0,3}[A-ZÄÖÅΣǅa]{0,5}[ \n]{0,2}(\\(?[0-9٣]{0,3}\\)?|\\([0-9]{1,2}\\))[ ]{0,2}=?[ ]{0,2}[a-z ,.]{0,6}";
            prop_oneof![1 => text(), 4 => shaped(&[STEP, STEP, STEP])]
        }

        fn tag_text() -> impl Strategy<Value = String> {
            prop_oneof![
                1 => text(),
                4 => shaped(&[
                    "[a-zä \n]{0,6}[ \n\t]{0,2}",
                    "\\(?[A-ZÅÄÖaǅ]{0,7}\\)?|\\([A-ZÅÄÖ]{1,6}\\)",
                    "[ \n\t]{0,2}",
                ]),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

            #[test]
            fn chapter_heading_same(t in chapter_text()) {
                prop_assert_eq!(chapter_heading(&t), chapter_ref(&t));
                let l = format!("Liite {t}");
                prop_assert_eq!(chapter_heading(&l), chapter_ref(&l));
            }

            #[test]
            fn date_same(t in date_text()) {
                prop_assert_eq!(date_new(&t), date_ref(&t));
            }

            #[test]
            fn value_same(t in value_text()) {
                prop_assert_eq!(value_new(&t), value_ref(&t));
            }

            #[test]
            fn tokens_same(t in tokens_text()) {
                prop_assert_eq!(value_tokens(&t), tokens_ref(&t));
            }

            #[test]
            fn cover_title_same(t in cover_text()) {
                prop_assert_eq!(cover_title(&t), cover_ref(&t));
            }

            #[test]
            fn caption_same(t in caption_text()) {
                prop_assert_eq!(caption(&t), caption_ref(&t));
            }

            #[test]
            fn scale_same(t in scale_text()) {
                prop_assert_eq!(scale_new(&t), scale_ref(&t));
            }

            #[test]
            fn ministry_tag_same(t in tag_text()) {
                let tag = ministry_tag(&t).map(|(a, b)| (a.to_owned(), b.to_owned()));
                prop_assert_eq!(tag, tag_ref(&t));
            }

            #[test]
            fn bare_years_same(
                t in prop_oneof![text(), "((19|20|21)[0-9]{2}[ \t\u{a0}\n]{0,2}){0,4}[0-9 ]{0,2}"]
            ) {
                let regex = re(r"^(?:(?:19|20)[0-9][0-9]\s+)+(?:19|20)[0-9][0-9]$").is_match(&t);
                prop_assert_eq!(is_bare_years(&t), regex);
            }

            #[test]
            fn bullet_same(t in text()) {
                prop_assert_eq!(bullet(&t).map(str::to_owned), bullet_ref(&t));
            }
        }

        #[test]
        fn categories_are_the_regex_classes() {
            let l = re(r"^\p{L}$");
            let u = re(r"^\p{Lu}$");
            for c in (0..0x3_0000).filter_map(char::from_u32) {
                let s = c.to_string();
                assert_eq!(is_letter(c), l.is_match(&s), "{c:?}");
                assert_eq!(is_upper(c), u.is_match(&s), "{c:?}");
            }
        }
    }
}
