//! Batch conversion: many inputs (files or directories) to one JSON file each under an
//! output directory, in parallel, resumable, with a report.
//!
//! Guarantees: outputs mirror the inputs' relative paths and never leave the output
//! directory; every output is written to a temporary file and renamed, so a killed
//! batch never leaves a truncated JSON; an output whose `source.sha256` and `generator`
//! match the input and this build is current and skipped unless forced; one bad input
//! never stops the others; the outputs are byte-identical whatever the number of jobs.
//!
//! Faults (issue 17): a batch holds an exclusive lock on its output directory for its
//! whole run, and a second batch into the same directory fails at once with a clear
//! message (`lock_dir`). Temporary files are removed by the run that made them, or at
//! start-up when older than the run's start and not locked (each is locked by its
//! writer while written). `_report.json` is written first, as `running`, with room
//! reserved for the final one, rewritten as files finish, and at the end as `finished`
//! (in place, in the room reserved, when the disk is full): it exists whatever the
//! outputs met.
//!
//! Failures are remembered: a failed input's entry in the report holds the input's
//! SHA-256, and the next batch into the directory (same build, same conversion
//! settings) reports it failed again without converting it while its content is the
//! same ([`Remembered`]); `retry_failed` or `force` converts it again.

use std::io::Write;
#[cfg(unix)]
use std::os::unix::io::AsRawFd;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Coverage, GENERATOR};
use crate::worker::{self, Pool, WorkerConfig};
use crate::{normalize, Options};

/// Name of the report written into the output directory.
pub const REPORT: &str = "_report.json";

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub out_dir: PathBuf,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Reconvert inputs whose output is current, and retry remembered failures.
    pub force: bool,
    /// Convert again the inputs that failed in the previous batch into this directory
    /// (by default they are reported failed again, unconverted, while unchanged).
    pub retry_failed: bool,
    pub pretty: bool,
    pub convert: Options,
    /// Convert PDFs in worker processes with these limits (see [`crate::worker`]);
    /// `None` converts everything in this process.
    pub isolation: Option<WorkerConfig>,
}

/// One input to convert and where its output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    /// Output path relative to the output directory.
    pub output: PathBuf,
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    Converted,
    ConvertedWithWarnings,
    Failed,
    Skipped,
}

/// The report line of one input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub input: String,
    pub output: Option<String>,
    pub status: Status,
    pub warnings: usize,
    pub coverage: Option<Coverage>,
    pub elapsed_ms: u64,
    /// For a failure: a stable code and the message.
    pub error: Option<FileError>,
    /// For a failure: SHA-256 of the input, by which the next batch remembers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// A failure remembered from an earlier batch, not converted this time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remembered: bool,
}

/// Why an input failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    pub code: String,
    pub message: String,
}

/// Counts by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    pub converted: usize,
    pub converted_with_warnings: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Inputs not done yet (0 in a finished report).
    #[serde(default)]
    pub pending: usize,
    /// Of `failed`, those remembered from an earlier batch and not converted again.
    #[serde(default)]
    pub remembered: usize,
}

/// Whether the batch that wrote a report had ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RunState {
    /// The batch was running: `files` holds the inputs done so far (a batch killed or
    /// stopped by a full disk leaves this state).
    Running,
    /// Every input is in `files`.
    #[default]
    Finished,
}

/// `_report.json`: every input, sorted by input path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub generator: String,
    pub out_dir: String,
    #[serde(default)]
    pub state: RunState,
    /// The conversion settings' digest ([`settings`]): failures are remembered only
    /// under the same ones.
    #[serde(default)]
    pub settings: String,
    pub summary: Summary,
    pub files: Vec<FileReport>,
}

/// A batch that ran: its report, and why `_report.json` could not be written, if it
/// could not (the file then holds an earlier, `running` state of the report, or none).
#[derive(Debug)]
pub struct Finished {
    pub report: Report,
    pub report_error: Option<std::io::Error>,
}

impl Report {
    /// Exit code: 0 when nothing failed, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.summary.failed > 0)
    }
}

/// Which files found in a directory a batch takes; files named directly are always
/// taken. Patterns are globs (`*` any characters but `/`, `**` any characters, `?` one
/// character), matched without regard to ASCII case; a pattern without `/` is matched
/// against the file name, one with `/` against the path relative to the directory given.
/// A file is taken when it matches an include pattern and no exclude pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// The include patterns when none are given: the files the converter reads.
pub const DEFAULT_INCLUDE: [&str; 2] = ["*.txt", "*.pdf"];

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            include: DEFAULT_INCLUDE.iter().map(|p| p.to_string()).collect(),
            exclude: Vec::new(),
        }
    }
}

impl Filter {
    /// The filter of these patterns; no include pattern means [`DEFAULT_INCLUDE`].
    pub fn new(include: Vec<String>, exclude: Vec<String>) -> Filter {
        let include = if include.is_empty() {
            Filter::default().include
        } else {
            include
        };
        Filter { include, exclude }
    }

    /// Whether the file at `rel` (relative to the directory given) is taken.
    pub fn takes(&self, rel: &Path) -> bool {
        let rel = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => Some(part.to_string_lossy()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/");
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let matches = |pattern: &String| {
            let text = if pattern.contains('/') {
                &rel[..]
            } else {
                name
            };
            glob(pattern, text)
        };
        self.include.iter().any(matches) && !self.exclude.iter().any(matches)
    }
}

/// Whether `text` matches the glob `pattern`, ignoring ASCII case (see [`Filter`]).
pub fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p {
            [] => t.is_empty(),
            ['*', '*', '/', rest @ ..] => {
                // `**/` also matches nothing: `**/*.pdf` takes `a.pdf`.
                go(rest, t) || (0..=t.len()).any(|i| go(&p[2..], &t[i..]))
            }
            ['*', '*', rest @ ..] => (0..=t.len()).any(|i| go(rest, &t[i..])),
            ['*', rest @ ..] => {
                let run = t.iter().take_while(|&&c| c != '/').count();
                (0..=run).any(|i| go(rest, &t[i..]))
            }
            ['?', rest @ ..] => t.first().is_some_and(|&c| c != '/') && go(rest, &t[1..]),
            [c, rest @ ..] => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    let lower = |s: &str| {
        s.chars()
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    go(&lower(pattern), &lower(text))
}

/// Expands files and directories (recursively, sorted, hidden entries and the output
/// directory left out, directory symlinks not followed) into jobs, taking from
/// directories the files of the default [`Filter`] (`*.txt`, `*.pdf`). Inputs that
/// cannot be listed, or whose outputs would collide, come back as failed reports.
pub fn collect(inputs: &[PathBuf], out_dir: &Path) -> (Vec<Job>, Vec<FileReport>) {
    let (jobs, failed, _) = collect_with(inputs, out_dir, &Filter::default());
    (jobs, failed)
}

/// [`collect`] with a filter; also returns how many files in directories it left out.
pub fn collect_with(
    inputs: &[PathBuf],
    out_dir: &Path,
    filter: &Filter,
) -> (Vec<Job>, Vec<FileReport>, usize) {
    let out_canonical = out_dir.canonicalize().ok();
    let mut jobs = Jobs::default();
    let mut failed = Vec::new();
    let mut left_out = 0;
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                if let Err(e) = walk(input, out_canonical.as_deref(), &mut found) {
                    failed.push(failure(input, None, "io", format!("cannot list: {e}")));
                }
                found.sort();
                for file in found {
                    let rel = file.strip_prefix(input).unwrap_or(&file).to_path_buf();
                    if !filter.takes(&rel) {
                        left_out += 1;
                        continue;
                    }
                    push_job(&mut jobs, &mut failed, file, &rel);
                }
            }
            Ok(_) => {
                let name = input.file_name().map(PathBuf::from).unwrap_or_default();
                push_job(&mut jobs, &mut failed, input.clone(), &name);
            }
            Err(e) => failed.push(failure(input, None, "io", format!("cannot read: {e}"))),
        }
    }
    (jobs.jobs, failed, left_out)
}

/// Jobs so far, with the output each one claimed (a linear search per input made
/// collecting quadratic in the number of inputs).
#[derive(Default)]
struct Jobs {
    jobs: Vec<Job>,
    /// Output path -> index of the job that writes it.
    outputs: std::collections::HashMap<PathBuf, usize>,
}

fn walk(dir: &Path, skip: Option<&Path>, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if skip.is_some() && path.canonicalize().ok().as_deref() == skip {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, skip, out)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

/// Output path for an input at `rel`: only plain components, the file name + ".json".
fn output_path(rel: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in rel.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let name = out.file_name()?.to_string_lossy().into_owned();
    out.set_file_name(format!("{name}.json"));
    Some(out)
}

fn push_job(jobs: &mut Jobs, failed: &mut Vec<FileReport>, input: PathBuf, rel: &Path) {
    let Some(output) = output_path(rel) else {
        let message = format!("no safe output path for {}", rel.display());
        failed.push(failure(&input, None, "unsafe_path", message));
        return;
    };
    if let Some(&first) = jobs.outputs.get(&output) {
        let message = format!(
            "output {} is already written for {}",
            output.display(),
            jobs.jobs[first].input.display()
        );
        failed.push(failure(&input, Some(&output), "output_collision", message));
        return;
    }
    jobs.outputs.insert(output.clone(), jobs.jobs.len());
    jobs.jobs.push(Job { input, output });
}

fn failure(input: &Path, output: Option<&Path>, code: &str, message: String) -> FileReport {
    FileReport {
        input: input.display().to_string(),
        output: output.map(|o| o.display().to_string()),
        status: Status::Failed,
        warnings: 0,
        coverage: None,
        elapsed_ms: 0,
        error: Some(FileError {
            code: code.into(),
            message,
        }),
        sha256: None,
        remembered: false,
    }
}

/// A digest of what decides whether a conversion fails besides the input's bytes: the
/// limits, `--strict`, and the worker's time and memory limits. A failure under other
/// settings (a longer `--timeout`, a higher `--max-pages`) is not remembered.
pub fn settings(options: &BatchOptions) -> String {
    let isolation = options
        .isolation
        .as_ref()
        .map(|w| format!("{:?}|{}", w.timeout, w.max_memory));
    let text = format!(
        "{}|{}|{:?}|{isolation:?}",
        GENERATOR, options.convert.strict, options.convert.limits
    );
    normalize::sha256_hex(text.as_bytes())[..16].to_owned()
}

/// Failures of the previous batch into the directory, by input: its hash and error.
#[derive(Debug, Default)]
pub struct Remembered(std::collections::HashMap<String, (String, FileError)>);

impl Remembered {
    /// The failures in the report at `path` that are worth remembering: written by this
    /// build under the same `settings`, with the input's hash, and failed by what the
    /// input holds. Not remembered: failures to read or write (the disk, not the input),
    /// unsafe or colliding outputs (decided afresh), a PDF's password (the next run may
    /// bring one) and a worker that could not start.
    pub fn load(path: &Path, settings: &str) -> Remembered {
        let Ok(text) = std::fs::read(path) else {
            return Remembered::default();
        };
        let Ok(report) = serde_json::from_slice::<Report>(&text) else {
            return Remembered::default();
        };
        if report.generator != GENERATOR || report.settings != settings {
            return Remembered::default();
        }
        let remembered = report
            .files
            .into_iter()
            .filter(|f| f.status == Status::Failed)
            .filter_map(|f| Some((f.input, (f.sha256?, f.error?))))
            .filter(|(_, (_, e))| {
                !matches!(
                    e.code.as_str(),
                    "io" | "write"
                        | "unsafe_path"
                        | "output_collision"
                        | "pdf_encrypted"
                        | "worker"
                )
            })
            .collect();
        Remembered(remembered)
    }

    /// The remembered error of `input`, if its content is still `bytes`.
    fn get(&self, input: &str, bytes: &[u8]) -> Option<&FileError> {
        let (sha256, error) = self.0.get(input)?;
        (*sha256 == normalize::sha256_hex(bytes)).then_some(error)
    }
}

/// Runs the jobs; `tick` is called after each input with its report (from worker
/// threads). The report is sorted by input path and also written to
/// `out_dir/_report.json` (first as `running`, see the module's documentation).
///
/// Fails before any input is converted when the output directory cannot be made or
/// locked (another batch holds it: [`ErrorKind::WouldBlock`](std::io::ErrorKind)) or
/// the first report cannot be written; a failure to write the last report comes back
/// in [`Finished::report_error`], with the report.
pub fn run(
    jobs: Vec<Job>,
    mut early: Vec<FileReport>,
    options: &BatchOptions,
    tick: &(dyn Fn(&FileReport) + Sync),
) -> std::io::Result<Finished> {
    let started = SystemTime::now();
    std::fs::create_dir_all(&options.out_dir)?;
    let out_root = options.out_dir.canonicalize()?;
    let _lock = lock_dir(&out_root)?;
    remove_stale_temporaries(&out_root, started);
    let threads = if options.jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.jobs
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(std::io::Error::other)?;
    for r in &early {
        tick(r);
    }
    early.sort_by(|a, b| a.input.cmp(&b.input));
    let settings = settings(options);
    // Read before the first report of this run replaces it.
    let remembered = if options.force || options.retry_failed {
        Remembered::default()
    } else {
        Remembered::load(&out_root.join(REPORT), &settings)
    };
    let progress = Progress {
        settings,
        path: out_root.join(REPORT),
        out_dir: options.out_dir.display().to_string(),
        total: jobs.len() + early.len(),
        reserve: reserve(&jobs, &early),
        done: Mutex::new((early, Instant::now())),
    };
    // The report exists before any output is written, with room for the last one.
    progress
        .write(&mut progress.done.lock().unwrap_or_else(|e| e.into_inner()).0)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot write {REPORT}: {e}")))?;
    // At most one worker per thread is busy; idle ones are reused by the next job.
    let workers = options.isolation.clone().map(Pool::new);
    pool.install(|| {
        jobs.par_iter().for_each(|job| {
            let report = one(job, &out_root, options, workers.as_ref(), &remembered);
            tick(&report);
            progress.add(report);
        })
    });
    let mut files = std::mem::take(&mut progress.done.lock().unwrap_or_else(|e| e.into_inner()).0);
    files.sort_by(|a, b| a.input.cmp(&b.input));
    let report = Report {
        state: RunState::Finished,
        ..progress.report(files)
    };
    let report_error = progress.finish(&report).err();
    Ok(Finished {
        report,
        report_error,
    })
}

/// The report while the batch runs: the inputs done so far, rewritten into
/// `_report.json` at most once a second.
struct Progress {
    settings: String,
    path: PathBuf,
    out_dir: String,
    total: usize,
    /// Bytes the `running` report is padded to: room for the finished one.
    reserve: usize,
    /// The inputs done, and when the report was last written.
    done: Mutex<(Vec<FileReport>, Instant)>,
}

/// How often a running batch rewrites its report.
const REPORT_EVERY: Duration = Duration::from_secs(1);

impl Progress {
    fn report(&self, files: Vec<FileReport>) -> Report {
        let mut summary = Summary {
            total: self.total,
            pending: self.total - files.len(),
            ..Summary::default()
        };
        for f in &files {
            match f.status {
                Status::Converted => summary.converted += 1,
                Status::ConvertedWithWarnings => summary.converted_with_warnings += 1,
                Status::Failed => summary.failed += 1,
                Status::Skipped => summary.skipped += 1,
            }
            summary.remembered += usize::from(f.remembered);
        }
        Report {
            generator: GENERATOR.into(),
            out_dir: self.out_dir.clone(),
            state: RunState::Running,
            settings: self.settings.clone(),
            summary,
            files,
        }
    }

    fn add(&self, file: FileReport) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.0.push(file);
        if done.1.elapsed() >= REPORT_EVERY {
            // A failure (a full disk) leaves the last report, and its room, in place.
            let _ = self.write(&mut done.0);
            done.1 = Instant::now();
        }
    }

    /// Writes the running report (sorting the inputs done), padded to the reserve.
    fn write(&self, files: &mut Vec<FileReport>) -> std::io::Result<()> {
        files.sort_by(|a, b| a.input.cmp(&b.input));
        let report = self.report(std::mem::take(files));
        let mut text = render(&report)?;
        *files = report.files;
        let pad = self.reserve.saturating_sub(text.len());
        text.pop();
        text.extend(std::iter::repeat_n(' ', pad));
        text.push('\n');
        write_atomic(&self.path, text.as_bytes())
    }

    /// Writes the finished report; when a new file cannot be written (a full disk),
    /// overwrites the running one in place, in the room it holds.
    fn finish(&self, report: &Report) -> std::io::Result<()> {
        let text = render(report)?;
        match write_atomic(&self.path, text.as_bytes()) {
            Ok(()) => Ok(()),
            Err(e) => overwrite_in_place(&self.path, text.as_bytes()).map_err(|_| e),
        }
    }
}

fn render(report: &Report) -> std::io::Result<String> {
    let mut text = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}

/// Room for the finished report: generous per input (a finished entry with coverage
/// takes about 330 bytes and its paths; a failure's message names the paths again).
fn reserve(jobs: &[Job], early: &[FileReport]) -> usize {
    let entry = |input: usize, output: usize| 768 + 3 * (input + output);
    let jobs: usize = jobs
        .iter()
        .map(|j| entry(j.input.as_os_str().len(), j.output.as_os_str().len()))
        .sum();
    let early: usize = early
        .iter()
        .map(|f| {
            let message = f.error.as_ref().map_or(0, |e| e.message.len());
            entry(f.input.len(), f.output.as_ref().map_or(0, String::len)) + message
        })
        .sum();
    1024 + jobs + early
}

/// Replaces the content of `path` by `bytes` without allocating: only when the file is
/// at least as long, then cut to length.
fn overwrite_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    if f.metadata()?.len() < bytes.len() as u64 {
        return Err(std::io::Error::other("no room reserved"));
    }
    f.seek(SeekFrom::Start(0))?;
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)?;
    f.sync_all()
}

/// The exclusive lock a batch holds on its output directory (released when dropped,
/// or when the process ends however it ends).
struct DirLock(#[allow(dead_code)] Option<std::fs::File>);

/// Locks the output directory (`flock` on the directory itself: nothing is added to
/// it), or fails at once when another batch holds it. On a file system without locks
/// the batch runs unlocked (temporary files are still locked one by one).
///
/// `std::fs::File::try_lock` (Rust 1.89) would do the same; the crate's rust-version
/// is 1.85.
fn lock_dir(dir: &Path) -> std::io::Result<DirLock> {
    let f = std::fs::File::open(dir)?;
    match flock_exclusive(&f) {
        Ok(true) => Ok(DirLock(Some(f))),
        Ok(false) => Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "another batch is writing into this output directory (it holds the directory's lock); \
             wait for it to end or choose another --out-dir",
        )),
        Err(e) if unsupported(&e) => Ok(DirLock(None)),
        Err(e) => Err(e),
    }
}

/// `flock(LOCK_EX | LOCK_NB)`: true when taken, false when another holds it.
#[cfg(unix)]
fn flock_exclusive(f: &std::fs::File) -> std::io::Result<bool> {
    // SAFETY: flock on a descriptor this `File` owns; no memory is involved.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(e)
    }
}

#[cfg(unix)]
fn unsupported(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::ENOLCK) | Some(libc::EOPNOTSUPP) | Some(libc::ENOSYS)
    )
}

/// Elsewhere there is no `flock`: the batch runs unlocked, as on a file system without
/// locks.
#[cfg(not(unix))]
fn flock_exclusive(_: &std::fs::File) -> std::io::Result<bool> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn unsupported(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Unsupported
}

fn one(
    job: &Job,
    out_root: &Path,
    options: &BatchOptions,
    workers: Option<&Pool>,
    remembered: &Remembered,
) -> FileReport {
    let started = Instant::now();
    let name = job.input.display().to_string();
    let output = job.output.display().to_string();
    let fail = |code: &str, message: String| FileReport {
        elapsed_ms: started.elapsed().as_millis() as u64,
        ..failure(&job.input, Some(&job.output), code, message)
    };
    let bytes = match options.convert.limits.read_file(&name, &job.input) {
        Ok(b) => b,
        Err(e) => return fail(e.code(), e.to_string()),
    };
    if let Some(error) = remembered.get(&name, &bytes) {
        return FileReport {
            remembered: true,
            sha256: Some(normalize::sha256_hex(&bytes)),
            ..fail(&error.code, error.message.clone())
        };
    }
    let target = out_root.join(&job.output);
    if !options.force && is_current(&target, &bytes) {
        return FileReport {
            input: name,
            output: Some(output),
            status: Status::Skipped,
            warnings: 0,
            coverage: None,
            elapsed_ms: started.elapsed().as_millis() as u64,
            error: None,
            sha256: None,
            remembered: false,
        };
    }
    // The same JSON as the command's standard output, rendered where it was converted
    // (a worker sends it rendered).
    let doc =
        match worker::convert_rendered(workers, &name, &bytes, &options.convert, options.pretty) {
            Ok(doc) => doc,
            Err(e) => {
                return FileReport {
                    sha256: Some(normalize::sha256_hex(&bytes)),
                    ..fail(e.code(), e.to_string())
                }
            }
        };
    let written = safe_parent(out_root, &target)
        .and_then(|()| write_atomic_with(&target, |f| f.write_all(&doc.json)));
    if let Err(e) = written {
        return fail("write", format!("{}: cannot write: {e}", target.display()));
    }
    let warnings = doc.warnings.len();
    FileReport {
        input: name,
        output: Some(output),
        status: if warnings == 0 {
            Status::Converted
        } else {
            Status::ConvertedWithWarnings
        },
        warnings,
        coverage: Some(doc.coverage),
        elapsed_ms: started.elapsed().as_millis() as u64,
        error: None,
        sha256: None,
        remembered: false,
    }
}

/// The output exists, was made by this build, from these bytes.
fn is_current(target: &Path, input: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Head {
        generator: String,
        source: HeadSource,
    }
    #[derive(Deserialize)]
    struct HeadSource {
        sha256: String,
    }
    let Ok(text) = std::fs::read(target) else {
        return false;
    };
    match serde_json::from_slice::<Head>(&text) {
        Ok(head) => {
            head.generator == GENERATOR && head.source.sha256 == normalize::sha256_hex(input)
        }
        Err(_) => false,
    }
}

/// Creates the output's directory and checks that it is inside the output root (a
/// symlinked directory there could point anywhere).
fn safe_parent(out_root: &Path, target: &Path) -> std::io::Result<()> {
    let parent = target.parent().unwrap_or(out_root);
    std::fs::create_dir_all(parent)?;
    if !parent.canonicalize()?.starts_with(out_root) {
        return Err(std::io::Error::other(format!(
            "{} resolves outside the output directory",
            parent.display()
        )));
    }
    if target
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(std::io::Error::other("the output path is a symlink"));
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `target` and renames it into place.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(target, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], with the content written by `write` into a buffered writer.
/// The temporary file is locked while it is written, so that no other batch's
/// start-up removes it; it is removed when the write fails.
pub fn write_atomic_with(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = target
        .file_name()
        .ok_or_else(|| std::io::Error::other("no file name"))?
        .to_string_lossy();
    let tmp = target.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let _ = flock_exclusive(&file);
        let mut f = std::io::BufWriter::with_capacity(64 * 1024, fault::Disk(file));
        write(&mut f)?;
        f.flush()?;
        f.get_ref().0.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A test hook for a full disk: with `TULOSSOPIMUS_TEST_DISK_BYTES=N` in the
/// environment, the batch's files (outputs, reports) may write N bytes in all, after
/// which every write fails as on a full disk (ENOSPC). Overwriting a file in place
/// (the finished report over the running one) takes no new room and is not counted.
mod fault {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    /// The test budget's environment variable.
    pub const VAR: &str = "TULOSSOPIMUS_TEST_DISK_BYTES";

    fn budget() -> Option<&'static AtomicU64> {
        static BUDGET: OnceLock<Option<AtomicU64>> = OnceLock::new();
        BUDGET
            .get_or_init(|| {
                std::env::var(VAR)
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .map(AtomicU64::new)
            })
            .as_ref()
    }

    /// The error of a write to a full disk.
    fn full_disk() -> std::io::Error {
        #[cfg(unix)]
        return std::io::Error::from_raw_os_error(libc::ENOSPC);
        #[cfg(not(unix))]
        return std::io::ErrorKind::StorageFull.into();
    }

    /// A file that spends the budget, if there is one.
    pub struct Disk(pub std::fs::File);

    impl std::io::Write for Disk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if let Some(left) = budget() {
                let n = buf.len() as u64;
                let took =
                    left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| l.checked_sub(n));
                if took.is_err() {
                    left.store(0, Ordering::SeqCst);
                    return Err(full_disk());
                }
            }
            self.0.write(buf)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            self.0.flush()
        }
    }
}

/// A killed batch may leave temporary files; they are never outputs. One is removed
/// only when it is older than this run's start and not locked (its writer, in another
/// batch into an enclosing or nested directory, would hold its lock).
fn remove_stale_temporaries(dir: &Path, started: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        match entry.file_type() {
            Ok(t) if t.is_dir() => remove_stale_temporaries(&path, started),
            Ok(t) if t.is_file() && name.starts_with('.') && name.contains(".json.tmp-") => {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < started);
                let free = std::fs::File::open(&path)
                    .and_then(|f| flock_exclusive(&f))
                    .unwrap_or(false);
                if old && free {
                    let _ = std::fs::remove_file(&path);
                }
            }
            _ => {}
        }
    }
}

/// The summary for the terminal: the counts, where the report is, and a line for each
/// input that failed. When the report could not be written (`report_missing`), a line
/// for every input, so that what happened to each is said somewhere whatever happens.
pub fn summary_text(report: &Report, report_missing: bool) -> String {
    let s = report.summary;
    let mut text = format!(
        "{} input(s): {} converted, {} with warnings, {} skipped (current), {} failed{}; report: {}/{}{}\n",
        s.total,
        s.converted,
        s.converted_with_warnings,
        s.skipped,
        s.failed,
        if s.remembered > 0 {
            format!(
                " ({} remembered from the last batch, unchanged and not converted again; \
                 --retry-failed converts them)",
                s.remembered
            )
        } else {
            String::new()
        },
        report.out_dir,
        REPORT,
        if report_missing { " (not written)" } else { "" }
    );
    for f in &report.files {
        let output = f.output.as_deref().unwrap_or("-");
        match (f.status, &f.error) {
            (Status::Failed, e) => {
                let (message, code) = e.as_ref().map_or((f.input.as_str(), ""), |e| {
                    (e.message.as_str(), e.code.as_str())
                });
                let failed = if f.remembered {
                    "failed (remembered)"
                } else {
                    "failed"
                };
                // A conversion's message names the input; a write's, the output.
                if message.contains(f.input.as_str()) {
                    text.push_str(&format!("  {failed}: {message} [{code}]\n"));
                } else {
                    text.push_str(&format!("  {failed}: {}: {message} [{code}]\n", f.input));
                }
            }
            _ if !report_missing => {}
            (Status::Converted, _) => {
                text.push_str(&format!("  converted: {} -> {output}\n", f.input));
            }
            (Status::ConvertedWithWarnings, _) => text.push_str(&format!(
                "  converted with {} warning(s): {} -> {output}\n",
                f.warnings, f.input
            )),
            (Status::Skipped, _) => {
                text.push_str(&format!("  skipped (current): {} -> {output}\n", f.input));
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_and_paths() {
        assert!(glob("*.pdf", "a.pdf"));
        assert!(glob("*.pdf", "A.PDF"), "ASCII case is ignored");
        assert!(!glob("*.pdf", "a.pdf.bak"));
        assert!(!glob("*.pdf", "x/a.pdf"), "* does not cross /");
        assert!(glob("**/*.pdf", "a.pdf") && glob("**/*.pdf", "x/y/a.pdf"));
        assert!(glob("2026/*", "2026/a.txt") && !glob("2026/*", "2026/x/a.txt"));
        assert!(glob("luonnos-??.txt", "luonnos-01.txt"));
        assert!(!glob("luonnos-??.txt", "luonnos-1.txt"));
        let f = Filter::default();
        assert!(f.takes(Path::new("a/b.txt")) && f.takes(Path::new("B.PDF")));
        for other in ["MANIFEST.md", "make.py", "x.fodt", "a/_report.json"] {
            assert!(!f.takes(Path::new(other)), "{other}");
        }
        let f = Filter::new(vec![], vec!["luonnos/**".into(), "*-vanha.*".into()]);
        assert!(f.takes(Path::new("a.txt")));
        assert!(!f.takes(Path::new("luonnos/a.txt")) && !f.takes(Path::new("b-vanha.pdf")));
        let f = Filter::new(vec!["*.json".into()], vec![]);
        assert!(f.takes(Path::new("a.json")) && !f.takes(Path::new("a.txt")));
    }

    #[test]
    fn output_paths_stay_inside() {
        assert_eq!(
            output_path(Path::new("a/b.txt")),
            Some(PathBuf::from("a/b.txt.json"))
        );
        assert_eq!(
            output_path(Path::new("./b.pdf")),
            Some(PathBuf::from("b.pdf.json"))
        );
        assert_eq!(output_path(Path::new("../b.txt")), None);
        assert_eq!(output_path(Path::new("/etc/passwd")), None);
        assert_eq!(output_path(Path::new("")), None);
    }

    #[test]
    fn colliding_outputs_fail_the_second_input() {
        let (mut jobs, mut failed) = (Jobs::default(), Vec::new());
        push_job(&mut jobs, &mut failed, "x/a.txt".into(), Path::new("a.txt"));
        push_job(&mut jobs, &mut failed, "y/a.txt".into(), Path::new("a.txt"));
        assert_eq!(jobs.jobs.len(), 1);
        assert_eq!(
            failed[0].error.as_ref().map(|e| e.code.as_str()),
            Some("output_collision")
        );
    }
}
