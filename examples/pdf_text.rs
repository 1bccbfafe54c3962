//! Prints a PDF's text as the converter sees it: each page's pdf-extract plain text,
//! pages joined by a blank line (the text-dump form). For writing PDF fixtures.
//!
//! `cargo run --example pdf_text -- FILE.pdf [PASSWORD]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: pdf_text FILE.pdf [PASSWORD]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("error: {path}: {e}");
        std::process::exit(1);
    });
    match tulossopimus::pdf::extract_pages(path, &bytes, args.get(1).map(String::as_str)) {
        Ok(pages) => print!("{}", pages.join("\n\n")),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
