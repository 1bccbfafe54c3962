//! Batch conversion: many files, broken ones among them, parallel and resumable.

mod common;

use common::{bin, scratch};
use std::path::{Path, PathBuf};
use std::process::Output;

/// The tests that time whole batches take turns with the heaviest one, so that a batch
/// measured in one of them runs under the same load as the batches it is compared with.
fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

const FIXTURES: [&str; 3] = [
    "fixtures/keha-tulossopimus-2026-2029.txt",
    "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
    "fixtures/arkisto-tulossopimus-2026-2029.txt",
];

/// 200 inputs: copies of the fixtures under varied names and folders, and broken files.
fn corpus(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let mut broken = Vec::new();
    for n in 0..194 {
        let sub = dir.join(format!("virasto-{:02}", n % 7));
        std::fs::create_dir_all(&sub).expect("dir");
        let ext = ["txt", "dump", "TXT"][n % 3];
        std::fs::copy(FIXTURES[n % 3], sub.join(format!("sopimus {n}.{ext}"))).expect("copy");
    }
    let bad: [(&str, &[u8], &str); 6] = [
        ("tyhjä.txt", b"", "empty"),
        (
            "binääri.txt",
            b"\x00\x01\x02\x03binary\x00\x00\x00",
            "binary",
        ),
        (
            "katkaistu.pdf",
            b"%PDF-1.7\n%\xE2\xE3\n1 0 obj",
            "pdf_damaged",
        ),
        (
            "kirje.txt",
            "Hyvä vastaanottaja,\n\nkiitos viestistä.\n".as_bytes(),
            "not_an_agreement",
        ),
        ("katkennut.txt", b"\xFF\xFEa\x00b", "invalid_utf16"),
        (
            "pdf-nimella.txt",
            b"%PDF-1.4\nthis is a PDF named .txt",
            "not_pdf",
        ),
    ];
    for (name, bytes, code) in bad {
        let path = dir.join("rikki").join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, bytes).expect("write");
        broken.push((path, code));
    }
    broken
}

fn run_batch(input: &Path, out: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("convert")
        .arg("--out-dir")
        .arg(out)
        .args(extra)
        .arg(input)
        .output()
        .expect("runs")
}

fn report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("_report.json")).expect("report"))
        .expect("report is JSON")
}

/// The outputs under `out`: none when a batch was killed before it made the directory.
fn outputs(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    if !out.exists() {
        return files;
    }
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "_report.json") {
                files.push((
                    p.strip_prefix(out).expect("inside").to_path_buf(),
                    std::fs::read(&p).expect("read"),
                ));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn two_hundred_files_with_broken_ones_and_identical_output_for_any_job_count() {
    let _turn = heavy();
    let root = scratch("corpus");
    let input = root.join("in");
    let broken = corpus(&input);
    // Inputs are recognized by content, whatever their name: `--include '*'` takes the
    // `.dump` files too (a directory gives only `*.txt` and `*.pdf` by default).
    let every = ["--include", "*"];
    let one = run_batch(
        &input,
        &root.join("out1"),
        &[&every[..], &["--jobs", "1", "--quiet"]].concat(),
    );
    let two = run_batch(
        &input,
        &root.join("out2"),
        &[&every[..], &["--jobs", "2", "--quiet"]].concat(),
    );
    assert_eq!(
        one.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(two.status.code(), Some(1));

    let r = report(&root.join("out2"));
    assert_eq!(r["summary"]["total"], 200);
    assert_eq!(r["summary"]["failed"], 6);
    assert_eq!(
        r["summary"]["converted"].as_u64().unwrap()
            + r["summary"]["converted_with_warnings"].as_u64().unwrap(),
        194
    );
    for (path, code) in &broken {
        let entry = r["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["input"] == path.display().to_string())
            .unwrap_or_else(|| panic!("{} missing from the report", path.display()));
        assert_eq!(entry["status"], "failed");
        assert_eq!(entry["error"]["code"], *code, "{}", path.display());
        assert!(entry["error"]["message"]
            .as_str()
            .expect("message")
            .contains(&path.display().to_string()));
    }
    let stderr = String::from_utf8_lossy(&two.stderr);
    assert!(
        stderr.contains("200 input(s)") && stderr.contains("6 failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));

    let (a, b) = (outputs(&root.join("out1")), outputs(&root.join("out2")));
    assert_eq!(a.len(), 194);
    assert!(a == b, "outputs differ between --jobs 1 and --jobs 2");
    assert!(a
        .iter()
        .any(|(p, _)| p == Path::new("virasto-05/sopimus 5.TXT.json")));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_killed_batch_leaves_no_truncated_output_and_resumes_with_what_is_missing() {
    let root = scratch("kill");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    for n in 0..150 {
        std::fs::copy(FIXTURES[0], input.join(format!("s{n:03}.txt"))).expect("copy");
    }
    let out = root.join("out");
    let mut child = bin()
        .args(["convert", "--quiet", "--jobs", "2", "--pretty", "--out-dir"])
        .arg(&out)
        .arg(&input)
        .spawn()
        .expect("spawns");
    // Kill as soon as some, but not all, outputs exist.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let done = std::fs::read_dir(&out)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".txt.json"))
                    .count()
            })
            .unwrap_or(0);
        if done >= 5 || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("kill");
    child.wait().expect("reaped");

    let present = outputs(&out);
    let complete: Vec<_> = present
        .iter()
        .filter(|(p, _)| p.to_string_lossy().ends_with(".txt.json"))
        .collect();
    assert!(
        !complete.is_empty() && complete.len() < 150,
        "kill came at {}",
        complete.len()
    );
    for (path, bytes) in &complete {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .unwrap_or_else(|e| panic!("{} is truncated: {e}", path.display()));
    }
    let again = run_batch(&input, &out, &["--quiet", "--pretty"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let r = report(&out);
    assert_eq!(
        r["summary"]["skipped"].as_u64(),
        Some(complete.len() as u64)
    );
    assert_eq!(
        r["summary"]["converted"].as_u64(),
        Some(150 - complete.len() as u64)
    );
    let after = outputs(&out);
    assert_eq!(after.len(), 150, "temporary files were cleaned up");
    let forced = run_batch(&input, &out, &["--quiet", "--pretty", "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(report(&out)["summary"]["converted"], 150);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn outputs_never_leave_the_output_directory() {
    let root = scratch("escape");
    let input = root.join("in");
    std::fs::create_dir_all(input.join("sub")).expect("dir");
    std::fs::copy(FIXTURES[2], input.join("sub/a.txt")).expect("copy");
    let outside = root.join("outside");
    std::fs::create_dir_all(&outside).expect("dir");
    let out = root.join("out");
    std::fs::create_dir_all(&out).expect("dir");
    std::os::unix::fs::symlink(&outside, out.join("sub")).expect("symlink");
    let r = run_batch(&input, &out, &["--quiet"]);
    assert_eq!(r.status.code(), Some(1));
    let rep = report(&out);
    assert_eq!(rep["files"][0]["error"]["code"], "write");
    assert!(
        std::fs::read_dir(&outside)
            .expect("outside")
            .next()
            .is_none(),
        "nothing written outside"
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A small seeded generator (xorshift64*), so that the kill moments are random but the
/// same in every run.
struct Moments(u64);

impl Moments {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound.max(1)
    }
}

#[test]
fn killed_at_random_moments_the_batch_always_resumes_to_the_same_outputs() {
    let _turn = heavy();
    let root = scratch("kills");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    // Text dumps in-process and PDFs in workers: kills land in both.
    for n in 0..40 {
        std::fs::copy(FIXTURES[n % 3], input.join(format!("s{n:03}.txt"))).expect("copy");
    }
    for n in 0..20 {
        std::fs::copy(
            "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf",
            input.join(format!("p{n:03}.pdf")),
        )
        .expect("copy");
    }
    let reference = root.join("reference");
    let started = std::time::Instant::now();
    let full = run_batch(&input, &reference, &["--quiet", "--jobs", "2"]);
    assert_eq!(full.status.code(), Some(0));
    let mut span = started.elapsed().as_millis() as u64;
    let expected = outputs(&reference);
    assert_eq!(expected.len(), 60);

    let out = root.join("out");
    let mut moments = Moments(0x7475_6c6f_7373_6f70);
    let mut kills = Vec::new();
    let mut fresh = true;
    // Eight kills, or up to sixteen until three landed mid-batch.
    let midway = |kills: &[(u64, usize)]| kills.iter().filter(|(_, n)| *n > 0 && *n < 60).count();
    while kills.len() < 8 || (kills.len() < 16 && midway(&kills) < 3) {
        // Anywhere from start-up to past the end of a whole run.
        let delay = moments.next_below(span + span / 4);
        let mut child = bin()
            .args(["convert", "--quiet", "--jobs", "2", "--out-dir"])
            .arg(&out)
            .arg(&input)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        // Whatever is there is complete and exactly what a full run writes.
        let mut complete = 0;
        for (path, bytes) in outputs(&out) {
            let name = path.to_string_lossy();
            if name.contains(".tmp-") {
                continue; // a temporary file, removed by the next run
            }
            let want = expected
                .iter()
                .find(|(p, _)| *p == path)
                .unwrap_or_else(|| panic!("unexpected output {name} after a kill at {delay} ms"));
            assert!(want.1 == bytes, "{name} differs after a kill at {delay} ms");
            complete += 1;
        }
        kills.push((delay, complete));
        // A batch that got to its end starts over, so that later kills land mid-run;
        // one that did not is resumed by the next round. A whole batch that ended
        // before its kill took less than the first run: later moments are drawn from
        // the shorter span.
        if complete == expected.len() {
            if fresh {
                span = span.min(delay);
            }
            std::fs::remove_dir_all(&out).expect("start over");
        }
        fresh = complete == expected.len();
    }
    eprintln!("kills (ms, outputs complete): {kills:?}");
    assert!(
        midway(&kills) >= 3,
        "too few kills landed mid-batch: {kills:?}"
    );
    let last = run_batch(&input, &out, &["--quiet", "--jobs", "2"]);
    assert_eq!(last.status.code(), Some(0), "kills at {kills:?}");
    let r = report(&out);
    assert_eq!(
        r["summary"]["skipped"].as_u64().unwrap() + r["summary"]["converted"].as_u64().unwrap(),
        60
    );
    assert!(outputs(&out) == expected, "kills at {kills:?}");
    let _ = std::fs::remove_dir_all(&root);
}

/// The `.tmp-` files anywhere under `out`.
fn temporaries(out: &Path) -> Vec<PathBuf> {
    outputs(out)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.to_string_lossy().contains(".tmp-"))
        .collect()
}

#[test]
fn a_second_batch_into_the_same_directory_fails_at_once_and_harms_nothing() {
    // Issue 17: the second run's start-up removed the first run's temporary files, and
    // the first reported a false `write` failure. Now the first holds the directory's
    // lock; the second fails at once, saying why.
    let root = scratch("two");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    for n in 0..80 {
        std::fs::copy(FIXTURES[0], input.join(format!("s{n:03}.txt"))).expect("copy");
    }
    let out = root.join("out");
    let first = bin()
        .args(["convert", "--quiet", "--jobs", "1", "--out-dir"])
        .arg(&out)
        .arg(&input)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    // The report is the first thing a batch writes, once it holds the lock.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !out.join("_report.json").exists() {
        assert!(std::time::Instant::now() < deadline, "no report");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let mut seconds = Vec::new();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let second = run_batch(&input, &out, &["--quiet", "--force"]);
        seconds.push(started.elapsed());
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert_eq!(second.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("another batch is writing into this output directory"),
            "{stderr}"
        );
        assert!(!stderr.contains("input(s)"), "nothing converted: {stderr}");
    }
    let first = first.wait_with_output().expect("first ends");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{stderr}");
    let r = report(&out);
    assert_eq!(r["state"], "finished");
    assert_eq!(r["summary"]["converted"], 80, "{stderr}");
    assert_eq!(r["summary"]["failed"], 0);
    assert_eq!(outputs(&out).len(), 80);
    // Once the first has ended, the directory is free again.
    let again = run_batch(&input, &out, &["--quiet"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(report(&out)["summary"]["skipped"], 80);
    eprintln!("the refused batches took {seconds:?}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn start_up_removes_only_old_unlocked_temporaries() {
    use std::os::unix::io::AsRawFd;
    let root = scratch("tmps");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    std::fs::copy(FIXTURES[2], input.join("a.txt")).expect("copy");
    let out = root.join("out");
    std::fs::create_dir_all(out.join("sub")).expect("dir");
    let hour = std::time::Duration::from_secs(3600);
    let now = std::time::SystemTime::now();
    // Left by a killed run: old and unlocked.
    let stale = out.join(".a.txt.json.tmp-1");
    // Being written by another batch (into a nested directory): old, but locked.
    let busy = out.join("sub/.b.txt.json.tmp-2");
    // Made after this run started (a clock ahead, say): unlocked but new.
    let new = out.join(".c.txt.json.tmp-3");
    for (path, at) in [
        (&stale, now - hour),
        (&busy, now - hour),
        (&new, now + hour),
    ] {
        let f = std::fs::File::create(path).expect("tmp");
        f.set_modified(at).expect("mtime");
    }
    let held = std::fs::File::open(&busy).expect("open");
    // SAFETY: flock on a descriptor `held` owns.
    let locked = unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(locked, 0);
    let r = run_batch(&input, &out, &["--quiet"]);
    assert_eq!(r.status.code(), Some(0));
    assert!(!stale.exists(), "an old unlocked temporary is removed");
    assert!(busy.exists(), "a locked temporary is another writer's");
    assert!(
        new.exists(),
        "a temporary newer than the run's start is kept"
    );
    drop(held);
    let _ = std::fs::remove_dir_all(&root);
}

/// Runs a batch with at most `limit` bytes per file (RLIMIT_FSIZE, as `ulimit -f` sets
/// it; SIGXFSZ ignored, so that a write past it fails with EFBIG instead of killing).
fn run_batch_with_file_size_limit(input: &Path, out: &Path, limit: u64) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = bin();
    cmd.args(["convert", "--quiet", "--jobs", "2", "--out-dir"])
        .arg(out)
        .arg(input);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("runs")
}

/// What a batch that met a full disk must leave: a finished report that tells the truth
/// about every input, the outputs it names as converted (complete), no others, and no
/// temporary files; and a line on standard error for each failed input.
fn check_after_full_disk(out: &Path, run: &Output, total: u64, cause: &str) -> u64 {
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let r = report(out);
    assert_eq!(r["state"], "finished", "{stderr}");
    let s = &r["summary"];
    assert_eq!(s["total"], total);
    assert_eq!(s["pending"], 0);
    let (converted, failed) = (
        s["converted"].as_u64().unwrap(),
        s["failed"].as_u64().unwrap(),
    );
    assert_eq!(converted + failed, total, "{s}");
    let files = r["files"].as_array().expect("files");
    assert_eq!(files.len() as u64, total);
    let present = outputs(out);
    for f in files {
        let output = f["output"].as_str().expect("output");
        let written = present.iter().find(|(p, _)| p == Path::new(output));
        if f["status"] == "failed" {
            assert_eq!(f["error"]["code"], "write", "{f}");
            let message = f["error"]["message"].as_str().expect("message");
            assert!(message.contains(cause), "{message}");
            assert!(written.is_none(), "{output} written but reported failed");
            let input = f["input"].as_str().expect("input");
            assert!(
                stderr
                    .lines()
                    .any(|l| l.starts_with("  failed: ") && l.contains(input)),
                "{input} not on standard error: {stderr}"
            );
        } else {
            assert_eq!(f["status"], "converted", "{f}");
            let (_, bytes) = written.unwrap_or_else(|| panic!("{output} missing"));
            serde_json::from_slice::<serde_json::Value>(bytes).expect("complete JSON");
        }
    }
    assert_eq!(
        present.len() as u64,
        converted,
        "only the converted outputs"
    );
    assert!(temporaries(out).is_empty(), "{:?}", temporaries(out));
    assert!(stderr.contains(&format!("{total} input(s)")), "{stderr}");
    converted
}

#[test]
fn a_full_disk_for_outputs_still_leaves_a_true_report() {
    // Issue 17: on a full disk a batch left no `_report.json`. Here the outputs over
    // 64 KiB (the seed's, 118 kB) hit a real file size limit (EFBIG); the small ones and
    // the report are written.
    let root = scratch("fsize");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    for n in 0..3 {
        std::fs::copy(FIXTURES[0], input.join(format!("big{n}.txt"))).expect("copy");
        std::fs::copy(FIXTURES[2], input.join(format!("small{n}.txt"))).expect("copy");
    }
    let out = root.join("out");
    let run = run_batch_with_file_size_limit(&input, &out, 64 * 1024);
    let converted = check_after_full_disk(&out, &run, 6, "File too large");
    assert_eq!(converted, 3);
    let r = report(&out);
    for f in r["files"].as_array().expect("files") {
        let big = f["input"].as_str().expect("input").contains("big");
        assert_eq!(f["status"] == "failed", big, "{f}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_disk_that_fills_up_mid_batch_still_leaves_a_true_finished_report() {
    // The disk fills after the first report and about two outputs (a test hook counts
    // the bytes written and then fails every write with ENOSPC): the outputs after that
    // fail, and so does a new report file; the finished report is written over the
    // running one, in the room that one reserved.
    let root = scratch("enospc");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    for n in 0..6 {
        std::fs::copy(FIXTURES[0], input.join(format!("s{n}.txt"))).expect("copy");
    }
    let out = root.join("out");
    let run = bin()
        .args(["convert", "--quiet", "--jobs", "1", "--out-dir"])
        .arg(&out)
        .arg(&input)
        .env("TULOSSOPIMUS_TEST_DISK_BYTES", "300000")
        .output()
        .expect("runs");
    let converted = check_after_full_disk(&out, &run, 6, "No space left on device");
    assert!((1..6).contains(&converted), "{converted} converted");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!stderr.contains("(not written)"), "{stderr}");

    // Full before the first report: nothing is converted, and the error says why.
    let none = root.join("none");
    let run = bin()
        .args(["convert", "--quiet", "--out-dir"])
        .arg(&none)
        .arg(&input)
        .env("TULOSSOPIMUS_TEST_DISK_BYTES", "100")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write _report.json: No space left on device"),
        "{stderr}"
    );
    assert!(outputs(&none).is_empty());
    let _ = std::fs::remove_dir_all(&root);
}

/// A resumed batch does not convert again an input that failed and has not changed: it
/// is reported failed, from the last report, until its content changes, the settings
/// change, or `--retry-failed` (or `--force`) asks for it.
#[test]
fn failures_are_remembered_until_the_input_changes_or_a_retry_is_asked_for() {
    let root = scratch("remember");
    let input = root.join("in");
    std::fs::create_dir_all(&input).expect("dir");
    std::fs::copy(FIXTURES[2], input.join("hyva.txt")).expect("copy");
    let letter = input.join("kirje.txt");
    std::fs::write(&letter, "Hyvä vastaanottaja,\n\nkiitos viestistä.\n").expect("write");
    std::fs::write(input.join("tyhja.txt"), b"").expect("write");
    let out = root.join("out");
    let entry = |r: &serde_json::Value, name: &str| -> serde_json::Value {
        r["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["input"].as_str().expect("input").ends_with(name))
            .unwrap_or_else(|| panic!("{name} in {r}"))
            .clone()
    };
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    let first = run_batch(&input, &out, &["--quiet"]);
    assert_eq!(first.status.code(), Some(1));
    let r = report(&out);
    let failed = entry(&r, "kirje.txt");
    assert_eq!(failed["error"]["code"], "not_an_agreement");
    let bytes = std::fs::read(&letter).expect("letter");
    assert_eq!(
        failed["sha256"].as_str(),
        Some(tulossopimus::stages::normalize::sha256_hex(&bytes).as_str())
    );
    assert!(failed.get("remembered").is_none(), "{failed}");
    assert_eq!(r["summary"]["remembered"], 0);

    // Resumed: both failures come from the report, unconverted, and still fail the batch.
    let second = run_batch(&input, &out, &["--quiet"]);
    assert_eq!(second.status.code(), Some(1));
    let r = report(&out);
    for name in ["kirje.txt", "tyhja.txt"] {
        let f = entry(&r, name);
        assert_eq!(f["status"], "failed");
        assert_eq!(f["remembered"], true, "{f}");
    }
    assert_eq!(entry(&r, "kirje.txt")["error"], failed["error"]);
    assert_eq!(entry(&r, "hyva.txt")["status"], "skipped");
    assert_eq!(r["summary"]["failed"], 2);
    assert_eq!(r["summary"]["remembered"], 2);
    let err = stderr(&second);
    assert!(err.contains("2 remembered from the last batch"), "{err}");
    assert!(err.contains("--retry-failed"), "{err}");
    assert!(err.contains("  failed (remembered): "), "{err}");

    // Asked to: converted again (and remembered again by the next run).
    let retried = run_batch(&input, &out, &["--quiet", "--retry-failed"]);
    assert_eq!(retried.status.code(), Some(1));
    let r = report(&out);
    assert_eq!(r["summary"]["remembered"], 0);
    assert!(entry(&r, "kirje.txt").get("remembered").is_none());
    assert!(!stderr(&retried).contains("remembered"));
    let r = {
        run_batch(&input, &out, &["--quiet"]);
        report(&out)
    };
    assert_eq!(r["summary"]["remembered"], 2);

    // Other limits may decide otherwise: nothing is remembered under them.
    run_batch(&input, &out, &["--quiet", "--max-pages", "500"]);
    assert_eq!(report(&out)["summary"]["remembered"], 0);

    // A changed input is converted again: the letter is now an agreement.
    std::fs::copy(FIXTURES[1], &letter).expect("copy");
    let changed = run_batch(&input, &out, &["--quiet", "--max-pages", "500"]);
    let r = report(&out);
    assert_eq!(
        entry(&r, "kirje.txt")["status"],
        "converted",
        "{}",
        stderr(&changed)
    );
    assert_eq!(entry(&r, "tyhja.txt")["remembered"], true);
    assert_eq!(r["summary"]["remembered"], 1);
    let _ = std::fs::remove_dir_all(&root);
}
