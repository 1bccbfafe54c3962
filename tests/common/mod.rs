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

/// A document's agreements as JSON without provenance (`source`, `level_evidence`):
/// what must be equal when the same agreement is read from a PDF and from a dump.
pub fn tree(doc: &tulossopimus::Document) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("source");
                map.remove("level_evidence");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(&doc.agreements).expect("serializable");
    strip(&mut v);
    v
}
