//! Converts a file N times, for profiling:
//! `cargo run --profile profiling --example repeat -- FILE [N] [pretty|compact]`
//! (the release profile with debug line tables; CONTRIBUTING.md, "Profiling").
//!
//! One untimed conversion first (it compiles the regexes), then N conversions, each
//! through [`measured`] (not inlined), so that callgrind can count the steady state alone:
//!
//! ```sh
//! valgrind --tool=callgrind --toggle-collect='repeat::measured' \
//!     target/profiling/examples/repeat fixtures/keha-tulossopimus-2026-2029.txt 10
//! ```
//!
//! The collected total divided by N is the cost of one conversion, JSON included; the
//! total without `--toggle-collect` minus N times that is the one-time start-up.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let n: usize = args.next().map_or(100, |s| s.parse().expect("N"));
    let pretty = match args.next().as_deref() {
        None | Some("pretty") => true,
        Some("compact") => false,
        Some(other) => panic!("pretty or compact, not {other}"),
    };
    let bytes = std::fs::read(&path).expect("read");
    let mut total = convert(&path, &bytes, pretty);
    for _ in 0..n {
        total += measured(&path, &bytes, pretty);
    }
    println!("{total}");
}

#[inline(never)]
fn measured(path: &str, bytes: &[u8], pretty: bool) -> usize {
    convert(path, bytes, pretty)
}

fn convert(path: &str, bytes: &[u8], pretty: bool) -> usize {
    let doc = tulossopimus::convert_bytes(path, bytes, &Default::default()).expect("converts");
    let mut out = Vec::new();
    tulossopimus::emit::write_json(&mut out, &doc, pretty).expect("writes");
    out.len()
}
