//! Prints a PDF's lines as the converter assembles them from glyphs: page, indent,
//! font size, weight, slant, shading and text. For writing PDF fixtures and reviewing layout decisions.
//!
//! `cargo run --example pdf_lines -- FILE.pdf [PASSWORD]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdf_lines FILE.pdf [PASSWORD]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("error: {path}: {e}");
        std::process::exit(1);
    });
    match tulossopimus::stages::pdf::read(path, &bytes, args.get(1).map(String::as_str)) {
        Ok(read) => {
            for l in tulossopimus::stages::layout::assemble(&read.pages)
                .lines
                .lines
            {
                if l.raw().is_empty() {
                    println!();
                    continue;
                }
                let bold = if l.bold == Some(true) { "B" } else { " " };
                let italic = if l.italic == Some(true) { "I" } else { " " };
                let shade = l.shade.map_or("   ".to_string(), |s| format!("{s:>3}"));
                println!(
                    "{:>4} p{:<3} x{:>6.1} {:>5.1}{}{} {} | {}",
                    l.number,
                    l.page,
                    l.indent,
                    l.font_size.unwrap_or(0.0),
                    bold,
                    italic,
                    shade,
                    l.raw()
                );
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
