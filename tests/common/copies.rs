//! Inputs of growing size for the superlinear checks (`tests/scaling.rs`,
//! `benches/scaling.rs`): the seed dump with the body of its first results table repeated.
//!
//! The seed (`fixtures/keha-tulossopimus-2026-2029.txt`) is cut into a head (up to and
//! including the caption "Taulukko: Tulostavoitteet"), the table body (up to the next
//! chapter, "4 Voimavarojen hallinta") and a tail (the rest, with the second agreement).
//! `document(n, ..)` is head + n bodies + tail, so the table holds n times the rows and
//! everything else stays the same size.
#![allow(dead_code)] // tests/scaling.rs and benches/scaling.rs each use a subset

use tulossopimus::model::Goal;

pub const SEED: &str = include_str!("../../fixtures/keha-tulossopimus-2026-2029.txt");

/// Whether the copies keep their titles or get a copy number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Titles {
    /// Copy k > 1 appends " osa k" to the first line of every strategic line and goal
    /// title: a valid, longer agreement whose nodes all have distinct title paths.
    Renumbered,
    /// The copies verbatim: every title path occurs n times (a hostile input; ids get
    /// `-2`, `-3`, ... suffixes).
    Repeated,
}

/// The seed cut at its first results table.
pub struct Seed {
    head: Vec<&'static str>,
    body: Vec<&'static str>,
    tail: Vec<&'static str>,
    /// Indices into `body` of the first line of every node title in it.
    title_lines: Vec<usize>,
}

impl Seed {
    pub fn new() -> Seed {
        let lines: Vec<&'static str> = SEED.split('\n').collect();
        let caption = lines
            .iter()
            .position(|l| l.trim() == "Taulukko: Tulostavoitteet")
            .expect("the seed has a results table");
        let end = caption
            + lines[caption..]
                .iter()
                .position(|l| l.starts_with("4 Voimavarojen hallinta"))
                .expect("a chapter follows the table");
        let doc = tulossopimus::convert_bytes("seed.txt", SEED.as_bytes(), &Default::default())
            .expect("the seed converts");
        // Source lines are 1-based; the body's first line is line caption + 2.
        let mut title_lines = Vec::new();
        let mut note = |line: u32| {
            let i = line as usize - 1;
            if i > caption && i < end {
                title_lines.push(i - caption - 1);
            }
        };
        fn goals(g: &Goal, note: &mut dyn FnMut(u32)) {
            note(g.source.line);
            g.goals.iter().for_each(|c| goals(c, note));
        }
        for sl in &doc.agreements[0].strategic_lines {
            note(sl.source.line);
            sl.goals.iter().for_each(|g| goals(g, &mut note));
        }
        assert!(title_lines.len() > 20, "too few titles: {title_lines:?}");
        Seed {
            head: lines[..=caption].to_vec(),
            body: lines[caption + 1..end].to_vec(),
            tail: lines[end..].to_vec(),
            title_lines,
        }
    }

    /// Lines in one copy of the table body.
    pub fn body_lines(&self) -> usize {
        self.body.len()
    }

    /// The seed with `copies` copies of its first results table's body.
    pub fn document(&self, copies: usize, titles: Titles) -> String {
        let mut out: Vec<String> = self.head.iter().map(|l| l.to_string()).collect();
        for k in 1..=copies {
            let mut body: Vec<String> = self.body.iter().map(|l| l.to_string()).collect();
            if k > 1 && titles == Titles::Renumbered {
                for &i in &self.title_lines {
                    body[i] = format!("{} osa {k} ", body[i].trim_end());
                }
            }
            out.extend(body);
        }
        out.extend(self.tail.iter().map(|l| l.to_string()));
        out.join("\n")
    }
}
