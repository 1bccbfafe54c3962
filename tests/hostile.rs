//! The hostile corpus (fixtures/hostile/EXPECTED.md): every input alone and all of them
//! in one batch with good files end in their specific error, with no panic text, no core
//! file, no hang past the time limit and bounded memory.

mod common;

use common::{bin, scratch};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HOSTILE: &str = "fixtures/hostile";
/// `--timeout` for the corpus runs, and how much longer a run may take. Generous:
/// a debug build inflating the bomb up to its cap on a shared two-core machine took
/// over 10 s under load, which turned its `memory_limit` into a `timeout`. The time
/// limit itself is tested with 1 s below.
const TIMEOUT_SECS: u64 = 30;
const MARGIN_SECS: u64 = 30;
const GOOD: [&str; 4] = [
    "fixtures/keha-tulossopimus-2026-2029.txt",
    "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
    "fixtures/arkisto-tulossopimus-2026-2029.txt",
    "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf",
];
const MIB: u64 = 1 << 20;
/// `--max-memory` for the corpus runs: a quarter of the default, so that the bomb hits
/// it four times sooner in a debug build.
const CAP: &str = "256MiB";
const CAP_BYTES: u64 = 256 * MIB;

/// The tests that run the whole corpus take turns: on two cores, two bombs inflating
/// at once would push each other past the time limit.
static HEAVY: Mutex<()> = Mutex::new(());

fn heavy() -> std::sync::MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

struct Case {
    /// As written in EXPECTED.md.
    name: String,
    /// `ok` or an error code.
    expected: String,
    path: PathBuf,
}

/// The rows of EXPECTED.md; `generated/…` files are written into `dir`.
fn cases(dir: &Path) -> Vec<Case> {
    let manifest =
        std::fs::read_to_string(Path::new(HOSTILE).join("EXPECTED.md")).expect("EXPECTED.md");
    let mut cases = Vec::new();
    for line in manifest.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(name), Some(expected)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let (Some(name), Some(expected)) = (unquote(name), unquote(expected)) else {
            continue;
        };
        let path = match name.strip_prefix("generated/") {
            Some(file) => generate(dir, file),
            None => Path::new(HOSTILE).join(name),
        };
        assert!(path.exists(), "{name}: no such file");
        cases.push(Case {
            name: name.into(),
            expected: expected.into(),
            path,
        });
    }
    assert!(cases.len() >= 23, "EXPECTED.md lists {} files", cases.len());
    cases
}

/// Removes a scratch directory when the test ends, failed or not: it holds 200 MB.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn unquote(cell: &str) -> Option<&str> {
    cell.strip_prefix('`')?.strip_suffix('`')
}

/// The digiarkisto dump up to the first row of its results table.
fn table_head() -> String {
    let text = std::fs::read_to_string(GOOD[2]).expect("dump");
    let at = text
        .find(" Digitaalinen kulttuuriperintö säilyy")
        .expect("first row");
    text[..at].to_string()
}

/// 50,000 heading rows with titles made of letters only (no numbers, no grammar).
fn heading_rows() -> String {
    let mut rows = String::new();
    for mut n in 0..50_000u32 {
        let mut word = String::new();
        for _ in 0..4 {
            word.push(char::from(b'a' + (n % 16) as u8));
            n /= 16;
        }
        rows.push_str(&format!(" Palvelu {word} kehittyy \n\n"));
    }
    rows
}

fn generate(dir: &Path, file: &str) -> PathBuf {
    use std::io::Write;
    let path = dir.join("generated").join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    match file {
        "dump-200mb.txt" => {
            let seed = std::fs::read(GOOD[0]).expect("seed");
            for _ in 0..200_000_000 / seed.len() + 1 {
                out.write_all(&seed).expect("write");
            }
        }
        "line-10mb.txt" => {
            for _ in 0..1_000_000 {
                out.write_all(b"Tavoite 2").expect("write");
                out.write_all(b" ").expect("write");
            }
            out.write_all(b"\n").expect("write");
        }
        "headings-50000.txt" => {
            out.write_all((table_head() + &heading_rows()).as_bytes())
                .expect("write");
        }
        "chain-50000.txt" => {
            let text = table_head() + &heading_rows() + " Tavoite 2026 Palvelu toimii. \n\n";
            out.write_all(text.as_bytes()).expect("write");
        }
        other => panic!("EXPECTED.md names generated/{other}, which this test cannot write"),
    }
    out.flush().expect("flush");
    path
}

/// Text that must never reach our standard error.
fn assert_quiet(stderr: &str, what: &str) {
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "overflowed",
        "fatal runtime error",
        "memory allocation of",
    ] {
        assert!(
            !stderr.contains(bad),
            "{what}: {bad:?} on stderr:\n{stderr}"
        );
    }
}

/// No core file in the directory the command ran in.
fn assert_no_core(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with("core"), "core file {name}");
    }
}

#[test]
fn every_hostile_input_alone_ends_in_its_own_error() {
    let _turn = heavy();
    let root = scratch("alone");
    let _cleanup = Cleanup(root.clone());
    let cwd = root.join("cwd");
    std::fs::create_dir_all(&cwd).expect("dir");
    let here = std::env::current_dir().expect("cwd");
    for case in cases(&root) {
        let started = Instant::now();
        let out = bin()
            .current_dir(&cwd)
            .args(["convert", "--timeout", &TIMEOUT_SECS.to_string()])
            .args(["--max-memory", CAP])
            .arg(here.join(&case.path))
            .stdout(Stdio::null())
            .output()
            .expect("runs");
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = &case.name;
        assert!(
            elapsed < Duration::from_secs(TIMEOUT_SECS + MARGIN_SECS),
            "{name}: took {elapsed:?}"
        );
        assert_quiet(&stderr, name);
        if case.expected == "ok" {
            assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
            assert!(!stderr.contains("error:"), "{name}: {stderr}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
            let line = stderr
                .lines()
                .find(|l| l.starts_with("error: "))
                .unwrap_or_else(|| panic!("{name}: no error line in {stderr}"));
            let file = case.path.file_name().expect("name").to_string_lossy();
            assert!(line.contains(&*file), "{name}: {line}");
            assert!(
                line.ends_with(&format!("[{}]", case.expected)),
                "{name}: expected {}, got {line}",
                case.expected
            );
        }
    }
    assert_no_core(&cwd);
    let _ = std::fs::remove_dir_all(&root);
}

/// Peak resident memory of a process and its descendants, sampled from /proc.
#[derive(Default, Debug, Clone, Copy)]
struct Peak {
    /// Largest sum over the whole process tree at one sample.
    total: u64,
    /// Largest single process.
    single: u64,
    samples: u64,
}

fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": the command may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            parent_of.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree
}

fn rss(pid: u32) -> u64 {
    // SAFETY: sysconf has no memory effects.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64;
    std::fs::read_to_string(format!("/proc/{pid}/statm"))
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|r| r.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * page)
}

/// Runs the command to its end, sampling the memory of its process tree every 5 ms.
fn run_sampled(mut cmd: std::process::Command) -> (Output, Peak) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(Mutex::new(Peak::default()));
    let sampler = {
        let (done, peak) = (Arc::clone(&done), Arc::clone(&peak));
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let sizes: Vec<u64> = descendants(pid).into_iter().map(rss).collect();
                let mut p = peak.lock().expect("lock");
                p.total = p.total.max(sizes.iter().sum());
                p.single = p.single.max(sizes.iter().copied().max().unwrap_or(0));
                p.samples += 1;
                drop(p);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let out = child.wait_with_output().expect("runs");
    done.store(true, Ordering::SeqCst);
    sampler.join().expect("sampler");
    let peak = *peak.lock().expect("lock");
    (out, peak)
}

/// The largest resident set of any process this test binary has waited for, its
/// children's children included (Linux accounts them up the tree on wait).
fn children_max_rss() -> u64 {
    // SAFETY: getrusage writes into the struct passed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn hostile_inputs_mixed_with_good_files_in_one_batch() {
    let _turn = heavy();
    let root = scratch("batch");
    let _cleanup = Cleanup(root.clone());
    let input = root.join("in");
    let cwd = root.join("cwd");
    for dir in [&input, &cwd] {
        std::fs::create_dir_all(dir).expect("dir");
    }
    let here = std::env::current_dir().expect("cwd");
    let mut expected = Vec::new();
    for case in cases(&root) {
        // A symlink keeps the 200 MB dump from being copied; the batch follows it.
        let link = input.join(case.name.replace('/', "-"));
        std::os::unix::fs::symlink(here.join(&case.path), &link).expect("link");
        expected.push((link, case.expected));
    }
    for good in GOOD {
        let link = input.join(format!(
            "good-{}",
            Path::new(good).file_name().expect("name").to_string_lossy()
        ));
        std::os::unix::fs::symlink(here.join(good), &link).expect("link");
        expected.push((link, "ok".to_string()));
    }
    let out_dir = root.join("out");
    let cap = CAP_BYTES;
    let mut cmd = bin();
    cmd.current_dir(&cwd)
        .args(["convert", "--quiet", "--jobs", "2", "--timeout"])
        .arg(TIMEOUT_SECS.to_string())
        .args(["--max-memory", CAP, "--out-dir"])
        .arg(&out_dir)
        .arg(&input);
    let started = Instant::now();
    let (out, peak) = run_sampled(cmd);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_quiet(&stderr, "batch");
    assert_no_core(&cwd);
    // Each input is bounded by the time limit; together they must not add up to a hang.
    assert!(
        elapsed < Duration::from_secs(2 * (TIMEOUT_SECS + MARGIN_SECS)),
        "{elapsed:?}"
    );

    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join("_report.json")).expect("report"),
    )
    .expect("JSON");
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), expected.len());
    for (path, outcome) in &expected {
        let entry = files
            .iter()
            .find(|f| f["input"] == path.display().to_string())
            .unwrap_or_else(|| panic!("{} missing from the report", path.display()));
        if outcome == "ok" {
            assert!(
                entry["status"] == "converted" || entry["status"] == "converted_with_warnings",
                "{entry}"
            );
            let output = out_dir.join(entry["output"].as_str().expect("output"));
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&output).expect("output")).expect("JSON");
            assert_eq!(doc["schema_version"], 1);
        } else {
            assert_eq!(entry["status"], "failed", "{entry}");
            assert_eq!(entry["error"]["code"], outcome.as_str(), "{entry}");
            let message = entry["error"]["message"].as_str().expect("message");
            assert!(
                message.starts_with(&path.display().to_string()),
                "{message}"
            );
            assert_quiet(message, "report");
        }
    }

    // Memory: the batch's whole process tree (this command, its workers), sampled
    // every 5 ms, stays under one worker's cap plus a constant for the parent; the
    // bomb alone would take gigabytes without the cap.
    assert!(peak.samples > 10, "{peak:?}");
    assert!(
        peak.total < cap + 128 * MIB,
        "peak {} MiB over the tree",
        peak.total / MIB
    );
    assert!(peak.single <= cap, "{peak:?}");
    eprintln!(
        "batch of {} inputs: {:?}, peak {} MiB in all, {} MiB in one process ({} samples)",
        expected.len(),
        elapsed,
        peak.total / MIB,
        peak.single / MIB,
        peak.samples
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn no_process_started_by_these_tests_outgrew_the_default_cap() {
    let _turn = heavy();
    // Runs the bomb under the default cap (1 GiB) and time limit, and reads the exact
    // peak from the kernel's accounting, which includes the worker.
    let out = bin()
        .arg("convert")
        .arg(Path::new(HOSTILE).join("decompression-bomb.pdf"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.trim_end().ends_with("[memory_limit]"), "{stderr}");
    let peak = children_max_rss();
    assert!(peak > 100 * MIB, "the bomb was not measured: {peak}");
    assert!(peak < (1 << 30) + 64 * MIB, "{} MiB", peak / MIB);
}

#[test]
fn the_wall_clock_limit_stops_a_long_pdf_and_the_batch_goes_on() {
    let _turn = heavy();
    let root = scratch("timeout");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    let here = std::env::current_dir().expect("cwd");
    std::os::unix::fs::symlink(
        here.join(HOSTILE).join("2000-pages.pdf"),
        input.join("a.pdf"),
    )
    .expect("link");
    std::os::unix::fs::symlink(here.join(GOOD[3]), input.join("b.pdf")).expect("link");
    let started = Instant::now();
    let out = bin()
        .args(["convert", "--quiet", "--jobs", "1", "--max-pages", "3000"])
        // A quarter second: a release build reads the 2,000 pages in about one.
        .args(["--timeout", "0.25", "--out-dir"])
        .arg(root.join("out"))
        .arg(&input)
        .output()
        .expect("runs");
    assert!(started.elapsed() < Duration::from_secs(1 + MARGIN_SECS));
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("out/_report.json")).expect("report"),
    )
    .expect("JSON");
    assert_eq!(report["files"][0]["error"]["code"], "timeout");
    assert!(report["files"][0]["elapsed_ms"].as_u64() < Some(1000 * (1 + MARGIN_SECS)));
    // The worker after the killed one converts the next file.
    assert_eq!(report["files"][1]["status"], "converted");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn isolated_and_in_process_conversions_are_identical() {
    for input in [GOOD[3], "fixtures/bench/vayla-40-sivua.pdf", GOOD[0]] {
        let run = |extra: &[&str]| {
            let out = bin()
                .args(["convert", "--pretty"])
                .args(extra)
                .arg(input)
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(0), "{input}");
            out.stdout
        };
        assert!(run(&[]) == run(&["--no-isolation"]), "{input} differs");
    }
}

#[test]
fn without_isolation_a_self_drawing_pdf_is_refused_before_it_recurses() {
    // In-process, no catch_unwind would survive this PDF's endless recursion; the
    // guard refuses it before extraction.
    let out = bin()
        .args(["convert", "--no-isolation"])
        .arg(Path::new(HOSTILE).join("self-drawing-xobject.pdf"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("draws itself"), "{stderr}");
    assert!(stderr.trim_end().ends_with("[pdf_damaged]"), "{stderr}");
}

/// What the guard does not know still cannot take the batch down: a worker made to
/// overflow its stack, or to die by SIGSEGV, on one file (the debug build's
/// `TULOSSOPIMUS_TEST_FAULT` seam) fails that file with its own code, and the worker
/// that replaces it converts the files after it.
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the fault seam exists in debug builds only"
)]
fn a_worker_dying_on_one_file_fails_only_that_file() {
    for (fault, code, detail) in [
        ("stack_overflow", "stack_overflow", "stack"),
        ("segv", "crashed", "SIGSEGV"),
    ] {
        let root = scratch(fault);
        let _cleanup = Cleanup(root.clone());
        let input = root.join("in");
        let cwd = root.join("cwd");
        for dir in [&input, &cwd] {
            std::fs::create_dir_all(dir).expect("dir");
        }
        let here = std::env::current_dir().expect("cwd");
        for name in ["a.pdf", "b-dies.pdf", "c.pdf"] {
            std::os::unix::fs::symlink(here.join(GOOD[3]), input.join(name)).expect("link");
        }
        let out = bin()
            .current_dir(&cwd)
            .env("TULOSSOPIMUS_TEST_FAULT", format!("{fault}:b-dies.pdf"))
            .args(["convert", "--quiet", "--jobs", "1", "--out-dir"])
            .arg(root.join("out"))
            .arg(&input)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{fault}: {stderr}");
        assert_quiet(&stderr, fault);
        assert_no_core(&cwd);
        let report: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("out/_report.json")).expect("report"),
        )
        .expect("JSON");
        let files = report["files"].as_array().expect("files");
        let status: Vec<&str> = files
            .iter()
            .map(|f| f["status"].as_str().expect("status"))
            .collect();
        assert_eq!(status, ["converted", "failed", "converted"], "{fault}");
        let error = &files[1]["error"];
        assert_eq!(error["code"], code, "{error}");
        assert!(
            error["message"].as_str().expect("message").contains(detail),
            "{error}"
        );
        assert!(!root.join("out/b-dies.pdf.json").exists(), "{fault}");
    }
}

#[test]
fn a_worker_has_no_core_files_and_a_capped_address_space() {
    let mut worker = bin()
        .args(["worker", "--max-memory", "536870912"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let limits = format!("/proc/{}/limits", worker.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    let text = loop {
        let text = std::fs::read_to_string(&limits).expect("limits");
        if text.contains("536870912") || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(worker.stdin.take());
    let status = worker.wait().expect("ends");
    let row = |name: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {text}"));
        line[name.len()..]
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("Max core file size")[..2], ["0", "0"], "{text}");
    assert_eq!(
        row("Max address space")[..2],
        ["536870912", "536870912"],
        "{text}"
    );
    assert!(status.success(), "a closed stdin ends the worker cleanly");
}

#[test]
fn the_library_enforces_every_limit_with_its_own_error() {
    use tulossopimus::{convert_bytes, Limits, Options};
    let with = |limits: Limits| Options {
        limits,
        ..Options::default()
    };
    let defaults = Limits::default();
    let chain = table_head()
        + " Yksi kehittyy \n\n Kaksi kehittyy \n\n Kolme kehittyy \n\n Tavoite 2026 Toimii. \n\n";
    let ok = convert_bytes("c.txt", chain.as_bytes(), &with(defaults)).expect("converts");
    assert_eq!(ok.agreements[0].strategic_lines[0].goals[0].goals.len(), 1);
    let e = convert_bytes(
        "c.txt",
        chain.as_bytes(),
        &with(Limits {
            max_depth: 2,
            ..defaults
        }),
    )
    .expect_err("three levels");
    assert_eq!(e.code(), "too_deep");
    assert!(e.to_string().contains("3 levels deep"), "{e}");

    let pdf = std::fs::read(GOOD[3]).expect("pdf");
    let e = convert_bytes(
        "v.pdf",
        &pdf,
        &with(Limits {
            max_pages: 3,
            ..defaults
        }),
    )
    .expect_err("four pages");
    assert_eq!(
        e.to_string(),
        "v.pdf: 4 pages, more than the limit of 3 (--max-pages)"
    );
    let e = convert_bytes(
        "v.pdf",
        &pdf,
        &with(Limits {
            max_input_bytes: 1000,
            ..defaults
        }),
    )
    .expect_err("large");
    assert_eq!(e.code(), "too_large");
    let e = convert_bytes(
        "c.txt",
        chain.as_bytes(),
        &with(Limits {
            max_line_chars: 80,
            ..defaults
        }),
    )
    .expect_err("long lines");
    assert_eq!(e.code(), "line_too_long");
    // A text dump's pages count too (the digiarkisto dump has 3 or more).
    let e = convert_bytes(
        "c.txt",
        chain.as_bytes(),
        &with(Limits {
            max_pages: 1,
            ..defaults
        }),
    )
    .expect_err("pages");
    assert_eq!(e.code(), "too_many_pages");
}
