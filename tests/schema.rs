//! The published JSON Schema is the one generated from the Rust types, and every golden
//! output validates against it.

use tulossopimus::emit;

const SCHEMA_FILE: &str = "schema/tulossopimus-v1.schema.json";

#[test]
fn published_schema_is_generated_from_the_types() {
    let generated = emit::schema_string();
    if std::env::var_os("TULOSSOPIMUS_BLESS").is_some() {
        std::fs::write(SCHEMA_FILE, &generated).expect("write schema");
    }
    let published = std::fs::read_to_string(SCHEMA_FILE).expect("schema file");
    assert!(
        published == generated,
        "{SCHEMA_FILE} is stale: regenerate with `cargo run -- schema > {SCHEMA_FILE}`"
    );
}

#[test]
fn every_golden_output_validates() {
    let schema = emit::schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut checked = 0;
    for entry in std::fs::read_dir("golden").expect("golden/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .take(5)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} golden files");
}

#[test]
fn schema_rejects_a_broken_document() {
    let schema = emit::schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let golden =
        std::fs::read_to_string("golden/keha-tulossopimus-2026-2029.json").expect("golden");
    let mut doc: serde_json::Value = serde_json::from_str(&golden).expect("JSON");
    doc["agreements"][1]["strategic_lines"][0]["goals"][0]["level"] = "one".into();
    assert!(!validator.is_valid(&doc));
    doc["agreements"][1]["strategic_lines"][0]["goals"][0]["level"] = 1.into();
    doc["agreements"][1]
        .as_object_mut()
        .expect("object")
        .remove("period");
    assert!(!validator.is_valid(&doc), "period is required");
}
