//! Converts a file N times (for profiling): `cargo run --release --example repeat -- FILE N`.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let n: usize = args.next().map_or(100, |s| s.parse().expect("N"));
    let bytes = std::fs::read(&path).expect("read");
    let mut total = 0;
    for _ in 0..n {
        let doc =
            tulossopimus::convert_bytes(&path, &bytes, &Default::default()).expect("converts");
        total += tulossopimus::emit::to_pretty_string(&doc).len();
    }
    println!("{total}");
}
