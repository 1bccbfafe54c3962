//! The scorer on a real golden file: against itself, against a partial copy, against a
//! copy with a goal moved and a value changed, and through the command line.

mod common;

use serde_json::Value;
use tulossopimus::score::{load_tree, score, Score, CATEGORIES};

const GOLDEN: &str = "golden/keha-tulossopimus-2026-2029.json";

fn golden() -> Value {
    serde_json::from_str(&std::fs::read_to_string(GOLDEN).expect("golden")).expect("JSON")
}

fn tree(v: &Value) -> tulossopimus::Document {
    load_tree(&v.to_string()).expect("tree")
}

/// The golden file with the last goal of agreement 2's second strategic line moved under
/// its first, and the first printed value of agreement 2 changed. Returns the copy, the
/// moved goal's title and the changed value's indicator name.
fn mutated() -> (Value, String, String) {
    let mut v = golden();
    let lines = &mut v["agreements"][1]["strategic_lines"];
    let goal = lines[1]["goals"]
        .as_array_mut()
        .expect("goals")
        .pop()
        .expect("a goal");
    let title = goal["title"].as_str().expect("title").to_owned();
    lines[0]["goals"].as_array_mut().expect("goals").push(goal);
    let indicator = lines
        .as_array_mut()
        .expect("lines")
        .iter_mut()
        .flat_map(|l| l["goals"].as_array_mut().expect("goals").iter_mut())
        .flat_map(|g| {
            g["indicators"]
                .as_array_mut()
                .expect("indicators")
                .iter_mut()
        })
        .find(|i| {
            i["values"]
                .as_array()
                .is_some_and(|v| v.iter().any(|v| v["raw"].is_string()))
        })
        .expect("an indicator with a value");
    let name = indicator["name"].as_str().expect("name").to_owned();
    let value = indicator["values"]
        .as_array_mut()
        .expect("values")
        .iter_mut()
        .find(|v| v["raw"].is_string())
        .expect("a value");
    value["raw"] = Value::String("999 999".into());
    (v, title, name)
}

fn assert_perfect(s: &Score) {
    for c in &s.categories {
        assert_eq!((c.precision, c.recall, c.f1), (1.0, 1.0, 1.0), "{}", c.name);
        assert_eq!((c.missing_count, c.extra_count), (0, 0), "{}", c.name);
    }
    assert_eq!(s.overall.f1, 1.0);
}

#[test]
fn the_golden_file_scores_one_against_itself() {
    let doc = tree(&golden());
    let s = score(&doc, &doc);
    assert_eq!(s.categories.len(), CATEGORIES.len());
    assert_perfect(&s);
    // The file has something in the categories that matter, or 1.0 would prove little.
    for (name, at_least) in [
        ("strategic_lines", 20),
        ("goals_by_path", 60),
        ("values", 20),
        ("targets", 50),
    ] {
        let n = s.category(name).expect(name).expected;
        assert!(n >= at_least, "{name}: {n} keys");
    }
}

#[test]
fn a_full_output_and_a_partial_tree_read_the_same() {
    let full = golden();
    let mut partial = full.clone();
    common::strip_provenance(&mut partial);
    strip(
        &mut partial,
        &["id", "warnings", "coverage", "generator", "schema_version"],
    );
    assert!(!partial.to_string().contains("\"id\""));
    let from_partial = tree(&partial);
    let from_full = tree(&full);
    assert_eq!(from_full, serde_json::from_value(full).expect("model"));
    assert_perfect(&score(&from_partial, &from_full));
}

fn strip(v: &mut Value, keys: &[&str]) {
    match v {
        Value::Object(map) => {
            keys.iter().for_each(|k| {
                map.remove(*k);
            });
            map.values_mut().for_each(|v| strip(v, keys));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip(v, keys)),
        _ => {}
    }
}

#[test]
fn a_moved_goal_and_a_changed_value_are_named() {
    let (copy, title, indicator) = mutated();
    let s = score(&tree(&golden()), &tree(&copy));
    for name in ["goals_by_parent", "goals_by_path"] {
        let c = s.category(name).expect(name);
        assert_eq!((c.missing_count, c.extra_count), (1, 1), "{name}");
        assert_eq!(c.matched + 1, c.expected, "{name}");
        assert!(c.f1 < 1.0 && c.f1 > 0.95, "{name}: {}", c.f1);
        assert!(
            c.missing[0].ends_with(&format!(" › {title}")),
            "{name}: {:?}",
            c.missing
        );
        assert!(
            c.extra[0].ends_with(&format!(" › {title}")),
            "{name}: {:?}",
            c.extra
        );
        assert!(
            c.missing[0].starts_with("agreement 2 › "),
            "{:?}",
            c.missing
        );
    }
    // The moved goal's target moved with it and is still its own: not counted again.
    let targets = s.category("targets").expect("targets");
    assert_eq!((targets.missing_count, targets.extra_count), (0, 0));
    let values = s.category("values").expect("values");
    assert_eq!((values.missing_count, values.extra_count), (1, 1));
    assert!(
        values.missing[0].contains(&format!(" › {indicator} | ")),
        "{:?}",
        values.missing
    );
    assert!(
        values.extra[0].ends_with(" | 999 999"),
        "{:?}",
        values.extra
    );
    for name in [
        "strategic_lines",
        "indicators",
        "resource_indicators",
        "impact_goals",
        "chapters",
        "metadata",
    ] {
        assert_eq!(s.category(name).expect(name).f1, 1.0, "{name}");
    }
    assert!(s.overall.f1 < 1.0 && s.overall.f1 > 0.9, "{}", s.overall.f1);
}

#[test]
fn the_command_prints_the_score() {
    let dir = common::scratch("cli");
    let copy = dir.join("mutated.json");
    std::fs::write(&copy, mutated().0.to_string()).expect("write");
    let out = common::bin()
        .args(["score", GOLDEN])
        .arg(&copy)
        .arg("--json")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let f1 = json["overall"]["f1"].as_f64().expect("overall.f1");
    assert!(f1 < 1.0 && f1 > 0.9, "{f1}");
    assert_eq!(
        json["categories"].as_array().map(Vec::len),
        Some(CATEGORIES.len())
    );

    let out = common::bin()
        .args(["score", GOLDEN])
        .arg(&copy)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("goals_by_path: 1 missing, 1 extra"), "{text}");
    assert!(text.contains("  + ") && text.contains("999 999"), "{text}");
}

#[test]
fn an_unreadable_input_exits_2_naming_the_file() {
    let dir = common::scratch("bad");
    let bad = dir.join("not-a-tree.json");
    std::fs::write(&bad, "{\"agreements\": 3}").expect("write");
    for (expected, actual) in [
        (GOLDEN, bad.to_str().unwrap()),
        ("no/such/file.json", GOLDEN),
    ] {
        let out = common::bin()
            .args(["score", expected, actual])
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        let named = if expected == GOLDEN { actual } else { expected };
        assert!(err.contains(named), "{err}");
    }
}
