//! Prints a PDF's text as the converter sees it: each page's pdf-extract plain text,
//! pages joined by a blank line (the text-dump form). For writing PDF fixtures.
//!
//! `cargo run --example pdf_text -- FILE.pdf [PASSWORD]`
//!
//! With `--raw` first, it prints pdf-extract's own `extract_text` of the whole file
//! instead (no pages, no panic containment): the peer `benches/compare.sh` measures.

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--raw") {
        let Some(path) = args.get(1) else {
            eprintln!("usage: pdf_text --raw FILE.pdf");
            std::process::exit(2);
        };
        match pdf_extract::extract_text(path) {
            Ok(text) => print!("{text}"),
            Err(e) => {
                eprintln!("error: {path}: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    args.retain(|a| a != "--");
    let Some(path) = args.first() else {
        eprintln!("usage: pdf_text FILE.pdf [PASSWORD]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("error: {path}: {e}");
        std::process::exit(1);
    });
    match tulossopimus::stages::pdf::extract_pages(path, &bytes, args.get(1).map(String::as_str)) {
        Ok(pages) => print!("{}", pages.join("\n\n")),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
