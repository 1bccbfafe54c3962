//! Text normalization shared by every stage that turns lines into strings.

use crate::lines::Lines;

/// Joins the lines of one paragraph.
///
/// Lines are joined with one space, except that a line ending in a hyphen with no space
/// after it joins the next with no space and keeps the hyphen ("KEHA-" + "keskuksen" =
/// "KEHA-keskuksen"). A suspended compound ("kehittämis- " + "ja") had its trailing
/// space printed, so it keeps the space. Runs of white space collapse to one space.
pub fn join_lines<'a>(parts: impl IntoIterator<Item = (&'a str, bool)>) -> String {
    let mut out = String::new();
    join_lines_into(&mut out, parts);
    out
}

/// [`join_lines`] appended to `out` (which should be empty or reserved by the caller).
fn join_lines_into<'a>(out: &mut String, parts: impl IntoIterator<Item = (&'a str, bool)>) {
    let mut glue = false;
    for (text, trailing_space) in parts {
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        let mut first = true;
        for word in words {
            if !first {
                out.push(' ');
            }
            out.push_str(word);
            first = false;
        }
        glue = !trailing_space && out.ends_with(['-', '\u{2010}']);
    }
}

/// Joins the given lines of `lines` as one paragraph.
pub fn para_text(lines: &Lines, para: &[usize]) -> String {
    // Sized once: the joined text is never longer than its lines and a space each.
    let cap = para.iter().map(|&i| lines.lines[i].raw.len() + 1).sum();
    let mut out = String::with_capacity(cap);
    join_lines_into(
        &mut out,
        para.iter()
            .map(|&i| (lines.lines[i].raw.as_str(), lines.lines[i].trailing_space)),
    );
    out
}

/// Paragraphs joined with a blank line; `None` when there are none.
pub fn join_paras(paras: Vec<String>) -> Option<String> {
    let paras: Vec<String> = paras.into_iter().filter(|p| !p.is_empty()).collect();
    (!paras.is_empty()).then(|| paras.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(parts: &[(&str, bool)]) -> String {
        join_lines(parts.iter().copied())
    }

    #[test]
    fn hyphen_rules() {
        assert_eq!(
            join(&[("KEHA-", false), ("keskuksen", true)]),
            "KEHA-keskuksen"
        );
        assert_eq!(
            join(&[("pk-", false), ("yrityksillä", false)]),
            "pk-yrityksillä"
        );
        assert_eq!(
            join(&[("kehittämis- ", true), ("ja hallinto", true)]),
            "kehittämis- ja hallinto"
        );
        assert_eq!(
            join(&[("rekisteri- ", true), ("ja", false)]),
            "rekisteri- ja"
        );
    }

    #[test]
    fn spaces_collapse() {
        assert_eq!(
            join(&[(" Tavoite  on   asetettu. ", true), ("  Toinen ", true)]),
            "Tavoite on asetettu. Toinen"
        );
        assert_eq!(join(&[("", false), ("  ", true), ("x", false)]), "x");
    }

    #[test]
    fn paragraphs() {
        assert_eq!(
            join_paras(vec!["a".into(), String::new(), "b".into()]).as_deref(),
            Some("a\n\nb")
        );
        assert_eq!(join_paras(vec![]), None);
    }
}
