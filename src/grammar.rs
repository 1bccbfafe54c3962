//! The genre's printed grammar: labels, numbers, dates and tags that mean the same in
//! every agency's agreement (see `../shared/docs/GLOSSARY.md`). Nothing here knows any
//! particular agreement's wording.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Comparator, Period, ScaleStep, ValueKind};

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("valid regex"));
    };
}

re!(BARE_YEARS, r"^(?:(?:19|20)\d\d\s+)+(?:19|20)\d\d$");
re!(CHAPTER, r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(\p{Lu}.*)$");
re!(
    APPENDIX,
    r"^(Liitteet|Liite\s+\d{1,3})\s*[:.–-]?\s*([^\n]{0,150})$"
);
re!(CAPTION, r"^Taulukko\s*\d*\s*[:.]\s*(\S[^\n]*)$");
re!(
    AGREEMENT_WORD,
    r"(?i)(?-u:\b)(?:tulossopimus|resultatavtal)(?-u:\b)"
);
re!(
    PERIOD,
    r"(?-u:\b)((?:19|20)\d\d)\s*[–—-]\s*((?:19|20)\d\d)(?-u:\b)"
);
re!(YEAR, r"(?-u:\b)((?:19|20)\d\d)(?-u:\b)");
re!(
    DATE,
    r"^(?:\p{L}+\s+)?(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)\.?$"
);
re!(
    DATE_WORDS,
    r"^(?:\p{L}+\s+)?(\d{1,2})\.?\s+(tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|heinäkuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta)\s+((?:19|20)\d\d)\.?$"
);
re!(
    VALUE,
    r"^(>=|<=|≥|≤|>|<|=)?\s*([-+−]?\d{1,3}(?:[ \u{00A0}\u{202F}]\d{3})+(?:,\d+)?|[-+−]?\d+(?:[,.]\d+)?)\s*(%|[\p{L}.€]{1,12}(?:\s[\p{L}.€]{1,12})?)?$"
);
re!(MINISTRY_TAG, r"^(.*?)\s*\(([A-ZÅÄÖ]{1,5})\)\s*$");
re!(BULLET, r"^[•▪◦·*–-]\s+(\S.*)$");
re!(SCALE, r"(\p{Lu}{3,})\s*\((\d{1,2})\)\s*=\s*");

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
    let label = labels.iter().find(|l| text.starts_with(**l))?;
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

/// "Tavoite 2026 <text>": the year and the text after the label.
pub fn target_label(text: &str) -> Option<(i32, &str)> {
    labelled_year(text, &["Tavoite", "Mål"]).map(|(_, y, rest)| (y, rest))
}

/// "Mittayksikkö[:] <unit>": the unit on the same line (may be empty).
pub fn unit_label(text: &str) -> Option<&str> {
    let rest = ["Mittayksikkö", "Måttenhet"]
        .iter()
        .find_map(|l| text.strip_prefix(l))?;
    if rest.starts_with(char::is_alphanumeric) {
        return None;
    }
    let rest = rest.trim_start();
    Some(rest.strip_prefix(':').unwrap_or(rest).trim())
}

/// "Tav 2026 [value]": kind, year and what follows on the line.
pub fn year_label(text: &str) -> Option<(ValueKind, i32, &str)> {
    let (label, year, rest) = labelled_year(text, &["Tav", "Tot", "Arv"])?;
    let kind = match label {
        "Tav" => ValueKind::Target,
        "Tot" => ValueKind::Actual,
        _ => ValueKind::Estimate,
    };
    Some((kind, year, rest))
}

/// A row of bare year column headers: "2024 2025 2026".
pub fn bare_years(text: &str) -> Option<Vec<i32>> {
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    BARE_YEARS.is_match(text).then(|| {
        text.split_whitespace()
            .filter_map(|y| y.parse().ok())
            .collect()
    })
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
        || bare_years(text).is_some()
}

/// A numbered chapter heading "2.1 Title" or "1.1. Title": (number without final dot, title).
pub fn chapter_heading(text: &str) -> Option<(String, String)> {
    if text.chars().count() > 160 {
        return None;
    }
    if text.starts_with("Liite") {
        let c = APPENDIX.captures(text)?;
        let number = c[1].split_whitespace().collect::<Vec<_>>().join(" ");
        let title = c[2].trim();
        let title = if title.is_empty() { c[1].trim() } else { title };
        return Some((number, collapse(title)));
    }
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let c = CHAPTER.captures(text)?;
    let title = c[2].trim();
    // "2026 Tavoite" or "13.2.2026" are not headings: chapter numbers are small.
    if title.ends_with(['.', ',', ';']) && title.split_whitespace().count() > 12 {
        return None;
    }
    Some((c[1].to_owned(), collapse(title)))
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

/// "Taulukko: <caption>".
pub fn caption(text: &str) -> Option<&str> {
    if !text.starts_with("Taulukko") {
        return None;
    }
    CAPTION
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim())
}

/// The text names the document kind ("tulossopimus").
pub fn names_agreement(text: &str) -> bool {
    AGREEMENT_WORD.is_match(text)
}

/// A cover-page title: names the agreement and its years.
pub fn cover_title(text: &str) -> Option<Period> {
    // A title is a name, not a sentence: a closing paragraph that mentions the
    // agreement and its years ends with a full stop.
    let text = text.trim();
    if !AGREEMENT_WORD.is_match(text)
        || text.chars().count() > 160
        || text.ends_with(['.', ':', ';'])
    {
        return None;
    }
    if let Some(c) = PERIOD.captures(text) {
        let (start, end) = (c[1].parse().ok()?, c[2].parse().ok()?);
        return Some(Period { start, end });
    }
    let year: i32 = YEAR.captures(text)?[1].parse().ok()?;
    Some(Period {
        start: year,
        end: year,
    })
}

/// A date standing alone ("13.2.2026", "Helsingissä 13.2.2026", "13. helmikuuta 2026"), as ISO 8601.
pub fn date(text: &str) -> Option<String> {
    let (d, m, y) = if let Some(c) = DATE.captures(text) {
        (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    } else {
        let c = DATE_WORDS.captures(text)?;
        let month = [
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
        ]
        .iter()
        .position(|m| *m == &c[2])? as u32
            + 1;
        (c[1].parse().ok()?, month, c[3].parse().ok()?)
    };
    let (d, m, y): (u32, u32, i32) = (d, m, y);
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

/// Parses a printed value: comparator and number. `None` when it is not a value, or
/// when the number is too large for an `f64` (over 308 digits): JSON has no infinity,
/// so it would be written as `null` and read back as a different document.
pub fn parse_value(raw: &str) -> Option<(Option<Comparator>, f64)> {
    let c = VALUE.captures(raw.trim())?;
    let comparator = c.get(1).map(|m| match m.as_str() {
        ">" => Comparator::Gt,
        ">=" | "≥" => Comparator::Ge,
        "<" => Comparator::Lt,
        "<=" | "≤" => Comparator::Le,
        _ => Comparator::Eq,
    });
    let number: String = c[2]
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

/// The values in a line of several, each a comparator and a number with its sign,
/// decimals and unit ("> 4,0 ≥ 4,5 = 5"). Thousands separators make "1 200 1 300"
/// ambiguous; the greedy reading keeps groups of three digits together.
pub fn value_tokens(line: &str) -> Vec<String> {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:>=|<=|≥|≤|>|<|=)?\s*[-+−]?\d{1,3}(?:[ \u{00A0}\u{202F}]\d{3})*(?:,\d+)?(?:\s*%)?|(?:>=|<=|≥|≤|>|<|=)?\s*[-+−]?\d+(?:,\d+)?(?:\s*%)?")
            .expect("valid regex")
    });
    TOKEN
        .find_iter(line)
        .map(|m| collapse(m.as_str()))
        .collect()
}

/// A line that can only be a value cell: a comparator or a number first.
pub fn is_value_like(text: &str) -> bool {
    let t = text.trim();
    t.starts_with(['<', '>', '=', '≤', '≥'])
        || t.starts_with(|c: char| c.is_ascii_digit()) && !BARE_YEARS.is_match(t)
        || matches!(t, "-" | "–" | "—")
}

/// "text (OKM)": the text without the tag, and the code.
pub fn ministry_tag(text: &str) -> Option<(&str, &str)> {
    let c = MINISTRY_TAG.captures(text)?;
    Some((c.get(1)?.as_str(), c.get(2)?.as_str()))
}

/// "• item": the item.
pub fn bullet(text: &str) -> Option<&str> {
    BULLET
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// First visible character is a lower-case letter: the line continues a sentence.
pub fn starts_lowercase(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Steps of an evaluation scale written "LABEL (3) = meaning, LABEL (2) = ...".
pub fn scale_steps(text: &str) -> Vec<ScaleStep> {
    let found: Vec<_> = SCALE.captures_iter(text).collect();
    let mut steps = Vec::new();
    for (i, c) in found.iter().enumerate() {
        let whole = c.get(0).expect("match");
        let end = found
            .get(i + 1)
            .map_or(text.len(), |n| n.get(0).expect("match").start());
        let mut meaning = &text[whole.end()..end];
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
        if let Ok(score) = c[2].parse() {
            steps.push(ScaleStep {
                score,
                label: c[1].to_owned(),
                meaning,
            });
        }
    }
    steps
}

/// White space runs to one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
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
}
