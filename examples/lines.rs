//! Prints the lines and blocks a text dump is read into (dialect, line number, page,
//! indentation, text), for reviewing how a dump is read: `cargo run --example lines FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: lines FILE");
    let bytes = std::fs::read(&path).expect("read");
    let text = tulossopimus::stages::decode::decode(&path, &bytes).expect("decode");
    let lines = tulossopimus::stages::dialect::read(&text.text);
    println!("dialect {}", lines.dialect.name());
    let blocks = tulossopimus::stages::blocks::build(&lines);
    let mut start = vec![None; lines.lines.len()];
    for (k, b) in blocks.blocks.iter().enumerate() {
        start[b.first()] = Some(k);
    }
    for (i, l) in lines.lines.iter().enumerate() {
        let mark = if blocks.furniture[i] {
            "F".to_owned()
        } else {
            start[i].map_or(String::new(), |k| format!("B{k}"))
        };
        println!(
            "{:>5} p{:<3} {:>6} {:>6.1} |{}",
            l.number,
            l.page,
            mark,
            l.indent,
            l.raw()
        );
    }
}
