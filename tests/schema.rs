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

fn keha() -> serde_json::Value {
    let golden =
        std::fs::read_to_string("golden/keha-tulossopimus-2026-2029.json").expect("golden");
    serde_json::from_str(&golden).expect("JSON")
}

/// Each of these, one at a time, makes a golden output invalid.
#[test]
fn schema_rejects_unknown_keys_other_versions_and_malformed_values() {
    let schema = emit::schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    assert!(validator.is_valid(&keha()));
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 12] = [
        ("an extra top-level key", |d| d["extra"] = 1.into()),
        ("an extra key in a goal", |d| {
            d["agreements"][1]["strategic_lines"][0]["goals"][0]["note"] = "x".into()
        }),
        ("an extra key in source", |d| {
            d["source"]["mtime"] = 0.into()
        }),
        ("schema_version 7", |d| d["schema_version"] = 7.into()),
        ("a Finnish date", |d| {
            d["agreements"][1]["signed"] = "13.2.2026".into()
        }),
        ("month 13", |d| {
            d["agreements"][1]["signed"] = "2026-13-01".into()
        }),
        ("an id without its hash", |d| {
            d["agreements"][1]["id"] = "a-1".into()
        }),
        ("an id of another kind", |d| {
            d["agreements"][1]["strategic_lines"][0]["id"] = "g-0123456789ab".into()
        }),
        ("an id in capitals", |d| {
            d["agreements"][1]["strategic_lines"][0]["goals"][0]["id"] = "G-0123456789AB".into()
        }),
        ("a short hash", |d| d["source"]["sha256"] = "a2d8".into()),
        ("an unknown encoding", |d| {
            d["source"]["encoding"] = "latin-9".into()
        }),
        ("an unknown dialect", |d| {
            d["source"]["dialect"] = "ocr".into()
        }),
    ];
    for (what, edit) in edits {
        let mut doc = keha();
        edit(&mut doc);
        assert!(!validator.is_valid(&doc), "{what} validates");
    }
    // Not too strict: the forms the model does write pass.
    let mut doc = keha();
    doc["agreements"][1]["id"] = "a-0123456789ab-2".into();
    doc["agreements"][1]["signed"] = serde_json::Value::Null;
    doc["source"]["encoding"] = "windows-1252".into();
    assert!(validator.is_valid(&doc));
}

/// What `convert` writes for every fixture it converts (dumps, PDFs, their pdftotext
/// dumps, the render farm's sample) validates.
#[test]
fn every_fixture_output_validates() {
    use rayon::prelude::*;
    let schema = emit::schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut inputs = Vec::new();
    for dir in [
        "fixtures",
        "fixtures/layout",
        "fixtures/pdf",
        "fixtures/pdf/dumps",
        "fixtures/farm",
    ] {
        for entry in std::fs::read_dir(dir).expect(dir) {
            let path = entry.expect("entry").path();
            // The farm's PDFs are many and slow in a debug build; their dumps stand in
            // for them here (tests/farm.rs converts them).
            let farm_pdf = dir == "fixtures/farm" && path.extension().is_some_and(|e| e == "pdf");
            if !farm_pdf && path.extension().is_some_and(|e| e == "txt" || e == "pdf") {
                inputs.push(path);
            }
        }
    }
    assert!(inputs.len() > 150, "{}", inputs.len());
    let options = tulossopimus::Options::default();
    let results: Vec<(String, Option<Vec<String>>)> = inputs
        .par_iter()
        .map(|path| {
            let name = path.display().to_string();
            // Some fixtures are meant to fail (encrypted, scanned, damaged).
            let Ok(doc) = tulossopimus::convert_file(path, &options) else {
                return (name, None);
            };
            let json = serde_json::to_value(&doc).expect("serializes");
            let errors = validator
                .iter_errors(&json)
                .take(3)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            (name, Some(errors))
        })
        .collect();
    let converted = results.iter().filter(|r| r.1.is_some()).count();
    assert!(converted > 150, "only {converted} converted");
    let bad: Vec<_> = results
        .iter()
        .filter(|r| r.1.as_ref().is_some_and(|e| !e.is_empty()))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The schema lists every warning code, and only those.
#[test]
fn schema_lists_the_warning_codes() {
    let schema = emit::schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut doc = keha();
    for code in tulossopimus::model::WarningCode::ALL {
        doc["warnings"] = serde_json::json!([
            {"code": code.as_str(), "message": "m", "line": 1, "page": null}
        ]);
        assert!(validator.is_valid(&doc), "{code} refused");
    }
    doc["warnings"][0]["code"] = "no_such_code".into();
    assert!(!validator.is_valid(&doc), "an unknown code is accepted");
}
