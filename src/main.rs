//! The `tulossopimus` command: a thin CLI over the library.

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use tulossopimus::batch::{self, BatchOptions, Status};
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

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Json,
    Ndjson,
}

#[derive(Subcommand)]
enum Command {
    /// Convert agreements (PDFs or text dumps) to JSON.
    #[command(after_help = EXIT_HELP)]
    Convert {
        /// Input files, or directories (converted recursively with --out-dir); `-` reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write the JSON here instead of standard output (one input only).
        #[arg(short, long, conflicts_with = "out_dir")]
        output: Option<PathBuf>,
        /// Batch: one JSON per input under DIR, mirroring the inputs' relative paths,
        /// with DIR/_report.json.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        /// Batch: worker threads (default: one per core).
        #[arg(long, value_name = "N", default_value_t = 0)]
        jobs: usize,
        /// Batch: reconvert inputs whose output is already current.
        #[arg(long)]
        force: bool,
        /// Batch: no progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Standard output format: `json` (a document per input) or `ndjson` (one compact line per input).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Indent the JSON.
        #[arg(long, conflicts_with = "format")]
        pretty: bool,
        /// Fail an input that raises any warning.
        #[arg(long)]
        strict: bool,
        /// Password that opens encrypted PDF inputs.
        #[arg(long, value_name = "PASSWORD")]
        password: Option<String>,
    },
    /// Print the JSON Schema of the output.
    Schema,
    /// Compare conversions with reviewed golden outputs (GOLDEN/<input stem>.json).
    #[command(
        after_help = "Exit codes:\n  0  every input matches its golden file\n  1  a difference, a missing golden file or a failed input\n  2  usage error"
    )]
    Check {
        /// Directory of golden JSON files.
        #[arg(long, value_name = "DIR")]
        golden: PathBuf,
        /// Rewrite the golden files (after reading the differences printed).
        #[arg(long)]
        bless: bool,
        /// Inputs to convert and compare.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// What changed between two editions of an agreement (JSON outputs or inputs).
    #[command(
        after_help = "Exit codes:\n  0  compared (changes or none)\n  1  an input failed\n  2  usage error"
    )]
    Diff {
        /// The older edition.
        old: PathBuf,
        /// The newer edition.
        new: PathBuf,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
    },
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
        Command::Check {
            golden,
            bless,
            inputs,
        } => check(&golden, bless, &inputs),
        Command::Diff { old, new, json } => editions(&old, &new, json),
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
            out_dir,
            jobs,
            force,
            quiet,
            format,
            pretty,
            strict,
            password,
        } => match out_dir {
            Some(out_dir) => {
                let options = BatchOptions {
                    out_dir,
                    jobs,
                    force,
                    pretty,
                    convert: Options { strict, password },
                };
                batch(&inputs, &options, quiet)
            }
            None => convert(
                &inputs,
                output,
                pretty && format == Format::Json,
                &Options { strict, password },
            ),
        },
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
                    return write_failed(&e);
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A reader that stopped reading (`| head`) is not an error of ours.
fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: cannot write output: {e}");
    ExitCode::from(1)
}

fn batch(inputs: &[PathBuf], options: &BatchOptions, quiet: bool) -> ExitCode {
    use std::io::IsTerminal;
    if inputs.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("error: standard input (-) cannot be part of a batch");
        return ExitCode::from(2);
    }
    let (jobs, early) = batch::collect(inputs, &options.out_dir);
    let total = (jobs.len() + early.len()) as u64;
    let bar = if quiet || !io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files, {per_sec}, ETA {eta} {msg}",
            )
            .expect("valid template"),
        );
        bar
    };
    let failures = std::sync::atomic::AtomicUsize::new(0);
    let tick = |r: &batch::FileReport| {
        if r.status == Status::Failed {
            let n = failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            bar.set_message(format!("{n} failed"));
        }
        bar.inc(1);
    };
    let report = match batch::run(jobs, early, options, &tick) {
        Ok(r) => r,
        Err(e) => {
            bar.finish_and_clear();
            eprintln!("error: {}: {e}", options.out_dir.display());
            return ExitCode::from(1);
        }
    };
    bar.finish_and_clear();
    eprint!("{}", batch::summary_text(&report));
    ExitCode::from(report.exit_code())
}

fn check(golden: &std::path::Path, bless: bool, inputs: &[PathBuf]) -> ExitCode {
    use tulossopimus::check::Outcome;
    let mut bad = false;
    for input in inputs {
        let name = input.display();
        match tulossopimus::check::check(input, golden, bless) {
            Outcome::Same => println!("ok      {name}"),
            Outcome::Blessed => println!("blessed {name}"),
            Outcome::Missing => {
                bad = true;
                let path = tulossopimus::check::golden_path(golden, input);
                println!(
                    "MISSING {name}: no {} (use --bless to write it)",
                    path.display()
                );
            }
            Outcome::Failed(e) => {
                bad = true;
                println!("FAILED  {name}: {e}");
            }
            Outcome::Differs(diffs) => {
                bad = true;
                println!("DIFFERS {name}: {} difference(s)", diffs.len());
                for d in &diffs {
                    println!("  {d}");
                }
                if diffs.is_empty() {
                    println!("  same JSON value, different formatting");
                }
            }
        }
    }
    ExitCode::from(u8::from(bad))
}

/// Loads one document: a JSON output of `convert`, or an input to convert.
fn load(path: &PathBuf) -> Result<tulossopimus::Document, String> {
    let (name, bytes) = read_input(path).map_err(|e| e.to_string())?;
    let docs = tables::load_input(&name, &bytes)
        .map_err(|e| e.to_string())?
        .into_documents();
    <[_; 1]>::try_from(docs).map(|[doc]| doc).map_err(|docs| {
        format!(
            "{name}: holds {} documents; diff compares one with one",
            docs.len()
        )
    })
}

fn editions(old: &PathBuf, new: &PathBuf, json: bool) -> ExitCode {
    let (old, new) = match (load(old), load(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let changes = tulossopimus::editions::compare(&old, &new);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&changes).expect("changes serialize")
        );
    } else if changes.is_empty() {
        println!("no changes");
    } else {
        for c in &changes {
            println!("{c}");
        }
    }
    ExitCode::SUCCESS
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
