//! The command line: outputs, exit codes and error messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tulossopimus"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    if let Some(bytes) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(bytes)
            .expect("write");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("exits")
}

fn tmp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("tulossopimus-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.display().to_string()
}

#[test]
fn converts_the_seed_to_stdout() {
    let out = run(&["convert", SEED], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["agreements"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["source"]["path"], SEED);
}

#[test]
fn reads_stdin_and_writes_a_file() {
    let seed = std::fs::read(SEED).expect("seed");
    let target = tmp("out.json", b"");
    let out = run(&["convert", "-", "-o", &target, "--pretty"], Some(&seed));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&target).expect("output");
    assert!(text.starts_with("{\n  \"schema_version\": 1,"));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["source"]["path"], "-");
}

#[test]
fn a_bad_input_fails_with_its_name_and_the_others_still_convert() {
    let empty = tmp("empty.txt", b"");
    let out = run(&["convert", SEED, &empty], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{empty}: the input is empty")),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    let first_line = out.stdout.split(|&b| b == b'\n').next().expect("line");
    let doc: serde_json::Value = serde_json::from_slice(first_line).expect("seed still converted");
    assert_eq!(doc["agreements"].as_array().map(Vec::len), Some(2));
}

#[test]
fn missing_file_and_usage_errors() {
    let out = run(&["convert", "no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.txt: cannot read"));
    assert_eq!(run(&["convert"], None).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(
        run(&["convert", SEED, SEED, "-o", "x.json"], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn standard_input_is_read_once_by_every_command() {
    let seed = std::fs::read(SEED).expect("seed");
    let dir = std::env::temp_dir().join(format!("tulossopimus-cli-stdin-{}", std::process::id()));
    let tables = dir.join("tables");
    let tables = tables.to_str().expect("UTF-8");
    for args in [
        &["convert", "-", "-"][..],
        &["outline", "-", SEED, "-"],
        &["export", "--tables", tables, "-", "-"],
    ] {
        // Refused before reading: nothing is written to its standard input.
        let out = run(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: standard input (-) can be read only once\n",
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // Once is fine.
    assert_eq!(run(&["outline", "-"], Some(&seed)).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn strict_turns_warnings_into_failure() {
    let mut text = std::fs::read_to_string(SEED).expect("seed");
    text.push_str("\n\nTav 2030 \n> 5 \n");
    let path = tmp("orphan.txt", text.as_bytes());
    let lax = run(&["convert", &path], None);
    assert_eq!(lax.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&lax.stderr).contains("warning:"));
    let strict = run(&["convert", "--strict", &path], None);
    assert_eq!(strict.status.code(), Some(1));
    assert!(strict.stdout.is_empty());
    assert!(String::from_utf8_lossy(&strict.stderr).contains("strict mode"));
}

#[test]
fn schema_and_help() {
    let out = run(&["schema"], None);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "Document");
    let help = run(&["convert", "--help"], None);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes"));
}

#[test]
fn ndjson_streams_one_compact_line_per_input() {
    let files = [
        "fixtures/arkisto-tulossopimus-2026-2029.txt",
        SEED,
        "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
    ];
    let mut args = vec!["convert", "--format", "ndjson"];
    args.extend(files);
    let out = run(&args, None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for (line, file) in lines.iter().zip(files) {
        let doc: serde_json::Value = serde_json::from_str(line).expect("one document per line");
        assert_eq!(doc["source"]["path"], file);
    }
    assert_eq!(
        run(&["convert", "--format", "ndjson", "--pretty", SEED], None)
            .status
            .code(),
        Some(2)
    );
}
