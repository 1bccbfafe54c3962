//! Golden checks: convert an input and compare it, semantically, with a reviewed
//! expected output (`GOLDEN_DIR/<input stem>.json`). Used by `tulossopimus check` and by
//! the project's own golden tests.

use std::path::{Path, PathBuf};

use crate::diff::{diff, Difference};
use crate::{convert_file, emit, Error, ErrorKind, Options};

/// How one input compared with its golden file.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// Byte-identical.
    Same,
    /// Differences by place in the tree (empty when only the formatting differs).
    Differs(Vec<Difference>),
    /// No golden file yet.
    Missing,
    /// The golden file was (re)written.
    Blessed,
    /// The input did not convert.
    Failed(Error),
}

/// The golden file of `input`: its file name without the last extension, plus `.json`.
pub fn golden_path(golden_dir: &Path, input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "stdin".into(), |s| s.to_string_lossy().into_owned());
    golden_dir.join(format!("{stem}.json"))
}

/// Converts `input` and compares it with its golden file; with `bless`, writes the
/// conversion as the new golden file when it differs or is missing.
pub fn check(input: &Path, golden_dir: &Path, bless: bool) -> Outcome {
    check_with(input, golden_dir, bless, &Options::default())
}

/// [`check`] converting with `options` (a PDF's password, the input limits).
pub fn check_with(input: &Path, golden_dir: &Path, bless: bool, options: &Options) -> Outcome {
    let mut doc = match convert_file(input, options) {
        Ok(doc) => doc,
        Err(e) => return Outcome::Failed(e),
    };
    let path = golden_path(golden_dir, input);
    let expected = std::fs::read_to_string(&path);
    if let Ok(expected) = &expected {
        // `source.path` is how the input was spelled on this command line (`./x.txt`,
        // an absolute path, a path from another directory), not what it converts to:
        // the golden file's own spelling is kept, so that neither a check nor a bless
        // depends on it.
        if let Some(spelled) = golden_source_path(expected) {
            doc.source.path = spelled;
        }
    }
    let actual = emit::to_pretty_string(&doc);
    let outcome = match expected {
        Ok(expected) if expected == actual => return Outcome::Same,
        Ok(expected) => match serde_json::from_str::<serde_json::Value>(&expected) {
            Ok(e) => {
                let a = serde_json::to_value(&doc).expect("model serializes");
                Outcome::Differs(diff(&e, &a))
            }
            Err(_) => Outcome::Differs(Vec::new()),
        },
        Err(_) => Outcome::Missing,
    };
    if bless {
        let written = std::fs::create_dir_all(golden_dir)
            .and_then(|()| crate::batch::write_atomic(&path, actual.as_bytes()));
        if let Err(source) = written {
            return Outcome::Failed(Error::new(
                path.display().to_string(),
                ErrorKind::Io { source },
            ));
        }
        return Outcome::Blessed;
    }
    outcome
}

/// `source.path` of a golden file (the rest of the tree is skipped, not built).
fn golden_source_path(golden: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Golden {
        source: Source,
    }
    #[derive(serde::Deserialize)]
    struct Source {
        path: String,
    }
    serde_json::from_str::<Golden>(golden)
        .ok()
        .map(|g| g.source.path)
}
