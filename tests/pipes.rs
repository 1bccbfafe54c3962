//! Commands in pipelines: a reader that goes away (`| head -1`) ends a command quietly,
//! with the exit code of its work, never a panic (exit code 101 and a stack trace); and
//! `diff --exit-code` for CI.

use std::process::{Command, Stdio};

mod common;

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";
const ARKISTO: &str = "fixtures/arkisto-tulossopimus-2026-2029.txt";

/// Runs the command with its standard output closed before it writes a byte: every
/// write it makes fails with EPIPE. Returns the exit code and standard error.
fn with_stdout_closed(args: &[&str]) -> (Option<i32>, String) {
    let mut child = common::bin()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("exits");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `sh -c "tulossopimus ARGS | head -1"`: exit code, standard output and error.
fn piped_to_head(args: &str) -> (Option<i32>, String, String) {
    let bin = env!("CARGO_BIN_EXE_tulossopimus");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{bin} {args} | head -1"))
        .output()
        .expect("sh runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn no_command_panics_when_its_reader_goes_away() {
    let golden_dir = "golden";
    let cases: &[(&[&str], i32)] = &[
        (&["diff", SEED, ARKISTO], 0),
        (&["diff", "--json", SEED, ARKISTO], 0),
        (&["diff", "--exit-code", SEED, ARKISTO], 1),
        (&["check", "--golden", golden_dir, SEED, ARKISTO], 0),
        (&["outline", SEED], 0),
        (&["schema"], 0),
        (&["convert", SEED, ARKISTO], 0),
        (&["convert", "--format", "ndjson", SEED], 0),
        (
            &[
                "score",
                "golden/keha-tulossopimus-2026-2029.json",
                "golden/keha-tulossopimus-2026-2029.json",
            ],
            0,
        ),
    ];
    for (args, expected) in cases {
        let (code, stderr) = with_stdout_closed(args);
        assert_ne!(code, Some(101), "{args:?} panicked: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains("Broken pipe"),
            "{args:?} reports the closed pipe: {stderr}"
        );
        assert_eq!(code, Some(*expected), "{args:?}: {stderr}");
    }
}

#[test]
fn head_reads_the_first_line_of_a_diff() {
    let (code, stdout, stderr) = piped_to_head(&format!("diff {SEED} {ARKISTO}"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn diff_exit_code_says_whether_the_editions_differ() {
    let run = |args: &[&str]| {
        let out = common::bin().args(args).output().expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    // The same edition: no changes, 0 with or without the option.
    let (code, stdout) = run(&["diff", "--exit-code", SEED, SEED]);
    assert_eq!((code, stdout.trim()), (Some(0), "no changes"));
    // Two different agreements: 1 only with the option.
    assert_eq!(run(&["diff", SEED, ARKISTO]).0, Some(0));
    assert_eq!(run(&["diff", "--exit-code", SEED, ARKISTO]).0, Some(1));
    assert_eq!(
        run(&["diff", "--exit-code", "--json", SEED, ARKISTO]).0,
        Some(1)
    );
    // An edition read from its JSON output is the same edition.
    let (code, _) = run(&[
        "diff",
        "--exit-code",
        "golden/keha-tulossopimus-2026-2029.json",
        SEED,
    ]);
    assert_eq!(code, Some(0));
    // A failed input is 2 with the option (1 is "they differ"), 1 without.
    assert_eq!(
        run(&["diff", "--exit-code", SEED, "no/such.txt"]).0,
        Some(2)
    );
    assert_eq!(run(&["diff", SEED, "no/such.txt"]).0, Some(1));
}

/// `convert A FIFO` writes A's document while the FIFO has not even been opened by a
/// writer: the process cannot have finished, so the document was not held back until
/// every input was done. No timing decides the outcome: the reader blocks until the
/// line comes (a non-streaming build never sends it, and the test fails after the
/// deadline instead of hanging).
#[test]
fn convert_writes_each_document_as_soon_as_it_and_those_before_it_are_done() {
    use std::io::{BufRead, BufReader, Write};
    let dir = common::scratch("stream");
    let fifo = dir.join("hidas.txt");
    let c_path = std::ffi::CString::new(fifo.to_str().expect("UTF-8")).expect("no NUL");
    // SAFETY: a valid NUL-terminated path; mkfifo touches nothing else.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let mut child = common::bin()
        .args(["convert", "--format", "ndjson", SEED])
        .arg(&fifo)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let stdout = child.stdout.take().expect("stdout");
    let (lines, received) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines.send(line.expect("UTF-8 line"));
        }
    });
    let first = received.recv_timeout(std::time::Duration::from_secs(120));
    // Whatever came, let the process end: give the FIFO its writer and its text.
    let mut writer = std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .expect("opens the FIFO");
    let first = first.expect("the first document before the second input is readable");
    assert!(
        child.try_wait().expect("status").is_none(),
        "still waiting for the FIFO"
    );
    let doc: serde_json::Value = serde_json::from_str(&first).expect("a document");
    assert_eq!(doc["source"]["path"], SEED);
    writer
        .write_all(&std::fs::read(ARKISTO).expect("fixture"))
        .expect("write");
    drop(writer);
    let status = child.wait().expect("exits");
    reader.join().expect("reader");
    assert_eq!(status.code(), Some(0));
    let second: serde_json::Value =
        serde_json::from_str(&received.recv().expect("a second line")).expect("a document");
    assert_eq!(second["source"]["path"], fifo.to_str().expect("UTF-8"));
    assert!(received.try_recv().is_err(), "two documents");
    let _ = std::fs::remove_dir_all(&dir);
}
