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
