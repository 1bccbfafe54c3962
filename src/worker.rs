//! Process isolation: PDFs are converted in child processes of the same binary, each with
//! a wall-clock limit and an address-space limit, so that no input can take the caller
//! down with it.
//!
//! Why a process: the PDF reader panics by design (contained in the `pdf` stage), but a
//! Form XObject that draws itself overflows its stack, which aborts the whole process,
//! and a small compressed stream can inflate to gigabytes. Only another process can be
//! killed, capped and replaced. (GROBID and Tika isolate their PDF parsers the same way.)
//!
//! - [`serve`] is the child: the hidden `worker` subcommand. It sets `RLIMIT_AS` (its
//!   address space) to the memory limit and `RLIMIT_CORE` to 0 (no core files), then
//!   answers requests from standard input until it closes.
//! - [`Pool`] is the parent: it keeps idle workers for reuse (one per concurrent job; a
//!   worker is replaced after [`JOBS_PER_WORKER`] jobs or any failure), so a batch pays
//!   for starting a process once per worker, not once per file.
//!
//! Protocol, over the child's stdin/stdout, in frames (8-byte little-endian length, then
//! the bytes): a request is a JSON frame `{"path", "options", "render"}` followed by a
//! frame with the input's bytes; the answer is one JSON frame, `{"Ok": Document}` or
//! `{"Err": {"code": …, …}}` (an [`Error`] round-trips with its code and message). With
//! `render` (`true` for pretty JSON, `false` for compact) the worker renders the document
//! itself: `{"Ok": {"warnings", "coverage"}}` and a second frame with the JSON (empty
//! after an error), which the command writes as it is ([`convert_rendered`]). The
//! child's own fd 1 is pointed at its stderr first, so nothing a library prints can
//! corrupt the answers. The child's stderr is captured by the parent (the last 64 KiB)
//! and never passed through; it only serves to tell how a worker died:
//!
//! | how the worker ended | error code |
//! |---|---|
//! | past `timeout` (the parent SIGKILLs it) | `timeout` |
//! | "memory allocation of N bytes failed" (Rust's abort when `RLIMIT_AS` is hit) | `memory_limit` |
//! | "has overflowed its stack" | `stack_overflow` |
//! | any other signal | `crashed` ("signal N (SIGxxx)") |
//! | an exit without an answer (e.g. a panic outside the PDF reader) | `crashed` |
//! | no process could be started, or an unreadable answer | `worker` |
//!
//! Unix only (process groups, `setrlimit`, signals): elsewhere [`AVAILABLE`] is false,
//! a [`Pool`] converts in the caller's process, [`serve`] refuses with [`UNAVAILABLE`],
//! and the command line says so and converts in-process.

use std::ffi::OsString;
use std::io;
#[cfg(unix)]
use std::io::{BufReader, Read, Write};
#[cfg(unix)]
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
#[cfg(unix)]
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
#[cfg(unix)]
use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(unix)]
use std::sync::mpsc::{self, RecvTimeoutError};
#[cfg(unix)]
use std::sync::{Arc, Mutex};
#[cfg(unix)]
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::{Coverage, Warning};
#[cfg(unix)]
use crate::ErrorKind;
use crate::{Document, Error, Options};

/// The hidden subcommand that runs [`serve`].
pub const SUBCOMMAND: &str = "worker";
/// Default wall-clock limit per input.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default address-space limit per worker: 1 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 1 << 30;
/// A worker is replaced after this many inputs, so that heap fragmentation from earlier
/// inputs never counts against a later one's memory limit.
pub const JOBS_PER_WORKER: u32 = 200;
/// Text dumps larger than this go to a worker too (when a pool is given), so that their
/// memory counts against the worker's limit rather than the caller's. Real dumps are
/// under 1 MiB.
pub const ISOLATE_TEXT_ABOVE: usize = 4 << 20;
/// Whether this platform isolates conversions in worker processes (Unix).
pub const AVAILABLE: bool = cfg!(unix);
/// Why it does not, where it does not.
pub const UNAVAILABLE: &str = "process isolation needs a Unix system (process groups, \
     setrlimit, signals); PDFs are converted in this process, without a time or memory limit";

/// How much of a worker's stderr is kept for telling how it died.
#[cfg(unix)]
const STDERR_TAIL: usize = 64 << 10;
/// Largest answer accepted from a worker (a garbage length must not allocate gigabytes).
#[cfg(unix)]
const MAX_ANSWER: u64 = 1 << 31;

/// How to start workers and what they may use.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The program to run: the `tulossopimus` binary.
    pub program: PathBuf,
    /// Its arguments; [`WorkerConfig::new`] gives `worker --max-memory N`.
    pub args: Vec<OsString>,
    /// Wall-clock limit for one input, start-up included.
    pub timeout: Duration,
    /// Address-space limit of a worker in bytes (reported in `memory_limit` errors).
    pub max_memory: u64,
}

impl WorkerConfig {
    /// Workers running `program worker --max-memory N`; `program` is the `tulossopimus`
    /// binary (a library user points at the installed one).
    pub fn new(program: PathBuf, timeout: Duration, max_memory: u64) -> WorkerConfig {
        WorkerConfig {
            program,
            args: vec![
                SUBCOMMAND.into(),
                "--max-memory".into(),
                max_memory.to_string().into(),
            ],
            timeout,
            max_memory,
        }
    }

    /// Workers running this very executable (for the `tulossopimus` binary itself).
    pub fn current_exe(timeout: Duration, max_memory: u64) -> io::Result<WorkerConfig> {
        Ok(WorkerConfig::new(
            std::env::current_exe()?,
            timeout,
            max_memory,
        ))
    }
}

/// Converts in this process, or in a worker of `pool` for a PDF (or a text dump over
/// [`ISOLATE_TEXT_ABOVE`]). Without a pool this is [`crate::convert_bytes`].
pub fn convert(
    pool: Option<&Pool>,
    path: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<Document, Error> {
    match isolating(pool, bytes) {
        Some(pool) => pool.convert(path, bytes, options),
        None => crate::convert_bytes(path, bytes, options),
    }
}

/// The pool that converts `bytes`, if any: a PDF or an oversized text dump goes to a
/// worker; the rest converts in this process.
fn isolating<'p>(pool: Option<&'p Pool>, bytes: &[u8]) -> Option<&'p Pool> {
    pool.filter(|_| crate::pdf::is_pdf(bytes) || bytes.len() > ISOLATE_TEXT_ABOVE)
}

/// [`convert`] with the document rendered as JSON, as [`crate::emit::write_json`] writes
/// it: a worker renders it itself and sends the bytes, so that the caller neither reads
/// the document back nor renders it again.
pub fn convert_rendered(
    pool: Option<&Pool>,
    path: &str,
    bytes: &[u8],
    options: &Options,
    pretty: bool,
) -> Result<Rendered, Error> {
    match isolating(pool, bytes) {
        Some(pool) => pool.convert_rendered(path, bytes, options, pretty),
        None => crate::convert_bytes(path, bytes, options).map(|doc| Rendered::of(doc, pretty)),
    }
}

/// A document rendered as JSON, with what a caller reports besides the JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rendered {
    pub warnings: Vec<Warning>,
    pub coverage: Coverage,
    /// The document as [`crate::emit::write_json`] writes it, final newline included.
    #[serde(skip)]
    pub json: Vec<u8>,
}

impl Rendered {
    /// Renders `doc`.
    pub fn of(doc: Document, pretty: bool) -> Rendered {
        let mut json = Vec::with_capacity(64 * 1024);
        crate::emit::write_json(&mut json, &doc, pretty).expect("writing to memory does not fail");
        Rendered {
            warnings: doc.warnings,
            coverage: doc.coverage,
            json,
        }
    }
}

/// Reusable worker processes; safe to share between threads (each job takes a worker
/// of its own). Where processes cannot be isolated ([`AVAILABLE`] false) it converts in
/// this process.
pub struct Pool {
    #[cfg_attr(not(unix), allow(dead_code))]
    config: WorkerConfig,
    #[cfg(unix)]
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    /// An empty pool; workers start when first needed.
    pub fn new(config: WorkerConfig) -> Pool {
        Pool {
            config,
            #[cfg(unix)]
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Converts one input in a worker. Whatever the input does to the worker ends as
    /// this input's error; a worker that failed is killed and later replaced.
    pub fn convert(&self, path: &str, bytes: &[u8], options: &Options) -> Result<Document, Error> {
        self.job(path, bytes, options, None)
    }

    /// [`Pool::convert`] with the document rendered as JSON by the worker.
    pub fn convert_rendered(
        &self,
        path: &str,
        bytes: &[u8],
        options: &Options,
        pretty: bool,
    ) -> Result<Rendered, Error> {
        self.job(path, bytes, options, Some(pretty))
    }

    #[cfg(not(unix))]
    fn job<T: Answer>(
        &self,
        path: &str,
        bytes: &[u8],
        options: &Options,
        render: Option<bool>,
    ) -> Result<T, Error> {
        crate::convert_bytes(path, bytes, options).map(|doc| T::of(doc, render))
    }

    #[cfg(unix)]
    fn job<T: Answer>(
        &self,
        path: &str,
        bytes: &[u8],
        options: &Options,
        render: Option<bool>,
    ) -> Result<T, Error> {
        options.limits.check_size(path, bytes.len() as u64)?;
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut worker = match idle {
            Some(w) => w,
            None => Worker::spawn(&self.config).map_err(|e| {
                Error::new(
                    path,
                    ErrorKind::Worker {
                        detail: format!("cannot start {}: {e}", self.config.program.display()),
                    },
                )
            })?,
        };
        let (result, reusable) = worker.run(path, bytes, options, render, &self.config);
        if reusable && worker.jobs < JOBS_PER_WORKER {
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(worker);
        }
        result
    }
}

#[cfg(unix)]
#[derive(Serialize, Deserialize)]
struct Request {
    path: String,
    options: Options,
    /// Rendered as JSON (pretty or not) by the worker: the answer is a [`Rendered`]
    /// and a second frame with the JSON (empty after an error).
    #[serde(default)]
    render: Option<bool>,
}

/// What a worker answers with: a document, or a rendered one with its JSON in a frame
/// of its own.
trait Answer: serde::de::DeserializeOwned {
    #[cfg(unix)]
    fn with_json(self, json: Vec<u8>) -> Self;
    /// The answer converted in this process (rendered when `render` says how).
    #[cfg(not(unix))]
    fn of(doc: Document, render: Option<bool>) -> Self;
}

impl Answer for Document {
    #[cfg(unix)]
    fn with_json(self, _: Vec<u8>) -> Self {
        self
    }
    #[cfg(not(unix))]
    fn of(doc: Document, _: Option<bool>) -> Self {
        doc
    }
}

impl Answer for Rendered {
    #[cfg(unix)]
    fn with_json(mut self, json: Vec<u8>) -> Self {
        self.json = json;
        self
    }
    #[cfg(not(unix))]
    fn of(doc: Document, render: Option<bool>) -> Self {
        Rendered::of(doc, render.unwrap_or(false))
    }
}

/// One child process and the pipes to it.
#[cfg(unix)]
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<JoinHandle<()>>,
    jobs: u32,
    /// Waited for: its pid (and group id) may belong to another process by now.
    reaped: bool,
}

#[cfg(unix)]
impl Worker {
    fn spawn(config: &WorkerConfig) -> io::Result<Worker> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(&config.program)
            .args(&config.args)
            // Its own process group, so that a kill reaches anything it started too.
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the worker's pipes are missing"));
        };
        let tail = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&tail);
        // Drained all the time, so that a chatty worker never blocks on a full pipe.
        let stderr_reader = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                let mut kept = sink.lock().unwrap_or_else(|e| e.into_inner());
                kept.extend_from_slice(&chunk[..n]);
                if kept.len() > STDERR_TAIL {
                    let cut = kept.len() - STDERR_TAIL;
                    kept.drain(..cut);
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            stderr: tail,
            stderr_reader: Some(stderr_reader),
            jobs: 0,
            reaped: false,
        })
    }

    /// One request under the time limit; the result, and whether the worker can be
    /// used again.
    fn run<T: Answer>(
        &mut self,
        path: &str,
        bytes: &[u8],
        options: &Options,
        render: Option<bool>,
        config: &WorkerConfig,
    ) -> (Result<T, Error>, bool) {
        self.jobs += 1;
        let fired = Arc::new(AtomicBool::new(false));
        let (done, wait) = mpsc::channel::<()>();
        let watchdog = {
            let fired = Arc::clone(&fired);
            let pid = self.child.id() as libc::pid_t;
            let timeout = config.timeout;
            // The child is not reaped before this thread is joined, so its pid cannot
            // have been reused when the kill is sent.
            std::thread::spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(timeout) {
                    fired.store(true, Ordering::SeqCst);
                    kill_group(pid);
                }
            })
        };
        let answer = self.exchange(path, bytes, options, render);
        drop(done);
        let _ = watchdog.join();
        let timed_out = fired.load(Ordering::SeqCst);
        match answer {
            Ok((frame, json)) => match serde_json::from_slice::<Result<T, Error>>(&frame) {
                // An answer that beat the kill by a hair is still the answer.
                Ok(result) => {
                    let result = result.map(|a| a.with_json(json));
                    // The stderr tail is about the job in progress only.
                    self.stderr
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .clear();
                    (result, !timed_out)
                }
                Err(e) => (
                    Err(Error::new(
                        path,
                        ErrorKind::Worker {
                            detail: format!("unreadable answer from the worker: {e}"),
                        },
                    )),
                    false,
                ),
            },
            Err(_) => (Err(self.autopsy(path, timed_out, config)), false),
        }
    }

    /// Sends one request; the answer's frame, and the rendered JSON's when asked for.
    fn exchange(
        &mut self,
        path: &str,
        bytes: &[u8],
        options: &Options,
        render: Option<bool>,
    ) -> io::Result<(Vec<u8>, Vec<u8>)> {
        let request = Request {
            path: path.into(),
            options: options.clone(),
            render,
        };
        write_frame(&mut self.stdin, &serde_json::to_vec(&request)?)?;
        write_frame(&mut self.stdin, bytes)?;
        self.stdin.flush()?;
        let answer = read_frame(&mut self.stdout, MAX_ANSWER)?;
        let json = match render {
            Some(_) => read_frame(&mut self.stdout, MAX_ANSWER)?,
            None => Vec::new(),
        };
        Ok((answer, json))
    }

    /// Why the worker gave no answer: waits for it to end (killing it if it is still
    /// there) and reads what it left on stderr.
    fn autopsy(&mut self, path: &str, timed_out: bool, config: &WorkerConfig) -> Error {
        kill_group(self.child.id() as libc::pid_t);
        let status = self.child.wait();
        self.reaped = true;
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let stderr = {
            let kept = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
            String::from_utf8_lossy(&kept).into_owned()
        };
        match status {
            Ok(status) => classify(path, timed_out, status, &stderr, config),
            Err(e) => Error::new(
                path,
                ErrorKind::Worker {
                    detail: format!("cannot wait for the worker: {e}"),
                },
            ),
        }
    }
}

#[cfg(unix)]
impl Drop for Worker {
    /// An idle or failed worker is killed and reaped; its stderr reader ends by itself.
    fn drop(&mut self) {
        if self.reaped {
            return;
        }
        kill_group(self.child.id() as libc::pid_t);
        let _ = self.child.wait();
    }
}

/// SIGKILL to a worker's process group (the worker and anything it started). Only
/// called before the worker is reaped, so the group id is still ours.
#[cfg(unix)]
fn kill_group(pid: libc::pid_t) {
    // SAFETY: kill(2) on a process group we created; no memory is involved.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
}

/// Names how a worker that gave no answer ended (see the table in the module docs).
#[cfg(unix)]
fn classify(
    path: &str,
    timed_out: bool,
    status: ExitStatus,
    stderr: &str,
    config: &WorkerConfig,
) -> Error {
    let path = path.to_string();
    if timed_out {
        return Error::new(
            path,
            ErrorKind::Timeout {
                seconds: config.timeout.as_secs_f64(),
            },
        );
    }
    if let Some(line) = stderr
        .lines()
        .find(|l| l.contains("memory allocation of") && l.contains("failed"))
    {
        // Rust's own words ("memory allocation of N bytes failed") stay off our
        // output; the size is what tells.
        let size = line
            .split("memory allocation of ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or("?");
        return Error::new(
            path,
            ErrorKind::MemoryLimit {
                limit: config.max_memory,
                detail: format!(" (an allocation of {size} bytes failed)"),
            },
        );
    }
    if stderr.contains("has overflowed its stack") {
        return Error::new(path, ErrorKind::StackOverflow);
    }
    let detail = match (status.signal(), status.code()) {
        (Some(signal), _) => format!("signal {signal} ({})", signal_name(signal)),
        (None, Some(code)) => match panic_message(stderr) {
            Some(message) => format!("internal error: {message} (worker exit status {code})"),
            None => format!("the worker ended with status {code} without an answer"),
        },
        (None, None) => format!("the worker ended without an answer ({status})"),
    };
    Error::new(path, ErrorKind::Crashed { detail })
}

/// The message of a panic report on stderr ("thread '…' panicked at src/x.rs:1:2:\nmsg").
#[cfg(unix)]
fn panic_message(stderr: &str) -> Option<String> {
    let mut lines = stderr.lines();
    lines.find(|l| l.contains("panicked at"))?;
    lines.next().map(|m| m.trim().to_string())
}

#[cfg(unix)]
fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGFPE => "SIGFPE",
        libc::SIGTERM => "SIGTERM",
        libc::SIGXCPU => "SIGXCPU",
        _ => "signal",
    }
}

#[cfg(unix)]
fn write_frame(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(bytes)
}

/// One frame; `UnexpectedEof` when the stream ends before its length (a closed pipe).
#[cfg(unix)]
fn read_frame(input: &mut impl Read, max: u64) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("frame of {len} bytes"),
        ));
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(len as usize)
        .map_err(io::Error::other)?;
    input.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(bytes)
}

/// The worker: sets its limits, then answers requests on stdin until it is closed.
/// Returns when stdin closes (0) or on a broken pipe or bad request (1, with the reason
/// on stderr, which the parent reads).
pub fn serve(max_memory: u64) -> std::process::ExitCode {
    #[cfg(not(unix))]
    let result: io::Result<()> = {
        let _ = max_memory;
        Err(io::Error::other(UNAVAILABLE))
    };
    #[cfg(unix)]
    let result = serve_inner(max_memory);
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tulossopimus worker: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(unix)]
fn serve_inner(max_memory: u64) -> io::Result<()> {
    set_limits(max_memory)?;
    // Started here rather than lazily on first use, where a failure (threads cannot get
    // their stacks under the address-space limit) is a panic with a debug-printed error.
    rayon::ThreadPoolBuilder::new()
        .build_global()
        .map_err(|e| {
            io::Error::other(format!(
                "cannot start its threads within --max-memory ({max_memory} bytes): {e}"
            ))
        })?;
    let mut answers = protocol_stdout()?;
    let mut requests = BufReader::new(io::stdin().lock());
    loop {
        let header = match read_frame(&mut requests, u64::MAX) {
            Ok(h) => h,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        let bytes = read_frame(&mut requests, u64::MAX)?;
        let request: Request = serde_json::from_slice(&header)?;
        #[cfg(debug_assertions)]
        injected_fault(&request.path);
        let result = crate::convert_bytes(&request.path, &bytes, &request.options);
        drop(bytes);
        match request.render {
            None => write_frame(&mut answers, &serde_json::to_vec(&result)?)?,
            Some(pretty) => {
                let result = result.map(|doc| Rendered::of(doc, pretty));
                write_frame(&mut answers, &serde_json::to_vec(&result)?)?;
                let json = result.as_ref().map_or(&[][..], |r| &r.json[..]);
                write_frame(&mut answers, json)?;
            }
        }
        answers.flush()?;
    }
}

/// Test seam, in debug builds only: `TULOSSOPIMUS_TEST_FAULT=KIND:SUFFIX` makes the
/// worker fail on an input whose path ends with SUFFIX the way no PDF in the hostile
/// corpus can any longer (the guard refuses them first): KIND `stack_overflow` recurses
/// without end, `segv` raises SIGSEGV. End-to-end tests use it to show that the pool
/// survives what no `catch_unwind` does.
#[cfg(all(unix, debug_assertions))]
fn injected_fault(path: &str) {
    // Endless on purpose: the overflow is the fault.
    #[allow(unconditional_recursion)]
    fn recurse(n: u64) -> u64 {
        let frame = std::hint::black_box([n; 64]);
        recurse(frame[0] + 1) + frame[63]
    }
    let Ok(fault) = std::env::var("TULOSSOPIMUS_TEST_FAULT") else {
        return;
    };
    let Some((kind, suffix)) = fault.split_once(':') else {
        return;
    };
    if !path.ends_with(suffix) {
        return;
    }
    match kind {
        "stack_overflow" => {
            std::hint::black_box(recurse(0));
        }
        // Rust's own SIGSEGV handler (stack-overflow detection) ignores a raised
        // signal; the default action is what a real fault in C code gets.
        "segv" => unsafe {
            libc::signal(libc::SIGSEGV, libc::SIG_DFL);
            libc::raise(libc::SIGSEGV);
        },
        _ => {}
    }
}

/// No core files; the address space capped at `max_memory` (never above the current
/// hard limit).
#[cfg(unix)]
fn set_limits(max_memory: u64) -> io::Result<()> {
    let set = |resource, value: u64| -> io::Result<()> {
        let mut current = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit read and write the struct passed, nothing else.
        unsafe {
            if libc::getrlimit(resource, &mut current) != 0 {
                return Err(io::Error::last_os_error());
            }
            let value = (value as libc::rlim_t).min(current.rlim_max);
            let limit = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            if libc::setrlimit(resource, &limit) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    };
    set(libc::RLIMIT_CORE, 0)?;
    set(libc::RLIMIT_AS, max_memory)
}

/// The pipe to the parent, moved off fd 1: fd 1 then goes to stderr, so that a stray
/// `println!` in a library cannot corrupt an answer.
#[cfg(unix)]
fn protocol_stdout() -> io::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    io::stdout().flush()?;
    // SAFETY: dup/dup2 on the process's own standard descriptors; the new descriptor is
    // owned by the File from here on.
    unsafe {
        let fd = libc::dup(1);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::dup2(2, 1) < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(std::fs::File::from_raw_fd(fd))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A pool whose "worker" is a shell script, to make it die in every way.
    fn fake(script: &str, timeout: Duration) -> Pool {
        Pool::new(WorkerConfig {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            timeout,
            max_memory: 1 << 30,
        })
    }

    fn fails(script: &str) -> Error {
        fake(script, Duration::from_secs(20))
            .convert("x.pdf", b"%PDF-1.4", &Options::default())
            .expect_err("a dead worker is an error")
    }

    #[test]
    fn a_worker_killed_by_a_signal_is_crashed_with_the_signal() {
        let e = fails("kill -SEGV $$");
        assert_eq!(e.code(), "crashed");
        assert_eq!(
            e.to_string(),
            "x.pdf: the conversion process crashed: signal 11 (SIGSEGV)"
        );
    }

    #[test]
    fn an_allocation_failure_on_stderr_is_the_memory_limit() {
        let e = fails("echo 'memory allocation of 2147483648 bytes failed' >&2; kill -ABRT $$");
        assert_eq!(e.code(), "memory_limit");
        assert!(e.to_string().contains("1073741824 bytes"), "{e}");
        assert!(
            e.to_string()
                .ends_with("(an allocation of 2147483648 bytes failed)"),
            "{e}"
        );
    }

    #[test]
    fn a_stack_overflow_on_stderr_is_named() {
        let e = fails(
            "echo \"thread 'main' has overflowed its stack\" >&2; echo 'fatal runtime error: stack overflow' >&2; kill -ABRT $$",
        );
        assert_eq!(e.code(), "stack_overflow");
    }

    #[test]
    fn an_exit_without_answer_is_crashed_and_a_panic_gives_its_message() {
        let e = fails("exit 3");
        assert_eq!(e.code(), "crashed");
        assert!(e.to_string().contains("status 3"), "{e}");
        let e = fails(
            "echo \"thread 'main' panicked at src/x.rs:1:2:\" >&2; echo 'index out of bounds' >&2; exit 101",
        );
        assert_eq!(e.code(), "crashed");
        assert!(
            e.to_string()
                .contains("internal error: index out of bounds (worker exit status 101)"),
            "{e}"
        );
    }

    #[test]
    fn a_garbage_answer_is_a_worker_error() {
        // A frame of 5 bytes that are not JSON.
        let e = fails("printf '\\005\\000\\000\\000\\000\\000\\000\\000hello'; exec sleep 5");
        assert_eq!(e.code(), "worker", "{e}");
        let e = fails("printf 'garbage'");
        assert_eq!(e.code(), "crashed", "{e}");
    }

    #[test]
    fn a_worker_past_the_timeout_is_killed_and_replaced() {
        let pool = fake("sleep 30", Duration::from_millis(300));
        for _ in 0..2 {
            let started = Instant::now();
            let e = pool
                .convert("x.pdf", b"%PDF-1.4", &Options::default())
                .expect_err("times out");
            assert_eq!(e.code(), "timeout");
            assert_eq!(
                e.to_string(),
                "x.pdf: conversion took longer than the time limit of 0.3 s (--timeout); it was stopped"
            );
            assert!(started.elapsed() < Duration::from_secs(5));
        }
        assert!(pool.idle.lock().expect("lock").is_empty());
    }

    #[test]
    fn a_missing_program_is_a_worker_error() {
        let pool = Pool::new(WorkerConfig::new(
            "/nonexistent/tulossopimus".into(),
            DEFAULT_TIMEOUT,
            DEFAULT_MAX_MEMORY,
        ));
        let e = pool
            .convert("x.pdf", b"%PDF-1.4", &Options::default())
            .expect_err("no program");
        assert_eq!(e.code(), "worker");
        assert!(e.to_string().contains("cannot start"), "{e}");
    }

    #[test]
    fn text_stays_in_process_and_limits_apply_first() {
        // The fake worker would crash: text never reaches it.
        let pool = fake("kill -SEGV $$", DEFAULT_TIMEOUT);
        let e = convert(Some(&pool), "a.txt", b"", &Options::default()).expect_err("empty");
        assert_eq!(e.code(), "empty");
        let mut options = Options::default();
        options.limits.max_input_bytes = 4;
        let e = convert(Some(&pool), "a.pdf", b"%PDF-1.4", &options).expect_err("large");
        assert_eq!(e.code(), "too_large");
    }

    #[test]
    fn frames_round_trip_and_refuse_lies() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"abc").expect("write");
        assert_eq!(read_frame(&mut &buf[..], 10).expect("read"), b"abc");
        assert!(read_frame(&mut &buf[..], 2).is_err());
        assert_eq!(
            read_frame(&mut &buf[..buf.len() - 1], 10)
                .expect_err("short")
                .kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}
