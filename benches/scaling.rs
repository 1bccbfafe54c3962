//! Conversion time against input size: the seed with N, 2N and 4N copies of its results
//! table, renumbered (a valid, longer agreement) and verbatim (every title path
//! repeated: ids get suffixes); see tests/common/copies.rs.
//! Linear growth shows as a constant time per byte across the three sizes (the time of
//! 4N copies over N's about 3x, for the fixed part of the seed around the table;
//! quadratic growth in the table would be about 16x). This is where time is measured, as
//! ratios within one run: `tests/scaling.rs` asserts the same growth on the inputs' heap
//! allocation counts, which do not depend on the machine's load, and times nothing.
//!
//! Group `long_block`: one table block of full, capitalised rows, N, 2N and 4N rows long,
//! in a plain and a `-layout` dump. The dialect passes look ahead (to a paragraph's end,
//! a block's last paragraph); done per line, that would grow with the square of the
//! block, and the time per byte would grow with N.

#[path = "../tests/common/copies.rs"]
mod copies;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use copies::{Seed, Titles};

fn bench(c: &mut Criterion) {
    let seed = Seed::new();
    let mut g = c.benchmark_group("scaling");
    for (titles, name) in [
        (Titles::Renumbered, "renumbered"),
        (Titles::Repeated, "repeated"),
    ] {
        for copies in [4, 8, 16] {
            let text = seed.document(copies, titles);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, copies), &text, |b, text| {
                b.iter(|| convert(text))
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("long_block");
    for (layout, name) in [(false, "plain"), (true, "layout")] {
        for rows in [1_500, 3_000, 6_000] {
            let text = long_block(rows, layout);
            g.throughput(Throughput::Bytes(text.len() as u64));
            // Refused in the end (no target, no indicator): the stages before are timed.
            g.bench_with_input(BenchmarkId::new(name, rows), &text, |b, text| {
                b.iter(|| {
                    let options = Default::default();
                    tulossopimus::convert_bytes("long.txt", black_box(text.as_bytes()), &options)
                        .is_ok()
                })
            });
        }
    }
    g.finish();
}

/// A dump whose results table is one block of `rows` rows, a page break every 40.
fn long_block(rows: usize, layout: bool) -> String {
    let pad = if layout { "   " } else { "" };
    let mut text = String::from("1 Luku\nTaulukko: Tulostavoitteet\n\n");
    for k in 0..rows {
        // Rows differ in letters, not digits, so that none reads as a running header.
        let name: String = format!("{k:05}")
            .bytes()
            .map(|b| char::from(b'a' + (b - b'0')))
            .collect();
        text.push_str(&format!(
            "{pad}Rivi {name} alkaa isolla kirjaimella ja jatkuu tasaisesti koko tekstin leveydelle\n"
        ));
        if k % 40 == 39 {
            text.push('\u{c}');
        }
    }
    text.push('\u{c}');
    text
}

fn convert(text: &str) -> usize {
    let doc = tulossopimus::convert_bytes(
        "copies.txt",
        black_box(text.as_bytes()),
        &Default::default(),
    )
    .expect("converts");
    black_box(serde_json::to_vec(&doc).expect("serializes").len())
}

criterion_group!(benches, bench);
criterion_main!(benches);
