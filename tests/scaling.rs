//! No superlinear time: converting the seed with N, 2N and 4N copies of its results
//! table grows linearly.
//!
//! The measure is the number of heap allocations a conversion makes (counted per thread
//! by a wrapping allocator): nearly every stage allocates per line, cell, node or id, so
//! an algorithm that revisits earlier work per new row shows up, and the count does not
//! depend on the machine's load. Time is not measured here (a timed test fails on a
//! loaded machine): `benches/scaling.rs` (group `scaling`) times the same inputs, N, 2N
//! and 4N copies, in one run, for a loop that does not allocate.

#[path = "common/copies.rs"]
mod copies;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use copies::{Seed, Titles};
use tulossopimus::model::{Document, Goal};
use tulossopimus::{convert_bytes, Options};

/// Counts this thread's allocations (test threads run side by side).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the thread-local may already be gone while a thread is torn down.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Copies in the smallest input: 4 x ~690 table lines, so the table dominates the
/// ~1,800 lines around it (`benches/scaling.rs` times the same sizes).
const N: usize = 4;

fn convert(text: &str) -> Document {
    convert_bytes("copies.txt", text.as_bytes(), &Options::default()).expect("converts")
}

fn allocations(text: &str) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    let doc = convert(text);
    let json = serde_json::to_vec(&doc).expect("serializes");
    drop((doc, json));
    ALLOCATIONS.with(Cell::get) - before
}

fn nodes(doc: &Document) -> usize {
    fn goals(g: &Goal) -> usize {
        1 + g.goals.iter().map(goals).sum::<usize>()
    }
    doc.agreements[0]
        .strategic_lines
        .iter()
        .map(|sl| 1 + sl.goals.iter().map(goals).sum::<usize>())
        .sum()
}

/// The inputs are what they claim: n copies give n times the nodes of one, and
/// renumbered copies need no id suffixes beyond what one copy needs.
#[test]
fn copies_multiply_the_table() {
    let seed = Seed::new();
    let one = convert(&seed.document(1, Titles::Renumbered));
    let three = convert(&seed.document(3, Titles::Renumbered));
    assert!(nodes(&one) > 20);
    assert_eq!(nodes(&three), 3 * nodes(&one));
    let ids = |doc: &Document| {
        let mut all: Vec<&str> = Vec::new();
        fn goals<'a>(g: &'a Goal, all: &mut Vec<&'a str>) {
            all.push(&g.id);
            g.goals.iter().for_each(|c| goals(c, all));
        }
        for sl in &doc.agreements[0].strategic_lines {
            all.push(&sl.id);
            sl.goals.iter().for_each(|g| goals(g, &mut all));
        }
        all.iter().filter(|id| id.matches('-').count() > 1).count()
    };
    assert_eq!(
        ids(&three),
        ids(&one),
        "renumbered copies repeat a title path"
    );
    let repeated = convert(&seed.document(3, Titles::Repeated));
    assert_eq!(nodes(&repeated), 3 * nodes(&one));
    assert!(ids(&repeated) >= 2 * nodes(&one));
}

fn check(titles: Titles) {
    let seed = Seed::new();
    let docs: Vec<String> = [N, 2 * N, 4 * N]
        .iter()
        .map(|&n| seed.document(n, titles))
        .collect();
    let counts: Vec<u64> = docs.iter().map(|d| allocations(d)).collect();
    let lines: Vec<usize> = docs.iter().map(|d| d.lines().count()).collect();
    let report = format!(
        "{titles:?} copies of {} table lines: lines {lines:?}, allocations {counts:?}",
        seed.body_lines()
    );
    eprintln!("{report}");
    // The work 2N..4N copies add over the work N..2N add: 2 when linear, tending to 4
    // when quadratic (f(n) = a + bn + cn^2), whatever the fixed part around the table.
    let growth = (counts[2] - counts[1]) as f64 / (counts[1] - counts[0]) as f64;
    assert!(
        growth < 2.3,
        "allocations grow superlinearly (2N..4N adds {growth:.2}x what N..2N adds): {report}"
    );
}

#[test]
fn renumbered_table_copies_convert_in_linear_work() {
    check(Titles::Renumbered);
}

/// The same title path n times (a hostile input): ids get `-2`, `-3`, ... suffixes, and
/// finding the next free suffix must not revisit the ones already given.
#[test]
fn repeated_table_copies_convert_in_linear_work() {
    check(Titles::Repeated);
}
