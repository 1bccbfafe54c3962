//! The messages a new user meets first: each says what is wrong and what to do, names a
//! path once, and never shows Rust's debug syntax.

mod common;

use common::{run, s};

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";
const PDF: &str = "fixtures/pdf/vayla-tulossopimus-2026-2029.pdf";

/// No Rust debug syntax or OS error numbers in what a user reads.
fn plain(text: &str) {
    for debug in [
        "{ kind:",
        "Os {",
        "(os error",
        "Some(",
        "Error {",
        "panicked",
    ] {
        assert!(!text.contains(debug), "debug syntax {debug:?} in: {text}");
    }
}

#[test]
fn out_dir_that_is_a_file() {
    let dir = common::scratch("outdir-file");
    let file = dir.join("afile");
    std::fs::write(&file, b"x").expect("file");
    let r = run(&["convert", "--out-dir", s(&file), SEED]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("--out-dir must be a directory") && r.stderr.contains("is a file"),
        "{}",
        r.stderr
    );
    plain(&r.stderr);
    assert_eq!(
        std::fs::read(&file).expect("file"),
        b"x",
        "the file is untouched"
    );
}

#[test]
fn a_directory_without_out_dir_gets_a_hint() {
    let r = run(&["convert", "fixtures/pdf"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("fixtures/pdf: a directory"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("give --out-dir DIR"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    plain(&r.stderr);
}

#[test]
fn check_names_a_failed_input_once() {
    let dir = common::scratch("check-empty");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").expect("file");
    let r = run(&["check", "--golden", "golden", s(&empty)]);
    assert_eq!(r.code, Some(1));
    let path = s(&empty);
    assert_eq!(
        r.stdout.matches(path).count(),
        1,
        "the path once: {}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("FAILED  {path}: the input is empty [empty]")),
        "{}",
        r.stdout
    );
}

#[test]
fn bless_refuses_two_inputs_with_one_golden_file() {
    let dir = common::scratch("bless-twice");
    let a = dir.join("a");
    let b = dir.join("b");
    std::fs::create_dir_all(&a).expect("a");
    std::fs::create_dir_all(&b).expect("b");
    std::fs::copy(SEED, a.join("x.txt")).expect("copy");
    std::fs::copy(
        "fixtures/arkisto-tulossopimus-2026-2029.txt",
        b.join("x.txt"),
    )
    .expect("copy");
    let golden = dir.join("golden");
    let r = run(&[
        "check",
        "--golden",
        s(&golden),
        "--bless",
        s(&a.join("x.txt")),
        s(&b.join("x.txt")),
    ]);
    assert_eq!(r.code, Some(2), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("would both be written to") && r.stderr.contains("x.json"),
        "{}",
        r.stderr
    );
    assert!(!golden.join("x.json").exists(), "nothing was blessed");
    // Without --bless, both compare with the one file (a dump and its PDF may share one).
    let r = run(&["check", "--golden", s(&golden), s(&a.join("x.txt"))]);
    assert_eq!(r.code, Some(1), "missing golden: {}", r.stdout);
}

#[test]
fn max_memory_too_small_is_a_usage_error() {
    let r = run(&["convert", "--max-memory", "1KB", PDF]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("at least 32MiB"), "{}", r.stderr);
    assert!(!r.stderr.contains("ThreadPoolBuildError"), "{}", r.stderr);
    plain(&r.stderr);
    // At the floor a worker starts and the limit is reported as a limit, or it fits.
    let r = run(&["convert", "--max-memory", "32MiB", PDF]);
    assert!(
        r.code == Some(0) || r.stderr.contains("[memory_limit]"),
        "{}",
        r.stderr
    );
    plain(&r.stderr);
}

#[test]
fn help_texts_describe_their_own_command() {
    let export = run(&["export", "--help"]).stdout;
    assert!(export.contains("Exit codes"), "{export}");
    assert!(
        !export.contains("--strict"),
        "export has no --strict: {export}"
    );
    let convert = run(&["convert", "--help"]).stdout;
    // The option's help, on its line or the next (clap's layout depends on the width).
    let at = convert.find("--jobs").expect("--jobs");
    let jobs = &convert[at..];
    let jobs = &jobs[..jobs[2..].find("--").map_or(jobs.len(), |end| end + 2)];
    assert!(jobs.contains("[default: one per core]"), "{jobs}");
    assert!(!jobs.contains("[default: 0]"), "{jobs}");
    assert_eq!(run(&["convert", "--jobs", "0", SEED]).code, Some(2));
}
