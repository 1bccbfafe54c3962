//! The measures that more than one stage reads a page by: when two sizes are the same,
//! how wide a gap parts two cells, how far apart two lines of a block may be, and the
//! geometry a `pdftotext -layout` dump is given when it is read like a PDF.
//!
//! A leaf: this module uses no other. The PDF's line assembly (`layout`) reads its own
//! finer thresholds (word and label gaps, paragraph spacing) where it uses them; the
//! ones here are those the dump dialects (`dialect`), the block stage (`blocks`) and the
//! structure stage share with it.

/// Sizes closer than this (points) are the same size; matrices leave float noise.
pub const SAME_SIZE: f32 = 0.25;

/// A gap wider than this many font sizes separates two cells of a row.
pub const COLUMN_GAP: f32 = 1.2;

/// A line more than this many font sizes below the previous one starts a new block.
pub const LINE_GAP: f32 = 1.6;

/// The nominal font size of a `-layout` dump's text (points).
pub const DUMP_FONT_SIZE: f32 = 10.0;

/// The width of one column of a `-layout` dump (points): half the size, an average
/// character.
pub const DUMP_CHAR_WIDTH: f32 = 0.5 * DUMP_FONT_SIZE;

/// The distance between two lines of a `-layout` dump (points): consecutive lines are
/// closer than [`LINE_GAP`] font sizes, lines with an empty line between them farther.
pub const DUMP_LINE_HEIGHT: f32 = 1.2 * DUMP_FONT_SIZE;

/// Characters (columns) of room a line's end must leave for the next line's first word
/// to count as fitting there: character counts are an estimate of proportional text.
/// The line above was then ended, not wrapped.
pub const FIT_SLACK: usize = 2;

/// Share of the text's wrap width within which a row's wrap counts as early: bold text in
/// the body size wraps at about 0.93 of the regular text's characters, a heading a size
/// or two larger (12 or 13 pt over 9.5 to 11) at 0.85 or less.
pub const EARLY_WRAP: f32 = 0.9;

/// The characters `line` would hold with the first word of `next` set after it (a space
/// between, [`FIT_SLACK`] to spare): what a line needs to have had room for to count as
/// ended rather than wrapped.
pub fn with_next_word(line: &str, next: &str) -> usize {
    let word = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    line.chars().count() + 1 + word + FIT_SLACK
}

// What the dump's geometry is for: one line apart continues a block, two part it.
const _: () = assert!(
    DUMP_LINE_HEIGHT < LINE_GAP * DUMP_FONT_SIZE
        && 2.0 * DUMP_LINE_HEIGHT > LINE_GAP * DUMP_FONT_SIZE
);
