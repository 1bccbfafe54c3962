//! Typography: how a heading row is set (`Style`) and a results table's heading
//! styles ranked into levels (`Typography`), which is what a PDF shows of the levels.

/// How a heading row is set: what a PDF shows of its level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub(super) size: f32,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) indent: f32,
    /// Luminance of the row's shading, if it has any.
    pub(super) shade: Option<u8>,
    /// How far apart two indents of one class may be: a few points in a PDF; in a
    /// `-layout` dump (no weight known), whole columns that pdftotext places afresh on
    /// each page, so one column either way.
    pub(super) indent_slack: f32,
}

impl Style {
    pub(super) fn of(line: &crate::lines::Line) -> Option<Style> {
        Some(Style {
            size: line.font_size?,
            bold: line.bold.unwrap_or(false),
            italic: line.italic.unwrap_or(false),
            indent: line.indent,
            shade: line.shade,
            indent_slack: if line.bold.is_some() {
                PDF_INDENT_SLACK
            } else {
                DUMP_INDENT_SLACK
            },
        })
    }

    /// Same class: sizes within a quarter point, the same weight and slant, indents
    /// within the slack, the same shading (none, or luminances within 2).
    pub(super) fn same(&self, other: &Style) -> bool {
        (self.size - other.size).abs() < crate::metrics::SAME_SIZE
            && self.bold == other.bold
            && self.italic == other.italic
            && (self.indent - other.indent).abs() <= self.indent_slack.max(other.indent_slack)
            && same_fill(self.shade, other.shade)
    }
}

/// Indents of one class in a PDF, in points.
const PDF_INDENT_SLACK: f32 = 3.0;
/// Indents of one class in a `-layout` dump: one column and a little.
const DUMP_INDENT_SLACK: f32 = 1.1 * crate::metrics::DUMP_CHAR_WIDTH;

/// One fill: none on either, or luminances within rounding. A house style paints each
/// kind of row in one colour, so fills that differ at all are different styles; a style
/// that tells its levels only by fills may step them a few luminances apart (the looser
/// `blocks::same_shade` would chain such steps into one class).
fn same_fill(a: Option<u8>, b: Option<u8>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.abs_diff(b) <= 2,
        _ => false,
    }
}

/// The heading-row styles of a table, outermost first: larger, then bold, then less
/// indented, then italic (an italic row outranks an upright one set the same). A row's
/// level is the rank of its style.
#[derive(Debug, Default)]
pub(super) struct Typography {
    pub(super) classes: Vec<Style>,
}

impl Typography {
    /// The ranking, when the rows are set in at least two styles (one style tells
    /// nothing about levels).
    pub(super) fn of(styles: impl IntoIterator<Item = Style>) -> Option<Typography> {
        let mut classes: Vec<Style> = Vec::new();
        for s in styles {
            if !classes.iter().any(|c| c.same(&s)) {
                classes.push(s);
            }
        }
        if classes.len() < 2 {
            return None;
        }
        classes.sort_by(|a, b| {
            b.size
                .total_cmp(&a.size)
                .then(b.bold.cmp(&a.bold))
                .then(a.indent.total_cmp(&b.indent))
                .then(b.italic.cmp(&a.italic))
        });
        Some(Typography { classes })
    }

    /// The class a style belongs to (an index into `classes`).
    pub(super) fn class(&self, style: &Style) -> Option<usize> {
        self.classes.iter().position(|c| c.same(style))
    }

    pub(super) fn level(&self, style: &Style) -> Option<u32> {
        self.classes
            .iter()
            .position(|c| c.same(style))
            .map(|p| p as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::{Style, Typography};
    use crate::structure::test_support::{table, BREAK};

    #[test]
    fn fills_a_few_luminances_apart_are_classes_of_their_own() {
        // Levels told only by fills stepping 8 to 20 luminances apart: every fill is a
        // class, even where a looser tolerance would chain neighbours into one.
        let row = |shade| Style {
            size: 10.5,
            bold: true,
            italic: false,
            indent: 43.0,
            shade: Some(shade),
            indent_slack: super::PDF_INDENT_SLACK,
        };
        let t = Typography::of([209, 229, 241, 249, 229, 241].map(row)).expect("classes");
        assert_eq!(t.classes.len(), 4);
        assert_ne!(t.class(&row(229)), t.class(&row(241)));
        assert_eq!(t.class(&row(241)), t.class(&row(240)));
    }

    #[test]
    fn a_dump_column_either_way_is_one_indentation() {
        // pdftotext -layout places each page's columns afresh: a level's rows start one
        // column apart on different pages, its levels four columns apart.
        let row = |column: f32, slack| Style {
            size: 10.0,
            bold: false,
            italic: false,
            indent: column * crate::metrics::DUMP_CHAR_WIDTH,
            shade: None,
            indent_slack: slack,
        };
        let dump = |c| row(c, super::DUMP_INDENT_SLACK);
        let t = Typography::of([0.0, 4.0, 8.0, 1.0, 5.0, 9.0].map(dump)).expect("classes");
        assert_eq!(t.classes.len(), 3);
        assert_eq!(t.level(&dump(5.0)), Some(1));
        // In a PDF, a column's width apart is another indentation.
        let pdf = |c| row(c, super::PDF_INDENT_SLACK);
        let t = Typography::of([0.0, 1.0].map(pdf)).expect("classes");
        assert_eq!(t.classes.len(), 2);
    }

    #[test]
    fn an_italic_row_under_a_bold_italic_one_is_a_deeper_goal() {
        // Levels by size and face at one indentation; the italic row is an only child.
        let a = table(&[
            ("Linja", 13.0, "b", 4.0),
            BREAK,
            ("Tavoite", 11.0, "b", 4.0),
            BREAK,
            ("Alatavoite", 10.0, "bi", 4.0),
            BREAK,
            ("Alempi tavoite", 10.0, "i", 4.0),
            BREAK,
            ("Tavoite 2027", 10.0, "b", 4.0),
            ("Teksti.", 10.0, "", 4.0),
        ]);
        let g = &a.strategic_lines[0].goals[0].goals[0];
        assert_eq!(g.title, "Alatavoite");
        assert_eq!(g.description, None);
        assert_eq!(g.goals[0].title, "Alempi tavoite");
        assert_eq!(g.goals[0].level, 3);
        assert_eq!(g.goals[0].targets[0].text, "Teksti.");
    }
}
