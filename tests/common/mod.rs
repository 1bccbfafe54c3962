//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses its own subset

use std::path::PathBuf;
use std::process::Command;

/// The built `tulossopimus` binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tulossopimus"))
}

/// A fresh, empty directory unique to this test binary, process and `name`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tulossopimus-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Removes provenance (`source`, `level_evidence`) from a JSON tree, in place.
pub fn strip_provenance(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("source");
            map.remove("level_evidence");
            map.values_mut().for_each(strip_provenance);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_provenance),
        _ => {}
    }
}

/// Every `id` anywhere in a JSON tree.
pub fn ids(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get("id") {
                out.insert(id.clone());
            }
            map.values().for_each(|x| ids(x, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| ids(x, out)),
        _ => {}
    }
}

/// The ids of a golden file's agreements.
pub fn golden_ids(golden: &str) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(golden).expect(golden);
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut out = std::collections::BTreeSet::new();
    ids(&v["agreements"], &mut out);
    out
}

/// A document's agreements as JSON without provenance (`source`, `level_evidence`):
/// what must be equal when the same agreement is read from a PDF and from a dump.
pub fn tree(doc: &tulossopimus::Document) -> serde_json::Value {
    let mut v = serde_json::to_value(&doc.agreements).expect("serializable");
    strip_provenance(&mut v);
    v
}

/// What one run of the binary gave: its exit code and its output as text.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` from the repository's root.
pub fn run(args: &[&str]) -> Run {
    let out = bin().args(args).output().expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A path as the `&str` an argument list takes.
pub fn s(p: &std::path::Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
