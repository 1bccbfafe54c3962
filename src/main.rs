//! The `tulossopimus` command: a thin CLI over the library.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use tulossopimus::{convert_bytes, emit, tables, Error, Options};

const EXIT_HELP: &str = "\
Exit codes:
  0  every input converted (warnings allowed unless --strict)
  1  an input failed (the error names the file and the cause)
  2  usage error";

/// Turns Finnish performance agreements (tulossopimus) into normalized JSON.
#[derive(Parser)]
#[command(version, about, after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert text dumps of agreements to JSON.
    #[command(after_help = EXIT_HELP)]
    Convert {
        /// Input files; `-` reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write the JSON here instead of standard output (one input only).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Indent the JSON.
        #[arg(long)]
        pretty: bool,
        /// Fail an input that raises any warning.
        #[arg(long)]
        strict: bool,
    },
    /// Print the JSON Schema of the output.
    Schema,
    /// Print a one-line-per-node outline of an input's tree, for review.
    Outline {
        /// Input file; `-` reads standard input.
        input: PathBuf,
    },
    /// Export flat tables (NDJSON and CSV, optionally SQLite) for a data platform.
    #[command(after_help = EXIT_HELP)]
    Export {
        /// JSON written by `convert`, or inputs to convert; `-` reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Directory for `<table>.ndjson` and `<table>.csv` (created if missing).
        #[arg(long, value_name = "DIR", required = true)]
        tables: PathBuf,
        /// Also write the tables into this SQLite database (an existing file is replaced).
        #[arg(long, value_name = "FILE")]
        sqlite: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Schema => {
            print!("{}", emit::schema_string());
            ExitCode::SUCCESS
        }
        Command::Outline { input } => {
            match read_input(&input).and_then(|(n, b)| convert_bytes(&n, &b, &Options::default())) {
                Ok(doc) => {
                    print!("{}", emit::outline(&doc));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Convert {
            inputs,
            output,
            pretty,
            strict,
        } => convert(&inputs, output, pretty, &Options { strict }),
        Command::Export {
            inputs,
            tables,
            sqlite,
        } => export(&inputs, &tables, sqlite.as_deref()),
    }
}

fn read_input(path: &PathBuf) -> Result<(String, Vec<u8>), Error> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let read = if name == "-" {
        io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    Ok((name, bytes))
}

fn convert(
    inputs: &[PathBuf],
    output: Option<PathBuf>,
    pretty: bool,
    options: &Options,
) -> ExitCode {
    if output.is_some() && inputs.len() > 1 {
        eprintln!(
            "error: -o/--output takes exactly one input ({} given)",
            inputs.len()
        );
        return ExitCode::from(2);
    }
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("error: standard input (-) can be read only once");
        return ExitCode::from(2);
    }
    // Files convert in parallel; results are written in input order.
    let results: Vec<_> = inputs
        .par_iter()
        .map(|p| read_input(p).and_then(|(name, bytes)| convert_bytes(&name, &bytes, options)))
        .collect();
    let mut failed = false;
    let mut out: Box<dyn Write> = match &output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    for result in results {
        match result {
            Ok(doc) => {
                for w in &doc.warnings {
                    let line = w.line.map_or(String::new(), |l| format!(":{l}"));
                    eprintln!(
                        "warning: {}{line}: {}: {}",
                        doc.source.path, w.code, w.message
                    );
                }
                if let Err(e) = emit::write_json(&mut out, &doc, pretty) {
                    eprintln!("error: cannot write output: {e}");
                    return ExitCode::from(1);
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("error: cannot write output: {e}");
        return ExitCode::from(1);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn export(inputs: &[PathBuf], dir: &Path, sqlite: Option<&Path>) -> ExitCode {
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("error: standard input (-) can be read only once");
        return ExitCode::from(2);
    }
    let results: Vec<_> = inputs
        .par_iter()
        .map(|p| {
            let (name, bytes) = read_input(p)?;
            tables::load_input(&name, &bytes)
        })
        .collect();
    let mut failed = false;
    let mut docs = Vec::new();
    for result in results {
        match result {
            Ok(input) => {
                // JSON inputs printed their warnings when they were converted.
                if let tables::Input::Converted(doc) = &input {
                    for w in &doc.warnings {
                        let line = w.line.map_or(String::new(), |l| format!(":{l}"));
                        eprintln!(
                            "warning: {}{line}: {}: {}",
                            doc.source.path, w.code, w.message
                        );
                    }
                }
                docs.extend(input.into_documents());
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    for d in tables::duplicate_agreements(&docs) {
        eprintln!(
            "warning: {}: agreement {} is also in {}; both are exported",
            d.again, d.id, d.first
        );
    }
    let rows = tables::build(&docs);
    let written = tables::write_files(&rows, dir)
        .and_then(|()| sqlite.map_or(Ok(()), |db| tables::write_sqlite(&rows, db)));
    if let Err(e) = written {
        eprintln!("error: {e}");
        failed = true;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
