//! Output for people and for machines: `outline` in plain words over several inputs
//! and the tool's own JSON, and `--warnings text|json|none`.

mod common;

use common::run;

const SEED: &str = "fixtures/keha-tulossopimus-2026-2029.txt";
const ARKISTO: &str = "fixtures/arkisto-tulossopimus-2026-2029.txt";

#[test]
fn outline_is_plain_text_for_several_inputs_and_json() {
    let json = "golden/arkisto-tulossopimus-2026-2029.json";
    let r = run(&["outline", SEED, json]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for debug in ["Some(", "None", "[Grammar]", "[Layout]", "\\\"", "@"] {
        assert!(
            !r.stdout.contains(debug),
            "{debug:?} in the outline:\n{}",
            r.stdout
        );
    }
    // Each input under its own heading, in input order.
    let seed_at = r
        .stdout
        .find(&format!("{SEED}: 2 agreements"))
        .expect("seed heading");
    let json_at = r
        .stdout
        .find("fixtures/arkisto-tulossopimus-2026-2029.txt: 1 agreement")
        .expect("the JSON's document, named by its source");
    assert!(seed_at < json_at);
    assert!(r
        .stdout
        .contains("  ministry Työ- ja elinkeinoministeriö; agency KEHA-keskus"));
    assert!(r.stdout.contains("    Strategic line: "));
    assert!(r.stdout.contains("      Goal: "));
    assert!(
        r.stdout.contains(": 2026 target ≤ 30,0"),
        "indicator values in words:\n{}",
        r.stdout
    );
    // The JSON read back outlines exactly like its input converted now.
    let from_json = run(&["outline", json]).stdout;
    let from_text = run(&["outline", ARKISTO]).stdout;
    assert_eq!(from_json, from_text);
    // A failed input is an error; the others are still outlined.
    let r = run(&["outline", "no/such.txt", ARKISTO]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("no/such.txt"), "{}", r.stderr);
    assert!(r.stdout.contains("Agreement 1: "), "{}", r.stdout);
}

fn with_a_warning() -> String {
    let dir = common::scratch("warned");
    let mut text = std::fs::read_to_string(SEED).expect("seed");
    text.push_str("\n\nTav 2030 \n> 5 \n");
    let path = dir.join("orphan.txt");
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn warnings_go_where_asked() {
    let path = with_a_warning();
    let text = run(&["convert", &path]);
    assert_eq!(text.code, Some(0));
    let lines: Vec<&str> = text.stderr.lines().collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with(&format!("warning: {path}:"))),
        "{}",
        text.stderr
    );

    let json = run(&["convert", "--warnings", "json", &path]);
    assert_eq!(json.code, Some(0));
    assert_eq!(json.stdout, text.stdout, "the document is the same");
    let objects: Vec<serde_json::Value> = json
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objects.len(), lines.len());
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("doc");
    for (o, w) in objects
        .iter()
        .zip(doc["warnings"].as_array().expect("warnings"))
    {
        assert_eq!(o["file"], path.as_str());
        for key in ["code", "message", "line", "page"] {
            assert_eq!(o[key], w[key], "{key}");
        }
    }

    let none = run(&["convert", "--warnings", "none", &path]);
    assert_eq!(none.code, Some(0));
    assert!(none.stderr.is_empty(), "{}", none.stderr);
    assert_eq!(none.stdout, text.stdout);
    // --strict still fails on a warning it does not print.
    let strict = run(&["convert", "--warnings", "none", "--strict", &path]);
    assert_eq!(strict.code, Some(1));

    // export prints the warnings of the inputs it converts the same way.
    let dir = common::scratch("export-warnings");
    let t = dir.join("t");
    let t = t.to_str().expect("path");
    let r = run(&["export", "--tables", t, "--warnings", "json", &path]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), lines.len(), "{}", r.stderr);
    assert!(r
        .stderr
        .lines()
        .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    let r = run(&["export", "--tables", t, "--warnings", "none", &path]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}
