//! The `tulossopimus` command: a thin CLI over the library.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rayon::prelude::*;
use tulossopimus::batch::{self, BatchOptions, Status};
use tulossopimus::limits::{self, Limits};
use tulossopimus::worker::{self, Pool, WorkerConfig};
use tulossopimus::{emit, tables, Error, Options};

const EXIT_HELP: &str = "\
Exit codes:
  0  every input converted (warnings allowed unless --strict)
  1  an input failed (the error names the file and the cause)
  2  usage error";

const EXPORT_EXIT_HELP: &str = "\
Exit codes:
  0  every input exported (warnings allowed)
  1  an input failed, or a table could not be written (the error names it); the other
     inputs are still exported
  2  usage error";

/// Turns Finnish performance agreements (tulossopimus) into normalized JSON.
#[derive(Parser)]
#[command(version, about, after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where warnings go.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum WarningsTo {
    /// `warning: FILE:LINE: code: message` lines on standard error.
    Text,
    /// One JSON object per warning on standard error: {file, line, page, code, message}.
    Json,
    /// Not printed (still in each document's `warnings` and the batch report).
    None,
}

/// Prints the warnings of the input `file` as `to` says.
fn print_warnings(to: WarningsTo, file: &str, warnings: &[tulossopimus::model::Warning]) {
    let mut err = io::stderr().lock();
    for w in warnings {
        // A closed standard error loses the warnings, not the conversion.
        let _ = match to {
            WarningsTo::None => return,
            WarningsTo::Text => {
                let line = w.line.map_or(String::new(), |l| format!(":{l}"));
                writeln!(err, "warning: {file}{line}: {}: {}", w.code, w.message)
            }
            WarningsTo::Json => {
                let obj = serde_json::json!({
                    "file": file, "line": w.line, "page": w.page,
                    "code": w.code, "message": w.message,
                });
                writeln!(err, "{obj}")
            }
        };
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Json,
    Ndjson,
}

/// Failure containment: process isolation and input limits (README: "Failure behaviour").
#[derive(clap::Args)]
struct Containment {
    /// Convert PDFs in this process instead of in isolated worker processes: no time or
    /// memory limit, and a PDF that overflows the reader's stack aborts the program.
    #[arg(long)]
    no_isolation: bool,
    /// Wall-clock limit per isolated input, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = parse_seconds)]
    timeout: f64,
    /// Address-space limit of each worker process (bytes, or with a unit: 512MiB, 1GiB;
    /// at least 32MiB, what a worker needs to start).
    #[arg(long, value_name = "SIZE", default_value = "1GiB", value_parser = parse_worker_memory)]
    max_memory: u64,
    /// Largest input accepted.
    #[arg(long, value_name = "SIZE", default_value = "128MiB", value_parser = limits::parse_size)]
    max_input_size: u64,
    /// Most pages accepted (a PDF's, or a text dump's).
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_PAGES)]
    max_pages: u32,
    /// Longest line accepted, in characters.
    #[arg(long, value_name = "CHARS", default_value_t = limits::DEFAULT_MAX_LINE_CHARS)]
    max_line_length: u64,
    /// Deepest results table accepted, in levels (a strategic line is level 1; at most 256).
    #[arg(long, value_name = "LEVELS", default_value_t = limits::DEFAULT_MAX_DEPTH,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(limits::DEPTH_CEILING)))]
    max_depth: u32,
}

impl Containment {
    fn limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_input_size,
            max_pages: self.max_pages,
            max_line_chars: self.max_line_length,
            max_depth: self.max_depth,
        }
    }

    /// The workers to use, or `None` with --no-isolation.
    fn isolation(&self) -> Result<Option<WorkerConfig>, String> {
        if self.no_isolation {
            return Ok(None);
        }
        if !worker::AVAILABLE {
            eprintln!("warning: {}", worker::UNAVAILABLE);
            return Ok(None);
        }
        WorkerConfig::current_exe(
            std::time::Duration::from_secs_f64(self.timeout),
            self.max_memory,
        )
        .map(Some)
        .map_err(|e| format!("cannot find this program to start workers: {e}"))
    }
}

/// How inputs are read by the commands that convert in this process.
#[derive(clap::Args)]
struct Reading {
    /// Password that opens encrypted PDF inputs.
    #[arg(long, value_name = "PASSWORD")]
    password: Option<String>,
}

impl Reading {
    fn options(&self) -> Options {
        Options {
            password: self.password.clone(),
            ..Options::default()
        }
    }
}

/// The least address space a worker process starts in (its program, stacks and thread
/// pool); below it every PDF would fail as a crashed worker.
const MIN_WORKER_MEMORY: u64 = 32 << 20;

fn parse_worker_memory(text: &str) -> Result<u64, String> {
    let bytes = limits::parse_size(text)?;
    if bytes < MIN_WORKER_MEMORY {
        return Err(format!(
            "{text} ({bytes} bytes) is too little for a worker process to start; \
             give at least 32MiB"
        ));
    }
    Ok(bytes)
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 1e9 => Ok(s),
        _ => Err(format!("{text:?} is not a number of seconds above 0")),
    }
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
        /// Batch: worker threads [default: one per core].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Batch: take from directories only the files matching GLOB (repeatable; a
        /// pattern without `/` matches the file name, ASCII case ignored) [default: *.txt,
        /// *.pdf]. Files named directly are always taken.
        #[arg(long, value_name = "GLOB", requires = "out_dir")]
        include: Vec<String>,
        /// Batch: leave out of directories the files matching GLOB (repeatable).
        #[arg(long, value_name = "GLOB", requires = "out_dir")]
        exclude: Vec<String>,
        /// Batch: reconvert inputs whose output is already current (and retry failures).
        #[arg(long)]
        force: bool,
        /// Batch: convert again the inputs that failed in the last batch into this
        /// directory; without it, an unchanged input that failed is reported failed
        /// again without being converted.
        #[arg(long, requires = "out_dir")]
        retry_failed: bool,
        /// Batch: no progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Standard output format: `json` (a document per input) or `ndjson` (one compact
        /// line per input). Not with --out-dir, which writes one JSON file per input.
        #[arg(long, value_enum, default_value_t = Format::Json, conflicts_with = "out_dir")]
        format: Format,
        /// Indent the JSON (one input on standard output, or every file of --out-dir).
        #[arg(long, conflicts_with = "format")]
        pretty: bool,
        /// Fail an input that raises any warning.
        #[arg(long)]
        strict: bool,
        /// Where warnings go: `text` lines or `json` objects (one per line) on standard
        /// error, or `none`.
        #[arg(long, value_enum, value_name = "TO", default_value_t = WarningsTo::Text)]
        warnings: WarningsTo,
        /// Password that opens encrypted PDF inputs.
        #[arg(long, value_name = "PASSWORD")]
        password: Option<String>,
        #[command(flatten)]
        containment: Containment,
    },
    /// Runs one PDF worker process (used by `convert`; not for direct use).
    #[command(hide = true)]
    Worker {
        /// Address-space limit in bytes.
        #[arg(long, value_name = "BYTES")]
        max_memory: u64,
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
        #[command(flatten)]
        reading: Reading,
    },
    /// What changed between two editions of an agreement (JSON outputs or inputs).
    #[command(
        after_help = "Exit codes:\n  0  compared (changes or none)\n  1  an input failed\n  2  usage error\n\nWith --exit-code (as diff(1) and git diff --exit-code):\n  0  no changes\n  1  the editions differ\n  2  an input failed, or a usage error"
    )]
    Diff {
        /// The older edition.
        old: PathBuf,
        /// The newer edition.
        new: PathBuf,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
        /// Exit with 1 when the editions differ (and 2 when an input fails), for CI.
        #[arg(long)]
        exit_code: bool,
        #[command(flatten)]
        reading: Reading,
    },
    /// Score a conversion against an expected tree: precision, recall and F1 by
    /// category, and what differs.
    #[command(
        after_help = "Exit codes:\n  0  scored (whatever the score)\n  2  usage error, or an input that is not a readable document tree"
    )]
    Score {
        /// The expected tree: JSON written by `convert`, or a hand-made tree that leaves
        /// out ids, sources, warnings and coverage.
        expected: PathBuf,
        /// The conversion to score: JSON written by `convert`.
        actual: PathBuf,
        /// Print the score as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print an outline of each input's tree, one line per node, for people reviewing a
    /// conversion.
    Outline {
        /// Inputs to convert, or JSON written by `convert`; `-` reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        reading: Reading,
    },
    /// Export flat tables (NDJSON and CSV, SQLite, Parquet) for a data platform.
    #[command(after_help = EXPORT_EXIT_HELP)]
    Export {
        /// JSON written by `convert`, or inputs to convert; `-` reads standard input. A
        /// directory (the --out-dir of a batch) gives its *.json files, recursively; files
        /// named _*.json (the batch's _report.json) are skipped wherever they are given.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        to: ExportTo,
        /// Start every CSV with a UTF-8 byte order mark, for Excel and other spreadsheet
        /// programs that otherwise read UTF-8 as a legacy code page.
        #[arg(long, requires = "tables")]
        csv_bom: bool,
        /// Where the warnings of inputs converted here go: `text`, `json` (one object per
        /// line on standard error) or `none`.
        #[arg(long, value_enum, value_name = "TO", default_value_t = WarningsTo::Text)]
        warnings: WarningsTo,
        #[command(flatten)]
        reading: Reading,
    },
}

// Long: the subcommands' dispatch, one short arm each.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Worker { max_memory } => worker::serve(max_memory),
        Command::Schema => {
            let mut out = Out::new();
            out.text(&emit::schema_string());
            out.finish()
                .map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Command::Check {
            golden,
            bless,
            inputs,
            reading,
        } => check(&golden, bless, &inputs, &reading.options()),
        Command::Diff {
            old,
            new,
            json,
            exit_code,
            reading,
        } => editions(&old, &new, json, exit_code, &reading.options()),
        Command::Score {
            expected,
            actual,
            json,
        } => score(&expected, &actual, json),
        Command::Outline { inputs, reading } => outline(&inputs, &reading.options()),
        Command::Convert {
            inputs,
            output,
            out_dir,
            jobs,
            include,
            exclude,
            force,
            retry_failed,
            quiet,
            format,
            pretty,
            strict,
            warnings,
            password,
            containment,
        } => {
            let isolation = match containment.isolation() {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(1);
                }
            };
            let convert_options = Options {
                strict,
                password,
                limits: containment.limits(),
            };
            match out_dir {
                Some(out_dir) => {
                    let options = BatchOptions {
                        out_dir,
                        jobs: jobs.map_or(0, usize::from),
                        force,
                        retry_failed,
                        pretty,
                        convert: convert_options,
                        isolation,
                    };
                    let filter = batch::Filter::new(include, exclude);
                    batch(&inputs, &options, &filter, quiet)
                }
                None => convert(
                    &inputs,
                    output,
                    warnings,
                    pretty && format == Format::Json,
                    &convert_options,
                    isolation.map(Pool::new).as_ref(),
                ),
            }
        }
        Command::Export {
            inputs,
            to,
            csv_bom,
            warnings,
            reading,
        } => export(&inputs, &to, csv_bom, warnings, &reading.options()),
    }
}

/// A usage error (exit 2) when standard input (`-`) is given more than once: it can be
/// read only once.
fn stdin_once(inputs: &[PathBuf]) -> Result<(), ExitCode> {
    if inputs.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprintln!("error: standard input (-) can be read only once");
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// Every input in parallel, in input order: JSON written by `convert` as it is, anything
/// else converted.
fn load_inputs(
    inputs: &[PathBuf],
    options: &Options,
) -> Vec<Result<tables::Input, tables::ExportError>> {
    inputs
        .par_iter()
        .map(|p| {
            let (name, bytes) = read_input(p, &options.limits)?;
            tables::load_input_with(&name, &bytes, options)
        })
        .collect()
}

/// Reads a file or standard input (`-`), refusing more than the input size limit.
fn read_input(path: &Path, limits: &Limits) -> Result<(String, Vec<u8>), Error> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        limits.read(&name, io::stdin().lock())?
    } else {
        limits.read_file(&name, path)?
    };
    Ok((name, bytes))
}

/// The `convert` command: the arguments checked, the output opened, every input
/// converted and written in input order; exit code 1 when any input failed.
fn convert(
    inputs: &[PathBuf],
    output: Option<PathBuf>,
    warnings: WarningsTo,
    pretty: bool,
    options: &Options,
    workers: Option<&Pool>,
) -> ExitCode {
    if let Err(code) = convert_usage(inputs, output.as_deref(), pretty) {
        return code;
    }
    let out = match open_output(output.as_deref()) {
        Ok(out) => out,
        Err(code) => return code,
    };
    let written = convert_in_order(inputs, out, warnings, pretty, options, workers);
    match written {
        Err(e) => write_failed(&e),
        Ok(true) => ExitCode::from(1),
        Ok(false) => ExitCode::SUCCESS,
    }
}

/// Refuses, with exit code 2, what `convert` cannot do with these arguments: one output
/// file for several inputs, standard input twice, several pretty documents back to
/// back, a directory.
fn convert_usage(inputs: &[PathBuf], output: Option<&Path>, pretty: bool) -> Result<(), ExitCode> {
    if output.is_some() && inputs.len() > 1 {
        eprintln!(
            "error: -o/--output takes exactly one input ({} given)",
            inputs.len()
        );
        return Err(ExitCode::from(2));
    }
    stdin_once(inputs)?;
    if pretty && inputs.len() > 1 {
        eprintln!(
            "error: --pretty with {} inputs would print documents back to back, which is \
             not one JSON value; give one input, or use --out-dir DIR (one file per input, \
             --pretty allowed) or --format ndjson (one line per input)",
            inputs.len()
        );
        return Err(ExitCode::from(2));
    }
    if let Some(dir) = inputs.iter().find(|p| p.as_os_str() != "-" && p.is_dir()) {
        eprintln!(
            "error: {}: a directory; to convert every file in it, give --out-dir DIR \
             (one JSON file per input, see convert --help)",
            dir.display()
        );
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// The file `-o` names, created, else standard output; exit code 1 when it cannot be.
fn open_output(output: Option<&Path>) -> Result<Box<dyn Write>, ExitCode> {
    Ok(match output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return Err(ExitCode::from(1));
            }
        },
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Converts the inputs in parallel and writes them to `out` in input order, each as soon
/// as it and those before it are done: a reader of a long list (a pipe into a loader)
/// gets the first documents while later ones still convert, or still wait to be read (a
/// FIFO, a slow disk). A worker renders the JSON itself (nothing to read back and render
/// again here). Whether any input failed; an error when writing did.
fn convert_in_order(
    inputs: &[PathBuf],
    out: Box<dyn Write>,
    warnings: WarningsTo,
    pretty: bool,
    options: &Options,
    workers: Option<&Pool>,
) -> io::Result<bool> {
    let (done, finished) = std::sync::mpsc::channel();
    let convert_all = move || {
        inputs
            .par_iter()
            .enumerate()
            .for_each_with(done, |done, (i, p)| {
                let result = read_input(p, &options.limits).and_then(|(name, bytes)| {
                    worker::convert_rendered(workers, &name, &bytes, options, pretty)
                        .map(|rendered| (name, rendered))
                });
                // The receiver is gone only when writing failed: nothing to do.
                let _ = done.send((i, result));
            });
    };
    std::thread::scope(|scope| {
        // One input has nothing to stream ahead of: no thread for it.
        if inputs.len() > 1 {
            scope.spawn(convert_all);
        } else {
            convert_all();
        }
        write_in_order(finished, out, warnings)
    })
}

/// One conversion's outcome, by the input's place in the list.
type Converted = (usize, Result<(String, worker::Rendered), Error>);

/// Writes the documents received in input order (a document waits for those before
/// it), each error to standard error; whether any input failed.
fn write_in_order(
    finished: std::sync::mpsc::Receiver<Converted>,
    mut out: Box<dyn Write>,
    warnings: WarningsTo,
) -> io::Result<bool> {
    let mut failed = false;
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0;
    for (i, result) in finished.iter() {
        waiting.insert(i, result);
        while let Some(result) = waiting.remove(&next) {
            next += 1;
            match result {
                Ok((name, rendered)) => {
                    print_warnings(warnings, &name, &rendered.warnings);
                    out.write_all(&rendered.json)?;
                    out.flush()?;
                }
                Err(e) => {
                    // The stable code last, for scripts (README: "Failure behaviour").
                    eprintln!("error: {e} [{}]", e.code());
                    failed = true;
                }
            }
        }
    }
    Ok(failed)
}

/// Standard output for reports. A reader that stops reading (`| head`) ends the writing
/// quietly: what is left is dropped, and the command still ends with the exit code of its
/// work (`print!` would panic with exit code 101 and a stack trace).
struct Out {
    w: BufWriter<io::StdoutLock<'static>>,
    /// Nothing more is written: the reader went away, or a write failed.
    closed: bool,
    /// A write error other than a closed pipe.
    error: Option<io::Error>,
}

impl Out {
    fn new() -> Out {
        Out {
            w: BufWriter::new(io::stdout().lock()),
            closed: false,
            error: None,
        }
    }

    fn text(&mut self, text: &str) {
        if self.closed {
            return;
        }
        if let Err(e) = self.w.write_all(text.as_bytes()) {
            self.fail(e);
        }
    }

    fn line(&mut self, args: std::fmt::Arguments) {
        if self.closed {
            return;
        }
        if let Err(e) = self
            .w
            .write_fmt(args)
            .and_then(|()| self.w.write_all(b"\n"))
        {
            self.fail(e);
        }
    }

    fn fail(&mut self, e: io::Error) {
        self.closed = true;
        if e.kind() != io::ErrorKind::BrokenPipe {
            self.error = Some(e);
        }
    }

    /// Flushes; a write error other than a closed pipe is printed and is exit code 1.
    fn finish(mut self) -> Result<(), ExitCode> {
        if !self.closed {
            if let Err(e) = self.w.flush() {
                self.fail(e);
            }
        }
        // Nothing more can be written: a closed pipe must not fail the drop's flush either.
        let (_, _) = self.w.into_parts();
        match self.error {
            Some(e) => Err(write_failed(&e)),
            None => Ok(()),
        }
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

// Long: the batch command's wiring: progress bar, run, summary, exit code.
fn batch(
    inputs: &[PathBuf],
    options: &BatchOptions,
    filter: &batch::Filter,
    quiet: bool,
) -> ExitCode {
    use std::io::IsTerminal;
    if inputs.iter().any(|p| p.as_os_str() == "-") {
        eprintln!("error: standard input (-) cannot be part of a batch");
        return ExitCode::from(2);
    }
    if options.out_dir.exists() && !options.out_dir.is_dir() {
        eprintln!(
            "error: {}: --out-dir must be a directory (created if missing), and this is a file",
            options.out_dir.display()
        );
        return ExitCode::from(2);
    }
    let (jobs, early, left_out) = batch::collect_with(inputs, &options.out_dir, filter);
    if left_out > 0 && !quiet {
        eprintln!(
            "note: {left_out} file(s) in the directories given left out: not matching --include {}{}",
            filter.include.join(" "),
            if filter.exclude.is_empty() {
                String::new()
            } else {
                format!(", or matching --exclude {}", filter.exclude.join(" "))
            }
        );
    }
    let total = (jobs.len() + early.len()) as u64;
    let terminal = io::stderr().is_terminal();
    let bar = if quiet || !terminal {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(bar_style());
        bar
    };
    // Standard error not a terminal (a CI log): a line at every further tenth of the
    // inputs, or after 30 s without one.
    let log = (!quiet && !terminal).then(|| {
        std::sync::Mutex::new(ProgressLog {
            started: std::time::Instant::now(),
            last: std::time::Instant::now(),
            done: 0,
            failed: 0,
            total,
        })
    });
    let failures = std::sync::atomic::AtomicUsize::new(0);
    let tick = |r: &batch::FileReport| {
        if r.status == Status::Failed {
            let n = failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            bar.set_message(format!("{n} failed"));
        }
        bar.inc(1);
        if let Some(log) = &log {
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            log.tick(r.status == Status::Failed);
        }
    };
    let finished = match batch::run(jobs, early, options, &tick) {
        Ok(r) => r,
        Err(e) => {
            bar.finish_and_clear();
            eprintln!("error: {}: {e}", options.out_dir.display());
            return ExitCode::from(1);
        }
    };
    bar.finish_and_clear();
    let report = &finished.report;
    eprint!(
        "{}",
        batch::summary_text(report, finished.report_error.is_some())
    );
    if let Some(e) = &finished.report_error {
        eprintln!(
            "error: {}: cannot write {}: {e}",
            options.out_dir.display(),
            batch::REPORT
        );
        return ExitCode::from(1);
    }
    ExitCode::from(report.exit_code())
}

/// The counts first and the bar last, filling what the terminal's width leaves: a narrow
/// terminal shortens the bar, not the counts.
fn bar_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{pos}/{len} files, {rate}, ETA {eta} {msg} {wide_bar}")
        .expect("valid template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate_text(state.per_sec()));
            },
        )
}

/// Files a second, with one decimal.
fn rate_text(per_sec: f64) -> String {
    format!("{per_sec:.1} files/s")
}

/// Progress as lines, for a standard error that is not a terminal.
struct ProgressLog {
    started: std::time::Instant,
    last: std::time::Instant,
    done: u64,
    failed: u64,
    total: u64,
}

impl ProgressLog {
    const QUIET_FOR: std::time::Duration = std::time::Duration::from_secs(30);

    fn tick(&mut self, failed: bool) {
        let tenth = |n: u64| n * 10 / self.total.max(1);
        let before = tenth(self.done);
        self.done += 1;
        self.failed += u64::from(failed);
        let now = std::time::Instant::now();
        if tenth(self.done) == before && now.duration_since(self.last) < Self::QUIET_FOR {
            return;
        }
        self.last = now;
        let elapsed = now.duration_since(self.started).as_secs_f64();
        let rate = self.done as f64 / elapsed.max(1e-9);
        let left = (self.total - self.done.min(self.total)) as f64 / rate.max(1e-9);
        eprintln!(
            "progress: {}/{} files ({}%), {}, ETA {:.0} s, {} failed",
            self.done,
            self.total,
            self.done * 100 / self.total.max(1),
            rate_text(rate),
            left,
            self.failed
        );
    }
}

fn check(golden: &std::path::Path, bless: bool, inputs: &[PathBuf], options: &Options) -> ExitCode {
    use tulossopimus::check::Outcome;
    if bless {
        // Two inputs of one name would bless one golden file, the second overwriting the first.
        let mut seen = std::collections::HashMap::new();
        for input in inputs {
            let path = tulossopimus::check::golden_path(golden, input);
            if let Some(first) = seen.insert(path.clone(), input) {
                eprintln!(
                    "error: --bless: {} and {} would both be written to {}; \
                     bless them in separate runs with separate --golden directories",
                    first.display(),
                    input.display(),
                    path.display()
                );
                return ExitCode::from(2);
            }
        }
    }
    let mut bad = false;
    let mut out = Out::new();
    for input in inputs {
        let name = input.display();
        match tulossopimus::check::check_with(input, golden, bless, options) {
            Outcome::Same => out.line(format_args!("ok      {name}")),
            Outcome::Blessed => out.line(format_args!("blessed {name}")),
            Outcome::Missing => {
                bad = true;
                let path = tulossopimus::check::golden_path(golden, input);
                out.line(format_args!(
                    "MISSING {name}: no {} (use --bless to write it)",
                    path.display()
                ));
            }
            Outcome::Failed(e) => {
                bad = true;
                // The error names the input itself.
                out.line(format_args!("FAILED  {e} [{}]", e.code()));
            }
            Outcome::Differs(diffs) => {
                bad = true;
                out.line(format_args!(
                    "DIFFERS {name}: {} difference(s)",
                    diffs.len()
                ));
                for d in &diffs {
                    out.line(format_args!("  {d}"));
                }
                if diffs.is_empty() {
                    out.line(format_args!("  same JSON value, different formatting"));
                }
            }
            // An outcome added to the library later: not a pass.
            other => {
                bad = true;
                out.line(format_args!("FAILED  {name}: {other:?}"));
            }
        }
    }
    if let Err(code) = out.finish() {
        return code;
    }
    ExitCode::from(u8::from(bad))
}

/// Loads one document: a JSON output of `convert`, or an input to convert.
fn load(path: &Path, options: &Options) -> Result<tulossopimus::Document, String> {
    let (name, bytes) = read_input(path, &options.limits).map_err(|e| e.to_string())?;
    let docs = tables::load_input_with(&name, &bytes, options)
        .map_err(|e| e.to_string())?
        .into_documents();
    <[_; 1]>::try_from(docs).map(|[doc]| doc).map_err(|docs| {
        format!(
            "{name}: holds {} documents; diff compares one with one",
            docs.len()
        )
    })
}

fn editions(old: &Path, new: &Path, json: bool, exit_code: bool, options: &Options) -> ExitCode {
    let (old, new) = match (load(old, options), load(new, options)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(if exit_code { 2 } else { 1 });
        }
    };
    let changes = tulossopimus::editions::compare(&old, &new);
    let mut out = Out::new();
    if json {
        let text = serde_json::to_string_pretty(&changes).expect("changes serialize");
        out.line(format_args!("{text}"));
    } else if changes.is_empty() {
        out.line(format_args!("no changes"));
    } else {
        for c in &changes {
            out.line(format_args!("{c}"));
        }
    }
    if let Err(code) = out.finish() {
        return code;
    }
    ExitCode::from(u8::from(exit_code && !changes.is_empty()))
}

/// `outline`: every document of every input (converted, or read from its JSON), in
/// input order; a failed input is an error and the others are still printed.
fn outline(inputs: &[PathBuf], options: &Options) -> ExitCode {
    if let Err(code) = stdin_once(inputs) {
        return code;
    }
    let results = load_inputs(inputs, options);
    let mut out = Out::new();
    let mut failed = false;
    let mut first = true;
    for result in results {
        match result {
            Ok(input) => {
                for doc in input.into_documents() {
                    if !first {
                        out.text("\n");
                    }
                    first = false;
                    out.text(&emit::outline_text(&doc));
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if let Err(code) = out.finish() {
        return code;
    }
    ExitCode::from(u8::from(failed))
}

/// Reads a document tree for `score`; the error names the file.
fn load_tree(path: &Path) -> Result<tulossopimus::Document, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    tulossopimus::score::load_tree(&text)
        .map_err(|e| format!("{name}: not a document tree (JSON of the output model): {e}"))
}

fn score(expected: &Path, actual: &Path, json: bool) -> ExitCode {
    let (expected, actual) = match (load_tree(expected), load_tree(actual)) {
        (Ok(e), Ok(a)) => (e, a),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let score = tulossopimus::score::score(&expected, &actual);
    let written = if json {
        let text = serde_json::to_string_pretty(&score).expect("score serializes");
        writeln!(io::stdout().lock(), "{text}")
    } else {
        write!(io::stdout().lock(), "{score}")
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => write_failed(&e),
    }
}

/// Whether a file is one of a batch's own files (`_report.json`), not a document.
fn is_batch_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('_'))
}

/// Export's inputs: files as given, except a batch's own files (`_*.json`), which are
/// skipped with a note; a directory gives its `*.json` files, recursively and sorted,
/// leaving out hidden entries (a batch's temporary files) and `_*.json`.
fn export_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for input in inputs {
        if input.as_os_str() != "-" && input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found)
                .map_err(|e| format!("{}: cannot list: {e}", input.display()))?;
            if found.is_empty() {
                return Err(format!(
                    "{}: a directory without JSON outputs (export reads the *.json files \
                     that convert --out-dir wrote there)",
                    input.display()
                ));
            }
            found.sort();
            files.extend(found);
        } else if is_batch_file(input) && input.extension().is_some_and(|e| e == "json") {
            eprintln!(
                "note: {}: skipped: files named _*.json are a batch's own (its report), \
                 not documents",
                input.display()
            );
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// What `export` writes: at least one of the three.
#[derive(clap::Args)]
#[group(id = "outputs", required = true, multiple = true)]
struct ExportTo {
    /// Directory for `<table>.ndjson` and `<table>.csv` (created if missing).
    #[arg(long, value_name = "DIR")]
    tables: Option<PathBuf>,
    /// Write the tables into this SQLite database (an existing file is replaced).
    #[arg(long, value_name = "FILE")]
    sqlite: Option<PathBuf>,
    /// Directory for `<table>.parquet`, typed columns (created if missing; existing files
    /// are replaced).
    #[arg(long, value_name = "DIR")]
    parquet: Option<PathBuf>,
}

fn export(
    inputs: &[PathBuf],
    to: &ExportTo,
    csv_bom: bool,
    warnings: WarningsTo,
    options: &Options,
) -> ExitCode {
    if let Err(code) = stdin_once(inputs) {
        return code;
    }
    let inputs = match export_inputs(inputs) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let results = load_inputs(&inputs, options);
    let mut failed = false;
    let mut docs = Vec::new();
    for result in results {
        match result {
            Ok(input) => {
                // JSON inputs printed their warnings when they were converted.
                if let tables::Input::Converted(doc) = &input {
                    print_warnings(warnings, &doc.source.path, &doc.warnings);
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
    // Each output on its own: one that cannot be written does not keep the others back.
    let written = [
        to.tables
            .as_deref()
            .map(|dir| tables::write_files_with(&rows, dir, csv_bom)),
        to.sqlite
            .as_deref()
            .map(|db| tables::write_sqlite(&rows, db)),
        to.parquet
            .as_deref()
            .map(|dir| tables::write_parquet(&rows, dir)),
    ];
    for e in written.into_iter().flatten().filter_map(Result::err) {
        eprintln!("error: {e}");
        failed = true;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A terminal 40 columns wide that keeps what is drawn on it.
    #[derive(Debug, Clone, Default)]
    struct Narrow(Arc<Mutex<String>>);

    impl indicatif::TermLike for Narrow {
        fn width(&self) -> u16 {
            40
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().expect("unpoisoned").push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            self.write_str("\n")
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_narrow_terminal_shortens_the_bar_not_the_counts() {
        let term = Narrow::default();
        let target = indicatif::ProgressDrawTarget::term_like(Box::new(term.clone()));
        let bar = indicatif::ProgressBar::with_draw_target(Some(200), target);
        bar.set_style(bar_style());
        bar.set_position(6);
        bar.tick();
        let drawn = term.0.lock().expect("unpoisoned").clone();
        let line = drawn
            .lines()
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or_else(|| panic!("nothing drawn: {drawn:?}"));
        assert!(line.starts_with("6/200 files, "), "{line:?}");
        let rate = line["6/200 files, ".len()..]
            .split(" files/s")
            .next()
            .expect("a rate");
        let decimals = rate.split('.').nth(1).map(str::len);
        assert_eq!(decimals, Some(1), "{line:?}");
        assert!(line.chars().count() <= 40, "{line:?}");
    }
}
