//! Commands that compose: `export` reads a batch's output directory, and every command
//! that reads inputs opens an encrypted PDF with `--password`.

mod common;

use common::{run, s};

const ENCRYPTED: &str = "fixtures/pdf/salattu.pdf";
const PASSWORD: &str = "salasana";
const DUMPS: [&str; 3] = [
    "fixtures/arkisto-tulossopimus-2026-2029.txt",
    "fixtures/keha-tulossopimus-2026-2029.txt",
    "fixtures/vesilaitos-tulossopimus-2027-2030.txt",
];

fn lines(path: &std::path::Path) -> usize {
    std::fs::read_to_string(path)
        .expect("table")
        .lines()
        .count()
}

#[test]
fn export_reads_a_batch_directory_and_skips_its_report() {
    let dir = common::scratch("batch");
    let out = dir.join("out");
    let mut args = vec!["convert", "--quiet", "--out-dir", s(&out)];
    args.extend(DUMPS);
    let batch = run(&args);
    assert_eq!(batch.code, Some(0), "{}", batch.stderr);
    assert!(out.join("_report.json").is_file());

    // The directory itself: its *.json outputs, the report left out.
    let t1 = dir.join("t1");
    let r = run(&["export", "--tables", s(&t1), s(&out)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // The seed holds two agreements, the others one each.
    assert_eq!(lines(&t1.join("agreements.ndjson")), 4);

    // The shell's out/*.json: the report is named, skipped with a note, not an error.
    let mut globbed: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").path().display().to_string())
        .filter(|p| p.ends_with(".json"))
        .collect();
    globbed.sort();
    assert!(globbed.iter().any(|p| p.ends_with("_report.json")));
    let t2 = dir.join("t2");
    let mut args = vec!["export", "--tables", s(&t2)];
    args.extend(globbed.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("_report.json: skipped"),
        "the skip is said: {}",
        r.stderr
    );
    for table in ["agreements", "nodes", "targets", "indicator_values"] {
        let name = format!("{table}.ndjson");
        assert_eq!(
            std::fs::read(t1.join(&name)).expect("t1"),
            std::fs::read(t2.join(&name)).expect("t2"),
            "{table}: the directory and the glob give the same rows"
        );
    }

    // A directory without outputs is an error that says what export expects.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("dir");
    let r = run(&["export", "--tables", s(&dir.join("t3")), s(&empty)]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("without JSON outputs"), "{}", r.stderr);
    assert!(!r.stderr.contains("Is a directory"), "{}", r.stderr);
}

#[test]
fn every_command_that_reads_inputs_takes_a_password() {
    let dir = common::scratch("password");
    // Without the password each one fails naming the option; with it each one works.
    let golden = dir.join("golden");
    let tables = dir.join("tables");
    let cases: Vec<Vec<&str>> = vec![
        vec!["outline", ENCRYPTED],
        vec!["diff", ENCRYPTED, ENCRYPTED],
        vec!["export", "--tables", s(&tables), ENCRYPTED],
        vec!["check", "--golden", s(&golden), "--bless", ENCRYPTED],
        vec!["convert", ENCRYPTED],
    ];
    for args in &cases {
        let locked = run(args);
        assert_eq!(locked.code, Some(1), "{args:?}: {}", locked.stderr);
        let said = format!("{}{}", locked.stdout, locked.stderr);
        assert!(said.contains("--password"), "{args:?}: {said}");
        let mut with = args.clone();
        with.extend(["--password", PASSWORD]);
        let open = run(&with);
        assert_eq!(
            open.code,
            Some(0),
            "{with:?}: {}{}",
            open.stdout,
            open.stderr
        );
    }
    // What each one produced with the password.
    let outline = run(&["outline", "--password", PASSWORD, ENCRYPTED]);
    assert!(
        outline.stdout.contains("Väylätietokeskus"),
        "{}",
        outline.stdout
    );
    let diff = run(&[
        "diff",
        "--password",
        PASSWORD,
        "--exit-code",
        ENCRYPTED,
        ENCRYPTED,
    ]);
    assert_eq!((diff.code, diff.stdout.trim()), (Some(0), "no changes"));
    assert_eq!(lines(&tables.join("agreements.ndjson")), 1);
    let check = run(&[
        "check",
        "--golden",
        s(&golden),
        "--password",
        PASSWORD,
        ENCRYPTED,
    ]);
    assert_eq!(check.code, Some(0), "{}", check.stdout);
    assert!(check.stdout.starts_with("ok "), "{}", check.stdout);
    // A wrong password is refused like a missing one.
    let wrong = run(&["outline", "--password", "väärä", ENCRYPTED]);
    assert_eq!(wrong.code, Some(1));
}
